//! A model error as a route request's NLMSG_ERROR (a leaf: the handlers of `mod.rs` and
//! `get.rs` both answer with it).

use super::decode::RTMSG_LEN;
use crate::rtnl::reply::{ack, Outcome, SockCtx};
use crate::wire::extack::ExtAck;
use crate::wire::raw::{find_attr_offset, RawMessage};
use kernel_model::KernelError;

/// A model error as the NLMSG_ERROR of a route request (attributes found after the rtmsg).
pub(super) fn route_error(msg: &RawMessage<'_>, sock: &SockCtx, e: &KernelError) -> Outcome {
    let mut ext = ExtAck {
        msg: e.msg.as_ref().map(|m| m.to_string()),
        ..ExtAck::default()
    };
    if let Some(path) = &e.attr {
        ext.bad_attr_offset = find_attr_offset(msg.bytes, RTMSG_LEN, &path.0).map(|o| o as u32);
    }
    ack(msg, sock, -e.errno, &ext)
}
