//! The address records the routing side reads: `struct in_ifaddr` (include/linux/inetdevice.h)
//! and `struct inet6_ifaddr` (include/net/if_inet6.h), as far as the FIB needs them.

use crate::device::DevId;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// `struct in_ifaddr`: one IPv4 address of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InIfaddr {
    /// `ifa_dev->dev`.
    pub dev: DevId,
    /// `ifa_local`: the address itself (IFA_LOCAL).
    pub local: Ipv4Addr,
    /// `ifa_address`: the peer for point-to-point addresses, else `local` (IFA_ADDRESS).
    pub address: Ipv4Addr,
    /// `ifa_prefixlen`.
    pub prefixlen: u8,
    /// `ifa_broadcast` (0.0.0.0: none).
    pub broadcast: Ipv4Addr,
    /// `ifa_scope` (RT_SCOPE_*).
    pub scope: u8,
    /// `ifa_flags` (IFA_F_*, 32 bits as IFA_FLAGS carries them).
    pub flags: u32,
    /// `ifa_label`.
    pub label: String,
    /// `ifa_rt_priority`: the metric of the prefix route (IFA_RT_PRIORITY).
    pub rt_priority: u32,
}

impl InIfaddr {
    /// `ifa_mask`: the netmask of `prefixlen`.
    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from(prefix_mask_v4(self.prefixlen))
    }
}

/// `inet_make_mask`.
pub fn prefix_mask_v4(prefixlen: u8) -> u32 {
    match prefixlen {
        0 => 0,
        p if p >= 32 => u32::MAX,
        p => u32::MAX << (32 - p as u32),
    }
}
