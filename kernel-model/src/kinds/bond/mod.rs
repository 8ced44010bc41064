//! bond (drivers/net/bonding): the seven modes with their options ([`options`]), enslaving and
//! releasing in the kernel's check order (`bond_enslave`, `__bond_release_one`), MAC and MTU
//! propagation, active-slave selection and the carrier from the slaves' MII state.
//!
//! Time-driven parts are settled: the MII monitor (when `miimon` > 0 and the bond is up)
//! applies the slaves' link state at once, as the catalog reads it after `sleep 1` (updelay /
//! downdelay elapsed). Not simulated: the ARP monitor's link failures (they depend on ARP
//! replies from a network), the 802.3ad LACP state machine (carrier = enough slaves with link;
//! no IFLA_BOND_AD_INFO / IFLA_BOND_SLAVE_AD_*), balance-alb's per-slave MAC juggling.
//! Module parameter `max_bonds` is 0, as in the catalog's guests (MOD-BOND-AUTOLOAD): loading
//! the module creates no `bond0`.

pub mod options;

pub use options::{ifla_bond, BondOpt};

use super::dummy::eth_hw_addr_random;
use super::{Kind, KindState, LinkOps, PortState};
use crate::device::{DevId, NetDevice, NetnsId, RxHandler};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, NetdevEvent};
use crate::netdev_priv::{
    KindDataValue, KindInfoValue, KindPriv, PortDataValue, PortInfoValue, PortPriv,
};
use crate::request::{KindData, LinkRequest, PortData};
use crate::uapi::{addr_assign, errno, iff, ETH_MAX_MTU, GSO_MAX_SEGS, GSO_MAX_SIZE};
use crate::validate::{on_dev, Violation};
use crate::view::{KindInfo, PortInfo};
use serde::{Deserialize, Serialize};

pub struct BondOps;

/// `BOND_MODE_*`.
pub mod mode {
    pub const ROUNDROBIN: u8 = 0;
    pub const ACTIVEBACKUP: u8 = 1;
    pub const XOR: u8 = 2;
    pub const BROADCAST: u8 = 3;
    pub const M8023AD: u8 = 4;
    pub const TLB: u8 = 5;
    pub const ALB: u8 = 6;
}

/// `BOND_LINK_*` (IFLA_BOND_SLAVE_MII_STATUS).
pub const LINK_UP: u8 = 0;
pub const LINK_FAIL: u8 = 1;
pub const LINK_DOWN: u8 = 2;
pub const LINK_BACK: u8 = 3;
/// `BOND_STATE_*` (IFLA_BOND_SLAVE_STATE).
pub const STATE_ACTIVE: u8 = 0;
pub const STATE_BACKUP: u8 = 1;
/// `BOND_FOM_*`.
pub const FOM_NONE: u8 = 0;
pub const FOM_ACTIVE: u8 = 1;
pub const FOM_FOLLOW: u8 = 2;

const BOND_DEFAULT_MIIMON: u32 = 100;
const BOND_DEFAULT_TX_QUEUES: u32 = 16;
pub const MAX_ARP_TARGETS: usize = 16;
pub const MAX_NS_TARGETS: usize = 16;

/// `struct bond_params`, with `bonding_defaults` (max_bonds=0 guests: module defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondParams {
    pub mode: u8,
    pub miimon: u32,
    /// updelay / downdelay / peer_notif_delay in multiples of miimon, as the kernel keeps them.
    pub updelay: u32,
    pub downdelay: u32,
    pub peer_notif_delay: u32,
    pub use_carrier: u8,
    pub arp_interval: u32,
    /// `arp_targets[]` slots (network byte order octets; 0.0.0.0 = free).
    pub arp_targets: [[u8; 4]; MAX_ARP_TARGETS],
    pub ns_targets: [[u8; 16]; MAX_NS_TARGETS],
    pub arp_validate: u32,
    pub arp_all_targets: u32,
    /// `params.primary`: the name asked for, slave or not.
    pub primary: String,
    pub primary_reselect: u8,
    pub fail_over_mac: u8,
    pub xmit_policy: u8,
    pub resend_igmp: u32,
    pub num_peer_notif: u8,
    pub all_slaves_active: bool,
    pub min_links: u32,
    pub lp_interval: u32,
    pub packets_per_slave: u32,
    pub lacp_active: u8,
    pub lacp_fast: u8,
    pub ad_select: u8,
    pub ad_actor_sys_prio: u16,
    pub ad_user_port_key: u16,
    pub ad_actor_system: [u8; 6],
    pub tlb_dynamic_lb: u8,
    pub missed_max: u8,
    pub coupled_control: u8,
}

impl Default for BondParams {
    /// `bond_check_params` with the module defaults.
    fn default() -> Self {
        BondParams {
            mode: mode::ROUNDROBIN,
            miimon: 0,
            updelay: 0,
            downdelay: 0,
            peer_notif_delay: 0,
            use_carrier: 1,
            arp_interval: 0,
            arp_targets: [[0; 4]; MAX_ARP_TARGETS],
            ns_targets: [[0; 16]; MAX_NS_TARGETS],
            arp_validate: 0,
            arp_all_targets: 0,
            primary: String::new(),
            primary_reselect: 0,
            fail_over_mac: FOM_NONE,
            xmit_policy: 0,
            resend_igmp: 1,
            num_peer_notif: 1,
            all_slaves_active: false,
            min_links: 0,
            lp_interval: 1,
            packets_per_slave: 1,
            lacp_active: 1,
            lacp_fast: 0,
            ad_select: 0,
            ad_actor_sys_prio: 65535,
            ad_user_port_key: 0,
            ad_actor_system: [0; 6],
            tlb_dynamic_lb: 1,
            missed_max: 2,
            coupled_control: 1,
        }
    }
}

/// `struct bonding`, the parts the model keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondState {
    pub params: BondParams,
    /// `bond->dev->adj_list.lower`: slaves in enslave order.
    pub slaves: Vec<DevId>,
    pub curr_active: Option<DevId>,
    pub primary_slave: Option<DevId>,
    pub force_primary: bool,
}

/// `struct slave`, the parts the model keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondSlave {
    pub bond: DevId,
    /// `slave->link` (BOND_LINK_*).
    pub link: u8,
    /// `slave->backup` (BOND_STATE_*).
    pub backup: u8,
    pub inactive: bool,
    pub link_failure_count: u32,
    /// The MAC the slave had when enslaved, restored on release.
    pub perm_hwaddr: HwAddr,
    pub original_mtu: u32,
    pub queue_id: u16,
    pub prio: i32,
}

/// What `bond_fill_info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondInfo {
    pub params: BondParams,
    pub active_slave: Option<u32>,
    pub primary: Option<u32>,
}

/// What `bond_fill_slave_info` reports.
pub type BondSlaveInfo = BondSlave;

#[typetag::serde(name = "Bond")]
impl KindPriv for BondState {}

#[typetag::serde(name = "Bond")]
impl PortPriv for BondSlave {
    fn master(&self) -> (DevId, Kind) {
        (self.bond, Kind::BOND)
    }
}

#[typetag::serde(name = "Bond")]
impl KindInfoValue for BondInfo {}

#[typetag::serde(name = "Bond")]
impl PortInfoValue for BondSlave {}

/// IFLA_INFO_DATA of a bond: IFLA_BOND_* in the order the request carried them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondData(pub Vec<BondOpt>);

#[typetag::serde(name = "Bond")]
impl KindDataValue for BondData {}

/// IFLA_INFO_SLAVE_DATA of a bond slave: IFLA_BOND_SLAVE_QUEUE_ID / IFLA_BOND_SLAVE_PRIO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondPortData {
    pub queue_id: Option<u16>,
    pub prio: Option<i32>,
}

#[typetag::serde(name = "Bond")]
impl PortDataValue for BondPortData {}

pub(crate) fn bond(k: &Kernel, id: DevId) -> &BondState {
    match k.dev(id).state.downcast_ref::<BondState>() {
        Some(b) => b,
        None => unreachable!("model invariant: bond state on a bond"),
    }
}

pub(crate) fn bond_mut(k: &mut Kernel, id: DevId) -> &mut BondState {
    match k.dev_mut(id).state.downcast_mut::<BondState>() {
        Some(b) => b,
        None => unreachable!("model invariant: bond state on a bond"),
    }
}

pub(crate) fn slave(k: &Kernel, id: DevId) -> Option<&BondSlave> {
    k.dev(id)
        .port
        .as_ref()
        .and_then(|p| p.downcast_ref::<BondSlave>())
}

/// `bond_fill_linkxstats` for IFLA_STATS_LINK_XSTATS (`slave` false: `dev` is a bond) or
/// IFLA_STATS_LINK_XSTATS_SLAVE (`dev` is a bond slave): None when there is nothing to fill,
/// else whether the bond is in 802.3ad mode (BOND_XSTATS_3AD with its LACPDU and marker
/// counters, all 0: nlsim runs no LACP).
pub fn linkxstats_8023ad(k: &Kernel, dev: DevId, slave_side: bool) -> Option<bool> {
    let b = if slave_side {
        slave(k, dev)?.bond
    } else {
        if !k.dev(dev).state.is::<BondState>() {
            return None;
        }
        dev
    };
    Some(bond(k, b).params.mode == mode::M8023AD)
}

pub(crate) fn slave_mut(k: &mut Kernel, id: DevId) -> Option<&mut BondSlave> {
    k.dev_mut(id)
        .port
        .as_mut()
        .and_then(|p| p.downcast_mut::<BondSlave>())
}

fn is_bond(d: &NetDevice) -> bool {
    d.kind == Kind::BOND
}

/// `bond_mode_uses_arp`.
fn mode_uses_arp(m: u8) -> bool {
    m != mode::M8023AD && m != mode::TLB && m != mode::ALB
}

/// `bond_uses_primary`.
pub(crate) fn uses_primary(m: u8) -> bool {
    m == mode::ACTIVEBACKUP || m == mode::TLB || m == mode::ALB
}

/// `bond_is_lb`.
fn is_lb(m: u8) -> bool {
    m == mode::TLB || m == mode::ALB
}

fn params(k: &Kernel, id: DevId) -> &BondParams {
    &bond(k, id).params
}

/// `bond_check_dev_link` with `use_carrier` (the default): running and carrier. With
/// use_carrier 0 the model asks the same question (ethtool's `get_link` answers the carrier).
fn dev_link_ok(d: &NetDevice) -> bool {
    d.is_running() && d.carrier
}

/// `bond_set_slave_state` with NOTIFY_NOW: a change is announced (NETDEV_CHANGELOWERSTATE).
fn set_slave_state(k: &mut Kernel, s: DevId, state: u8) {
    let changed = match slave_mut(k, s) {
        Some(sl) if sl.backup != state => {
            sl.backup = state;
            true
        }
        _ => false,
    };
    if changed {
        k.rtmsg_ifinfo(s, 0);
    }
}

/// `bond_set_slave_inactive_flags`.
fn set_inactive_flags(k: &mut Kernel, id: DevId, s: DevId) {
    let m = params(k, id).mode;
    let all_active = params(k, id).all_slaves_active;
    if !is_lb(m) {
        set_slave_state(k, s, STATE_BACKUP);
    }
    if !all_active {
        if let Some(sl) = slave_mut(k, s) {
            sl.inactive = true;
        }
    }
}

/// `bond_set_slave_active_flags`.
fn set_active_flags(k: &mut Kernel, s: DevId) {
    set_slave_state(k, s, STATE_ACTIVE);
    if let Some(sl) = slave_mut(k, s) {
        sl.inactive = false;
    }
}

/// `bond_set_slave_link_state` with NOTIFY_NOW.
fn set_link_state(k: &mut Kernel, s: DevId, link: u8) {
    let changed = match slave_mut(k, s) {
        Some(sl) if sl.link != link => {
            sl.link = link;
            true
        }
        _ => false,
    };
    if changed {
        k.rtmsg_ifinfo(s, 0);
    }
}

/// `bond_set_carrier` (802.3ad: `bond_3ad_set_carrier`, approximated as "enough slaves with
/// link while the bond runs", since the LACP aggregator selection is not simulated).
fn set_carrier(k: &mut Kernel, id: DevId) {
    let b = bond(k, id);
    let up_links = b
        .slaves
        .iter()
        .filter(|s| slave(k, **s).is_some_and(|sl| sl.link == LINK_UP))
        .count();
    let on = if b.params.mode == mode::M8023AD {
        k.dev(id).is_running() && up_links > 0 && up_links as u64 >= u64::from(b.params.min_links)
    } else {
        up_links > 0
    };
    if on {
        k.netif_carrier_on(id);
    } else {
        k.netif_carrier_off(id);
    }
}

/// `eth_hw_addr_random` on a registered bond.
fn hw_addr_random(k: &mut Kernel, id: DevId) {
    let addr = k.rng().eth_random_addr();
    let d = k.dev_mut(id);
    d.addr = addr;
    d.addr_assign_type = addr_assign::RANDOM;
}

/// `bond_set_dev_addr`: the bond takes a slave's MAC (NET_ADDR_STOLEN).
fn set_dev_addr(k: &mut Kernel, id: DevId, from: DevId) {
    let addr = k.dev(from).addr;
    let d = k.dev_mut(id);
    d.addr = addr;
    d.addr_assign_type = addr_assign::STOLEN;
    k.call_netdevice_notifiers(id, NetdevEvent::ChangeAddr);
}

/// `bond_enslave` of a first slave of another type (gre, ip6gre, nlmon, tun: none of the
/// model's non-Ethernet kinds has `ndo_set_mac_address`). The bond becomes a device of the
/// slave's type (`bond_setup_by_slave`), takes the slave's address if its own is random
/// (`bond_set_dev_addr`), sets the slave's MTU to its own, then fails to give the slave its
/// address (`dev_set_mac_address`: EOPNOTSUPP, no extack) and undoes (`err_restore_mtu`,
/// `err_undo_flags`): the slave's MTU comes back, the bond is closed and set up as Ethernet
/// again (`bond_ether_setup` → `ether_setup`: MTU and max MTU 1500), keeping the address
/// bytes it took unless the first 8 equal the slave's (then a random MAC).
/// Measured: gre#33 (BOND-ENSLAVE-NOMAC). In active-backup the first such slave switches
/// fail_over_mac to active and the enslave succeeds with a non-Ethernet bond: not modelled.
fn enslave_other_type(k: &mut Kernel, id: DevId, s: DevId) -> KResult<()> {
    let m = params(k, id).mode;
    if m == mode::M8023AD {
        return Err(KernelError::new(errno::EINVAL).msg("8023AD mode requires Ethernet devices"));
    }
    if m == mode::ACTIVEBACKUP || k.dev(s).kind.ops().has_set_mac_address() {
        return Err(KernelError::not_modelled(
            "a non-Ethernet bond (bond_setup_by_slave with a slave that keeps its MAC)",
        ));
    }
    // bond_setup_by_slave: dev_close first.
    if k.dev(id).is_running() {
        k.dev_close(id);
    }
    // bond_set_dev_addr: __dev_addr_set copies addr_len bytes; the rest of dev_addr keeps
    // its old content.
    let slave_addr = k.dev(s).addr;
    let mut took = false;
    let mut dev_addr = [0u8; 32];
    let mut slave_bytes = [0u8; 32];
    if k.dev(id).addr_assign_type == addr_assign::RANDOM {
        let old = k.dev(id).addr;
        dev_addr[..old.len()].copy_from_slice(old.as_bytes());
        dev_addr[..slave_addr.len()].copy_from_slice(slave_addr.as_bytes());
        slave_bytes[..slave_addr.len()].copy_from_slice(slave_addr.as_bytes());
        took = true;
        k.call_netdevice_notifiers(id, NetdevEvent::ChangeAddr);
    }
    // new_slave->original_mtu; dev_set_mtu(slave, bond mtu), restored after the failure.
    let original_mtu = k.dev(s).mtu;
    let bond_mtu = k.dev(id).mtu;
    if k.dev_set_mtu(s, bond_mtu).is_ok() {
        let _ = k.dev_set_mtu(s, original_mtu);
    }
    // err_undo_flags.
    if took {
        if dev_addr[..8] == slave_bytes[..8] {
            hw_addr_random(k, id);
        } else {
            let mut mac = [0u8; 6];
            mac.copy_from_slice(&dev_addr[..6]);
            let d = k.dev_mut(id);
            d.addr = HwAddr::eth(mac);
            d.addr_assign_type = addr_assign::STOLEN;
        }
    }
    let d = k.dev_mut(id);
    d.mtu = crate::uapi::ETH_DATA_LEN;
    d.min_mtu = crate::uapi::ETH_MIN_MTU;
    d.max_mtu = crate::uapi::ETH_DATA_LEN;
    d.broadcast = HwAddr::BROADCAST_ETH;
    d.flags = (d.flags & (iff::SLAVE | iff::UP)) | iff::BROADCAST | iff::MULTICAST | iff::MASTER;
    Err(KernelError::new(errno::EOPNOTSUPP))
}

/// `dev_set_mac_address` on a slave, from a MAC value.
fn slave_set_mac(k: &mut Kernel, s: DevId, addr: HwAddr) -> KResult<()> {
    k.dev_set_mac_address(s, addr.as_bytes())
}

/// `bond_hw_addr_swap`: promiscuity and allmulti follow the active slave (modes using a
/// primary).
fn hw_addr_swap(k: &mut Kernel, id: DevId, new: Option<DevId>, old: Option<DevId>) {
    let flags = k.dev(id).flags;
    if let Some(o) = old {
        if flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(o, -1);
        }
        if flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(o, -1);
        }
        if flags & iff::UP != 0 {
            // bond_hw_addr_flush
            k.dev_addr_unsync(o, id);
        }
    }
    if let Some(n) = new {
        if flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(n, 1);
        }
        if flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(n, 1);
        }
        if flags & iff::UP != 0 {
            k.dev_addr_sync(n, id);
        }
    }
}

/// `bond_do_fail_over_mac`.
fn do_fail_over_mac(k: &mut Kernel, id: DevId, new: Option<DevId>, old: Option<DevId>) {
    let Some(n) = new else { return };
    match params(k, id).fail_over_mac {
        FOM_ACTIVE => set_dev_addr(k, id, n),
        FOM_FOLLOW => {
            let old = old.or_else(|| {
                let baddr = k.dev(id).addr;
                bond(k, id)
                    .slaves
                    .iter()
                    .copied()
                    .find(|s| *s != n && k.dev(*s).addr == baddr)
            });
            let tmp = k.dev(n).addr;
            let target = match old {
                Some(o) => k.dev(o).addr,
                None => k.dev(id).addr,
            };
            if slave_set_mac(k, n, target).is_err() {
                return;
            }
            if let Some(o) = old {
                let _ = slave_set_mac(k, o, tmp);
            }
        }
        _ => {}
    }
}

/// `bond_change_active_slave`.
fn change_active_slave(k: &mut Kernel, id: DevId, new: Option<DevId>) {
    let old = bond(k, id).curr_active;
    if old == new {
        return;
    }
    let m = params(k, id).mode;
    if let Some(n) = new {
        if slave(k, n).is_some_and(|sl| sl.link == LINK_BACK) {
            set_link_state(k, n, LINK_UP);
        }
    }
    if uses_primary(m) {
        hw_addr_swap(k, id, new, old);
    }
    if is_lb(m) {
        // bond_alb_handle_active_change (the slaves' MAC swapping is not modelled).
        bond_mut(k, id).curr_active = new;
        if let Some(o) = old {
            set_inactive_flags(k, id, o);
        }
        if let Some(n) = new {
            set_active_flags(k, n);
        }
    } else {
        bond_mut(k, id).curr_active = new;
    }
    if m == mode::ACTIVEBACKUP {
        if let Some(o) = old {
            set_inactive_flags(k, id, o);
        }
        if let Some(n) = new {
            set_active_flags(k, n);
            if params(k, id).fail_over_mac != FOM_NONE {
                do_fail_over_mac(k, id, new, old);
            }
        }
    }
}

/// `bond_choose_primary_or_current`.
fn choose_primary_or_current(k: &mut Kernel, id: DevId) -> Option<DevId> {
    let b = bond(k, id);
    let link = |s: DevId| slave(k, s).map_or(LINK_DOWN, |sl| sl.link);
    let prim = b.primary_slave;
    let curr = b.curr_active;
    let prim_up = prim.is_some_and(|p| link(p) == LINK_UP);
    let mut prim = prim;
    let mut reselect = false;
    if !prim_up {
        let mut hprio: Option<DevId> = None;
        for s in &b.slaves {
            if link(*s) == LINK_UP {
                let better = match hprio {
                    None => true,
                    Some(h) => {
                        slave(k, *s).map_or(0, |sl| sl.prio) > slave(k, h).map_or(0, |sl| sl.prio)
                    }
                };
                if better {
                    hprio = Some(*s);
                }
            }
        }
        if hprio.is_some() && hprio != curr {
            prim = hprio;
            reselect = true;
        } else {
            return curr.filter(|c| link(*c) == LINK_UP);
        }
    }
    if !reselect && bond(k, id).force_primary {
        bond_mut(k, id).force_primary = false;
        return prim;
    }
    let curr_up = curr.is_some_and(|c| link(c) == LINK_UP);
    if !curr_up {
        return prim;
    }
    // Both up: primary_reselect (speed/duplex are unknown on the model's devices, equal).
    match params(k, id).primary_reselect {
        0 => prim,
        _ => curr,
    }
}

/// `bond_find_best_slave`.
fn find_best_slave(k: &mut Kernel, id: DevId) -> Option<DevId> {
    if let Some(s) = choose_primary_or_current(k, id) {
        return Some(s);
    }
    let b = bond(k, id);
    let mut best = None;
    let mut mintime = b.params.updelay;
    for s in &b.slaves {
        let Some(sl) = slave(k, *s) else { continue };
        if sl.link == LINK_UP {
            return Some(*s);
        }
        if sl.link == LINK_BACK && dev_link_ok(k.dev(*s)) && 0 < mintime {
            mintime = 0;
            best = Some(*s);
        }
    }
    best
}

/// `bond_select_active_slave`.
fn select_active_slave(k: &mut Kernel, id: DevId) {
    let best = find_best_slave(k, id);
    if best != bond(k, id).curr_active {
        change_active_slave(k, id, best);
        set_carrier(k, id);
    }
}

/// The MII monitor (`bond_miimon_inspect` + `bond_miimon_commit`), settled: while the bond
/// runs with miimon > 0, every slave's link follows `bond_check_dev_link`.
fn miimon_settle(k: &mut Kernel, id: DevId) {
    if !k.dev(id).is_running() || params(k, id).miimon == 0 {
        return;
    }
    let m = params(k, id).mode;
    let mut failover = false;
    for s in bond(k, id).slaves.clone() {
        let Some(link) = slave(k, s).map(|sl| sl.link) else {
            continue;
        };
        let ok = dev_link_ok(k.dev(s));
        if ok && link != LINK_UP {
            set_link_state(k, s, LINK_UP);
            if m != mode::ACTIVEBACKUP && m != mode::M8023AD {
                set_active_flags(k, s);
            }
            let curr = bond(k, id).curr_active;
            let prim = bond(k, id).primary_slave;
            let prio = |k: &Kernel, x: DevId| slave(k, x).map_or(0, |sl| sl.prio);
            if curr.is_none() || prim == Some(s) || curr.is_some_and(|c| prio(k, s) > prio(k, c)) {
                failover = true;
            }
        } else if !ok && link != LINK_DOWN {
            if let Some(sl) = slave_mut(k, s) {
                sl.link_failure_count = sl.link_failure_count.saturating_add(1);
            }
            set_link_state(k, s, LINK_DOWN);
            if m == mode::ACTIVEBACKUP || m == mode::M8023AD {
                set_inactive_flags(k, id, s);
            }
            if bond(k, id).curr_active == Some(s) {
                failover = true;
            }
        }
    }
    if failover {
        select_active_slave(k, id);
    }
    set_carrier(k, id);
}

/// `netif_set_tso_max_size` / `netif_set_tso_max_segs` as `bond_compute_features` calls them.
fn compute_features(k: &mut Kernel, id: DevId) {
    let (mut size, mut segs) = (u32::MAX, GSO_MAX_SEGS);
    for s in &bond(k, id).slaves {
        let d = k.dev(*s);
        size = size.min(d.tso_max_size);
        segs = segs.min(d.tso_max_segs);
    }
    let d = k.dev_mut(id);
    d.tso_max_size = size.min(GSO_MAX_SIZE);
    if size < d.gso_max_size {
        d.gso_max_size = size;
    }
    if size < d.gso_ipv4_max_size {
        d.gso_ipv4_max_size = size;
    }
    d.tso_max_segs = segs;
    if segs < d.gso_max_segs {
        d.gso_max_segs = segs;
    }
}

/// `bond_enslave`, in the kernel's order: the first failing check wins.
fn enslave(k: &mut Kernel, id: DevId, s: DevId) -> KResult<()> {
    let sd = k.dev(s);
    if sd.flags & iff::MASTER != 0 && !is_bond(sd) {
        return Err(
            KernelError::new(errno::EPERM).msg("Device type (master device) cannot be enslaved")
        );
    }
    if sd.rx_handler.is_some() {
        return Err(KernelError::new(errno::EBUSY).msg("Device is in use and cannot be enslaved"));
    }
    if id == s {
        return Err(KernelError::new(errno::EPERM).msg("Cannot enslave bond to itself."));
    }
    if sd.flags & iff::UP != 0 {
        return Err(KernelError::new(errno::EPERM).msg("Device can not be enslaved while up"));
    }
    let has_slaves = !bond(k, id).slaves.is_empty();
    if !has_slaves {
        if k.dev(id).dev_type != sd.dev_type {
            return enslave_other_type(k, id, s);
        }
    } else if k.dev(id).dev_type != sd.dev_type {
        return Err(
            KernelError::new(errno::EINVAL).msg("Device type is different from other slaves")
        );
    }
    let m = params(k, id).mode;
    if !sd.kind.ops().has_set_mac_address()
        && m == mode::ACTIVEBACKUP
        && params(k, id).fail_over_mac != FOM_ACTIVE
    {
        if !has_slaves {
            bond_mut(k, id).params.fail_over_mac = FOM_ACTIVE;
        } else {
            return Err(KernelError::new(errno::EOPNOTSUPP).msg(
                "Slave device does not support setting the MAC address, but fail_over_mac is not set to active",
            ));
        }
    }
    // The first slave gives its MAC to a bond whose MAC is random.
    if !has_slaves && k.dev(id).addr_assign_type == addr_assign::RANDOM {
        set_dev_addr(k, id, s);
    }
    let undo_first_mac = |k: &mut Kernel| {
        if bond(k, id).slaves.is_empty() && k.dev(id).addr == k.dev(s).addr {
            hw_addr_random(k, id);
        }
    };
    let original_mtu = k.dev(s).mtu;
    let bond_mtu = k.dev(id).mtu;
    if let Err(e) = k.dev_set_mtu(s, bond_mtu) {
        undo_first_mac(k);
        return Err(e);
    }
    let perm = k.dev(s).addr;
    let fom = params(k, id).fail_over_mac;
    let set_mac = fom == FOM_NONE || m != mode::ACTIVEBACKUP;
    if set_mac {
        let baddr = k.dev(id).addr;
        if let Err(e) = slave_set_mac(k, s, baddr) {
            let _ = k.dev_set_mtu(s, original_mtu);
            undo_first_mac(k);
            return Err(e);
        }
    }
    // IFF_NO_ADDRCONF before the open (addrconf leaves the slave alone), then the slave opened
    // (the application closed it).
    k.dev_mut(s).inet.no_addrconf = true;
    let opened = k.dev_open_notify(s);
    k.dev_mut(s).inet.no_addrconf = false;
    if let Err(e) = opened {
        if set_mac {
            let _ = slave_set_mac(k, s, perm);
        }
        let _ = k.dev_set_mtu(s, original_mtu);
        undo_first_mac(k);
        return Err(e);
    }
    let p = params(k, id);
    // With an updelay the slave starts in BOND_LINK_BACK; settled, the delay has elapsed.
    let link = if p.miimon != 0 {
        if dev_link_ok(k.dev(s)) {
            LINK_UP
        } else {
            LINK_DOWN
        }
    } else if p.arp_interval != 0 {
        if k.dev(s).carrier {
            LINK_UP
        } else {
            LINK_DOWN
        }
    } else {
        LINK_UP
    };
    k.dev_mut(s).port = Some(PortState::new(BondSlave {
        bond: id,
        link,
        backup: STATE_ACTIVE,
        inactive: false,
        link_failure_count: 0,
        perm_hwaddr: perm,
        original_mtu,
        queue_id: 0,
        prio: 0,
    }));
    if uses_primary(m)
        && !params(k, id).primary.is_empty()
        && params(k, id).primary == k.dev(s).name
    {
        let b = bond_mut(k, id);
        b.primary_slave = Some(s);
        b.force_primary = true;
    }
    match m {
        mode::ACTIVEBACKUP | mode::M8023AD => set_inactive_flags(k, id, s),
        mode::TLB | mode::ALB => {
            set_slave_state(k, s, STATE_ACTIVE);
            set_inactive_flags(k, id, s);
        }
        _ => {
            set_slave_state(k, s, STATE_ACTIVE);
            if bond(k, id).curr_active.is_none() && link == LINK_UP {
                bond_mut(k, id).curr_active = Some(s);
            }
        }
    }
    let linked = k
        .rx_handler_register(s, RxHandler::Bond)
        // bond_master_upper_dev_link fails into err_unregister: the rx handler goes first.
        .and_then(|()| {
            k.master_upper_dev_link(s, id).inspect_err(|_| {
                k.rx_handler_unregister(s);
            })
        });
    if let Err(e) = linked {
        // err_detach … err_restore_mtu
        if bond(k, id).primary_slave == Some(s) {
            bond_mut(k, id).primary_slave = None;
        }
        if bond(k, id).curr_active == Some(s) {
            bond_mut(k, id).curr_active = None;
        }
        k.dev_mut(s).port = None;
        k.dev_close(s);
        if set_mac {
            let _ = slave_set_mac(k, s, perm);
        }
        let _ = k.dev_set_mtu(s, original_mtu);
        undo_first_mac(k);
        return Err(e);
    }
    // bond_master_upper_dev_link: the upper link (above), then IFF_SLAVE with its own
    // RTM_NEWLINK.
    k.dev_mut(s).flags |= iff::SLAVE;
    k.rtmsg_ifinfo(s, iff::SLAVE);
    if !uses_primary(m) {
        let bflags = k.dev(id).flags;
        if bflags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(s, 1);
        }
        if bflags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(s, 1);
        }
        if bflags & iff::UP != 0 {
            k.dev_addr_sync(s, id);
        }
    }
    bond_mut(k, id).slaves.push(s);
    compute_features(k, id);
    set_carrier(k, id);
    if uses_primary(m) {
        select_active_slave(k, id);
    }
    Ok(())
}

/// `__bond_release_one`. `all`: the bond is being destroyed; `unregister`: the slave is
/// (its MTU is restored without notification).
fn release_one(k: &mut Kernel, id: DevId, s: DevId, all: bool, unregister: bool) -> KResult<()> {
    if k.dev(s).flags & iff::SLAVE == 0 || slave(k, s).is_none_or(|sl| sl.bond != id) {
        return err(errno::EINVAL);
    }
    let old_flags = k.dev(id).flags;
    if !uses_primary(params(k, id).mode) && old_flags & iff::UP != 0 {
        // bond_hw_addr_flush (the kernel does it a little later; only the slave's lists
        // change).
        k.dev_addr_unsync(s, id);
    }
    set_inactive_flags(k, id, s);
    k.rx_handler_unregister(s);
    // bond_upper_dev_unlink
    k.master_upper_dev_unlink(s);
    k.dev_mut(s).flags &= !iff::SLAVE;
    k.rtmsg_ifinfo(s, iff::SLAVE);
    let oldcurrent = bond(k, id).curr_active;
    bond_mut(k, id).slaves.retain(|x| *x != s);
    if bond(k, id).primary_slave == Some(s) {
        bond_mut(k, id).primary_slave = None;
    }
    if oldcurrent == Some(s) {
        change_active_slave(k, id, None);
    }
    if all {
        bond_mut(k, id).curr_active = None;
    } else if oldcurrent == Some(s) {
        select_active_slave(k, id);
    }
    set_carrier(k, id);
    let last = bond(k, id).slaves.is_empty();
    if last {
        hw_addr_random(k, id);
        if k.dev(id).reg_state == crate::device::RegState::Registered {
            k.call_netdevice_notifiers(id, NetdevEvent::ChangeAddr);
        }
    }
    compute_features(k, id);
    let m = params(k, id).mode;
    if !uses_primary(m) {
        if old_flags & iff::PROMISC != 0 {
            k.dev_set_promiscuity(s, -1);
        }
        if old_flags & iff::ALLMULTI != 0 {
            k.dev_set_allmulti(s, -1);
        }
    }
    let sl = match k.dev_mut(s).port.take() {
        Some(p) => match p.downcast_ref::<BondSlave>() {
            Some(sl) => sl.clone(),
            None => unreachable!("checked above"),
        },
        None => unreachable!("checked above"),
    };
    // Close the slave before restoring its MAC address.
    if k.dev(s).is_running() {
        k.dev_close(s);
    }
    if params(k, id).fail_over_mac != FOM_ACTIVE || m != mode::ACTIVEBACKUP {
        let _ = slave_set_mac(k, s, sl.perm_hwaddr);
    }
    if unregister {
        let ops = k.dev(s).kind.ops();
        let _ = ops.change_mtu(k, s, sl.original_mtu);
    } else {
        let _ = k.dev_set_mtu(s, sl.original_mtu);
    }
    Ok(())
}

/// `bond_newlink`: the options first (a refused option means no device at all, no ifindex
/// used), then `register_netdevice` and `netif_carrier_off`.
fn newlink(k: &mut Kernel, dev: NetDevice, req: &LinkRequest) -> KResult<DevId> {
    let id = dev.id;
    let opts = match req.data::<BondData>() {
        Some(BondData(o)) => o.clone(),
        _ => Vec::new(),
    };
    // bond_changelink runs on the unregistered device.
    k.devices.insert(id, Box::new(dev));
    let r = options::changelink(k, id, &opts);
    let dev = k
        .devices
        .remove(&id)
        .expect("model invariant: the bond being created");
    r?;
    let id = k.register_netdevice(*dev)?;
    k.netif_carrier_off(id);
    Ok(id)
}

impl LinkOps for BondOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("bond")
    }

    /// `bond_setup` (the random MAC is `bond_init`'s, when none was given).
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        dev.max_mtu = ETH_MAX_MTU;
        dev.flags |= iff::MASTER;
        dev.no_queue = true;
        eth_hw_addr_random(dev, rng);
        dev.state = KindState::boxed(Box::<BondState>::default());
    }

    /// `bond_get_num_tx_queues` (module parameter tx_queues, default 16), also for rx.
    fn default_num_queues(&self) -> (u32, u32) {
        (BOND_DEFAULT_TX_QUEUES, BOND_DEFAULT_TX_QUEUES)
    }

    /// `bond_validate`.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        super::dummy::eth_validate_request_addr(req)
    }

    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        newlink(k, dev, req)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        match data.downcast_ref::<BondData>() {
            Some(BondData(opts)) => options::changelink(k, id, opts),
            None => Ok(()),
        }
    }

    fn slave_changelink(
        &self,
        k: &mut Kernel,
        master: DevId,
        port: DevId,
        data: &PortData,
    ) -> KResult<()> {
        match data.downcast_ref::<BondPortData>() {
            Some(BondPortData { queue_id, prio }) => {
                options::slave_changelink(k, master, port, *queue_id, *prio)
            }
            None => Ok(()),
        }
    }

    /// `bond_uninit`: every slave released (`__bond_release_one(all, unregister)`).
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        for s in bond(k, id).slaves.clone() {
            let _ = release_one(k, id, s, true, true);
        }
    }

    /// `bond_open`: slaves' active/backup flags reset; the monitors start.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        let m = params(k, id).mode;
        let curr = bond(k, id).curr_active;
        for s in bond(k, id).slaves.clone() {
            if uses_primary(m) && Some(s) != curr {
                set_inactive_flags(k, id, s);
            } else if m != mode::M8023AD {
                set_active_flags(k, s);
            }
        }
        miimon_settle(k, id);
        if m == mode::M8023AD {
            set_carrier(k, id);
        }
        Ok(())
    }

    /// `bond_set_rx_mode`: the active slave, or every slave.
    fn rx_mode_sync_targets(&self, k: &Kernel, id: DevId) -> Vec<DevId> {
        if uses_primary(params(k, id).mode) {
            bond(k, id).curr_active.into_iter().collect()
        } else {
            bond(k, id).slaves.clone()
        }
    }

    /// `bond_close`: the monitors stop (802.3ad loses its aggregator); the slaves' address
    /// lists are flushed (`bond_hw_addr_flush`).
    fn stop(&self, k: &mut Kernel, id: DevId) {
        k.dev_addr_unsync_all(id);
        if params(k, id).mode == mode::M8023AD {
            k.netif_carrier_off(id);
        }
    }

    /// `bond_set_mac_address`: every slave follows (unless fail_over_mac in active-backup).
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        let m = params(k, id).mode;
        if m == mode::ALB {
            // bond_alb_set_mac_address: the bond only (slave MACs are not modelled in alb).
            if !addr.is_valid_ether() {
                return err(errno::EADDRNOTAVAIL);
            }
            k.dev_mut(id).addr = addr;
            return Ok(());
        }
        if params(k, id).fail_over_mac != FOM_NONE && m == mode::ACTIVEBACKUP {
            return Ok(());
        }
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        let slaves = bond(k, id).slaves.clone();
        for (i, s) in slaves.iter().enumerate() {
            if let Err(e) = slave_set_mac(k, *s, addr) {
                let old = k.dev(id).addr;
                for r in &slaves[..i] {
                    let _ = slave_set_mac(k, *r, old);
                }
                return Err(e);
            }
        }
        k.dev_mut(id).addr = addr;
        Ok(())
    }

    /// `bond_change_mtu`: every slave first, unwound on failure.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        let slaves = bond(k, id).slaves.clone();
        for (i, s) in slaves.iter().enumerate() {
            if let Err(e) = k.dev_set_mtu(*s, mtu) {
                let old = k.dev(id).mtu;
                for r in &slaves[..i] {
                    let _ = k.dev_set_mtu(*r, old);
                }
                return Err(e);
            }
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `bond_change_rx_flags` → `bond_set_promiscuity` / `bond_set_allmulti`: the active
    /// slave only in modes with a primary, every slave otherwise.
    fn change_rx_flags(&self, k: &mut Kernel, id: DevId, change: u32) {
        let flags = k.dev(id).flags;
        let inc = |f: u32| if flags & f != 0 { 1 } else { -1 };
        let targets: Vec<DevId> = if uses_primary(params(k, id).mode) {
            bond(k, id).curr_active.into_iter().collect()
        } else {
            bond(k, id).slaves.clone()
        };
        for s in targets {
            if change & iff::PROMISC != 0 {
                k.dev_set_promiscuity(s, inc(iff::PROMISC));
            }
            if change & iff::ALLMULTI != 0 {
                k.dev_set_allmulti(s, inc(iff::ALLMULTI));
            }
        }
    }

    fn is_master(&self) -> bool {
        true
    }

    fn add_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        enslave(k, master, port)
    }

    fn del_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        release_one(k, master, port, false, false)
    }

    /// `bond_slave_netdev_event`.
    fn port_event(&self, k: &mut Kernel, id: DevId, p: DevId, ev: &NetdevEvent) -> KResult<()> {
        match ev {
            NetdevEvent::Unregister => {
                release_one(k, id, p, false, true)?;
            }
            NetdevEvent::Up | NetdevEvent::Down | NetdevEvent::Change => miimon_settle(k, id),
            NetdevEvent::ChangeName => {
                let m = params(k, id).mode;
                if !uses_primary(m) || params(k, id).primary.is_empty() {
                    return Ok(());
                }
                let prim = bond(k, id).primary_slave;
                if prim == Some(p) {
                    bond_mut(k, id).primary_slave = None;
                } else if k.dev(p).name == params(k, id).primary {
                    bond_mut(k, id).primary_slave = Some(p);
                } else {
                    return Ok(());
                }
                select_active_slave(k, id);
            }
            _ => {}
        }
        Ok(())
    }

    fn netns_local(&self) -> bool {
        true
    }

    fn fill_info(&self, k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let b = dev.state.downcast_ref::<BondState>()?;
        // bond_option_active_slave_get_ifindex: only modes with a primary report one.
        let active = if uses_primary(b.params.mode) {
            b.curr_active.and_then(|s| k.try_dev(s)).map(|d| d.ifindex)
        } else {
            None
        };
        Some(KindInfo::boxed(Box::new(BondInfo {
            params: b.params.clone(),
            active_slave: active,
            primary: b
                .primary_slave
                .and_then(|s| k.try_dev(s))
                .map(|d| d.ifindex),
        })))
    }

    fn fill_slave_info(
        &self,
        _k: &Kernel,
        _master: &NetDevice,
        port: &NetDevice,
    ) -> Option<PortInfo> {
        let s = port.port.as_ref()?.downcast_ref::<BondSlave>()?;
        Some(PortInfo::new(s.clone()))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<BondState>()
    }

    fn ports_no_addrconf(&self) -> bool {
        true
    }

    fn proc_net_dir(&self) -> Option<&'static str> {
        Some("bonding")
    }

    /// /proc/net/bonding/<bond> (`bond_info_seq_show`).
    fn proc_net_file(&self, k: &Kernel, id: DevId) -> Option<String> {
        proc_info(k, id)
    }

    /// `bonding_attr_group` of a bond (`bonding/<attr>`).
    fn sysfs_attr(&self, k: &Kernel, id: DevId, attr: &str) -> Option<Option<String>> {
        let a = attr.strip_prefix("bonding/")?;
        Some(sysfs_attr(k, id, a))
    }

    fn check_links(&self, _k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        let Some(b) = d.state.downcast_ref::<BondState>() else {
            return Ok(());
        };
        for (field, s) in [
            ("curr_active", b.curr_active),
            ("primary_slave", b.primary_slave),
        ] {
            if let Some(s) = s {
                if !b.slaves.contains(&s) {
                    return Err(on_dev(
                        d,
                        field,
                        format!("device id {} is not a slave", s.0),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_invariants(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_slaves(k, d).map_err(|why| on_dev(d, "slaves", why))
    }
}

/// Invariant: a bond's slave list and its slaves agree.
fn check_slaves(k: &Kernel, d: &NetDevice) -> Result<(), String> {
    if let Some(b) = d.state.downcast_ref::<BondState>() {
        for s in &b.slaves {
            let sd = k.try_dev(*s).ok_or(format!("{}: slave missing", d.name))?;
            match slave(k, sd.id) {
                Some(sl) if sl.bond == d.id && sd.master == Some(d.id) => {}
                _ => return Err(format!("{}: slave {} lacks bond state", d.name, sd.name)),
            }
            if sd.flags & iff::SLAVE == 0 {
                return Err(format!("{}: slave {} lacks IFF_SLAVE", d.name, sd.name));
            }
        }
    }
    if let Some(sl) = d.port.as_ref().and_then(|p| p.downcast_ref::<BondSlave>()) {
        match k
            .try_dev(sl.bond)
            .and_then(|b| b.state.downcast_ref::<BondState>())
        {
            Some(b) if b.slaves.contains(&d.id) => {}
            _ => return Err(format!("{}: bond does not list it", d.name)),
        }
    }
    Ok(())
}

/// `bond_mode_tbl` names, by mode number.
const MODE_NAMES: [&str; 7] = [
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];

/// `/sys/class/net/<bond>/bonding/<attr>` (drivers/net/bonding/bond_sysfs.c), the attributes
/// the model produces: `slaves` (`bonding_show_slaves`: names separated by spaces, the last
/// one eaten by the newline; empty without slaves) and `mode` (`bonding_show_mode`).
fn sysfs_attr(k: &Kernel, id: DevId, attr: &str) -> Option<String> {
    match attr {
        "slaves" => {
            let names: Vec<&str> = bond(k, id)
                .slaves
                .iter()
                .map(|s| k.dev(*s).name.as_str())
                .collect();
            Some(if names.is_empty() {
                String::new()
            } else {
                format!("{}\n", names.join(" "))
            })
        }
        "mode" => {
            let m = params(k, id).mode;
            Some(format!("{} {m}\n", MODE_NAMES.get(usize::from(m))?))
        }
        _ => None,
    }
}

/// `bond_mode_name`.
const MODE_DESCRIPTIONS: [&str; 7] = [
    "load balancing (round-robin)",
    "fault-tolerance (active-backup)",
    "load balancing (xor)",
    "fault-tolerance (broadcast)",
    "IEEE 802.3ad Dynamic link aggregation",
    "transmit load balancing",
    "adaptive load balancing",
];

/// `bond_slave_link_status`.
fn link_status(link: u8) -> &'static str {
    match link {
        LINK_UP => "up",
        LINK_FAIL => "going down",
        LINK_DOWN => "down",
        LINK_BACK => "going back",
        _ => "unknown",
    }
}

/// `slave->speed` / `slave->duplex` as `bond_update_speed_duplex` reads them from the
/// slave's `get_link_ksettings`: none for dummy and netdevsim (Unknown), 10000 Mb/s full
/// for veth (`veth_get_link_ksettings`). None: a kind whose ethtool answer is not modelled.
fn slave_speed(k: &Kernel, s: DevId) -> Option<Option<(u32, bool)>> {
    let kind = k.dev(s).kind;
    if kind == Kind::DUMMY || kind == Kind::NETDEVSIM {
        Some(None)
    } else if kind == Kind::VETH {
        Some(Some((10_000, true)))
    } else {
        None
    }
}

/// `/proc/net/bonding/<bond>` (`bond_info_seq_show`: `bond_version`, then
/// `bond_info_show_master` and `bond_info_show_slave` per slave). 802.3ad's aggregator details
/// and slaves whose link speed the model does not know are not modelled (None).
fn proc_info(k: &Kernel, id: DevId) -> Option<String> {
    use std::fmt::Write as _;
    let b = bond(k, id);
    let p = &b.params;
    let m = p.mode;
    if m == mode::M8023AD {
        return None;
    }
    let mut o = format!(
        "Ethernet Channel Bonding Driver: v{}\n\n",
        crate::uapi::KERNEL_RELEASE
    );
    let _ = write!(
        o,
        "Bonding Mode: {}",
        MODE_DESCRIPTIONS.get(usize::from(m))?
    );
    if m == mode::ACTIVEBACKUP && p.fail_over_mac != 0 {
        let fom = ["none", "active", "follow"].get(usize::from(p.fail_over_mac))?;
        let _ = write!(o, " (fail_over_mac {fom})");
    }
    o.push('\n');
    // bond_mode_uses_xmit_hash: xor, 802.3ad and tlb/alb without dynamic load balancing.
    if m == mode::XOR || (is_lb(m) && p.tlb_dynamic_lb == 0) {
        let names = [
            "layer2",
            "layer3+4",
            "layer2+3",
            "encap2+3",
            "encap3+4",
            "vlan+srcmac",
        ];
        let _ = writeln!(
            o,
            "Transmit Hash Policy: {} ({})",
            names.get(usize::from(p.xmit_policy))?,
            p.xmit_policy
        );
    }
    if uses_primary(m) {
        let name = |d: Option<DevId>| d.map_or("None".to_string(), |d| k.dev(d).name.clone());
        let _ = write!(o, "Primary Slave: {}", name(b.primary_slave));
        if b.primary_slave.is_some() {
            let r = ["always", "better", "failure"].get(usize::from(p.primary_reselect))?;
            let _ = write!(o, " (primary_reselect {r})");
        }
        let _ = writeln!(o, "\nCurrently Active Slave: {}", name(b.curr_active));
    }
    let carrier = if k.dev(id).carrier { "up" } else { "down" };
    let _ = writeln!(o, "MII Status: {carrier}");
    let _ = writeln!(o, "MII Polling Interval (ms): {}", p.miimon);
    let _ = writeln!(o, "Up Delay (ms): {}", p.updelay * p.miimon);
    let _ = writeln!(o, "Down Delay (ms): {}", p.downdelay * p.miimon);
    let _ = writeln!(
        o,
        "Peer Notification Delay (ms): {}",
        p.peer_notif_delay * p.miimon
    );
    if p.arp_interval > 0 {
        let _ = writeln!(o, "ARP Polling Interval (ms): {}", p.arp_interval);
        let _ = writeln!(o, "ARP Missed Max: {}", p.missed_max);
        let arp: Vec<String> = p
            .arp_targets
            .iter()
            .take_while(|t| **t != [0; 4])
            .map(|t| format!(" {}", std::net::Ipv4Addr::from(*t)))
            .collect();
        let _ = writeln!(o, "ARP IP target/s (n.n.n.n form):{}", arp.join(","));
        let ns: Vec<String> = p
            .ns_targets
            .iter()
            .take_while(|t| **t != [0; 16])
            .map(|t| format!(" {}", std::net::Ipv6Addr::from(*t)))
            .collect();
        let _ = writeln!(o, "NS IPv6 target/s (xx::xx form):{}", ns.join(","));
    }
    for &s in &b.slaves {
        let sl = slave(k, s)?;
        let _ = write!(o, "\nSlave Interface: {}\n", k.dev(s).name);
        let _ = writeln!(o, "MII Status: {}", link_status(sl.link));
        match slave_speed(k, s)? {
            Some((speed, full)) => {
                let _ = writeln!(o, "Speed: {speed} Mbps");
                let _ = writeln!(o, "Duplex: {}", if full { "full" } else { "half" });
            }
            None => o.push_str("Speed: Unknown\nDuplex: Unknown\n"),
        }
        let _ = writeln!(o, "Link Failure Count: {}", sl.link_failure_count);
        let hw: Vec<String> = sl
            .perm_hwaddr
            .as_bytes()
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect();
        let _ = writeln!(o, "Permanent HW addr: {}", hw.join(":"));
        let _ = writeln!(o, "Slave queue ID: {}", sl.queue_id);
    }
    Some(o)
}
