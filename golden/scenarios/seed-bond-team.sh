# origin: ../shared/seed/README.md, the bonding and team sections (teamd replaced by its netlink
# request `ip link add team0 type team`; teamdctl port add by `ip link set ... master team0`).
## seed: active-backup bond of two NICs, then a team of the same NICs
ip link add bond1 type bond miimon 100 mode active-backup   # BOND-MODES
ip link set eth0 master bond1   # BOND-ENSLAVE-OPENS
ip link set eth1 master bond1
ip -d link show dev bond1
ip -br link show
ip link del bond1   # BOND-MAC-RESTORE
ip -br link show
ip link add team0 type team   # TEAM-CREATE
ip link set eth0 down
ip link set eth1 down
ip link set eth0 master team0   # TEAM-PORT-OPENS
ip link set eth1 master team0
ip -br link show
ip -d link show dev team0
