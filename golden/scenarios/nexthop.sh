# origin: new (issue 13 oracle). Nexthop objects (net/ipv4/nexthop.c): single nexthops, blackhole,
# groups (mpath with weights, resilient), routes using nhid, replace, delete, errors, show filters,
# flush, a nexthop device going down. dum0/dum1 dummies; eth0 netdevsim (carrier off after a down).
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
## single nexthops (a blackhole nexthop needs lo up)
ip nexthop add id 1 via 10.0.0.2 dev dum0
ip nexthop add id 2 via 10.1.0.2 dev dum1
ip nexthop add id 3 dev dum0
ip nexthop add id 4 blackhole
ip link set lo up
ip nexthop add id 4 blackhole
ip nexthop add id 5 via 2001:db8:0:1::2 dev dum0
ip nexthop add id 6 via 10.0.0.3 dev dum0 onlink
ip nexthop add id 7 via 172.16.0.1 dev dum0 onlink
ip nexthop add id 8 via 10.0.0.4 dev dum0 proto 42
ip nexthop add via 10.0.0.5 dev dum0
ip nexthop show
ip -j nexthop show
## errors
ip nexthop add id 1 via 10.0.0.9 dev dum0
ip nexthop add id 11 via 10.0.0.9
ip nexthop add id 12 via 172.16.0.1 dev dum0
ip nexthop add id 13 via 10.0.0.1 dev dum0
ip nexthop add id 14 dev dum2
ip nexthop add id 15 dev nosuch
ip nexthop add id 16 blackhole dev dum0
ip nexthop add id 17 via 10.0.0.9 dev lo
ip nexthop add id 0 via 10.0.0.9 dev dum0
ip nexthop add id 18 via fe80::1 dev dum0
ip nexthop add id 19 dev dum0 fdb
ip nexthop add id 20 via 10.0.0.9 fdb
ip nexthop add id 21 via 2001:db8:0:1::9 fdb
ip nexthop add id 22 via 2001:db8:0:1::1 dev dum0
ip nexthop add id 23 via 10.0.0.9 dev dum0 onlink
## groups
ip nexthop add id 100 group 1/2
ip nexthop add id 101 group 1,3/2,2
ip nexthop add id 102 group 1/5
ip nexthop add id 103 group 4
ip nexthop add id 104 group 4/1
ip nexthop add id 105 group 1/1
ip nexthop add id 106 group 1/99
ip nexthop add id 107 group 100
ip nexthop add id 108 group 1,300
ip nexthop add id 109 group 1/2 type resilient buckets 8 idle_timer 60
ip nexthop add id 110 group 1/2 type resilient
ip nexthop add id 111 group 1/2 type resilient buckets 0
ip nexthop add id 112 group 20
ip nexthop add id 113 group 20/21
ip nexthop add id 114 group 20/1
ip nexthop add id 115 group 1/5
ip nexthop add id 116 group 20 fdb
ip nexthop add id 117 group 20/21 fdb
ip nexthop add id 118 group 1 fdb
ip nexthop show
ip nexthop show id 109
ip nexthop show groups
ip nexthop show dev dum0
ip nexthop show id 999
## routes using nexthop objects
ip route add 192.0.2.0/24 nhid 1
ip route add 192.0.3.0/24 nhid 100
ip route add 192.0.4.0/24 nhid 4
ip route add 192.0.5.0/24 nhid 999
ip route add 192.0.6.0/24 nhid 1 dev dum0
ip route add 192.0.7.0/24 nhid 5
ip -6 route add 2001:db8:100::/48 nhid 5
ip -6 route add 2001:db8:101::/48 nhid 1
ip -6 route add 2001:db8:102::/48 nhid 3
ip route add 192.0.8.0/24 nhid 20
ip route add 192.0.9.0/24 nhid 113
ip route show table main
ip -6 route show table main
ip -j route show 192.0.3.0/24
ip route get 192.0.2.1
## replace: a nexthop's gateway, a group's members, type changes
ip nexthop replace id 1 via 10.0.0.20 dev dum0
ip route show 192.0.2.0/24
ip nexthop replace id 100 group 2
ip nexthop show id 100
ip nexthop replace id 100 via 10.0.0.21 dev dum0
ip nexthop replace id 2 group 1
ip nexthop replace id 109 group 1
ip nexthop replace id 120 via 10.0.0.22 dev dum0
ip nexthop show id 120
## delete: a member leaves its groups, routes using a deleted nexthop go away
ip nexthop del id 2
ip nexthop show id 100
ip route show table main
ip nexthop del id 1
ip nexthop show
ip route show table main
ip nexthop del id 999
## device down: nexthops on it are removed
ip nexthop add id 30 via 10.1.0.30 dev dum1
ip route add 198.51.100.0/24 nhid 30
ip link set dum1 down
ip nexthop show
ip route show table main
## flush
ip nexthop flush
ip nexthop show
ip route show table main
