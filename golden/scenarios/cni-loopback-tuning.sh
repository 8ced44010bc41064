#@env ORACLE_CNI=1
## CNI loopback plugin, and the tuning plugin chained after bridge (mtu, mac, promisc, sysctls)
## helpers: cni PLUGIN CONF runs /usr/lib/cni/PLUGIN with the CNI_* env (CID, NS, IFN override the defaults) and $D/CONF.json on stdin; conf NAME JSON writes NAME.json (JSON without its closing brace); chain NAME PREV adds PREV's ADD result as prevResult; add keeps the result in NAME.res, chk passes it back as prevResult; show: c1's links, IPv4 addresses and routes; host-local and tuning keep their state in $D, nothing else on the machine is written
D=$(mktemp -d) && mkdir $D/ipam $D/tuning && ip netns add c1
cni() { CNI_COMMAND=$1 CNI_CONTAINERID=${CID:-ctr1} CNI_NETNS=${NS-/run/netns/c1} CNI_IFNAME=${IFN:-eth0} CNI_PATH=/usr/lib/cni /usr/lib/cni/$2 < $D/$3; }; conf() { printf "%s" "$2" | sed "s|@D@|$D|g" > $D/$1.body && { cat $D/$1.body; echo "}"; } > $D/$1.json; }; chain() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$2.res; echo '}'; } > $D/$1.json; }
add() { cni ADD $2 $1.json > $D/$1.res; r=$?; cat $D/$1.res; return $r; }; chk() { { cat $D/$1.body; printf ',"prevResult":'; cat $D/$1.res; echo '}'; } > $D/$1.chk.json && cni CHECK $2 $1.chk.json; }; del() { cni DEL $2 $1.json; }; show() { ip -n c1 -d link show && ip -n c1 -4 addr show && ip -n c1 route show; }
conf lo '{"cniVersion":"1.0.0","name":"lonet","type":"loopback"'
IFN=lo add lo loopback
ip -n c1 addr show lo
IFN=lo chk lo loopback
IFN=lo del lo loopback
ip -n c1 -br link show lo
IFN=lo del lo loopback
conf br '{"cniVersion":"1.0.0","name":"tunet","type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","dataDir":"@D@/ipam","ranges":[[{"subnet":"10.70.0.0/24"}]]}'
add br bridge
conf tu '{"cniVersion":"1.0.0","name":"tunet","type":"tuning","mtu":1400,"mac":"c2:00:00:00:00:42","promisc":true,"allmulti":true,"dataDir":"@D@/tuning","sysctl":{"net.ipv4.conf.eth0.arp_notify":"1","net.ipv4.conf.eth0.arp_filter":"1","net.ipv6.conf.eth0.accept_dad":"0"}'
## tuning ADD: prevResult is the bridge result; it changes eth0 in c1 and reports the new MAC
chain tu br
add tu tuning
ip -n c1 -d link show eth0
ip netns exec c1 cat /proc/sys/net/ipv4/conf/eth0/arp_notify /proc/sys/net/ipv4/conf/eth0/arp_filter /proc/sys/net/ipv6/conf/eth0/accept_dad
ls $D/tuning
## CHECK (prevResult = tuning's own result)
chk tu tuning
## DEL restores what tuning changed (from its dataDir)
del tu tuning
ip -n c1 -d link show eth0
ip netns exec c1 cat /proc/sys/net/ipv4/conf/eth0/arp_notify /proc/sys/net/ipv4/conf/eth0/arp_filter /proc/sys/net/ipv6/conf/eth0/accept_dad
del tu tuning
## a sysctl outside net.* is refused
conf tubad '{"cniVersion":"1.0.0","name":"tunet","type":"tuning","dataDir":"@D@/tuning","sysctl":{"kernel.hostname":"x"}'
chain tubad br
add tubad tuning
del br bridge
