//! `ifa_ipv4_policy` (net/ipv4/devinet.c) and `ifa_ipv6_policy` (net/ipv6/addrconf.c), and the
//! IFA_* numbers (include/uapi/linux/if_addr.h).

use crate::wire::policy::{AttrPolicy, NlaType, Policy};

pub const IFA_ADDRESS: u16 = 1;
pub const IFA_LOCAL: u16 = 2;
pub const IFA_LABEL: u16 = 3;
pub const IFA_BROADCAST: u16 = 4;
pub const IFA_CACHEINFO: u16 = 6;
pub const IFA_FLAGS: u16 = 8;
pub const IFA_RT_PRIORITY: u16 = 9;
pub const IFA_TARGET_NETNSID: u16 = 10;
pub const IFA_PROTO: u16 = 11;
/// IFA_MAX in Linux 6.12.
pub const IFA_MAX: u16 = 11;

/// `sizeof(struct ifaddrmsg)`.
pub const IFADDRMSG_LEN: usize = 8;
/// `sizeof(struct ifa_cacheinfo)`.
const IFA_CACHEINFO_LEN: u16 = 16;
/// `IFNAMSIZ - 1`.
const IFNAMSIZ_1: u16 = 15;

const fn ifa_ipv4_table() -> [AttrPolicy; IFA_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFA_MAX as usize + 1];
    p[IFA_LOCAL as usize] = AttrPolicy::of(NlaType::U32);
    p[IFA_ADDRESS as usize] = AttrPolicy::of(NlaType::U32);
    p[IFA_BROADCAST as usize] = AttrPolicy::of(NlaType::U32);
    p[IFA_LABEL as usize] = AttrPolicy::with_len(NlaType::String, IFNAMSIZ_1);
    p[IFA_CACHEINFO as usize] = AttrPolicy::with_len(NlaType::Unspec, IFA_CACHEINFO_LEN);
    p[IFA_FLAGS as usize] = AttrPolicy::of(NlaType::U32);
    p[IFA_RT_PRIORITY as usize] = AttrPolicy::of(NlaType::U32);
    p[IFA_TARGET_NETNSID as usize] = AttrPolicy::of(NlaType::S32);
    p[IFA_PROTO as usize] = AttrPolicy::of(NlaType::U8);
    p
}

static IFA_IPV4_TABLE: [AttrPolicy; IFA_MAX as usize + 1] = ifa_ipv4_table();

/// `ifa_ipv4_policy`.
pub static IFA_IPV4_POLICY: Policy = Policy {
    name: "ifa_ipv4_policy",
    strict_start_type: 0,
    attrs: &IFA_IPV4_TABLE,
};

const fn ifa_ipv6_table() -> [AttrPolicy; IFA_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFA_MAX as usize + 1];
    p[IFA_ADDRESS as usize] = AttrPolicy::with_len(NlaType::Unspec, 16);
    p[IFA_LOCAL as usize] = AttrPolicy::with_len(NlaType::Unspec, 16);
    p[IFA_CACHEINFO as usize] = AttrPolicy::with_len(NlaType::Unspec, IFA_CACHEINFO_LEN);
    p[IFA_FLAGS as usize] = AttrPolicy::with_len(NlaType::Unspec, 4);
    p[IFA_RT_PRIORITY as usize] = AttrPolicy::with_len(NlaType::Unspec, 4);
    p[IFA_TARGET_NETNSID as usize] = AttrPolicy::of(NlaType::S32);
    p[IFA_PROTO as usize] = AttrPolicy::of(NlaType::U8);
    p
}

static IFA_IPV6_TABLE: [AttrPolicy; IFA_MAX as usize + 1] = ifa_ipv6_table();

/// `ifa_ipv6_policy`.
pub static IFA_IPV6_POLICY: Policy = Policy {
    name: "ifa_ipv6_policy",
    strict_start_type: 0,
    attrs: &IFA_IPV6_TABLE,
};
