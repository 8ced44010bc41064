//! The bridge forwarding database (net/bridge/br_fdb.c): the local entries the bridge
//! installs for its own and its ports' addresses (per VLAN), static entries from
//! RTM_NEWNEIGH, their removal when ports leave or VLANs go, and `br_fdb_dump`.
//!
//! nlsim forwards no frames, so nothing is ever learned, and it has no clock: `dynamic`
//! entries a user adds never age out, and NDA_CACHEINFO reports 0 for used/updated.

use super::{br, br_mut, port, port_flag, port_vg, VlanGroup};
use crate::device::DevId;
use crate::error::{KResult, KernelError};
use crate::fdb::{ntf, nud, FdbMsg, FdbOp};
use crate::hwaddr::HwAddr;
use crate::kernel::{Kernel, LinkMsg};
use crate::uapi::errno;
use serde::{Deserialize, Serialize};

/// `BR_FDB_*` flag bits the model uses.
pub mod fdb_flag {
    pub const LOCAL: u8 = 1 << 0;
    pub const STATIC: u8 = 1 << 1;
    pub const STICKY: u8 = 1 << 2;
    pub const ADDED_BY_USER: u8 = 1 << 3;
}

/// `struct net_bridge_fdb_entry`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FdbEntry {
    pub addr: HwAddr,
    pub vid: u16,
    /// `fdb->dst`: the port, or None for the bridge's own entries.
    pub dst: Option<DevId>,
    pub flags: u8,
}

impl FdbEntry {
    fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
}

fn find(k: &Kernel, bridge: DevId, addr: HwAddr, vid: u16) -> Option<usize> {
    br(k, bridge)
        .fdb
        .iter()
        .position(|f| f.addr == addr && f.vid == vid)
}

/// `br_vlan_find` + `br_vlan_should_use` on the bridge's own group.
fn br_vlan_usable(vg: &VlanGroup, vid: u16) -> bool {
    vg.vlans.iter().any(|v| v.vid == vid && v.brentry)
}

/// The VLANs `br_fdb_add` / `br_fdb_changeaddr` walk (`list_for_each_entry(v, &vg->vlan_list)`
/// with `br_vlan_should_use`): a port's VLANs, or the bridge's own entries.
fn usable_vids(k: &Kernel, bridge: DevId, p: Option<DevId>) -> Vec<u16> {
    match p {
        Some(p) => port_vg(k, p).vlans.iter().map(|v| v.vid).collect(),
        None => br(k, bridge)
            .vlans
            .vlans
            .iter()
            .filter(|v| v.brentry)
            .map(|v| v.vid)
            .collect(),
    }
}

fn fill(k: &Kernel, bridge: DevId, f: &FdbEntry) -> FdbMsg {
    let ifindex = k.dev(f.dst.unwrap_or(bridge)).ifindex;
    let mut flags = 0;
    if f.has(fdb_flag::STICKY) {
        flags |= ntf::STICKY;
    }
    FdbMsg {
        ifindex,
        state: fdb_to_nud(f),
        flags,
        addr: f.addr,
        vid: f.vid,
        master: Some(k.dev(bridge).ifindex),
        ext_flags: 0,
    }
}

/// `fdb_to_nud` (nothing learned ever expires: no clock).
fn fdb_to_nud(f: &FdbEntry) -> u16 {
    if f.has(fdb_flag::LOCAL) {
        nud::PERMANENT
    } else if f.has(fdb_flag::STATIC) {
        nud::NOARP
    } else {
        nud::REACHABLE
    }
}

/// `fdb_notify`.
fn fdb_notify(k: &mut Kernel, bridge: DevId, idx: usize, msg: LinkMsg) {
    let m = fill(k, bridge, &br(k, bridge).fdb[idx]);
    let netns = k.dev(bridge).netns;
    k.push_fdb_event(netns, msg, m);
}

/// `fdb_add_hw_addr`: static addresses go to the unicast filter of non-promiscuous ports.
fn fdb_add_hw_addr(k: &mut Kernel, bridge: DevId, addr: HwAddr) {
    for p in br(k, bridge).ports.clone() {
        if !port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
            k.dev_uc_add(p, addr);
        }
    }
}

/// `fdb_del_hw_addr`.
fn fdb_del_hw_addr(k: &mut Kernel, bridge: DevId, addr: HwAddr) {
    for p in br(k, bridge).ports.clone() {
        if !port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
            k.dev_uc_del(p, addr);
        }
    }
}

/// `fdb_delete`.
fn fdb_delete(k: &mut Kernel, bridge: DevId, idx: usize) {
    let f = br(k, bridge).fdb[idx].clone();
    if f.has(fdb_flag::STATIC) {
        fdb_del_hw_addr(k, bridge, f.addr);
    }
    fdb_notify(k, bridge, idx, LinkMsg::Del);
    br_mut(k, bridge).fdb.remove(idx);
}

/// `fdb_delete_local`: a local entry moves to another port (or the bridge) with the same
/// address instead of going away.
fn fdb_delete_local(k: &mut Kernel, bridge: DevId, p: Option<DevId>, idx: usize) {
    let f = br(k, bridge).fdb[idx].clone();
    for op in br(k, bridge).ports.clone() {
        if Some(op) != p
            && k.dev(op).addr == f.addr
            && (f.vid == 0 || port_vg(k, op).vlans.iter().any(|v| v.vid == f.vid))
        {
            let e = &mut br_mut(k, bridge).fdb[idx];
            e.dst = Some(op);
            e.flags &= !fdb_flag::ADDED_BY_USER;
            return;
        }
    }
    if p.is_some()
        && k.dev(bridge).addr == f.addr
        && (f.vid == 0 || br_vlan_usable(&br(k, bridge).vlans, f.vid))
    {
        let e = &mut br_mut(k, bridge).fdb[idx];
        e.dst = None;
        e.flags &= !fdb_flag::ADDED_BY_USER;
        return;
    }
    fdb_delete(k, bridge, idx);
}

/// `br_fdb_find_delete_local`.
pub(super) fn find_delete_local(
    k: &mut Kernel,
    bridge: DevId,
    p: Option<DevId>,
    addr: HwAddr,
    vid: u16,
) {
    if let Some(idx) = find(k, bridge, addr, vid) {
        let f = &br(k, bridge).fdb[idx];
        if f.has(fdb_flag::LOCAL) && !f.has(fdb_flag::ADDED_BY_USER) && f.dst == p {
            fdb_delete_local(k, bridge, p, idx);
        }
    }
}

/// `fdb_create`: new entries are linked at the head of `br->fdb_list`.
fn fdb_create(
    k: &mut Kernel,
    bridge: DevId,
    src: Option<DevId>,
    addr: HwAddr,
    vid: u16,
    flags: u8,
) {
    br_mut(k, bridge).fdb.insert(
        0,
        FdbEntry {
            addr,
            vid,
            dst: src,
            flags,
        },
    );
}

/// `br_fdb_add_local` / `fdb_add_local`.
pub(super) fn add_local(
    k: &mut Kernel,
    bridge: DevId,
    src: Option<DevId>,
    addr: HwAddr,
    vid: u16,
) -> KResult<()> {
    if !addr.is_valid_ether() {
        return Err(KernelError::new(errno::EINVAL));
    }
    if let Some(idx) = find(k, bridge, addr, vid) {
        // "it is okay to have multiple ports with same address, just use the first one."
        if br(k, bridge).fdb[idx].has(fdb_flag::LOCAL) {
            return Ok(());
        }
        fdb_delete(k, bridge, idx);
    }
    fdb_create(
        k,
        bridge,
        src,
        addr,
        vid,
        fdb_flag::LOCAL | fdb_flag::STATIC,
    );
    fdb_add_hw_addr(k, bridge, addr);
    fdb_notify(k, bridge, 0, LinkMsg::New);
    Ok(())
}

/// `br_fdb_changeaddr`: a port's address changed.
pub(super) fn changeaddr(k: &mut Kernel, bridge: DevId, p: DevId, newaddr: HwAddr) {
    let has_vlans = port_vg(k, p).num_vlans() > 0;
    let mut i = 0;
    while i < br(k, bridge).fdb.len() {
        let f = &br(k, bridge).fdb[i];
        if f.dst == Some(p) && f.has(fdb_flag::LOCAL) && !f.has(fdb_flag::ADDED_BY_USER) {
            let len = br(k, bridge).fdb.len();
            fdb_delete_local(k, bridge, Some(p), i);
            if !has_vlans {
                break;
            }
            if br(k, bridge).fdb.len() < len {
                continue;
            }
        }
        i += 1;
    }
    let _ = add_local(k, bridge, Some(p), newaddr, 0);
    if !has_vlans {
        return;
    }
    for vid in usable_vids(k, bridge, Some(p)) {
        let _ = add_local(k, bridge, Some(p), newaddr, vid);
    }
}

/// `br_fdb_change_mac_address`: the bridge's own address changed (called by
/// `br_stp_change_bridge_id` before the address is set).
pub(super) fn change_mac_address(k: &mut Kernel, bridge: DevId, newaddr: HwAddr) {
    let old = k.dev(bridge).addr;
    let is_own =
        |f: &FdbEntry| f.has(fdb_flag::LOCAL) && f.dst.is_none() && !f.has(fdb_flag::ADDED_BY_USER);
    if let Some(idx) = find(k, bridge, old, 0) {
        if is_own(&br(k, bridge).fdb[idx]) {
            fdb_delete_local(k, bridge, None, idx);
        }
    }
    let _ = add_local(k, bridge, None, newaddr, 0);
    for vid in usable_vids(k, bridge, None) {
        if let Some(idx) = find(k, bridge, old, vid) {
            if is_own(&br(k, bridge).fdb[idx]) {
                fdb_delete_local(k, bridge, None, idx);
            }
        }
        let _ = add_local(k, bridge, None, newaddr, vid);
    }
}

/// `br_fdb_delete_by_port`: `do_all` also removes static and local entries (a port leaving,
/// the bridge going); otherwise only learned ones of `vid` (or all VLANs when 0).
pub(super) fn delete_by_port(
    k: &mut Kernel,
    bridge: DevId,
    p: Option<DevId>,
    vid: u16,
    do_all: bool,
) {
    let mut i = 0;
    while i < br(k, bridge).fdb.len() {
        let f = br(k, bridge).fdb[i].clone();
        if f.dst != p || (!do_all && (f.has(fdb_flag::STATIC) || (vid != 0 && f.vid != vid))) {
            i += 1;
            continue;
        }
        let len = br(k, bridge).fdb.len();
        if f.has(fdb_flag::LOCAL) {
            fdb_delete_local(k, bridge, p, i);
        } else {
            fdb_delete(k, bridge, i);
        }
        if br(k, bridge).fdb.len() == len {
            i += 1;
        }
    }
}

/// The addresses of the static entries (local ones included), in `fdb_list` order.
fn static_addrs(k: &Kernel, bridge: DevId) -> Vec<HwAddr> {
    br(k, bridge)
        .fdb
        .iter()
        .filter(|f| f.has(fdb_flag::STATIC))
        .map(|f| f.addr)
        .collect()
}

/// `br_fdb_sync_static`: a port leaving promiscuous mode gets every static address.
pub(super) fn sync_static(k: &mut Kernel, bridge: DevId, p: DevId) {
    for a in static_addrs(k, bridge) {
        k.dev_uc_add(p, a);
    }
}

/// `br_fdb_unsync_static`.
pub(super) fn unsync_static(k: &mut Kernel, bridge: DevId, p: DevId) {
    for a in static_addrs(k, bridge) {
        k.dev_uc_del(p, a);
    }
}

/// `fdb_add_entry`: create or update one entry from RTM_NEWNEIGH.
fn fdb_add_entry(
    k: &mut Kernel,
    bridge: DevId,
    src: Option<DevId>,
    op: &FdbOp,
    vid: u16,
) -> KResult<()> {
    let state = op.state;
    let sticky = op.ndm_flags & ntf::STICKY != 0;
    // If the port cannot learn allow only local and static entries.
    if let Some(p) = src {
        let learning = port(k, p).is_some_and(|bp| {
            matches!(
                bp.state,
                super::port_state::LEARNING | super::port_state::FORWARDING
            )
        });
        if state & (nud::PERMANENT | nud::NOARP) == 0 && !learning {
            return Err(KernelError::new(errno::EPERM));
        }
    }
    if src.is_none() && state & nud::PERMANENT == 0 {
        return Err(KernelError::new(errno::EINVAL));
    }
    if sticky && state & nud::PERMANENT != 0 {
        return Err(KernelError::new(errno::EINVAL));
    }
    let mut modified = false;
    let idx = match find(k, bridge, op.addr, vid) {
        None => {
            if !op.nlm.create {
                return Err(KernelError::new(errno::ENOENT));
            }
            fdb_create(k, bridge, src, op.addr, vid, fdb_flag::ADDED_BY_USER);
            modified = true;
            0
        }
        Some(idx) => {
            if op.nlm.excl {
                return Err(KernelError::new(errno::EEXIST));
            }
            let e = &mut br_mut(k, bridge).fdb[idx];
            if e.dst != src {
                e.dst = src;
                modified = true;
            }
            e.flags |= fdb_flag::ADDED_BY_USER;
            idx
        }
    };
    if fdb_to_nud(&br(k, bridge).fdb[idx]) != state {
        let was_static = br(k, bridge).fdb[idx].has(fdb_flag::STATIC);
        let e = &mut br_mut(k, bridge).fdb[idx];
        if state & nud::PERMANENT != 0 {
            e.flags |= fdb_flag::LOCAL | fdb_flag::STATIC;
            if !was_static {
                fdb_add_hw_addr(k, bridge, op.addr);
            }
        } else if state & nud::NOARP != 0 {
            e.flags &= !fdb_flag::LOCAL;
            e.flags |= fdb_flag::STATIC;
            if !was_static {
                fdb_add_hw_addr(k, bridge, op.addr);
            }
        } else {
            e.flags &= !(fdb_flag::LOCAL | fdb_flag::STATIC);
            if was_static {
                fdb_del_hw_addr(k, bridge, op.addr);
            }
        }
        modified = true;
    }
    let e = &mut br_mut(k, bridge).fdb[idx];
    if sticky != e.has(fdb_flag::STICKY) {
        e.flags ^= fdb_flag::STICKY;
        modified = true;
    }
    if modified {
        fdb_notify(k, bridge, idx, LinkMsg::New);
    }
    Ok(())
}

/// `__br_fdb_add`.
fn br_fdb_add_one(
    k: &mut Kernel,
    bridge: DevId,
    src: Option<DevId>,
    op: &FdbOp,
    vid: u16,
) -> KResult<()> {
    if op.ndm_flags & (ntf::USE | ntf::EXT_LEARNED) != 0 {
        return Err(KernelError::not_modelled(
            "FDB entries with NTF_USE or NTF_EXT_LEARNED (learning)",
        ));
    }
    fdb_add_entry(k, bridge, src, op, vid)
}

/// The bridge and port of `dev` (`netif_is_bridge_master` or `br_port_get_rtnl`).
fn bridge_of(k: &Kernel, dev: DevId) -> KResult<(DevId, Option<DevId>)> {
    if super::is_bridge(k.dev(dev)) {
        return Ok((dev, None));
    }
    match port(k, dev) {
        Some(bp) => Ok((bp.bridge, Some(dev))),
        None => Err(KernelError::new(errno::EINVAL)),
    }
}

/// `br_fdb_add`: without a VLAN, the entry is also added for every VLAN of the port (or of the
/// bridge).
pub(super) fn br_fdb_add(k: &mut Kernel, dev: DevId, op: &FdbOp) -> KResult<()> {
    if op.state & (nud::PERMANENT | nud::NOARP | nud::REACHABLE) == 0 {
        return Err(KernelError::new(errno::EINVAL));
    }
    if op.addr.is_zero() {
        return Err(KernelError::new(errno::EINVAL));
    }
    let (bridge, p) = bridge_of(k, dev)?;
    if op.flags_ext.is_some_and(|f| f & 0x1 != 0) {
        // NTF_EXT_LOCKED.
        return Err(KernelError::new(errno::EINVAL)
            .msg("bridge: Cannot add FDB entry with \"locked\" flag set"));
    }
    if op.fdb_ext_attrs {
        return Err(KernelError::not_modelled(
            "FDB activity notification (NDA_FDB_EXT_ATTRS)",
        ));
    }
    let vids = usable_vids(k, bridge, p);
    if op.vid != 0 {
        if !vids.contains(&op.vid) {
            return Err(KernelError::new(errno::EINVAL));
        }
        return br_fdb_add_one(k, bridge, p, op, op.vid);
    }
    br_fdb_add_one(k, bridge, p, op, 0)?;
    for vid in vids {
        br_fdb_add_one(k, bridge, p, op, vid)?;
    }
    Ok(())
}

/// `fdb_delete_by_addr_and_port`.
fn delete_by_addr_and_port(
    k: &mut Kernel,
    bridge: DevId,
    p: Option<DevId>,
    addr: HwAddr,
    vid: u16,
) -> KResult<()> {
    match find(k, bridge, addr, vid) {
        Some(idx) if br(k, bridge).fdb[idx].dst == p => {
            fdb_delete(k, bridge, idx);
            Ok(())
        }
        _ => Err(KernelError::new(errno::ENOENT)),
    }
}

/// `br_fdb_delete`: without a VLAN, every VLAN's entry too; ENOENT only if none existed.
pub(super) fn br_fdb_delete(k: &mut Kernel, dev: DevId, op: &FdbOp) -> KResult<()> {
    let (bridge, p) = bridge_of(k, dev)?;
    if op.vid != 0 {
        let known = match p {
            Some(p) => port_vg(k, p).vlans.iter().any(|v| v.vid == op.vid),
            None => br(k, bridge).vlans.vlans.iter().any(|v| v.vid == op.vid),
        };
        if !known {
            return Err(KernelError::new(errno::EINVAL));
        }
        return delete_by_addr_and_port(k, bridge, p, op.addr, op.vid);
    }
    // err = -ENOENT; err &= each result: 0 as soon as one deletion succeeded.
    let mut found = delete_by_addr_and_port(k, bridge, p, op.addr, 0).is_ok();
    for vid in usable_vids(k, bridge, p) {
        found |= delete_by_addr_and_port(k, bridge, p, op.addr, vid).is_ok();
    }
    if found {
        Ok(())
    } else {
        Err(KernelError::new(errno::ENOENT))
    }
}

/// `br_fdb_get`.
pub(super) fn br_fdb_get(k: &Kernel, bridge: DevId, addr: HwAddr, vid: u16) -> KResult<FdbMsg> {
    let Some(idx) = find(k, bridge, addr, vid) else {
        return Err(KernelError::new(errno::ENOENT).msg("Fdb entry not found"));
    };
    Ok(fill(k, bridge, &br(k, bridge).fdb[idx]))
}

/// `br_fdb_dump`: the bridge's own address lists and entries (no filter), or the entries
/// towards one port.
pub(super) fn br_fdb_dump(k: &Kernel, bridge: DevId, filter: Option<DevId>, out: &mut Vec<FdbMsg>) {
    if filter.is_none() {
        crate::fdb::ndo_dflt_fdb_dump(k, bridge, out);
    }
    for f in &br(k, bridge).fdb {
        let keep = match filter {
            Some(fd) if fd == bridge => f.dst.is_none(),
            Some(fd) => f.dst == Some(fd),
            None => f.dst.is_none(),
        };
        if keep {
            out.push(fill(k, bridge, f));
        }
    }
}
