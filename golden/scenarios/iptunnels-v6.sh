# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the IPv6 tunnel kinds
# ip6tnl, vti6 and ip6erspan (create options, ip -d details, duplicates, wildcard, dev binding and MTU,
# external, changelink clashes, MTU limits, netns moves, delete); the link commands of the kernel selftest
# tools/testing/selftests/net/rtnetlink.sh (kci_test_ip6erspan) are included. Transcript
# golden/kernel/6.12/iptunnels-v6.txt from the oracle. Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="ip6_vti"
## ip6tnl: create, details, modes, duplicates, wildcard, encaplimit/flowlabel/tclass
ip link add t6a type ip6tnl remote 2001:db8::1 local 2001:db8::2
ip -d link show dev t6a
ip link add t6b type ip6tnl remote 2001:db8::1 local 2001:db8::2 mode ipip6
ip link add t6c type ip6tnl remote 2001:db8::1 local 2001:db8::2 mode ip6ip6 hoplimit 10
ip link add t6d type ip6tnl remote 2001:db8::3 local 2001:db8::2 mode ip6ip6 encaplimit none flowlabel 0x12345 tclass 0x40 hoplimit 3
ip -d link show dev t6d
ip link add t6e type ip6tnl remote 2001:db8::4 mode ipip6 encaplimit 0 flowlabel inherit tclass inherit fwmark 9
ip -d link show dev t6e
ip link add t6f type ip6tnl
ip -d link show dev t6f
ip link add t6g type ip6tnl
ip link add t6h type ip6tnl remote 2001:db8::8 dev eth0
ip link set eth0 mtu 9000
ip link add t6i type ip6tnl remote 2001:db8::9 dev eth0
ip -o link show dev t6h
ip -o link show dev t6i
ip link add t6x1 type ip6tnl external
ip -d link show dev t6x1
ip link add t6x2 type ip6tnl external
ip link set t6a mtu 65000
ip link set t6a mtu 70000
ip link set t6a mtu 1279
ip link set t6a type ip6tnl remote 2001:db8::3 local 2001:db8::2
ip link set t6a type ip6tnl hoplimit 9
ip -d link show dev t6a
ip link set t6d up
ip -o link show dev t6d
## vti6
ip link add v6a type vti6 remote 2001:db8::1 local 2001:db8::2 ikey 5 okey 6
ip -d link show dev v6a
ip link add v6b type vti6 remote 2001:db8::1 local 2001:db8::2 ikey 7
ip link add v6c type vti6
ip -d link show dev v6c
ip link add v6d type vti6 remote 2001:db8::4 dev eth0
ip -o link show dev v6d
ip link set v6a mtu 65000
ip link set v6a mtu 70000
ip link set v6a mtu 1279
## ip6erspan (selftest kci_test_ip6erspan)
ip link add dev ip6erspan00 type ip6erspan seq key 102 local fc00:100::1 remote fc00:100::2 erspan_ver 1 erspan 488
ip -d link show dev ip6erspan00
ip link set dev ip6erspan00 up
ip -o link show dev ip6erspan00
ip link del ip6erspan00
ip link add dev ip6erspan00 type ip6erspan seq key 102 local fc00:100::1 remote fc00:100::2 erspan_ver 2 erspan_dir ingress erspan_hwid 7
ip -d link show dev ip6erspan00
ip link add dev ip6erspan01 type ip6erspan seq key 102 local fc00:100::1 remote fc00:100::2 erspan_ver 1 erspan 1
ip link add dev ip6erspan02 type ip6erspan key 103 remote fc00:100::2
ip link add dev ip6erspan04 type ip6erspan seq key 104 remote fc00:100::2 erspan_ver 0
ip link add dev ip6erspanx type ip6erspan external
ip -d link show dev ip6erspanx
ip link add dev ip6erspanx2 type ip6erspan external
## netns moves: the entry stays in the table of the creation namespace
ip netns add ns1
ip link set t6a netns ns1
ip -n ns1 -d link show dev t6a
ip link add t6j type ip6tnl remote 2001:db8::1 local 2001:db8::2 mode ip6ip6
ip -n ns1 link add t6k type ip6tnl remote 2001:db8::1 local 2001:db8::2 mode ip6ip6
ip link set v6a netns ns1
ip link add v6e type vti6 remote 2001:db8::1 local 2001:db8::2
ip link set ip6erspan00 netns ns1
ip -n ns1 link add dev ip6erspan03 type ip6erspan seq key 102 local fc00:100::1 remote fc00:100::2 erspan_ver 1 erspan 1
ip -br link
ip -n ns1 -br link
## delete
ip link del t6f
ip link del ip6erspanx
ip -n ns1 link del v6a
