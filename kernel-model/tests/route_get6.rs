//! `ip -6 route get` (inet6_rtm_getroute): the route an output or input lookup finds and the
//! source ipv6_dev_get_saddr picks for it. Expected values measured on Debian's 6.12
//! (golden/kernel/6.12/route-get6.txt, route-get.txt).

mod common;

use common::{add_dummy_link, boot, ifindex, set};
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::inet::fib::frontend::nlm_f;
use kernel_model::inet::fib::uapi::{rtf, rtn, rtprot, table};
use kernel_model::inet::ip6_route::Fib6Config;
use kernel_model::inet::route_get6::{RouteGet6, RouteGet6Req, Rt6Get};
use kernel_model::uapi::{errno, iff};
use kernel_model::{Kernel, NetnsId};
use std::net::{IpAddr, Ipv6Addr};

fn a6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

fn up(k: &mut Kernel, ns: NetnsId, name: &str) {
    set(k, ns, name, |r| {
        r.ifi_flags = iff::UP;
        r.ifi_change = iff::UP;
    })
    .unwrap();
}

fn add_dummy(k: &mut Kernel, ns: NetnsId, name: &str) {
    add_dummy_link(k, ns, name);
    set(k, ns, name, |r| r.addr_gen_mode = Some(1)).unwrap();
    up(k, ns, name);
}

/// `ip -6 addr add A/PLEN dev DEV [preferred_lft 0]`.
fn addr(k: &mut Kernel, ns: NetnsId, dev: &str, a: &str, plen: u8, deprecated: bool) {
    let r = AddrRequest {
        prefixlen: plen,
        ifindex: ifindex(k, ns, dev),
        address: Some(IpAddr::V6(a6(a))),
        cacheinfo: deprecated.then_some((0, u32::MAX)),
        ..AddrRequest::default()
    };
    k.inet6_rtm_newaddr(ns, &r).unwrap();
    // The DAD work of a NOARP device runs at once and ends DAD (addrconf_dad_begin).
    k.advance_by(0);
}

/// `ip -6 route add [KIND] DST/PLEN [via GW] [dev DEV] [src SRC]`.
#[allow(clippy::too_many_arguments)]
fn route(
    k: &mut Kernel,
    ns: NetnsId,
    kind: u8,
    dst: &str,
    plen: u8,
    dev: Option<&str>,
    gw: Option<&str>,
    src: Option<&str>,
) {
    let mut c = Fib6Config {
        table: table::MAIN,
        dst: a6(dst),
        dst_len: plen,
        flags: rtf::UP,
        protocol: rtprot::BOOT,
        kind,
        ifindex: dev.map_or(0, |d| ifindex(k, ns, d)),
        nlflags: Some(nlm_f::CREATE | nlm_f::EXCL),
        ..Default::default()
    };
    if kind != rtn::UNICAST {
        c.flags |= rtf::REJECT;
    }
    if let Some(g) = gw {
        c.gateway = a6(g);
        c.flags |= rtf::GATEWAY;
    }
    if let Some(s) = src {
        c.prefsrc = a6(s);
    }
    k.inet6_rtm_newroute(ns, &c)
        .unwrap_or_else(|e| panic!("{dst}/{plen}: {e:?}"));
}

/// route-get6.sh's setup: dum0 with a deprecated address and a link-local, dum1 with a
/// global and a unique-local address, a default route and a few prefixes.
fn setup() -> (Kernel, NetnsId) {
    let mut k = boot();
    let ns = k.init_net();
    up(&mut k, ns, "lo");
    add_dummy(&mut k, ns, "dum0");
    addr(&mut k, ns, "dum0", "2001:db8:1::1", 64, false);
    addr(&mut k, ns, "dum0", "2001:db8:1::2", 64, true);
    addr(&mut k, ns, "dum0", "fe80::1", 64, false);
    add_dummy(&mut k, ns, "dum1");
    addr(&mut k, ns, "dum1", "2001:db8:2::1", 64, false);
    addr(&mut k, ns, "dum1", "fd00:2::1", 64, false);
    let u = rtn::UNICAST;
    route(&mut k, ns, u, "::", 0, None, Some("2001:db8:1::fe"), None);
    route(
        &mut k,
        ns,
        u,
        "2001:db8:100::",
        48,
        Some("dum1"),
        None,
        None,
    );
    route(
        &mut k,
        ns,
        u,
        "2001:db8:300::",
        48,
        Some("dum0"),
        None,
        Some("2001:db8:2::1"),
    );
    route(&mut k, ns, u, "fd00:9::", 64, Some("dum1"), None, None);
    route(&mut k, ns, u, "fd00:8::", 64, Some("dum0"), None, None);
    for (kind, dst) in [
        (rtn::UNREACHABLE, "2001:db8:dead::"),
        (rtn::BLACKHOLE, "2001:db8:beef::"),
        (rtn::PROHIBIT, "2001:db8:f00d::"),
    ] {
        route(&mut k, ns, kind, dst, 48, None, None, None);
    }
    (k, ns)
}

fn get(k: &Kernel, ns: NetnsId, req: RouteGet6Req) -> Result<Rt6Get, i32> {
    match k.inet6_rtm_getroute(ns, &req) {
        Ok(RouteGet6::Route(r)) => Ok(r),
        Ok(RouteGet6::FibMatch(v)) => panic!("fib match answer {v:?}"),
        Err(e) => Err(e.errno),
    }
}

fn out(k: &Kernel, ns: NetnsId, dst: &str) -> Result<Rt6Get, i32> {
    get(
        k,
        ns,
        RouteGet6Req {
            dst: a6(dst),
            ..Default::default()
        },
    )
}

/// The reply's device, source (RTA_PREFSRC) and table.
fn dev_src_table(r: &Rt6Get) -> (u32, Option<Ipv6Addr>, u32) {
    (r.view.nhs[0].ifindex, r.saddr, r.view.table)
}

#[test]
fn source_selection_follows_rfc6724_as_612_orders_it() {
    let (k, ns) = setup();
    let (d0, d1) = (ifindex(&k, ns, "dum0"), ifindex(&k, ns, "dum1"));
    // Same interface, the deprecated 2001:db8:1::2 avoided (CMD[26]).
    let r = out(&k, ns, "2001:db8:1::5").unwrap();
    assert_eq!(dev_src_table(&r), (d0, Some(a6("2001:db8:1::1")), 254));
    assert_eq!((r.view.priority, r.view.protocol), (256, rtprot::KERNEL));
    // Through the default route's gateway (CMD[28]).
    let r = out(&k, ns, "2001:db8:99::1").unwrap();
    assert_eq!(
        r.view.nhs[0].gateway,
        Some(IpAddr::V6(a6("2001:db8:1::fe")))
    );
    assert_eq!(r.saddr, Some(a6("2001:db8:1::1")));
    // The outgoing interface, then the label: fd00::/7 has label 5 (CMD[29], [32], [33]).
    assert_eq!(
        out(&k, ns, "2001:db8:100::1").unwrap().saddr,
        Some(a6("2001:db8:2::1"))
    );
    assert_eq!(
        out(&k, ns, "fd00:9::1").unwrap().saddr,
        Some(a6("fd00:2::1"))
    );
    let r = out(&k, ns, "fd00:8::1").unwrap();
    assert_eq!(dev_src_table(&r), (d0, Some(a6("2001:db8:1::1")), 254));
    // The route's prefsrc wins (CMD[31]); it is also reported as the route's own.
    let r = out(&k, ns, "2001:db8:300::1").unwrap();
    assert_eq!(r.saddr, Some(a6("2001:db8:2::1")));
    assert_eq!(r.view.prefsrc, Some(IpAddr::V6(a6("2001:db8:2::1"))));
    // Link-local destination: the link-local source (CMD[36]); `::` has no scope, so the
    // smallest scope wins (CMD[43]).
    let r = out(&k, ns, "fe80::5").unwrap();
    assert_eq!(dev_src_table(&r), (d0, Some(a6("fe80::1")), 254));
    assert_eq!(out(&k, ns, "::").unwrap().saddr, Some(a6("fe80::1")));
    // Multicast: the oif's addresses only (CMD[40]).
    let r = get(
        &k,
        ns,
        RouteGet6Req {
            dst: a6("ff02::1"),
            oif: d1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.view.kind, rtn::MULTICAST);
    assert_eq!(dev_src_table(&r), (d1, Some(a6("2001:db8:2::1")), 255));
}

#[test]
fn local_destinations_answer_through_lo() {
    let (k, ns) = setup();
    let lo = ifindex(&k, ns, "lo");
    // CMD[27]: the deprecated address is still the source of a packet to itself.
    let r = out(&k, ns, "2001:db8:1::2").unwrap();
    assert_eq!(r.view.kind, rtn::LOCAL);
    assert_eq!(dev_src_table(&r), (lo, Some(a6("2001:db8:1::2")), 255));
    assert_eq!(r.view.priority, 0);
    let r = out(&k, ns, "::1").unwrap();
    assert_eq!(dev_src_table(&r), (lo, Some(a6("::1")), 255));
}

#[test]
fn errors_of_the_lookup() {
    let (k, ns) = setup();
    let d1 = ifindex(&k, ns, "dum1");
    assert_eq!(out(&k, ns, "2001:db8:dead::1").err(), Some(113)); // EHOSTUNREACH
    assert_eq!(out(&k, ns, "2001:db8:beef::1").err(), Some(errno::EINVAL));
    assert_eq!(out(&k, ns, "2001:db8:f00d::1").err(), Some(errno::EACCES));
    // An oif without a source makes the lookup strict (CMD[38], [45]).
    for dst in ["fe80::5", "2001:db8:99::1"] {
        let r = get(
            &k,
            ns,
            RouteGet6Req {
                dst: a6(dst),
                oif: d1,
                ..Default::default()
            },
        );
        assert_eq!(r.err(), Some(101), "{dst}"); // ENETUNREACH
    }
    // An unknown iif.
    let r = get(
        &k,
        ns,
        RouteGet6Req {
            dst: a6("2001:db8:100::1"),
            iif: 999,
            ..Default::default()
        },
    );
    assert_eq!(r.err(), Some(errno::ENODEV));
}

#[test]
fn input_lookups_name_the_iif_and_no_source() {
    let (k, ns) = setup();
    let (d0, d1, lo) = (
        ifindex(&k, ns, "dum0"),
        ifindex(&k, ns, "dum1"),
        ifindex(&k, ns, "lo"),
    );
    // CMD[66]: the route out of another device is fine for a non-strict destination.
    let r = get(
        &k,
        ns,
        RouteGet6Req {
            dst: a6("2001:db8:100::1"),
            src: a6("2001:db8:1::9"),
            iif: d0,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((r.view.nhs[0].ifindex, r.iif, r.saddr), (d1, d0, None));
    assert_eq!(r.view.src, Some(IpAddr::V6(a6("2001:db8:1::9"))));
    // CMD[70]: a local link-local address, looked up strictly on the iif.
    let r = get(
        &k,
        ns,
        RouteGet6Req {
            dst: a6("fe80::1"),
            src: a6("fe80::9"),
            iif: d0,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((r.view.kind, r.view.nhs[0].ifindex), (rtn::LOCAL, lo));
}
