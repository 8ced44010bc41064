#@env ORACLE_CNI=1
## CNI plugins' error paths: missing master, taken names, bad netns path, bad config
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
## missing master
conf mv '{"cniVersion":"1.0.0","name":"errnet","type":"macvlan","master":"nosuch0","ipam":{"type":"static","addresses":[{"address":"10.90.0.2/24"}]}'
add mv macvlan
conf iv '{"cniVersion":"1.0.0","name":"errnet","type":"ipvlan","master":"nosuch0","ipam":{"type":"static","addresses":[{"address":"10.90.0.2/24"}]}'
add iv ipvlan
conf vl '{"cniVersion":"1.0.0","name":"errnet","type":"vlan","master":"nosuch0","vlanId":5,"ipam":{"type":"static","addresses":[{"address":"10.90.0.2/24"}]}'
add vl vlan
conf hd '{"cniVersion":"1.0.0","name":"errnet","type":"host-device","device":"nosuch0"'
add hd host-device
## bad netns path
conf br '{"cniVersion":"1.0.0","name":"errnet","type":"bridge","bridge":"cni0","ipam":{"type":"static","addresses":[{"address":"10.91.0.2/24"}]}'
NS=/run/netns/nope add br bridge
NS=/sys add br bridge
NS=/run/netns/nope del br bridge
ip -br link show
## taken names: the bridge name held by a non-bridge, the container ifname already present
ip link add cni1 type veth peer name cni1p
conf br1 '{"cniVersion":"1.0.0","name":"errnet","type":"bridge","bridge":"cni1","ipam":{"type":"static","addresses":[{"address":"10.91.0.2/24"}]}'
add br1 bridge
ip -n c1 link add eth0 type veth peer name x0
add br bridge
ip link set eth0 up
conf mv0 '{"cniVersion":"1.0.0","name":"errnet","type":"macvlan","master":"eth0","ipam":{"type":"static","addresses":[{"address":"10.90.0.2/24"}]}'
add mv0 macvlan
ip -br link show
ip -n c1 -br link show
## no CNI_COMMAND / unknown command / no netns for ADD
CNI_CONTAINERID=ctr1 CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge < $D/br.json
CNI_COMMAND=FOO CNI_CONTAINERID=ctr1 CNI_NETNS=/run/netns/c1 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge < $D/br.json
NS= add br bridge
## a config the plugin cannot parse
printf '{"cniVersion":"1.0.0","name":"x","type":"bridge",' > $D/bad.json
cni ADD bridge bad.json
## unsupported cniVersion
conf v9 '{"cniVersion":"9.9.9","name":"errnet","type":"loopback"'
IFN=lo add v9 loopback
