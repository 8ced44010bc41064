//! The simulator served on its caller's thread instead of one of its own: `nlsim run`'s
//! supervisor answers a trapped receive by running the loop itself (read the request, handle
//! it, queue the reply) and then receiving, so a request costs no hand-off between threads.
//!
//! The caller polls [`HostedSim::work_fd`] beside its own fds (it is readable whenever a
//! connection has input or a dump can go on) and calls [`HostedSim::serve`] when it is, and
//! when a receive it makes on a simulator socket finds nothing. Control requests and new
//! connections are calls under the same lock, from any thread (the state is saved from the
//! main thread after the command exits, while the supervisor may still be serving).

use crate::control::{ControlReply, ControlRequest};
use std::io;
use std::os::fd::{OwnedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What a hosted simulator runs: the server's loop, a round at a time (`Server` implements it).
pub(crate) trait Serve: Send {
    /// One round of the loop without waiting; the milliseconds until the next timer (-1: none).
    fn serve_ready(&mut self) -> i32;
    /// One control request, and what it queued written.
    fn control_now(&mut self, req: ControlRequest) -> ControlReply;
    /// A new data connection of process `pid` created by thread `tid`: the client end and
    /// the connection id.
    fn connect(&mut self, pid: u32, tid: u32) -> io::Result<(OwnedFd, u64)>;
}

/// A simulator without a thread: whoever calls [`HostedSim::serve`] runs it.
pub struct HostedSim {
    server: Mutex<Box<dyn Serve>>,
    /// The server's epoll fd (lives as long as `server`).
    work_fd: RawFd,
    pending_errors: Arc<AtomicUsize>,
}

impl HostedSim {
    /// Serves `server` on whichever thread calls [`HostedSim::serve`]; `work_fd` is its
    /// epoll fd, `pending_errors` its count of sockets with an error to take.
    pub(crate) fn new(
        server: Box<dyn Serve>,
        work_fd: RawFd,
        pending_errors: Arc<AtomicUsize>,
    ) -> Self {
        HostedSim {
            server: Mutex::new(server),
            work_fd,
            pending_errors,
        }
    }

    fn lock(&self) -> io::Result<MutexGuard<'_, Box<dyn Serve>>> {
        self.server
            .lock()
            .map_err(|_| io::Error::other("simulator stopped (it panicked)"))
    }

    /// Readable when [`HostedSim::serve`] has something to do.
    pub fn work_fd(&self) -> RawFd {
        self.work_fd
    }

    /// Handles what is ready, without waiting, and writes the replies it queued. Returns the
    /// milliseconds until the model's next timer (-1: none), when `serve` must run again
    /// even if nothing arrives: notifications of timers go out on time.
    pub fn serve(&self) -> i32 {
        match self.lock() {
            Ok(mut s) => s.serve_ready(),
            Err(_) => -1,
        }
    }

    /// Runs one control request, and writes what it queued (notifications, a dump).
    pub fn control(&self, req: ControlRequest) -> io::Result<ControlReply> {
        Ok(self.lock()?.control_now(req))
    }

    /// A new netlink socket of process `pid` created by thread `tid`: the client end (a
    /// non-blocking SOCK_SEQPACKET fd speaking raw netlink) and its connection id.
    pub fn connect_as_thread(&self, pid: u32, tid: u32) -> io::Result<(OwnedFd, u64)> {
        self.lock()?.connect(pid, tid)
    }

    /// Whether some socket has an error to take (see [`crate::Sim::errors_pending`]).
    pub fn errors_pending(&self) -> bool {
        self.pending_errors.load(Ordering::Relaxed) != 0
    }

    /// The model's state as JSON.
    pub fn dump_state(&self) -> io::Result<serde_json::Value> {
        match self.control(ControlRequest::DumpState)? {
            ControlReply::State { state } => Ok(state),
            other => Err(io::Error::other(format!("{other:?}"))),
        }
    }
}
