//! The peer of a pair kind (VETH_INFO_PEER, VXCAN_INFO_PEER, IFLA_NETKIT_PEER_INFO) is an
//! ifinfomsg plus IFLA_* attributes that the kind's newlink parses with
//! `rtnl_nla_parse_ifinfomsg` (net/core/rtnetlink.c) against `ifla_policy`, with the request's
//! extack: the same function for veth_newlink, vxcan_newlink and netkit_new_link, so a malformed
//! peer attribute gets the same answer whichever kind carries it. veth's answer is the kernel's
//! (measured: golden/scenarios/malformed.sh through sim/tests/malformed_wire.rs); this test
//! holds vxcan and netkit to it and checks that a well-formed peer still creates the pair.

mod request_support;

use nlsim::kernel_model::Kernel;
use request_support::{answer, attr, message, NLA_F_NESTED};

const RTM_NEWLINK: u16 = 16;
const NLM_F_REQUEST_ACK_CREATE_EXCL: u16 = 0x1 | 0x4 | 0x400 | 0x200;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
/// VETH_INFO_PEER, VXCAN_INFO_PEER and IFLA_NETKIT_PEER_INFO are all attribute 1.
const PEER: u16 = 1;

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
    message(RTM_NEWLINK, NLM_F_REQUEST_ACK_CREATE_EXCL, &body)
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
