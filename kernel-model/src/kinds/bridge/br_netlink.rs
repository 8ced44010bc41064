//! The netlink side of the bridge (net/bridge/br_netlink.c): `br_changelink` options,
//! `br_setport` port options, AF_BRIDGE RTM_SETLINK / RTM_DELLINK and link xstats.

use super::*;

/// The jiffies of a u32 `clock_t` timer and the value IFLA_BR_* then reports.
pub(super) fn timer(v: u32) -> (u64, u32) {
    let t = clock_t_to_jiffies(u64::from(v));
    (t, jiffies_to_clock_t(t) as u32)
}

/// BR_MIN_* / BR_MAX_* (net/bridge/br_private_stp.h), in jiffies.
pub(super) const BR_MIN_HELLO_TIME: u64 = HZ;
pub(super) const BR_MAX_HELLO_TIME: u64 = 10 * HZ;
pub(super) const BR_MIN_FORWARD_DELAY: u64 = 2 * HZ;
pub(super) const BR_MAX_FORWARD_DELAY: u64 = 30 * HZ;
pub(super) const BR_MIN_MAX_AGE: u64 = 6 * HZ;
pub(super) const BR_MAX_MAX_AGE: u64 = 40 * HZ;
pub(super) const BR_MIN_PATH_COST: u32 = 1;
pub(super) const BR_MAX_PATH_COST: u32 = 65535;
/// `BR_MAX_PORT_PRIORITY`: (u16)~0 >> BR_PORT_BITS.
pub(super) const BR_MAX_PORT_PRIORITY: u16 = u16::MAX >> 10;
/// `BR_GROUPFWD_MACPAUSE`: the one bit a port's group_fwd_mask may not have.
pub(super) const BR_GROUPFWD_MACPAUSE: u16 = 1 << 1;
/// BR_MULTICAST_QUERY_INTVL_MIN / _STARTUP_QUERY_INTVL_MIN: 1 s, in jiffies.
pub(super) const BR_MULTICAST_QUERY_INTVL_MIN: u64 = HZ;
/// BR_BOOLOPT_* bits.
pub(super) const BOOLOPT_NO_LL_LEARN: u32 = 1 << 0;
pub(super) const BOOLOPT_MCAST_VLAN_SNOOPING: u32 = 1 << 1;
pub(super) const BOOLOPT_MST_ENABLE: u32 = 1 << 2;
/// BR_BOOLOPT_MAX on 6.12.
pub(super) const BR_BOOLOPT_MAX: u32 = 3;

/// `br_changelink` for one attribute (net/bridge/br_netlink.c, 6.12), with the setter it
/// calls.
pub(super) fn apply_opt(k: &mut Kernel, id: DevId, opt: &BridgeOpt) -> KResult<()> {
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
pub(super) fn boolopt_multi_toggle(
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
pub(super) fn changelink_order(opt: &BridgeOpt) -> u8 {
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

pub(super) fn changelink(k: &mut Kernel, id: DevId, opts: &[BridgeOpt]) -> KResult<()> {
    let mut sorted: Vec<&BridgeOpt> = opts.iter().collect();
    sorted.sort_by_key(|o| changelink_order(o));
    for opt in sorted {
        apply_opt(k, id, opt)?;
    }
    Ok(())
}

/// `br_set_port_state` (net/bridge/br_netlink.c).
pub(super) fn set_port_state(k: &mut Kernel, p: DevId, state: u8) -> KResult<()> {
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
pub const PORT_FLAG_ATTRS: [(u16, u32); 17] = [
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
pub(super) const BRIDGE_FLAGS_MASTER: u16 = 1;
pub(super) const BRIDGE_FLAGS_SELF: u16 = 2;

/// AF_BRIDGE RTM_SETLINK or RTM_DELLINK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BridgeCmd {
    SetLink,
    DelLink,
}

/// An extack message, dropped where the kernel passes no extack (`br_dellink`).
pub(super) fn with_msg(errno: i32, msg: &'static str, extack: bool) -> KernelError {
    let e = KernelError::new(errno);
    if extack {
        e.msg(msg)
    } else {
        e
    }
}

/// `br_vlan_valid_range` (net/bridge/br_private.h).
pub(super) fn vlan_valid_range(
    cur: (u16, u16),
    last: Option<(u16, u16)>,
    extack: bool,
) -> KResult<()> {
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
pub(super) fn br_vlan_info(
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
pub(super) fn br_afspec(
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
pub(super) fn br_setlink(
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
pub(super) fn notify_br_or_port(k: &mut Kernel, bridge: DevId, p: Option<DevId>) {
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
