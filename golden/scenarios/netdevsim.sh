# New (no counterpart in ../shared/kernel-transcripts): netdevsim's own attributes and behaviour.
# The runner created device 1 with 3 ports (echo "1 3" > /sys/bus/netdevsim/new_device): eth0..eth2.
## netdevsim ports as created by the runner: attributes shown by ip -d
ip -d link show dev eth0
ip -d link show dev eth1
ip -d link show dev eth2
ip -br link show
ls /sys/bus/netdevsim/devices/
ls /sys/bus/netdevsim/devices/netdevsim1/net/
cat /sys/class/net/eth0/phys_port_name /sys/class/net/eth1/phys_port_name /sys/class/net/eth2/phys_port_name
cat /sys/class/net/eth0/addr_assign_type /sys/class/net/eth0/type /sys/class/net/eth0/tx_queue_len /sys/class/net/eth0/flags
[ "$(cat /sys/class/net/eth0/phys_switch_id)" = "$(cat /sys/class/net/eth2/phys_switch_id)" ] && echo same switchid
## carrier while admin-down (dummy: always on) and after up
cat /sys/class/net/eth0/operstate
cat /sys/class/net/eth0/carrier
ip link set eth0 up
sleep 1
ip -o link show dev eth0
cat /sys/class/net/eth0/operstate /sys/class/net/eth0/carrier
ip link set eth0 down
cat /sys/class/net/eth0/carrier
## MTU limits 68..65535 (dummy has none)
ip link set eth0 mtu 67   # MTU-MIN-MAX-MSG
ip link set eth0 mtu 68
ip link set eth0 mtu 65535
ip link set eth0 mtu 65536   # MTU-MIN-MAX-MSG
ip link set eth0 mtu 0   # MTU-MIN-MAX-MSG
ip link set eth0 mtu 1500
## MAC address: settable, validated like any ethernet device
ip link set eth0 address 02:00:00:00:00:01
cat /sys/class/net/eth0/addr_assign_type
ip link set eth0 address 00:00:00:00:00:00
ip link set eth0 address 01:00:5e:00:00:01
ip -o link show dev eth0
## creation through rtnetlink is refused with a hint
ip link add x type netdevsim
ip link add type netdevsim
ip link add eth9 type netdevsim
## ip link del of a netdevsim port
ip link del eth2
ip link del dev eth2 type netdevsim
## txqueuelen, promisc, allmulti, group, alias
ip link set eth1 txqueuelen 500
ip link set eth1 promisc on
ip link set eth1 allmulticast on
ip link set eth1 group 7
ip link set eth1 alias uplink
ip -d link show dev eth1
ip link set eth1 promisc off allmulticast off group default
## a second netdevsim device: more ports, more queues; ports are named by the eth%d pattern
echo "2 2 4" > /sys/bus/netdevsim/new_device
sleep 0.2
ip -br link show
ip -d link show dev eth4
echo "2 1" > /sys/bus/netdevsim/new_device
echo 2 > /sys/bus/netdevsim/del_device
ip -br link show
echo 9 > /sys/bus/netdevsim/del_device
## ports move between namespaces; netns deletion returns them (no rtnl_link_ops)
ip netns add ns1
ip link set eth1 netns ns1
ip -n ns1 -d link show dev eth1
ip -n ns1 link set eth1 name e1
ip netns del ns1
sleep 1
ip -br link show
## rename keeps portname / parent
ip link set eth2 name wan0
ip -d link show dev wan0
## peer two ports (netdevsim link_device: "netnsfd:ifindex netnsfd:ifindex"); carrier then follows the peer
exec 5</proc/self/ns/net
echo "5:2 5:4" > /sys/bus/netdevsim/link_device
cat /sys/class/net/eth0/peer 2>&1; ls /sys/kernel/debug 2>&1 | head -1
ip link set eth0 up
sleep 1
ip -o link show dev eth0
ip link set wan0 up
sleep 1
ip -o link show dev eth0
ip -o link show dev wan0
ip link set wan0 down
sleep 1
ip -o link show dev eth0
echo "5:2" > /sys/bus/netdevsim/unlink_device
sleep 1
ip -o link show dev eth0
exec 5<&-
