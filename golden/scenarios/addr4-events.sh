# origin: new (issue 13 oracle). What device events do to IPv4 addresses and their routes: down/up,
# carrier loss (netdevsim), MTU < 68, bridge/bond/vrf enslave, netns move, delete, promote_secondaries,
# rename. Dummies are created with addrgenmode none so that no IPv6 event interferes.
## down/up on a dummy: addresses kept, prefix/local/broadcast routes withdrawn and re-added, static routes flushed
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip addr add 10.0.0.1/24 dev dum0
ip addr add 10.0.0.2/24 dev dum0
ip route add 10.9.0.0/16 via 10.0.0.254 dev dum0
ip -4 route show table all dev dum0
ip link set dum0 down
ip -4 addr show dev dum0
ip -4 route show table all dev dum0
ip link set dum0 up
ip -4 route show table all dev dum0
## carrier loss (netdevsim: off for good after a down): routes stay, marked linkdown
ip link set eth0 addrgenmode none
ip link set eth0 up
ip addr add 10.10.0.1/24 dev eth0
ip route add 10.11.0.0/16 via 10.10.0.254 dev eth0
ip link set eth0 down
ip link set eth0 up
ip -4 route show table all dev eth0
ip -4 addr show dev eth0
## MTU below 68 destroys the in_device (addresses and routes gone); back to 1500
ip link set dum0 mtu 67
ip -4 addr show dev dum0
ip -4 route show table all dev dum0
ip link set dum0 mtu 68
ip addr add 10.0.0.1/24 dev dum0
ip -4 addr show dev dum0
## bridge enslave: the port keeps its IPv4 address and routes
ip link add br0 type bridge
ip link set br0 addrgenmode none
ip link add dum1 type dummy
ip link set dum1 addrgenmode none
ip link set dum1 up
ip addr add 10.1.0.1/24 dev dum1
ip link set dum1 master br0
ip -4 addr show dev dum1
ip -4 route show table all dev dum1
ip link set dum1 nomaster
## bond enslave: refused while up; enslaved when down (the bond opens it)
ip link add bond0 type bond
ip link set bond0 addrgenmode none
ip link add dum2 type dummy
ip link set dum2 addrgenmode none
ip link set dum2 up
ip addr add 10.2.0.1/24 dev dum2
ip link set dum2 master bond0
ip link set dum2 down
ip link set dum2 master bond0
ip link set bond0 up
ip -4 addr show dev dum2
ip -4 route show table all dev dum2
## vrf enslave: the device cycles down/up, its routes move to the vrf table, static routes are lost
ip link add vrf1 type vrf table 10
ip link set vrf1 up
ip link add dum3 type dummy
ip link set dum3 addrgenmode none
ip link set dum3 up
ip addr add 10.3.0.1/24 dev dum3
ip route add 10.33.0.0/16 via 10.3.0.254 dev dum3
ip link set dum3 master vrf1
ip -4 route show table main dev dum3
ip -4 route show vrf vrf1
ip -4 route show table 10
ip -4 route show table local dev dum3
ip link set dum3 nomaster
ip -4 route show table 10
ip -4 route show table all dev dum3
## netns move: IPv4 addresses are dropped
ip netns add ns1
ip link add dum4 type dummy
ip addr add 10.4.0.1/24 dev dum4
ip link set dum4 netns ns1
ip -n ns1 -4 addr show dev dum4
## delete: routes through the device are gone
ip link add dum5 type dummy
ip link set dum5 addrgenmode none
ip link set dum5 up
ip addr add 10.5.0.1/24 dev dum5
ip route add 10.55.0.0/16 dev dum5
ip route add 10.56.0.0/16 via 10.5.0.254
ip link del dum5
ip -4 route show table all
## promote_secondaries=1 with 3 secondaries: delete a secondary, then the primary
ip link add dum6 type dummy
ip link set dum6 addrgenmode none
ip link set dum6 up
sysctl -w net.ipv4.conf.dum6.promote_secondaries=1
ip addr add 10.6.0.1/24 dev dum6
ip addr add 10.6.0.2/24 dev dum6
ip addr add 10.6.0.3/24 dev dum6
ip addr add 10.6.0.4/24 dev dum6
ip addr del 10.6.0.3/24 dev dum6
ip -4 route show table all dev dum6
ip addr del 10.6.0.1/24 dev dum6
ip -4 addr show dev dum6
ip -4 route show table all dev dum6
## promote_secondaries=0: deleting the primary deletes its secondaries
ip link add dum7 type dummy
ip link set dum7 addrgenmode none
ip link set dum7 up
ip addr add 10.7.0.1/24 dev dum7
ip addr add 10.7.0.2/24 dev dum7
ip addr add 10.7.0.3/24 dev dum7
ip addr add 10.7.1.1/24 dev dum7
ip addr del 10.7.0.1/24 dev dum7
ip -4 addr show dev dum7
ip -4 route show table all dev dum7
## rename: labels "dev" and "dev:x" follow the new name
ip addr add 10.8.0.1/24 dev dum7 label dum7:a
ip addr add 10.8.1.1/24 dev dum7 label other
ip link set dum7 down
ip link set dum7 name dum8
ip -4 addr show dev dum8
