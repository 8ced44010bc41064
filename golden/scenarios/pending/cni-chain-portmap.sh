#@env ORACLE_CNI=netfilter
## CNI chain bridge + tuning + portmap: portmap programs iptables (nf_tables) for hostPort 8080
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
conf br '{"cniVersion":"1.0.0","name":"pmnet","type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","dataDir":"@D@/ipam","ranges":[[{"subnet":"10.80.0.0/24"}]]}'
add br bridge
conf tu '{"cniVersion":"1.0.0","name":"pmnet","type":"tuning","mtu":1450,"dataDir":"@D@/tuning"'
{ cat $D/tu.body; printf ',"prevResult":'; cat $D/br.res; echo '}'; } > $D/tu.json && cp $D/br.res $D/tu.res
add tu tuning
conf pm '{"cniVersion":"1.0.0","name":"pmnet","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}'
{ cat $D/pm.body; printf ',"prevResult":'; cat $D/tu.res; echo '}'; } > $D/pm.json && cp $D/tu.res $D/pm.res
add pm portmap
iptables -t nat -S
chk pm portmap
del pm portmap
iptables -t nat -S
del pm portmap
del tu tuning
del br bridge
ip -br link show
