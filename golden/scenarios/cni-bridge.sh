#@env ORACLE_CNI=1
## CNI bridge plugin (Debian containernetworking-plugins 1.1.1) + host-local IPAM, isGateway, ipMasq=false
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
conf br '{"cniVersion":"1.0.0","name":"brnet","type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","dataDir":"@D@/ipam","ranges":[[{"subnet":"10.22.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}]}'
## ADD: bridge cni0 (gateway 10.22.0.1/16), a veth pair with eth0 in c1, 10.22.0.2/16 from host-local
add br bridge
ip -d link show
ip -4 addr show
ip route show
cat /proc/sys/net/ipv4/ip_forward
show
cat /proc/sys/net/ipv6/conf/cni0/accept_dad
## CHECK with the ADD result as prevResult
chk br bridge
## ADD again with the same container id and ifname
add br bridge
## a second container: a second veth on the same bridge, next address
ip netns add c2
cp $D/br.body $D/br2.body && cp $D/br.json $D/br2.json
NS=/run/netns/c2 CID=ctr2 add br2 bridge
## DEL, then DEL again (must succeed: nothing left to remove)
del br bridge
del br bridge
ip -br link show
ip -n c1 -br link show
ip -n c1 -br addr show
ls $D/ipam/brnet
