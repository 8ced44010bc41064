//! tun/tap under `nlsim run`: `ip tuntap add/show/del` and a program using `/dev/net/tun`
//! directly, as the current user and as nobody (the launcher's `/dev/net/tun` stand-in and its
//! `/sys/class/net/<dev>/tun_flags|owner|group`).

mod run_support;
use run_support::{ip_links, link, nlsim_run, python3, run, users, TempDir};

#[test]
fn ip_tuntap_add_show_del() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("tuntap");
        let state = dir.path("s.json");
        let st = state.to_str().expect("utf-8 path");
        // One run creates (the devices outlive ip: persistent), the next ones see them.
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--state",
                st,
                "--netdevsim",
                "1:1",
                "--",
                "sh",
                "-c",
                "ip tuntap add dev tap1 mode tap && ip tuntap add mode tun user 4321 group 4322 \
                 && ip tuntap add dev tun2 mode tun multi_queue vnet_hdr && ip tuntap show",
            ],
        )
        .ok("ip tuntap add");
        assert_eq!(
            out,
            "tap1: tap persist\ntun0: tun persist user 4321 group 4322\n\
             tun2: tun multi_queue vnet_hdr persist\n",
            "{u:?}"
        );
        let links = ip_links(u, &dir.0, &state);
        let tap = link(&links, "tap1");
        assert_eq!(tap["linkinfo"]["info_kind"], "tun", "{tap}");
        assert_eq!(tap["linkinfo"]["info_data"]["type"], "tap", "{tap}");
        assert_eq!(tap["linkinfo"]["info_data"]["persist"], true, "{tap}");
        assert_eq!(
            (tap["txqlen"].as_u64(), tap["max_mtu"].as_u64()),
            (Some(1000), Some(65521))
        );
        let tun = link(&links, "tun0");
        assert_eq!(tun["link_type"], "none", "{tun}");
        assert_eq!(tun["txqlen"], 500, "{tun}");
        assert_eq!(tun["linkinfo"]["info_data"]["user"], 4321, "{tun}");
        let mq = link(&links, "tun2");
        assert_eq!(mq["num_tx_queues"], 256, "{mq}");
        assert_eq!(mq["linkinfo"]["info_data"]["numqueues"], 0, "{mq}");
        // Up without a queue attached: NO-CARRIER.
        let r = nlsim_run(
            u,
            &dir.0,
            &[
                "--state",
                st,
                "--",
                "sh",
                "-c",
                "ip link set tap1 up && ip link show tap1",
            ],
        )
        .ok("ip link set up");
        assert!(
            r.contains("<NO-CARRIER,BROADCAST,MULTICAST,UP>"),
            "{u:?}: {r}"
        );
        // The kernel's refusals: creation through rtnetlink, IFF_TUN_EXCL, a type mismatch.
        let r = nlsim_run(
            u,
            &dir.0,
            &[
                "--state", st, "--", "ip", "link", "add", "foo", "type", "tun",
            ],
        );
        assert_eq!(r.code, 2, "{r:?}");
        assert_eq!(
            r.stderr,
            "Error: tun/tap creation via rtnetlink is not supported.\n"
        );
        let r = nlsim_run(
            u,
            &dir.0,
            &[
                "--state", st, "--", "ip", "tuntap", "add", "dev", "tap1", "mode", "tap",
            ],
        );
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, "ioctl(TUNSETIFF): Device or resource busy\n")
        );
        let r = nlsim_run(
            u,
            &dir.0,
            &[
                "--state", st, "--", "ip", "tuntap", "del", "dev", "tap1", "mode", "tun",
            ],
        );
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, "ioctl(TUNSETIFF): Invalid argument\n")
        );
        // del: attach, persist off, close: gone.
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--state",
                st,
                "--",
                "sh",
                "-c",
                "ip tuntap del dev tap1 mode tap && ip tuntap del mode tun tun0 && ip tuntap show",
            ],
        )
        .ok("ip tuntap del");
        assert_eq!(out, "tun2: tun multi_queue vnet_hdr persist\n", "{u:?}");
        let names: Vec<_> = ip_links(u, &dir.0, &state)
            .iter()
            .map(|l| l["ifname"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(names, ["lo", "eth0", "tun2"], "{u:?}");
    }
}

/// Opens /dev/net/tun itself: TUNSETIFF without persist, TUNGETIFF, the device seen through
/// netlink while a copy of the fd is open, gone once the last copy is closed.
const SCRIPT: &str = r#"
import fcntl, json, os, struct, subprocess
TUNSETIFF, TUNGETIFF, TUNGETFEATURES = 0x400454ca, 0x800454d2, 0x800454cf
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
def links():
    out = subprocess.run(["ip", "-j", "link", "show"], capture_output=True, text=True, check=True)
    return {l["ifname"]: l for l in json.loads(out.stdout)}
fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
feat = struct.unpack("I", fcntl.ioctl(fd, TUNGETFEATURES, b"\0" * 4))[0]
print("features %#x" % feat)
ifr = fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", b"tap%d", IFF_TAP | IFF_NO_PI))
print("setiff", ifr[:16].rstrip(b"\0").decode())
name, flags = struct.unpack("16sH22x", fcntl.ioctl(fd, TUNGETIFF, b"\0" * 40))
print("getiff", name.rstrip(b"\0").decode(), hex(flags))
with open("/sys/class/net/tap0/tun_flags") as f:
    print("sysfs", f.read().strip())
l = links()["tap0"]
print("link", l["flags"], l["linkinfo"]["info_kind"] if "linkinfo" in l else "-")
dup = os.dup(fd)
os.close(fd)
print("after first close", "tap0" in links())
os.close(dup)
print("after last close", "tap0" in links())
"#;

#[test]
fn program_with_dev_net_tun() {
    require_seccomp!();
    let py = python3().expect("python3 in /usr/bin or /usr/local/bin: apt-get install python3");
    let dir = TempDir::new("devtun");
    let script = dir.path("t.py");
    std::fs::write(&script, SCRIPT).expect("write script");
    for u in users() {
        let out = nlsim_run(u, &dir.0, &["--", py, script.to_str().expect("utf-8")])
            .ok("python /dev/net/tun");
        assert_eq!(
            out,
            "features 0x7173\n\
             setiff tap0\n\
             getiff tap0 0x1002\n\
             sysfs 0x1002\n\
             link ['BROADCAST', 'MULTICAST'] -\n\
             after first close True\n\
             after last close False\n",
            "{u:?}"
        );
    }
}

/// The legacy path stays refused on anything but the stand-in: a real tun fd (opened before
/// `nlsim run` and inherited as fd 3: every path to the device the target could open itself
/// gets the stand-in) cannot create a host device.
#[test]
fn tunsetiff_on_a_real_fd_is_refused() {
    require_seccomp!();
    let Some(py) = python3() else {
        panic!("python3 in /usr/bin or /usr/local/bin needed: apt-get install python3");
    };
    if !std::path::Path::new("/dev/net/tun").exists() {
        println!("SKIPPED: the host has no /dev/net/tun");
        return;
    }
    let dir = TempDir::new("realtun");
    let script = dir.path("t.py");
    std::fs::write(
        &script,
        "import fcntl, os, struct\n\
         fd = 3\n\
         try:\n    fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH22x', b'leak0', 2))\n    print('created')\n\
         except OSError as e:\n    print('refused', e.errno)\n",
    )
    .expect("write script");
    let nl = run_support::nlsim()
        .to_str()
        .expect("utf-8 path")
        .to_string();
    for u in users() {
        // The shell opens the host's device (where its mode lets the user) before the launcher
        // starts; only the launcher stands between that fd and a real tun device.
        let line = format!(
            "[ -r /dev/net/tun ] && [ -w /dev/net/tun ] || exit 77; exec 3<>/dev/net/tun; exec {nl} run -- {py} {}",
            script.to_str().expect("utf-8")
        );
        let r = run(run_support::command(u, &dir.0, &["sh", "-c", &line]));
        if r.code == 77 {
            println!("SKIPPED for {u:?}: /dev/net/tun cannot be opened");
            continue;
        }
        assert_eq!(r.stdout, "refused 1\n", "{u:?}: {r:?}");
        assert!(r.stderr.contains("nlsim: "), "{u:?}: {r:?}");
    }
}
