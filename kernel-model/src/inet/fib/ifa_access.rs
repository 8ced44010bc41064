//! What the routing side reads of the address side (`in_dev->ifa_list`, `__in_dev_get_rtnl`,
//! `ipv6_chk_addr`). The address helper owns those lists; until its work merges these are
//! the meeting points, with bodies that say "no addresses".

use crate::device::{DevId, NetnsId};
use crate::inet::ifaddr::InIfaddr;
use crate::kernel::Kernel;
use std::net::Ipv6Addr;

impl Kernel {
    /// `in_dev->ifa_list`: the device's IPv4 addresses, primaries first, in list order.
    /// The address helper replaces this body with in_dev->ifa_list.
    pub fn inet_ifa_list(&self, _dev: DevId) -> Vec<InIfaddr> {
        Vec::new()
    }

    /// `__in_dev_get_rtnl(dev) != NULL`: the device has IPv4 state (`inetdev_init` at
    /// registration; `inetdev_destroy` when the MTU drops below 68). The address helper
    /// replaces this body with its in_device lookup.
    pub fn in_dev_present(&self, dev: DevId) -> bool {
        self.try_dev(dev).is_some_and(|d| d.inet.in4)
    }

    /// `ipv6_chk_addr_and_flags(net, addr, dev, skip_dev_check, 0, banned)`: `addr` is an
    /// IPv6 address of `dev` (of any device of the namespace when `dev` is None or
    /// `skip_dev_check`), ignoring addresses with a `banned` IFA_F_* flag. The address
    /// helper replaces this body with its inet6_addr_lst lookup.
    pub fn ipv6_chk_addr(
        &self,
        _ns: NetnsId,
        _addr: Ipv6Addr,
        _dev: Option<DevId>,
        _skip_dev_check: bool,
        _banned: u32,
    ) -> bool {
        false
    }

    /// `idev->cnf.disable_ipv6` (or no inet6_dev): IPv6 is off on the device. The address
    /// helper replaces this body.
    pub fn ipv6_disabled(&self, _dev: DevId) -> bool {
        false
    }
}
