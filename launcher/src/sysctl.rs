//! `/proc/sys/net` under `nlsim run`: the simulated namespace's sysctls instead of the host's.
//!
//! - A path below `/proc/sys/net` (judged like every open, `paths.rs`) is looked up in the
//!   simulator ([`SysctlRequest`]); the parts it does not model (`net/core`, ...) are refused
//!   with EOPNOTSUPP and one `nlsim: ... not modelled` line, never opened on the host.
//! - A directory gets a stand-in directory listing the simulated entries (`ls`, `sysctl -a`).
//! - A file opened for reading gets a sealed memfd with its content.
//! - A file opened for writing gets one end of a `SOCK_SEQPACKET` pair, installed at a fixed
//!   fd number in [`FD_FIRST`]..=[`FD_LAST`]: the filter sends `write`/`writev`/`pwrite64`/
//!   `pwritev`/`pwritev2` on those numbers to the supervisor, which applies the value at
//!   write() time and answers with the proc handler's result (EINVAL for a bad value), as
//!   the kernel does. A program that moves the fd elsewhere (a shell's `echo 1 > f` dup2s it
//!   to 1) writes natively into the pair; the supervisor applies those datagrams before it
//!   answers the target's next trapped call, and reports a refused value on stderr since
//!   write() already succeeded.
//! - `stat`, `lstat`, `newfstatat`, `statx`, `readlink` and `readlinkat` of such a path are
//!   answered from the simulator too (sysctl(8) stats a key and readlinks every component of
//!   its path before it opens it); for an entry nlsim does not model they run natively.
//!
//! The caller is treated as root in its namespace (as for netlink), so root-only entries
//! (`stable_secret`, 0600) are readable and 0444 ones (`mc_forwarding`) not writable.

use crate::error::Errno;
use crate::statbuf;
use std::os::fd::{FromRawFd, OwnedFd};

pub(crate) const PROC_SYS_NET: &str = "/proc/sys/net";

/// The fd numbers sysctl files opened for writing are installed at (see the module doc).
pub(crate) const FD_FIRST: u32 = 1000;
pub(crate) const FD_LAST: u32 = 1015;

/// A sysctl operation, on `path` below `/proc/sys/net` (`""`: that directory).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum SysctlRequest {
    /// What the path is: [`SysctlAnswer::Entries`] with one entry (its name empty).
    Stat { path: String },
    /// A directory's entries, in readdir order: [`SysctlAnswer::Entries`].
    List { path: String },
    /// A file's content: [`SysctlAnswer::Text`].
    Read { path: String },
    /// `open` for writing: the permission check (EACCES, EISDIR); [`SysctlAnswer::Done`].
    OpenWrite { path: String },
    /// One `write` of `data` at file position `pos`: [`SysctlAnswer::Count`], the bytes the
    /// handler took, or its error.
    Write {
        path: String,
        data: Vec<u8>,
        pos: u64,
    },
}

/// An entry of the tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SysctlEntry {
    pub name: String,
    pub dir: bool,
    /// Permission bits (0o644, 0o444, 0o600 for files, 0o555 for directories).
    pub mode: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum SysctlAnswer {
    Entries { entries: Vec<SysctlEntry> },
    Text { text: String },
    Count { count: u64 },
    Done,
}

/// A sysctl file the target holds open for writing.
pub(crate) struct SysctlFile {
    /// Below `/proc/sys/net`.
    pub path: String,
    /// The namespace the file was opened in (the kernel binds the file to its table then).
    pub netns: Option<u32>,
    /// The opening thread (its namespace when `netns` is unknown).
    pub tid: u32,
    /// The file position (`ki_pos`): writes past 0 are ignored (sysctl_writes_strict).
    pub pos: u64,
    /// Our end of the pair: data the target wrote natively, hang-up once it closed its end.
    pub peer: OwnedFd,
}

/// Our end and the target's end of a new write stand-in.
pub(crate) fn stand_in() -> Result<(OwnedFd, OwnedFd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: socketpair fills the two-element array; the result is checked.
    let r = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if r < 0 {
        return Err(Errno::last());
    }
    // SAFETY: socketpair returned two new fds owned here.
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: fcntl on our own fd.
    unsafe {
        let fl = libc::fcntl(fds[0], libc::F_GETFL);
        libc::fcntl(fds[0], libc::F_SETFL, fl | libc::O_NONBLOCK);
    }
    Ok((ours, theirs))
}

/// The path below `/proc/sys/net` of a folded absolute path, if it is one.
pub(crate) fn below(path: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(path).ok()?;
    let rest = s.strip_prefix(PROC_SYS_NET)?;
    if !rest.is_empty() && !rest.starts_with('/') {
        return None;
    }
    Some(rest.trim_matches('/').to_string())
}

/// `sysctl`-style name of a path, for messages (`net.ipv4.ip_forward`).
pub(crate) fn key_name(path: &str) -> String {
    let mut s = String::from("net");
    for c in path.split('/').filter(|c| !c.is_empty()) {
        s.push('.');
        s.push_str(c);
    }
    s
}

/// The `st_dev` of procfs on this host (what the kernel reports for a sysctl file).
fn proc_dev() -> u64 {
    // SAFETY: stat of a NUL-terminated path into a zeroed struct.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::stat(c"/proc/sys".as_ptr(), &mut st) == 0 {
            st.st_dev
        } else {
            0
        }
    }
}

/// A stable inode number for a path (sysctl inodes are allocated per lookup anyway).
fn ino_of(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }) | 1
}

/// `struct stat` of an entry (proc_sys_getattr: mode, nlink 1, root's, size 0).
pub(crate) fn stat_bytes(path: &str, e: &SysctlEntry) -> Vec<u8> {
    statbuf::stat_bytes(&inode_of(path, e))
}

/// `struct statx` of an entry (STATX_BASIC_STATS).
pub(crate) fn statx_bytes(path: &str, e: &SysctlEntry) -> Vec<u8> {
    statbuf::statx_bytes(&inode_of(path, e))
}

fn inode_of(path: &str, e: &SysctlEntry) -> statbuf::Inode {
    let kind = if e.dir { libc::S_IFDIR } else { libc::S_IFREG };
    statbuf::Inode {
        dev: proc_dev(),
        ino: ino_of(path),
        mode: kind | e.mode,
        blksize: 1024,
        time: statbuf::now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_below_proc_sys_net() {
        assert_eq!(below(b"/proc/sys/net"), Some(String::new()));
        assert_eq!(
            below(b"/proc/sys/net/ipv4/conf/eth0/forwarding"),
            Some("ipv4/conf/eth0/forwarding".into())
        );
        assert_eq!(below(b"/proc/sys/network"), None);
        assert_eq!(below(b"/proc/sys/kernel/hostname"), None);
        assert_eq!(key_name("ipv4/ip_forward"), "net.ipv4.ip_forward");
    }
}
