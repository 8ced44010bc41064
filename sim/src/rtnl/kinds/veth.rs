//! veth (drivers/net/veth.c): VETH_INFO_PEER is an ifinfomsg then IFLA_* attributes for the
//! peer (`veth_newlink` parses it with `rtnl_nla_parse_ifinfomsg`). Its policy check is
//! `rtnl::link::validate_veth_peer`; veth has no `fill_info`.

use crate::rtnl::link_kind::{DecodeCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use kernel_model::KindData;

/// VETH_INFO_PEER (include/uapi/linux/veth.h).
pub const VETH_INFO_PEER: u16 = 1;

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "veth",
    maxtype: VETH_INFO_PEER,
    peer: Some(VETH_INFO_PEER),
    decode: Some(decode),
    ..LinkKindWire::NONE
};

fn to_model(peer: Option<kernel_model::LinkRequest>) -> KindData {
    KindData::new(kernel_model::kinds::veth::VethData {
        peer: peer.map(Box::new),
    })
}

/// `veth_newlink`: the peer's ifinfomsg and attributes, decoded as a link request of its own
/// (no netlink header flags). Data without a peer names the peer `veth%d`.
fn decode(data: &Attrs<'_>, ctx: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let Some(peer) = data.get(VETH_INFO_PEER) else {
        return Ok(to_model(None));
    };
    let req = ctx.decode_peer(data.msg(), &peer)?;
    Ok(to_model(Some(req)))
}
