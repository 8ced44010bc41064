//! `nlsim run`'s mechanism: run an unmodified command with every NETLINK_ROUTE socket of it
//! and of its descendants served by a simulator, without privileges.
//!
//! The command is started vfork-style with a seccomp filter installed before `exec`
//! (`SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV`; see
//! `spawn.rs`). Notified system calls go to a supervisor thread of this process:
//!
//! - `socket(AF_NETLINK, type, NETLINK_ROUTE)` gets a SEQPACKET connection to the simulator,
//!   injected with `SECCOMP_IOCTL_NOTIF_ADDFD` + `SECCOMP_ADDFD_FLAG_SEND`; other netlink
//!   protocols get `EPROTONOSUPPORT` and one line on stderr.
//! - On those fds (recognised by socket inode, so dup/fork/SCM_RIGHTS copies work),
//!   bind/connect/getsockname/getpeername/get+setsockopt and recvfrom/recvmsg are emulated;
//!   sends are not trapped at all (the simulator autobinds on the first datagram, and
//!   getsockname accounts for one it has not read yet). Every other fd is left alone
//!   (CONTINUE).
//! - `open` of `/dev/net/tun` gets a stand-in whose tun ioctls the simulator answers, and
//!   `open` of `/sys/class/net/<dev>/<attr>` the model's content (see `devtun.rs`, `sysfs.rs`);
//!   every other open runs natively.
//! - Network namespaces are the simulator's: `unshare`/`setns` of a network namespace, and
//!   `mkdir`/`open`/`mount`/`umount2`/`unlink` under `/run/netns` and of `/proc/*/ns/net`,
//!   are emulated (`netns.rs`), so `ip netns add/del/exec/list` and `ip -n` work; their
//!   `statfs`, `stat`, `readlink` and inotify (and `fstat`/`fstatfs` of the fds opened on
//!   them) show nsfs files, one inode per simulated namespace (`nsfs.rs`).
//! - The legacy device-creating ioctls (TUNSETIFF on a real tun fd, SIOCSIFVLAN, brctl's,
//!   ...) are refused with EPERM and a `nlsim: ... not modelled` line: they are not
//!   simulated and would otherwise act on the host when the command runs as root.
//! - Interface ioctls (SIOCGIFINDEX, ...) on any socket are answered from the simulator.
//! - `/proc/sys/net` is the simulated namespace's (`sysctl.rs`): opens, path stats and
//!   readlinks of it are answered from the simulator, and writes to a sysctl file are applied
//!   at write() time with the proc handler's answer; the parts nlsim does not model are
//!   refused, never the host's.
//!
//! An embedded simulator runs on the supervisor thread itself ([`Backend::work_fd`],
//! [`Backend::serve`]): a trapped receive that finds nothing yet runs it (the request the
//! target sent is handled, the reply queued) and receives at once, so a request costs the
//! target's two trapped receives and no hand-off between threads.
//!
//! See `../shared/notes/interception.md` for why each of these is needed.

mod backend;
mod devtun;
mod error;
mod filter;
mod host_sockopts;
mod ifioctl;
pub mod inband;
pub mod netns;
mod notif;
mod nsfs;
mod paths;
mod preload;
mod procnet;
mod sockios;
mod spawn;
mod statbuf;
mod supervisor;
mod sysctl;
mod sysfs;
mod target;

pub use backend::{
    Backend, Cred, DataConn, Ifreq, NetnsAnswer, NetnsRequest, SysctlAnswer, SysctlEntry,
    SysctlRequest, SysfsError, TunIoctl,
};
pub use error::{Errno, Error};

use spawn::SpawnError;
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
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

fn eventfd() -> io::Result<OwnedFd> {
    // SAFETY: plain syscall; the result is checked.
    let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd was just created and is owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
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
/// The supervisor stops when the command exits (its thread ends on its own, shortly after
/// this returns); descendants that outlive it lose the simulator (their netlink calls then
/// fail with ENOSYS). Installs signal dispositions for the rest of the process (see
/// [`guard_signals`]), so call it from a command-line tool.
pub fn run(backend: Arc<dyn Backend>, argv: &[OsString]) -> Result<ExitStatus, Error> {
    run_with(backend, argv, RunOptions::default())
}

/// How [`run_with`] runs the command.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// The receive fast path (`preload`): a library preloaded into dynamically linked
    /// targets receives natively on simulator sockets. Only with a simulator served on the
    /// supervisor's thread ([`Backend::work_fd`]); ignored elsewhere.
    pub fast_recv: bool,
}

/// [`run`] with options.
pub fn run_with(
    backend: Arc<dyn Backend>,
    argv: &[OsString],
    opts: RunOptions,
) -> Result<ExitStatus, Error> {
    let prog_name = argv.first().ok_or(Error::EmptyCommand)?;
    let fast_recv = opts.fast_recv && preload::SUPPORTED && backend.work_fd().is_some();
    // Removed when this returns; a descendant that outlives the command and execs then
    // runs without the library (its receives trap).
    let preload_file = if fast_recv {
        Some(preload::PreloadFile::create().map_err(Error::io("writing the preload library"))?)
    } else {
        None
    };
    let ld_preload = preload_file.as_ref().map(|p| p.ld_preload());
    let prog = filter::program(fast_recv);
    let stop = eventfd().map_err(Error::io("eventfd"))?;
    let stop_raw = stop.as_raw_fd();
    // The supervisor polls its own copy, so ours stays valid for `wake` whatever it does.
    let stop_copy = stop.try_clone().map_err(Error::io("eventfd"))?;
    // Started before the command so its startup overlaps the clone and exec; it waits for
    // the listener (and ends without one if the command does not start).
    let (listener_tx, listener_rx) = mpsc::channel::<OwnedFd>();
    let finish_first = Arc::new(AtomicBool::new(false));
    let finish_first_sup = finish_first.clone();
    let supervisor = std::thread::Builder::new()
        .name("nlsim-supervisor".into())
        .spawn(move || {
            if let Ok(listener) = listener_rx.recv() {
                supervisor::Supervisor::new(
                    notif::Listener::new(listener),
                    stop_copy,
                    backend,
                    finish_first_sup,
                    fast_recv,
                )
                .run();
            }
        })
        .map_err(Error::io("supervisor thread"))?;
    let spawned = match spawn::spawn(&prog, argv, ld_preload.as_ref()) {
        Ok(s) => s,
        Err(e) => {
            drop(listener_tx);
            let _ = supervisor.join();
            return Err(match e {
                SpawnError::Filter(errno) => unsupported(errno),
                SpawnError::Exec(source) => Error::Spawn {
                    cmd: prog_name.to_string_lossy().into_owned(),
                    source,
                },
                SpawnError::Clone(source) => Error::Io {
                    what: "starting the command",
                    source,
                },
            });
        }
    };
    let pid = spawned.pid;
    // The receiver lives as long as the supervisor thread, which only ends after receiving
    // or when we drop the sender: the send cannot fail while we still hold it.
    let _ = listener_tx.send(spawned.listener);
    CHILD.store(pid, Ordering::Relaxed);
    guard_signals();
    let mut status = 0;
    loop {
        // SAFETY: waiting for our own child into a live int.
        if unsafe { libc::waitpid(pid, &mut status, 0) } >= 0 {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            wake(stop_raw);
            let _ = supervisor.join();
            return Err(Error::Io {
                what: "waiting for the command",
                source: e,
            });
        }
    }
    CHILD.store(0, Ordering::Relaxed);
    // The supervisor is told to stop but not waited for: it has nothing left to finish (an
    // answer it still owed went to a process that is gone), and joining it would cost the
    // caller, who is about to exit, a wake-up and a context switch.
    wake(stop_raw);
    if finish_first.load(Ordering::Relaxed) {
        // Except after tun files or namespace files were opened: closing them may delete
        // devices or namespaces, which the caller's saved state must show, so the
        // supervisor finishes first.
        let _ = supervisor.join();
    } else {
        drop(supervisor);
    }
    drop(stop);
    Ok(ExitStatus::from_raw(status))
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
