//! PF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH (`bridge fdb`): decoding of `struct
//! ndmsg` requests for [`Kernel::rtnl_fdb_add`] & co., the dump request checks of
//! `valid_fdb_dump_strict` / `valid_fdb_dump_legacy`, and the encoding of
//! [`FdbMsg`] (`fdb_fill_info`, `nlmsg_populate_fdb_fill`) with netlink-packet-route.

use super::fill as link;
use super::msgtype::IFINFOMSG_LEN;
use super::reply::{ack, ack_if_asked, kernel_error, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::consts::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::tables;
use crate::wire::raw::RawMessage;
use kernel_model::fdb::{FdbGet, FdbMsg, FdbNlmFlags, FdbRequest, NdaVlan};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, LinkMsg};
use netlink_packet_route::neighbour::{
    NeighbourAttribute, NeighbourCacheInfo, NeighbourExtFlags, NeighbourFlags, NeighbourHeader,
    NeighbourMessage, NeighbourState,
};
use netlink_packet_route::route::RouteType;
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

/// `sizeof(struct ndmsg)`.
pub const NDMSG_LEN: usize = 12;

/// NDA_* attribute types (include/uapi/linux/neighbour.h).
mod nda {
    pub const LLADDR: u16 = 2;
    pub const VLAN: u16 = 5;
    pub const IFINDEX: u16 = 8;
    pub const MASTER: u16 = 9;
    pub const FDB_EXT_ATTRS: u16 = 14;
    pub const FLAGS_EXT: u16 = 15;
    pub const VNI: u16 = 7;
    /// NDA_MAX in Linux 6.12 (NDA_NDM_FLAGS_MASK).
    pub const MAX: u16 = 17;
}

fn u32_of(v: &[u8]) -> Option<u32> {
    v.get(..4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

fn einval(m: &str) -> (i32, ExtAck) {
    (
        errno::EINVAL,
        ExtAck {
            msg: Some(m.to_string()),
            ..ExtAck::default()
        },
    )
}

/// `nlmsg_parse_deprecated(nlh, sizeof(*ndm), tb, NDA_MAX, NULL, extack)` and the fields of
/// `struct ndmsg` the handlers read.
fn parse_request(msg: &RawMessage<'_>) -> Option<FdbRequest> {
    let p = msg.payload();
    if p.len() < NDMSG_LEN {
        return None;
    }
    let mut req = FdbRequest {
        ifindex: i32::from_ne_bytes([p[4], p[5], p[6], p[7]]),
        state: u16::from_ne_bytes([p[8], p[9]]),
        ndm_flags: p[10],
        nlm: FdbNlmFlags {
            replace: msg.header.flags & NLM_F_REPLACE != 0,
            excl: msg.header.flags & NLM_F_EXCL != 0,
            create: msg.header.flags & NLM_F_CREATE != 0,
        },
        ..FdbRequest::default()
    };
    // No policy and liberal: nothing can fail once the header is there.
    let Ok((tb, _)) =
        nlattr::parse_without_policy(msg.bytes, NDMSG_LEN, nda::MAX, ValidateMode::Liberal)
    else {
        return None;
    };
    for a in tb.iter() {
        match a.kind {
            nda::LLADDR => req.lladdr = Some(a.value.to_vec()),
            // fdb_vid_parse: exactly a u16, else "invalid vlan attribute size".
            nda::VLAN => {
                req.vlan = Some(match a.value {
                    [x, y] => NdaVlan::Vid(u16::from_ne_bytes([*x, *y])),
                    _ => NdaVlan::BadSize,
                })
            }
            nda::FLAGS_EXT => req.flags_ext = u32_of(a.value),
            nda::FDB_EXT_ATTRS => req.fdb_ext_attrs = true,
            _ => req.other_attrs = true,
        }
    }
    Some(req)
}

/// RTM_NEWNEIGH / RTM_DELNEIGH with ndm_family AF_BRIDGE (`rtnl_fdb_add`, `rtnl_fdb_del`).
pub fn handle_change(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>, add: bool) -> Outcome {
    let Some(req) = parse_request(msg) else {
        return ack(msg, sock, -errno::EINVAL, &ExtAck::default());
    };
    let r = if add {
        k.rtnl_fdb_add(sock.netns, &req)
    } else {
        k.rtnl_fdb_del(sock.netns, &req)
    };
    match r {
        Ok(()) => ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => kernel_error(msg, sock, &e),
    }
}

/// `valid_fdb_get_strict` (always strict) for RTM_GETNEIGH without NLM_F_DUMP.
fn get_request(msg: &RawMessage<'_>) -> Result<FdbGet, (i32, ExtAck)> {
    let p = msg.payload();
    if p.len() < NDMSG_LEN {
        return Err(einval("Invalid header for fdb get request"));
    }
    if p[1] != 0 || p[2..4] != [0, 0] || p[8..10] != [0, 0] || p[11] != 0 {
        return Err(einval("Invalid values in header for fdb get request"));
    }
    let ndm_flags = p[10];
    if ndm_flags & !(kernel_model::fdb::ntf::MASTER | kernel_model::fdb::ntf::SELF) != 0 {
        return Err(einval("Invalid flags in header for fdb get request"));
    }
    let mut req = FdbGet {
        ndm_flags,
        brport_idx: u32::from_ne_bytes([p[4], p[5], p[6], p[7]]),
        ..FdbGet::default()
    };
    // nlmsg_parse_deprecated_strict(nlh, sizeof(struct ndmsg), tb, NDA_MAX, nda_policy, ..);
    // nlsim checks the few nda_policy entries these attributes have below.
    let (tb, _) = nlattr::parse_without_policy(
        msg.bytes,
        NDMSG_LEN,
        nda::MAX,
        ValidateMode::DeprecatedStrict,
    )
    .map_err(|e| (e.errno, e.extack))?;
    for a in tb.by_type() {
        match a.kind {
            nda::MASTER => {
                req.br_idx =
                    u32_of(a.value).ok_or_else(|| einval("Attribute failed policy validation"))?
            }
            nda::LLADDR => {
                if a.value.len() != 6 {
                    return Err(einval("Invalid address in fdb get request"));
                }
                req.addr = kernel_model::HwAddr::from_slice(a.value);
            }
            nda::VLAN => {
                let [x, y] = a.value[..] else {
                    return Err(einval("invalid vlan attribute size"));
                };
                let vid = u16::from_ne_bytes([x, y]);
                if vid == 0 || vid >= 0x0fff {
                    return Err(einval("invalid vlan id"));
                }
                req.vid = vid;
            }
            nda::VNI => {}
            _ => return Err(einval("Unsupported attribute in fdb get request")),
        }
    }
    Ok(req)
}

/// RTM_GETNEIGH of one FDB entry (`rtnl_fdb_get`): the entry as `fdb_fill_info` fills it
/// (flags 0), unicast to the requester, then the ACK if asked.
pub fn handle_get(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let req = match get_request(msg) {
        Ok(r) => r,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    match k.rtnl_fdb_get(sock.netns, &req) {
        Ok(f) => {
            let mut out = vec![encode(&f, LinkMsg::New, 0, msg.header.seq, sock.portid)];
            if let Outcome::Reply(a) = ack_if_asked(msg, sock, &ExtAck::default()) {
                out.extend(a);
            }
            Outcome::Reply(out)
        }
        Err(e) => kernel_error(msg, sock, &e),
    }
}

/// `valid_fdb_dump_strict` / `valid_fdb_dump_legacy`: (bridge ifindex, port ifindex).
pub fn dump_filter(msg: &RawMessage<'_>, sock: &SockCtx) -> Result<(u32, u32), (i32, ExtAck)> {
    let p = msg.payload();
    let mut br_idx = 0u32;
    if sock.strict_chk {
        if p.len() < NDMSG_LEN {
            return Err(einval("Invalid header for fdb dump request"));
        }
        if p[1] != 0 || p[2..4] != [0, 0] || p[8..12].iter().any(|b| *b != 0) {
            return Err(einval("Invalid values in header for fdb dump request"));
        }
        let mut brport_idx = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
        // nlmsg_parse_deprecated_strict(nlh, sizeof(struct ndmsg), tb, NDA_MAX, NULL, ..).
        let (tb, _) = nlattr::parse_without_policy(
            msg.bytes,
            NDMSG_LEN,
            nda::MAX,
            ValidateMode::DeprecatedStrict,
        )
        .map_err(|e| (e.errno, e.extack))?;
        for a in tb.by_type() {
            match a.kind {
                nda::IFINDEX => {
                    if a.value.len() != 4 {
                        return Err(einval("Invalid IFINDEX attribute in fdb dump request"));
                    }
                    brport_idx = u32_of(a.value).unwrap_or(0);
                }
                nda::MASTER => {
                    if a.value.len() != 4 {
                        return Err(einval("Invalid MASTER attribute in fdb dump request"));
                    }
                    br_idx = u32_of(a.value).unwrap_or(0);
                }
                _ => return Err(einval("Unsupported attribute in fdb dump request")),
            }
        }
        return Ok((br_idx, brport_idx));
    }
    // Legacy: an ndmsg (with at most one u32 attribute) filters nothing; anything else is
    // read as an ifinfomsg with IFLA_MASTER.
    if p.len() == NDMSG_LEN || p.len() == NDMSG_LEN + 8 {
        return Ok((0, 0));
    }
    if p.len() < IFINFOMSG_LEN {
        return Err((errno::EINVAL, ExtAck::default()));
    }
    let Ok((tb, _)) = nlattr::parse(
        msg.bytes,
        IFINFOMSG_LEN,
        &tables::IFLA_POLICY,
        ValidateMode::Liberal,
    ) else {
        return Err((errno::EINVAL, ExtAck::default()));
    };
    if let Some(m) = tb.u32(tables::IFLA_MASTER) {
        br_idx = m;
    }
    let brport_idx = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
    Ok((br_idx, brport_idx))
}

/// One PF_BRIDGE neighbour message: `fdb_fill_info` (bridge entries) or
/// `nlmsg_populate_fdb_fill` (address lists, `rtnl_fdb_notify`).
pub fn encode(f: &FdbMsg, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let header = NeighbourHeader {
        family: AddressFamily::Bridge,
        ifindex: f.ifindex,
        state: NeighbourState::from(f.state),
        flags: NeighbourFlags::from_bits_retain(f.flags),
        kind: RouteType::from(0u8),
    };
    let mut attrs = vec![NeighbourAttribute::LinkLayerAddress(
        f.addr.as_bytes().to_vec(),
    )];
    if let Some(master) = f.master {
        attrs.push(NeighbourAttribute::Controller(master));
        attrs.push(NeighbourAttribute::ExtFlags(
            NeighbourExtFlags::from_bits_retain(f.ext_flags),
        ));
        // No clock: used/updated are "0 jiffies ago".
        if let Ok(ci) = NeighbourCacheInfo::parse(&[0u8; 16]) {
            attrs.push(NeighbourAttribute::CacheInfo(ci));
        }
    }
    if f.vid != 0 {
        attrs.push(NeighbourAttribute::Vlan(f.vid));
    }
    let mut m = NeighbourMessage::default();
    m.header = header;
    m.attributes = attrs;
    let rtm = match msg {
        LinkMsg::New => RouteNetlinkMessage::NewNeighbour(m),
        LinkMsg::Del => RouteNetlinkMessage::DelNeighbour(m),
    };
    link::emit(rtm, flags, seq, portid)
}

/// The dump's messages (`rtnl_fdb_dump`), each with NLM_F_MULTI.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let (br_idx, brport_idx) = dump_filter(msg, sock)?;
    let entries = k
        .rtnl_fdb_dump(sock.netns, br_idx, brport_idx)
        .map_err(|e| {
            (
                e.errno,
                ExtAck {
                    msg: e.msg.as_ref().map(|m| m.to_string()),
                    ..ExtAck::default()
                },
            )
        })?;
    Ok(entries
        .iter()
        .map(|f| encode(f, LinkMsg::New, NLM_F_MULTI, msg.header.seq, sock.portid))
        .collect())
}
