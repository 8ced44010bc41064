//! Validation of captured requests must give the kernel's errno, message,
//! offset and policy, and the resulting ACK must match the kernel's bytes.

use super::*;
use crate::wire::ack::{encode_ack, SockAckFlags};
use crate::wire::policy::tables::*;
use crate::wire::policy::write_policy_attr;
use crate::wire::raw::{find_attr, RawMessage};
use crate::wire::testutil::hex;
use crate::wire::testvectors::*;

const EXT: SockAckFlags = SockAckFlags {
    ext_ack: true,
    cap_ack: false,
};
const IFINFOMSG_LEN: usize = 16;

/// The validation half of [`parse`].
fn validate(
    msg: &[u8],
    fixed_hdr_len: usize,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<Validated, PolicyError> {
    parse(msg, fixed_hdr_len, policy, mode).map(|(_, v)| v)
}

/// The validation half of [`parse_nest`].
fn validate_nested(
    msg: &[u8],
    nla: &RawNla<'_>,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<Validated, PolicyError> {
    parse_nest(msg, nla, policy, mode).map(|(_, v)| v)
}

/// rtnl_newlink()'s parse sequence, as far as policies go (linkinfo[] without extack).
fn newlink_parse(msg: &[u8], master_kind: Option<&[u8]>) -> Result<Validated, PolicyError> {
    let (tb, v) = parse(msg, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal)?;
    let linkinfo = tb
        .parse_nested(IFLA_LINKINFO, &IFLA_INFO_POLICY, ValidateMode::Liberal)
        .map_err(|e| errno_only(e.errno))?;
    if let Some((info, _)) = linkinfo {
        let kind = info
            .get(IFLA_INFO_KIND)
            .map(|k| k.value.split(|b| *b == 0).next());
        if let Some(p) = kind
            .flatten()
            .and_then(crate::rtnl::kinds::lookup)
            .and_then(|w| w.policy)
        {
            info.parse_nested(IFLA_INFO_DATA, p, ValidateMode::Liberal)?;
        }
        if let Some(p) = master_kind
            .and_then(crate::rtnl::kinds::lookup)
            .and_then(|w| w.slave_policy)
        {
            info.parse_nested(IFLA_INFO_SLAVE_DATA, p, ValidateMode::Liberal)?;
        }
    }
    Ok(v)
}

/// Checks errno, message and offset, then the ACK bytes built from the error.
fn check(
    req_hex: &str,
    rep_hex: &str,
    portid: u32,
    res: Result<Validated, PolicyError>,
    errno: i32,
    msg: &str,
    off: Option<u32>,
) {
    let req = hex(req_hex);
    let e = res.expect_err("validation must fail");
    assert_eq!(e.errno, errno);
    assert_eq!(e.extack.msg.as_deref(), Some(msg));
    assert_eq!(e.extack.bad_attr_offset, off);
    let m = RawMessage::parse(&req).expect("request");
    assert_eq!(
        encode_ack(&m, portid, -e.errno, &e.extack, EXT),
        hex(rep_hex)
    );
}

#[test]
fn long_ifname_is_erange_with_string_policy() {
    let req = hex(IP_LONGNAME_REQ);
    let res = newlink_parse(&req, None);
    check(
        IP_LONGNAME_REQ,
        IP_LONGNAME_REP,
        IP_LONGNAME_PORTID,
        res,
        libc::ERANGE,
        "Attribute failed policy validation",
        Some(32),
    );
}

#[test]
fn gso_max_size_below_min() {
    let req = hex(IP_GSO_REQ);
    let res = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal);
    check(
        IP_GSO_REQ,
        IP_GSO_REP,
        IP_GSO_PORTID,
        res,
        libc::ERANGE,
        "integer out of range",
        Some(32),
    );
}

#[test]
fn short_mtu_fails_minlen() {
    let req = hex(MTU_SHORT_REQ);
    let res = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal);
    check(
        MTU_SHORT_REQ,
        MTU_SHORT_REP,
        PY_PORTID,
        res,
        libc::ERANGE,
        "Attribute failed policy validation",
        Some(32),
    );
}

#[test]
fn reject_has_no_policy_nest() {
    let req = hex(PERM_ADDR_REJECT_REQ);
    let res = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal);
    check(
        PERM_ADDR_REJECT_REQ,
        PERM_ADDR_REJECT_REP,
        PY_PORTID,
        res,
        libc::EINVAL,
        "Attribute failed policy validation",
        Some(32),
    );
}

#[test]
fn new_ifindex_signed_min() {
    let req = hex(NEW_IFINDEX_ZERO_REQ);
    let res = newlink_parse(&req, None);
    check(
        NEW_IFINDEX_ZERO_REQ,
        NEW_IFINDEX_ZERO_REP,
        PY_PORTID,
        res,
        libc::ERANGE,
        "integer out of range",
        Some(40),
    );
}

#[test]
fn ifalias_binary_max() {
    let req = hex(IFALIAS_LONG_REQ);
    let res = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal);
    let rep = [
        IFALIAS_LONG_REP_HEAD,
        IFALIAS_LONG_REQ,
        IFALIAS_LONG_REP_TAIL,
    ]
    .concat();
    check(
        IFALIAS_LONG_REQ,
        &rep,
        PY_PORTID,
        res,
        libc::ERANGE,
        "Attribute failed policy validation",
        Some(32),
    );
}

#[test]
fn bridge_info_data_u16_too_short() {
    let req = hex(BR_PRIO_SHORT_REQ);
    assert_eq!(
        crate::wire::raw::find_attr_offset(
            &req,
            16,
            &[IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_BR_PRIORITY]
        ),
        Some(52)
    );
    let res = newlink_parse(&req, None);
    check(
        BR_PRIO_SHORT_REQ,
        BR_PRIO_SHORT_REP,
        PY_PORTID,
        res,
        libc::ERANGE,
        "Attribute failed policy validation",
        Some(52),
    );
}

#[test]
fn bridge_port_slave_data_max() {
    let req = hex(BRPORT_NVS_REQ);
    // Without a bridge master the slave data is not looked at.
    assert!(newlink_parse(&req, None).is_ok());
    let res = newlink_parse(&req, Some(b"bridge"));
    check(
        BRPORT_NVS_REQ,
        BRPORT_NVS_REP,
        PY_PORTID,
        res,
        libc::ERANGE,
        "integer out of range",
        Some(52),
    );
}

#[test]
fn protinfo_error_has_errno_only() {
    let req = hex(PROTINFO_COST_SHORT_REQ);
    let pi = find_attr(&req, IFINFOMSG_LEN, &[IFLA_PROTINFO]).expect("protinfo");
    let e =
        validate_nested(&req, &pi, &BR_PORT_POLICY, ValidateMode::Liberal).expect_err("short cost");
    assert_eq!(e.errno, libc::ERANGE);
    // br_setlink() passes no extack, so the reply has none.
    let m = RawMessage::parse(&req).expect("request");
    let out = encode_ack(&m, PY_PORTID, -e.errno, &Default::default(), EXT);
    assert_eq!(out, hex(PROTINFO_COST_SHORT_REP));
}

#[test]
fn strict_unknown_type() {
    let req = hex(LINKPROP_UNKNOWN_REQ);
    assert!(validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal).is_ok());
    let res = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Strict);
    check(
        LINKPROP_UNKNOWN_REQ,
        LINKPROP_UNKNOWN_REP,
        PY_PORTID,
        res,
        libc::EINVAL,
        "Unknown attribute type",
        Some(32),
    );
}

#[test]
fn strict_nested_flag_missing() {
    let req = hex(LINKPROP_NESTED_MISSING_REQ);
    assert!(validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal).is_ok());
    let res = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Strict);
    check(
        LINKPROP_NESTED_MISSING_REQ,
        LINKPROP_NESTED_MISSING_REP,
        PY_PORTID,
        res,
        libc::EINVAL,
        "NLA_F_NESTED is missing",
        Some(32),
    );
}

#[test]
fn leftover_is_warning_or_error_by_mode() {
    let req = hex(SETLINK_LEFTOVER_REQ);
    let v =
        validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal).expect("liberal passes");
    assert_eq!(v.warning, Some("bytes leftover after parsing attributes"));
    let e = validate(
        &req,
        IFINFOMSG_LEN,
        &IFLA_POLICY,
        ValidateMode::DeprecatedStrict,
    )
    .expect_err("trailing");
    assert_eq!(e.errno, libc::EINVAL);
    assert_eq!(
        e.extack.msg.as_deref(),
        Some("bytes leftover after parsing attributes")
    );
    assert_eq!(e.extack.bad_attr_offset, None);
}

#[test]
fn valid_requests_pass() {
    for r in [
        IP_LO_UP_REQ,
        IP_BR_ADD_EEXIST_REQ,
        IP_BR_MTU_REQ,
        DUMP_OK_REQ,
        TWO_MSGS_REQ,
    ] {
        let req = hex(r);
        assert_eq!(
            newlink_parse(&req, Some(b"bridge")),
            Ok(Validated::default()),
            "{r}"
        );
        let strict = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Strict);
        if r == IP_BR_ADD_EEXIST_REQ {
            // iproute2 sends IFLA_LINKINFO without NLA_F_NESTED.
            let e = strict.expect_err("strict wants NLA_F_NESTED");
            assert_eq!(e.extack.msg.as_deref(), Some("NLA_F_NESTED is missing"));
            assert_eq!(e.extack.bad_attr_offset, Some(40));
        } else {
            assert!(strict.is_ok(), "{r}");
        }
    }
}

#[test]
fn header_too_short() {
    // A bare 20-byte RTM_GETLINK (rtgenmsg) parsed as if it had an ifinfomsg.
    let mut req = hex(DUMP_OK_REQ);
    req.truncate(20);
    req[0] = 20;
    let e = validate(&req, IFINFOMSG_LEN, &IFLA_POLICY, ValidateMode::Liberal).expect_err("short");
    assert_eq!(e.errno, libc::EINVAL);
    assert_eq!(e.extack.msg.as_deref(), Some("Invalid header length"));
    // With the 4-byte rtgenmsg header it is fine.
    assert!(validate(&req, 4, &IFLA_POLICY, ValidateMode::Liberal).is_ok());
}

/// Builds a message: nlmsghdr + ifinfomsg + `attrs`.
fn build(attrs: &[u8]) -> Vec<u8> {
    let mut m = vec![0u8; 32];
    m.extend_from_slice(attrs);
    let len = m.len() as u32;
    m[..4].copy_from_slice(&len.to_ne_bytes());
    m[4] = 16;
    m
}

fn nla(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut v = ((4 + value.len()) as u16).to_ne_bytes().to_vec();
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(value);
    v.resize((v.len() + 3) & !3, 0);
    v
}

#[test]
fn strict_attrs_exact_length_and_strict_start_type() {
    // IFLA_MTU with 8 bytes: fine when liberal (only logged), not when strict.
    let m = build(&nla(IFLA_MTU, &[0; 8]));
    assert!(validate(&m, 16, &IFLA_POLICY, ValidateMode::Liberal).is_ok());
    let e = validate(&m, 16, &IFLA_POLICY, ValidateMode::Strict).expect_err("strict");
    assert_eq!(
        (e.errno, e.extack.msg.as_deref()),
        (libc::EINVAL, Some("invalid attribute length"))
    );

    // br_policy is strict from IFLA_BR_FDB_N_LEARNED: an 8-byte
    // FDB_MAX_LEARNED fails even in liberal mode, an 8-byte STP_STATE not.
    let data = |kind: u16| {
        let inner = [
            nla(IFLA_INFO_KIND, b"bridge"),
            nla(IFLA_INFO_DATA, &nla(kind, &[0; 8])),
        ]
        .concat();
        build(&nla(IFLA_LINKINFO, &inner))
    };
    let ok = data(IFLA_BR_STP_STATE);
    assert!(newlink_parse(&ok, None).is_ok());
    let bad = data(IFLA_BR_FDB_MAX_LEARNED);
    let e = newlink_parse(&bad, None).expect_err("strict start");
    assert_eq!(e.extack.msg.as_deref(), Some("invalid attribute length"));
    assert_eq!(e.extack.bad_attr_offset, Some(32 + 4 + 12 + 4));
}

#[test]
fn binary_exact_len_and_linkinfo_errors() {
    let inner = [
        nla(IFLA_INFO_KIND, b"bridge"),
        nla(IFLA_INFO_DATA, &nla(IFLA_BR_MULTI_BOOLOPT, &[0; 4])),
    ]
    .concat();
    let m = build(&nla(IFLA_LINKINFO, &inner));
    let e = newlink_parse(&m, None).expect_err("boolopt");
    assert_eq!(
        (e.errno, e.extack.msg.as_deref()),
        (libc::ERANGE, Some("binary attribute size out of range"))
    );
    let mut out = Vec::new();
    assert!(write_policy_attr(
        &mut out,
        4,
        e.extack.policy.as_ref().expect("policy")
    ));
    // MIN_LENGTH 8, MAX_LENGTH 8, TYPE binary.
    assert_eq!(
        out,
        hex("1c000480 08000600 08000000 08000700 08000000 08000100 0a000000")
    );

    // A malformed IFLA_LINKINFO (empty kind string) fails with errno only.
    let m = build(&nla(IFLA_LINKINFO, &nla(IFLA_INFO_KIND, b"")));
    let e = newlink_parse(&m, None).expect_err("empty kind");
    assert_eq!(e.errno, libc::ERANGE);
    assert_eq!(e.extack, crate::wire::ack::ExtAck::default());
}

#[test]
fn garbage_never_panics() {
    // Every prefix and a few corruptions of the captured requests.
    let inputs = [
        IP_LONGNAME_REQ,
        BR_PRIO_SHORT_REQ,
        BRPORT_NVS_REQ,
        IFALIAS_LONG_REQ,
    ];
    for r in inputs {
        let base = hex(r);
        for cut in 0..base.len() {
            for flip in [None, Some(0usize), Some(32), Some(33), Some(36), Some(48)] {
                let mut m = base[..cut].to_vec();
                if let Some(i) = flip {
                    if let Some(b) = m.get_mut(i) {
                        *b ^= 0xff;
                    }
                }
                for mode in [
                    ValidateMode::Liberal,
                    ValidateMode::DeprecatedStrict,
                    ValidateMode::Strict,
                ] {
                    let _ = validate(&m, 16, &IFLA_POLICY, mode);
                    let _ = newlink_parse(&m, Some(b"bridge"));
                }
            }
        }
    }
}
