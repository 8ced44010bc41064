#@env ORACLE_CNI=1
## CNI ptp plugin: veth pair, host side gets the gateway /32, host-local IPAM, ipMasq=false
## helpers: a scenario-local dir (host-local/tuning state go there, nothing else on the machine is written);
## cni PLUGIN CONF: runs /usr/lib/cni/PLUGIN with CNI_* env and $D/CONF.json on stdin (CID, NS, IFN override);
## add/chk/del NAME PLUGIN: ADD keeps the result in $D/NAME.res; CHECK passes it as prevResult
D=$(mktemp -d) && mkdir $D/ipam $D/tuning
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }
conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }
chk() { { cat $D/$1.body; printf ",\"prevResult\":"; cat $D/$1.res; echo "}"; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }
del() { cni DEL $2 $1.json; }
ip netns add c1
conf pp '{"cniVersion":"1.0.0","name":"ppnet","type":"ptp","ipMasq":false,"mtu":1400,"ipam":{"type":"host-local","dataDir":"@D@/ipam","ranges":[[{"subnet":"10.50.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}'
add pp ptp
ip -d link show
ip -4 addr show
ip route show
cat /proc/sys/net/ipv4/ip_forward
ip -n c1 -d link show
ip -n c1 -4 addr show
ip -n c1 route show
chk pp ptp
add pp ptp
del pp ptp
del pp ptp
ip -br link show
ip route show
ip -n c1 -br link show
