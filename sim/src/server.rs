//! The simulator's one thread: it owns the model (like RTNL, one request at a time) and serves
//! every connection with non-blocking I/O from an epoll loop.

use crate::capture::{Capture, PACKET_KERNEL, PACKET_USER};
use crate::control::{sockopt, ControlReply, ControlRequest, Hello, HelloReply, NetnsRequest};
use crate::rcvbuf::{self, RecvBuf};
use crate::rtnl::{self, link, Dump, Outcome};
use crate::socket::NlSock;
use crate::trace::Tracer;
use crate::wire::ack::{encode_ack, ExtAck};
use crate::wire::consts::NLM_F_ECHO;
use crate::wire::raw::split_messages;
use kernel_model::hwaddr::SeededRng;
use kernel_model::sysfs::SysfsRead;
use kernel_model::uapi::errno;
use kernel_model::{Event, Kernel, KernelError, LinkMsg};
use netlink_packet_route::RouteNetlinkMessage;
use nlsim_launcher::inband;
use slab::Slab;
use std::collections::{HashSet, VecDeque};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use tracing::{debug, trace};

/// `RTNLGRP_LINK`.
const RTNLGRP_LINK: u32 = 1;
/// `RTNLGRP_NEIGH`.
const RTNLGRP_NEIGH: u32 = 3;
/// The receive buffer kept between datagrams; a larger datagram gets a buffer of its size
/// for the one read (any size the client's SO_SNDBUF let it send).
const RECV_BUF: usize = 64 * 1024;
/// A control connection is not read while this much of its output waits for its reader:
/// the JSON replies of a client that never reads stay bounded.
const CONTROL_BACKLOG: usize = 4 << 20;
/// `epoll_event.u64` bit of a connection's drain watch (see [`Conn::watch`]).
const TOKEN_WATCH: u64 = 1 << 62;

const TOKEN_WAKE: u64 = 0;
const TOKEN_LISTENER: u64 = 1;
const TOKEN_CONN_BASE: u64 = 2;

/// Commands from the in-process API to the server thread.
pub(crate) enum Cmd {
    Attach {
        fd: OwnedFd,
        pid: u32,
        tid: u32,
        /// The connection serves a supervisor: errors go in-band.
        inband_errors: bool,
        reply: mpsc::Sender<u64>,
    },
    Control {
        req: ControlRequest,
        reply: mpsc::Sender<ControlReply>,
    },
    Shutdown,
}

enum Role {
    /// Daemon connection whose Hello has not arrived yet.
    Pending,
    Data {
        sock: NlSock,
        dump: Option<Dump>,
    },
    Control,
}

/// A datagram waiting for the connection to accept it, with what it is charged against the
/// socket's receive buffer (0 for control replies and markers).
struct Queued {
    bytes: Vec<u8>,
    charged: u32,
}

struct Conn {
    fd: OwnedFd,
    role: Role,
    out: VecDeque<Queued>,
    /// The netlink socket's receive buffer (data connections).
    rb: RecvBuf,
    /// Deliver `sk_err` as an in-band marker (`nlsim_launcher::inband`): the connection
    /// serves a supervisor, which turns it into the failed receive.
    inband_errors: bool,
    /// The epoll events currently registered for `fd`.
    polling: u32,
    /// A duplicate of `fd` registered for edge-triggered EPOLLOUT while a dump waits for the
    /// reader to drain its buffer: the unix socket signals write space each time the reader
    /// consumes a datagram (`unix_write_space`), which is when `netlink_recvmsg` would
    /// continue the dump.
    watch: Option<OwnedFd>,
    closed: bool,
}

impl Conn {
    fn out_bytes(&self) -> usize {
        self.out.iter().map(|q| q.bytes.len()).sum()
    }

    /// A control reply (never charged, never dropped).
    fn reply(&mut self, bytes: Vec<u8>) {
        self.out.push_back(Queued { bytes, charged: 0 });
    }

    /// Brings `sk_rmem_alloc` up to date before a decision about a datagram charged
    /// `charged`; the SIOCOUTQ is skipped when what might have been read cannot matter.
    fn refresh_rmem(&mut self, charged: u32) {
        let half = u64::from(self.rb.rcvbuf / 2);
        if self.rb.has_in_flight()
            && (self.rb.congested || self.rb.rmem_alloc() + u64::from(charged) > half)
        {
            if let Some(q) = unix_outq(self.fd.as_raw_fd()) {
                self.rb.refresh(q);
            }
        }
        // netlink_rcv_wake (after every recvmsg): an empty queue clears CONGESTED.
        self.rb.rcv_wake();
    }

    /// Queues a datagram the receive buffer admitted.
    fn queue(&mut self, bytes: Vec<u8>, charged: u32) {
        self.rb.queue(charged);
        self.out.push_back(Queued { bytes, charged });
    }

    /// `netlink_overrun`: the datagram is dropped; the first overrun since the queue was
    /// last empty sets `sk_err` = ENOBUFS (unless NETLINK_NO_ENOBUFS). Returns whether
    /// `rb.err` went from 0 to an error (to be taken with [`ControlRequest::TakeError`]).
    fn overrun(&mut self, no_enobufs: bool) -> bool {
        if !self.rb.overrun(no_enobufs) {
            return false;
        }
        if self.inband_errors {
            // sock_error() is checked before the receive queue: the marker goes ahead of
            // everything not yet handed to the unix socket.
            let bytes = inband::encode(libc::ENOBUFS).to_vec();
            self.rb.queue(0);
            self.out.push_front(Queued { bytes, charged: 0 });
            false
        } else {
            let raised = self.rb.err == 0;
            self.rb.err = libc::ENOBUFS;
            raised
        }
    }
}

/// Whether a 0-byte read on a SEQPACKET socket was the end (the peer closed and nothing is
/// left) rather than a zero-length datagram: `__unix_dgram_recvmsg` returns 0 for the end
/// only once RCV_SHUTDOWN is set and the queue is empty.
fn peer_gone(fd: RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN | libc::POLLRDHUP,
        revents: 0,
    };
    // SAFETY: polling one live pollfd without waiting.
    let r = unsafe { libc::poll(&mut p, 1, 0) };
    if r <= 0 || p.revents & (libc::POLLRDHUP | libc::POLLHUP) == 0 {
        return false;
    }
    let mut queued: libc::c_int = 0;
    // SAFETY: FIONREAD (= SIOCINQ) writes one int: the bytes queued for us (unix_inq_len).
    let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut queued) };
    r != 0 || queued == 0
}

/// SIOCOUTQ of our end of a connection: what the peer has not consumed yet.
fn unix_outq(fd: RawFd) -> Option<u64> {
    let mut n: libc::c_int = 0;
    // SAFETY: TIOCOUTQ (= SIOCOUTQ) writes one int.
    let r = unsafe { libc::ioctl(fd, libc::TIOCOUTQ, &mut n) };
    (r == 0).then_some(n.max(0) as u64)
}

pub struct Server {
    kernel: Kernel,
    conns: Slab<Conn>,
    epfd: OwnedFd,
    wake: OwnedFd,
    cmds: mpsc::Receiver<Cmd>,
    listener: Option<OwnedFd>,
    /// Port ids in use (`nl_table` for NETLINK_ROUTE).
    ports: HashSet<u32>,
    /// `netlink_autobind`'s rover for negative port ids.
    rover: i32,
    rng: SeededRng,
    buf: Vec<u8>,
    trace: Option<Tracer>,
    /// `--capture`: what an up nlmon device sees (see [`crate::capture`]).
    capture: Option<Capture>,
    /// How many sockets have an `sk_err` waiting for [`ControlRequest::TakeError`]: a
    /// supervisor in this process asks only while it is not 0 (see [`crate::Sim`]).
    pending_errors: Arc<AtomicUsize>,
    /// Inside [`Server::settle`].
    settling: bool,
    /// What this host's unix sockets charge per datagram (to read SIOCOUTQ).
    unix_charge: Option<rcvbuf::UnixCharge>,
}

fn kernel_err(e: KernelError) -> ControlReply {
    ControlReply::Err {
        errno: e.errno,
        msg: e.msg.map(|m| m.to_string()),
    }
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn epoll_ctl(epfd: RawFd, op: libc::c_int, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
    let mut ev = libc::epoll_event { events, u64: token };
    // SAFETY: valid epoll fd and a live event struct.
    cvt(unsafe { libc::epoll_ctl(epfd, op, fd, &mut ev) }).map(|_| ())
}

/// A non-blocking eventfd used to wake the loop from other threads.
pub(crate) fn new_eventfd() -> io::Result<OwnedFd> {
    // SAFETY: plain syscall; the result is checked.
    let fd = cvt(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
    // SAFETY: fd was just created and is owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub(crate) fn wake(fd: RawFd) {
    let one: u64 = 1;
    // SAFETY: writing 8 bytes from a live u64 to an eventfd.
    unsafe { libc::write(fd, &one as *const u64 as *const libc::c_void, 8) };
}

impl Server {
    pub(crate) fn new(
        kernel: Kernel,
        seed: u64,
        cmds: mpsc::Receiver<Cmd>,
        wake: OwnedFd,
        listener: Option<OwnedFd>,
    ) -> io::Result<Self> {
        // SAFETY: plain syscall; the result is checked.
        let epfd = cvt(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        // SAFETY: fd was just created and is owned here.
        let epfd = unsafe { OwnedFd::from_raw_fd(epfd) };
        epoll_ctl(
            epfd.as_raw_fd(),
            libc::EPOLL_CTL_ADD,
            wake.as_raw_fd(),
            libc::EPOLLIN as u32,
            TOKEN_WAKE,
        )?;
        if let Some(l) = &listener {
            epoll_ctl(
                epfd.as_raw_fd(),
                libc::EPOLL_CTL_ADD,
                l.as_raw_fd(),
                libc::EPOLLIN as u32,
                TOKEN_LISTENER,
            )?;
        }
        Ok(Server {
            kernel,
            conns: Slab::new(),
            epfd,
            wake,
            cmds,
            listener,
            ports: HashSet::new(),
            rover: -4096,
            // A separate stream from the model's, so socket churn never shifts MACs.
            rng: SeededRng::new(seed ^ 0x6e6c_7369_6d70_6f72),
            buf: vec![0u8; RECV_BUF],
            trace: None,
            capture: None,
            pending_errors: Arc::new(AtomicUsize::new(0)),
            settling: false,
            unix_charge: rcvbuf::UnixCharge::measure(),
        })
    }

    pub(crate) fn set_trace(&mut self, t: Option<Tracer>) {
        self.trace = t;
    }

    pub(crate) fn set_capture(&mut self, c: Option<Capture>) {
        self.capture = c;
    }

    /// The count of sockets with an error to take (shared with the in-process API).
    pub(crate) fn pending_errors(&self) -> Arc<AtomicUsize> {
        self.pending_errors.clone()
    }

    /// `netlink_deliver_tap` for a datagram queued to (PACKET_USER) or received from
    /// (PACKET_KERNEL) a socket of `netns`.
    fn tap(&mut self, netns: kernel_model::NetnsId, pkttype: u16, datagram: &[u8]) {
        if let Some(c) = &mut self.capture {
            if kernel_model::kinds::nlmon::netlink_tap_active(&self.kernel, netns) {
                c.packet(pkttype, datagram);
            }
        }
    }

    /// Runs until a Shutdown command arrives (or forever, for a daemon).
    pub fn run(mut self) -> io::Result<()> {
        let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; 64];
        loop {
            // SAFETY: the buffer holds `events.len()` entries.
            let n = unsafe {
                libc::epoll_wait(
                    self.epfd.as_raw_fd(),
                    events.as_mut_ptr(),
                    events.len() as i32,
                    -1,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            for ev in &events[..n as usize] {
                let (token, flags) = (ev.u64, ev.events);
                match token {
                    TOKEN_WAKE => {
                        let mut v = 0u64;
                        // SAFETY: reading 8 bytes into a live u64.
                        unsafe {
                            libc::read(
                                self.wake.as_raw_fd(),
                                &mut v as *mut u64 as *mut libc::c_void,
                                8,
                            )
                        };
                        if !self.drain_cmds() {
                            return Ok(());
                        }
                    }
                    TOKEN_LISTENER => self.accept_all(),
                    // A reader consumed: `flush_all` below looks at its paused dump again.
                    t if t & TOKEN_WATCH != 0 => {}
                    t => {
                        let key = (t - TOKEN_CONN_BASE) as usize;
                        if flags & libc::EPOLLIN as u32 != 0 {
                            self.read_conn(key);
                        }
                        if flags & (libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0
                            && flags & libc::EPOLLIN as u32 == 0
                        {
                            if let Some(c) = self.conns.get_mut(key) {
                                c.closed = true;
                            }
                        }
                    }
                }
            }
            self.flush_all();
        }
    }

    /// Handles, without waiting, what clients already sent and which of them hung up (a
    /// bounded number of rounds): a state dump then includes the effects of processes that
    /// have exited, such as the namespaces only their sockets held.
    fn settle(&mut self) {
        // A request handled while settling may settle again (a client that sends DumpState
        // after DumpState): one level only, or the stack is the limit.
        if self.settling {
            return;
        }
        self.settling = true;
        self.settle_rounds();
        self.settling = false;
    }

    fn settle_rounds(&mut self) {
        let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; 64];
        for _ in 0..1024 {
            // SAFETY: the buffer holds `events.len()` entries.
            let n = unsafe {
                libc::epoll_wait(
                    self.epfd.as_raw_fd(),
                    events.as_mut_ptr(),
                    events.len() as i32,
                    0,
                )
            };
            if n <= 0 {
                return;
            }
            let mut any = false;
            for ev in &events[..n as usize] {
                let (token, flags) = (ev.u64, ev.events);
                // The wake-up and new connections wait for the main loop; drain watches
                // only ask for the flush below.
                if token < TOKEN_CONN_BASE || token & TOKEN_WATCH != 0 {
                    continue;
                }
                any = true;
                let key = (token - TOKEN_CONN_BASE) as usize;
                if flags & libc::EPOLLIN as u32 != 0 {
                    self.read_conn(key);
                }
                if flags & (libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0
                    && flags & libc::EPOLLIN as u32 == 0
                {
                    if let Some(c) = self.conns.get_mut(key) {
                        c.closed = true;
                    }
                }
            }
            self.flush_all();
            if !any {
                return;
            }
        }
    }

    fn drain_cmds(&mut self) -> bool {
        while let Ok(cmd) = self.cmds.try_recv() {
            match cmd {
                Cmd::Attach {
                    fd,
                    pid,
                    tid,
                    inband_errors,
                    reply,
                } => {
                    let ns = crate::netns_ref::task_netns(&self.kernel, tid);
                    let conn = self.add_conn(
                        fd,
                        Role::Data {
                            sock: NlSock::new(pid, ns),
                            dump: None,
                        },
                    );
                    if let Some(c) = self.conns.get_mut(conn as usize) {
                        c.inband_errors = inband_errors;
                    }
                    let _ = reply.send(conn);
                }
                Cmd::Control { req, reply } => {
                    let r = self.control(req);
                    let _ = reply.send(r);
                }
                Cmd::Shutdown => return false,
            }
        }
        true
    }

    fn add_conn(&mut self, fd: OwnedFd, role: Role) -> u64 {
        let raw = fd.as_raw_fd();
        let key = self.conns.insert(Conn {
            fd,
            role,
            out: VecDeque::new(),
            rb: RecvBuf::default(),
            inband_errors: false,
            polling: libc::EPOLLIN as u32,
            watch: None,
            closed: false,
        });
        if let Err(e) = epoll_ctl(
            self.epfd.as_raw_fd(),
            libc::EPOLL_CTL_ADD,
            raw,
            libc::EPOLLIN as u32,
            key as u64 + TOKEN_CONN_BASE,
        ) {
            debug!("epoll add failed: {e}");
        }
        key as u64
    }

    fn accept_all(&mut self) {
        let Some(l) = &self.listener else { return };
        let lfd = l.as_raw_fd();
        loop {
            // SAFETY: accepting on a listening socket without a peer address.
            let fd = unsafe {
                libc::accept4(
                    lfd,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                )
            };
            if fd < 0 {
                return;
            }
            // SAFETY: accept4 returned a new fd owned here.
            let fd = unsafe { OwnedFd::from_raw_fd(fd) };
            self.add_conn(fd, Role::Pending);
        }
    }

    /// Reads one datagram: epoll is level-triggered, so more input brings us back, and a
    /// lone request costs no extra EAGAIN read.
    fn read_conn(&mut self, key: usize) {
        let Some(c) = self.conns.get(key) else { return };
        if c.closed {
            return;
        }
        let fd = c.fd.as_raw_fd();
        // netlink_sendmsg takes any datagram the sender's SO_SNDBUF allows (len > sk_sndbuf -
        // 32: EMSGSIZE), and unix_dgram_sendmsg applies the same rule to the client's end:
        // the datagram's length, asked first, sizes the read.
        // SAFETY: a peek of zero bytes; MSG_TRUNC makes it return the datagram's length.
        let len = unsafe {
            libc::recv(
                fd,
                std::ptr::null_mut(),
                0,
                libc::MSG_DONTWAIT | libc::MSG_PEEK | libc::MSG_TRUNC,
            )
        };
        if len < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::WouldBlock && e.kind() != io::ErrorKind::Interrupted {
                self.conns[key].closed = true;
            }
            return;
        }
        let len = len as usize;
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        // SAFETY: receiving into our own buffer of the given length.
        let n = unsafe {
            libc::recv(
                fd,
                self.buf.as_mut_ptr() as *mut libc::c_void,
                self.buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::WouldBlock && e.kind() != io::ErrorKind::Interrupted {
                self.conns[key].closed = true;
            }
            return;
        }
        if n == 0 && peer_gone(fd) {
            self.conns[key].closed = true;
            return;
        }
        let data = self.buf[..n as usize].to_vec();
        if self.buf.len() > RECV_BUF {
            // A one-off giant datagram does not keep its buffer.
            self.buf = vec![0u8; RECV_BUF];
        }
        self.datagram(key, &data);
    }

    fn datagram(&mut self, key: usize, data: &[u8]) {
        match self.conns[key].role {
            Role::Pending => {
                let reply = match serde_json::from_slice::<Hello>(data) {
                    Ok(Hello::Data {
                        pid,
                        tid,
                        inband_errors,
                    }) => {
                        // sock_create: the socket belongs to the caller's namespace for good.
                        let ns = crate::netns_ref::task_netns(&self.kernel, tid.unwrap_or(pid));
                        self.conns[key].role = Role::Data {
                            sock: NlSock::new(pid, ns),
                            dump: None,
                        };
                        self.conns[key].inband_errors = inband_errors;
                        serde_json::to_vec(&HelloReply { conn: key as u64 }).unwrap_or_default()
                    }
                    Ok(Hello::Control) => {
                        self.conns[key].role = Role::Control;
                        serde_json::to_vec(&ControlReply::Ok).unwrap_or_default()
                    }
                    Err(e) => {
                        debug!("bad hello: {e}");
                        self.conns[key].closed = true;
                        return;
                    }
                };
                self.conns[key].reply(reply);
            }
            Role::Control => {
                let reply = match serde_json::from_slice::<ControlRequest>(data) {
                    Ok(req) => self.control(req),
                    Err(e) => ControlReply::Err {
                        errno: errno::EINVAL,
                        msg: Some(format!("bad control request: {e}")),
                    },
                };
                // Any size: a large reply (a state dump) goes out in pieces (control.rs).
                let json = serde_json::to_vec(&reply).unwrap_or_default();
                for piece in crate::control::frame_reply(json) {
                    self.conns[key].reply(piece);
                }
            }
            Role::Data { .. } => self.netlink_datagram(key, data),
        }
    }

    /// `netlink_autobind`: the process id first, then negative ids from a rover that starts at
    /// a (seeded) random point below -4096 and counts down.
    fn autobind(&mut self, pid: u32) -> u32 {
        let mut portid = pid;
        while portid == 0 || self.ports.contains(&portid) {
            if self.rover == -4096 {
                self.rover = self.rng.range_i64(i32::MIN as i64, -4097) as i32;
            } else if self.rover >= -4096 {
                self.rover = -4097;
            }
            portid = self.rover as u32;
            self.rover = self.rover.wrapping_sub(1);
        }
        self.ports.insert(portid);
        portid
    }

    fn ensure_bound(&mut self, key: usize) {
        let pid = match &self.conns[key].role {
            Role::Data { sock, .. } if !sock.bound => sock.pid,
            _ => return,
        };
        let portid = self.autobind(pid);
        if let Role::Data { sock, .. } = &mut self.conns[key].role {
            sock.portid = portid;
            sock.bound = true;
        }
    }

    fn netlink_datagram(&mut self, key: usize, data: &[u8]) {
        // The kernel binds an unbound socket on its first send (netlink_sendmsg).
        self.ensure_bound(key);
        if let (Some(t), Role::Data { sock, .. }) = (&mut self.trace, &self.conns[key].role) {
            t.datagram("->", key, sock.portid, data);
        }
        // netlink_unicast_kernel taps the datagram before rtnetlink_rcv handles it.
        if let Role::Data { sock, .. } = &self.conns[key].role {
            let ns = sock.netns;
            self.tap(ns, PACKET_KERNEL, data);
        }
        for msg in split_messages(data) {
            let Role::Data { sock, dump } = &self.conns[key].role else {
                return;
            };
            let ctx = sock.ctx();
            trace!(
                conn = key,
                kind = msg.header.kind,
                seq = msg.header.seq,
                "request"
            );
            let outcome = rtnl::handle(&mut self.kernel, &ctx, &msg, dump.is_some());
            let echo = msg.header.flags & NLM_F_ECHO != 0;
            // Notifications are delivered while the handler runs, so a socket that caused one
            // (and listens, or asked for NLM_F_ECHO) reads it before its ACK.
            self.distribute_events(Some((key, ctx.portid, msg.header.seq, echo)));
            match outcome {
                Outcome::Reply(dgrams) => {
                    for d in dgrams {
                        self.unicast(key, d);
                    }
                }
                Outcome::Dump(mut d) => {
                    // netlink_dump_start runs the first round at once, if the buffer has room.
                    let charged = rcvbuf::dump_truesize(ctx.max_recvmsg_len);
                    let c = &mut self.conns[key];
                    c.refresh_rmem(charged);
                    if c.rb.dump_admits(charged) {
                        if let Some(chunk) = d.next_chunk(&self.kernel, &ctx) {
                            self.tap(ctx.netns, PACKET_USER, &chunk);
                            self.conns[key].queue(chunk, charged);
                        }
                    } else {
                        // netlink_dump found the buffer full: __netlink_dump_start returns
                        // -ENOBUFS, netlink_rcv_skb ACKs it, and the dump stays running for a
                        // later recvmsg to continue.
                        let ack = encode_ack(
                            &msg,
                            ctx.portid,
                            -libc::ENOBUFS,
                            &ExtAck::default(),
                            ctx.ack,
                        );
                        self.unicast(key, ack);
                    }
                    if let Role::Data { dump, .. } = &mut self.conns[key].role {
                        *dump = (!d.is_finished()).then_some(d);
                    }
                }
                Outcome::Nothing => {}
            }
        }
    }

    /// Sends the model's notifications to every socket that joined RTNLGRP_LINK in the same
    /// namespace (`rtnl_notify`). With NLM_F_ECHO the requester gets its own unicast copy
    /// carrying its port id and sequence number, and is left out of the multicast.
    fn distribute_events(&mut self, origin: Option<(usize, u32, u32, bool)>) {
        let events = self.kernel.take_events();
        for ev in events {
            let (msg, change, from_request, ifla_event, view) = match ev {
                Event::Link {
                    msg,
                    change,
                    from_request,
                    ifla_event,
                    view,
                } => (msg, change, from_request, ifla_event, view),
                Event::Nsid {
                    msg,
                    netns,
                    nsid,
                    from_request,
                } => {
                    // rtnl_net_notifyid → rtnl_notify(msg, net, portid, RTNLGRP_NSID, nlh):
                    // the requester's portid and seq for rtnl_net_newid, NLM_F_ECHO honoured.
                    let (portid, seq) = match origin {
                        Some((_, portid, seq, _)) if from_request => (portid, seq),
                        _ => (0, 0),
                    };
                    let bytes = rtnl::nsid::encode_notification(msg, nsid, seq, portid);
                    let report = origin.filter(|o| from_request && o.3);
                    self.multicast(netns, rtnl::nsid::RTNLGRP_NSID, &bytes, report.map(|o| o.0));
                    if let Some((k, _, _, _)) = report {
                        // nlmsg_notify: the reporter's copy is an nlmsg_unicast.
                        self.unicast(k, bytes);
                    }
                    continue;
                }
                Event::Fdb { msg, netns, fdb } => {
                    // fdb_notify / rtnl_fdb_notify: pid 0, seq 0, to RTNLGRP_NEIGH.
                    let bytes = rtnl::fdb::encode(&fdb, msg, 0, 0, 0);
                    self.multicast(netns, RTNLGRP_NEIGH, &bytes, None);
                    continue;
                }
                Event::BridgePort { msg, view } => {
                    // br_ifinfo_notify: AF_BRIDGE, pid 0, seq 0, to RTNLGRP_LINK.
                    if let Some(bytes) = rtnl::bridge_link::encode_port_message(
                        &view,
                        msg,
                        0,
                        0,
                        0,
                        rtnl::bridge_link::NOTIFY_FILTER,
                    ) {
                        self.multicast(view.netns, RTNLGRP_LINK, &bytes, None);
                    }
                    continue;
                }
            };
            let body = link::encode_link_message(&view, change, ifla_event);
            let rtm = match msg {
                LinkMsg::New => RouteNetlinkMessage::NewLink(body),
                LinkMsg::Del => RouteNetlinkMessage::DelLink(body),
            };
            let report = origin.filter(|o| from_request && o.3);
            let bytes = link::emit(rtm.clone(), 0, 0, 0);
            self.multicast(view.netns, RTNLGRP_LINK, &bytes, report.map(|o| o.0));
            if let Some((k, portid, seq, _)) = report {
                // nlmsg_notify: the reporter's copy is an nlmsg_unicast.
                self.unicast(k, link::emit(rtm, 0, seq, portid));
            }
        }
    }

    /// `netlink_unicast` of a kernel reply (rtnl_unicast, netlink_ack, nlmsg_notify's report
    /// copy: all MSG_DONTWAIT, so `netlink_attachskb` runs with timeo 0): queued if the receive
    /// buffer admits it, otherwise dropped with `netlink_overrun`. Returns whether it was
    /// queued.
    fn unicast(&mut self, key: usize, bytes: Vec<u8>) -> bool {
        let charged = rcvbuf::truesize(bytes.len());
        let Some(c) = self.conns.get_mut(key) else {
            return false;
        };
        let Role::Data { sock, .. } = &c.role else {
            return false;
        };
        let (netns, no_enobufs) = (sock.netns, sock.no_enobufs);
        c.refresh_rmem(charged);
        if !c.rb.admits(charged) {
            if c.overrun(no_enobufs) {
                self.pending_errors.fetch_add(1, Ordering::Relaxed);
            }
            return false;
        }
        // Tapped as it is queued (__netlink_sendskb).
        self.tap(netns, PACKET_USER, &bytes);
        self.conns[key].queue(bytes, charged);
        true
    }

    /// `nlmsg_multicast`: to every socket of the namespace in `group`, except `exclude`; each
    /// copy through `netlink_broadcast_deliver`, which drops it (`netlink_overrun`) when the
    /// socket's buffer is full or congested.
    fn multicast(
        &mut self,
        netns: kernel_model::NetnsId,
        group: u32,
        bytes: &[u8],
        exclude: Option<usize>,
    ) {
        let tap = self.capture.is_some()
            && kernel_model::kinds::nlmon::netlink_tap_active(&self.kernel, netns);
        let charged = rcvbuf::truesize(bytes.len());
        for (k, c) in self.conns.iter_mut() {
            let Role::Data { sock, .. } = &c.role else {
                continue;
            };
            if sock.netns != netns || !sock.in_group(group) || exclude == Some(k) {
                continue;
            }
            let no_enobufs = sock.no_enobufs;
            c.refresh_rmem(charged);
            if !c.rb.admits(charged) {
                if c.overrun(no_enobufs) {
                    self.pending_errors.fetch_add(1, Ordering::Relaxed);
                }
                continue;
            }
            // Each copy is tapped as it is delivered (__netlink_sendskb).
            if let (true, Some(cap)) = (tap, &mut self.capture) {
                cap.packet(PACKET_USER, bytes);
            }
            c.queue(bytes.to_vec(), charged);
        }
    }

    fn control(&mut self, req: ControlRequest) -> ControlReply {
        fn sock_of(conns: &mut Slab<Conn>, conn: u64) -> Option<&mut NlSock> {
            match conns.get_mut(conn as usize).map(|c| &mut c.role) {
                Some(Role::Data { sock, .. }) => Some(sock),
                _ => None,
            }
        }
        let bad_conn = ControlReply::Err {
            errno: errno::EINVAL,
            msg: Some("no such data connection".into()),
        };
        match req {
            ControlRequest::Bind {
                conn,
                portid,
                groups,
            } => {
                let Some(sock) = sock_of(&mut self.conns, conn) else {
                    return bad_conn;
                };
                let (bound, cur, pid) = (sock.bound, sock.portid, sock.pid);
                // netlink_bind: a bound socket keeps its port id; asking for another is EINVAL.
                if bound && portid != 0 && portid != cur {
                    return ControlReply::Err {
                        errno: errno::EINVAL,
                        msg: None,
                    };
                }
                if !bound {
                    if portid != 0 {
                        if self.ports.contains(&portid) {
                            return ControlReply::Err {
                                errno: errno::EADDRINUSE,
                                msg: None,
                            };
                        }
                        self.ports.insert(portid);
                        if let Some(s) = sock_of(&mut self.conns, conn) {
                            s.portid = portid;
                            s.bound = true;
                        }
                    } else {
                        let p = self.autobind(pid);
                        if let Some(s) = sock_of(&mut self.conns, conn) {
                            s.portid = p;
                            s.bound = true;
                        }
                    }
                }
                if let Some(s) = sock_of(&mut self.conns, conn) {
                    // nl_groups replaces the first 32 groups.
                    s.groups = (s.groups & !0xffff_ffff) | groups as u64;
                    return ControlReply::Name {
                        portid: s.portid,
                        groups,
                    };
                }
                bad_conn
            }
            ControlRequest::GetName { conn } => match sock_of(&mut self.conns, conn) {
                Some(s) => ControlReply::Name {
                    portid: s.portid,
                    groups: s.groups as u32,
                },
                None => bad_conn,
            },
            ControlRequest::SetSockOpt { conn, opt, val } => {
                let Some(s) = sock_of(&mut self.conns, conn) else {
                    return bad_conn;
                };
                let on = val != 0;
                match opt {
                    sockopt::NETLINK_ADD_MEMBERSHIP | sockopt::NETLINK_DROP_MEMBERSHIP => {
                        if !(1..=64).contains(&val) {
                            return ControlReply::Err {
                                errno: errno::EINVAL,
                                msg: None,
                            };
                        }
                        let bit = 1u64 << (val - 1);
                        if opt == sockopt::NETLINK_ADD_MEMBERSHIP {
                            s.groups |= bit;
                        } else {
                            s.groups &= !bit;
                        }
                    }
                    sockopt::NETLINK_PKTINFO => s.pktinfo = on,
                    sockopt::NETLINK_BROADCAST_ERROR => s.broadcast_error = on,
                    sockopt::NETLINK_NO_ENOBUFS => s.no_enobufs = on,
                    sockopt::NETLINK_LISTEN_ALL_NSID => s.listen_all_nsid = on,
                    sockopt::NETLINK_CAP_ACK => s.cap_ack = on,
                    sockopt::NETLINK_EXT_ACK => s.ext_ack = on,
                    sockopt::NETLINK_GET_STRICT_CHK => s.strict_chk = on,
                    _ => {
                        return ControlReply::Err {
                            errno: libc::ENOPROTOOPT,
                            msg: None,
                        }
                    }
                }
                ControlReply::Ok
            }
            ControlRequest::GetSockOpt { conn, opt } => {
                let Some(s) = sock_of(&mut self.conns, conn) else {
                    return bad_conn;
                };
                let val = match opt {
                    sockopt::NETLINK_PKTINFO => s.pktinfo,
                    sockopt::NETLINK_BROADCAST_ERROR => s.broadcast_error,
                    sockopt::NETLINK_NO_ENOBUFS => s.no_enobufs,
                    sockopt::NETLINK_LISTEN_ALL_NSID => s.listen_all_nsid,
                    sockopt::NETLINK_CAP_ACK => s.cap_ack,
                    sockopt::NETLINK_EXT_ACK => s.ext_ack,
                    sockopt::NETLINK_GET_STRICT_CHK => s.strict_chk,
                    _ => {
                        return ControlReply::Err {
                            errno: libc::ENOPROTOOPT,
                            msg: None,
                        }
                    }
                };
                ControlReply::Value { val: val as u32 }
            }
            ControlRequest::RecvLen { conn, len } => {
                let Some(s) = sock_of(&mut self.conns, conn) else {
                    return bad_conn;
                };
                // netlink_recvmsg: max_recvmsg_len grows with the reader's buffers, capped at
                // SKB_WITH_OVERHEAD(32768).
                s.max_recvmsg_len = s.max_recvmsg_len.max(len as usize).min(32768 - 320);
                ControlReply::Ok
            }
            ControlRequest::SetRcvBuf { conn, bytes } => match self.conns.get_mut(conn as usize) {
                Some(c) if matches!(c.role, Role::Data { .. }) => {
                    c.rb.rcvbuf = bytes;
                    ControlReply::Ok
                }
                _ => bad_conn,
            },
            ControlRequest::TakeError { conn } => match self.conns.get_mut(conn as usize) {
                Some(c) if matches!(c.role, Role::Data { .. }) => {
                    let err = std::mem::take(&mut c.rb.err);
                    if err != 0 {
                        self.pending_errors.fetch_sub(1, Ordering::Relaxed);
                    }
                    ControlReply::Value { val: err as u32 }
                }
                _ => bad_conn,
            },
            ControlRequest::RecvBufStats { conn } => match self.conns.get_mut(conn as usize) {
                Some(c) if matches!(c.role, Role::Data { .. }) => {
                    c.refresh_rmem(0);
                    if let Some(q) = unix_outq(c.fd.as_raw_fd()) {
                        c.rb.refresh(q);
                    }
                    ControlReply::RecvBuf {
                        rcvbuf: c.rb.rcvbuf,
                        rmem_alloc: c.rb.rmem_alloc(),
                        drops: c.rb.drops,
                        congested: c.rb.congested,
                        backlog_bytes: c.out_bytes() as u64,
                        backlog_datagrams: c.out.len() as u64,
                    }
                }
                _ => bad_conn,
            },
            ControlRequest::NetdevsimNewDevice { id, ports } => {
                let ns = self.kernel.init_net();
                let r = self.kernel.netdevsim_new_device(ns, id, ports);
                self.distribute_events(None);
                match r {
                    Ok(()) => ControlReply::Ok,
                    Err(e) => ControlReply::Err {
                        errno: e.errno,
                        msg: e.msg.map(|m| m.to_string()),
                    },
                }
            }
            ControlRequest::TunOpen { tid } => {
                let ns = self.task_netns(tid);
                ControlReply::TunFile {
                    file: self.kernel.tun_open(ns),
                }
            }
            ControlRequest::TunSetIff {
                file,
                name,
                flags,
                cred,
            } => {
                let r = self.kernel.tun_set_iff(file, &name, flags, &cred);
                self.distribute_events(None);
                match r {
                    Ok(ifr) => ControlReply::Ifreq {
                        name: ifr.name,
                        flags: ifr.flags,
                    },
                    Err(e) => kernel_err(e),
                }
            }
            ControlRequest::TunGetIff { file } => match self.kernel.tun_get_iff(file) {
                Ok(ifr) => ControlReply::Ifreq {
                    name: ifr.name,
                    flags: ifr.flags,
                },
                Err(e) => kernel_err(e),
            },
            ControlRequest::TunSetPersist { file, on } => {
                let r = self.kernel.tun_set_persist(file, on);
                self.ok_or_err(r)
            }
            ControlRequest::TunSetOwner { file, uid } => {
                let r = self.kernel.tun_set_owner(file, uid);
                self.ok_or_err(r)
            }
            ControlRequest::TunSetGroup { file, gid } => {
                let r = self.kernel.tun_set_group(file, gid);
                self.ok_or_err(r)
            }
            ControlRequest::TunClose { file } => {
                self.kernel.tun_close(file);
                self.distribute_events(None);
                ControlReply::Ok
            }
            ControlRequest::SysfsRead { dev, attr, tid } => {
                let ns = self.task_netns(tid);
                match self.kernel.sysfs_read(ns, &dev, &attr) {
                    SysfsRead::Text(text) => ControlReply::Text { text },
                    SysfsRead::NoDevice => ControlReply::Err {
                        errno: errno::ENOENT,
                        msg: None,
                    },
                    SysfsRead::NotModelled => ControlReply::Err {
                        errno: errno::ENOENT,
                        msg: Some(format!("nlsim: /sys/class/net/{dev}/{attr} not modelled")),
                    },
                }
            }
            ControlRequest::Netns { req } => self.netns_request(req),
            ControlRequest::DumpState => {
                // What exited processes sent and closed counts: their sockets' namespace
                // references are gone.
                self.settle();
                // The state outlives the tasks: namespaces only they held are gone.
                self.netns_gc();
                self.dump_state()
            }
            ControlRequest::CheckInvariants => match self.kernel.check_invariants() {
                Ok(()) => ControlReply::Ok,
                Err(msg) => ControlReply::Err {
                    errno: libc::EUCLEAN,
                    msg: Some(format!("nlsim: model invariant violated: {msg}")),
                },
            },
        }
    }

    fn dump_state(&self) -> ControlReply {
        match serde_json::to_value(&self.kernel) {
            Ok(state) => ControlReply::State { state },
            Err(e) => ControlReply::Err {
                errno: errno::EINVAL,
                msg: Some(e.to_string()),
            },
        }
    }

    /// The namespace of thread `tid` (none: the initial one).
    fn task_netns(&self, tid: Option<u32>) -> kernel_model::NetnsId {
        match tid {
            Some(t) => crate::netns_ref::task_netns(&self.kernel, t),
            None => self.kernel.init_net(),
        }
    }

    /// `put_net` for every namespace nothing holds any more: no mount under `/run/netns`, no
    /// task, no socket (`cleanup_net` then destroys its devices).
    fn netns_gc(&mut self) {
        crate::netns_ref::forget_exited_tasks(&mut self.kernel);
        let mut by_socket = std::collections::HashSet::new();
        for (_, c) in self.conns.iter() {
            if let Role::Data { sock, .. } = &c.role {
                by_socket.insert(sock.netns);
            }
        }
        let dead: Vec<_> = self
            .kernel
            .netns_ids()
            .filter(|ns| !self.kernel.netns_held(*ns) && !by_socket.contains(ns))
            .collect();
        for ns in dead {
            self.kernel.netns_destroy(ns);
        }
        self.distribute_events(None);
    }

    fn netns_request(&mut self, req: NetnsRequest) -> ControlReply {
        use kernel_model::NetnsId;
        let reply = |r: kernel_model::KResult<()>| match r {
            Ok(()) => ControlReply::Ok,
            Err(e) => kernel_err(e),
        };
        let start = |tid: u32| crate::netns_ref::start_time(tid);
        match req {
            NetnsRequest::Unshare { tid } => {
                let Some(st) = start(tid) else {
                    return kernel_err(KernelError::new(errno::ESRCH));
                };
                // copy_net_ns: a fresh namespace; the one the task leaves may now be free.
                let ns = self.kernel.netns_new();
                self.kernel.set_task_netns(tid, st, ns);
                self.netns_gc();
                ControlReply::Value { val: ns.0 }
            }
            NetnsRequest::Setns { tid, netns } => {
                let ns = NetnsId(netns);
                let Some(st) = start(tid) else {
                    return kernel_err(KernelError::new(errno::ESRCH));
                };
                if !self.kernel.netns_alive(ns) {
                    return kernel_err(KernelError::new(errno::EINVAL));
                }
                self.kernel.set_task_netns(tid, st, ns);
                self.netns_gc();
                ControlReply::Ok
            }
            NetnsRequest::OfTask { tid } => match crate::netns_ref::by_pid(&self.kernel, tid) {
                Ok(ns) => ControlReply::Value { val: ns.0 },
                Err(e) => kernel_err(e),
            },
            NetnsRequest::Mkdir => reply(self.kernel.run_netns_mkdir()),
            NetnsRequest::Create { name, excl } => reply(self.kernel.run_netns_create(&name, excl)),
            NetnsRequest::Lookup { name } => match self.kernel.run_netns_lookup(&name) {
                Ok(ns) => ControlReply::NetnsEntry {
                    netns: ns.map(|n| n.0),
                },
                Err(e) => kernel_err(e),
            },
            NetnsRequest::Mount { name, netns } => {
                reply(self.kernel.run_netns_mount(&name, NetnsId(netns)))
            }
            NetnsRequest::Umount { name } => {
                let r = self.kernel.run_netns_umount(&name).map(|_| ());
                self.netns_gc();
                reply(r)
            }
            NetnsRequest::Unlink { name } => reply(self.kernel.run_netns_unlink(&name)),
            NetnsRequest::Hold { netns, ino } => {
                reply(self.kernel.ns_file_hold(ino, NetnsId(netns)))
            }
            NetnsRequest::Release { ino } => {
                self.kernel.ns_file_release(ino);
                self.netns_gc();
                ControlReply::Ok
            }
            NetnsRequest::List => {
                let dir = self.kernel.netns_run_dir();
                if !dir.exists {
                    return kernel_err(KernelError::new(errno::ENOENT));
                }
                ControlReply::Names {
                    names: dir.names().map(str::to_string).collect(),
                }
            }
        }
    }

    fn ok_or_err(&mut self, r: kernel_model::KResult<()>) -> ControlReply {
        self.distribute_events(None);
        match r {
            Ok(()) => ControlReply::Ok,
            Err(e) => kernel_err(e),
        }
    }

    fn flush_all(&mut self) {
        let keys: Vec<usize> = self.conns.iter().map(|(k, _)| k).collect();
        for key in keys {
            self.flush(key);
        }
    }

    /// Writes queued datagrams until the socket is full; refills from a running dump while
    /// the reader's buffer has room.
    fn flush(&mut self, key: usize) {
        let mut dump_waits = false;
        loop {
            let Some(c) = self.conns.get_mut(key) else {
                return;
            };
            if c.closed {
                self.close(key);
                return;
            }
            if c.out.is_empty() {
                let Role::Data {
                    sock,
                    dump: Some(_),
                } = &c.role
                else {
                    break;
                };
                let ctx = sock.ctx();
                let charged = rcvbuf::dump_truesize(ctx.max_recvmsg_len);
                c.refresh_rmem(charged);
                // netlink_recvmsg continues a dump once rmem_alloc <= rcvbuf / 2, and
                // netlink_dump fills a datagram only if it fits.
                if !(c.rb.dump_may_continue() && c.rb.dump_admits(charged)) {
                    dump_waits = true;
                    break;
                }
                let Role::Data { dump: Some(d), .. } = &mut c.role else {
                    break;
                };
                if let Some(chunk) = d.next_chunk(&self.kernel, &ctx) {
                    if let Some(cap) = &mut self.capture {
                        if kernel_model::kinds::nlmon::netlink_tap_active(&self.kernel, ctx.netns) {
                            cap.packet(PACKET_USER, &chunk);
                        }
                    }
                    c.queue(chunk, charged);
                }
                if let Role::Data { dump, .. } = &mut c.role {
                    if dump.as_ref().is_some_and(|d| d.is_finished()) {
                        *dump = None;
                    }
                }
                if c.out.is_empty() {
                    break;
                }
            }
            let Some(front) = c.out.front() else { break };
            // SAFETY: sending from a live buffer of the given length.
            let n = unsafe {
                libc::send(
                    c.fd.as_raw_fd(),
                    front.bytes.as_ptr() as *const libc::c_void,
                    front.bytes.len(),
                    libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::WouldBlock {
                    break;
                }
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                c.closed = true;
                continue;
            }
            if let (Some(t), Role::Data { sock, .. }) = (&mut self.trace, &c.role) {
                if inband::decode(&front.bytes).is_none() {
                    t.datagram("<-", key, sock.portid, &front.bytes);
                }
            }
            if let Some(q) = c.out.pop_front() {
                if matches!(c.role, Role::Data { .. }) {
                    let unix = match &self.unix_charge {
                        Some(u) => u.of(q.bytes.len()),
                        None => u64::from(rcvbuf::truesize(q.bytes.len())),
                    };
                    c.rb.sent(unix, q.charged);
                }
            }
        }
        self.watch_drain(key, dump_waits);
        let Some(c) = self.conns.get_mut(key) else {
            return;
        };
        // A control client that does not read is not read either: its replies stay bounded.
        let want_in = match c.role {
            Role::Data { .. } => true,
            Role::Pending | Role::Control => c.out_bytes() < CONTROL_BACKLOG,
        };
        let want = if want_in { libc::EPOLLIN as u32 } else { 0 }
            | if c.out.is_empty() {
                0
            } else {
                libc::EPOLLOUT as u32
            };
        if want != c.polling {
            let _ = epoll_ctl(
                self.epfd.as_raw_fd(),
                libc::EPOLL_CTL_MOD,
                c.fd.as_raw_fd(),
                want,
                key as u64 + TOKEN_CONN_BASE,
            );
            c.polling = want;
        }
    }

    /// Keeps a connection's drain watch (see [`Conn::watch`]) registered while its dump waits
    /// for the reader, and only then.
    fn watch_drain(&mut self, key: usize, on: bool) {
        let Some(c) = self.conns.get_mut(key) else {
            return;
        };
        match (&c.watch, on) {
            (None, true) => {
                // SAFETY: dup of a live fd of ours; the result is checked.
                let dup = unsafe { libc::fcntl(c.fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) };
                if dup < 0 {
                    return;
                }
                // SAFETY: dup returned a new fd owned here.
                let dup = unsafe { OwnedFd::from_raw_fd(dup) };
                let ev = (libc::EPOLLOUT | libc::EPOLLET) as u32;
                let token = TOKEN_WATCH | (key as u64 + TOKEN_CONN_BASE);
                if epoll_ctl(
                    self.epfd.as_raw_fd(),
                    libc::EPOLL_CTL_ADD,
                    dup.as_raw_fd(),
                    ev,
                    token,
                )
                .is_ok()
                {
                    c.watch = Some(dup);
                }
            }
            (Some(_), false) => {
                if let Some(w) = c.watch.take() {
                    // The registration belongs to the shared file: remove it explicitly.
                    let _ = epoll_ctl(
                        self.epfd.as_raw_fd(),
                        libc::EPOLL_CTL_DEL,
                        w.as_raw_fd(),
                        0,
                        0,
                    );
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, key: usize) {
        self.watch_drain(key, false);
        if let Some(c) = self.conns.try_remove(key) {
            if c.rb.err != 0 {
                self.pending_errors.fetch_sub(1, Ordering::Relaxed);
            }
            let mut netns_ref_dropped = false;
            if let Role::Data { sock, .. } = &c.role {
                if sock.bound {
                    self.ports.remove(&sock.portid);
                }
                // sk_free drops the socket's reference on its namespace.
                netns_ref_dropped = sock.netns != self.kernel.init_net();
            }
            if netns_ref_dropped {
                self.netns_gc();
            }
            let _ = epoll_ctl(
                self.epfd.as_raw_fd(),
                libc::EPOLL_CTL_DEL,
                c.fd.as_raw_fd(),
                0,
                0,
            );
        }
    }
}
