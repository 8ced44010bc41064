//! The netlink side: ACK shapes, dumps produced lazily with NLM_F_DUMP_INTR, multicast
//! notifications, strict checking, unknown message types. Expected values come from the
//! kernel (net/netlink/af_netlink.c, net/core/rtnetlink.c, Linux 6.12) as cited per test.

mod common;
use common::{Client, LinkExt};
use netlink_packet_core::{
    NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_DUMP, NLM_F_ECHO, NLM_F_REQUEST,
};
use netlink_packet_route::link::LinkMessage;
use netlink_packet_route::RouteNetlinkMessage;

const NLM_F_MULTI: u16 = 2;
const NLM_F_DUMP_INTR: u16 = 0x10;

fn header(bytes: &[u8]) -> (u32, u16, u16, u32, u32) {
    let u32at = |i: usize| u32::from_ne_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (
        u32at(0),
        u16::from_ne_bytes([bytes[4], bytes[5]]),
        u16::from_ne_bytes([bytes[6], bytes[7]]),
        u32at(8),
        u32at(12),
    )
}

/// Splits a datagram into (type, flags, message bytes).
fn messages(dgram: &[u8]) -> Vec<(u16, u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 16 <= dgram.len() {
        let (len, kind, flags, _, _) = header(&dgram[pos..]);
        out.push((kind, flags, dgram[pos..pos + len as usize].to_vec()));
        pos += (len as usize + 3) & !3;
    }
    out
}

/// iproute2's `iplink_have_newlink` probe: a bare RTM_NEWLINK (ifindex 0, REQUEST|ACK, seq 0)
/// must get ENODEV, uncapped (whole request echoed), flags 0 (rtnl_newlink: no device, no
/// NLM_F_CREATE).
#[test]
fn iproute2_probe_gets_enodev() {
    let sim = common::sim_with_nics(0);
    let sock = sim.connect().unwrap();
    sock.set_ext_ack(true).unwrap();
    let req = nlsim::rtnl::link::emit(
        RouteNetlinkMessage::NewLink(LinkMessage::default()),
        NLM_F_REQUEST | NLM_F_ACK,
        0,
        0,
    );
    assert_eq!(req.len(), 32);
    sock.send(&req).unwrap();
    let reply = sock.recv_timeout(2000).unwrap();
    assert_eq!(reply.len(), 52, "uncapped error: 16 + 4 + 32");
    let (_, kind, flags, seq, pid) = header(&reply);
    assert_eq!((kind, flags, seq), (2, 0, 0));
    assert_eq!(
        pid,
        std::process::id(),
        "autobind gives the process id first"
    );
    assert_eq!(
        i32::from_ne_bytes([reply[16], reply[17], reply[18], reply[19]]),
        -libc::ENODEV
    );
    assert_eq!(&reply[20..], &req[..]);
}

/// netlink_ack: a success ACK is capped (36 bytes, NLM_F_CAPPED) even without NETLINK_CAP_ACK;
/// with NETLINK_CAP_ACK an error is capped too.
#[test]
fn ack_shapes() {
    let sim = common::sim_with_nics(0);
    let mut c = Client::new(&sim);
    let a = c.add_simple("d0", "dummy");
    assert!(a.ok());
    c.sock.set_cap_ack(true).unwrap();
    let mut m = LinkMessage::default();
    m.attributes
        .push(netlink_packet_route::link::LinkAttribute::IfName(
            "d0".into(),
        ));
    m.attributes
        .push(netlink_packet_route::link::LinkAttribute::LinkInfo(vec![
            netlink_packet_route::link::LinkInfo::Kind("dummy".into()),
        ]));
    let req = nlsim::rtnl::link::emit(
        RouteNetlinkMessage::NewLink(m),
        NLM_F_REQUEST | NLM_F_ACK | 0x600,
        9,
        0,
    );
    c.sock.send(&req).unwrap();
    let reply = c.sock.recv_timeout(2000).unwrap();
    assert_eq!(reply.len(), 36);
    let (_, _, flags, _, _) = header(&reply);
    assert_eq!(flags & 0x100, 0x100, "NLM_F_CAPPED");
    assert_eq!(
        i32::from_ne_bytes([reply[16], reply[17], reply[18], reply[19]]),
        -libc::EEXIST
    );
}

/// netlink_rcv_skb stops at a header with nlmsg_len < 16: iproute2's RTM_GETADDR buffer ends in
/// zeroes, and exactly one answer must come back.
#[test]
fn trailing_zero_header_is_ignored() {
    let sim = common::sim_with_nics(0);
    let sock = sim.connect().unwrap();
    let mut req = nlsim::rtnl::link::emit(
        RouteNetlinkMessage::GetLink(LinkMessage::default()),
        NLM_F_REQUEST | NLM_F_DUMP,
        5,
        0,
    );
    req.extend_from_slice(&[0u8; 64]);
    sock.send(&req).unwrap();
    let mut kinds = Vec::new();
    while let Ok(d) = sock.recv_timeout(300) {
        kinds.extend(messages(&d).into_iter().map(|(k, f, _)| (k, f)));
    }
    assert_eq!(
        kinds,
        [(16, NLM_F_MULTI), (3, NLM_F_MULTI)],
        "one link (lo), then DONE"
    );
}

/// rtnetlink_rcv_msg: types above RTM_MAX and unregistered types get EOPNOTSUPP; types the
/// kernel has but nlsim does not model are refused loudly with an `nlsim:` message.
#[test]
fn unknown_and_unmodelled_types() {
    let sim = common::sim_with_nics(0);
    let mut c = Client::new(&sim);
    let mut raw = vec![0u8; 32];
    raw[0..4].copy_from_slice(&32u32.to_ne_bytes());
    raw[4..6].copy_from_slice(&200u16.to_ne_bytes());
    raw[6..8].copy_from_slice(&(NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
    let a = c.request_raw(&raw, false);
    assert_eq!((a.errno, a.msg.as_deref()), (libc::EOPNOTSUPP, None));
    raw[4..6].copy_from_slice(&38u16.to_ne_bytes()); // RTM_GETQDISC
    let a = c.request_raw(&raw, false);
    assert_eq!(a.errno, libc::EOPNOTSUPP);
    assert_eq!(
        a.msg.as_deref(),
        Some("nlsim: traffic control (RTM_*QDISC/TCLASS/TFILTER) not modelled")
    );
    // RTM_GETMULTICAST is modelled for AF_INET6 only, as 6.12 registers it: AF_UNSPEC gets
    // the kernel's plain EOPNOTSUPP (golden/scenarios/maddr.sh CMD[38]).
    raw[4..6].copy_from_slice(&58u16.to_ne_bytes());
    let a = c.request_raw(&raw, false);
    assert_eq!((a.errno, a.msg.as_deref()), (libc::EOPNOTSUPP, None));
    // RTM_GETADDR is modelled: without NLM_F_DUMP and with family AF_UNSPEC no doit is
    // registered (only AF_INET6 has one), the kernel's bare EOPNOTSUPP.
    raw[4..6].copy_from_slice(&22u16.to_ne_bytes());
    let a = c.request_raw(&raw, false);
    assert_eq!((a.errno, a.msg.as_deref()), (libc::EOPNOTSUPP, None));
}

/// rtnl_valid_dump_ifinfo_req with NETLINK_GET_STRICT_CHK: non-zero header fields and
/// ifindex filters are refused with the kernel's messages (delivered as NLMSG_ERROR).
#[test]
fn strict_dump_header_checks() {
    let sim = common::sim_with_nics(1);
    let mut c = Client::new(&sim);
    c.sock.set_strict_chk(true).unwrap();
    let mut m = LinkMessage::default();
    m.header.index = 2;
    let a = c.request(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST | NLM_F_DUMP);
    assert_eq!(a.errno, libc::EINVAL);
    assert_eq!(
        a.msg.as_deref(),
        Some("Filter by device index not supported for link dumps")
    );
    let mut m = LinkMessage::default();
    m.header.change_mask = netlink_packet_route::link::LinkFlags::from_bits_retain(1);
    let a = c.request(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST | NLM_F_DUMP);
    assert_eq!(
        a.msg.as_deref(),
        Some("Invalid values in header for link dump request")
    );
    // Without strict checking the same dump is served, unfiltered.
    c.sock.set_strict_chk(false).unwrap();
    let mut m = LinkMessage::default();
    m.header.index = 2;
    let a = c.request(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST | NLM_F_DUMP);
    assert!(a.ok());
    assert_eq!(a.links().len(), 2);
}

/// Dumps are produced as the reader reads (netlink_dump), never more than NLMSG_GOODSIZE per
/// datagram unless one message is larger, every part NLM_F_MULTI, NLMSG_DONE alone; a
/// registration between two parts marks the next part NLM_F_DUMP_INTR
/// (nl_dump_check_consistent with net->dev_base_seq).
#[test]
fn lazy_dump_with_dump_intr() {
    let sim = common::sim_with_nics(0);
    let mut writer = Client::new(&sim);
    for i in 0..600 {
        assert!(writer.add_simple(&format!("d{i}"), "dummy").ok());
    }
    let reader = sim.connect().unwrap();
    let req = nlsim::rtnl::link::emit(
        RouteNetlinkMessage::GetLink(LinkMessage::default()),
        NLM_F_REQUEST | NLM_F_DUMP,
        77,
        0,
    );
    reader.send(&req).unwrap();
    let first = reader.recv_timeout(2000).unwrap();
    assert!(first.len() <= 3776, "datagram of {} bytes", first.len());
    // Let the server fill the socket, then change the namespace while the dump is running.
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(writer.add_simple("late", "dummy").ok());
    let mut all = messages(&first);
    let mut dgrams = 1;
    loop {
        let d = reader.recv_timeout(2000).unwrap();
        dgrams += 1;
        let msgs = messages(&d);
        let done = msgs.iter().any(|(k, _, _)| *k == 3);
        if done {
            assert_eq!(msgs.len(), 1, "NLMSG_DONE comes in its own datagram");
        }
        all.extend(msgs);
        if done {
            break;
        }
    }
    assert!(dgrams > 100, "the dump came in parts ({dgrams})");
    assert!(all.iter().all(|(_, f, _)| f & NLM_F_MULTI != 0));
    let links = all.iter().filter(|(k, _, _)| *k == 16).count();
    assert!(links >= 601, "lo and 600 dummies at least, got {links}");
    assert!(
        all.iter()
            .any(|(k, f, _)| *k == 16 && f & NLM_F_DUMP_INTR != 0),
        "a part after the change is marked"
    );
    let (_, done_flags, done) = all.last().unwrap().clone();
    assert_eq!(
        done_flags & NLM_F_DUMP_INTR,
        NLM_F_DUMP_INTR,
        "DONE reports the interruption"
    );
    assert_eq!(done.len(), 20, "DONE carries the int payload");
}

/// rtnl_notify to RTNLGRP_LINK: only joined sockets get notifications; pid 0, seq 0, flags 0,
/// and a created device is announced with ifi_change ~0 (rtnl_configure_link).
#[test]
fn notifications_to_joined_sockets_only() {
    let sim = common::sim_with_nics(0);
    let listener = sim.connect().unwrap();
    listener.bind(0, 1).unwrap(); // nl_groups bit 0 = RTNLGRP_LINK
    let silent = sim.connect().unwrap();
    silent.bind(0, 0).unwrap();
    let mut c = Client::new(&sim);
    assert!(c.add_simple("br0", "bridge").ok());
    let d = listener.recv_timeout(2000).unwrap();
    let (_, kind, flags, seq, pid) = header(&d);
    assert_eq!((kind, flags, seq, pid), (16, 0, 0, 0));
    let msg = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&d).unwrap();
    let NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(l)) = msg.payload else {
        panic!("{msg:?}")
    };
    assert_eq!(l.name(), "br0");
    assert_eq!(l.header.change_mask.bits(), u32::MAX);
    assert!(
        silent.recv_timeout(200).is_err(),
        "a socket without groups gets nothing"
    );
    assert!(c.del("br0").ok());
    let mut got_del = false;
    while let Ok(d) = listener.recv_timeout(300) {
        got_del |= header(&d).1 == 17;
    }
    assert!(got_del, "RTM_DELLINK announced");
}

/// nlmsg_notify with report (NLM_F_ECHO): the requester gets a unicast copy with its port id
/// and sequence number, even without joining the group.
#[test]
fn echo_reports_to_the_requester() {
    let sim = common::sim_with_nics(0);
    let c = Client::new(&sim);
    let mut m = LinkMessage::default();
    m.attributes
        .push(netlink_packet_route::link::LinkAttribute::IfName(
            "br9".into(),
        ));
    m.attributes
        .push(netlink_packet_route::link::LinkAttribute::LinkInfo(vec![
            netlink_packet_route::link::LinkInfo::Kind("bridge".into()),
        ]));
    let req = nlsim::rtnl::link::emit(
        RouteNetlinkMessage::NewLink(m),
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO | 0x600,
        4242,
        0,
    );
    c.sock.send(&req).unwrap();
    let d = c.sock.recv_timeout(2000).unwrap();
    let (_, kind, _, seq, pid) = header(&d);
    assert_eq!((kind, seq), (16, 4242));
    assert_eq!(pid, c.sock.portid().unwrap());
}

/// `bridge link show`: an AF_BRIDGE RTM_GETLINK dump lists only bridge ports
/// (rtnl_bridge_getlink → br_getlink), each as br_fill_ifinfo: family AF_BRIDGE, IFLA_MASTER,
/// and IFLA_PROTINFO (nested, NLA_F_NESTED set) with the port's IFLA_BRPORT_* attributes.
#[test]
fn bridge_link_dump_lists_ports() {
    let sim = common::sim_with_nics(2);
    let mut c = Client::new(&sim);
    assert!(c.add_simple("br0", "bridge").ok());
    assert!(c.master("eth0", "br0").ok());
    let mut m = LinkMessage::default();
    m.header.interface_family = netlink_packet_route::AddressFamily::Bridge;
    let req = nlsim::rtnl::link::emit(
        RouteNetlinkMessage::GetLink(m),
        NLM_F_REQUEST | NLM_F_DUMP,
        3,
        0,
    );
    c.sock.send(&req).unwrap();
    let mut msgs = Vec::new();
    loop {
        let d = c.sock.recv_timeout(2000).unwrap();
        let got = messages(&d);
        let done = got.iter().any(|(k, _, _)| *k == 3);
        msgs.extend(got);
        if done {
            break;
        }
    }
    let links: Vec<_> = msgs.iter().filter(|(k, _, _)| *k == 16).collect();
    assert_eq!(links.len(), 1, "only the port eth0");
    let bytes = &links[0].2;
    assert_eq!(bytes[16], 7, "ifi_family AF_BRIDGE");
    let l = match NetlinkMessage::<RouteNetlinkMessage>::deserialize(bytes)
        .unwrap()
        .payload
    {
        NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(l)) => l,
        other => panic!("{other:?}"),
    };
    assert_eq!(l.name(), "eth0");
    assert_eq!(l.master(), Some(c.index("br0")));
    // IFLA_PROTINFO (12) with NLA_F_NESTED, after IFNAME, MASTER, MTU, OPERSTATE, ADDRESS.
    let kinds: Vec<u16> = l
        .attributes
        .iter()
        .map(netlink_packet_core::Nla::kind)
        .collect();
    assert_eq!(kinds[..4], [3, 10, 4, 16]);
    assert!(kinds.contains(&(12 | 0x8000)), "{kinds:?}");
}
