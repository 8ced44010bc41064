//! Catalog rules (/work/shared/kernel-rules.md) of the generic link code: names, indexes,
//! queues, kinds, creation attributes, dummy, MTU, rename, deletion, operstate, netdevsim.
//! Each test replays the operations of the scenario the catalog cites
//! (kernel-transcripts/scenarios/*.sh, outcomes from kernel-transcripts/6.12/*.txt) and
//! asserts errno, extack text and the resulting state. Error strings are the kernel's
//! (iproute2 prints them with a trailing '.').

mod common;
mod rules_support;

use common::LinkExt;
use libc::{EADDRNOTAVAIL, EEXIST, EINVAL, ENODEV, EOPNOTSUPP, ERANGE};
use netlink_packet_core::{NLM_F_ACK, NLM_F_REQUEST};
use netlink_packet_route::link::{LinkAttribute, LinkMessage, State};
use netlink_packet_route::RouteNetlinkMessage;
use rules_support::*;

// ----- iproute2 probe --------------------------------------------------------------------

/// iproute2 probe: a bare RTM_NEWLINK (ifindex 0, no attributes, REQUEST|ACK) — the kernel
/// finds no device and has no NLM_F_CREATE: ENODEV without extack, and nothing else is sent.
/// Kernel: `__rtnl_newlink` (no dev, !NLM_F_CREATE, no IFLA_GROUP → -ENODEV).
#[test]
fn probe_bare_newlink_enodev() {
    let (_sim, mut c) = nsim_sim();
    let a = c.request(
        RouteNetlinkMessage::NewLink(LinkMessage::default()),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    assert_err(&a, ENODEV, None);
    assert!(a.messages.is_empty(), "{a:?}");
}

// ----- names -------------------------------------------------------------------------------

/// NAME-EXISTS (dummy-nlmon-names#22,#23,#41-#43): `ip link add lo/eth0/d27 type ...` →
/// EEXIST without extack, also when the existing device is of another kind.
/// Kernel: `register_netdevice` → `dev_get_valid_name` (and `__rtnl_newlink` NLM_F_EXCL).
#[test]
fn name_exists() {
    let (_sim, mut c) = dummy_sim();
    assert_err(&c.add_simple("lo", "dummy"), EEXIST, None);
    assert_err(&c.add_simple("eth0", "dummy"), EEXIST, None);
    assert_ok(&c.add_simple("d27", "dummy"));
    assert_err(&c.add_simple("d27", "dummy"), EEXIST, None);
    assert_err(&c.add_simple("d27", "bridge"), EEXIST, None);
    assert_eq!(link(&mut c, "d27").kind().as_deref(), Some("dummy"));
    assert_eq!(link(&mut c, "eth0").kind().as_deref(), Some("dummy"));
    assert_eq!(link(&mut c, "lo").header.index, 1);
}

/// NAME-INVALID-K (dummy-nlmon-names#25,#27,#28,#33): `a:b`, `.`, `..`, `x%dy%d` → EINVAL
/// without extack; nothing is created and no ifindex is used up (the transcript's next device,
/// `0123456789abcde`, got 13 right after d7 = 12).
/// Kernel: `dev_valid_name` / `__dev_alloc_name` via `dev_get_valid_name` in
/// `register_netdevice`, before `dev_index_reserve`.
#[test]
fn name_invalid_kernel() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("d7", "dummy"));
    let d7 = c.index("d7");
    for bad in ["a:b", ".", "..", "x%dy%d"] {
        assert_err(&c.add_simple(bad, "dummy"), EINVAL, None);
    }
    assert_ok(&c.add_simple("0123456789abcde", "dummy"));
    assert_eq!(c.index("0123456789abcde"), d7 + 1);
    assert_eq!(table(&mut c).len(), 6);
}

/// NAME-LEN (dummy-nlmon-names#29,#30): 15 characters ok; 16 → ERANGE "Attribute failed
/// policy validation" (IFLA_IFNAME policy is NLA_STRING, len IFNAMSIZ-1).
/// Kernel: `ifla_policy[IFLA_IFNAME]`, `validate_nla` (lib/nlattr.c).
#[test]
fn name_len() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("0123456789abcde", "dummy"));
    let a = c.add_simple("0123456789abcdef", "dummy");
    assert_err(&a, ERANGE, Some("Attribute failed policy validation"));
    // NLMSGERR_ATTR_OFFS: IFLA_IFNAME is the first attribute, right after nlmsghdr (16) and
    // ifinfomsg (16).
    assert_eq!(a.offs, Some(32), "extack points at IFLA_IFNAME: {a:?}");
    assert!(!exists(&mut c, "0123456789abcdef"));
}

/// NAME-PATTERN (dummy-nlmon-names#31,#32,#45): with d0 d3 d4 d5 d6 d7 present, `ip link add
/// d%d type dummy` twice gives d1 then d2 (lowest free number; the transcript's final table
/// shows d1 = 14, d2 = 15), and `ip link add type dummy` gives `dummy0`.
/// Kernel: `__dev_alloc_name`; the nameless create uses "<kind>%d" (`rtnl_newlink_create`).
#[test]
fn name_pattern() {
    let (_sim, mut c) = dummy_sim();
    for n in ["d0", "d3", "d4", "d5", "d6", "d7"] {
        assert_ok(&c.add_simple(n, "dummy"));
    }
    let d7 = c.index("d7");
    assert_ok(&c.add_simple("d%d", "dummy"));
    assert_ok(&c.add_simple("d%d", "dummy"));
    assert_eq!(c.index("d1"), d7 + 1);
    assert_eq!(c.index("d2"), d7 + 2);
    assert_ok(&c.add(None, "dummy", vec![], None));
    assert_eq!(c.index("dummy0"), d7 + 3);
}

/// INDEX-REQ (dummy-nlmon-names#34,#35, final table): `ip link add d20 index 100 type dummy`
/// → ifindex 100; `ip link add d21 index 100 type dummy` → EEXIST (the index names an existing
/// device and NLM_F_EXCL is set); a requested index does not move the cyclic allocator (in
/// the transcript d24..d27 and dummy0 got 16..20 after d20 took 100).
/// Kernel: `__rtnl_newlink` (`__dev_get_by_index`, NLM_F_EXCL) and `dev_index_reserve`.
#[test]
fn index_requested() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_with_index(&mut c, "d20", 100, "dummy"));
    assert_eq!(c.index("d20"), 100);
    assert_err(&add_with_index(&mut c, "d21", 100, "dummy"), EEXIST, None);
    assert!(!exists(&mut c, "d21"));
    assert_ok(&c.add_simple("d24", "dummy"));
    assert_eq!(c.index("d24"), 5);
    let t = table(&mut c);
    assert_eq!(t.last(), Some(&(100, "d20".to_string())), "{t:?}");
}

/// TXQ-ZERO (dummy-nlmon-names#37,#38): `numtxqueues 0` → EINVAL "Invalid number of transmit
/// queues"; `numtxqueues 4 numrxqueues 2` ok (final table: d24 has 4 tx queues).
/// Kernel: `rtnl_create_link`.
#[test]
fn txqueues_zero() {
    let (_sim, mut c) = dummy_sim();
    let a = c.add(
        Some("d23"),
        "dummy",
        vec![LinkAttribute::NumTxQueues(0)],
        None,
    );
    assert_err(&a, EINVAL, Some("Invalid number of transmit queues"));
    assert!(!exists(&mut c, "d23"));
    let a = c.add(
        Some("d24"),
        "dummy",
        vec![LinkAttribute::NumTxQueues(4), LinkAttribute::NumRxQueues(2)],
        None,
    );
    assert_ok(&a);
    let l = link(&mut c, "d24");
    assert_eq!((l.num_tx_queues(), l.num_rx_queues()), (4, 2));
}

/// KIND-UNKNOWN (dummy-nlmon-names#44): `type nosuchkind` → EOPNOTSUPP "Unknown device type".
/// Kernel: `__rtnl_newlink` (no ops after request_module).
#[test]
fn kind_unknown() {
    let (_sim, mut c) = dummy_sim();
    let a = c.add_simple("d28", "nosuchkind");
    assert_err(&a, EOPNOTSUPP, Some("Unknown device type"));
    assert!(!exists(&mut c, "d28"));
}

/// CREATE-MAC-INVALID (dummy-nlmon-names#12-#14): `address 00:00:00:00:00:00` and the multicast
/// `01:00:00:00:00:01` → EADDRNOTAVAIL without extack; `02:00:00:00:00:01` is taken as given.
/// Kernel: `dummy_validate` (`is_valid_ether_addr`).
#[test]
fn create_mac_invalid() {
    let (_sim, mut c) = dummy_sim();
    for (name, bad) in [("d1", "00:00:00:00:00:00"), ("d2", "01:00:00:00:00:01")] {
        let a = c.add(
            Some(name),
            "dummy",
            vec![LinkAttribute::Address(mac(bad).to_vec())],
            None,
        );
        assert_err(&a, EADDRNOTAVAIL, None);
        assert!(!exists(&mut c, name));
    }
    let a = c.add(
        Some("d3"),
        "dummy",
        vec![LinkAttribute::Address(mac("02:00:00:00:00:01").to_vec())],
        None,
    );
    assert_ok(&a);
    assert_eq!(link(&mut c, "d3").mac(), mac("02:00:00:00:00:01"));
}

// ----- dummy ---------------------------------------------------------------------------------

/// DUMMY-STATE + OPER-UNKNOWN (dummy-nlmon-names#1-#4): a new dummy is `<BROADCAST,NOARP>`,
/// qdisc noop, state DOWN, minmtu 0 maxmtu 0; up → `<BROADCAST,NOARP,UP,LOWER_UP>`, qdisc
/// noqueue, operstate UNKNOWN (carrier never toggled, so linkwatch never set an operstate).
/// Kernel: `dummy_setup`; `rfc2863_policy` never ran → default IF_OPER_UNKNOWN.
#[test]
fn dummy_state_and_oper_unknown() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("d0", "dummy"));
    let l = link(&mut c, "d0");
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_NOARP);
    assert_eq!(l.qdisc(), "noop");
    assert_eq!(l.oper(), State::Down);
    assert_eq!((l.min_mtu(), l.max_mtu(), l.mtu()), (0, 0, 1500));
    assert_ok(&c.up("d0"));
    let l = link(&mut c, "d0");
    assert_eq!(
        l.flags(),
        IFF_BROADCAST | IFF_NOARP | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(l.qdisc(), "noqueue");
    assert_eq!(l.oper(), State::Unknown);
}

/// DUMMY-MTU-ANY (dummy-nlmon-names#17-#21; mtu#1-#4,#6): dummy has min_mtu = max_mtu = 0, so
/// MTU 67, 68, 65535, 65536 at creation and 67, 68, 65535, 65536, 0 on an existing device
/// are all accepted. eth0 here is a dummy, as in the oracle.
/// Kernel: `dummy_setup`, `dev_validate_mtu`.
#[test]
fn dummy_mtu_any() {
    let (_sim, mut c) = dummy_sim();
    for (name, mtu) in [("d4", 67), ("d5", 68), ("d6", 65535), ("d7", 65536)] {
        assert_ok(&c.add(Some(name), "dummy", vec![LinkAttribute::Mtu(mtu)], None));
        assert_eq!(link(&mut c, name).mtu(), mtu);
    }
    for mtu in [67, 68, 65535, 65536, 0] {
        assert_ok(&c.mtu("eth0", mtu));
        assert_eq!(link(&mut c, "eth0").mtu(), mtu);
    }
}

/// MTU-LO (mtu#7,#8): `ip link set lo mtu 1000`, `mtu 1` → ok (loopback has no minimum).
/// Kernel: `loopback_setup` (gen_lo_setup leaves min_mtu 0), `dev_validate_mtu`.
#[test]
fn mtu_lo() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.mtu("lo", 1000));
    assert_ok(&c.mtu("lo", 1));
    assert_eq!(link(&mut c, "lo").mtu(), 1);
}

// ----- rename --------------------------------------------------------------------------------

/// RENAME-DOWN, RENAME-UP, RENAME-CLASH, RENAME-SAME, RENAME-PATTERN, RENAME-INVALID (kernel
/// part), RENAME-PORT (rename#1-#17 without the iproute2-only rejections, #29-#39).
/// eth0..2 are netdevsim ports (nothing here depends on dummy quirks).
/// Kernel: `dev_change_name` (6.12: no IFF_UP check) → `dev_get_valid_name`.
#[test]
fn rename_rules() {
    let (_sim, mut c) = nsim_sim();
    // #1-#4: rename while down, up, rename while up (6.12 allows live renaming).
    assert_ok(&c.rename("eth0", "lan0"));
    assert_ok(&c.up("lan0"));
    assert_ok(&c.rename("lan0", "lan1"));
    assert!(!exists(&mut c, "lan0"));
    let lan1 = link(&mut c, "lan1");
    assert_eq!(lan1.header.index, 2);
    assert!(lan1.is_up());
    // #5, #6: clash with another device's name / lo.
    assert_err(&c.rename("eth1", "eth2"), EEXIST, None);
    assert_err(&c.rename("eth1", "lo"), EEXIST, None);
    // #7: own name is a no-op.
    assert_ok(&c.rename("eth1", "eth1"));
    // #8, #9: a template takes the lowest free number (eth0 is free again).
    assert_ok(&c.rename("eth1", "eth%d"));
    assert_eq!(
        table(&mut c),
        [
            (1, "lo".to_string()),
            (2, "lan1".to_string()),
            (3, "eth0".to_string()),
            (4, "eth2".to_string())
        ]
    );
    // #10, #12, #14, #15: invalid names refused by the kernel; "x.y" is fine.
    assert_err(&c.rename("eth2", "x%dy%d"), EINVAL, None);
    assert_err(&c.rename("eth2", "x:y"), EINVAL, None);
    assert_ok(&c.rename("eth2", "x.y"));
    assert_err(&c.rename("x.y", "."), EINVAL, None);
    assert_eq!(c.index("x.y"), 4);
    // #29-#31: down again and back and forth.
    assert_ok(&c.down("lan1"));
    assert_ok(&c.rename("lan1", "lan3"));
    assert_ok(&c.rename("lan3", "lan1"));
    // #32-#34: an UP bridge renamed.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.up("br0"));
    assert_ok(&c.rename("br0", "br1"));
    assert!(link(&mut c, "br1").is_up());
    // #35-#37: an UP veth end renamed; its peer's IFLA_LINK still points at it.
    assert_ok(&c.add_veth("va", "vb"));
    assert_ok(&c.up("va"));
    assert_ok(&c.rename("va", "vc"));
    let vc = link(&mut c, "vc");
    assert_eq!(link(&mut c, "vb").iflink(), Some(vc.header.index));
    // #38, #39 (RENAME-PORT): a bridge port can be renamed; it stays a port.
    assert_ok(&c.master("lan1", "br1"));
    assert_ok(&c.rename("lan1", "lan2"));
    let lan2 = link(&mut c, "lan2");
    let br1 = link(&mut c, "br1");
    assert_eq!(lan2.master(), Some(br1.header.index));
    // #40: br1 took its only port's MAC (lowest port MAC, BR-MAC-LOWEST).
    assert_eq!(br1.mac(), lan2.mac());
}

// ----- deletion -------------------------------------------------------------------------------

/// DEL-LO (delete#1): `ip link del lo` → EOPNOTSUPP without extack; lo stays.
/// Kernel: `rtnl_dellink` → `rtnl_delete_link` (no rtnl_link_ops / dellink).
#[test]
fn del_lo() {
    let (_sim, mut c) = nsim_sim();
    assert_err(&c.del("lo"), EOPNOTSUPP, None);
    assert_eq!(c.index("lo"), 1);
}

/// DEL-TYPE-IGNORED (delete#36,#41-#44): `ip link del br1 type bond` deletes the bridge and
/// `ip link del eth2 type bridge` deletes the dummy eth2: the `type` is not checked.
/// eth2 is a dummy as in the oracle (netdevsim ports cannot be deleted).
/// Kernel: `rtnl_dellink` ignores IFLA_LINKINFO.
#[test]
fn del_type_ignored() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("br1", "bridge"));
    assert_ok(&del_typed(&mut c, "br1", "bond"));
    assert!(!exists(&mut c, "br1"));
    assert_ok(&del_typed(&mut c, "eth2", "bridge"));
    assert!(!exists(&mut c, "eth2"));
}

// ----- netdevsim ----------------------------------------------------------------------------

/// netdevsim: `ip link add x type netdevsim` → EOPNOTSUPP with the driver's message (kernel
/// text, no trailing period); ports are named eth0.. in order; `ip link del eth0` on a port →
/// EOPNOTSUPP (the ports carry no rtnl_link_ops).
/// Kernel: `nsim_validate` (drivers/net/netdevsim/netdev.c, NL_SET_ERR_MSG_MOD), `nsim_create`
/// (alloc_netdev "eth%d"), `rtnl_delete_link`.
#[test]
fn netdevsim_rules() {
    let (_sim, mut c) = nsim_sim();
    assert_eq!(
        table(&mut c),
        [
            (1, "lo".to_string()),
            (2, "eth0".to_string()),
            (3, "eth1".to_string()),
            (4, "eth2".to_string())
        ]
    );
    let a = c.add_simple("x", "netdevsim");
    assert_err(
        &a,
        EOPNOTSUPP,
        Some(
            "netdevsim: Please use: echo \"[ID] [PORT_COUNT] [NUM_QUEUES]\" > /sys/bus/netdevsim/new_device",
        ),
    );
    assert!(!exists(&mut c, "x"));
    assert_err(&c.del("eth0"), EOPNOTSUPP, None);
    assert_eq!(c.index("eth0"), 2);
    assert_eq!(link(&mut c, "eth0").kind(), None);
}

// ----- operstate ------------------------------------------------------------------------------

/// OPER-UNKNOWN (updown#1,#2,#41,#46): dummy up and lo up → operstate UNKNOWN with
/// LOWER_UP; a dummy taken down again reports DOWN (updown#25-#28 eth1).
/// Kernel: devices that never toggle carrier keep IF_OPER_UNKNOWN (`rfc2863_policy` never runs);
/// `rtnl_fill_ifinfo` reports DOWN while !netif_running.
#[test]
fn oper_unknown_dummy_lo() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.up("eth0"));
    let l = link(&mut c, "eth0");
    assert_eq!(l.oper(), State::Unknown);
    assert!(l.has_carrier());
    assert_ok(&c.up("lo"));
    let l = link(&mut c, "lo");
    assert_eq!(l.oper(), State::Unknown);
    assert_eq!(
        l.flags(),
        IFF_LOOPBACK | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_ok(&c.up("eth1"));
    assert_ok(&c.down("eth1"));
    let l = link(&mut c, "eth1");
    assert_eq!(l.oper(), State::Down);
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_NOARP);
}

/// The flags helper must match what `ip link set X up` sends.
#[test]
fn set_flags_helper_matches_up() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&set_flags(&mut c, "eth0", IFF_UP, IFF_UP));
    assert!(link(&mut c, "eth0").is_up());
}

/// NAME-EXISTS, NAME-INVALID-K, NAME-LEN, NAME-PATTERN, INDEX-REQ, TXQ-ZERO, KIND-UNKNOWN,
/// CREATE-MAC-INVALID, DUMMY-MTU-ANY together: the whole dummy-nlmon-names scenario (#1-#45,
/// without the commands iproute2 itself rejects: #24, #26, #36), then the final
/// `ip -d -j link show` table: which requests used an ifindex and which did not.
/// `nl0` is an nlmon device in the scenario; nlmon is not modelled, so a dummy named nl0 holds
/// its ifindex (6) and its nlmon-specific steps (#6-#11) are skipped.
/// eth0..2 are dummies as in the oracle.
/// Kernel: `__rtnl_newlink`, `rtnl_create_link`, `register_netdevice` (name before index),
/// `dev_index_reserve`.
#[test]
fn dummy_nlmon_names_final_table() {
    let (_sim, mut c) = dummy_sim();
    let attr_add = |c: &mut common::Client, name: Option<&str>, attrs: Vec<LinkAttribute>| {
        c.add(name, "dummy", attrs, None)
    };
    assert_ok(&c.add_simple("d0", "dummy")); // #1
    assert_ok(&c.up("d0")); // #3
    assert_ok(&c.add_simple("nl0", "dummy")); // #5 (stand-in)
    for (n, m) in [("d1", "00:00:00:00:00:00"), ("d2", "01:00:00:00:00:01")] {
        let a = attr_add(
            &mut c,
            Some(n),
            vec![LinkAttribute::Address(mac(m).to_vec())],
        );
        assert_err(&a, EADDRNOTAVAIL, None); // #12, #13
    }
    let a = attr_add(
        &mut c,
        Some("d3"),
        vec![LinkAttribute::Address(mac("02:00:00:00:00:01").to_vec())],
    );
    assert_ok(&a); // #14
    assert_ok(&c.add_simple("d3b", "dummy")); // #15 (iproute2 drops the options after `type`)
    for (n, m) in [("d4", 67), ("d5", 68), ("d6", 65535), ("d7", 65536)] {
        assert_ok(&attr_add(&mut c, Some(n), vec![LinkAttribute::Mtu(m)])); // #17-#20
    }
    assert_err(&c.add_simple("lo", "dummy"), EEXIST, None); // #22
    assert_err(&c.add_simple("eth0", "dummy"), EEXIST, None); // #23
    for bad in ["a:b", ".", ".."] {
        assert_err(&c.add_simple(bad, "dummy"), EINVAL, None); // #25, #27, #28
    }
    assert_ok(&c.add_simple("0123456789abcde", "dummy")); // #29
    let a = c.add_simple("0123456789abcdef", "dummy"); // #30
    assert_err(&a, ERANGE, Some("Attribute failed policy validation"));
    assert_ok(&c.add_simple("d%d", "dummy")); // #31
    assert_ok(&c.add_simple("d%d", "dummy")); // #32
    assert_err(&c.add_simple("x%dy%d", "dummy"), EINVAL, None); // #33
    assert_ok(&add_with_index(&mut c, "d20", 100, "dummy")); // #34
    assert_err(&add_with_index(&mut c, "d21", 100, "dummy"), EEXIST, None); // #35
    let a = attr_add(&mut c, Some("d23"), vec![LinkAttribute::NumTxQueues(0)]); // #37
    assert_err(&a, EINVAL, Some("Invalid number of transmit queues"));
    let a = attr_add(
        &mut c,
        Some("d24"),
        vec![LinkAttribute::NumTxQueues(4), LinkAttribute::NumRxQueues(2)],
    );
    assert_ok(&a); // #38
    assert_ok(&attr_add(
        &mut c,
        Some("d25"),
        vec![LinkAttribute::TxQueueLen(0)],
    )); // #39
    assert_ok(&attr_add(
        &mut c,
        Some("d26"),
        vec![LinkAttribute::Group(5)],
    )); // #40
    assert_ok(&c.add_simple("d27", "dummy")); // #41
    assert_err(&c.add_simple("d27", "dummy"), EEXIST, None); // #42
    assert_err(&c.add_simple("d27", "bridge"), EEXIST, None); // #43
    let a = c.add_simple("d28", "nosuchkind"); // #44
    assert_err(&a, EOPNOTSUPP, Some("Unknown device type"));
    assert_ok(&c.add(None, "dummy", vec![], None)); // #45

    let expected: Vec<(u32, String)> = [
        (1, "lo"),
        (2, "eth0"),
        (3, "eth1"),
        (4, "eth2"),
        (5, "d0"),
        (6, "nl0"),
        (7, "d3"),
        (8, "d3b"),
        (9, "d4"),
        (10, "d5"),
        (11, "d6"),
        (12, "d7"),
        (13, "0123456789abcde"),
        (14, "d1"),
        (15, "d2"),
        (16, "d24"),
        (17, "d25"),
        (18, "d26"),
        (19, "d27"),
        (20, "dummy0"),
        (100, "d20"),
    ]
    .iter()
    .map(|(i, n)| (*i, n.to_string()))
    .collect();
    assert_eq!(table(&mut c), expected);
    let mtus: Vec<u32> = ["d4", "d5", "d6", "d7"]
        .iter()
        .map(|n| link(&mut c, n).mtu())
        .collect();
    assert_eq!(mtus, [67, 68, 65535, 65536]);
    let d25 = link(&mut c, "d25");
    let txqlen = d25.attr(|a| match a {
        LinkAttribute::TxQueueLen(q) => Some(*q),
        _ => None,
    });
    assert_eq!(txqlen, Some(0));
    let d26 = link(&mut c, "d26");
    let group = d26.attr(|a| match a {
        LinkAttribute::Group(g) => Some(*g),
        _ => None,
    });
    assert_eq!(group, Some(5));
    let d0 = link(&mut c, "d0");
    assert_eq!(d0.oper(), State::Unknown);
    assert_eq!(link(&mut c, "d3").mac(), mac("02:00:00:00:00:01"));
}
