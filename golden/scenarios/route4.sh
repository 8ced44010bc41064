# origin: new (issue 13 oracle). IPv4 routes: add/del/replace/append/change/prepend, tables, types,
# scope, proto, metric, tos, gateways and their checks (fib_check_nh), prefsrc, metrics, duplicates,
# dump filters, flush. dum0/dum1 are dummies (up), eth1 stays down.
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip addr add 10.0.0.1/24 dev dum0
ip link add dum1 type dummy
ip link set dum1 addrgenmode none
ip link set dum1 up
ip addr add 10.1.0.1/24 dev dum1
ip addr add 10.2.0.1/24 dev eth1
## add / duplicate (NLM_F_EXCL) / append / prepend / replace / change
ip route add 192.0.2.0/24 via 10.0.0.2
ip route add 192.0.2.0/24 via 10.0.0.3
ip route append 192.0.2.0/24 via 10.0.0.3
ip route prepend 192.0.2.0/24 via 10.0.0.4
ip route show 192.0.2.0/24
ip route replace 192.0.2.0/24 via 10.1.0.2
ip route show 192.0.2.0/24
ip route change 192.0.2.0/24 via 10.1.0.3
ip route change 198.51.100.0/24 via 10.1.0.3
ip route show 192.0.2.0/24
ip route replace 198.51.100.0/24 dev dum1
ip route add 10.0.0.5/24 dev dum0
ip route add 203.0.113.0/33 dev dum0
## metric / priority: same destination, different metrics coexist; tos
ip route add 192.0.2.0/24 via 10.0.0.2 metric 100
ip route add 192.0.2.0/24 via 10.0.0.2 metric 100
ip route add 192.0.2.0/24 dev dum1 metric 200 tos 0x10
ip route show 192.0.2.0/24
ip route del 192.0.2.0/24 metric 100
ip route del 192.0.2.0/24 metric 100
ip route show 192.0.2.0/24
## types, in the main table and in table 100 / a named table
ip route add blackhole 203.0.113.1
ip route add unreachable 203.0.113.2
ip route add prohibit 203.0.113.3
ip route add throw 203.0.113.4 table 100
ip route add local 203.0.113.5 dev dum0
ip route add broadcast 203.0.113.6 dev dum0
ip route add multicast 239.1.0.0/16 dev dum0
ip route add anycast 203.0.113.7 dev dum0
ip route add nat 203.0.113.8 via 10.0.0.9
ip route add blackhole 203.0.113.9 dev dum0
ip route add unreachable 203.0.113.10 via 10.0.0.2
ip route add 203.0.113.11 dev dum0 table 100
ip route add 203.0.113.12 dev dum0 table 4000000000
ip route add 203.0.113.13 dev dum0 table local
ip route show table 100
ip route show table 4000000000
ip route show type blackhole
ip route show table local type local
ip route show table all type unreachable
## scope and proto
ip route add 203.0.113.20 dev dum0 scope host
ip route add 203.0.113.21 dev dum0 scope global
ip route add 203.0.113.22 via 10.0.0.2 scope link
ip route add 203.0.113.23 dev dum0 proto static
ip route add 203.0.113.24 dev dum0 proto 42
ip route add 203.0.113.25 dev dum0 proto boot
ip route add local 203.0.113.26 dev dum0 scope link
ip route show proto static
ip route show proto 42
ip route show scope host
## gateways: unreachable gateway, onlink, gateway that is a local address, down device, no device
ip route add 198.18.0.0/16 via 172.16.0.1
ip route add 198.18.0.0/16 via 172.16.0.1 dev dum0
ip route add 198.18.0.0/16 via 172.16.0.1 dev dum0 onlink
ip route add 198.19.0.0/16 via 10.0.0.1
ip route add 198.19.0.0/16 via 10.0.0.1 dev dum0 onlink
ip route add 198.19.1.0/24 via 10.2.0.2
ip route add 198.19.2.0/24 dev eth1
ip route add 198.19.3.0/24 via 10.2.0.2 dev eth1 onlink
ip route add 198.19.4.0/24 via 10.0.0.2 dev dum1
ip route add 198.19.5.0/24 dev nosuch
ip route add 198.19.6.0/24 via 10.0.0.2 dev lo onlink
ip route show root 198.18.0.0/15
## prefsrc
ip route add 198.20.0.0/16 dev dum0 src 10.0.0.1
ip route add 198.20.1.0/24 dev dum0 src 10.0.0.99
ip route add 198.20.2.0/24 dev dum0 src 10.1.0.1
## metrics
ip route add 198.21.0.0/16 via 10.0.0.2 mtu lock 1400 advmss 1360 window 65535 rtt 100ms rttvar 50ms initcwnd 10 initrwnd 20 hoplimit 5 quickack 1 congctl cubic
ip route show 198.21.0.0/16
ip -j route show 198.21.0.0/16
ip -d route show 198.21.0.0/16
## delete: missing route, wrong gateway, by type/table
ip route del 198.22.0.0/16
ip route del 192.0.2.0/24 via 10.0.0.77
ip route del 203.0.113.11 table 100
ip route del 203.0.113.11 table 101
ip route del blackhole 203.0.113.1 dev dum0
ip route del unreachable 203.0.113.1
ip route del blackhole 203.0.113.1
## dump filters: list match/root/exact, dev, table/proto/type
ip route list match 203.0.113.5
ip route list match 198.19.0.1
ip route list table local match 203.0.113.5
ip route list root 192.0.2.0/16
ip route list exact 192.0.2.0/24
ip route show dev dum1
ip route show table main proto kernel
ip route show table all type broadcast dev dum1
ip -j route show table 100
ip route show table 5
## flush
ip route flush table 100
ip route show table 100
ip route flush dev dum1
ip route show dev dum1
ip route flush proto 42
ip route flush cache
ip route show table main
## raw requests (nlraw): dst_len 33, rtm_type > RTN_MAX, rtm_flags RTNH_F_DEAD, unknown RTA_OIF
nlraw 2c00000018000506010000000000000002210000fe0300010000000008000100c63364000800040005000000
nlraw 2c00000018000506010000000000000002180000fe03000c0000000008000100c63364000800040005000000
nlraw 2c00000018000506010000000000000002180000fe03fd010100000008000100c63364000800040005000000
nlraw 2c00000018000506010000000000000002180000fe03fd010000000008000100c63364000800040063000000
