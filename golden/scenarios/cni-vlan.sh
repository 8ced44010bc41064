#@env ORACLE_CNI=1
## CNI vlan plugin (vlan 100 on eth0, mtu 1400) + static IPAM
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
ip link set eth0 up
conf vl '{"cniVersion":"1.0.0","name":"vlnet","type":"vlan","master":"eth0","vlanId":100,"mtu":1400,"ipam":{"type":"static","addresses":[{"address":"10.20.0.2/24","gateway":"10.20.0.1"}]}'
add vl vlan
ip -br link show
show
chk vl vlan
add vl vlan
## the same vlan id a second time on the same master (c2): the kernel refuses the duplicate VLAN
ip netns add c2
cp $D/vl.body $D/vl2.body && cp $D/vl.json $D/vl2.json
NS=/run/netns/c2 CID=ctr2 add vl2 vlan
del vl vlan
del vl vlan
ip -n c1 -br link show
## mtu above the master's
conf vlbig '{"cniVersion":"1.0.0","name":"vlnet","type":"vlan","master":"eth0","vlanId":101,"mtu":9000,"ipam":{"type":"static","addresses":[{"address":"10.20.1.2/24"}]}'
add vlbig vlan
ip -n c1 -br link show
