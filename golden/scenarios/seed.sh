# The seed walkthrough (../shared/seed/README.md), commands in the article's order, run literally one
# after the other on one fresh machine (so the macvlan and ipvlan sections collide, as the README says).
# Physical NICs eth0/eth1 are netdevsim ports; tap1/tap2 (VM ports) and veth1 (a namespace's port) are
# created first. teamd/teamdctl and vconfig are not part of the oracle: their rtnetlink equivalents
# (ip link add type team / ip link set master, ip link add type vlan) are used, as noted inline.
## setup: the ports the article assumes
ip tuntap add dev tap1 mode tap
ip tuntap add dev tap2 mode tap
ip netns add ns0
ip link add veth1 type veth peer name eth0 netns ns0
## fixed MACs: the bridge takes its lowest port MAC, which would otherwise be random from run to run
ip link set eth0 address 02:00:00:00:00:e0
ip link set eth1 address 02:00:00:00:00:e1
ip link set tap1 address 02:00:00:00:00:a1
ip link set tap2 address 02:00:00:00:00:a2
ip link set veth1 address 02:00:00:00:00:f1
ip -br link show
## bridge
ip link add br0 type bridge
ip link set eth0 master br0   # BR-ENSLAVE-OK
ip link set tap1 master br0
ip link set tap2 master br0
ip link set veth1 master br0   # BR-PORT-VETH
bridge link show
## bond (eth0 moves from br0 to bond1: rtnetlink releases it first)
ip link add bond1 type bond miimon 100 mode active-backup
ip link set eth0 master bond1   # BR-MOVE-MASTER
ip link set eth1 master bond1
ip -br link show
cat /sys/class/net/bond1/bonding/slaves /sys/class/net/bond1/bonding/mode
## team (article: teamd -o -n -U -d -t team0 -c '{"runner": {"name": "loadbalance"},...}'; teamdctl team0 port add ethX)
ip link add team0 type team
ip link set eth0 down
ip link set eth1 down
ip link set eth0 master team0
ip link set eth1 master team0
ip -br link show
## vlan (article: vconfig add eth0 2 / vconfig add eth0 3)
ip link add link eth0 name eth0.2 type vlan id 2
ip link set eth0.2 up
ip link add link eth0 name eth0.3 type vlan id 3
ip link set eth0.3 up
ip -d link show dev eth0.2
## macvlan
ip link add macv1 link eth0 type macvlan mode bridge
ip link add macv2 link eth0 type macvlan mode bridge
ip netns add net1
ip netns add net2
ip link set macv1 netns net1
ip link set macv2 netns net2
ip -n net1 -d link show dev macv1
## ipvlan (collides with the macvlan section: same parent, namespaces already exist)
ip link add ipv1 link eth0 type ipvlan mode l2
ip link add ipv2 link eth0 type ipvlan mode l2
ip netns add net1
ip netns add net2
ip link set dev ipv1 netns net1
ip link set dev ipv2 netns net2
ip -br link show
