# origin: ../shared/kernel-transcripts/scenarios/bond-enslave.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## bond: enslave rules (UP slave, bridge port, bond of bonds, loopback, self, non-ether), MAC inheritance
ip link set eth0 address 02:00:00:00:00:0a
ip link set eth1 address 02:00:00:00:00:0b
ip link set eth2 address 02:00:00:00:00:0c
ip link add bond0 type bond mode active-backup miimon 100
ip -d link show dev bond0
ip link set eth0 master bond0   # BOND-ENSLAVE-OPENS
## slave is opened (set UP) by the bond; bond MAC := first slave MAC
ip -o link show dev eth0   # BOND-ENSLAVE-OPENS
ip -o link show dev bond0   # BOND-MAC-FIRST
## enslaving an UP device
ip link set eth1 up
ip link set eth1 master bond0   # BOND-ENSLAVE-UP
ip link set eth1 down
ip link set eth1 master bond0
ip -o link show dev eth1   # BOND-MAC-SLAVES
cat /proc/net/bonding/bond0
## self / loopback / bond of bonds / non-ether
ip link set bond0 master bond0   # BOND-ENSLAVE-SELF
ip link set lo master bond0   # BOND-ENSLAVE-TYPE
ip link add bond1 type bond
ip link set bond1 master bond0   # BOND-OF-BONDS
ip link add nl0 type nlmon
ip link set nl0 master bond0   # BOND-ENSLAVE-TYPE
## bridge port -> bond via rtnetlink (released from the bridge first) and via sysfs (no release)
ip link add br0 type bridge
ip link set eth2 master br0
/bin/echo +eth2 > /sys/class/net/bond0/bonding/slaves   # BR-PORT-TO-BOND-SYSFS
ip link set eth2 master bond0   # BOND-MOVE-FROM-BRIDGE
ip -o link show dev eth2
## bond as a bridge port
ip link set bond0 master br0   # BOND-IN-BRIDGE
ip -o link show dev bond0
## release: slave MAC restored?, slave state
ip link set eth1 nomaster   # BOND-MAC-RESTORE
ip -o link show dev eth1   # BOND-MAC-RESTORE
ip link del bond0   # BOND-MAC-RESTORE
ip -o link show dev eth0   # BOND-MAC-RESTORE
ip -o link show dev eth2   # BOND-MAC-RESTORE
