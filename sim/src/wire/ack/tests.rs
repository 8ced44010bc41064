//! encode_ack / encode_done against kernel replies (see `testvectors`).

use super::*;
use crate::wire::raw::{split_messages, RawMessage};
use crate::wire::testutil::hex;
use crate::wire::testvectors::*;

const IPROUTE2: SockAckFlags = SockAckFlags {
    ext_ack: true,
    cap_ack: false,
};

fn msg(bytes: &[u8]) -> RawMessage<'_> {
    RawMessage::parse(bytes).expect("captured request parses")
}

#[test]
fn success_ack_is_capped_36_bytes() {
    let req = hex(IP_LO_UP_REQ);
    let out = encode_ack(&msg(&req), IP_LO_UP_PORTID, 0, &ExtAck::default(), IPROUTE2);
    assert_eq!(out, hex(IP_LO_UP_REP));
    assert_eq!(out.len(), 36);
}

#[test]
fn eexist_echoes_whole_request() {
    let req = hex(IP_BR_ADD_EEXIST_REQ);
    let out = encode_ack(
        &msg(&req),
        IP_BR_ADD_EEXIST_PORTID,
        -libc::EEXIST,
        &ExtAck::default(),
        IPROUTE2,
    );
    assert_eq!(out, hex(IP_BR_ADD_EEXIST_REP));
    assert_eq!(out.len(), 76);
}

#[test]
fn eexist_with_cap_ack_is_capped() {
    let req = hex(EEXIST_CAPACK_REQ);
    let sock = SockAckFlags {
        ext_ack: true,
        cap_ack: true,
    };
    let out = encode_ack(
        &msg(&req),
        PY_PORTID,
        -libc::EEXIST,
        &ExtAck::default(),
        sock,
    );
    assert_eq!(out, hex(EEXIST_CAPACK_REP));
}

#[test]
fn mtu_error_has_msg_only() {
    let req = hex(IP_BR_MTU_REQ);
    let ext = ExtAck::msg("mtu greater than device maximum");
    let out = encode_ack(&msg(&req), IP_BR_MTU_PORTID, -libc::EINVAL, &ext, IPROUTE2);
    assert_eq!(out, hex(IP_BR_MTU_REP));

    let req = hex(BR_MTU_REQ);
    let out = encode_ack(&msg(&req), PY_PORTID, -libc::EINVAL, &ext, IPROUTE2);
    assert_eq!(out, hex(BR_MTU_REP));
}

#[test]
fn no_tlvs_without_ext_ack() {
    let req = hex(BR_MTU_NOEXT_REQ);
    let ext = ExtAck::msg("mtu greater than device maximum");
    let out = encode_ack(
        &msg(&req),
        PY_PORTID,
        -libc::EINVAL,
        &ext,
        SockAckFlags::default(),
    );
    assert_eq!(out, hex(BR_MTU_NOEXT_REP));
}

#[test]
fn unaligned_request_echo_is_padded() {
    let req = hex(UNALIGNED_ECHO_REQ);
    let out = encode_ack(
        &msg(&req),
        PY_PORTID,
        -libc::ENODEV,
        &ExtAck::default(),
        IPROUTE2,
    );
    assert_eq!(out, hex(UNALIGNED_ECHO_REP));
    assert_eq!(out.len(), 60);
}

#[test]
fn one_ack_per_message_of_a_datagram() {
    let buf = hex(TWO_MSGS_REQ);
    let acks: Vec<_> = split_messages(&buf)
        .map(|m| encode_ack(&m, PY_PORTID, 0, &ExtAck::default(), IPROUTE2))
        .collect();
    assert_eq!(acks, vec![hex(TWO_MSGS_REP), hex(TWO_MSGS_REP2)]);
}

#[test]
fn warning_rides_on_success_ack() {
    let req = hex(SETLINK_LEFTOVER_REQ);
    let ext = ExtAck::msg("bytes leftover after parsing attributes");
    let out = encode_ack(&msg(&req), PY_PORTID, 0, &ext, IPROUTE2);
    assert_eq!(out, hex(SETLINK_LEFTOVER_REP));
    // Error-only TLVs are not sent with a success ACK.
    let mut ext2 = ext.clone();
    ext2.bad_attr_offset = Some(32);
    ext2.miss_type = Some(3);
    assert_eq!(encode_ack(&msg(&req), PY_PORTID, 0, &ext2, IPROUTE2), out);
}

#[test]
fn out_of_payload_offsets_are_dropped() {
    let req = hex(IP_BR_MTU_REQ);
    let m = msg(&req);
    let plain = ExtAck::msg("x");
    let base = encode_ack(&m, 1, -libc::EINVAL, &plain, IPROUTE2);
    for off in [0u32, 15, m.header.len, 4096] {
        let mut e = plain.clone();
        e.bad_attr_offset = Some(off);
        e.miss_nest_offset = Some(off);
        assert_eq!(
            encode_ack(&m, 1, -libc::EINVAL, &e, IPROUTE2),
            base,
            "offset {off}"
        );
    }
}

#[test]
fn all_tlvs_in_kernel_order() {
    let req = hex(IP_BR_MTU_REQ);
    let m = msg(&req);
    let e = ExtAck {
        msg: Some("m".into()),
        bad_attr_offset: Some(32),
        policy: None,
        miss_type: Some(7),
        miss_nest_offset: Some(16),
        cookie: Some(vec![1, 2, 3]),
    };
    let out = encode_ack(&m, 9, -libc::EINVAL, &e, IPROUTE2);
    let tlvs = &out[20 + req.len()..];
    assert_eq!(
        tlvs,
        &hex("06000100 6d000000 07000300 01020300 08000200 20000000 \
             08000500 07000000 08000600 10000000")[..]
    );
    assert_eq!(u16::from_ne_bytes([out[6], out[7]]), NLM_F_ACK_TLVS);
}

#[test]
fn done_plain_and_with_extack() {
    let out = encode_done(
        0x16,
        PY_PORTID,
        NLM_F_MULTI,
        0,
        &ExtAck::default(),
        IPROUTE2,
    );
    assert_eq!(out, hex(DUMP_OK_REP));

    let e = ExtAck::msg("Filter by device index not supported for link dumps");
    let dump_req = hex(DUMP_STRICT_IFINDEX_REQ);
    let seq = msg(&dump_req).header.seq;
    let out = encode_done(seq, PY_PORTID, NLM_F_MULTI, -libc::EINVAL, &e, IPROUTE2);
    assert_eq!(out, hex(DUMP_STRICT_IFINDEX_REP));

    // DUMP_INTR is passed through; no EXT_ACK means no TLVs.
    let out = encode_done(
        7,
        1,
        NLM_F_MULTI | NLM_F_DUMP_INTR,
        -1,
        &e,
        SockAckFlags::default(),
    );
    assert_eq!(out.len(), 20);
    assert_eq!(u16::from_ne_bytes([out[6], out[7]]), 0x12);
}
