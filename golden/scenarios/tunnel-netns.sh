# Tunnels that change namespace measured for nlsim: a gre/gretap/ip6gre/ip6gretap tunnel stays in the
# tunnel table of the namespace it was created in (tunnel->net: ip_tunnel_newlink, ip_tunnel_changelink,
# ip6gre_newlink_common, ip6gre_changelink), a geneve on the list of geneve->net (the requester's
# namespace, geneve_configure); and what deleting either namespace does (ip_tunnel_destroy,
# ip6gre_destroy_tunnels, geneve_destroy_tunnels + default_device_exit_batch).
## gre: the moved tunnel still clashes in its creation namespace, not in its new one
ip netns add ns1
ip netns add ns2
ip link add gre1 type gre remote 192.0.2.1
ip link set gre1 netns ns1
ip link add gre2 type gre remote 192.0.2.1
ip -n ns1 link add gre3 type gre remote 192.0.2.1
ip -n ns1 -d -o link show gre1
ip -n ns1 -br link
## gre changelink: clashes are looked up in tunnel->net's table
ip link add gre4 type gre remote 192.0.2.2
ip -n ns1 link set gre1 type gre remote 192.0.2.2
ip -n ns1 link set gre1 type gre remote 192.0.2.3
ip link add gre5 type gre remote 192.0.2.1
ip -n ns1 link set gre3 type gre remote 192.0.2.3
ip link set gre4 type gre remote 192.0.2.3
ip -n ns1 -d -o link show gre1
## gre created in another namespace with `netns`: tunnel->net is the device's namespace
ip link add gre6 netns ns2 type gre remote 192.0.2.6
ip link add gre7 type gre remote 192.0.2.6
ip -n ns2 link add gre8 type gre remote 192.0.2.6
## gre external: one collect_md tunnel per table
ip link add gx1 type gre external
ip link set gx1 netns ns1
ip link add gx2 type gre external
ip -n ns1 link add gx3 type gre external
## gretap
ip link add gt1 type gretap remote 192.0.2.11
ip link set gt1 netns ns1
ip link add gt2 type gretap remote 192.0.2.11
ip -n ns1 link add gt3 type gretap remote 192.0.2.11
ip link add gt4 type gretap remote 192.0.2.12
ip -n ns1 link set gt1 type gretap remote 192.0.2.12
## ip6gre and ip6gretap
ip link add g6a type ip6gre remote 2001:db8::1
ip link set g6a netns ns1
ip link add g6b type ip6gre remote 2001:db8::1
ip -n ns1 link add g6c type ip6gre remote 2001:db8::1
ip -n ns1 -d -o link show g6a
ip link add g6d type ip6gre remote 2001:db8::2
ip -n ns1 link set g6a type ip6gre remote 2001:db8::2
ip link add gt6a type ip6gretap remote 2001:db8::11
ip link set gt6a netns ns1
ip link add gt6b type ip6gretap remote 2001:db8::11
ip -n ns1 link add gt6c type ip6gretap remote 2001:db8::11
ip link add g6x1 type ip6gre external
ip link set g6x1 netns ns1
ip link add g6x2 type ip6gre external
ip -n ns1 link add g6x3 type ip6gre external
## deleting the tunnel in its new namespace frees its entry in the old table
ip -n ns1 link del gre1
ip link add gre2 type gre remote 192.0.2.3
## geneve: on the list of the namespace it was created in
ip link add gnv1 type geneve id 10 remote 192.0.2.1
ip link set gnv1 netns ns1
ip link add gnv2 type geneve id 10 remote 192.0.2.1
ip -n ns1 link add gnv3 type geneve id 10 remote 192.0.2.1
ip -n ns1 -d -o link show gnv1
ip link add gnv4 type geneve id 11 remote 192.0.2.1
ip -n ns1 link set gnv1 type geneve remote 192.0.2.2
## geneve created with `netns`: geneve->net is the requester's namespace
ip link add gnv5 netns ns2 type geneve id 20 remote 192.0.2.20
ip link add gnv6 type geneve id 20 remote 192.0.2.20
ip -n ns2 link add gnv7 type geneve id 20 remote 192.0.2.20
ip -n ns2 -d -o link show gnv5
## geneve external: one device per port, per list
ip link add gnvx1 type geneve external dstport 7000
ip link set gnvx1 netns ns1
ip link add gnvx2 type geneve external dstport 7000
ip link add gnv8 type geneve id 30 remote 192.0.2.30 dstport 7000
ip -n ns1 link add gnvx3 type geneve external dstport 7000
ip -n ns1 link add gnvx4 type geneve external dstport 6081
ip -n ns1 link add gnv9 type geneve id 31 remote 192.0.2.31 dstport 7001
ip -n ns1 link add gnvx5 type geneve external dstport 7001
ip -br link
ip -n ns1 -br link
ip -n ns2 -br link
## deleting the namespace a tunnel was moved into: it dies there
ip netns del ns1
sleep 1
ip -br link
## the tables of init_net forgot the tunnels that died in ns1
ip link add gx2 type gre external
ip link add gt2 type gretap remote 192.0.2.11
ip link add g6x2 type ip6gre external
ip link add gnv2 type geneve id 10 remote 192.0.2.1
ip link add gnvx2 type geneve external dstport 7000
## deleting the namespace a tunnel was created in, while it lives elsewhere
ip netns add ns3
ip -n ns3 link add gre9 type gre remote 192.0.2.9
ip -n ns3 link set gre9 netns 1
ip -n ns3 link add gt9 type gretap remote 192.0.2.9
ip -n ns3 link set gt9 netns ns2
ip -n ns3 link add g69 type ip6gre remote 2001:db8::9
ip -n ns3 link set g69 netns 1
ip -n ns3 link add gnv10 type geneve id 40 remote 192.0.2.40
ip -n ns3 link set gnv10 netns 1
ip -n ns3 link add gnv11 type geneve id 41 remote 192.0.2.41
ip -n ns3 link set gnv11 netns ns2
ip -n ns3 link add d9 type dummy
ip -n ns3 link set d9 netns 1
ip -br link
ip -n ns2 -br link
ip netns del ns3
sleep 1
ip -br link
ip -n ns2 -br link
## deleting ns2: gnv5 (created from init_net) lives there and dies; gt9 dies too
ip link add gnv12 type geneve id 20 remote 192.0.2.21
ip netns del ns2
sleep 1
ip -br link
ip link add gnv6 type geneve id 20 remote 192.0.2.20
ip -d -o link show gnv6
