# origin: ../shared/kernel-transcripts/scenarios/vxlan.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## VXLAN: VNI/port uniqueness, defaults, dev binding, MTU, changes
ip link add vx0 type vxlan id 10 dstport 4789
ip -d link show dev vx0
ip link add vx1 type vxlan id 10 dstport 4789   # VXLAN-DUP-VNI
ip link add vx2 type vxlan id 10 dstport 4790   # VXLAN-VNI-PORT
ip link add vx3 type vxlan id 11   # VXLAN-NOPORT
ip -d link show dev vx3 | grep -o 'dstport [0-9]*'   # VXLAN-NOPORT
ip link add vx4 type vxlan id 16777216 dstport 4789   # VXLAN-VNI-RANGE
ip link add vx4 type vxlan id 16777215 dstport 4789
ip link add vx5 type vxlan dstport 4789   # VXLAN-VNI-RANGE
ip link add vx6 type vxlan id 20 dev eth0 dstport 4789 remote 192.0.2.1
ip link add vx7 type vxlan id 20 dev eth1 dstport 4789 remote 192.0.2.2   # VXLAN-DUP-VNI
ip link add vx8 type vxlan id 20 dstport 4789 local 192.0.2.1 remote 2001:db8::1
ip link add vx9 type vxlan id 21 dstport 4789 group 239.1.1.1   # VXLAN-GROUP-NODEV
ip link add vx9 type vxlan id 21 dstport 4789 group 239.1.1.1 dev eth0
ip link add vx10 type vxlan dstport 4789 external
ip link add vx11 type vxlan dstport 4789 external   # VXLAN-EXTERNAL-DUP
ip link add vx12 type vxlan id 30 dstport 4789 local 192.0.2.50
ip link add vx13 type vxlan id 30 dstport 4789 local 192.0.2.51   # VXLAN-DUP-VNI
ip link add vx14 type vxlan id 31 dstport 4789 remote 192.0.2.1 remote 192.0.2.2
ip -o link show dev vx0
ip -o link show dev vx6   # VXLAN-DEV-MTU
ip link set eth0 mtu 9000
ip link add vx15 type vxlan id 40 dev eth0 dstport 4789
ip -o link show dev vx15   # VXLAN-DEV-MTU
ip -o link show dev vx6
ip link set vx6 mtu 9000   # VXLAN-MTU
ip link set vx6 mtu 8950   # VXLAN-MTU
ip link set vx0 mtu 65535   # VXLAN-MTU
ip link set vx0 mtu 65486   # VXLAN-MTU
ip link set vx0 type vxlan id 12   # VXLAN-CHANGE-VNI
ip link set vx0 type vxlan id 10 dstport 4790   # VXLAN-CHANGE-PORT
ip link set vx0 type vxlan ttl 10   # VXLAN-CHANGE-TTL
ip link set vx0 type vxlan learning off
ip link set vx0 up   # VXLAN-UP
ip link set vx2 up   # VXLAN-UP
ip -o link show dev vx0   # VXLAN-UP
ip link add br0 type bridge
ip link set vx0 master br0
ip link del eth0   # VXLAN-DEL-LOWER
ip -br link show   # VXLAN-DEL-LOWER
