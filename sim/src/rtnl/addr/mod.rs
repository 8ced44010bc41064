//! RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR for AF_INET (`inet_rtm_newaddr`,
//! `inet_rtm_deladdr`, `inet_dump_ifaddr`) and AF_INET6 (`inet6_rtm_newaddr`,
//! `inet6_rtm_deladdr`, `inet6_rtm_getaddr`, `inet6_dump_ifaddr`), and the AF_UNSPEC dump
//! (`rtnl_dump_all`: AF_INET's then AF_INET6's). Decoding here, the rules in
//! `kernel_model::inet::{devinet, addrconf}`.

pub mod acmc;
pub mod encode;
pub mod policy;

use super::reply::{ack, keep_warning, kernel_extack, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::attrs::Attrs;
use crate::wire::consts::{NLM_F_ACK, NLM_F_DUMP_FILTERED, NLM_F_EXCL, NLM_F_MULTI, NLM_F_REPLACE};
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::raw::RawMessage;
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::inet::ifaddr::AddrView;
use kernel_model::uapi::errno;
use kernel_model::{DevId, Kernel, LinkMsg};
use policy::*;
use std::net::IpAddr;

pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;
pub const RTM_NEWADDR: u16 = encode::RTM_NEWADDR;
pub const RTM_DELADDR: u16 = encode::RTM_DELADDR;
/// RTNLGRP_IPV4_IFADDR / RTNLGRP_IPV6_IFADDR.
pub const RTNLGRP_IPV4_IFADDR: u32 = 5;
pub const RTNLGRP_IPV6_IFADDR: u32 = 9;

type ReqError = (i32, ExtAck);

fn einval(m: &str) -> ReqError {
    (errno::EINVAL, ExtAck::msg(m))
}

/// The address attribute `t` of the family: the leading 4 or 16 bytes (the policy checked
/// the minimum length).
fn ip_attr(tb: &Attrs<'_>, t: u16, v6: bool) -> Option<IpAddr> {
    if v6 {
        tb.in6_addr(t).map(IpAddr::V6)
    } else {
        tb.in_addr(t).map(IpAddr::V4)
    }
}

/// `nlmsg_parse(nlh, sizeof(struct ifaddrmsg), tb, IFA_MAX, ifa_ipv{4,6}_policy, ..)` in
/// `mode`, then the request as the handlers read it.
fn parse_request<'a>(
    msg: &RawMessage<'a>,
    v6: bool,
    mode: ValidateMode,
) -> Result<(AddrRequest, Attrs<'a>, Option<&'static str>), ReqError> {
    let policy = if v6 {
        &IFA_IPV6_POLICY
    } else {
        &IFA_IPV4_POLICY
    };
    let (tb, v) =
        nlattr::parse(msg.bytes, IFADDRMSG_LEN, policy, mode).map_err(|e| (e.errno, e.extack))?;
    let p = msg.payload();
    let label = if v6 {
        None
    } else {
        tb.str(IFA_LABEL).map_err(|_| {
            (
                errno::EOPNOTSUPP,
                ExtAck::msg("nlsim: an IFA_LABEL that is not UTF-8 is not modelled"),
            )
        })?
    };
    let req = AddrRequest {
        prefixlen: p[1],
        hdr_flags: p[2],
        scope: p[3],
        ifindex: u32::from_ne_bytes([p[4], p[5], p[6], p[7]]),
        local: ip_attr(&tb, IFA_LOCAL, v6),
        address: ip_attr(&tb, IFA_ADDRESS, v6),
        broadcast: if v6 { None } else { tb.in_addr(IFA_BROADCAST) },
        label,
        cacheinfo: tb.bytes(IFA_CACHEINFO).and_then(|c| {
            let p = u32::from_ne_bytes(c.get(0..4)?.try_into().ok()?);
            let v = u32::from_ne_bytes(c.get(4..8)?.try_into().ok()?);
            Some((p, v))
        }),
        flags: tb.u32(IFA_FLAGS),
        rt_priority: tb.u32(IFA_RT_PRIORITY),
        proto: tb.u8(IFA_PROTO),
        excl: msg.header.flags & NLM_F_EXCL != 0,
        replace: msg.header.flags & NLM_F_REPLACE != 0,
    };
    Ok((req, tb, v.warning))
}

/// Success: the ACK when asked, carrying a liberal parse's warning.
fn done(msg: &RawMessage<'_>, sock: &SockCtx, warning: Option<&str>) -> Outcome {
    if msg.header.flags & NLM_F_ACK != 0 {
        let ext = ExtAck {
            msg: warning.map(str::to_string),
            ..ExtAck::default()
        };
        ack(msg, sock, 0, &ext)
    } else {
        Outcome::Nothing
    }
}

/// RTM_NEWADDR / RTM_DELADDR of one family.
fn change(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>, v6: bool, add: bool) -> Outcome {
    let (req, _tb, warning) = match parse_request(msg, v6, ValidateMode::Liberal) {
        Ok(r) => r,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    let r = match (v6, add) {
        (false, true) => k.inet_rtm_newaddr(sock.netns, &req),
        (false, false) => k.inet_rtm_deladdr(sock.netns, &req),
        (true, true) => k.inet6_rtm_newaddr(sock.netns, &req),
        (true, false) => k.inet6_rtm_deladdr(sock.netns, &req),
    };
    match r {
        Ok(()) => done(msg, sock, warning),
        Err(e) => {
            let ext = keep_warning(kernel_extack(msg, &e), warning);
            ack(msg, sock, -e.errno, &ext)
        }
    }
}

pub fn newaddr_v4(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    change(k, sock, msg, false, true)
}
pub fn deladdr_v4(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    change(k, sock, msg, false, false)
}
pub fn newaddr_v6(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    change(k, sock, msg, true, true)
}
pub fn deladdr_v6(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    change(k, sock, msg, true, false)
}

/// `inet6_rtm_getaddr` (with `inet6_rtm_valid_getaddr_req`).
pub fn getaddr_v6(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let r = (|| -> Result<AddrView, ReqError> {
        if msg.payload().len() < IFADDRMSG_LEN {
            return Err(einval("ipv6: Invalid header for get address request"));
        }
        let mode = if sock.strict_chk {
            let p = msg.payload();
            if p[1] != 0 || p[2] != 0 || p[3] != 0 {
                return Err(einval(
                    "ipv6: Invalid values in header for get address request",
                ));
            }
            ValidateMode::DeprecatedStrict
        } else {
            ValidateMode::Liberal
        };
        let (req, tb, _) = parse_request(msg, true, mode)?;
        if sock.strict_chk {
            for a in tb.by_type() {
                if !matches!(a.kind, IFA_TARGET_NETNSID | IFA_ADDRESS | IFA_LOCAL) {
                    return Err(einval("ipv6: Unsupported attribute in get address request"));
                }
            }
        }
        if tb.has(IFA_TARGET_NETNSID) {
            return Err((
                errno::EOPNOTSUPP,
                ExtAck::msg("nlsim: IFA_TARGET_NETNSID not modelled"),
            ));
        }
        k.inet6_rtm_getaddr(sock.netns, &req)
            .map_err(|e| (e.errno, kernel_extack(msg, &e)))
    })();
    match r {
        Ok(v) => {
            let mut out = vec![encode::encode(
                &v,
                LinkMsg::New,
                0,
                msg.header.seq,
                sock.portid,
            )];
            if let Outcome::Reply(a) = done(msg, sock, None) {
                out.extend(a);
            }
            Outcome::Reply(out)
        }
        Err((e, ext)) => ack(msg, sock, -e, &ext),
    }
}

/// `inet_valid_dump_ifaddr_req` / `inet6_valid_dump_ifaddr_req`: the ifindex filter (0: none).
fn dump_filter(msg: &RawMessage<'_>, v6: bool) -> Result<u32, ReqError> {
    let pre = if v6 { "ipv6: " } else { "ipv4: " };
    if msg.payload().len() < IFADDRMSG_LEN {
        return Err(einval(&format!(
            "{pre}Invalid header for address dump request"
        )));
    }
    let p = msg.payload();
    if p[1] != 0 || p[2] != 0 || p[3] != 0 {
        return Err(einval(&format!(
            "{pre}Invalid values in header for address dump request"
        )));
    }
    let (req, tb, _) = parse_request(msg, v6, ValidateMode::DeprecatedStrict)?;
    // The first attribute present, by type, decides.
    let first = tb.by_type().next().map(|a| a.kind);
    match first {
        None => Ok(req.ifindex),
        Some(IFA_TARGET_NETNSID) => Err((
            errno::EOPNOTSUPP,
            ExtAck::msg("nlsim: IFA_TARGET_NETNSID not modelled"),
        )),
        Some(_) => Err(einval(&format!(
            "{pre}Unsupported attribute in dump request"
        ))),
    }
}

/// The devices an address dump walks and its message flags: with strict checking, the
/// ifindex of the request's header names one (NLM_F_DUMP_FILTERED; ENODEV when unknown).
fn dump_devices(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    v6: bool,
) -> Result<(Vec<DevId>, u16), ReqError> {
    if sock.strict_chk {
        let ifindex = dump_filter(msg, v6)?;
        if ifindex != 0 {
            let id = k
                .dev_by_index(sock.netns, ifindex)
                .ok_or((errno::ENODEV, ExtAck::default()))?;
            return Ok((vec![id], NLM_F_MULTI | NLM_F_DUMP_FILTERED));
        }
    }
    Ok((k.devices_in(sock.netns), NLM_F_MULTI))
}

/// One family's dumpit (`inet_dump_ifaddr` / `inet6_dump_addr`) appended to `out`.
fn dump_family(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    v6: bool,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), ReqError> {
    let (ids, flags) = dump_devices(k, sock, msg, v6)?;
    for id in ids {
        let views = if v6 {
            k.inet6_dump_dev(id)
        } else {
            k.inet_dump_dev(id)
        };
        for v in views {
            out.push(encode::encode(
                &v,
                LinkMsg::New,
                flags,
                msg.header.seq,
                sock.portid,
            ));
        }
    }
    Ok(())
}

/// RTM_GETADDR dump of AF_INET.
pub fn dump_v4(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Result<Vec<Vec<u8>>, ReqError> {
    let mut out = Vec::new();
    dump_family(k, sock, msg, false, &mut out)?;
    Ok(out)
}

/// RTM_GETADDR dump of AF_INET6.
pub fn dump_v6(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Result<Vec<Vec<u8>>, ReqError> {
    let mut out = Vec::new();
    dump_family(k, sock, msg, true, &mut out)?;
    Ok(out)
}

/// `rtnl_dump_all` for RTM_GETADDR: every family with an address dumpit, AF_INET first.
pub fn dump_all(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, ReqError> {
    let mut out = Vec::new();
    dump_family(k, sock, msg, false, &mut out)?;
    dump_family(k, sock, msg, true, &mut out)?;
    Ok(out)
}

/// An [`AddrView`] notification's bytes (`rtmsg_ifa`, `inet6_ifa_notify`) and its group.
pub fn encode_notification(v: &AddrView, msg: LinkMsg, seq: u32, portid: u32) -> (Vec<u8>, u32) {
    let group = if v.family_v6 {
        RTNLGRP_IPV6_IFADDR
    } else {
        RTNLGRP_IPV4_IFADDR
    };
    (encode::encode(v, msg, 0, seq, portid), group)
}
