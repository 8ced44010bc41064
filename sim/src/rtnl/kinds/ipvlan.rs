//! ipvlan and ipvtap (drivers/net/ipvlan/): `ipvlan_nl_policy`, `ipvlan_nl_fillinfo`.
//! Attribute-level code is in `rtnl::stacked`.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::stacked::{decode_ipvlan, decode_ipvtap, encode};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::ipvlan::IpvlanData;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoIpVlan, InfoIpVtap};

pub static IPVLAN: LinkKindWire = LinkKindWire {
    kind: "ipvlan",
    policy: Some(&tables::IPVLAN_NL_POLICY),
    decode: Some(decode_ipvlan_data),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

pub static IPVTAP: LinkKindWire = LinkKindWire {
    kind: "ipvtap",
    policy: Some(&tables::IPVLAN_NL_POLICY),
    decode: Some(decode_ipvtap_data),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: IpvlanData) -> KindData {
    KindData::Ipvlan(d)
}

fn decode_ipvlan_data(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_ipvlan(&typed_in_order::<InfoIpVlan>(
        data,
    )?)))
}

fn decode_ipvtap_data(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_ipvtap(&typed_in_order::<InfoIpVtap>(
        data,
    )?)))
}

fn fill(info: &KindInfo, ctx: &FillCtx<'_>) -> Option<InfoData> {
    encode(ctx.kind, info)
}
