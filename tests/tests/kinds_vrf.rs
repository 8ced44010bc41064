//! Catalog rules VRF-* (without the route-table effects of VRF-ENSLAVE-ROUTES, which wait for
//! the routing model), BR-ENSLAVE-VRF, BOND-ENSLAVE-MASTER and the vrf case of OPER-UP;
//! scenarios vrf, delete, updown; outcomes from kernel-transcripts/6.12. eth0..2 are dummies.
//! Kernel: drivers/net/vrf.c (`vrf_newlink`, `vrf_setup`, `vrf_dev_init`, `vrf_add_slave`,
//! `do_vrf_add_slave`, `vrf_dellink`, `cycle_netdev`).

mod common;
mod kinds_support;
mod rules_support;

use common::LinkExt;
use kinds_support::*;
use libc::{EINVAL, EOPNOTSUPP, EPERM};
use netlink_packet_route::link::{InfoData, InfoVrf, State};
use rules_support::*;

/// VRF-CREATE, VRF-NOTABLE, VRF-TABLE0, VRF-TABLE-DUP, VRF-TABLE-MAX, VRF-TABLE-CHANGE,
/// VRF-MTU, OPER-UP (vrf#1-#8, #30, #31; updown#42,#43): flags NOARP,MASTER, MTU 65575
/// (min 1280, max 65575), one queue, random MAC; the table is required and non-zero, may be
/// shared and may be 2^32-1; there is no changelink; up, the VRF is UP/LOWER_UP with
/// operstate UP and qdisc noqueue; MTU 1500 is fine.
#[test]
fn vrf_create_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_vrf(&mut c, "vrf0", Some(10)));
    let v = link(&mut c, "vrf0");
    assert_eq!(v.header.index, 5);
    assert_eq!(v.flags(), IFF_NOARP | IFF_MASTER);
    assert_eq!((v.mtu(), v.min_mtu(), v.max_mtu()), (65575, 1280, 65575));
    assert_eq!((v.num_tx_queues(), v.num_rx_queues()), (1, 1));
    assert_eq!(v.qdisc(), "noop");
    assert_eq!(v.kind().as_deref(), Some("vrf"));
    assert_eq!(vrf_table(&v), Some(10));
    assert_eq!(v.mac().len(), 6);
    // #3, #4
    assert_err(
        &add_vrf(&mut c, "vrf1", None),
        EINVAL,
        Some("VRF table id is missing"),
    );
    assert_err(
        &add_vrf(&mut c, "vrf2", Some(0)),
        EINVAL,
        Some("Invalid VRF table id"),
    );
    assert!(!exists(&mut c, "vrf1") && !exists(&mut c, "vrf2"));
    // #5-#7
    assert_ok(&add_vrf(&mut c, "vrf3", Some(10)));
    assert_ok(&add_vrf(&mut c, "vrf4", Some(u32::MAX)));
    assert_eq!(vrf_table(&link(&mut c, "vrf4")), Some(u32::MAX));
    // #8
    assert_err(
        &set_kind_data(
            &mut c,
            "vrf0",
            "vrf",
            InfoData::Vrf(vec![InfoVrf::TableId(30)]),
        ),
        EOPNOTSUPP,
        None,
    );
    assert_eq!(vrf_table(&link(&mut c, "vrf0")), Some(10));
    // #30 / updown#43
    assert_ok(&c.up("vrf0"));
    let v = link(&mut c, "vrf0");
    assert_eq!(
        v.flags(),
        IFF_NOARP | IFF_MASTER | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(v.oper(), State::Up);
    assert_eq!(v.qdisc(), "noqueue");
    // #31
    assert_ok(&c.mtu("vrf0", 1500));
    assert_eq!(link(&mut c, "vrf0").mtu(), 1500);
}

/// VRF-ENSLAVE-BRPORT, VRF-ENSLAVE-BRIDGE, VRF-IN-VRF, VRF-LO, BR-ENSLAVE-VRF,
/// BOND-ENSLAVE-MASTER, VRF-DEL (vrf#9-#34 without the routes; delete#15-#19): an UP port
/// stays UP (cycled), a bridge port moves to the VRF, a bridge can be a VRF port, an L3
/// master and lo cannot; a VRF cannot be a bridge port (IFF_NO_RX_HANDLER → EINVAL) nor a
/// bond slave (IFF_MASTER); each port reports the VRF's table (IFLA_VRF_PORT_TABLE);
/// deleting the VRF releases the ports, which keep their admin state.
/// Kernel: `vrf_add_slave`, `do_vrf_add_slave`, `br_add_if` → `netdev_rx_handler_register`,
/// `bond_enslave`, `vrf_dellink`.
#[test]
fn vrf_enslave_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_vrf(&mut c, "vrf0", Some(10)));
    assert_ok(&add_vrf(&mut c, "vrf5", Some(20)));
    let vrf0 = c.index("vrf0");
    // #10, #12, #17
    assert_ok(&c.up("eth0"));
    assert_ok(&c.master("eth0", "vrf0"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(e0.master(), Some(vrf0));
    assert_eq!(
        e0.flags(),
        IFF_BROADCAST | IFF_NOARP | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(e0.oper(), State::Unknown);
    assert_eq!(slave_kind(&e0).as_deref(), Some("vrf"));
    assert_eq!(vrf_port_table(&e0), Some(10));
    // #14
    assert_ok(&c.up("vrf0"));
    // #18-#21: a (down) bridge port moves to the VRF and stays down.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth1", "br0"));
    assert_ok(&c.master("eth1", "vrf0"));
    let e1 = link(&mut c, "eth1");
    assert_eq!(e1.master(), Some(vrf0));
    assert_eq!(e1.flags(), IFF_BROADCAST | IFF_NOARP);
    // #22, #23
    assert_ok(&c.master("br0", "vrf0"));
    let br0 = link(&mut c, "br0");
    assert_eq!(br0.master(), Some(vrf0));
    assert_eq!(br0.mac(), [0u8; 6]);
    // #24, #25
    assert_err(
        &c.master("vrf5", "vrf0"),
        EINVAL,
        Some("Can not enslave an L3 master device to a VRF"),
    );
    assert_err(
        &c.master("lo", "vrf0"),
        EOPNOTSUPP,
        Some("Can not enslave loopback device to a VRF"),
    );
    // #26-#29
    assert_ok(&c.add_simple("br1", "bridge"));
    assert_err(&c.master("vrf5", "br1"), EINVAL, None);
    assert_ok(&add_bond(&mut c, "bond0", vec![]));
    assert_err(
        &c.master("vrf5", "bond0"),
        EPERM,
        Some("Device type (master device) cannot be enslaved"),
    );
    // #32, #33: the UP port is released and stays UP.
    assert_ok(&c.del("vrf0"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(e0.master(), None);
    assert_eq!(
        e0.flags(),
        IFF_BROADCAST | IFF_NOARP | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(link(&mut c, "eth1").master(), None);
    assert_eq!(link(&mut c, "br0").master(), None);
    // delete#15-#19: enslaved down, set up while a port, still up after the VRF goes.
    assert_ok(&add_vrf(&mut c, "vrf7", Some(7)));
    assert_ok(&c.master("eth2", "vrf7"));
    assert_ok(&c.up("eth2"));
    assert_ok(&c.del("vrf7"));
    let e2 = link(&mut c, "eth2");
    assert_eq!(e2.master(), None);
    assert_eq!(e2.flags() & IFF_UP, IFF_UP);
}

/// A VRF port that is deleted leaves the VRF (`vrf_device_event` NETDEV_UNREGISTER), and
/// `nomaster` releases without touching the admin state (`vrf_del_slave` cycles it).
#[test]
fn vrf_port_release() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_vrf(&mut c, "vrf0", Some(10)));
    assert_ok(&c.master("eth0", "vrf0"));
    assert_ok(&c.master("eth1", "vrf0"));
    assert_ok(&c.up("eth1"));
    assert_ok(&c.del("eth0"));
    assert_ok(&c.nomaster("eth1"));
    let e1 = link(&mut c, "eth1");
    assert_eq!(e1.master(), None);
    assert_eq!(e1.flags() & IFF_UP, IFF_UP);
    assert_ok(&c.del("vrf0"));
}
