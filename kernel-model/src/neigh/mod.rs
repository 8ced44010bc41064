//! net/core/neighbour.c: the neighbour tables (`arp_tbl`, `nd_tbl`) of a namespace, their
//! entries (`struct neighbour`), proxy entries (`struct pneigh_entry`), the NUD state machine
//! of `__neigh_update` and `neigh_timer_handler`, and the flushes of `neigh_ifdown`.
//!
//! `arp.rs` and `ndisc.rs` are the tables' constructors (net/ipv4/arp.c, net/ipv6/ndisc.c),
//! `parms.rs` the tunables (`struct neigh_parms`, RTM_GETNEIGHTBL / RTM_SETNEIGHTBL),
//! `rtnl.rs` the rtnetlink handlers (`neigh_add`, `neigh_delete`, `neigh_get`,
//! `neigh_dump_info`).
//!
//! What is not modelled: traffic (no lookup from the output path, so no entry is created by a
//! packet, no probe is sent, no reply confirms an entry), hence the states the kernel only
//! leaves by probing (DELAY, PROBE) and NTF_USE / NTF_MANAGED are refused; the garbage
//! collector (`neigh_periodic_work`, `neigh_forced_gc`): entries stay until deleted or flushed.

pub mod arp;
pub mod ndisc;
pub mod parms;
pub mod rtnl;
pub mod sysctl;

use crate::device::{DevId, NetnsId};
use crate::hwaddr::HwAddr;
use crate::kernel::{Event, Kernel, LinkMsg, NetdevEvent};
use crate::time::{Timer, TimerKey, HZ, NSEC_PER_JIFFY};
use serde::{Deserialize, Serialize};

pub use parms::NeighParms;

/// `NUD_*` (include/uapi/linux/neighbour.h) and the groups of include/net/neighbour.h.
pub mod nud {
    pub const NONE: u16 = 0x00;
    pub const INCOMPLETE: u16 = 0x01;
    pub const REACHABLE: u16 = 0x02;
    pub const STALE: u16 = 0x04;
    pub const DELAY: u16 = 0x08;
    pub const PROBE: u16 = 0x10;
    pub const FAILED: u16 = 0x20;
    pub const NOARP: u16 = 0x40;
    pub const PERMANENT: u16 = 0x80;
    pub const IN_TIMER: u16 = INCOMPLETE | REACHABLE | DELAY | PROBE;
    pub const VALID: u16 = PERMANENT | NOARP | REACHABLE | PROBE | STALE | DELAY;
    pub const CONNECTED: u16 = PERMANENT | NOARP | REACHABLE;
}

/// `NTF_*` (include/uapi/linux/neighbour.h); the extended flags (NDA_FLAGS_EXT) sit above
/// bit 8 of `neigh->flags` (`NTF_EXT_SHIFT`).
pub mod ntf {
    pub const USE: u32 = 0x01;
    pub const PROXY: u32 = 0x08;
    pub const EXT_LEARNED: u32 = 0x10;
    pub const ROUTER: u32 = 0x80;
    pub const EXT_SHIFT: u32 = 8;
    /// `NTF_EXT_MANAGED` / `NTF_EXT_LOCKED`, as NDA_FLAGS_EXT carries them.
    pub const EXT_MANAGED: u32 = 0x01;
    pub const EXT_LOCKED: u32 = 0x02;
    pub const EXT_MASK: u32 = EXT_MANAGED | EXT_LOCKED;
    /// `NTF_MANAGED`: NTF_EXT_MANAGED in `neigh->flags`.
    pub const MANAGED: u32 = EXT_MANAGED << EXT_SHIFT;
    /// `NTF_OLD_MASK`: what fits in `ndm_flags`.
    pub const OLD_MASK: u32 = 0xff;
}

/// `NEIGH_UPDATE_F_*` (include/net/neighbour.h).
pub(crate) mod update {
    pub const OVERRIDE: u32 = 1 << 0;
    pub const OVERRIDE_ISROUTER: u32 = 1 << 2;
    pub const EXT_LEARNED: u32 = 1 << 5;
    pub const ISROUTER: u32 = 1 << 6;
    pub const ADMIN: u32 = 1 << 7;
}

/// `RTN_*` route types, as `neigh->type` (`ndm_type`) holds them.
pub mod rtn {
    pub const UNICAST: u8 = 1;
    pub const LOCAL: u8 = 2;
    pub const BROADCAST: u8 = 3;
    pub const MULTICAST: u8 = 5;
}

/// Which table: `neigh_tables[NEIGH_ARP_TABLE]` or `[NEIGH_ND_TABLE]`, in the order
/// `neigh_dump_info` walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Family {
    /// `arp_tbl` (AF_INET).
    Inet,
    /// `nd_tbl` (AF_INET6).
    Inet6,
}

pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;

impl Family {
    pub const ALL: [Family; 2] = [Family::Inet, Family::Inet6];

    /// `neigh_find_table`.
    pub fn from_af(af: u8) -> Option<Family> {
        match af {
            AF_INET => Some(Family::Inet),
            AF_INET6 => Some(Family::Inet6),
            _ => None,
        }
    }
    pub fn af(self) -> u8 {
        match self {
            Family::Inet => AF_INET,
            Family::Inet6 => AF_INET6,
        }
    }
    /// `tbl->key_len`.
    pub fn key_len(self) -> usize {
        match self {
            Family::Inet => 4,
            Family::Inet6 => 16,
        }
    }
    /// `tbl->id`.
    pub fn id(self) -> &'static str {
        match self {
            Family::Inet => "arp_cache",
            Family::Inet6 => "ndisc_cache",
        }
    }
}

/// A table key (`primary_key`): the first `key_len` bytes count.
pub type Key = [u8; 16];

/// `key` from the first `key_len` bytes of `raw` (the caller checked the length).
pub fn key_of(family: Family, raw: &[u8]) -> Key {
    let mut k = [0u8; 16];
    let n = family.key_len().min(raw.len());
    k[..n].copy_from_slice(&raw[..n]);
    k
}

/// `struct neighbour`. Times are jiffies since boot (may be negative: `confirmed` starts
/// two base reachable times in the past).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbour {
    pub dev: DevId,
    pub key: Key,
    /// `neigh->ha` (`dev->addr_len` bytes).
    pub ha: HwAddr,
    pub nud_state: u16,
    /// `neigh->flags` (NTF_* and the extended flags above NTF_EXT_SHIFT).
    pub flags: u32,
    /// `neigh->type` (RTN_*).
    pub ntype: u8,
    pub protocol: u8,
    pub probes: u32,
    pub confirmed: i64,
    pub used: i64,
    pub updated: i64,
    /// The pending `neigh->timer`.
    #[serde(default)]
    pub timer: Option<TimerKey>,
}

/// `struct pneigh_entry`: a proxy entry, with or without a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PneighEntry {
    pub key: Key,
    pub dev: Option<DevId>,
    pub flags: u32,
    pub permanent: bool,
    pub protocol: u8,
}

/// One table's entries in one namespace (the kernel's hash table holds every namespace's;
/// nlsim keeps each namespace's apart, newest first like a hash chain).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeighTable {
    pub entries: Vec<Neighbour>,
    pub proxies: Vec<PneighEntry>,
}

/// `struct neigh_statistics`, summed over CPUs, as NDTA_STATS reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeighStats {
    pub allocs: u64,
    pub destroys: u64,
    pub hash_grows: u64,
    pub res_failed: u64,
    pub lookups: u64,
    pub hits: u64,
}

/// What `struct neigh_table` holds once for all namespaces (kept in the initial namespace's
/// [`NeighState`]): thresholds, the hash table's size, statistics, and the default parms
/// (`tbl->parms`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableGlobal {
    pub gc_thresh1: u32,
    pub gc_thresh2: u32,
    pub gc_thresh3: u32,
    /// `tbl->gc_interval` in ms.
    pub gc_interval_ms: u64,
    /// `nht->hash_shift` (`neigh_table_init` starts at 3; it only grows).
    pub hash_shift: u32,
    /// `tbl->entries`: entries of every namespace.
    pub entries: u32,
    pub stats: NeighStats,
    /// `tbl->parms`: the initial namespace's defaults, copied into each device's parms when
    /// its in_device / inet6_dev is created.
    pub dflt: NeighParms,
}

impl TableGlobal {
    fn new(family: Family) -> Self {
        TableGlobal {
            gc_thresh1: 128,
            gc_thresh2: 512,
            gc_thresh3: 1024,
            gc_interval_ms: 30_000,
            hash_shift: 3,
            entries: 0,
            stats: NeighStats::default(),
            dflt: NeighParms::table_default(family),
        }
    }
}

/// A namespace's neighbour state (`Netns::neigh`). Empty for a namespace nobody asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeighState {
    #[serde(default)]
    pub arp: NeighTable,
    #[serde(default)]
    pub nd: NeighTable,
    /// The per-device parms that differ from what [`NeighParms::for_device`] derives (only
    /// after RTM_SETNEIGHTBL or a change of the defaults), by (table, device).
    #[serde(default)]
    pub dev_parms: Vec<(Family, DevId, NeighParms)>,
    /// The global part of both tables: set in the initial namespace only.
    #[serde(default)]
    pub global: Option<Box<[TableGlobal; 2]>>,
}

impl NeighState {
    pub fn table(&self, f: Family) -> &NeighTable {
        match f {
            Family::Inet => &self.arp,
            Family::Inet6 => &self.nd,
        }
    }
    pub fn table_mut(&mut self, f: Family) -> &mut NeighTable {
        match f {
            Family::Inet => &mut self.arp,
            Family::Inet6 => &mut self.nd,
        }
    }
}

/// One RTM_NEWNEIGH / RTM_DELNEIGH as `neigh_fill_info` / `pneigh_fill_info` fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighMsg {
    pub family: u8,
    pub ifindex: u32,
    pub state: u16,
    /// `ndm_flags` (NTF_OLD_MASK bits; NTF_PROXY for proxy entries).
    pub flags: u8,
    pub ntype: u8,
    /// NDA_DST (`key_len` bytes).
    pub dst: Vec<u8>,
    /// NDA_LLADDR, present while the state is NUD_VALID.
    pub lladdr: Option<HwAddr>,
    /// NDA_PROBES and NDA_CACHEINFO (absent for proxy entries).
    pub cache: Option<NeighCacheInfo>,
    /// NDA_PROTOCOL when non-zero.
    pub protocol: u8,
    /// NDA_FLAGS_EXT when non-zero.
    pub flags_ext: u32,
}

/// NDA_PROBES + `struct nda_cacheinfo`: ages in clock_t (USER_HZ 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeighCacheInfo {
    pub probes: u32,
    pub confirmed: u32,
    pub used: u32,
    pub updated: u32,
    pub refcnt: u32,
}

/// `jiffies_to_clock_t` (HZ 250, USER_HZ 100), of an `unsigned long` delta.
fn jiffies_to_clock_t(j: i64) -> u32 {
    ((j as u64).wrapping_mul(100) / HZ) as u32
}

impl Kernel {
    /// A namespace's neighbour state.
    pub fn neigh_state(&self, ns: NetnsId) -> Option<&NeighState> {
        self.netns(ns).map(|n| &n.neigh)
    }

    pub(crate) fn neigh_state_mut(&mut self, ns: NetnsId) -> Option<&mut NeighState> {
        self.namespaces.get_mut(&ns).map(|n| &mut n.neigh)
    }

    /// The global part of a table (`struct neigh_table`), defaults until first changed.
    pub fn neigh_global(&self, f: Family) -> TableGlobal {
        match self
            .neigh_state(crate::kernel::INIT_NET)
            .and_then(|s| s.global.as_ref())
        {
            Some(g) => g[f as usize].clone(),
            None => TableGlobal::new(f),
        }
    }

    pub(crate) fn neigh_global_mut(&mut self, f: Family) -> Option<&mut TableGlobal> {
        let st = self.neigh_state_mut(crate::kernel::INIT_NET)?;
        let g = st.global.get_or_insert_with(|| {
            Box::new([
                TableGlobal::new(Family::Inet),
                TableGlobal::new(Family::Inet6),
            ])
        });
        Some(&mut g[f as usize])
    }

    /// `neigh_lookup` (counted in the table's statistics): the entry's index.
    pub(crate) fn neigh_lookup(
        &mut self,
        ns: NetnsId,
        f: Family,
        key: &Key,
        dev: DevId,
    ) -> Option<usize> {
        let found = self.neigh_find(ns, f, key, dev);
        if let Some(g) = self.neigh_global_mut(f) {
            g.stats.lookups = g.stats.lookups.wrapping_add(1);
            if found.is_some() {
                g.stats.hits = g.stats.hits.wrapping_add(1);
            }
        }
        found
    }

    /// `__neigh_lookup_noref` without statistics.
    pub fn neigh_find(&self, ns: NetnsId, f: Family, key: &Key, dev: DevId) -> Option<usize> {
        let klen = f.key_len();
        self.neigh_state(ns)?
            .table(f)
            .entries
            .iter()
            .position(|n| n.dev == dev && n.key[..klen] == key[..klen])
    }

    fn neigh_entry(&self, ns: NetnsId, f: Family, idx: usize) -> Option<&Neighbour> {
        self.neigh_state(ns)?.table(f).entries.get(idx)
    }

    fn neigh_entry_mut(&mut self, ns: NetnsId, f: Family, idx: usize) -> Option<&mut Neighbour> {
        self.neigh_state_mut(ns)?.table_mut(f).entries.get_mut(idx)
    }

    /// `___neigh_create`: `neigh_alloc`, the table's constructor, then the insertion (or the
    /// entry already there under the key the constructor settled on). Returns its index.
    pub(crate) fn neigh_create(
        &mut self,
        ns: NetnsId,
        f: Family,
        key: &Key,
        dev: DevId,
        flags: u32,
    ) -> crate::KResult<usize> {
        let now = self.jiffies() as i64;
        // neigh_alloc: gc_thresh3 and the forced gc are not modelled (no gc).
        let mut n = Neighbour {
            dev,
            key: *key,
            ha: HwAddr::NONE,
            nud_state: nud::NONE,
            flags,
            ntype: 0,
            protocol: 0,
            probes: 0,
            confirmed: now,
            used: now,
            updated: now,
            timer: None,
        };
        if let Some(g) = self.neigh_global_mut(f) {
            g.stats.allocs = g.stats.allocs.wrapping_add(1);
        }
        // tbl->constructor (arp_constructor / ndisc_constructor); a refused entry is
        // released (`neigh_destroy`).
        let built = match f {
            Family::Inet => self.arp_constructor(&mut n),
            Family::Inet6 => self.ndisc_constructor(&mut n),
        };
        if let Err(e) = built {
            if let Some(g) = self.neigh_global_mut(f) {
                g.stats.destroys = g.stats.destroys.wrapping_add(1);
            }
            return Err(e);
        }
        let base = self.neigh_parms(ns, f, Some(dev)).base_reachable_time;
        n.confirmed = now - 2 * base as i64;
        // The constructor may have rewritten the key (arp: 0.0.0.0 on loopback / ptp).
        if let Some(i) = self.neigh_find(ns, f, &n.key, dev) {
            if let Some(g) = self.neigh_global_mut(f) {
                g.stats.destroys = g.stats.destroys.wrapping_add(1);
            }
            return Ok(i);
        }
        if let Some(g) = self.neigh_global_mut(f) {
            g.entries = g.entries.wrapping_add(1);
            // neigh_hash_grow when the table holds more entries than buckets.
            if g.entries > 1u32.checked_shl(g.hash_shift).unwrap_or(u32::MAX) {
                g.hash_shift = g.hash_shift.saturating_add(1);
                g.stats.hash_grows = g.stats.hash_grows.wrapping_add(1);
            }
        }
        let Some(st) = self.neigh_state_mut(ns) else {
            return Err(crate::KernelError::new(crate::uapi::errno::ENODEV));
        };
        st.table_mut(f).entries.insert(0, n);
        Ok(0)
    }

    /// `__neigh_update` with NEIGH_UPDATE_F_ADMIN (every caller nlsim has).
    /// `from_request`: the notification carries the requester's port id
    /// (`__neigh_notify(..., nlmsg_pid)`), else 0.
    pub(crate) fn neigh_update(
        &mut self,
        (ns, f, idx): (NetnsId, Family, usize),
        lladdr: Option<&[u8]>,
        new: u16,
        flags: u32,
        from_request: bool,
    ) -> crate::KResult<()> {
        let now = self.jiffies() as i64;
        let Some(n) = self.neigh_entry(ns, f, idx).cloned() else {
            return Ok(());
        };
        let dev = n.dev;
        let addr_len = self.dev(dev).addr.len();
        let old = n.nud_state;
        let mut n = n;
        let mut notify = false;
        let mut result = Ok(());
        // neigh_update_flags (ADMIN): NTF_EXT_LEARNED follows the request.
        let want_ext = flags & update::EXT_LEARNED != 0;
        if want_ext != (n.flags & ntf::EXT_LEARNED != 0) {
            n.flags ^= ntf::EXT_LEARNED;
            notify = true;
        }
        let mut update_isrouter = false;
        'out: {
            if new & nud::VALID == 0 {
                self.neigh_del_timer(&mut n);
                n.nud_state = new;
                notify |= old & nud::VALID != 0;
                if old & (nud::INCOMPLETE | nud::PROBE) != 0 && new & nud::FAILED != 0 {
                    // neigh_invalidate.
                    n.updated = now;
                    if let Some(g) = self.neigh_global_mut(f) {
                        g.stats.res_failed = g.stats.res_failed.wrapping_add(1);
                    }
                    notify = true;
                }
                break 'out;
            }
            // Compare the new lladdr with the cached one.
            // `differs` is the kernel's `lladdr != neigh->ha`: a proposed address replaces
            // the cached one unless the entry is valid and already holds it.
            let (proposed, differs) = if addr_len == 0 {
                (n.ha, false)
            } else if let Some(l) = lladdr {
                let p = HwAddr::from_slice(&l[..addr_len.min(l.len())]).unwrap_or(n.ha);
                if old & nud::VALID != 0 && p == n.ha {
                    (n.ha, false)
                } else {
                    (p, true)
                }
            } else {
                if old & nud::VALID == 0 {
                    result = Err(crate::KernelError::new(crate::uapi::errno::EINVAL)
                        .msg("No link layer address given"));
                    break 'out;
                }
                (n.ha, false)
            };
            if new & nud::CONNECTED != 0 {
                n.confirmed = now;
            }
            update_isrouter = flags & update::OVERRIDE_ISROUTER != 0;
            if old & nud::VALID != 0 && differs && flags & update::OVERRIDE == 0 {
                // No NEIGH_UPDATE_F_WEAK_OVERRIDE from netlink: nothing changes.
                update_isrouter = false;
                break 'out;
            }
            if new != old || differs {
                n.updated = now;
            }
            if new != old {
                self.neigh_del_timer(&mut n);
                if new & nud::PROBE != 0 {
                    n.probes = 0;
                }
                if new & nud::IN_TIMER != 0 {
                    let rt = if new & nud::REACHABLE != 0 {
                        self.neigh_parms(ns, f, Some(dev))
                            .reachable_time_jiffies(dev, f)
                    } else {
                        0
                    };
                    self.neigh_add_timer(ns, f, &mut n, now + rt as i64);
                }
                n.nud_state = new;
                notify = true;
            }
            if differs {
                n.ha = proposed;
                if new & nud::CONNECTED == 0 {
                    let base = self.neigh_parms(ns, f, Some(dev)).base_reachable_time;
                    n.confirmed = now - 2 * base as i64;
                }
                notify = true;
            }
            if new == old {
                break 'out;
            }
        }
        if update_isrouter {
            // neigh_update_is_router.
            let want = flags & update::ISROUTER != 0;
            if want != (n.flags & ntf::ROUTER != 0) {
                n.flags ^= ntf::ROUTER;
                notify = true;
            }
        }
        if let Some(slot) = self.neigh_entry_mut(ns, f, idx) {
            *slot = n;
        }
        if notify {
            self.neigh_notify(ns, f, idx, LinkMsg::New, from_request);
        }
        result
    }

    /// `neigh_add_timer`: arms `neigh->timer` for jiffy `when`.
    fn neigh_add_timer(&mut self, ns: NetnsId, f: Family, n: &mut Neighbour, when: i64) {
        let now = self.jiffies() as i64;
        if n.used < n.confirmed && n.confirmed <= now {
            n.used = n.confirmed;
        }
        let at = (when.max(0) as u64).saturating_mul(NSEC_PER_JIFFY);
        n.timer = Some(self.timer_add(
            at,
            Timer::Neigh {
                netns: ns,
                family: f,
                dev: n.dev,
                key: n.key,
            },
        ));
    }

    /// `neigh_del_timer`.
    fn neigh_del_timer(&mut self, n: &mut Neighbour) {
        if let Some(t) = n.timer.take() {
            self.timer_del(t);
        }
    }

    /// The refcount `neigh_fill_info` reports (`refcnt - 1`): the table's reference is the
    /// one subtracted; a pending timer holds one more.
    fn neigh_refcnt(n: &Neighbour) -> u32 {
        u32::from(n.timer.is_some())
    }

    /// `neigh_fill_info` of entry `idx`.
    pub fn neigh_fill(&self, ns: NetnsId, f: Family, idx: usize) -> Option<NeighMsg> {
        let n = self.neigh_entry(ns, f, idx)?;
        let now = self.jiffies() as i64;
        let dev = self.try_dev(n.dev)?;
        Some(NeighMsg {
            family: f.af(),
            ifindex: dev.ifindex,
            state: n.nud_state,
            flags: (n.flags & ntf::OLD_MASK) as u8,
            ntype: n.ntype,
            dst: n.key[..f.key_len()].to_vec(),
            lladdr: (n.nud_state & nud::VALID != 0).then_some(n.ha),
            cache: Some(NeighCacheInfo {
                probes: n.probes,
                confirmed: jiffies_to_clock_t(now - n.confirmed),
                used: jiffies_to_clock_t(now - n.used),
                updated: jiffies_to_clock_t(now - n.updated),
                refcnt: Self::neigh_refcnt(n),
            }),
            protocol: n.protocol,
            flags_ext: n.flags >> ntf::EXT_SHIFT,
        })
    }

    /// `pneigh_fill_info`.
    pub fn pneigh_fill(&self, f: Family, pn: &PneighEntry) -> NeighMsg {
        NeighMsg {
            family: f.af(),
            ifindex: pn
                .dev
                .and_then(|d| self.try_dev(d))
                .map_or(0, |d| d.ifindex),
            state: nud::NONE,
            flags: ((pn.flags & ntf::OLD_MASK) | ntf::PROXY) as u8,
            ntype: rtn::UNICAST,
            dst: pn.key[..f.key_len()].to_vec(),
            lladdr: None,
            cache: None,
            protocol: pn.protocol,
            flags_ext: pn.flags >> ntf::EXT_SHIFT,
        }
    }

    /// `__neigh_notify` of entry `idx` to RTNLGRP_NEIGH.
    fn neigh_notify(
        &mut self,
        ns: NetnsId,
        f: Family,
        idx: usize,
        msg: LinkMsg,
        from_request: bool,
    ) {
        if let Some(m) = self.neigh_fill(ns, f, idx) {
            self.events.push(Event::Neigh {
                msg,
                netns: ns,
                neigh: Box::new(m),
                from_request,
            });
        }
    }

    /// Unlinks entry `idx` (`neigh_del` / the loop of `neigh_flush_dev`): timer stopped,
    /// RTM_DELNEIGH (`neigh_cleanup_and_release`), counted as destroyed.
    pub(crate) fn neigh_remove(&mut self, ns: NetnsId, f: Family, idx: usize) {
        self.neigh_notify(ns, f, idx, LinkMsg::Del, false);
        let Some(st) = self.neigh_state_mut(ns) else {
            return;
        };
        let entries = &mut st.table_mut(f).entries;
        if idx >= entries.len() {
            return;
        }
        let mut n = entries.remove(idx);
        self.neigh_del_timer(&mut n);
        if let Some(g) = self.neigh_global_mut(f) {
            g.entries = g.entries.saturating_sub(1);
            g.stats.destroys = g.stats.destroys.wrapping_add(1);
        }
    }

    /// `neigh_flush_dev` + (for `neigh_ifdown` / `neigh_carrier_down`) `pneigh_ifdown`:
    /// `dev`'s entries go (permanent ones kept with `skip_perm`), one RTM_DELNEIGH each.
    fn neigh_flush_dev(&mut self, f: Family, dev: DevId, skip_perm: bool, proxies: bool) {
        let ns = self.dev(dev).netns;
        let mut i = 0;
        while let Some(n) = self.neigh_entry(ns, f, i) {
            if n.dev != dev || (skip_perm && n.nud_state & nud::PERMANENT != 0) {
                i += 1;
                continue;
            }
            self.neigh_remove(ns, f, i);
        }
        if proxies {
            self.pneigh_ifdown(ns, f, dev, skip_perm);
        }
    }

    /// `neigh_ifdown`: every entry of `dev`, permanent or not, and its proxy entries.
    pub fn neigh_ifdown(&mut self, f: Family, dev: DevId) {
        self.neigh_flush_dev(f, dev, false, true);
    }

    /// `neigh_carrier_down`: `neigh_ifdown` sparing permanent entries.
    pub fn neigh_carrier_down(&mut self, f: Family, dev: DevId) {
        self.neigh_flush_dev(f, dev, true, true);
    }

    /// `neigh_changeaddr`: every entry of `dev` (proxy entries stay).
    pub fn neigh_changeaddr(&mut self, f: Family, dev: DevId) {
        self.neigh_flush_dev(f, dev, false, false);
    }

    /// The neighbour tables' side of the netdevice notifiers, in one place:
    /// `arp_netdev_event` (NETDEV_CHANGEADDR, NETDEV_CHANGE), the `arp_ifdown` that
    /// `fib_netdev_event` → `fib_disable_ip` does on NETDEV_DOWN / NETDEV_UNREGISTER (and
    /// `inetdev_destroy` when the MTU drops below 68), `ndisc_netdev_event` (NETDEV_CHANGEADDR,
    /// NETDEV_CHANGE, NETDEV_DOWN) and the `neigh_ifdown(&nd_tbl)` of `rt6_disable_ip` that
    /// `addrconf_ifdown` runs on NETDEV_UNREGISTER (and below IPV6_MIN_MTU).
    ///
    /// Not modelled: NETDEV_CHANGE with IFF_NOARP toggled (`neigh_changeaddr`): the model's
    /// NETDEV_CHANGE does not say which flags changed; arp_evict_nocarrier /
    /// ndisc_evict_nocarrier are taken at their default (1).
    pub(crate) fn neigh_netdev_event(&mut self, dev: DevId, ev: &NetdevEvent) {
        match ev {
            NetdevEvent::ChangeAddr => {
                self.neigh_changeaddr(Family::Inet, dev);
                self.neigh_changeaddr(Family::Inet6, dev);
            }
            NetdevEvent::Change if !self.dev(dev).carrier => {
                self.neigh_carrier_down(Family::Inet, dev);
                self.neigh_carrier_down(Family::Inet6, dev);
            }
            NetdevEvent::Down | NetdevEvent::Unregister => {
                self.neigh_ifdown(Family::Inet, dev);
                self.neigh_ifdown(Family::Inet6, dev);
                if *ev == NetdevEvent::Unregister {
                    self.neigh_parms_release(dev);
                }
            }
            NetdevEvent::ChangeMtu => {
                let mtu = self.dev(dev).mtu;
                if mtu < 68 {
                    self.neigh_ifdown(Family::Inet, dev);
                }
                if mtu < 1280 {
                    self.neigh_ifdown(Family::Inet6, dev);
                }
            }
            _ => {}
        }
    }

    /// `neigh_timer_handler` for the entry of (`family`, `dev`, `key`). Only REACHABLE arms
    /// a timer in the model (DELAY / PROBE are refused, an admin INCOMPLETE arms none):
    /// still confirmed recently → re-armed; else DELAY if used within delay_probe_time, else
    /// STALE, announced.
    pub(crate) fn neigh_timer_handler(&mut self, ns: NetnsId, f: Family, dev: DevId, key: Key) {
        let Some(idx) = self.neigh_find(ns, f, &key, dev) else {
            return;
        };
        let Some(mut n) = self.neigh_entry(ns, f, idx).cloned() else {
            return;
        };
        n.timer = None;
        let now = self.jiffies() as i64;
        let p = self.neigh_parms(ns, f, Some(dev));
        let rt = p.reachable_time_jiffies(dev, f) as i64;
        let delay = p.delay_probe_time as i64;
        let mut next = now + HZ as i64;
        let mut notify = false;
        if n.nud_state & nud::IN_TIMER == 0 {
            return;
        }
        if n.nud_state & nud::REACHABLE != 0 {
            if now <= n.confirmed + rt {
                next = n.confirmed + rt;
            } else if now <= n.used + delay {
                // The kernel probes from DELAY: not reachable without traffic (`used` only
                // moves with traffic), kept for fidelity.
                n.nud_state = nud::DELAY;
                n.updated = now;
                next = now + delay;
            } else {
                n.nud_state = nud::STALE;
                n.updated = now;
                notify = true;
            }
        }
        if n.nud_state & nud::IN_TIMER != 0 {
            let min = now + (HZ / 100) as i64;
            self.neigh_add_timer(ns, f, &mut n, next.max(min));
        }
        if let Some(slot) = self.neigh_entry_mut(ns, f, idx) {
            *slot = n;
        }
        if notify {
            self.neigh_notify(ns, f, idx, LinkMsg::New, false);
        }
    }
}

/// Milliseconds to jiffies (`msecs_to_jiffies`, rounding up).
pub fn ms_to_jiffies(ms: u64) -> u64 {
    (ms * HZ).div_ceil(1000)
}
