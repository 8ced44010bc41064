# origin: ../shared/kernel-transcripts/scenarios/veth.sh (copied unchanged: it uses no NICs).
## veth: peer naming, carrier coupling, deleting one end, netns placement
ip link add veth0 type veth   # VETH-NAME-VETH0
ip -br link show
ip link add va type veth peer name vb   # VETH-PEERNAME
ip -o link show dev va   # VETH-PEERNAME
ip link add vc type veth peer name va   # VETH-PEER-EXISTS
ip link add vd type veth peer name vd   # VETH-PEER-EXISTS
ip link add type veth   # VETH-NONAME
ip link add type veth peer name vz
ip -br link show
## carrier: one end up -> NO-CARRIER / LOWERLAYERDOWN
ip link set va up   # VETH-CARRIER
ip -o link show dev va   # VETH-CARRIER OPER-LOWERLAYERDOWN
ip link set vb up   # VETH-CARRIER-BOTH
ip -o link show dev va   # VETH-CARRIER-BOTH
ip link set vb down   # VETH-CARRIER-BOTH
ip -o link show dev va   # VETH-CARRIER-BOTH
ip link set vb up
## MTU is per end
ip link set va mtu 9000   # VETH-MTU
ip -o link show dev vb   # VETH-MTU
ip link set va mtu 65535   # VETH-MTU
ip link set va mtu 65536   # VETH-MTU
## delete one end deletes both
ip link del vb   # VETH-DEL-PEER
ip -o link show dev va   # VETH-DEL-PEER
## peers in a namespace
ip netns add ns1
ip link add vx type veth peer name vy netns ns1   # VETH-PEER-NETNS
ip -o link show dev vx   # VETH-PEER-NETNS
ip -n ns1 -o link show dev vy   # VETH-PEER-NETNS
ip link add vp type veth peer name vq
ip link set vq netns ns1   # VETH-MOVE
ip -n ns1 -o link show dev vq   # VETH-MOVE
ip -o link show dev vp   # VETH-MOVE
ip link del vp   # VETH-MOVE
ip -n ns1 -br link show   # VETH-MOVE
## deleting the netns destroys its veth end and therefore also the local peer
ip netns del ns1   # VETH-NETNS-DEL
sleep 1
ip -br link show   # VETH-NETNS-DEL
## veth with explicit addresses and peer attributes
ip link add ve0 address 02:00:00:00:00:e0 type veth peer name ve1 address 02:00:00:00:00:e1 mtu 4000   # VETH-PEER-ATTRS
ip -o link show dev ve0   # VETH-PEER-ATTRS
ip -o link show dev ve1   # VETH-PEER-ATTRS
