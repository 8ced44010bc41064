//! `ip route get` for IPv4 (net/ipv4/route.c: `inet_rtm_getroute`): the output route
//! lookup `ip_route_output_key_hash_rcu` through the policy rules (`fib_lookup`), source
//! address selection (`inet_select_addr`, `fib_result_prefsrc`) and what `rt_fill_info`
//! reports of the resulting route, or the FIB entry that matched (RTM_F_FIB_MATCH).
//!
//! Input lookups (RTA_IIF) are route_input.rs. Multipath
//! routes answer with their first nexthop (the kernel hashes the flow with a random seed),
//! and `fib_select_default` (several default routes) is not applied.

use super::fib::semantics::{fib_props, FibResult, Flow4};
use super::fib::uapi::{errno as rt_errno, rtn, scope, table};
use super::fib::view::RouteView;
use super::fib_rules::{RuleFamily, RuleFlow, RuleVerdict};
use super::ifaddr::{InIfaddr, RT_SCOPE_HOST, RT_SCOPE_LINK};
use crate::devconf::Ipv4Conf;
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff};
use std::net::{IpAddr, Ipv4Addr};

/// RTCF_* (include/uapi/linux/in_route.h): the high bits `rt_fill_info` copies to rtm_flags.
pub const RTCF_NOTIFY: u32 = 0x0001_0000;
pub const RTCF_BROADCAST: u32 = 0x1000_0000;
pub const RTCF_MULTICAST: u32 = 0x2000_0000;
pub const RTCF_LOCAL: u32 = 0x8000_0000;
/// RTM_F_* of the request header.
pub const RTM_F_NOTIFY: u32 = 0x100;
pub const RTM_F_CLONED: u32 = 0x200;
pub const RTM_F_LOOKUP_TABLE: u32 = 0x1000;
pub const RTM_F_FIB_MATCH: u32 = 0x2000;
/// `LOOPBACK_IFINDEX`.
const LOOPBACK_IFINDEX: u32 = 1;
/// IFA_F_SECONDARY.
const IFA_F_SECONDARY: u32 = 0x01;

/// What an RTM_GETROUTE request for AF_INET asks (`inet_rtm_getroute`'s flow).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteGet4Req {
    pub src: u32,
    pub dst: u32,
    pub oif: u32,
    pub mark: u32,
    /// RTA_UID, else the caller's uid (0) for an output lookup, INVALID_UID (u32::MAX)
    /// for an input one.
    pub uid: u32,
    /// RTA_IIF: an input lookup of a packet arriving on this device (0: output).
    pub iif: u32,
    /// `rtm_tos & INET_DSCP_MASK`.
    pub tos: u8,
    pub ip_proto: u8,
    pub sport: u16,
    pub dport: u16,
    /// The request's rtm_flags.
    pub rtm_flags: u32,
}

/// The cached route `rt_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtView4 {
    pub table: u32,
    pub kind: u8,
    /// rtm_flags: the RTCF_* high bits, RTM_F_CLONED, RTM_F_NOTIFY.
    pub flags: u32,
    pub tos: u8,
    pub dst: Ipv4Addr,
    pub src: Option<Ipv4Addr>,
    pub oif: Option<u32>,
    pub prefsrc: Option<Ipv4Addr>,
    pub gateway: Option<Ipv4Addr>,
    pub mark: u32,
    /// RTA_UID (None: INVALID_UID, an input lookup's).
    pub uid: Option<u32>,
    /// RTA_IIF of an input route.
    pub iif: Option<u32>,
}

/// The answer: the route, or (RTM_F_FIB_MATCH) the FIB entry.
#[derive(Debug, Clone)]
pub enum RouteGet4 {
    Route(RtView4),
    FibMatch(RouteView),
}

/// `fib_result` with the table it came from (`res->table->tb_id`, None: no table).
pub(super) struct Res {
    pub(super) fib: Option<FibResult>,
    pub(super) kind: u8,
    pub(super) table: Option<u32>,
}

/// The keys of a flow the policy rules read beside `Flow4` (`struct flowi4`).
pub(super) struct RuleKeys {
    pub(super) iif: u32,
    pub(super) mark: u32,
    pub(super) uid: u32,
    pub(super) saddr: u32,
    pub(super) proto: u8,
    pub(super) sport: u16,
    pub(super) dport: u16,
    /// `flowi4_l3mdev`: the vrf whose table the l3mdev rule uses (`l3mdev_update_flow`).
    pub(super) l3mdev_dev: Option<DevId>,
}

pub(super) fn is_multicast(a: u32) -> bool {
    a & 0xf000_0000 == 0xe000_0000
}
pub(super) fn is_lbcast(a: u32) -> bool {
    a == u32::MAX
}
pub(super) fn is_zeronet(a: u32) -> bool {
    a & 0xff00_0000 == 0
}
pub(super) fn is_loopback(a: u32) -> bool {
    a & 0xff00_0000 == 0x7f00_0000
}
/// `ipv4_is_local_multicast`: 224.0.0.0/24.
pub(super) fn is_local_multicast(a: u32) -> bool {
    a & 0xffff_ff00 == 0xe000_0000
}

impl Kernel {
    /// `inet_rtm_getroute`.
    pub fn inet_rtm_getroute(&self, ns: NetnsId, req: &RouteGet4Req) -> KResult<RouteGet4> {
        if req.iif != 0 {
            return self.inet_rtm_getroute_input(ns, req);
        }
        let mut fl4 = Flow4 {
            daddr: req.dst,
            oif: req.oif,
            dscp: req.tos,
            ..Flow4::default()
        };
        let mut saddr = req.src;
        let (res, dev_out, flags) = self
            .ip_route_output_key_hash_rcu(ns, req, &mut fl4, &mut saddr)
            .map_err(|e| KernelError::new(-e))?;
        let rt = self.mkroute_output(&res, fl4.daddr, saddr, dev_out, flags)?;
        let prefsrc = (saddr != req.src).then(|| Ipv4Addr::from(saddr));
        self.route_get_reply(ns, req, &res, &rt, dev_out, prefsrc)
    }

    /// `inet_rtm_getroute` with RTA_IIF: the input route of a packet arriving on `iif`.
    fn inet_rtm_getroute_input(&self, ns: NetnsId, req: &RouteGet4Req) -> KResult<RouteGet4> {
        let dev = self
            .dev_by_index(ns, req.iif)
            .ok_or(KernelError::new(errno::ENODEV))?;
        let rt = self
            .ip_route_input_rcu(ns, req, dev)
            .map_err(|e| KernelError::new(-e))?;
        let made = MkRoute {
            kind: rt.kind,
            flags: rt.flags,
            gateway: rt.gateway,
        };
        // An input route reports no RTA_PREFSRC.
        self.route_get_reply(ns, req, &rt.res, &made, rt.dev, None)
    }

    /// What `inet_rtm_getroute` answers for the route a lookup made: `rt_fill_info`, or
    /// the FIB entry the lookup used (RTM_F_FIB_MATCH: `res.fi`, which `__mkroute_output`'s
    /// local `fi = NULL` leaves alone).
    fn route_get_reply(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        res: &Res,
        rt: &MkRoute,
        dev: DevId,
        prefsrc: Option<Ipv4Addr>,
    ) -> KResult<RouteGet4> {
        let table_id = reported_table(req, res);
        if req.rtm_flags & RTM_F_FIB_MATCH != 0 {
            return self.fib_match(ns, res, table_id, rt.kind);
        }
        Ok(RouteGet4::Route(RtView4 {
            table: table_id,
            kind: rt.kind,
            flags: rt_fill_flags(rt.flags, req),
            tos: req.tos,
            dst: Ipv4Addr::from(req.dst),
            src: (req.src != 0).then(|| Ipv4Addr::from(req.src)),
            oif: Some(self.dev(dev).ifindex),
            prefsrc,
            gateway: rt.gateway,
            mark: req.mark,
            // An INVALID_UID (an input lookup's without RTA_UID) is not reported.
            uid: (req.uid != u32::MAX).then_some(req.uid),
            // rt_is_input_route: the device the packet came in on.
            iif: (req.iif != 0).then_some(req.iif),
        }))
    }

    /// RTM_F_FIB_MATCH: the FIB entry the lookup used (`res.fi`), else the error of its type.
    fn fib_match(&self, ns: NetnsId, res: &Res, table_id: u32, kind: u8) -> KResult<RouteGet4> {
        let Some(fib) = res.fib.as_ref() else {
            let err = fib_props(res.kind).0;
            let err = if err != 0 {
                err
            } else {
                -rt_errno::EHOSTUNREACH
            };
            return Err(KernelError::new(-err));
        };
        self.fib_match_view(ns, fib, table_id, kind)
            .map(RouteGet4::FibMatch)
            .ok_or_else(|| KernelError::new(rt_errno::EHOSTUNREACH))
    }

    /// `fib_dump_info` of the alias the lookup matched (`fri.trap` only when the alias is in
    /// the reported table: a local route found through main has none).
    fn fib_match_view(
        &self,
        ns: NetnsId,
        fib: &FibResult,
        table_id: u32,
        kind: u8,
    ) -> Option<RouteView> {
        let tb = self.fib(ns)?.v4.get(fib.table)?;
        let aliases = tb.trie.aliases(fib.prefix, fib.prefixlen);
        let pos = aliases
            .iter()
            .position(|fa| fa.kind == fib.kind && fa.info.nhs.contains(&fib.nh))?;
        let fa = aliases.get(pos)?;
        let first = pos == 0 && fa.info.tb_id == table_id;
        let mut v = self.fib_alias_view(ns, fib.table, fib.prefix, fib.prefixlen, fa, first);
        v.table = table_id;
        v.kind = kind;
        Some(v)
    }

    /// `ip_route_output_key_hash_rcu` up to `make_route`: the FIB result, the output
    /// device and the RTCF_* flags so far (`saddr` filled in as the kernel does).
    fn ip_route_output_key_hash_rcu(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        fl4: &mut Flow4,
        saddr: &mut u32,
    ) -> Result<(Res, DevId, u32), i32> {
        let daddr = fl4.daddr;
        let none = |kind| Res {
            fib: None,
            kind,
            table: None,
        };
        let mut dev_out = None;
        if *saddr != 0 {
            if is_multicast(*saddr) || is_lbcast(*saddr) || is_zeronet(*saddr) {
                return Err(-errno::EINVAL);
            }
            if fl4.oif == 0 && (is_multicast(daddr) || is_lbcast(daddr)) {
                let d = self.ip_dev_find(ns, *saddr).ok_or(-rt_errno::ENETUNREACH)?;
                return Ok((none(rtn::UNICAST), d, 0));
            }
            if self.ip_dev_find(ns, *saddr).is_none() {
                return Err(-rt_errno::ENETUNREACH);
            }
        }
        if fl4.oif != 0 {
            let d = self.dev_by_index(ns, fl4.oif).ok_or(-errno::ENODEV)?;
            if self.dev(d).flags & iff::UP == 0 || !self.in_dev_present(d) {
                return Err(-rt_errno::ENETUNREACH);
            }
            // IPPROTO_IGMP is 2.
            if is_local_multicast(daddr) || is_lbcast(daddr) || req.ip_proto == 2 {
                if *saddr == 0 {
                    *saddr = self.inet_select_addr(ns, d, 0, RT_SCOPE_LINK);
                }
                return Ok((none(rtn::UNICAST), d, 0));
            }
            if *saddr == 0 {
                if is_multicast(daddr) {
                    *saddr = self.inet_select_addr(ns, d, 0, fl4.scope);
                } else if daddr == 0 {
                    *saddr = self.inet_select_addr(ns, d, 0, RT_SCOPE_HOST);
                }
            }
            dev_out = Some(d);
        }
        let lo = self.loopback_of(ns).ok_or(-errno::ENODEV)?;
        if daddr == 0 {
            fl4.daddr = *saddr;
            if fl4.daddr == 0 {
                fl4.daddr = 0x7f00_0001;
                *saddr = 0x7f00_0001;
            }
            fl4.oif = LOOPBACK_IFINDEX;
            return Ok((none(rtn::LOCAL), lo, RTCF_LOCAL));
        }
        let l3mdev = self.l3mdev_update_flow(ns, fl4, LOOPBACK_IFINDEX, None);
        let keys = RuleKeys {
            iif: LOOPBACK_IFINDEX,
            mark: req.mark,
            uid: req.uid,
            saddr: *saddr,
            proto: req.ip_proto,
            sport: req.sport,
            dport: req.dport,
            l3mdev_dev: l3mdev,
        };
        let res = match self.fib_lookup_rules(ns, &keys, fl4) {
            Ok(r) => r,
            Err(err) => {
                // An oif (not a vrf's: the lookup cleared it) reaches the link directly.
                if let Some(d) = dev_out
                    .filter(|_| fl4.oif != 0 && (is_multicast(fl4.daddr) || l3mdev.is_none()))
                {
                    if *saddr == 0 {
                        *saddr = self.inet_select_addr(ns, d, 0, RT_SCOPE_LINK);
                    }
                    return Ok((none(rtn::UNICAST), d, 0));
                }
                return Err(err);
            }
        };
        let fib = res.fib.clone().ok_or(-errno::EINVAL)?;
        if res.kind == rtn::LOCAL {
            if *saddr == 0 {
                *saddr = fib.prefsrc.map_or(daddr, u32::from);
            }
            // The vrf is the loopback of its domain: l3mdev_master_dev_rcu(FIB_RES_DEV) ?:
            // loopback.
            let d = fib.nh.dev.and_then(|d| self.l3mdev_master(d)).unwrap_or(lo);
            return Ok((res, d, RTCF_LOCAL));
        }
        // fib_select_path: the first nexthop of a multipath route (see the module note).
        let d = fib.nh.dev.ok_or(-errno::EINVAL)?;
        // fib_select_path: out of a vrf through a device outside it, a source of the vrf.
        if *saddr == 0 {
            *saddr = match l3mdev {
                Some(m) if self.l3mdev_master(d) != Some(m) => {
                    self.inet_select_addr(ns, m, 0, RT_SCOPE_LINK)
                }
                _ => self.fib_result_prefsrc(ns, &fib),
            };
        }
        Ok((res, d, 0))
    }

    /// `fib_lookup`: without custom rules main (sharing its trie with local) then default;
    /// with them `__fib_lookup` through the rules (`fib4_rule_action`, `fib4_rule_suppress`).
    pub(super) fn fib_lookup_rules(
        &self,
        ns: NetnsId,
        keys: &RuleKeys,
        fl4: &Flow4,
    ) -> Result<Res, i32> {
        let found = |r: FibResult, table: u32| Res {
            kind: r.kind,
            fib: Some(r),
            table: Some(table),
        };
        if !self.fib_has_custom_rules(ns) {
            return self.fib_lookup(ns, fl4).map(|r| found(r, table::MAIN));
        }
        let flow = RuleFlow {
            iif: keys.iif as i32,
            oif: fl4.oif as i32,
            mark: keys.mark,
            tun_id: 0,
            uid: keys.uid,
            src: Some(IpAddr::V4(Ipv4Addr::from(keys.saddr))),
            dst: IpAddr::V4(Ipv4Addr::from(fl4.daddr)),
            dsfield: fl4.dscp,
            proto: keys.proto,
            sport: keys.sport,
            dport: keys.dport,
            // flowi4_l3mdev (l3mdev_update_flow): the vrf's table.
            l3mdev_table: keys
                .l3mdev_dev
                .and_then(|d| self.l3mdev_fib_table(d))
                .unwrap_or(0),
        };
        let Some(fib) = self.fib(ns) else {
            return Err(-rt_errno::ENETUNREACH);
        };
        for v in self.fib_rules_lookup(ns, RuleFamily::Inet, &flow) {
            match v {
                RuleVerdict::Table {
                    table: tb,
                    suppress_prefixlen,
                    suppress_ifgroup,
                    ..
                } => {
                    // fib4_rule_action: a missing table is -EAGAIN (next rule).
                    let Some(t) = fib.v4.get(tb) else { continue };
                    match Self::fib_trie_lookup(&[t], fl4) {
                        Ok(r) => {
                            // fib4_rule_suppress
                            if r.prefixlen as i32 <= suppress_prefixlen {
                                continue;
                            }
                            if suppress_ifgroup != -1
                                && r.nh
                                    .dev
                                    .is_some_and(|d| self.dev(d).group as i32 == suppress_ifgroup)
                            {
                                continue;
                            }
                            return Ok(found(r, tb));
                        }
                        Err(e) if e == -rt_errno::EAGAIN => continue,
                        Err(e) => return Err(e),
                    }
                }
                RuleVerdict::Blackhole => return Err(-errno::EINVAL),
                RuleVerdict::Unreachable => return Err(-rt_errno::ENETUNREACH),
                RuleVerdict::Prohibit => return Err(-errno::EACCES),
            }
        }
        // __fib_lookup: -ESRCH (no rule matched) becomes -ENETUNREACH.
        Err(-rt_errno::ENETUNREACH)
    }

    /// `l3mdev_master_ifindex_rcu`: the vrf a device is, or is a port of.
    pub(super) fn l3mdev_master_ifindex(&self, dev: DevId) -> Option<DevId> {
        if self.netif_is_l3_master(dev) {
            return Some(dev);
        }
        self.l3mdev_master(dev)
    }

    /// `l3mdev_update_flow` (net/l3mdev/l3mdev.c), which `fib_rules_lookup` runs: the flow's
    /// vrf (the oif's, else the iif's); an oif that is the vrf itself is cleared so that
    /// the routes of its table match.
    pub(super) fn l3mdev_update_flow(
        &self,
        ns: NetnsId,
        fl4: &mut Flow4,
        iif: u32,
        l3mdev: Option<DevId>,
    ) -> Option<DevId> {
        if !self.fib_has_custom_rules(ns) {
            return l3mdev;
        }
        if fl4.oif != 0 {
            if let Some(d) = self.dev_by_index(ns, fl4.oif) {
                if self.netif_is_l3_master(d) {
                    fl4.oif = 0;
                }
                return l3mdev.or_else(|| self.l3mdev_master_ifindex(d));
            }
        }
        if iif > LOOPBACK_IFINDEX && l3mdev.is_none() {
            return self
                .dev_by_index(ns, iif)
                .and_then(|d| self.l3mdev_master_ifindex(d));
        }
        l3mdev
    }

    /// `net->ipv4.fib_has_custom_rules`: set by any rule beyond the three defaults
    /// (fib4_rule_configure).
    pub(super) fn fib_has_custom_rules(&self, ns: NetnsId) -> bool {
        self.fib_rules(ns, RuleFamily::Inet).len() != 3
    }

    /// `__mkroute_output` (+ `rt_set_nexthop`): the route's type, flags and gateway.
    fn mkroute_output(
        &self,
        res: &Res,
        daddr: u32,
        saddr: u32,
        dev_out: DevId,
        mut flags: u32,
    ) -> KResult<MkRoute> {
        if !self.in_dev_present(dev_out) {
            return Err(KernelError::new(errno::EINVAL));
        }
        let dev = self.dev(dev_out);
        let localnet = self.in_dev_conf(dev_out, Ipv4Conf::RouteLocalnet) != 0;
        if !localnet
            && is_loopback(saddr)
            && dev.flags & iff::LOOPBACK == 0
            && !self.netif_is_l3_master(dev_out)
        {
            return Err(KernelError::new(errno::EINVAL));
        }
        let mut kind = res.kind;
        if is_lbcast(daddr) {
            kind = rtn::BROADCAST;
        } else if is_multicast(daddr) {
            kind = rtn::MULTICAST;
        } else if is_zeronet(daddr) {
            return Err(KernelError::new(errno::EINVAL));
        }
        if dev.flags & iff::LOOPBACK != 0 {
            flags |= RTCF_LOCAL;
        }
        let mut fi = res.fib.is_some();
        if kind == rtn::BROADCAST {
            flags |= RTCF_BROADCAST | RTCF_LOCAL;
            fi = false;
        } else if kind == rtn::MULTICAST {
            flags |= RTCF_MULTICAST | RTCF_LOCAL;
            // ip_check_mc_rcu: of the groups, only all-hosts (224.0.0.1, joined by every
            // up IPv4 device, ip_mc_up) is known to the model.
            if daddr != 0xe000_0001 {
                flags &= !RTCF_LOCAL;
            }
            if res.fib.as_ref().is_some_and(|r| r.prefixlen < 4) {
                fi = false;
            }
        }
        // rt_set_nexthop: a gateway of link scope makes the route use it.
        let gateway = if fi {
            res.fib
                .as_ref()
                .filter(|r| r.nh.scope == scope::LINK)
                .and_then(|r| r.nh.gw)
        } else {
            None
        };
        Ok(MkRoute {
            kind,
            flags,
            gateway,
        })
    }

    /// `fib_result_prefsrc`: the route's prefsrc, else the nexthop's `nh_saddr`
    /// (`inet_select_addr(dev, gw, fib_scope)`).
    fn fib_result_prefsrc(&self, ns: NetnsId, fib: &FibResult) -> u32 {
        if let Some(p) = fib.prefsrc {
            return u32::from(p);
        }
        let Some(dev) = fib.nh.dev else { return 0 };
        let gw = fib.nh.gw.map_or(0, u32::from);
        self.inet_select_addr(ns, dev, gw, fib.scope)
    }

    /// `__ip_dev_find(net, addr, false)`: the device holding local address `addr`.
    pub(super) fn ip_dev_find(&self, ns: NetnsId, addr: u32) -> Option<DevId> {
        let a = Ipv4Addr::from(addr);
        self.devices_from(ns, 0)
            .find(|d| self.in_dev_addrs(d.id).iter().any(|ifa| ifa.local == a))
            .map(|d| d.id)
    }

    pub(super) fn loopback_of(&self, ns: NetnsId) -> Option<DevId> {
        self.devices_from(ns, 0)
            .find(|d| d.flags & iff::LOOPBACK != 0)
            .map(|d| d.id)
    }

    /// `inet_select_addr` (net/ipv4/devinet.c): a primary address of `dev` of at most
    /// `scope`, preferring one on `dst`'s subnet; else one of another device of the same
    /// L3 domain.
    pub fn inet_select_addr(&self, ns: NetnsId, dev: DevId, dst: u32, scope: u8) -> u32 {
        let localnet_scope = |d: DevId| {
            if self.in_dev_conf(d, Ipv4Conf::RouteLocalnet) != 0 {
                RT_SCOPE_LINK
            } else {
                RT_SCOPE_HOST
            }
        };
        let usable =
            |ifa: &InIfaddr, ls: u8| ifa.flags & IFA_F_SECONDARY == 0 && ifa.scope.min(ls) <= scope;
        let mut addr = 0;
        if self.in_dev_present(dev) {
            let ls = localnet_scope(dev);
            for ifa in self.in_dev_addrs(dev).iter().filter(|i| usable(i, ls)) {
                if dst == 0 || ifa.matches(Ipv4Addr::from(dst)) {
                    return u32::from(ifa.local);
                }
                if addr == 0 {
                    addr = u32::from(ifa.local);
                }
            }
        }
        if addr != 0 {
            return addr;
        }
        // in_dev_select_addr over the vrf (l3mdev_master_ifindex_rcu: the device itself when
        // it is one), then over the devices of the same L3 domain.
        let master = self.l3mdev_master_ifindex(dev);
        let pick = |d: DevId| {
            let ls = localnet_scope(d);
            self.in_dev_addrs(d)
                .iter()
                .find(|i| usable(i, ls))
                .map(|i| u32::from(i.local))
        };
        if let Some(m) = master {
            if let Some(a) = pick(m) {
                return a;
            }
        }
        self.devices_from(ns, 0)
            .filter(|d| self.l3mdev_master_ifindex(d.id) == master && self.in_dev_present(d.id))
            .find_map(|d| pick(d.id))
            .unwrap_or(0)
    }
}

/// `inet_rtm_getroute`'s table: main unless RTM_F_LOOKUP_TABLE asks for the one the lookup
/// used (0: none).
fn reported_table(req: &RouteGet4Req, res: &Res) -> u32 {
    if req.rtm_flags & RTM_F_LOOKUP_TABLE != 0 {
        res.table.unwrap_or(0)
    } else {
        table::MAIN
    }
}

/// `rt_fill_info`'s rtm_flags: the RTCF_* high bits, RTM_F_CLONED, RTM_F_NOTIFY.
fn rt_fill_flags(rt_flags: u32, req: &RouteGet4Req) -> u32 {
    let mut flags = (rt_flags & !0xffff) | RTM_F_CLONED;
    if req.rtm_flags & RTM_F_NOTIFY != 0 {
        flags |= RTM_F_NOTIFY;
    }
    flags
}

/// What `__mkroute_output` made.
struct MkRoute {
    kind: u8,
    flags: u32,
    gateway: Option<Ipv4Addr>,
}
