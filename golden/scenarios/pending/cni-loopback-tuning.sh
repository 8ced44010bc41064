#@env ORACLE_CNI=1
## CNI loopback plugin, and the tuning plugin chained after bridge (mtu, mac, promisc, sysctls)
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
{ cat $D/tu.body; printf ',"prevResult":'; cat $D/br.res; echo '}'; } > $D/tu.json && cp $D/br.res $D/tu.res
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
{ cat $D/tubad.body; printf ',"prevResult":'; cat $D/br.res; echo '}'; } > $D/tubad.json
add tubad tuning
del br bridge
