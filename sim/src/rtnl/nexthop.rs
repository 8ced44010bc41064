//! RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_GETNEXTHOP (net/ipv4/nexthop.c: `rtm_new_nexthop`,
//! `rtm_del_nexthop`, `rtm_get_nexthop`, `rtm_dump_nexthop`), their policies
//! (`rtm_nh_policy_new/get/del/dump`, `rtm_nh_res_policy_new`) and the message
//! `nh_fill_node` builds. The nexthops themselves live in the model
//! (`kernel_model::inet::nexthop`).

use super::reply::{ack, ack_if_asked, kernel_error, refuse, reply_and_ack, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::attrs::Attrs;
use crate::wire::consts::{NLMSG_HDRLEN, NLM_F_MULTI};
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::{AttrPolicy, NlaType, Policy, Validation};
use crate::wire::raw::{put_attr, NlHeader, RawMessage};
use kernel_model::inet::nexthop::{NexthopView, NhDumpFilter, NhRequest, NhResRequest, NhViewBody};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, LinkMsg};
use std::net::IpAddr;

pub const RTM_NEWNEXTHOP: u16 = 104;
pub const RTM_DELNEXTHOP: u16 = 105;
pub const RTM_GETNEXTHOP: u16 = 106;
/// `RTNLGRP_NEXTHOP`.
pub const RTNLGRP_NEXTHOP: u32 = 32;

/// `sizeof(struct nhmsg)`.
const NHMSG_LEN: usize = 8;

const NHA_ID: u16 = 1;
const NHA_GROUP: u16 = 2;
const NHA_GROUP_TYPE: u16 = 3;
const NHA_BLACKHOLE: u16 = 4;
const NHA_OIF: u16 = 5;
const NHA_GATEWAY: u16 = 6;
const NHA_ENCAP_TYPE: u16 = 7;
const NHA_ENCAP: u16 = 8;
const NHA_GROUPS: u16 = 9;
const NHA_MASTER: u16 = 10;
const NHA_FDB: u16 = 11;
const NHA_RES_GROUP: u16 = 12;
const NHA_OP_FLAGS: u16 = 14;
const NHA_HW_STATS_ENABLE: u16 = 16;

const NHA_RES_GROUP_PAD: u16 = 0;
const NHA_RES_GROUP_BUCKETS: u16 = 1;
const NHA_RES_GROUP_IDLE_TIMER: u16 = 2;
const NHA_RES_GROUP_UNBALANCED_TIMER: u16 = 3;
const NHA_RES_GROUP_UNBALANCED_TIME: u16 = 4;

/// `NHA_OP_FLAGS_DUMP_ALL` (NHA_OP_FLAG_DUMP_STATS | NHA_OP_FLAG_DUMP_HW_STATS).
const NHA_OP_FLAGS_DUMP_ALL: u32 = 3;
/// `NHA_OP_FLAG_RESP_GRP_RESVD_0`: dumps clear the group entries' reserved fields.
const NHA_OP_FLAG_RESP_GRP_RESVD_0: u32 = 1 << 31;

const fn new_table() -> [AttrPolicy; NHA_HW_STATS_ENABLE as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; NHA_HW_STATS_ENABLE as usize + 1];
    p[NHA_ID as usize] = AttrPolicy::of(NlaType::U32);
    p[NHA_GROUP as usize] = AttrPolicy::of(NlaType::Binary);
    p[NHA_GROUP_TYPE as usize] = AttrPolicy::of(NlaType::U16);
    p[NHA_BLACKHOLE as usize] = AttrPolicy::of(NlaType::Flag);
    p[NHA_OIF as usize] = AttrPolicy::of(NlaType::U32);
    p[NHA_GATEWAY as usize] = AttrPolicy::of(NlaType::Binary);
    p[NHA_ENCAP_TYPE as usize] = AttrPolicy::of(NlaType::U16);
    p[NHA_ENCAP as usize] = AttrPolicy::of(NlaType::Nested);
    p[NHA_FDB as usize] = AttrPolicy::of(NlaType::Flag);
    p[NHA_RES_GROUP as usize] = AttrPolicy::of(NlaType::Nested);
    // NLA_POLICY_MAX(NLA_U32, true)
    let mut hw = AttrPolicy::of(NlaType::U32);
    hw.validation = Validation::Max(1);
    p[NHA_HW_STATS_ENABLE as usize] = hw;
    p
}

const fn get_table() -> [AttrPolicy; NHA_OP_FLAGS as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; NHA_OP_FLAGS as usize + 1];
    p[NHA_ID as usize] = AttrPolicy::of(NlaType::U32);
    // NLA_POLICY_MASK(NLA_U32, NHA_OP_FLAGS_DUMP_ALL): the mask is checked after the parse.
    p[NHA_OP_FLAGS as usize] = AttrPolicy::of(NlaType::U32);
    p
}

const fn del_table() -> [AttrPolicy; NHA_ID as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; NHA_ID as usize + 1];
    p[NHA_ID as usize] = AttrPolicy::of(NlaType::U32);
    p
}

const fn dump_table() -> [AttrPolicy; NHA_OP_FLAGS as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; NHA_OP_FLAGS as usize + 1];
    p[NHA_OIF as usize] = AttrPolicy::of(NlaType::U32);
    p[NHA_GROUPS as usize] = AttrPolicy::of(NlaType::Flag);
    p[NHA_MASTER as usize] = AttrPolicy::of(NlaType::U32);
    p[NHA_FDB as usize] = AttrPolicy::of(NlaType::Flag);
    p[NHA_OP_FLAGS as usize] = AttrPolicy::of(NlaType::U32);
    p
}

const fn res_table() -> [AttrPolicy; NHA_RES_GROUP_UNBALANCED_TIMER as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; NHA_RES_GROUP_UNBALANCED_TIMER as usize + 1];
    p[NHA_RES_GROUP_BUCKETS as usize] = AttrPolicy::of(NlaType::U16);
    p[NHA_RES_GROUP_IDLE_TIMER as usize] = AttrPolicy::of(NlaType::U32);
    p[NHA_RES_GROUP_UNBALANCED_TIMER as usize] = AttrPolicy::of(NlaType::U32);
    p
}

static NEW_TABLE: [AttrPolicy; NHA_HW_STATS_ENABLE as usize + 1] = new_table();
static GET_TABLE: [AttrPolicy; NHA_OP_FLAGS as usize + 1] = get_table();
static DEL_TABLE: [AttrPolicy; NHA_ID as usize + 1] = del_table();
static DUMP_TABLE: [AttrPolicy; NHA_OP_FLAGS as usize + 1] = dump_table();
static RES_TABLE: [AttrPolicy; NHA_RES_GROUP_UNBALANCED_TIMER as usize + 1] = res_table();

/// `rtm_nh_policy_new`.
pub static RTM_NH_POLICY_NEW: Policy = Policy {
    name: "rtm_nh_policy_new",
    strict_start_type: 0,
    attrs: &NEW_TABLE,
};
/// `rtm_nh_policy_get`.
pub static RTM_NH_POLICY_GET: Policy = Policy {
    name: "rtm_nh_policy_get",
    strict_start_type: 0,
    attrs: &GET_TABLE,
};
/// `rtm_nh_policy_del`.
pub static RTM_NH_POLICY_DEL: Policy = Policy {
    name: "rtm_nh_policy_del",
    strict_start_type: 0,
    attrs: &DEL_TABLE,
};
/// `rtm_nh_policy_dump`.
pub static RTM_NH_POLICY_DUMP: Policy = Policy {
    name: "rtm_nh_policy_dump",
    strict_start_type: 0,
    attrs: &DUMP_TABLE,
};
/// `rtm_nh_res_policy_new`.
pub static RTM_NH_RES_POLICY_NEW: Policy = Policy {
    name: "rtm_nh_res_policy_new",
    strict_start_type: 0,
    attrs: &RES_TABLE,
};

/// The `struct nhmsg` of a request (zeros past a short payload: the parse refuses those).
struct NhMsg {
    family: u8,
    scope: u8,
    protocol: u8,
    resvd: u8,
    flags: u32,
}

fn nhmsg(msg: &RawMessage<'_>) -> NhMsg {
    let p = msg.payload();
    let b = |i: usize| p.get(i).copied().unwrap_or(0);
    NhMsg {
        family: b(0),
        scope: b(1),
        protocol: b(2),
        resvd: b(3),
        flags: u32::from_ne_bytes([b(4), b(5), b(6), b(7)]),
    }
}

/// `nlmsg_parse` (strict) of a nexthop request.
fn parse<'a>(
    msg: &RawMessage<'a>,
    sock: &SockCtx,
    policy: &'static Policy,
) -> Result<Attrs<'a>, Box<Outcome>> {
    nlattr::parse(msg.bytes, NHMSG_LEN, policy, ValidateMode::Strict)
        .map(|(tb, _)| tb)
        .map_err(|e| Box::new(ack(msg, sock, -e.errno, &e.extack)))
}

/// NLA_POLICY_MASK(NLA_U32, NHA_OP_FLAGS_DUMP_ALL) of NHA_OP_FLAGS (`nla_validate_mask`),
/// checked by the policy during the parse.
fn op_flags(tb: &Attrs<'_>) -> Result<u32, (i32, ExtAck)> {
    let v = tb.u32(NHA_OP_FLAGS).unwrap_or(0);
    if v & !NHA_OP_FLAGS_DUMP_ALL != 0 {
        return Err((
            errno::EINVAL,
            ExtAck {
                msg: Some("reserved bit set".into()),
                bad_attr_offset: tb.get(NHA_OP_FLAGS).map(|a| a.offset as u32),
                ..ExtAck::default()
            },
        ));
    }
    Ok(v)
}

/// `nla_put_nh_group_stats`: what NHA_OP_FLAG_DUMP_STATS asks of a group is not modelled.
fn stats_not_modelled() -> (i32, ExtAck) {
    (
        errno::EOPNOTSUPP,
        ExtAck {
            msg: Some("nlsim: nexthop group statistics (NHA_OP_FLAGS) not modelled".into()),
            ..ExtAck::default()
        },
    )
}

/// `rtm_new_nexthop`.
pub fn handle_new(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let tb = match parse(msg, sock, &RTM_NH_POLICY_NEW) {
        Ok(tb) => tb,
        Err(o) => return *o,
    };
    let h = nhmsg(msg);
    let mut req = NhRequest {
        family: h.family,
        scope: h.scope,
        protocol: h.protocol,
        resvd: h.resvd,
        flags: h.flags,
        nlflags: msg.header.flags,
        id: tb.u32(NHA_ID),
        group: tb.bytes(NHA_GROUP).map(<[u8]>::to_vec),
        group_type: tb.u16(NHA_GROUP_TYPE),
        blackhole: tb.has(NHA_BLACKHOLE),
        oif: tb.u32(NHA_OIF),
        gateway: tb.bytes(NHA_GATEWAY).map(<[u8]>::to_vec),
        encap_type: tb.u16(NHA_ENCAP_TYPE),
        encap: tb.has(NHA_ENCAP),
        fdb: tb.has(NHA_FDB),
        res_group: None,
        hw_stats_enable: tb.u32(NHA_HW_STATS_ENABLE),
    };
    // rtm_to_nh_config_grp_res parses the nest only for a resilient group, after the group
    // checks; a malformed nest elsewhere is "No other attributes" or ignored like the kernel.
    if tb.has(NHA_RES_GROUP) {
        let nested = tb.parse_nested(NHA_RES_GROUP, &RTM_NH_RES_POLICY_NEW, ValidateMode::Strict);
        req.res_group = Some(match nested {
            Ok(Some((rt, _))) => NhResRequest {
                buckets: rt.u16(NHA_RES_GROUP_BUCKETS),
                idle_timer: rt.u32(NHA_RES_GROUP_IDLE_TIMER),
                unbalanced_timer: rt.u32(NHA_RES_GROUP_UNBALANCED_TIMER),
            },
            Ok(None) => NhResRequest::default(),
            Err(e) if req.group.is_some() && req.group_type == Some(1) => {
                return ack(msg, sock, -e.errno, &e.extack);
            }
            Err(_) => NhResRequest::default(),
        });
    }
    match k.rtm_new_nexthop(sock.netns, &req) {
        Ok(()) => ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => kernel_error(msg, sock, &e),
    }
}

/// `nh_valid_get_del_req`: the id a get or delete names.
fn valid_get_del_req(msg: &RawMessage<'_>, tb: &Attrs<'_>) -> Result<u32, &'static str> {
    let h = nhmsg(msg);
    if h.protocol != 0 || h.resvd != 0 || h.scope != 0 || h.flags != 0 {
        return Err("Invalid values in header");
    }
    match tb.u32(NHA_ID) {
        None => Err("Nexthop id is missing"),
        Some(0) => Err("Invalid nexthop id"),
        Some(id) => Ok(id),
    }
}

/// `rtm_del_nexthop`.
pub fn handle_del(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let tb = match parse(msg, sock, &RTM_NH_POLICY_DEL) {
        Ok(tb) => tb,
        Err(o) => return *o,
    };
    let id = match valid_get_del_req(msg, &tb) {
        Ok(id) => id,
        Err(text) => return refuse(msg, sock, errno::EINVAL, Some(text.into())),
    };
    match k.rtm_del_nexthop(sock.netns, id, msg.header.flags) {
        Ok(()) => ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => kernel_error(msg, sock, &e),
    }
}

/// `rtm_get_nexthop`.
pub fn handle_get(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let tb = match parse(msg, sock, &RTM_NH_POLICY_GET) {
        Ok(tb) => tb,
        Err(o) => return *o,
    };
    let flags = match op_flags(&tb) {
        Ok(f) => f,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    let id = match valid_get_del_req(msg, &tb) {
        Ok(id) => id,
        Err(text) => return refuse(msg, sock, errno::EINVAL, Some(text.into())),
    };
    let Some(nh) = k.nexthop_find(sock.netns, id) else {
        return refuse(msg, sock, errno::ENOENT, None);
    };
    if flags != 0 && nh.is_group() {
        let (e, ext) = stats_not_modelled();
        return ack(msg, sock, -e, &ext);
    }
    let view = k.nexthop_view(nh);
    let bytes = encode(&view, LinkMsg::New, 0, msg.header.seq, sock.portid);
    reply_and_ack(msg, sock, vec![bytes])
}

/// `nh_valid_dump_req` + `rtm_dump_nexthop`: every nexthop the filter keeps, in id order.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let tb = nlattr::parse(
        msg.bytes,
        NHMSG_LEN,
        &RTM_NH_POLICY_DUMP,
        ValidateMode::Strict,
    )
    .map(|(tb, _)| tb)
    .map_err(|e| (e.errno, e.extack))?;
    let flags = op_flags(&tb)?;
    let text = |t: &str| ExtAck {
        msg: Some(t.into()),
        ..ExtAck::default()
    };
    let h = nhmsg(msg);
    let mut f = NhDumpFilter {
        family: h.family,
        ..NhDumpFilter::default()
    };
    if let Some(idx) = tb.u32(NHA_OIF) {
        if idx > i32::MAX as u32 {
            return Err((errno::EINVAL, text("Invalid device index")));
        }
        f.dev_idx = idx;
    }
    if let Some(idx) = tb.u32(NHA_MASTER) {
        if idx > i32::MAX as u32 {
            return Err((errno::EINVAL, text("Invalid master device index")));
        }
        f.master_idx = idx;
    }
    f.group_filter = tb.has(NHA_GROUPS);
    f.fdb_filter = tb.has(NHA_FDB);
    if h.protocol != 0 || h.resvd != 0 || h.scope != 0 || h.flags != 0 {
        return Err((
            errno::EINVAL,
            text("Invalid values in header for nexthop dump request"),
        ));
    }
    let kept = || {
        k.nexthops(sock.netns)
            .filter(|nh| !k.nh_dump_filtered(nh, &f))
    };
    if flags != 0 && kept().any(|nh| nh.is_group()) {
        return Err(stats_not_modelled());
    }
    Ok(kept()
        .map(|nh| {
            encode(
                &k.nexthop_view(nh),
                LinkMsg::New,
                NLM_F_MULTI,
                msg.header.seq,
                sock.portid,
            )
        })
        .collect())
}

fn ip_bytes(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    }
}

/// `nh_fill_node`: one RTM_NEWNEXTHOP / RTM_DELNEXTHOP message.
pub fn encode(v: &NexthopView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut body = vec![v.family, v.scope, v.protocol, 0];
    body.extend_from_slice(&v.flags.to_ne_bytes());
    put_attr(&mut body, NHA_ID, &v.id.to_ne_bytes());
    match &v.body {
        NhViewBody::Blackhole => put_attr(&mut body, NHA_BLACKHOLE, &[]),
        NhViewBody::Single { fdb, oif, gateway } => {
            if *fdb {
                put_attr(&mut body, NHA_FDB, &[]);
            } else if let Some(ifindex) = oif {
                put_attr(&mut body, NHA_OIF, &ifindex.to_ne_bytes());
            }
            if let Some(gw) = gateway {
                put_attr(&mut body, NHA_GATEWAY, &ip_bytes(gw));
            }
        }
        NhViewBody::Group {
            fdb,
            group_type,
            entries,
            res,
        } => {
            if *fdb {
                put_attr(&mut body, NHA_FDB, &[]);
            }
            put_attr(&mut body, NHA_GROUP_TYPE, &group_type.to_ne_bytes());
            let mut grp = Vec::with_capacity(entries.len() * 8);
            for (id, w) in entries {
                grp.extend_from_slice(&id.to_ne_bytes());
                grp.push(*w as u8);
                grp.push((*w >> 8) as u8);
                grp.extend_from_slice(&[0, 0]);
            }
            put_attr(&mut body, NHA_GROUP, &grp);
            if let Some(r) = res {
                let mut nest = Vec::new();
                put_attr(&mut nest, NHA_RES_GROUP_BUCKETS, &r.buckets.to_ne_bytes());
                put_attr(
                    &mut nest,
                    NHA_RES_GROUP_IDLE_TIMER,
                    &r.idle_timer.to_ne_bytes(),
                );
                put_attr(
                    &mut nest,
                    NHA_RES_GROUP_UNBALANCED_TIMER,
                    &r.unbalanced_timer.to_ne_bytes(),
                );
                // nla_put_u64_64bit: a PAD attribute first when the value would sit
                // unaligned to 8 bytes (offsets counted from the message start).
                let value_at = NLMSG_HDRLEN + body.len() + 4 + nest.len() + 4;
                if !value_at.is_multiple_of(8) {
                    put_attr(&mut nest, NHA_RES_GROUP_PAD, &[]);
                }
                put_attr(
                    &mut nest,
                    NHA_RES_GROUP_UNBALANCED_TIME,
                    &r.unbalanced_time.to_ne_bytes(),
                );
                put_attr(&mut body, NHA_RES_GROUP, &nest);
            }
            put_attr(
                &mut body,
                NHA_OP_FLAGS,
                &NHA_OP_FLAG_RESP_GRP_RESVD_0.to_ne_bytes(),
            );
        }
    }
    let h = NlHeader {
        len: (NLMSG_HDRLEN + body.len()) as u32,
        kind: match msg {
            LinkMsg::New => RTM_NEWNEXTHOP,
            LinkMsg::Del => RTM_DELNEXTHOP,
        },
        flags,
        seq,
        pid: portid,
    };
    let mut out = h.to_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}
