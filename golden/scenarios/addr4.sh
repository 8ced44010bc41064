# origin: new (issue 13 oracle). IPv4 address attributes beyond addr.sh: labels, broadcast, peers,
# scopes, flags, prefix-route metric, lifetimes, replace/change, show filters, delete forms, 0.0.0.0.
# eth0..eth2 are netdevsim ports (not NOARP); dum0 is a dummy (NOARP).
## labels: iproute2 checks "label" against "dev"; the kernel itself takes any label (nlraw)
ip link add dum0 type dummy
ip link set eth1 addrgenmode none
ip link set eth2 addrgenmode none
ip link set dum0 addrgenmode none
ip link set eth1 up
ip link set eth2 up
ip link set dum0 up
ip addr add 10.1.0.1/24 dev eth0 label eth0:1
ip addr add 10.1.0.2/24 dev eth0 label eth0:foo
ip addr add 10.1.0.3/24 dev eth0 label foo
nlraw 300000001400050601000000000000000218000002000000080002000a010009080001000a0100090800030062617200
ip addr show dev eth0
ip addr show label eth0:1
ip addr show label 'eth0:*'
## rtm_to_ifaddr errors (nlraw): prefixlen 33, no IFA_LOCAL, unknown ifindex, valid_lft 0, preferred > valid
nlraw 200000001400050601000000000000000221000002000000080002000a010009
nlraw 200000001400050601000000000000000218000002000000080001000a010009
nlraw 200000001400050601000000000000000218000063000000080002000a010009
nlraw 340000001400050601000000000000000218000002000000080002000a0100091400060000000000000000000000000000000000
nlraw 340000001400050601000000000000000218000002000000080002000a01000914000600140000000a0000000000000000000000
## broadcast: brd +, explicit, brd -
ip addr add 10.5.0.1/24 brd + dev eth1
ip addr add 10.5.1.1/24 broadcast 10.5.1.127 dev eth1
ip addr add 10.5.2.1/24 brd - dev eth1
ip addr add 10.5.3.1/31 brd + dev eth1
ip addr show dev eth1
ip route show table local dev eth1
## peers: /32 peer, a peer prefix
ip addr add 10.6.0.1 peer 10.6.0.2 dev eth1
ip addr add 10.6.1.1 peer 10.6.2.0/24 dev eth1
ip addr add 10.6.1.1 peer 10.6.3.0/24 dev eth1
ip addr show dev eth1 to 10.6.0.0/16
ip route show table all dev eth1
## scopes: host, link, global, numeric; same subnet with another scope
ip addr add 10.2.0.1/24 dev dum0 scope host
ip addr add 10.2.0.2/24 dev dum0 scope link
ip addr add 10.2.1.1/24 dev dum0 scope link
ip addr add 10.2.2.1/24 dev dum0 scope 100
ip addr add 10.2.3.1/24 dev dum0 scope global
ip addr show dev dum0
ip addr show dev dum0 scope link
ip addr show dev dum0 scope host
ip route show table all dev dum0
## flags: noprefixroute, home, nodad (IPv6-only flags are dropped on IPv4), metric, autojoin
ip addr add 10.8.0.1/24 dev dum0 noprefixroute
ip addr add 10.8.1.1/24 dev dum0 home nodad
ip addr add 10.8.2.1/24 dev dum0 metric 100
ip addr add 224.1.1.1/32 dev dum0 autojoin
ip addr add 224.1.1.2/32 dev dum0
ip addr show dev dum0 to 10.8.0.0/16
ip addr show dev dum0 to 224.0.0.0/4
ip maddr show dev dum0
ip -j addr show dev dum0 to 10.8.0.0/16
ip route show dev dum0
ip route show table local dev dum0
## lifetimes, change, replace (NLM_F_REPLACE), a prefix-route metric change on replace
ip addr add 10.7.0.1/24 dev eth2 valid_lft 100 preferred_lft 50
ip addr show dev eth2
ip addr add 10.7.0.1/24 dev eth2 valid_lft 100 preferred_lft 200
ip addr change 10.7.0.1/24 dev eth2 valid_lft forever preferred_lft forever
ip addr change 10.7.0.9/24 dev eth2
ip addr replace 10.7.0.1/24 dev eth2 valid_lft 60 preferred_lft 0
ip addr show dev eth2
ip addr show dev eth2 dynamic
ip addr show dev eth2 permanent
ip addr show dev eth2 deprecated
ip addr add 10.7.0.1/24 dev eth2 metric 5
ip addr replace 10.7.0.1/24 dev eth2 metric 5
ip route show table main dev eth2
ip addr replace 10.7.0.1/24 dev eth2 label eth2:x scope link
ip addr show dev eth2
ip addr add 10.7.1.1/24 dev eth2 valid_lft 1 preferred_lft 1
sleep 3
ip addr show dev eth2
## primary / secondary filters
ip addr show dev eth0 primary
ip addr show dev eth0 secondary
## delete forms: without prefix length (wildcard), by label, by address + label mismatch
ip addr del 10.1.0.2 dev eth0
ip addr del 10.1.0.1/24 dev eth0 label eth0:9
ip addr del 10.1.0.1/24 dev eth0 label eth0:1
ip addr add 10.1.0.4/24 dev eth0 label eth0:4
ip addr del dev eth0 label eth0:4
ip -4 addr del dev eth0 label eth0:4
ip addr show dev eth0
## 0.0.0.0: accepted and ignored by __inet_insert_ifa
ip addr add 0.0.0.0/24 dev eth1
ip addr add 0.0.0.0 dev eth1
ip addr replace 0.0.0.0/8 dev eth1
ip addr del 0.0.0.0/24 dev eth1
## flush
ip -4 addr flush dev eth1
ip addr show dev eth1
ip -4 addr flush label 'dum0'
ip addr show dev dum0
ip -4 addr flush scope link
ip route show table all
ip -4 addr show
