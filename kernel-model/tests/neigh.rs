//! Neighbour tables (`kernel_model::neigh`): the rules of net/core/neighbour.c, arp.c and
//! ndisc.c as golden/kernel/6.12/neigh.txt measured them, on devices without addresses.

mod common;

use common::{boot, dev, ifindex, set, CREATE};
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::neigh::parms::{ndtpa, NeighTblMsg, NeighTblSet, ParmsSet};
use kernel_model::neigh::rtnl::{NeighDumpFilter, NeighGet, NeighNlmFlags, NeighRequest};
use kernel_model::neigh::{ntf, nud, NeighMsg, AF_INET, AF_INET6};
use kernel_model::time::NSEC_PER_SEC;
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, LinkInfoRequest, LinkMsg, LinkRequest, NetnsId};
use std::net::{IpAddr, Ipv4Addr};

/// `ip neigh add` (NLM_F_CREATE | NLM_F_EXCL), `replace` (CREATE | REPLACE), `change`
/// (REPLACE).
const ADD: NeighNlmFlags = NeighNlmFlags {
    create: true,
    excl: true,
    replace: false,
};
const REPLACE: NeighNlmFlags = NeighNlmFlags {
    create: true,
    excl: false,
    replace: true,
};
const CHANGE: NeighNlmFlags = NeighNlmFlags {
    create: false,
    excl: false,
    replace: true,
};

fn v4(s: &str) -> Vec<u8> {
    s.parse::<std::net::Ipv4Addr>().unwrap().octets().to_vec()
}
fn v6(s: &str) -> Vec<u8> {
    s.parse::<std::net::Ipv6Addr>().unwrap().octets().to_vec()
}
fn mac(last: u8) -> Vec<u8> {
    vec![2, 0, 0, 0, 0, last]
}

fn req(k: &Kernel, ns: NetnsId, dst: Vec<u8>, devname: Option<&str>) -> NeighRequest {
    NeighRequest {
        family: if dst.len() == 4 { AF_INET } else { AF_INET6 },
        ifindex: devname.map_or(0, |d| ifindex(k, ns, d) as i32),
        state: nud::PERMANENT,
        dst: Some(dst),
        nlm: ADD,
        ..Default::default()
    }
}

/// `ip link set NAME up`.
fn up(k: &mut Kernel, ns: NetnsId, name: &str) {
    set(k, ns, name, |r| {
        r.ifi_flags = iff::UP;
        r.ifi_change = iff::UP;
    })
    .unwrap();
}

fn down(k: &mut Kernel, ns: NetnsId, name: &str) {
    set(k, ns, name, |r| r.ifi_change = iff::UP).unwrap();
}

fn add_dummy(k: &mut Kernel, ns: NetnsId, name: &str) {
    let r = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some("dummy".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns, &r).unwrap();
}

fn dump(k: &Kernel, ns: NetnsId) -> Vec<NeighMsg> {
    k.neigh_dump(ns, &NeighDumpFilter::default())
}

fn find(k: &Kernel, ns: NetnsId, dst: &[u8]) -> Option<NeighMsg> {
    dump(k, ns).into_iter().find(|m| m.dst == dst)
}

fn neigh_events(k: &mut Kernel) -> Vec<(LinkMsg, Vec<u8>, u16)> {
    k.take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Neigh { msg, neigh, .. } => Some((msg, neigh.dst.clone(), neigh.state)),
            _ => None,
        })
        .collect()
}

#[test]
fn add_in_each_state_and_the_missing_lladdr_leaves_an_empty_entry() {
    let mut k = boot();
    let ns = k.init_net();
    up(&mut k, ns, "eth0");
    // The scenario's `ip addr add 10.0.0.1/24 dev eth0`: with a local table the neighbours are
    // unicast (arp_constructor's inet_addr_type_dev_table; without one everything is
    // RTN_BROADCAST, as __inet_dev_addr_type answers, and no lladdr is needed).
    let a = AddrRequest {
        prefixlen: 24,
        ifindex: ifindex(&k, ns, "eth0"),
        local: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))),
        ..AddrRequest::default()
    };
    k.inet_rtm_newaddr(ns, &a).unwrap();
    for (ip, state, ll) in [
        ("10.0.0.2", nud::PERMANENT, Some(2)),
        ("10.0.0.3", nud::REACHABLE, Some(3)),
        ("10.0.0.4", nud::STALE, Some(4)),
        ("10.0.0.5", nud::NOARP, Some(5)),
        ("10.0.0.6", nud::FAILED, None),
        ("10.0.0.7", nud::NONE, None),
    ] {
        let mut r = req(&k, ns, v4(ip), Some("eth0"));
        r.state = state;
        r.lladdr = ll.map(mac);
        k.neigh_add(ns, &r).unwrap();
        let m = find(&k, ns, &v4(ip)).unwrap();
        assert_eq!(m.state, state, "{ip}");
        assert_eq!(m.lladdr.is_some(), ll.is_some(), "{ip}");
    }
    // CMD[16]: permanent without lladdr: EINVAL, but the entry stays, in NUD_NONE.
    let e = k.neigh_add(ns, &req(&k, ns, v4("10.0.0.9"), Some("eth0")));
    let e = e.unwrap_err();
    assert_eq!(e.errno, errno::EINVAL);
    assert_eq!(e.msg.as_deref(), Some("No link layer address given"));
    assert_eq!(find(&k, ns, &v4("10.0.0.9")).unwrap().state, nud::NONE);
    // A REACHABLE entry holds a timer reference (ip -s: "ref 1"), a permanent one none.
    assert_eq!(
        find(&k, ns, &v4("10.0.0.3")).unwrap().cache.unwrap().refcnt,
        1
    );
    assert_eq!(
        find(&k, ns, &v4("10.0.0.2")).unwrap().cache.unwrap().refcnt,
        0
    );
}

#[test]
fn duplicates_replace_and_change() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = req(&k, ns, v4("10.0.0.2"), Some("eth0"));
    r.lladdr = Some(mac(2));
    k.neigh_add(ns, &r).unwrap();
    r.lladdr = Some(mac(0x22));
    assert_eq!(k.neigh_add(ns, &r).unwrap_err().errno, errno::EEXIST);
    r.nlm = REPLACE;
    r.state = nud::REACHABLE;
    k.neigh_add(ns, &r).unwrap();
    let m = find(&k, ns, &v4("10.0.0.2")).unwrap();
    assert_eq!(
        (m.state, m.lladdr.unwrap().as_bytes().to_vec()),
        (nud::REACHABLE, mac(0x22))
    );
    // change of a missing entry: ENOENT.
    let mut c = req(&k, ns, v4("10.0.0.99"), Some("eth0"));
    c.nlm = CHANGE;
    c.lladdr = Some(mac(0x99));
    assert_eq!(k.neigh_add(ns, &c).unwrap_err().errno, errno::ENOENT);
    // Without NLM_F_REPLACE a different lladdr on a valid entry changes nothing.
    let mut a = req(&k, ns, v4("10.0.0.2"), Some("eth0"));
    a.nlm = NeighNlmFlags {
        create: true,
        ..Default::default()
    };
    a.lladdr = Some(mac(0x77));
    k.neigh_add(ns, &a).unwrap();
    let m = find(&k, ns, &v4("10.0.0.2")).unwrap();
    assert_eq!(m.lladdr.unwrap().as_bytes().to_vec(), mac(0x22));
}

#[test]
fn errors_in_the_kernels_order() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = req(&k, ns, v4("10.0.0.30"), None);
    r.lladdr = Some(mac(0x30));
    let e = k.neigh_add(ns, &r).unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::EINVAL, Some("Device not specified"))
    );
    r.ifindex = 99;
    assert_eq!(k.neigh_add(ns, &r).unwrap_err().errno, errno::ENODEV);
    r.ifindex = ifindex(&k, ns, "eth0") as i32;
    r.lladdr = Some(vec![2, 0, 0]);
    let e = k.neigh_add(ns, &r).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("Invalid link address"));
    r.lladdr = Some(mac(0x30));
    r.dst = Some(vec![10, 0]);
    let e = k.neigh_add(ns, &r).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("Invalid network address"));
    r.dst = None;
    let e = k.neigh_add(ns, &r).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("Network address not specified"));
    r.dst = Some(v4("10.0.0.30"));
    r.family = 17;
    assert_eq!(k.neigh_add(ns, &r).unwrap_err().errno, errno::EAFNOSUPPORT);
    // A longer lladdr is cut to the device's length (CMD[38]).
    r.family = AF_INET;
    r.lladdr = Some(vec![2, 0, 0, 0, 0, 0x31, 0x44]);
    k.neigh_add(ns, &r).unwrap();
    let m = find(&k, ns, &v4("10.0.0.30")).unwrap();
    assert_eq!(m.lladdr.unwrap().as_bytes().to_vec(), mac(0x31));
    // What needs traffic is refused loudly.
    r.dst = Some(v4("10.0.0.31"));
    r.state = nud::DELAY;
    let e = k.neigh_add(ns, &r).unwrap_err();
    assert_eq!(e.errno, errno::EOPNOTSUPP);
    assert!(e.msg.unwrap().starts_with("nlsim:"));
    r.state = nud::PERMANENT;
    r.ndm_flags = ntf::USE as u8;
    assert_eq!(k.neigh_add(ns, &r).unwrap_err().errno, errno::EOPNOTSUPP);
}

#[test]
fn noarp_device_entries_and_extern_learn_and_router() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dum0");
    up(&mut k, ns, "dum0");
    let own = k.dev(dev(&k, ns, "dum0")).addr;
    // CMD[36]: no lladdr on a NOARP device: the constructor's NOARP entry with the device's
    // address becomes permanent.
    k.neigh_add(ns, &req(&k, ns, v4("10.1.0.3"), Some("dum0")))
        .unwrap();
    let m = find(&k, ns, &v4("10.1.0.3")).unwrap();
    assert_eq!((m.state, m.lladdr), (nud::PERMANENT, Some(own)));
    // extern_learn.
    let mut r = req(&k, ns, v4("10.0.0.32"), Some("eth0"));
    r.lladdr = Some(mac(0x32));
    r.ndm_flags = ntf::EXT_LEARNED as u8;
    k.neigh_add(ns, &r).unwrap();
    assert_eq!(
        u32::from(find(&k, ns, &v4("10.0.0.32")).unwrap().flags),
        ntf::EXT_LEARNED
    );
    // router, IPv6.
    let mut r = req(&k, ns, v6("2001:db8::2"), Some("eth0"));
    r.lladdr = Some(mac(0x12));
    r.ndm_flags = ntf::ROUTER as u8;
    k.neigh_add(ns, &r).unwrap();
    assert_eq!(
        u32::from(find(&k, ns, &v6("2001:db8::2")).unwrap().flags),
        ntf::ROUTER
    );
}

#[test]
fn proxy_entries() {
    let mut k = boot();
    let ns = k.init_net();
    let mut p = req(&k, ns, v4("10.0.0.40"), Some("eth0"));
    p.ndm_flags = ntf::PROXY as u8;
    k.neigh_add(ns, &p).unwrap();
    k.neigh_add(ns, &p).unwrap();
    let mut p6 = req(&k, ns, v6("2001:db8::40"), Some("eth0"));
    p6.ndm_flags = ntf::PROXY as u8;
    k.neigh_add(ns, &p6).unwrap();
    let mut any = req(&k, ns, v4("10.0.0.41"), None);
    any.ndm_flags = ntf::PROXY as u8;
    k.neigh_add(ns, &any).unwrap();
    // A device-less IPv6 proxy: pndisc_constructor refuses, ENOBUFS.
    let mut any6 = req(&k, ns, v6("2001:db8::41"), None);
    any6.ndm_flags = ntf::PROXY as u8;
    assert_eq!(k.neigh_add(ns, &any6).unwrap_err().errno, errno::ENOBUFS);
    let flt = NeighDumpFilter {
        proxy: true,
        ..Default::default()
    };
    assert_eq!(k.neigh_dump(ns, &flt).len(), 3);
    k.neigh_delete(ns, &p).unwrap();
    assert_eq!(k.neigh_delete(ns, &p).unwrap_err().errno, errno::ENOENT);
    // get proxy finds a device-less entry for any device.
    let g = NeighGet {
        family: AF_INET,
        ifindex: ifindex(&k, ns, "eth1") as i32,
        proxy: true,
        dst: Some(v4("10.0.0.41")),
    };
    assert_eq!(k.neigh_get(ns, &g).unwrap().ifindex, 0);
    // No notifications for proxy entries.
    assert!(neigh_events(&mut k).is_empty());
}

#[test]
fn get_and_delete() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = req(&k, ns, v4("10.0.0.2"), Some("eth0"));
    r.lladdr = Some(mac(2));
    r.ndm_flags = ntf::EXT_LEARNED as u8;
    k.neigh_add(ns, &r).unwrap();
    let ev = neigh_events(&mut k);
    assert_eq!(ev, vec![(LinkMsg::New, v4("10.0.0.2"), nud::PERMANENT)]);
    let mut g = NeighGet {
        family: AF_INET,
        ifindex: ifindex(&k, ns, "eth0") as i32,
        proxy: false,
        dst: Some(v4("10.0.0.99")),
    };
    let e = k.neigh_get(ns, &g).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("Neighbour entry not found"));
    g.dst = Some(v4("10.0.0.2"));
    assert_eq!(k.neigh_get(ns, &g).unwrap().state, nud::PERMANENT);
    // delete: the update to FAILED is announced, then the removal.
    k.neigh_delete(ns, &r).unwrap();
    let ev = neigh_events(&mut k);
    assert_eq!(
        ev,
        vec![
            (LinkMsg::New, v4("10.0.0.2"), nud::FAILED),
            (LinkMsg::Del, v4("10.0.0.2"), nud::FAILED)
        ]
    );
    assert_eq!(k.neigh_delete(ns, &r).unwrap_err().errno, errno::ENOENT);
}

#[test]
fn down_unregister_and_netns_move_flush_every_entry() {
    let mut k = boot();
    let ns = k.init_net();
    up(&mut k, ns, "eth0");
    add_dummy(&mut k, ns, "dum0");
    for (ip, d) in [
        ("10.0.0.50", "eth0"),
        ("10.0.0.51", "eth0"),
        ("10.1.0.50", "dum0"),
    ] {
        let mut r = req(&k, ns, v4(ip), Some(d));
        r.lladdr = Some(mac(0x50));
        k.neigh_add(ns, &r).unwrap();
    }
    let mut p = req(&k, ns, v4("10.0.0.40"), Some("eth0"));
    p.ndm_flags = ntf::PROXY as u8;
    k.neigh_add(ns, &p).unwrap();
    k.take_events();
    down(&mut k, ns, "eth0");
    let ev = neigh_events(&mut k);
    assert_eq!(ev.len(), 2);
    assert!(ev.iter().all(|(m, _, _)| *m == LinkMsg::Del));
    assert_eq!(dump(&k, ns).len(), 1);
    let flt = NeighDumpFilter {
        proxy: true,
        ..Default::default()
    };
    assert!(k.neigh_dump(ns, &flt).is_empty());
    // netns move: the entry goes with NETDEV_UNREGISTER in the old namespace.
    let other = k.netns_new();
    set(&mut k, ns, "dum0", |r| r.net_ns = Some(Ok(other))).unwrap();
    assert!(dump(&k, ns).is_empty());
    assert!(dump(&k, other).is_empty());
}

#[test]
fn reachable_becomes_stale_after_the_reachable_time() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = req(&k, ns, v4("10.0.0.3"), Some("eth0"));
    r.lladdr = Some(mac(3));
    r.state = nud::REACHABLE;
    k.neigh_add(ns, &r).unwrap();
    k.take_events();
    // reachable_time is drawn in [15 s, 45 s).
    k.advance_by(14 * NSEC_PER_SEC);
    assert_eq!(find(&k, ns, &v4("10.0.0.3")).unwrap().state, nud::REACHABLE);
    k.advance_by(32 * NSEC_PER_SEC);
    let m = find(&k, ns, &v4("10.0.0.3")).unwrap();
    assert_eq!(m.state, nud::STALE);
    assert_eq!(m.cache.unwrap().refcnt, 0);
    let ev = neigh_events(&mut k);
    assert_eq!(ev, vec![(LinkMsg::New, v4("10.0.0.3"), nud::STALE)]);
    assert!(k.next_timer().is_none());
    // A saved state resumes with its entries.
    let json = serde_json::to_string(&k).unwrap();
    let back: Kernel = serde_json::from_str(&json).unwrap();
    assert_eq!(dump(&back, ns), dump(&k, ns));
}

#[test]
fn ntable_parms_per_device() {
    let mut k = boot();
    let ns = k.init_net();
    let eth0 = ifindex(&k, ns, "eth0");
    let set_q = NeighTblSet {
        family: 0,
        name: Some(b"arp_cache".to_vec()),
        parms: Some(ParmsSet {
            ifindex: Some(eth0),
            values: vec![(ndtpa::QUEUE_LEN, 8)],
        }),
        ..Default::default()
    };
    k.neightbl_set(ns, &set_q).unwrap();
    let msgs = k.neightbl_dump(ns, AF_INET);
    let dev_parms = |ifx: u32| {
        msgs.iter()
            .find_map(|m| match m {
                NeighTblMsg::Parms { parms, .. } if parms.ifindex == Some(ifx) => {
                    Some(parms.clone())
                }
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(dev_parms(eth0).parms.queue_len_bytes / 2090, 8);
    assert_eq!(
        dev_parms(ifindex(&k, ns, "eth1")).parms.queue_len_bytes / 2090,
        101
    );
    assert_eq!(dev_parms(eth0).parms.locktime, 250);
    // An unknown table or device: ENOENT.
    let mut bad = set_q.clone();
    bad.name = Some(b"nosuch".to_vec());
    assert_eq!(k.neightbl_set(ns, &bad).unwrap_err().errno, errno::ENOENT);
    // Thresholds only from the initial namespace.
    let other = k.netns_new();
    let thr = NeighTblSet {
        name: Some(b"ndisc_cache".to_vec()),
        thresh1: Some(1),
        ..Default::default()
    };
    assert_eq!(
        k.neightbl_set(other, &thr).unwrap_err().errno,
        errno::ENOENT
    );
    k.neightbl_set(ns, &thr).unwrap();
    assert!(k
        .neightbl_dump(ns, AF_INET6)
        .iter()
        .any(|m| matches!(m, NeighTblMsg::Table { thresh, .. } if thresh[0] == 1)));
}

/// `sysctl -w net.ipv4.neigh.eth0.base_reachable_time_ms=600000` (neigh.sh CMD[1]): the
/// device's own base and a reachable time drawn from it, which its REACHABLE entries wait.
#[test]
fn sysctl_base_reachable_time_of_a_device_and_of_the_default() {
    use kernel_model::neigh::parms::NeighVar;
    use kernel_model::neigh::Family;
    let mut k = boot();
    let ns = k.init_net();
    let eth0 = dev(&k, ns, "eth0");
    let eth1 = dev(&k, ns, "eth1");
    let j = 600_000 * 250 / 1000;
    k.neigh_var_set(ns, Family::Inet, Some(eth0), NeighVar::BaseReachableTime, j)
        .unwrap();
    assert_eq!(
        k.neigh_var_get(ns, Family::Inet, Some(eth0), NeighVar::BaseReachableTime),
        Some(j)
    );
    let mut r = req(&k, ns, v4("10.0.0.3"), Some("eth0"));
    r.lladdr = Some(mac(3));
    r.state = nud::REACHABLE;
    k.neigh_add(ns, &r).unwrap();
    k.advance_by(60 * NSEC_PER_SEC);
    assert_eq!(find(&k, ns, &v4("10.0.0.3")).unwrap().state, nud::REACHABLE);
    // The default reaches eth1 (never set) but not eth0's own value.
    k.neigh_var_set(ns, Family::Inet, None, NeighVar::BaseReachableTime, 2500)
        .unwrap();
    assert_eq!(
        k.neigh_var_get(ns, Family::Inet, Some(eth1), NeighVar::BaseReachableTime),
        Some(2500)
    );
    assert_eq!(
        k.neigh_var_get(ns, Family::Inet, Some(eth0), NeighVar::BaseReachableTime),
        Some(j)
    );
    // No `default` directory outside the initial namespace.
    let other = k.netns_new();
    assert!(k
        .neigh_var_get(other, Family::Inet, None, NeighVar::Locktime)
        .is_none());
}
