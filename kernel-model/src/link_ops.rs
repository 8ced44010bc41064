//! The model's `rtnl_link_ops` + `net_device_ops` ([`LinkOps`]) and a device's kind
//! ([`Kind`]), as the generic code sees them. Like `rtnl_link_register`, every kind registers
//! itself (`inventory::submit!` in `kinds/mod.rs`); the generic code finds it by id or by its
//! rtnl kind, never by naming the driver.

use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindData, KindInfo, KindState, PortData, PortInfo};
use crate::request::LinkRequest;
use crate::uapi::errno;
use crate::validate::Violation;
use crate::view::VfInfo;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// IFLA_PHYS_PORT_NAME, IFLA_PHYS_SWITCH_ID, IFLA_PARENT_DEV_NAME / _BUS_NAME.
pub type PhysInfo = (Option<String>, Option<Vec<u8>>, Option<(String, String)>);

/// One registered kind: its stable id ("bridge", "tap", "loopback", ...), the name state
/// files and messages knew it by ("Bridge", "GreTap"), and its ops. tun and tap share the rtnl
/// kind "tun" but are two entries (two sets of netdev ops).
pub struct KindEntry {
    pub id: &'static str,
    pub name: &'static str,
    pub ops: &'static dyn LinkOps,
}

/// A device's kind: which registered [`LinkOps`] drive it (`dev->rtnl_link_ops` plus
/// `dev->netdev_ops`). Compared by id; serialized as the id.
#[derive(Clone, Copy)]
pub struct Kind(&'static KindEntry);

inventory::collect!(Kind);

impl Kind {
    /// For the registry (`kinds/mod.rs`).
    pub const fn new(entry: &'static KindEntry) -> Kind {
        Kind(entry)
    }

    pub fn ops(self) -> &'static dyn LinkOps {
        self.0.ops
    }

    /// The stable id ("bridge", "tun", "tap", "gretap", "loopback", ...).
    pub fn id(self) -> &'static str {
        self.0.id
    }

    /// `dev.kind.is("bridge")`.
    pub fn is(self, id: &str) -> bool {
        self.0.id == id
    }

    /// Every registered kind, in no particular order.
    pub fn all() -> impl Iterator<Item = Kind> {
        inventory::iter::<Kind>.into_iter().copied()
    }

    /// The registered kind with this id (or, for old state files, this name).
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::all().find(|k| k.0.id == id || k.0.name == id)
    }

    /// `rtnl_link_ops_get`: the kinds `ip link add ... type KIND` can name (both tun and tap
    /// devices carry tun_link_ops: "tun" names the tun entry).
    pub fn from_rtnl_kind(kind: &str) -> Option<Kind> {
        Kind::all().find(|k| k.0.id == kind && k.ops().registered_rtnl_kind() == Some(kind))
    }

    /// The loopback device's kind (`loopback_net_init`), which every namespace starts with.
    pub(crate) fn loopback() -> Kind {
        match Kind::from_id("loopback") {
            Some(k) => k,
            None => unreachable!("kinds/mod.rs registers loopback"),
        }
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for Kind {}

impl std::hash::Hash for Kind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.id.hash(state)
    }
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.id)
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let id = String::deserialize(d)?;
        Kind::from_id(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown device kind {id:?}")))
    }
}

/// The model's `rtnl_link_ops` + `net_device_ops` for one kind. Default methods are what the
/// kernel does when a driver leaves the hook NULL.
pub trait LinkOps: Sync {
    /// `rtnl_link_ops.kind`, or `None` for devices without rtnl_link_ops (loopback): they have
    /// no IFLA_LINKINFO and cannot be created or deleted through rtnetlink.
    fn rtnl_kind(&self) -> Option<&'static str>;

    /// The kind `rtnl_link_register` registered, which `rtnl_link_ops_get` finds: the same as
    /// [`LinkOps::rtnl_kind`] except for drivers whose devices do not carry the ops they
    /// registered (netdevsim registers "netdevsim" only to refuse creation).
    fn registered_rtnl_kind(&self) -> Option<&'static str> {
        self.rtnl_kind()
    }

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

    /// Whether this master sets `IFF_NO_ADDRCONF` on its ports (`bond_enslave`): addrconf
    /// leaves them alone.
    fn ports_no_addrconf(&self) -> bool {
        false
    }

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

    /// `devlink_net()` of the device's devlink instance (netdevsim: the namespace that wrote
    /// new_device, `nsim_bus_dev->initial_net`), where the driver's FIB and nexthop notifiers
    /// are registered. It stays when the port moves to another namespace.
    fn devlink_net(&self, _dev: &NetDevice) -> Option<NetnsId> {
        None
    }

    /// `dev->dev_id`: set by drivers whose devices share one MAC (ipvlan: from the port's ida);
    /// addrconf_ifid_eui48 puts it in place of ff:fe in the EUI-64 interface identifier.
    fn dev_id(&self, _dev: &NetDevice) -> u16 {
        0
    }

    /// `l3mdev_ops->l3mdev_fib_table` of an L3 master (vrf): the FIB table of the device and
    /// of its ports. None: not an L3 master.
    fn l3mdev_fib_table(&self, _dev: &NetDevice) -> Option<u32> {
        None
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

    /// `ndo_get_phys_port_name` / `ndo_get_port_parent_id` / `dev->dev.parent`: IFLA_PHYS_PORT_NAME,
    /// IFLA_PHYS_SWITCH_ID and IFLA_PARENT_DEV_NAME / _BUS_NAME (netdevsim ports).
    fn phys_info(&self, _dev: &NetDevice) -> PhysInfo {
        (None, None, None)
    }

    /// `devlink_port` of the device (`rtnl_fill_devlink_port`): bus name, device name, index.
    fn devlink_port(&self, _dev: &NetDevice) -> Option<(String, String, u32)> {
        None
    }

    /// What `rtnl_fill_vfinfo` reports (`dev_num_vf`, `ndo_get_vf_config`).
    fn vf_info(&self, _dev: &NetDevice) -> Option<VfInfo> {
        None
    }

    /// The driver's own sysfs attributes (`dev->sysfs_groups`: `tun_attr_group`,
    /// `bonding_attr_group`): `None` when `attr` is not one of them, `Some(None)` when it is
    /// but the model does not produce it.
    fn sysfs_attr(&self, _k: &Kernel, _id: DevId, _attr: &str) -> Option<Option<String>> {
        None
    }

    /// The driver's directory under `/proc/net` with one file per device
    /// (`bond_create_proc_dir`: "bonding").
    fn proc_net_dir(&self) -> Option<&'static str> {
        None
    }

    /// The device's file in [`LinkOps::proc_net_dir`] (`bond_info_seq_show`), or `None` when
    /// the model does not produce it.
    fn proc_net_file(&self, _k: &Kernel, _id: DevId) -> Option<String> {
        None
    }

    /// Whether `state` is the private state `setup` gives this kind (`netdev_priv`): the
    /// kind's accessors assume it. The default is a driver with no private state.
    fn state_fits(&self, state: &KindState) -> bool {
        state.is_none()
    }

    /// The references inside this kind's private state name live devices and namespaces
    /// (checked on a loaded state, see `validate`).
    fn check_links(&self, _k: &Kernel, _dev: &NetDevice) -> Result<(), Violation> {
        Ok(())
    }

    /// The relations this kind keeps on both ends agree (a veth pair, a master's port list
    /// and its ports' state). Called for the device itself and, for a port, on its master's
    /// kind.
    fn check_invariants(&self, _k: &Kernel, _dev: &NetDevice) -> Result<(), Violation> {
        Ok(())
    }

    /// This kind's place among the `pernet_operations` whose `exit_batch_rtnl` runs in
    /// `ops_exit_rtnl_list` (lower first), or `None` when its module has none.
    fn exit_rtnl_rank(&self) -> Option<u8> {
        None
    }

    /// `exit_batch_rtnl` of this kind's module for the dying namespace `ns`: the devices it
    /// queues with `unregister_netdevice_queue`, in order.
    fn exit_batch_rtnl(&self, _k: &mut Kernel, _ns: NetnsId) -> Vec<DevId> {
        Vec::new()
    }
}
