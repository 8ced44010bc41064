//! The receive fast path (`nlsim run --preload`, launcher/src/preload.rs): a dynamically
//! linked client whose receives run natively gets byte for byte what the trapped path gives
//! it (dumps, errors with extack, truncation, peeks, sender addresses, notifications, an
//! overrun's ENOBUFS, non-blocking EAGAIN), and the trampoline page lets nothing but
//! receives through. Each case runs as the current user and as uid 65534.

mod run_support;
use run_support::{host_links, link_names, nlsim_run, python3, users, TempDir, User};

/// A raw netlink client in Python (glibc's recvmsg/recvfrom/recv, so the preloaded ones).
/// Port ids differ between runs (they are the pid): every nlmsg_pid is zeroed before a
/// message is printed. Ends with whether the table said the fast path was on for its socket.
const CLIENT: &str = r#"
import ctypes, errno, os, socket, struct, time

SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
libc = ctypes.CDLL(None, use_errno=True)

def norm(data):
    out, off = bytearray(data), 0
    while off + 16 <= len(out):
        ln = struct.unpack_from("=L", out, off)[0]
        if ln < 16:
            break
        out[off + 12:off + 16] = b"\0\0\0\0"
        off += (ln + 3) & ~3
    return bytes(out)

def show(tag, data, *extra):
    print(tag, len(data), norm(data).hex(), *extra)

def req(ty, flags, seq, payload):
    return struct.pack("=LHHLL", 16 + len(payload), ty, flags, seq, 0) + payload

IFINFO = struct.pack("=BxHiII", 0, 0, 0, 0, 0)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
s.bind((0, 0))

# A link dump read with recvmsg (the first receive traps and fills the table).
s.send(req(18, 0x301, 1, IFINFO))
while True:
    data, anc, flags, addr = s.recvmsg(32768, 64)
    show("dump", data, anc, flags, addr)
    if struct.unpack_from("=H", data, 4)[0] == 3:
        break

# iproute2's pattern: a zero-length MSG_PEEK|MSG_TRUNC probe, then the receive.
for seq in (2, 3):
    s.send(req(18, 0x1, seq, struct.pack("=BxHiII", 0, 0, 1, 0, 0)))
    n = libc.recv(s.fileno(), None, 0, socket.MSG_PEEK | socket.MSG_TRUNC)
    data, addr = s.recvfrom(32768)
    print("probe", n)
    show("getlink lo", data, addr)

# Errors, with extack: a missing device, an address with a bad prefix length.
s.send(req(17, 0x5, 4, struct.pack("=BxHiII", 0, 0, 12345, 0, 0)))
show("dellink", s.recv(32768))
ifa = struct.pack("=BBBBI", socket.AF_INET, 40, 0, 0, 1) + struct.pack("=HH4s", 8, 2, bytes([10, 0, 0, 1]))
s.send(req(20, 0x605, 5, ifa))
show("newaddr", s.recv(32768))

# Truncation: a small buffer, with and without MSG_TRUNC.
for seq, fl in ((6, 0), (7, socket.MSG_TRUNC)):
    s.send(req(18, 0x1, seq, struct.pack("=BxHiII", 0, 0, 1, 0, 0)))
    buf = ctypes.create_string_buffer(64)
    n = libc.recv(s.fileno(), buf, 64, fl)
    show("trunc", buf.raw[:min(n, 64)], n)

# Nothing queued: EAGAIN.
try:
    s.recv(100, socket.MSG_DONTWAIT)
except BlockingIOError as e:
    print("dontwait", e.errno)

# A notification to a group member, caused by our own request.
m = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
m.bind((0, 1))
m.send(req(18, 0x1, 1, struct.pack("=BxHiII", 0, 0, 1, 0, 0)))
show("member getlink", m.recv(32768))
kind = struct.pack("=HH", 12, 1) + b"bridge\0\0"
linkinfo = struct.pack("=HH", 4 + len(kind), 18) + kind
name = struct.pack("=HH", 8, 3) + b"pb0\0"
s.send(req(16, 0x605, 8, IFINFO + name + linkinfo))
show("newlink ack", s.recv(32768))
data, anc, flags, addr = m.recvmsg(32768)
show("notification", data, flags, addr)

# Was the fast path on for `s`? The table entry (launcher/src/preload.rs) says.
maps = open("/proc/self/maps").read()
on = False
if "6e6c00001000-" in maps:
    entry = ctypes.string_at(0x6e6c00001000 + 16 + 16 * s.fileno(), 16)
    ino, rlen, ok = struct.unpack("=QII", entry)
    on = ok == 1 and ino == os.fstat(s.fileno()).st_ino and rlen == 32768
fast = on

# An overrun: a small receive buffer and 60 unread replies. The next receive fails with
# ENOBUFS (sk_err comes before the queue), then what fit is read, then EAGAIN.
o = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
o.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
o.send(req(18, 0x1, 1, struct.pack("=BxHiII", 0, 0, 1, 0, 0)))
show("small getlink", o.recv(32768))
for seq in range(2, 62):
    o.send(req(18, 0x1, seq, struct.pack("=BxHiII", 0, 0, 1, 0, 0)))
# The kernel handles each request inside send(); the simulator, after it. Give it the time
# so both paths see all 60 handled (a receive racing the simulator is not what is compared).
time.sleep(0.5)
while True:
    try:
        show("after overrun", o.recv(32768))
        o.setblocking(False)
    except OSError as e:
        print("overrun", e.errno)
        if e.errno == errno.EAGAIN:
            break
print("fast path", fast)
"#;

fn run_client(user: User, dir: &TempDir, py: &str, path_flag: &str) -> String {
    nlsim_run(user, &dir.0, &[path_flag, "--", py, "client.py"]).ok(path_flag)
}

#[test]
fn a_raw_client_gets_the_same_bytes_natively() {
    require_seccomp!();
    let Some(py) = python3() else {
        panic!("python3 is needed (apt-get install python3)");
    };
    for user in users() {
        let dir = TempDir::new("preload-raw");
        std::fs::write(dir.path("client.py"), CLIENT).expect("write client");
        let trapped = run_client(user, &dir, py, "--no-preload");
        let native = run_client(user, &dir, py, "--preload");
        assert!(
            trapped.ends_with("fast path False\n"),
            "{user:?}: {trapped}"
        );
        assert!(native.ends_with("fast path True\n"), "{user:?}: {native}");
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with("fast path"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&trapped), strip(&native), "{user:?}");
        // The overrun was seen, then EAGAIN.
        assert!(native.contains("overrun 105\n"), "{user:?}: {native}");
        assert!(native.contains("dontwait 11\n"), "{user:?}: {native}");
    }
}

/// iproute2 (dynamically linked): dumps, errors with extack, a batch.
const IP_SCRIPT: &str = r#"
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.0.0.1/24 dev br0
i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo "route add 10.1.$((i / 256)).$((i % 256))/32 via 10.0.0.2"; done >routes
ip -batch routes
ip route add 10.1.0.1/32 via 10.0.0.2
ip -d -s link show
ip addr show
ip route show
ip -j route show table all
ip route get 10.1.0.3
ip link del nosuch
ip addr add 10.0.0.1/40 dev br0
ip link add br0 type bridge
true
"#;

#[test]
fn iproute2_prints_the_same_natively() {
    require_seccomp!();
    for user in users() {
        let dir = TempDir::new("preload-ip");
        std::fs::write(dir.path("ip.sh"), IP_SCRIPT).expect("write script");
        let outputs: Vec<(String, String)> = ["--no-preload", "--preload"]
            .iter()
            .map(|flag| {
                let r = nlsim_run(user, &dir.0, &[flag, "--", "sh", "ip.sh"]);
                assert_eq!(r.code, 0, "{user:?} {flag}: {}", r.stderr);
                (r.stdout, r.stderr)
            })
            .collect();
        assert_eq!(outputs[0], outputs[1], "{user:?}");
        assert!(
            outputs[1].1.contains("File exists"),
            "{user:?}: {}",
            outputs[1].1
        );
        assert_eq!(
            outputs[1].0.matches("via 10.0.0.2").count(),
            301,
            "{user:?}"
        );
    }
}

/// Code put into the trampoline page (made writable) that makes another system call: the
/// filter judges it as from anywhere else. socket(AF_NETLINK) gets a simulator socket,
/// whose dump shows the simulator's links only; a recvmsg from there on a socket that is not
/// the simulator's still only reads what that socket holds.
const TRAMPOLINE_ESCAPE: &str = r#"
import ctypes, re, socket, struct
libc = ctypes.CDLL(None, use_errno=True)
page = 0x6e6c00000000
assert "6e6c00000000-" in open("/proc/self/maps").read(), "no trampoline page"
assert libc.mprotect(ctypes.c_void_p(page), 4096, 7) == 0, ctypes.get_errno()
# mov eax, SYS_socket; syscall; ret
code = bytes([0xb8, 41, 0, 0, 0, 0x0f, 0x05, 0xc3])
ctypes.memmove(page + 64, code, len(code))
f = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_long, ctypes.c_long, ctypes.c_long)(page + 64)
fd = f(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
assert fd >= 0, fd
s = socket.socket(fileno=fd)
s.send(struct.pack("=LHHLL", 32, 18, 0x301, 1, 0) + struct.pack("=BxHiII", 0, 0, 0, 0, 0))
# The IFLA_IFNAME attributes of the dump, up to NLMSG_DONE.
names, data = [], b""
while b"\x14\x00\x00\x00\x03\x00" not in data:
    data = s.recv(32768)
    names += [n.decode() for n in re.findall(rb"[\x05-\x14]\x00\x03\x00([!-~]+)\x00", data)]
for n in names:
    print(f"1: {n}: link")
"#;

#[test]
fn the_trampoline_page_lets_only_receives_through() {
    require_seccomp!();
    let Some(py) = python3() else {
        panic!("python3 is needed (apt-get install python3)");
    };
    let host = host_links();
    for user in users() {
        let dir = TempDir::new("preload-escape");
        std::fs::write(dir.path("escape.py"), TRAMPOLINE_ESCAPE).expect("write script");
        let out = nlsim_run(
            user,
            &dir.0,
            &[
                "--preload",
                "--",
                "sh",
                "-c",
                "ip link add simonly0 type bridge && \"$0\" escape.py",
                py,
            ],
        )
        .ok("escape");
        let names = link_names(&out);
        assert_eq!(names, ["lo", "simonly0"], "{user:?}: {out}");
        for h in &host {
            if h != "lo" {
                assert!(!names.contains(h), "{user:?}: host link {h} seen: {out}");
            }
        }
    }
}

#[test]
fn help_says_which_path_runs() {
    let out = std::process::Command::new(run_support::nlsim())
        .args(["run", "--help"])
        .output()
        .expect("nlsim run --help");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--preload"), "{text}");
    assert!(text.contains("--no-preload"), "{text}");
    assert!(text.contains("NLSIM_PRELOAD"), "{text}");
}

/// `ip monitor link` stopped (SIGSTOP) while 1200 dummies are added, then continued. The
/// kernel (golden/rcvbuf/kernel-6.12, see run_rcvbuf.rs) keeps the first
/// rcvbuf / 2304 notifications, then the monitor's next receive fails with ENOBUFS. On the
/// fast path the monitor's blocked receive is a native one, which a stopped task does not
/// complete, so the count is the kernel's (the trapped path answers one more).
const STOPPED_MONITOR: &str = r#"
ip monitor link >events 2>errors &
mon=$!
sleep 1
kill -STOP $mon
seq 1 1200 | sed 's/.*/link add b& type dummy/' >adds
ip -batch adds
kill -CONT $mon
sleep 3
ip link add final0 type bridge
sleep 2
kill $mon
printf 'errors: %s\nnewlinks: %s\n' "$(cat errors)" "$(grep -c '^[0-9]*: b[0-9]*:' events)"
grep -q ': final0:' events && echo final0 seen
"#;

#[test]
fn a_stopped_monitor_keeps_the_kernels_count() {
    require_seccomp!();
    let rmem_max: u64 = std::fs::read_to_string("/proc/sys/net/core/rmem_max")
        .expect("read /proc/sys/net/core/rmem_max")
        .trim()
        .parse()
        .expect("rmem_max is a number");
    // rtnl_open asks SO_RCVBUF 1 MiB: sk_rcvbuf = 2 * min(1 MiB, rmem_max); a
    // dummy's RTM_NEWLINK is charged 2304 bytes (run_rcvbuf.rs).
    let kept = 2 * rmem_max.min(1 << 20) / 2304;
    assert!(
        kept < 1200,
        "rmem_max {rmem_max} too large for 1200 notifications to overrun"
    );
    for user in users() {
        let dir = TempDir::new("preload-mon");
        std::fs::write(dir.path("mon.sh"), STOPPED_MONITOR).expect("write script");
        let out = nlsim_run(user, &dir.0, &["--preload", "--", "sh", "mon.sh"]).ok("monitor");
        assert!(
            out.contains("errors: netlink receive error No buffer space available (105)\n"),
            "{user:?}: {out}"
        );
        assert!(
            out.contains(&format!("newlinks: {kept}\n")),
            "{user:?}: {out}"
        );
        assert!(out.contains("final0 seen"), "{user:?}: {out}");
    }
}
