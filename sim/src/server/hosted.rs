//! The simulator served on its caller's thread instead of one of its own: `nlsim run`'s
//! supervisor answers a trapped receive by running the loop itself (read the request, handle
//! it, queue the reply) and then receiving, so a request costs no hand-off between threads.
//!
//! The caller polls [`HostedSim::work_fd`] beside its own fds (it is readable whenever a
//! connection has input or a dump can go on) and calls [`HostedSim::serve`] when it is, and
//! when a receive it makes on a simulator socket finds nothing. Control requests and new
//! connections are calls under the same lock, from any thread (the state is saved from the
//! main thread after the command exits, while the supervisor may still be serving).

use super::{seqpacket_pair, Server};
use crate::api::SimBuilder;
use crate::control::{ControlReply, ControlRequest};
use std::io;
use std::os::fd::{OwnedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};

/// A simulator without a thread: whoever calls [`HostedSim::serve`] runs it.
pub struct HostedSim {
    server: Mutex<Server>,
    /// The server's epoll fd (lives as long as `server`).
    work_fd: RawFd,
    pending_errors: Arc<AtomicUsize>,
}

impl SimBuilder {
    /// A simulator served by its caller (see [`HostedSim`]), also serving daemon connections
    /// on `listener` when given (`nlsim run --listen`).
    pub fn start_hosted(self, listener: Option<OwnedFd>) -> io::Result<HostedSim> {
        // No thread sends commands: the channel and the wake-up stay idle.
        let (_no_cmds, rx) = mpsc::channel();
        let server = self.server(rx, super::new_eventfd()?, listener)?;
        Ok(HostedSim {
            work_fd: server.poller.raw(),
            pending_errors: server.pending_errors(),
            server: Mutex::new(server),
        })
    }
}

impl HostedSim {
    fn lock(&self) -> io::Result<MutexGuard<'_, Server>> {
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
        let Ok(mut s) = self.lock() else {
            return -1;
        };
        // An epoll failure leaves nothing to handle; the next call tries again.
        let _ = s.step(0);
        s.timer_timeout_ms()
    }

    /// Runs one control request, and writes what it queued (notifications, a dump).
    pub fn control(&self, req: ControlRequest) -> io::Result<ControlReply> {
        let mut s = self.lock()?;
        let reply = s.control(req);
        s.flush_all();
        Ok(reply)
    }

    /// A new netlink socket of process `pid` created by thread `tid`: the client end (a
    /// non-blocking SOCK_SEQPACKET fd speaking raw netlink) and its connection id.
    pub fn connect_as_thread(&self, pid: u32, tid: u32) -> io::Result<(OwnedFd, u64)> {
        let (client, server_end) = seqpacket_pair()?;
        let conn = self.lock()?.attach(server_end, pid, tid, false);
        Ok((client, conn))
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
