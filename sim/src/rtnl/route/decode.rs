//! Requests to model configs: `rtm_to_fib_config` (net/ipv4/fib_frontend.c) and
//! `rtm_to_fib6_config` (net/ipv6/route.c), with their checks in the kernel's order. The
//! semantic checks (devices, gateways, tables) are the model's.

use super::policy::*;
use crate::wire::attrs::Attrs;
use crate::wire::extack::ExtAck;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::raw::{NlaIter, RawMessage, RawNla};
use kernel_model::inet::fib::semantics::{
    FibConfig, MetricCfg, MultipathCfg, NlInfo, RtnhCfg, ShortAttr,
};
use kernel_model::inet::fib::uapi::{pref, rtf, rtn, rtnh_f, table};
use kernel_model::inet::ip6_route::{Fib6Config, Rtnh6Cfg};
use kernel_model::uapi::errno;
use std::net::{Ipv4Addr, Ipv6Addr};

/// `sizeof(struct rtmsg)`.
pub const RTMSG_LEN: usize = 12;

/// `struct rtmsg`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RtMsg {
    pub family: u8,
    pub dst_len: u8,
    pub src_len: u8,
    pub tos: u8,
    pub table: u8,
    pub protocol: u8,
    pub scope: u8,
    pub kind: u8,
    pub flags: u32,
}

impl RtMsg {
    /// The header of a request long enough to hold one (`nlmsg_data`); missing bytes read
    /// as zero, as the kernel reads whatever follows.
    pub fn parse(msg: &RawMessage<'_>) -> Self {
        let p = msg.payload();
        let b = |i: usize| p.get(i).copied().unwrap_or(0);
        RtMsg {
            family: b(0),
            dst_len: b(1),
            src_len: b(2),
            tos: b(3),
            table: b(4),
            protocol: b(5),
            scope: b(6),
            kind: b(7),
            flags: u32::from_ne_bytes([b(8), b(9), b(10), b(11)]),
        }
    }
}

/// A decode error: errno and extack, offsets already resolved.
pub type DecodeErr = (i32, ExtAck);

fn einval(msg: &str) -> DecodeErr {
    (errno::EINVAL, ExtAck::msg(msg))
}

fn u32_of(v: &[u8]) -> u32 {
    v.get(..4)
        .map_or(0, |b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// `lwtunnel_valid_encap_type` / `_attr`: nlsim models no lightweight tunnel.
fn refuse_encap() -> DecodeErr {
    (
        errno::EOPNOTSUPP,
        ExtAck::msg("nlsim: RTA_ENCAP_TYPE (lightweight tunnel encapsulation) not modelled"),
    )
}

/// The RTA_METRICS nest: each metric's type and u32 value.
fn metrics_of(msg: &[u8], nla: &RawNla<'_>) -> Vec<MetricCfg> {
    NlaIter::nested(msg, nla)
        .map(|a| MetricCfg {
            kind: a.kind,
            value: (a.value.len() == 4).then(|| u32_of(a.value)),
            // nla_strscpy: up to the first NUL.
            text: Some(
                String::from_utf8_lossy(a.value.split(|b| *b == 0).next().unwrap_or(&[]))
                    .into_owned(),
            ),
        })
        .collect()
}

/// The `struct rtnexthop`s of RTA_MULTIPATH (`rtnh_ok` / `rtnh_next`), each with its
/// attributes, and whether bytes were left over.
fn rtnexthops<'a>(msg: &'a [u8], nla: &RawNla<'a>) -> (Vec<(u8, u8, u32, NlaIter<'a>)>, bool) {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let data = nla.value;
    let base = nla.value_offset();
    loop {
        let remaining = data.len().saturating_sub(pos);
        if remaining < RTNH_LEN as usize {
            return (out, remaining > 0);
        }
        let h = &data[pos..pos + RTNH_LEN as usize];
        let len = u16::from_ne_bytes([h[0], h[1]]) as usize;
        if len < RTNH_LEN as usize || len > remaining {
            return (out, true);
        }
        let ifindex = u32::from_ne_bytes([h[4], h[5], h[6], h[7]]);
        let attrs = NlaIter::new(msg, base + pos + 8, base + pos + len);
        out.push((h[2], h[3], ifindex, attrs));
        pos += (len + 3) & !3;
    }
}

/// `nla_find`: the first attribute of a type.
fn find<'a>(it: &NlaIter<'a>, kind: u16) -> Option<RawNla<'a>> {
    it.clone().find(|a| a.kind == kind)
}

/// RTA_MULTIPATH of an IPv4 request (`fib_count_nexthops`, and what `fib_get_nhs` reads).
fn multipath_v4(msg: &[u8], nla: &RawNla<'_>) -> Result<MultipathCfg, DecodeErr> {
    let (hops, trailing) = rtnexthops(msg, nla);
    let mut out = MultipathCfg {
        hops: Vec::new(),
        trailing,
    };
    for (flags, hops, ifindex, attrs) in hops {
        if find(&attrs, RTA_ENCAP_TYPE).is_some() {
            return Err(refuse_encap());
        }
        out.hops.push(RtnhCfg {
            flags,
            hops,
            ifindex,
            gateway: find(&attrs, RTA_GATEWAY).map(|g| {
                if g.value.len() < 4 {
                    Err(ShortAttr)
                } else {
                    Ok(Ipv4Addr::new(
                        g.value[0], g.value[1], g.value[2], g.value[3],
                    ))
                }
            }),
            via: find(&attrs, RTA_VIA).is_some(),
            via6: find(&attrs, RTA_VIA).and_then(|v| match fib_gw_from_via(v.value) {
                Ok(Via::V6(a)) => Some(a),
                _ => None,
            }),
            flow: find(&attrs, RTA_FLOW).map(|f| {
                if f.value.len() < 4 {
                    Err(ShortAttr)
                } else {
                    Ok(u32_of(f.value))
                }
            }),
            encap: find(&attrs, RTA_ENCAP).is_some(),
        });
    }
    Ok(out)
}

fn in6(v: &[u8]) -> Option<Ipv6Addr> {
    let b: [u8; 16] = v.get(..16)?.try_into().ok()?;
    Some(Ipv6Addr::from(b))
}

/// RTA_MULTIPATH of an IPv6 request.
fn multipath_v6(msg: &[u8], nla: &RawNla<'_>) -> Result<Vec<Rtnh6Cfg>, DecodeErr> {
    let (hops, _) = rtnexthops(msg, nla);
    let mut out = Vec::new();
    for (flags, hops, ifindex, attrs) in hops {
        if find(&attrs, RTA_ENCAP_TYPE).is_some() {
            return Err(refuse_encap());
        }
        out.push(Rtnh6Cfg {
            flags,
            hops,
            ifindex,
            gateway: find(&attrs, RTA_GATEWAY).map(|g| in6(g.value).ok_or(ShortAttr)),
            encap: find(&attrs, RTA_ENCAP).is_some(),
        });
    }
    Ok(out)
}

/// `rtm_to_fib_config`.
pub fn rtm_to_fib_config(msg: &RawMessage<'_>) -> Result<(FibConfig, Option<String>), DecodeErr> {
    let (_, validated) = nlattr::parse(
        msg.bytes,
        RTMSG_LEN,
        &RTM_IPV4_POLICY,
        ValidateMode::Liberal,
    )
    .map_err(|e| (e.errno, e.extack))?;
    let warning = validated.warning.map(|w| w.to_string());
    let rtm = RtMsg::parse(msg);
    // inet_validate_dscp: the ECN bits of the dsfield must be 0.
    if rtm.tos & 0x03 != 0 {
        return Err(einval("Invalid dsfield (tos): ECN bits must be 0"));
    }
    let mut cfg = FibConfig {
        dscp: rtm.tos,
        dst_len: rtm.dst_len,
        table: rtm.table as u32,
        protocol: rtm.protocol,
        scope: rtm.scope,
        kind: rtm.kind,
        flags: rtm.flags,
        nlflags: msg.header.flags,
        nlinfo: NlInfo { from_request: true },
        ..FibConfig::default()
    };
    if cfg.kind > rtn::MAX {
        return Err(einval("Invalid route type"));
    }
    let (mut has_gw, mut has_via, mut encap) = (false, false, false);
    // nlmsg_for_each_attr: every attribute in order, the last of a type winning.
    for a in crate::wire::raw::attrs(msg.bytes, RTMSG_LEN) {
        match a.kind {
            RTA_DST => cfg.dst = u32::from_be_bytes(be4(a.value)),
            RTA_OIF => cfg.oif = u32_of(a.value),
            RTA_GATEWAY => {
                has_gw = true;
                let g = u32::from_be_bytes(be4(a.value));
                cfg.gw = (g != 0).then(|| Ipv4Addr::from(g));
            }
            RTA_VIA => {
                has_via = true;
                match fib_gw_from_via(a.value)? {
                    Via::V4(g) => cfg.gw = Some(g),
                    Via::V6(g) => cfg.gw6 = Some(g),
                }
            }
            RTA_PRIORITY => cfg.priority = u32_of(a.value),
            RTA_PREFSRC => cfg.prefsrc = u32::from_be_bytes(be4(a.value)),
            RTA_METRICS => cfg.mx = Some(metrics_of(msg.bytes, &a)),
            RTA_MULTIPATH => cfg.mp = Some(multipath_v4(msg.bytes, &a)?),
            RTA_FLOW => cfg.flow = u32_of(a.value),
            RTA_TABLE => cfg.table = u32_of(a.value),
            RTA_ENCAP => encap = true,
            RTA_ENCAP_TYPE => return Err(refuse_encap()),
            RTA_NH_ID => cfg.nh_id = u32_of(a.value),
            _ => {}
        }
    }
    if cfg.dst_len > 32 {
        return Err(einval("Invalid prefix length"));
    }
    if cfg.dst_len < 32 && cfg.dst << cfg.dst_len != 0 {
        return Err(einval("Invalid prefix for given prefix length"));
    }
    if cfg.nh_id != 0 && (cfg.oif != 0 || cfg.gw.is_some() || encap || cfg.mp.is_some()) {
        return Err(einval(
            "Nexthop specification and nexthop id are mutually exclusive",
        ));
    }
    if has_gw && has_via {
        return Err(einval(
            "Nexthop configuration can not contain both GATEWAY and VIA",
        ));
    }
    if encap {
        return Err((
            errno::EOPNOTSUPP,
            ExtAck::msg("nlsim: RTA_ENCAP (lightweight tunnels) not modelled"),
        ));
    }
    if cfg.table == 0 {
        cfg.table = table::MAIN;
    }
    Ok((cfg, warning))
}

fn be4(v: &[u8]) -> [u8; 4] {
    let mut b = [0u8; 4];
    for (d, s) in b.iter_mut().zip(v.iter()) {
        *d = *s;
    }
    b
}

/// The gateway RTA_VIA names (`struct rtvia`).
enum Via {
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

/// `fib_gw_from_via`: RTA_VIA of an IPv4 route.
fn fib_gw_from_via(v: &[u8]) -> Result<Via, DecodeErr> {
    if v.len() < 2 {
        return Err(einval("Invalid attribute length for RTA_VIA"));
    }
    let family = u16::from_ne_bytes([v[0], v[1]]);
    let addr = &v[2..];
    match family {
        2 => {
            if addr.len() != 4 {
                return Err(einval("Invalid IPv4 address in RTA_VIA"));
            }
            Ok(Via::V4(Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3])))
        }
        10 => {
            let a: [u8; 16] = addr
                .try_into()
                .map_err(|_| einval("Invalid IPv6 address in RTA_VIA"))?;
            Ok(Via::V6(Ipv6Addr::from(a)))
        }
        _ => Err(einval("Unsupported address family in RTA_VIA")),
    }
}

/// `rtm_to_fib6_config`.
pub fn rtm_to_fib6_config(msg: &RawMessage<'_>) -> Result<(Fib6Config, Option<String>), DecodeErr> {
    let (tb, validated) = nlattr::parse(
        msg.bytes,
        RTMSG_LEN,
        &RTM_IPV6_POLICY,
        ValidateMode::Liberal,
    )
    .map_err(|e| (e.errno, e.extack))?;
    let rtm = RtMsg::parse(msg);
    if rtm.tos != 0 {
        return Err(einval(
            "Invalid dsfield (tos): option not available for IPv6",
        ));
    }
    let mut cfg = Fib6Config {
        table: rtm.table as u32,
        dst_len: rtm.dst_len,
        src_len: rtm.src_len,
        flags: rtf::UP,
        protocol: rtm.protocol,
        kind: rtm.kind,
        nlflags: Some(msg.header.flags),
        ..Fib6Config::default()
    };
    if matches!(
        rtm.kind,
        rtn::UNREACHABLE | rtn::BLACKHOLE | rtn::PROHIBIT | rtn::THROW
    ) {
        cfg.flags |= rtf::REJECT;
    }
    if rtm.kind == rtn::LOCAL {
        cfg.flags |= rtf::LOCAL;
    }
    if rtm.flags & rtnh_f::RTM_CLONED != 0 {
        cfg.flags |= rtf::CACHE;
    }
    cfg.flags |= rtm.flags & rtnh_f::ONLINK;
    if let Some(id) = tb.u32(RTA_NH_ID) {
        if tb.has(RTA_GATEWAY) || tb.has(RTA_OIF) || tb.has(RTA_MULTIPATH) || tb.has(RTA_ENCAP) {
            return Err(einval(
                "Nexthop specification and nexthop id are mutually exclusive",
            ));
        }
        cfg.nh_id = id;
    }
    if let Some(g) = tb.get(RTA_GATEWAY).and_then(|a| in6(a.value)) {
        cfg.gateway = g;
        cfg.flags |= rtf::GATEWAY;
    }
    if tb.has(RTA_VIA) {
        return Err(einval("IPv6 does not support RTA_VIA attribute"));
    }
    if let Some(a) = tb.get(RTA_DST) {
        let plen = (rtm.dst_len as usize + 7) >> 3;
        if a.value.len() < plen {
            return Err((errno::EINVAL, ExtAck::default()));
        }
        cfg.dst = prefix_bytes(a.value, plen);
    }
    if let Some(a) = tb.get(RTA_SRC) {
        let plen = (rtm.src_len as usize + 7) >> 3;
        if a.value.len() < plen {
            return Err((errno::EINVAL, ExtAck::default()));
        }
        cfg.src = prefix_bytes(a.value, plen);
    }
    if let Some(p) = tb.get(RTA_PREFSRC).and_then(|a| in6(a.value)) {
        cfg.prefsrc = p;
    }
    if let Some(o) = tb.u32(RTA_OIF) {
        cfg.ifindex = o;
    }
    if let Some(p) = tb.u32(RTA_PRIORITY) {
        cfg.metric = p;
    }
    if let Some(a) = tb.get(RTA_METRICS) {
        cfg.mx = Some(metrics_of(msg.bytes, &a));
    }
    if let Some(t) = tb.u32(RTA_TABLE) {
        cfg.table = t;
    }
    if let Some(a) = tb.get(RTA_MULTIPATH) {
        cfg.mp = Some(multipath_v6(msg.bytes, &a)?);
    }
    if let Some(p) = tb.u8(RTA_PREF) {
        let p = if p != pref::LOW && p != pref::HIGH {
            pref::MEDIUM
        } else {
            p
        };
        cfg.flags |= rtf::pref(p);
    }
    if tb.has(RTA_ENCAP) {
        cfg.encap = true;
    }
    if tb.has(RTA_ENCAP_TYPE) {
        return Err(refuse_encap());
    }
    if let Some(e) = tb.u32(RTA_EXPIRES) {
        // addrconf_timeout_fixup + addrconf_finite_timeout: 0xffffffff is forever.
        if e != u32::MAX {
            cfg.expires = e as u64 * 100;
            cfg.flags |= rtf::EXPIRES;
        }
    }
    Ok((cfg, validated.warning.map(|w| w.to_string())))
}

/// `nla_memcpy(&cfg->fc_dst, nla, plen)`: the first bytes of the address.
fn prefix_bytes(v: &[u8], plen: usize) -> Ipv6Addr {
    let mut b = [0u8; 16];
    for (d, s) in b.iter_mut().zip(v.iter().take(plen.min(v.len()))) {
        *d = *s;
    }
    Ipv6Addr::from(b)
}

/// `ip_valid_fib_dump_req`: the strict dump request's header checks and filter attributes.
pub fn ip_valid_fib_dump_req(
    msg: &RawMessage<'_>,
    resolve_oif: impl Fn(u32) -> Option<kernel_model::DevId>,
) -> Result<kernel_model::inet::fib::frontend::FibDumpFilter, DecodeErr> {
    use kernel_model::inet::fib::frontend::FibDumpFilter;
    if msg.payload().len() < RTMSG_LEN {
        return Err(einval("Invalid header for FIB dump request"));
    }
    let rtm = RtMsg::parse(msg);
    if rtm.dst_len != 0 || rtm.src_len != 0 || rtm.tos != 0 || rtm.scope != 0 {
        return Err(einval("Invalid values in header for FIB dump request"));
    }
    if rtm.flags & !(rtnh_f::RTM_CLONED | rtnh_f::RTM_PREFIX) != 0 {
        return Err(einval("Invalid flags for FIB dump request"));
    }
    let mut f = FibDumpFilter::all();
    if rtm.flags & rtnh_f::RTM_CLONED != 0 {
        f.dump_routes = false;
    } else {
        f.dump_exceptions = false;
    }
    f.prefix = rtm.flags & rtnh_f::RTM_PREFIX != 0;
    f.protocol = rtm.protocol;
    f.rt_type = rtm.kind;
    f.table_id = rtm.table as u32;
    let (tb, _) = nlattr::parse(
        msg.bytes,
        RTMSG_LEN,
        &RTM_IPV4_POLICY,
        ValidateMode::DeprecatedStrict,
    )
    .map_err(|e| (e.errno, e.extack))?;
    let tb: Attrs<'_> = tb;
    for a in tb.by_type() {
        match a.kind {
            RTA_TABLE => f.table_id = u32_of(a.value),
            RTA_OIF => {
                f.dev =
                    Some(resolve_oif(u32_of(a.value)).ok_or((errno::ENODEV, ExtAck::default()))?);
            }
            _ => {
                return Err((
                    errno::EINVAL,
                    ExtAck {
                        msg: Some("Unsupported attribute in dump request".into()),
                        ..ExtAck::default()
                    },
                ))
            }
        }
    }
    if rtm.flags != 0 || f.protocol != 0 || f.rt_type != 0 || f.table_id != 0 || f.dev.is_some() {
        f.filter_set = true;
    }
    Ok(f)
}
