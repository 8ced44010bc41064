//! RTM_NEWADDR / RTM_DELADDR messages from an [`AddrView`]: `inet_fill_ifaddr` and
//! `inet6_fill_ifaddr` attribute orders, written straight into the output buffer (one encoder
//! for dumps, gets and notifications).

use super::policy::*;
use crate::wire::writer::MsgWriter;
use kernel_model::inet::ifaddr::AddrView;
use kernel_model::LinkMsg;

pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// `put_cacheinfo`: `struct ifa_cacheinfo`.
fn put_cacheinfo(m: &mut MsgWriter<'_>, v: &AddrView) {
    let mut ci = [0u8; 16];
    for (dst, x) in ci.chunks_exact_mut(4).zip(v.cacheinfo) {
        dst.copy_from_slice(&x.to_ne_bytes());
    }
    m.put(IFA_CACHEINFO, &ci);
}

/// `inet6_fill_ifaddr`: IFA_LOCAL + IFA_ADDRESS (peer) or IFA_ADDRESS, IFA_RT_PRIORITY,
/// IFA_CACHEINFO, IFA_FLAGS, IFA_PROTO.
fn put_inet6(m: &mut MsgWriter<'_>, v: &AddrView) {
    m.put_ip_opt(IFA_LOCAL, v.local.as_ref());
    m.put_ip_opt(IFA_ADDRESS, v.address.as_ref());
    if v.rt_priority != 0 {
        m.put_u32(IFA_RT_PRIORITY, v.rt_priority);
    }
    put_cacheinfo(m, v);
    m.put_u32(IFA_FLAGS, v.flags);
    if v.proto != 0 {
        m.put_u8(IFA_PROTO, v.proto);
    }
}

/// `inet_fill_ifaddr`: IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_LABEL, IFA_PROTO,
/// IFA_FLAGS, IFA_RT_PRIORITY, IFA_CACHEINFO.
fn put_inet(m: &mut MsgWriter<'_>, v: &AddrView) {
    m.put_ip_opt(IFA_ADDRESS, v.address.as_ref());
    m.put_ip_opt(IFA_LOCAL, v.local.as_ref());
    if let Some(b) = &v.broadcast {
        m.put(IFA_BROADCAST, &b.octets());
    }
    if let Some(l) = &v.label {
        m.put_str(IFA_LABEL, l);
    }
    if v.proto != 0 {
        m.put_u8(IFA_PROTO, v.proto);
    }
    m.put_u32(IFA_FLAGS, v.flags);
    if v.rt_priority != 0 {
        m.put_u32(IFA_RT_PRIORITY, v.rt_priority);
    }
    put_cacheinfo(m, v);
}

/// Appends one address message to `out`; returns its length.
pub fn encode_into(
    out: &mut Vec<u8>,
    v: &AddrView,
    msg: LinkMsg,
    flags: u16,
    seq: u32,
    portid: u32,
) -> usize {
    let kind = if msg == LinkMsg::New {
        RTM_NEWADDR
    } else {
        RTM_DELADDR
    };
    let mut m = MsgWriter::begin(out, kind, flags, seq, portid);
    // struct ifaddrmsg; "ifm->ifa_flags is an __u8, it holds only 8 bits."
    let family = if v.family_v6 { AF_INET6 } else { AF_INET };
    m.bytes(&[family, v.prefixlen, v.flags as u8, v.scope]);
    m.bytes(&v.ifindex.to_ne_bytes());
    if v.family_v6 {
        put_inet6(&mut m, v);
    } else {
        put_inet(&mut m, v);
    }
    m.finish()
}

/// One address message with its netlink header.
pub fn encode(v: &AddrView, msg: LinkMsg, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    encode_into(&mut out, v, msg, flags, seq, portid);
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
