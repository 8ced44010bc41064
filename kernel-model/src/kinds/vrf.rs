//! vrf (drivers/net/vrf.c): an L3 master. Creation needs a non-zero table (duplicates are
//! fine: `net.vrf.strict_mode` is 0), there is no changelink, and enslaving cycles a running
//! port down and up (`cycle_netdev`) so its routes move tables. Each port keeps its VRF's
//! table in [`VrfPort`]; the FIB and addrconf find it through `LinkOps::l3mdev_fib_table`.

use super::dummy::eth_hw_addr_random;
use super::{Kind, KindState, LinkOps, PortState};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::SeededRng;
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv, PortInfoValue, PortPriv};
use crate::request::LinkRequest;
use crate::uapi::{errno, iff, ifla, oper};
use crate::validate::{on_dev, Violation};
use crate::view::{KindInfo, PortInfo};
use serde::{Deserialize, Serialize};

pub struct VrfOps;

/// `IFLA_VRF_TABLE`.
pub const IFLA_VRF_TABLE: u16 = 1;
/// `IPV6_MIN_MTU` / `IP6_MAX_MTU` (65535 + the IPv6 header).
const IPV6_MIN_MTU: u32 = 1280;
const IP6_MAX_MTU: u32 = 65535 + 40;

/// `struct net_vrf`, the parts the model keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrfState {
    /// `vrf->tb_id`.
    pub table: u32,
    /// Lower devices in the order they were linked (`netdev_for_each_lower_dev`).
    pub ports: Vec<DevId>,
}

/// A VRF port (`IFF_L3MDEV_SLAVE`): the table its routes live in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrfPort {
    pub vrf: DevId,
    pub table: u32,
}

#[typetag::serde(name = "Vrf")]
impl KindPriv for VrfState {}

#[typetag::serde(name = "Vrf")]
impl PortPriv for VrfPort {
    fn master(&self) -> (DevId, Kind) {
        (self.vrf, Kind::VRF)
    }
}

/// IFLA_INFO_DATA of a vrf: IFLA_VRF_TABLE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrfData {
    pub table: Option<u32>,
}

#[typetag::serde(name = "Vrf")]
impl KindDataValue for VrfData {}

/// What `vrf_fillinfo` reports: IFLA_VRF_TABLE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrfInfo {
    pub table: u32,
}

#[typetag::serde(name = "Vrf")]
impl KindInfoValue for VrfInfo {}

/// What `vrf_fill_slave_info` reports: IFLA_VRF_PORT_TABLE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrfPortInfo {
    pub table: u32,
}

#[typetag::serde(name = "Vrf")]
impl PortInfoValue for VrfPortInfo {}

fn vrf_port(d: &NetDevice) -> Option<&VrfPort> {
    d.port.as_ref().and_then(|p| p.downcast_ref::<VrfPort>())
}

fn vrf(k: &Kernel, id: DevId) -> &VrfState {
    match k.dev(id).state.downcast_ref::<VrfState>() {
        Some(v) => v,
        None => unreachable!("model invariant: vrf state on a vrf"),
    }
}

fn vrf_mut(k: &mut Kernel, id: DevId) -> &mut VrfState {
    match k.dev_mut(id).state.downcast_mut::<VrfState>() {
        Some(v) => v,
        None => unreachable!("model invariant: vrf state on a vrf"),
    }
}

/// `cycle_netdev`: a running device goes down and up again (errors only logged).
fn cycle_netdev(k: &mut Kernel, p: DevId) {
    if !k.dev(p).is_running() {
        return;
    }
    let flags = k.dev(p).flags;
    if k.dev_change_flags(p, flags & !iff::UP).is_ok() {
        let _ = k.dev_change_flags(p, flags);
    }
}

/// `vrf_add_slave` + `do_vrf_add_slave`.
fn add_slave(k: &mut Kernel, id: DevId, p: DevId) -> KResult<()> {
    let pd = k.dev(p);
    // netif_is_l3_master
    if pd.kind == Kind::VRF {
        return Err(
            KernelError::new(errno::EINVAL).msg("Can not enslave an L3 master device to a VRF")
        );
    }
    // netif_is_l3_slave
    if vrf_port(pd).is_some() {
        return err(errno::EINVAL);
    }
    // The namespace's loopback_dev.
    if pd.kind == Kind::LOOPBACK {
        return Err(
            KernelError::new(errno::EOPNOTSUPP).msg("Can not enslave loopback device to a VRF")
        );
    }
    let table = vrf(k, id).table;
    // do_vrf_add_slave: IFF_L3MDEV_SLAVE, then the upper link (on failure the flag goes).
    k.dev_mut(p).port = Some(PortState::new(VrfPort { vrf: id, table }));
    if let Err(e) = k.master_upper_dev_link(p, id) {
        k.dev_mut(p).port = None;
        return Err(e);
    }
    vrf_mut(k, id).ports.push(p);
    cycle_netdev(k, p);
    Ok(())
}

/// `do_vrf_del_slave`.
fn del_slave(k: &mut Kernel, id: DevId, p: DevId) -> KResult<()> {
    if vrf_port(k.dev(p)).is_none_or(|vp| vp.vrf != id) {
        return err(errno::EINVAL);
    }
    vrf_mut(k, id).ports.retain(|x| *x != p);
    k.master_upper_dev_unlink(p);
    k.dev_mut(p).port = None;
    cycle_netdev(k, p);
    Ok(())
}

impl LinkOps for VrfOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("vrf")
    }

    /// `vrf_setup` + `vrf_dev_init` (flags MASTER|NOARP, operstate UP from the start).
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        eth_hw_addr_random(dev, rng);
        dev.no_queue = true;
        dev.live_addr_change = true;
        dev.min_mtu = IPV6_MIN_MTU;
        dev.max_mtu = IP6_MAX_MTU;
        dev.mtu = IP6_MAX_MTU;
        dev.flags = iff::MASTER | iff::NOARP;
        dev.operstate = oper::UP;
        dev.state = KindState::new(VrfState::default());
    }

    /// `vrf_validate`.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        super::dummy::eth_validate_request_addr(req).map_err(|e| e.msg("Invalid hardware address"))
    }

    /// `vrf_newlink`: the table is required and may not be RT_TABLE_UNSPEC.
    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let data = req.linkinfo.as_ref().and_then(|li| li.data.as_ref());
        let table = match data.and_then(|d| d.downcast_ref::<VrfData>()) {
            Some(VrfData { table: Some(t) }) => *t,
            _ => {
                return Err(KernelError::new(errno::EINVAL).msg("VRF table id is missing"));
            }
        };
        if table == 0 {
            return Err(KernelError::new(errno::EINVAL)
                .msg("Invalid VRF table id")
                .attr(AttrPath::nested(&[
                    ifla::LINKINFO,
                    ifla::INFO_DATA,
                    IFLA_VRF_TABLE,
                ])));
        }
        if let Some(v) = dev.state.downcast_mut::<VrfState>() {
            v.table = table;
        }
        // vrf_map_register_dev: strict_mode is 0, shared tables are fine.
        let ns = dev.netns;
        let id = k.register_netdevice(dev)?;
        // vrf_add_fib_rules, for the first vrf of the namespace; on failure the device goes.
        if let Err(e) = k.fib_rules_add_l3mdev(ns) {
            k.unregister_many(&[id], false);
            return Err(e);
        }
        Ok(id)
    }

    /// `vrf_dellink`: every port released (and cycled, so an UP port stays UP).
    fn dellink(&self, k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        for p in vrf(k, id).ports.clone() {
            let _ = del_slave(k, id, p);
        }
        Some(vec![id])
    }

    fn no_rx_handler(&self) -> bool {
        true
    }

    fn is_master(&self) -> bool {
        true
    }

    /// `vrf_fib_table`: `vrf->tb_id`, for the vrf and (through `l3mdev_fib_table`) its ports.
    fn l3mdev_fib_table(&self, dev: &NetDevice) -> Option<u32> {
        dev.state.downcast_ref::<VrfState>().map(|v| v.table)
    }

    fn add_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        add_slave(k, master, port)
    }

    fn del_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        del_slave(k, master, port)
    }

    /// `vrf_device_event`: a port that goes away is released.
    fn port_event(&self, k: &mut Kernel, id: DevId, p: DevId, ev: &NetdevEvent) -> KResult<()> {
        if *ev == NetdevEvent::Unregister {
            vrf_mut(k, id).ports.retain(|x| *x != p);
            k.master_upper_dev_unlink(p);
            k.dev_mut(p).port = None;
        }
        Ok(())
    }

    fn netns_local(&self) -> bool {
        true
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let v = dev.state.downcast_ref::<VrfState>()?;
        Some(KindInfo::new(VrfInfo { table: v.table }))
    }

    fn fill_slave_info(
        &self,
        _k: &Kernel,
        master: &NetDevice,
        _port: &NetDevice,
    ) -> Option<PortInfo> {
        let v = master.state.downcast_ref::<VrfState>()?;
        Some(PortInfo::new(VrfPortInfo { table: v.table }))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<VrfState>()
    }

    fn check_invariants(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_ports(k, d).map_err(|why| on_dev(d, "ports", why))
    }
}

/// Invariant: a VRF's port list and its ports agree.
fn check_ports(k: &Kernel, d: &NetDevice) -> Result<(), String> {
    if let Some(v) = d.state.downcast_ref::<VrfState>() {
        for p in &v.ports {
            match k.try_dev(*p).map(|pd| (vrf_port(pd), pd.master)) {
                Some((Some(vp), Some(m))) if vp.vrf == d.id && m == d.id => {}
                _ => return Err(format!("{}: port {p:?} lacks vrf port state", d.name)),
            }
        }
    }
    Ok(())
}
