//! tun / tap (drivers/net/tun.c): created through the character device, not rtnetlink
//! (`tun_validate` refuses RTM_NEWLINK); only `tun_fill_info` is on the wire.

use super::{FillCtx, LinkKindWire};
use kernel_model::KindInfo;
use netlink_packet_route::link::InfoData;

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "tun",
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let KindInfo::Tun(t) = info else {
        return None;
    };
    Some(crate::rtnl::tun::encode(t))
}
