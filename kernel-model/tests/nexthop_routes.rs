//! Routes that use nexthop objects (RTA_NH_ID): `fib_create_info` / `ip6_route_info_create`
//! look the object up and check it, dumps carry its id and paths, deleting the object
//! removes its routes (IPv4 silently, IPv6 announced), replacing it re-announces them
//! (measured: golden/kernel/6.12/nexthop.txt).

mod common;
use common::{boot, ifindex, route4_dev, set, CREATE};
use kernel_model::inet::fib::frontend::nlm_f;
use kernel_model::inet::fib::semantics::FibConfig;
use kernel_model::inet::fib::uapi::{rtf, rtn, rtprot, scope, table};
use kernel_model::inet::ip6_route::Fib6Config;
use kernel_model::inet::nexthop::{NhRequest, AF_INET, AF_INET6, AF_UNSPEC};
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkInfoRequest, LinkMsg, LinkRequest, NetnsId};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const NEW: u16 = 0x1 | 0x4 | 0x400 | 0x200;
const REPLACE: u16 = 0x1 | 0x4 | 0x400 | 0x100;

fn setup() -> (Kernel, NetnsId) {
    let mut k = boot();
    let ns = k.init_net();
    for name in ["dum0", "dum1"] {
        k.newlink(
            ns,
            &LinkRequest {
                ifname: Some(name.into()),
                nlm: CREATE,
                linkinfo: Some(LinkInfoRequest {
                    kind: Some("dummy".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .unwrap();
    }
    for name in ["lo", "dum0", "dum1"] {
        set(&mut k, ns, name, |r| {
            r.ifi_change = iff::UP;
            r.ifi_flags = iff::UP;
        })
        .unwrap();
    }
    k.take_events();
    (k, ns)
}

fn nh_dev(k: &Kernel, ns: NetnsId, id: u32, family: u8, devname: &str) -> NhRequest {
    NhRequest {
        family,
        nlflags: NEW,
        id: Some(id),
        oif: Some(ifindex(k, ns, devname)),
        ..Default::default()
    }
}

fn nh_group(id: u32, members: &[u32]) -> NhRequest {
    let mut raw = Vec::new();
    for m in members {
        raw.extend_from_slice(&m.to_ne_bytes());
        raw.extend_from_slice(&[0, 0, 0, 0]);
    }
    NhRequest {
        family: AF_UNSPEC,
        nlflags: NEW,
        id: Some(id),
        group: Some(raw),
        ..Default::default()
    }
}

/// `ip route add DST/24 nhid ID`.
fn route4(dst: Ipv4Addr, nh_id: u32) -> FibConfig {
    FibConfig {
        scope: scope::UNIVERSE,
        nh_id,
        ..route4_dev(&dst.to_string(), 24, 0)
    }
}

/// `ip -6 route add DST/48 nhid ID`.
fn route6(dst: Ipv6Addr, nh_id: u32) -> Fib6Config {
    Fib6Config {
        table: table::MAIN,
        dst,
        dst_len: 48,
        flags: rtf::UP,
        protocol: rtprot::BOOT,
        kind: rtn::UNICAST,
        nh_id,
        nlflags: Some(nlm_f::CREATE | nlm_f::EXCL),
        ..Default::default()
    }
}

fn msg(r: Result<(), kernel_model::KernelError>) -> (i32, String) {
    let e = r.expect_err("refused");
    (e.errno, e.msg.map(|m| m.to_string()).unwrap_or_default())
}

/// The route events as (message, destination, nlflags).
fn route_events(k: &mut Kernel) -> Vec<(LinkMsg, IpAddr, u16)> {
    k.take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Route {
                msg, nlflags, view, ..
            } => Some((msg, view.dst, nlflags)),
            _ => None,
        })
        .collect()
}

const D1: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 0);
const D2: Ipv4Addr = Ipv4Addr::new(192, 0, 3, 0);
const D3: Ipv4Addr = Ipv4Addr::new(192, 0, 4, 0);

#[test]
fn ipv4_routes_show_the_object_and_its_paths() {
    let (mut k, ns) = setup();
    k.rtm_new_nexthop(ns, &nh_dev(&k, ns, 1, AF_INET, "dum0"))
        .unwrap();
    k.rtm_new_nexthop(ns, &nh_dev(&k, ns, 2, AF_INET, "dum1"))
        .unwrap();
    k.rtm_new_nexthop(ns, &nh_group(100, &[1, 2])).unwrap();
    k.rtm_new_nexthop(
        ns,
        &NhRequest {
            family: AF_INET,
            nlflags: NEW,
            id: Some(4),
            blackhole: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &route4(D1, 999))),
        (errno::EINVAL, "Nexthop id does not exist".into())
    );
    k.inet_rtm_newroute(ns, &route4(D1, 1)).unwrap();
    k.inet_rtm_newroute(ns, &route4(D2, 100)).unwrap();
    k.inet_rtm_newroute(ns, &route4(D3, 4)).unwrap();
    let routes = k.fib4_routes(ns);
    let find = |d: Ipv4Addr| {
        routes
            .iter()
            .find(|r| r.dst == IpAddr::V4(d))
            .cloned()
            .unwrap()
    };
    let r = find(D1);
    assert_eq!((r.nh_id, r.multipath, r.nhs.len()), (1, false, 1));
    assert_eq!(r.nhs[0].ifindex, ifindex(&k, ns, "dum0"));
    let r = find(D2);
    assert_eq!((r.nh_id, r.multipath, r.nhs.len()), (100, true, 2));
    let r = find(D3);
    assert_eq!((r.nh_id, r.kind), (4, rtn::BLACKHOLE));
    assert_eq!(r.nhs[0].ifindex, ifindex(&k, ns, "lo"));
    // Deleting by nhid matches the object only.
    let mut del = route4(D1, 2);
    del.nlflags = 0;
    assert_eq!(
        k.inet_rtm_delroute(ns, &del).map_err(|e| e.errno),
        Err(errno::ESRCH)
    );
    del.nh_id = 1;
    k.inet_rtm_delroute(ns, &del).unwrap();
}

#[test]
fn deleting_the_nexthop_flushes_ipv4_routes_silently_and_ipv6_ones_loudly() {
    let (mut k, ns) = setup();
    k.rtm_new_nexthop(ns, &nh_dev(&k, ns, 1, AF_INET, "dum0"))
        .unwrap();
    k.rtm_new_nexthop(ns, &nh_dev(&k, ns, 5, AF_INET6, "dum0"))
        .unwrap();
    k.inet_rtm_newroute(ns, &route4(D1, 1)).unwrap();
    let d6: Ipv6Addr = "2001:db8:100::".parse().unwrap();
    assert_eq!(
        msg(k.inet6_rtm_newroute(ns, &route6(d6, 1))),
        (
            errno::EINVAL,
            "IPv6 routes can not use an IPv4 nexthop".into()
        )
    );
    k.inet6_rtm_newroute(ns, &route6(d6, 5)).unwrap();
    let r = k
        .fib6_routes(ns)
        .into_iter()
        .find(|r| r.dst == IpAddr::V6(d6))
        .unwrap();
    assert_eq!((r.nh_id, r.nhs[0].ifindex), (5, ifindex(&k, ns, "dum0")));
    k.take_events();
    k.rtm_del_nexthop(ns, 1, 0).unwrap();
    assert!(route_events(&mut k).is_empty());
    assert!(!k.fib4_routes(ns).iter().any(|r| r.nh_id == 1));
    k.rtm_del_nexthop(ns, 5, 0).unwrap();
    assert_eq!(route_events(&mut k), [(LinkMsg::Del, IpAddr::V6(d6), 0)]);
    assert!(!k.fib6_routes(ns).iter().any(|r| r.nh_id == 5));
}

#[test]
fn replacing_the_nexthop_reannounces_its_routes_and_those_of_its_groups() {
    let (mut k, ns) = setup();
    k.rtm_new_nexthop(ns, &nh_dev(&k, ns, 1, AF_INET, "dum0"))
        .unwrap();
    k.rtm_new_nexthop(ns, &nh_group(100, &[1])).unwrap();
    k.inet_rtm_newroute(ns, &route4(D1, 1)).unwrap();
    k.inet_rtm_newroute(ns, &route4(D2, 100)).unwrap();
    k.take_events();
    let mut rep = nh_dev(&k, ns, 1, AF_INET, "dum1");
    rep.nlflags = REPLACE;
    k.rtm_new_nexthop(ns, &rep).unwrap();
    assert_eq!(
        route_events(&mut k),
        [
            (LinkMsg::New, IpAddr::V4(D1), nlm_f::REPLACE),
            (LinkMsg::New, IpAddr::V4(D2), nlm_f::REPLACE),
        ]
    );
    let dum1 = ifindex(&k, ns, "dum1");
    assert!(k
        .fib4_routes(ns)
        .iter()
        .filter(|r| r.nh_id != 0)
        .all(|r| r.nhs[0].ifindex == dum1));
}
