//! RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE for AF_INET (net/ipv4/fib_frontend.c:
//! `inet_rtm_newroute`, `inet_rtm_delroute`, `inet_dump_fib`) and AF_INET6 (net/ipv6/route.c:
//! `inet6_rtm_newroute`, `inet6_rtm_delroute`, `inet6_dump_fib`), `rtnl_dump_all` for the
//! other families, and the RTM_*ROUTE notifications. `decode` turns requests into the model's
//! configs, `encode` routes into bytes, `policy` holds the attribute policies; the rules are
//! the model's (`kernel_model::inet`).

pub mod decode;
pub mod encode;
mod error;
pub mod get;
pub mod policy;

use super::reply::{ack, keep_warning, Outcome, SockCtx};
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::extack::ExtAck;
use crate::wire::raw::RawMessage;
use decode::RTMSG_LEN;
use error::route_error;
use kernel_model::inet::fib::frontend::FibDumpFilter;
use kernel_model::inet::fib::view::{RouteView, AF_INET, AF_INET6};
use kernel_model::{Kernel, KernelError, LinkMsg};

pub use encode::{RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};

/// `RTNLGRP_IPV4_ROUTE`.
pub const RTNLGRP_IPV4_ROUTE: u32 = 7;
/// `RTNLGRP_IPV6_ROUTE`.
pub const RTNLGRP_IPV6_ROUTE: u32 = 11;

/// RTNL_FAMILY_IPMR / RTNL_FAMILY_IP6MR: the multicast routing dumpits (no multicast routes
/// are modelled, so their dumps are empty).
const RTNL_FAMILY_IPMR: u8 = 128;
const RTNL_FAMILY_IP6MR: u8 = 129;

/// The group a route notification goes to.
pub fn group_of(v: &RouteView) -> u32 {
    if v.family == AF_INET {
        RTNLGRP_IPV4_ROUTE
    } else {
        RTNLGRP_IPV6_ROUTE
    }
}

/// A notification's bytes (`rtmsg_fib` / `inet6_rt_notify`).
pub fn encode_notification(
    v: &RouteView,
    msg: LinkMsg,
    flags: u16,
    seq: u32,
    portid: u32,
) -> Vec<u8> {
    encode::encode(v, msg, flags, seq, portid)
}

fn done(
    msg: &RawMessage<'_>,
    sock: &SockCtx,
    r: Result<(), KernelError>,
    warning: Option<String>,
) -> Outcome {
    match r {
        Ok(()) => {
            let ext = keep_warning(ExtAck::default(), warning.as_deref());
            super::reply::ack_if_asked(msg, sock, &ext)
        }
        Err(e) => route_error(msg, sock, &e),
    }
}

/// `inet_rtm_newroute`.
pub fn handle_newroute4(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    match decode::rtm_to_fib_config(msg) {
        Ok((cfg, w)) => {
            let r = k.inet_rtm_newroute(sock.netns, &cfg);
            done(msg, sock, r, w)
        }
        Err((e, ext)) => ack(msg, sock, -e, &ext),
    }
}

/// `inet_rtm_delroute`.
pub fn handle_delroute4(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    match decode::rtm_to_fib_config(msg) {
        Ok((cfg, w)) => {
            let r = k.inet_rtm_delroute(sock.netns, &cfg);
            done(msg, sock, r, w)
        }
        Err((e, ext)) => ack(msg, sock, -e, &ext),
    }
}

/// `inet6_rtm_newroute`.
pub fn handle_newroute6(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    match decode::rtm_to_fib6_config(msg) {
        Ok((cfg, w)) => {
            let r = k.inet6_rtm_newroute(sock.netns, &cfg);
            done(msg, sock, r, w)
        }
        Err((e, ext)) => ack(msg, sock, -e, &ext),
    }
}

/// `inet6_rtm_delroute`.
pub fn handle_delroute6(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    match decode::rtm_to_fib6_config(msg) {
        Ok((cfg, w)) => {
            let r = k.inet6_rtm_delroute(sock.netns, &cfg);
            done(msg, sock, r, w)
        }
        Err((e, ext)) => ack(msg, sock, -e, &ext),
    }
}

/// `inet_rtm_getroute` / `inet6_rtm_getroute` (get.rs).
pub fn handle_getroute(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    if msg.payload().first() == Some(&AF_INET) {
        return get::handle_getroute4(k, sock, msg);
    }
    get::handle_getroute6(k, sock, msg)
}

/// The filter of one family's dumpit: `ip_valid_fib_dump_req` with strict checking, else
/// only the header's RTM_F_PREFIX / RTM_F_CLONED.
fn dump_filter(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<FibDumpFilter, (i32, ExtAck)> {
    if sock.strict_chk {
        return decode::ip_valid_fib_dump_req(msg, |ifindex| k.dev_by_index(sock.netns, ifindex));
    }
    let mut f = FibDumpFilter::all();
    if msg.payload().len() >= RTMSG_LEN {
        let rtm = decode::RtMsg::parse(msg);
        f.prefix = rtm.flags & kernel_model::inet::fib::uapi::rtnh_f::RTM_PREFIX != 0;
    }
    Ok(f)
}

fn messages(rows: Vec<(RouteView, u16)>, seq: u32, portid: u32) -> impl Iterator<Item = Vec<u8>> {
    rows.into_iter()
        .map(move |(v, f)| encode::encode(&v, LinkMsg::New, NLM_F_MULTI | f, seq, portid))
}

/// RTM_GETROUTE dumps: `inet_dump_fib`, `inet6_dump_fib`, or `rtnl_dump_all` (IPv4 then
/// IPv6) for the other families.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let family = msg.payload().first().copied().unwrap_or(0);
    let (seq, portid) = (msg.header.seq, sock.portid);
    let kerr = |e: KernelError| {
        (
            e.errno,
            ExtAck {
                msg: e.msg.map(|m| m.to_string()),
                ..ExtAck::default()
            },
        )
    };
    let mut out = Vec::new();
    let (v4, v6) = match family {
        AF_INET => (true, false),
        AF_INET6 => (false, true),
        RTNL_FAMILY_IPMR | RTNL_FAMILY_IP6MR => (false, false),
        _ => (true, true),
    };
    if v4 {
        let f = dump_filter(k, sock, msg)?;
        let rows = k
            .inet_dump_fib(sock.netns, &f, family == AF_INET)
            .map_err(kerr)?;
        out.extend(messages(rows, seq, portid));
    }
    if v6 {
        let f = dump_filter(k, sock, msg)?;
        let rows = k
            .inet6_dump_fib(sock.netns, &f, family == AF_INET6)
            .map_err(kerr)?;
        out.extend(messages(rows, seq, portid));
    }
    Ok(out)
}
