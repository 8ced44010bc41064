# Network namespace details measured for nlsim's netns emulation: `ip netns list` order and ids,
# nsid allocation by cross-namespace links and `ip netns set`, creation in another namespace,
# `ip netns exec` (sockets and sysfs follow; `dash -c`, because the oracle's `sh` is busybox, whose
# applets win over /usr/sbin/ip), and the errors of unknown or duplicate names.
## list order and recreation
ip netns add b
ip netns add a
ip netns add c
ip netns list
ip netns del a
ip netns add a
ip netns list
ip netns list-id
## creation in another namespace, veth peer elsewhere: nsids get allocated
ip link add d0 netns b type dummy
ip -n b -o link show
ip link add v0 type veth peer name v0p netns c
ip -o link show v0
ip -n c -o link show v0p
ip netns list
ip netns list-id
ip -n c netns list-id
## ip netns set
ip netns set a 7
ip netns list
ip netns set a 8
ip netns set b 7
## errors
ip netns add a
ip netns del nosuch
ip netns exec nosuch true
ip -n nosuch link
## exec: sockets, sysfs and children in the namespace
ip netns exec b ip -br link
ip netns exec b cat /sys/class/net/d0/mtu
ip netns exec b dash -c 'ip link add d1 type dummy && ip -o link show d1'
## moves between two other namespaces, and deletion
ip -n b link set d0 netns c
ip -n c -o link show d0
ip -n c netns list-id
ip netns del c
ip -br link show
ip netns list
ip netns list-id
