# origin: ../shared/kernel-transcripts/scenarios/vrf.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## VRF: table id rules, enslave (incl. bridged port, bridge, vrf-in-vrf, loopback), routes move to the vrf table
ip link add vrf0 type vrf table 10
ip -d link show dev vrf0
ip link add vrf1 type vrf   # VRF-NOTABLE
ip link add vrf2 type vrf table 0   # VRF-TABLE0
ip link add vrf3 type vrf table 10   # VRF-TABLE-DUP
ip link add vrf4 type vrf table 4294967295   # VRF-TABLE-MAX
ip link add vrf5 type vrf table 20
ip link set vrf0 type vrf table 30   # VRF-TABLE-CHANGE
ip addr add 192.0.2.1/24 dev eth0   # VRF-ENSLAVE-ROUTES
ip link set eth0 up   # VRF-ENSLAVE-ROUTES
ip route show table main   # VRF-ENSLAVE-ROUTES
ip link set eth0 master vrf0   # VRF-ENSLAVE-ROUTES
ip route show table main   # VRF-ENSLAVE-ROUTES
ip link set vrf0 up   # VRF-ENSLAVE-ROUTES
ip route show table 10   # VRF-ENSLAVE-ROUTES
ip route show vrf vrf0   # VRF-ENSLAVE-ROUTES
ip -o link show dev eth0
## enslave a bridge port to a vrf (moves it out of the bridge)
ip link add br0 type bridge
ip link set eth1 master br0
ip link set eth1 master vrf0   # VRF-ENSLAVE-BRPORT
ip -o link show dev eth1   # VRF-ENSLAVE-BRPORT
ip link set br0 master vrf0   # VRF-ENSLAVE-BRIDGE
ip -o link show dev br0   # VRF-ENSLAVE-BRIDGE
## vrf in vrf, loopback, vrf into bridge
ip link set vrf5 master vrf0   # VRF-IN-VRF
ip link set lo master vrf0   # VRF-LO
ip link add br1 type bridge
ip link set vrf5 master br1   # BR-ENSLAVE-VRF
ip link add bond0 type bond
ip link set vrf5 master bond0   # BOND-ENSLAVE-MASTER
## vrf MTU, MAC
ip -o link show dev vrf0
ip link set vrf0 mtu 1500   # VRF-MTU
ip link del vrf0   # VRF-DEL
ip -o link show dev eth0   # VRF-DEL
ip route show table 10   # VRF-DEL
