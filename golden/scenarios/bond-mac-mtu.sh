# origin: ../shared/kernel-transcripts/scenarios/bond-mac-mtu.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## bond: MTU propagation, MAC of bond and slaves per mode, fail_over_mac, release restores MAC
ip link set eth0 address 02:00:00:00:00:0a
ip link set eth1 address 02:00:00:00:00:0b
ip link set eth2 address 02:00:00:00:00:0c
ip link set eth1 mtu 9000
ip link add bond0 type bond mode balance-rr
ip -o link show dev bond0
ip link set eth0 master bond0
ip link set eth1 master bond0   # BOND-MTU-SLAVE
ip -o link show dev bond0   # BOND-MAC-FIRST
ip -o link show dev eth0
ip -o link show dev eth1   # BOND-MAC-SLAVES BOND-MTU-SLAVE
ip link set bond0 mtu 4000   # BOND-MTU-SET
ip -o link show dev eth0   # BOND-MTU-SET
ip -o link show dev eth1   # BOND-MTU-SET
ip link set eth0 mtu 1500   # BOND-MTU-SET
ip -o link show dev eth0   # BOND-MTU-SET
ip link set bond0 address 02:00:00:00:00:99   # BOND-MAC-SET
ip -o link show dev eth0   # BOND-MAC-SET
ip -o link show dev eth1   # BOND-MAC-SET
ip link set eth0 address 02:00:00:00:00:77   # BOND-MAC-SLAVE-SET
ip -o link show dev eth0   # BOND-MAC-SLAVE-SET
ip link set eth0 nomaster   # BOND-MAC-RESTORE
ip -o link show dev eth0   # BOND-MAC-RESTORE
ip link add bond1 type bond mode active-backup fail_over_mac active   # BOND-FOM-ACTIVE
ip link set eth2 master bond1   # BOND-FOM-ACTIVE
ip -o link show dev bond1   # BOND-FOM-ACTIVE
ip -o link show dev eth2   # BOND-FOM-ACTIVE
ip link set eth0 master bond1   # BOND-FOM-ACTIVE
ip -o link show dev eth0   # BOND-FOM-ACTIVE
ip link add bond2 type bond mode active-backup
ip link add link eth0 name eth0.5 type vlan id 5
ip link set eth0 nomaster
ip link set eth0.5 master bond2   # BOND-ENSLAVE-NETDOWN
ip -o link show dev bond2
## a bond with vlans: enslave a device into a bond that already has an IP address (allowed)
ip addr add 192.0.2.1/24 dev eth2
ip link set eth2 nomaster
ip addr add 192.0.2.1/24 dev eth2
ip link set eth2 master bond2   # BOND-ADDR-KEPT
ip -o addr show dev eth2   # BOND-ADDR-KEPT
