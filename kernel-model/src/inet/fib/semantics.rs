//! net/ipv4/fib_semantics.c: what a route says (`struct fib_info`, its nexthops), how a
//! request becomes one (`fib_create_info`, `fib_check_nh`, `fib_valid_prefsrc`) and how a
//! delete request matches one (`fib_nh_match`, `fib_metrics_match`).

use super::uapi::{errno as rt_errno, rtax, rtn, rtnh_f, scope, table};
use crate::device::DevId;
use crate::device::NetnsId;
use crate::error::{AttrPath, KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// RTA_METRICS (8), for the extack of a bad metric.
pub const RTA_METRICS: u16 = 8;

/// `fib_props[type]`: the error a lookup hitting the type returns (0: none) and the widest
/// scope a route of the type may have.
pub fn fib_props(kind: u8) -> (i32, u8) {
    match kind {
        rtn::UNSPEC => (0, scope::NOWHERE),
        rtn::UNICAST => (0, scope::UNIVERSE),
        rtn::LOCAL => (0, scope::HOST),
        rtn::BROADCAST | rtn::ANYCAST => (0, scope::LINK),
        rtn::MULTICAST => (0, scope::UNIVERSE),
        rtn::BLACKHOLE => (-errno::EINVAL, scope::UNIVERSE),
        rtn::UNREACHABLE => (-rt_errno::EHOSTUNREACH, scope::UNIVERSE),
        rtn::PROHIBIT => (-errno::EACCES, scope::UNIVERSE),
        rtn::THROW => (-rt_errno::EAGAIN, scope::UNIVERSE),
        _ => (-errno::EINVAL, scope::NOWHERE),
    }
}

/// `dst_metrics.metrics`: RTAX_LOCK..RTAX_MAX, all zero (`dst_default_metrics`) unless
/// RTA_METRICS said otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics(pub Option<Box<[u32; rtax::MAX as usize]>>);

impl Metrics {
    pub fn get(&self, kind: u16) -> u32 {
        match (&self.0, kind) {
            (Some(m), 1..=rtax::MAX) => m[kind as usize - 1],
            _ => 0,
        }
    }

    /// The non-zero metrics in RTAX order (`rtnetlink_put_metrics`).
    pub fn nonzero(&self) -> Vec<(u16, u32)> {
        match &self.0 {
            Some(m) => (1..=rtax::MAX)
                .filter_map(|t| {
                    let v = m[t as usize - 1];
                    (v != 0).then_some((t, v))
                })
                .collect(),
            None => Vec::new(),
        }
    }
}

/// One RTA_METRICS entry of a request: its type and its u32 (None: not 4 bytes long), or
/// for RTAX_CC_ALGO its string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetricCfg {
    pub kind: u16,
    pub value: Option<u32>,
    pub text: Option<String>,
}

/// The congestion control algorithms built into Debian's kernel, by the key the model stores
/// for RTAX_CC_ALGO (the kernel's keys are name hashes, never shown: dumps give the name).
const TCP_CA_BUILTIN: [&str; 2] = ["reno", "cubic"];

/// `tcp_ca_get_key_by_name` for the built-in algorithms.
fn tcp_ca_key(name: &str) -> Option<u32> {
    TCP_CA_BUILTIN
        .iter()
        .position(|n| *n == name)
        .map(|i| i as u32 + 1)
}

/// `tcp_ca_get_name_by_key`.
pub fn tcp_ca_name(key: u32) -> Option<&'static str> {
    TCP_CA_BUILTIN.get((key as usize).checked_sub(1)?).copied()
}

/// The key a metric request gives (RTAX_CC_ALGO by name), `Err` for a name the model does not
/// know (a module the kernel would autoload).
fn metric_value(a: &MetricCfg) -> KResult<Option<u32>> {
    if a.kind != rtax::CC_ALGO {
        return Ok(a.value);
    }
    let name = a.text.as_deref().unwrap_or("");
    match tcp_ca_key(name) {
        Some(k) => Ok(Some(k)),
        None => Err(KernelError::not_modelled(format!(
            "tcp congestion control algorithm {name:?} (only reno and cubic are built in)"
        ))),
    }
}

/// `ip_metrics_convert` + `ip_fib_metrics_init` (net/ipv4/metrics.c).
pub fn ip_fib_metrics_init(mx: Option<&[MetricCfg]>) -> KResult<Metrics> {
    let Some(mx) = mx else {
        return Ok(Metrics::default());
    };
    let mut m = [0u32; rtax::MAX as usize];
    for a in mx {
        if a.kind == 0 {
            continue;
        }
        if a.kind > rtax::MAX {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid metric type"));
        }
        let Some(mut val) = metric_value(a)? else {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid attribute in metrics")
                .attr(AttrPath::nested(&[RTA_METRICS, a.kind])));
        };
        if a.kind == rtax::ADVMSS && val > 65535 - 40 {
            val = 65535 - 40;
        }
        if a.kind == rtax::MTU && val > 65535 - 15 {
            val = 65535 - 15;
        }
        if a.kind == rtax::HOPLIMIT && val > 255 {
            val = 255;
        }
        if a.kind == rtax::FEATURES && val & !rtax::FEATURE_MASK != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Unknown flag set in feature mask in metrics attribute"));
        }
        m[a.kind as usize - 1] = val;
    }
    if m[rtax::LOCK as usize - 1] & (1 << rtax::CWND) != 0 && m[rtax::CWND as usize - 1] == 0 {
        return Err(KernelError::new(errno::EINVAL).msg("Locked cwnd metric must be non zero"));
    }
    Ok(Metrics(Some(Box::new(m))))
}

/// `fib_metrics_match`: every metric the delete request names has that value.
pub fn fib_metrics_match(mx: Option<&[MetricCfg]>, m: &Metrics) -> bool {
    let Some(mx) = mx else { return true };
    mx.iter().all(|a| match a.kind {
        0 => true,
        k if k > rtax::MAX => false,
        k => metric_value(a)
            .ok()
            .flatten()
            .is_some_and(|v| m.get(k) == v),
    })
}

/// `struct fib_nh`: one nexthop of an IPv4 route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibNh {
    /// `fib_nh_dev` (None for the error routes, which have no device).
    pub dev: Option<DevId>,
    /// `fib_nh_oif`: the ifindex asked for (or found by the gateway lookup).
    pub oif: u32,
    /// `fib_nh_gw4` (`fib_nh_gw_family` AF_INET).
    pub gw: Option<Ipv4Addr>,
    /// `fib_nh_flags` (RTNH_F_*).
    pub flags: u32,
    /// `fib_nh_scope`.
    pub scope: u8,
    /// `fib_nh_weight` (rtnh_hops + 1).
    pub weight: u16,
    /// `nh_tclassid` (RTA_FLOW).
    pub flow: u32,
}

/// `struct fib_info`: what aliases point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibInfo {
    pub protocol: u8,
    /// `fib_scope`: the route's scope.
    pub scope: u8,
    /// `fib_flags`: the request's rtm_flags, plus RTNH_F_DEAD / RTNH_F_LINKDOWN.
    pub flags: u32,
    pub priority: u32,
    pub prefsrc: Option<Ipv4Addr>,
    /// `fib_type`.
    pub kind: u8,
    /// `fib_tb_id`.
    pub tb_id: u32,
    pub metrics: Metrics,
    pub nhs: SmallVec<[FibNh; 1]>,
    /// `pfsrc_removed`: killed because its prefsrc disappeared (the flush then notifies).
    #[serde(default)]
    pub pfsrc_removed: bool,
    /// `fi->nh`: the nexthop object's id (0: the route has its own nexthops); `nhs` then
    /// holds a copy of the object's paths for lookups, refreshed when it is replaced.
    #[serde(default)]
    pub nh_id: u32,
}

impl FibInfo {
    /// `fib_find_info`'s comparison (and `nh_comp`): equal but for the state bits. A route
    /// using a nexthop object has no nexthops of its own (`fib_nhs` 0): the object decides.
    pub fn same_as(&self, o: &FibInfo) -> bool {
        self.protocol == o.protocol
            && self.scope == o.scope
            && self.prefsrc == o.prefsrc
            && self.priority == o.priority
            && self.kind == o.kind
            && self.tb_id == o.tb_id
            && self.nh_id == o.nh_id
            && self.metrics.nonzero() == o.metrics.nonzero()
            && (self.flags ^ o.flags) & !rtnh_f::COMPARE_MASK == 0
            && (self.nh_id != 0 || self.same_nexthops(o))
    }

    /// `nh_comp` for routes with their own nexthops.
    fn same_nexthops(&self, o: &FibInfo) -> bool {
        self.nhs.len() == o.nhs.len()
            && self.nhs.iter().zip(o.nhs.iter()).all(|(a, b)| {
                a.oif == b.oif
                    && a.gw == b.gw
                    && a.scope == b.scope
                    && a.weight == b.weight
                    && a.flow == b.flow
                    && (a.flags ^ b.flags) & !rtnh_f::COMPARE_MASK == 0
            })
    }

    pub fn dead(&self) -> bool {
        self.flags & rtnh_f::DEAD != 0
    }

    /// `fib_info_nh_uses_dev`.
    pub fn uses_dev(&self, dev: DevId) -> bool {
        self.nhs.iter().any(|nh| nh.dev == Some(dev))
    }
}

/// `struct fib_alias`: a route of a table (its prefix and table are where it is stored).
/// `info` is shared with every alias of the namespace that says the same thing
/// (`fib_find_info`, see `info_hash.rs`): it is never written through an alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibAlias {
    /// `fa_dscp` as a dsfield (rtm_tos).
    pub dscp: u8,
    /// `fa_type`.
    pub kind: u8,
    /// `fa_info`. A state file holds each alias's copy; loading links them again.
    #[serde(with = "shared_info")]
    pub info: Arc<FibInfo>,
}

/// (De)serializes a shared `FibInfo` as the value it points at.
mod shared_info {
    use super::FibInfo;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(fi: &Arc<FibInfo>, s: S) -> Result<S::Ok, S::Error> {
        fi.as_ref().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<FibInfo>, D::Error> {
        FibInfo::deserialize(d).map(Arc::new)
    }
}

/// An attribute too short to hold its value (the multipath parsers check lengths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortAttr;

/// One `struct rtnexthop` of RTA_MULTIPATH, with the attributes `fib_get_nhs` reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RtnhCfg {
    pub flags: u8,
    pub hops: u8,
    pub ifindex: u32,
    pub gateway: Option<Result<Ipv4Addr, ShortAttr>>,
    /// RTA_VIA present (with RTA_GATEWAY: an error; alone: not modelled unless IPv6).
    pub via: bool,
    /// RTA_VIA of family AF_INET6: an IPv6 gateway (`fib_gw_from_via`).
    pub via6: Option<Ipv6Addr>,
    pub flow: Option<Result<u32, ShortAttr>>,
    /// RTA_ENCAP present (not modelled).
    pub encap: bool,
}

/// RTA_MULTIPATH: the nexthops, and whether bytes were left after the last one
/// (`fib_count_nexthops`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultipathCfg {
    pub hops: Vec<RtnhCfg>,
    pub trailing: bool,
}

/// Who asked (`struct nl_info`): a request (its notifications carry its portid and seq,
/// NLM_F_ECHO honoured) or the kernel itself (`fib_magic`: pid 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NlInfo {
    pub from_request: bool,
}

/// `struct fib_config`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FibConfig {
    pub dscp: u8,
    pub dst_len: u8,
    pub table: u32,
    pub protocol: u8,
    pub scope: u8,
    pub kind: u8,
    /// RTA_VIA of family AF_INET6: an IPv6 gateway (`fib_gw_from_via`).
    pub gw6: Option<Ipv6Addr>,
    pub flags: u32,
    pub nlflags: u16,
    pub dst: u32,
    pub oif: u32,
    pub gw: Option<Ipv4Addr>,
    pub priority: u32,
    pub prefsrc: u32,
    pub mx: Option<Vec<MetricCfg>>,
    pub mp: Option<MultipathCfg>,
    pub flow: u32,
    pub nh_id: u32,
    pub nlinfo: NlInfo,
}

/// `fib_res`: what a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FibResult {
    pub prefix: u32,
    pub prefixlen: u8,
    pub kind: u8,
    pub scope: u8,
    pub table: u32,
    pub nh: FibNh,
    pub prefsrc: Option<Ipv4Addr>,
}

/// `struct flowi4` as far as the FIB lookups here need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flow4 {
    pub daddr: u32,
    pub oif: u32,
    pub scope: u8,
    pub dscp: u8,
    /// FIB_LOOKUP_IGNORE_LINKSTATE.
    pub ignore_linkstate: bool,
}

impl Kernel {
    pub(crate) fn dev_of_ifindex(&self, ns: NetnsId, ifindex: u32) -> Option<DevId> {
        self.dev_by_index(ns, ifindex)
    }

    fn dev_up(&self, dev: DevId) -> bool {
        self.dev(dev).flags & iff::UP != 0
    }

    /// The paths of nexthop object `id` as `FibNh`s (what `fib_info_nhc` reaches through
    /// `fi->nh`), for lookups and the dead/linkdown checks.
    pub fn fib_nhs_of_nexthop(&self, ns: NetnsId, id: u32) -> SmallVec<[FibNh; 1]> {
        self.nexthop_paths(ns, id)
            .into_iter()
            .map(|p| FibNh {
                dev: p.dev,
                oif: p.dev.and_then(|d| self.try_dev(d)).map_or(0, |d| d.ifindex),
                gw: match p.gw {
                    Some(std::net::IpAddr::V4(g)) => Some(g),
                    _ => None,
                },
                // fib_nhc.nhc_flags: the offload / trap state is the nexthop object's own.
                flags: p.flags & (rtnh_f::DEAD | rtnh_f::LINKDOWN | rtnh_f::ONLINK),
                scope: p.scope,
                weight: u16::try_from(p.weight).unwrap_or(u16::MAX),
                flow: 0,
            })
            .collect()
    }

    /// `fib_nh_init` (+ `fib_get_nhs` per nexthop): the nexthop as the request gives it.
    fn fib_nh_init(oif: u32, gw: Option<Ipv4Addr>, flags: u32, weight: u16, flow: u32) -> FibNh {
        FibNh {
            dev: None,
            oif,
            gw,
            flags,
            scope: 0,
            weight,
            flow,
        }
    }

    /// `fib_get_nhs`: the nexthops of RTA_MULTIPATH, checked against RTA_OIF / RTA_GATEWAY /
    /// RTA_FLOW of the request.
    fn fib_get_nhs(cfg: &FibConfig, mp: &MultipathCfg) -> KResult<SmallVec<[FibNh; 1]>> {
        let mut nhs: SmallVec<[FibNh; 1]> = SmallVec::new();
        for r in &mp.hops {
            if r.flags as u32 & (rtnh_f::DEAD | rtnh_f::LINKDOWN) != 0 {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Invalid flags for nexthop - can not contain DEAD or LINKDOWN"));
            }
            let flags = (cfg.flags & !0xff) | r.flags as u32;
            if r.gateway.is_some() && r.via {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Nexthop configuration can not contain both GATEWAY and VIA"));
            }
            let gw = match r.gateway {
                Some(Err(ShortAttr)) => {
                    return Err(
                        KernelError::new(errno::EINVAL).msg("Invalid IPv4 address in RTA_GATEWAY")
                    )
                }
                Some(Ok(g)) if !g.is_unspecified() => Some(g),
                _ => None,
            };
            if r.via && r.via6.is_none() {
                return Err(KernelError::not_modelled("RTA_VIA in RTA_MULTIPATH"));
            }
            let flow = match r.flow {
                Some(Err(ShortAttr)) => {
                    return Err(KernelError::new(errno::EINVAL).msg("Invalid RTA_FLOW"))
                }
                Some(Ok(f)) => f,
                None => 0,
            };
            if r.encap {
                return Err(KernelError::not_modelled("RTA_ENCAP (lightweight tunnels)"));
            }
            nhs.push(Self::fib_nh_init(
                r.ifindex,
                gw,
                flags,
                r.hops as u16 + 1,
                flow,
            ));
        }
        let Some(first) = nhs.first() else {
            return Err(KernelError::new(errno::EINVAL));
        };
        if cfg.oif != 0 && first.oif != cfg.oif {
            return Err(
                KernelError::new(errno::EINVAL).msg("Nexthop device index does not match RTA_OIF")
            );
        }
        if cfg.gw.is_some() && first.gw != cfg.gw {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Nexthop gateway does not match RTA_GATEWAY or RTA_VIA"));
        }
        if cfg.flow != 0 && first.flow != cfg.flow {
            return Err(
                KernelError::new(errno::EINVAL).msg("Nexthop class id does not match RTA_FLOW")
            );
        }
        Ok(nhs)
    }

    /// `fib_create_info`: the checks of a new route's semantics, in the kernel's order.
    pub fn fib_create_info(&self, ns: NetnsId, cfg: &FibConfig) -> KResult<FibInfo> {
        if cfg.kind > rtn::MAX {
            return Err(KernelError::new(errno::EINVAL));
        }
        if fib_props(cfg.kind).1 > cfg.scope {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid scope"));
        }
        if cfg.flags & (rtnh_f::DEAD | rtnh_f::LINKDOWN) != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid rtm_flags - can not contain DEAD or LINKDOWN"));
        }
        if cfg.nh_id != 0 && self.nexthop_find(ns, cfg.nh_id).is_none() {
            // nexthop_find_by_id (fib_create_info).
            return Err(KernelError::new(errno::EINVAL).msg("Nexthop id does not exist"));
        }
        if let Some(mp) = &cfg.mp {
            if mp.trailing {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Invalid nexthop configuration - extra data after nexthops"));
            }
            if mp.hops.is_empty() {
                return Err(KernelError::new(errno::EINVAL));
            }
        }
        let metrics = ip_fib_metrics_init(cfg.mx.as_deref())?;
        let nhs = match &cfg.mp {
            _ if cfg.nh_id != 0 => self.fib_nhs_of_nexthop(ns, cfg.nh_id),
            Some(mp) => Self::fib_get_nhs(cfg, mp)?,
            None => SmallVec::from_elem(
                Self::fib_nh_init(cfg.oif, cfg.gw, cfg.flags, 1, cfg.flow),
                1,
            ),
        };
        let mut fi = FibInfo {
            protocol: cfg.protocol,
            scope: cfg.scope,
            flags: cfg.flags,
            priority: cfg.priority,
            prefsrc: (cfg.prefsrc != 0).then(|| Ipv4Addr::from(cfg.prefsrc)),
            kind: cfg.kind,
            tb_id: cfg.table,
            metrics,
            nhs,
            pfsrc_removed: false,
            nh_id: cfg.nh_id,
        };
        // The IPv6 gateway of each nexthop (fib_nh_gw_family AF_INET6), in nexthop order.
        let gw6 = |i: usize| match &cfg.mp {
            Some(mp) => mp.hops.get(i).and_then(|h| h.via6),
            None => cfg.gw6,
        };
        if fib_props(cfg.kind).0 != 0 {
            if cfg.gw.is_some() || cfg.gw6.is_some() || cfg.oif != 0 || cfg.mp.is_some() {
                return Err(KernelError::new(errno::EINVAL).msg(
                    "Gateway, device and multipath can not be specified for this route type",
                ));
            }
            return Ok(fi);
        }
        if !matches!(
            cfg.kind,
            rtn::UNICAST | rtn::LOCAL | rtn::BROADCAST | rtn::ANYCAST | rtn::MULTICAST
        ) {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid route type"));
        }
        if cfg.scope > scope::HOST {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid scope"));
        }
        if cfg.nh_id != 0 {
            // fib_create_info: a nexthop object is checked as a whole (fib_check_nexthop).
            self.fib_check_nexthop(ns, cfg.nh_id, cfg.scope)?;
        } else if cfg.scope == scope::HOST {
            if fi.nhs.len() != 1 {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Route with host scope can not have multiple nexthops"));
            }
            let nh = &mut fi.nhs[0];
            if nh.gw.is_some() || gw6(0).is_some() {
                return Err(KernelError::new(errno::EINVAL)
                    .msg("Route with host scope can not have a gateway"));
            }
            nh.scope = scope::NOWHERE;
            nh.dev = Some(
                self.dev_of_ifindex(ns, nh.oif)
                    .ok_or_else(|| KernelError::new(errno::ENODEV))?,
            );
        } else {
            let mut linkdown = 0;
            for i in 0..fi.nhs.len() {
                if let Some(g6) = gw6(i) {
                    self.fib_check_nh_v6_gw(ns, &fi.nhs[i], g6, cfg.table)?;
                    return Err(KernelError::not_modelled(
                        "IPv6 gateways of IPv4 routes (RTA_VIA inet6)",
                    ));
                }
                let nh = self.fib_check_nh(ns, &fi.nhs[i], cfg.table, cfg.scope)?;
                if nh.flags & rtnh_f::LINKDOWN != 0 {
                    linkdown += 1;
                }
                fi.nhs[i] = nh;
            }
            if linkdown == fi.nhs.len() {
                fi.flags |= rtnh_f::LINKDOWN;
            }
        }
        if let Some(src) = fi.prefsrc {
            if !self.fib_valid_prefsrc(ns, cfg, u32::from(src)) {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid prefsrc address"));
            }
        }
        Ok(fi)
    }

    /// `fib_valid_prefsrc`: a preferred source must be a local address (in the route's table
    /// or the local table), unless the route is the local route of that address itself.
    fn fib_valid_prefsrc(&self, ns: NetnsId, cfg: &FibConfig, prefsrc: u32) -> bool {
        if cfg.kind != rtn::LOCAL || cfg.dst == 0 || prefsrc != cfg.dst {
            let tb_id = if cfg.table == table::MAIN {
                table::LOCAL
            } else {
                cfg.table
            };
            let mut rc = self.inet_addr_type_table(ns, prefsrc, tb_id);
            if rc != rtn::LOCAL && tb_id != table::LOCAL {
                rc = self.inet_addr_type_table(ns, prefsrc, table::LOCAL);
            }
            if rc != rtn::LOCAL {
                return false;
            }
        }
        true
    }

    /// `fib_check_nh`: an IPv4 nexthop is usable (device up, gateway reachable); fills its
    /// device, scope and RTNH_F_LINKDOWN.
    pub(crate) fn fib_check_nh(&self, ns: NetnsId, nh: &FibNh, tb: u32, sc: u8) -> KResult<FibNh> {
        let mut nh = nh.clone();
        match nh.gw {
            Some(gw) => self.fib_check_nh_v4_gw(ns, &mut nh, u32::from(gw), tb, sc)?,
            None => self.fib_check_nh_nongw(ns, &mut nh)?,
        }
        Ok(nh)
    }

    /// `fib_check_nh_v6_gw`: an IPv6 gateway of an IPv4 route is checked as the nexthop of an
    /// IPv6 route in the same table would be (`fib6_nh_init`).
    fn fib_check_nh_v6_gw(&self, ns: NetnsId, nh: &FibNh, gw: Ipv6Addr, tb: u32) -> KResult<()> {
        let cfg = crate::inet::ip6_route::Fib6Config {
            table: tb,
            flags: nh.flags | super::uapi::rtf::GATEWAY,
            ifindex: nh.oif,
            gateway: gw,
            ..Default::default()
        };
        self.fib6_nh_init(ns, &cfg).map(|_| ())
    }

    /// `fib_check_nh_v4_gw`.
    fn fib_check_nh_v4_gw(
        &self,
        ns: NetnsId,
        nh: &mut FibNh,
        gw: u32,
        tb: u32,
        sc: u8,
    ) -> KResult<()> {
        if nh.flags & rtnh_f::ONLINK != 0 {
            if sc >= scope::LINK {
                return Err(KernelError::new(errno::EINVAL).msg("Nexthop has invalid scope"));
            }
            let dev = self.dev_of_ifindex(ns, nh.oif).ok_or_else(|| {
                KernelError::new(errno::ENODEV).msg("Nexthop device required for onlink")
            })?;
            if !self.dev_up(dev) {
                return Err(KernelError::new(errno::ENETDOWN).msg("Nexthop device is not up"));
            }
            if self.inet_addr_type_dev_table(ns, dev, gw) != rtn::UNICAST {
                return Err(KernelError::new(errno::EINVAL).msg("Nexthop has invalid gateway"));
            }
            if !self.dev(dev).carrier {
                nh.flags |= rtnh_f::LINKDOWN;
            }
            nh.dev = Some(dev);
            nh.scope = scope::LINK;
            return Ok(());
        }
        let fl4 = Flow4 {
            daddr: gw,
            oif: nh.oif,
            scope: (sc + 1).max(scope::LINK),
            dscp: 0,
            ignore_linkstate: true,
        };
        let mut res = None;
        if tb != 0 && tb != table::MAIN && self.fib(ns).is_some_and(|f| f.v4.get(tb).is_some()) {
            res = self.fib_table_lookup(ns, tb, &fl4).ok();
        }
        let res = match res {
            Some(r) => r,
            None => self
                .fib_lookup(ns, &fl4)
                .map_err(|e| KernelError::new(-e).msg("Nexthop has invalid gateway"))?,
        };
        if res.kind != rtn::UNICAST && res.kind != rtn::LOCAL {
            return Err(KernelError::new(errno::EINVAL).msg("Nexthop has invalid gateway"));
        }
        nh.scope = res.scope;
        nh.oif = res.nh.oif;
        let Some(dev) = res.nh.dev else {
            return Err(KernelError::new(errno::EINVAL).msg("No egress device for nexthop gateway"));
        };
        nh.dev = Some(dev);
        if !self.dev(dev).carrier {
            nh.flags |= rtnh_f::LINKDOWN;
        }
        if !self.dev_up(dev) {
            return Err(KernelError::new(errno::ENETDOWN));
        }
        Ok(())
    }

    /// `fib_check_nh_nongw`.
    fn fib_check_nh_nongw(&self, ns: NetnsId, nh: &mut FibNh) -> KResult<()> {
        if nh.flags & (rtnh_f::PERVASIVE | rtnh_f::ONLINK) != 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid flags for nexthop - PERVASIVE and ONLINK can not be set"));
        }
        let dev = self
            .dev_of_ifindex(ns, nh.oif)
            .filter(|d| self.in_dev_present(*d))
            .ok_or_else(|| KernelError::new(errno::ENODEV))?;
        if !self.dev_up(dev) {
            return Err(KernelError::new(errno::ENETDOWN).msg("Device for nexthop is not up"));
        }
        nh.dev = Some(dev);
        nh.scope = scope::HOST;
        if !self.dev(dev).carrier {
            nh.flags |= rtnh_f::LINKDOWN;
        }
        Ok(())
    }

    /// `__inet_dev_addr_type` with no device: the type of `addr` in table `tb_id`.
    pub fn inet_addr_type_table(&self, ns: NetnsId, addr: u32, tb_id: u32) -> u8 {
        self.inet_dev_addr_type_in(ns, None, addr, tb_id)
    }

    /// `inet_addr_type_dev_table`: the type in the device's l3mdev table or local.
    pub fn inet_addr_type_dev_table(&self, ns: NetnsId, dev: DevId, addr: u32) -> u8 {
        let tb = self.l3mdev_fib_table(dev).unwrap_or(table::LOCAL);
        self.inet_dev_addr_type_in(ns, None, addr, tb)
    }

    /// `__inet_dev_addr_type`.
    fn inet_dev_addr_type_in(&self, ns: NetnsId, dev: Option<DevId>, addr: u32, tb: u32) -> u8 {
        let a = Ipv4Addr::from(addr);
        if addr == 0 || a.is_broadcast() {
            return rtn::BROADCAST;
        }
        if a.is_multicast() {
            return rtn::MULTICAST;
        }
        if self.fib(ns).is_none_or(|f| f.v4.get(tb).is_none()) {
            return rtn::BROADCAST;
        }
        let fl4 = Flow4 {
            daddr: addr,
            ..Flow4::default()
        };
        match self.fib_table_lookup(ns, tb, &fl4) {
            Ok(res) if dev.is_none() || res.nh.dev == dev => res.kind,
            _ => rtn::UNICAST,
        }
    }

    /// `netif_is_l3_master`: the device is an L3 master (its kind has an l3mdev table).
    pub fn netif_is_l3_master(&self, dev: DevId) -> bool {
        self.try_dev(dev)
            .is_some_and(|d| d.kind.ops().l3mdev_fib_table(d).is_some())
    }

    /// The `upper_dev` of a NETDEV_CHANGEUPPER when it is an L3 master: the master whose port
    /// state the device carries (set before the upper link, cleared after the unlink, as
    /// `do_vrf_add_slave` / `do_vrf_del_slave` order IFF_L3MDEV_SLAVE around it).
    pub fn l3mdev_upper(&self, dev: DevId) -> Option<DevId> {
        let (master, _) = self.try_dev(dev)?.port.as_ref()?.master();
        self.netif_is_l3_master(master).then_some(master)
    }

    /// `l3mdev_fib_table` (net/l3mdev/l3mdev.c): the table of the L3 master the device is
    /// (`netif_is_l3_master`) or is a port of (`netif_is_l3_slave`: the port state the master
    /// set before linking, then that master's table). None for table 0 (no L3 master).
    pub fn l3mdev_fib_table(&self, dev: DevId) -> Option<u32> {
        let d = self.try_dev(dev)?;
        let own = d.kind.ops().l3mdev_fib_table(d);
        let tb = match (own, d.port.as_ref()) {
            (Some(tb), _) => tb,
            (None, Some(port)) => {
                let (master, kind) = port.master();
                kind.ops().l3mdev_fib_table(self.try_dev(master)?)?
            }
            (None, None) => return None,
        };
        (tb != 0).then_some(tb)
    }

    /// `fib_table_lookup`: the longest prefix of table `tb` (local and main together) that
    /// a flow may use, or the negative errno of an error route / -EAGAIN for none.
    pub fn fib_table_lookup(&self, ns: NetnsId, tb: u32, fl4: &Flow4) -> Result<FibResult, i32> {
        let Some(fib) = self.fib(ns) else {
            return Err(-rt_errno::EAGAIN);
        };
        Self::fib_trie_lookup(&fib.v4.lookup_set(tb), fl4)
    }

    /// The longest-prefix walk of `fib_table_lookup` over the given tables (one table, or
    /// local and main while they share a trie).
    pub(crate) fn fib_trie_lookup(
        tables: &[&super::table::FibTable],
        fl4: &Flow4,
    ) -> Result<FibResult, i32> {
        for plen in (0..=32u8).rev() {
            if !tables.iter().any(|t| t.trie.has_plen(plen)) {
                continue;
            }
            let dst = fl4.daddr & crate::inet::ifaddr::prefix_mask_v4(plen);
            for t in tables {
                for fa in t.trie.aliases(dst, plen) {
                    if fa.dscp != 0 && fa.dscp & 0xfc != fl4.dscp & 0xfc {
                        continue;
                    }
                    if fa.info.scope < fl4.scope {
                        continue;
                    }
                    let err = fib_props(fa.kind).0;
                    if err < 0 {
                        return Err(err);
                    }
                    if fa.info.dead() {
                        continue;
                    }
                    for nh in &fa.info.nhs {
                        if nh.flags & rtnh_f::DEAD != 0 {
                            continue;
                        }
                        if fl4.oif != 0 && fl4.oif != nh.oif {
                            continue;
                        }
                        return Ok(FibResult {
                            prefix: dst,
                            prefixlen: plen,
                            kind: fa.kind,
                            scope: fa.info.scope,
                            table: t.id,
                            nh: nh.clone(),
                            prefsrc: fa.info.prefsrc,
                        });
                    }
                }
            }
        }
        Err(-rt_errno::EAGAIN)
    }

    /// `fib_lookup` without custom rules: main (with local), then default.
    pub fn fib_lookup(&self, ns: NetnsId, fl4: &Flow4) -> Result<FibResult, i32> {
        let has = |t: u32| self.fib(ns).is_some_and(|f| f.v4.get(t).is_some());
        let mut err = -rt_errno::EAGAIN;
        if has(table::MAIN) {
            match self.fib_table_lookup(ns, table::MAIN, fl4) {
                Ok(r) => return Ok(r),
                Err(e) => err = e,
            }
        }
        if err != -rt_errno::EAGAIN {
            return Err(err);
        }
        if has(table::DEFAULT) {
            match self.fib_table_lookup(ns, table::DEFAULT, fl4) {
                Ok(r) => return Ok(r),
                Err(e) => err = e,
            }
        }
        if err == -rt_errno::EAGAIN {
            err = -rt_errno::ENETUNREACH;
        }
        Err(err)
    }
}

/// `fib_nh_match`: 0 when the delete request's nexthop description fits the route.
pub fn fib_nh_match(cfg: &FibConfig, fi: &FibInfo) -> i32 {
    if cfg.priority != 0 && cfg.priority != fi.priority {
        return 1;
    }
    // fib_nh_match: a nexthop object matches by id only.
    if cfg.nh_id != 0 {
        return i32::from(cfg.nh_id != fi.nh_id);
    }
    if fi.nh_id != 0 {
        if cfg.oif != 0 || cfg.gw.is_some() || cfg.mp.is_some() {
            return 1;
        }
        return 0;
    }
    if cfg.oif != 0 || cfg.gw.is_some() {
        let nh = &fi.nhs[0];
        if cfg.flow != 0 && cfg.flow != nh.flow {
            return 1;
        }
        if (cfg.oif != 0 && cfg.oif != nh.oif) || (cfg.gw.is_some() && nh.gw.is_none()) {
            return 1;
        }
        if cfg.gw.is_some() && cfg.gw != nh.gw {
            return 1;
        }
        return 0;
    }
    let Some(mp) = &cfg.mp else { return 0 };
    for (nh, r) in fi.nhs.iter().zip(mp.hops.iter()) {
        if r.ifindex != 0 && r.ifindex != nh.oif {
            return 1;
        }
        match r.gateway {
            Some(Err(ShortAttr)) => return -errno::EINVAL,
            Some(Ok(g)) if nh.gw != Some(g) => return 1,
            _ => {}
        }
        if let Some(Ok(f)) = r.flow {
            if f != nh.flow {
                return 1;
            }
        }
    }
    if mp.hops.len() < fi.nhs.len() {
        // rtnh_ok fails before every nexthop of the route was compared.
        return -errno::EINVAL;
    }
    0
}
