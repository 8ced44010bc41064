//! The supervisor's answers to `open`, `openat` and `openat2`: every path is judged as the
//! kernel would resolve it (paths.rs) and the ones about network state are emulated or
//! refused (`/dev/net/tun`, namespace files, `/sys/class/net`, `/proc/net`, `/proc/sys/net`:
//! `sysctl_calls.rs`);
//! an open that cannot be judged fails rather than run natively.

use super::Supervisor;
use crate::devtun;
use crate::error::Errno;
use crate::notif::Answer;
use crate::paths::{self, Caller};
use crate::sysfs::NetPath;
use crate::target::Thread;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

impl Supervisor {
    /// openat2(dirfd, path, struct open_how *how, size): judged like openat with
    /// `how->flags` (do_sys_openat2 reads the struct first: EINVAL below its first version,
    /// EFAULT if unreadable). RESOLVE_IN_ROOT moves "/" to the dirfd; the other RESOLVE_*
    /// flags only narrow what the path may name.
    pub(super) fn on_openat2(&mut self, id: u64, t: Thread, a: [u64; 6]) -> Option<Answer> {
        const OPEN_HOW_SIZE_VER0: u64 = 24;
        if a[3] < OPEN_HOW_SIZE_VER0 {
            return Some(Answer::Fail(Errno(libc::EINVAL)));
        }
        let flags = match t.read_u64(a[2]) {
            Ok(f) => f,
            Err(e) => return Some(Answer::Fail(e)),
        };
        // build_open_flags: flags beyond an int are invalid.
        if flags >> 32 != 0 {
            return Some(Answer::Fail(Errno(libc::EINVAL)));
        }
        // RESOLVE_IN_ROOT: an absolute path starts at the dirfd (or the cwd), not at "/"
        // ("/net/dev" from a dirfd of /proc/self is /proc/self/net/dev).
        const RESOLVE_IN_ROOT: u64 = 0x10;
        let Some(resolve_at) = a[2].checked_add(16) else {
            return Some(Answer::Fail(Errno(libc::EFAULT)));
        };
        let resolve = match t.read_u64(resolve_at) {
            Ok(r) => r,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let in_root = resolve & RESOLVE_IN_ROOT != 0;
        self.open_at(id, t, a[0] as i32, a[1], flags as i32, in_root)
    }

    /// open/openat/openat2: `/dev/net/tun`, namespace files, `/sys/class/net` and `/proc/net`
    /// are emulated (or refused), every other path is opened natively. The path is judged
    /// as the kernel would resolve it (paths.rs): relative to the dirfd, `..` folded,
    /// symbolic links followed. `None`: answered (ADDFD with SEND completes the call).
    pub(super) fn on_open(
        &mut self,
        id: u64,
        t: Thread,
        dirfd: i32,
        path: u64,
        flags: i32,
    ) -> Option<Answer> {
        self.open_at(id, t, dirfd, path, flags, false)
    }

    /// `in_root`: absolute paths are relative to the dirfd (openat2's RESOLVE_IN_ROOT).
    fn open_at(
        &mut self,
        id: u64,
        t: Thread,
        dirfd: i32,
        path: u64,
        flags: i32,
        in_root: bool,
    ) -> Option<Answer> {
        let mut p = match t.read_cstr(path, libc::PATH_MAX as usize) {
            Ok(p) => p,
            Err(e) => return Some(self.unjudged(t, e)),
        };
        if in_root {
            let start = p.iter().position(|b| *b != b'/').unwrap_or(p.len());
            p.drain(..start);
            if p.is_empty() {
                p.push(b'.');
            }
        }
        let cloexec = flags & libc::O_CLOEXEC != 0;
        let who = Caller {
            tgid: t.tgid().unwrap_or(t.tid as u32),
            tid: t.tid as u32,
        };
        let mirror = self
            .sysnet_dir
            .as_ref()
            .map(|m| m.base().as_os_str().as_encoded_bytes().to_vec());
        let abs = match paths::absolute(t, dirfd, &p, mirror.as_deref()) {
            Ok(Some(abs)) => abs,
            Ok(None) => return Some(Answer::Continue),
            Err(e) => return Some(self.unjudged(t, e)),
        };
        let abs = self.unmirror_sysctl(abs);
        let folded = paths::fold(&abs, who);
        if let Some(a) = self.open_special(id, t, &folded, flags, cloexec) {
            return a;
        }
        // Not recognisable by name: the host's kernel follows the links (a link the program
        // made to /proc/net/dev, /sys/class/net/lo being /sys/devices/virtual/net/lo).
        let nofollow = flags & libc::O_NOFOLLOW != 0;
        if let Some(real) = paths::kernel_resolved(t, &folded, nofollow, who) {
            if real != folded {
                if let Some(a) = self.open_special(id, t, &real, flags, cloexec) {
                    return a;
                }
            }
        }
        Some(Answer::Continue)
    }

    /// An open whose path cannot be judged fails instead of running natively (it could
    /// name the host's /proc/net): a bad address or length as the kernel would answer it,
    /// a target the launcher may not inspect (not dumpable: process_vm_readv and /proc
    /// refuse us) with EPERM and one line.
    fn unjudged(&mut self, t: Thread, e: Errno) -> Answer {
        match e.0 {
            libc::EFAULT | libc::ENAMETOOLONG | libc::ESRCH | libc::EBADF => Answer::Fail(e),
            _ => {
                self.refusal_line(
                    t,
                    "nlsim: opening files from a process the launcher may not inspect (not dumpable) not modelled",
                );
                Answer::Fail(Errno(libc::EPERM))
            }
        }
    }

    /// The emulated paths; `None`: not one of them.
    fn open_special(
        &mut self,
        id: u64,
        t: Thread,
        p: &[u8],
        flags: i32,
        cloexec: bool,
    ) -> Option<Option<Answer>> {
        if let Some(ns_path) = crate::netns::classify(p) {
            return Some(self.open_netns(id, t, ns_path, flags, cloexec));
        }
        if p == devtun::DEV_NET_TUN {
            return Some(self.open_tun(id, t, flags, cloexec));
        }
        let class = crate::sysfs::classify(p)?;
        Some(match class {
            NetPath::ClassNetDir => self.open_class_net(id, t, flags, cloexec),
            NetPath::DeviceFile(dev, attr) => self.open_sysfs(id, t, &dev, &attr, flags, cloexec),
            NetPath::DeviceDir(dev) => self.open_device_dir(id, t, &dev, flags, cloexec),
            NetPath::ProcNet { task, file } => {
                self.open_proc_net(id, t, task, &file, flags, cloexec)
            }
            NetPath::Sysctl(path) => self.open_sysctl(id, t, &path, flags, cloexec),
            NetPath::Other => self.refuse_path(t, &String::from_utf8_lossy(p)),
        })
    }

    /// EOPNOTSUPP and one `nlsim: PATH not modelled` line.
    fn refuse_path(&mut self, t: Thread, what: &str) -> Option<Answer> {
        self.refusal_line(t, &format!("nlsim: {what} not modelled"));
        Some(Answer::Fail(Errno(libc::EOPNOTSUPP)))
    }

    /// `/proc/<task>/net/<file>` as `task` sees it (its simulated namespace).
    fn open_proc_net(
        &mut self,
        id: u64,
        t: Thread,
        task: u32,
        file: &str,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        if let Some(bond) = file.strip_prefix("bonding/") {
            if !bond.is_empty() && !bond.contains('/') {
                return self.open_sysfs(id, t, bond, crate::sysfs::PROC_BONDING, flags, cloexec);
            }
        }
        if crate::procnet::MODEL_FILES.contains(&file) {
            if flags & libc::O_ACCMODE != libc::O_RDONLY {
                return Some(Answer::Fail(Errno(libc::EACCES)));
            }
            let text = match self.backend.proc_net_read(file, task) {
                Ok(text) => text,
                Err(e) => {
                    if let Some(msg) = e.msg {
                        self.refusal_line(t, &msg);
                    }
                    return Some(Answer::Fail(e.errno));
                }
            };
            let fd = match crate::sysfs::memfd_with(&text) {
                Ok(fd) => fd,
                Err(e) => return Some(Answer::Fail(e)),
            };
            return self.inject(id, fd.as_raw_fd(), cloexec);
        }
        if file != "dev" && file != "dev_mcast" {
            let shown = if file.is_empty() {
                "/proc/net (the directory)".to_string()
            } else {
                format!("/proc/net/{file}")
            };
            return self.refuse_path(t, &shown);
        }
        if flags & libc::O_ACCMODE != libc::O_RDONLY {
            // proc_net files are 0444.
            return Some(Answer::Fail(Errno(libc::EACCES)));
        }
        let whose = Thread { tid: task as i32 };
        let links = match Self::ifq(&mut self.ifqs, &self.backend, self.netns_used, whose)
            .and_then(|q| q.links())
        {
            Ok(l) => l,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let text = if file == "dev" {
            crate::procnet::dev_text(&links)
        } else {
            // dev_mc_seq_show, device by device in the namespace's order.
            let mut text = String::new();
            for l in &links {
                let name = String::from_utf8_lossy(&l.name);
                match self
                    .backend
                    .sysfs_read(&name, crate::procnet::DEV_MCAST, task)
                {
                    Ok(lines) => text.push_str(&lines),
                    // Gone since the dump: the kernel's walk would not see it either.
                    Err(e) if e.msg.is_none() => {}
                    // A simulator without the lists (an older daemon).
                    Err(_) => return self.refuse_path(t, "/proc/net/dev_mcast"),
                }
            }
            text
        };
        let fd = match crate::sysfs::memfd_with(&text) {
            Ok(fd) => fd,
            Err(e) => return Some(Answer::Fail(e)),
        };
        self.inject(id, fd.as_raw_fd(), cloexec)
    }

    /// `/sys/class/net`: a fresh directory with one link per device of the caller's
    /// namespace (the host's directory would list the host's devices).
    fn open_class_net(&mut self, id: u64, t: Thread, flags: i32, cloexec: bool) -> Option<Answer> {
        if flags & libc::O_ACCMODE != libc::O_RDONLY || flags & libc::O_CREAT != 0 {
            return Some(Answer::Fail(Errno(libc::EISDIR)));
        }
        let links = match Self::ifq(&mut self.ifqs, &self.backend, self.netns_used, t)
            .and_then(|q| q.links())
        {
            Ok(l) => l,
            Err(e) => return Some(Answer::Fail(e)),
        };
        let entries: Vec<(String, String)> = links
            .iter()
            .map(|l| String::from_utf8_lossy(&l.name).into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != ".." && !n.contains('/'))
            .map(|n| {
                let target = format!("../../devices/virtual/net/{n}");
                (n, target)
            })
            .collect();
        let dir = match self.sysnet_dir().and_then(|d| d.snapshot_links(&entries)) {
            Ok(d) => d,
            Err(e) => return Some(Answer::Fail(e)),
        };
        self.open_dir_and_inject(id, &dir, flags, cloexec)
    }

    /// `/sys/class/net/<dev>`: for a device of the caller's namespace, a directory with the
    /// attributes the model serves (opens relative to it are judged as
    /// `/sys/class/net/<dev>/...`); any other name does not exist there.
    fn open_device_dir(
        &mut self,
        id: u64,
        t: Thread,
        dev: &str,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        /// The attributes kernel_model::sysfs answers (each probed: some are per kind).
        const ATTRS: [&str; 16] = [
            "addr_assign_type",
            "addr_len",
            "flags",
            "ifindex",
            "link_mode",
            "mtu",
            "operstate",
            "phys_port_name",
            "phys_switch_id",
            "tx_queue_len",
            "type",
            "tun_flags",
            "owner",
            "group",
            "bonding/mode",
            "bonding/slaves",
        ];
        let tid = t.tid as u32;
        if let Err(e) = self.backend.sysfs_read(dev, "ifindex", tid) {
            return Some(Answer::Fail(e.errno));
        }
        if dev.is_empty() || dev == "." || dev == ".." || dev.contains('/') {
            return Some(Answer::Fail(Errno(libc::ENOENT)));
        }
        if flags & libc::O_ACCMODE != libc::O_RDONLY || flags & libc::O_CREAT != 0 {
            return Some(Answer::Fail(Errno(libc::EISDIR)));
        }
        let served: Vec<&str> = ATTRS
            .into_iter()
            .filter(|a| self.backend.sysfs_read(dev, a, tid).is_ok())
            .collect();
        let dir = match self
            .sysnet_dir()
            .and_then(|d| d.snapshot_device(dev, &served))
        {
            Ok(d) => d,
            Err(e) => return Some(Answer::Fail(e)),
        };
        self.open_dir_and_inject(id, &dir, flags, cloexec)
    }

    /// The private directory the `/sys/class/net` stand-ins are made in, created on first use.
    fn sysnet_dir(&mut self) -> Result<&mut crate::netns::MirrorDir, Errno> {
        if self.sysnet_dir.is_none() {
            self.sysnet_dir = Some(crate::netns::MirrorDir::with_tag("sys-class-net")?);
        }
        self.sysnet_dir.as_mut().ok_or(Errno(libc::ENOMEM))
    }

    /// Opens our directory `dir` read-only and installs it as the call's result. An O_PATH
    /// open gets a plain one: ADDFD cannot install O_PATH files (fget refuses them).
    pub(super) fn open_dir_and_inject(
        &mut self,
        id: u64,
        dir: &std::path::Path,
        flags: i32,
        cloexec: bool,
    ) -> Option<Answer> {
        let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
        // SAFETY: open of our own directory with a NUL-terminated path.
        let raw = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC | (flags & libc::O_NONBLOCK),
            )
        };
        if raw < 0 {
            return Some(Answer::Fail(Errno::last()));
        }
        // SAFETY: open returned a new fd owned here.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        self.inject(id, fd.as_raw_fd(), cloexec)
    }

    /// Installs `fd` in the target as the call's result (ADDFD with SEND).
    pub(super) fn inject(&mut self, id: u64, fd: RawFd, cloexec: bool) -> Option<Answer> {
        match self.listener.add_fd_and_answer(id, fd, cloexec) {
            Ok(_) => None,
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => Some(Answer::Fail(e.into())),
        }
    }
}
