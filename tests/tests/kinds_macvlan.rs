//! Catalog rules MACVLAN-* and MACVTAP-* (plus the macvlan parts of MTU-STACKED and
//! DEL-CASCADE), scenarios macvlan-modes, macvlan-lower, macvtap-ipvtap, mtu, delete; outcomes
//! from kernel-transcripts/6.12. eth0..eth2 are **dummy** devices as in the oracle guests (a
//! dummy keeps carrier while admin-down, has max_mtu 0 and no IFF_UNICAST_FLT).

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EADDRINUSE, EBUSY, EINVAL};
use netlink_packet_route::link::{
    InfoData, InfoMacVlan, LinkAttribute, MacVlanMacAddressMode, MacVlanMode, State,
};
use rules_support::*;
use stacked_support::*;

/// MACVLAN-DEFAULT, MACVLAN-MODES-MIX, MACVLAN-PASSTHRU-EXCL, MACVLAN-PASSTHRU-TWO,
/// MACVLAN-PASSTHRU-MAC, MACVLAN-ON-MACVLAN, MACVLAN-LO / NONETHER (lo), MACVLAN-NOLINK,
/// MACVLAN-MODE-CHANGE (macvlan-modes#1-#26).
/// Kernel: `macvlan_common_newlink`, `macvlan_port_create`, `macvlan_changelink`.
#[test]
fn macvlan_modes_and_port_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    // #2, #3
    assert_ok(&macvlan(&mut c, "eth0", "mv0", None));
    let mv0 = link(&mut c, "mv0");
    assert_eq!(macvlan_mode(&mv0), MacVlanMode::Vepa);
    assert_ne!(mv0.mac(), mac("02:00:00:00:00:0a"));
    assert_eq!((mv0.mtu(), mv0.min_mtu(), mv0.max_mtu()), (1500, 68, 0));
    assert_eq!(mv0.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(txqlen(&mv0), 1000);
    let attrs = macvlan_attrs(&mv0);
    assert!(attrs.contains(&InfoMacVlan::BcQueueLen(1000)));
    assert!(attrs.contains(&InfoMacVlan::BcQueueLenUsed(1000)));
    assert!(attrs.contains(&InfoMacVlan::MacAddrCount(0)));
    // #4-#8
    for (n, m) in [
        ("mv1", MacVlanMode::Bridge),
        ("mv2", MacVlanMode::Private),
        ("mv3", MacVlanMode::Vepa),
        ("mv4", MacVlanMode::Source),
    ] {
        assert_ok(&macvlan(&mut c, "eth0", n, Some(m)));
        assert_eq!(macvlan_mode(&link(&mut c, n)), m);
    }
    // #9: passthru on a lower with macvlans.
    assert_err(
        &macvlan(&mut c, "eth0", "mvp", Some(MacVlanMode::Passthrough)),
        EINVAL,
        None,
    );
    // #10-#14: one passthru per lower, nothing else next to it; it takes the lower's MAC.
    assert_ok(&macvlan(
        &mut c,
        "eth1",
        "mvp1",
        Some(MacVlanMode::Passthrough),
    ));
    assert_err(
        &macvlan(&mut c, "eth1", "mvp2", Some(MacVlanMode::Passthrough)),
        EINVAL,
        None,
    );
    assert_err(
        &macvlan(&mut c, "eth1", "mvb", Some(MacVlanMode::Bridge)),
        EINVAL,
        None,
    );
    assert_eq!(link(&mut c, "mvp1").mac(), link(&mut c, "eth1").mac());
    // #15, #16: up; the lower stays down (its promiscuity is not a flag user space set).
    assert_ok(&c.up("mvp1"));
    let eth1 = link(&mut c, "eth1");
    assert!(!eth1.is_up());
    assert_eq!(eth1.flags() & IFF_PROMISC, 0);
    // #17, #18: on a macvlan, the real lower is used.
    assert_ok(&macvlan(&mut c, "mv0", "mvmv", None));
    assert_eq!(link(&mut c, "mvmv").iflink(), Some(2));
    // #19, #22
    assert_err(&macvlan(&mut c, "lo", "mvlo", None), EINVAL, None);
    assert_err(
        &c.add(Some("mvnolink"), "macvlan", vec![], None),
        EINVAL,
        None,
    );
    // #23-#26
    let set_mode = |c: &mut common::Client, n: &str, m| {
        set_data(
            c,
            n,
            "macvlan",
            InfoData::MacVlan(vec![InfoMacVlan::Mode(m)]),
        )
    };
    assert_ok(&set_mode(&mut c, "mv0", MacVlanMode::Private));
    assert_err(
        &set_mode(&mut c, "mv0", MacVlanMode::Passthrough),
        EINVAL,
        None,
    );
    assert_err(&set_mode(&mut c, "mvp1", MacVlanMode::Bridge), EINVAL, None);
    assert_eq!(macvlan_mode(&link(&mut c, "mv0")), MacVlanMode::Private);
}

/// MACVLAN-SOURCE-MACS, MACVLAN-MACADDR-NONSOURCE (macvlan-modes#27-#30): `remotes (2)` in
/// the kernel's `vlan_source_hash` order (02:..:52 before 02:..:51); del and flush.
/// Kernel: `macvlan_changelink_sources`, `macvlan_fill_info`.
#[test]
fn macvlan_source_mode_macaddr() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&macvlan(&mut c, "eth0", "mv1", Some(MacVlanMode::Bridge)));
    assert_ok(&macvlan(&mut c, "eth0", "mv4", Some(MacVlanMode::Source)));
    let (a, b) = (mac("02:00:00:00:00:51"), mac("02:00:00:00:00:52"));
    assert_ok(&macaddr(&mut c, "mv4", MacVlanMacAddressMode::Add, Some(a)));
    assert_ok(&macaddr(&mut c, "mv4", MacVlanMacAddressMode::Add, Some(b)));
    assert_err(
        &macaddr(
            &mut c,
            "mv1",
            MacVlanMacAddressMode::Add,
            Some(mac("02:00:00:00:00:53")),
        ),
        EINVAL,
        None,
    );
    let attrs = macvlan_attrs(&link(&mut c, "mv4"));
    assert!(attrs.contains(&InfoMacVlan::MacAddrCount(2)));
    assert!(attrs.contains(&InfoMacVlan::MacAddrData(vec![
        InfoMacVlan::MacAddr(b),
        InfoMacVlan::MacAddr(a)
    ])));
    assert_ok(&macaddr(&mut c, "mv4", MacVlanMacAddressMode::Del, Some(b)));
    assert!(macvlan_attrs(&link(&mut c, "mv4")).contains(&InfoMacVlan::MacAddrCount(1)));
    assert_ok(&macaddr(&mut c, "mv4", MacVlanMacAddressMode::Flush, None));
    assert!(macvlan_attrs(&link(&mut c, "mv4")).contains(&InfoMacVlan::MacAddrCount(0)));
    // `macaddr add` without a MAC: EINVAL from macvlan_changelink_sources.
    assert_err(
        &macaddr(&mut c, "mv4", MacVlanMacAddressMode::Add, None),
        EINVAL,
        None,
    );
}

/// MACVLAN-ADDR-LOWER, MACVLAN-ADDR-DUP (macvlan-modes#31-#40): clashes with the lower's MAC
/// or an up macvlan's are refused when opening and when setting the MAC while up.
/// Kernel: `macvlan_open` / `macvlan_set_mac_address` (`macvlan_addr_busy`).
#[test]
fn macvlan_mac_clashes() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&macvlan(&mut c, "eth0", "mv1", Some(MacVlanMode::Bridge)));
    assert_ok(&macvlan(&mut c, "eth0", "mv2", Some(MacVlanMode::Private)));
    let a = add_on(
        &mut c,
        "eth0",
        "mvdup",
        "macvlan",
        vec![LinkAttribute::Address(mac("02:00:00:00:00:0a").to_vec())],
        None,
    );
    assert_ok(&a);
    assert_ok(&c.up("eth0"));
    assert_err(&c.up("mvdup"), EADDRINUSE, None);
    assert_ok(&c.address("mv1", mac("02:00:00:00:00:11")));
    assert_ok(&c.address("mv2", mac("02:00:00:00:00:11")));
    assert_ok(&c.up("mv1"));
    assert_err(&c.up("mv2"), EADDRINUSE, None);
    assert_ok(&c.down("mv2"));
    assert_ok(&c.address("mv2", mac("02:00:00:00:00:11")));
    assert_err(&c.up("mv2"), EADDRINUSE, None);
    // Setting an up macvlan to a MAC in use.
    assert_ok(&c.address("mv2", mac("02:00:00:00:00:12")));
    assert_ok(&c.up("mv2"));
    assert_err(
        &c.address("mv2", mac("02:00:00:00:00:11")),
        EADDRINUSE,
        None,
    );
    assert_err(
        &c.address("mv2", mac("02:00:00:00:00:0a")),
        EADDRINUSE,
        None,
    );
    // Two up macvlans put their MACs in the dummy's unicast list: promiscuous once.
    assert_eq!(link(&mut c, "eth0").promiscuity(), 1);
}

/// MACVLAN-MTU-CREATE, MACVLAN-MTU-MAX, MACVLAN-MTU-SHRINK, MACVLAN-LOWER-DOWN (M-DOWN),
/// MACVLAN-ON-BRPORT, MACVLAN-ON-MASTER, MACVLAN-AS-PORT (bridge), MACVLAN-DEL-LOWER
/// (macvlan-lower#1-#29, #32, #33; updown#19-#28).
/// Kernel: `macvlan_common_newlink`, `macvlan_change_mtu`, `macvlan_device_event`,
/// `macvlan_port_create` (`netdev_rx_handler_register`), `br_add_if`.
#[test]
fn macvlan_lower_rules() {
    let (_sim, mut c) = dummy_sim();
    let a = add_on(
        &mut c,
        "eth0",
        "mv0",
        "macvlan",
        vec![LinkAttribute::Mtu(9000)],
        None,
    );
    assert_err(&a, EINVAL, None);
    assert_ok(&macvlan(&mut c, "eth0", "mv0", None));
    assert_err(&c.mtu("mv0", 1501), EINVAL, None);
    assert_ok(&c.mtu("mv0", 1400));
    assert_ok(&c.mtu("eth0", 1300));
    assert_eq!(link(&mut c, "mv0").mtu(), 1300);
    assert_ok(&c.mtu("eth0", 9000));
    assert_eq!(link(&mut c, "mv0").mtu(), 1300);
    assert_ok(&c.mtu("mv0", 9000));
    // #11-#16: up while the (dummy) lower is down: carrier copied, operstate UP.
    assert_ok(&c.up("mv0"));
    let mv0 = link(&mut c, "mv0");
    assert!(mv0.is_up() && mv0.has_carrier());
    assert_eq!(mv0.oper(), State::Up);
    assert_ok(&c.up("eth0"));
    assert_ok(&c.down("eth0"));
    let mv0 = link(&mut c, "mv0");
    assert!(mv0.is_up() && mv0.has_carrier());
    assert_eq!(mv0.oper(), State::Up);
    // #17-#20: the lower is a bridge port: EBUSY; on the bridge itself: ok.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth1", "br0"));
    assert_err(&macvlan(&mut c, "eth1", "mv1", None), EBUSY, None);
    assert_ok(&macvlan(&mut c, "br0", "mvbr", None));
    // #25: the lower has a macvlan: it cannot become a bridge port.
    assert_err(&c.master("eth0", "br0"), EBUSY, None);
    // #27-#29: the macvlan itself can.
    assert_ok(&c.down("mv0"));
    assert_ok(&c.master("mv0", "br0"));
    assert_ok(&c.nomaster("mv0"));
    // #32, #33
    assert_ok(&c.del("eth0"));
    assert!(!exists(&mut c, "mv0"));
    assert!(exists(&mut c, "mvbr"));
}

/// MACVTAP-CHARDEV (without the character device), MACVTAP-SHARES-PORT (macvtap-ipvtap#1-#7,
/// #14-#16): mode vepa, txqueuelen 500, a qdisc (fq_codel, the oracle's default) once up;
/// macvtap and macvlan share the lower's port and its passthru rules.
/// Kernel: `macvtap_setup`, `macvtap_newlink` → `macvlan_common_newlink`.
#[test]
fn macvtap_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&macvtap(&mut c, "eth0", "mvt0", None));
    let t = link(&mut c, "mvt0");
    assert_eq!(t.kind().as_deref(), Some("macvtap"));
    assert_eq!(macvlan_mode(&t), MacVlanMode::Vepa);
    assert_eq!(txqlen(&t), 500);
    assert_eq!((t.min_mtu(), t.max_mtu()), (68, 0));
    assert_err(
        &macvtap(&mut c, "eth0", "mvt1", Some(MacVlanMode::Passthrough)),
        EINVAL,
        None,
    );
    assert_ok(&macvlan(&mut c, "eth0", "mv0", None));
    assert_ok(&macvtap(
        &mut c,
        "eth1",
        "mvt2",
        Some(MacVlanMode::Passthrough),
    ));
    assert_err(&macvtap(&mut c, "eth1", "mvt3", None), EINVAL, None);
    assert_ok(&c.up("mvt0"));
    let t = link(&mut c, "mvt0");
    assert_eq!(t.qdisc(), "fq_codel");
    assert_eq!(t.oper(), State::Up);
    // A macvtap consumes its own frames: it cannot be a bridge port.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_err(&c.master("mvt0", "br0"), EBUSY, None);
    assert_ok(&c.del("mvt0"));
    assert!(!exists(&mut c, "mvt0"));
    // MACVLAN-DEL-LOWER / DEL-CASCADE: macvtaps go with the lower too.
    assert_ok(&c.del("eth1"));
    assert!(!exists(&mut c, "mvt2"));
}

/// The last macvlan leaving releases the lower's rx_handler: the lower can then be a bridge
/// port (macvlan_uninit → macvlan_port_destroy).
#[test]
fn macvlan_port_released_with_last_macvlan() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&macvlan(&mut c, "eth0", "mv0", None));
    assert_ok(&macvlan(&mut c, "eth0", "mv1", None));
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.del("mv0"));
    assert_err(&c.master("eth0", "br0"), EBUSY, None);
    assert_ok(&c.del("mv1"));
    assert_ok(&c.master("eth0", "br0"));
}
