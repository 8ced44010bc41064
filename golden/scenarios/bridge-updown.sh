# origin: ../shared/kernel-transcripts/scenarios/bridge-updown.sh (command lines copied; eth0 is a
# netdevsim port here: carrier is on as soon as it is up, like dummy).
## bridge carrier/operstate vs ports; deleting a bridge releases the ports
ip link add br0 type bridge
ip link set br0 up   # BR-CARRIER-NOPORTS
ip -o link show dev br0   # BR-CARRIER-NOPORTS
ip link set eth0 master br0
ip -o link show dev br0   # BR-CARRIER-PORTS
ip link set eth0 up   # BR-CARRIER-FWD
sleep 1
ip -o link show dev br0   # BR-CARRIER-FWD
bridge link show   # BR-CARRIER-FWD
ip link set eth0 down   # BR-PORT-DOWN
bridge link show   # BR-PORT-DOWN
ip -o link show dev br0   # BR-CARRIER-PORTS
ip link set eth0 up
ip link add va type veth peer name vb
ip link set va master br0
ip link set va up   # BR-PORT-NOCARRIER
bridge link show dev va   # BR-PORT-NOCARRIER
ip link set vb up
sleep 1
bridge link show dev va
ip link set eth0 nomaster
ip -o link show dev br0
ip link set vb down   # BR-PORT-NOCARRIER
ip -o link show dev br0   # BR-CARRIER-PORTS
ip link del br0   # BR-DEL-RELEASES
ip -o link show dev eth0   # BR-DEL-RELEASES
ip -o link show dev va   # BR-DEL-RELEASES
