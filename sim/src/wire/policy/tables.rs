//! Policy tables as in Linux 6.12 (checked against 6.12.33):
//! `ifla_policy` and `ifla_info_policy` (net/core/rtnetlink.c), `br_policy`
//! and `br_port_policy` (net/bridge/br_netlink.c), with attribute numbers
//! from include/uapi/linux/if_link.h.
//!
//! Attributes newer than 6.12 are left out on purpose, so they are "above
//! maxtype" as on a 6.12 kernel (ignored by liberal parsing, "Unknown
//! attribute type" under strict parsing): IFLA_MAX_PACING_OFFLOAD_HORIZON
//! (66), IFLA_NETNS_IMMUTABLE (67), IFLA_HEADROOM (68), IFLA_TAILROOM (69).
//! The 6.18 host kernel used for the captured tests knows them.

use super::NlaType::*;
use super::{AttrPolicy, NlaType, Policy, Validation};

// IFLA_* and IFLA_INFO_* (include/uapi/linux/if_link.h) are defined once, in the model's
// `uapi::ifla`; the tables and the handlers name them with the kernel's prefix.
pub use kernel_model::uapi::ifla::{
    ADDRESS as IFLA_ADDRESS, AF_SPEC as IFLA_AF_SPEC, ALLMULTI as IFLA_ALLMULTI,
    ALT_IFNAME as IFLA_ALT_IFNAME, BROADCAST as IFLA_BROADCAST, CARRIER as IFLA_CARRIER,
    CARRIER_CHANGES as IFLA_CARRIER_CHANGES, CARRIER_DOWN_COUNT as IFLA_CARRIER_DOWN_COUNT,
    CARRIER_UP_COUNT as IFLA_CARRIER_UP_COUNT, COST as IFLA_COST,
    DEVLINK_PORT as IFLA_DEVLINK_PORT, DPLL_PIN as IFLA_DPLL_PIN, EVENT as IFLA_EVENT,
    EXT_MASK as IFLA_EXT_MASK, GROUP as IFLA_GROUP, GRO_IPV4_MAX_SIZE as IFLA_GRO_IPV4_MAX_SIZE,
    GRO_MAX_SIZE as IFLA_GRO_MAX_SIZE, GSO_IPV4_MAX_SIZE as IFLA_GSO_IPV4_MAX_SIZE,
    GSO_MAX_SEGS as IFLA_GSO_MAX_SEGS, GSO_MAX_SIZE as IFLA_GSO_MAX_SIZE, IFALIAS as IFLA_IFALIAS,
    IFNAME as IFLA_IFNAME, INFO_DATA as IFLA_INFO_DATA, INFO_KIND as IFLA_INFO_KIND,
    INFO_MAX as IFLA_INFO_MAX, INFO_SLAVE_DATA as IFLA_INFO_SLAVE_DATA,
    INFO_SLAVE_KIND as IFLA_INFO_SLAVE_KIND, INFO_XSTATS as IFLA_INFO_XSTATS, LINK as IFLA_LINK,
    LINKINFO as IFLA_LINKINFO, LINKMODE as IFLA_LINKMODE, LINK_NETNSID as IFLA_LINK_NETNSID,
    MAP as IFLA_MAP, MASTER as IFLA_MASTER, MAX as IFLA_MAX, MAX_MTU as IFLA_MAX_MTU,
    MIN_MTU as IFLA_MIN_MTU, MTU as IFLA_MTU, NET_NS_FD as IFLA_NET_NS_FD,
    NET_NS_PID as IFLA_NET_NS_PID, NEW_IFINDEX as IFLA_NEW_IFINDEX,
    NEW_NETNSID as IFLA_NEW_NETNSID, NUM_RX_QUEUES as IFLA_NUM_RX_QUEUES,
    NUM_TX_QUEUES as IFLA_NUM_TX_QUEUES, NUM_VF as IFLA_NUM_VF, OPERSTATE as IFLA_OPERSTATE,
    PAD as IFLA_PAD, PARENT_DEV_BUS_NAME as IFLA_PARENT_DEV_BUS_NAME,
    PARENT_DEV_NAME as IFLA_PARENT_DEV_NAME, PERM_ADDRESS as IFLA_PERM_ADDRESS,
    PHYS_PORT_ID as IFLA_PHYS_PORT_ID, PHYS_PORT_NAME as IFLA_PHYS_PORT_NAME,
    PHYS_SWITCH_ID as IFLA_PHYS_SWITCH_ID, PORT_SELF as IFLA_PORT_SELF, PRIORITY as IFLA_PRIORITY,
    PROMISCUITY as IFLA_PROMISCUITY, PROP_LIST as IFLA_PROP_LIST, PROTINFO as IFLA_PROTINFO,
    PROTO_DOWN as IFLA_PROTO_DOWN, PROTO_DOWN_REASON as IFLA_PROTO_DOWN_REASON,
    QDISC as IFLA_QDISC, STATS as IFLA_STATS, STATS64 as IFLA_STATS64,
    TARGET_NETNSID as IFLA_TARGET_NETNSID, TSO_MAX_SEGS as IFLA_TSO_MAX_SEGS,
    TSO_MAX_SIZE as IFLA_TSO_MAX_SIZE, TXQLEN as IFLA_TXQLEN, UNSPEC as IFLA_UNSPEC,
    VFINFO_LIST as IFLA_VFINFO_LIST, VF_PORTS as IFLA_VF_PORTS, WEIGHT as IFLA_WEIGHT,
    WIRELESS as IFLA_WIRELESS, XDP as IFLA_XDP,
};

// IFLA_BR_* (bridge IFLA_INFO_DATA).
pub use kernel_model::kinds::bridge::ifla_br::AGEING_TIME as IFLA_BR_AGEING_TIME;
pub use kernel_model::kinds::bridge::ifla_br::FORWARD_DELAY as IFLA_BR_FORWARD_DELAY;
pub use kernel_model::kinds::bridge::ifla_br::HELLO_TIME as IFLA_BR_HELLO_TIME;
pub use kernel_model::kinds::bridge::ifla_br::MAX_AGE as IFLA_BR_MAX_AGE;
pub use kernel_model::kinds::bridge::ifla_br::PRIORITY as IFLA_BR_PRIORITY;
pub use kernel_model::kinds::bridge::ifla_br::STP_STATE as IFLA_BR_STP_STATE;
pub const IFLA_BR_VLAN_FILTERING: u16 = 7;
pub const IFLA_BR_VLAN_PROTOCOL: u16 = 8;
pub use kernel_model::kinds::bridge::ifla_br::GROUP_FWD_MASK as IFLA_BR_GROUP_FWD_MASK;
pub const IFLA_BR_ROOT_ID: u16 = 10;
pub const IFLA_BR_BRIDGE_ID: u16 = 11;
pub const IFLA_BR_ROOT_PORT: u16 = 12;
pub const IFLA_BR_ROOT_PATH_COST: u16 = 13;
pub const IFLA_BR_TOPOLOGY_CHANGE: u16 = 14;
pub const IFLA_BR_TOPOLOGY_CHANGE_DETECTED: u16 = 15;
pub const IFLA_BR_HELLO_TIMER: u16 = 16;
pub const IFLA_BR_TCN_TIMER: u16 = 17;
pub const IFLA_BR_TOPOLOGY_CHANGE_TIMER: u16 = 18;
pub const IFLA_BR_GC_TIMER: u16 = 19;
pub const IFLA_BR_GROUP_ADDR: u16 = 20;
pub const IFLA_BR_FDB_FLUSH: u16 = 21;
pub const IFLA_BR_MCAST_ROUTER: u16 = 22;
pub const IFLA_BR_MCAST_SNOOPING: u16 = 23;
pub const IFLA_BR_MCAST_QUERY_USE_IFADDR: u16 = 24;
pub const IFLA_BR_MCAST_QUERIER: u16 = 25;
pub const IFLA_BR_MCAST_HASH_ELASTICITY: u16 = 26;
pub const IFLA_BR_MCAST_HASH_MAX: u16 = 27;
pub const IFLA_BR_MCAST_LAST_MEMBER_CNT: u16 = 28;
pub const IFLA_BR_MCAST_STARTUP_QUERY_CNT: u16 = 29;
pub const IFLA_BR_MCAST_LAST_MEMBER_INTVL: u16 = 30;
pub const IFLA_BR_MCAST_MEMBERSHIP_INTVL: u16 = 31;
pub const IFLA_BR_MCAST_QUERIER_INTVL: u16 = 32;
pub const IFLA_BR_MCAST_QUERY_INTVL: u16 = 33;
pub const IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: u16 = 34;
pub const IFLA_BR_MCAST_STARTUP_QUERY_INTVL: u16 = 35;
pub const IFLA_BR_NF_CALL_IPTABLES: u16 = 36;
pub const IFLA_BR_NF_CALL_IP6TABLES: u16 = 37;
pub const IFLA_BR_NF_CALL_ARPTABLES: u16 = 38;
pub const IFLA_BR_VLAN_DEFAULT_PVID: u16 = 39;
pub const IFLA_BR_PAD: u16 = 40;
pub const IFLA_BR_VLAN_STATS_ENABLED: u16 = 41;
pub const IFLA_BR_MCAST_STATS_ENABLED: u16 = 42;
pub const IFLA_BR_MCAST_IGMP_VERSION: u16 = 43;
pub const IFLA_BR_MCAST_MLD_VERSION: u16 = 44;
pub const IFLA_BR_VLAN_STATS_PER_PORT: u16 = 45;
pub const IFLA_BR_MULTI_BOOLOPT: u16 = 46;
pub const IFLA_BR_MCAST_QUERIER_STATE: u16 = 47;
pub const IFLA_BR_FDB_N_LEARNED: u16 = 48;
pub const IFLA_BR_FDB_MAX_LEARNED: u16 = 49;
pub const IFLA_BR_MAX: u16 = 49;

// IFLA_BRPORT_* (bridge port IFLA_INFO_SLAVE_DATA and AF_BRIDGE IFLA_PROTINFO).
pub const IFLA_BRPORT_STATE: u16 = 1;
pub const IFLA_BRPORT_PRIORITY: u16 = 2;
pub const IFLA_BRPORT_COST: u16 = 3;
pub const IFLA_BRPORT_MODE: u16 = 4;
pub const IFLA_BRPORT_GUARD: u16 = 5;
pub const IFLA_BRPORT_PROTECT: u16 = 6;
pub const IFLA_BRPORT_FAST_LEAVE: u16 = 7;
pub const IFLA_BRPORT_LEARNING: u16 = 8;
pub const IFLA_BRPORT_UNICAST_FLOOD: u16 = 9;
pub const IFLA_BRPORT_PROXYARP: u16 = 10;
pub const IFLA_BRPORT_LEARNING_SYNC: u16 = 11;
pub const IFLA_BRPORT_PROXYARP_WIFI: u16 = 12;
pub const IFLA_BRPORT_ROOT_ID: u16 = 13;
pub const IFLA_BRPORT_BRIDGE_ID: u16 = 14;
pub const IFLA_BRPORT_DESIGNATED_PORT: u16 = 15;
pub const IFLA_BRPORT_DESIGNATED_COST: u16 = 16;
pub const IFLA_BRPORT_ID: u16 = 17;
pub const IFLA_BRPORT_NO: u16 = 18;
pub const IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: u16 = 19;
pub const IFLA_BRPORT_CONFIG_PENDING: u16 = 20;
pub const IFLA_BRPORT_MESSAGE_AGE_TIMER: u16 = 21;
pub const IFLA_BRPORT_FORWARD_DELAY_TIMER: u16 = 22;
pub const IFLA_BRPORT_HOLD_TIMER: u16 = 23;
pub const IFLA_BRPORT_FLUSH: u16 = 24;
pub const IFLA_BRPORT_MULTICAST_ROUTER: u16 = 25;
pub const IFLA_BRPORT_PAD: u16 = 26;
pub const IFLA_BRPORT_MCAST_FLOOD: u16 = 27;
pub const IFLA_BRPORT_MCAST_TO_UCAST: u16 = 28;
pub const IFLA_BRPORT_VLAN_TUNNEL: u16 = 29;
pub const IFLA_BRPORT_BCAST_FLOOD: u16 = 30;
pub const IFLA_BRPORT_GROUP_FWD_MASK: u16 = 31;
pub const IFLA_BRPORT_NEIGH_SUPPRESS: u16 = 32;
pub const IFLA_BRPORT_ISOLATED: u16 = 33;
pub const IFLA_BRPORT_BACKUP_PORT: u16 = 34;
pub const IFLA_BRPORT_MRP_RING_OPEN: u16 = 35;
pub const IFLA_BRPORT_MRP_IN_OPEN: u16 = 36;
pub const IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT: u16 = 37;
pub const IFLA_BRPORT_MCAST_EHT_HOSTS_CNT: u16 = 38;
pub const IFLA_BRPORT_LOCKED: u16 = 39;
pub const IFLA_BRPORT_MAB: u16 = 40;
pub const IFLA_BRPORT_MCAST_N_GROUPS: u16 = 41;
pub const IFLA_BRPORT_MCAST_MAX_GROUPS: u16 = 42;
pub const IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: u16 = 43;
pub const IFLA_BRPORT_BACKUP_NHID: u16 = 44;
pub const IFLA_BRPORT_MAX: u16 = 44;

// Sizes the tables use (include/linux/netdevice.h, include/uapi/linux/if.h).
const IFNAMSIZ: u16 = 16;
const ALTIFNAMSIZ: u16 = 128;
const IFALIASZ: u16 = 256;
const MAX_ADDR_LEN: u16 = 32;
const MAX_PHYS_ITEM_ID_LEN: u16 = 32;
const ETH_ALEN: u16 = 6;
/// sizeof(struct rtnl_link_ifmap) on a 64-bit host: three u64, u16, two u8,
/// padded to 8.
const RTNL_LINK_IFMAP_LEN: u16 = 32;
/// sizeof(struct br_boolopt_multi): two u32.
const BR_BOOLOPT_MULTI_LEN: i64 = 8;

/// MAX_TCP_HEADER, the floor of IFLA_GSO_MAX_SIZE and IFLA_GSO_IPV4_MAX_SIZE
/// (NLA_POLICY_MIN(NLA_U32, MAX_TCP_HEADER + 1)). It depends on the kernel
/// config (LL_MAX_HEADER, tunnels, cache line). 192 is what this project's
/// 6.18 test host reports in the policy nest (min 193); a distro config
/// with wireless or tunnels gives a larger number.
pub const MAX_TCP_HEADER: i64 = 192;

const fn t(kind: NlaType) -> AttrPolicy {
    AttrPolicy::of(kind)
}

const fn tl(kind: NlaType, len: u16) -> AttrPolicy {
    AttrPolicy::with_len(kind, len)
}

const fn ifla_table() -> [AttrPolicy; IFLA_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_MAX as usize + 1];
    p[IFLA_IFNAME as usize] = tl(String, IFNAMSIZ - 1);
    p[IFLA_ADDRESS as usize] = tl(Binary, MAX_ADDR_LEN);
    p[IFLA_BROADCAST as usize] = tl(Binary, MAX_ADDR_LEN);
    // `{ .len = sizeof(struct rtnl_link_ifmap) }`: NLA_UNSPEC with a minimum.
    p[IFLA_MAP as usize] = tl(Unspec, RTNL_LINK_IFMAP_LEN);
    p[IFLA_MTU as usize] = t(U32);
    p[IFLA_LINK as usize] = t(U32);
    p[IFLA_MASTER as usize] = t(U32);
    p[IFLA_CARRIER as usize] = t(U8);
    p[IFLA_TXQLEN as usize] = t(U32);
    p[IFLA_WEIGHT as usize] = t(U32);
    p[IFLA_OPERSTATE as usize] = t(U8);
    p[IFLA_LINKMODE as usize] = t(U8);
    // No nested policy: rtnl_newlink() parses the nest itself.
    p[IFLA_LINKINFO as usize] = t(Nested);
    p[IFLA_NET_NS_PID as usize] = t(U32);
    p[IFLA_NET_NS_FD as usize] = t(U32);
    // Binary so that an empty alias (which deletes it) is accepted.
    p[IFLA_IFALIAS as usize] = tl(Binary, IFALIASZ - 1);
    p[IFLA_VFINFO_LIST as usize] = t(Nested);
    p[IFLA_VF_PORTS as usize] = t(Nested);
    p[IFLA_PORT_SELF as usize] = t(Nested);
    p[IFLA_AF_SPEC as usize] = t(Nested);
    p[IFLA_EXT_MASK as usize] = t(U32);
    p[IFLA_PROMISCUITY as usize] = t(U32);
    p[IFLA_NUM_TX_QUEUES as usize] = t(U32);
    p[IFLA_NUM_RX_QUEUES as usize] = t(U32);
    p[IFLA_GSO_MAX_SEGS as usize] = t(U32);
    p[IFLA_GSO_MAX_SIZE as usize] = AttrPolicy::validated(U32, Validation::Min(MAX_TCP_HEADER + 1));
    p[IFLA_PHYS_PORT_ID as usize] = tl(Binary, MAX_PHYS_ITEM_ID_LEN);
    p[IFLA_CARRIER_CHANGES as usize] = t(U32);
    p[IFLA_PHYS_SWITCH_ID as usize] = tl(Binary, MAX_PHYS_ITEM_ID_LEN);
    p[IFLA_LINK_NETNSID as usize] = t(S32);
    p[IFLA_PROTO_DOWN as usize] = t(U8);
    p[IFLA_XDP as usize] = t(Nested);
    p[IFLA_EVENT as usize] = t(U32);
    p[IFLA_GROUP as usize] = t(U32);
    p[IFLA_TARGET_NETNSID as usize] = t(S32);
    p[IFLA_CARRIER_UP_COUNT as usize] = t(U32);
    p[IFLA_CARRIER_DOWN_COUNT as usize] = t(U32);
    p[IFLA_MIN_MTU as usize] = t(U32);
    p[IFLA_MAX_MTU as usize] = t(U32);
    p[IFLA_PROP_LIST as usize] = t(Nested);
    p[IFLA_ALT_IFNAME as usize] = tl(String, ALTIFNAMSIZ - 1);
    p[IFLA_PERM_ADDRESS as usize] = t(Reject);
    p[IFLA_PROTO_DOWN_REASON as usize] = t(Nested);
    p[IFLA_NEW_IFINDEX as usize] = AttrPolicy::validated(S32, Validation::Min(1));
    p[IFLA_PARENT_DEV_NAME as usize] = t(NulString);
    p[IFLA_GRO_MAX_SIZE as usize] = t(U32);
    p[IFLA_TSO_MAX_SIZE as usize] = t(Reject);
    p[IFLA_TSO_MAX_SEGS as usize] = t(Reject);
    p[IFLA_ALLMULTI as usize] = t(Reject);
    p[IFLA_GSO_IPV4_MAX_SIZE as usize] =
        AttrPolicy::validated(U32, Validation::Min(MAX_TCP_HEADER + 1));
    p[IFLA_GRO_IPV4_MAX_SIZE as usize] = t(U32);
    p
}

static IFLA_TABLE: [AttrPolicy; IFLA_MAX as usize + 1] = ifla_table();

/// `ifla_policy`: RTM_NEWLINK/SETLINK/DELLINK/GETLINK top level. It has no
/// strict_start_type.
pub static IFLA_POLICY: Policy = Policy {
    name: "ifla_policy",
    strict_start_type: 0,
    attrs: &IFLA_TABLE,
};

const fn ifla_info_table() -> [AttrPolicy; IFLA_INFO_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_INFO_MAX as usize + 1];
    p[IFLA_INFO_KIND as usize] = t(String);
    p[IFLA_INFO_DATA as usize] = t(Nested);
    p[IFLA_INFO_SLAVE_KIND as usize] = t(String);
    p[IFLA_INFO_SLAVE_DATA as usize] = t(Nested);
    p
}

static IFLA_INFO_TABLE: [AttrPolicy; IFLA_INFO_MAX as usize + 1] = ifla_info_table();

/// `ifla_info_policy`: the inside of IFLA_LINKINFO.
pub static IFLA_INFO_POLICY: Policy = Policy {
    name: "ifla_info_policy",
    strict_start_type: 0,
    attrs: &IFLA_INFO_TABLE,
};

const fn br_table() -> [AttrPolicy; IFLA_BR_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_BR_MAX as usize + 1];
    p[IFLA_BR_FORWARD_DELAY as usize] = t(U32);
    p[IFLA_BR_HELLO_TIME as usize] = t(U32);
    p[IFLA_BR_MAX_AGE as usize] = t(U32);
    p[IFLA_BR_AGEING_TIME as usize] = t(U32);
    p[IFLA_BR_STP_STATE as usize] = t(U32);
    p[IFLA_BR_PRIORITY as usize] = t(U16);
    p[IFLA_BR_VLAN_FILTERING as usize] = t(U8);
    p[IFLA_BR_VLAN_PROTOCOL as usize] = t(U16);
    p[IFLA_BR_GROUP_FWD_MASK as usize] = t(U16);
    p[IFLA_BR_GROUP_ADDR as usize] = tl(Binary, ETH_ALEN);
    p[IFLA_BR_MCAST_ROUTER as usize] = t(U8);
    p[IFLA_BR_MCAST_SNOOPING as usize] = t(U8);
    p[IFLA_BR_MCAST_QUERY_USE_IFADDR as usize] = t(U8);
    p[IFLA_BR_MCAST_QUERIER as usize] = t(U8);
    p[IFLA_BR_MCAST_HASH_ELASTICITY as usize] = t(U32);
    p[IFLA_BR_MCAST_HASH_MAX as usize] = t(U32);
    p[IFLA_BR_MCAST_LAST_MEMBER_CNT as usize] = t(U32);
    p[IFLA_BR_MCAST_STARTUP_QUERY_CNT as usize] = t(U32);
    p[IFLA_BR_MCAST_LAST_MEMBER_INTVL as usize] = t(U64);
    p[IFLA_BR_MCAST_MEMBERSHIP_INTVL as usize] = t(U64);
    p[IFLA_BR_MCAST_QUERIER_INTVL as usize] = t(U64);
    p[IFLA_BR_MCAST_QUERY_INTVL as usize] = t(U64);
    p[IFLA_BR_MCAST_QUERY_RESPONSE_INTVL as usize] = t(U64);
    p[IFLA_BR_MCAST_STARTUP_QUERY_INTVL as usize] = t(U64);
    p[IFLA_BR_NF_CALL_IPTABLES as usize] = t(U8);
    p[IFLA_BR_NF_CALL_IP6TABLES as usize] = t(U8);
    p[IFLA_BR_NF_CALL_ARPTABLES as usize] = t(U8);
    p[IFLA_BR_VLAN_DEFAULT_PVID as usize] = t(U16);
    p[IFLA_BR_VLAN_STATS_ENABLED as usize] = t(U8);
    p[IFLA_BR_MCAST_STATS_ENABLED as usize] = t(U8);
    p[IFLA_BR_MCAST_IGMP_VERSION as usize] = t(U8);
    p[IFLA_BR_MCAST_MLD_VERSION as usize] = t(U8);
    p[IFLA_BR_VLAN_STATS_PER_PORT as usize] = t(U8);
    // NLA_POLICY_EXACT_LEN: a binary range with min == max.
    p[IFLA_BR_MULTI_BOOLOPT as usize] = AttrPolicy::validated(
        Binary,
        Validation::Range {
            min: BR_BOOLOPT_MULTI_LEN,
            max: BR_BOOLOPT_MULTI_LEN,
        },
    );
    p[IFLA_BR_FDB_N_LEARNED as usize] = t(Reject);
    p[IFLA_BR_FDB_MAX_LEARNED as usize] = t(U32);
    p
}

static BR_TABLE: [AttrPolicy; IFLA_BR_MAX as usize + 1] = br_table();

/// `br_policy`: IFLA_INFO_DATA of kind "bridge". Strict from
/// IFLA_BR_FDB_N_LEARNED on.
pub static BR_POLICY: Policy = Policy {
    name: "br_policy",
    strict_start_type: IFLA_BR_FDB_N_LEARNED,
    attrs: &BR_TABLE,
};

const fn br_port_table() -> [AttrPolicy; IFLA_BRPORT_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_BRPORT_MAX as usize + 1];
    p[IFLA_BRPORT_STATE as usize] = t(U8);
    p[IFLA_BRPORT_COST as usize] = t(U32);
    p[IFLA_BRPORT_PRIORITY as usize] = t(U16);
    p[IFLA_BRPORT_MODE as usize] = t(U8);
    p[IFLA_BRPORT_GUARD as usize] = t(U8);
    p[IFLA_BRPORT_PROTECT as usize] = t(U8);
    p[IFLA_BRPORT_FAST_LEAVE as usize] = t(U8);
    p[IFLA_BRPORT_LEARNING as usize] = t(U8);
    p[IFLA_BRPORT_UNICAST_FLOOD as usize] = t(U8);
    p[IFLA_BRPORT_PROXYARP as usize] = t(U8);
    p[IFLA_BRPORT_PROXYARP_WIFI as usize] = t(U8);
    p[IFLA_BRPORT_MULTICAST_ROUTER as usize] = t(U8);
    p[IFLA_BRPORT_MCAST_TO_UCAST as usize] = t(U8);
    p[IFLA_BRPORT_MCAST_FLOOD as usize] = t(U8);
    p[IFLA_BRPORT_BCAST_FLOOD as usize] = t(U8);
    p[IFLA_BRPORT_VLAN_TUNNEL as usize] = t(U8);
    p[IFLA_BRPORT_GROUP_FWD_MASK as usize] = t(U16);
    p[IFLA_BRPORT_NEIGH_SUPPRESS as usize] = t(U8);
    p[IFLA_BRPORT_ISOLATED as usize] = t(U8);
    p[IFLA_BRPORT_LOCKED as usize] = t(U8);
    p[IFLA_BRPORT_MAB as usize] = t(U8);
    p[IFLA_BRPORT_BACKUP_PORT as usize] = t(U32);
    p[IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT as usize] = t(U32);
    p[IFLA_BRPORT_MCAST_N_GROUPS as usize] = t(Reject);
    p[IFLA_BRPORT_MCAST_MAX_GROUPS as usize] = t(U32);
    p[IFLA_BRPORT_NEIGH_VLAN_SUPPRESS as usize] = AttrPolicy::validated(U8, Validation::Max(1));
    p[IFLA_BRPORT_BACKUP_NHID as usize] = t(U32);
    p
}

static BR_PORT_TABLE: [AttrPolicy; IFLA_BRPORT_MAX as usize + 1] = br_port_table();

/// `br_port_policy`: IFLA_INFO_SLAVE_DATA of bridge ports and the AF_BRIDGE
/// IFLA_PROTINFO nest. Strict from IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT + 1.
pub static BR_PORT_POLICY: Policy = Policy {
    name: "br_port_policy",
    strict_start_type: IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT + 1,
    attrs: &BR_PORT_TABLE,
};

// IFLA_VLAN_* (net/8021q/vlan_netlink.c `vlan_policy`).
pub const IFLA_VLAN_ID: u16 = 1;
pub const IFLA_VLAN_FLAGS: u16 = 2;
pub const IFLA_VLAN_EGRESS_QOS: u16 = 3;
pub const IFLA_VLAN_INGRESS_QOS: u16 = 4;
pub const IFLA_VLAN_PROTOCOL: u16 = 5;
pub const IFLA_VLAN_MAX: u16 = 5;
/// sizeof(struct ifla_vlan_flags).
const IFLA_VLAN_FLAGS_LEN: u16 = 8;

const fn vlan_table() -> [AttrPolicy; IFLA_VLAN_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_VLAN_MAX as usize + 1];
    p[IFLA_VLAN_ID as usize] = t(U16);
    // `{ .len = sizeof(struct ifla_vlan_flags) }`: NLA_UNSPEC with a minimum.
    p[IFLA_VLAN_FLAGS as usize] = tl(Unspec, IFLA_VLAN_FLAGS_LEN);
    p[IFLA_VLAN_EGRESS_QOS as usize] = t(Nested);
    p[IFLA_VLAN_INGRESS_QOS as usize] = t(Nested);
    p[IFLA_VLAN_PROTOCOL as usize] = t(U16);
    p
}

static VLAN_TABLE: [AttrPolicy; IFLA_VLAN_MAX as usize + 1] = vlan_table();

/// `vlan_policy`: IFLA_INFO_DATA of kind "vlan".
pub static VLAN_POLICY: Policy = Policy {
    name: "vlan_policy",
    strict_start_type: 0,
    attrs: &VLAN_TABLE,
};

// IFLA_MACVLAN_* (drivers/net/macvlan.c `macvlan_policy`, also used by macvtap).
pub const IFLA_MACVLAN_MODE: u16 = 1;
pub const IFLA_MACVLAN_FLAGS: u16 = 2;
pub const IFLA_MACVLAN_MACADDR_MODE: u16 = 3;
pub const IFLA_MACVLAN_MACADDR: u16 = 4;
pub const IFLA_MACVLAN_MACADDR_DATA: u16 = 5;
pub const IFLA_MACVLAN_MACADDR_COUNT: u16 = 6;
pub const IFLA_MACVLAN_BC_QUEUE_LEN: u16 = 7;
pub const IFLA_MACVLAN_BC_QUEUE_LEN_USED: u16 = 8;
pub const IFLA_MACVLAN_BC_CUTOFF: u16 = 9;
pub const IFLA_MACVLAN_MAX: u16 = 9;

const fn macvlan_table() -> [AttrPolicy; IFLA_MACVLAN_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_MACVLAN_MAX as usize + 1];
    p[IFLA_MACVLAN_MODE as usize] = t(U32);
    p[IFLA_MACVLAN_FLAGS as usize] = t(U16);
    p[IFLA_MACVLAN_MACADDR_MODE as usize] = t(U32);
    p[IFLA_MACVLAN_MACADDR as usize] = tl(Binary, MAX_ADDR_LEN);
    p[IFLA_MACVLAN_MACADDR_DATA as usize] = t(Nested);
    p[IFLA_MACVLAN_MACADDR_COUNT as usize] = t(U32);
    p[IFLA_MACVLAN_BC_QUEUE_LEN as usize] = t(U32);
    p[IFLA_MACVLAN_BC_QUEUE_LEN_USED as usize] = t(Reject);
    p[IFLA_MACVLAN_BC_CUTOFF as usize] = t(S32);
    p
}

static MACVLAN_TABLE: [AttrPolicy; IFLA_MACVLAN_MAX as usize + 1] = macvlan_table();

/// `macvlan_policy`: IFLA_INFO_DATA of kinds "macvlan" and "macvtap".
pub static MACVLAN_POLICY: Policy = Policy {
    name: "macvlan_policy",
    strict_start_type: 0,
    attrs: &MACVLAN_TABLE,
};

// IFLA_IPVLAN_* (drivers/net/ipvlan/ipvlan_main.c `ipvlan_nl_policy`, also used by ipvtap).
pub const IFLA_IPVLAN_MODE: u16 = 1;
pub const IFLA_IPVLAN_FLAGS: u16 = 2;
pub const IFLA_IPVLAN_MAX: u16 = 2;

const fn ipvlan_table() -> [AttrPolicy; IFLA_IPVLAN_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_IPVLAN_MAX as usize + 1];
    p[IFLA_IPVLAN_MODE as usize] = t(U16);
    p[IFLA_IPVLAN_FLAGS as usize] = t(U16);
    p
}

static IPVLAN_TABLE: [AttrPolicy; IFLA_IPVLAN_MAX as usize + 1] = ipvlan_table();

/// `ipvlan_nl_policy`: IFLA_INFO_DATA of kinds "ipvlan" and "ipvtap".
pub static IPVLAN_NL_POLICY: Policy = Policy {
    name: "ipvlan_nl_policy",
    strict_start_type: 0,
    attrs: &IPVLAN_TABLE,
};

// IFLA_VXLAN_* (drivers/net/vxlan/vxlan_core.c `vxlan_policy`).
pub const IFLA_VXLAN_ID: u16 = 1;
pub const IFLA_VXLAN_GROUP: u16 = 2;
pub const IFLA_VXLAN_LINK: u16 = 3;
pub const IFLA_VXLAN_LOCAL: u16 = 4;
pub const IFLA_VXLAN_TTL: u16 = 5;
pub const IFLA_VXLAN_TOS: u16 = 6;
pub const IFLA_VXLAN_LEARNING: u16 = 7;
pub const IFLA_VXLAN_AGEING: u16 = 8;
pub const IFLA_VXLAN_LIMIT: u16 = 9;
pub const IFLA_VXLAN_PORT_RANGE: u16 = 10;
pub const IFLA_VXLAN_PROXY: u16 = 11;
pub const IFLA_VXLAN_RSC: u16 = 12;
pub const IFLA_VXLAN_L2MISS: u16 = 13;
pub const IFLA_VXLAN_L3MISS: u16 = 14;
pub const IFLA_VXLAN_PORT: u16 = 15;
pub const IFLA_VXLAN_GROUP6: u16 = 16;
pub const IFLA_VXLAN_LOCAL6: u16 = 17;
pub const IFLA_VXLAN_UDP_CSUM: u16 = 18;
pub const IFLA_VXLAN_UDP_ZERO_CSUM6_TX: u16 = 19;
pub const IFLA_VXLAN_UDP_ZERO_CSUM6_RX: u16 = 20;
pub const IFLA_VXLAN_REMCSUM_TX: u16 = 21;
pub const IFLA_VXLAN_REMCSUM_RX: u16 = 22;
pub const IFLA_VXLAN_GBP: u16 = 23;
pub const IFLA_VXLAN_REMCSUM_NOPARTIAL: u16 = 24;
pub const IFLA_VXLAN_COLLECT_METADATA: u16 = 25;
pub const IFLA_VXLAN_LABEL: u16 = 26;
pub const IFLA_VXLAN_GPE: u16 = 27;
pub const IFLA_VXLAN_TTL_INHERIT: u16 = 28;
pub const IFLA_VXLAN_DF: u16 = 29;
pub const IFLA_VXLAN_VNIFILTER: u16 = 30;
pub const IFLA_VXLAN_LOCALBYPASS: u16 = 31;
pub const IFLA_VXLAN_LABEL_POLICY: u16 = 32;
pub const IFLA_VXLAN_MAX: u16 = 32;

const fn vxlan_table() -> [AttrPolicy; IFLA_VXLAN_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_VXLAN_MAX as usize + 1];
    p[IFLA_VXLAN_ID as usize] = t(U32);
    p[IFLA_VXLAN_GROUP as usize] = tl(Unspec, 4);
    p[IFLA_VXLAN_GROUP6 as usize] = tl(Unspec, 16);
    p[IFLA_VXLAN_LINK as usize] = t(U32);
    p[IFLA_VXLAN_LOCAL as usize] = tl(Unspec, 4);
    p[IFLA_VXLAN_LOCAL6 as usize] = tl(Unspec, 16);
    p[IFLA_VXLAN_TOS as usize] = t(U8);
    p[IFLA_VXLAN_TTL as usize] = t(U8);
    p[IFLA_VXLAN_LABEL as usize] = t(U32);
    p[IFLA_VXLAN_LEARNING as usize] = t(U8);
    p[IFLA_VXLAN_AGEING as usize] = t(U32);
    p[IFLA_VXLAN_LIMIT as usize] = t(U32);
    p[IFLA_VXLAN_PORT_RANGE as usize] = tl(Unspec, 4);
    p[IFLA_VXLAN_PROXY as usize] = t(U8);
    p[IFLA_VXLAN_RSC as usize] = t(U8);
    p[IFLA_VXLAN_L2MISS as usize] = t(U8);
    p[IFLA_VXLAN_L3MISS as usize] = t(U8);
    p[IFLA_VXLAN_COLLECT_METADATA as usize] = t(U8);
    p[IFLA_VXLAN_PORT as usize] = t(U16);
    p[IFLA_VXLAN_UDP_CSUM as usize] = t(U8);
    p[IFLA_VXLAN_UDP_ZERO_CSUM6_TX as usize] = t(U8);
    p[IFLA_VXLAN_UDP_ZERO_CSUM6_RX as usize] = t(U8);
    p[IFLA_VXLAN_REMCSUM_TX as usize] = t(U8);
    p[IFLA_VXLAN_REMCSUM_RX as usize] = t(U8);
    p[IFLA_VXLAN_GBP as usize] = t(Flag);
    p[IFLA_VXLAN_GPE as usize] = t(Flag);
    p[IFLA_VXLAN_REMCSUM_NOPARTIAL as usize] = t(Flag);
    p[IFLA_VXLAN_TTL_INHERIT as usize] = t(Flag);
    p[IFLA_VXLAN_DF as usize] = t(U8);
    p[IFLA_VXLAN_VNIFILTER as usize] = t(U8);
    p[IFLA_VXLAN_LOCALBYPASS as usize] = AttrPolicy::validated(U8, Validation::Max(1));
    // VXLAN_LABEL_MAX: VXLAN_LABEL_FIXED (0) .. VXLAN_LABEL_INHERIT (1).
    p[IFLA_VXLAN_LABEL_POLICY as usize] = AttrPolicy::validated(U32, Validation::Max(1));
    p
}

static VXLAN_TABLE: [AttrPolicy; IFLA_VXLAN_MAX as usize + 1] = vxlan_table();

/// `vxlan_policy`: IFLA_INFO_DATA of kind "vxlan".
pub static VXLAN_POLICY: Policy = Policy {
    name: "vxlan_policy",
    strict_start_type: IFLA_VXLAN_LOCALBYPASS,
    attrs: &VXLAN_TABLE,
};

// IFLA_GRE_* (include/uapi/linux/if_tunnel.h); IFLA_GRE_MAX is IFLA_GRE_ERSPAN_HWID.
pub const IFLA_GRE_LINK: u16 = 1;
pub const IFLA_GRE_IFLAGS: u16 = 2;
pub const IFLA_GRE_OFLAGS: u16 = 3;
pub const IFLA_GRE_IKEY: u16 = 4;
pub const IFLA_GRE_OKEY: u16 = 5;
pub const IFLA_GRE_LOCAL: u16 = 6;
pub const IFLA_GRE_REMOTE: u16 = 7;
pub const IFLA_GRE_TTL: u16 = 8;
pub const IFLA_GRE_TOS: u16 = 9;
pub const IFLA_GRE_PMTUDISC: u16 = 10;
pub const IFLA_GRE_ENCAP_LIMIT: u16 = 11;
pub const IFLA_GRE_FLOWINFO: u16 = 12;
pub const IFLA_GRE_FLAGS: u16 = 13;
pub const IFLA_GRE_ENCAP_TYPE: u16 = 14;
pub const IFLA_GRE_ENCAP_FLAGS: u16 = 15;
pub const IFLA_GRE_ENCAP_SPORT: u16 = 16;
pub const IFLA_GRE_ENCAP_DPORT: u16 = 17;
pub const IFLA_GRE_COLLECT_METADATA: u16 = 18;
pub const IFLA_GRE_IGNORE_DF: u16 = 19;
pub const IFLA_GRE_FWMARK: u16 = 20;
pub const IFLA_GRE_ERSPAN_INDEX: u16 = 21;
pub const IFLA_GRE_ERSPAN_VER: u16 = 22;
pub const IFLA_GRE_ERSPAN_DIR: u16 = 23;
pub const IFLA_GRE_ERSPAN_HWID: u16 = 24;
pub const IFLA_GRE_MAX: u16 = 24;

/// `ipgre_policy` (net/ipv4/ip_gre.c) with `addr_len` 4, `ip6gre_policy` (net/ipv6/ip6_gre.c)
/// with 16: the same types, the IPv6 one knows ENCAP_LIMIT, FLOWINFO and FLAGS and not TOS,
/// PMTUDISC and IGNORE_DF.
const fn gre_table(v6: bool) -> [AttrPolicy; IFLA_GRE_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_GRE_MAX as usize + 1];
    let addr_len = if v6 { 16 } else { 4 };
    p[IFLA_GRE_LINK as usize] = t(U32);
    p[IFLA_GRE_IFLAGS as usize] = t(U16);
    p[IFLA_GRE_OFLAGS as usize] = t(U16);
    p[IFLA_GRE_IKEY as usize] = t(U32);
    p[IFLA_GRE_OKEY as usize] = t(U32);
    p[IFLA_GRE_LOCAL as usize] = tl(Unspec, addr_len);
    p[IFLA_GRE_REMOTE as usize] = tl(Unspec, addr_len);
    p[IFLA_GRE_TTL as usize] = t(U8);
    if v6 {
        p[IFLA_GRE_ENCAP_LIMIT as usize] = t(U8);
        p[IFLA_GRE_FLOWINFO as usize] = t(U32);
        p[IFLA_GRE_FLAGS as usize] = t(U32);
    } else {
        p[IFLA_GRE_TOS as usize] = t(U8);
        p[IFLA_GRE_PMTUDISC as usize] = t(U8);
        p[IFLA_GRE_IGNORE_DF as usize] = t(U8);
    }
    p[IFLA_GRE_ENCAP_TYPE as usize] = t(U16);
    p[IFLA_GRE_ENCAP_FLAGS as usize] = t(U16);
    p[IFLA_GRE_ENCAP_SPORT as usize] = t(U16);
    p[IFLA_GRE_ENCAP_DPORT as usize] = t(U16);
    p[IFLA_GRE_COLLECT_METADATA as usize] = t(Flag);
    p[IFLA_GRE_FWMARK as usize] = t(U32);
    p[IFLA_GRE_ERSPAN_INDEX as usize] = t(U32);
    p[IFLA_GRE_ERSPAN_VER as usize] = t(U8);
    p[IFLA_GRE_ERSPAN_DIR as usize] = t(U8);
    p[IFLA_GRE_ERSPAN_HWID as usize] = t(U16);
    p
}

static IPGRE_TABLE: [AttrPolicy; IFLA_GRE_MAX as usize + 1] = gre_table(false);
static IP6GRE_TABLE: [AttrPolicy; IFLA_GRE_MAX as usize + 1] = gre_table(true);

/// `ipgre_policy`: IFLA_INFO_DATA of kinds "gre" and "gretap".
pub static IPGRE_POLICY: Policy = Policy {
    name: "ipgre_policy",
    strict_start_type: 0,
    attrs: &IPGRE_TABLE,
};

/// `ip6gre_policy`: IFLA_INFO_DATA of kinds "ip6gre" and "ip6gretap".
pub static IP6GRE_POLICY: Policy = Policy {
    name: "ip6gre_policy",
    strict_start_type: 0,
    attrs: &IP6GRE_TABLE,
};

// IFLA_GENEVE_* (include/uapi/linux/if_link.h); IFLA_GENEVE_MAX is INNER_PROTO_INHERIT in 6.12.
pub const IFLA_GENEVE_ID: u16 = 1;
pub const IFLA_GENEVE_REMOTE: u16 = 2;
pub const IFLA_GENEVE_TTL: u16 = 3;
pub const IFLA_GENEVE_TOS: u16 = 4;
pub const IFLA_GENEVE_PORT: u16 = 5;
pub const IFLA_GENEVE_COLLECT_METADATA: u16 = 6;
pub const IFLA_GENEVE_REMOTE6: u16 = 7;
pub const IFLA_GENEVE_UDP_CSUM: u16 = 8;
pub const IFLA_GENEVE_UDP_ZERO_CSUM6_TX: u16 = 9;
pub const IFLA_GENEVE_UDP_ZERO_CSUM6_RX: u16 = 10;
pub const IFLA_GENEVE_LABEL: u16 = 11;
pub const IFLA_GENEVE_TTL_INHERIT: u16 = 12;
pub const IFLA_GENEVE_DF: u16 = 13;
pub const IFLA_GENEVE_INNER_PROTO_INHERIT: u16 = 14;
pub const IFLA_GENEVE_MAX: u16 = 14;

const fn geneve_table() -> [AttrPolicy; IFLA_GENEVE_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_GENEVE_MAX as usize + 1];
    p[IFLA_GENEVE_ID as usize] = t(U32);
    p[IFLA_GENEVE_REMOTE as usize] = tl(Unspec, 4);
    p[IFLA_GENEVE_REMOTE6 as usize] = tl(Unspec, 16);
    p[IFLA_GENEVE_TTL as usize] = t(U8);
    p[IFLA_GENEVE_TOS as usize] = t(U8);
    p[IFLA_GENEVE_LABEL as usize] = t(U32);
    p[IFLA_GENEVE_PORT as usize] = t(U16);
    p[IFLA_GENEVE_COLLECT_METADATA as usize] = t(Flag);
    p[IFLA_GENEVE_UDP_CSUM as usize] = t(U8);
    p[IFLA_GENEVE_UDP_ZERO_CSUM6_TX as usize] = t(U8);
    p[IFLA_GENEVE_UDP_ZERO_CSUM6_RX as usize] = t(U8);
    p[IFLA_GENEVE_TTL_INHERIT as usize] = t(U8);
    p[IFLA_GENEVE_DF as usize] = t(U8);
    p[IFLA_GENEVE_INNER_PROTO_INHERIT as usize] = t(Flag);
    p
}

static GENEVE_TABLE: [AttrPolicy; IFLA_GENEVE_MAX as usize + 1] = geneve_table();

/// `geneve_policy` (drivers/net/geneve.c): IFLA_INFO_DATA of kind "geneve".
pub static GENEVE_POLICY: Policy = Policy {
    name: "geneve_policy",
    strict_start_type: IFLA_GENEVE_INNER_PROTO_INHERIT,
    attrs: &GENEVE_TABLE,
};

// IFLA_BOND_* (bond IFLA_INFO_DATA); IFLA_BOND_MAX is IFLA_BOND_COUPLED_CONTROL in 6.12.
pub const IFLA_BOND_MODE: u16 = 1;
pub const IFLA_BOND_ACTIVE_SLAVE: u16 = 2;
pub const IFLA_BOND_MIIMON: u16 = 3;
pub const IFLA_BOND_UPDELAY: u16 = 4;
pub const IFLA_BOND_DOWNDELAY: u16 = 5;
pub const IFLA_BOND_USE_CARRIER: u16 = 6;
pub const IFLA_BOND_ARP_INTERVAL: u16 = 7;
pub const IFLA_BOND_ARP_IP_TARGET: u16 = 8;
pub const IFLA_BOND_ARP_VALIDATE: u16 = 9;
pub const IFLA_BOND_ARP_ALL_TARGETS: u16 = 10;
pub const IFLA_BOND_PRIMARY: u16 = 11;
pub const IFLA_BOND_PRIMARY_RESELECT: u16 = 12;
pub const IFLA_BOND_FAIL_OVER_MAC: u16 = 13;
pub const IFLA_BOND_XMIT_HASH_POLICY: u16 = 14;
pub const IFLA_BOND_RESEND_IGMP: u16 = 15;
pub const IFLA_BOND_NUM_PEER_NOTIF: u16 = 16;
pub const IFLA_BOND_ALL_SLAVES_ACTIVE: u16 = 17;
pub const IFLA_BOND_MIN_LINKS: u16 = 18;
pub const IFLA_BOND_LP_INTERVAL: u16 = 19;
pub const IFLA_BOND_PACKETS_PER_SLAVE: u16 = 20;
pub const IFLA_BOND_AD_LACP_RATE: u16 = 21;
pub const IFLA_BOND_AD_SELECT: u16 = 22;
pub const IFLA_BOND_AD_INFO: u16 = 23;
pub const IFLA_BOND_AD_ACTOR_SYS_PRIO: u16 = 24;
pub const IFLA_BOND_AD_USER_PORT_KEY: u16 = 25;
pub const IFLA_BOND_AD_ACTOR_SYSTEM: u16 = 26;
pub const IFLA_BOND_TLB_DYNAMIC_LB: u16 = 27;
pub const IFLA_BOND_PEER_NOTIF_DELAY: u16 = 28;
pub const IFLA_BOND_AD_LACP_ACTIVE: u16 = 29;
pub const IFLA_BOND_MISSED_MAX: u16 = 30;
pub const IFLA_BOND_NS_IP6_TARGET: u16 = 31;
pub const IFLA_BOND_COUPLED_CONTROL: u16 = 32;
pub const IFLA_BOND_MAX: u16 = 32;

// IFLA_BOND_SLAVE_* (bond IFLA_INFO_SLAVE_DATA); IFLA_BOND_SLAVE_MAX is IFLA_BOND_SLAVE_PRIO.
pub const IFLA_BOND_SLAVE_QUEUE_ID: u16 = 5;
pub const IFLA_BOND_SLAVE_PRIO: u16 = 9;
pub const IFLA_BOND_SLAVE_MAX: u16 = 9;

// IFLA_VRF_* (vrf IFLA_INFO_DATA).
pub const IFLA_VRF_TABLE: u16 = 1;
pub const IFLA_VRF_MAX: u16 = 1;

const fn bond_table() -> [AttrPolicy; IFLA_BOND_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_BOND_MAX as usize + 1];
    p[IFLA_BOND_MODE as usize] = t(U8);
    p[IFLA_BOND_ACTIVE_SLAVE as usize] = t(U32);
    p[IFLA_BOND_MIIMON as usize] = t(U32);
    p[IFLA_BOND_UPDELAY as usize] = t(U32);
    p[IFLA_BOND_DOWNDELAY as usize] = t(U32);
    p[IFLA_BOND_USE_CARRIER as usize] = t(U8);
    p[IFLA_BOND_ARP_INTERVAL as usize] = t(U32);
    p[IFLA_BOND_ARP_IP_TARGET as usize] = t(Nested);
    p[IFLA_BOND_ARP_VALIDATE as usize] = t(U32);
    p[IFLA_BOND_ARP_ALL_TARGETS as usize] = t(U32);
    p[IFLA_BOND_PRIMARY as usize] = t(U32);
    p[IFLA_BOND_PRIMARY_RESELECT as usize] = t(U8);
    p[IFLA_BOND_FAIL_OVER_MAC as usize] = t(U8);
    p[IFLA_BOND_XMIT_HASH_POLICY as usize] = t(U8);
    p[IFLA_BOND_RESEND_IGMP as usize] = t(U32);
    p[IFLA_BOND_NUM_PEER_NOTIF as usize] = t(U8);
    p[IFLA_BOND_ALL_SLAVES_ACTIVE as usize] = t(U8);
    p[IFLA_BOND_MIN_LINKS as usize] = t(U32);
    p[IFLA_BOND_LP_INTERVAL as usize] = t(U32);
    p[IFLA_BOND_PACKETS_PER_SLAVE as usize] = t(U32);
    p[IFLA_BOND_AD_LACP_ACTIVE as usize] = t(U8);
    p[IFLA_BOND_AD_LACP_RATE as usize] = t(U8);
    p[IFLA_BOND_AD_SELECT as usize] = t(U8);
    p[IFLA_BOND_AD_INFO as usize] = t(Nested);
    p[IFLA_BOND_AD_ACTOR_SYS_PRIO as usize] = t(U16);
    p[IFLA_BOND_AD_USER_PORT_KEY as usize] = t(U16);
    p[IFLA_BOND_AD_ACTOR_SYSTEM as usize] = tl(Binary, ETH_ALEN);
    p[IFLA_BOND_TLB_DYNAMIC_LB as usize] = t(U8);
    // NLA_POLICY_FULL_RANGE(NLA_U32, &delay_range): at most 300 s.
    p[IFLA_BOND_PEER_NOTIF_DELAY as usize] = AttrPolicy::validated(
        U32,
        Validation::Range {
            min: 0,
            max: 300_000,
        },
    );
    p[IFLA_BOND_MISSED_MAX as usize] = t(U8);
    p[IFLA_BOND_NS_IP6_TARGET as usize] = t(Nested);
    p[IFLA_BOND_COUPLED_CONTROL as usize] = t(U8);
    p
}

static BOND_TABLE: [AttrPolicy; IFLA_BOND_MAX as usize + 1] = bond_table();

/// `bond_policy` (drivers/net/bonding/bond_netlink.c): IFLA_INFO_DATA of kind "bond".
pub static BOND_POLICY: Policy = Policy {
    name: "bond_policy",
    strict_start_type: 0,
    attrs: &BOND_TABLE,
};

const fn bond_slave_table() -> [AttrPolicy; IFLA_BOND_SLAVE_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_BOND_SLAVE_MAX as usize + 1];
    p[IFLA_BOND_SLAVE_QUEUE_ID as usize] = t(U16);
    p[IFLA_BOND_SLAVE_PRIO as usize] = t(S32);
    p
}

static BOND_SLAVE_TABLE: [AttrPolicy; IFLA_BOND_SLAVE_MAX as usize + 1] = bond_slave_table();

/// `bond_slave_policy`: IFLA_INFO_SLAVE_DATA of bond slaves.
pub static BOND_SLAVE_POLICY: Policy = Policy {
    name: "bond_slave_policy",
    strict_start_type: 0,
    attrs: &BOND_SLAVE_TABLE,
};

const fn vrf_table() -> [AttrPolicy; IFLA_VRF_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_VRF_MAX as usize + 1];
    p[IFLA_VRF_TABLE as usize] = t(U32);
    p
}

static VRF_TABLE: [AttrPolicy; IFLA_VRF_MAX as usize + 1] = vrf_table();

/// `vrf_nl_policy` (drivers/net/vrf.c): IFLA_INFO_DATA of kind "vrf".
pub static VRF_NL_POLICY: Policy = Policy {
    name: "vrf_nl_policy",
    strict_start_type: 0,
    attrs: &VRF_TABLE,
};

/// IFLA_INET6_* in an IFLA_AF_SPEC AF_INET6 nest (include/uapi/linux/if_link.h).
pub const IFLA_INET6_TOKEN: u16 = 7;
pub const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
pub const IFLA_INET6_RA_MTU: u16 = 9;
const IFLA_INET6_MAX: u16 = IFLA_INET6_RA_MTU;

const fn inet6_af_table() -> [AttrPolicy; IFLA_INET6_MAX as usize + 1] {
    let mut p = [AttrPolicy::UNSPEC; IFLA_INET6_MAX as usize + 1];
    p[IFLA_INET6_ADDR_GEN_MODE as usize] = t(U8);
    // .len = sizeof(struct in6_addr) on an untyped attribute: a minimum length.
    p[IFLA_INET6_TOKEN as usize] = tl(Unspec, 16);
    let mut reject = t(Reject);
    reject.reject_message = Some("IFLA_INET6_RA_MTU can not be set");
    p[IFLA_INET6_RA_MTU as usize] = reject;
    p
}

static INET6_AF_TABLE: [AttrPolicy; IFLA_INET6_MAX as usize + 1] = inet6_af_table();

/// `inet6_af_policy` (net/ipv6/addrconf.c): the AF_INET6 nest `inet6_validate_link_af` parses.
pub static INET6_AF_POLICY: Policy = Policy {
    name: "inet6_af_policy",
    strict_start_type: 0,
    attrs: &INET6_AF_TABLE,
};
