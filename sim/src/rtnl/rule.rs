//! RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE (net/core/fib_rules.c: `fib_nl_newrule`,
//! `fib_nl_delrule`, `fib_nl_dumprule`) and the RTM_NEWRULE / RTM_DELRULE notifications
//! (`notify_rule_change`). The rules live in the model (`kernel_model::inet::fib_rules`); this
//! module is the wire side: `fib_rule_policy`, `struct fib_rule_hdr`, and `fib_nl_fill_rule`'s
//! attribute order.

use super::reply::{ack, ack_if_asked, refuse, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::attrs::Attrs;
use crate::wire::consts::{NLM_F_EXCL, NLM_F_MULTI};
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::{AttrPolicy, NlaType, Policy, Validation};
use crate::wire::raw::{put_attr, NlHeader, RawMessage};
use kernel_model::inet::fib_rules::{AfRule, RuleFamily, RuleRequest, RuleView};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, LinkMsg};

pub const RTM_NEWRULE: u16 = 32;
pub const RTM_DELRULE: u16 = 33;
pub const RTM_GETRULE: u16 = 34;

/// `sizeof(struct fib_rule_hdr)`.
pub const FIB_RULE_HDR_LEN: usize = 12;

/// `enum` FRA_* (include/uapi/linux/fib_rules.h).
pub const FRA_DST: u16 = 1;
pub const FRA_SRC: u16 = 2;
pub const FRA_IIFNAME: u16 = 3;
pub const FRA_GOTO: u16 = 4;
pub const FRA_PRIORITY: u16 = 6;
pub const FRA_FWMARK: u16 = 10;
pub const FRA_FLOW: u16 = 11;
pub const FRA_TUN_ID: u16 = 12;
pub const FRA_SUPPRESS_IFGROUP: u16 = 13;
pub const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
pub const FRA_TABLE: u16 = 15;
pub const FRA_FWMASK: u16 = 16;
pub const FRA_OIFNAME: u16 = 17;
pub const FRA_L3MDEV: u16 = 19;
pub const FRA_UID_RANGE: u16 = 20;
pub const FRA_PROTOCOL: u16 = 21;
pub const FRA_IP_PROTO: u16 = 22;
pub const FRA_SPORT_RANGE: u16 = 23;
pub const FRA_DPORT_RANGE: u16 = 24;
pub const FRA_DSCP: u16 = 25;
const FRA_MAX: usize = 25;

/// `IFNAMSIZ - 1`.
const IFNAMSIZ_MAX: u16 = 15;
/// `INET_DSCP_MASK >> 2`: FRA_DSCP's NLA_POLICY_MAX.
const DSCP_MAX: i64 = 0xfc >> 2;

const fn fib_rule_table() -> [AttrPolicy; FRA_MAX + 1] {
    let mut p = [AttrPolicy::UNSPEC; FRA_MAX + 1];
    p[FRA_IIFNAME as usize] = AttrPolicy::with_len(NlaType::String, IFNAMSIZ_MAX);
    p[FRA_OIFNAME as usize] = AttrPolicy::with_len(NlaType::String, IFNAMSIZ_MAX);
    p[FRA_PRIORITY as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_FWMARK as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_FLOW as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_TUN_ID as usize] = AttrPolicy::of(NlaType::U64);
    p[FRA_FWMASK as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_TABLE as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_SUPPRESS_PREFIXLEN as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_SUPPRESS_IFGROUP as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_GOTO as usize] = AttrPolicy::of(NlaType::U32);
    p[FRA_L3MDEV as usize] = AttrPolicy::of(NlaType::U8);
    // `.len = sizeof(struct fib_rule_uid_range)` on an untyped entry: a minimum length.
    p[FRA_UID_RANGE as usize] = AttrPolicy::with_len(NlaType::Unspec, 8);
    p[FRA_PROTOCOL as usize] = AttrPolicy::of(NlaType::U8);
    p[FRA_IP_PROTO as usize] = AttrPolicy::of(NlaType::U8);
    p[FRA_SPORT_RANGE as usize] = AttrPolicy::with_len(NlaType::Unspec, 4);
    p[FRA_DPORT_RANGE as usize] = AttrPolicy::with_len(NlaType::Unspec, 4);
    p[FRA_DSCP as usize] = AttrPolicy::validated(NlaType::U8, Validation::Max(DSCP_MAX));
    p
}

static FIB_RULE_TABLE: [AttrPolicy; FRA_MAX + 1] = fib_rule_table();

/// `fib_rule_policy` (`[FRA_UNSPEC] = { .strict_start_type = FRA_DPORT_RANGE + 1 }`).
pub static FIB_RULE_POLICY: Policy = Policy {
    name: "fib_rule_policy",
    strict_start_type: FRA_DPORT_RANGE + 1,
    attrs: &FIB_RULE_TABLE,
};

fn error(msg: &RawMessage<'_>, sock: &SockCtx, e: &KernelError) -> Outcome {
    let ext = ExtAck {
        msg: e.msg.as_ref().map(|m| m.to_string()),
        ..ExtAck::default()
    };
    ack(msg, sock, -e.errno, &ext)
}

fn pair_u32(v: &[u8]) -> Option<(u32, u32)> {
    let a: [u8; 4] = v.get(..4)?.try_into().ok()?;
    let b: [u8; 4] = v.get(4..8)?.try_into().ok()?;
    Some((u32::from_ne_bytes(a), u32::from_ne_bytes(b)))
}

fn pair_u16(v: &[u8]) -> Option<(u16, u16)> {
    let a: [u8; 2] = v.get(..2)?.try_into().ok()?;
    let b: [u8; 2] = v.get(2..4)?.try_into().ok()?;
    Some((u16::from_ne_bytes(a), u16::from_ne_bytes(b)))
}

/// The request in the model's terms: `struct fib_rule_hdr` and `tb[]`.
fn decode(msg: &RawMessage<'_>, tb: &Attrs<'_>) -> Result<RuleRequest, KernelError> {
    let h = msg.payload();
    let u = |i: usize| h.get(i).copied().unwrap_or(0);
    let flags = h
        .get(8..12)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_ne_bytes);
    // A name that is not UTF-8 cannot name a device nlsim holds.
    let name = |t: u16| {
        tb.str(t)
            .map_err(|_| KernelError::not_modelled("an interface name that is not UTF-8"))
    };
    Ok(RuleRequest {
        family: u(0),
        dst_len: u(1),
        src_len: u(2),
        tos: u(3),
        table: u(4),
        action: u(7),
        flags,
        excl: msg.header.flags & NLM_F_EXCL != 0,
        dst: tb.bytes(FRA_DST).map(<[u8]>::to_vec),
        src: tb.bytes(FRA_SRC).map(<[u8]>::to_vec),
        iifname: name(FRA_IIFNAME)?,
        oifname: name(FRA_OIFNAME)?,
        goto: tb.u32(FRA_GOTO),
        priority: tb.u32(FRA_PRIORITY),
        fwmark: tb.u32(FRA_FWMARK),
        fwmask: tb.u32(FRA_FWMASK),
        flow: tb.u32(FRA_FLOW),
        tun_id: tb.u64(FRA_TUN_ID),
        suppress_ifgroup: tb.u32(FRA_SUPPRESS_IFGROUP),
        suppress_prefixlen: tb.u32(FRA_SUPPRESS_PREFIXLEN),
        table_attr: tb.u32(FRA_TABLE),
        l3mdev: tb.u8(FRA_L3MDEV),
        uid_range: tb.bytes(FRA_UID_RANGE).and_then(pair_u32),
        protocol: tb.u8(FRA_PROTOCOL),
        ip_proto: tb.u8(FRA_IP_PROTO),
        sport_range: tb.bytes(FRA_SPORT_RANGE).and_then(pair_u16),
        dport_range: tb.bytes(FRA_DPORT_RANGE).and_then(pair_u16),
        dscp: tb.u8(FRA_DSCP),
    })
}

/// `fib_nl_newrule` / `fib_nl_delrule`: header length, family, `nlmsg_parse_deprecated`
/// against `fib_rule_policy`, then the model.
pub fn handle_change(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>, add: bool) -> Outcome {
    if msg.payload().len() < FIB_RULE_HDR_LEN {
        return refuse(msg, sock, errno::EINVAL, Some("Invalid msg length".into()));
    }
    let family = msg.payload().first().copied().unwrap_or(0);
    if RuleFamily::from_af(family).is_none() {
        return refuse(
            msg,
            sock,
            errno::EAFNOSUPPORT,
            Some("Rule family not supported".into()),
        );
    }
    let tb = match nlattr::parse(
        msg.bytes,
        FIB_RULE_HDR_LEN,
        &FIB_RULE_POLICY,
        ValidateMode::Liberal,
    ) {
        Ok((tb, _)) => tb,
        Err(mut e) => {
            // NL_SET_ERR_MSG(extack, "Error parsing msg") replaces the policy's message.
            e.extack.msg = Some("Error parsing msg".into());
            return ack(msg, sock, -e.errno, &e.extack);
        }
    };
    let req = match decode(msg, &tb) {
        Ok(r) => r,
        Err(e) => return error(msg, sock, &e),
    };
    let res = if add {
        k.fib_nl_newrule(sock.netns, &req)
    } else {
        k.fib_nl_delrule(sock.netns, &req)
    };
    match res {
        Ok(()) => ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => error(msg, sock, &e),
    }
}

/// RTM_GETRULE without NLM_F_DUMP: fib_rules_init registers no doit.
pub fn handle_get(_k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    refuse(msg, sock, errno::EOPNOTSUPP, None)
}

/// `fib_valid_dumprule_req` (strict checking only).
fn fib_valid_dumprule_req(msg: &RawMessage<'_>) -> Result<(), (i32, ExtAck)> {
    let fail = |text: &str| {
        Err((
            errno::EINVAL,
            ExtAck {
                msg: Some(text.to_string()),
                ..ExtAck::default()
            },
        ))
    };
    let h = msg.payload();
    if h.len() < FIB_RULE_HDR_LEN {
        return fail("Invalid header for fib rule dump request");
    }
    if h[1..FIB_RULE_HDR_LEN].iter().any(|b| *b != 0) {
        return fail("Invalid values in header for fib rule dump request");
    }
    if h.len() > FIB_RULE_HDR_LEN {
        return fail("Invalid data after header in fib rule dump request");
    }
    Ok(())
}

/// `fib_nl_dumprule`: one family's list, or (AF_UNSPEC) every registered family in
/// `net->rules_ops` order.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    if sock.strict_chk {
        fib_valid_dumprule_req(msg)?;
    }
    let family = msg.payload().first().copied().unwrap_or(0);
    let families: Vec<RuleFamily> = if family == 0 {
        RuleFamily::ALL.to_vec()
    } else {
        match RuleFamily::from_af(family) {
            Some(f) => vec![f],
            None => return Err((errno::EAFNOSUPPORT, ExtAck::default())),
        }
    };
    Ok(families
        .into_iter()
        .flat_map(|f| k.fib_rules(sock.netns, f))
        .map(|v| encode(&v, RTM_NEWRULE, NLM_F_MULTI, msg.header.seq, sock.portid))
        .collect())
}

/// `fib_nl_fill_rule` with the family's `fill` (`fib4_rule_fill`, `fib6_rule_fill`,
/// `ipmr_rule_fill`).
pub fn encode(v: &RuleView, kind: u16, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let r = &v.rule;
    let mut attrs = Vec::new();
    put_attr(&mut attrs, FRA_TABLE, &r.table.to_ne_bytes());
    put_attr(
        &mut attrs,
        FRA_SUPPRESS_PREFIXLEN,
        &r.suppress_prefixlen.to_ne_bytes(),
    );
    put_attr(&mut attrs, FRA_PROTOCOL, &[r.proto]);
    if !r.iifname.is_empty() {
        put_attr(&mut attrs, FRA_IIFNAME, &nul_terminated(&r.iifname));
    }
    if !r.oifname.is_empty() {
        put_attr(&mut attrs, FRA_OIFNAME, &nul_terminated(&r.oifname));
    }
    if r.pref != 0 {
        put_attr(&mut attrs, FRA_PRIORITY, &r.pref.to_ne_bytes());
    }
    if r.mark != 0 {
        put_attr(&mut attrs, FRA_FWMARK, &r.mark.to_ne_bytes());
    }
    if r.mark_mask != 0 || r.mark != 0 {
        put_attr(&mut attrs, FRA_FWMASK, &r.mark_mask.to_ne_bytes());
    }
    if r.target != 0 {
        put_attr(&mut attrs, FRA_GOTO, &r.target.to_ne_bytes());
    }
    if r.tun_id != 0 {
        // nla_put_be64: no FRA_PAD on a host with efficient unaligned access (x86-64).
        put_attr(&mut attrs, FRA_TUN_ID, &r.tun_id.to_ne_bytes());
    }
    if r.l3mdev != 0 {
        put_attr(&mut attrs, FRA_L3MDEV, &[r.l3mdev]);
    }
    if r.uid_range.0 != u32::MAX && r.uid_range.1 != u32::MAX {
        let mut b = r.uid_range.0.to_ne_bytes().to_vec();
        b.extend_from_slice(&r.uid_range.1.to_ne_bytes());
        put_attr(&mut attrs, FRA_UID_RANGE, &b);
    }
    for (kind, range) in [
        (FRA_SPORT_RANGE, r.sport_range),
        (FRA_DPORT_RANGE, r.dport_range),
    ] {
        if range.0 != 0 && range.1 != 0 {
            let mut b = range.0.to_ne_bytes().to_vec();
            b.extend_from_slice(&range.1.to_ne_bytes());
            put_attr(&mut attrs, kind, &b);
        }
    }
    if r.ip_proto != 0 {
        put_attr(&mut attrs, FRA_IP_PROTO, &[r.ip_proto]);
    }
    if r.suppress_ifgroup != -1 {
        put_attr(
            &mut attrs,
            FRA_SUPPRESS_IFGROUP,
            &r.suppress_ifgroup.to_ne_bytes(),
        );
    }
    // ops->fill: the family's selectors and the header fields it owns.
    let (dst_len, src_len, tos) = match &r.af {
        AfRule::Inet(r4) => {
            let tos = fill_dscp(&mut attrs, r4.dscp, r4.dscp_full);
            if r4.dst_len != 0 {
                let a = r4.dst.map_or([0; 4], |a| a.octets());
                put_attr(&mut attrs, FRA_DST, &a);
            }
            if r4.src_len != 0 {
                let a = r4.src.map_or([0; 4], |a| a.octets());
                put_attr(&mut attrs, FRA_SRC, &a);
            }
            if r4.tclassid != 0 {
                put_attr(&mut attrs, FRA_FLOW, &r4.tclassid.to_ne_bytes());
            }
            (r4.dst_len, r4.src_len, tos)
        }
        AfRule::Inet6(r6) => {
            let tos = fill_dscp(&mut attrs, r6.dscp, r6.dscp_full);
            if r6.dst_len != 0 {
                let a = r6.dst.map_or([0; 16], |a| a.octets());
                put_attr(&mut attrs, FRA_DST, &a);
            }
            if r6.src_len != 0 {
                let a = r6.src.map_or([0; 16], |a| a.octets());
                put_attr(&mut attrs, FRA_SRC, &a);
            }
            (r6.dst_len, r6.src_len, tos)
        }
        AfRule::Mr => (0, 0, 0),
    };
    let mut out = Vec::with_capacity(NlHeader::LEN + FIB_RULE_HDR_LEN + attrs.len());
    let len = NlHeader::LEN + FIB_RULE_HDR_LEN + attrs.len();
    out.extend_from_slice(
        &NlHeader {
            len: len as u32,
            kind,
            flags,
            seq,
            pid: portid,
        }
        .to_bytes(),
    );
    out.extend_from_slice(&[
        v.family.af(),
        dst_len,
        src_len,
        tos,
        v.frh_table(),
        0,
        0,
        r.action,
    ]);
    out.extend_from_slice(&v.frh_flags.to_ne_bytes());
    out.extend_from_slice(&attrs);
    out
}

/// `frh->tos` or FRA_DSCP, as `fib4_rule_fill` / `fib6_rule_fill` choose.
fn fill_dscp(attrs: &mut Vec<u8>, dscp: u8, full: bool) -> u8 {
    if full {
        put_attr(attrs, FRA_DSCP, &[dscp >> 2]);
        0
    } else {
        dscp
    }
}

fn nul_terminated(s: &str) -> Vec<u8> {
    let mut b = s.as_bytes().to_vec();
    b.push(0);
    b
}

/// The wire form of a notification (`notify_rule_change`: flags 0, the requester's port id
/// and seq for a request, 0 for the vrf driver's rules).
pub fn encode_notification(v: &RuleView, cmd: LinkMsg, seq: u32, portid: u32) -> Vec<u8> {
    let kind = match cmd {
        LinkMsg::New => RTM_NEWRULE,
        LinkMsg::Del => RTM_DELRULE,
    };
    encode(v, kind, 0, seq, portid)
}
