//! gre, gretap (net/ipv4/ip_gre.c: `ipgre_policy`, `ipgre_fill_info`) and ip6gre, ip6gretap
//! (net/ipv6/ip6_gre.c: `ip6gre_policy`, `ip6gre_fill_info`). What netlink-packet-route
//! 0.34 cannot read (IFLA_GRE_IGNORE_DF, IFLA_GRE_FLAGS, any non-zero IFLA_GRE_PMTUDISC) is
//! read from the table here, and written as raw attributes by [`gre_gaps`].

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables::{
    self, IFLA_GRE_ERSPAN_DIR, IFLA_GRE_ERSPAN_HWID, IFLA_GRE_ERSPAN_INDEX, IFLA_GRE_ERSPAN_VER,
    IFLA_GRE_FLAGS, IFLA_GRE_IGNORE_DF, IFLA_GRE_PMTUDISC,
};
use kernel_model::kinds::gre::GreData;
use kernel_model::kinds::gre::{GreInfo, GreKind};
use kernel_model::{KindData, KindInfo};
use netlink_packet_core::DefaultNla;
use netlink_packet_route::link::{
    GreEncapFlags, GreEncapType, GreIOFlags, InfoData, InfoGre, InfoGre6,
};
use std::net::IpAddr;

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
pub static ERSPAN: LinkKindWire = LinkKindWire {
    kind: "erspan",
    ..IPV4
};
pub static IP6ERSPAN: LinkKindWire = LinkKindWire {
    kind: "ip6erspan",
    ..IPV6
};

fn to_model(d: GreData) -> KindData {
    KindData::new(d)
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
    d.erspan_index = data.u32(IFLA_GRE_ERSPAN_INDEX);
    d.erspan_ver = data.u8(IFLA_GRE_ERSPAN_VER);
    d.erspan_dir = data.u8(IFLA_GRE_ERSPAN_DIR);
    d.erspan_hwid = data.u16(IFLA_GRE_ERSPAN_HWID);
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
    let g = info.downcast_ref::<kernel_model::kinds::gre::GreInfo>()?;
    Some(encode_gre(g))
}

/// IFLA_GRE_* of gre and gretap (`ipgre_netlink_parms` reads the last of each type).
/// PMTUDISC and IGNORE_DF are read from the table by `with_raw`.
pub fn decode_gre(nlas: &[InfoGre]) -> GreData {
    let mut d = GreData::default();
    for n in nlas {
        match n {
            InfoGre::Link(v) => d.link = Some(*v),
            InfoGre::IFlags(f) => d.iflags = Some(f.bits()),
            InfoGre::OFlags(f) => d.oflags = Some(f.bits()),
            InfoGre::IKey(v) => d.ikey = Some(*v),
            InfoGre::OKey(v) => d.okey = Some(*v),
            InfoGre::Local(a) => d.local = Some(IpAddr::V4(*a)),
            InfoGre::Remote(a) => d.remote = Some(IpAddr::V4(*a)),
            InfoGre::Ttl(v) => d.ttl = Some(*v),
            InfoGre::Tos(v) => d.tos = Some(*v),
            InfoGre::PathMTUDiscovery(v) => d.pmtudisc = Some(u8::from(*v)),
            InfoGre::EncapType(t) => d.encap_type = Some(u16::from(t)),
            InfoGre::EncapFlags(f) => d.encap_flags = Some(f.bits()),
            InfoGre::SourcePort(v) => d.encap_sport = Some(*v),
            InfoGre::DestinationPort(v) => d.encap_dport = Some(*v),
            InfoGre::CollectMetadata => d.collect_metadata = true,
            InfoGre::FwMask(v) => d.fwmark = Some(*v),
            _ => {}
        }
    }
    d
}

/// IFLA_GRE_* of ip6gre and ip6gretap (`ip6gre_netlink_parms`); FLAGS is read from the table by `with_raw`.
pub fn decode_gre6(nlas: &[InfoGre6]) -> GreData {
    let mut d = GreData::default();
    for n in nlas {
        match n {
            InfoGre6::Link(v) => d.link = Some(*v),
            InfoGre6::IFlags(f) => d.iflags = Some(f.bits()),
            InfoGre6::OFlags(f) => d.oflags = Some(f.bits()),
            InfoGre6::IKey(v) => d.ikey = Some(*v),
            InfoGre6::OKey(v) => d.okey = Some(*v),
            InfoGre6::Local(a) => d.local = Some(IpAddr::V6(*a)),
            InfoGre6::Remote(a) => d.remote = Some(IpAddr::V6(*a)),
            InfoGre6::Ttl(v) => d.ttl = Some(*v),
            InfoGre6::EncapLimit(v) => d.encap_limit = Some(*v),
            InfoGre6::FlowLabel(v) => d.flowinfo = Some(*v),
            InfoGre6::EncapType(t) => d.encap_type = Some(u16::from(t)),
            InfoGre6::EncapFlags(f) => d.encap_flags = Some(f.bits()),
            InfoGre6::SourcePort(v) => d.encap_sport = Some(*v),
            InfoGre6::DestinationPort(v) => d.encap_dport = Some(*v),
            InfoGre6::CollectMetadata => d.collect_metadata = true,
            InfoGre6::FwMask(v) => d.fwmark = Some(*v),
            _ => {}
        }
    }
    d
}

/// `erspan_fill_info` / the head of `ip6gre_fill_info` for ip6erspan: the version and its
/// fields before the GRE attributes, and the output flags with KEY (a configured ERSPAN
/// tunnel always sends the session ID).
fn erspan_head(s: &GreInfo) -> (Vec<DefaultNla>, u16) {
    let e = &s.erspan;
    let shown = if s.kind.is_v6() {
        e.ver == 1 || e.ver == 2
    } else {
        e.ver <= 2
    };
    let mut head = Vec::new();
    if !s.kind.is_erspan() || !shown {
        return (head, s.parms.o_flags);
    }
    head.push(DefaultNla::new(IFLA_GRE_ERSPAN_VER, vec![e.ver]));
    if e.ver == 1 {
        head.push(DefaultNla::new(
            IFLA_GRE_ERSPAN_INDEX,
            e.index.to_ne_bytes().to_vec(),
        ));
    } else if e.ver == 2 {
        head.push(DefaultNla::new(IFLA_GRE_ERSPAN_DIR, vec![e.dir]));
        head.push(DefaultNla::new(
            IFLA_GRE_ERSPAN_HWID,
            e.hwid.to_ne_bytes().to_vec(),
        ));
    }
    let collect_md = if s.kind.is_v6() {
        s.parms.collect_md
    } else {
        s.collect_md
    };
    let mut o_flags = s.parms.o_flags;
    if e.ver != 0 && !collect_md {
        o_flags |= kernel_model::kinds::gre::gre_flag::KEY;
    }
    (head, o_flags)
}

/// `ipgre_fill_info` (gre, gretap), `erspan_fill_info` and `ip6gre_fill_info` (ip6gre,
/// ip6gretap, ip6erspan).
pub fn encode_gre(s: &GreInfo) -> InfoData {
    let p = &s.parms;
    let (head, o_flags) = erspan_head(s);
    if s.kind.is_v6() {
        let v6 = |a: IpAddr| match a {
            IpAddr::V6(a) => a,
            IpAddr::V4(a) => a.to_ipv6_mapped(),
        };
        let mut a: Vec<InfoGre6> = head.into_iter().map(InfoGre6::Other).collect();
        a.extend([
            InfoGre6::Link(p.link),
            InfoGre6::IFlags(GreIOFlags::from_bits_retain(p.i_flags)),
            InfoGre6::OFlags(GreIOFlags::from_bits_retain(o_flags)),
            InfoGre6::IKey(p.i_key),
            InfoGre6::OKey(p.o_key),
            InfoGre6::Local(v6(p.local)),
            InfoGre6::Remote(v6(p.remote)),
            InfoGre6::Ttl(p.ttl),
            InfoGre6::EncapLimit(p.encap_limit),
            InfoGre6::FlowLabel(p.flowinfo),
            InfoGre6::Other(gre_gaps::flags(p.flags)),
            InfoGre6::FwMask(p.fwmark),
            InfoGre6::EncapType(GreEncapType::from(s.encap.kind)),
            InfoGre6::SourcePort(s.encap.sport),
            InfoGre6::DestinationPort(s.encap.dport),
            InfoGre6::EncapFlags(GreEncapFlags::from_bits_retain(s.encap.flags)),
        ]);
        if p.collect_md {
            a.push(InfoGre6::CollectMetadata);
        }
        return match s.kind {
            GreKind::Ip6GreTap => InfoData::GreTap6(a),
            GreKind::Ip6Erspan => InfoData::Ip6ErSpan(a),
            _ => InfoData::GreTun6(a),
        };
    }
    let v4 = |a: IpAddr| match a {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => std::net::Ipv4Addr::UNSPECIFIED,
    };
    let mut a: Vec<InfoGre> = head.into_iter().map(InfoGre::Other).collect();
    a.extend([
        InfoGre::Link(p.link),
        InfoGre::IFlags(GreIOFlags::from_bits_retain(p.i_flags)),
        InfoGre::OFlags(GreIOFlags::from_bits_retain(o_flags)),
        InfoGre::IKey(p.i_key),
        InfoGre::OKey(p.o_key),
        InfoGre::Local(v4(p.local)),
        InfoGre::Remote(v4(p.remote)),
        InfoGre::Ttl(p.ttl),
        InfoGre::Tos(p.tos),
        InfoGre::PathMTUDiscovery(p.pmtudisc),
        InfoGre::FwMask(p.fwmark),
        InfoGre::EncapType(GreEncapType::from(s.encap.kind)),
        InfoGre::SourcePort(s.encap.sport),
        InfoGre::DestinationPort(s.encap.dport),
        InfoGre::EncapFlags(GreEncapFlags::from_bits_retain(s.encap.flags)),
        InfoGre::Other(gre_gaps::ignore_df(s.ignore_df)),
    ]);
    if s.collect_md {
        a.push(InfoGre::CollectMetadata);
    }
    match s.kind {
        GreKind::GreTap => InfoData::GreTap(a),
        GreKind::Erspan => InfoData::ErSpan(a),
        _ => InfoData::GreTun(a),
    }
}

/// What netlink-packet-route 0.34 lacks for encoding the GRE attribute sets: IFLA_GRE_IGNORE_DF
/// (gre, gretap) and IFLA_GRE_FLAGS (ip6gre, ip6gretap) have no typed variant (decoding reads
/// them, and IFLA_GRE_PMTUDISC, from the table: `rtnl::kinds::gre`).
pub mod gre_gaps {
    use crate::wire::policy::tables::{IFLA_GRE_FLAGS, IFLA_GRE_IGNORE_DF};
    use netlink_packet_core::DefaultNla;

    /// IFLA_GRE_IGNORE_DF as `ipgre_fill_info` puts it (u8).
    pub fn ignore_df(on: bool) -> DefaultNla {
        DefaultNla::new(IFLA_GRE_IGNORE_DF, vec![u8::from(on)])
    }

    /// IFLA_GRE_FLAGS as `ip6gre_fill_info` puts it (u32, host order).
    pub fn flags(v: u32) -> DefaultNla {
        DefaultNla::new(IFLA_GRE_FLAGS, v.to_ne_bytes().to_vec())
    }
}
