//! pyroute2 (from PyPI) under `nlsim run`: IPRoute's link_lookup, link('add'), link('set'),
//! get_links, and explicit bind() port scanning. pyroute2 is demanding: it dups the socket and
//! rebuilds it with socket(fileno=) (SO_DOMAIN/SO_TYPE/SO_PROTOCOL), hands it to asyncio's
//! datagram endpoint (which insists on SOCK_DGRAM), autobinds on the first sendto, and
//! scans ports pid + (n << 22) on EADDRINUSE.
//!
//! pyroute2 is required: `.ci/install-clients.sh` installs it in `target/pyenv`;
//! `NLSIM_PYROUTE2_PYTHON` may name another interpreter that can import it.

mod run_support;
use run_support::{has_flag, index_names, ip_links, link, nobody_can_run, users, TempDir, User};
use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALL: &str = "install pyroute2: `bash .ci/install-clients.sh` (a venv in target/pyenv \
                       with `pip install pyroute2`), or set NLSIM_PYROUTE2_PYTHON to a python3 \
                       that can import it";

/// The interpreter with pyroute2: $NLSIM_PYROUTE2_PYTHON, else the venv of
/// .ci/install-clients.sh (in the workspace's target dir, or the one we were built in).
fn pyroute2_python() -> PathBuf {
    let candidates: Vec<PathBuf> = match std::env::var_os("NLSIM_PYROUTE2_PYTHON") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/pyenv/bin/python3"
            )),
            run_support::target_dir().join("pyenv/bin/python3"),
        ],
    };
    for py in &candidates {
        let ok = Command::new(py)
            .args(["-c", "import pyroute2"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return py.clone();
        }
    }
    panic!("no python3 with pyroute2 at {candidates:?}: {INSTALL}");
}

/// How `user` runs python with pyroute2: the venv's interpreter if they can, else (a private
/// target dir) the system python3 with a copy of the venv's pyroute2 package in `dir`.
fn python_for(user: User, py: &Path, dir: &TempDir) -> (String, Option<PathBuf>) {
    let py_s = py.to_str().expect("utf-8 path").to_string();
    if user == User::Current || nobody_can_run(&[&py_s, "-c", "import pyroute2"]) {
        return (py_s, None);
    }
    let o = Command::new(py)
        .args([
            "-c",
            "import os, pyroute2; print(os.path.dirname(pyroute2.__path__[0]))",
        ])
        .output()
        .expect("locate pyroute2");
    let site = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
    let copy = dir.path("site");
    std::fs::create_dir_all(&copy).expect("site dir");
    let copied = Command::new("cp")
        .arg("-r")
        .arg(site.join("pyroute2"))
        .arg(&copy)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new("chmod")
            .args(["-R", "a+rX"])
            .arg(&copy)
            .status()
            .is_ok_and(|s| s.success());
    assert!(copied, "copy {} for nobody", site.display());
    let system = run_support::python3().expect("a system python3 for nobody");
    (system.to_string(), Some(copy))
}

const SCRIPT: &str = r#"
import os, sys
site = os.environ.get("PYROUTE2_SITE")
if site:
    sys.path.insert(0, site)
from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

with IPRoute() as ipr:
    print("lookup eth0", ipr.link_lookup(ifname="eth0"))
    print("lookup none", ipr.link_lookup(ifname="nlsimnone0"))
    ipr.link("add", ifname="br0", kind="bridge")
    br = ipr.link_lookup(ifname="br0")
    print("lookup br0", br)
    ipr.link("add", ifname="v0", kind="veth", peer="v1")
    eth0 = ipr.link_lookup(ifname="eth0")[0]
    ipr.link("set", index=eth0, master=br[0], state="up")
    try:
        ipr.link("add", ifname="br0", kind="bridge")
        print("duplicate added?!")
    except NetlinkError as e:
        print("duplicate", e.code)
    # Autobound on the first request: the portid is the process's.
    print("portid is pid", ipr.getsockname()[0] == os.getpid())
    for l in ipr.get_links():
        print("link", l["index"], l.get_attr("IFLA_IFNAME"),
              "master", l.get_attr("IFLA_MASTER"), "up", l["flags"] & 1)

# bind() scans pid + (n << 22) for n = 20.. and relies on EADDRINUSE.
a, b = IPRoute(), IPRoute()
a.bind()
b.bind()
pa, pb = a.getsockname()[0], b.getsockname()[0]
print("bind ports", pa >> 22, pb >> 22, (pa & 0x3fffff) == os.getpid() & 0x3fffff)
print("second socket sees", len(b.get_links()), "links")
a.close()
b.close()
"#;

#[test]
fn pyroute2_iproute() {
    require_seccomp!();
    let py = pyroute2_python();
    for u in users() {
        let dir = TempDir::new("pyroute2");
        let script = dir.path("t.py");
        std::fs::write(&script, SCRIPT).expect("write script");
        let (python, site) = python_for(u, &py, &dir);
        let state = dir.path("s.json");
        let st = state.to_str().expect("utf-8 path");
        let mut cmd = run_support::nlsim_cmd(
            u,
            &dir.0,
            &[
                "run",
                "--state",
                st,
                "--netdevsim",
                "1:2",
                "--",
                &python,
                script.to_str().expect("utf-8 path"),
            ],
        );
        if let Some(site) = &site {
            cmd.env("PYROUTE2_SITE", site);
        }
        let r = run_support::run(cmd);
        let stderr = r.stderr.clone();
        let out = r.ok("pyroute2");
        let expect = format!(
            "lookup eth0 [2]\n\
             lookup none []\n\
             lookup br0 [4]\n\
             duplicate {}\n\
             portid is pid True\n\
             link 1 lo master None up 0\n\
             link 2 eth0 master 4 up 1\n\
             link 3 eth1 master None up 0\n\
             link 4 br0 master None up 0\n\
             link 5 v1 master None up 0\n\
             link 6 v0 master None up 0\n\
             bind ports 20 21 True\n\
             second socket sees 6 links\n",
            libc::EEXIST
        );
        assert_eq!(out, expect, "{u:?}\nstderr:\n{stderr}");

        let links = ip_links(u, &dir.0, &state);
        assert_eq!(
            index_names(&links),
            [
                (1, "lo".to_string()),
                (2, "eth0".to_string()),
                (3, "eth1".to_string()),
                (4, "br0".to_string()),
                (5, "v1".to_string()),
                (6, "v0".to_string()),
            ],
            "{u:?}"
        );
        let eth0 = link(&links, "eth0");
        assert_eq!(eth0["master"], "br0", "{u:?}: {eth0}");
        assert!(has_flag(eth0, "UP"), "{u:?}: {eth0}");
        assert_eq!(
            link(&links, "br0")["linkinfo"]["info_kind"],
            "bridge",
            "{u:?}"
        );
        assert_eq!(link(&links, "v0")["link"], "v1", "{u:?}");
    }
}

const NETNS_SCRIPT: &str = r#"
import os, sys
site = os.environ.get("PYROUTE2_SITE")
if site:
    sys.path.insert(0, site)
from pyroute2 import netns, NetNS, IPRoute

def names(ipr):
    return [l.get_attr("IFLA_IFNAME") for l in ipr.get_links()]

# create: a child process unshares and bind-mounts /var/run/netns/px (setns through ctypes).
netns.create("px")
print("list", sorted(netns.listnetns()))
with NetNS("px") as ns:
    print("fresh", names(ns))
    ns.link("add", ifname="pd0", kind="dummy")
with IPRoute() as ipr:
    eth1 = ipr.link_lookup(ifname="eth1")[0]
    # IFLA_NET_NS_FD: pyroute2 opens /var/run/netns/px and sends the fd.
    ipr.link("set", index=eth1, net_ns_fd="px")
    print("init", names(ipr))
with NetNS("px") as ns:
    print("px", names(ns))
netns.remove("px")
print("after remove", sorted(netns.listnetns()))
with IPRoute() as ipr:
    # eth1 is a netdevsim port (no rtnl_link_ops): cleanup_net returns it to init_net.
    print("init", names(ipr))
"#;

#[test]
fn pyroute2_netns() {
    require_seccomp!();
    let py = pyroute2_python();
    for u in users() {
        let dir = TempDir::new("pyroute2-netns");
        let script = dir.path("t.py");
        std::fs::write(&script, NETNS_SCRIPT).expect("write script");
        let (python, site) = python_for(u, &py, &dir);
        let mut cmd = run_support::nlsim_cmd(
            u,
            &dir.0,
            &[
                "run",
                "--netdevsim",
                "1:2",
                "--",
                &python,
                script.to_str().expect("utf-8 path"),
            ],
        );
        if let Some(site) = &site {
            cmd.env("PYROUTE2_SITE", site);
        }
        let r = run_support::run(cmd);
        let stderr = r.stderr.clone();
        let out = r.ok("pyroute2 netns");
        assert_eq!(
            out,
            "list ['px']\n\
             fresh ['lo']\n\
             init ['lo', 'eth0']\n\
             px ['lo', 'pd0', 'eth1']\n\
             after remove []\n\
             init ['lo', 'eth0', 'eth1']\n",
            "{u:?}\nstderr:\n{stderr}"
        );
    }
}

const ADDR_ROUTE_SCRIPT: &str = r#"
import os, sys
site = os.environ.get("PYROUTE2_SITE")
if site:
    sys.path.insert(0, site)
from socket import AF_INET, AF_INET6
from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

def addrs(ipr, idx, family):
    out = []
    for a in ipr.get_addr(index=idx, family=family):
        addr = a.get_attr("IFA_ADDRESS")
        if addr.startswith("fe80:"):
            addr = "fe80::(link-local)"
        out.append("%s/%d label=%s brd=%s" % (addr, a["prefixlen"], a.get_attr("IFA_LABEL"),
                                              a.get_attr("IFA_BROADCAST")))
    return out

def routes(ipr, family, table):
    out = []
    for r in ipr.get_routes(family=family, table=table):
        out.append("%s/%d gw=%s oif=%s proto=%d scope=%d type=%d" % (
            r.get_attr("RTA_DST"), r["dst_len"], r.get_attr("RTA_GATEWAY"),
            r.get_attr("RTA_OIF"), r["proto"], r["scope"], r["type"]))
    return out

with IPRoute() as ipr:
    ipr.link("add", ifname="d0", kind="dummy")
    idx = ipr.link_lookup(ifname="d0")[0]
    ipr.link("set", index=idx, state="up")
    ipr.addr("add", index=idx, address="10.0.0.1", prefixlen=24, broadcast="10.0.0.255")
    ipr.addr("add", index=idx, address="2001:db8::1", prefixlen=64)
    try:
        ipr.addr("add", index=idx, address="10.0.0.1", prefixlen=24)
        print("duplicate address added?!")
    except NetlinkError as e:
        print("duplicate address", e.code)
    ipr.route("add", dst="192.0.2.0/24", gateway="10.0.0.254")
    ipr.route("add", dst="2001:db8:1::/48", gateway="2001:db8::fe")
    try:
        ipr.route("add", dst="198.51.100.0/24", gateway="203.0.113.1")
        print("unreachable gateway added?!")
    except NetlinkError as e:
        print("unreachable gateway", e.code)
    print("d0", idx)
    for a in addrs(ipr, idx, AF_INET) + addrs(ipr, idx, AF_INET6):
        print("addr", a)
    for r in routes(ipr, AF_INET, 254) + routes(ipr, AF_INET6, 254):
        print("route", r)
    ipr.route("replace", dst="192.0.2.0/24", gateway="10.0.0.253")
    print("replaced", routes(ipr, AF_INET, 254)[1])
    ipr.route("del", dst="192.0.2.0/24", gateway="10.0.0.253")
    try:
        ipr.route("del", dst="192.0.2.0/24")
        print("deleted twice?!")
    except NetlinkError as e:
        print("route gone", e.code)
    ipr.addr("del", index=idx, address="10.0.0.1", prefixlen=24)
    print("after del", addrs(ipr, idx, AF_INET), routes(ipr, AF_INET, 254))
"#;

/// pyroute2's IPRoute.addr/route/get_addr/get_routes: the addresses and routes it adds are the
/// ones it dumps, with the prefix routes the kernel adds (fib_add_ifaddr, addrconf_prefix_route)
/// and the kernel's errors (EEXIST from __inet_insert_ifa, ENETUNREACH from fib_check_nh_v4_gw,
/// ESRCH from fib_table_delete), and deleting the address takes its prefix route with it.
#[test]
fn pyroute2_addr_route() {
    require_seccomp!();
    let py = pyroute2_python();
    for u in users() {
        let dir = TempDir::new("pyroute2-addr");
        let script = dir.path("t.py");
        std::fs::write(&script, ADDR_ROUTE_SCRIPT).expect("write script");
        let (python, site) = python_for(u, &py, &dir);
        let mut cmd = run_support::nlsim_cmd(
            u,
            &dir.0,
            &["run", "--", &python, script.to_str().expect("utf-8 path")],
        );
        if let Some(site) = &site {
            cmd.env("PYROUTE2_SITE", site);
        }
        let r = run_support::run(cmd);
        let stderr = r.stderr.clone();
        let out = r.ok("pyroute2 addr/route");
        // RTPROT_KERNEL = 2, RTPROT_STATIC = 4 (pyroute2's default); RT_SCOPE_LINK = 253; RTN_UNICAST = 1. IPv6
        // routes are always scope universe (rt6_fill_node).
        let expect = format!(
            "duplicate address {}\n\
             unreachable gateway {}\n\
             d0 2\n\
             addr 10.0.0.1/24 label=d0 brd=10.0.0.255\n\
             addr 2001:db8::1/64 label=None brd=None\n\
             addr fe80::(link-local)/64 label=None brd=None\n\
             route 10.0.0.0/24 gw=None oif=2 proto=2 scope=253 type=1\n\
             route 192.0.2.0/24 gw=10.0.0.254 oif=2 proto=4 scope=0 type=1\n\
             route 2001:db8::/64 gw=None oif=2 proto=2 scope=0 type=1\n\
             route 2001:db8:1::/48 gw=2001:db8::fe oif=2 proto=4 scope=0 type=1\n\
             route fe80::/64 gw=None oif=2 proto=2 scope=0 type=1\n\
             replaced 192.0.2.0/24 gw=10.0.0.253 oif=2 proto=4 scope=0 type=1\n\
             route gone {}\n\
             after del [] []\n",
            libc::EEXIST,
            libc::ENETUNREACH,
            libc::ESRCH
        );
        assert_eq!(out, expect, "{u:?}\nstderr:\n{stderr}");
    }
}
