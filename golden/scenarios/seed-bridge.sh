# origin: ../shared/seed/README.md, the bridge section alone (tap1/tap2 from /dev/net/tun, veth1 a
# veth end), with fixed MACs so the bridge's choice of MAC is deterministic.
## seed: bridge with a NIC, two VM taps and a veth end
ip link set eth0 address 02:00:00:00:00:10
ip tuntap add dev tap1 mode tap
ip tuntap add dev tap2 mode tap
ip link add veth1 address 02:00:00:00:00:31 type veth peer name veth1p
ip link add br0 type bridge   # BR-ENSLAVE-OK
ip link set eth0 master br0   # BR-ENSLAVE-OK
ip link set tap1 master br0
ip link set tap2 master br0
ip link set veth1 master br0   # BR-PORT-VETH
ip link set br0 up
ip link set eth0 up
ip link set veth1 up
ip link set veth1p up
sleep 1
ip -br link show
bridge link show
ip -d link show dev br0
