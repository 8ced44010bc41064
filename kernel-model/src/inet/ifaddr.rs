//! The address records: `struct in_ifaddr` (include/linux/inetdevice.h) and `struct
//! inet6_ifaddr` (include/net/if_inet6.h), a device's lists of them, and [`AddrView`], what
//! `inet_fill_ifaddr` / `inet6_fill_ifaddr` put in an RTM_NEWADDR / RTM_DELADDR.

use crate::device::DevId;
use crate::time::{Nanos, TimerKey};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IFA_F_* (include/uapi/linux/if_addr.h).
pub mod ifa_f {
    pub const SECONDARY: u32 = 0x01;
    pub const NODAD: u32 = 0x02;
    pub const OPTIMISTIC: u32 = 0x04;
    pub const DADFAILED: u32 = 0x08;
    pub const HOMEADDRESS: u32 = 0x10;
    pub const DEPRECATED: u32 = 0x20;
    pub const TENTATIVE: u32 = 0x40;
    pub const PERMANENT: u32 = 0x80;
    pub const MANAGETEMPADDR: u32 = 0x100;
    pub const NOPREFIXROUTE: u32 = 0x200;
    pub const MCAUTOJOIN: u32 = 0x400;
    pub const STABLE_PRIVACY: u32 = 0x800;
    /// `IPV6ONLY_FLAGS` (net/ipv4/devinet.c): cleared from IPv4 addresses.
    pub const IPV6ONLY: u32 =
        NODAD | OPTIMISTIC | DADFAILED | HOMEADDRESS | TENTATIVE | MANAGETEMPADDR | STABLE_PRIVACY;
}

/// `INFINITY_LIFE_TIME`.
pub const INFINITY_LIFE_TIME: u32 = u32::MAX;
/// IFAPROT_* (include/uapi/linux/if_addr.h).
pub const IFAPROT_KERNEL_LO: u8 = 1;
pub const IFAPROT_KERNEL_LL: u8 = 3;
/// RT_SCOPE_* (include/uapi/linux/rtnetlink.h).
pub const RT_SCOPE_UNIVERSE: u8 = 0;
pub const RT_SCOPE_SITE: u8 = 200;
pub const RT_SCOPE_LINK: u8 = 253;
pub const RT_SCOPE_HOST: u8 = 254;

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
    /// `ifa_proto` (IFA_PROTO).
    #[serde(default)]
    pub proto: u8,
    /// `ifa_valid_lft` / `ifa_preferred_lft`, seconds (meaningless with IFA_F_PERMANENT).
    #[serde(default)]
    pub valid_lft: u32,
    #[serde(default)]
    pub prefered_lft: u32,
    /// `ifa_cstamp` / `ifa_tstamp`: creation and last update.
    #[serde(default)]
    pub cstamp: Nanos,
    #[serde(default)]
    pub tstamp: Nanos,
}

impl InIfaddr {
    /// `ifa_mask`: the netmask of `prefixlen`.
    pub fn mask(&self) -> Ipv4Addr {
        Ipv4Addr::from(prefix_mask_v4(self.prefixlen))
    }

    /// `inet_ifa_match(addr, ifa)`: `addr` is in this address's subnet.
    pub fn matches(&self, addr: Ipv4Addr) -> bool {
        let m = prefix_mask_v4(self.prefixlen);
        (u32::from(addr) ^ u32::from(self.address)) & m == 0
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

/// `ifp->state` (INET6_IFADDR_STATE_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inet6State {
    PreDad,
    Dad,
    PostDad,
    ErrDad,
    Dead,
}

/// `struct inet6_ifaddr`: one IPv6 address of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inet6Ifaddr {
    pub dev: DevId,
    /// `addr`.
    pub addr: Ipv6Addr,
    /// `peer_addr` (:: for none).
    pub peer: Ipv6Addr,
    pub prefix_len: u8,
    /// `scope`: IFA_HOST / IFA_LINK / IFA_SITE / global (`ipv6_addr_scope`, the IPV6_ADDR_*
    /// scope bits), reported through `rt_scope`.
    pub scope: u32,
    pub flags: u32,
    pub valid_lft: u32,
    pub prefered_lft: u32,
    pub cstamp: Nanos,
    pub tstamp: Nanos,
    pub rt_priority: u32,
    pub proto: u8,
    pub state: Inet6State,
    /// `dad_probes`: neighbour solicitations still to send.
    pub dad_probes: u32,
    /// The pending `dad_work`.
    pub dad_timer: Option<TimerKey>,
    /// The local-table route was inserted (`ifp->rt` in the FIB).
    pub rt_inserted: bool,
}

/// `IFA_HOST` / `IFA_LINK` / `IFA_SITE` (include/net/ipv6.h: IPV6_ADDR_LOOPBACK,
/// IPV6_ADDR_LINKLOCAL, IPV6_ADDR_SITELOCAL); 0 is global.
pub const IFA_HOST: u32 = 0x10;
pub const IFA_LINK: u32 = 0x20;
pub const IFA_SITE: u32 = 0x40;

/// The scope `ipv6_addr_scope` gives a unicast address (IFA_* bits).
pub fn ipv6_addr_scope(a: &Ipv6Addr) -> u32 {
    let o = a.octets();
    if a.is_loopback() {
        IFA_HOST
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
        IFA_LINK
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0xc0 {
        IFA_SITE
    } else if o[0] == 0xff {
        // __ipv6_addr_type: multicast scope from the address.
        match o[1] & 0x0f {
            1 => IFA_HOST,
            2 => IFA_LINK,
            5 => IFA_SITE,
            _ => 0,
        }
    } else {
        0
    }
}

/// `rt_scope` (net/ipv6/addrconf.c): the RT_SCOPE_* of an IFA_* scope.
pub fn rt_scope(scope: u32) -> u8 {
    if scope & IFA_HOST != 0 {
        RT_SCOPE_HOST
    } else if scope & IFA_LINK != 0 {
        RT_SCOPE_LINK
    } else if scope & IFA_SITE != 0 {
        RT_SCOPE_SITE
    } else {
        RT_SCOPE_UNIVERSE
    }
}

/// `ipv6_addr_src_scope` as an order: the address list is sorted by it, global first
/// (`ipv6_link_dev_addr`).
pub fn ipv6_src_scope_rank(a: &Ipv6Addr) -> u8 {
    let o = a.octets();
    if a.is_loopback() {
        0x01
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
        0x02
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0xc0 {
        0x05
    } else {
        0x0e
    }
}

/// A device's addresses: `in_dev->ifa_list` and `idev->addr_list`, in list order. Boxed in
/// the device and absent while both are empty (memory per link).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IfAddrs {
    pub v4: Vec<InIfaddr>,
    pub v6: Vec<Inet6Ifaddr>,
    /// The groups the namespace's autojoin sockets (`net->ipv4.mc_autojoin_sk`,
    /// `net->ipv6.mc_autojoin_sk`) joined on this device for IFA_F_MCAUTOJOIN addresses.
    #[serde(default)]
    pub autojoin4: Vec<Ipv4Addr>,
    #[serde(default)]
    pub autojoin6: Vec<Ipv6Addr>,
    /// `idev->ac_list` (super::anycast), newest first.
    #[serde(default)]
    pub anycast6: Vec<super::anycast::Ifacaddr6>,
}

impl IfAddrs {
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty()
            && self.v6.is_empty()
            && self.autojoin4.is_empty()
            && self.autojoin6.is_empty()
            && self.anycast6.is_empty()
    }
}

/// One address as an RTM_NEWADDR / RTM_DELADDR carries it (`inet_fill_ifaddr`,
/// `inet6_fill_ifaddr`), computed when the kernel would fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrView {
    pub family_v6: bool,
    pub prefixlen: u8,
    /// All 32 bits (the header carries the low 8).
    pub flags: u32,
    pub scope: u8,
    pub ifindex: u32,
    /// IFA_ADDRESS (IPv4: when not 0.0.0.0; IPv6: the peer when there is one, else the
    /// address).
    pub address: Option<IpAddr>,
    /// IFA_LOCAL (IPv4: when not 0.0.0.0; IPv6: only with a peer).
    pub local: Option<IpAddr>,
    pub broadcast: Option<Ipv4Addr>,
    pub label: Option<String>,
    pub proto: u8,
    pub rt_priority: u32,
    /// `struct ifa_cacheinfo`: ifa_prefered, ifa_valid, cstamp, tstamp.
    pub cacheinfo: [u32; 4],
}

/// The remaining lifetimes `inet_fill_ifaddr` / `inet6_fill_ifaddr` report: (preferred, valid).
pub fn remaining_lifetimes(
    permanent_infinite: bool,
    prefered: u32,
    valid: u32,
    tstamp: Nanos,
    now: Nanos,
) -> (u32, u32) {
    if permanent_infinite {
        return (INFINITY_LIFE_TIME, INFINITY_LIFE_TIME);
    }
    let (mut p, mut v) = (prefered, valid);
    if p != INFINITY_LIFE_TIME {
        // (jiffies - tstamp) / HZ: whole seconds.
        let tval = u32::try_from(now.saturating_sub(tstamp) / crate::time::NSEC_PER_SEC)
            .unwrap_or(u32::MAX);
        p = p.saturating_sub(tval);
        if v != INFINITY_LIFE_TIME {
            v = v.saturating_sub(tval);
        }
    }
    (p, v)
}

/// `cstamp_delta`: hundredths of a second since boot, from whole jiffies.
pub fn cstamp_delta(t: Nanos) -> u32 {
    let jiffies = t / crate::time::NSEC_PER_JIFFY;
    (jiffies.wrapping_mul(100) / crate::time::HZ) as u32
}
