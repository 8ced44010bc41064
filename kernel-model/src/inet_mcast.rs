//! The link-layer multicast and unicast address lists of a device (`dev->mc`, `dev->uc`,
//! net/core/dev_addr_lists.c) and the IPv4 / IPv6 memberships that fill `dev->mc` on their own:
//! net/ipv4/igmp.c (`ip_mc_up`, all-hosts 224.0.0.1), net/ipv6/mcast.c and addrconf.c
//! (`ipv6_add_dev` joins ff02::1; the link-local address's solicited-node group once the link
//! is ready). `bridge fdb show` lists these lists as `self permanent` entries
//! (`ndo_dflt_fdb_dump`), so their order is behaviour.
//!
//! What is modelled: the groups the kernel joins by itself, on Ethernet devices (the only type
//! `ndo_dflt_fdb_dump` reports), with EUI-64 link-local addresses (the default
//! `addr_gen_mode`). IPv4/IPv6 addresses themselves are not modelled yet: the link-local
//! address only exists here as the solicited-node group it joins. Lists synced to lower
//! devices (`dev_mc_sync` by vlan, macvlan, bond) are not modelled.

use crate::device::DevId;
use crate::error::{KResult, KernelError};
use crate::hwaddr::HwAddr;
use crate::kernel::Kernel;
use crate::uapi::{arphrd, errno, iff};
use serde::{Deserialize, Serialize};

/// `IPV6_MIN_MTU`: below it a device has no IPv6 (`ipv6_add_dev` refuses, NETDEV_CHANGEMTU
/// tears it down).
pub const IPV6_MIN_MTU: u32 = 1280;
use crate::devconf::{slot, Ipv6Conf};
use crate::inet::devinet::IPV4_MIN_MTU;
use crate::inet::fib::uapi::rtnh_f;

/// 224.0.0.1 (`IGMP_ALL_HOSTS`).
pub const IGMP_ALL_HOSTS: [u8; 4] = [224, 0, 0, 1];
/// IN6_ADDR_GEN_MODE_* (include/uapi/linux/if_link.h).
pub const ADDR_GEN_MODE_EUI64: u8 = 0;
pub const ADDR_GEN_MODE_NONE: u8 = 1;
pub const ADDR_GEN_MODE_STABLE_PRIVACY: u8 = 2;
pub const ADDR_GEN_MODE_RANDOM: u8 = 3;

/// ff02::1 (`in6addr_linklocal_allnodes`; ff01::1, joined with it, never reaches `dev->mc`).
const LINK_LOCAL_ALLNODES: [u8; 16] = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// One membership (`struct ip_mc_list` / `struct ifmcaddr6`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McGroup {
    /// An IPv4 group in the first 4 bytes, or an IPv6 group.
    pub addr: [u8; 16],
    pub v6: bool,
    pub users: u32,
    /// `im->loaded` / `MAF_LOADED`: its link-layer address is in `dev->mc`.
    pub loaded: bool,
    /// `mca_cstamp` (= `mca_tstamp`): when it was joined (RTM_GETMULTICAST's cacheinfo).
    #[serde(default)]
    pub cstamp: crate::time::Nanos,
}

/// One entry of `dev->mc`: the model only maps groups on Ethernet devices, so the address is
/// always 6 bytes (`dev_mc_add_excl` of another length is refused before it gets here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct McEntry {
    pub addr: [u8; 6],
    pub refs: u16,
    /// `ha->global_use`: one of the references is a user's (`dev_mc_add_global`).
    #[serde(default)]
    pub global: bool,
}

/// `dev->mc`, in insertion order. Inline room for two entries: a down Ethernet device holds
/// one (33:33:00:00:00:01), so most devices need no allocation for it.
pub type McList = smallvec::SmallVec<[McEntry; 2]>;

/// A device's protocol multicast state.
///
/// Memory: ff01::1 and ff02::1, which every inet6_dev joins first in `ipv6_add_dev` (so they
/// are always the oldest, last, entries of `idev->mc_list`), are kept as `in6` and
/// `allnodes_loaded` instead of list entries; everything else lives in `extra`, allocated
/// only once a device joins something more (an up device, a bridge, a stacked device).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InetMcast {
    /// `dev->ip_ptr` exists.
    pub in4: bool,
    /// `dev->ip6_ptr` exists (with its ff01::1 and ff02::1 memberships).
    pub in6: bool,
    /// When the inet6_dev was made (`ipv6_add_dev`): the cstamp of ff01::1 and ff02::1.
    #[serde(default)]
    pub in6_cstamp: crate::time::Nanos,
    /// `idev->tstamp`: set by `ipv6_add_dev` and each time addrconf configures the link
    /// (IFLA_INET6_CACHEINFO's tstamp).
    #[serde(default)]
    pub in6_tstamp: crate::time::Nanos,
    /// `idev->if_flags & IF_READY`: addrconf configured the device.
    pub if_ready: bool,
    /// ff02::1 is MAF_LOADED (ff01::1 never is: below link-local scope).
    pub allnodes_loaded: bool,
    /// `idev->cnf.addr_gen_mode` (IN6_ADDR_GEN_MODE_*: 0 EUI-64, the default; 1 none).
    #[serde(default)]
    pub addr_gen_mode: u8,
    /// The low 64 bits of `idev->token` (`inet6_set_iftoken`, inet::addrconf_token).
    #[serde(default)]
    pub token: [u8; 8],
    pub extra: Option<Box<InetExtra>>,
    /// `IFF_NO_ADDRCONF` set by a master before it opens a new port (`bond_enslave`), before
    /// the port is linked; afterwards the port's master answers (`no_addrconf`).
    #[serde(default)]
    pub no_addrconf: bool,
}

/// The rest of a device's multicast state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InetExtra {
    /// `in_dev->mc_list` and `idev->mc_list` without the all-nodes groups: newest first, as
    /// the kernel links them.
    pub groups: Vec<McGroup>,
    /// Addresses of this device's lists synced to a lower device (`dev_uc_sync`,
    /// `dev_mc_sync`): (target, address, unicast list).
    pub synced: Vec<(DevId, HwAddr, bool)>,
}

impl InetMcast {
    fn extra(&self) -> Option<&InetExtra> {
        self.extra.as_deref()
    }
    fn extra_mut(&mut self) -> &mut InetExtra {
        self.extra.get_or_insert_with(Box::default)
    }
    fn groups(&self) -> &[McGroup] {
        self.extra().map_or(&[], |e| &e.groups)
    }
    fn synced(&self) -> &[(DevId, HwAddr, bool)] {
        self.extra().map_or(&[], |e| &e.synced)
    }
}

/// `__hw_addr_add_ex` on `dev->mc`.
fn mc_add(list: &mut McList, addr: HwAddr, exclusive: bool) -> KResult<()> {
    let Ok(a) = <[u8; 6]>::try_from(addr.as_bytes()) else {
        return Err(KernelError::not_modelled(
            "multicast list entries that are not 6-byte addresses",
        ));
    };
    match list.iter_mut().find(|e| e.addr == a) {
        Some(_) if exclusive => Err(KernelError::new(errno::EEXIST)),
        Some(e) => {
            // A loaded refcount at its maximum saturates rather than panicking.
            e.refs = e.refs.saturating_add(1);
            Ok(())
        }
        None => {
            list.push(McEntry {
                addr: a,
                refs: 1,
                global: false,
            });
            Ok(())
        }
    }
}

/// `__hw_addr_del_ex` on `dev->mc`.
fn mc_del(list: &mut McList, addr: HwAddr) -> KResult<()> {
    let pos = list
        .iter()
        .position(|e| e.addr == addr.as_bytes())
        .ok_or_else(|| KernelError::new(errno::ENOENT))?;
    list[pos].refs -= 1;
    if list[pos].refs == 0 {
        list.remove(pos);
    }
    Ok(())
}

fn v4(addr: [u8; 4]) -> [u8; 16] {
    let mut a = [0; 16];
    a[..4].copy_from_slice(&addr);
    a
}

/// `ip_eth_mc_map` (via `arp_mc_map` for Ethernet).
fn ip_eth_mc_map(g: &[u8; 16]) -> HwAddr {
    HwAddr::eth([0x01, 0x00, 0x5e, g[1] & 0x7f, g[2], g[3]])
}

/// `ipv6_eth_mc_map` (via `ndisc_mc_map` for Ethernet).
fn ipv6_eth_mc_map(g: &[u8; 16]) -> HwAddr {
    HwAddr::eth([0x33, 0x33, g[12], g[13], g[14], g[15]])
}

/// `IPV6_ADDR_MC_SCOPE`: groups below link-local scope (ff01::) never reach `dev->mc`.
fn v6_scope_below_link(g: &[u8; 16]) -> bool {
    g[1] & 0x0f < 2
}

/// `addrconf_addr_solict_mult`: ff02::1:ffXX:XXXX.
pub(crate) fn solicited_node(addr: &[u8; 16]) -> [u8; 16] {
    let mut g = [0u8; 16];
    g[0] = 0xff;
    g[1] = 0x02;
    g[11] = 0x01;
    g[12] = 0xff;
    g[13..].copy_from_slice(&addr[13..]);
    g
}

/// `__hw_addr_add_ex`: a new address goes to the tail; an existing one gains a reference
/// unless `exclusive` (EEXIST).
fn hw_addr_add(list: &mut Vec<(HwAddr, u32)>, addr: HwAddr, exclusive: bool) -> KResult<()> {
    match list.iter_mut().find(|e| e.0 == addr) {
        Some(_) if exclusive => Err(KernelError::new(errno::EEXIST)),
        Some(e) => {
            e.1 = e.1.saturating_add(1);
            Ok(())
        }
        None => {
            list.push((addr, 1));
            Ok(())
        }
    }
}

/// `__hw_addr_del_ex`: ENOENT for an address not in the list.
fn hw_addr_del(list: &mut Vec<(HwAddr, u32)>, addr: HwAddr) -> KResult<()> {
    let Some(pos) = list.iter().position(|e| e.0 == addr) else {
        return Err(KernelError::new(errno::ENOENT));
    };
    list[pos].1 -= 1;
    if list[pos].1 == 0 {
        list.remove(pos);
    }
    Ok(())
}

impl Kernel {
    /// `dev_mc_add`.
    pub fn dev_mc_add(&mut self, id: DevId, addr: HwAddr) {
        let _ = mc_add(&mut self.dev_mut(id).mc, addr, false);
        self.dev_set_rx_mode(id);
    }

    /// `dev_mc_del` (ENOENT when absent, which callers may ignore).
    pub fn dev_mc_del(&mut self, id: DevId, addr: HwAddr) -> KResult<()> {
        mc_del(&mut self.dev_mut(id).mc, addr)?;
        self.dev_set_rx_mode(id);
        Ok(())
    }

    /// `dev_mc_add_excl`.
    pub fn dev_mc_add_excl(&mut self, id: DevId, addr: HwAddr) -> KResult<()> {
        mc_add(&mut self.dev_mut(id).mc, addr, true)?;
        self.dev_set_rx_mode(id);
        Ok(())
    }

    /// `dev_uc_add_excl`.
    pub fn dev_uc_add_excl(&mut self, id: DevId, addr: HwAddr) -> KResult<()> {
        hw_addr_add(&mut self.dev_mut(id).uc, addr, true)?;
        self.dev_set_rx_mode(id);
        Ok(())
    }

    /// `dev_uc_del` with its error (ENOENT), as `ndo_dflt_fdb_del` returns it.
    pub fn dev_uc_del_checked(&mut self, id: DevId, addr: HwAddr) -> KResult<()> {
        hw_addr_del(&mut self.dev_mut(id).uc, addr)?;
        self.dev_set_rx_mode(id);
        Ok(())
    }

    /// `dev_uc_sync` + `dev_mc_sync` (`__hw_addr_sync`): addresses of `from` not yet on `to`
    /// are added there (in `from`'s list order), those `from` no longer has are removed.
    pub fn dev_addr_sync(&mut self, to: DevId, from: DevId) {
        if !self.devices.contains_key(&to) {
            return;
        }
        let mut changed = false;
        for uc in [true, false] {
            let list: Vec<HwAddr> = {
                let d = self.dev(from);
                if uc {
                    d.uc.iter().map(|e| e.0).collect()
                } else {
                    d.mc.iter().map(|e| HwAddr::eth(e.addr)).collect()
                }
            };
            let stale: Vec<HwAddr> = self
                .dev(from)
                .inet
                .synced()
                .iter()
                .filter(|(t, a, u)| *t == to && *u == uc && !list.contains(a))
                .map(|e| e.1)
                .collect();
            for a in stale {
                let t = self.dev_mut(to);
                let _ = if uc {
                    hw_addr_del(&mut t.uc, a)
                } else {
                    mc_del(&mut t.mc, a)
                };
                self.dev_mut(from)
                    .inet
                    .extra_mut()
                    .synced
                    .retain(|(t, x, u)| !(*t == to && *x == a && *u == uc));
                changed = true;
            }
            for a in list {
                if self.dev(from).inet.synced().contains(&(to, a, uc)) {
                    continue;
                }
                let t = self.dev_mut(to);
                let _ = if uc {
                    hw_addr_add(&mut t.uc, a, false)
                } else {
                    mc_add(&mut t.mc, a, false)
                };
                self.dev_mut(from).inet.extra_mut().synced.push((to, a, uc));
                changed = true;
            }
        }
        if changed {
            self.dev_set_rx_mode(to);
        }
    }

    /// Syncs `from`'s lists to each target; a device that stopped being a target (a bond's
    /// previous active slave, a released port) is unsynced, as the drivers do when they swap
    /// or release it (`bond_hw_addr_swap`, `bond_hw_addr_flush`).
    pub fn dev_addr_sync_targets(&mut self, from: DevId, targets: &[DevId]) {
        for &to in targets {
            self.dev_addr_sync(to, from);
        }
        let mut stale: Vec<DevId> = self
            .dev(from)
            .inet
            .synced()
            .iter()
            .map(|e| e.0)
            .filter(|t| !targets.contains(t))
            .collect();
        stale.dedup();
        for to in stale {
            self.dev_addr_unsync(to, from);
        }
    }

    /// Unsyncs `from` from every device it synced to (a stacked device stopping).
    pub fn dev_addr_unsync_all(&mut self, from: DevId) {
        let mut targets: Vec<DevId> = self.dev(from).inet.synced().iter().map(|e| e.0).collect();
        targets.dedup();
        for to in targets {
            self.dev_addr_unsync(to, from);
        }
    }

    /// `dev_uc_unsync` + `dev_mc_unsync`: everything `from` synced to `to` goes.
    pub fn dev_addr_unsync(&mut self, to: DevId, from: DevId) {
        let gone: Vec<(DevId, HwAddr, bool)> = self
            .dev(from)
            .inet
            .synced()
            .iter()
            .filter(|e| e.0 == to)
            .copied()
            .collect();
        if gone.is_empty() {
            return;
        }
        self.dev_mut(from)
            .inet
            .extra_mut()
            .synced
            .retain(|e| e.0 != to);
        if !self.devices.contains_key(&to) {
            return;
        }
        for (_, a, uc) in gone {
            let t = self.dev_mut(to);
            let _ = if uc {
                hw_addr_del(&mut t.uc, a)
            } else {
                mc_del(&mut t.mc, a)
            };
        }
        self.dev_set_rx_mode(to);
    }

    /// `arp_mc_map` / `ndisc_mc_map` with dir 0: only Ethernet maps a group to a link-layer
    /// address (other types return EINVAL and join nothing in `dev->mc`).
    fn mc_map(&self, id: DevId, addr: &[u8; 16], v6: bool) -> Option<HwAddr> {
        if self.dev(id).dev_type != arphrd::ETHER {
            return None;
        }
        Some(if v6 {
            ipv6_eth_mc_map(addr)
        } else {
            ip_eth_mc_map(addr)
        })
    }

    /// `igmp_group_added` / `igmp6_group_added` for entry `idx` of the extra groups: load the
    /// link-layer address once.
    fn group_added(&mut self, id: DevId, idx: usize) {
        let g = self.dev(id).inet.groups()[idx].clone();
        if g.loaded || (g.v6 && v6_scope_below_link(&g.addr)) {
            return;
        }
        self.dev_mut(id).inet.extra_mut().groups[idx].loaded = true;
        if let Some(hw) = self.mc_map(id, &g.addr, g.v6) {
            self.dev_mc_add(id, hw);
        }
        // igmp6_group_added: on an up device the join is reported (mld_ifc_event /
        // igmp6_join_group), which resolves ff02::16 in the neighbour table.
        if g.v6 && self.dev(id).flags & iff::UP != 0 {
            self.mld_report_output(id);
        }
    }

    /// `igmp_group_dropped` / `igmp6_group_dropped`.
    fn group_dropped(&mut self, id: DevId, idx: usize) {
        let g = self.dev(id).inet.groups()[idx].clone();
        if !g.loaded {
            return;
        }
        self.dev_mut(id).inet.extra_mut().groups[idx].loaded = false;
        if let Some(hw) = self.mc_map(id, &g.addr, g.v6) {
            let _ = self.dev_mc_del(id, hw);
        }
    }

    /// ff02::1 loaded or unloaded (the implicit oldest entry of `idev->mc_list`).
    fn allnodes_set_loaded(&mut self, id: DevId, load: bool) {
        let inet = &self.dev(id).inet;
        if !inet.in6 || inet.allnodes_loaded == load {
            return;
        }
        self.dev_mut(id).inet.allnodes_loaded = load;
        if let Some(hw) = self.mc_map(id, &LINK_LOCAL_ALLNODES, true) {
            if load {
                self.dev_mc_add(id, hw);
            } else {
                let _ = self.dev_mc_del(id, hw);
            }
        }
    }

    /// `ip_mc_inc_group` / `ipv6_dev_mc_inc`: a new membership is linked first and loaded.
    pub fn mc_inc_group(&mut self, id: DevId, addr: [u8; 16], v6: bool) {
        let inet = &self.dev(id).inet;
        if (v6 && !inet.in6) || (!v6 && !inet.in4) {
            return;
        }
        let now = self.now();
        let groups = &mut self.dev_mut(id).inet.extra_mut().groups;
        if let Some(g) = groups.iter_mut().find(|g| g.v6 == v6 && g.addr == addr) {
            g.users = g.users.saturating_add(1);
            return;
        }
        groups.insert(
            0,
            McGroup {
                addr,
                v6,
                users: 1,
                loaded: false,
                cstamp: now,
            },
        );
        self.group_added(id, 0);
    }

    /// `ip_mc_dec_group` / `ipv6_dev_mc_dec`.
    pub fn mc_dec_group(&mut self, id: DevId, addr: [u8; 16], v6: bool) {
        let Some(idx) = self
            .dev(id)
            .inet
            .groups()
            .iter()
            .position(|g| g.v6 == v6 && g.addr == addr)
        else {
            return;
        };
        let g = &mut self.dev_mut(id).inet.extra_mut().groups[idx];
        g.users -= 1;
        if g.users == 0 {
            self.group_dropped(id, idx);
            self.dev_mut(id).inet.extra_mut().groups.remove(idx);
        }
    }

    /// IPv4 group 224.0.0.x etc. as the 16-byte key.
    pub fn ip_mc_inc_group(&mut self, id: DevId, g: [u8; 4]) {
        self.mc_inc_group(id, v4(g), false);
    }

    pub fn ip_mc_dec_group(&mut self, id: DevId, g: [u8; 4]) {
        self.mc_dec_group(id, v4(g), false);
    }

    /// `IFF_NO_ADDRCONF`: a port of a master that sets it (bond slaves).
    pub(crate) fn no_addrconf(&self, id: DevId) -> bool {
        self.dev(id).inet.no_addrconf
            || self
                .dev(id)
                .port
                .as_ref()
                .is_some_and(|p| p.master().1.ops().ports_no_addrconf())
    }

    /// Loads (up) or unloads (down) every group of one family, in list order (for IPv6 the
    /// all-nodes group last: it is the oldest).
    fn mc_reload(&mut self, id: DevId, v6: bool, up: bool) {
        let n = self.dev(id).inet.groups().len();
        for idx in 0..n {
            if self.dev(id).inet.groups()[idx].v6 != v6 {
                continue;
            }
            if up {
                self.group_added(id, idx);
            } else {
                self.group_dropped(id, idx);
            }
        }
        if v6 {
            self.allnodes_set_loaded(id, up);
        }
    }

    /// Drops every membership of one family (`ip_mc_destroy_dev`, `ipv6_mc_destroy_dev`).
    fn mc_destroy(&mut self, id: DevId, v6: bool) {
        self.mc_reload(id, v6, false);
        if let Some(e) = self.dev_mut(id).inet.extra.as_mut() {
            e.groups.retain(|g| g.v6 != v6);
        }
    }

    /// `addrconf_link_ready`: oper-up and transmit queues with a qdisc other than noop
    /// (`qdisc_tx_is_noop`). `dev_activate` gives the queues their qdisc only with the carrier
    /// on (without it activation waits for the carrier), and `dev_deactivate` (close, carrier
    /// loss) puts noop back: a device opened without carrier is not ready even while its
    /// operstate has not caught up yet.
    fn addrconf_link_ready(&self, id: DevId) -> bool {
        let d = self.dev(id);
        d.is_oper_up() && d.qdisc != crate::device::Qdisc::Noop && d.carrier
    }

    /// `ipv6_add_dev`: joins ff01::1 and ff02::1 (forwarding is off, so not ff02::2).
    pub(crate) fn ipv6_add_dev(&mut self, id: DevId) {
        if self.dev(id).mtu < IPV6_MIN_MTU || self.dev(id).inet.in6 {
            return;
        }
        let now = self.now();
        let inet = &mut self.dev_mut(id).inet;
        inet.in6 = true;
        inet.in6_cstamp = now;
        inet.in6_tstamp = now;
        // A new inet6_dev is zeroed: no token.
        inet.token = [0; 8];
        // "if (netif_running(dev) && addrconf_link_ready(dev)) ndev->if_flags |= IF_READY;"
        if self.dev(id).is_running() && self.addrconf_link_ready(id) {
            self.dev_mut(id).inet.if_ready = true;
        }
        self.allnodes_set_loaded(id, true);
    }

    /// `ipv6_mc_up`: every IPv6 membership loaded again.
    pub(crate) fn ipv6_mc_up(&mut self, id: DevId) {
        self.mc_reload(id, true, true);
    }

    /// `addrconf_ifdown`: the routing side first (`rt6_disable_ip`), the addresses (each
    /// leaving its solicited-node group), then the memberships are unloaded
    /// (`ipv6_mc_down`), or destroyed with the idev on unregister.
    pub(crate) fn addrconf_ifdown(&mut self, id: DevId, unregister: bool) {
        self.rt6_disable_ip(id, unregister);
        if !self.dev(id).inet.in6 {
            return;
        }
        self.addrconf_ifdown_addrs(id, unregister);
        self.dev_mut(id).inet.if_ready = false;
        if unregister {
            self.ipv6_ac_destroy_dev(id);
            self.mc_destroy(id, true);
            self.dev_mut(id).inet.in6 = false;
        } else {
            self.mc_reload(id, true, false);
        }
    }

    /// `addrconf_notify` for NETDEV_UP (also `dev_disable_change` once disable_ipv6 is
    /// cleared).
    pub(crate) fn addrconf_notify_up(&mut self, id: DevId) {
        if self.no_addrconf(id) {
            // IFF_NO_ADDRCONF (bond slaves): only the memberships come back.
            let d = self.dev(id);
            if d.inet.in6 && d.flags & iff::UP != 0 && d.flags & iff::MULTICAST != 0 {
                self.mc_reload(id, true, true);
            }
            return;
        }
        // Restore routes for permanent addresses.
        self.addrconf_permanent_addr(id);
        if !self.addrconf_link_ready(id) {
            return;
        }
        self.ipv6_add_dev(id);
        let run_pending = self.dev(id).inet.in6;
        if run_pending {
            self.dev_mut(id).inet.if_ready = true;
        }
        self.addrconf_link_ready_addrs(id, run_pending);
    }

    /// `inet6_validate_link_af` for IFLA_INET6_ADDR_GEN_MODE (from `validate_linkmsg`).
    pub(crate) fn inet6_validate_addr_gen_mode(&self, id: DevId, mode: u8) -> KResult<()> {
        if !self.dev(id).inet.in6 {
            return Err(KernelError::new(errno::EAFNOSUPPORT));
        }
        // check_addr_gen_mode; check_stable_privacy: STABLE_PRIVACY needs the device's or
        // the namespace default's stable_secret.
        if mode > ADDR_GEN_MODE_RANDOM
            || (mode == ADDR_GEN_MODE_STABLE_PRIVACY && !self.inet6_stable_secret_set(id))
        {
            return Err(KernelError::new(errno::EINVAL));
        }
        Ok(())
    }

    /// `inet6_set_link_af`: the mode applies from the next address generation on.
    pub(crate) fn inet6_set_addr_gen_mode(&mut self, id: DevId, mode: u8) {
        self.dev_mut(id).inet.addr_gen_mode = mode;
    }

    /// `inetdev_event` + `addrconf_notify` for NETDEV_REGISTER.
    pub(crate) fn inet_register(&mut self, id: DevId) {
        // inetdev_init for every device.
        self.dev_mut(id).inet.in4 = true;
        self.ipv6_add_dev(id);
    }

    /// `inetdev_event` then `addrconf_notify` (registered in that order) for one event.
    pub(crate) fn inet_netdev_event(&mut self, id: DevId, ev: &crate::kernel::NetdevEvent) {
        use crate::kernel::NetdevEvent as E;
        let mtu = self.dev(id).mtu;
        match ev {
            E::Up => {
                if self.dev(id).inet.in4 && mtu >= IPV4_MIN_MTU {
                    // inetdev_event: loopback's 127.0.0.1, then ip_mc_up (all-hosts joined
                    // anew, then the others reloaded).
                    self.inetdev_event_addrs(id, ev);
                    self.ip_mc_inc_group(id, IGMP_ALL_HOSTS);
                    self.mc_reload(id, false, true);
                }
                self.addrconf_notify_up(id);
            }
            E::Change => {
                // addrconf_notify (net/ipv6/addrconf.c): disable_ipv6, IFF_NO_ADDRCONF, then
                // the link's readiness.
                if self.dev(id).inet.in6
                    && slot(&self.in6_dev_cnf(id), Ipv6Conf::DisableIpv6.index()) != 0
                {
                    return;
                }
                if self.no_addrconf(id) {
                    return;
                }
                if !self.addrconf_link_ready(id) {
                    // Device is still not ready: its routes turn linkdown.
                    self.rt6_sync_down_dev(id, ev);
                    return;
                }
                let had_idev = self.dev(id).inet.in6;
                if had_idev {
                    if self.dev(id).inet.if_ready {
                        self.ipv6_mc_up(id);
                        self.rt6_sync_up(id, rtnh_f::LINKDOWN);
                        return;
                    }
                    self.dev_mut(id).inet.if_ready = true;
                }
                self.addrconf_link_ready_addrs(id, had_idev);
            }
            E::Down => {
                if self.dev(id).inet.in4 {
                    // ip_mc_down: unload all, then leave all-hosts.
                    self.mc_reload(id, false, false);
                    self.ip_mc_dec_group(id, IGMP_ALL_HOSTS);
                }
                self.addrconf_ifdown(id, false);
            }
            E::ChangeMtu => {
                if mtu < IPV4_MIN_MTU {
                    if self.dev(id).inet.in4 {
                        // inetdev_destroy: memberships, then every address.
                        self.mc_destroy(id, false);
                        self.inetdev_destroy_addrs(id);
                        self.dev_mut(id).inet.in4 = false;
                    }
                } else if !self.dev(id).inet.in4 {
                    self.dev_mut(id).inet.in4 = true;
                }
                if mtu < IPV6_MIN_MTU {
                    // addrconf_ifdown(dev, dev != net->loopback_dev): loopback keeps its idev.
                    let lo = self.dev(id).flags & iff::LOOPBACK != 0;
                    self.addrconf_ifdown(id, !lo);
                } else if !self.dev(id).inet.in6 {
                    // A new idev on a running, ready link is IF_READY at once and configured
                    // now (the fallthrough into NETDEV_UP's work); else at the next
                    // NETDEV_UP/CHANGE.
                    self.ipv6_add_dev(id);
                    if self.dev(id).inet.in6 && self.dev(id).inet.if_ready {
                        self.addrconf_link_ready_addrs(id, true);
                    }
                }
            }
            E::ChangeName if self.dev(id).inet.in4 => self.inetdev_event_addrs(id, ev),
            // addrconf_notify: linked to or unlinked from an L3 master (the port state its
            // master set stays for the unlink), every IPv6 route and address goes.
            E::ChangeUpper if self.l3mdev_upper(id).is_some() => self.addrconf_ifdown(id, false),
            E::Unregister => {
                self.mc_destroy(id, false);
                self.inetdev_destroy_addrs(id);
                self.addrconf_ifdown(id, true);
                let d = self.dev_mut(id);
                d.inet = InetMcast::default();
                d.ifaddrs = None;
                d.mc.clear();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solicited_node_of_eui64_linklocal() {
        let ll: [u8; 16] = std::net::Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0xff, 0xfe00, 0xb1).octets();
        let g = solicited_node(&ll);
        assert_eq!(
            ipv6_eth_mc_map(&g),
            HwAddr::eth([0x33, 0x33, 0xff, 0, 0, 0xb1])
        );
        assert_eq!(
            ipv6_eth_mc_map(&LINK_LOCAL_ALLNODES),
            HwAddr::eth([0x33, 0x33, 0, 0, 0, 1])
        );
        assert_eq!(
            ip_eth_mc_map(&v4([224, 0, 0, 106])),
            HwAddr::eth([1, 0, 0x5e, 0, 0, 0x6a])
        );
    }
}
