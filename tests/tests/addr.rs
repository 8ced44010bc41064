//! Addresses over the wire (net/ipv4/devinet.c, net/ipv6/addrconf.c): RTM_NEWADDR /
//! RTM_DELADDR / RTM_GETADDR as a client sees them — errors with their extack, the dump order
//! (AF_INET before AF_INET6, `rtnl_dump_all`), the ifindex filter and RTM_GETADDR of one
//! IPv6 address.

mod common;

use common::*;
use netlink_packet_core::{
    NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use std::net::IpAddr;

fn addr_msg(index: u32, a: &str, plen: u8) -> AddressMessage {
    let ip: IpAddr = a.parse().unwrap();
    let mut m = AddressMessage::default();
    m.header.family = if ip.is_ipv4() {
        AddressFamily::Inet
    } else {
        AddressFamily::Inet6
    };
    m.header.prefix_len = plen;
    m.header.index = index;
    if ip.is_ipv4() {
        m.attributes.push(AddressAttribute::Local(ip));
    }
    m.attributes.push(AddressAttribute::Address(ip));
    m
}

fn add(c: &mut Client, index: u32, a: &str, plen: u8) -> Answer {
    c.request(
        RouteNetlinkMessage::NewAddress(addr_msg(index, a, plen)),
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    )
}

fn dump(c: &mut Client, family: AddressFamily) -> Vec<(u32, IpAddr)> {
    let mut m = AddressMessage::default();
    m.header.family = family;
    let a = c.request(
        RouteNetlinkMessage::GetAddress(m),
        NLM_F_REQUEST | NLM_F_DUMP,
    );
    assert!(a.ok(), "{a:?}");
    a.messages
        .iter()
        .filter_map(|m| match &m.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewAddress(a)) => {
                let ip = a.attributes.iter().find_map(|x| match x {
                    AddressAttribute::Local(ip) => Some(*ip),
                    _ => None,
                });
                let ip = ip.or_else(|| {
                    a.attributes.iter().find_map(|x| match x {
                        AddressAttribute::Address(ip) => Some(*ip),
                        _ => None,
                    })
                })?;
                Some((a.header.index, ip))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn add_errors_and_dump_order() {
    let sim = sim_with_nics(3);
    let mut c = Client::new(&sim);
    let eth0 = c.index("eth0");
    assert!(add(&mut c, eth0, "2001:db8::1", 64).ok());
    assert!(add(&mut c, eth0, "192.0.2.1", 24).ok());
    let dup = add(&mut c, eth0, "192.0.2.1", 24);
    assert_eq!(dup.errno, libc::EEXIST);
    assert_eq!(dup.msg.as_deref(), Some("ipv4: Address already assigned"));
    let dup6 = add(&mut c, eth0, "2001:db8::1", 128);
    assert_eq!(dup6.errno, libc::EEXIST);
    assert_eq!(dup6.msg.as_deref(), Some("ipv6: address already assigned"));
    let mc = add(&mut c, eth0, "ff02::1", 64);
    assert_eq!(mc.errno, libc::EADDRNOTAVAIL);
    let nodev = add(&mut c, 99, "192.0.2.9", 24);
    assert_eq!(nodev.errno, libc::ENODEV);
    assert_eq!(nodev.msg.as_deref(), Some("ipv4: Device not found"));
    // rtnl_dump_all: AF_INET's dump, then AF_INET6's.
    let all = dump(&mut c, AddressFamily::Unspec);
    assert_eq!(
        all,
        vec![
            (eth0, "192.0.2.1".parse().unwrap()),
            (eth0, "2001:db8::1".parse().unwrap()),
        ]
    );
    assert_eq!(dump(&mut c, AddressFamily::Inet6).len(), 1);
    // Deleting a missing IPv4 address.
    let mut d = addr_msg(eth0, "192.0.2.9", 24);
    d.header.family = AddressFamily::Inet;
    let a = c.request(
        RouteNetlinkMessage::DelAddress(d),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert_eq!(a.errno, libc::EADDRNOTAVAIL);
    assert_eq!(a.msg.as_deref(), Some("ipv4: Address not found"));
}

#[test]
fn getaddr_of_one_ipv6_address() {
    let sim = sim_with_nics(2);
    let mut c = Client::new(&sim);
    let eth1 = c.index("eth1");
    assert!(add(&mut c, eth1, "2001:db8::5", 64).ok());
    let a = c.request(
        RouteNetlinkMessage::GetAddress(addr_msg(0, "2001:db8::5", 0)),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert!(a.ok(), "{a:?}");
    assert_eq!(a.messages.len(), 1);
    let a = c.request(
        RouteNetlinkMessage::GetAddress(addr_msg(0, "2001:db8::6", 0)),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert_eq!(a.errno, libc::EADDRNOTAVAIL);
}
