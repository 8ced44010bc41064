# origin: ../shared/kernel-transcripts/scenarios/macvlan-lower.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## macvlan vs its lower: MTU, operstate when lower down, lower is bridge port / bond slave
ip link add link eth0 name mv0 mtu 9000 type macvlan   # MACVLAN-MTU-CREATE
ip link add link eth0 name mv0 type macvlan
ip -o link show dev mv0
ip link set mv0 mtu 1501   # MACVLAN-MTU-MAX
ip link set mv0 mtu 1400
ip link set eth0 mtu 1300   # MACVLAN-MTU-SHRINK
ip -o link show dev mv0   # MACVLAN-MTU-SHRINK
ip link set eth0 mtu 9000   # MACVLAN-MTU-SHRINK
ip -o link show dev mv0   # MACVLAN-MTU-SHRINK
ip link set mv0 mtu 9000
## lower down -> macvlan up but M-DOWN / LOWERLAYERDOWN
ip link set mv0 up   # MACVLAN-LOWER-DOWN
ip -o link show dev mv0   # MACVLAN-LOWER-DOWN
ip link set eth0 up
ip -o link show dev mv0
ip link set eth0 down   # MACVLAN-LOWER-DOWN
ip -o link show dev mv0   # MACVLAN-LOWER-DOWN
## lower already a bridge port / bond slave -> macvlan creation
ip link add br0 type bridge
ip link set eth1 master br0
ip link add link eth1 name mv1 type macvlan   # MACVLAN-ON-BRPORT
ip link add link br0 name mvbr type macvlan   # MACVLAN-ON-MASTER
ip link add bond0 type bond
ip link set eth2 master bond0
ip link add link eth2 name mv2 type macvlan   # MACVLAN-ON-BRPORT
ip link add link bond0 name mvbond type macvlan   # MACVLAN-ON-MASTER
## lower has macvlan -> enslave lower to bridge / bond
ip link set eth0 master br0   # BR-PORT-RXHANDLER
ip link set eth0 master bond0   # BOND-ENSLAVE-RXH
## macvlan itself as bridge port / bond slave
ip link set mv0 down
ip link set mv0 master br0   # MACVLAN-AS-PORT
ip link set mv0 nomaster
ip link set mv0 master bond0   # MACVLAN-AS-PORT
ip -o link show dev mv0   # MACVLAN-AS-PORT
## delete lower deletes macvlans
ip link del eth0   # MACVLAN-DEL-LOWER
ip -br link show
