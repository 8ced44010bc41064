//! IPv4 / IPv6 neighbours (issue 13): AF_INET / AF_INET6 RTM_NEWNEIGH / RTM_DELNEIGH /
//! RTM_GETNEIGH and RTM_GETNEIGHTBL / RTM_SETNEIGHTBL as `ip neigh` / `ip ntable` send them,
//! on devices without addresses. Expected outcomes from golden/kernel/6.12/neigh.txt (`#N`:
//! its command numbers) and net/core/neighbour.c (`neigh_add`, `neigh_delete`,
//! `neigh_valid_get_req`, `neigh_valid_dump_req`, `neigh_fill_info`, `neightbl_fill_parms`).

mod common;

use common::{sim_with_nics, Client};
use netlink_packet_core::{
    NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::neighbour::{
    NeighbourAddress, NeighbourAttribute, NeighbourFlags, NeighbourHeader, NeighbourMessage,
    NeighbourState,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const NUD_REACHABLE: u16 = 0x02;
const NUD_STALE: u16 = 0x04;
const NUD_FAILED: u16 = 0x20;
const NUD_PERMANENT: u16 = 0x80;
const NTF_PROXY: u8 = 0x08;
const NTF_ROUTER: u8 = 0x80;

fn msg(ifindex: u32, dst: IpAddr, state: u16, flags: u8, ll: Option<[u8; 6]>) -> NeighbourMessage {
    let family = match dst {
        IpAddr::V4(_) => AddressFamily::Inet,
        IpAddr::V6(_) => AddressFamily::Inet6,
    };
    let mut m = NeighbourMessage::default();
    m.header = NeighbourHeader {
        family,
        ifindex,
        state: NeighbourState::from(state),
        flags: NeighbourFlags::from_bits_retain(flags),
        ..Default::default()
    };
    m.attributes
        .push(NeighbourAttribute::Destination(match dst {
            IpAddr::V4(a) => NeighbourAddress::Inet(a),
            IpAddr::V6(a) => NeighbourAddress::Inet6(a),
        }));
    if let Some(l) = ll {
        m.attributes
            .push(NeighbourAttribute::LinkLayerAddress(l.to_vec()));
    }
    m
}

fn v4(s: &str) -> IpAddr {
    IpAddr::V4(s.parse::<Ipv4Addr>().unwrap())
}
fn v6(s: &str) -> IpAddr {
    IpAddr::V6(s.parse::<Ipv6Addr>().unwrap())
}

const ADD: u16 = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
const REPLACE: u16 = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
const CHANGE: u16 = NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE;

fn neighbours(c: &mut Client, req: NeighbourMessage) -> Vec<NeighbourMessage> {
    c.request(
        RouteNetlinkMessage::GetNeighbour(req),
        NLM_F_REQUEST | NLM_F_DUMP,
    )
    .messages
    .into_iter()
    .filter_map(|m| match m.payload {
        NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNeighbour(n)) => Some(n),
        _ => None,
    })
    .collect()
}

fn state_of(ns: &[NeighbourMessage], dst: IpAddr) -> Option<u16> {
    ns.iter()
        .find(|n| {
            n.attributes.iter().any(|a| match (a, dst) {
                (NeighbourAttribute::Destination(NeighbourAddress::Inet(x)), IpAddr::V4(y)) => {
                    *x == y
                }
                (NeighbourAttribute::Destination(NeighbourAddress::Inet6(x)), IpAddr::V6(y)) => {
                    *x == y
                }
                _ => false,
            })
        })
        .map(|n| u16::from(n.header.state))
}

#[test]
fn add_replace_change_get_delete() {
    let sim = sim_with_nics(3);
    let mut c = Client::new(&sim);
    let eth0 = c.index("eth0");
    assert!(c.up("eth0").ok());
    // The scenario's `ip addr add 10.0.0.1/24 dev eth0`: arp_constructor asks the local table
    // for the type (without one every address is RTN_BROADCAST and needs no lladdr).
    let mut am = AddressMessage::default();
    am.header.family = AddressFamily::Inet;
    am.header.prefix_len = 24;
    am.header.index = eth0;
    am.attributes
        .push(AddressAttribute::Local(IpAddr::V4(Ipv4Addr::new(
            10, 0, 0, 1,
        ))));
    let a = c.request(
        RouteNetlinkMessage::NewAddress(am),
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    );
    assert!(a.ok(), "{a:?}");
    let ll = |x| Some([2, 0, 0, 0, 0, x]);
    for (ip, state) in [("10.0.0.2", NUD_PERMANENT), ("10.0.0.3", NUD_REACHABLE)] {
        let a = c.request(
            RouteNetlinkMessage::NewNeighbour(msg(eth0, v4(ip), state, 0, ll(3))),
            ADD,
        );
        assert!(a.ok(), "{ip}: {a:?}");
    }
    // #16: no lladdr.
    let a = c.request(
        RouteNetlinkMessage::NewNeighbour(msg(eth0, v4("10.0.0.9"), NUD_PERMANENT, 0, None)),
        ADD,
    );
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::EINVAL, Some("No link layer address given"))
    );
    // #17: router, IPv6.
    let a = c.request(
        RouteNetlinkMessage::NewNeighbour(msg(
            eth0,
            v6("2001:db8::2"),
            NUD_PERMANENT,
            NTF_ROUTER,
            ll(0x12),
        )),
        ADD,
    );
    assert!(a.ok(), "{a:?}");
    // #23 / #24.
    let dup = msg(eth0, v4("10.0.0.2"), NUD_REACHABLE, 0, ll(0x22));
    assert_eq!(
        c.request(RouteNetlinkMessage::NewNeighbour(dup.clone()), ADD)
            .errno,
        libc::EEXIST
    );
    assert!(c
        .request(RouteNetlinkMessage::NewNeighbour(dup), REPLACE)
        .ok());
    // #28: change of a missing entry.
    let a = c.request(
        RouteNetlinkMessage::NewNeighbour(msg(eth0, v4("10.0.0.99"), NUD_PERMANENT, 0, ll(9))),
        CHANGE,
    );
    assert_eq!(a.errno, libc::ENOENT);
    // A PF_UNSPEC dump walks arp then nd.
    let all = neighbours(&mut c, NeighbourMessage::default());
    assert_eq!(state_of(&all, v4("10.0.0.2")), Some(NUD_REACHABLE));
    assert_eq!(state_of(&all, v4("10.0.0.9")), Some(0));
    assert_eq!(state_of(&all, v6("2001:db8::2")), Some(NUD_PERMANENT));
    // #51 / #52: get.
    let mut g = msg(eth0, v4("10.0.0.2"), 0, 0, None);
    let a = c.request(
        RouteNetlinkMessage::GetNeighbour(g.clone()),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert!(a.ok());
    assert_eq!(a.messages.len(), 1);
    g.attributes = vec![NeighbourAttribute::Destination(NeighbourAddress::Inet(
        "10.0.0.99".parse().unwrap(),
    ))];
    let a = c.request(
        RouteNetlinkMessage::GetNeighbour(g),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::ENOENT, Some("Neighbour entry not found"))
    );
    // #60 / #61: delete.
    let del = msg(eth0, v4("10.0.0.2"), 0, 0, None);
    assert!(c
        .request(
            RouteNetlinkMessage::DelNeighbour(del.clone()),
            NLM_F_REQUEST | NLM_F_ACK
        )
        .ok());
    assert_eq!(
        c.request(
            RouteNetlinkMessage::DelNeighbour(del),
            NLM_F_REQUEST | NLM_F_ACK
        )
        .errno,
        libc::ENOENT
    );
    // #72: down flushes everything of the device, permanent entries included.
    assert!(c.down("eth0").ok());
    assert!(neighbours(&mut c, NeighbourMessage::default()).is_empty());
}

#[test]
fn proxy_dump_and_strict_dump_checks() {
    let sim = sim_with_nics(3);
    let mut c = Client::new(&sim);
    let eth0 = c.index("eth0");
    for (dev, ip) in [
        (eth0, v4("10.0.0.40")),
        (0, v4("10.0.0.41")),
        (eth0, v6("2001:db8::40")),
    ] {
        let a = c.request(
            RouteNetlinkMessage::NewNeighbour(msg(dev, ip, NUD_PERMANENT, NTF_PROXY, None)),
            ADD,
        );
        assert!(a.ok(), "{ip}: {a:?}");
    }
    let mut p = NeighbourMessage::default();
    p.header.flags = NeighbourFlags::from_bits_retain(NTF_PROXY);
    let got = neighbours(&mut c, p.clone());
    assert_eq!(got.len(), 3);
    assert!(got
        .iter()
        .all(|n| n.header.flags.bits() & NTF_PROXY != 0 && u16::from(n.header.state) == 0));
    p.header.family = AddressFamily::Inet6;
    assert_eq!(neighbours(&mut c, p).len(), 1);
    // A strict socket may not put an ifindex in the dump's header.
    c.sock.set_strict_chk(true).unwrap();
    let mut bad = NeighbourMessage::default();
    bad.header.ifindex = eth0;
    let mut h = netlink_packet_core::NetlinkHeader::default();
    h.flags = NLM_F_REQUEST | NLM_F_DUMP;
    h.sequence_number = 9;
    let mut m = netlink_packet_core::NetlinkMessage::new(
        h,
        NetlinkPayload::InnerMessage(RouteNetlinkMessage::GetNeighbour(bad)),
    );
    m.finalize();
    let mut buf = vec![0; m.buffer_len()];
    m.serialize(&mut buf);
    c.sock.send(&buf).unwrap();
    // The dump ends at once: NLMSG_DONE carrying -EINVAL (and the extack message).
    let d = c.sock.recv_timeout(500).expect("NLMSG_DONE");
    assert_eq!(u16::from_ne_bytes([d[4], d[5]]), 3);
    assert_eq!(
        i32::from_ne_bytes([d[16], d[17], d[18], d[19]]),
        -libc::EINVAL
    );
    let text = b"Invalid values in header for neighbor dump request";
    assert!(d.windows(text.len()).any(|w| w == text));
}

#[test]
fn notifications_carry_the_update_then_the_removal() {
    let sim = sim_with_nics(3);
    let mut c = Client::new(&sim);
    let mon = Client::new(&sim);
    mon.sock.add_membership(3).expect("RTNLGRP_NEIGH");
    let eth0 = c.index("eth0");
    let m = msg(eth0, v4("10.0.0.4"), NUD_STALE, 0, Some([2, 0, 0, 0, 0, 4]));
    assert!(c.request(RouteNetlinkMessage::NewNeighbour(m), ADD).ok());
    let del = msg(eth0, v4("10.0.0.4"), 0, 0, None);
    assert!(c
        .request(
            RouteNetlinkMessage::DelNeighbour(del),
            NLM_F_REQUEST | NLM_F_ACK
        )
        .ok());
    let mut got = Vec::new();
    while let Ok(d) = mon.sock.recv_timeout(300) {
        let mut pos = 0;
        while pos + 16 <= d.len() {
            let len = u32::from_ne_bytes([d[pos], d[pos + 1], d[pos + 2], d[pos + 3]]) as usize;
            let m = netlink_packet_core::NetlinkMessage::<RouteNetlinkMessage>::deserialize(
                &d[pos..pos + len],
            )
            .expect("parse notification");
            match m.payload {
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNeighbour(n)) => {
                    got.push(("new", u16::from(n.header.state)))
                }
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::DelNeighbour(n)) => {
                    got.push(("del", u16::from(n.header.state)))
                }
                _ => {}
            }
            pos += (len + 3) & !3;
        }
    }
    assert_eq!(
        got,
        vec![("new", NUD_STALE), ("new", NUD_FAILED), ("del", NUD_FAILED)]
    );
}

/// `ip ntable show` / `ip ntable change name arp_cache dev eth0 queue 8` (#76-#78): the
/// device's parms follow, the others keep theirs.
#[test]
fn ntable_dump_and_set() {
    let sim = sim_with_nics(3);
    let mut c = Client::new(&sim);
    let eth0 = c.index("eth0");
    // RTM_SETNEIGHTBL: ndtmsg, NDTA_NAME "arp_cache", NDTA_PARMS { IFINDEX, QUEUE_LEN 8 }.
    let mut body = vec![0u8, 0, 0, 0];
    let put = |b: &mut Vec<u8>, t: u16, v: &[u8]| {
        let len = 4 + v.len();
        b.extend_from_slice(&(len as u16).to_ne_bytes());
        b.extend_from_slice(&t.to_ne_bytes());
        b.extend_from_slice(v);
        b.resize(b.len() + ((len + 3) & !3) - len, 0);
    };
    put(&mut body, 1, b"arp_cache\0");
    let mut parms = Vec::new();
    put(&mut parms, 1, &eth0.to_ne_bytes());
    put(&mut parms, 8, &8u32.to_ne_bytes());
    put(&mut body, 6, &parms);
    let mut req = Vec::new();
    let len = 16 + body.len();
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&67u16.to_ne_bytes());
    req.extend_from_slice(&(NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
    req.extend_from_slice(&7u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&body);
    let a = c.request_raw(&req, false);
    assert!(a.ok(), "{a:?}");
    // RTM_GETNEIGHTBL dump of AF_INET: the table, then one parms message per device.
    let mut d = Vec::new();
    d.extend_from_slice(&20u32.to_ne_bytes());
    d.extend_from_slice(&66u16.to_ne_bytes());
    d.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    d.extend_from_slice(&8u32.to_ne_bytes());
    d.extend_from_slice(&0u32.to_ne_bytes());
    d.extend_from_slice(&[2, 0, 0, 0]);
    c.sock.send(&d).unwrap();
    let mut queue_by_ifindex = Vec::new();
    let mut tables = 0;
    'rx: while let Ok(dg) = c.sock.recv_timeout(500) {
        let mut pos = 0;
        while pos + 16 <= dg.len() {
            let len = u32::from_ne_bytes([dg[pos], dg[pos + 1], dg[pos + 2], dg[pos + 3]]) as usize;
            let kind = u16::from_ne_bytes([dg[pos + 4], dg[pos + 5]]);
            if kind == 3 {
                break 'rx;
            }
            assert_eq!(kind, 64, "RTM_NEWNEIGHTBL");
            let m = &dg[pos + 20..pos + len];
            let (mut ifindex, mut queue, mut i) = (None, None, 0);
            while i + 4 <= m.len() {
                let alen = u16::from_ne_bytes([m[i], m[i + 1]]) as usize;
                let t = u16::from_ne_bytes([m[i + 2], m[i + 3]]);
                if t == 5 {
                    tables += 1;
                }
                if t == 6 {
                    let n = &m[i + 4..i + alen];
                    let mut j = 0;
                    while j + 4 <= n.len() {
                        let nl = u16::from_ne_bytes([n[j], n[j + 1]]) as usize;
                        let nt = u16::from_ne_bytes([n[j + 2], n[j + 3]]);
                        let v = u32::from_ne_bytes([n[j + 4], n[j + 5], n[j + 6], n[j + 7]]);
                        match nt {
                            1 => ifindex = Some(v),
                            8 => queue = Some(v),
                            _ => {}
                        }
                        j += (nl + 3) & !3;
                    }
                }
                i += (alen + 3) & !3;
            }
            queue_by_ifindex.push((ifindex, queue));
            pos += (len + 3) & !3;
        }
    }
    assert_eq!(tables, 1);
    assert!(queue_by_ifindex.contains(&(None, Some(101))));
    assert!(queue_by_ifindex.contains(&(Some(eth0), Some(8))));
    assert!(queue_by_ifindex.contains(&(Some(c.index("eth1")), Some(101))));
}
