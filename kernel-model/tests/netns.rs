//! Network namespaces against the kernel transcripts golden/kernel/6.12/netns.txt and
//! veth.txt (Linux 6.12.117): moves (`__dev_change_net_namespace`), creation in another
//! namespace, nsids, and namespace destruction (`cleanup_net`).

mod common;
use common::{boot, dev, ifindex, CREATE};
use kernel_model::kinds::geneve::GeneveData;
use kernel_model::kinds::gre::GreData;
use kernel_model::kinds::vlan::VlanData;
use kernel_model::kinds::vxlan::VxlanData;
use kernel_model::uapi::{errno, iff};
use kernel_model::{
    Event, Kernel, KernelError, KindData, LinkInfoRequest, LinkMsg, LinkRequest, NetnsId,
};

fn add_req(name: &str, kind: &str, data: Option<KindData>) -> LinkRequest {
    LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some(kind.into()),
            data,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn add(k: &mut Kernel, ns: NetnsId, name: &str, kind: &str, data: Option<KindData>) {
    k.newlink(ns, &add_req(name, kind, data))
        .unwrap_or_else(|e| panic!("ip link add {name} type {kind}: {e}"));
}

/// `ip [-n FROM] link set NAME netns TO [name NEW]`: RTM_NEWLINK by ifindex with IFLA_NET_NS_*.
fn set_netns(
    k: &mut Kernel,
    from: NetnsId,
    name: &str,
    to: NetnsId,
    newname: Option<&str>,
) -> Result<(), KernelError> {
    let req = LinkRequest {
        ifindex: ifindex(k, from, name) as i32,
        ifname: newname.map(str::to_string),
        net_ns: Some(Ok(to)),
        ..Default::default()
    };
    let r = k.newlink(from, &req);
    k.check_invariants().unwrap();
    r
}

fn set_master(k: &mut Kernel, ns: NetnsId, name: &str, master: &str) {
    let req = LinkRequest {
        ifindex: ifindex(k, ns, name) as i32,
        master: Some(ifindex(k, ns, master)),
        ..Default::default()
    };
    k.setlink(ns, &req).unwrap();
}

fn names(k: &Kernel, ns: NetnsId) -> Vec<(u32, String)> {
    k.devices_from(ns, 0)
        .map(|d| (d.ifindex, d.name.clone()))
        .collect()
}

fn immutable(e: KernelError) {
    assert_eq!(e.errno, errno::EINVAL);
    assert_eq!(e.msg.as_deref(), Some("The interface netns is immutable"));
}

#[test]
fn new_namespace_holds_only_lo_like_init_net() {
    let mut k = boot();
    let ns1 = k.netns_new();
    assert!(k.netns_alive(ns1));
    assert_eq!(names(&k, ns1), vec![(1, "lo".to_string())]);
    let (lo0, lo1) = (dev(&k, k.init_net(), "lo"), dev(&k, ns1, "lo"));
    let (mut v0, v1) = (k.fill(lo0), k.fill(lo1));
    v0.netns = ns1;
    assert_eq!(v0, v1);
    assert_eq!(k.dev(lo0).inet, k.dev(lo1).inet);
    // Next ifindexes continue from 2 in that namespace.
    add(&mut k, ns1, "d0", "dummy", None);
    assert_eq!(ifindex(&k, ns1, "d0"), 2);
    assert!(k.netns_ids().any(|n| n == ns1));
    k.check_invariants().unwrap();
}

/// The whole of netns.txt, in its order.
#[test]
fn netns_transcript() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();

    // NETNS-LOCAL (#3-#10, #19).
    add(&mut k, init, "br0", "bridge", None);
    immutable(set_netns(&mut k, init, "br0", ns1, None).unwrap_err());
    add(&mut k, init, "bond0", "bond", None);
    immutable(set_netns(&mut k, init, "bond0", ns1, None).unwrap_err());
    add(&mut k, init, "team0", "team", None);
    immutable(set_netns(&mut k, init, "team0", ns1, None).unwrap_err());
    add(
        &mut k,
        init,
        "vrf0",
        "vrf",
        Some(KindData::new(kernel_model::kinds::vrf::VrfData {
            table: Some(10),
        })),
    );
    immutable(set_netns(&mut k, init, "vrf0", ns1, None).unwrap_err());

    // NETNS-MOVABLE (#11-#18).
    let vx = VxlanData {
        id: Some(10),
        port: Some(4789),
        ..Default::default()
    };
    add(
        &mut k,
        init,
        "vx0",
        "vxlan",
        Some(KindData::boxed(Box::new(vx))),
    );
    set_netns(&mut k, init, "vx0", ns1, None).unwrap();
    let gn = GeneveData {
        id: Some(10),
        remote: Some("192.0.2.1".parse().unwrap()),
        ..Default::default()
    };
    add(
        &mut k,
        init,
        "gn0",
        "geneve",
        Some(KindData::boxed(Box::new(gn))),
    );
    set_netns(&mut k, init, "gn0", ns1, None).unwrap();
    let gre = GreData {
        remote: Some("192.0.2.1".parse().unwrap()),
        ..Default::default()
    };
    add(
        &mut k,
        init,
        "gre1",
        "gre",
        Some(KindData::boxed(Box::new(gre))),
    );
    set_netns(&mut k, init, "gre1", ns1, None).unwrap();
    add(&mut k, init, "nl0", "nlmon", None);
    set_netns(&mut k, init, "nl0", ns1, None).unwrap();
    immutable(set_netns(&mut k, init, "lo", ns1, None).unwrap_err());

    // BOND-SLAVE-NETNS (#20-#23): released, arrives DOWN with its ifindex.
    set_master(&mut k, init, "eth0", "bond0");
    set_netns(&mut k, init, "eth0", ns1, None).unwrap();
    let eth0 = k.fill(dev(&k, ns1, "eth0"));
    assert_eq!(eth0.ifindex, 2);
    assert_eq!(eth0.flags, iff::BROADCAST);
    assert_eq!(eth0.master, None);
    assert_eq!(eth0.qdisc, "noop");
    let bond0 = dev(&k, init, "bond0");
    assert!(k.all_devices().all(|d| d.master != Some(bond0)));

    // NETNS-BRPORT (#24-#27).
    add(&mut k, init, "d1", "dummy", None);
    set_master(&mut k, init, "d1", "br0");
    set_netns(&mut k, init, "d1", ns1, None).unwrap();
    assert_eq!(k.fill(dev(&k, ns1, "d1")).master, None);
    let br0 = dev(&k, init, "br0");
    assert!(k.all_devices().all(|d| d.master != Some(br0)));

    // MACVLAN-NETNS (#28-#30): mv0@if3 link-netnsid 0.
    let mut mv = add_req("mv0", "macvlan", None);
    mv.link = Some(3);
    k.newlink(init, &mv).unwrap();
    set_netns(&mut k, init, "mv0", ns1, None).unwrap();
    let v = k.fill(dev(&k, ns1, "mv0"));
    assert_eq!((v.ifindex, v.link, v.link_netnsid), (14, Some(3), Some(0)));
    assert_eq!(v.flags, iff::BROADCAST | iff::MULTICAST);

    // VLAN-NETNS (#31-#33): eth1.5@if3 link-netnsid 0.
    let mut vl = add_req(
        "eth1.5",
        "vlan",
        Some(KindData::new(VlanData {
            id: Some(5),
            ..Default::default()
        })),
    );
    vl.link = Some(3);
    k.newlink(init, &vl).unwrap();
    set_netns(&mut k, init, "eth1.5", ns1, None).unwrap();
    let v = k.fill(dev(&k, ns1, "eth1.5"));
    assert_eq!((v.ifindex, v.link, v.link_netnsid), (15, Some(3), Some(0)));

    // #34: netdevsim ports have no dellink.
    let del = LinkRequest {
        ifname: Some("eth1".into()),
        ..Default::default()
    };
    assert_eq!(k.dellink(init, &del).unwrap_err().errno, errno::EOPNOTSUPP);

    // #35: what ns1 lists; vx0@if9 (vxlan->net is init_net), gre1@NONE, gn0 plain.
    let listed: Vec<(u32, String)> = names(&k, ns1);
    assert_eq!(
        listed.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
        ["lo", "eth0", "vx0", "gn0", "gre1", "nl0", "d1", "mv0", "eth1.5"]
    );
    let v = k.fill(dev(&k, ns1, "vx0"));
    assert_eq!((v.ifindex, v.link, v.link_netnsid), (9, Some(9), Some(0)));
    let v = k.fill(dev(&k, ns1, "gre1"));
    assert_eq!((v.link, v.link_netnsid), (Some(0), Some(0)));
    assert_eq!(k.fill(dev(&k, ns1, "nl0")).link_netnsid, None);
    let v = k.fill(dev(&k, ns1, "gn0"));
    assert_eq!((v.link, v.link_netnsid), (None, None));

    // NETNS-NAME-CLASH / NETNS-RENAME-MOVE (#36-#39).
    add(&mut k, ns1, "eth2", "dummy", None);
    assert_eq!(ifindex(&k, ns1, "eth2"), 3);
    let e = set_netns(&mut k, init, "eth2", ns1, None).unwrap_err();
    assert_eq!(e.errno, errno::EEXIST);
    assert_eq!(
        e.msg.as_deref(),
        Some("An interface with the same name exists in the target netns")
    );
    set_netns(&mut k, init, "eth2", ns1, Some("eth2b")).unwrap();
    assert_eq!(ifindex(&k, ns1, "eth2b"), 4);
    assert!(k.dev_by_name(init, "eth2").is_none());

    // NETNS-IFINDEX-CLASH (#40-#43): a new ifindex, the next free one in ns1.
    let mut d2 = add_req("d2", "dummy", None);
    d2.ifindex = 50;
    k.newlink(init, &d2).unwrap();
    let mut dd = add_req("dd", "dummy", None);
    dd.ifindex = 50;
    k.newlink(ns1, &dd).unwrap();
    set_netns(&mut k, init, "d2", ns1, None).unwrap();
    assert_eq!(ifindex(&k, ns1, "d2"), 5);

    // NETNS-IFINDEX-KEEP (#44-#48), back by pid from inside ns1.
    let mut d3 = add_req("d3", "dummy", None);
    d3.ifindex = 60;
    k.newlink(init, &d3).unwrap();
    set_netns(&mut k, init, "d3", ns1, None).unwrap();
    assert_eq!(ifindex(&k, ns1, "d3"), 60);
    set_netns(&mut k, ns1, "d3", init, None).unwrap();
    assert_eq!(ifindex(&k, init, "d3"), 60);

    // NETNS-UP-DOWN (#49-#54): arrives DOWN, noop qdisc, fresh inet state.
    add(&mut k, init, "d4", "dummy", None);
    let up = LinkRequest {
        ifindex: ifindex(&k, init, "d4") as i32,
        ifi_flags: iff::UP,
        ifi_change: iff::UP,
        ..Default::default()
    };
    k.setlink(init, &up).unwrap();
    assert!(k.may_have_addresses(init));
    set_netns(&mut k, init, "d4", ns1, None).unwrap();
    let d4 = dev(&k, ns1, "d4");
    let v = k.fill(d4);
    assert_eq!(v.ifindex, 16);
    assert_eq!(v.flags, iff::BROADCAST | iff::NOARP);
    assert_eq!(v.qdisc, "noop");
    assert!(v.inet4 && v.inet6 && !v.inet6_ready);
    // The multicast list and inet state of a freshly registered device (dd never was up).
    let dd = dev(&k, ns1, "dd");
    assert_eq!(k.dev(d4).mc, k.dev(dd).mc);
    assert_eq!(k.dev(d4).inet, k.dev(dd).inet);
    assert!(k.dev(d4).uc.is_empty());

    // NETNS-DEL-DESTROYS (#55-#59).
    add(&mut k, init, "d5", "dummy", None);
    set_netns(&mut k, init, "d5", ns1, None).unwrap();
    k.take_events();
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    assert!(!k.netns_alive(ns1));
    assert_eq!(
        names(&k, init),
        [
            (1, "lo"),
            (2, "eth0"),
            (3, "eth1"),
            (4, "eth2b"),
            (5, "br0"),
            (6, "bond0"),
            (7, "team0"),
            (8, "vrf0"),
            (60, "d3")
        ]
        .map(|(i, n)| (i, n.to_string()))
    );
    // init_net forgot its id for ns1 (RTM_DELNSID), and heard the ports come back.
    assert_eq!(k.peernet2id(init, ns1), -1);
    let evs = k.take_events();
    assert!(evs.iter().any(|e| matches!(
        e,
        Event::Nsid { msg: LinkMsg::Del, netns, nsid: 0, .. } if *netns == init
    )));
    let back: Vec<&str> = evs
        .iter()
        .filter_map(|e| match e {
            Event::Link {
                msg: LinkMsg::New,
                change,
                view,
                ..
            } if view.netns == init && *change == !0 => Some(view.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(back, ["eth0", "eth2b"]);
    assert!(evs.iter().all(|e| match e {
        Event::Link { view, .. } => view.netns == init,
        _ => true,
    }));

    // #60-#61: another namespace takes eth0.
    let ns2 = k.netns_new();
    set_netns(&mut k, init, "eth0", ns2, None).unwrap();
    assert_eq!(
        names(&k, ns2),
        [(1, "lo"), (2, "eth0")].map(|(i, n)| (i, n.to_string()))
    );
}

/// default_device_exit_net: a port whose name is taken in init_net comes back as
/// `dev<ifindex>`, or `dev%d` when that is taken too.
#[test]
fn ports_return_renamed_when_their_name_is_taken() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    set_netns(&mut k, init, "eth0", ns1, None).unwrap();
    set_netns(&mut k, init, "eth1", ns1, None).unwrap();
    add(&mut k, init, "eth0", "dummy", None);
    add(&mut k, init, "eth1", "dummy", None);
    add(&mut k, init, "dev3", "dummy", None);
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    assert_eq!(ifindex(&k, init, "dev2"), 2);
    assert_eq!(ifindex(&k, init, "dev0"), 3);
}

/// The notifications of a move: RTM_NEWNSID in the old namespace (`peernet2id_alloc`),
/// RTM_DELLINK there with IFLA_NEW_NETNSID / IFLA_NEW_IFINDEX, RTM_NEWLINK in the new one.
#[test]
fn move_notifications() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    add(&mut k, init, "d", "dummy", None);
    k.take_events();
    set_netns(&mut k, init, "d", ns1, None).unwrap();
    // inetdev_destroy / addrconf_ifdown at NETDEV_UNREGISTER announce RTM_DELNETCONF in the old
    // namespace first; the new one gets RTM_NEWNETCONF at NETDEV_REGISTER.
    let (netconf, evs): (Vec<Event>, Vec<Event>) = k
        .take_events()
        .into_iter()
        .partition(|e| matches!(e, Event::Netconf { .. }));
    let netconf: Vec<(LinkMsg, bool)> = netconf
        .iter()
        .filter_map(|e| match e {
            Event::Netconf { msg, netns, .. } => Some((*msg, *netns == init)),
            _ => None,
        })
        .collect();
    assert_eq!(
        netconf,
        [
            (LinkMsg::Del, true),
            (LinkMsg::Del, true),
            (LinkMsg::New, false),
            (LinkMsg::New, false)
        ]
    );
    assert_eq!(evs.len(), 3, "{evs:#?}");
    assert!(matches!(
        &evs[0],
        Event::Nsid { msg: LinkMsg::New, netns, nsid: 0, from_request: false } if *netns == init
    ));
    match &evs[1] {
        Event::Link {
            msg: LinkMsg::Del,
            change,
            view,
            ..
        } => {
            assert_eq!(*change, !0);
            assert_eq!(view.netns, init);
            assert_eq!(view.new_netnsid, Some(0));
            assert_eq!(view.new_ifindex, Some(5));
        }
        e => panic!("{e:?}"),
    }
    match &evs[2] {
        Event::Link {
            msg: LinkMsg::New,
            change,
            view,
            ..
        } => {
            assert_eq!((*change, view.netns, view.ifindex), (!0, ns1, 5));
            assert_eq!(view.new_netnsid, None);
        }
        e => panic!("{e:?}"),
    }
    // A second move back reuses init's id; ns1 allocates its own for init_net.
    set_netns(&mut k, ns1, "d", init, None).unwrap();
    assert_eq!(k.peernet2id(ns1, init), 0);
    assert_eq!(k.netns_id_list(init), vec![(0, ns1)]);
}

/// `ip link add NAME netns X type dummy` (rtnl_newlink_create's dest_net), and the order of
/// errors: no device (ENODEV) before the namespace reference is resolved.
#[test]
fn create_in_another_namespace_and_resolution_errors() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let mut req = add_req("dn", "dummy", None);
    req.net_ns = Some(Ok(ns1));
    k.newlink(init, &req).unwrap();
    assert_eq!(ifindex(&k, ns1, "dn"), 2);
    assert!(k.dev_by_name(init, "dn").is_none());

    let bad = || Some(Err(KernelError::new(errno::EBADF)));
    let mut req = add_req("dx", "dummy", None);
    req.net_ns = bad();
    assert_eq!(k.newlink(init, &req).unwrap_err().errno, errno::EBADF);
    let set = LinkRequest {
        ifname: Some("nosuch".into()),
        net_ns: bad(),
        ..Default::default()
    };
    assert_eq!(k.setlink(init, &set).unwrap_err().errno, errno::ENODEV);
    let set = LinkRequest {
        ifindex: 2,
        net_ns: bad(),
        ..Default::default()
    };
    assert_eq!(k.setlink(init, &set).unwrap_err().errno, errno::EBADF);
    let set = LinkRequest {
        ifindex: 2,
        net_ns: Some(Ok(ns1)),
        net_ns_multiple: true,
        ..Default::default()
    };
    let e = k.setlink(init, &set).unwrap_err();
    assert_eq!(e.errno, errno::EINVAL);
    assert_eq!(
        e.msg.as_deref(),
        Some("multiple netns identifying attributes specified")
    );
    // IFLA_NEW_IFINDEX taken in the target.
    let set = LinkRequest {
        ifindex: 2,
        net_ns: Some(Ok(ns1)),
        new_ifindex: Some(1),
        ..Default::default()
    };
    let e = k.setlink(init, &set).unwrap_err();
    assert_eq!(e.errno, errno::EBUSY);
    assert_eq!(
        e.msg.as_deref(),
        Some("The ifindex 1 is not available in the target netns")
    );
    let set = LinkRequest {
        new_ifindex: Some(40),
        ..set
    };
    k.setlink(init, &set).unwrap();
    assert_eq!(ifindex(&k, ns1, "eth0"), 40);
    // A pattern that cannot be used.
    add(&mut k, ns1, "eth1", "dummy", None);
    let set = LinkRequest {
        ifindex: 3,
        ifname: Some("eth0".into()),
        net_ns: Some(Ok(ns1)),
        ..Default::default()
    };
    let e = k.setlink(init, &set).unwrap_err();
    assert_eq!(e.errno, errno::EEXIST);
    assert_eq!(
        e.msg.as_deref(),
        Some("Unable to use 'eth0' for the new interface name in the target netns")
    );
    k.check_invariants().unwrap();
}

/// veth.txt #23-#35: VETH-PEER-NETNS, VETH-MOVE, VETH-NETNS-DEL.
#[test]
fn veth_transcript() {
    let mut k = boot();
    let init = k.init_net();
    // #1-#22 leave init_net's counter at 13.
    for i in 5..13 {
        add(&mut k, init, &format!("x{i}"), "dummy", None);
    }
    for i in 5..13 {
        let del = LinkRequest {
            ifname: Some(format!("x{i}")),
            ..Default::default()
        };
        k.dellink(init, &del).unwrap();
    }
    let ns1 = k.netns_new();

    // VETH-PEER-NETNS: ip link add vx type veth peer name vy netns ns1.
    let peer = LinkRequest {
        ifname: Some("vy".into()),
        net_ns: Some(Ok(ns1)),
        ..Default::default()
    };
    add(
        &mut k,
        init,
        "vx",
        "veth",
        Some(KindData::new(kernel_model::kinds::veth::VethData {
            peer: Some(Box::new(peer)),
        })),
    );
    k.check_invariants().unwrap();
    let vx = k.fill(dev(&k, init, "vx"));
    let vy = k.fill(dev(&k, ns1, "vy"));
    assert_eq!(
        (vx.ifindex, vx.link, vx.link_netnsid),
        (13, Some(2), Some(0))
    );
    assert_eq!(
        (vy.ifindex, vy.link, vy.link_netnsid),
        (2, Some(13), Some(0))
    );
    assert_eq!(vx.flags, iff::BROADCAST | iff::MULTICAST);

    // VETH-MOVE: ip link add vp type veth peer name vq; ip link set vq netns ns1.
    let peer = LinkRequest {
        ifname: Some("vq".into()),
        ..Default::default()
    };
    add(
        &mut k,
        init,
        "vp",
        "veth",
        Some(KindData::new(kernel_model::kinds::veth::VethData {
            peer: Some(Box::new(peer)),
        })),
    );
    set_netns(&mut k, init, "vq", ns1, None).unwrap();
    let vq = k.fill(dev(&k, ns1, "vq"));
    let vp = k.fill(dev(&k, init, "vp"));
    assert_eq!(
        (vq.ifindex, vq.link, vq.link_netnsid),
        (14, Some(15), Some(0))
    );
    assert_eq!(
        (vp.ifindex, vp.link, vp.link_netnsid),
        (15, Some(14), Some(0))
    );
    let del = LinkRequest {
        ifname: Some("vp".into()),
        ..Default::default()
    };
    k.dellink(init, &del).unwrap();
    assert_eq!(
        names(&k, ns1),
        [(1, "lo"), (2, "vy")].map(|(i, n)| (i, n.to_string()))
    );

    // VETH-NETNS-DEL: the end in ns1 dies, and with it vx.
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    assert!(k.dev_by_name(init, "vx").is_none());
    let peer = LinkRequest {
        ifname: Some("ve1".into()),
        ..Default::default()
    };
    add(
        &mut k,
        init,
        "ve0",
        "veth",
        Some(KindData::new(kernel_model::kinds::veth::VethData {
            peer: Some(Box::new(peer)),
        })),
    );
    assert_eq!(
        (ifindex(&k, init, "ve1"), ifindex(&k, init, "ve0")),
        (16, 17)
    );
}

/// Without VETH_INFO_PEER the peer takes the request's own attributes, IFLA_NET_NS_* included
/// (`veth_newlink`: tbp = tb); with it, the peer defaults to the requester's namespace.
#[test]
fn veth_peer_namespace_defaults() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let mut req = add_req("va", "veth", None);
    req.net_ns = Some(Ok(ns1));
    k.newlink(init, &req).unwrap();
    assert_eq!(
        names(&k, ns1),
        [(1, "lo"), (2, "veth0"), (3, "va")].map(|(i, n)| (i, n.to_string()))
    );
    let peer = LinkRequest {
        ifname: Some("vc".into()),
        ..Default::default()
    };
    let mut req = add_req(
        "vb",
        "veth",
        Some(KindData::new(kernel_model::kinds::veth::VethData {
            peer: Some(Box::new(peer)),
        })),
    );
    req.net_ns = Some(Ok(ns1));
    k.newlink(init, &req).unwrap();
    assert!(k.dev_by_name(ns1, "vb").is_some());
    assert!(k.dev_by_name(init, "vc").is_some());
    k.check_invariants().unwrap();
}

/// RTM_NEWNSID requests (`ip netns set NAME ID`) and what stays unassigned.
#[test]
fn nsid_requests() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let ns2 = k.netns_new();
    assert_eq!(k.peernet2id(init, ns1), -1);
    k.rtnl_net_newid(init, ns2, 5, 3).unwrap();
    let e = k.rtnl_net_newid(init, ns2, 6, 3).unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (
            errno::EEXIST,
            Some("Peer netns already has a nsid assigned")
        )
    );
    let e = k.rtnl_net_newid(init, ns1, 5, 3).unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::EEXIST, Some("The specified nsid is already used"))
    );
    k.rtnl_net_newid(init, ns1, -1, 3).unwrap();
    assert_eq!(k.netns_id_list(init), vec![(0, ns1), (5, ns2)]);
    assert_eq!(k.get_net_ns_by_id(init, 5), Some(ns2));
    let evs = k.take_events();
    assert!(matches!(
        evs.last(),
        Some(Event::Nsid {
            msg: LinkMsg::New,
            nsid: 0,
            from_request: true,
            ..
        })
    ));
    k.netns_destroy(ns2);
    assert_eq!(k.netns_id_list(init), vec![(0, ns1)]);
    // init_net is never destroyed.
    k.netns_destroy(init);
    assert!(k.netns_alive(init));
}

/// `ops_exit_rtnl_list`: vxlan and ip_tunnel devices die with the namespace they were created
/// in (`vxlan->net`, `tunnel->net`), even after moving out of it; a vxlan created elsewhere
/// and moved in dies with the generic exit.
#[test]
fn tunnels_die_with_their_link_namespace() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let vx = |id| {
        Some(KindData::boxed(Box::new(VxlanData {
            id: Some(id),
            port: Some(4789),
            ..Default::default()
        })))
    };
    add(&mut k, ns1, "vxa", "vxlan", vx(1));
    set_netns(&mut k, ns1, "vxa", init, None).unwrap();
    let gre = GreData {
        remote: Some("192.0.2.9".parse().unwrap()),
        ..Default::default()
    };
    add(
        &mut k,
        ns1,
        "grea",
        "gre",
        Some(KindData::boxed(Box::new(gre))),
    );
    set_netns(&mut k, ns1, "grea", init, None).unwrap();
    // In init_net they report ns1 as their link namespace.
    let v = k.fill(dev(&k, init, "vxa"));
    assert_eq!(v.link_netnsid, Some(k.peernet2id(init, ns1)));
    add(&mut k, init, "vxb", "vxlan", vx(2));
    set_netns(&mut k, init, "vxb", ns1, None).unwrap();
    add(&mut k, init, "keep", "vxlan", vx(3));
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    assert!(k.dev_by_name(init, "vxa").is_none());
    assert!(k.dev_by_name(init, "grea").is_none());
    assert!(k.dev_by_name(init, "vxb").is_none());
    assert!(k.dev_by_name(init, "keep").is_some());
}
