# origin: written for nlsim's corpus (dump filters: IFLA_MASTER / IFLA_LINKINFO kind, NLM_F_DUMP_FILTERED).
## ip link show with master / type / up filters
ip link add br0 type bridge
ip link add br1 type bridge
ip link add d0 type dummy
ip link add va type veth peer name vb
ip link set eth0 master br0
ip link set va master br0
ip link set d0 master br1
ip -br link show master br0
ip -br link show master br1
ip -br link show type bridge
ip -br link show type veth
ip -br link show type dummy
ip -br link show type bridge_slave
ip link set br0 up
ip link set eth0 up
ip -br link show up
ip -br link show master nosuchdev
ip -br link show type nosuchkind
bridge link show
bridge link show dev va
ip -j link show master br0
