//! ipip, sit and vti on the wire (golden/kernel/6.12/iptunnels-ipip-sit.txt,
//! iptunnels-vti-erspan.txt): the policies (`ipip_policy`, `ipip6_policy`, `vti_policy`) and
//! the fill functions' attribute sets and order (`ipip_fill_info`, `ipip6_fill_info`,
//! `vti_fill_info`). Requests are shaped like iproute2 6.1's `ip link add NAME type
//! ipip|sit|vti ...`. eth0..eth2 are netdevsim ports.

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EEXIST, EINVAL, ERANGE};
use netlink_packet_core::DefaultNla;
use netlink_packet_route::link::{
    InfoData, InfoIpTunnel, InfoVti, LinkLayerType, TunnelEncapFlags, TunnelEncapType,
};
use netlink_packet_route::IpProtocol;
use rules_support::*;
use stacked_support::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const IFF_POINTOPOINT: u32 = 0x10;
const R1: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const L2: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);

/// iproute2's `link_iptnl.c` request for ipip/sit with `remote R local L`.
fn iptun(remote: Ipv4Addr, local: Ipv4Addr, more: Vec<InfoIpTunnel>) -> Vec<InfoIpTunnel> {
    let mut a = vec![
        InfoIpTunnel::Link(0),
        InfoIpTunnel::Local(IpAddr::V4(local)),
        InfoIpTunnel::Remote(IpAddr::V4(remote)),
        InfoIpTunnel::Ttl(0),
        InfoIpTunnel::Tos(0),
        InfoIpTunnel::PMtuDisc(true),
        InfoIpTunnel::Protocol(IpProtocol::from(0u8)),
        InfoIpTunnel::EncapType(TunnelEncapType::None),
        InfoIpTunnel::EncapFlags(TunnelEncapFlags::empty()),
        InfoIpTunnel::EncapSPort(0),
        InfoIpTunnel::EncapDPort(0),
    ];
    a.extend(more);
    a
}

fn add(c: &mut common::Client, name: &str, kind: &str, data: Vec<InfoIpTunnel>) -> common::Answer {
    c.add(Some(name), kind, vec![], Some(InfoData::IpTunnel(data)))
}

fn iptun_attrs(l: &netlink_packet_route::link::LinkMessage) -> Vec<InfoIpTunnel> {
    match info_data(l) {
        Some(InfoData::IpTunnel(v)) => v,
        other => panic!("no ip tunnel info_data: {other:?}"),
    }
}

/// `ipip_fill_info`: LINK, LOCAL, REMOTE, TTL, TOS, PROTO, PMTUDISC, FWMARK, the encap
/// attributes, COLLECT_METADATA only when external; `link/ipip` POINTOPOINT,NOARP mtu 1480
/// (iptunnels-ipip-sit CMD[1], CMD[2], CMD[16], CMD[17]).
#[test]
fn ipip_fill_info_order() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&add(&mut c, "ipip1", "ipip", iptun(R1, L2, vec![])));
    let l = link(&mut c, "ipip1");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Tunnel);
    assert_eq!(l.flags(), IFF_POINTOPOINT | IFF_NOARP);
    assert_eq!((l.mtu(), l.min_mtu(), l.max_mtu()), (1480, 0, 0));
    assert_eq!(l.mac(), L2.octets().to_vec());
    assert_eq!(l.iflink(), Some(0));
    assert_eq!(
        iptun_attrs(&l),
        vec![
            InfoIpTunnel::Link(0),
            InfoIpTunnel::Local(IpAddr::V4(L2)),
            InfoIpTunnel::Remote(IpAddr::V4(R1)),
            InfoIpTunnel::Ttl(0),
            InfoIpTunnel::Tos(0),
            InfoIpTunnel::Protocol(IpProtocol::from(0u8)),
            InfoIpTunnel::PMtuDisc(true),
            InfoIpTunnel::FwMark(0),
            InfoIpTunnel::EncapType(TunnelEncapType::None),
            InfoIpTunnel::EncapSPort(0),
            InfoIpTunnel::EncapDPort(0),
            InfoIpTunnel::EncapFlags(TunnelEncapFlags::empty()),
        ]
    );
    assert_err(
        &add(&mut c, "ipip2", "ipip", iptun(R1, L2, vec![])),
        EEXIST,
        None,
    );
    let ext = vec![
        InfoIpTunnel::Protocol(IpProtocol::from(0u8)),
        InfoIpTunnel::CollectMetadata,
    ];
    assert_ok(&add(&mut c, "ipipx1", "ipip", ext.clone()));
    let l = link(&mut c, "ipipx1");
    assert_eq!(l.flags(), IFF_NOARP);
    assert_eq!(iptun_attrs(&l).last(), Some(&InfoIpTunnel::CollectMetadata));
    assert_err(&add(&mut c, "ipipx2", "ipip", ext), EEXIST, None);
    // ipip_tunnel_validate: IPPROTO_IPV6 is not an ipip mode.
    let ip6ip = iptun(
        R1,
        Ipv4Addr::UNSPECIFIED,
        vec![InfoIpTunnel::Protocol(IpProtocol::from(41u8))],
    );
    assert_err(&add(&mut c, "ipip3", "ipip", ip6ip), EINVAL, None);
}

/// `ipip_policy`: IFLA_IPTUN_LOCAL is NLA_U32, a shorter one fails validation (`validate_nla`:
/// ERANGE, "Attribute failed policy validation").
#[test]
fn ipip_policy_lengths() {
    let (_sim, mut c) = nsim_sim();
    let short = vec![InfoIpTunnel::Other(DefaultNla::new(2, vec![192, 0]))];
    let a = add(&mut c, "ipip1", "ipip", short);
    assert_err(&a, ERANGE, Some("Attribute failed policy validation"));
}

/// `ipip6_fill_info`: FLAGS round-trips (SIT_ISATAP as iproute2 writes it), the 6rd
/// attributes follow FWMARK with the 2002::/16 default, no COLLECT_METADATA; `link/sit`,
/// min/max MTU 1280/65555 (iptunnels-ipip-sit CMD[27], CMD[34], CMD[36], CMD[38]).
#[test]
fn sit_fill_info_and_flags() {
    let (_sim, mut c) = nsim_sim();
    // iproute2: addattr16(IFLA_IPTUN_FLAGS, SIT_ISATAP) in host order, bytes 01 00.
    let isatap = InfoIpTunnel::Ipv6SitFlags(0x0100);
    let data = iptun(
        Ipv4Addr::UNSPECIFIED,
        Ipv4Addr::new(192, 0, 2, 6),
        vec![isatap.clone()],
    );
    assert_ok(&add(&mut c, "sit6", "sit", data));
    let l = link(&mut c, "sit6");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Sit);
    assert_eq!(l.flags(), IFF_NOARP);
    assert_eq!((l.mtu(), l.min_mtu(), l.max_mtu()), (1480, 1280, 65555));
    let a = iptun_attrs(&l);
    assert_eq!(a[6], InfoIpTunnel::Protocol(IpProtocol::from(0u8)));
    assert_eq!(a[7], isatap);
    assert_eq!(a[8], InfoIpTunnel::FwMark(0));
    assert_eq!(
        a[9],
        InfoIpTunnel::Ipv6RdPrefix(Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0))
    );
    assert_eq!(a[11], InfoIpTunnel::Ipv6RdPrefixLen(16));
    assert_eq!(a.len(), 17);
    assert!(!a.contains(&InfoIpTunnel::CollectMetadata));
    // ipip6_tunnel_locate: the isatap flag is not part of the key.
    let again = iptun(Ipv4Addr::UNSPECIFIED, Ipv4Addr::new(192, 0, 2, 6), vec![]);
    assert_err(&add(&mut c, "sit7", "sit", again), EEXIST, None);
    // MTU limits from ipip6_tunnel_setup, refused by dev_validate_mtu with extack.
    assert_err(
        &c.mtu("sit6", 70000),
        EINVAL,
        Some("mtu greater than device maximum"),
    );
}

/// `vti_fill_info`: LINK, IKEY, OKEY, LOCAL, REMOTE, FWMARK; the keys are not part of the
/// identity (iptunnels-vti-erspan CMD[1]..[4]).
#[test]
fn vti_fill_info_order() {
    let (_sim, mut c) = nsim_sim();
    let vti = |ikey: u32, okey: u32| {
        InfoData::Vti(vec![
            InfoVti::Link(0),
            InfoVti::IKey(ikey),
            InfoVti::OKey(okey),
            InfoVti::Local(IpAddr::V4(L2)),
            InfoVti::Remote(IpAddr::V4(R1)),
        ])
    };
    assert_ok(&c.add(Some("vti1"), "vti", vec![], Some(vti(5, 6))));
    let l = link(&mut c, "vti1");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Tunnel);
    assert_eq!(l.flags(), IFF_POINTOPOINT | IFF_NOARP);
    assert_eq!(
        info_data(&l),
        Some(InfoData::Vti(vec![
            InfoVti::Link(0),
            InfoVti::IKey(5),
            InfoVti::OKey(6),
            InfoVti::Local(IpAddr::V4(L2)),
            InfoVti::Remote(IpAddr::V4(R1)),
            InfoVti::FwMark(0),
        ]))
    );
    assert_err(
        &c.add(Some("vti2"), "vti", vec![], Some(vti(5, 7))),
        EEXIST,
        None,
    );
    assert_err(
        &c.add(Some("vti3"), "vti", vec![], Some(vti(6, 0))),
        EEXIST,
        None,
    );
}
