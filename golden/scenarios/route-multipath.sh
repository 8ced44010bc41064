# origin: new (issue 13 oracle). Multipath routes (IPv4 fib_info with several fib_nh; IPv6 siblings):
# weights, RTNH_F_LINKDOWN / RTNH_F_DEAD when a nexthop's device loses carrier, goes down or is deleted.
# dum0/dum1/dum2 are dummies; eth0 is a netdevsim port (carrier off for good after a down).
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip addr add 10.0.0.1/24 dev dum0
ip -6 addr add 2001:db8:0:1::1/64 dev dum0
ip link add dum1 type dummy
ip link set dum1 addrgenmode none
ip link set dum1 up
ip addr add 10.1.0.1/24 dev dum1
ip -6 addr add 2001:db8:0:2::1/64 dev dum1
ip link add dum2 type dummy
ip link set dum2 addrgenmode none
ip link set dum2 up
ip addr add 10.2.0.1/24 dev dum2
ip -6 addr add 2001:db8:0:3::1/64 dev dum2
ip link set eth0 addrgenmode none
ip link set eth0 up
ip addr add 10.3.0.1/24 dev eth0
ip -6 addr add 2001:db8:0:4::1/64 dev eth0 nodad
## IPv4 multipath with weights
ip route add 192.0.2.0/24 nexthop via 10.0.0.2 dev dum0 weight 2 nexthop via 10.1.0.2 dev dum1
ip route show 192.0.2.0/24
ip -j route show 192.0.2.0/24
ip route add 192.0.2.0/24 nexthop via 10.0.0.2 dev dum0
ip route append 192.0.2.0/24 nexthop via 10.2.0.2 dev dum2 nexthop via 10.3.0.2 dev eth0
ip route show 192.0.2.0/24
ip route add 198.51.100.0/24 nexthop via 10.0.0.2 nexthop via 10.1.0.2 nexthop via 10.3.0.2
ip route add 198.51.101.0/24 nexthop via 10.0.0.2 dev dum0 nexthop via 172.16.0.1 dev dum1
ip route add 198.51.102.0/24 nexthop dev dum0 nexthop dev dum1
ip route add 198.51.103.0/24 nexthop via 10.0.0.2 weight 300
ip route show root 198.51.100.0/22
ip route replace 198.51.100.0/24 via 10.0.0.3
ip route show 198.51.100.0/24
## IPv6 multipath
ip -6 route add 2001:db8:100::/48 nexthop via 2001:db8:0:1::2 dev dum0 weight 3 nexthop via 2001:db8:0:2::2 dev dum1
ip -6 route show 2001:db8:100::/48
ip -j -6 route show 2001:db8:100::/48
ip -6 route append 2001:db8:100::/48 nexthop via 2001:db8:0:3::2 dev dum2 nexthop via 2001:db8:0:4::2 dev eth0
ip -6 route show 2001:db8:100::/48
ip -6 route add 2001:db8:101::/48 nexthop dev dum0 nexthop dev dum1
ip -6 route add 2001:db8:102::/48 nexthop via 2001:db8:0:1::2 dev dum0 nexthop via 2001:db8:0:1::2 dev dum0
ip -6 route add 2001:db8:103::/48 via 2001:db8:0:1::2 dev dum0
ip -6 route add 2001:db8:103::/48 nexthop via 2001:db8:0:2::2 dev dum1
ip -6 route show root 2001:db8:100::/46
## carrier loss on eth0: RTNH_F_LINKDOWN on its nexthops (ignore_routes_with_linkdown=0)
ip link set eth0 down
ip route show 192.0.2.0/24
ip route show root 198.51.100.0/22
ip -6 route show 2001:db8:100::/48
ip link set eth0 up
ip route show 192.0.2.0/24
ip -6 route show 2001:db8:100::/48
## admin down of dum2: its nexthops are dead (IPv4) / the IPv6 siblings are removed
ip link set dum2 down
ip route show 192.0.2.0/24
ip -j route show 192.0.2.0/24
ip -6 route show 2001:db8:100::/48
ip link set dum2 up
ip route show 192.0.2.0/24
ip -6 route show 2001:db8:100::/48
## delete of dum1: multipath routes through it go away (IPv4) / lose the nexthop (IPv6)
ip link del dum1
ip route show table main
ip -6 route show table main
## all nexthops down
ip route add 203.0.113.0/24 nexthop via 10.0.0.2 dev dum0 nexthop via 10.2.0.2 dev dum2
ip link set dum0 down
ip link set dum2 down
ip route show 203.0.113.0/24
ip route show table main
ip -6 route show table main
