// The namespace-file checks of vishvananda/netns (and of libraries built like it: CNI's
// ns package) against nlsim's nsfs emulation: handles from /proc/<pid>/task/<tid>/ns/net
// and /var/run/netns/NAME, compared with Equal/UniqueId (fstat dev/ino), statfs/fstatfs
// magic, NewNamed (unshare + bind mount), Set back, DeleteNamed. Run by sim/tests/run_go.rs.
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

func must(what string, err error) {
	if err != nil {
		fmt.Printf("%s: %v\n", what, err)
		os.Exit(1)
	}
}

func main() {
	// setns moves only the calling thread: keep this goroutine on one.
	runtime.LockOSThread()
	orig, err := netns.Get()
	must("Get", err)
	fmt.Println("orig", orig.UniqueId())
	named, err := netns.NewNamed("gonet")
	must("NewNamed", err)
	fmt.Println("named", named.UniqueId(), "equal orig", named.Equal(orig))
	cur, err := netns.Get()
	must("Get in new", err)
	fmt.Println("current is named", cur.Equal(named))
	byPath, err := netns.GetFromPath("/var/run/netns/gonet")
	must("GetFromPath", err)
	fmt.Println("path is named", byPath.Equal(named))
	var sfs unix.Statfs_t
	must("Statfs", unix.Statfs("/var/run/netns/gonet", &sfs))
	fmt.Printf("statfs %#x\n", sfs.Type)
	must("Fstatfs", unix.Fstatfs(int(byPath), &sfs))
	fmt.Printf("fstatfs %#x\n", sfs.Type)
	must("Set", netns.Set(orig))
	back, err := netns.Get()
	must("Get back", err)
	fmt.Println("back in orig", back.Equal(orig), "equal named", back.Equal(named))
	must("DeleteNamed", netns.DeleteNamed("gonet"))
	_, err = netns.GetFromName("gonet")
	fmt.Println("after delete:", err)
}
