//! RTM_NEWNSID / RTM_GETNSID through the router (`rtnl::handle`), as `ip netns set` / `ip netns
//! list-id` send them (net/core/net_namespace.c: `rtnl_net_newid`, `rtnl_net_getid`,
//! `rtnl_net_dumpid`).

use kernel_model::netns::{NETNSA_NSID, NETNSA_PID};
use kernel_model::uapi::errno;
use kernel_model::{Kernel, LinkMsg};
use nlsim::rtnl::ctx::SockCtx;
use nlsim::rtnl::handle;
use nlsim::rtnl::nsid::{encode_notification, RTM_DELNSID, RTM_GETNSID, RTM_NEWNSID};
use nlsim::rtnl::reply::Outcome;
use nlsim::socket::NlSock;
use nlsim::wire::consts::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nlsim::wire::raw::RawMessage;

fn request(kind: u16, flags: u16, attrs: &[(u16, u32)]) -> Vec<u8> {
    let mut b = vec![0u8; 16];
    b.extend_from_slice(&[0, 0, 0, 0]); // rtgenmsg AF_UNSPEC + padding
    for (t, v) in attrs {
        b.extend_from_slice(&8u16.to_ne_bytes());
        b.extend_from_slice(&t.to_ne_bytes());
        b.extend_from_slice(&v.to_ne_bytes());
    }
    let len = b.len() as u32;
    b[0..4].copy_from_slice(&len.to_ne_bytes());
    b[4..6].copy_from_slice(&kind.to_ne_bytes());
    b[6..8].copy_from_slice(&(flags | NLM_F_REQUEST).to_ne_bytes());
    b[8..12].copy_from_slice(&7u32.to_ne_bytes());
    b
}

fn sock(k: &Kernel) -> SockCtx {
    let mut s = NlSock::new(100, k.init_net());
    s.portid = 100;
    s.ext_ack = true;
    s.ctx()
}

fn reply(k: &mut Kernel, bytes: &[u8]) -> Vec<Vec<u8>> {
    let msg = RawMessage::parse(bytes).unwrap();
    match handle(k, &sock(k), &msg, false) {
        Outcome::Reply(r) => r,
        Outcome::Nothing => Vec::new(),
        Outcome::Dump(_) => panic!("dump"),
    }
}

fn errno_of(d: &[u8]) -> i32 {
    assert_eq!(u16::from_ne_bytes([d[4], d[5]]), 2, "NLMSG_ERROR");
    -i32::from_ne_bytes([d[16], d[17], d[18], d[19]])
}

fn nsid_of(d: &[u8]) -> (u16, i32) {
    let kind = u16::from_ne_bytes([d[4], d[5]]);
    // nlmsghdr, rtgenmsg (4), NETNSA_NSID (4 + 4)
    assert_eq!(u16::from_ne_bytes([d[22], d[23]]), NETNSA_NSID);
    (kind, i32::from_ne_bytes([d[24], d[25], d[26], d[27]]))
}

#[test]
fn newid_getid_dump() {
    let mut k = Kernel::new(1);
    let _ns1 = k.netns_new();
    // No id yet: NETNSA_NSID names nothing.
    let r = reply(&mut k, &request(RTM_GETNSID, 0, &[(NETNSA_NSID, 0)]));
    assert_eq!(errno_of(&r[0]), errno::ENOENT);
    // `ip netns set` without an id attribute.
    let r = reply(&mut k, &request(RTM_NEWNSID, NLM_F_ACK, &[(NETNSA_PID, 1)]));
    assert_eq!(errno_of(&r[0]), errno::EINVAL);
    // The peer by pid (init_net itself here) gets id 3.
    let r = reply(
        &mut k,
        &request(RTM_NEWNSID, NLM_F_ACK, &[(NETNSA_NSID, 3), (NETNSA_PID, 1)]),
    );
    assert_eq!(errno_of(&r[0]), 0);
    assert!(matches!(
        k.take_events().as_slice(),
        [kernel_model::Event::Nsid {
            nsid: 3,
            from_request: true,
            ..
        }]
    ));
    let r = reply(&mut k, &request(RTM_GETNSID, 0, &[(NETNSA_PID, 1)]));
    assert_eq!(nsid_of(&r[0]), (RTM_NEWNSID, 3));
    // A dump lists it.
    let bytes = request(RTM_GETNSID, NLM_F_DUMP, &[]);
    let msg = RawMessage::parse(&bytes).unwrap();
    let ctx = sock(&k);
    let Outcome::Dump(mut d) = handle(&mut k, &ctx, &msg, false) else {
        panic!("no dump");
    };
    let chunk = d.next_chunk(&k, &ctx).unwrap();
    assert_eq!(nsid_of(&chunk), (RTM_NEWNSID, 3));
    // The notification's wire form.
    let n = encode_notification(LinkMsg::Del, 3, 0, 0);
    assert_eq!(nsid_of(&n), (RTM_DELNSID, 3));
    assert_eq!(n.len(), 28);
}
