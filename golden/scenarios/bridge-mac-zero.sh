# origin: ../shared/kernel-transcripts/scenarios/bridge-mac-zero.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## bridge MAC / bridge_id after the last port leaves; consequences for enslaving the bridge
ip link set eth0 address 02:00:00:00:00:0a
ip link add br0 type bridge
ip link add br1 type bridge
ip -o link show dev br0
ip -d link show dev br0 | grep -o 'bridge_id [^ ]*'
## fresh bridge into bridge: ELOOP with extack
ip link set br0 master br1   # BR-ENSLAVE-SELF
ip link set eth0 master br0
ip -d link show dev br0 | grep -o 'bridge_id [^ ]*'
ip link set eth0 nomaster
ip -o link show dev br0   # BR-MAC-ZERO
ip -d link show dev br0 | grep -o 'bridge_id [^ ]*'
## zero-MAC bridge into bridge / bond / up
ip link set br0 master br1   # BR-ENSLAVE-ZEROMAC
ip link add bond0 type bond   # BR-ZEROMAC-USES
ip link set br0 master bond0   # BR-ZEROMAC-USES
ip link set br0 up   # BR-ZEROMAC-USES
ip -o link show dev br0   # BR-ZEROMAC-USES
ip addr add 192.0.2.1/24 dev br0   # BR-ZEROMAC-USES
ip link add link br0 name br0.5 type vlan id 5   # BR-ZEROMAC-USES
ip link add link br0 name mvbr type macvlan
## user-set address on a port-less bridge
ip link set br0 address 02:00:00:00:00:b0
ip link set eth0 master br0
ip link set eth0 nomaster
ip -o link show dev br0
## self-enslave of a fresh bridge
ip link add br9 type bridge   # BR-ENSLAVE-SELF
ip link set br9 master br9   # BR-ENSLAVE-SELF
