//! IPv6 routes: tables main and local from the start, ip6_route_add's checks, the ECMP
//! siblings of fib6_add_rt2node, deletion, the routes addrconf asks for and the fib6 walk
//! order (measured: golden/kernel/6.12/route6.txt, route-multipath.txt,
//! monitor-addr-route.txt, bridge-updown.txt).

mod common;

use common::{add_dummy_link, boot, dev, errno_of, ifindex, set};
use kernel_model::inet::fib::frontend::{nlm_f, FibDumpFilter};
use kernel_model::inet::fib::uapi::{pref, rtf, rtn, rtnh_f, rtprot, table};
use kernel_model::inet::fib::view::RouteView;
use kernel_model::inet::ip6_route::{Fib6Config, Rtnh6Cfg};
use kernel_model::time::NSEC_PER_SEC;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkMsg, NetnsId};
use std::net::{IpAddr, Ipv6Addr};

fn add_dummy(k: &mut Kernel, ns: NetnsId, name: &str, up: bool) {
    add_dummy_link(k, ns, name);
    // `ip link set NAME addrgenmode none`: no link-local (and no fe80::/64 or local route of
    // one) beside the routes each test makes.
    set(k, ns, name, |r| r.addr_gen_mode = Some(1)).unwrap();
    if up {
        set(k, ns, name, |r| {
            r.ifi_flags = iff::UP;
            r.ifi_change = iff::UP;
        })
        .unwrap();
    }
    k.take_events();
}

fn a6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// `ip -6 route add DST/PLEN [via GW] dev DEV` as iproute2 sends it.
fn route6(dst: &str, plen: u8, oif: u32, gw: Option<&str>) -> Fib6Config {
    let mut c = Fib6Config {
        table: table::MAIN,
        dst: a6(dst),
        dst_len: plen,
        flags: rtf::UP,
        protocol: rtprot::BOOT,
        kind: rtn::UNICAST,
        ifindex: oif,
        nlflags: Some(nlm_f::CREATE | nlm_f::EXCL),
        ..Default::default()
    };
    if let Some(g) = gw {
        c.gateway = a6(g);
        c.flags |= rtf::GATEWAY;
    }
    c
}

/// The routes, without the ff00::/8 multicast route `addrconf_add_dev` puts in the local
/// table of every device that comes up (`addrconf_add_mroute`).
fn routes(k: &Kernel) -> Vec<RouteView> {
    k.fib6_routes(k.init_net())
        .into_iter()
        .filter(|r| !(r.dst_len == 8 && r.dst.to_string() == "ff00::"))
        .collect()
}

#[test]
fn main_and_local_exist_numbered_tables_do_not() {
    let k = boot();
    let ns = k.init_net();
    let mut f = FibDumpFilter {
        table_id: table::LOCAL,
        filter_set: true,
        dump_routes: true,
        ..Default::default()
    };
    assert!(k.inet6_dump_fib(ns, &f, true).unwrap().is_empty());
    f.table_id = 100;
    let e = k.inet6_dump_fib(ns, &f, true).unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::ENOENT, Some("ipv6: FIB table does not exist"))
    );
}

#[test]
fn add_metric_default_duplicate_and_device_checks() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    add_dummy(&mut k, ns, "dum9", false);
    let d0 = ifindex(&k, ns, "dum0");
    k.inet6_rtm_newroute(ns, &route6("2001:db8:1::", 48, d0, None))
        .unwrap();
    let r = &routes(&k)[0];
    assert_eq!((r.priority, r.protocol), (1024, rtprot::BOOT));
    assert_eq!(r.v6.unwrap().pref, pref::MEDIUM);
    assert_eq!(
        errno_of(k.inet6_rtm_newroute(ns, &route6("2001:db8:1::", 48, d0, None))),
        errno::EEXIST
    );
    let e = k
        .inet6_rtm_newroute(
            ns,
            &route6("2001:db8:2::", 48, ifindex(&k, ns, "dum9"), None),
        )
        .unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::ENETDOWN, Some("Nexthop device is not up"))
    );
    assert_eq!(
        errno_of(k.inet6_rtm_newroute(ns, &route6("2001:db8:3::", 48, 0, None))),
        errno::ENODEV
    );
    let e = k
        .inet6_rtm_newroute(ns, &route6("2001:db8:4::", 48, 0, Some("fe80::1")))
        .unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("Egress device not specified"));
    let e = k
        .inet6_rtm_newroute(ns, &route6("2001:db8:4::", 48, d0, Some("ff02::1")))
        .unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("Invalid gateway address"));
    // A global gateway no route reaches.
    assert_eq!(
        errno_of(k.inet6_rtm_newroute(ns, &route6("2001:db8:5::", 48, 0, Some("2001:db8:99::1")))),
        kernel_model::inet::fib::uapi::errno::EHOSTUNREACH
    );
    // Reachable through the device route above.
    k.inet6_rtm_newroute(ns, &route6("2001:db8:5::", 48, 0, Some("2001:db8:1::2")))
        .unwrap();
    let r = routes(&k)
        .into_iter()
        .find(|r| r.dst_len == 48 && r.nhs[0].gateway.is_some())
        .unwrap();
    assert_eq!(r.nhs[0].ifindex, d0);
    // Reject routes go through loopback.
    let mut c = route6("2001:db8:6::", 48, 0, None);
    c.kind = rtn::UNREACHABLE;
    c.flags |= rtf::REJECT;
    k.inet6_rtm_newroute(ns, &c).unwrap();
    let lo = ifindex(&k, ns, "lo");
    let r = routes(&k)
        .into_iter()
        .find(|r| r.kind == rtn::UNREACHABLE)
        .unwrap();
    assert_eq!(r.nhs[0].ifindex, lo);
    // tables are created by a route.
    let mut c = route6("2001:db8:7::", 48, d0, None);
    c.table = 100;
    k.inet6_rtm_newroute(ns, &c).unwrap();
    assert!(routes(&k).iter().any(|r| r.table == 100));
}

#[test]
fn ecmp_siblings_dump_as_one_route_and_delete_by_gateway() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    k.inet6_rtm_newroute(ns, &route6("2001:db8:100::", 48, d0, Some("fe80::1")))
        .unwrap();
    let mut app = route6("2001:db8:100::", 48, d0, Some("fe80::2"));
    app.nlflags = Some(nlm_f::CREATE | nlm_f::APPEND);
    k.inet6_rtm_newroute(ns, &app).unwrap();
    let r = routes(&k);
    assert_eq!(r.len(), 1);
    assert!(r[0].multipath);
    assert_eq!(r[0].nhs.len(), 2);
    // A multipath request: one notification with every nexthop.
    k.take_events();
    let mut mp = route6("2001:db8:101::", 48, 0, None);
    mp.mp = Some(vec![
        Rtnh6Cfg {
            ifindex: d0,
            gateway: Some(Ok(a6("fe80::3"))),
            hops: 2,
            ..Default::default()
        },
        Rtnh6Cfg {
            ifindex: d0,
            gateway: Some(Ok(a6("fe80::4"))),
            ..Default::default()
        },
    ]);
    k.inet6_rtm_newroute(ns, &mp).unwrap();
    let ev: Vec<Box<RouteView>> = k
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Route { view, .. } => Some(view),
            _ => None,
        })
        .collect();
    assert_eq!(ev.len(), 1);
    assert_eq!(
        ev[0].nhs.iter().map(|n| n.hops).collect::<Vec<_>>(),
        vec![2, 0]
    );
    // Device-only nexthops are refused by the multipath API.
    let mut bad = route6("2001:db8:102::", 48, 0, None);
    bad.mp = Some(vec![Rtnh6Cfg {
        ifindex: d0,
        ..Default::default()
    }]);
    let e = k.inet6_rtm_newroute(ns, &bad).unwrap_err();
    assert_eq!(
        e.msg.as_deref(),
        Some("Device only routes can not be added for IPv6 using the multipath API.")
    );
    // Delete one nexthop by gateway, then the rest at once.
    let mut del = route6("2001:db8:100::", 48, 0, Some("fe80::1"));
    del.nlflags = Some(0);
    del.metric = 0;
    k.inet6_rtm_delroute(ns, &del).unwrap();
    let r: Vec<RouteView> = routes(&k)
        .into_iter()
        .filter(|r| r.dst.to_string() == "2001:db8:100::")
        .collect();
    assert_eq!(r.len(), 1);
    assert!(!r[0].multipath);
    let mut del = route6("2001:db8:101::", 48, 0, None);
    del.nlflags = Some(0);
    k.take_events();
    k.inet6_rtm_delroute(ns, &del).unwrap();
    let ev = k.take_events();
    assert_eq!(
        ev.len(),
        1,
        "one RTM_DELROUTE for the whole multipath route"
    );
    assert_eq!(errno_of(k.inet6_rtm_delroute(ns, &del)), errno::ESRCH);
}

#[test]
fn addrconf_routes_walk_order_and_device_down() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d = dev(&k, ns, "dum0");
    k.addrconf_add_mroute(d);
    k.addrconf_prefix_route(a6("fe80::"), 64, 0, d, None, 0);
    k.ip6_ins_local_route(d, a6("fe80::1"), false);
    k.addrconf_prefix_route(a6("2001:db8::"), 64, 0, d, None, 0);
    k.ip6_ins_local_route(d, a6("2001:db8::1"), false);
    k.ip6_ins_local_route(d, a6("2001:db8::"), true);
    k.take_events();
    let all: Vec<(u32, String)> = k
        .fib6_routes(ns)
        .iter()
        .map(|r| (r.table, format!("{}/{}", r.dst, r.dst_len)))
        .collect();
    assert_eq!(
        all,
        vec![
            (254, "2001:db8::/64".into()),
            (254, "fe80::/64".into()),
            (255, "2001:db8::/128".into()),
            (255, "2001:db8::1/128".into()),
            (255, "fe80::1/128".into()),
            (255, "ff00::/8".into()),
        ]
    );
    let r = k.fib6_routes(ns);
    assert_eq!((r[0].priority, r[0].protocol), (256, rtprot::KERNEL));
    assert_eq!((r[2].kind, r[2].priority), (rtn::ANYCAST, 0));
    assert_eq!(r[5].kind, rtn::MULTICAST);
    // addrconf_ifdown → rt6_disable_ip: every route through the device, announced in walk
    // order, pid 0.
    k.rt6_disable_ip(d, false);
    let gone: Vec<String> = k
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Route {
                msg: LinkMsg::Del,
                view,
                from_request: false,
                ..
            } => Some(format!("{}/{}", view.dst, view.dst_len)),
            _ => None,
        })
        .collect();
    assert_eq!(
        gone,
        vec![
            "2001:db8::/64",
            "fe80::/64",
            "2001:db8::/128",
            "2001:db8::1/128",
            "fe80::1/128",
            "ff00::/8"
        ]
    );
    assert!(k.fib6_routes(ns).is_empty());
}

#[test]
fn carrier_loss_marks_linkdown_not_local_routes() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d = dev(&k, ns, "dum0");
    k.addrconf_prefix_route(a6("2001:db8::"), 64, 0, d, None, 0);
    k.ip6_ins_local_route(d, a6("2001:db8::1"), false);
    k.rt6_sync_down_dev(d, &kernel_model::kernel::NetdevEvent::Change);
    let r = routes(&k);
    assert_eq!(r[0].flags & rtnh_f::LINKDOWN, rtnh_f::LINKDOWN);
    assert_eq!(r[1].flags & rtnh_f::LINKDOWN, 0);
    k.rt6_sync_up(d, rtnh_f::LINKDOWN);
    assert_eq!(routes(&k)[0].flags & rtnh_f::LINKDOWN, 0);
}

#[test]
fn expiring_route_counts_down_in_clock_ticks() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    let mut c = route6("2001:db8:106::", 48, d0, None);
    c.expires = 100 * 100;
    c.flags |= rtf::EXPIRES;
    k.inet6_rtm_newroute(ns, &c).unwrap();
    assert_eq!(routes(&k)[0].v6.unwrap().expires, 10_000);
    k.advance_by(NSEC_PER_SEC / 2);
    assert_eq!(routes(&k)[0].v6.unwrap().expires, 9_950);
    assert_eq!(routes(&k)[0].dst, IpAddr::V6(a6("2001:db8:106::")));
}

#[test]
fn source_specific_routes_walk_before_the_prefixes_under_their_destination() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    let mut from = route6("2001:db8:403::", 48, d0, None);
    from.src = a6("2001:db8::");
    from.src_len = 32;
    for (dst, plen) in [
        ("2001:db8:400::", 48),
        ("2001:db8::", 32),
        ("2001:db8:402::", 48),
    ] {
        k.inet6_rtm_newroute(ns, &route6(dst, plen, d0, None))
            .unwrap();
    }
    k.inet6_rtm_newroute(ns, &from).unwrap();
    let mut from32 = route6("2001:db8::", 32, d0, None);
    from32.src = a6("2001:db8:1::");
    from32.src_len = 48;
    k.inet6_rtm_newroute(ns, &from32).unwrap();
    let got: Vec<(String, u8)> = routes(&k)
        .iter()
        .map(|r| (format!("{}/{}", r.dst, r.dst_len), r.src_len))
        .collect();
    // fib6_walk: a node's source subtree (FWS_S) before its children, its own routes last.
    assert_eq!(
        got,
        vec![
            ("2001:db8::/32".into(), 48),
            ("2001:db8:400::/48".into(), 0),
            ("2001:db8:402::/48".into(), 0),
            ("2001:db8:403::/48".into(), 32),
            ("2001:db8::/32".into(), 0),
        ]
    );
    // Delete names the source too.
    let mut del = from.clone();
    del.nlflags = Some(0);
    del.metric = 0;
    k.inet6_rtm_delroute(ns, &del).unwrap();
    assert_eq!(errno_of(k.inet6_rtm_delroute(ns, &del)), errno::ESRCH);
    assert_eq!(routes(&k).len(), 4);
}

#[test]
fn the_gc_timer_removes_expired_routes() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    let mut c = route6("2001:db8:106::", 48, d0, None);
    c.expires = 5 * 100;
    c.flags |= rtf::EXPIRES;
    k.inet6_rtm_newroute(ns, &c).unwrap();
    k.take_events();
    // Expired after 5 s, still shown (negative expiry) until the gc runs at 30 s.
    k.advance_by(10 * NSEC_PER_SEC);
    assert!(routes(&k)[0].v6.unwrap().expires < 0);
    k.advance_by(21 * NSEC_PER_SEC);
    assert!(routes(&k).is_empty());
    let del = k
        .take_events()
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                Event::Route {
                    msg: LinkMsg::Del,
                    ..
                }
            )
        })
        .count();
    assert_eq!(del, 1);
}

#[test]
fn ipv6_routes_survive_a_state_file_round_trip() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0", true);
    let d0 = ifindex(&k, ns, "dum0");
    k.inet6_rtm_newroute(ns, &route6("2001:db8:1::", 48, d0, None))
        .unwrap();
    let mut from = route6("2001:db8:2::", 48, d0, None);
    from.src = a6("2001:db8::");
    from.src_len = 32;
    k.inet6_rtm_newroute(ns, &from).unwrap();
    let before = routes(&k);
    let v = serde_json::to_value(&k).unwrap();
    let back: Kernel = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(routes(&back), before);
}
