//! Which file an `open` of a target names, as the launcher must judge it: the path made
//! absolute (the target's cwd or dirfd), `.` and `..` folded, `/proc/self` and
//! `/proc/thread-self` read as the caller's, and symbolic links followed, so that a relative
//! path, a `..` detour or a link the program made cannot reach `/proc/net` or
//! `/sys/class/net` past the emulation.
//!
//! The path is first folded lexically; if that names nothing emulated, the host's kernel
//! resolves it (an `O_PATH` open by the supervisor, read back from `/proc/self/fd`), which
//! follows every symbolic link as the target's open would. The supervisor's own pid in the
//! answer (a link through `/proc/self`) is read as the caller's.

use crate::error::Errno;
use crate::target::Thread;
use std::os::fd::{FromRawFd, OwnedFd};

/// The caller's ids, for `/proc/self` and `/proc/thread-self`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caller {
    pub tgid: u32,
    pub tid: u32,
}

/// Folds `.`, `..` and repeated slashes of an absolute path, and reads `/proc/self` and
/// `/proc/thread-self` (and `/proc/net`, a link to `self/net`) as the caller's.
pub(crate) fn fold(path: &[u8], who: Caller) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for c in path.split(|b| *b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            c => {
                parts.push(c.to_vec());
                if parts.len() == 2 && parts[0] == b"proc" {
                    let tail: Option<Vec<Vec<u8>>> = match parts[1].as_slice() {
                        b"self" => Some(vec![who.tgid.to_string().into_bytes()]),
                        b"thread-self" => Some(vec![
                            who.tgid.to_string().into_bytes(),
                            b"task".to_vec(),
                            who.tid.to_string().into_bytes(),
                        ]),
                        b"net" => Some(vec![who.tgid.to_string().into_bytes(), b"net".to_vec()]),
                        _ => None,
                    };
                    if let Some(tail) = tail {
                        parts.truncate(1);
                        parts.extend(tail);
                    }
                }
            }
        }
    }
    let mut out = Vec::with_capacity(path.len());
    for p in &parts {
        out.push(b'/');
        out.extend_from_slice(p);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

/// The absolute path of `path` opened relative to `dirfd` by thread `t` (AT_FDCWD: its
/// cwd). `Ok(None)`: the base is not a directory path (a socket, a pipe: the kernel then
/// fails the open with ENOTDIR itself). `Err`: the base cannot be known (no such fd: EBADF;
/// the target may not be inspected: EPERM), and the open must not run unjudged.
/// `mirror`: our stand-in directory of `/sys/class/net`, read back as that path.
pub(crate) fn absolute(
    t: Thread,
    dirfd: i32,
    path: &[u8],
    mirror: Option<&[u8]>,
) -> Result<Option<Vec<u8>>, Errno> {
    if path.starts_with(b"/") {
        return Ok(Some(path.to_vec()));
    }
    let link = if dirfd == libc::AT_FDCWD {
        format!("/proc/{}/cwd", t.tid)
    } else {
        format!("/proc/{}/fd/{dirfd}", t.tid)
    };
    let base = std::fs::read_link(link).map_err(|e| match e.raw_os_error() {
        // A thread that is gone: the answer is dropped anyway.
        Some(libc::ESRCH) => Errno(libc::ESRCH),
        // The fd does not exist (negative numbers other than AT_FDCWD included).
        Some(libc::ENOENT) if dirfd != libc::AT_FDCWD => Errno(libc::EBADF),
        _ => Errno(libc::EPERM),
    })?;
    let mut base = base.into_os_string().into_encoded_bytes();
    if !base.starts_with(b"/") {
        return Ok(None);
    }
    if let Some(m) = mirror {
        if let Some(rest) = base.strip_prefix(m) {
            // Our snapshots are `<mirror>/<n>` (the directory) and `<mirror>/<n>/<dev>/...`
            // (a device's): read back as /sys/class/net[/<dev>/...].
            if let Some(after_n) = rest.strip_prefix(b"/") {
                let tail = after_n
                    .iter()
                    .position(|b| *b == b'/')
                    .map_or(&b""[..], |i| &after_n[i..]);
                let mut mapped = crate::sysfs::CLASS_NET.to_vec();
                mapped.extend_from_slice(tail);
                base = mapped;
            }
        }
    }
    base.push(b'/');
    base.extend_from_slice(path);
    Ok(Some(base))
}

/// The host kernel's resolution of `abs` as thread `t` sees it (every symbolic link
/// followed, the last one too unless `nofollow`), or `None` if it names nothing that exists.
///
/// The walk starts at `/proc/<tid>/root`, so mounts and relative links are the target's
/// (a target in a private mount namespace may have a tmpfs the supervisor cannot see);
/// absolute links restart at the supervisor's root, where `/proc` and `/sys` are the same
/// (mounting them elsewhere is refused, see `on_mount`).
pub(crate) fn kernel_resolved(
    t: Thread,
    abs: &[u8],
    nofollow: bool,
    who: Caller,
) -> Option<Vec<u8>> {
    let mut theirs = format!("/proc/{}/root", t.tid).into_bytes();
    theirs.extend_from_slice(abs);
    resolve_path(&theirs, nofollow, who).or_else(|| resolve_path(abs, nofollow, who))
}

fn resolve_path(abs: &[u8], nofollow: bool, who: Caller) -> Option<Vec<u8>> {
    let c = std::ffi::CString::new(abs).ok()?;
    let flags = libc::O_PATH | libc::O_CLOEXEC | if nofollow { libc::O_NOFOLLOW } else { 0 };
    // SAFETY: open with a NUL-terminated path; the result is checked.
    let raw = unsafe { libc::open(c.as_ptr(), flags) };
    if raw < 0 {
        return None;
    }
    // SAFETY: open returned a new fd owned here.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    let link = std::fs::read_link(format!(
        "/proc/self/fd/{}",
        std::os::fd::AsRawFd::as_raw_fd(&fd)
    ))
    .ok()?
    .into_os_string()
    .into_encoded_bytes();
    // A link through /proc/self resolved to us: it is the caller's.
    let me = format!("/proc/{}/", std::process::id()).into_bytes();
    if let Some(rest) = link.strip_prefix(me.as_slice()) {
        let rest = match rest.strip_prefix(b"task/") {
            // Our thread's `task/<tid>/`: the caller's thread.
            Some(r) => {
                let after = r
                    .iter()
                    .position(|b| *b == b'/')
                    .map_or(&r[r.len()..], |i| &r[i..]);
                let mut v = format!("task/{}", who.tid).into_bytes();
                v.extend_from_slice(after);
                v
            }
            None => rest.to_vec(),
        };
        let mut out = format!("/proc/{}/", who.tgid).into_bytes();
        out.extend_from_slice(&rest);
        return Some(out);
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHO: Caller = Caller { tgid: 42, tid: 43 };

    #[test]
    fn folds() {
        assert_eq!(fold(b"/proc/self/net/dev", WHO), b"/proc/42/net/dev");
        assert_eq!(fold(b"/proc/net/dev", WHO), b"/proc/42/net/dev");
        assert_eq!(
            fold(b"/proc/thread-self/net/route", WHO),
            b"/proc/42/task/43/net/route"
        );
        assert_eq!(
            fold(b"/sys/class/../class/./net//lo/mtu", WHO),
            b"/sys/class/net/lo/mtu"
        );
        assert_eq!(fold(b"/../../proc/../proc/net", WHO), b"/proc/42/net");
        assert_eq!(fold(b"/", WHO), b"/");
        assert_eq!(fold(b"/dev/net/../net/tun", WHO), b"/dev/net/tun");
    }

    #[test]
    fn kernel_follows_links() {
        let dir = std::env::temp_dir().join(format!("nlsim-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("l");
        std::os::unix::fs::symlink("/proc/self/net/dev", &link).unwrap();
        let me = Thread {
            tid: std::process::id() as i32,
        };
        let got = kernel_resolved(me, link.as_os_str().as_encoded_bytes(), false, WHO);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(got.as_deref(), Some(&b"/proc/42/net/dev"[..]));
    }
}
