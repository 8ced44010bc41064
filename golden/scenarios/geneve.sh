# origin: ../shared/kernel-transcripts/scenarios/geneve.sh (command lines copied; eth0..eth2 are
# netdevsim ports here, not dummies; rule ids added from the catalog's scenario#N references).
## GENEVE: id/remote uniqueness, external, defaults
ip link add gn0 type geneve id 10 remote 192.0.2.1
ip -d link show dev gn0
ip link add gn1 type geneve id 10 remote 192.0.2.1   # GENEVE-DUP
ip link add gn2 type geneve id 10 remote 192.0.2.2   # GENEVE-DIFF
ip link add gn3 type geneve id 11 remote 192.0.2.1   # GENEVE-DIFF
ip link add gn4 type geneve id 10 remote 192.0.2.1 dstport 6082   # GENEVE-DIFF
ip link add gn5 type geneve id 12   # GENEVE-REQ
ip link add gn6 type geneve remote 192.0.2.1   # GENEVE-REQ
ip link add gn7 type geneve external   # GENEVE-EXTERNAL
ip link add gn8 type geneve external   # GENEVE-EXTERNAL
ip link add gn9 type geneve id 16777216 remote 192.0.2.1
ip link add gn10 type geneve id 13 remote 2001:db8::1
ip link add gn11 type geneve id 13 remote 224.0.0.1   # GENEVE-MCAST
ip -o link show dev gn0
ip link set gn0 mtu 9000   # GENEVE-MTU
ip link set gn0 mtu 70000   # GENEVE-MTU
ip link set gn0 type geneve id 99 remote 192.0.2.1   # GENEVE-CHANGE
ip link set gn0 type geneve ttl 5
ip link set gn0 up
ip link set gn2 up
ip -o link show dev gn0
ip link add br0 type bridge
ip link set gn0 master br0
