# origin: ../shared/kernel-transcripts/scenarios/vlan-mac.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## VLAN MAC: inherited from parent at creation; follows parent MAC changes only while not set explicitly?
ip link set eth0 address 02:00:00:00:00:0a
ip link add link eth0 name v5 type vlan id 5
ip link add link eth0 name v6 type vlan id 6
ip link add link eth0 name v7 address 02:00:00:00:00:77 type vlan id 7   # VLAN-MAC-EXPLICIT
ip -o link show dev v5
ip -o link show dev v7
ip link set eth0 address 02:00:00:00:00:0b   # VLAN-MAC-DOWN
ip -o link show dev v5   # VLAN-MAC-DOWN
ip link set eth0 up   # VLAN-MAC-FOLLOW VLAN-PARENT-UP-ALL
ip link set v5 up   # VLAN-MAC-FOLLOW
ip link set eth0 address 02:00:00:00:00:0c   # VLAN-MAC-FOLLOW
ip -o link show dev v5   # VLAN-MAC-FOLLOW
ip -o link show dev v6   # VLAN-MAC-FOLLOW VLAN-PARENT-UP-ALL
ip -o link show dev v7   # VLAN-MAC-EXPLICIT VLAN-PARENT-UP-ALL
ip link set v6 address 02:00:00:00:00:66   # VLAN-MAC-EXPLICIT
ip link set eth0 address 02:00:00:00:00:0d   # VLAN-MAC-EXPLICIT
ip -o link show dev v6   # VLAN-MAC-EXPLICIT
ip link add link eth0 name mv type macvlan
ip link set eth0 address 02:00:00:00:00:0e
ip -o link show dev mv
