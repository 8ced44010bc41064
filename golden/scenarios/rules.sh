# origin: new (issue 13 oracle). Policy routing rules (net/core/fib_rules.c, fib4_rule_configure,
# fib6_rule_configure): defaults, every selector iproute2 6.1 offers, actions, duplicates, delete by
# selector, goto checks, the l3mdev rule a vrf adds, flush.
ip link add dum0 type dummy
ip link set dum0 up
## defaults
ip rule show
ip -6 rule show
ip -j rule show
## selectors (IPv4)
ip rule add from 10.0.0.0/8 table 100
ip rule add from 10.0.0.0/8 table 100
ip rule add to 192.0.2.0/24 table 101 priority 100
ip rule add iif dum0 table 102
ip rule add oif dum0 table 103
ip rule add iif nosuch table 104
ip rule add fwmark 0x10 table 105
ip rule add fwmark 0x10/0xff table 106
ip rule add tos 0x10 table 107
ip rule add dsfield 0x20 table 108
ip rule add uidrange 1000-2000 table 109
ip rule add uidrange 2000-1000 table 109
ip rule add ipproto tcp table 110
ip rule add ipproto 6 table 110
ip rule add ipproto 17 sport 1000-2000 table 111
ip rule add ipproto 6 dport 80 table 112
ip rule add dport 2000-1000 table 112
ip rule add from 10.1.0.0/16 table main suppress_prefixlength 0
ip rule add from 10.2.0.0/16 table main suppress_ifgroup 5
ip rule add from all lookup 200 priority 200
ip rule add from 10.3.0.0/16 blackhole
ip rule add from 10.4.0.0/16 unreachable
ip rule add from 10.5.0.0/16 prohibit
ip rule add from 10.6.0.0/16 nop
ip rule add from 10.7.0.0/16 priority 300 goto 400
ip rule add from 10.7.0.0/16 priority 500 goto 400
ip rule add from 10.7.0.0/16 priority 400 table 113
ip rule add from 10.8.0.0/16 tun_id 5 table 114
ip rule add from 10.9.0.0/16 realms 3/4 table 115
ip rule add from 10.10.0.0/16 protocol 42 table 116
ip rule add not from 10.11.0.0/16 table 117
ip rule add from 10.12.0.5/16 table 118
ip rule add priority 0 from 10.13.0.0/16 table 119
ip rule add priority 32766 from 10.14.0.0/16 table 120
ip rule add table 121
ip rule show
ip -j rule show
## iproute2 6.1 sends no NLM_F_EXCL for rules (duplicates above); with it (nlraw) an identical rule is EEXIST
nlraw 34000000200005060100000000000000020008006400000100000000080002000a00000008000600fd7f000008000f0064000000
nlraw 2c000000200005060100000000000000020008006400000100000000080002000a00000008000f0064000000
ip rule add from 10.0.0.0/8 table 130
ip rule add from 10.0.0.0/8 table 100 priority 5
ip rule show from 10.0.0.0/8
## show filters
ip rule show table 100
ip rule show priority 100
ip rule show iif dum0
ip rule show fwmark 0x10/0xff
ip rule show uidrange 1000-2000
ip rule show ipproto 6
ip rule show protocol 42
ip rule show not
ip rule list lookup main
## delete by each selector, by priority, missing, a goto target
ip rule del from 10.0.0.0/8 table 130
ip rule del to 192.0.2.0/24
ip rule del iif dum0
ip rule del oif dum0 table 103
ip rule del fwmark 0x10
ip rule del tos 0x10
ip rule del uidrange 1000-2000
ip rule del ipproto 6 dport 80
ip rule del priority 200
ip rule del priority 400
ip rule show priority 300
ip rule del from 10.99.0.0/16
ip rule del priority 12345
ip rule del table 121
## IPv6 rules
ip -6 rule add from 2001:db8::/32 table 100
ip -6 rule add to 2001:db8:1::/48 table 101 priority 50
ip -6 rule add from 2001:db8::/32 table 100
ip -6 rule add from 2001:db8::/32 ipproto 17 dport 53 table 102
ip -6 rule add from 2001:db8::/32 tos 0x10 table 103
ip -6 rule add from 2001:db8::/32 prohibit
ip -6 rule show
ip -6 rule del from 2001:db8::/32 table 100
## the default rules can be deleted
ip -6 rule del priority 32766
ip -6 rule show
ip rule del priority 32767
ip rule show priority 32767
## a vrf adds the l3mdev rule at 1000 (IPv4 and IPv6)
ip link add vrf1 type vrf table 10
ip rule show priority 1000
ip -6 rule show priority 1000
ip rule add l3mdev priority 1000
ip rule add l3mdev table 5
## flush: everything but the permanent local rule (priority 0)
ip rule flush
ip rule show
ip -6 rule flush
ip -6 rule show
ip rule del priority 0
ip rule show
ip rule del priority 0
ip rule show
ip -6 rule del priority 0
ip -6 rule show
