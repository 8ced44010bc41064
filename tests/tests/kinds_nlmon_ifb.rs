//! Catalog rules NLMON-CREATE, NLMON-MAC, the nlmon parts of BR-ENSLAVE-NONETHER,
//! VLAN-CHALLENGED and MACVLAN-NONETHER (scenarios dummy-nlmon-names, bridge-enslave, vlan,
//! macvlan-lower, outcomes from kernel-transcripts/6.12), and ifb's setup (drivers/net/ifb.c,
//! the 6.18 host's stand-ins: MAC changes refused with EOPNOTSUPP).

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EADDRNOTAVAIL, EINVAL, EOPNOTSUPP};
use netlink_packet_route::link::{LinkAttribute, LinkLayerType, State};
use rules_support::*;
use stacked_support::*;

/// NLMON-CREATE (dummy-nlmon-names#5-#8, #10): `NOARP`, link/netlink without an address,
/// MTU 3776 (min 16, no max), qlen 1000; up → `NOARP,UP,LOWER_UP`, qdisc noqueue, UNKNOWN.
/// NLMON-MAC (#9): EOPNOTSUPP. Kernel: `nlmon_setup`, `nlmon_validate`, no
/// `ndo_set_mac_address`.
#[test]
fn nlmon_create_up_and_mac() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("nl0", "nlmon"));
    let l = link(&mut c, "nl0");
    assert_eq!(l.header.index, 5);
    assert_eq!(l.header.link_layer_type, LinkLayerType::Netlink);
    assert_eq!(l.flags(), IFF_NOARP);
    assert_eq!(l.mtu(), 3776);
    assert_eq!((l.min_mtu(), l.max_mtu()), (16, 0));
    assert!(l.mac().is_empty(), "no IFLA_ADDRESS: {l:?}");
    assert!(!l
        .attributes
        .iter()
        .any(|a| matches!(a, LinkAttribute::Broadcast(_))));
    assert_eq!(txqlen(&l), 1000);
    assert_eq!(l.operstate(), State::Down);
    assert_ok(&c.up("nl0"));
    let l = link(&mut c, "nl0");
    assert_eq!(l.flags(), IFF_NOARP | IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
    assert_eq!(l.qdisc(), "noqueue");
    assert_eq!(l.operstate(), State::Unknown);
    // #9: no ndo_set_mac_address.
    assert_err(
        &c.address("nl0", mac("02:00:00:00:00:01")),
        EOPNOTSUPP,
        None,
    );
    // #10: min_mtu 16, no maximum.
    assert_ok(&c.mtu("nl0", 100));
    assert_err(
        &c.mtu("nl0", 15),
        EINVAL,
        Some("mtu less than device minimum"),
    );
    assert_ok(&c.mtu("nl0", 70000));
    // nlmon_validate: IFLA_ADDRESS at creation → EINVAL.
    assert_err(
        &c.add(
            Some("nl1"),
            "nlmon",
            vec![LinkAttribute::Address(mac("02:00:00:00:00:02").to_vec())],
            None,
        ),
        EINVAL,
        None,
    );
    assert!(!exists(&mut c, "nl1"));
}

/// BR-ENSLAVE-NONETHER (bridge-enslave#15,#16), VLAN-CHALLENGED (vlan#17),
/// MACVLAN-NONETHER (macvlan-lower#21): nlmon is not an Ethernet device.
/// Kernel: `br_add_if`, `vlan_check_real_dev`, `macvlan_port_create`.
#[test]
fn nlmon_refused_as_lower_or_port() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("nl0", "nlmon"));
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_err(&c.master("nl0", "br0"), EINVAL, None);
    assert_err(
        &vlan(&mut c, "nl0", "nl0.5", 5, vec![]),
        EOPNOTSUPP,
        Some("8021q: VLANs not supported on device"),
    );
    assert_err(&macvlan(&mut c, "nl0", "mv0", None), EINVAL, None);
}

/// ifb (`ifb_setup`, `ifb_validate`): Ethernet with a random MAC, `BROADCAST,NOARP`, qlen 32,
/// no MTU limits, no `ndo_set_mac_address` (EOPNOTSUPP, as the 6.18 host's stand-ins show);
/// invalid IFLA_ADDRESS at creation → EADDRNOTAVAIL / EINVAL.
#[test]
fn ifb_create_and_mac() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("ifb0", "ifb"));
    let l = link(&mut c, "ifb0");
    assert_eq!(l.header.link_layer_type, LinkLayerType::Ether);
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!(l.mtu(), 1500);
    assert_eq!((l.min_mtu(), l.max_mtu()), (0, 0));
    assert_eq!(txqlen(&l), 32);
    let m = l.mac();
    assert_eq!(m.len(), 6);
    assert_eq!(m[0] & 0x03, 0x02, "random, locally administered: {m:?}");
    assert_err(
        &c.address("ifb0", mac("02:00:00:00:00:01")),
        EOPNOTSUPP,
        None,
    );
    assert_ok(&c.mtu("ifb0", 65536));
    assert_ok(&c.up("ifb0"));
    let l = link(&mut c, "ifb0");
    assert_eq!(l.flags() & (IFF_UP | IFF_LOWER_UP), IFF_UP | IFF_LOWER_UP);
    assert_eq!(
        c.add(
            Some("ifb1"),
            "ifb",
            vec![LinkAttribute::Address(vec![0; 6])],
            None
        )
        .errno,
        EADDRNOTAVAIL
    );
    assert_err(
        &c.add(
            Some("ifb1"),
            "ifb",
            vec![LinkAttribute::Address(vec![2, 0, 0, 0, 1])],
            None,
        ),
        EINVAL,
        None,
    );
}
