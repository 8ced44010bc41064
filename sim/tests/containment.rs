//! Containment: nothing a program does under `nlsim run` may read or change the host's
//! network state. Every escape attempt below (io_uring, openat2, relative and symlinked paths
//! to /proc/net and /sys/class/net, socket ioctls beyond the emulated ones, other netlink
//! protocols, the legacy tools `ifconfig`/`route`/`arp`/`ip tunnel`, a sysfs mounted or `/`
//! bound elsewhere, the host's net sysctls) runs
//!
//! (a) unprivileged (uid 65534 when the test runs as root), against the host itself: no host
//!     interface name or address may appear, and the host's `ip -o link`/`ip -o addr` must
//!     not change;
//! (b) as root inside `unshare -rn` (a user + network namespace, where root may change
//!     things): the namespace first gets marker state (bridge `hostmark0`, address
//!     10.231.77.1 on `lo`), which must never appear in any output, and the namespace's
//!     listings must be the same afterwards.
//!
//! Each attempt also has its expected answer (the simulator's content, or the refusal).

mod run_support;
use run_support::{host_links, nlsim, nlsim_run, TempDir, User};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const ESCAPE_C: &str = include_str!("clients/escape.c");

/// The simulator's `/proc/net/dev` for a namespace with only `lo` (dev_seq_show's format).
const PROC_NET_DEV_LO: &str = "Inter-|   Receive                                                |  Transmit\n \
face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    \
lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n";

/// `ls /sys/class/net` with a bridge added, then `ls` and `/proc/net/dev` in a new namespace.
const PER_NETNS: &str = "br9\nlo\nlo\nInter-|   Receive                                                |  Transmit\n \
face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    \
lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n";

/// `arp_seq_show` of an empty neighbour table: the header alone.
const PROC_NET_ARP_EMPTY: &str =
    "IP address       HW type     Flags       HW address            Mask     Device\n";

/// `ipv6_route_native_seq_show` with no route: the `fib6_null_entry` at the root of main
/// (254) and local (255).
const PROC_NET_IPV6_ROUTE_EMPTY: &str = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n\
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

const MARK_LINK: &str = "hostmark0";
/// Debian's interpreter (not a pyenv shim nobody cannot run).
const PYTHON: &str = "/usr/bin/python3";
const MARK_ADDR: &str = "10.231.77.1";

/// What one attempt must produce.
enum Want {
    /// Exactly this on stdout (exit status not checked: some tools exit 1 after printing).
    Stdout(&'static str),
    /// This stdout, and this text on stderr.
    Refused(String, String),
    /// A failing exit status and this text on stderr.
    Fails(String),
    /// Anything, as long as nothing of the host shows (the check all attempts get).
    NoLeak,
}

struct Attempt {
    argv: Vec<String>,
    want: Want,
}

#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn attempt(argv: &[&str], want: Want) -> Attempt {
    Attempt {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        want,
    }
}

/// The escape program, compiled at test time.
fn build_escape(dir: &TempDir) -> PathBuf {
    let src = dir.path("escape.c");
    std::fs::write(&src, ESCAPE_C).expect("write escape.c");
    let bin = dir.path("escape");
    let out = Command::new("gcc")
        .args(["-O1", "-o"])
        .arg(&bin)
        .arg(&src)
        .output()
        .expect("gcc needed for the containment test: apt-get install gcc libc6-dev");
    assert!(
        out.status.success(),
        "gcc escape.c: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

/// busybox-static (its `ifconfig`, `route`, `arp` applets use the legacy ioctls).
fn busybox() -> &'static str {
    ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("install busybox-static: `bash .ci/install-clients.sh` (apt-get install busybox-static)")
}

fn attempts(escape: &Path, dir: &TempDir) -> Vec<Attempt> {
    let e = escape.to_str().expect("utf-8 path");
    let link = |n: &str| dir.path(n).to_str().expect("utf-8 path").to_string();
    let (l1, l2, l3) = (link("l1"), link("l2"), link("l3"));
    let m = link("m");
    std::fs::create_dir_all(&m).expect("mount point");
    let refused = |stdout: &str, what: &str| {
        Want::Refused(stdout.to_string(), format!("nlsim: {what} not modelled"))
    };
    let bb = busybox();
    let mut v = vec![
        // io_uring: refused in the filter, so IORING_OP_SOCKET/OPENAT can never run.
        attempt(
            &[e, "uring"],
            Want::Stdout("io_uring_setup rc=-1 errno=38\nio_uring_register rc=-1 errno=38\n"),
        ),
        // The host's netfilter and multicast routing tables are configuration, not traffic:
        // their socket options are refused even on an ordinary IP socket.
        attempt(
            &[e, "sockopt"],
            Want::Refused(
                "ipt_get_info rc=-1 errno=95\nipt_set_replace rc=-1 errno=95\n\
                 ip6t_get_entries rc=-1 errno=95\nebt_get_info rc=-1 errno=95\n\
                 mrt_init rc=-1 errno=95\nip_tos rc=0 errno=0\n"
                    .into(),
                "nlsim: getsockopt(0, 64): iptables (ip_tables sockopts) are not modelled".into(),
            ),
        ),
        // openat2 is judged like openat.
        attempt(
            &[e, "openat2", "/proc/net/dev"],
            Want::Stdout(PROC_NET_DEV_LO),
        ),
        attempt(
            &[e, "openat2", "/sys/class/net"],
            Want::Stdout("entry lo\n"),
        ),
        attempt(
            &[e, "openat2", "/sys/class/net/lo/mtu"],
            Want::Stdout("65536\n"),
        ),
        // The model's main table: none yet (no address, no route), so not even the header
        // (fib_route_seq_start).
        attempt(&[e, "openat2", "/proc/net/route"], Want::Stdout("")),
        attempt(
            &[e, "inroot", "/proc/self", "/net/dev"],
            Want::Stdout(PROC_NET_DEV_LO),
        ),
        attempt(
            &[e, "inroot", "/sys/class", "/net"],
            Want::Stdout("entry lo\n"),
        ),
        // Links the program makes, relative paths, dirfds, `..`, /proc/<pid> spellings.
        attempt(
            &[e, "symlink", "/proc/net/dev", &l1],
            Want::Stdout(PROC_NET_DEV_LO),
        ),
        // The model's addresses: none on a down lo.
        attempt(
            &[e, "symlink", "/proc/self/net/if_inet6", &l2],
            Want::Stdout(""),
        ),
        attempt(
            &[e, "symlink", "/sys/class/net", &l3],
            Want::Stdout("entry lo\n"),
        ),
        attempt(
            &[e, "openat", "/proc/self", "net/dev"],
            Want::Stdout(PROC_NET_DEV_LO),
        ),
        attempt(
            &[e, "openat", "/sys/class", "./net/../net"],
            Want::Stdout("entry lo\n"),
        ),
        attempt(
            &[e, "openat", "/sys/devices/virtual", "net"],
            refused("openat errno=95\n", "/sys/devices/virtual/net"),
        ),
        attempt(
            &[e, "open", "/proc/1/net/dev"],
            Want::Stdout(PROC_NET_DEV_LO),
        ),
        attempt(
            &[e, "open", "/proc/thread-self/net/arp"],
            Want::Stdout(PROC_NET_ARP_EMPTY),
        ),
        attempt(
            &[e, "open", "/proc/net/ipv6_route"],
            Want::Stdout(PROC_NET_IPV6_ROUTE_EMPTY),
        ),
        // The model's igmp_mc_seq_show: the header alone while lo (down) has no group.
        attempt(
            &[e, "open", "/proc/net/igmp"],
            Want::Stdout("Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"),
        ),
        attempt(
            &[e, "open", "/proc/net/tcp"],
            refused("open errno=95\n", "/proc/net/tcp"),
        ),
        // The model's (no group on a down lo), never the host's.
        attempt(&[e, "open", "/proc/net/dev_mcast"], Want::Stdout("")),
        attempt(
            &[e, "chdir", "/sys/class/net", "."],
            Want::Stdout("entry lo\n"),
        ),
        attempt(
            &[e, "chdir", "/proc/self/net", "dev"],
            Want::Stdout(PROC_NET_DEV_LO),
        ),
        attempt(
            &[e, "open", "/sys/devices/virtual/net/lo/mtu"],
            Want::Stdout("65536\n"),
        ),
        // A device the simulator lacks does not exist, whatever the host has.
        attempt(
            &[e, "open", &format!("/sys/class/net/{MARK_LINK}/ifindex")],
            Want::Stdout("open errno=2\n"),
        ),
        attempt(
            &[e, "open", &format!("/sys/class/net/{MARK_LINK}")],
            Want::Stdout("open errno=2\n"),
        ),
        attempt(
            &[e, "ioctl", "0x8933", MARK_LINK],
            Want::Stdout("ioctl 0x8933 rc=-1 errno=19\n"),
        ),
        attempt(
            &[e, "ioctl", "0x8913", "lo"],
            Want::Stdout("ioctl 0x8913 rc=0 errno=0\n"),
        ),
    ];
    // The address ioctls are the model's (devinet_ioctl): lo has no address, the host's
    // device does not exist, and a zeroed ifreq is no AF_INET address to set.
    v.extend([
        attempt(
            &[e, "ioctl", "0x8915", "lo"],
            Want::Stdout("ioctl 0x8915 rc=-1 errno=99\n"),
        ),
        attempt(
            &[e, "ioctl", "0x8915", MARK_LINK],
            Want::Stdout("ioctl 0x8915 rc=-1 errno=19\n"),
        ),
        attempt(
            &[e, "ioctl", "0x891b", "lo"],
            Want::Stdout("ioctl 0x891b rc=-1 errno=99\n"),
        ),
        attempt(
            &[e, "ioctl", "0x8916", "lo"],
            Want::Stdout("ioctl 0x8916 rc=-1 errno=22\n"),
        ),
    ]);
    // Socket ioctls outside the emulated ones: refused, never the host's answer.
    for (req, name, dev) in [
        ("0x890b", "SIOCADDRT", "lo"),
        ("0x8955", "SIOCSARP", "lo"),
        ("0x894c", "SIOCGSKNS", "lo"),
        ("0x8946", "SIOCETHTOOL", "lo"),
        ("0x8947", "SIOCGMIIPHY", "lo"),
        ("0x8990", "SIOCBONDENSLAVE", "lo"),
        ("0x89a0", "SIOCBRADDBR", "lo"),
        ("0x89f1", "SIOCADDTUNNEL (SIOCDEVPRIVATE+1)", "lo"),
        ("0x89e0", "SIOCPROTOPRIVATE", "lo"),
        ("0x8b01", "wireless extension (SIOCxIW)", "lo"),
    ] {
        v.push(attempt(
            &[e, "ioctl", req, dev],
            refused(
                &format!("ioctl {req} rc=-1 errno=95\n"),
                &format!("ioctl {name} ({req})"),
            ),
        ));
    }
    // Other netlink protocols would be the host's.
    for proto in ["4", "9", "15", "16"] {
        v.push(attempt(
            &[e, "netlink", proto],
            Want::Stdout("netlink rc=-1 errno=93\n"),
        ));
    }
    // Packet sockets would bind to the host's devices (and could make them promiscuous).
    v.push(attempt(
        &[e, "packet"],
        Want::Stdout("packet rc=-1 errno=97\n"),
    ));
    let fails = |what: &str| Want::Fails(format!("nlsim: ioctl {what} not modelled"));
    v.extend([
        attempt(
            &[
                bb,
                "ifconfig",
                "lo",
                "10.9.9.9",
                "netmask",
                "255.0.0.0",
                "up",
            ],
            Want::NoLeak,
        ),
        attempt(
            &[bb, "route", "add", "-net", "10.8.0.0/16", "dev", "lo"],
            fails("SIOCADDRT (0x890b)"),
        ),
        attempt(
            &[bb, "arp", "-s", "10.9.9.8", "00:11:22:33:44:55"],
            fails("SIOCSARP (0x8955)"),
        ),
        attempt(
            &[
                "ip", "tunnel", "add", "tun9", "mode", "ipip", "remote", "10.1.1.1",
            ],
            fails("SIOCADDTUNNEL (SIOCDEVPRIVATE+1) (0x89f1)"),
        ),
        attempt(&[bb, "ifconfig", "-a"], Want::NoLeak),
        // A sysfs, or /sys or / bound elsewhere, would show the devices past the path checks
        // (as root: a real private mount namespace; unprivileged: the emulated one).
        attempt(
            &[
                "unshare",
                "-m",
                "sh",
                "-c",
                &format!("mount -t sysfs sysfs {m} && ls {m}/class/net"),
            ],
            Want::Fails("nlsim: ".into()),
        ),
        attempt(
            &[
                "unshare",
                "-m",
                "sh",
                "-c",
                &format!("mount --rbind / {m} && ls {m}/sys/class/net"),
            ],
            Want::Fails("nlsim: ".into()),
        ),
        // A link on a tmpfs only the target's private mount namespace has (root only; the
        // unprivileged emulation refuses the mount).
        attempt(
            &["unshare", "-m", "sh", "-c", &format!(
                "mount -t tmpfs t {m} && ln -s /proc/net/dev {m}/l && ln -s ../../../../../../../../proc/self/net/dev {m}/r && ln -s /sys/class/net {m}/d && cat {m}/l {m}/r && ls {m}/d/"
            )],
            Want::NoLeak,
        ),
        // A process that made itself not dumpable cannot be inspected by an unprivileged
        // launcher: its opens must fail rather than run unjudged.
        attempt(
            &[
                PYTHON,
                "-c",
                "import ctypes\nctypes.CDLL(None).prctl(4, 0, 0, 0, 0)\n\
                 try:\n    print(open('/proc/net/dev').read())\n\
                 except OSError as e:\n    print('errno', e.errno)\n",
            ],
            Want::NoLeak,
        ),
        // /proc/sys/net is the simulated namespace's; what nlsim does not model is refused.
        attempt(&["cat", "/proc/sys/net/ipv4/ip_forward"], Want::Stdout("0\n")),
        attempt(
            &["cat", "/proc/sys/net/core/somaxconn"],
            Want::Fails("nlsim: /proc/sys/net/core/somaxconn not modelled".into()),
        ),
        attempt(
            &["sh", "-c", "echo 0 > /proc/sys/net/core/somaxconn"],
            Want::Fails("nlsim: /proc/sys/net/core/somaxconn not modelled".into()),
        ),
        attempt(&["cat", "/proc/net/dev"], Want::Stdout(PROC_NET_DEV_LO)),
        attempt(&["ls", "/sys/class/net"], Want::Stdout("lo\n")),
        // Per simulated namespace, as the caller sees it.
        attempt(
            &[
                "sh",
                "-c",
                "ip link add br9 type bridge && ip netns add n1 && ls /sys/class/net && \
                 ip netns exec n1 ls /sys/class/net && ip netns exec n1 cat /proc/net/dev",
            ],
            Want::Stdout(PER_NETNS),
        ),
        // A device's directory lists the attributes the model serves; opens below it (and
        // below the /sys/class/net stand-in) are the model's.
        attempt(
            &["ls", "/sys/class/net/lo"],
            Want::Stdout("addr_assign_type\naddr_len\nflags\nifindex\nlink_mode\nmtu\noperstate\ntx_queue_len\ntype\n"),
        ),
        attempt(&[e, "openat", "/sys/class/net/lo", "mtu"], Want::Stdout("65536\n")),
        attempt(&[e, "openat", "/sys/class/net", "lo/ifindex"], Want::Stdout("1\n")),
        attempt(
            &["ip", "-n", "nosuchns", "link"],
            Want::Fails(String::new()),
        ),
        attempt(&["ip", "-o", "addr"], Want::Stdout("")),
        attempt(&["ip", "-o", "link"], Want::NoLeak),
    ]);
    v
}

/// Checks one outcome against its expectation and the forbidden strings.
fn check(a: &Attempt, o: &Outcome, forbidden: &[String], who: &str) {
    let ctx = || format!("{who}: {:?}\n{o:#?}", a.argv);
    for f in forbidden {
        assert!(
            !o.stdout.contains(f.as_str()) && !o.stderr.contains(f.as_str()),
            "{who}: host state {f:?} leaked through {:?}\n{o:#?}",
            a.argv
        );
    }
    match &a.want {
        Want::Stdout(s) => assert_eq!(o.stdout, *s, "{}", ctx()),
        Want::Refused(s, err) => {
            assert_eq!(o.stdout, *s, "{}", ctx());
            assert!(o.stderr.contains(err.as_str()), "want {err:?}: {}", ctx());
        }
        Want::Fails(err) => {
            assert_ne!(o.code, 0, "{}", ctx());
            assert!(o.stderr.contains(err.as_str()), "want {err:?}: {}", ctx());
        }
        Want::NoLeak => {}
    }
}

/// `ip -o link` and `ip -o addr` natively, lifetimes dropped (they count down on the host).
fn listing(out: &str) -> String {
    out.lines()
        .map(|l| l.split(" valid_lft").next().unwrap_or(l).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn native_listing() -> String {
    let mut s = String::new();
    for args in [["-o", "link"], ["-o", "addr"]] {
        let o = Command::new("ip").args(args).output().expect("native ip");
        s.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    listing(&s)
}

/// The host's addresses (`ip -o addr`), without prefix length; `::1` is left out (it is a
/// substring of too many things to prove anything).
fn host_addrs() -> Vec<String> {
    let o = Command::new("ip")
        .args(["-o", "addr"])
        .output()
        .expect("native ip");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            w.find(|t| *t == "inet" || *t == "inet6")?;
            w.next()?.split('/').next().map(str::to_string)
        })
        .filter(|a| a != "::1")
        .collect()
}

/// (a): against the host, unprivileged.
#[test]
fn escapes_fail_unprivileged_on_the_host() {
    require_seccomp!();
    let dir = TempDir::new("contain");
    let escape = build_escape(&dir);
    // SAFETY: geteuid is always safe.
    let user = if unsafe { libc::geteuid() } == 0 {
        User::Nobody
    } else {
        User::Current
    };
    let mut forbidden: Vec<String> = host_links().into_iter().filter(|n| n != "lo").collect();
    forbidden.extend(host_addrs());
    let before = native_listing();
    for a in attempts(&escape, &dir) {
        let mut args = vec!["--"];
        args.extend(a.argv.iter().map(String::as_str));
        let r = nlsim_run(user, &dir.0, &args);
        let o = Outcome {
            code: r.code,
            stdout: r.stdout,
            stderr: r.stderr,
        };
        check(&a, &o, &forbidden, &format!("{user:?} on the host"));
    }
    assert_eq!(
        native_listing(),
        before,
        "the host's links or addresses changed"
    );
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// (b): as root in a user + network namespace with marker state.
#[test]
fn escapes_fail_as_root_in_a_user_and_network_namespace() {
    require_seccomp!();
    let probe = Command::new("unshare").args(["-rn", "true"]).status();
    assert!(
        probe.is_ok_and(|s| s.success()),
        "this test needs `unshare -rn` (util-linux, unprivileged user namespaces enabled: sysctl kernel.unprivileged_userns_clone=1)"
    );
    let dir = TempDir::new("contain-ns");
    let escape = build_escape(&dir);
    let list = attempts(&escape, &dir);
    let nl = nlsim().to_str().expect("utf-8 path").to_string();
    let mut script = format!(
        "ip link add {MARK_LINK} type bridge || exit 90\n\
         ip addr add {MARK_ADDR}/24 dev lo || exit 91\n\
         ip link set lo up || exit 92\n\
         echo @@@listing; ip -o link; ip -o addr\n"
    );
    for (i, a) in list.iter().enumerate() {
        let argv: Vec<String> = a.argv.iter().map(|s| shell_quote(s)).collect();
        let err = dir.path(&format!("err{i}"));
        script.push_str(&format!(
            "echo @@@attempt; {} run -- {} 2>{}; echo \"@@@rc $?\"; echo @@@stderr; cat {}\n",
            shell_quote(&nl),
            argv.join(" "),
            shell_quote(err.to_str().expect("utf-8")),
            shell_quote(err.to_str().expect("utf-8")),
        ));
    }
    script.push_str("echo @@@listing; ip -o link; ip -o addr\n");
    let out = Command::new("unshare")
        .args(["-rn", "sh", "-c", &script])
        .current_dir(&dir.0)
        .env("TMPDIR", &dir.0)
        .output()
        .expect("unshare -rn sh");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "marker setup or script failed ({:?}):\n{text}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let listings: Vec<&str> = text
        .split("@@@listing\n")
        .skip(1)
        .map(|s| s.split("@@@attempt\n").next().unwrap_or(s))
        .collect();
    assert_eq!(listings.len(), 2, "{text}");
    assert!(
        listings[0].contains(MARK_LINK) && listings[0].contains(MARK_ADDR),
        "marker state missing: {}",
        listings[0]
    );
    assert_eq!(
        listing(listings[0]),
        listing(listings[1]),
        "the namespace's links or addresses changed"
    );
    let bodies: Vec<&str> = text
        .split("@@@attempt\n")
        .skip(1)
        .map(|s| s.split("@@@listing\n").next().unwrap_or(s))
        .collect();
    assert_eq!(bodies.len(), list.len(), "{text}");
    let mut forbidden = vec![MARK_LINK.to_string(), MARK_ADDR.to_string()];
    forbidden.extend(host_links().into_iter().filter(|n| n != "lo"));
    for (a, body) in list.iter().zip(bodies) {
        // "<stdout>@@@rc N\n@@@stderr\n<stderr>"
        let (stdout, rest) = body.split_once("@@@rc ").expect("rc marker");
        let (code, stderr) = rest.split_once("\n@@@stderr\n").expect("stderr marker");
        let o = Outcome {
            code: code.trim().parse().expect("exit code"),
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
        };
        // The attempt's own arguments name the marker (ioctl on hostmark0): judge the output.
        check(a, &o, &forbidden, "root in unshare -rn");
    }
}

/// `/proc/net/dev_mcast` is the model's, in the kernel's format and order: the script of
/// `golden/procnet/` under `nlsim run` prints what a real kernel printed for it.
#[test]
fn proc_net_dev_mcast_is_the_models() {
    require_seccomp!();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/procnet");
    let want = std::fs::read_to_string(golden.join("dev_mcast.kernel.txt")).expect("golden");
    let dir = TempDir::new("dev-mcast");
    let script = dir.path("dev_mcast.sh");
    std::fs::copy(golden.join("dev_mcast.sh"), &script).expect("copy script");
    for u in run_support::users() {
        let out =
            nlsim_run(u, &dir.0, &["--", "sh", script.to_str().expect("utf-8")]).ok("dev_mcast.sh");
        assert_eq!(out, want, "{u:?}");
    }
}
