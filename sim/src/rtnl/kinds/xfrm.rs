//! xfrm interfaces (net/xfrm/xfrm_interface_core.c): `xfrmi_policy`, `xfrmi_netlink_parms`,
//! `xfrmi_fill_info`. netlink-packet-route's `InfoXfrm` has no IFLA_XFRM_COLLECT_METADATA:
//! the fill is written raw.

use crate::rtnl::link_kind::{DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use crate::wire::raw::put_attr;
use kernel_model::kinds::xfrm::{ifla_xfrm, XfrmData, XfrmInfo};
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::InfoData;

static XFRMI_TABLE: [AttrPolicy; 4] = [
    AttrPolicy::UNSPEC,
    AttrPolicy::of(NlaType::U32),
    AttrPolicy::of(NlaType::U32),
    AttrPolicy::of(NlaType::Flag),
];

/// `xfrmi_policy`: strict from IFLA_XFRM_COLLECT_METADATA.
pub static XFRMI_POLICY: Policy = Policy {
    name: "xfrmi_policy",
    strict_start_type: ifla_xfrm::COLLECT_METADATA,
    attrs: &XFRMI_TABLE,
};

pub static WIRE: LinkKindWire = LinkKindWire {
    kind: "xfrm",
    policy: Some(&XFRMI_POLICY),
    decode: Some(decode),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

/// `xfrmi_netlink_parms`: absent attributes are 0.
fn decode(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(KindData::new(XfrmData {
        link: data.u32(ifla_xfrm::LINK).unwrap_or(0),
        if_id: data.u32(ifla_xfrm::IF_ID).unwrap_or(0),
        collect_md: data.has(ifla_xfrm::COLLECT_METADATA),
    }))
}

/// `xfrmi_fill_info`: LINK, IF_ID, then the COLLECT_METADATA flag when external.
fn fill(info: &KindInfo, _: &FillCtx<'_>) -> Option<InfoData> {
    let x = info.downcast_ref::<XfrmInfo>()?;
    let mut out = Vec::new();
    put_attr(&mut out, ifla_xfrm::LINK, &x.link.to_ne_bytes());
    put_attr(&mut out, ifla_xfrm::IF_ID, &x.if_id.to_ne_bytes());
    if x.collect_md {
        put_attr(&mut out, ifla_xfrm::COLLECT_METADATA, &[]);
    }
    Some(InfoData::Other(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `xfrmi_fill_info` of an external device: LINK 0, IF_ID 0, then the flag.
    #[test]
    fn fill_external() {
        let info = KindInfo::new(XfrmInfo {
            link: 0,
            if_id: 0,
            collect_md: true,
        });
        let ctx = FillCtx { kind: "xfrm" };
        let Some(InfoData::Other(bytes)) = fill(&info, &ctx) else {
            panic!("xfrm fills raw attributes");
        };
        assert_eq!(
            bytes,
            [8, 0, 1, 0, 0, 0, 0, 0, 8, 0, 2, 0, 0, 0, 0, 0, 4, 0, 3, 0]
        );
    }
}
