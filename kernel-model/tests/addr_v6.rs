//! IPv6 addresses (net/ipv6/addrconf.c): link-local generation and DAD on the clock, ::1,
//! the manual address checks, down.

mod common;

use common::*;
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::inet::ifaddr::ifa_f;
use kernel_model::time::NSEC_PER_SEC;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkMsg, NetnsId};
use std::net::{IpAddr, Ipv6Addr};

fn req(k: &Kernel, ns: NetnsId, dev: &str, a: &str, plen: u8) -> AddrRequest {
    AddrRequest {
        prefixlen: plen,
        ifindex: ifindex(k, ns, dev),
        address: Some(IpAddr::V6(a.parse().unwrap())),
        ..AddrRequest::default()
    }
}

fn up(k: &mut Kernel, ns: NetnsId, name: &str, on: bool) {
    set(k, ns, name, |r| {
        r.ifi_flags = if on { iff::UP } else { 0 };
        r.ifi_change = iff::UP;
    })
    .unwrap();
}

fn addrs(k: &Kernel, ns: NetnsId, name: &str) -> Vec<(Ipv6Addr, bool)> {
    k.in6_dev_addrs(dev(k, ns, name))
        .iter()
        .map(|a| (a.addr, a.flags & ifa_f::TENTATIVE != 0))
        .collect()
}

#[test]
fn link_local_goes_through_dad_on_the_clock() {
    let mut k = boot();
    let ns = k.init_net();
    up(&mut k, ns, "eth0", true);
    let a = addrs(&k, ns, "eth0");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].0.segments()[0], 0xfe80);
    assert!(a[0].1, "tentative until DAD ends");
    assert!(k.settling_pending());
    k.take_events();
    // At most rtr_solicit_delay (1 s) + one retrans_time (1 s).
    k.advance_by(2 * NSEC_PER_SEC + 1);
    assert!(!addrs(&k, ns, "eth0")[0].1);
    assert!(!k.settling_pending());
    let news = k
        .take_events()
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                Event::Addr {
                    msg: LinkMsg::New,
                    ..
                }
            )
        })
        .count();
    assert_eq!(news, 1, "RTM_NEWADDR at DAD completion");
}

#[test]
fn noarp_and_loopback_skip_dad() {
    let mut k = boot();
    let ns = k.init_net();
    up(&mut k, ns, "lo", true);
    let lo = addrs(&k, ns, "lo");
    assert_eq!(lo, vec![(Ipv6Addr::LOCALHOST, false)]);
    let mut r = req(&k, ns, "lo", "2001:db8::1", 64);
    r.flags = Some(0);
    k.inet6_rtm_newaddr(ns, &r).unwrap();
    // Global before host scope; tentative until the DAD work runs (at once on loopback).
    assert_eq!(
        addrs(&k, ns, "lo")[0],
        ("2001:db8::1".parse().unwrap(), true)
    );
    k.advance_by(0);
    assert!(!addrs(&k, ns, "lo")[0].1);
}

#[test]
fn manual_address_checks() {
    let mut k = boot();
    let ns = k.init_net();
    k.inet6_rtm_newaddr(ns, &req(&k, ns, "eth1", "2001:db8::1", 64))
        .unwrap();
    let e = k
        .inet6_rtm_newaddr(ns, &req(&k, ns, "eth1", "2001:db8::1", 128))
        .unwrap_err();
    assert_eq!(e.errno, errno::EEXIST);
    assert_eq!(e.msg.as_deref(), Some("ipv6: address already assigned"));
    let e = k
        .inet6_rtm_newaddr(ns, &req(&k, ns, "eth1", "ff02::1", 64))
        .unwrap_err();
    assert_eq!(e.errno, errno::EADDRNOTAVAIL);
    let e = k
        .inet6_rtm_newaddr(ns, &req(&k, ns, "eth1", "::1", 128))
        .unwrap_err();
    assert_eq!(
        e.msg.as_deref(),
        Some("ipv6: Cannot assign loopback address on this device")
    );
    // On a down device the address waits, tentative, with no timer.
    k.advance_by(5 * NSEC_PER_SEC);
    assert!(addrs(&k, ns, "eth1")[0].1);
    assert!(!k.settling_pending());
    up(&mut k, ns, "eth1", true);
    k.advance_by(3 * NSEC_PER_SEC);
    let a = addrs(&k, ns, "eth1");
    assert_eq!(a.len(), 2, "the address and the link-local");
    assert!(a.iter().all(|x| !x.1));
    // Down flushes them all (keep_addr_on_down 0).
    up(&mut k, ns, "eth1", false);
    assert!(addrs(&k, ns, "eth1").is_empty());
    let e = k
        .inet6_rtm_deladdr(ns, &req(&k, ns, "eth1", "2001:db8::1", 64))
        .unwrap_err();
    assert_eq!(e.errno, errno::EADDRNOTAVAIL);
}

#[test]
fn addr_gen_mode_none_adds_no_link_local() {
    let mut k = boot();
    let ns = k.init_net();
    set(&mut k, ns, "eth2", |r| r.addr_gen_mode = Some(1)).unwrap();
    let id = dev(&k, ns, "eth2");
    assert_eq!(k.dev(id).inet.addr_gen_mode, 1);
    up(&mut k, ns, "eth2", true);
    assert!(addrs(&k, ns, "eth2").is_empty());
}
