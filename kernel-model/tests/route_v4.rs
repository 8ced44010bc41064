//! The IPv4 FIB: tables created on demand, fib_table_insert / fib_table_delete with the NLM_F_*
//! rules, fib_create_info's checks, the routes of an address (fib_add_ifaddr, fib_del_ifaddr)
//! and what device events do to routes (measured: golden/kernel/6.12/route4.txt,
//! route-multipath.txt, monitor-addr-route.txt, addr4-events.txt).

mod common;

use common::{add_dummy_link, boot, dev, errno_of, ifindex, route4_dev as route, set};
use kernel_model::inet::fib::frontend::{nlm_f, FibDumpFilter, InetaddrEvent};
use kernel_model::inet::fib::semantics::{FibAlias, Flow4, MetricCfg, MultipathCfg, RtnhCfg};
use kernel_model::inet::fib::uapi::{errno as rt_errno, rtn, rtnh_f, rtprot, scope, table};
use kernel_model::inet::fib::view::RouteView;
use kernel_model::inet::ifaddr::InIfaddr;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkMsg, LinkRequest, NetnsId};
use std::net::{IpAddr, Ipv4Addr};

fn add_dummy(k: &mut Kernel, ns: NetnsId, name: &str, up: bool) {
    add_dummy_link(k, ns, name);
    if up {
        set_up(k, ns, name, true);
    }
    k.take_events();
}

fn set_up(k: &mut Kernel, ns: NetnsId, name: &str, on: bool) {
    set(k, ns, name, |r| {
        r.ifi_flags = if on { iff::UP } else { 0 };
        r.ifi_change = iff::UP;
    })
    .unwrap();
}

fn v4(s: &str) -> u32 {
    u32::from(s.parse::<Ipv4Addr>().unwrap())
}

/// AF_INET.
const AF_INET: u8 = 2;

fn routes(k: &Kernel) -> Vec<RouteView> {
    k.fib4_routes(k.init_net())
}

/// The IPv4 route events, as (message, destination, table, nlflags).
fn route_events(k: &mut Kernel) -> Vec<(LinkMsg, String, u32, u16)> {
    k.take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Route {
                msg, nlflags, view, ..
            } if view.family == AF_INET => Some((
                msg,
                format!("{}/{}", view.dst, view.dst_len),
                view.table,
                nlflags,
            )),
            _ => None,
        })
        .collect()
}

fn ifa(k: &Kernel, ns: NetnsId, name: &str, local: &str, plen: u8) -> InIfaddr {
    InIfaddr {
        dev: dev(k, ns, name),
        local: local.parse().unwrap(),
        address: local.parse().unwrap(),
        prefixlen: plen,
        broadcast: Ipv4Addr::UNSPECIFIED,
        scope: 0,
        flags: 0,
        label: name.into(),
        rt_priority: 0,
        proto: 0,
        valid_lft: u32::MAX,
        prefered_lft: u32::MAX,
        cstamp: 0,
        tstamp: 0,
    }
}

#[test]
fn no_table_exists_until_a_route_needs_one() {
    let k = boot();
    let ns = k.init_net();
    assert!(routes(&k).is_empty());
    let f = FibDumpFilter {
        table_id: table::MAIN,
        filter_set: true,
        dump_routes: true,
        ..Default::default()
    };
    let e = k.inet_dump_fib(ns, &f, true).unwrap_err();
    assert_eq!(e.errno, errno::ENOENT);
    assert_eq!(e.msg.as_deref(), Some("ipv4: FIB table does not exist"));
    // An AF_UNSPEC dump (rtnl_dump_all) does not complain.
    assert!(k.inet_dump_fib(ns, &f, false).unwrap().is_empty());
}

#[test]
fn add_duplicate_append_replace_delete() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    add_dummy(&mut k, ns, "dum1", true);
    let (d0, d1) = (ifindex(&k, ns, "dum0"), ifindex(&k, ns, "dum1"));
    k.inet_rtm_newroute(ns, &route("192.0.2.0", 24, d0))
        .unwrap();
    assert_eq!(
        route_events(&mut k),
        vec![(
            LinkMsg::New,
            "192.0.2.0/24".into(),
            254,
            nlm_f::EXCL | nlm_f::CREATE
        )]
    );
    // NLM_F_EXCL: the same prefix, dscp and priority exists.
    assert_eq!(
        errno_of(k.inet_rtm_newroute(ns, &route("192.0.2.0", 24, d1))),
        errno::EEXIST
    );
    // append: behind the existing alias.
    let mut app = route("192.0.2.0", 24, d1);
    app.nlflags = nlm_f::CREATE | nlm_f::APPEND;
    k.inet_rtm_newroute(ns, &app).unwrap();
    assert_eq!(
        route_events(&mut k),
        vec![(
            LinkMsg::New,
            "192.0.2.0/24".into(),
            254,
            nlm_f::CREATE | nlm_f::APPEND
        )]
    );
    // an exact duplicate is refused even with append.
    assert_eq!(errno_of(k.inet_rtm_newroute(ns, &app)), errno::EEXIST);
    let oifs: Vec<u32> = routes(&k).iter().map(|r| r.nhs[0].ifindex).collect();
    assert_eq!(oifs, vec![d0, d1]);
    // prepend (create without excl): before the first.
    let mut pre = route("192.0.2.0", 24, d1);
    pre.scope = scope::UNIVERSE;
    pre.nlflags = nlm_f::CREATE;
    k.inet_rtm_newroute(ns, &pre).unwrap();
    assert_eq!(routes(&k)[0].scope, scope::UNIVERSE);
    // replace: the first alias is swapped, notified with NLM_F_REPLACE only.
    k.take_events();
    let mut rep = route("192.0.2.0", 24, d0);
    rep.protocol = rtprot::KERNEL;
    rep.nlflags = nlm_f::CREATE | nlm_f::REPLACE;
    k.inet_rtm_newroute(ns, &rep).unwrap();
    assert_eq!(
        route_events(&mut k),
        vec![(LinkMsg::New, "192.0.2.0/24".into(), 254, nlm_f::REPLACE)]
    );
    assert_eq!(routes(&k).len(), 3);
    assert_eq!(routes(&k)[0].protocol, rtprot::KERNEL);
    // change (replace without create) of a missing route: ENOENT.
    let mut chg = route("198.51.100.0", 24, d0);
    chg.nlflags = nlm_f::REPLACE;
    assert_eq!(errno_of(k.inet_rtm_newroute(ns, &chg)), errno::ENOENT);
    // delete: the first match; a missing one is ESRCH.
    let mut del = route("192.0.2.0", 24, 0);
    del.scope = scope::NOWHERE;
    del.protocol = 0;
    del.kind = 0;
    k.inet_rtm_delroute(ns, &del).unwrap();
    assert_eq!(routes(&k).len(), 2);
    let mut gone = del.clone();
    gone.dst = v4("203.0.113.0");
    assert_eq!(errno_of(k.inet_rtm_delroute(ns, &gone)), errno::ESRCH);
    let mut other = del.clone();
    other.table = 100;
    let e = k.inet_rtm_delroute(ns, &other).unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::ESRCH, Some("FIB table does not exist"))
    );
}

#[test]
fn create_info_checks_in_kernel_order() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    add_dummy(&mut k, ns, "dum9", false);
    let d0 = ifindex(&k, ns, "dum0");
    // An address, so the local table exists (inet_addr_type_dev_table looks there).
    let a = ifa(&k, ns, "dum0", "10.0.0.1", 24);
    k.fib_inetaddr_event(&a, InetaddrEvent::Up);
    let msg = |r: Result<(), kernel_model::KernelError>| {
        let e = r.unwrap_err();
        (e.errno, e.msg.map(|m| m.to_string()).unwrap_or_default())
    };
    // A host-scope route needs no gateway; a link-scope unicast can't be universe-typed local.
    let mut c = route("203.0.113.5", 32, d0);
    c.kind = rtn::LOCAL;
    c.scope = scope::LINK;
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (errno::EINVAL, "Invalid scope".into())
    );
    let mut c = route("203.0.113.6", 32, d0);
    c.flags = rtnh_f::DEAD;
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (
            errno::EINVAL,
            "Invalid rtm_flags - can not contain DEAD or LINKDOWN".into()
        )
    );
    let mut c = route("203.0.113.7", 32, d0);
    c.kind = rtn::BLACKHOLE;
    c.scope = scope::UNIVERSE;
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (
            errno::EINVAL,
            "Gateway, device and multipath can not be specified for this route type".into()
        )
    );
    let mut c = route("203.0.113.8", 32, 0);
    c.kind = rtn::NAT;
    c.scope = scope::UNIVERSE;
    // fib_props[RTN_NAT].scope is RT_SCOPE_NOWHERE.
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (errno::EINVAL, "Invalid scope".into())
    );
    // Device down / missing.
    let c = route("198.19.2.0", 24, ifindex(&k, ns, "dum9"));
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (errno::ENETDOWN, "Device for nexthop is not up".into())
    );
    assert_eq!(
        errno_of(k.inet_rtm_newroute(ns, &route("198.19.5.0", 24, 999))),
        errno::ENODEV
    );
    // A gateway no route reaches: fib_lookup's ENETUNREACH with the gateway message.
    let mut c = route("198.18.0.0", 16, 0);
    c.gw = Some("172.16.0.1".parse().unwrap());
    c.scope = scope::UNIVERSE;
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (rt_errno::ENETUNREACH, "Nexthop has invalid gateway".into())
    );
    // onlink: needs a device that is up, and a scope below link.
    c.oif = d0;
    c.flags = rtnh_f::ONLINK;
    k.inet_rtm_newroute(ns, &c).unwrap();
    let r = routes(&k).into_iter().find(|r| r.dst_len == 16).unwrap();
    assert_eq!(r.flags & rtnh_f::ONLINK, rtnh_f::ONLINK);
    let mut c2 = c.clone();
    c2.dst = v4("198.17.0.0");
    c2.scope = scope::LINK;
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c2)),
        (errno::EINVAL, "Nexthop has invalid scope".into())
    );
    // prefsrc must be a local address.
    let mut c = route("198.20.1.0", 24, d0);
    c.prefsrc = v4("10.0.0.99");
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (errno::EINVAL, "Invalid prefsrc address".into())
    );
    // Metrics: a locked cwnd needs a value; unknown types are refused.
    let mut c = route("198.21.0.0", 16, d0);
    c.mx = Some(vec![MetricCfg {
        kind: 1,
        value: Some(1 << 7),
        text: None,
    }]);
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (errno::EINVAL, "Locked cwnd metric must be non zero".into())
    );
    c.mx = Some(vec![MetricCfg {
        kind: 2,
        value: Some(70000),
        text: None,
    }]);
    k.inet_rtm_newroute(ns, &c).unwrap();
    let r = routes(&k)
        .into_iter()
        .find(|r| r.dst_len == 16 && r.metrics.len() == 1)
        .unwrap();
    assert_eq!(r.metrics, vec![(2, 65535 - 15)]);
    // Nexthop objects do not exist.
    let mut c = route("198.22.0.0", 16, 0);
    c.nh_id = 5;
    assert_eq!(
        msg(k.inet_rtm_newroute(ns, &c)),
        (errno::EINVAL, "Nexthop id does not exist".into())
    );
}

#[test]
fn address_routes_local_prefix_broadcast_and_their_removal() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let a = ifa(&k, ns, "dum0", "10.0.0.1", 24);
    k.fib_inetaddr_event(&a, InetaddrEvent::Up);
    // fib_add_ifaddr: local, prefix, network broadcast; pid 0 (fib_magic).
    let ev = k.take_events();
    let got: Vec<(String, u32, u8, bool)> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Route {
                view, from_request, ..
            } => Some((
                format!("{}/{}", view.dst, view.dst_len),
                view.table,
                view.kind,
                *from_request,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("10.0.0.1/32".into(), table::LOCAL, rtn::LOCAL, false),
            ("10.0.0.0/24".into(), table::MAIN, rtn::UNICAST, false),
            ("10.0.0.255/32".into(), table::LOCAL, rtn::BROADCAST, false),
        ]
    );
    // Dump order: main before local (hash buckets 254, 255); keys ascending inside a table.
    let r = routes(&k);
    let order: Vec<(u32, String)> = r.iter().map(|v| (v.table, v.dst.to_string())).collect();
    assert_eq!(
        order,
        vec![
            (254, "10.0.0.0".into()),
            (255, "10.0.0.1".into()),
            (255, "10.0.0.255".into())
        ]
    );
    assert_eq!(r[0].prefsrc, Some(IpAddr::V4("10.0.0.1".parse().unwrap())));
    assert_eq!((r[0].protocol, r[0].scope), (rtprot::KERNEL, scope::LINK));
    assert_eq!((r[1].protocol, r[1].scope), (rtprot::KERNEL, scope::HOST));
    // A gateway in the prefix now resolves.
    let mut c = route("192.0.2.0", 24, 0);
    c.gw = Some("10.0.0.2".parse().unwrap());
    c.scope = scope::UNIVERSE;
    k.inet_rtm_newroute(ns, &c).unwrap();
    let res = k
        .fib_lookup(
            ns,
            &Flow4 {
                daddr: v4("192.0.2.77"),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((res.prefixlen, res.kind), (24, rtn::UNICAST));
    let res = k
        .fib_lookup(
            ns,
            &Flow4 {
                daddr: v4("10.0.0.1"),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(res.kind, rtn::LOCAL);
    k.take_events();
    // Admin down: routes through the device die silently, the local route stays.
    set_up(&mut k, ns, "dum0", false);
    assert!(route_events(&mut k).is_empty());
    let left: Vec<String> = routes(&k).iter().map(|v| v.dst.to_string()).collect();
    assert_eq!(left, vec!["10.0.0.1"]);
    // Back up (no address list on this branch's stub: nothing re-added but the local route
    // keeps working).
    set_up(&mut k, ns, "dum0", true);
    // The address goes: its routes are deleted with notifications.
    k.fib_inetaddr_event(&a, InetaddrEvent::Down);
    let ev = route_events(&mut k);
    assert!(ev.iter().all(|(m, ..)| *m == LinkMsg::Del));
    assert!(routes(&k).is_empty());
}

#[test]
fn an_address_on_a_down_device_gets_only_its_local_route() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", false);
    let mut a = ifa(&k, ns, "dum0", "10.2.0.1", 24);
    a.broadcast = "10.2.0.255".parse().unwrap();
    k.fib_inetaddr_event(&a, InetaddrEvent::Up);
    let r = routes(&k);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].kind, r[0].table), (rtn::LOCAL, table::LOCAL));
}

#[test]
fn multipath_weights_linkdown_and_dead() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    add_dummy(&mut k, ns, "dum1", true);
    let (d0, d1) = (ifindex(&k, ns, "dum0"), ifindex(&k, ns, "dum1"));
    let mut c = route("192.0.2.0", 24, 0);
    c.scope = scope::UNIVERSE;
    c.mp = Some(MultipathCfg {
        hops: vec![
            RtnhCfg {
                ifindex: d0,
                hops: 1,
                ..Default::default()
            },
            RtnhCfg {
                ifindex: d1,
                ..Default::default()
            },
        ],
        trailing: false,
    });
    k.inet_rtm_newroute(ns, &c).unwrap();
    let r = &routes(&k)[0];
    assert!(r.multipath);
    assert_eq!(
        r.nhs
            .iter()
            .map(|n| (n.ifindex, n.hops))
            .collect::<Vec<_>>(),
        vec![(d0, 1), (d1, 0)]
    );
    // Admin down of dum1: its nexthop is dead (and linkdown), the route stays.
    set_up(&mut k, ns, "dum1", false);
    let r = &routes(&k)[0];
    assert_eq!(r.nhs[1].flags as u32, rtnh_f::DEAD | rtnh_f::LINKDOWN);
    assert_eq!(r.nhs[0].flags, 0);
    // Both down: the route is flushed.
    set_up(&mut k, ns, "dum0", false);
    assert!(routes(&k).is_empty());
    // Leftover bytes after the nexthops.
    c.mp.as_mut().unwrap().trailing = true;
    let e = k.inet_rtm_newroute(ns, &c).unwrap_err();
    assert_eq!(
        e.msg.as_deref(),
        Some("Invalid nexthop configuration - extra data after nexthops")
    );
}

#[test]
fn unregister_removes_every_route_through_the_device() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    k.inet_rtm_newroute(ns, &route("192.0.2.0", 24, d0))
        .unwrap();
    let req = LinkRequest {
        ifindex: d0 as i32,
        ..Default::default()
    };
    k.dellink(ns, &req).unwrap();
    assert!(routes(&k).is_empty());
    k.check_invariants().unwrap();
}

#[test]
fn numbered_tables_dump_in_hash_bucket_order() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    for t in [4_000_000_000u32, 100, 1000] {
        let mut c = route("203.0.113.11", 32, d0);
        c.table = t;
        k.inet_rtm_newroute(ns, &c).unwrap();
    }
    k.inet_rtm_newroute(ns, &route("203.0.113.12", 32, d0))
        .unwrap();
    // Buckets: 4e9 & 255 = 0, 100, 1000 & 255 = 232, main 254.
    let t: Vec<u32> = routes(&k).iter().map(|r| r.table).collect();
    assert_eq!(t, vec![4_000_000_000, 100, 1000, 254]);
}

#[test]
fn a_table_holds_many_routes_compactly() {
    // The alias a route costs, without the B-tree's share.
    assert!(
        std::mem::size_of::<FibAlias>() <= 128,
        "{}",
        std::mem::size_of::<FibAlias>()
    );
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    k.take_events();
    for i in 0..20_000u32 {
        let mut c = route("10.0.0.0", 32, d0);
        c.dst = 0x0a00_0000 | (i << 8);
        c.dst_len = 24;
        k.inet_rtm_newroute(ns, &c).unwrap();
    }
    k.take_events();
    let res = k
        .fib_table_lookup(
            ns,
            table::MAIN,
            &Flow4 {
                daddr: 0x0a00_0000 | (12_345 << 8) | 7,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (res.prefix, res.prefixlen),
        (0x0a00_0000 | (12_345 << 8), 24)
    );
    assert_eq!(routes(&k).len(), 20_000);
}

#[test]
fn routes_survive_a_state_file_round_trip() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    let a = ifa(&k, ns, "dum0", "10.0.0.1", 24);
    k.fib_inetaddr_event(&a, InetaddrEvent::Up);
    let mut c = route("192.0.2.0", 24, d0);
    c.table = 100;
    k.inet_rtm_newroute(ns, &c).unwrap();
    let before = routes(&k);
    let v = serde_json::to_value(&k).unwrap();
    let back: Kernel = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(routes(&back), before);
    assert_eq!(serde_json::to_value(&back).unwrap(), v);
}
