//! RTM_GETADDR: addresses are not modelled; the one answer nlsim can give exactly.

use super::reply::{refuse, Outcome, SockCtx};
use crate::wire::ack::{encode_done, ExtAck};
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::raw::RawMessage;
use kernel_model::uapi::errno;
use kernel_model::Kernel;

/// RTM_GETADDR dump. Addresses are not modelled yet, but a namespace where no device has
/// been up has none (the kernel adds 127.0.0.1 / ::1 to lo and IPv6 link-locals only when a
/// device comes up), so that dump is answered exactly: empty. Once a device is up the answer
/// would be a guess, and the request is refused.
pub fn handle_getaddr_dump(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    if k.may_have_addresses(sock.netns) {
        return refuse(
            msg,
            sock,
            errno::EOPNOTSUPP,
            Some(
                "nlsim: RTM_GETADDR not modelled (addresses exist once a device has been up)"
                    .into(),
            ),
        );
    }
    Outcome::Reply(vec![encode_done(
        msg.header.seq,
        sock.portid,
        NLM_F_MULTI,
        0,
        &ExtAck::default(),
        sock.ack,
    )])
}
