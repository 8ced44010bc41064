# New (no counterpart in ../shared/kernel-transcripts): rtnetlink notification order, seen by
# ip monitor running in the background of the scenario shell (eth0, eth1 are netdevsim ports).
## link/address/route events while building a bridge with a port and an address. IPv6 link-local
## generation is switched off (addrgenmode none): its DAD completes in wall time, so its events would
## land at timing-dependent places in the stream.
ip link set eth0 addrgenmode none
ip -o monitor link address route > /tmp/mon.txt 2>&1 &
sleep 1
ip link set eth0 address 02:00:00:00:00:0a
ip link set eth1 address 02:00:00:00:00:0b
ip link add br0 address 02:00:00:00:00:b0 type bridge
ip link set br0 addrgenmode none
ip link set eth0 master br0
ip link set eth0 up
ip link set br0 up
sleep 1
ip addr add 192.0.2.1/24 dev br0
ip link set eth0 mtu 1400
ip link set br0 down
ip link del br0
sleep 1
kill $!
wait
cat /tmp/mon.txt
## veth pair events, rename and netns move
ip -o monitor link > /tmp/mon2.txt 2>&1 &
sleep 1
ip link add va address 02:00:00:00:00:1a type veth peer name vb address 02:00:00:00:00:1b
ip link set va up
ip link set vb up
sleep 1
ip link set va down
ip link set va name vc
ip netns add ns1
ip link set vb netns ns1
ip link set eth1 name lan1
ip link set lan1 mtu 9000
ip link del vc
sleep 1
kill $!
wait
cat /tmp/mon2.txt
## bridge port events on the AF_BRIDGE side
bridge monitor link > /tmp/mon3.txt 2>&1 &
sleep 1
ip link add br1 address 02:00:00:00:00:b1 type bridge
ip link set lan1 master br1
ip link set lan1 up
ip link set br1 up
sleep 1
ip link set lan1 nomaster
sleep 1
kill $!
wait
cat /tmp/mon3.txt
