//! `validate_linkmsg` → `inet6_validate_link_af` (net/ipv6/addrconf.c, Linux 6.12) parses an
//! IFLA_AF_SPEC AF_INET6 nest with `nla_parse_nested_deprecated(.., inet6_af_policy, extack)`
//! before it asks for IFLA_INET6_TOKEN or IFLA_INET6_ADDR_GEN_MODE. Expected answers reviewed by
//! hand against that source and lib/nlattr.c's `validate_nla`: NLA_REJECT with a
//! `reject_message` → EINVAL with the message; an NLA_U8 shorter than one byte → ERANGE
//! "Attribute failed policy validation"; a nest with neither attribute → bare EINVAL; a valid
//! mode → accepted.

mod request_support;

use nlsim::kernel_model::Kernel;
use request_support::{attr, message, NLA_F_NESTED};

const RTM_SETLINK: u16 = 19;
const NLM_F_REQUEST_ACK: u16 = 0x1 | 0x4;
const IFLA_AF_SPEC: u16 = 26;
const AF_INET6: u16 = 10;
const IFLA_INET6_FLAGS: u16 = 1;
const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
const IFLA_INET6_RA_MTU: u16 = 9;

/// RTM_SETLINK of lo (ifindex 1) with IFLA_AF_SPEC { AF_INET6 { INET6 } }.
fn setlink_inet6(inet6: &[u8]) -> Vec<u8> {
    let af = attr(AF_INET6 | NLA_F_NESTED, inet6);
    let mut body = vec![0u8; 16];
    body[4..8].copy_from_slice(&1i32.to_ne_bytes());
    body.extend(attr(IFLA_AF_SPEC | NLA_F_NESTED, &af));
    message(RTM_SETLINK, NLM_F_REQUEST_ACK, &body)
}

/// The ACK's errno and extack message, on a fresh model.
fn answer(req: &[u8]) -> (i32, Option<String>) {
    request_support::answer(&mut Kernel::new(7), req)
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
