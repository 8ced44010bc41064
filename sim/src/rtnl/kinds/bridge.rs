//! bridge (net/bridge/br_netlink.c): `br_policy` / `br_port_policy`, the options
//! `br_changelink` / `br_setport` act on, `br_fill_info` / `br_port_fill_attrs`. The
//! attribute-level code is in `rtnl::bridge` (shared with AF_BRIDGE's IFLA_PROTINFO).

use crate::rtnl::bridge::{
    decode_bridge_opts_raw, decode_port_opts_raw, encode_bridge_info, encode_bridge_port_info,
};
use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::bridge::{BridgeOpt, BridgePortOpt};
use kernel_model::{KindData, KindInfo, PortData, PortInfo};
use netlink_packet_route::link::{InfoData, InfoPortData};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "bridge",
    policy: Some(&tables::BR_POLICY),
    slave_policy: Some(&tables::BR_PORT_POLICY),
    decode: Some(decode),
    decode_slave: Some(decode_slave),
    fill: Some(fill),
    fill_slave: Some(fill_slave),
    ..LinkKindWire::NONE
};

fn to_model(opts: Vec<BridgeOpt>) -> KindData {
    KindData::new(kernel_model::kinds::bridge::BridgeData(opts))
}

fn port_to_model(opts: Vec<BridgePortOpt>) -> PortData {
    PortData::new(kernel_model::kinds::bridge::BridgePortData(opts))
}

/// `br_changelink`'s reads of `data[]` (raw values: a u8 flag keeps its byte).
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_bridge_opts_raw(
        data.iter().map(|a| (a.kind, a.value)),
    )))
}

/// `br_port_slave_changelink` -> `br_setport`.
fn decode_slave(data: &Attrs<'_>) -> Result<PortData, DecodeError> {
    Ok(port_to_model(decode_port_opts_raw(
        data.iter().map(|a| (a.kind, a.value)),
    )))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let b = info.downcast_ref::<kernel_model::kinds::bridge::BridgeInfo>()?;
    Some(InfoData::Bridge(encode_bridge_info(b)))
}

fn fill_slave(info: &PortInfo) -> Option<InfoPortData> {
    let p = info.downcast_ref::<kernel_model::kinds::bridge::BridgePortInfo>()?;
    Some(InfoPortData::BridgePort(encode_bridge_port_info(p)))
}
