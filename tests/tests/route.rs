//! Routes over the wire (net/ipv4/fib_frontend.c, net/ipv6/route.c): RTM_NEWROUTE /
//! RTM_DELROUTE / RTM_GETROUTE as a client sees them — the request shapes iproute2 sends,
//! errors with their extack, NLM_F_ECHO, and the dump (AF_UNSPEC: IPv4 then IPv6,
//! `rtnl_dump_all`; attributes in `fib_dump_info` / `rt6_fill_node` order).

mod common;

use common::*;
use netlink_packet_core::{
    NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REQUEST,
};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteMessage};
use netlink_packet_route::RouteNetlinkMessage;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const RTM_NEWROUTE: u16 = 24;
const RTM_DELROUTE: u16 = 25;
const RTM_GETROUTE: u16 = 26;

/// One attribute (`nla_put`).
fn attr(out: &mut Vec<u8>, kind: u16, v: &[u8]) {
    let len = 4 + v.len();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(v);
    out.resize(out.len() + ((len + 3) & !3) - len, 0);
}

/// A route request: nlmsghdr, rtmsg {family, dst_len, 0, tos, table, proto, scope, type, flags}
/// and attributes.
#[allow(clippy::too_many_arguments)]
fn rt_msg(kind: u16, flags: u16, seq: u32, rtm: [u8; 8], attrs: &[u8]) -> Vec<u8> {
    let len = 16 + 12 + attrs.len();
    let mut b = Vec::new();
    b.extend_from_slice(&(len as u32).to_ne_bytes());
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&seq.to_ne_bytes());
    b.extend_from_slice(&0u32.to_ne_bytes());
    b.extend_from_slice(&rtm);
    b.extend_from_slice(&0u32.to_ne_bytes());
    b.extend_from_slice(attrs);
    b
}

/// `ip route add 192.0.2.0/24 dev IFINDEX`: main, boot, link scope, unicast.
fn add4(c: &mut Client, dst: [u8; 4], plen: u8, oif: u32, extra: u16) -> Answer {
    let mut a = Vec::new();
    attr(&mut a, 1, &dst);
    attr(&mut a, 4, &oif.to_ne_bytes());
    let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | extra;
    c.request_raw(
        &rt_msg(RTM_NEWROUTE, flags, 7, [2, plen, 0, 0, 254, 3, 253, 1], &a),
        false,
    )
}

fn add6(c: &mut Client, dst: Ipv6Addr, plen: u8, oif: u32) -> Answer {
    let mut a = Vec::new();
    attr(&mut a, 1, &dst.octets());
    attr(&mut a, 4, &oif.to_ne_bytes());
    let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    c.request_raw(
        &rt_msg(RTM_NEWROUTE, flags, 8, [10, plen, 0, 0, 254, 3, 0, 1], &a),
        false,
    )
}

fn routes_of(a: &Answer) -> Vec<RouteMessage> {
    a.messages
        .iter()
        .filter_map(|m| match &m.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRoute(r)) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn dump(c: &mut Client, family: u8) -> Vec<RouteMessage> {
    let a = c.request_raw(
        &rt_msg(
            RTM_GETROUTE,
            NLM_F_REQUEST | NLM_F_DUMP,
            9,
            [family, 0, 0, 0, 0, 0, 0, 0],
            &[],
        ),
        true,
    );
    assert!(a.ok(), "{a:?}");
    routes_of(&a)
}

fn dst(r: &RouteMessage) -> Option<IpAddr> {
    r.attributes.iter().find_map(|a| match a {
        RouteAttribute::Destination(RouteAddress::Inet(v)) => Some(IpAddr::V4(*v)),
        RouteAttribute::Destination(RouteAddress::Inet6(v)) => Some(IpAddr::V6(*v)),
        _ => None,
    })
}

fn dummy_up(c: &mut Client, name: &str) -> u32 {
    assert!(c.add_simple(name, "dummy").ok());
    assert!(c.up(name).ok());
    c.index(name)
}

#[test]
fn add_dump_both_families_and_delete() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    // No table yet: an empty dump of either family.
    assert!(dump(&mut c, 0).is_empty());
    let d0 = dummy_up(&mut c, "dum0");
    let a = add4(&mut c, [192, 0, 2, 0], 24, d0, 0);
    assert!(a.ok(), "{a:?}");
    let a = add4(&mut c, [192, 0, 2, 0], 24, d0, 0);
    assert_eq!(a.errno, libc::EEXIST);
    let a = add6(&mut c, "2001:db8::".parse().unwrap(), 64, d0);
    assert!(a.ok(), "{a:?}");
    // AF_UNSPEC: IPv4 first, then IPv6.
    // (Without the link-local routes addrconf gave dum0: fe80::/64, its local route, ff00::/8.)
    let all = dump(&mut c, 0);
    let dsts: Vec<Option<IpAddr>> = all
        .iter()
        .map(dst)
        .filter(|d| !matches!(d, Some(IpAddr::V6(a)) if a.segments()[0] & 0xff00 == 0xff00 || a.segments()[0] == 0xfe80))
        .collect();
    assert_eq!(
        dsts,
        vec![
            Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 0))),
            Some("2001:db8::".parse().unwrap())
        ]
    );
    // fib_dump_info: RTA_TABLE, RTA_DST, RTA_OIF (no priority when 0).
    let kinds: Vec<&str> = all[0]
        .attributes
        .iter()
        .map(|a| match a {
            RouteAttribute::Table(_) => "table",
            RouteAttribute::Destination(_) => "dst",
            RouteAttribute::Oif(_) => "oif",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, vec!["table", "dst", "oif"]);
    // rt6_fill_node: the metric is always there (1024 for a user route), then cacheinfo, pref.
    assert!(all[1].attributes.contains(&RouteAttribute::Priority(1024)));
    assert_eq!(dump(&mut c, 2).len(), 1);
    // AF_INET6: ours, then the link-local's fe80::/64, its local route and ff00::/8.
    assert_eq!(dump(&mut c, 10).len(), 4);
    // Delete: ESRCH when missing.
    let mut a = Vec::new();
    attr(&mut a, 1, &[192, 0, 2, 0]);
    let del = rt_msg(
        RTM_DELROUTE,
        NLM_F_REQUEST | NLM_F_ACK,
        10,
        [2, 24, 0, 0, 254, 0, 255, 0],
        &a,
    );
    assert!(c.request_raw(&del, false).ok());
    assert_eq!(c.request_raw(&del, false).errno, libc::ESRCH);
    assert_eq!(dump(&mut c, 2).len(), 0);
}

#[test]
fn errors_carry_the_kernels_extack() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let d0 = dummy_up(&mut c, "dum0");
    let a = add4(&mut c, [192, 0, 2, 1], 24, d0, 0);
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::EINVAL, Some("Invalid prefix for given prefix length"))
    );
    let a = add4(&mut c, [192, 0, 2, 0], 33, d0, 0);
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::EINVAL, Some("Invalid prefix length"))
    );
    // A device that is not up.
    assert!(c.add_simple("dum1", "dummy").ok());
    let d1 = c.index("dum1");
    let a = add4(&mut c, [198, 51, 100, 0], 24, d1, 0);
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::ENETDOWN, Some("Device for nexthop is not up"))
    );
    // IPv6 has no tos.
    let mut at = Vec::new();
    attr(&mut at, 4, &d0.to_ne_bytes());
    let m = rt_msg(
        RTM_NEWROUTE,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE,
        11,
        [10, 0, 0, 4, 254, 3, 0, 1],
        &at,
    );
    let a = c.request_raw(&m, false);
    assert_eq!(
        a.msg.as_deref(),
        Some("Invalid dsfield (tos): option not available for IPv6")
    );
    // Lookups (`ip route get`) are answered from the FIB: sim/tests/run_iproute2.rs.
}

#[test]
fn echo_returns_the_new_route_to_the_requester() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let d0 = dummy_up(&mut c, "dum0");
    let a = add4(&mut c, [203, 0, 113, 0], 24, d0, NLM_F_ECHO);
    assert!(a.ok(), "{a:?}");
    let echoed = routes_of(&a);
    assert_eq!(echoed.len(), 1);
    assert_eq!(
        dst(&echoed[0]),
        Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 0)))
    );
    assert_eq!(a.messages[0].header.sequence_number, 7);
}
