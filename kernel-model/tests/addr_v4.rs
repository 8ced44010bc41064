//! IPv4 addresses (net/ipv4/devinet.c): insertion order, secondaries, deletion, loopback,
//! rename, MTU and lifetimes on the clock.

mod common;

use common::*;
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::inet::ifaddr::{ifa_f, RT_SCOPE_HOST};
use kernel_model::time::NSEC_PER_SEC;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkMsg, NetnsId};
use std::net::{IpAddr, Ipv4Addr};

fn req(k: &Kernel, ns: NetnsId, dev: &str, a: [u8; 4], plen: u8) -> AddrRequest {
    AddrRequest {
        prefixlen: plen,
        ifindex: ifindex(k, ns, dev),
        local: Some(IpAddr::V4(Ipv4Addr::from(a))),
        ..AddrRequest::default()
    }
}

fn locals(k: &Kernel, ns: NetnsId, name: &str) -> Vec<(Ipv4Addr, u8, bool)> {
    k.in_dev_addrs(dev(k, ns, name))
        .iter()
        .map(|a| (a.local, a.prefixlen, a.flags & ifa_f::SECONDARY != 0))
        .collect()
}

fn addr_events(k: &mut Kernel) -> Vec<(LinkMsg, Option<IpAddr>)> {
    k.take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Addr { msg, view, .. } => Some((msg, view.local)),
            _ => None,
        })
        .collect()
}

fn up(k: &mut Kernel, ns: NetnsId, name: &str) {
    set(k, ns, name, |r| {
        r.ifi_flags = iff::UP;
        r.ifi_change = iff::UP;
    })
    .unwrap();
}

#[test]
fn duplicates_secondaries_and_order() {
    let mut k = boot();
    let ns = k.init_net();
    k.inet_rtm_newaddr(ns, &req(&k, ns, "eth0", [192, 0, 2, 1], 24))
        .unwrap();
    let e = k
        .inet_rtm_newaddr(ns, &req(&k, ns, "eth0", [192, 0, 2, 1], 24))
        .unwrap_err();
    assert_eq!(e.errno, errno::EEXIST);
    assert_eq!(e.msg.as_deref(), Some("ipv4: Address already assigned"));
    // Same address, other mask: another primary, after the first.
    k.inet_rtm_newaddr(ns, &req(&k, ns, "eth0", [192, 0, 2, 1], 16))
        .unwrap();
    k.inet_rtm_newaddr(ns, &req(&k, ns, "eth0", [192, 0, 2, 2], 24))
        .unwrap();
    assert_eq!(
        locals(&k, ns, "eth0"),
        vec![
            ([192, 0, 2, 1].into(), 24, false),
            ([192, 0, 2, 1].into(), 16, false),
            ([192, 0, 2, 2].into(), 24, true),
        ]
    );
    // 0.0.0.0 is accepted and ignored.
    k.inet_rtm_newaddr(ns, &req(&k, ns, "eth0", [0, 0, 0, 0], 0))
        .unwrap();
    assert_eq!(locals(&k, ns, "eth0").len(), 3);
}

#[test]
fn deleting_a_primary_takes_its_secondaries_first() {
    let mut k = boot();
    let ns = k.init_net();
    for a in [[10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 0, 3]] {
        k.inet_rtm_newaddr(ns, &req(&k, ns, "eth0", a, 24)).unwrap();
    }
    k.take_events();
    let mut d = req(&k, ns, "eth0", [10, 0, 0, 1], 24);
    d.address = d.local;
    k.inet_rtm_deladdr(ns, &d).unwrap();
    let ev = addr_events(&mut k);
    let l = |a: [u8; 4]| Some(IpAddr::V4(a.into()));
    assert_eq!(
        ev,
        vec![
            (LinkMsg::Del, l([10, 0, 0, 2])),
            (LinkMsg::Del, l([10, 0, 0, 3])),
            (LinkMsg::Del, l([10, 0, 0, 1])),
        ]
    );
    assert!(locals(&k, ns, "eth0").is_empty());
    let e = k.inet_rtm_deladdr(ns, &d).unwrap_err();
    assert_eq!(e.errno, errno::EADDRNOTAVAIL);
}

#[test]
fn loopback_up_gives_127_0_0_1_once() {
    let mut k = boot();
    let ns = k.init_net();
    up(&mut k, ns, "lo");
    let lo = k.in_dev_addrs(dev(&k, ns, "lo"));
    assert_eq!(lo.len(), 1);
    assert_eq!(lo[0].local, Ipv4Addr::LOCALHOST);
    assert_eq!(lo[0].scope, RT_SCOPE_HOST);
    assert_eq!(lo[0].label, "lo");
    assert!(lo[0].flags & ifa_f::PERMANENT != 0);
}

#[test]
fn rename_relabels_and_mtu_below_68_destroys() {
    let mut k = boot();
    let ns = k.init_net();
    k.inet_rtm_newaddr(ns, &req(&k, ns, "eth1", [10, 0, 0, 1], 24))
        .unwrap();
    let mut r = req(&k, ns, "eth1", [10, 0, 0, 2], 24);
    r.label = Some("eth1:x".into());
    k.inet_rtm_newaddr(ns, &r).unwrap();
    k.inet_rtm_newaddr(ns, &req(&k, ns, "eth1", [10, 1, 0, 2], 24))
        .unwrap();
    let id = dev(&k, ns, "eth1");
    k.dev_change_name(id, "wan").unwrap();
    let labels: Vec<String> = k.in_dev_addrs(id).iter().map(|a| a.label.clone()).collect();
    // 10.1.0.2 is a primary: listed before the secondary 10.0.0.2.
    assert_eq!(labels, vec!["wan", "wan:2", "wan:x"]);
    // loopback takes an MTU below 68: inetdev_destroy deletes every address.
    k.inet_rtm_newaddr(ns, &req(&k, ns, "lo", [10, 9, 0, 1], 24))
        .unwrap();
    let lo = dev(&k, ns, "lo");
    k.take_events();
    k.dev_set_mtu(lo, 60).unwrap();
    assert!(k.in_dev_addrs(lo).is_empty());
    assert_eq!(
        addr_events(&mut k),
        vec![(LinkMsg::Del, Some(IpAddr::V4([10, 9, 0, 1].into())))]
    );
}

#[test]
fn lifetimes_deprecate_then_expire() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = req(&k, ns, "eth2", [10, 7, 0, 1], 24);
    r.cacheinfo = Some((2, 5));
    k.inet_rtm_newaddr(ns, &r).unwrap();
    let id = dev(&k, ns, "eth2");
    assert_eq!(k.in_dev_addrs(id)[0].flags & ifa_f::PERMANENT, 0);
    k.advance_by(3 * NSEC_PER_SEC);
    assert!(k.in_dev_addrs(id)[0].flags & ifa_f::DEPRECATED != 0);
    k.advance_by(3 * NSEC_PER_SEC);
    assert!(k.in_dev_addrs(id).is_empty());
    // preferred > valid, and valid 0, are refused.
    r.cacheinfo = Some((6, 5));
    assert_eq!(errno_of(k.inet_rtm_newaddr(ns, &r)), errno::EINVAL);
}
