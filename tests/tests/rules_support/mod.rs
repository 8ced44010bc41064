//! Helpers for the catalog-rule tests (`rules_generic.rs`, `rules_veth.rs`, `rules_bridge.rs`):
//! simulators laid out like the catalog's oracle guests, the iproute2 request shapes the
//! scenarios use, and attribute accessors. Every request is built the way iproute2 6.1 builds
//! it for the scenario's command line.
#![allow(dead_code)]

use crate::common::{Answer, Client, LinkExt};
use netlink_packet_core::{NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::link::{
    BridgePortState, InfoBridge, InfoData, InfoKind, InfoPortData, LinkAttribute, LinkFlags,
    LinkInfo, LinkMessage, State,
};
use netlink_packet_route::RouteNetlinkMessage;
use nlsim::Sim;

pub const IFF_UP: u32 = 0x1;
pub const IFF_BROADCAST: u32 = 0x2;
pub const IFF_LOOPBACK: u32 = 0x8;
pub const IFF_RUNNING: u32 = 0x40;
pub const IFF_NOARP: u32 = 0x80;
pub const IFF_PROMISC: u32 = 0x100;
pub const IFF_ALLMULTI: u32 = 0x200;
pub const IFF_MULTICAST: u32 = 0x1000;
pub const IFF_LOWER_UP: u32 = 0x10000;

/// The oracle guests' layout: `lo` (1) and `eth0 eth1 eth2` (2..4) created as **dummy**
/// devices. Used where a rule depends on dummy quirks (no MTU limits, carrier kept while
/// admin-down, NOARP, deletable with `ip link del`).
pub fn dummy_sim() -> (Sim, Client) {
    let sim = Sim::builder().seed(42).start().expect("start simulator");
    let mut c = Client::new(&sim);
    for n in ["eth0", "eth1", "eth2"] {
        let a = c.add_simple(n, "dummy");
        assert!(a.ok(), "creating stand-in {n}: {a:?}");
    }
    (sim, c)
}

/// The project's cross-check layout: netdevsim device 1 with three ports eth0..eth2 (2..4).
pub fn nsim_sim() -> (Sim, Client) {
    let sim = crate::common::sim_with_nics(3);
    let c = Client::new(&sim);
    (sim, c)
}

/// Asserts an error answer: positive errno and the exact extack message (the kernel's string,
/// without the '.' iproute2 appends when printing `Error: ...`).
#[track_caller]
pub fn assert_err(a: &Answer, errno: i32, msg: Option<&str>) {
    assert_eq!(a.errno, errno, "errno; answer {a:?}");
    assert_eq!(a.msg.as_deref(), msg, "extack message; answer {a:?}");
}

#[track_caller]
pub fn assert_ok(a: &Answer) {
    assert!(a.ok(), "expected success, got {a:?}");
}

/// `ip link add [NAME] [attrs] type KIND [data]` with arbitrary link-info entries.
pub fn newlink(c: &mut Client, ifindex: u32, attrs: Vec<LinkAttribute>, flags: u16) -> Answer {
    let mut m = LinkMessage::default();
    m.header.index = ifindex;
    m.attributes = attrs;
    c.request(RouteNetlinkMessage::NewLink(m), flags)
}

pub const CREATE: u16 = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
pub const SET: u16 = NLM_F_REQUEST | NLM_F_ACK;

pub fn kind_info(kind: &str, data: Option<InfoData>) -> LinkAttribute {
    let mut info = vec![LinkInfo::Kind(InfoKind::from(kind))];
    if let Some(d) = data {
        info.push(LinkInfo::Data(d));
    }
    LinkAttribute::LinkInfo(info)
}

/// `ip link add NAME index IDX type KIND`: iproute2 puts the index in `ifi_index`.
pub fn add_with_index(c: &mut Client, name: &str, index: u32, kind: &str) -> Answer {
    newlink(
        c,
        index,
        vec![LinkAttribute::IfName(name.into()), kind_info(kind, None)],
        CREATE,
    )
}

/// `ip link set NAME type KIND DATA...` (RTM_NEWLINK on the index with IFLA_LINKINFO).
pub fn set_kind_data(c: &mut Client, name: &str, kind: &str, data: InfoData) -> Answer {
    let idx = c.index(name);
    newlink(c, idx, vec![kind_info(kind, Some(data))], SET)
}

/// `ip link set NAME type bridge OPT` for one bridge option.
pub fn set_bridge_opt(c: &mut Client, name: &str, opt: InfoBridge) -> Answer {
    set_kind_data(c, name, "bridge", InfoData::Bridge(vec![opt]))
}

/// `ip link set NAME up` together with other attributes is not needed; flags only.
pub fn set_flags(c: &mut Client, name: &str, flags: u32, change: u32) -> Answer {
    let mut m = LinkMessage::default();
    m.header.index = c.index(name);
    m.header.flags = LinkFlags::from_bits_retain(flags);
    m.header.change_mask = LinkFlags::from_bits_retain(change);
    c.request(RouteNetlinkMessage::NewLink(m), SET)
}

/// `ip link del NAME type KIND`: RTM_DELLINK by index, with IFLA_LINKINFO{KIND}.
pub fn del_typed(c: &mut Client, name: &str, kind: &str) -> Answer {
    let mut m = LinkMessage::default();
    m.header.index = c.index(name);
    m.attributes.push(kind_info(kind, None));
    c.request(RouteNetlinkMessage::DelLink(m), SET)
}

/// The device, which must exist.
#[track_caller]
pub fn link(c: &mut Client, name: &str) -> LinkMessage {
    c.get_link(name)
        .unwrap_or_else(|| panic!("device {name} does not exist"))
}

pub fn exists(c: &mut Client, name: &str) -> bool {
    c.get_link(name).is_some()
}

/// `ip -br link show`: (ifindex, name) in dump order.
pub fn table(c: &mut Client) -> Vec<(u32, String)> {
    c.dump_links()
        .iter()
        .map(|l| (l.header.index, l.name()))
        .collect()
}

pub fn mac(s: &str) -> [u8; 6] {
    let v: Vec<u8> = s
        .split(':')
        .map(|b| u8::from_str_radix(b, 16).expect("hex octet"))
        .collect();
    v.try_into().expect("6 octets")
}

/// More accessors on a link message.
pub trait LinkMore {
    fn qdisc(&self) -> String;
    fn min_mtu(&self) -> u32;
    fn max_mtu(&self) -> u32;
    fn allmulti(&self) -> u32;
    fn iflink(&self) -> Option<u32>;
    fn num_tx_queues(&self) -> u32;
    fn num_rx_queues(&self) -> u32;
    fn kind(&self) -> Option<String>;
    fn bridge_opt<T>(&self, f: impl Fn(&InfoBridge) -> Option<T>) -> Option<T>;
    fn bridge_id_addr(&self) -> [u8; 6];
    fn port_state(&self) -> Option<BridgePortState>;
    fn port_cost(&self) -> Option<u32>;
    fn is_up(&self) -> bool;
    fn has_carrier(&self) -> bool;
    fn oper(&self) -> State;
}

impl LinkMore for LinkMessage {
    fn qdisc(&self) -> String {
        self.attr(|a| match a {
            LinkAttribute::Qdisc(q) => Some(q.clone()),
            _ => None,
        })
        .unwrap_or_default()
    }
    fn min_mtu(&self) -> u32 {
        self.attr(|a| match a {
            LinkAttribute::MinMtu(v) => Some(*v),
            _ => None,
        })
        .expect("IFLA_MIN_MTU")
    }
    fn max_mtu(&self) -> u32 {
        self.attr(|a| match a {
            LinkAttribute::MaxMtu(v) => Some(*v),
            _ => None,
        })
        .expect("IFLA_MAX_MTU")
    }
    fn allmulti(&self) -> u32 {
        self.attr(|a| match a {
            LinkAttribute::AllMulticast(v) => Some(*v),
            _ => None,
        })
        .expect("IFLA_ALLMULTI")
    }
    fn iflink(&self) -> Option<u32> {
        self.attr(|a| match a {
            LinkAttribute::Link(v) => Some(*v),
            _ => None,
        })
    }
    fn num_tx_queues(&self) -> u32 {
        self.attr(|a| match a {
            LinkAttribute::NumTxQueues(v) => Some(*v),
            _ => None,
        })
        .expect("IFLA_NUM_TX_QUEUES")
    }
    fn num_rx_queues(&self) -> u32 {
        self.attr(|a| match a {
            LinkAttribute::NumRxQueues(v) => Some(*v),
            _ => None,
        })
        .expect("IFLA_NUM_RX_QUEUES")
    }
    fn kind(&self) -> Option<String> {
        self.attr(|a| match a {
            LinkAttribute::LinkInfo(infos) => infos.iter().find_map(|i| match i {
                LinkInfo::Kind(k) => Some(k.to_string()),
                _ => None,
            }),
            _ => None,
        })
    }
    fn bridge_opt<T>(&self, f: impl Fn(&InfoBridge) -> Option<T>) -> Option<T> {
        self.attr(|a| match a {
            LinkAttribute::LinkInfo(infos) => infos.iter().find_map(|i| match i {
                LinkInfo::Data(InfoData::Bridge(opts)) => opts.iter().find_map(&f),
                _ => None,
            }),
            _ => None,
        })
    }
    fn bridge_id_addr(&self) -> [u8; 6] {
        self.bridge_opt(|o| match o {
            InfoBridge::BridgeId(id) => Some(id.address),
            _ => None,
        })
        .expect("IFLA_BR_BRIDGE_ID")
    }
    fn port_state(&self) -> Option<BridgePortState> {
        self.attr(|a| match a {
            LinkAttribute::LinkInfo(infos) => infos.iter().find_map(|i| match i {
                LinkInfo::PortData(InfoPortData::BridgePort(opts)) => {
                    opts.iter().find_map(|o| match o {
                        netlink_packet_route::link::InfoBridgePort::State(s) => Some(*s),
                        _ => None,
                    })
                }
                _ => None,
            }),
            _ => None,
        })
    }
    fn port_cost(&self) -> Option<u32> {
        self.attr(|a| match a {
            LinkAttribute::LinkInfo(infos) => infos.iter().find_map(|i| match i {
                LinkInfo::PortData(InfoPortData::BridgePort(opts)) => {
                    opts.iter().find_map(|o| match o {
                        netlink_packet_route::link::InfoBridgePort::Cost(v) => Some(*v),
                        _ => None,
                    })
                }
                _ => None,
            }),
            _ => None,
        })
    }
    fn is_up(&self) -> bool {
        self.flags() & IFF_UP != 0
    }
    fn has_carrier(&self) -> bool {
        self.flags() & IFF_LOWER_UP != 0
    }
    fn oper(&self) -> State {
        self.operstate()
    }
}
