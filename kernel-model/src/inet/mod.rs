//! IPv4 and IPv6 above the devices: addresses (`devinet.rs` is net/ipv4/devinet.c,
//! `addrconf.rs` net/ipv6/addrconf.c), the IPv4 FIB (`fib/`: fib_frontend.c, fib_trie.c,
//! fib_semantics.c) and the IPv6 routing table (`ip6_route.rs`: net/ipv6/route.c and
//! ip6_fib.c).
//!
//! The two sides meet where the kernel's do: IPv4 addresses reach the FIB through the
//! inetaddr notifier (`fib_inetaddr_event`, which calls `fib_add_ifaddr` / `fib_del_ifaddr`),
//! IPv6 addresses through the calls addrconf.c makes into route.c (`addrconf_prefix_route`,
//! `addrconf_f6i_alloc` + `ip6_ins_rt`, `addrconf_add_mroute`, `rt6_disable_ip`). The entry
//! points of the routing side are in `fib/frontend.rs` and `ip6_route.rs`.
//!
//! Policy routing rules (`fib_rules.rs`: net/core/fib_rules.c, with `fib4_rules.rs` and
//! `fib6_rules.rs`) are per namespace; `Kernel::fib_rules_lookup` tells a route lookup which
//! tables to try. `netconf.rs` reports the forwarding-related configuration (RTM_*NETCONF).

pub mod addrconf;
pub mod addrconf_dad;
pub mod addrconf_ifinfo;
pub mod addrconf_saddr;
pub mod addrconf_stable;
pub mod addrconf_token;
pub mod anycast;
pub mod devinet;
pub mod devinet_ioctl;
pub mod fib;
pub mod fib4_rules;
pub mod fib6_rules;
pub mod fib_rules;
pub mod ifaddr;
pub mod igmp;
pub mod ip6_fib;
pub mod ip6_route;
pub mod netconf;
pub mod nexthop;
pub mod procfs;
pub mod route_get;
pub mod route_get6;
pub mod route_input;
