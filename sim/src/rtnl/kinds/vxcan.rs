//! vxcan (drivers/net/can/vxcan.c): `vxcan_policy` (VXCAN_INFO_PEER, at least an ifinfomsg,
//! then IFLA_* attributes for the peer, parsed by `rtnl_nla_parse_ifinfomsg`). No
//! `fill_info`.

use crate::rtnl::link_kind::{DecodeCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use kernel_model::kinds::vxcan::VxcanData;
use kernel_model::KindData;

/// VXCAN_INFO_PEER (include/uapi/linux/can/vxcan.h).
pub const VXCAN_INFO_PEER: u16 = 1;
/// sizeof(struct ifinfomsg).
const IFINFOMSG_LEN: u16 = 16;

static VXCAN_TABLE: [AttrPolicy; 2] = [
    AttrPolicy::UNSPEC,
    // `{ .len = sizeof(struct ifinfomsg) }`
    AttrPolicy::with_len(NlaType::Unspec, IFINFOMSG_LEN),
];

/// `vxcan_policy`.
pub static VXCAN_POLICY: Policy = Policy {
    name: "vxcan_policy",
    strict_start_type: 0,
    attrs: &VXCAN_TABLE,
};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vxcan",
    policy: Some(&VXCAN_POLICY),
    peer: Some(VXCAN_INFO_PEER),
    decode: Some(decode),
    ..LinkKindWire::NONE
};

/// `vxcan_newlink`: the peer's ifinfomsg and attributes, decoded as a link request.
fn decode(data: &Attrs<'_>, ctx: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let peer = match data.get(VXCAN_INFO_PEER) {
        Some(p) => Some(Box::new(ctx.decode_peer(data.msg(), &p)?)),
        None => None,
    };
    Ok(KindData::new(VxcanData { peer }))
}
