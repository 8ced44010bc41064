//! What a handler answers: the requesting socket's context, the outcome of one request, and
//! the NLMSG_ERROR helpers (`netlink_ack`, with the extack `NL_SET_ERR_MSG*` filled).

use super::msgtype::IFINFOMSG_LEN;
use crate::wire::ack::{encode_ack, ExtAck};
use crate::wire::consts::NLM_F_ACK;
use crate::wire::raw::{find_attr_offset, RawMessage};
use kernel_model::KernelError;

pub use super::ctx::SockCtx;
use super::dump::Dump;

/// What handling one request produced.
pub enum Outcome {
    /// Datagrams to queue (replies, ACKs).
    Reply(Vec<Vec<u8>>),
    /// A dump starts (its first chunk is produced by the caller).
    Dump(Dump),
    /// Nothing at all (no ACK asked for).
    Nothing,
}

/// `netlink_ack` with `err` (0 or a negative errno) and `extack`.
pub fn ack(msg: &RawMessage<'_>, sock: &SockCtx, err: i32, extack: &ExtAck) -> Outcome {
    Outcome::Reply(vec![encode_ack(msg, sock.portid, err, extack, sock.ack)])
}

/// A reply, followed by the ACK when the request asked for one (`netlink_rcv_skb` acks
/// after the handler's unicast).
pub fn reply_and_ack(msg: &RawMessage<'_>, sock: &SockCtx, mut out: Vec<Vec<u8>>) -> Outcome {
    if msg.header.flags & NLM_F_ACK != 0 {
        out.push(encode_ack(
            msg,
            sock.portid,
            0,
            &ExtAck::default(),
            sock.ack,
        ));
    }
    Outcome::Reply(out)
}

/// Success: an ACK only when NLM_F_ACK asked for one (`netlink_rcv_skb`).
pub fn ack_if_asked(msg: &RawMessage<'_>, sock: &SockCtx, extack: &ExtAck) -> Outcome {
    if msg.header.flags & NLM_F_ACK != 0 {
        ack(msg, sock, 0, extack)
    } else {
        Outcome::Nothing
    }
}

/// A model error as the kernel's NLMSG_ERROR: errno, message and the attribute's offset.
pub fn kernel_error(msg: &RawMessage<'_>, sock: &SockCtx, e: &KernelError) -> Outcome {
    ack(msg, sock, -e.errno, &kernel_extack(msg, e))
}

/// The extack of a model error: its message, and the offset of the attribute it names
/// (`NL_SET_ERR_MSG_ATTR`) in a message with an ifinfomsg header.
pub fn kernel_extack(msg: &RawMessage<'_>, e: &KernelError) -> ExtAck {
    let mut ext = ExtAck {
        msg: e.msg.as_ref().map(|m| m.to_string()),
        ..ExtAck::default()
    };
    if let Some(path) = &e.attr {
        ext.bad_attr_offset = find_attr_offset(msg.bytes, IFINFOMSG_LEN, &path.0).map(|o| o as u32);
    }
    ext
}

/// An error with an optional extack message and no attribute.
pub fn refuse(msg: &RawMessage<'_>, sock: &SockCtx, errno: i32, text: Option<String>) -> Outcome {
    let ext = ExtAck {
        msg: text,
        ..ExtAck::default()
    };
    ack(msg, sock, -errno, &ext)
}

/// The extack of an error after a liberal parse that warned: the kernel's extack keeps the
/// warning ("bytes leftover after parsing attributes", set by __nla_validate_parse) unless
/// the error sets a message of its own (measured: golden/kernel/6.12/malformed.txt CMD[29]).
pub fn keep_warning(mut ext: ExtAck, warning: Option<&str>) -> ExtAck {
    if ext.msg.is_none() {
        ext.msg = warning.map(str::to_string);
    }
    ext
}
