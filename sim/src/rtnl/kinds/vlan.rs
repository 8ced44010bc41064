//! vlan (net/8021q/vlan_netlink.c): `vlan_policy`, `vlan_fill_info`.

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::vlan::VlanInfo;
use kernel_model::kinds::vlan::{ifla_vlan, VlanData};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoVlan, VlanFlags, VlanProtocol, VlanQosMapping};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vlan",
    policy: Some(&tables::VLAN_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: VlanData) -> KindData {
    KindData::new(d)
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

/// `vlan_fill_info`.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let v = info.downcast_ref::<kernel_model::kinds::vlan::VlanInfo>()?;
    Some(encode_vlan(v))
}

fn qos(maps: &[VlanQosMapping]) -> Vec<(u32, u32)> {
    // vlan_changelink only walks IFLA_VLAN_QOS_MAPPING entries.
    maps.iter()
        .filter_map(|m| match m {
            VlanQosMapping::Mapping(from, to) => Some((*from, *to)),
            _ => None,
        })
        .collect()
}

/// IFLA_VLAN_* (last attribute of a type wins, as with `nla_parse`).
pub fn decode_vlan(nlas: &[InfoVlan]) -> VlanData {
    let mut d = VlanData::default();
    for n in nlas {
        match n {
            InfoVlan::Id(v) => d.id = Some(*v),
            InfoVlan::Flags((f, m)) => d.flags = Some((f.bits(), m.bits())),
            InfoVlan::EgressQos(maps) => d.egress_qos = Some(qos(maps)),
            InfoVlan::IngressQos(maps) => d.ingress_qos = Some(qos(maps)),
            // netlink-packet-route turns unknown protocols into 802.1Q: the raw value is read
            // from the table by `decode`.
            InfoVlan::Protocol(p) => d.protocol = Some(u16::from(*p)),
            _ => {}
        }
    }
    d
}

fn encode_vlan(v: &VlanInfo) -> InfoData {
    let mut a = vec![
        InfoVlan::Protocol(VlanProtocol::from(v.protocol)),
        InfoVlan::Id(v.id),
    ];
    if v.flags != 0 {
        a.push(InfoVlan::Flags((
            VlanFlags::from_bits_retain(v.flags),
            VlanFlags::from_bits_retain(!0),
        )));
    }
    if !v.ingress.is_empty() {
        a.push(InfoVlan::IngressQos(
            v.ingress
                .iter()
                .map(|(f, t)| VlanQosMapping::Mapping(*f, *t))
                .collect(),
        ));
    }
    if !v.egress.is_empty() {
        a.push(InfoVlan::EgressQos(
            v.egress
                .iter()
                .map(|(f, t)| VlanQosMapping::Mapping(*f, *t))
                .collect(),
        ));
    }
    InfoData::Vlan(a)
}
