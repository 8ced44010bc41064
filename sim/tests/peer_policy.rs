//! The peer of a pair kind (VETH_INFO_PEER, VXCAN_INFO_PEER, IFLA_NETKIT_PEER_INFO) is an
//! ifinfomsg plus IFLA_* attributes that the kind's newlink parses with
//! `rtnl_nla_parse_ifinfomsg` (net/core/rtnetlink.c) against `ifla_policy`, with the request's
//! extack: the same function for veth_newlink, vxcan_newlink and netkit_new_link, so a malformed
//! peer attribute gets the same answer whichever kind carries it. veth's answer is the kernel's
//! (measured: golden/scenarios/malformed.sh through sim/tests/malformed_wire.rs); this test
//! holds vxcan and netkit to it and checks that a well-formed peer still creates the pair.

use nlsim::kernel_model::Kernel;
use nlsim::rtnl::{self, Outcome, SockCtx};
use nlsim::wire::ack::SockAckFlags;
use nlsim::wire::raw::split_messages;

const RTM_NEWLINK: u16 = 16;
const NLM_F_REQUEST_ACK_CREATE_EXCL: u16 = 0x1 | 0x4 | 0x400 | 0x200;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const NLA_F_NESTED: u16 = 0x8000;
/// VETH_INFO_PEER, VXCAN_INFO_PEER and IFLA_NETKIT_PEER_INFO are all attribute 1.
const PEER: u16 = 1;

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

/// RTM_NEWLINK NAME type KIND peer { ifinfomsg, PEER_ATTRS }.
fn newlink_pair(name: &str, kind: &str, peer_attrs: &[u8]) -> Vec<u8> {
    let mut peer = vec![0u8; 16];
    peer.extend_from_slice(peer_attrs);
    let data = attr(PEER | NLA_F_NESTED, &peer);
    let mut linkinfo = attr(IFLA_INFO_KIND, format!("{kind}\0").as_bytes());
    linkinfo.extend(attr(IFLA_INFO_DATA | NLA_F_NESTED, &data));
    let mut body = vec![0u8; 16];
    body.extend(attr(IFLA_IFNAME, format!("{name}\0").as_bytes()));
    body.extend(attr(IFLA_LINKINFO | NLA_F_NESTED, &linkinfo));
    let mut msg = Vec::new();
    msg.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    msg.extend_from_slice(&RTM_NEWLINK.to_ne_bytes());
    msg.extend_from_slice(&NLM_F_REQUEST_ACK_CREATE_EXCL.to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend(body);
    msg
}

/// The ACK's errno and its extack message (NLMSGERR_ATTR_MSG), if any.
fn answer(k: &mut Kernel, req: &[u8]) -> (i32, Option<String>) {
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
        tlvs = &tlvs[(len + 3) & !3..];
    }
    (errno, msg)
}

#[test]
fn a_malformed_peer_attribute_is_answered_alike_by_every_pair_kind() {
    // IFLA_MTU is NLA_U32: two bytes fail ifla_policy.
    let bad = attr(IFLA_MTU, &[0x10, 0x00]);
    let mut answers = Vec::new();
    for kind in ["veth", "vxcan", "netkit"] {
        let mut k = Kernel::new(7);
        let a = answer(&mut k, &newlink_pair("pp0", kind, &bad));
        assert!(a.0 < 0, "{kind}: refused, got {a:?}");
        answers.push((kind, a));
    }
    let (_, veth) = &answers[0];
    for (kind, a) in &answers[1..] {
        assert_eq!(a, veth, "{kind}: errno and extack message like veth's");
    }
}

#[test]
fn a_well_formed_peer_creates_the_pair() {
    for kind in ["veth", "vxcan", "netkit"] {
        let mut k = Kernel::new(7);
        let peer = attr(IFLA_IFNAME, b"pq1\0");
        let (errno, _) = answer(&mut k, &newlink_pair("pq0", kind, &peer));
        assert_eq!(errno, 0, "{kind}: created");
        let ns = k.init_net();
        assert!(k.dev_by_name(ns, "pq0").is_some(), "{kind}: pq0");
        assert!(k.dev_by_name(ns, "pq1").is_some(), "{kind}: pq1");
    }
}
