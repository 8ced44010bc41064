//! fib_semantics.c's `fib_info_hash`: the `fib_info`s of a namespace, one per distinct route
//! description, shared by every alias that says the same thing (`fib_find_info` at the end of
//! `fib_create_info`), counted by `fib_treeref` and freed with the last alias
//! (`fib_release_info`). A full table via a few gateways holds a few `fib_info`s, not one per
//! route.
//!
//! A shared `FibInfo` is never written in place: a state change (a nexthop going dead, a
//! nexthop object's new paths) builds the new state and [`FibInfoHash::replace`] swaps it in;
//! the tables then point their aliases at it (`FibTables::apply_info_changes`). What
//! identifies a `fib_info` here never changes while it is linked.

use super::semantics::FibInfo;
use smallvec::SmallVec;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// One linked `fib_info` and its `fib_treeref` (the aliases using it).
#[derive(Debug, Clone)]
struct Linked {
    fi: Arc<FibInfo>,
    treeref: u32,
}

/// A fixed-key hasher: the buckets' layout is the same in every run.
type FixedState = BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

/// `fib_info_hash` (one namespace's share of it).
#[derive(Debug, Clone, Default)]
pub struct FibInfoHash {
    buckets: HashMap<u32, SmallVec<[Linked; 1]>, FixedState>,
    /// `fib_info_cnt`.
    count: usize,
}

/// `fib_devindex_hashfn`.
fn devindex_hashfn(val: u32) -> u32 {
    const DEVINDEX_HASHBITS: u32 = 8;
    let mask = (1u32 << DEVINDEX_HASHBITS) - 1;
    (val ^ (val >> DEVINDEX_HASHBITS) ^ (val >> (DEVINDEX_HASHBITS * 2))) & mask
}

/// `fib_info_hashfn` (before the table-size mask): what never changes while a `fib_info` is
/// linked. A route using a nexthop object has no nexthops of its own (`fib_nhs` 0) and hashes
/// the object's id.
fn fib_info_hashfn(fi: &FibInfo) -> u32 {
    let nhs = if fi.nh_id != 0 {
        0
    } else {
        fi.nhs.len() as u32
    };
    let mut val = nhs
        ^ ((fi.protocol as u32) << 8 | fi.scope as u32)
        ^ fi.prefsrc.map_or(0, u32::from)
        ^ fi.priority;
    if fi.nh_id != 0 {
        val ^= devindex_hashfn(fi.nh_id);
    } else {
        for nh in &fi.nhs {
            val ^= devindex_hashfn(nh.oif);
        }
    }
    val ^ (val >> 7) ^ (val >> 12)
}

impl FibInfoHash {
    /// `fib_find_info` and, when nothing equal is linked, `link_it`: the shared `fib_info`
    /// for `fi`, its `fib_treeref` taken.
    pub fn link(&mut self, fi: FibInfo) -> Arc<FibInfo> {
        let bucket = self.buckets.entry(fib_info_hashfn(&fi)).or_default();
        if let Some(l) = bucket.iter_mut().find(|l| l.fi.same_as(&fi)) {
            l.treeref += 1;
            return l.fi.clone();
        }
        let fi = Arc::new(fi);
        bucket.push(Linked {
            fi: fi.clone(),
            treeref: 1,
        });
        self.count += 1;
        fi
    }

    /// `fib_release_info`: an alias using `fi` is gone; the last one unlinks it.
    pub fn release(&mut self, fi: &Arc<FibInfo>) {
        let hash = fib_info_hashfn(fi);
        let Some(bucket) = self.buckets.get_mut(&hash) else {
            return;
        };
        let Some(pos) = bucket.iter().position(|l| Arc::ptr_eq(&l.fi, fi)) else {
            return;
        };
        bucket[pos].treeref -= 1;
        if bucket[pos].treeref == 0 {
            bucket.remove(pos);
            self.count -= 1;
            if bucket.is_empty() {
                self.buckets.remove(&hash);
            }
        }
    }

    /// Puts `new` (the same route description in a new state) where `old` was linked, with
    /// its `fib_treeref`.
    pub fn replace(&mut self, old: &Arc<FibInfo>, new: Arc<FibInfo>) {
        let linked = self
            .buckets
            .get_mut(&fib_info_hashfn(old))
            .and_then(|b| b.iter_mut().find(|l| Arc::ptr_eq(&l.fi, old)));
        if let Some(l) = linked {
            l.fi = new;
        }
    }

    /// Every linked `fib_info`, in no particular order (a state change of one never depends
    /// on another).
    pub fn iter(&self) -> impl Iterator<Item = &Arc<FibInfo>> + '_ {
        self.buckets.values().flatten().map(|l| &l.fi)
    }

    /// `fib_info_cnt`: the distinct `fib_info`s in use.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The aliases using `fi` (`fib_treeref`), 0 when it is not linked.
    pub fn treeref(&self, fi: &Arc<FibInfo>) -> u32 {
        self.buckets
            .get(&fib_info_hashfn(fi))
            .and_then(|b| b.iter().find(|l| Arc::ptr_eq(&l.fi, fi)))
            .map_or(0, |l| l.treeref)
    }
}
