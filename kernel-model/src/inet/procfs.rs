//! The `/proc/net` files of the address and route side, as the kernel's seq_file `show`
//! functions print them: `if_inet6` (`if6_seq_show`, net/ipv6/addrconf.c), `route`
//! (`fib_route_seq_show`, net/ipv4/fib_trie.c), `ipv6_route` (`ipv6_route_native_seq_show`,
//! net/ipv6/ip6_fib.c), `arp` (`arp_seq_show`, net/ipv4/arp.c), and the membership files
//! `igmp`, `igmp6` (igmp.rs) and `anycast6` (anycast.rs).

use super::fib::semantics::FibAlias;
use super::fib::uapi::{rtf, rtn, table};
use super::ip6_fib::{Fib6Info, Prefix6};
use crate::device::NetnsId;
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff};
use std::fmt::Write as _;
use std::net::Ipv6Addr;

/// `IN6_ADDR_HSIZE_SHIFT` (net/ipv6/addrconf.c).
const IN6_ADDR_HSIZE_SHIFT: u32 = 8;
/// `GOLDEN_RATIO_32` (include/linux/hash.h).
const GOLDEN_RATIO_32: u32 = 0x61C8_8647;
/// RTAX_WINDOW, RTAX_RTT, RTAX_ADVMSS (include/uapi/linux/rtnetlink.h).
const RTAX_WINDOW: u16 = 3;
const RTAX_RTT: u16 = 4;
const RTAX_ADVMSS: u16 = 8;
/// RTF_HOST (include/uapi/linux/route.h).
const RTF_HOST: u32 = 0x0004;

/// The header of `/proc/net/route`, padded to 127 columns (`seq_printf(seq, "%-127s\n", ..)`).
const ROUTE_HEADER: &str =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
/// `arp_seq_show`'s header.
pub const ARP_HEADER: &str =
    "IP address       HW type     Flags       HW address            Mask     Device\n";

/// `%pi6`: 32 lower-case hex digits, no colons.
pub(super) fn pi6(a: &Ipv6Addr) -> String {
    a.octets()
        .iter()
        .fold(String::with_capacity(32), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `inet6_addr_hash` with `net_hash_mix(net)` = 0: `ipv6_addr_hash` (the 64-bit halves
/// xored, then folded, as x86-64 reads them) through `hash_32`. The kernel's mix is random
/// per namespace, so the line order of `if_inet6` is one the kernel can show, not the one a
/// given boot shows.
fn inet6_addr_hash(a: &Ipv6Addr) -> u32 {
    let o = a.octets();
    let lo = u64::from_le_bytes([o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]]);
    let hi = u64::from_le_bytes([o[8], o[9], o[10], o[11], o[12], o[13], o[14], o[15]]);
    let x = lo ^ hi;
    let val = (x ^ (x >> 32)) as u32;
    val.wrapping_mul(GOLDEN_RATIO_32) >> (32 - IN6_ADDR_HSIZE_SHIFT)
}

/// What a `/proc/net` file of the address/route side reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcNetFile {
    IfInet6,
    Route,
    Ipv6Route,
    Arp,
    Igmp,
    Igmp6,
    Anycast6,
}

impl ProcNetFile {
    /// The file of `/proc/net/<name>`, if it is one of these.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "if_inet6" => Self::IfInet6,
            "route" => Self::Route,
            "ipv6_route" => Self::Ipv6Route,
            "arp" => Self::Arp,
            "igmp" => Self::Igmp,
            "igmp6" => Self::Igmp6,
            "anycast6" => Self::Anycast6,
            _ => return None,
        })
    }
}

impl Kernel {
    /// `/proc/net/<file>` of namespace `ns`.
    pub fn proc_net_read(&self, ns: NetnsId, file: ProcNetFile) -> KResult<String> {
        if self.netns(ns).is_none() {
            return Err(KernelError::new(errno::ENOENT));
        }
        Ok(match file {
            ProcNetFile::IfInet6 => self.proc_if_inet6(ns),
            ProcNetFile::Route => self.proc_route(ns),
            ProcNetFile::Ipv6Route => self.proc_ipv6_route(ns),
            // The model keeps no neighbours (ARP entries come from traffic or RTM_NEWNEIGH,
            // which it does not model): the table is empty, the header alone is exact.
            ProcNetFile::Arp => ARP_HEADER.to_string(),
            ProcNetFile::Igmp => self.proc_igmp(ns),
            ProcNetFile::Igmp6 => self.proc_igmp6(ns),
            ProcNetFile::Anycast6 => self.proc_anycast6(ns),
        })
    }

    /// `if6_seq_show` over `net->ipv6.inet6_addr_lst`: bucket by bucket, newest first in a
    /// bucket (`hlist_add_head_rcu` in `ipv6_add_addr_hash`).
    fn proc_if_inet6(&self, ns: NetnsId) -> String {
        let mut all: Vec<(u32, std::cmp::Reverse<u64>, String)> = Vec::new();
        for d in self.devices_from(ns, 0) {
            for a in self.in6_dev_addrs(d.id) {
                let line = format!(
                    "{} {:02x} {:02x} {:02x} {:02x} {:>8}\n",
                    pi6(&a.addr),
                    d.ifindex,
                    a.prefix_len,
                    a.scope,
                    a.flags as u8,
                    d.name
                );
                all.push((inet6_addr_hash(&a.addr), std::cmp::Reverse(a.cstamp), line));
            }
        }
        // Stable: equal creation times keep the device order.
        all.sort_by_key(|a| (a.0, a.1));
        all.into_iter().map(|(_, _, l)| l).collect()
    }

    /// `fib_route_seq_show` over the main table (`fib_route_seq_start`: nothing at all, not
    /// even the header, while the namespace has no main table).
    fn proc_route(&self, ns: NetnsId) -> String {
        let Some(fib) = self.netns(ns).map(|n| &n.fib) else {
            return String::new();
        };
        let Some(main) = fib.v4.get(table::MAIN) else {
            return String::new();
        };
        let mut out = format!("{ROUTE_HEADER:<127}\n");
        for (dst, plen, aliases) in main.trie.iter() {
            for fa in aliases {
                if fa.kind == rtn::BROADCAST || fa.kind == rtn::MULTICAST {
                    continue;
                }
                let line = self.route_line(dst, plen, fa);
                // seq_setwidth(seq, 127) + seq_pad(seq, '\n')
                let _ = writeln!(out, "{line:<127}");
            }
        }
        out
    }

    fn route_line(&self, dst: u32, plen: u8, fa: &FibAlias) -> String {
        let fi = &fa.info;
        let mask = crate::inet::ifaddr::prefix_mask_v4(plen);
        let nh = fi.nhs.first();
        let gw = nh.and_then(|n| n.gw).map_or(0, u32::from);
        // fib_flag_trans
        let mut flags = 0;
        if fa.kind == rtn::UNREACHABLE || fa.kind == rtn::PROHIBIT {
            flags = rtf::REJECT;
        }
        if gw != 0 {
            flags |= rtf::GATEWAY;
        }
        if mask == u32::MAX {
            flags |= RTF_HOST;
        }
        flags |= rtf::UP;
        let dev = nh
            .and_then(|n| n.dev)
            .and_then(|d| self.try_dev(d))
            .map_or("*".to_string(), |d| d.name.clone());
        let advmss = fi.metrics.get(RTAX_ADVMSS);
        let mtu = if advmss != 0 { advmss + 40 } else { 0 };
        // The kernel prints the __be32 values with %08X on a little-endian machine.
        format!(
            "{}\t{:08X}\t{:08X}\t{:04X}\t{}\t{}\t{}\t{:08X}\t{}\t{}\t{}",
            dev,
            dst.swap_bytes(),
            gw.swap_bytes(),
            flags,
            0,
            0,
            fi.priority as i32,
            mask.swap_bytes(),
            mtu as i32,
            fi.metrics.get(RTAX_WINDOW),
            fi.metrics.get(RTAX_RTT) >> 3,
        )
    }

    /// `ipv6_route_native_seq_show` over every table (`ipv6_route_seq_next_table`: hash
    /// bucket order, newest first), each walked children first; a table whose root holds no
    /// route shows its `fib6_null_entry` there, last.
    fn proc_ipv6_route(&self, ns: NetnsId) -> String {
        let Some(fib) = self.netns(ns).map(|n| &n.fib) else {
            return String::new();
        };
        let lo = self
            .devices_from(ns, 0)
            .find(|d| d.flags & iff::LOOPBACK != 0)
            .map_or(String::new(), |d| d.name.clone());
        let mut out = String::new();
        for id in fib.v6.walk_order() {
            let Some(t) = fib.v6.get(id) else { continue };
            let mut root_has_route = false;
            for (pfx, routes) in t.tree.iter() {
                if pfx.plen == 0 && pfx.src_len == 0 && !routes.is_empty() {
                    root_has_route = true;
                }
                for rt in routes {
                    out.push_str(&self.ipv6_route_line(&pfx, rt));
                }
            }
            if !root_has_route {
                // ip6_null_entry: metric ~0, RTF_REJECT | RTF_NONEXTHOP, on loopback.
                let _ = writeln!(
                    out,
                    "{} 00 00000000000000000000000000000000 00 {} {:08x} {:08x} {:08x} {:08x} {:>8}",
                    pi6(&Ipv6Addr::UNSPECIFIED),
                    pi6(&Ipv6Addr::UNSPECIFIED),
                    u32::MAX,
                    1,
                    0,
                    rtf::REJECT | rtf::NONEXTHOP,
                    lo
                );
            }
        }
        out
    }

    fn ipv6_route_line(&self, pfx: &Prefix6, rt: &Fib6Info) -> String {
        let plen = pfx.plen;
        let mut flags = rt.flags;
        let gw = match rt.nh.gw {
            Some(g) => {
                flags |= rtf::GATEWAY;
                pi6(&g)
            }
            None => pi6(&Ipv6Addr::UNSPECIFIED),
        };
        // fib6_ref: the table's reference, and the one an address (`ifp->rt`) or anycast
        // entry (`aca_rt`) holds on its host route. References taken by traffic (cached
        // routes) do not exist here: the model sends no packets.
        let held = rt.flags & (rtf::LOCAL | rtf::ANYCAST) != 0 && plen == 128;
        let refs: u32 = 1 + u32::from(held);
        let dev = self
            .try_dev(rt.nh.dev)
            .map_or(String::new(), |d| d.name.clone());
        format!(
            "{} {:02x} {} {:02x} {} {:08x} {:08x} {:08x} {:08x} {:>8}\n",
            pi6(&pfx.dst),
            plen,
            pi6(&pfx.src),
            pfx.src_len,
            gw,
            rt.metric,
            refs,
            0,
            flags,
            dev
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pi6_is_32_hex_digits() {
        assert_eq!(
            pi6(&"fe80::fc:ff:fe00:1"
                .parse()
                .unwrap_or(Ipv6Addr::UNSPECIFIED)),
            "fe8000000000000000fc00fffe000001"
        );
    }

    #[test]
    fn route_header_is_padded() {
        let h = format!("{ROUTE_HEADER:<127}");
        assert_eq!(h.len(), 127);
        assert!(h.starts_with("Iface\tDestination\tGateway \tFlags"));
    }
}
