//! The server's I/O, and nothing of netlink: the epoll set, the connections (an `AF_UNIX`
//! `SOCK_SEQPACKET` fd each, with the datagrams waiting to be written to it), reading and
//! writing one datagram, and the wake-up eventfd of the in-process API.

use crate::rcvbuf::RecvBuf;
use crate::rtnl::Dump;
use crate::socket::NlSock;
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// The receive buffer kept between datagrams; a larger datagram gets a buffer of its size
/// for the one read (any size the client's SO_SNDBUF let it send).
pub(super) const RECV_BUF: usize = 64 * 1024;
/// A control connection is not read while this much of its output waits for its reader:
/// the JSON replies of a client that never reads stay bounded.
pub(super) const CONTROL_BACKLOG: usize = 4 << 20;

/// `epoll_event.u64` bit of a connection's drain watch (see [`Conn::watch`]).
const TOKEN_WATCH: u64 = 1 << 62;
const TOKEN_WAKE: u64 = 0;
const TOKEN_LISTENER: u64 = 1;
const TOKEN_CONN_BASE: u64 = 2;

/// What a connection carries (see [`crate::control`]).
pub(super) enum Role {
    /// Daemon connection whose Hello has not arrived yet.
    Pending,
    /// A netlink socket: raw netlink, and the dump it runs.
    Data { sock: NlSock, dump: Option<Dump> },
    /// Control requests and replies.
    Control,
}

/// A datagram waiting for the connection to accept it, with what it is charged against the
/// socket's receive buffer (0 for control replies and markers).
pub(super) struct Queued {
    pub bytes: Vec<u8>,
    pub charged: u32,
}

/// One accepted or attached connection.
pub(super) struct Conn {
    pub fd: OwnedFd,
    pub role: Role,
    pub out: VecDeque<Queued>,
    /// The netlink socket's receive buffer (data connections).
    pub rb: RecvBuf,
    /// Deliver `sk_err` as an in-band marker (`nlsim_launcher::inband`): the connection
    /// serves a supervisor, which turns it into the failed receive.
    pub inband_errors: bool,
    /// The epoll events currently registered for `fd`.
    polling: u32,
    /// A duplicate of `fd` registered for edge-triggered EPOLLOUT while a dump waits for the
    /// reader to drain its buffer: the unix socket signals write space each time the reader
    /// consumes a datagram (`unix_write_space`), which is when `netlink_recvmsg` would
    /// continue the dump.
    watch: Option<OwnedFd>,
    pub closed: bool,
}

impl Conn {
    pub fn new(fd: OwnedFd, role: Role) -> Self {
        Conn {
            fd,
            role,
            out: VecDeque::new(),
            rb: RecvBuf::default(),
            inband_errors: false,
            polling: libc::EPOLLIN as u32,
            watch: None,
            closed: false,
        }
    }

    pub fn out_bytes(&self) -> usize {
        self.out.iter().map(|q| q.bytes.len()).sum()
    }

    /// Whether a dump is in progress on this (data) connection.
    pub fn dump_running(&self) -> bool {
        matches!(self.role, Role::Data { dump: Some(_), .. })
    }

    /// A control reply (never charged, never dropped).
    pub fn reply(&mut self, bytes: Vec<u8>) {
        self.out.push_back(Queued { bytes, charged: 0 });
    }
}

/// What one epoll event means.
pub(super) enum IoEvent {
    /// The in-process API sent commands.
    Wake,
    /// New connections wait on the listener.
    Listener,
    /// A reader consumed from a connection whose dump waits (its drain watch fired).
    Drained,
    /// Connection `key` has input (`readable`) or hung up with nothing left to read.
    Conn {
        key: usize,
        readable: bool,
        hangup: bool,
    },
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn conn_token(key: usize) -> u64 {
    key as u64 + TOKEN_CONN_BASE
}

/// The epoll set of the server thread.
pub(super) struct Poller {
    epfd: OwnedFd,
    events: Vec<libc::epoll_event>,
}

impl Poller {
    /// A new epoll set watching the wake-up eventfd and the listener (a daemon's).
    pub fn new(wake: &OwnedFd, listener: Option<&OwnedFd>) -> io::Result<Self> {
        // SAFETY: plain syscall; the result is checked.
        let epfd = cvt(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        // SAFETY: fd was just created and is owned here.
        let epfd = unsafe { OwnedFd::from_raw_fd(epfd) };
        let p = Poller {
            epfd,
            events: vec![libc::epoll_event { events: 0, u64: 0 }; 64],
        };
        p.ctl(
            libc::EPOLL_CTL_ADD,
            wake.as_raw_fd(),
            libc::EPOLLIN as u32,
            TOKEN_WAKE,
        )?;
        if let Some(l) = listener {
            p.ctl(
                libc::EPOLL_CTL_ADD,
                l.as_raw_fd(),
                libc::EPOLLIN as u32,
                TOKEN_LISTENER,
            )?;
        }
        Ok(p)
    }

    fn ctl(&self, op: libc::c_int, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        let mut ev = libc::epoll_event { events, u64: token };
        // SAFETY: valid epoll fd and a live event struct.
        cvt(unsafe { libc::epoll_ctl(self.epfd.as_raw_fd(), op, fd, &mut ev) }).map(|_| ())
    }

    /// The epoll fd: readable when one of the watched fds has an event (what a caller that
    /// serves the loop on its own thread polls for).
    pub fn raw(&self) -> RawFd {
        self.epfd.as_raw_fd()
    }

    /// Watches a new connection stored at `key` for input.
    pub fn add(&self, c: &Conn, key: usize) -> io::Result<()> {
        self.ctl(
            libc::EPOLL_CTL_ADD,
            c.fd.as_raw_fd(),
            libc::EPOLLIN as u32,
            conn_token(key),
        )
    }

    /// Stops watching a connection being closed.
    pub fn remove(&self, c: &Conn) {
        let _ = self.ctl(libc::EPOLL_CTL_DEL, c.fd.as_raw_fd(), 0, 0);
    }

    /// Waits up to `timeout_ms` (-1: for ever) for events. An interrupted wait is no event.
    pub fn wait(&mut self, timeout_ms: i32) -> io::Result<Vec<IoEvent>> {
        // SAFETY: the buffer holds `events.len()` entries.
        let n = unsafe {
            libc::epoll_wait(
                self.epfd.as_raw_fd(),
                self.events.as_mut_ptr(),
                self.events.len() as i32,
                timeout_ms,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                return Ok(Vec::new());
            }
            return Err(e);
        }
        Ok(self.events[..n as usize]
            .iter()
            .map(|ev| {
                let (token, flags) = (ev.u64, ev.events);
                match token {
                    TOKEN_WAKE => IoEvent::Wake,
                    TOKEN_LISTENER => IoEvent::Listener,
                    t if t & TOKEN_WATCH != 0 => IoEvent::Drained,
                    t => {
                        let readable = flags & libc::EPOLLIN as u32 != 0;
                        IoEvent::Conn {
                            key: (t - TOKEN_CONN_BASE) as usize,
                            readable,
                            hangup: flags & (libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0
                                && !readable,
                        }
                    }
                }
            })
            .collect())
    }

    /// Registers what connection `key` waits for: input if `want_in`, write space while
    /// datagrams wait to be written.
    pub fn set_interest(&self, c: &mut Conn, key: usize, want_in: bool) {
        let want = if want_in { libc::EPOLLIN as u32 } else { 0 }
            | if c.out.is_empty() {
                0
            } else {
                libc::EPOLLOUT as u32
            };
        if want != c.polling {
            let _ = self.ctl(libc::EPOLL_CTL_MOD, c.fd.as_raw_fd(), want, conn_token(key));
            c.polling = want;
        }
    }

    /// Keeps a connection's drain watch (see [`Conn::watch`]) registered while its dump waits
    /// for the reader, and only then.
    pub fn watch_drain(&self, c: &mut Conn, key: usize, on: bool) {
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
                let token = TOKEN_WATCH | conn_token(key);
                if self
                    .ctl(libc::EPOLL_CTL_ADD, dup.as_raw_fd(), ev, token)
                    .is_ok()
                {
                    c.watch = Some(dup);
                }
            }
            (Some(_), false) => {
                if let Some(w) = c.watch.take() {
                    // The registration belongs to the shared file: remove it explicitly.
                    let _ = self.ctl(libc::EPOLL_CTL_DEL, w.as_raw_fd(), 0, 0);
                }
            }
            _ => {}
        }
    }
}

/// A connected, non-blocking, close-on-exec `AF_UNIX` `SOCK_SEQPACKET` pair: (client end,
/// server end) of a new data connection.
pub(crate) fn seqpacket_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut sv = [0; 2];
    let ty = libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK;
    // SAFETY: socketpair writes two fds into the array; the result is checked.
    cvt(unsafe { libc::socketpair(libc::AF_UNIX, ty, 0, sv.as_mut_ptr()) })?;
    // SAFETY: both fds were just created and are owned here.
    Ok(unsafe { (OwnedFd::from_raw_fd(sv[0]), OwnedFd::from_raw_fd(sv[1])) })
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

/// Consumes the wake-ups of the eventfd.
pub(super) fn clear_wake(fd: &OwnedFd) {
    let mut v = 0u64;
    // SAFETY: reading 8 bytes into a live u64.
    unsafe { libc::read(fd.as_raw_fd(), &mut v as *mut u64 as *mut libc::c_void, 8) };
}

/// The next connection waiting on a listening socket (non-blocking, close-on-exec).
pub(super) fn accept(listener: &OwnedFd) -> Option<OwnedFd> {
    // SAFETY: accepting on a listening socket without a peer address.
    let fd = unsafe {
        libc::accept4(
            listener.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
        )
    };
    // SAFETY: accept4 returned a new fd owned here.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// What reading one datagram found.
pub(super) enum Read {
    /// A datagram of this many bytes, at the start of the buffer.
    Datagram(usize),
    /// Nothing to read now.
    Nothing,
    /// The peer is gone, or the connection failed.
    Closed,
}

/// Reads one datagram into `buf`, grown to the datagram's size if needed.
pub(super) fn read_datagram(fd: &OwnedFd, buf: &mut Vec<u8>) -> Read {
    let fd = fd.as_raw_fd();
    let failed = || {
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::WouldBlock && e.kind() != io::ErrorKind::Interrupted {
            Read::Closed
        } else {
            Read::Nothing
        }
    };
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
        return failed();
    }
    let len = len as usize;
    if buf.len() < len {
        buf.resize(len, 0);
    }
    // SAFETY: receiving into our own buffer of the given length.
    let n = unsafe {
        libc::recv(
            fd,
            buf.as_mut_ptr() as *mut libc::c_void,
            buf.len(),
            libc::MSG_DONTWAIT,
        )
    };
    if n < 0 {
        return failed();
    }
    if n == 0 && peer_gone(fd) {
        return Read::Closed;
    }
    Read::Datagram(n as usize)
}

/// What writing one datagram did.
pub(super) enum Sent {
    Done,
    /// The socket is full: try again on write space.
    Full,
    /// Interrupted: try again now.
    Again,
    /// The connection failed.
    Failed,
}

/// Writes one datagram without waiting.
pub(super) fn send_datagram(fd: &OwnedFd, bytes: &[u8]) -> Sent {
    // SAFETY: sending from a live buffer of the given length.
    let n = unsafe {
        libc::send(
            fd.as_raw_fd(),
            bytes.as_ptr() as *const libc::c_void,
            bytes.len(),
            libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
        )
    };
    if n >= 0 {
        return Sent::Done;
    }
    match io::Error::last_os_error().kind() {
        io::ErrorKind::WouldBlock => Sent::Full,
        io::ErrorKind::Interrupted => Sent::Again,
        _ => Sent::Failed,
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
pub(super) fn unix_outq(fd: &OwnedFd) -> Option<u64> {
    let mut n: libc::c_int = 0;
    // SAFETY: TIOCOUTQ (= SIOCOUTQ) writes one int.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCOUTQ, &mut n) };
    (r == 0).then_some(n.max(0) as u64)
}
