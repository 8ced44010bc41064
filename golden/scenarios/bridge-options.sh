# origin: ../shared/kernel-transcripts/scenarios/bridge-options.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## bridge options: vlan_filtering, STP, timers, group_fwd_mask, vlan range
ip link add br0 type bridge vlan_filtering 1   # BR-VLAN-HOST618
ip -d link show dev br0
ip link set eth0 master br0
bridge vlan show   # BR-VLAN-DEFAULT
bridge vlan add dev eth0 vid 10
bridge vlan add dev eth0 vid 4095   # BR-VLAN-RANGE
bridge vlan add dev eth0 vid 0   # BR-VLAN-RANGE
bridge vlan add dev eth0 vid 4094
bridge vlan add dev eth0 vid 20 pvid untagged
bridge vlan show dev eth0
bridge vlan add dev eth1 vid 10   # BR-VLAN-NOTPORT
bridge vlan add dev br0 vid 30 self
bridge vlan show dev br0
ip link set br0 type bridge vlan_default_pvid 0   # BR-VLAN-PVID0
bridge vlan show   # BR-VLAN-PVID0
ip link set br0 type bridge vlan_protocol 802.1ad
ip link set br0 type bridge vlan_filtering 0   # BR-VLAN-FILTER-OFF
bridge vlan show dev eth0   # BR-VLAN-FILTER-OFF
ip link set br0 type bridge stp_state 1   # BR-STP-STATE
ip -d link show dev br0 | grep -o 'stp_state [0-9]'
ip link set br0 type bridge stp_state 2   # BR-STP-STATE
ip link set br0 type bridge forward_delay 100   # BR-TIMER-RANGE
ip link set br0 type bridge forward_delay 5000   # BR-TIMER-RANGE
ip link set br0 type bridge forward_delay 200
ip link set br0 type bridge hello_time 0   # BR-TIMER-RANGE
ip link set br0 type bridge max_age 100   # BR-TIMER-RANGE
ip link set br0 type bridge group_fwd_mask 1   # BR-FWDMASK
ip link set br0 type bridge group_fwd_mask 0x4000   # BR-FWDMASK
ip link set br0 type bridge ageing_time 0   # BR-AGEING0
ip link set br0 type bridge priority 65536   # BR-PRIO-RANGE
ip link set br0 type bridge mcast_snooping 0
ip link add br1 type bridge stp_state 1 forward_delay 400
ip link set br1 up
ip link set eth2 up
ip link set eth2 master br1
bridge link show dev eth2   # BR-STP-LISTEN
ip -d link show dev br1   # BR-STP-LISTEN
