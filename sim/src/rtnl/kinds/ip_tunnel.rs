//! ipip (net/ipv4/ipip.c: `ipip_policy`, `ipip_fill_info`), sit (net/ipv6/sit.c:
//! `ipip6_policy`, `ipip6_fill_info`) and vti (net/ipv4/ip_vti.c: `vti_policy`,
//! `vti_fill_info`). The attributes are read straight from the table (netlink-packet-route
//! reads IFLA_IPTUN_* only with the kind as a parameter) and written with its typed variants,
//! in the order of the kernel's fill functions.

use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::NlaType::{Flag, Unspec, U16, U32, U8};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use kernel_model::kinds::ip_tunnel::{IpTunnelData, IpTunnelInfo, IpTunnelKind};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{
    InfoData, InfoIpTunnel, InfoVti, TunnelEncapFlags, TunnelEncapType,
};
use netlink_packet_route::IpProtocol;
use std::net::IpAddr;

// IFLA_IPTUN_* (include/uapi/linux/if_tunnel.h); IFLA_IPTUN_MAX is IFLA_IPTUN_FWMARK.
pub const IFLA_IPTUN_LINK: u16 = 1;
pub const IFLA_IPTUN_LOCAL: u16 = 2;
pub const IFLA_IPTUN_REMOTE: u16 = 3;
pub const IFLA_IPTUN_TTL: u16 = 4;
pub const IFLA_IPTUN_TOS: u16 = 5;
pub const IFLA_IPTUN_FLAGS: u16 = 8;
pub const IFLA_IPTUN_PROTO: u16 = 9;
pub const IFLA_IPTUN_PMTUDISC: u16 = 10;
pub const IFLA_IPTUN_6RD_PREFIX: u16 = 11;
pub const IFLA_IPTUN_6RD_RELAY_PREFIX: u16 = 12;
pub const IFLA_IPTUN_6RD_PREFIXLEN: u16 = 13;
pub const IFLA_IPTUN_6RD_RELAY_PREFIXLEN: u16 = 14;
pub const IFLA_IPTUN_ENCAP_TYPE: u16 = 15;
pub const IFLA_IPTUN_ENCAP_FLAGS: u16 = 16;
pub const IFLA_IPTUN_ENCAP_SPORT: u16 = 17;
pub const IFLA_IPTUN_ENCAP_DPORT: u16 = 18;
pub const IFLA_IPTUN_COLLECT_METADATA: u16 = 19;
pub const IFLA_IPTUN_FWMARK: u16 = 20;
pub const IFLA_IPTUN_MAX: u16 = 20;

// IFLA_VTI_*; IFLA_VTI_MAX is IFLA_VTI_FWMARK.
pub const IFLA_VTI_LINK: u16 = 1;
pub const IFLA_VTI_IKEY: u16 = 2;
pub const IFLA_VTI_OKEY: u16 = 3;
pub const IFLA_VTI_LOCAL: u16 = 4;
pub const IFLA_VTI_REMOTE: u16 = 5;
pub const IFLA_VTI_FWMARK: u16 = 6;
pub const IFLA_VTI_MAX: u16 = 6;

const fn t(kind: NlaType) -> AttrPolicy {
    AttrPolicy::of(kind)
}

/// `ipip_policy` (`sit` false) and `ipip6_policy` (`sit` true, CONFIG_IPV6_SIT_6RD): LOCAL
/// and REMOTE are NLA_U32; sit adds FLAGS and the 6rd attributes and has no
/// COLLECT_METADATA entry.
const fn iptun_table(sit: bool) -> [AttrPolicy; IFLA_IPTUN_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_IPTUN_MAX as usize + 1];
    p[IFLA_IPTUN_LINK as usize] = t(U32);
    p[IFLA_IPTUN_LOCAL as usize] = t(U32);
    p[IFLA_IPTUN_REMOTE as usize] = t(U32);
    p[IFLA_IPTUN_TTL as usize] = t(U8);
    p[IFLA_IPTUN_TOS as usize] = t(U8);
    p[IFLA_IPTUN_PROTO as usize] = t(U8);
    p[IFLA_IPTUN_PMTUDISC as usize] = t(U8);
    p[IFLA_IPTUN_ENCAP_TYPE as usize] = t(U16);
    p[IFLA_IPTUN_ENCAP_FLAGS as usize] = t(U16);
    p[IFLA_IPTUN_ENCAP_SPORT as usize] = t(U16);
    p[IFLA_IPTUN_ENCAP_DPORT as usize] = t(U16);
    p[IFLA_IPTUN_FWMARK as usize] = t(U32);
    if sit {
        p[IFLA_IPTUN_FLAGS as usize] = t(U16);
        p[IFLA_IPTUN_6RD_PREFIX as usize] = AttrPolicy::with_len(Unspec, 16);
        p[IFLA_IPTUN_6RD_RELAY_PREFIX as usize] = t(U32);
        p[IFLA_IPTUN_6RD_PREFIXLEN as usize] = t(U16);
        p[IFLA_IPTUN_6RD_RELAY_PREFIXLEN as usize] = t(U16);
    } else {
        p[IFLA_IPTUN_COLLECT_METADATA as usize] = t(Flag);
    }
    p
}

static IPIP_TABLE: [AttrPolicy; IFLA_IPTUN_MAX as usize + 1] = iptun_table(false);
static IPIP6_TABLE: [AttrPolicy; IFLA_IPTUN_MAX as usize + 1] = iptun_table(true);

/// `vti_policy`: LOCAL and REMOTE by length (`sizeof_field(struct iphdr, saddr)`).
static VTI_TABLE: [AttrPolicy; IFLA_VTI_MAX as usize + 1] = {
    let mut p = [AttrPolicy::UNSPEC; IFLA_VTI_MAX as usize + 1];
    p[IFLA_VTI_LINK as usize] = t(U32);
    p[IFLA_VTI_IKEY as usize] = t(U32);
    p[IFLA_VTI_OKEY as usize] = t(U32);
    p[IFLA_VTI_LOCAL as usize] = AttrPolicy::with_len(Unspec, 4);
    p[IFLA_VTI_REMOTE as usize] = AttrPolicy::with_len(Unspec, 4);
    p[IFLA_VTI_FWMARK as usize] = t(U32);
    p
};

pub static IPIP_POLICY: Policy = Policy {
    name: "ipip_policy",
    strict_start_type: 0,
    attrs: &IPIP_TABLE,
};

pub static IPIP6_POLICY: Policy = Policy {
    name: "ipip6_policy",
    strict_start_type: 0,
    attrs: &IPIP6_TABLE,
};

pub static VTI_POLICY: Policy = Policy {
    name: "vti_policy",
    strict_start_type: 0,
    attrs: &VTI_TABLE,
};

pub static IPIP: LinkKindWire = LinkKindWire {
    kind: "ipip",
    policy: Some(&IPIP_POLICY),
    decode: Some(decode_iptun),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

pub static SIT: LinkKindWire = LinkKindWire {
    kind: "sit",
    policy: Some(&IPIP6_POLICY),
    decode: Some(decode_iptun),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

pub static VTI: LinkKindWire = LinkKindWire {
    kind: "vti",
    policy: Some(&VTI_POLICY),
    decode: Some(decode_vti),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: IpTunnelData) -> KindData {
    KindData::new(d)
}

/// IFLA_IPTUN_* as `ip_tunnel_netlink_parms`, `ip_tunnel_netlink_encap_parms`,
/// `ipip6_netlink_6rd_parms` and the kinds' parms functions read them (FLAGS and
/// COLLECT_METADATA are read whether or not the kind's policy lists them: `nla_parse` fills
/// `data[]` up to maxtype).
fn decode_iptun(a: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(IpTunnelData {
        link: a.u32(IFLA_IPTUN_LINK),
        local: a.in_addr(IFLA_IPTUN_LOCAL),
        remote: a.in_addr(IFLA_IPTUN_REMOTE),
        ttl: a.u8(IFLA_IPTUN_TTL),
        tos: a.u8(IFLA_IPTUN_TOS),
        pmtudisc: a.u8(IFLA_IPTUN_PMTUDISC),
        flags: a.be16(IFLA_IPTUN_FLAGS),
        proto: a.u8(IFLA_IPTUN_PROTO),
        ip6rd_prefix: a.in6_addr(IFLA_IPTUN_6RD_PREFIX),
        ip6rd_relay_prefix: a.in_addr(IFLA_IPTUN_6RD_RELAY_PREFIX),
        ip6rd_prefixlen: a.u16(IFLA_IPTUN_6RD_PREFIXLEN),
        ip6rd_relay_prefixlen: a.u16(IFLA_IPTUN_6RD_RELAY_PREFIXLEN),
        encap_type: a.u16(IFLA_IPTUN_ENCAP_TYPE),
        encap_flags: a.u16(IFLA_IPTUN_ENCAP_FLAGS),
        encap_sport: a.be16(IFLA_IPTUN_ENCAP_SPORT),
        encap_dport: a.be16(IFLA_IPTUN_ENCAP_DPORT),
        collect_metadata: a.flag(IFLA_IPTUN_COLLECT_METADATA),
        fwmark: a.u32(IFLA_IPTUN_FWMARK),
        ikey: None,
        okey: None,
    }))
}

/// IFLA_VTI_* as `vti_netlink_parms` reads them.
fn decode_vti(a: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(IpTunnelData {
        link: a.u32(IFLA_VTI_LINK),
        ikey: a.be32(IFLA_VTI_IKEY),
        okey: a.be32(IFLA_VTI_OKEY),
        local: a.in_addr(IFLA_VTI_LOCAL),
        remote: a.in_addr(IFLA_VTI_REMOTE),
        fwmark: a.u32(IFLA_VTI_FWMARK),
        ..IpTunnelData::default()
    }))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let s = info.downcast_ref::<IpTunnelInfo>()?;
    Some(match s.kind {
        IpTunnelKind::Ipip => InfoData::IpTunnel(ipip_fill_info(s)),
        IpTunnelKind::Sit => InfoData::IpTunnel(ipip6_fill_info(s)),
        IpTunnelKind::Vti => InfoData::Vti(vti_fill_info(s)),
    })
}

fn encap(s: &IpTunnelInfo) -> [InfoIpTunnel; 4] {
    [
        InfoIpTunnel::EncapType(TunnelEncapType::from(s.encap.kind)),
        InfoIpTunnel::EncapSPort(s.encap.sport),
        InfoIpTunnel::EncapDPort(s.encap.dport),
        InfoIpTunnel::EncapFlags(TunnelEncapFlags::from_bits_retain(s.encap.flags)),
    ]
}

/// `ipip_fill_info`.
fn ipip_fill_info(s: &IpTunnelInfo) -> Vec<InfoIpTunnel> {
    let mut a = vec![
        InfoIpTunnel::Link(s.parms.link),
        InfoIpTunnel::Local(IpAddr::V4(s.parms.local)),
        InfoIpTunnel::Remote(IpAddr::V4(s.parms.remote)),
        InfoIpTunnel::Ttl(s.parms.ttl),
        InfoIpTunnel::Tos(s.parms.tos),
        InfoIpTunnel::Protocol(IpProtocol::from(s.parms.protocol)),
        InfoIpTunnel::PMtuDisc(s.parms.pmtudisc),
        InfoIpTunnel::FwMark(s.fwmark),
    ];
    a.extend(encap(s));
    if s.collect_md {
        a.push(InfoIpTunnel::CollectMetadata);
    }
    a
}

/// `ipip6_fill_info` (with the 6rd attributes of CONFIG_IPV6_SIT_6RD).
fn ipip6_fill_info(s: &IpTunnelInfo) -> Vec<InfoIpTunnel> {
    let mut a = vec![
        InfoIpTunnel::Link(s.parms.link),
        InfoIpTunnel::Local(IpAddr::V4(s.parms.local)),
        InfoIpTunnel::Remote(IpAddr::V4(s.parms.remote)),
        InfoIpTunnel::Ttl(s.parms.ttl),
        InfoIpTunnel::Tos(s.parms.tos),
        InfoIpTunnel::PMtuDisc(s.parms.pmtudisc),
        InfoIpTunnel::Protocol(IpProtocol::from(s.parms.protocol)),
        // nla_put_be16(ip_tunnel_flags_to_be16(i_flags)): the big-endian bytes of the value.
        InfoIpTunnel::Ipv6SitFlags(s.parms.i_flags),
        InfoIpTunnel::FwMark(s.fwmark),
    ];
    if let Some(r) = &s.ip6rd {
        a.extend([
            InfoIpTunnel::Ipv6RdPrefix(r.prefix),
            InfoIpTunnel::Ipv6RdRelayPrefix(r.relay_prefix),
            InfoIpTunnel::Ipv6RdPrefixLen(r.prefixlen),
            InfoIpTunnel::Ipv6RdRelayPrefixLen(r.relay_prefixlen),
        ]);
    }
    a.extend(encap(s));
    a
}

/// `vti_fill_info`.
fn vti_fill_info(s: &IpTunnelInfo) -> Vec<InfoVti> {
    vec![
        InfoVti::Link(s.parms.link),
        InfoVti::IKey(s.parms.i_key),
        InfoVti::OKey(s.parms.o_key),
        InfoVti::Local(IpAddr::V4(s.parms.local)),
        InfoVti::Remote(IpAddr::V4(s.parms.remote)),
        InfoVti::FwMark(s.fwmark),
    ]
}
