//! The supervisor: answers the target's notified system calls, one at a time, and never
//! blocks on the target (blocking receives wait in a poll set, answered when data arrives).

use crate::backend::Backend;
use crate::backend::{InetIfreq, TunIoctl};
use crate::devtun::{self, TunFd};
use crate::error::Errno;
use crate::filter::{sioc, tun_ioctl, AF_NETLINK, AF_PACKET};
use crate::ifioctl::IfQuery;
use crate::inband;
use crate::netns::{NetnsAnswer, NetnsRequest};
use crate::notif::{Answer, Listener};
use crate::preload;
use crate::sockios::Policy;
use crate::target::{fetch_fd, inode_of, socket_inode_of, Thread, UIO_MAXIOV};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod netns_calls;
mod nsfs_calls;
mod open_calls;
mod sysctl_calls;

const SOL_NETLINK: i32 = 270;
const NETLINK_ROUTE: i32 = 0;
/// Netlink protocols 0..MAX_LINKS exist (netlink_create).
const MAX_LINKS: i32 = 32;
const SOCKADDR_NL_LEN: usize = 12;
/// `sizeof(struct sockaddr_storage)`: the kernel's bound on socket address lengths.
const SOCKADDR_STORAGE_LEN: i32 = 128;
/// Largest datagram we receive on a target's behalf; the simulator's are far smaller (a
/// unix datagram cannot exceed the send buffer), so only absurd client buffers are capped.
const MAX_DGRAM: usize = 4 << 20;
/// `MAX_RW_COUNT`: the kernel's bound on one read.
const MAX_RW_COUNT: usize = (i32::MAX as usize) & !4095;
/// Bound on cached pidfds (one per thread seen receiving); the cache is simply reset.
const MAX_PIDFDS: usize = 4096;
/// How often waiting receives are checked for targets that died.
const REAP_INTERVAL: Duration = Duration::from_millis(200);
// struct msghdr (64-bit)
const MSGHDR_LEN: usize = 56;
const MSG_NAMELEN_OFF: u64 = 8;
const MSG_CONTROLLEN_OFF: u64 = 40;
const MSG_FLAGS_OFF: u64 = 48;
const IFREQ_LEN: usize = 40;
const IFNAMSIZ: usize = 16;
/// `SKB_WITH_OVERHEAD(32768)` bounds `max_recvmsg_len`; larger buffers change nothing.
const MAX_RECVMSG_LEN: usize = 32768;

fn protocol_name(p: i32) -> &'static str {
    match p {
        1 => "NETLINK_UNUSED",
        2 => "NETLINK_USERSOCK",
        3 => "NETLINK_FIREWALL",
        4 => "NETLINK_SOCK_DIAG",
        5 => "NETLINK_NFLOG",
        6 => "NETLINK_XFRM",
        7 => "NETLINK_SELINUX",
        8 => "NETLINK_ISCSI",
        9 => "NETLINK_AUDIT",
        10 => "NETLINK_FIB_LOOKUP",
        11 => "NETLINK_CONNECTOR",
        12 => "NETLINK_NETFILTER",
        13 => "NETLINK_IP6_FW",
        14 => "NETLINK_DNRTMSG",
        15 => "NETLINK_KOBJECT_UEVENT",
        16 => "NETLINK_GENERIC",
        18 => "NETLINK_SCSITRANSPORT",
        19 => "NETLINK_ECRYPTFS",
        20 => "NETLINK_RDMA",
        21 => "NETLINK_CRYPTO",
        22 => "NETLINK_SMC",
        _ => "netlink protocol",
    }
}

/// A netlink socket we created in a target, identified by the inode of its unix socket (so
/// dup, fork and SCM_RIGHTS copies are recognised wherever they land).
#[derive(Clone, Copy, Debug)]
struct FakeSock {
    conn: u64,
    /// SOCK_RAW or SOCK_DGRAM, as asked for: reported by SO_TYPE.
    sock_type: i32,
    /// Known to be bound (then sends need no autobind round trip).
    bound: bool,
    /// Largest receive buffer reported to the simulator so far.
    recv_len: u32,
}

/// Where a received datagram's sender address and flags go.
enum RecvDest {
    From {
        addr: u64,
        addrlen_ptr: u64,
        addrlen: i32,
    },
    Msg {
        hdr: u64,
        name: u64,
        namelen: i32,
    },
}

struct RecvReq {
    bufs: Vec<(u64, usize)>,
    total: usize,
    /// recvmsg: where the msghdr's iovec array was, and its length.
    iov: Option<(u64, u64)>,
    flags: i32,
    dest: RecvDest,
}

/// A blocking receive waiting for data.
struct Pending {
    id: u64,
    thread: Thread,
    /// Our copy of the target's socket: readable means the answer can be given.
    fd: OwnedFd,
    req: RecvReq,
    /// From SO_RCVTIMEO.
    deadline: Option<Instant>,
    /// The simulator's connection (for its pending error).
    conn: u64,
}

pub(crate) struct Supervisor {
    listener: Listener,
    stop: OwnedFd,
    backend: Arc<dyn Backend>,
    socks: HashMap<u64, FakeSock>,
    pending: Vec<Pending>,
    /// Connections for interface ioctls, one per namespace id (the caller's namespace
    /// answers: `dev_ioctl` uses the socket's, which is the caller's for a fresh socket).
    ifqs: HashMap<u32, IfQuery>,
    /// The directory `open("/run/netns")` gets (made on first use).
    netns_dir: Option<crate::netns::MirrorDir>,
    /// Thread groups that made an emulated `unshare(CLONE_NEWNS)`.
    fake_mntns: HashSet<u32>,
    /// Set once a target entered a namespace: until then every caller is in init_net.
    netns_used: bool,
    /// Namespace stand-ins handed out, by the socket inode of the target's end: our end
    /// (hang-up = the target closed its last copy) and the namespace id.
    ns_files: HashMap<u64, (OwnedFd, u32)>,
    /// What stat, statfs, readlink and inotify show of namespace files.
    nsfs: crate::nsfs::NsfsState,
    scratch: Vec<u8>,
    warned: HashSet<(u32, i32)>,
    last_reap: Instant,
    /// pidfds of target threads, by tid, for fetching their fds. We never keep a copy of a
    /// target's socket beyond one receive: the simulator must see the socket close when the
    /// target closes it (that frees its port id, which the next socket may then get).
    pidfds: HashMap<i32, OwnedFd>,
    /// The directories `open("/sys/class/net")` gets (made on first use).
    sysnet_dir: Option<crate::netns::MirrorDir>,
    /// `/dev/net/tun` stand-ins, by the socket inode of the target's end.
    tuns: HashMap<u64, TunFd>,
    /// The directories `open` of a `/proc/sys/net` directory gets (made on first use), and
    /// how many were made.
    sysctl_dir: Option<crate::netns::MirrorDir>,
    sysctl_snapshots: u32,
    /// `/proc/sys/net` files open for writing, by the socket inode of the target's end.
    sysctl_files: HashMap<u64, crate::sysctl::SysctlFile>,
    /// When a simulator served on this thread must run again (its next timer, from the last
    /// `Backend::serve`); `None`: only when its work fd is readable.
    sim_deadline: Option<Instant>,
    /// The last recvmsg's thread, msghdr address and what its iovec array was (address,
    /// count): the guess `parse_recv` reads with the next msghdr at that address.
    last_msghdr: Option<(i32, u64, (u64, u64))>,
    /// The receive fast path (`crate::preload`) is on: trapped receives fill the table.
    fast_recv: bool,
    /// Table entries marked ok: (thread group, fd) → the socket's inode, so a pending socket
    /// error can turn them off again.
    fast_entries: HashMap<(i32, u64), u64>,
    /// Thread → its thread group (process_vm_writev needs a live task of the process).
    tgids: HashMap<i32, i32>,
    /// The last serve sequence written to the tables (odd during a serve).
    serve_seq: u64,
    /// Set once a stand-in exists: `run` then waits for us to close the tun files of a target
    /// that exited (it deletes non-persistent devices) before the state is read.
    finish_first: Arc<AtomicBool>,
}

fn nl_addr(portid: u32, groups: u32) -> [u8; SOCKADDR_NL_LEN] {
    let mut a = [0u8; SOCKADDR_NL_LEN];
    a[..2].copy_from_slice(&(libc::AF_NETLINK as u16).to_ne_bytes());
    a[4..8].copy_from_slice(&portid.to_ne_bytes());
    a[8..12].copy_from_slice(&groups.to_ne_bytes());
    a
}

fn set_nonblock(fd: RawFd, on: bool) {
    // SAFETY: fcntl on a live fd of ours.
    unsafe {
        let fl = libc::fcntl(fd, libc::F_GETFL);
        let fl = if on {
            fl | libc::O_NONBLOCK
        } else {
            fl & !libc::O_NONBLOCK
        };
        libc::fcntl(fd, libc::F_SETFL, fl);
    }
}

fn is_nonblocking(fd: RawFd) -> bool {
    // SAFETY: fcntl on a live fd of ours. The flag lives in the open file description, which
    // we share with the target, so this is the target's O_NONBLOCK.
    unsafe { libc::fcntl(fd, libc::F_GETFL) & libc::O_NONBLOCK != 0 }
}

/// SO_RCVTIMEO of the socket (set by the target through a CONTINUEd setsockopt).
fn rcv_timeout(fd: RawFd) -> Option<Duration> {
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    let mut len = std::mem::size_of::<libc::timeval>() as libc::socklen_t;
    // SAFETY: getsockopt into a live timeval of the given length.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            &mut tv as *mut libc::timeval as *mut libc::c_void,
            &mut len,
        )
    };
    if r < 0 || (tv.tv_sec == 0 && tv.tv_usec == 0) {
        return None;
    }
    Some(Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64))
}

/// The sooner of two poll timeouts in milliseconds (-1: none).
fn earliest_timeout(a: i32, b: i32) -> i32 {
    match (a, b) {
        (a, b) if a < 0 => b,
        (a, b) if b < 0 => a,
        (a, b) => a.min(b),
    }
}

/// One recvmsg into `buf`: the return value (with MSG_TRUNC, the datagram's length) and the
/// message flags.
fn recv_scratch(fd: RawFd, buf: &mut [u8], flags: i32) -> Result<(usize, i32), Errno> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr() as *mut libc::c_void,
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is plain old data; zeroed means no name and no control buffer.
    let mut mh: libc::msghdr = unsafe { std::mem::zeroed() };
    mh.msg_iov = &mut iov;
    mh.msg_iovlen = 1;
    loop {
        // SAFETY: recvmsg into `buf`, described by `mh`.
        let n = unsafe { libc::recvmsg(fd, &mut mh, flags) };
        if n >= 0 {
            return Ok((n as usize, mh.msg_flags));
        }
        let e = Errno::last();
        if e.0 != libc::EINTR {
            return Err(e);
        }
    }
}

/// Receives one datagram on the target's behalf without blocking. `None`: nothing to read yet.
fn try_recv(
    listener: &Listener,
    scratch: &mut Vec<u8>,
    id: u64,
    t: Thread,
    fd: RawFd,
    req: &RecvReq,
) -> Option<Answer> {
    let cap = req.total.min(MAX_DGRAM);
    // Room for a whole in-band marker even when the target offers less.
    let room = cap.max(inband::LEN);
    if scratch.len() < room {
        scratch.resize(room, 0);
    }
    let peek = req.flags & libc::MSG_PEEK != 0;
    // MSG_TRUNC always: recvmsg then returns the datagram's full length.
    let flags = (req.flags & libc::MSG_PEEK) | libc::MSG_TRUNC | libc::MSG_DONTWAIT;
    let (full, msg_flags) = match recv_scratch(fd, &mut scratch[..room], flags) {
        Ok(r) => r,
        Err(e) if e.0 == libc::EAGAIN => return None,
        Err(e) => return Some(Answer::Fail(e)),
    };
    if !listener.valid(id) {
        return Some(Answer::Fail(Errno(libc::ESRCH)));
    }
    if let Some(errno) = inband::decode(&scratch[..full.min(room)]) {
        // sock_error() in __skb_try_recv_datagram: the receive fails with sk_err, which is
        // cleared even by a peek, so the marker goes whatever the flags.
        if peek {
            let _ = recv_scratch(fd, &mut scratch[..room], libc::MSG_DONTWAIT);
        }
        return Some(Answer::Fail(Errno(errno)));
    }
    let copied = full.min(cap);
    // The target's MSG_TRUNC asks for the full length; without it, what was copied.
    let n = if req.flags & libc::MSG_TRUNC != 0 {
        full
    } else {
        copied
    };
    let msg_flags = if full > cap {
        msg_flags | libc::MSG_TRUNC
    } else {
        msg_flags & !libc::MSG_TRUNC
    };
    // Data, sender address, its length, control length and flags: one process_vm_writev.
    let sa = nl_addr(0, 0);
    let nl_len = (SOCKADDR_NL_LEN as u32).to_ne_bytes();
    let zero_ctl = 0u64.to_ne_bytes();
    let out_flags = (msg_flags & !libc::MSG_CMSG_CLOEXEC).to_ne_bytes();
    let mut writes: Vec<(u64, &[u8])> = Vec::with_capacity(req.bufs.len() + 4);
    let mut rest = &scratch[..copied];
    for &(addr, len) in &req.bufs {
        if rest.is_empty() {
            break;
        }
        let (now, later) = rest.split_at(len.min(rest.len()));
        writes.push((addr, now));
        rest = later;
    }
    match req.dest {
        RecvDest::From {
            addr,
            addrlen_ptr,
            addrlen,
        } => {
            if addr != 0 {
                writes.push((addr, &sa[..(addrlen as usize).min(SOCKADDR_NL_LEN)]));
                writes.push((addrlen_ptr, &nl_len));
            }
        }
        RecvDest::Msg { hdr, name, namelen } => {
            if name != 0 {
                writes.push((name, &sa[..(namelen as usize).min(SOCKADDR_NL_LEN)]));
                writes.push((hdr + MSG_NAMELEN_OFF, &nl_len));
            }
            // No ancillary data: NETLINK_PKTINFO / LISTEN_ALL_NSID cmsgs are not carried.
            writes.push((hdr + MSG_CONTROLLEN_OFF, &zero_ctl));
            writes.push((hdr + MSG_FLAGS_OFF, &out_flags));
        }
    }
    let r = t.write_vectored(&writes);
    Some(match r {
        Ok(()) => Answer::Value(n as i64),
        Err(e) => Answer::Fail(e),
    })
}

impl Supervisor {
    pub fn new(
        listener: Listener,
        stop: OwnedFd,
        backend: Arc<dyn Backend>,
        finish_first: Arc<AtomicBool>,
        fast_recv: bool,
    ) -> Self {
        Supervisor {
            listener,
            stop,
            backend,
            socks: HashMap::new(),
            pending: Vec::new(),
            ifqs: HashMap::new(),
            netns_dir: None,
            sysnet_dir: None,
            fake_mntns: HashSet::new(),
            netns_used: false,
            ns_files: HashMap::new(),
            nsfs: Default::default(),
            scratch: Vec::new(),
            warned: HashSet::new(),
            last_reap: Instant::now(),
            pidfds: HashMap::new(),
            tuns: HashMap::new(),
            sysctl_dir: None,
            sysctl_snapshots: 0,
            sysctl_files: HashMap::new(),
            finish_first,
            sim_deadline: None,
            last_msghdr: None,
            fast_recv,
            fast_entries: HashMap::new(),
            tgids: HashMap::new(),
            serve_seq: 0,
        }
    }

    /// Closes the tun files whose stand-in the target no longer holds (`tun_chr_close`);
    /// `only`: just these (their end reported an event), else all of them are checked.
    fn reap_tuns(&mut self, only: Option<&[u64]>) {
        let keys: Vec<u64> = match only {
            Some(k) => k.to_vec(),
            None => self.tuns.keys().copied().collect(),
        };
        for ino in keys {
            let gone = self
                .tuns
                .get(&ino)
                .is_some_and(|t| devtun::drain(t.peer.as_raw_fd()));
            if gone {
                if let Some(t) = self.tuns.remove(&ino) {
                    self.backend.tun_close(t.file);
                }
            }
        }
    }

    /// Serves until `stop` becomes readable.
    pub fn run(mut self) {
        let mut listener_open = true;
        loop {
            let mut pfds = Vec::with_capacity(2 + self.pending.len());
            pfds.push(libc::pollfd {
                fd: self.stop.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
            pfds.push(libc::pollfd {
                // A negative fd is ignored by poll: once every target is gone the listener
                // hangs up for good, and polling it would spin.
                fd: if listener_open {
                    self.listener.raw()
                } else {
                    -1
                },
                events: libc::POLLIN,
                revents: 0,
            });
            for p in &self.pending {
                pfds.push(libc::pollfd {
                    fd: p.fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
            let tun_keys: Vec<u64> = self.tuns.keys().copied().collect();
            for k in &tun_keys {
                pfds.push(libc::pollfd {
                    fd: self.tuns[k].peer.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
            let ns_keys: Vec<u64> = self.ns_files.keys().copied().collect();
            for k in &ns_keys {
                pfds.push(libc::pollfd {
                    fd: self.ns_files[k].0.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
            let sysctl_keys: Vec<u64> = self.sysctl_files.keys().copied().collect();
            for k in &sysctl_keys {
                pfds.push(libc::pollfd {
                    fd: self.sysctl_files[k].peer.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
            // Last: a simulator served on this thread (see `Backend::work_fd`).
            let work_fd = self.backend.work_fd();
            if let Some(fd) = work_fd {
                pfds.push(libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
            let timeout = earliest_timeout(self.poll_timeout(), self.sim_timeout());
            // SAFETY: polling our own array of pollfds.
            let n = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout) };
            if n < 0 {
                if Errno::last().0 == libc::EINTR {
                    continue;
                }
                return;
            }
            if pfds[0].revents != 0 {
                // The command exited: its tun files are closed by now (exit closes fds
                // before the parent's waitpid returns).
                self.reap_tuns(None);
                self.release_ns_files(None);
                return;
            }
            // The simulator first: what the target sent before its next system call is
            // answered by the time that call is handled.
            let sim_due = self.sim_deadline.is_some_and(|d| d <= Instant::now());
            if work_fd.is_some() && (pfds[pfds.len() - 1].revents != 0 || sim_due) {
                self.serve_sim();
            }
            let npend = self.pending.len();
            let ready: Vec<u64> = pfds[2..2 + npend]
                .iter()
                .zip(&self.pending)
                .filter(|(p, _)| p.revents != 0)
                .map(|(_, w)| w.id)
                .collect();
            let ntun = tun_keys.len();
            let tun_ready: Vec<u64> = pfds[2 + npend..2 + npend + ntun]
                .iter()
                .zip(&tun_keys)
                .filter(|(p, _)| p.revents != 0)
                .map(|(_, k)| *k)
                .collect();
            let nns = ns_keys.len();
            let sysctl_ready: Vec<u64> = pfds[2 + npend + ntun + nns..]
                .iter()
                .take(sysctl_keys.len())
                .zip(&sysctl_keys)
                .filter(|(p, _)| p.revents != 0)
                .map(|(_, k)| *k)
                .collect();
            // Before the next notification: what the target wrote through a moved sysctl
            // fd was written before its next system call.
            if !sysctl_ready.is_empty() {
                self.drain_sysctl(&sysctl_ready);
            }
            let ns_ready: Vec<u64> = pfds[2 + npend + ntun..2 + npend + ntun + nns]
                .iter()
                .zip(&ns_keys)
                .filter(|(p, _)| p.revents != 0)
                .map(|(_, k)| *k)
                .collect();
            if !ns_ready.is_empty() {
                self.release_ns_files(Some(&ns_ready));
            }
            // Before the next notification: a close the target finished before its next
            // system call is seen first, as `tun_chr_close` runs inside close().
            if !tun_ready.is_empty() {
                self.reap_tuns(Some(&tun_ready));
            }
            let lrev = pfds[1].revents;
            if lrev & libc::POLLIN != 0 {
                match self.listener.recv() {
                    Ok(Some(n)) => self.handle(n),
                    Ok(None) => {}
                    Err(_) => listener_open = false,
                }
            } else if lrev & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                listener_open = false;
            }
            self.complete(&ready);
            self.expire();
        }
    }

    /// Runs a simulator served on this thread (see `Backend::serve`).
    fn serve_sim(&mut self) {
        // Processes receiving natively wait while a serve is under way (its requests may
        // still overrun their sockets): the sequence is odd during it.
        let fast: Vec<i32> = if self.fast_entries.is_empty() {
            Vec::new()
        } else {
            let set: HashSet<i32> = self.fast_entries.keys().map(|k| k.0).collect();
            set.into_iter().collect()
        };
        if !fast.is_empty() {
            // Even between serves, odd during one.
            self.serve_seq += 1;
            for &tgid in &fast {
                if !preload::set_serve_seq(tgid, self.serve_seq) {
                    // Gone (exited or exec'd): its entries with it.
                    self.fast_entries.retain(|k, _| k.0 != tgid);
                }
            }
        }
        let ms = self.backend.serve();
        self.sim_deadline = (ms >= 0).then(|| Instant::now() + Duration::from_millis(ms as u64));
        // sock_error() comes before the queue: a socket with an error to take keeps the
        // trapped path, which takes it.
        if !self.fast_entries.is_empty() && self.backend.errors_pending() {
            for ((tgid, fd), ino) in self.fast_entries.drain() {
                let off = preload::Entry {
                    ino,
                    recv_len: 0,
                    ok: false,
                };
                preload::set_entry(tgid, fd, off);
            }
        }
        if !fast.is_empty() {
            self.serve_seq += 1;
            for &tgid in &fast {
                let _ = preload::set_serve_seq(tgid, self.serve_seq);
            }
        }
    }

    /// After a trapped receive on simulator socket `ino` (the target's `fd`): tells the
    /// preload library of `t`'s process that the next receives on it may run natively.
    fn offer_fast_recv(&mut self, t: Thread, fd: u64, ino: u64) {
        let Some(recv_len) = self.socks.get(&ino).map(|s| s.recv_len) else {
            return;
        };
        if self.backend.errors_pending() {
            return;
        }
        if self.tgids.len() > MAX_PIDFDS {
            self.tgids.clear();
        }
        let tgid = match self.tgids.get(&t.tid) {
            Some(&g) => g,
            None => match crate::target::tgid_of(t.tid) {
                Some(g) => *self.tgids.entry(t.tid).or_insert(g),
                None => return,
            },
        };
        let want = preload::Entry {
            ino,
            recv_len,
            ok: true,
        };
        if preload::set_entry(tgid, fd, want) {
            self.fast_entries.insert((tgid, fd), ino);
        }
    }

    /// The poll timeout for the simulator's next timer (-1: none).
    fn sim_timeout(&self) -> i32 {
        self.sim_deadline.map_or(-1, |d| {
            // Rounded up, as `poll_timeout` does, so a deadline is not polled for with 0 ms.
            let left = d.saturating_duration_since(Instant::now());
            (left.as_micros().div_ceil(1000)).min(i32::MAX as u128) as i32
        })
    }

    fn poll_timeout(&self) -> i32 {
        if self.pending.is_empty() {
            return -1;
        }
        let now = Instant::now();
        let mut t = REAP_INTERVAL;
        for p in &self.pending {
            if let Some(d) = p.deadline {
                t = t.min(d.saturating_duration_since(now));
            }
        }
        // Round up so a deadline is not polled for repeatedly with a 0 ms timeout.
        t.as_millis() as i32 + 1
    }

    /// Answers waiting receives whose socket became readable.
    fn complete(&mut self, ready: &[u64]) {
        for id in ready {
            let Some(pos) = self.pending.iter().position(|p| p.id == *id) else {
                continue;
            };
            let p = &self.pending[pos];
            // An overrun while the receive waited: sock_error() before the queue.
            let err = self.backend.take_error(p.conn).map(Answer::Fail);
            if let Some(a) = err.or_else(|| {
                try_recv(
                    &self.listener,
                    &mut self.scratch,
                    p.id,
                    p.thread,
                    p.fd.as_raw_fd(),
                    &p.req,
                )
            }) {
                let p = self.pending.swap_remove(pos);
                let id = p.id;
                // Our copy goes before the target runs on: once answered it may close its
                // socket and exit, and the simulator must then see the socket closed.
                drop(p);
                self.listener.answer(id, a);
            }
        }
    }

    /// Times out receives past their SO_RCVTIMEO and forgets those whose target died.
    fn expire(&mut self) {
        let now = Instant::now();
        let reap = now.duration_since(self.last_reap) >= REAP_INTERVAL;
        if reap {
            self.last_reap = now;
        }
        let mut i = 0;
        while i < self.pending.len() {
            let p = &self.pending[i];
            if p.deadline.is_some_and(|d| d <= now) {
                let id = self.pending.swap_remove(i).id;
                self.listener.answer(id, Answer::Fail(Errno(libc::EAGAIN)));
            } else if reap && !self.listener.valid(p.id) {
                self.pending.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }

    fn handle(&mut self, n: libc::seccomp_notif) {
        let t = Thread { tid: n.pid as i32 };
        let a = n.data.args;
        let nr = n.data.nr as libc::c_long;
        let answer = match nr {
            libc::SYS_socket => match self.on_socket(n.id, t, a) {
                Some(a) => a,
                None => return,
            },
            libc::SYS_ioctl => self.on_ioctl(n.id, t, a),
            libc::SYS_openat => match self.on_open(n.id, t, a[0] as i32, a[1], a[2] as i32) {
                Some(a) => a,
                None => return,
            },
            libc::SYS_openat2 => match self.on_openat2(n.id, t, a) {
                Some(a) => a,
                None => return,
            },
            #[cfg(target_arch = "x86_64")]
            libc::SYS_open => match self.on_open(n.id, t, libc::AT_FDCWD, a[0], a[1] as i32) {
                Some(a) => a,
                None => return,
            },
            libc::SYS_unshare => self.on_unshare(t, a[0]),
            libc::SYS_setns => self.on_setns(t, a),
            libc::SYS_mount => self.on_mount(t, a),
            libc::SYS_umount2 => self.on_umount(t, a[0]),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_mkdir => self.on_mkdir(t, a[0]),
            libc::SYS_mkdirat => self.on_mkdir(t, a[1]),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_unlink => self.on_unlink(t, a[0]),
            libc::SYS_unlinkat => self.on_unlink(t, a[1]),
            libc::SYS_recvfrom | libc::SYS_recvmsg => return self.on_recv(n.id, t, nr, a),
            libc::SYS_statfs | libc::SYS_fstatfs | libc::SYS_inotify_add_watch => {
                self.on_nsfs_call(t, nr, a)
            }
            #[cfg(target_arch = "x86_64")]
            libc::SYS_fstat => self.on_nsfs_call(t, nr, a),
            nr if crate::filter::WRITE_CALLS.contains(&nr) => self.on_sysctl_write(t, nr, a),
            libc::SYS_newfstatat
            | libc::SYS_statx
            | libc::SYS_readlinkat
            | libc::SYS_faccessat
            | libc::SYS_faccessat2 => self.on_path_info(t, nr, a),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_stat | libc::SYS_lstat | libc::SYS_readlink | libc::SYS_access => {
                self.on_path_info(t, nr, a)
            }
            _ => {
                // Every other notified call names an fd first; only ours are emulated.
                let Some(ino) = t.socket_inode(a[0]) else {
                    return self.listener.answer(n.id, Answer::Continue);
                };
                let Some(sock) = self.socks.get(&ino).copied() else {
                    // An IP socket is the host's, but not the host's firewall or routing tables.
                    if let Some(answer) = self.host_config_sockopt(t, nr, a) {
                        return self.listener.answer(n.id, answer);
                    }
                    return self.listener.answer(n.id, Answer::Continue);
                };
                match nr {
                    libc::SYS_bind => self.on_bind(n.id, t, ino, sock, a),
                    libc::SYS_connect => self.on_connect(n.id, t, ino, sock, a),
                    libc::SYS_getsockname => self.on_getname(n.id, t, ino, sock, a, false),
                    libc::SYS_getpeername => self.on_getname(n.id, t, ino, sock, a, true),
                    libc::SYS_getsockopt => self.on_getsockopt(n.id, t, sock, a),
                    libc::SYS_setsockopt => self.on_setsockopt(n.id, t, sock, a),
                    // netlink_sendmsg: MSG_OOB first, then an empty message (the filter sends
                    // only length 0 here).
                    libc::SYS_sendto if a[3] as i32 & libc::MSG_OOB != 0 => {
                        Answer::Fail(Errno(libc::EOPNOTSUPP))
                    }
                    libc::SYS_sendto if a[2] == 0 => Answer::Fail(Errno(libc::ENODATA)),
                    _ => Answer::Continue,
                }
            }
        };
        self.listener.answer(n.id, answer);
    }

    /// getsockopt/setsockopt of a socket option that reads or changes the host's netfilter,
    /// IPVS or multicast routing tables: refused (see `host_sockopts`).
    fn host_config_sockopt(&mut self, t: Thread, nr: libc::c_long, a: [u64; 6]) -> Option<Answer> {
        if !matches!(nr, libc::SYS_getsockopt | libc::SYS_setsockopt) {
            return None;
        }
        let (level, optname) = (a[1] as i32, a[2] as i32);
        let what = crate::host_sockopts::host_config_sockopt(level, optname)?;
        let call = if nr == libc::SYS_setsockopt {
            "setsockopt"
        } else {
            "getsockopt"
        };
        // Keys of this kind sit below the ioctl and tun ones (one line per process and option).
        let key = -(0x0100_0000 + (level << 12) + optname);
        self.refusal(t, key, &format!("{call}({level}, {optname}): {what} are"));
        Some(Answer::Fail(Errno(libc::EOPNOTSUPP)))
    }

    fn autobind(&mut self, ino: u64, sock: FakeSock) -> Result<(), Errno> {
        if sock.bound {
            return Ok(());
        }
        let (portid, groups) = self.backend.get_name(sock.conn)?;
        if portid == 0 {
            self.backend.bind(sock.conn, 0, groups)?;
        }
        if let Some(s) = self.socks.get_mut(&ino) {
            s.bound = true;
        }
        Ok(())
    }

    /// One line on stderr per process and subject, written whole so it does not interleave
    /// with the target's own lines.
    fn refusal(&mut self, t: Thread, key: i32, what: &str) {
        let tgid = t.tgid().unwrap_or(t.tid as u32);
        if !self.warned.insert((tgid, key)) {
            return;
        }
        let comm = std::fs::read_to_string(format!("/proc/{}/comm", t.tid)).unwrap_or_default();
        let line = format!(
            "nlsim: {what} not modelled: refused for {} (pid {tgid})\n",
            comm.trim()
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    fn warn_protocol(&mut self, t: Thread, proto: i32) {
        let tgid = t.tgid().unwrap_or(t.tid as u32);
        if !self.warned.insert((tgid, proto)) {
            return;
        }
        let comm = std::fs::read_to_string(format!("/proc/{}/comm", t.tid)).unwrap_or_default();
        // One line, written whole, so it does not interleave with the target's stderr lines.
        let line = format!(
            "nlsim: socket(AF_NETLINK, {}) [protocol {proto}] from {} (pid {tgid}) refused with EPROTONOSUPPORT: only NETLINK_ROUTE is simulated\n",
            protocol_name(proto),
            comm.trim(),
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    /// `None`: already answered (ADDFD with SEND completes the call itself).
    fn on_socket(&mut self, id: u64, t: Thread, a: [u64; 6]) -> Option<Answer> {
        if a[0] as u32 == AF_PACKET {
            // The simulator has no data path: a packet socket could only be the host's,
            // bound to the host's devices. Refused as an absent family is (EAFNOSUPPORT).
            // The key is negative: the others are netlink protocols and ioctl numbers.
            self.refusal(
                t,
                -(libc::AF_PACKET),
                "socket(AF_PACKET) (packet sockets: no data path)",
            );
            return Some(Answer::Fail(Errno(libc::EAFNOSUPPORT)));
        }
        if a[0] as u32 != AF_NETLINK {
            return Some(Answer::Continue);
        }
        let ty = a[1] as i32;
        let proto = a[2] as i32;
        // __sys_socket, then netlink_create, in the kernel's order.
        if ty & !(0xf | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK) != 0 {
            return Some(Answer::Fail(Errno(libc::EINVAL)));
        }
        let base = ty & 0xf;
        if base != libc::SOCK_RAW && base != libc::SOCK_DGRAM {
            return Some(Answer::Fail(Errno(libc::ESOCKTNOSUPPORT)));
        }
        if !(0..MAX_LINKS).contains(&proto) {
            return Some(Answer::Fail(Errno(libc::EPROTONOSUPPORT)));
        }
        if proto != NETLINK_ROUTE {
            self.warn_protocol(t, proto);
            return Some(Answer::Fail(Errno(libc::EPROTONOSUPPORT)));
        }
        let tgid = match t.tgid() {
            Ok(p) => p,
            Err(_) => return Some(Answer::Fail(Errno(libc::ESRCH))),
        };
        let conn = match self.backend.connect(tgid, Some(t.tid as u32)) {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "nlsim: cannot reach the simulator: {e}");
                return Some(Answer::Fail(Errno(libc::ENOBUFS)));
            }
        };
        set_nonblock(conn.fd.as_raw_fd(), ty & libc::SOCK_NONBLOCK != 0);
        let ino = match inode_of(conn.fd.as_raw_fd()) {
            Ok(i) => i,
            Err(e) => return Some(Answer::Fail(e.into())),
        };
        self.socks.insert(
            ino,
            FakeSock {
                conn: conn.id,
                sock_type: base,
                bound: false,
                recv_len: 0,
            },
        );
        match self
            .listener
            .add_fd_and_answer(id, conn.fd.as_raw_fd(), ty & libc::SOCK_CLOEXEC != 0)
        {
            // Answered by the ioctl itself. Our copy closes here, so the target holds the
            // only one and the simulator sees the socket close when the target closes it.
            Ok(_) => None,
            Err(e) => {
                self.socks.remove(&ino);
                if e.raw_os_error() == Some(libc::ENOENT) {
                    return None;
                }
                Some(Answer::Fail(e.into()))
            }
        }
    }

    fn read_sockaddr(t: Thread, addr: u64, len: i32) -> Result<Vec<u8>, Errno> {
        if !(0..=SOCKADDR_STORAGE_LEN).contains(&len) {
            return Err(Errno(libc::EINVAL));
        }
        t.read(addr, len as usize)
    }

    fn on_bind(&mut self, id: u64, t: Thread, ino: u64, sock: FakeSock, a: [u64; 6]) -> Answer {
        let sa = match Self::read_sockaddr(t, a[1], a[2] as i32) {
            Ok(sa) => sa,
            Err(e) => return Answer::Fail(e),
        };
        if sa.len() < SOCKADDR_NL_LEN
            || u16::from_ne_bytes([sa[0], sa[1]]) != libc::AF_NETLINK as u16
        {
            return Answer::Fail(Errno(libc::EINVAL));
        }
        if !self.listener.valid(id) {
            return Answer::Fail(Errno(libc::ESRCH));
        }
        let portid = u32::from_ne_bytes([sa[4], sa[5], sa[6], sa[7]]);
        let groups = u32::from_ne_bytes([sa[8], sa[9], sa[10], sa[11]]);
        match self.backend.bind(sock.conn, portid, groups) {
            Ok(_) => {
                if let Some(s) = self.socks.get_mut(&ino) {
                    s.bound = true;
                }
                Answer::Value(0)
            }
            Err(e) => Answer::Fail(e),
        }
    }

    /// netlink_connect: records a default destination (always the kernel here) and autobinds.
    fn on_connect(&mut self, id: u64, t: Thread, ino: u64, sock: FakeSock, a: [u64; 6]) -> Answer {
        let sa = match Self::read_sockaddr(t, a[1], a[2] as i32) {
            Ok(sa) => sa,
            Err(e) => return Answer::Fail(e),
        };
        if sa.len() < 2 {
            return Answer::Fail(Errno(libc::EINVAL));
        }
        let family = u16::from_ne_bytes([sa[0], sa[1]]);
        if family == libc::AF_UNSPEC as u16 {
            return Answer::Value(0);
        }
        if family != libc::AF_NETLINK as u16 || sa.len() < SOCKADDR_NL_LEN {
            return Answer::Fail(Errno(libc::EINVAL));
        }
        if !self.listener.valid(id) {
            return Answer::Fail(Errno(libc::ESRCH));
        }
        match self.autobind(ino, sock) {
            Ok(()) => Answer::Value(0),
            Err(e) => Answer::Fail(e),
        }
    }

    /// getsockname's (port id, groups). The simulator autobinds on the first datagram it
    /// reads; a datagram the target already sent but the simulator has not read yet must
    /// count as bound too (netlink_sendmsg binds before sending), so unread bytes in the
    /// socket's send queue (SIOCOUTQ) make us autobind now.
    fn own_name(
        &mut self,
        t: Thread,
        fd: u64,
        ino: u64,
        sock: FakeSock,
    ) -> Result<(u32, u32), Errno> {
        let (portid, groups) = self.backend.get_name(sock.conn)?;
        if portid != 0 {
            return Ok((portid, groups));
        }
        let Some(copy) = self.socket_copy(t, fd, ino)? else {
            return Ok((portid, groups));
        };
        let mut outq: libc::c_int = 0;
        // SAFETY: SIOCOUTQ on our copy of the socket, into a live int.
        unsafe { libc::ioctl(copy.as_raw_fd(), libc::TIOCOUTQ, &mut outq) };
        if outq > 0 {
            let portid = self.backend.bind(sock.conn, 0, groups)?;
            return Ok((portid, groups));
        }
        // Nothing queued: never sent, or read (and so bound) by the simulator since we asked.
        self.backend.get_name(sock.conn)
    }

    fn on_getname(
        &mut self,
        id: u64,
        t: Thread,
        ino: u64,
        sock: FakeSock,
        a: [u64; 6],
        peer: bool,
    ) -> Answer {
        let r = (|| -> Result<i64, Errno> {
            let len = t.read_i32(a[2])?;
            if len < 0 {
                return Err(Errno(libc::EINVAL));
            }
            // The peer is always the kernel: port 0, no groups.
            let (portid, groups) = if peer {
                (0, 0)
            } else {
                self.own_name(t, a[0], ino, sock)?
            };
            if !self.listener.valid(id) {
                return Err(Errno(libc::ESRCH));
            }
            let sa = nl_addr(portid, groups);
            t.write(a[1], &sa[..(len as usize).min(SOCKADDR_NL_LEN)])?;
            t.write(a[2], &(SOCKADDR_NL_LEN as i32).to_ne_bytes())?;
            Ok(0)
        })();
        r.into()
    }

    fn write_int_opt(
        &self,
        id: u64,
        t: Thread,
        val_ptr: u64,
        len_ptr: u64,
        v: i32,
        exact: bool,
    ) -> Answer {
        let r = (|| -> Result<i64, Errno> {
            let len = t.read_i32(len_ptr)?;
            if len < 0 || (exact && len < 4) {
                return Err(Errno(libc::EINVAL));
            }
            let n = (len as usize).min(4);
            if !self.listener.valid(id) {
                return Err(Errno(libc::ESRCH));
            }
            t.write(val_ptr, &v.to_ne_bytes()[..n])?;
            t.write(len_ptr, &(n as i32).to_ne_bytes())?;
            Ok(0)
        })();
        r.into()
    }

    fn on_getsockopt(&mut self, id: u64, t: Thread, sock: FakeSock, a: [u64; 6]) -> Answer {
        let (level, name) = (a[1] as i32, a[2] as i32);
        match level {
            libc::SOL_SOCKET => {
                // What Python's socket(fileno=) and others use to recognise the socket;
                // the rest (buffer sizes, ...) is the unix socket's own answer.
                let v = match name {
                    libc::SO_DOMAIN => libc::AF_NETLINK,
                    libc::SO_TYPE => sock.sock_type,
                    libc::SO_PROTOCOL => NETLINK_ROUTE,
                    // sock_getsockopt: SO_ERROR is sock_error(), the pending sk_err, cleared.
                    libc::SO_ERROR => match self.backend.take_error(sock.conn) {
                        Some(e) => e.0,
                        None => return Answer::Continue,
                    },
                    _ => return Answer::Continue,
                };
                self.write_int_opt(id, t, a[3], a[4], v, false)
            }
            SOL_NETLINK => match self.backend.get_sockopt(sock.conn, name) {
                Ok(v) => self.write_int_opt(id, t, a[3], a[4], v as i32, true),
                Err(e) => Answer::Fail(e),
            },
            _ => Answer::Continue,
        }
    }

    fn on_setsockopt(&mut self, id: u64, t: Thread, sock: FakeSock, a: [u64; 6]) -> Answer {
        let (level, name) = (a[1] as i32, a[2] as i32);
        if level == libc::SOL_SOCKET && (name == libc::SO_RCVBUF || name == libc::SO_RCVBUFFORCE) {
            return self.set_rcvbuf(id, t, sock, a);
        }
        if level != SOL_NETLINK {
            // SOL_SOCKET options (SO_RCVBUF, SO_RCVTIMEO, ...) apply to the unix socket as
            // they would to the netlink one.
            return Answer::Continue;
        }
        let len = a[4] as i32;
        // netlink_setsockopt reads an int only when optlen allows, else uses 0.
        let val = if len >= 4 {
            match t.read_i32(a[3]) {
                Ok(v) => v as u32,
                Err(e) => return Answer::Fail(e),
            }
        } else {
            0
        };
        if !self.listener.valid(id) {
            return Answer::Fail(Errno(libc::ESRCH));
        }
        match self.backend.set_sockopt(sock.conn, a[2] as i32, val) {
            Ok(()) => Answer::Value(0),
            Err(e) => Answer::Fail(e),
        }
    }

    /// SO_RCVBUF / SO_RCVBUFFORCE: the simulator must know the socket's `sk_rcvbuf`. The
    /// option is applied to the unix socket (our copy of it), whose rule is the netlink
    /// socket's (`sock_setsockopt` → `__sock_set_rcvbuf`: doubled, at least SOCK_MIN_RCVBUF,
    /// capped by rmem_max; SO_RCVBUFFORCE needs CAP_NET_ADMIN, checked against the
    /// supervisor's credentials, which are the target's unless it changed them), so
    /// getsockopt(SO_RCVBUF), left to the kernel, reports what a netlink socket would; the
    /// value read back goes to the simulator.
    fn set_rcvbuf(&mut self, id: u64, t: Thread, sock: FakeSock, a: [u64; 6]) -> Answer {
        let r = (|| -> Result<i64, Errno> {
            // sock_setsockopt: optlen < sizeof(int) is EINVAL.
            if (a[4] as i32) < 4 {
                return Err(Errno(libc::EINVAL));
            }
            let val = t.read_i32(a[3])?;
            let copy = self.fetch(t, a[0])?;
            let fd = copy.as_raw_fd();
            // SAFETY: setsockopt from a live int of the given length.
            let r = unsafe {
                libc::setsockopt(
                    fd,
                    libc::SOL_SOCKET,
                    a[2] as i32,
                    &val as *const i32 as *const libc::c_void,
                    4,
                )
            };
            if r < 0 {
                return Err(Errno::last());
            }
            let mut now: i32 = 0;
            let mut len = 4 as libc::socklen_t;
            // SAFETY: getsockopt into a live int of the given length.
            let r = unsafe {
                libc::getsockopt(
                    fd,
                    libc::SOL_SOCKET,
                    libc::SO_RCVBUF,
                    &mut now as *mut i32 as *mut libc::c_void,
                    &mut len,
                )
            };
            if r < 0 {
                return Err(Errno::last());
            }
            drop(copy);
            self.backend.set_rcvbuf(sock.conn, now.max(0) as u32)?;
            if !self.listener.valid(id) {
                return Err(Errno(libc::ESRCH));
            }
            Ok(0)
        })();
        r.into()
    }

    /// `guess`: where this thread's msghdr at this address pointed its iovec array last time
    /// (programs reuse one msghdr: iproute2's length probe and receive), read in the same
    /// system call as the msghdr.
    fn parse_recv(
        t: Thread,
        nr: libc::c_long,
        a: [u64; 6],
        guess: Option<(u64, u64)>,
    ) -> Result<RecvReq, Errno> {
        if nr == libc::SYS_recvfrom {
            let flags = a[3] as i32;
            let total = (a[2] as usize).min(MAX_RW_COUNT);
            let (addr, addrlen_ptr) = (a[4], a[5]);
            let addrlen = if addr != 0 {
                let l = t.read_i32(addrlen_ptr)?;
                if l < 0 {
                    return Err(Errno(libc::EINVAL));
                }
                l
            } else {
                0
            };
            return Ok(RecvReq {
                bufs: vec![(a[1], total)],
                total,
                iov: None,
                flags,
                dest: RecvDest::From {
                    addr,
                    addrlen_ptr,
                    addrlen,
                },
            });
        }
        let hdr = a[1];
        let (m, guessed) = match guess {
            Some((iov, iovlen)) if iovlen as usize <= UIO_MAXIOV => {
                t.read_with(hdr, MSGHDR_LEN, (iov, iovlen as usize * 16))?
            }
            _ => (t.read(hdr, MSGHDR_LEN)?, None),
        };
        let u64_at = |o: usize| u64::from_ne_bytes(m[o..o + 8].try_into().unwrap_or([0; 8]));
        let name = u64_at(0);
        let namelen = i32::from_ne_bytes(m[8..12].try_into().unwrap_or([0; 4]));
        let (iov, iovlen) = (u64_at(16), u64_at(24));
        if namelen < 0 {
            return Err(Errno(libc::EINVAL));
        }
        if iovlen as usize > UIO_MAXIOV {
            return Err(Errno(libc::EMSGSIZE));
        }
        let raw = match guessed {
            Some(raw) if guess == Some((iov, iovlen)) => raw,
            _ => t.read(iov, iovlen as usize * 16)?,
        };
        let mut bufs = Vec::with_capacity(iovlen as usize);
        let mut total: usize = 0;
        for c in raw.chunks_exact(16) {
            let base = u64::from_ne_bytes(c[..8].try_into().unwrap_or([0; 8]));
            let len = u64::from_ne_bytes(c[8..].try_into().unwrap_or([0; 8]));
            if len > isize::MAX as u64 {
                return Err(Errno(libc::EINVAL));
            }
            let len = (len as usize).min(MAX_RW_COUNT - total);
            total += len;
            bufs.push((base, len));
        }
        Ok(RecvReq {
            bufs,
            total,
            iov: Some((iov, iovlen)),
            flags: a[2] as i32,
            dest: RecvDest::Msg {
                hdr,
                name,
                namelen: if name == 0 {
                    0
                } else {
                    namelen.min(SOCKADDR_STORAGE_LEN)
                },
            },
        })
    }

    /// recvfrom/recvmsg. Receiving needs our copy of the socket anyway, so it is fetched
    /// first and asked for its inode (one pidfd_getfd + fstat instead of the /proc readlink
    /// the other calls use, on the path every netlink reply takes).
    fn on_recv(&mut self, id: u64, t: Thread, nr: libc::c_long, a: [u64; 6]) {
        // Not an fd of the target (EBADF) or not ours: the kernel answers as usual.
        let Ok(fd) = self.fetch(t, a[0]) else {
            return self.listener.answer(id, Answer::Continue);
        };
        let Some(ino) = socket_inode_of(fd.as_raw_fd()).filter(|i| self.socks.contains_key(i))
        else {
            drop(fd);
            return self.listener.answer(id, Answer::Continue);
        };
        let guess = self
            .last_msghdr
            .filter(|(tid, hdr, _)| *tid == t.tid && *hdr == a[1])
            .map(|(_, _, iov)| iov);
        let req = match Self::parse_recv(t, nr, a, guess) {
            Ok(r) => {
                if let (libc::SYS_recvmsg, Some(iov)) = (nr, r.iov) {
                    self.last_msghdr = Some((t.tid, a[1], iov));
                }
                r
            }
            Err(e) => {
                drop(fd);
                return self.listener.answer(id, Answer::Fail(e));
            }
        };
        // netlink_recvmsg remembers the largest buffer offered and sizes later dump
        // datagrams from it (Go's NetlinkRIB reads with one page and no truncation check).
        let offered = req.total.min(MAX_RECVMSG_LEN) as u32;
        if let Some(s) = self.socks.get_mut(&ino) {
            if offered > s.recv_len {
                s.recv_len = offered;
                let _ = self.backend.set_recv_len(s.conn, offered);
            }
        }
        if req.flags & libc::MSG_OOB != 0 {
            drop(fd);
            return self
                .listener
                .answer(id, Answer::Fail(Errno(libc::EOPNOTSUPP)));
        }
        // sock_error() comes before the queue (and is cleared even by a peek).
        if let Some(conn) = self.socks.get(&ino).map(|s| s.conn) {
            if let Some(e) = self.backend.take_error(conn) {
                drop(fd);
                return self.listener.answer(id, Answer::Fail(e));
            }
        }
        let mut ready = try_recv(
            &self.listener,
            &mut self.scratch,
            id,
            t,
            fd.as_raw_fd(),
            &req,
        );
        if ready.is_none() && self.backend.work_fd().is_some() {
            // A simulator served on this thread: the request the target sent is handled now,
            // and its reply received without waiting for another round of the loop.
            self.serve_sim();
            ready = try_recv(
                &self.listener,
                &mut self.scratch,
                id,
                t,
                fd.as_raw_fd(),
                &req,
            );
        }
        if let Some(ans) = ready {
            // Our copy goes before the target runs on (see `complete`).
            drop(fd);
            let offer = self.fast_recv && !matches!(ans, Answer::Fail(_));
            self.listener.answer(id, ans);
            if offer {
                self.offer_fast_recv(t, a[0], ino);
            }
            return;
        }
        if req.flags & libc::MSG_DONTWAIT != 0 || is_nonblocking(fd.as_raw_fd()) {
            drop(fd);
            return self.listener.answer(id, Answer::Fail(Errno(libc::EAGAIN)));
        }
        let deadline = rcv_timeout(fd.as_raw_fd()).map(|d| Instant::now() + d);
        let conn = self.socks.get(&ino).map_or(u64::MAX, |s| s.conn);
        self.pending.push(Pending {
            id,
            thread: t,
            fd,
            req,
            deadline,
            conn,
        });
    }

    /// A copy of the target's fd `fd`, known to be socket `ino` (`None` if it is not).
    fn socket_copy(&mut self, t: Thread, fd: u64, ino: u64) -> Result<Option<OwnedFd>, Errno> {
        let copy = self.fetch(t, fd)?;
        // The fd number may have been re-pointed by another thread since the /proc lookup.
        if inode_of(copy.as_raw_fd()).ok() != Some(ino) {
            return Ok(None);
        }
        Ok(Some(copy))
    }

    /// A copy of the target's fd `fd` (the same open file description), whatever it is.
    fn fetch(&mut self, t: Thread, fd: u64) -> Result<OwnedFd, Errno> {
        if self.pidfds.len() > MAX_PIDFDS {
            self.pidfds.clear();
        }
        loop {
            let pidfd = match self.pidfds.entry(t.tid) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(t.pidfd()?),
            };
            match fetch_fd(pidfd.as_raw_fd(), fd) {
                Ok(c) => return Ok(c),
                // A cached pidfd of an earlier thread that had this tid: the notifying thread
                // is alive (it waits for us), so a fresh pidfd is the right one.
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {
                    if self.pidfds.remove(&t.tid).is_none() {
                        return Err(e.into());
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The private netlink socket for interface ioctls of thread `t`, one per namespace,
    /// opened on first use. A free function over the fields so callers can keep borrowing
    /// the listener.
    fn ifq<'a>(
        ifqs: &'a mut HashMap<u32, IfQuery>,
        backend: &Arc<dyn Backend>,
        netns_used: bool,
        t: Thread,
    ) -> Result<&'a mut IfQuery, Errno> {
        // Until a target enters a namespace every caller is in init_net (id 0).
        let ns = if netns_used {
            match backend.netns(NetnsRequest::OfTask { tid: t.tid as u32 }) {
                Ok(NetnsAnswer::Netns(id)) => id,
                _ => 0,
            }
        } else {
            0
        };
        if let std::collections::hash_map::Entry::Vacant(e) = ifqs.entry(ns) {
            let conn = backend
                .connect(std::process::id(), Some(t.tid as u32))
                .map_err(Errno::from)?;
            e.insert(IfQuery::new(conn, backend.clone()));
        }
        ifqs.get_mut(&ns).ok_or(Errno(libc::EIO))
    }

    fn open_tun(&mut self, id: u64, t: Thread, flags: i32, cloexec: bool) -> Option<Answer> {
        let (theirs, ours, ino) = match devtun::stand_in(flags & libc::O_NONBLOCK != 0) {
            Ok(s) => s,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let file = match self.backend.tun_open(t.tid as u32) {
            Ok(f) => f,
            Err(e) => return Some(Answer::Fail(e)),
        };
        self.finish_first.store(true, Ordering::Relaxed);
        match self
            .listener
            .add_fd_and_answer(id, theirs.as_raw_fd(), cloexec)
        {
            Ok(_) => {
                self.tuns.insert(ino, TunFd { file, peer: ours });
                None
            }
            Err(e) => {
                self.backend.tun_close(file);
                if e.raw_os_error() == Some(libc::ENOENT) {
                    return None;
                }
                Some(Answer::Fail(e.into()))
            }
        }
    }

    fn open_sysfs(
        &mut self,
        id: u64,
        t: Thread,
        dev: &str,
        attr: &str,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        let text = match self.backend.sysfs_read(dev, attr, t.tid as u32) {
            Ok(text) => text,
            Err(e) => {
                if let Some(msg) = e.msg {
                    self.refusal_line(t, &msg);
                }
                return Some(Answer::Fail(e.errno));
            }
        };
        if flags & libc::O_ACCMODE != libc::O_RDONLY {
            self.refusal_line(
                t,
                &if attr == crate::sysfs::PROC_BONDING {
                    format!("nlsim: writing {attr}/{dev} not modelled")
                } else {
                    format!("nlsim: writing /sys/class/net/{dev}/{attr} not modelled")
                },
            );
            return Some(Answer::Fail(Errno(libc::EPERM)));
        }
        let fd = match crate::sysfs::memfd_with(&text) {
            Ok(fd) => fd,
            Err(e) => return Some(Answer::Fail(e)),
        };
        match self.listener.add_fd_and_answer(id, fd.as_raw_fd(), cloexec) {
            Ok(_) => None,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => Some(Answer::Fail(e.into())),
        }
    }

    /// One `nlsim:` line on stderr per process and message.
    fn refusal_line(&mut self, t: Thread, msg: &str) {
        let tgid = t.tgid().unwrap_or(t.tid as u32);
        // Keys below the refusal subjects' (-1 and the ioctl numbers' negatives).
        let key = i32::MIN
            + (msg
                .bytes()
                .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
                >> 2) as i32;
        if !self.warned.insert((tgid, key)) {
            return;
        }
        let _ = std::io::stderr().write_all(format!("{msg}\n").as_bytes());
    }

    /// A tun ioctl: emulated on a stand-in; on any other fd TUNSETIFF is refused (it would
    /// create a real device) and the rest run natively.
    fn on_tun_ioctl(&mut self, id: u64, t: Thread, a: [u64; 6]) -> Answer {
        let req = a[1] as u32;
        let file = t
            .socket_inode(a[0])
            .and_then(|ino| self.tuns.get(&ino))
            .map(|tf| tf.file);
        let Some(file) = file else {
            if req == tun_ioctl::TUNSETIFF {
                self.refusal(
                    t,
                    -(req as i32 & 0xffff) - 2,
                    "tun/tap devices on a real /dev/net/tun (TUNSETIFF) are",
                );
                return Answer::Fail(Errno(libc::EPERM));
            }
            return Answer::Continue;
        };
        let argp = a[2];
        let r = (|| -> Result<i64, Errno> {
            match req {
                tun_ioctl::TUNGETFEATURES => {
                    let v = devtun::TUN_FEATURES_ANSWER.to_ne_bytes();
                    if !self.listener.valid(id) {
                        return Err(Errno(libc::ESRCH));
                    }
                    t.write(argp, &v)?;
                    Ok(0)
                }
                tun_ioctl::TUNSETIFF => {
                    let mut ifr = t.read(argp, devtun::IFREQ_LEN)?;
                    let (name, flags) = devtun::parse_setiff(&ifr)?;
                    let cred = devtun::cred_of(t)?;
                    if !self.listener.valid(id) {
                        return Err(Errno(libc::ESRCH));
                    }
                    let got = self
                        .backend
                        .tun_ioctl(file, TunIoctl::SetIff { name, flags, cred })?;
                    if let Some(r) = got {
                        devtun::put_name(&mut ifr, &r.name);
                        t.write(argp, &ifr)?;
                    }
                    Ok(0)
                }
                _ => {
                    let Some(op) = devtun::modelled(req, argp) else {
                        self.refusal(
                            t,
                            -(req as i32 & 0xffff) - 2,
                            &format!("tun ioctl {req:#x} is"),
                        );
                        return Err(Errno(libc::EOPNOTSUPP));
                    };
                    let get = op == TunIoctl::GetIff;
                    if !self.listener.valid(id) {
                        return Err(Errno(libc::ESRCH));
                    }
                    let got = self.backend.tun_ioctl(file, op)?;
                    if let (true, Some(r)) = (get, got) {
                        // TUNGETIFF starts from a zeroed ifreq.
                        let mut ifr = [0u8; devtun::IFREQ_LEN];
                        devtun::put_name(&mut ifr, &r.name);
                        ifr[16..18].copy_from_slice(&(r.flags as u16).to_ne_bytes());
                        t.write(argp, &ifr)?;
                    }
                    Ok(0)
                }
            }
        })();
        r.into()
    }

    fn on_ioctl(&mut self, id: u64, t: Thread, a: [u64; 6]) -> Answer {
        let req = a[1] as u32;
        if (tun_ioctl::FIRST..=tun_ioctl::LAST).contains(&(req & 0xffff)) {
            return self.on_tun_ioctl(id, t, a);
        }
        match crate::sockios::policy(req) {
            Policy::SocketLocal => return Answer::Continue,
            Policy::Refused => return self.refuse_ioctl(t, req),
            Policy::Emulated => {}
        }
        // Only sockets are ours. On a file or pipe the kernel answers ENOTTY itself; a device
        // node that knows these numbers (a real tun or tap fd) would answer from the host.
        if !t.is_socket(a[0]) {
            if t.fd_link(a[0]).is_some_and(|l| l.starts_with(b"/dev/")) {
                return self.refuse_ioctl(t, req);
            }
            return Answer::Continue;
        }
        let argp = a[2];
        let r = if req == sioc::SIOCGIFCONF {
            self.ifconf(id, t, argp)
        } else if sioc::DEVINET.contains(&req) {
            match self.socket_family(t, a[0]) {
                Ok(libc::AF_INET) => self.devinet(id, t, req, argp),
                // inet6_ioctl's own SIOCSIFADDR / SIOCSIFDSTADDR (struct in6_ifreq).
                Ok(libc::AF_INET6) if matches!(req, sioc::SIOCSIFADDR | sioc::SIOCSIFDSTADDR) => {
                    return self.refuse_ioctl(t, req)
                }
                // Any other socket: dev_ioctl, which knows none of them.
                Ok(_) => Err(Errno(libc::ENOTTY)),
                Err(e) => Err(e),
            }
        } else if matches!(req, sioc::SIOCADDMULTI | sioc::SIOCDELMULTI) {
            self.dev_mc(id, t, req, argp)
        } else {
            self.ifreq(id, t, a[0], req, argp)
        };
        r.into()
    }

    /// `SO_DOMAIN` of the target's socket `fd` (which ioctl table answers it).
    fn socket_family(&mut self, t: Thread, fd: u64) -> Result<i32, Errno> {
        let copy = self.fetch(t, fd)?;
        let mut v: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: getsockopt into a live int of the given length.
        let r = unsafe {
            libc::getsockopt(
                copy.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_DOMAIN,
                &mut v as *mut libc::c_int as *mut libc::c_void,
                &mut len,
            )
        };
        if r < 0 {
            return Err(Errno::last());
        }
        Ok(v)
    }

    /// SIOCADDMULTI / SIOCDELMULTI (`dev_ioctl` -> `dev_ifsioc`), answered by the model: the
    /// name (cut at its first colon, as `dev_ioctl` does) and `ifr_hwaddr`; nothing is copied
    /// back.
    fn dev_mc(&mut self, id: u64, t: Thread, req: u32, argp: u64) -> Result<i64, Errno> {
        let ifr = t.read(argp, IFREQ_LEN)?;
        let name: Vec<u8> = ifr[..IFNAMSIZ - 1]
            .iter()
            .take_while(|b| **b != 0 && **b != b':')
            .copied()
            .collect();
        let family = u16::from_ne_bytes([ifr[16], ifr[17]]);
        if !self.listener.valid(id) {
            return Err(Errno(libc::ESRCH));
        }
        let name = String::from_utf8_lossy(&name).into_owned();
        match self
            .backend
            .dev_mc_ioctl(t.tid as u32, req, name, family, ifr[18..32].to_vec())
        {
            Ok(()) => Ok(0),
            Err(e) => {
                if let Some(msg) = e.msg {
                    self.refusal_line(t, &msg);
                }
                Err(e.errno)
            }
        }
    }

    /// An AF_INET socket's address ioctl (`inet_ioctl` -> `devinet_ioctl`), answered by the
    /// model; a GET copies the whole ifreq back (`put_user_ifreq`) with the address in it.
    fn devinet(&mut self, id: u64, t: Thread, req: u32, argp: u64) -> Result<i64, Errno> {
        let mut ifr = t.read(argp, IFREQ_LEN)?;
        let name: Vec<u8> = ifr[..IFNAMSIZ - 1]
            .iter()
            .take_while(|b| **b != 0)
            .copied()
            .collect();
        let family = u16::from_ne_bytes([ifr[16], ifr[17]]);
        let req_ifr = InetIfreq {
            name: String::from_utf8_lossy(&name).into_owned(),
            family,
            addr: Ipv4Addr::new(ifr[20], ifr[21], ifr[22], ifr[23]),
            flags: family as i16,
        };
        if !self.listener.valid(id) {
            return Err(Errno(libc::ESRCH));
        }
        match self.backend.devinet_ioctl(t.tid as u32, req, req_ifr) {
            Ok(Some(addr)) => {
                // ifr_name[IFNAMSIZ - 1] = 0; the sockaddr_in zeroed, then filled.
                ifr[IFNAMSIZ - 1] = 0;
                ifr[16..32].fill(0);
                ifr[16..18].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
                ifr[20..24].copy_from_slice(&addr.octets());
                t.write(argp, &ifr)?;
                Ok(0)
            }
            Ok(None) => Ok(0),
            Err(e) => {
                if let Some(msg) = e.msg {
                    self.refusal_line(t, &msg);
                }
                Err(e.errno)
            }
        }
    }

    /// A socket or wireless ioctl the simulator does not model: EOPNOTSUPP, never the host's
    /// answer, and one line per process and request.
    fn refuse_ioctl(&mut self, t: Thread, req: u32) -> Answer {
        let tgid = t.tgid().unwrap_or(t.tid as u32);
        // Keys below -2 (the other refusal subjects use -1 and small negatives).
        if self.warned.insert((tgid, -(req as i32 & 0xffff) - 2)) {
            let comm = std::fs::read_to_string(format!("/proc/{}/comm", t.tid)).unwrap_or_default();
            let line = format!(
                "nlsim: ioctl {} ({req:#x}) not modelled: refused for {} (pid {tgid})\n",
                crate::sockios::name(req),
                comm.trim()
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
        Answer::Fail(Errno(libc::EOPNOTSUPP))
    }

    fn ifreq(&mut self, id: u64, t: Thread, fd: u64, req: u32, argp: u64) -> Result<i64, Errno> {
        let ifr = t.read(argp, IFREQ_LEN)?;
        let full: Vec<u8> = ifr[..IFNAMSIZ - 1]
            .iter()
            .take_while(|b| **b != 0)
            .copied()
            .collect();
        // An alias label (`eth0:1`): on an AF_INET socket SIOCSIFFLAGS is devinet_ioctl's
        // (it deletes the labelled address when IFF_UP is cleared).
        if req == sioc::SIOCSIFFLAGS
            && full.contains(&b':')
            && self.socket_family(t, fd)? == libc::AF_INET
        {
            return self.devinet(id, t, req, argp);
        }
        // dev_ioctl cuts the name at its first colon: `eth0:1` is eth0.
        let name: Vec<u8> = full.iter().take_while(|b| **b != b':').copied().collect();
        let int_at16 = i32::from_ne_bytes([ifr[16], ifr[17], ifr[18], ifr[19]]);
        let ifq = Self::ifq(&mut self.ifqs, &self.backend, self.netns_used, t)?;
        let data: Vec<u8> = match req {
            sioc::SIOCGIFNAME => {
                let l = ifq.link_by_index(int_at16)?;
                let mut n = [0u8; IFNAMSIZ];
                let len = l.name.len().min(IFNAMSIZ - 1);
                n[..len].copy_from_slice(&l.name[..len]);
                if !self.listener.valid(id) {
                    return Err(Errno(libc::ESRCH));
                }
                t.write(argp, &n)?;
                return Ok(0);
            }
            sioc::SIOCGIFINDEX => ifq.link_by_name(&name)?.index.to_ne_bytes().to_vec(),
            sioc::SIOCGIFFLAGS => (ifq.link_by_name(&name)?.flags as u16)
                .to_ne_bytes()
                .to_vec(),
            sioc::SIOCGIFMTU => (ifq.link_by_name(&name)?.mtu as i32).to_ne_bytes().to_vec(),
            sioc::SIOCGIFTXQLEN => (ifq.link_by_name(&name)?.txqlen as i32)
                .to_ne_bytes()
                .to_vec(),
            // dev_ifsioc_locked: the metric is always 0.
            sioc::SIOCGIFMETRIC => {
                ifq.link_by_name(&name)?;
                0i32.to_ne_bytes().to_vec()
            }
            // dev_ifsioc_locked: mem_start, mem_end, base_addr, irq, dma, if_port, all 0 on
            // the model's virtual devices (no driver sets them); struct ifmap is 24 bytes.
            sioc::SIOCGIFMAP => {
                ifq.link_by_name(&name)?;
                vec![0u8; 24]
            }
            sioc::SIOCGIFHWADDR => {
                let l = ifq.link_by_name(&name)?;
                let mut sa = [0u8; 16];
                sa[..2].copy_from_slice(&l.link_type.to_ne_bytes());
                let n = l.addr.len().min(14);
                sa[2..2 + n].copy_from_slice(&l.addr[..n]);
                sa.to_vec()
            }
            sioc::SIOCSIFFLAGS => {
                let flags = u16::from_ne_bytes([ifr[16], ifr[17]]) as u32;
                let l = ifq.link_by_name(&name)?;
                if !self.listener.valid(id) {
                    return Err(Errno(libc::ESRCH));
                }
                // dev_change_flags lets SIOCSIFFLAGS change only these (the rest are state): the
                // model's mask (`__dev_change_flags`).
                let settable = kernel_model::uapi::iff::USER_CHANGEABLE;
                ifq.set_link(l.index, flags & settable, settable, None)?;
                return Ok(0);
            }
            sioc::SIOCSIFMTU => {
                if int_at16 < 0 {
                    return Err(Errno(libc::EINVAL));
                }
                let l = ifq.link_by_name(&name)?;
                if !self.listener.valid(id) {
                    return Err(Errno(libc::ESRCH));
                }
                ifq.set_link(l.index, 0, 0, Some(int_at16 as u32))?;
                return Ok(0);
            }
            _ => return Err(Errno(libc::ENOTTY)),
        };
        if !self.listener.valid(id) {
            return Err(Errno(libc::ESRCH));
        }
        t.write(argp + IFNAMSIZ as u64, &data)?;
        Ok(0)
    }

    /// SIOCGIFCONF: one `struct ifreq` per IPv4 address (name = label, sockaddr_in).
    fn ifconf(&mut self, id: u64, t: Thread, argp: u64) -> Result<i64, Errno> {
        let len = t.read_i32(argp)?;
        let buf = t.read_u64(argp + 8)?;
        let addrs = Self::ifq(&mut self.ifqs, &self.backend, self.netns_used, t)?.ipv4_addrs();
        if !self.listener.valid(id) {
            return Err(Errno(libc::ESRCH));
        }
        if buf == 0 {
            // A NULL buffer asks for the size needed.
            let need = (addrs.len() * IFREQ_LEN) as i32;
            t.write(argp, &need.to_ne_bytes())?;
            return Ok(0);
        }
        let room = (len.max(0) as usize) / IFREQ_LEN;
        let mut out = Vec::new();
        for (label, addr) in addrs.iter().take(room) {
            let mut r = [0u8; IFREQ_LEN];
            let n = label.len().min(IFNAMSIZ - 1);
            r[..n].copy_from_slice(&label[..n]);
            r[16..18].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
            r[20..24].copy_from_slice(addr);
            out.extend_from_slice(&r);
        }
        t.write(buf, &out)?;
        t.write(argp, &(out.len() as i32).to_ne_bytes())?;
        Ok(0)
    }
}
