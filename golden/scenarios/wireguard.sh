# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the wireguard kind
# (drivers/net/wireguard/device.c: wg_setup, wg_newlink, wg_open): defaults, MTU limits, up/down,
# netns move, delete; and the generic netlink "wireguard" family (nlraw NLRAW_PROTO=16: CTRL_CMD_GETFAMILY,
# WG_CMD_GET_DEVICE).
# Transcript golden/kernel/6.12/wireguard.txt from the oracle. Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="wireguard"
## create, details, options iproute2 6.1 has none of
ip link add wg0 type wireguard
ip -d link show dev wg0
ip link add wg0 type wireguard
ip link add wg1 type wireguard listen-port 51820
ip link add wg1 mtu 1280 txqueuelen 5 type wireguard
ip -d link show dev wg1
ip link add link eth0 wg2 type wireguard
ip -d link show dev wg2
ip link add wg3 address 02:00:00:00:00:01 type wireguard
ip link add type wireguard
ip -br link
## MTU limits, address
ip link set wg0 mtu 67
ip link set wg0 mtu 68
ip link set wg0 mtu 65535
ip link set wg0 mtu 65536
ip link set wg0 mtu 2147483552
ip link set wg0 mtu 2147483553
ip link set wg0 mtu 1420
ip link set wg0 address 02:00:00:00:00:01
## up/down: carrier and operstate
ip link set wg0 up
ip -o link show dev wg0
ip -d link show dev wg0
ip link set wg0 down
ip -o link show dev wg0
ip link set wg1 up
ip link set wg1 mtu 1279
ip -o link show dev wg1
## generic netlink: the wireguard family (CTRL_CMD_GETFAMILY), nlctrl answers
NLRAW_PROTO=16 nlraw 24000000100005000100000000000000030100000e000200776972656775617264000000
NLRAW_PROTO=16 nlraw 24000000100005000200000000000000030100000e0002006e6f7375636866616d000000
## WG_CMD_GET_DEVICE (dump, WGDEVICE_A_IFNAME wg3) to the family id the oracle reported (0x25)
NLRAW_PROTO=16 nlraw 1c000000250005030300000000000000000100000800020077673300
## netns move, delete
ip netns add ns1
ip link set wg2 netns ns1
ip -n ns1 -d link show dev wg2
ip -n ns1 link set wg2 up
ip -n ns1 -o link show dev wg2
ip link del wg0
ip link del wg1
ip -br link
ip -n ns1 -br link
