//! Catalog rules VLAN-* (and the vlan parts of MTU-STACKED, OPER-*, DEL-CASCADE), scenarios
//! vlan, vlan-mac, updown, stacked-on-veth, mtu and delete, outcomes from
//! kernel-transcripts/6.12. As in the oracle guests, eth0..eth2 are **dummy** devices (carrier
//! kept while admin-down, no MTU limits, NOARP), created first so that ifindexes match.

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EEXIST, EINVAL, ENETDOWN, EOPNOTSUPP, EPROTONOSUPPORT, ERANGE};
use netlink_packet_route::link::{State, VlanProtocol};
use rules_support::*;
use stacked_support::*;

const REORDER_HDR: u32 = 0x1;
const LOOSE_BINDING: u32 = 0x4;

/// VLAN-CREATE, VLAN-DUP-ID, VLAN-PROTO-ID, VLAN-DUP-NAME, VLAN-ID0 / VLAN-ID4094, VLAN-ID4095,
/// VLAN-PROTO-BAD, VLAN-NOLINK, VLAN-NOID, VLAN-ON-VLAN, VLAN-CHALLENGED (lo), VLAN-ON-MASTER
/// (bridge) — vlan#1-#19.
/// Kernel: `vlan_validate`, `vlan_newlink`, `vlan_check_real_dev`, `register_netdevice`.
#[test]
fn vlan_create_rules() {
    let (_sim, mut c) = dummy_sim();
    // #1, #2: 802.1Q, REORDER_HDR, parent's MAC and MTU and flags (NOARP from the dummy).
    assert_ok(&vlan(&mut c, "eth0", "eth0.10", 10, vec![]));
    let (eth0, v) = (link(&mut c, "eth0"), link(&mut c, "eth0.10"));
    assert_eq!(v.header.index, 5);
    assert_eq!(vlan_info(&v), (VlanProtocol::Ieee8021Q, 10, REORDER_HDR));
    assert_eq!(v.mac(), eth0.mac());
    assert_eq!(v.mtu(), 1500);
    assert_eq!(v.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!((v.min_mtu(), v.max_mtu()), (0, 65535));
    assert_eq!(v.iflink(), Some(2));
    assert_eq!(v.qdisc(), "noop");
    // #3: same id and protocol.
    assert_err(
        &vlan(&mut c, "eth0", "v10b", 10, vec![]),
        EEXIST,
        Some("8021q: VLAN device already exists"),
    );
    // #4: the id is unique per protocol.
    assert_ok(&vlan(&mut c, "eth0", "v10ad", 10, vec![proto_ad()]));
    assert_eq!(
        vlan_info(&link(&mut c, "v10ad")).0,
        VlanProtocol::Ieee8021Ad
    );
    // #5: existing name, another id: register_netdevice's EEXIST, no extack.
    assert_err(&vlan(&mut c, "eth0", "eth0.10", 11, vec![]), EEXIST, None);
    // #6-#9
    assert_ok(&vlan(&mut c, "eth0", "v0", 0, vec![]));
    assert_ok(&vlan(&mut c, "eth0", "v4094", 4094, vec![]));
    for id in [4095, 4096] {
        assert_err(
            &vlan(&mut c, "eth0", "v4095", id, vec![]),
            ERANGE,
            Some("8021q: Invalid VLAN id"),
        );
    }
    // #10
    assert_err(
        &vlan(&mut c, "eth0", "vp", 7, vec![proto_raw(0x88e7)]),
        EPROTONOSUPPORT,
        Some("8021q: Invalid VLAN protocol"),
    );
    // #11: no IFLA_LINK.
    let a = c.add(
        Some("vnolink"),
        "vlan",
        vec![],
        Some(netlink_packet_route::link::InfoData::Vlan(vec![
            netlink_packet_route::link::InfoVlan::Id(5),
        ])),
    );
    assert_err(&a, EINVAL, Some("8021q: link not specified"));
    // #12: `type vlan` without options sends no IFLA_INFO_DATA.
    assert_err(
        &add_on(&mut c, "eth0", "vnoid", "vlan", vec![], None),
        EINVAL,
        Some("8021q: VLAN properties not specified"),
    );
    // #13, #14: QinQ stacking, the lower is the vlan itself.
    assert_ok(&vlan(&mut c, "eth0.10", "eth0.10.20", 20, vec![]));
    assert_ok(&vlan(&mut c, "eth0.10.20", "q3", 30, vec![]));
    let idx = c.index("eth0.10");
    assert_eq!(link(&mut c, "eth0.10.20").iflink(), Some(idx));
    // #15: loopback is not Ethernet.
    assert_err(
        &vlan(&mut c, "lo", "lo.5", 5, vec![]),
        EOPNOTSUPP,
        Some("8021q: VLANs not supported on device"),
    );
    // #18, #19: on a bridge (MASTER stripped from the copied flags, MULTICAST kept).
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&vlan(&mut c, "br0", "br0.5", 5, vec![]));
    let (br, bv) = (link(&mut c, "br0"), link(&mut c, "br0.5"));
    assert_eq!(bv.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(bv.mac(), br.mac());
}

/// VLAN-CHANGE-ID (vlan#22-#26): `ip link set eth0.10 type vlan id 12` / `protocol 802.1ad`
/// succeed and change nothing; `reorder_hdr off` clears the flag.
/// Kernel: `vlan_changelink` handles only IFLA_VLAN_FLAGS and the QoS maps.
#[test]
fn vlan_changelink_ignores_id_and_protocol() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vlan(&mut c, "eth0", "eth0.10", 10, vec![]));
    let set = |c: &mut common::Client, d| {
        set_data(
            c,
            "eth0.10",
            "vlan",
            netlink_packet_route::link::InfoData::Vlan(vec![d]),
        )
    };
    assert_ok(&set(&mut c, netlink_packet_route::link::InfoVlan::Id(12)));
    assert_eq!(
        vlan_info(&link(&mut c, "eth0.10")),
        (VlanProtocol::Ieee8021Q, 10, REORDER_HDR)
    );
    assert_ok(&set(&mut c, proto_ad()));
    assert_eq!(
        vlan_info(&link(&mut c, "eth0.10")).0,
        VlanProtocol::Ieee8021Q
    );
    assert_ok(&set(&mut c, reorder_off()));
    assert_eq!(vlan_info(&link(&mut c, "eth0.10")).2, 0);
    // The protocol is still validated on a change (vlan_validate runs for changes too).
    assert_err(
        &set(&mut c, proto_raw(0x1234)),
        EPROTONOSUPPORT,
        Some("8021q: Invalid VLAN protocol"),
    );
}

/// Flags and QoS maps in IFLA_INFO_DATA: `vlan_fill_info` reports IFLA_VLAN_FLAGS with mask
/// ~0, the ingress map by VLAN priority and the egress map by `skb->priority & 0xF` bucket.
#[test]
fn vlan_flags_and_qos_maps() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vlan(
        &mut c,
        "eth0",
        "v5",
        5,
        vec![
            loose_on(),
            ingress(&[(3, 7), (1, 2)]),
            egress(&[(17, 4), (2, 1), (1, 3)]),
        ],
    ));
    let l = link(&mut c, "v5");
    assert_eq!(vlan_info(&l).2, REORDER_HDR | LOOSE_BINDING);
    let Some(netlink_packet_route::link::InfoData::Vlan(d)) = info_data(&l) else {
        panic!("vlan data");
    };
    use netlink_packet_route::link::{InfoVlan, VlanQosMapping::Mapping};
    assert!(d.contains(&InfoVlan::IngressQos(vec![Mapping(1, 2), Mapping(3, 7)])));
    // 17 and 1 share bucket 1 (newest first), 2 is bucket 2.
    assert!(d.contains(&InfoVlan::EgressQos(vec![
        Mapping(1, 3),
        Mapping(17, 4),
        Mapping(2, 1)
    ])));
    // Unknown flag bits: vlan_validate refuses them.
    let bad = netlink_packet_route::link::InfoVlan::Flags((
        netlink_packet_route::link::VlanFlags::from_bits_retain(0x40),
        netlink_packet_route::link::VlanFlags::from_bits_retain(0x40),
    ));
    assert_err(
        &vlan(&mut c, "eth0", "v6", 6, vec![bad]),
        EINVAL,
        Some("8021q: Invalid VLAN flags"),
    );
}

/// VLAN-MTU-CREATE, VLAN-MTU-MAX, VLAN-MTU-SHRINK, VLAN-MTU-NOGROW, MTU-STACKED (vlan#27-#34;
/// mtu#35): at most the parent's MTU (EINVAL at creation, ERANGE later), lowered with the
/// parent, not raised with it.
/// Kernel: `vlan_newlink`, `vlan_dev_change_mtu`, `vlan_device_event` NETDEV_CHANGEMTU.
#[test]
fn vlan_mtu_rules() {
    let (_sim, mut c) = dummy_sim();
    let a = add_on(
        &mut c,
        "eth1",
        "eth1.100",
        "vlan",
        vec![netlink_packet_route::link::LinkAttribute::Mtu(9000)],
        Some(netlink_packet_route::link::InfoData::Vlan(vec![
            netlink_packet_route::link::InfoVlan::Id(100),
        ])),
    );
    assert_err(&a, EINVAL, None);
    assert_ok(&vlan(&mut c, "eth1", "eth1.100", 100, vec![]));
    assert_err(&c.mtu("eth1.100", 1501), ERANGE, None);
    assert_ok(&c.mtu("eth1", 1400));
    assert_eq!(link(&mut c, "eth1.100").mtu(), 1400);
    assert_ok(&c.mtu("eth1", 9000));
    assert_eq!(link(&mut c, "eth1.100").mtu(), 1400);
    assert_ok(&c.mtu("eth1.100", 9000));
    assert_eq!(link(&mut c, "eth1.100").mtu(), 9000);
}

/// VLAN-MAC-DOWN, VLAN-MAC-FOLLOW, VLAN-MAC-EXPLICIT, VLAN-PARENT-UP-ALL (vlan-mac#1-#17,
/// vlan#35-#39), plus the parent's unicast list: v7's own MAC goes into eth0's uc list when it
/// is opened and the dummy (no IFF_UNICAST_FLT) becomes promiscuous (final dump: eth0
/// promiscuity 1, flags without PROMISC).
/// Kernel: `vlan_dev_init` (NET_ADDR_STOLEN), `vlan_device_event` NETDEV_CHANGEADDR / NETDEV_UP,
/// `vlan_dev_open`, `vlan_sync_address`, `__dev_set_rx_mode`.
#[test]
fn vlan_mac_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&vlan(&mut c, "eth0", "v5", 5, vec![]));
    assert_ok(&vlan(&mut c, "eth0", "v6", 6, vec![]));
    let a = add_on(
        &mut c,
        "eth0",
        "v7",
        "vlan",
        vec![netlink_packet_route::link::LinkAttribute::Address(
            mac("02:00:00:00:00:77").to_vec(),
        )],
        Some(netlink_packet_route::link::InfoData::Vlan(vec![
            netlink_packet_route::link::InfoVlan::Id(7),
        ])),
    );
    assert_ok(&a);
    assert_eq!(link(&mut c, "v5").mac(), mac("02:00:00:00:00:0a"));
    assert_eq!(link(&mut c, "v7").mac(), mac("02:00:00:00:00:77"));
    // #7, #8: parent MAC changed while the vlan is down: stale.
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0b")));
    assert_eq!(link(&mut c, "v5").mac(), mac("02:00:00:00:00:0a"));
    // #9: parent up brings every (non-loose) vlan up; opening re-syncs the stolen MACs.
    assert_ok(&c.up("eth0"));
    for n in ["v5", "v6", "v7"] {
        let l = link(&mut c, n);
        assert!(l.is_up() && l.has_carrier(), "{n} up: {:?}", l.flags());
        assert_eq!(l.oper(), State::Up);
        assert_eq!(l.qdisc(), "noqueue");
    }
    assert_eq!(link(&mut c, "v5").mac(), mac("02:00:00:00:00:0b"));
    assert_ok(&c.up("v5"));
    // #11-#14: followed while up, explicit MAC kept.
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0c")));
    assert_eq!(link(&mut c, "v5").mac(), mac("02:00:00:00:00:0c"));
    assert_eq!(link(&mut c, "v6").mac(), mac("02:00:00:00:00:0c"));
    assert_eq!(link(&mut c, "v7").mac(), mac("02:00:00:00:00:77"));
    // #15-#17: a MAC set later never follows.
    assert_ok(&c.address("v6", mac("02:00:00:00:00:66")));
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0d")));
    assert_eq!(link(&mut c, "v6").mac(), mac("02:00:00:00:00:66"));
    let eth0 = link(&mut c, "eth0");
    assert_eq!(eth0.promiscuity(), 1);
    assert_eq!(eth0.flags() & IFF_PROMISC, 0);
    // #18-#20: a macvlan does not follow the parent's MAC.
    assert_ok(&macvlan(&mut c, "eth0", "mv", None));
    let before = link(&mut c, "mv").mac();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0e")));
    assert_eq!(link(&mut c, "mv").mac(), before);
}

/// VLAN-UP-PARENTDOWN, VLAN-LOOSE-UP, VLAN-FOLLOW-DOWN, VLAN-FOLLOW-UP, OPER-UP (updown#1-#18).
/// Kernel: `vlan_dev_open` (ENETDOWN unless loose_binding), `vlan_device_event`
/// NETDEV_DOWN / NETDEV_UP.
#[test]
fn vlan_follows_parent_up_down() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.up("eth0"));
    assert_eq!(link(&mut c, "eth0").oper(), State::Unknown);
    assert_ok(&c.down("eth0"));
    assert_ok(&vlan(&mut c, "eth0", "v5", 5, vec![]));
    assert_err(&c.up("v5"), ENETDOWN, None);
    assert_ok(&vlan(&mut c, "eth0", "v6", 6, vec![loose_on()]));
    assert_ok(&c.up("v6"));
    assert_ok(&c.up("eth0"));
    let v5 = link(&mut c, "v5");
    assert!(v5.is_up() && v5.has_carrier());
    assert_eq!(v5.oper(), State::Up);
    assert_ok(&c.up("v5"));
    assert_ok(&c.up("v6"));
    // #13-#15: the strict vlan is closed, the loose one stays UP (the dummy keeps carrier).
    assert_ok(&c.down("eth0"));
    let (v5, v6) = (link(&mut c, "v5"), link(&mut c, "v6"));
    assert!(!v5.is_up());
    assert_eq!(v5.oper(), State::Down);
    assert_eq!(v5.qdisc(), "noqueue");
    assert!(v6.is_up() && v6.has_carrier());
    assert_eq!(v6.oper(), State::Up);
    // #16-#18
    assert_ok(&c.up("eth0"));
    let v5 = link(&mut c, "v5");
    assert!(v5.is_up() && v5.has_carrier());
    assert_eq!(v5.oper(), State::Up);
}

/// VLAN-CARRIER, VLAN-LOOSE-ADMINDOWN, MACVLAN-LOWER-NOCARRIER, OPER-LOWERLAYERDOWN
/// (stacked-on-veth#1-#21): on a veth (real carrier) the stacked devices copy the carrier;
/// a loose vlan keeps a stale carrier when the veth goes admin-down.
/// Kernel: `netif_stacked_transfer_operstate` from `vlan_device_event` / `macvlan_device_event`
/// (NETDEV_CHANGE; linkwatch sends none for a down device).
#[test]
fn vlan_carrier_on_veth() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_veth("va", "vb"));
    assert_ok(&c.up("vb"));
    assert_ok(&macvlan(&mut c, "va", "mv", None));
    assert_ok(&vlan(&mut c, "va", "v5", 5, vec![loose_on()]));
    assert_ok(&vlan(&mut c, "va", "v6", 6, vec![]));
    assert_ok(&c.up("mv"));
    assert_ok(&c.up("v5"));
    for n in ["mv", "v5"] {
        let l = link(&mut c, n);
        assert!(l.is_up() && !l.has_carrier(), "{n}");
        assert_eq!(l.oper(), State::LowerLayerDown, "{n}");
    }
    // #11-#13: va up: everything up, v6 brought up by the parent.
    assert_ok(&c.up("va"));
    for n in ["va", "mv", "v5", "v6"] {
        let l = link(&mut c, n);
        assert!(l.is_up() && l.has_carrier(), "{n}");
        assert_eq!(l.oper(), State::Up, "{n}");
    }
    // #14-#16: the peer goes down: carrier lost everywhere, LOWERLAYERDOWN.
    assert_ok(&c.down("vb"));
    for n in ["va", "mv", "v5", "v6"] {
        let l = link(&mut c, n);
        assert!(l.is_up() && !l.has_carrier(), "{n}");
        assert_eq!(l.oper(), State::LowerLayerDown, "{n}");
    }
    // #17-#21
    assert_ok(&c.up("vb"));
    assert_ok(&c.down("va"));
    let (mv, v5, v6) = (link(&mut c, "mv"), link(&mut c, "v5"), link(&mut c, "v6"));
    assert!(mv.is_up() && !mv.has_carrier());
    assert_eq!(mv.oper(), State::LowerLayerDown);
    assert!(v5.is_up() && v5.has_carrier());
    assert_eq!(v5.oper(), State::Up);
    assert!(!v6.is_up());
    assert_eq!(v6.oper(), State::Down);
}

/// VLAN-DEL-PARENT, DEL-CASCADE (vlan#40,#41; delete#25-#35): deleting the parent deletes its
/// vlans, also vlans on vlans, and macvlans on a vlan of it.
/// Kernel: `vlan_device_event` / `macvlan_device_event` NETDEV_UNREGISTER.
#[test]
fn vlan_delete_with_parent() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vlan(&mut c, "eth0", "eth0.10", 10, vec![]));
    assert_ok(&vlan(&mut c, "eth0", "v10ad", 10, vec![proto_ad()]));
    assert_ok(&vlan(&mut c, "eth0.10", "eth0.10.20", 20, vec![]));
    assert_ok(&vlan(&mut c, "eth0.10.20", "q3", 30, vec![]));
    assert_ok(&macvlan(&mut c, "eth0.10", "e05mv", None));
    assert_ok(&macvtap(&mut c, "eth0", "e0mvt", None));
    assert_ok(&vlan(&mut c, "eth1", "eth1.100", 100, vec![]));
    assert_ok(&c.up("eth0"));
    assert_ok(&c.del("eth0"));
    let names: Vec<String> = table(&mut c).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["lo", "eth1", "eth2", "eth1.100"]);
}
