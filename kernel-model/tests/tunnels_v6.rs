//! ip6tnl, vti6, erspan and ip6erspan against golden/kernel/6.12/iptunnels-v6.txt and the
//! erspan half of iptunnels-vti-erspan.txt (Linux 6.12.117), driven through the in-process
//! model API with the data iproute2 6.1 sends. Each test names the kernel functions of its rule.

mod common;
use common::{boot, dev, errno_of, ifindex, CREATE};
use kernel_model::kinds::erspan::ErspanParms;
use kernel_model::kinds::gre::{gre_flag, GreData, GreState};
use kernel_model::kinds::ip6tnl::{Ip6TnlData, Ip6TnlState, ARPHRD_TUNNEL6, IPPROTO_IPIP};
use kernel_model::kinds::vti6::Vti6Data;
use kernel_model::uapi::{arphrd, errno, iff};
use kernel_model::{Kernel, KernelError, KindData, LinkInfoRequest, LinkRequest, NetnsId};
use std::net::Ipv6Addr;

fn ip6(a: &str) -> Ipv6Addr {
    a.parse().unwrap()
}

fn linkinfo(kind: &str, data: Option<KindData>) -> Option<LinkInfoRequest> {
    Some(LinkInfoRequest {
        kind: Some(kind.into()),
        data,
        ..Default::default()
    })
}

/// `ip [-n NS] link add NAME type KIND ...` (no data: a bare `type KIND`).
fn try_add(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    kind: &str,
    data: Option<KindData>,
) -> Result<(), KernelError> {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: linkinfo(kind, data),
        ..Default::default()
    };
    let r = k.newlink(ns, &req);
    k.check_invariants().unwrap();
    r
}

/// `ip link set NAME type KIND ...`.
fn change(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    kind: &str,
    data: KindData,
) -> Result<(), KernelError> {
    let req = LinkRequest {
        ifindex: ifindex(k, ns, name) as i32,
        linkinfo: linkinfo(kind, Some(data)),
        ..Default::default()
    };
    let r = k.newlink(ns, &req);
    k.check_invariants().unwrap();
    r
}

/// `ip link set NAME mtu MTU`.
fn set_mtu(k: &mut Kernel, ns: NetnsId, name: &str, mtu: u32) -> Result<(), KernelError> {
    let req = LinkRequest {
        ifindex: ifindex(k, ns, name) as i32,
        mtu: Some(mtu),
        ..Default::default()
    };
    k.newlink(ns, &req)
}

/// What iproute2's ip6tnl parser sends with any option: hop limit 64, encap limit 4, the
/// rest as given.
fn ip6tnl(remote: Option<&str>, local: Option<&str>) -> Ip6TnlData {
    Ip6TnlData {
        link: Some(0),
        local: Some(local.map_or(Ipv6Addr::UNSPECIFIED, ip6)),
        remote: Some(remote.map_or(Ipv6Addr::UNSPECIFIED, ip6)),
        ttl: Some(64),
        encap_limit: Some(4),
        flowinfo: Some(0),
        flags: Some(0),
        proto: Some(0),
        fwmark: Some(0),
        encap_type: Some(0),
        encap_flags: Some(0),
        encap_sport: Some(0),
        encap_dport: Some(0),
        ..Default::default()
    }
}

fn data<T: kernel_model::netdev_priv::KindDataValue>(d: T) -> Option<KindData> {
    Some(KindData::new(d))
}

fn tnl(k: &Kernel, ns: NetnsId, name: &str) -> Ip6TnlState {
    k.dev(dev(k, ns, name))
        .state
        .downcast_ref::<Ip6TnlState>()
        .cloned()
        .unwrap()
}

/// iptunnels-v6 CMD[1]-[11], [17]-[19]: ARPHRD_TUNNEL6 with the end points as addresses, MTU
/// 1452 (1460 with `encaplimit none`), 68..65535, POINTOPOINT only with both ends unicast;
/// the key is local + remote + link (not the mode); one external tunnel per table.
/// Kernel: `ip6_tnl_dev_setup`, `ip6_tnl_dev_init_gen`, `ip6_tnl_link_config`,
/// `ip6_tnl_locate`, `ip6_tnl_newlink`.
#[test]
fn ip6tnl_create_and_identity() {
    let mut k = boot();
    let init = k.init_net();
    let t6a = ip6tnl(Some("2001:db8::1"), Some("2001:db8::2"));
    try_add(&mut k, init, "t6a", "ip6tnl", data(t6a.clone())).unwrap();
    let d = k.dev(dev(&k, init, "t6a"));
    assert_eq!(d.dev_type, ARPHRD_TUNNEL6);
    assert_eq!(d.flags, iff::POINTOPOINT | iff::NOARP);
    assert_eq!((d.mtu, d.min_mtu, d.max_mtu), (1452, 68, 65535));
    assert_eq!(d.addr.as_bytes(), ip6("2001:db8::2").octets());
    assert_eq!(d.broadcast.as_bytes(), ip6("2001:db8::1").octets());
    // The mode is not part of the key.
    let other_mode = Ip6TnlData {
        proto: Some(IPPROTO_IPIP),
        ..t6a.clone()
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "t6b", "ip6tnl", data(other_mode))),
        errno::EEXIST
    );
    // encaplimit none: IP6_TNL_F_IGN_ENCAP_LIMIT drops the 8-byte option.
    let t6d = Ip6TnlData {
        flags: Some(1),
        ..ip6tnl(Some("2001:db8::3"), Some("2001:db8::2"))
    };
    try_add(&mut k, init, "t6d", "ip6tnl", data(t6d)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "t6d")).mtu, 1460);
    // Remote only: CAP_PER_PACKET, no POINTOPOINT.
    try_add(
        &mut k,
        init,
        "t6e",
        "ip6tnl",
        data(ip6tnl(Some("2001:db8::4"), None)),
    )
    .unwrap();
    assert_eq!(k.dev(dev(&k, init, "t6e")).flags, iff::NOARP);
    // A bare `type ip6tnl` carries no data: everything 0, a wildcard; twice is EEXIST.
    try_add(&mut k, init, "t6f", "ip6tnl", None).unwrap();
    assert_eq!(tnl(&k, init, "t6f").parms.ttl, 0);
    assert_eq!(
        errno_of(try_add(&mut k, init, "t6g", "ip6tnl", None)),
        errno::EEXIST
    );
    // external: its own slot next to the wildcard, one per table.
    let ext = Ip6TnlData {
        collect_metadata: true,
        proto: Some(0),
        ..Default::default()
    };
    try_add(&mut k, init, "t6x1", "ip6tnl", data(ext.clone())).unwrap();
    assert_eq!(
        errno_of(try_add(&mut k, init, "t6x2", "ip6tnl", data(ext))),
        errno::EEXIST
    );
    // ip6_tnl_validate: the mode is any, ip6ip6 or ipip6.
    let bad = Ip6TnlData {
        proto: Some(17),
        ..ip6tnl(Some("2001:db8::9"), None)
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "t6z", "ip6tnl", data(bad))),
        errno::EINVAL
    );
}

/// iptunnels-v6 CMD[12]-[16], [20]-[25]: `dev` without `local` leaves the MTU (no CAP_XMIT);
/// with both ends the MTU follows the link device; `ip6_tnl_change_mtu` takes 1279 for mode
/// any (68 minimum) and refuses 1279 for ip6ip6 (IPV6_MIN_MTU); changelink clashes are EEXIST
/// and replace every parameter. Kernel: `ip6_tnl_link_config`, `ip6_tnl_change_mtu`,
/// `ip6_tnl_changelink`, `ip6_tnl_update`.
#[test]
fn ip6tnl_mtu_and_changelink() {
    let mut k = boot();
    let init = k.init_net();
    set_mtu(&mut k, init, "eth0", 9000).unwrap();
    let eth0 = ifindex(&k, init, "eth0");
    let remote_only = Ip6TnlData {
        link: Some(eth0),
        ..ip6tnl(Some("2001:db8::8"), None)
    };
    try_add(&mut k, init, "t6h", "ip6tnl", data(remote_only)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "t6h")).mtu, 1452);
    let both = Ip6TnlData {
        link: Some(eth0),
        ..ip6tnl(Some("2001:db8::8"), Some("2001:db8::7"))
    };
    try_add(&mut k, init, "t6i", "ip6tnl", data(both)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "t6i")).mtu, 9000 - 40 - 8);

    try_add(
        &mut k,
        init,
        "t6a",
        "ip6tnl",
        data(ip6tnl(Some("2001:db8::1"), Some("2001:db8::2"))),
    )
    .unwrap();
    set_mtu(&mut k, init, "t6a", 65000).unwrap();
    let e = set_mtu(&mut k, init, "t6a", 70000).unwrap_err();
    assert_eq!(
        (e.errno, e.msg.as_deref()),
        (errno::EINVAL, Some("mtu greater than device maximum"))
    );
    set_mtu(&mut k, init, "t6a", 1279).unwrap();
    let ip6ip6 = Ip6TnlData {
        proto: Some(41),
        ..ip6tnl(Some("2001:db8::5"), Some("2001:db8::2"))
    };
    try_add(&mut k, init, "t6m", "ip6tnl", data(ip6ip6)).unwrap();
    assert_eq!(
        set_mtu(&mut k, init, "t6m", 1279).unwrap_err().errno,
        errno::EINVAL
    );

    let clash = ip6tnl(Some("2001:db8::5"), Some("2001:db8::2"));
    assert_eq!(
        errno_of(change(&mut k, init, "t6a", "ip6tnl", KindData::new(clash))),
        errno::EEXIST
    );
    let hop9 = Ip6TnlData {
        ttl: Some(9),
        ..ip6tnl(Some("2001:db8::1"), Some("2001:db8::2"))
    };
    change(&mut k, init, "t6a", "ip6tnl", KindData::new(hop9)).unwrap();
    let s = tnl(&k, init, "t6a");
    assert_eq!((s.parms.ttl, s.proto), (9, 0));
    assert_eq!(k.dev(dev(&k, init, "t6a")).mtu, 1279);
    // external cannot be asked for by a change.
    let ext = Ip6TnlData {
        collect_metadata: true,
        ..Default::default()
    };
    assert_eq!(
        errno_of(change(&mut k, init, "t6a", "ip6tnl", KindData::new(ext))),
        errno::EINVAL
    );
}

/// iptunnels-v6 CMD[28]-[37]: vti6's key is local + remote (keys ignored); MTU 1332 without a
/// device (1500 − LL_MAX_HEADER − 40), the link device's − 40 with `dev`, 68..65495.
/// Kernel: `vti6_dev_setup`, `vti6_link_config`, `vti6_locate`, `vti6_newlink`.
#[test]
fn vti6_rules() {
    let mut k = boot();
    let init = k.init_net();
    let v6a = Vti6Data {
        local: Some(ip6("2001:db8::2")),
        remote: Some(ip6("2001:db8::1")),
        ikey: Some(5),
        okey: Some(6),
        ..Default::default()
    };
    try_add(&mut k, init, "v6a", "vti6", data(v6a.clone())).unwrap();
    let d = k.dev(dev(&k, init, "v6a"));
    assert_eq!((d.mtu, d.min_mtu, d.max_mtu), (1332, 68, 65495));
    assert_eq!(d.flags, iff::POINTOPOINT | iff::NOARP);
    let v6b = Vti6Data {
        ikey: Some(7),
        okey: None,
        ..v6a
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "v6b", "vti6", data(v6b))),
        errno::EEXIST
    );
    set_mtu(&mut k, init, "eth0", 9000).unwrap();
    let v6d = Vti6Data {
        remote: Some(ip6("2001:db8::4")),
        link: Some(ifindex(&k, init, "eth0")),
        ..Default::default()
    };
    try_add(&mut k, init, "v6d", "vti6", data(v6d)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "v6d")).mtu, 8960);
    assert_eq!(
        set_mtu(&mut k, init, "v6a", 70000).unwrap_err().errno,
        errno::EINVAL
    );
    set_mtu(&mut k, init, "v6a", 1279).unwrap();
}

fn erspan_data(key: u32, ver: Option<u8>) -> GreData {
    GreData {
        iflags: Some(gre_flag::SEQ | gre_flag::KEY),
        oflags: Some(gre_flag::SEQ | gre_flag::KEY),
        ikey: Some(key),
        okey: Some(key),
        remote: Some("172.16.1.200".parse().unwrap()),
        local: Some("172.16.1.100".parse().unwrap()),
        erspan_ver: ver,
        ..Default::default()
    }
}

fn gre_state(k: &Kernel, ns: NetnsId, name: &str) -> GreState {
    k.dev(dev(k, ns, name))
        .state
        .downcast_ref::<GreState>()
        .cloned()
        .unwrap()
}

/// iptunnels-vti-erspan CMD[12]-[31]: erspan is an Ethernet GRE tap; MTU 1450 (v1), 1446 (v2),
/// 1462 (v0); SEQ|KEY required unless version 0; the GRE key is the identity; a change of
/// version keeps the MTU. Kernel: `erspan_validate`, `erspan_netlink_parms`,
/// `erspan_tunnel_init`, `ip_tunnel_find`, `erspan_changelink`.
#[test]
fn erspan_rules() {
    let mut k = boot();
    let init = k.init_net();
    let v1 = GreData {
        erspan_index: Some(488),
        ..erspan_data(102, Some(1))
    };
    try_add(&mut k, init, "erspan00", "erspan", data(v1)).unwrap();
    let d = k.dev(dev(&k, init, "erspan00"));
    assert_eq!(d.dev_type, arphrd::ETHER);
    assert_eq!((d.mtu, d.min_mtu, d.max_mtu), (1450, 68, 0));
    let v2 = GreData {
        erspan_dir: Some(0),
        erspan_hwid: Some(7),
        ..erspan_data(102, Some(2))
    };
    assert_eq!(
        errno_of(try_add(
            &mut k,
            init,
            "erspan01",
            "erspan",
            data(v2.clone())
        )),
        errno::EEXIST
    );
    let v2 = GreData {
        remote: Some("172.16.1.201".parse().unwrap()),
        ..v2
    };
    try_add(&mut k, init, "erspan02", "erspan", data(v2)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "erspan02")).mtu, 1446);
    // key without seq: EINVAL; version 0 needs neither.
    let no_seq = GreData {
        iflags: Some(gre_flag::KEY),
        oflags: Some(gre_flag::KEY),
        ..erspan_data(103, None)
    };
    assert_eq!(
        errno_of(try_add(
            &mut k,
            init,
            "erspan03",
            "erspan",
            data(no_seq.clone())
        )),
        errno::EINVAL
    );
    // Session IDs have 10 bits.
    assert_eq!(
        errno_of(try_add(
            &mut k,
            init,
            "erspan04",
            "erspan",
            data(erspan_data(1024, None))
        )),
        errno::EINVAL
    );
    let v0 = GreData {
        remote: Some("172.16.1.202".parse().unwrap()),
        erspan_ver: Some(0),
        ..no_seq
    };
    try_add(&mut k, init, "erspan06", "erspan", data(v0)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "erspan06")).mtu, 1462);
    // v2 → v1 index 9: accepted, the MTU stays.
    let to_v1 = GreData {
        remote: Some("172.16.1.201".parse().unwrap()),
        erspan_index: Some(9),
        ..erspan_data(102, Some(1))
    };
    change(&mut k, init, "erspan02", "erspan", KindData::new(to_v1)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "erspan02")).mtu, 1446);
    assert_eq!(
        gre_state(&k, init, "erspan02").erspan,
        ErspanParms {
            ver: 1,
            index: 9,
            dir: 0,
            hwid: 7
        }
    );
    // external: one per table.
    let ext = GreData {
        collect_metadata: true,
        ..Default::default()
    };
    try_add(&mut k, init, "erspanx", "erspan", data(ext.clone())).unwrap();
    assert_eq!(
        errno_of(try_add(&mut k, init, "erspanx2", "erspan", data(ext))),
        errno::EEXIST
    );
}

/// iptunnels-v6 CMD[38]-[50]: ip6erspan MTU 1422 (v1) / 1418 (v2); version 0 is EINVAL unlike
/// erspan; it shares the ip6gre table (an ip6gretap with its key clashes) but has its own
/// external slot. Kernel: `ip6erspan_tap_validate`, `ip6erspan_tap_init`,
/// `ip6erspan_newlink`, `ip6gre_tunnel_find`, `collect_md_tun_erspan`.
#[test]
fn ip6erspan_rules() {
    let mut k = boot();
    let init = k.init_net();
    let v1 = GreData {
        local: Some("fc00:100::1".parse().unwrap()),
        remote: Some("fc00:100::2".parse().unwrap()),
        encap_limit: Some(4),
        ttl: Some(64),
        erspan_index: Some(488),
        ..erspan_data(102, Some(1))
    };
    try_add(&mut k, init, "ip6erspan00", "ip6erspan", data(v1.clone())).unwrap();
    assert_eq!(k.dev(dev(&k, init, "ip6erspan00")).mtu, 1422);
    let v0 = GreData {
        remote: Some("fc00:100::3".parse().unwrap()),
        erspan_ver: Some(0),
        ..v1.clone()
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "ip6erspan04", "ip6erspan", data(v0))),
        errno::EINVAL
    );
    let v2 = GreData {
        remote: Some("fc00:100::3".parse().unwrap()),
        erspan_ver: Some(2),
        erspan_hwid: Some(7),
        ..v1.clone()
    };
    try_add(&mut k, init, "ip6erspan01", "ip6erspan", data(v2)).unwrap();
    assert_eq!(k.dev(dev(&k, init, "ip6erspan01")).mtu, 1418);
    // ip6gretap with the same end points and key: same table, same dev->type.
    let tap = GreData {
        erspan_ver: None,
        erspan_index: None,
        ..v1
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "g6tap", "ip6gretap", data(tap))),
        errno::EEXIST
    );
    let ext = GreData {
        collect_metadata: true,
        ..Default::default()
    };
    try_add(&mut k, init, "g6x", "ip6gretap", data(ext.clone())).unwrap();
    try_add(&mut k, init, "ip6erspanx", "ip6erspan", data(ext.clone())).unwrap();
    assert_eq!(k.dev(dev(&k, init, "ip6erspanx")).mtu, 1422);
    assert_eq!(
        errno_of(try_add(&mut k, init, "ip6erspanx2", "ip6erspan", data(ext))),
        errno::EEXIST
    );
}

/// iptunnels-v6 CMD[51]-[59]: a moved ip6tnl / vti6 / ip6erspan stays in the table of its
/// creation namespace, reported as its link namespace. Kernel: `ip6_tnl_newlink`,
/// `vti6_newlink`, `ip6_tnl_get_link_net`.
#[test]
fn v6_tunnels_stay_in_creation_table() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let t = ip6tnl(Some("2001:db8::1"), Some("2001:db8::2"));
    try_add(&mut k, init, "t6a", "ip6tnl", data(t.clone())).unwrap();
    let v = Vti6Data {
        local: Some(ip6("2001:db8::2")),
        remote: Some(ip6("2001:db8::1")),
        ..Default::default()
    };
    try_add(&mut k, init, "v6a", "vti6", data(v.clone())).unwrap();
    for name in ["t6a", "v6a"] {
        let req = LinkRequest {
            ifindex: ifindex(&k, init, name) as i32,
            net_ns: Some(Ok(ns1)),
            ..Default::default()
        };
        k.newlink(init, &req).unwrap();
    }
    k.check_invariants().unwrap();
    assert_eq!(
        errno_of(try_add(&mut k, init, "t6j", "ip6tnl", data(t.clone()))),
        errno::EEXIST
    );
    try_add(&mut k, ns1, "t6k", "ip6tnl", data(t)).unwrap();
    assert_eq!(
        errno_of(try_add(&mut k, init, "v6e", "vti6", data(v))),
        errno::EEXIST
    );
    let view = k.fill(dev(&k, ns1, "t6a"));
    assert_eq!(view.link_netnsid, Some(k.peernet2id(ns1, init)));
}
