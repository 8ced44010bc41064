# origin: written for nlsim (bridge VLAN global options and VLAN statistics dumps: RTM_GETVLAN with BRIDGE_VLANDB_DUMPF_GLOBAL, RTM_GETSTATS with LINK_XSTATS_TYPE_BRIDGE); transcript golden/kernel/6.12/bridge-vlan-global.txt from the oracle.
## bridge VLAN global options (bridge vlan global show) and VLAN statistics (bridge -s vlan show)
ip link add br0 address 02:00:00:00:00:b0 type bridge vlan_filtering 1
ip link set eth0 master br0
ip link set eth1 master br0
bridge vlan add vid 10 dev eth0
bridge vlan add vid 20-22 dev eth0 untagged
bridge vlan add vid 11 dev eth1 pvid
bridge vlan add vid 30 dev br0 self
bridge -s vlan show
bridge -j -s vlan show
bridge -s vlan show dev eth1
## bridge -s -d: RTM_GETVLAN with BRIDGE_VLANDB_DUMPF_STATS (no ranges, BRIDGE_VLANDB_ENTRY_STATS)
bridge -s -d vlan show
bridge -j -s -d vlan show
## ip stats: the same RTM_GETSTATS extended statistics (bridge mcast and STP suites)
ip stats show dev eth0 group xstats_slave subgroup bridge
ip -j stats show dev eth0 group xstats_slave subgroup bridge suite stp
ip stats show dev br0 group xstats subgroup bridge
ip stats show group xstats subgroup bridge suite mcast
bridge vlan global show
bridge -j vlan global show
bridge -d vlan global show
bridge vlan global show dev br0
## per-VLAN multicast contexts start from br_multicast_ctx_init defaults, not the bridge's options
ip link set br0 type bridge mcast_igmp_version 3 mcast_last_member_count 5
bridge vlan add vid 40 dev br0 self
bridge vlan global show
ip link set br0 type bridge mcast_snooping 0
bridge vlan global show
ip link set br0 type bridge mcast_snooping 1
bridge -j vlan global show
## a bridge without VLAN filtering keeps its default pvid entry
ip link add br1 type bridge
ip link set eth2 master br1
bridge -s vlan show
bridge -j -s vlan show
bridge vlan global show
bridge -j vlan global show
ip link set br0 type bridge vlan_stats_enabled 1
bridge -s vlan show dev br0
ip link del br1
ip link set eth1 nomaster
bridge vlan del vid 21 dev eth0
bridge -s vlan show
bridge vlan global show
## bond extended statistics (bond_fill_linkxstats): 802.3ad counters of a down bond
ip link add bo0 type bond mode 802.3ad
ip link set eth1 master bo0
ip stats show dev bo0 group xstats subgroup bond
ip stats show group xstats_slave subgroup bond
ip link set eth1 nomaster
ip link set bo0 type bond mode active-backup
ip stats show dev bo0 group xstats subgroup bond
## BRIDGE_XSTATS_STP: new_nbp's br_init_port counts a blocking transition under kernel STP, br_stp_enable_port another
ip link add br2 type bridge stp_state 1
ip link set eth2 master br2
ip -j stats show dev eth2 group xstats_slave subgroup bridge suite stp
ip link set eth2 up
ip link set br2 up
ip -j stats show dev eth2 group xstats_slave subgroup bridge suite stp
