//! A route as bytes: `fib_dump_info` (IPv4) and `rt6_fill_node` (IPv6) attribute orders,
//! from the model's [`RouteView`].

use super::policy::*;
use crate::wire::consts::NLMSG_HDRLEN;
use crate::wire::raw::{put_attr, NlHeader};
use kernel_model::inet::fib::semantics::tcp_ca_name;
use kernel_model::inet::fib::uapi::{rtax::CC_ALGO as RTAX_CC_ALGO, table};
use kernel_model::inet::fib::view::{NhView, RouteView, AF_INET};
use kernel_model::LinkMsg;
use std::net::IpAddr;

pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;

fn ip_bytes(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    }
}

/// `rtnetlink_put_metrics`: a nest of the non-zero metrics, none at all when every one is 0.
pub(super) fn put_metrics(out: &mut Vec<u8>, m: &[(u16, u32)]) {
    if m.is_empty() {
        return;
    }
    let mut nest = Vec::new();
    for (t, v) in m {
        if *t == RTAX_CC_ALGO {
            // The algorithm by name (nla_put_string), skipped when the key has none.
            if let Some(name) = tcp_ca_name(*v) {
                let mut b = name.as_bytes().to_vec();
                b.push(0);
                put_attr(&mut nest, *t, &b);
            }
            continue;
        }
        put_attr(&mut nest, *t, &v.to_ne_bytes());
    }
    put_attr(out, RTA_METRICS, &nest);
}

/// `fib_nexthop_info`'s gateway: RTA_GATEWAY in the route's own family, else RTA_VIA
/// (`struct rtvia`: an IPv6 gateway of an IPv4 route).
fn put_gateway(out: &mut Vec<u8>, route_family: u8, g: &IpAddr) {
    match g {
        IpAddr::V6(a) if route_family == AF_INET => {
            let mut via = 10u16.to_ne_bytes().to_vec();
            via.extend_from_slice(&a.octets());
            put_attr(out, RTA_VIA, &via);
        }
        _ => put_attr(out, RTA_GATEWAY, &ip_bytes(g)),
    }
}

/// `fib_add_nexthop` for each nexthop, in an RTA_MULTIPATH nest.
fn put_multipath(out: &mut Vec<u8>, route_family: u8, nhs: &[NhView]) {
    let mut mp = Vec::new();
    for nh in nhs {
        let mut attrs = Vec::new();
        if let Some(g) = &nh.gateway {
            put_gateway(&mut attrs, route_family, g);
        }
        if nh.flow != 0 {
            put_attr(&mut attrs, RTA_FLOW, &nh.flow.to_ne_bytes());
        }
        let len = 8 + attrs.len();
        mp.extend_from_slice(&(len as u16).to_ne_bytes());
        mp.push(nh.flags);
        mp.push(nh.hops);
        mp.extend_from_slice(&nh.ifindex.to_ne_bytes());
        mp.extend_from_slice(&attrs);
    }
    put_attr(out, RTA_MULTIPATH, &mp);
}

/// The attributes of `v` in the kernel's order for its family.
fn body(v: &RouteView) -> Vec<u8> {
    let mut out = Vec::new();
    let rtm_table = if v.table < 256 {
        v.table as u8
    } else {
        table::COMPAT as u8
    };
    out.push(v.family);
    out.push(v.dst_len);
    out.push(v.src_len);
    out.push(v.tos);
    out.push(rtm_table);
    out.push(v.protocol);
    out.push(v.scope);
    out.push(v.kind);
    out.extend_from_slice(&v.flags.to_ne_bytes());
    put_attr(&mut out, RTA_TABLE, &v.table.to_ne_bytes());
    if v.dst_len != 0 {
        put_attr(&mut out, RTA_DST, &ip_bytes(&v.dst));
    }
    if v.family == AF_INET {
        // fib_dump_info.
        if v.priority != 0 {
            put_attr(&mut out, RTA_PRIORITY, &v.priority.to_ne_bytes());
        }
        put_metrics(&mut out, &v.metrics);
        if let Some(p) = &v.prefsrc {
            put_attr(&mut out, RTA_PREFSRC, &ip_bytes(p));
        }
        if v.nh_id != 0 {
            // fib_dump_info: the nexthop object, then (nexthop_compat_mode) its paths.
            put_attr(&mut out, RTA_NH_ID, &v.nh_id.to_ne_bytes());
        }
        if v.multipath {
            put_multipath(&mut out, v.family, &v.nhs);
        } else if let Some(nh) = v.nhs.first() {
            if let Some(g) = &nh.gateway {
                put_gateway(&mut out, v.family, g);
            }
            if nh.ifindex != 0 {
                put_attr(&mut out, RTA_OIF, &nh.ifindex.to_ne_bytes());
            }
            if nh.flow != 0 {
                put_attr(&mut out, RTA_FLOW, &nh.flow.to_ne_bytes());
            }
        }
        return out;
    }
    // rt6_fill_node.
    if let Some(s) = &v.src {
        put_attr(&mut out, RTA_SRC, &ip_bytes(s));
    }
    if let Some(p) = &v.prefsrc {
        put_attr(&mut out, RTA_PREFSRC, &ip_bytes(p));
    }
    put_metrics(&mut out, &v.metrics);
    put_attr(&mut out, RTA_PRIORITY, &v.priority.to_ne_bytes());
    if v.nh_id != 0 {
        // rt6_fill_node: the nexthop object, then (nexthop_compat_mode) its paths.
        put_attr(&mut out, RTA_NH_ID, &v.nh_id.to_ne_bytes());
    }
    if v.multipath {
        put_multipath(&mut out, v.family, &v.nhs);
    } else if let Some(nh) = v.nhs.first() {
        if let Some(g) = &nh.gateway {
            put_attr(&mut out, RTA_GATEWAY, &ip_bytes(g));
        }
        if nh.ifindex != 0 {
            put_attr(&mut out, RTA_OIF, &nh.ifindex.to_ne_bytes());
        }
    }
    let (expires, pref) = v.v6.map_or((0, 0), |x| (x.expires, x.pref));
    // rtnl_put_cacheinfo(skb, NULL, 0, expires, 0): struct rta_cacheinfo.
    let mut ci = [0u8; 32];
    ci[8..12].copy_from_slice(&expires.to_ne_bytes());
    put_attr(&mut out, RTA_CACHEINFO, &ci);
    put_attr(&mut out, RTA_PREF, &[pref]);
    out
}

/// One RTM_NEWROUTE / RTM_DELROUTE message.
pub fn encode(v: &RouteView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let body = body(v);
    let h = NlHeader {
        len: (NLMSG_HDRLEN + body.len()) as u32,
        kind: match msg {
            LinkMsg::New => RTM_NEWROUTE,
            LinkMsg::Del => RTM_DELROUTE,
        },
        flags,
        seq,
        pid: portid,
    };
    let mut out = h.to_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}
