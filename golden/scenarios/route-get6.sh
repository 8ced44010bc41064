# origin: new (issue 13 oracle). ip route get for IPv6 (inet6_rtm_getroute): output lookups with
# source address selection (ipv6_dev_get_saddr: same address, scope, deprecated, outgoing
# interface, label, longest match, tentative), oif/mark/from/fibmatch, rules, local, multicast
# and error answers, input lookups (iif); IPv4 input lookups (ip_route_input_slow: martians,
# broadcast, local delivery, forwarding, rp_filter).
ip link set lo up
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip -6 addr add 2001:db8:1::1/64 dev dum0
ip -6 addr add 2001:db8:1::2/64 dev dum0 preferred_lft 0
ip -6 addr add fe80::1/64 dev dum0
ip addr add 10.0.0.1/24 dev dum0
ip link add dum1 type dummy
ip link set dum1 addrgenmode none
ip link set dum1 up
ip -6 addr add 2001:db8:2::1/64 dev dum1
ip -6 addr add fd00:2::1/64 dev dum1
ip addr add 10.1.0.1/24 dev dum1
ip -6 route add default via 2001:db8:1::fe
ip -6 route add 2001:db8:100::/48 dev dum1
ip -6 route add 2001:db8:200::/48 via fe80::99 dev dum0
ip -6 route add 2001:db8:300::/48 dev dum0 src 2001:db8:2::1
ip -6 route add fd00:9::/64 dev dum1
ip -6 route add fd00:8::/64 dev dum0
ip -6 route add 2001:db8:400::/48 dev dum0 metric 10
ip -6 route add 2001:db8:400::/48 dev dum1 metric 20
ip -6 route add 2001:db8:500::/48 dev dum1 table 100
ip -6 route add unreachable 2001:db8:600::/48 table 100
ip route add default via 10.0.0.254
## output lookups, source selection
ip -6 route get 2001:db8:1::5
ip -6 route get 2001:db8:1::2
ip -6 route get 2001:db8:99::1
ip -6 route get 2001:db8:100::1
ip -6 route get 2001:db8:200::1
ip -6 route get 2001:db8:300::1
ip -6 route get fd00:9::1
ip -6 route get fd00:8::1
ip -6 route get 2001:db8:400::1
ip -6 route get 2001:db8:2::1
ip -6 route get fe80::5
ip -6 route get fe80::5 oif dum0
ip -6 route get fe80::5 oif dum1
ip -6 route get fe80::1
ip -6 route get ff02::1 oif dum1
ip -6 route get ff05::2 oif dum0
ip -6 route get ff02::1
ip -6 route get ::
ip -6 route get ::ffff:10.0.0.1
ip -6 route get 2001:db8:99::1 oif dum1
ip -6 route get 2001:db8:99::1 oif lo
ip -6 route get 2001:db8:99::1 from 2001:db8:2::1
ip -6 route get 2001:db8:99::1 from 2001:db8:9::9
ip -6 route get 2001:db8:99::1 mark 5
ip -6 route get 2001:db8:99::1 oif nosuchdev
ip -j -6 route get 2001:db8:100::1
ip -6 route get fibmatch 2001:db8:1::5
ip -6 route get fibmatch 2001:db8:1::1
ip -6 route get fibmatch 2001:db8:400::1
ip -6 route get fibmatch 2001:db8:300::1
## rules
ip -6 rule add from 2001:db8:2::/64 table 100
ip -6 rule add fwmark 9 table 100
ip -6 route get 2001:db8:500::1
ip -6 route get 2001:db8:500::1 from 2001:db8:2::1
ip -6 route get 2001:db8:500::1 mark 9
ip -6 route get 2001:db8:600::1 mark 9
ip -6 route get 2001:db8:99::1 mark 9
ip -6 route get fibmatch 2001:db8:500::1 mark 9
ip -6 rule add to 2001:db8:700::/48 prohibit
ip -6 route get 2001:db8:700::1
## input lookups
ip -6 route get 2001:db8:100::1 from 2001:db8:1::9 iif dum0
ip -6 route get 2001:db8:1::1 from 2001:db8:1::9 iif dum0
ip -6 route get 2001:db8:99::1 from 2001:db8:2::9 iif dum1
ip -6 route get 2001:db8:99::1 iif dum1
ip -6 route get fe80::1 from fe80::9 iif dum0
ip -6 route get 2001:db8:100::1 from 2001:db8:1::9 iif nosuchdev
## a tentative address is not a source
ip link add veth0 type veth peer name veth1
ip link set veth0 addrgenmode none
ip link set veth1 addrgenmode none
ip link set veth1 up
ip link set veth0 up
ip -6 addr add 2001:db8:7::1/64 dev veth0
ip -6 route get 2001:db8:7::5
## IPv4 input lookups
ip route get 10.1.0.1 from 10.0.0.9 iif dum0
ip route get 10.1.0.255 from 10.0.0.9 iif dum0
ip route get 255.255.255.255 from 10.0.0.9 iif dum0
ip route get 10.0.0.255 from 10.0.0.9 iif dum0
ip route get 224.0.0.1 from 10.0.0.9 iif dum0
ip route get 10.1.0.5 from 127.0.0.1 iif dum0
ip route get 10.1.0.5 from 224.0.0.5 iif dum0
ip route get 127.0.0.1 from 10.0.0.9 iif dum0
ip route get 0.0.0.0 from 10.0.0.9 iif dum0
ip route get 10.1.0.5 from 0.0.0.0 iif dum0
ip route get 192.0.2.5 from 10.0.0.9 iif dum0
sysctl -w net.ipv4.ip_forward=1
ip route get 10.1.0.5 from 10.0.0.9 iif dum0
ip route get 10.1.0.5 from 10.0.0.9 iif dum0 mark 3
ip route get 192.0.2.5 from 10.0.0.9 iif dum0
ip route get 10.1.0.5 from 10.1.0.9 iif dum0
ip route get 10.1.0.5 from 10.0.0.1 iif dum0
ip route get 10.1.0.5 from 10.0.0.9 iif lo
sysctl -w net.ipv4.conf.all.rp_filter=1
ip route get 10.1.0.5 from 10.1.0.9 iif dum0
ip route get 10.1.0.5 from 10.0.0.9 iif dum0
ip route get 10.1.0.5 from 192.0.2.9 iif dum1
sysctl -w net.ipv4.conf.all.rp_filter=0
ip route add unreachable 198.51.100.0/24
ip route get 198.51.100.1 from 10.0.0.9 iif dum0
ip route get fibmatch 10.1.0.5 from 10.0.0.9 iif dum0
ip link set dum1 down
ip route get 10.1.0.5 from 10.0.0.9 iif dum0
ip route get 10.1.0.5 from 10.0.0.9 iif dum1
