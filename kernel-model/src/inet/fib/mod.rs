//! The IPv4 FIB (net/ipv4/fib_*.c). `frontend.rs` holds the entry points the rest of the
//! model calls (the inetaddr and netdevice notifiers of fib_frontend.c, RTM_*ROUTE, the
//! dump); `semantics.rs` what a route is and how a request is checked (fib_semantics.c);
//! `trie.rs` one table's prefixes (fib_trie.c); `table.rs` the namespace's tables;
//! `info_hash.rs` the `fib_info`s routes share (`fib_info_hash`);
//! `view.rs` a route as messages carry it (both families); `ifa_access.rs` what the FIB
//! reads of the address side.

pub mod frontend;
pub mod ifa_access;
pub mod info_hash;
pub mod semantics;
pub mod table;
pub mod trie;
pub mod uapi;
pub mod view;

use serde::{Deserialize, Serialize};

/// The routing state of one namespace: `net->ipv4`'s FIB tables and `net->ipv6`'s.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NetFib {
    pub v4: table::FibTables,
    #[serde(default)]
    pub v6: crate::inet::ip6_fib::Fib6Tables,
}
