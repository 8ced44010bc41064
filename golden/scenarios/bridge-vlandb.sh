# origin: written for nlsim (issue 5, bridge VLAN database dumps: RTM_GETVLAN); transcript golden/kernel/6.12/bridge-vlandb.txt from the oracle.
## bridge VLAN database: bridge -d vlan show (RTM_GETVLAN), global options, stats, monitor
bridge monitor vlan > /tmp/mv.txt 2>&1 &
sleep 1
ip link add br0 address 02:00:00:00:00:b0 type bridge vlan_filtering 1
ip link set eth0 master br0
bridge vlan add vid 10 dev eth0
bridge vlan add vid 20-22 dev eth0 untagged
bridge vlan add vid 30 dev br0 self
bridge vlan show
bridge -d vlan show   # BRVLAN-DUMP-RANGES
bridge -s vlan show
bridge vlan global show
bridge -j -d vlan show
bridge vlan del vid 21 dev eth0
bridge -d vlan show dev eth0
sleep 1
kill $!
wait
cat /tmp/mv.txt
