//! RTM_GETROUTE doit for AF_INET (`inet_rtm_getroute`, net/ipv4/route.c) and AF_INET6
//! (`inet6_rtm_getroute`, net/ipv6/route.c): the request checks
//! (`inet_rtm_valid_getroute_req`, `inet6_rtm_valid_getroute_req`), and the answer as
//! `rt_fill_info` / `rt6_fill_node` write it (`fib_dump_info` / the dump's `rt6_fill_node`
//! for RTM_F_FIB_MATCH). The lookups are the model's (`kernel_model::inet::route_get`,
//! `route_get6`, `route_input`).

use super::decode::{RtMsg, RTMSG_LEN};
use super::encode::put_metrics;
use super::encode::RTM_NEWROUTE;
use super::error::route_error;
use super::policy::*;
use crate::rtnl::reply::{ack, keep_warning, reply_and_ack, Outcome, SockCtx};
use crate::wire::consts::NLMSG_HDRLEN;
use crate::wire::extack::ExtAck;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::raw::{put_attr, NlHeader, RawMessage};
use crate::wire::writer::MsgWriter;
use kernel_model::inet::fib::uapi::table;
use kernel_model::inet::fib::view::RouteView;
use kernel_model::inet::route_get::{
    RouteGet4, RouteGet4Req, RtView4, RTM_F_FIB_MATCH, RTM_F_LOOKUP_TABLE, RTM_F_NOTIFY,
};
use kernel_model::inet::route_get6::{RouteGet6, RouteGet6Req, Rt6Get};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, LinkMsg};
use std::net::{IpAddr, Ipv6Addr};

/// IPPROTO_* `rtm_getroute_parse_ip_proto` accepts for AF_INET.
const IPPROTO_ICMP: u8 = 1;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_ICMPV6: u8 = 58;
/// `INET_DSCP_MASK`.
const INET_DSCP_MASK: u8 = 0xfc;

fn einval(msg: &str) -> (i32, ExtAck) {
    (errno::EINVAL, ExtAck::msg(msg))
}

/// `inet_rtm_valid_getroute_req` + the attribute reads of `inet_rtm_getroute`.
fn parse_req(msg: &RawMessage<'_>, strict: bool) -> Result<RouteGet4Req, (i32, ExtAck)> {
    if msg.payload().len() < RTMSG_LEN {
        return Err(einval("ipv4: Invalid header for route get request"));
    }
    let rtm = RtMsg::parse(msg);
    let tb = if !strict {
        nlattr::parse(
            msg.bytes,
            RTMSG_LEN,
            &RTM_IPV4_POLICY,
            ValidateMode::Liberal,
        )
        .map_err(|e| (e.errno, e.extack))?
        .0
    } else {
        if (rtm.src_len != 0 && rtm.src_len != 32)
            || (rtm.dst_len != 0 && rtm.dst_len != 32)
            || rtm.table != 0
            || rtm.protocol != 0
            || rtm.scope != 0
            || rtm.kind != 0
        {
            return Err(einval(
                "ipv4: Invalid values in header for route get request",
            ));
        }
        if rtm.flags & !(RTM_F_NOTIFY | RTM_F_LOOKUP_TABLE | RTM_F_FIB_MATCH) != 0 {
            return Err(einval("ipv4: Unsupported rtm_flags for route get request"));
        }
        let (tb, _) = nlattr::parse(
            msg.bytes,
            RTMSG_LEN,
            &RTM_IPV4_POLICY,
            ValidateMode::DeprecatedStrict,
        )
        .map_err(|e| (e.errno, e.extack))?;
        if (tb.has(RTA_SRC) && rtm.src_len == 0) || (tb.has(RTA_DST) && rtm.dst_len == 0) {
            return Err(einval(
                "ipv4: rtm_src_len and rtm_dst_len must be 32 for IPv4",
            ));
        }
        for a in tb.by_type() {
            match a.kind {
                RTA_IIF | RTA_OIF | RTA_SRC | RTA_DST | RTA_IP_PROTO | RTA_SPORT | RTA_DPORT
                | RTA_MARK | RTA_UID => {}
                _ => return Err(einval("ipv4: Unsupported attribute in route get request")),
            }
        }
        tb
    };
    let addr = |t| tb.in_addr(t).map_or(0, u32::from);
    let iif = tb.u32(RTA_IIF).unwrap_or(0);
    let mut req = RouteGet4Req {
        src: addr(RTA_SRC),
        dst: addr(RTA_DST),
        mark: tb.u32(RTA_MARK).unwrap_or(0),
        // RTA_UID, else current_uid() (root) for an output lookup, INVALID_UID for input.
        uid: tb
            .u32(RTA_UID)
            .unwrap_or(if iif != 0 { u32::MAX } else { 0 }),
        iif,
        tos: rtm.tos & INET_DSCP_MASK,
        ip_proto: IPPROTO_UDP,
        oif: tb.u32(RTA_OIF).unwrap_or(0),
        sport: tb.be16(RTA_SPORT).unwrap_or(0),
        dport: tb.be16(RTA_DPORT).unwrap_or(0),
        rtm_flags: rtm.flags,
    };
    if let Some(p) = tb.u8(RTA_IP_PROTO) {
        // rtm_getroute_parse_ip_proto (net/ipv4/netlink.c)
        if !matches!(p, IPPROTO_TCP | IPPROTO_UDP | IPPROTO_ICMP) {
            return Err((errno::EOPNOTSUPP, ExtAck::msg("Unsupported ip proto")));
        }
        req.ip_proto = p;
    }
    Ok(req)
}

/// `inet_rtm_getroute`.
pub fn handle_getroute4(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let req = match parse_req(msg, sock.strict_chk) {
        Ok(r) => r,
        Err((e, ext)) => return ack(msg, sock, -e, &keep_warning(ext, None)),
    };
    let r = k.inet_rtm_getroute(sock.netns, &req).map(|a| match a {
        RouteGet4::Route(rt) => rt_fill_info(&rt, msg.header.seq, sock.portid),
        RouteGet4::FibMatch(v) => fib_entry(&v, msg, sock),
    });
    answer(msg, sock, r)
}

/// The reply (the route a lookup made, or the FIB entry it matched), else the lookup's error.
fn answer(msg: &RawMessage<'_>, sock: &SockCtx, r: Result<Vec<u8>, KernelError>) -> Outcome {
    match r {
        Ok(route) => reply_and_ack(msg, sock, vec![route]),
        Err(e) => route_error(msg, sock, &e),
    }
}

/// RTM_F_FIB_MATCH: the FIB entry as `fib_dump_info` / a dump's `rt6_fill_node` write it.
fn fib_entry(v: &RouteView, msg: &RawMessage<'_>, sock: &SockCtx) -> Vec<u8> {
    super::encode::encode(v, LinkMsg::New, 0, msg.header.seq, sock.portid)
}

/// `rt_fill_info`: the RTM_NEWROUTE describing the cached route.
fn rt_fill_info(rt: &RtView4, seq: u32, portid: u32) -> Vec<u8> {
    // AF_INET, RTPROT_UNSPEC, RT_SCOPE_UNIVERSE.
    let src_len = if rt.src.is_some() { 32 } else { 0 };
    let mut body = rtmsg(
        [2, 32, src_len, rt.tos],
        rt.table,
        [0, 0, rt.kind],
        rt.flags,
    );
    put_attr(&mut body, RTA_DST, &rt.dst.octets());
    if let Some(s) = rt.src {
        put_attr(&mut body, RTA_SRC, &s.octets());
    }
    if let Some(oif) = rt.oif {
        put_attr(&mut body, RTA_OIF, &oif.to_ne_bytes());
    }
    if let Some(p) = rt.prefsrc {
        put_attr(&mut body, RTA_PREFSRC, &p.octets());
    }
    if let Some(g) = rt.gateway {
        put_attr(&mut body, RTA_GATEWAY, &g.octets());
    }
    // rtnetlink_put_metrics: a fresh route has no non-zero metric, so no nest.
    if rt.mark != 0 {
        put_attr(&mut body, RTA_MARK, &rt.mark.to_ne_bytes());
    }
    if let Some(uid) = rt.uid {
        put_attr(&mut body, RTA_UID, &uid.to_ne_bytes());
    }
    // An input route names the device the packet came in on (no multicast routing cache:
    // ipmr_get_route needs mc_forwarding).
    if let Some(iif) = rt.iif {
        put_attr(&mut body, RTA_IIF, &iif.to_ne_bytes());
    }
    put_dst_cacheinfo(&mut body, 0);
    newroute(body, seq, portid)
}

/// The `struct rtmsg` of a reply ({family, dst_len, src_len, tos}, the table, {protocol,
/// scope, type}, flags) and its RTA_TABLE, which both families put first.
fn rtmsg(head: [u8; 4], table_id: u32, pst: [u8; 3], flags: u32) -> Vec<u8> {
    let rtm_table = if table_id < 256 {
        table_id as u8
    } else {
        table::COMPAT as u8
    };
    let mut body = head.to_vec();
    body.push(rtm_table);
    body.extend_from_slice(&pst);
    body.extend_from_slice(&flags.to_ne_bytes());
    put_attr(&mut body, RTA_TABLE, &table_id.to_ne_bytes());
    body
}

/// `rtnl_put_cacheinfo(skb, &rt->dst, 0, expires, error 0)` for the route a lookup just
/// made: the reference the reply's skb holds, just used (lastuse 0, __use 0).
fn put_dst_cacheinfo(body: &mut Vec<u8>, expires: i32) {
    let mut ci = [0u8; 32];
    ci[0..4].copy_from_slice(&1u32.to_ne_bytes());
    ci[8..12].copy_from_slice(&expires.to_ne_bytes());
    put_attr(body, RTA_CACHEINFO, &ci);
}

/// One RTM_NEWROUTE unicast to the requester.
fn newroute(body: Vec<u8>, seq: u32, portid: u32) -> Vec<u8> {
    let h = NlHeader {
        len: (NLMSG_HDRLEN + body.len()) as u32,
        kind: RTM_NEWROUTE,
        flags: 0,
        seq,
        pid: portid,
    };
    let mut out = h.to_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}

/// `inet6_rtm_valid_getroute_req` + the attribute reads of `inet6_rtm_getroute`.
fn parse_req6(msg: &RawMessage<'_>, strict: bool) -> Result<RouteGet6Req, (i32, ExtAck)> {
    if msg.payload().len() < RTMSG_LEN {
        return Err(einval("ipv6: Invalid header for get route request"));
    }
    let rtm = RtMsg::parse(msg);
    let mode = if strict {
        if (rtm.src_len != 0 && rtm.src_len != 128)
            || (rtm.dst_len != 0 && rtm.dst_len != 128)
            || rtm.table != 0
            || rtm.protocol != 0
            || rtm.scope != 0
            || rtm.kind != 0
        {
            return Err(einval(
                "ipv6: Invalid values in header for get route request",
            ));
        }
        if rtm.flags & !RTM_F_FIB_MATCH != 0 {
            return Err(einval("ipv6: Invalid flags for get route request"));
        }
        ValidateMode::DeprecatedStrict
    } else {
        ValidateMode::Liberal
    };
    let (tb, _) = nlattr::parse(msg.bytes, RTMSG_LEN, &RTM_IPV6_POLICY, mode)
        .map_err(|e| (e.errno, e.extack))?;
    if strict {
        if (tb.has(RTA_SRC) && rtm.src_len == 0) || (tb.has(RTA_DST) && rtm.dst_len == 0) {
            return Err(einval(
                "ipv6: rtm_src_len and rtm_dst_len must be 128 for IPv6",
            ));
        }
        for a in tb.by_type() {
            match a.kind {
                RTA_SRC | RTA_DST | RTA_IIF | RTA_OIF | RTA_MARK | RTA_UID | RTA_SPORT
                | RTA_DPORT | RTA_IP_PROTO => {}
                _ => return Err(einval("ipv6: Unsupported attribute in get route request")),
            }
        }
    }
    // inet6_rtm_getroute: an address shorter than 16 bytes is -EINVAL, no message.
    let addr = |t| match tb.bytes(t) {
        None => Ok(Ipv6Addr::UNSPECIFIED),
        Some(b) => <[u8; 16]>::try_from(b.get(..16).unwrap_or_default())
            .map(Ipv6Addr::from)
            .map_err(|_| (errno::EINVAL, ExtAck::default())),
    };
    let mut req = RouteGet6Req {
        src: addr(RTA_SRC)?,
        dst: addr(RTA_DST)?,
        iif: tb.u32(RTA_IIF).unwrap_or(0),
        oif: tb.u32(RTA_OIF).unwrap_or(0),
        mark: tb.u32(RTA_MARK).unwrap_or(0),
        uid: tb.u32(RTA_UID),
        tclass: rtm.tos,
        sport: tb.be16(RTA_SPORT).unwrap_or(0),
        dport: tb.be16(RTA_DPORT).unwrap_or(0),
        fibmatch: rtm.flags & RTM_F_FIB_MATCH != 0,
        ..RouteGet6Req::default()
    };
    if let Some(p) = tb.u8(RTA_IP_PROTO) {
        // rtm_getroute_parse_ip_proto (net/ipv4/netlink.c)
        if !matches!(p, IPPROTO_TCP | IPPROTO_UDP | IPPROTO_ICMPV6) {
            return Err((errno::EOPNOTSUPP, ExtAck::msg("Unsupported ip proto")));
        }
        req.ip_proto = p;
    }
    Ok(req)
}

/// `inet6_rtm_getroute`.
pub fn handle_getroute6(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let req = match parse_req6(msg, sock.strict_chk) {
        Ok(r) => r,
        Err((e, ext)) => return ack(msg, sock, -e, &keep_warning(ext, None)),
    };
    let r = k.inet6_rtm_getroute(sock.netns, &req).map(|a| match a {
        RouteGet6::Route(rt) => rt6_fill_info(&rt, msg.header.seq, sock.portid),
        RouteGet6::FibMatch(v) => fib_entry(&v, msg, sock),
    });
    answer(msg, sock, r)
}

/// The route encoder's metrics nest, appended to a reply body built attribute by attribute.
fn put_metrics_into_body(body: &mut Vec<u8>, metrics: &[(u16, u32)]) {
    let mut msg = Vec::new();
    let mut m = MsgWriter::begin(&mut msg, 0, 0, 0, 0);
    put_metrics(&mut m, metrics);
    m.finish();
    body.extend_from_slice(&msg[NLMSG_HDRLEN..]);
}

/// `rt6_fill_node(net, skb, from, dst, &fl6.daddr, &fl6.saddr, iif, ...)`: the per-cpu
/// route a lookup made.
fn rt6_fill_info(rt: &Rt6Get, seq: u32, portid: u32) -> Vec<u8> {
    let v = &rt.view;
    let in6 = |a: &IpAddr| match a {
        IpAddr::V6(a) => a.octets(),
        IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
    };
    // AF_INET6.
    let mut body = rtmsg(
        [10, v.dst_len, v.src_len, 0],
        v.table,
        [v.protocol, v.scope, v.kind],
        v.flags,
    );
    put_attr(&mut body, RTA_DST, &in6(&v.dst));
    if let Some(s) = &v.src {
        put_attr(&mut body, RTA_SRC, &in6(s));
    }
    if rt.iif != 0 {
        put_attr(&mut body, RTA_IIF, &rt.iif.to_ne_bytes());
    } else if let Some(s) = rt.saddr {
        put_attr(&mut body, RTA_PREFSRC, &s.octets());
    }
    if let Some(p) = &v.prefsrc {
        put_attr(&mut body, RTA_PREFSRC, &in6(p));
    }
    put_metrics_into_body(&mut body, &v.metrics);
    put_attr(&mut body, RTA_PRIORITY, &v.priority.to_ne_bytes());
    if let Some(nh) = v.nhs.first() {
        if let Some(g) = &nh.gateway {
            put_attr(&mut body, RTA_GATEWAY, &in6(g));
        }
        if nh.ifindex != 0 {
            put_attr(&mut body, RTA_OIF, &nh.ifindex.to_ne_bytes());
        }
    }
    let (expires, pref) = v.v6.map_or((0, 0), |x| (x.expires, x.pref));
    put_dst_cacheinfo(&mut body, expires);
    put_attr(&mut body, RTA_PREF, &[pref]);
    newroute(body, seq, portid)
}
