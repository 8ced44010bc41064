//! Bridge FDB and device address lists (issue 5): PF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH /
//! RTM_GETNEIGH as `bridge fdb` sends them. Every expected outcome is from the 6.12.117 kernel
//! transcript golden/kernel/6.12/bridge-fdb.txt (scenario golden/scenarios/bridge-fdb.sh, run
//! on the oracle with netdevsim ports eth0..eth2); `#N` is its command number.
//! Kernel: net/bridge/br_fdb.c (`fdb_add_local`, `br_fdb_add`, `br_fdb_delete`,
//! `br_fdb_changeaddr`, `br_fdb_change_mac_address`, `br_fdb_delete_by_port`, `br_fdb_dump`),
//! net/core/rtnetlink.c (`rtnl_fdb_add`, `rtnl_fdb_del`, `rtnl_fdb_dump`, `ndo_dflt_fdb_*`).

mod common;
mod rules_support;

use common::Client;
use libc::{EEXIST, EINVAL, ENOENT, EOPNOTSUPP, EPERM};
use netlink_packet_core::{
    NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use netlink_packet_route::neighbour::{
    NeighbourAttribute, NeighbourFlags, NeighbourHeader, NeighbourMessage, NeighbourState,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use rules_support::*;

const NUD_PERMANENT: u16 = 0x80;
const NUD_NOARP: u16 = 0x40;
const NUD_REACHABLE: u16 = 0x02;
const NTF_SELF: u8 = 0x02;
const NTF_MASTER: u8 = 0x04;
const NTF_STICKY: u8 = 0x40;

/// One entry as `bridge fdb show` prints it: (mac, device, vlan, flags word, state word).
type Entry = (String, String, u16, &'static str, &'static str);

fn mac_str(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn neigh(ifindex: u32, state: u16, flags: u8, mac: &str, vid: u16) -> NeighbourMessage {
    let h = NeighbourHeader {
        family: AddressFamily::Bridge,
        ifindex,
        state: NeighbourState::from(state),
        flags: NeighbourFlags::from_bits_retain(flags),
        ..Default::default()
    };
    let mut m = NeighbourMessage::default();
    m.header = h;
    m.attributes.push(NeighbourAttribute::LinkLayerAddress(
        rules_support::mac(mac).to_vec(),
    ));
    if vid != 0 {
        m.attributes.push(NeighbourAttribute::Vlan(vid));
    }
    m
}

/// `bridge fdb add|replace MAC dev DEV [master|self] [static|dynamic] [sticky] [vlan V]`:
/// iproute2 6.1 sends NUD_PERMANENT unless `static` (NUD_NOARP) or `dynamic` (NUD_REACHABLE).
fn fdb_add(
    c: &mut Client,
    dev: &str,
    mac: &str,
    state: u16,
    flags: u8,
    vid: u16,
) -> common::Answer {
    let i = c.index(dev);
    c.request(
        RouteNetlinkMessage::NewNeighbour(neigh(i, state, flags, mac, vid)),
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    )
}

fn fdb_del(c: &mut Client, dev: &str, mac: &str, flags: u8, vid: u16) -> common::Answer {
    let i = c.index(dev);
    c.request(
        RouteNetlinkMessage::DelNeighbour(neigh(i, NUD_PERMANENT, flags, mac, vid)),
        NLM_F_REQUEST | NLM_F_ACK,
    )
}

fn to_entries(c: &mut Client, msgs: Vec<NeighbourMessage>) -> Vec<Entry> {
    let names: std::collections::HashMap<u32, String> = table(c).into_iter().collect();
    msgs.into_iter()
        .map(|m| {
            let mut mac = String::new();
            let mut vid = 0;
            let mut master = false;
            for a in &m.attributes {
                match a {
                    NeighbourAttribute::LinkLayerAddress(b) => mac = mac_str(b),
                    NeighbourAttribute::Vlan(v) => vid = *v,
                    NeighbourAttribute::Controller(_) => master = true,
                    _ => {}
                }
            }
            let flags = m.header.flags.bits();
            let how = match (master, flags & NTF_STICKY != 0) {
                (true, true) => "sticky master",
                (true, false) => "master",
                (false, _) => "self",
            };
            let state = match u16::from(m.header.state) {
                NUD_PERMANENT => "permanent",
                NUD_NOARP => "static",
                _ => "other",
            };
            let dev = names.get(&m.header.ifindex).cloned().unwrap_or_default();
            (mac, dev, vid, how, state)
        })
        .collect()
}

/// `bridge fdb show [br BR] [dev DEV]`: NDA_MASTER and ndm_ifindex filters (strict checking
/// on, as iproute2 sets it).
fn fdb_show(c: &mut Client, br: Option<&str>, dev: Option<&str>) -> Vec<Entry> {
    let mut m = NeighbourMessage::default();
    m.header.family = AddressFamily::Bridge;
    if let Some(d) = dev {
        m.header.ifindex = c.index(d);
    }
    if let Some(b) = br {
        m.attributes
            .push(NeighbourAttribute::Controller(c.index(b)));
    }
    let a = c.request(
        RouteNetlinkMessage::GetNeighbour(m),
        NLM_F_REQUEST | NLM_F_DUMP,
    );
    assert!(a.ok(), "fdb dump: {a:?}");
    let msgs = a
        .messages
        .into_iter()
        .filter_map(|m| match m.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNeighbour(n)) => Some(n),
            _ => None,
        })
        .collect();
    to_entries(c, msgs)
}

fn e(mac: &str, dev: &str, vid: u16, how: &'static str, state: &'static str) -> Entry {
    (mac.to_string(), dev.to_string(), vid, how, state)
}

fn setup() -> (nlsim::Sim, Client) {
    let (sim, mut c) = nsim_sim();
    c.sock.set_strict_chk(true).expect("strict checking");
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:0a")));
    assert_ok(&c.address("eth1", mac("02:00:00:00:00:0b")));
    assert_ok(&newlink(
        &mut c,
        0,
        vec![
            netlink_packet_route::link::LinkAttribute::IfName("br0".into()),
            netlink_packet_route::link::LinkAttribute::Address(mac("02:00:00:00:00:b0").to_vec()),
            kind_info("bridge", None),
        ],
        CREATE,
    ));
    (sim, c)
}

/// FDB-BR-LOCAL, FDB-PORT-LOCAL, FDB-SELF-MC (#4-#8): the bridge's and the port's local entries
/// (VLAN-less and default pvid 1, newest first) and every Ethernet device's 33:33:00:00:00:01
/// from IPv6's all-nodes membership (`ipv6_add_dev` at registration), in `dev_index_head`
/// order.
#[test]
fn local_entries_and_address_lists() {
    let (_sim, mut c) = setup();
    assert_eq!(
        fdb_show(&mut c, Some("br0"), None),
        vec![
            e("33:33:00:00:00:01", "br0", 0, "self", "permanent"),
            e("02:00:00:00:00:b0", "br0", 1, "master", "permanent"),
            e("02:00:00:00:00:b0", "br0", 0, "master", "permanent"),
        ]
    );
    assert_ok(&c.master("eth0", "br0"));
    assert_eq!(
        fdb_show(&mut c, None, None),
        vec![
            e("02:00:00:00:00:0a", "eth0", 1, "master", "permanent"),
            e("02:00:00:00:00:0a", "eth0", 0, "master", "permanent"),
            e("33:33:00:00:00:01", "eth0", 0, "self", "permanent"),
            e("33:33:00:00:00:01", "eth1", 0, "self", "permanent"),
            e("33:33:00:00:00:01", "eth2", 0, "self", "permanent"),
            e("33:33:00:00:00:01", "br0", 0, "self", "permanent"),
            e("02:00:00:00:00:b0", "br0", 1, "master", "permanent"),
            e("02:00:00:00:00:b0", "br0", 0, "master", "permanent"),
        ]
    );
    assert_eq!(
        fdb_show(&mut c, None, Some("eth0")),
        vec![
            e("02:00:00:00:00:0a", "eth0", 1, "master", "permanent"),
            e("02:00:00:00:00:0a", "eth0", 0, "master", "permanent"),
            e("33:33:00:00:00:01", "eth0", 0, "self", "permanent"),
        ]
    );
}

/// FDB-ADD-* (#9-#21): `br_fdb_add` / `fdb_add_entry` outcomes and their errno.
#[test]
fn static_entries_and_errors() {
    let (_sim, mut c) = setup();
    assert_ok(&c.master("eth0", "br0"));
    let m = NTF_MASTER;
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:01",
        NUD_NOARP,
        m,
        0,
    ));
    // #10: NLM_F_EXCL on an existing entry.
    assert_err(
        &fdb_add(&mut c, "eth0", "02:00:00:00:00:01", NUD_NOARP, m, 0),
        EEXIST,
        None,
    );
    // #11: replace.
    let i = c.index("eth0");
    assert_ok(&c.request(
        RouteNetlinkMessage::NewNeighbour(neigh(i, NUD_NOARP, m, "02:00:00:00:00:01", 0)),
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
    ));
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:02",
        NUD_PERMANENT,
        m,
        0,
    ));
    // #13: a dynamic entry needs a learning or forwarding port.
    assert_err(
        &fdb_add(&mut c, "eth0", "02:00:00:00:00:03", NUD_REACHABLE, m, 0),
        EPERM,
        None,
    );
    // #14: VLAN 5 is not configured on the port.
    assert_err(
        &fdb_add(&mut c, "eth0", "02:00:00:00:00:04", NUD_NOARP, m, 5),
        EINVAL,
        None,
    );
    // #15: the port's own local entry exists.
    assert_err(
        &fdb_add(&mut c, "eth0", "02:00:00:00:00:0a", NUD_NOARP, m, 0),
        EEXIST,
        None,
    );
    // #16, #17: NTF_MASTER on a device that is not a bridge port.
    assert_err(
        &fdb_add(&mut c, "eth1", "02:00:00:00:00:05", NUD_NOARP, m, 0),
        EOPNOTSUPP,
        None,
    );
    assert_err(
        &fdb_add(&mut c, "br0", "02:00:00:00:00:06", NUD_NOARP, m, 0),
        EOPNOTSUPP,
        None,
    );
    // #18: the bridge's own ndo_fdb_add.
    assert_ok(&fdb_add(
        &mut c,
        "br0",
        "02:00:00:00:00:06",
        NUD_PERMANENT,
        NTF_SELF,
        0,
    ));
    // #19, #20: a multicast address is accepted, the zero address is not.
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "01:00:5e:00:00:05",
        NUD_NOARP,
        m,
        0,
    ));
    assert_err(
        &fdb_add(&mut c, "eth0", "00:00:00:00:00:00", NUD_NOARP, m, 0),
        EINVAL,
        None,
    );
    // #21
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:07",
        NUD_NOARP,
        m | NTF_STICKY,
        0,
    ));
    // #23
    assert_eq!(
        fdb_show(&mut c, None, Some("eth0")),
        vec![
            e("02:00:00:00:00:07", "eth0", 1, "sticky master", "static"),
            e("02:00:00:00:00:07", "eth0", 0, "sticky master", "static"),
            e("01:00:5e:00:00:05", "eth0", 1, "master", "static"),
            e("01:00:5e:00:00:05", "eth0", 0, "master", "static"),
            e("02:00:00:00:00:02", "eth0", 1, "master", "permanent"),
            e("02:00:00:00:00:02", "eth0", 0, "master", "permanent"),
            e("02:00:00:00:00:01", "eth0", 1, "master", "static"),
            e("02:00:00:00:00:01", "eth0", 0, "master", "static"),
            e("02:00:00:00:00:0a", "eth0", 1, "master", "permanent"),
            e("02:00:00:00:00:0a", "eth0", 0, "master", "permanent"),
            e("33:33:00:00:00:01", "eth0", 0, "self", "permanent"),
        ]
    );
    // #25-#28: delete, ENOENT, a local entry, not a port.
    assert_ok(&fdb_del(&mut c, "eth0", "02:00:00:00:00:01", m, 0));
    assert_err(
        &fdb_del(&mut c, "eth0", "02:00:00:00:00:01", m, 0),
        ENOENT,
        None,
    );
    assert_ok(&fdb_del(&mut c, "eth0", "02:00:00:00:00:0a", m, 0));
    assert_err(
        &fdb_del(&mut c, "eth1", "02:00:00:00:00:02", m, 0),
        EOPNOTSUPP,
        None,
    );
}

/// FDB-PORT-CHADDR, FDB-BR-CHADDR, FDB-VLAN-*, FDB-PORT-LEAVE (#30-#48): local entries follow
/// MAC changes and VLANs; a leaving port takes all its entries, static ones included.
#[test]
fn local_entries_follow_addresses_vlans_and_ports() {
    let (_sim, mut c) = setup();
    assert_ok(&c.master("eth0", "br0"));
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:1a")));
    assert_ok(&c.address("br0", mac("02:00:00:00:00:b1")));
    assert_eq!(
        fdb_show(&mut c, Some("br0"), None),
        vec![
            e("02:00:00:00:00:1a", "eth0", 1, "master", "permanent"),
            e("02:00:00:00:00:1a", "eth0", 0, "master", "permanent"),
            e("33:33:00:00:00:01", "eth0", 0, "self", "permanent"),
            e("33:33:00:00:00:01", "br0", 0, "self", "permanent"),
            e("02:00:00:00:00:b1", "br0", 1, "master", "permanent"),
            e("02:00:00:00:00:b1", "br0", 0, "master", "permanent"),
        ]
    );
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        netlink_packet_route::link::InfoBridge::VlanFiltering(true),
    ));
    // `bridge vlan add vid 10 dev eth0` is an AF_BRIDGE RTM_SETLINK; the port's VLAN brings
    // its local entry, a static entry may then use VLAN 10 but not the unknown 20 (#39, #40).
    let eth0 = c.index("eth0");
    let vinfo = |vid: u16| {
        let mut b = Vec::new();
        b.extend_from_slice(&0u16.to_ne_bytes());
        b.extend_from_slice(&vid.to_ne_bytes());
        b
    };
    let mut req = vec![0u8; 16];
    req[0] = libc::AF_BRIDGE as u8;
    req[4..8].copy_from_slice(&eth0.to_ne_bytes());
    let nla = |t: u16, v: &[u8]| {
        let mut a = Vec::new();
        a.extend_from_slice(&((4 + v.len()) as u16).to_ne_bytes());
        a.extend_from_slice(&t.to_ne_bytes());
        a.extend_from_slice(v);
        while a.len() % 4 != 0 {
            a.push(0);
        }
        a
    };
    let spec = nla(0x8000 | 26, &nla(2, &vinfo(10))); // IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO }
    let body: Vec<u8> = req.into_iter().chain(spec).collect();
    let mut msg = Vec::new();
    msg.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    msg.extend_from_slice(&19u16.to_ne_bytes()); // RTM_SETLINK
    msg.extend_from_slice(&(NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
    msg.extend_from_slice(&7u32.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend_from_slice(&body);
    assert_ok(&c.request_raw(&msg, false));
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:08",
        NUD_NOARP,
        NTF_MASTER,
        10,
    ));
    assert_err(
        &fdb_add(
            &mut c,
            "eth0",
            "02:00:00:00:00:09",
            NUD_NOARP,
            NTF_MASTER,
            20,
        ),
        EINVAL,
        None,
    );
    assert_eq!(
        fdb_show(&mut c, None, Some("eth0"))[..3],
        [
            e("02:00:00:00:00:08", "eth0", 10, "master", "static"),
            e("02:00:00:00:00:1a", "eth0", 10, "master", "permanent"),
            e("02:00:00:00:00:1a", "eth0", 1, "master", "permanent"),
        ]
    );
    // #47, #48: the port leaves with every entry.
    assert_ok(&c.nomaster("eth0"));
    assert_eq!(
        fdb_show(&mut c, Some("br0"), None),
        vec![
            e("33:33:00:00:00:01", "br0", 0, "self", "permanent"),
            e("02:00:00:00:00:b1", "br0", 1, "master", "permanent"),
            e("02:00:00:00:00:b1", "br0", 0, "master", "permanent"),
        ]
    );
}

/// FDB-SELF-UP / -REUP / -MTU / -DOWN and FDB-DFLT-* (#56-#77): `ndo_dflt_fdb_add` puts
/// permanent addresses in the unicast or multicast list (EEXIST with NLM_F_EXCL, EINVAL when
/// not permanent... except that iproute2's default state is permanent); up adds 224.0.0.1's
/// 01:00:5e:00:00:01 (`ip_mc_up`), a NOARP dummy joins no solicited-node group, down drops
/// every protocol membership, an MTU below 1280 removes IPv6's.
#[test]
fn device_address_lists() {
    let (_sim, mut c) = setup();
    assert_ok(&newlink(
        &mut c,
        0,
        vec![
            netlink_packet_route::link::LinkAttribute::IfName("d0".into()),
            netlink_packet_route::link::LinkAttribute::Address(mac("02:00:00:00:00:d0").to_vec()),
            kind_info("dummy", None),
        ],
        CREATE,
    ));
    assert_ok(&fdb_add(
        &mut c,
        "d0",
        "02:00:00:00:00:10",
        NUD_PERMANENT,
        NTF_SELF,
        0,
    ));
    assert_err(
        &fdb_add(
            &mut c,
            "d0",
            "02:00:00:00:00:10",
            NUD_PERMANENT,
            NTF_SELF,
            0,
        ),
        EEXIST,
        None,
    );
    assert_err(
        &fdb_add(&mut c, "d0", "02:00:00:00:00:11", NUD_NOARP, NTF_SELF, 0),
        EINVAL,
        None,
    );
    assert_ok(&fdb_add(
        &mut c,
        "d0",
        "01:00:5e:00:00:11",
        NUD_PERMANENT,
        NTF_SELF,
        0,
    ));
    let show = |c: &mut Client| -> Vec<String> {
        fdb_show(c, None, Some("d0"))
            .into_iter()
            .map(|x| x.0)
            .collect()
    };
    assert_eq!(
        show(&mut c),
        [
            "02:00:00:00:00:10",
            "33:33:00:00:00:01",
            "01:00:5e:00:00:11"
        ]
    );
    assert_ok(&fdb_del(&mut c, "d0", "02:00:00:00:00:10", NTF_SELF, 0));
    assert_err(
        &fdb_del(&mut c, "d0", "02:00:00:00:00:10", NTF_SELF, 0),
        ENOENT,
        None,
    );
    assert_ok(&c.up("d0"));
    assert_eq!(
        show(&mut c),
        [
            "33:33:00:00:00:01",
            "01:00:5e:00:00:11",
            "01:00:5e:00:00:01"
        ]
    );
    assert_ok(&c.down("d0"));
    assert_ok(&c.up("d0"));
    assert_eq!(
        show(&mut c),
        [
            "01:00:5e:00:00:11",
            "01:00:5e:00:00:01",
            "33:33:00:00:00:01"
        ]
    );
    assert_ok(&c.mtu("d0", 1200));
    assert_eq!(show(&mut c), ["01:00:5e:00:00:11", "01:00:5e:00:00:01"]);
    assert_ok(&c.mtu("d0", 1500));
    assert_ok(&c.down("d0"));
    assert_eq!(show(&mut c), ["01:00:5e:00:00:11"]);
    assert_err(
        &fdb_add(&mut c, "d0", "02:00:00:00:00:12", NUD_NOARP, NTF_MASTER, 0),
        EOPNOTSUPP,
        None,
    );
}

/// FDB-LOWER-LISTS (#89-#100): the first VLAN on a device starts GVRP/MVRP
/// (01:80:c2:00:00:21), an up vlan / macvlan with its own MAC puts it in the lower's unicast
/// list and syncs its multicast list there (`dev_mc_sync`: its solicited-node group), a vlan
/// going down or a macvlan going away takes them back.
#[test]
fn stacked_devices_sync_their_lists_down() {
    let (_sim, mut c) = setup();
    assert_ok(&c.address("eth0", mac("02:00:00:00:00:1a")));
    let eth0 = c.index("eth0");
    let vlan =
        netlink_packet_route::link::InfoData::Vlan(vec![netlink_packet_route::link::InfoVlan::Id(
            5,
        )]);
    let macvlan = netlink_packet_route::link::InfoData::MacVlan(vec![
        netlink_packet_route::link::InfoMacVlan::Mode(
            netlink_packet_route::link::MacVlanMode::Bridge,
        ),
    ]);
    for (name, addr, kind, data) in [
        ("eth0.5", "02:00:00:00:05:05", "vlan", vlan),
        ("mv0", "02:00:00:00:06:06", "macvlan", macvlan),
    ] {
        assert_ok(&newlink(
            &mut c,
            0,
            vec![
                netlink_packet_route::link::LinkAttribute::IfName(name.into()),
                netlink_packet_route::link::LinkAttribute::Link(eth0),
                netlink_packet_route::link::LinkAttribute::Address(mac(addr).to_vec()),
                kind_info(kind, Some(data)),
            ],
            CREATE,
        ));
    }
    for d in ["eth0", "eth0.5", "mv0"] {
        assert_ok(&c.up(d));
    }
    let show = |c: &mut Client| -> Vec<String> {
        fdb_show(c, None, Some("eth0"))
            .into_iter()
            .map(|x| x.0)
            .collect()
    };
    assert_eq!(
        show(&mut c),
        [
            "02:00:00:00:05:05",
            "02:00:00:00:06:06",
            "33:33:00:00:00:01",
            "01:80:c2:00:00:21",
            "01:00:5e:00:00:01",
            "33:33:ff:00:00:1a",
            "33:33:ff:00:05:05",
            "33:33:ff:00:06:06",
        ]
    );
    assert_ok(&c.down("eth0.5"));
    assert_ok(&c.del("mv0"));
    assert_eq!(
        show(&mut c),
        [
            "33:33:00:00:00:01",
            "01:80:c2:00:00:21",
            "01:00:5e:00:00:01",
            "33:33:ff:00:00:1a",
        ]
    );
}

/// The notifications of #115-#132 (`bridge monitor fdb`): `fdb_notify` for every entry created
/// or deleted, NTF_SELF copies from `rtnl_fdb_notify`, all on RTNLGRP_NEIGH.
#[test]
fn notifications_on_rtnlgrp_neigh() {
    let (sim, mut c) = setup();
    let mon = Client::new(&sim);
    mon.sock.add_membership(3).expect("RTNLGRP_NEIGH");
    assert_ok(&c.master("eth0", "br0"));
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:21",
        NUD_NOARP,
        NTF_MASTER,
        0,
    ));
    assert_ok(&fdb_del(&mut c, "eth0", "02:00:00:00:00:21", NTF_MASTER, 0));
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:22",
        NUD_PERMANENT,
        NTF_SELF,
        0,
    ));
    let mut got = Vec::new();
    while let Ok(d) = mon.sock.recv_timeout(300) {
        let mut pos = 0;
        while pos + 16 <= d.len() {
            let len = u32::from_ne_bytes([d[pos], d[pos + 1], d[pos + 2], d[pos + 3]]) as usize;
            let m = netlink_packet_core::NetlinkMessage::<RouteNetlinkMessage>::deserialize(
                &d[pos..pos + len],
            )
            .expect("parse notification");
            match m.payload {
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNeighbour(n)) => {
                    got.push(("new", n))
                }
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::DelNeighbour(n)) => {
                    got.push(("del", n))
                }
                _ => {}
            }
            pos += (len + 3) & !3;
        }
    }
    let kinds: Vec<&str> = got.iter().map(|g| g.0).collect();
    let msgs = got.into_iter().map(|g| g.1).collect();
    let entries = to_entries(&mut c, msgs);
    let lines: Vec<(&str, Entry)> = kinds.into_iter().zip(entries).collect();
    assert_eq!(
        lines,
        vec![
            (
                "new",
                e("02:00:00:00:00:0a", "eth0", 0, "master", "permanent")
            ),
            (
                "new",
                e("02:00:00:00:00:0a", "eth0", 1, "master", "permanent")
            ),
            ("new", e("02:00:00:00:00:21", "eth0", 0, "master", "static")),
            ("new", e("02:00:00:00:00:21", "eth0", 1, "master", "static")),
            ("del", e("02:00:00:00:00:21", "eth0", 0, "master", "static")),
            ("del", e("02:00:00:00:00:21", "eth0", 1, "master", "static")),
            (
                "new",
                e("02:00:00:00:00:22", "eth0", 0, "self", "permanent")
            ),
        ]
    );
}

/// FDB-GET (#144-#157): `rtnl_fdb_get` finds one entry through the bridge (NDA_MASTER) or the
/// port (ndm_ifindex), with its VLAN; the errors carry the kernel's extack texts.
#[test]
fn fdb_get() {
    let (_sim, mut c) = setup();
    assert_ok(&c.master("eth0", "br0"));
    assert_ok(&fdb_add(
        &mut c,
        "eth0",
        "02:00:00:00:00:31",
        NUD_NOARP,
        NTF_MASTER,
        0,
    ));
    let get =
        |c: &mut Client, br: Option<&str>, dev: Option<&str>, mac: &str, vid: u16, flags: u8| {
            let mut m = neigh(0, 0, flags, mac, vid);
            if let Some(d) = dev {
                m.header.ifindex = c.index(d);
            }
            if let Some(b) = br {
                let i = c.index(b);
                m.attributes.push(NeighbourAttribute::Controller(i));
            }
            c.request(
                RouteNetlinkMessage::GetNeighbour(m),
                NLM_F_REQUEST | NLM_F_ACK,
            )
        };
    let entries = |c: &mut Client, a: common::Answer| -> Vec<Entry> {
        assert!(a.ok(), "{a:?}");
        let msgs = a
            .messages
            .into_iter()
            .filter_map(|m| match m.payload {
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNeighbour(n)) => Some(n),
                _ => None,
            })
            .collect();
        to_entries(c, msgs)
    };
    let a = get(&mut c, Some("br0"), None, "02:00:00:00:00:31", 0, 0);
    assert_eq!(
        entries(&mut c, a),
        vec![e("02:00:00:00:00:31", "eth0", 0, "master", "static")]
    );
    let a = get(&mut c, None, Some("eth0"), "02:00:00:00:00:31", 1, 0);
    assert_eq!(
        entries(&mut c, a),
        vec![e("02:00:00:00:00:31", "eth0", 1, "master", "static")]
    );
    let a = get(&mut c, Some("br0"), None, "02:00:00:00:00:b0", 0, 0);
    assert_eq!(
        entries(&mut c, a),
        vec![e("02:00:00:00:00:b0", "br0", 0, "master", "permanent")]
    );
    assert_err(
        &get(&mut c, Some("br0"), None, "02:00:00:00:00:32", 0, 0),
        ENOENT,
        Some("Fdb entry not found"),
    );
    assert_err(
        &get(&mut c, None, Some("eth1"), "02:00:00:00:00:31", 0, 0),
        EINVAL,
        Some("Device is not a bridge port"),
    );
    assert_err(
        &get(&mut c, None, Some("eth1"), "02:00:00:00:00:31", 0, NTF_SELF),
        EOPNOTSUPP,
        Some("Fdb get operation not supported by device"),
    );
    assert_err(
        &get(&mut c, Some("br0"), Some("eth0"), "02:00:00:00:00:31", 0, 0),
        EINVAL,
        Some("Master and device are mutually exclusive"),
    );
}

/// ADDRGENMODE-NONE, ADDRGENMODE-STABLE-NOSECRET, ADDRGENMODE-NO-IDEV (#158-#167; addr#44):
/// IFLA_AF_SPEC { AF_INET6 { ADDR_GEN_MODE } } on RTM_SETLINK. With `none` the device gets no
/// link-local address, so no solicited-node group in its list (`addrconf_addr_gen`); the dump
/// reports the mode; stable_privacy without a secret is EINVAL (`check_stable_privacy`);
/// without an inet6_dev (MTU below 1280) EAFNOSUPPORT (`inet6_validate_link_af`).
#[test]
fn addrgenmode() {
    use netlink_packet_route::link::{AfSpecInet6, AfSpecUnspec, In6AddrGenMode, LinkAttribute};
    let (_sim, mut c) = setup();
    let set = |c: &mut Client, dev: &str, m: In6AddrGenMode| {
        c.set(
            dev,
            vec![LinkAttribute::AfSpecUnspec(vec![AfSpecUnspec::Inet6(
                vec![AfSpecInet6::AddrGenMode(m)],
            )])],
            None,
        )
    };
    assert_ok(&c.address("eth2", mac("02:00:00:00:00:0e")));
    assert_ok(&set(&mut c, "eth0", In6AddrGenMode::None));
    for d in ["eth0", "eth2"] {
        assert_ok(&c.up(d));
    }
    let macs = |c: &mut Client, d: &str| -> Vec<String> {
        fdb_show(c, None, Some(d))
            .into_iter()
            .map(|x| x.0)
            .collect()
    };
    assert_eq!(
        macs(&mut c, "eth0"),
        ["33:33:00:00:00:01", "01:00:5e:00:00:01"]
    );
    assert_eq!(
        macs(&mut c, "eth2"),
        [
            "33:33:00:00:00:01",
            "01:00:5e:00:00:01",
            "33:33:ff:00:00:0e"
        ]
    );
    let gen_mode = link(&mut c, "eth0")
        .attributes
        .iter()
        .find_map(|a| match a {
            LinkAttribute::AfSpecUnspec(f) => f.iter().find_map(|x| match x {
                AfSpecUnspec::Inet6(v) => v.iter().find_map(|y| match y {
                    AfSpecInet6::AddrGenMode(m) => Some(*m),
                    _ => None,
                }),
                _ => None,
            }),
            _ => None,
        });
    assert_eq!(gen_mode, Some(In6AddrGenMode::None));
    assert_err(
        &set(&mut c, "eth2", In6AddrGenMode::StablePrivacy),
        EINVAL,
        None,
    );
    assert_ok(&c.mtu("eth0", 1200));
    assert_err(
        &set(&mut c, "eth0", In6AddrGenMode::Eui64),
        libc::EAFNOSUPPORT,
        None,
    );
}
