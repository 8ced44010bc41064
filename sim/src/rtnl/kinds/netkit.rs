//! netkit (drivers/net/netkit.c): `netkit_policy`, the request data `netkit_new_link` /
//! `netkit_change_link` read, and `netkit_fill_info` (written raw: the bytes are the kernel's
//! order and sizes, PRIMARY as a u8).

use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::{AttrPolicy, NlaType, Policy, Validation};
use crate::wire::raw::put_attr;
use kernel_model::kinds::netkit::{ifla_netkit, NetkitData, NetkitInfo, NETKIT_SCRUB_DEFAULT};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::InfoData;

/// sizeof(struct ifinfomsg).
const IFINFOMSG_LEN: u16 = 16;

const fn netkit_table() -> [AttrPolicy; ifla_netkit::PEER_SCRUB as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; ifla_netkit::PEER_SCRUB as usize + 1];
    p[ifla_netkit::PEER_INFO as usize] = AttrPolicy::with_len(NlaType::Unspec, IFINFOMSG_LEN);
    p[ifla_netkit::MODE as usize] = AttrPolicy::of(NlaType::U32);
    p[ifla_netkit::POLICY as usize] = AttrPolicy::of(NlaType::U32);
    p[ifla_netkit::PEER_POLICY as usize] = AttrPolicy::of(NlaType::U32);
    let scrub = AttrPolicy::validated(NlaType::U32, Validation::Max(NETKIT_SCRUB_DEFAULT as i64));
    p[ifla_netkit::SCRUB as usize] = scrub;
    p[ifla_netkit::PEER_SCRUB as usize] = scrub;
    let mut primary = AttrPolicy::of(NlaType::Reject);
    primary.reject_message = Some("Primary attribute is read-only");
    p[ifla_netkit::PRIMARY as usize] = primary;
    p
}

static NETKIT_TABLE: [AttrPolicy; ifla_netkit::PEER_SCRUB as usize + 1] = netkit_table();

/// `netkit_policy`.
pub static NETKIT_POLICY: Policy = Policy {
    name: "netkit_policy",
    strict_start_type: 0,
    attrs: &NETKIT_TABLE,
};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "netkit",
    policy: Some(&NETKIT_POLICY),
    peer: Some(ifla_netkit::PEER_INFO),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

/// IFLA_NETKIT_*: the peer's ifinfomsg + attributes as a link request of its own.
fn decode(data: &Attrs<'_>, ctx: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let peer = match data.get(ifla_netkit::PEER_INFO) {
        Some(p) => Some(Box::new(ctx.decode_peer(data.msg(), &p)?)),
        None => None,
    };
    Ok(KindData::new(NetkitData {
        peer,
        mode: data.u32(ifla_netkit::MODE),
        policy: data.u32(ifla_netkit::POLICY),
        peer_policy: data.u32(ifla_netkit::PEER_POLICY),
        scrub: data.u32(ifla_netkit::SCRUB),
        peer_scrub: data.u32(ifla_netkit::PEER_SCRUB),
    }))
}

/// `netkit_fill_info`: PRIMARY (u8), POLICY, MODE, SCRUB, then with a peer PEER_POLICY and
/// PEER_SCRUB.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let n = info.downcast_ref::<NetkitInfo>()?;
    let mut out = Vec::new();
    put_attr(&mut out, ifla_netkit::PRIMARY, &[u8::from(n.primary)]);
    put_attr(&mut out, ifla_netkit::POLICY, &n.policy.to_ne_bytes());
    put_attr(&mut out, ifla_netkit::MODE, &n.mode.to_ne_bytes());
    put_attr(&mut out, ifla_netkit::SCRUB, &n.scrub.to_ne_bytes());
    if let Some((policy, scrub)) = n.peer {
        put_attr(&mut out, ifla_netkit::PEER_POLICY, &policy.to_ne_bytes());
        put_attr(&mut out, ifla_netkit::PEER_SCRUB, &scrub.to_ne_bytes());
    }
    Some(InfoData::Other(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// golden/kernel/6.12/netkit.txt CMD[9]: nka (primary, L2, policy pass, scrub none; peer
    /// policy drop, scrub default), IFLA_INFO_DATA's payload as the kernel wrote it.
    #[test]
    fn fill_matches_kernel_bytes() {
        let info = KindInfo::new(NetkitInfo {
            primary: true,
            policy: 0,
            mode: 0,
            scrub: 0,
            peer: Some((2, 1)),
        });
        let ctx = FillCtx { kind: "netkit" };
        let Some(InfoData::Other(bytes)) = fill(&info, &ctx) else {
            panic!("netkit fills raw attributes");
        };
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "0500020001000000080003000000000008000500000000000800060000000000\
             08000400020000000800070001000000"
        );
    }
}
