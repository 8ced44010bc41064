//! `/sys/class/net` emulation, a start: an `open` of `/sys/class/net/<dev>/<attr>` (an absolute
//! path, read from the target's memory) is answered from the simulator.
//!
//! - A device the simulator has: the attributes the model produces (see
//!   `kernel_model::sysfs`: ifindex, type, mtu, flags, tx_queue_len, operstate, addr_len,
//!   addr_assign_type, link_mode, netdevsim's phys_port_name / phys_switch_id, tun's
//!   tun_flags / owner / group, a bond's bonding/slaves and bonding/mode) are read from a
//!   sealed memfd injected in place of the file;
//!   any other attribute, and any write, fails (ENOENT / EPERM) with one `nlsim: ...` line.
//! - A device it does not have: ENOENT, as in the simulated namespace.
//! - `/proc/net/bonding/<bond>`: the model's `bond_info_seq_show` text (ENOENT for a device
//!   that is not a bond; 802.3ad details not modelled).
//! - Everything else (the `/sys/class/net` directory itself, `bonding_masters`, relative
//!   paths, `/sys/devices/...`) runs natively and shows the host.

use crate::error::Errno;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

pub(crate) const PREFIX: &[u8] = b"/sys/class/net/";
/// `/proc/net/bonding/<bond>` (drivers/net/bonding/bond_procfs.c) is read through the same
/// request, as attribute [`PROC_BONDING`] of the bond.
pub(crate) const PROC_BONDING_PREFIX: &[u8] = b"/proc/net/bonding/";
pub(crate) const PROC_BONDING: &str = "/proc/net/bonding";

/// The bond named by a `/proc/net/bonding/<bond>` path.
pub(crate) fn proc_bonding(path: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(path.strip_prefix(PROC_BONDING_PREFIX)?).ok()?;
    (!name.is_empty() && !name.contains('/')).then(|| name.to_string())
}

/// `(dev, attr)` of a path below `/sys/class/net/<dev>/`, if it names a file in a device's
/// directory.
pub(crate) fn split(path: &[u8]) -> Option<(String, String)> {
    let rest = path.strip_prefix(PREFIX)?;
    let rest = std::str::from_utf8(rest).ok()?;
    let (dev, attr) = rest.split_once('/')?;
    let attr = attr.trim_end_matches('/');
    if dev.is_empty() || attr.is_empty() || attr.starts_with('/') {
        return None;
    }
    Some((dev.to_string(), attr.to_string()))
}

/// A read-only fd whose content is `text`.
pub(crate) fn memfd_with(text: &str) -> Result<OwnedFd, Errno> {
    // SAFETY: memfd_create with a NUL-terminated name; the result is checked.
    let fd = unsafe {
        libc::memfd_create(
            c"nlsim-sysfs".as_ptr(),
            libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING,
        )
    };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: memfd_create returned a new fd owned here.
    let rw = unsafe { OwnedFd::from_raw_fd(fd) };
    let bytes = text.as_bytes();
    // SAFETY: writing from a live buffer of the given length to our memfd.
    let n = unsafe {
        libc::write(
            rw.as_raw_fd(),
            bytes.as_ptr() as *const libc::c_void,
            bytes.len(),
        )
    };
    if n < 0 || n as usize != bytes.len() {
        return Err(Errno(libc::EIO));
    }
    // SAFETY: fcntl on our memfd: no more writes, shrinking or growing.
    unsafe {
        libc::fcntl(
            rw.as_raw_fd(),
            libc::F_ADD_SEALS,
            libc::F_SEAL_WRITE | libc::F_SEAL_GROW | libc::F_SEAL_SHRINK | libc::F_SEAL_SEAL,
        )
    };
    // A read-only open file description of its own, at offset 0.
    let path = format!("/proc/self/fd/{}\0", rw.as_raw_fd());
    // SAFETY: open with a NUL-terminated path; the result is checked.
    let ro = unsafe {
        libc::open(
            path.as_ptr() as *const libc::c_char,
            libc::O_RDONLY | libc::O_CLOEXEC,
        )
    };
    if ro < 0 {
        return Err(Errno::last());
    }
    // SAFETY: open returned a new fd owned here.
    Ok(unsafe { OwnedFd::from_raw_fd(ro) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            split(b"/sys/class/net/tap1/tun_flags"),
            Some(("tap1".into(), "tun_flags".into()))
        );
        assert_eq!(
            split(b"/sys/class/net/bond0/bonding/slaves"),
            Some(("bond0".into(), "bonding/slaves".into()))
        );
        assert_eq!(split(b"/sys/class/net/bonding_masters"), None);
        assert_eq!(split(b"/sys/class/net/"), None);
        assert_eq!(split(b"/etc/passwd"), None);
    }

    #[test]
    fn memfd_reads_back() {
        let fd = memfd_with("0x1002\n").unwrap();
        let mut buf = [0u8; 16];
        // SAFETY: reading into a live buffer from our fd.
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr() as *mut libc::c_void, 16) };
        assert_eq!(&buf[..n as usize], b"0x1002\n");
        // SAFETY: as above; the description is read-only.
        let w = unsafe { libc::write(fd.as_raw_fd(), buf.as_ptr() as *const libc::c_void, 1) };
        assert!(w < 0);
    }
}
