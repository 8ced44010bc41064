//! One file per device kind, each implementing [`LinkOps`], the model's `rtnl_link_ops` +
//! `net_device_ops`. The generic link code in `kernel.rs` calls these hooks in the order
//! `net/core/rtnetlink.c` and `net/core/dev.c` do.

pub mod bond;
pub mod bridge;
pub mod dummy;
pub mod geneve;
pub mod gre;
pub mod ifb;
pub mod ipvlan;
pub mod loopback;
pub mod macvlan;
pub mod netdevsim;
pub mod nlmon;
pub mod team;
pub mod tun;
pub mod veth;
pub mod vlan;
pub mod vrf;
pub mod vxlan;

use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::request::{KindData, LinkRequest, PortData};
use crate::uapi::errno;
use crate::view::{KindInfo, PortInfo};
use serde::{Deserialize, Serialize};

/// The kinds of device the model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Loopback,
    Dummy,
    Veth,
    Bridge,
    Netdevsim,
    Bond,
    Team,
    Vrf,
    Vlan,
    Macvlan,
    Macvtap,
    Ipvlan,
    Ipvtap,
    Nlmon,
    Ifb,
    Vxlan,
    /// tun/tap: one rtnl kind ("tun"), two sets of netdev ops (IFF_TUN, IFF_TAP).
    Tun,
    Tap,
    Gre,
    GreTap,
    Ip6Gre,
    Ip6GreTap,
    Geneve,
}

impl Kind {
    /// `rtnl_link_ops_get`: the kinds `ip link add ... type KIND` can name.
    pub fn from_rtnl_kind(kind: &str) -> Option<Kind> {
        Some(match kind {
            "dummy" => Kind::Dummy,
            "veth" => Kind::Veth,
            "bridge" => Kind::Bridge,
            "netdevsim" => Kind::Netdevsim,
            "bond" => Kind::Bond,
            "team" => Kind::Team,
            "vrf" => Kind::Vrf,
            "vlan" => Kind::Vlan,
            "macvlan" => Kind::Macvlan,
            "macvtap" => Kind::Macvtap,
            "ipvlan" => Kind::Ipvlan,
            "ipvtap" => Kind::Ipvtap,
            "nlmon" => Kind::Nlmon,
            "ifb" => Kind::Ifb,
            "vxlan" => Kind::Vxlan,
            // Both tun and tap devices carry tun_link_ops.
            "tun" => Kind::Tun,
            "gre" => Kind::Gre,
            "gretap" => Kind::GreTap,
            "ip6gre" => Kind::Ip6Gre,
            "ip6gretap" => Kind::Ip6GreTap,
            "geneve" => Kind::Geneve,
            _ => return None,
        })
    }

    pub fn ops(self) -> &'static dyn LinkOps {
        match self {
            Kind::Loopback => &loopback::LoopbackOps,
            Kind::Dummy => &dummy::DummyOps,
            Kind::Veth => &veth::VethOps,
            Kind::Bridge => &bridge::BridgeOps,
            Kind::Netdevsim => &netdevsim::NetdevsimOps,
            Kind::Bond => &bond::BondOps,
            Kind::Team => &team::TeamOps,
            Kind::Vrf => &vrf::VrfOps,
            Kind::Vlan => &vlan::VlanOps,
            Kind::Macvlan => &macvlan::MACVLAN_OPS,
            Kind::Macvtap => &macvlan::MACVTAP_OPS,
            Kind::Ipvlan => &ipvlan::IPVLAN_OPS,
            Kind::Ipvtap => &ipvlan::IPVTAP_OPS,
            Kind::Nlmon => &nlmon::NlmonOps,
            Kind::Ifb => &ifb::IfbOps,
            Kind::Vxlan => &vxlan::VxlanOps,
            Kind::Tun => &tun::TUN_OPS,
            Kind::Tap => &tun::TAP_OPS,
            Kind::Gre => &gre::GRE_OPS,
            Kind::GreTap => &gre::GRETAP_OPS,
            Kind::Ip6Gre => &gre::IP6GRE_OPS,
            Kind::Ip6GreTap => &gre::IP6GRETAP_OPS,
            Kind::Geneve => &geneve::GeneveOps,
        }
    }
}

/// Kind-specific private state (`netdev_priv(dev)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KindState {
    None,
    Veth(veth::VethState),
    Bridge(Box<bridge::BridgeState>),
    Netdevsim(netdevsim::NsimState),
    Bond(Box<bond::BondState>),
    Team(team::TeamState),
    Vrf(vrf::VrfState),
    Vlan(Box<vlan::VlanState>),
    Macvlan(Box<macvlan::MacvlanState>),
    Ipvlan(ipvlan::IpvlanState),
    Vxlan(Box<vxlan::VxlanState>),
    Tun(Box<tun::TunState>),
    /// gre, gretap, ip6gre, ip6gretap.
    Gre(Box<gre::GreState>),
    Geneve(Box<geneve::GeneveConf>),
}

/// What a master keeps about one of its ports (`net_bridge_port`, `slave`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortState {
    Bridge(bridge::BridgePort),
    Bond(bond::BondSlave),
    Team(team::TeamPort),
    Vrf(vrf::VrfPort),
}

/// The model's `rtnl_link_ops` + `net_device_ops` for one kind. Default methods are what the
/// kernel does when a driver leaves the hook NULL.
pub trait LinkOps: Sync {
    /// `rtnl_link_ops.kind`, or `None` for devices without rtnl_link_ops (loopback): they have
    /// no IFLA_LINKINFO and cannot be created or deleted through rtnetlink.
    fn rtnl_kind(&self) -> Option<&'static str>;

    /// `.setup`: defaults applied by `alloc_netdev_mqs`.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng);

    /// `.get_num_tx_queues` / `.get_num_rx_queues` defaults when the request names none.
    fn default_num_queues(&self) -> (u32, u32) {
        (1, 1)
    }

    /// `.validate` (called by `rtnl_newlink` for create and change).
    fn validate(&self, _req: &LinkRequest) -> KResult<()> {
        Ok(())
    }

    /// `.newlink(src_net, dev, ...)`; the default is `register_netdevice`. `src_net` is the
    /// requesting socket's namespace (where IFLA_LINK is looked up); `dev.netns` is the
    /// namespace the device is created in (`rtnl_newlink_create`'s dest_net).
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        dev: NetDevice,
        _req: &LinkRequest,
    ) -> KResult<DevId> {
        let _ = src_net;
        k.register_netdevice(dev)
    }

    /// `.changelink`; `None` data means IFLA_INFO_DATA was absent.
    fn changelink(&self, _k: &mut Kernel, _id: DevId, _data: &KindData) -> KResult<()> {
        Err(KernelError::new(errno::EOPNOTSUPP))
    }

    /// `.changelink` with the request's top-level attributes (`tb`), for drivers that read
    /// them (IFLA_MTU); the default ignores them.
    fn changelink_tb(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &KindData,
        _req: &LinkRequest,
    ) -> KResult<()> {
        self.changelink(k, id, data)
    }

    /// Whether `.changelink` exists (rtnl_changelink refuses INFO_DATA otherwise).
    fn has_changelink(&self) -> bool {
        false
    }

    /// `.slave_changelink` on the master's ops, for IFLA_INFO_SLAVE_DATA.
    fn slave_changelink(
        &self,
        _k: &mut Kernel,
        _master: DevId,
        _port: DevId,
        _data: &PortData,
    ) -> KResult<()> {
        Err(KernelError::new(errno::EOPNOTSUPP))
    }

    /// `.dellink`: the devices to unregister together, or None when the kind has no dellink
    /// (`rtnl_delete_link` answers EOPNOTSUPP).
    fn dellink(&self, _k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        Some(vec![id])
    }

    /// `ndo_validate_addr`, run by `__dev_open` before `ndo_open`.
    fn validate_addr(&self, _dev: &NetDevice) -> KResult<()> {
        Ok(())
    }

    /// `ndo_open`.
    fn open(&self, _k: &mut Kernel, _id: DevId) -> KResult<()> {
        Ok(())
    }

    /// `ndo_stop`.
    fn stop(&self, _k: &mut Kernel, _id: DevId) {}

    /// `ndo_uninit`, run by `unregister_netdevice_many_notify` after NETDEV_UNREGISTER and
    /// before the RTM_DELLINK goes out (bond and team release their ports here).
    fn uninit(&self, _k: &mut Kernel, _id: DevId) {}

    /// `IFF_NO_RX_HANDLER` (vrf): `netdev_rx_handler_register` refuses it with EINVAL.
    fn no_rx_handler(&self) -> bool {
        false
    }

    /// The devices `ndo_set_rx_mode` syncs this device's unicast and multicast lists to
    /// (`dev_uc_sync` / `dev_mc_sync`: a vlan's real device, a macvlan's lower, a bond's or
    /// team's ports).
    fn rx_mode_sync_targets(&self, k: &Kernel, id: DevId) -> Vec<DevId> {
        let _ = (k, id);
        Vec::new()
    }

    /// `netif_is_bridge_master` (IFF_EBRIDGE).
    fn is_bridge_master(&self) -> bool {
        false
    }

    /// `ndo_fdb_add` for `dev` (a bridge receives its port here); NULL means
    /// `ndo_dflt_fdb_add`.
    fn fdb_add(&self, k: &mut Kernel, dev: DevId, op: &crate::fdb::FdbOp) -> KResult<()> {
        crate::fdb::ndo_dflt_fdb_add(k, dev, op)
    }

    /// `ndo_fdb_del`; NULL means `ndo_dflt_fdb_del`.
    fn fdb_del(&self, k: &mut Kernel, dev: DevId, op: &crate::fdb::FdbOp) -> KResult<()> {
        crate::fdb::ndo_dflt_fdb_del(k, dev, op)
    }

    /// `ndo_fdb_get` (NULL: "Fdb get operation not supported by device").
    fn fdb_get(
        &self,
        k: &Kernel,
        dev: DevId,
        addr: HwAddr,
        vid: u16,
    ) -> KResult<crate::fdb::FdbMsg> {
        let _ = (k, dev, addr, vid);
        Err(KernelError::new(errno::EOPNOTSUPP).msg("Fdb get operation not supported by device"))
    }

    /// `ndo_fdb_dump` of `dev`, for the entries towards `filter` (a port of this bridge) or
    /// all of its own; NULL means `ndo_dflt_fdb_dump`.
    fn fdb_dump(
        &self,
        k: &Kernel,
        dev: DevId,
        filter: Option<DevId>,
        out: &mut Vec<crate::fdb::FdbMsg>,
    ) -> KResult<()> {
        let _ = filter;
        crate::fdb::ndo_dflt_fdb_dump(k, dev, out);
        Ok(())
    }

    /// `ndo_change_rx_flags`: IFF_PROMISC / IFF_ALLMULTI of the device flipped (`change`),
    /// e.g. a bond passes promiscuity on to its slaves.
    fn change_rx_flags(&self, _k: &mut Kernel, _id: DevId, _change: u32) {}

    /// Whether the driver has an `ndo_set_mac_address` (EOPNOTSUPP otherwise).
    fn has_set_mac_address(&self) -> bool {
        true
    }

    /// `ndo_set_mac_address`; the default is `eth_mac_addr`.
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        k.eth_mac_addr(id, addr)
    }

    /// `ndo_change_mtu`; the default stores the value (`__dev_set_mtu`).
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `ndo_change_carrier` (IFLA_CARRIER); None when the driver has none.
    fn change_carrier(&self, _k: &mut Kernel, _id: DevId, _on: bool) -> Option<KResult<()>> {
        None
    }

    /// `ndo_get_iflink`: the ifindex reported as IFLA_LINK (the device's own when it has none).
    fn iflink(&self, k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        let _ = k;
        let _ = dev;
        None
    }

    /// `dev_get_iflink` when [`LinkOps::iflink`] names no device: the device's own ifindex
    /// (no IFLA_LINK), or 0 for drivers whose `ndo_get_iflink` answers 0 (veth without a peer,
    /// reported as IFLA_LINK 0, `@NONE` in ip).
    fn iflink_without_link(&self, dev: &NetDevice) -> u32 {
        dev.ifindex
    }

    /// Whether the device is a master (`ndo_add_slave` exists).
    fn is_master(&self) -> bool {
        false
    }

    /// `ndo_add_slave`.
    fn add_slave(&self, _k: &mut Kernel, _master: DevId, _port: DevId) -> KResult<()> {
        Err(KernelError::new(errno::EOPNOTSUPP))
    }

    /// `ndo_del_slave`.
    fn del_slave(&self, _k: &mut Kernel, _master: DevId, _port: DevId) -> KResult<()> {
        Err(KernelError::new(errno::EOPNOTSUPP))
    }

    /// This master's netdevice notifier for events on one of its ports (`br_device_event` ...).
    fn port_event(
        &self,
        _k: &mut Kernel,
        _master: DevId,
        _port: DevId,
        _ev: &NetdevEvent,
    ) -> KResult<()> {
        Ok(())
    }

    /// The link speed `__ethtool_get_link_ksettings` reports (Mb/s), if the driver has one.
    fn ethtool_speed(&self) -> Option<u32> {
        None
    }

    /// This stacked driver's netdevice notifier for an event on its lower device
    /// (`vlan_device_event`, `macvlan_device_event`, ...).
    fn lower_event(&self, _k: &mut Kernel, _upper: DevId, _lower: DevId, _ev: &NetdevEvent) {}

    /// `IFF_UNICAST_FLT`: the device filters unicast addresses itself; without it a non-empty
    /// unicast list (`dev_uc_add` by a vlan or macvlan on it) makes `__dev_set_rx_mode` put the
    /// device in promiscuous mode.
    fn unicast_flt(&self) -> bool {
        false
    }

    /// `dev->netns_local` (NETIF_F_NETNS_LOCAL on older kernels).
    fn netns_local(&self) -> bool {
        false
    }

    /// `rtnl_link_ops->get_link_net`: the namespace of the device's link (a veth's peer, a
    /// vlan's real device, a tunnel's underlay), or `None` when the kind has no such hook.
    /// `rtnl_fill_link_netnsid` reports IFLA_LINK_NETNSID when it differs from `dev.netns`.
    fn get_link_net(&self, _k: &Kernel, _dev: &NetDevice) -> Option<NetnsId> {
        None
    }

    /// `.fill_info`.
    fn fill_info(&self, _k: &Kernel, _dev: &NetDevice) -> Option<KindInfo> {
        None
    }

    /// `.fill_slave_info` of this master, for one of its ports.
    fn fill_slave_info(
        &self,
        _k: &Kernel,
        _master: &NetDevice,
        _port: &NetDevice,
    ) -> Option<PortInfo> {
        None
    }
}
