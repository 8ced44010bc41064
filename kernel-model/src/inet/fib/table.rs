//! The IPv4 tables of a namespace (`net->ipv4.fib_table_hash`, fib_frontend.c:
//! `fib_new_table`, `fib_get_table`). With CONFIG_IP_MULTIPLE_TABLES (Debian) no table exists
//! until a route needs it; `local` is created over `main` (`fib_trie_table(id, alias)`: the
//! two share one trie while there are no custom rules, so a lookup in either sees both).

use super::trie::Trie;
use super::uapi::table;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// `net->ipv4`'s tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FibTables {
    tables: BTreeMap<u32, FibTable>,
    next_seq: u64,
    /// `net->ipv4.fib_has_custom_local_routes`.
    #[serde(default)]
    pub has_custom_local_routes: bool,
}

impl FibTables {
    /// `fib_get_table` (id 0 means main).
    pub fn get(&self, id: u32) -> Option<&FibTable> {
        self.tables.get(&if id == 0 { table::MAIN } else { id })
    }

    pub fn get_mut(&mut self, id: u32) -> Option<&mut FibTable> {
        self.tables.get_mut(&if id == 0 { table::MAIN } else { id })
    }

    /// `fib_new_table`: the table, created when missing (local after main, its alias).
    pub fn new_table(&mut self, id: u32) -> &mut FibTable {
        let id = if id == 0 { table::MAIN } else { id };
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
        let id = if id == 0 { table::MAIN } else { id };
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
}
