//! net/ipv4/fib_trie.c: one table's prefixes. The kernel's LC-trie keeps, per leaf (one key),
//! the aliases of every prefix length of that key, most specific first; a walk visits the
//! leaves in key order. Here a B-tree keyed by (key, suffix length) keeps exactly that order
//! without the trie's nodes, and a longest-prefix lookup probes at most 33 prefixes.

use super::semantics::FibAlias;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The aliases of one prefix in one table, in the kernel's list order (`fib_find_alias`:
/// dscp descending, then priority ascending, then insertion). Almost every prefix has one:
/// it is stored in the B-tree's slot itself, no allocation of its own.
pub type AliasList = SmallVec<[FibAlias; 1]>;

/// One table's prefixes (`struct trie`). Only the FIB changes it (`FibTables` keeps the
/// shared `fib_info`s' counts in step).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "Vec<TrieEntry>", into = "Vec<TrieEntry>")]
pub struct Trie {
    /// Key: `key << 8 | slen` (slen = 32 - prefix length): leaves in key order, and within a
    /// leaf the longer prefixes first, as `fib_insert_alias` orders `l->leaf`.
    leaves: BTreeMap<u64, AliasList>,
    /// How many prefixes of each length the table holds: a lookup probes only the lengths
    /// present (the LC-trie's descent never visits lengths it lacks either).
    plens: [u32; 33],
}

impl Default for Trie {
    fn default() -> Self {
        Trie {
            leaves: BTreeMap::new(),
            plens: [0; 33],
        }
    }
}

/// How a state file stores one prefix of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrieEntry {
    pub dst: Ipv4Addr,
    pub plen: u8,
    pub aliases: Vec<FibAlias>,
}

fn slot(dst: u32, plen: u8) -> u64 {
    ((dst as u64) << 8) | (32 - plen.min(32)) as u64
}

fn unslot(k: u64) -> (u32, u8) {
    ((k >> 8) as u32, 32 - (k & 0xff) as u8)
}

impl From<Vec<TrieEntry>> for Trie {
    fn from(v: Vec<TrieEntry>) -> Self {
        let mut t = Trie::default();
        for e in v {
            if !e.aliases.is_empty() {
                t.aliases_mut(u32::from(e.dst), e.plen).extend(e.aliases);
            }
        }
        t
    }
}

impl From<Trie> for Vec<TrieEntry> {
    fn from(t: Trie) -> Self {
        t.leaves
            .into_iter()
            .map(|(k, a)| {
                let (dst, plen) = unslot(k);
                TrieEntry {
                    dst: Ipv4Addr::from(dst),
                    plen,
                    aliases: a.into_vec(),
                }
            })
            .collect()
    }
}

impl Trie {
    /// The aliases of `dst/plen` (`fib_find_node` + the leaf's section for that suffix).
    pub fn aliases(&self, dst: u32, plen: u8) -> &[FibAlias] {
        self.leaves.get(&slot(dst, plen)).map_or(&[], |l| &l[..])
    }

    /// The alias list of `dst/plen`, created empty when missing (`fib_insert_node`).
    pub(super) fn aliases_mut(&mut self, dst: u32, plen: u8) -> &mut AliasList {
        match self.leaves.entry(slot(dst, plen)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                self.plens[plen.min(32) as usize] += 1;
                e.insert(AliasList::new())
            }
        }
    }

    /// Whether the table holds a prefix of length `plen`.
    pub fn has_plen(&self, plen: u8) -> bool {
        self.plens.get(plen as usize).is_some_and(|n| *n != 0)
    }

    /// A leaf is gone: one prefix of its length less.
    fn leaf_removed(&mut self, k: u64) {
        let (_, plen) = unslot(k);
        let n = &mut self.plens[plen.min(32) as usize];
        *n = n.saturating_sub(1);
    }

    /// Drops the list of `dst/plen` once it is empty (`fib_remove_alias` frees the leaf).
    pub(super) fn prune(&mut self, dst: u32, plen: u8) {
        let k = slot(dst, plen);
        if self.leaves.get(&k).is_some_and(|l| l.is_empty()) {
            self.leaves.remove(&k);
            self.leaf_removed(k);
        }
    }

    /// Every prefix in walk order (`fib_table_dump`: keys ascending, longer prefixes first).
    pub fn iter(&self) -> impl Iterator<Item = (u32, u8, &[FibAlias])> + '_ {
        self.leaves.iter().map(|(k, l)| {
            let (dst, plen) = unslot(*k);
            (dst, plen, &l[..])
        })
    }

    /// Every alias, mutably (the flush and sync walks).
    pub(super) fn for_each_mut(&mut self, mut f: impl FnMut(&mut FibAlias)) {
        for l in self.leaves.values_mut() {
            for fa in l.iter_mut() {
                f(fa);
            }
        }
    }

    /// Removes the aliases `keep` refuses, calling `gone` for each (with its prefix and its
    /// position in the list before removal), and frees empty leaves.
    pub(super) fn retain(
        &mut self,
        mut keep: impl FnMut(&FibAlias) -> bool,
        mut gone: impl FnMut(u32, u8, FibAlias),
    ) {
        let mut empty = Vec::new();
        for (k, l) in self.leaves.iter_mut() {
            if l.iter().all(&mut keep) {
                continue;
            }
            let (dst, plen) = unslot(*k);
            let old = std::mem::take(l);
            for fa in old {
                if keep(&fa) {
                    l.push(fa);
                } else {
                    gone(dst, plen, fa);
                }
            }
            if l.is_empty() {
                empty.push(*k);
            }
        }
        for k in empty {
            self.leaves.remove(&k);
            self.leaf_removed(k);
        }
    }

    /// The prefixes covering `addr`, longest first (the order `fib_table_lookup`
    /// backtracks in): at most 33 probes.
    pub fn covering(&self, addr: u32) -> impl Iterator<Item = (u32, u8, &[FibAlias])> + '_ {
        (0..=32u8)
            .rev()
            .filter(|p| self.has_plen(*p))
            .filter_map(move |plen| {
                let dst = addr & crate::inet::ifaddr::prefix_mask_v4(plen);
                self.leaves
                    .get(&slot(dst, plen))
                    .map(|l| (dst, plen, &l[..]))
            })
    }

    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// Number of aliases (routes) in the table.
    pub fn len(&self) -> usize {
        self.leaves.values().map(|l| l.len()).sum()
    }
}
