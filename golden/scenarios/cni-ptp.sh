#@env ORACLE_CNI=1
## CNI ptp plugin: veth pair, host side gets the gateway /32, host-local IPAM, ipMasq=false
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
conf pp '{"cniVersion":"1.0.0","name":"ppnet","type":"ptp","ipMasq":false,"mtu":1400,"ipam":{"type":"host-local","dataDir":"@D@/ipam","ranges":[[{"subnet":"10.50.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}'
add pp ptp
ip -d link show
ip -4 addr show
ip route show
cat /proc/sys/net/ipv4/ip_forward
show
chk pp ptp
add pp ptp
del pp ptp
del pp ptp
ip -br link show
ip route show
ip -n c1 -br link show
