# origin: ../shared/kernel-transcripts/scenarios/stacked-on-veth.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## stacked devices on a lower with REAL carrier semantics (veth: carrier off while down / peer down),
## to contrast with the dummy stand-ins whose carrier is always on
ip link add va type veth peer name vb
ip link set vb up
ip link add link va name mv type macvlan
ip link add link va name v5 type vlan id 5 loose_binding on
ip link add link va name v6 type vlan id 6
ip link set mv up   # MACVLAN-LOWER-NOCARRIER
ip link set v5 up   # MACVLAN-LOWER-NOCARRIER
sleep 1   # MACVLAN-LOWER-NOCARRIER
ip -o link show dev mv   # MACVLAN-LOWER-NOCARRIER OPER-LOWERLAYERDOWN
ip -o link show dev v5   # MACVLAN-LOWER-NOCARRIER
ip link set va up   # MACVLAN-LOWER-NOCARRIER
sleep 1   # MACVLAN-LOWER-NOCARRIER
ip -br link show   # MACVLAN-LOWER-NOCARRIER
## peer goes down: va loses carrier (admin UP)
ip link set vb down   # MACVLAN-LOWER-NOCARRIER VLAN-CARRIER
sleep 1   # MACVLAN-LOWER-NOCARRIER VLAN-CARRIER
ip -br link show   # MACVLAN-LOWER-NOCARRIER OPER-LOWERLAYERDOWN VLAN-CARRIER
ip link set vb up   # MACVLAN-LOWER-NOCARRIER
sleep 1   # MACVLAN-LOWER-NOCARRIER
## lower admin-down
ip link set va down   # MACVLAN-LOWER-NOCARRIER VLAN-LOOSE-ADMINDOWN
sleep 1   # MACVLAN-LOWER-NOCARRIER VLAN-LOOSE-ADMINDOWN
ip -br link show   # MACVLAN-LOWER-NOCARRIER VLAN-LOOSE-ADMINDOWN
## bridge with a veth port whose peer is down, and ipvlan on a veth
ip link add vc type veth peer name vd   # IPVLAN-LOWER-NOCARRIER
ip link add link vc name iv type ipvlan mode l2   # IPVLAN-LOWER-NOCARRIER
ip link set iv up   # IPVLAN-LOWER-NOCARRIER
sleep 1   # IPVLAN-LOWER-NOCARRIER
ip -o link show dev iv   # IPVLAN-LOWER-NOCARRIER OPER-LOWERLAYERDOWN
ip link add br0 type bridge   # BR-PORT-NOCARRIER
ip link add ve type veth peer name vg   # BR-PORT-NOCARRIER
ip link set ve master br0   # BR-PORT-NOCARRIER
ip link set br0 up   # BR-PORT-NOCARRIER
ip link set ve up   # BR-PORT-NOCARRIER
sleep 1   # BR-PORT-NOCARRIER
ip -o link show dev br0   # BR-PORT-NOCARRIER
bridge link show dev ve   # BR-PORT-NOCARRIER
ip link set vf up   # BR-PORT-NOCARRIER IPROUTE2-KEYWORD-NAME
ip link set vg up   # BR-PORT-NOCARRIER
sleep 1   # BR-PORT-NOCARRIER
ip -o link show dev br0   # BR-PORT-NOCARRIER
bridge link show dev ve   # BR-PORT-NOCARRIER
