# origin: ../shared/kernel-transcripts/scenarios/ipvlan.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## ipvlan: modes, coexistence with macvlan (both orders), loopback, MAC, duplicate addresses
ip link add link eth0 name ipv0 type ipvlan mode l2   # IPVLAN-MODES
ip -d link show dev ipv0   # IPVLAN-MODES
ip link add link eth0 name ipv1 type ipvlan mode l3   # IPVLAN-MODES
ip link add link eth0 name ipv2 type ipvlan mode l3s   # IPVLAN-MODES
ip link add link eth0 name ipv3 type ipvlan   # IPVLAN-MODES
ip link add link eth0 name ipv4 type ipvlan mode l2 private   # IPVLAN-MODES
ip link add link eth0 name ipv5 type ipvlan mode l2 vepa   # IPVLAN-MODES
ip -d link show | grep -o 'ipvlan  *mode [^ ]* [^ ]*'   # IPVLAN-MODE-PER-PORT
ip -o link show dev ipv1
## macvlan after ipvlan on the same parent, and ipvlan after macvlan
ip link add link eth0 name mv0 type macvlan   # MACVLAN-AFTER-IPVLAN
ip link add link eth1 name mv1 type macvlan   # IPVLAN-AFTER-MACVLAN
ip link add link eth1 name ipv6x type ipvlan   # IPVLAN-AFTER-MACVLAN
ip link add link lo name ipvlo type ipvlan   # IPVLAN-LO
ip link add link ipv0 name ipvipv type ipvlan   # IPVLAN-ON-IPVLAN
ip -o link show dev ipvipv   # IPVLAN-ON-IPVLAN
## parent as bridge port
ip link add br0 type bridge
ip link set eth0 master br0   # BR-PORT-RXHANDLER IPVLAN-BRPORT
ip link set eth2 master br0
ip link add link eth2 name ipvb type ipvlan   # IPVLAN-BRPORT
## MAC: shared with parent, cannot be set, follows parent
ip link set ipv0 address 02:00:00:00:00:33   # IPVLAN-MAC
ip link set eth0 address 02:00:00:00:00:44   # IPVLAN-MAC
ip -o link show dev ipv0   # IPVLAN-MAC
## duplicate addresses across ipvlan slaves of one parent
ip addr add 192.0.2.10/24 dev ipv0
ip addr add 192.0.2.10/24 dev ipv1   # IPVLAN-ADDR-DUP
ip addr add 192.0.2.10/24 dev eth0   # IPVLAN-ADDR-DUP
ip -6 addr add 2001:db8::10/64 dev ipv0
ip -6 addr add 2001:db8::10/64 dev ipv1   # IPVLAN-ADDR-DUP
## mode change, mtu
ip link set ipv1 type ipvlan mode l2
ip link set ipv0 mtu 9000   # IPVLAN-MTU
ip link set eth0 mtu 1400   # IPVLAN-MTU
ip -o link show dev ipv0   # IPVLAN-MTU
ip link del eth0   # IPVLAN-DEL-LOWER
ip -br link show
