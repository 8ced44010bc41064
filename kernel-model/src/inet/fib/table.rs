//! The IPv4 tables of a namespace (`net->ipv4.fib_table_hash`, fib_frontend.c:
//! `fib_new_table`, `fib_get_table`). With CONFIG_IP_MULTIPLE_TABLES (Debian) no table exists
//! until a route needs it; `local` is created over `main` (`fib_trie_table(id, alias)`: the
//! two share one trie while there are no custom rules, so a lookup in either sees both).

use super::info_hash::FibInfoHash;
use super::semantics::{FibAlias, FibInfo};
use super::trie::Trie;
use super::uapi::table;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// `FIB_TABLE_HASHSZ` with multiple tables: the dump walks the buckets in order.
pub const FIB_TABLE_HASHSZ: u32 = 256;

/// `struct fib_table`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FibTable {
    pub id: u32,
    /// Creation order: `hlist_add_head_rcu` puts a newer table first in its bucket.
    pub seq: u64,
    pub trie: Trie,
}

/// `net->ipv4`'s tables, and the `fib_info`s their aliases share.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "FibTablesState")]
pub struct FibTables {
    tables: BTreeMap<u32, FibTable>,
    next_seq: u64,
    /// `net->ipv4.fib_has_custom_local_routes`.
    #[serde(default)]
    pub has_custom_local_routes: bool,
    /// `fib_info_hash` (this namespace's entries): rebuilt from the aliases on load.
    #[serde(skip)]
    infos: FibInfoHash,
}

/// `FibTables` as a state file holds it (every alias with its own copy of its `fib_info`).
#[derive(Deserialize)]
struct FibTablesState {
    tables: BTreeMap<u32, FibTable>,
    next_seq: u64,
    #[serde(default)]
    has_custom_local_routes: bool,
}

impl From<FibTablesState> for FibTables {
    /// Links the loaded aliases' `fib_info`s again: equal ones become one.
    fn from(s: FibTablesState) -> Self {
        let mut infos = FibInfoHash::default();
        let mut tables = s.tables;
        for t in tables.values_mut() {
            t.trie
                .for_each_mut(|fa| fa.info = infos.link(FibInfo::clone(&fa.info)));
        }
        FibTables {
            tables,
            next_seq: s.next_seq,
            has_custom_local_routes: s.has_custom_local_routes,
            infos,
        }
    }
}

/// Table 0 means main.
fn table_id(id: u32) -> u32 {
    if id == 0 {
        table::MAIN
    } else {
        id
    }
}

impl FibTables {
    /// `fib_get_table` (id 0 means main).
    pub fn get(&self, id: u32) -> Option<&FibTable> {
        self.tables.get(&table_id(id))
    }

    pub fn get_mut(&mut self, id: u32) -> Option<&mut FibTable> {
        self.tables.get_mut(&table_id(id))
    }

    /// `fib_new_table`: the table, created when missing (local after main, its alias).
    pub fn new_table(&mut self, id: u32) -> &mut FibTable {
        let id = table_id(id);
        if !self.tables.contains_key(&id) {
            if id == table::LOCAL {
                self.new_table(table::MAIN);
            }
            let seq = self.next_seq;
            // A state file's seq at its maximum wraps rather than panicking.
            self.next_seq = self.next_seq.wrapping_add(1);
            self.tables.insert(
                id,
                FibTable {
                    id,
                    seq,
                    trie: Trie::default(),
                },
            );
        }
        self.tables
            .get_mut(&id)
            .unwrap_or_else(|| unreachable!("table {id} was just inserted"))
    }

    /// The tables in `inet_dump_fib`'s order: hash bucket (`id & 255`), then newest first.
    pub fn dump_order(&self) -> Vec<&FibTable> {
        let mut v: Vec<&FibTable> = self.tables.values().collect();
        v.sort_by_key(|t| (t.id & (FIB_TABLE_HASHSZ - 1), std::cmp::Reverse(t.seq)));
        v
    }

    /// The tables a lookup in `id` searches: local and main share a trie (the alias), so
    /// either sees both, local's aliases first (`fib_insert_alias` orders a leaf by tb_id
    /// descending).
    pub fn lookup_set(&self, id: u32) -> Vec<&FibTable> {
        let id = table_id(id);
        if id == table::LOCAL || id == table::MAIN {
            [table::LOCAL, table::MAIN]
                .iter()
                .filter_map(|t| self.tables.get(t))
                .collect()
        } else {
            self.tables.get(&id).into_iter().collect()
        }
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut FibTable> + '_ {
        self.tables.values_mut()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FibTable> + '_ {
        self.tables.values()
    }

    /// `fib_info_hash`: the distinct `fib_info`s the aliases use.
    pub fn infos(&self) -> &FibInfoHash {
        &self.infos
    }

    /// `fib_table_insert` → `fib_insert_alias`: `fi` linked (`fib_create_info`'s `link_it`:
    /// an equal one is shared) and the new alias put at `at` in the list of `dst/plen` of table
    /// `tb` (at the end for None). Returns the alias and where it went.
    pub(super) fn insert_alias(
        &mut self,
        tb: u32,
        (dst, plen): (u32, u8),
        at: Option<usize>,
        dscp: u8,
        kind: u8,
        fi: FibInfo,
    ) -> (FibAlias, usize) {
        let info = self.infos.link(fi);
        let fa = FibAlias { dscp, kind, info };
        let aliases = self.new_table(tb).trie.aliases_mut(dst, plen);
        let at = at.unwrap_or(aliases.len()).min(aliases.len());
        aliases.insert(at, fa.clone());
        (fa, at)
    }

    /// `fib_table_insert` with NLM_F_REPLACE: a new alias (same dscp) takes the place of the
    /// one at `at` (`hlist_replace_rcu`) and the old `fib_info` is released
    /// (`fib_release_info(fi_drop)`).
    pub(super) fn replace_alias(
        &mut self,
        tb: u32,
        (dst, plen): (u32, u8),
        at: usize,
        kind: u8,
        fi: FibInfo,
    ) -> Option<FibAlias> {
        let info = self.infos.link(fi);
        let table = self.tables.get_mut(&table_id(tb))?;
        let old = table.trie.aliases_mut(dst, plen).get_mut(at)?;
        let fa = FibAlias {
            dscp: old.dscp,
            kind,
            info,
        };
        let old = std::mem::replace(old, fa.clone());
        self.infos.release(&old.info);
        Some(fa)
    }

    /// `fib_table_delete`: the alias at `at` of `dst/plen` goes (`fib_remove_alias`, the leaf
    /// with its last alias) and its `fib_info` is released.
    pub(super) fn remove_alias(&mut self, tb: u32, (dst, plen): (u32, u8), at: usize) {
        let Some(table) = self.tables.get_mut(&table_id(tb)) else {
            return;
        };
        let aliases = table.trie.aliases_mut(dst, plen);
        if at < aliases.len() {
            let old = aliases.remove(at);
            self.infos.release(&old.info);
        }
        table.trie.prune(dst, plen);
    }

    /// `fib_table_flush` (not flush_all): table `tb` drops the aliases whose `fib_info` is
    /// dead, releasing each; returned with their prefixes, in key order.
    pub(super) fn flush_dead(&mut self, tb: u32) -> Vec<(u32, u8, FibAlias)> {
        let mut gone = Vec::new();
        if let Some(t) = self.tables.get_mut(&table_id(tb)) {
            t.trie.retain(
                |fa| !fa.info.dead(),
                |dst, plen, fa| gone.push((dst, plen, fa)),
            );
        }
        for (_, _, fa) in &gone {
            self.infos.release(&fa.info);
        }
        gone
    }

    /// Installs new states of linked `fib_info`s (a nexthop gone dead, a nexthop object's new
    /// paths): each `(old, new)` takes `old`'s place in the hash and in every alias sharing it.
    pub(super) fn apply_info_changes(&mut self, changes: Vec<(Arc<FibInfo>, FibInfo)>) {
        if changes.is_empty() {
            return;
        }
        let mut by_old: HashMap<*const FibInfo, Arc<FibInfo>> = HashMap::new();
        for (old, new) in changes {
            let new = Arc::new(new);
            self.infos.replace(&old, new.clone());
            by_old.insert(Arc::as_ptr(&old), new);
        }
        for t in self.tables.values_mut() {
            t.trie.for_each_mut(|fa| {
                if let Some(new) = by_old.get(&Arc::as_ptr(&fa.info)) {
                    fa.info = new.clone();
                }
            });
        }
    }
}
