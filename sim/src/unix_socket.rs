//! The daemon's transport: `AF_UNIX` `SOCK_SEQPACKET` sockets named by a path (see
//! [`crate::control`] for what travels on them). One place for the address and the connect,
//! used by the CLI, `nlsim run --connect`, the soak and the tests, and the one client side
//! of the control protocol ([`ControlClient`], [`open_data`]).

use crate::control::{self, ControlReply, ControlRequest, Hello, HelloReply};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::time::Duration;

/// A new, unconnected SEQPACKET socket (close-on-exec).
pub fn seqpacket() -> io::Result<OwnedFd> {
    // SAFETY: plain syscall; the result is checked.
    let fd = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd was just created and is owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The `sockaddr_un` of `path` and its length; InvalidInput when the path does not fit.
pub fn sockaddr_un(path: &Path) -> io::Result<(libc::sockaddr_un, libc::socklen_t)> {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: sockaddr_un is plain old data.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    let bytes = path.as_os_str().as_bytes();
    if bytes.len() >= addr.sun_path.len() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "socket path too long",
        ));
    }
    for (d, s) in addr.sun_path.iter_mut().zip(bytes) {
        *d = *s as libc::c_char;
    }
    Ok((
        addr,
        std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t,
    ))
}

/// Connects a SEQPACKET socket to `path`.
pub fn connect(path: &Path) -> io::Result<OwnedFd> {
    let fd = seqpacket()?;
    let (addr, len) = sockaddr_un(path)?;
    // SAFETY: connect on an owned fd with a valid address.
    if unsafe {
        libc::connect(
            fd.as_raw_fd(),
            &addr as *const _ as *const libc::sockaddr,
            len,
        )
    } < 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(fd)
}

/// Sends one datagram on a connected socket.
pub fn send(fd: &OwnedFd, msg: &[u8]) -> io::Result<()> {
    // SAFETY: send on an owned, connected fd from a live buffer of the given length.
    let n = unsafe {
        libc::send(
            fd.as_raw_fd(),
            msg.as_ptr() as *const libc::c_void,
            msg.len(),
            libc::MSG_NOSIGNAL,
        )
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Receives one reply of the server: one datagram, or the pieces of a large one joined
/// ([`control::frame_reply`]). A socket with a receive timeout (`SO_RCVTIMEO`) fails with
/// `TimedOut` when the server does not answer in time.
pub fn recv_reply(fd: &OwnedFd) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; control::CONTROL_CHUNK + 1];
    let mut joined = control::ReplyAssembler::default();
    loop {
        // SAFETY: recv into a live buffer of the given length.
        let n = unsafe {
            libc::recv(
                fd.as_raw_fd(),
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
                0,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the simulator did not answer",
                    ))
                }
                _ => return Err(e),
            }
        }
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the simulator closed the connection",
            ));
        }
        if let Some(reply) = joined.push(&buf[..n as usize]) {
            return Ok(reply);
        }
    }
}

/// Sends one request datagram and receives its reply.
pub fn roundtrip(fd: &OwnedFd, msg: &[u8]) -> io::Result<Vec<u8>> {
    send(fd, msg)?;
    recv_reply(fd)
}

/// Makes blocking receives on `fd` give up after `timeout` (`SO_RCVTIMEO`).
pub fn set_recv_timeout(fd: &OwnedFd, timeout: Duration) -> io::Result<()> {
    let tv = libc::timeval {
        tv_sec: timeout.as_secs() as libc::time_t,
        tv_usec: timeout.subsec_micros() as libc::suseconds_t,
    };
    // SAFETY: setsockopt on an owned fd with a live timeval of the given size.
    let r = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            &tv as *const libc::timeval as *const libc::c_void,
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn json_err(e: serde_json::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// A control connection to a server (see [`crate::control`]): [`Hello::Control`] sent, then
/// one [`ControlRequest`] and its [`ControlReply`] at a time.
pub struct ControlClient(OwnedFd);

impl ControlClient {
    /// Connects to the server at `path` and says hello; `timeout` bounds every answer.
    pub fn open(path: &Path, timeout: Option<Duration>) -> io::Result<Self> {
        let fd = connect(path)?;
        if let Some(t) = timeout {
            set_recv_timeout(&fd, t)?;
        }
        roundtrip(&fd, &serde_json::to_vec(&Hello::Control).map_err(json_err)?)?;
        Ok(ControlClient(fd))
    }

    /// One request, its reply.
    pub fn request(&self, req: &ControlRequest) -> io::Result<ControlReply> {
        let reply = roundtrip(&self.0, &serde_json::to_vec(req).map_err(json_err)?)?;
        serde_json::from_slice(&reply).map_err(json_err)
    }
}

/// A new data connection to the server at `path` (a netlink socket of `hello`'s process):
/// the fd, which carries raw netlink from now on, and the server's id for it. `timeout`
/// bounds the wait for the hello's answer (and stays set on the fd).
pub fn open_data(
    path: &Path,
    hello: &Hello,
    timeout: Option<Duration>,
) -> io::Result<(OwnedFd, u64)> {
    let fd = connect(path)?;
    if let Some(t) = timeout {
        set_recv_timeout(&fd, t)?;
    }
    let reply = roundtrip(&fd, &serde_json::to_vec(hello).map_err(json_err)?)?;
    let HelloReply { conn } = serde_json::from_slice(&reply).map_err(json_err)?;
    Ok((fd, conn))
}
