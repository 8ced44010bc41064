# origin: ../shared/kernel-transcripts/scenarios/rename.sh (command lines copied; eth0..eth2 are
# netdevsim ports here). The last section (netdevsim) is new.
## rename rules: while up, collisions (names and altnames), invalid names, patterns
ip link set eth0 name lan0   # RENAME-DOWN
ip link set lan0 up
ip link set lan0 name lan1   # RENAME-UP
ip -o link show dev lan0
ip link set eth1 name eth2   # RENAME-CLASH
ip link set eth1 name lo   # RENAME-CLASH
ip link set eth1 name eth1   # RENAME-SAME
ip link set eth1 name "eth%d"   # RENAME-PATTERN
ip -br link show   # RENAME-PATTERN
ip link set eth2 name "x%dy%d"   # RENAME-PATTERN
ip link set eth2 name "a b"   # RENAME-INVALID
ip link set eth2 name "x:y"   # RENAME-INVALID
ip link set eth2 name "x/y"   # RENAME-INVALID
ip link set eth2 name x.y
ip link set x.y name .   # RENAME-INVALID
ip link set x.y name 0123456789abcdef   # RENAME-INVALID
ip link set x.y name ""   # RENAME-INVALID
ip link property add dev x.y altname wan0
ip -o link show dev wan0
ip link set lan1 name wan0   # ALTNAME-CLASH
ip link add wan0 type dummy   # ALTNAME-CLASH
ip link property add dev lan1 altname wan0   # ALTNAME-CLASH
ip link property add dev lan1 altname x.y   # ALTNAME-CLASH
ip link property add dev lan1 altname lan0
ip link property add dev lan1 altname 0123456789abcdef0123   # ALTNAME-LONG
ip link set x.y name eth2   # ALTNAME-FOLLOWS
ip -o link show dev wan0   # ALTNAME-FOLLOWS
ip link property del dev eth2 altname wan0
ip link set lan1 down
ip link set lan1 name lan3
ip link set lan3 name lan1
ip link add br0 type bridge
ip link set br0 up
ip link set br0 name br1   # RENAME-UP
ip link add va type veth peer name vb
ip link set va up
ip link set va name vc   # RENAME-UP
ip link set lan1 master br1
ip link set lan1 name lan2   # RENAME-PORT
## (not in the reference) let linkwatch settle br1's operstate, else the next line is timing dependent
sleep 1
ip -br link show
## netdevsim: the port name (phys_port_name) and sysfs parent do not follow a rename
ip -d link show dev lan2
cat /sys/class/net/lan2/phys_port_name
ls /sys/bus/netdevsim/devices/netdevsim1/net/
