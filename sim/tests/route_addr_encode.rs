//! The direct RTM_NEWROUTE / RTM_NEWADDR encoders (`rtnl::route::encode`,
//! `rtnl::addr::encode`, written through `wire::writer`) give exactly the bytes of the
//! encoders they replaced, kept here as the reference: each built every attribute and nest in
//! a buffer of its own and copied it into the message. Generated over every field of the
//! model's views: every family, type, scope, table above 255, multipath with weights and
//! flags, IPv6 gateways of IPv4 routes (RTA_VIA), metrics, expires, pref, nhid; addresses with
//! flags, lifetimes, labels, peers, broadcasts.

use kernel_model::inet::fib::semantics::tcp_ca_name;
use kernel_model::inet::fib::view::{NhView, RouteView, V6Extra, AF_INET, AF_INET6};
use kernel_model::inet::ifaddr::AddrView;
use kernel_model::LinkMsg;
use nlsim::rtnl::{addr, route};
use nlsim::wire::raw::{put_attr, split_messages};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The encoders as they were before the direct writer (attribute numbers from the UAPI).
mod reference {
    use super::*;

    fn ip_bytes(a: &IpAddr) -> Vec<u8> {
        match a {
            IpAddr::V4(v) => v.octets().to_vec(),
            IpAddr::V6(v) => v.octets().to_vec(),
        }
    }

    fn header(body: Vec<u8>, kind: u16, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
        out.extend_from_slice(&kind.to_ne_bytes());
        out.extend_from_slice(&flags.to_ne_bytes());
        out.extend_from_slice(&seq.to_ne_bytes());
        out.extend_from_slice(&portid.to_ne_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn put_metrics(out: &mut Vec<u8>, m: &[(u16, u32)]) {
        if m.is_empty() {
            return;
        }
        let mut nest = Vec::new();
        for (t, v) in m {
            if *t == 16 {
                if let Some(name) = tcp_ca_name(*v) {
                    let mut b = name.as_bytes().to_vec();
                    b.push(0);
                    put_attr(&mut nest, *t, &b);
                }
                continue;
            }
            put_attr(&mut nest, *t, &v.to_ne_bytes());
        }
        put_attr(out, 8, &nest);
    }

    fn put_gateway(out: &mut Vec<u8>, route_family: u8, g: &IpAddr) {
        match g {
            IpAddr::V6(a) if route_family == AF_INET => {
                let mut via = 10u16.to_ne_bytes().to_vec();
                via.extend_from_slice(&a.octets());
                put_attr(out, 18, &via);
            }
            _ => put_attr(out, 5, &ip_bytes(g)),
        }
    }

    fn put_multipath(out: &mut Vec<u8>, route_family: u8, nhs: &[NhView]) {
        let mut mp = Vec::new();
        for nh in nhs {
            let mut attrs = Vec::new();
            if let Some(g) = &nh.gateway {
                put_gateway(&mut attrs, route_family, g);
            }
            if nh.flow != 0 {
                put_attr(&mut attrs, 11, &nh.flow.to_ne_bytes());
            }
            let len = 8 + attrs.len();
            mp.extend_from_slice(&(len as u16).to_ne_bytes());
            mp.push(nh.flags);
            mp.push(nh.hops);
            mp.extend_from_slice(&nh.ifindex.to_ne_bytes());
            mp.extend_from_slice(&attrs);
        }
        put_attr(out, 9, &mp);
    }

    fn route_body(v: &RouteView) -> Vec<u8> {
        let mut out = Vec::new();
        let rtm_table = if v.table < 256 { v.table as u8 } else { 252 };
        out.extend_from_slice(&[v.family, v.dst_len, v.src_len, v.tos, rtm_table]);
        out.extend_from_slice(&[v.protocol, v.scope, v.kind]);
        out.extend_from_slice(&v.flags.to_ne_bytes());
        put_attr(&mut out, 15, &v.table.to_ne_bytes());
        if v.dst_len != 0 {
            put_attr(&mut out, 1, &ip_bytes(&v.dst));
        }
        if v.family == AF_INET {
            if v.priority != 0 {
                put_attr(&mut out, 6, &v.priority.to_ne_bytes());
            }
            put_metrics(&mut out, &v.metrics);
            if let Some(p) = &v.prefsrc {
                put_attr(&mut out, 7, &ip_bytes(p));
            }
            if v.nh_id != 0 {
                put_attr(&mut out, 30, &v.nh_id.to_ne_bytes());
            }
            if v.multipath {
                put_multipath(&mut out, v.family, &v.nhs);
            } else if let Some(nh) = v.nhs.first() {
                if let Some(g) = &nh.gateway {
                    put_gateway(&mut out, v.family, g);
                }
                if nh.ifindex != 0 {
                    put_attr(&mut out, 4, &nh.ifindex.to_ne_bytes());
                }
                if nh.flow != 0 {
                    put_attr(&mut out, 11, &nh.flow.to_ne_bytes());
                }
            }
            return out;
        }
        if let Some(s) = &v.src {
            put_attr(&mut out, 2, &ip_bytes(s));
        }
        if let Some(p) = &v.prefsrc {
            put_attr(&mut out, 7, &ip_bytes(p));
        }
        put_metrics(&mut out, &v.metrics);
        put_attr(&mut out, 6, &v.priority.to_ne_bytes());
        if v.nh_id != 0 {
            put_attr(&mut out, 30, &v.nh_id.to_ne_bytes());
        }
        if v.multipath {
            put_multipath(&mut out, v.family, &v.nhs);
        } else if let Some(nh) = v.nhs.first() {
            if let Some(g) = &nh.gateway {
                put_attr(&mut out, 5, &ip_bytes(g));
            }
            if nh.ifindex != 0 {
                put_attr(&mut out, 4, &nh.ifindex.to_ne_bytes());
            }
        }
        let (expires, pref) = v.v6.map_or((0, 0), |x| (x.expires, x.pref));
        let mut ci = [0u8; 32];
        ci[8..12].copy_from_slice(&expires.to_ne_bytes());
        put_attr(&mut out, 12, &ci);
        put_attr(&mut out, 20, &[pref]);
        out
    }

    pub fn route(v: &RouteView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
        let kind = match msg {
            LinkMsg::New => 24,
            LinkMsg::Del => 25,
        };
        header(route_body(v), kind, flags, seq, portid)
    }

    pub fn addr(v: &AddrView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
        let kind = match msg {
            LinkMsg::New => 20,
            LinkMsg::Del => 21,
        };
        let cacheinfo: Vec<u8> = v.cacheinfo.iter().flat_map(|x| x.to_ne_bytes()).collect();
        let mut out = Vec::new();
        out.push(if v.family_v6 { 10 } else { 2 });
        out.push(v.prefixlen);
        out.push(v.flags as u8);
        out.push(v.scope);
        out.extend_from_slice(&v.ifindex.to_ne_bytes());
        if v.family_v6 {
            if let Some(l) = &v.local {
                put_attr(&mut out, 2, &ip_bytes(l));
            }
            if let Some(a) = &v.address {
                put_attr(&mut out, 1, &ip_bytes(a));
            }
            if v.rt_priority != 0 {
                put_attr(&mut out, 9, &v.rt_priority.to_ne_bytes());
            }
            put_attr(&mut out, 6, &cacheinfo);
            put_attr(&mut out, 8, &v.flags.to_ne_bytes());
            if v.proto != 0 {
                put_attr(&mut out, 11, &[v.proto]);
            }
        } else {
            if let Some(a) = &v.address {
                put_attr(&mut out, 1, &ip_bytes(a));
            }
            if let Some(l) = &v.local {
                put_attr(&mut out, 2, &ip_bytes(l));
            }
            if let Some(b) = &v.broadcast {
                put_attr(&mut out, 4, &b.octets());
            }
            if let Some(l) = &v.label {
                let mut s = l.as_bytes().to_vec();
                s.push(0);
                put_attr(&mut out, 3, &s);
            }
            if v.proto != 0 {
                put_attr(&mut out, 11, &[v.proto]);
            }
            put_attr(&mut out, 8, &v.flags.to_ne_bytes());
            if v.rt_priority != 0 {
                put_attr(&mut out, 9, &v.rt_priority.to_ne_bytes());
            }
            put_attr(&mut out, 6, &cacheinfo);
        }
        header(out, kind, flags, seq, portid)
    }
}

fn ip_of(v6: bool) -> BoxedStrategy<IpAddr> {
    if v6 {
        any::<u128>()
            .prop_map(|a| IpAddr::V6(Ipv6Addr::from(a)))
            .boxed()
    } else {
        any::<u32>()
            .prop_map(|a| IpAddr::V4(Ipv4Addr::from(a)))
            .boxed()
    }
}

/// Either family: an IPv4 route may have an IPv6 gateway (RTA_VIA).
fn any_ip() -> BoxedStrategy<IpAddr> {
    prop_oneof![ip_of(false), ip_of(true)].boxed()
}

fn nh() -> impl Strategy<Value = NhView> {
    (
        prop_oneof![Just(0u32), 1u32..100, any::<u32>()],
        proptest::option::of(any_ip()),
        any::<u8>(),
        any::<u8>(),
        prop_oneof![Just(0u32), any::<u32>()],
    )
        .prop_map(|(ifindex, gateway, flags, hops, flow)| NhView {
            ifindex,
            gateway,
            flags,
            hops,
            flow,
        })
}

/// Non-zero metrics in RTAX order, as the model reports them; RTAX_CC_ALGO only with the keys
/// the model can store (a name it knows).
fn metrics() -> impl Strategy<Value = Vec<(u16, u32)>> {
    proptest::collection::btree_map(1u16..=17, 1u32..=u32::MAX, 0..5).prop_map(|m| {
        m.into_iter()
            .map(|(t, v)| if t == 16 { (t, 1 + v % 2) } else { (t, v) })
            .collect()
    })
}

fn route_view() -> impl Strategy<Value = RouteView> {
    any::<bool>().prop_flat_map(|v6| {
        let family = if v6 { AF_INET6 } else { AF_INET };
        let max_len = if v6 { 128u8 } else { 32 };
        (
            (
                0..=max_len,
                0..=max_len,
                proptest::option::of(ip_of(v6)),
                any::<u8>(),
                prop_oneof![Just(254u32), Just(255), 0u32..256, any::<u32>()],
                any::<u8>(),
                any::<u8>(),
                0u8..=12,
                any::<u32>(),
                ip_of(v6),
            ),
            (
                prop_oneof![Just(0u32), any::<u32>()],
                metrics(),
                proptest::option::of(ip_of(v6)),
                proptest::collection::vec(nh(), 0..4),
                any::<bool>(),
                proptest::option::of((any::<i32>(), 0u8..4)),
                prop_oneof![Just(0u32), any::<u32>()],
            ),
        )
            .prop_map(
                move |(
                    (dst_len, src_len, src, tos, table, protocol, scope, kind, flags, dst),
                    (priority, metrics, prefsrc, nhs, multipath, v6x, nh_id),
                )| RouteView {
                    family,
                    dst_len,
                    src_len,
                    src,
                    tos,
                    table,
                    protocol,
                    scope,
                    kind,
                    flags,
                    dst,
                    priority,
                    metrics,
                    prefsrc,
                    nhs,
                    multipath,
                    v6: v6x.map(|(expires, pref)| V6Extra { expires, pref }),
                    nh_id,
                },
            )
    })
}

fn addr_view() -> impl Strategy<Value = AddrView> {
    any::<bool>().prop_flat_map(|v6| {
        (
            (
                0u8..=128,
                any::<u32>(),
                any::<u8>(),
                any::<u32>(),
                proptest::option::of(ip_of(v6)),
                proptest::option::of(ip_of(v6)),
            ),
            (
                proptest::option::of(any::<u32>().prop_map(Ipv4Addr::from)),
                proptest::option::of("[a-z0-9:._-]{0,15}"),
                any::<u8>(),
                prop_oneof![Just(0u32), any::<u32>()],
                any::<[u32; 4]>(),
            ),
        )
            .prop_map(
                move |(
                    (prefixlen, flags, scope, ifindex, address, local),
                    (broadcast, label, proto, rt_priority, cacheinfo),
                )| AddrView {
                    family_v6: v6,
                    prefixlen,
                    flags,
                    scope,
                    ifindex,
                    address,
                    local,
                    broadcast,
                    label,
                    proto,
                    rt_priority,
                    cacheinfo,
                },
            )
    })
}

fn link_msg() -> impl Strategy<Value = LinkMsg> {
    prop_oneof![Just(LinkMsg::New), Just(LinkMsg::Del)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn route_bytes_equal_the_reference(
        v in route_view(), msg in link_msg(), flags in any::<u16>(), seq in any::<u32>(),
        portid in any::<u32>(),
    ) {
        let want = reference::route(&v, msg, flags, seq, portid);
        prop_assert_eq!(&route::encode::encode(&v, msg, flags, seq, portid), &want);
        // Appended after other messages, as a dump does: the same bytes, one whole message.
        let mut out = vec![1, 2, 3, 4];
        let n = route::encode::encode_into(&mut out, &v, msg, flags, seq, portid);
        prop_assert_eq!(n, want.len());
        prop_assert_eq!(&out[4..], &want[..]);
        prop_assert_eq!(split_messages(&out[4..]).count(), 1);
    }

    #[test]
    fn addr_bytes_equal_the_reference(
        v in addr_view(), msg in link_msg(), flags in any::<u16>(), seq in any::<u32>(),
        portid in any::<u32>(),
    ) {
        let want = reference::addr(&v, msg, flags, seq, portid);
        prop_assert_eq!(&addr::encode::encode(&v, msg, flags, seq, portid), &want);
        let mut out = vec![9; 8];
        let n = addr::encode::encode_into(&mut out, &v, msg, flags, seq, portid);
        prop_assert_eq!(n, want.len());
        prop_assert_eq!(&out[8..], &want[..]);
    }
}

/// `rtnetlink_put_metrics` cancels its nest when no metric was put: an RTAX_CC_ALGO key
/// without a name (the model never stores one) gives no RTA_METRICS at all, where the old
/// encoder left an empty nest.
#[test]
fn metrics_nest_cancelled_when_empty() {
    let v = RouteView {
        family: AF_INET,
        dst_len: 0,
        src_len: 0,
        src: None,
        tos: 0,
        table: 254,
        protocol: 4,
        scope: 0,
        kind: 1,
        flags: 0,
        dst: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        priority: 0,
        metrics: vec![(16, 99)],
        prefsrc: None,
        nhs: vec![],
        multipath: false,
        v6: None,
        nh_id: 0,
    };
    let b = route::encode::encode(&v, LinkMsg::New, 0, 0, 0);
    // Header, rtmsg, RTA_TABLE only.
    assert_eq!(b.len(), 16 + 12 + 8);
}
