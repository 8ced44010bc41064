# origin: ../shared/kernel-transcripts/scenarios/vlan.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## 802.1Q VLAN: id range, duplicates, protocol, vlan-on-vlan, non-ether/loopback parents, MTU, delete parent
ip link add link eth0 name eth0.10 type vlan id 10
ip -d link show dev eth0.10
ip link add link eth0 name v10b type vlan id 10   # VLAN-DUP-ID
ip link add link eth0 name v10ad type vlan id 10 protocol 802.1ad   # VLAN-PROTO-ID
ip link add link eth0 name eth0.10 type vlan id 11   # VLAN-DUP-NAME
ip link add link eth0 name v0 type vlan id 0   # VLAN-ID0 VLAN-ID4094
ip link add link eth0 name v4094 type vlan id 4094   # VLAN-ID0 VLAN-ID4094
ip link add link eth0 name v4095 type vlan id 4095   # VLAN-ID4095
ip link add link eth0 name v4096 type vlan id 4096   # VLAN-ID4095
ip link add link eth0 name vp type vlan id 7 protocol 0x88e7   # VLAN-PROTO-BAD
ip link add name vnolink type vlan id 5   # VLAN-NOLINK
ip link add link eth0 name vnoid type vlan   # VLAN-NOID
ip link add link eth0.10 name eth0.10.20 type vlan id 20   # VLAN-ON-VLAN
ip link add link eth0.10.20 name q3 type vlan id 30   # VLAN-ON-VLAN
ip link add link lo name lo.5 type vlan id 5   # VLAN-CHALLENGED
ip link add nl0 type nlmon
ip link add link nl0 name nl0.5 type vlan id 5   # VLAN-CHALLENGED
ip link add br0 type bridge
ip link add link br0 name br0.5 type vlan id 5   # VLAN-ON-MASTER
ip link add bond0 type bond
ip link add link bond0 name bond0.5 type vlan id 5   # VLAN-ON-MASTER
## change id / protocol on an existing vlan
ip link set eth0.10 type vlan id 12   # VLAN-CHANGE-ID
ip -d link show dev eth0.10 | grep -o 'vlan protocol [^ ]* id [0-9]*'   # VLAN-CHANGE-ID
ip link set eth0.10 type vlan protocol 802.1ad   # VLAN-CHANGE-ID
ip -d link show dev eth0.10 | grep -o 'vlan protocol [^ ]* id [0-9]*'   # VLAN-CHANGE-ID
ip link set eth0.10 type vlan reorder_hdr off
## MTU: vlan MTU <= parent, parent decrease shrinks vlans
ip link add link eth1 name eth1.100 mtu 9000 type vlan id 100   # VLAN-MTU-CREATE
ip link add link eth1 name eth1.100 type vlan id 100
ip link set eth1.100 mtu 1501   # VLAN-MTU-MAX
ip link set eth1 mtu 1400   # VLAN-MTU-SHRINK
ip -o link show dev eth1.100   # VLAN-MTU-SHRINK
ip link set eth1 mtu 9000   # VLAN-MTU-NOGROW
ip -o link show dev eth1.100   # VLAN-MTU-NOGROW
ip link set eth1.100 mtu 9000   # VLAN-MTU-NOGROW
## MAC: vlan inherits the parent MAC and follows parent changes while it has not been set
ip link set eth1 address 02:00:00:00:01:01   # VLAN-MAC-DOWN
ip -o link show dev eth1.100   # VLAN-MAC-DOWN
ip link set eth1.100 address 02:00:00:00:01:02
ip link set eth1 address 02:00:00:00:01:03
ip -o link show dev eth1.100
## delete parent deletes all vlans (also stacked)
ip link del eth0   # VLAN-DEL-PARENT
ip -br link show   # VLAN-DEL-PARENT
