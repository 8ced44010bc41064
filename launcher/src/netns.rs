//! Network namespaces for targets: the system calls of `ip netns add/del/exec/list`, `ip -n`,
//! `unshare -n`-style programs and `setns` users, answered from the simulator.
//!
//! The simulator owns the namespaces, `/run/netns` and which task is in which namespace
//! (see the `nlsim` crate's `netns_ref` and the model's `nsproxy`). Here we recognise the
//! paths and calls and turn them into [`NetnsRequest`]s:
//!
//! - `open` of `/run/netns/NAME` or `/proc/<pid>[/task/<tid>]/ns/net` gives the target a
//!   stand-in for the nsfs file: one end of a socket pair whose inode the simulator knows
//!   ([`NetnsRequest::Hold`]). Like an nsfs fd it holds the namespace alive until the target's
//!   last copy is closed (the launcher sees its end hang up: [`NetnsRequest::Release`]). The
//!   simulator finds the inode through `/proc/<pid>/fd/<fd>` when such an fd arrives in
//!   IFLA_NET_NS_FD or NETNSA_FD, and `setns` looks it up here.
//! - `open` of `/run/netns` itself gives a real directory that mirrors the entries, so
//!   `readdir` and `flock` work natively.
//! - `mkdir`, `mount` (bind of a namespace onto an entry; propagation changes of the
//!   directory), `umount2` and `unlink` under `/run/netns` change the simulator's table.
//! - `unshare(CLONE_NEWNET)` and `setns` move the calling thread; children inherit.
//! - `unshare(CLONE_NEWNS)` (what `ip netns exec` does to remount `/sys`) is emulated for a
//!   caller without CAP_SYS_ADMIN (root makes a real, private one): the sysfs files the
//!   launcher serves already follow the caller's namespace, so the remount `ip netns exec`
//!   then does is answered without mounting anything. Any other mount in such a process is
//!   refused.

use crate::error::Errno;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};

/// The memfd name of an entry of `/run/netns` with nothing mounted on it.
pub const PLAIN_FILE: &str = "nlsim-netns-file";

/// A network namespace operation on the simulator (one per emulated system call). The same
/// type is the control protocol's `Netns` request (`nlsim::control`), serialised as JSON
/// tagged by `call`. Namespace ids are the simulator's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum NetnsRequest {
    /// `unshare(CLONE_NEWNET)` by thread `tid`: answered with the new namespace's id; the
    /// thread is in it from now on.
    Unshare { tid: u32 },
    /// `setns(stand-in of namespace netns, CLONE_NEWNET)` by thread `tid`.
    Setns { tid: u32, netns: u32 },
    /// The namespace task `tid` is in (`/proc/<tid>/ns/net`; ESRCH: no such task).
    OfTask { tid: u32 },
    /// `mkdir /run/netns` (EEXIST once it exists).
    Mkdir,
    /// `open("/run/netns/NAME", O_CREAT [| O_EXCL])`.
    Create { name: String, excl: bool },
    /// `open("/run/netns/NAME")`: the namespace mounted there, none for a plain file.
    Lookup { name: String },
    /// `mount(<namespace netns>, "/run/netns/NAME", MS_BIND)`.
    Mount { name: String, netns: u32 },
    /// `umount2("/run/netns/NAME")`.
    Umount { name: String },
    /// `unlink("/run/netns/NAME")`.
    Unlink { name: String },
    /// The entries of `/run/netns` (ENOENT while it does not exist).
    List,
    /// A stand-in (socket inode `ino`) for an nsfs file of namespace `netns` was handed to a
    /// target: it keeps the namespace alive and names it in IFLA_NET_NS_FD / NETNSA_FD.
    Hold { netns: u32, ino: u64 },
    /// The target closed its last copy of stand-in `ino`.
    Release { ino: u64 },
    /// The nsfs inode number of namespace `netns` (`net->ns.inum`; EINVAL: none such).
    Inum { netns: u32 },
}

/// What a [`NetnsRequest`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetnsAnswer {
    Done,
    Netns(u32),
    Entry(Option<u32>),
    Names(Vec<String>),
}

/// Whose `ns/net` a `/proc` path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NsTask {
    /// `/proc/self`: the caller's thread group.
    OwnProcess,
    /// `/proc/thread-self`: the calling thread.
    OwnThread,
    /// `/proc/<pid>` or `/proc/<pid>/task/<tid>`.
    Task(u32),
}

/// A path the namespace emulation answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NsPath {
    /// `/run/netns` (or `/var/run/netns`).
    RunDir,
    /// `/run/netns/NAME`.
    Entry(String),
    /// A task's `ns/net`.
    NsFile(NsTask),
}

const RUN_DIRS: [&[u8]; 2] = [b"/run/netns", b"/var/run/netns"];

/// Classifies an absolute path (relative paths and other files: `None`, run natively).
pub(crate) fn classify(path: &[u8]) -> Option<NsPath> {
    let p = path.strip_suffix(b"/").unwrap_or(path);
    for dir in RUN_DIRS {
        if p == dir {
            return Some(NsPath::RunDir);
        }
        if let Some(name) = p.strip_prefix(dir).and_then(|r| r.strip_prefix(b"/")) {
            if name.is_empty() || name.contains(&b'/') {
                return None;
            }
            return Some(NsPath::Entry(String::from_utf8_lossy(name).into_owned()));
        }
    }
    let rest = p.strip_prefix(b"/proc/")?.strip_suffix(b"/ns/net")?;
    let num = |s: &[u8]| std::str::from_utf8(s).ok()?.parse::<u32>().ok();
    let mut parts = rest.split(|b| *b == b'/');
    let first = parts.next()?;
    let task = match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => match first {
            b"self" => NsTask::OwnProcess,
            b"thread-self" => NsTask::OwnThread,
            n => NsTask::Task(num(n)?),
        },
        (Some(b"task"), Some(t), None) => NsTask::Task(num(t)?),
        _ => return None,
    };
    Some(NsPath::NsFile(task))
}

/// The socket inode in a `/proc/<pid>/fd/<fd>` link (`socket:[ino]`).
pub fn socket_ino(link: &[u8]) -> Option<u64> {
    let rest = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    std::str::from_utf8(rest).ok()?.parse().ok()
}

/// Whether a link names a plain entry of `/run/netns` (no namespace mounted on it).
pub(crate) fn is_plain_file(link: &[u8]) -> bool {
    link.strip_prefix(b"/memfd:")
        .is_some_and(|r| r.starts_with(PLAIN_FILE.as_bytes()))
}

/// The stand-in of a plain entry: an empty memfd with the given name.
pub(crate) fn plain_file(name: &str) -> Result<OwnedFd, Errno> {
    let c = std::ffi::CString::new(name).map_err(|_| Errno(libc::EINVAL))?;
    // SAFETY: memfd_create with a NUL-terminated name; the result is checked.
    let fd = unsafe { libc::memfd_create(c.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: memfd_create returned a new fd owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Real directories that mirror `/run/netns` for `readdir`: every open gets a fresh
/// snapshot with one empty file per entry, created oldest first. On tmpfs (`/dev/shm` when
/// it is writable) the kernel lists a directory newest first, as the oracle's `/run` does
/// (Linux 6.1, and 6.12.y since tmpfs iterates `d_children` again); other hosts may order
/// them differently.
pub(crate) struct MirrorDir {
    path: PathBuf,
    snapshots: u32,
}

impl MirrorDir {
    pub(crate) fn new() -> Result<Self, Errno> {
        Self::with_tag("run-netns")
    }

    /// A mirror directory named after `tag` (`nlsim-<tag>-<pid>-<n>`).
    pub(crate) fn with_tag(tag: &str) -> Result<Self, Errno> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "nlsim-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let io = |e: std::io::Error| Errno(e.raw_os_error().unwrap_or(libc::EIO));
        let shm = Path::new("/dev/shm").join(&name);
        let path = match std::fs::create_dir(&shm) {
            Ok(()) => shm,
            Err(_) => {
                let tmp = std::env::temp_dir().join(&name);
                std::fs::create_dir(&tmp).map_err(io)?;
                tmp
            }
        };
        Ok(MirrorDir { path, snapshots: 0 })
    }

    /// A new directory holding exactly `names` (oldest first), to be opened once.
    pub(crate) fn snapshot(&mut self, names: &[String]) -> Result<PathBuf, Errno> {
        let io = |e: std::io::Error| Errno(e.raw_os_error().unwrap_or(libc::EIO));
        self.snapshots += 1;
        let dir = self.path.join(self.snapshots.to_string());
        std::fs::create_dir(&dir).map_err(io)?;
        for n in names {
            std::fs::File::create(dir.join(n)).map_err(io)?;
        }
        Ok(dir)
    }

    /// A new directory of symbolic links `name -> <target of name>` (what `/sys/class/net`
    /// holds), to be opened once.
    pub(crate) fn snapshot_links(&mut self, links: &[(String, String)]) -> Result<PathBuf, Errno> {
        let io = |e: std::io::Error| Errno(e.raw_os_error().unwrap_or(libc::EIO));
        self.snapshots += 1;
        let dir = self.path.join(self.snapshots.to_string());
        std::fs::create_dir(&dir).map_err(io)?;
        for (name, target) in links {
            std::os::unix::fs::symlink(target, dir.join(name)).map_err(io)?;
        }
        Ok(dir)
    }

    /// A new directory `<snapshot>/<dev>` holding one empty file per attribute (attributes
    /// with a `/` get their subdirectory), to be opened once.
    pub(crate) fn snapshot_device(&mut self, dev: &str, attrs: &[&str]) -> Result<PathBuf, Errno> {
        let io = |e: std::io::Error| Errno(e.raw_os_error().unwrap_or(libc::EIO));
        self.snapshots += 1;
        let dir = self.path.join(self.snapshots.to_string()).join(dev);
        std::fs::create_dir_all(&dir).map_err(io)?;
        for a in attrs {
            let file = dir.join(a);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::File::create(file).map_err(io)?;
        }
        Ok(dir)
    }

    /// The directory the snapshots are made in.
    pub(crate) fn base(&self) -> &Path {
        &self.path
    }
}

impl Drop for MirrorDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(classify(b"/run/netns"), Some(NsPath::RunDir));
        assert_eq!(classify(b"/var/run/netns/"), Some(NsPath::RunDir));
        assert_eq!(
            classify(b"/run/netns/ns1"),
            Some(NsPath::Entry("ns1".into()))
        );
        assert_eq!(classify(b"/run/netns/a/b"), None);
        assert_eq!(
            classify(b"/proc/self/ns/net"),
            Some(NsPath::NsFile(NsTask::OwnProcess))
        );
        assert_eq!(
            classify(b"/proc/thread-self/ns/net"),
            Some(NsPath::NsFile(NsTask::OwnThread))
        );
        assert_eq!(
            classify(b"/proc/42/task/43/ns/net"),
            Some(NsPath::NsFile(NsTask::Task(43)))
        );
        assert_eq!(
            classify(b"/proc/42/ns/net"),
            Some(NsPath::NsFile(NsTask::Task(42)))
        );
        assert_eq!(classify(b"/proc/42/ns/mnt"), None);
        assert_eq!(classify(b"/proc/x/ns/net"), None);
        assert_eq!(classify(b"/etc/passwd"), None);
    }

    #[test]
    fn stand_in_names() {
        assert_eq!(socket_ino(b"socket:[1234]"), Some(1234));
        assert_eq!(socket_ino(b"/memfd:nlsim-netns-file (deleted)"), None);
        assert!(is_plain_file(b"/memfd:nlsim-netns-file (deleted)"));
        assert!(!is_plain_file(b"socket:[1234]"));
    }
}
