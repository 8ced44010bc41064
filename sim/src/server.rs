//! The simulator's one thread: it owns the model (like RTNL, one request at a time) and serves
//! every connection with non-blocking I/O from an epoll loop.

use crate::capture::{Capture, PACKET_KERNEL, PACKET_USER};
use crate::control::{sockopt, ControlReply, ControlRequest, Hello, HelloReply, NetnsRequest};
use crate::rtnl::{self, link, Dump, Outcome};
use crate::socket::NlSock;
use crate::trace::Tracer;
use crate::wire::consts::NLM_F_ECHO;
use crate::wire::raw::split_messages;
use kernel_model::hwaddr::SeededRng;
use kernel_model::sysfs::SysfsRead;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, KernelError, LinkMsg};
use netlink_packet_route::RouteNetlinkMessage;
use slab::Slab;
use std::collections::{HashSet, VecDeque};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::mpsc;
use tracing::{debug, trace};

/// `RTNLGRP_LINK`.
const RTNLGRP_LINK: u32 = 1;
/// `RTNLGRP_NEIGH`.
const RTNLGRP_NEIGH: u32 = 3;
/// Largest datagram a client can send us (the kernel accepts up to the socket's buffer).
const RECV_BUF: usize = 256 * 1024;

const TOKEN_WAKE: u64 = 0;
const TOKEN_LISTENER: u64 = 1;
const TOKEN_CONN_BASE: u64 = 2;

/// Commands from the in-process API to the server thread.
pub(crate) enum Cmd {
    Attach {
        fd: OwnedFd,
        pid: u32,
        tid: u32,
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

struct Conn {
    fd: OwnedFd,
    role: Role,
    out: VecDeque<Vec<u8>>,
    /// EPOLLOUT currently registered.
    polling_out: bool,
    closed: bool,
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
        })
    }

    pub(crate) fn set_trace(&mut self, t: Option<Tracer>) {
        self.trace = t;
    }

    pub(crate) fn set_capture(&mut self, c: Option<Capture>) {
        self.capture = c;
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
                // The wake-up and new connections wait for the main loop.
                if token < TOKEN_CONN_BASE {
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
            polling_out: false,
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
        {
            let Some(c) = self.conns.get(key) else { return };
            if c.closed {
                return;
            }
            let fd = c.fd.as_raw_fd();
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
            if n == 0 {
                self.conns[key].closed = true;
                return;
            }
            let data = self.buf[..n as usize].to_vec();
            self.datagram(key, &data);
        }
    }

    fn datagram(&mut self, key: usize, data: &[u8]) {
        match self.conns[key].role {
            Role::Pending => {
                let reply = match serde_json::from_slice::<Hello>(data) {
                    Ok(Hello::Data { pid, tid }) => {
                        // sock_create: the socket belongs to the caller's namespace for good.
                        let ns = crate::netns_ref::task_netns(&self.kernel, tid.unwrap_or(pid));
                        self.conns[key].role = Role::Data {
                            sock: NlSock::new(pid, ns),
                            dump: None,
                        };
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
                self.conns[key].out.push_back(reply);
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
                self.conns[key]
                    .out
                    .extend(crate::control::frame_reply(json));
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
                    for d in &dgrams {
                        self.tap(ctx.netns, PACKET_USER, d);
                    }
                    self.conns[key].out.extend(dgrams)
                }
                Outcome::Dump(mut d) => {
                    // netlink_dump_start runs the first round at once.
                    if let Some(chunk) = d.next_chunk(&self.kernel, &ctx) {
                        self.tap(ctx.netns, PACKET_USER, &chunk);
                        self.conns[key].out.push_back(chunk);
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
                        if let Some(c) = self.conns.get_mut(k) {
                            c.out.push_back(bytes);
                        }
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
            let body =
                link::encode_link_message(&view, change, ifla_event, view.flags & iff::UP != 0);
            let rtm = match msg {
                LinkMsg::New => RouteNetlinkMessage::NewLink(body),
                LinkMsg::Del => RouteNetlinkMessage::DelLink(body),
            };
            let report = origin.filter(|o| from_request && o.3);
            let bytes = link::emit(rtm.clone(), 0, 0, 0);
            self.multicast(view.netns, RTNLGRP_LINK, &bytes, report.map(|o| o.0));
            if let Some((k, portid, seq, _)) = report {
                if let Some(c) = self.conns.get_mut(k) {
                    let bytes = link::emit(rtm, 0, seq, portid);
                    if let Some(cap) = &mut self.capture {
                        if kernel_model::kinds::nlmon::netlink_tap_active(&self.kernel, view.netns)
                        {
                            cap.packet(PACKET_USER, &bytes);
                        }
                    }
                    c.out.push_back(bytes);
                }
            }
        }
    }

    /// `nlmsg_multicast`: to every socket of the namespace in `group`, except `exclude`.
    fn multicast(
        &mut self,
        netns: kernel_model::NetnsId,
        group: u32,
        bytes: &[u8],
        exclude: Option<usize>,
    ) {
        let tap = self.capture.is_some()
            && kernel_model::kinds::nlmon::netlink_tap_active(&self.kernel, netns);
        for (k, c) in self.conns.iter_mut() {
            if let Role::Data { sock, .. } = &c.role {
                if sock.netns == netns && sock.in_group(group) && exclude != Some(k) {
                    // Each copy is tapped as it is delivered (__netlink_sendskb).
                    if let (true, Some(cap)) = (tap, &mut self.capture) {
                        cap.packet(PACKET_USER, bytes);
                    }
                    c.out.push_back(bytes.to_vec());
                }
            }
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

    /// Writes queued datagrams until the socket is full; refills from a running dump.
    fn flush(&mut self, key: usize) {
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
                    dump: Some(d),
                } = &mut c.role
                else {
                    break;
                };
                let ctx = sock.ctx();
                if let Some(chunk) = d.next_chunk(&self.kernel, &ctx) {
                    if let Some(cap) = &mut self.capture {
                        if kernel_model::kinds::nlmon::netlink_tap_active(&self.kernel, ctx.netns) {
                            cap.packet(PACKET_USER, &chunk);
                        }
                    }
                    c.out.push_back(chunk);
                }
                if d.is_finished() {
                    if let Role::Data { dump, .. } = &mut c.role {
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
                    front.as_ptr() as *const libc::c_void,
                    front.len(),
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
                t.datagram("<-", key, sock.portid, front);
            }
            c.out.pop_front();
        }
        let Some(c) = self.conns.get_mut(key) else {
            return;
        };
        let want_out = !c.out.is_empty();
        if want_out != c.polling_out {
            let ev = libc::EPOLLIN as u32 | if want_out { libc::EPOLLOUT as u32 } else { 0 };
            let _ = epoll_ctl(
                self.epfd.as_raw_fd(),
                libc::EPOLL_CTL_MOD,
                c.fd.as_raw_fd(),
                ev,
                key as u64 + TOKEN_CONN_BASE,
            );
            c.polling_out = want_out;
        }
    }

    fn close(&mut self, key: usize) {
        if let Some(c) = self.conns.try_remove(key) {
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
