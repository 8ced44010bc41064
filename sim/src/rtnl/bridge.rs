//! Bridge IFLA_INFO_DATA and bridge port IFLA_INFO_SLAVE_DATA (net/bridge/br_netlink.c, Linux
//! 6.12): the model's bridge and port state encoded as `br_fill_info` and `br_port_fill_attrs`
//! send it, and a request's IFLA_INFO_DATA decoded into the options `br_changelink` acts on.
//!
//! The model keeps only part of `struct net_bridge` / `struct net_bridge_port`. Everything else
//! is reported with the value a fresh bridge or port has on Linux 6.12 (`br_dev_setup`,
//! `br_vlan_init`, `br_multicast_init`, `new_nbp`, `br_multicast_add_port`), from the constants
//! below. Every STP and fdb timer is reported as the model's `BR_TIMER_VALUE` (0: no clock).
//!
//! Wire types: every `InfoBridge` / `InfoBridgePort` variant used here emits what the kernel's
//! `nla_put_*` call does (u64 timers as 8 bytes, `struct ifla_bridge_id` as big-endian priority
//! plus address, IFLA_BRPORT_DESIGNATED_COST as u16, the flag-like u8s as 0/1). The one gap is
//! IFLA_BR_VLAN_PROTOCOL, see [`vlan_protocol_nla`]. IFLA_BR_PAD / IFLA_BRPORT_PAD are never
//! emitted: `nla_put_u64_64bit` only pads where unaligned 64-bit access is costly, and x86_64
//! is not such an architecture (the 6.18 capture has no PAD attribute either).

use kernel_model::kinds::bridge::{
    port_flag, BridgeInfo, BridgeOpt, BridgePortInfo, BridgePortOpt,
};
use kernel_model::HwAddr;
use netlink_packet_core::{DefaultNla, NLA_TYPE_MASK};
use netlink_packet_route::link::{
    BridgeBooleanOptionFlags, BridgeBooleanOptions, BridgeId, BridgeMulticastRouterType,
    BridgePortState, BridgeStpState, InfoBridge, InfoBridgePort, VlanProtocol,
};

/// `IFLA_BR_*` numbers this file needs itself (include/uapi/linux/if_link.h, 6.12).
mod attr {
    pub const FORWARD_DELAY: u16 = 1;
    pub const HELLO_TIME: u16 = 2;
    pub const MAX_AGE: u16 = 3;
    pub const AGEING_TIME: u16 = 4;
    pub const STP_STATE: u16 = 5;
    pub const PRIORITY: u16 = 6;
    pub const VLAN_PROTOCOL: u16 = 8;
    pub const GROUP_FWD_MASK: u16 = 9;
    pub const ROOT_ID: u16 = 10;
    pub const GC_TIMER: u16 = 19;
    pub const PAD: u16 = 40;
    pub const MCAST_QUERIER_STATE: u16 = 47;
    /// `IFLA_BR_MAX` on 6.12 (IFLA_BR_FDB_MAX_LEARNED).
    pub const MAX: u16 = 49;
}

/// What every STP / fdb timer reads: the model's rule (it has no clock).
use kernel_model::kinds::bridge::br_fill::BR_TIMER_VALUE as TIMER_VALUE;

// What a bridge reports of the `struct net_bridge` / `net_bridge_port` fields the model does
// not keep is the model's (kernel_model::kinds::bridge::br_fill).

/// ETH_P_8021Q / ETH_P_8021AD, the two protocols `br_vlan_set_proto` accepts.
const ETH_P_8021Q: u16 = 0x8100;
const ETH_P_8021AD: u16 = 0x88a8;

/// The six address bytes of an Ethernet address (zero-filled if the model holds fewer).
fn eth_bytes(addr: &HwAddr) -> [u8; 6] {
    let mut out = [0u8; 6];
    for (o, b) in out.iter_mut().zip(addr.as_bytes()) {
        *o = *b;
    }
    out
}

/// `struct ifla_bridge_id` of the bridge.
fn bridge_id(prio: u16, addr: &HwAddr) -> BridgeId {
    BridgeId {
        priority: prio,
        address: eth_bytes(addr),
    }
}

/// IFLA_BR_VLAN_PROTOCOL (`nla_put_be16`: network order, no NLA_F_NET_BYTEORDER flag).
/// `VlanProtocol` can only name 802.1Q and 802.1ad (it turns anything else into 802.1Q), so any
/// other value the model holds goes out raw through `Other` with the same bytes.
fn vlan_protocol_nla(proto: u16) -> InfoBridge {
    match proto {
        ETH_P_8021Q => InfoBridge::VlanProtocol(VlanProtocol::Ieee8021Q),
        ETH_P_8021AD => InfoBridge::VlanProtocol(VlanProtocol::Ieee8021Ad),
        other => InfoBridge::Other(DefaultNla::new(
            attr::VLAN_PROTOCOL,
            other.to_be_bytes().to_vec(),
        )),
    }
}

/// `br_fill_info` (net/bridge/br_netlink.c, Linux 6.12): every IFLA_BR_* attribute in the
/// kernel's order, for a kernel built with CONFIG_BRIDGE_VLAN_FILTERING,
/// CONFIG_BRIDGE_IGMP_SNOOPING, CONFIG_IPV6 and CONFIG_BRIDGE_NETFILTER (Debian's 6.12).
///
/// The kernel's answer differs between an up and a down bridge only in the timers (the fdb
/// gc work is pending exactly while the bridge is up), reported as [`TIMER_VALUE`] either way.
pub fn encode_bridge_info(b: &BridgeInfo) -> Vec<InfoBridge> {
    let id = bridge_id(b.bridge_id_prio, &b.bridge_id_addr);
    let mut nlas = vec![
        InfoBridge::HelloTimer(TIMER_VALUE),
        InfoBridge::TcnTimer(TIMER_VALUE),
        InfoBridge::TopologyChangeTimer(TIMER_VALUE),
        InfoBridge::GcTimer(TIMER_VALUE),
        InfoBridge::ForwardDelay(b.forward_delay),
        InfoBridge::HelloTime(b.hello_time),
        InfoBridge::MaxAge(b.max_age),
        InfoBridge::AgeingTime(b.ageing_time),
        InfoBridge::StpState(BridgeStpState::from(b.stp_enabled)),
        InfoBridge::Priority(b.bridge_id_prio),
        InfoBridge::VlanFiltering(b.vlan_filtering),
        InfoBridge::GroupFwdMask(b.group_fwd_mask),
        // IFLA_BR_BRIDGE_ID comes before IFLA_BR_ROOT_ID. The root is the bridge itself: with
        // STP off no BPDU is ever processed (`BridgeState::root_port`).
        InfoBridge::BridgeId(id.clone()),
        InfoBridge::RootId(id),
        InfoBridge::RootPort(b.root_port()),
        InfoBridge::RootPathCost(b.root_path_cost()),
        InfoBridge::TopologyChange(b.topology_change()),
        InfoBridge::TopologyChangeDetected(b.topology_change_detected()),
        InfoBridge::GroupAddr(eth_bytes(&b.group_addr)),
        InfoBridge::MultiBoolOpt(BridgeBooleanOptions {
            value: BridgeBooleanOptionFlags::from_bits_retain(b.boolopts),
            mask: BridgeBooleanOptionFlags::from_bits_retain(b.boolopt_mask()),
        }),
        InfoBridge::FdbNLearned(b.fdb_n_learned()),
        InfoBridge::FdbMaxLearned(b.fdb_max_learned),
        // CONFIG_BRIDGE_VLAN_FILTERING block.
        vlan_protocol_nla(b.vlan_protocol),
        InfoBridge::VlanDefaultPvid(b.vlan_default_pvid),
        InfoBridge::VlanStatsEnabled(b.vlan_stats_enabled),
        InfoBridge::VlanStatsPerPort(b.vlan_stats_per_port),
        // CONFIG_BRIDGE_IGMP_SNOOPING block.
        InfoBridge::MulticastRouter(BridgeMulticastRouterType::from(b.mcast_router)),
        InfoBridge::MulticastSnooping(b.mcast_snooping),
        InfoBridge::MulticastQueryUseIfaddr(b.mcast_query_use_ifaddr),
        InfoBridge::MulticastQuerier(b.mcast_querier),
        InfoBridge::MulticastStatsEnabled(b.mcast_stats_enabled),
        InfoBridge::MulticastHashElasticity(b.mcast_hash_elasticity()),
        InfoBridge::MulticastHashMax(b.mcast_hash_max),
        InfoBridge::MulticastLastMemberCount(b.mcast_last_member_cnt),
        InfoBridge::MulticastStartupQueryCount(b.mcast_startup_query_cnt),
        InfoBridge::MulticastIgmpVersion(b.mcast_igmp_version),
    ];
    // IFLA_BR_MCAST_QUERIER_STATE (`br_multicast_dump_querier_state`) would come here. Its nest
    // only gets content while this bridge is the querier or another querier was heard, neither
    // of which the model has (`multicast_querier` is 0, no query is ever received), and an
    // empty nest is cancelled: the attribute is absent, with snooping on or off.
    nlas.extend([
        InfoBridge::MulticastMldVersion(b.mcast_mld_version),
        InfoBridge::MulticastLastMemberInterval(b.mcast_last_member_intvl),
        InfoBridge::MulticastMembershipInterval(b.mcast_membership_intvl),
        InfoBridge::MulticastQuerierInterval(b.mcast_querier_intvl),
        InfoBridge::MulticastQueryInterval(b.mcast_query_intvl),
        InfoBridge::MulticastQueryResponseInterval(b.mcast_query_response_intvl),
        InfoBridge::MulticastStartupQueryInterval(b.mcast_startup_query_intvl),
        // CONFIG_BRIDGE_NETFILTER block.
        InfoBridge::NfCallIpTables(b.nf_call_iptables),
        InfoBridge::NfCallIp6Tables(b.nf_call_ip6tables),
        InfoBridge::NfCallArpTables(b.nf_call_arptables),
    ]);
    nlas
}

/// `br_port_fill_attrs` (net/bridge/br_netlink.c, Linux 6.12): every IFLA_BRPORT_* attribute in
/// the kernel's order, for a kernel with CONFIG_BRIDGE_IGMP_SNOOPING.
pub fn encode_bridge_port_info(p: &BridgePortInfo) -> Vec<InfoBridgePort> {
    let bp = &p.port;
    // With STP off the bridge is the root and every port is designated
    // (`br_become_designated_port` at `br_init_port`, kept in step by `br_stp_change_bridge_id`):
    // the port's designated root and designated bridge are both the bridge id, its designated
    // port its own port id.
    let id = bridge_id(p.bridge_id_prio, &p.bridge_id_addr);
    let port_id = bp.port_id();
    let mut out = vec![
        InfoBridgePort::State(BridgePortState::from(bp.state)),
        InfoBridgePort::Priority(bp.priority),
        InfoBridgePort::Cost(bp.path_cost),
        InfoBridgePort::HairpinMode(bp.has(port_flag::HAIRPIN_MODE)),
        InfoBridgePort::Guard(bp.has(port_flag::BPDU_GUARD)),
        InfoBridgePort::Protect(bp.has(port_flag::ROOT_BLOCK)),
        InfoBridgePort::FastLeave(bp.has(port_flag::MULTICAST_FAST_LEAVE)),
        InfoBridgePort::MulticastToUnicast(bp.has(port_flag::MULTICAST_TO_UNICAST)),
        InfoBridgePort::Learning(bp.has(port_flag::LEARNING)),
        InfoBridgePort::UnicastFlood(bp.has(port_flag::FLOOD)),
        InfoBridgePort::MulticastFlood(bp.has(port_flag::MCAST_FLOOD)),
        InfoBridgePort::BroadcastFlood(bp.has(port_flag::BCAST_FLOOD)),
        InfoBridgePort::ProxyARP(bp.has(port_flag::PROXYARP)),
        InfoBridgePort::ProxyARPWifi(bp.has(port_flag::PROXYARP_WIFI)),
        InfoBridgePort::RootId(id.clone()),
        InfoBridgePort::BridgeId(id),
        InfoBridgePort::DesignatedPort(port_id),
        InfoBridgePort::DesignatedCost(bp.designated_cost()),
        InfoBridgePort::PortId(port_id),
        InfoBridgePort::PortNumber(bp.port_no),
        InfoBridgePort::TopologyChangeAck(bp.topology_change_ack()),
        InfoBridgePort::ConfigPending(bp.config_pending()),
        InfoBridgePort::VlanTunnel(bp.has(port_flag::VLAN_TUNNEL)),
        InfoBridgePort::GroupFwdMask(bp.group_fwd_mask),
        InfoBridgePort::NeighSupress(bp.has(port_flag::NEIGH_SUPPRESS)),
        InfoBridgePort::MrpRingOpen(false),
        InfoBridgePort::MrpInOpen(false),
        InfoBridgePort::Isolated(bp.has(port_flag::ISOLATED)),
        InfoBridgePort::Locked(bp.has(port_flag::PORT_LOCKED)),
        InfoBridgePort::Mab(bp.has(port_flag::PORT_MAB)),
        InfoBridgePort::NeighVlanSuppress(bp.has(port_flag::NEIGH_VLAN_SUPPRESS)),
        InfoBridgePort::MessageAgeTimer(TIMER_VALUE),
        InfoBridgePort::ForwardDelayTimer(TIMER_VALUE),
        InfoBridgePort::HoldTimer(TIMER_VALUE),
        // CONFIG_BRIDGE_IGMP_SNOOPING block.
        InfoBridgePort::MulticastRouter(BridgeMulticastRouterType::from(bp.mcast_router)),
        InfoBridgePort::MulticastEhtHostsLimit(bp.mcast_eht_hosts_limit),
        InfoBridgePort::MulticastEhtHostsCnt(bp.mcast_eht_hosts_cnt()),
        InfoBridgePort::MulticastNGroups(bp.mcast_n_groups()),
        InfoBridgePort::MulticastMaxGroups(bp.mcast_max_groups),
    ];
    // IFLA_BRPORT_BACKUP_PORT is only sent when set, which the model never does (setting it
    // is refused as not modelled); IFLA_BRPORT_BACKUP_NHID when non-zero.
    if bp.backup_nhid != 0 {
        out.push(InfoBridgePort::BackupNextHopId(bp.backup_nhid));
    }
    out
}

/// Whether `br_changelink` (6.12) looks at IFLA_BR_* attribute `kind` at all. The others pass
/// `br_policy` unchecked (no policy entry: the read-only ids, root port / cost, topology
/// flags, timers, IFLA_BR_PAD, IFLA_BR_MCAST_QUERIER_STATE), or are beyond IFLA_BR_MAX or
/// IFLA_BR_UNSPEC, which the non-strict `nla_parse_nested_deprecated` skips; either way the
/// request succeeds without them having any effect. IFLA_BR_FDB_N_LEARNED is NLA_REJECT: the
/// policy layer refuses it before this point, and it is kept (as `Other`) should it get here.
fn changelink_reads(kind: u16) -> bool {
    match kind {
        0 => false,
        attr::ROOT_ID..=attr::GC_TIMER => false,
        attr::PAD | attr::MCAST_QUERIER_STATE => false,
        k => k <= attr::MAX,
    }
}

/// The first `N` bytes of an attribute as the kernel's `nla_get_*` reads them (host order,
/// little-endian on x86_64; `br_policy` guarantees at least the type's size).
fn first_bytes<const N: usize>(value: &[u8]) -> Option<[u8; N]> {
    value.get(..N).and_then(|b| b.try_into().ok())
}

/// One IFLA_BR_* attribute `br_changelink` reads, from its raw value. A value too short for
/// its type (the policy layer refuses those first) stays `Other`.
fn decode_raw_opt(kind: u16, value: &[u8]) -> BridgeOpt {
    let u8v = || value.first().copied();
    let u16v = || first_bytes::<2>(value).map(u16::from_le_bytes);
    let u32v = || first_bytes::<4>(value).map(u32::from_le_bytes);
    let u64v = || first_bytes::<8>(value).map(u64::from_le_bytes);
    let opt = match kind {
        attr::FORWARD_DELAY => u32v().map(BridgeOpt::ForwardDelay),
        attr::HELLO_TIME => u32v().map(BridgeOpt::HelloTime),
        attr::MAX_AGE => u32v().map(BridgeOpt::MaxAge),
        attr::AGEING_TIME => u32v().map(BridgeOpt::AgeingTime),
        attr::STP_STATE => u32v().map(BridgeOpt::StpState),
        attr::PRIORITY => u16v().map(BridgeOpt::Priority),
        7 => u8v().map(BridgeOpt::VlanFiltering),
        // nla_get_be16.
        attr::VLAN_PROTOCOL => first_bytes::<2>(value)
            .map(u16::from_be_bytes)
            .map(BridgeOpt::VlanProtocol),
        attr::GROUP_FWD_MASK => u16v().map(BridgeOpt::GroupFwdMask),
        20 => Some(BridgeOpt::GroupAddr(value.to_vec())),
        21 => Some(BridgeOpt::FdbFlush),
        22 => u8v().map(BridgeOpt::McastRouter),
        23 => u8v().map(BridgeOpt::McastSnooping),
        24 => u8v().map(BridgeOpt::McastQueryUseIfaddr),
        25 => u8v().map(BridgeOpt::McastQuerier),
        26 => u32v().map(BridgeOpt::McastHashElasticity),
        27 => u32v().map(BridgeOpt::McastHashMax),
        28 => u32v().map(BridgeOpt::McastLastMemberCnt),
        29 => u32v().map(BridgeOpt::McastStartupQueryCnt),
        30 => u64v().map(BridgeOpt::McastLastMemberIntvl),
        31 => u64v().map(BridgeOpt::McastMembershipIntvl),
        32 => u64v().map(BridgeOpt::McastQuerierIntvl),
        33 => u64v().map(BridgeOpt::McastQueryIntvl),
        34 => u64v().map(BridgeOpt::McastQueryResponseIntvl),
        35 => u64v().map(BridgeOpt::McastStartupQueryIntvl),
        36 => u8v().map(BridgeOpt::NfCallIptables),
        37 => u8v().map(BridgeOpt::NfCallIp6tables),
        38 => u8v().map(BridgeOpt::NfCallArptables),
        39 => u16v().map(BridgeOpt::VlanDefaultPvid),
        41 => u8v().map(BridgeOpt::VlanStatsEnabled),
        42 => u8v().map(BridgeOpt::McastStatsEnabled),
        43 => u8v().map(BridgeOpt::McastIgmpVersion),
        44 => u8v().map(BridgeOpt::McastMldVersion),
        45 => u8v().map(BridgeOpt::VlanStatsPerPort),
        // struct br_boolopt_multi { u32 optval; u32 optmask; } (exact length by policy).
        46 => first_bytes::<8>(value).map(|b| BridgeOpt::MultiBoolopt {
            value: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            mask: u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        }),
        49 => u32v().map(BridgeOpt::FdbMaxLearned),
        _ => None,
    };
    opt.unwrap_or(BridgeOpt::Other(kind))
}

/// IFLA_INFO_DATA of kind bridge as raw (type, value) pairs → the model options
/// `br_changelink` acts on.
///
/// The kernel parses the nest into a table indexed by type (`nla_parse_nested_deprecated`), so
/// of a repeated attribute only the last copy counts: earlier copies are dropped here too.
/// Attributes `br_changelink` never reads are dropped (see [`changelink_reads`]).
pub fn decode_bridge_opts_raw<'a>(attrs: impl Iterator<Item = (u16, &'a [u8])>) -> Vec<BridgeOpt> {
    let mut seen: Vec<(u16, BridgeOpt)> = Vec::new();
    for (kind, value) in attrs {
        // The table index has no flags (MCAST_QUERIER_STATE carries NLA_F_NESTED).
        let kind = kind & NLA_TYPE_MASK;
        if !changelink_reads(kind) {
            continue;
        }
        seen.retain(|(k, _)| *k != kind);
        seen.push((kind, decode_raw_opt(kind, value)));
    }
    seen.into_iter().map(|(_, opt)| opt).collect()
}

/// Whether `kind` is one of the `br_set_port_flag` attributes (IFLA_BRPORT_*) `br_setport`
/// reads (the model's list, with their flags).
fn is_port_flag_attr(kind: u16) -> bool {
    kernel_model::kinds::bridge::PORT_FLAG_ATTRS
        .iter()
        .any(|(attr, _)| *attr == kind)
}

/// One IFLA_BRPORT_* attribute `br_setport` reads, from its raw value; None for attributes it
/// never reads (ids, timers, counters, MRP, IFLA_BRPORT_LEARNING_SYNC: no `br_port_policy`
/// entry or not looked at) and values too short (refused by the policy layer first).
fn decode_port_raw(kind: u16, value: &[u8]) -> Option<BridgePortOpt> {
    let u8v = || value.first().copied();
    let u16v = || first_bytes::<2>(value).map(u16::from_le_bytes);
    let u32v = || first_bytes::<4>(value).map(u32::from_le_bytes);
    match kind {
        1 => u8v().map(BridgePortOpt::State),
        2 => u16v().map(BridgePortOpt::Priority),
        3 => u32v().map(BridgePortOpt::Cost),
        k if is_port_flag_attr(k) => u8v().map(|v| BridgePortOpt::Flag(k, v)),
        24 => Some(BridgePortOpt::Flush),
        25 => u8v().map(BridgePortOpt::McastRouter),
        31 => u16v().map(BridgePortOpt::GroupFwdMask),
        34 => u32v().map(BridgePortOpt::BackupPort),
        37 => u32v().map(BridgePortOpt::McastEhtHostsLimit),
        42 => u32v().map(BridgePortOpt::McastMaxGroups),
        44 => u32v().map(BridgePortOpt::BackupNhid),
        _ => None,
    }
}

/// IFLA_INFO_SLAVE_DATA / IFLA_PROTINFO (nested) of a bridge port as raw (type, value) pairs →
/// the options `br_setport` acts on, last copy of each attribute only.
pub fn decode_port_opts_raw<'a>(
    attrs: impl Iterator<Item = (u16, &'a [u8])>,
) -> Vec<BridgePortOpt> {
    let mut seen: Vec<(u16, BridgePortOpt)> = Vec::new();
    for (kind, value) in attrs {
        let kind = kind & NLA_TYPE_MASK;
        let Some(opt) = decode_port_raw(kind, value) else {
            continue;
        };
        seen.retain(|(k, _)| *k != kind);
        seen.push((kind, opt));
    }
    seen.into_iter().map(|(_, opt)| opt).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed form of [`decode_bridge_opts_raw`]: each attribute's value re-emitted as bytes
    /// (netlink-packet-route turns u8 flags into bool, so a raw value other than 0/1 is only seen
    /// by the raw decoder, which the request decoder uses).
    fn decode_bridge_opts(nlas: &[InfoBridge]) -> Vec<BridgeOpt> {
        let raw: Vec<(u16, Vec<u8>)> = nlas
            .iter()
            .map(|n| {
                let mut v = vec![0u8; n.value_len()];
                n.emit_value(&mut v);
                (n.kind(), v)
            })
            .collect();
        decode_bridge_opts_raw(raw.iter().map(|(k, v)| (*k, v.as_slice())))
    }
    use kernel_model::kinds::bridge::{port_state, BridgePort, BridgeState};
    use kernel_model::DevId;
    use netlink_packet_core::{Emitable, Nla};

    /// IFLA_BR_* numbers only the tests name.
    const GROUP_ADDR: u16 = 20;
    const VLAN_DEFAULT_PVID: u16 = 39;
    const VLAN_STATS_ENABLED: u16 = 41;
    const FDB_N_LEARNED: u16 = 48;

    /// IFLA_INFO_DATA of br0 from captures/getlink.txt ("GETLINK by index br0(2), no ext mask"),
    /// a real 6.18 kernel: a fresh `ip link add br0 type bridge`, up, with one port va.
    const CAPTURE_BR0_INFO_DATA: &str = "\
        0c00100000000000000000000c00110000000000000000000c00120000000000000000000c0013003474000000000000\
        08000100dc05000008000200c800000008000300d0070000080004003075000008000500000000000600060000800000\
        050007000000000006000900000000000c000b008000c67af09ad1430c000a008000c67af09ad14306000c0000000000\
        08000d000000000005000e000000000005000f00000000000a0014000180c200000000000c002e00000000001f000000\
        080030000100000008003100000000000500160001000000050017000100000005001800000000000500190000000000\
        05002a000000000008001a001000000008001b000010000008001c000200000008001d000200000005002b0002000000\
        05002c00010000000c001e0064000000000000000c001f0090650000000000000c0020009c630000000000000c002100\
        d4300000000000000c002200e8030000000000000c002300340c00000000000005002400000000000500250000000000\
        0500260000000000";

    /// IFLA_INFO_SLAVE_DATA of va (port 1 of br0, a veth, forwarding) from the same capture
    /// ("GETLINK by index va(5), no ext mask").
    const CAPTURE_VA_SLAVE_DATA: &str = "\
        050001000300000006000200200000000800030002000000050004000000000005000500000000000500060000000000\
        050007000000000005001c00000000000500080001000000050009000100000005001b000100000005001e0001000000\
        05000a000000000005000c00000000000c000d008000c67af09ad1430c000e008000c67af09ad14306000f0001800000\
        0600100000000000060011000180000006001200010000000500130000000000050014000000000005001d0000000000\
        06001f000000000005002000000000000500230000000000050024000000000005002100000000000500270000000000\
        050028000000000005002b00000000000c00150000000000000000000c001600d6040000000000000c00170000000000\
        00000000050019000100000008002500000200000800260000000000080029000100000008002a0000000000";

    /// br0's MAC in the capture (it took va's address, `br_stp_recalculate_bridge_id`).
    const CAPTURE_MAC: [u8; 6] = [0xc6, 0x7a, 0xf0, 0x9a, 0xd1, 0x43];

    fn unhex(s: &str) -> Vec<u8> {
        let digits: Vec<u8> = s
            .bytes()
            .filter(|c| !c.is_ascii_whitespace() && *c != b'\\')
            .collect();
        digits
            .chunks(2)
            .map(|pair| {
                let text = std::str::from_utf8(pair).expect("ascii hex");
                u8::from_str_radix(text, 16).expect("hex digit pair")
            })
            .collect()
    }

    /// (type, value without padding) of each attribute in a buffer, checking the framing.
    fn walk(buf: &[u8]) -> Vec<(u16, Vec<u8>)> {
        let mut out = Vec::new();
        let mut off = 0;
        while off < buf.len() {
            let len = u16::from_le_bytes([buf[off], buf[off + 1]]) as usize;
            let kind = u16::from_le_bytes([buf[off + 2], buf[off + 3]]);
            assert!(
                len >= 4 && off + len <= buf.len(),
                "bad attribute framing at {off}"
            );
            out.push((kind, buf[off + 4..off + len].to_vec()));
            let padded = (len + 3) & !3;
            assert!(
                buf[off + len..(off + padded).min(buf.len())]
                    .iter()
                    .all(|b| *b == 0),
                "padding is zero"
            );
            off += padded;
        }
        assert_eq!(off, buf.len());
        out
    }

    fn emit<T: Nla>(nlas: &[T]) -> Vec<u8> {
        let mut buf = vec![0xaa; nlas.buffer_len()];
        nlas.emit(&mut buf);
        buf
    }

    fn set(attrs: &mut [(u16, Vec<u8>)], kind: u16, value: &[u8]) {
        let slot = attrs
            .iter_mut()
            .find(|(k, _)| *k == kind)
            .expect("attribute in capture");
        slot.1 = value.to_vec();
    }

    fn kinds(attrs: &[(u16, Vec<u8>)]) -> Vec<u16> {
        attrs.iter().map(|(k, _)| *k).collect()
    }

    /// The capture's br0 IFLA_INFO_DATA turned into what Linux 6.12 sends for the same bridge
    /// with the model's (timer-free, traffic-free) state. The differences:
    fn br0_expected_6_12() -> Vec<(u16, Vec<u8>)> {
        let mut want = walk(&unhex(CAPTURE_BR0_INFO_DATA));
        // 1. IFLA_BR_GC_TIMER (19): 29748 in the capture, a wall-time countdown; reported as 0.
        set(&mut want, attr::GC_TIMER, &0u64.to_le_bytes());
        // 2. IFLA_BR_MULTI_BOOLOPT (46): optmask 0x1f on 6.18 (five bool options), 0x7 on 6.12.
        set(&mut want, 46, &[0, 0, 0, 0, 0x7, 0, 0, 0]);
        // 3. IFLA_BR_FDB_N_LEARNED (48): 1 in the capture (the bridge learned vb's MAC from
        //    traffic); the model learns nothing.
        set(&mut want, FDB_N_LEARNED, &0u32.to_le_bytes());
        // 4. The capture host is built without CONFIG_BRIDGE_VLAN_FILTERING; 6.12 as targeted
        //    (Debian's config, whose `ip -d link` shows vlan_protocol 802.1Q vlan_default_pvid 1
        //    vlan_stats_enabled 0 vlan_stats_per_port 0) sends these four right after
        //    IFLA_BR_FDB_MAX_LEARNED.
        let at = want
            .iter()
            .position(|(k, _)| *k == 49)
            .expect("FDB_MAX_LEARNED")
            + 1;
        let vlan = [
            (attr::VLAN_PROTOCOL, vec![0x81, 0x00]),
            (VLAN_DEFAULT_PVID, 1u16.to_le_bytes().to_vec()),
            (VLAN_STATS_ENABLED, vec![0]),
            (45, vec![0]),
        ];
        want.splice(at..at, vlan);
        want
    }

    #[test]
    fn bridge_info_matches_capture() {
        let b = BridgeState {
            bridge_id_addr: HwAddr::eth(CAPTURE_MAC),
            ..BridgeState::default()
        };
        let got = walk(&emit(&encode_bridge_info(&b)));
        let want = br0_expected_6_12();
        assert_eq!(kinds(&got), kinds(&want), "IFLA_BR_* order");
        assert_eq!(got, want);
        assert!(
            !kinds(&got).contains(&attr::PAD),
            "no IFLA_BR_PAD on x86_64"
        );
    }

    #[test]
    fn fresh_bridge_defaults() {
        let b = BridgeState::default();
        let got = walk(&emit(&encode_bridge_info(&b)));
        let mut want = br0_expected_6_12();
        // A bridge without ports or a set MAC has the all-zero bridge id (and is its own root).
        let zero_id = [0x80, 0x00, 0, 0, 0, 0, 0, 0];
        set(&mut want, 11, &zero_id);
        set(&mut want, attr::ROOT_ID, &zero_id);
        assert_eq!(got, want);
        assert_eq!(got.len(), 46);
    }

    #[test]
    fn bridge_info_follows_model_state() {
        let mut b = BridgeState {
            bridge_id_prio: 0x1000,
            bridge_id_addr: HwAddr::eth([2, 0, 0, 0, 0, 1]),
            forward_delay: 400,
            hello_time: 100,
            max_age: 600,
            ageing_time: 1234,
            group_fwd_mask: 0x8,
            vlan_filtering: true,
            vlan_protocol: ETH_P_8021AD,
            vlan_default_pvid: 7,
            mcast_snooping: false,
            ..BridgeState::default()
        };
        let got = walk(&emit(&encode_bridge_info(&b)));
        let value = |kind: u16| {
            got.iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, v)| v.clone())
                .expect("attribute present")
        };
        assert_eq!(value(attr::FORWARD_DELAY), 400u32.to_le_bytes());
        assert_eq!(value(attr::HELLO_TIME), 100u32.to_le_bytes());
        assert_eq!(value(attr::MAX_AGE), 600u32.to_le_bytes());
        assert_eq!(value(attr::AGEING_TIME), 1234u32.to_le_bytes());
        assert_eq!(value(attr::PRIORITY), 0x1000u16.to_le_bytes());
        assert_eq!(value(7), [1]);
        assert_eq!(value(attr::GROUP_FWD_MASK), 0x8u16.to_le_bytes());
        assert_eq!(value(11), [0x10, 0x00, 2, 0, 0, 0, 0, 1]);
        assert_eq!(value(attr::ROOT_ID), [0x10, 0x00, 2, 0, 0, 0, 0, 1]);
        assert_eq!(value(attr::VLAN_PROTOCOL), [0x88, 0xa8]);
        assert_eq!(value(VLAN_DEFAULT_PVID), 7u16.to_le_bytes());
        assert_eq!(value(23), [0]);
        // The querier state nest stays absent with snooping off as well.
        assert!(!kinds(&got).contains(&attr::MCAST_QUERIER_STATE));

        // A protocol VlanProtocol cannot name still goes out as the model holds it.
        b.vlan_protocol = 0x9100;
        let got = walk(&emit(&encode_bridge_info(&b)));
        let proto = got
            .iter()
            .find(|(k, _)| *k == attr::VLAN_PROTOCOL)
            .map(|(_, v)| v.clone());
        assert_eq!(proto, Some(vec![0x91, 0x00]));
    }

    fn capture_port() -> BridgePortInfo {
        // veth reports 10 Gb/s: `port_cost` gives 2.
        let mut port = BridgePort::new(DevId(2), 1, 2);
        port.state = port_state::FORWARDING;
        port.flags |= port_flag::PROMISC;
        BridgePortInfo {
            port,
            bridge_id_prio: 0x8000,
            bridge_id_addr: HwAddr::eth(CAPTURE_MAC),
        }
    }

    #[test]
    fn bridge_port_info_matches_capture() {
        let got = walk(&emit(&encode_bridge_port_info(&capture_port())));
        let mut want = walk(&unhex(CAPTURE_VA_SLAVE_DATA));
        // The differences from the 6.18 capture:
        // 1. IFLA_BRPORT_FORWARD_DELAY_TIMER (22): 1238, a wall-time countdown
        //    (`br_make_forwarding` arms it with STP off too, on 6.12 as well); reported as 0.
        set(&mut want, 22, &0u64.to_le_bytes());
        // 2. IFLA_BRPORT_MCAST_N_GROUPS (41): 1 in the capture (an MLD report from vb was
        //    snooped); the model keeps no mdb.
        set(&mut want, 41, &0u32.to_le_bytes());
        assert_eq!(kinds(&got), kinds(&want), "IFLA_BRPORT_* order");
        assert_eq!(got, want);
        assert!(!kinds(&got).contains(&26), "no IFLA_BRPORT_PAD on x86_64");
    }

    #[test]
    fn bridge_port_info_follows_model_state() {
        let mut p = capture_port();
        p.port.port_no = 3;
        p.port.priority = 5;
        p.port.path_cost = 100;
        p.port.state = port_state::DISABLED;
        p.port.flags = 0;
        p.bridge_id_prio = 0x1000;
        let got = walk(&emit(&encode_bridge_port_info(&p)));
        let value = |kind: u16| {
            got.iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, v)| v.clone())
                .expect("attribute present")
        };
        assert_eq!(value(1), [0]);
        assert_eq!(value(2), 5u16.to_le_bytes());
        assert_eq!(value(3), 100u32.to_le_bytes());
        for flag in [8, 9, 27, 30] {
            assert_eq!(value(flag), [0], "IFLA_BRPORT attribute {flag}");
        }
        let id = [0x10, 0x00, 0xc6, 0x7a, 0xf0, 0x9a, 0xd1, 0x43];
        assert_eq!(value(13), id);
        assert_eq!(value(14), id);
        let port_id = (5u16 << 10) | 3;
        assert_eq!(value(15), port_id.to_le_bytes());
        assert_eq!(value(17), port_id.to_le_bytes());
        assert_eq!(value(18), 3u16.to_le_bytes());
    }

    #[test]
    fn decode_modelled_and_other_options() {
        let nlas = vec![
            InfoBridge::ForwardDelay(400),
            InfoBridge::HelloTime(100),
            InfoBridge::MaxAge(600),
            InfoBridge::AgeingTime(1234),
            InfoBridge::StpState(BridgeStpState::KernelStp),
            InfoBridge::Priority(0x1000),
            InfoBridge::GroupFwdMask(0x8),
            InfoBridge::VlanFiltering(true),
            InfoBridge::VlanProtocol(VlanProtocol::Ieee8021Ad),
            InfoBridge::MulticastSnooping(false),
            InfoBridge::FdbFlush,
            InfoBridge::MultiBoolOpt(BridgeBooleanOptions {
                value: BridgeBooleanOptionFlags::empty(),
                mask: BridgeBooleanOptionFlags::empty(),
            }),
            InfoBridge::FdbMaxLearned(10),
            InfoBridge::Other(DefaultNla::new(FDB_N_LEARNED, vec![0; 4])),
        ];
        assert_eq!(
            decode_bridge_opts(&nlas),
            vec![
                BridgeOpt::ForwardDelay(400),
                BridgeOpt::HelloTime(100),
                BridgeOpt::MaxAge(600),
                BridgeOpt::AgeingTime(1234),
                BridgeOpt::StpState(1),
                BridgeOpt::Priority(0x1000),
                BridgeOpt::GroupFwdMask(0x8),
                BridgeOpt::VlanFiltering(1),
                BridgeOpt::VlanProtocol(ETH_P_8021AD),
                BridgeOpt::McastSnooping(0),
                BridgeOpt::FdbFlush,
                BridgeOpt::MultiBoolopt { value: 0, mask: 0 },
                BridgeOpt::FdbMaxLearned(10),
                // NLA_REJECT in br_policy: refused before br_changelink.
                BridgeOpt::Other(FDB_N_LEARNED),
            ]
        );
    }

    #[test]
    fn decode_ignores_what_changelink_never_reads() {
        let b = BridgeState::default();
        // A dumped IFLA_INFO_DATA sent back as is: only what br_changelink reads remains.
        let opts = decode_bridge_opts(&encode_bridge_info(&b));
        let others: Vec<u16> = opts
            .iter()
            .filter_map(|o| match o {
                BridgeOpt::Other(k) => Some(*k),
                _ => None,
            })
            .collect();
        for ignored in [10, 11, 12, 13, 14, 15, 16, 17, 18, 19] {
            assert!(
                !others.contains(&ignored),
                "attribute {ignored} is ignored by br_changelink"
            );
        }
        assert!(opts.contains(&BridgeOpt::ForwardDelay(1500)));
        assert!(opts.contains(&BridgeOpt::Priority(0x8000)));
        let extra = [
            InfoBridge::MulticastQuerierState(Vec::new()),
            InfoBridge::Other(DefaultNla::new(0, vec![])),
            InfoBridge::Other(DefaultNla::new(attr::PAD, vec![0; 4])),
            InfoBridge::Other(DefaultNla::new(attr::MAX + 1, vec![0; 4])),
        ];
        assert_eq!(decode_bridge_opts(&extra), vec![]);
    }

    #[test]
    fn decode_last_copy_wins_and_raw_values() {
        let nlas = vec![
            InfoBridge::HelloTime(5000),
            InfoBridge::Priority(1),
            InfoBridge::HelloTime(200),
            InfoBridge::Other(DefaultNla::new(attr::PRIORITY, vec![0x34, 0x12])),
            InfoBridge::Other(DefaultNla::new(
                attr::AGEING_TIME,
                vec![0x10, 0x27, 0, 0, 0xff],
            )),
            InfoBridge::Other(DefaultNla::new(attr::MAX_AGE, vec![1])),
            InfoBridge::Other(DefaultNla::new(GROUP_ADDR, vec![1, 0x80, 0xc2, 0, 0, 1])),
        ];
        assert_eq!(
            decode_bridge_opts(&nlas),
            vec![
                BridgeOpt::HelloTime(200),
                BridgeOpt::Priority(0x1234),
                BridgeOpt::AgeingTime(10000),
                BridgeOpt::Other(attr::MAX_AGE),
                BridgeOpt::GroupAddr(vec![1, 0x80, 0xc2, 0, 0, 1]),
            ]
        );
    }
}
