//! The supervisor's answers to the nsfs calls on namespace files (see `crate::nsfs`):
//! `statfs`, `fstatfs`, `fstat`, the stat and readlink calls of their paths, and
//! `inotify_add_watch` on `/run/netns`.

use super::Supervisor;
use crate::error::Errno;
use crate::netns::{NetnsAnswer, NetnsRequest, NsPath};
use crate::notif::Answer;
use crate::paths::{self, Caller};
use crate::target::Thread;
use std::os::fd::{AsRawFd, RawFd};
use std::path::PathBuf;

/// What a namespace path or fd names.
enum NsObject {
    /// The nsfs inode of a namespace (by id); `link`: named through a `/proc/<pid>/ns/net`
    /// link (readlink gives its text; an entry of `/run/netns` is no link).
    Netns { id: u32, link: bool },
    /// A real file of the live directory (`/run/netns` or a plain entry).
    Live(PathBuf),
}

/// The stat-family call being answered, with where its result goes.
#[derive(Clone, Copy)]
enum StatCall {
    Stat { buf: u64 },
    Statx { buf: u64, flags: i32, mask: u32 },
    Statfs { buf: u64 },
    Readlink { buf: u64, size: u64 },
    Access { mode: u64 },
}

impl Supervisor {
    /// `statfs`, `fstatfs`, `fstat` and `inotify_add_watch` (sent only for them: see filter.rs).
    pub(super) fn on_nsfs_call(&mut self, t: Thread, nr: libc::c_long, a: [u64; 6]) -> Answer {
        let found = match nr {
            libc::SYS_statfs => self.ns_path(t, libc::AT_FDCWD, a[0], true),
            libc::SYS_inotify_add_watch => {
                return self.nsfs_watch(t, a).unwrap_or(Answer::Continue);
            }
            _ => self.ns_fd(t, a[0]),
        };
        let call = match nr {
            libc::SYS_statfs | libc::SYS_fstatfs => StatCall::Statfs { buf: a[1] },
            _ => StatCall::Stat { buf: a[1] },
        };
        match found {
            Some(Ok(obj)) => self.nsfs_answer(t, obj, call),
            Some(Err(e)) => Answer::Fail(e),
            None => Answer::Continue,
        }
    }

    /// The stat, readlink and access calls of a namespace path (or, with AT_EMPTY_PATH, of a
    /// stand-in fd); `None`: not one, the caller goes on.
    pub(super) fn nsfs_path_info(
        &mut self,
        t: Thread,
        nr: libc::c_long,
        a: [u64; 6],
    ) -> Option<Answer> {
        const NOFOLLOW: i32 = libc::AT_SYMLINK_NOFOLLOW;
        let (dirfd, path, flags, call) = match nr {
            libc::SYS_newfstatat => (a[0] as i32, a[1], a[3] as i32, StatCall::Stat { buf: a[2] }),
            libc::SYS_statx => (
                a[0] as i32,
                a[1],
                a[2] as i32,
                StatCall::Statx {
                    buf: a[4],
                    flags: a[2] as i32,
                    mask: a[3] as u32,
                },
            ),
            libc::SYS_readlinkat => (
                a[0] as i32,
                a[1],
                NOFOLLOW,
                StatCall::Readlink {
                    buf: a[2],
                    size: a[3],
                },
            ),
            libc::SYS_faccessat | libc::SYS_faccessat2 => {
                (a[0] as i32, a[1], 0, StatCall::Access { mode: a[2] })
            }
            #[cfg(target_arch = "x86_64")]
            libc::SYS_stat => (libc::AT_FDCWD, a[0], 0, StatCall::Stat { buf: a[1] }),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_lstat => (libc::AT_FDCWD, a[0], NOFOLLOW, StatCall::Stat { buf: a[1] }),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_readlink => (
                libc::AT_FDCWD,
                a[0],
                NOFOLLOW,
                StatCall::Readlink {
                    buf: a[1],
                    size: a[2],
                },
            ),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_access => (libc::AT_FDCWD, a[0], 0, StatCall::Access { mode: a[1] }),
            _ => return None,
        };
        let empty = t
            .read_cstr(path, libc::PATH_MAX as usize)
            .is_ok_and(|p| p.is_empty());
        let found = if empty && flags & libc::AT_EMPTY_PATH != 0 {
            self.ns_fd(t, dirfd as u32 as u64)
        } else {
            // /proc/<pid>/ns/net is a symbolic link: lstat and readlink of it are of the link.
            let follow = flags & NOFOLLOW == 0 || matches!(call, StatCall::Readlink { .. });
            self.ns_path(t, dirfd, path, follow)
        };
        match found? {
            Ok(obj) => Some(self.nsfs_answer(t, obj, call)),
            Err(e) => Some(Answer::Fail(e)),
        }
    }

    /// The namespace object a path names. `follow`: a `/proc/<pid>/ns/net` link is followed
    /// (else it is the proc symlink, native: `None`, except for readlink).
    fn ns_path(
        &mut self,
        t: Thread,
        dirfd: i32,
        addr: u64,
        follow: bool,
    ) -> Option<Result<NsObject, Errno>> {
        let p = t.read_cstr(addr, libc::PATH_MAX as usize).ok()?;
        if p.is_empty() {
            return None;
        }
        // Most stats are of other files: an absolute path naming a namespace file holds
        // "net" and "ns" however it is spelled (`..` and `.` only add components).
        let has = |w: &[u8]| p.windows(w.len()).any(|x| x == w);
        if p[0] == b'/' && !(has(b"net") && has(b"ns")) {
            return None;
        }
        let abs = paths::absolute(t, dirfd, &p, None).ok()??;
        let who = Caller {
            tgid: t.tgid().unwrap_or(t.tid as u32),
            tid: t.tid as u32,
        };
        let path = crate::netns::classify(&paths::fold(&abs, who))?;
        if matches!(path, NsPath::NsFile(_)) && !follow {
            return None;
        }
        Some(self.ns_object(t, path))
    }

    fn ns_object(&mut self, t: Thread, path: NsPath) -> Result<NsObject, Errno> {
        let link = matches!(path, NsPath::NsFile(_));
        let op = match path {
            NsPath::NsFile(task) => {
                let tid = Self::ns_task(t, task);
                task_ns_reachable(tid)?;
                NetnsRequest::OfTask { tid }
            }
            NsPath::Entry(name) => NetnsRequest::Lookup { name },
            NsPath::RunDir => {
                let dir = self.nsfs_sync_live(t)?;
                return Ok(NsObject::Live(dir));
            }
        };
        let entry = match &op {
            NetnsRequest::Lookup { name } => Some(name.clone()),
            _ => None,
        };
        match self.netns_op(t, op) {
            Some(Ok(NetnsAnswer::Netns(id))) | Some(Ok(NetnsAnswer::Entry(Some(id)))) => {
                Ok(NsObject::Netns { id, link })
            }
            Some(Ok(NetnsAnswer::Entry(None))) => {
                let dir = self.nsfs_sync_live(t)?;
                Ok(NsObject::Live(dir.join(entry.unwrap_or_default())))
            }
            Some(Ok(_)) => Err(Errno(libc::EIO)),
            Some(Err(Errno(libc::ESRCH))) => Err(Errno(libc::ENOENT)),
            Some(Err(e)) => Err(e),
            None => Err(Errno(libc::EPERM)),
        }
    }

    /// The namespace of a stand-in fd; `None`: any other fd (native).
    fn ns_fd(&mut self, t: Thread, fd: u64) -> Option<Result<NsObject, Errno>> {
        let link = t.fd_link(fd)?;
        let ino = crate::netns::socket_ino(&link)?;
        let &(_, id) = self.ns_files.get(&ino)?;
        Some(Ok(NsObject::Netns { id, link: false }))
    }

    /// Brings the live directory in step with the simulator's `/run/netns` (ENOENT while it
    /// does not exist) and returns it.
    fn nsfs_sync_live(&mut self, t: Thread) -> Result<PathBuf, Errno> {
        let names = match self.netns_op(t, NetnsRequest::List) {
            Some(Ok(NetnsAnswer::Names(n))) => n,
            Some(Ok(_)) => return Err(Errno(libc::EIO)),
            Some(Err(e)) => return Err(e),
            None => return Err(Errno(libc::EPERM)),
        };
        // The supervisor must finish (and remove the directory) before `run` returns.
        self.finish_first
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.nsfs.sync_live(&names)
    }

    /// After a change of `/run/netns` by a target: the watchers of the live directory see
    /// it (IN_CREATE, IN_DELETE) before the call returns, as on the kernel.
    pub(super) fn nsfs_changed(&mut self, t: Thread) {
        if self.nsfs.has_live() {
            let _ = self.nsfs_sync_live(t);
        }
    }

    fn nsfs_answer(&mut self, t: Thread, obj: NsObject, call: StatCall) -> Answer {
        let r = match obj {
            NsObject::Netns { link: false, .. } if matches!(call, StatCall::Readlink { .. }) => {
                Err(Errno(libc::EINVAL))
            }
            NsObject::Netns { id, .. } => self.netns_answer(t, id, call),
            NsObject::Live(path) => live_answer(t, &path, call),
        };
        match r {
            Ok(v) => Answer::Value(v),
            Err(e) => Answer::Fail(e),
        }
    }

    fn netns_answer(&mut self, t: Thread, id: u32, call: StatCall) -> Result<i64, Errno> {
        let backend = self.backend.clone();
        let inode = self.nsfs.inode_of(id, || {
            match backend.netns(NetnsRequest::Inum { netns: id }) {
                Ok(NetnsAnswer::Netns(n)) => Ok(n),
                Ok(_) => Err(Errno(libc::EIO)),
                Err(e) => Err(e),
            }
        })?;
        match call {
            StatCall::Stat { buf } => t.write(buf, &crate::statbuf::stat_bytes(&inode))?,
            StatCall::Statx { buf, .. } => t.write(buf, &crate::statbuf::statx_bytes(&inode))?,
            StatCall::Statfs { buf } => t.write(buf, &crate::nsfs::statfs_bytes())?,
            StatCall::Readlink { buf, size } => {
                return readlink_answer(t, buf, size, &crate::nsfs::link_text(inode.ino as u32))
            }
            // The caller is root in its namespace: only X_OK of a 0444 file fails.
            StatCall::Access { mode } => {
                if mode & libc::X_OK as u64 != 0 {
                    return Err(Errno(libc::EACCES));
                }
            }
        }
        Ok(0)
    }

    /// `inotify_add_watch` on `/run/netns` (or an entry): made by us on the live directory,
    /// in the target's inotify instance (a copy of its fd), so the events are real.
    fn nsfs_watch(&mut self, t: Thread, a: [u64; 6]) -> Option<Answer> {
        let obj = match self.ns_path(t, libc::AT_FDCWD, a[1], true)? {
            Ok(NsObject::Live(path)) => path,
            // An nsfs inode gets no events from namespace changes: a watch that never fires.
            Ok(NsObject::Netns { .. }) => self.nsfs_sync_live(t).ok()?,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let fd = match self.fetch(t, a[0]) {
            Ok(fd) => fd,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let c = std::ffi::CString::new(obj.as_os_str().as_encoded_bytes()).ok()?;
        Some(match inotify_add_watch(fd.as_raw_fd(), &c, a[2] as u32) {
            Ok(wd) => Answer::Value(i64::from(wd)),
            Err(e) => Answer::Fail(e),
        })
    }

    /// Installs `fd` in the target at the first free number of `first..=last` (the numbers
    /// the filter sends the calls of; any free number when none is) and completes its call.
    pub(super) fn add_fd_in_range(
        &self,
        id: u64,
        t: Thread,
        fd: RawFd,
        (first, last): (u32, u32),
        cloexec: bool,
    ) -> std::io::Result<i32> {
        let free = (first..=last)
            .find(|n| std::fs::symlink_metadata(format!("/proc/{}/fd/{n}", t.tid)).is_err());
        match free {
            Some(n) => self
                .listener
                .add_fd_at_and_answer(id, fd, n, cloexec)
                .or_else(|e| match e.raw_os_error() {
                    // Beyond RLIMIT_NOFILE.
                    Some(libc::EMFILE) | Some(libc::EBADF) => {
                        self.listener.add_fd_and_answer(id, fd, cloexec)
                    }
                    _ => Err(e),
                }),
            None => self.listener.add_fd_and_answer(id, fd, cloexec),
        }
    }
}

/// proc_ns_get_link's `ptrace_may_access`: whether the caller may follow task `tid`'s
/// `ns/net` link, asked of the host's kernel as the supervisor (the targets' user): EACCES
/// for another user's process, ENOENT for none.
pub(super) fn task_ns_reachable(tid: u32) -> Result<(), Errno> {
    std::fs::read_link(format!("/proc/{tid}/ns/net"))
        .map(drop)
        .map_err(|e| Errno(e.raw_os_error().unwrap_or(libc::ENOENT)))
}

fn inotify_add_watch(fd: RawFd, path: &std::ffi::CStr, mask: u32) -> Result<i32, Errno> {
    // SAFETY: a watch on our own NUL-terminated path, in an inotify fd we hold.
    let wd = unsafe { libc::inotify_add_watch(fd, path.as_ptr(), mask) };
    if wd < 0 {
        return Err(Errno::last());
    }
    Ok(wd)
}

/// `readlink` of a link whose text is `text`: at most `size` bytes, no NUL (EINVAL for a
/// size <= 0, do_readlinkat).
fn readlink_answer(t: Thread, buf: u64, size: u64, text: &str) -> Result<i64, Errno> {
    if size as i32 <= 0 {
        return Err(Errno(libc::EINVAL));
    }
    let n = text.len().min(size as i32 as usize);
    t.write(buf, &text.as_bytes()[..n])?;
    Ok(n as i64)
}

/// A stat-family call answered with a real file of the live directory.
fn live_answer(t: Thread, path: &std::path::Path, call: StatCall) -> Result<i64, Errno> {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| Errno(libc::EINVAL))?;
    let check = |r: libc::c_int| if r < 0 { Err(Errno::last()) } else { Ok(()) };
    // SAFETY (all three): the syscall writes into a zeroed plain struct of the right type,
    // and the bytes are then copied to the target.
    match call {
        StatCall::Stat { buf } => unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            check(libc::stat(c.as_ptr(), &mut st))?;
            t.write(buf, as_bytes(&st))?;
        },
        StatCall::Statx { buf, flags, mask } => unsafe {
            let mut st: libc::statx = std::mem::zeroed();
            let flags = flags & !(libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW);
            check(libc::statx(
                libc::AT_FDCWD,
                c.as_ptr(),
                flags,
                mask,
                &mut st,
            ))?;
            t.write(buf, as_bytes(&st))?;
        },
        StatCall::Statfs { buf } => unsafe {
            let mut st: libc::statfs = std::mem::zeroed();
            check(libc::statfs(c.as_ptr(), &mut st))?;
            t.write(buf, as_bytes(&st))?;
        },
        // Neither /run/netns nor a plain file is a link.
        StatCall::Readlink { .. } => {
            check(unsafe { libc::access(c.as_ptr(), libc::F_OK) })?;
            return Err(Errno(libc::EINVAL));
        }
        StatCall::Access { mode } => check(unsafe { libc::access(c.as_ptr(), mode as i32) })?,
    }
    Ok(0)
}

/// A plain struct's bytes.
fn as_bytes<T>(v: &T) -> &[u8] {
    // SAFETY: viewing a live plain C struct as bytes for its lifetime.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, std::mem::size_of::<T>()) }
}
