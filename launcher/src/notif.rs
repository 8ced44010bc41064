//! The seccomp listener: receive notifications, answer them, inject fds.

use crate::error::Errno;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

pub(crate) struct Listener {
    fd: OwnedFd,
}

/// How a notification is answered.
pub(crate) enum Answer {
    /// The system call returns this value.
    Value(i64),
    /// The system call fails with this errno.
    Fail(Errno),
    /// The kernel runs the system call as if nothing had intercepted it.
    Continue,
}

impl From<Result<i64, Errno>> for Answer {
    fn from(r: Result<i64, Errno>) -> Answer {
        match r {
            Ok(v) => Answer::Value(v),
            Err(e) => Answer::Fail(e),
        }
    }
}

impl Listener {
    pub fn new(fd: OwnedFd) -> Self {
        let l = Listener { fd };
        l.sync_wake_up();
        l
    }

    /// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): the kernel hands the CPU over directly
    /// between the notifying thread and us (`seccomp_notify_ioctl` wakes with
    /// WF_CURRENT_CPU), instead of queueing each side on the run queue. Every emulated
    /// receive is two such hand-offs, so this is most of a request's latency. Older kernels
    /// answer EINVAL and keep the ordinary wake-ups.
    fn sync_wake_up(&self) {
        const SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP: u64 = 1;
        // SAFETY: ioctl with a flags value, as the request defines.
        unsafe {
            libc::ioctl(
                self.raw(),
                libc::SECCOMP_IOCTL_NOTIF_SET_FLAGS,
                SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP,
            )
        };
    }

    pub fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// The next notification; `None` if it vanished (the target died or was interrupted
    /// before we got it) or the call was interrupted.
    pub fn recv(&self) -> io::Result<Option<libc::seccomp_notif>> {
        // SAFETY: the kernel requires a zeroed buffer; seccomp_notif is plain old data.
        let mut n: libc::seccomp_notif = unsafe { std::mem::zeroed() };
        // SAFETY: ioctl with a buffer of the size encoded in the request.
        let r = unsafe { libc::ioctl(self.raw(), libc::SECCOMP_IOCTL_NOTIF_RECV, &mut n) };
        if r < 0 {
            let e = io::Error::last_os_error();
            return match e.raw_os_error() {
                Some(libc::ENOENT) | Some(libc::EINTR) => Ok(None),
                _ => Err(e),
            };
        }
        Ok(Some(n))
    }

    /// Answers notification `id`. A target that died meanwhile makes this fail with ENOENT,
    /// which is nothing to act on, so the result is ignored.
    pub fn answer(&self, id: u64, a: Answer) {
        let (val, error, flags) = match a {
            Answer::Value(v) => (v, 0, 0),
            Answer::Fail(e) => (0, -e.0, 0),
            Answer::Continue => (0, 0, libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32),
        };
        let mut resp = libc::seccomp_notif_resp {
            id,
            val,
            error,
            flags,
        };
        // SAFETY: ioctl with a live response struct of the encoded size.
        unsafe { libc::ioctl(self.raw(), libc::SECCOMP_IOCTL_NOTIF_SEND, &mut resp) };
    }

    /// Whether the target is still waiting in notification `id`. Checked after reading its
    /// memory and before writing it: a dead thread's id could have been reused meanwhile.
    pub fn valid(&self, id: u64) -> bool {
        let mut id = id;
        // SAFETY: ioctl with a live u64.
        unsafe { libc::ioctl(self.raw(), libc::SECCOMP_IOCTL_NOTIF_ID_VALID, &mut id) == 0 }
    }

    /// Installs `src` in the target at fd number `newfd` (SECCOMP_ADDFD_FLAG_SETFD, which
    /// replaces whatever is there, like dup2) and completes its system call with it.
    pub fn add_fd_at_and_answer(
        &self,
        id: u64,
        src: RawFd,
        newfd: u32,
        cloexec: bool,
    ) -> io::Result<i32> {
        let mut addfd = libc::seccomp_notif_addfd {
            id,
            flags: (libc::SECCOMP_ADDFD_FLAG_SEND | libc::SECCOMP_ADDFD_FLAG_SETFD) as u32,
            srcfd: src as u32,
            newfd,
            newfd_flags: if cloexec { libc::O_CLOEXEC as u32 } else { 0 },
        };
        // SAFETY: ioctl with a live addfd struct of the encoded size.
        let r = unsafe { libc::ioctl(self.raw(), libc::SECCOMP_IOCTL_NOTIF_ADDFD, &mut addfd) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(r)
    }

    /// Installs `src` in the target and completes its system call with the new fd number,
    /// atomically (SECCOMP_ADDFD_FLAG_SEND: no fd leaks into a target that was interrupted).
    pub fn add_fd_and_answer(&self, id: u64, src: RawFd, cloexec: bool) -> io::Result<i32> {
        let mut addfd = libc::seccomp_notif_addfd {
            id,
            flags: libc::SECCOMP_ADDFD_FLAG_SEND as u32,
            srcfd: src as u32,
            newfd: 0,
            newfd_flags: if cloexec { libc::O_CLOEXEC as u32 } else { 0 },
        };
        // SAFETY: ioctl with a live addfd struct of the encoded size.
        let r = unsafe { libc::ioctl(self.raw(), libc::SECCOMP_IOCTL_NOTIF_ADDFD, &mut addfd) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(r)
    }
}
