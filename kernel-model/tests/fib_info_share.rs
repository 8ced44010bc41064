//! Routes that say the same thing share one `fib_info` (fib_semantics.c: `fib_find_info` at the
//! end of `fib_create_info`, `fib_treeref` counting the aliases, `fib_release_info` freeing it
//! with the last one); replacing one route gives it its own without touching the others; state
//! changes (a device going down) reach every route sharing it.

mod common;

use common::{boot, ifindex, route4_dev, set};
use kernel_model::inet::fib::frontend::nlm_f;
use kernel_model::inet::fib::semantics::{FibAlias, FibConfig};
use kernel_model::inet::fib::uapi::table;
use kernel_model::uapi::iff;
use kernel_model::{Kernel, NetnsId};
use std::net::Ipv4Addr;

/// `ip route add 10.0.I.0/24 dev DEV`.
fn route(i: u32, oif: u32) -> FibConfig {
    route4_dev(&format!("10.0.{i}.0"), 24, oif)
}

/// Init_net with eth0 and eth1 up; their ifindexes.
fn two_devices_up() -> (Kernel, NetnsId, u32, u32) {
    let mut k = boot();
    let ns = k.init_net();
    for name in ["eth0", "eth1"] {
        set(&mut k, ns, name, |r| {
            r.ifi_flags = iff::UP;
            r.ifi_change = iff::UP;
        })
        .unwrap();
    }
    k.take_events();
    let (e0, e1) = (ifindex(&k, ns, "eth0"), ifindex(&k, ns, "eth1"));
    (k, ns, e0, e1)
}

/// The distinct fib_infos of the namespace (`fib_info_cnt`).
fn fib_info_cnt(k: &Kernel, ns: NetnsId) -> usize {
    k.fib(ns).map_or(0, |f| f.v4.infos().len())
}

/// The alias of 10.0.I.0/24 in main.
fn alias(k: &Kernel, ns: NetnsId, i: u32) -> FibAlias {
    let t = k.fib(ns).and_then(|f| f.v4.get(table::MAIN)).unwrap();
    t.trie
        .aliases(u32::from(Ipv4Addr::new(10, 0, i as u8, 0)), 24)[0]
        .clone()
}

fn treeref(k: &Kernel, ns: NetnsId, fa: &FibAlias) -> u32 {
    k.fib(ns).unwrap().v4.infos().treeref(&fa.info)
}

#[test]
fn routes_with_the_same_nexthop_share_one_fib_info() {
    // A route's own part: dscp, type and the shared fib_info (the B-tree slot holds it inline).
    assert!(std::mem::size_of::<FibAlias>() <= 16);
    let (mut k, ns, e0, _) = two_devices_up();
    for i in 0..3 {
        k.inet_rtm_newroute(ns, &route(i, e0)).unwrap();
    }
    assert_eq!(fib_info_cnt(&k, ns), 1);
    let (a0, a2) = (alias(&k, ns, 0), alias(&k, ns, 2));
    assert!(std::sync::Arc::ptr_eq(&a0.info, &a2.info));
    assert_eq!(treeref(&k, ns, &a0), 3);
    // Another metric is another fib_info (fib_priority is part of what is compared).
    let mut c = route(3, e0);
    c.priority = 5;
    k.inet_rtm_newroute(ns, &c).unwrap();
    assert_eq!(fib_info_cnt(&k, ns), 2);
    assert_eq!(treeref(&k, ns, &a0), 3);
}

#[test]
fn deleting_the_last_route_frees_its_fib_info() {
    let (mut k, ns, e0, _) = two_devices_up();
    for i in 0..3 {
        k.inet_rtm_newroute(ns, &route(i, e0)).unwrap();
    }
    let shared = alias(&k, ns, 0);
    for i in 0..2 {
        k.inet_rtm_delroute(ns, &route(i, e0)).unwrap();
    }
    assert_eq!((fib_info_cnt(&k, ns), treeref(&k, ns, &shared)), (1, 1));
    k.inet_rtm_delroute(ns, &route(2, e0)).unwrap();
    assert_eq!((fib_info_cnt(&k, ns), treeref(&k, ns, &shared)), (0, 0));
    // The next equal route links a fresh one.
    k.inet_rtm_newroute(ns, &route(0, e0)).unwrap();
    assert_eq!(fib_info_cnt(&k, ns), 1);
    assert!(!std::sync::Arc::ptr_eq(
        &alias(&k, ns, 0).info,
        &shared.info
    ));
}

#[test]
fn replacing_one_route_leaves_its_siblings_alone() {
    let (mut k, ns, e0, e1) = two_devices_up();
    for i in 0..3 {
        k.inet_rtm_newroute(ns, &route(i, e0)).unwrap();
    }
    let before = k.fib4_routes(ns);
    // ip route replace 10.0.1.0/24 dev eth1
    let mut c = route(1, e1);
    c.nlflags = nlm_f::CREATE | nlm_f::REPLACE;
    k.inet_rtm_newroute(ns, &c).unwrap();
    let after = k.fib4_routes(ns);
    assert_eq!(after[0], before[0]);
    assert_eq!(after[2], before[2]);
    assert_eq!(after[1].nhs[0].ifindex, e1);
    assert_eq!(fib_info_cnt(&k, ns), 2);
    let (a0, a1) = (alias(&k, ns, 0), alias(&k, ns, 1));
    assert_eq!((treeref(&k, ns, &a0), treeref(&k, ns, &a1)), (2, 1));
    // Replacing it back shares the first fib_info again.
    let mut c = route(1, e0);
    c.nlflags = nlm_f::CREATE | nlm_f::REPLACE;
    k.inet_rtm_newroute(ns, &c).unwrap();
    assert_eq!(fib_info_cnt(&k, ns), 1);
    assert_eq!(treeref(&k, ns, &a0), 3);
    assert_eq!(k.fib4_routes(ns), before);
}

#[test]
fn a_device_going_down_kills_every_route_sharing_its_fib_info() {
    let (mut k, ns, e0, e1) = two_devices_up();
    for i in 0..3 {
        k.inet_rtm_newroute(ns, &route(i, e0)).unwrap();
    }
    k.inet_rtm_newroute(ns, &route(9, e1)).unwrap();
    set(&mut k, ns, "eth0", |r| {
        r.ifi_flags = 0;
        r.ifi_change = iff::UP;
    })
    .unwrap();
    // fib_sync_down_dev marked the shared fib_info dead once; fib_flush took its 3 aliases.
    let left: Vec<u32> = k.fib4_routes(ns).iter().map(|r| r.nhs[0].ifindex).collect();
    assert_eq!(left, vec![e1]);
    assert_eq!(fib_info_cnt(&k, ns), 1);
}

#[test]
fn a_state_file_links_equal_fib_infos_again() {
    let (mut k, ns, e0, _) = two_devices_up();
    for i in 0..3 {
        k.inet_rtm_newroute(ns, &route(i, e0)).unwrap();
    }
    let v = serde_json::to_value(&k).unwrap();
    let back: Kernel = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(fib_info_cnt(&back, ns), 1);
    assert_eq!(treeref(&back, ns, &alias(&back, ns, 1)), 3);
    assert_eq!(back.fib4_routes(ns), k.fib4_routes(ns));
    assert_eq!(serde_json::to_value(&back).unwrap(), v);
}
