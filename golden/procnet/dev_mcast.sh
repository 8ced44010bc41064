ip link add br0 address 02:00:00:00:00:02 type bridge
ip link set br0 up
ip link add v0 address 02:00:00:00:00:03 type veth peer name v1 address 02:00:00:00:00:04
ip link set v0 up
ip link set v1 up
ip link add v2 address 02:00:00:00:00:05 type veth peer name v3 address 02:00:00:00:00:06
ip link set v2 master br0
ip link set v2 up
sleep 2
cat /proc/net/dev_mcast
