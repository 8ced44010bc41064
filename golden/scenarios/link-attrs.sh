# origin: written for nlsim's corpus (generic link attributes the catalog does not cover).
## generic attributes: alias, group, txqueuelen, flags (arp, multicast, promisc, allmulti), carrier on dummy
ip link add d0 type dummy
ip link set d0 alias "uplink to rack 3"
ip -d link show dev d0
ip link set d0 alias ""
ip -o link show dev d0
ip link set d0 group 7
ip link show group 7
ip link set d0 txqueuelen 0
ip link set d0 txqueuelen 5000
ip -o link show dev d0
ip link set d0 arp on
ip link set d0 multicast on
ip -o link show dev d0
ip link set d0 promisc on
ip link set d0 allmulticast on
ip -d link show dev d0
ip link set d0 promisc off allmulticast off arp off multicast off
ip -o link show dev d0
ip link set d0 up
ip link set d0 carrier off
ip -o link show dev d0
ip link set d0 carrier on
ip -o link show dev d0
ip link set eth0 alias "netdevsim port"
ip link set eth0 txqueuelen 2000
ip link set eth0 promisc on
ip -d link show dev eth0
ip link set eth0 carrier off
ip link set lo group 3
ip -br link show group 3
ip -s link show dev d0
