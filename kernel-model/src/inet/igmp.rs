//! `/proc/net/igmp` (`igmp_mc_seq_show`, net/ipv4/igmp.c) and `/proc/net/igmp6`
//! (`igmp6_mc_seq_show`, net/ipv6/mcast.c): the IPv4 and IPv6 group memberships of every
//! device of a namespace, which `ip maddr show` reads (iproute2 ipmaddr.c `read_igmp`,
//! `read_igmp6`).
//!
//! The memberships are the model's (`crate::inet_mcast`: `in_dev->mc_list` and
//! `idev->mc_list`, newest first, ff02::1 and ff01::1 the oldest two). Timers: IGMPv3 and
//! MLDv2 (the defaults) report joins from the interface's own timer (`igmp_ifc_event`,
//! `mld_ifc_event`), never from the group's, and nlsim receives no queries, so every group's
//! timer column reads 0 and no group is a "last reporter".

use crate::devconf::Ipv4Conf;
use crate::device::{NetDevice, NetnsId};
use crate::inet_mcast::McGroup;
use crate::kernel::Kernel;
use std::fmt::Write as _;

/// `igmp_mc_seq_show`'s header.
const IGMP_HEADER: &str = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n";

/// `MAF_LOADED` / `MAF_NOREPORT` (include/net/if_inet6.h).
const MAF_LOADED: u32 = 0x04;
const MAF_NOREPORT: u32 = 0x08;

/// ff02::1 and ff01::1: joined first by `ipv6_add_dev`, so the last two of `idev->mc_list`.
const LINK_LOCAL_ALLNODES: [u8; 16] = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const INTERFACE_LOCAL_ALLNODES: [u8; 16] = [0xff, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// One IPv6 membership as `/proc/net/igmp6` and RTM_GETMULTICAST show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ifmcaddr6View {
    pub addr: std::net::Ipv6Addr,
    /// `mca_users`.
    pub users: u32,
    /// `mca_flags` (MAF_*).
    pub flags: u32,
    /// `mca_cstamp` (= `mca_tstamp`).
    pub cstamp: crate::time::Nanos,
}

/// A device's groups of one family, newest first.
fn groups(d: &NetDevice, v6: bool) -> impl Iterator<Item = &McGroup> {
    d.inet
        .extra
        .as_deref()
        .map_or(&[][..], |e| &e.groups[..])
        .iter()
        .filter(move |g| g.v6 == v6)
}

/// `mca_alloc`: MAF_NOREPORT for the all-nodes group and below link-local scope.
fn mca_flags(addr: &[u8; 16], loaded: bool) -> u32 {
    let mut f = 0;
    if *addr == LINK_LOCAL_ALLNODES || addr[1] & 0x0f < 2 {
        f |= MAF_NOREPORT;
    }
    if loaded {
        f |= MAF_LOADED;
    }
    f
}

impl Kernel {
    /// `/proc/net/igmp`: per device with an in_device and at least one group, a header line
    /// (index, name, `mc_count`, the querier version), then one line per group.
    pub(crate) fn proc_igmp(&self, ns: NetnsId) -> String {
        let mut out = String::from(IGMP_HEADER);
        for d in self.devices_from(ns, 0) {
            if !d.inet.in4 {
                continue;
            }
            let list: Vec<&McGroup> = groups(d, false).collect();
            if list.is_empty() {
                continue;
            }
            // IGMP_V1_SEEN / IGMP_V2_SEEN: only force_igmp_version (no querier is ever heard).
            let force = |v: i32| {
                self.ipv4_devconf_all(ns, Ipv4Conf::ForceIgmpVersion) == v
                    || self.in_dev_conf(d.id, Ipv4Conf::ForceIgmpVersion) == v as u32
            };
            let querier = if force(1) {
                "V1"
            } else if force(2) {
                "V2"
            } else {
                "V3"
            };
            let _ = writeln!(
                out,
                "{}\t{:<10}: {:>5} {:>7}",
                d.ifindex,
                d.name,
                list.len(),
                querier
            );
            for g in list {
                // im->multiaddr is a __be32 printed with %08X on a little-endian machine.
                let addr = u32::from_le_bytes([g.addr[0], g.addr[1], g.addr[2], g.addr[3]]);
                let _ = writeln!(out, "\t\t\t\t{addr:08X} {:>5} 0:00000000\t\t0", g.users);
            }
        }
        out
    }

    /// `idev->mc_list` of a device, newest first (empty without an inet6_dev).
    pub fn ipv6_mc_list(&self, id: crate::device::DevId) -> Vec<Ifmcaddr6View> {
        let d = self.dev(id);
        if !d.inet.in6 {
            return Vec::new();
        }
        let view = |addr: &[u8; 16], users, loaded, cstamp| Ifmcaddr6View {
            addr: std::net::Ipv6Addr::from(*addr),
            users,
            flags: mca_flags(addr, loaded),
            cstamp,
        };
        let mut out: Vec<Ifmcaddr6View> = groups(d, true)
            .map(|g| view(&g.addr, g.users, g.loaded, g.cstamp))
            .collect();
        let t = d.inet.in6_cstamp;
        out.push(view(&LINK_LOCAL_ALLNODES, 1, d.inet.allnodes_loaded, t));
        out.push(view(&INTERFACE_LOCAL_ALLNODES, 1, false, t));
        out
    }

    /// `/proc/net/igmp6`: one line per group of every device with an inet6_dev.
    pub(crate) fn proc_igmp6(&self, ns: NetnsId) -> String {
        let mut out = String::new();
        for d in self.devices_from(ns, 0) {
            for g in self.ipv6_mc_list(d.id) {
                let _ = writeln!(
                    out,
                    "{:<4} {:<15} {} {:>5} {:08X} 0",
                    d.ifindex,
                    d.name,
                    super::procfs::pi6(&g.addr),
                    g.users,
                    g.flags
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_of_the_groups_the_kernel_joins() {
        assert_eq!(mca_flags(&LINK_LOCAL_ALLNODES, true), 0x0c);
        assert_eq!(mca_flags(&INTERFACE_LOCAL_ALLNODES, false), 0x08);
        let solicited = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 0xe0];
        assert_eq!(mca_flags(&solicited, true), 0x04);
    }
}
