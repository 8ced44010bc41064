//! RTM_NEWLINK / RTM_SETLINK / RTM_DELLINK / RTM_GETLINK doit handlers (`rtnl_newlink`,
//! `rtnl_setlink`, `rtnl_dellink`, `rtnl_getlink`): policy checks, decode, the model call,
//! the answer. Dumps are in `dump.rs`, the reply body in `fill.rs`, the decode in `decode.rs`.

use super::msgtype::{IFINFOMSG_LEN, RTM_NEWLINK, RTM_SETLINK};
use super::reply::{ack, keep_warning, kernel_extack, refuse, Outcome, SockCtx};
use super::{decode, fill, kinds};
use crate::wire::ack::{encode_ack, ExtAck};
use crate::wire::attrs::Attrs;
use crate::wire::consts::NLM_F_ACK;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::tables;
use crate::wire::raw::RawMessage;
use kernel_model::uapi::errno;
use kernel_model::Kernel;
use netlink_packet_route::RouteNetlinkMessage;

// The encoders and decoders under the paths callers outside `rtnl` use.
pub use super::ctx::{NsRef, NsResolve};
pub use super::decode::{decode_link, newlink_flags, resolver};
pub use super::fill::{
    emit, emit_into, encode_link_message, encode_link_message_masked, RTEXT_FILTER_SKIP_STATS,
    RTEXT_FILTER_VF,
};

/// A successful link change: the ACK when asked for, with a liberal parse's warning.
fn ack_if_asked(msg: &RawMessage<'_>, sock: &SockCtx, warning: Option<&str>) -> Outcome {
    super::reply::ack_if_asked(
        msg,
        sock,
        &ExtAck {
            msg: warning.map(str::to_string),
            ..ExtAck::default()
        },
    )
}

/// The peer's `tb[]` (with its nest's offset) and the parse's warning.
type PeerParse<'a> = Option<(usize, Attrs<'a>, Option<&'static str>)>;

/// A kind's peer attribute (VETH_INFO_PEER, VXCAN_INFO_PEER, IFLA_NETKIT_PEER_INFO: at least
/// an ifinfomsg), whose attributes the kind's newlink checks against `ifla_policy` with the
/// request's extack (`rtnl_nla_parse_ifinfomsg`).
fn validate_peer<'a>(data: &Attrs<'a>, peer_attr: u16) -> Result<PeerParse<'a>, (i32, ExtAck)> {
    let Some(peer) = data.get(peer_attr) else {
        return Ok(None);
    };
    if peer.value.len() < IFINFOMSG_LEN {
        return Err((
            errno::ERANGE,
            ExtAck {
                msg: Some("Attribute failed policy validation".into()),
                bad_attr_offset: Some(peer.offset as u32),
                ..ExtAck::default()
            },
        ));
    }
    let start = peer.value_offset() + IFINFOMSG_LEN;
    nlattr::parse_range(
        data.msg(),
        start,
        peer.value_offset() + peer.value.len(),
        &tables::IFLA_POLICY,
        ValidateMode::Liberal,
    )
    .map(|(tb, v)| Some((peer.offset, tb, v.warning)))
    .map_err(|e| (e.errno, e.extack))
}

/// What nlsim answers when a value the kernel's policy accepted cannot be represented (a
/// name that is not UTF-8, a value netlink-packet-route's typed reading refuses): a refusal
/// naming it, never a guess.
fn undecodable(msg: &RawMessage<'_>, sock: &SockCtx) -> Outcome {
    refuse(
        msg,
        sock,
        errno::EOPNOTSUPP,
        Some(
            "nlsim: link request attributes not decodable (netlink-packet-route), not modelled"
                .into(),
        ),
    )
}

/// A link request's tables, each parsed once against its policy: `tb[]` (`ifla_policy`) and,
/// for RTM_NEWLINK, `linkinfo[]` (`ifla_info_policy`).
struct LinkTables<'a> {
    tb: Attrs<'a>,
    linkinfo: Option<Attrs<'a>>,
    /// IFLA_INFO_DATA parsed against the kind's `ops->policy`.
    data: Option<Attrs<'a>>,
    /// VETH_INFO_PEER's `tb[]` and the nest's offset.
    peer: Option<(usize, Attrs<'a>)>,
    /// The leftover warning the last parse left in the extack.
    warning: Option<&'static str>,
}

/// The policy checks `rtnl_newlink` / `rtnl_setlink` / `rtnl_dellink` run before anything:
/// `ifla_policy` (liberal), then IFLA_LINKINFO and the kind's own policy for IFLA_INFO_DATA.
fn parse_link_request<'a>(msg: &RawMessage<'a>) -> Result<LinkTables<'a>, (i32, ExtAck)> {
    let (tb, v) = nlattr::parse(
        msg.bytes,
        IFINFOMSG_LEN,
        &tables::IFLA_POLICY,
        ValidateMode::Liberal,
    )
    .map_err(|e| (e.errno, e.extack))?;
    let mut warning = v.warning;
    if msg.header.kind != RTM_NEWLINK {
        return Ok(LinkTables {
            tb,
            linkinfo: None,
            data: None,
            peer: None,
            warning,
        });
    }
    // rtnl_newlink: nla_parse_nested_deprecated(linkinfo, .., ifla_info_policy, NULL): no
    // extack, so an error is its errno alone.
    let linkinfo = tb
        .parse_nested(
            tables::IFLA_LINKINFO,
            &tables::IFLA_INFO_POLICY,
            ValidateMode::Liberal,
        )
        .map_err(|e| (e.errno, keep_warning(ExtAck::default(), warning)))?
        .map(|(info, _)| info);
    let mut data_tb = None;
    let mut peer_tb = None;
    if let Some(info) = &linkinfo {
        let kind = info.get(tables::IFLA_INFO_KIND).map(|k| nla_str(k.value));
        let wire = kind.and_then(kinds::lookup);
        if let Some(p) = wire.and_then(|w| w.policy) {
            // rtnl_newlink: ops->policy over IFLA_INFO_DATA, with the request's extack.
            if let Some((data, nested)) = info
                .parse_nested(tables::IFLA_INFO_DATA, p, ValidateMode::Liberal)
                .map_err(|e| (e.errno, keep_warning(e.extack, warning)))?
            {
                // The nest's own leftover warning is set last (same text).
                warning = nested.warning.or(warning);
                data_tb = Some(data);
            }
        }
        // veth_newlink / vxcan_newlink / netkit_new_link: the peer's attributes through
        // rtnl_nla_parse_ifinfomsg (ifla_policy, liberal, the request's extack).
        if let (Some(w), Some(peer_attr), Some(data)) = (
            wire,
            wire.and_then(|w| w.peer),
            info.get(tables::IFLA_INFO_DATA),
        ) {
            let unvalidated;
            let data = match &data_tb {
                Some(d) => d,
                None => {
                    unvalidated = Attrs::of_nest(msg.bytes, &data, w.data_maxtype());
                    &unvalidated
                }
            };
            let peer =
                validate_peer(data, peer_attr).map_err(|(e, x)| (e, keep_warning(x, warning)))?;
            if let Some((offset, tb, peer_warning)) = peer {
                warning = peer_warning.or(warning);
                peer_tb = Some((offset, tb));
            }
        }
    }
    Ok(LinkTables {
        tb,
        linkinfo,
        data: data_tb,
        peer: peer_tb,
        warning,
    })
}

/// A string attribute's bytes up to (not including) the first NUL (`nla_strcmp`'s view).
fn nla_str(value: &[u8]) -> &[u8] {
    value.split(|b| *b == 0).next().unwrap_or_default()
}

/// `rtnl_newlink`: IFLA_INFO_SLAVE_DATA is parsed against the policy of the device's master
/// (`m_ops->slave_policy`, e.g. `br_port_policy`), liberally, with the request's extack.
fn validate_slave_data(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    tables: &LinkTables<'_>,
) -> Result<Option<&'static str>, (i32, ExtAck)> {
    let Some(info) = &tables.linkinfo else {
        return Ok(None);
    };
    if !info.has(tables::IFLA_INFO_SLAVE_DATA) {
        return Ok(None);
    }
    let Some(master) = target_dev(k, sock, msg, &tables.tb).and_then(|d| k.dev(d).master) else {
        return Ok(None);
    };
    let Some(p) = k
        .dev(master)
        .kind
        .ops()
        .rtnl_kind()
        .and_then(|kind| kinds::lookup(kind.as_bytes()))
        .and_then(|w| w.slave_policy)
    else {
        return Ok(None);
    };
    info.parse_nested(tables::IFLA_INFO_SLAVE_DATA, p, ValidateMode::Liberal)
        .map(|parsed| parsed.and_then(|(_, v)| v.warning))
        .map_err(|e| (e.errno, e.extack))
}

/// The device a link request names: ifi_index, else IFLA_IFNAME.
fn target_dev(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    tb: &Attrs<'_>,
) -> Option<kernel_model::DevId> {
    let ifindex = msg
        .payload()
        .get(4..8)
        .map_or(0, |v| i32::from_ne_bytes([v[0], v[1], v[2], v[3]]));
    if ifindex > 0 {
        k.dev_by_index(sock.netns, ifindex as u32)
    } else {
        tb.bytes(tables::IFLA_IFNAME).and_then(|v| {
            let name = v.split(|b| *b == 0).next().unwrap_or_default();
            k.dev_by_name(sock.netns, &String::from_utf8_lossy(name))
        })
    }
}

/// validate_linkmsg → inet6_validate_link_af: an IFLA_AF_SPEC AF_INET6 nest (parsed liberally)
/// must hold IFLA_INET6_TOKEN or IFLA_INET6_ADDR_GEN_MODE, else EINVAL with no message of its
/// own (the extack keeps a leftover warning). Run where the kernel runs validate_linkmsg: on
/// RTM_SETLINK once the device is found (do_setlink), on RTM_NEWLINK before the kind lookup.
fn validate_af_inet6(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    tb: &Attrs<'_>,
    warning: Option<&'static str>,
) -> Result<(), (i32, ExtAck)> {
    use super::msgtype::AF_INET6;
    let applies = match msg.header.kind {
        RTM_NEWLINK => true,
        RTM_SETLINK => target_dev(k, sock, msg, tb).is_some(),
        _ => false,
    };
    let Some(inet6) = tb
        .nested(tables::IFLA_AF_SPEC, AF_INET6)
        .and_then(|af| af.get(AF_INET6))
        .filter(|_| applies)
    else {
        return Ok(());
    };
    // inet6_validate_link_af: nla_parse_nested_deprecated(.., inet6_af_policy, extack), then
    // TOKEN or ADDR_GEN_MODE must be there, else EINVAL with no message of its own (the
    // extack keeps a leftover warning). The mode itself is the model's check.
    let (af, v) = nlattr::parse_nest(
        msg.bytes,
        &inet6,
        &tables::INET6_AF_POLICY,
        ValidateMode::Liberal,
    )
    .map_err(|e| (e.errno, keep_warning(e.extack, warning)))?;
    if af.get(tables::IFLA_INET6_TOKEN).is_some()
        || af.get(tables::IFLA_INET6_ADDR_GEN_MODE).is_some()
    {
        return Ok(());
    }
    Err((
        errno::EINVAL,
        keep_warning(ExtAck::default(), v.warning.or(warning)),
    ))
}

pub fn handle_link_change(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    // rtnl_newlink's tb[], read by everything below.
    let parsed = match parse_link_request(msg) {
        Ok(t) => t,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    let warning = parsed.warning;
    let warning = match validate_slave_data(k, sock, msg, &parsed) {
        Ok(w) => w.or(warning),
        Err((e, ext)) => return ack(msg, sock, -e, &keep_warning(ext, warning)),
    };
    let tb = &parsed.tb;
    if let Err((e, ext)) = validate_af_inet6(k, sock, msg, tb, warning) {
        return ack(msg, sock, -e, &ext);
    }
    let master_kind = target_dev(k, sock, msg, tb)
        .and_then(|d| k.dev(d).master)
        .and_then(|m| k.dev(m).kind.ops().rtnl_kind());
    let req = {
        let resolve = decode::resolver(k, sock);
        let ctx = decode::LinkDecode {
            resolve: &resolve,
            master_kind,
            parsed: decode::ParsedLinkInfo {
                linkinfo: parsed.linkinfo.as_ref(),
                data: parsed.data.as_ref(),
                peer: parsed.peer.as_ref().map(|(offset, tb)| (*offset, tb)),
            },
        };
        match decode::decode_link(msg.bytes, tb, msg.header.flags, &ctx) {
            Ok(req) => req,
            Err(_) => return undecodable(msg, sock),
        }
    };
    let r = match msg.header.kind {
        RTM_NEWLINK => k.newlink(sock.netns, &req),
        RTM_SETLINK => k.setlink(sock.netns, &req),
        _ => k.dellink(sock.netns, &req),
    };
    match r {
        Ok(()) => ack_if_asked(msg, sock, warning),
        Err(e) => ack(
            msg,
            sock,
            -e.errno,
            &keep_warning(kernel_extack(msg, &e), warning),
        ),
    }
}

/// `rtnl_valid_getlink_req` + `rtnl_getlink`.
pub fn handle_getlink(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let payload = msg.payload();
    // rtnl_valid_getlink_req checks the length before it looks at strict checking.
    if payload.len() < IFINFOMSG_LEN {
        return refuse(
            msg,
            sock,
            errno::EINVAL,
            Some("Invalid header for get link".into()),
        );
    }
    if sock.strict_chk
        && (payload[1] != 0 || payload[2..4] != [0, 0] || payload[8..16].iter().any(|b| *b != 0))
    {
        return refuse(
            msg,
            sock,
            errno::EINVAL,
            Some("Invalid values in header for get link request".into()),
        );
    }
    let mode = if sock.strict_chk {
        ValidateMode::DeprecatedStrict
    } else {
        ValidateMode::Liberal
    };
    // rtnl_valid_getlink_req's tb[], read by everything below.
    let (tb, warning) = match nlattr::parse(msg.bytes, IFINFOMSG_LEN, &tables::IFLA_POLICY, mode) {
        Ok((tb, v)) => (tb, v.warning),
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    let refuse = |msg: &RawMessage<'_>, sock: &SockCtx, e: i32, text: Option<String>| {
        ack(
            msg,
            sock,
            -e,
            &keep_warning(
                ExtAck {
                    msg: text,
                    ..ExtAck::default()
                },
                warning,
            ),
        )
    };
    if sock.strict_chk {
        for a in tb.iter() {
            if !matches!(
                a.kind,
                tables::IFLA_IFNAME
                    | tables::IFLA_ALT_IFNAME
                    | tables::IFLA_EXT_MASK
                    | tables::IFLA_TARGET_NETNSID
            ) {
                return refuse(
                    msg,
                    sock,
                    errno::EINVAL,
                    Some("Unsupported attribute in get link request".into()),
                );
            }
        }
    }
    // rtnl_getlink reads IFLA_TARGET_NETNSID (not modelled), IFLA_IFNAME, IFLA_ALT_IFNAME.
    if tb.has(tables::IFLA_TARGET_NETNSID) {
        return refuse(
            msg,
            sock,
            errno::EOPNOTSUPP,
            Some("nlsim: IFLA_TARGET_NETNSID not modelled".into()),
        );
    }
    let (Ok(ifname), Ok(alt_ifname)) =
        (tb.str(tables::IFLA_IFNAME), tb.str(tables::IFLA_ALT_IFNAME))
    else {
        return undecodable(msg, sock);
    };
    let ifindex = i32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]);
    let dev = if ifindex > 0 {
        k.dev_by_index(sock.netns, ifindex as u32)
    } else if let Some(name) = ifname.as_deref().or(alt_ifname.as_deref()) {
        k.dev_by_name(sock.netns, name)
    } else {
        return refuse(msg, sock, errno::EINVAL, None);
    };
    let Some(id) = dev else {
        return refuse(msg, sock, errno::ENODEV, None);
    };
    let view = k.fill(id);
    let ext_mask = super::dump::ext_mask_in(&tb);
    let body = fill::encode_link_message_masked(&view, 0, 0, ext_mask);
    let mut out = vec![fill::emit(
        RouteNetlinkMessage::NewLink(body),
        0,
        msg.header.seq,
        sock.portid,
    )];
    if msg.header.flags & NLM_F_ACK != 0 {
        // netlink_ack after the reply; a liberal parse's warning rides on it.
        let ext = keep_warning(ExtAck::default(), warning);
        out.push(encode_ack(msg, sock.portid, 0, &ext, sock.ack));
    }
    Outcome::Reply(out)
}
