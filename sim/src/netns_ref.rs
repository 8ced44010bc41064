//! `get_net_ns_by_fd` / `get_net_ns_by_pid` for the simulator: which simulated namespace an
//! fd or a process id of the requesting process names (IFLA_NET_NS_FD, IFLA_NET_NS_PID,
//! NETNSA_FD, NETNSA_PID), and which namespace a task is in.
//!
//! Under `nlsim run` the launcher hands a target a stand-in fd whenever it opens a namespace
//! file (`/run/netns/NAME`, `/proc/<pid>/ns/net`): one end of a socket pair whose inode the
//! model knows (`Kernel::ns_file`; see `launcher/src/netns.rs`); the simulator finds the
//! inode through `/proc/<pid>/fd/<fd>`. Tasks the launcher has seen enter a namespace (`unshare`, `setns`)
//! are in the model's task table; their descendants inherit it (found through the parent
//! chain in `/proc`), and every other process is in the initial namespace.

use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, NetnsId};

use nlsim_launcher::netns::socket_ino;

/// `get_net_ns_by_fd(fd)` as seen from process `pid` (the requesting socket's process).
/// Errors as the kernel's: EBADF for an fd the process does not have, EINVAL for an fd that
/// is not a network namespace.
pub fn by_fd(k: &Kernel, pid: u32, fd: u32) -> Result<NetnsId, KernelError> {
    let link = std::fs::read_link(format!("/proc/{pid}/fd/{fd}"))
        .map_err(|_| KernelError::new(errno::EBADF))?;
    if let Some(ns) = socket_ino(link.as_os_str().as_encoded_bytes()).and_then(|i| k.ns_file(i)) {
        return Ok(ns);
    }
    let link = link.to_string_lossy();
    if link.starts_with("net:[") {
        return Err(KernelError::not_modelled(format!(
            "a real network namespace fd ({link}; only namespaces opened under nlsim run are simulated)"
        )));
    }
    Err(KernelError::new(errno::EINVAL))
}

/// `get_net_ns_by_pid(pid)`: ESRCH when no such process exists.
pub fn by_pid(k: &Kernel, pid: u32) -> Result<NetnsId, KernelError> {
    if pid == 0 || std::fs::metadata(format!("/proc/{pid}")).is_err() {
        return Err(KernelError::new(errno::ESRCH));
    }
    Ok(task_netns(k, pid))
}

/// The start time of a task (field 22 of `/proc/<tid>/stat`), which tells a task from a
/// later one with the same id.
pub fn start_time(tid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{tid}/stat")).ok()?;
    // comm may contain spaces and parentheses: the fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_ascii_whitespace().nth(19)?.parse().ok()
}

/// `Tgid` and `PPid` of a task.
fn tgid_ppid(tid: u32) -> Option<(u32, u32)> {
    let status = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse().ok())
    };
    Some((field("Tgid:")?, field("PPid:")?))
}

/// `task->nsproxy->net_ns`: the task's own record, else its thread group leader's, else
/// the nearest ancestor's (a child starts in its parent's namespace), else init_net.
pub fn task_netns(k: &Kernel, tid: u32) -> NetnsId {
    if !k.has_tasks() {
        return k.init_net();
    }
    let lookup = |t: u32| start_time(t).and_then(|s| k.task_netns(t, s));
    let mut cur = tid;
    // Bounded: a parent chain is short, and /proc may change under us.
    for _ in 0..64 {
        if let Some(ns) = lookup(cur) {
            return ns;
        }
        let Some((tgid, ppid)) = tgid_ppid(cur) else {
            break;
        };
        if tgid != cur {
            if let Some(ns) = lookup(tgid) {
                return ns;
            }
        }
        if ppid <= 1 {
            break;
        }
        cur = ppid;
    }
    k.init_net()
}

/// Drops the records of tasks that exited (their start time no longer matches).
pub fn forget_exited_tasks(k: &mut Kernel) {
    let gone: Vec<u32> = k
        .tasks()
        .filter(|(tid, t)| start_time(*tid) != Some(t.start))
        .map(|(tid, _)| tid)
        .collect();
    for tid in gone {
        k.forget_task(tid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_start_time_is_stable() {
        let me = std::process::id();
        assert!(start_time(me).is_some());
        assert_eq!(start_time(me), start_time(me));
    }

    #[test]
    fn pid_without_process_is_esrch() {
        let k = Kernel::new(1);
        // pid_max is at most 2^22: this id cannot exist.
        assert_eq!(by_pid(&k, 5_000_000).unwrap_err().errno, errno::ESRCH);
        assert_eq!(by_pid(&k, std::process::id()).ok(), Some(k.init_net()));
    }

    #[test]
    fn fd_that_is_no_namespace() {
        let k = Kernel::new(1);
        let me = std::process::id();
        // fd 0..2 exist in a test process but are no namespace files.
        assert_eq!(by_fd(&k, me, 2).unwrap_err().errno, errno::EINVAL);
        assert_eq!(by_fd(&k, me, 1_000_000).unwrap_err().errno, errno::EBADF);
    }
}
