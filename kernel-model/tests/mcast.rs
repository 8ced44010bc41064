//! Multicast and anycast memberships (net/ipv6/mcast.c, anycast.c, net/ipv4/igmp.c), as
//! measured on the oracle in golden/scenarios/maddr.sh (CMD numbers below): solicited-node
//! groups per unicast address with their users, the subnet-router anycast addresses IPv6
//! forwarding joins, and the /proc/net files `ip maddr` reads.

mod common;

use common::*;
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::inet::ifaddr::ifa_f;
use kernel_model::inet::procfs::ProcNetFile;
use kernel_model::time::NSEC_PER_SEC;
use kernel_model::uapi::iff;
use kernel_model::{Kernel, NetnsId};
use std::net::{IpAddr, Ipv6Addr};

fn v6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

fn add6(k: &mut Kernel, ns: NetnsId, a: &str, plen: u8) {
    let req = AddrRequest {
        prefixlen: plen,
        ifindex: ifindex(k, ns, "eth0"),
        address: Some(IpAddr::V6(v6(a))),
        flags: Some(ifa_f::NODAD),
        ..AddrRequest::default()
    };
    k.inet6_rtm_newaddr(ns, &req).unwrap();
    // Even a nodad address joins its solicited-node group from the DAD work, which the
    // kernel queues with no delay (`addrconf_dad_start`): let it run.
    k.advance_by(NSEC_PER_SEC / 10);
    k.check_invariants().unwrap();
}

fn del6(k: &mut Kernel, ns: NetnsId, a: &str, plen: u8) {
    let req = AddrRequest {
        prefixlen: plen,
        ifindex: ifindex(k, ns, "eth0"),
        address: Some(IpAddr::V6(v6(a))),
        ..AddrRequest::default()
    };
    k.inet6_rtm_deladdr(ns, &req).unwrap();
    k.check_invariants().unwrap();
}

fn forwarding(k: &mut Kernel, ns: NetnsId, on: bool) {
    let v = if on { "1" } else { "0" };
    k.sysctl_write(ns, "ipv6/conf/eth0/forwarding", v.as_bytes(), 0)
        .unwrap();
    k.check_invariants().unwrap();
}

/// eth0 with MAC 02:00:00:00:00:e0, up, its link-local past DAD (maddr.sh CMD[1]-[6]).
fn eth0_up() -> (Kernel, NetnsId) {
    let mut k = boot();
    let ns = k.init_net();
    set(&mut k, ns, "eth0", |r| {
        r.address = Some(vec![2, 0, 0, 0, 0, 0xe0]);
    })
    .unwrap();
    set(&mut k, ns, "eth0", |r| {
        r.ifi_flags = iff::UP;
        r.ifi_change = iff::UP;
    })
    .unwrap();
    k.advance_by(3 * NSEC_PER_SEC);
    k.take_events();
    (k, ns)
}

fn mc(k: &Kernel, ns: NetnsId) -> Vec<(Ipv6Addr, u32, u32)> {
    k.ipv6_mc_list(dev(k, ns, "eth0"))
        .into_iter()
        .map(|g| (g.addr, g.users, g.flags))
        .collect()
}

fn ac(k: &Kernel, ns: NetnsId) -> Vec<(Ipv6Addr, u32)> {
    k.in6_dev_anycast(dev(k, ns, "eth0"))
        .iter()
        .map(|a| (a.addr, a.users))
        .collect()
}

#[test]
fn solicited_node_group_counts_each_address() {
    let (mut k, ns) = eth0_up();
    add6(&mut k, ns, "2001:db8::e0", 64);
    add6(&mut k, ns, "2001:db8:1::e0", 64);
    // CMD[12]: fe80::ff:fe00:e0, 2001:db8::e0 and 2001:db8:1::e0 share ff02::1:ff00:e0.
    assert_eq!(
        mc(&k, ns),
        vec![
            (v6("ff02::1:ff00:e0"), 3, 0x04),
            (v6("ff02::1"), 1, 0x0c),
            (v6("ff01::1"), 1, 0x08),
        ]
    );
    let text = k.proc_net_read(ns, ProcNetFile::Igmp6).unwrap();
    // A device never up has ff02::1 loaded since `ipv6_add_dev` (CMD[4], eth0 before up).
    assert!(
        text.starts_with(
            "1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "2    eth0            ff0200000000000000000001ff0000e0     3 00000004 0\n\
         2    eth0            ff020000000000000000000000000001     1 0000000C 0\n\
         2    eth0            ff010000000000000000000000000001     1 00000008 0\n"
    ));
}

#[test]
fn forwarding_joins_subnet_router_anycast() {
    let (mut k, ns) = eth0_up();
    add6(&mut k, ns, "2001:db8::e0", 64);
    add6(&mut k, ns, "2001:db8:1::e0", 64);
    assert_eq!(ac(&k, ns), vec![]);
    forwarding(&mut k, ns, true);
    // CMD[17]: the walk of the address list (global ones first) links each at the head.
    assert_eq!(
        ac(&k, ns),
        vec![
            (v6("fe80::"), 1),
            (v6("2001:db8::"), 1),
            (v6("2001:db8:1::"), 1)
        ]
    );
    // CMD[15]: their solicited-node group ff02::1:ff00:0, three users.
    assert_eq!(mc(&k, ns)[0], (v6("ff02::1:ff00:0"), 3, 0x04));
    // CMD[19]-[23]: a second address of a prefix adds a user, /127 none, a delete one less.
    add6(&mut k, ns, "2001:db8:1::e1", 64);
    add6(&mut k, ns, "2001:db8:2::e0", 127);
    assert_eq!(ac(&k, ns)[2], (v6("2001:db8:1::"), 2));
    assert_eq!(ac(&k, ns).len(), 3);
    del6(&mut k, ns, "2001:db8:1::e0", 64);
    assert_eq!(ac(&k, ns)[2], (v6("2001:db8:1::"), 1));
    assert_eq!(
        k.proc_net_read(ns, ProcNetFile::Anycast6).unwrap(),
        "2    eth0            fe800000000000000000000000000000     1\n\
         2    eth0            20010db8000000000000000000000000     1\n\
         2    eth0            20010db8000100000000000000000000     1\n"
    );
    // CMD[41]-[43]: forwarding off leaves them all, and their group.
    forwarding(&mut k, ns, false);
    assert_eq!(ac(&k, ns), vec![]);
    assert!(mc(&k, ns).iter().all(|g| g.0 != v6("ff02::1:ff00:0")));
}

#[test]
fn proc_net_igmp_lists_groups_newest_first() {
    let (mut k, ns) = eth0_up();
    let req = AddrRequest {
        prefixlen: 32,
        ifindex: ifindex(&k, ns, "eth0"),
        local: Some(IpAddr::V4("224.1.1.1".parse().unwrap())),
        address: Some(IpAddr::V4("224.1.1.1".parse().unwrap())),
        flags: Some(ifa_f::MCAUTOJOIN),
        ..AddrRequest::default()
    };
    k.inet_rtm_newaddr(ns, &req).unwrap();
    // CMD[28].
    assert_eq!(
        k.proc_net_read(ns, ProcNetFile::Igmp).unwrap(),
        "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n\
         2\teth0      :     2      V3\n\
         \t\t\t\t010101E0     1 0:00000000\t\t0\n\
         \t\t\t\t010000E0     1 0:00000000\t\t0\n"
    );
    // CMD[44]-[50]: down leaves all-hosts; up joins it again, now the newest.
    for on in [false, true] {
        set(&mut k, ns, "eth0", |r| {
            r.ifi_flags = if on { iff::UP } else { 0 };
            r.ifi_change = iff::UP;
        })
        .unwrap();
    }
    assert!(k.proc_net_read(ns, ProcNetFile::Igmp).unwrap().ends_with(
        "\t\t\t\t010000E0     1 0:00000000\t\t0\n\t\t\t\t010101E0     1 0:00000000\t\t0\n"
    ));
}
