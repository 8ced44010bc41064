//! AF_INET6 link messages (net/ipv6/addrconf.c): the RTM_GETLINK dump of family AF_INET6
//! (`inet6_dump_ifinfo`) and the message it and `inet6_ifinfo_notify` send
//! (`inet6_fill_ifinfo`): an ifinfomsg of family AF_INET6, IFLA_IFNAME, IFLA_ADDRESS,
//! IFLA_MTU, IFLA_LINK, IFLA_OPERSTATE and IFLA_PROTINFO holding the same IFLA_INET6_*
//! attributes as the AF_INET6 nest of IFLA_AF_SPEC (`inet6_fill_ifla6_attrs`, statistics
//! always included).
//!
//! A request of family AF_INET6 without NLM_F_DUMP has no PF_INET6 doit and reaches
//! `rtnl_getlink` (rtnetlink_rcv_msg's PF_UNSPEC fallback), which answers AF_UNSPEC.

use super::af_spec::inet6_attrs;
use super::reply::SockCtx;
use crate::wire::ack::ExtAck;
use crate::wire::raw::{put_attr, RawMessage};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, LinkView};
use netlink_packet_core::Emitable;

/// RTM_NEWLINK.
const RTM_NEWLINK: u16 = 16;
/// AF_INET6.
const AF_INET6: u8 = 10;
/// `sizeof(struct ifinfomsg)`.
const IFINFOMSG_LEN: usize = 16;
/// IFLA_* types `inet6_fill_ifinfo` puts (include/uapi/linux/if_link.h).
const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINK: u16 = 5;
const IFLA_PROTINFO: u16 = 12;
const IFLA_OPERSTATE: u16 = 16;

/// `inet6_dump_ifinfo`: one RTM_NEWLINK (NLM_F_MULTI) per device of the socket's namespace
/// that has an inet6_dev, in ifindex order; the header checks only with strict checking.
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    if sock.strict_chk {
        valid_dump_ifinfo(msg.payload())?;
    }
    Ok(k.devices_from(sock.netns, 0)
        .map(|d| d.id)
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|id| {
            let view = k.fill(id);
            encode(
                &view,
                k.inet6_cacheinfo(id),
                crate::wire::consts::NLM_F_MULTI,
                msg.header.seq,
                sock.portid,
            )
        })
        .collect())
}

/// `inet6_valid_dump_ifinfo`.
fn valid_dump_ifinfo(payload: &[u8]) -> Result<(), (i32, ExtAck)> {
    let einval = |m: &str| {
        Err((
            errno::EINVAL,
            ExtAck {
                msg: Some(format!("ipv6: {m}")),
                ..ExtAck::default()
            },
        ))
    };
    let Some(ifm) = payload.get(..IFINFOMSG_LEN) else {
        return einval("Invalid header for link dump request");
    };
    if payload.len() > IFINFOMSG_LEN {
        return einval("Invalid data after header");
    }
    // __ifi_pad, ifi_type, ifi_index, ifi_flags, ifi_change: everything but the family.
    if ifm[1..].iter().any(|&b| b != 0) {
        return einval("Invalid values in header for dump request");
    }
    Ok(())
}

/// `inet6_fill_ifinfo` for `event` RTM_NEWLINK; None without an inet6_dev (`__in6_dev_get`).
/// `cacheinfo` is the model's IFLA_INET6_CACHEINFO (`Kernel::inet6_cacheinfo`).
pub fn encode(
    view: &LinkView,
    cacheinfo: [u32; 4],
    flags: u16,
    seq: u32,
    portid: u32,
) -> Option<Vec<u8>> {
    let mut idev = view.inet6_devconf()?;
    idev.cacheinfo = cacheinfo;
    let mut attrs = Vec::with_capacity(1024);
    let mut name = view.name.as_bytes().to_vec();
    name.push(0);
    put_attr(&mut attrs, IFLA_IFNAME, &name);
    if let Some(a) = view.addr {
        put_attr(&mut attrs, IFLA_ADDRESS, a.as_bytes());
    }
    put_attr(&mut attrs, IFLA_MTU, &view.mtu.to_ne_bytes());
    if let Some(l) = view.link {
        put_attr(&mut attrs, IFLA_LINK, &l.to_ne_bytes());
    }
    // netif_running(dev) ? operstate : IF_OPER_DOWN, as the view already reports it.
    put_attr(&mut attrs, IFLA_OPERSTATE, &[view.operstate]);
    // nla_nest_start_noflag: no NLA_F_NESTED.
    let inner = inet6_attrs(&idev, false);
    let mut nest = vec![0u8; inner.as_slice().buffer_len()];
    inner.as_slice().emit(&mut nest);
    put_attr(&mut attrs, IFLA_PROTINFO, &nest);

    let len = 16 + IFINFOMSG_LEN + attrs.len();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&(len as u32).to_ne_bytes());
    out.extend_from_slice(&RTM_NEWLINK.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&seq.to_ne_bytes());
    out.extend_from_slice(&portid.to_ne_bytes());
    // struct ifinfomsg: family, pad, type, index, dev_get_flags(dev), change 0.
    out.extend_from_slice(&[AF_INET6, 0]);
    out.extend_from_slice(&view.dev_type.to_ne_bytes());
    out.extend_from_slice(&view.ifindex.to_ne_bytes());
    out.extend_from_slice(&view.flags.to_ne_bytes());
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(&attrs);
    Some(out)
}
