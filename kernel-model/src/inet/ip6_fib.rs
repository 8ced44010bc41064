//! net/ipv6/ip6_fib.c: the IPv6 tables (`struct fib6_table`) and their routes
//! (`struct fib6_info`). The kernel keeps a radix tree per table and walks it children first
//! (`fib6_walk_continue`: left subtree, right subtree, then the node's own routes); a B-tree
//! keyed by (last address of the prefix, 128 - prefix length) visits the prefixes in exactly
//! that order, and a longest-prefix lookup probes at most 129 prefixes.

use crate::device::DevId;
use crate::inet::fib::semantics::Metrics;
use crate::inet::fib::uapi::table;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::collections::BTreeMap;
use std::net::Ipv6Addr;

/// `FIB6_TABLE_HASHSZ` with multiple tables.
pub const FIB6_TABLE_HASHSZ: u32 = 256;

/// `struct fib6_nh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fib6Nh {
    /// `fib_nh_dev` (loopback for reject routes).
    pub dev: DevId,
    pub gw: Option<Ipv6Addr>,
    /// `fib_nh_flags` (RTNH_F_*).
    pub flags: u32,
    pub weight: u16,
}

/// `struct fib6_info`: one route of a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fib6Info {
    /// `fib6_metric` (RTA_PRIORITY).
    pub metric: u32,
    pub protocol: u8,
    /// `fib6_type`.
    pub kind: u8,
    /// `fib6_flags` (RTF_*).
    pub flags: u32,
    pub prefsrc: Option<Ipv6Addr>,
    pub metrics: Metrics,
    pub nh: Fib6Nh,
    /// `expires` (RTF_EXPIRES): absolute time in nanoseconds of the model's clock.
    #[serde(default)]
    pub expires: Option<u64>,
    /// `rt->nh`: the nexthop object's id (0: none); `nh` then copies its first path.
    #[serde(default)]
    pub nh_id: u32,
}

impl Fib6Info {
    /// `rt6_qualify_for_ecmp`: a gateway route not learnt from router advertisements.
    pub fn qualifies_for_ecmp(&self) -> bool {
        self.flags & crate::inet::fib::uapi::rtf::ADDRCONF == 0
            && self.nh_id == 0
            && self.nh.gw.is_some()
    }

    /// `rt6_duplicate_nexthop`.
    pub fn duplicate_nexthop(&self, o: &Fib6Info) -> bool {
        if self.nh_id != 0 || o.nh_id != 0 {
            return self.nh_id == o.nh_id;
        }
        self.nh.dev == o.nh.dev
            && self.nh.gw.unwrap_or(Ipv6Addr::UNSPECIFIED)
                == o.nh.gw.unwrap_or(Ipv6Addr::UNSPECIFIED)
    }
}

/// The routes of one prefix (`fn->leaf` and its `fib6_next` chain), metric ascending.
pub type Rt6List = SmallVec<[Fib6Info; 1]>;

/// A node of the tree: a destination prefix, and for source-specific routes (IPV6_SUBTREES,
/// `ip -6 route add DST from SRC`) the source prefix of its subtree (`src_len` 0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix6 {
    pub dst: Ipv6Addr,
    pub plen: u8,
    pub src: Ipv6Addr,
    pub src_len: u8,
}

impl Prefix6 {
    /// A destination-only node.
    pub fn dst_only(dst: Ipv6Addr, plen: u8) -> Self {
        Prefix6 {
            dst: ipv6_addr_prefix(dst, plen),
            plen,
            src: Ipv6Addr::UNSPECIFIED,
            src_len: 0,
        }
    }

    /// A node with a source prefix (both prefixes masked).
    pub fn with_src(dst: Ipv6Addr, plen: u8, src: Ipv6Addr, src_len: u8) -> Self {
        Prefix6 {
            dst: ipv6_addr_prefix(dst, plen),
            plen,
            src: ipv6_addr_prefix(src, src_len),
            src_len,
        }
    }
}

/// The walk-order key of a node. `fib6_walk_continue` visits a node's source subtree first
/// (FWS_S), then its left and right children, then its own routes (FWS_C): a destination's
/// source-specific routes come before everything under it (phase 0, keyed by the prefix's
/// first address, shorter prefixes first), its own routes after (phase 1, keyed by its last
/// address, longer prefixes first); inside a subtree the sources walk the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key6 {
    pos: u128,
    phase: u8,
    /// Phase 0: the prefix length; phase 1: 128 - prefix length.
    len: u8,
    src_end: u128,
    src_inv: u8,
}

fn mask6(plen: u8) -> u128 {
    match plen {
        0 => 0,
        p if p >= 128 => u128::MAX,
        p => u128::MAX << (128 - p as u32),
    }
}

impl Key6 {
    fn of(n: Prefix6) -> Self {
        let plen = n.plen.min(128);
        let start = u128::from(n.dst) & mask6(plen);
        if n.src_len == 0 {
            return Key6 {
                pos: start | !mask6(plen),
                phase: 1,
                len: 128 - plen,
                src_end: 0,
                src_inv: 0,
            };
        }
        let sl = n.src_len.min(128);
        Key6 {
            pos: start,
            phase: 0,
            len: plen,
            src_end: (u128::from(n.src) & mask6(sl)) | !mask6(sl),
            src_inv: 128 - sl,
        }
    }

    fn node(&self) -> Prefix6 {
        if self.phase == 1 {
            let plen = 128 - self.len;
            return Prefix6::dst_only(Ipv6Addr::from(self.pos & mask6(plen)), plen);
        }
        let sl = 128 - self.src_inv;
        Prefix6::with_src(
            Ipv6Addr::from(self.pos),
            self.len,
            Ipv6Addr::from(self.src_end & mask6(sl)),
            sl,
        )
    }
}

/// `ipv6_addr_prefix`: the address with the bits after `plen` cleared.
pub fn ipv6_addr_prefix(a: Ipv6Addr, plen: u8) -> Ipv6Addr {
    Ipv6Addr::from(u128::from(a) & mask6(plen))
}

/// How a state file stores one prefix of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fib6Entry {
    pub dst: Ipv6Addr,
    pub plen: u8,
    #[serde(default = "unspecified6")]
    pub src: Ipv6Addr,
    #[serde(default)]
    pub src_len: u8,
    pub routes: Vec<Fib6Info>,
}

fn unspecified6() -> Ipv6Addr {
    Ipv6Addr::UNSPECIFIED
}

/// One table's prefixes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Fib6Entry>", into = "Vec<Fib6Entry>")]
pub struct Fib6Tree {
    nodes: BTreeMap<Key6, Rt6List>,
}

impl From<Vec<Fib6Entry>> for Fib6Tree {
    fn from(v: Vec<Fib6Entry>) -> Self {
        let mut t = Fib6Tree::default();
        for e in v {
            if !e.routes.is_empty() {
                let n = Prefix6::with_src(e.dst, e.plen, e.src, e.src_len);
                t.nodes.insert(Key6::of(n), e.routes.into());
            }
        }
        t
    }
}

impl From<Fib6Tree> for Vec<Fib6Entry> {
    fn from(t: Fib6Tree) -> Self {
        t.nodes
            .into_iter()
            .map(|(k, r)| {
                let n = k.node();
                Fib6Entry {
                    dst: n.dst,
                    plen: n.plen,
                    src: n.src,
                    src_len: n.src_len,
                    routes: r.into_vec(),
                }
            })
            .collect()
    }
}

impl Fib6Tree {
    /// `fib6_locate`: the routes of exactly node `n`.
    pub fn routes(&self, n: Prefix6) -> &[Fib6Info] {
        self.nodes.get(&Key6::of(n)).map_or(&[], |l| &l[..])
    }

    pub fn routes_mut(&mut self, n: Prefix6) -> &mut Rt6List {
        self.nodes.entry(Key6::of(n)).or_default()
    }

    /// Frees node `n` once it holds no route (`fib6_repair_tree`).
    pub fn prune(&mut self, n: Prefix6) {
        let k = Key6::of(n);
        if self.nodes.get(&k).is_some_and(|l| l.is_empty()) {
            self.nodes.remove(&k);
        }
    }

    /// Every node in `fib6_walk` order.
    pub fn iter(&self) -> impl Iterator<Item = (Prefix6, &[Fib6Info])> + '_ {
        self.nodes.iter().map(|(k, l)| (k.node(), &l[..]))
    }

    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut Fib6Info)) {
        for l in self.nodes.values_mut() {
            for rt in l.iter_mut() {
                f(rt);
            }
        }
    }

    /// The destination-only prefixes covering `addr`, longest first (source-specific routes
    /// need a source a lookup here never has).
    pub fn covering(
        &self,
        addr: Ipv6Addr,
    ) -> impl Iterator<Item = (Ipv6Addr, u8, &[Fib6Info])> + '_ {
        (0..=128u8).rev().filter_map(move |plen| {
            let n = Prefix6::dst_only(addr, plen);
            self.nodes.get(&Key6::of(n)).map(|l| (n.dst, plen, &l[..]))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// `struct fib6_table`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fib6Table {
    pub id: u32,
    pub seq: u64,
    pub tree: Fib6Tree,
}

/// `net->ipv6`'s tables: main and local exist from the start (`fib6_tables_init`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fib6Tables {
    tables: BTreeMap<u32, Fib6Table>,
    next_seq: u64,
    /// `net->ipv6.ip6_fib_timer` while pending.
    #[serde(default)]
    pub gc_timer: Option<crate::time::TimerKey>,
}

impl Default for Fib6Tables {
    fn default() -> Self {
        let mut t = Fib6Tables {
            tables: BTreeMap::new(),
            next_seq: 0,
            gc_timer: None,
        };
        t.new_table(table::MAIN);
        t.new_table(table::LOCAL);
        t
    }
}

impl Fib6Tables {
    /// `fib6_get_table` (id 0 means main).
    pub fn get(&self, id: u32) -> Option<&Fib6Table> {
        self.tables.get(&if id == 0 { table::MAIN } else { id })
    }

    pub fn get_mut(&mut self, id: u32) -> Option<&mut Fib6Table> {
        self.tables.get_mut(&if id == 0 { table::MAIN } else { id })
    }

    /// `fib6_new_table`.
    pub fn new_table(&mut self, id: u32) -> &mut Fib6Table {
        let id = if id == 0 { table::MAIN } else { id };
        let seq = self.next_seq;
        let t = self.tables.entry(id).or_insert_with(|| Fib6Table {
            id,
            seq,
            tree: Fib6Tree::default(),
        });
        if t.seq == seq {
            self.next_seq += 1;
        }
        t
    }

    /// The tables in `inet6_dump_fib` / `fib6_clean_all` order: bucket, then newest first.
    pub fn walk_order(&self) -> Vec<u32> {
        let mut v: Vec<&Fib6Table> = self.tables.values().collect();
        v.sort_by_key(|t| (t.id & (FIB6_TABLE_HASHSZ - 1), std::cmp::Reverse(t.seq)));
        v.iter().map(|t| t.id).collect()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Fib6Table> + '_ {
        self.tables.values_mut()
    }
}

/// `ip6_rt_gc_interval` (net.ipv6.route.gc_interval): 30 s.
pub const IP6_RT_GC_INTERVAL: u64 = 30 * crate::time::HZ;

/// `round_jiffies` on CPU 0: to the nearest whole second (a remainder under a quarter second
/// rounds down), never into the past.
fn round_jiffies(j: u64, now: u64) -> u64 {
    let hz = crate::time::HZ;
    let rem = j % hz;
    let r = if rem < hz / 4 { j - rem } else { j - rem + hz };
    if r > now {
        r
    } else {
        j
    }
}

impl crate::kernel::Kernel {
    /// `fib6_start_gc`: arms the namespace's gc timer for an expiring route unless pending.
    pub(crate) fn fib6_start_gc(&mut self, ns: crate::device::NetnsId) {
        let pending = self.fib(ns).is_some_and(|f| f.v6.gc_timer.is_some());
        if pending {
            return;
        }
        let at = (self.jiffies() + IP6_RT_GC_INTERVAL) * crate::time::NSEC_PER_JIFFY;
        let key = self.timer_add(at, crate::time::Timer::Fib6Gc(ns));
        if let Some(f) = self.fib_mut(ns) {
            f.v6.gc_timer = Some(key);
        }
    }

    /// `fib6_gc_timer_cb` → `fib6_run_gc(0, net, true)`: expired routes go (announced), and
    /// the timer is re-armed while expiring routes remain.
    pub(crate) fn fib6_gc_timer_cb(&mut self, ns: crate::device::NetnsId) {
        let Some(fib) = self.fib_mut(ns) else { return };
        fib.v6.gc_timer = None;
        let now = self.jiffies();
        let more = self.fib6_gc_expired(ns, now);
        if more > 0 {
            let at = round_jiffies(now + IP6_RT_GC_INTERVAL, now) * crate::time::NSEC_PER_JIFFY;
            let key = self.timer_add(at, crate::time::Timer::Fib6Gc(ns));
            if let Some(f) = self.fib_mut(ns) {
                f.v6.gc_timer = Some(key);
            }
        }
    }
}
