# origin: ../shared/kernel-transcripts/scenarios/bond-modes.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## bond: mode names/numbers, option validation, changing mode with slaves / while up
for m in balance-rr active-backup balance-xor broadcast 802.3ad balance-tlb balance-alb; do ip link add b-$m type bond mode $m || echo "FAIL $m"; done   # BOND-MODES
ip -d link show | grep -o 'bond mode [^ ]*'   # BOND-MODES
ip link add b7 type bond mode 7   # BOND-MODE-INVALID
ip link add b8 type bond mode foo   # BOND-MODE-INVALID
ip link add bx type bond mode 4 miimon 100 lacp_rate fast xmit_hash_policy layer3+4
ip -d link show dev bx
ip link add by type bond mode 0 lacp_rate fast   # BOND-OPT-MODE
ip link add bz type bond miimon 100 arp_interval 100 arp_ip_target 192.0.2.1   # BOND-ARP-MII
ip -d link show dev bz
ip link add bw type bond mode active-backup arp_interval 100   # BOND-ARP-NOTARGET
ip link add bv type bond mode 802.3ad arp_interval 100 arp_ip_target 192.0.2.1   # BOND-OPT-MODE
ip link add bu type bond miimon -1
ip link add bt type bond mode balance-rr primary eth0   # BOND-OPT-MODE
ip link add bond0 type bond mode balance-rr
ip link set eth0 master bond0
## change mode with a slave, bond down
ip link set bond0 type bond mode active-backup   # BOND-MODE-SLAVES
ip link set bond0 up
ip link set bond0 type bond mode active-backup   # BOND-MODE-SLAVES
ip link set eth0 nomaster
ip link set bond0 type bond mode active-backup   # BOND-MODE-UP
ip link set bond0 down
ip link set bond0 type bond mode active-backup
ip -d link show dev bond0 | grep -o 'bond mode [^ ]*'
ip link set eth0 master bond0
ip link set bond0 type bond primary eth0
ip link set bond0 type bond primary eth1   # BOND-PRIMARY-NONSLAVE
ip link set bond0 type bond active_slave eth0   # BOND-ACTIVE-DOWN
ip link set bond0 up
ip link set bond0 type bond active_slave eth0
ip link set bond0 type bond miimon 50
cat /proc/net/bonding/bond0
