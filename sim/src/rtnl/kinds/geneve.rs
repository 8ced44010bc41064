//! geneve (drivers/net/geneve.c): `geneve_policy`, `geneve_fill_info`.

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::geneve::GeneveData;
use kernel_model::kinds::geneve::GeneveInfo;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{GeneveDf, InfoData, InfoGeneve};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "geneve",
    policy: Some(&tables::GENEVE_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: GeneveData) -> KindData {
    KindData::new(d)
}

fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_geneve(&typed_in_order::<InfoGeneve>(
        data,
    )?)))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let g = info.downcast_ref::<kernel_model::kinds::geneve::GeneveInfo>()?;
    Some(InfoData::Geneve(encode_geneve(g)))
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
