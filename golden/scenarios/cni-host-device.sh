#@env ORACLE_CNI=1
## CNI host-device plugin: eth1 moved into c1 (and back on DEL) + static IPAM
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
ip link set eth1 mtu 1400
conf hd '{"cniVersion":"1.0.0","name":"hdnet","type":"host-device","device":"eth1","ipam":{"type":"static","addresses":[{"address":"10.40.0.2/24","gateway":"10.40.0.1"}],"routes":[{"dst":"10.41.0.0/16"}]}'
add hd host-device
ip -br link show
show
chk hd host-device
## ADD again: eth1 is no longer in the host namespace
add hd host-device
del hd host-device
ip -br link show
ip -n c1 -br link show
## DEL again: eth1 is not in c1 any more
del hd host-device
## by MAC address (hwaddr) instead of name: a device that does not exist
conf hdmac '{"cniVersion":"1.0.0","name":"hdnet","type":"host-device","hwaddr":"02:00:00:00:00:99"'
add hdmac host-device
