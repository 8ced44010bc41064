//! net/ipv6/route.c and the insertion rules of ip6_fib.c: RTM_NEWROUTE / RTM_DELROUTE for
//! AF_INET6 (`ip6_route_info_create`, `fib6_nh_init`, `ip6_validate_gw`, `fib6_add_rt2node`,
//! `ip6_route_del`), the routes addrconf.c asks for (`addrconf_prefix_route`,
//! `addrconf_f6i_alloc` + `ip6_ins_rt`, `addrconf_add_mroute`), what device events do
//! (`rt6_disable_ip`, `rt6_sync_down_dev`, `rt6_sync_up`) and the dump (`inet6_dump_fib`).

use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::inet::fib::frontend::{nlm_f, FibDumpFilter};
use crate::inet::fib::semantics::{ip_fib_metrics_init, MetricCfg, NlInfo, ShortAttr};
use crate::inet::fib::uapi::{rtf, rtn, rtnh_f, rtprot, scope, table};
use crate::inet::fib::view::{NhView, RouteView, V6Extra, AF_INET6};
use crate::inet::ip6_fib::{Fib6Info, Fib6Nh, Prefix6};
use crate::kernel::{Kernel, LinkMsg, NetdevEvent};
use crate::time::{HZ, NSEC_PER_JIFFY};
use crate::uapi::{errno, iff};
use std::net::{IpAddr, Ipv6Addr};

/// IP6_RT_PRIO_USER: the metric of a user route without RTA_PRIORITY.
pub const IP6_RT_PRIO_USER: u32 = 1024;
/// IP6_RT_PRIO_ADDRCONF.
pub const IP6_RT_PRIO_ADDRCONF: u32 = 256;

/// ARPHRD_SIT.
const ARPHRD_SIT: u16 = 776;

/// USER_HZ: RTA_CACHEINFO's clock ticks per second.
const USER_HZ: u64 = 100;

/// One `struct rtnexthop` of an IPv6 RTA_MULTIPATH.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rtnh6Cfg {
    pub flags: u8,
    pub hops: u8,
    pub ifindex: u32,
    pub gateway: Option<Result<Ipv6Addr, ShortAttr>>,
    /// RTA_ENCAP present (not modelled).
    pub encap: bool,
}

/// `struct fib6_config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fib6Config {
    pub table: u32,
    pub dst_len: u8,
    pub src_len: u8,
    /// `fc_flags` (RTF_*, RTNH_F_ONLINK).
    pub flags: u32,
    pub protocol: u8,
    pub kind: u8,
    /// The request's nlmsg_flags, `None` for the kernel's own routes (no nlh).
    pub nlflags: Option<u16>,
    pub dst: Ipv6Addr,
    /// `fc_src` (RTA_SRC, with `src_len`): a source-specific route.
    pub src: Ipv6Addr,
    pub gateway: Ipv6Addr,
    pub prefsrc: Ipv6Addr,
    pub ifindex: u32,
    pub metric: u32,
    pub mx: Option<Vec<MetricCfg>>,
    pub mp: Option<Vec<Rtnh6Cfg>>,
    /// `fc_expires` in clock ticks (RTF_EXPIRES).
    pub expires: u64,
    pub nh_id: u32,
    /// RTA_ENCAP present (not modelled).
    pub encap: bool,
    pub ignore_dev_down: bool,
    /// `fc_delete_all_nh`.
    pub delete_all_nh: bool,
}

impl Default for Fib6Config {
    fn default() -> Self {
        Fib6Config {
            table: 0,
            dst_len: 0,
            src_len: 0,
            flags: 0,
            protocol: 0,
            kind: 0,
            nlflags: None,
            dst: Ipv6Addr::UNSPECIFIED,
            src: Ipv6Addr::UNSPECIFIED,
            gateway: Ipv6Addr::UNSPECIFIED,
            prefsrc: Ipv6Addr::UNSPECIFIED,
            ifindex: 0,
            metric: 0,
            mx: None,
            mp: None,
            expires: 0,
            nh_id: 0,
            encap: false,
            ignore_dev_down: false,
            delete_all_nh: false,
        }
    }
}

impl Fib6Config {
    fn nlinfo(&self) -> NlInfo {
        NlInfo {
            from_request: self.nlflags.is_some(),
        }
    }

    /// The node the route goes to (`fib6_add`'s dst node, or its source subtree).
    fn node(&self) -> Prefix6 {
        Prefix6::with_src(self.dst, self.dst_len, self.src, self.src_len)
    }

    fn has(&self, f: u16) -> bool {
        self.nlflags.is_some_and(|n| n & f != 0)
    }
}

/// `ipv6_addr_type` bits the route code tests.
mod addr_type {
    pub const UNICAST: u32 = 0x0001;
    pub const MULTICAST: u32 = 0x0002;
    pub const LOOPBACK: u32 = 0x0010;
    pub const LINKLOCAL: u32 = 0x0020;
    pub const MAPPED: u32 = 0x1000;
}

/// `__ipv6_addr_type`, reduced to the bits used here.
fn ipv6_addr_type(a: Ipv6Addr) -> u32 {
    let s = a.segments();
    if s[0] & 0xff00 == 0xff00 {
        return addr_type::MULTICAST;
    }
    if s[0] & 0xffc0 == 0xfe80 {
        return addr_type::LINKLOCAL | addr_type::UNICAST;
    }
    if a.is_unspecified() {
        return 0;
    }
    if a == Ipv6Addr::LOCALHOST {
        return addr_type::LOOPBACK | addr_type::UNICAST;
    }
    if s[..5] == [0; 5] && s[5] == 0xffff {
        return addr_type::MAPPED;
    }
    addr_type::UNICAST
}

/// The result of an IPv6 table lookup (`struct fib6_result`).
struct Fib6Res {
    dst: Ipv6Addr,
    kind: u8,
    flags: u32,
    dev: DevId,
    has_gw: bool,
}

impl Kernel {
    fn loopback_dev(&self, ns: NetnsId) -> Option<DevId> {
        self.devices_from(ns, 0)
            .find(|d| d.flags & iff::LOOPBACK != 0)
            .map(|d| d.id)
    }

    /// `fib6_table_lookup`: the longest prefix of table `tb` with a route a lookup for
    /// `addr` may use (`oif` strict when `strict_iface`), backtracking to shorter ones.
    fn fib6_table_lookup(
        &self,
        ns: NetnsId,
        tb: u32,
        addr: Ipv6Addr,
        oif: u32,
        strict_iface: bool,
        ignore_linkstate: bool,
    ) -> Option<Fib6Res> {
        let t = self.fib(ns)?.v6.get(tb)?;
        for (dst, _plen, list) in t.tree.covering(addr) {
            for rt in list {
                if rt.nh.flags & rtnh_f::DEAD != 0 {
                    continue;
                }
                if !ignore_linkstate && rt.nh.flags & rtnh_f::LINKDOWN != 0 {
                    continue;
                }
                let ifindex = self.try_dev(rt.nh.dev).map_or(0, |d| d.ifindex);
                if strict_iface && oif != 0 && ifindex != oif {
                    continue;
                }
                return Some(Fib6Res {
                    dst,
                    kind: rt.kind,
                    flags: rt.flags,
                    dev: rt.nh.dev,
                    has_gw: rt.nh.gw.is_some(),
                });
            }
        }
        None
    }

    /// `fib6_lookup` without custom rules: local, then main.
    fn fib6_lookup(&self, ns: NetnsId, addr: Ipv6Addr, oif: u32) -> Option<Fib6Res> {
        self.fib6_table_lookup(ns, table::LOCAL, addr, oif, true, false)
            .or_else(|| self.fib6_table_lookup(ns, table::MAIN, addr, oif, true, false))
    }

    /// `ip6_route_check_nh`: the gateway is reached directly through some device.
    fn ip6_route_check_nh(
        &self,
        ns: NetnsId,
        cfg: &Fib6Config,
        dev: &mut Option<DevId>,
    ) -> KResult<()> {
        let gw = cfg.gateway;
        let unreach = || KernelError::new(crate::inet::fib::uapi::errno::EHOSTUNREACH);
        let mut res = None;
        if cfg.table != 0 {
            let r = self.fib6_table_lookup(ns, cfg.table, gw, cfg.ifindex, true, true);
            if let Some(r) = r {
                if r.flags & rtf::REJECT == 0 && !r.has_gw && dev.is_none_or(|d| d == r.dev) {
                    res = Some(r);
                }
            }
        }
        let res = match res {
            Some(r) => r,
            None => match self.fib6_lookup(ns, gw, cfg.ifindex) {
                Some(r) if r.flags & rtf::REJECT == 0 && !r.has_gw => r,
                _ => return Err(unreach()),
            },
        };
        match dev {
            Some(d) if *d != res.dev => Err(unreach()),
            Some(_) => Ok(()),
            None => {
                *dev = Some(res.dev);
                Ok(())
            }
        }
    }

    /// `ip6_route_check_nh_onlink`.
    fn ip6_route_check_nh_onlink(&self, ns: NetnsId, cfg: &Fib6Config, dev: DevId) -> KResult<()> {
        let tb = self.l3mdev_fib_table(dev).unwrap_or(table::MAIN);
        if let Some(r) = self.fib6_table_lookup(ns, tb, cfg.gateway, cfg.ifindex, false, true) {
            if r.flags & rtf::REJECT == 0
                && !r.dst.is_unspecified()
                && (r.kind != rtn::UNICAST || dev != r.dev)
            {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Nexthop has invalid gateway or device mismatch"));
            }
        }
        Ok(())
    }

    /// `ip6_validate_gw`.
    pub(crate) fn ip6_validate_gw(
        &self,
        ns: NetnsId,
        cfg: &Fib6Config,
        dev: &mut Option<DevId>,
    ) -> KResult<()> {
        let gw = cfg.gateway;
        let gwa_type = ipv6_addr_type(gw);
        let skip_dev = gwa_type & addr_type::LINKLOCAL == 0;
        let need_addr_check = dev.is_none();
        let local_gw = || KernelError::new(errno::EINVAL).msg("Gateway can not be a local address");
        if let Some(d) = *dev {
            if self.ipv6_chk_addr(ns, gw, Some(d), skip_dev, 0) {
                return Err(local_gw());
            }
        }
        if gwa_type != (addr_type::LINKLOCAL | addr_type::UNICAST) {
            if gwa_type & (addr_type::UNICAST | addr_type::MAPPED) == 0 {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid gateway address"));
            }
            match *dev {
                Some(d) if cfg.flags & rtnh_f::ONLINK != 0 => {
                    self.ip6_route_check_nh_onlink(ns, cfg, d)?
                }
                _ => self.ip6_route_check_nh(ns, cfg, dev)?,
            }
        }
        let Some(d) = *dev else {
            return Err(KernelError::new(errno::EINVAL).msg("Egress device not specified"));
        };
        if self.dev(d).flags & iff::LOOPBACK != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Egress device can not be loopback device for this route"));
        }
        if need_addr_check && self.ipv6_chk_addr(ns, gw, Some(d), skip_dev, 0) {
            return Err(local_gw());
        }
        Ok(())
    }

    /// `fib6_nh_init`.
    pub(crate) fn fib6_nh_init(&self, ns: NetnsId, cfg: &Fib6Config) -> KResult<Fib6Nh> {
        let mut dev = None;
        if cfg.ifindex != 0 {
            dev = Some(
                self.dev_by_index(ns, cfg.ifindex)
                    .ok_or_else(|| KernelError::new(errno::ENODEV))?,
            );
        }
        let mut flags = 0;
        if cfg.flags & rtnh_f::ONLINK != 0 {
            let Some(d) = dev else {
                return Err(
                    KernelError::new(errno::ENODEV).msg("Nexthop device required for onlink")
                );
            };
            if self.dev(d).flags & iff::UP == 0 {
                return Err(KernelError::new(errno::ENETDOWN).msg("Nexthop device is not up"));
            }
            flags |= rtnh_f::ONLINK;
        }
        if cfg.flags & rtf::REJECT != 0 {
            let lo = self
                .loopback_dev(ns)
                .ok_or_else(|| KernelError::new(errno::ENODEV))?;
            return Ok(Fib6Nh {
                dev: lo,
                gw: None,
                flags,
                weight: 1,
            });
        }
        let mut gw = None;
        if cfg.flags & rtf::GATEWAY != 0 {
            self.ip6_validate_gw(ns, cfg, &mut dev)?;
            gw = Some(cfg.gateway);
        }
        let Some(d) = dev else {
            return Err(KernelError::new(errno::ENODEV));
        };
        if self.ipv6_disabled(d) {
            return Err(KernelError::new(errno::EACCES).msg("IPv6 is disabled on nexthop device"));
        }
        let dv = self.dev(d);
        if dv.flags & iff::UP == 0 && !cfg.ignore_dev_down {
            return Err(KernelError::new(errno::ENETDOWN).msg("Nexthop device is not up"));
        }
        if cfg.flags & (rtf::LOCAL | rtf::ANYCAST) == 0 && !dv.carrier {
            flags |= rtnh_f::LINKDOWN;
        }
        if cfg.encap {
            return Err(KernelError::not_modelled("RTA_ENCAP (lightweight tunnels)"));
        }
        Ok(Fib6Nh {
            dev: d,
            gw,
            flags,
            weight: 1,
        })
    }

    /// `ip6_route_info_create`: the checks of a new IPv6 route and its table (created here,
    /// even when a later check fails).
    fn ip6_route_info_create(&mut self, ns: NetnsId, cfg: &Fib6Config) -> KResult<(u32, Fib6Info)> {
        if cfg.flags & rtf::PCPU != 0 {
            return Err(KernelError::new(errno::EINVAL).msg("Userspace can not set RTF_PCPU"));
        }
        if cfg.flags & rtf::CACHE != 0 {
            return Err(KernelError::new(errno::EINVAL).msg("Userspace can not set RTF_CACHE"));
        }
        if cfg.kind > rtn::MAX {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid route type"));
        }
        if cfg.dst_len > 128 {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid prefix length"));
        }
        if cfg.src_len > 128 {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid source address length"));
        }
        if cfg.nh_id != 0 {
            // ip6_route_info_create: nexthop_find_by_id, fib6_check_nexthop.
            self.fib6_check_nexthop(ns, cfg.nh_id, cfg.src_len != 0)?;
        }
        let Some(fib) = self.fib_mut(ns) else {
            return Err(KernelError::new(errno::ENOBUFS));
        };
        let tb = fib.v6.new_table(cfg.table).id;
        let metrics = ip_fib_metrics_init(cfg.mx.as_deref())?;
        // fib6_set_expires(rt, jiffies + clock_t_to_jiffies(cfg->fc_expires)): whole jiffies.
        let expires = (cfg.flags & rtf::EXPIRES != 0).then(|| {
            let now_j = self.jiffies();
            (now_j + cfg.expires * HZ / USER_HZ) * NSEC_PER_JIFFY
        });
        let protocol = if cfg.protocol == rtprot::UNSPEC {
            rtprot::BOOT
        } else {
            cfg.protocol
        };
        let mut flags = cfg.flags & !rtf::GATEWAY;
        let nh = if cfg.nh_id != 0 {
            // The route's fib6_nh is the nexthop object's (nexthop_fib6_nh).
            self.fib6_nh_of_nexthop(ns, cfg.nh_id)?
        } else {
            self.fib6_nh_init(ns, cfg)?
        };
        // fib6_is_reject: a true route via loopback would loop; it becomes a reject route.
        let lo_dev = self.dev(nh.dev).flags & iff::LOOPBACK != 0;
        if cfg.nh_id != 0 {
            // Not for a nexthop object's route.
        } else if flags & rtf::REJECT != 0
            || (lo_dev
                && ipv6_addr_type(cfg.dst) & addr_type::LOOPBACK == 0
                && flags & (rtf::ANYCAST | rtf::LOCAL) == 0)
        {
            flags = rtf::REJECT | rtf::NONEXTHOP;
        }
        let prefsrc = if cfg.prefsrc.is_unspecified() {
            None
        } else {
            if !self.ipv6_chk_addr(ns, cfg.prefsrc, Some(nh.dev), false, IFA_F_TENTATIVE) {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid source address"));
            }
            Some(cfg.prefsrc)
        };
        Ok((
            tb,
            Fib6Info {
                metric: cfg.metric,
                protocol,
                kind: if cfg.kind == 0 {
                    rtn::UNICAST
                } else {
                    cfg.kind
                },
                flags,
                prefsrc,
                metrics,
                nh,
                expires,
                nh_id: cfg.nh_id,
            },
        ))
    }

    /// The first path of nexthop object `id` as the route's `fib6_nh` (`nexthop_fib6_nh`):
    /// what lookups through the route use.
    pub fn fib6_nh_of_nexthop(&self, ns: NetnsId, id: u32) -> KResult<Fib6Nh> {
        let p = self
            .nexthop_paths(ns, id)
            .into_iter()
            .next()
            .ok_or_else(|| KernelError::new(errno::EINVAL).msg("Nexthop id does not exist"))?;
        let dev = p.dev.ok_or_else(|| {
            KernelError::not_modelled("IPv6 routes using a nexthop without device")
        })?;
        Ok(Fib6Nh {
            dev,
            gw: match p.gw {
                Some(IpAddr::V6(g)) => Some(g),
                _ => None,
            },
            flags: p.flags & (rtnh_f::DEAD | rtnh_f::LINKDOWN | rtnh_f::ONLINK),
            weight: 1,
        })
    }

    /// `rt6_fill_node` for route `idx` of `dst/plen` in table `tb`: a multipath route names
    /// its siblings (the ECMP routes of the same metric) in RTA_MULTIPATH.
    pub fn rt6_view(
        &self,
        ns: NetnsId,
        tb: u32,
        n: Prefix6,
        list: &[Fib6Info],
        idx: usize,
    ) -> RouteView {
        self.rt6_fill(ns, tb, n, list, idx, self.fib_offload_trap(ns))
    }

    /// `rt6_fill_node` with the namespace's offload state already known (a dump asks once).
    fn rt6_fill(
        &self,
        ns: NetnsId,
        tb: u32,
        n: Prefix6,
        list: &[Fib6Info],
        idx: usize,
        ns_trap: bool,
    ) -> RouteView {
        let rt = &list[idx];
        let nh_view = |r: &Fib6Info| {
            let mut flags = r.nh.flags & (rtnh_f::DEAD | rtnh_f::LINKDOWN);
            flags |= r.nh.flags & (rtnh_f::ONLINK | rtnh_f::OFFLOAD | rtnh_f::TRAP);
            NhView {
                ifindex: self.try_dev(r.nh.dev).map_or(0, |d| d.ifindex),
                gateway: r.nh.gw.map(IpAddr::V6),
                flags: flags as u8,
                hops: r.nh.weight.saturating_sub(1) as u8,
                flow: 0,
            }
        };
        let siblings = rt6_siblings(list, idx);
        let mut flags = 0;
        let nh_paths = if rt.nh_id != 0 {
            self.nexthop_paths(ns, rt.nh_id)
        } else {
            Vec::new()
        };
        let nhs: Vec<NhView> = if rt.nh_id != 0 {
            // rt6_fill_node_nexthop: the object's paths (nexthop_compat_mode).
            let v: Vec<NhView> = nh_paths
                .iter()
                .map(|p| NhView {
                    ifindex: p.dev.and_then(|d| self.try_dev(d)).map_or(0, |d| d.ifindex),
                    gateway: p.gw,
                    flags: (p.flags & (rtnh_f::DEAD | rtnh_f::LINKDOWN | rtnh_f::ONLINK)) as u8,
                    hops: p.weight.saturating_sub(1) as u8,
                    flow: 0,
                })
                .collect();
            if v.len() == 1 {
                flags |= u32::from(v[0].flags);
            }
            v
        } else if siblings.len() > 1 {
            siblings.iter().map(|&i| nh_view(&list[i])).collect()
        } else {
            let v = nh_view(rt);
            flags |= v.flags as u32;
            vec![v]
        };
        // nsim_fib6: only the route the FIB notifier announced (the first of its node, with
        // its siblings) is offloaded.
        // Source-specific routes are never offloaded.
        if n.src_len == 0 && (idx == 0 || rt6_siblings(list, 0).contains(&idx)) && ns_trap {
            flags |= rtnh_f::RTM_TRAP;
        }
        // rt6_fill_node: jiffies_to_clock_t(rt->expires - jiffies), clamped to INT_MAX.
        let expires = rt.expires.map_or(0, |at| {
            let left = (at / NSEC_PER_JIFFY) as i128 - self.jiffies() as i128;
            let ticks =
                (left.unsigned_abs() * USER_HZ as u128 / HZ as u128).min(i32::MAX as u128) as i32;
            if left > 0 {
                ticks
            } else {
                -ticks
            }
        });
        RouteView {
            family: AF_INET6,
            dst_len: n.plen,
            src_len: n.src_len,
            src: (n.src_len != 0).then_some(IpAddr::V6(n.src)),
            tos: 0,
            table: tb,
            protocol: rt.protocol,
            scope: scope::UNIVERSE,
            // rt6_fill_node: a blackhole nexthop makes the route a blackhole.
            kind: if nh_paths.first().is_some_and(|p| p.reject) {
                rtn::BLACKHOLE
            } else {
                rt.kind
            },
            flags,
            dst: IpAddr::V6(n.dst),
            priority: rt.metric,
            metrics: rt.metrics.nonzero(),
            prefsrc: rt.prefsrc.map(IpAddr::V6),
            multipath: siblings.len() > 1 || nh_paths.len() > 1,
            nhs,
            v6: Some(V6Extra {
                expires,
                pref: rtf::extract_pref(rt.flags),
            }),
            nh_id: rt.nh_id,
        }
    }

    /// `inet6_rt_notify`: the same event as IPv4's `rtmsg_fib` (the view's family picks
    /// RTNLGRP_IPV6_ROUTE on the wire side).
    fn inet6_rt_notify(
        &mut self,
        ns: NetnsId,
        msg: LinkMsg,
        view: RouteView,
        info: NlInfo,
        nlflags: u16,
    ) {
        self.rtmsg_fib(ns, msg, view, info, nlflags);
    }

    /// `fib6_add` + `fib6_add_rt2node`: inserts `rt` into table `tb`; `notify` false for the
    /// nexthops of a multipath request (one notification follows for all). Returns the
    /// position the route took in its node.
    fn fib6_add(
        &mut self,
        ns: NetnsId,
        tb: u32,
        cfg: &Fib6Config,
        rt: Fib6Info,
        notify: bool,
    ) -> KResult<usize> {
        let n = cfg.node();
        let replace = cfg.has(nlm_f::REPLACE);
        let add = cfg.nlflags.is_none() || cfg.has(nlm_f::CREATE);
        let Some(t) = self.fib_mut(ns).and_then(|f| f.v6.get_mut(tb)) else {
            return Err(KernelError::new(errno::ENOBUFS));
        };
        let list = t.tree.routes(n);
        if list.is_empty() && !add && replace {
            return Err(
                KernelError::new(errno::ENOENT).msg("Can not replace route - no match found")
            );
        }
        let mut nlflags = nlm_f::EXCL;
        if cfg.has(nlm_f::APPEND) {
            nlflags |= nlm_f::APPEND;
        }
        let can_ecmp = rt.qualifies_for_ecmp();
        let mut ins = 0;
        let mut found = None;
        let mut fallback = None;
        for (i, iter) in list.iter().enumerate() {
            if iter.metric == rt.metric {
                if cfg.has(nlm_f::EXCL) {
                    return Err(KernelError::new(errno::EEXIST));
                }
                nlflags &= !nlm_f::EXCL;
                if replace {
                    if can_ecmp == iter.qualifies_for_ecmp() {
                        found = Some(i);
                        break;
                    }
                    fallback = fallback.or(Some(i));
                    ins = i + 1;
                    continue;
                }
                if iter.duplicate_nexthop(&rt) {
                    if iter.flags & rtf::EXPIRES != 0 {
                        let r = &mut t.tree.routes_mut(n)[i];
                        match rt.expires {
                            None => {
                                r.expires = None;
                                r.flags &= !rtf::EXPIRES;
                            }
                            Some(e) => r.expires = Some(e),
                        }
                    }
                    return Err(KernelError::new(errno::EEXIST));
                }
            }
            if iter.metric > rt.metric {
                break;
            }
            ins = i + 1;
        }
        if found.is_none() {
            found = fallback;
        }
        if !replace || found.is_none() {
            if replace && !add {
                return Err(KernelError::new(errno::ENOENT));
            }
            nlflags |= nlm_f::CREATE;
            let routes = t.tree.routes_mut(n);
            let at = ins.min(routes.len());
            routes.insert(at, rt);
            if notify {
                let list = self
                    .fib(ns)
                    .and_then(|f| f.v6.get(tb))
                    .map(|t| t.tree.routes(n).to_vec())
                    .unwrap_or_default();
                let view = self.rt6_view(ns, tb, n, &list, at);
                self.inet6_rt_notify(ns, LinkMsg::New, view, cfg.nlinfo(), nlflags);
            }
            return Ok(at);
        }
        let Some(i) = found else {
            return Err(KernelError::new(errno::ENOENT));
        };
        let routes = t.tree.routes_mut(n);
        let old = std::mem::replace(&mut routes[i], rt);
        if old.qualifies_for_ecmp() {
            // Replacing an ECMP route removes all its siblings.
            let metric = routes[i].metric;
            let mut j = i + 1;
            while j < routes.len() && routes[j].metric <= metric {
                if routes[j].qualifies_for_ecmp() && routes[j].metric == metric {
                    routes.remove(j);
                } else {
                    j += 1;
                }
            }
        }
        if notify {
            let list = routes.to_vec();
            let view = self.rt6_view(ns, tb, n, &list, i);
            self.inet6_rt_notify(ns, LinkMsg::New, view, cfg.nlinfo(), nlm_f::REPLACE);
        }
        Ok(i)
    }

    /// `ip6_route_add`.
    pub fn ip6_route_add(&mut self, ns: NetnsId, cfg: &Fib6Config) -> KResult<()> {
        let (tb, rt) = self.ip6_route_info_create(ns, cfg)?;
        let expiring = rt.flags & rtf::EXPIRES != 0;
        self.fib6_add(ns, tb, cfg, rt, true)?;
        // fib6_add: fib6_start_gc for a route with an expiry.
        if expiring {
            self.fib6_start_gc(ns);
        }
        Ok(())
    }

    /// `fib6_gc_all` with `fib6_age`: removes the routes whose expiry passed (each announced,
    /// in walk order); returns how many expiring routes remain (`gc_args.more`).
    pub(crate) fn fib6_gc_expired(&mut self, ns: NetnsId, now_jiffies: u64) -> usize {
        let Some(order) = self.fib(ns).map(|f| f.v6.walk_order()) else {
            return 0;
        };
        let mut more = 0;
        for tb in order {
            let Some(nodes) = self.fib6_table_snapshot(ns, tb) else {
                continue;
            };
            for (n, list) in nodes {
                let mut dead = Vec::new();
                for (i, rt) in list.iter().enumerate() {
                    if rt.flags & rtf::EXPIRES == 0 {
                        continue;
                    }
                    match rt.expires {
                        // time_after(now, rt->expires)
                        Some(at) if now_jiffies > at / NSEC_PER_JIFFY => dead.push(i),
                        Some(_) => more += 1,
                        None => {}
                    }
                }
                if !dead.is_empty() {
                    self.fib6_del(ns, tb, n, &dead, NlInfo::default(), None);
                }
            }
        }
        more
    }

    /// A copy of table `tb`'s nodes and their routes, for walks that delete or change routes
    /// while they go (`fib6_clean_all` callers).
    fn fib6_table_snapshot(&self, ns: NetnsId, tb: u32) -> Option<Vec<(Prefix6, Vec<Fib6Info>)>> {
        let t = self.fib(ns)?.v6.get(tb)?;
        Some(t.tree.iter().map(|(n, l)| (n, l.to_vec())).collect())
    }

    /// `inet6_rtm_newroute` after `rtm_to_fib6_config`.
    pub fn inet6_rtm_newroute(&mut self, ns: NetnsId, cfg: &Fib6Config) -> KResult<()> {
        let mut cfg = cfg.clone();
        if cfg.metric == 0 {
            cfg.metric = IP6_RT_PRIO_USER;
        }
        if cfg.mp.is_some() {
            self.ip6_route_multipath_add(ns, &cfg)
        } else {
            self.ip6_route_add(ns, &cfg)
        }
    }

    /// `ip6_route_multipath_add`: one route per nexthop, inserted as siblings, announced once.
    fn ip6_route_multipath_add(&mut self, ns: NetnsId, cfg: &Fib6Config) -> KResult<()> {
        let replace = cfg.has(nlm_f::REPLACE);
        let mut nlflags = if replace {
            nlm_f::REPLACE
        } else {
            nlm_f::CREATE
        };
        if cfg.has(nlm_f::APPEND) {
            nlflags |= nlm_f::APPEND;
        }
        let mut made: Vec<(u32, Fib6Info, Fib6Config)> = Vec::new();
        for r in cfg.mp.as_deref().unwrap_or(&[]) {
            let mut r_cfg = cfg.clone();
            r_cfg.mp = None;
            if r.ifindex != 0 {
                r_cfg.ifindex = r.ifindex;
            }
            match r.gateway {
                Some(Err(ShortAttr)) => {
                    return Err(
                        KernelError::new(errno::EINVAL).msg("Invalid IPv6 address in RTA_GATEWAY")
                    )
                }
                Some(Ok(g)) => {
                    r_cfg.gateway = g;
                    r_cfg.flags |= rtf::GATEWAY;
                }
                None => {}
            }
            r_cfg.encap = r.encap;
            r_cfg.flags |= r.flags as u32 & rtnh_f::ONLINK;
            let (tb, mut rt) = self.ip6_route_info_create(ns, &r_cfg)?;
            if !rt.qualifies_for_ecmp() {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Device only routes can not be added for IPv6 using the multipath API."));
            }
            rt.nh.weight = r.hops as u16 + 1;
            // ip6_route_info_append: a nexthop given twice.
            if made.iter().any(|(_, m, _)| m.duplicate_nexthop(&rt)) {
                return Err(KernelError::new(errno::EEXIST));
            }
            made.push((tb, rt, r_cfg));
        }
        if made.is_empty() {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid nexthop configuration - no valid nexthops"));
        }
        let n = cfg.node();
        let mut inserted: Vec<Fib6Config> = Vec::new();
        let mut first: Option<(u32, Fib6Info)> = None;
        let mut flags_now = cfg.nlflags;
        let mut failure = None;
        for (tb, rt, r_cfg) in made {
            let mut c = r_cfg.clone();
            c.nlflags = flags_now;
            match self.fib6_add(ns, tb, &c, rt.clone(), false) {
                Ok(_) => {
                    if first.is_none() {
                        first = Some((tb, rt));
                    }
                    inserted.push(r_cfg);
                    // The later nexthops join the first: no EXCL / REPLACE any more.
                    flags_now =
                        flags_now.map(|f| (f & !(nlm_f::EXCL | nlm_f::REPLACE)) | nlm_f::CREATE);
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if let Some((tb, rt)) = &first {
            // ip6_route_mpath_notify: the route as a whole, from its first sibling.
            if let Some(list) = self
                .fib(ns)
                .and_then(|f| f.v6.get(*tb))
                .map(|t| t.tree.routes(n).to_vec())
            {
                let at = list.iter().position(|x| x == rt).unwrap_or(0);
                let sib = rt6_siblings(&list, at);
                let head = sib.first().copied().unwrap_or(at);
                let view = self.rt6_view(ns, *tb, n, &list, head);
                self.inet6_rt_notify(ns, LinkMsg::New, view, cfg.nlinfo(), nlflags);
            }
        }
        if let Some(e) = failure {
            for r_cfg in inserted {
                let mut d = r_cfg.clone();
                d.delete_all_nh = false;
                let _ = self.ip6_route_del(ns, &d);
            }
            return Err(e);
        }
        Ok(())
    }

    /// `inet6_rtm_delroute` after `rtm_to_fib6_config`.
    pub fn inet6_rtm_delroute(&mut self, ns: NetnsId, cfg: &Fib6Config) -> KResult<()> {
        if cfg.nh_id != 0 && self.nexthop_find(ns, cfg.nh_id).is_none() {
            // inet6_rtm_delroute: nexthop_find_by_id.
            return Err(KernelError::new(errno::EINVAL).msg("Nexthop id does not exist"));
        }
        if let Some(mp) = &cfg.mp {
            // ip6_route_multipath_del: each nexthop on its own; the last error wins.
            let mut last = Ok(());
            for r in mp {
                let mut r_cfg = cfg.clone();
                r_cfg.mp = None;
                if r.ifindex != 0 {
                    r_cfg.ifindex = r.ifindex;
                }
                match r.gateway {
                    Some(Err(ShortAttr)) => {
                        last = Err(KernelError::new(errno::EINVAL)
                            .msg("Invalid IPv6 address in RTA_GATEWAY"));
                        continue;
                    }
                    Some(Ok(g)) => {
                        r_cfg.gateway = g;
                        r_cfg.flags |= rtf::GATEWAY;
                    }
                    None => {}
                }
                if let Err(e) = self.ip6_route_del(ns, &r_cfg) {
                    last = Err(e);
                }
            }
            return last;
        }
        let mut cfg = cfg.clone();
        cfg.delete_all_nh = true;
        self.ip6_route_del(ns, &cfg)
    }

    /// `__remove_nexthop_fib` (net/ipv4/nexthop.c), IPv6 half: each route using nexthop `id`
    /// goes through `ip6_del_rt`, announced (nexthop_compat_mode 1), tables in walk order.
    pub fn fib6_remove_nexthop_routes(&mut self, ns: NetnsId, id: u32) {
        for (tb, n, rt) in self.fib6_nexthop_routes(ns, id) {
            let pos = self
                .fib(ns)
                .and_then(|f| f.v6.get(tb))
                .and_then(|t| t.tree.routes(n).iter().position(|x| *x == rt));
            if let Some(pos) = pos {
                self.fib6_del(ns, tb, n, &[pos], NlInfo::default(), None);
            }
        }
    }

    /// The IPv6 routes using nexthop `id` (`nh->f6i_list`), with their table and node.
    pub fn fib6_nexthop_routes(&self, ns: NetnsId, id: u32) -> Vec<(u32, Prefix6, Fib6Info)> {
        let mut out = Vec::new();
        let Some(fib) = self.fib(ns) else { return out };
        for tb in fib.v6.walk_order() {
            if let Some(t) = fib.v6.get(tb) {
                for (n, list) in t.tree.iter() {
                    for rt in list.iter().filter(|r| r.nh_id == id) {
                        out.push((tb, n, rt.clone()));
                    }
                }
            }
        }
        out
    }

    /// `__nexthop_replace_notify`, IPv6 half (`fib6_rt_update`): each route using nexthop
    /// `id` takes its new first path and is announced with NLM_F_REPLACE.
    pub fn fib6_nexthop_replace_notify(&mut self, ns: NetnsId, id: u32) {
        let Ok(nh) = self.fib6_nh_of_nexthop(ns, id) else {
            return;
        };
        if let Some(fib) = self.fib_mut(ns) {
            for t in fib.v6.iter_mut() {
                t.tree.for_each_mut(|rt| {
                    if rt.nh_id == id {
                        rt.nh = nh.clone();
                    }
                });
            }
        }
        for (tb, n, _) in self.fib6_nexthop_routes(ns, id) {
            let Some(list) = self
                .fib(ns)
                .and_then(|f| f.v6.get(tb))
                .map(|t| t.tree.routes(n).to_vec())
            else {
                continue;
            };
            for (i, rt) in list.iter().enumerate() {
                if rt.nh_id == id {
                    let view = self.rt6_view(ns, tb, n, &list, i);
                    self.inet6_rt_notify(ns, LinkMsg::New, view, NlInfo::default(), nlm_f::REPLACE);
                }
            }
        }
    }

    /// `ip6_route_del`.
    fn ip6_route_del(&mut self, ns: NetnsId, cfg: &Fib6Config) -> KResult<()> {
        let Some(t) = self.fib(ns).and_then(|f| f.v6.get(cfg.table)) else {
            return Err(KernelError::new(errno::ESRCH).msg("FIB table does not exist"));
        };
        let tb = t.id;
        if cfg.flags & rtf::CACHE != 0 {
            // Cached routes (exceptions) are not modelled: there are none to delete.
            return Err(KernelError::new(errno::ESRCH));
        }
        let n = cfg.node();
        let list = t.tree.routes(n).to_vec();
        for (i, rt) in list.iter().enumerate() {
            if rt.nh_id != 0 && cfg.nh_id != 0 && rt.nh_id != cfg.nh_id {
                continue;
            }
            if cfg.metric != 0 && cfg.metric != rt.metric {
                continue;
            }
            if cfg.protocol != 0 && cfg.protocol != rt.protocol {
                continue;
            }
            // ip6_route_del: a nexthop object's route goes without the device/gateway checks.
            if rt.nh_id != 0 {
                self.fib6_del(ns, tb, n, &[i], cfg.nlinfo(), None);
                return Ok(());
            }
            if cfg.nh_id != 0 {
                continue;
            }
            if cfg.ifindex != 0 && self.try_dev(rt.nh.dev).map(|d| d.ifindex) != Some(cfg.ifindex) {
                continue;
            }
            if cfg.flags & rtf::GATEWAY != 0 && rt.nh.gw != Some(cfg.gateway) {
                continue;
            }
            if cfg.flags & rtf::GATEWAY != 0 {
                self.fib6_del(ns, tb, n, &[i], cfg.nlinfo(), None);
                return Ok(());
            }
            // __ip6_del_rt_siblings: the whole multipath route, announced once.
            let sib = rt6_siblings(&list, i);
            if sib.len() > 1 && cfg.delete_all_nh {
                let head = sib[0];
                let view = self.rt6_view(ns, tb, n, &list, head);
                let mut order: Vec<usize> = sib.iter().copied().filter(|&j| j != i).collect();
                order.push(i);
                self.fib6_del(ns, tb, n, &order, cfg.nlinfo(), Some(view));
            } else {
                self.fib6_del(ns, tb, n, &[i], cfg.nlinfo(), None);
            }
            return Ok(());
        }
        Err(KernelError::new(errno::ESRCH))
    }

    /// `fib6_del` of the routes at positions `idx` of a node (each announced unless `whole`
    /// announces them together).
    #[allow(clippy::too_many_arguments)]
    fn fib6_del(
        &mut self,
        ns: NetnsId,
        tb: u32,
        n: Prefix6,
        idx: &[usize],
        info: NlInfo,
        whole: Option<RouteView>,
    ) {
        let Some(list) = self
            .fib(ns)
            .and_then(|f| f.v6.get(tb))
            .map(|t| t.tree.routes(n).to_vec())
        else {
            return;
        };
        let victims: Vec<Fib6Info> = idx.iter().filter_map(|&i| list.get(i).cloned()).collect();
        for v in &victims {
            let Some(cur) = self
                .fib(ns)
                .and_then(|f| f.v6.get(tb))
                .map(|t| t.tree.routes(n).to_vec())
            else {
                return;
            };
            let Some(pos) = cur.iter().position(|x| x == v) else {
                continue;
            };
            if whole.is_none() {
                // fib6_del_route unlinks the route from its siblings before announcing it.
                let trapped = self.rt6_view(ns, tb, n, &cur, pos).flags & rtnh_f::RTM_TRAP;
                let mut view = self.rt6_view(ns, tb, n, std::slice::from_ref(v), 0);
                view.flags = (view.flags & !rtnh_f::RTM_TRAP) | trapped;
                self.inet6_rt_notify(ns, LinkMsg::Del, view, info, 0);
            }
            if let Some(t) = self.fib_mut(ns).and_then(|f| f.v6.get_mut(tb)) {
                t.tree.routes_mut(n).remove(pos);
                t.tree.prune(n);
            }
        }
        if let Some(view) = whole {
            self.inet6_rt_notify(ns, LinkMsg::Del, view, info, 0);
        }
    }

    /// `addrconf_prefix_route`: the prefix route of an address or of fe80::/64
    /// (`proto kernel`, table `l3mdev_fib_table(dev)` or main, `RTF_UP | flags`); `expires`:
    /// absolute time (`crate::time::Nanos`) at which it expires, `None` for a permanent route.
    pub fn addrconf_prefix_route(
        &mut self,
        pfx: Ipv6Addr,
        plen: u8,
        metric: u32,
        dev: DevId,
        expires: Option<u64>,
        flags: u32,
    ) {
        let Some(d) = self.try_dev(dev) else { return };
        let (ns, ifindex) = (d.netns, d.ifindex);
        let mut fc_flags = rtf::UP | flags;
        if d.dev_type == ARPHRD_SIT && d.flags & iff::POINTOPOINT != 0 {
            fc_flags |= rtf::NONEXTHOP;
        }
        let now = self.now();
        let cfg = Fib6Config {
            table: self.l3mdev_fib_table(dev).unwrap_or(table::MAIN),
            metric: if metric == 0 {
                IP6_RT_PRIO_ADDRCONF
            } else {
                metric
            },
            ifindex,
            expires: expires.map_or(0, |at| at.saturating_sub(now) / (1_000_000_000 / USER_HZ)),
            dst_len: plen,
            flags: fc_flags | if expires.is_some() { rtf::EXPIRES } else { 0 },
            protocol: rtprot::KERNEL,
            kind: rtn::UNICAST,
            dst: pfx,
            ..Fib6Config::default()
        };
        let _ = self.ip6_route_add(ns, &cfg);
    }

    /// `addrconf_get_prefix_route` + `ip6_del_rt`: removes the prefix route `cleanup_prefix_route`
    /// finds (same prefix, device, and `metric` when given). Whether one was removed.
    pub fn addrconf_prefix_route_del(
        &mut self,
        pfx: Ipv6Addr,
        plen: u8,
        dev: DevId,
        metric: Option<u32>,
    ) -> bool {
        let Some(ns) = self.try_dev(dev).map(|d| d.netns) else {
            return false;
        };
        let tb = self.l3mdev_fib_table(dev).unwrap_or(table::MAIN);
        let n = Prefix6::dst_only(pfx, plen);
        let Some(list) = self
            .fib(ns)
            .and_then(|f| f.v6.get(tb))
            .map(|t| t.tree.routes(n).to_vec())
        else {
            return false;
        };
        // addrconf_get_prefix_route(.., RTF_ADDRCONF | RTF_PREFIX_RT, RTF_DEFAULT, ..): a
        // prefix route of the device, without a gateway.
        let found = list.iter().position(|rt| {
            rt.nh.dev == dev
                && rt.flags & rtf::DEFAULT == 0
                && rt.nh.gw.is_none()
                && metric.is_none_or(|m| m == rt.metric)
        });
        match found {
            Some(i) => {
                self.fib6_del(ns, tb, n, &[i], NlInfo::default(), None);
                true
            }
            None => false,
        }
    }

    /// `addrconf_f6i_alloc` + `ip6_ins_rt`: the local-table route of an address (`local` or,
    /// for anycast, `anycast`), inserted when the address is announced (`__ipv6_ifa_notify`).
    pub fn ip6_ins_local_route(&mut self, dev: DevId, addr: Ipv6Addr, anycast: bool) {
        let Some(d) = self.try_dev(dev) else { return };
        let (ns, ifindex) = (d.netns, d.ifindex);
        let (kind, flag) = if anycast {
            (rtn::ANYCAST, rtf::ANYCAST)
        } else {
            (rtn::LOCAL, rtf::LOCAL)
        };
        let cfg = Fib6Config {
            table: self.l3mdev_fib_table(dev).unwrap_or(table::LOCAL),
            ifindex,
            flags: rtf::UP | rtf::NONEXTHOP | flag,
            dst: addr,
            dst_len: 128,
            protocol: rtprot::KERNEL,
            kind,
            ignore_dev_down: true,
            ..Fib6Config::default()
        };
        let _ = self.ip6_route_add(ns, &cfg);
    }

    /// `ip6_del_rt` of an address's local-table route (`__ipv6_ifa_notify(RTM_DELADDR)`).
    pub fn ip6_del_local_route(&mut self, dev: DevId, addr: Ipv6Addr, anycast: bool) {
        let Some(ns) = self.try_dev(dev).map(|d| d.netns) else {
            return;
        };
        let tb = self.l3mdev_fib_table(dev).unwrap_or(table::LOCAL);
        let kind = if anycast { rtn::ANYCAST } else { rtn::LOCAL };
        let n = Prefix6::dst_only(addr, 128);
        let Some(list) = self
            .fib(ns)
            .and_then(|f| f.v6.get(tb))
            .map(|t| t.tree.routes(n).to_vec())
        else {
            return;
        };
        if let Some(i) = list
            .iter()
            .position(|rt| rt.nh.dev == dev && rt.kind == kind)
        {
            self.fib6_del(ns, tb, n, &[i], NlInfo::default(), None);
        }
    }

    /// `addrconf_add_mroute`: ff00::/8 in the local table.
    pub fn addrconf_add_mroute(&mut self, dev: DevId) {
        let Some(d) = self.try_dev(dev) else { return };
        let (ns, ifindex) = (d.netns, d.ifindex);
        let cfg = Fib6Config {
            table: self.l3mdev_fib_table(dev).unwrap_or(table::LOCAL),
            metric: IP6_RT_PRIO_ADDRCONF,
            ifindex,
            dst_len: 8,
            flags: rtf::UP,
            kind: rtn::MULTICAST,
            protocol: rtprot::KERNEL,
            dst: Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
            ..Fib6Config::default()
        };
        let _ = self.ip6_route_add(ns, &cfg);
    }

    /// `rt6_disable_ip`: what `addrconf_ifdown` asks of the routing table when a device goes
    /// down (`unregister` false) or away / loses IPv6 (`unregister` true).
    pub fn rt6_disable_ip(&mut self, dev: DevId, unregister: bool) {
        let ev = if unregister {
            NetdevEvent::Unregister
        } else {
            NetdevEvent::Down
        };
        self.rt6_sync_down_dev(dev, &ev);
    }

    /// `rt6_sync_down_dev` (`fib6_clean_all(fib6_ifdown)`): routes through `dev` go (down,
    /// unregister: each announced, in walk order) or turn linkdown (NETDEV_CHANGE).
    pub fn rt6_sync_down_dev(&mut self, dev: DevId, ev: &NetdevEvent) {
        let Some(ns) = self.try_dev(dev).map(|d| d.netns) else {
            return;
        };
        let Some(order) = self.fib(ns).map(|f| f.v6.walk_order()) else {
            return;
        };
        for tb in order {
            let Some(nodes) = self.fib6_table_snapshot(ns, tb) else {
                continue;
            };
            for (n, list) in nodes {
                match ev {
                    NetdevEvent::Change => {
                        if let Some(t) = self.fib_mut(ns).and_then(|f| f.v6.get_mut(tb)) {
                            for rt in t.tree.routes_mut(n).iter_mut() {
                                if rt.nh.dev == dev && rt.flags & (rtf::LOCAL | rtf::ANYCAST) == 0 {
                                    rt.nh.flags |= rtnh_f::LINKDOWN;
                                }
                            }
                            t.tree.prune(n);
                        }
                    }
                    NetdevEvent::Down | NetdevEvent::Unregister => {
                        self.fib6_ifdown_node(ns, tb, n, &list, dev, ev);
                    }
                    _ => {}
                }
            }
        }
    }

    /// `fib6_ifdown` over one node's routes.
    #[allow(clippy::too_many_arguments)]
    fn fib6_ifdown_node(
        &mut self,
        ns: NetnsId,
        tb: u32,
        n: Prefix6,
        list: &[Fib6Info],
        dev: DevId,
        ev: &NetdevEvent,
    ) {
        let mut dead: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < list.len() {
            let sib = rt6_siblings(list, i);
            if *ev == NetdevEvent::Unregister || sib.len() <= 1 {
                if list[i].nh.dev == dev {
                    dead.push(i);
                }
                i += 1;
                continue;
            }
            // A multipath route: it goes when every nexthop is dead or through `dev`.
            let uses = sib.iter().any(|&j| list[j].nh.dev == dev);
            if uses {
                let count = sib
                    .iter()
                    .filter(|&&j| list[j].nh.dev == dev || list[j].nh.flags & rtnh_f::DEAD != 0)
                    .count();
                if count == sib.len() {
                    dead.extend(sib.iter().copied());
                } else if let Some(t) = self.fib_mut(ns).and_then(|f| f.v6.get_mut(tb)) {
                    let routes = t.tree.routes_mut(n);
                    for &j in &sib {
                        if routes[j].nh.dev == dev {
                            routes[j].nh.flags |= rtnh_f::DEAD | rtnh_f::LINKDOWN;
                        }
                    }
                }
            }
            i = sib.iter().copied().max().unwrap_or(i) + 1;
        }
        if !dead.is_empty() {
            self.fib6_del(ns, tb, n, &dead, NlInfo::default(), None);
        }
    }

    /// `rt6_sync_up` (`fib6_ifup`): nexthops through `dev` lose `nh_flags`.
    pub fn rt6_sync_up(&mut self, dev: DevId, nh_flags: u32) {
        let Some(d) = self.try_dev(dev) else { return };
        let ns = d.netns;
        let mut flags = nh_flags;
        if nh_flags & rtnh_f::DEAD != 0 && d.carrier {
            flags |= rtnh_f::LINKDOWN;
        }
        if let Some(fib) = self.fib_mut(ns) {
            for t in fib.v6.iter_mut() {
                t.tree.for_each_mut(|rt| {
                    if rt.nh.dev == dev {
                        rt.nh.flags &= !flags;
                    }
                });
            }
        }
    }

    /// `ip6_route_dev_notify` (priority ADDRCONF_NOTIFY_PRIORITY - 10: after every other
    /// netdevice notifier). It only points the null entries at loopback, which the model's
    /// routes never show.
    pub fn ip6_route_dev_notify(&mut self, _id: DevId, _ev: &NetdevEvent) {}

    /// `inet6_dump_fib`: the routes the filter lets through, with their message flags.
    pub fn inet6_dump_fib(
        &self,
        ns: NetnsId,
        filter: &FibDumpFilter,
        family_is_inet6: bool,
    ) -> KResult<Vec<(RouteView, u16)>> {
        let mut out = Vec::new();
        let Some(fib) = self.fib(ns) else {
            return Ok(out);
        };
        let tables = if filter.table_id != 0 {
            match fib.v6.get(filter.table_id) {
                Some(t) => vec![t.id],
                None if !family_is_inet6 => return Ok(out),
                None => {
                    return Err(
                        KernelError::new(errno::ENOENT).msg("ipv6: FIB table does not exist")
                    )
                }
            }
        } else {
            fib.v6.walk_order()
        };
        let ns_trap = self.fib_offload_trap(ns);
        let flags = if filter.filter_set {
            nlm_f::DUMP_FILTERED
        } else {
            0
        };
        for tb in tables {
            let Some(t) = fib.v6.get(tb) else { continue };
            for (n, list) in t.tree.iter() {
                let mut i = 0;
                while i < list.len() {
                    let rt = &list[i];
                    let sib = rt6_siblings(list, i);
                    let next = sib.iter().copied().max().unwrap_or(i).max(i) + 1;
                    let skip = (filter.filter_set
                        && ((filter.rt_type != 0 && rt.kind != filter.rt_type)
                            || filter.dev.is_some_and(|d| rt.nh.dev != d)
                            || (filter.protocol != 0 && rt.protocol != filter.protocol)))
                        || (filter.prefix && rt.flags & rtf::PREFIX_RT == 0);
                    if !skip && filter.dump_routes {
                        out.push((self.rt6_fill(ns, tb, n, list, i, ns_trap), flags));
                    }
                    i = next;
                }
            }
        }
        Ok(out)
    }

    /// The IPv6 routes of a namespace, for tests.
    pub fn fib6_routes(&self, ns: NetnsId) -> Vec<RouteView> {
        self.inet6_dump_fib(ns, &FibDumpFilter::all(), false)
            .map(|v| v.into_iter().map(|(r, _)| r).collect())
            .unwrap_or_default()
    }
}

/// IFA_F_TENTATIVE (`ipv6_chk_addr` bans tentative addresses).
const IFA_F_TENTATIVE: u32 = 0x40;

/// The positions of the multipath route `idx` belongs to (itself first when alone): the
/// ECMP routes of its metric (`fib6_siblings`), in list order.
pub fn rt6_siblings(list: &[Fib6Info], idx: usize) -> Vec<usize> {
    let rt = &list[idx];
    if !rt.qualifies_for_ecmp() {
        return vec![idx];
    }
    list.iter()
        .enumerate()
        .filter(|(_, r)| r.metric == rt.metric && r.qualifies_for_ecmp())
        .map(|(j, _)| j)
        .collect()
}
