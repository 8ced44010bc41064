//! What `br_fill_info` / `br_port_fill_attrs` (net/bridge/br_netlink.c, Linux 6.12) report of
//! the `struct net_bridge` / `struct net_bridge_port` fields the model does not keep: their
//! values on a bridge that runs no kernel STP, learns nothing and keeps no mdb. The fields it
//! keeps are `BridgeState` / `BridgePort` fields; these answer next to them.

use super::{BridgePort, BridgeState};

/// What every STP / fdb timer is reported as: IFLA_BR_HELLO_TIMER, _TCN_TIMER,
/// _TOPOLOGY_CHANGE_TIMER, _GC_TIMER and IFLA_BRPORT_MESSAGE_AGE_TIMER, _FORWARD_DELAY_TIMER,
/// _HOLD_TIMER. `br_timer_value` reports the time left on a pending timer, which on a real
/// kernel depends on wall time: the fdb gc work is queued whenever the bridge is up
/// (`br_stp_enable_bridge`), `br_make_forwarding` arms a port's forward delay timer even with
/// STP off, and `br_become_root_bridge` arms the hello timer once on an up bridge. The model has
/// no clock, so it reports 0 (what an idle, down bridge reports) to stay deterministic; the
/// cross-check against real kernels normalises timer attributes.
pub const BR_TIMER_VALUE: u64 = 0;

/// `br_boolopt_multi_get`: the mask covers every option the kernel knows,
/// GENMASK(BR_BOOLOPT_MAX - 1, 0). 6.12 has three (NO_LL_LEARN, MCAST_VLAN_SNOOPING,
/// MST_ENABLE) → 0x7 (6.18 has five → 0x1f).
const BR_BOOLOPT_MASK_6_12: u32 = 0x7;
/// RHT_ELASTICITY: `br_fill_info` always reports this constant.
const RHT_ELASTICITY: u32 = 16;

impl BridgeState {
    /// `br->root_port`: with STP off the bridge never hears a better root, so
    /// `br_root_selection` finds no root port and the bridge is its own root (designated root
    /// = bridge id, root path cost 0).
    pub fn root_port(&self) -> u16 {
        0
    }

    /// `br->root_path_cost` (see [`Self::root_port`]).
    pub fn root_path_cost(&self) -> u32 {
        0
    }

    /// `br->topology_change` / `_detected`: only set by `br_topology_change_detection`, which
    /// returns early unless the bridge runs kernel STP.
    pub fn topology_change(&self) -> u8 {
        0
    }

    pub fn topology_change_detected(&self) -> u8 {
        0
    }

    /// The mask of IFLA_BR_MULTI_BOOLOPT.
    pub fn boolopt_mask(&self) -> u32 {
        BR_BOOLOPT_MASK_6_12
    }

    /// `br->fdb_n_learned`: the model learns no fdb entries (local entries do not count).
    pub fn fdb_n_learned(&self) -> u32 {
        0
    }

    /// IFLA_BR_MCAST_HASH_ELASTICITY.
    pub fn mcast_hash_elasticity(&self) -> u32 {
        RHT_ELASTICITY
    }
}

impl BridgePort {
    /// `br_become_designated_port`: designated_cost = the bridge's root path cost.
    pub fn designated_cost(&self) -> u16 {
        0
    }

    /// `p->topology_change_ack` / `p->config_pending`: only set by kernel STP BPDU handling.
    pub fn topology_change_ack(&self) -> bool {
        false
    }

    pub fn config_pending(&self) -> bool {
        false
    }

    /// `p->multicast_eht_hosts_cnt`: no group is ever joined.
    pub fn mcast_eht_hosts_cnt(&self) -> u32 {
        0
    }

    /// The model keeps no mdb, so the port is in no group.
    pub fn mcast_n_groups(&self) -> u32 {
        0
    }
}
