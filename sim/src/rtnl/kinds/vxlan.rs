//! vxlan (drivers/net/vxlan/vxlan_core.c): `vxlan_policy`, `vxlan_fill_info`. Attribute-level
//! code is in `rtnl::tunnel`.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::tunnel::{decode_vxlan, encode};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::vxlan::VxlanData;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoVxlan};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vxlan",
    policy: Some(&tables::VXLAN_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: VxlanData) -> KindData {
    KindData::Vxlan(Box::new(d))
}

fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_vxlan(&typed_in_order::<InfoVxlan>(data)?)))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    encode(info)
}
