# origin: new (issue 13 oracle). IPv6 link-local generation per addr_gen_mode and per device kind,
# DAD knobs, keep_addr_on_down, disable_ipv6, MTU < 1280. Right after "up" a netdevsim port's
# link-local is tentative for sure (< 1 s); after "sleep 3" DAD is surely done. Random MACs are
# normalised (<euiN>); stable_privacy addresses do not depend on the MAC (dummies have no perm_addr).
#@env ORACLE_EXTRA_MODULES="sit"
## eui64 on a netdevsim port: tentative right after up
ip link set eth0 up
ip -6 addr show dev eth0
ip -6 route show table all dev eth0
## accept_dad=0 (eth1): not tentative right after up; dad_transmits=0 (eth2) completes DAD from a work item (shown after the sleep)
sysctl -w net.ipv6.conf.eth1.accept_dad=0
sysctl -w net.ipv6.conf.eth2.dad_transmits=0
ip link set eth2 address 02:00:00:00:00:e2
ip link set eth1 up
ip link set eth2 up
ip -6 addr show dev eth1
## dummy (NOARP): eui64 without DAD; addrgenmode none
ip link add dum0 type dummy
ip link set dum0 up
ip -6 addr show dev dum0
ip link add dum1 type dummy
ip link set dum1 addrgenmode none
ip link set dum1 up
ip -6 addr show dev dum1
ip link set dum1 addrgenmode eui64
ip -6 addr show dev dum1
## stable_privacy: setting stable_secret switches the mode; same secret + same name -> same address
ip link add dum2 type dummy
sysctl net.ipv6.conf.dum2.stable_secret
ip link set dum2 addrgenmode stable_secret
sysctl -w net.ipv6.conf.dum2.stable_secret=2001:db8::1234
ip -d link show dev dum2
ip link set dum2 up
ip -6 addr show dev dum2
ip link set dum2 down
ip link set dum2 up
ip -6 addr show dev dum2
ip link add dum3 type dummy
sysctl -w net.ipv6.conf.dum3.stable_secret=2001:db8::1234
ip link set dum3 up
ip -6 addr show dev dum3
## random: only the count is stable (the device is deleted again: its address would reach the final dump)
ip link add dum5 type dummy
ip link set dum5 addrgenmode random
ip link set dum5 up
ip -6 -o addr show dev dum5 scope link | wc -l
ip link del dum5
## per kind right after up: a port-less bridge has carrier; no carrier -> no link-local yet (bond without slaves, veth with its peer down, tun/tap without a reader)
ip link add br0 type bridge
ip link set br0 up
ip -6 addr show dev br0
ip link add bond0 type bond
ip link set bond0 up
ip link add va type veth peer name vb
ip link set va up
ip tuntap add tun0 mode tun
ip tuntap add tap0 mode tap
ip link set tun0 up
ip link set tap0 up
ip -6 addr show dev bond0
ip -6 addr show dev va
ip -6 addr show dev tun0
ip -6 addr show dev tap0
## stacked kinds on the netdevsim ports (ipvlan: eth2's MAC is set, the ipvlan id uses dev_id), tunnels
ip link set vb up
ip link add link eth1 name vl10 type vlan id 10
ip link set vl10 up
ip link add link eth1 name mv0 type macvlan
ip link set mv0 up
ip link add link eth2 name ipv0 type ipvlan mode l2
ip link set ipv0 up
ip link add gre1 type gre remote 192.0.2.2 local 192.0.2.1
ip link set gre1 up
ip link add gre2 type gre remote 192.0.2.2
ip link set gre2 up
ip link add gt1 type gretap remote 192.0.2.2 local 192.0.2.1
ip link set gt1 up
ip link add g6 type ip6gre remote 2001:db8::2 local 2001:db8::1
ip link set g6 up
ip link add sit1 type sit remote 192.0.2.2 local 192.0.2.1
ip link set sit1 up
ip link add vx0 type vxlan id 10 dstport 4789
ip link set vx0 up
sleep 3
ip -6 addr show dev eth0
ip -6 addr show dev eth2
ip -6 addr show dev va
ip -6 addr show dev vb
ip -6 addr show dev vl10
ip -6 addr show dev mv0
ip -6 addr show dev ipv0
ip -6 addr show dev gre1
ip -6 addr show dev gre2
ip -6 addr show dev gt1
ip -6 addr show dev g6
ip -6 addr show dev sit1
ip -6 addr show dev vx0
ip -6 addr show dev br0
## keep_addr_on_down=1: global addresses kept over down/up, link-local not
sysctl -w net.ipv6.conf.dum0.keep_addr_on_down=1
ip -6 addr add 2001:db8:1::1/64 dev dum0
ip link set dum0 down
ip -6 addr show dev dum0
ip -6 route show table all dev dum0
ip link set dum0 up
ip -6 addr show dev dum0
## disable_ipv6=1 and back
ip -6 addr add 2001:db8:2::1/64 dev dum3
sysctl -w net.ipv6.conf.dum3.disable_ipv6=1
ip -6 addr show dev dum3
ip -6 addr add 2001:db8:2::2/64 dev dum3
sysctl -w net.ipv6.conf.dum3.disable_ipv6=0
ip -6 addr show dev dum3
## MTU < 1280 and back: the link-local is regenerated
ip link set dum1 mtu 1000
ip -6 addr show dev dum1
ip -6 route show table all dev dum1
ip link set dum1 mtu 1500
ip -6 addr show dev dum1
ip -6 route show table all dev dum1
## stable_secret on "default": new devices AND every existing device switch to stable_privacy
sysctl -w net.ipv6.conf.default.stable_secret=2001:db8::5678
ip link add dum4 type dummy
ip -d link show dev dum4
ip link set dum4 up
ip -6 addr show dev dum4
ip -d link show dev dum0
ip link set dum0 down
ip link set dum0 up
ip -6 addr show dev dum0
