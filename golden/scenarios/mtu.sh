# origin: ../shared/kernel-transcripts/scenarios/mtu.sh (command lines copied; eth0..eth2 are
# netdevsim ports here: unlike dummy they have min_mtu 68 / max_mtu 65535).
## MTU rules: device min/max, IPv4/IPv6 thresholds, stacked devices
ip link set eth0 mtu 67   # MTU-MIN-MAX-MSG
ip link set eth0 mtu 68
ip link set eth0 mtu 65535
ip link set eth0 mtu 65536   # MTU-MIN-MAX-MSG
ip link set eth0 mtu 4294967295   # MTU-IPROUTE2
ip link set eth0 mtu 0   # MTU-MIN-MAX-MSG
ip link set lo mtu 1000
ip link set lo mtu 1   # MTU-LO
ip link add br0 type bridge
ip link set br0 mtu 67   # BR-MTU-RANGE
ip link set br0 mtu 65536   # BR-MTU-RANGE
ip link add bond0 type bond
ip link set bond0 mtu 67   # MTU-BOND-MAX
ip link set bond0 mtu 65535   # MTU-BOND-MAX
ip link add va type veth peer name vb
ip link set va mtu 67   # VETH-MTU
ip link set va mtu 65535   # VETH-MTU
ip link set va mtu 65536   # VETH-MTU
## IPv6 on a device with MTU < 1280 (IPv6 disabled on it); IPv4 kept
ip link set eth1 mtu 1500
ip link set eth1 up
ip -6 addr add 2001:db8::1/64 dev eth1
ip addr add 192.0.2.1/24 dev eth1
ip link set eth1 mtu 1200   # MTU-IPV6-1280
ip addr show dev eth1   # MTU-IPV6-1280
ip -6 addr add 2001:db8::2/64 dev eth1   # MTU-IPV6-ADD-LOW
ip link set eth1 mtu 1500   # MTU-IPV6-RESTORE
ip addr show dev eth1   # MTU-IPV6-RESTORE
## vlan/macvlan/ipvlan max = parent
ip link set eth2 mtu 2000
ip link add link eth2 name v5 type vlan id 5
ip link add link eth2 name mv type macvlan
ip link add link eth2 name iv type ipvlan
ip -o link show dev v5
ip -o link show dev mv
ip -o link show dev iv
ip link set v5 mtu 2001   # MTU-STACKED
ip link set mv mtu 2001   # MTU-STACKED
ip link set iv mtu 2001   # MTU-STACKED
ip link set eth2 mtu 1000
ip -br link show
ip -o link show | grep -o '^[0-9]*: [^:]*: .* mtu [0-9]*'
## netdevsim: limits also apply at the edges, and ip -d shows them
ip -d link show dev eth0
ip link set eth0 mtu 69
ip link set eth0 mtu 65534
ip -o link show dev eth0
