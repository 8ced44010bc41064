//! VRF tables (drivers/net/vrf.c, net/l3mdev/l3mdev.c): `l3mdev_fib_table` gives the vrf's
//! table for the vrf and its ports, and enslaving cycles a running port so its address routes
//! leave main / local for the vrf table and come back on release (measured:
//! golden/kernel/6.12/vrf.txt CMD[11]-[16], addr4-events.txt CMD[56]-[63]).

mod common;

use common::{boot, dev, ifindex, set, CREATE};
use kernel_model::inet::devinet::AddrRequest;
use kernel_model::inet::fib::uapi::table;
use kernel_model::kinds::vrf::VrfData;
use kernel_model::uapi::iff;
use kernel_model::{Kernel, KindData, LinkInfoRequest, LinkRequest, NetnsId};
use std::net::{IpAddr, Ipv4Addr};

fn add_vrf(k: &mut Kernel, ns: NetnsId, name: &str, tb: u32) {
    let req = LinkRequest {
        ifname: Some(name.into()),
        nlm: CREATE,
        linkinfo: Some(LinkInfoRequest {
            kind: Some("vrf".into()),
            data: Some(KindData::new(VrfData { table: Some(tb) })),
            ..Default::default()
        }),
        ..Default::default()
    };
    k.newlink(ns, &req).unwrap();
}

fn set_master(k: &mut Kernel, ns: NetnsId, name: &str, master: Option<&str>) {
    let m = master.map_or(0, |m| ifindex(k, ns, m));
    set(k, ns, name, |r| r.master = Some(m)).unwrap();
}

/// (table, destination/plen) of every IPv4 route, in dump order.
fn routes(k: &Kernel) -> Vec<(u32, String)> {
    k.fib4_routes(k.init_net())
        .iter()
        .map(|v| (v.table, format!("{}/{}", v.dst, v.dst_len)))
        .collect()
}

#[test]
fn the_vrf_and_its_ports_use_the_vrf_table() {
    let mut k = boot();
    let ns = k.init_net();
    add_vrf(&mut k, ns, "vrf0", 10);
    let (vrf0, eth0) = (dev(&k, ns, "vrf0"), dev(&k, ns, "eth0"));
    assert_eq!(k.l3mdev_fib_table(vrf0), Some(10));
    assert_eq!(k.l3mdev_fib_table(eth0), None);
    set_master(&mut k, ns, "eth0", Some("vrf0"));
    assert_eq!(k.l3mdev_fib_table(eth0), Some(10));
    assert!(k.netif_is_l3_master(vrf0) && !k.netif_is_l3_master(eth0));
    // Released: no L3 master any more.
    set_master(&mut k, ns, "eth0", None);
    assert_eq!(k.l3mdev_fib_table(eth0), None);
}

#[test]
fn enslaving_a_running_port_moves_its_routes_to_the_vrf_table_and_back() {
    let mut k = boot();
    let ns = k.init_net();
    add_vrf(&mut k, ns, "vrf0", 10);
    let req = AddrRequest {
        prefixlen: 24,
        ifindex: ifindex(&k, ns, "eth0"),
        local: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
        ..AddrRequest::default()
    };
    k.inet_rtm_newaddr(ns, &req).unwrap();
    set(&mut k, ns, "eth0", |r| {
        r.ifi_flags = iff::UP;
        r.ifi_change = iff::UP;
    })
    .unwrap();
    let main_local = vec![
        (table::MAIN, "192.0.2.0/24".to_string()),
        (table::LOCAL, "192.0.2.1/32".to_string()),
        (table::LOCAL, "192.0.2.255/32".to_string()),
    ];
    assert_eq!(routes(&k), main_local);
    // cycle_netdev: down (fib_disable_ip flushes them), up (fib_add_ifaddr in table 10).
    set_master(&mut k, ns, "eth0", Some("vrf0"));
    assert_eq!(
        routes(&k),
        vec![
            (10, "192.0.2.0/24".to_string()),
            (10, "192.0.2.1/32".to_string()),
            (10, "192.0.2.255/32".to_string()),
        ]
    );
    set_master(&mut k, ns, "eth0", None);
    assert_eq!(routes(&k), main_local);
}
