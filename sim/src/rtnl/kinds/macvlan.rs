//! macvlan and macvtap (drivers/net/macvlan.c, macvtap.c): `macvlan_policy`,
//! `macvlan_fill_info`. Attribute-level code is in `rtnl::stacked`.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::stacked::{decode_macvlan, decode_macvtap, encode};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::macvlan::MacvlanData;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoMacVlan, InfoMacVtap};

pub static MACVLAN: LinkKindWire = LinkKindWire {
    kind: "macvlan",
    policy: Some(&tables::MACVLAN_POLICY),
    decode: Some(decode_macvlan_data),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

pub static MACVTAP: LinkKindWire = LinkKindWire {
    kind: "macvtap",
    policy: Some(&tables::MACVLAN_POLICY),
    decode: Some(decode_macvtap_data),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: MacvlanData) -> KindData {
    KindData::Macvlan(d)
}

fn decode_macvlan_data(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_macvlan(&typed_in_order::<InfoMacVlan>(
        data,
    )?)))
}

fn decode_macvtap_data(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_macvtap(&typed_in_order::<InfoMacVtap>(
        data,
    )?)))
}

fn fill(info: &KindInfo, ctx: &FillCtx<'_>) -> Option<InfoData> {
    encode(ctx.kind, info)
}
