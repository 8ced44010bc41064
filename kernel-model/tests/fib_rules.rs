//! Policy routing rules through the model's API, against the rules measured on Linux 6.12.117
//! (golden/kernel/6.12/rules.txt; golden/research/notes/addr-route.md "Rules"). Each test
//! names the kernel function its rule comes from (net/core/fib_rules.c unless said).

mod common;
use common::{boot, errno_of, CREATE};
use kernel_model::inet::fib_rules::*;
use kernel_model::inet::netconf::{NETCONFA_ALL, NETCONFA_IFINDEX_ALL};
use kernel_model::kinds::vrf::VrfData;
use kernel_model::uapi::errno;
use kernel_model::{Event, Kernel, KindData, LinkInfoRequest, LinkMsg, LinkRequest, NetnsId};
use std::net::{IpAddr, Ipv4Addr};

fn v4(src: Option<([u8; 4], u8)>, table: u32) -> RuleRequest {
    let mut r = RuleRequest {
        family: AF_INET,
        action: FR_ACT_TO_TBL,
        table_attr: Some(table),
        ..RuleRequest::default()
    };
    if let Some((a, len)) = src {
        r.src = Some(a.to_vec());
        r.src_len = len;
    }
    r
}

fn prefs(k: &Kernel, ns: NetnsId, f: RuleFamily) -> Vec<(u32, u32)> {
    k.fib_rules(ns, f)
        .iter()
        .map(|v| (v.rule.pref, v.rule.table))
        .collect()
}

fn add_link(k: &mut Kernel, ns: NetnsId, name: &str, kind: &str, data: Option<KindData>) {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some(kind.into()),
            data,
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns, &req).unwrap();
}

fn flow(src: [u8; 4], dst: [u8; 4]) -> RuleFlow {
    RuleFlow {
        iif: 0,
        oif: 0,
        mark: 0,
        tun_id: 0,
        uid: 0,
        src: Some(IpAddr::V4(Ipv4Addr::from(src))),
        dst: IpAddr::V4(Ipv4Addr::from(dst)),
        dsfield: 0,
        proto: 0,
        sport: 0,
        dport: 0,
        l3mdev_table: 0,
    }
}

fn tables(v: &[RuleVerdict]) -> Vec<u32> {
    v.iter()
        .filter_map(|v| match v {
            RuleVerdict::Table { table, .. } => Some(*table),
            _ => None,
        })
        .collect()
}

/// `fib_default_rules_init`, `fib6_rules_net_init`, `ipmr_rules_init`, `ip6mr_rules_init`
/// (rules CMD[3], CMD[4]).
#[test]
fn every_namespace_starts_with_the_default_rules() {
    let mut k = boot();
    let init = k.init_net();
    assert_eq!(
        prefs(&k, init, RuleFamily::Inet),
        [(0, 255), (32766, 254), (32767, 253)]
    );
    assert_eq!(prefs(&k, init, RuleFamily::Inet6), [(0, 255), (32766, 254)]);
    assert_eq!(prefs(&k, init, RuleFamily::Ipmr), [(32767, 253)]);
    assert_eq!(prefs(&k, init, RuleFamily::Ip6mr), [(32767, 254)]);
    let v = &k.fib_rules(init, RuleFamily::Inet)[0];
    assert_eq!(
        (v.rule.proto, v.rule.suppress_prefixlen),
        (RTPROT_KERNEL, -1)
    );
    let ns = k.netns_new();
    assert_eq!(prefs(&k, ns, RuleFamily::Inet6), [(0, 255), (32766, 254)]);
}

/// `fib_default_rule_pref`: one below the second rule's preference, 0 once that is 0; a new
/// rule goes after the last rule of its preference (rules CMD[41], CMD[47]).
#[test]
fn priorities_count_down_from_the_second_rule() {
    let mut k = boot();
    let ns = k.init_net();
    k.fib_nl_newrule(ns, &v4(Some(([10, 0, 0, 0], 8)), 100))
        .unwrap();
    k.fib_nl_newrule(ns, &v4(Some(([10, 0, 0, 0], 8)), 100))
        .unwrap();
    let p: Vec<u32> = prefs(&k, ns, RuleFamily::Inet)
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(p, [0, 32764, 32765, 32766, 32767]);
    let mut r = v4(None, 119);
    r.priority = Some(0);
    k.fib_nl_newrule(ns, &r).unwrap();
    k.fib_nl_newrule(ns, &v4(None, 121)).unwrap();
    assert_eq!(
        prefs(&k, ns, RuleFamily::Inet)[..4],
        [(0, 255), (0, 119), (0, 121), (32764, 100)]
    );
    // The notifications: RTM_NEWRULE each, for the requester.
    let evs = k.take_events();
    assert_eq!(evs.len(), 4);
    assert!(evs.iter().all(|e| matches!(
        e,
        Event::Rule {
            msg: LinkMsg::New,
            from_request: true,
            ..
        }
    )));
}

/// `fib_nl_newrule`: NLM_F_EXCL finds an identical rule (`rule_exists`) → EEXIST; without it
/// the duplicate is added (rules CMD[7], CMD[43], CMD[44]).
#[test]
fn excl_refuses_an_identical_rule() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = v4(Some(([10, 0, 0, 0], 8)), 100);
    r.priority = Some(100);
    k.fib_nl_newrule(ns, &r).unwrap();
    k.fib_nl_newrule(ns, &r).unwrap();
    r.excl = true;
    assert_eq!(errno_of(k.fib_nl_newrule(ns, &r)), errno::EEXIST);
    r.priority = None;
    k.fib_nl_newrule(ns, &r).unwrap();
}

/// `fib_nl2rule`, `fib4_rule_configure`, `fib6_rule_configure`: the extack texts of
/// rules CMD[15], [17], [22], [31].
#[test]
fn invalid_rules_are_refused_with_the_kernels_messages() {
    let mut k = boot();
    let ns = k.init_net();
    let msg = |r: Result<(), kernel_model::KernelError>| {
        let e = r.unwrap_err();
        (e.errno, e.msg.map(|m| m.to_string()).unwrap_or_default())
    };
    let mut r = v4(None, 108);
    r.tos = 0x20;
    assert_eq!(
        msg(k.fib_nl_newrule(ns, &r)),
        (errno::EINVAL, "Invalid tos".into())
    );
    r.tos = 0x01;
    assert_eq!(
        msg(k.fib_nl_newrule(ns, &r)).1,
        "Invalid dsfield (tos): ECN bits must be 0"
    );
    let mut r = v4(None, 109);
    r.uid_range = Some((2000, 1000));
    assert_eq!(msg(k.fib_nl_newrule(ns, &r)).1, "Invalid uid range");
    let mut r = v4(None, 112);
    r.dport_range = Some((2000, 1000));
    assert_eq!(msg(k.fib_nl_newrule(ns, &r)).1, "Invalid dport range");
    let mut r = v4(None, 0);
    r.action = FR_ACT_GOTO;
    r.priority = Some(500);
    r.goto = Some(400);
    assert_eq!(
        msg(k.fib_nl_newrule(ns, &r)).1,
        "Backward goto not supported"
    );
    r.goto = None;
    assert_eq!(
        msg(k.fib_nl_newrule(ns, &r)).1,
        "Missing goto target for action goto"
    );
    let mut r = v4(None, 0);
    r.family = AF_INET6;
    assert_eq!(
        msg(k.fib_nl_newrule(ns, &r)),
        (errno::EINVAL, "Invalid table".into())
    );
    r.family = 7;
    assert_eq!(errno_of(k.fib_nl_newrule(ns, &r)), errno::EAFNOSUPPORT);
    let mut r = v4(None, 5);
    r.l3mdev = Some(1);
    assert_eq!(
        msg(k.fib_nl_newrule(ns, &r)).1,
        "l3mdev and table are mutually exclusive"
    );
    // Source length without FRA_SRC.
    let mut r = v4(None, 5);
    r.src_len = 8;
    assert_eq!(msg(k.fib_nl_newrule(ns, &r)).1, "Invalid source address");
    assert!(k.take_events().is_empty());
}

/// `fib_nl_newrule` / `fib_nl_delrule`: a goto resolves to the first rule of its target
/// preference, becomes unresolved when that goes (FIB_RULE_UNRESOLVED, rules CMD[67]) and
/// resolves again when one is added; `fib_rules_lookup` jumps.
#[test]
fn goto_targets_resolve_and_unresolve() {
    let mut k = boot();
    let ns = k.init_net();
    let mut g = v4(Some(([10, 7, 0, 0], 16)), 0);
    g.action = FR_ACT_GOTO;
    g.table_attr = None;
    g.priority = Some(300);
    g.goto = Some(400);
    k.fib_nl_newrule(ns, &g).unwrap();
    let goto_flags = |k: &Kernel| {
        k.fib_rules(ns, RuleFamily::Inet)
            .iter()
            .find(|v| v.rule.pref == 300)
            .map(|v| v.frh_flags)
    };
    assert_eq!(goto_flags(&k), Some(FIB_RULE_UNRESOLVED));
    let mut t = v4(Some(([10, 7, 0, 0], 16)), 113);
    t.priority = Some(400);
    k.fib_nl_newrule(ns, &t).unwrap();
    assert_eq!(goto_flags(&k), Some(0));
    // A rule between them is skipped by the jump.
    let mut mid = v4(None, 150);
    mid.priority = Some(350);
    k.fib_nl_newrule(ns, &mid).unwrap();
    let hit = k.fib_rules_lookup(ns, RuleFamily::Inet, &flow([10, 7, 1, 1], [192, 0, 2, 1]));
    assert_eq!(tables(&hit), [255, 113, 254, 253]);
    let miss = k.fib_rules_lookup(ns, RuleFamily::Inet, &flow([10, 8, 1, 1], [192, 0, 2, 1]));
    assert_eq!(tables(&miss), [255, 150, 254, 253]);
    let mut del = RuleRequest {
        family: AF_INET,
        priority: Some(400),
        ..RuleRequest::default()
    };
    k.fib_nl_delrule(ns, &del).unwrap();
    assert_eq!(goto_flags(&k), Some(FIB_RULE_UNRESOLVED));
    // An unresolved goto is passed over.
    let hit = k.fib_rules_lookup(ns, RuleFamily::Inet, &flow([10, 7, 1, 1], [192, 0, 2, 1]));
    assert_eq!(tables(&hit), [255, 150, 254, 253]);
    del.priority = Some(12345);
    assert_eq!(errno_of(k.fib_nl_delrule(ns, &del)), errno::ENOENT);
}

/// `rule_find`: the selectors a delete request leaves unset match anything; the first match
/// in list order goes (rules CMD[57]-[70]); priority 0 and the defaults can go (CMD[92]).
#[test]
fn delete_matches_only_the_selectors_given() {
    let mut k = boot();
    let ns = k.init_net();
    k.fib_nl_newrule(ns, &v4(Some(([10, 0, 0, 0], 8)), 100))
        .unwrap();
    let mut fw = v4(None, 105);
    fw.fwmark = Some(0x10);
    k.fib_nl_newrule(ns, &fw).unwrap();
    let mut masked = v4(None, 106);
    masked.fwmark = Some(0x10);
    masked.fwmask = Some(0xff);
    k.fib_nl_newrule(ns, &masked).unwrap();
    // `fwmark 0x10` alone sets mark_mask 0xffffffff: only the unmasked rule matches.
    let del = RuleRequest {
        family: AF_INET,
        fwmark: Some(0x10),
        ..RuleRequest::default()
    };
    k.fib_nl_delrule(ns, &del).unwrap();
    let tables: Vec<u32> = prefs(&k, ns, RuleFamily::Inet)
        .iter()
        .map(|p| p.1)
        .collect();
    assert_eq!(tables, [255, 106, 100, 254, 253]);
    // By source only.
    let del = RuleRequest {
        family: AF_INET,
        src: Some(vec![10, 0, 0, 0]),
        src_len: 8,
        ..RuleRequest::default()
    };
    k.fib_nl_delrule(ns, &del).unwrap();
    // Priority 0: the local rule is the first of it.
    let del = RuleRequest {
        family: AF_INET,
        priority: Some(0),
        ..RuleRequest::default()
    };
    k.fib_nl_delrule(ns, &del).unwrap();
    let tables: Vec<u32> = prefs(&k, ns, RuleFamily::Inet)
        .iter()
        .map(|p| p.1)
        .collect();
    assert_eq!(tables, [106, 254, 253]);
}

/// `fib_nl2rule` binds iif/oif by name (-1: detached, FIB_RULE_IIF_DETACHED, rules CMD[11]);
/// `fib_rules_event` attaches at NETDEV_REGISTER, re-binds at NETDEV_CHANGENAME, detaches at
/// NETDEV_UNREGISTER.
#[test]
fn iif_binds_by_name_as_devices_come_and_go() {
    let mut k = boot();
    let ns = k.init_net();
    let mut r = v4(None, 104);
    r.iifname = Some("dum0".into());
    k.fib_nl_newrule(ns, &r).unwrap();
    let bound = |k: &Kernel| {
        let v = k.fib_rules(ns, RuleFamily::Inet)[1].clone();
        (v.rule.iifindex, v.frh_flags & FIB_RULE_IIF_DETACHED != 0)
    };
    assert_eq!(bound(&k), (-1, true));
    add_link(&mut k, ns, "dum0", "dummy", None);
    let idx = k.dev(k.dev_by_name(ns, "dum0").unwrap()).ifindex as i32;
    assert_eq!(bound(&k), (idx, false));
    let del = LinkRequest {
        ifname: Some("dum0".into()),
        ..Default::default()
    };
    k.dellink(ns, &del).unwrap();
    assert_eq!(bound(&k), (-1, true));
}

/// `vrf_add_fib_rules` (drivers/net/vrf.c): the first vrf of a namespace adds `1000: from
/// all lookup [l3mdev-table]` for AF_INET, AF_INET6, IPMR and IP6MR, announced with port id 0;
/// later vrfs add nothing (rules CMD[84], CMD[85]).
#[test]
fn the_first_vrf_adds_the_l3mdev_rules() {
    let mut k = boot();
    let ns = k.init_net();
    let vrf = |t| Some(KindData::new(VrfData { table: Some(t) }));
    add_link(&mut k, ns, "vrf1", "vrf", vrf(10));
    for f in RuleFamily::ALL {
        let rules = k.fib_rules(ns, f);
        let l3: Vec<_> = rules.iter().filter(|v| v.rule.l3mdev == 1).collect();
        assert_eq!(l3.len(), 1, "{f:?}");
        assert_eq!((l3[0].rule.pref, l3[0].rule.table), (1000, 0));
        assert_eq!(l3[0].rule.proto, RTPROT_KERNEL);
    }
    let evs = k.take_events();
    let rules = evs
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Rule {
                    from_request: false,
                    ..
                }
            )
        })
        .count();
    assert_eq!(rules, 4);
    // A second vrf, even after the rule was deleted, adds nothing.
    let del = RuleRequest {
        family: AF_INET,
        priority: Some(1000),
        ..RuleRequest::default()
    };
    k.fib_nl_delrule(ns, &del).unwrap();
    add_link(&mut k, ns, "vrf2", "vrf", vrf(20));
    assert!(k
        .fib_rules(ns, RuleFamily::Inet)
        .iter()
        .all(|v| v.rule.l3mdev == 0));
    // The l3mdev rule looks in the flow's L3 master table.
    let mut fl = flow([10, 0, 0, 1], [10, 0, 0, 2]);
    fl.l3mdev_table = 10;
    assert_eq!(
        tables(&k.fib_rules_lookup(
            ns,
            RuleFamily::Inet6,
            &RuleFlow {
                src: None,
                dst: IpAddr::V6("2001:db8::1".parse().unwrap()),
                ..fl.clone()
            }
        )),
        [255, 10, 254]
    );
}

/// `fib_rules_lookup`: selectors (fwmark/mask, uid range, ip proto, ports, tos), not, and
/// the actions that end a lookup.
#[test]
fn lookup_follows_selectors_and_actions() {
    let mut k = boot();
    let ns = k.init_net();
    let mut m = v4(None, 105);
    m.fwmark = Some(0x10);
    m.fwmask = Some(0xf0);
    k.fib_nl_newrule(ns, &m).unwrap();
    let mut u = v4(None, 109);
    u.uid_range = Some((1000, 2000));
    k.fib_nl_newrule(ns, &u).unwrap();
    let mut p = v4(None, 111);
    p.ip_proto = Some(17);
    p.sport_range = Some((1000, 2000));
    k.fib_nl_newrule(ns, &p).unwrap();
    let mut not = v4(Some(([10, 11, 0, 0], 16)), 117);
    not.flags = FIB_RULE_INVERT;
    k.fib_nl_newrule(ns, &not).unwrap();
    let mut bh = v4(Some(([10, 3, 0, 0], 16)), 0);
    bh.table_attr = None;
    bh.action = FR_ACT_PROHIBIT;
    bh.priority = Some(32000);
    k.fib_nl_newrule(ns, &bh).unwrap();

    let base = flow([10, 11, 1, 1], [192, 0, 2, 1]);
    assert_eq!(
        tables(&k.fib_rules_lookup(ns, RuleFamily::Inet, &base)),
        [255, 254, 253]
    );
    let mut f = base.clone();
    f.mark = 0x1f;
    f.uid = 1500;
    f.proto = 17;
    f.sport = 1500;
    f.src = Some(IpAddr::V4(Ipv4Addr::new(10, 12, 0, 1)));
    assert_eq!(
        tables(&k.fib_rules_lookup(ns, RuleFamily::Inet, &f)),
        [255, 117, 111, 109, 105, 254, 253]
    );
    let f = flow([10, 3, 0, 1], [192, 0, 2, 1]);
    let v = k.fib_rules_lookup(ns, RuleFamily::Inet, &f);
    assert_eq!(v.last(), Some(&RuleVerdict::Prohibit));
}

/// A device getting its in_device / inet6_dev is announced (RTM_NEWNETCONF, NETCONFA_ALL,
/// IPv4 first) before its RTM_NEWLINK; losing them at unregistration, RTM_DELNETCONF each
/// before the RTM_DELLINK (monitor-addr-route: "[NETCONF]Deleted inet dum0").
#[test]
fn netconf_follows_the_devices_ip_state() {
    let mut k = boot();
    let ns = k.init_net();
    add_link(&mut k, ns, "dum0", "dummy", None);
    let evs = k.take_events();
    let kinds: Vec<String> = evs
        .iter()
        .map(|e| match e {
            Event::Netconf { msg, view, .. } => {
                format!("{msg:?} v6={} ty={}", view.v6, view.ty)
            }
            Event::Link { msg, .. } => format!("link {msg:?}"),
            _ => "other".into(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            format!("New v6=false ty={NETCONFA_ALL}"),
            format!("New v6=true ty={NETCONFA_ALL}"),
            "link New".to_string()
        ]
    );
    let del = LinkRequest {
        ifname: Some("dum0".into()),
        ..Default::default()
    };
    k.dellink(ns, &del).unwrap();
    let kinds: Vec<String> = k
        .take_events()
        .iter()
        .map(|e| match e {
            Event::Netconf { msg, view, .. } => format!("{msg:?} v6={}", view.v6),
            Event::Link { msg, .. } => format!("link {msg:?}"),
            _ => "other".into(),
        })
        .collect();
    assert_eq!(kinds, ["Del v6=false", "Del v6=true", "link Del"]);
    // The dump: devices with an in_device, then all and default.
    let dump = k.netconf_dump(ns, false);
    assert_eq!(dump.len(), 4 + 2);
    assert_eq!(dump[4].ifindex, NETCONFA_IFINDEX_ALL);
    assert!(k.netconf_conf(ns, true, 999).is_none());
}
