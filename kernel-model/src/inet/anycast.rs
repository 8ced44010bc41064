//! IPv6 anycast addresses of a device (`idev->ac_list`, net/ipv6/anycast.c): the
//! subnet-router anycast address of each prefix while the device forwards
//! (`addrconf_join_anycast` from `__ipv6_ifa_notify` and `dev_forward_change`,
//! net/ipv6/addrconf.c). Each gets an `anycast` route in the local table and joins its
//! solicited-node group; `/proc/net/anycast6` (`ac_seq_show`) and RTM_GETANYCAST list them.
//!
//! Not modelled: IPV6_JOIN_ANYCAST from sockets (`ipv6_sock_ac_join`), the only other way in.

use super::ifaddr::Inet6Ifaddr;
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::time::Nanos;
use crate::uapi::errno;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::net::Ipv6Addr;

/// One `struct ifacaddr6`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ifacaddr6 {
    pub addr: Ipv6Addr,
    /// `aca_users`.
    pub users: u32,
    /// `aca_cstamp` / `aca_tstamp` (both set at creation).
    pub cstamp: Nanos,
    pub tstamp: Nanos,
}

/// `ipv6_addr_prefix`: `addr` with the bits past `plen` cleared.
fn ipv6_addr_prefix(addr: &Ipv6Addr, plen: u8) -> Ipv6Addr {
    let bits = u128::from(*addr);
    let mask = if plen == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(plen.min(128)))
    };
    Ipv6Addr::from(bits & mask)
}

impl Kernel {
    /// `idev->ac_list`, newest first.
    pub fn in6_dev_anycast(&self, id: DevId) -> &[Ifacaddr6] {
        self.dev(id).ifaddrs.as_deref().map_or(&[], |a| &a.anycast6)
    }

    fn in6_dev_anycast_mut(&mut self, id: DevId) -> &mut Vec<Ifacaddr6> {
        &mut self
            .dev_mut(id)
            .ifaddrs
            .get_or_insert_with(Box::default)
            .anycast6
    }

    /// `idev->cnf.forwarding`.
    pub(crate) fn in6_dev_forwarding(&self, id: DevId) -> bool {
        self.in6_dev_conf(id, crate::devconf::Ipv6Conf::Forwarding) != 0
    }

    /// `__ipv6_dev_ac_inc`: one more user, or a new entry linked first with its route
    /// (`addrconf_f6i_alloc(.., anycast)` + `ip6_ins_rt`) and solicited-node group.
    pub(crate) fn ipv6_dev_ac_inc(&mut self, id: DevId, addr: Ipv6Addr) -> KResult<()> {
        if !self.dev(id).inet.in6 {
            return Err(KernelError::new(errno::ENODEV));
        }
        if let Some(a) = self
            .in6_dev_anycast_mut(id)
            .iter_mut()
            .find(|a| a.addr == addr)
        {
            a.users = a.users.saturating_add(1);
            return Ok(());
        }
        let now = self.now();
        self.in6_dev_anycast_mut(id).insert(
            0,
            Ifacaddr6 {
                addr,
                users: 1,
                cstamp: now,
                tstamp: now,
            },
        );
        self.ip6_ins_local_route(id, addr, true);
        self.addrconf_join_solict(id, &addr);
        Ok(())
    }

    /// `__ipv6_dev_ac_dec`: the last user unlinks it, leaves its group and deletes its route.
    pub(crate) fn ipv6_dev_ac_dec(&mut self, id: DevId, addr: Ipv6Addr) -> KResult<()> {
        let list = self.in6_dev_anycast_mut(id);
        let Some(i) = list.iter().position(|a| a.addr == addr) else {
            self.ifaddrs_shrink(id);
            return Err(KernelError::new(errno::ENOENT));
        };
        list[i].users -= 1;
        if list[i].users > 0 {
            return Ok(());
        }
        list.remove(i);
        self.ifaddrs_shrink(id);
        self.addrconf_leave_solict(id, &addr);
        self.ip6_del_local_route(id, addr, true);
        Ok(())
    }

    /// `ipv6_ac_destroy_dev`: every entry goes, head first.
    pub(crate) fn ipv6_ac_destroy_dev(&mut self, id: DevId) {
        while let Some(a) = self.in6_dev_anycast(id).first().map(|a| a.addr) {
            self.in6_dev_anycast_mut(id).remove(0);
            self.addrconf_leave_solict(id, &a);
            self.ip6_del_local_route(id, a, true);
        }
        self.ifaddrs_shrink(id);
    }

    /// The subnet-router anycast address of an address's prefix (`addrconf_join_anycast`):
    /// none for /127 and /128 (RFC 6164) nor for an all-zero prefix.
    fn subnet_router_anycast(ifp: &Inet6Ifaddr) -> Option<Ipv6Addr> {
        if ifp.prefix_len >= 127 {
            return None;
        }
        let a = ipv6_addr_prefix(&ifp.addr, ifp.prefix_len);
        (!a.is_unspecified()).then_some(a)
    }

    /// `addrconf_join_anycast`.
    pub(crate) fn addrconf_join_anycast(&mut self, ifp: &Inet6Ifaddr) {
        if let Some(a) = Self::subnet_router_anycast(ifp) {
            let _ = self.ipv6_dev_ac_inc(ifp.dev, a);
        }
    }

    /// `addrconf_leave_anycast`.
    pub(crate) fn addrconf_leave_anycast(&mut self, ifp: &Inet6Ifaddr) {
        if let Some(a) = Self::subnet_router_anycast(ifp) {
            let _ = self.ipv6_dev_ac_dec(ifp.dev, a);
        }
    }

    /// `dev_forward_change`'s address walk: the non-tentative addresses, in list order, join
    /// (forwarding on) or leave (off) their subnet-router anycast.
    pub(crate) fn addrconf_forward_anycast(&mut self, id: DevId, on: bool) {
        let addrs: Vec<Inet6Ifaddr> = self
            .in6_dev_addrs(id)
            .iter()
            .filter(|a| a.flags & super::ifaddr::ifa_f::TENTATIVE == 0)
            .cloned()
            .collect();
        for ifa in &addrs {
            if on {
                self.addrconf_join_anycast(ifa);
            } else {
                self.addrconf_leave_anycast(ifa);
            }
        }
    }

    /// `/proc/net/anycast6` (`ac_seq_show`): every device with an inet6_dev, its list order.
    pub(crate) fn proc_anycast6(&self, ns: NetnsId) -> String {
        let mut out = String::new();
        for d in self.devices_from(ns, 0) {
            if !d.inet.in6 {
                continue;
            }
            for a in self.in6_dev_anycast(d.id) {
                let hex = super::procfs::pi6(&a.addr);
                let _ = writeln!(out, "{:<4} {:<15} {hex} {:>5}", d.ifindex, d.name, a.users);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_clears_host_bits() {
        let a: Ipv6Addr = "2001:db8:1::e0".parse().unwrap_or(Ipv6Addr::UNSPECIFIED);
        assert_eq!(
            ipv6_addr_prefix(&a, 64),
            Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0)
        );
        assert_eq!(ipv6_addr_prefix(&a, 0), Ipv6Addr::UNSPECIFIED);
        assert_eq!(ipv6_addr_prefix(&a, 128), a);
    }
}
