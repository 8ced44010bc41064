//! `ip -6 route get` (net/ipv6/route.c: `inet6_rtm_getroute`): the output lookup
//! (`ip6_route_output` -> `fib6_rule_lookup` -> `ip6_pol_route`), the input lookup
//! (`ip6_route_input_lookup`), the per-cpu route the kernel makes of the result
//! (`ip6_rt_copy_init`) and the source `rt6_fill_node` reports (`ip6_route_get_saddr`).
//!
//! Not modelled: source-specific routes (IPV6_SUBTREES nodes are not searched), the
//! neighbour check of RT6_LOOKUP_F_REACHABLE (a gateway whose neighbour entry FAILED is
//! still used), the exception cache (PMTU/redirect clones: no RTM_F_CLONED answer); rules
//! asking for a source (FIB_RULE_FIND_SADDR, `fib6_rule_saddr`) are refused. Multipath
//! routes answer with the route the lookup found (the kernel hashes the flow with a random
//! seed).

use super::addrconf_saddr::{addr_type, ipv6_addr_type_scope};
use super::fib::uapi::{errno as rt_errno, rtf, rtn, scope, table};
use super::fib::view::{NhView, RouteView, V6Extra, AF_INET6};
use super::fib_rules::{AfRule, RuleFamily, RuleFlow, RuleVerdict, FIB_RULE_FIND_SADDR};
use super::ip6_fib::{Fib6Info, Prefix6};
use crate::devconf::Ipv6Conf;
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::errno;
use std::net::{IpAddr, Ipv6Addr};

/// `LOOPBACK_IFINDEX`.
const LOOPBACK_IFINDEX: u32 = 1;
/// RT6_LOOKUP_F_* (include/net/ip6_route.h).
const F_IFACE: u32 = 0x0000_0001;
const F_REACHABLE: u32 = 0x0000_0002;
const F_HAS_SADDR: u32 = 0x0000_0004;
/// `INVALID_UID` as `from_kuid` reports it.
const INVALID_UID: u32 = u32::MAX;

/// What an RTM_GETROUTE request for AF_INET6 asks (`inet6_rtm_getroute`'s flow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteGet6Req {
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    /// RTA_IIF (0: an output lookup).
    pub iif: u32,
    pub oif: u32,
    pub mark: u32,
    /// RTA_UID (None: the caller's, root, or INVALID_UID for an input lookup).
    pub uid: Option<u32>,
    /// `rtm_tos`, the traffic class of `ip6_make_flowinfo`.
    pub tclass: u8,
    pub ip_proto: u8,
    pub sport: u16,
    pub dport: u16,
    /// RTM_F_FIB_MATCH.
    pub fibmatch: bool,
}

impl Default for RouteGet6Req {
    fn default() -> Self {
        RouteGet6Req {
            src: Ipv6Addr::UNSPECIFIED,
            dst: Ipv6Addr::UNSPECIFIED,
            iif: 0,
            oif: 0,
            mark: 0,
            uid: None,
            tclass: 0,
            ip_proto: 0,
            sport: 0,
            dport: 0,
            fibmatch: false,
        }
    }
}

/// The route `rt6_fill_node(rt, dst, &fl6.daddr, &fl6.saddr, iif)` reports: `view` holds
/// what a dump of the route holds (RTA_SRC the flow's source, RTA_PREFSRC the route's
/// prefsrc, one nexthop: RTA_GATEWAY and the dst's device), plus what only a lookup adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rt6Get {
    pub view: RouteView,
    /// RTA_IIF (input lookups, 0: none).
    pub iif: u32,
    /// The RTA_PREFSRC of `ip6_route_get_saddr` (output lookups that found a source).
    pub saddr: Option<Ipv6Addr>,
}

/// The answer: the route, or (RTM_F_FIB_MATCH) the FIB entry as a dump shows it.
#[derive(Debug, Clone)]
pub enum RouteGet6 {
    Route(Rt6Get),
    FibMatch(RouteView),
}

/// The flow of the lookup (`struct flowi6` as far as it is read).
struct Flow6<'a> {
    req: &'a RouteGet6Req,
    iif: u32,
    oif: u32,
    uid: u32,
}

/// The route a table lookup found (`fib6_result`): table, node, index in its list.
struct Found6 {
    table: u32,
    node: Prefix6,
    idx: usize,
}

/// `ip6_pol_route`'s answer for one table.
enum Pol6 {
    /// `ip6_null_entry`: nothing usable in the table.
    Null,
    /// A route; reject routes carry their error (`ip6_rt_type_to_error`).
    Route(Found6, i32),
}

/// `fib6_prop`: the error a route of each type gives a lookup.
fn ip6_rt_type_to_error(kind: u8) -> i32 {
    match kind {
        rtn::BLACKHOLE | rtn::NAT | rtn::XRESOLVE => -errno::EINVAL,
        rtn::UNREACHABLE => -rt_errno::EHOSTUNREACH,
        rtn::PROHIBIT => -errno::EACCES,
        rtn::THROW => -rt_errno::EAGAIN,
        _ => 0,
    }
}

/// `rt6_need_strict`: multicast, link-local and loopback destinations name their device.
fn rt6_need_strict(a: &Ipv6Addr) -> bool {
    let (t, _) = ipv6_addr_type_scope(a);
    t & (addr_type::MULTICAST | addr_type::LINKLOCAL | addr_type::LOOPBACK) != 0
}

impl Kernel {
    /// `inet6_rtm_getroute`.
    pub fn inet6_rtm_getroute(&self, ns: NetnsId, req: &RouteGet6Req) -> KResult<RouteGet6> {
        let fail = |e: i32| KernelError::new(-e);
        let (flow, flags) = if req.iif != 0 {
            self.dev_by_index(ns, req.iif).ok_or(fail(-errno::ENODEV))?;
            // rt6_fill_node: an input lookup of a multicast group asks the multicast
            // routing cache (ip6mr_get_route).
            if ipv6_addr_type_scope(&req.dst).0 & addr_type::MULTICAST != 0 {
                return Err(KernelError::new(errno::EOPNOTSUPP).msg(
                    "nlsim: ip -6 route get of a multicast group with iif (ip6mr_get_route) not modelled",
                ));
            }
            let mut flags = 0;
            if !req.src.is_unspecified() {
                flags |= F_HAS_SADDR;
            }
            // ip6_route_input_lookup (no PIM register device in the model).
            if rt6_need_strict(&req.dst) {
                flags |= F_IFACE;
            }
            let uid = req.uid.unwrap_or(INVALID_UID);
            let flow = Flow6 {
                req,
                iif: req.iif,
                oif: 0,
                uid,
            };
            (flow, flags)
        } else {
            self.ip6_route_output_check_l3mdev(ns, req)?;
            // ip6_route_output_flags_noref
            let any_src = req.src.is_unspecified();
            let mut flags = 0;
            if rt6_need_strict(&req.dst) || (req.oif != 0 && any_src) {
                flags |= F_IFACE;
            }
            if !any_src {
                flags |= F_HAS_SADDR;
            }
            let flow = Flow6 {
                req,
                iif: LOOPBACK_IFINDEX,
                oif: req.oif,
                uid: req.uid.unwrap_or(0),
            };
            (flow, flags)
        };
        if flags & F_HAS_SADDR == 0 && self.fib6_rules_find_saddr(ns) {
            return Err(KernelError::not_modelled(
                "ip -6 route get without a source through a rule asking for one (FIB_RULE_FIND_SADDR, fib6_rule_saddr)",
            ));
        }
        let found = self.fib6_rule_lookup(ns, &flow, flags).map_err(fail)?;
        let tb = self.fib(ns).and_then(|f| f.v6.get(found.table));
        let list = tb.map(|t| t.tree.routes(found.node)).unwrap_or(&[]);
        let Some(rt) = list.get(found.idx) else {
            return Err(fail(-rt_errno::ENETUNREACH));
        };
        if req.fibmatch {
            return Ok(RouteGet6::FibMatch(self.rt6_view(
                ns,
                found.table,
                found.node,
                list,
                found.idx,
            )));
        }
        let dev = self.ip6_rt_get_dev(ns, rt, &found.node);
        let saddr = if req.iif == 0 {
            self.ip6_route_get_saddr(ns, rt, &req.dst)
        } else {
            None
        };
        let expires = self.rt6_view(ns, found.table, found.node, list, found.idx);
        Ok(RouteGet6::Route(Rt6Get {
            view: RouteView {
                family: AF_INET6,
                dst_len: 128,
                src_len: 128,
                src: Some(IpAddr::V6(req.src)),
                tos: 0,
                table: found.table,
                protocol: rt.protocol,
                scope: scope::UNIVERSE,
                kind: rt.kind,
                flags: 0,
                dst: IpAddr::V6(req.dst),
                priority: rt.metric,
                metrics: rt.metrics.nonzero(),
                prefsrc: rt.prefsrc.map(IpAddr::V6),
                nhs: vec![NhView {
                    ifindex: dev.map_or(0, |d| self.dev(d).ifindex),
                    // ip6_rt_copy_init: rt6i_gateway and RTF_GATEWAY from the nexthop.
                    gateway: rt.nh.gw.map(IpAddr::V6),
                    flags: 0,
                    hops: 0,
                    flow: 0,
                }],
                multipath: false,
                v6: Some(V6Extra {
                    expires: expires.v6.map_or(0, |x| x.expires),
                    pref: rtf::extract_pref(rt.flags),
                }),
                nh_id: 0,
            },
            iif: req.iif,
            saddr,
        }))
    }

    /// `l3mdev_link_scope_lookup`: a link-local or multicast destination out of a vrf or one
    /// of its ports is the vrf driver's lookup, which the model does not have.
    fn ip6_route_output_check_l3mdev(&self, ns: NetnsId, req: &RouteGet6Req) -> KResult<()> {
        let (t, _) = ipv6_addr_type_scope(&req.dst);
        if t & (addr_type::MULTICAST | addr_type::LINKLOCAL) == 0 || req.oif == 0 {
            return Ok(());
        }
        match self.dev_by_index(ns, req.oif) {
            Some(d) if self.l3mdev_fib_table(d).is_some() => Err(KernelError::new(
                errno::EOPNOTSUPP,
            )
            .msg("nlsim: ip -6 route get of a link-scope destination through a vrf (l3mdev_link_scope_lookup) not modelled")),
            _ => Ok(()),
        }
    }

    /// `fib6_rule_lookup`: without custom rules local then main; with them the rules in
    /// order (`__fib6_rule_action`, `fib6_rule_suppress`). Err: the negative errno.
    fn fib6_rule_lookup(&self, ns: NetnsId, fl: &Flow6<'_>, flags: u32) -> Result<Found6, i32> {
        if !self.fib6_has_custom_rules(ns) {
            for tb in [table::LOCAL, table::MAIN] {
                match self.ip6_pol_route(ns, tb, fl, flags) {
                    Pol6::Null => {}
                    Pol6::Route(_, e) if e == -rt_errno::EAGAIN => {}
                    Pol6::Route(_, e) if e != 0 => return Err(e),
                    Pol6::Route(f, _) => return Ok(f),
                }
            }
            return Err(-rt_errno::ENETUNREACH);
        }
        let req = fl.req;
        let rule_flow = RuleFlow {
            iif: fl.iif as i32,
            oif: fl.oif as i32,
            mark: req.mark,
            tun_id: 0,
            uid: fl.uid,
            src: (flags & F_HAS_SADDR != 0).then_some(IpAddr::V6(req.src)),
            dst: IpAddr::V6(req.dst),
            dsfield: req.tclass,
            proto: req.ip_proto,
            sport: req.sport,
            dport: req.dport,
            // l3mdev_update_flow: the oif's (else the iif's) vrf table.
            l3mdev_table: [fl.oif, fl.iif]
                .into_iter()
                .filter(|&i| i != 0)
                .find_map(|i| {
                    self.dev_by_index(ns, i)
                        .and_then(|d| self.l3mdev_fib_table(d))
                })
                .unwrap_or(0),
        };
        for v in self.fib_rules_lookup(ns, RuleFamily::Inet6, &rule_flow) {
            match v {
                RuleVerdict::Table {
                    table: tb,
                    suppress_prefixlen,
                    suppress_ifgroup,
                    ..
                } => {
                    let (found, err) = match self.ip6_pol_route(ns, tb, fl, flags) {
                        Pol6::Null => continue,
                        Pol6::Route(_, e) if e == -rt_errno::EAGAIN => continue,
                        Pol6::Route(f, e) => (f, e),
                    };
                    // fib_rules_lookup asks fib6_rule_suppress only of a lookup without error.
                    if err != 0 {
                        return Err(err);
                    }
                    // fib6_rule_suppress: the route's prefix length, its device's group.
                    if i32::from(found.node.plen) <= suppress_prefixlen {
                        continue;
                    }
                    let dev = self.found_route(ns, &found).map(|r| r.nh.dev);
                    if suppress_ifgroup != -1
                        && dev.is_some_and(|d| self.dev(d).group as i32 == suppress_ifgroup)
                    {
                        continue;
                    }
                    return Ok(found);
                }
                RuleVerdict::Unreachable => return Err(-rt_errno::ENETUNREACH),
                RuleVerdict::Prohibit => return Err(-errno::EACCES),
                RuleVerdict::Blackhole => return Err(-errno::EINVAL),
            }
        }
        Err(-rt_errno::ENETUNREACH)
    }

    /// A rule with a source selector that asks the lookup to pick a source
    /// (FIB_RULE_FIND_SADDR): `fib6_rule_saddr` would check the picked source against it.
    fn fib6_rules_find_saddr(&self, ns: NetnsId) -> bool {
        self.fib_rules(ns, RuleFamily::Inet6).iter().any(|r| {
            r.rule.flags & FIB_RULE_FIND_SADDR != 0
                && matches!(&r.rule.af, AfRule::Inet6(r6) if r6.src_len != 0)
        })
    }

    /// `net->ipv6.fib6_has_custom_rules`: any rule beyond the two defaults.
    fn fib6_has_custom_rules(&self, ns: NetnsId) -> bool {
        self.fib_rules(ns, RuleFamily::Inet6).len() != 2
    }

    fn found_route(&self, ns: NetnsId, f: &Found6) -> Option<&Fib6Info> {
        self.fib(ns)?
            .v6
            .get(f.table)?
            .tree
            .routes(f.node)
            .get(f.idx)
    }

    /// `ip6_pol_route` in table `tb` (oif: the flow's oif, or its iif for an input lookup).
    fn ip6_pol_route(&self, ns: NetnsId, tb: u32, fl: &Flow6<'_>, flags: u32) -> Pol6 {
        let mut strict = flags & F_IFACE;
        if self.ipv6_devconf_all(ns, Ipv6Conf::Forwarding) == 0 {
            strict |= F_REACHABLE;
        }
        let oif = if fl.iif == LOOPBACK_IFINDEX {
            fl.oif
        } else {
            fl.iif
        };
        match self.fib6_table_lookup6(ns, tb, &fl.req.dst, oif, strict) {
            None => Pol6::Null,
            Some(f) => {
                let kind = self.found_route(ns, &f).map_or(rtn::UNICAST, |r| {
                    if r.flags & rtf::REJECT != 0 {
                        r.kind
                    } else {
                        rtn::UNICAST
                    }
                });
                Pol6::Route(f, ip6_rt_type_to_error(kind))
            }
        }
    }

    /// `fib6_table_lookup`: the longest prefix with a usable route (`rt6_select`), else
    /// the next shorter (`fib6_backtrack`).
    fn fib6_table_lookup6(
        &self,
        ns: NetnsId,
        tb: u32,
        daddr: &Ipv6Addr,
        oif: u32,
        strict: u32,
    ) -> Option<Found6> {
        let t = self.fib(ns)?.v6.get(tb)?;
        for (dst, plen, list) in t.tree.covering(*daddr) {
            if let Some(idx) = self.find_rr_leaf(list, oif, strict) {
                return Some(Found6 {
                    table: tb,
                    node: Prefix6::dst_only(dst, plen),
                    idx,
                });
            }
        }
        None
    }

    /// `find_rr_leaf`: among the routes of the first metric, else the rest, the first with
    /// the best `rt6_score_route` (rr_ptr stays on the leaf: CONFIG_IPV6_ROUTER_PREF never
    /// asks for round robin).
    fn find_rr_leaf(&self, list: &[Fib6Info], oif: u32, strict: u32) -> Option<usize> {
        let metric = list.first()?.metric;
        let cont = list.iter().position(|r| r.metric != metric);
        let scan = |from: usize, to: usize| {
            let mut best: Option<(usize, i32)> = None;
            for (i, rt) in list.iter().enumerate().take(to).skip(from) {
                if let Some(m) = self.rt6_find_match(rt, oif, strict) {
                    if best.is_none_or(|(_, b)| m > b) {
                        best = Some((i, m));
                    }
                }
            }
            best
        };
        let mut best = scan(0, cont.unwrap_or(list.len()));
        if best.is_none() {
            if let Some(c) = cont {
                best = scan(c, list.len());
            }
        }
        best.map(|(i, _)| i)
    }

    /// `find_match` + `rt6_score_route`: the route's score, None when it may not be used.
    fn rt6_find_match(&self, rt: &Fib6Info, oif: u32, strict: u32) -> Option<i32> {
        use super::fib::uapi::rtnh_f;
        // fib6_check_expired
        if rt.flags & rtf::EXPIRES != 0 && rt.expires.is_some_and(|at| self.now() > at) {
            return None;
        }
        if rt.nh.flags & rtnh_f::DEAD != 0 {
            return None;
        }
        let dev = self.try_dev(rt.nh.dev)?;
        // ip6_ignore_linkdown
        let ignore_linkdown = dev.inet.in6
            && (self.ipv6_devconf_all(dev.netns, Ipv6Conf::IgnoreRoutesWithLinkdown) != 0
                || self.in6_dev_conf(rt.nh.dev, Ipv6Conf::IgnoreRoutesWithLinkdown) != 0);
        if ignore_linkdown && rt.nh.flags & rtnh_f::LINKDOWN != 0 {
            return None;
        }
        let mut m = if oif == 0 || dev.ifindex == oif { 2 } else { 0 };
        if m == 0 && strict & F_IFACE != 0 {
            return None;
        }
        // IPV6_DECODE_PREF: low 1, medium 2, high 3.
        m |= i32::from(rtf::extract_pref(rt.flags) ^ 2) << 2;
        Some(m)
    }

    /// `ip6_rt_get_dev_rcu`: a copy of a local or anycast route uses the loopback device
    /// (or the vrf the address's device belongs to), every other the nexthop's device.
    fn ip6_rt_get_dev(&self, ns: NetnsId, rt: &Fib6Info, node: &Prefix6) -> Option<DevId> {
        let dev = rt.nh.dev;
        if rt.flags & (rtf::LOCAL | rtf::ANYCAST) == 0 {
            return Some(dev);
        }
        if let Some(m) = self.l3mdev_master(dev) {
            if !rt6_need_strict(&node.dst) {
                return Some(m);
            }
        }
        if self.netif_is_l3_master(dev) {
            return Some(dev);
        }
        self.devices_from(ns, 0)
            .find(|d| d.flags & crate::uapi::iff::LOOPBACK != 0)
            .map(|d| d.id)
    }

    /// `ip6_route_get_saddr(net, f6i, daddr, 0, 0)`: the route's prefsrc, else the source
    /// `ipv6_dev_get_saddr` picks for its nexthop's device.
    fn ip6_route_get_saddr(
        &self,
        ns: NetnsId,
        rt: &Fib6Info,
        daddr: &Ipv6Addr,
    ) -> Option<Ipv6Addr> {
        if let Some(p) = rt.prefsrc {
            return Some(p);
        }
        let dev = self.try_dev(rt.nh.dev).map(|d| d.id);
        self.ipv6_dev_get_saddr(ns, dev, daddr)
    }
}
