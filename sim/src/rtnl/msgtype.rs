//! rtnetlink message types and family headers the router and the handlers share
//! (include/uapi/linux/rtnetlink.h).

/// `sizeof(struct ifinfomsg)`.
pub const IFINFOMSG_LEN: usize = 16;
/// RTM_MAX in Linux 6.12: types above it are refused before any lookup.
pub const RTM_MAX: u16 = 123;
/// PF_UNSPEC: the family `rtnl_register` uses for handlers of every family.
pub const PF_UNSPEC: u8 = 0;
/// AF_BRIDGE: `bridge link` asks for RTM_GETLINK dumps of this family.
pub const AF_BRIDGE: u8 = 7;
/// AF_INET6, as an IFLA_AF_SPEC nest type.
pub const AF_INET6: u16 = 10;
/// IFLA_INET6_* a request may carry in its AF_INET6 nest (include/uapi/linux/if_link.h).
pub use crate::wire::policy::tables::{IFLA_INET6_ADDR_GEN_MODE, IFLA_INET6_TOKEN};

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_GETADDR: u16 = 22;
pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;
pub const RTM_GETVLAN: u16 = 114;

/// Message types a Linux 6.12 kernel has handlers for, by name, so that nlsim can say which
/// one it does not model (`rtnl_register` calls across net/).
pub fn known_rtm_name(t: u16) -> Option<&'static str> {
    Some(match t {
        20 => "RTM_NEWADDR",
        21 => "RTM_DELADDR",
        22 => "RTM_GETADDR",
        24 => "RTM_NEWROUTE",
        25 => "RTM_DELROUTE",
        26 => "RTM_GETROUTE",
        28 => "RTM_NEWNEIGH",
        29 => "RTM_DELNEIGH",
        30 => "RTM_GETNEIGH",
        32 => "RTM_NEWRULE",
        33 => "RTM_DELRULE",
        34 => "RTM_GETRULE",
        36..=47 => "traffic control (RTM_*QDISC/TCLASS/TFILTER)",
        48..=50 => "RTM_*ACTION",
        58 => "RTM_GETMULTICAST",
        62 => "RTM_GETANYCAST",
        72..=74 => "RTM_*ADDRLABEL",
        78 => "RTM_GETDCB",
        80..=82 => "RTM_*NETCONF",
        84..=86 => "RTM_*MDB",
        // RTM_GETNEIGHTBL (dump) and RTM_SETNEIGHTBL are handled (neigh.rs); RTM_NEWNEIGHTBL
        // has no handler in the kernel.
        // RTM_NEWNSID and RTM_GETNSID are handled; RTM_DELNSID has no handler in the kernel.
        // RTM_GETSTATS is handled for the extended link statistics (stats.rs).
        92 | 94 => "RTM_*STATS",
        100..=102 => "RTM_*CHAIN",
        104..=106 => "RTM_*NEXTHOP",
        112..=114 => "RTM_*VLAN",
        116..=118 => "RTM_*NEXTHOPBUCKET",
        120..=122 => "RTM_*TUNNEL",
        _ => return None,
    })
}
