//! `struct net_device`: the generic state every link has, whatever its kind.

use crate::hwaddr::HwAddr;
use crate::link_ops::Kind;
use crate::netdev_priv::{KindState, PortState};
use crate::uapi::{iff, oper};
use serde::{Deserialize, Serialize};

/// A device's identity for its whole life (ifindex may change when it moves namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DevId(pub u64);

/// A network namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NetnsId(pub u32);

/// Who registered `dev->rx_handler` (`netdev_rx_handler_register`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RxHandler {
    Bridge,
    Bond,
    Team,
    Macvlan,
    Ipvlan,
    Vrf,
    /// macvtap / ipvtap on their own device (`tap_handle_frame`).
    Tap,
    /// macsec on its lower (`macsec_handle_frame`).
    Macsec,
}

/// `enum netdev_reg_state`, reduced to what rtnetlink can observe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegState {
    Registered,
    Unregistering,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetDevice {
    pub id: DevId,
    pub netns: NetnsId,
    pub ifindex: u32,
    pub name: String,
    pub altnames: Vec<String>,
    pub name_assign_type: u8,
    pub kind: Kind,
    /// `dev->type` (ARPHRD_*).
    pub dev_type: u16,
    /// `dev->flags` without the volatile bits, which `dev_get_flags` computes.
    pub flags: u32,
    /// `dev->gflags`: the IFF_PROMISC / IFF_ALLMULTI that user space asked for.
    pub gflags: u32,
    pub promiscuity: u32,
    pub allmulti: u32,
    /// `!test_bit(__LINK_STATE_NOCARRIER)`.
    pub carrier: bool,
    pub dormant: bool,
    pub testing: bool,
    /// `dev->operstate` as linkwatch last computed it (reported only while running).
    pub operstate: u8,
    pub link_mode: u8,
    pub mtu: u32,
    pub min_mtu: u32,
    pub max_mtu: u32,
    pub addr: HwAddr,
    pub broadcast: HwAddr,
    pub perm_addr: HwAddr,
    pub addr_assign_type: u8,
    pub tx_queue_len: u32,
    pub num_tx_queues: u32,
    pub real_num_tx_queues: u32,
    pub num_rx_queues: u32,
    pub real_num_rx_queues: u32,
    pub gso_max_size: u32,
    pub gso_max_segs: u32,
    pub gro_max_size: u32,
    pub gso_ipv4_max_size: u32,
    pub gro_ipv4_max_size: u32,
    pub tso_max_size: u32,
    pub tso_max_segs: u32,
    pub group: u32,
    pub ifalias: Option<String>,
    /// The master upper device (`netdev_master_upper_dev_get`).
    pub master: Option<DevId>,
    /// The device this one is stacked on (vlan, macvlan, ipvlan, ...): its NETDEV_* events
    /// reach this device's `LinkOps::lower_event`, like the per-driver netdevice notifiers.
    pub lower: Option<DevId>,
    /// The reverse of `lower`: devices stacked on this one, in the order they were linked.
    pub uppers: Vec<DevId>,
    /// `dev->rx_handler`: who consumes this device's frames (a bridge, a bond, a macvlan or
    /// ipvlan port). `netdev_rx_handler_register` refuses a second one with EBUSY.
    pub rx_handler: Option<RxHandler>,
    /// `dev->uc`: the unicast filter list (`dev_uc_add` / `dev_uc_del`), with refcounts.
    #[serde(default)]
    pub uc: Vec<(HwAddr, u32)>,
    /// `dev->uc_promisc`: `__dev_set_rx_mode` made the device promiscuous for its uc list.
    #[serde(default)]
    pub uc_promisc: bool,
    /// `dev->mc`: the hardware multicast list (`dev_mc_add` / `dev_mc_del`), with refcounts,
    /// in insertion order (what `ndo_dflt_fdb_dump` lists after `dev->uc`).
    #[serde(default)]
    pub mc: crate::inet_mcast::McList,
    /// The IPv4 / IPv6 multicast memberships that fill `mc` (igmp.c, mcast.c, addrconf.c).
    #[serde(default)]
    pub inet: crate::inet_mcast::InetMcast,
    /// `in_dev->ifa_list` and `idev->addr_list` (net/ipv4/devinet.c, net/ipv6/addrconf.c):
    /// boxed and absent while the device has no address (resident memory per link).
    #[serde(default)]
    pub ifaddrs: Option<Box<crate::inet::ifaddr::IfAddrs>>,
    /// `in_dev->cnf` / `idev->cnf` once they differ from a fresh device's (`crate::devconf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conf: Option<Box<crate::devconf::DevConf>>,
    /// `IFF_NO_QUEUE`: `dev_activate` attaches "noqueue" instead of the default qdisc.
    pub no_queue: bool,
    /// `IFF_LIVE_ADDR_CHANGE`: the MAC may change while the device is running.
    pub live_addr_change: bool,
    /// `dev->qdisc->ops->id`: "noop" until the first `dev_activate`.
    pub qdisc: Qdisc,
    pub carrier_up_count: u32,
    pub carrier_down_count: u32,
    pub proto_down: bool,
    pub reg_state: RegState,
    /// Per-kind private data (`netdev_priv`).
    pub state: KindState,
    /// Data a master keeps about this device as one of its ports (`net_bridge_port`, ...).
    pub port: Option<PortState>,
}

impl NetDevice {
    /// `alloc_netdev_mqs` defaults before the kind's setup runs.
    pub fn alloc(id: DevId, netns: NetnsId, kind: Kind) -> Self {
        NetDevice {
            id,
            netns,
            ifindex: 0,
            name: String::new(),
            altnames: Vec::new(),
            name_assign_type: 0,
            kind,
            dev_type: 0,
            flags: 0,
            gflags: 0,
            promiscuity: 0,
            allmulti: 0,
            carrier: true,
            dormant: false,
            testing: false,
            operstate: oper::UNKNOWN,
            link_mode: 0,
            mtu: 0,
            min_mtu: 0,
            max_mtu: 0,
            addr: HwAddr::NONE,
            broadcast: HwAddr::NONE,
            perm_addr: HwAddr::NONE,
            addr_assign_type: 0,
            tx_queue_len: 0,
            num_tx_queues: 1,
            real_num_tx_queues: 1,
            num_rx_queues: 1,
            real_num_rx_queues: 1,
            gso_max_size: crate::uapi::GSO_LEGACY_MAX_SIZE,
            gso_max_segs: crate::uapi::GSO_MAX_SEGS,
            gro_max_size: crate::uapi::GSO_LEGACY_MAX_SIZE,
            gso_ipv4_max_size: crate::uapi::GSO_LEGACY_MAX_SIZE,
            gro_ipv4_max_size: crate::uapi::GSO_LEGACY_MAX_SIZE,
            tso_max_size: crate::uapi::TSO_LEGACY_MAX_SIZE,
            tso_max_segs: crate::uapi::GSO_MAX_SEGS,
            group: 0,
            ifalias: None,
            master: None,
            lower: None,
            uppers: Vec::new(),
            rx_handler: None,
            uc: Vec::new(),
            uc_promisc: false,
            mc: crate::inet_mcast::McList::new(),
            inet: crate::inet_mcast::InetMcast::default(),
            ifaddrs: None,
            conf: None,
            no_queue: false,
            live_addr_change: false,
            qdisc: Qdisc::Noop,
            carrier_up_count: 0,
            carrier_down_count: 0,
            proto_down: false,
            reg_state: RegState::Registered,
            state: KindState::NONE,
            port: None,
        }
    }

    /// `ether_setup` (net/ethernet/eth.c).
    pub fn ether_setup(&mut self) {
        self.dev_type = crate::uapi::arphrd::ETHER;
        self.mtu = crate::uapi::ETH_DATA_LEN;
        self.min_mtu = crate::uapi::ETH_MIN_MTU;
        self.max_mtu = crate::uapi::ETH_DATA_LEN;
        self.addr = HwAddr::ZERO_ETH;
        self.broadcast = HwAddr::BROADCAST_ETH;
        self.tx_queue_len = crate::uapi::DEFAULT_TX_QUEUE_LEN;
        self.flags = iff::BROADCAST | iff::MULTICAST;
    }

    /// `netif_running`: `__LINK_STATE_START`, which `__dev_open` sets together with IFF_UP.
    pub fn is_running(&self) -> bool {
        self.flags & iff::UP != 0
    }

    /// `netif_oper_up`.
    pub fn is_oper_up(&self) -> bool {
        self.operstate == oper::UP || self.operstate == oper::UNKNOWN
    }

    /// `dev_get_flags` (net/core/dev.c): what IFLA ifi_flags reports.
    pub fn get_flags(&self) -> u32 {
        let mut flags = (self.flags
            & !(iff::PROMISC | iff::ALLMULTI | iff::RUNNING | iff::LOWER_UP | iff::DORMANT))
            | (self.gflags & (iff::PROMISC | iff::ALLMULTI));
        if self.is_running() {
            if self.is_oper_up() {
                flags |= iff::RUNNING;
            }
            if self.carrier {
                flags |= iff::LOWER_UP;
            }
            if self.dormant {
                flags |= iff::DORMANT;
            }
        }
        flags
    }

    /// IFLA_OPERSTATE as `rtnl_fill_ifinfo` reports it: DOWN whenever the device is not running.
    pub fn reported_operstate(&self) -> u8 {
        if self.is_running() {
            self.operstate
        } else {
            oper::DOWN
        }
    }

    /// `dev.is_kind("bridge")`: the device's kind has this id.
    pub fn is_kind(&self, id: &str) -> bool {
        self.kind.is(id)
    }

    pub fn has_name(&self, name: &str) -> bool {
        self.name == name || self.altnames.iter().any(|a| a == name)
    }
}

/// The root qdisc kinds the model attaches (`dev->qdisc->ops->id`): noop until the first
/// `dev_activate`, then noqueue (IFF_NO_QUEUE) or the default fq_codel. An enum rather than a
/// string: one byte per device instead of a heap allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qdisc {
    Noop,
    Noqueue,
    FqCodel,
}

impl Qdisc {
    /// The name IFLA_QDISC reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Qdisc::Noop => "noop",
            Qdisc::Noqueue => "noqueue",
            Qdisc::FqCodel => "fq_codel",
        }
    }
}
