//! `/dev/net/tun` emulation.
//!
//! An `open` of exactly `/dev/net/tun` (an absolute path; the path is read from the target's
//! memory, so a racing thread could change it after we looked: this is a test tool, not a
//! sandbox) gets a stand-in instead of the character device: one end of an `AF_UNIX`
//! `SOCK_SEQPACKET` socketpair, injected with `SECCOMP_IOCTL_NOTIF_ADDFD`, while the supervisor
//! keeps the other end. The simulator opens a tun file for it (`tun_chr_open`).
//!
//! - The stand-in is recognised by its socket inode, like the netlink sockets, so dup, fork
//!   and SCM_RIGHTS copies work; the tun ioctls on it (TUNSETIFF, TUNGETIFF, TUNSETPERSIST,
//!   TUNSETOWNER, TUNSETGROUP; TUNGETFEATURES is answered here) go to the simulator.
//! - When the target closes its last copy, the supervisor's end hangs up: the simulator closes
//!   the tun file (`tun_chr_close`: detach, and delete a device that is not persistent).
//! - Not emulated: the data path (packets the target writes are discarded, reads never return
//!   data), the other tun ioctls (refused with EOPNOTSUPP and a `nlsim:` line), `fstat` (a
//!   socket, not a character device) and `/proc/<pid>/fd` links (`socket:[N]`, so
//!   `ip -d tuntap show` lists no attached processes).

use crate::backend::{Cred, TunIoctl};
use crate::error::Errno;
use crate::target::{inode_of, Thread};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

pub(crate) const DEV_NET_TUN: &[u8] = b"/dev/net/tun";
/// `sizeof(struct ifreq)`.
pub(crate) const IFREQ_LEN: usize = 40;
const IFNAMSIZ: usize = 16;
/// TUNGETFEATURES: `IFF_TUN | IFF_TAP | IFF_NO_CARRIER | TUN_FEATURES`.
pub(crate) const TUN_FEATURES_ANSWER: u32 =
    0x0001 | 0x0002 | 0x0040 | 0x1000 | 0x2000 | 0x4000 | 0x0100 | 0x0010 | 0x0020;

/// One stand-in: the simulator's file id and our end of the socketpair.
pub(crate) struct TunFd {
    pub file: u64,
    pub peer: OwnedFd,
}

/// A socketpair: (the target's end, ours), and the inode of the target's end.
pub(crate) fn stand_in(nonblock: bool) -> Result<(OwnedFd, OwnedFd, u64), Errno> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: socketpair into a live array of two ints.
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
    let (theirs, ours) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    if nonblock {
        // SAFETY: fcntl on an fd of ours; the flag lives in the open file description the
        // target will share.
        unsafe {
            let fl = libc::fcntl(theirs.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(theirs.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
        }
    }
    // Ours never blocks: we only drain what the target writes.
    // SAFETY: as above.
    unsafe {
        let fl = libc::fcntl(ours.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(ours.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
    }
    let ino = inode_of(theirs.as_raw_fd()).map_err(Errno::from)?;
    Ok((theirs, ours, ino))
}

/// Discards what the target wrote to the stand-in (packets: the data path is not modelled).
/// Returns true when the target's end is gone.
pub(crate) fn drain(peer: RawFd) -> bool {
    let mut buf = [0u8; 2048];
    loop {
        // SAFETY: receiving into a live buffer of the given length.
        let n = unsafe {
            libc::recv(
                peer,
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n == 0 {
            return true;
        }
        if n < 0 {
            let e = Errno::last();
            return !matches!(e.0, libc::EAGAIN | libc::EINTR);
        }
    }
}

/// The caller's effective credentials (`current_cred()`), from `/proc/<tid>/status`.
pub(crate) fn cred_of(t: Thread) -> Result<Cred, Errno> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", t.tid)).map_err(Errno::from)?;
    let field = |name: &str| -> Option<Vec<u32>> {
        let line = status.lines().find_map(|l| l.strip_prefix(name))?;
        Some(
            line.split_whitespace()
                .filter_map(|v| v.parse().ok())
                .collect(),
        )
    };
    // "Uid:\treal\teffective\tsaved\tfs".
    let euid = field("Uid:").and_then(|v| v.get(1).copied());
    let egid = field("Gid:").and_then(|v| v.get(1).copied());
    match (euid, egid) {
        (Some(euid), Some(egid)) => Ok(Cred {
            euid,
            egid,
            groups: field("Groups:").unwrap_or_default(),
        }),
        _ => Err(Errno(libc::ESRCH)),
    }
}

/// The ifreq a TUNSETIFF passes: (ifr_name cut at IFNAMSIZ - 1, ifr_flags).
pub(crate) fn parse_setiff(ifr: &[u8]) -> Result<(String, u32), Errno> {
    let name: Vec<u8> = ifr[..IFNAMSIZ - 1]
        .iter()
        .take_while(|b| **b != 0)
        .copied()
        .collect();
    // Device names in the model are UTF-8; a kernel would take any bytes but '/', ':' and
    // whitespace. Other names are refused.
    let name = String::from_utf8(name).map_err(|_| Errno(libc::EINVAL))?;
    let flags = u16::from_ne_bytes([ifr[16], ifr[17]]) as u32;
    Ok((name, flags))
}

/// `strcpy(ifr->ifr_name, name)` into a copy of the caller's ifreq.
pub(crate) fn put_name(ifr: &mut [u8], name: &str) {
    let n = name.len().min(IFNAMSIZ - 1);
    ifr[..n].copy_from_slice(&name.as_bytes()[..n]);
    ifr[n] = 0;
}

/// The simulator's view of a tun ioctl request, or None for one that is not modelled.
pub(crate) fn modelled(req: u32, arg: u64) -> Option<TunIoctl> {
    use crate::filter::tun_ioctl::*;
    Some(match req {
        TUNGETIFF => TunIoctl::GetIff,
        TUNSETPERSIST => TunIoctl::SetPersist(arg != 0),
        // make_kuid(current_user_ns(), arg): the uid_t the unsigned long holds.
        TUNSETOWNER => TunIoctl::SetOwner(arg as u32),
        TUNSETGROUP => TunIoctl::SetGroup(arg as u32),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ifreq_roundtrip() {
        let mut ifr = [0u8; IFREQ_LEN];
        ifr[..4].copy_from_slice(b"tap%");
        ifr[16..18].copy_from_slice(&0x1002u16.to_ne_bytes());
        assert_eq!(parse_setiff(&ifr), Ok(("tap%".to_string(), 0x1002)));
        put_name(&mut ifr, "tap0");
        assert_eq!(&ifr[..5], b"tap0\0");
        // A name filling ifr_name is cut at IFNAMSIZ - 1, like the kernel's.
        ifr[..16].copy_from_slice(b"0123456789abcdef");
        assert_eq!(parse_setiff(&ifr).map(|r| r.0.len()), Ok(15));
        assert_eq!(
            modelled(crate::filter::tun_ioctl::TUNSETPERSIST, 7),
            Some(TunIoctl::SetPersist(true))
        );
    }
}
