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
//! - The `/sys/class/net` directory: a stand-in directory listing the simulated devices
//!   (supervisor.rs); a device's directory: a stand-in listing the attributes the model
//!   serves; `bonding_masters`, `/sys/devices/*/net` and everything else about the host's
//!   devices: refused (never the host's).
//! - `/proc/sys/net/...`: classified here, served by `sysctl.rs`.
//!
//! Paths are judged after `paths.rs` made them absolute and followed their links, so
//! `/sys/devices/virtual/net/lo/mtu` is `lo`'s `mtu` as well.

use crate::error::Errno;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

pub(crate) const CLASS_NET: &[u8] = b"/sys/class/net";

/// A (folded, absolute) path the launcher answers instead of the host: every path into the
/// host's network devices and `/proc/net`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NetPath {
    /// `/sys/class/net`: a directory of the simulated devices.
    ClassNetDir,
    /// A device's directory (`/sys/class/net/<dev>`, `/sys/devices/.../net/<dev>`).
    DeviceDir(String),
    /// A file below a device's directory: (device, attribute path).
    DeviceFile(String, String),
    /// `/proc/<task>/net/<file>` (`file` empty: the directory), as seen by task `task`.
    ProcNet { task: u32, file: String },
    /// `/proc/sys/net/<path>` (`path` empty: the directory itself).
    Sysctl(String),
    /// Anything else about the host's devices (`/sys/devices/virtual/net`,
    /// `/sys/class/net/bonding_masters`): refused.
    Other,
}

/// Classifies a folded absolute path (see `paths::fold`); `None`: not about network devices.
pub(crate) fn classify(path: &[u8]) -> Option<NetPath> {
    // Lossy: a name with invalid UTF-8 must still be recognised by its prefix.
    let s = String::from_utf8_lossy(path);
    let parts: Vec<&str> = s.split('/').filter(|c| !c.is_empty()).collect();
    let num = |c: &str| c.parse::<u32>().ok();
    match parts.as_slice() {
        ["sys", "class", "net"] => Some(NetPath::ClassNetDir),
        ["sys", "class", "net", "bonding_masters", ..] => Some(NetPath::Other),
        ["sys", "class", "net", dev] => Some(NetPath::DeviceDir(dev.to_string())),
        ["sys", "class", "net", dev, rest @ ..] => {
            Some(NetPath::DeviceFile(dev.to_string(), rest.join("/")))
        }
        ["sys", "devices", rest @ ..] => {
            // The devices' real directories: .../net/<dev>[/attr...] (the targets of the
            // /sys/class/net links).
            let at = rest.iter().position(|c| *c == "net")?;
            match &rest[at + 1..] {
                [] => Some(NetPath::Other),
                [dev] => Some(NetPath::DeviceDir(dev.to_string())),
                [dev, attr @ ..] => Some(NetPath::DeviceFile(dev.to_string(), attr.join("/"))),
            }
        }
        // The simulated namespace's sysctls (crate::sysctl), never the host's.
        ["proc", "sys", "net", rest @ ..] => Some(NetPath::Sysctl(rest.join("/"))),
        ["proc", pid, "net", rest @ ..] => Some(NetPath::ProcNet {
            task: num(pid)?,
            file: rest.join("/"),
        }),
        ["proc", _, "task", tid, "net", rest @ ..] => Some(NetPath::ProcNet {
            task: num(tid)?,
            file: rest.join("/"),
        }),
        _ => None,
    }
}
/// `/proc/net/bonding/<bond>` (drivers/net/bonding/bond_procfs.c) is read through the same
/// request, as attribute [`PROC_BONDING`] of the bond.
pub(crate) const PROC_BONDING: &str = "/proc/net/bonding";

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
    fn net_paths() {
        assert_eq!(classify(b"/sys/class/net"), Some(NetPath::ClassNetDir));
        assert_eq!(
            classify(b"/sys/class/net/lo"),
            Some(NetPath::DeviceDir("lo".into()))
        );
        assert_eq!(
            classify(b"/sys/devices/virtual/net/lo/statistics/rx_bytes"),
            Some(NetPath::DeviceFile(
                "lo".into(),
                "statistics/rx_bytes".into()
            ))
        );
        assert_eq!(classify(b"/sys/devices/virtual/net"), Some(NetPath::Other));
        assert_eq!(
            classify(b"/sys/class/net/bonding_masters"),
            Some(NetPath::Other)
        );
        assert_eq!(
            classify(b"/proc/42/task/43/net/route"),
            Some(NetPath::ProcNet {
                task: 43,
                file: "route".into()
            })
        );
        assert_eq!(
            classify(b"/proc/42/net"),
            Some(NetPath::ProcNet {
                task: 42,
                file: String::new()
            })
        );
        assert_eq!(
            classify(b"/proc/sys/net/ipv4/ip_forward"),
            Some(NetPath::Sysctl("ipv4/ip_forward".into()))
        );
        assert_eq!(
            classify(b"/proc/sys/net"),
            Some(NetPath::Sysctl(String::new()))
        );
        assert_eq!(classify(b"/proc/sys/kernel/hostname"), None);
        assert_eq!(classify(b"/sys/devices/system/cpu/cpu0"), None);
        assert_eq!(classify(b"/proc/42/status"), None);
        assert_eq!(classify(b"/etc/passwd"), None);
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
