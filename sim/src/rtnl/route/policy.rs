//! The route attribute policies: `rtm_ipv4_policy` (net/ipv4/fib_frontend.c, also what
//! `ip_valid_fib_dump_req` parses dumps of both families with) and `rtm_ipv6_policy`
//! (net/ipv6/route.c).

use crate::wire::policy::{AttrPolicy, NlaType, Policy};

pub const RTA_DST: u16 = 1;
pub const RTA_SRC: u16 = 2;
pub const RTA_IIF: u16 = 3;
pub const RTA_OIF: u16 = 4;
pub const RTA_GATEWAY: u16 = 5;
pub const RTA_PRIORITY: u16 = 6;
pub const RTA_PREFSRC: u16 = 7;
pub const RTA_METRICS: u16 = 8;
pub const RTA_MULTIPATH: u16 = 9;
pub const RTA_FLOW: u16 = 11;
pub const RTA_CACHEINFO: u16 = 12;
pub const RTA_TABLE: u16 = 15;
pub const RTA_MARK: u16 = 16;
pub const RTA_VIA: u16 = 18;
pub const RTA_NEWDST: u16 = 19;
pub const RTA_PREF: u16 = 20;
pub const RTA_ENCAP_TYPE: u16 = 21;
pub const RTA_ENCAP: u16 = 22;
pub const RTA_EXPIRES: u16 = 23;
pub const RTA_UID: u16 = 25;
pub const RTA_IP_PROTO: u16 = 27;
pub const RTA_SPORT: u16 = 28;
pub const RTA_DPORT: u16 = 29;
pub const RTA_NH_ID: u16 = 30;
pub const RTA_MAX: u16 = 30;

/// `sizeof(struct rtnexthop)`.
pub const RTNH_LEN: u16 = 8;

const fn ipv4_table() -> [AttrPolicy; RTA_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; RTA_MAX as usize + 1];
    p[RTA_DST as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_SRC as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_IIF as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_OIF as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_GATEWAY as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_PRIORITY as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_PREFSRC as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_METRICS as usize] = AttrPolicy::of(NlaType::Nested);
    p[RTA_MULTIPATH as usize] = AttrPolicy::with_len(NlaType::Unspec, RTNH_LEN);
    p[RTA_FLOW as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_ENCAP_TYPE as usize] = AttrPolicy::of(NlaType::U16);
    p[RTA_ENCAP as usize] = AttrPolicy::of(NlaType::Nested);
    p[RTA_UID as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_MARK as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_TABLE as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_IP_PROTO as usize] = AttrPolicy::of(NlaType::U8);
    p[RTA_SPORT as usize] = AttrPolicy::of(NlaType::U16);
    p[RTA_DPORT as usize] = AttrPolicy::of(NlaType::U16);
    p[RTA_NH_ID as usize] = AttrPolicy::of(NlaType::U32);
    p
}

const fn ipv6_table() -> [AttrPolicy; RTA_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; RTA_MAX as usize + 1];
    p[RTA_GATEWAY as usize] = AttrPolicy::with_len(NlaType::Unspec, 16);
    p[RTA_PREFSRC as usize] = AttrPolicy::with_len(NlaType::Unspec, 16);
    p[RTA_OIF as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_IIF as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_PRIORITY as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_METRICS as usize] = AttrPolicy::of(NlaType::Nested);
    p[RTA_MULTIPATH as usize] = AttrPolicy::with_len(NlaType::Unspec, RTNH_LEN);
    p[RTA_PREF as usize] = AttrPolicy::of(NlaType::U8);
    p[RTA_ENCAP_TYPE as usize] = AttrPolicy::of(NlaType::U16);
    p[RTA_ENCAP as usize] = AttrPolicy::of(NlaType::Nested);
    p[RTA_EXPIRES as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_UID as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_MARK as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_TABLE as usize] = AttrPolicy::of(NlaType::U32);
    p[RTA_IP_PROTO as usize] = AttrPolicy::of(NlaType::U8);
    p[RTA_SPORT as usize] = AttrPolicy::of(NlaType::U16);
    p[RTA_DPORT as usize] = AttrPolicy::of(NlaType::U16);
    p[RTA_NH_ID as usize] = AttrPolicy::of(NlaType::U32);
    p
}

static IPV4_TABLE: [AttrPolicy; RTA_MAX as usize + 1] = ipv4_table();
static IPV6_TABLE: [AttrPolicy; RTA_MAX as usize + 1] = ipv6_table();

/// `rtm_ipv4_policy` (strict from RTA_DPORT + 1).
pub static RTM_IPV4_POLICY: Policy = Policy {
    name: "rtm_ipv4_policy",
    strict_start_type: RTA_DPORT + 1,
    attrs: &IPV4_TABLE,
};

/// `rtm_ipv6_policy` (strict from RTA_DPORT + 1).
pub static RTM_IPV6_POLICY: Policy = Policy {
    name: "rtm_ipv6_policy",
    strict_start_type: RTA_DPORT + 1,
    attrs: &IPV6_TABLE,
};
