//! macvlan and macvtap (drivers/net/macvlan.c, macvtap.c): `macvlan_policy`,
//! `macvlan_fill_info`.

use crate::rtnl::link_kind::{typed_in_order, DecodeCtx, FillCtx, LinkKindWire};
use crate::wire::attrs::{Attrs, DecodeError};
use crate::wire::policy::tables;
use kernel_model::kinds::macvlan::MacvlanData;
use kernel_model::kinds::macvlan::MacvlanInfo;
use kernel_model::{KindData, KindInfo};
use netlink_packet_route::link::{
    InfoData, InfoMacVlan, InfoMacVtap, MacVlanFlags, MacVlanMacAddressMode, MacVlanMode,
};

pub static MACVLAN: LinkKindWire = LinkKindWire {
    kind: "macvlan",
    policy: Some(&tables::MACVLAN_POLICY),
    decode: Some(decode_macvlan_data),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

pub static MACVTAP: LinkKindWire = LinkKindWire {
    kind: "macvtap",
    policy: Some(&tables::MACVLAN_POLICY),
    decode: Some(decode_macvtap_data),
    fill: Some(fill),
    ..LinkKindWire::NONE
};

fn to_model(d: MacvlanData) -> KindData {
    KindData::new(d)
}

fn decode_macvlan_data(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_macvlan(&typed_in_order::<InfoMacVlan>(
        data,
    )?)))
}

fn decode_macvtap_data(data: &Attrs<'_>, _: &DecodeCtx<'_>) -> Result<KindData, DecodeError> {
    Ok(to_model(decode_macvtap(&typed_in_order::<InfoMacVtap>(
        data,
    )?)))
}

/// `macvlan_fill_info` (macvtap reports the same attributes).
fn fill(info: &KindInfo, ctx: &FillCtx<'_>) -> Option<InfoData> {
    let m = info.downcast_ref::<kernel_model::kinds::macvlan::MacvlanInfo>()?;
    Some(if ctx.kind == "macvtap" {
        InfoData::MacVtap(
            encode_macvlan(m)
                .into_iter()
                .map(macvlan_to_macvtap)
                .collect(),
        )
    } else {
        InfoData::MacVlan(encode_macvlan(m))
    })
}

/// IFLA_MACVLAN_* of macvlan (`InfoMacVlan`).
pub fn decode_macvlan(nlas: &[InfoMacVlan]) -> MacvlanData {
    let mut d = MacvlanData::default();
    for n in nlas {
        match n {
            InfoMacVlan::Mode(m) => d.mode = Some(u32::from(*m)),
            InfoMacVlan::Flags(f) => d.flags = Some(f.bits()),
            InfoMacVlan::MacAddrMode(m) => d.macaddr_mode = Some(u32::from(*m)),
            InfoMacVlan::MacAddr(a) => d.macaddr = Some(a.to_vec()),
            InfoMacVlan::MacAddrData(list) => {
                d.macaddr_data = Some(
                    list.iter()
                        .map(|e| match e {
                            InfoMacVlan::MacAddr(a) => Some(a.to_vec()),
                            _ => None,
                        })
                        .collect(),
                )
            }
            InfoMacVlan::MacAddrCount(_) => d.macaddr_count = true,
            InfoMacVlan::BcQueueLen(v) => d.bc_queue_len = Some(*v),
            InfoMacVlan::BcCutoff(v) => d.bc_cutoff = Some(*v),
            // IFLA_MACVLAN_BC_QUEUE_LEN_USED is NLA_REJECT: the policy refused it already.
            _ => {}
        }
    }
    d
}

/// IFLA_MACVLAN_* of macvtap (`InfoMacVtap`, the same attributes).
pub fn decode_macvtap(nlas: &[InfoMacVtap]) -> MacvlanData {
    let mut d = MacvlanData::default();
    for n in nlas {
        match n {
            InfoMacVtap::Mode(m) => d.mode = Some(u32::from(*m)),
            InfoMacVtap::Flags(f) => d.flags = Some(f.bits()),
            InfoMacVtap::MacAddrMode(m) => d.macaddr_mode = Some(u32::from(*m)),
            InfoMacVtap::MacAddr(a) => d.macaddr = Some(a.to_vec()),
            InfoMacVtap::MacAddrData(list) => {
                d.macaddr_data = Some(
                    list.iter()
                        .map(|e| match e {
                            InfoMacVtap::MacAddr(a) => Some(a.to_vec()),
                            _ => None,
                        })
                        .collect(),
                )
            }
            InfoMacVtap::MacAddrCount(_) => d.macaddr_count = true,
            InfoMacVtap::BcQueueLen(v) => d.bc_queue_len = Some(*v),
            InfoMacVtap::BcCutoff(v) => d.bc_cutoff = Some(*v),
            _ => {}
        }
    }
    d
}

fn encode_macvlan(m: &MacvlanInfo) -> Vec<InfoMacVlan> {
    let mut a = vec![
        InfoMacVlan::Mode(MacVlanMode::from(m.mode)),
        InfoMacVlan::Flags(MacVlanFlags::from_bits_retain(m.flags)),
        InfoMacVlan::MacAddrCount(m.macaddrs.len() as u32),
    ];
    if !m.macaddrs.is_empty() {
        a.push(InfoMacVlan::MacAddrData(
            m.macaddrs
                .iter()
                .filter_map(|h| <[u8; 6]>::try_from(h.as_bytes()).ok())
                .map(InfoMacVlan::MacAddr)
                .collect(),
        ));
    }
    a.push(InfoMacVlan::BcQueueLen(m.bc_queue_len));
    a.push(InfoMacVlan::BcQueueLenUsed(m.bc_queue_len_used));
    if m.bc_cutoff != 1 {
        a.push(InfoMacVlan::BcCutoff(m.bc_cutoff));
    }
    a
}

fn macvlan_to_macvtap(n: InfoMacVlan) -> InfoMacVtap {
    match n {
        InfoMacVlan::Mode(m) => InfoMacVtap::Mode(m),
        InfoMacVlan::Flags(f) => InfoMacVtap::Flags(f),
        InfoMacVlan::MacAddrMode(m) => InfoMacVtap::MacAddrMode(m),
        InfoMacVlan::MacAddr(a) => InfoMacVtap::MacAddr(a),
        InfoMacVlan::MacAddrData(l) => {
            InfoMacVtap::MacAddrData(l.into_iter().map(macvlan_to_macvtap).collect())
        }
        InfoMacVlan::MacAddrCount(v) => InfoMacVtap::MacAddrCount(v),
        InfoMacVlan::BcQueueLen(v) => InfoMacVtap::BcQueueLen(v),
        InfoMacVlan::BcQueueLenUsed(v) => InfoMacVtap::BcQueueLenUsed(v),
        InfoMacVlan::BcCutoff(v) => InfoMacVtap::BcCutoff(v),
        // encode_macvlan produces none of the others.
        _ => InfoMacVtap::MacAddrMode(MacVlanMacAddressMode::Flush),
    }
}
