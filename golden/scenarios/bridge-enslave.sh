# origin: ../shared/kernel-transcripts/scenarios/bridge-enslave.sh (command lines copied; eth0..eth2
# are netdevsim ports here, so "eth2 master eth1" asks a netdevsim port, not a dummy, to be a master).
## bridge: enslaving ports, error cases (self, bridge-in-bridge, loopback, non-ether, move between masters)
ip link set eth0 address 02:00:00:00:00:0a
ip link set eth1 address 02:00:00:00:00:05
ip link add br0 type bridge
ip link add br1 type bridge
ip link set eth0 master br0   # BR-ENSLAVE-OK
ip -o link show dev eth0   # BR-ENSLAVE-OK
## re-enslave to the same master
ip link set eth0 master br0   # BR-ENSLAVE-SAME
## enslave a port of br0 to br1 with ip link set master: rtnetlink first releases it from br0
ip link set eth0 master br1   # BR-MOVE-MASTER
ip -o link show dev eth0   # BR-MOVE-MASTER
bridge link show
## self / bridge-in-bridge / loopback
ip link set br0 master br0   # BR-ENSLAVE-ZEROMAC
ip link set br1 master br0   # BR-ENSLAVE-BRIDGE
ip link set br0 master br1   # BR-ENSLAVE-ZEROMAC
ip link set lo master br0   # BR-ENSLAVE-LO
## a non-ethernet device (nlmon) and a device that is not a master (netdevsim port)
ip link add nl0 type nlmon
ip link set nl0 master br0   # BR-ENSLAVE-NONETHER
ip link set eth2 master eth1   # BR-MASTER-NOTMASTER
ip link set eth2 master nosuchdev   # BR-MASTER-NODEV
## nomaster on a device without master
ip link set eth2 nomaster   # BR-NOMASTER-NONE
ip link set eth1 master br0
ip link set eth1 nomaster
ip -o link show dev eth1
## bridge port flags appear, bridge port via 'bridge link'
ip link set eth1 master br0
bridge -d link show dev eth1
## veth into bridge, and bridge as port of a bond
ip link add va type veth peer name vb
ip link set va master br0   # BR-PORT-VETH
ip link add bond0 type bond
ip link set br1 master bond0   # BR-IN-BOND
ip link set eth2 master bond0
ip link set eth2 master br0
ip -o link show dev eth2
ip link set eth0 nomaster
ip link set eth0 master br1
/bin/echo "+eth0" > /sys/class/net/bond0/bonding/slaves   # BR-PORT-TO-BOND-SYSFS
ip -o link show dev eth0
