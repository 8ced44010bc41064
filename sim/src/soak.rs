//! `nlsim soak`: many clients hammer one daemon with mixed link operations for a long time.
//!
//! What it checks (issue 11): the daemon never crashes, `check_invariants` holds after every
//! batch of every client, the link table rebuilt from RTNLGRP_LINK notifications equals a
//! final dump (unless the subscriber was told ENOBUFS, in which case the loss was reported),
//! a subscriber that hardly reads does not grow the daemon, and the daemon's resident memory
//! stays bounded. It prints throughput and memory figures; the exit status says whether every
//! check held.
//!
//! The daemon runs as a child process (`nlsim daemon`), so its memory is measured alone.
//! Clients speak the daemon protocol of [`crate::control`] directly: one data connection per
//! netlink socket, raw netlink on it.

use crate::control::{ControlReply, ControlRequest, Hello, NetnsRequest};
use crate::rtnl::link::emit;
use crate::rtnl::IFINFOMSG_LEN;
use crate::unix_socket::{open_data, send, ControlClient};
use crate::wire::raw::{split_messages, RawMessage};
use netlink_packet_core::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::link::{InfoKind, LinkAttribute, LinkFlags, LinkInfo, LinkMessage};
use netlink_packet_route::RouteNetlinkMessage;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const IFLA_IFNAME: u16 = 3;
const RTMGRP_LINK: u32 = 1;
/// How long one answer may take before the soak calls the daemon stuck.
const ANSWER_TIMEOUT_MS: i32 = 30_000;
/// Namespaces the clients move links into, each held by one thread of this process.
const NAMESPACES: usize = 4;

pub struct SoakOpts {
    pub clients: usize,
    pub ops: usize,
    pub batch: usize,
    pub seed: u64,
}

/// A SplitMix64 generator: the soak's operation mix is a function of the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cvt(r: isize) -> io::Result<usize> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// One datagram, waiting at most `timeout_ms`; `Ok(None)` on timeout.
fn recv(fd: RawFd, buf: &mut Vec<u8>, timeout_ms: i32) -> io::Result<Option<usize>> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: polling one live pollfd.
    let r = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    cvt(r as isize)?;
    if r == 0 {
        return Ok(None);
    }
    // SAFETY: peeking the size of the next datagram into no buffer.
    let size = unsafe {
        libc::recv(
            fd,
            std::ptr::null_mut(),
            0,
            libc::MSG_PEEK | libc::MSG_TRUNC | libc::MSG_DONTWAIT,
        )
    };
    let size = cvt(size)?;
    if buf.len() < size {
        buf.resize(size, 0);
    }
    // SAFETY: receiving into a live buffer of the given length.
    let n = unsafe {
        libc::recv(
            fd,
            buf.as_mut_ptr() as *mut libc::c_void,
            buf.len(),
            libc::MSG_DONTWAIT,
        )
    };
    if n == 0 && size == 0 && p.revents & libc::POLLHUP != 0 {
        return Err(io::Error::other("daemon closed the connection"));
    }
    cvt(n).map(Some)
}

/// A control connection to the daemon; every answer within [`ANSWER_TIMEOUT_MS`].
fn open_control(path: &Path) -> io::Result<ControlClient> {
    ControlClient::open(path, Some(answer_timeout()))
}

fn answer_timeout() -> Duration {
    Duration::from_millis(ANSWER_TIMEOUT_MS as u64)
}

/// One netlink socket served by the daemon.
struct NlConn {
    fd: OwnedFd,
    conn: u64,
    seq: u32,
    buf: Vec<u8>,
}

impl NlConn {
    fn open(path: &Path, tid: Option<u32>) -> io::Result<NlConn> {
        // In-band errors: a subscriber is told ENOBUFS as a supervised socket would be.
        let hello = Hello::Data {
            pid: std::process::id(),
            tid,
            inband_errors: true,
        };
        let (fd, conn) = open_data(path, &hello, Some(answer_timeout()))?;
        Ok(NlConn {
            fd,
            conn,
            seq: 0,
            buf: vec![0u8; 64 * 1024],
        })
    }

    /// Sends one request with NLM_F_ACK and returns the errno of its ACK (0: success).
    fn request(&mut self, msg: RouteNetlinkMessage, flags: u16) -> io::Result<i32> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        send(
            &self.fd,
            &emit(msg, NLM_F_REQUEST | NLM_F_ACK | flags, seq, 0),
        )?;
        loop {
            let n = recv(self.fd.as_raw_fd(), &mut self.buf, ANSWER_TIMEOUT_MS)?
                .ok_or_else(|| io::Error::other(format!("no ACK for seq {seq}")))?;
            for (kind, mseq, m) in messages(&self.buf[..n]) {
                let body = m.payload();
                if kind == NLMSG_ERROR && mseq == seq && body.len() >= 4 {
                    let e = i32::from_ne_bytes([body[0], body[1], body[2], body[3]]);
                    return Ok(-e);
                }
            }
        }
    }

    /// A whole RTM_GETLINK dump of the socket's namespace: ifindex -> name.
    fn dump(&mut self) -> io::Result<BTreeMap<u32, String>> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        send(
            &self.fd,
            &emit(
                RouteNetlinkMessage::GetLink(LinkMessage::default()),
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
            ),
        )?;
        let mut links = BTreeMap::new();
        loop {
            let n = recv(self.fd.as_raw_fd(), &mut self.buf, ANSWER_TIMEOUT_MS)?
                .ok_or_else(|| io::Error::other("dump did not finish"))?;
            for (kind, mseq, m) in messages(&self.buf[..n]) {
                if mseq != seq {
                    continue;
                }
                match kind {
                    NLMSG_DONE => return Ok(links),
                    NLMSG_ERROR => return Err(io::Error::other("dump answered an error")),
                    RTM_NEWLINK => {
                        if let Some((idx, name)) = link_of(&m) {
                            links.insert(idx, name);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// (type, seq, message) of every message of a datagram.
fn messages(d: &[u8]) -> impl Iterator<Item = (u16, u32, RawMessage<'_>)> {
    split_messages(d).map(|m| (m.header.kind, m.header.seq, m))
}

/// ifindex and IFLA_IFNAME of an RTM_NEWLINK/DELLINK.
fn link_of(m: &RawMessage<'_>) -> Option<(u32, String)> {
    let idx = u32::from_ne_bytes(m.payload().get(4..8)?.try_into().ok()?);
    let name = m.attrs(IFINFOMSG_LEN).find(|a| a.kind == IFLA_IFNAME)?;
    let v = name.value.split(|b| *b == 0).next().unwrap_or(name.value);
    Some((idx, String::from_utf8_lossy(v).into_owned()))
}

fn gettid() -> u32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) as u32 }
}

fn link(name: &str) -> LinkMessage {
    let mut m = LinkMessage::default();
    m.attributes.push(LinkAttribute::IfName(name.to_string()));
    m
}

fn create(name: &str, kind: InfoKind) -> RouteNetlinkMessage {
    let mut m = link(name);
    m.attributes
        .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(kind)]));
    RouteNetlinkMessage::NewLink(m)
}

fn create_veth(name: &str, peer: &str) -> RouteNetlinkMessage {
    use netlink_packet_route::link::{InfoData, InfoVeth};
    let mut m = link(name);
    m.attributes.push(LinkAttribute::LinkInfo(vec![
        LinkInfo::Kind(InfoKind::Veth),
        LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(link(peer)))),
    ]));
    RouteNetlinkMessage::NewLink(m)
}

/// Counters every client adds to.
#[derive(Default)]
struct Totals {
    ops: AtomicU64,
    ok: AtomicU64,
    refused: AtomicU64,
    checks: AtomicU64,
}

/// One client's run: `ops` random operations on its own names, an invariant check after every
/// `batch`. Returns the first invariant violation or I/O failure.
fn client(
    path: &Path,
    i: usize,
    opts: &SoakOpts,
    holders: &[u32],
    totals: &Totals,
) -> Result<(), String> {
    let io = |e: io::Error| format!("client {i}: {e}");
    let ctl = open_control(path).map_err(io)?;
    let mut init = NlConn::open(path, None).map_err(io)?;
    let mut in_ns: Vec<NlConn> = holders
        .iter()
        .map(|t| NlConn::open(path, Some(*t)))
        .collect::<io::Result<_>>()
        .map_err(io)?;
    let mut rng = Rng(opts.seed ^ (i as u64).wrapping_mul(0x1000_0000_01b3));
    let me = std::process::id();
    for n in 0..opts.ops {
        let k = rng.below(12);
        let dummy = format!("c{i}d{k}");
        let bridge = format!("c{i}b{}", rng.below(2));
        let ns = rng.below(NAMESPACES as u64) as usize;
        let r = match rng.below(100) {
            0..=24 => init.request(create(&dummy, InfoKind::Dummy), NLM_F_CREATE | NLM_F_EXCL),
            25..=34 => init.request(RouteNetlinkMessage::DelLink(link(&dummy)), 0),
            35..=42 => init.request(create(&bridge, InfoKind::Bridge), NLM_F_CREATE | NLM_F_EXCL),
            43..=49 => match init.dump_one(&bridge) {
                // The bridge's index by name, then the port's IFLA_MASTER.
                Ok(Some(idx)) => {
                    let mut m = link(&dummy);
                    m.attributes.push(LinkAttribute::Controller(idx));
                    init.request(RouteNetlinkMessage::SetLink(m), 0)
                }
                Ok(None) => Ok(libc::ENODEV),
                Err(e) => Err(e),
            },
            50..=54 => init.request(
                create_veth(&format!("c{i}v{k}"), &format!("c{i}p{k}")),
                NLM_F_CREATE | NLM_F_EXCL,
            ),
            55..=64 => {
                let mut m = link(&dummy);
                m.attributes.push(LinkAttribute::NetNsPid(holders[ns]));
                init.request(RouteNetlinkMessage::SetLink(m), 0)
            }
            65..=71 => {
                let mut m = link(&dummy);
                m.attributes.push(LinkAttribute::NetNsPid(me));
                in_ns[ns].request(RouteNetlinkMessage::SetLink(m), 0)
            }
            72..=76 => in_ns[ns].request(RouteNetlinkMessage::DelLink(link(&dummy)), 0),
            77..=97 => {
                let mut m = link(if k.is_multiple_of(2) { &dummy } else { &bridge });
                if rng.below(2) == 0 {
                    m.header.flags = LinkFlags::Up;
                }
                m.header.change_mask = LinkFlags::Up;
                init.request(RouteNetlinkMessage::SetLink(m), 0)
            }
            _ => init.dump().map(|_| 0),
        }
        .map_err(io)?;
        totals.ops.fetch_add(1, Ordering::Relaxed);
        if r == 0 {
            totals.ok.fetch_add(1, Ordering::Relaxed);
        } else {
            totals.refused.fetch_add(1, Ordering::Relaxed);
        }
        if (n + 1).is_multiple_of(opts.batch) || n + 1 == opts.ops {
            match ctl.request(&ControlRequest::CheckInvariants).map_err(io)? {
                ControlReply::Ok => {
                    totals.checks.fetch_add(1, Ordering::Relaxed);
                }
                other => return Err(format!("client {i}, op {n}: invariant violated: {other:?}")),
            }
        }
    }
    // Keep the namespace sockets open until here: they hold their namespaces.
    in_ns.clear();
    Ok(())
}

impl NlConn {
    /// RTM_GETLINK by name: the index, or None when there is no such device.
    fn dump_one(&mut self, name: &str) -> io::Result<Option<u32>> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        send(
            &self.fd,
            &emit(
                RouteNetlinkMessage::GetLink(link(name)),
                NLM_F_REQUEST,
                seq,
                0,
            ),
        )?;
        loop {
            let n = recv(self.fd.as_raw_fd(), &mut self.buf, ANSWER_TIMEOUT_MS)?
                .ok_or_else(|| io::Error::other("no answer to RTM_GETLINK"))?;
            for (kind, mseq, m) in messages(&self.buf[..n]) {
                if mseq != seq {
                    continue;
                }
                match kind {
                    RTM_NEWLINK => return Ok(link_of(&m).map(|(idx, _)| idx)),
                    NLMSG_ERROR => return Ok(None),
                    _ => {}
                }
            }
        }
    }
}

/// What a subscriber saw.
struct Subscription {
    links: BTreeMap<u32, String>,
    datagrams: u64,
    /// The subscriber was told its notifications were lost (ENOBUFS).
    enobufs: u64,
}

/// Reads RTNLGRP_LINK notifications of the initial namespace until `done` and a quiet period
/// with an 8 MiB receive buffer; `pace` sleeps between reads (a slow reader with the default
/// buffer, which stops when the clients do).
fn subscriber(
    path: &Path,
    groups_ready: mpsc::Sender<()>,
    done: &AtomicBool,
    pace: Duration,
) -> io::Result<Subscription> {
    let mut c = NlConn::open(path, None)?;
    let ctl = open_control(path)?;
    match ctl.request(&ControlRequest::Bind {
        conn: c.conn,
        portid: 0,
        groups: RTMGRP_LINK,
    })? {
        ControlReply::Name { .. } | ControlReply::Ok => {}
        other => return Err(io::Error::other(format!("bind: {other:?}"))),
    }
    if pace.is_zero() {
        // A monitor that means to keep up asks for a large buffer, as `ip monitor` does
        // (SO_RCVBUFFORCE where it may): 8 MiB.
        match ctl.request(&ControlRequest::SetRcvBuf {
            conn: c.conn,
            bytes: 8 << 20,
        })? {
            ControlReply::Ok => {}
            other => return Err(io::Error::other(format!("SO_RCVBUF: {other:?}"))),
        }
    }
    // The starting table: a dump after joining, so nothing is missed in between.
    let mut links = c.dump()?;
    let _ = groups_ready.send(());
    let mut sub = Subscription {
        links: BTreeMap::new(),
        datagrams: 0,
        enobufs: 0,
    };
    loop {
        if !pace.is_zero() {
            // A slow reader never catches up: it stops with the clients, its backlog unread.
            if done.load(Ordering::Relaxed) {
                break;
            }
            std::thread::sleep(pace);
        }
        let got = match recv(c.fd.as_raw_fd(), &mut c.buf, 500) {
            Ok(g) => g,
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                sub.enobufs += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let Some(n) = got else {
            if done.load(Ordering::Relaxed) {
                break;
            }
            continue;
        };
        sub.datagrams += 1;
        if let Some(e) = nlsim_launcher::inband::decode(&c.buf[..n]) {
            // The daemon's in-band notice of `sk_err`: notifications were lost.
            if e == libc::ENOBUFS {
                sub.enobufs += 1;
            }
            continue;
        }
        for (kind, _, m) in messages(&c.buf[..n]) {
            let Some((idx, name)) = link_of(&m) else {
                continue;
            };
            match kind {
                RTM_NEWLINK => {
                    links.insert(idx, name);
                }
                RTM_DELLINK => {
                    links.remove(&idx);
                }
                _ => {}
            }
        }
    }
    sub.links = links;
    Ok(sub)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

struct DaemonChild {
    child: std::process::Child,
    dir: PathBuf,
}

impl Drop for DaemonChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start_daemon(seed: u64) -> io::Result<(DaemonChild, PathBuf)> {
    let dir = std::env::temp_dir().join(format!("nlsim-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sock = dir.join("sock");
    let child = std::process::Command::new(std::env::current_exe()?)
        .args(["daemon", "--socket"])
        .arg(&sock)
        .args(["--seed", &seed.to_string(), "--netdevsim", "1:2"])
        .stdin(std::process::Stdio::null())
        .spawn()?;
    let d = DaemonChild { child, dir };
    let t = Instant::now();
    while open_control(&sock).is_err() {
        if t.elapsed() > Duration::from_secs(10) {
            return Err(io::Error::other("daemon did not start"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((d, sock))
}

/// Runs the soak and prints its figures; an error when any check failed.
pub fn run(opts: &SoakOpts) -> io::Result<()> {
    let opts = SoakOpts {
        clients: opts.clients.max(1),
        ops: opts.ops.max(1),
        batch: opts.batch.max(1),
        seed: opts.seed,
    };
    let (mut daemon, path) = start_daemon(opts.seed)?;
    let pid = daemon.child.id();
    let rss_start = rss_kib(pid);
    println!(
        "# nlsim soak: {} clients x {} operations, invariant check every {} operations, seed {}",
        opts.clients, opts.ops, opts.batch, opts.seed
    );

    // Namespace holders: threads of this process, each unshared into a simulated namespace;
    // clients move links there with IFLA_NET_NS_PID and work in it through sockets of it.
    let release = Arc::new(AtomicBool::new(false));
    let (tid_tx, tid_rx) = mpsc::channel();
    let mut holder_threads = Vec::new();
    for _ in 0..NAMESPACES {
        let tx = tid_tx.clone();
        let release = release.clone();
        let path = path.clone();
        holder_threads.push(std::thread::spawn(move || {
            let tid = gettid();
            let r = open_control(&path).and_then(|c| {
                c.request(&ControlRequest::Netns {
                    req: NetnsRequest::Unshare { tid },
                })
            });
            let _ = tx.send(r.map(|_| tid));
            while !release.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }));
    }
    let holders: Vec<u32> = (0..NAMESPACES)
        .map(|_| tid_rx.recv().map_err(io::Error::other)?)
        .collect::<io::Result<_>>()?;

    let done = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = mpsc::channel();
    let spawn_sub = |pace: Duration| {
        let path = path.clone();
        let done = done.clone();
        let ready = ready_tx.clone();
        std::thread::spawn(move || subscriber(&path, ready, &done, pace))
    };
    let fast = spawn_sub(Duration::ZERO);
    let slow = spawn_sub(Duration::from_millis(200));
    for _ in 0..2 {
        ready_rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| io::Error::other("subscribers did not start"))?;
    }

    let totals = Arc::new(Totals::default());
    let peak = Arc::new(AtomicU64::new(rss_start));
    let sampler = {
        let peak = peak.clone();
        let progress = totals.clone();
        let progress = move || progress.ops.load(Ordering::Relaxed);
        let done = done.clone();
        std::thread::spawn(move || {
            let mut last_report = Instant::now();
            while !done.load(Ordering::Relaxed) {
                let rss = rss_kib(pid);
                peak.fetch_max(rss, Ordering::Relaxed);
                if last_report.elapsed() >= Duration::from_secs(10) {
                    last_report = Instant::now();
                    eprintln!(
                        "soak: {} operations so far, daemon RSS {rss} KiB",
                        progress()
                    );
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };

    let failures = Mutex::new(Vec::new());
    let t = Instant::now();
    std::thread::scope(|s| {
        for i in 0..opts.clients {
            let (path, opts, holders, totals, failures) =
                (&path, &opts, &holders, &*totals, &failures);
            s.spawn(move || {
                if let Err(e) = client(path, i, opts, holders, totals) {
                    if let Ok(mut f) = failures.lock() {
                        f.push(e);
                    }
                }
            });
        }
    });
    let elapsed = t.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let fast = fast
        .join()
        .map_err(|_| io::Error::other("subscriber panicked"))?;
    let slow = slow
        .join()
        .map_err(|_| io::Error::other("subscriber panicked"))?;
    let _ = sampler.join();

    let mut failures = failures.into_inner().unwrap_or_default();
    let final_links = NlConn::open(&path, None)?.dump()?;
    let ctl = open_control(&path)?;
    if ctl.request(&ControlRequest::CheckInvariants)? != ControlReply::Ok {
        failures.push("final invariant check failed".into());
    }
    let rss_end = rss_kib(pid);
    release.store(true, Ordering::Relaxed);
    for h in holder_threads {
        let _ = h.join();
    }
    let alive = daemon.child.try_wait()?.is_none();
    if !alive {
        failures.push("the daemon exited".into());
    }

    let ops = totals.ops.load(Ordering::Relaxed);
    println!(
        "operations: {ops} in {elapsed:.1} s = {:.0} ops/s ({} succeeded, {} refused by the model)",
        ops as f64 / elapsed,
        totals.ok.load(Ordering::Relaxed),
        totals.refused.load(Ordering::Relaxed)
    );
    println!(
        "invariant checks: {} passed; daemon alive: {alive}",
        totals.checks.load(Ordering::Relaxed)
    );
    println!(
        "daemon RSS: {} KiB at start, {} KiB peak, {} KiB at end; {} links in the initial namespace",
        rss_start,
        peak.load(Ordering::Relaxed),
        rss_end,
        final_links.len()
    );
    match &fast {
        Ok(sub) => {
            let same = sub.links == final_links;
            println!(
                "fast subscriber: {} datagrams, ENOBUFS {} times, rebuilt table {} the final dump",
                sub.datagrams,
                sub.enobufs,
                if same { "equals" } else { "DIFFERS FROM" }
            );
            if !same && sub.enobufs == 0 {
                failures.push("notifications lost without ENOBUFS".into());
            }
        }
        Err(e) => failures.push(format!("fast subscriber: {e}")),
    }
    match &slow {
        Ok(sub) => println!(
            "slow subscriber (one read per 200 ms, stops with the clients): {} datagrams read, ENOBUFS {} times",
            sub.datagrams, sub.enobufs
        ),
        Err(e) => failures.push(format!("slow subscriber: {e}")),
    }
    if failures.is_empty() {
        println!("soak: every check held");
        Ok(())
    } else {
        for f in &failures {
            println!("FAILED: {f}");
        }
        Err(io::Error::other(format!(
            "{} checks failed",
            failures.len()
        )))
    }
}
