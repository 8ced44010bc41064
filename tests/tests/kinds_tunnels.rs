//! Catalog rules VXLAN-*, GRE-*/GRETAP-*/IP6GRE-*, GENEVE-* and the vxlan and gre parts of
//! DEL-CASCADE (scenarios vxlan, gre, geneve, updown, delete, outcomes from
//! kernel-transcripts/6.12). Requests are shaped like iproute2 6.1's `ip link add NAME type
//! vxlan|gre|gretap|ip6gre|ip6gretap|geneve ...`. eth0..eth2 are dummies or netdevsim ports.

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EBUSY, EEXIST, EINVAL, EOPNOTSUPP, EPERM, ERANGE};
use netlink_packet_route::link::{InfoData, InfoVxlan, LinkAttribute, State};
use rules_support::*;
use stacked_support::*;
use std::net::Ipv4Addr;

fn vxlan(c: &mut common::Client, name: &str, data: Vec<InfoVxlan>) -> common::Answer {
    c.add(Some(name), "vxlan", vec![], Some(InfoData::Vxlan(data)))
}

fn vxlan_dev(
    c: &mut common::Client,
    name: &str,
    dev: &str,
    mut data: Vec<InfoVxlan>,
) -> common::Answer {
    let idx = c.index(dev);
    data.push(InfoVxlan::Link(idx));
    vxlan(c, name, data)
}

fn vx_attrs(l: &netlink_packet_route::link::LinkMessage) -> Vec<InfoVxlan> {
    match info_data(l) {
        Some(InfoData::Vxlan(v)) => v,
        other => panic!("no vxlan info_data: {other:?}"),
    }
}

fn vx_port(l: &netlink_packet_route::link::LinkMessage) -> u16 {
    vx_attrs(l)
        .iter()
        .find_map(|a| match a {
            InfoVxlan::Port(p) => Some(*p),
            _ => None,
        })
        .expect("IFLA_VXLAN_PORT")
}

const VNI_EXISTS: &str = "A VXLAN device with the specified VNI already exists";

/// VXLAN-CREATE, VXLAN-DUP-VNI, VXLAN-VNI-PORT, VXLAN-NOPORT, VXLAN-EXTERNAL-DUP (vxlan#1-#18):
/// Ethernet, `BROADCAST,MULTICAST`, MTU 1500 (68..65535) without `dev`, ttl auto, ageing 300,
/// udpcsum, default port 8472; the VNI table ignores `dev` and `local`.
/// Kernel: `vxlan_setup`, `vxlan_nl2conf`, `vxlan_config_validate`, `vxlan_vni_in_use`.
#[test]
fn vxlan_create_and_identity() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    let l = link(&mut c, "vx0");
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(l.mtu(), 1500);
    assert_eq!((l.min_mtu(), l.max_mtu()), (68, 65535));
    assert_eq!(l.iflink(), None);
    let a = vx_attrs(&l);
    assert_eq!(a[0], InfoVxlan::Id(10));
    for want in [
        InfoVxlan::Ttl(0),
        InfoVxlan::Ageing(300),
        InfoVxlan::Learning(true),
        InfoVxlan::UDPCsum(true),
        InfoVxlan::Localbypass(true),
        InfoVxlan::PortRange((0, 0)),
        InfoVxlan::Port(4789),
    ] {
        assert!(a.contains(&want), "{want:?} missing from {a:?}");
    }
    // #3, #4
    assert_err(
        &vxlan(
            &mut c,
            "vx1",
            vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
        ),
        EEXIST,
        Some(VNI_EXISTS),
    );
    assert_ok(&vxlan(
        &mut c,
        "vx2",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4790)],
    ));
    // #5, #6: no dstport → 8472.
    assert_ok(&vxlan(&mut c, "vx3", vec![InfoVxlan::Id(11)]));
    assert_eq!(vx_port(&link(&mut c, "vx3")), 8472);
    // vxlan_validate: VNI range (iproute2 refuses it before the kernel sees it).
    assert_err(
        &vxlan(&mut c, "vx4", vec![InfoVxlan::Id(1 << 24)]),
        ERANGE,
        Some("VXLAN ID must be lower than 16777216"),
    );
    // #10, #11: another dev does not make another identity.
    assert_ok(&vxlan_dev(
        &mut c,
        "vx6",
        "eth0",
        vec![
            InfoVxlan::Id(20),
            InfoVxlan::Port(4789),
            InfoVxlan::Group(Ipv4Addr::new(192, 0, 2, 1)),
        ],
    ));
    assert_err(
        &vxlan_dev(
            &mut c,
            "vx7",
            "eth1",
            vec![
                InfoVxlan::Id(20),
                InfoVxlan::Port(4789),
                InfoVxlan::Group(Ipv4Addr::new(192, 0, 2, 2)),
            ],
        ),
        EEXIST,
        Some(VNI_EXISTS),
    );
    // #15, #16: one external device per port.
    let ext = || vec![InfoVxlan::Port(4789), InfoVxlan::CollectMetadata(true)];
    assert_ok(&vxlan(&mut c, "vx10", ext()));
    assert_err(&vxlan(&mut c, "vx11", ext()), EEXIST, Some(VNI_EXISTS));
    // #17, #18: nor does another local address.
    let local = |n| {
        vec![
            InfoVxlan::Id(30),
            InfoVxlan::Port(4789),
            InfoVxlan::Local(Ipv4Addr::new(192, 0, 2, n)),
        ]
    };
    assert_ok(&vxlan(&mut c, "vx12", local(50)));
    assert_err(&vxlan(&mut c, "vx13", local(51)), EEXIST, Some(VNI_EXISTS));
    // Multicast group without dev.
    assert_err(
        &vxlan(
            &mut c,
            "vx9",
            vec![
                InfoVxlan::Id(21),
                InfoVxlan::Group(Ipv4Addr::new(239, 1, 1, 1)),
            ],
        ),
        EINVAL,
        Some("Local interface required for multicast remote destination"),
    );
    // `type vxlan` without IFLA_INFO_DATA.
    assert_err(
        &c.add(Some("vx14"), "vxlan", vec![], None),
        EINVAL,
        Some("Required attributes not provided to perform the operation"),
    );
}

/// VXLAN-DEV-MTU, VXLAN-MTU (vxlan#20-#29): MTU = lower − 50 at creation, not updated later;
/// changes bounded by lower − 50 (EINVAL, no extack); without dev up to 65535.
/// Kernel: `vxlan_config_apply`, `vxlan_change_mtu`.
#[test]
fn vxlan_mtu_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx6",
        "eth0",
        vec![InfoVxlan::Id(20), InfoVxlan::Port(4789)],
    ));
    assert_eq!(link(&mut c, "vx6").mtu(), 1450);
    assert_ok(&c.mtu("eth0", 9000));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx15",
        "eth0",
        vec![InfoVxlan::Id(40), InfoVxlan::Port(4789)],
    ));
    assert_eq!(link(&mut c, "vx15").mtu(), 8950);
    assert_eq!(link(&mut c, "vx6").mtu(), 1450);
    assert_err(&c.mtu("vx6", 9000), EINVAL, None);
    assert_ok(&c.mtu("vx6", 8950));
    assert_ok(&c.mtu("vx0", 65535));
    assert_ok(&c.mtu("vx0", 65486));
    assert_eq!(link(&mut c, "vx0").mtu(), 65486);
}

/// VXLAN-CHANGE-VNI, VXLAN-CHANGE-PORT, VXLAN-CHANGE-TTL, VXLAN-UP (vxlan#30-#36).
/// Kernel: `vxlan_nl2conf` (changelink), `vxlan_changelink`.
#[test]
fn vxlan_changes_and_up() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan(
        &mut c,
        "vx2",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4790)],
    ));
    assert_err(
        &set_data(
            &mut c,
            "vx0",
            "vxlan",
            InfoData::Vxlan(vec![InfoVxlan::Id(12)]),
        ),
        EOPNOTSUPP,
        Some("Cannot change VNI"),
    );
    assert_err(
        &set_data(
            &mut c,
            "vx0",
            "vxlan",
            InfoData::Vxlan(vec![InfoVxlan::Id(10), InfoVxlan::Port(4790)]),
        ),
        EOPNOTSUPP,
        Some("Cannot change port"),
    );
    assert_ok(&set_data(
        &mut c,
        "vx0",
        "vxlan",
        InfoData::Vxlan(vec![InfoVxlan::Ttl(10)]),
    ));
    assert!(vx_attrs(&link(&mut c, "vx0")).contains(&InfoVxlan::Ttl(10)));
    // Learning may change; proxy may not (vxlan_flag_attr_error).
    assert_ok(&set_data(
        &mut c,
        "vx0",
        "vxlan",
        InfoData::Vxlan(vec![InfoVxlan::Learning(false)]),
    ));
    assert!(vx_attrs(&link(&mut c, "vx0")).contains(&InfoVxlan::Learning(false)));
    assert_err(
        &set_data(
            &mut c,
            "vx0",
            "vxlan",
            InfoData::Vxlan(vec![InfoVxlan::Proxy(true)]),
        ),
        EOPNOTSUPP,
        Some("vxlan: cannot change PROXY flag"),
    );
    // #34-#36: UP,LOWER_UP, operstate UNKNOWN, qdisc noqueue.
    assert_ok(&c.up("vx0"));
    let l = link(&mut c, "vx0");
    assert_eq!(
        l.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(l.operstate(), State::Unknown);
    assert_eq!(l.qdisc(), "noqueue");
    // #37, #38: a vxlan is an Ethernet bridge port.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("vx0", "br0"));
}

/// VXLAN-DEL-LOWER, DEL-CASCADE (vxlan#39,#40; delete#30-#35): deleting the `dev` deletes the
/// vxlans bound to it, the others stay. Kernel: `vxlan_handle_lowerdev_unregister`.
#[test]
fn vxlan_deleted_with_lower() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx6",
        "eth0",
        vec![InfoVxlan::Id(20), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx7",
        "eth0",
        vec![InfoVxlan::Id(21), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx8",
        "eth1",
        vec![InfoVxlan::Id(22), InfoVxlan::Port(4789)],
    ));
    assert!(vx_attrs(&link(&mut c, "vx6")).contains(&InfoVxlan::Link(2)));
    assert_ok(&c.del("eth0"));
    assert!(!exists(&mut c, "vx6"));
    assert!(!exists(&mut c, "vx7"));
    assert!(exists(&mut c, "vx0"));
    assert!(exists(&mut c, "vx8"));
    let _ = LinkAttribute::Mtu(0);
}

// ----- GRE family (scenario gre, delete; kernel-transcripts/6.12) -----------------------------

use netlink_packet_route::link::{
    GreEncapFlags, GreEncapType, GreIOFlags, InfoGeneve, InfoGre, InfoGre6, LinkLayerType,
};
use std::net::Ipv6Addr;

const IFF_POINTOPOINT: u32 = 0x10;
const GRE_KEY: u16 = 0x2000;

/// IFLA_GRE_* as iproute2 6.1's `gre_parse_opt` sends them for `ip link add NAME type
/// gre|gretap [remote R] [local L] [key K] [dev D]` (zero for what the line does not say).
fn gre_opts(remote: [u8; 4], local: [u8; 4], key: Option<u32>, link: Option<u32>) -> Vec<InfoGre> {
    let flags = GreIOFlags::from_bits_retain(if key.is_some() { GRE_KEY } else { 0 });
    let mut a = vec![
        InfoGre::IKey(key.unwrap_or(0)),
        InfoGre::OKey(key.unwrap_or(0)),
        InfoGre::IFlags(flags),
        InfoGre::OFlags(flags),
        InfoGre::Local(Ipv4Addr::from(local)),
        InfoGre::Remote(Ipv4Addr::from(remote)),
        InfoGre::PathMTUDiscovery(true),
    ];
    if let Some(l) = link {
        a.push(InfoGre::Link(l));
    }
    a.extend([
        InfoGre::Ttl(0),
        InfoGre::Tos(0),
        InfoGre::FwMask(0),
        InfoGre::EncapType(GreEncapType::None),
        InfoGre::EncapFlags(GreEncapFlags::empty()),
        InfoGre::SourcePort(0),
        InfoGre::DestinationPort(0),
    ]);
    a
}

/// `ip6gre_parse_opt`'s defaults: hoplimit 64, encaplimit 4.
fn gre6_opts(remote: Ipv6Addr, local: Ipv6Addr) -> Vec<InfoGre6> {
    vec![
        InfoGre6::IKey(0),
        InfoGre6::OKey(0),
        InfoGre6::IFlags(GreIOFlags::empty()),
        InfoGre6::OFlags(GreIOFlags::empty()),
        InfoGre6::Local(local),
        InfoGre6::Remote(remote),
        InfoGre6::Ttl(64),
        InfoGre6::EncapLimit(4),
        InfoGre6::FlowLabel(0),
        InfoGre6::FwMask(0),
        InfoGre6::EncapType(GreEncapType::None),
    ]
}

const R1: [u8; 4] = [192, 0, 2, 1];
const L2: [u8; 4] = [192, 0, 2, 2];

fn gre(c: &mut common::Client, name: &str, opts: Vec<InfoGre>) -> common::Answer {
    c.add(Some(name), "gre", vec![], Some(InfoData::GreTun(opts)))
}

fn gretap(c: &mut common::Client, name: &str, opts: Vec<InfoGre>) -> common::Answer {
    c.add(Some(name), "gretap", vec![], Some(InfoData::GreTap(opts)))
}

fn gre_attrs(l: &netlink_packet_route::link::LinkMessage) -> Vec<InfoGre> {
    match info_data(l) {
        Some(InfoData::GreTun(v) | InfoData::GreTap(v)) => v,
        other => panic!("no gre info_data: {other:?}"),
    }
}

/// GRE-CREATE, GRE-DUP, GRE-KEY, GRETAP-SEPARATE, GRETAP-CREATE, GRE-WILDCARD (gre#1-#15):
/// `gre1@NONE` POINTOPOINT,NOARP, MTU 1476, link/gre with the local address as dev_addr and the
/// remote as broadcast, no MTU range reported; the same parameters twice → EEXIST without
/// extack; the key is part of the identity; gretap has its own table (Ethernet, MTU 1462).
/// Kernel: `ipgre_tunnel_init`, `ip_tunnel_newlink` (`ip_tunnel_find`), `gre_tap_net_id`.
#[test]
fn gre_create_and_identity() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&gre(&mut c, "gre1", gre_opts(R1, L2, None, None)));
    let l = link(&mut c, "gre1");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Ipgre);
    assert_eq!(l.flags(), IFF_POINTOPOINT | IFF_NOARP);
    assert_eq!(l.mtu(), 1476);
    assert_eq!((l.min_mtu(), l.max_mtu()), (0, 0));
    assert_eq!(l.mac(), L2.to_vec());
    assert_eq!(l.iflink(), Some(0));
    assert_eq!(l.qdisc(), "noop");
    // ipgre_fill_info order.
    let a = gre_attrs(&l);
    assert_eq!(a[0], InfoGre::Link(0));
    assert_eq!(a[5], InfoGre::Local(Ipv4Addr::from(L2)));
    assert_eq!(a[6], InfoGre::Remote(Ipv4Addr::from(R1)));
    assert_eq!(a[9], InfoGre::PathMTUDiscovery(true));
    assert_eq!(a.len(), 16);
    // #3, #4
    assert_err(
        &gre(&mut c, "gre2", gre_opts(R1, L2, None, None)),
        EEXIST,
        None,
    );
    assert_ok(&gre(&mut c, "gre3", gre_opts(R1, L2, Some(5), None)));
    assert_eq!(link(&mut c, "gre3").mtu(), 1472);
    // #5-#8
    assert_ok(&gretap(&mut c, "gt1", gre_opts(R1, L2, None, None)));
    let l = link(&mut c, "gt1");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Ether);
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(l.mtu(), 1462);
    assert_eq!((l.min_mtu(), l.max_mtu()), (68, 0));
    assert!(matches!(info_data(&l), Some(InfoData::GreTap(_))));
    assert_err(
        &gretap(&mut c, "gt2", gre_opts(R1, L2, None, None)),
        EEXIST,
        None,
    );
    assert_ok(&gretap(
        &mut c,
        "gt3",
        gre_opts([192, 0, 2, 3], L2, None, None),
    ));
    // #14, #15: the wildcard tunnel, NOARP only (no remote, no POINTOPOINT).
    assert_ok(&gre(&mut c, "gre4", gre_opts([0; 4], [0; 4], None, None)));
    assert_eq!(link(&mut c, "gre4").flags(), IFF_NOARP);
    assert_err(
        &gre(&mut c, "gre5", gre_opts([0; 4], [0; 4], None, None)),
        EEXIST,
        None,
    );
    // One external tunnel per table (collect_md_tun), ARPHRD_NONE.
    let ext = || vec![InfoGre::CollectMetadata];
    assert_ok(&gre(&mut c, "gx", ext()));
    assert_eq!(
        link(&mut c, "gx").header.link_layer_type,
        LinkLayerType::None
    );
    assert_err(&gre(&mut c, "gx2", ext()), EEXIST, None);
    // ipgre_tunnel_validate: GRE_VERSION / GRE_ROUTING flags.
    let mut bad = gre_opts([192, 0, 2, 40], L2, None, None);
    bad[2] = InfoGre::IFlags(GreIOFlags::from_bits_retain(0x0001));
    assert_err(&gre(&mut c, "gre9", bad), EINVAL, None);
}

/// IP6GRE-CREATE (gre#9-#13): MTU 1448 / 1434, link/gre6 (16-byte addresses, a random
/// 16-byte permanent address), duplicates → EEXIST. Kernel: `ip6gre_tunnel_setup`,
/// `ip6gre_tunnel_init_common`, `ip6gre_newlink` (`ip6gre_tunnel_find`).
#[test]
fn ip6gre_create_and_identity() {
    let (_sim, mut c) = nsim_sim();
    let (r, l6) = (
        "2001:db8::1".parse::<Ipv6Addr>().unwrap(),
        "2001:db8::2".parse::<Ipv6Addr>().unwrap(),
    );
    let add = |c: &mut common::Client, name: &str, kind: &str| {
        let d = gre6_opts(r, l6);
        let data = if kind == "ip6gre" {
            InfoData::GreTun6(d)
        } else {
            InfoData::GreTap6(d)
        };
        c.add(Some(name), kind, vec![], Some(data))
    };
    assert_ok(&add(&mut c, "g6", "ip6gre"));
    let l = link(&mut c, "g6");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Ip6gre);
    assert_eq!(l.flags(), IFF_POINTOPOINT | IFF_NOARP);
    assert_eq!(l.mtu(), 1448);
    assert_eq!(l.mac(), l6.octets().to_vec());
    let perm = perm_addr(&l).expect("IFLA_PERM_ADDRESS");
    assert_eq!(perm.len(), 16);
    assert!(perm[6..].iter().all(|b| *b == 0) && perm[..6].iter().any(|b| *b != 0));
    assert_err(&add(&mut c, "g6b", "ip6gre"), EEXIST, None);
    assert_ok(&add(&mut c, "g6t", "ip6gretap"));
    let l = link(&mut c, "g6t");
    assert_eq!(l.mtu(), 1434);
    assert_eq!(l.header.link_layer_type, LinkLayerType::Ether);
    assert_err(&add(&mut c, "g6t2", "ip6gretap"), EEXIST, None);
    // ip6_tnl_change_mtu: 65575 - t_hlen (44) with a remote.
    assert_ok(&c.mtu("g6", 65531));
    assert_err(&c.mtu("g6", 65532), EINVAL, None);
}

/// GRE-DEV-MTU, GRE-MTU-MAX (gre#17-#24): MTU = lower − 24 when created on `dev`, not updated
/// when the lower changes; changes above 65535 − header (65511 gre, 65497 gretap) → EINVAL
/// without extack. Kernel: `ip_tunnel_bind_dev`, `__ip_tunnel_change_mtu`.
#[test]
fn gre_mtu_rules() {
    let (_sim, mut c) = nsim_sim();
    let eth0 = c.index("eth0");
    assert_ok(&gre(
        &mut c,
        "gre7",
        gre_opts([192, 0, 2, 9], [0; 4], None, Some(eth0)),
    ));
    assert_ok(&c.mtu("eth0", 9000));
    assert_ok(&gre(
        &mut c,
        "gre8",
        gre_opts([192, 0, 2, 10], [0; 4], None, Some(eth0)),
    ));
    assert_eq!(link(&mut c, "gre7").mtu(), 1476);
    assert_eq!(link(&mut c, "gre8").mtu(), 8976);
    assert_eq!(link(&mut c, "gre8").iflink(), Some(eth0));
    assert_ok(&gre(&mut c, "gre1", gre_opts(R1, L2, None, None)));
    assert_ok(&c.mtu("gre1", 65000));
    assert_err(&c.mtu("gre1", 70000), EINVAL, None);
    assert_ok(&c.mtu("gre1", 65511));
    assert_err(&c.mtu("gre1", 65512), EINVAL, None);
    assert_err(&c.mtu("gre1", 67), EINVAL, None);
    assert_ok(&gretap(&mut c, "gt1", gre_opts(R1, L2, None, None)));
    assert_ok(&c.mtu("gt1", 65497));
    assert_err(&c.mtu("gt1", 65498), EINVAL, None);
}

/// GRE-CHANGE-CLASH (gre#25-#27): changing gre1 to gre3's parameters → EEXIST; a ttl change
/// keeps the MTU, a key added by changelink takes 4 bytes off it; a remote removed from a
/// point-to-point tunnel → EINVAL; another kind's data → EOPNOTSUPP. Kernel:
/// `ipgre_changelink`, `ip_tunnel_changelink`, `ipgre_link_update`, `rtnl_newlink`.
#[test]
fn gre_changelink_rules() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&gre(&mut c, "gre1", gre_opts(R1, L2, None, None)));
    assert_ok(&gre(&mut c, "gre3", gre_opts(R1, L2, Some(5), None)));
    let mut ttl = gre_opts(R1, L2, None, None);
    ttl[8] = InfoGre::Ttl(64);
    assert_ok(&set_data(&mut c, "gre1", "gre", InfoData::GreTun(ttl)));
    let l = link(&mut c, "gre1");
    assert!(gre_attrs(&l).contains(&InfoGre::Ttl(64)));
    assert_eq!(l.mtu(), 1476);
    assert_err(
        &set_data(
            &mut c,
            "gre1",
            "gre",
            InfoData::GreTun(gre_opts(R1, L2, Some(5), None)),
        ),
        EEXIST,
        None,
    );
    assert_err(
        &set_data(
            &mut c,
            "gre1",
            "gretap",
            InfoData::GreTap(gre_opts(R1, L2, None, None)),
        ),
        EOPNOTSUPP,
        None,
    );
    assert_ok(&gre(
        &mut c,
        "gre10",
        gre_opts([192, 0, 2, 6], [0; 4], None, None),
    ));
    let key = gre_opts([192, 0, 2, 6], [0; 4], Some(7), None);
    assert_ok(&set_data(&mut c, "gre10", "gre", InfoData::GreTun(key)));
    assert_eq!(link(&mut c, "gre10").mtu(), 1472);
    let any = gre_opts([0; 4], [0; 4], Some(7), None);
    assert_err(
        &set_data(&mut c, "gre10", "gre", InfoData::GreTun(any)),
        EINVAL,
        None,
    );
}

/// GRE-BRIDGE, BR-ENSLAVE-NONETHER, VLAN-CHALLENGED (gre#29-#37): gretap and ip6gretap are
/// bridge ports, gre is not (EINVAL); no VLAN on gre; gre has no `ndo_set_mac_address`; an
/// up gre is UNKNOWN with noqueue. Kernel: `br_add_if`, `vlan_check_real_dev`,
/// `dev_set_mac_address`, `alloc_netdev_mqs` (IFF_NO_QUEUE).
#[test]
fn gre_ports_and_stacking() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&gre(&mut c, "gre1", gre_opts(R1, L2, None, None)));
    assert_ok(&gretap(&mut c, "gt1", gre_opts(R1, L2, None, None)));
    let (r, l6) = (
        "2001:db8::1".parse().unwrap(),
        "2001:db8::2".parse().unwrap(),
    );
    assert_ok(&c.add(
        Some("g6t"),
        "ip6gretap",
        vec![],
        Some(InfoData::GreTap6(gre6_opts(r, l6))),
    ));
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("gt1", "br0"));
    assert_err(&c.master("gre1", "br0"), EINVAL, None);
    assert_ok(&c.master("g6t", "br0"));
    assert_err(
        &c.set("gre1", vec![LinkAttribute::Address(vec![1, 2, 3, 4])], None),
        EOPNOTSUPP,
        None,
    );
    assert_ok(&c.up("gre1"));
    let l = link(&mut c, "gre1");
    assert_eq!(l.operstate(), State::Unknown);
    assert_eq!(l.qdisc(), "noqueue");
    assert_err(
        &vlan(&mut c, "gre1", "gre1.5", 5, vec![]),
        EOPNOTSUPP,
        Some("8021q: VLANs not supported on device"),
    );
    assert_ok(&vlan(&mut c, "gt1", "gt1.5", 5, vec![]));
}

/// GRE-DEL-LOWER, DEL-CASCADE (delete#31-#35): deleting a gre tunnel's `dev` leaves the tunnel,
/// its IFLA_LINK still naming the old ifindex (`gre1@if2`). Kernel: no upper/lower link for
/// ip_tunnel (`ip_tunnel_get_iflink`).
#[test]
fn gre_survives_lower_deletion() {
    let (_sim, mut c) = dummy_sim();
    let eth0 = c.index("eth0");
    assert_ok(&gre(&mut c, "gre1", gre_opts(R1, [0; 4], None, Some(eth0))));
    assert_ok(&c.del("eth0"));
    assert!(exists(&mut c, "gre1"));
    let l = link(&mut c, "gre1");
    assert_eq!(l.iflink(), Some(eth0));
    assert!(gre_attrs(&l).contains(&InfoGre::Link(eth0)));
}

// ----- GENEVE (scenario geneve) ---------------------------------------------------------------

fn geneve(c: &mut common::Client, name: &str, data: Vec<InfoGeneve>) -> common::Answer {
    c.add(Some(name), "geneve", vec![], Some(InfoData::Geneve(data)))
}

fn gn(id: u32, remote: [u8; 4]) -> Vec<InfoGeneve> {
    vec![
        InfoGeneve::Id(id),
        InfoGeneve::Remote(Ipv4Addr::from(remote)),
    ]
}

fn gn_attrs(l: &netlink_packet_route::link::LinkMessage) -> Vec<InfoGeneve> {
    match info_data(l) {
        Some(InfoData::Geneve(v)) => v,
        other => panic!("no geneve info_data: {other:?}"),
    }
}

const EXT_ONE_PER_PORT: &str =
    "There can be only one externally controlled device on a destination port";

/// GENEVE-CREATE, GENEVE-DUP, GENEVE-DIFF, GENEVE-EXTERNAL, GENEVE-MCAST (geneve#1-#13): Ethernet,
/// MTU 1500 (68..65485), dstport 6081, noudpcsum; the same id+remote+port → EBUSY without
/// extack; another remote, id or port is another device; `external` on a port with devices →
/// EPERM. Kernel: `geneve_setup`, `geneve_nl2info`, `geneve_configure` (`geneve_find_dev`).
#[test]
fn geneve_create_and_identity() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&geneve(&mut c, "gn0", gn(10, R1)));
    let l = link(&mut c, "gn0");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Ether);
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(l.mtu(), 1500);
    assert_eq!((l.min_mtu(), l.max_mtu()), (68, 65485));
    assert_eq!(l.iflink(), None);
    let a = gn_attrs(&l);
    assert_eq!(
        a,
        vec![
            InfoGeneve::Id(10),
            InfoGeneve::Remote(Ipv4Addr::from(R1)),
            InfoGeneve::UdpCsum(false),
            InfoGeneve::Ttl(0),
            InfoGeneve::Tos(0),
            InfoGeneve::Label(0),
            InfoGeneve::Df(netlink_packet_route::link::GeneveDf::Unset),
            InfoGeneve::Port(6081),
            InfoGeneve::UdpZeroCsum6Rx(true),
            InfoGeneve::TtlInherit(false),
        ]
    );
    assert_err(&geneve(&mut c, "gn1", gn(10, R1)), EBUSY, None);
    assert_ok(&geneve(&mut c, "gn2", gn(10, L2)));
    assert_ok(&geneve(&mut c, "gn3", gn(11, R1)));
    let mut port = gn(10, R1);
    port.push(InfoGeneve::Port(6082));
    assert_ok(&geneve(&mut c, "gn4", port));
    let ext = |p: Option<u16>| {
        let mut v = vec![InfoGeneve::CollectMetadata];
        v.extend(p.map(InfoGeneve::Port));
        v
    };
    assert_err(
        &geneve(&mut c, "gn7", ext(None)),
        EPERM,
        Some(EXT_ONE_PER_PORT),
    );
    // An external device alone on its port (MTU from the route to 0.0.0.0: lo − 50, capped at
    // 65465); then nothing else there.
    assert_ok(&geneve(&mut c, "gx", ext(Some(7000))));
    assert_eq!(link(&mut c, "gx").mtu(), 65465);
    let mut other = gn(5, R1);
    other.push(InfoGeneve::Port(7000));
    assert_err(
        &geneve(&mut c, "gy", other),
        EPERM,
        Some("There already exists an externally controlled device on this destination port"),
    );
    // GENEVE-MCAST: iproute2 refuses it; the kernel too.
    assert_err(
        &geneve(&mut c, "gn11", gn(13, [224, 0, 0, 1])),
        EINVAL,
        Some("Remote IPv4 address cannot be Multicast"),
    );
    assert_ok(&geneve(
        &mut c,
        "gn10",
        vec![
            InfoGeneve::Id(13),
            InfoGeneve::Remote6("2001:db8::1".parse().unwrap()),
        ],
    ));
    assert_eq!(link(&mut c, "gn10").max_mtu(), 65465);
    assert_err(
        &c.add(Some("gn12"), "geneve", vec![], None),
        EINVAL,
        Some("Not enough attributes provided to perform the operation"),
    );
}

/// GENEVE-MTU, GENEVE-CHANGE (geneve#15-#23): `mtu 70000` → EINVAL "mtu greater than device
/// maximum"; changing the VNI (or the port, or the family) → EOPNOTSUPP with the long extack;
/// ttl and remote may change; an up geneve is UNKNOWN with noqueue and a bridge port. Kernel:
/// `dev_validate_mtu`, `geneve_changelink` / `geneve_nl2info`.
#[test]
fn geneve_mtu_and_changes() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&geneve(&mut c, "gn0", gn(10, R1)));
    assert_ok(&c.mtu("gn0", 9000));
    assert_err(
        &c.mtu("gn0", 70000),
        EINVAL,
        Some("mtu greater than device maximum"),
    );
    let notsup = "Changing VNI, Port, endpoint IP address family, external, \
                  inner_proto_inherit, and UDP checksum attributes are not supported";
    assert_err(
        &set_data(&mut c, "gn0", "geneve", InfoData::Geneve(gn(99, R1))),
        EOPNOTSUPP,
        Some(notsup),
    );
    let mut port = gn(10, R1);
    port.push(InfoGeneve::Port(6081));
    assert_err(
        &set_data(&mut c, "gn0", "geneve", InfoData::Geneve(port)),
        EOPNOTSUPP,
        Some(notsup),
    );
    let v6 = vec![
        InfoGeneve::Id(10),
        InfoGeneve::Remote6("2001:db8::1".parse().unwrap()),
    ];
    assert_err(
        &set_data(&mut c, "gn0", "geneve", InfoData::Geneve(v6)),
        EOPNOTSUPP,
        Some(notsup),
    );
    let mut ttl = gn(10, [192, 0, 2, 9]);
    ttl.push(InfoGeneve::Ttl(5));
    assert_ok(&set_data(&mut c, "gn0", "geneve", InfoData::Geneve(ttl)));
    let a = gn_attrs(&link(&mut c, "gn0"));
    assert!(a.contains(&InfoGeneve::Ttl(5)));
    assert!(a.contains(&InfoGeneve::Remote(Ipv4Addr::new(192, 0, 2, 9))));
    assert_eq!(link(&mut c, "gn0").mtu(), 9000);
    assert_ok(&c.up("gn0"));
    let l = link(&mut c, "gn0");
    assert_eq!(l.operstate(), State::Unknown);
    assert_eq!(l.qdisc(), "noqueue");
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("gn0", "br0"));
    // An external device changes nothing (EOPNOTSUPP, no extack).
    assert_ok(&geneve(
        &mut c,
        "gx",
        vec![InfoGeneve::CollectMetadata, InfoGeneve::Port(7000)],
    ));
    assert_err(
        &set_data(
            &mut c,
            "gx",
            "geneve",
            InfoData::Geneve(vec![InfoGeneve::Ttl(3)]),
        ),
        EOPNOTSUPP,
        None,
    );
}

/// BOND-ENSLAVE-NOMAC (gre#32-#33 and the final dump): gre3 into an empty balance-rr bond is
/// refused with EOPNOTSUPP and no extack (`dev_set_mac_address`: gre has no
/// `ndo_set_mac_address`), after `bond_setup_by_slave` made the bond a GRE device and took
/// gre3's 4-byte address: the undo (`bond_ether_setup`) leaves the bond Ethernet with max MTU
/// 1500 and a MAC made of 192.0.2.2 and the last two bytes of its random one; gre3 keeps its
/// MTU (set to the bond's and back).
#[test]
fn gre_into_bond_fails_and_reshapes_the_bond() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&gre(&mut c, "gre3", gre_opts(R1, L2, Some(5), None)));
    assert_ok(&c.add_simple("bond0", "bond"));
    let before = link(&mut c, "bond0");
    assert_eq!(
        before.attr(|a| match a {
            LinkAttribute::MaxMtu(m) => Some(*m),
            _ => None,
        }),
        Some(65535)
    );
    let gre_mtu = link(&mut c, "gre3").mtu();
    assert_err(&c.master("gre3", "bond0"), EOPNOTSUPP, None);
    let after = link(&mut c, "bond0");
    assert_eq!(
        after.attr(|a| match a {
            LinkAttribute::MaxMtu(m) => Some(*m),
            _ => None,
        }),
        Some(1500)
    );
    let mac = after.mac();
    assert_eq!(mac[..4], [192, 0, 2, 2]);
    assert_eq!(mac[4..], before.mac()[4..]);
    assert_eq!(after.master(), None);
    let g = link(&mut c, "gre3");
    assert_eq!((g.mtu(), g.master()), (gre_mtu, None));
}
