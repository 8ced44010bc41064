//! ipvlan and ipvtap (drivers/net/ipvlan/): `ipvlan_nl_policy`, `ipvlan_nl_fillinfo`.

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::ipvlan::IpvlanData;
use kernel_model::kinds::ipvlan::IpvlanInfo;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoIpVlan, InfoIpVtap, IpVlanFlags, IpVlanMode};

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
    KindData::new(d)
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

/// `ipvlan_nl_fillinfo`.
fn fill(info: &KindInfo, ctx: &FillCtx<'_>) -> Option<InfoData> {
    let i = info.downcast_ref::<kernel_model::kinds::ipvlan::IpvlanInfo>()?;
    Some(encode_ipvlan(ctx.kind, i))
}

pub fn decode_ipvlan(nlas: &[InfoIpVlan]) -> IpvlanData {
    let mut d = IpvlanData::default();
    for n in nlas {
        match n {
            InfoIpVlan::Mode(m) => d.mode = Some(u16::from(*m)),
            InfoIpVlan::Flags(f) => d.flags = Some(f.bits()),
            _ => {}
        }
    }
    d
}

pub fn decode_ipvtap(nlas: &[InfoIpVtap]) -> IpvlanData {
    let mut d = IpvlanData::default();
    for n in nlas {
        match n {
            InfoIpVtap::Mode(m) => d.mode = Some(u16::from(*m)),
            InfoIpVtap::Flags(f) => d.flags = Some(f.bits()),
            _ => {}
        }
    }
    d
}

fn encode_ipvlan(kind: &str, i: &IpvlanInfo) -> InfoData {
    if kind == "ipvtap" {
        InfoData::IpVtap(vec![
            InfoIpVtap::Mode(IpVlanMode::from(i.mode)),
            InfoIpVtap::Flags(IpVlanFlags::from_bits_retain(i.flags)),
        ])
    } else {
        InfoData::IpVlan(vec![
            InfoIpVlan::Mode(IpVlanMode::from(i.mode)),
            InfoIpVlan::Flags(IpVlanFlags::from_bits_retain(i.flags)),
        ])
    }
}
