# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the CAN kinds vcan
# and vxcan (drivers/net/can/vcan.c: vcan_setup, vcan_change_mtu; vxcan.c: vxcan_newlink, vxcan_open,
# vxcan_change_mtu): defaults, legal and illegal MTUs, up/down, pairs, peer in another namespace, delete.
# Transcript golden/kernel/6.12/vcan.txt from the oracle. Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="vcan vxcan"
## vcan: create, details, unnamed
ip link add vcan0 type vcan
ip -d link show dev vcan0
ip link add type vcan
ip link add vcan0 type vcan
ip link add vcan2 address 02:00:00:00:00:01 type vcan
ip link add vcan3 mtu 16 type vcan
ip -o link show dev vcan3
ip link add vcan4 mtu 1500 type vcan
ip -br link
## vcan MTU: CAN_MTU 16, CANFD_MTU 72, CAN XL 76..2060; not while up
ip link set vcan0 mtu 16
ip link set vcan0 mtu 72
ip link set vcan0 mtu 76
ip link set vcan0 mtu 2060
ip link set vcan0 mtu 2061
ip link set vcan0 mtu 75
ip link set vcan0 mtu 1500
ip link set vcan0 mtu 72
ip link set vcan0 address 02:00:00:00:00:01
ip link set vcan0 type can bitrate 500000
ip link set vcan0 txqueuelen 10
## vcan up/down
ip link set vcan0 up
ip -d link show dev vcan0
ip link set vcan0 mtu 16
ip link set vcan0 down
ip -o link show dev vcan0
## vxcan pairs
ip link add vxcan0 type vxcan peer name vxcan1
ip -d link show dev vxcan0
ip -d link show dev vxcan1
ip link add type vxcan
ip -br link
ip link add vxa mtu 16 type vxcan peer name vxb mtu 72
ip -o link show dev vxa
ip -o link show dev vxb
ip link set vxcan0 up
ip -o link show dev vxcan0
ip link set vxcan1 up
ip -o link show dev vxcan0
ip -o link show dev vxcan1
ip link set vxcan0 mtu 16
ip link set vxcan1 down
ip -o link show dev vxcan0
ip link set vxcan1 mtu 16
ip -o link show dev vxcan0
## peer in another namespace; deleting one end deletes both
ip netns add ns1
ip link add vxc type vxcan peer name vxd netns ns1
ip -d link show dev vxc
ip -n ns1 -d link show dev vxd
ip link set vxcan1 netns ns1
ip -o link show dev vxcan0
ip -n ns1 link del vxd
ip link del vxcan0
ip link del vcan0
ip -br link
ip -n ns1 -br link
