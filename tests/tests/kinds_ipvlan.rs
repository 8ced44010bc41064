//! Catalog rules IPVLAN-* and IPVTAP (without IPVLAN-ADDR-DUP, which needs addresses), plus
//! the ipvlan parts of MTU-STACKED and DEL-CASCADE; scenarios ipvlan, ipvlan-port-mode,
//! macvtap-ipvtap, stacked-on-veth, updown, mtu, delete; outcomes from
//! kernel-transcripts/6.12. eth0..eth2 are **dummy** devices as in the oracle guests.

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EBUSY, EINVAL, EOPNOTSUPP};
use netlink_packet_route::link::{IpVlanFlags, IpVlanMode, State};
use rules_support::*;
use stacked_support::*;

const PRIVATE: u16 = 1;
const VEPA: u16 = 2;

/// IPVLAN-DEFAULT, IPVLAN-MODES, IPVLAN-MODE-PER-PORT, IPVLAN-AFTER-MACVLAN,
/// MACVLAN-AFTER-IPVLAN, IPVLAN-LO, IPVLAN-ON-IPVLAN, IPVLAN-BRPORT (ipvlan#1-#19).
/// Kernel: `ipvlan_link_new`, `ipvlan_set_port_mode`, `ipvlan_port_create` / `macvlan_port_create`
/// (`netdev_rx_handler_register`), `br_add_if`.
#[test]
fn ipvlan_modes_and_exclusion() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&ipvlan(&mut c, "eth0", "ipv0", Some(IpVlanMode::L2), None));
    let (eth0, ipv0) = (link(&mut c, "eth0"), link(&mut c, "ipv0"));
    assert_eq!(ipvlan_info(&ipv0), (IpVlanMode::L2, 0));
    assert_eq!(ipv0.mac(), eth0.mac());
    assert_eq!((ipv0.min_mtu(), ipv0.max_mtu()), (68, 65535));
    assert_eq!(ipv0.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_ok(&ipvlan(&mut c, "eth0", "ipv1", Some(IpVlanMode::L3), None));
    assert_ok(&ipvlan(&mut c, "eth0", "ipv2", Some(IpVlanMode::L3S), None));
    assert_ok(&ipvlan(&mut c, "eth0", "ipv3", None, None));
    assert_eq!(ipvlan_info(&link(&mut c, "ipv3")).0, IpVlanMode::L3);
    assert_ok(&ipvlan(
        &mut c,
        "eth0",
        "ipv4",
        Some(IpVlanMode::L2),
        Some(IpVlanFlags::from_bits_retain(PRIVATE)),
    ));
    assert_ok(&ipvlan(
        &mut c,
        "eth0",
        "ipv5",
        Some(IpVlanMode::L2),
        Some(IpVlanFlags::from_bits_retain(VEPA)),
    ));
    // #8: every ipvlan of the lower shows the last mode and flags.
    for n in ["ipv0", "ipv1", "ipv2", "ipv3", "ipv4", "ipv5"] {
        assert_eq!(ipvlan_info(&link(&mut c, n)), (IpVlanMode::L2, VEPA), "{n}");
    }
    // Both flags at once: ipvlan_nl_validate.
    assert_err(
        &ipvlan(
            &mut c,
            "eth0",
            "ipvx",
            None,
            Some(IpVlanFlags::from_bits_retain(PRIVATE | VEPA)),
        ),
        EINVAL,
        None,
    );
    // #10-#12
    assert_err(&macvlan(&mut c, "eth0", "mv0", None), EBUSY, None);
    assert_ok(&macvlan(&mut c, "eth1", "mv1", None));
    assert_err(&ipvlan(&mut c, "eth1", "ipv6x", None, None), EBUSY, None);
    // #13
    assert_err(&ipvlan(&mut c, "lo", "ipvlo", None, None), EINVAL, None);
    // #14, #15: on an ipvlan: the real lower (and the default l3 mode for the whole port).
    assert_ok(&ipvlan(&mut c, "ipv0", "ipvipv", None, None));
    let l = link(&mut c, "ipvipv");
    assert_eq!(l.iflink(), Some(2));
    assert_eq!(l.mac(), link(&mut c, "eth0").mac());
    // #16-#19
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_err(&c.master("eth0", "br0"), EBUSY, None);
    assert_ok(&c.master("eth2", "br0"));
    assert_err(&ipvlan(&mut c, "eth2", "ipvb", None, None), EBUSY, None);
    // An ipvlan (IFF_NO_RX_HANDLER) cannot be a bridge port; a vlan cannot sit on it
    // (NETIF_F_VLAN_CHALLENGED).
    assert_err(&c.master("ipv1", "br0"), EINVAL, None);
    assert_err(
        &vlan(&mut c, "ipv1", "ipv1.5", 5, vec![]),
        EOPNOTSUPP,
        Some("8021q: VLANs not supported on device"),
    );
}

/// IPVLAN-MODE-PER-PORT, IPVLAN-NOARP-QUIRK (ipvlan-port-mode#1-#14): switching the port to l3
/// sets NOARP on the ipvlans already on it, not on the one being created; l2 clears it.
/// Kernel: `ipvlan_set_port_mode` runs before `list_add_tail_rcu(&ipvlan->pnode, ...)`.
#[test]
fn ipvlan_port_mode_noarp_quirk() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&ipvlan(
        &mut c,
        "eth0",
        "ipa",
        Some(IpVlanMode::L2),
        Some(IpVlanFlags::empty()),
    ));
    assert_eq!(ipvlan_info(&link(&mut c, "ipa")), (IpVlanMode::L2, 0));
    assert_ok(&ipvlan(
        &mut c,
        "eth0",
        "ipb",
        Some(IpVlanMode::L3),
        Some(IpVlanFlags::from_bits_retain(PRIVATE)),
    ));
    assert_eq!(ipvlan_info(&link(&mut c, "ipa")), (IpVlanMode::L3, PRIVATE));
    assert_eq!(ipvlan_info(&link(&mut c, "ipb")), (IpVlanMode::L3, PRIVATE));
    assert_eq!(link(&mut c, "ipa").flags() & IFF_NOARP, IFF_NOARP);
    assert_eq!(link(&mut c, "ipb").flags() & IFF_NOARP, 0);
    // #8, #9: `ip link set ipa type ipvlan mode l3s`: iproute2 sends IFLA_IPVLAN_FLAGS (0)
    // with the mode, so the port's PRIVATE goes too (`l3s bridge` on ipb).
    let d = ipvlan_data(Some(IpVlanMode::L3S), Some(IpVlanFlags::empty()));
    assert_ok(&set_data(&mut c, "ipa", "ipvlan", d.expect("data")));
    assert_eq!(ipvlan_info(&link(&mut c, "ipb")), (IpVlanMode::L3S, 0));
    let d = ipvlan_data(Some(IpVlanMode::L2), Some(IpVlanFlags::empty()));
    assert_ok(&set_data(&mut c, "ipa", "ipvlan", d.expect("data")));
    for n in ["ipa", "ipb"] {
        let l = link(&mut c, n);
        assert_eq!(l.flags(), IFF_BROADCAST | IFF_MULTICAST, "{n}");
        assert_eq!(ipvlan_info(&l), (IpVlanMode::L2, 0), "{n}");
    }
    // Opening in l3 sets NOARP directly.
    let d = ipvlan_data(Some(IpVlanMode::L3), None);
    assert_ok(&set_data(&mut c, "ipa", "ipvlan", d.expect("data")));
    assert_ok(&c.up("ipa"));
    assert_eq!(link(&mut c, "ipa").flags() & IFF_NOARP, IFF_NOARP);
}

/// IPVLAN-MAC, IPVLAN-MTU, IPVLAN-DEL-LOWER, MTU-STACKED (ipvlan#20-#22, #28-#33): the MAC
/// cannot be set and follows the lower (`permaddr` keeps the creation MAC); MTU up to 65535
/// above a dummy lower, lowered with it; deleted with the lower.
/// Kernel: no `ndo_set_mac_address`; `ipvlan_device_event` NETDEV_CHANGEADDR /
/// NETDEV_CHANGEMTU (`ipvlan_adjust_mtu`) / NETDEV_UNREGISTER.
#[test]
fn ipvlan_mac_mtu_delete() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&ipvlan(&mut c, "eth0", "ipv0", Some(IpVlanMode::L2), None));
    assert_ok(&ipvlan(&mut c, "eth0", "ipv1", Some(IpVlanMode::L3), None));
    let orig = link(&mut c, "eth0").mac();
    assert_err(
        &c.address("ipv0", mac("02:00:00:00:00:33")),
        EOPNOTSUPP,
        None,
    );
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:44")));
    let l = link(&mut c, "ipv0");
    assert_eq!(l.mac(), mac("02:00:00:00:00:44"));
    assert_eq!(perm_addr(&l), Some(orig));
    assert_eq!(l.flags() & IFF_NOARP, IFF_NOARP);
    let d = ipvlan_data(Some(IpVlanMode::L2), None);
    assert_ok(&set_data(&mut c, "ipv1", "ipvlan", d.expect("data")));
    assert_ok(&c.mtu("ipv0", 9000));
    assert_ok(&c.mtu("eth0", 1400));
    let l = link(&mut c, "ipv0");
    assert_eq!(l.mtu(), 1400);
    assert_eq!(l.flags() & IFF_NOARP, 0);
    assert_ok(&c.del("eth0"));
    assert!(!exists(&mut c, "ipv0") && !exists(&mut c, "ipv1"));
    // The port is gone with its devices: eth1 takes a macvlan again.
    assert_ok(&ipvlan(&mut c, "eth1", "iv", None, None));
    assert_ok(&c.del("iv"));
    assert_ok(&macvlan(&mut c, "eth1", "mv", None));
}

/// IPVLAN-LOWER-NOCARRIER (stacked-on-veth#22-#26): up on a veth without carrier:
/// NO-CARRIER, LOWERLAYERDOWN, M-DOWN.
/// Kernel: `ipvlan_init` copies the lower's carrier; `default_operstate`.
#[test]
fn ipvlan_on_veth_without_carrier() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_veth("vc", "vd"));
    assert_ok(&ipvlan(&mut c, "vc", "iv", Some(IpVlanMode::L2), None));
    assert_ok(&c.up("iv"));
    let l = link(&mut c, "iv");
    assert!(l.is_up() && !l.has_carrier());
    assert_eq!(l.oper(), State::LowerLayerDown);
    assert!(!carrier(&l));
}

/// IPVTAP (macvtap-ipvtap#8-#13): ipvtap l2 (txqueuelen 500), ipvlan coexists on the same
/// lower, macvlan and macvtap are refused (EBUSY).
/// Kernel: `ipvtap_setup`, `ipvtap_newlink` → `ipvlan_link_new`.
#[test]
fn ipvtap_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&ipvtap(&mut c, "eth2", "ivt0", IpVlanMode::L2));
    let t = link(&mut c, "ivt0");
    assert_eq!(t.kind().as_deref(), Some("ipvtap"));
    assert_eq!(ipvlan_info(&t), (IpVlanMode::L2, 0));
    assert_eq!(txqlen(&t), 500);
    assert_eq!((t.min_mtu(), t.max_mtu()), (68, 65535));
    assert_ok(&ipvlan(&mut c, "eth2", "iv0", None, None));
    assert_eq!(ipvlan_info(&link(&mut c, "ivt0")).0, IpVlanMode::L3);
    assert_err(&macvlan(&mut c, "eth2", "mv2", None), EBUSY, None);
    assert_err(&macvtap(&mut c, "eth2", "mvt4", None), EBUSY, None);
    assert_ok(&c.up("ivt0"));
    assert_eq!(link(&mut c, "ivt0").qdisc(), "fq_codel");
}
