//! `devinet_ioctl` (net/ipv4/devinet.c): the IPv4 address ioctls of an AF_INET socket, as
//! `ifconfig` uses them. `ifr_name` names an address by its label (`eth0:1`); the GET calls
//! read that address, the SET calls replace it through `inet_del_ifa` + `inet_insert_ifa`
//! (so its notifications and routes follow, with no requester: portid 0, no nlh).

use super::ifaddr::{ifa_f, prefix_mask_v4, InIfaddr, RT_SCOPE_HOST};
use crate::device::NetnsId;
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff, IFNAMSIZ};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// The request numbers `devinet_ioctl` answers (include/uapi/linux/sockios.h).
pub mod cmd {
    pub const SIOCSIFFLAGS: u32 = 0x8914;
    pub const SIOCGIFADDR: u32 = 0x8915;
    pub const SIOCSIFADDR: u32 = 0x8916;
    pub const SIOCGIFDSTADDR: u32 = 0x8917;
    pub const SIOCSIFDSTADDR: u32 = 0x8918;
    pub const SIOCGIFBRDADDR: u32 = 0x8919;
    pub const SIOCSIFBRDADDR: u32 = 0x891a;
    pub const SIOCGIFNETMASK: u32 = 0x891b;
    pub const SIOCSIFNETMASK: u32 = 0x891c;
}

/// `AF_INET` as `sin_family` carries it.
pub const AF_INET: u16 = 2;

/// The `struct ifreq` fields `devinet_ioctl` reads: `ifr_name`, and `ifr_addr` as a
/// `struct sockaddr_in` (its first two bytes are also `ifr_flags` for SIOCSIFFLAGS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InetIfreq {
    /// `ifr_name` up to its first NUL (at most IFNAMSIZ - 1 bytes are read).
    pub name: String,
    /// `sin_family`.
    pub family: u16,
    /// `sin_addr`.
    pub addr: Ipv4Addr,
    /// `ifr_flags` (a C short, the same bytes as `sin_family`).
    pub flags: i16,
}

/// `inet_abc_len`: the classful prefix length of an address, `None` for class D (multicast).
pub fn inet_abc_len(addr: Ipv4Addr) -> Option<u8> {
    let h = u32::from(addr);
    // ipv4_is_zeronet / ipv4_is_lbcast
    if h == 0 || h == u32::MAX {
        return Some(0);
    }
    // IN_CLASSA .. IN_CLASSE (include/uapi/linux/in.h)
    if h & 0x8000_0000 == 0 {
        Some(8)
    } else if h & 0xc000_0000 == 0x8000_0000 {
        Some(16)
    } else if h & 0xe000_0000 == 0xc000_0000 {
        Some(24)
    } else if h & 0xf000_0000 == 0xf000_0000 {
        Some(32)
    } else {
        None
    }
}

/// `bad_mask(mask, 0)` (include/linux/inetdevice.h): the mask is not contiguous ones.
pub fn bad_mask(mask: Ipv4Addr) -> bool {
    let inv = !u32::from(mask);
    inv & inv.wrapping_add(1) != 0
}

/// `inet_mask_len`.
fn inet_mask_len(mask: Ipv4Addr) -> u8 {
    let h = u32::from(mask);
    if h == 0 {
        0
    } else {
        32 - h.trailing_zeros() as u8
    }
}

fn is_get(c: u32) -> bool {
    matches!(
        c,
        cmd::SIOCGIFADDR | cmd::SIOCGIFBRDADDR | cmd::SIOCGIFDSTADDR | cmd::SIOCGIFNETMASK
    )
}

impl Kernel {
    /// `devinet_ioctl`: `Some(address)` for the GET calls (the `sin_addr` copied back with
    /// `sin_family` AF_INET), `None` for the SET calls. The caller is capable (CAP_NET_ADMIN
    /// in its namespace): the simulated requester is root there, as for netlink.
    pub fn devinet_ioctl(
        &mut self,
        ns: NetnsId,
        c: u32,
        ifr: &InetIfreq,
    ) -> KResult<Option<Ipv4Addr>> {
        // ifr->ifr_name[IFNAMSIZ - 1] = 0
        let label: String = ifr.name.chars().take(IFNAMSIZ - 1).collect();
        let (devname, colon) = match label.find(':') {
            Some(p) => (&label[..p], true),
            None => (&label[..], false),
        };
        let tryaddrmatch = is_get(c) && ifr.family == AF_INET;
        let set_addr = matches!(
            c,
            cmd::SIOCSIFADDR | cmd::SIOCSIFBRDADDR | cmd::SIOCSIFDSTADDR | cmd::SIOCSIFNETMASK
        );
        if set_addr && ifr.family != AF_INET {
            return Err(KernelError::new(errno::EINVAL));
        }
        if !is_get(c) && !set_addr && c != cmd::SIOCSIFFLAGS {
            return Err(KernelError::new(errno::EINVAL));
        }
        let Some(id) = self.dev_by_name(ns, devname) else {
            return Err(KernelError::new(errno::ENODEV));
        };
        let in_dev = self.dev(id).inet.in4;
        // The label and address (4.4BSD style), else the label alone.
        let mut found = None;
        if in_dev {
            let list = self.in_dev_addrs(id);
            if tryaddrmatch {
                found = list
                    .iter()
                    .position(|a| a.label == label && a.local == ifr.addr);
            }
            if found.is_none() {
                found = list.iter().position(|a| a.label == label);
            }
        }
        if found.is_none() && c != cmd::SIOCSIFADDR && c != cmd::SIOCSIFFLAGS {
            return Err(KernelError::new(errno::EADDRNOTAVAIL));
        }
        let ifa = found.map(|i| (i, self.in_dev_addrs(id)[i].clone()));
        match (c, ifa) {
            (cmd::SIOCGIFADDR, Some((_, a))) => Ok(Some(a.local)),
            (cmd::SIOCGIFBRDADDR, Some((_, a))) => Ok(Some(a.broadcast)),
            (cmd::SIOCGIFDSTADDR, Some((_, a))) => Ok(Some(a.address)),
            (cmd::SIOCGIFNETMASK, Some((_, a))) => Ok(Some(a.mask())),
            (cmd::SIOCSIFFLAGS, ifa) => {
                if colon {
                    let Some((i, _)) = ifa else {
                        return Err(KernelError::new(errno::EADDRNOTAVAIL));
                    };
                    if (ifr.flags as u32) & iff::UP == 0 {
                        self.inet_del_ifa(id, i, false, false);
                    }
                    return Ok(None);
                }
                // dev_change_flags(dev, ifr->ifr_flags): the short widens with its sign.
                self.dev_change_flags(id, ifr.flags as i32 as u32)?;
                Ok(None)
            }
            (cmd::SIOCSIFADDR, ifa) => self.devinet_set_addr(id, &label, colon, ifr.addr, ifa),
            (cmd::SIOCSIFBRDADDR, Some((i, mut a))) => {
                if a.broadcast != ifr.addr {
                    self.inet_del_ifa(id, i, false, false);
                    a.broadcast = ifr.addr;
                    // The kernel ignores inet_insert_ifa's result here (ret stays 0).
                    let _ = self.inet_insert_ifa(a, false);
                }
                Ok(None)
            }
            (cmd::SIOCSIFDSTADDR, Some((i, mut a))) => {
                if a.address == ifr.addr {
                    return Ok(None);
                }
                if inet_abc_len(ifr.addr).is_none() {
                    return Err(KernelError::new(errno::EINVAL));
                }
                self.inet_del_ifa(id, i, false, false);
                a.address = ifr.addr;
                // The kernel ignores inet_insert_ifa's result here (ret stays 0).
                let _ = self.inet_insert_ifa(a, false);
                Ok(None)
            }
            (cmd::SIOCSIFNETMASK, Some((i, mut a))) => {
                if bad_mask(ifr.addr) {
                    return Err(KernelError::new(errno::EINVAL));
                }
                let old_mask = a.mask();
                if old_mask != ifr.addr {
                    self.inet_del_ifa(id, i, false, false);
                    a.prefixlen = inet_mask_len(ifr.addr);
                    // A broadcast that matched the old mask follows the new one; any other
                    // is the user's and stays.
                    let bcast_of = |m: Ipv4Addr| Ipv4Addr::from(u32::from(a.local) | !u32::from(m));
                    if self.dev(id).flags & iff::BROADCAST != 0
                        && a.prefixlen < 31
                        && a.broadcast == bcast_of(old_mask)
                    {
                        a.broadcast = bcast_of(ifr.addr);
                    }
                    let _ = self.inet_insert_ifa(a, false);
                }
                Ok(None)
            }
            // The GET and SET calls without an address returned EADDRNOTAVAIL above.
            _ => Err(KernelError::new(errno::EADDRNOTAVAIL)),
        }
    }

    /// SIOCSIFADDR: a new address (`inet_alloc_ifa`) labelled `label` (or the device name),
    /// or the labelled one replaced; classful prefix, broadcast from it, then `inet_set_ifa`.
    fn devinet_set_addr(
        &mut self,
        id: crate::device::DevId,
        label: &str,
        colon: bool,
        addr: Ipv4Addr,
        ifa: Option<(usize, InIfaddr)>,
    ) -> KResult<Option<Ipv4Addr>> {
        if inet_abc_len(addr).is_none() {
            return Err(KernelError::new(errno::EINVAL));
        }
        let mut a = match ifa {
            None => {
                if !self.dev(id).inet.in4 {
                    return Err(KernelError::new(errno::ENOBUFS));
                }
                InIfaddr {
                    dev: id,
                    local: Ipv4Addr::UNSPECIFIED,
                    address: Ipv4Addr::UNSPECIFIED,
                    prefixlen: 0,
                    broadcast: Ipv4Addr::UNSPECIFIED,
                    scope: 0,
                    flags: 0,
                    label: if colon {
                        label.to_string()
                    } else {
                        self.dev(id).name.clone()
                    },
                    rt_priority: 0,
                    proto: 0,
                    valid_lft: 0,
                    prefered_lft: 0,
                    cstamp: 0,
                    tstamp: 0,
                }
            }
            Some((i, mut a)) => {
                if a.local == addr {
                    return Ok(None);
                }
                self.inet_del_ifa(id, i, false, false);
                a.broadcast = Ipv4Addr::UNSPECIFIED;
                a.scope = 0;
                a
            }
        };
        a.local = addr;
        a.address = addr;
        let flags = self.dev(id).flags;
        if flags & iff::POINTOPOINT == 0 {
            a.prefixlen = inet_abc_len(addr).unwrap_or(0);
            if flags & iff::BROADCAST != 0 && a.prefixlen < 31 {
                a.broadcast = Ipv4Addr::from(u32::from(addr) | !prefix_mask_v4(a.prefixlen));
            }
        } else {
            a.prefixlen = 32;
        }
        // set_ifa_lifetime(ifa, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME)
        a.flags = (a.flags & !(ifa_f::PERMANENT | ifa_f::DEPRECATED)) | ifa_f::PERMANENT;
        a.tstamp = self.now();
        if a.cstamp == 0 {
            a.cstamp = a.tstamp;
        }
        // inet_set_ifa
        if a.local.is_loopback() {
            a.scope = RT_SCOPE_HOST;
        }
        self.inet_insert_ifa(a, false)?;
        Ok(None)
    }

    /// `inet_gifconf` over the namespace's devices (`dev_ifconf`): (label, local) of every
    /// IPv4 address, device by device, each device's in its list order.
    pub fn inet_gifconf(&self, ns: NetnsId) -> Vec<(String, Ipv4Addr)> {
        self.devices_from(ns, 0)
            .flat_map(|d| self.in_dev_addrs(d.id).iter())
            .map(|a| (a.label.clone(), a.local))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classful_lengths() {
        let l = |s: &str| inet_abc_len(s.parse().unwrap_or(Ipv4Addr::UNSPECIFIED));
        assert_eq!(l("10.1.2.3"), Some(8));
        assert_eq!(l("172.16.0.1"), Some(16));
        assert_eq!(l("192.0.2.1"), Some(24));
        assert_eq!(l("224.0.0.1"), None);
        assert_eq!(l("240.0.0.1"), Some(32));
        assert_eq!(l("0.0.0.0"), Some(0));
        assert_eq!(l("255.255.255.255"), Some(0));
        // ipv4_is_zeronet is only 0.0.0.0 in 6.12: 0.1.2.3 is class A.
        assert_eq!(l("0.1.2.3"), Some(8));
    }

    #[test]
    fn masks() {
        assert!(!bad_mask(Ipv4Addr::new(255, 255, 255, 0)));
        assert!(!bad_mask(Ipv4Addr::new(0, 0, 0, 0)));
        assert!(!bad_mask(Ipv4Addr::new(255, 255, 255, 255)));
        assert!(bad_mask(Ipv4Addr::new(255, 0, 255, 0)));
        assert!(bad_mask(Ipv4Addr::new(0, 255, 255, 255)));
        assert_eq!(inet_mask_len(Ipv4Addr::new(255, 255, 240, 0)), 20);
        assert_eq!(inet_mask_len(Ipv4Addr::new(0, 0, 0, 0)), 0);
    }
}
