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

mod br_device;
pub mod br_fill;
mod br_if;
mod br_netlink;
mod br_stp;
mod br_vlan;
pub mod fdb;

use br_device::*;
use br_if::*;
pub use br_netlink::*;
use br_stp::*;
pub use br_vlan::*;

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
        br_dev_open(k, id)
    }

    /// `br_dev_stop` → `br_stp_disable_bridge`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        br_dev_stop(k, id)
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
        br_set_mac_address(k, id, addr)
    }

    /// `br_change_mtu`: the user's MTU sticks (`BROPT_MTU_SET_BY_USER`).
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        br_change_mtu(k, id, mtu)
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
