# origin: new (issue 13 oracle). RTM_GETROUTE (ip route get): output routes, from/iif/oif/mark/vrf,
# fibmatch, local/broadcast/multicast answers, error routes, policy rules.
ip link set lo up
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
ip route add default via 10.0.0.254
ip -6 route add default via 2001:db8:0:1::fe
ip route add default via 10.1.0.254 table 100
ip route add unreachable 203.0.113.1
ip route add blackhole 203.0.113.2
ip route add prohibit 203.0.113.3
ip -6 route add unreachable 2001:db8:dead::/48
ip -6 route add blackhole 2001:db8:beef::/48
ip -6 route add prohibit 2001:db8:f00d::/48
## plain lookups
ip route get 192.0.2.5
ip route get 10.0.0.7
ip route get 10.0.0.1
ip route get 10.0.0.255
ip route get 127.0.0.1
ip route get 224.0.0.1
ip route get 255.255.255.255
ip route get 0.0.0.0
ip -j route get 192.0.2.5
ip -d route get 192.0.2.5
## fibmatch: the matching FIB entry instead of the resulting route
ip route get fibmatch 192.0.2.5
ip route get fibmatch 10.0.0.7
ip route get fibmatch 10.0.0.1
## error routes
ip route get 203.0.113.1
ip route get 203.0.113.2
ip route get 203.0.113.3
ip route get fibmatch 203.0.113.1
## from / oif / mark, policy rules
ip rule add from 10.1.0.0/24 table 100
ip rule add fwmark 7 table 100
ip route get 192.0.2.5 from 10.1.0.1
ip route get 192.0.2.5 from 10.0.0.1
ip route get 192.0.2.5 from 10.9.9.9
ip route get 192.0.2.5 mark 7
ip route get 192.0.2.5 oif dum1
ip route get 10.0.0.7 oif dum1
ip route get 192.0.2.5 from 10.1.0.1 oif dum0
ip route get fibmatch 192.0.2.5 mark 7
## iif: input route lookups, forwarding off then on
ip route get 192.0.2.5 from 10.1.0.9 iif dum1
ip route get 10.0.0.1 from 10.1.0.9 iif dum1
ip route get 10.0.0.7 from 10.1.0.9 iif dum1
sysctl -w net.ipv4.ip_forward=1
ip route get 192.0.2.5 from 10.1.0.9 iif dum1
ip route get 192.0.2.5 from 10.0.0.9 iif dum1
ip route get 192.0.2.5 iif dum1
## vrf
ip link add vrf1 type vrf table 10
ip link set vrf1 up
ip link add dum2 type dummy
ip link set dum2 addrgenmode none
ip link set dum2 master vrf1
ip link set dum2 up
ip addr add 10.2.0.1/24 dev dum2
ip route get 10.2.0.5
ip route get vrf vrf1 10.2.0.5
ip route get vrf vrf1 192.0.2.5
ip route get 10.2.0.5 oif dum2
ip route get fibmatch vrf vrf1 10.2.0.5
## no default route
ip route del default
ip route get 192.0.2.5
ip route get fibmatch 192.0.2.5
## IPv6
ip -6 route get 2001:db8:0:1::5
ip -6 route get 2001:db8:0:1::1
ip -6 route get 2001:db8:99::1
ip -6 route get ::1
ip -6 route get fe80::5 oif dum0
ip -6 route get ff02::1
ip -6 route get 2001:db8:dead::1
ip -6 route get 2001:db8:beef::1
ip -6 route get 2001:db8:f00d::1
ip -6 route get fibmatch 2001:db8:99::1
ip -6 route get fibmatch 2001:db8:0:2::5
ip -6 route get 2001:db8:99::1 from 2001:db8:0:2::1
ip -j -6 route get 2001:db8:0:1::5
ip -6 route del default
ip -6 route get 2001:db8:99::1
ip -6 route get fibmatch 2001:db8:99::1
