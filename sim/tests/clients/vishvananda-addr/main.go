// A statically linked Go client of nlsim run (sim/tests/run_go.rs): vishvananda/netlink's
// addresses and routes (AddrAdd, AddrList, AddrSubscribe, AddrDel, RouteAdd, RouteReplace,
// RouteList, RouteGet for IPv4 and IPv6, RouteDel) on a dummy device. Built like ../vishvananda/main.go.
// Prints one line per step; an unexpected error exits 1.
//
// With the argument "rule-neigh" it also runs RuleAdd/RuleList and NeighAdd/NeighList, which
// the test does not ask for yet (policy rules and neighbours are other parts of issue 13).
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func must(what string, err error) {
	if err != nil {
		fmt.Printf("%s: error: %v\n", what, err)
		os.Exit(1)
	}
}

func cidr(s string) *net.IPNet {
	ip, n, err := net.ParseCIDR(s)
	must("ParseCIDR "+s, err)
	n.IP = ip
	return n
}

func listAddrs(link netlink.Link, family int) {
	addrs, err := netlink.AddrList(link, family)
	must("AddrList", err)
	for _, a := range addrs {
		if a.IP.IsLinkLocalUnicast() {
			fmt.Printf("addr link-local/%d scope=%d\n", maskLen(a.IPNet), a.Scope)
			continue
		}
		fmt.Printf("addr %s label=%q brd=%v scope=%d flags=%#x\n", a.IPNet, a.Label,
			a.Broadcast, a.Scope, a.Flags)
	}
}

func maskLen(n *net.IPNet) int {
	l, _ := n.Mask.Size()
	return l
}

func listRoutes(link netlink.Link, family int) {
	routes, err := netlink.RouteList(link, family)
	must("RouteList", err)
	for _, r := range routes {
		fmt.Printf("route %v gw=%v src=%v proto=%d scope=%d table=%d\n", r.Dst, r.Gw, r.Src,
			r.Protocol, r.Scope, r.Table)
	}
}

func main() {
	la := netlink.NewLinkAttrs()
	la.Name = "d0"
	must("LinkAdd", netlink.LinkAdd(&netlink.Dummy{LinkAttrs: la}))
	link, err := netlink.LinkByName("d0")
	must("LinkByName", err)
	must("LinkSetUp", netlink.LinkSetUp(link))

	updates := make(chan netlink.AddrUpdate, 64)
	done := make(chan struct{})
	defer close(done)
	must("AddrSubscribe", netlink.AddrSubscribe(updates, done))

	a4 := &netlink.Addr{IPNet: cidr("10.0.0.1/24")}
	must("AddrAdd v4", netlink.AddrAdd(link, a4))
	must("AddrAdd v6", netlink.AddrAdd(link, &netlink.Addr{IPNet: cidr("2001:db8::1/64")}))
	err = netlink.AddrAdd(link, a4)
	fmt.Printf("AddrAdd again: EEXIST=%v\n", errors.Is(err, unix.EEXIST))

	// RTM_NEWADDR notifications on RTNLGRP_IPV4_IFADDR/IPV6_IFADDR, in order.
	timeout := time.After(5 * time.Second)
	for seen := 0; seen < 2; {
		select {
		case u := <-updates:
			if u.LinkAddress.IP.IsLinkLocalUnicast() {
				continue
			}
			fmt.Printf("update %s new=%v index-ok=%v\n", u.LinkAddress.String(), u.NewAddr,
				u.LinkIndex == link.Attrs().Index)
			seen++
		case <-timeout:
			fmt.Println("AddrSubscribe: timeout")
			os.Exit(1)
		}
	}
	listAddrs(link, netlink.FAMILY_V4)
	listAddrs(link, netlink.FAMILY_V6)

	idx := link.Attrs().Index
	must("RouteAdd", netlink.RouteAdd(&netlink.Route{LinkIndex: idx, Dst: cidr("192.0.2.0/24"),
		Gw: net.ParseIP("10.0.0.254")}))
	must("RouteAdd v6", netlink.RouteAdd(&netlink.Route{LinkIndex: idx,
		Dst: cidr("2001:db8:1::/48"), Gw: net.ParseIP("2001:db8::fe")}))
	err = netlink.RouteAdd(&netlink.Route{LinkIndex: idx, Dst: cidr("192.0.2.0/24"),
		Gw: net.ParseIP("10.0.0.254")})
	fmt.Printf("RouteAdd again: EEXIST=%v\n", errors.Is(err, unix.EEXIST))
	must("RouteReplace", netlink.RouteReplace(&netlink.Route{LinkIndex: idx,
		Dst: cidr("192.0.2.0/24"), Gw: net.ParseIP("10.0.0.253")}))
	listRoutes(link, netlink.FAMILY_V4)
	listRoutes(link, netlink.FAMILY_V6)

	routeGet := func(what, dst string) {
		got, err := netlink.RouteGet(net.ParseIP(dst))
		if err != nil {
			fmt.Printf("%s: error: %v\n", what, err)
			return
		}
		for _, r := range got {
			fmt.Printf("%s: dst=%v gw=%v src=%v oif-ok=%v\n", what, r.Dst, r.Gw, r.Src,
				r.LinkIndex == idx)
		}
	}
	routeGet("RouteGet", "192.0.2.7")
	routeGet("RouteGet v6", "2001:db8:1::7")

	if len(os.Args) > 1 && os.Args[1] == "rule-neigh" {
		rule := netlink.NewRule()
		rule.Table = 100
		rule.Src = cidr("10.0.0.0/24")
		rule.Priority = 1000
		must("RuleAdd", netlink.RuleAdd(rule))
		rules, err := netlink.RuleList(netlink.FAMILY_V4)
		must("RuleList", err)
		for _, r := range rules {
			fmt.Printf("rule %d src=%v table=%d\n", r.Priority, r.Src, r.Table)
		}
		must("NeighAdd", netlink.NeighAdd(&netlink.Neigh{LinkIndex: idx,
			IP: net.ParseIP("10.0.0.2"), HardwareAddr: net.HardwareAddr{2, 0, 0, 0, 0, 2},
			State: netlink.NUD_PERMANENT}))
		neighs, err := netlink.NeighList(idx, netlink.FAMILY_V4)
		must("NeighList", err)
		for _, n := range neighs {
			fmt.Printf("neigh %v lladdr=%v state=%#x\n", n.IP, n.HardwareAddr, n.State)
		}
	}

	must("RouteDel", netlink.RouteDel(&netlink.Route{LinkIndex: idx, Dst: cidr("192.0.2.0/24"),
		Gw: net.ParseIP("10.0.0.253")}))
	must("AddrDel", netlink.AddrDel(link, a4))
	listAddrs(link, netlink.FAMILY_V4)
	listRoutes(link, netlink.FAMILY_V4)
}
