# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the xfrm interface
# kind (xfrm_interface_core.c: xfrmi_newlink, xfrmi_changelink, xfrmi_locate): if_id rules, duplicates,
# external (collect_md), changes, dev binding and MTU, up, netns move, delete. Transcript
# golden/kernel/6.12/xfrm.txt from the oracle. Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="xfrm_interface"
## create, details, if_id rules, duplicates
ip link add xfrm1 type xfrm dev eth0 if_id 7
ip -d link show dev xfrm1
ip link add xfrm2 type xfrm dev eth0
ip link add xfrm3 type xfrm dev eth0 if_id 0
ip link add xfrm4 type xfrm dev eth1 if_id 7
ip link add xfrm5 type xfrm if_id 8
ip -d link show dev xfrm5
ip link add xfrm6 type xfrm if_id 0xffffffff
ip -d link show dev xfrm6
## external (collect_md): one per namespace, no link or if_id
ip link add xfrmx type xfrm external
ip -d link show dev xfrmx
ip link add xfrmx2 type xfrm external
ip link add xfrmx3 type xfrm dev eth1 external
ip link add xfrmx4 type xfrm if_id 3 external
## changelink: if_id required, clash, collect_md fixed
ip link set xfrm1 type xfrm if_id 9
ip link set xfrm1 type xfrm dev eth0 if_id 8
ip link set xfrm1 type xfrm dev eth1 if_id 9
ip link set xfrm1 type xfrm dev eth0 if_id 9
ip -d link show dev xfrm1
ip link set xfrm6 type xfrm if_id 13
ip -d link show dev xfrm6
ip link set xfrm1 type xfrm dev eth1
ip link set xfrmx type xfrm if_id 4
ip link set xfrm5 type xfrm if_id 4 external
## MTU: dev binding, limits; up
ip link set eth0 mtu 9000
ip link add xfrm7 type xfrm dev eth0 if_id 10
ip -o link show dev xfrm7
ip link add xfrm8 mtu 9000 type xfrm if_id 11
ip -o link show dev xfrm8
ip link set xfrm5 mtu 65535
ip link set xfrm5 mtu 65536
ip link set xfrm5 mtu 67
ip link set xfrm5 mtu 68
ip link set xfrm5 up
ip -o link show dev xfrm5
ip link set xfrm5 down
ip -d link show dev xfrm5
## netns move
ip netns add ns1
ip link set xfrm1 netns ns1
ip -n ns1 -d link show dev xfrm1
ip link add xfrm9 type xfrm if_id 9
ip -n ns1 link add xfrm10 type xfrm if_id 9
ip link set xfrmx netns ns1
ip link add xfrmx5 type xfrm external
ip -n ns1 link add xfrmx6 type xfrm external
ip -n ns1 link add xfrm11 type xfrm if_id 12
ip -n ns1 link set xfrm11 netns 1
ip -d link show dev xfrm11
ip link add xfrm12 type xfrm if_id 12
## delete
ip link del xfrm5
ip link add xfrm5 type xfrm if_id 8
ip -br link
ip -n ns1 -br link
