//! The supervisor's answers to the network namespace system calls (see `crate::netns` for
//! what is emulated and why): `unshare`, `setns`, `mount`, `umount2`, `mkdir`, `unlink` and
//! `open` of namespace paths.

use super::Supervisor;
use crate::devtun;
use crate::error::Errno;
use crate::netns::{NetnsAnswer, NetnsRequest, NsPath, NsTask};
use crate::notif::Answer;
use crate::paths;
use crate::target::Thread;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::Ordering;

impl Supervisor {
    /// The simulator's answer to a namespace operation; `None`: the simulator has no
    /// namespaces (an older daemon), and the call is refused as not modelled.
    pub(super) fn netns_op(
        &mut self,
        t: Thread,
        op: NetnsRequest,
    ) -> Option<Result<NetnsAnswer, Errno>> {
        match self.backend.netns(op) {
            Err(Errno(libc::ENOSYS)) => {
                self.refusal(t, -1, "network namespaces are");
                None
            }
            r => Some(r),
        }
    }

    fn answer_of(r: Option<Result<NetnsAnswer, Errno>>) -> Answer {
        match r {
            Some(Ok(_)) => Answer::Value(0),
            Some(Err(e)) => Answer::Fail(e),
            None => Answer::Fail(Errno(libc::EPERM)),
        }
    }

    /// The thread a `/proc/.../ns/net` path names, as the caller sees it.
    pub(super) fn ns_task(t: Thread, task: NsTask) -> u32 {
        match task {
            NsTask::OwnProcess => t.tgid().unwrap_or(t.tid as u32),
            NsTask::OwnThread => t.tid as u32,
            NsTask::Task(n) => n,
        }
    }

    /// `unshare`: CLONE_NEWNET makes a simulated namespace, CLONE_NEWNS is emulated for
    /// callers that could not make one (see netns.rs); anything else together with them is
    /// refused, since half of it cannot be done natively.
    pub(super) fn on_unshare(&mut self, t: Thread, flags: u64) -> Answer {
        let ours = (libc::CLONE_NEWNET | libc::CLONE_NEWNS) as u64;
        if flags & ours == 0 {
            return Answer::Continue;
        }
        if flags & !ours != 0 {
            self.refusal_line(
                t,
                &format!("nlsim: unshare({flags:#x}): network or mount namespaces together with other flags not modelled"),
            );
            return Answer::Fail(Errno(libc::EPERM));
        }
        // A real private mount namespace is harmless, and a caller that may make one (root,
        // CAP_SYS_ADMIN) keeps its own mounts working; only the others get the emulation.
        if flags == libc::CLONE_NEWNS as u64 && has_sys_admin(t) {
            return Answer::Continue;
        }
        if flags & libc::CLONE_NEWNET as u64 != 0 {
            match self.netns_op(t, NetnsRequest::Unshare { tid: t.tid as u32 }) {
                Some(Ok(_)) => self.netns_used = true,
                r => return Self::answer_of(r),
            }
        }
        if flags & libc::CLONE_NEWNS as u64 != 0 {
            self.fake_mntns.insert(t.tgid().unwrap_or(t.tid as u32));
        }
        Answer::Value(0)
    }

    /// `setns`: a namespace stand-in moves the thread; a real network namespace fd is
    /// refused (entering it would act on the host's); other namespaces run natively.
    pub(super) fn on_setns(&mut self, t: Thread, a: [u64; 6]) -> Answer {
        let nstype = a[1] as i32;
        let Some(link) = t.fd_link(a[0]) else {
            // No such fd, or a target we may not inspect: a network namespace must not be
            // entered unjudged (only other namespace types named explicitly run natively).
            if nstype != 0 && nstype & libc::CLONE_NEWNET == 0 {
                return Answer::Continue;
            }
            return Answer::Fail(Errno(libc::EPERM));
        };
        let stand_in = crate::netns::socket_ino(&link).and_then(|ino| self.ns_files.get(&ino));
        if let Some(&(_, id)) = stand_in {
            // validate_ns / netns_install: the type must match if given.
            if nstype != 0 && nstype != libc::CLONE_NEWNET {
                return Answer::Fail(Errno(libc::EINVAL));
            }
            let r = self.netns_op(
                t,
                NetnsRequest::Setns {
                    tid: t.tid as u32,
                    netns: id,
                },
            );
            if matches!(r, Some(Ok(_))) {
                self.netns_used = true;
            }
            return Self::answer_of(r);
        }
        if crate::netns::is_plain_file(&link) {
            // proc_ns_file fails: not an nsfs file.
            return Answer::Fail(Errno(libc::EINVAL));
        }
        if nstype & libc::CLONE_NEWNET != 0 || link.starts_with(b"net:[") {
            self.refusal(t, -1, "real network namespaces are");
            return Answer::Fail(Errno(libc::EPERM));
        }
        Answer::Continue
    }

    fn read_path(t: Thread, addr: u64) -> Option<Vec<u8>> {
        if addr == 0 {
            return None;
        }
        t.read_cstr(addr, libc::PATH_MAX as usize).ok()
    }

    /// The namespace a mount source names (a task's ns/net or a mounted entry).
    fn netns_of_source(&mut self, t: Thread, src: &[u8]) -> Option<Result<u32, Errno>> {
        let op = match crate::netns::classify(src)? {
            NsPath::NsFile(task) => NetnsRequest::OfTask {
                tid: Self::ns_task(t, task),
            },
            NsPath::Entry(name) => NetnsRequest::Lookup { name },
            NsPath::RunDir => return None,
        };
        Some(match self.netns_op(t, op)? {
            Ok(NetnsAnswer::Netns(id)) | Ok(NetnsAnswer::Entry(Some(id))) => Ok(id),
            Ok(_) => Err(Errno(libc::EINVAL)),
            Err(e) => Err(e),
        })
    }

    /// `mount`: bind mounts of a namespace onto `/run/netns/NAME`, the propagation changes
    /// `ip netns add` makes on `/run/netns`, and in an emulated mount namespace the `/` and
    /// `/sys` remounts of `ip netns exec`. Other mounts naming a namespace are refused; the
    /// rest run natively.
    pub(super) fn on_mount(&mut self, t: Thread, a: [u64; 6]) -> Answer {
        let src = Self::read_path(t, a[0]).unwrap_or_default();
        let Some(target) = Self::read_path(t, a[1]) else {
            return Answer::Continue;
        };
        let fstype = Self::read_path(t, a[2]).unwrap_or_default();
        let flags = a[3];
        match crate::netns::classify(&target) {
            // The emulated /run/netns is a shared mount point already.
            Some(NsPath::RunDir) => return Answer::Value(0),
            Some(NsPath::Entry(name)) => {
                return match self.netns_of_source(t, &src) {
                    Some(Ok(netns)) => {
                        Self::answer_of(self.netns_op(t, NetnsRequest::Mount { name, netns }))
                    }
                    Some(Err(e)) => Answer::Fail(e),
                    None => {
                        self.refusal_line(t, "nlsim: mounting anything but a network namespace under /run/netns not modelled");
                        Answer::Fail(Errno(libc::EPERM))
                    }
                };
            }
            _ => {}
        }
        let tgid = t.tgid().unwrap_or(t.tid as u32);
        if self.fake_mntns.contains(&tgid) {
            let propagation =
                libc::MS_SHARED | libc::MS_SLAVE | libc::MS_PRIVATE | libc::MS_UNBINDABLE;
            if target == b"/" && flags & propagation != 0 && flags & libc::MS_BIND == 0 {
                return Answer::Value(0);
            }
            if target == b"/sys" && fstype == b"sysfs" {
                // The launcher's /sys/class/net already follows the caller's namespace.
                return Answer::Value(0);
            }
            self.refusal_line(
                t,
                "nlsim: mounts in an emulated mount namespace (ip netns exec) not modelled",
            );
            return Answer::Fail(Errno(libc::EPERM));
        }
        if crate::netns::classify(&src).is_some() {
            self.refusal_line(
                t,
                "nlsim: mounting a network namespace file outside /run/netns not modelled",
            );
            return Answer::Fail(Errno(libc::EPERM));
        }
        if let Some(what) = Self::exposes_host_net(t, &src, &target, &fstype, flags) {
            self.refusal_line(t, &format!("nlsim: {what} not modelled"));
            return Answer::Fail(Errno(libc::EPERM));
        }
        Answer::Continue
    }

    /// Whether a mount would show the host's network devices where the launcher does not
    /// look (it judges paths under /sys and /proc): a sysfs or proc mounted elsewhere, or
    /// `/`, `/sys` or `/proc` (or below) bound or moved elsewhere. Mounting them in their
    /// usual place (`ip netns exec` remounts /sys as root) stays native: the paths there are
    /// judged as always.
    fn exposes_host_net(
        t: Thread,
        src: &[u8],
        target: &[u8],
        fstype: &[u8],
        flags: u64,
    ) -> Option<String> {
        let who = paths::Caller {
            tgid: t.tgid().unwrap_or(t.tid as u32),
            tid: t.tid as u32,
        };
        let resolve = |p: &[u8]| -> Vec<u8> {
            let abs = paths::absolute(t, libc::AT_FDCWD, p, None)
                .ok()
                .flatten()
                .unwrap_or_else(|| p.to_vec());
            let folded = paths::fold(&abs, who);
            paths::kernel_resolved(t, &folded, false, who).unwrap_or(folded)
        };
        let under = |p: &[u8], dir: &[u8]| {
            p == dir || (p.starts_with(dir) && p.get(dir.len()) == Some(&b'/'))
        };
        let target = resolve(target);
        let usual_place = |p: &[u8]| p == b"/sys" || p == b"/proc";
        if (fstype == b"sysfs" || fstype == b"proc") && !usual_place(&target) {
            return Some(format!(
                "mounting {} on {}",
                String::from_utf8_lossy(fstype),
                String::from_utf8_lossy(&target)
            ));
        }
        if flags & (libc::MS_BIND | libc::MS_MOVE) != 0 && !usual_place(&target) {
            let src = resolve(src);
            if src == b"/" || under(&src, b"/sys") || under(&src, b"/proc") {
                return Some(format!(
                    "binding or moving {} to {}",
                    String::from_utf8_lossy(&src),
                    String::from_utf8_lossy(&target)
                ));
            }
        }
        None
    }

    /// `umount2`: a namespace mount under `/run/netns`, or `/sys` in an emulated mount
    /// namespace.
    pub(super) fn on_umount(&mut self, t: Thread, target: u64) -> Answer {
        let Some(p) = Self::read_path(t, target) else {
            return Answer::Continue;
        };
        match crate::netns::classify(&p) {
            Some(NsPath::Entry(name)) => {
                return Self::answer_of(self.netns_op(t, NetnsRequest::Umount { name }));
            }
            // do_umount: the emulated directory is not one the target may unmount.
            Some(NsPath::RunDir) => return Answer::Fail(Errno(libc::EINVAL)),
            _ => {}
        }
        let tgid = t.tgid().unwrap_or(t.tid as u32);
        if self.fake_mntns.contains(&tgid) && p == b"/sys" {
            return Answer::Value(0);
        }
        Answer::Continue
    }

    /// `mkdir /run/netns`; anything below it is refused (entries are files).
    pub(super) fn on_mkdir(&mut self, t: Thread, path: u64) -> Answer {
        let Some(p) = Self::read_path(t, path) else {
            return Answer::Continue;
        };
        match crate::netns::classify(&p) {
            Some(NsPath::RunDir) => Self::answer_of(self.netns_op(t, NetnsRequest::Mkdir)),
            Some(NsPath::Entry(_)) => {
                self.refusal_line(t, "nlsim: directories under /run/netns not modelled");
                Answer::Fail(Errno(libc::EPERM))
            }
            _ => Answer::Continue,
        }
    }

    /// `unlink` / `unlinkat` of an entry of `/run/netns` (`ip netns del`).
    pub(super) fn on_unlink(&mut self, t: Thread, path: u64) -> Answer {
        let Some(p) = Self::read_path(t, path) else {
            return Answer::Continue;
        };
        match crate::netns::classify(&p) {
            Some(NsPath::Entry(name)) => {
                let r = self.netns_op(t, NetnsRequest::Unlink { name });
                self.nsfs_changed(t);
                Self::answer_of(r)
            }
            Some(NsPath::RunDir) => Answer::Fail(Errno(libc::EBUSY)),
            _ => Answer::Continue,
        }
    }

    /// open of a namespace path: a stand-in fd, or the mirror directory of `/run/netns`.
    pub(super) fn open_netns(
        &mut self,
        id: u64,
        t: Thread,
        path: NsPath,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        let fd = match path {
            NsPath::RunDir => {
                if flags & libc::O_ACCMODE != libc::O_RDONLY {
                    return Some(Answer::Fail(Errno(libc::EISDIR)));
                }
                let names = match self.netns_op(t, NetnsRequest::List)? {
                    Ok(NetnsAnswer::Names(n)) => n,
                    Ok(_) => return Some(Answer::Fail(Errno(libc::EIO))),
                    Err(e) => return Some(Answer::Fail(e)),
                };
                if self.netns_dir.is_none() {
                    match crate::netns::MirrorDir::new() {
                        Ok(d) => self.netns_dir = Some(d),
                        Err(e) => return Some(Answer::Fail(e)),
                    }
                }
                let dir = match self.netns_dir.as_mut()?.snapshot(&names) {
                    Ok(d) => d,
                    Err(e) => return Some(Answer::Fail(e)),
                };
                let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
                // SAFETY: open of our own directory with a NUL-terminated path.
                let raw = unsafe {
                    libc::open(
                        c.as_ptr(),
                        libc::O_RDONLY
                            | libc::O_DIRECTORY
                            | libc::O_CLOEXEC
                            | (flags & libc::O_NONBLOCK),
                    )
                };
                if raw < 0 {
                    return Some(Answer::Fail(Errno::last()));
                }
                // SAFETY: open returned a new fd owned here.
                unsafe { OwnedFd::from_raw_fd(raw) }
            }
            NsPath::Entry(name) => {
                if flags & libc::O_CREAT != 0 {
                    let excl = flags & libc::O_EXCL != 0;
                    let op = NetnsRequest::Create {
                        name: name.clone(),
                        excl,
                    };
                    if let Err(e) = self.netns_op(t, op)? {
                        return Some(Answer::Fail(e));
                    }
                    self.nsfs_changed(t);
                }
                match self.netns_op(t, NetnsRequest::Lookup { name })? {
                    Ok(NetnsAnswer::Entry(Some(ns))) => return self.give_netns(id, t, ns, cloexec),
                    Ok(NetnsAnswer::Entry(None)) => {
                        match crate::netns::plain_file(crate::netns::PLAIN_FILE) {
                            Ok(fd) => fd,
                            Err(e) => return Some(Answer::Fail(e)),
                        }
                    }
                    Ok(_) => return Some(Answer::Fail(Errno(libc::EIO))),
                    Err(e) => return Some(Answer::Fail(e)),
                }
            }
            // O_PATH | O_NOFOLLOW: the proc symlink itself, no namespace (fstatfs says
            // PROC_SUPER_MAGIC, setns refuses it): natively.
            NsPath::NsFile(_)
                if flags & (libc::O_PATH | libc::O_NOFOLLOW) == libc::O_PATH | libc::O_NOFOLLOW =>
            {
                return Some(Answer::Continue);
            }
            NsPath::NsFile(task) => {
                let tid = Self::ns_task(t, task);
                if let Err(e) = super::nsfs_calls::task_ns_reachable(tid) {
                    return Some(Answer::Fail(e));
                }
                return match self.netns_op(t, NetnsRequest::OfTask { tid })? {
                    Ok(NetnsAnswer::Netns(ns)) => self.give_netns(id, t, ns, cloexec),
                    Ok(_) => Some(Answer::Fail(Errno(libc::EIO))),
                    // proc: no such task.
                    Err(Errno(libc::ESRCH)) => Some(Answer::Fail(Errno(libc::ENOENT))),
                    Err(e) => Some(Answer::Fail(e)),
                };
            }
        };
        match self.listener.add_fd_and_answer(id, fd.as_raw_fd(), cloexec) {
            Ok(_) => None,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => Some(Answer::Fail(e.into())),
        }
    }

    /// Hands the target a stand-in for an nsfs file of namespace `ns` (see netns.rs): the
    /// simulator holds the namespace for as long as the target keeps a copy.
    fn give_netns(&mut self, id: u64, t: Thread, ns: u32, cloexec: bool) -> Option<Answer> {
        let (theirs, ours, ino) = match devtun::stand_in(false) {
            Ok(s) => s,
            Err(e) => return Some(Answer::Fail(e)),
        };
        match self.netns_op(t, NetnsRequest::Hold { netns: ns, ino })? {
            Ok(_) => {}
            Err(e) => return Some(Answer::Fail(e)),
        }
        self.ns_files.insert(ino, (ours, ns));
        self.finish_first.store(true, Ordering::Relaxed);
        // At a number the filter sends fstat/fstatfs of (nsfs.rs).
        let range = (crate::nsfs::FD_FIRST, crate::nsfs::FD_LAST);
        match self.add_fd_in_range(id, t, theirs.as_raw_fd(), range, cloexec) {
            Ok(_) => None,
            Err(e) => {
                self.release_ns_files(Some(&[ino]));
                if e.raw_os_error() == Some(libc::ENOENT) {
                    return None;
                }
                Some(Answer::Fail(e.into()))
            }
        }
    }

    /// Releases the stand-ins the targets no longer hold (`only`: just these, checked for a
    /// hang-up; `None`: all of them, the targets are gone).
    pub(super) fn release_ns_files(&mut self, only: Option<&[u64]>) {
        let keys: Vec<u64> = match only {
            Some(k) => k.to_vec(),
            None => self.ns_files.keys().copied().collect(),
        };
        for ino in keys {
            let gone = only.is_none()
                || self
                    .ns_files
                    .get(&ino)
                    .is_some_and(|(peer, _)| devtun::drain(peer.as_raw_fd()));
            if gone && self.ns_files.remove(&ino).is_some() {
                let _ = self.backend.netns(NetnsRequest::Release { ino });
            }
        }
    }
}

/// Whether the thread has CAP_SYS_ADMIN in its effective set (`CapEff` of
/// `/proc/<tid>/status`), what `unshare(CLONE_NEWNS)` needs.
fn has_sys_admin(t: Thread) -> bool {
    const CAP_SYS_ADMIN: u32 = 21;
    let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", t.tid)) else {
        return false;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << CAP_SYS_ADMIN) != 0)
}
