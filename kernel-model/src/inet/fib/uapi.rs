//! The routing constants of include/uapi/linux/rtnetlink.h, ipv6_route.h and the errnos the
//! FIB returns that the link code never needed.

/// `enum rt_class_t`: the reserved table ids.
pub mod table {
    pub const UNSPEC: u32 = 0;
    /// RT_TABLE_COMPAT: what `rtm_table` says for ids that do not fit in a byte.
    pub const COMPAT: u32 = 252;
    pub const DEFAULT: u32 = 253;
    pub const MAIN: u32 = 254;
    pub const LOCAL: u32 = 255;
}

/// Route types (`RTN_*`).
pub mod rtn {
    pub const UNSPEC: u8 = 0;
    pub const UNICAST: u8 = 1;
    pub const LOCAL: u8 = 2;
    pub const BROADCAST: u8 = 3;
    pub const ANYCAST: u8 = 4;
    pub const MULTICAST: u8 = 5;
    pub const BLACKHOLE: u8 = 6;
    pub const UNREACHABLE: u8 = 7;
    pub const PROHIBIT: u8 = 8;
    pub const THROW: u8 = 9;
    pub const NAT: u8 = 10;
    pub const XRESOLVE: u8 = 11;
    pub const MAX: u8 = 11;
}

/// `enum rt_scope_t`.
pub mod scope {
    pub const UNIVERSE: u8 = 0;
    pub const SITE: u8 = 200;
    pub const LINK: u8 = 253;
    pub const HOST: u8 = 254;
    pub const NOWHERE: u8 = 255;
}

/// Route origins (`RTPROT_*`).
pub mod rtprot {
    pub const UNSPEC: u8 = 0;
    pub const KERNEL: u8 = 2;
    pub const BOOT: u8 = 3;
}

/// `rtnh_flags` / `rtm_flags` nexthop bits (`RTNH_F_*`) and the `rtm_flags` above them.
pub mod rtnh_f {
    pub const DEAD: u32 = 1;
    pub const PERVASIVE: u32 = 2;
    pub const ONLINK: u32 = 4;
    pub const OFFLOAD: u32 = 8;
    pub const LINKDOWN: u32 = 16;
    pub const UNRESOLVED: u32 = 32;
    pub const TRAP: u32 = 64;
    /// RTNH_COMPARE_MASK: what `fib_find_info` / `nh_comp` ignore.
    pub const COMPARE_MASK: u32 = DEAD | LINKDOWN | OFFLOAD | TRAP;
    /// RTM_F_CLONED.
    pub const RTM_CLONED: u32 = 0x200;
    /// RTM_F_PREFIX.
    pub const RTM_PREFIX: u32 = 0x800;
    /// RTM_F_OFFLOAD.
    pub const RTM_OFFLOAD: u32 = 0x4000;
    /// RTM_F_TRAP.
    pub const RTM_TRAP: u32 = 0x8000;
}

/// `RTAX_*`: the RTA_METRICS entries.
pub mod rtax {
    pub const LOCK: u16 = 1;
    pub const MTU: u16 = 2;
    pub const CWND: u16 = 7;
    pub const ADVMSS: u16 = 8;
    pub const HOPLIMIT: u16 = 10;
    pub const FEATURES: u16 = 12;
    pub const CC_ALGO: u16 = 16;
    pub const MAX: u16 = 17;
    /// RTAX_FEATURE_MASK.
    pub const FEATURE_MASK: u32 = 0x1 | 0x2 | 0x4 | 0x8;
}

/// IPv6 `fib6_flags` (include/uapi/linux/ipv6_route.h, `RTF_*`).
pub mod rtf {
    pub const UP: u32 = 0x0001;
    pub const GATEWAY: u32 = 0x0002;
    pub const EXPIRES: u32 = 0x0040_0000;
    pub const ADDRCONF: u32 = 0x0004_0000;
    pub const PREFIX_RT: u32 = 0x0008_0000;
    pub const ANYCAST: u32 = 0x0010_0000;
    pub const NONEXTHOP: u32 = 0x0020_0000;
    pub const CACHE: u32 = 0x0100_0000;
    pub const PCPU: u32 = 0x4000_0000;
    pub const LOCAL: u32 = 0x8000_0000;
    pub const REJECT: u32 = 0x0200;
    pub const DEFAULT: u32 = 0x0001_0000;
    pub const ALLONLINK: u32 = 0x0002_0000;
    /// `RTF_PREF(pref)`: the router preference in bits 27-28.
    pub const fn pref(p: u8) -> u32 {
        (p as u32) << 27
    }
    /// `IPV6_EXTRACT_PREF`.
    pub const fn extract_pref(flags: u32) -> u8 {
        ((flags & (3 << 27)) >> 27) as u8
    }
}

/// `ICMPV6_ROUTER_PREF_*`.
pub mod pref {
    pub const LOW: u8 = 0x3;
    pub const MEDIUM: u8 = 0x0;
    pub const HIGH: u8 = 0x1;
}

/// Errnos of the routing code.
pub mod errno {
    pub const EAGAIN: i32 = 11;
    pub const ENETUNREACH: i32 = 101;
    pub const EHOSTUNREACH: i32 = 113;
}
