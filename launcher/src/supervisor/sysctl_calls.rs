//! The supervisor's side of `/proc/sys/net` (`crate::sysctl`): opens, path stats and
//! readlinks, writes to the write stand-ins, and the datagrams a moved stand-in carried.

use super::Supervisor;
use crate::backend::SysfsError;
use crate::error::Errno;
use crate::netns::{NetnsAnswer, NetnsRequest};
use crate::notif::Answer;
use crate::paths::{self, Caller};
use crate::sysctl::{self, SysctlAnswer, SysctlEntry, SysctlFile, SysctlRequest};
use crate::target::{socket_inode_of, Thread, UIO_MAXIOV};
use std::os::fd::AsRawFd;
use std::path::PathBuf;

/// The most of one write() the supervisor reads from the target: the proc handlers parse
/// at most a page, and write() answers what they took.
const MAX_WRITE: usize = 1 << 20;

fn eio() -> SysfsError {
    SysfsError {
        errno: Errno(libc::EIO),
        msg: None,
    }
}

impl Supervisor {
    /// What `path` is in thread `t`'s namespace.
    fn sysctl_entry(&self, t: Thread, path: &str) -> Result<SysctlEntry, SysfsError> {
        let req = SysctlRequest::Stat { path: path.into() };
        match self.backend.sysctl(req, t.tid as u32, None)? {
            SysctlAnswer::Entries { entries } => entries.into_iter().next().ok_or_else(eio),
            _ => Err(eio()),
        }
    }

    /// A failed sysctl operation: its errno, and its message once per process.
    fn sysctl_failed(&mut self, t: Thread, e: SysfsError) -> Answer {
        if let Some(m) = e.msg {
            self.refusal_line(t, &m);
        }
        Answer::Fail(e.errno)
    }

    /// A path inside one of our directory stand-ins, read back as the `/proc/sys/net` path
    /// it stands for (`<base>/<n>/<path>`).
    pub(super) fn unmirror_sysctl(&self, abs: Vec<u8>) -> Vec<u8> {
        let Some(dir) = &self.sysctl_dir else {
            return abs;
        };
        let base = dir.base().as_os_str().as_encoded_bytes();
        let Some(after_n) = abs.strip_prefix(base).and_then(|r| r.strip_prefix(b"/")) else {
            return abs;
        };
        let tail = after_n
            .iter()
            .position(|b| *b == b'/')
            .map_or(&b""[..], |i| &after_n[i..]);
        let mut mapped = sysctl::PROC_SYS_NET.as_bytes().to_vec();
        mapped.extend_from_slice(tail);
        mapped
    }

    /// `open` of `/proc/sys/net/<path>`: a directory stand-in, a memfd with the content, or
    /// a write stand-in (see `crate::sysctl`).
    pub(super) fn open_sysctl(
        &mut self,
        id: u64,
        t: Thread,
        path: &str,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        let entry = match self.sysctl_entry(t, path) {
            Ok(e) => e,
            Err(e) => return Some(self.sysctl_failed(t, e)),
        };
        let acc = flags & libc::O_ACCMODE;
        if entry.dir {
            if acc != libc::O_RDONLY || flags & libc::O_CREAT != 0 {
                return Some(Answer::Fail(Errno(libc::EISDIR)));
            }
            return self.open_sysctl_dir(id, t, path, flags, cloexec);
        }
        if flags & libc::O_DIRECTORY != 0 {
            return Some(Answer::Fail(Errno(libc::ENOTDIR)));
        }
        match acc {
            libc::O_RDONLY => {
                let req = SysctlRequest::Read { path: path.into() };
                // The kernel fails the read() (EIO of an unset stable_secret); nlsim fails
                // the open, before the content exists.
                let text = match self.backend.sysctl(req, t.tid as u32, None) {
                    Ok(SysctlAnswer::Text { text }) => text,
                    Ok(_) => return Some(Answer::Fail(Errno(libc::EIO))),
                    Err(e) => return Some(self.sysctl_failed(t, e)),
                };
                let fd = match crate::sysfs::memfd_with(&text) {
                    Ok(fd) => fd,
                    Err(e) => return Some(Answer::Fail(e)),
                };
                self.inject(id, fd.as_raw_fd(), cloexec)
            }
            libc::O_WRONLY => self.open_sysctl_write(id, t, path, cloexec),
            _ => {
                self.refusal_line(
                    t,
                    &format!(
                        "nlsim: opening /proc/sys/net/{path} for reading and writing at once not modelled"
                    ),
                );
                Some(Answer::Fail(Errno(libc::EOPNOTSUPP)))
            }
        }
    }

    /// A directory: a fresh stand-in holding the simulated entries.
    fn open_sysctl_dir(
        &mut self,
        id: u64,
        t: Thread,
        path: &str,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        let req = SysctlRequest::List { path: path.into() };
        let entries = match self.backend.sysctl(req, t.tid as u32, None) {
            Ok(SysctlAnswer::Entries { entries }) => entries,
            Ok(_) => return Some(Answer::Fail(Errno(libc::EIO))),
            Err(e) => return Some(self.sysctl_failed(t, e)),
        };
        let dir = match self.sysctl_snapshot(path, &entries) {
            Ok(d) => d,
            Err(e) => return Some(Answer::Fail(e)),
        };
        self.open_dir_and_inject(id, &dir, flags, cloexec)
    }

    /// `<base>/<n>/<path>` with one empty file or directory per entry.
    fn sysctl_snapshot(&mut self, path: &str, entries: &[SysctlEntry]) -> Result<PathBuf, Errno> {
        if self.sysctl_dir.is_none() {
            self.sysctl_dir = Some(crate::netns::MirrorDir::with_tag("proc-sys-net")?);
        }
        let base = match &self.sysctl_dir {
            Some(d) => d.base().to_path_buf(),
            None => return Err(Errno(libc::ENOMEM)),
        };
        self.sysctl_snapshots += 1;
        let io = |e: std::io::Error| Errno(e.raw_os_error().unwrap_or(libc::EIO));
        let dir = base.join(self.sysctl_snapshots.to_string()).join(path);
        std::fs::create_dir_all(&dir).map_err(io)?;
        // Newest first is how tmpfs (/dev/shm) lists a directory: created in reverse, the
        // entries read back in the simulator's (proc_sys_readdir's) order.
        for e in entries.iter().rev() {
            if e.name.is_empty() || e.name.contains('/') || e.name == "." || e.name == ".." {
                continue;
            }
            let p = dir.join(&e.name);
            if e.dir {
                std::fs::create_dir(&p).map_err(io)?;
            } else {
                std::fs::File::create(&p).map_err(io)?;
            }
        }
        Ok(dir)
    }

    /// A file opened for writing: a write stand-in at a free fd number of the sysctl range
    /// (any free number if the range is full or beyond RLIMIT_NOFILE: its writes are then
    /// applied as datagrams).
    fn open_sysctl_write(
        &mut self,
        id: u64,
        t: Thread,
        path: &str,
        cloexec: bool,
    ) -> Option<Answer> {
        let tid = t.tid as u32;
        let req = SysctlRequest::OpenWrite { path: path.into() };
        if let Err(e) = self.backend.sysctl(req, tid, None) {
            return Some(self.sysctl_failed(t, e));
        }
        // The namespace the file belongs to from now on (the kernel's table is the opener's).
        let netns = if self.netns_used {
            match self.backend.netns(NetnsRequest::OfTask { tid }) {
                Ok(NetnsAnswer::Netns(n)) => Some(n),
                _ => None,
            }
        } else {
            None
        };
        let (ours, theirs) = match sysctl::stand_in() {
            Ok(p) => p,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let Some(ino) = socket_inode_of(theirs.as_raw_fd()) else {
            return Some(Answer::Fail(Errno(libc::EIO)));
        };
        let range = (sysctl::FD_FIRST, sysctl::FD_LAST);
        let placed = self.add_fd_in_range(id, t, theirs.as_raw_fd(), range, cloexec);
        match placed {
            Ok(_) => {
                self.sysctl_files.insert(
                    ino,
                    SysctlFile {
                        path: path.into(),
                        netns,
                        tid,
                        pos: 0,
                        peer: ours,
                    },
                );
                None
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => Some(Answer::Fail(e.into())),
        }
    }

    /// stat / lstat / newfstatat / statx / readlink / readlinkat / access / faccessat(2): a
    /// `/proc/sys/net` entry is the simulator's; anything else, and what nlsim does not model,
    /// runs natively.
    pub(super) fn on_path_info(&mut self, t: Thread, nr: libc::c_long, a: [u64; 6]) -> Answer {
        if let Some(answer) = self.nsfs_path_info(t, nr, a) {
            return answer;
        }
        #[cfg(target_arch = "x86_64")]
        let plain = matches!(
            nr,
            libc::SYS_stat | libc::SYS_lstat | libc::SYS_readlink | libc::SYS_access
        );
        #[cfg(not(target_arch = "x86_64"))]
        let plain = false;
        let (dirfd, path_at) = if plain {
            (libc::AT_FDCWD, a[0])
        } else {
            (a[0] as i32, a[1])
        };
        let Ok(p) = t.read_cstr(path_at, libc::PATH_MAX as usize) else {
            return Answer::Continue;
        };
        if p.is_empty() {
            return Answer::Continue;
        }
        let Ok(Some(abs)) = paths::absolute(t, dirfd, &p, None) else {
            return Answer::Continue;
        };
        let abs = self.unmirror_sysctl(abs);
        let who = Caller {
            tgid: t.tgid().unwrap_or(t.tid as u32),
            tid: t.tid as u32,
        };
        let Some(rel) = sysctl::below(&paths::fold(&abs, who)) else {
            return Answer::Continue;
        };
        let entry = match self.sysctl_entry(t, &rel) {
            Ok(e) => e,
            Err(e) if e.errno.0 == libc::EOPNOTSUPP => return Answer::Continue,
            Err(e) => return Answer::Fail(e.errno),
        };
        let (buf, bytes) = match nr {
            libc::SYS_readlinkat => return Answer::Fail(Errno(libc::EINVAL)),
            // The caller is root: the owner's bits (net_ctl_permissions); X_OK never.
            libc::SYS_faccessat | libc::SYS_faccessat2 => return access(&entry, a[2]),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_access => return access(&entry, a[1]),
            libc::SYS_newfstatat => (a[2], sysctl::stat_bytes(&rel, &entry)),
            libc::SYS_statx => (a[4], sysctl::statx_bytes(&rel, &entry)),
            #[cfg(target_arch = "x86_64")]
            libc::SYS_readlink => return Answer::Fail(Errno(libc::EINVAL)),
            _ => (a[1], sysctl::stat_bytes(&rel, &entry)),
        };
        match t.write(buf, &bytes) {
            Ok(()) => Answer::Value(0),
            Err(e) => Answer::Fail(e),
        }
    }

    /// write / pwrite64 / writev / pwritev / pwritev2 on a fd of the sysctl range: on a
    /// write stand-in, the proc handler's answer; on any other file, natively.
    pub(super) fn on_sysctl_write(&mut self, t: Thread, nr: libc::c_long, a: [u64; 6]) -> Answer {
        let Some(ino) = t.socket_inode(a[0]) else {
            return Answer::Continue;
        };
        let Some(file) = self.sysctl_files.get(&ino) else {
            return Answer::Continue;
        };
        let (path, netns, tid, cur) = (file.path.clone(), file.netns, file.tid, file.pos);
        let gathered = match nr {
            libc::SYS_write | libc::SYS_pwrite64 => t.read(a[1], (a[2] as usize).min(MAX_WRITE)),
            _ => gather(t, a[1], a[2]),
        };
        let data = match gathered {
            Ok(d) => d,
            Err(e) => return Answer::Fail(e),
        };
        // pwrite64 / pwritev: the offset argument (a negative one is EINVAL); pwritev2 with
        // offset -1 writes at the file position like writev.
        let positional = match nr {
            libc::SYS_pwrite64 | libc::SYS_pwritev => Some(a[3]),
            libc::SYS_pwritev2 if a[3] as i64 != -1 => Some(a[3]),
            _ => None,
        };
        if positional.is_some_and(|p| (p as i64) < 0) {
            return Answer::Fail(Errno(libc::EINVAL));
        }
        let pos = positional.unwrap_or(cur);
        let req = SysctlRequest::Write { path, data, pos };
        match self.backend.sysctl(req, tid, netns) {
            Ok(SysctlAnswer::Count { count }) => {
                if positional.is_none() {
                    if let Some(f) = self.sysctl_files.get_mut(&ino) {
                        f.pos += count;
                    }
                }
                Answer::Value(count as i64)
            }
            Ok(_) => Answer::Fail(Errno(libc::EIO)),
            Err(e) => self.sysctl_failed(t, e),
        }
    }

    /// The write stand-ins whose end reported an event: their datagrams (writes through a
    /// moved fd) are applied in order, and a closed one is forgotten.
    pub(super) fn drain_sysctl(&mut self, ready: &[u64]) {
        let mut buf = vec![0u8; 64 * 1024];
        for ino in ready {
            while let Some(f) = self.sysctl_files.get(ino) {
                // SAFETY: recv into our live buffer from our own socket.
                let n = unsafe {
                    libc::recv(
                        f.peer.as_raw_fd(),
                        buf.as_mut_ptr() as *mut libc::c_void,
                        buf.len(),
                        libc::MSG_DONTWAIT,
                    )
                };
                if n < 0 {
                    if Errno::last().0 == libc::EINTR {
                        continue;
                    }
                    break;
                }
                if n == 0 {
                    // Every copy in the target is closed.
                    self.sysctl_files.remove(ino);
                    break;
                }
                let (path, netns, tid, pos) = (f.path.clone(), f.netns, f.tid, f.pos);
                let data = buf[..n as usize].to_vec();
                let req = SysctlRequest::Write {
                    path: path.clone(),
                    data,
                    pos,
                };
                match self.backend.sysctl(req, tid, netns) {
                    Ok(SysctlAnswer::Count { count }) => {
                        if let Some(f) = self.sysctl_files.get_mut(ino) {
                            f.pos += count;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let why = std::io::Error::from_raw_os_error(e.errno.0).to_string();
                        let why = why
                            .split(" (os error")
                            .next()
                            .unwrap_or_default()
                            .to_string();
                        let msg = e.msg.unwrap_or_else(|| {
                            format!(
                                "nlsim: setting {}: {why} (written through a moved fd: write() could not report it)",
                                sysctl::key_name(&path)
                            )
                        });
                        self.refusal_line(Thread { tid: tid as i32 }, &msg);
                    }
                }
            }
        }
    }
}

/// `access(2)` of an entry for the (root) caller: each asked bit among R_OK/W_OK/X_OK must
/// be in the owner's bits (`proc_sys_permission` → `test_perm`), directories searchable.
fn access(e: &SysctlEntry, mode: u64) -> Answer {
    let want = (mode as u32) & 0o7;
    let have = if e.dir { 0o5 } else { (e.mode >> 6) & 0o7 };
    if want & !have != 0 {
        Answer::Fail(Errno(libc::EACCES))
    } else {
        Answer::Value(0)
    }
}

/// The bytes of an iovec array (`iovcnt` entries at `iov`), as `import_iovec` takes them.
fn gather(t: Thread, iov: u64, iovcnt: u64) -> Result<Vec<u8>, Errno> {
    if iovcnt > UIO_MAXIOV as u64 {
        return Err(Errno(libc::EINVAL));
    }
    let raw = t.read(iov, 16 * iovcnt as usize)?;
    let mut out = Vec::new();
    for c in raw.chunks_exact(16) {
        let mut b = [0u8; 8];
        b.copy_from_slice(&c[..8]);
        let base = u64::from_ne_bytes(b);
        b.copy_from_slice(&c[8..]);
        let len = u64::from_ne_bytes(b) as usize;
        let take = len.min(MAX_WRITE.saturating_sub(out.len()));
        if take > 0 {
            out.extend(t.read(base, take)?);
        }
    }
    Ok(out)
}
