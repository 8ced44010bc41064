//! AF_BRIDGE link messages (`br_fill_ifinfo`, net/bridge/br_netlink.c): what `bridge link`
//! dumps and what `br_ifinfo_notify` multicasts for bridge ports.

use super::bridge::{decode_port_opts_raw, encode_bridge_port_info};
use super::fill::emit;
use super::msgtype::IFINFOMSG_LEN;
use crate::wire::attrs::Attrs;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::tables;
use crate::wire::raw::{NlaIter, RawMessage};
use kernel_model::kinds::bridge::{
    rtnl_bridge_setlink, AfSpecEntry, BridgeAfSpec, BridgeCmd, ProtInfo, VlanGroup,
};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, LinkMsg, LinkView, NetnsId};
use netlink_packet_core::{DefaultNla, Emitable, NLA_F_NESTED};
use netlink_packet_route::link::{
    LinkAttribute, LinkFlags, LinkHeader, LinkLayerType, LinkMessage, State,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

/// IFLA_PROTINFO; the kernel opens it with `nla_nest_start`, so NLA_F_NESTED is set.
const IFLA_PROTINFO: u16 = 12;

/// RTEXT_FILTER_BRVLAN / RTEXT_FILTER_BRVLAN_COMPRESSED / MRP / CFM_CONFIG / CFM_STATUS / MST.
pub const RTEXT_FILTER_BRVLAN: u32 = 1 << 1;
pub const RTEXT_FILTER_BRVLAN_COMPRESSED: u32 = 1 << 2;
const RTEXT_FILTER_MRP: u32 = 1 << 4;
const RTEXT_FILTER_CFM_CONFIG: u32 = 1 << 5;
const RTEXT_FILTER_CFM_STATUS: u32 = 1 << 6;
const RTEXT_FILTER_MST: u32 = 1 << 7;
/// The filter `br_ifinfo_notify` uses for its notifications.
pub const NOTIFY_FILTER: u32 = RTEXT_FILTER_BRVLAN_COMPRESSED;

/// `br_fill_ifvlaninfo` / `br_fill_ifvlaninfo_compressed`: IFLA_BRIDGE_VLAN_INFO entries, the
/// compressed form merging runs of consecutive VLANs with equal flags into RANGE_BEGIN /
/// RANGE_END pairs.
fn vlan_info_attrs(vg: &VlanGroup, compressed: bool) -> Vec<u8> {
    const RANGE_BEGIN: u16 = 1 << 3;
    const RANGE_END: u16 = 1 << 4;
    let mut out = Vec::new();
    let mut put = |flags: u16, vid: u16| {
        out.extend_from_slice(&8u16.to_ne_bytes());
        out.extend_from_slice(&IFLA_BRIDGE_VLAN_INFO.to_ne_bytes());
        out.extend_from_slice(&flags.to_ne_bytes());
        out.extend_from_slice(&vid.to_ne_bytes());
    };
    let vlans = vg.reported();
    if !compressed {
        for (vid, flags) in vlans {
            put(flags, vid);
        }
        return out;
    }
    let mut range: Option<(u16, u16, u16)> = None;
    let flush = |r: (u16, u16, u16), put: &mut dyn FnMut(u16, u16)| {
        let (start, end, flags) = r;
        if end > start {
            put(flags | RANGE_BEGIN, start);
            put(flags | RANGE_END, end);
        } else {
            put(flags, start);
        }
    };
    for (vid, flags) in vlans {
        match range {
            Some((start, end, f)) if vid.wrapping_sub(end) == 1 && f == flags => {
                range = Some((start, vid, f));
            }
            Some(r) => {
                flush(r, &mut put);
                range = Some((vid, vid, flags));
            }
            None => range = Some((vid, vid, flags)),
        }
    }
    if let Some(r) = range {
        flush(r, &mut put);
    }
    out
}

/// The VLAN part of `br_fill_ifinfo`'s IFLA_AF_SPEC (the nest is left out when empty; MRP, CFM
/// and MST add nothing: none is ever enabled in the model).
fn af_spec(vg: &VlanGroup, filter_mask: u32) -> Option<LinkAttribute> {
    if filter_mask & (RTEXT_FILTER_BRVLAN | RTEXT_FILTER_BRVLAN_COMPRESSED) == 0 {
        return None;
    }
    let bytes = vlan_info_attrs(vg, filter_mask & RTEXT_FILTER_BRVLAN_COMPRESSED != 0);
    if bytes.is_empty() {
        return None;
    }
    // nla_nest_start_noflag: no NLA_F_NESTED.
    Some(LinkAttribute::Other(DefaultNla::new(
        tables::IFLA_AF_SPEC,
        bytes,
    )))
}

/// `br_fill_ifinfo`: a bridge port (`port` set) or, for `bridge vlan show`, the bridge device
/// itself (`br_getlink` answers for it only with a BRVLAN/MRP/CFM filter).
/// The netlink header fields of one message: type, flags, sequence number, port id.
struct Head {
    msg: LinkMsg,
    flags: u16,
    seq: u32,
    portid: u32,
}

fn encode_br_ifinfo(
    v: &LinkView,
    master: u32,
    protinfo: Option<Vec<u8>>,
    vg: &VlanGroup,
    head: Head,
    filter_mask: u32,
) -> Vec<u8> {
    let Head {
        msg,
        flags,
        seq,
        portid,
    } = head;
    let header = LinkHeader {
        interface_family: AddressFamily::Bridge,
        index: v.ifindex,
        link_layer_type: LinkLayerType::from(v.dev_type),
        flags: LinkFlags::from_bits_retain(v.flags),
        ..LinkHeader::default()
    };
    let mut a = vec![
        LinkAttribute::IfName(v.name.clone()),
        LinkAttribute::Controller(master),
        LinkAttribute::Mtu(v.mtu),
        LinkAttribute::OperState(State::from(v.operstate)),
    ];
    if let Some(addr) = v.addr {
        a.push(LinkAttribute::Address(addr.as_bytes().to_vec()));
    }
    if let Some(l) = v.link {
        a.push(LinkAttribute::Link(l));
    }
    if let (LinkMsg::New, Some(bytes)) = (msg, protinfo) {
        a.push(LinkAttribute::Other(DefaultNla::new(
            IFLA_PROTINFO | NLA_F_NESTED,
            bytes,
        )));
    }
    a.extend(af_spec(vg, filter_mask));
    let mut m = LinkMessage::default();
    m.header = header;
    m.attributes = a;
    let rtm = match msg {
        LinkMsg::New => RouteNetlinkMessage::NewLink(m),
        LinkMsg::Del => RouteNetlinkMessage::DelLink(m),
    };
    emit(rtm, flags, seq, portid)
}

/// `br_fill_ifinfo` for a bridge port: None when the device is not a bridge port.
pub fn encode_port_message(
    v: &LinkView,
    msg: LinkMsg,
    flags: u16,
    seq: u32,
    portid: u32,
    filter_mask: u32,
) -> Option<Vec<u8>> {
    let port = v
        .slave_info
        .as_ref()?
        .downcast_ref::<kernel_model::kinds::bridge::BridgePortInfo>()?;
    let master = v.master?;
    // The port attributes are the same IFLA_BRPORT_* list as IFLA_INFO_SLAVE_DATA.
    let attrs = encode_bridge_port_info(port);
    let mut bytes = vec![0u8; attrs.as_slice().buffer_len()];
    attrs.as_slice().emit(&mut bytes);
    Some(encode_br_ifinfo(
        v,
        master,
        Some(bytes),
        &port.port.vlans,
        Head {
            msg,
            flags,
            seq,
            portid,
        },
        filter_mask,
    ))
}

/// `br_getlink` for the bridge device itself: only with a BRVLAN, MRP or CFM filter; None for
/// other devices.
pub fn encode_bridge_self_message(
    v: &LinkView,
    flags: u16,
    seq: u32,
    portid: u32,
    filter_mask: u32,
) -> Option<Vec<u8>> {
    let b = v
        .info
        .as_ref()?
        .downcast_ref::<kernel_model::kinds::bridge::BridgeInfo>()?;
    let wanted = RTEXT_FILTER_BRVLAN
        | RTEXT_FILTER_BRVLAN_COMPRESSED
        | RTEXT_FILTER_MRP
        | RTEXT_FILTER_CFM_CONFIG
        | RTEXT_FILTER_CFM_STATUS;
    if filter_mask & wanted == 0 {
        return None;
    }
    let _ = RTEXT_FILTER_MST;
    Some(encode_br_ifinfo(
        v,
        v.ifindex,
        None,
        &b.vlans,
        Head {
            msg: LinkMsg::New,
            flags,
            seq,
            portid,
        },
        filter_mask,
    ))
}

/// IFLA_AF_SPEC's IFLA_BRIDGE_* numbers `rtnl_bridge_setlink` / `br_afspec` look at.
const IFLA_BRIDGE_FLAGS: u16 = 0;
const IFLA_BRIDGE_MODE: u16 = 1;
const IFLA_BRIDGE_VLAN_INFO: u16 = 2;
const IFLA_BRIDGE_VLAN_TUNNEL_INFO: u16 = 3;
const IFLA_BRIDGE_MRP: u16 = 4;
const IFLA_BRIDGE_CFM: u16 = 5;
const IFLA_BRIDGE_MST: u16 = 6;

/// IFLA_AF_SPEC of an AF_BRIDGE request (the first copy, `nlmsg_find_attr`), as
/// `rtnl_bridge_setlink` checks it: the first IFLA_BRIDGE_FLAGS, lengths of FLAGS and MODE.
fn parse_afspec(attrs: &Attrs<'_>, check_mode: bool) -> Option<BridgeAfSpec> {
    let spec = attrs.first(tables::IFLA_AF_SPEC)?;
    let mut out = BridgeAfSpec::default();
    let mut flags_seen = false;
    // nla_for_each_nested: every entry in order, not a table.
    for a in NlaIter::nested(attrs.msg(), &spec) {
        if a.kind == IFLA_BRIDGE_FLAGS && !flags_seen {
            flags_seen = true;
            match a.value.get(..2) {
                Some(v) => out.flags = Some(u16::from_ne_bytes([v[0], v[1]])),
                None => out.malformed = true,
            }
        }
        if check_mode && a.kind == IFLA_BRIDGE_MODE && a.value.len() < 2 {
            out.malformed = true;
        }
        let entry = match a.kind {
            IFLA_BRIDGE_VLAN_INFO => match a.value {
                [f0, f1, v0, v1] => AfSpecEntry::VlanInfo {
                    flags: u16::from_ne_bytes([*f0, *f1]),
                    vid: u16::from_ne_bytes([*v0, *v1]),
                },
                _ => AfSpecEntry::BadVlanInfo,
            },
            IFLA_BRIDGE_VLAN_TUNNEL_INFO => AfSpecEntry::TunnelInfo,
            IFLA_BRIDGE_MST => AfSpecEntry::Mst,
            IFLA_BRIDGE_MRP | IFLA_BRIDGE_CFM => AfSpecEntry::Other(a.kind),
            _ => continue,
        };
        out.entries.push(entry);
    }
    Some(out)
}

/// IFLA_PROTINFO (first copy) as `br_setlink` reads it: nested IFLA_BRPORT_* checked against
/// `br_port_policy` liberally and without extack, or the old one-byte port state.
fn parse_protinfo(attrs: &Attrs<'_>) -> Option<ProtInfo> {
    let pi = attrs.first(tables::IFLA_PROTINFO)?;
    if !pi.nested_flag {
        return Some(match pi.value.first() {
            Some(s) => ProtInfo::State(*s),
            None => ProtInfo::Short,
        });
    }
    // nla_parse_nested_deprecated(tb, IFLA_BRPORT_MAX, protinfo, br_port_policy, NULL).
    match nlattr::parse_nest(
        attrs.msg(),
        &pi,
        &tables::BR_PORT_POLICY,
        ValidateMode::Liberal,
    ) {
        Ok((tb, _)) => Some(ProtInfo::Nested(decode_port_opts_raw(
            tb.iter().map(|a| (a.kind, a.value)),
        ))),
        Err(e) => Some(ProtInfo::Invalid(e.errno)),
    }
}

/// `rtnl_bridge_setlink` / `rtnl_bridge_dellink` (AF_BRIDGE RTM_SETLINK / RTM_DELLINK:
/// `bridge link set`, `bridge vlan add/del`): the request's parts, then the model. Errors of
/// the nested IFLA_PROTINFO parse carry no extack; `br_setport`'s own messages do.
pub fn handle_setlink(
    k: &mut Kernel,
    ns: NetnsId,
    msg: &RawMessage<'_>,
    cmd: BridgeCmd,
) -> Result<(), KernelError> {
    let payload = msg.payload();
    let Some(idx) = payload.get(4..8) else {
        return Err(KernelError::new(errno::EINVAL));
    };
    let ifindex = i32::from_ne_bytes([idx[0], idx[1], idx[2], idx[3]]);
    // rtnl_bridge_setlink / br_setlink parse nothing against a policy at the top level: they
    // take the first IFLA_AF_SPEC / IFLA_PROTINFO (nlmsg_find_attr).
    let attrs = Attrs::of_message(msg.bytes, IFINFOMSG_LEN, tables::IFLA_POLICY.max_type());
    let afspec = parse_afspec(&attrs, cmd == BridgeCmd::SetLink);
    let protinfo = match cmd {
        BridgeCmd::SetLink => parse_protinfo(&attrs),
        BridgeCmd::DelLink => None,
    };
    rtnl_bridge_setlink(k, ns, ifindex, cmd, protinfo.as_ref(), afspec.as_ref())
}
