//! Helpers for the stacked-kind tests (`kinds_vlan.rs`, `kinds_macvlan.rs`, `kinds_ipvlan.rs`):
//! requests shaped like iproute2 6.1's `ip link add link LOWER name NAME type KIND ...` and
//! accessors for the kinds' IFLA_INFO_DATA.
#![allow(dead_code)]

use crate::common::{Answer, Client, LinkExt};
use netlink_packet_core::DefaultNla;
use netlink_packet_route::link::{
    InfoData, InfoIpVlan, InfoIpVtap, InfoMacVlan, InfoMacVtap, InfoVlan, IpVlanFlags, IpVlanMode,
    LinkAttribute, LinkInfo, LinkMessage, MacVlanMacAddressMode, MacVlanMode, VlanFlags,
    VlanProtocol, VlanQosMapping,
};

/// `ip link add link LOWER name NAME [attrs] type KIND [data]`: IFLA_LINK + IFLA_IFNAME.
pub fn add_on(
    c: &mut Client,
    lower: &str,
    name: &str,
    kind: &str,
    attrs: Vec<LinkAttribute>,
    data: Option<InfoData>,
) -> Answer {
    let idx = c.index(lower);
    let mut a = vec![LinkAttribute::Link(idx)];
    a.extend(attrs);
    c.add(Some(name), kind, a, data)
}

/// `ip link add link LOWER name NAME type vlan id ID [more]`.
pub fn vlan(c: &mut Client, lower: &str, name: &str, id: u16, more: Vec<InfoVlan>) -> Answer {
    let mut d = vec![InfoVlan::Id(id)];
    d.extend(more);
    add_on(c, lower, name, "vlan", vec![], Some(InfoData::Vlan(d)))
}

/// `protocol 802.1ad`.
pub fn proto_ad() -> InfoVlan {
    InfoVlan::Protocol(VlanProtocol::Ieee8021Ad)
}

/// `protocol 0xNNNN` for a value netlink-packet-route has no variant for.
pub fn proto_raw(p: u16) -> InfoVlan {
    InfoVlan::Other(DefaultNla::new(5, p.to_be_bytes().to_vec()))
}

/// `loose_binding on`: iproute2 sends flags and mask.
pub fn loose_on() -> InfoVlan {
    InfoVlan::Flags((VlanFlags::LooseBinding, VlanFlags::LooseBinding))
}

/// `reorder_hdr off`.
pub fn reorder_off() -> InfoVlan {
    InfoVlan::Flags((VlanFlags::empty(), VlanFlags::ReorderHdr))
}

pub fn ingress(maps: &[(u32, u32)]) -> InfoVlan {
    InfoVlan::IngressQos(
        maps.iter()
            .map(|(f, t)| VlanQosMapping::Mapping(*f, *t))
            .collect(),
    )
}

pub fn egress(maps: &[(u32, u32)]) -> InfoVlan {
    InfoVlan::EgressQos(
        maps.iter()
            .map(|(f, t)| VlanQosMapping::Mapping(*f, *t))
            .collect(),
    )
}

/// `ip link add link LOWER name NAME type macvlan [mode M]`.
pub fn macvlan(c: &mut Client, lower: &str, name: &str, mode: Option<MacVlanMode>) -> Answer {
    let data = mode.map(|m| InfoData::MacVlan(vec![InfoMacVlan::Mode(m)]));
    add_on(c, lower, name, "macvlan", vec![], data)
}

/// `ip link add link LOWER name NAME type macvtap [mode M]`.
pub fn macvtap(c: &mut Client, lower: &str, name: &str, mode: Option<MacVlanMode>) -> Answer {
    let data = mode.map(|m| InfoData::MacVtap(vec![InfoMacVtap::Mode(m)]));
    add_on(c, lower, name, "macvtap", vec![], data)
}

/// `ip link set NAME type macvlan macaddr add|del MAC` / `macaddr flush`.
pub fn macaddr(
    c: &mut Client,
    name: &str,
    mode: MacVlanMacAddressMode,
    mac: Option<[u8; 6]>,
) -> Answer {
    let mut d = vec![InfoMacVlan::MacAddrMode(mode)];
    if let Some(m) = mac {
        d.push(InfoMacVlan::MacAddr(m));
    }
    set_data(c, name, "macvlan", InfoData::MacVlan(d))
}

/// `ip link add link LOWER name NAME type ipvlan [mode M [FLAG]]` (iproute2 sends
/// IFLA_IPVLAN_FLAGS together with the mode; `None` leaves an attribute out).
pub fn ipvlan(
    c: &mut Client,
    lower: &str,
    name: &str,
    mode: Option<IpVlanMode>,
    flags: Option<IpVlanFlags>,
) -> Answer {
    let data = ipvlan_data(mode, flags);
    add_on(c, lower, name, "ipvlan", vec![], data)
}

pub fn ipvlan_data(mode: Option<IpVlanMode>, flags: Option<IpVlanFlags>) -> Option<InfoData> {
    let mut d = Vec::new();
    if let Some(m) = mode {
        d.push(InfoIpVlan::Mode(m));
    }
    if let Some(f) = flags {
        d.push(InfoIpVlan::Flags(f));
    }
    (!d.is_empty()).then_some(InfoData::IpVlan(d))
}

pub fn ipvtap(c: &mut Client, lower: &str, name: &str, mode: IpVlanMode) -> Answer {
    let data = InfoData::IpVtap(vec![InfoIpVtap::Mode(mode)]);
    add_on(c, lower, name, "ipvtap", vec![], Some(data))
}

/// `ip link set NAME type KIND DATA`.
pub fn set_data(c: &mut Client, name: &str, kind: &str, data: InfoData) -> Answer {
    crate::rules_support::set_kind_data(c, name, kind, data)
}

pub fn info_data(l: &LinkMessage) -> Option<InfoData> {
    l.attr(|a| match a {
        LinkAttribute::LinkInfo(infos) => infos.iter().find_map(|i| match i {
            LinkInfo::Data(d) => Some(d.clone()),
            _ => None,
        }),
        _ => None,
    })
}

/// (protocol, id, flags) of a vlan.
pub fn vlan_info(l: &LinkMessage) -> (VlanProtocol, u16, u32) {
    let Some(InfoData::Vlan(d)) = info_data(l) else {
        panic!("no vlan info_data in {l:?}");
    };
    let proto = d.iter().find_map(|n| match n {
        InfoVlan::Protocol(p) => Some(*p),
        _ => None,
    });
    let id = d.iter().find_map(|n| match n {
        InfoVlan::Id(i) => Some(*i),
        _ => None,
    });
    let flags = d.iter().find_map(|n| match n {
        InfoVlan::Flags((f, _)) => Some(f.bits()),
        _ => None,
    });
    (
        proto.expect("IFLA_VLAN_PROTOCOL"),
        id.expect("IFLA_VLAN_ID"),
        flags.unwrap_or(0),
    )
}

pub fn macvlan_attrs(l: &LinkMessage) -> Vec<InfoMacVlan> {
    match info_data(l) {
        Some(InfoData::MacVlan(d)) => d,
        other => panic!("no macvlan info_data: {other:?}"),
    }
}

pub fn macvlan_mode(l: &LinkMessage) -> MacVlanMode {
    let attrs: Vec<InfoMacVlan> = match info_data(l) {
        Some(InfoData::MacVlan(d)) => d,
        Some(InfoData::MacVtap(d)) => d
            .into_iter()
            .filter_map(|n| match n {
                InfoMacVtap::Mode(m) => Some(InfoMacVlan::Mode(m)),
                _ => None,
            })
            .collect(),
        other => panic!("no macvlan info_data: {other:?}"),
    };
    attrs
        .iter()
        .find_map(|n| match n {
            InfoMacVlan::Mode(m) => Some(*m),
            _ => None,
        })
        .expect("IFLA_MACVLAN_MODE")
}

/// (mode, flags) of an ipvlan / ipvtap.
pub fn ipvlan_info(l: &LinkMessage) -> (IpVlanMode, u16) {
    match info_data(l) {
        Some(InfoData::IpVlan(d)) => (
            d.iter()
                .find_map(|n| match n {
                    InfoIpVlan::Mode(m) => Some(*m),
                    _ => None,
                })
                .expect("IFLA_IPVLAN_MODE"),
            d.iter()
                .find_map(|n| match n {
                    InfoIpVlan::Flags(f) => Some(f.bits()),
                    _ => None,
                })
                .expect("IFLA_IPVLAN_FLAGS"),
        ),
        Some(InfoData::IpVtap(d)) => (
            d.iter()
                .find_map(|n| match n {
                    InfoIpVtap::Mode(m) => Some(*m),
                    _ => None,
                })
                .expect("IFLA_IPVLAN_MODE"),
            d.iter()
                .find_map(|n| match n {
                    InfoIpVtap::Flags(f) => Some(f.bits()),
                    _ => None,
                })
                .expect("IFLA_IPVLAN_FLAGS"),
        ),
        other => panic!("no ipvlan info_data: {other:?}"),
    }
}

/// IFLA_CARRIER.
pub fn carrier(l: &LinkMessage) -> bool {
    l.attr(|a| match a {
        LinkAttribute::Carrier(v) => Some(*v != 0),
        _ => None,
    })
    .expect("IFLA_CARRIER")
}

pub fn txqlen(l: &LinkMessage) -> u32 {
    l.attr(|a| match a {
        LinkAttribute::TxQueueLen(v) => Some(*v),
        _ => None,
    })
    .expect("IFLA_TXQLEN")
}

pub fn perm_addr(l: &LinkMessage) -> Option<Vec<u8>> {
    l.attr(|a| match a {
        LinkAttribute::PermAddress(v) => Some(v.clone()),
        _ => None,
    })
}
