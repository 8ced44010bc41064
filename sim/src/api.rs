//! The in-process API: a simulator thread for Rust tests, and netlink sockets connected to it.
//!
//! ```no_run
//! let sim = nlsim::Sim::builder().seed(7).netdevsim(1, 2).start().unwrap();
//! let sock = sim.connect().unwrap();
//! sock.set_ext_ack(true).unwrap();
//! let fd = sock.into_raw_fd(); // e.g. rtnetlink::from_socket(TokioSocket::from_raw_fd(fd))
//! # let _ = fd;
//! ```

use crate::capture::Capture;
pub use crate::control::ClockMode;
use crate::control::{sockopt, ControlReply, ControlRequest};
use crate::server::{new_eventfd, seqpacket_pair, wake, Cmd, HostedSim, Server};
use crate::trace::Tracer;
use kernel_model::Kernel;
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Configures a simulator before it starts.
#[derive(Debug, Clone, Default)]
pub struct SimBuilder {
    seed: u64,
    netdevsim: Vec<(u32, u32)>,
    state: Option<Kernel>,
    trace: Option<std::path::PathBuf>,
    capture: Option<std::path::PathBuf>,
    clock: ClockMode,
}

impl SimBuilder {
    /// Seeds every random value (MAC addresses, port-id rover).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Creates netdevsim device `id` with `ports` ports at start (they become eth0, eth1, ...).
    pub fn netdevsim(mut self, id: u32, ports: u32) -> Self {
        self.netdevsim.push((id, ports));
        self
    }
    /// Starts from a saved model instead of a fresh namespace.
    pub fn state(mut self, k: Kernel) -> Self {
        self.state = Some(k);
        self
    }

    /// How the model's time moves: with the host's clock from the start (the default, as the
    /// kernel's), or only by [`Sim::advance`] ([`ClockMode::Manual`], deterministic). A
    /// loaded [`SimBuilder::state`] resumes at its saved time either way.
    pub fn clock(mut self, mode: ClockMode) -> Self {
        self.clock = mode;
        self
    }

    /// Writes every request and reply, decoded, to `path` (see [`crate::trace`]).
    pub fn trace(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.trace = Some(path.into());
        self
    }

    /// Writes what an up nlmon device captures to `path`, as pcap (see [`crate::capture`]).
    pub fn capture(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.capture = Some(path.into());
        self
    }

    fn capturer(&self) -> io::Result<Option<Capture>> {
        match &self.capture {
            Some(p) => Ok(Some(Capture::new(Box::new(std::io::BufWriter::new(
                std::fs::File::create(p)?,
            )))?)),
            None => Ok(None),
        }
    }

    fn tracer(&self) -> io::Result<Option<Tracer>> {
        match &self.trace {
            Some(p) => Ok(Some(Tracer::new(Box::new(std::io::BufWriter::new(
                std::fs::File::create(p)?,
            ))))),
            None => Ok(None),
        }
    }

    fn kernel(&self) -> io::Result<Kernel> {
        // A saved model is checked as `nlsim run --state` checks it: the model relies on its
        // invariants, and a state that breaks them is refused before anything runs on it.
        if let Some(k) = &self.state {
            k.validate().map_err(|v| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("inconsistent state, refused: {v}"),
                )
            })?;
        }
        let mut k = self.state.clone().unwrap_or_else(|| Kernel::new(self.seed));
        let ns = k.init_net();
        for (id, ports) in &self.netdevsim {
            k.netdevsim_new_device(ns, *id, *ports)
                .map_err(|e| io::Error::other(format!("netdevsim {id}: {e}")))?;
        }
        k.take_events();
        Ok(k)
    }

    /// Starts the simulator thread.
    pub fn start(self) -> io::Result<Sim> {
        self.start_with(None)
    }

    /// Starts the simulator thread, also serving daemon connections (control and data, see
    /// [`crate::control`]) on `listener` while it runs: other processes reach the in-process
    /// simulator as they would a daemon (`nlsim clock advance --connect`).
    pub fn start_listening(self, listener: OwnedFd) -> io::Result<Sim> {
        self.start_with(Some(listener))
    }

    fn start_with(self, listener: Option<OwnedFd>) -> io::Result<Sim> {
        let (tx, rx) = mpsc::channel();
        let wake_fd = new_eventfd()?;
        let wake_raw = wake_fd.as_raw_fd();
        let server = self.server(rx, wake_fd, listener)?;
        let pending_errors = server.pending_errors();
        let thread = std::thread::Builder::new()
            .name("nlsim".into())
            .spawn(move || server.run())?;
        Ok(Sim {
            inner: Arc::new(Inner {
                tx,
                wake: wake_raw,
                pending_errors,
                thread: Some(thread).into(),
            }),
        })
    }

    /// A simulator without a thread of its own, served by whoever calls
    /// [`HostedSim::serve`] (`nlsim run`'s supervisor), also serving daemon connections on
    /// `listener` when given.
    pub fn start_hosted(self, listener: Option<OwnedFd>) -> io::Result<HostedSim> {
        // No thread sends commands: the channel and its wake-up stay idle.
        let (_no_cmds, rx) = mpsc::channel();
        Ok(self.server(rx, new_eventfd()?, listener)?.into_hosted())
    }

    /// Serves a daemon socket on this thread until the process ends.
    pub fn serve(self, listener: OwnedFd) -> io::Result<()> {
        let (_tx, rx) = mpsc::channel();
        self.server(rx, new_eventfd()?, Some(listener))?.run()
    }

    /// The server this builder describes (model, seed, clock, trace, capture), taking
    /// commands from `cmds` (woken through `wake`) and daemon connections on `listener`.
    pub(crate) fn server(
        self,
        cmds: mpsc::Receiver<Cmd>,
        wake: OwnedFd,
        listener: Option<OwnedFd>,
    ) -> io::Result<Server> {
        let kernel = self.kernel()?;
        let mut server = Server::new(kernel, self.seed, self.clock, cmds, wake, listener)?;
        server.set_trace(self.tracer()?);
        server.set_capture(self.capturer()?);
        Ok(server)
    }
}

struct Inner {
    tx: mpsc::Sender<Cmd>,
    wake: RawFd,
    pending_errors: Arc<std::sync::atomic::AtomicUsize>,
    thread: std::sync::Mutex<Option<JoinHandle<io::Result<()>>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = self.tx.send(Cmd::Shutdown);
        wake(self.wake);
        if let Ok(mut t) = self.thread.lock() {
            if let Some(t) = t.take() {
                let _ = t.join();
            }
        }
    }
}

/// A running in-process simulator. Dropping the last handle stops it.
#[derive(Clone)]
pub struct Sim {
    inner: Arc<Inner>,
}

impl Sim {
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    fn send(&self, cmd: Cmd) -> io::Result<()> {
        self.inner
            .tx
            .send(cmd)
            .map_err(|_| io::Error::other("simulator stopped"))?;
        wake(self.inner.wake);
        Ok(())
    }

    /// Runs one control request.
    pub fn control(&self, req: ControlRequest) -> io::Result<ControlReply> {
        let (tx, rx) = mpsc::channel();
        self.send(Cmd::Control { req, reply: tx })?;
        rx.recv().map_err(|_| io::Error::other("simulator stopped"))
    }

    /// A new netlink socket of the current process: a non-blocking SOCK_SEQPACKET fd that
    /// speaks raw netlink to the simulator.
    pub fn connect(&self) -> io::Result<SimSocket> {
        self.connect_as(std::process::id())
    }

    /// Like [`Sim::connect`], as if created by process `pid` (its port id on autobind).
    pub fn connect_as(&self, pid: u32) -> io::Result<SimSocket> {
        self.connect_as_thread(pid, pid)
    }

    /// Like [`Sim::connect_as`], created by thread `tid` of `pid`: the socket is in that
    /// thread's network namespace.
    pub fn connect_as_thread(&self, pid: u32, tid: u32) -> io::Result<SimSocket> {
        self.attach(pid, tid, false)
    }

    /// Like [`Sim::connect_as_thread`], for a supervisor that receives on a program's behalf
    /// from another process (a daemon's client): a pending socket error (ENOBUFS after an
    /// overrun) arrives as an `nlsim_launcher::inband` marker datagram, after what the
    /// connection already holds. Sockets from the other `connect` calls never get markers:
    /// they read the error with [`SimSocket::take_error`] (a supervisor in this process asks
    /// before each receive while [`Sim::errors_pending`], which gives the kernel's order:
    /// `sock_error` before the queue).
    pub fn connect_with_markers(&self, pid: u32, tid: u32) -> io::Result<SimSocket> {
        self.attach(pid, tid, true)
    }

    fn attach(&self, pid: u32, tid: u32, inband_errors: bool) -> io::Result<SimSocket> {
        let (client, server) = seqpacket_pair()?;
        let (tx, rx) = mpsc::channel();
        self.send(Cmd::Attach {
            fd: server,
            pid,
            tid,
            inband_errors,
            reply: tx,
        })?;
        let conn = rx
            .recv()
            .map_err(|_| io::Error::other("simulator stopped"))?;
        Ok(SimSocket {
            fd: Some(client),
            conn,
            sim: self.clone(),
        })
    }

    /// Whether some socket has a socket error to take ([`SimSocket::take_error`],
    /// [`ControlRequest::TakeError`]): a cheap check a supervisor makes before each receive,
    /// asking the simulator only when it is true.
    pub fn errors_pending(&self) -> bool {
        self.inner
            .pending_errors
            .load(std::sync::atomic::Ordering::Relaxed)
            != 0
    }

    /// The model's time: since the simulated boot (a loaded state's saved time included).
    pub fn now(&self) -> io::Result<Duration> {
        self.clock(ControlRequest::ClockShow)
    }

    /// Moves the model's time `d` forward: every timer that falls due fires, in order, and its
    /// notifications reach the subscribed sockets before this returns. In real mode, time
    /// jumps and runs on from there. Returns the new time.
    pub fn advance(&self, d: Duration) -> io::Result<Duration> {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.clock(ControlRequest::ClockAdvance { nanos })
    }

    fn clock(&self, req: ControlRequest) -> io::Result<Duration> {
        match reply_result(self.control(req)?)? {
            ControlReply::Clock { now, .. } => Ok(Duration::from_nanos(now)),
            other => Err(io::Error::other(format!("{other:?}"))),
        }
    }

    /// The model's state as JSON.
    pub fn dump_state(&self) -> io::Result<serde_json::Value> {
        match self.control(ControlRequest::DumpState)? {
            ControlReply::State { state } => Ok(state),
            other => Err(io::Error::other(format!("{other:?}"))),
        }
    }
}

/// One netlink socket connected to the simulator.
pub struct SimSocket {
    fd: Option<OwnedFd>,
    conn: u64,
    sim: Sim,
}

/// Sets an int `SOL_SOCKET` option and reads back what the kernel made of it.
fn set_int_opt(fd: RawFd, opt: libc::c_int, val: i32) -> io::Result<u32> {
    // SAFETY: setsockopt from a live int of the given length.
    let r = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            opt,
            &val as *const i32 as *const libc::c_void,
            4,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out: i32 = 0;
    let mut len = 4 as libc::socklen_t;
    let read = if opt == libc::SO_RCVBUFFORCE {
        libc::SO_RCVBUF
    } else {
        opt
    };
    // SAFETY: getsockopt into a live int of the given length.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            read,
            &mut out as *mut i32 as *mut libc::c_void,
            &mut len,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(out.max(0) as u32)
}

fn reply_result(r: ControlReply) -> io::Result<ControlReply> {
    match r {
        ControlReply::Err { errno, .. } => Err(io::Error::from_raw_os_error(errno)),
        other => Ok(other),
    }
}

impl SimSocket {
    pub fn conn_id(&self) -> u64 {
        self.conn
    }

    /// `bind(sockaddr_nl{pid, groups})`; returns the port id.
    pub fn bind(&self, portid: u32, groups: u32) -> io::Result<u32> {
        match reply_result(self.sim.control(ControlRequest::Bind {
            conn: self.conn,
            portid,
            groups,
        })?)? {
            ControlReply::Name { portid, .. } => Ok(portid),
            other => Err(io::Error::other(format!("{other:?}"))),
        }
    }

    /// `getsockname`: the port id (0 until bound).
    pub fn portid(&self) -> io::Result<u32> {
        match reply_result(
            self.sim
                .control(ControlRequest::GetName { conn: self.conn })?,
        )? {
            ControlReply::Name { portid, .. } => Ok(portid),
            other => Err(io::Error::other(format!("{other:?}"))),
        }
    }

    pub fn setsockopt(&self, opt: i32, val: u32) -> io::Result<()> {
        reply_result(self.sim.control(ControlRequest::SetSockOpt {
            conn: self.conn,
            opt,
            val,
        })?)
        .map(|_| ())
    }

    pub fn add_membership(&self, group: u32) -> io::Result<()> {
        self.setsockopt(sockopt::NETLINK_ADD_MEMBERSHIP, group)
    }
    pub fn set_ext_ack(&self, on: bool) -> io::Result<()> {
        self.setsockopt(sockopt::NETLINK_EXT_ACK, on as u32)
    }
    pub fn set_cap_ack(&self, on: bool) -> io::Result<()> {
        self.setsockopt(sockopt::NETLINK_CAP_ACK, on as u32)
    }
    pub fn set_strict_chk(&self, on: bool) -> io::Result<()> {
        self.setsockopt(sockopt::NETLINK_GET_STRICT_CHK, on as u32)
    }

    /// `setsockopt(SOL_SOCKET, SO_RCVBUF)` (or SO_RCVBUFFORCE with `force`, which needs
    /// CAP_NET_ADMIN): applied to this end of the connection, whose kernel rule is the
    /// netlink socket's (`__sock_set_rcvbuf`), and the resulting `sk_rcvbuf` given to the
    /// simulator. Returns it (what `getsockopt(SO_RCVBUF)` reports).
    pub fn set_rcvbuf(&self, bytes: i32, force: bool) -> io::Result<u32> {
        let opt = if force {
            libc::SO_RCVBUFFORCE
        } else {
            libc::SO_RCVBUF
        };
        let bytes = set_int_opt(self.as_raw_fd(), opt, bytes)?;
        reply_result(self.sim.control(ControlRequest::SetRcvBuf {
            conn: self.conn,
            bytes,
        })?)?;
        Ok(bytes)
    }

    /// `getsockopt(SOL_SOCKET, SO_ERROR)`: the pending socket error (ENOBUFS after the
    /// simulator dropped datagrams for a full receive buffer), cleared by the call. An
    /// in-process socket's receives never fail with it (the fd is a plain unix socket).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        match reply_result(
            self.sim
                .control(ControlRequest::TakeError { conn: self.conn })?,
        )? {
            ControlReply::Value { val: 0 } => Ok(None),
            ControlReply::Value { val } => Ok(Some(io::Error::from_raw_os_error(val as i32))),
            other => Err(io::Error::other(format!("{other:?}"))),
        }
    }

    /// The socket's receive buffer as the simulator accounts it ([`ControlReply::RecvBuf`]).
    pub fn recv_buf(&self) -> io::Result<ControlReply> {
        reply_result(
            self.sim
                .control(ControlRequest::RecvBufStats { conn: self.conn })?,
        )
    }

    /// Tells the simulator the size of the buffer this socket's reader passes to `recvmsg`
    /// (`nlk->max_recvmsg_len`): dump datagrams are then filled up to it (at most 32448).
    pub fn set_recv_len(&self, len: u32) -> io::Result<()> {
        reply_result(self.sim.control(ControlRequest::RecvLen {
            conn: self.conn,
            len,
        })?)
        .map(|_| ())
    }

    pub fn as_raw_fd(&self) -> RawFd {
        self.fd.as_ref().map_or(-1, |f| f.as_raw_fd())
    }

    /// Gives the fd away (e.g. to `TokioSocket::from_raw_fd`); control calls keep working.
    pub fn into_raw_fd(mut self) -> RawFd {
        self.fd.take().map_or(-1, |f| f.into_raw_fd())
    }

    /// Sends one datagram (blocking until it fits). An empty one is refused with ENODATA, as
    /// `netlink_sendmsg` does.
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Err(io::Error::from_raw_os_error(libc::ENODATA));
        }
        loop {
            // SAFETY: sending from a live buffer.
            let n = unsafe {
                libc::send(
                    self.as_raw_fd(),
                    buf.as_ptr() as *const libc::c_void,
                    buf.len(),
                    libc::MSG_NOSIGNAL,
                )
            };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::WouldBlock {
                return Err(e);
            }
            self.wait(libc::POLLOUT, 5000)?;
        }
    }

    /// Receives one datagram, waiting up to `timeout_ms`.
    pub fn recv_timeout(&self, timeout_ms: i32) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            // SAFETY: receiving into a live buffer.
            let n = unsafe {
                libc::recv(
                    self.as_raw_fd(),
                    buf.as_mut_ptr() as *mut libc::c_void,
                    buf.len(),
                    libc::MSG_DONTWAIT,
                )
            };
            if n >= 0 {
                buf.truncate(n as usize);
                return Ok(buf);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::WouldBlock {
                return Err(e);
            }
            self.wait(libc::POLLIN, timeout_ms)?;
        }
    }

    fn wait(&self, events: i16, timeout_ms: i32) -> io::Result<()> {
        let mut p = libc::pollfd {
            fd: self.as_raw_fd(),
            events,
            revents: 0,
        };
        // SAFETY: polling one live pollfd.
        let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        match n {
            0 => Err(io::Error::new(io::ErrorKind::TimedOut, "no datagram")),
            n if n < 0 => Err(io::Error::last_os_error()),
            _ => Ok(()),
        }
    }
}
