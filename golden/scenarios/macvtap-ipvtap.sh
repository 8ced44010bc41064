# origin: ../shared/kernel-transcripts/scenarios/macvtap-ipvtap.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## macvtap / ipvtap: char devices, coexistence with macvlan/ipvlan on one lower
ip link add link eth0 name mvt0 type macvtap   # MACVTAP-CHARDEV
ip -d link show dev mvt0   # MACVTAP-CHARDEV
ls /dev | grep tap   # MACVTAP-CHARDEV
ip link add link eth0 name mvt1 type macvtap mode passthru   # MACVTAP-SHARES-PORT
ip link add link eth0 name mv0 type macvlan   # MACVTAP-SHARES-PORT
ip link add link eth1 name mvt2 type macvtap mode passthru
ip link add link eth1 name mvt3 type macvtap   # MACVTAP-SHARES-PORT
ip link add link eth2 name ivt0 type ipvtap mode l2   # IPVTAP
ip -d link show dev ivt0   # IPVTAP
ip link add link eth2 name iv0 type ipvlan   # IPVTAP
ip link add link eth2 name mv2 type macvlan   # IPVTAP
ip link add link eth2 name mvt4 type macvtap   # IPVTAP
ls /dev | grep tap   # IPVTAP
ip link set mvt0 up
ip -o link show dev mvt0
ip link del mvt0   # MACVTAP-CHARDEV
ls /dev | grep tap   # MACVTAP-CHARDEV
