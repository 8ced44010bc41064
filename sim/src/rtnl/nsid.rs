//! RTM_NEWNSID / RTM_GETNSID (net/core/net_namespace.c: `rtnl_net_newid`, `rtnl_net_getid`,
//! `rtnl_net_dumpid`) and the RTM_NEWNSID / RTM_DELNSID notifications (`rtnl_net_notifyid`).
//! The ids themselves live in the model (`kernel_model::netns`).

use super::ctx::NsRef;
use super::reply::{ack, refuse, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::attrs::Attrs;
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use crate::wire::raw::RawMessage;
use kernel_model::netns::{NETNSA_FD, NETNSA_NSID, NETNSA_PID, NETNSA_TARGET_NSID};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, LinkMsg, NetnsId};
use netlink_packet_route::nsid::{NsidAttribute, NsidHeader, NsidMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

pub const RTM_NEWNSID: u16 = 88;
pub const RTM_DELNSID: u16 = 89;
pub const RTM_GETNSID: u16 = 90;
/// `RTNLGRP_NSID`.
pub const RTNLGRP_NSID: u32 = 28;

/// `sizeof(struct rtgenmsg)`.
const RTGENMSG_LEN: usize = 1;

const NETNSA_MAX: usize = 5;

const fn netnsa_table() -> [AttrPolicy; NETNSA_MAX + 1] {
    let mut p = [AttrPolicy::of(NlaType::Unspec); NETNSA_MAX + 1];
    p[NETNSA_NSID as usize] = AttrPolicy::of(NlaType::S32);
    p[NETNSA_PID as usize] = AttrPolicy::of(NlaType::U32);
    p[NETNSA_FD as usize] = AttrPolicy::of(NlaType::U32);
    p[NETNSA_TARGET_NSID as usize] = AttrPolicy::of(NlaType::S32);
    p
}

static NETNSA_TABLE: [AttrPolicy; NETNSA_MAX + 1] = netnsa_table();

/// `rtnl_net_policy` (NETNSA_CURRENT_NSID has no entry: NLA_UNSPEC).
pub static RTNL_NET_POLICY: Policy = Policy {
    name: "rtnl_net_policy",
    strict_start_type: 0,
    attrs: &NETNSA_TABLE,
};

fn resolve(k: &Kernel, sock: &SockCtx, r: NsRef) -> Result<NetnsId, KernelError> {
    super::decode::resolver(k, sock)(r)
}

/// An error pointing at attribute `kind` of the request (NL_SET_BAD_ATTR).
fn error_at(
    msg: &RawMessage<'_>,
    tb: &Attrs<'_>,
    sock: &SockCtx,
    errno: i32,
    text: &str,
    kind: Option<u16>,
) -> Outcome {
    let ext = ExtAck {
        msg: Some(text.to_string()),
        bad_attr_offset: kind.and_then(|k| tb.get(k)).map(|a| a.offset as u32),
        ..ExtAck::default()
    };
    ack(msg, sock, -errno, &ext)
}

/// One RTM_NEWNSID / RTM_DELNSID message (`rtnl_net_fill`).
pub fn encode(
    cmd: LinkMsg,
    nsid: i32,
    current: Option<i32>,
    flags: u16,
    seq: u32,
    portid: u32,
) -> Vec<u8> {
    let mut m = NsidMessage::default();
    m.header = NsidHeader {
        family: AddressFamily::Unspec,
    };
    m.attributes.push(NsidAttribute::Id(nsid));
    if let Some(c) = current {
        m.attributes.push(NsidAttribute::CurrentNsid(c));
    }
    let rtm = match cmd {
        LinkMsg::New => RouteNetlinkMessage::NewNsId(m),
        LinkMsg::Del => RouteNetlinkMessage::DelNsId(m),
    };
    super::fill::emit(rtm, flags, seq, portid)
}

/// The peer a request names by NETNSA_PID or NETNSA_FD (and, for RTM_GETNSID, NETNSA_NSID).
fn peer_of(
    k: &Kernel,
    sock: &SockCtx,
    tb: &Attrs<'_>,
    by_nsid: bool,
) -> Option<(u16, Result<NetnsId, KernelError>)> {
    if let Some(pid) = tb.u32(NETNSA_PID) {
        return Some((NETNSA_PID, resolve(k, sock, NsRef::Pid(pid))));
    }
    if let Some(fd) = tb.u32(NETNSA_FD) {
        return Some((NETNSA_FD, resolve(k, sock, NsRef::Fd(fd))));
    }
    if by_nsid {
        if let Some(id) = tb.s32(NETNSA_NSID) {
            let r = k
                .get_net_ns_by_id(sock.netns, id)
                .ok_or_else(|| KernelError::new(errno::ENOENT));
            return Some((NETNSA_NSID, r));
        }
    }
    None
}

/// The peer both requests need, with the kernel's two refusals: none given, or one that does
/// not name a namespace (the offending attribute is pointed at).
fn required_peer(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    tb: &Attrs<'_>,
    by_nsid: bool,
) -> Result<(u16, NetnsId), Box<Outcome>> {
    let Some((attr, peer)) = peer_of(k, sock, tb, by_nsid) else {
        return Err(Box::new(refuse(
            msg,
            sock,
            errno::EINVAL,
            Some("Peer netns reference is missing".into()),
        )));
    };
    match peer {
        Ok(p) => Ok((attr, p)),
        Err(e) => Err(Box::new(error_at(
            msg,
            tb,
            sock,
            e.errno,
            "Peer netns reference is invalid",
            Some(attr),
        ))),
    }
}

/// `rtnl_net_newid`: `ip netns set NAME ID`.
pub fn handle_newid(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let tb = match nlattr::parse(
        msg.bytes,
        RTGENMSG_LEN,
        &RTNL_NET_POLICY,
        ValidateMode::Liberal,
    ) {
        Ok((tb, _)) => tb,
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    let Some(nsid) = tb.s32(NETNSA_NSID) else {
        return refuse(msg, sock, errno::EINVAL, Some("nsid is missing".into()));
    };
    let (attr, peer) = match required_peer(k, sock, msg, &tb, false) {
        Ok(p) => p,
        Err(refusal) => return *refusal,
    };
    match k.rtnl_net_newid(sock.netns, peer, nsid, attr) {
        Ok(()) => super::reply::ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => {
            let kind = e.attr.as_ref().and_then(|p| p.0.first().copied());
            error_at(
                msg,
                &tb,
                sock,
                e.errno,
                e.msg.as_deref().unwrap_or(""),
                kind,
            )
        }
    }
}

/// `rtnl_net_valid_getid_req` + `rtnl_net_getid`: what id the socket's namespace (or
/// NETNSA_TARGET_NSID's) has for a peer; never allocates (-1 when none).
pub fn handle_getid(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let mode = if sock.strict_chk {
        ValidateMode::DeprecatedStrict
    } else {
        ValidateMode::Liberal
    };
    let tb = match nlattr::parse(msg.bytes, RTGENMSG_LEN, &RTNL_NET_POLICY, mode) {
        Ok((tb, _)) => tb,
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    if sock.strict_chk
        && tb.by_type().any(|a| {
            !matches!(
                a.kind,
                NETNSA_PID | NETNSA_FD | NETNSA_NSID | NETNSA_TARGET_NSID
            )
        })
    {
        return refuse(
            msg,
            sock,
            errno::EINVAL,
            Some("Unsupported attribute in peer netns getid request".into()),
        );
    }
    let (_, peer) = match required_peer(k, sock, msg, &tb, true) {
        Ok(p) => p,
        Err(refusal) => return *refusal,
    };
    let mut target = sock.netns;
    let mut current = None;
    if let Some(id) = tb.s32(NETNSA_TARGET_NSID) {
        // rtnl_get_net_ns_capable
        let Some(t) = k.get_net_ns_by_id(sock.netns, id) else {
            return error_at(
                msg,
                &tb,
                sock,
                errno::EINVAL,
                "Target netns reference is invalid",
                Some(NETNSA_TARGET_NSID),
            );
        };
        target = t;
        current = Some(k.peernet2id(sock.netns, peer));
    }
    let nsid = k.peernet2id(target, peer);
    let out = vec![encode(
        LinkMsg::New,
        nsid,
        current,
        0,
        msg.header.seq,
        sock.portid,
    )];
    super::reply::reply_and_ack(msg, sock, out)
}

/// `rtnl_net_dumpid` (with `rtnl_valid_dump_net_req` under strict checking): one
/// RTM_NEWNSID per id, in id order.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let mut tgt = sock.netns;
    let mut reference = None;
    if sock.strict_chk {
        let (tb, _) = nlattr::parse(
            msg.bytes,
            RTGENMSG_LEN,
            &RTNL_NET_POLICY,
            ValidateMode::DeprecatedStrict,
        )
        .map_err(|e| (e.errno, e.extack))?;
        // rtnl_valid_dump_net_req: `for (i = 0; i <= NETNSA_MAX; i++) if (tb[i])`.
        for a in tb.by_type() {
            if a.kind == NETNSA_TARGET_NSID {
                let id = a
                    .value
                    .get(..4)
                    .map_or(-1, |v| i32::from_ne_bytes([v[0], v[1], v[2], v[3]]));
                let Some(t) = k.get_net_ns_by_id(sock.netns, id) else {
                    return Err((
                        errno::EINVAL,
                        ExtAck {
                            msg: Some("Invalid target network namespace id".into()),
                            bad_attr_offset: Some(a.offset as u32),
                            ..ExtAck::default()
                        },
                    ));
                };
                reference = Some(tgt);
                tgt = t;
            } else {
                return Err((
                    errno::EINVAL,
                    ExtAck {
                        msg: Some("Unsupported attribute in dump request".into()),
                        bad_attr_offset: Some(a.offset as u32),
                        ..ExtAck::default()
                    },
                ));
            }
        }
    }
    Ok(k.netns_id_list(tgt)
        .into_iter()
        .map(|(id, peer)| {
            let current = reference.map(|r| k.peernet2id(r, peer));
            encode(
                LinkMsg::New,
                id,
                current,
                NLM_F_MULTI,
                msg.header.seq,
                sock.portid,
            )
        })
        .collect())
}

/// The wire form of an RTM_NEWNSID / RTM_DELNSID notification: pid and seq are the
/// requester's for `rtnl_net_newid`, 0 otherwise.
pub fn encode_notification(cmd: LinkMsg, nsid: i32, seq: u32, portid: u32) -> Vec<u8> {
    encode(cmd, nsid, None, 0, seq, portid)
}
