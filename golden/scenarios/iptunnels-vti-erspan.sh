# origin: written for nlsim (issue 12, kinds nlsim still refuses) as a measurement of the ip_tunnel
# kinds vti and erspan; the link commands of the kernel selftest tools/testing/selftests/net/rtnetlink.sh
# (kci_test_erspan) are included. Transcript golden/kernel/6.12/iptunnels-vti-erspan.txt from the oracle.
# Modelled in issue 12.
#@env ORACLE_EXTRA_MODULES="ip_vti"
## vti: ikey/okey, duplicates, dev binding
ip link add vti1 type vti remote 192.0.2.1 local 192.0.2.2 ikey 5 okey 6
ip -d link show dev vti1
ip link add vti2 type vti remote 192.0.2.1 local 192.0.2.2 ikey 5 okey 7
ip link add vti3 type vti remote 192.0.2.1 local 192.0.2.2 ikey 6
ip link add vti4 type vti
ip -d link show dev vti4
ip link add vti5 type vti remote 192.0.2.5 dev eth0
ip -o link show dev vti5
ip link set vti1 mtu 65000
ip link set vti1 mtu 70000
ip link set vti1 type vti remote 192.0.2.1 local 192.0.2.2 ikey 6
## erspan (selftest kci_test_erspan), versions, index range
ip link add dev erspan00 type erspan seq key 102 local 172.16.1.100 remote 172.16.1.200 erspan_ver 1 erspan 488
ip -d link show dev erspan00
ip link set dev erspan00 up
ip -o link show dev erspan00
ip link del erspan00
ip link add dev erspan00 type erspan seq key 102 local 172.16.1.100 remote 172.16.1.200 erspan_ver 2 erspan_dir ingress erspan_hwid 7
ip -d link show dev erspan00
ip link add dev erspan01 type erspan seq key 102 local 172.16.1.100 remote 172.16.1.200 erspan_ver 1 erspan 5
ip link add dev erspan02 type erspan key 103 remote 172.16.1.200
ip link add dev erspan03 type erspan remote 172.16.1.201
ip link add dev erspan05 type erspan seq key 105 remote 172.16.1.200 erspan_ver 1 erspan 1024
ip -d link show dev erspan05
ip link add dev erspan06 type erspan seq key 106 remote 172.16.1.200 erspan_ver 0
ip -d link show dev erspan06
ip link add dev erspanx type erspan external
ip -d link show dev erspanx
ip link add dev erspanx2 type erspan external
ip link set erspan00 type erspan erspan_ver 1 erspan 9
ip -d link show dev erspan00
## netns moves: the entry stays in the table of the creation namespace
ip netns add ns1
ip link set vti1 netns ns1
ip -n ns1 -d link show dev vti1
ip link add vti6 type vti remote 192.0.2.1 local 192.0.2.2 ikey 5
ip -n ns1 link add vti7 type vti remote 192.0.2.1 local 192.0.2.2 ikey 5
ip link set erspan00 netns ns1
ip -n ns1 -d link show dev erspan00
ip link add dev erspan07 type erspan seq key 102 local 172.16.1.100 remote 172.16.1.200 erspan_ver 1 erspan 1
ip -n ns1 link del vti1
ip -br link
ip -n ns1 -br link
