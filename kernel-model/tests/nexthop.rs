//! Nexthop objects (net/ipv4/nexthop.c) against golden/kernel/6.12/nexthop.txt (Linux
//! 6.12.117): creation checks of `rtm_to_nh_config` / `nh_check_attr_group`, auto ids,
//! netdevsim's trap flag, replace rules, member removal, device down, notifications.

mod common;
use common::{boot, dev, ifindex, set, CREATE};
use kernel_model::inet::nexthop::{
    NhDumpFilter, NhRequest, NhResRequest, NhViewBody, AF_INET, AF_INET6, AF_UNSPEC,
};
use kernel_model::uapi::{errno, iff};
use kernel_model::{Event, Kernel, KernelError, LinkInfoRequest, LinkMsg, LinkRequest, NetnsId};

const NEW: u16 = 0x1 | 0x4 | 0x400 | 0x200; // REQUEST | ACK | CREATE | EXCL (ip nexthop add)
const REPLACE: u16 = 0x1 | 0x4 | 0x400 | 0x100; // CREATE | REPLACE (ip nexthop replace)

fn dummy_up(k: &mut Kernel, ns: NetnsId, name: &str) {
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
    up(k, ns, name, true);
}

fn up(k: &mut Kernel, ns: NetnsId, name: &str, on: bool) {
    set(k, ns, name, |r| {
        r.ifi_change = iff::UP;
        r.ifi_flags = if on { iff::UP } else { 0 };
    })
    .unwrap();
}

fn single(k: &Kernel, ns: NetnsId, id: u32, devname: &str) -> NhRequest {
    NhRequest {
        family: AF_INET,
        nlflags: NEW,
        id: Some(id),
        oif: Some(ifindex(k, ns, devname)),
        ..Default::default()
    }
}

fn group(id: u32, members: &[(u32, u8)]) -> NhRequest {
    let mut raw = Vec::new();
    for (m, w) in members {
        raw.extend_from_slice(&m.to_ne_bytes());
        raw.extend_from_slice(&[w.wrapping_sub(1), 0, 0, 0]);
    }
    NhRequest {
        family: AF_UNSPEC,
        nlflags: NEW,
        id: Some(id),
        group: Some(raw),
        ..Default::default()
    }
}

fn err(r: Result<(), KernelError>) -> (i32, String) {
    let e = r.expect_err("refused");
    (e.errno, e.msg.map(|m| m.to_string()).unwrap_or_default())
}

fn ids(k: &Kernel, ns: NetnsId) -> Vec<u32> {
    k.nexthops(ns).map(|n| n.id).collect()
}

fn setup() -> (Kernel, NetnsId) {
    let mut k = boot();
    let ns = k.init_net();
    dummy_up(&mut k, ns, "dum0");
    dummy_up(&mut k, ns, "dum1");
    k.take_events();
    (k, ns)
}

/// CMD[14]-[22], [33]: device-only nexthops are scope host; a blackhole needs lo up; the
/// auto id continues from the last one given (9, then 10); netdevsim traps them all.
#[test]
fn singles_blackhole_auto_ids_and_trap() {
    let (mut k, ns) = setup();
    for id in 1..=8 {
        k.rtm_new_nexthop(ns, &single(&k, ns, id, "dum0")).unwrap();
    }
    let bh = NhRequest {
        family: AF_INET,
        nlflags: NEW,
        id: Some(20),
        blackhole: true,
        ..Default::default()
    };
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &bh)),
        (errno::ENETDOWN, "Device for nexthop is not up".into())
    );
    up(&mut k, ns, "lo", true);
    k.rtm_new_nexthop(ns, &bh).unwrap();
    let mut auto = single(&k, ns, 0, "dum0");
    auto.id = None;
    k.rtm_new_nexthop(ns, &auto).unwrap();
    k.rtm_new_nexthop(ns, &single(&k, ns, 0, "dum0")).unwrap();
    assert_eq!(ids(&k, ns), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20]);
    let nh = k.nexthop_find(ns, 1).unwrap();
    let v = k.nexthop_view(nh);
    assert_eq!((v.family, v.scope, v.flags), (AF_INET, 254, 64));
    let v = k.nexthop_view(k.nexthop_find(ns, 20).unwrap());
    assert_eq!((v.scope, v.body.clone()), (0, NhViewBody::Blackhole));
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &single(&k, ns, 1, "dum1"))).0,
        errno::EEXIST
    );
}

/// CMD[26], [29], [31], [35]: the attribute checks of rtm_to_nh_config, in its order.
#[test]
fn config_errors() {
    let (mut k, ns) = setup();
    let mut r = single(&k, ns, 11, "dum0");
    r.oif = None;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &r)).1,
        "Device attribute required for non-blackhole and non-fdb nexthops"
    );
    k.newlink(
        ns,
        &LinkRequest {
            ifname: Some("dum2".into()),
            nlm: CREATE,
            linkinfo: Some(LinkInfoRequest {
                kind: Some("dummy".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &single(&k, ns, 14, "dum2"))),
        (errno::ENETDOWN, "Nexthop device is not up".into())
    );
    let mut r = single(&k, ns, 16, "dum0");
    r.blackhole = true;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &r)).1,
        "Blackhole attribute can not be used with gateway, oif, encap or fdb"
    );
    let mut r = single(&k, ns, 19, "dum0");
    r.fdb = true;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &r)).1,
        "Fdb attribute can not be used with encap, oif or blackhole"
    );
    let mut r = single(&k, ns, 17, "dum0");
    r.oif = Some(999);
    assert_eq!(err(k.rtm_new_nexthop(ns, &r)).1, "Invalid device index");
    let mut r = single(&k, ns, 18, "dum0");
    r.family = 7;
    assert_eq!(err(k.rtm_new_nexthop(ns, &r)).1, "Invalid address family");
    // Encapsulation is not modelled: refused loudly.
    let mut r = single(&k, ns, 18, "dum0");
    r.encap = true;
    r.encap_type = Some(1);
    assert_eq!(err(k.rtm_new_nexthop(ns, &r)).0, errno::EOPNOTSUPP);
    assert!(ids(&k, ns).is_empty());
}

fn fdb4(id: u32, last: u8) -> NhRequest {
    NhRequest {
        family: AF_INET,
        nlflags: NEW,
        id: Some(id),
        fdb: true,
        gateway: Some(vec![10, 0, 0, last]),
        ..Default::default()
    }
}

/// CMD[40]-[58]: group validation, fdb groups, resilient groups.
#[test]
fn groups() {
    let (mut k, ns) = setup();
    up(&mut k, ns, "lo", true);
    k.rtm_new_nexthop(ns, &single(&k, ns, 1, "dum0")).unwrap();
    k.rtm_new_nexthop(ns, &single(&k, ns, 2, "dum1")).unwrap();
    let mut bh = single(&k, ns, 4, "dum0");
    bh.oif = None;
    bh.blackhole = true;
    k.rtm_new_nexthop(ns, &bh).unwrap();
    k.rtm_new_nexthop(ns, &fdb4(20, 9)).unwrap();
    let mut v6 = fdb4(21, 0);
    v6.family = AF_INET6;
    v6.gateway = Some(vec![0x20, 1, 0xd, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9]);
    k.rtm_new_nexthop(ns, &v6).unwrap();

    k.rtm_new_nexthop(ns, &group(100, &[(1, 1), (2, 1)]))
        .unwrap();
    k.rtm_new_nexthop(ns, &group(103, &[(4, 1)])).unwrap();
    let cases: &[(NhRequest, &str)] = &[
        (
            group(104, &[(4, 1), (1, 1)]),
            "Blackhole nexthop can not be used in a group with more than 1 path",
        ),
        (
            group(105, &[(1, 1), (1, 1)]),
            "Nexthop id can not be used twice in a group",
        ),
        (group(106, &[(1, 1), (99, 1)]), "Invalid nexthop id"),
        (
            group(107, &[(100, 1)]),
            "Hash-threshold group can not be a nexthop within a group",
        ),
        (
            group(112, &[(20, 1)]),
            "Non FDB nexthop group cannot have fdb nexthops",
        ),
    ];
    for (req, text) in cases {
        assert_eq!(
            err(k.rtm_new_nexthop(ns, req)),
            (errno::EINVAL, text.to_string())
        );
    }
    let mut g = group(117, &[(20, 1), (21, 1)]);
    g.fdb = true;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &g)).1,
        "FDB nexthop group cannot have mixed family nexthops"
    );
    let mut g = group(118, &[(1, 1)]);
    g.fdb = true;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &g)).1,
        "FDB nexthop group can only have fdb nexthops"
    );
    let mut g = group(116, &[(20, 1)]);
    g.fdb = true;
    k.rtm_new_nexthop(ns, &g).unwrap();

    let mut res = group(109, &[(1, 1), (2, 1)]);
    res.group_type = Some(1);
    res.res_group = Some(NhResRequest::default());
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &res)).1,
        "Number of buckets not specified for nexthop group insertion"
    );
    res.res_group = Some(NhResRequest {
        buckets: Some(0),
        ..Default::default()
    });
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &res)).1,
        "Number of buckets needs to be non-0"
    );
    res.res_group = Some(NhResRequest {
        buckets: Some(8),
        idle_timer: Some(6000),
        unbalanced_timer: None,
    });
    k.rtm_new_nexthop(ns, &res).unwrap();
    match k.nexthop_view(k.nexthop_find(ns, 109).unwrap()).body {
        NhViewBody::Group { res: Some(r), .. } => {
            assert_eq!(
                (
                    r.buckets,
                    r.idle_timer,
                    r.unbalanced_timer,
                    r.unbalanced_time
                ),
                (8, 6000, 0, 0)
            );
        }
        other => panic!("{other:?}"),
    }
    // The groups filter and a device filter (groups never match a device).
    let f = NhDumpFilter {
        group_filter: true,
        ..Default::default()
    };
    let shown: Vec<u32> = k
        .nexthops(ns)
        .filter(|n| !k.nh_dump_filtered(n, &f))
        .map(|n| n.id)
        .collect();
    assert_eq!(shown, [100, 103, 109, 116]);
    let f = NhDumpFilter {
        dev_idx: ifindex(&k, ns, "dum0"),
        ..Default::default()
    };
    let shown: Vec<u32> = k
        .nexthops(ns)
        .filter(|n| !k.nh_dump_filtered(n, &f))
        .map(|n| n.id)
        .collect();
    assert_eq!(shown, [1]);
}

/// CMD[81]-[92]: replace rules; deleting the last member of a group deletes the group.
#[test]
fn replace_and_delete() {
    let (mut k, ns) = setup();
    k.rtm_new_nexthop(ns, &single(&k, ns, 1, "dum0")).unwrap();
    k.rtm_new_nexthop(ns, &single(&k, ns, 2, "dum1")).unwrap();
    k.rtm_new_nexthop(ns, &group(100, &[(1, 1), (2, 1)]))
        .unwrap();
    k.rtm_new_nexthop(ns, &group(102, &[(1, 1), (2, 1)]))
        .unwrap();
    let mut r = group(100, &[(2, 1)]);
    r.nlflags = REPLACE;
    r.protocol = 42;
    k.rtm_new_nexthop(ns, &r).unwrap();
    // replace_nexthop_grp swaps only the group: the protocol stays.
    assert_eq!(k.nexthop_find(ns, 100).unwrap().protocol, 0);
    let mut r = single(&k, ns, 100, "dum0");
    r.nlflags = REPLACE;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &r)).1,
        "Can not replace a nexthop group with a nexthop."
    );
    let mut r = group(2, &[(1, 1)]);
    r.nlflags = REPLACE;
    assert_eq!(
        err(k.rtm_new_nexthop(ns, &r)).1,
        "Can not replace a nexthop with a nexthop group."
    );
    let mut r = single(&k, ns, 120, "dum0");
    r.nlflags = REPLACE & !0x400;
    assert_eq!(err(k.rtm_new_nexthop(ns, &r)).0, errno::ENOENT);
    // The replaced single keeps netdevsim's trap.
    let mut r = single(&k, ns, 1, "dum1");
    r.nlflags = REPLACE;
    k.rtm_new_nexthop(ns, &r).unwrap();
    assert_eq!(k.nexthop_find(ns, 1).unwrap().flags, 64);
    k.take_events();
    k.rtm_del_nexthop(ns, 2, 0x5).unwrap();
    assert_eq!(ids(&k, ns), [1, 102]);
    let evs: Vec<(LinkMsg, u32)> = k
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Nexthop { msg, view, .. } => Some((msg, view.id)),
            _ => None,
        })
        .collect();
    // 2 goes, then its groups in its grp_list order: the replace re-linked 100 at the head
    // (list_add), so 100 empties first (RTM_DELNEXTHOP), then 102 shrinks (RTM_NEWNEXTHOP).
    assert_eq!(
        evs,
        [(LinkMsg::Del, 2), (LinkMsg::Del, 100), (LinkMsg::New, 102)]
    );
    assert_eq!(err(k.rtm_del_nexthop(ns, 999, 0)).0, errno::ENOENT);
}

/// CMD[97]: a device going down takes its nexthops (silently) and their group entries; a
/// blackhole on lo stays for lo down but not for unregister.
#[test]
fn device_down_flushes() {
    let (mut k, ns) = setup();
    up(&mut k, ns, "lo", true);
    k.rtm_new_nexthop(ns, &single(&k, ns, 1, "dum0")).unwrap();
    k.rtm_new_nexthop(ns, &single(&k, ns, 30, "dum1")).unwrap();
    k.rtm_new_nexthop(ns, &group(100, &[(1, 1), (30, 1)]))
        .unwrap();
    let mut bh = single(&k, ns, 4, "dum0");
    bh.oif = None;
    bh.blackhole = true;
    k.rtm_new_nexthop(ns, &bh).unwrap();
    k.take_events();
    up(&mut k, ns, "dum1", false);
    assert_eq!(ids(&k, ns), [1, 4, 100]);
    assert!(!k
        .take_events()
        .iter()
        .any(|e| matches!(e, Event::Nexthop { .. })));
    up(&mut k, ns, "lo", false);
    assert_eq!(ids(&k, ns), [1, 4, 100]);
    let d = dev(&k, ns, "dum0");
    let ifi = k.dev(d).ifindex;
    let del = LinkRequest {
        ifindex: ifi as i32,
        ..Default::default()
    };
    k.dellink(ns, &del).unwrap();
    assert_eq!(ids(&k, ns), [4]);
}
