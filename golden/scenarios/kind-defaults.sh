# origin: written for nlsim's corpus (`ip -d link` attribute defaults per kind, right after creation).
## ip -d -j link show of a fresh device of every kind
ip link add d0 type dummy   # DUMMY-STATE
ip -d -j link show dev d0
ip link add va type veth peer name vb
ip -d -j link show dev va
ip link add br0 type bridge   # BR-ENSLAVE-OK
ip -d -j link show dev br0
ip link add bond0 type bond   # BOND-DEFAULTS
ip -d -j link show dev bond0
ip link add team0 type team   # TEAM-CREATE
ip -d -j link show dev team0
ip link add vrf0 type vrf table 10   # VRF-CREATE
ip -d -j link show dev vrf0
ip link add link eth0 name eth0.5 type vlan id 5   # VLAN-CREATE
ip -d -j link show dev eth0.5
ip link add link eth1 name mv0 type macvlan   # MACVLAN-DEFAULT
ip -d -j link show dev mv0
ip link add link eth2 name ipv0 type ipvlan   # IPVLAN-DEFAULT
ip -d -j link show dev ipv0
ip link add nl0 type nlmon   # NLMON-CREATE
ip -d -j link show dev nl0
ip link add ifb0 type ifb
ip -d -j link show dev ifb0
ip link add vx0 type vxlan id 42 dstport 4789   # VXLAN-CREATE
ip -d -j link show dev vx0
ip link add gn0 type geneve id 7 remote 192.0.2.1   # GENEVE-CREATE
ip -d -j link show dev gn0
ip link add gre1 type gre remote 192.0.2.1 local 192.0.2.2   # GRE-CREATE
ip -d -j link show dev gre1
ip -d -j link show dev lo
ip -d -j link show dev eth0
