//! Raw rtnetlink requests sent straight to the handler (`rtnl::handle`, what the server calls for
//! each message), and the errno + extack message of the ACK they get. Shared by the tests that
//! build one request by hand.

use nlsim::kernel_model::Kernel;
use nlsim::rtnl::{self, Outcome, SockCtx};
use nlsim::wire::ack::SockAckFlags;
use nlsim::wire::raw::split_messages;

pub const NLA_F_NESTED: u16 = 0x8000;

/// One attribute, padded to 4 bytes.
pub fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut a = Vec::new();
    a.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    a.extend_from_slice(&kind.to_ne_bytes());
    a.extend_from_slice(payload);
    while a.len() % 4 != 0 {
        a.push(0);
    }
    a
}

/// A message of type `kind` with `flags`, sequence 1, and `body` (family header + attributes).
pub fn message(kind: u16, flags: u16, body: &[u8]) -> Vec<u8> {
    let mut msg = Vec::new();
    msg.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    msg.extend_from_slice(&kind.to_ne_bytes());
    msg.extend_from_slice(&flags.to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend_from_slice(body);
    msg
}

/// An extack + capped-ACK socket (port 1000) in the initial namespace, without strict checking.
pub fn sock_ctx(k: &Kernel) -> SockCtx {
    SockCtx {
        portid: 1000,
        ack: SockAckFlags {
            ext_ack: true,
            cap_ack: true,
        },
        strict_chk: false,
        netns: k.init_net(),
        pid: std::process::id(),
        max_recvmsg_len: 32768,
    }
}

/// Sends `req` (which must ask for an ACK) from an extack + capped-ACK socket in the initial
/// namespace; returns the ACK's errno and its NLMSGERR_ATTR_MSG, if any.
pub fn answer(k: &mut Kernel, req: &[u8]) -> (i32, Option<String>) {
    let ctx = sock_ctx(k);
    let mut out = Vec::new();
    for msg in split_messages(req) {
        if let Outcome::Reply(d) = rtnl::handle(k, &ctx, &msg, false) {
            out.extend(d);
        }
        drop(k.take_events());
    }
    assert_eq!(out.len(), 1, "one ACK");
    let ack = &out[0];
    let errno = i32::from_ne_bytes([ack[16], ack[17], ack[18], ack[19]]);
    // Capped ACK: nlmsghdr (16) + error (4) + the request's nlmsghdr (16), then the TLVs.
    let mut tlvs = &ack[36..];
    let mut msg = None;
    while tlvs.len() >= 4 {
        let len = u16::from_ne_bytes([tlvs[0], tlvs[1]]) as usize;
        let kind = u16::from_ne_bytes([tlvs[2], tlvs[3]]);
        if len < 4 || len > tlvs.len() {
            break;
        }
        if kind == 1 {
            let v = &tlvs[4..len];
            let end = v.iter().position(|b| *b == 0).unwrap_or(v.len());
            msg = Some(String::from_utf8_lossy(&v[..end]).into_owned());
        }
        tlvs = &tlvs[((len + 3) & !3).min(tlvs.len())..];
    }
    (errno, msg)
}
