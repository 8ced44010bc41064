# The seed walkthrough's ipvlan section (../shared/seed/README.md) on its own, on a fresh machine
# (eth0 = netdevsim port), then the macvlan section after it to show the collision the other way round.
## ipvlan: sub-interfaces share the parent's MAC, L2 mode
ip link add ipv1 link eth0 type ipvlan mode l2
ip link add ipv2 link eth0 type ipvlan mode l2
ip netns add net1
ip netns add net2
ip link set dev ipv1 netns net1
ip link set dev ipv2 netns net2
ip -n net1 -d link show dev ipv1
ip -n net2 -o link show dev ipv2
ip -o link show dev eth0
## macvlan on the same parent is refused while ipvlan uses it
ip link add macv1 link eth0 type macvlan mode bridge
ip link add macv2 link eth0 type macvlan mode bridge
## macvlan section on another NIC: four modes, each with its own MAC
ip link add macv1 link eth1 type macvlan mode bridge
ip link add macv2 link eth1 type macvlan mode private
ip link add macv3 link eth1 type macvlan mode vepa
ip link add macv4 link eth1 type macvlan mode passthru
ip link set macv1 netns net1
ip link set macv2 netns net2
ip -n net1 -d link show dev macv1
ip -br link show
