//! Catalog rules TEAM-* (without teamd), MOD-TEAM; scenarios team, delete, modautoload;
//! outcomes from kernel-transcripts/6.12. eth0..2 are dummies.
//! Kernel: drivers/net/team/team_core.c (`team_port_add`, `team_port_del`, `team_uninit`,
//! `team_device_event`, `__team_carrier_check`).

mod common;
mod kinds_support;
mod rules_support;

use common::LinkExt;
use kinds_support::*;
use libc::{EBUSY, EINVAL};
use netlink_packet_route::link::State;
use rules_support::*;

/// TEAM-CREATE, MOD-TEAM, TEAM-PORT-OPENS, TEAM-PORT-UP, TEAM-SELF, TEAM-LO, TEAM-OF-TEAMS,
/// TEAM-MOVE, TEAM-DEL (team#1-#24 without nlmon #12,#13): a team needs no teamd (no
/// side-effect device); a down port is opened and keeps its MAC (the team keeps its own); an
/// up device is refused; self and lo are refused with the kernel's texts; a team in a team
/// is opened without carrier; a bridge port moves; the team gets carrier from a port with
/// link; deleting the team closes its ports.
#[test]
fn team_port_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("team0", "team"));
    let t = link(&mut c, "team0");
    assert_eq!(t.header.index, 5);
    assert_eq!(t.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!((t.mtu(), t.min_mtu(), t.max_mtu()), (1500, 68, 65535));
    assert_eq!((t.num_tx_queues(), t.num_rx_queues()), (16, 16));
    assert_eq!(t.kind().as_deref(), Some("team"));
    assert_eq!(table(&mut c).len(), 5);
    let team0 = t.header.index;
    let team_mac = t.mac();
    // #3, #4
    let eth0_mac = link(&mut c, "eth0").mac();
    assert_ok(&c.master("eth0", "team0"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(
        e0.flags(),
        IFF_BROADCAST | IFF_NOARP | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(e0.master(), Some(team0));
    assert_eq!(e0.oper(), State::Unknown);
    assert_eq!(e0.mac(), eth0_mac);
    assert_eq!(slave_kind(&e0).as_deref(), Some("team"));
    assert_eq!(link(&mut c, "team0").mac(), team_mac);
    // #5-#8
    assert_ok(&c.up("eth1"));
    assert_err(
        &c.master("eth1", "team0"),
        EBUSY,
        Some("Device is up. Set it down before adding it as a team port"),
    );
    assert_err(
        &c.master("team0", "team0"),
        EINVAL,
        Some("Cannot enslave team device to itself"),
    );
    assert_err(
        &c.master("lo", "team0"),
        EINVAL,
        Some("Loopback device can't be added as a team port"),
    );
    // #9-#11
    assert_ok(&c.add_simple("team1", "team"));
    assert_ok(&c.master("team1", "team0"));
    let t1 = link(&mut c, "team1");
    assert_eq!(t1.flags(), IFF_BROADCAST | IFF_MULTICAST | IFF_UP);
    assert_eq!(t1.master(), Some(team0));
    assert_eq!(t1.oper(), State::Down);
    assert_eq!(t1.qdisc(), "noqueue");
    // team0 is above team1 now: team1 cannot take team0.
    assert_err(
        &c.master("team0", "team1"),
        EBUSY,
        Some("Device is already an upper device of the team interface"),
    );
    // #14-#17
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth2", "br0"));
    assert_ok(&c.master("eth2", "team0"));
    let e2 = link(&mut c, "eth2");
    assert_eq!(e2.master(), Some(team0));
    assert_eq!(e2.flags() & IFF_UP, IFF_UP);
    // #18, #19
    assert_ok(&c.up("team0"));
    let t = link(&mut c, "team0");
    assert_eq!(
        t.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(t.oper(), State::Up);
    assert_eq!(t.mac(), team_mac);
    // #20, #21
    assert_ok(&c.master("team0", "br0"));
    assert_ok(&c.master("eth2", "team1"));
    assert_eq!(link(&mut c, "eth2").master(), Some(c.index("team1")));
    // The bridge made team0 promiscuous; its ports follow.
    assert_eq!(link(&mut c, "eth0").promiscuity(), 1);
    // #22-#24
    assert_ok(&c.del("team0"));
    let e0 = link(&mut c, "eth0");
    assert_eq!(e0.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!(e0.master(), None);
    assert_eq!(e0.mac(), eth0_mac);
    assert_eq!(e0.promiscuity(), 0);
    let t1 = link(&mut c, "team1");
    assert_eq!(t1.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(t1.master(), None);
    // eth2 stays a port of team1.
    assert_eq!(link(&mut c, "eth2").master(), Some(c.index("team1")));
}

/// TEAM-DEL (delete#20-#24) and the team's carrier (`team_device_event`): a port set down
/// takes the carrier with it; a deleted port leaves the team.
#[test]
fn team_carrier_and_port_delete() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("team0", "team"));
    assert_ok(&c.up("team0"));
    assert_eq!(link(&mut c, "team0").oper(), State::Down);
    assert_ok(&c.master("eth2", "team0"));
    assert_eq!(link(&mut c, "team0").oper(), State::Up);
    assert_ok(&c.down("eth2"));
    let t = link(&mut c, "team0");
    assert_eq!(t.oper(), State::Down);
    assert_eq!(t.flags() & IFF_LOWER_UP, 0);
    assert_ok(&c.up("eth2"));
    assert_eq!(link(&mut c, "team0").oper(), State::Up);
    // MTU: the team's MTU goes to its ports.
    assert_ok(&c.mtu("team0", 4000));
    assert_eq!(link(&mut c, "eth2").mtu(), 4000);
    assert_ok(&c.master("eth1", "team0"));
    assert_eq!(link(&mut c, "eth1").mtu(), 4000);
    assert_ok(&c.del("eth1"));
    assert_ok(&c.del("team0"));
    let e2 = link(&mut c, "eth2");
    assert_eq!(e2.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!(e2.mtu(), 1500);
}

/// TEAM-NONETHER (team#12,#13, final state): nlmon into a team that has Ethernet ports is
/// EBUSY without extack, and in 6.12.117 `team_dev_type_check_change` runs after the port was
/// opened, so the refused nlmon ends down but with the qdisc its open attached (`noqueue`;
/// a never-opened nlmon shows `noop`).
#[test]
fn team_refuses_another_type_after_opening_it() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("team0", "team"));
    assert_ok(&c.master("eth0", "team0"));
    assert_ok(&c.add_simple("nl0", "nlmon"));
    assert_eq!(link(&mut c, "nl0").qdisc(), "noop");
    assert_err(&c.master("nl0", "team0"), EBUSY, None);
    let nl = link(&mut c, "nl0");
    assert_eq!(nl.qdisc(), "noqueue");
    assert_eq!(nl.flags(), IFF_NOARP);
    assert_eq!(nl.master(), None);
    assert_eq!(nl.mtu(), 3776);
}
