//! macvlan and macvtap (drivers/net/macvlan.c, drivers/net/macvtap.c).
//!
//! The kernel's `macvlan_port` hangs off the lower device's rx_handler. The model marks the
//! lower with `RxHandler::Macvlan` and derives the rest of the port from the macvlans stacked
//! on it (`port->vlans` is their creation order, `port->count` their number, passthru is "the
//! port's macvlan is in passthru mode"); port-wide values (`bc_cutoff`) are kept on every
//! macvlan of the port. macvtap is macvlan with the tap flavour (`macvtap_setup`: txqueuelen
//! 500, a qdisc, its own rx_handler); its character device is not modelled.

use super::dummy::eth_validate_addr;
use super::vlan::inherit_tso_max;
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId, RegState, RxHandler};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{arphrd, errno, iff, ETH_MAX_MTU, ETH_MIN_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};

/// `enum macvlan_mode`.
pub mod mode {
    pub const PRIVATE: u32 = 1;
    pub const VEPA: u32 = 2;
    pub const BRIDGE: u32 = 4;
    pub const PASSTHRU: u32 = 8;
    pub const SOURCE: u32 = 16;
}

/// `MACVLAN_FLAG_*`.
pub mod flag {
    pub const NOPROMISC: u16 = 1;
    pub const NODST: u16 = 2;
}

/// `enum macvlan_macaddr_mode`.
pub mod macaddr_mode {
    pub const ADD: u32 = 0;
    pub const DEL: u32 = 1;
    pub const FLUSH: u32 = 2;
    pub const SET: u32 = 3;
}

/// `MACVLAN_DEFAULT_BC_QUEUE_LEN`.
const DEFAULT_BC_QUEUE_LEN: u32 = 1000;
/// `TUN_READQ_SIZE`: macvtap's txqueuelen.
pub const TUN_READQ_SIZE: u32 = 500;

pub struct MacvlanOps {
    tap: bool,
}

pub static MACVLAN_OPS: MacvlanOps = MacvlanOps { tap: false };
pub static MACVTAP_OPS: MacvlanOps = MacvlanOps { tap: true };

/// IFLA_INFO_DATA of kind "macvlan" / "macvtap" as the request carried it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacvlanData {
    pub mode: Option<u32>,
    pub flags: Option<u16>,
    pub macaddr_mode: Option<u32>,
    /// IFLA_MACVLAN_MACADDR (length checked by `macvlan_validate`).
    pub macaddr: Option<Vec<u8>>,
    /// IFLA_MACVLAN_MACADDR_DATA entries; `None` for an entry that is not IFLA_MACVLAN_MACADDR.
    pub macaddr_data: Option<Vec<Option<Vec<u8>>>>,
    /// IFLA_MACVLAN_MACADDR_COUNT was present (read-only: `macvlan_validate` refuses it).
    pub macaddr_count: bool,
    pub bc_queue_len: Option<u32>,
    pub bc_cutoff: Option<i32>,
}

/// `struct macvlan_dev` (plus the port-wide values the model keeps per macvlan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacvlanState {
    pub lowerdev: Option<DevId>,
    pub mode: u32,
    pub flags: u16,
    /// Source-mode MACs of this macvlan in insertion order (`vlan_source_hash` entries).
    pub sources: Vec<HwAddr>,
    pub bc_queue_len_req: u32,
    /// `port->bc_cutoff` (port-wide).
    pub bc_cutoff: i32,
    /// `port->perm_addr`: the lower's MAC when the port was created (passthru restores it).
    pub port_perm_addr: HwAddr,
    /// `MACVLAN_F_ADDRCHANGE` of the port (passthru: the macvlan is changing the lower's MAC).
    pub addr_change: bool,
}

/// What `macvlan_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacvlanInfo {
    pub mode: u32,
    pub flags: u16,
    /// The source MACs in `vlan_source_hash` order.
    pub macaddrs: Vec<HwAddr>,
    pub bc_queue_len: u32,
    pub bc_queue_len_used: u32,
    /// Only reported when not 1.
    pub bc_cutoff: i32,
}

fn state(d: &NetDevice) -> Option<&MacvlanState> {
    d.state.downcast_ref::<MacvlanState>()
}

fn state_mut(k: &mut Kernel, id: DevId) -> &mut MacvlanState {
    match k.dev_mut(id).state.downcast_mut::<MacvlanState>() {
        Some(v) => v,
        None => unreachable!("model invariant: macvlan state on a macvlan"),
    }
}

fn mv(k: &Kernel, id: DevId) -> &MacvlanState {
    state(k.dev(id)).expect("model invariant: macvlan state on a macvlan")
}

fn lowerdev(k: &Kernel, id: DevId) -> DevId {
    mv(k, id)
        .lowerdev
        .expect("model invariant: a registered macvlan has a lower device")
}

/// `netif_is_macvlan`.
pub fn is_macvlan(d: &NetDevice) -> bool {
    [Kind::MACVLAN, Kind::MACVTAP].contains(&d.kind)
}

/// `netif_is_macvlan_port`.
fn is_port(k: &Kernel, lower: DevId) -> bool {
    k.dev(lower).rx_handler == Some(RxHandler::Macvlan)
}

/// `port->vlans`: the macvlans on `lower`, in creation order.
fn port_vlans(k: &Kernel, lower: DevId) -> Vec<DevId> {
    k.dev(lower)
        .uppers
        .iter()
        .copied()
        .filter(|u| {
            k.try_dev(*u)
                .and_then(state)
                .is_some_and(|s| s.lowerdev == Some(lower))
        })
        .collect()
}

/// `macvlan_passthru(port)`.
fn port_passthru(k: &Kernel, lower: DevId) -> bool {
    port_vlans(k, lower)
        .iter()
        .any(|v| mv(k, *v).mode == mode::PASSTHRU)
}

fn port_addr_change(k: &Kernel, lower: DevId) -> bool {
    port_vlans(k, lower).iter().any(|v| mv(k, *v).addr_change)
}

/// `macvlan_addr_busy`: the lower's own MAC (unless passthru or changing it), or the MAC of
/// another macvlan of the port that is up (`macvlan_hash_lookup`: only open macvlans are
/// hashed).
fn addr_busy(k: &Kernel, lower: DevId, addr: HwAddr, me: DevId) -> bool {
    if !port_passthru(k, lower) && !port_addr_change(k, lower) && k.dev(lower).addr == addr {
        return true;
    }
    port_vlans(k, lower)
        .into_iter()
        .any(|v| v != me && k.dev(v).is_running() && k.dev(v).addr == addr)
}

/// `macvlan_eth_hash`: `hash_64` of the six address bytes (read as a little-endian u64 shifted
/// left by 16), 8 bits. Fixes the order source MACs are dumped in.
fn eth_hash(addr: &HwAddr) -> u64 {
    let b = addr.as_bytes();
    let mut v: u64 = 0;
    for (i, byte) in b.iter().take(6).enumerate() {
        v |= u64::from(*byte) << (8 * i + 16);
    }
    v.wrapping_mul(0x61C8_8646_80B5_83EB) >> 56
}

/// `macvlan_hash_add_source` (no duplicate per macvlan).
fn add_source(s: &mut MacvlanState, addr: HwAddr) {
    if !s.sources.contains(&addr) {
        s.sources.push(addr);
    }
}

/// `macvlan_changelink_sources`.
fn changelink_sources(s: &mut MacvlanState, mmode: u32, data: &MacvlanData) -> KResult<()> {
    let addr = data.macaddr.as_deref().and_then(HwAddr::from_slice);
    match mmode {
        macaddr_mode::ADD => {
            let a = addr.ok_or_else(|| KernelError::new(errno::EINVAL))?;
            add_source(s, a);
        }
        macaddr_mode::DEL => {
            let a = addr.ok_or_else(|| KernelError::new(errno::EINVAL))?;
            s.sources.retain(|x| *x != a);
        }
        macaddr_mode::FLUSH => s.sources.clear(),
        macaddr_mode::SET => {
            s.sources.clear();
            if let Some(a) = addr {
                add_source(s, a);
            }
            for a in data.macaddr_data.iter().flatten().flatten() {
                if let Some(a) = HwAddr::from_slice(a) {
                    add_source(s, a);
                }
            }
        }
        _ => return err(errno::EINVAL),
    }
    Ok(())
}

fn data_of(req: &LinkRequest) -> Option<&MacvlanData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<MacvlanData>()
}

/// `macvlan_port_destroy`: the rx_handler goes; a lower whose MAC a passthru macvlan changed
/// gets its MAC back.
fn port_destroy(k: &mut Kernel, lower: DevId, restore: Option<HwAddr>) {
    k.rx_handler_unregister(lower);
    if let Some(perm) = restore {
        if k.dev(lower).addr != perm {
            let _ = k.dev_set_mac_address(lower, perm.as_bytes());
        }
    }
}

/// `macvlan_sync_address`.
fn sync_address(k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
    let lower = lowerdev(k, id);
    let passthru = port_passthru(k, lower);
    if k.dev(id).flags & iff::UP == 0 {
        k.dev_mut(id).addr = addr;
    } else {
        if addr_busy(k, lower, addr, id) {
            return err(errno::EADDRINUSE);
        }
        if !passthru {
            k.dev_uc_add(lower, addr);
            let old = k.dev(id).addr;
            k.dev_uc_del(lower, old);
        }
        k.dev_mut(id).addr = addr;
    }
    if passthru && !mv(k, id).addr_change {
        let laddr = k.dev(lower).addr;
        state_mut(k, id).port_perm_addr = laddr;
    }
    state_mut(k, id).addr_change = false;
    Ok(())
}

/// `update_port_bc_cutoff`: the cutoff is the port's.
fn set_port_bc_cutoff(k: &mut Kernel, lower: DevId, cutoff: i32) {
    for v in port_vlans(k, lower) {
        state_mut(k, v).bc_cutoff = cutoff;
    }
}

/// `macvlan_changelink`: mode checked first, flags, queue length, cutoff, mode, then the
/// source list; what was applied before a failure stays.
fn changelink(k: &mut Kernel, id: DevId, data: &MacvlanData) -> KResult<()> {
    let lower = lowerdev(k, id);
    let cur = mv(k, id).mode;
    if let Some(m) = data.mode {
        if (m == mode::PASSTHRU) != (cur == mode::PASSTHRU) {
            return err(errno::EINVAL);
        }
        if cur == mode::SOURCE && m != cur {
            state_mut(k, id).sources.clear();
        }
    }
    if let Some(f) = data.flags {
        let promisc = (f ^ mv(k, id).flags) & flag::NOPROMISC != 0;
        if port_passthru(k, lower) && promisc {
            let inc = if f & flag::NOPROMISC != 0 { -1 } else { 1 };
            k.dev_set_promiscuity(lower, inc);
        }
        state_mut(k, id).flags = f;
    }
    if let Some(q) = data.bc_queue_len {
        state_mut(k, id).bc_queue_len_req = q;
    }
    if let Some(c) = data.bc_cutoff {
        set_port_bc_cutoff(k, lower, c);
    }
    if let Some(m) = data.mode {
        state_mut(k, id).mode = m;
    }
    if let Some(mm) = data.macaddr_mode {
        if mv(k, id).mode != mode::SOURCE {
            return err(errno::EINVAL);
        }
        changelink_sources(state_mut(k, id), mm, data)?;
    }
    Ok(())
}

/// `macvlan_validate`.
fn validate(req: &LinkRequest) -> KResult<()> {
    super::dummy::eth_validate_request_addr(req)?;
    let Some(data) = data_of(req) else {
        return Ok(());
    };
    if data
        .flags
        .is_some_and(|f| f & !(flag::NOPROMISC | flag::NODST) != 0)
    {
        return err(errno::EINVAL);
    }
    if let Some(m) = data.mode {
        if ![
            mode::PRIVATE,
            mode::VEPA,
            mode::BRIDGE,
            mode::PASSTHRU,
            mode::SOURCE,
        ]
        .contains(&m)
        {
            return err(errno::EINVAL);
        }
    }
    if data.macaddr_mode.is_some_and(|m| m > macaddr_mode::SET) {
        return err(errno::EINVAL);
    }
    let check = |a: &[u8]| -> KResult<()> {
        if a.len() != crate::uapi::ETH_ALEN {
            return err(errno::EINVAL);
        }
        if !HwAddr::from_slice(a).is_some_and(|h| h.is_valid_ether()) {
            return err(errno::EADDRNOTAVAIL);
        }
        Ok(())
    };
    if let Some(a) = &data.macaddr {
        check(a)?;
    }
    if let Some(list) = &data.macaddr_data {
        for e in list {
            match e {
                Some(a) => check(a)?,
                None => return err(errno::EINVAL),
            }
        }
    }
    if data.macaddr_count {
        return err(errno::EINVAL);
    }
    Ok(())
}

impl MacvlanOps {
    /// `macvlan_common_newlink`, in its order.
    fn common_newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let Some(link) = req.link else {
            return err(errno::EINVAL);
        };
        // `__dev_get_by_index(src_net, IFLA_LINK)`.
        let Some(mut lower) = k.dev_by_index(src_net, link) else {
            return err(errno::ENODEV);
        };
        // On top of another macvlan: use its real device.
        if is_macvlan(k.dev(lower)) {
            lower = lowerdev(k, lower);
        }
        let lmtu = k.dev(lower).mtu;
        if req.mtu.is_none() {
            dev.mtu = lmtu;
        } else if dev.mtu > lmtu {
            return err(errno::EINVAL);
        }
        dev.min_mtu = ETH_MIN_MTU;
        dev.max_mtu = k.dev(lower).max_mtu;
        if req.address.is_none() {
            super::dummy::eth_hw_addr_random(&mut dev, k.rng());
        }
        let mut create = false;
        if !is_port(k, lower) {
            // macvlan_port_create
            let l = k.dev(lower);
            if l.dev_type != arphrd::ETHER || l.flags & iff::LOOPBACK != 0 {
                return err(errno::EINVAL);
            }
            k.rx_handler_register(lower, RxHandler::Macvlan)?;
            create = true;
        }
        let lower_addr = k.dev(lower).addr;
        let fail = |k: &mut Kernel, e: KernelError| -> KResult<DevId> {
            if create {
                port_destroy(k, lower, None);
            }
            Err(e)
        };
        if port_passthru(k, lower) {
            return fail(k, KernelError::new(errno::EINVAL));
        }
        let data = data_of(req).cloned().unwrap_or_default();
        let existing = port_vlans(k, lower);
        let bc_cutoff = existing.first().map_or(1, |v| mv(k, *v).bc_cutoff);
        let mut s = MacvlanState {
            lowerdev: Some(lower),
            mode: data.mode.unwrap_or(mode::VEPA),
            flags: data.flags.unwrap_or(0),
            sources: Vec::new(),
            bc_queue_len_req: DEFAULT_BC_QUEUE_LEN,
            bc_cutoff,
            port_perm_addr: lower_addr,
            addr_change: false,
        };
        if s.mode == mode::PASSTHRU {
            if !existing.is_empty() {
                return fail(k, KernelError::new(errno::EINVAL));
            }
            // eth_hw_addr_inherit
            let l = k.dev(lower);
            dev.addr = l.addr;
            dev.addr_assign_type = l.addr_assign_type;
        }
        if let Some(mm) = data.macaddr_mode {
            if s.mode != mode::SOURCE {
                return fail(k, KernelError::new(errno::EINVAL));
            }
            if let Err(e) = changelink_sources(&mut s, mm, &data) {
                return fail(k, e);
            }
        }
        if let Some(q) = data.bc_queue_len {
            s.bc_queue_len_req = q;
        }
        if let Some(c) = data.bc_cutoff {
            s.bc_cutoff = c;
        }
        // macvlan_init (ndo_init): carrier/dormant and TSO limits from the lower.
        {
            let l = k.dev(lower);
            dev.carrier = l.carrier;
            dev.dormant = l.dormant;
            inherit_tso_max(&mut dev, l);
        }
        dev.state = KindState::boxed(Box::new(s));
        let id = match k.register_netdevice(dev) {
            Ok(id) => id,
            Err(e) => return fail(k, e),
        };
        k.link_lower(id, lower);
        if let Some(c) = data.bc_cutoff {
            set_port_bc_cutoff(k, lower, c);
        }
        k.netif_stacked_transfer_operstate(lower, id);
        k.linkwatch_fire_event(id);
        Ok(id)
    }
}

impl LinkOps for MacvlanOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some(if self.tap { "macvtap" } else { "macvlan" })
    }

    /// `macvlan_fdb_add`: unicast filters only on passthru ports, never with NLM_F_REPLACE.
    fn fdb_add(&self, k: &mut Kernel, dev: DevId, op: &crate::fdb::FdbOp) -> KResult<()> {
        let passthru = mv(k, dev).lowerdev.is_some_and(|l| port_passthru(k, l));
        let unicast = !op.addr.is_multicast();
        if (!passthru && unicast) || op.nlm.replace {
            return err(errno::EOPNOTSUPP);
        }
        if unicast {
            k.dev_uc_add_excl(dev, op.addr)
        } else {
            k.dev_mc_add_excl(dev, op.addr)
        }
    }

    /// `macvlan_fdb_del`.
    fn fdb_del(&self, k: &mut Kernel, dev: DevId, op: &crate::fdb::FdbOp) -> KResult<()> {
        let passthru = mv(k, dev).lowerdev.is_some_and(|l| port_passthru(k, l));
        let unicast = !op.addr.is_multicast();
        if !passthru && unicast {
            return err(errno::EOPNOTSUPP);
        }
        if unicast {
            k.dev_uc_del_checked(dev, op.addr)
        } else {
            k.dev_mc_del(dev, op.addr)
        }
    }

    /// `macvlan_setup` (noqueue) / `macvtap_setup` (txqueuelen 500, a real qdisc).
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        // macvlan_common_setup
        dev.ether_setup();
        dev.max_mtu = ETH_MAX_MTU;
        if self.tap {
            dev.tx_queue_len = TUN_READQ_SIZE;
        } else {
            dev.no_queue = true;
        }
        dev.state = KindState::boxed(Box::new(MacvlanState {
            lowerdev: None,
            mode: mode::VEPA,
            flags: 0,
            sources: Vec::new(),
            bc_queue_len_req: DEFAULT_BC_QUEUE_LEN,
            bc_cutoff: 1,
            port_perm_addr: HwAddr::ZERO_ETH,
            addr_change: false,
        }));
    }

    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        validate(req)
    }

    /// `macvlan_newlink` / `macvtap_newlink` (which first registers the tap rx_handler on the
    /// new device itself).
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
        self.common_newlink(k, src_net, dev, req)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        match data.downcast_ref::<MacvlanData>() {
            Some(d) => changelink(k, id, d),
            None => err(errno::EINVAL),
        }
    }

    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        eth_validate_addr(dev)
    }

    /// `macvlan_open`.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        let lower = lowerdev(k, id);
        if port_passthru(k, lower) {
            if mv(k, id).flags & flag::NOPROMISC == 0 {
                k.dev_set_promiscuity(lower, 1);
            }
            return Ok(());
        }
        let addr = k.dev(id).addr;
        if addr_busy(k, lower, addr, id) {
            return err(errno::EADDRINUSE);
        }
        k.dev_uc_add(lower, addr);
        let flags = k.dev(id).flags;
        if flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(lower, 1);
        }
        if flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(lower, 1);
        }
        Ok(())
    }

    /// `macvlan_set_mac_lists`: the macvlan's lists go to the lower device.
    fn rx_mode_sync_targets(&self, k: &Kernel, id: DevId) -> Vec<DevId> {
        mv(k, id).lowerdev.into_iter().collect()
    }

    /// `macvlan_stop`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        let lower = lowerdev(k, id);
        k.dev_addr_unsync(lower, id);
        if port_passthru(k, lower) {
            if mv(k, id).flags & flag::NOPROMISC == 0 {
                k.dev_set_promiscuity(lower, -1);
            }
            return;
        }
        let flags = k.dev(id).flags;
        if flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(lower, -1);
        }
        if flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(lower, -1);
        }
        let addr = k.dev(id).addr;
        k.dev_uc_del(lower, addr);
    }

    /// `macvlan_uninit`: the source list goes; the last macvlan destroys the port.
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        let Some(lower) = mv(k, id).lowerdev else {
            return;
        };
        state_mut(k, id).sources.clear();
        if k.try_dev(lower).is_none() || !is_port(k, lower) {
            return;
        }
        let others = port_vlans(k, lower).into_iter().any(|v| v != id);
        if !others {
            let s = mv(k, id);
            let restore = (s.mode == mode::PASSTHRU
                && k.dev(lower).reg_state == RegState::Registered)
                .then_some(s.port_perm_addr);
            port_destroy(k, lower, restore);
        }
    }

    /// `macvlan_set_mac_address`.
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        if k.dev(id).addr == addr {
            return Ok(());
        }
        let lower = lowerdev(k, id);
        if mv(k, id).mode == mode::PASSTHRU {
            // The lower's MAC changes; its NETDEV_CHANGEADDR syncs this device.
            state_mut(k, id).addr_change = true;
            return k.dev_set_mac_address(lower, addr.as_bytes());
        }
        if addr_busy(k, lower, addr, id) {
            return err(errno::EADDRINUSE);
        }
        sync_address(k, id, addr)
    }

    /// `macvlan_change_mtu`: at most the lower's MTU, EINVAL otherwise.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        let lower = lowerdev(k, id);
        if k.dev(lower).mtu < mtu {
            return err(errno::EINVAL);
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `macvlan_change_rx_flags`.
    fn change_rx_flags(&self, k: &mut Kernel, id: DevId, change: u32) {
        let flags = k.dev(id).flags;
        if flags & iff::UP == 0 {
            return;
        }
        let lower = lowerdev(k, id);
        if change & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(lower, if flags & iff::ALLMULTI != 0 { 1 } else { -1 });
        }
        if !port_passthru(k, lower) && change & iff::PROMISC != 0 {
            k.dev_set_promiscuity(lower, if flags & iff::PROMISC != 0 { 1 } else { -1 });
        }
    }

    fn unicast_flt(&self) -> bool {
        true
    }

    /// `macvlan_dev_get_iflink`.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        state(dev).and_then(|s| s.lowerdev)
    }

    /// `macvlan_device_event` for the port on `lower`. It walks `port->vlans` once; the model's
    /// dispatch reaches every upper, so the port's first macvlan handles the port.
    fn lower_event(&self, k: &mut Kernel, upper: DevId, lower: DevId, ev: &NetdevEvent) {
        if !is_port(k, lower) {
            return;
        }
        let vlans = port_vlans(k, lower);
        if vlans.first() != Some(&upper) {
            return;
        }
        match ev {
            NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => {
                for v in vlans {
                    k.netif_stacked_transfer_operstate(lower, v);
                }
            }
            NetdevEvent::ChangeMtu => {
                let mtu = k.dev(lower).mtu;
                for v in vlans {
                    if k.try_dev(v).is_some_and(|d| d.mtu > mtu) {
                        let _ = k.dev_set_mtu(v, mtu);
                    }
                }
            }
            NetdevEvent::ChangeAddr if port_passthru(k, lower) => {
                let addr = k.dev(lower).addr;
                // NOTIFY_BAD is ignored by dev_set_mac_address.
                let _ = sync_address(k, upper, addr);
            }
            NetdevEvent::Unregister => {
                // "twiddle thumbs on netns device moves".
                if k.dev(lower).reg_state != RegState::Unregistering {
                    return;
                }
                k.unregister_many(&vlans, false);
            }
            _ => {}
        }
    }

    /// `macvlan_get_link_net` / `macvtap_link_net`: the namespace of the lower device.
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        Some(
            dev.lower
                .and_then(|l| k.try_dev(l))
                .map_or(dev.netns, |l| l.netns),
        )
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<MacvlanState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        k.check_real_dev(d, "lowerdev", state(d).and_then(|m| m.lowerdev))
    }

    fn fill_info(&self, k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let s = state(dev)?;
        let mut order: Vec<(u64, usize, HwAddr)> = s
            .sources
            .iter()
            .enumerate()
            .map(|(i, a)| (eth_hash(a), usize::MAX - i, *a))
            .collect();
        order.sort();
        // update_port_bc_queue_len: the largest request of the port's macvlans.
        let used = s
            .lowerdev
            .and_then(|l| k.try_dev(l))
            .map(|l| {
                l.uppers
                    .iter()
                    .filter_map(|u| k.try_dev(*u).and_then(state))
                    .filter(|o| o.lowerdev == s.lowerdev)
                    .map(|o| o.bc_queue_len_req)
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        Some(KindInfo::boxed(Box::new(MacvlanInfo {
            mode: s.mode,
            flags: s.flags,
            macaddrs: order.into_iter().map(|(_, _, a)| a).collect(),
            bc_queue_len: s.bc_queue_len_req,
            bc_queue_len_used: used,
            bc_cutoff: s.bc_cutoff,
        })))
    }
}

#[typetag::serde(name = "Macvlan")]
impl KindPriv for MacvlanState {}

#[typetag::serde(name = "Macvlan")]
impl KindDataValue for MacvlanData {}

#[typetag::serde(name = "Macvlan")]
impl KindInfoValue for MacvlanInfo {}

#[cfg(test)]
mod tests {
    use super::*;

    /// macvlan-modes#30: `remotes (2) 02:00:00:00:00:52 02:00:00:00:00:51`.
    #[test]
    fn source_hash_order_matches_the_kernel_dump() {
        let a = HwAddr::eth([2, 0, 0, 0, 0, 0x51]);
        let b = HwAddr::eth([2, 0, 0, 0, 0, 0x52]);
        assert!(
            eth_hash(&b) < eth_hash(&a),
            "{} {}",
            eth_hash(&a),
            eth_hash(&b)
        );
    }
}
