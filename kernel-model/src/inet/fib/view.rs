//! A route as RTM_NEWROUTE / RTM_DELROUTE carry it, filled at the moment the kernel fills it
//! (`fib_dump_info`, `rt6_fill_node`): devices are ifindexes by then, so a notification
//! outlives the device it names.

use std::net::IpAddr;

/// One nexthop as `fib_nexthop_info` / `fib_add_nexthop` put it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NhView {
    /// `rtnh_ifindex` / RTA_OIF (0: no device).
    pub ifindex: u32,
    pub gateway: Option<IpAddr>,
    /// RTNH_F_* as reported (`rtnh_flags`; the rtm_flags of a single-path route).
    pub flags: u8,
    /// `rtnh_hops` (weight - 1).
    pub hops: u8,
    /// RTA_FLOW (IPv4 `nh_tclassid`, 0: absent).
    pub flow: u32,
}

/// What an IPv6 route adds (`rt6_fill_node`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V6Extra {
    /// `rta_expires` of RTA_CACHEINFO, in clock ticks (USER_HZ), 0 for none.
    pub expires: i32,
    /// RTA_PREF.
    pub pref: u8,
}

/// The route a message describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteView {
    /// AF_INET or AF_INET6.
    pub family: u8,
    pub dst_len: u8,
    /// `rtm_src_len` and RTA_SRC (IPv6 source-specific routes).
    pub src_len: u8,
    pub src: Option<IpAddr>,
    pub tos: u8,
    /// The table id (RTA_TABLE; `rtm_table` is it or RT_TABLE_COMPAT).
    pub table: u32,
    pub protocol: u8,
    pub scope: u8,
    pub kind: u8,
    /// `rtm_flags`.
    pub flags: u32,
    pub dst: IpAddr,
    pub priority: u32,
    /// Non-zero metrics in RTAX order.
    pub metrics: Vec<(u16, u32)>,
    pub prefsrc: Option<IpAddr>,
    /// One nexthop (RTA_GATEWAY / RTA_OIF), or RTA_MULTIPATH when there are more; empty for
    /// the IPv4 error routes (no device, no gateway).
    pub nhs: Vec<NhView>,
    /// RTA_MULTIPATH even for one nexthop (IPv4 routes created with RTA_MULTIPATH of 1 hop
    /// dump as single-path: `fib_info_num_path` is 1; kept false there).
    pub multipath: bool,
    pub v6: Option<V6Extra>,
    /// RTA_NH_ID: the nexthop object the route uses (0: none).
    pub nh_id: u32,
}

/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;
