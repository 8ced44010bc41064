//! `struct neigh_parms` (include/net/neighbour.h) and the neighbour-table messages of
//! net/core/neighbour.c: `neightbl_dump_info` (RTM_GETNEIGHTBL, `ip ntable show`) and
//! `neightbl_set` (RTM_SETNEIGHTBL, `ip ntable change`).
//!
//! A device's parms are a copy of the table's defaults (`tbl->parms`) made when its
//! in_device / inet6_dev is created (`neigh_parms_alloc`). nlsim stores a device's copy only
//! once it differs from the current defaults (so a dummy link costs nothing here): before the
//! defaults change, every device still following them gets its own copy.

use super::{ms_to_jiffies, Family, NeighStats, TableGlobal};
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::{Kernel, INIT_NET};
use crate::time::HZ;
use crate::uapi::errno;
use serde::{Deserialize, Serialize};

/// `SK_WMEM_MAX` (212992 on x86_64): the default `QUEUE_LEN_BYTES`.
const SK_WMEM_MAX: u32 = 212_992;
/// `SKB_TRUESIZE(ETH_FRAME_LEN)` on Debian's x86_64 6.12: 1514 + 256 (sk_buff) + 320
/// (skb_shared_info); NDTPA_QUEUE_LEN is counted in these.
pub const SKB_TRUESIZE_ETH_FRAME: u32 = 2090;

/// `NEIGH_VAR_*` of one `struct neigh_parms`, times in jiffies as the kernel keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeighParms {
    pub mcast_probes: u32,
    pub ucast_probes: u32,
    pub app_probes: u32,
    pub mcast_reprobes: u32,
    pub retrans_time: u64,
    pub base_reachable_time: u64,
    pub delay_probe_time: u64,
    pub interval_probe_time_ms: u64,
    pub gc_staletime: u64,
    pub queue_len_bytes: u32,
    pub proxy_qlen: u32,
    pub anycast_delay: u64,
    pub proxy_delay: u64,
    pub locktime: u64,
    /// `p->reachable_time` (jiffies) once drawn by the model's rng; `None`: derived from the
    /// device (see [`NeighParms::reachable_time_jiffies`]).
    #[serde(default)]
    pub reachable_time: Option<u64>,
    /// `p->data_state`: the [`NeighVar`]s set on these parms themselves (`NEIGH_VAR_SET`),
    /// which a write of the default no longer reaches (`neigh_copy_dflt_parms`).
    #[serde(default)]
    pub data_state: u32,
    /// Base reachable time in ms, for callers that want it.
    #[serde(skip)]
    pub base_reachable_time_ms: u64,
    #[serde(skip)]
    pub delay_probe_time_ms: u64,
}

impl NeighParms {
    /// `arp_tbl.parms` (net/ipv4/arp.c) / `nd_tbl.parms` (net/ipv6/ndisc.c).
    pub fn table_default(f: Family) -> Self {
        let mut p = NeighParms {
            mcast_probes: 3,
            ucast_probes: 3,
            app_probes: 0,
            mcast_reprobes: 0,
            retrans_time: HZ,
            base_reachable_time: 30 * HZ,
            delay_probe_time: 5 * HZ,
            interval_probe_time_ms: 5 * HZ,
            gc_staletime: 60 * HZ,
            queue_len_bytes: SK_WMEM_MAX,
            proxy_qlen: 64,
            anycast_delay: HZ,
            proxy_delay: (8 * HZ) / 10,
            // nd_tbl leaves LOCKTIME at 0.
            locktime: if f == Family::Inet { HZ } else { 0 },
            // neigh_table_init draws the table's own; derived like a device's (below).
            reachable_time: None,
            data_state: 0,
            base_reachable_time_ms: 0,
            delay_probe_time_ms: 0,
        };
        p.fill_ms();
        p
    }

    fn fill_ms(&mut self) {
        self.base_reachable_time_ms = jiffies_to_msecs(self.base_reachable_time);
        self.delay_probe_time_ms = jiffies_to_msecs(self.delay_probe_time);
    }

    /// `p->reachable_time`: `neigh_rand_reach_time(base)` when the device's parms were made.
    /// Until nlsim draws one (RTM_SETNEIGHTBL of the base), it is derived from the device's
    /// identity, so it stays put across requests like the kernel's.
    pub fn reachable_time_jiffies(&self, dev: DevId, f: Family) -> u64 {
        if let Some(rt) = self.reachable_time {
            return rt;
        }
        let base = self.base_reachable_time;
        if base == 0 {
            return 0;
        }
        let mut z = dev.0.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (f as u64 + 1);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        // Unsigned long arithmetic, as neigh_rand_reach_time's (a state file's huge base wraps).
        ((z ^ (z >> 31)) % base).wrapping_add(base >> 1)
    }
}

/// `NEIGH_VAR_*` (include/net/neighbour.h), in the kernel's order: one tunable of a parms
/// block. Times are in jiffies, QueueLenBytes in bytes: the /proc/sys/net/ipv{4,6}/neigh/*
/// handlers convert (`neigh_proc_dointvec_jiffies` for `base_reachable_time`,
/// `_ms_jiffies` for the `*_ms` files, `_userhz_jiffies` for `retrans_time`, `unres_qlen` in
/// SKB_TRUESIZE(ETH_FRAME_LEN) units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeighVar {
    /// `mcast_solicit`.
    McastProbes,
    /// `ucast_solicit`.
    UcastProbes,
    /// `app_solicit`.
    AppProbes,
    /// `mcast_resolicit`.
    McastReprobes,
    /// `retrans_time` / `retrans_time_ms`.
    RetransTime,
    /// `base_reachable_time` / `base_reachable_time_ms`.
    BaseReachableTime,
    /// `delay_first_probe_time`.
    DelayProbeTime,
    /// `interval_probe_time_ms`.
    IntervalProbeTimeMs,
    /// `gc_stale_time`.
    GcStaletime,
    /// `unres_qlen_bytes` (and `unres_qlen`).
    QueueLenBytes,
    /// `proxy_qlen`.
    ProxyQlen,
    /// `anycast_delay`.
    AnycastDelay,
    /// `proxy_delay`.
    ProxyDelay,
    /// `locktime`.
    Locktime,
}

impl NeighParms {
    /// `NEIGH_VAR(p, var)`.
    pub fn get(&self, v: NeighVar) -> u64 {
        use NeighVar::*;
        match v {
            McastProbes => self.mcast_probes.into(),
            UcastProbes => self.ucast_probes.into(),
            AppProbes => self.app_probes.into(),
            McastReprobes => self.mcast_reprobes.into(),
            RetransTime => self.retrans_time,
            BaseReachableTime => self.base_reachable_time,
            DelayProbeTime => self.delay_probe_time,
            IntervalProbeTimeMs => self.interval_probe_time_ms,
            GcStaletime => self.gc_staletime,
            QueueLenBytes => self.queue_len_bytes.into(),
            ProxyQlen => self.proxy_qlen.into(),
            AnycastDelay => self.anycast_delay,
            ProxyDelay => self.proxy_delay,
            Locktime => self.locktime,
        }
    }

    /// `NEIGH_VAR_SET(p, var, val)` without the data_state bit (see [`NeighParms::set`]).
    fn store(&mut self, v: NeighVar, x: u64) {
        use NeighVar::*;
        let x32 = u32::try_from(x).unwrap_or(u32::MAX);
        match v {
            McastProbes => self.mcast_probes = x32,
            UcastProbes => self.ucast_probes = x32,
            AppProbes => self.app_probes = x32,
            McastReprobes => self.mcast_reprobes = x32,
            RetransTime => self.retrans_time = x,
            BaseReachableTime => self.base_reachable_time = x,
            DelayProbeTime => self.delay_probe_time = x,
            IntervalProbeTimeMs => self.interval_probe_time_ms = x,
            GcStaletime => self.gc_staletime = x,
            QueueLenBytes => self.queue_len_bytes = x32,
            ProxyQlen => self.proxy_qlen = x32,
            AnycastDelay => self.anycast_delay = x,
            ProxyDelay => self.proxy_delay = x,
            Locktime => self.locktime = x,
        }
        self.fill_ms();
    }

    /// `NEIGH_VAR_SET`: the value and its data_state bit.
    pub fn set(&mut self, v: NeighVar, x: u64) {
        self.store(v, x);
        self.data_state |= 1 << (v as u32);
    }
}

/// `jiffies_to_msecs` (HZ 250): the kernel returns an `unsigned int`, so a huge value (a state file
/// may hold any u64) wraps instead of overflowing.
pub fn jiffies_to_msecs(j: u64) -> u64 {
    u64::from(j.wrapping_mul(1000 / HZ) as u32)
}

/// One parms block as NDTA_PARMS carries it (`neightbl_fill_parms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParmsView {
    /// NDTPA_IFINDEX (absent for the table's defaults).
    pub ifindex: Option<u32>,
    pub refcnt: u32,
    /// NDTPA_REACHABLE_TIME (jiffies).
    pub reachable_time: u64,
    pub parms: NeighParms,
}

/// `struct ndt_config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NdtConfig {
    pub key_len: u16,
    pub entry_size: u16,
    pub entries: u32,
    pub last_flush_ms: u32,
    pub last_rand_ms: u32,
    pub hash_rnd: u32,
    pub hash_mask: u32,
    pub hash_chain_gc: u32,
    pub proxy_qlen: u32,
}

/// One RTM_NEWNEIGHTBL of a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeighTblMsg {
    /// `neightbl_fill_info`: the table with its defaults.
    Table {
        family: Family,
        gc_interval: u64,
        thresh: [u32; 3],
        config: NdtConfig,
        stats: NeighStats,
        periodic_gc_runs: u64,
        parms: ParmsView,
    },
    /// `neightbl_fill_param_info`: one device's parms.
    Parms { family: Family, parms: ParmsView },
}

/// RTM_SETNEIGHTBL's NDTA_PARMS, by NDTPA_* attribute: applied in attribute order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParmsSet {
    pub ifindex: Option<u32>,
    /// (NDTPA_* type, value): u32 attributes as read, msecs as read (u64).
    pub values: Vec<(u16, u64)>,
}

/// RTM_SETNEIGHTBL (`neightbl_set`) as parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighTblSet {
    pub family: u8,
    /// NDTA_NAME (the string without its NUL).
    pub name: Option<Vec<u8>>,
    pub parms: Option<ParmsSet>,
    pub thresh1: Option<u32>,
    pub thresh2: Option<u32>,
    pub thresh3: Option<u32>,
    /// NDTA_GC_INTERVAL (msecs).
    pub gc_interval: Option<u64>,
}

/// NDTPA_* (include/uapi/linux/neighbour.h).
pub mod ndtpa {
    pub const IFINDEX: u16 = 1;
    pub const BASE_REACHABLE_TIME: u16 = 4;
    pub const RETRANS_TIME: u16 = 5;
    pub const GC_STALETIME: u16 = 6;
    pub const DELAY_PROBE_TIME: u16 = 7;
    pub const QUEUE_LEN: u16 = 8;
    pub const APP_PROBES: u16 = 9;
    pub const UCAST_PROBES: u16 = 10;
    pub const MCAST_PROBES: u16 = 11;
    pub const ANYCAST_DELAY: u16 = 12;
    pub const PROXY_DELAY: u16 = 13;
    pub const PROXY_QLEN: u16 = 14;
    pub const LOCKTIME: u16 = 15;
    pub const QUEUE_LENBYTES: u16 = 16;
    pub const MCAST_REPROBES: u16 = 17;
    pub const INTERVAL_PROBE_TIME_MS: u16 = 19;
}

/// The identity [`NeighParms::reachable_time_jiffies`] derives the table's own
/// (`tbl->parms`) reachable time from.
const TABLE_PARMS: DevId = DevId(u64::MAX);

/// `offsetof(struct neighbour, primary_key) + key_len`, aligned to 8 (`neigh_table_init`).
/// Not measured on the oracle: the layout of Debian's 6.12 struct neighbour as read from the
/// source (primary_key at 264 bytes).
const NEIGH_PRIMARY_KEY_OFFSET: u16 = 264;

impl Kernel {
    /// Whether `dev` has parms in table `f` (an in_device for arp, an inet6_dev for nd).
    fn has_parms(&self, dev: DevId, f: Family) -> bool {
        self.try_dev(dev).is_some_and(|d| match f {
            Family::Inet => d.inet.in4,
            Family::Inet6 => d.inet.in6,
        })
    }

    /// The parms an entry of `dev` uses (`neigh->parms`), or the table's defaults.
    pub fn neigh_parms(&self, ns: NetnsId, f: Family, dev: Option<DevId>) -> NeighParms {
        let mut p = dev
            .and_then(|d| {
                self.neigh_state(ns)?
                    .dev_parms
                    .iter()
                    .find(|(fam, id, _)| *fam == f && *id == d)
                    .map(|(_, _, p)| p.clone())
            })
            .unwrap_or_else(|| {
                let mut p = self.neigh_global(f).dflt;
                if dev.is_some() {
                    // neigh_parms_alloc draws the device's own reachable_time.
                    p.reachable_time = None;
                }
                p
            });
        p.fill_ms();
        p
    }

    /// `neigh_parms_release` of a device going away.
    pub(crate) fn neigh_parms_release(&mut self, dev: DevId) {
        let ns = self.dev(dev).netns;
        if let Some(st) = self.neigh_state_mut(ns) {
            st.dev_parms.retain(|(_, id, _)| *id != dev);
        }
    }

    fn parms_view(&self, ns: NetnsId, f: Family, dev: Option<DevId>) -> ParmsView {
        let p = self.neigh_parms(ns, f, dev);
        // The owner's reference, plus one per entry using the parms (`neigh_parms_clone`).
        let users = dev.map_or(0, |d| {
            self.neigh_state(ns).map_or(0, |st| {
                st.table(f).entries.iter().filter(|n| n.dev == d).count() as u32
            })
        });
        ParmsView {
            ifindex: dev.and_then(|d| self.try_dev(d)).map(|d| d.ifindex),
            refcnt: 1 + users,
            reachable_time: p.reachable_time_jiffies(dev.unwrap_or(TABLE_PARMS), f),
            parms: p,
        }
    }

    /// `neightbl_dump_info`: each table (of `family`, 0 for all) with its defaults, then the
    /// parms of the namespace's devices, newest first (`neigh_parms_alloc` adds at the head).
    pub fn neightbl_dump(&self, ns: NetnsId, family: u8) -> Vec<NeighTblMsg> {
        let mut out = Vec::new();
        for f in Family::ALL {
            if family != 0 && f.af() != family {
                continue;
            }
            let g: TableGlobal = self.neigh_global(f);
            let now = self.jiffies();
            // neigh_table_init (at boot, t = 0): the gc work first runs one (table) reachable
            // time later, then every base_reachable_time / 2 (`neigh_periodic_work`), which
            // moves last_rand to its run once 300 s have passed since; last_rand starts 20
            // reachable times ahead. (The periodic re-draw of the reachable times is not
            // modelled.)
            let rt0 = g.dflt.reachable_time_jiffies(TABLE_PARMS, f);
            let period = (g.dflt.base_reachable_time / 2).max(1);
            let runs = if now < rt0 {
                0
            } else {
                1 + (now - rt0) / period
            };
            let mut last_rand = rt0 * 20;
            for k in 0..runs.min(1 << 20) {
                let t = rt0 + k * period;
                if t > last_rand + 300 * HZ {
                    last_rand = t;
                }
            }
            let entries = self
                .namespaces
                .values()
                .map(|n| n.neigh.table(f).entries.len() as u32)
                .sum();
            let key_len = f.key_len() as u16;
            out.push(NeighTblMsg::Table {
                family: f,
                gc_interval: ms_to_jiffies(g.gc_interval_ms),
                thresh: [g.gc_thresh1, g.gc_thresh2, g.gc_thresh3],
                config: NdtConfig {
                    key_len,
                    entry_size: (NEIGH_PRIMARY_KEY_OFFSET + key_len).div_ceil(8) * 8,
                    entries,
                    last_flush_ms: jiffies_to_msecs(now) as u32,
                    // jiffies_to_msecs of an `unsigned long` delta, negative until the
                    // first re-draw: it wraps.
                    last_rand_ms: now.wrapping_sub(last_rand).wrapping_mul(1000 / HZ) as u32,
                    hash_rnd: 0x5bd1_e995 | 1,
                    hash_mask: 1u32.checked_shl(g.hash_shift).unwrap_or(0).wrapping_sub(1),
                    hash_chain_gc: 0,
                    proxy_qlen: 0,
                },
                stats: g.stats,
                periodic_gc_runs: runs,
                parms: self.parms_view(ns, f, None),
            });
            let mut devs: Vec<DevId> = self
                .netns(ns)
                .map(|n| n.by_index.values().copied().collect())
                .unwrap_or_default();
            devs.sort_by(|a, b| b.cmp(a));
            for d in devs {
                if self.has_parms(d, f) {
                    out.push(NeighTblMsg::Parms {
                        family: f,
                        parms: self.parms_view(ns, f, Some(d)),
                    });
                }
            }
        }
        out
    }

    /// `neightbl_set`.
    pub fn neightbl_set(&mut self, ns: NetnsId, req: &NeighTblSet) -> KResult<()> {
        let Some(name) = &req.name else {
            return Err(KernelError::new(errno::EINVAL));
        };
        let Some(f) = Family::ALL
            .into_iter()
            .filter(|f| req.family == 0 || f.af() == req.family)
            .find(|f| name.as_slice() == f.id().as_bytes())
        else {
            return Err(KernelError::new(errno::ENOENT));
        };
        if let Some(ps) = &req.parms {
            let ifindex = ps.ifindex.unwrap_or(0);
            // lookup_neigh_parms: a device of this namespace with parms in the table, or the
            // defaults (initial namespace only).
            let target = if ifindex == 0 {
                if ns != INIT_NET {
                    return Err(KernelError::new(errno::ENOENT));
                }
                None
            } else {
                match self.dev_by_index(ns, ifindex) {
                    Some(d) if self.has_parms(d, f) => Some(d),
                    _ => return Err(KernelError::new(errno::ENOENT)),
                }
            };
            let mut p = self.neigh_parms(ns, f, target);
            if let Some(d) = target {
                p.reachable_time = Some(p.reachable_time_jiffies(d, f));
            }
            let mut values = ps.values.clone();
            values.sort_by_key(|(t, _)| *t);
            for (t, v) in values {
                let v32 = v as u32;
                let j = ms_to_jiffies(v);
                use NeighVar::*;
                let (var, x) = match t {
                    ndtpa::QUEUE_LEN => (
                        QueueLenBytes,
                        u64::from(v32.wrapping_mul(SKB_TRUESIZE_ETH_FRAME)),
                    ),
                    ndtpa::QUEUE_LENBYTES => (QueueLenBytes, u64::from(v32)),
                    ndtpa::PROXY_QLEN => (ProxyQlen, u64::from(v32)),
                    ndtpa::APP_PROBES => (AppProbes, u64::from(v32)),
                    ndtpa::UCAST_PROBES => (UcastProbes, u64::from(v32)),
                    ndtpa::MCAST_PROBES => (McastProbes, u64::from(v32)),
                    ndtpa::MCAST_REPROBES => (McastReprobes, u64::from(v32)),
                    ndtpa::BASE_REACHABLE_TIME => (BaseReachableTime, j),
                    ndtpa::GC_STALETIME => (GcStaletime, j),
                    ndtpa::DELAY_PROBE_TIME => (DelayProbeTime, j),
                    ndtpa::INTERVAL_PROBE_TIME_MS => (IntervalProbeTimeMs, j),
                    ndtpa::RETRANS_TIME => (RetransTime, j),
                    ndtpa::ANYCAST_DELAY => (AnycastDelay, j),
                    ndtpa::PROXY_DELAY => (ProxyDelay, j),
                    ndtpa::LOCKTIME => (Locktime, j),
                    _ => continue,
                };
                p.set(var, x);
                if var == BaseReachableTime {
                    p.reachable_time = Some(self.neigh_rand_reach_time(j));
                }
            }
            match target {
                Some(d) => {
                    if let Some(st) = self.neigh_state_mut(ns) {
                        st.dev_parms.retain(|(fam, id, _)| !(*fam == f && *id == d));
                        st.dev_parms.push((f, d, p));
                    }
                }
                None => {
                    self.neigh_snapshot_device_parms(f);
                    if let Some(g) = self.neigh_global_mut(f) {
                        g.dflt = p;
                    }
                }
            }
        }
        // Thresholds and gc interval are global: only the initial namespace sets them (after
        // the parms above, which stay changed).
        let global = req.thresh1.is_some()
            || req.thresh2.is_some()
            || req.thresh3.is_some()
            || req.gc_interval.is_some();
        if global && ns != INIT_NET {
            return Err(KernelError::new(errno::ENOENT));
        }
        if global {
            if let Some(g) = self.neigh_global_mut(f) {
                if let Some(v) = req.thresh1 {
                    g.gc_thresh1 = v;
                }
                if let Some(v) = req.thresh2 {
                    g.gc_thresh2 = v;
                }
                if let Some(v) = req.thresh3 {
                    g.gc_thresh3 = v;
                }
                if let Some(v) = req.gc_interval {
                    // nla_get_msecs: kept in jiffies.
                    g.gc_interval_ms = jiffies_to_msecs(ms_to_jiffies(v));
                }
            }
        }
        Ok(())
    }

    /// `neigh_rand_reach_time`: uniform in [base/2, 3*base/2).
    fn neigh_rand_reach_time(&mut self, base: u64) -> u64 {
        if base == 0 {
            0
        } else {
            self.rng().next_u64() % base + (base >> 1)
        }
    }

    /// A tunable as /proc/sys/net/ipv{4,6}/neigh/<dev>/ (or `default`, `dev` None: the
    /// initial namespace only) holds it; None where the kernel has no such file.
    pub fn neigh_var_get(
        &self,
        ns: NetnsId,
        f: Family,
        dev: Option<DevId>,
        var: NeighVar,
    ) -> Option<u64> {
        match dev {
            None if ns != INIT_NET => None,
            Some(d) if !self.has_parms(d, f) => None,
            _ => Some(self.neigh_parms(ns, f, dev).get(var)),
        }
    }

    /// A write of /proc/sys/net/ipv{4,6}/neigh/<dev|default>/<var> (after the proc handler's
    /// conversion): `NEIGH_VAR_SET` and `neigh_proc_update` — a write of the default reaches
    /// the devices of the namespace that did not set the variable themselves
    /// (`neigh_copy_dflt_parms`); a base reachable time draws a new reachable time for the
    /// parms written (`neigh_proc_base_reachable_time`). ENOENT where the file does not exist.
    pub fn neigh_var_set(
        &mut self,
        ns: NetnsId,
        f: Family,
        dev: Option<DevId>,
        var: NeighVar,
        value: u64,
    ) -> KResult<()> {
        if self.neigh_var_get(ns, f, dev, var).is_none() {
            return Err(KernelError::new(errno::ENOENT));
        }
        let redraw =
            (var == NeighVar::BaseReachableTime).then(|| self.neigh_rand_reach_time(value));
        match dev {
            Some(d) => {
                let mut p = self.neigh_parms(ns, f, Some(d));
                p.reachable_time = Some(p.reachable_time_jiffies(d, f));
                p.set(var, value);
                if redraw.is_some() {
                    p.reachable_time = redraw;
                }
                if let Some(st) = self.neigh_state_mut(ns) {
                    st.dev_parms.retain(|(fam, id, _)| !(*fam == f && *id == d));
                    st.dev_parms.push((f, d, p));
                }
            }
            None => {
                // Devices of other namespaces keep what they copied.
                self.neigh_snapshot_device_parms_where(f, |n| n != INIT_NET);
                if let Some(g) = self.neigh_global_mut(f) {
                    g.dflt.set(var, value);
                    if redraw.is_some() {
                        g.dflt.reachable_time = redraw;
                    }
                }
                if let Some(st) = self.neigh_state_mut(ns) {
                    let bit = 1 << (var as u32);
                    for (fam, _, p) in st.dev_parms.iter_mut() {
                        if *fam == f && p.data_state & bit == 0 {
                            p.store(var, value);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Before the defaults change: every device following them keeps the values it copied.
    fn neigh_snapshot_device_parms(&mut self, f: Family) {
        self.neigh_snapshot_device_parms_where(f, |_| true);
    }

    fn neigh_snapshot_device_parms_where(&mut self, f: Family, ns_pred: impl Fn(NetnsId) -> bool) {
        let devs: Vec<(NetnsId, DevId)> = self
            .all_devices()
            .filter(|d| ns_pred(d.netns) && self.has_parms(d.id, f))
            .map(|d| (d.netns, d.id))
            .collect();
        for (ns, d) in devs {
            let has = self.neigh_state(ns).is_some_and(|st| {
                st.dev_parms
                    .iter()
                    .any(|(fam, id, _)| *fam == f && *id == d)
            });
            if has {
                continue;
            }
            let mut p = self.neigh_parms(ns, f, Some(d));
            p.reachable_time = Some(p.reachable_time_jiffies(d, f));
            if let Some(st) = self.neigh_state_mut(ns) {
                st.dev_parms.push((f, d, p));
            }
        }
    }
}
