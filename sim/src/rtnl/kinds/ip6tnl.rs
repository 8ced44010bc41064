//! ip6tnl (net/ipv6/ip6_tunnel.c: `ip6_tnl_policy`, `ip6_tnl_netlink_parms`,
//! `ip6_tnl_fill_info`). netlink-packet-route 0.34's `InfoIpTunnel` does not encode the
//! kernel's attribute set in its order, so the fill is raw attributes.

use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::{AttrPolicy, NlaType::*, Policy};
use crate::wire::raw::put_attr;
use kernel_model::kinds::ip6tnl::{Ip6TnlData, Ip6TnlInfo};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::InfoData;
use std::net::IpAddr;

// IFLA_IPTUN_* (include/uapi/linux/if_tunnel.h); IFLA_IPTUN_MAX is IFLA_IPTUN_FWMARK.
pub const IFLA_IPTUN_LINK: u16 = 1;
pub const IFLA_IPTUN_LOCAL: u16 = 2;
pub const IFLA_IPTUN_REMOTE: u16 = 3;
pub const IFLA_IPTUN_TTL: u16 = 4;
pub const IFLA_IPTUN_ENCAP_LIMIT: u16 = 6;
pub const IFLA_IPTUN_FLOWINFO: u16 = 7;
pub const IFLA_IPTUN_FLAGS: u16 = 8;
pub const IFLA_IPTUN_PROTO: u16 = 9;
pub const IFLA_IPTUN_ENCAP_TYPE: u16 = 15;
pub const IFLA_IPTUN_ENCAP_FLAGS: u16 = 16;
pub const IFLA_IPTUN_ENCAP_SPORT: u16 = 17;
pub const IFLA_IPTUN_ENCAP_DPORT: u16 = 18;
pub const IFLA_IPTUN_COLLECT_METADATA: u16 = 19;
pub const IFLA_IPTUN_FWMARK: u16 = 20;
const IFLA_IPTUN_MAX: u16 = 20;

const fn ip6_tnl_table() -> [AttrPolicy; IFLA_IPTUN_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_IPTUN_MAX as usize + 1];
    p[IFLA_IPTUN_LINK as usize] = AttrPolicy::of(U32);
    p[IFLA_IPTUN_LOCAL as usize] = AttrPolicy::with_len(Unspec, 16);
    p[IFLA_IPTUN_REMOTE as usize] = AttrPolicy::with_len(Unspec, 16);
    p[IFLA_IPTUN_TTL as usize] = AttrPolicy::of(U8);
    p[IFLA_IPTUN_ENCAP_LIMIT as usize] = AttrPolicy::of(U8);
    p[IFLA_IPTUN_FLOWINFO as usize] = AttrPolicy::of(U32);
    p[IFLA_IPTUN_FLAGS as usize] = AttrPolicy::of(U32);
    p[IFLA_IPTUN_PROTO as usize] = AttrPolicy::of(U8);
    p[IFLA_IPTUN_ENCAP_TYPE as usize] = AttrPolicy::of(U16);
    p[IFLA_IPTUN_ENCAP_FLAGS as usize] = AttrPolicy::of(U16);
    p[IFLA_IPTUN_ENCAP_SPORT as usize] = AttrPolicy::of(U16);
    p[IFLA_IPTUN_ENCAP_DPORT as usize] = AttrPolicy::of(U16);
    p[IFLA_IPTUN_COLLECT_METADATA as usize] = AttrPolicy::of(Flag);
    p[IFLA_IPTUN_FWMARK as usize] = AttrPolicy::of(U32);
    p
}

static IP6_TNL_TABLE: [AttrPolicy; IFLA_IPTUN_MAX as usize + 1] = ip6_tnl_table();

/// `ip6_tnl_policy`.
pub static IP6_TNL_POLICY: Policy = Policy {
    name: "ip6_tnl_policy",
    strict_start_type: 0,
    attrs: &IP6_TNL_TABLE,
};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "ip6tnl",
    policy: Some(&IP6_TNL_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

/// `ip6_tnl_netlink_parms` and `ip_tunnel_netlink_encap_parms` read these (the policy check
/// ran: lengths are right).
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(KindData::new(Ip6TnlData {
        link: data.u32(IFLA_IPTUN_LINK),
        local: data.in6_addr(IFLA_IPTUN_LOCAL),
        remote: data.in6_addr(IFLA_IPTUN_REMOTE),
        ttl: data.u8(IFLA_IPTUN_TTL),
        encap_limit: data.u8(IFLA_IPTUN_ENCAP_LIMIT),
        flowinfo: data.be32(IFLA_IPTUN_FLOWINFO),
        flags: data.u32(IFLA_IPTUN_FLAGS),
        proto: data.u8(IFLA_IPTUN_PROTO),
        collect_metadata: data.flag(IFLA_IPTUN_COLLECT_METADATA),
        fwmark: data.u32(IFLA_IPTUN_FWMARK),
        encap_type: data.u16(IFLA_IPTUN_ENCAP_TYPE),
        encap_flags: data.u16(IFLA_IPTUN_ENCAP_FLAGS),
        encap_sport: data.be16(IFLA_IPTUN_ENCAP_SPORT),
        encap_dport: data.be16(IFLA_IPTUN_ENCAP_DPORT),
    }))
}

pub(crate) fn in6(a: IpAddr) -> [u8; 16] {
    match a {
        IpAddr::V6(a) => a.octets(),
        IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
    }
}

/// `ip6_tnl_fill_info`.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let s = info.downcast_ref::<Ip6TnlInfo>()?;
    let p = &s.parms;
    let mut b = Vec::new();
    put_attr(&mut b, IFLA_IPTUN_LINK, &p.link.to_ne_bytes());
    put_attr(&mut b, IFLA_IPTUN_LOCAL, &in6(p.local));
    put_attr(&mut b, IFLA_IPTUN_REMOTE, &in6(p.remote));
    put_attr(&mut b, IFLA_IPTUN_TTL, &[p.ttl]);
    put_attr(&mut b, IFLA_IPTUN_ENCAP_LIMIT, &[p.encap_limit]);
    put_attr(&mut b, IFLA_IPTUN_FLOWINFO, &p.flowinfo.to_be_bytes());
    put_attr(&mut b, IFLA_IPTUN_FLAGS, &p.flags.to_ne_bytes());
    put_attr(&mut b, IFLA_IPTUN_PROTO, &[s.proto]);
    put_attr(&mut b, IFLA_IPTUN_FWMARK, &p.fwmark.to_ne_bytes());
    put_attr(&mut b, IFLA_IPTUN_ENCAP_TYPE, &s.encap.kind.to_ne_bytes());
    put_attr(&mut b, IFLA_IPTUN_ENCAP_SPORT, &s.encap.sport.to_be_bytes());
    put_attr(&mut b, IFLA_IPTUN_ENCAP_DPORT, &s.encap.dport.to_be_bytes());
    put_attr(&mut b, IFLA_IPTUN_ENCAP_FLAGS, &s.encap.flags.to_ne_bytes());
    if p.collect_md {
        put_attr(&mut b, IFLA_IPTUN_COLLECT_METADATA, &[]);
    }
    Some(InfoData::Other(b))
}
