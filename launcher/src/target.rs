//! Access to a target thread: its memory (process_vm_readv/writev), its fds (/proc and
//! pidfd_getfd) and its thread-group id. Every address and length here comes from the target,
//! so every failure is an errno for the target, never a panic.

use crate::error::Errno;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

/// `PIDFD_THREAD` (Linux 6.9): a pidfd for a thread, not just a thread-group leader.
const PIDFD_THREAD: libc::c_uint = libc::O_EXCL as libc::c_uint;
/// Kernel's `UIO_MAXIOV`.
pub(crate) const UIO_MAXIOV: usize = 1024;

/// One thread that is stopped in a notified system call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Thread {
    pub tid: libc::pid_t,
}

impl Thread {
    pub fn read(&self, addr: u64, len: usize) -> Result<Vec<u8>, Errno> {
        let mut buf = vec![0u8; len];
        if len == 0 {
            return Ok(buf);
        }
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr() as *mut libc::c_void,
            iov_len: len,
        };
        let remote = libc::iovec {
            iov_base: addr as usize as *mut libc::c_void,
            iov_len: len,
        };
        // SAFETY: the local iovec covers our own live buffer; the remote one is only
        // dereferenced by the kernel, which checks it.
        let n = unsafe { libc::process_vm_readv(self.tid, &local, 1, &remote, 1, 0) };
        if n < 0 {
            return Err(fault(Errno::last()));
        }
        if n as usize != len {
            return Err(Errno(libc::EFAULT));
        }
        Ok(buf)
    }

    /// Reads `len` bytes at `addr` and, in the same system call, `guess.1` bytes at `guess.0`:
    /// what a pointer in the first region is expected to point to. The second region is
    /// `None` unless it was read whole (a wrong guess may point anywhere; only the first
    /// region's faults are the target's).
    pub fn read_with(
        &self,
        addr: u64,
        len: usize,
        guess: (u64, usize),
    ) -> Result<(Vec<u8>, Option<Vec<u8>>), Errno> {
        let mut buf = vec![0u8; len + guess.1];
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr() as *mut libc::c_void,
            iov_len: buf.len(),
        };
        let remote = [(addr, len), (guess.0, guess.1)].map(|(a, l)| libc::iovec {
            iov_base: a as usize as *mut libc::c_void,
            iov_len: l,
        });
        // SAFETY: the local iovec covers our own live buffer; the remote ones are only
        // dereferenced by the kernel, which checks them.
        let n = unsafe { libc::process_vm_readv(self.tid, &local, 1, remote.as_ptr(), 2, 0) };
        if n < 0 {
            return Err(fault(Errno::last()));
        }
        let n = n as usize;
        if n < len {
            return Err(Errno(libc::EFAULT));
        }
        let second = (n == buf.len()).then(|| buf[len..].to_vec());
        buf.truncate(len);
        Ok((buf, second))
    }

    pub fn read_array<const N: usize>(&self, addr: u64) -> Result<[u8; N], Errno> {
        let v = self.read(addr, N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(&v);
        Ok(a)
    }

    /// A NUL-terminated string of at most `max` bytes, read page by page so a string that
    /// ends just before an unmapped page still reads.
    pub fn read_cstr(&self, addr: u64, max: usize) -> Result<Vec<u8>, Errno> {
        const PAGE: u64 = 4096;
        let mut out = Vec::new();
        let mut at = addr;
        while out.len() < max {
            let chunk = ((PAGE - at % PAGE) as usize).min(max - out.len());
            let part = self.read(at, chunk)?;
            if let Some(nul) = part.iter().position(|b| *b == 0) {
                out.extend_from_slice(&part[..nul]);
                return Ok(out);
            }
            out.extend_from_slice(&part);
            at = at.checked_add(chunk as u64).ok_or(Errno(libc::EFAULT))?;
        }
        Err(Errno(libc::ENAMETOOLONG))
    }

    /// What `readlink /proc/<tid>/fd/<fd>` says (e.g. `net:[4026531840]`), if anything.
    pub fn fd_link(&self, fd: u64) -> Option<Vec<u8>> {
        let fd = i32::try_from(fd as i64).ok().filter(|f| *f >= 0)?;
        let link = std::fs::read_link(format!("/proc/{}/fd/{fd}", self.tid)).ok()?;
        Some(link.into_os_string().into_encoded_bytes())
    }

    pub fn read_i32(&self, addr: u64) -> Result<i32, Errno> {
        Ok(i32::from_ne_bytes(self.read_array::<4>(addr)?))
    }

    pub fn read_u64(&self, addr: u64) -> Result<u64, Errno> {
        Ok(u64::from_ne_bytes(self.read_array::<8>(addr)?))
    }

    pub fn write(&self, addr: u64, data: &[u8]) -> Result<(), Errno> {
        self.scatter(&[(addr, data.len())], data)
    }

    /// Several writes in as few system calls as possible (one, below IOV_MAX pieces): a
    /// receive writes data, sender address, its length and the flags at once.
    pub fn write_vectored(&self, writes: &[(u64, &[u8])]) -> Result<(), Errno> {
        for batch in writes.chunks(UIO_MAXIOV) {
            let mut local = Vec::with_capacity(batch.len());
            let mut remote = Vec::with_capacity(batch.len());
            let mut total = 0;
            for (addr, data) in batch.iter().filter(|(_, d)| !d.is_empty()) {
                local.push(libc::iovec {
                    iov_base: data.as_ptr() as *mut libc::c_void,
                    iov_len: data.len(),
                });
                remote.push(libc::iovec {
                    iov_base: *addr as usize as *mut libc::c_void,
                    iov_len: data.len(),
                });
                total += data.len();
            }
            if total == 0 {
                continue;
            }
            // SAFETY: the local iovecs cover live buffers borrowed for this call (only read
            // by the kernel); the remote ones are checked by the kernel.
            let n = unsafe {
                libc::process_vm_writev(
                    self.tid,
                    local.as_ptr(),
                    local.len() as libc::c_ulong,
                    remote.as_ptr(),
                    remote.len() as libc::c_ulong,
                    0,
                )
            };
            if n < 0 {
                return Err(fault(Errno::last()));
            }
            if n as usize != total {
                return Err(Errno(libc::EFAULT));
            }
        }
        Ok(())
    }

    /// Writes `data` across the target's buffers in order (like a kernel recv into an iovec);
    /// `data` must not be longer than the buffers together.
    pub fn scatter(&self, bufs: &[(u64, usize)], data: &[u8]) -> Result<(), Errno> {
        let mut remote = Vec::with_capacity(bufs.len());
        let mut left = data.len();
        for &(addr, len) in bufs {
            if left == 0 {
                break;
            }
            let take = len.min(left);
            if take > 0 {
                remote.push(libc::iovec {
                    iov_base: addr as usize as *mut libc::c_void,
                    iov_len: take,
                });
            }
            left -= take;
        }
        if data.is_empty() {
            return Ok(());
        }
        let local = libc::iovec {
            iov_base: data.as_ptr() as *mut libc::c_void,
            iov_len: data.len(),
        };
        // SAFETY: the local iovec covers our own live buffer (only read by the kernel);
        // the remote ones are checked by the kernel.
        let n = unsafe {
            libc::process_vm_writev(
                self.tid,
                &local,
                1,
                remote.as_ptr(),
                remote.len() as libc::c_ulong,
                0,
            )
        };
        if n < 0 {
            return Err(fault(Errno::last()));
        }
        if n as usize != data.len() {
            return Err(Errno(libc::EFAULT));
        }
        Ok(())
    }

    /// What fd `fd` of this thread is: `Some(inode)` for a socket, `None` for anything else
    /// (or an fd that does not exist: the kernel will answer EBADF itself on CONTINUE).
    pub fn socket_inode(&self, fd: u64) -> Option<u64> {
        let fd = i32::try_from(fd as i64).ok().filter(|f| *f >= 0)?;
        let link = std::fs::read_link(format!("/proc/{}/fd/{fd}", self.tid)).ok()?;
        parse_socket_link(link.as_os_str().as_encoded_bytes())
    }

    /// Whether fd `fd` is a socket at all (interface ioctls only make sense on sockets).
    pub fn is_socket(&self, fd: u64) -> bool {
        self.socket_inode(fd).is_some()
    }

    /// The thread-group id: port ids and per-process state belong to processes, and the
    /// notification names a thread.
    pub fn tgid(&self) -> io::Result<u32> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.tid))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("Tgid:"))
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no Tgid in status"))
    }

    /// A pidfd for this thread (whose fd table `fetch_fd` reads).
    pub fn pidfd(&self) -> io::Result<OwnedFd> {
        match pidfd_open(self.tid, PIDFD_THREAD) {
            Ok(p) => Ok(p),
            // Before 6.9 only thread-group leaders have pidfds; threads share the fd table.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                pidfd_open(self.tgid()? as libc::pid_t, 0)
            }
            Err(e) => Err(e),
        }
    }
}

/// A copy of fd `fd` of the task behind `pidfd` (the same open file description).
pub(crate) fn fetch_fd(pidfd: RawFd, fd: u64) -> io::Result<OwnedFd> {
    let fd = i32::try_from(fd as i64)
        .ok()
        .filter(|f| *f >= 0)
        .ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))?;
    // SAFETY: plain syscall on our pidfd; the result is checked.
    let r = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd, fd, 0) };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pidfd_getfd returned a new fd owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(r as RawFd) })
}

pub(crate) fn pidfd_open(pid: libc::pid_t, flags: libc::c_uint) -> io::Result<OwnedFd> {
    // SAFETY: plain syscall; the result is checked.
    let r = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, flags) };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pidfd_open returned a new fd owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(r as RawFd) })
}

/// The inode of one of our fds.
pub(crate) fn inode_of(fd: RawFd) -> io::Result<u64> {
    // SAFETY: fstat into a zeroed stat on a live fd.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(st.st_ino)
}

/// The inode of one of our fds if it is a socket (sockets are numbered apart from files, as
/// `socket:[N]` in /proc shows; other fds' inode numbers belong to their filesystems).
pub(crate) fn socket_inode_of(fd: RawFd) -> Option<u64> {
    // SAFETY: fstat into a zeroed stat on a live fd.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        return None;
    }
    (st.st_mode & libc::S_IFMT == libc::S_IFSOCK).then_some(st.st_ino)
}

/// ESRCH from process_vm_* means the thread is gone; the notification is then invalid and
/// the answer is dropped anyway. EPERM: we may not inspect the target (it made itself not
/// dumpable), which callers must not mistake for a bad address. Everything else is a bad
/// address.
fn fault(e: Errno) -> Errno {
    if e.0 == libc::ESRCH || e.0 == libc::EPERM {
        e
    } else {
        Errno(libc::EFAULT)
    }
}

fn parse_socket_link(link: &[u8]) -> Option<u64> {
    let rest = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    std::str::from_utf8(rest).ok()?.parse().ok()
}

/// The thread group (process) of thread `tid`, from `/proc/<tid>/status`.
pub(crate) fn tgid_of(tid: libc::pid_t) -> Option<libc::pid_t> {
    let status = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_links() {
        assert_eq!(parse_socket_link(b"socket:[1234]"), Some(1234));
        assert_eq!(parse_socket_link(b"pipe:[1234]"), None);
        assert_eq!(parse_socket_link(b"/dev/null"), None);
        assert_eq!(parse_socket_link(b"socket:[x]"), None);
    }

    #[test]
    fn own_memory_roundtrip() {
        let t = Thread {
            tid: std::process::id() as i32,
        };
        let s = b"abc\0def";
        assert_eq!(t.read_cstr(s.as_ptr() as u64, 100).unwrap(), b"abc");
        assert_eq!(
            t.read_cstr(s.as_ptr() as u64, 2),
            Err(Errno(libc::ENAMETOOLONG))
        );
        let src = *b"hello world!";
        let got = t.read(src.as_ptr() as u64, src.len()).unwrap();
        assert_eq!(got, src);
        let mut a = [0u8; 5];
        let mut b = [0u8; 5];
        t.scatter(
            &[(a.as_mut_ptr() as u64, 3), (b.as_mut_ptr() as u64, 5)],
            b"abcdef",
        )
        .unwrap();
        // Keep the compiler from assuming the buffers are untouched.
        let (a, b) = (std::hint::black_box(a), std::hint::black_box(b));
        assert_eq!(&a[..3], b"abc");
        assert_eq!(&b[..3], b"def");
        assert_eq!(t.read(0, 4), Err(Errno(libc::EFAULT)));
    }
}
