//! net/ipv6/addrconf.c: a device's IPv6 addresses (`idev->addr_list`), RTM_NEWADDR /
//! RTM_DELADDR / RTM_GETADDR for AF_INET6, their notifications (`inet6_ifa_notify`), the
//! automatic addresses (`init_loopback`, `addrconf_addr_gen`) and what `addrconf_notify` does
//! to addresses. DAD is in `addrconf_dad.rs`.

use super::devinet::AddrRequest;
use super::ifaddr::{
    cstamp_delta, ifa_f, ipv6_addr_scope, ipv6_src_scope_rank, remaining_lifetimes, rt_scope,
    AddrView, Inet6Ifaddr, Inet6State, IFAPROT_KERNEL_LL, IFAPROT_KERNEL_LO, IFA_HOST, IFA_LINK,
    INFINITY_LIFE_TIME,
};
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::hwaddr::SeededRng;
use crate::inet::fib::uapi::rtnh_f;
use crate::inet_mcast::{
    ADDR_GEN_MODE_EUI64, ADDR_GEN_MODE_NONE, ADDR_GEN_MODE_RANDOM, ADDR_GEN_MODE_STABLE_PRIVACY,
};
use crate::kernel::{Event, Kernel, LinkMsg};
use crate::uapi::{arphrd, errno, iff};
use std::net::{IpAddr, Ipv6Addr};

/// ARPHRD_* addrconf.c switches on that `uapi::arphrd` does not name.
const ARPHRD_TUNNEL: u16 = 768;
const ARPHRD_TUNNEL6: u16 = 769;
const ARPHRD_SIT: u16 = 776;
const ARPHRD_FDDI: u16 = 774;
const ARPHRD_ARCNET: u16 = 7;
const ARPHRD_INFINIBAND: u16 = 32;
const ARPHRD_IEEE1394: u16 = 24;
const ARPHRD_6LOWPAN: u16 = 825;
const ARPHRD_RAWIP: u16 = 519;

/// `struct ifa6_config`.
#[derive(Debug, Clone)]
pub(crate) struct Ifa6Config {
    pub pfx: Ipv6Addr,
    pub peer: Option<Ipv6Addr>,
    pub plen: u8,
    pub flags: u32,
    pub valid_lft: u32,
    pub preferred_lft: u32,
    pub rt_priority: u32,
    pub proto: u8,
    pub scope: u32,
}

/// The devconf values addrconf reads, effective for one device. Defaults of
/// `ipv6_devconf_dflt` / `ipv6_add_dev` until the devconf sysctls are stored (one function to
/// switch: [`Kernel::addrconf_cnf`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Addrconf6Cnf {
    pub accept_dad: i32,
    pub dad_transmits: u32,
    /// Jiffies.
    pub rtr_solicit_delay: u64,
    pub keep_addr_on_down: i32,
    pub disable_ipv6: bool,
    pub use_tempaddr: i32,
    /// `optimistic_dad` (device or all).
    pub optimistic_dad: bool,
    /// `NEIGH_VAR(nd_parms, RETRANS_TIME)`, jiffies.
    pub retrans_time: u64,
}

fn v6(a: Option<IpAddr>) -> Option<Ipv6Addr> {
    match a {
        Some(IpAddr::V6(a)) => Some(a),
        _ => None,
    }
}

/// `extract_addr`: IFA_LOCAL is the address when present, IFA_ADDRESS then the peer (when it
/// differs); else IFA_ADDRESS.
pub(crate) fn extract_addr(req: &AddrRequest) -> Option<(Ipv6Addr, Option<Ipv6Addr>)> {
    let addr = v6(req.address);
    match v6(req.local) {
        Some(local) => Some((local, addr.filter(|a| *a != local))),
        None => addr.map(|a| (a, None)),
    }
}

/// `ipv6_prefix_equal`.
pub(crate) fn prefix_equal(a: &Ipv6Addr, b: &Ipv6Addr, plen: u8) -> bool {
    let m = if plen == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(plen.min(128)))
    };
    (u128::from(*a) ^ u128::from(*b)) & m == 0
}

impl Kernel {
    /// `idev->addr_list`.
    pub fn in6_dev_addrs(&self, id: DevId) -> &[Inet6Ifaddr] {
        self.dev(id).ifaddrs.as_deref().map_or(&[], |a| &a.v6)
    }

    pub(crate) fn in6_dev_addrs_mut(&mut self, id: DevId) -> &mut Vec<Inet6Ifaddr> {
        &mut self.dev_mut(id).ifaddrs.get_or_insert_with(Box::default).v6
    }

    pub(crate) fn in6_find(&self, id: DevId, addr: &Ipv6Addr) -> Option<usize> {
        self.in6_dev_addrs(id).iter().position(|a| a.addr == *addr)
    }

    /// The effective addrconf devconf of a device (see [`Addrconf6Cnf`]): the stored sysctls
    /// combined with `conf/all` as addrconf.c reads each (`Kernel::in6_dev_conf`).
    pub(crate) fn addrconf_cnf(&self, id: DevId) -> Addrconf6Cnf {
        use crate::devconf::Ipv6Conf as K;
        let c = |k| self.in6_dev_conf(id, k);
        // rtr_solicit_delay is stored in ms (its sysctl's unit); the kernel's is jiffies.
        let delay_ms = u64::try_from(c(K::RtrSolicitDelay)).unwrap_or(0);
        Addrconf6Cnf {
            accept_dad: c(K::AcceptDad),
            dad_transmits: u32::try_from(c(K::DadTransmits)).unwrap_or(0),
            rtr_solicit_delay: delay_ms * crate::time::HZ / 1000,
            keep_addr_on_down: c(K::KeepAddrOnDown),
            disable_ipv6: c(K::DisableIpv6) != 0,
            use_tempaddr: c(K::UseTempaddr),
            optimistic_dad: c(K::OptimisticDad) != 0,
            retrans_time: crate::time::HZ,
        }
    }

    /// `inet6_fill_ifaddr`.
    pub fn inet6_fill_ifaddr(&self, ifa: &Inet6Ifaddr) -> AddrView {
        let (prefered, valid) = remaining_lifetimes(
            ifa.flags & ifa_f::PERMANENT != 0 && ifa.prefered_lft == INFINITY_LIFE_TIME,
            ifa.prefered_lft,
            ifa.valid_lft,
            ifa.tstamp,
            self.now(),
        );
        let (address, local) = if ifa.peer.is_unspecified() {
            (ifa.addr, None)
        } else {
            (ifa.peer, Some(IpAddr::V6(ifa.addr)))
        };
        AddrView {
            family_v6: true,
            prefixlen: ifa.prefix_len,
            flags: ifa.flags,
            scope: rt_scope(ifa.scope),
            ifindex: self.dev(ifa.dev).ifindex,
            address: Some(IpAddr::V6(address)),
            local,
            broadcast: None,
            label: None,
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

    /// `inet6_ifa_notify`: pid 0, seq 0, to RTNLGRP_IPV6_IFADDR.
    fn inet6_ifa_notify(&mut self, msg: LinkMsg, ifa: &Inet6Ifaddr) {
        let view = Box::new(self.inet6_fill_ifaddr(ifa));
        let netns = self.dev(ifa.dev).netns;
        self.events.push(Event::Addr {
            msg,
            netns,
            from_request: false,
            view,
        });
    }

    /// `ipv6_ifa_notify` / `__ipv6_ifa_notify` (`event` None: the 0 event, an RTM_NEWADDR
    /// without the route work). Silent on a dead idev.
    pub(crate) fn ipv6_ifa_notify(&mut self, event: Option<LinkMsg>, id: DevId, addr: Ipv6Addr) {
        if !self.dev(id).inet.in6 {
            return;
        }
        self.ipv6_ifa_notify_raw(event, id, addr);
    }

    /// `__ipv6_ifa_notify` for an address still listed (or `snapshot` when already unlinked).
    fn ipv6_ifa_notify_raw(&mut self, event: Option<LinkMsg>, id: DevId, addr: Ipv6Addr) {
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        let ifa = self.in6_dev_addrs(id)[i].clone();
        self.ipv6_ifa_notify_of(event, &ifa);
    }

    /// `__ipv6_ifa_notify` of one record.
    pub(crate) fn ipv6_ifa_notify_of(&mut self, event: Option<LinkMsg>, ifa: &Inet6Ifaddr) {
        let id = ifa.dev;
        self.inet6_ifa_notify(event.unwrap_or(LinkMsg::New), ifa);
        match event {
            Some(LinkMsg::New) => {
                if !ifa.rt_inserted {
                    // ip6_ins_rt(net, ifp->rt): the local-table route.
                    self.ip6_ins_local_route(id, ifa.addr, false);
                    if let Some(i) = self.in6_find(id, &ifa.addr) {
                        self.in6_dev_addrs_mut(id)[i].rt_inserted = true;
                    }
                }
                if self.in6_dev_forwarding(id) {
                    self.addrconf_join_anycast(ifa);
                }
                if !ifa.peer.is_unspecified() {
                    self.addrconf_prefix_route(ifa.peer, 128, ifa.rt_priority, id, None, 0);
                }
            }
            Some(LinkMsg::Del) => {
                if self.in6_dev_forwarding(id) {
                    self.addrconf_leave_anycast(ifa);
                }
                self.addrconf_leave_solict(id, &ifa.addr);
                if !ifa.peer.is_unspecified() {
                    self.addrconf_prefix_route_del(ifa.peer, 128, id, None);
                }
                if ifa.rt_inserted {
                    self.ip6_del_local_route(id, ifa.addr, false);
                    if let Some(i) = self.in6_find(id, &ifa.addr) {
                        self.in6_dev_addrs_mut(id)[i].rt_inserted = false;
                    }
                }
            }
            None => {}
        }
    }

    /// `addrconf_join_solict`: not on NOARP / loopback devices.
    pub(crate) fn addrconf_join_solict(&mut self, id: DevId, addr: &Ipv6Addr) {
        if self.dev(id).flags & (iff::LOOPBACK | iff::NOARP) != 0 {
            return;
        }
        self.mc_inc_group(id, crate::inet_mcast::solicited_node(&addr.octets()), true);
    }

    /// `addrconf_leave_solict`.
    pub(crate) fn addrconf_leave_solict(&mut self, id: DevId, addr: &Ipv6Addr) {
        if self.dev(id).flags & (iff::LOOPBACK | iff::NOARP) != 0 {
            return;
        }
        self.mc_dec_group(id, crate::inet_mcast::solicited_node(&addr.octets()), true);
    }

    /// `ipv6_find_idev`: the idev (created if missing: EINVAL below IPV6_MIN_MTU), with
    /// `ipv6_mc_up` when the device is up.
    pub(crate) fn ipv6_find_idev(&mut self, id: DevId) -> KResult<()> {
        if !self.dev(id).inet.in6 {
            self.ipv6_add_dev(id);
            if !self.dev(id).inet.in6 {
                return Err(KernelError::new(errno::EINVAL));
            }
        }
        if self.dev(id).flags & iff::UP != 0 {
            self.ipv6_mc_up(id);
        }
        Ok(())
    }

    /// `addrconf_add_dev`: `ipv6_find_idev`, EACCES with disable_ipv6, then ff00::/8.
    pub(crate) fn addrconf_add_dev(&mut self, id: DevId) -> KResult<()> {
        self.ipv6_find_idev(id)?;
        if self.addrconf_cnf(id).disable_ipv6 {
            return Err(KernelError::new(errno::EACCES));
        }
        if self.dev(id).flags & iff::LOOPBACK == 0 && !self.netif_is_l3_master(id) {
            self.addrconf_add_mroute(id);
        }
        Ok(())
    }

    /// `inet6_rtm_newaddr`.
    pub fn inet6_rtm_newaddr(&mut self, ns: NetnsId, req: &AddrRequest) -> KResult<()> {
        let Some((pfx, peer)) = extract_addr(req) else {
            return Err(KernelError::new(errno::EINVAL));
        };
        let (preferred_lft, valid_lft) = req
            .cacheinfo
            .unwrap_or((INFINITY_LIFE_TIME, INFINITY_LIFE_TIME));
        let mut cfg = Ifa6Config {
            pfx,
            peer,
            plen: req.prefixlen,
            flags: 0,
            valid_lft,
            preferred_lft,
            rt_priority: req.rt_priority.unwrap_or(0),
            proto: req.proto.unwrap_or(0),
            scope: 0,
        };
        let Some(id) = self.dev_by_index(ns, req.ifindex) else {
            return Err(KernelError::new(errno::ENODEV).msg("ipv6: Unable to find the interface"));
        };
        cfg.flags = req.flags.unwrap_or(u32::from(req.hdr_flags));
        // "We ignore other flags so far."
        cfg.flags &= ifa_f::NODAD
            | ifa_f::HOMEADDRESS
            | ifa_f::MANAGETEMPADDR
            | ifa_f::NOPREFIXROUTE
            | ifa_f::MCAUTOJOIN
            | ifa_f::OPTIMISTIC;
        self.ipv6_find_idev(id)?;
        // ipv6_allow_optimistic_dad (forwarding is off).
        if !self.addrconf_cnf(id).optimistic_dad {
            cfg.flags &= !ifa_f::OPTIMISTIC;
        }
        if cfg.flags & ifa_f::NODAD != 0 && cfg.flags & ifa_f::OPTIMISTIC != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("IFA_F_NODAD and IFA_F_OPTIMISTIC are mutually exclusive"));
        }
        let Some(i) = self.in6_find(id, &pfx) else {
            return self.inet6_addr_add(id, cfg);
        };
        if req.excl || !req.replace {
            return Err(KernelError::new(errno::EEXIST).msg("ipv6: address already assigned"));
        }
        self.inet6_addr_modify(id, i, cfg)
    }

    /// `inet6_addr_add`.
    fn inet6_addr_add(&mut self, id: DevId, mut cfg: Ifa6Config) -> KResult<()> {
        if cfg.plen > 128 {
            return Err(KernelError::new(errno::EINVAL).msg("ipv6: Invalid prefix length"));
        }
        if cfg.valid_lft == 0 || cfg.preferred_lft > cfg.valid_lft {
            return Err(KernelError::new(errno::EINVAL).msg("ipv6: address lifetime invalid"));
        }
        if cfg.flags & ifa_f::MANAGETEMPADDR != 0 && cfg.plen != 64 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("ipv6: address with \"mngtmpaddr\" flag must have a prefix length of 64"));
        }
        if self.addrconf_add_dev(id).is_err() {
            return Err(
                KernelError::new(errno::EACCES).msg("ipv6: IPv6 is disabled on this device")
            );
        }
        if cfg.flags & ifa_f::MCAUTOJOIN != 0 {
            if let Err(e) = self.ipv6_mc_config(true, id, cfg.pfx) {
                return Err(KernelError::new(e).msg("ipv6: Multicast auto join failed"));
            }
        }
        cfg.scope = ipv6_addr_scope(&cfg.pfx);
        let (expires, rtf) = if cfg.valid_lft != INFINITY_LIFE_TIME {
            (
                Some(self.now() + u64::from(cfg.valid_lft) * crate::time::NSEC_PER_SEC),
                RTF_EXPIRES,
            )
        } else {
            cfg.flags |= ifa_f::PERMANENT;
            (None, 0)
        };
        if cfg.preferred_lft != INFINITY_LIFE_TIME && cfg.preferred_lft == 0 {
            cfg.flags |= ifa_f::DEPRECATED;
        }
        if cfg.flags & ifa_f::MANAGETEMPADDR != 0 && self.addrconf_cnf(id).use_tempaddr > 0 {
            return Err(KernelError::not_modelled(
                "temporary addresses (mngtmpaddr with use_tempaddr > 0)",
            ));
        }
        let addr = match self.ipv6_add_addr(id, &cfg) {
            Ok(a) => a,
            Err(e) => {
                if cfg.flags & ifa_f::MCAUTOJOIN != 0 {
                    let _ = self.ipv6_mc_config(false, id, cfg.pfx);
                }
                return Err(e);
            }
        };
        let Some(i) = self.in6_find(id, &addr) else {
            return Ok(());
        };
        let ifa = self.in6_dev_addrs(id)[i].clone();
        if cfg.flags & ifa_f::NOPREFIXROUTE == 0 {
            self.addrconf_prefix_route(ifa.addr, ifa.prefix_len, ifa.rt_priority, id, expires, rtf);
        }
        // "Send a netlink notification if DAD is enabled and optimistic flag is not set."
        if ifa.flags & (ifa_f::OPTIMISTIC | ifa_f::NODAD) == 0 {
            self.ipv6_ifa_notify(None, id, addr);
        }
        self.addrconf_dad_start(id, addr);
        self.addrconf_verify_queue_now();
        Ok(())
    }

    /// `ipv6_add_addr`: the checks, then the record linked by scope (global first, newest
    /// first within a scope: `ipv6_link_dev_addr`).
    pub(crate) fn ipv6_add_addr(&mut self, id: DevId, cfg: &Ifa6Config) -> KResult<Ipv6Addr> {
        let a = cfg.pfx;
        if a.is_unspecified() {
            return Err(KernelError::new(errno::EADDRNOTAVAIL).msg("ipv6: Invalid address"));
        }
        if a.is_multicast() && cfg.flags & ifa_f::MCAUTOJOIN == 0 {
            return Err(KernelError::new(errno::EADDRNOTAVAIL)
                .msg("ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag"));
        }
        if self.dev(id).flags & iff::LOOPBACK == 0
            && !self.netif_is_l3_master(id)
            && a.is_loopback()
        {
            return Err(KernelError::new(errno::EADDRNOTAVAIL)
                .msg("ipv6: Cannot assign loopback address on this device"));
        }
        if !self.dev(id).inet.in6 {
            return Err(KernelError::new(errno::ENODEV).msg("ipv6: device is going away"));
        }
        if self.addrconf_cnf(id).disable_ipv6 {
            return Err(
                KernelError::new(errno::EACCES).msg("ipv6: IPv6 is disabled on this device")
            );
        }
        self.inetaddr_validator(id, IpAddr::V6(a))?;
        // ipv6_add_addr_hash: the same address on this device.
        if self.in6_find(id, &a).is_some() {
            return Err(KernelError::new(errno::EEXIST));
        }
        let now = self.now();
        let mut flags = cfg.flags;
        if flags & ifa_f::NODAD == 0 {
            flags |= ifa_f::TENTATIVE;
        }
        let ifa = Inet6Ifaddr {
            dev: id,
            addr: a,
            peer: cfg.peer.unwrap_or(Ipv6Addr::UNSPECIFIED),
            prefix_len: cfg.plen,
            scope: cfg.scope,
            flags,
            valid_lft: cfg.valid_lft,
            prefered_lft: cfg.preferred_lft,
            cstamp: now,
            tstamp: now,
            rt_priority: cfg.rt_priority,
            proto: cfg.proto,
            state: Inet6State::PreDad,
            dad_probes: 0,
            dad_timer: None,
            rt_inserted: false,
        };
        let rank = ipv6_src_scope_rank(&a);
        let list = self.in6_dev_addrs_mut(id);
        let at = list
            .iter()
            .position(|x| rank >= ipv6_src_scope_rank(&x.addr))
            .unwrap_or(list.len());
        // Most devices hold one address (their link-local): no spare slots for it.
        list.reserve_exact(1);
        list.insert(at, ifa);
        Ok(a)
    }

    /// `ipv6_mc_config`: `ipv6_sock_mc_join` / `ipv6_sock_mc_drop` of the namespace's autojoin
    /// socket (EINVAL: not multicast; EADDRINUSE: joined already; EADDRNOTAVAIL: leaving a
    /// group not joined).
    fn ipv6_mc_config(&mut self, join: bool, id: DevId, group: Ipv6Addr) -> Result<(), i32> {
        let joined = self
            .dev(id)
            .ifaddrs
            .as_deref()
            .is_some_and(|a| a.autojoin6.contains(&group));
        if join {
            if !group.is_multicast() {
                return Err(errno::EINVAL);
            }
            if joined {
                return Err(errno::EADDRINUSE);
            }
            self.dev_mut(id)
                .ifaddrs
                .get_or_insert_with(Box::default)
                .autojoin6
                .push(group);
            self.mc_inc_group(id, group.octets(), true);
        } else {
            if !joined {
                return Err(errno::EADDRNOTAVAIL);
            }
            if let Some(a) = self.dev_mut(id).ifaddrs.as_deref_mut() {
                a.autojoin6.retain(|g| *g != group);
            }
            self.mc_dec_group(id, group.octets(), true);
            self.ifaddrs_shrink(id);
        }
        Ok(())
    }

    /// `inet6_addr_modify` (NLM_F_REPLACE of an existing address).
    fn inet6_addr_modify(&mut self, id: DevId, i: usize, mut cfg: Ifa6Config) -> KResult<()> {
        if cfg.valid_lft == 0 || cfg.preferred_lft > cfg.valid_lft {
            return Err(KernelError::new(errno::EINVAL));
        }
        let old = self.in6_dev_addrs(id)[i].clone();
        if cfg.flags & ifa_f::MANAGETEMPADDR != 0 && old.prefix_len != 64 {
            return Err(KernelError::new(errno::EINVAL));
        }
        if old.flags & ifa_f::TENTATIVE == 0 || old.flags & ifa_f::DADFAILED != 0 {
            cfg.flags &= !ifa_f::OPTIMISTIC;
        }
        let (expires, rtf) = if cfg.valid_lft != INFINITY_LIFE_TIME {
            (
                Some(self.now() + u64::from(cfg.valid_lft) * crate::time::NSEC_PER_SEC),
                RTF_EXPIRES,
            )
        } else {
            cfg.flags |= ifa_f::PERMANENT;
            (None, 0)
        };
        if cfg.preferred_lft != INFINITY_LIFE_TIME && cfg.preferred_lft == 0 {
            cfg.flags |= ifa_f::DEPRECATED;
        }
        let new_peer = cfg.peer.filter(|p| *p != old.peer);
        if new_peer.is_some() && !old.peer.is_unspecified() {
            self.addrconf_prefix_route_del(old.peer, old.prefix_len, id, None);
        }
        let had_prefixroute =
            old.flags & ifa_f::PERMANENT != 0 && old.flags & ifa_f::NOPREFIXROUTE == 0;
        let now = self.now();
        let ifa = {
            let ifa = &mut self.in6_dev_addrs_mut(id)[i];
            ifa.flags &= !(ifa_f::DEPRECATED
                | ifa_f::PERMANENT
                | ifa_f::NODAD
                | ifa_f::HOMEADDRESS
                | ifa_f::MANAGETEMPADDR
                | ifa_f::NOPREFIXROUTE);
            ifa.flags |= cfg.flags;
            ifa.tstamp = now;
            ifa.valid_lft = cfg.valid_lft;
            ifa.prefered_lft = cfg.preferred_lft;
            ifa.proto = cfg.proto;
            if cfg.rt_priority != 0 && cfg.rt_priority != ifa.rt_priority {
                ifa.rt_priority = cfg.rt_priority;
            }
            if let Some(p) = new_peer {
                ifa.peer = p;
            }
            ifa.clone()
        };
        if ifa.flags & ifa_f::TENTATIVE == 0 {
            self.ipv6_ifa_notify(None, id, ifa.addr);
        }
        if cfg.flags & ifa_f::NOPREFIXROUTE == 0 {
            // modify_prefix_route / addrconf_prefix_route: the route side replaces the prefix
            // route's metric and expiry.
            if had_prefixroute {
                self.addrconf_prefix_route_del(ifa.addr, ifa.prefix_len, id, Some(old.rt_priority));
            }
            self.addrconf_prefix_route(ifa.addr, ifa.prefix_len, ifa.rt_priority, id, expires, rtf);
            if !ifa.peer.is_unspecified() {
                if had_prefixroute {
                    self.addrconf_prefix_route_del(ifa.peer, ifa.prefix_len, id, None);
                }
                self.addrconf_prefix_route(
                    ifa.peer,
                    ifa.prefix_len,
                    ifa.rt_priority,
                    id,
                    expires,
                    rtf,
                );
            }
        } else if had_prefixroute && !self.prefix_still_permanent(id, &ifa) {
            self.addrconf_prefix_route_del(ifa.addr, ifa.prefix_len, id, None);
        }
        if cfg.flags & ifa_f::MANAGETEMPADDR != 0 && self.addrconf_cnf(id).use_tempaddr > 0 {
            return Err(KernelError::not_modelled(
                "temporary addresses (mngtmpaddr with use_tempaddr > 0)",
            ));
        }
        self.addrconf_verify_queue_now();
        Ok(())
    }

    /// `check_cleanup_prefix_route` reduced to its DEL / NOP answer: another address of the
    /// prefix that is permanent or NOPREFIXROUTE keeps the route. (An address with a finite
    /// lifetime only changes the route's expiry in the kernel; nlsim deletes nothing then.)
    fn prefix_still_permanent(&self, id: DevId, ifp: &Inet6Ifaddr) -> bool {
        self.in6_dev_addrs(id).iter().any(|a| {
            a.addr != ifp.addr
                && a.prefix_len == ifp.prefix_len
                && prefix_equal(&a.addr, &ifp.addr, ifp.prefix_len)
        })
    }

    /// `inet6_rtm_deladdr` + `inet6_addr_del`.
    pub fn inet6_rtm_deladdr(&mut self, ns: NetnsId, req: &AddrRequest) -> KResult<()> {
        let Some((pfx, _)) = extract_addr(req) else {
            return Err(KernelError::new(errno::EINVAL));
        };
        if req.prefixlen > 128 {
            return Err(KernelError::new(errno::EINVAL).msg("ipv6: Invalid prefix length"));
        }
        let Some(id) = self.dev_by_index(ns, req.ifindex) else {
            return Err(KernelError::new(errno::ENODEV).msg("ipv6: Unable to find the interface"));
        };
        if !self.dev(id).inet.in6 {
            return Err(KernelError::new(ENXIO).msg("ipv6: IPv6 is disabled on this device"));
        }
        let found = self
            .in6_dev_addrs(id)
            .iter()
            .any(|a| a.prefix_len == req.prefixlen && a.addr == pfx);
        if !found {
            return Err(KernelError::new(errno::EADDRNOTAVAIL).msg("ipv6: address not found"));
        }
        self.ipv6_del_addr(id, pfx);
        self.addrconf_verify_queue_now();
        if pfx.is_multicast() {
            let _ = self.ipv6_mc_config(false, id, pfx);
        }
        Ok(())
    }

    /// `ipv6_del_addr`.
    pub(crate) fn ipv6_del_addr(&mut self, id: DevId, addr: Ipv6Addr) {
        let Some(i) = self.in6_find(id, &addr) else {
            return;
        };
        let ifa = self.in6_dev_addrs(id)[i].clone();
        if ifa.state == Inet6State::Dead {
            return;
        }
        let cleanup = ifa.flags & ifa_f::PERMANENT != 0
            && ifa.flags & ifa_f::NOPREFIXROUTE == 0
            && !self.prefix_still_permanent(id, &ifa);
        let mut ifa = self.in6_dev_addrs_mut(id).remove(i);
        ifa.state = Inet6State::Dead;
        if let Some(t) = ifa.dad_timer.take() {
            self.timer_del(t);
        }
        // ipv6_ifa_notify(RTM_DELADDR): the record is unlinked but still alive.
        if self.dev(id).inet.in6 {
            self.ipv6_ifa_notify_of(Some(LinkMsg::Del), &ifa);
        }
        if cleanup {
            self.addrconf_prefix_route_del(ifa.addr, ifa.prefix_len, id, None);
        }
        self.ifaddrs_shrink(id);
    }

    /// `inet6_rtm_getaddr`: the address `addr` (on `ifindex` when not 0).
    pub fn inet6_rtm_getaddr(&self, ns: NetnsId, req: &AddrRequest) -> KResult<AddrView> {
        let Some((addr, _)) = extract_addr(req) else {
            return Err(KernelError::new(errno::EINVAL));
        };
        let dev = if req.ifindex != 0 {
            self.dev_by_index(ns, req.ifindex)
        } else {
            None
        };
        // ipv6_get_ifaddr(net, addr, dev, 1): strict, so only `dev` when given.
        let ids: Vec<DevId> = match dev {
            Some(d) => vec![d],
            None => self.devices_in(ns),
        };
        for id in ids {
            if let Some(i) = self.in6_find(id, &addr) {
                return Ok(self.inet6_fill_ifaddr(&self.in6_dev_addrs(id)[i]));
            }
        }
        Err(KernelError::new(errno::EADDRNOTAVAIL))
    }

    /// The devices of a namespace in ifindex order.
    pub fn devices_in(&self, ns: NetnsId) -> Vec<DevId> {
        self.namespaces
            .get(&ns)
            .map(|n| n.by_index.values().copied().collect())
            .unwrap_or_default()
    }

    /// The AF_INET6 unicast dump of one device (`in6_dump_addrs`).
    pub fn inet6_dump_dev(&self, id: DevId) -> Vec<AddrView> {
        self.in6_dev_addrs(id)
            .iter()
            .map(|a| self.inet6_fill_ifaddr(a))
            .collect()
    }

    /// `add_addr`: a kernel address that skips DAD (::1 on loopback).
    fn add_addr(&mut self, id: DevId, addr: Ipv6Addr, plen: u8, scope: u32, proto: u8) {
        let cfg = Ifa6Config {
            pfx: addr,
            peer: None,
            plen,
            flags: ifa_f::PERMANENT,
            valid_lft: INFINITY_LIFE_TIME,
            preferred_lft: INFINITY_LIFE_TIME,
            rt_priority: 0,
            proto,
            scope,
        };
        if self.ipv6_add_addr(id, &cfg).is_ok() {
            if let Some(i) = self.in6_find(id, &addr) {
                self.in6_dev_addrs_mut(id)[i].flags &= !ifa_f::TENTATIVE;
            }
            self.ipv6_ifa_notify(Some(LinkMsg::New), id, addr);
        }
    }

    /// `add_v4_addrs`: a SIT / GRE device's addresses from IPv4 ones: its own local address
    /// (`dev_addr`) under fe80::/64 (or ::/96, IPv4-compatible, on a non point-to-point SIT),
    /// else one per IPv4 address of every up device of the namespace.
    fn add_v4_addrs(&mut self, id: DevId) {
        let d = self.dev(id);
        let raw = d.addr.as_bytes();
        // IP6GRE: the last 4 bytes of an IPv6 dev_addr.
        let offset = if raw.len() == 16 { 12 } else { 0 };
        let Some(v4) = raw.get(offset..offset + 4) else {
            return;
        };
        let v4 = u32::from_be_bytes([v4[0], v4[1], v4[2], v4[3]]);
        let ptp = d.flags & iff::POINTOPOINT != 0;
        let (base, scope, plen) = if !ptp && d.dev_type == ARPHRD_SIT {
            // IPV6_ADDR_COMPATv4; the prefix route is RTF_NONEXTHOP.
            (0u128, IPV6_ADDR_COMPATV4, 96u8)
        } else {
            if d.inet.addr_gen_mode == ADDR_GEN_MODE_NONE {
                return;
            }
            (0xfe80u128 << 112, IFA_LINK, 64u8)
        };
        let pflags = if plen == 96 { RTF_NONEXTHOP } else { 0 };
        if v4 != 0 {
            let a = Ipv6Addr::from(base | u128::from(v4));
            self.add_addr(id, a, plen, scope, 0);
            self.addrconf_prefix_route(a, plen, 0, id, None, pflags);
            return;
        }
        let ns = self.dev(id).netns;
        for other in self.devices_in(ns) {
            let od = self.dev(other);
            if !od.inet.in4 || od.flags & iff::UP == 0 {
                continue;
            }
            let v4s: Vec<(u32, u8)> = self
                .in_dev_addrs(other)
                .iter()
                .map(|x| (u32::from(x.local), x.scope))
                .collect();
            for (local, ifa_scope) in v4s {
                let mut flag = scope;
                if ifa_scope == super::ifaddr::RT_SCOPE_LINK {
                    continue;
                }
                if ifa_scope >= super::ifaddr::RT_SCOPE_HOST {
                    if ptp {
                        continue;
                    }
                    flag |= IFA_HOST;
                }
                let a = Ipv6Addr::from(base | u128::from(local));
                self.add_addr(id, a, plen, flag, 0);
                self.addrconf_prefix_route(a, plen, 0, id, None, pflags);
            }
        }
    }

    /// `init_loopback`: ::1/128.
    fn init_loopback(&mut self, id: DevId) {
        if self.ipv6_find_idev(id).is_err() {
            return;
        }
        self.add_addr(id, Ipv6Addr::LOCALHOST, 128, IFA_HOST, IFAPROT_KERNEL_LO);
    }

    /// `addrconf_add_linklocal`.
    fn addrconf_add_linklocal(&mut self, id: DevId, addr: Ipv6Addr, flags: u32) {
        let cfg = Ifa6Config {
            pfx: addr,
            peer: None,
            plen: 64,
            flags: flags | ifa_f::PERMANENT,
            valid_lft: INFINITY_LIFE_TIME,
            preferred_lft: INFINITY_LIFE_TIME,
            rt_priority: 0,
            proto: IFAPROT_KERNEL_LL,
            scope: IFA_LINK,
        };
        if self.ipv6_add_addr(id, &cfg).is_ok() {
            self.addrconf_prefix_route(addr, 64, 0, id, None, 0);
            self.addrconf_dad_start(id, addr);
        }
    }

    /// `ipv6_generate_eui64`: the interface identifier of the device's type, if it has one.
    fn ipv6_generate_eui64(&self, id: DevId) -> Option<[u8; 8]> {
        let d = self.dev(id);
        let from_mac = |m: &[u8]| -> Option<[u8; 8]> {
            let m: [u8; 6] = m.try_into().ok()?;
            // dev_id is 0: ff:fe in the middle.
            Some([m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]])
        };
        match d.dev_type {
            // addrconf_ifid_eui48 (include/net/addrconf.h): a dev_id replaces ff:fe and the
            // universal/local bit stays as it is.
            arphrd::ETHER => match (d.kind.ops().dev_id(d), d.addr.as_bytes()) {
                (0, m) => from_mac(m),
                (dev_id, &[a, b, c, x, y, z]) => {
                    let [hi, lo] = dev_id.to_be_bytes();
                    Some([a, b, c, hi, lo, x, y, z])
                }
                _ => None,
            },
            ARPHRD_FDDI => from_mac(d.addr.as_bytes()),
            arphrd::IPGRE | ARPHRD_TUNNEL => isatap_ifid(d.addr.as_bytes()),
            ARPHRD_TUNNEL6 | arphrd::IP6GRE | ARPHRD_RAWIP => {
                let p = d.perm_addr.as_bytes();
                if p.len() < 6 {
                    return None;
                }
                from_mac(&p[..6])
            }
            _ => None,
        }
    }

    /// `addrconf_addr_gen`: the link-local address of the device's addr_gen_mode.
    fn addrconf_addr_gen(&mut self, id: DevId, prefix_route: bool) {
        if self.netif_is_l3_master(id) || self.no_addrconf(id) {
            return;
        }
        let fe80 = Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0);
        match self.dev(id).inet.addr_gen_mode {
            // ipv6_gen_mode_random_init keeps a stable_secret the device already has.
            ADDR_GEN_MODE_RANDOM if !self.dev_has_stable_secret(id) => {
                let iid = self.stable_random_iid(id);
                let a = Ipv6Addr::from(u128::from(fe80) | u128::from(u64::from_be_bytes(iid)));
                self.addrconf_add_linklocal(id, a, ifa_f::STABLE_PRIVACY);
            }
            ADDR_GEN_MODE_RANDOM | ADDR_GEN_MODE_STABLE_PRIVACY => {
                match self.ipv6_generate_stable_address(id, &fe80, 0) {
                    Some(a) => self.addrconf_add_linklocal(id, a, ifa_f::STABLE_PRIVACY),
                    None if prefix_route => self.addrconf_prefix_route(fe80, 64, 0, id, None, 0),
                    None => {}
                }
            }
            ADDR_GEN_MODE_EUI64 => match self.ipv6_generate_eui64(id) {
                Some(iid) => {
                    let a = Ipv6Addr::from(u128::from(fe80) | u128::from(u64::from_be_bytes(iid)));
                    self.addrconf_add_linklocal(id, a, 0);
                }
                None if prefix_route => self.addrconf_prefix_route(fe80, 64, 0, id, None, 0),
                None => {}
            },
            ADDR_GEN_MODE_NONE => {}
            _ => {}
        }
    }

    /// `idev->cnf.stable_secret.initialized`.
    fn dev_has_stable_secret(&self, id: DevId) -> bool {
        self.dev(id)
            .conf
            .as_ref()
            .is_some_and(|c| c.stable_secret.is_some())
    }

    /// `ipv6_generate_stable_address` under IN6_ADDR_GEN_MODE_RANDOM: the secret is random
    /// (`ipv6_gen_mode_random_init`) and kept by the idev, so the identifier is a random
    /// value fixed per device: drawn from a generator seeded by the device, leaving the
    /// model's MAC sequence alone.
    fn stable_random_iid(&self, id: DevId) -> [u8; 8] {
        let mut r = SeededRng::new(0x6164_6472_6765_6e00 ^ id.0);
        r.next_u64().to_be_bytes()
    }

    /// `addrconf_dev_config`.
    fn addrconf_dev_config(&mut self, id: DevId) {
        let t = self.dev(id).dev_type;
        if !matches!(
            t,
            arphrd::ETHER
                | ARPHRD_FDDI
                | ARPHRD_ARCNET
                | ARPHRD_INFINIBAND
                | ARPHRD_IEEE1394
                | ARPHRD_TUNNEL6
                | ARPHRD_6LOWPAN
                | ARPHRD_TUNNEL
                | arphrd::NONE
                | ARPHRD_RAWIP
        ) {
            // "Alas, we support only Ethernet autoconfiguration."
            let d = self.dev(id);
            if d.inet.in6 && d.flags & iff::UP != 0 && d.flags & iff::MULTICAST != 0 {
                self.ipv6_mc_up(id);
            }
            return;
        }
        if self.addrconf_add_dev(id).is_err() {
            return;
        }
        // "this device type has no EUI support"
        if t == arphrd::NONE && self.dev(id).inet.addr_gen_mode == ADDR_GEN_MODE_EUI64 {
            self.dev_mut(id).inet.addr_gen_mode = ADDR_GEN_MODE_RANDOM;
        }
        self.addrconf_addr_gen(id, false);
    }

    /// `addrconf_init_auto_addrs`.
    pub(crate) fn addrconf_init_auto_addrs(&mut self, id: DevId) {
        match self.dev(id).dev_type {
            ARPHRD_SIT => {
                // addrconf_sit_config (ISATAP devices, which generate a link-local, are not
                // modelled: the model has no IFF_ISATAP).
                if self.ipv6_find_idev(id).is_err() {
                    return;
                }
                self.add_v4_addrs(id);
                if self.dev(id).flags & iff::POINTOPOINT != 0 {
                    self.addrconf_add_mroute(id);
                }
            }
            arphrd::IPGRE | arphrd::IP6GRE => {
                // addrconf_gre_config
                if self.addrconf_add_dev(id).is_err() {
                    return;
                }
                let d = self.dev(id);
                let zero = d.addr.as_bytes().iter().all(|b| *b == 0);
                if !(d.dev_type == arphrd::IPGRE
                    && zero
                    && d.inet.addr_gen_mode == ADDR_GEN_MODE_EUI64)
                {
                    self.addrconf_addr_gen(id, true);
                } else {
                    self.add_v4_addrs(id);
                }
            }
            arphrd::LOOPBACK => self.init_loopback(id),
            _ => self.addrconf_dev_config(id),
        }
    }

    /// `addrconf_permanent_addr` at NETDEV_UP: kept permanent addresses get their routes
    /// back (`fixup_permanent_addr`), and those never through DAD start it.
    pub(crate) fn addrconf_permanent_addr(&mut self, id: DevId) {
        if !self.dev(id).inet.in6 {
            return;
        }
        let addrs: Vec<Inet6Ifaddr> = self.in6_dev_addrs(id).to_vec();
        for ifa in addrs {
            if ifa.flags & ifa_f::PERMANENT == 0 {
                continue;
            }
            if ifa.flags & ifa_f::NOPREFIXROUTE == 0 {
                self.addrconf_prefix_route(ifa.addr, ifa.prefix_len, ifa.rt_priority, id, None, 0);
            }
            if ifa.state == Inet6State::PreDad {
                self.addrconf_dad_start(id, ifa.addr);
            }
        }
    }

    /// The address part of `addrconf_ifdown`: every address goes (keep_addr_on_down keeps
    /// permanent global ones, tentative again), announced with RTM_DELADDR unless DAD never
    /// began for it.
    pub(crate) fn addrconf_ifdown_addrs(&mut self, id: DevId, unregister: bool) {
        let cnf = self.addrconf_cnf(id);
        let keep_addr = !unregister && !cnf.disable_ipv6 && cnf.keep_addr_on_down > 0;
        let addrs: Vec<Ipv6Addr> = self.in6_dev_addrs(id).iter().map(|a| a.addr).collect();
        for addr in addrs {
            let Some(i) = self.in6_find(id, &addr) else {
                continue;
            };
            if let Some(t) = self.in6_dev_addrs_mut(id)[i].dad_timer.take() {
                self.timer_del(t);
            }
            let ifa = self.in6_dev_addrs(id)[i].clone();
            let local = ifa.scope & (IFA_LINK | IFA_HOST) != 0;
            let keep = keep_addr && ifa.flags & ifa_f::PERMANENT != 0 && !local;
            let state = if keep {
                let x = &mut self.in6_dev_addrs_mut(id)[i];
                x.state = Inet6State::PreDad;
                if x.flags & ifa_f::NODAD == 0 {
                    x.flags |= ifa_f::TENTATIVE;
                }
                Inet6State::Dead
            } else {
                let x = &mut self.in6_dev_addrs_mut(id)[i];
                let s = x.state;
                x.state = Inet6State::Dead;
                s
            };
            if keep && ifa.rt_inserted {
                self.ip6_del_local_route(id, ifa.addr, false);
                self.in6_dev_addrs_mut(id)[i].rt_inserted = false;
            }
            if state != Inet6State::Dead {
                // __ipv6_ifa_notify(RTM_DELADDR) even on a dying idev.
                self.ipv6_ifa_notify_raw(Some(LinkMsg::Del), id, addr);
            } else {
                if self.in6_dev_forwarding(id) {
                    self.addrconf_leave_anycast(&ifa);
                }
                self.addrconf_leave_solict(id, &addr);
            }
            if !keep {
                if let Some(i) = self.in6_find(id, &addr) {
                    self.in6_dev_addrs_mut(id).remove(i);
                }
            }
        }
        self.ifaddrs_shrink(id);
    }

    /// `addrconf_notify` for the address side of NETDEV_UP / NETDEV_CHANGE once the link is
    /// ready: the automatic addresses, then DAD of the waiting ones.
    pub(crate) fn addrconf_link_ready_addrs(&mut self, id: DevId, run_pending: bool) {
        self.addrconf_init_auto_addrs(id);
        if self.dev(id).inet.in6 {
            if run_pending {
                self.addrconf_dad_run(id, false);
            }
            // Device has an address by now: its routes lose RTNH_F_DEAD (and LINKDOWN with
            // carrier).
            self.rt6_sync_up(id, rtnh_f::DEAD);
            // The idev the event started with (every caller's `run_pending`): its tstamp
            // renewed and the AF_INET6 link notification; not with disable_ipv6, where
            // addrconf_notify stops first.
            if run_pending && !self.addrconf_cnf(id).disable_ipv6 {
                self.dev_mut(id).inet.in6_tstamp = self.now();
                self.inet6_ifinfo_notify(id);
            }
        }
    }
}

/// ENXIO (not in `uapi::errno`).
const ENXIO: i32 = 6;

/// `IPV6_ADDR_COMPATv4` (include/net/ipv6.h), a scope value for IPv4-compatible addresses.
const IPV6_ADDR_COMPATV4: u32 = 0x0080;
/// RTF_NONEXTHOP (include/uapi/linux/ipv6_route.h).
const RTF_NONEXTHOP: u32 = 0x0020_0000;

/// RTF_EXPIRES (include/uapi/linux/ipv6_route.h).
const RTF_EXPIRES: u32 = 0x0040_0000;

/// `__ipv6_isatap_ifid` of the device's IPv4 address (`dev->dev_addr`).
fn isatap_ifid(dev_addr: &[u8]) -> Option<[u8; 8]> {
    let a: [u8; 4] = dev_addr.get(..4)?.try_into().ok()?;
    if a == [0; 4] {
        return None;
    }
    let ip = std::net::Ipv4Addr::from(a);
    let o = ip.octets();
    let private = o[0] == 0 // zeronet
        || o[0] == 10
        || ip.is_loopback()
        || (o[0] == 169 && o[1] == 254)
        || (o[0] == 172 && o[1] & 0xf0 == 16)
        || (o[0] == 192 && o[1] == 0 && o[2] == 2) // test_192
        || (o[0] == 192 && o[1] == 88 && o[2] == 99) // anycast_6to4
        || (o[0] == 192 && o[1] == 168)
        || (o[0] == 198 && o[1] & 0xfe == 18) // test_198
        || ip.is_multicast()
        || ip.is_broadcast();
    Some([
        if private { 0 } else { 2 },
        0,
        0x5e,
        0xfe,
        a[0],
        a[1],
        a[2],
        a[3],
    ])
}
