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
