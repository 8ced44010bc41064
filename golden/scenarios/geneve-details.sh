# origin: written for nlsim (issue 6) as a probe of GRE/GENEVE details beyond the catalog; transcript golden/kernel/6.12/geneve-details.txt from the oracle.
## probe: geneve details
ip link add gn0 type geneve id 10 remote 192.0.2.1
ip link set gn0 type geneve id 10 remote 192.0.2.1 ttl 5
ip -d link show dev gn0
ip link set gn0 type geneve id 10 remote 192.0.2.9
ip -d link show dev gn0
ip link set gn0 type geneve id 10 remote 2001:db8::1
ip link set gn0 type geneve id 10 remote 192.0.2.9 dstport 6081
ip link add gx type geneve external dstport 7000
ip link add gy type geneve id 5 remote 192.0.2.1 dstport 7000
ip -d link show dev gx
ip link set gx type geneve external
ip link add g6n type geneve id 14 remote 2001:db8::1
ip -d link show dev g6n
ip link add gn1 type geneve id 14 remote 192.0.2.1
ip link add g6m type geneve id 14 remote c000:201::
ip link add gv type geneve id 15 remote 192.0.2.1 mtu 65500
ip -o link show dev gv
ip link add gw type geneve id 16 remote 192.0.2.1 mtu 65506
ip link add gz type geneve id 17 remote 192.0.2.1 ttl inherit udpcsum tos 0x10 df set
ip -d link show dev gz
ip -d link show dev g6n
ip link set gn0 address 02:00:00:00:00:01
ip link set gn0 mtu 67
ip link add gq type geneve id 18 remote 192.0.2.1 innerprotoinherit
ip -d link show dev gq
ip link add gl type geneve id 19 remote 2001:db8::7 flowlabel 0x12345
ip -d link show dev gl
ip link add gk type geneve id 20 remote 192.0.2.1 flowlabel 0x12345
ip link set gn0 up
ip -o link show dev gn0
