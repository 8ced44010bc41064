//! Catalog rules VETH-* and the veth cases of MTU-MIN-MAX-MSG / OPER-* (scenario `veth`,
//! kernel-transcripts/6.12/veth.txt; `mtu#15-#18`). eth0..2 are netdevsim ports: none of these
//! rules depends on the stand-ins, only on lo + three devices taking ifindex 1..4 as in the
//! oracle, so the ifindex values below are the transcript's.

mod common;
mod rules_support;

use common::LinkExt;
use libc::{EEXIST, EINVAL};
use netlink_packet_route::link::{InfoData, InfoVeth, LinkAttribute, LinkMessage, State};
use rules_support::*;

/// VETH-NAME-VETH0 (veth#1,#2): `ip link add veth0 type veth` → EEXIST without extack: the
/// peer is registered first and takes `veth0` from the "veth%d" template, then the device's own
/// name clashes. Nothing is left behind, but the peer's ifindex (5) was used: the next pair
/// (veth#3) gets 6 and 7.
/// Kernel: `veth_newlink` (peer `register_netdevice` before the device's), `dev_index_reserve`.
#[test]
fn veth_name_veth0() {
    let (_sim, mut c) = nsim_sim();
    let a = c.add_simple("veth0", "veth");
    assert_err(&a, EEXIST, None);
    assert_eq!(table(&mut c).len(), 4, "only lo and eth0..2 remain");
    assert_ok(&c.add_veth("va", "vb"));
    assert_eq!((c.index("vb"), c.index("va")), (6, 7));
}

/// VETH-PEERNAME (veth#3,#4): `ip link add va type veth peer name vb` → the peer gets the
/// lower ifindex (vb = 6, va = 7 after the failed veth#1); each end's IFLA_LINK is the other;
/// a fresh end is `<BROADCAST,MULTICAST>` DOWN.
/// Kernel: `veth_newlink`, `veth_get_iflink`.
#[test]
fn veth_peer_name_lower_ifindex() {
    let (_sim, mut c) = nsim_sim();
    assert_err(&c.add_simple("veth0", "veth"), EEXIST, None);
    assert_ok(&c.add_veth("va", "vb"));
    let va = link(&mut c, "va");
    let vb = link(&mut c, "vb");
    assert_eq!((vb.header.index, va.header.index), (6, 7));
    assert_eq!(va.iflink(), Some(6));
    assert_eq!(vb.iflink(), Some(7));
    assert_eq!(va.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(va.oper(), State::Down);
    assert_eq!(va.qdisc(), "noop");
    assert_eq!(va.kind().as_deref(), Some("veth"));
}

/// VETH-PEER-EXISTS (veth#5,#6): peer name already used (`vc ... peer name va`) and peer name
/// equal to the device's own (`vd ... peer name vd`) → EEXIST without extack; no device is
/// left behind. The second case registered (and unregistered) the peer, so it used ifindex 8:
/// the following `ip link add type veth` (veth#7) gets 9 and 10 (final table).
/// Kernel: `register_netdevice` → `dev_get_valid_name`, `veth_newlink` error path.
#[test]
fn veth_peer_exists() {
    let (_sim, mut c) = nsim_sim();
    assert_err(&c.add_simple("veth0", "veth"), EEXIST, None);
    assert_ok(&c.add_veth("va", "vb"));
    assert_err(&c.add_veth("vc", "va"), EEXIST, None);
    assert_err(&c.add_veth("vd", "vd"), EEXIST, None);
    assert!(!exists(&mut c, "vc"));
    assert!(!exists(&mut c, "vd"));
    assert_eq!(c.index("va"), 7);
    assert_ok(&c.add(None, "veth", vec![], None));
    assert_eq!((c.index("veth0"), c.index("veth1")), (9, 10));
}

/// VETH-NONAME (veth#7-#9): `ip link add type veth` → peer `veth0` (9) then `veth1` (10);
/// `ip link add type veth peer name vz` → vz (11) and `veth2` (12). Both ends name each other.
/// Kernel: `veth_newlink` (peer "veth%d" registered first), `rtnl_newlink_create` ("veth%d").
#[test]
fn veth_noname() {
    let (_sim, mut c) = nsim_sim();
    assert_err(&c.add_simple("veth0", "veth"), EEXIST, None);
    assert_ok(&c.add_veth("va", "vb"));
    assert_err(&c.add_veth("vc", "va"), EEXIST, None);
    assert_err(&c.add_veth("vd", "vd"), EEXIST, None);
    assert_ok(&c.add(None, "veth", vec![], None));
    let mut peer = LinkMessage::default();
    peer.attributes.push(LinkAttribute::IfName("vz".into()));
    let a = c.add(
        None,
        "veth",
        vec![],
        Some(InfoData::Veth(InfoVeth::Peer(peer))),
    );
    assert_ok(&a);
    let t = table(&mut c);
    let tail: Vec<(u32, &str)> = t[4..].iter().map(|(i, n)| (*i, n.as_str())).collect();
    assert_eq!(
        tail,
        [
            (6, "vb"),
            (7, "va"),
            (9, "veth0"),
            (10, "veth1"),
            (11, "vz"),
            (12, "veth2")
        ]
    );
    assert_eq!(link(&mut c, "veth0").iflink(), Some(10));
    assert_eq!(link(&mut c, "veth2").iflink(), Some(11));
}

/// VETH-CARRIER, VETH-CARRIER-BOTH, OPER-LOWERLAYERDOWN, OPER-UP (veth#10-#15): one end up
/// with the peer down → `<NO-CARRIER,...,UP>` LOWERLAYERDOWN; both up → `UP,LOWER_UP` state
/// UP; peer down again → back to NO-CARRIER / LOWERLAYERDOWN.
/// Kernel: `veth_open` / `veth_close` (carrier on both ends only when both are up);
/// `default_operstate` (no carrier and iflink != ifindex → LOWERLAYERDOWN when the link is
/// not oper-up).
#[test]
fn veth_carrier() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_veth("va", "vb"));
    // #10, #11
    assert_ok(&c.up("va"));
    let va = link(&mut c, "va");
    assert_eq!(va.flags(), IFF_BROADCAST | IFF_MULTICAST | IFF_UP);
    assert_eq!(va.oper(), State::LowerLayerDown);
    assert_eq!(va.qdisc(), "noqueue");
    // #12, #13
    assert_ok(&c.up("vb"));
    let va = link(&mut c, "va");
    assert_eq!(
        va.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(va.oper(), State::Up);
    assert_eq!(link(&mut c, "vb").oper(), State::Up);
    // #14, #15
    assert_ok(&c.down("vb"));
    let va = link(&mut c, "va");
    assert_eq!(va.flags(), IFF_BROADCAST | IFF_MULTICAST | IFF_UP);
    assert_eq!(va.oper(), State::LowerLayerDown);
    assert_eq!(link(&mut c, "vb").oper(), State::Down);
    // #16
    assert_ok(&c.up("vb"));
    assert_eq!(link(&mut c, "va").oper(), State::Up);
}

/// VETH-MTU, MTU-MIN-MAX-MSG (veth#16-#20; mtu#15-#18): MTU is per end (va 9000 leaves vb at
/// 1500); 65535 ok; 65536 → EINVAL "mtu greater than device maximum"; 67 → EINVAL "mtu less
/// than device minimum".
/// Kernel: `veth_setup` (max_mtu ETH_MAX_MTU), `dev_validate_mtu`.
#[test]
fn veth_mtu() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_veth("va", "vb"));
    assert_ok(&c.up("va"));
    assert_ok(&c.up("vb"));
    assert_ok(&c.mtu("va", 9000));
    assert_eq!(link(&mut c, "vb").mtu(), 1500);
    assert_eq!(link(&mut c, "va").mtu(), 9000);
    assert_ok(&c.mtu("va", 65535));
    assert_err(
        &c.mtu("va", 65536),
        EINVAL,
        Some("mtu greater than device maximum"),
    );
    assert_err(
        &c.mtu("va", 67),
        EINVAL,
        Some("mtu less than device minimum"),
    );
    let va = link(&mut c, "va");
    assert_eq!(va.mtu(), 65535);
    assert_eq!((va.min_mtu(), va.max_mtu()), (68, 65535));
}

/// VETH-DEL-PEER (veth#21,#22): `ip link del vb` deletes both ends.
/// Kernel: `veth_dellink` (both ends in one unregister batch).
#[test]
fn veth_del_peer() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_veth("va", "vb"));
    assert_ok(&c.up("va"));
    assert_ok(&c.up("vb"));
    assert_ok(&c.del("vb"));
    assert!(!exists(&mut c, "va"));
    assert!(!exists(&mut c, "vb"));
    assert_eq!(table(&mut c).len(), 4);
}

/// VETH-PEER-ATTRS (veth#36-#38): `ip link add ve0 address 02:00:00:00:00:e0 type veth peer
/// name ve1 address 02:00:00:00:00:e1 mtu 4000` → ve0 keeps MTU 1500 with MAC ...:e0; ve1
/// (the lower ifindex: 16 vs 17 in the transcript) has MTU 4000 and MAC ...:e1.
/// Kernel: `veth_newlink` (peer built from VETH_INFO_PEER's own attributes).
#[test]
fn veth_peer_attrs() {
    let (_sim, mut c) = nsim_sim();
    let mut peer = LinkMessage::default();
    peer.attributes.push(LinkAttribute::IfName("ve1".into()));
    peer.attributes
        .push(LinkAttribute::Address(mac("02:00:00:00:00:e1").to_vec()));
    peer.attributes.push(LinkAttribute::Mtu(4000));
    let a = c.add(
        Some("ve0"),
        "veth",
        vec![LinkAttribute::Address(mac("02:00:00:00:00:e0").to_vec())],
        Some(InfoData::Veth(InfoVeth::Peer(peer))),
    );
    assert_ok(&a);
    let ve0 = link(&mut c, "ve0");
    let ve1 = link(&mut c, "ve1");
    assert_eq!(ve1.header.index + 1, ve0.header.index);
    assert_eq!(
        (ve0.mtu(), ve0.mac()),
        (1500, mac("02:00:00:00:00:e0").to_vec())
    );
    assert_eq!(
        (ve1.mtu(), ve1.mac()),
        (4000, mac("02:00:00:00:00:e1").to_vec())
    );
    assert_eq!(ve0.iflink(), Some(ve1.header.index));
}
