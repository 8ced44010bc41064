# origin: ../shared/seed/README.md, the VLAN section (vconfig's equivalent `ip link add link eth0
# name eth0.N type vlan id N`).
## seed: two VLANs on a NIC
ip link add link eth0 name eth0.2 type vlan id 2   # VLAN-CREATE
ip link set eth0.2 up   # VLAN-UP-PARENTDOWN
ip link set eth0 up
ip link set eth0.2 up
ip link add link eth0 name eth0.3 type vlan id 3
ip link set eth0.3 up
ip -br link show
ip -d link show dev eth0.3
ip link set eth0 down   # VLAN-FOLLOW-DOWN
ip -br link show
ip link set eth0 up   # VLAN-FOLLOW-UP
ip -br link show
