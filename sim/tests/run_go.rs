//! A statically linked Go program (CGO_ENABLED=0) under `nlsim run`: vishvananda/netlink
//! from Debian (LinkList, LinkAdd of a bridge and a veth pair, LinkSetMaster, LinkSetUp), the
//! standard library's net.Interfaces, a non-blocking socket on the Go netpoller, and
//! vishvananda/netns (unshare, setns, a handle inside a namespace, LinkSetNsFd). Go makes
//! raw system calls from whatever thread runs the goroutine, which only the seccomp
//! supervisor sees. The sources are `clients/vishvananda/main.go` and (addresses and routes)
//! `clients/vishvananda-addr/main.go`, and (namespace handles: Equal, UniqueId, statfs)
//! `clients/vishvananda-nsfs/main.go`; each is built once per test run, with Go's build cache
//! kept in the cargo target directory.

mod run_support;
use run_support::{has_flag, index_names, link, run_client_program, target_dir, users};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const GOPATH: &str = "/usr/share/gocode";
const INSTALL: &str = "install the Go client's build deps: `bash .ci/install-clients.sh` \
                       (apt-get install golang-go golang-github-vishvananda-netlink-dev)";

/// The client, built from source on first use (Debian's packages, no module download).
fn go_client() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| build_go_client("vishvananda"))
}

/// The addresses-and-routes client (`clients/vishvananda-addr/main.go`).
fn go_addr_client() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| build_go_client("vishvananda-addr"))
}

/// The namespace-file client (`clients/vishvananda-nsfs/main.go`).
fn go_nsfs_client() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| build_go_client("vishvananda-nsfs"))
}

/// `clients/NAME/main.go` built into `<target>/go-clients/NAME`.
fn build_go_client(name: &str) -> PathBuf {
    let go = ["/usr/bin/go", "/usr/lib/go/bin/go"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or_else(|| panic!("no go compiler: {INSTALL}"));
    assert!(
        Path::new(GOPATH)
            .join("src/github.com/vishvananda/netlink")
            .is_dir(),
        "no vishvananda/netlink under {GOPATH}: {INSTALL}"
    );
    let src = format!(
        "{}/tests/clients/{name}/main.go",
        env!("CARGO_MANIFEST_DIR")
    );
    let out_dir = target_dir().join("go-clients");
    std::fs::create_dir_all(&out_dir).expect("go-clients dir");
    // Built under a private name, then renamed: a concurrent run never sees half a file.
    let bin = out_dir.join(name);
    let tmp = out_dir.join(format!("{name}.{}", std::process::id()));
    let o = Command::new(go)
        .args(["build", "-trimpath", "-o"])
        .arg(&tmp)
        .arg(&src)
        .env("GO111MODULE", "off")
        .env("GOPATH", GOPATH)
        .env("CGO_ENABLED", "0")
        .env("GOCACHE", out_dir.join("cache"))
        .env("GOFLAGS", "")
        .output()
        .expect("run go build");
    assert!(
        o.status.success(),
        "go build {src}: {}\n{INSTALL}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::rename(&tmp, &bin).expect("rename the Go client");
    bin
}

const EXPECT: &str = "\
before: 1 lo device down master=-
before: 2 eth0 device down master=-
before: 3 eth1 device down master=-
LinkByName eth0: index 2
after: 1 lo device down master=-
after: 2 eth0 device up master=br0
after: 3 eth1 device down master=-
after: 4 br0 bridge up master=-
after: 5 veth1 veth down master=-
after: 6 veth0 veth up master=br0
net.Interfaces: 1:lo 2:eth0 3:eth1 4:br0 5:veth1 6:veth0
net.InterfaceByName veth1: index 5 up=false
netpoller dump: lo eth0 eth1 br0 veth1 veth0
netns links: 1:lo 7:gd0
gd0 left init_net: true
";

#[test]
fn go_vishvananda_static() {
    require_seccomp!();
    let built = go_client();
    let elf = std::fs::read(built).expect("read the Go client");
    assert!(
        !elf.windows(15).any(|w| w == b"/lib64/ld-linux"),
        "the Go client is not statically linked"
    );
    for u in users() {
        let links = run_client_program(u, built, "go client", EXPECT);
        assert_eq!(
            index_names(&links),
            [
                (1, "lo".to_string()),
                (2, "eth0".to_string()),
                (3, "eth1".to_string()),
                (4, "br0".to_string()),
                (5, "veth1".to_string()),
                (6, "veth0".to_string()),
            ],
            "{u:?}"
        );
        for port in ["eth0", "veth0"] {
            let l = link(&links, port);
            assert_eq!(l["master"], "br0", "{u:?}: {l}");
            assert!(has_flag(l, "UP"), "{u:?}: {l}");
        }
        assert!(has_flag(link(&links, "br0"), "UP"), "{u:?}");
        assert!(!has_flag(link(&links, "veth1"), "UP"), "{u:?}");
        assert_eq!(link(&links, "veth1")["link"], "veth0", "{u:?}");
    }
}

/// vishvananda/netlink's addresses and routes. The kernel's facts behind the lines: IFA_F_PERMANENT
/// (0x80) on addresses added without lifetimes, the label defaulting to the device's name
/// (__inet_insert_ifa via rtm_to_ifaddr), IPv6 addresses of an IFF_NOARP device never tentative
/// (addrconf_dad_begin), link-locals scope link (253), the prefix routes with RTPROT_KERNEL
/// (fib_add_ifaddr scope link with the preferred source, addrconf_prefix_route), the library's
/// RTPROT_BOOT on its own routes, EEXIST from __inet_insert_ifa and fib_table_insert, and one
/// RTM_NEWADDR notification per address in order.
///
/// RouteGet (RTM_GETROUTE with RTA_DST: inet_rtm_getroute) answers as the kernel does: the
/// cached route through the gateway, its preferred source selected on the gateway's subnet;
/// for IPv6 (inet6_rtm_getroute) the route through the IPv6 gateway, its RTA_PREFSRC the
/// global address ipv6_dev_get_saddr prefers to the link-local one (scope rule).
const ADDR_EXPECT: &str = "\
AddrAdd again: EEXIST=true
update 10.0.0.1/24 new=true index-ok=true
update 2001:db8::1/64 new=true index-ok=true
addr 10.0.0.1/24 label=\"d0\" brd=10.0.0.255 scope=0 flags=0x80
addr 2001:db8::1/64 label=\"\" brd=<nil> scope=0 flags=0x80
addr link-local/64 scope=253
RouteAdd again: EEXIST=true
route 10.0.0.0/24 gw=<nil> src=10.0.0.1 proto=2 scope=253 table=254
route 192.0.2.0/24 gw=10.0.0.253 src=<nil> proto=3 scope=0 table=254
route 2001:db8::/64 gw=<nil> src=<nil> proto=2 scope=0 table=254
route 2001:db8:1::/48 gw=2001:db8::fe src=<nil> proto=3 scope=0 table=254
route fe80::/64 gw=<nil> src=<nil> proto=2 scope=0 table=254
RouteGet: dst=192.0.2.7/32 gw=10.0.0.253 src=10.0.0.1 oif-ok=true
RouteGet v6: dst=2001:db8:1::7/128 gw=2001:db8::fe src=2001:db8::1 oif-ok=true
";

#[test]
fn go_vishvananda_addr_route() {
    require_seccomp!();
    let built = go_addr_client();
    for u in users() {
        let links = run_client_program(u, built, "go addr client", ADDR_EXPECT);
        // The device it made; its addresses and routes are gone again (AddrDel, RouteDel).
        assert!(has_flag(link(&links, "d0"), "UP"), "{u:?}");
    }
}

/// vishvananda/netns's handle checks on the emulated nsfs files (launcher/src/nsfs.rs): the
/// values are the kernel's (nsfs device 4, init_net 4026531840 and the first new namespace
/// 4026532121 on the oracle's 6.12; see sim/tests/run_netns_files.rs).
#[test]
fn go_vishvananda_netns_handles() {
    require_seccomp!();
    let built = go_nsfs_client();
    for u in users() {
        run_client_program(
            u,
            built,
            "go nsfs client",
            "orig NS(4:4026531840)\n\
             named NS(4:4026532121) equal orig false\n\
             current is named true\n\
             path is named true\n\
             statfs 0x6e736673\n\
             fstatfs 0x6e736673\n\
             back in orig true equal named false\n\
             after delete: no such file or directory\n",
        );
    }
}
