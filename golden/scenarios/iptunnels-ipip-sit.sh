# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the ip_tunnel
# kinds ipip and sit (create options, ip -d details, duplicates, wildcard, dev binding and MTU, external,
# changelink clashes, MTU limits, netns moves, delete). Transcript golden/kernel/6.12/iptunnels-ipip-sit.txt
# from the oracle. Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="ipip sit"
## ipip: create, details, duplicates (same remote/local), wildcard, dev binding, external
ip link add ipip1 type ipip remote 192.0.2.1 local 192.0.2.2
ip -d link show dev ipip1
ip link add ipip2 type ipip remote 192.0.2.1 local 192.0.2.2 ttl 64 tos 0x10
ip link add ipip3 type ipip remote 192.0.2.3 local 192.0.2.2 ttl 64 tos 0x10 mode any nopmtudisc
ip link add ipip3 type ipip remote 192.0.2.3 local 192.0.2.2 ttl 64 tos inherit mode any fwmark 7
ip -d link show dev ipip3
ip link add ipip4 type ipip
ip link add ipip5 type ipip
ip link add ipip6 type ipip mode mplsip remote 192.0.2.6
ip -d link show dev ipip6
ip link add ipip7 type ipip remote 192.0.2.7 dev eth0
ip link set eth0 mtu 9000
ip link add ipip8 type ipip remote 192.0.2.8 dev eth0
ip -o link show dev ipip7
ip -o link show dev ipip8
ip link add ipipx1 type ipip external
ip -d link show dev ipipx1
ip link add ipipx2 type ipip external
ip link set ipip1 mtu 65000
ip link set ipip1 mtu 70000
ip link set ipip1 type ipip remote 192.0.2.3 local 192.0.2.2
ip link set ipip1 type ipip ttl 9
ip -d link show dev ipip1
ip link set ipip3 up
ip -o link show dev ipip3
## sit: modes, isatap, 6rd, duplicates, external
ip link add sit1 type sit remote 192.0.2.1 local 192.0.2.2
ip -d link show dev sit1
ip link add sit2 type sit remote 192.0.2.1 local 192.0.2.2
ip link add sit3 type sit mode ip6ip remote 192.0.2.3
ip link add sit4 type sit mode any remote 192.0.2.4 ttl 3
ip -d link show dev sit4
ip link add sit5 type sit mode ipip remote 192.0.2.5
ip link add sit6 type sit isatap local 192.0.2.6
ip -d link show dev sit6
ip link add sit7 type sit remote 192.0.2.7 6rd-prefix 2001:db8::/32 6rd-relay_prefix 192.0.0.0/8
ip -d link show dev sit7
ip link add sitx1 type sit external
ip -d link show dev sitx1
ip link add sitx2 type sit external
ip link add sit8 type sit
ip link add sit9 type sit remote 192.0.2.9 dev eth0
ip -o link show dev sit9
ip link set sit1 mtu 65000
ip link set sit1 mtu 70000
ip link set sit1 type sit remote 192.0.2.3
## netns moves: each kind's entry stays in the table of its creation namespace
ip netns add ns1
ip link set ipip1 netns ns1
ip -n ns1 -d link show dev ipip1
ip link add ipip9 type ipip remote 192.0.2.1 local 192.0.2.2
ip -n ns1 link add ipip10 type ipip remote 192.0.2.1 local 192.0.2.2
ip link set sit1 netns ns1
ip -n ns1 -d link show dev sit1
ip link add sit10 type sit remote 192.0.2.3 local 192.0.2.2
ip link set ipipx1 netns ns1
ip link add ipipx2 type ipip external
ip -n ns1 link add ipipx3 type ipip external
ip -br link
ip -n ns1 -br link
## delete
ip link del ipip4
ip link del sitx1
