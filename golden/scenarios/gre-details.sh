# origin: written for nlsim (issue 6) as a probe of GRE/GENEVE details beyond the catalog; transcript golden/kernel/6.12/gre-details.txt from the oracle.
## probe: gre details
ip link add gre1 type gre remote 192.0.2.1 local 192.0.2.2
ip link set gre1 type gretap
ip -d link show dev gre1
ip link set gre1 type gretap ttl 9
ip -d link show dev gre1
ip link set gre1 type gre ttl 9
ip -d link show dev gre1
ip link add gre9 type gre remote 192.0.2.5 mtu 70000
ip -o link show dev gre9
ip link add gre10 type gre remote 192.0.2.6
ip link set gre10 type gre remote 192.0.2.6 key 7
ip -d link show dev gre10
ip link set gre10 type gre remote any
ip link add gx type gre external
ip link add gx2 type gre external
ip -d link show dev gx
ip link add gm type gre remote 239.1.1.1 local 192.0.2.2
ip -d link show dev gm
ip link set gm up
ip link add gw type gre local 192.0.2.7
ip -d link show dev gw
ip link set gw mtu 65511
ip link set gw mtu 65512
ip link set gw mtu 67
ip link set gre1 address 1.2.3.4
ip link add gt1 type gretap remote 192.0.2.1
ip link set gt1 mtu 65497
ip link set gt1 mtu 65498
ip link add gt0 type gretap remote any
ip link add g6 type ip6gre remote 2001:db8::1 local 2001:db8::2
ip link set g6 mtu 65531
ip link set g6 mtu 65532
ip link add g6w type ip6gre
ip -d link show dev g6w
ip link set g6w mtu 65359
ip link set g6w mtu 65360
ip link add g6t type ip6gretap remote 2001:db8::1 local 2001:db8::2
ip link set g6t mtu 65359
ip link set g6t mtu 65360
ip link add g6c type ip6gre remote 2001:db8::31 local 2001:db8::32
ip link add g6u type ip6gretap remote 2001:db8::41 local 2001:db8::32
ip link add g6v type ip6gretap remote 2001:db8::42 local 2001:db8::32
ip link set g6v type ip6gretap remote 2001:db8::41 local 2001:db8::32
ip link set g6v type ip6gretap remote 2001:db8::31 local 2001:db8::32
ip link set g6c type ip6gre remote 2001:db8::1 local 2001:db8::2
ip link add g6ll type ip6gre remote fe80::1 local fe80::2
ip -o link show dev g6ll
ip link add g6m type ip6gre remote ff02::1 local 2001:db8::2
ip -o link show dev g6m
ip link add g6x type ip6gre external
ip link add g6x2 type ip6gretap external
ip link add g6x3 type ip6gre external
ip -d link show dev g6x
ip link add g6e type ip6gre remote 2001:db8::51 mtu 1000
ip -o link show dev g6e
ip link add g6f type ip6gre remote 2001:db8::52 mtu 70000
ip -o link show dev g6f
ip link add gre20 type gre remote 192.0.2.30 dev eth1
ip link set eth2 mtu 2000
ip link set gre20 type gre remote 192.0.2.30 dev eth2
ip -o link show dev gre20
ip link set gre20 mtu 1200
ip link set gre20 type gre remote 192.0.2.30 dev eth1
ip -o link show dev gre20
ip link set gre20 type gre remote 192.0.2.30 dev eth1 key 3
ip -o link show dev gre20
ip link add gre21 type gre remote 192.0.2.31 dev eth1 mtu 1000
ip -o link show dev gre21
ip link set gre21 type gre remote 192.0.2.31 dev eth2 mtu 1100
ip -o link show dev gre21
ip link set gre1 up
ip link set gt1 up
ip link set g6 up
ip -br link show
ip -d link show dev gre1
ip link set gre1 type gre remote 192.0.2.1 local 192.0.2.2 ignore-df
ip link set gre1 type gre remote 192.0.2.1 local 192.0.2.2 nopmtudisc ignore-df
ip -d link show dev gre1
## ipgre_changelink: collect_md cannot be turned on for an existing device (gre and gretap alike)
ip link set gre1 type gre external
ip link set gt1 type gretap external
ip -d link show dev gt1
