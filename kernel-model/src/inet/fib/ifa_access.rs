//! What the routing side reads of the address side (`in_dev->ifa_list`, `__in_dev_get_rtnl`,
//! `ipv6_chk_addr`): the lists devinet.rs and addrconf.rs keep, read the way the FIB reads
//! them.

use crate::device::{DevId, NetnsId};
use crate::inet::ifaddr::InIfaddr;
use crate::kernel::Kernel;
use std::net::Ipv6Addr;

impl Kernel {
    /// `in_dev->ifa_list`: the device's IPv4 addresses, in list order.
    pub fn inet_ifa_list(&self, dev: DevId) -> Vec<InIfaddr> {
        if self.try_dev(dev).is_none() {
            return Vec::new();
        }
        self.in_dev_addrs(dev).to_vec()
    }

    /// `__in_dev_get_rtnl(dev) != NULL`: the device has IPv4 state (`inetdev_init` at
    /// registration; `inetdev_destroy` when the MTU drops below 68).
    pub fn in_dev_present(&self, dev: DevId) -> bool {
        self.try_dev(dev).is_some_and(|d| d.inet.in4)
    }

    /// `ipv6_chk_addr_and_flags(net, addr, dev, skip_dev_check, 0, banned)`: `addr` is an
    /// IPv6 address of `dev` (of any device of the namespace when `dev` is None or
    /// `skip_dev_check`; a global-scope address of another device also counts, as
    /// `__ipv6_chk_addr_and_flags` only binds link- and host-scoped addresses to their
    /// device), ignoring addresses with a `banned` IFA_F_* flag (optimistic addresses are
    /// not tentative for this check).
    pub fn ipv6_chk_addr(
        &self,
        ns: NetnsId,
        addr: Ipv6Addr,
        dev: Option<DevId>,
        skip_dev_check: bool,
        banned: u32,
    ) -> bool {
        const IFA_F_TENTATIVE: u32 = 0x40;
        const IFA_F_OPTIMISTIC: u32 = 0x04;
        const IFA_HOST: u32 = 0x10;
        const IFA_LINK: u32 = 0x20;
        let dev = if skip_dev_check { None } else { dev };
        self.devices_from(ns, 0).any(|d| {
            self.in6_dev_addrs(d.id).iter().any(|ifp| {
                let flags = if ifp.flags & IFA_F_OPTIMISTIC != 0 {
                    ifp.flags & !IFA_F_TENTATIVE
                } else {
                    ifp.flags
                };
                ifp.addr == addr
                    && flags & banned == 0
                    && (dev.is_none()
                        || dev == Some(ifp.dev)
                        || ifp.scope & (IFA_LINK | IFA_HOST) == 0)
            })
        })
    }

    /// `idev->cnf.disable_ipv6` (or no inet6_dev): IPv6 is off on the device.
    pub fn ipv6_disabled(&self, dev: DevId) -> bool {
        match self.try_dev(dev) {
            Some(d) if d.inet.in6 => self.addrconf_cnf(dev).disable_ipv6,
            _ => true,
        }
    }
}
