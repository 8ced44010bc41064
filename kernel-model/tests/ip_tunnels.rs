//! ipip, vti (net/ipv4/ipip.c, ip_vti.c on ip_tunnel.c) and sit (net/ipv6/sit.c), against
//! golden/kernel/6.12/iptunnels-ipip-sit.txt and iptunnels-vti-erspan.txt (Linux 6.12.117)
//! and the kernel source where no transcript shows the rule. Requests carry what iproute2
//! 6.1 sends (PROTO 0, TTL 0, PMTUDISC 1 for `ip link add X type ipip remote R local L`).

mod common;
use common::{boot, dev, errno_of, ifindex, set, CREATE};
use kernel_model::kinds::ip_tunnel::{IpTunnelData, IpTunnelInfo};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, KindData, LinkInfoRequest, LinkRequest, NetnsId};
use std::net::{Ipv4Addr, Ipv6Addr};

const IFF_POINTOPOINT: u32 = 0x10;
const IFF_NOARP: u32 = 0x80;

fn req(ns_name: Option<&str>, kind: &str, data: Option<IpTunnelData>) -> LinkRequest {
    LinkRequest {
        ifname: ns_name.map(Into::into),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some(kind.into()),
            data: data.map(KindData::new),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn try_add(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    kind: &str,
    data: Option<IpTunnelData>,
) -> Result<(), KernelError> {
    let r = k.newlink(ns, &req(Some(name), kind, data));
    k.check_invariants().unwrap();
    r
}

fn add(k: &mut Kernel, ns: NetnsId, name: &str, kind: &str, data: IpTunnelData) {
    try_add(k, ns, name, kind, Some(data))
        .unwrap_or_else(|e| panic!("ip link add {name} type {kind}: {e}"));
}

fn change(
    k: &mut Kernel,
    ns: NetnsId,
    name: &str,
    kind: &str,
    data: IpTunnelData,
) -> Result<(), KernelError> {
    let r = k.newlink(
        ns,
        &LinkRequest {
            ifindex: ifindex(k, ns, name) as i32,
            linkinfo: Some(LinkInfoRequest {
                kind: Some(kind.into()),
                data: Some(KindData::new(data)),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    k.check_invariants().unwrap();
    r
}

fn info(k: &Kernel, ns: NetnsId, name: &str) -> IpTunnelInfo {
    let v = k.fill(dev(k, ns, name));
    v.info
        .as_ref()
        .and_then(|i| i.downcast_ref::<IpTunnelInfo>())
        .cloned()
        .unwrap_or_else(|| panic!("{name}: no ip tunnel info"))
}

fn a4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// iproute2's ipip/sit request: PROTO, TTL 0, PMTUDISC 1, the addresses, encap none.
fn iptun(remote: Option<&str>, local: Option<&str>) -> IpTunnelData {
    IpTunnelData {
        remote: remote.map(a4),
        local: local.map(a4),
        proto: Some(0),
        ttl: Some(0),
        pmtudisc: Some(1),
        encap_type: Some(0),
        encap_flags: Some(0),
        encap_sport: Some(0),
        encap_dport: Some(0),
        ..Default::default()
    }
}

fn external() -> IpTunnelData {
    IpTunnelData {
        proto: Some(0),
        collect_metadata: true,
        ..Default::default()
    }
}

fn vti(remote: Option<&str>, local: Option<&str>, ikey: u32, okey: u32) -> IpTunnelData {
    IpTunnelData {
        remote: remote.map(a4),
        local: local.map(a4),
        ikey: Some(ikey),
        okey: Some(okey),
        ..Default::default()
    }
}

/// ip_tunnel_find: local, remote, link, type and (TUNNEL_KEY only) the key; ttl/tos/proto are
/// not part of it; the external tunnel has its own slot (`itn->collect_md_tun`) but is also in
/// the hash, so a wildcard after it clashes. Bare EEXIST (iptunnels-ipip-sit CMD[3], [8],
/// [16]..[18]).
#[test]
fn ipip_identity() {
    let mut k = boot();
    let init = k.init_net();
    add(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(Some("192.0.2.1"), Some("192.0.2.2")),
    );
    let other_ttl = IpTunnelData {
        ttl: Some(64),
        tos: Some(0x10),
        proto: Some(4),
        ..iptun(Some("192.0.2.1"), Some("192.0.2.2"))
    };
    let e = try_add(&mut k, init, "ipip2", "ipip", Some(other_ttl)).unwrap_err();
    assert_eq!((e.errno, e.msg), (errno::EEXIST, None));
    add(&mut k, init, "ipipx1", "ipip", external());
    let r = try_add(&mut k, init, "ipipx2", "ipip", Some(external()));
    assert_eq!(errno_of(r), errno::EEXIST);
    // The external tunnel is a 0/0/0 entry of the hash: a wildcard now clashes with it.
    let r = try_add(&mut k, init, "ipip4", "ipip", Some(iptun(None, None)));
    assert_eq!(errno_of(r), errno::EEXIST);
    // Another link is another key.
    let eth0 = ifindex(&k, init, "eth0");
    let on_eth0 = IpTunnelData {
        link: Some(eth0),
        ..iptun(Some("192.0.2.1"), Some("192.0.2.2"))
    };
    add(&mut k, init, "ipip3", "ipip", on_eth0);
    // ipip_tunnel_validate: PROTO 0, IPPROTO_IPIP or IPPROTO_MPLS.
    let ip6ip = IpTunnelData {
        proto: Some(41),
        ..iptun(Some("192.0.2.9"), None)
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "ipip9", "ipip", Some(ip6ip))),
        errno::EINVAL
    );
    let mplsip = IpTunnelData {
        proto: Some(137),
        ..iptun(Some("192.0.2.6"), None)
    };
    add(&mut k, init, "ipip6", "ipip", mplsip);
}

/// ipip_tunnel_setup + ipip_tunnel_init + ip_tunnel_bind_dev: ARPHRD_TUNNEL, NOARP (+
/// POINTOPOINT with a remote), address = local, mtu 1480 or the bound device's − 20,
/// min/max 0; `ipip_netlink_parms` without INFO_DATA: protocol IPIP, no IP_DF
/// (iptunnels-ipip-sit CMD[2], [14], [15], [17]).
#[test]
fn ipip_setup_and_bind_dev() {
    let mut k = boot();
    let init = k.init_net();
    add(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(Some("192.0.2.1"), Some("192.0.2.2")),
    );
    let v = k.fill(dev(&k, init, "ipip1"));
    assert_eq!(v.dev_type, 768);
    assert_eq!(v.flags, IFF_POINTOPOINT | IFF_NOARP);
    assert_eq!((v.mtu, v.min_mtu, v.max_mtu), (1480, 0, 0));
    assert_eq!(
        v.addr.map(|a| a.as_bytes().to_vec()),
        Some(vec![192, 0, 2, 2])
    );
    assert_eq!(v.txqlen, 1000);
    let i = info(&k, init, "ipip1");
    assert!(i.parms.pmtudisc && i.parms.ttl == 0 && i.parms.protocol == 0);

    try_add(&mut k, init, "ipip0", "ipip", None).unwrap();
    let i = info(&k, init, "ipip0");
    assert_eq!((i.parms.protocol, i.parms.pmtudisc), (4, false));
    assert_eq!(k.fill(dev(&k, init, "ipip0")).flags, IFF_NOARP);

    let eth0 = ifindex(&k, init, "eth0");
    set(&mut k, init, "eth0", |r| r.mtu = Some(9000)).unwrap();
    let bound = IpTunnelData {
        link: Some(eth0),
        ..iptun(Some("192.0.2.8"), None)
    };
    add(&mut k, init, "ipip8", "ipip", bound);
    let v = k.fill(dev(&k, init, "ipip8"));
    assert_eq!((v.mtu, v.link), (8980, Some(eth0)));
}

/// ip_tunnel_change_mtu → __ip_tunnel_change_mtu(strict): 68..65515, EINVAL without extack
/// (iptunnels-ipip-sit CMD[19], [20]; iptunnels-vti-erspan CMD[9], [10]).
#[test]
fn ipip_and_vti_mtu_limits() {
    let mut k = boot();
    let init = k.init_net();
    add(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(Some("192.0.2.1"), None),
    );
    add(
        &mut k,
        init,
        "vti1",
        "vti",
        vti(Some("192.0.2.1"), None, 0, 0),
    );
    for name in ["ipip1", "vti1"] {
        set(&mut k, init, name, |r| r.mtu = Some(65515)).unwrap();
        for bad in [65516, 70000, 67] {
            let e = set(&mut k, init, name, |r| r.mtu = Some(bad)).unwrap_err();
            assert_eq!(
                (e.errno, e.msg.as_deref()),
                (errno::EINVAL, None),
                "{name} mtu {bad}"
            );
        }
        set(&mut k, init, name, |r| r.mtu = Some(68)).unwrap();
    }
    // ip_tunnel_newlink with IFLA_MTU: clamped into 68..65515, not refused.
    let mut r = req(Some("ipip2"), "ipip", Some(iptun(Some("192.0.2.2"), None)));
    r.mtu = Some(70000);
    k.newlink(init, &r).unwrap();
    assert_eq!(k.fill(dev(&k, init, "ipip2")).mtu, 65515);
}

/// ipip_changelink / ip_tunnel_changelink / ip_tunnel_update: external cannot be switched on
/// (EINVAL), the remote cannot come or go (EINVAL), another tunnel's key is EEXIST, the mode
/// (protocol) is not updated, iproute2's full re-send keeps the rest (iptunnels-ipip-sit
/// CMD[21]..[23]).
#[test]
fn ipip_changelink_rules() {
    let mut k = boot();
    let init = k.init_net();
    add(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(Some("192.0.2.1"), Some("192.0.2.2")),
    );
    add(
        &mut k,
        init,
        "ipip3",
        "ipip",
        iptun(Some("192.0.2.3"), Some("192.0.2.2")),
    );
    let r = change(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(Some("192.0.2.3"), Some("192.0.2.2")),
    );
    assert_eq!(errno_of(r), errno::EEXIST);
    let r = change(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(None, Some("192.0.2.2")),
    );
    assert_eq!(errno_of(r), errno::EINVAL);
    let r = change(&mut k, init, "ipip1", "ipip", external());
    assert_eq!(errno_of(r), errno::EINVAL);
    let ttl9 = IpTunnelData {
        ttl: Some(9),
        proto: Some(137),
        ..iptun(Some("192.0.2.1"), Some("192.0.2.2"))
    };
    change(&mut k, init, "ipip1", "ipip", ttl9).unwrap();
    let i = info(&k, init, "ipip1");
    assert_eq!(
        (i.parms.ttl, i.parms.protocol, i.parms.remote),
        (9, 0, a4("192.0.2.1"))
    );
    // A new remote moves the tunnel in the table: its old key is free again.
    change(
        &mut k,
        init,
        "ipip1",
        "ipip",
        iptun(Some("192.0.2.4"), Some("192.0.2.2")),
    )
    .unwrap();
    add(
        &mut k,
        init,
        "ipip2",
        "ipip",
        iptun(Some("192.0.2.1"), Some("192.0.2.2")),
    );
}

/// vti: `vti_netlink_parms` sets IP_TUNNEL_VTI_BIT, never TUNNEL_KEY, so ikey/okey are not
/// part of ip_tunnel_find's key; changelink may change them (iptunnels-vti-erspan CMD[1]..[11]).
#[test]
fn vti_keys_are_not_identity() {
    let mut k = boot();
    let init = k.init_net();
    add(
        &mut k,
        init,
        "vti1",
        "vti",
        vti(Some("192.0.2.1"), Some("192.0.2.2"), 5, 6),
    );
    let r = try_add(
        &mut k,
        init,
        "vti2",
        "vti",
        Some(vti(Some("192.0.2.1"), Some("192.0.2.2"), 5, 7)),
    );
    assert_eq!(errno_of(r), errno::EEXIST);
    let r = try_add(
        &mut k,
        init,
        "vti3",
        "vti",
        Some(vti(Some("192.0.2.1"), Some("192.0.2.2"), 6, 0)),
    );
    assert_eq!(errno_of(r), errno::EEXIST);
    try_add(&mut k, init, "vti4", "vti", None).unwrap();
    let v = k.fill(dev(&k, init, "vti4"));
    assert_eq!((v.dev_type, v.flags, v.mtu), (768, IFF_NOARP, 1480));
    change(
        &mut k,
        init,
        "vti1",
        "vti",
        vti(Some("192.0.2.1"), Some("192.0.2.2"), 6, 6),
    )
    .unwrap();
    let i = info(&k, init, "vti1");
    assert_eq!((i.parms.i_key, i.parms.o_key), (6, 6));
    // ip_tunnel_changelink: no tunnel found and the remote gone: flags differ → EINVAL.
    let r = change(
        &mut k,
        init,
        "vti1",
        "vti",
        vti(None, Some("192.0.2.9"), 6, 6),
    );
    assert_eq!(errno_of(r), errno::EINVAL);
}

/// sit: ARPHRD_SIT, min/max 1280/65555 (dev_validate_mtu's extack), defaults ttl 64 /
/// protocol IPV6 / 6rd 2002::/16; `ipip6_tunnel_locate` keys on local, remote, link only and
/// an external sit is a wildcard (iptunnels-ipip-sit CMD[26]..[45]).
#[test]
fn sit_rules() {
    let mut k = boot();
    let init = k.init_net();
    add(
        &mut k,
        init,
        "sit1",
        "sit",
        iptun(Some("192.0.2.1"), Some("192.0.2.2")),
    );
    let v = k.fill(dev(&k, init, "sit1"));
    assert_eq!(
        (v.dev_type, v.mtu, v.min_mtu, v.max_mtu),
        (776, 1480, 1280, 65555)
    );
    let r6 = info(&k, init, "sit1").ip6rd.unwrap();
    assert_eq!(
        (r6.prefix, r6.prefixlen),
        ("2002::".parse::<Ipv6Addr>().unwrap(), 16)
    );
    let ip6ip = IpTunnelData {
        proto: Some(41),
        ..iptun(Some("192.0.2.1"), Some("192.0.2.2"))
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "sit2", "sit", Some(ip6ip))),
        errno::EEXIST
    );
    let gre_proto = IpTunnelData {
        proto: Some(47),
        ..iptun(Some("192.0.2.5"), None)
    };
    assert_eq!(
        errno_of(try_add(&mut k, init, "sit5", "sit", Some(gre_proto))),
        errno::EINVAL
    );

    add(&mut k, init, "sitx1", "sit", external());
    assert_eq!(info(&k, init, "sitx1").parms.ttl, 64);
    assert_eq!(
        errno_of(try_add(&mut k, init, "sitx2", "sit", Some(external()))),
        errno::EEXIST
    );
    assert_eq!(
        errno_of(try_add(&mut k, init, "sit8", "sit", None)),
        errno::EEXIST
    );

    set(&mut k, init, "sit1", |r| r.mtu = Some(65555)).unwrap();
    let e = set(&mut k, init, "sit1", |r| r.mtu = Some(65556)).unwrap_err();
    assert_eq!(e.msg.as_deref(), Some("mtu greater than device maximum"));
    let e = set(&mut k, init, "sit1", |r| r.mtu = Some(1279)).unwrap_err();
    assert_eq!(e.errno, errno::EINVAL);

    // ipip6_changelink: the key is local/remote/link (sit3 has another local); the remote
    // cannot go away (POINTOPOINT check) (iptunnels-ipip-sit CMD[45]).
    add(&mut k, init, "sit3", "sit", iptun(Some("192.0.2.3"), None));
    change(
        &mut k,
        init,
        "sit1",
        "sit",
        iptun(Some("192.0.2.3"), Some("192.0.2.2")),
    )
    .unwrap();
    let r = change(&mut k, init, "sit1", "sit", iptun(Some("192.0.2.3"), None));
    assert_eq!(errno_of(r), errno::EEXIST);
    let r = change(&mut k, init, "sit1", "sit", iptun(None, Some("192.0.2.2")));
    assert_eq!(errno_of(r), errno::EINVAL);

    // ipip6_tunnel_bind_dev: the bound device's MTU − 20, floor 1280.
    let eth0 = ifindex(&k, init, "eth0");
    set(&mut k, init, "eth0", |r| r.mtu = Some(1300)).unwrap();
    let bound = IpTunnelData {
        link: Some(eth0),
        ..iptun(Some("192.0.2.9"), None)
    };
    add(&mut k, init, "sit9", "sit", bound);
    assert_eq!(k.fill(dev(&k, init, "sit9")).mtu, 1280);
}

/// ipip6_tunnel_update_6rd: relay_prefixlen ≤ 32, prefixlen + 32 − relay_prefixlen ≤ 64, no
/// bits past either length, else EINVAL — at creation after register_netdevice, so the new
/// device is unregistered again (iptunnels-ipip-sit CMD[35], CMD[36]; sit.c).
#[test]
fn sit_6rd_parameters() {
    let mut k = boot();
    let init = k.init_net();
    let rd = |prefix: &str, plen: u16, relay: &str, rlen: u16| IpTunnelData {
        ip6rd_prefix: Some(prefix.parse().unwrap()),
        ip6rd_prefixlen: Some(plen),
        ip6rd_relay_prefix: Some(a4(relay)),
        ip6rd_relay_prefixlen: Some(rlen),
        ..iptun(Some("192.0.2.7"), None)
    };
    add(
        &mut k,
        init,
        "sit7",
        "sit",
        rd("2001:db8::", 32, "192.0.0.0", 8),
    );
    let r6 = info(&k, init, "sit7").ip6rd.unwrap();
    assert_eq!(
        (r6.prefixlen, r6.relay_prefix, r6.relay_prefixlen),
        (32, a4("192.0.0.0"), 8)
    );
    for (name, bad) in [
        ("sitb1", rd("2001:db8:1::", 32, "0.0.0.0", 0)),
        ("sitb2", rd("2001:db8::", 32, "192.0.2.0", 8)),
        ("sitb3", rd("2001:db8::", 32, "0.0.0.0", 33)),
        ("sitb4", rd("2001:db8::", 48, "0.0.0.0", 8)),
    ] {
        let remote = IpTunnelData {
            remote: Some(a4("192.0.2.77")),
            ..bad
        };
        assert_eq!(
            errno_of(try_add(&mut k, init, name, "sit", Some(remote))),
            errno::EINVAL
        );
        assert!(
            k.dev_by_name(init, name).is_none(),
            "{name} unregistered again"
        );
    }
}

/// A tunnel moved to another namespace stays in the table of `tunnel->net`; its link net is
/// reported (link-netnsid 0); destroying the creation namespace deletes it wherever it is
/// (ip_tunnel_destroy / sit_destroy_tunnels) (iptunnels-ipip-sit CMD[46]..[56]).
#[test]
fn tables_follow_tunnel_net() {
    let mut k = boot();
    let init = k.init_net();
    let ns1 = k.netns_new();
    let ns2 = k.netns_new();
    for (kind, data) in [
        ("ipip", iptun(Some("192.0.2.1"), Some("192.0.2.2"))),
        ("sit", iptun(Some("192.0.2.1"), Some("192.0.2.2"))),
        ("vti", vti(Some("192.0.2.1"), Some("192.0.2.2"), 0, 0)),
    ] {
        let (a, b, c) = (format!("{kind}a"), format!("{kind}b"), format!("{kind}c"));
        add(&mut k, init, &a, kind, data.clone());
        set(&mut k, init, &a, |r| r.net_ns = Some(Ok(ns1))).unwrap();
        let v = k.fill(dev(&k, ns1, &a));
        assert_eq!(v.link_netnsid, Some(k.peernet2id(ns1, init)));
        assert_eq!(
            errno_of(try_add(&mut k, init, &b, kind, Some(data.clone()))),
            errno::EEXIST
        );
        add(&mut k, ns1, &b, kind, data.clone());
        // Created in ns2, moved to init_net: ns2's table.
        add(&mut k, ns2, &c, kind, data.clone());
        set(&mut k, ns2, &c, |r| r.net_ns = Some(Ok(init))).unwrap();
    }
    add(&mut k, init, "ipipx1", "ipip", external());
    set(&mut k, init, "ipipx1", |r| r.net_ns = Some(Ok(ns1))).unwrap();
    assert_eq!(
        errno_of(try_add(&mut k, init, "ipipx2", "ipip", Some(external()))),
        errno::EEXIST
    );
    add(&mut k, ns1, "ipipx3", "ipip", external());

    k.netns_destroy(ns2);
    k.check_invariants().unwrap();
    for gone in ["ipipc", "sitc", "vtic"] {
        assert!(k.dev_by_name(init, gone).is_none(), "{gone} dies with ns2");
    }
    k.netns_destroy(ns1);
    k.check_invariants().unwrap();
    add(
        &mut k,
        init,
        "ipipd",
        "ipip",
        iptun(Some("192.0.2.1"), Some("192.0.2.2")),
    );
    add(&mut k, init, "ipipx2", "ipip", external());
}
