# origin: ../shared/kernel-transcripts/scenarios/updown.sh (command lines copied; eth0..eth2 are netdevsim
# ports here).
## up/down propagation and operstate: dummy, vlan (follows parent), macvlan, ipvlan, bond, bridge, veth
ip link set eth0 up   # OPER-UNKNOWN
ip -o link show dev eth0   # OPER-UNKNOWN
ip link set eth0 down
ip link add link eth0 name v5 type vlan id 5
ip link set v5 up   # VLAN-UP-PARENTDOWN
ip link add link eth0 name v6 type vlan id 6 loose_binding on
ip link set v6 up
ip link set eth0 up
ip -o link show dev v5
ip link set v5 up
ip link set v6 up
ip -br link show
## parent down: strict vlan goes admin-down, loose_binding vlan stays UP as LOWERLAYERDOWN
ip link set eth0 down   # VLAN-FOLLOW-DOWN
ip -o link show dev v5   # VLAN-FOLLOW-DOWN
ip -o link show dev v6   # VLAN-FOLLOW-DOWN
## parent up again: strict vlan is brought up again automatically
ip link set eth0 up
ip -o link show dev v5
ip -o link show dev v6
## macvlan / ipvlan with lower down
ip link add link eth1 name mv type macvlan
ip link add link eth1 name iv type ipvlan
ip link set mv up
ip link set iv up
ip -o link show dev mv   # MACVLAN-LOWER-DOWN
ip -o link show dev iv
ip link set eth1 up
ip -br link show
ip link set eth1 down
ip -br link show
## bond without slaves / with a down slave
ip link add bond0 type bond miimon 100
ip link set bond0 up
ip -o link show dev bond0   # BOND-CARRIER
ip link set eth2 master bond0
sleep 1
ip -o link show dev bond0
ip -o link show dev eth2
ip link set eth2 down   # BOND-CARRIER
sleep 1
ip -o link show dev bond0   # BOND-CARRIER
## nlmon / lo / vrf / vxlan operstate when up
ip link add nl0 type nlmon
ip link set nl0 up
ip link set lo up
ip link add vrf0 type vrf table 5
ip link set vrf0 up
ip link add vx0 type vxlan id 5 dstport 4789
ip link set vx0 up
ip -br link show   # OPER-UNKNOWN
