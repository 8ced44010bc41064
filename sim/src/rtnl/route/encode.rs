//! A route as bytes: `fib_dump_info` (IPv4) and `rt6_fill_node` (IPv6) attribute orders,
//! from the model's [`RouteView`], written straight into the output buffer (one encoder for
//! dumps, `ip route get` answers and notifications).

use super::policy::*;
use crate::wire::writer::MsgWriter;
use kernel_model::inet::fib::semantics::tcp_ca_name;
use kernel_model::inet::fib::uapi::{rtax::CC_ALGO as RTAX_CC_ALGO, table};
use kernel_model::inet::fib::view::{NhView, RouteView, AF_INET};
use kernel_model::LinkMsg;
use std::net::IpAddr;

pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;

/// `AF_INET6`, the family of `struct rtvia` for an IPv6 gateway.
const AF_INET6: u16 = 10;

/// `rtnetlink_put_metrics`: a nest of the non-zero metrics, cancelled when none was put.
pub(super) fn put_metrics(m: &mut MsgWriter<'_>, metrics: &[(u16, u32)]) {
    if metrics.is_empty() {
        return;
    }
    let nest = m.nest_start(RTA_METRICS);
    let mut valid = 0;
    for &(t, v) in metrics {
        if t == RTAX_CC_ALGO {
            // The algorithm by name (nla_put_string), skipped when the key has none.
            let Some(name) = tcp_ca_name(v) else { continue };
            m.put_str(t, name);
        } else {
            m.put_u32(t, v);
        }
        valid += 1;
    }
    if valid == 0 {
        m.nest_cancel(nest);
    } else {
        m.nest_end(nest);
    }
}

/// `fib_nexthop_info`'s gateway: RTA_GATEWAY in the route's own family, else RTA_VIA
/// (`struct rtvia`: an IPv6 gateway of an IPv4 route).
fn put_gateway(m: &mut MsgWriter<'_>, route_family: u8, g: &IpAddr) {
    match g {
        IpAddr::V6(a) if route_family == AF_INET => {
            let mut via = [0u8; 18];
            via[..2].copy_from_slice(&AF_INET6.to_ne_bytes());
            via[2..].copy_from_slice(&a.octets());
            m.put(RTA_VIA, &via);
        }
        _ => m.put_ip(RTA_GATEWAY, g),
    }
}

/// `fib_add_nexthop` for each nexthop (a `struct rtnexthop` and its attributes), in an
/// RTA_MULTIPATH nest.
fn put_multipath(m: &mut MsgWriter<'_>, route_family: u8, nhs: &[NhView]) {
    let mp = m.nest_start(RTA_MULTIPATH);
    for nh in nhs {
        let rtnh = m.len_start();
        m.bytes(&[0, 0, nh.flags, nh.hops]);
        m.bytes(&nh.ifindex.to_ne_bytes());
        if let Some(g) = &nh.gateway {
            put_gateway(m, route_family, g);
        }
        if nh.flow != 0 {
            m.put_u32(RTA_FLOW, nh.flow);
        }
        m.len_end(rtnh);
    }
    m.nest_end(mp);
}

/// `struct rtmsg`: `rtm_table` is the table id, or RT_TABLE_COMPAT above 255.
fn rtmsg(v: &RouteView) -> [u8; 12] {
    let rtm_table = if v.table < 256 {
        v.table as u8
    } else {
        table::COMPAT as u8
    };
    let f = v.flags.to_ne_bytes();
    [
        v.family, v.dst_len, v.src_len, v.tos, rtm_table, v.protocol, v.scope, v.kind, f[0], f[1],
        f[2], f[3],
    ]
}

/// `fib_dump_info`'s attributes after RTA_DST.
fn put_inet(m: &mut MsgWriter<'_>, v: &RouteView) {
    if v.priority != 0 {
        m.put_u32(RTA_PRIORITY, v.priority);
    }
    put_metrics(m, &v.metrics);
    m.put_ip_opt(RTA_PREFSRC, v.prefsrc.as_ref());
    put_nexthops(m, v);
}

/// The paths, as both families put them: RTA_NH_ID (the nexthop object), then
/// (nexthop_compat_mode) RTA_MULTIPATH, or one path's gateway, device and (IPv4) realm.
fn put_nexthops(m: &mut MsgWriter<'_>, v: &RouteView) {
    if v.nh_id != 0 {
        m.put_u32(RTA_NH_ID, v.nh_id);
    }
    if v.multipath {
        put_multipath(m, v.family, &v.nhs);
    } else if let Some(nh) = v.nhs.first() {
        if let Some(g) = &nh.gateway {
            put_gateway(m, v.family, g);
        }
        if nh.ifindex != 0 {
            m.put_u32(RTA_OIF, nh.ifindex);
        }
        // fib_nexthop_info: RTA_FLOW is IPv4's nh_tclassid (rt6_fill_node has none).
        if v.family == AF_INET && nh.flow != 0 {
            m.put_u32(RTA_FLOW, nh.flow);
        }
    }
}

/// `rt6_fill_node`'s attributes after RTA_DST.
fn put_inet6(m: &mut MsgWriter<'_>, v: &RouteView) {
    m.put_ip_opt(RTA_SRC, v.src.as_ref());
    m.put_ip_opt(RTA_PREFSRC, v.prefsrc.as_ref());
    put_metrics(m, &v.metrics);
    m.put_u32(RTA_PRIORITY, v.priority);
    put_nexthops(m, v);
    let (expires, pref) = v.v6.map_or((0, 0), |x| (x.expires, x.pref));
    // rtnl_put_cacheinfo(skb, NULL, 0, expires, 0): struct rta_cacheinfo, only rta_expires set.
    let mut ci = [0u8; 32];
    ci[8..12].copy_from_slice(&expires.to_ne_bytes());
    m.put(RTA_CACHEINFO, &ci);
    m.put_u8(RTA_PREF, pref);
}

/// Appends one RTM_NEWROUTE / RTM_DELROUTE message to `out`; returns its length.
pub fn encode_into(
    out: &mut Vec<u8>,
    v: &RouteView,
    msg: LinkMsg,
    flags: u16,
    seq: u32,
    portid: u32,
) -> usize {
    let kind = if msg == LinkMsg::New {
        RTM_NEWROUTE
    } else {
        RTM_DELROUTE
    };
    let mut m = MsgWriter::begin(out, kind, flags, seq, portid);
    m.bytes(&rtmsg(v));
    m.put_u32(RTA_TABLE, v.table);
    if v.dst_len != 0 {
        m.put_ip(RTA_DST, &v.dst);
    }
    if v.family == AF_INET {
        put_inet(&mut m, v);
    } else {
        put_inet6(&mut m, v);
    }
    m.finish()
}

/// One RTM_NEWROUTE / RTM_DELROUTE message.
pub fn encode(v: &RouteView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    encode_into(&mut out, v, msg, flags, seq, portid);
    out
}
