//! bond (drivers/net/bonding/bond_netlink.c): `bond_policy` / `bond_slave_policy`; the
//! options keep request order (the model applies them in order). Attribute-level code is in
//! `rtnl::bond`.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::bond::{
    decode_bond_opts, decode_bond_port, encode_bond_info, encode_bond_slave_info,
};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::bond::BondOpt;
use kernel_model::{KindData, KindInfo, PortData, PortInfo};
use netlink_packet_route::link::{InfoBond, InfoBondPort, InfoData, InfoPortData};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "bond",
    policy: Some(&tables::BOND_POLICY),
    slave_policy: Some(&tables::BOND_SLAVE_POLICY),
    decode: Some(decode),
    decode_slave: Some(decode_slave),
    fill: Some(fill),
    fill_slave: Some(fill_slave),
    ..LinkKindWire::NONE
};

fn to_model(opts: Vec<BondOpt>) -> KindData {
    KindData::Bond(opts)
}

fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_bond_opts(&typed_in_order::<InfoBond>(
        data,
    )?)))
}

/// `bond_slave_changelink`.
fn decode_slave(data: &Attrs<'_>) -> Result<PortData, DecodeError> {
    Ok(decode_bond_port(&typed_in_order::<InfoBondPort>(data)?))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let KindInfo::Bond(b) = info else {
        return None;
    };
    Some(InfoData::Bond(encode_bond_info(b)))
}

fn fill_slave(info: &PortInfo) -> Option<InfoPortData> {
    let PortInfo::Bond(p) = info else {
        return None;
    };
    Some(InfoPortData::BondPort(encode_bond_slave_info(p)))
}
