//! RTM_NEWLINKPROP / RTM_DELLINKPROP (`rtnl_newlinkprop` / `rtnl_dellinkprop` →
//! `rtnl_linkprop`): the bytes side. The rules (lookup, name namespace, list limit,
//! notification) are `kernel_model::altname`.

use super::msgtype::IFINFOMSG_LEN;
use super::reply::{ack, ack_if_asked, kernel_error, refuse, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::tables;
use crate::wire::raw::{NlaIter, RawMessage, RawNla};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, KernelError, LinkPropCmd, LinkPropRequest};

pub const RTM_NEWLINKPROP: u16 = 108;
pub const RTM_DELLINKPROP: u16 = 109;

/// `nla_strscpy` / `nla_strdup`: the string up to its first NUL. The kernel takes any bytes;
/// the model's names are UTF-8, so other bytes are refused loudly rather than changed.
fn nla_string(a: &RawNla<'_>) -> Result<String, KernelError> {
    let end = a
        .value
        .iter()
        .position(|b| *b == 0)
        .unwrap_or(a.value.len());
    String::from_utf8(a.value[..end].to_vec())
        .map_err(|_| KernelError::not_modelled("interface names that are not UTF-8"))
}

/// `rtnl_linkprop`'s parse (`nlmsg_parse`: strict `ifla_policy`), then the model.
pub fn handle(k: &mut Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let cmd = if msg.header.kind == RTM_NEWLINKPROP {
        LinkPropCmd::New
    } else {
        LinkPropCmd::Del
    };
    let payload = msg.payload();
    // nlmsg_parse: no room for the ifinfomsg.
    if payload.len() < IFINFOMSG_LEN {
        return refuse(msg, sock, errno::EINVAL, None);
    }
    let tb = match nlattr::parse(
        msg.bytes,
        IFINFOMSG_LEN,
        &tables::IFLA_POLICY,
        ValidateMode::Strict,
    ) {
        Ok((tb, _)) => tb,
        Err(e) => return ack(msg, sock, -e.errno, &e.extack),
    };
    let ifindex = i32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]);
    let mut req = LinkPropRequest {
        ifindex,
        ..LinkPropRequest::default()
    };
    let name = |t: u16| tb.get(t).map(|a| nla_string(&a)).transpose();
    match (name(tables::IFLA_IFNAME), name(tables::IFLA_ALT_IFNAME)) {
        (Ok(ifname), Ok(alt_ifname)) => {
            req.ifname = ifname;
            req.alt_ifname = alt_ifname;
        }
        (Err(e), _) | (_, Err(e)) => return kernel_error(msg, sock, &e),
    }
    req.net_ns_attr = tb.has(tables::IFLA_NET_NS_PID) || tb.has(tables::IFLA_NET_NS_FD);
    let prop_list = tb.get(tables::IFLA_PROP_LIST);
    // rtnl_alt_ifname's nla_validate(attr, attr->nla_len, IFLA_MAX, ifla_policy) fails for an
    // over-long name: the model reaches that entry in order, after applying the ones before.
    let mut policy_failure: Option<(KernelError, ExtAck)> = None;
    req.prop_list = prop_list.map(|pl| {
        NlaIter::nested(msg.bytes, &pl)
            .filter(|a| a.kind == tables::IFLA_ALT_IFNAME)
            .map_while(|a| {
                if policy_failure.is_some() {
                    return None;
                }
                let end = a.offset + a.nla_len();
                match nlattr::parse_range(
                    msg.bytes,
                    a.offset,
                    end,
                    &tables::IFLA_POLICY,
                    ValidateMode::Liberal,
                ) {
                    Ok(_) => Some(nla_string(&a)),
                    Err(e) => {
                        // The model hands this error back unchanged; the reply then carries
                        // the policy extack (message, offset, policy) computed from the bytes.
                        let mut ke = KernelError::new(e.errno);
                        ke.msg = e.extack.msg.clone().map(Into::into);
                        policy_failure = Some((ke.clone(), e.extack));
                        Some(Err(ke))
                    }
                }
            })
            .collect()
    });
    match k.rtnl_linkprop(sock.netns, cmd, &req) {
        Ok(()) => ack_if_asked(msg, sock, &ExtAck::default()),
        Err(e) => match policy_failure {
            Some((pe, ext)) if pe == e => ack(msg, sock, -e.errno, &ext),
            _ => kernel_error(msg, sock, &e),
        },
    }
}
