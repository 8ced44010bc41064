# origin: ../shared/kernel-transcripts/scenarios/netns.sh (command lines copied; eth0..eth2 are netdevsim
# ports here: they have no rtnl_link_ops, so deleting their netns returns them to init_net).
## netns moves: netns-local devices, bond slave, macvlan, name and ifindex collisions, netns delete
ip netns add ns1
ip netns list
ip link add br0 type bridge
ip link set br0 netns ns1   # NETNS-LOCAL
ip link add bond0 type bond
ip link set bond0 netns ns1   # NETNS-LOCAL
ip link add team0 type team
ip link set team0 netns ns1   # NETNS-LOCAL
ip link add vrf0 type vrf table 10
ip link set vrf0 netns ns1   # NETNS-LOCAL
ip link add vx0 type vxlan id 10 dstport 4789   # VXLAN-NETNS
ip link set vx0 netns ns1   # NETNS-MOVABLE VXLAN-NETNS
ip link add gn0 type geneve id 10 remote 192.0.2.1   # GENEVE-NETNS
ip link set gn0 netns ns1   # GENEVE-NETNS NETNS-MOVABLE
ip link add gre1 type gre remote 192.0.2.1
ip link set gre1 netns ns1   # NETNS-MOVABLE
ip link add nl0 type nlmon
ip link set nl0 netns ns1   # NETNS-MOVABLE
ip link set lo netns ns1   # NETNS-LOCAL
## bond slave moved -> released from the bond
ip link set eth0 master bond0   # BOND-SLAVE-NETNS
ip link set eth0 netns ns1   # BOND-SLAVE-NETNS
ip -n ns1 -o link show dev eth0   # BOND-SLAVE-NETNS
cat /sys/class/net/bond0/bonding/slaves   # BOND-SLAVE-NETNS
## bridge port moved -> removed from bridge
ip link add d1 type dummy   # NETNS-BRPORT
ip link set d1 master br0   # NETNS-BRPORT
ip link set d1 netns ns1   # NETNS-BRPORT
bridge link show   # NETNS-BRPORT
## macvlan/vlan moved: lower stays, link shows @ifN
ip link add link eth1 name mv0 type macvlan   # MACVLAN-NETNS
ip link set mv0 netns ns1   # MACVLAN-NETNS
ip -n ns1 -o link show dev mv0   # MACVLAN-NETNS
ip link add link eth1 name eth1.5 type vlan id 5   # VLAN-NETNS
ip link set eth1.5 netns ns1   # VLAN-NETNS
ip -n ns1 -d -o link show dev eth1.5   # VLAN-NETNS
## lower deleted while upper in another netns
ip link del eth1   # MACVLAN-NETNS VLAN-NETNS
ip -n ns1 -br link show   # MACVLAN-NETNS VLAN-NETNS
## name collision in target
ip -n ns1 link add eth2 type dummy   # NETNS-NAME-CLASH
ip link set eth2 netns ns1   # NETNS-NAME-CLASH
ip link set eth2 netns ns1 name eth2b   # NETNS-RENAME-MOVE
ip -n ns1 -o link show dev eth2b   # NETNS-RENAME-MOVE
## ifindex collision in target: device gets a new ifindex
ip link add d2 index 50 type dummy   # NETNS-IFINDEX-CLASH
ip -n ns1 link add dd index 50 type dummy   # NETNS-IFINDEX-CLASH
ip link set d2 netns ns1   # NETNS-IFINDEX-CLASH
ip -n ns1 -o link show dev d2   # NETNS-IFINDEX-CLASH
ip link add d3 index 60 type dummy   # NETNS-IFINDEX-KEEP
ip link set d3 netns ns1   # NETNS-IFINDEX-KEEP
ip -n ns1 -o link show dev d3   # NETNS-IFINDEX-KEEP
## move back by pid
ip -n ns1 link set d3 netns 1   # NETNS-IFINDEX-KEEP
ip -o link show dev d3   # NETNS-IFINDEX-KEEP
## moving an UP device: comes down? addresses kept?
ip link add d4 type dummy   # NETNS-UP-DOWN
ip addr add 192.0.2.4/24 dev d4   # NETNS-UP-DOWN
ip link set d4 up   # NETNS-UP-DOWN
ip link set d4 netns ns1   # NETNS-UP-DOWN
ip -n ns1 -o link show dev d4   # NETNS-UP-DOWN
ip -n ns1 -o addr show dev d4   # NETNS-UP-DOWN
## netns delete: software devices inside are destroyed, not returned
ip link add d5 type dummy   # NETNS-DEL-DESTROYS
ip link set d5 netns ns1   # NETNS-DEL-DESTROYS
ip netns del ns1   # NETNS-DEL-DESTROYS
sleep 1
ip -br link show   # NETNS-DEL-DESTROYS
ip netns add ns2
ip link set eth0 netns ns2
ip link set nosuchdev netns ns2
ip link set d3 netns nosuchns   # NETNS-BAD
