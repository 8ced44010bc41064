//! VLAN filtering (net/bridge/br_vlan.c, br_vlan_options.c): per-port and bridge VLAN
//! groups, the default pvid, and the VLAN database dumps.

use super::*;

pub(super) fn port_vg(k: &Kernel, p: DevId) -> &VlanGroup {
    match port(k, p) {
        Some(bp) => &bp.vlans,
        None => unreachable!("model invariant: VLAN group of a bridge port"),
    }
}

pub(super) fn port_vg_mut(k: &mut Kernel, p: DevId) -> &mut VlanGroup {
    match port_mut(k, p) {
        Some(bp) => &mut bp.vlans,
        None => unreachable!("model invariant: VLAN group of a bridge port"),
    }
}

/// `br_vlan_add` (with `br_vlan_add_existing`): true when the VLAN was created or changed.
pub(super) fn br_vlan_add(k: &mut Kernel, bridge: DevId, vid: u16, flags: u16) -> KResult<bool> {
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
pub(super) fn br_vlan_put_master(k: &mut Kernel, bridge: DevId, vid: u16) {
    let vg = &mut br_mut(k, bridge).vlans;
    if let Some(v) = vg.find_mut(vid) {
        v.port_refs = v.port_refs.saturating_sub(1);
        if v.port_refs == 0 && !v.brentry {
            vg.remove(vid);
        }
    }
}

/// `br_vlan_delete`: only a VLAN the bridge itself is in (ENOENT otherwise).
pub(super) fn br_vlan_delete(k: &mut Kernel, bridge: DevId, vid: u16) -> KResult<()> {
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
pub(super) fn nbp_vlan_add(k: &mut Kernel, p: DevId, vid: u16, flags: u16) -> KResult<bool> {
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
pub(super) fn nbp_vlan_delete(k: &mut Kernel, p: DevId, vid: u16) -> KResult<()> {
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
pub(super) fn __vlan_del_port(k: &mut Kernel, bridge: DevId, p: DevId, vid: u16) {
    let vg = port_vg_mut(k, p);
    if vg.pvid == vid {
        vg.pvid = 0;
    }
    vg.remove(vid);
    br_vlan_put_master(k, bridge, vid);
}

/// `nbp_vlan_init`: a new port joins the default pvid (PVID, egress untagged), whether or not
/// VLAN filtering is on.
pub(super) fn nbp_vlan_init(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
    let pvid = br(k, bridge).vlan_default_pvid;
    if pvid != 0 {
        nbp_vlan_add(k, p, pvid, vlan_flag::PVID | vlan_flag::UNTAGGED)?;
    }
    Ok(())
}

/// `nbp_vlan_flush`: a leaving port drops all its VLANs.
pub(super) fn nbp_vlan_flush(k: &mut Kernel, p: DevId) {
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
pub(super) fn set_default_pvid(k: &mut Kernel, bridge: DevId, pvid: u16) -> KResult<()> {
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
