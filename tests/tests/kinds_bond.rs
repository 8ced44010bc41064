//! Catalog rules BOND-* (plus BR-IN-BOND, BR-ZEROMAC-USES and the bond cases of OPER-UP /
//! MTU-BOND-MAX), scenarios bond-enslave, bond-mac-mtu, bond-modes, updown, delete,
//! bridge-enslave and bridge-mac-zero; outcomes from kernel-transcripts/6.12. eth0..2 are
//! dummies as in the oracle guests (carrier kept while down, no MTU limits).
//! Kernel: drivers/net/bonding/bond_main.c (`bond_enslave`, `__bond_release_one`,
//! `bond_set_carrier`), bond_options.c (`__bond_opt_set`), bond_netlink.c (`bond_changelink`,
//! `bond_fill_info`, `bond_fill_slave_info`).

mod common;
mod kinds_support;
mod rules_support;

use common::LinkExt;
use kinds_support::*;
use libc::{EACCES, EBUSY, EINVAL, ENETDOWN, ENOTEMPTY, EPERM};
use netlink_packet_route::link::{
    BondArpAllTargets, BondArpValidate, BondFailOverMac, BondLacpRate, BondMode, BondPortState,
    BondPrimaryReselect, BondXmitHashPolicy, InfoBond, InfoBondPort, LinkAttribute, MiiStatus,
    State,
};
use rules_support::*;
use std::net::Ipv4Addr;

fn mode(m: u8) -> InfoBond {
    InfoBond::Mode(BondMode::from(m))
}

const AB: u8 = 1;

/// BOND-DEFAULTS, MTU-BOND-MAX (bond-enslave#4,#5; final dump of bond1; mtu#13,#14):
/// `ip link add bond0 type bond` is balance-rr with miimon 0, MTU 1500 (68..65535), 16 queues,
/// flags BROADCAST,MULTICAST,MASTER, qdisc noop until first up, and IFLA_INFO_DATA in
/// `bond_fill_info`'s order with the module defaults.
/// Kernel: `bond_setup`, `bond_check_params`, `bond_get_num_tx_queues`, `bond_fill_info`.
#[test]
fn bond_defaults() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bond(&mut c, "bond1", vec![]));
    let b = link(&mut c, "bond1");
    assert_eq!(b.header.index, 5);
    assert_eq!(b.flags(), IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER);
    assert_eq!((b.mtu(), b.min_mtu(), b.max_mtu()), (1500, 68, 65535));
    assert_eq!((b.num_tx_queues(), b.num_rx_queues()), (16, 16));
    assert_eq!(b.qdisc(), "noop");
    assert_eq!(b.kind().as_deref(), Some("bond"));
    assert_eq!(b.mac().len(), 6);
    assert_eq!(
        bond_info(&b),
        vec![
            mode(0),
            InfoBond::MiiMon(0),
            InfoBond::UpDelay(0),
            InfoBond::DownDelay(0),
            InfoBond::PeerNotifDelay(0),
            InfoBond::UseCarrier(true),
            InfoBond::ArpInterval(0),
            InfoBond::ArpValidate(BondArpValidate::from(0)),
            InfoBond::ArpAllTargets(BondArpAllTargets::from(0)),
            InfoBond::PrimaryReselect(BondPrimaryReselect::from(0)),
            InfoBond::FailOverMac(BondFailOverMac::from(0)),
            InfoBond::XmitHashPolicy(BondXmitHashPolicy::from(0)),
            InfoBond::ResendIgmp(1),
            InfoBond::NumPeerNotif(1),
            InfoBond::AllPortsActive(0.into()),
            InfoBond::MinLinks(0),
            InfoBond::LpInterval(1),
            InfoBond::PacketsPerPort(1),
            InfoBond::AdLacpActive(true),
            InfoBond::AdLacpRate(BondLacpRate::from(0)),
            InfoBond::AdSelect(0.into()),
            InfoBond::TlbDynamicLb(true),
            InfoBond::MissedMax(2),
            InfoBond::CoupledControl(true),
        ]
    );
    // mtu#13,#14: 65535 is the maximum, 67 below the minimum.
    assert_ok(&c.mtu("bond1", 65535));
    assert_err(
        &c.mtu("bond1", 67),
        EINVAL,
        Some("mtu less than device minimum"),
    );
}

/// BOND-MODES, BOND-OPT-MODE, BOND-ARP-MII, BOND-ARP-NOTARGET (bond-modes#1-#13): all seven
/// modes; 802.3ad with lacp_rate fast and layer3+4 reports the 802.3ad extras; an option the
/// mode does not support is EACCES "option not supported in mode" (iproute2 prints the '.')
/// and nothing is created; miimon together with arp_interval is refused; arp_interval without
/// targets is fine. (#3,#4,#12 are iproute2 parse errors.)
/// Kernel: `bond_opt_check_deps`, `bond_opt_dep_print`, `bond_changelink`, `bond_newlink`
/// (options before `register_netdevice`).
#[test]
fn bond_modes_and_option_deps() {
    let (_sim, mut c) = dummy_sim();
    let names = [
        "balance-rr",
        "active-backup",
        "balance-xor",
        "broadcast",
        "802.3ad",
        "balance-tlb",
        "balance-alb",
    ];
    for (m, n) in names.iter().enumerate() {
        let name = format!("b-{n}");
        assert_ok(&add_bond(&mut c, &name, vec![mode(m as u8)]));
        let l = link(&mut c, &name);
        assert_eq!(
            bond_opt(&l, |o| match o {
                InfoBond::Mode(m) => Some(u8::from(*m)),
                _ => None,
            }),
            Some(m as u8)
        );
    }
    // 802.3ad / tlb / alb switch the MII monitor on (bond_option_mode_set).
    let l = link(&mut c, "b-802.3ad");
    assert_eq!(
        bond_opt(&l, |o| match o {
            InfoBond::MiiMon(v) => Some(*v),
            _ => None,
        }),
        Some(100)
    );
    // #5, #6
    assert_ok(&add_bond(
        &mut c,
        "bx",
        vec![
            mode(4),
            InfoBond::MiiMon(100),
            InfoBond::AdLacpRate(BondLacpRate::from(1)),
            InfoBond::XmitHashPolicy(BondXmitHashPolicy::from(1)),
        ],
    ));
    let bx = link(&mut c, "bx");
    let info = bond_info(&bx);
    assert!(info.contains(&InfoBond::AdLacpRate(BondLacpRate::from(1))));
    assert!(info.contains(&InfoBond::XmitHashPolicy(BondXmitHashPolicy::from(1))));
    assert_eq!(
        &info[info.len() - 3..],
        &[
            InfoBond::AdActorSysPrio(65535),
            InfoBond::AdUserPortKey(0),
            InfoBond::AdActorSystem([0; 6]),
        ]
    );
    let next = bx.header.index + 1;
    // #7
    let a = add_bond(
        &mut c,
        "by",
        vec![mode(0), InfoBond::AdLacpRate(BondLacpRate::from(1))],
    );
    assert_err(&a, EACCES, Some("option not supported in mode"));
    assert!(!exists(&mut c, "by"));
    // #8, #9
    let a = add_bond(
        &mut c,
        "bz",
        vec![
            InfoBond::MiiMon(100),
            InfoBond::ArpInterval(100),
            InfoBond::ArpIpTarget(vec![Ipv4Addr::new(192, 0, 2, 1)]),
        ],
    );
    assert_err(
        &a,
        EINVAL,
        Some("ARP monitoring cannot be used with MII monitoring"),
    );
    assert!(!exists(&mut c, "bz"));
    // #10
    assert_ok(&add_bond(
        &mut c,
        "bw",
        vec![mode(AB), InfoBond::ArpInterval(100)],
    ));
    // #11
    let a = add_bond(
        &mut c,
        "bv",
        vec![
            mode(4),
            InfoBond::ArpInterval(100),
            InfoBond::ArpIpTarget(vec![Ipv4Addr::new(192, 0, 2, 1)]),
        ],
    );
    assert_err(&a, EACCES, Some("option not supported in mode"));
    // #13: primary is an ifindex on the wire.
    let eth0 = c.index("eth0");
    let a = add_bond(&mut c, "bt", vec![mode(0), InfoBond::Primary(eth0)]);
    assert_err(&a, EACCES, Some("option not supported in mode"));
    // The refused bonds never registered: the next bond gets the next index after bw.
    assert_ok(&add_bond(&mut c, "bond0", vec![]));
    assert_eq!(c.index("bond0"), next + 1);
    // A value outside the option's table: "invalid option value".
    assert_err(
        &set_bond(&mut c, "bond0", vec![InfoBond::MissedMax(0)]),
        EINVAL,
        Some("invalid option value"),
    );
    // updelay needs the MII monitor (EPERM, no extack).
    assert_err(
        &set_bond(&mut c, "bond0", vec![InfoBond::UpDelay(200)]),
        EPERM,
        None,
    );
    // ARP targets are reported in IFLA_BOND_ARP_IP_TARGET.
    assert_ok(&set_bond(
        &mut c,
        "bw",
        vec![InfoBond::ArpIpTarget(vec![
            Ipv4Addr::new(192, 0, 2, 1),
            Ipv4Addr::new(192, 0, 2, 2),
        ])],
    ));
    let bw = link(&mut c, "bw");
    assert_eq!(
        bond_opt(&bw, |o| match o {
            InfoBond::ArpIpTarget(t) => Some(t.clone()),
            _ => None,
        }),
        Some(vec![
            Ipv4Addr::new(192, 0, 2, 1),
            Ipv4Addr::new(192, 0, 2, 2)
        ])
    );
}

/// BOND-MODE-SLAVES, BOND-MODE-UP, BOND-PRIMARY-NONSLAVE, BOND-ACTIVE-DOWN
/// (bond-modes#14-#31): changing the mode with a slave is ENOTEMPTY whether the bond is up or
/// down (NOSLAVES is checked before IFDOWN); without slaves but up it is EBUSY; `primary` may
/// name a non-slave (recorded, no IFLA_BOND_PRIMARY); `active_slave` of the current active
/// slave on a down bond is a silent no-op.
/// Kernel: `bond_opt_check_deps`, `bond_option_primary_set`, `bond_option_active_slave_set`.
#[test]
fn bond_mode_change_and_primary() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bond(&mut c, "bond0", vec![mode(0)]));
    assert_ok(&c.master("eth0", "bond0"));
    // #16
    assert_err(
        &set_bond(&mut c, "bond0", vec![mode(AB)]),
        ENOTEMPTY,
        Some("unable to set option because the bond device has slaves"),
    );
    // #17, #18
    assert_ok(&c.up("bond0"));
    assert_err(
        &set_bond(&mut c, "bond0", vec![mode(AB)]),
        ENOTEMPTY,
        Some("unable to set option because the bond device has slaves"),
    );
    // #19, #20
    assert_ok(&c.nomaster("eth0"));
    assert_err(
        &set_bond(&mut c, "bond0", vec![mode(AB)]),
        EBUSY,
        Some("unable to set option because the bond is up"),
    );
    // #21-#23
    assert_ok(&c.down("bond0"));
    assert_ok(&set_bond(&mut c, "bond0", vec![mode(AB)]));
    // #24-#27
    assert_ok(&c.master("eth0", "bond0"));
    let (eth0, eth1) = (c.index("eth0"), c.index("eth1"));
    assert_ok(&set_bond(&mut c, "bond0", vec![InfoBond::Primary(eth0)]));
    assert_eq!(
        bond_opt(&link(&mut c, "bond0"), |o| match o {
            InfoBond::Primary(v) => Some(*v),
            _ => None,
        }),
        Some(eth0)
    );
    assert_ok(&set_bond(&mut c, "bond0", vec![InfoBond::Primary(eth1)]));
    assert_ok(&set_bond(&mut c, "bond0", vec![InfoBond::ActivePort(eth0)]));
    // #28-#30
    assert_ok(&c.up("bond0"));
    assert_ok(&set_bond(&mut c, "bond0", vec![InfoBond::ActivePort(eth0)]));
    assert_ok(&set_bond(&mut c, "bond0", vec![InfoBond::MiiMon(50)]));
    // #31: "Primary Slave: None", "Currently Active Slave: eth0", MII up, miimon 50.
    let b = link(&mut c, "bond0");
    assert_eq!(
        bond_opt(&b, |o| matches!(o, InfoBond::Primary(_)).then_some(())),
        None
    );
    assert_eq!(
        bond_opt(&b, |o| match o {
            InfoBond::ActivePort(v) => Some(*v),
            _ => None,
        }),
        Some(eth0)
    );
    assert_eq!(
        bond_opt(&b, |o| match o {
            InfoBond::MiiMon(v) => Some(*v),
            _ => None,
        }),
        Some(50)
    );
    let e0 = link(&mut c, "eth0");
    let perm = e0.mac();
    assert_eq!(
        bond_slave_info(&e0),
        vec![
            InfoBondPort::BondPortState(BondPortState::from(0)),
            InfoBondPort::MiiStatus(MiiStatus::from(0)),
            InfoBondPort::LinkFailureCount(0),
            InfoBondPort::PermHwaddr(perm),
            InfoBondPort::QueueId(0),
            InfoBondPort::Prio(0),
        ]
    );
    assert_eq!(slave_kind(&e0).as_deref(), Some("bond"));
    // active_slave naming a device that is not a slave: "invalid option value".
    assert_err(
        &set_bond(&mut c, "bond0", vec![InfoBond::ActivePort(eth1)]),
        EINVAL,
        Some("invalid option value"),
    );
}

/// BOND-ENSLAVE-OPENS, BOND-ENSLAVE-UP, BOND-ENSLAVE-SELF, BOND-ENSLAVE-TYPE (lo),
/// BOND-OF-BONDS, BOND-MOVE-FROM-BRIDGE, BOND-IN-BRIDGE, BOND-MAC-FIRST, BOND-MAC-SLAVES,
/// BOND-MAC-RESTORE (bond-enslave#1-#32 without the sysfs write #23 and nlmon #19,#20).
/// Kernel: `bond_enslave` (check order, `bond_set_dev_addr`, `dev_set_mac_address`,
/// `dev_open`), `__bond_release_one` (perm MAC restored, slave closed), `bond_uninit`,
/// `do_set_master` (old master released first).
#[test]
fn bond_enslave_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&c.address("eth1", mac("02:00:00:00:00:0b")));
    assert_ok(&c.address("eth2", mac("02:00:00:00:00:0c")));
    assert_ok(&add_bond(
        &mut c,
        "bond0",
        vec![mode(AB), InfoBond::MiiMon(100)],
    ));
    let bond0 = c.index("bond0");
    // #6-#8
    assert_ok(&c.master("eth0", "bond0"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(
        e0.flags(),
        IFF_BROADCAST | IFF_NOARP | IFF_SLAVE | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(e0.master(), Some(bond0));
    assert_eq!(e0.oper(), State::Unknown);
    let b = link(&mut c, "bond0");
    assert_eq!(b.mac(), mac("02:00:00:00:00:0a"));
    assert_eq!(b.flags(), IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER);
    // #9-#13
    assert_ok(&c.up("eth1"));
    assert_err(
        &c.master("eth1", "bond0"),
        EPERM,
        Some("Device can not be enslaved while up"),
    );
    assert_ok(&c.down("eth1"));
    assert_ok(&c.master("eth1", "bond0"));
    let e1 = link(&mut c, "eth1");
    assert_eq!(e1.mac(), mac("02:00:00:00:00:0a"));
    assert_eq!(e1.master(), Some(bond0));
    // #14: eth0 active, eth1 backup, both MII up, permanent addresses kept.
    let s0 = bond_slave_info(&link(&mut c, "eth0"));
    let s1 = bond_slave_info(&e1);
    assert_eq!(s0[0], InfoBondPort::BondPortState(BondPortState::from(0)));
    assert_eq!(s1[0], InfoBondPort::BondPortState(BondPortState::from(1)));
    assert_eq!(s1[1], InfoBondPort::MiiStatus(MiiStatus::from(0)));
    assert_eq!(
        s0[3],
        InfoBondPort::PermHwaddr(mac("02:00:00:00:00:0a").to_vec())
    );
    assert_eq!(
        s1[3],
        InfoBondPort::PermHwaddr(mac("02:00:00:00:00:0b").to_vec())
    );
    assert_eq!(
        bond_opt(&link(&mut c, "bond0"), |o| match o {
            InfoBond::ActivePort(v) => Some(*v),
            _ => None,
        }),
        Some(c.index("eth0"))
    );
    // #15, #16
    assert_err(
        &c.master("bond0", "bond0"),
        EPERM,
        Some("Cannot enslave bond to itself."),
    );
    assert_err(
        &c.master("lo", "bond0"),
        EINVAL,
        Some("Device type is different from other slaves"),
    );
    // #17, #18: a bond in a bond is opened (no slaves: NO-CARRIER).
    assert_ok(&add_bond(&mut c, "bond1", vec![]));
    let bond1_mac = link(&mut c, "bond1").mac();
    assert_ok(&c.master("bond1", "bond0"));
    let b1 = link(&mut c, "bond1");
    assert_eq!(
        b1.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER | IFF_SLAVE | IFF_UP
    );
    assert_eq!(b1.mac(), mac("02:00:00:00:00:0a"));
    // #21-#25: a bridge port moves to the bond.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth2", "br0"));
    assert_ok(&c.master("eth2", "bond0"));
    let e2 = link(&mut c, "eth2");
    assert_eq!(e2.master(), Some(bond0));
    assert_eq!(e2.mac(), mac("02:00:00:00:00:0a"));
    assert_eq!(e2.flags() & (IFF_SLAVE | IFF_UP), IFF_SLAVE | IFF_UP);
    // #26, #27: the bond as a bridge port.
    assert_ok(&c.master("bond0", "br0"));
    let b = link(&mut c, "bond0");
    assert_eq!(b.master(), Some(c.index("br0")));
    assert_eq!(b.mac(), mac("02:00:00:00:00:0a"));
    // The bridge makes the bond promiscuous; the bond passes it to its active slave only.
    assert_eq!(link(&mut c, "eth0").promiscuity(), 1);
    assert_eq!(link(&mut c, "eth1").promiscuity(), 0);
    // #28, #29: release restores the MAC and closes the slave.
    assert_ok(&c.nomaster("eth1"));
    let e1 = link(&mut c, "eth1");
    assert_eq!(e1.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!(e1.mac(), mac("02:00:00:00:00:0b"));
    assert_eq!(e1.master(), None);
    // #30-#32: deleting the bond releases every slave the same way.
    assert_ok(&c.del("bond0"));
    for (n, m) in [("eth0", "02:00:00:00:00:0a"), ("eth2", "02:00:00:00:00:0c")] {
        let l = link(&mut c, n);
        assert_eq!(l.flags(), IFF_BROADCAST | IFF_NOARP, "{n}");
        assert_eq!(l.mac(), mac(m), "{n}");
        assert_eq!(l.master(), None, "{n}");
        assert_eq!(l.promiscuity(), 0, "{n}");
    }
    let b1 = link(&mut c, "bond1");
    assert_eq!(b1.flags(), IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER);
    assert_eq!(b1.mac(), bond1_mac);
    // The bridge lost its only port (bond0): zero MAC.
    assert_eq!(link(&mut c, "br0").mac(), [0u8; 6]);
}

/// BOND-MTU-SLAVE, BOND-MTU-SET, BOND-MAC-SET, BOND-MAC-SLAVE-SET, BOND-MAC-RESTORE,
/// BOND-FOM-ACTIVE (bond-mac-mtu#1-#29): a 9000-MTU device takes the bond's 1500; the bond's
/// MTU and MAC go to every slave; a slave may then diverge; release restores the MAC it had
/// when enslaved; with fail_over_mac active the bond takes the first slave's MAC and later
/// slaves keep theirs.
/// Kernel: `bond_enslave` (`dev_set_mtu`, `dev_set_mac_address`), `bond_change_mtu`,
/// `bond_set_mac_address`, `__bond_release_one`, `bond_do_fail_over_mac`.
#[test]
fn bond_mac_mtu() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&c.address("eth1", mac("02:00:00:00:00:0b")));
    assert_ok(&c.address("eth2", mac("02:00:00:00:00:0c")));
    assert_ok(&c.mtu("eth1", 9000));
    assert_ok(&add_bond(&mut c, "bond0", vec![mode(0)]));
    assert_ok(&c.master("eth0", "bond0"));
    assert_ok(&c.master("eth1", "bond0"));
    // #9-#11
    assert_eq!(link(&mut c, "bond0").mac(), mac("02:00:00:00:00:0a"));
    let e1 = link(&mut c, "eth1");
    assert_eq!(
        (e1.mtu(), e1.mac()),
        (1500, mac("02:00:00:00:00:0a").to_vec())
    );
    // #12-#16
    assert_ok(&c.mtu("bond0", 4000));
    assert_eq!(link(&mut c, "eth0").mtu(), 4000);
    assert_eq!(link(&mut c, "eth1").mtu(), 4000);
    assert_ok(&c.mtu("eth0", 1500));
    assert_eq!(link(&mut c, "eth0").mtu(), 1500);
    // #17-#21
    assert_ok(&c.address("bond0", mac("02:00:00:00:00:99")));
    assert_eq!(link(&mut c, "eth0").mac(), mac("02:00:00:00:00:99"));
    assert_eq!(link(&mut c, "eth1").mac(), mac("02:00:00:00:00:99"));
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:77")));
    assert_eq!(link(&mut c, "eth0").mac(), mac("02:00:00:00:00:77"));
    // #22, #23
    assert_ok(&c.nomaster("eth0"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(e0.mac(), mac("02:00:00:00:00:0a"));
    assert_eq!(e0.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!(e0.mtu(), 1500);
    // #24-#29
    assert_ok(&add_bond(
        &mut c,
        "bond1",
        vec![mode(AB), InfoBond::FailOverMac(BondFailOverMac::from(1))],
    ));
    assert_ok(&c.master("eth2", "bond1"));
    assert_eq!(link(&mut c, "bond1").mac(), mac("02:00:00:00:00:0c"));
    assert_eq!(link(&mut c, "eth2").mac(), mac("02:00:00:00:00:0c"));
    assert_ok(&c.master("eth0", "bond1"));
    assert_eq!(link(&mut c, "eth0").mac(), mac("02:00:00:00:00:0a"));
    // fail_over_mac cannot change while the bond has slaves (NOSLAVES).
    assert_err(
        &set_bond(
            &mut c,
            "bond1",
            vec![InfoBond::FailOverMac(BondFailOverMac::from(0))],
        ),
        ENOTEMPTY,
        Some("unable to set option because the bond device has slaves"),
    );
    // delete#8-#14: a bond with a user-set MAC gives it to the slave; deleting the bond
    // restores the slave's own MAC and closes it.
    assert_ok(&add_bond(&mut c, "bond2", vec![mode(AB)]));
    assert_ok(&c.address("bond2", mac("02:00:00:00:00:b0")));
    assert_ok(&c.nomaster("eth0"));
    assert_ok(&c.master("eth0", "bond2"));
    assert_eq!(link(&mut c, "eth0").mac(), mac("02:00:00:00:00:b0"));
    assert_ok(&c.del("bond2"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(e0.mac(), mac("02:00:00:00:00:0a"));
    assert_eq!(e0.flags(), IFF_BROADCAST | IFF_NOARP);
}

/// BOND-CARRIER, BOND-CARRIER-UP, OPER-UP (updown#29-#38): an up bond without slaves has no
/// carrier (operstate DOWN, qdisc noqueue); enslaving a slave with carrier gives it carrier
/// and operstate UP and the slave's MAC; with miimon the slave going down drops the carrier
/// (settled as after `sleep 1`) and the bond does not reopen the slave.
/// Kernel: `bond_newlink` (`netif_carrier_off`), `bond_set_carrier`, `bond_miimon_commit`.
#[test]
fn bond_carrier() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bond(&mut c, "bond0", vec![InfoBond::MiiMon(100)]));
    assert_ok(&c.up("bond0"));
    let b = link(&mut c, "bond0");
    assert_eq!(
        b.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER | IFF_UP
    );
    assert_eq!(b.oper(), State::Down);
    assert_eq!(b.qdisc(), "noqueue");
    let eth2_mac = link(&mut c, "eth2").mac();
    assert_ok(&c.master("eth2", "bond0"));
    let b = link(&mut c, "bond0");
    assert_eq!(
        b.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(b.oper(), State::Up);
    assert_eq!(b.mac(), eth2_mac);
    assert_ok(&c.down("eth2"));
    let b = link(&mut c, "bond0");
    assert_eq!(
        b.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER | IFF_UP
    );
    assert_eq!(b.oper(), State::Down);
    let e2 = link(&mut c, "eth2");
    assert_eq!(e2.flags(), IFF_BROADCAST | IFF_NOARP | IFF_SLAVE);
    let s = bond_slave_info(&e2);
    assert_eq!(s[1], InfoBondPort::MiiStatus(MiiStatus::from(2)));
    assert_eq!(s[2], InfoBondPort::LinkFailureCount(1));
    // Up again: the MII monitor brings the link and the carrier back.
    assert_ok(&c.up("eth2"));
    assert_eq!(link(&mut c, "bond0").oper(), State::Up);
}

/// IFLA_BOND_SLAVE_QUEUE_ID / IFLA_BOND_SLAVE_PRIO through `ip link set DEV type bond_slave`:
/// queue_id is stored and reported; prio is refused in balance-rr (EACCES, the option's mode
/// dependency). Kernel: `bond_slave_changelink`, `bond_option_queue_id_set`.
#[test]
fn bond_slave_options() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bond(&mut c, "bond0", vec![]));
    assert_ok(&c.master("eth0", "bond0"));
    assert_ok(&c.master("eth1", "bond0"));
    assert_ok(&set_bond_slave(
        &mut c,
        "eth0",
        vec![InfoBondPort::QueueId(3)],
    ));
    assert!(bond_slave_info(&link(&mut c, "eth0")).contains(&InfoBondPort::QueueId(3)));
    // Another slave may not use the same queue id (EPERM, no extack).
    assert_err(
        &set_bond_slave(&mut c, "eth1", vec![InfoBondPort::QueueId(3)]),
        EPERM,
        None,
    );
    assert_err(
        &set_bond_slave(&mut c, "eth0", vec![InfoBondPort::Prio(5)]),
        EACCES,
        Some("option not supported in mode"),
    );
}

/// BR-IN-BOND, BR-ZEROMAC-USES (bridge-enslave#27-#29, bridge-mac-zero#13-#16): a bridge
/// can be a bond slave: the bond opens it and takes its MAC, even the all-zero MAC of a
/// bridge whose ports left (6.12 does not validate it).
/// Kernel: `bond_enslave` → `bond_set_dev_addr`.
#[test]
fn bond_bridge_slave() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&c.add_simple("br1", "bridge"));
    assert_ok(&c.master("eth0", "br1"));
    assert_ok(&add_bond(&mut c, "bond0", vec![]));
    assert_ok(&c.master("br1", "bond0"));
    let br1 = link(&mut c, "br1");
    assert_eq!(br1.flags() & (IFF_UP | IFF_SLAVE), IFF_UP | IFF_SLAVE);
    assert_eq!(link(&mut c, "bond0").mac(), mac("02:00:00:00:00:0a"));
    // A bridge with no ports left has MAC 00:00:00:00:00:00.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth1", "br0"));
    assert_ok(&c.nomaster("eth1"));
    assert_eq!(link(&mut c, "br0").mac(), [0u8; 6]);
    assert_ok(&add_bond(&mut c, "bond1", vec![]));
    assert_ok(&c.master("br0", "bond1"));
    assert_ok(&c.up("br0"));
    assert_eq!(link(&mut c, "bond1").mac(), [0u8; 6]);
    assert_eq!(link(&mut c, "br0").flags() & IFF_SLAVE, IFF_SLAVE);
}

/// BOND-ENSLAVE-NETDOWN (bond-mac-mtu#30-#34): enslaving a vlan whose parent is down fails
/// with the vlan's ENETDOWN from `dev_open`, and the bond is unchanged. BOND-ENSLAVE-RXH
/// (macvlan-lower#26): a lower with a macvlan is EBUSY "Device is in use and cannot be
/// enslaved". Both run once the vlan / macvlan kinds exist in the model.
/// Kernel: `bond_enslave` (`netdev_is_rx_handler_busy`; `dev_open` → `vlan_dev_open`).
#[test]
fn bond_enslave_stacked() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bond(&mut c, "bond2", vec![mode(AB)]));
    let before = link(&mut c, "bond2").mac();
    let eth0 = c.index("eth0");
    let vlan = newlink(
        &mut c,
        0,
        vec![
            LinkAttribute::Link(eth0),
            LinkAttribute::IfName("eth0.5".into()),
            kind_info(
                "vlan",
                Some(netlink_packet_route::link::InfoData::Vlan(vec![
                    netlink_packet_route::link::InfoVlan::Id(5),
                ])),
            ),
        ],
        CREATE,
    );
    assert_ok(&vlan);
    let vmac = link(&mut c, "eth0.5").mac();
    assert_err(&c.master("eth0.5", "bond2"), ENETDOWN, None);
    // The first slave's MAC was taken and given back: the bond draws a new random one
    // (`err_undo_flags`), so it is neither the old one nor the vlan's.
    let b = link(&mut c, "bond2");
    assert_ne!(b.mac(), vmac);
    assert_ne!(b.mac(), before);
    let v = link(&mut c, "eth0.5");
    assert_eq!(v.master(), None);
    assert_eq!(v.flags() & (IFF_UP | IFF_SLAVE), 0);
    let eth1 = c.index("eth1");
    let mv = newlink(
        &mut c,
        0,
        vec![
            LinkAttribute::Link(eth1),
            LinkAttribute::IfName("mv0".into()),
            kind_info("macvlan", None),
        ],
        CREATE,
    );
    assert_ok(&mv);
    assert_err(
        &c.master("eth1", "bond2"),
        EBUSY,
        Some("Device is in use and cannot be enslaved"),
    );
}

/// `/sys/class/net/<bond>/bonding/slaves` and `mode` (seed#21: `eth0 eth1` and
/// `active-backup 1`), as `nlsim run` answers reads of those files. Kernel: bond_sysfs.c
/// `bonding_show_slaves` (names in slave order, the last space eaten by the newline; an empty
/// file without slaves), `bonding_show_mode`.
#[test]
fn bonding_sysfs_slaves_and_mode() {
    use nlsim::control::{ControlReply, ControlRequest};
    let (sim, mut c) = nsim_sim();
    assert_ok(&c.add(
        Some("bond1"),
        "bond",
        vec![],
        Some(netlink_packet_route::link::InfoData::Bond(vec![mode(AB)])),
    ));
    let read = |attr: &str| match sim
        .control(ControlRequest::SysfsRead {
            tid: None,
            dev: "bond1".into(),
            attr: format!("bonding/{attr}"),
        })
        .expect("control")
    {
        ControlReply::Text { text } => text,
        other => panic!("{attr}: {other:?}"),
    };
    assert_eq!(read("slaves"), "");
    assert_ok(&c.master("eth0", "bond1"));
    assert_ok(&c.master("eth1", "bond1"));
    assert_eq!(read("slaves"), "eth0 eth1\n");
    assert_eq!(read("mode"), "active-backup 1\n");
    assert!(matches!(
        sim.control(ControlRequest::SysfsRead {
            tid: None,
            dev: "bond1".into(),
            attr: "bonding/miimon".into(),
        }),
        Ok(ControlReply::Err { .. })
    ));
}

/// `/proc/net/bonding/<bond>` (bond-enslave#14, bond-modes#31), as `nlsim run` answers reads of
/// it: `bond_version`, `bond_info_show_master` (active-backup: primary and active slave lines)
/// and one `bond_info_show_slave` block per slave (netdevsim: speed and duplex Unknown).
#[test]
fn proc_net_bonding() {
    use nlsim::control::{ControlReply, ControlRequest};
    let (sim, mut c) = nsim_sim();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&c.add(
        Some("bond0"),
        "bond",
        vec![],
        Some(netlink_packet_route::link::InfoData::Bond(vec![
            mode(AB),
            InfoBond::MiiMon(100),
        ])),
    ));
    assert_ok(&c.master("eth0", "bond0"));
    assert_ok(&c.up("bond0"));
    let text = match sim
        .control(ControlRequest::SysfsRead {
            tid: None,
            dev: "bond0".into(),
            attr: "/proc/net/bonding".into(),
        })
        .expect("control")
    {
        ControlReply::Text { text } => text,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        text,
        "Ethernet Channel Bonding Driver: v6.12.117+deb12-amd64\n\n\
         Bonding Mode: fault-tolerance (active-backup)\nPrimary Slave: None\n\
         Currently Active Slave: eth0\nMII Status: up\nMII Polling Interval (ms): 100\n\
         Up Delay (ms): 0\nDown Delay (ms): 0\nPeer Notification Delay (ms): 0\n\n\
         Slave Interface: eth0\nMII Status: up\nSpeed: Unknown\nDuplex: Unknown\n\
         Link Failure Count: 0\nPermanent HW addr: 02:00:00:00:00:0a\nSlave queue ID: 0\n"
    );
}
