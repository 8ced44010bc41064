//! vti6 (net/ipv6/ip6_vti.c: `vti6_policy`, `vti6_netlink_parms`, `vti6_fill_info`), written
//! as raw attributes in the kernel's order.

use super::ip6tnl::in6;
use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::{AttrPolicy, NlaType::*, Policy};
use crate::wire::raw::put_attr;
use kernel_model::kinds::vti6::{Vti6Data, Vti6Info};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::InfoData;

// IFLA_VTI_* (include/uapi/linux/if_tunnel.h); IFLA_VTI_MAX is IFLA_VTI_FWMARK.
const IFLA_VTI_LINK: u16 = 1;
const IFLA_VTI_IKEY: u16 = 2;
const IFLA_VTI_OKEY: u16 = 3;
const IFLA_VTI_LOCAL: u16 = 4;
const IFLA_VTI_REMOTE: u16 = 5;
const IFLA_VTI_FWMARK: u16 = 6;
const IFLA_VTI_MAX: u16 = 6;

const fn vti6_table() -> [AttrPolicy; IFLA_VTI_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_VTI_MAX as usize + 1];
    p[IFLA_VTI_LINK as usize] = AttrPolicy::of(U32);
    p[IFLA_VTI_LOCAL as usize] = AttrPolicy::with_len(Unspec, 16);
    p[IFLA_VTI_REMOTE as usize] = AttrPolicy::with_len(Unspec, 16);
    p[IFLA_VTI_IKEY as usize] = AttrPolicy::of(U32);
    p[IFLA_VTI_OKEY as usize] = AttrPolicy::of(U32);
    p[IFLA_VTI_FWMARK as usize] = AttrPolicy::of(U32);
    p
}

static VTI6_TABLE: [AttrPolicy; IFLA_VTI_MAX as usize + 1] = vti6_table();

/// `vti6_policy`.
pub static VTI6_POLICY: Policy = Policy {
    name: "vti6_policy",
    strict_start_type: 0,
    attrs: &VTI6_TABLE,
};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "vti6",
    policy: Some(&VTI6_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

/// `vti6_netlink_parms`.
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(KindData::new(Vti6Data {
        link: data.u32(IFLA_VTI_LINK),
        local: data.in6_addr(IFLA_VTI_LOCAL),
        remote: data.in6_addr(IFLA_VTI_REMOTE),
        ikey: data.be32(IFLA_VTI_IKEY),
        okey: data.be32(IFLA_VTI_OKEY),
        fwmark: data.u32(IFLA_VTI_FWMARK),
    }))
}

/// `vti6_fill_info`.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let p = &info.downcast_ref::<Vti6Info>()?.parms;
    let mut b = Vec::new();
    put_attr(&mut b, IFLA_VTI_LINK, &p.link.to_ne_bytes());
    put_attr(&mut b, IFLA_VTI_LOCAL, &in6(p.local));
    put_attr(&mut b, IFLA_VTI_REMOTE, &in6(p.remote));
    put_attr(&mut b, IFLA_VTI_IKEY, &p.i_key.to_be_bytes());
    put_attr(&mut b, IFLA_VTI_OKEY, &p.o_key.to_be_bytes());
    put_attr(&mut b, IFLA_VTI_FWMARK, &p.fwmark.to_ne_bytes());
    Some(InfoData::Other(b))
}
