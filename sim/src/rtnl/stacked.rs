//! IFLA_INFO_DATA of the stacked kinds vlan, macvlan/macvtap and ipvlan/ipvtap: decoded into
//! the model's request data and encoded from its `fill_info` views, in the order
//! `vlan_fill_info`, `macvlan_fill_info` and `ipvlan_nl_fillinfo` put their attributes.

use kernel_model::kinds::ipvlan::{IpvlanData, IpvlanInfo};
use kernel_model::kinds::macvlan::{MacvlanData, MacvlanInfo};
use kernel_model::kinds::vlan::{VlanData, VlanInfo};
use kernel_model::KindInfo;
use netlink_packet_route::link::{
    InfoData, InfoIpVlan, InfoIpVtap, InfoMacVlan, InfoMacVtap, InfoVlan, IpVlanFlags, IpVlanMode,
    MacVlanFlags, MacVlanMacAddressMode, MacVlanMode, VlanFlags, VlanProtocol, VlanQosMapping,
};

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
            // netlink-packet-route turns unknown protocols into 802.1Q: the raw value is put
            // back by `fixup_from_raw`.
            InfoVlan::Protocol(p) => d.protocol = Some(u16::from(*p)),
            _ => {}
        }
    }
    d
}

/// IFLA_MACVLAN_* of macvlan (`InfoMacVlan`).
pub fn decode_macvlan(nlas: &[InfoMacVlan]) -> MacvlanData {
    let mut d = MacvlanData::default();
    for n in nlas {
        match n {
            InfoMacVlan::Mode(m) => d.mode = Some(u32::from(*m)),
            InfoMacVlan::Flags(f) => d.flags = Some(f.bits()),
            InfoMacVlan::MacAddrMode(m) => d.macaddr_mode = Some(u32::from(*m)),
            InfoMacVlan::MacAddr(a) => d.macaddr = Some(a.to_vec()),
            InfoMacVlan::MacAddrData(list) => {
                d.macaddr_data = Some(
                    list.iter()
                        .map(|e| match e {
                            InfoMacVlan::MacAddr(a) => Some(a.to_vec()),
                            _ => None,
                        })
                        .collect(),
                )
            }
            InfoMacVlan::MacAddrCount(_) => d.macaddr_count = true,
            InfoMacVlan::BcQueueLen(v) => d.bc_queue_len = Some(*v),
            InfoMacVlan::BcCutoff(v) => d.bc_cutoff = Some(*v),
            // IFLA_MACVLAN_BC_QUEUE_LEN_USED is NLA_REJECT: the policy refused it already.
            _ => {}
        }
    }
    d
}

/// IFLA_MACVLAN_* of macvtap (`InfoMacVtap`, the same attributes).
pub fn decode_macvtap(nlas: &[InfoMacVtap]) -> MacvlanData {
    let mut d = MacvlanData::default();
    for n in nlas {
        match n {
            InfoMacVtap::Mode(m) => d.mode = Some(u32::from(*m)),
            InfoMacVtap::Flags(f) => d.flags = Some(f.bits()),
            InfoMacVtap::MacAddrMode(m) => d.macaddr_mode = Some(u32::from(*m)),
            InfoMacVtap::MacAddr(a) => d.macaddr = Some(a.to_vec()),
            InfoMacVtap::MacAddrData(list) => {
                d.macaddr_data = Some(
                    list.iter()
                        .map(|e| match e {
                            InfoMacVtap::MacAddr(a) => Some(a.to_vec()),
                            _ => None,
                        })
                        .collect(),
                )
            }
            InfoMacVtap::MacAddrCount(_) => d.macaddr_count = true,
            InfoMacVtap::BcQueueLen(v) => d.bc_queue_len = Some(*v),
            InfoMacVtap::BcCutoff(v) => d.bc_cutoff = Some(*v),
            _ => {}
        }
    }
    d
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

fn encode_macvlan(m: &MacvlanInfo) -> Vec<InfoMacVlan> {
    let mut a = vec![
        InfoMacVlan::Mode(MacVlanMode::from(m.mode)),
        InfoMacVlan::Flags(MacVlanFlags::from_bits_retain(m.flags)),
        InfoMacVlan::MacAddrCount(m.macaddrs.len() as u32),
    ];
    if !m.macaddrs.is_empty() {
        a.push(InfoMacVlan::MacAddrData(
            m.macaddrs
                .iter()
                .filter_map(|h| <[u8; 6]>::try_from(h.as_bytes()).ok())
                .map(InfoMacVlan::MacAddr)
                .collect(),
        ));
    }
    a.push(InfoMacVlan::BcQueueLen(m.bc_queue_len));
    a.push(InfoMacVlan::BcQueueLenUsed(m.bc_queue_len_used));
    if m.bc_cutoff != 1 {
        a.push(InfoMacVlan::BcCutoff(m.bc_cutoff));
    }
    a
}

fn macvlan_to_macvtap(n: InfoMacVlan) -> InfoMacVtap {
    match n {
        InfoMacVlan::Mode(m) => InfoMacVtap::Mode(m),
        InfoMacVlan::Flags(f) => InfoMacVtap::Flags(f),
        InfoMacVlan::MacAddrMode(m) => InfoMacVtap::MacAddrMode(m),
        InfoMacVlan::MacAddr(a) => InfoMacVtap::MacAddr(a),
        InfoMacVlan::MacAddrData(l) => {
            InfoMacVtap::MacAddrData(l.into_iter().map(macvlan_to_macvtap).collect())
        }
        InfoMacVlan::MacAddrCount(v) => InfoMacVtap::MacAddrCount(v),
        InfoMacVlan::BcQueueLen(v) => InfoMacVtap::BcQueueLen(v),
        InfoMacVlan::BcQueueLenUsed(v) => InfoMacVtap::BcQueueLenUsed(v),
        InfoMacVlan::BcCutoff(v) => InfoMacVtap::BcCutoff(v),
        // encode_macvlan produces none of the others.
        _ => InfoMacVtap::MacAddrMode(MacVlanMacAddressMode::Flush),
    }
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

/// IFLA_INFO_DATA for a stacked kind's `fill_info` view, or None for other kinds.
pub fn encode(kind: &str, info: &KindInfo) -> Option<InfoData> {
    Some(match info {
        KindInfo::Vlan(v) => encode_vlan(v),
        KindInfo::Macvlan(m) if kind == "macvtap" => InfoData::MacVtap(
            encode_macvlan(m)
                .into_iter()
                .map(macvlan_to_macvtap)
                .collect(),
        ),
        KindInfo::Macvlan(m) => InfoData::MacVlan(encode_macvlan(m)),
        KindInfo::Ipvlan(i) => encode_ipvlan(kind, i),
        _ => return None,
    })
}
