#@env ORACLE_CNI=1
## CNI macvlan plugin (bridge mode, master eth0) + static IPAM
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
ip link set eth0 up
conf mv '{"cniVersion":"1.0.0","name":"mvnet","type":"macvlan","master":"eth0","mode":"bridge","ipam":{"type":"static","addresses":[{"address":"10.10.0.5/24","gateway":"10.10.0.1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.7.0/24","gw":"10.10.0.254"}]}'
## ADD: a macvlan on eth0 created in c1 (temporary name, then renamed), static address and routes
add mv macvlan
ip -br link show
show
## CHECK with prevResult
chk mv macvlan
## ADD again: eth0 is taken in c1
add mv macvlan
## DEL twice
del mv macvlan
del mv macvlan
ip -n c1 -br link show
## the macvlan plugin without IPAM config is refused before any request
conf mvnoipam '{"cniVersion":"1.0.0","name":"mvnet","type":"macvlan","master":"eth0"'
add mvnoipam macvlan
