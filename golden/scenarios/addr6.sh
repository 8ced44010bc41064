# origin: new (issue 13 oracle). IPv6 manual addresses: flags, lifetimes, replace/change, prefix
# routes and their metric, errors. eth0 is a netdevsim port (DAD runs: tentative < 1 s after add,
# settled after sleep 3); dum0 is a dummy (NOARP: no DAD).
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip link set eth0 addrgenmode none
ip link set eth0 up
## DAD on eth0: nodad, optimistic (dropped unless optimistic_dad=1)
ip -6 addr add 2001:db8:1::1/64 dev eth0
ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad
ip -6 addr add 2001:db8:1::3/64 dev eth0 optimistic
ip -6 addr show dev eth0
sysctl -w net.ipv6.conf.eth0.optimistic_dad=1
ip -6 addr add 2001:db8:1::4/64 dev eth0 optimistic
ip -6 addr add 2001:db8:1::5/64 dev eth0 optimistic nodad
ip -6 addr show dev eth0 to 2001:db8:1::4/128
sleep 3
ip -6 addr show dev eth0
ip -6 route show table all dev eth0
## flags on dum0: noprefixroute, home, mngtmpaddr (/64 only), metric
ip -6 addr add 2001:db8:2::1/64 dev dum0 noprefixroute
ip -6 addr add 2001:db8:3::1/64 dev dum0 home
ip -6 addr add 2001:db8:4::1/64 dev dum0 mngtmpaddr
ip -6 addr add 2001:db8:4::2/56 dev dum0 mngtmpaddr
ip -6 addr add 2001:db8:5::1/64 dev dum0 metric 100
ip -6 addr add 2001:db8:6::1/128 dev dum0
ip -6 addr add 2001:db8:7::1/48 dev dum0
ip -6 addr add 2001:db8:7::2/48 dev dum0
ip -6 addr show dev dum0
ip -j -6 addr show dev dum0
ip -6 route show table all dev dum0
## multicast: autojoin required
ip -6 addr add ff05::2/128 dev dum0
ip -6 addr add ff05::1/128 dev dum0 autojoin
ip -6 addr show dev dum0 to ff00::/8
ip -6 maddr show dev dum0
## errors: ::, ::1 on a non-loopback, v4-mapped, duplicate, delete of a missing address, prefix > 128
ip -6 addr add ::/64 dev dum0
ip -6 addr add ::1/128 dev dum0
ip -6 addr add ::ffff:1.2.3.4/128 dev dum0
ip -6 addr show dev dum0 to ::ffff:0:0/96
ip -6 addr add 2001:db8:2::1/64 dev dum0
ip -6 addr add 2001:db8:2::1/80 dev dum0
ip -6 addr del 2001:db8:99::1/64 dev dum0
ip -6 addr del 2001:db8:2::1/80 dev dum0
ip -6 addr del 2001:db8:2::1 dev dum0
ip -6 addr add 2001:db8:8::1/129 dev dum0
## lifetimes: preferred 0 -> deprecated; change and replace (the prefix route's expires counts down: not shown); expiry
ip -6 addr add 2001:db8:9::1/64 dev dum0 valid_lft 100 preferred_lft 0
ip -6 addr show dev dum0 to 2001:db8:9::/64
ip -6 addr change 2001:db8:9::1/64 dev dum0 valid_lft forever preferred_lft forever
ip -6 addr show dev dum0 to 2001:db8:9::/64
ip -6 addr replace 2001:db8:9::1/64 dev dum0 metric 300 noprefixroute
ip -6 route show table all dev dum0 match 2001:db8:9::/64
ip -6 addr replace 2001:db8:9::1/64 dev dum0 metric 300
ip -6 route show table all dev dum0 match 2001:db8:9::/64
ip -6 addr change 2001:db8:a::1/64 dev dum0
ip -6 addr show dev dum0 to 2001:db8:a::/64
ip -6 addr add 2001:db8:b::1/64 dev dum0 valid_lft 1 preferred_lft 0 noprefixroute
ip -6 addr show dev dum0 to 2001:db8:b::/64
sleep 3
ip -6 addr show dev dum0 to 2001:db8:b::/64
ip -6 route show table local dev dum0 match 2001:db8:b::/64
## MTU below 1280: the inet6_dev goes, adds fail; back to 1280
ip link add dum1 type dummy
ip link set dum1 up
ip -6 addr add 2001:db8:c::1/64 dev dum1
ip link set dum1 mtu 1200
ip -6 addr show dev dum1
ip -6 addr add 2001:db8:c::2/64 dev dum1
ip link set dum1 mtu 1280
ip -6 addr show dev dum1
ip -6 addr add 2001:db8:c::3/64 dev dum1
ip -6 addr show dev dum1
## flush
ip -6 addr flush dev dum0 scope global
ip -6 addr show dev dum0
## raw requests (nlraw) iproute2 cannot send: prefixlen 129, valid_lft 0, preferred > valid, unknown
## ifindex, no address; RTM_DELADDR on an unknown ifindex
nlraw 2c0000001400050601000000000000000a810000050000001400010020010db800ee00000000000000000001
nlraw 400000001400050601000000000000000a400000050000001400010020010db800ee000000000000000000011400060000000000000000000000000000000000
nlraw 400000001400050601000000000000000a400000050000001400010020010db800ee0000000000000000000114000600140000000a0000000000000000000000
nlraw 2c0000001400050601000000000000000a400000630000001400010020010db800ee00000000000000000001
nlraw 180000001400050601000000000000000a40000005000000
nlraw 2c0000001500050001000000000000000a400000630000001400010020010db800ee00000000000000000001
