//! net/ipv4/devinet.c: a device's IPv4 addresses (`in_dev->ifa_list`), RTM_NEWADDR /
//! RTM_DELADDR for AF_INET, their notifications (`rtmsg_ifa`), the lifetime work
//! (`check_lifetime`) and what `inetdev_event` does to addresses.

use super::fib::frontend::InetaddrEvent;
use super::ifaddr::{
    cstamp_delta, ifa_f, remaining_lifetimes, AddrView, InIfaddr, INFINITY_LIFE_TIME, RT_SCOPE_HOST,
};
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::{Event, Kernel, LinkMsg};
use crate::time::{Timer, HZ, NSEC_PER_JIFFY};
use crate::uapi::{errno, iff};
use std::net::{IpAddr, Ipv4Addr};

/// An RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR request as the handlers read it: `struct
/// ifaddrmsg` and the IFA_* attributes (decoded by the netlink side, addresses already of
/// the request's family).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddrRequest {
    pub prefixlen: u8,
    /// `ifm->ifa_flags` (8 bits).
    pub hdr_flags: u8,
    pub scope: u8,
    pub ifindex: u32,
    pub local: Option<IpAddr>,
    pub address: Option<IpAddr>,
    pub broadcast: Option<Ipv4Addr>,
    pub label: Option<String>,
    /// IFA_CACHEINFO: (ifa_prefered, ifa_valid).
    pub cacheinfo: Option<(u32, u32)>,
    pub flags: Option<u32>,
    pub rt_priority: Option<u32>,
    pub proto: Option<u8>,
    /// NLM_F_EXCL / NLM_F_REPLACE.
    pub excl: bool,
    pub replace: bool,
}

/// `ADDR_CHECK_FREQUENCY` (include/net/addrconf.h), in jiffies.
const ADDR_CHECK_FREQUENCY: u64 = 120 * HZ;
/// `ADDRCONF_TIMER_FUZZ_MINUS`, `ADDRCONF_TIMER_FUZZ`, `ADDRCONF_TIMER_FUZZ_MAX` (jiffies).
pub(crate) const ADDRCONF_TIMER_FUZZ_MINUS: u64 = HZ / 50;
pub(crate) const ADDRCONF_TIMER_FUZZ: u64 = HZ / 4;
pub(crate) const ADDRCONF_TIMER_FUZZ_MAX: u64 = HZ;

/// `inetdev_valid_mtu`.
pub(crate) const IPV4_MIN_MTU: u32 = 68;
/// `net.ipv4.igmp_max_memberships` (default 20).
const IGMP_MAX_MEMBERSHIPS: usize = 20;

fn v4(a: Option<IpAddr>) -> Option<Ipv4Addr> {
    match a {
        Some(IpAddr::V4(a)) => Some(a),
        _ => None,
    }
}

/// `round_jiffies_up` without the per-cpu skew: the next whole second.
pub(crate) fn round_jiffies_up(j: u64) -> u64 {
    j.div_ceil(HZ) * HZ
}

impl Kernel {
    /// `in_dev->ifa_list`.
    pub fn in_dev_addrs(&self, id: DevId) -> &[InIfaddr] {
        self.dev(id).ifaddrs.as_deref().map_or(&[], |a| &a.v4)
    }

    pub(crate) fn in_dev_addrs_mut(&mut self, id: DevId) -> &mut Vec<InIfaddr> {
        &mut self.dev_mut(id).ifaddrs.get_or_insert_with(Box::default).v4
    }

    /// Drops the per-device address box once both lists are empty.
    pub(crate) fn ifaddrs_shrink(&mut self, id: DevId) {
        let d = self.dev_mut(id);
        if d.ifaddrs.as_deref().is_some_and(|a| a.is_empty()) {
            d.ifaddrs = None;
        }
    }

    /// `IN_DEV_PROMOTE_SECONDARIES`: the effective promote_secondaries of the device.
    fn in_dev_promote_secondaries(&self, id: DevId) -> bool {
        self.in_dev_conf(id, crate::devconf::Ipv4Conf::PromoteSecondaries) != 0
    }

    /// `inet_fill_ifaddr`.
    pub fn inet_fill_ifaddr(&self, ifa: &InIfaddr) -> AddrView {
        let (prefered, valid) = remaining_lifetimes(
            ifa.flags & ifa_f::PERMANENT != 0,
            ifa.prefered_lft,
            ifa.valid_lft,
            ifa.tstamp,
            self.now(),
        );
        let nz = |a: Ipv4Addr| (!a.is_unspecified()).then_some(IpAddr::V4(a));
        AddrView {
            family_v6: false,
            prefixlen: ifa.prefixlen,
            flags: ifa.flags,
            scope: ifa.scope,
            ifindex: self.dev(ifa.dev).ifindex,
            address: nz(ifa.address),
            local: nz(ifa.local),
            broadcast: (!ifa.broadcast.is_unspecified()).then_some(ifa.broadcast),
            label: (!ifa.label.is_empty()).then(|| ifa.label.clone()),
            proto: ifa.proto,
            rt_priority: ifa.rt_priority,
            cacheinfo: [
                prefered,
                valid,
                cstamp_delta(ifa.cstamp),
                cstamp_delta(ifa.tstamp),
            ],
        }
    }

    /// `rtmsg_ifa`: RTM_NEWADDR / RTM_DELADDR to RTNLGRP_IPV4_IFADDR, with the requester's
    /// portid and nlh when a request caused it.
    fn rtmsg_ifa(&mut self, msg: LinkMsg, ifa: &InIfaddr, from_request: bool) {
        let view = Box::new(self.inet_fill_ifaddr(ifa));
        let netns = self.dev(ifa.dev).netns;
        self.events.push(Event::Addr {
            msg,
            netns,
            from_request,
            view,
        });
    }

    /// `set_ifa_lifetime`.
    fn set_ifa_lifetime(&self, ifa: &mut InIfaddr, valid: u32, prefered: u32) {
        let mut flags = ifa.flags & !(ifa_f::PERMANENT | ifa_f::DEPRECATED);
        if valid != INFINITY_LIFE_TIME {
            ifa.valid_lft = valid;
        } else {
            flags |= ifa_f::PERMANENT;
        }
        if prefered != INFINITY_LIFE_TIME {
            if prefered == 0 {
                flags |= ifa_f::DEPRECATED;
            }
            ifa.prefered_lft = prefered;
        }
        ifa.flags = flags;
        ifa.tstamp = self.now();
        if ifa.cstamp == 0 {
            ifa.cstamp = ifa.tstamp;
        }
    }

    /// `inet_rtm_newaddr` (with `rtm_to_ifaddr` and `find_matching_ifa`).
    pub fn inet_rtm_newaddr(&mut self, ns: NetnsId, req: &AddrRequest) -> KResult<()> {
        // rtm_to_ifaddr
        if req.prefixlen > 32 {
            return Err(KernelError::new(errno::EINVAL).msg("ipv4: Invalid prefix length"));
        }
        let Some(local) = v4(req.local) else {
            return Err(KernelError::new(errno::EINVAL).msg("ipv4: Local address is not supplied"));
        };
        let Some(id) = self.dev_by_index(ns, req.ifindex) else {
            return Err(KernelError::new(errno::ENODEV).msg("ipv4: Device not found"));
        };
        if !self.dev(id).inet.in4 {
            return Err(KernelError::new(errno::ENOBUFS));
        }
        let flags = req.flags.unwrap_or(u32::from(req.hdr_flags));
        let mut ifa = InIfaddr {
            dev: id,
            local,
            address: v4(req.address).unwrap_or(local),
            prefixlen: req.prefixlen,
            broadcast: req.broadcast.unwrap_or(Ipv4Addr::UNSPECIFIED),
            scope: req.scope,
            flags,
            label: req
                .label
                .clone()
                .unwrap_or_else(|| self.dev(id).name.clone()),
            rt_priority: req.rt_priority.unwrap_or(0),
            proto: req.proto.unwrap_or(0),
            valid_lft: 0,
            prefered_lft: 0,
            cstamp: 0,
            tstamp: 0,
        };
        let (mut valid, mut prefered) = (INFINITY_LIFE_TIME, INFINITY_LIFE_TIME);
        if let Some((p, v)) = req.cacheinfo {
            if v == 0 || p > v {
                return Err(KernelError::new(errno::EINVAL).msg("ipv4: address lifetime invalid"));
            }
            (valid, prefered) = (v, p);
        }
        // find_matching_ifa
        let existing = if local.is_unspecified() {
            None
        } else {
            self.in_dev_addrs(id).iter().position(|a| {
                a.prefixlen == ifa.prefixlen && a.matches(ifa.address) && a.local == local
            })
        };
        let Some(idx) = existing else {
            self.set_ifa_lifetime(&mut ifa, valid, prefered);
            if ifa.flags & ifa_f::MCAUTOJOIN != 0 {
                if let Err(e) = self.ip_mc_autojoin_config(ns, true, id, ifa.address) {
                    return Err(KernelError::new(e).msg("ipv4: Multicast auto join failed"));
                }
            }
            return self.inet_insert_ifa(ifa, true);
        };
        if req.excl || !req.replace {
            return Err(KernelError::new(errno::EEXIST).msg("ipv4: Address already assigned"));
        }
        let mut ifa = self.in_dev_addrs(id)[idx].clone();
        let new_metric = req.rt_priority.unwrap_or(0);
        if ifa.rt_priority != new_metric {
            // fib_modify_prefix_metric: the route side re-adds the prefix route with the new
            // metric (Down with the old record, Up with the new, as it reads them).
            self.fib_inetaddr_event(&ifa, InetaddrEvent::Down);
            ifa.rt_priority = new_metric;
            self.in_dev_addrs_mut(id)[idx].rt_priority = new_metric;
            let now = self.in_dev_addrs(id)[idx].clone();
            self.fib_inetaddr_event(&now, InetaddrEvent::Up);
        }
        ifa.proto = req.proto.unwrap_or(0);
        self.set_ifa_lifetime(&mut ifa, valid, prefered);
        self.in_dev_addrs_mut(id)[idx] = ifa.clone();
        self.check_lifetime_queue_now();
        self.rtmsg_ifa(LinkMsg::New, &ifa, true);
        Ok(())
    }

    /// `__inet_insert_ifa`: a new address after the last primary of a scope at least as
    /// wide (a primary) or at the end (a secondary: another address of the same subnet exists).
    pub(crate) fn inet_insert_ifa(&mut self, mut ifa: InIfaddr, from_request: bool) -> KResult<()> {
        if ifa.local.is_unspecified() {
            return Ok(());
        }
        ifa.flags &= !ifa_f::SECONDARY;
        ifa.flags &= !ifa_f::IPV6ONLY;
        let id = ifa.dev;
        let mut last_primary = 0;
        for (i, a) in self.in_dev_addrs(id).iter().enumerate() {
            if a.flags & ifa_f::SECONDARY == 0 && ifa.scope <= a.scope {
                last_primary = i + 1;
            }
            if a.prefixlen == ifa.prefixlen && ifa.matches(a.address) {
                if a.local == ifa.local {
                    return Err(KernelError::new(errno::EEXIST));
                }
                if a.scope != ifa.scope {
                    return Err(KernelError::new(errno::EINVAL).msg("ipv4: Invalid scope value"));
                }
                ifa.flags |= ifa_f::SECONDARY;
            }
        }
        // inetaddr_validator_chain (NETDEV_UP) on the address: ipvlan's.
        self.inetaddr_validator(id, IpAddr::V4(ifa.address))?;
        let list = self.in_dev_addrs_mut(id);
        let at = if ifa.flags & ifa_f::SECONDARY != 0 {
            list.len()
        } else {
            last_primary
        };
        list.reserve_exact(1);
        list.insert(at, ifa.clone());
        self.check_lifetime_queue_now();
        // "Send message first, then call notifier."
        self.rtmsg_ifa(LinkMsg::New, &ifa, from_request);
        self.fib_inetaddr_event(&ifa, InetaddrEvent::Up);
        Ok(())
    }

    /// The validator notifiers (`inetaddr_validator_chain`, `inet6addr_validator_chain`):
    /// ipvlan's `ipvlan_addr4_validator_event` / `ipvlan_addr6_validator_event` refuse an
    /// address another ipvlan (or ipvtap) device of the same port already has
    /// (`ipvlan_addr_busy`: the port's addresses, this device's included).
    pub(crate) fn inetaddr_validator(&self, id: DevId, addr: IpAddr) -> KResult<()> {
        let is_ipvlan = |d: &crate::device::NetDevice| d.is_kind("ipvlan") || d.is_kind("ipvtap");
        let d = self.dev(id);
        let (true, Some(lower)) = (is_ipvlan(d), d.lower) else {
            return Ok(());
        };
        let busy = self.dev(lower).uppers.iter().any(|&u| {
            self.devices
                .get(&u)
                .is_some_and(|ud| is_ipvlan(ud) && ud.lower == Some(lower))
                && match addr {
                    IpAddr::V4(a) => self.in_dev_addrs(u).iter().any(|x| x.address == a),
                    IpAddr::V6(a) => self.in6_dev_addrs(u).iter().any(|x| x.addr == a),
                }
        });
        if busy {
            return Err(KernelError::new(crate::uapi::errno::EADDRINUSE)
                .msg("Address already assigned to an ipvlan device"));
        }
        Ok(())
    }

    /// `ip_mc_autojoin_config`: `ip_mc_join_group` / `ip_mc_leave_group` of the namespace's
    /// autojoin socket for `group` on `id`. Errors are errnos (EINVAL: not multicast;
    /// EADDRINUSE: joined already; ENOBUFS: the socket holds igmp_max_memberships (20);
    /// EADDRNOTAVAIL: leaving a group not joined).
    fn ip_mc_autojoin_config(
        &mut self,
        ns: NetnsId,
        join: bool,
        id: DevId,
        group: Ipv4Addr,
    ) -> Result<(), i32> {
        let joined = |k: &Kernel, d: DevId| {
            k.dev(d)
                .ifaddrs
                .as_deref()
                .map_or(&[][..], |a| &a.autojoin4[..])
                .contains(&group)
        };
        if join {
            if !group.is_multicast() {
                return Err(errno::EINVAL);
            }
            if joined(self, id) {
                return Err(errno::EADDRINUSE);
            }
            let count: usize = self
                .devices_in(ns)
                .iter()
                .map(|&d| {
                    self.dev(d)
                        .ifaddrs
                        .as_deref()
                        .map_or(0, |a| a.autojoin4.len())
                })
                .sum();
            if count >= IGMP_MAX_MEMBERSHIPS {
                return Err(errno::ENOBUFS);
            }
            self.dev_mut(id)
                .ifaddrs
                .get_or_insert_with(Box::default)
                .autojoin4
                .push(group);
            self.ip_mc_inc_group(id, group.octets());
        } else {
            if !joined(self, id) {
                return Err(errno::EADDRNOTAVAIL);
            }
            if let Some(a) = self.dev_mut(id).ifaddrs.as_deref_mut() {
                a.autojoin4.retain(|g| *g != group);
            }
            self.ip_mc_dec_group(id, group.octets());
            self.ifaddrs_shrink(id);
        }
        Ok(())
    }

    /// `inet_rtm_deladdr`: the first address matching every attribute given.
    pub fn inet_rtm_deladdr(&mut self, ns: NetnsId, req: &AddrRequest) -> KResult<()> {
        let id = self
            .dev_by_index(ns, req.ifindex)
            .filter(|&id| self.dev(id).inet.in4)
            .ok_or_else(|| KernelError::new(errno::ENODEV).msg("ipv4: Device not found"))?;
        let found = self.in_dev_addrs(id).iter().position(|a| {
            if v4(req.local).is_some_and(|l| l != a.local) {
                return false;
            }
            if req.label.as_ref().is_some_and(|l| *l != a.label) {
                return false;
            }
            if let Some(addr) = v4(req.address) {
                if req.prefixlen != a.prefixlen || !a.matches(addr) {
                    return false;
                }
            }
            true
        });
        let Some(idx) = found else {
            return Err(KernelError::new(errno::EADDRNOTAVAIL).msg("ipv4: Address not found"));
        };
        let group = self.in_dev_addrs(id)[idx].address;
        if group.is_multicast() {
            // ip_mc_autojoin_config(net, false, ifa): the result is ignored (a group the
            // socket never joined is EADDRNOTAVAIL).
            let _ = self.ip_mc_autojoin_config(ns, false, id, group);
        }
        self.inet_del_ifa(id, idx, true, false);
        Ok(())
    }

    /// `__inet_del_ifa`: removes entry `idx`; deleting a primary takes its secondaries with
    /// it, or promotes the first of them (promote_secondaries). `dead`: `in_dev->dead`
    /// (inetdev_destroy), no promotion.
    pub(crate) fn inet_del_ifa(&mut self, id: DevId, idx: usize, from_request: bool, dead: bool) {
        let do_promote = self.in_dev_promote_secondaries(id);
        let ifa1 = self.in_dev_addrs(id)[idx].clone();
        let mut promote: Option<usize> = None;
        // `last_prim`: the primary (original index) the promoted address is relinked after;
        // None is the slot ifa1 held.
        let mut last_prim: Option<usize> = None;
        let mut prev_prom = false;
        if !dead && ifa1.flags & ifa_f::SECONDARY == 0 {
            let mut i = idx + 1;
            while i < self.in_dev_addrs(id).len() {
                let a = self.in_dev_addrs(id)[i].clone();
                if a.flags & ifa_f::SECONDARY == 0 && ifa1.scope <= a.scope {
                    last_prim = Some(i);
                }
                if a.flags & ifa_f::SECONDARY == 0
                    || ifa1.prefixlen != a.prefixlen
                    || !a.matches(ifa1.address)
                {
                    prev_prom = true;
                    i += 1;
                    continue;
                }
                if !do_promote {
                    self.in_dev_addrs_mut(id).remove(i);
                    self.rtmsg_ifa(LinkMsg::Del, &a, from_request);
                    self.fib_inetaddr_event(&a, InetaddrEvent::Down);
                } else {
                    promote = Some(i);
                    break;
                }
            }
        }
        // On promotion the subnet's secondaries lose their routes silently (fib_del_ifaddr
        // while ifa1 is still listed): the route side's Down for each of them.
        if let Some(p) = promote {
            let rest: Vec<InIfaddr> = self.in_dev_addrs(id)[p..]
                .iter()
                .filter(|a| a.prefixlen == ifa1.prefixlen && a.matches(ifa1.address))
                .cloned()
                .collect();
            for a in rest {
                self.fib_inetaddr_event(&a, InetaddrEvent::Down);
            }
        }
        // 2. unlink, 3. announce ("send message first, then call notifier").
        self.in_dev_addrs_mut(id).remove(idx);
        self.rtmsg_ifa(LinkMsg::Del, &ifa1, from_request);
        self.fib_inetaddr_event(&ifa1, InetaddrEvent::Down);
        if let Some(p) = promote {
            // Positions in the list without ifa1: the promoted one is at p - 1; it moves
            // after last_prim when something stood between (prev_prom), which is never
            // after it.
            let at = if prev_prom {
                last_prim.unwrap_or(idx)
            } else {
                p - 1
            };
            let list = self.in_dev_addrs_mut(id);
            let mut pr = list.remove(p - 1);
            pr.flags &= !ifa_f::SECONDARY;
            list.insert(at, pr.clone());
            self.rtmsg_ifa(LinkMsg::New, &pr, from_request);
            self.fib_inetaddr_event(&pr, InetaddrEvent::Up);
            let next: Vec<InIfaddr> = self.in_dev_addrs(id)[p..]
                .iter()
                .filter(|a| a.prefixlen == ifa1.prefixlen && a.matches(ifa1.address))
                .cloned()
                .collect();
            for a in next {
                // fib_add_ifaddr for the secondaries after the promoted one.
                self.fib_inetaddr_event(&a, InetaddrEvent::Up);
            }
        }
        self.ifaddrs_shrink(id);
    }

    /// The address part of `inetdev_destroy` (MTU below 68, unregister): every address
    /// deleted from the head, without promotion.
    pub(crate) fn inetdev_destroy_addrs(&mut self, id: DevId) {
        while !self.in_dev_addrs(id).is_empty() {
            self.inet_del_ifa(id, 0, false, true);
        }
    }

    /// `inetdev_event(NETDEV_UP)` on loopback: 127.0.0.1/8, scope host, label the name.
    pub(crate) fn inet_loopback_up(&mut self, id: DevId) {
        let mut ifa = InIfaddr {
            dev: id,
            local: Ipv4Addr::LOCALHOST,
            address: Ipv4Addr::LOCALHOST,
            prefixlen: 8,
            broadcast: Ipv4Addr::UNSPECIFIED,
            scope: RT_SCOPE_HOST,
            flags: 0,
            label: self.dev(id).name.clone(),
            rt_priority: 0,
            proto: 0,
            valid_lft: 0,
            prefered_lft: 0,
            cstamp: 0,
            tstamp: 0,
        };
        self.set_ifa_lifetime(&mut ifa, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME);
        let _ = self.inet_insert_ifa(ifa, false);
    }

    /// `inetdev_changename`: labels follow the new name; the first address gets it bare, the
    /// others keep their `:suffix` (or get `:N`). Each relabelled address is announced.
    pub(crate) fn inetdev_changename(&mut self, id: DevId) {
        let name = self.dev(id).name.clone();
        let n = self.in_dev_addrs(id).len();
        for i in 0..n {
            let old = self.in_dev_addrs(id)[i].label.clone();
            let mut label = name.clone();
            if i > 0 {
                let dot = match old.find(':') {
                    Some(p) => old[p..].to_string(),
                    None => format!(":{}", i + 1),
                };
                if dot.len() + name.len() < crate::uapi::IFNAMSIZ {
                    label.push_str(&dot);
                } else {
                    let keep = crate::uapi::IFNAMSIZ.saturating_sub(dot.len() + 1);
                    label = name.chars().take(keep).collect::<String>() + &dot;
                }
            }
            self.in_dev_addrs_mut(id)[i].label = label;
            let ifa = self.in_dev_addrs(id)[i].clone();
            self.rtmsg_ifa(LinkMsg::New, &ifa, false);
        }
    }

    /// `inetdev_event` for the address side (after `inet_mcast`'s memberships).
    pub(crate) fn inetdev_event_addrs(&mut self, id: DevId, ev: &crate::kernel::NetdevEvent) {
        use crate::kernel::NetdevEvent as E;
        let d = self.dev(id);
        let lo_up = d.inet.in4 && d.mtu >= IPV4_MIN_MTU && d.flags & iff::LOOPBACK != 0;
        match ev {
            E::Up if lo_up => self.inet_loopback_up(id),
            E::ChangeName => self.inetdev_changename(id),
            _ => {}
        }
    }

    /// The AF_INET dump of one device (`in_dev_dump_addr`).
    pub fn inet_dump_dev(&self, id: DevId) -> Vec<AddrView> {
        self.in_dev_addrs(id)
            .iter()
            .map(|a| self.inet_fill_ifaddr(a))
            .collect()
    }

    /// `cancel_delayed_work` + `queue_delayed_work(.., &check_lifetime_work, 0)`.
    fn check_lifetime_queue_now(&mut self) {
        self.timer_del_where(|t| matches!(t, Timer::InetCheckLifetime));
        let now = self.now();
        self.timer_add(now, Timer::InetCheckLifetime);
    }

    /// `check_lifetime`: expired addresses deleted, preferred lifetimes ending marked
    /// IFA_F_DEPRECATED (announced), then the work re-queued for the next deadline.
    pub(crate) fn check_lifetime(&mut self) {
        let now = self.jiffies();
        let mut next = round_jiffies_up(now + ADDR_CHECK_FREQUENCY);
        let ids: Vec<DevId> = self
            .devices
            .iter()
            .filter(|(_, d)| d.ifaddrs.as_deref().is_some_and(|a| !a.v4.is_empty()))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            let mut i = 0;
            while i < self.in_dev_addrs(id).len() {
                let ifa = self.in_dev_addrs(id)[i].clone();
                if ifa.flags & ifa_f::PERMANENT != 0 {
                    i += 1;
                    continue;
                }
                let tstamp = ifa.tstamp / NSEC_PER_JIFFY;
                let age = (now.saturating_sub(tstamp) + ADDRCONF_TIMER_FUZZ_MINUS) / HZ;
                let valid = u64::from(ifa.valid_lft);
                let pref = u64::from(ifa.prefered_lft);
                if ifa.valid_lft != INFINITY_LIFE_TIME && age >= valid {
                    self.inet_del_ifa(id, i, false, false);
                    // The list changed under the index: start the device over.
                    i = 0;
                    continue;
                }
                if ifa.prefered_lft == INFINITY_LIFE_TIME {
                    i += 1;
                    continue;
                }
                if age >= pref {
                    next = next.min(tstamp + valid * HZ);
                    if ifa.flags & ifa_f::DEPRECATED == 0 {
                        self.in_dev_addrs_mut(id)[i].flags |= ifa_f::DEPRECATED;
                        let ifa = self.in_dev_addrs(id)[i].clone();
                        self.rtmsg_ifa(LinkMsg::New, &ifa, false);
                    }
                } else {
                    next = next.min(tstamp + pref * HZ);
                }
                i += 1;
            }
        }
        let next_sec = round_jiffies_up(next);
        let mut next_sched = next;
        if next_sec < next + ADDRCONF_TIMER_FUZZ {
            next_sched = next_sec;
        }
        next_sched = next_sched.max(now + ADDRCONF_TIMER_FUZZ_MAX);
        self.timer_add(next_sched * NSEC_PER_JIFFY, Timer::InetCheckLifetime);
    }
}
