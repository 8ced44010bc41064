#@env ORACLE_CNI=1
## CNI vrf plugin chained after macvlan: VRF blue in c1, eth0 enslaved, routes moved to its table
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
ip link set eth0 up
conf mv '{"cniVersion":"1.0.0","name":"vrfnet","type":"macvlan","master":"eth0","ipam":{"type":"static","addresses":[{"address":"10.60.0.2/24","gateway":"10.60.0.1"}],"routes":[{"dst":"0.0.0.0/0"}]}'
add mv macvlan
conf vrf '{"cniVersion":"1.0.0","name":"vrfnet","type":"vrf","vrfname":"blue"'
## ADD of vrf: the prevResult is the macvlan result
chain vrf mv
add vrf vrf
ip -n c1 -d link show
ip -n c1 -4 addr show
ip -n c1 route show table all
ip -n c1 rule show
chk vrf vrf
## a second vrf with a fixed table, chained for a second interface
conf mv2 '{"cniVersion":"1.0.0","name":"vrfnet","type":"macvlan","master":"eth0","ipam":{"type":"static","addresses":[{"address":"10.61.0.2/24"}]}'
IFN=eth1 add mv2 macvlan
conf vrf2 '{"cniVersion":"1.0.0","name":"vrfnet","type":"vrf","vrfname":"red","table":1234'
chain vrf2 mv2
IFN=eth1 add vrf2 vrf
ip -n c1 -d link show type vrf
ip -n c1 route show table 1234
IFN=eth1 del vrf2 vrf
IFN=eth1 del vrf2 vrf
del vrf vrf
del vrf vrf
ip -n c1 -br link show
ip -n c1 -4 addr show
del mv macvlan
