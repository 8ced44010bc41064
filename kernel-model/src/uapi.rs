//! Numbers from the kernel's user API headers (include/uapi/linux/{if.h,if_link.h,if_arp.h,
//! netdevice.h}, asm-generic/errno*.h). They are part of the ABI, not of the netlink byte format,
//! so the model may use them to name flags, attributes and errors.

/// Error numbers (asm-generic/errno-base.h, errno.h). Positive, as in the kernel's `-E*` returns.
pub mod errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const E2BIG: i32 = 7;
    pub const EBADF: i32 = 9;
    pub const ESRCH: i32 = 3;
    pub const ENAMETOOLONG: i32 = 36;
    pub const EBUSY: i32 = 16;
    pub const EEXIST: i32 = 17;
    pub const ENODEV: i32 = 19;
    pub const EINVAL: i32 = 22;
    pub const ENFILE: i32 = 23;
    pub const ERANGE: i32 = 34;
    pub const ELOOP: i32 = 40;
    pub const ENOTEMPTY: i32 = 39;
    pub const EPROTONOSUPPORT: i32 = 93;
    pub const EOPNOTSUPP: i32 = 95;
    pub const EADDRINUSE: i32 = 98;
    pub const EADDRNOTAVAIL: i32 = 99;
    pub const EAFNOSUPPORT: i32 = 97;
    pub const ENETDOWN: i32 = 100;
    pub const ENOBUFS: i32 = 105;
    pub const EACCES: i32 = 13;
    pub const ENOSPC: i32 = 28;
    pub const ENOTCONN: i32 = 107;
    pub const EXFULL: i32 = 54;
    pub const EBADFD: i32 = 77;
}

/// `IFF_*` interface flags (include/uapi/linux/if.h).
pub mod iff {
    pub const UP: u32 = 1 << 0;
    pub const BROADCAST: u32 = 1 << 1;
    pub const DEBUG: u32 = 1 << 2;
    pub const LOOPBACK: u32 = 1 << 3;
    pub const POINTOPOINT: u32 = 1 << 4;
    pub const NOTRAILERS: u32 = 1 << 5;
    pub const RUNNING: u32 = 1 << 6;
    pub const NOARP: u32 = 1 << 7;
    pub const PROMISC: u32 = 1 << 8;
    pub const ALLMULTI: u32 = 1 << 9;
    pub const MASTER: u32 = 1 << 10;
    pub const SLAVE: u32 = 1 << 11;
    pub const MULTICAST: u32 = 1 << 12;
    pub const PORTSEL: u32 = 1 << 13;
    pub const AUTOMEDIA: u32 = 1 << 14;
    pub const DYNAMIC: u32 = 1 << 15;
    pub const LOWER_UP: u32 = 1 << 16;
    pub const DORMANT: u32 = 1 << 17;
    pub const ECHO: u32 = 1 << 18;
    /// Flags user space may change with `dev_change_flags` (`__dev_change_flags` masks with these).
    pub const USER_CHANGEABLE: u32 = NOTRAILERS
        | NOARP
        | DYNAMIC
        | MULTICAST
        | PORTSEL
        | AUTOMEDIA
        | UP
        | PROMISC
        | ALLMULTI
        | DEBUG;
    /// `IFF_VOLATILE` (include/uapi/linux/if.h): flags the kernel computes, never stored.
    pub const VOLATILE: u32 =
        LOOPBACK | POINTOPOINT | BROADCAST | ECHO | MASTER | SLAVE | RUNNING | LOWER_UP | DORMANT;
}

/// `IF_OPER_*` (RFC 2863 operational states, include/uapi/linux/if.h).
pub mod oper {
    pub const UNKNOWN: u8 = 0;
    pub const NOTPRESENT: u8 = 1;
    pub const DOWN: u8 = 2;
    pub const LOWERLAYERDOWN: u8 = 3;
    pub const TESTING: u8 = 4;
    pub const DORMANT: u8 = 5;
    pub const UP: u8 = 6;
}

/// `IF_LINK_MODE_*`.
pub mod link_mode {
    pub const DEFAULT: u8 = 0;
    pub const DORMANT: u8 = 1;
    pub const TESTING: u8 = 2;
}

/// `ARPHRD_*` hardware types (include/uapi/linux/if_arp.h).
pub mod arphrd {
    pub const ETHER: u16 = 1;
    pub const IPGRE: u16 = 778;
    pub const LOOPBACK: u16 = 772;
    pub const IP6GRE: u16 = 823;
    pub const NETLINK: u16 = 824;
    pub const NONE: u16 = 0xfffe;
}

/// `NET_ADDR_*` address assignment types (include/uapi/linux/netdevice.h).
pub mod addr_assign {
    pub const PERM: u8 = 0;
    pub const RANDOM: u8 = 1;
    pub const STOLEN: u8 = 2;
    pub const SET: u8 = 3;
}

/// `NET_NAME_*` name assignment types.
pub mod name_assign {
    pub const UNKNOWN: u8 = 0;
    pub const ENUM: u8 = 1;
    pub const PREDICTABLE: u8 = 2;
    pub const USER: u8 = 3;
    pub const RENAMED: u8 = 4;
}

/// `IFLA_*` attribute numbers (include/uapi/linux/if_link.h, Linux 6.12; `MAX` is
/// IFLA_DPLL_PIN): the one definition. The model names the attribute an error points at with
/// them (the netlink side turns a path of these into NLMSGERR_ATTR_OFFS); the netlink side's
/// policy tables re-export them with the `IFLA_` prefix.
pub mod ifla {
    pub const UNSPEC: u16 = 0;
    pub const ADDRESS: u16 = 1;
    pub const BROADCAST: u16 = 2;
    pub const IFNAME: u16 = 3;
    pub const MTU: u16 = 4;
    pub const LINK: u16 = 5;
    pub const QDISC: u16 = 6;
    pub const STATS: u16 = 7;
    pub const COST: u16 = 8;
    pub const PRIORITY: u16 = 9;
    pub const MASTER: u16 = 10;
    pub const WIRELESS: u16 = 11;
    pub const PROTINFO: u16 = 12;
    pub const TXQLEN: u16 = 13;
    pub const MAP: u16 = 14;
    pub const WEIGHT: u16 = 15;
    pub const OPERSTATE: u16 = 16;
    pub const LINKMODE: u16 = 17;
    pub const LINKINFO: u16 = 18;
    pub const NET_NS_PID: u16 = 19;
    pub const IFALIAS: u16 = 20;
    pub const NUM_VF: u16 = 21;
    pub const VFINFO_LIST: u16 = 22;
    pub const STATS64: u16 = 23;
    pub const VF_PORTS: u16 = 24;
    pub const PORT_SELF: u16 = 25;
    pub const AF_SPEC: u16 = 26;
    pub const GROUP: u16 = 27;
    pub const NET_NS_FD: u16 = 28;
    pub const EXT_MASK: u16 = 29;
    pub const PROMISCUITY: u16 = 30;
    pub const NUM_TX_QUEUES: u16 = 31;
    pub const NUM_RX_QUEUES: u16 = 32;
    pub const CARRIER: u16 = 33;
    pub const PHYS_PORT_ID: u16 = 34;
    pub const CARRIER_CHANGES: u16 = 35;
    pub const PHYS_SWITCH_ID: u16 = 36;
    pub const LINK_NETNSID: u16 = 37;
    pub const PHYS_PORT_NAME: u16 = 38;
    pub const PROTO_DOWN: u16 = 39;
    pub const GSO_MAX_SEGS: u16 = 40;
    pub const GSO_MAX_SIZE: u16 = 41;
    pub const PAD: u16 = 42;
    pub const XDP: u16 = 43;
    pub const EVENT: u16 = 44;
    pub const NEW_NETNSID: u16 = 45;
    pub const TARGET_NETNSID: u16 = 46;
    pub const CARRIER_UP_COUNT: u16 = 47;
    pub const CARRIER_DOWN_COUNT: u16 = 48;
    pub const NEW_IFINDEX: u16 = 49;
    pub const MIN_MTU: u16 = 50;
    pub const MAX_MTU: u16 = 51;
    pub const PROP_LIST: u16 = 52;
    pub const ALT_IFNAME: u16 = 53;
    pub const PERM_ADDRESS: u16 = 54;
    pub const PROTO_DOWN_REASON: u16 = 55;
    pub const PARENT_DEV_NAME: u16 = 56;
    pub const PARENT_DEV_BUS_NAME: u16 = 57;
    pub const GRO_MAX_SIZE: u16 = 58;
    pub const TSO_MAX_SIZE: u16 = 59;
    pub const TSO_MAX_SEGS: u16 = 60;
    pub const ALLMULTI: u16 = 61;
    pub const DEVLINK_PORT: u16 = 62;
    pub const GSO_IPV4_MAX_SIZE: u16 = 63;
    pub const GRO_IPV4_MAX_SIZE: u16 = 64;
    pub const DPLL_PIN: u16 = 65;
    pub const MAX: u16 = DPLL_PIN;

    // IFLA_INFO_* (the IFLA_LINKINFO nest).
    pub const INFO_KIND: u16 = 1;
    pub const INFO_DATA: u16 = 2;
    pub const INFO_XSTATS: u16 = 3;
    pub const INFO_SLAVE_KIND: u16 = 4;
    pub const INFO_SLAVE_DATA: u16 = 5;
    pub const INFO_MAX: u16 = 5;
}

/// `IFNAMSIZ` (include/uapi/linux/if.h): names are at most 15 bytes plus NUL.
pub const IFNAMSIZ: usize = 16;
/// `ALTIFNAMSIZ` (include/uapi/linux/if.h): altnames are at most 127 bytes plus NUL.
pub const ALTIFNAMSIZ: usize = 128;
/// `ETH_ALEN`.
pub const ETH_ALEN: usize = 6;
/// `ETH_DATA_LEN`, the default Ethernet MTU.
pub const ETH_DATA_LEN: u32 = 1500;
/// `ETH_MIN_MTU` / `ETH_MAX_MTU` (include/uapi/linux/if_ether.h).
pub const ETH_MIN_MTU: u32 = 68;
pub const ETH_MAX_MTU: u32 = 0xffff;
/// `GSO_MAX_SIZE` / `GSO_LEGACY_MAX_SIZE` / `GSO_MAX_SEGS` (include/linux/netdevice.h).
pub const GSO_LEGACY_MAX_SIZE: u32 = 65536;
pub const GSO_MAX_SIZE: u32 = 524280;
pub const GSO_MAX_SEGS: u32 = 65535;
/// `TSO_LEGACY_MAX_SIZE`, what `netif_set_tso_max_size` starts from for most drivers.
pub const TSO_LEGACY_MAX_SIZE: u32 = 65536;
/// `DEFAULT_TX_QUEUE_LEN` (include/uapi/linux/if.h? net/ethernet/eth.c `ether_setup`).
pub const DEFAULT_TX_QUEUE_LEN: u32 = 1000;

/// `UTS_RELEASE` of the kernel the model reproduces: Debian's 6.12.117 build that the
/// cross-check oracle boots (golden/oracle/README.md). Only texts that print it use it
/// (`bond_version` in /proc/net/bonding).
pub const KERNEL_RELEASE: &str = "6.12.117+deb12-amd64";
