//! bridge (net/bridge): ports via `master`, the bridge id / MAC rules of `br_stp_if.c`, MTU
//! auto-adjust, port states, every option of `br_changelink` (br_netlink.c) in its order, bridge
//! port options (`br_setport`, from IFLA_INFO_SLAVE_DATA and AF_BRIDGE IFLA_PROTINFO), kernel
//! STP and VLAN filtering (br_vlan.c: per-port and bridge VLAN groups, default pvid, AF_BRIDGE
//! IFLA_AF_SPEC VLAN add/del).
//!
//! nlsim has no wall clock: no STP, fdb or multicast timer ever fires. With STP on a port that
//! comes up goes `listening` (`br_make_forwarding`) and stays there until something else
//! changes its state; the bridge is always its own root (no BPDU is ever received). Not
//! modelled, refused loudly: the fdb, MRP, CFM, MST, VLAN tunnels, backup ports, per-VLAN
//! multicast snooping, and RTM_NEWVLAN/RTM_DELVLAN notifications are not sent.

pub mod fdb;

use super::dummy::eth_hw_addr_random;
use super::{Kind, KindState, LinkOps, PortState};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, LinkMsg, NetdevEvent};
use crate::netdev_priv::{
    KindDataValue, KindInfoValue, KindPriv, PortDataValue, PortInfoValue, PortPriv,
};
use crate::request::{KindData, LinkRequest, PortData};
use crate::uapi::{
    arphrd, errno, iff, ETH_DATA_LEN, ETH_MAX_MTU, GSO_LEGACY_MAX_SIZE, GSO_MAX_SIZE,
};
use crate::validate::{on_dev, Violation};
use crate::view::{KindInfo, PortInfo};
use serde::{Deserialize, Serialize};

pub struct BridgeOps;

/// `BR_STATE_*` port states (include/uapi/linux/if_bridge.h).
pub mod port_state {
    pub const DISABLED: u8 = 0;
    pub const LISTENING: u8 = 1;
    pub const LEARNING: u8 = 2;
    pub const FORWARDING: u8 = 3;
    pub const BLOCKING: u8 = 4;
}

/// `IFLA_BR_*` numbers the model refers to.
pub mod ifla_br {
    pub const FORWARD_DELAY: u16 = 1;
    pub const HELLO_TIME: u16 = 2;
    pub const MAX_AGE: u16 = 3;
    pub const AGEING_TIME: u16 = 4;
    pub const STP_STATE: u16 = 5;
    pub const PRIORITY: u16 = 6;
    pub const GROUP_FWD_MASK: u16 = 9;
}

/// `BR_PORT_BITS`: port numbers are 10 bits, `BR_MAX_PORTS` = 1024.
const BR_MAX_PORTS: u16 = 1 << 10;
/// `BR_GROUPFWD_RESTRICTED`: STP, MAC pause and LACP frames may never be forwarded.
const BR_GROUPFWD_RESTRICTED: u16 = 0x7;
/// USER_HZ: IFLA_BR_* timers are `clock_t` (centiseconds).
const USER_HZ: u32 = 100;
/// CONFIG_HZ of Debian's 6.12 kernel.
const HZ: u64 = 250;

/// `clock_t_to_jiffies` (HZ=250: `x * HZ / USER_HZ`, saturating like the kernel's overflow
/// test).
fn clock_t_to_jiffies(x: u64) -> u64 {
    if x >= u64::MAX / HZ * u64::from(USER_HZ) {
        return u64::MAX;
    }
    x * HZ / u64::from(USER_HZ)
}

/// `jiffies_to_clock_t` (HZ=250: 4 ms ticks, rounded down to centiseconds).
fn jiffies_to_clock_t(j: u64) -> u64 {
    // div_u64((u64)x * TICK_NSEC, NSEC_PER_SEC / USER_HZ), wrapping as the kernel's does.
    j.wrapping_mul(4_000_000) / 10_000_000
}

/// A `clock_t` value stored as jiffies and read back, as IFLA_BR_* reports it.
pub fn clock_round_trip(x: u64) -> u64 {
    jiffies_to_clock_t(clock_t_to_jiffies(x))
}

/// A bridge option from IFLA_INFO_DATA. Values are as on the wire (`clock_t` for timers,
/// IFLA_BR_VLAN_PROTOCOL in host order after `nla_get_be16`), u8 flags as sent (not yet
/// reduced to 0/1: several setters refuse values other than 0 and 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BridgeOpt {
    ForwardDelay(u32),
    HelloTime(u32),
    MaxAge(u32),
    AgeingTime(u32),
    StpState(u32),
    Priority(u16),
    VlanFiltering(u8),
    VlanProtocol(u16),
    VlanDefaultPvid(u16),
    VlanStatsEnabled(u8),
    VlanStatsPerPort(u8),
    GroupFwdMask(u16),
    /// IFLA_BR_GROUP_ADDR as sent (the length is checked by `br_changelink`).
    GroupAddr(Vec<u8>),
    FdbFlush,
    McastRouter(u8),
    McastSnooping(u8),
    McastQueryUseIfaddr(u8),
    McastQuerier(u8),
    McastHashElasticity(u32),
    McastHashMax(u32),
    McastLastMemberCnt(u32),
    McastStartupQueryCnt(u32),
    McastLastMemberIntvl(u64),
    McastMembershipIntvl(u64),
    McastQuerierIntvl(u64),
    McastQueryIntvl(u64),
    McastQueryResponseIntvl(u64),
    McastStartupQueryIntvl(u64),
    McastStatsEnabled(u8),
    McastIgmpVersion(u8),
    McastMldVersion(u8),
    NfCallIptables(u8),
    NfCallIp6tables(u8),
    NfCallArptables(u8),
    /// `struct br_boolopt_multi`.
    MultiBoolopt {
        value: u32,
        mask: u32,
    },
    FdbMaxLearned(u32),
    /// Any other IFLA_BR_* attribute: refused as not modelled.
    Other(u16),
}

/// A bridge port option from IFLA_INFO_SLAVE_DATA / IFLA_PROTINFO (IFLA_BRPORT_*), u8 flags as
/// sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BridgePortOpt {
    State(u8),
    Priority(u16),
    Cost(u32),
    /// A `br_set_port_flag` attribute: (IFLA_BRPORT_* number, value).
    Flag(u16, u8),
    Flush,
    McastRouter(u8),
    McastEhtHostsLimit(u32),
    McastMaxGroups(u32),
    GroupFwdMask(u16),
    BackupPort(u32),
    BackupNhid(u32),
    /// Any other IFLA_BRPORT_* attribute: refused as not modelled.
    Other(u16),
}

/// `BRIDGE_VLAN_INFO_*` flags (include/uapi/linux/if_bridge.h).
pub mod vlan_flag {
    pub const MASTER: u16 = 1 << 0;
    pub const PVID: u16 = 1 << 1;
    pub const UNTAGGED: u16 = 1 << 2;
    pub const RANGE_BEGIN: u16 = 1 << 3;
    pub const RANGE_END: u16 = 1 << 4;
    pub const BRENTRY: u16 = 1 << 5;
}

/// One `struct net_bridge_vlan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrVlan {
    pub vid: u16,
    pub untagged: bool,
    /// Bridge (master) entries only: BRIDGE_VLAN_INFO_BRENTRY, i.e. the bridge device itself
    /// is in the VLAN. Without it the entry is only the context for port VLANs and is not
    /// reported (`br_vlan_should_use`). Port entries always have it set.
    pub brentry: bool,
    /// Bridge entries: how many port VLANs refer to it (`br_vlan_get_master`).
    pub port_refs: u32,
}

/// `struct net_bridge_vlan_group`: the VLAN list in vid order (`__vlan_add_list`) and the
/// pvid (0 = none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VlanGroup {
    pub vlans: Vec<BrVlan>,
    pub pvid: u16,
}

impl VlanGroup {
    fn find(&self, vid: u16) -> Option<&BrVlan> {
        self.vlans.iter().find(|v| v.vid == vid)
    }

    fn find_mut(&mut self, vid: u16) -> Option<&mut BrVlan> {
        self.vlans.iter_mut().find(|v| v.vid == vid)
    }

    fn insert(&mut self, v: BrVlan) {
        let at = self.vlans.partition_point(|e| e.vid <= v.vid);
        self.vlans.insert(at, v);
    }

    fn remove(&mut self, vid: u16) {
        self.vlans.retain(|v| v.vid != vid);
    }

    /// `vg->num_vlans`: the entries `br_vlan_should_use` accepts.
    pub fn num_vlans(&self) -> usize {
        self.vlans.iter().filter(|v| v.brentry).count()
    }

    /// What `br_fill_ifvlaninfo` reports: (vid, PVID|UNTAGGED flags) of the used entries.
    pub fn reported(&self) -> Vec<(u16, u16)> {
        self.vlans
            .iter()
            .filter(|v| v.brentry)
            .map(|v| {
                let mut f = 0;
                if v.vid == self.pvid {
                    f |= vlan_flag::PVID;
                }
                if v.untagged {
                    f |= vlan_flag::UNTAGGED;
                }
                (v.vid, f)
            })
            .collect()
    }

    /// `__vlan_flags_update`: whether `flags` would change the entry's PVID / UNTAGGED state;
    /// with `commit` the change is made.
    fn flags_update(&mut self, vid: u16, flags: u16, commit: bool) -> bool {
        let untagged = self.find(vid).is_some_and(|v| v.untagged);
        let change = (flags & vlan_flag::PVID != 0) == (self.pvid != vid)
            || (flags & vlan_flag::UNTAGGED != 0) != untagged;
        if commit {
            if flags & vlan_flag::PVID != 0 {
                self.pvid = vid;
            } else if self.pvid == vid {
                self.pvid = 0;
            }
            if let Some(v) = self.find_mut(vid) {
                v.untagged = flags & vlan_flag::UNTAGGED != 0;
            }
        }
        change
    }

    /// `vlan_default_pvid`: `vid` is this group's pvid, in use and egress-untagged.
    fn is_default_pvid(&self, vid: u16) -> bool {
        vid == self.pvid && self.find(vid).is_some_and(|v| v.brentry && v.untagged)
    }
}

/// `struct net_bridge`, the parts the model keeps.
///
/// Timers are kept as `clock_t` the way IFLA_BR_* reports them: the kernel stores jiffies
/// (`clock_t_to_jiffies`) and reports `jiffies_to_clock_t`; [`clock_round_trip`] applies that
/// conversion (HZ=250) when a value is stored, so odd centisecond values read back one lower as
/// on Debian's 6.12. nlsim has no wall clock: no timer ever fires (ports stay `listening` with
/// STP on until something else changes their state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeState {
    /// `br->bridge_id`: priority and address (zero until the first port or a set MAC).
    pub bridge_id_prio: u16,
    pub bridge_id_addr: HwAddr,
    /// BR_NO_STP (0) or BR_KERNEL_STP (1): nlsim runs no `/sbin/bridge-stp` helper, so
    /// `br_stp_start` always falls back to kernel STP.
    pub stp_enabled: u32,
    /// Timers in clock_t as IFLA_BR_* reports them.
    pub forward_delay: u32,
    pub hello_time: u32,
    pub max_age: u32,
    pub ageing_time: u32,
    pub group_fwd_mask: u16,
    pub group_addr: HwAddr,
    /// BROPT_GROUP_ADDR_SET.
    pub group_addr_set: bool,
    pub vlan_filtering: bool,
    pub vlan_protocol: u16,
    pub vlan_default_pvid: u16,
    pub vlan_stats_enabled: bool,
    pub vlan_stats_per_port: bool,
    pub mcast_snooping: bool,
    pub mcast_router: u8,
    pub mcast_query_use_ifaddr: bool,
    pub mcast_querier: bool,
    pub mcast_hash_max: u32,
    pub mcast_last_member_cnt: u32,
    pub mcast_startup_query_cnt: u32,
    /// Multicast intervals in clock_t as reported.
    pub mcast_last_member_intvl: u64,
    pub mcast_membership_intvl: u64,
    pub mcast_querier_intvl: u64,
    pub mcast_query_intvl: u64,
    pub mcast_query_response_intvl: u64,
    pub mcast_startup_query_intvl: u64,
    pub mcast_stats_enabled: bool,
    pub mcast_igmp_version: u8,
    pub mcast_mld_version: u8,
    pub nf_call_iptables: bool,
    pub nf_call_ip6tables: bool,
    pub nf_call_arptables: bool,
    /// `br_boolopt_multi_get` value: bit 0 NO_LL_LEARN, 1 MCAST_VLAN_SNOOPING, 2 MST_ENABLE.
    pub boolopts: u32,
    pub fdb_max_learned: u32,
    /// `br->auto_cnt`: ports with BR_FLOOD or BR_LEARNING.
    pub auto_cnt: u32,
    /// `br->vlgrp`: the bridge's own VLANs and the context entries of its ports' VLANs.
    pub vlans: VlanGroup,
    /// `BROPT_MTU_SET_BY_USER`.
    pub mtu_set_by_user: bool,
    /// `br->port_list`, in list order (`list_add_rcu` puts new ports first).
    pub ports: Vec<DevId>,
    /// `br->fdb_list`: newest first (`hlist_add_head_rcu`), the order `br_fdb_dump` walks.
    #[serde(default)]
    pub fdb: Vec<fdb::FdbEntry>,
}

impl Default for BridgeState {
    /// `br_dev_setup`, `br_multicast_init`, `br_multicast_ctx_init` defaults.
    fn default() -> Self {
        BridgeState {
            bridge_id_prio: 0x8000,
            bridge_id_addr: HwAddr::ZERO_ETH,
            stp_enabled: 0,
            forward_delay: 15 * USER_HZ,
            hello_time: 2 * USER_HZ,
            max_age: 20 * USER_HZ,
            ageing_time: 300 * USER_HZ,
            group_fwd_mask: 0,
            group_addr: HwAddr::eth([0x01, 0x80, 0xc2, 0, 0, 0]),
            group_addr_set: false,
            vlan_filtering: false,
            vlan_protocol: 0x8100,
            vlan_default_pvid: 1,
            vlan_stats_enabled: false,
            vlan_stats_per_port: false,
            mcast_snooping: true,
            mcast_router: 1,
            mcast_query_use_ifaddr: false,
            mcast_querier: false,
            mcast_hash_max: 4096,
            mcast_last_member_cnt: 2,
            mcast_startup_query_cnt: 2,
            mcast_last_member_intvl: 100,
            mcast_membership_intvl: 26000,
            mcast_querier_intvl: 25500,
            mcast_query_intvl: 12500,
            mcast_query_response_intvl: 1000,
            // 125/4 s = 7812 jiffies at HZ=250, read back as 3124.
            mcast_startup_query_intvl: 3124,
            mcast_stats_enabled: false,
            mcast_igmp_version: 2,
            mcast_mld_version: 1,
            nf_call_iptables: false,
            nf_call_ip6tables: false,
            nf_call_arptables: false,
            boolopts: 0,
            fdb_max_learned: 0,
            auto_cnt: 0,
            vlans: VlanGroup::default(),
            mtu_set_by_user: false,
            ports: Vec::new(),
            fdb: Vec::new(),
        }
    }
}

/// `BR_*` port flags (include/linux/if_bridge.h).
pub mod port_flag {
    pub const HAIRPIN_MODE: u32 = 1 << 0;
    pub const BPDU_GUARD: u32 = 1 << 1;
    pub const ROOT_BLOCK: u32 = 1 << 2;
    pub const MULTICAST_FAST_LEAVE: u32 = 1 << 3;
    pub const ADMIN_COST: u32 = 1 << 4;
    pub const LEARNING: u32 = 1 << 5;
    pub const FLOOD: u32 = 1 << 6;
    pub const AUTO_MASK: u32 = FLOOD | LEARNING;
    pub const PROMISC: u32 = 1 << 7;
    pub const PROXYARP: u32 = 1 << 8;
    pub const PROXYARP_WIFI: u32 = 1 << 10;
    pub const MCAST_FLOOD: u32 = 1 << 11;
    pub const MULTICAST_TO_UNICAST: u32 = 1 << 12;
    pub const VLAN_TUNNEL: u32 = 1 << 13;
    pub const BCAST_FLOOD: u32 = 1 << 14;
    pub const NEIGH_SUPPRESS: u32 = 1 << 15;
    pub const ISOLATED: u32 = 1 << 16;
    pub const PORT_LOCKED: u32 = 1 << 21;
    pub const PORT_MAB: u32 = 1 << 22;
    pub const NEIGH_VLAN_SUPPRESS: u32 = 1 << 23;
}

/// `struct net_bridge_port`, the parts the model keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgePort {
    pub bridge: DevId,
    pub port_no: u16,
    pub priority: u16,
    pub path_cost: u32,
    pub state: u8,
    /// `p->flags`, `port_flag::*` (BR_PROMISC: the bridge put the port in promiscuous mode).
    pub flags: u32,
    pub group_fwd_mask: u16,
    pub mcast_router: u8,
    pub mcast_eht_hosts_limit: u32,
    pub mcast_max_groups: u32,
    pub backup_nhid: u32,
    /// `p->vlgrp`.
    pub vlans: VlanGroup,
    /// `p->stp_xstats.transition_blk` / `transition_fwd` (`br_set_state` counts them under
    /// kernel STP); nlsim sends no BPDUs, so the BPDU and TCN counters stay 0.
    #[serde(default)]
    pub stp_transition_blk: u64,
    #[serde(default)]
    pub stp_transition_fwd: u64,
}

impl BridgePort {
    /// `br_make_port_id`.
    pub fn port_id(&self) -> u16 {
        (self.priority << 10) | self.port_no
    }

    /// Whether `port_flag` `f` is set.
    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }

    /// `new_nbp`: BR_LEARNING | BR_FLOOD | BR_MCAST_FLOOD | BR_BCAST_FLOOD, priority 0x20,
    /// `br_multicast_add_port` defaults.
    pub fn new(bridge: DevId, port_no: u16, path_cost: u32) -> Self {
        BridgePort {
            bridge,
            port_no,
            priority: 0x20,
            path_cost,
            state: port_state::DISABLED,
            flags: port_flag::LEARNING
                | port_flag::FLOOD
                | port_flag::MCAST_FLOOD
                | port_flag::BCAST_FLOOD,
            group_fwd_mask: 0,
            mcast_router: 1,
            mcast_eht_hosts_limit: 512,
            mcast_max_groups: 0,
            backup_nhid: 0,
            vlans: VlanGroup::default(),
            stp_transition_blk: 0,
            stp_transition_fwd: 0,
        }
    }
}

/// What `br_fill_info` reports.
pub type BridgeInfo = BridgeState;

/// What `br_port_fill_attrs` reports: the port plus ids taken from its bridge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgePortInfo {
    pub port: BridgePort,
    pub bridge_id_prio: u16,
    pub bridge_id_addr: HwAddr,
}

fn br(k: &Kernel, id: DevId) -> &BridgeState {
    match k.dev(id).state.downcast_ref::<BridgeState>() {
        Some(b) => b,
        None => unreachable!("model invariant: bridge state on a bridge"),
    }
}

fn br_mut(k: &mut Kernel, id: DevId) -> &mut BridgeState {
    match k.dev_mut(id).state.downcast_mut::<BridgeState>() {
        Some(b) => b,
        None => unreachable!("model invariant: bridge state on a bridge"),
    }
}

fn port(k: &Kernel, id: DevId) -> Option<&BridgePort> {
    k.dev(id)
        .port
        .as_ref()
        .and_then(|p| p.downcast_ref::<BridgePort>())
}

fn port_mut(k: &mut Kernel, id: DevId) -> Option<&mut BridgePort> {
    k.dev_mut(id)
        .port
        .as_mut()
        .and_then(|p| p.downcast_mut::<BridgePort>())
}

fn is_bridge(d: &NetDevice) -> bool {
    d.state.is::<BridgeState>()
}

/// `port_cost`: from the link speed, else the 10 Mb/s guess.
fn port_cost(d: &NetDevice) -> u32 {
    match d.kind.ops().ethtool_speed() {
        Some(10000) => 2,
        Some(5000) => 3,
        Some(2500) | Some(1000) => 4,
        Some(100) => 19,
        Some(s) if s > 10000 => 1,
        _ => 100,
    }
}

/// `br_set_state`.
fn set_state(k: &mut Kernel, p: DevId, state: u8) {
    let Some(bridge) = port(k, p).map(|bp| bp.bridge) else {
        return;
    };
    let kernel_stp = br(k, bridge).stp_enabled == 1;
    if let Some(bp) = port_mut(k, p) {
        bp.state = state;
        if kernel_stp && state == port_state::BLOCKING {
            // br_set_state: u64 counters; a loaded state may hold any value, the kernel's wrap.
            bp.stp_transition_blk = bp.stp_transition_blk.wrapping_add(1);
        } else if kernel_stp && state == port_state::FORWARDING {
            bp.stp_transition_fwd = bp.stp_transition_fwd.wrapping_add(1);
        }
    }
}

/// `br_port_state_selection` with STP off every enabled port is designated and forwards; the
/// bridge has carrier when any port forwards.
fn port_state_selection(k: &mut Kernel, bridge: DevId) {
    let stp = br(k, bridge).stp_enabled;
    let mut live = 0;
    for p in br(k, bridge).ports.clone() {
        let Some(bp) = port(k, p) else { continue };
        if bp.state == port_state::DISABLED {
            continue;
        }
        // br_make_forwarding: straight to forwarding without STP, listening with it, and an
        // AF_BRIDGE notification of the new state.
        if bp.state == port_state::BLOCKING {
            set_state(
                k,
                p,
                if stp == 0 {
                    port_state::FORWARDING
                } else {
                    port_state::LISTENING
                },
            );
            k.notify_bridge_port(p, LinkMsg::New);
        }
        if port(k, p).is_some_and(|bp| bp.state == port_state::FORWARDING) {
            live += 1;
        }
    }
    if live == 0 {
        k.netif_carrier_off(bridge);
    } else {
        k.netif_carrier_on(bridge);
    }
}

/// `br_stp_enable_port`: `br_init_port` (blocking), state selection, AF_BRIDGE notification.
fn stp_enable_port(k: &mut Kernel, bridge: DevId, p: DevId) {
    set_state(k, p, port_state::BLOCKING);
    port_state_selection(k, bridge);
    k.notify_bridge_port(p, LinkMsg::New);
}

/// `br_stp_disable_port`.
fn stp_disable_port(k: &mut Kernel, bridge: DevId, p: DevId) {
    set_state(k, p, port_state::DISABLED);
    k.notify_bridge_port(p, LinkMsg::New);
    // Learned (and user-added dynamic) entries towards the port go.
    fdb::delete_by_port(k, bridge, Some(p), 0, false);
    port_state_selection(k, bridge);
}

/// 224.0.0.106 and ff02::6a (multicast router discovery snoopers).
const SNOOPERS_V4: [u8; 4] = [224, 0, 0, 106];
const SNOOPERS_V6: [u8; 16] = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x6a];

/// `br_multicast_join_snoopers`.
fn multicast_join_snoopers(k: &mut Kernel, bridge: DevId) {
    k.ip_mc_inc_group(bridge, SNOOPERS_V4);
    k.mc_inc_group(bridge, SNOOPERS_V6, true);
}

/// `br_multicast_leave_snoopers`.
fn multicast_leave_snoopers(k: &mut Kernel, bridge: DevId) {
    k.ip_mc_dec_group(bridge, SNOOPERS_V4);
    k.mc_dec_group(bridge, SNOOPERS_V6, true);
}

/// `br_stp_change_bridge_id`: the bridge id and the device MAC change together.
fn change_bridge_id(k: &mut Kernel, bridge: DevId, addr: HwAddr) {
    fdb::change_mac_address(k, bridge, addr);
    br_mut(k, bridge).bridge_id_addr = addr;
    k.dev_mut(bridge).addr = addr;
    port_state_selection(k, bridge);
}

/// `br_stp_recalculate_bridge_id`: unless the user set a MAC, the bridge takes the lowest
/// port MAC, or 00:00:00:00:00:00 with no ports. True when the id changed.
fn recalculate_bridge_id(k: &mut Kernel, bridge: DevId) -> bool {
    if k.dev(bridge).addr_assign_type == crate::uapi::addr_assign::SET {
        return false;
    }
    let lowest = br(k, bridge)
        .ports
        .iter()
        .map(|p| k.dev(*p).addr)
        .min()
        .unwrap_or(HwAddr::ZERO_ETH);
    if br(k, bridge).bridge_id_addr == lowest {
        return false;
    }
    change_bridge_id(k, bridge, lowest);
    true
}

/// `br_mtu_auto_adjust`: follow the smallest port MTU unless the user set one.
fn mtu_auto_adjust(k: &mut Kernel, bridge: DevId) {
    if br(k, bridge).mtu_set_by_user {
        return;
    }
    let min = br(k, bridge)
        .ports
        .iter()
        .map(|p| k.dev(*p).mtu)
        .min()
        .unwrap_or(ETH_DATA_LEN);
    // dev_set_mtu's errors (e.g. a port MTU below 68) are ignored here, as in the kernel.
    let _ = k.dev_set_mtu(bridge, min);
    br_mut(k, bridge).mtu_set_by_user = false;
}

/// `br_add_if`, in the kernel's check order.
fn add_if(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
    let d = k.dev(p);
    if d.flags & iff::LOOPBACK != 0
        || d.dev_type != arphrd::ETHER
        || d.addr.len() != 6
        || !d.addr.is_valid_ether()
    {
        return err(errno::EINVAL);
    }
    if is_bridge(d) {
        return Err(KernelError::new(errno::ELOOP).msg("Can not enslave a bridge to a bridge"));
    }
    if d.master.is_some() {
        return err(errno::EBUSY);
    }
    // new_nbp: the lowest free port number.
    let used: Vec<u16> = br(k, bridge)
        .ports
        .iter()
        .filter_map(|q| port(k, *q).map(|bp| bp.port_no))
        .collect();
    let port_no = (1..BR_MAX_PORTS)
        .find(|n| !used.contains(n))
        .ok_or_else(|| KernelError::new(errno::EXFULL))?;
    let cost = port_cost(k.dev(p));
    k.dev_set_allmulti(p, 1);
    // netdev_rx_handler_register: a device with a macvlan/ipvlan (or other) rx handler cannot
    // become a port; the kernel unwinds dev_set_allmulti.
    if let Err(e) = k.rx_handler_register(p, crate::device::RxHandler::Bridge) {
        k.dev_set_allmulti(p, -1);
        return Err(e);
    }
    let mut bp = BridgePort::new(bridge, port_no, cost);
    // new_nbp: br_init_port's br_set_state(BLOCKING) is counted under kernel STP before the
    // port is set disabled.
    if br(k, bridge).stp_enabled == 1 {
        bp.stp_transition_blk = 1;
    }
    k.dev_mut(p).port = Some(PortState::new(bp));
    // br_add_if's err5 .. err2: IFF_BRIDGE_PORT, the rx handler and allmulti undone.
    if let Err(e) = k.master_upper_dev_link(p, bridge) {
        k.dev_mut(p).port = None;
        k.rx_handler_unregister(p);
        k.dev_set_allmulti(p, -1);
        return Err(e);
    }
    let first = br(k, bridge).ports.is_empty();
    br_mut(k, bridge).ports.insert(0, p);
    // nbp_update_port_count → br_manage_promisc.
    update_port_count(k, bridge);
    if !port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) && k.dev(p).kind.ops().unicast_flt()
    {
        // A new port that starts out of promiscuous mode gets the static addresses.
        fdb::sync_static(k, bridge, p);
    }
    let addr = k.dev(p).addr;
    let _ = fdb::add_local(k, bridge, Some(p), addr, 0);
    // nbp_vlan_init (cannot fail here: no switchdev, no allocation failures).
    let _ = nbp_vlan_init(k, bridge, p);
    if first {
        // netdev_update_features: the first port changes the bridge's feature set.
        k.netdev_features_change(bridge);
    }
    let changed_addr = recalculate_bridge_id(k, bridge);
    let pd = k.dev(p);
    if pd.is_running() && pd.is_oper_up() && k.dev(bridge).is_running() {
        stp_enable_port(k, bridge, p);
    }
    k.notify_bridge_port(p, LinkMsg::New);
    if changed_addr {
        k.call_netdevice_notifiers(bridge, NetdevEvent::ChangeAddr);
    }
    mtu_auto_adjust(k, bridge);
    set_gso_limits(k, bridge);
    Ok(())
}

/// `br_set_gso_limits`: the smallest TSO limits of the ports (TSO_MAX_SIZE / TSO_MAX_SEGS
/// without ports), applied with `netif_set_tso_max_size` / `netif_set_tso_max_segs`.
fn set_gso_limits(k: &mut Kernel, bridge: DevId) {
    let (mut size, mut segs) = (u32::MAX, u32::from(u16::MAX));
    for p in &br(k, bridge).ports {
        let d = k.dev(*p);
        size = size.min(d.tso_max_size);
        segs = segs.min(d.tso_max_segs);
    }
    let d = k.dev_mut(bridge);
    d.tso_max_size = size.min(GSO_MAX_SIZE);
    if size < d.gso_max_size {
        // netif_set_gso_max_size
        d.gso_max_size = size;
        if size <= GSO_LEGACY_MAX_SIZE {
            d.gso_ipv4_max_size = size;
        }
    }
    if size < d.gso_ipv4_max_size {
        d.gso_ipv4_max_size = size;
    }
    d.tso_max_segs = segs;
    if segs < d.gso_max_segs {
        d.gso_max_segs = segs;
    }
}

/// `br_port_set_promisc` (with `dev_set_promiscuity`'s IFF_PROMISC notification).
fn set_port_promisc(k: &mut Kernel, p: DevId) {
    if port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
        return;
    }
    let before = k.dev(p).flags;
    k.dev_set_promiscuity(p, 1);
    if k.dev(p).flags != before {
        k.rtmsg_ifinfo(p, iff::PROMISC);
    }
    if let Some(bridge) = port(k, p).map(|bp| bp.bridge) {
        fdb::unsync_static(k, bridge, p);
    }
    if let Some(bp) = port_mut(k, p) {
        bp.flags |= port_flag::PROMISC;
    }
}

/// `br_port_clear_promisc` (callers checked IFF_UNICAST_FLT): the static addresses go to the
/// port's unicast filter first.
fn clear_port_promisc(k: &mut Kernel, p: DevId) {
    if !port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
        return;
    }
    if let Some(bridge) = port(k, p).map(|bp| bp.bridge) {
        fdb::sync_static(k, bridge, p);
    }
    let before = k.dev(p).flags;
    k.dev_set_promiscuity(p, -1);
    if k.dev(p).flags != before {
        k.rtmsg_ifinfo(p, iff::PROMISC);
    }
    if let Some(bp) = port_mut(k, p) {
        bp.flags &= !port_flag::PROMISC;
    }
}

/// `del_nbp`: the port leaves (promiscuity and allmulti given back).
fn del_nbp(k: &mut Kernel, bridge: DevId, p: DevId) {
    // nbp_delete_promisc.
    if port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
        let before = k.dev(p).flags;
        k.dev_set_promiscuity(p, -1);
        if k.dev(p).flags != before {
            k.rtmsg_ifinfo(p, iff::PROMISC);
        }
    } else {
        fdb::unsync_static(k, bridge, p);
    }
    if port(k, p).is_some_and(|bp| bp.state != port_state::DISABLED) {
        stp_disable_port(k, bridge, p);
    }
    k.notify_bridge_port(p, LinkMsg::Del);
    br_mut(k, bridge).ports.retain(|q| *q != p);
    nbp_vlan_flush(k, p);
    fdb::delete_by_port(k, bridge, Some(p), 0, true);
    update_port_count(k, bridge);
    k.rx_handler_unregister(p);
    k.dev_set_allmulti(p, -1);
    k.dev_mut(p).port = None;
    k.master_upper_dev_unlink(p);
}

/// `br_del_if`.
fn del_if(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
    if port(k, p).is_none_or(|bp| bp.bridge != bridge) {
        return err(errno::EINVAL);
    }
    del_nbp(k, bridge, p);
    mtu_auto_adjust(k, bridge);
    set_gso_limits(k, bridge);
    if recalculate_bridge_id(k, bridge) {
        k.call_netdevice_notifiers(bridge, NetdevEvent::ChangeAddr);
    }
    if br(k, bridge).ports.is_empty() {
        k.netdev_features_change(bridge);
    }
    Ok(())
}

/// `br_port_carrier_check`.
fn port_carrier_check(k: &mut Kernel, bridge: DevId, p: DevId) {
    let up = k.dev(p).is_running() && k.dev(p).is_oper_up();
    if up && !port(k, p).is_some_and(|bp| bp.has(port_flag::ADMIN_COST)) {
        let cost = port_cost(k.dev(p));
        if let Some(bp) = port_mut(k, p) {
            bp.path_cost = cost;
        }
    }
    if !k.dev(bridge).is_running() {
        return;
    }
    let disabled = port(k, p).is_some_and(|bp| bp.state == port_state::DISABLED);
    if up && disabled {
        stp_enable_port(k, bridge, p);
    } else if !up && !disabled {
        stp_disable_port(k, bridge, p);
    }
}

/// The jiffies of a u32 `clock_t` timer and the value IFLA_BR_* then reports.
fn timer(v: u32) -> (u64, u32) {
    let t = clock_t_to_jiffies(u64::from(v));
    (t, jiffies_to_clock_t(t) as u32)
}

/// BR_MIN_* / BR_MAX_* (net/bridge/br_private_stp.h), in jiffies.
const BR_MIN_HELLO_TIME: u64 = HZ;
const BR_MAX_HELLO_TIME: u64 = 10 * HZ;
const BR_MIN_FORWARD_DELAY: u64 = 2 * HZ;
const BR_MAX_FORWARD_DELAY: u64 = 30 * HZ;
const BR_MIN_MAX_AGE: u64 = 6 * HZ;
const BR_MAX_MAX_AGE: u64 = 40 * HZ;
const BR_MIN_PATH_COST: u32 = 1;
const BR_MAX_PATH_COST: u32 = 65535;
/// `BR_MAX_PORT_PRIORITY`: (u16)~0 >> BR_PORT_BITS.
const BR_MAX_PORT_PRIORITY: u16 = u16::MAX >> 10;
/// `BR_GROUPFWD_MACPAUSE`: the one bit a port's group_fwd_mask may not have.
const BR_GROUPFWD_MACPAUSE: u16 = 1 << 1;
/// BR_MULTICAST_QUERY_INTVL_MIN / _STARTUP_QUERY_INTVL_MIN: 1 s, in jiffies.
const BR_MULTICAST_QUERY_INTVL_MIN: u64 = HZ;
/// BR_BOOLOPT_* bits.
const BOOLOPT_NO_LL_LEARN: u32 = 1 << 0;
const BOOLOPT_MCAST_VLAN_SNOOPING: u32 = 1 << 1;
const BOOLOPT_MST_ENABLE: u32 = 1 << 2;
/// BR_BOOLOPT_MAX on 6.12.
const BR_BOOLOPT_MAX: u32 = 3;

/// `br_stp_start`: no `/sbin/bridge-stp` helper answers under nlsim, so kernel STP
/// (BR_KERNEL_STP); the forward delay is clamped into 2..30 s; ports left blocking move on
/// (`br_port_state_selection` → listening).
fn stp_start(k: &mut Kernel, id: DevId) {
    let b = br_mut(k, id);
    let (t, _) = timer(b.forward_delay);
    if t < BR_MIN_FORWARD_DELAY {
        b.forward_delay = jiffies_to_clock_t(BR_MIN_FORWARD_DELAY) as u32;
    } else if t > BR_MAX_FORWARD_DELAY {
        b.forward_delay = jiffies_to_clock_t(BR_MAX_FORWARD_DELAY) as u32;
    }
    b.stp_enabled = 1;
    port_state_selection(k, id);
}

/// `br_stp_set_enabled` (net/bridge/br_stp_if.c): any non-zero value starts STP (MRP is not
/// modelled, so its refusal never applies); 0 stops it. `br_stp_stop` of kernel STP only
/// clears the mode: ports keep their current state.
fn stp_set_enabled(k: &mut Kernel, id: DevId, val: u32) {
    let cur = br(k, id).stp_enabled;
    if val != 0 {
        if cur == 0 {
            stp_start(k, id);
        }
    } else if cur != 0 {
        br_mut(k, id).stp_enabled = 0;
    }
}

/// `br_manage_promisc`: every port promiscuous while VLAN filtering is off or the bridge is
/// promiscuous; otherwise a port that filters unicast itself (IFF_UNICAST_FLT) leaves
/// promiscuous mode when it is the only auto port (or there is none).
fn manage_promisc(k: &mut Kernel, bridge: DevId) {
    let b = br(k, bridge);
    let set_all = k.dev(bridge).flags & iff::PROMISC != 0 || !b.vlan_filtering;
    let auto_cnt = b.auto_cnt;
    for p in b.ports.clone() {
        let Some(bp) = port(k, p) else { continue };
        let auto = bp.has(port_flag::AUTO_MASK);
        if !set_all
            && k.dev(p).kind.ops().unicast_flt()
            && (auto_cnt == 0 || (auto_cnt == 1 && auto))
        {
            clear_port_promisc(k, p);
        } else {
            set_port_promisc(k, p);
        }
    }
}

/// `nbp_update_port_count`.
fn update_port_count(k: &mut Kernel, bridge: DevId) {
    let cnt = br(k, bridge)
        .ports
        .iter()
        .filter(|p| port(k, **p).is_some_and(|bp| bp.has(port_flag::AUTO_MASK)))
        .count() as u32;
    if br(k, bridge).auto_cnt != cnt {
        br_mut(k, bridge).auto_cnt = cnt;
        manage_promisc(k, bridge);
    }
}

/// `br_changelink` for one attribute (net/bridge/br_netlink.c, 6.12), with the setter it
/// calls.
fn apply_opt(k: &mut Kernel, id: DevId, opt: &BridgeOpt) -> KResult<()> {
    let path = AttrPath::info_data;
    match opt {
        // br_set_forward_delay: the 2..30 s range only applies with STP on.
        BridgeOpt::ForwardDelay(v) => {
            let (t, shown) = timer(*v);
            if br(k, id).stp_enabled != 0
                && !(BR_MIN_FORWARD_DELAY..=BR_MAX_FORWARD_DELAY).contains(&t)
            {
                return err(errno::ERANGE);
            }
            br_mut(k, id).forward_delay = shown;
        }
        // br_set_hello_time: 1..10 s.
        BridgeOpt::HelloTime(v) => {
            let (t, shown) = timer(*v);
            if !(BR_MIN_HELLO_TIME..=BR_MAX_HELLO_TIME).contains(&t) {
                return err(errno::ERANGE);
            }
            br_mut(k, id).hello_time = shown;
        }
        // br_set_max_age: 6..40 s.
        BridgeOpt::MaxAge(v) => {
            let (t, shown) = timer(*v);
            if !(BR_MIN_MAX_AGE..=BR_MAX_MAX_AGE).contains(&t) {
                return err(errno::ERANGE);
            }
            br_mut(k, id).max_age = shown;
        }
        // br_set_ageing_time: any value (0 = never age), no switchdev under nlsim.
        BridgeOpt::AgeingTime(v) => br_mut(k, id).ageing_time = timer(*v).1,
        BridgeOpt::StpState(v) => stp_set_enabled(k, id, *v),
        // br_stp_set_bridge_priority: the bridge stays its own root (no BPDUs), so only the
        // id changes.
        BridgeOpt::Priority(v) => {
            br_mut(k, id).bridge_id_prio = *v;
            port_state_selection(k, id);
        }
        // br_vlan_filter_toggle.
        BridgeOpt::VlanFiltering(v) => {
            let on = *v != 0;
            if br(k, id).vlan_filtering != on {
                br_mut(k, id).vlan_filtering = on;
                manage_promisc(k, id);
                if !on && br(k, id).boolopts & BOOLOPT_MCAST_VLAN_SNOOPING != 0 {
                    br_mut(k, id).boolopts &= !BOOLOPT_MCAST_VLAN_SNOOPING;
                }
            }
        }
        // __br_vlan_set_proto (br_validate already refused non-VLAN ethertypes). The ports'
        // VLAN filters are not modelled, the protocol is.
        BridgeOpt::VlanProtocol(v) => br_mut(k, id).vlan_protocol = *v,
        BridgeOpt::VlanDefaultPvid(v) => set_default_pvid(k, id, *v)?,
        // br_vlan_set_stats.
        BridgeOpt::VlanStatsEnabled(v) => match v {
            0 | 1 => br_mut(k, id).vlan_stats_enabled = *v == 1,
            _ => return err(errno::EINVAL),
        },
        // br_vlan_set_stats_per_port: refused while any port has a VLAN (nbp_vlan_init gives
        // every port the default pvid, even with filtering off).
        BridgeOpt::VlanStatsPerPort(v) => {
            let has_vlans = br(k, id)
                .ports
                .iter()
                .any(|p| port_vg(k, *p).num_vlans() > 0);
            if has_vlans {
                return err(errno::EBUSY);
            }
            match v {
                0 | 1 => br_mut(k, id).vlan_stats_per_port = *v == 1,
                _ => return err(errno::EINVAL),
            }
        }
        BridgeOpt::GroupFwdMask(v) => {
            if v & BR_GROUPFWD_RESTRICTED != 0 {
                return err(errno::EINVAL);
            }
            br_mut(k, id).group_fwd_mask = *v;
        }
        // Only 01:80:c2:00:00:0X, and not the pause (1), slow protocols (2) or PAE (3)
        // addresses.
        BridgeOpt::GroupAddr(a) => {
            let Ok(addr) = <[u8; 6]>::try_from(a.as_slice()) else {
                return err(errno::EINVAL);
            };
            let link_local = addr[..5] == [0x01, 0x80, 0xc2, 0, 0] && addr[5] & 0xf0 == 0;
            if !link_local || matches!(addr[5], 1..=3) {
                return err(errno::EINVAL);
            }
            let b = br_mut(k, id);
            b.group_addr = HwAddr::eth(addr);
            b.group_addr_set = true;
        }
        // br_fdb_flush of non-static entries: nlsim learns no fdb entries.
        BridgeOpt::FdbFlush => {}
        // br_multicast_set_router: 0, 1, 2.
        BridgeOpt::McastRouter(v) => match v {
            0..=2 => br_mut(k, id).mcast_router = *v,
            _ => return err(errno::EINVAL),
        },
        // br_multicast_toggle (no switchdev: br_mc_disabled_update's EOPNOTSUPP is ignored).
        BridgeOpt::McastSnooping(v) => {
            // br_multicast_toggle: the snooper groups follow while the bridge is up.
            let on = *v != 0;
            if br(k, id).mcast_snooping != on {
                br_mut(k, id).mcast_snooping = on;
                if !on {
                    multicast_leave_snoopers(k, id);
                } else if k.dev(id).is_running() {
                    multicast_join_snoopers(k, id);
                }
            }
        }
        BridgeOpt::McastQueryUseIfaddr(v) => br_mut(k, id).mcast_query_use_ifaddr = *v != 0,
        // br_multicast_set_querier: the querier state it starts is not reported while no
        // query has been sent (nlsim sends none; IFLA_BR_MCAST_QUERIER_STATE stays empty).
        BridgeOpt::McastQuerier(v) => br_mut(k, id).mcast_querier = *v != 0,
        // Deprecated: only a br_warn, always reported as RHT_ELASTICITY.
        BridgeOpt::McastHashElasticity(_) => {}
        BridgeOpt::McastHashMax(v) => br_mut(k, id).mcast_hash_max = *v,
        BridgeOpt::McastLastMemberCnt(v) => br_mut(k, id).mcast_last_member_cnt = *v,
        BridgeOpt::McastStartupQueryCnt(v) => br_mut(k, id).mcast_startup_query_cnt = *v,
        BridgeOpt::McastLastMemberIntvl(v) => {
            br_mut(k, id).mcast_last_member_intvl = clock_round_trip(*v)
        }
        BridgeOpt::McastMembershipIntvl(v) => {
            br_mut(k, id).mcast_membership_intvl = clock_round_trip(*v)
        }
        BridgeOpt::McastQuerierIntvl(v) => br_mut(k, id).mcast_querier_intvl = clock_round_trip(*v),
        // br_multicast_set_query_intvl / _startup_query_intvl: raised to 1 s (with a br_info).
        BridgeOpt::McastQueryIntvl(v) => {
            let t = clock_t_to_jiffies(*v).max(BR_MULTICAST_QUERY_INTVL_MIN);
            br_mut(k, id).mcast_query_intvl = jiffies_to_clock_t(t);
        }
        BridgeOpt::McastQueryResponseIntvl(v) => {
            br_mut(k, id).mcast_query_response_intvl = clock_round_trip(*v)
        }
        BridgeOpt::McastStartupQueryIntvl(v) => {
            let t = clock_t_to_jiffies(*v).max(BR_MULTICAST_QUERY_INTVL_MIN);
            br_mut(k, id).mcast_startup_query_intvl = jiffies_to_clock_t(t);
        }
        BridgeOpt::McastStatsEnabled(v) => br_mut(k, id).mcast_stats_enabled = *v != 0,
        // br_multicast_set_igmp_version: 2 or 3; _mld_version: 1 or 2.
        BridgeOpt::McastIgmpVersion(v) => match v {
            2 | 3 => br_mut(k, id).mcast_igmp_version = *v,
            _ => return err(errno::EINVAL),
        },
        BridgeOpt::McastMldVersion(v) => match v {
            1 | 2 => br_mut(k, id).mcast_mld_version = *v,
            _ => return err(errno::EINVAL),
        },
        BridgeOpt::NfCallIptables(v) => br_mut(k, id).nf_call_iptables = *v != 0,
        BridgeOpt::NfCallIp6tables(v) => br_mut(k, id).nf_call_ip6tables = *v != 0,
        BridgeOpt::NfCallArptables(v) => br_mut(k, id).nf_call_arptables = *v != 0,
        BridgeOpt::MultiBoolopt { value, mask } => {
            boolopt_multi_toggle(k, id, *value, *mask, path(46))?
        }
        BridgeOpt::FdbMaxLearned(v) => br_mut(k, id).fdb_max_learned = *v,
        BridgeOpt::Other(a) => {
            return Err(
                KernelError::not_modelled(format!("bridge option IFLA_BR attribute {a}"))
                    .attr(path(*a)),
            );
        }
    }
    Ok(())
}

/// `br_boolopt_multi_toggle` (net/bridge/br.c): each option of the mask in bit order; the
/// first error stops (earlier options stay changed).
fn boolopt_multi_toggle(
    k: &mut Kernel,
    id: DevId,
    value: u32,
    mask: u32,
    at: AttrPath,
) -> KResult<()> {
    for bit in 0..BR_BOOLOPT_MAX {
        let f = 1u32 << bit;
        if mask & f == 0 {
            continue;
        }
        let on = value & f != 0;
        let cur = br(k, id).boolopts & f != 0;
        match f {
            BOOLOPT_NO_LL_LEARN => {}
            // br_multicast_toggle_vlan_snooping.
            BOOLOPT_MCAST_VLAN_SNOOPING => {
                if on && !cur && !br(k, id).vlan_filtering {
                    return Err(KernelError::new(errno::EINVAL).msg(
                        "bridge: Cannot enable multicast vlan snooping with vlan filtering disabled",
                    ));
                }
                if on != cur {
                    return Err(KernelError::not_modelled(
                        "bridge per-VLAN multicast snooping (BR_BOOLOPT_MCAST_VLAN_SNOOPING)",
                    )
                    .attr(at));
                }
            }
            // br_mst_set_enabled.
            BOOLOPT_MST_ENABLE => {
                let vlans = br(k, id)
                    .ports
                    .iter()
                    .any(|p| port_vg(k, *p).num_vlans() > 0);
                if vlans {
                    return Err(KernelError::new(errno::EBUSY)
                        .msg("MST mode can't be changed while VLANs exist"));
                }
                if on != cur {
                    return Err(KernelError::not_modelled(
                        "bridge MST mode (BR_BOOLOPT_MST_ENABLE)",
                    )
                    .attr(at));
                }
            }
            _ => {}
        }
        let b = br_mut(k, id);
        if on {
            b.boolopts |= f;
        } else {
            b.boolopts &= !f;
        }
    }
    Ok(())
}

/// The order `br_changelink` handles its attributes in.
fn changelink_order(opt: &BridgeOpt) -> u8 {
    match opt {
        BridgeOpt::ForwardDelay(_) => 0,
        BridgeOpt::HelloTime(_) => 1,
        BridgeOpt::MaxAge(_) => 2,
        BridgeOpt::AgeingTime(_) => 3,
        BridgeOpt::StpState(_) => 4,
        BridgeOpt::Priority(_) => 5,
        BridgeOpt::VlanFiltering(_) => 6,
        BridgeOpt::VlanProtocol(_) => 7,
        BridgeOpt::VlanDefaultPvid(_) => 8,
        BridgeOpt::VlanStatsEnabled(_) => 9,
        BridgeOpt::VlanStatsPerPort(_) => 10,
        BridgeOpt::GroupFwdMask(_) => 11,
        BridgeOpt::GroupAddr(_) => 12,
        BridgeOpt::FdbFlush => 13,
        BridgeOpt::McastRouter(_) => 14,
        BridgeOpt::McastSnooping(_) => 15,
        BridgeOpt::McastQueryUseIfaddr(_) => 16,
        BridgeOpt::McastQuerier(_) => 17,
        BridgeOpt::McastHashElasticity(_) => 18,
        BridgeOpt::McastHashMax(_) => 19,
        BridgeOpt::McastLastMemberCnt(_) => 20,
        BridgeOpt::McastStartupQueryCnt(_) => 21,
        BridgeOpt::McastLastMemberIntvl(_) => 22,
        BridgeOpt::McastMembershipIntvl(_) => 23,
        BridgeOpt::McastQuerierIntvl(_) => 24,
        BridgeOpt::McastQueryIntvl(_) => 25,
        BridgeOpt::McastQueryResponseIntvl(_) => 26,
        BridgeOpt::McastStartupQueryIntvl(_) => 27,
        BridgeOpt::McastStatsEnabled(_) => 28,
        BridgeOpt::McastIgmpVersion(_) => 29,
        BridgeOpt::McastMldVersion(_) => 30,
        BridgeOpt::NfCallIptables(_) => 31,
        BridgeOpt::NfCallIp6tables(_) => 32,
        BridgeOpt::NfCallArptables(_) => 33,
        BridgeOpt::MultiBoolopt { .. } => 34,
        BridgeOpt::FdbMaxLearned(_) => 35,
        BridgeOpt::Other(_) => 36,
    }
}

fn changelink(k: &mut Kernel, id: DevId, opts: &[BridgeOpt]) -> KResult<()> {
    let mut sorted: Vec<&BridgeOpt> = opts.iter().collect();
    sorted.sort_by_key(|o| changelink_order(o));
    for opt in sorted {
        apply_opt(k, id, opt)?;
    }
    Ok(())
}

/// `br_set_port_state` (net/bridge/br_netlink.c).
fn set_port_state(k: &mut Kernel, p: DevId, state: u8) -> KResult<()> {
    if state > port_state::BLOCKING {
        return err(errno::EINVAL);
    }
    let Some(bridge) = port(k, p).map(|bp| bp.bridge) else {
        return err(errno::EINVAL);
    };
    if br(k, bridge).stp_enabled == 1 {
        return err(errno::EBUSY);
    }
    let d = k.dev(p);
    if !d.is_running() || (!d.is_oper_up() && state != port_state::DISABLED) {
        return err(errno::ENETDOWN);
    }
    set_state(k, p, state);
    port_state_selection(k, bridge);
    Ok(())
}

/// The `br_set_port_flag` attributes of `br_setport`, in its order, with their flag.
const PORT_FLAG_ATTRS: [(u16, u32); 17] = [
    (4, port_flag::HAIRPIN_MODE),
    (5, port_flag::BPDU_GUARD),
    (7, port_flag::MULTICAST_FAST_LEAVE),
    (6, port_flag::ROOT_BLOCK),
    (8, port_flag::LEARNING),
    (9, port_flag::FLOOD),
    (27, port_flag::MCAST_FLOOD),
    (28, port_flag::MULTICAST_TO_UNICAST),
    (30, port_flag::BCAST_FLOOD),
    (10, port_flag::PROXYARP),
    (12, port_flag::PROXYARP_WIFI),
    (29, port_flag::VLAN_TUNNEL),
    (32, port_flag::NEIGH_SUPPRESS),
    (33, port_flag::ISOLATED),
    (39, port_flag::PORT_LOCKED),
    (40, port_flag::PORT_MAB),
    (43, port_flag::NEIGH_VLAN_SUPPRESS),
];

/// `br_setport` (net/bridge/br_netlink.c, 6.12): the flags first (all or nothing), then cost,
/// priority, state, flush, multicast router, EHT hosts limit, max groups, group_fwd_mask,
/// backup port and nhid, each stopping at its error with the earlier ones applied. `opts`
/// holds the last copy of each attribute (the kernel's table).
pub fn setport(k: &mut Kernel, p: DevId, opts: &[BridgePortOpt]) -> KResult<()> {
    let Some(bp) = port(k, p).cloned() else {
        return err(errno::EINVAL);
    };
    let bridge = bp.bridge;
    if let Some(a) = opts.iter().find_map(|o| match o {
        BridgePortOpt::Other(a) => Some(*a),
        _ => None,
    }) {
        return Err(KernelError::not_modelled(format!(
            "bridge port option IFLA_BRPORT attribute {a}"
        )));
    }
    let old = bp.flags;
    let mut flags = old;
    for (attr, f) in PORT_FLAG_ATTRS {
        let v = opts.iter().rev().find_map(|o| match o {
            BridgePortOpt::Flag(a, v) if *a == attr => Some(*v),
            _ => None,
        });
        match v {
            Some(0) => flags &= !f,
            Some(_) => flags |= f,
            None => {}
        }
    }
    if flags & port_flag::PORT_MAB != 0
        && (flags & port_flag::PORT_LOCKED == 0 || flags & port_flag::LEARNING == 0)
    {
        return Err(KernelError::new(errno::EINVAL)
            .msg("Bridge port must be locked and have learning enabled when MAB is enabled"));
    }
    if let Some(bp) = port_mut(k, p) {
        bp.flags = flags;
    }
    // br_port_flags_change.
    if (old ^ flags) & port_flag::AUTO_MASK != 0 {
        update_port_count(k, bridge);
    }
    let find = |f: fn(&BridgePortOpt) -> Option<u64>| opts.iter().find_map(f);
    if let Some(cost) = find(|o| match o {
        BridgePortOpt::Cost(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        // br_stp_set_path_cost.
        let cost = cost as u32;
        if !(BR_MIN_PATH_COST..=BR_MAX_PATH_COST).contains(&cost) {
            return err(errno::ERANGE);
        }
        if let Some(bp) = port_mut(k, p) {
            bp.flags |= port_flag::ADMIN_COST;
            bp.path_cost = cost;
        }
        port_state_selection(k, bridge);
    }
    if let Some(prio) = find(|o| match o {
        BridgePortOpt::Priority(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        // br_stp_set_port_priority.
        let prio = prio as u16;
        if prio > BR_MAX_PORT_PRIORITY {
            return err(errno::ERANGE);
        }
        if let Some(bp) = port_mut(k, p) {
            bp.priority = prio;
        }
    }
    if let Some(state) = find(|o| match o {
        BridgePortOpt::State(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        set_port_state(k, p, state as u8)?;
    }
    // IFLA_BRPORT_FLUSH: br_fdb_delete_by_port; nlsim learns no fdb entries.
    if let Some(v) = find(|o| match o {
        BridgePortOpt::McastRouter(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        // br_multicast_set_port_router: 0..=3 (MDB_RTR_TYPE_TEMP is 3).
        let v = v as u8;
        if v > 3 {
            return err(errno::EINVAL);
        }
        if let Some(bp) = port_mut(k, p) {
            bp.mcast_router = v;
        }
    }
    if let Some(v) = find(|o| match o {
        BridgePortOpt::McastEhtHostsLimit(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        // br_multicast_eht_set_hosts_limit: 0 is refused.
        if v == 0 {
            return err(errno::EINVAL);
        }
        if let Some(bp) = port_mut(k, p) {
            bp.mcast_eht_hosts_limit = v as u32;
        }
    }
    if let Some(v) = find(|o| match o {
        BridgePortOpt::McastMaxGroups(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        if let Some(bp) = port_mut(k, p) {
            bp.mcast_max_groups = v as u32;
        }
    }
    if let Some(v) = find(|o| match o {
        BridgePortOpt::GroupFwdMask(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        let v = v as u16;
        if v & BR_GROUPFWD_MACPAUSE != 0 {
            return err(errno::EINVAL);
        }
        if let Some(bp) = port_mut(k, p) {
            bp.group_fwd_mask = v;
        }
    }
    if let Some(ifindex) = find(|o| match o {
        BridgePortOpt::BackupPort(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        // nbp_backup_change: only clearing (index 0, nothing set) is modelled.
        if ifindex != 0 {
            return Err(KernelError::not_modelled(
                "bridge backup port (IFLA_BRPORT_BACKUP_PORT)",
            ));
        }
    }
    if let Some(v) = find(|o| match o {
        BridgePortOpt::BackupNhid(v) => Some(u64::from(*v)),
        _ => None,
    }) {
        if let Some(bp) = port_mut(k, p) {
            bp.backup_nhid = v as u32;
        }
    }
    Ok(())
}

// ---- VLAN filtering (net/bridge/br_vlan.c) ----

fn port_vg(k: &Kernel, p: DevId) -> &VlanGroup {
    match port(k, p) {
        Some(bp) => &bp.vlans,
        None => unreachable!("model invariant: VLAN group of a bridge port"),
    }
}

fn port_vg_mut(k: &mut Kernel, p: DevId) -> &mut VlanGroup {
    match port_mut(k, p) {
        Some(bp) => &mut bp.vlans,
        None => unreachable!("model invariant: VLAN group of a bridge port"),
    }
}

/// `br_vlan_add` (with `br_vlan_add_existing`): true when the VLAN was created or changed.
fn br_vlan_add(k: &mut Kernel, bridge: DevId, vid: u16, flags: u16) -> KResult<bool> {
    let vg = &mut br_mut(k, bridge).vlans;
    if let Some(v) = vg.find(vid) {
        let becomes_brentry = !v.brentry;
        let mut would_change = false;
        if becomes_brentry {
            // Trying to change flags of a VLAN the bridge itself is not in.
            if flags & vlan_flag::BRENTRY == 0 {
                return err(errno::EINVAL);
            }
        } else {
            would_change = vg.flags_update(vid, flags, false);
        }
        if becomes_brentry {
            // It was only kept for port vlans, now make it real.
            let addr = k.dev(bridge).addr;
            let _ = fdb::add_local(k, bridge, None, addr, vid);
            let vg = &mut br_mut(k, bridge).vlans;
            if let Some(v) = vg.find_mut(vid) {
                v.brentry = true;
            }
        }
        let vg = &mut br_mut(k, bridge).vlans;
        vg.flags_update(vid, flags, true);
        return Ok(becomes_brentry || would_change);
    }
    if flags & vlan_flag::BRENTRY != 0 {
        // __vlan_add: the bridge's address for a VLAN it is in.
        let addr = k.dev(bridge).addr;
        let _ = fdb::add_local(k, bridge, None, addr, vid);
    }
    let vg = &mut br_mut(k, bridge).vlans;
    vg.insert(BrVlan {
        vid,
        untagged: false,
        brentry: flags & vlan_flag::BRENTRY != 0,
        port_refs: 0,
    });
    vg.flags_update(vid, flags, true);
    Ok(true)
}

/// `br_vlan_put_master`: the context entry goes with its last user.
fn br_vlan_put_master(k: &mut Kernel, bridge: DevId, vid: u16) {
    let vg = &mut br_mut(k, bridge).vlans;
    if let Some(v) = vg.find_mut(vid) {
        v.port_refs = v.port_refs.saturating_sub(1);
        if v.port_refs == 0 && !v.brentry {
            vg.remove(vid);
        }
    }
}

/// `br_vlan_delete`: only a VLAN the bridge itself is in (ENOENT otherwise).
fn br_vlan_delete(k: &mut Kernel, bridge: DevId, vid: u16) -> KResult<()> {
    if !br(k, bridge).vlans.find(vid).is_some_and(|v| v.brentry) {
        return err(errno::ENOENT);
    }
    let addr = k.dev(bridge).addr;
    fdb::find_delete_local(k, bridge, None, addr, vid);
    fdb::delete_by_port(k, bridge, None, vid, false);
    let vg = &mut br_mut(k, bridge).vlans;
    let Some(v) = vg.find_mut(vid).filter(|v| v.brentry) else {
        return err(errno::ENOENT);
    };
    v.brentry = false;
    let unused = v.port_refs == 0;
    if vg.pvid == vid {
        vg.pvid = 0;
    }
    if unused {
        vg.remove(vid);
    }
    Ok(())
}

/// `nbp_vlan_add`: true when the VLAN was created or its flags changed. A new port VLAN takes
/// a reference on the bridge's entry (`br_vlan_get_master`, creating a context entry), and with
/// BRIDGE_VLAN_INFO_MASTER also makes the bridge a member.
fn nbp_vlan_add(k: &mut Kernel, p: DevId, vid: u16, flags: u16) -> KResult<bool> {
    let Some(bridge) = port(k, p).map(|bp| bp.bridge) else {
        return err(errno::EINVAL);
    };
    if port_vg(k, p).find(vid).is_some() {
        let vg = port_vg_mut(k, p);
        let would_change = vg.flags_update(vid, flags, false);
        vg.flags_update(vid, flags, true);
        return Ok(would_change);
    }
    if flags & vlan_flag::MASTER != 0 {
        br_vlan_add(k, bridge, vid, flags | vlan_flag::BRENTRY)?;
    }
    if br(k, bridge).vlans.find(vid).is_none() {
        br_vlan_add(k, bridge, vid, 0)?;
    }
    if let Some(m) = br_mut(k, bridge).vlans.find_mut(vid) {
        m.port_refs += 1;
    }
    // __vlan_add: the port's address for the new VLAN.
    let addr = k.dev(p).addr;
    let _ = fdb::add_local(k, bridge, Some(p), addr, vid);
    let vg = port_vg_mut(k, p);
    vg.insert(BrVlan {
        vid,
        untagged: false,
        brentry: true,
        port_refs: 0,
    });
    vg.flags_update(vid, flags, true);
    Ok(true)
}

/// `nbp_vlan_delete` (ENOENT when the port is not in the VLAN): its local entry and learned
/// entries of the VLAN go first.
fn nbp_vlan_delete(k: &mut Kernel, p: DevId, vid: u16) -> KResult<()> {
    let Some(bridge) = port(k, p).map(|bp| bp.bridge) else {
        return err(errno::EINVAL);
    };
    if port_vg(k, p).find(vid).is_none() {
        return err(errno::ENOENT);
    }
    let addr = k.dev(p).addr;
    fdb::find_delete_local(k, bridge, Some(p), addr, vid);
    fdb::delete_by_port(k, bridge, Some(p), vid, false);
    __vlan_del_port(k, bridge, p, vid);
    Ok(())
}

/// `__vlan_del` for a port VLAN.
fn __vlan_del_port(k: &mut Kernel, bridge: DevId, p: DevId, vid: u16) {
    let vg = port_vg_mut(k, p);
    if vg.pvid == vid {
        vg.pvid = 0;
    }
    vg.remove(vid);
    br_vlan_put_master(k, bridge, vid);
}

/// `nbp_vlan_init`: a new port joins the default pvid (PVID, egress untagged), whether or not
/// VLAN filtering is on.
fn nbp_vlan_init(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
    let pvid = br(k, bridge).vlan_default_pvid;
    if pvid != 0 {
        nbp_vlan_add(k, p, pvid, vlan_flag::PVID | vlan_flag::UNTAGGED)?;
    }
    Ok(())
}

/// `nbp_vlan_flush`: a leaving port drops all its VLANs.
fn nbp_vlan_flush(k: &mut Kernel, p: DevId) {
    let Some(bridge) = port(k, p).map(|bp| bp.bridge) else {
        return;
    };
    // __vlan_flush → __vlan_del: the FDB is left to br_fdb_delete_by_port.
    let vids: Vec<u16> = port_vg(k, p).vlans.iter().map(|v| v.vid).collect();
    for vid in vids {
        __vlan_del_port(k, bridge, p, vid);
    }
}

/// `__br_vlan_set_default_pvid` (as `br_changelink` calls it: no "filtering must be off"
/// check, that one is sysfs only). Entries the user changed are left alone.
fn set_default_pvid(k: &mut Kernel, bridge: DevId, pvid: u16) -> KResult<()> {
    let old = br(k, bridge).vlan_default_pvid;
    if pvid == 0 {
        // br_vlan_disable_default_pvid.
        if br(k, bridge).vlans.is_default_pvid(old) {
            let _ = br_vlan_delete(k, bridge, old);
        }
        for p in br(k, bridge).ports.clone() {
            if port_vg(k, p).is_default_pvid(old) {
                let _ = nbp_vlan_delete(k, p, old);
            }
        }
        br_mut(k, bridge).vlan_default_pvid = 0;
        return Ok(());
    }
    let vg = &br(k, bridge).vlans;
    let pvent_used = vg.find(pvid).is_some_and(|v| v.brentry);
    if (old == 0 || vg.is_default_pvid(old)) && !pvent_used {
        br_vlan_add(
            k,
            bridge,
            pvid,
            vlan_flag::PVID | vlan_flag::UNTAGGED | vlan_flag::BRENTRY,
        )?;
        let _ = br_vlan_delete(k, bridge, old);
    }
    for p in br(k, bridge).ports.clone() {
        let pvg = port_vg(k, p);
        if (old != 0 && !pvg.is_default_pvid(old)) || pvg.find(pvid).is_some() {
            continue;
        }
        nbp_vlan_add(k, p, pvid, vlan_flag::PVID | vlan_flag::UNTAGGED)?;
        let _ = nbp_vlan_delete(k, p, old);
    }
    br_mut(k, bridge).vlan_default_pvid = pvid;
    Ok(())
}

// ---- AF_BRIDGE RTM_SETLINK / RTM_DELLINK (rtnl_bridge_setlink, br_setlink, br_afspec) ----

/// IFLA_PROTINFO of an AF_BRIDGE RTM_SETLINK, as `br_setlink` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtInfo {
    /// NLA_F_NESTED: IFLA_BRPORT_* attributes (already checked against `br_port_policy`).
    Nested(Vec<BridgePortOpt>),
    /// Old RSTP binary form: a u8 port state.
    State(u8),
    /// Not nested and shorter than a u8.
    Short,
    /// Nested, but `nla_parse_nested_deprecated` against `br_port_policy` failed with this
    /// errno (no extack is passed to it).
    Invalid(i32),
}

/// One attribute of IFLA_AF_SPEC that `br_afspec` acts on, in request order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfSpecEntry {
    /// IFLA_BRIDGE_VLAN_INFO: `struct bridge_vlan_info` (flags, vid).
    VlanInfo { flags: u16, vid: u16 },
    /// IFLA_BRIDGE_VLAN_INFO whose length is not 4.
    BadVlanInfo,
    /// IFLA_BRIDGE_VLAN_TUNNEL_INFO (3).
    TunnelInfo,
    /// IFLA_BRIDGE_MST (6).
    Mst,
    /// IFLA_BRIDGE_MRP (4) / IFLA_BRIDGE_CFM (5).
    Other(u16),
}

/// IFLA_AF_SPEC of an AF_BRIDGE request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BridgeAfSpec {
    /// IFLA_BRIDGE_FLAGS (first copy).
    pub flags: Option<u16>,
    /// An IFLA_BRIDGE_FLAGS (first copy) or (RTM_SETLINK) IFLA_BRIDGE_MODE shorter than a u16.
    pub malformed: bool,
    pub entries: Vec<AfSpecEntry>,
}

/// BRIDGE_FLAGS_MASTER / BRIDGE_FLAGS_SELF.
const BRIDGE_FLAGS_MASTER: u16 = 1;
const BRIDGE_FLAGS_SELF: u16 = 2;

/// AF_BRIDGE RTM_SETLINK or RTM_DELLINK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BridgeCmd {
    SetLink,
    DelLink,
}

/// An extack message, dropped where the kernel passes no extack (`br_dellink`).
fn with_msg(errno: i32, msg: &'static str, extack: bool) -> KernelError {
    let e = KernelError::new(errno);
    if extack {
        e.msg(msg)
    } else {
        e
    }
}

/// `br_vlan_valid_range` (net/bridge/br_private.h).
fn vlan_valid_range(cur: (u16, u16), last: Option<(u16, u16)>, extack: bool) -> KResult<()> {
    let (flags, vid) = cur;
    let bad = |m| Err(with_msg(errno::EINVAL, m, extack));
    if flags & vlan_flag::PVID != 0 {
        return bad("bridge: Pvid isn't allowed in a range");
    }
    if let Some((_, last_vid)) = last {
        if flags & vlan_flag::RANGE_BEGIN != 0 {
            return bad("bridge: Found a new vlan range start while processing one");
        } else if flags & vlan_flag::RANGE_END == 0 {
            return bad("bridge: Vlan range end flag is missing");
        } else if vid <= last_vid {
            return bad("bridge: End vlan id is less than or equal to start vlan id");
        }
    }
    if flags & (vlan_flag::RANGE_BEGIN | vlan_flag::RANGE_END) == 0 {
        return bad("bridge: Both vlan range flags are missing");
    }
    Ok(())
}

/// `br_vlan_info`: one VLAN added to / removed from the port (or the bridge itself).
fn br_vlan_info(
    k: &mut Kernel,
    bridge: DevId,
    p: Option<DevId>,
    cmd: BridgeCmd,
    flags: u16,
    vid: u16,
    changed: &mut bool,
) -> KResult<()> {
    match cmd {
        BridgeCmd::SetLink => {
            let c = match p {
                Some(p) => nbp_vlan_add(k, p, vid, flags)?,
                None => br_vlan_add(k, bridge, vid, flags | vlan_flag::BRENTRY)?,
            };
            *changed |= c;
        }
        BridgeCmd::DelLink => match p {
            Some(p) => {
                *changed |= nbp_vlan_delete(k, p, vid).is_ok();
                if flags & vlan_flag::MASTER != 0 {
                    *changed |= br_vlan_delete(k, bridge, vid).is_ok();
                }
            }
            None => *changed |= br_vlan_delete(k, bridge, vid).is_ok(),
        },
    }
    Ok(())
}

/// `br_afspec`: the VLAN entries in order (ranges as RANGE_BEGIN … RANGE_END pairs, each VLAN
/// checked by `br_vlan_valid_id`); tunnel info, MRP, CFM and MST are not modelled.
fn br_afspec(
    k: &mut Kernel,
    bridge: DevId,
    p: Option<DevId>,
    afspec: &BridgeAfSpec,
    cmd: BridgeCmd,
    changed: &mut bool,
) -> KResult<()> {
    let extack = cmd == BridgeCmd::SetLink;
    let mut last: Option<(u16, u16)> = None;
    for e in &afspec.entries {
        match *e {
            AfSpecEntry::BadVlanInfo => return err(errno::EINVAL),
            AfSpecEntry::VlanInfo { flags, vid } => {
                // br_process_vlan_info.
                if !(1..4095).contains(&vid) {
                    return Err(with_msg(
                        errno::EINVAL,
                        "bridge: Vlan id is invalid",
                        extack,
                    ));
                }
                if flags & vlan_flag::RANGE_BEGIN != 0 {
                    vlan_valid_range((flags, vid), last, extack)?;
                    last = Some((flags, vid));
                    continue;
                }
                if let Some((lflags, lvid)) = last.take() {
                    vlan_valid_range((flags, vid), Some((lflags, lvid)), extack)?;
                    for v in lvid..=vid {
                        br_vlan_info(k, bridge, p, cmd, lflags, v, changed)?;
                    }
                    continue;
                }
                br_vlan_info(k, bridge, p, cmd, flags, vid, changed)?;
            }
            AfSpecEntry::TunnelInfo => {
                if !p
                    .and_then(|p| port(k, p))
                    .is_some_and(|bp| bp.has(port_flag::VLAN_TUNNEL))
                {
                    return err(errno::EINVAL);
                }
                return Err(KernelError::not_modelled(
                    "bridge VLAN tunnel info (IFLA_BRIDGE_VLAN_TUNNEL_INFO)",
                ));
            }
            AfSpecEntry::Mst => {
                if p.is_none() {
                    return Err(with_msg(
                        errno::EINVAL,
                        "MST states can only be set on bridge ports",
                        extack,
                    ));
                }
                if cmd != BridgeCmd::SetLink {
                    return Err(with_msg(
                        errno::EINVAL,
                        "MST states can only be set through RTM_SETLINK",
                        extack,
                    ));
                }
                return Err(KernelError::not_modelled(
                    "bridge MST states (IFLA_BRIDGE_MST)",
                ));
            }
            AfSpecEntry::Other(a) => {
                return Err(KernelError::not_modelled(format!(
                    "AF_BRIDGE IFLA_AF_SPEC attribute IFLA_BRIDGE {a} (MRP/CFM)"
                )));
            }
        }
    }
    Ok(())
}

/// `br_setlink` / `br_dellink` (net/bridge/br_netlink.c) for `dev`, a port of `bridge` or the
/// bridge itself.
fn br_setlink(
    k: &mut Kernel,
    bridge: DevId,
    dev: DevId,
    cmd: BridgeCmd,
    protinfo: Option<&ProtInfo>,
    afspec: Option<&BridgeAfSpec>,
) -> KResult<()> {
    let p = port(k, dev).is_some().then_some(dev);
    if cmd == BridgeCmd::DelLink {
        let Some(afspec) = afspec else {
            return Ok(());
        };
        if p.is_none() && !is_bridge(k.dev(dev)) {
            return err(errno::EINVAL);
        }
        let mut changed = false;
        let r = br_afspec(k, bridge, p, afspec, cmd, &mut changed);
        if changed {
            notify_br_or_port(k, bridge, p);
        }
        return r;
    }
    if protinfo.is_none() && afspec.is_none() {
        return Ok(());
    }
    if p.is_none() && afspec.is_none() {
        return err(errno::EINVAL);
    }
    let mut changed = false;
    if let (Some(p), Some(pi)) = (p, protinfo) {
        match pi {
            ProtInfo::Nested(opts) => setport(k, p, opts)?,
            ProtInfo::State(s) => set_port_state(k, p, *s)?,
            ProtInfo::Short => return err(errno::EINVAL),
            ProtInfo::Invalid(e) => return err(*e),
        }
        changed = true;
    }
    let r = match afspec {
        Some(a) => br_afspec(k, bridge, p, a, cmd, &mut changed),
        None => Ok(()),
    };
    if changed {
        notify_br_or_port(k, bridge, p);
    }
    r
}

/// `br_ifinfo_notify(RTM_NEWLINK, br, p)`: AF_BRIDGE notifications of the bridge device itself
/// are not modelled (its listeners see the port ones).
fn notify_br_or_port(k: &mut Kernel, bridge: DevId, p: Option<DevId>) {
    let _ = bridge;
    if let Some(p) = p {
        k.notify_bridge_port(p, LinkMsg::New);
    }
}

/// `rtnl_bridge_setlink` / `rtnl_bridge_dellink` (net/core/rtnetlink.c) after the header
/// check: the device by index, the IFLA_AF_SPEC flag checks, then its master's
/// `ndo_bridge_setlink` / `_dellink` unless only SELF is asked for, then (SELF) the device's
/// own: only a bridge has one (`br_setlink` on the bridge itself).
pub fn rtnl_bridge_setlink(
    k: &mut Kernel,
    ns: crate::device::NetnsId,
    ifindex: i32,
    cmd: BridgeCmd,
    protinfo: Option<&ProtInfo>,
    afspec: Option<&BridgeAfSpec>,
) -> KResult<()> {
    let dev = u32::try_from(ifindex)
        .ok()
        .and_then(|i| k.dev_by_index(ns, i));
    let Some(dev) = dev else {
        return Err(KernelError::new(errno::ENODEV).msg("unknown ifindex"));
    };
    if afspec.is_some_and(|a| a.malformed) {
        return err(errno::EINVAL);
    }
    let mut flags = afspec.and_then(|a| a.flags).unwrap_or(0);
    if flags == 0 || flags & BRIDGE_FLAGS_MASTER != 0 {
        let Some(master) = k.dev(dev).master.filter(|m| is_bridge(k.dev(*m))) else {
            return err(errno::EOPNOTSUPP);
        };
        br_setlink(k, master, dev, cmd, protinfo, afspec)?;
        flags &= !BRIDGE_FLAGS_MASTER;
    }
    if flags & BRIDGE_FLAGS_SELF != 0 {
        if !is_bridge(k.dev(dev)) {
            return err(errno::EOPNOTSUPP);
        }
        // br_setlink on the bridge itself (the protinfo is ignored: no port), then
        // rtnl_bridge_notify.
        br_setlink(k, dev, dev, cmd, protinfo, afspec)?;
    }
    Ok(())
}

impl LinkOps for BridgeOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("bridge")
    }

    /// `br_dev_setup`.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        eth_hw_addr_random(dev, rng);
        let addr = dev.addr;
        dev.ether_setup();
        dev.addr = addr;
        dev.max_mtu = ETH_MAX_MTU;
        dev.no_queue = true;
        // tso_max_size keeps alloc_netdev's TSO_LEGACY_MAX_SIZE until the first
        // `br_set_gso_limits` (6.12 transcripts: a fresh bridge reports 65536).
        dev.state = KindState::boxed(Box::<BridgeState>::default());
    }

    /// `br_validate`: the address, then (CONFIG_BRIDGE_VLAN_FILTERING) a VLAN protocol that
    /// is 802.1Q or 802.1ad (EPROTONOSUPPORT) and a default pvid below 4095 (EINVAL).
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        super::dummy::eth_validate_request_addr(req)?;
        if let Some(BridgeData(opts)) = req.data::<BridgeData>() {
            for o in opts {
                if let BridgeOpt::VlanProtocol(p) = o {
                    if !matches!(*p, 0x8100 | 0x88a8) {
                        return err(errno::EPROTONOSUPPORT);
                    }
                }
            }
            for o in opts {
                if let BridgeOpt::VlanDefaultPvid(v) = o {
                    if *v >= 4095 {
                        return err(errno::EINVAL);
                    }
                }
            }
        }
        Ok(())
    }

    /// `br_dev_newlink`: register, adopt a given MAC as bridge id, then the options.
    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let has_addr = req.address.is_some();
        let id = k.register_netdevice(dev)?;
        // Measured, not found in the source: on 6.12.117 a new bridge announces a VLAN-less
        // local entry for its address before the default pvid's (bridge-fdb#132, a
        // `bridge monitor fdb`; also with a random MAC and with vlan_default_pvid 0). The
        // 6.12.33 registration path (br_dev_init, br_vlan_bridge_event) has no such call.
        let addr = k.dev(id).addr;
        let _ = fdb::add_local(k, id, None, addr, 0);
        // br_vlan_bridge_event(NETDEV_REGISTER): the bridge joins the default pvid (1).
        let pvid = br(k, id).vlan_default_pvid;
        br_vlan_add(
            k,
            id,
            pvid,
            vlan_flag::PVID | vlan_flag::UNTAGGED | vlan_flag::BRENTRY,
        )?;
        if has_addr {
            let addr = k.dev(id).addr;
            change_bridge_id(k, id, addr);
        }
        if let Some(BridgeData(opts)) = req.data::<BridgeData>() {
            if let Err(e) = changelink(k, id, opts) {
                k.unregister_many(&[id], false);
                return Err(e);
            }
        }
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        match data.downcast_ref::<BridgeData>() {
            Some(BridgeData(opts)) => changelink(k, id, opts),
            None => err(errno::EINVAL),
        }
    }

    /// `br_port_slave_changelink` → `br_setport`.
    fn slave_changelink(
        &self,
        k: &mut Kernel,
        _master: DevId,
        port: DevId,
        data: &PortData,
    ) -> KResult<()> {
        match data.downcast_ref::<BridgePortData>() {
            Some(BridgePortData(opts)) => setport(k, port, opts),
            None => err(errno::EINVAL),
        }
    }

    /// `br_dev_delete`: every port is released, then the bridge goes.
    fn dellink(&self, k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        for p in br(k, id).ports.clone() {
            del_nbp(k, id, p);
        }
        fdb::delete_by_port(k, id, None, 0, true);
        Some(vec![id])
    }

    /// `br_dev_open` → `br_stp_enable_bridge`: ports that are up and oper-up get enabled.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        for p in br(k, id).ports.clone() {
            if k.dev(p).is_running() && k.dev(p).is_oper_up() {
                stp_enable_port(k, id, p);
            }
        }
        if br(k, id).mcast_snooping {
            multicast_join_snoopers(k, id);
        }
        Ok(())
    }

    /// `br_dev_stop` → `br_stp_disable_bridge`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        for p in br(k, id).ports.clone() {
            if port(k, p).is_some_and(|bp| bp.state != port_state::DISABLED) {
                stp_disable_port(k, id, p);
            }
        }
        if br(k, id).mcast_snooping {
            multicast_leave_snoopers(k, id);
        }
    }

    fn is_bridge_master(&self) -> bool {
        true
    }

    fn fdb_add(&self, k: &mut Kernel, dev: DevId, op: &crate::fdb::FdbOp) -> KResult<()> {
        fdb::br_fdb_add(k, dev, op)
    }

    fn fdb_del(&self, k: &mut Kernel, dev: DevId, op: &crate::fdb::FdbOp) -> KResult<()> {
        fdb::br_fdb_delete(k, dev, op)
    }

    fn fdb_get(
        &self,
        k: &Kernel,
        dev: DevId,
        addr: HwAddr,
        vid: u16,
    ) -> KResult<crate::fdb::FdbMsg> {
        fdb::br_fdb_get(k, dev, addr, vid)
    }

    fn fdb_dump(
        &self,
        k: &Kernel,
        dev: DevId,
        filter: Option<DevId>,
        out: &mut Vec<crate::fdb::FdbMsg>,
    ) -> KResult<()> {
        fdb::br_fdb_dump(k, dev, filter, out);
        Ok(())
    }

    /// `br_set_mac_address`: any valid address, even while up; it becomes the bridge id.
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        if k.dev(id).addr != addr {
            change_bridge_id(k, id, addr);
        }
        Ok(())
    }

    /// `br_change_mtu`: the user's MTU sticks (`BROPT_MTU_SET_BY_USER`).
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        k.dev_mut(id).mtu = mtu;
        br_mut(k, id).mtu_set_by_user = true;
        Ok(())
    }

    fn is_master(&self) -> bool {
        true
    }

    fn add_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        add_if(k, master, port)
    }

    fn del_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        del_if(k, master, port)
    }

    /// `br_device_event` for one of the bridge's ports.
    fn port_event(&self, k: &mut Kernel, bridge: DevId, p: DevId, ev: &NetdevEvent) -> KResult<()> {
        let mut notified = false;
        match ev {
            NetdevEvent::ChangeMtu => mtu_auto_adjust(k, bridge),
            NetdevEvent::ChangeAddr => {
                let addr = k.dev(p).addr;
                fdb::changeaddr(k, bridge, p, addr);
                let changed = recalculate_bridge_id(k, bridge);
                if changed {
                    k.call_netdevice_notifiers(bridge, NetdevEvent::ChangeAddr);
                }
            }
            NetdevEvent::Change => {
                let before = port(k, p).map(|bp| bp.state);
                port_carrier_check(k, bridge, p);
                notified = port(k, p).map(|bp| bp.state) != before;
            }
            NetdevEvent::Down if k.dev(bridge).is_running() => {
                stp_disable_port(k, bridge, p);
                notified = true;
            }
            NetdevEvent::Up if k.dev(bridge).is_running() && k.dev(p).is_oper_up() => {
                stp_enable_port(k, bridge, p);
                notified = true;
            }
            NetdevEvent::Unregister => {
                del_if(k, bridge, p)?;
                return Ok(());
            }
            _ => {}
        }
        if !notified
            && matches!(
                ev,
                NetdevEvent::ChangeAddr | NetdevEvent::Up | NetdevEvent::Change | NetdevEvent::Down
            )
        {
            k.notify_bridge_port(p, LinkMsg::New);
        }
        Ok(())
    }

    fn netns_local(&self) -> bool {
        true
    }

    fn fill_info(&self, k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let _ = k;
        let b = dev.state.downcast_ref::<BridgeState>()?;
        Some(KindInfo::new(b.clone()))
    }

    fn fill_slave_info(
        &self,
        _k: &Kernel,
        master: &NetDevice,
        port: &NetDevice,
    ) -> Option<PortInfo> {
        let b = master.state.downcast_ref::<BridgeState>()?;
        let p = port.port.as_ref()?.downcast_ref::<BridgePort>()?;
        Some(PortInfo::new(BridgePortInfo {
            port: p.clone(),
            bridge_id_prio: b.bridge_id_prio,
            bridge_id_addr: b.bridge_id_addr,
        }))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<BridgeState>()
    }

    fn check_links(&self, _k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        let Some(b) = d.state.downcast_ref::<BridgeState>() else {
            return Ok(());
        };
        for f in &b.fdb {
            if let Some(dst) = f.dst {
                if !b.ports.contains(&dst) {
                    return Err(on_dev(
                        d,
                        "fdb",
                        format!("an entry's port, device id {}, is not a port", dst.0),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_invariants(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_ports(k, d).map_err(|why| on_dev(d, "ports", why))
    }
}

#[typetag::serde(name = "Bridge")]
impl KindPriv for BridgeState {}

#[typetag::serde(name = "Bridge")]
impl PortPriv for BridgePort {
    fn master(&self) -> (DevId, Kind) {
        (self.bridge, Kind::BRIDGE)
    }
}

#[typetag::serde(name = "Bridge")]
impl KindInfoValue for BridgeState {}

#[typetag::serde(name = "Bridge")]
impl PortInfoValue for BridgePortInfo {}

/// IFLA_INFO_DATA of a bridge: IFLA_BR_* in the order the request carried them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeData(pub Vec<BridgeOpt>);

#[typetag::serde(name = "Bridge")]
impl KindDataValue for BridgeData {}

/// IFLA_INFO_SLAVE_DATA of a bridge port: IFLA_BRPORT_* in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgePortData(pub Vec<BridgePortOpt>);

#[typetag::serde(name = "Bridge")]
impl PortDataValue for BridgePortData {}

/// Invariant: a bridge's port list and its ports' master agree.
fn check_ports(k: &Kernel, d: &NetDevice) -> Result<(), String> {
    if let Some(b) = d.state.downcast_ref::<BridgeState>() {
        for p in &b.ports {
            let pd = k.try_dev(*p).ok_or(format!("{}: port missing", d.name))?;
            if pd.master != Some(d.id) {
                return Err(format!("{}: port {} has another master", d.name, pd.name));
            }
            match port(k, pd.id) {
                Some(bp) if bp.bridge == d.id => {}
                _ => {
                    return Err(format!(
                        "{}: port {} lacks bridge port state",
                        d.name, pd.name
                    ))
                }
            }
        }
    }
    if let Some(bp) = port(k, d.id) {
        match k
            .try_dev(bp.bridge)
            .and_then(|b| b.state.downcast_ref::<BridgeState>())
        {
            Some(b) if b.ports.contains(&d.id) => {}
            _ => return Err(format!("{}: bridge does not list it", d.name)),
        }
    }
    Ok(())
}

/// One BRIDGE_VLANDB_ENTRY of an RTM_NEWVLAN dump (`br_vlan_fill_vids`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VlanDbEntry {
    pub vid: u16,
    /// BRIDGE_VLANDB_ENTRY_RANGE when above `vid`.
    pub vid_end: u16,
    /// BRIDGE_VLAN_INFO_UNTAGGED / _PVID (`br_vlan_flags`).
    pub flags: u16,
    /// BRIDGE_VLANDB_ENTRY_STATE: `br_vlan_init_state` leaves every VLAN forwarding without
    /// MST, and the model sets no per-VLAN state.
    pub state: u8,
    /// BRIDGE_VLANDB_ENTRY_MCAST_ROUTER: the context's default MDB_RTR_TYPE_TEMP_QUERY.
    pub mcast_router: u8,
}

/// `br_vlan_dump_dev` without BRIDGE_VLANDB_DUMPF_GLOBAL: the usable VLANs of a bridge or
/// port in vid order, consecutive ones with equal flags and options merged into a range
/// (`br_vlan_can_enter_range`: never the pvid; with BRIDGE_VLANDB_DUMPF_STATS never at all).
/// None: neither a bridge nor a port.
pub fn vlan_dump(k: &Kernel, dev: DevId, dump_stats: bool) -> Option<Vec<VlanDbEntry>> {
    let vg = if is_bridge(k.dev(dev)) {
        &br(k, dev).vlans
    } else {
        &port(k, dev)?.vlans
    };
    let pvid = vg.pvid;
    let flags_of = |v: &BrVlan| {
        let mut f = 0;
        if v.untagged {
            f |= vlan_flag::UNTAGGED;
        }
        if v.vid == pvid {
            f |= vlan_flag::PVID;
        }
        f
    };
    let mut out: Vec<VlanDbEntry> = Vec::new();
    let mut last: Option<&BrVlan> = None;
    for v in vg.vlans.iter().filter(|v| v.brentry) {
        if let (Some(end), Some(cur)) = (last, out.last_mut()) {
            if !dump_stats
                && v.vid != pvid
                && end.vid != pvid
                && v.vid == end.vid + 1
                && v.untagged == end.untagged
            {
                cur.vid_end = v.vid;
                last = Some(v);
                continue;
            }
        }
        out.push(VlanDbEntry {
            vid: v.vid,
            vid_end: v.vid,
            flags: flags_of(v),
            state: port_state::FORWARDING,
            mcast_router: 1,
        });
        last = Some(v);
    }
    Some(out)
}

/// A per-VLAN multicast context (`struct net_bridge_mcast` of a bridge VLAN) as
/// `br_multicast_ctx_init` starts it: the defaults, not the bridge's own options. Intervals in
/// clock_t as `jiffies_to_clock_t` reports them (HZ=250). nlsim has no RTM_NEWVLAN global
/// options, so every VLAN keeps these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VlanMcastCtx {
    pub igmp_version: u8,
    pub mld_version: u8,
    pub last_member_cnt: u32,
    pub startup_query_cnt: u32,
    pub querier: u8,
    pub last_member_intvl: u64,
    pub membership_intvl: u64,
    pub querier_intvl: u64,
    pub query_intvl: u64,
    pub query_response_intvl: u64,
    pub startup_query_intvl: u64,
}

impl Default for VlanMcastCtx {
    /// `br_multicast_ctx_init`.
    fn default() -> Self {
        VlanMcastCtx {
            igmp_version: 2,
            mld_version: 1,
            last_member_cnt: 2,
            startup_query_cnt: 2,
            querier: 0,
            last_member_intvl: 100,
            membership_intvl: 26000,
            querier_intvl: 25500,
            query_intvl: 12500,
            query_response_intvl: 1000,
            // 125 * HZ / 4 = 7812 jiffies, reported as 3124.
            startup_query_intvl: 3124,
        }
    }
}

/// One BRIDGE_VLANDB_GLOBAL_OPTIONS of an RTM_NEWVLAN global dump (`br_vlan_global_opts_fill`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VlanGlobalEntry {
    pub vid: u16,
    /// BRIDGE_VLANDB_GOPTS_RANGE when above `vid`.
    pub vid_end: u16,
    /// BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING: BR_VLFLAG_GLOBAL_MCAST_ENABLED, set by `__vlan_add`
    /// on every bridge VLAN.
    pub mcast_snooping: bool,
    pub ctx: VlanMcastCtx,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_STATE is put (`br_multicast_dump_querier_state`):
    /// bridge snooping on and the VLAN's global context enabled (needs
    /// BR_BOOLOPT_MCAST_VLAN_SNOOPING); empty without a querier.
    pub querier_state: bool,
    /// BRIDGE_VLANDB_GOPTS_MSTI (0: MST is not modelled).
    pub msti: u16,
}

/// `br_vlan_dump_dev` with BRIDGE_VLANDB_DUMPF_GLOBAL: every VLAN of a bridge's group (the
/// port VLANs' context entries too), consecutive ones merged while
/// `br_vlan_global_opts_can_enter_range` holds (same MSTI, snooping flag and
/// `br_multicast_ctx_options_equal`). None: neither a bridge nor a port; Some(None): a port
/// ("global options are dumped only for bridge devices": no message).
pub fn vlan_global_dump(k: &Kernel, dev: DevId) -> Option<Option<Vec<VlanGlobalEntry>>> {
    if !is_bridge(k.dev(dev)) {
        return port(k, dev).map(|_| None);
    }
    let b = br(k, dev);
    // br_multicast_ctx_vlan_global_disabled: needs BROPT_MCAST_VLAN_SNOOPING_ENABLED.
    let querier_state = b.mcast_snooping && b.boolopts & BOOLOPT_MCAST_VLAN_SNOOPING != 0;
    let mut out: Vec<VlanGlobalEntry> = Vec::new();
    for v in &b.vlans.vlans {
        let e = VlanGlobalEntry {
            vid: v.vid,
            vid_end: v.vid,
            mcast_snooping: true,
            ctx: VlanMcastCtx::default(),
            querier_state,
            msti: 0,
        };
        if let Some(cur) = out.last_mut() {
            if v.vid == cur.vid_end + 1
                && cur.msti == e.msti
                && cur.mcast_snooping == e.mcast_snooping
                && cur.ctx == e.ctx
            {
                cur.vid_end = v.vid;
                continue;
            }
        }
        out.push(e);
    }
    Some(Some(out))
}

/// One BRIDGE_XSTATS_VLAN (`struct bridge_vlan_xstats`): nlsim forwards no frames, so the
/// byte and packet counters are 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VlanXstats {
    pub vid: u16,
    /// `v->flags` | BRIDGE_VLAN_INFO_PVID for the pvid.
    pub flags: u16,
}

/// What `br_fill_linkxstats` puts in LINK_XSTATS_TYPE_BRIDGE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BridgeXstats {
    /// Every VLAN of the group, placeholder (context) entries included.
    pub vlans: Vec<VlanXstats>,
    /// Ports: BRIDGE_XSTATS_STP (transition_blk, transition_fwd; BPDU/TCN counters 0).
    pub stp: Option<(u64, u64)>,
}

/// `br_fill_linkxstats` for IFLA_STATS_LINK_XSTATS (`slave` false: `dev` is a bridge) or
/// IFLA_STATS_LINK_XSTATS_SLAVE (`dev` is a bridge port). None: nothing to fill.
///
/// The flags are rebuilt from the model: a bridge entry has BRIDGE_VLAN_INFO_MASTER, and
/// BRENTRY once the bridge itself is in the VLAN (`br_vlan_add`); UNTAGGED as committed by
/// `__vlan_flags_commit`. (The kernel also keeps the RANGE_BEGIN bit of a range request in
/// `v->flags`; the model does not.)
pub fn linkxstats(k: &Kernel, dev: DevId, slave: bool) -> Option<BridgeXstats> {
    let (vg, master, stp) = if slave {
        let p = port(k, dev)?;
        (
            &p.vlans,
            false,
            Some((p.stp_transition_blk, p.stp_transition_fwd)),
        )
    } else {
        if !is_bridge(k.dev(dev)) {
            return None;
        }
        (&br(k, dev).vlans, true, None)
    };
    let vlans = vg
        .vlans
        .iter()
        .map(|v| {
            let mut flags = 0;
            if master {
                flags |= vlan_flag::MASTER;
                if v.brentry {
                    flags |= vlan_flag::BRENTRY;
                }
            }
            if v.untagged {
                flags |= vlan_flag::UNTAGGED;
            }
            if v.vid == vg.pvid {
                flags |= vlan_flag::PVID;
            }
            VlanXstats { vid: v.vid, flags }
        })
        .collect();
    Some(BridgeXstats { vlans, stp })
}
