//! A dynamically linked Rust program using `rtnetlink::new_connection()` unchanged
//! (`examples/rtnetlink_client.rs`) under `nlsim run`: netlink-proto never binds, matches
//! replies on (seq, source port 0), and reads with recvfrom on a non-blocking socket in tokio.
//! And `examples/rtnetlink_addr_route.rs`: `handle.address()` and `handle.route()`.

mod run_support;
use run_support::{has_flag, index_names, link, run_client_program, users};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// `<target>/<profile>/examples/rtnetlink_client`.
fn client() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| example("rtnetlink_client"))
}

/// `<target>/<profile>/examples/rtnetlink_addr_route`.
fn addr_route_client() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| example("rtnetlink_addr_route"))
}

/// `<target>/<profile>/examples/NAME`: `cargo test` builds the package's examples with its
/// tests; a filtered run (`--test run_rust`) does not, so it is built here then.
fn example(name: &str) -> PathBuf {
    let nlsim = PathBuf::from(env!("CARGO_BIN_EXE_nlsim"));
    let bin = nlsim
        .parent()
        .expect("<target>/<profile>")
        .join("examples")
        .join(name);
    if !bin.exists() {
        let mut c = Command::new(env!("CARGO"));
        c.args(["build", "-p", "nlsim", "--example", name]);
        if !cfg!(debug_assertions) {
            c.arg("--release");
        }
        let o = c.output().expect("run cargo");
        assert!(
            o.status.success(),
            "cargo build --example {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(bin.exists(), "{} was not built", bin.display());
    bin
}

const EXPECT: &str = "\
before: 1 lo master=- down
before: 2 eth0 master=- down
before: 3 eth1 master=- down
after: 1 lo master=- down
after: 2 eth0 master=br0 up
after: 3 eth1 master=- down
after: 4 br0 master=- up
after: 5 veth1 master=- down
after: 6 veth0 master=br0 up
after: 7 d0 master=- down
";

#[test]
fn rtnetlink_new_connection_binary() {
    require_seccomp!();
    let built = client();
    for u in users() {
        let links = run_client_program(u, built, "rtnetlink client", EXPECT);
        assert_eq!(
            index_names(&links),
            [
                (1, "lo".to_string()),
                (2, "eth0".to_string()),
                (3, "eth1".to_string()),
                (4, "br0".to_string()),
                (5, "veth1".to_string()),
                (6, "veth0".to_string()),
                (7, "d0".to_string()),
            ],
            "{u:?}"
        );
        for port in ["eth0", "veth0"] {
            let l = link(&links, port);
            assert_eq!(l["master"], "br0", "{u:?}: {l}");
            assert!(has_flag(l, "UP"), "{u:?}: {l}");
        }
        assert_eq!(
            link(&links, "d0")["linkinfo"]["info_kind"],
            "dummy",
            "{u:?}"
        );
        assert_eq!(link(&links, "veth1")["link"], "veth0", "{u:?}");
    }
}

/// `handle.address().add/get/del` and `handle.route().add/get/del`. The kernel's facts behind
/// the lines: the label defaults to the device (rtm_to_ifaddr), a dummy's IPv6 addresses skip DAD
/// (IFF_NOARP, addrconf_dad_begin), the prefix routes are RTPROT_KERNEL (fib_add_ifaddr scope
/// link, addrconf_prefix_route), EEXIST from __inet_insert_ifa and fib_table_insert, ESRCH from
/// fib_table_delete, and the address takes its prefix route with it (fib_del_ifaddr).
const ADDR_ROUTE_EXPECT: &str = "\
address again: errno 17
addr 10.0.0.1/24 label=d0 brd=10.0.0.255 scope=Universe
addr 2001:db8::1/64 label=- brd=- scope=Universe
addr fe80::(link-local)/64 label=- brd=- scope=Link
route again: errno 17
route 10.0.0.0/24 gw=- proto=Kernel scope=Link
route 192.0.2.0/24 gw=10.0.0.254 proto=Static scope=Universe
route 2001:db8::/64 gw=- proto=Kernel scope=Universe
route 2001:db8:1::/48 gw=2001:db8::fe proto=Static scope=Universe
route fe80::/64 gw=- proto=Kernel scope=Universe
route del again: errno 3
after del:
addr 2001:db8::1/64 label=- brd=- scope=Universe
addr fe80::(link-local)/64 label=- brd=- scope=Link
";

#[test]
fn rtnetlink_addresses_and_routes() {
    require_seccomp!();
    let built = addr_route_client();
    for u in users() {
        let links = run_client_program(u, built, "rtnetlink addr client", ADDR_ROUTE_EXPECT);
        assert!(has_flag(link(&links, "d0"), "UP"), "{u:?}");
    }
}
