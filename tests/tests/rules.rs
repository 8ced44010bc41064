//! Policy routing rules over the wire: RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE built and
//! parsed by netlink-packet-route against the simulator, and the RTM_NEWRULE notification of
//! RTNLGRP_IPV4_RULE. Outcomes from golden/kernel/6.12/rules.txt (the real `ip rule` and
//! `ip netconf` run under `nlsim run` in sim/tests/run_rules.rs).

mod common;

use common::{sim_with_nics, Client};
use netlink_packet_core::{
    NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};
use netlink_packet_route::rule::{
    RuleAction, RuleAttribute, RuleFlags, RuleHeader, RuleMessage, RulePortRange,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use std::net::{IpAddr, Ipv4Addr};

const RTNLGRP_IPV4_RULE: u32 = 8;

fn rule(family: AddressFamily, action: RuleAction, attrs: Vec<RuleAttribute>) -> RuleMessage {
    let mut m = RuleMessage::default();
    m.header = RuleHeader {
        family,
        action,
        ..Default::default()
    };
    m.attributes = attrs;
    m
}

fn from_10_8(table: u32, prio: Option<u32>) -> RuleMessage {
    let mut attrs = vec![
        RuleAttribute::Table(table),
        RuleAttribute::Source(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 0))),
    ];
    if let Some(p) = prio {
        attrs.push(RuleAttribute::Priority(p));
    }
    let mut m = rule(AddressFamily::Inet, RuleAction::ToTable, attrs);
    m.header.src_len = 8;
    m
}

fn dump(c: &mut Client, family: AddressFamily) -> Vec<RuleMessage> {
    let a = c.request(
        RouteNetlinkMessage::GetRule(rule(family, RuleAction::Unspec, vec![])),
        NLM_F_REQUEST | NLM_F_DUMP,
    );
    assert!(a.ok(), "{a:?}");
    a.messages
        .iter()
        .filter_map(|m| match &m.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRule(r)) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn prio(r: &RuleMessage) -> u32 {
    r.attributes
        .iter()
        .find_map(|a| match a {
            RuleAttribute::Priority(p) => Some(*p),
            _ => None,
        })
        .unwrap_or(0)
}

const ADD: u16 = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE;

/// The dump: the defaults with FRA_TABLE, FRA_SUPPRESS_PREFIXLEN, FRA_PROTOCOL first (rules
/// CMD[3], CMD[4]); AF_UNSPEC lists IPv4, IPMR, IP6MR, IPv6.
#[test]
fn defaults_dump_per_family_and_all() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let v4 = dump(&mut c, AddressFamily::Inet);
    assert_eq!(v4.iter().map(prio).collect::<Vec<_>>(), [0, 32766, 32767]);
    assert_eq!(
        v4[1].attributes[..2],
        [
            RuleAttribute::Table(254),
            RuleAttribute::SuppressPrefixLen(u32::MAX)
        ]
    );
    let v6 = dump(&mut c, AddressFamily::Inet6);
    assert_eq!(v6.iter().map(prio).collect::<Vec<_>>(), [0, 32766]);
    let all = dump(&mut c, AddressFamily::Unspec);
    assert_eq!(all.len(), 3 + 1 + 1 + 2);
    assert_eq!(all[3].header.family, AddressFamily::Other(128));
    assert_eq!(all[5].header.family, AddressFamily::Inet6);
}

/// Add, EXCL duplicate, errors with extack, delete and ENOENT (rules CMD[6]-[22], [43],
/// [68]), with the notification to RTNLGRP_IPV4_RULE.
#[test]
fn add_excl_errors_delete_and_notify() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let mon = sim.connect().expect("monitor");
    mon.add_membership(RTNLGRP_IPV4_RULE).expect("join");
    let a = c.request(RouteNetlinkMessage::NewRule(from_10_8(100, Some(100))), ADD);
    assert!(a.ok(), "{a:?}");
    let note = mon.recv_timeout(2000).expect("RTM_NEWRULE notification");
    assert_eq!(u16::from_ne_bytes([note[4], note[5]]), 32);
    let a = c.request(
        RouteNetlinkMessage::NewRule(from_10_8(100, Some(100))),
        ADD | NLM_F_EXCL,
    );
    assert_eq!((a.errno, a.msg.as_deref()), (libc::EEXIST, None));
    // No priority: one below the second rule's (now the one at 100).
    assert!(c
        .request(RouteNetlinkMessage::NewRule(from_10_8(100, None)), ADD)
        .ok());
    let v4 = dump(&mut c, AddressFamily::Inet);
    assert_eq!(
        v4.iter().map(prio).collect::<Vec<_>>(),
        [0, 99, 100, 32766, 32767]
    );
    let mut bad = rule(
        AddressFamily::Inet,
        RuleAction::ToTable,
        vec![
            RuleAttribute::Table(112),
            RuleAttribute::DestinationPortRange(RulePortRange {
                start: 2000,
                end: 1000,
            }),
        ],
    );
    let a = c.request(RouteNetlinkMessage::NewRule(bad.clone()), ADD);
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::EINVAL, Some("Invalid dport range"))
    );
    bad.attributes.truncate(1);
    bad.header.tos = 0x20;
    let a = c.request(RouteNetlinkMessage::NewRule(bad), ADD);
    assert_eq!(
        (a.errno, a.msg.as_deref()),
        (libc::EINVAL, Some("Invalid tos"))
    );
    // Delete by priority; a second time: ENOENT.
    let del = rule(
        AddressFamily::Inet,
        RuleAction::Unspec,
        vec![RuleAttribute::Priority(100)],
    );
    let a = c.request(
        RouteNetlinkMessage::DelRule(del.clone()),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert!(a.ok(), "{a:?}");
    let a = c.request(RouteNetlinkMessage::DelRule(del), NLM_F_REQUEST | NLM_F_ACK);
    assert_eq!(a.errno, libc::ENOENT);
}

/// iif binding shows as FIB_RULE_IIF_DETACHED until the device exists (rules CMD[11]).
#[test]
fn an_iif_rule_is_detached_until_its_device_appears() {
    let sim = sim_with_nics(1);
    let mut c = Client::new(&sim);
    let r = rule(
        AddressFamily::Inet,
        RuleAction::ToTable,
        vec![
            RuleAttribute::Table(104),
            RuleAttribute::Iifname("dum0".into()),
        ],
    );
    assert!(c.request(RouteNetlinkMessage::NewRule(r), ADD).ok());
    let detached = |c: &mut Client| {
        dump(c, AddressFamily::Inet)[1]
            .header
            .flags
            .contains(RuleFlags::from_bits_retain(0x8))
    };
    assert!(detached(&mut c));
    assert!(c.add_simple("dum0", "dummy").ok());
    assert!(!detached(&mut c));
}
