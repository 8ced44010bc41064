//! `ip -6 route get` over the wire (net/ipv6/route.c: inet6_rtm_getroute, rt6_fill_node):
//! the reply's attributes in the kernel's order and values, input lookups, errors. The same
//! lookups as golden/scenarios/route-get6.sh (CMD[28], [45], [68]), measured on 6.12.

mod common;

use common::*;
use netlink_packet_core::{NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use std::net::{IpAddr, Ipv6Addr};

const RTM_NEWROUTE: u16 = 24;
const RTM_GETROUTE: u16 = 26;

fn a6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// One attribute (`nla_put`).
fn attr(out: &mut Vec<u8>, kind: u16, v: &[u8]) {
    let len = 4 + v.len();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(v);
    out.resize(out.len() + ((len + 3) & !3) - len, 0);
}

/// nlmsghdr, rtmsg {family, dst_len, src_len, tos, table, proto, scope, type, flags}, attrs.
fn rt_msg(kind: u16, flags: u16, rtm: [u8; 8], attrs: &[u8]) -> Vec<u8> {
    let len = 16 + 12 + attrs.len();
    let mut b = Vec::new();
    b.extend_from_slice(&(len as u32).to_ne_bytes());
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&9u32.to_ne_bytes());
    b.extend_from_slice(&0u32.to_ne_bytes());
    b.extend_from_slice(&rtm);
    b.extend_from_slice(&0u32.to_ne_bytes());
    b.extend_from_slice(attrs);
    b
}

/// dum0 (2001:db8:1::1/64), dum1 (2001:db8:2::1/64), `default via 2001:db8:1::fe`.
fn setup(c: &mut Client) -> (u32, u32) {
    assert!(c.up("lo").ok());
    let mut idx = Vec::new();
    for (name, a) in [("dum0", "2001:db8:1::1"), ("dum1", "2001:db8:2::1")] {
        assert!(c.add_simple(name, "dummy").ok());
        assert!(c.up(name).ok());
        let i = c.index(name);
        let mut m = AddressMessage::default();
        m.header.family = AddressFamily::Inet6;
        m.header.prefix_len = 64;
        m.header.index = i;
        m.attributes
            .push(AddressAttribute::Address(IpAddr::V6(a6(a))));
        let r = c.request(
            RouteNetlinkMessage::NewAddress(m),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        );
        assert!(r.ok(), "{r:?}");
        idx.push(i);
    }
    let mut a = Vec::new();
    attr(&mut a, 5, &a6("2001:db8:1::fe").octets());
    let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    let r = c.request_raw(
        &rt_msg(RTM_NEWROUTE, flags, [10, 0, 0, 0, 254, 3, 0, 1], &a),
        false,
    );
    assert!(r.ok(), "{r:?}");
    (idx[0], idx[1])
}

/// RTM_GETROUTE for AF_INET6 as `ip -6 route get DST [from SRC] [iif I] [oif O]` sends it.
fn get(c: &mut Client, dst: &str, src: Option<&str>, iif: u32, oif: u32) -> Answer {
    let mut a = Vec::new();
    let mut rtm = [10, 128, 0, 0, 0, 0, 0, 0];
    if let Some(s) = src {
        attr(&mut a, 2, &a6(s).octets());
        rtm[2] = 128;
    }
    attr(&mut a, 1, &a6(dst).octets());
    if iif != 0 {
        attr(&mut a, 3, &iif.to_ne_bytes());
    }
    if oif != 0 {
        attr(&mut a, 4, &oif.to_ne_bytes());
    }
    // No NLM_F_ACK, as iproute2: the reply alone, or the error.
    c.request_raw(&rt_msg(RTM_GETROUTE, NLM_F_REQUEST, rtm, &a), true)
}

fn route_of(a: &Answer) -> RouteMessage {
    a.messages
        .iter()
        .find_map(|m| match &m.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRoute(r)) => Some(r.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no route in {a:?}"))
}

fn kinds(r: &RouteMessage) -> Vec<&'static str> {
    r.attributes
        .iter()
        .map(|a| match a {
            RouteAttribute::Table(_) => "table",
            RouteAttribute::Destination(_) => "dst",
            RouteAttribute::Source(_) => "src",
            RouteAttribute::Iif(_) => "iif",
            RouteAttribute::PrefSource(_) => "prefsrc",
            RouteAttribute::Priority(_) => "priority",
            RouteAttribute::Gateway(_) => "gateway",
            RouteAttribute::Oif(_) => "oif",
            RouteAttribute::CacheInfo(_) => "cacheinfo",
            RouteAttribute::Preference(_) => "pref",
            _ => "other",
        })
        .collect()
}

/// rt6_fill_node's attributes of a lookup's route: RTA_PREFSRC for an output lookup, RTA_IIF
/// for an input one, in fourth place.
fn rt6_fill_node_order(fourth: &'static str) -> [&'static str; 9] {
    [
        "table",
        "dst",
        "src",
        fourth,
        "priority",
        "gateway",
        "oif",
        "cacheinfo",
        "pref",
    ]
}

fn v6(a: &RouteAddress) -> Option<Ipv6Addr> {
    match a {
        RouteAddress::Inet6(v) => Some(*v),
        _ => None,
    }
}

#[test]
fn output_lookup_in_rt6_fill_node_order() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let (d0, _) = setup(&mut c);
    // CMD[28]: `2001:db8:99::1 from :: via 2001:db8:1::fe dev dum0 src 2001:db8:1::1
    // metric 1024 pref medium`.
    let a = get(&mut c, "2001:db8:99::1", None, 0, 0);
    assert!(a.ok(), "{a:?}");
    let r = route_of(&a);
    assert_eq!(kinds(&r), rt6_fill_node_order("prefsrc"));
    assert_eq!(
        (
            r.header.destination_prefix_length,
            r.header.source_prefix_length
        ),
        (128, 128)
    );
    for at in &r.attributes {
        match at {
            RouteAttribute::Source(s) => assert_eq!(v6(s), Some(Ipv6Addr::UNSPECIFIED)),
            RouteAttribute::PrefSource(s) => assert_eq!(v6(s), Some(a6("2001:db8:1::1"))),
            RouteAttribute::Gateway(g) => assert_eq!(v6(g), Some(a6("2001:db8:1::fe"))),
            RouteAttribute::Oif(o) => assert_eq!(*o, d0),
            RouteAttribute::Priority(p) => assert_eq!(*p, 1024),
            RouteAttribute::Table(t) => assert_eq!(*t, 254),
            _ => {}
        }
    }
}

#[test]
fn input_lookup_names_the_iif_instead_of_a_source() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let (d0, d1) = setup(&mut c);
    // CMD[68]: `2001:db8:99::1 from 2001:db8:2::9 via 2001:db8:1::fe dev dum0 metric 1024
    // iif dum1 pref medium`.
    let a = get(&mut c, "2001:db8:99::1", Some("2001:db8:2::9"), d1, 0);
    assert!(a.ok(), "{a:?}");
    let r = route_of(&a);
    assert_eq!(kinds(&r), rt6_fill_node_order("iif"));
    assert!(r.attributes.contains(&RouteAttribute::Iif(d1)));
    assert!(r.attributes.contains(&RouteAttribute::Oif(d0)));
}

#[test]
fn an_oif_without_a_source_is_a_strict_lookup() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let (_, d1) = setup(&mut c);
    // CMD[45]: the default route is not on dum1: ENETUNREACH.
    let a = get(&mut c, "2001:db8:99::1", None, 0, d1);
    assert_eq!(a.errno, libc::ENETUNREACH, "{a:?}");
    // CMD[71]: an unknown iif.
    let a = get(&mut c, "2001:db8:99::1", Some("2001:db8:2::9"), 999, 0);
    assert_eq!(a.errno, libc::ENODEV, "{a:?}");
}
