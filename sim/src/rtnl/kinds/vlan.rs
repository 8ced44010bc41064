//! vlan (net/8021q/vlan_netlink.c): `vlan_policy`, `vlan_fill_info`. Attribute-level code is
//! in `rtnl::stacked`.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::stacked::{decode_vlan, encode};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::vlan::{ifla_vlan, VlanData};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoVlan};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vlan",
    policy: Some(&tables::VLAN_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: VlanData) -> KindData {
    KindData::Vlan(d)
}

/// `vlan_newlink` / `vlan_changelink`. IFLA_VLAN_PROTOCOL is read raw: values other than
/// 802.1Q / 802.1ad (which `vlan_validate` refuses) must reach the model as sent.
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let mut d = decode_vlan(&typed_in_order::<InfoVlan>(data)?);
    if d.protocol.is_some() {
        d.protocol = data.be16(ifla_vlan::PROTOCOL).or(d.protocol);
    }
    Ok(to_model(d))
}

fn fill(info: &KindInfo, ctx: &FillCtx<'_>) -> Option<InfoData> {
    encode(ctx.kind, info)
}
