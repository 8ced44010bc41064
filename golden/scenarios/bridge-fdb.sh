# origin: written for nlsim (issue 5, bridge FDB); the kernel transcript is golden/kernel/6.12/bridge-fdb.txt.
## bridge FDB: the entries the kernel installs itself (permanent local entries of ports and bridge)
ip link set eth0 address 02:00:00:00:00:0a
ip link set eth1 address 02:00:00:00:00:0b
ip link add br0 address 02:00:00:00:00:b0 type bridge
bridge fdb show br br0   # FDB-BR-LOCAL
ip link set eth0 master br0
bridge fdb show br br0   # FDB-PORT-LOCAL
bridge fdb show dev eth0
bridge fdb show   # FDB-SELF-MC
## static entries (ndo_fdb_add = br_fdb_add)
bridge fdb add 02:00:00:00:00:01 dev eth0 master static   # FDB-ADD-STATIC
bridge fdb add 02:00:00:00:00:01 dev eth0 master static   # FDB-ADD-EXISTS
bridge fdb replace 02:00:00:00:00:01 dev eth0 master static
bridge fdb add 02:00:00:00:00:02 dev eth0 master   # FDB-ADD-DEFAULT
bridge fdb add 02:00:00:00:00:03 dev eth0 master dynamic   # FDB-ADD-DYNAMIC
bridge fdb add 02:00:00:00:00:04 dev eth0 master static vlan 5   # FDB-ADD-VLAN-NOFILTER
bridge fdb add 02:00:00:00:00:0a dev eth0 master static   # FDB-ADD-LOCAL-CLASH
bridge fdb add 02:00:00:00:00:05 dev eth1 master static   # FDB-ADD-NOTPORT
bridge fdb add 02:00:00:00:00:06 dev br0 master static   # FDB-ADD-BRIDGE-MASTER
bridge fdb add 02:00:00:00:00:06 dev br0 self local   # FDB-ADD-BRIDGE-SELF
bridge fdb add 01:00:5e:00:00:05 dev eth0 master static   # FDB-ADD-MCAST
bridge fdb add 00:00:00:00:00:00 dev eth0 master static   # FDB-ADD-ZERO
bridge fdb add 02:00:00:00:00:07 dev eth0 master sticky static   # FDB-ADD-STICKY
bridge fdb show br br0
bridge fdb show dev eth0
bridge -j fdb show dev eth0
## delete
bridge fdb del 02:00:00:00:00:01 dev eth0 master   # FDB-DEL
bridge fdb del 02:00:00:00:00:01 dev eth0 master   # FDB-DEL-ENOENT
bridge fdb del 02:00:00:00:00:0a dev eth0 master   # FDB-DEL-LOCAL
bridge fdb del 02:00:00:00:00:02 dev eth1 master   # FDB-DEL-NOTPORT
bridge fdb show br br0
## the port's and the bridge's MAC change move their local entries
ip link set eth0 address 02:00:00:00:00:1a   # FDB-PORT-CHADDR
bridge fdb show br br0
ip link set br0 address 02:00:00:00:00:b1   # FDB-BR-CHADDR
bridge fdb show br br0
## VLAN filtering: local entries per vlan
ip link set br0 type bridge vlan_filtering 1
bridge fdb show br br0   # FDB-VLAN-LOCAL
bridge vlan add vid 10 dev eth0
bridge vlan add vid 11 dev br0 self
bridge fdb show br br0   # FDB-VLAN-ADD
bridge fdb add 02:00:00:00:00:08 dev eth0 master static vlan 10   # FDB-ADD-VLAN
bridge fdb add 02:00:00:00:00:09 dev eth0 master static vlan 20   # FDB-ADD-VLAN-NOTCONF
bridge fdb show dev eth0
bridge vlan del vid 10 dev eth0   # FDB-VLAN-DEL
bridge fdb show br br0
## a second port, then ports leave
ip link set eth1 master br0
bridge fdb add 02:00:00:00:00:0c dev eth1 master static
bridge fdb show br br0
ip link set eth0 nomaster   # FDB-PORT-LEAVE
bridge fdb show br br0
## up: the devices' own multicast addresses (self entries)
ip link set br0 up
ip link set eth1 up
bridge fdb show
ip link set eth1 down
bridge fdb show   # FDB-SELF-DOWN
ip link del br0   # FDB-BR-DEL
bridge fdb show
## self entries on a device that is not a bridge (ndo_dflt_fdb_add: the unicast address list)
ip link add d0 address 02:00:00:00:00:d0 type dummy
bridge fdb add 02:00:00:00:00:10 dev d0 self   # FDB-DFLT-NOTPERM
bridge fdb add 02:00:00:00:00:10 dev d0 self permanent   # FDB-DFLT-ADD
bridge fdb add 02:00:00:00:00:10 dev d0 self permanent   # FDB-DFLT-EXISTS
bridge fdb add 01:00:5e:00:00:11 dev d0 self permanent   # FDB-DFLT-MCAST
bridge fdb show dev d0
bridge fdb del 02:00:00:00:00:10 dev d0 self   # FDB-DFLT-DEL
bridge fdb del 02:00:00:00:00:10 dev d0 self   # FDB-DFLT-DEL-ENOENT
bridge fdb show dev d0
bridge fdb add 02:00:00:00:00:12 dev d0 master static   # FDB-NOMASTER
bridge fdb show dev nosuchdev
## the multicast lists across down/up, MTU below IPv6's minimum, and a bridge without a set MAC
ip link set d0 up
bridge fdb show dev d0   # FDB-SELF-UP
ip link set d0 down
ip link set d0 up
bridge fdb show dev d0   # FDB-SELF-REUP
ip link set d0 mtu 1200
bridge fdb show dev d0   # FDB-SELF-MTU
ip link set d0 mtu 1500
bridge fdb show dev d0
ip link set d0 down
bridge fdb show dev d0
ip link add br1 type bridge
bridge fdb show br br1 | grep -c permanent   # FDB-BR-RANDOM
ip link set eth2 address 02:00:00:00:00:0e
ip link set eth2 master br1
bridge fdb show br br1   # FDB-BR-TAKES-PORT-MAC
ip link set br1 type bridge mcast_snooping 0
ip link set br1 up
bridge fdb show dev br1   # FDB-SNOOPING-OFF
ip link set br1 type bridge mcast_snooping 1
bridge fdb show dev br1   # FDB-SNOOPING-ON
ip link del br1
## stacked devices put their addresses on the lower device (dev_uc_add / dev_mc_sync)
ip link add link eth0 name eth0.5 address 02:00:00:00:05:05 type vlan id 5
ip link add link eth0 name mv0 address 02:00:00:00:06:06 type macvlan mode bridge
ip link set eth0 up
ip link set eth0.5 up
ip link set mv0 up
bridge fdb show dev eth0   # FDB-LOWER-LISTS
bridge fdb show dev eth0.5
bridge fdb show dev mv0
ip link set eth0.5 down
bridge fdb show dev eth0
ip link del mv0
bridge fdb show dev eth0
## veth, bond and the rest of the kinds
ip link add va address 02:00:00:00:00:1a type veth peer name vb address 02:00:00:00:00:1b
ip link set va up
ip link set vb up
bridge fdb show dev va
ip link add bond0 type bond
ip link set eth1 master bond0
ip link set bond0 up
bridge fdb show dev bond0
bridge fdb show dev eth1   # FDB-BOND-SLAVE
ip link add nl0 type nlmon
ip link set nl0 up
bridge fdb show dev nl0
ip link set lo up
bridge fdb show dev lo
## notifications: bridge monitor fdb (RTNLGRP_NEIGH)
bridge monitor fdb > /tmp/monfdb.txt 2>&1 &
sleep 1
ip link add br2 address 02:00:00:00:00:b2 type bridge
ip link set va master br2
bridge fdb add 02:00:00:00:00:21 dev va master static
bridge fdb add 02:00:00:00:00:21 dev va master static sticky
bridge fdb replace 02:00:00:00:00:21 dev va master static sticky
bridge fdb del 02:00:00:00:00:21 dev va master
bridge fdb add 02:00:00:00:00:22 dev va self permanent
bridge fdb del 02:00:00:00:00:22 dev va self
ip link set va address 02:00:00:00:00:2a
bridge vlan add vid 7 dev va
ip link set va nomaster
ip link del br2
sleep 1
kill $!
wait
cat /tmp/monfdb.txt
## notifications of bridge creation and address changes
bridge monitor fdb > /tmp/monfdb2.txt 2>&1 &
sleep 1
ip link add brA type bridge   # FDB-BR-REGISTER
ip link add brB address 02:00:00:00:00:bb type bridge vlan_default_pvid 0
ip link add brC address 02:00:00:00:00:cc type bridge
ip link set brC address 02:00:00:00:00:cd
ip link add brD address 02:00:00:00:00:dd type bridge vlan_filtering 1
sleep 1
kill $!
wait
cat /tmp/monfdb2.txt
## bridge fdb get (rtnl_fdb_get, br_fdb_get)
ip link add br5 address 02:00:00:00:00:c5 type bridge
ip link set eth2 master br5
bridge fdb add 02:00:00:00:00:31 dev eth2 master static
bridge fdb get 02:00:00:00:00:31 br br5   # FDB-GET
bridge fdb get 02:00:00:00:00:31 dev eth2
bridge fdb get 02:00:00:00:00:31 br br5 vlan 1
bridge fdb get 02:00:00:00:00:c5 br br5
bridge -j fdb get 02:00:00:00:00:31 br br5
bridge fdb get 02:00:00:00:00:32 br br5   # FDB-GET-ENOENT
bridge fdb get 02:00:00:00:00:31 br br5 vlan 99
bridge fdb get 02:00:00:00:00:31 dev d0   # FDB-GET-NOTPORT
bridge fdb get 02:00:00:00:00:31 dev d0 self
bridge fdb get 02:00:00:00:00:31 br eth0
bridge fdb get 02:00:00:00:00:31 dev eth2 br br5
## addrgenmode none: no IPv6 link-local, so no solicited-node group (addrconf_addr_gen)
ip link add d7 address 02:00:00:00:00:d7 type veth peer name d8 address 02:00:00:00:00:d8
ip link set d7 addrgenmode none   # ADDRGENMODE-NONE
ip link set d7 up
ip link set d8 up
bridge fdb show dev d7
bridge fdb show dev d8
ip -d link show dev d7 | grep -o "addrgenmode [a-z0-9_]*"
ip link set d8 addrgenmode stable_secret   # ADDRGENMODE-STABLE-NOSECRET
ip link set d7 mtu 1200
ip link set d7 addrgenmode eui64   # ADDRGENMODE-NO-IDEV
