//! 802.1Q / 802.1ad VLAN devices (net/8021q): `vlan_netlink.c` (validate, newlink, changelink,
//! fill_info), `vlan_dev.c` (init, open, stop, MTU, MAC) and `vlan.c` (`vlan_check_real_dev`,
//! `register_vlan_dev`, `vlan_device_event`).
//!
//! The kernel keeps a per-lower `vlan_group` indexed by (protocol, id); the model finds the
//! same devices among the lower's `uppers` and walks them in the group's order
//! (`vlan_group_for_each_dev`: 802.1Q before 802.1ad, then by id).

use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{addr_assign, arphrd, errno, iff, ETH_MAX_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};

pub struct VlanOps;

pub const ETH_P_8021Q: u16 = 0x8100;
pub const ETH_P_8021AD: u16 = 0x88a8;
/// `VLAN_VID_MASK`: ids 0..4094 are valid.
const VLAN_VID_MASK: u16 = 0x0fff;

/// `enum vlan_flags` (include/uapi/linux/if_vlan.h).
pub mod flag {
    pub const REORDER_HDR: u32 = 0x1;
    pub const GVRP: u32 = 0x2;
    pub const LOOSE_BINDING: u32 = 0x4;
    pub const MVRP: u32 = 0x8;
    pub const BRIDGE_BINDING: u32 = 0x10;
    pub const ALL: u32 = REORDER_HDR | GVRP | LOOSE_BINDING | MVRP | BRIDGE_BINDING;
}

/// `IFLA_VLAN_*` numbers the model points extack at.
pub mod ifla_vlan {
    pub const ID: u16 = 1;
    pub const FLAGS: u16 = 2;
    pub const EGRESS_QOS: u16 = 3;
    pub const INGRESS_QOS: u16 = 4;
    pub const PROTOCOL: u16 = 5;
}

/// IFLA_INFO_DATA of kind "vlan" as the request carried it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VlanData {
    pub id: Option<u16>,
    /// IFLA_VLAN_PROTOCOL in host order (the attribute is big endian on the wire).
    pub protocol: Option<u16>,
    /// `struct ifla_vlan_flags`: (flags, mask).
    pub flags: Option<(u32, u32)>,
    /// IFLA_VLAN_QOS_MAPPING entries (from, to) of IFLA_VLAN_INGRESS_QOS.
    pub ingress_qos: Option<Vec<(u32, u32)>>,
    /// IFLA_VLAN_QOS_MAPPING entries (from, to) of IFLA_VLAN_EGRESS_QOS.
    pub egress_qos: Option<Vec<(u32, u32)>>,
}

/// One `vlan_priority_tci_mapping` of the egress map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EgressMapping {
    pub priority: u32,
    pub vlan_qos: u16,
}

/// `struct vlan_dev_priv`, the parts the model keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VlanState {
    pub real_dev: Option<DevId>,
    pub proto: u16,
    pub id: u16,
    pub flags: u32,
    /// `vlan->real_dev_addr`: the lower's MAC when the vlan was last opened / synced.
    pub real_dev_addr: HwAddr,
    /// `ingress_priority_map[8]`.
    pub ingress: [u32; 8],
    /// `egress_priority_map`, in insertion order (each hash bucket is head-inserted).
    pub egress: Vec<EgressMapping>,
}

/// What `vlan_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VlanInfo {
    pub protocol: u16,
    pub id: u16,
    pub flags: u32,
    pub ingress: Vec<(u32, u32)>,
    pub egress: Vec<(u32, u32)>,
}

fn state(d: &NetDevice) -> Option<&VlanState> {
    d.state.downcast_ref::<VlanState>()
}

fn state_mut(k: &mut Kernel, id: DevId) -> &mut VlanState {
    match k.dev_mut(id).state.downcast_mut::<VlanState>() {
        Some(v) => v,
        None => unreachable!("model invariant: vlan state on a vlan"),
    }
}

fn vlan(k: &Kernel, id: DevId) -> &VlanState {
    state(k.dev(id)).expect("model invariant: vlan state on a vlan")
}

/// 01:80:c2:00:00:21, the GVRP and MVRP group address.
const GARP_MRP_VLAN_GROUP: HwAddr = HwAddr::eth_const([0x01, 0x80, 0xc2, 0, 0, 0x21]);

/// `grp->nr_vlan_devs`: VLAN devices stacked on `real`.
fn vlans_on(k: &Kernel, real: DevId) -> usize {
    k.dev(real)
        .uppers
        .iter()
        .filter(|u| k.try_dev(**u).is_some_and(|d| d.kind == Kind::VLAN))
        .count()
}

fn real_dev(k: &Kernel, id: DevId) -> DevId {
    vlan(k, id)
        .real_dev
        .expect("model invariant: a registered vlan has a real device")
}

/// `vlan_proto_idx`.
fn proto_idx(proto: u16) -> u8 {
    if proto == ETH_P_8021AD {
        1
    } else {
        0
    }
}

/// `vlan_group_for_each_dev`: the vlans stacked on `lower`, in group order.
pub fn group(k: &Kernel, lower: DevId) -> Vec<DevId> {
    let mut v: Vec<(u8, u16, DevId)> = k
        .dev(lower)
        .uppers
        .iter()
        .filter_map(|u| {
            let d = k.try_dev(*u)?;
            let s = state(d)?;
            (s.real_dev == Some(lower)).then_some((proto_idx(s.proto), s.id, *u))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, _, u)| u).collect()
}

/// `vlan_find_dev`.
fn find_dev(k: &Kernel, real: DevId, proto: u16, id: u16) -> Option<DevId> {
    group(k, real).into_iter().find(|u| {
        let s = vlan(k, *u);
        s.proto == proto && s.id == id
    })
}

/// `vlan_check_real_dev`: VLAN-challenged or non-Ethernet lowers, then a (proto, id) clash.
fn check_real_dev(k: &Kernel, real: DevId, proto: u16, id: u16) -> KResult<()> {
    let d = k.dev(real);
    // NETIF_F_VLAN_CHALLENGED: ipvlan/ipvtap set it (IPVLAN_ALWAYS_ON); lo, nlmon, gre fail
    // the ARPHRD_ETHER test.
    let challenged = [Kind::IPVLAN, Kind::IPVTAP].contains(&d.kind);
    if challenged || d.dev_type != arphrd::ETHER {
        return Err(KernelError::new(errno::EOPNOTSUPP).msg("8021q: VLANs not supported on device"));
    }
    if find_dev(k, real, proto, id).is_some() {
        return Err(KernelError::new(errno::EEXIST).msg("8021q: VLAN device already exists"));
    }
    Ok(())
}

/// `vlan_dev_change_flags`.
fn change_flags(k: &mut Kernel, id: DevId, flags: u32, mask: u32) -> KResult<()> {
    if mask & !flag::ALL != 0 {
        return err(errno::EINVAL);
    }
    let s = state_mut(k, id);
    let old = s.flags;
    let new = (old & !mask) | (flags & mask);
    if (old ^ new) & flag::BRIDGE_BINDING != 0 {
        if let Some(real) = s.real_dev {
            if k.dev(real).kind == Kind::BRIDGE {
                return Err(KernelError::not_modelled(
                    "vlan bridge_binding on a bridge (bridge VLAN link state)",
                )
                .attr(AttrPath::info_data(ifla_vlan::FLAGS)));
            }
        }
    }
    // GVRP / MVRP joins only move multicast addresses of the lower: nothing observable.
    state_mut(k, id).flags = new;
    Ok(())
}

/// `vlan_dev_set_ingress_priority`.
fn set_ingress_priority(k: &mut Kernel, id: DevId, skb_prio: u32, vlan_prio: u32) {
    state_mut(k, id).ingress[(vlan_prio & 0x7) as usize] = skb_prio;
}

/// `vlan_dev_set_egress_priority`.
fn set_egress_priority(k: &mut Kernel, id: DevId, skb_prio: u32, vlan_prio: u32) {
    let vlan_qos = ((vlan_prio << 13) & 0xe000) as u16;
    let s = state_mut(k, id);
    if let Some(m) = s.egress.iter_mut().find(|m| m.priority == skb_prio) {
        m.vlan_qos = vlan_qos;
        return;
    }
    s.egress.push(EgressMapping {
        priority: skb_prio,
        vlan_qos,
    });
}

/// `vlan_changelink`: flags, then the ingress and egress maps. Id and protocol are ignored.
fn changelink(k: &mut Kernel, id: DevId, data: &VlanData) -> KResult<()> {
    if let Some((flags, mask)) = data.flags {
        change_flags(k, id, flags, mask)?;
    }
    if let Some(maps) = &data.ingress_qos {
        for &(from, to) in maps {
            set_ingress_priority(k, id, to, from);
        }
    }
    if let Some(maps) = &data.egress_qos {
        for &(from, to) in maps {
            set_egress_priority(k, id, from, to);
        }
    }
    Ok(())
}

/// `vlan_stacked_transfer_operstate`: bridge-bound vlans take their carrier from the bridge.
fn stacked_transfer_operstate(k: &mut Kernel, root: DevId, id: DevId) {
    if vlan(k, id).flags & flag::BRIDGE_BINDING == 0 {
        k.netif_stacked_transfer_operstate(root, id);
    }
}

/// `netif_inherit_tso_max` (net/core/dev.c), with `netif_set_tso_max_size` /
/// `netif_set_tso_max_segs` lowering the GSO limits.
pub fn inherit_tso_max(to: &mut NetDevice, from: &NetDevice) {
    let size = from.tso_max_size;
    to.tso_max_size = size.min(crate::uapi::GSO_MAX_SIZE);
    if size < to.gso_max_size {
        to.gso_max_size = size;
        if size <= crate::uapi::GSO_LEGACY_MAX_SIZE {
            to.gso_ipv4_max_size = size;
        }
    }
    if size < to.gso_ipv4_max_size {
        to.gso_ipv4_max_size = size;
    }
    let segs = from.tso_max_segs;
    to.tso_max_segs = segs;
    if segs < to.gso_max_segs {
        to.gso_max_segs = segs;
    }
}

/// `vlan_dev_inherit_address`: a vlan whose MAC was stolen from the lower takes the lower's
/// current MAC (announced with NETDEV_CHANGEADDR).
fn inherit_address(k: &mut Kernel, id: DevId, real: DevId) -> bool {
    if k.dev(id).addr_assign_type != addr_assign::STOLEN {
        return false;
    }
    let addr = k.dev(real).addr;
    k.dev_mut(id).addr = addr;
    k.call_netdevice_notifiers(id, NetdevEvent::ChangeAddr);
    true
}

/// `vlan_sync_address` (lower's MAC changed while the vlan is up).
fn sync_address(k: &mut Kernel, real: DevId, id: DevId) {
    let real_addr = k.dev(real).addr;
    let old_real = vlan(k, id).real_dev_addr;
    if old_real == real_addr {
        return;
    }
    if !inherit_address(k, id, real) {
        let addr = k.dev(id).addr;
        if addr != old_real && addr == real_addr {
            k.dev_uc_del(real, addr);
        }
        if addr == old_real && addr != real_addr {
            k.dev_uc_add(real, addr);
        }
    }
    state_mut(k, id).real_dev_addr = real_addr;
}

impl LinkOps for VlanOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("vlan")
    }

    /// `vlan_setup`: Ethernet, noqueue, MTU 0..65535, broadcast zeroed until `vlan_dev_init`.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.ether_setup();
        dev.no_queue = true;
        dev.min_mtu = 0;
        dev.max_mtu = ETH_MAX_MTU;
        dev.broadcast = HwAddr::ZERO_ETH;
        dev.state = KindState::boxed(Box::new(VlanState {
            real_dev: None,
            proto: ETH_P_8021Q,
            id: 0,
            flags: 0,
            real_dev_addr: HwAddr::ZERO_ETH,
            ingress: [0; 8],
            egress: Vec::new(),
        }));
    }

    /// `vlan_validate`, in its order.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        if let Some(a) = &req.address {
            if a.len() != crate::uapi::ETH_ALEN {
                return Err(KernelError::new(errno::EINVAL).msg("8021q: Invalid link address"));
            }
            if !HwAddr::from_slice(a).is_some_and(|h| h.is_valid_ether()) {
                return Err(
                    KernelError::new(errno::EADDRNOTAVAIL).msg("8021q: Invalid link address")
                );
            }
        }
        let data = match req.data::<VlanData>() {
            Some(d) => d,
            _ => {
                return Err(
                    KernelError::new(errno::EINVAL).msg("8021q: VLAN properties not specified")
                )
            }
        };
        if let Some(p) = data.protocol {
            if p != ETH_P_8021Q && p != ETH_P_8021AD {
                return Err(
                    KernelError::new(errno::EPROTONOSUPPORT).msg("8021q: Invalid VLAN protocol")
                );
            }
        }
        if data.id.is_some_and(|id| id >= VLAN_VID_MASK) {
            return Err(KernelError::new(errno::ERANGE).msg("8021q: Invalid VLAN id"));
        }
        if let Some((flags, mask)) = data.flags {
            if flags & mask & !flag::ALL != 0 {
                return Err(KernelError::new(errno::EINVAL).msg("8021q: Invalid VLAN flags"));
            }
        }
        Ok(())
    }

    /// `vlan_newlink` + `register_vlan_dev` (+ `vlan_dev_init` as `ndo_init`).
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let data = match req.data::<VlanData>() {
            Some(d) => d.clone(),
            _ => VlanData::default(),
        };
        let Some(vid) = data.id else {
            return Err(KernelError::new(errno::EINVAL).msg("8021q: VLAN id not specified"));
        };
        let Some(link) = req.link else {
            return Err(KernelError::new(errno::EINVAL).msg("8021q: link not specified"));
        };
        // vlan_newlink: `__dev_get_by_index(src_net, IFLA_LINK)`.
        let Some(real) = k.dev_by_index(src_net, link) else {
            return Err(KernelError::new(errno::ENODEV).msg("8021q: link does not exist"));
        };
        let proto = data.protocol.unwrap_or(ETH_P_8021Q);
        if let Some(s) = dev.state.downcast_mut::<VlanState>() {
            s.proto = proto;
            s.id = vid;
            s.real_dev = Some(real);
            s.flags = flag::REORDER_HDR;
        }
        check_real_dev(k, real, proto, vid)?;
        let max_mtu = k.dev(real).mtu;
        if req.mtu.is_none() {
            dev.mtu = max_mtu;
        } else if dev.mtu > max_mtu {
            return err(errno::EINVAL);
        }
        // vlan_changelink before registration: the model applies it to the state directly.
        let mut flags = flag::REORDER_HDR;
        if let Some((f, mask)) = data.flags {
            if mask & !flag::ALL != 0 {
                return err(errno::EINVAL);
            }
            flags = (flags & !mask) | (f & mask);
            if flags & flag::BRIDGE_BINDING != 0 && k.dev(real).kind == Kind::BRIDGE {
                return Err(KernelError::not_modelled(
                    "vlan bridge_binding on a bridge (bridge VLAN link state)",
                )
                .attr(AttrPath::info_data(ifla_vlan::FLAGS)));
            }
        }
        if let Some(s) = dev.state.downcast_mut::<VlanState>() {
            s.flags = flags;
            if let Some(maps) = &data.ingress_qos {
                for &(from, to) in maps {
                    s.ingress[(from & 0x7) as usize] = to;
                }
            }
            if let Some(maps) = &data.egress_qos {
                for &(from, to) in maps {
                    let vlan_qos = ((to << 13) & 0xe000) as u16;
                    match s.egress.iter_mut().find(|m| m.priority == from) {
                        Some(m) => m.vlan_qos = vlan_qos,
                        None => s.egress.push(EgressMapping {
                            priority: from,
                            vlan_qos,
                        }),
                    }
                }
            }
        }
        // vlan_dev_init (ndo_init): carrier/dormant, flags, TSO limits and MAC from the lower.
        {
            let r = k.dev(real);
            dev.carrier = r.carrier && flags & flag::BRIDGE_BINDING == 0;
            dev.dormant = r.dormant;
            dev.flags =
                r.flags & !(iff::UP | iff::PROMISC | iff::ALLMULTI | iff::MASTER | iff::SLAVE);
            inherit_tso_max(&mut dev, r);
            if dev.addr.is_zero() {
                dev.addr = r.addr;
                dev.addr_assign_type = addr_assign::STOLEN;
            }
            if dev.broadcast.is_zero() {
                dev.broadcast = r.broadcast;
            }
        }
        if vlans_on(k, real) == 0 {
            // register_vlan_dev: the first VLAN on a device starts its GVRP and MVRP
            // applicants (garp_init_applicant, mrp_init_applicant), each joining
            // 01:80:c2:00:00:21.
            k.dev_mc_add(real, GARP_MRP_VLAN_GROUP);
            k.dev_mc_add(real, GARP_MRP_VLAN_GROUP);
        }
        let id = k.register_netdevice(dev)?;
        k.link_lower(id, real);
        stacked_transfer_operstate(k, real, id);
        k.linkwatch_fire_event(id);
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        match data.downcast_ref::<VlanData>() {
            Some(d) => changelink(k, id, d),
            None => err(errno::EINVAL),
        }
    }

    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        super::dummy::eth_validate_addr(dev)
    }

    /// `unregister_vlan_dev`: the last VLAN of a device stops its MVRP and GVRP applicants.
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        let Some(real) = state(k.dev(id)).and_then(|s| s.real_dev) else {
            return;
        };
        if k.try_dev(real).is_none() {
            return;
        }
        if vlans_on(k, real) <= 1 {
            let _ = k.dev_mc_del(real, GARP_MRP_VLAN_GROUP);
            let _ = k.dev_mc_del(real, GARP_MRP_VLAN_GROUP);
        }
    }

    /// `vlan_dev_set_rx_mode`: the vlan's lists go to the real device.
    fn rx_mode_sync_targets(&self, k: &Kernel, id: DevId) -> Vec<DevId> {
        state(k.dev(id))
            .and_then(|s| s.real_dev)
            .into_iter()
            .collect()
    }

    /// `vlan_dev_open`.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        let real = real_dev(k, id);
        let flags = vlan(k, id).flags;
        if k.dev(real).flags & iff::UP == 0 && flags & flag::LOOSE_BINDING == 0 {
            return err(errno::ENETDOWN);
        }
        let addr = k.dev(id).addr;
        if addr != k.dev(real).addr && !inherit_address(k, id, real) {
            k.dev_uc_add(real, addr);
        }
        let real_addr = k.dev(real).addr;
        state_mut(k, id).real_dev_addr = real_addr;
        if k.dev(real).carrier && flags & flag::BRIDGE_BINDING == 0 {
            k.netif_carrier_on(id);
        }
        Ok(())
    }

    /// `vlan_dev_stop`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        let real = real_dev(k, id);
        k.dev_addr_unsync(real, id);
        let addr = k.dev(id).addr;
        if addr != k.dev(real).addr {
            k.dev_uc_del(real, addr);
        }
        if vlan(k, id).flags & flag::BRIDGE_BINDING == 0 {
            k.netif_carrier_off(id);
        }
    }

    /// `vlan_dev_set_mac_address`.
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        if k.dev(id).flags & iff::UP != 0 {
            let real = real_dev(k, id);
            let real_addr = k.dev(real).addr;
            if addr != real_addr {
                k.dev_uc_add(real, addr);
            }
            let old = k.dev(id).addr;
            if old != real_addr {
                k.dev_uc_del(real, old);
            }
        }
        k.dev_mut(id).addr = addr;
        Ok(())
    }

    /// `vlan_dev_change_mtu`: at most the lower's MTU, ERANGE otherwise.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        let real = real_dev(k, id);
        if k.dev(real).mtu < mtu {
            return err(errno::ERANGE);
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `vlan_dev_change_rx_flags`: promiscuity and allmulti are passed to the lower.
    fn change_rx_flags(&self, k: &mut Kernel, id: DevId, change: u32) {
        if k.dev(id).flags & iff::UP == 0 {
            return;
        }
        let real = real_dev(k, id);
        let flags = k.dev(id).flags;
        if change & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(real, if flags & iff::ALLMULTI != 0 { 1 } else { -1 });
        }
        if change & iff::PROMISC != 0 {
            k.dev_set_promiscuity(real, if flags & iff::PROMISC != 0 { 1 } else { -1 });
        }
    }

    fn unicast_flt(&self) -> bool {
        true
    }

    /// `vlan_dev_get_iflink`.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        state(dev).and_then(|s| s.real_dev)
    }

    /// `vlan_device_event` for the vlans on `lower`. The kernel's handler runs once per lower
    /// and walks the whole group; the model's dispatch reaches every upper, so the first vlan of
    /// the lower (in `uppers` order) handles the group and the others do nothing.
    fn lower_event(&self, k: &mut Kernel, upper: DevId, lower: DevId, ev: &NetdevEvent) {
        let first = k.dev(lower).uppers.iter().copied().find(|u| {
            k.try_dev(*u)
                .and_then(state)
                .is_some_and(|s| s.real_dev == Some(lower))
        });
        if first != Some(upper) {
            return;
        }
        let grp = group(k, lower);
        match ev {
            NetdevEvent::Change => {
                for v in grp {
                    stacked_transfer_operstate(k, lower, v);
                }
            }
            NetdevEvent::ChangeAddr => {
                for v in grp {
                    if k.dev(v).flags & iff::UP != 0 {
                        sync_address(k, lower, v);
                    }
                }
            }
            NetdevEvent::ChangeMtu => {
                let mtu = k.dev(lower).mtu;
                for v in grp {
                    if k.dev(v).mtu > mtu {
                        // dev_set_mtu's errors are ignored, as in the kernel.
                        let _ = k.dev_set_mtu(v, mtu);
                    }
                }
            }
            NetdevEvent::Down => {
                // dev_close_many of the strict vlans that are up, then their operstate.
                let close: Vec<DevId> = grp
                    .into_iter()
                    .filter(|v| {
                        k.dev(*v).flags & iff::UP != 0
                            && vlan(k, *v).flags & flag::LOOSE_BINDING == 0
                    })
                    .collect();
                for &v in &close {
                    if k.dev(v).is_running() {
                        k.dev_close(v);
                    }
                }
                for v in close {
                    if k.try_dev(v).is_some() {
                        stacked_transfer_operstate(k, lower, v);
                    }
                }
            }
            NetdevEvent::Up => {
                for v in grp {
                    if k.try_dev(v).is_none() {
                        continue;
                    }
                    let flgs = k.dev(v).get_flags();
                    if flgs & iff::UP != 0 {
                        continue;
                    }
                    if vlan(k, v).flags & flag::LOOSE_BINDING == 0 {
                        let _ = k.dev_change_flags(v, flgs | iff::UP);
                    }
                    stacked_transfer_operstate(k, lower, v);
                }
            }
            NetdevEvent::Unregister => {
                // "twiddle thumbs on netns device moves": the lower stays NETREG_REGISTERED
                // while `__dev_change_net_namespace` moves it.
                if k.dev(lower).reg_state != crate::device::RegState::Unregistering {
                    return;
                }
                // The vlans go in one batch, inside the lower's own unregistration.
                k.unregister_many(&grp, false);
            }
            _ => {}
        }
    }

    /// `vlan_get_link_net`: the namespace of the lower device.
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        Some(
            dev.lower
                .and_then(|l| k.try_dev(l))
                .map_or(dev.netns, |l| l.netns),
        )
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<VlanState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        k.check_real_dev(d, "real_dev", state(d).and_then(|v| v.real_dev))
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let s = state(dev)?;
        let ingress = (0..8u32)
            .filter(|i| s.ingress[*i as usize] != 0)
            .map(|i| (i, s.ingress[i as usize]))
            .collect();
        // egress_priority_map[priority & 0xF], each bucket newest first; zero qos skipped.
        let mut egress = Vec::new();
        for bucket in 0..16u32 {
            for m in s.egress.iter().rev() {
                if m.priority & 0xf == bucket && m.vlan_qos != 0 {
                    egress.push((m.priority, u32::from((m.vlan_qos >> 13) & 0x7)));
                }
            }
        }
        Some(KindInfo::boxed(Box::new(VlanInfo {
            protocol: s.proto,
            id: s.id,
            flags: s.flags,
            ingress,
            egress,
        })))
    }
}

#[typetag::serde(name = "Vlan")]
impl KindPriv for VlanState {}

#[typetag::serde(name = "Vlan")]
impl KindDataValue for VlanData {}

#[typetag::serde(name = "Vlan")]
impl KindInfoValue for VlanInfo {}
