//! gre, gretap (net/ipv4/ip_gre.c: `ipgre_policy`, `ipgre_fill_info`) and ip6gre, ip6gretap
//! (net/ipv6/ip6_gre.c: `ip6gre_policy`, `ip6gre_fill_info`). Attribute-level code is in
//! `rtnl::tunnel`; what netlink-packet-route 0.34 cannot read (IFLA_GRE_IGNORE_DF,
//! IFLA_GRE_FLAGS, any non-zero IFLA_GRE_PMTUDISC) is read from the table here.

use super::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::rtnl::tunnel::{decode_gre, decode_gre6, encode};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables::{self, IFLA_GRE_FLAGS, IFLA_GRE_IGNORE_DF, IFLA_GRE_PMTUDISC};
use kernel_model::kinds::gre::GreData;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{InfoData, InfoGre, InfoGre6};

const IPV4: LinkKindWire = LinkKindWire {
    policy: Some(&tables::IPGRE_POLICY),
    decode: Some(decode_v4),
    fill: Some(fill),
    ..LinkKindWire::NONE
};
const IPV6: LinkKindWire = LinkKindWire {
    policy: Some(&tables::IP6GRE_POLICY),
    decode: Some(decode_v6),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

pub static GRE: LinkKindWire = LinkKindWire {
    kind: "gre",
    ..IPV4
};
pub static GRETAP: LinkKindWire = LinkKindWire {
    kind: "gretap",
    ..IPV4
};
pub static IP6GRE: LinkKindWire = LinkKindWire {
    kind: "ip6gre",
    ..IPV6
};
pub static IP6GRETAP: LinkKindWire = LinkKindWire {
    kind: "ip6gretap",
    ..IPV6
};

fn to_model(d: GreData) -> KindData {
    KindData::Gre(Box::new(d))
}

/// The attributes the typed reading cannot give (the policy check ran: lengths are right).
fn with_raw(mut d: GreData, data: &Attrs<'_>) -> GreData {
    if let Some(v) = data.u8(IFLA_GRE_PMTUDISC) {
        d.pmtudisc = Some(v);
    }
    if let Some(v) = data.u8(IFLA_GRE_IGNORE_DF) {
        d.ignore_df = Some(v);
    }
    if let Some(v) = data.u32(IFLA_GRE_FLAGS) {
        d.flags = Some(v);
    }
    d
}

fn decode_v4(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let d = decode_gre(&typed_in_order::<InfoGre>(data)?);
    Ok(to_model(with_raw(d, data)))
}

fn decode_v6(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    let d = decode_gre6(&typed_in_order::<InfoGre6>(data)?);
    Ok(to_model(with_raw(d, data)))
}

fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    encode(info)
}
