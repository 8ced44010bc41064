//! tun / tap (drivers/net/tun.c): created through the character device, not rtnetlink
//! (`tun_validate` refuses RTM_NEWLINK); only `tun_fill_info` is on the wire.

use crate::rtnl::link_kind::{FillCtx, LinkKindWire};
use kernel_model::kinds::tun::TunInfo;
use kernel_model::KindInfo;
use netlink_packet_core::DefaultNla;
use netlink_packet_route::link::InfoData;
use netlink_packet_route::link::InfoTun;

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "tun",
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let t = info.downcast_ref::<kernel_model::kinds::tun::TunInfo>()?;
    Some(encode(t))
}

/// `IFLA_TUN_*`.
pub mod attr {
    pub const OWNER: u16 = 1;
    pub const GROUP: u16 = 2;
    pub const TYPE: u16 = 3;
    pub const PI: u16 = 4;
    pub const VNET_HDR: u16 = 5;
    pub const PERSIST: u16 = 6;
    pub const MULTI_QUEUE: u16 = 7;
    pub const NUM_QUEUES: u16 = 8;
    pub const NUM_DISABLED_QUEUES: u16 = 9;
}

fn u8_attr(kind: u16, v: u8) -> InfoTun {
    InfoTun::Other(DefaultNla::new(kind, vec![v]))
}

fn u32_attr(kind: u16, v: u32) -> InfoTun {
    InfoTun::Other(DefaultNla::new(kind, v.to_ne_bytes().to_vec()))
}

/// `tun_fill_info`, in its order: type, owner and group (when valid), pi, vnet_hdr, persist,
/// multi_queue, and the queue counts of a multiqueue device.
pub fn encode(t: &TunInfo) -> InfoData {
    let mut a = vec![u8_attr(attr::TYPE, t.dev_type)];
    if let Some(o) = t.owner {
        a.push(u32_attr(attr::OWNER, o));
    }
    if let Some(g) = t.group {
        a.push(u32_attr(attr::GROUP, g));
    }
    a.extend([
        u8_attr(attr::PI, u8::from(t.pi)),
        u8_attr(attr::VNET_HDR, u8::from(t.vnet_hdr)),
        u8_attr(attr::PERSIST, u8::from(t.persist)),
        u8_attr(attr::MULTI_QUEUE, u8::from(t.multi_queue)),
    ]);
    if t.multi_queue {
        a.push(u32_attr(attr::NUM_QUEUES, t.num_queues));
        a.push(u32_attr(attr::NUM_DISABLED_QUEUES, t.num_disabled_queues));
    }
    InfoData::Tun(a)
}
