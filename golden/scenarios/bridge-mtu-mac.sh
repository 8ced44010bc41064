# origin: ../shared/kernel-transcripts/scenarios/bridge-mtu-mac.sh (command lines copied; eth0..eth2
# are netdevsim ports here). The last section (netdevsim MTU limit vs bridge) is new.
## bridge MTU auto-adjust and MAC inheritance (bridge takes the lowest port MAC until set by user)
ip link set eth0 address 02:00:00:00:00:0a
ip link set eth1 address 02:00:00:00:00:05
ip link set eth2 address 02:00:00:00:00:01
ip link set eth0 mtu 9000
ip link add br0 type bridge
ip -o link show dev br0
ip link set eth0 master br0   # BR-MTU-AUTO BR-MAC-LOWEST
ip -o link show dev br0   # BR-MTU-AUTO BR-MAC-LOWEST
ip link set eth1 master br0   # BR-MTU-AUTO BR-MAC-LOWEST
ip -o link show dev br0   # BR-MTU-AUTO BR-MAC-LOWEST
ip link set eth0 mtu 1400   # BR-MTU-AUTO
ip -o link show dev br0   # BR-MTU-AUTO
ip link set eth1 nomaster   # BR-MTU-AUTO BR-MAC-LOWEST
ip -o link show dev br0   # BR-MTU-AUTO BR-MAC-LOWEST
## user-set bridge MTU larger than ports
ip link set br0 mtu 9000   # BR-MTU-USER
ip -o link show dev br0   # BR-MTU-USER
ip link set br0 mtu 65000   # BR-MTU-USER
ip link set eth1 master br0   # BR-MTU-USER
ip -o link show dev br0   # BR-MTU-USER
ip -o link show dev eth1   # BR-MTU-USER
## user-set MAC sticks
ip link set eth2 master br0   # BR-MAC-LOWEST
ip -o link show dev br0   # BR-MAC-LOWEST
ip link set br0 address 02:00:00:00:00:99   # BR-MAC-USERSET
ip link set eth2 nomaster   # BR-MAC-USERSET
ip link set eth2 master br0   # BR-MAC-USERSET
ip -o link show dev br0   # BR-MAC-USERSET
## bridge MAC that is not a port MAC / zero / multicast
ip link set br0 address 00:00:00:00:00:00   # BR-MAC-INVALID
ip link set br0 address 01:00:5e:00:00:01   # BR-MAC-INVALID
ip link add br1 address 02:00:00:00:00:42 type bridge   # BR-MAC-USERSET
ip -o link show dev br1   # BR-MAC-USERSET
ip link set eth2 master br1   # BR-MAC-USERSET
ip -o link show dev br1   # BR-MAC-USERSET
## netdevsim: a fresh bridge follows its port's MTU up to the netdevsim maximum 65535
ip link add br2 type bridge
ip link set eth2 mtu 65535
ip link set eth2 master br2   # BR-MTU-AUTO
ip -o link show dev br2   # BR-MTU-AUTO
ip link set eth2 mtu 65536   # MTU-MIN-MAX-MSG
ip link set eth2 nomaster   # BR-MAC-ZERO
ip -o link show dev br2   # BR-MAC-ZERO
