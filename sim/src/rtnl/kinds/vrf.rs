//! vrf (drivers/net/vrf.c): IFLA_VRF_TABLE, on the device and on its ports.

use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::{KindData, KindInfo, PortInfo};
use netlink_packet_route::link::{InfoData, InfoPortData, InfoVrf};

/// IFLA_VRF_TABLE (include/uapi/linux/if_link.h).
const IFLA_VRF_TABLE: u16 = 1;

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vrf",
    policy: Some(&tables::VRF_NL_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    fill_slave: Some(fill_slave),
    ..LinkKindWire::NONE
};

fn to_model(table: Option<u32>) -> KindData {
    KindData::new(kernel_model::kinds::vrf::VrfData { table })
}

/// `vrf_newlink` reads IFLA_VRF_TABLE.
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(data.u32(IFLA_VRF_TABLE)))
}

/// `vrf_fillinfo`.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let kernel_model::kinds::vrf::VrfInfo { table } =
        info.downcast_ref::<kernel_model::kinds::vrf::VrfInfo>()?;
    Some(InfoData::Vrf(vec![InfoVrf::TableId(*table)]))
}

/// `vrf_fill_slave_info`.
fn fill_slave(info: &PortInfo) -> Option<InfoPortData> {
    let kernel_model::kinds::vrf::VrfPortInfo { table } =
        info.downcast_ref::<kernel_model::kinds::vrf::VrfPortInfo>()?;
    Some(InfoPortData::VrfPort(vec![InfoVrf::TableId(*table)]))
}
