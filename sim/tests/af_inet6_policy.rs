//! `validate_linkmsg` → `inet6_validate_link_af` (net/ipv6/addrconf.c, Linux 6.12) parses an
//! IFLA_AF_SPEC AF_INET6 nest with `nla_parse_nested_deprecated(.., inet6_af_policy, extack)`
//! before it asks for IFLA_INET6_TOKEN or IFLA_INET6_ADDR_GEN_MODE. Expected answers reviewed by
//! hand against that source and lib/nlattr.c's `validate_nla`: NLA_REJECT with a
//! `reject_message` → EINVAL with the message; an NLA_U8 shorter than one byte → ERANGE
//! "Attribute failed policy validation"; a nest with neither attribute → bare EINVAL; a valid
//! mode → accepted.

use nlsim::kernel_model::Kernel;
use nlsim::rtnl::{self, Outcome, SockCtx};
use nlsim::wire::ack::SockAckFlags;
use nlsim::wire::raw::split_messages;

const RTM_SETLINK: u16 = 19;
const NLM_F_REQUEST_ACK: u16 = 0x1 | 0x4;
const IFLA_AF_SPEC: u16 = 26;
const AF_INET6: u16 = 10;
const IFLA_INET6_FLAGS: u16 = 1;
const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
const IFLA_INET6_RA_MTU: u16 = 9;
const NLA_F_NESTED: u16 = 0x8000;

fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut a = Vec::new();
    a.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    a.extend_from_slice(&kind.to_ne_bytes());
    a.extend_from_slice(payload);
    while a.len() % 4 != 0 {
        a.push(0);
    }
    a
}

/// RTM_SETLINK of lo (ifindex 1) with IFLA_AF_SPEC { AF_INET6 { INET6 } }.
fn setlink_inet6(inet6: &[u8]) -> Vec<u8> {
    let af = attr(AF_INET6 | NLA_F_NESTED, inet6);
    let mut body = vec![0u8; 16];
    body[4..8].copy_from_slice(&1i32.to_ne_bytes());
    body.extend(attr(IFLA_AF_SPEC | NLA_F_NESTED, &af));
    let mut msg = Vec::new();
    msg.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    msg.extend_from_slice(&RTM_SETLINK.to_ne_bytes());
    msg.extend_from_slice(&NLM_F_REQUEST_ACK.to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend(body);
    msg
}

/// The ACK's errno and extack message.
fn answer(req: &[u8]) -> (i32, Option<String>) {
    let mut k = Kernel::new(7);
    let ctx = SockCtx {
        portid: 1000,
        ack: SockAckFlags {
            ext_ack: true,
            cap_ack: true,
        },
        strict_chk: false,
        netns: k.init_net(),
        pid: std::process::id(),
        max_recvmsg_len: 32768,
    };
    let mut out = Vec::new();
    for msg in split_messages(req) {
        if let Outcome::Reply(d) = rtnl::handle(&mut k, &ctx, &msg, false) {
            out.extend(d);
        }
    }
    assert_eq!(out.len(), 1, "one ACK");
    let ack = &out[0];
    let errno = i32::from_ne_bytes([ack[16], ack[17], ack[18], ack[19]]);
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
        tlvs = &tlvs[(len + 3) & !3..];
    }
    (errno, msg)
}

#[test]
fn ra_mtu_is_rejected_with_the_policys_message() {
    let req = setlink_inet6(&attr(IFLA_INET6_RA_MTU, &1280u32.to_ne_bytes()));
    assert_eq!(
        answer(&req),
        (
            -libc::EINVAL,
            Some("IFLA_INET6_RA_MTU can not be set".into())
        )
    );
}

#[test]
fn an_empty_addr_gen_mode_fails_the_u8_policy() {
    let req = setlink_inet6(&attr(IFLA_INET6_ADDR_GEN_MODE, &[]));
    assert_eq!(
        answer(&req),
        (
            -libc::ERANGE,
            Some("Attribute failed policy validation".into())
        )
    );
}

#[test]
fn a_nest_without_token_or_mode_is_a_bare_einval() {
    let req = setlink_inet6(&attr(IFLA_INET6_FLAGS, &0u32.to_ne_bytes()));
    assert_eq!(answer(&req), (-libc::EINVAL, None));
}

#[test]
fn a_valid_mode_is_accepted() {
    // IN6_ADDR_GEN_MODE_NONE.
    let req = setlink_inet6(&attr(IFLA_INET6_ADDR_GEN_MODE, &[1]));
    assert_eq!(answer(&req), (0, None));
}
