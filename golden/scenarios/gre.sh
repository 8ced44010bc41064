# origin: ../shared/kernel-transcripts/scenarios/gre.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## GRE family: gre/gretap/ip6gre/ip6gretap, duplicate tunnel params, MTU, bridging
ip link add gre1 type gre remote 192.0.2.1 local 192.0.2.2   # GRE-CREATE
ip -d link show dev gre1   # GRE-CREATE
ip link add gre2 type gre remote 192.0.2.1 local 192.0.2.2   # GRE-DUP
ip link add gre3 type gre remote 192.0.2.1 local 192.0.2.2 key 5   # GRE-KEY
ip link add gt1 type gretap remote 192.0.2.1 local 192.0.2.2   # GRETAP-SEPARATE
ip -d link show dev gt1   # GRETAP-CREATE
ip link add gt2 type gretap remote 192.0.2.1 local 192.0.2.2   # GRETAP-SEPARATE
ip link add gt3 type gretap remote 192.0.2.3 local 192.0.2.2
ip link add g6 type ip6gre remote 2001:db8::1 local 2001:db8::2   # IP6GRE-CREATE
ip -d link show dev g6   # IP6GRE-CREATE
ip link add g6b type ip6gre remote 2001:db8::1 local 2001:db8::2   # IP6GRE-CREATE
ip link add g6t type ip6gretap remote 2001:db8::1 local 2001:db8::2   # IP6GRE-CREATE
ip -d link show dev g6t   # IP6GRE-CREATE
ip link add gre4 type gre   # GRE-WILDCARD
ip link add gre5 type gre   # GRE-WILDCARD
ip link add gre6 type gre remote 2001:db8::1   # GRE-FAMILY
ip link add gre7 type gre remote 192.0.2.9 dev eth0   # GRE-DEV-MTU
ip link set eth0 mtu 9000   # GRE-DEV-MTU
ip link add gre8 type gre remote 192.0.2.10 dev eth0   # GRE-DEV-MTU
ip -o link show dev gre7   # GRE-DEV-MTU
ip -o link show dev gre8   # GRE-DEV-MTU
ip link set gre1 mtu 65000   # GRE-MTU-MAX
ip link set gre1 mtu 70000   # GRE-MTU-MAX
ip link set gt1 mtu 65000
ip link set gre1 type gre ttl 64
ip link set gre1 type gre remote 192.0.2.1 local 192.0.2.2 key 5   # GRE-CHANGE-CLASH
ip link set gre1 type gretap
ip link add br0 type bridge
ip link set gt1 master br0   # GRE-BRIDGE
ip link set gre1 master br0   # BR-ENSLAVE-NONETHER GRE-BRIDGE
ip link set g6t master br0   # GRE-BRIDGE
ip link add bond0 type bond
ip link set gre3 master bond0   # BOND-ENSLAVE-NOMAC
ip link set gre1 up
ip -o link show dev gre1
ip link add link gt3 name gt3.5 type vlan id 5   # VLAN-ON-MASTER
ip link add link gre1 name gre1.5 type vlan id 5   # VLAN-CHALLENGED
ip link add link gt3 name mvgt type macvlan
