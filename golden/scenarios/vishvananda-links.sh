# origin: vishvananda/netlink's own test suite (Debian golang-github-vishvananda-netlink-dev 1.1.0.125.gf243826-4,
# link_test.go), issue 12: "a widely used netlink library's own test suite ... fails on kinds nlsim
# refuses". netlink.test is that package's `go test -c` binary (static; golden/oracle/build.sh puts it
# in the guest's /usr/bin, sim/src/crosscheck.rs builds it for the nlsim side). One test per command;
# each makes its own network namespace (netns.New()) so the tests do not see each other's links.
# Kernel 6.12 fails two of them, nlsim the same way: GretapFlowBased (the library sends
# IFLA_GRE_COLLECT_METADATA with a 1-byte payload where ip6gre_policy has NLA_FLAG: validate_nla's
# ERANGE) and XfrmiNoId (xfrmi_validate: "if_id must be non zero", EINVAL); SubscribeAt and
# SubscribeListExisting fail on both with EPROTONOSUPPORT. The last section keeps tests the kernel
# passes and nlsim cannot (known gaps): tuntap mounts sysfs on the real /sys, the bond tests enslave
# with the SIOCBONDENSLAVE ioctl. Left out (kernel passes, nlsim emulates neither): TestLinkXdp
# (bpf(2)), TestVethPeerIndex (SIOCETHTOOL), TestLinkSetBondSlave* (SIOCBONDENSLAVE again); and the
# kinds with no module in the guest, which the kernel refuses too (bareudp, gtp).
#@env ORACLE_EXTRA_MODULES="ipip sit ip_vti ip6_vti xfrm_interface wireguard"
## vt TEST: runs one test verbosely; timings "(0.01s)" are cut so that the output is reproducible.
## CI= because the suite skips some tests when CI=true (GretapFlowBased, BareUDP).
vt() { CI= netlink.test -test.v -test.run "^$1\$" > "${TMPDIR:-/tmp}/.vt" 2>&1; set -- $?; sed 's/ ([0-9.]*s)$//' "${TMPDIR:-/tmp}/.vt"; return $1; }
## generic links: dummy, ifb, index, group, txqlen, gso, modify
vt TestLinkAddDelWithIndex
vt TestLinkAddDelDummy
vt TestLinkAddDelDummyWithGroup
vt TestLinkModify
vt TestLinkAddDelIfb
vt TestLinkAddDelDummyWithGSO
vt TestLinkAddDummyWithTxQLen
## bridge
vt TestLinkAddDelBridge
vt TestLinkAddDelBridgeMaster
vt TestLinkSetUnsetResetMaster
vt TestBridgeCreationWithMulticastSnooping
vt TestBridgeSetMcastSnoop
vt TestBridgeSetVlanFiltering
vt TestBridgeCreationWithAgeingTime
vt TestBridgeCreationWithHelloTime
vt TestBridgeCreationWithVlanFiltering
## bond
vt TestLinkAddDelBond
vt TestLinkSetUnsetResetMasterBond
## veth, netns moves
vt TestLinkAddDelVeth
vt TestLinkAddVethWithDefaultTxQLen
vt TestLinkAddVethWithZeroTxQLen
vt TestVethPeerNs
vt TestVethPeerNs2
vt TestLinkSetNs
## vlan, macvlan, macvtap, ipvlan
vt TestLinkAddDelVlan
vt TestLinkAddDelMacvlan
vt TestLinkAddDelMacvtap
vt TestLinkSetMacvlanMode
vt TestLinkAddDelIPVlanL2
vt TestLinkAddDelIPVlanL3
vt TestLinkAddDelIPVlanVepa
vt TestLinkAddDelIPVlanNoParent
## vxlan, geneve
vt TestLinkAddDelVxlan
vt TestLinkAddDelVxlanUdpCSum6
vt TestLinkAddDelVxlanGbp
vt TestLinkAddDelVxlanFlowBased
vt TestLinkAddDelGeneve
vt TestGeneveCompareToIP
## gre, ip tunnels, xfrm, wireguard
vt TestLinkAddDelGretap
vt TestLinkAddDelGretun
vt TestLinkAddDelGretunPointToMultiPoint
vt TestLinkAddDelGretapFlowBased
vt TestLinkAddDelIptun
vt TestLinkAddDelIp6tnl
vt TestLinkAddDelSittun
vt TestLinkAddDelVti
vt TestLinkAddDelXfrmi
vt TestLinkAddDelXfrmiNoId
vt TestLinkAddDelWireguard
## lookups, attributes, notifications
vt TestLinkByIndex
vt TestLinkByNameWhenLinkIsNotFound
vt TestLinkByAliasWhenLinkIsNotFound
vt TestLinkSet
vt TestLinkSetARP
vt TestLinkSetAllmulticast
vt TestLinkSetMulticast
vt TestLinkStats
vt TestLinkSubscribe
vt TestLinkSubscribeWithOptions
vt TestLinkSubscribeWithProtinfo
vt TestLinkSubscribeAt
vt TestLinkSubscribeListExisting
## known gaps: what the tests do besides rtnetlink (mount of sysfs, bonding ioctl)
vt TestLinkAddDelTuntap
vt TestLinkAddDelTuntapMq
vt TestLinkAddDelTuntapOwnerGroup
vt TestLinkSlaveBond
