//! `nlsim run`'s mechanism: run an unmodified command with every NETLINK_ROUTE socket of it
//! and of its descendants served by a simulator, without privileges.
//!
//! The command is forked with a seccomp filter installed before `exec`
//! (`SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV`). Notified
//! system calls go to a supervisor thread of this process:
//!
//! - `socket(AF_NETLINK, type, NETLINK_ROUTE)` gets a SEQPACKET connection to the simulator,
//!   injected with `SECCOMP_IOCTL_NOTIF_ADDFD` + `SECCOMP_ADDFD_FLAG_SEND`; other netlink
//!   protocols get `EPROTONOSUPPORT` and one line on stderr.
//! - On those fds (recognised by socket inode, so dup/fork/SCM_RIGHTS copies work),
//!   bind/connect/getsockname/getpeername/get+setsockopt and recvfrom/recvmsg are emulated;
//!   sends are not trapped at all (the simulator autobinds on the first datagram, and
//!   getsockname accounts for one it has not read yet). Every other fd is left alone
//!   (CONTINUE).
//! - Network namespaces (unshare/setns(CLONE_NEWNET), mount or mkdir under a netns
//!   directory) and the legacy device-creating ioctls (TUNSETIFF, SIOCSIFVLAN, brctl's, ...)
//!   are refused with EPERM and a `nlsim: ... not modelled` line: they are not simulated and
//!   would otherwise act on the host when the command runs as root.
//! - Interface ioctls (SIOCGIFINDEX, ...) on any socket are answered from the simulator.
//!
//! See `../shared/notes/interception.md` for why each of these is needed.

mod backend;
mod error;
mod filter;
mod ifioctl;
mod notif;
mod supervisor;
mod target;

pub use backend::{Backend, DataConn};
pub use error::{Errno, Error};

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{mpsc, Arc};

/// The child's pid, for forwarding signals from the handler.
static CHILD: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward_signal(sig: libc::c_int) {
    let pid = CHILD.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(pid, sig) };
    }
}

/// While the command runs, terminal signals go to it, not to us: Ctrl-C reaches the whole
/// foreground process group anyway, and SIGTERM/SIGHUP sent to `nlsim run` are passed on, so
/// the command decides how to exit and we still save state and report its status.
fn guard_signals() {
    // SAFETY: installing handlers/dispositions; the handler only calls kill.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
        let handler = forward_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGHUP, handler);
    }
}

fn socketpair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut sv = [0; 2];
    // SAFETY: socketpair writes two fds into the array.
    if unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
            sv.as_mut_ptr(),
        )
    } < 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned here.
    Ok(unsafe { (OwnedFd::from_raw_fd(sv[0]), OwnedFd::from_raw_fd(sv[1])) })
}

fn eventfd() -> io::Result<OwnedFd> {
    // SAFETY: plain syscall; the result is checked.
    let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd was just created and is owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Reads exactly `buf.len()` bytes; `false` on EOF or error.
fn read_full(fd: RawFd, buf: &mut [u8]) -> bool {
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: reading into the unfilled rest of a live buffer.
        let n = unsafe {
            libc::read(
                fd,
                buf[got..].as_mut_ptr() as *mut libc::c_void,
                buf.len() - got,
            )
        };
        if n < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        if n <= 0 {
            return false;
        }
        got += n as usize;
    }
    true
}

/// The child's half of the handshake, between the filter install and `exec`. The filter is
/// already active, so only unfiltered calls may be used: `write`/`read`, not `sendmsg`
/// (which would wait for a supervisor that does not have the listener yet). The parent takes
/// the listener with `pidfd_getfd`, then acknowledges.
///
/// Runs after fork in a possibly multi-threaded parent's child: raw system calls only.
fn child_handshake(sock: RawFd, prog: &[libc::sock_filter]) -> io::Result<()> {
    let (fd, err) = match filter::install(prog) {
        Ok(fd) => (fd, 0),
        Err(e) => (-1, e),
    };
    let mut msg = [0u8; 12];
    // SAFETY: getpid is always safe.
    let pid = unsafe { libc::getpid() };
    msg[..4].copy_from_slice(&pid.to_ne_bytes());
    msg[4..8].copy_from_slice(&fd.to_ne_bytes());
    msg[8..].copy_from_slice(&err.to_ne_bytes());
    // SAFETY: writing a live 12-byte buffer (atomic on a stream socket this small).
    if unsafe { libc::write(sock, msg.as_ptr() as *const libc::c_void, msg.len()) } != 12 {
        return Err(io::Error::last_os_error());
    }
    if err != 0 {
        return Err(io::Error::from_raw_os_error(err));
    }
    let mut ack = [0u8; 1];
    let ok = read_full(sock, &mut ack);
    // SAFETY: closing the listener fd we own in the child; the parent has its copy.
    unsafe { libc::close(fd) };
    if !ok {
        return Err(io::Error::from_raw_os_error(libc::ECHILD));
    }
    Ok(())
}

/// The parent's half: take the child's listener fd. `Err(errno)` if the child could not
/// install the filter.
fn parent_handshake(sock: &OwnedFd) -> Result<OwnedFd, Result<i32, io::Error>> {
    let mut msg = [0u8; 12];
    if !read_full(sock.as_raw_fd(), &mut msg) {
        return Err(Err(io::Error::other(
            "child exited before installing the filter",
        )));
    }
    let word = |i: usize| i32::from_ne_bytes([msg[i], msg[i + 1], msg[i + 2], msg[i + 3]]);
    let (pid, fd, err) = (word(0), word(4), word(8));
    if err != 0 {
        return Err(Ok(err));
    }
    let pidfd = target::pidfd_open(pid, 0).map_err(Err)?;
    // SAFETY: plain syscall on our pidfd; the result is checked.
    let r = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0) };
    if r < 0 {
        return Err(Err(io::Error::last_os_error()));
    }
    // SAFETY: pidfd_getfd returned a new fd owned here.
    let listener = unsafe { OwnedFd::from_raw_fd(r as RawFd) };
    // SAFETY: writing one byte from a live buffer.
    unsafe { libc::write(sock.as_raw_fd(), [1u8].as_ptr() as *const libc::c_void, 1) };
    Ok(listener)
}

fn unsupported(errno: i32) -> Error {
    let why = match errno {
        libc::EINVAL => {
            "the kernel lacks SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux >= 5.19 needed)"
                .to_string()
        }
        libc::EACCES | libc::EPERM => {
            "installing a seccomp filter is not permitted here (a container's seccomp profile?)"
                .to_string()
        }
        e => io::Error::from_raw_os_error(e).to_string(),
    };
    Error::Unsupported(why)
}

/// Runs `argv` under the supervisor until it exits and returns its status.
///
/// The supervisor stops when the command exits; descendants that outlive it lose the
/// simulator (their netlink calls then fail with ENOSYS). Installs signal dispositions for
/// the rest of the process (see [`guard_signals`]), so call it from a command-line tool.
pub fn run(backend: Arc<dyn Backend>, argv: &[OsString]) -> Result<ExitStatus, Error> {
    let (prog_name, args) = argv.split_first().ok_or(Error::EmptyCommand)?;
    let prog = filter::program();
    let (parent_sock, child_sock) = socketpair().map_err(Error::io("socketpair"))?;
    let stop = eventfd().map_err(Error::io("eventfd"))?;
    let stop_raw = stop.as_raw_fd();
    // The supervisor polls its own copy, so ours stays valid for `wake` whatever it does.
    let stop_copy = stop.try_clone().map_err(Error::io("eventfd"))?;
    let (setup_tx, setup_rx) = mpsc::channel::<Result<(), Result<i32, io::Error>>>();

    let supervisor = std::thread::Builder::new()
        .name("nlsim-supervisor".into())
        .spawn(move || match parent_handshake(&parent_sock) {
            Ok(listener) => {
                let _ = setup_tx.send(Ok(()));
                drop(parent_sock);
                supervisor::Supervisor::new(notif::Listener::new(listener), stop_copy, backend)
                    .run();
            }
            Err(e) => {
                let _ = setup_tx.send(Err(e));
            }
        })
        .map_err(Error::io("supervisor thread"))?;

    let child_raw = child_sock.as_raw_fd();
    let mut cmd = Command::new(prog_name);
    cmd.args(args);
    // SAFETY: the closure only makes raw system calls on memory prepared before the fork.
    unsafe {
        cmd.pre_exec(move || child_handshake(child_raw, &prog));
    }
    let spawned = cmd.spawn();
    // Our copy of the child's end must close so the handshake sees EOF if the child died.
    drop(child_sock);
    let mut child = match spawned {
        Ok(c) => c,
        Err(source) => {
            let setup = setup_rx.recv().unwrap_or(Ok(()));
            wake(stop_raw);
            let _ = supervisor.join();
            return Err(match setup {
                Err(Ok(errno)) => unsupported(errno),
                _ => Error::Spawn {
                    cmd: prog_name.to_string_lossy().into_owned(),
                    source,
                },
            });
        }
    };
    CHILD.store(child.id() as i32, Ordering::Relaxed);
    guard_signals();
    let status = loop {
        match child.wait() {
            Ok(s) => break s,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                wake(stop_raw);
                let _ = supervisor.join();
                return Err(Error::Io {
                    what: "waiting for the command",
                    source: e,
                });
            }
        }
    };
    CHILD.store(0, Ordering::Relaxed);
    wake(stop_raw);
    let _ = supervisor.join();
    drop(stop);
    Ok(status)
}

fn wake(fd: RawFd) {
    let one: u64 = 1;
    // SAFETY: writing 8 bytes from a live u64 to our eventfd.
    unsafe { libc::write(fd, &one as *const u64 as *const libc::c_void, 8) };
}

/// The exit code a shell would report: the code, or 128 + the signal that killed it.
pub fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}
