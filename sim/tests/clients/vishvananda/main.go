// A statically linked Go client of nlsim run (sim/tests/run_go.rs): vishvananda/netlink and
// the standard library's net.Interfaces, which reach netlink through raw system calls from
// any goroutine's thread, so only the seccomp supervisor can see them.
//
// Built by the test with GO111MODULE=off GOPATH=/usr/share/gocode CGO_ENABLED=0 against
// Debian's golang-github-vishvananda-netlink-dev. Prints one line per step; any error exits 1.
package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

func must(what string, err error) {
	if err != nil {
		fmt.Printf("%s: error: %v\n", what, err)
		os.Exit(1)
	}
}

func describe(l netlink.Link) string {
	a := l.Attrs()
	master := "-"
	if a.MasterIndex != 0 {
		if m, err := netlink.LinkByIndex(a.MasterIndex); err == nil {
			master = m.Attrs().Name
		} else {
			master = fmt.Sprintf("?%d", a.MasterIndex)
		}
	}
	up := "down"
	if a.Flags&net.FlagUp != 0 {
		up = "up"
	}
	return fmt.Sprintf("%d %s %s %s master=%s", a.Index, a.Name, l.Type(), up, master)
}

func listLinks(what string) {
	links, err := netlink.LinkList()
	must(what, err)
	for _, l := range links {
		fmt.Printf("%s: %s\n", what, describe(l))
	}
}

// netpollerDump does what upstream vishvananda (nl_linux.go, newer than Debian's) and
// mdlayher/netlink do: a SOCK_NONBLOCK socket handed to the Go netpoller (os.NewFile registers
// it with epoll), bind, getsockname asserted to *unix.SockaddrNetlink, and receives that park
// the goroutine on EAGAIN until epoll reports the fd readable. Returns the dumped names.
func netpollerDump() ([]string, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	f := os.NewFile(uintptr(fd), "netlink")
	defer f.Close()
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	local, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		return nil, fmt.Errorf("getsockname: %T, not *unix.SockaddrNetlink", sa)
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	req := nl.NewNetlinkRequest(unix.RTM_GETLINK, unix.NLM_F_DUMP)
	req.Seq = 77
	req.AddData(nl.NewIfInfomsg(unix.AF_UNSPEC))
	var serr error
	if err := rc.Write(func(fd uintptr) bool {
		serr = unix.Sendto(int(fd), req.Serialize(), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		return serr != unix.EAGAIN
	}); err != nil || serr != nil {
		return nil, fmt.Errorf("sendto: %v %v", err, serr)
	}
	var names []string
	buf := make([]byte, 32768)
	for {
		var n int
		var from unix.Sockaddr
		var rerr error
		if err := rc.Read(func(fd uintptr) bool {
			n, from, rerr = unix.Recvfrom(int(fd), buf, 0)
			return rerr != unix.EAGAIN
		}); err != nil || rerr != nil {
			return nil, fmt.Errorf("recvfrom: %v %v", err, rerr)
		}
		if nla, ok := from.(*unix.SockaddrNetlink); !ok || nla.Pid != 0 {
			return nil, fmt.Errorf("recvfrom: sender %#v", from)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if m.Header.Seq != 77 || m.Header.Pid != local.Pid {
				return nil, fmt.Errorf("header seq %d pid %d, want 77 %d", m.Header.Seq, m.Header.Pid, local.Pid)
			}
			if m.Header.Type == unix.NLMSG_DONE {
				return names, nil
			}
			attrs, err := syscall.ParseNetlinkRouteAttr(&m)
			if err != nil {
				return nil, err
			}
			for _, a := range attrs {
				if a.Attr.Type == unix.IFLA_IFNAME {
					names = append(names, strings.TrimRight(string(a.Value), "\x00"))
				}
			}
		}
	}
}

func main() {
	listLinks("before")

	eth0, err := netlink.LinkByName("eth0")
	must("LinkByName eth0", err)
	fmt.Printf("LinkByName eth0: index %d\n", eth0.Attrs().Index)

	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: "br0"}}
	must("LinkAdd bridge", netlink.LinkAdd(br))
	veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "veth0"}, PeerName: "veth1"}
	must("LinkAdd veth", netlink.LinkAdd(veth))

	brl, err := netlink.LinkByName("br0")
	must("LinkByName br0", err)
	v0, err := netlink.LinkByName("veth0")
	must("LinkByName veth0", err)
	must("LinkSetMaster veth0", netlink.LinkSetMaster(v0, brl.(*netlink.Bridge)))
	must("LinkSetMaster eth0", netlink.LinkSetMaster(eth0, brl.(*netlink.Bridge)))
	for _, l := range []netlink.Link{brl, v0, eth0} {
		must("LinkSetUp "+l.Attrs().Name, netlink.LinkSetUp(l))
	}
	listLinks("after")

	// The standard library: syscall.NetlinkRIB (bind, sendto, getsockname, recvfrom into a
	// page-sized buffer), no vishvananda involved.
	ifs, err := net.Interfaces()
	must("net.Interfaces", err)
	var names []string
	for _, i := range ifs {
		names = append(names, fmt.Sprintf("%d:%s", i.Index, i.Name))
	}
	sort.Strings(names)
	fmt.Printf("net.Interfaces: %s\n", strings.Join(names, " "))
	byName, err := net.InterfaceByName("veth1")
	must("net.InterfaceByName", err)
	fmt.Printf("net.InterfaceByName veth1: index %d up=%v\n", byName.Index, byName.Flags&net.FlagUp != 0)

	names, err = netpollerDump()
	must("netpoller dump", err)
	fmt.Printf("netpoller dump: %s\n", strings.Join(names, " "))

	namespaces()
}

// namespaces does what CNI plugins and vishvananda/netns users do: a locked thread unshares a
// network namespace, handles come from /proc/<pid>/task/<tid>/ns/net, a netlink handle is
// made inside it (setns there and back around socket()), and a link moves in by fd
// (IFLA_NET_NS_FD). The namespace dies with the process, and the dummy in it with it.
func namespaces() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	orig, err := netns.Get()
	must("netns.Get", err)
	defer orig.Close()
	ns, err := netns.New()
	must("netns.New", err)
	defer ns.Close()
	must("netns.Set orig", netns.Set(orig))

	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	must("netlink.NewHandleAt", err)
	defer h.Delete()
	must("LinkAdd gd0", netlink.LinkAdd(&netlink.Dummy{LinkAttrs: netlink.LinkAttrs{Name: "gd0"}}))
	gd0, err := netlink.LinkByName("gd0")
	must("LinkByName gd0", err)
	must("LinkSetNsFd gd0", netlink.LinkSetNsFd(gd0, int(ns)))
	links, err := h.LinkList()
	must("LinkList in the namespace", err)
	var in []string
	for _, l := range links {
		in = append(in, fmt.Sprintf("%d:%s", l.Attrs().Index, l.Attrs().Name))
	}
	fmt.Printf("netns links: %s\n", strings.Join(in, " "))
	_, err = netlink.LinkByName("gd0")
	fmt.Printf("gd0 left init_net: %v\n", err != nil)
}
