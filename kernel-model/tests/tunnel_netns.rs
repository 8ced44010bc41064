//! Tunnels that change namespace, against golden/kernel/6.12/tunnel-netns.txt (Linux
//! 6.12.117): a gre/gretap/ip6gre/ip6gretap stays in the table of `tunnel->net`, a geneve on the
//! list of `geneve->net` (the requester's namespace), wherever the device goes; destroying
//! either namespace deletes it (`ip_tunnel_destroy`, `ip6gre_destroy_tunnels`,
//! `geneve_destroy_tunnels`, `default_device_exit_batch`).

mod common;
use common::{boot, dev, ifindex, CREATE};
use kernel_model::kinds::geneve::GeneveData;
use kernel_model::kinds::gre::GreData;
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, KindData, LinkInfoRequest, LinkRequest, NetnsId};
use std::net::IpAddr;

fn linkinfo(kind: &str, data: KindData) -> Option<LinkInfoRequest> {
    Some(LinkInfoRequest {
        kind: Some(kind.into()),
        data: Some(data),
        ..Default::default()
    })
}

/// `ip [-n NS] link add NAME [netns TO] type KIND ...`.
fn try_add(
    k: &mut Kernel,
    ns: NetnsId,
    to: Option<NetnsId>,
    name: &str,
    kind: &str,
    data: KindData,
) -> Result<(), KernelError> {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        net_ns: to.map(Ok),
        linkinfo: linkinfo(kind, data),
        ..Default::default()
    };
    let r = k.newlink(ns, &req);
    k.check_invariants().unwrap();
    r
}

fn add(k: &mut Kernel, ns: NetnsId, name: &str, kind: &str, data: KindData) {
    try_add(k, ns, None, name, kind, data)
        .unwrap_or_else(|e| panic!("ip link add {name} type {kind}: {e}"));
}

fn errno_of(r: Result<(), KernelError>) -> i32 {
    r.expect_err("the kernel refused this").errno
}

/// `ip [-n FROM] link set NAME netns TO`.
fn set_netns(k: &mut Kernel, from: NetnsId, name: &str, to: NetnsId) {
    let req = LinkRequest {
        ifindex: ifindex(k, from, name) as i32,
        net_ns: Some(Ok(to)),
        ..Default::default()
    };
    k.newlink(from, &req)
        .unwrap_or_else(|e| panic!("ip link set {name} netns: {e}"));
    k.check_invariants().unwrap();
}

/// `ip [-n NS] link set NAME type KIND ...`.
fn change(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    kind: &str,
    data: KindData,
) -> Result<(), KernelError> {
    let req = LinkRequest {
        ifindex: ifindex(k, ns, name) as i32,
        linkinfo: linkinfo(kind, data),
        ..Default::default()
    };
    let r = k.newlink(ns, &req);
    k.check_invariants().unwrap();
    r
}

fn names(k: &Kernel, ns: NetnsId) -> Vec<String> {
    k.devices_from(ns, 0).map(|d| d.name.clone()).collect()
}

fn gre(remote: &str) -> KindData {
    KindData::boxed(Box::new(GreData {
        remote: Some(remote.parse::<IpAddr>().unwrap()),
        ..Default::default()
    }))
}

fn gre_external() -> KindData {
    KindData::boxed(Box::new(GreData {
        collect_metadata: true,
        ..Default::default()
    }))
}

fn geneve(id: u32, remote: &str, port: Option<u16>) -> KindData {
    KindData::boxed(Box::new(GeneveData {
        id: Some(id),
        remote: Some(remote.parse().unwrap()),
        port,
        ..Default::default()
    }))
}

fn geneve_external(port: u16) -> KindData {
    KindData::boxed(Box::new(GeneveData {
        collect_metadata: true,
        port: Some(port),
        ..Default::default()
    }))
}

/// tunnel-netns.txt #3-#45: ip_tunnel_newlink / ip_tunnel_changelink / ip6gre_newlink_common /
/// ip6gre_changelink look up `net_generic(tunnel->net, ...)`.
#[test]
fn gre_tables_follow_tunnel_net() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let ns2 = k.netns_new();
    add(&mut k, init, "gre1", "gre", gre("192.0.2.1"));
    set_netns(&mut k, init, "gre1", ns1);
    let r = try_add(&mut k, init, None, "gre2", "gre", gre("192.0.2.1"));
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, ns1, "gre3", "gre", gre("192.0.2.1"));
    // link-netnsid 0: init_net as ns1 knows it.
    let v = k.fill(dev(&k, ns1, "gre1"));
    assert_eq!(v.link_netnsid, Some(k.peernet2id(ns1, init)));
    assert_eq!(names(&k, ns1), ["lo", "gre3", "gre1"]);

    // changelink
    add(&mut k, init, "gre4", "gre", gre("192.0.2.2"));
    let r = change(&mut k, ns1, "gre1", "gre", gre("192.0.2.2"));
    assert_eq!(errno_of(r), errno::EEXIST);
    change(&mut k, ns1, "gre1", "gre", gre("192.0.2.3")).unwrap();
    add(&mut k, init, "gre5", "gre", gre("192.0.2.1"));
    change(&mut k, ns1, "gre3", "gre", gre("192.0.2.3")).unwrap();
    let r = change(&mut k, init, "gre4", "gre", gre("192.0.2.3"));
    assert_eq!(errno_of(r), errno::EEXIST);

    // `ip link add gre6 netns ns2`: tunnel->net is dev_net(dev), ns2.
    try_add(&mut k, init, Some(ns2), "gre6", "gre", gre("192.0.2.6")).unwrap();
    add(&mut k, init, "gre7", "gre", gre("192.0.2.6"));
    let r = try_add(&mut k, ns2, None, "gre8", "gre", gre("192.0.2.6"));
    assert_eq!(errno_of(r), errno::EEXIST);

    // collect_md_tun
    add(&mut k, init, "gx1", "gre", gre_external());
    set_netns(&mut k, init, "gx1", ns1);
    let r = try_add(&mut k, init, None, "gx2", "gre", gre_external());
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, ns1, "gx3", "gre", gre_external());

    // gretap
    add(&mut k, init, "gt1", "gretap", gre("192.0.2.11"));
    set_netns(&mut k, init, "gt1", ns1);
    let r = try_add(&mut k, init, None, "gt2", "gretap", gre("192.0.2.11"));
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, ns1, "gt3", "gretap", gre("192.0.2.11"));
    add(&mut k, init, "gt4", "gretap", gre("192.0.2.12"));
    let r = change(&mut k, ns1, "gt1", "gretap", gre("192.0.2.12"));
    assert_eq!(errno_of(r), errno::EEXIST);

    // ip6gre, ip6gretap
    add(&mut k, init, "g6a", "ip6gre", gre("2001:db8::1"));
    set_netns(&mut k, init, "g6a", ns1);
    let r = try_add(&mut k, init, None, "g6b", "ip6gre", gre("2001:db8::1"));
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, ns1, "g6c", "ip6gre", gre("2001:db8::1"));
    let v = k.fill(dev(&k, ns1, "g6a"));
    assert_eq!(v.link_netnsid, Some(k.peernet2id(ns1, init)));
    add(&mut k, init, "g6d", "ip6gre", gre("2001:db8::2"));
    let r = change(&mut k, ns1, "g6a", "ip6gre", gre("2001:db8::2"));
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, init, "gt6a", "ip6gretap", gre("2001:db8::11"));
    set_netns(&mut k, init, "gt6a", ns1);
    let r = try_add(&mut k, init, None, "gt6b", "ip6gretap", gre("2001:db8::11"));
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, ns1, "gt6c", "ip6gretap", gre("2001:db8::11"));
    let ext6 = || {
        KindData::boxed(Box::new(GreData {
            collect_metadata: true,
            ..Default::default()
        }))
    };
    add(&mut k, init, "g6x1", "ip6gre", ext6());
    set_netns(&mut k, init, "g6x1", ns1);
    let r = try_add(&mut k, init, None, "g6x2", "ip6gre", ext6());
    assert_eq!(errno_of(r), errno::EEXIST);
    add(&mut k, ns1, "g6x3", "ip6gre", ext6());

    // Deleting the tunnel in ns1 frees its entry in init_net's table.
    let del = LinkRequest {
        ifindex: ifindex(&k, ns1, "gre1") as i32,
        ..Default::default()
    };
    k.dellink(ns1, &del).unwrap();
    add(&mut k, init, "gre2", "gre", gre("192.0.2.3"));

    // ns1 deleted: its tunnels die, and init_net's tables forget those created there.
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    add(&mut k, init, "gx2", "gre", gre_external());
    add(&mut k, init, "gt2", "gretap", gre("192.0.2.11"));
    add(&mut k, init, "g6x2", "ip6gre", ext6());
    assert_eq!(
        names(&k, init),
        [
            "lo", "eth0", "eth1", "eth2", "gre4", "gre5", "gre7", "gt4", "g6d", "gre2", "gx2",
            "gt2", "g6x2"
        ]
    );
}

/// tunnel-netns.txt #46-#75: `geneve->net` is rtnl_newlink's src_net; `geneve_find_dev`
/// and the external-device-per-port rule walk its list.
#[test]
fn geneve_list_follows_geneve_net() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let ns2 = k.netns_new();
    add(
        &mut k,
        init,
        "gnv1",
        "geneve",
        geneve(10, "192.0.2.1", None),
    );
    set_netns(&mut k, init, "gnv1", ns1);
    let r = try_add(
        &mut k,
        init,
        None,
        "gnv2",
        "geneve",
        geneve(10, "192.0.2.1", None),
    );
    assert_eq!(errno_of(r), errno::EBUSY);
    add(&mut k, ns1, "gnv3", "geneve", geneve(10, "192.0.2.1", None));
    // geneve_link_ops has no get_link_net.
    let v = k.fill(dev(&k, ns1, "gnv1"));
    assert_eq!(v.link_netnsid, None);
    add(
        &mut k,
        init,
        "gnv4",
        "geneve",
        geneve(11, "192.0.2.1", None),
    );

    // Created with `netns ns2` from init_net: on init_net's list.
    let r = try_add(
        &mut k,
        init,
        Some(ns2),
        "gnv5",
        "geneve",
        geneve(20, "192.0.2.20", None),
    );
    r.unwrap();
    let r = try_add(
        &mut k,
        init,
        None,
        "gnv6",
        "geneve",
        geneve(20, "192.0.2.20", None),
    );
    assert_eq!(errno_of(r), errno::EBUSY);
    add(
        &mut k,
        ns2,
        "gnv7",
        "geneve",
        geneve(20, "192.0.2.20", None),
    );

    // External devices, per port and per list.
    add(&mut k, init, "gnvx1", "geneve", geneve_external(7000));
    set_netns(&mut k, init, "gnvx1", ns1);
    let r = try_add(&mut k, init, None, "gnvx2", "geneve", geneve_external(7000));
    assert_eq!(errno_of(r), errno::EBUSY);
    let e = try_add(
        &mut k,
        init,
        None,
        "gnv8",
        "geneve",
        geneve(30, "192.0.2.30", Some(7000)),
    )
    .unwrap_err();
    assert_eq!(e.errno, errno::EPERM);
    assert_eq!(
        e.msg.as_deref(),
        Some("There already exists an externally controlled device on this destination port")
    );
    add(&mut k, ns1, "gnvx3", "geneve", geneve_external(7000));
    let e = try_add(&mut k, ns1, None, "gnvx4", "geneve", geneve_external(6081)).unwrap_err();
    assert_eq!(e.errno, errno::EPERM);
    assert_eq!(
        e.msg.as_deref(),
        Some("There can be only one externally controlled device on a destination port")
    );
    add(
        &mut k,
        ns1,
        "gnv9",
        "geneve",
        geneve(31, "192.0.2.31", Some(7001)),
    );
    let r = try_add(&mut k, ns1, None, "gnvx5", "geneve", geneve_external(7001));
    assert_eq!(errno_of(r), errno::EPERM);

    // ns1 deleted: gnv1 and gnvx1 die there and leave init_net's list.
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    add(
        &mut k,
        init,
        "gnv2",
        "geneve",
        geneve(10, "192.0.2.1", None),
    );
    add(&mut k, init, "gnvx2", "geneve", geneve_external(7000));

    // ns2 deleted: gnv5 (on init_net's list) dies with it.
    assert_eq!(names(&k, ns2), ["lo", "gnv5", "gnv7"]);
    k.netns_destroy(ns2);
    k.check_invariants().unwrap();
    add(
        &mut k,
        init,
        "gnv6",
        "geneve",
        geneve(20, "192.0.2.20", None),
    );
    assert_eq!(
        names(&k, init),
        ["lo", "eth0", "eth1", "eth2", "gnv4", "gnv2", "gnvx2", "gnv6"]
    );
}

/// tunnel-netns.txt #76-#93: destroying the namespace a tunnel was created in deletes it
/// wherever it lives (ip_tunnel_destroy, ip6gre_destroy_tunnels, geneve_destroy_tunnels); a
/// dummy moved out survives.
#[test]
fn creation_namespace_destroyed() {
    let mut k = boot();
    let init = k.init_net();
    let ns2 = k.netns_new();
    let ns3 = k.netns_new();
    add(&mut k, ns3, "gre9", "gre", gre("192.0.2.9"));
    set_netns(&mut k, ns3, "gre9", init);
    add(&mut k, ns3, "gt9", "gretap", gre("192.0.2.9"));
    set_netns(&mut k, ns3, "gt9", ns2);
    add(&mut k, ns3, "g69", "ip6gre", gre("2001:db8::9"));
    set_netns(&mut k, ns3, "g69", init);
    add(
        &mut k,
        ns3,
        "gnv10",
        "geneve",
        geneve(40, "192.0.2.40", None),
    );
    set_netns(&mut k, ns3, "gnv10", init);
    add(
        &mut k,
        ns3,
        "gnv11",
        "geneve",
        geneve(41, "192.0.2.41", None),
    );
    set_netns(&mut k, ns3, "gnv11", ns2);
    let req = LinkRequest {
        ifname: Some("d9".into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some("dummy".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns3, &req).unwrap();
    set_netns(&mut k, ns3, "d9", init);
    assert_eq!(
        names(&k, init),
        ["lo", "eth0", "eth1", "eth2", "gre9", "g69", "gnv10", "d9"]
    );
    assert_eq!(names(&k, ns2), ["lo", "gt9", "gnv11"]);
    k.netns_destroy(ns3);
    k.check_invariants().unwrap();
    assert_eq!(names(&k, init), ["lo", "eth0", "eth1", "eth2", "d9"]);
    assert_eq!(names(&k, ns2), ["lo"]);
}
