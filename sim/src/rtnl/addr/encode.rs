//! RTM_NEWADDR / RTM_DELADDR messages from an [`AddrView`]: `inet_fill_ifaddr` and
//! `inet6_fill_ifaddr` attribute orders.

use super::policy::*;
use crate::wire::raw::put_attr;
use kernel_model::inet::ifaddr::AddrView;
use kernel_model::LinkMsg;
use std::net::IpAddr;

pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

fn ip_bytes(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

fn cacheinfo(v: &AddrView) -> Vec<u8> {
    v.cacheinfo.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// One address message with its netlink header.
pub fn encode(v: &AddrView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let kind = match msg {
        LinkMsg::New => RTM_NEWADDR,
        LinkMsg::Del => RTM_DELADDR,
    };
    let mut out = vec![0u8; 16];
    out.push(if v.family_v6 { AF_INET6 } else { AF_INET });
    out.push(v.prefixlen);
    // "ifm->ifa_flags is an __u8, it holds only 8 bits."
    out.push(v.flags as u8);
    out.push(v.scope);
    out.extend_from_slice(&v.ifindex.to_ne_bytes());
    if v.family_v6 {
        // inet6_fill_ifaddr: IFA_LOCAL + IFA_ADDRESS (peer) or IFA_ADDRESS, IFA_RT_PRIORITY,
        // IFA_CACHEINFO, IFA_FLAGS, IFA_PROTO.
        if let Some(l) = &v.local {
            put_attr(&mut out, IFA_LOCAL, &ip_bytes(l));
        }
        if let Some(a) = &v.address {
            put_attr(&mut out, IFA_ADDRESS, &ip_bytes(a));
        }
        if v.rt_priority != 0 {
            put_attr(&mut out, IFA_RT_PRIORITY, &v.rt_priority.to_ne_bytes());
        }
        put_attr(&mut out, IFA_CACHEINFO, &cacheinfo(v));
        put_attr(&mut out, IFA_FLAGS, &v.flags.to_ne_bytes());
        if v.proto != 0 {
            put_attr(&mut out, IFA_PROTO, &[v.proto]);
        }
    } else {
        // inet_fill_ifaddr: IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_LABEL, IFA_PROTO,
        // IFA_FLAGS, IFA_RT_PRIORITY, IFA_CACHEINFO.
        if let Some(a) = &v.address {
            put_attr(&mut out, IFA_ADDRESS, &ip_bytes(a));
        }
        if let Some(l) = &v.local {
            put_attr(&mut out, IFA_LOCAL, &ip_bytes(l));
        }
        if let Some(b) = &v.broadcast {
            put_attr(&mut out, IFA_BROADCAST, &b.octets());
        }
        if let Some(l) = &v.label {
            let mut s = l.as_bytes().to_vec();
            s.push(0);
            put_attr(&mut out, IFA_LABEL, &s);
        }
        if v.proto != 0 {
            put_attr(&mut out, IFA_PROTO, &[v.proto]);
        }
        put_attr(&mut out, IFA_FLAGS, &v.flags.to_ne_bytes());
        if v.rt_priority != 0 {
            put_attr(&mut out, IFA_RT_PRIORITY, &v.rt_priority.to_ne_bytes());
        }
        put_attr(&mut out, IFA_CACHEINFO, &cacheinfo(v));
    }
    finish_header(&mut out, kind, flags, seq, portid);
    out
}

/// Fills the 16-byte netlink header `out` starts with (`nlmsg_put` + `nlmsg_end`).
pub fn finish_header(out: &mut [u8], kind: u16, flags: u16, seq: u32, portid: u32) {
    let len = out.len() as u32;
    out[0..4].copy_from_slice(&len.to_ne_bytes());
    out[4..6].copy_from_slice(&kind.to_ne_bytes());
    out[6..8].copy_from_slice(&flags.to_ne_bytes());
    out[8..12].copy_from_slice(&seq.to_ne_bytes());
    out[12..16].copy_from_slice(&portid.to_ne_bytes());
}
