//! Helpers for the bond / team / vrf catalog tests (`kinds_bond.rs`, `kinds_team.rs`,
//! `kinds_vrf.rs`): the iproute2 request shapes of `ip link add … type bond|vrf …`,
//! `ip link set … type bond …` / `type bond_slave …`, and accessors for IFLA_INFO_DATA /
//! IFLA_INFO_SLAVE_DATA.
#![allow(dead_code)]

use crate::common::{Answer, Client, LinkExt};
use crate::rules_support::{kind_info, newlink, CREATE, SET};
use netlink_packet_route::link::{
    InfoBond, InfoBondPort, InfoData, InfoPortData, InfoPortKind, InfoVrf, LinkAttribute, LinkInfo,
    LinkMessage,
};

pub const IFF_SLAVE: u32 = 0x800;
pub const IFF_MASTER: u32 = 0x400;

/// `ip link add NAME type bond OPTS…` (IFLA_INFO_DATA in command-line order; none → no
/// IFLA_INFO_DATA at all, as iproute2 sends it).
pub fn add_bond(c: &mut Client, name: &str, opts: Vec<InfoBond>) -> Answer {
    let data = (!opts.is_empty()).then_some(InfoData::Bond(opts));
    newlink(
        c,
        0,
        vec![LinkAttribute::IfName(name.into()), kind_info("bond", data)],
        CREATE,
    )
}

/// `ip link set NAME type bond OPTS…`.
pub fn set_bond(c: &mut Client, name: &str, opts: Vec<InfoBond>) -> Answer {
    let idx = c.index(name);
    newlink(
        c,
        idx,
        vec![kind_info("bond", Some(InfoData::Bond(opts)))],
        SET,
    )
}

/// `ip link set NAME type bond_slave OPTS…`: IFLA_INFO_SLAVE_KIND + IFLA_INFO_SLAVE_DATA.
pub fn set_bond_slave(c: &mut Client, name: &str, opts: Vec<InfoBondPort>) -> Answer {
    let idx = c.index(name);
    newlink(
        c,
        idx,
        vec![LinkAttribute::LinkInfo(vec![
            LinkInfo::PortKind(InfoPortKind::Bond),
            LinkInfo::PortData(InfoPortData::BondPort(opts)),
        ])],
        SET,
    )
}

/// `ip link add NAME type vrf [table T]`.
pub fn add_vrf(c: &mut Client, name: &str, table: Option<u32>) -> Answer {
    let data = table.map(|t| InfoData::Vrf(vec![InfoVrf::TableId(t)]));
    newlink(
        c,
        0,
        vec![LinkAttribute::IfName(name.into()), kind_info("vrf", data)],
        CREATE,
    )
}

fn infos(l: &LinkMessage) -> Vec<LinkInfo> {
    l.attr(|a| match a {
        LinkAttribute::LinkInfo(i) => Some(i.clone()),
        _ => None,
    })
    .unwrap_or_default()
}

/// IFLA_INFO_DATA of a bond, in the order it came.
pub fn bond_info(l: &LinkMessage) -> Vec<InfoBond> {
    infos(l)
        .into_iter()
        .find_map(|i| match i {
            LinkInfo::Data(InfoData::Bond(v)) => Some(v),
            _ => None,
        })
        .expect("bond IFLA_INFO_DATA")
}

pub fn bond_opt<T>(l: &LinkMessage, f: impl Fn(&InfoBond) -> Option<T>) -> Option<T> {
    bond_info(l).iter().find_map(f)
}

/// IFLA_INFO_SLAVE_DATA of a bond slave.
pub fn bond_slave_info(l: &LinkMessage) -> Vec<InfoBondPort> {
    infos(l)
        .into_iter()
        .find_map(|i| match i {
            LinkInfo::PortData(InfoPortData::BondPort(v)) => Some(v),
            _ => None,
        })
        .expect("bond IFLA_INFO_SLAVE_DATA")
}

/// IFLA_INFO_SLAVE_KIND.
pub fn slave_kind(l: &LinkMessage) -> Option<String> {
    infos(l).into_iter().find_map(|i| match i {
        LinkInfo::PortKind(k) => Some(k.to_string()),
        _ => None,
    })
}

/// IFLA_VRF_TABLE of a vrf.
pub fn vrf_table(l: &LinkMessage) -> Option<u32> {
    infos(l).into_iter().find_map(|i| match i {
        LinkInfo::Data(InfoData::Vrf(v)) => v.iter().find_map(|x| match x {
            InfoVrf::TableId(t) => Some(*t),
            _ => None,
        }),
        _ => None,
    })
}

/// IFLA_VRF_PORT_TABLE of a vrf port.
pub fn vrf_port_table(l: &LinkMessage) -> Option<u32> {
    infos(l).into_iter().find_map(|i| match i {
        LinkInfo::PortData(InfoPortData::VrfPort(v)) => v.iter().find_map(|x| match x {
            InfoVrf::TableId(t) => Some(*t),
            _ => None,
        }),
        _ => None,
    })
}
