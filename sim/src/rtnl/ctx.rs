//! The requesting socket, as the handlers need it.

use crate::wire::ack::SockAckFlags;
use kernel_model::{KernelError, NetnsId};

/// The socket a request came from, as the handlers need it.
#[derive(Debug, Clone, Copy)]
pub struct SockCtx {
    pub portid: u32,
    pub ack: SockAckFlags,
    pub strict_chk: bool,
    pub netns: NetnsId,
    /// Thread-group id of the socket's process: whose fds IFLA_NET_NS_FD / NETNSA_FD name
    /// (see `crate::netns_ref`).
    pub pid: u32,
    /// `nlk->max_recvmsg_len` (0 until the client says): dump rounds fill up to this.
    pub max_recvmsg_len: usize,
}

/// A namespace reference in a request: IFLA_NET_NS_PID / IFLA_NET_NS_FD (and NETNSA_PID /
/// NETNSA_FD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NsRef {
    Pid(u32),
    Fd(u32),
}

/// Resolves a [`NsRef`] for the requesting socket (`get_net_ns_by_pid` / `get_net_ns_by_fd`).
pub type NsResolve<'a> = &'a dyn Fn(NsRef) -> Result<NetnsId, KernelError>;
