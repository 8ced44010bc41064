//! NLMSG_ERROR (ACK) and NLMSG_DONE replies, byte-exact with
//! net/netlink/af_netlink.c: netlink_ack(), netlink_ack_tlv_len(),
//! netlink_ack_tlv_fill() and netlink_dump_done().
//!
//! The frame (nlmsghdr, error/done code) is emitted with netlink-packet-core's
//! `NetlinkMessage` + `ErrorMessage`/`DoneMessage`, which write their trailing
//! byte vector verbatim. The crate has no notion of the echoed request or of
//! extack TLVs (its extack PR was closed unmerged), so those bytes are built
//! here and handed over as that vector.

use std::num::NonZeroI32;

use netlink_packet_core::{
    DoneMessage, Emitable, ErrorMessage, NetlinkHeader, NetlinkMessage, NetlinkPayload,
};
use netlink_packet_route::RouteNetlinkMessage;

use super::consts::*;
pub use super::extack::{ExtAck, PolicyRef};
use super::policy::write_policy_attr;
use super::raw::{put_attr, RawMessage};

/// The two socket options that change the shape of an ACK.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockAckFlags {
    /// NETLINK_EXT_ACK: append TLVs.
    pub ext_ack: bool,
    /// NETLINK_CAP_ACK: do not echo the request payload in errors.
    pub cap_ack: bool,
}

/// netlink_ack_tlv_fill(). `request_len` is the request's nlmsg_len when
/// known; offsets are then dropped unless they point into the request
/// payload (nlmsg_check_in_payload()).
fn fill_tlvs(out: &mut Vec<u8>, extack: &ExtAck, err: i32, request_len: Option<u32>) {
    let in_payload = |off: u32| match request_len {
        Some(len) => off as usize >= NLMSG_HDRLEN && off < len,
        None => true,
    };
    if let Some(m) = &extack.msg {
        // nla_put_string(): the C string and its NUL.
        let mut s = m.as_bytes().to_vec();
        s.push(0);
        put_attr(out, NLMSGERR_ATTR_MSG, &s);
    }
    if let Some(c) = extack.cookie_bytes() {
        put_attr(out, NLMSGERR_ATTR_COOKIE, c);
    }
    if err == 0 {
        return;
    }
    if let Some(off) = extack.bad_attr_offset.filter(|&o| in_payload(o)) {
        put_attr(out, NLMSGERR_ATTR_OFFS, &off.to_ne_bytes());
    }
    if let Some(p) = extack.policy {
        write_policy_attr(out, NLMSGERR_ATTR_POLICY, p);
    }
    if let Some(t) = extack.miss_type_value() {
        put_attr(out, NLMSGERR_ATTR_MISS_TYPE, &t.to_ne_bytes());
    }
    if let Some(off) = extack.miss_nest_offset.filter(|&o| in_payload(o)) {
        put_attr(out, NLMSGERR_ATTR_MISS_NEST, &off.to_ne_bytes());
    }
}

fn emit(
    flags: u16,
    seq: u32,
    portid: u32,
    payload: NetlinkPayload<RouteNetlinkMessage>,
) -> Vec<u8> {
    let mut header = NetlinkHeader::default();
    header.flags = flags;
    header.sequence_number = seq;
    header.port_number = portid;
    let mut msg = NetlinkMessage::new(header, payload);
    // finalize() fills nlmsg_len and nlmsg_type; emit() slices by nlmsg_len.
    msg.finalize();
    let mut buf = vec![0u8; msg.buffer_len()];
    msg.emit(&mut buf);
    buf
}

/// The NLMSG_ERROR netlink_ack() builds for `request`.
///
/// `err` is 0 or a negative errno. `portid` is the requesting socket's port
/// id (NETLINK_CB(in_skb).portid): the reply's nlmsg_pid is the sender's
/// port, not the request's nlmsg_pid field. The reply is:
/// - header flags NLM_F_CAPPED when `err == 0` or the socket set
///   NETLINK_CAP_ACK, then only the request's 16-byte header is echoed;
///   otherwise the whole request (its payload padded to 4 bytes) follows;
/// - NLM_F_ACK_TLVS plus TLVs when the socket set NETLINK_EXT_ACK and the
///   extack has something to say: MSG and COOKIE always, OFFS, POLICY,
///   MISS_TYPE and MISS_NEST only with an error.
pub fn encode_ack(
    request: &RawMessage<'_>,
    portid: u32,
    err: i32,
    extack: &ExtAck,
    sock: SockAckFlags,
) -> Vec<u8> {
    let mut flags = 0u16;
    let mut body = request.header.to_bytes().to_vec();
    if err != 0 && !sock.cap_ack {
        // nlmsg_append() pads the copied payload to NLMSG_ALIGN.
        let payload = request.payload();
        body.extend_from_slice(payload);
        body.resize(NLMSG_HDRLEN + nlmsg_align(payload.len()), 0);
    } else {
        flags |= NLM_F_CAPPED;
    }
    if sock.ext_ack && extack.has_tlvs(err) {
        flags |= NLM_F_ACK_TLVS;
        fill_tlvs(&mut body, extack, err, Some(request.header.len));
    }
    let mut e = ErrorMessage::default();
    e.code = NonZeroI32::new(err);
    e.header = body;
    emit(flags, request.header.seq, portid, NetlinkPayload::Error(e))
}

/// The NLMSG_DONE netlink_dump_done() ends a dump with.
///
/// `seq` is the dump request's nlmsg_seq, `portid` the requester's port,
/// `flags` NLM_F_MULTI plus whatever the dump adds (NLM_F_DUMP_INTR from
/// nl_dump_check_consistent()). The 4-byte body is `err` (0 or -errno);
/// with NETLINK_EXT_ACK and something in `extack`, NLM_F_ACK_TLVS is set and
/// the TLVs follow. Offsets in `extack` are relative to the dump request
/// (cb->nlh) and are not range-checked here, since the request is gone.
pub fn encode_done(
    seq: u32,
    portid: u32,
    flags: u16,
    err: i32,
    extack: &ExtAck,
    sock: SockAckFlags,
) -> Vec<u8> {
    let mut flags = flags;
    let mut tlvs = Vec::new();
    if sock.ext_ack && extack.has_tlvs(err) {
        flags |= NLM_F_ACK_TLVS;
        fill_tlvs(&mut tlvs, extack, err, None);
    }
    let mut d = DoneMessage::default();
    d.code = err;
    d.extended_ack = tlvs;
    emit(flags, seq, portid, NetlinkPayload::Done(d))
}

#[cfg(test)]
mod tests;
