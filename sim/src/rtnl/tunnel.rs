//! IFLA_INFO_DATA of the tunnel kinds (vxlan, gre/gretap/ip6gre/ip6gretap, geneve): decoded
//! into the model's request data and encoded from its `fill_info` views in the kernel's order
//! (`vxlan_fill_info`, `ipgre_fill_info`, `ip6gre_fill_info`, `geneve_fill_info`).
//!
//! What netlink-packet-route 0.34 lacks for GRE is filled in by [`gre_gaps`].

use kernel_model::kinds::geneve::{GeneveData, GeneveInfo};
use kernel_model::kinds::gre::{GreData, GreInfo, GreKind};
use kernel_model::kinds::vxlan::{attr, flag, FlagAttr, VxlanData, VxlanInfo};
use netlink_packet_route::link::{
    GeneveDf, GreEncapFlags, GreEncapType, GreIOFlags, InfoData, InfoGeneve, InfoGre, InfoGre6,
    InfoVxlan, VxlanDf,
};
use std::net::IpAddr;

/// IFLA_VXLAN_* as `vxlan_nl2conf` reads them (the last attribute of a type wins; GROUP
/// before GROUP6 and LOCAL before LOCAL6).
pub fn decode_vxlan(nlas: &[InfoVxlan]) -> VxlanData {
    let mut d = VxlanData::default();
    let (mut g4, mut g6, mut l4, mut l6) = (None, None, None, None);
    let mut flags: Vec<FlagAttr> = Vec::new();
    let mut set = |attr: u16, value: bool| {
        flags.retain(|f| f.attr != attr);
        flags.push(FlagAttr { attr, value });
    };
    for n in nlas {
        match n {
            InfoVxlan::Id(v) => d.id = Some(*v),
            InfoVxlan::Group(a) => g4 = Some(IpAddr::V4(*a)),
            InfoVxlan::Group6(a) => g6 = Some(IpAddr::V6(*a)),
            InfoVxlan::Local(a) => l4 = Some(IpAddr::V4(*a)),
            InfoVxlan::Local6(a) => l6 = Some(IpAddr::V6(*a)),
            InfoVxlan::Link(v) => d.link = Some(*v),
            InfoVxlan::Tos(v) => d.tos = Some(*v),
            InfoVxlan::Ttl(v) => d.ttl = Some(*v),
            InfoVxlan::Label(v) => d.label = Some(*v),
            InfoVxlan::LabelPolicy(v) => d.label_policy = Some(*v),
            InfoVxlan::Ageing(v) => d.ageing = Some(*v),
            InfoVxlan::Limit(v) => d.limit = Some(*v),
            InfoVxlan::PortRange(r) => d.port_range = Some(*r),
            InfoVxlan::Port(p) => d.port = Some(*p),
            InfoVxlan::UDPCsum(v) => d.udp_csum = Some(*v),
            InfoVxlan::Df(v) => d.df = Some(u8::from(*v)),
            InfoVxlan::Learning(v) => set(attr::LEARNING, *v),
            InfoVxlan::Proxy(v) => set(attr::PROXY, *v),
            InfoVxlan::Rsc(v) => set(attr::RSC, *v),
            InfoVxlan::L2Miss(v) => set(attr::L2MISS, *v),
            InfoVxlan::L3Miss(v) => set(attr::L3MISS, *v),
            InfoVxlan::CollectMetadata(v) => set(attr::COLLECT_METADATA, *v),
            InfoVxlan::UDPZeroCsumTX(v) => set(attr::UDP_ZERO_CSUM6_TX, *v),
            InfoVxlan::UDPZeroCsumRX(v) => set(attr::UDP_ZERO_CSUM6_RX, *v),
            InfoVxlan::RemCsumTX(v) => set(attr::REMCSUM_TX, *v),
            InfoVxlan::RemCsumRX(v) => set(attr::REMCSUM_RX, *v),
            InfoVxlan::Vnifilter(v) => set(attr::VNIFILTER, *v),
            InfoVxlan::Localbypass(v) => set(attr::LOCALBYPASS, *v),
            // NLA_FLAG attributes: present means set.
            InfoVxlan::Gbp => set(attr::GBP, true),
            InfoVxlan::Gpe => set(attr::GPE, true),
            InfoVxlan::RemCsumNoPartial => set(attr::REMCSUM_NOPARTIAL, true),
            InfoVxlan::TtlInheritFlag | InfoVxlan::TtlInherit(_) => set(attr::TTL_INHERIT, true),
            _ => {}
        }
    }
    d.flags = flags;
    d.group = g4.or(g6);
    d.local = l4.or(l6);
    d
}

/// `vxlan_fill_info`.
pub fn encode_vxlan(c: &VxlanInfo) -> Vec<InfoVxlan> {
    let f = |m: u32| c.flags & m != 0;
    let mut a = vec![InfoVxlan::Id(c.vni)];
    match c.remote {
        Some(IpAddr::V4(g)) if !g.is_unspecified() => a.push(InfoVxlan::Group(g)),
        Some(IpAddr::V6(g)) if !g.is_unspecified() => a.push(InfoVxlan::Group6(g)),
        _ => {}
    }
    if c.remote_ifindex != 0 {
        a.push(InfoVxlan::Link(c.remote_ifindex));
    }
    match c.saddr {
        Some(IpAddr::V4(l)) if !l.is_unspecified() => a.push(InfoVxlan::Local(l)),
        Some(IpAddr::V6(l)) if !l.is_unspecified() => a.push(InfoVxlan::Local6(l)),
        _ => {}
    }
    a.extend([
        InfoVxlan::Ttl(c.ttl),
        InfoVxlan::TtlInherit(u8::from(f(flag::TTL_INHERIT))),
        InfoVxlan::Tos(c.tos),
        InfoVxlan::Df(VxlanDf::from(c.df)),
        InfoVxlan::Label(c.label),
        InfoVxlan::LabelPolicy(c.label_policy),
        InfoVxlan::Learning(f(flag::LEARN)),
        InfoVxlan::Proxy(f(flag::PROXY)),
        InfoVxlan::Rsc(f(flag::RSC)),
        InfoVxlan::L2Miss(f(flag::L2MISS)),
        InfoVxlan::L3Miss(f(flag::L3MISS)),
        InfoVxlan::CollectMetadata(f(flag::COLLECT_METADATA)),
        InfoVxlan::Ageing(c.age_interval),
        InfoVxlan::Limit(c.addrmax),
        InfoVxlan::Port(c.dst_port),
        InfoVxlan::UDPCsum(!f(flag::UDP_ZERO_CSUM_TX)),
        InfoVxlan::UDPZeroCsumTX(f(flag::UDP_ZERO_CSUM6_TX)),
        InfoVxlan::UDPZeroCsumRX(f(flag::UDP_ZERO_CSUM6_RX)),
        InfoVxlan::RemCsumTX(f(flag::REMCSUM_TX)),
        InfoVxlan::RemCsumRX(f(flag::REMCSUM_RX)),
        InfoVxlan::Localbypass(f(flag::LOCALBYPASS)),
        InfoVxlan::PortRange((c.port_min, c.port_max)),
    ]);
    if f(flag::GBP) {
        a.push(InfoVxlan::Gbp);
    }
    if f(flag::GPE) {
        a.push(InfoVxlan::Gpe);
    }
    if f(flag::REMCSUM_NOPARTIAL) {
        a.push(InfoVxlan::RemCsumNoPartial);
    }
    if f(flag::VNIFILTER) {
        a.push(InfoVxlan::Vnifilter(true));
    }
    a
}

/// IFLA_GRE_* of gre and gretap (`ipgre_netlink_parms` reads the last of each type).
/// PMTUDISC and IGNORE_DF are set from the raw bytes by [`gre_gaps::fixup_from_raw`].
pub fn decode_gre(nlas: &[InfoGre]) -> GreData {
    let mut d = GreData::default();
    for n in nlas {
        match n {
            InfoGre::Link(v) => d.link = Some(*v),
            InfoGre::IFlags(f) => d.iflags = Some(f.bits()),
            InfoGre::OFlags(f) => d.oflags = Some(f.bits()),
            InfoGre::IKey(v) => d.ikey = Some(*v),
            InfoGre::OKey(v) => d.okey = Some(*v),
            InfoGre::Local(a) => d.local = Some(IpAddr::V4(*a)),
            InfoGre::Remote(a) => d.remote = Some(IpAddr::V4(*a)),
            InfoGre::Ttl(v) => d.ttl = Some(*v),
            InfoGre::Tos(v) => d.tos = Some(*v),
            InfoGre::PathMTUDiscovery(v) => d.pmtudisc = Some(u8::from(*v)),
            InfoGre::EncapType(t) => d.encap_type = Some(u16::from(t)),
            InfoGre::EncapFlags(f) => d.encap_flags = Some(f.bits()),
            InfoGre::SourcePort(v) => d.encap_sport = Some(*v),
            InfoGre::DestinationPort(v) => d.encap_dport = Some(*v),
            InfoGre::CollectMetadata => d.collect_metadata = true,
            InfoGre::FwMask(v) => d.fwmark = Some(*v),
            _ => {}
        }
    }
    d
}

/// IFLA_GRE_* of ip6gre and ip6gretap (`ip6gre_netlink_parms`); FLAGS comes from the raw bytes.
pub fn decode_gre6(nlas: &[InfoGre6]) -> GreData {
    let mut d = GreData::default();
    for n in nlas {
        match n {
            InfoGre6::Link(v) => d.link = Some(*v),
            InfoGre6::IFlags(f) => d.iflags = Some(f.bits()),
            InfoGre6::OFlags(f) => d.oflags = Some(f.bits()),
            InfoGre6::IKey(v) => d.ikey = Some(*v),
            InfoGre6::OKey(v) => d.okey = Some(*v),
            InfoGre6::Local(a) => d.local = Some(IpAddr::V6(*a)),
            InfoGre6::Remote(a) => d.remote = Some(IpAddr::V6(*a)),
            InfoGre6::Ttl(v) => d.ttl = Some(*v),
            InfoGre6::EncapLimit(v) => d.encap_limit = Some(*v),
            InfoGre6::FlowLabel(v) => d.flowinfo = Some(*v),
            InfoGre6::EncapType(t) => d.encap_type = Some(u16::from(t)),
            InfoGre6::EncapFlags(f) => d.encap_flags = Some(f.bits()),
            InfoGre6::SourcePort(v) => d.encap_sport = Some(*v),
            InfoGre6::DestinationPort(v) => d.encap_dport = Some(*v),
            InfoGre6::CollectMetadata => d.collect_metadata = true,
            InfoGre6::FwMask(v) => d.fwmark = Some(*v),
            _ => {}
        }
    }
    d
}

/// `ipgre_fill_info` (gre, gretap) and `ip6gre_fill_info` (ip6gre, ip6gretap).
pub fn encode_gre(s: &GreInfo) -> InfoData {
    let p = &s.parms;
    if s.kind.is_v6() {
        let v6 = |a: IpAddr| match a {
            IpAddr::V6(a) => a,
            IpAddr::V4(a) => a.to_ipv6_mapped(),
        };
        let mut a = vec![
            InfoGre6::Link(p.link),
            InfoGre6::IFlags(GreIOFlags::from_bits_retain(p.i_flags)),
            InfoGre6::OFlags(GreIOFlags::from_bits_retain(p.o_flags)),
            InfoGre6::IKey(p.i_key),
            InfoGre6::OKey(p.o_key),
            InfoGre6::Local(v6(p.local)),
            InfoGre6::Remote(v6(p.remote)),
            InfoGre6::Ttl(p.ttl),
            InfoGre6::EncapLimit(p.encap_limit),
            InfoGre6::FlowLabel(p.flowinfo),
            InfoGre6::Other(gre_gaps::flags(p.flags)),
            InfoGre6::FwMask(p.fwmark),
            InfoGre6::EncapType(GreEncapType::from(s.encap.kind)),
            InfoGre6::SourcePort(s.encap.sport),
            InfoGre6::DestinationPort(s.encap.dport),
            InfoGre6::EncapFlags(GreEncapFlags::from_bits_retain(s.encap.flags)),
        ];
        if p.collect_md {
            a.push(InfoGre6::CollectMetadata);
        }
        return if s.kind == GreKind::Ip6GreTap {
            InfoData::GreTap6(a)
        } else {
            InfoData::GreTun6(a)
        };
    }
    let v4 = |a: IpAddr| match a {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => std::net::Ipv4Addr::UNSPECIFIED,
    };
    let mut a = vec![
        InfoGre::Link(p.link),
        InfoGre::IFlags(GreIOFlags::from_bits_retain(p.i_flags)),
        InfoGre::OFlags(GreIOFlags::from_bits_retain(p.o_flags)),
        InfoGre::IKey(p.i_key),
        InfoGre::OKey(p.o_key),
        InfoGre::Local(v4(p.local)),
        InfoGre::Remote(v4(p.remote)),
        InfoGre::Ttl(p.ttl),
        InfoGre::Tos(p.tos),
        InfoGre::PathMTUDiscovery(p.pmtudisc),
        InfoGre::FwMask(p.fwmark),
        InfoGre::EncapType(GreEncapType::from(s.encap.kind)),
        InfoGre::SourcePort(s.encap.sport),
        InfoGre::DestinationPort(s.encap.dport),
        InfoGre::EncapFlags(GreEncapFlags::from_bits_retain(s.encap.flags)),
        InfoGre::Other(gre_gaps::ignore_df(s.ignore_df)),
    ];
    if s.collect_md {
        a.push(InfoGre::CollectMetadata);
    }
    if s.kind == GreKind::GreTap {
        InfoData::GreTap(a)
    } else {
        InfoData::GreTun(a)
    }
}

/// IFLA_GENEVE_* as `geneve_nl2info` reads them (the last of each type). IFLA_GENEVE_LOCAL and
/// LOCAL6, which the crate knows, are above 6.12's maxtype: ignored like the kernel does.
pub fn decode_geneve(nlas: &[InfoGeneve]) -> GeneveData {
    let mut d = GeneveData::default();
    for n in nlas {
        match n {
            InfoGeneve::Id(v) => d.id = Some(*v),
            InfoGeneve::Remote(a) => d.remote = Some(*a),
            InfoGeneve::Remote6(a) => d.remote6 = Some(*a),
            InfoGeneve::Ttl(v) => d.ttl = Some(*v),
            InfoGeneve::Tos(v) => d.tos = Some(*v),
            InfoGeneve::Port(v) => d.port = Some(*v),
            InfoGeneve::CollectMetadata => d.collect_metadata = true,
            InfoGeneve::UdpCsum(v) => d.udp_csum = Some(u8::from(*v)),
            InfoGeneve::UdpZeroCsum6Tx(v) => d.udp_zero_csum6_tx = Some(u8::from(*v)),
            InfoGeneve::UdpZeroCsum6Rx(v) => d.udp_zero_csum6_rx = Some(u8::from(*v)),
            InfoGeneve::Label(v) => d.label = Some(*v),
            InfoGeneve::TtlInherit(v) => d.ttl_inherit = Some(u8::from(*v)),
            InfoGeneve::Df(v) => d.df = Some(u8::from(*v)),
            InfoGeneve::InnerProtoInherit => d.inner_proto_inherit = true,
            _ => {}
        }
    }
    d
}

/// `geneve_fill_info`.
pub fn encode_geneve(c: &GeneveInfo) -> Vec<InfoGeneve> {
    let mut a = vec![InfoGeneve::Id(c.vni)];
    if !c.collect_md && !c.ipv6 {
        a.push(InfoGeneve::Remote(c.remote4));
        a.push(InfoGeneve::UdpCsum(c.csum));
    } else if !c.collect_md {
        a.push(InfoGeneve::Remote6(c.remote6));
        a.push(InfoGeneve::UdpZeroCsum6Tx(!c.csum));
    }
    a.extend([
        InfoGeneve::Ttl(c.ttl),
        InfoGeneve::Tos(c.tos),
        InfoGeneve::Label(c.label),
        InfoGeneve::Df(GeneveDf::from(c.df)),
        InfoGeneve::Port(c.port),
    ]);
    if c.collect_md {
        a.push(InfoGeneve::CollectMetadata);
    }
    a.push(InfoGeneve::UdpZeroCsum6Rx(!c.use_udp6_rx_checksums));
    a.push(InfoGeneve::TtlInherit(c.ttl_inherit));
    if c.inner_proto_inherit {
        a.push(InfoGeneve::InnerProtoInherit);
    }
    a
}

pub fn encode(info: &kernel_model::KindInfo) -> Option<InfoData> {
    Some(match info {
        kernel_model::KindInfo::Vxlan(v) => InfoData::Vxlan(encode_vxlan(v)),
        kernel_model::KindInfo::Gre(g) => encode_gre(g),
        kernel_model::KindInfo::Geneve(g) => InfoData::Geneve(encode_geneve(g)),
        _ => return None,
    })
}

/// What netlink-packet-route 0.34 lacks for encoding the GRE attribute sets: IFLA_GRE_IGNORE_DF
/// (gre, gretap) and IFLA_GRE_FLAGS (ip6gre, ip6gretap) have no typed variant (decoding reads
/// them, and IFLA_GRE_PMTUDISC, from the table: `rtnl::kinds::gre`).
pub mod gre_gaps {
    use crate::wire::policy::tables::{IFLA_GRE_FLAGS, IFLA_GRE_IGNORE_DF};
    use netlink_packet_core::DefaultNla;

    /// IFLA_GRE_IGNORE_DF as `ipgre_fill_info` puts it (u8).
    pub fn ignore_df(on: bool) -> DefaultNla {
        DefaultNla::new(IFLA_GRE_IGNORE_DF, vec![u8::from(on)])
    }

    /// IFLA_GRE_FLAGS as `ip6gre_fill_info` puts it (u32, host order).
    pub fn flags(v: u32) -> DefaultNla {
        DefaultNla::new(IFLA_GRE_FLAGS, v.to_ne_bytes().to_vec())
    }
}
