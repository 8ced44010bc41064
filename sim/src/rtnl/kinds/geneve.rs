//! geneve (drivers/net/geneve.c): `geneve_policy`, `geneve_fill_info`. Attribute-level code
//! is in `rtnl::tunnel`.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::tunnel::{decode_geneve, encode};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::geneve::GeneveData;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoGeneve};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "geneve",
    policy: Some(&tables::GENEVE_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: GeneveData) -> KindData {
    KindData::Geneve(Box::new(d))
}

fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_geneve(&typed_in_order::<InfoGeneve>(
        data,
    )?)))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    encode(info)
}
