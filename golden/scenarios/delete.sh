# origin: ../shared/kernel-transcripts/scenarios/delete.sh (command lines copied; eth0..eth2 are
# netdevsim ports here: netdevsim ports cannot be deleted with "ip link del", unlike dummies, so the
# cascade part also removes the netdevsim device through sysfs at the end).
## deleting devices: loopback, masters release ports, lowers take uppers with them
ip link del lo   # DEL-LO
ip link del nosuchdev   # DEL-NODEV
ip link add br0 type bridge
ip link set eth0 master br0
ip link set eth0 up
ip link del br0   # BR-DEL-RELEASES
ip -o link show dev eth0   # BR-DEL-RELEASES
ip link set eth1 address 02:00:00:00:00:0b
ip link add bond0 type bond mode active-backup
ip link set bond0 address 02:00:00:00:00:b0
ip link set eth1 master bond0
ip -o link show dev eth1
ip link del bond0
ip -o link show dev eth1
ip link add vrf0 type vrf table 7
ip link set eth2 master vrf0
ip link set eth2 up
ip link del vrf0
ip -o link show dev eth2
ip link add team0 type team
ip link set eth2 down
ip link set eth2 master team0
ip link del team0
ip -o link show dev eth2
## lower with many kinds of uppers
ip link add link eth0 name e0.5 type vlan id 5
ip link add link eth0 name e0mv type macvlan
ip link add link eth0 name e0mvt type macvtap
ip link add link e0.5 name e05mv type macvlan
ip link add link eth1 name e1iv type ipvlan
ip link add vx0 type vxlan id 5 dev eth0 dstport 4789
ip link add gre1 type gre remote 192.0.2.1 dev eth0
ip -br link show
ip link del eth0
ip link del eth1
ip -br link show
## deleting a veth peer/ a bridge port
ip link add br1 type bridge
ip link add va type veth peer name vb
ip link set vb master br1
ip link del va   # BR-PORT-DELETED
bridge link show   # BR-PORT-DELETED
## the "type" given to "ip link del" is not checked against the device kind
ip link del br1 type bond   # DEL-TYPE-IGNORED
ip -o link show dev br1   # DEL-TYPE-IGNORED
ip link del eth2 type bridge   # DEL-TYPE-IGNORED
ip -o link show dev eth2
## netdevsim: the ports go away with their device (sysfs del_device); uppers follow as for any lower
echo 1 > /sys/bus/netdevsim/del_device   # DEL-CASCADE
ip -br link show   # DEL-CASCADE
