//! vxlan (drivers/net/vxlan/vxlan_core.c): `vxlan_policy`, `vxlan_fill_info`.

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::vxlan::VxlanData;
use kernel_model::kinds::vxlan::{attr, flag, FlagAttr, VxlanInfo};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoVxlan, VxlanDf};
use std::net::IpAddr;

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vxlan",
    policy: Some(&tables::VXLAN_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: VxlanData) -> KindData {
    KindData::new(d)
}

fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_vxlan(&typed_in_order::<InfoVxlan>(data)?)))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let v = info.downcast_ref::<kernel_model::kinds::vxlan::VxlanInfo>()?;
    Some(InfoData::Vxlan(encode_vxlan(v)))
}

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
