//! Receive buffers under `nlsim run`, with real clients: a stopped `ip monitor` overrun by
//! notifications, a raw client with a small SO_RCVBUF that never reads its replies, a 1 MiB
//! datagram of requests, and a zero-length datagram. Each runs as the current user and as
//! uid 65534 (`run_support::users`).
//!
//! The kernel's answers these are checked against: `golden/rcvbuf/kernel-6.12/` (oracle runs
//! of `golden/rcvbuf/ip-monitor-enobufs.sh` and of the raw client `golden/rcvbuf/nlbufs.c`,
//! `golden/rcvbuf/run-oracle.sh`) and the af_netlink.c functions cited below.

mod run_support;
use run_support::{nlsim_run, python3, users, TempDir, User};

/// What a RTM_NEWLINK notification of a fresh dummy is charged: `alloc_skb` of its ~1.2 KB
/// rounds to the 2048-byte kmalloc bucket, plus `struct sk_buff` (see `nlsim::rcvbuf`). The
/// kernel run agrees: with rcvbuf 425984 it kept 184 notifications (184 * 2304 = 423936; a
/// 185th would pass the buffer).
const NOTIFICATION_TRUESIZE: u64 = 2304;

fn rmem_max() -> u64 {
    std::fs::read_to_string("/proc/sys/net/core/rmem_max")
        .expect("read /proc/sys/net/core/rmem_max")
        .trim()
        .parse()
        .expect("rmem_max is a number")
}

const MONITOR: &str = r#"
ip monitor link >mon.out 2>mon.err & echo $! >mon.pid
sleep 1
kill -STOP $(cat mon.pid)
i=0; while [ $i -lt 1500 ]; do i=$((i+1)); echo "link add d$i type dummy"; done >batch
ip -batch batch
kill -CONT $(cat mon.pid)
sleep 3
ip link add last0 type dummy
sleep 2
kill $(cat mon.pid)
echo "stderr: $(cat mon.err)"
echo "count: $(grep -c '^[0-9]*: ' mon.out)"
echo "first: $(head -1 mon.out | cut -d' ' -f2)"
echo "last: $(grep '^[0-9]*: ' mon.out | tail -1 | cut -d' ' -f2)"
"#;

/// `ip monitor link`, stopped while 1500 links are created, then continued: iproute2's
/// rtnl_listen prints the ENOBUFS of its next recvmsg ("netlink receive error No buffer space
/// available (105)") and goes on; what fit in its buffer is printed, then later events.
#[test]
fn stopped_ip_monitor_reports_enobufs_and_keeps_listening() {
    require_seccomp!();
    // rtnl_open asks SO_RCVBUF 1 MiB: sk_rcvbuf = 2 * min(1 MiB, rmem_max).
    let rcvbuf = 2 * rmem_max().min(1 << 20);
    let fit = rcvbuf / NOTIFICATION_TRUESIZE;
    for user in users() {
        let dir = TempDir::new("rcvbuf-mon");
        std::fs::write(dir.path("mon.sh"), MONITOR).expect("write script");
        let out = nlsim_run(user, &dir.0, &["--", "sh", "mon.sh"]).ok("ip monitor");
        assert!(
            out.contains("stderr: netlink receive error No buffer space available (105)"),
            "{user:?}: {out}"
        );
        // The kernel keeps d1..d<fit> and drops the rest. Under `nlsim run` the monitor's
        // blocked recvmsg is answered by the supervisor with d1 even though the target is
        // stopped (a seccomp notification is not interrupted by SIGSTOP; in the kernel the
        // stopped recvmsg restarts after SIGCONT), so one more fits: d1..d<fit + 1>.
        let kept = fit + 1;
        assert!(
            out.contains(&format!("count: {}\n", kept + 1)),
            "{user:?}: {out}"
        );
        assert!(out.contains("first: d1:"), "{user:?}: {out}");
        assert!(out.contains("last: last0:"), "{user:?}: {out}");
        let d_last = format!("d{kept}:");
        let listed = std::fs::read_to_string(dir.path("mon.out")).expect("mon.out");
        assert!(listed.contains(&d_last), "{user:?}: no {d_last}");
        assert!(
            !listed.contains(&format!("d{}:", kept + 1)),
            "{user:?}: kept too many"
        );
    }
}

const RAW: &str = r#"
import errno, socket, struct, sys, time
SO_RCVBUFFORCE, SO_SNDBUFFORCE = 33, 32
def msgs(data):
    off = 0
    while off + 16 <= len(data):
        ln, ty, fl, seq, pid = struct.unpack_from("=LHHLL", data, off)
        yield ty, seq, data[off + 16:off + ln]
        off += (ln + 3) & ~3
def setbuf(s, force, plain, val):
    try:
        s.setsockopt(socket.SOL_SOCKET, force, val)
    except PermissionError:
        s.setsockopt(socket.SOL_SOCKET, plain, val)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
mode = sys.argv[1]
if mode == "flood":
    # RTM_GETLINK of lo, never read until all are sent.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    print("rcvbuf", s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    s.bind((0, 0))
    n = int(sys.argv[2])
    for i in range(1, n + 1):
        s.send(struct.pack("=LHHLL", 32, 18, 1, i, 0) + struct.pack("=BxHiII", 0, 0, 1, 0, 0))
    # The kernel answers within sendmsg; nlsim answers as it reads, a moment later.
    time.sleep(1)
    s.setblocking(False)
    seen = []
    while True:
        try:
            data = s.recv(65536)
        except BlockingIOError:
            break
        except OSError as e:
            seen.append(errno.errorcode[e.errno])
            continue
        seen += ["reply%d" % seq for ty, seq, _ in msgs(data) if ty == 16]
    print("seen", " ".join(seen))
elif mode == "batch":
    setbuf(s, SO_SNDBUFFORCE, socket.SO_SNDBUF, 4 << 20)
    setbuf(s, SO_RCVBUFFORCE, socket.SO_RCVBUF, 64 << 20)
    sndbuf = s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    rcvbuf = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    # RTM_SETLINK of lo changing nothing, NLM_F_ACK: 32 bytes each, answered by a 36-byte ACK
    # charged 896 (the ACKs must all fit in the receive buffer: nobody reads meanwhile).
    count = min(min(1 << 20, sndbuf - 32) // 32, rcvbuf // 896)
    req = b"".join(struct.pack("=LHHLL", 32, 19, 5, i, 0) + struct.pack("=BxHiII", 0, 0, 1, 0, 0)
                   for i in range(1, count + 1))
    print("sent", s.send(req), "bytes in one datagram", len(req) >= min(1 << 20, sndbuf - 32) - 32 or count == rcvbuf // 896)
    s.settimeout(10)
    acks, bad, want = 0, 0, 1
    while acks < count:
        for ty, seq, body in msgs(s.recv(65536)):
            code = struct.unpack_from("=i", body)[0]
            if ty != 2 or code != 0 or seq != want:
                bad += 1
            acks += 1
            want += 1
    print("acks", acks, "of", count, "bad", bad)
elif mode == "soerror":
    # getsockopt(SO_ERROR) is sock_error(): the pending ENOBUFS, then 0.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 0)
    s.bind((0, 0))
    for i in range(1, 21):
        s.send(struct.pack("=LHHLL", 32, 18, 1, i, 0) + struct.pack("=BxHiII", 0, 0, 1, 0, 0))
    time.sleep(1)
    print("so_error", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    s.settimeout(2)
    print("then", [seq for ty, seq, _ in msgs(s.recv(65536))])
elif mode == "empty":
    s.bind((0, 0))
    try:
        print("empty send", s.send(b""))
    except OSError as e:
        print("empty send errno", e.errno)
    s.send(struct.pack("=LHHLL", 32, 18, 1, 7, 0) + struct.pack("=BxHiII", 0, 0, 1, 0, 0))
    s.settimeout(5)
    print("reply", [(ty, seq) for ty, seq, _ in msgs(s.recv(65536))])
    s.setblocking(False)
    try:
        s.recv(65536)
        print("extra datagram?!")
    except BlockingIOError:
        print("nothing else")
"#;

fn python_case(user: User, args: &[&str]) -> Option<String> {
    let py = python3()?;
    let dir = TempDir::new("rcvbuf-py");
    std::fs::write(dir.path("raw.py"), RAW).expect("write script");
    let mut argv = vec!["--", py, "raw.py"];
    argv.extend_from_slice(args);
    Some(nlsim_run(user, &dir.0, &argv).ok(&format!("raw.py {args:?} as {user:?}")))
}

/// RTM_GETLINK replies are `rtnl_unicast`s (MSG_DONTWAIT: `netlink_attachskb` with timeo 0):
/// once the buffer is full the reply is dropped and `netlink_overrun` sets ENOBUFS and
/// CONGESTED, which keeps dropping until the reader empties the queue. The next recvmsg fails
/// with ENOBUFS (`sock_error` comes before the queue), then the replies that fit arrive, in
/// order, then nothing.
#[test]
fn unread_replies_overrun_a_small_rcvbuf() {
    require_seccomp!();
    let Some(_) = python3() else {
        panic!("python3 is needed: apt-get install python3");
    };
    for user in users() {
        let out = python_case(user, &["flood", "200"]).unwrap_or_default();
        // __sock_set_rcvbuf: max(2 * 4096, SOCK_MIN_RCVBUF).
        assert!(out.contains("rcvbuf 8192\n"), "{user:?}: {out}");
        let seen = out
            .lines()
            .find_map(|l| l.strip_prefix("seen "))
            .unwrap_or_else(|| panic!("{user:?}: {out}"));
        let seen: Vec<&str> = seen.split(' ').collect();
        assert_eq!(seen.first(), Some(&"ENOBUFS"), "{user:?}: {out}");
        // The kernel (nlbufs-raw.txt, `nlbufs flood 200 4096`): ENOBUFS, then replies 1, 2 and
        // 3 (1432 bytes each, charged 2304: three fit in 8192).
        assert_eq!(
            seen,
            ["ENOBUFS", "reply1", "reply2", "reply3"],
            "{user:?}: {out}"
        );
    }
}

/// netlink_sendmsg takes a datagram up to SO_SNDBUF - 32 (the unix socket the target holds
/// applies the same rule) and netlink_rcv_skb ACKs each message: a 1 MiB datagram as root
/// (SO_SNDBUFFORCE), the largest SO_SNDBUF allows as uid 65534.
#[test]
fn a_one_mib_datagram_gets_one_ack_per_message() {
    require_seccomp!();
    let Some(_) = python3() else {
        panic!("python3 is needed: apt-get install python3");
    };
    for user in users() {
        let out = python_case(user, &["batch"]).unwrap_or_default();
        assert!(
            out.contains("bytes in one datagram True"),
            "{user:?}: {out}"
        );
        let (acks, count) = out
            .lines()
            .find_map(|l| {
                let w: Vec<&str> = l.split(' ').collect();
                (w.first() == Some(&"acks")).then(|| (w[1].to_string(), w[3].to_string()))
            })
            .unwrap_or_else(|| panic!("{user:?}: {out}"));
        assert_eq!(acks, count, "{user:?}: {out}");
        assert!(out.contains(" bad 0"), "{user:?}: {out}");
        // SAFETY: geteuid is always safe.
        if user == User::Current && unsafe { libc::geteuid() } == 0 {
            assert!(
                out.contains("sent 1048576 "),
                "root sends the whole MiB: {out}"
            );
        }
    }
}

/// A zero-length send is refused (netlink_sendmsg: ENODATA, nlbufs-raw.txt; under `nlsim run`
/// the filter sends an empty sendto to the supervisor) and the socket goes on serving.
#[test]
fn a_zero_length_datagram_is_ignored_and_the_socket_serves_on() {
    require_seccomp!();
    let Some(_) = python3() else {
        panic!("python3 is needed: apt-get install python3");
    };
    for user in users() {
        let out = python_case(user, &["empty"]).unwrap_or_default();
        assert!(out.contains("empty send errno 61\n"), "{user:?}: {out}");
        assert!(out.contains("reply [(16, 7)]\n"), "{user:?}: {out}");
        assert!(out.contains("nothing else\n"), "{user:?}: {out}");
    }
}

/// SO_ERROR reads (and clears) the error an overrun left: `sock_getsockopt` → `sock_error`.
#[test]
fn so_error_reports_the_overrun_once() {
    require_seccomp!();
    let Some(_) = python3() else {
        panic!("python3 is needed: apt-get install python3");
    };
    for user in users() {
        let out = python_case(user, &["soerror"]).unwrap_or_default();
        assert!(out.contains("so_error 105 0\n"), "{user:?}: {out}");
        // SOCK_MIN_RCVBUF (2304) holds the first reply only.
        assert!(out.contains("then [1]\n"), "{user:?}: {out}");
    }
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // SAFETY: kill on a child we spawned and have not reaped.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

/// Against a daemon (`nlsim run --connect`) the error travels in-band, as a 12-byte marker
/// the supervisor turns into the failed receive: the client sees ENOBUFS exactly once, never
/// the marker's bytes, and the replies that fit in order. (The marker comes after what the
/// daemon had already written to the connection, so ENOBUFS may follow some of those replies;
/// the in-process simulator reports it first, as the kernel does.)
#[test]
fn daemon_clients_get_enobufs_in_band() {
    require_seccomp!();
    let Some(py) = python3() else {
        panic!("python3 is needed: apt-get install python3");
    };
    for user in users() {
        let dir = TempDir::new("rcvbuf-daemon");
        std::fs::write(dir.path("raw.py"), RAW).expect("write script");
        let sock = dir.path("d.sock");
        let sock_s = sock.to_str().expect("utf-8 path");
        let _daemon = KillOnDrop(
            run_support::nlsim_cmd(user, &dir.0, &["daemon", "--socket", sock_s])
                .spawn()
                .expect("daemon"),
        );
        let t0 = std::time::Instant::now();
        while !sock.exists() {
            assert!(t0.elapsed().as_secs() < 10, "daemon socket");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let out = nlsim_run(
            user,
            &dir.0,
            &["--connect", sock_s, "--", py, "raw.py", "flood", "200"],
        )
        .ok("flood via daemon");
        let seen = out
            .lines()
            .find_map(|l| l.strip_prefix("seen "))
            .unwrap_or_else(|| panic!("{user:?}: {out}"));
        let seen: Vec<&str> = seen.split(' ').collect();
        assert_eq!(
            seen.iter().filter(|s| **s == "ENOBUFS").count(),
            1,
            "{user:?}: {out}"
        );
        let replies: Vec<&str> = seen.iter().copied().filter(|s| *s != "ENOBUFS").collect();
        let want: Vec<String> = (1..=replies.len()).map(|i| format!("reply{i}")).collect();
        assert_eq!(replies, want, "{user:?}: {out}");
        assert_eq!(replies.len(), 3, "as the kernel: {user:?}: {out}");
    }
}
