//! Catalog rules BR-VLAN-*, BR-STP-*, BR-TIMER-RANGE, BR-FWDMASK, BR-AGEING0 and the bridge
//! option / bridge port option handling around them (scenario bridge-options; outcomes from
//! kernel-transcripts/6.12/bridge-options.txt, the rest from the 6.12 sources named per test:
//! `br_changelink`, `br_setport`, `br_setlink`, `br_afspec`, net/bridge/br_vlan.c).
//!
//! Requests are built the way iproute2 6.1 builds them: `ip link set br0 type bridge OPT`
//! (RTM_NEWLINK, IFLA_LINKINFO/IFLA_INFO_DATA), `ip link set dev X type bridge_slave OPT`
//! (IFLA_INFO_SLAVE_KIND "bridge" + IFLA_INFO_SLAVE_DATA), `bridge link set` (AF_BRIDGE
//! RTM_SETLINK with a nested IFLA_PROTINFO), `bridge vlan add/del` (AF_BRIDGE RTM_SETLINK /
//! RTM_DELLINK with IFLA_AF_SPEC { [IFLA_BRIDGE_FLAGS] IFLA_BRIDGE_VLAN_INFO }) and
//! `bridge vlan show` (AF_BRIDGE RTM_GETLINK dump with IFLA_EXT_MASK RTEXT_FILTER_BRVLAN).

mod common;
mod rules_support;

use common::{Answer, Client, LinkExt};
use libc::{EBUSY, EINVAL, ENETDOWN, ENODEV, EOPNOTSUPP, EPROTONOSUPPORT, ERANGE};
use netlink_packet_core::{DefaultNla, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use netlink_packet_route::link::{
    AfSpecBridge, BridgeBooleanOptionFlags, BridgeBooleanOptions, BridgePortState, BridgeStpState,
    InfoBridge, InfoBridgePort, InfoData, InfoPortData, InfoPortKind, LinkAttribute,
    LinkExtentMask, LinkInfo, LinkMessage, State, VlanProtocol,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use rules_support::*;

const RTM_DELLINK: u16 = 17;
const RTM_SETLINK: u16 = 19;
const AF_BRIDGE: u8 = 7;
const IFLA_PROTINFO: u16 = 12;
const IFLA_AF_SPEC: u16 = 26;
const NLA_F_NESTED: u16 = 0x8000;
const IFLA_BRIDGE_FLAGS: u16 = 0;
const IFLA_BRIDGE_VLAN_INFO: u16 = 2;
const BRIDGE_FLAGS_SELF: u16 = 2;
/// BRIDGE_VLAN_INFO_* flags.
const PVID: u16 = 1 << 1;
const UNTAGGED: u16 = 1 << 2;
const RANGE_BEGIN: u16 = 1 << 3;
const RANGE_END: u16 = 1 << 4;
/// IFLA_BRPORT_* numbers.
const BRPORT_STATE: u16 = 1;
const BRPORT_PRIORITY: u16 = 2;
const BRPORT_COST: u16 = 3;
const BRPORT_LEARNING: u16 = 8;
const ETH_P_8021AD: u16 = 0x88a8;

// ---- request builders ----

fn nla(kind: u16, value: &[u8]) -> Vec<u8> {
    let len = 4 + value.len();
    let mut out = Vec::with_capacity((len + 3) & !3);
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(value);
    out.resize((len + 3) & !3, 0);
    out
}

/// An AF_BRIDGE RTM_SETLINK / RTM_DELLINK for `ifindex` with the given attributes.
fn af_bridge(c: &mut Client, kind: u16, ifindex: u32, attrs: &[u8]) -> Answer {
    let len = 16 + 16 + attrs.len();
    let mut m = Vec::with_capacity(len);
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&kind.to_ne_bytes());
    m.extend_from_slice(&(NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
    m.extend_from_slice(&77u32.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    // struct ifinfomsg
    m.extend_from_slice(&[AF_BRIDGE, 0, 0, 0]);
    m.extend_from_slice(&ifindex.to_ne_bytes());
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(attrs);
    c.request_raw(&m, false)
}

fn vlan_info(flags: u16, vid: u16) -> Vec<u8> {
    let mut v = flags.to_ne_bytes().to_vec();
    v.extend_from_slice(&vid.to_ne_bytes());
    nla(IFLA_BRIDGE_VLAN_INFO, &v)
}

/// `bridge vlan add dev NAME vid VID [pvid] [untagged] [self]`.
fn vlan_add(c: &mut Client, name: &str, vid: u16, flags: u16, self_: bool) -> Answer {
    let idx = c.index(name);
    let mut spec = Vec::new();
    if self_ {
        spec.extend(nla(IFLA_BRIDGE_FLAGS, &BRIDGE_FLAGS_SELF.to_ne_bytes()));
    }
    spec.extend(vlan_info(flags, vid));
    af_bridge(c, RTM_SETLINK, idx, &nla(IFLA_AF_SPEC, &spec))
}

/// `bridge vlan del dev NAME vid VID`.
fn vlan_del(c: &mut Client, name: &str, vid: u16) -> Answer {
    let idx = c.index(name);
    af_bridge(c, RTM_DELLINK, idx, &nla(IFLA_AF_SPEC, &vlan_info(0, vid)))
}

/// `bridge link set dev NAME ...`: a nested IFLA_PROTINFO of IFLA_BRPORT_* attributes.
fn link_set(c: &mut Client, name: &str, brport: &[u8]) -> Answer {
    let idx = c.index(name);
    af_bridge(
        c,
        RTM_SETLINK,
        idx,
        &nla(IFLA_PROTINFO | NLA_F_NESTED, brport),
    )
}

/// `bridge vlan show` (`bridge -c vlan show` with `compressed`): the AF_BRIDGE dump with
/// RTEXT_FILTER_BRVLAN(_COMPRESSED) → (device name, [(vid, flags)]) in dump order.
fn vlan_show(c: &mut Client, compressed: bool) -> Vec<(String, Vec<(u16, u16)>)> {
    let mut m = LinkMessage::default();
    m.header.interface_family = AddressFamily::Bridge;
    m.attributes
        .push(LinkAttribute::ExtMask(vec![if compressed {
            LinkExtentMask::BrvlanCompressed
        } else {
            LinkExtentMask::Brvlan
        }]));
    let a = c.request(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST | NLM_F_DUMP);
    a.links()
        .iter()
        .map(|l| {
            let vlans = l
                .attributes
                .iter()
                .filter_map(|at| match at {
                    LinkAttribute::AfSpecBridge(v) => Some(v),
                    _ => None,
                })
                .flatten()
                .filter_map(|e| match e {
                    AfSpecBridge::VlanInfo(i) => Some((i.vid, i.flags.bits())),
                    _ => None,
                })
                .collect();
            (l.name(), vlans)
        })
        .collect()
}

fn vlans_of(c: &mut Client, name: &str) -> Vec<(u16, u16)> {
    vlan_show(c, false)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// `ip link add NAME type bridge OPTS`.
fn add_bridge(c: &mut Client, name: &str, opts: Vec<InfoBridge>) -> Answer {
    newlink(
        c,
        0,
        vec![
            LinkAttribute::IfName(name.into()),
            kind_info("bridge", Some(InfoData::Bridge(opts))),
        ],
        CREATE,
    )
}

/// `ip link set NAME type bridge OPTS` with several options in one request.
fn set_bridge(c: &mut Client, name: &str, opts: Vec<InfoBridge>) -> Answer {
    set_kind_data(c, name, "bridge", InfoData::Bridge(opts))
}

/// `ip link set dev NAME type bridge_slave OPTS`.
fn set_slave(c: &mut Client, name: &str, opts: Vec<InfoBridgePort>) -> Answer {
    let idx = c.index(name);
    newlink(
        c,
        idx,
        vec![LinkAttribute::LinkInfo(vec![
            LinkInfo::PortKind(InfoPortKind::Bridge),
            LinkInfo::PortData(InfoPortData::BridgePort(opts)),
        ])],
        SET,
    )
}

// ---- state accessors ----

fn br_info(c: &mut Client, name: &str) -> Vec<InfoBridge> {
    let l = link(c, name);
    for a in &l.attributes {
        if let LinkAttribute::LinkInfo(infos) = a {
            for i in infos {
                if let LinkInfo::Data(InfoData::Bridge(v)) = i {
                    return v.clone();
                }
            }
        }
    }
    panic!("{name} has no bridge IFLA_INFO_DATA")
}

fn port_info(c: &mut Client, name: &str) -> Vec<InfoBridgePort> {
    let l = link(c, name);
    for a in &l.attributes {
        if let LinkAttribute::LinkInfo(infos) = a {
            for i in infos {
                if let LinkInfo::PortData(InfoPortData::BridgePort(v)) = i {
                    return v.clone();
                }
            }
        }
    }
    panic!("{name} has no bridge port IFLA_INFO_SLAVE_DATA")
}

macro_rules! br_get {
    ($c:expr, $name:expr, $variant:ident) => {
        br_info($c, $name)
            .into_iter()
            .find_map(|a| match a {
                InfoBridge::$variant(v) => Some(v),
                _ => None,
            })
            .expect(stringify!($variant))
    };
}

macro_rules! port_get {
    ($c:expr, $name:expr, $variant:ident) => {
        port_info($c, $name)
            .into_iter()
            .find_map(|a| match a {
                InfoBridgePort::$variant(v) => Some(v),
                _ => None,
            })
            .expect(stringify!($variant))
    };
}

/// The IFLA_BR_VLAN_PROTOCOL bytes as sent (network order).
fn vlan_proto(c: &mut Client, name: &str) -> u16 {
    match br_get!(c, name, VlanProtocol) {
        VlanProtocol::Ieee8021Q => 0x8100,
        VlanProtocol::Ieee8021Ad => ETH_P_8021AD,
        other => panic!("{other:?}"),
    }
}

// ---- tests ----

/// BR-VLAN-DEFAULT, BR-VLAN-RANGE, BR-VLAN-NOTPORT, BR-VLAN-PVID0, BR-VLAN-FILTER-OFF
/// (bridge-options#1-#18): a port enslaved to a `vlan_filtering 1` bridge and the bridge get
/// VLAN 1 PVID untagged (`nbp_vlan_init`, `br_vlan_bridge_event` NETDEV_REGISTER); vid 0 and
/// 4095 → EINVAL "bridge: Vlan id is invalid" (`br_vlan_valid_id`, NL_SET_ERR_MSG_MOD); a
/// non-port → EOPNOTSUPP (`rtnl_bridge_setlink`: no master with ndo_bridge_setlink); `self` on
/// the bridge adds to the bridge's own list; `vlan_default_pvid 0` removes VLAN 1 from the
/// bridge only (eth0's pvid had moved to 20, `br_vlan_disable_default_pvid`); vlan_protocol
/// 802.1ad and `vlan_filtering 0` keep the VLAN lists (`br_vlan_filter_toggle`).
#[test]
fn br_vlan_filtering_scenario() {
    let (_sim, mut c) = dummy_sim();
    // #1
    assert_ok(&add_bridge(
        &mut c,
        "br0",
        vec![InfoBridge::VlanFiltering(true)],
    ));
    assert!(br_get!(&mut c, "br0", VlanFiltering));
    assert_eq!(br_get!(&mut c, "br0", VlanDefaultPvid), 1);
    // #3, #4
    assert_ok(&c.master("eth0", "br0"));
    assert_eq!(
        vlan_show(&mut c, false),
        vec![
            ("eth0".to_string(), vec![(1, PVID | UNTAGGED)]),
            ("br0".to_string(), vec![(1, PVID | UNTAGGED)]),
        ]
    );
    // A dummy has no IFF_UNICAST_FLT: promiscuous even with filtering on (br_manage_promisc).
    assert_eq!(link(&mut c, "eth0").promiscuity(), 1);
    // #5-#9
    assert_ok(&vlan_add(&mut c, "eth0", 10, 0, false));
    for vid in [4095, 0] {
        assert_err(
            &vlan_add(&mut c, "eth0", vid, 0, false),
            EINVAL,
            Some("bridge: Vlan id is invalid"),
        );
    }
    assert_ok(&vlan_add(&mut c, "eth0", 4094, 0, false));
    assert_ok(&vlan_add(&mut c, "eth0", 20, PVID | UNTAGGED, false));
    // #10: the pvid moved to 20; VLAN 1 stays egress untagged.
    let eth0 = vec![(1, UNTAGGED), (10, 0), (20, PVID | UNTAGGED), (4094, 0)];
    assert_eq!(vlans_of(&mut c, "eth0"), eth0);
    // #11
    assert_err(&vlan_add(&mut c, "eth1", 10, 0, false), EOPNOTSUPP, None);
    // #12, #13
    assert_ok(&vlan_add(&mut c, "br0", 30, 0, true));
    assert_eq!(vlans_of(&mut c, "br0"), vec![(1, PVID | UNTAGGED), (30, 0)]);
    // #14, #15
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::VlanDefaultPvid(0),
    ));
    assert_eq!(
        vlan_show(&mut c, false),
        vec![
            ("eth0".to_string(), eth0.clone()),
            ("br0".to_string(), vec![(30, 0)]),
        ]
    );
    assert_eq!(br_get!(&mut c, "br0", VlanDefaultPvid), 0);
    // #16-#18
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::VlanProtocol(VlanProtocol::Ieee8021Ad),
    ));
    assert_eq!(vlan_proto(&mut c, "br0"), ETH_P_8021AD);
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::VlanFiltering(false),
    ));
    assert!(!br_get!(&mut c, "br0", VlanFiltering));
    assert_eq!(vlans_of(&mut c, "eth0"), eth0);
}

/// BR-VLAN-DEFAULT, second half: `nbp_vlan_init` gives every port the default pvid even with
/// filtering off, and a bridge has VLAN 1 from its registration. `vlan_stats_per_port` is
/// then refused while any port has a VLAN (`br_vlan_set_stats_per_port`: EBUSY). A port
/// leaving drops its VLANs (`nbp_vlan_flush`).
#[test]
fn br_vlan_default_without_filtering() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_eq!(
        vlan_show(&mut c, false),
        vec![("br0".to_string(), vec![(1, PVID | UNTAGGED)])]
    );
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::VlanStatsPerPort(true),
    ));
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::VlanStatsPerPort(false),
    ));
    assert_ok(&c.master("eth0", "br0"));
    assert_eq!(vlans_of(&mut c, "eth0"), vec![(1, PVID | UNTAGGED)]);
    assert_err(
        &set_bridge_opt(&mut c, "br0", InfoBridge::VlanStatsPerPort(true)),
        EBUSY,
        None,
    );
    // The plain `bridge link show` dump (no mask) still lists only ports, without VLANs.
    assert_ok(&c.nomaster("eth0"));
    assert_eq!(
        vlan_show(&mut c, false),
        vec![("br0".to_string(), vec![(1, PVID | UNTAGGED)])]
    );
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::VlanStatsPerPort(true),
    ));
}

/// BR-VLAN-RANGE on delete and ranges: `bridge vlan del` goes through `br_dellink`, which
/// passes no extack (vid 0 → bare EINVAL); deleting a VLAN the port is not in is not an error
/// (`br_vlan_info` RTM_DELLINK ignores ENOENT). A RANGE_BEGIN/RANGE_END pair adds every VLAN
/// of the range, and the compressed dump (`br_fill_ifvlaninfo_compressed`) folds runs of equal
/// flags back into ranges. A PVID range → "bridge: Pvid isn't allowed in a range".
#[test]
fn br_vlan_del_and_ranges() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bridge(
        &mut c,
        "br0",
        vec![InfoBridge::VlanFiltering(true)],
    ));
    assert_ok(&c.master("eth0", "br0"));
    let idx = c.index("eth0");
    let mut spec = vlan_info(RANGE_BEGIN, 100);
    spec.extend(vlan_info(RANGE_END, 103));
    assert_ok(&af_bridge(
        &mut c,
        RTM_SETLINK,
        idx,
        &nla(IFLA_AF_SPEC, &spec),
    ));
    assert_eq!(
        vlans_of(&mut c, "eth0"),
        vec![(1, PVID | UNTAGGED), (100, 0), (101, 0), (102, 0), (103, 0)]
    );
    let compressed = vlan_show(&mut c, true);
    assert_eq!(
        compressed[0],
        (
            "eth0".to_string(),
            vec![(1, PVID | UNTAGGED), (100, RANGE_BEGIN), (103, RANGE_END)]
        )
    );
    let mut bad = vlan_info(RANGE_BEGIN | PVID, 200);
    bad.extend(vlan_info(RANGE_END, 201));
    assert_err(
        &af_bridge(&mut c, RTM_SETLINK, idx, &nla(IFLA_AF_SPEC, &bad)),
        EINVAL,
        Some("bridge: Pvid isn't allowed in a range"),
    );
    assert_err(&vlan_del(&mut c, "eth0", 0), EINVAL, None);
    assert_ok(&vlan_del(&mut c, "eth0", 101));
    assert_ok(&vlan_del(&mut c, "eth0", 555));
    assert_eq!(
        vlans_of(&mut c, "eth0"),
        vec![(1, PVID | UNTAGGED), (100, 0), (102, 0), (103, 0)]
    );
}

/// BR-STP-STATE, BR-TIMER-RANGE, BR-FWDMASK, BR-AGEING0 (bridge-options#19-#31): stp_state 1
/// and 2 both start kernel STP (`br_stp_set_enabled`; no /sbin/bridge-stp, reported as 1);
/// with STP on forward_delay must be 2..30 s (`br_set_forward_delay`), hello_time 1..10 s,
/// max_age 6..40 s → ERANGE; group_fwd_mask with a restricted bit (0..2) → EINVAL
/// (`BR_GROUPFWD_RESTRICTED`), 0x4000 ok; ageing_time 0 ok; mcast_snooping 0 ok. The final
/// values match the transcript's `ip -d -j link show` of br0.
#[test]
fn br_stp_timers_fwdmask_ageing() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bridge(
        &mut c,
        "br0",
        vec![InfoBridge::VlanFiltering(true)],
    ));
    assert_ok(&c.master("eth0", "br0"));
    // #19-#21
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::StpState(BridgeStpState::KernelStp),
    ));
    assert_eq!(br_get!(&mut c, "br0", StpState), BridgeStpState::KernelStp);
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::StpState(BridgeStpState::UserStp),
    ));
    assert_eq!(br_get!(&mut c, "br0", StpState), BridgeStpState::KernelStp);
    // #22-#26
    for v in [100, 5000] {
        assert_err(
            &set_bridge_opt(&mut c, "br0", InfoBridge::ForwardDelay(v)),
            ERANGE,
            None,
        );
    }
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::ForwardDelay(200),
    ));
    assert_err(
        &set_bridge_opt(&mut c, "br0", InfoBridge::HelloTime(0)),
        ERANGE,
        None,
    );
    assert_err(
        &set_bridge_opt(&mut c, "br0", InfoBridge::MaxAge(100)),
        ERANGE,
        None,
    );
    // #27-#31
    assert_err(
        &set_bridge_opt(&mut c, "br0", InfoBridge::GroupFwdMask(1)),
        EINVAL,
        None,
    );
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::GroupFwdMask(0x4000),
    ));
    assert_ok(&set_bridge_opt(&mut c, "br0", InfoBridge::AgeingTime(0)));
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::MulticastSnooping(false),
    ));
    assert_eq!(br_get!(&mut c, "br0", ForwardDelay), 200);
    assert_eq!(br_get!(&mut c, "br0", HelloTime), 200);
    assert_eq!(br_get!(&mut c, "br0", MaxAge), 2000);
    assert_eq!(br_get!(&mut c, "br0", AgeingTime), 0);
    assert_eq!(br_get!(&mut c, "br0", GroupFwdMask), 0x4000);
    assert!(!br_get!(&mut c, "br0", MulticastSnooping));
    // eth0 is down: its port state stays disabled.
    assert_eq!(
        link(&mut c, "eth0").port_state(),
        Some(BridgePortState::Disabled)
    );
}

/// BR-STP-LISTEN (bridge-options#32-#37): a port added to an UP bridge with STP on goes
/// `listening` (`br_stp_enable_port` → `br_make_forwarding` under BR_KERNEL_STP) and the bridge
/// has NO-CARRIER / operstate DOWN (no forwarding port). nlsim has no wall clock: the forward
/// delay timer never fires, the port stays listening until something else changes it.
#[test]
fn br_stp_listen() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&add_bridge(
        &mut c,
        "br1",
        vec![
            InfoBridge::StpState(BridgeStpState::KernelStp),
            InfoBridge::ForwardDelay(400),
        ],
    ));
    assert_ok(&c.up("br1"));
    assert_ok(&c.up("eth2"));
    assert_ok(&c.master("eth2", "br1"));
    let eth2 = link(&mut c, "eth2");
    assert_eq!(eth2.port_state(), Some(BridgePortState::Listening));
    let br1 = link(&mut c, "br1");
    assert_eq!(br1.flags() & (IFF_UP | IFF_LOWER_UP), IFF_UP);
    assert_eq!(br1.operstate(), State::Down);
    assert_eq!(br_get!(&mut c, "br1", ForwardDelay), 400);
    assert_eq!(br_get!(&mut c, "br1", StpState), BridgeStpState::KernelStp);
    // Turning STP off (kernel STP: `br_stp_stop` only clears the mode) leaves the port where
    // it is; a port state change is refused while kernel STP runs (`br_set_port_state`).
    assert_err(
        &set_slave(
            &mut c,
            "eth2",
            vec![InfoBridgePort::State(BridgePortState::Forwarding)],
        ),
        EBUSY,
        None,
    );
    assert_ok(&set_bridge_opt(
        &mut c,
        "br1",
        InfoBridge::StpState(BridgeStpState::Disabled),
    ));
    assert_eq!(
        link(&mut c, "eth2").port_state(),
        Some(BridgePortState::Listening)
    );
    assert_ok(&set_slave(
        &mut c,
        "eth2",
        vec![InfoBridgePort::State(BridgePortState::Forwarding)],
    ));
    assert_eq!(
        link(&mut c, "eth2").port_state(),
        Some(BridgePortState::Forwarding)
    );
    assert_ne!(link(&mut c, "br1").flags() & IFF_LOWER_UP, 0);
}

/// `br_changelink` order and partial application: attributes are handled in its fixed order
/// whatever the request order, the first error stops, and what came before stays applied.
/// `br_validate` runs first (vlan_protocol must be 802.1Q/802.1ad → EPROTONOSUPPORT,
/// vlan_default_pvid < 4095 → EINVAL) and then nothing is applied. Without STP forward_delay
/// has no range; `br_stp_start` clamps it into 2..30 s. Timers go through clock_t → jiffies
/// (HZ=250) → clock_t, so odd centiseconds read back one lower.
#[test]
fn br_changelink_order_partial_validate() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    // max_age (3rd in br_changelink) fails after forward_delay (1st) was applied; ageing_time
    // (4th) is not reached.
    assert_err(
        &set_bridge(
            &mut c,
            "br0",
            vec![
                InfoBridge::AgeingTime(1000),
                InfoBridge::MaxAge(100),
                InfoBridge::ForwardDelay(300),
            ],
        ),
        ERANGE,
        None,
    );
    assert_eq!(br_get!(&mut c, "br0", ForwardDelay), 300);
    assert_eq!(br_get!(&mut c, "br0", AgeingTime), 30000);
    // br_validate: nothing applied.
    assert_err(
        &set_bridge(
            &mut c,
            "br0",
            vec![
                InfoBridge::HelloTime(300),
                InfoBridge::Other(DefaultNla::new(8, 0x0800u16.to_be_bytes().to_vec())),
            ],
        ),
        EPROTONOSUPPORT,
        None,
    );
    assert_err(
        &set_bridge(
            &mut c,
            "br0",
            vec![
                InfoBridge::HelloTime(300),
                InfoBridge::VlanDefaultPvid(4095),
            ],
        ),
        EINVAL,
        None,
    );
    assert_eq!(br_get!(&mut c, "br0", HelloTime), 200);
    // No STP: any forward delay; STP on clamps it to 2 s.
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::ForwardDelay(100),
    ));
    assert_eq!(br_get!(&mut c, "br0", ForwardDelay), 100);
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::StpState(BridgeStpState::KernelStp),
    ));
    assert_eq!(br_get!(&mut c, "br0", ForwardDelay), 200);
    // HZ=250 rounding.
    assert_ok(&set_bridge_opt(&mut c, "br0", InfoBridge::AgeingTime(301)));
    assert_eq!(br_get!(&mut c, "br0", AgeingTime), 300);
    // Priority changes the bridge id's priority.
    assert_ok(&set_bridge_opt(&mut c, "br0", InfoBridge::Priority(0x1000)));
    assert_eq!(br_get!(&mut c, "br0", Priority), 0x1000);
    assert_eq!(br_get!(&mut c, "br0", BridgeId).priority, 0x1000);
}

/// The multicast, netfilter and group address options of `br_changelink`: values are stored
/// and reported; igmp version 2/3, mld 1/2, mcast_router 0..2, vlan_stats_enabled 0/1 (raw u8
/// 2 → EINVAL); the query intervals are raised to 1 s; group_addr must be 01:80:c2:00:00:0X
/// and not X = 1, 2, 3; multicast vlan snooping needs VLAN filtering ("bridge: Cannot enable
/// multicast vlan snooping with vlan filtering disabled"); MST cannot change while ports have
/// VLANs (EBUSY).
#[test]
fn br_mcast_and_misc_options() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&set_bridge(
        &mut c,
        "br0",
        vec![
            InfoBridge::MulticastHashMax(512),
            InfoBridge::MulticastLastMemberCount(5),
            InfoBridge::MulticastStartupQueryCount(7),
            InfoBridge::MulticastMembershipInterval(30000),
            InfoBridge::MulticastQueryInterval(50),
            InfoBridge::MulticastStartupQueryInterval(3),
            InfoBridge::MulticastIgmpVersion(3),
            InfoBridge::MulticastMldVersion(2),
            InfoBridge::MulticastQuerier(true),
            InfoBridge::MulticastStatsEnabled(true),
            InfoBridge::NfCallIpTables(true),
            InfoBridge::FdbMaxLearned(77),
            InfoBridge::GroupAddr([0x01, 0x80, 0xc2, 0, 0, 0x0e]),
        ],
    ));
    assert_eq!(br_get!(&mut c, "br0", MulticastHashMax), 512);
    assert_eq!(br_get!(&mut c, "br0", MulticastLastMemberCount), 5);
    assert_eq!(br_get!(&mut c, "br0", MulticastStartupQueryCount), 7);
    assert_eq!(br_get!(&mut c, "br0", MulticastMembershipInterval), 30000);
    assert_eq!(br_get!(&mut c, "br0", MulticastQueryInterval), 100);
    assert_eq!(br_get!(&mut c, "br0", MulticastStartupQueryInterval), 100);
    assert_eq!(br_get!(&mut c, "br0", MulticastIgmpVersion), 3);
    assert_eq!(br_get!(&mut c, "br0", MulticastMldVersion), 2);
    assert!(br_get!(&mut c, "br0", MulticastQuerier));
    assert!(br_get!(&mut c, "br0", MulticastStatsEnabled));
    assert!(br_get!(&mut c, "br0", NfCallIpTables));
    assert_eq!(br_get!(&mut c, "br0", FdbMaxLearned), 77);
    assert_eq!(
        br_get!(&mut c, "br0", GroupAddr),
        [0x01, 0x80, 0xc2, 0, 0, 0x0e]
    );
    for bad in [
        InfoBridge::MulticastIgmpVersion(4),
        InfoBridge::MulticastMldVersion(3),
        InfoBridge::Other(DefaultNla::new(22, vec![3])),
        InfoBridge::Other(DefaultNla::new(41, vec![2])),
        InfoBridge::GroupAddr([0x01, 0x80, 0xc2, 0, 0, 0x02]),
        InfoBridge::GroupAddr([0x01, 0x80, 0xc2, 0, 0, 0x10]),
    ] {
        assert_err(&set_bridge_opt(&mut c, "br0", bad.clone()), EINVAL, None);
    }
    let snoop = |on: bool| {
        InfoBridge::MultiBoolOpt(BridgeBooleanOptions {
            value: if on {
                BridgeBooleanOptionFlags::from_bits_retain(2)
            } else {
                BridgeBooleanOptionFlags::empty()
            },
            mask: BridgeBooleanOptionFlags::from_bits_retain(2),
        })
    };
    assert_err(
        &set_bridge_opt(&mut c, "br0", snoop(true)),
        EINVAL,
        Some("bridge: Cannot enable multicast vlan snooping with vlan filtering disabled"),
    );
    assert_ok(&set_bridge_opt(&mut c, "br0", snoop(false)));
    // NO_LL_LEARN is stored and reported in IFLA_BR_MULTI_BOOLOPT.
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        InfoBridge::MultiBoolOpt(BridgeBooleanOptions {
            value: BridgeBooleanOptionFlags::from_bits_retain(1),
            mask: BridgeBooleanOptionFlags::from_bits_retain(1),
        }),
    ));
    assert_eq!(br_get!(&mut c, "br0", MultiBoolOpt).value.bits(), 1);
    assert_ok(&c.master("eth0", "br0"));
    assert_err(
        &set_bridge_opt(
            &mut c,
            "br0",
            InfoBridge::MultiBoolOpt(BridgeBooleanOptions {
                value: BridgeBooleanOptionFlags::from_bits_retain(4),
                mask: BridgeBooleanOptionFlags::from_bits_retain(4),
            }),
        ),
        EBUSY,
        Some("MST mode can't be changed while VLANs exist"),
    );
}

/// Bridge port options via `ip link set dev X type bridge_slave` (IFLA_INFO_SLAVE_DATA →
/// `br_port_slave_changelink` → `br_setport`): flags first (all at once), then cost (1..65535,
/// ERANGE), priority (0..63, ERANGE), state (EINVAL above 4, ENETDOWN on a down port); the
/// flags stay applied when a later attribute fails. MAB needs locked + learning (EINVAL with
/// the kernel's message, flags rolled back). Port group_fwd_mask may not have the MAC-pause bit;
/// the EHT hosts limit may not be 0 (`br_multicast_eht_set_hosts_limit`). The slave data is
/// first parsed against `br_port_policy` (a short u32 → ERANGE with the policy's extack).
#[test]
fn br_port_slave_options() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth0", "br0"));
    assert_ok(&set_slave(
        &mut c,
        "eth0",
        vec![
            InfoBridgePort::Cost(50),
            InfoBridgePort::Priority(10),
            InfoBridgePort::Learning(false),
            InfoBridgePort::HairpinMode(true),
            InfoBridgePort::Isolated(true),
            InfoBridgePort::Guard(true),
            InfoBridgePort::GroupFwdMask(0x8),
        ],
    ));
    assert_eq!(port_get!(&mut c, "eth0", Cost), 50);
    assert_eq!(port_get!(&mut c, "eth0", Priority), 10);
    assert!(!port_get!(&mut c, "eth0", Learning));
    assert!(port_get!(&mut c, "eth0", HairpinMode));
    assert!(port_get!(&mut c, "eth0", Isolated));
    assert!(port_get!(&mut c, "eth0", Guard));
    assert_eq!(port_get!(&mut c, "eth0", GroupFwdMask), 0x8);
    assert_eq!(port_get!(&mut c, "eth0", PortId), (10 << 10) | 1);
    // Flags are applied before the cost fails.
    assert_err(
        &set_slave(
            &mut c,
            "eth0",
            vec![InfoBridgePort::Cost(0), InfoBridgePort::Learning(true)],
        ),
        ERANGE,
        None,
    );
    assert!(port_get!(&mut c, "eth0", Learning));
    assert_eq!(port_get!(&mut c, "eth0", Cost), 50);
    assert_err(
        &set_slave(&mut c, "eth0", vec![InfoBridgePort::Priority(64)]),
        ERANGE,
        None,
    );
    assert_err(
        &set_slave(
            &mut c,
            "eth0",
            vec![InfoBridgePort::State(BridgePortState::Other(5))],
        ),
        EINVAL,
        None,
    );
    // eth0 is down.
    assert_err(
        &set_slave(
            &mut c,
            "eth0",
            vec![InfoBridgePort::State(BridgePortState::Forwarding)],
        ),
        ENETDOWN,
        None,
    );
    assert_err(
        &set_slave(&mut c, "eth0", vec![InfoBridgePort::Mab(true)]),
        EINVAL,
        Some("Bridge port must be locked and have learning enabled when MAB is enabled"),
    );
    assert!(!port_get!(&mut c, "eth0", Mab));
    assert_ok(&set_slave(
        &mut c,
        "eth0",
        vec![InfoBridgePort::Mab(true), InfoBridgePort::Locked(true)],
    ));
    assert!(port_get!(&mut c, "eth0", Mab));
    assert_err(
        &set_slave(&mut c, "eth0", vec![InfoBridgePort::GroupFwdMask(0x2)]),
        EINVAL,
        None,
    );
    assert_err(
        &set_slave(
            &mut c,
            "eth0",
            vec![InfoBridgePort::MulticastEhtHostsLimit(0)],
        ),
        EINVAL,
        None,
    );
    // rtnl_newlink parses IFLA_INFO_SLAVE_DATA with the master's br_port_policy and extack.
    assert_err(
        &set_slave(
            &mut c,
            "eth0",
            vec![InfoBridgePort::Other(DefaultNla::new(
                BRPORT_COST,
                vec![1, 0],
            ))],
        ),
        ERANGE,
        Some("Attribute failed policy validation"),
    );
    assert_eq!(port_get!(&mut c, "eth0", Cost), 50);
}

/// `bridge link set` (AF_BRIDGE RTM_SETLINK, `rtnl_bridge_setlink` → `br_setlink`): a nested
/// IFLA_PROTINFO is parsed against `br_port_policy` without extack (a short u32 → bare
/// ERANGE) and goes to `br_setport`; the old one-byte form sets the port state. A device that
/// is no bridge port → EOPNOTSUPP; an unknown ifindex → ENODEV "unknown ifindex".
#[test]
fn br_port_af_bridge_setlink() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("eth0", "br0"));
    let mut attrs = nla(BRPORT_COST, &7u32.to_ne_bytes());
    attrs.extend(nla(BRPORT_PRIORITY, &3u16.to_ne_bytes()));
    attrs.extend(nla(BRPORT_LEARNING, &[0]));
    assert_ok(&link_set(&mut c, "eth0", &attrs));
    assert_eq!(port_get!(&mut c, "eth0", Cost), 7);
    assert_eq!(port_get!(&mut c, "eth0", Priority), 3);
    assert!(!port_get!(&mut c, "eth0", Learning));
    assert_err(
        &link_set(&mut c, "eth0", &nla(BRPORT_COST, &[1, 0])),
        ERANGE,
        None,
    );
    assert_err(
        &link_set(&mut c, "eth0", &nla(BRPORT_COST, &0u32.to_ne_bytes())),
        ERANGE,
        None,
    );
    assert_err(
        &link_set(&mut c, "eth0", &nla(BRPORT_STATE, &[3])),
        ENETDOWN,
        None,
    );
    // Old RSTP form: IFLA_PROTINFO is the state byte itself.
    let idx = c.index("eth0");
    assert_err(
        &af_bridge(&mut c, RTM_SETLINK, idx, &nla(IFLA_PROTINFO, &[3])),
        ENETDOWN,
        None,
    );
    assert_ok(&c.up("eth0"));
    assert_eq!(
        link(&mut c, "eth0").port_state(),
        Some(BridgePortState::Disabled)
    );
    assert_ok(&c.up("br0"));
    assert_eq!(
        link(&mut c, "eth0").port_state(),
        Some(BridgePortState::Forwarding)
    );
    assert_ok(&af_bridge(
        &mut c,
        RTM_SETLINK,
        idx,
        &nla(IFLA_PROTINFO, &[0]),
    ));
    assert_eq!(
        link(&mut c, "eth0").port_state(),
        Some(BridgePortState::Disabled)
    );
    // Not a port / no device.
    assert_err(
        &link_set(&mut c, "eth1", &nla(BRPORT_COST, &7u32.to_ne_bytes())),
        EOPNOTSUPP,
        None,
    );
    assert_err(
        &af_bridge(
            &mut c,
            RTM_SETLINK,
            999,
            &nla(IFLA_PROTINFO | NLA_F_NESTED, &[]),
        ),
        ENODEV,
        Some("unknown ifindex"),
    );
}
