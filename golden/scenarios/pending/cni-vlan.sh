#@env ORACLE_CNI=1
## CNI vlan plugin (vlan 100 on eth0, mtu 1400) + static IPAM
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
ip link set eth0 up
conf vl '{"cniVersion":"1.0.0","name":"vlnet","type":"vlan","master":"eth0","vlanId":100,"mtu":1400,"ipam":{"type":"static","addresses":[{"address":"10.20.0.2/24","gateway":"10.20.0.1"}]}'
add vl vlan
ip -br link show
ip -n c1 -d link show
ip -n c1 -4 addr show
ip -n c1 route show
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
