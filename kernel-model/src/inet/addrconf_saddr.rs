//! IPv6 source address selection (net/ipv6/addrconf.c: `ipv6_dev_get_saddr`, RFC 6724
//! section 5 in the order 6.12 evaluates its rules) and the default policy table of address
//! labels (net/ipv6/addrlabel.c: `ip6addrlbl_init_table`; `ip addrlabel` is not modelled).
//!
//! Each candidate gets one value per rule; the kernel compares a candidate with the best so
//! far rule by rule and replaces it only when the candidate is strictly better at the first
//! rule where they differ, so the first of equal candidates stays.

use super::addrconf::prefix_equal;
use super::ifaddr::{ifa_f, Inet6Ifaddr};
use crate::devconf::Ipv6Conf;
use crate::device::{DevId, NetnsId};
use crate::kernel::Kernel;
use std::net::Ipv6Addr;

/// IPV6_ADDR_* type bits (include/net/ipv6.h) `__ipv6_addr_type` reports, as far as the
/// selection reads them.
pub mod addr_type {
    pub const ANY: u32 = 0x0000;
    pub const UNICAST: u32 = 0x0001;
    pub const MULTICAST: u32 = 0x0002;
    pub const LOOPBACK: u32 = 0x0010;
    pub const LINKLOCAL: u32 = 0x0020;
    pub const SITELOCAL: u32 = 0x0040;
    pub const COMPATV4: u32 = 0x0080;
    pub const MAPPED: u32 = 0x1000;
}

/// IPV6_ADDR_SCOPE_* values.
pub mod addr_scope {
    pub const LINKLOCAL: i32 = 0x02;
    pub const SITELOCAL: i32 = 0x05;
    pub const GLOBAL: i32 = 0x0e;
    /// `__IPV6_ADDR_SCOPE_INVALID`: the scope of `::`.
    pub const INVALID: i32 = -1;
}

/// `__ipv6_addr_type` (net/ipv6/addrconf_core.c): the type bits and the scope
/// (`IPV6_ADDR_SCOPE_TYPE`) of an address.
pub fn ipv6_addr_type_scope(a: &Ipv6Addr) -> (u32, i32) {
    use addr_type as t;
    let o = a.octets();
    let w = u32::from_be_bytes([o[0], o[1], o[2], o[3]]);
    if w & 0xe000_0000 != 0 && w & 0xe000_0000 != 0xe000_0000 {
        return (t::UNICAST, addr_scope::GLOBAL);
    }
    if w & 0xff00_0000 == 0xff00_0000 {
        // ipv6_addr_scope2type(IPV6_ADDR_MC_SCOPE(addr))
        return (t::MULTICAST, i32::from(o[1] & 0x0f));
    }
    if w & 0xffc0_0000 == 0xfe80_0000 {
        return (t::LINKLOCAL | t::UNICAST, addr_scope::LINKLOCAL);
    }
    if w & 0xffc0_0000 == 0xfec0_0000 {
        return (t::SITELOCAL | t::UNICAST, addr_scope::SITELOCAL);
    }
    if w & 0xfe00_0000 == 0xfc00_0000 {
        return (t::UNICAST, addr_scope::GLOBAL);
    }
    let x = u128::from(*a);
    if x >> 64 == 0 {
        if (x >> 32) as u32 == 0 {
            if x == 0 {
                return (t::ANY, addr_scope::INVALID);
            }
            if x == 1 {
                return (t::LOOPBACK | t::UNICAST, addr_scope::LINKLOCAL);
            }
            return (t::COMPATV4 | t::UNICAST, addr_scope::GLOBAL);
        }
        if (x >> 32) as u32 == 0xffff {
            return (t::MAPPED, addr_scope::GLOBAL);
        }
    }
    (t::UNICAST, addr_scope::GLOBAL)
}

/// `ip6addrlbl_init_table`, longest prefixes first as `ip6addrlbl_add` keeps them.
const LABELS: [(u128, u8, u32); 10] = [
    (1, 128, 0),
    (0x0000_0000_0000_0000_0000_ffff_0000_0000, 96, 4),
    (0, 96, 3),
    (0x2001_0000 << 96, 32, 6),
    (0x2001_0010 << 96, 28, 7),
    (0x2002 << 112, 16, 2),
    (0x3ffe << 112, 16, 12),
    (0xfec0 << 112, 10, 11),
    (0xfc << 120, 7, 5),
    (0, 0, 1),
];

/// `ipv6_addr_label`: the label of the longest matching prefix of the default table
/// (IPV6_ADDR_LABEL_DEFAULT when none matches, which `::/0` never lets happen).
pub fn ipv6_addr_label(a: &Ipv6Addr) -> u32 {
    LABELS
        .iter()
        .find(|(p, len, _)| prefix_equal(a, &Ipv6Addr::from(*p), *len))
        .map_or(u32::MAX, |l| l.2)
}

/// `ipv6_addr_diff`: the number of leading bits two addresses share.
fn ipv6_addr_diff(a: &Ipv6Addr, b: &Ipv6Addr) -> u32 {
    (u128::from(*a) ^ u128::from(*b)).leading_zeros()
}

/// `ipv6_addr_orchid`: 2001:10::/28.
fn is_orchid(a: &Ipv6Addr) -> bool {
    prefix_equal(a, &Ipv6Addr::from(0x2001_0010u128 << 96), 28)
}

/// `struct ipv6_saddr_dst`.
struct SaddrDst {
    addr: Ipv6Addr,
    ifindex: u32,
    scope: i32,
    label: u32,
}

/// The best candidate so far: its address and its value for each rule.
struct Hiscore {
    addr: Ipv6Addr,
    rules: [i32; RULE_MAX],
}

/// IPV6_SADDR_RULE_MAX with CONFIG_IPV6_MIP6 and CONFIG_IPV6_OPTIMISTIC_DAD (Debian's).
const RULE_MAX: usize = 11;

impl Kernel {
    /// `ipv6_dev_get_saddr(net, dst_dev, daddr, 0, &saddr)`: None is -EADDRNOTAVAIL.
    pub fn ipv6_dev_get_saddr(
        &self,
        ns: NetnsId,
        dst_dev: Option<DevId>,
        daddr: &Ipv6Addr,
    ) -> Option<Ipv6Addr> {
        let (dst_type, scope) = ipv6_addr_type_scope(daddr);
        let dst = SaddrDst {
            addr: *daddr,
            ifindex: dst_dev.map_or(0, |d| self.dev(d).ifindex),
            scope,
            label: ipv6_addr_label(daddr),
        };
        let mut hi: Option<Hiscore> = None;
        let has_idev = |d: DevId| self.dev(d).inet.in6;
        // The candidate set (RFC 6724 section 4): only the outgoing interface's addresses for
        // multicast and link-local destinations (or use_oif_addrs_only).
        if let Some(d) = dst_dev {
            if dst_type & addr_type::MULTICAST != 0
                || dst.scope <= addr_scope::LINKLOCAL
                || self.in6_dev_conf(d, Ipv6Conf::UseOifAddrsOnly) != 0
            {
                if has_idev(d) {
                    self.saddr_scan(d, &dst, &mut hi);
                }
                return hi.map(|h| h.addr);
            }
        }
        // In an L3 domain: dst_dev's and its master's addresses first (ipv6_get_saddr_master),
        // kept when their scope suits (scopedist >= 0, which the scores never reach).
        let master = dst_dev.and_then(|d| self.l3mdev_master(d));
        if let (Some(d), Some(m)) = (dst_dev, master) {
            for dev in [d, m] {
                if has_idev(dev) {
                    self.saddr_scan(dev, &dst, &mut hi);
                }
            }
            if hi.as_ref().is_some_and(|h| h.rules[RULE_SCOPE] >= 0) {
                return hi.map(|h| h.addr);
            }
        }
        let ids: Vec<DevId> = self
            .devices_from(ns, 0)
            .filter(|d| self.l3mdev_master(d.id) == master && d.inet.in6)
            .map(|d| d.id)
            .collect();
        for d in ids {
            self.saddr_scan(d, &dst, &mut hi);
        }
        hi.map(|h| h.addr)
    }

    /// `l3mdev_master_dev_rcu`: the L3 master a device is a port of (None for the master
    /// itself and for devices outside an L3 domain).
    pub fn l3mdev_master(&self, dev: DevId) -> Option<DevId> {
        let m = self.try_dev(dev)?.master?;
        self.netif_is_l3_master(m).then_some(m)
    }

    /// `__ipv6_dev_get_saddr`: score the usable addresses of `dev` against the best so far.
    fn saddr_scan(&self, dev: DevId, dst: &SaddrDst, hi: &mut Option<Hiscore>) {
        let ifindex = self.dev(dev).ifindex;
        let use_optimistic = self.in6_dev_conf(dev, Ipv6Conf::OptimisticDad) != 0
            && self.in6_dev_conf(dev, Ipv6Conf::UseOptimistic) != 0;
        let use_tempaddr = self.in6_dev_conf(dev, Ipv6Conf::UseTempaddr);
        for ifa in self.in6_dev_addrs(dev) {
            if ifa.flags & ifa_f::TENTATIVE != 0 && ifa.flags & ifa_f::OPTIMISTIC == 0 {
                continue;
            }
            let (t, _) = ipv6_addr_type_scope(&ifa.addr);
            if t == addr_type::ANY || t & addr_type::MULTICAST != 0 {
                continue;
            }
            let rules = saddr_rules(ifa, dst, ifindex, use_optimistic, use_tempaddr);
            // The first rule where the two differ decides; a tie keeps the earlier one.
            let better = match hi {
                None => true,
                Some(h) => rules > h.rules,
            };
            if better {
                *hi = Some(Hiscore {
                    addr: ifa.addr,
                    rules,
                });
            }
        }
    }
}

const RULE_SCOPE: usize = 2;

/// `ipv6_get_saddr_eval` for every rule, in IPV6_SADDR_RULE_* order: init, local, scope,
/// preferred, hoa, oif, label, privacy, orchid, prefix, not_optimistic.
fn saddr_rules(
    ifa: &Inet6Ifaddr,
    dst: &SaddrDst,
    ifindex: u32,
    use_optimistic: bool,
    use_tempaddr: i32,
) -> [i32; RULE_MAX] {
    let (t, scope) = ipv6_addr_type_scope(&ifa.addr);
    let b = i32::from;
    // IPV6_SADDR_RULE_SCOPE: the smallest scope at least the destination's, else any
    // larger one.
    let scopedist = if scope >= dst.scope {
        -scope
    } else {
        scope - 128
    };
    let mut avoid = ifa_f::DEPRECATED;
    if !use_optimistic {
        avoid |= ifa_f::OPTIMISTIC;
    }
    // ipv6_saddr_preferred
    let preferred = t & (addr_type::MAPPED | addr_type::COMPATV4 | addr_type::LOOPBACK) != 0
        || ifa.flags & avoid == 0;
    // IPV6_SADDR_RULE_HOA with prefs 0: prefer a home address.
    let hoa = ifa.flags & ifa_f::HOMEADDRESS != 0;
    let oif = dst.ifindex == 0 || dst.ifindex == ifindex;
    let label = ipv6_addr_label(&ifa.addr) == dst.label;
    // IPV6_SADDR_RULE_PRIVACY: temporary addresses when use_tempaddr >= 2.
    let temporary = ifa.flags & ifa_f::SECONDARY != 0;
    let privacy = !temporary ^ (use_tempaddr >= 2);
    let orchid = is_orchid(&ifa.addr) == is_orchid(&dst.addr);
    let matchlen = ipv6_addr_diff(&ifa.addr, &dst.addr).min(u32::from(ifa.prefix_len));
    [
        1,
        b(ifa.addr == dst.addr),
        scopedist,
        b(preferred),
        b(hoa),
        b(oif),
        b(label),
        b(privacy),
        b(orchid),
        matchlen as i32,
        b(ifa.flags & ifa_f::OPTIMISTIC == 0),
    ]
}
