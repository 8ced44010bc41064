//! The issue-12 kinds xfrm, netkit, wireguard, vcan and vxcan, against the rules measured on
//! Linux 6.12.117 (golden/research/notes/new-kinds.md; transcripts xfrm, netkit, wireguard,
//! vcan in golden/kernel/6.12). Each test names the kernel function its rule comes from.

mod common;
use common::{boot, dev, errno_of, ifindex, set, CREATE};
use kernel_model::kinds::netkit::{NetkitData, NetkitInfo, NETKIT_DROP, NETKIT_L2};
use kernel_model::kinds::vxcan::VxcanData;
use kernel_model::kinds::xfrm::{XfrmData, XfrmInfo};
use kernel_model::uapi::{errno, iff, oper};
use kernel_model::{Kernel, KernelError, KindData, LinkInfoRequest, LinkRequest, NetnsId};

fn add_req(name: Option<&str>, kind: &str, data: Option<KindData>) -> LinkRequest {
    LinkRequest {
        ifname: name.map(Into::into),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some(kind.into()),
            data,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn run(k: &mut Kernel, ns: NetnsId, req: &LinkRequest) -> Result<(), KernelError> {
    let r = k.newlink(ns, req);
    k.check_invariants().unwrap();
    r
}

fn up(k: &mut Kernel, ns: NetnsId, name: &str, on: bool) {
    set(k, ns, name, |r| {
        r.ifi_flags = if on { iff::UP } else { 0 };
        r.ifi_change = iff::UP;
    })
    .unwrap();
}

fn xfrm(link: u32, if_id: u32, collect_md: bool) -> Option<KindData> {
    Some(KindData::new(XfrmData {
        link,
        if_id,
        collect_md,
    }))
}

fn set_xfrm(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    data: Option<KindData>,
) -> Result<(), KernelError> {
    set(k, ns, name, |r| {
        r.linkinfo = Some(LinkInfoRequest {
            kind: Some("xfrm".into()),
            data,
            ..Default::default()
        })
    })
}

fn xfrm_info(k: &Kernel, ns: NetnsId, name: &str) -> XfrmInfo {
    let v = k.fill(dev(k, ns, name));
    v.info
        .and_then(|i| i.downcast_ref::<XfrmInfo>().cloned())
        .unwrap()
}

/// `xfrmi_newlink`: if_id non-zero and unique per namespace (the link is not part of the key,
/// `xfrmi_locate`); collect_md needs link and if_id 0 and takes the one slot. `xfrmi_dev_setup`:
/// ARPHRD_NONE, NOARP, mtu 1500 within 68..65535; `xfrmi_get_iflink` reports the link as stored.
#[test]
fn xfrm_newlink_rules() {
    let mut k = boot();
    let init = k.init_net();
    let eth0 = ifindex(&k, init, "eth0");
    let eth1 = ifindex(&k, init, "eth1");
    run(
        &mut k,
        init,
        &add_req(Some("xfrm1"), "xfrm", xfrm(eth0, 7, false)),
    )
    .unwrap();
    let v = k.fill(dev(&k, init, "xfrm1"));
    assert_eq!(
        (v.dev_type, v.flags, v.mtu, v.min_mtu, v.max_mtu),
        (0xfffe, iff::NOARP, 1500, 68, 65535)
    );
    assert_eq!(v.link, Some(eth0));
    assert_eq!(v.addr, None);
    let e = run(
        &mut k,
        init,
        &add_req(Some("xfrm3"), "xfrm", xfrm(eth0, 0, false)),
    )
    .unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::EINVAL, Some("if_id must be non zero"))
    );
    assert_eq!(
        errno_of(run(
            &mut k,
            init,
            &add_req(Some("xfrm4"), "xfrm", xfrm(eth1, 7, false))
        )),
        errno::EEXIST
    );
    run(
        &mut k,
        init,
        &add_req(Some("xfrm5"), "xfrm", xfrm(0, 8, false)),
    )
    .unwrap();
    assert_eq!(k.fill(dev(&k, init, "xfrm5")).link, Some(0), "@NONE");
    run(
        &mut k,
        init,
        &add_req(Some("xfrmx"), "xfrm", xfrm(0, 0, true)),
    )
    .unwrap();
    assert!(xfrm_info(&k, init, "xfrmx").collect_md);
    assert_eq!(
        errno_of(run(
            &mut k,
            init,
            &add_req(Some("xfrmx2"), "xfrm", xfrm(0, 0, true))
        )),
        errno::EEXIST
    );
    let e = run(
        &mut k,
        init,
        &add_req(Some("xfrmx3"), "xfrm", xfrm(eth1, 0, true)),
    )
    .unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("link and if_id must be zero"));
    // MTU limits are dev_validate_mtu's.
    assert_eq!(
        errno_of(set(&mut k, init, "xfrm5", |r| r.mtu = Some(65536))),
        errno::EINVAL
    );
    assert_eq!(
        errno_of(set(&mut k, init, "xfrm5", |r| r.mtu = Some(67))),
        errno::EINVAL
    );
    set(&mut k, init, "xfrm5", |r| r.mtu = Some(68)).unwrap();
    // A deleted device frees its if_id (xfrmi_dev_uninit).
    let del = LinkRequest {
        ifindex: ifindex(&k, init, "xfrm5") as i32,
        ..Default::default()
    };
    k.dellink(init, &del).unwrap();
    run(
        &mut k,
        init,
        &add_req(Some("xfrm5"), "xfrm", xfrm(0, 8, false)),
    )
    .unwrap();
}

/// `xfrmi_changelink` → `xfrmi_update` → `xfrmi_change`: if_id non-zero, collect_md fixed,
/// another device's if_id is EEXIST, and the link must stay what it is (EINVAL, no extack).
#[test]
fn xfrm_changelink_rules() {
    let mut k = boot();
    let init = k.init_net();
    let eth0 = ifindex(&k, init, "eth0");
    let eth1 = ifindex(&k, init, "eth1");
    run(
        &mut k,
        init,
        &add_req(Some("xfrm1"), "xfrm", xfrm(eth0, 7, false)),
    )
    .unwrap();
    run(
        &mut k,
        init,
        &add_req(Some("xfrm5"), "xfrm", xfrm(0, 8, false)),
    )
    .unwrap();
    run(
        &mut k,
        init,
        &add_req(Some("xfrmx"), "xfrm", xfrm(0, 0, true)),
    )
    .unwrap();
    let e = set_xfrm(&mut k, init, "xfrm1", xfrm(0, 9, false)).unwrap_err();
    assert_eq!((e.errno, e.msg), (errno::EINVAL, None));
    assert_eq!(
        errno_of(set_xfrm(&mut k, init, "xfrm1", xfrm(eth0, 8, false))),
        errno::EEXIST
    );
    assert_eq!(
        errno_of(set_xfrm(&mut k, init, "xfrm1", xfrm(eth1, 9, false))),
        errno::EINVAL
    );
    assert_eq!(
        xfrm_info(&k, init, "xfrm1").if_id,
        7,
        "a failed change keeps the if_id"
    );
    set_xfrm(&mut k, init, "xfrm1", xfrm(eth0, 9, false)).unwrap();
    assert_eq!(xfrm_info(&k, init, "xfrm1").if_id, 9);
    let e = set_xfrm(&mut k, init, "xfrmx", xfrm(0, 4, false)).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("collect_md can't be changed"));
    let e = set_xfrm(&mut k, init, "xfrm5", xfrm(0, 0, false)).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("if_id must be non zero"));
}

/// `xi->net`: the if_id table and the collect_md slot are the creation namespace's, wherever
/// the device moves; `xfrmi_get_link_net` reports it; `xfrmi_exit_batch_rtnl` deletes the
/// table's devices when that namespace dies.
#[test]
fn xfrm_tables_follow_xi_net() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    run(
        &mut k,
        init,
        &add_req(Some("xfrm1"), "xfrm", xfrm(0, 9, false)),
    )
    .unwrap();
    run(
        &mut k,
        init,
        &add_req(Some("xfrmx"), "xfrm", xfrm(0, 0, true)),
    )
    .unwrap();
    for name in ["xfrm1", "xfrmx"] {
        set(&mut k, init, name, |r| r.net_ns = Some(Ok(ns1))).unwrap();
    }
    assert_eq!(
        errno_of(run(
            &mut k,
            init,
            &add_req(Some("xfrm9"), "xfrm", xfrm(0, 9, false))
        )),
        errno::EEXIST
    );
    assert_eq!(
        errno_of(run(
            &mut k,
            init,
            &add_req(Some("xfrmx5"), "xfrm", xfrm(0, 0, true))
        )),
        errno::EEXIST
    );
    run(
        &mut k,
        ns1,
        &add_req(Some("xfrm10"), "xfrm", xfrm(0, 9, false)),
    )
    .unwrap();
    run(
        &mut k,
        ns1,
        &add_req(Some("xfrmx6"), "xfrm", xfrm(0, 0, true)),
    )
    .unwrap();
    assert!(k.fill(dev(&k, ns1, "xfrm1")).link_netnsid.is_some());
    // Created in ns1, moved to init_net: init_net may reuse its if_id.
    run(
        &mut k,
        ns1,
        &add_req(Some("xfrm11"), "xfrm", xfrm(0, 12, false)),
    )
    .unwrap();
    set(&mut k, ns1, "xfrm11", |r| r.net_ns = Some(Ok(init))).unwrap();
    run(
        &mut k,
        init,
        &add_req(Some("xfrm12"), "xfrm", xfrm(0, 12, false)),
    )
    .unwrap();
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    assert!(
        k.dev_by_name(init, "xfrm11").is_none(),
        "ns1's table dies with ns1"
    );
    assert!(k.dev_by_name(init, "xfrm12").is_some());
}

fn netkit(f: impl FnOnce(&mut NetkitData)) -> Option<KindData> {
    let mut d = NetkitData::default();
    f(&mut d);
    Some(KindData::new(d))
}

fn peer(name: &str) -> Option<Box<LinkRequest>> {
    Some(Box::new(LinkRequest {
        ifname: Some(name.into()),
        ..Default::default()
    }))
}

fn nk_info(k: &Kernel, ns: NetnsId, name: &str) -> NetkitInfo {
    let v = k.fill(dev(k, ns, name));
    v.info
        .and_then(|i| i.downcast_ref::<NetkitInfo>().cloned())
        .unwrap()
}

/// `netkit_new_link`: the peer (nk%d without PEER_INFO) is registered first, so a primary
/// named nk0 collides with its own peer (EEXIST, the peer's ifindex used up); mode L3 keeps
/// the zero MAC and NOARP (`netkit_setup`), L2 gets random MACs and ARP; IFLA_ADDRESS in L3
/// is EOPNOTSUPP; `netkit_check_mode` / `netkit_check_policy` errors carry extack.
#[test]
fn netkit_newlink_rules() {
    let mut k = boot();
    let init = k.init_net();
    assert_eq!(
        errno_of(run(&mut k, init, &add_req(Some("nk0"), "netkit", None))),
        errno::EEXIST
    );
    assert!(k.dev_by_name(init, "nk0").is_none());
    run(&mut k, init, &add_req(None, "netkit", None)).unwrap();
    assert_eq!((ifindex(&k, init, "nk0"), ifindex(&k, init, "nk1")), (6, 7));
    let v = k.fill(dev(&k, init, "nk1"));
    assert_eq!(v.flags, iff::BROADCAST | iff::MULTICAST | iff::NOARP);
    assert!(v.addr.is_some_and(|a| a.is_zero()));
    assert_eq!(v.link, Some(6));
    assert_eq!((v.max_mtu, v.tso_max_size), (65535, 524280));
    let i = nk_info(&k, init, "nk1");
    assert_eq!(
        (i.primary, i.policy, i.mode, i.scrub, i.peer),
        (true, 0, 1, 1, Some((0, 1)))
    );
    assert!(!nk_info(&k, init, "nk0").primary);

    let e = run(
        &mut k,
        init,
        &add_req(Some("nkf"), "netkit", netkit(|d| d.mode = Some(2))),
    )
    .unwrap_err();
    assert_eq!(
        e.msg.as_deref(),
        Some("Provided device mode can only be L2 or L3")
    );
    let e = run(
        &mut k,
        init,
        &add_req(Some("nkf"), "netkit", netkit(|d| d.peer_policy = Some(1))),
    )
    .unwrap_err();
    assert_eq!(
        e.msg.as_deref(),
        Some("Provided default xmit policy not supported")
    );
    let mut req = add_req(Some("nkf"), "netkit", netkit(|d| d.peer = peer("nkg")));
    req.address = Some(vec![2, 0, 0, 0, 1, 0]);
    let e = run(&mut k, init, &req).unwrap_err();
    assert_eq!((e.errno, e.msg), (errno::EOPNOTSUPP, None));

    run(
        &mut k,
        init,
        &add_req(
            Some("nka"),
            "netkit",
            netkit(|d| {
                d.peer = peer("nkb");
                d.mode = Some(NETKIT_L2);
                d.peer_policy = Some(NETKIT_DROP);
                d.scrub = Some(0);
            }),
        ),
    )
    .unwrap();
    let v = k.fill(dev(&k, init, "nkb"));
    assert_eq!(v.flags & iff::NOARP, 0);
    assert!(v.addr.is_some_and(|a| a.is_valid_ether()));
    let i = nk_info(&k, init, "nka");
    assert_eq!(
        (i.mode, i.scrub, i.peer),
        (NETKIT_L2, 0, Some((NETKIT_DROP, 1)))
    );
}

/// `netkit_change_link`: only the primary (EACCES), mode and scrub fixed (EACCES), peer info
/// fixed (EINVAL), policies changeable. `netkit_set_macaddr`: L3 refuses (EOPNOTSUPP).
/// `netkit_open`: carrier only with both ends up; `netkit_del_link` deletes both.
#[test]
fn netkit_changelink_carrier_delete() {
    let mut k = boot();
    let init = k.init_net();
    run(
        &mut k,
        init,
        &add_req(Some("nka"), "netkit", netkit(|d| d.peer = peer("nkb"))),
    )
    .unwrap();
    let change = |k: &mut Kernel, name: &str, data: Option<KindData>| {
        set(k, init, name, |r| {
            r.linkinfo = Some(LinkInfoRequest {
                kind: Some("netkit".into()),
                data,
                ..Default::default()
            })
        })
    };
    let e = change(&mut k, "nkb", netkit(|d| d.policy = Some(2))).unwrap_err();
    assert_eq!(e.errno, errno::EACCES);
    assert_eq!(
        errno_of(change(&mut k, "nka", netkit(|d| d.mode = Some(1)))),
        errno::EACCES
    );
    assert_eq!(
        errno_of(change(&mut k, "nka", netkit(|d| d.peer_scrub = Some(0)))),
        errno::EACCES
    );
    assert_eq!(
        errno_of(change(&mut k, "nka", netkit(|d| d.peer = peer("nkz")))),
        errno::EINVAL
    );
    assert_eq!(
        errno_of(change(&mut k, "nka", netkit(|d| d.policy = Some(7)))),
        errno::EINVAL
    );
    change(
        &mut k,
        "nka",
        netkit(|d| {
            d.policy = Some(2);
            d.peer_policy = Some(2);
        }),
    )
    .unwrap();
    assert_eq!(nk_info(&k, init, "nka").peer, Some((2, 1)));
    let e = set(&mut k, init, "nka", |r| {
        r.address = Some(vec![2, 0, 0, 0, 0, 0xa])
    })
    .unwrap_err();
    assert_eq!(e.errno, errno::EOPNOTSUPP);

    up(&mut k, init, "nka", true);
    let v = k.fill(dev(&k, init, "nka"));
    assert_eq!((v.carrier, v.operstate), (false, oper::LOWERLAYERDOWN));
    up(&mut k, init, "nkb", true);
    assert_eq!(k.fill(dev(&k, init, "nka")).operstate, oper::UP);
    let del = LinkRequest {
        ifindex: ifindex(&k, init, "nkb") as i32,
        ..Default::default()
    };
    k.dellink(init, &del).unwrap();
    assert!(k.dev_by_name(init, "nka").is_none());
}

/// `wg_setup`: ARPHRD_NONE, POINTOPOINT|NOARP, mtu 1420, no min_mtu, max_mtu
/// round_down(INT_MAX, 16) − 80; no `ndo_set_mac_address`; `wg_open` turns addr_gen_mode
/// to NONE; `wg_netns_exit_rtnl` takes the carrier of devices created from a dying namespace.
#[test]
fn wireguard_rules() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    run(&mut k, init, &add_req(Some("wg0"), "wireguard", None)).unwrap();
    let v = k.fill(dev(&k, init, "wg0"));
    assert_eq!(
        (v.flags, v.mtu, v.min_mtu, v.max_mtu),
        (iff::POINTOPOINT | iff::NOARP, 1420, 0, 2147483552)
    );
    set(&mut k, init, "wg0", |r| r.mtu = Some(67)).unwrap();
    assert_eq!(
        errno_of(set(&mut k, init, "wg0", |r| r.mtu = Some(2147483553))),
        errno::EINVAL
    );
    set(&mut k, init, "wg0", |r| r.mtu = Some(1420)).unwrap();
    assert_eq!(
        errno_of(set(&mut k, init, "wg0", |r| r.address =
            Some(vec![2, 0, 0, 0, 0, 1]))),
        errno::EOPNOTSUPP
    );
    up(&mut k, init, "wg0", true);
    let v = k.fill(dev(&k, init, "wg0"));
    assert_eq!(v.inet6_addr_gen_mode, 1, "addrgenmode none");
    assert_eq!(v.operstate, oper::UNKNOWN);

    run(&mut k, ns1, &add_req(Some("wg9"), "wireguard", None)).unwrap();
    set(&mut k, ns1, "wg9", |r| r.net_ns = Some(Ok(init))).unwrap();
    up(&mut k, init, "wg9", true);
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    assert!(!k.fill(dev(&k, init, "wg9")).carrier);
}

/// `vcan_setup`: ARPHRD_CAN, NOARP, mtu 72, no address, no MTU limits at create
/// (rtnl_create_link does not call ndo_change_mtu); `vcan_change_mtu`: EBUSY while up, only
/// 16, 72, 76..2060; no `ndo_set_mac_address`; no changelink.
#[test]
fn vcan_rules() {
    let mut k = boot();
    let init = k.init_net();
    let mut req = add_req(Some("vcan0"), "vcan", None);
    req.address = Some(vec![2, 0, 0, 0, 0, 1]);
    run(&mut k, init, &req).unwrap();
    let v = k.fill(dev(&k, init, "vcan0"));
    assert_eq!(
        (v.dev_type, v.flags, v.mtu, v.addr),
        (280, iff::NOARP, 72, None)
    );
    let mut req = add_req(Some("vcan4"), "vcan", None);
    req.mtu = Some(1500);
    run(&mut k, init, &req).unwrap();
    for ok in [16, 72, 76, 2060, 1500, 72] {
        set(&mut k, init, "vcan0", |r| r.mtu = Some(ok)).unwrap();
    }
    for bad in [2061, 75] {
        assert_eq!(
            errno_of(set(&mut k, init, "vcan0", |r| r.mtu = Some(bad))),
            errno::EINVAL
        );
    }
    assert_eq!(
        errno_of(set(&mut k, init, "vcan0", |r| r.address =
            Some(vec![2, 0, 0, 0, 0, 1]))),
        errno::EOPNOTSUPP
    );
    let e = set(&mut k, init, "vcan0", |r| {
        r.linkinfo = Some(LinkInfoRequest {
            kind: Some("can".into()),
            data: Some(KindData::opaque()),
            ..Default::default()
        })
    });
    assert_eq!(errno_of(e), errno::EOPNOTSUPP);
    up(&mut k, init, "vcan0", true);
    assert_eq!(
        errno_of(set(&mut k, init, "vcan0", |r| r.mtu = Some(16))),
        errno::EBUSY
    );
}

/// `vxcan_newlink`: the peer (VXCAN_INFO_PEER, else vxcan%d) first, per-end MTU, peer netns;
/// `vxcan_open`: carrier with both ends up; `vxcan_dellink`: both ends.
#[test]
fn vxcan_pair_rules() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let data = |p: Option<Box<LinkRequest>>| Some(KindData::new(VxcanData { peer: p }));
    run(
        &mut k,
        init,
        &add_req(Some("vxcan0"), "vxcan", data(peer("vxcan1"))),
    )
    .unwrap();
    assert!(ifindex(&k, init, "vxcan1") < ifindex(&k, init, "vxcan0"));
    run(&mut k, init, &add_req(None, "vxcan", None)).unwrap();
    assert!(ifindex(&k, init, "vxcan2") < ifindex(&k, init, "vxcan3"));
    let mut p = LinkRequest {
        ifname: Some("vxb".into()),
        mtu: Some(72),
        ..Default::default()
    };
    let mut req = add_req(Some("vxa"), "vxcan", data(Some(Box::new(p.clone()))));
    req.mtu = Some(16);
    run(&mut k, init, &req).unwrap();
    assert_eq!(
        (
            k.fill(dev(&k, init, "vxa")).mtu,
            k.fill(dev(&k, init, "vxb")).mtu
        ),
        (16, 72)
    );

    up(&mut k, init, "vxcan0", true);
    assert_eq!(
        k.fill(dev(&k, init, "vxcan0")).operstate,
        oper::LOWERLAYERDOWN
    );
    up(&mut k, init, "vxcan1", true);
    assert_eq!(k.fill(dev(&k, init, "vxcan0")).operstate, oper::UP);
    assert_eq!(
        errno_of(set(&mut k, init, "vxcan0", |r| r.mtu = Some(16))),
        errno::EBUSY
    );

    p.ifname = Some("vxd".into());
    p.net_ns = Some(Ok(ns1));
    run(
        &mut k,
        init,
        &add_req(Some("vxc"), "vxcan", data(Some(Box::new(p)))),
    )
    .unwrap();
    assert!(k.fill(dev(&k, init, "vxc")).link_netnsid.is_some());
    let del = LinkRequest {
        ifindex: ifindex(&k, ns1, "vxd") as i32,
        ..Default::default()
    };
    k.dellink(ns1, &del).unwrap();
    assert!(k.dev_by_name(init, "vxc").is_none());
}
