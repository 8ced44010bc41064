//! RTM_GETNETCONF for AF_INET and AF_INET6 (net/ipv4/devinet.c `inet_netconf_get_devconf`,
//! `inet_netconf_dump_devconf`; net/ipv6/addrconf.c `inet6_netconf_get_devconf`,
//! `inet6_netconf_dump_devconf`; the PF_UNSPEC dump is rtnetlink's `rtnl_dump_all`) and the
//! RTM_NEWNETCONF / RTM_DELNETCONF notifications. The values come from the model
//! (`kernel_model::inet::netconf`); this module writes `struct netconfmsg` and the
//! attributes in `inet_netconf_fill_devconf`'s order.

use super::reply::{ack, refuse, reply_and_ack, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::attrs::Attrs;
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use crate::wire::raw::{put_attr, NlHeader, RawMessage};
use kernel_model::inet::netconf::{
    NetconfView, NETCONFA_ALL, NETCONFA_BC_FORWARDING, NETCONFA_FORWARDING, NETCONFA_IFINDEX,
    NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, NETCONFA_MC_FORWARDING, NETCONFA_PROXY_NEIGH,
    NETCONFA_RP_FILTER,
};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, LinkMsg};

pub const RTM_NEWNETCONF: u16 = 80;
pub const RTM_DELNETCONF: u16 = 81;
pub const RTM_GETNETCONF: u16 = 82;
/// `RTNLGRP_IPV4_NETCONF`, `RTNLGRP_IPV6_NETCONF`.
pub const RTNLGRP_IPV4_NETCONF: u32 = 24;
pub const RTNLGRP_IPV6_NETCONF: u32 = 25;

const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
/// `sizeof(struct netconfmsg)`.
const NETCONFMSG_LEN: usize = 1;
const NETCONFA_MAX: usize = 8;

/// `{ .len = sizeof(int) }`: an untyped entry with a minimum length.
const INT: AttrPolicy = AttrPolicy::with_len(NlaType::Unspec, 4);

const fn devconf_ipv4_table() -> [AttrPolicy; NETCONFA_MAX + 1] {
    let mut p = [AttrPolicy::UNSPEC; NETCONFA_MAX + 1];
    p[NETCONFA_IFINDEX as usize] = INT;
    p[NETCONFA_FORWARDING as usize] = INT;
    p[NETCONFA_RP_FILTER as usize] = INT;
    p[NETCONFA_PROXY_NEIGH as usize] = INT;
    p[NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN as usize] = INT;
    p
}

const fn devconf_ipv6_table() -> [AttrPolicy; NETCONFA_MAX + 1] {
    let mut p = [AttrPolicy::UNSPEC; NETCONFA_MAX + 1];
    p[NETCONFA_IFINDEX as usize] = INT;
    p[NETCONFA_FORWARDING as usize] = INT;
    p[NETCONFA_PROXY_NEIGH as usize] = INT;
    p[NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN as usize] = INT;
    p
}

static DEVCONF_IPV4_TABLE: [AttrPolicy; NETCONFA_MAX + 1] = devconf_ipv4_table();
static DEVCONF_IPV6_TABLE: [AttrPolicy; NETCONFA_MAX + 1] = devconf_ipv6_table();

/// `devconf_ipv4_policy`.
pub static DEVCONF_IPV4_POLICY: Policy = Policy {
    name: "devconf_ipv4_policy",
    strict_start_type: 0,
    attrs: &DEVCONF_IPV4_TABLE,
};

/// `devconf_ipv6_policy`.
pub static DEVCONF_IPV6_POLICY: Policy = Policy {
    name: "devconf_ipv6_policy",
    strict_start_type: 0,
    attrs: &DEVCONF_IPV6_TABLE,
};

/// The extack prefix of each side: devinet.c writes "ipv4: " itself, addrconf.c gets
/// "ipv6: " from NL_SET_ERR_MSG_MOD (KBUILD_MODNAME).
fn prefix(v6: bool) -> &'static str {
    if v6 {
        "ipv6: "
    } else {
        "ipv4: "
    }
}

/// `inet_netconf_valid_get_req` / `inet6_netconf_valid_get_req`.
fn valid_get_req<'a>(
    msg: &RawMessage<'a>,
    sock: &SockCtx,
    v6: bool,
) -> Result<Attrs<'a>, (i32, ExtAck)> {
    let policy = if v6 {
        &DEVCONF_IPV6_POLICY
    } else {
        &DEVCONF_IPV4_POLICY
    };
    let mode = if sock.strict_chk {
        ValidateMode::DeprecatedStrict
    } else {
        ValidateMode::Liberal
    };
    let (tb, _) =
        nlattr::parse(msg.bytes, NETCONFMSG_LEN, policy, mode).map_err(|e| (e.errno, e.extack))?;
    if sock.strict_chk && tb.by_type().any(|a| a.kind != NETCONFA_IFINDEX) {
        return Err((
            errno::EINVAL,
            ExtAck {
                msg: Some(format!(
                    "{}Unsupported attribute in netconf get request",
                    prefix(v6)
                )),
                ..ExtAck::default()
            },
        ));
    }
    Ok(tb)
}

/// `inet_netconf_get_devconf` / `inet6_netconf_get_devconf`: one RTM_NEWNETCONF with every
/// attribute for NETCONFA_IFINDEX (a device, -1 all, -2 default).
pub fn handle_get(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let v6 = msg.payload().first() == Some(&AF_INET6);
    let tb = match valid_get_req(msg, sock, v6) {
        Ok(tb) => tb,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    let Some(ifindex) = tb.s32(NETCONFA_IFINDEX) else {
        return refuse(msg, sock, errno::EINVAL, None);
    };
    let Some(conf) = k.netconf_conf(sock.netns, v6, ifindex) else {
        // IPv4: ENODEV for a missing device or in_device; IPv6: EINVAL for both.
        let e = if v6 { errno::EINVAL } else { errno::ENODEV };
        return refuse(msg, sock, e, None);
    };
    let view = NetconfView {
        v6,
        ifindex,
        ty: NETCONFA_ALL,
        conf: Some(conf),
    };
    let out = encode(&view, RTM_NEWNETCONF, 0, msg.header.seq, sock.portid);
    reply_and_ack(msg, sock, vec![out])
}

/// The dumps' strict header checks (`cb->strict_check`).
fn valid_dump_req(msg: &RawMessage<'_>, v6: bool) -> Result<(), (i32, ExtAck)> {
    // The header (one byte) is always there: rtnetlink_rcv_msg answers shorter messages
    // itself. Anything after NLMSG_ALIGN(sizeof(struct netconfmsg)) is refused.
    if msg.payload().len() > 4 {
        return Err((
            errno::EINVAL,
            ExtAck {
                msg: Some(format!(
                    "{}Invalid data after header in netconf dump request",
                    prefix(v6)
                )),
                ..ExtAck::default()
            },
        ));
    }
    Ok(())
}

/// `inet_netconf_dump_devconf` / `inet6_netconf_dump_devconf` for the request's family, or
/// both (AF_INET then AF_INET6, `rtnl_dump_all`'s family order) for PF_UNSPEC.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let family = msg.payload().first().copied().unwrap_or(0);
    let sides: &[bool] = match family {
        AF_INET => &[false],
        AF_INET6 => &[true],
        _ => &[false, true],
    };
    let mut out = Vec::new();
    for &v6 in sides {
        if sock.strict_chk {
            valid_dump_req(msg, v6)?;
        }
        out.extend(
            k.netconf_dump(sock.netns, v6)
                .iter()
                .map(|v| encode(v, RTM_NEWNETCONF, NLM_F_MULTI, msg.header.seq, sock.portid)),
        );
    }
    Ok(out)
}

/// GETNETCONF without NLM_F_DUMP for a family with no doit (rtnetlink_init registers only
/// `rtnl_dump_all` for PF_UNSPEC).
pub fn handle_get_unspec(_k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    refuse(msg, sock, errno::EOPNOTSUPP, None)
}

/// `inet_netconf_fill_devconf` / `inet6_netconf_fill_devconf`.
pub fn encode(v: &NetconfView, kind: u16, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut attrs = Vec::new();
    put_attr(&mut attrs, NETCONFA_IFINDEX, &v.ifindex.to_ne_bytes());
    if let Some(c) = v.conf {
        let want = |t: u16| v.ty == NETCONFA_ALL || v.ty == i32::from(t);
        let fields: &[(u16, i32)] = if v.v6 {
            &[
                (NETCONFA_FORWARDING, c.forwarding),
                (NETCONFA_MC_FORWARDING, c.mc_forwarding),
                (NETCONFA_PROXY_NEIGH, c.proxy_neigh),
                (
                    NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
                    c.ignore_routes_with_linkdown,
                ),
            ]
        } else {
            &[
                (NETCONFA_FORWARDING, c.forwarding),
                (NETCONFA_RP_FILTER, c.rp_filter),
                (NETCONFA_MC_FORWARDING, c.mc_forwarding),
                (NETCONFA_BC_FORWARDING, c.bc_forwarding),
                (NETCONFA_PROXY_NEIGH, c.proxy_neigh),
                (
                    NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
                    c.ignore_routes_with_linkdown,
                ),
            ]
        };
        for &(t, val) in fields {
            if want(t) {
                put_attr(&mut attrs, t, &val.to_ne_bytes());
            }
        }
    }
    // NLMSG_ALIGN(sizeof(struct netconfmsg)): the family and three bytes of padding.
    let len = NlHeader::LEN + 4 + attrs.len();
    let mut out = Vec::with_capacity(len);
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
    out.extend_from_slice(&[if v.v6 { AF_INET6 } else { AF_INET }, 0, 0, 0]);
    out.extend_from_slice(&attrs);
    out
}

/// A notification: RTM_NEWNETCONF / RTM_DELNETCONF, port id 0, seq 0, and its group.
pub fn encode_notification(v: &NetconfView, cmd: LinkMsg) -> (Vec<u8>, u32) {
    let kind = match cmd {
        LinkMsg::New => RTM_NEWNETCONF,
        LinkMsg::Del => RTM_DELNETCONF,
    };
    let group = if v.v6 {
        RTNLGRP_IPV6_NETCONF
    } else {
        RTNLGRP_IPV4_NETCONF
    };
    (encode(v, kind, 0, 0, 0), group)
}
