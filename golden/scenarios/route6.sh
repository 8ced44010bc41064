# origin: new (issue 13 oracle). IPv6 routes: add/del/replace/append (append of a gateway route to an
# existing gateway route merges into multipath), types, metric (default 1024 for user routes, 256
# for kernel prefix routes), pref, expires, gateways (link-local needs a dev), src, the kernel's own
# local/multicast routes, flush. dum0/dum1 are dummies (up, addrgenmode none), eth1 stays down.
ip link add dum0 type dummy
ip link set dum0 addrgenmode none
ip link set dum0 up
ip -6 addr add 2001:db8:0:1::1/64 dev dum0
ip link add dum1 type dummy
ip link set dum1 addrgenmode none
ip link set dum1 up
ip -6 addr add 2001:db8:0:2::1/64 dev dum1
ip -6 addr add fe80::1/64 dev dum1
ip -6 addr add 2001:db8:0:3::1/64 dev eth1
## add / duplicate / append (merges into multipath) / prepend / replace / change
ip -6 route add 2001:db8:100::/48 via 2001:db8:0:1::2
ip -6 route add 2001:db8:100::/48 via 2001:db8:0:1::3
ip -6 route append 2001:db8:100::/48 via 2001:db8:0:1::3
ip -6 route append 2001:db8:100::/48 via 2001:db8:0:2::3
ip -6 route show 2001:db8:100::/48
ip -6 route prepend 2001:db8:100::/48 via 2001:db8:0:2::4
ip -6 route show 2001:db8:100::/48
ip -6 route replace 2001:db8:100::/48 via 2001:db8:0:2::2
ip -6 route show 2001:db8:100::/48
ip -6 route change 2001:db8:100::/48 via 2001:db8:0:2::5
ip -6 route change 2001:db8:101::/48 via 2001:db8:0:2::5
ip -6 route show 2001:db8:100::/48
ip -6 route add 2001:db8:102::/48 dev dum0
ip -6 route append 2001:db8:102::/48 dev dum1
ip -6 route show 2001:db8:102::/48
ip -6 route add 2001:db8:103::1/48 dev dum0
ip -6 route show 2001:db8:103::/48
## metric: same destination, different metrics coexist; pref; expires (shown at once: floor of 100 s minus the elapsed ms = 99sec)
ip -6 route add 2001:db8:104::/48 dev dum0 metric 100
ip -6 route add 2001:db8:104::/48 dev dum0 metric 200 pref high
ip -6 route add 2001:db8:104::/48 dev dum1 metric 100
ip -6 route add 2001:db8:105::/48 dev dum0 pref low
ip -6 route add 2001:db8:106::/48 dev dum0 expires 100
ip -6 route show 2001:db8:104::/48
ip -6 route show 2001:db8:105::/48
ip -6 route show 2001:db8:106::/48
ip -6 route del 2001:db8:106::/48
ip -6 route del 2001:db8:104::/48 metric 100
ip -6 route show 2001:db8:104::/48
ip -6 route del 2001:db8:104::/48
ip -6 route del 2001:db8:104::/48
## types and tables
ip -6 route add blackhole 2001:db8:200::/48
ip -6 route add unreachable 2001:db8:201::/48
ip -6 route add prohibit 2001:db8:202::/48
ip -6 route add throw 2001:db8:203::/48 table 100
ip -6 route add local 2001:db8:204::1 dev dum0
ip -6 route add anycast 2001:db8:205::1 dev dum0
ip -6 route add multicast ff15::/16 dev dum0
ip -6 route add broadcast 2001:db8:206::1 dev dum0
ip -6 route add nat 2001:db8:207::1 dev dum0
ip -6 route add blackhole 2001:db8:208::/48 dev dum0
ip -6 route add 2001:db8:209::/48 dev dum0 table 100
ip -6 route add 2001:db8:20a::/48 dev dum0 proto 42 table 200
ip -6 route show table all type unreachable
ip -6 route show type blackhole
ip -6 route show table 100
ip -6 route show table 200 proto 42
## gateways: link-local needs a dev, local address, unreachable, onlink, down device, loopback
ip -6 route add 2001:db8:300::/48 via fe80::2
ip -6 route add 2001:db8:300::/48 via fe80::2 dev dum1
ip -6 route add 2001:db8:301::/48 via 2001:db8:0:1::1
ip -6 route add 2001:db8:302::/48 via 2001:db8:99::1
ip -6 route add 2001:db8:302::/48 via 2001:db8:99::1 dev dum0
ip -6 route add 2001:db8:303::/48 via 2001:db8:99::1 dev dum0 onlink
ip -6 route add 2001:db8:304::/48 via 2001:db8:0:3::2
ip -6 route add 2001:db8:305::/48 dev eth1
ip -6 route add 2001:db8:306::/48 via 2001:db8:0:1::2 dev dum1
ip -6 route add 2001:db8:307::/48 dev lo
ip -6 route add 2001:db8:308::/48 via ::ffff:10.0.0.1 dev dum0
ip -6 route add 2001:db8:309::/48 via 2001:db8:0:1::2 dev nosuch
ip -6 route show root 2001:db8:300::/40
## src
ip -6 route add 2001:db8:400::/48 dev dum0 src 2001:db8:0:1::1
ip -6 route add 2001:db8:401::/48 dev dum0 src 2001:db8:0:99::1
ip -6 route add 2001:db8:402::/48 dev dum0 src 2001:db8:0:2::1
ip -6 route add 2001:db8:403::/48 from 2001:db8::/32 dev dum0
ip -6 route show root 2001:db8:400::/46
## metrics
ip -6 route add 2001:db8:500::/48 via 2001:db8:0:1::2 mtu 1400 advmss 1340 hoplimit 10 initcwnd 10
ip -6 route show 2001:db8:500::/48
ip -j -6 route show 2001:db8:500::/48
## the kernel's own routes: fe80::/64 per device, local and multicast in table local
ip -6 route show table local
ip -6 route show table main dev dum1
## delete
ip -6 route del 2001:db8:999::/48
ip -6 route del 2001:db8:200::/48
ip -6 route del 2001:db8:200::/48
ip -6 route del 2001:db8:102::/48 dev dum1
ip -6 route show 2001:db8:102::/48
## flush
ip -6 route flush table 100
ip -6 route show table 100
ip -6 route flush dev dum1
ip -6 route show table all dev dum1
ip -6 route flush proto 42 table all
ip -6 route show table main
## raw requests (nlraw): dst_len 129, rtm_type > RTN_MAX, unknown RTA_OIF, a 4-byte RTA_GATEWAY
nlraw 380000001800050601000000000000000a810000fe030001000000001400010020010db800ee000000000000000000000800040005000000
nlraw 380000001800050601000000000000000a300000fe03000c000000001400010020010db800ee000000000000000000000800040005000000
nlraw 380000001800050601000000000000000a300000fe030001000000001400010020010db800ee000000000000000000000800040063000000
nlraw 400000001800050601000000000000000a300000fe030001000000001400010020010db800ee000000000000000000000800040005000000080005000a000001
