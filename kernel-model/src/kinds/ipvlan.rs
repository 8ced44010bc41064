//! ipvlan and ipvtap (drivers/net/ipvlan/ipvlan_main.c, ipvtap.c).
//!
//! The kernel's `ipvl_port` hangs off the lower device's rx_handler and holds the mode and
//! flags for every ipvlan of that lower. The model marks the lower with `RxHandler::Ipvlan`,
//! derives `port->ipvlans` from the devices stacked on it (creation order) and keeps the
//! port-wide values (mode, flags, the dev_id cursor) on every ipvlan of the port. ipvtap is
//! ipvlan with the tap flavour (`ipvtap_setup`); its character device is not modelled.

use super::vlan::inherit_tso_max;
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId, RxHandler};
use crate::error::{err, KResult};
use crate::hwaddr::SeededRng;
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{addr_assign, arphrd, errno, iff, ETH_MAX_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};

/// `enum ipvlan_mode`.
pub mod mode {
    pub const L2: u16 = 0;
    pub const L3: u16 = 1;
    pub const L3S: u16 = 2;
    pub const MAX: u16 = 3;
}

/// `IPVLAN_F_*`.
pub mod flag {
    pub const PRIVATE: u16 = 0x01;
    pub const VEPA: u16 = 0x02;
}

pub struct IpvlanOps {
    tap: bool,
}

pub static IPVLAN_OPS: IpvlanOps = IpvlanOps { tap: false };
pub static IPVTAP_OPS: IpvlanOps = IpvlanOps { tap: true };

/// IFLA_INFO_DATA of kind "ipvlan" / "ipvtap".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpvlanData {
    pub mode: Option<u16>,
    pub flags: Option<u16>,
}

/// `struct ipvl_dev` plus copies of the port-wide values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpvlanState {
    pub phy_dev: Option<DevId>,
    /// `dev->dev_id` (from the port's ida, 0x1..0xFFFD).
    pub dev_id: u16,
    /// `port->mode`.
    pub port_mode: u16,
    /// `port->flags`.
    pub port_flags: u16,
    /// `port->dev_id_start`.
    pub port_dev_id_start: u16,
}

/// What `ipvlan_nl_fillinfo` reports: the port's mode and flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpvlanInfo {
    pub mode: u16,
    pub flags: u16,
}

fn state(d: &NetDevice) -> Option<&IpvlanState> {
    d.state.downcast_ref::<IpvlanState>()
}

fn state_mut(k: &mut Kernel, id: DevId) -> &mut IpvlanState {
    match k.dev_mut(id).state.downcast_mut::<IpvlanState>() {
        Some(v) => v,
        None => unreachable!("model invariant: ipvlan state on an ipvlan"),
    }
}

fn ipv(k: &Kernel, id: DevId) -> &IpvlanState {
    state(k.dev(id)).expect("model invariant: ipvlan state on an ipvlan")
}

fn phy_dev(k: &Kernel, id: DevId) -> DevId {
    ipv(k, id)
        .phy_dev
        .expect("model invariant: a registered ipvlan has a lower device")
}

/// `netif_is_ipvlan` (ipvlan and ipvtap share the netdev_ops).
fn is_ipvlan(d: &NetDevice) -> bool {
    [Kind::IPVLAN, Kind::IPVTAP].contains(&d.kind)
}

/// `netif_is_ipvlan_port`.
fn is_port(k: &Kernel, lower: DevId) -> bool {
    k.dev(lower).rx_handler == Some(RxHandler::Ipvlan)
}

/// `port->ipvlans` (without `except`, a device not yet on the list).
fn port_ipvlans(k: &Kernel, lower: DevId, except: Option<DevId>) -> Vec<DevId> {
    k.dev(lower)
        .uppers
        .iter()
        .copied()
        .filter(|u| Some(*u) != except)
        .filter(|u| {
            k.try_dev(*u)
                .and_then(state)
                .is_some_and(|s| s.phy_dev == Some(lower))
        })
        .collect()
}

fn set_port(k: &mut Kernel, lower: DevId, f: impl Fn(&mut IpvlanState)) {
    for v in port_ipvlans(k, lower, None) {
        f(state_mut(k, v));
    }
}

/// `ipvlan_set_port_mode`: NOARP on every ipvlan already on the port for l3/l3s, cleared for
/// l2 (`dev_change_flags`, announced); the device being created is not on the list yet.
fn set_port_mode(k: &mut Kernel, lower: DevId, nval: u16, members: &[DevId]) -> KResult<()> {
    let cur = members.first().map_or(mode::L3, |v| ipv(k, *v).port_mode);
    if cur == nval {
        return Ok(());
    }
    for &v in members {
        let flags = k.dev(v).flags;
        let flags = if nval == mode::L3 || nval == mode::L3S {
            flags | iff::NOARP
        } else {
            flags & !iff::NOARP
        };
        k.dev_change_flags(v, flags)?;
    }
    set_port(k, lower, |s| s.port_mode = nval);
    Ok(())
}

fn data_of(req: &LinkRequest) -> Option<&IpvlanData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<IpvlanData>()
}

impl LinkOps for IpvlanOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some(if self.tap { "ipvtap" } else { "ipvlan" })
    }

    /// `ipvlan_link_setup` / `ipvtap_setup` (txqueuelen 500 and a qdisc).
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.ether_setup();
        dev.max_mtu = ETH_MAX_MTU;
        if self.tap {
            dev.tx_queue_len = super::macvlan::TUN_READQ_SIZE;
        } else {
            dev.no_queue = true;
        }
        dev.state = KindState::new(IpvlanState {
            phy_dev: None,
            dev_id: 0,
            port_mode: mode::L3,
            port_flags: 0,
            port_dev_id_start: 1,
        });
    }

    /// `ipvlan_nl_validate`.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        let Some(data) = data_of(req) else {
            return Ok(());
        };
        if data.mode.is_some_and(|m| m >= mode::MAX) {
            return err(errno::EINVAL);
        }
        if let Some(f) = data.flags {
            if f & !(flag::PRIVATE | flag::VEPA) != 0 {
                return err(errno::EINVAL);
            }
            if f & (flag::PRIVATE | flag::VEPA) == flag::PRIVATE | flag::VEPA {
                return err(errno::EINVAL);
            }
        }
        Ok(())
    }

    /// `ipvlan_link_new` (ipvtap first registers the tap rx_handler on the new device).
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        if self.tap {
            dev.rx_handler = Some(RxHandler::Tap);
        }
        let Some(link) = req.link else {
            return err(errno::EINVAL);
        };
        // `__dev_get_by_index(src_net, IFLA_LINK)`.
        let Some(mut phy) = k.dev_by_index(src_net, link) else {
            return err(errno::ENODEV);
        };
        if is_ipvlan(k.dev(phy)) {
            phy = phy_dev(k, phy);
        } else if !is_port(k, phy) {
            // "Master is either lo or non-ether device" / "Device is already in use."
            let p = k.dev(phy);
            if p.dev_type != arphrd::ETHER || p.flags & iff::LOOPBACK != 0 {
                return err(errno::EINVAL);
            }
            if p.rx_handler.is_some() {
                return err(errno::EBUSY);
            }
        }
        if req.mtu.is_none() {
            // ipvlan_adjust_mtu
            dev.mtu = k.dev(phy).mtu;
        }
        dev.addr = k.dev(phy).addr;
        let data = data_of(req).cloned().unwrap_or_default();
        // register_netdevice: the name is checked before ndo_init (ipvlan_init) runs.
        dev.name = k.dev_get_valid_name(dev.netns, &dev.name, errno::EEXIST)?;
        // ipvlan_init: carrier/dormant and TSO limits from the lower; the port.
        {
            let p = k.dev(phy);
            dev.carrier = p.carrier;
            dev.dormant = p.dormant;
            inherit_tso_max(&mut dev, p);
        }
        let members = if is_port(k, phy) {
            port_ipvlans(k, phy, None)
        } else {
            k.rx_handler_register(phy, RxHandler::Ipvlan)?;
            Vec::new()
        };
        let (pmode, pflags, start) = members.first().map_or((mode::L3, 0, 1), |v| {
            let s = ipv(k, *v);
            (s.port_mode, s.port_flags, s.port_dev_id_start)
        });
        // ida_alloc_range(dev_id_start..0xFFFD), then 1..dev_id_start-1.
        let used: Vec<u16> = members.iter().map(|v| ipv(k, *v).dev_id).collect();
        let start = if start == 0xfffe { 1 } else { start };
        let dev_id = (start..=0xfffd)
            .chain(1..start)
            .find(|i| !used.contains(i))
            .unwrap_or(1);
        if dev.addr_assign_type == addr_assign::PERM {
            dev.perm_addr = dev.addr;
        }
        dev.state = KindState::new(IpvlanState {
            phy_dev: Some(phy),
            dev_id,
            port_mode: pmode,
            port_flags: pflags,
            port_dev_id_start: dev_id.wrapping_add(1),
        });
        let id = match k.register_netdevice(dev) {
            Ok(id) => id,
            Err(e) => {
                if members.is_empty() {
                    k.rx_handler_unregister(phy);
                }
                return Err(e);
            }
        };
        k.link_lower(id, phy);
        let next = dev_id.wrapping_add(1);
        set_port(k, phy, |s| s.port_dev_id_start = next);
        if let Some(f) = data.flags {
            set_port(k, phy, |s| s.port_flags = f);
        }
        let m = data.mode.unwrap_or(mode::L3);
        if let Err(e) = set_port_mode(k, phy, m, &members) {
            k.unregister_many(&[id], false);
            return Err(e);
        }
        k.netif_stacked_transfer_operstate(phy, id);
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `ipvlan_nl_changelink`: the port's mode (every ipvlan of the lower), then its flags.
    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(data) = data.downcast_ref::<IpvlanData>() else {
            return err(errno::EINVAL);
        };
        let phy = phy_dev(k, id);
        if let Some(m) = data.mode {
            let members = port_ipvlans(k, phy, None);
            set_port_mode(k, phy, m, &members)?;
        }
        if let Some(f) = data.flags {
            set_port(k, phy, |s| s.port_flags = f & (flag::PRIVATE | flag::VEPA));
        }
        Ok(())
    }

    /// `ipvlan_open`: NOARP follows the port mode (set directly, not announced).
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        let m = ipv(k, id).port_mode;
        let d = k.dev_mut(id);
        if m == mode::L3 || m == mode::L3S {
            d.flags |= iff::NOARP;
        } else {
            d.flags &= !iff::NOARP;
        }
        Ok(())
    }

    /// `ipvlan_uninit`: the last ipvlan of the lower destroys the port.
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        let Some(phy) = ipv(k, id).phy_dev else {
            return;
        };
        if k.try_dev(phy).is_none() || !is_port(k, phy) {
            return;
        }
        if port_ipvlans(k, phy, Some(id)).is_empty() {
            k.rx_handler_unregister(phy);
        }
    }

    /// No `ndo_set_mac_address`: the MAC is the lower's (EOPNOTSUPP).
    fn has_set_mac_address(&self) -> bool {
        false
    }

    /// `ipvlan_change_rx_flags`: allmulti is passed to the lower.
    fn change_rx_flags(&self, k: &mut Kernel, id: DevId, change: u32) {
        if change & iff::ALLMULTI != 0 {
            let phy = phy_dev(k, id);
            let inc = if k.dev(id).flags & iff::ALLMULTI != 0 {
                1
            } else {
                -1
            };
            k.dev_set_allmulti(phy, inc);
        }
    }

    /// IFF_NO_RX_HANDLER.
    fn no_rx_handler(&self) -> bool {
        true
    }

    fn unicast_flt(&self) -> bool {
        true
    }

    /// `ipvlan_get_iflink`.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        state(dev).and_then(|s| s.phy_dev)
    }

    /// `dev->dev_id = err` after ida_alloc_range (ipvlan_link_new): the ipvlans of a port share
    /// the lower's MAC, their IPv6 link-locals differ by it.
    fn dev_id(&self, dev: &NetDevice) -> u16 {
        state(dev).map_or(0, |s| s.dev_id)
    }

    /// `ipvlan_device_event` for the port on `lower`, handled once (by its first ipvlan).
    fn lower_event(&self, k: &mut Kernel, upper: DevId, lower: DevId, ev: &NetdevEvent) {
        if !is_port(k, lower) {
            return;
        }
        let members = port_ipvlans(k, lower, None);
        if members.first() != Some(&upper) {
            return;
        }
        match ev {
            NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
                for v in members {
                    k.netif_stacked_transfer_operstate(lower, v);
                }
            }
            NetdevEvent::ChangeMtu => {
                // ipvlan_adjust_mtu: assigned directly, both ways, not announced.
                let mtu = k.dev(lower).mtu;
                for v in members {
                    k.dev_mut(v).mtu = mtu;
                }
            }
            NetdevEvent::ChangeAddr => {
                let addr = k.dev(lower).addr;
                for v in members {
                    k.dev_mut(v).addr = addr;
                    k.call_netdevice_notifiers(v, NetdevEvent::ChangeAddr);
                }
            }
            // Not while the lower only moves to another namespace (still registered).
            NetdevEvent::Unregister
                if k.dev(lower).reg_state == crate::device::RegState::Unregistering =>
            {
                k.unregister_many(&members, false)
            }
            _ => {}
        }
    }

    /// `ipvlan_get_link_net`: the namespace of the lower device (ipvtap_link_ops has none).
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        if self.tap {
            return None;
        }
        Some(
            dev.lower
                .and_then(|l| k.try_dev(l))
                .map_or(dev.netns, |l| l.netns),
        )
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<IpvlanState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        k.check_real_dev(d, "phy_dev", state(d).and_then(|i| i.phy_dev))
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let s = state(dev)?;
        Some(KindInfo::new(IpvlanInfo {
            mode: s.port_mode,
            flags: s.port_flags,
        }))
    }
}

#[typetag::serde(name = "Ipvlan")]
impl KindPriv for IpvlanState {}

#[typetag::serde(name = "Ipvlan")]
impl KindDataValue for IpvlanData {}

#[typetag::serde(name = "Ipvlan")]
impl KindInfoValue for IpvlanInfo {}
