//! AF_INET / AF_INET6 (and PF_UNSPEC dump) RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH
//! (`ip neigh`) and RTM_GETNEIGHTBL / RTM_SETNEIGHTBL (`ip ntable`): the request checks and
//! policies of net/core/neighbour.c (`nda_policy`, `nl_neightbl_policy`,
//! `nl_ntbl_parm_policy`, `neigh_valid_get_req`, `neigh_valid_dump_req`,
//! `neightbl_valid_dump_info`) and the encoders of `neigh_fill_info`, `pneigh_fill_info`,
//! `neightbl_fill_info` and `neightbl_fill_param_info`. The rules are the model's
//! (`kernel_model::neigh`).

use super::reply::{
    ack, ack_if_asked, keep_warning, kernel_error, reply_and_ack, Outcome, SockCtx,
};
use crate::wire::ack::ExtAck;
use crate::wire::consts::{
    NLMSG_HDRLEN, NLM_F_CREATE, NLM_F_DUMP_FILTERED, NLM_F_EXCL, NLM_F_MULTI, NLM_F_REPLACE,
};
use crate::wire::nlattr::{self, PolicyError, ValidateMode};
use crate::wire::policy::{AttrPolicy, NlaType, Policy, Validation};
use crate::wire::raw::{put_attr, NlHeader, RawMessage};
use kernel_model::neigh::parms::{
    jiffies_to_msecs, ndtpa, NeighTblMsg, NeighTblSet, ParmsSet, ParmsView, SKB_TRUESIZE_ETH_FRAME,
};
use kernel_model::neigh::rtnl::{NeighDumpFilter, NeighGet, NeighNlmFlags, NeighRequest};
use kernel_model::neigh::{ntf, NeighMsg};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, LinkMsg};

pub const RTM_NEWNEIGHTBL: u16 = 64;
pub const RTM_GETNEIGHTBL: u16 = 66;
pub const RTM_SETNEIGHTBL: u16 = 67;
const RTM_NEWNEIGH: u16 = 28;
const RTM_DELNEIGH: u16 = 29;

/// `sizeof(struct ndmsg)`.
const NDMSG_LEN: usize = 12;
/// `sizeof(struct ndtmsg)`.
const NDTMSG_LEN: usize = 4;
/// MAX_ADDR_LEN.
const MAX_ADDR_LEN: u16 = 32;

/// NDA_* (include/uapi/linux/neighbour.h).
mod nda {
    pub const DST: u16 = 1;
    pub const LLADDR: u16 = 2;
    pub const CACHEINFO: u16 = 3;
    pub const PROBES: u16 = 4;
    pub const VLAN: u16 = 5;
    pub const PORT: u16 = 6;
    pub const VNI: u16 = 7;
    pub const IFINDEX: u16 = 8;
    pub const MASTER: u16 = 9;
    pub const PROTOCOL: u16 = 12;
    pub const NH_ID: u16 = 13;
    pub const FDB_EXT_ATTRS: u16 = 14;
    pub const FLAGS_EXT: u16 = 15;
    pub const MAX: usize = 17;
}

/// NDTA_* (include/uapi/linux/neighbour.h).
mod ndta {
    pub const NAME: u16 = 1;
    pub const THRESH1: u16 = 2;
    pub const THRESH2: u16 = 3;
    pub const THRESH3: u16 = 4;
    pub const CONFIG: u16 = 5;
    pub const PARMS: u16 = 6;
    pub const STATS: u16 = 7;
    pub const GC_INTERVAL: u16 = 8;
    pub const MAX: usize = 9;
}

const NDTPA_MAX: usize = 19;
const NDTPA_REFCNT: u16 = 2;
const NDTPA_REACHABLE_TIME: u16 = 3;

const fn nda_table() -> [AttrPolicy; nda::MAX + 1] {
    let mut p = [AttrPolicy::UNSPEC; nda::MAX + 1];
    p[nda::DST as usize] = AttrPolicy::with_len(NlaType::Binary, MAX_ADDR_LEN);
    p[nda::LLADDR as usize] = AttrPolicy::with_len(NlaType::Binary, MAX_ADDR_LEN);
    // sizeof(struct nda_cacheinfo), a minimum length.
    p[nda::CACHEINFO as usize] = AttrPolicy::with_len(NlaType::Unspec, 16);
    p[nda::PROBES as usize] = AttrPolicy::of(NlaType::U32);
    p[nda::VLAN as usize] = AttrPolicy::of(NlaType::U16);
    p[nda::PORT as usize] = AttrPolicy::of(NlaType::U16);
    p[nda::VNI as usize] = AttrPolicy::of(NlaType::U32);
    p[nda::IFINDEX as usize] = AttrPolicy::of(NlaType::U32);
    p[nda::MASTER as usize] = AttrPolicy::of(NlaType::U32);
    p[nda::PROTOCOL as usize] = AttrPolicy::of(NlaType::U8);
    p[nda::NH_ID as usize] = AttrPolicy::of(NlaType::U32);
    // NLA_POLICY_MASK(NLA_U32, NTF_EXT_MASK): the mask is checked after the parse
    // (`check_flags_ext`), the policy framework here has no mask validation.
    p[nda::FLAGS_EXT as usize] = AttrPolicy::of(NlaType::U32);
    p[nda::FDB_EXT_ATTRS as usize] = AttrPolicy::of(NlaType::Nested);
    p
}
static NDA_TABLE: [AttrPolicy; nda::MAX + 1] = nda_table();
/// `nda_policy` (strict from NDA_NH_ID on).
pub static NDA_POLICY: Policy = Policy {
    name: "nda_policy",
    strict_start_type: nda::NH_ID,
    attrs: &NDA_TABLE,
};

const fn neightbl_table() -> [AttrPolicy; ndta::MAX + 1] {
    let mut p = [AttrPolicy::UNSPEC; ndta::MAX + 1];
    p[ndta::NAME as usize] = AttrPolicy::of(NlaType::String);
    p[ndta::THRESH1 as usize] = AttrPolicy::of(NlaType::U32);
    p[ndta::THRESH2 as usize] = AttrPolicy::of(NlaType::U32);
    p[ndta::THRESH3 as usize] = AttrPolicy::of(NlaType::U32);
    p[ndta::GC_INTERVAL as usize] = AttrPolicy::of(NlaType::U64);
    p[ndta::PARMS as usize] = AttrPolicy::of(NlaType::Nested);
    p
}
static NEIGHTBL_TABLE: [AttrPolicy; ndta::MAX + 1] = neightbl_table();
/// `nl_neightbl_policy`.
pub static NL_NEIGHTBL_POLICY: Policy = Policy {
    name: "nl_neightbl_policy",
    strict_start_type: 0,
    attrs: &NEIGHTBL_TABLE,
};

const fn ntbl_parm_table() -> [AttrPolicy; NDTPA_MAX + 1] {
    let mut p = [AttrPolicy::UNSPEC; NDTPA_MAX + 1];
    let u32s = [
        ndtpa::IFINDEX,
        ndtpa::QUEUE_LEN,
        ndtpa::QUEUE_LENBYTES,
        ndtpa::PROXY_QLEN,
        ndtpa::APP_PROBES,
        ndtpa::UCAST_PROBES,
        ndtpa::MCAST_PROBES,
        ndtpa::MCAST_REPROBES,
    ];
    let mut i = 0;
    while i < u32s.len() {
        p[u32s[i] as usize] = AttrPolicy::of(NlaType::U32);
        i += 1;
    }
    let u64s = [
        ndtpa::BASE_REACHABLE_TIME,
        ndtpa::GC_STALETIME,
        ndtpa::DELAY_PROBE_TIME,
        ndtpa::RETRANS_TIME,
        ndtpa::ANYCAST_DELAY,
        ndtpa::PROXY_DELAY,
        ndtpa::LOCKTIME,
    ];
    let mut i = 0;
    while i < u64s.len() {
        p[u64s[i] as usize] = AttrPolicy::of(NlaType::U64);
        i += 1;
    }
    p[ndtpa::INTERVAL_PROBE_TIME_MS as usize] =
        AttrPolicy::validated(NlaType::U64, Validation::Min(1));
    p
}
static NTBL_PARM_TABLE: [AttrPolicy; NDTPA_MAX + 1] = ntbl_parm_table();
/// `nl_ntbl_parm_policy`.
pub static NL_NTBL_PARM_POLICY: Policy = Policy {
    name: "nl_ntbl_parm_policy",
    strict_start_type: 0,
    attrs: &NTBL_PARM_TABLE,
};

fn einval(m: &str) -> (i32, ExtAck) {
    (
        errno::EINVAL,
        ExtAck {
            msg: Some(m.to_string()),
            ..ExtAck::default()
        },
    )
}

fn policy_err(e: PolicyError) -> (i32, ExtAck) {
    (e.errno, e.extack)
}

fn u32_at(p: &[u8], at: usize) -> u32 {
    p.get(at..at + 4)
        .map_or(0, |b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// The `struct ndmsg` of a request (zeros past its end).
fn ndmsg(p: &[u8]) -> [u8; NDMSG_LEN] {
    let mut h = [0u8; NDMSG_LEN];
    let n = p.len().min(NDMSG_LEN);
    h[..n].copy_from_slice(&p[..n]);
    h
}

/// NLA_POLICY_MASK(NLA_U32, NTF_EXT_MASK) of NDA_FLAGS_EXT (`nla_validate_mask`).
fn check_flags_ext(tb: &crate::wire::attrs::Attrs<'_>) -> Result<Option<u32>, (i32, ExtAck)> {
    let Some(nla) = tb.get(nda::FLAGS_EXT) else {
        return Ok(None);
    };
    let v = tb.u32(nda::FLAGS_EXT).unwrap_or(0);
    if v & !ntf::EXT_MASK != 0 {
        return Err((
            errno::EINVAL,
            ExtAck {
                msg: Some("reserved bit set".to_string()),
                bad_attr_offset: Some(nla.offset as u32),
                ..ExtAck::default()
            },
        ));
    }
    Ok(Some(v))
}

/// RTM_NEWNEIGH (`neigh_add`): `nlmsg_parse_deprecated(..., nda_policy)` then the model.
pub fn handle_new(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let (tb, warn) = match nlattr::parse(msg.bytes, NDMSG_LEN, &NDA_POLICY, ValidateMode::Liberal) {
        Ok(x) => x,
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    let flags_ext = match check_flags_ext(&tb) {
        Ok(v) => v,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    let p = ndmsg(msg.payload());
    let h = msg.header.flags;
    let req = NeighRequest {
        family: p[0],
        ifindex: u32_at(&p, 4) as i32,
        state: u16::from_ne_bytes([p[8], p[9]]),
        ndm_flags: p[10],
        dst: tb.bytes(nda::DST).map(<[u8]>::to_vec),
        lladdr: tb.bytes(nda::LLADDR).map(<[u8]>::to_vec),
        protocol: tb.u8(nda::PROTOCOL),
        flags_ext,
        nlm: NeighNlmFlags {
            create: h & NLM_F_CREATE != 0,
            excl: h & NLM_F_EXCL != 0,
            replace: h & NLM_F_REPLACE != 0,
        },
    };
    match k.neigh_add(sock.netns, &req) {
        Ok(()) => ack_if_asked(msg, sock, &keep_warning(ExtAck::default(), warn.warning)),
        Err(e) => {
            let ext = keep_warning(super::reply::kernel_extack(msg, &e), warn.warning);
            ack(msg, sock, -e.errno, &ext)
        }
    }
}

/// RTM_DELNEIGH (`neigh_delete`): no policy, NDA_DST found with `nlmsg_find_attr`.
pub fn handle_del(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let p = msg.payload();
    if p.len() < NDMSG_LEN {
        return ack(msg, sock, -errno::EINVAL, &ExtAck::default());
    }
    let attrs = crate::wire::attrs::Attrs::of_message(msg.bytes, NDMSG_LEN, nda::MAX as u16);
    let req = NeighRequest {
        family: p[0],
        ifindex: u32_at(p, 4) as i32,
        state: u16::from_ne_bytes([p[8], p[9]]),
        ndm_flags: p[10],
        dst: attrs.first(nda::DST).map(|a| a.value.to_vec()),
        ..NeighRequest::default()
    };
    match k.neigh_delete(sock.netns, &req) {
        Ok(()) => ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => kernel_error(msg, sock, &e),
    }
}

/// `neigh_valid_get_req` (always strict) up to the family, then `neigh_get`.
pub fn handle_get(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let p = msg.payload();
    if p.len() < NDMSG_LEN {
        let (e, ext) = einval("Invalid header for neighbor get request");
        return ack(msg, sock, -e, &ext);
    }
    if p[1] != 0 || p[2..4] != [0, 0] || p[8..10] != [0, 0] || p[11] != 0 {
        let (e, ext) = einval("Invalid values in header for neighbor get request");
        return ack(msg, sock, -e, &ext);
    }
    if u32::from(p[10]) & !ntf::PROXY != 0 {
        let (e, ext) = einval("Invalid flags in header for neighbor get request");
        return ack(msg, sock, -e, &ext);
    }
    let tb = match nlattr::parse(
        msg.bytes,
        NDMSG_LEN,
        &NDA_POLICY,
        ValidateMode::DeprecatedStrict,
    ) {
        Ok((tb, _)) => tb,
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    if let Some(f) = kernel_model::neigh::Family::from_af(p[0]) {
        // The attribute loop, in type order: only NDA_DST, of exactly the key length.
        for a in tb.by_type() {
            let text = if a.kind != nda::DST {
                "Unsupported attribute in neighbor get request"
            } else if a.value.len() != f.key_len() {
                "Invalid network address in neighbor get request"
            } else {
                continue;
            };
            let (e, ext) = einval(text);
            return ack(msg, sock, -e, &ext);
        }
    }
    let req = NeighGet {
        family: p[0],
        ifindex: u32_at(p, 4) as i32,
        proxy: u32::from(p[10]) & ntf::PROXY != 0,
        dst: tb.bytes(nda::DST).map(<[u8]>::to_vec),
    };
    match k.neigh_get(sock.netns, &req) {
        Ok(m) => reply_and_ack(
            msg,
            sock,
            vec![encode(&m, LinkMsg::New, 0, msg.header.seq, sock.portid)],
        ),
        Err(e) => kernel_error(msg, sock, &e),
    }
}

/// `neigh_valid_dump_req`: the filter, or (strict sockets only) the error.
fn dump_filter(msg: &RawMessage<'_>, sock: &SockCtx) -> Result<NeighDumpFilter, (i32, ExtAck)> {
    let p = msg.payload();
    let mut flt = NeighDumpFilter {
        family: p.first().copied().unwrap_or(0),
        // A full ndmsg whose ndm_flags is exactly NTF_PROXY.
        proxy: p.len() >= NDMSG_LEN && u32::from(p[10]) == ntf::PROXY,
        ..NeighDumpFilter::default()
    };
    let parsed = if sock.strict_chk {
        if msg.bytes.len().min(msg.header.len as usize) < NLMSG_HDRLEN + NDMSG_LEN {
            return Err(einval("Invalid header for neighbor dump request"));
        }
        if p[1] != 0 || p[2..4] != [0, 0] || u32_at(p, 4) != 0 || p[8..10] != [0, 0] || p[11] != 0 {
            return Err(einval("Invalid values in header for neighbor dump request"));
        }
        if u32::from(p[10]) & !ntf::PROXY != 0 {
            return Err(einval("Invalid flags in header for neighbor dump request"));
        }
        nlattr::parse(
            msg.bytes,
            NDMSG_LEN,
            &NDA_POLICY,
            ValidateMode::DeprecatedStrict,
        )
    } else {
        nlattr::parse(msg.bytes, NDMSG_LEN, &NDA_POLICY, ValidateMode::Liberal)
    };
    let tb = match parsed {
        Ok((tb, _)) => tb,
        Err(e) if sock.strict_chk => return Err(policy_err(e)),
        // A legacy request that does not parse dumps everything.
        Err(_) => return Ok(flt),
    };
    for a in tb.by_type() {
        match a.kind {
            nda::IFINDEX => flt.dev_idx = tb.u32(nda::IFINDEX).unwrap_or(0) as i32,
            nda::MASTER => flt.master_idx = tb.u32(nda::MASTER).unwrap_or(0) as i32,
            _ if sock.strict_chk => {
                return Err(einval("Unsupported attribute in neighbor dump request"))
            }
            _ => {}
        }
    }
    Ok(flt)
}

/// The dump's messages (`neigh_dump_info`), NLM_F_MULTI, NLM_F_DUMP_FILTERED when a
/// device or master filter applied.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let flt = dump_filter(msg, sock)?;
    let mut flags = NLM_F_MULTI;
    if flt.dev_idx != 0 || flt.master_idx != 0 {
        flags |= NLM_F_DUMP_FILTERED;
    }
    Ok(k.neigh_dump(sock.netns, &flt)
        .iter()
        .map(|m| encode(m, LinkMsg::New, flags, msg.header.seq, sock.portid))
        .collect())
}

/// A netlink message of type `kind` around `body`.
fn nlmsg(kind: u16, flags: u16, seq: u32, portid: u32, body: &[u8]) -> Vec<u8> {
    let h = NlHeader {
        len: (NLMSG_HDRLEN + body.len()) as u32,
        kind,
        flags,
        seq,
        pid: portid,
    };
    let mut out = h.to_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

/// `neigh_fill_info` / `pneigh_fill_info`.
pub fn encode(m: &NeighMsg, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut b = Vec::with_capacity(96);
    b.push(m.family);
    b.extend_from_slice(&[0, 0, 0]);
    b.extend_from_slice(&m.ifindex.to_ne_bytes());
    b.extend_from_slice(&m.state.to_ne_bytes());
    b.push(m.flags);
    b.push(m.ntype);
    put_attr(&mut b, nda::DST, &m.dst);
    if let Some(ll) = &m.lladdr {
        put_attr(&mut b, nda::LLADDR, ll.as_bytes());
    }
    if let Some(ci) = &m.cache {
        put_attr(&mut b, nda::PROBES, &ci.probes.to_ne_bytes());
        let mut c = Vec::with_capacity(16);
        for v in [ci.confirmed, ci.used, ci.updated, ci.refcnt] {
            c.extend_from_slice(&v.to_ne_bytes());
        }
        put_attr(&mut b, nda::CACHEINFO, &c);
    }
    if m.protocol != 0 {
        put_attr(&mut b, nda::PROTOCOL, &[m.protocol]);
    }
    if m.flags_ext != 0 {
        put_attr(&mut b, nda::FLAGS_EXT, &m.flags_ext.to_ne_bytes());
    }
    let kind = match msg {
        LinkMsg::New => RTM_NEWNEIGH,
        LinkMsg::Del => RTM_DELNEIGH,
    };
    nlmsg(kind, flags, seq, portid, &b)
}

// ----- neighbour tables ---------------------------------------------------------------------

/// `neightbl_fill_parms`: the NDTA_PARMS nest.
fn put_parms(b: &mut Vec<u8>, v: &ParmsView) {
    let p = &v.parms;
    let mut n = Vec::with_capacity(192);
    let u32a = |n: &mut Vec<u8>, t: u16, x: u32| put_attr(n, t, &x.to_ne_bytes());
    let msecs =
        |n: &mut Vec<u8>, t: u16, j: u64| put_attr(n, t, &jiffies_to_msecs(j).to_ne_bytes());
    if let Some(i) = v.ifindex {
        u32a(&mut n, ndtpa::IFINDEX, i);
    }
    u32a(&mut n, NDTPA_REFCNT, v.refcnt);
    u32a(&mut n, ndtpa::QUEUE_LENBYTES, p.queue_len_bytes);
    u32a(
        &mut n,
        ndtpa::QUEUE_LEN,
        p.queue_len_bytes / SKB_TRUESIZE_ETH_FRAME,
    );
    u32a(&mut n, ndtpa::PROXY_QLEN, p.proxy_qlen);
    u32a(&mut n, ndtpa::APP_PROBES, p.app_probes);
    u32a(&mut n, ndtpa::UCAST_PROBES, p.ucast_probes);
    u32a(&mut n, ndtpa::MCAST_PROBES, p.mcast_probes);
    u32a(&mut n, ndtpa::MCAST_REPROBES, p.mcast_reprobes);
    msecs(&mut n, NDTPA_REACHABLE_TIME, v.reachable_time);
    msecs(&mut n, ndtpa::BASE_REACHABLE_TIME, p.base_reachable_time);
    msecs(&mut n, ndtpa::GC_STALETIME, p.gc_staletime);
    msecs(&mut n, ndtpa::DELAY_PROBE_TIME, p.delay_probe_time);
    msecs(&mut n, ndtpa::RETRANS_TIME, p.retrans_time);
    msecs(&mut n, ndtpa::ANYCAST_DELAY, p.anycast_delay);
    msecs(&mut n, ndtpa::PROXY_DELAY, p.proxy_delay);
    msecs(&mut n, ndtpa::LOCKTIME, p.locktime);
    msecs(
        &mut n,
        ndtpa::INTERVAL_PROBE_TIME_MS,
        p.interval_probe_time_ms,
    );
    put_attr(b, ndta::PARMS, &n);
}

fn put_name(b: &mut Vec<u8>, f: kernel_model::neigh::Family) {
    let mut s = f.id().as_bytes().to_vec();
    s.push(0);
    put_attr(b, ndta::NAME, &s);
}

/// `neightbl_fill_info` / `neightbl_fill_param_info`.
pub fn encode_tbl(m: &NeighTblMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut b = Vec::with_capacity(320);
    match m {
        NeighTblMsg::Table {
            family,
            gc_interval,
            thresh,
            config,
            stats,
            periodic_gc_runs,
            parms,
        } => {
            b.extend_from_slice(&[family.af(), 0, 0, 0]);
            put_name(&mut b, *family);
            put_attr(
                &mut b,
                ndta::GC_INTERVAL,
                &jiffies_to_msecs(*gc_interval).to_ne_bytes(),
            );
            put_attr(&mut b, ndta::THRESH1, &thresh[0].to_ne_bytes());
            put_attr(&mut b, ndta::THRESH2, &thresh[1].to_ne_bytes());
            put_attr(&mut b, ndta::THRESH3, &thresh[2].to_ne_bytes());
            let mut c = Vec::with_capacity(32);
            c.extend_from_slice(&config.key_len.to_ne_bytes());
            c.extend_from_slice(&config.entry_size.to_ne_bytes());
            for v in [
                config.entries,
                config.last_flush_ms,
                config.last_rand_ms,
                config.hash_rnd,
                config.hash_mask,
                config.hash_chain_gc,
                config.proxy_qlen,
            ] {
                c.extend_from_slice(&v.to_ne_bytes());
            }
            put_attr(&mut b, ndta::CONFIG, &c);
            let mut s = Vec::with_capacity(88);
            for v in [
                stats.allocs,
                stats.destroys,
                stats.hash_grows,
                stats.res_failed,
                stats.lookups,
                stats.hits,
                0, // rcv_probes_mcast
                0, // rcv_probes_ucast
                *periodic_gc_runs,
                0, // forced_gc_runs
                0, // table_fulls
            ] {
                s.extend_from_slice(&v.to_ne_bytes());
            }
            put_attr(&mut b, ndta::STATS, &s);
            put_parms(&mut b, parms);
        }
        NeighTblMsg::Parms { family, parms } => {
            b.extend_from_slice(&[family.af(), 0, 0, 0]);
            put_name(&mut b, *family);
            put_parms(&mut b, parms);
        }
    }
    nlmsg(RTM_NEWNEIGHTBL, flags, seq, portid, &b)
}

/// RTM_GETNEIGHTBL dump (`neightbl_dump_info`, `neightbl_valid_dump_info` when strict).
pub fn tbl_dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let p = msg.payload();
    if sock.strict_chk {
        if msg.bytes.len().min(msg.header.len as usize) < NLMSG_HDRLEN + NDTMSG_LEN {
            return Err(einval("Invalid header for neighbor table dump request"));
        }
        if p[1] != 0 || p[2..4] != [0, 0] {
            return Err(einval(
                "Invalid values in header for neighbor table dump request",
            ));
        }
        if p.len() > NDTMSG_LEN {
            return Err(einval(
                "Invalid data after header in neighbor table dump request",
            ));
        }
    }
    let family = p.first().copied().unwrap_or(0);
    Ok(k.neightbl_dump(sock.netns, family)
        .iter()
        .map(|m| encode_tbl(m, NLM_F_MULTI, msg.header.seq, sock.portid))
        .collect())
}

/// RTM_SETNEIGHTBL (`neightbl_set`).
pub fn handle_tbl_set(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let (tb, warn) = match nlattr::parse(
        msg.bytes,
        NDTMSG_LEN,
        &NL_NEIGHTBL_POLICY,
        ValidateMode::Liberal,
    ) {
        Ok(x) => x,
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    let mut req = NeighTblSet {
        family: msg.payload().first().copied().unwrap_or(0),
        name: tb.bytes(ndta::NAME).map(|s| {
            // nla_strcmp compares up to the first NUL.
            s.split(|c| *c == 0).next().unwrap_or_default().to_vec()
        }),
        thresh1: tb.u32(ndta::THRESH1),
        thresh2: tb.u32(ndta::THRESH2),
        thresh3: tb.u32(ndta::THRESH3),
        gc_interval: tb.u64(ndta::GC_INTERVAL),
        parms: None,
    };
    if req.name.is_some() {
        // The table is looked up before NDTA_PARMS is parsed; an unknown name wins.
        let known = kernel_model::neigh::Family::ALL.iter().any(|f| {
            (req.family == 0 || f.af() == req.family)
                && req.name.as_deref() == Some(f.id().as_bytes())
        });
        if known {
            match tb.parse_nested(ndta::PARMS, &NL_NTBL_PARM_POLICY, ValidateMode::Liberal) {
                Ok(Some((ptb, _))) => {
                    let mut ps = ParmsSet {
                        ifindex: ptb.u32(ndtpa::IFINDEX),
                        values: Vec::new(),
                    };
                    for a in ptb.by_type() {
                        let v = match a.value.len() {
                            4 => u64::from(ptb.u32(a.kind).unwrap_or(0)),
                            _ => ptb.u64(a.kind).unwrap_or(0),
                        };
                        ps.values.push((a.kind, v));
                    }
                    req.parms = Some(ps);
                }
                Ok(None) => {}
                Err(e) => return ack(msg, sock, -e.errno, &e.extack),
            }
        }
    }
    match k.neightbl_set(sock.netns, &req) {
        Ok(()) => ack_if_asked(msg, sock, &keep_warning(ExtAck::default(), warn.warning)),
        Err(e) => kernel_error(msg, sock, &e),
    }
}
