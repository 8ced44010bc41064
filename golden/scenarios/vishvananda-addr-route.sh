# origin: vishvananda/netlink's own test suite (Debian golang-github-vishvananda-netlink-dev 1.1.0.125.gf243826-4,
# addr_test.go, route_test.go, rule_test.go, neigh_test.go), issue 13 ("clients"): the library's tests
# of addresses, routes, rules and neighbours. Same runner as vishvananda-links.sh: netlink.test is the
# package's `go test -c` binary (static; golden/oracle/build.sh puts it in the guest's /usr/bin,
# sim/src/crosscheck.rs builds it for the nlsim side). One test per command; each makes its own network
# namespace (netns.New()). The tests are listed with `netlink.test -test.list 'Test(Addr|Route|Rule|Neigh)'`;
# left out are the ones that never open a netlink socket (TestRouteEqual, TestIPNetEqual,
# TestSEG6LocalEqual, TestRuleString).
## vt TEST: runs one test verbosely; timings "(0.01s)" and log timestamps "2026/12/08 01:23:43 " are cut so
## that the output is reproducible.
## CI= because the suite skips some tests when CI=true.
vt() { CI= netlink.test -test.v -test.run "^$1\$" > "${TMPDIR:-/tmp}/.vt" 2>&1; set -- $?; sed 's/ ([0-9.]*s)$//; s|^[0-9]*/[0-9]*/[0-9]* [0-9]*:[0-9]*:[0-9]* ||' "${TMPDIR:-/tmp}/.vt"; return $1; }
## addresses (addr_test.go)
vt TestAddrAdd
vt TestAddrReplace
vt TestAddrAddReplace
vt TestAddrSubscribeWithOptions
vt TestAddrSubscribeListExisting
## routes (route_test.go)
vt TestRouteAddDel
vt TestRoute6AddDel
vt TestRouteReplace
vt TestRouteAppend
vt TestRouteAddIncomplete
vt TestRouteSubscribe
vt TestRouteSubscribeWithOptions
vt TestRouteSubscribeAt
vt TestRouteSubscribeListExisting
vt TestRouteFilterAllTables
vt TestRouteExtraFields
vt TestRouteMultiPath
vt TestRouteOifOption
vt TestFilterDefaultRoute
vt TestMPLSRouteAddDel
vt TestSEG6RouteAddDel
vt TestSEG6LocalRoute6AddDel
vt TestBpfEncap
vt TestMTURouteAddDel
vt TestRouteViaAddDel
## rules (rule_test.go)
vt TestRuleAddDel
vt TestRuleListFiltered
## neighbours (neigh_test.go)
vt TestNeighAddDelLLIPAddr
vt TestNeighAddDel
vt TestNeighAddDelProxy
vt TestNeighSubscribe
vt TestNeighSubscribeWithOptions
vt TestNeighSubscribeAt
vt TestNeighSubscribeListExisting
vt TestNeighListExecuteStateFilter
