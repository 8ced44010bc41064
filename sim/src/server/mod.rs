//! The simulator's one thread: it owns the model (like RTNL, one request at a time) and serves
//! every connection with non-blocking I/O from an epoll loop.
//!
//! Split by job, as the kernel is: [`io`] (the epoll set, connections, reading and writing
//! datagrams), [`af_netlink`] (netlink sockets: port table, bind, socket options, delivery
//! with receive-buffer accounting and the capture tap), [`request`] (requests into `rtnl`,
//! dumps out), [`notify`] (model events into notifications), [`control`] (the control
//! protocol), [`clock`] (where the model's time comes from). This module wires them: the
//! loop, the model's time before each request, and what a datagram on each kind of
//! connection means.

mod af_netlink;
mod clock;
mod control;
mod hosted;
mod io;
mod notify;
mod request;
mod sysctl;

pub use hosted::HostedSim;
pub(crate) use io::{new_eventfd, seqpacket_pair, wake};

use crate::capture::Capture;
use crate::control::{ClockMode, ControlReply, ControlRequest, Hello, HelloReply};
use crate::socket::NlSock;
use crate::trace::Tracer;
use af_netlink::NetlinkTable;
use clock::SimClock;
use io::{Conn, IoEvent, Poller, Read, Role, Sent, CONTROL_BACKLOG, RECV_BUF};
use kernel_model::uapi::errno;
use kernel_model::Kernel;
use nlsim_launcher::inband;
use notify::rtnl_notify;
use request::DumpStep;
use std::os::fd::OwnedFd;
use std::sync::atomic::AtomicUsize;
use std::sync::{mpsc, Arc};
use tracing::debug;

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

pub struct Server {
    kernel: Kernel,
    /// The connections and their netlink sockets.
    nl: NetlinkTable,
    poller: Poller,
    wake: OwnedFd,
    cmds: mpsc::Receiver<Cmd>,
    listener: Option<OwnedFd>,
    buf: Vec<u8>,
    trace: Option<Tracer>,
    /// Inside [`Server::settle`].
    settling: bool,
    /// The model's time source.
    clock: SimClock,
}

impl Server {
    pub(crate) fn new(
        kernel: Kernel,
        seed: u64,
        clock: ClockMode,
        cmds: mpsc::Receiver<Cmd>,
        wake: OwnedFd,
        listener: Option<OwnedFd>,
    ) -> std::io::Result<Self> {
        let poller = Poller::new(&wake, listener.as_ref())?;
        let clock = SimClock::new(clock, kernel.now());
        Ok(Server {
            kernel,
            nl: NetlinkTable::new(seed),
            poller,
            wake,
            cmds,
            listener,
            buf: vec![0u8; RECV_BUF],
            trace: None,
            settling: false,
            clock,
        })
    }

    pub(crate) fn set_trace(&mut self, t: Option<Tracer>) {
        self.trace = t;
    }

    pub(crate) fn set_capture(&mut self, c: Option<Capture>) {
        self.nl.capture = c;
    }

    /// The count of sockets with an error to take (shared with the in-process API).
    pub(crate) fn pending_errors(&self) -> Arc<AtomicUsize> {
        self.nl.pending_errors.clone()
    }

    /// Runs until a Shutdown command arrives (or forever, for a daemon).
    pub fn run(mut self) -> std::io::Result<()> {
        loop {
            // Sleep no longer than until the next timer: a subscriber gets what it does (DAD
            // completing) on time without sending anything.
            let timeout = self.timer_timeout_ms();
            if !self.step(timeout)? {
                return Ok(());
            }
        }
    }

    /// Milliseconds until the model's next timer falls due (-1: none).
    fn timer_timeout_ms(&self) -> i32 {
        self.clock.poll_timeout_ms(self.kernel.next_timer())
    }

    /// One round of the loop: waits up to `timeout_ms` for events, handles them and writes
    /// what they queued. `false`: a Shutdown command arrived.
    fn step(&mut self, timeout_ms: i32) -> std::io::Result<bool> {
        let events = self.poller.wait(timeout_ms)?;
        self.tick();
        for ev in events {
            match ev {
                IoEvent::Wake => {
                    io::clear_wake(&self.wake);
                    if !self.drain_cmds() {
                        return Ok(false);
                    }
                }
                IoEvent::Listener => self.accept_all(),
                // A reader consumed: `flush_all` below looks at its paused dump again.
                IoEvent::Drained => {}
                IoEvent::Conn {
                    key,
                    readable,
                    hangup,
                } => self.conn_event(key, readable, hangup),
            }
        }
        self.flush_all();
        Ok(true)
    }

    /// Brings the model's time to the clock's: the timers that fell due fire, in order, and
    /// their notifications go out (`rtnl_notify` with no origin: pid 0, seq 0) before what
    /// comes next. Called before anything reads or changes the model.
    fn tick(&mut self) {
        self.kernel.advance_to(self.clock.now());
        rtnl_notify(&mut self.kernel, &mut self.nl, None);
    }

    fn conn_event(&mut self, key: usize, readable: bool, hangup: bool) {
        if readable {
            self.read_conn(key);
        }
        if hangup {
            if let Some(c) = self.nl.conns.get_mut(key) {
                c.closed = true;
            }
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
        for _ in 0..1024 {
            let events = match self.poller.wait(0) {
                Ok(evs) if !evs.is_empty() => evs,
                _ => return,
            };
            let mut any = false;
            for ev in events {
                // The wake-up and new connections wait for the main loop; drain watches
                // only ask for the flush below.
                if let IoEvent::Conn {
                    key,
                    readable,
                    hangup,
                } = ev
                {
                    any = true;
                    self.conn_event(key, readable, hangup);
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
                    let _ = reply.send(self.attach(fd, pid, tid, inband_errors));
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

    /// A new data connection: a netlink socket of process `pid` created by thread `tid`
    /// (`sock_create`: in that thread's namespace for good). Returns its id.
    fn attach(&mut self, fd: OwnedFd, pid: u32, tid: u32, inband_errors: bool) -> u64 {
        let ns = crate::netns_ref::task_netns(&self.kernel, tid);
        let mut conn = Conn::new(
            fd,
            Role::Data {
                sock: NlSock::new(pid, ns),
                dump: None,
            },
        );
        conn.inband_errors = inband_errors;
        self.add_conn(conn)
    }

    /// This server without a thread: served by whoever calls [`HostedSim::serve`].
    pub(crate) fn into_hosted(self) -> HostedSim {
        let work_fd = self.poller.raw();
        let pending_errors = self.pending_errors();
        HostedSim::new(Box::new(self), work_fd, pending_errors)
    }

    fn add_conn(&mut self, conn: Conn) -> u64 {
        let key = self.nl.conns.insert(conn);
        if let Err(e) = self.poller.add(&self.nl.conns[key], key) {
            debug!("epoll add failed: {e}");
        }
        key as u64
    }

    fn accept_all(&mut self) {
        while let Some(fd) = self.listener.as_ref().and_then(io::accept) {
            self.add_conn(Conn::new(fd, Role::Pending));
        }
    }

    /// Reads one datagram: epoll is level-triggered, so more input brings us back, and a
    /// lone request costs no extra EAGAIN read.
    fn read_conn(&mut self, key: usize) {
        let Some(c) = self.nl.conns.get_mut(key) else {
            return;
        };
        if c.closed {
            return;
        }
        let n = match io::read_datagram(&c.fd, &mut self.buf) {
            Read::Datagram(n) => n,
            Read::Nothing => return,
            Read::Closed => {
                c.closed = true;
                return;
            }
        };
        let data = self.buf[..n].to_vec();
        if self.buf.len() > RECV_BUF {
            // A one-off giant datagram does not keep its buffer.
            self.buf = vec![0u8; RECV_BUF];
        }
        self.datagram(key, &data);
    }

    /// What a datagram means depends on the connection's role (see [`crate::control`]).
    fn datagram(&mut self, key: usize, data: &[u8]) {
        self.tick();
        match self.nl.conns[key].role {
            Role::Pending => self.hello(key, data),
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
                    self.nl.conns[key].reply(piece);
                }
            }
            Role::Data { .. } => request::rtnetlink_rcv(
                &mut self.kernel,
                &mut self.nl,
                self.trace.as_mut(),
                key,
                data,
            ),
        }
    }

    /// A pending connection's first datagram: what it is for.
    fn hello(&mut self, key: usize, data: &[u8]) {
        let reply = match serde_json::from_slice::<Hello>(data) {
            Ok(Hello::Data {
                pid,
                tid,
                inband_errors,
            }) => {
                // sock_create: the socket belongs to the caller's namespace for good.
                let ns = crate::netns_ref::task_netns(&self.kernel, tid.unwrap_or(pid));
                let c = &mut self.nl.conns[key];
                c.role = Role::Data {
                    sock: NlSock::new(pid, ns),
                    dump: None,
                };
                c.inband_errors = inband_errors;
                serde_json::to_vec(&HelloReply { conn: key as u64 }).unwrap_or_default()
            }
            Ok(Hello::Control) => {
                self.nl.conns[key].role = Role::Control;
                serde_json::to_vec(&ControlReply::Ok).unwrap_or_default()
            }
            Err(e) => {
                debug!("bad hello: {e}");
                self.nl.conns[key].closed = true;
                return;
            }
        };
        self.nl.conns[key].reply(reply);
    }

    fn control(&mut self, req: ControlRequest) -> ControlReply {
        self.tick();
        if req == ControlRequest::DumpState {
            // What exited processes sent and closed counts: their sockets' namespace
            // references are gone.
            self.settle();
        }
        control::handle(&mut self.kernel, &mut self.nl, &mut self.clock, req)
    }

    fn flush_all(&mut self) {
        let keys: Vec<usize> = self.nl.conns.iter().map(|(k, _)| k).collect();
        for key in keys {
            self.flush(key);
        }
    }

    /// Writes queued datagrams until the socket is full; refills from a running dump while
    /// the reader's buffer has room.
    fn flush(&mut self, key: usize) {
        let mut dump_waits = false;
        loop {
            let Some(c) = self.nl.conns.get(key) else {
                return;
            };
            if c.closed {
                self.close(key);
                return;
            }
            if c.out.is_empty() {
                // A dump continues at the current time (timers first, as for a request).
                if c.dump_running() {
                    self.tick();
                }
                match request::netlink_dump(&self.kernel, &mut self.nl, key) {
                    DumpStep::Queued => {}
                    DumpStep::Idle => break,
                    DumpStep::Waits => {
                        dump_waits = true;
                        break;
                    }
                }
            }
            let c = &mut self.nl.conns[key];
            let Some(front) = c.out.front() else { break };
            match io::send_datagram(&c.fd, &front.bytes) {
                Sent::Done => {}
                Sent::Full => break,
                Sent::Again => continue,
                Sent::Failed => {
                    c.closed = true;
                    continue;
                }
            }
            if let (Some(t), Role::Data { sock, .. }) = (&mut self.trace, &c.role) {
                if inband::decode(&front.bytes).is_none() {
                    t.datagram("<-", key, sock.portid, &front.bytes);
                }
            }
            if let Some(q) = c.out.pop_front() {
                self.nl.sent(key, &q);
            }
        }
        let Some(c) = self.nl.conns.get_mut(key) else {
            return;
        };
        self.poller.watch_drain(c, key, dump_waits);
        // A control client that does not read is not read either: its replies stay bounded.
        let want_in = match c.role {
            Role::Data { .. } => true,
            Role::Pending | Role::Control => c.out_bytes() < CONTROL_BACKLOG,
        };
        self.poller.set_interest(c, key, want_in);
    }

    fn close(&mut self, key: usize) {
        if let Some(c) = self.nl.conns.get_mut(key) {
            self.poller.watch_drain(c, key, false);
        }
        let Some(c) = self.nl.release(key) else {
            return;
        };
        // sk_free drops the socket's reference on its namespace.
        let netns_ref_dropped =
            matches!(&c.role, Role::Data { sock, .. } if sock.netns != self.kernel.init_net());
        if netns_ref_dropped {
            control::netns_gc(&mut self.kernel, &mut self.nl);
        }
        self.poller.remove(&c);
    }
}

impl hosted::Serve for Server {
    fn serve_ready(&mut self) -> i32 {
        // An epoll failure leaves nothing to handle; the next call tries again.
        let _ = self.step(0);
        self.timer_timeout_ms()
    }

    fn control_now(&mut self, req: ControlRequest) -> ControlReply {
        let reply = self.control(req);
        self.flush_all();
        reply
    }

    fn connect(&mut self, pid: u32, tid: u32) -> std::io::Result<(OwnedFd, u64)> {
        let (client, server_end) = seqpacket_pair()?;
        Ok((client, self.attach(server_end, pid, tid, false)))
    }
}
