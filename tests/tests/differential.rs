//! Differential test: identical request bytes to the real kernel and to nlsim, replies compared
//! attribute by attribute.
//!
//! # How
//!
//! One driver ([`Driver`]) builds raw netlink requests by hand (no netlink crate on the request
//! side) and records every reply message. It runs twice per scenario:
//!
//! * against the real kernel, in a child process: this test binary re-executed as
//!   `unshare -n -- <test binary> --exact <the same test>` with [`ENV_SCENARIO`] set (or `unshare -Urn` when plain
//!   `-n` is refused) with [`ENV_SCENARIO`] naming the scenario; the child prints its log on
//!   stdout ([`LOG_PREFIX`] lines). The test process itself never unshares (it has threads);
//! * against nlsim (`nlsim::Sim`, fresh namespace), in process.
//!
//! Then the request bytes of both runs must be identical (the driver derives ifindexes from
//! earlier replies, so this also checks both sides allocated the same indexes), and every reply
//! is normalised and rendered as one line per header field / attribute (nested attributes
//! indented), and the two renderings are diffed line by line. Equal renderings mean: the same
//! messages in the same order, same nlmsg type / flags / seq, same ifinfomsg (family, type,
//! index, flags, change), the same attributes in the same order with the same NLA_F_NESTED /
//! NLA_F_NET_BYTEORDER bits, lengths and values, and for NLMSG_ERROR the same errno, echoed
//! request, flags (NLM_F_CAPPED / NLM_F_ACK_TLVS) and extack TLVs (msg, offs, ...).
//!
//! Scenarios: `links` (lo; a bridge; a veth pair; the bridge with the veth as port, its
//! IFLA_INFO_SLAVE_DATA included; all of them again after `up`; a full dump; the bridge and
//! the veth after the port left again) and `errors`
//! (create a bridge twice → EEXIST; mtu 70000 on a bridge; a 16-character name → ERANGE policy
//! error with offset; enslave lo to a bridge → EINVAL; the bare RTM_NEWLINK probe on ifindex 0
//! → ENODEV, also with NLM_F_CREATE; an unknown kind).
//!
//! When the kernel side cannot run (no `unshare`, neither `unshare -n` nor `unshare -Urn`
//! permitted, or the host kernel lacks the bridge / veth kind), the test prints
//! `SKIPPED: <reason>` and returns.
//!
//! # Normalisation (everything not listed here must match exactly)
//!
//! * nlmsg_pid: the requesting socket's own port id is shown as `self` (the kernel and nlsim
//!   hand out different port ids).
//! * MAC addresses are random on both sides. Every IFLA_ADDRESS / IFLA_PERM_ADDRESS and the
//!   address part of the bridge / port ids (IFLA_BR_ROOT_ID, _BRIDGE_ID, IFLA_BRPORT_ROOT_ID,
//!   _BRIDGE_ID) is shown as `mac#<dev>`, `<dev>` being the first device reported with that
//!   address, plus `!INVALID` if it is not a valid unicast address. So lengths, validity and
//!   the equality relations (bridge MAC = its lowest port's MAC, bridge id = bridge MAC) are
//!   compared, the random bytes are not. The all-zero and broadcast addresses stay literal.
//! * ifindex values are compared only relatively: ifi_index, IFLA_LINK and IFLA_MASTER are shown
//!   as the name of the device with that index on the same side (`@br0`).
//! * IFLA_AF_SPEC: when nlsim emits none at all (its first versions did not: KNOWN GAP), it
//!   is dropped on both sides. Otherwise it is compared (position, families, attribute order
//!   and types), with these values masked: IFLA_INET6_FLAGS (the kernel side runs with
//!   disable_ipv6, which keeps IF_READY off), DEVCONF_DISABLE_IPV6 in IFLA_INET6_CONF (set by
//!   the test, see Environment), IFLA_INET6_CONF cut to 6.12's DEVCONF_MAX (59; 6.17 appended
//!   DEVCONF_FORCE_FORWARDING), IFLA_INET6_CACHEINFO tstamp (wall time) and reachable_time
//!   (randomised by the kernel), IFLA_INET6_STATS / _ICMP6STATS counters (their first u64,
//!   the counter count, is compared). IFLA_INET_CONF, IFLA_INET6_TOKEN, _ADDR_GEN_MODE and the
//!   rest of IFLA_INET6_CONF are compared exactly (this needs the host's init_net
//!   `net.ipv4.conf.{all,default}` at compiled defaults: new namespaces copy them).
//! * IFLA 66 (MAX_PACING_OFFLOAD_HORIZON), 67 (NETNS_IMMUTABLE), 68 (HEADROOM), 69 (TAILROOM)
//!   are dropped from the kernel's replies: added after 6.12, and nlsim models 6.12.
//! * IFLA_NUM_TX_QUEUES / IFLA_NUM_RX_QUEUES of veth devices: the kernel uses
//!   num_possible_cpus() (host-dependent; the 6.12 qemu oracle has 1, which nlsim reports).
//! * Bridge timers (IFLA_BR_HELLO_TIMER, _TCN_TIMER, _TOPOLOGY_CHANGE_TIMER, _GC_TIMER,
//!   IFLA_BRPORT_MESSAGE_AGE_TIMER, _FORWARD_DELAY_TIMER, _HOLD_TIMER) run in wall time: only
//!   their length is compared.
//! * IFLA_BR_MULTI_BOOLOPT optmask is GENMASK(BR_BOOLOPT_MAX - 1, 0): 0x1f on 6.18, 0x7 on 6.12.
//!   The kernel's mask is cut to the 6.12 bits (optval is compared as is).
//! * IFLA_BR_VLAN_PROTOCOL, _VLAN_DEFAULT_PVID, _VLAN_STATS_ENABLED, _VLAN_STATS_PER_PORT only
//!   exist with CONFIG_BRIDGE_VLAN_FILTERING, which nlsim assumes (Debian's 6.12 config). When
//!   the host kernel sends none of them, they are dropped from nlsim's replies too.
//! * IFLA_STATS / IFLA_STATS64: only the lengths are compared (counters).
//! * Environment: the kernel-side namespace gets net.ipv6.conf.{all,default,lo}.disable_ipv6 = 1
//!   before anything is created, so no IPv6 traffic (router solicitations, MLD reports) makes
//!   the bridge learn fdb entries or mdb groups, which nlsim does not model. After setting
//!   devices up, the kernel side waits for linkwatch (≤ 1 s for non-urgent events) before
//!   reading; nlsim runs linkwatch before answering.

#[path = "common/kernel.rs"]
mod kernel;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

/// Set in the child's environment: the scenario the kernel side runs.
const ENV_SCENARIO: &str = "NLSIM_DIFF_KERNEL_SCENARIO";
/// Prefix of the child's log lines on stdout.
const LOG_PREFIX: &str = "NLSIM-DIFF-LOG ";

// ----- netlink numbers (include/uapi/linux/{netlink,rtnetlink,if_link}.h) ----------------------

const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;

const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_DUMP: u16 = 0x300;
const NLM_F_EXCL: u16 = 0x200;
const NLM_F_CREATE: u16 = 0x400;

const NLA_F_NESTED: u16 = 0x8000;
const NLA_F_NET_BYTEORDER: u16 = 0x4000;
const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINK: u16 = 5;
const IFLA_STATS: u16 = 7;
const IFLA_MASTER: u16 = 10;
const IFLA_LINKINFO: u16 = 18;
const IFLA_STATS64: u16 = 23;
const IFLA_AF_SPEC: u16 = 26;
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;
const IFLA_INET_CONF: u16 = 1;
const IFLA_INET6_FLAGS: u16 = 1;
const IFLA_INET6_CONF: u16 = 2;
const IFLA_INET6_STATS: u16 = 3;
const IFLA_INET6_CACHEINFO: u16 = 5;
const IFLA_INET6_ICMP6STATS: u16 = 6;
/// `DEVCONF_MAX` of 6.12 (6.17 appended DEVCONF_FORCE_FORWARDING).
const DEVCONF_MAX_6_12: usize = 59;
/// `DEVCONF_DISABLE_IPV6`: set to 1 on the kernel side by the test itself.
const DEVCONF_DISABLE_IPV6: usize = 26;
const IFLA_NUM_TX_QUEUES: u16 = 31;
const IFLA_NUM_RX_QUEUES: u16 = 32;
const IFLA_PERM_ADDRESS: u16 = 54;
/// Added after 6.12: MAX_PACING_OFFLOAD_HORIZON (6.13), NETNS_IMMUTABLE (6.13), HEADROOM and
/// TAILROOM (6.14).
const IFLA_POST_6_12: [u16; 4] = [66, 67, 68, 69];

const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_INFO_SLAVE_KIND: u16 = 4;
const IFLA_INFO_SLAVE_DATA: u16 = 5;
const VETH_INFO_PEER: u16 = 1;

const IFLA_BR_VLAN_ATTRS: [u16; 4] = [8, 39, 41, 45];
const IFLA_BR_VLAN_PROTOCOL: u16 = 8;
const IFLA_BR_ROOT_ID: u16 = 10;
const IFLA_BR_BRIDGE_ID: u16 = 11;
const IFLA_BR_TIMERS: [u16; 4] = [16, 17, 18, 19];
const IFLA_BR_MULTI_BOOLOPT: u16 = 46;
/// GENMASK(BR_BOOLOPT_MAX - 1, 0) on 6.12 (three bool options).
const BOOLOPT_MASK_6_12: u32 = 0x7;

const IFLA_BRPORT_ROOT_ID: u16 = 13;
const IFLA_BRPORT_BRIDGE_ID: u16 = 14;
const IFLA_BRPORT_TIMERS: [u16; 3] = [21, 22, 23];

const IFF_UP: u32 = 0x1;

fn ifla_name(t: u16) -> &'static str {
    const N: [&str; 70] = [
        "UNSPEC",
        "ADDRESS",
        "BROADCAST",
        "IFNAME",
        "MTU",
        "LINK",
        "QDISC",
        "STATS",
        "COST",
        "PRIORITY",
        "MASTER",
        "WIRELESS",
        "PROTINFO",
        "TXQLEN",
        "MAP",
        "WEIGHT",
        "OPERSTATE",
        "LINKMODE",
        "LINKINFO",
        "NET_NS_PID",
        "IFALIAS",
        "NUM_VF",
        "VFINFO_LIST",
        "STATS64",
        "VF_PORTS",
        "PORT_SELF",
        "AF_SPEC",
        "GROUP",
        "NET_NS_FD",
        "EXT_MASK",
        "PROMISCUITY",
        "NUM_TX_QUEUES",
        "NUM_RX_QUEUES",
        "CARRIER",
        "PHYS_PORT_ID",
        "CARRIER_CHANGES",
        "PHYS_SWITCH_ID",
        "LINK_NETNSID",
        "PHYS_PORT_NAME",
        "PROTO_DOWN",
        "GSO_MAX_SEGS",
        "GSO_MAX_SIZE",
        "PAD",
        "XDP",
        "EVENT",
        "NEW_NETNSID",
        "TARGET_NETNSID",
        "CARRIER_UP_COUNT",
        "CARRIER_DOWN_COUNT",
        "NEW_IFINDEX",
        "MIN_MTU",
        "MAX_MTU",
        "PROP_LIST",
        "ALT_IFNAME",
        "PERM_ADDRESS",
        "PROTO_DOWN_REASON",
        "PARENT_DEV_NAME",
        "PARENT_DEV_BUS_NAME",
        "GRO_MAX_SIZE",
        "TSO_MAX_SIZE",
        "TSO_MAX_SEGS",
        "ALLMULTI",
        "DEVLINK_PORT",
        "GSO_IPV4_MAX_SIZE",
        "GRO_IPV4_MAX_SIZE",
        "DPLL_PIN",
        "MAX_PACING_OFFLOAD_HORIZON",
        "NETNS_IMMUTABLE",
        "HEADROOM",
        "TAILROOM",
    ];
    N.get(t as usize).copied().unwrap_or("?")
}

fn ifla_br_name(t: u16) -> &'static str {
    const N: [&str; 50] = [
        "UNSPEC",
        "FORWARD_DELAY",
        "HELLO_TIME",
        "MAX_AGE",
        "AGEING_TIME",
        "STP_STATE",
        "PRIORITY",
        "VLAN_FILTERING",
        "VLAN_PROTOCOL",
        "GROUP_FWD_MASK",
        "ROOT_ID",
        "BRIDGE_ID",
        "ROOT_PORT",
        "ROOT_PATH_COST",
        "TOPOLOGY_CHANGE",
        "TOPOLOGY_CHANGE_DETECTED",
        "HELLO_TIMER",
        "TCN_TIMER",
        "TOPOLOGY_CHANGE_TIMER",
        "GC_TIMER",
        "GROUP_ADDR",
        "FDB_FLUSH",
        "MCAST_ROUTER",
        "MCAST_SNOOPING",
        "MCAST_QUERY_USE_IFADDR",
        "MCAST_QUERIER",
        "MCAST_HASH_ELASTICITY",
        "MCAST_HASH_MAX",
        "MCAST_LAST_MEMBER_CNT",
        "MCAST_STARTUP_QUERY_CNT",
        "MCAST_LAST_MEMBER_INTVL",
        "MCAST_MEMBERSHIP_INTVL",
        "MCAST_QUERIER_INTVL",
        "MCAST_QUERY_INTVL",
        "MCAST_QUERY_RESPONSE_INTVL",
        "MCAST_STARTUP_QUERY_INTVL",
        "NF_CALL_IPTABLES",
        "NF_CALL_IP6TABLES",
        "NF_CALL_ARPTABLES",
        "VLAN_DEFAULT_PVID",
        "PAD",
        "VLAN_STATS_ENABLED",
        "MCAST_STATS_ENABLED",
        "MCAST_IGMP_VERSION",
        "MCAST_MLD_VERSION",
        "VLAN_STATS_PER_PORT",
        "MULTI_BOOLOPT",
        "MCAST_QUERIER_STATE",
        "FDB_N_LEARNED",
        "FDB_MAX_LEARNED",
    ];
    N.get(t as usize).copied().unwrap_or("?")
}

fn ifla_brport_name(t: u16) -> &'static str {
    const N: [&str; 45] = [
        "UNSPEC",
        "STATE",
        "PRIORITY",
        "COST",
        "MODE",
        "GUARD",
        "PROTECT",
        "FAST_LEAVE",
        "LEARNING",
        "UNICAST_FLOOD",
        "PROXYARP",
        "LEARNING_SYNC",
        "PROXYARP_WIFI",
        "ROOT_ID",
        "BRIDGE_ID",
        "DESIGNATED_PORT",
        "DESIGNATED_COST",
        "ID",
        "NO",
        "TOPOLOGY_CHANGE_ACK",
        "CONFIG_PENDING",
        "MESSAGE_AGE_TIMER",
        "FORWARD_DELAY_TIMER",
        "HOLD_TIMER",
        "FLUSH",
        "MULTICAST_ROUTER",
        "PAD",
        "MCAST_FLOOD",
        "MCAST_TO_UCAST",
        "VLAN_TUNNEL",
        "BCAST_FLOOD",
        "GROUP_FWD_MASK",
        "NEIGH_SUPPRESS",
        "ISOLATED",
        "BACKUP_PORT",
        "MRP_RING_OPEN",
        "MRP_IN_OPEN",
        "MCAST_EHT_HOSTS_LIMIT",
        "MCAST_EHT_HOSTS_CNT",
        "LOCKED",
        "MAB",
        "MCAST_N_GROUPS",
        "MCAST_MAX_GROUPS",
        "NEIGH_VLAN_SUPPRESS",
        "BACKUP_NHID",
    ];
    N.get(t as usize).copied().unwrap_or("?")
}

fn inet6_name(t: u16) -> &'static str {
    match t {
        1 => "FLAGS",
        2 => "CONF",
        3 => "STATS",
        4 => "MCAST",
        5 => "CACHEINFO",
        6 => "ICMP6STATS",
        7 => "TOKEN",
        8 => "ADDR_GEN_MODE",
        9 => "RA_MTU",
        _ => "?",
    }
}

fn info_name(t: u16) -> &'static str {
    match t {
        1 => "KIND",
        2 => "DATA",
        3 => "XSTATS",
        4 => "SLAVE_KIND",
        5 => "SLAVE_DATA",
        _ => "?",
    }
}

fn xdp_name(t: u16) -> &'static str {
    match t {
        1 => "FD",
        2 => "ATTACHED",
        3 => "FLAGS",
        4 => "PROG_ID",
        5 => "DRV_PROG_ID",
        6 => "SKB_PROG_ID",
        7 => "HW_PROG_ID",
        8 => "EXPECTED_FD",
        _ => "?",
    }
}

// ----- request building ------------------------------------------------------------------------

fn put_attr(buf: &mut Vec<u8>, ty: u16, payload: &[u8]) {
    let len = 4 + payload.len();
    buf.extend_from_slice(&(len as u16).to_ne_bytes());
    buf.extend_from_slice(&ty.to_ne_bytes());
    buf.extend_from_slice(payload);
    buf.resize((buf.len() + 3) & !3, 0);
}

fn strz(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

/// `struct ifinfomsg` (AF_UNSPEC).
fn ifinfomsg(index: i32, flags: u32, change: u32) -> Vec<u8> {
    let mut v = vec![0u8; 4];
    v.extend_from_slice(&index.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&change.to_ne_bytes());
    v
}

/// One rtnetlink link request: nlmsghdr + ifinfomsg + attributes.
struct Req {
    ty: u16,
    flags: u16,
    index: i32,
    ifi_flags: u32,
    ifi_change: u32,
    attrs: Vec<u8>,
}

impl Req {
    fn new(ty: u16, flags: u16) -> Req {
        Req {
            ty,
            flags,
            index: 0,
            ifi_flags: 0,
            ifi_change: 0,
            attrs: Vec::new(),
        }
    }
    fn index(mut self, index: u32) -> Req {
        self.index = index as i32;
        self
    }
    fn ifi_flags(mut self, flags: u32, change: u32) -> Req {
        self.ifi_flags = flags;
        self.ifi_change = change;
        self
    }
    fn attr(mut self, ty: u16, payload: &[u8]) -> Req {
        put_attr(&mut self.attrs, ty, payload);
        self
    }
    fn name(self, name: &str) -> Req {
        self.attr(IFLA_IFNAME, &strz(name))
    }
    /// IFLA_LINKINFO { IFLA_INFO_KIND kind [IFLA_INFO_DATA data] } (no NLA_F_NESTED, like
    /// iproute2's `addattr_nest`).
    fn kind(self, kind: &str, data: Option<Vec<u8>>) -> Req {
        let mut info = Vec::new();
        put_attr(&mut info, IFLA_INFO_KIND, &strz(kind));
        if let Some(d) = data {
            put_attr(&mut info, IFLA_INFO_DATA, &d);
        }
        self.attr(IFLA_LINKINFO, &info)
    }
    fn bytes(&self, seq: u32) -> Vec<u8> {
        let mut body = ifinfomsg(self.index, self.ifi_flags, self.ifi_change);
        body.extend_from_slice(&self.attrs);
        let mut m = Vec::with_capacity(16 + body.len());
        m.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
        m.extend_from_slice(&self.ty.to_ne_bytes());
        m.extend_from_slice(&self.flags.to_ne_bytes());
        m.extend_from_slice(&seq.to_ne_bytes());
        m.extend_from_slice(&0u32.to_ne_bytes());
        m.extend_from_slice(&body);
        m
    }
}

/// `ip link add NAME type KIND`.
fn create(name: &str, kind: &str) -> Req {
    Req::new(
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    )
    .name(name)
    .kind(kind, None)
}

/// `ip link add A type veth peer name B`.
fn create_veth(a: &str, b: &str) -> Req {
    let mut peer = ifinfomsg(0, 0, 0);
    put_attr(&mut peer, IFLA_IFNAME, &strz(b));
    let mut data = Vec::new();
    put_attr(&mut data, VETH_INFO_PEER, &peer);
    Req::new(
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    )
    .name(a)
    .kind("veth", Some(data))
}

/// `ip link set dev ...`: RTM_NEWLINK on an ifindex.
fn setlink(index: u32) -> Req {
    Req::new(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK).index(index)
}

// ----- transports ------------------------------------------------------------------------------

/// Datagrams to and from one netlink socket.
trait Wire {
    fn send(&mut self, bytes: &[u8]);
    fn recv(&mut self, timeout_ms: i32) -> Option<Vec<u8>>;
    fn portid(&self) -> u32;
    /// Lets asynchronous kernel work (linkwatch) finish.
    fn settle(&mut self);
}

struct KernelWire(kernel::KernelSocket);

impl Wire for KernelWire {
    fn send(&mut self, bytes: &[u8]) {
        self.0.send(bytes).expect("send to the kernel");
    }
    fn recv(&mut self, timeout_ms: i32) -> Option<Vec<u8>> {
        self.0.recv_timeout(timeout_ms).ok()
    }
    fn portid(&self) -> u32 {
        self.0.portid()
    }
    fn settle(&mut self) {
        // linkwatch delays non-urgent events by up to one second (HZ).
        std::thread::sleep(Duration::from_millis(1500));
    }
}

struct SimWire {
    sock: nlsim::SimSocket,
    portid: u32,
    _sim: nlsim::Sim,
}

impl Wire for SimWire {
    fn send(&mut self, bytes: &[u8]) {
        self.sock.send(bytes).expect("send to nlsim");
    }
    fn recv(&mut self, timeout_ms: i32) -> Option<Vec<u8>> {
        self.sock.recv_timeout(timeout_ms).ok()
    }
    fn portid(&self) -> u32 {
        self.portid
    }
    fn settle(&mut self) {}
}

// ----- driver ----------------------------------------------------------------------------------

/// One request and every message answered to it.
#[derive(Debug, Clone)]
struct Step {
    label: String,
    request: Vec<u8>,
    replies: Vec<Vec<u8>>,
    timed_out: bool,
}

#[derive(Debug, Clone)]
struct Log {
    portid: u32,
    steps: Vec<Step>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([b[at], b[at + 1]])
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Splits a datagram into netlink messages.
fn split_messages(dgram: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 16 <= dgram.len() {
        let len = u32_at(dgram, pos) as usize;
        if len < 16 || pos + len > dgram.len() {
            out.push(dgram[pos..].to_vec());
            break;
        }
        out.push(dgram[pos..pos + len].to_vec());
        pos += (len + 3) & !3;
    }
    out
}

struct Driver<'a> {
    wire: &'a mut dyn Wire,
    seq: u32,
    steps: Vec<Step>,
    index: BTreeMap<String, u32>,
}

impl<'a> Driver<'a> {
    fn new(wire: &'a mut dyn Wire) -> Driver<'a> {
        Driver {
            wire,
            seq: 1000,
            steps: Vec::new(),
            index: BTreeMap::new(),
        }
    }

    /// Sends one request; collects messages until the NLMSG_ERROR / NLMSG_DONE of its seq.
    fn exchange(&mut self, label: &str, req: Req) -> &Step {
        self.seq += 1;
        let request = req.bytes(self.seq);
        self.wire.send(&request);
        let mut replies = Vec::new();
        let mut timed_out = true;
        'outer: while let Some(dgram) = self.wire.recv(5000) {
            for m in split_messages(&dgram) {
                let done = m.len() >= 16
                    && matches!(u16_at(&m, 4), NLMSG_ERROR | NLMSG_DONE)
                    && u32_at(&m, 8) == self.seq;
                replies.push(m);
                if done {
                    timed_out = false;
                    break 'outer;
                }
            }
        }
        self.steps.push(Step {
            label: label.to_string(),
            request,
            replies,
            timed_out,
        });
        self.steps.last().expect("just pushed")
    }

    /// `ip link show dev NAME` (with NLM_F_ACK); remembers the device's ifindex.
    fn getlink(&mut self, name: &str) -> Option<u32> {
        let req = Req::new(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK).name(name);
        let step = self.exchange(&format!("getlink {name}"), req);
        let index = step
            .replies
            .iter()
            .find(|m| m.len() >= 32 && u16_at(m, 4) == RTM_NEWLINK)
            .map(|m| u32_at(m, 20));
        if let Some(i) = index {
            self.index.insert(name.to_string(), i);
        }
        index
    }

    fn dump(&mut self, label: &str) {
        self.exchange(label, Req::new(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP));
    }

    fn idx(&self, name: &str) -> u32 {
        self.index.get(name).copied().unwrap_or(0)
    }

    fn up(&mut self, name: &str) {
        let req = setlink(self.idx(name)).ifi_flags(IFF_UP, IFF_UP);
        self.exchange(&format!("set {name} up"), req);
    }
}

/// lo, a bridge, a veth pair, the bridge with one end as port; down, then up; then a dump.
fn scenario_links(d: &mut Driver) {
    d.getlink("lo");
    d.exchange("create br0 type bridge", create("br0", "bridge"));
    d.getlink("br0");
    d.exchange("create va type veth peer vb", create_veth("va", "vb"));
    d.getlink("va");
    d.getlink("vb");
    let req = setlink(d.idx("va")).attr(IFLA_MASTER, &d.idx("br0").to_ne_bytes());
    d.exchange("set va master br0", req);
    for n in ["br0", "va", "vb"] {
        d.getlink(n);
    }
    for n in ["lo", "br0", "va", "vb"] {
        d.up(n);
    }
    d.wire.settle();
    for n in ["lo", "br0", "va", "vb"] {
        d.getlink(n);
    }
    d.dump("dump links");
    // The last port leaves: br_del_if (gso limits, bridge id, carrier).
    let req = setlink(d.idx("va")).attr(IFLA_MASTER, &0u32.to_ne_bytes());
    d.exchange("set va nomaster", req);
    d.wire.settle();
    for n in ["br0", "va"] {
        d.getlink(n);
    }
}

/// ACK / ERROR replies of requests the kernel refuses.
fn scenario_errors(d: &mut Driver) {
    d.exchange("create br0 type bridge", create("br0", "bridge"));
    d.exchange(
        "create br0 type bridge again (EEXIST)",
        create("br0", "bridge"),
    );
    d.getlink("br0");
    d.getlink("lo");
    let req = setlink(d.idx("br0")).attr(IFLA_MTU, &70000u32.to_ne_bytes());
    d.exchange("set br0 mtu 70000", req);
    d.exchange(
        "create 16-char name type bridge (ERANGE)",
        create("abcdefghijklmnop", "bridge"),
    );
    let req = setlink(d.idx("lo")).attr(IFLA_MASTER, &d.idx("br0").to_ne_bytes());
    d.exchange("set lo master br0 (EINVAL)", req);
    d.exchange(
        "bare probe: RTM_NEWLINK ifindex 0 (ENODEV)",
        Req::new(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK),
    );
    d.exchange(
        "bare probe with NLM_F_CREATE",
        Req::new(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE),
    );
    d.exchange("create x type nosuchkind", create("x", "nosuchkind"));
}

/// Kinds a scenario needs from the host kernel, as (step label, kind).
fn needed_kinds(scenario: &str) -> &'static [(&'static str, &'static str)] {
    match scenario {
        "links" => &[
            ("create br0 type bridge", "bridge"),
            ("create va type veth peer vb", "veth"),
        ],
        _ => &[("create br0 type bridge", "bridge")],
    }
}

fn run_scenario(scenario: &str, wire: &mut dyn Wire) -> Log {
    let portid = wire.portid();
    let mut d = Driver::new(wire);
    match scenario {
        "links" => scenario_links(&mut d),
        "errors" => scenario_errors(&mut d),
        other => panic!("unknown scenario {other}"),
    }
    Log {
        portid,
        steps: d.steps,
    }
}

// ----- log transfer (child → parent) -----------------------------------------------------------

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

fn log_to_lines(log: &Log) -> Vec<String> {
    let mut out = vec![format!("{LOG_PREFIX}portid {}", log.portid)];
    for s in &log.steps {
        let mut line = format!(
            "{LOG_PREFIX}step\t{}\t{}\t{}",
            s.label,
            u8::from(s.timed_out),
            hex(&s.request)
        );
        for r in &s.replies {
            line.push('\t');
            line.push_str(&hex(r));
        }
        out.push(line);
    }
    out
}

fn log_from_stdout(stdout: &str) -> Option<Log> {
    let mut log = Log {
        portid: 0,
        steps: Vec::new(),
    };
    let mut seen = false;
    for line in stdout.lines() {
        // libtest prints `test <name> ... ` without a newline before the first line.
        let Some(at) = line.find(LOG_PREFIX) else {
            continue;
        };
        let rest = &line[at + LOG_PREFIX.len()..];
        if let Some(p) = rest.strip_prefix("portid ") {
            log.portid = p.trim().parse().ok()?;
            seen = true;
        } else if let Some(s) = rest.strip_prefix("step\t") {
            let mut f = s.split('\t');
            let label = f.next()?.to_string();
            let timed_out = f.next()? == "1";
            let request = unhex(f.next()?);
            let replies = f.map(unhex).collect();
            log.steps.push(Step {
                label,
                request,
                replies,
                timed_out,
            });
        }
    }
    seen.then_some(log)
}

/// The kernel side, run in the child inside the fresh network namespace: the child is this
/// test binary running the same test with [`ENV_SCENARIO`] set, which makes [`differential`]
/// call this instead of comparing.
fn kernel_side(scenario: &str) {
    // No IPv6 traffic: it would make the bridge learn fdb entries and mdb groups.
    for conf in ["all", "default", "lo"] {
        let _ = std::fs::write(format!("/proc/sys/net/ipv6/conf/{conf}/disable_ipv6"), "1");
    }
    let mut wire = KernelWire(kernel::KernelSocket::new().expect("NETLINK_ROUTE socket"));
    let log = run_scenario(scenario, &mut wire);
    for line in log_to_lines(&log) {
        println!("{line}");
    }
}

/// Why the kernel side cannot run here, or its log.
fn kernel_log(scenario: &str, test_name: &str) -> Result<Log, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut refusals = Vec::new();
    let mut unshare_args = None;
    for args in [&["-n"][..], &["-Urn"][..]] {
        match Command::new("unshare").args(args).arg("true").output() {
            Ok(o) if o.status.success() => {
                unshare_args = Some(args);
                break;
            }
            Ok(o) => refusals.push(format!(
                "`unshare {}` refused: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => return Err(format!("cannot run unshare: {e}")),
        }
    }
    let Some(args) = unshare_args else {
        return Err(refusals.join("; "));
    };
    let out = Command::new("unshare")
        .args(args)
        .arg("--")
        .arg(&exe)
        .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
        .env(ENV_SCENARIO, scenario)
        .output()
        .map_err(|e| format!("cannot run unshare: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = match log_from_stdout(&stdout) {
        Some(log) if out.status.success() => log,
        _ => panic!(
            "kernel side failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    };
    for (label, kind) in needed_kinds(scenario) {
        let step = log
            .steps
            .iter()
            .find(|s| s.label == *label)
            .expect("kind step logged");
        if errno_of(step) == Some(libc::EOPNOTSUPP) {
            return Err(format!("the host kernel has no `{kind}` link kind"));
        }
    }
    Ok(log)
}

/// The errno of a step's terminating NLMSG_ERROR (0 for an ACK).
fn errno_of(step: &Step) -> Option<i32> {
    step.replies
        .iter()
        .rev()
        .find(|m| m.len() >= 20 && u16_at(m, 4) == NLMSG_ERROR)
        .map(|m| -(u32_at(m, 16) as i32))
}

fn sim_log(scenario: &str) -> Log {
    let sim = nlsim::Sim::builder().seed(7).start().expect("start nlsim");
    let sock = sim.connect().expect("connect");
    sock.set_ext_ack(true).expect("NETLINK_EXT_ACK");
    let portid = sock.bind(0, 0).expect("autobind");
    let mut wire = SimWire {
        sock,
        portid,
        _sim: sim,
    };
    run_scenario(scenario, &mut wire)
}

// ----- parsing and normalisation ---------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Kernel,
    Sim,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Link,
    LinkInfo,
    Bridge,
    BridgePort,
    Xdp,
    AfSpec,
    AfInet,
    AfInet6,
    Opaque,
}

#[derive(Debug, Clone)]
struct Attr {
    ty: u16,
    flags: u16,
    /// Payload (without padding) of a leaf.
    data: Vec<u8>,
    children: Option<Vec<Attr>>,
    /// Replaces the rendered value (normalised attributes).
    shown: Option<String>,
}

fn parse_attrs(buf: &[u8], ctx: Ctx) -> Result<Vec<Attr>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    // IFLA_LINKINFO children: the kind decides how DATA / SLAVE_DATA are read.
    let mut kind = String::new();
    let mut slave_kind = String::new();
    while pos < buf.len() {
        if pos + 4 > buf.len() {
            return Err(format!("{} trailing bytes at {pos}", buf.len() - pos));
        }
        let len = u16_at(buf, pos) as usize;
        let raw_ty = u16_at(buf, pos + 2);
        if len < 4 || pos + len > buf.len() {
            return Err(format!("bad attribute length {len} at {pos}"));
        }
        let data = buf[pos + 4..pos + len].to_vec();
        let ty = raw_ty & NLA_TYPE_MASK;
        let child_ctx = match (ctx, ty) {
            (Ctx::Link, IFLA_LINKINFO) => Some(Ctx::LinkInfo),
            (Ctx::Link, 43) => Some(Ctx::Xdp),
            (Ctx::Link, IFLA_AF_SPEC) => Some(Ctx::AfSpec),
            (Ctx::AfSpec, AF_INET) => Some(Ctx::AfInet),
            (Ctx::AfSpec, AF_INET6) => Some(Ctx::AfInet6),
            (Ctx::AfSpec, _) => Some(Ctx::Opaque),
            (Ctx::AfInet | Ctx::AfInet6, _) => None,
            (Ctx::Link, 52 | 55 | 62 | 65) => Some(Ctx::Opaque),
            (Ctx::LinkInfo, IFLA_INFO_DATA) if kind == "bridge" => Some(Ctx::Bridge),
            (Ctx::LinkInfo, IFLA_INFO_SLAVE_DATA) if slave_kind == "bridge" => {
                Some(Ctx::BridgePort)
            }
            (Ctx::LinkInfo, IFLA_INFO_DATA | IFLA_INFO_SLAVE_DATA) => Some(Ctx::Opaque),
            _ if raw_ty & NLA_F_NESTED != 0 => Some(Ctx::Opaque),
            _ => None,
        };
        if ctx == Ctx::LinkInfo && ty == IFLA_INFO_KIND {
            kind = cstr(&data);
        }
        if ctx == Ctx::LinkInfo && ty == IFLA_INFO_SLAVE_KIND {
            slave_kind = cstr(&data);
        }
        let children = match child_ctx {
            Some(c) => Some(parse_attrs(&data, c)?),
            None => None,
        };
        out.push(Attr {
            ty,
            flags: raw_ty & !NLA_TYPE_MASK,
            data,
            children,
            shown: None,
        });
        // Padding must be zero.
        let padded = ((len + 3) & !3).min(buf.len() - pos);
        if buf[pos + len..pos + padded].iter().any(|b| *b != 0) {
            return Err(format!("non-zero padding after attribute {ty}"));
        }
        pos += (len + 3) & !3;
    }
    Ok(out)
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Per-side facts used to normalise: ifindex → name, random MAC → token.
#[derive(Default)]
struct Names {
    ifindex: BTreeMap<u32, String>,
    macs: BTreeMap<Vec<u8>, String>,
}

fn is_literal_mac(m: &[u8]) -> bool {
    m.iter().all(|b| *b == 0) || m.iter().all(|b| *b == 0xff)
}

fn link_attrs(m: &[u8]) -> Option<Vec<Attr>> {
    (m.len() >= 32 && u16_at(m, 4) == RTM_NEWLINK)
        .then(|| parse_attrs(&m[32..], Ctx::Link).ok())
        .flatten()
}

fn collect_names(log: &Log) -> Names {
    let mut n = Names::default();
    for step in &log.steps {
        for m in &step.replies {
            let Some(attrs) = link_attrs(m) else {
                continue;
            };
            let name = attrs
                .iter()
                .find(|a| a.ty == IFLA_IFNAME)
                .map(|a| cstr(&a.data))
                .unwrap_or_default();
            n.ifindex.insert(u32_at(m, 20), name.clone());
            for a in &attrs {
                if matches!(a.ty, IFLA_ADDRESS | IFLA_PERM_ADDRESS) && !is_literal_mac(&a.data) {
                    n.macs
                        .entry(a.data.clone())
                        .or_insert_with(|| format!("mac#{name}"));
                }
            }
        }
    }
    n
}

impl Names {
    fn dev(&self, index: u32) -> String {
        match self.ifindex.get(&index) {
            Some(n) => format!("@{n}"),
            None if index == 0 => "0".to_string(),
            None => format!("@<unknown ifindex {index}>"),
        }
    }
    fn mac(&self, m: &[u8]) -> String {
        if is_literal_mac(m) {
            return hex_mac(m);
        }
        let valid = m.len() == 6 && m[0] & 1 == 0;
        let name = self
            .macs
            .get(m)
            .cloned()
            .unwrap_or_else(|| "mac#<no device has it>".to_string());
        if valid {
            name
        } else {
            format!("{name}!INVALID({})", hex_mac(m))
        }
    }
}

fn hex_mac(m: &[u8]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// What holds for the whole comparison (from the kernel's log).
struct Host {
    bridge_vlan_filtering: bool,
    /// Whether nlsim emits IFLA_AF_SPEC at all (it did not in its first versions).
    sim_af_spec: bool,
}

fn has_af_spec(log: &Log) -> bool {
    log.steps
        .iter()
        .flat_map(|s| &s.replies)
        .any(|m| link_attrs(m).is_some_and(|attrs| attrs.iter().any(|a| a.ty == IFLA_AF_SPEC)))
}

fn host_facts(kernel: &Log, sim: &Log) -> Host {
    let mut vlan = false;
    for step in &kernel.steps {
        for m in &step.replies {
            let Some(attrs) = link_attrs(m) else {
                continue;
            };
            for a in attrs.iter().filter(|a| a.ty == IFLA_LINKINFO) {
                for i in a.children.iter().flatten() {
                    if i.ty == IFLA_INFO_DATA {
                        if let Some(br) = &i.children {
                            vlan |= br.iter().any(|b| b.ty == IFLA_BR_VLAN_PROTOCOL);
                        }
                    }
                }
            }
        }
    }
    Host {
        bridge_vlan_filtering: vlan,
        sim_af_spec: has_af_spec(sim),
    }
}

fn id_mac(names: &Names, data: &[u8]) -> Option<String> {
    (data.len() == 8).then(|| {
        format!(
            "prio {:02x}{:02x} addr {}",
            data[0],
            data[1],
            names.mac(&data[2..])
        )
    })
}

fn normalise_link(attrs: &mut Vec<Attr>, side: Side, names: &Names, host: &Host) {
    if !host.sim_af_spec {
        attrs.retain(|a| a.ty != IFLA_AF_SPEC);
    }
    if side == Side::Kernel {
        attrs.retain(|a| !IFLA_POST_6_12.contains(&a.ty));
    }
    let kind = attrs
        .iter()
        .filter(|a| a.ty == IFLA_LINKINFO)
        .flat_map(|a| a.children.iter().flatten())
        .find(|i| i.ty == IFLA_INFO_KIND)
        .map(|i| cstr(&i.data))
        .unwrap_or_default();
    for a in attrs.iter_mut() {
        match a.ty {
            IFLA_ADDRESS | IFLA_PERM_ADDRESS => a.shown = Some(names.mac(&a.data)),
            IFLA_LINK | IFLA_MASTER if a.data.len() == 4 => {
                a.shown = Some(names.dev(u32_at(&a.data, 0)))
            }
            IFLA_STATS | IFLA_STATS64 => {
                a.shown = Some(format!("<counters, {} bytes>", a.data.len()))
            }
            IFLA_NUM_TX_QUEUES | IFLA_NUM_RX_QUEUES if kind == "veth" => {
                a.shown = Some(format!("<veth queues, {} bytes>", a.data.len()))
            }
            IFLA_AF_SPEC => {
                for fam in a.children.iter_mut().flatten() {
                    match (fam.ty, fam.children.as_mut()) {
                        (AF_INET, Some(c)) => normalise_inet(c),
                        (AF_INET6, Some(c)) => normalise_inet6(c, side),
                        _ => {}
                    }
                }
            }
            IFLA_LINKINFO => {
                for i in a.children.iter_mut().flatten() {
                    let Some(c) = i.children.as_mut() else {
                        continue;
                    };
                    if i.ty == IFLA_INFO_DATA && kind == "bridge" {
                        normalise_bridge(c, side, names, host);
                    } else if i.ty == IFLA_INFO_SLAVE_DATA {
                        normalise_port(c, names);
                    }
                }
            }
            _ => {}
        }
    }
}

/// An array of 32-bit values, one line per entry (`first` = number of the first entry).
fn u32_array(data: &[u8], first: usize, shown: impl Fn(usize, u32) -> String) -> String {
    let mut out = format!("{} entries", data.len() / 4);
    for (i, c) in data.chunks(4).enumerate() {
        let v = if c.len() == 4 {
            shown(first + i, u32_at(c, 0))
        } else {
            format!("short {}", hex(c))
        };
        let _ = write!(out, "\n[{}] {v}", first + i);
    }
    out
}

/// AF_INET { IFLA_INET_CONF }: IPV4_DEVCONF_* values, compared exactly.
fn normalise_inet(attrs: &mut [Attr]) {
    for a in attrs.iter_mut().filter(|a| a.ty == IFLA_INET_CONF) {
        a.shown = Some(u32_array(&a.data, 1, |_, v| v.to_string()));
    }
}

/// AF_INET6: see the file header for what is masked.
fn normalise_inet6(attrs: &mut [Attr], side: Side) {
    for a in attrs.iter_mut() {
        match a.ty {
            IFLA_INET6_FLAGS => {
                a.shown = Some("<if_flags: disable_ipv6 on the kernel side>".into())
            }
            IFLA_INET6_CONF => {
                let mut data = a.data.clone();
                if side == Side::Kernel {
                    data.truncate(DEVCONF_MAX_6_12 * 4);
                }
                a.shown = Some(u32_array(&data, 0, |i, v| {
                    if i == DEVCONF_DISABLE_IPV6 {
                        "<disable_ipv6: set by the test on the kernel side>".to_string()
                    } else {
                        (v as i32).to_string()
                    }
                }));
            }
            IFLA_INET6_STATS | IFLA_INET6_ICMP6STATS if a.data.len() >= 8 => {
                let count = u64::from_ne_bytes(a.data[..8].try_into().expect("8 bytes"));
                a.shown = Some(format!("count {count}, <counters, {} bytes>", a.data.len()));
            }
            IFLA_INET6_CACHEINFO if a.data.len() == 16 => {
                a.shown = Some(format!(
                    "max_reasm_len {} tstamp <wall time> reachable_time <random> retrans_time {}",
                    u32_at(&a.data, 0),
                    u32_at(&a.data, 12)
                ));
            }
            _ => {}
        }
    }
}

fn normalise_bridge(attrs: &mut Vec<Attr>, side: Side, names: &Names, host: &Host) {
    if side == Side::Sim && !host.bridge_vlan_filtering {
        attrs.retain(|a| !IFLA_BR_VLAN_ATTRS.contains(&a.ty));
    }
    for a in attrs.iter_mut() {
        match a.ty {
            t if IFLA_BR_TIMERS.contains(&t) => {
                a.shown = Some(format!("<timer, {} bytes>", a.data.len()))
            }
            IFLA_BR_ROOT_ID | IFLA_BR_BRIDGE_ID => a.shown = id_mac(names, &a.data),
            IFLA_BR_MULTI_BOOLOPT if a.data.len() == 8 => {
                let val = u32_at(&a.data, 0);
                let mut mask = u32_at(&a.data, 4);
                if side == Side::Kernel {
                    mask &= BOOLOPT_MASK_6_12;
                }
                a.shown = Some(format!("optval {val:#x} optmask {mask:#x} (6.12 bits)"));
            }
            _ => {}
        }
    }
}

fn normalise_port(attrs: &mut [Attr], names: &Names) {
    for a in attrs.iter_mut() {
        match a.ty {
            t if IFLA_BRPORT_TIMERS.contains(&t) => {
                a.shown = Some(format!("<timer, {} bytes>", a.data.len()))
            }
            IFLA_BRPORT_ROOT_ID | IFLA_BRPORT_BRIDGE_ID => a.shown = id_mac(names, &a.data),
            _ => {}
        }
    }
}

// ----- rendering -------------------------------------------------------------------------------

/// Whether an attribute holds a string (`NLA_NUL_STRING` / `NLA_STRING`).
fn is_string(ctx: Ctx, ty: u16) -> bool {
    match ctx {
        // IFNAME, QDISC, IFALIAS, PHYS_PORT_NAME, ALT_IFNAME, PARENT_DEV_NAME, _BUS_NAME.
        Ctx::Link => matches!(ty, 3 | 6 | 20 | 38 | 53 | 56 | 57),
        Ctx::LinkInfo => matches!(ty, IFLA_INFO_KIND | IFLA_INFO_SLAVE_KIND),
        _ => false,
    }
}

fn render_value(d: &[u8], string: bool) -> String {
    let printable = |b: &[u8]| b.iter().all(|c| (0x20..0x7f).contains(c));
    if string && !d.is_empty() && d.last() == Some(&0) && printable(&d[..d.len() - 1]) {
        return format!("{:?}\\0", String::from_utf8_lossy(&d[..d.len() - 1]));
    }
    match d.len() {
        0 => "(empty)".to_string(),
        1 => format!("u8 {}", d[0]),
        2 => format!("u16 {}", u16_at(d, 0)),
        4 => format!("u32 {}", u32_at(d, 0)),
        8 => format!("u64 {}", u64::from_ne_bytes(d.try_into().expect("8 bytes"))),
        _ => format!("[{}] {}", d.len(), hex(d)),
    }
}

fn attr_name(ctx: Ctx, ty: u16) -> String {
    let n = match ctx {
        Ctx::Link => format!("IFLA_{}", ifla_name(ty)),
        Ctx::LinkInfo => format!("IFLA_INFO_{}", info_name(ty)),
        Ctx::Bridge => format!("IFLA_BR_{}", ifla_br_name(ty)),
        Ctx::BridgePort => format!("IFLA_BRPORT_{}", ifla_brport_name(ty)),
        Ctx::Xdp => format!("IFLA_XDP_{}", xdp_name(ty)),
        Ctx::AfSpec => match ty {
            AF_INET => "AF_INET".to_string(),
            AF_INET6 => "AF_INET6".to_string(),
            _ => "AF_?".to_string(),
        },
        Ctx::AfInet => format!("IFLA_INET_{}", if ty == 1 { "CONF" } else { "?" }),
        Ctx::AfInet6 => format!("IFLA_INET6_{}", inet6_name(ty)),
        Ctx::Opaque => "attr".to_string(),
    };
    format!("{n}({ty})")
}

fn render_attrs(attrs: &[Attr], ctx: Ctx, depth: usize, out: &mut Vec<String>) {
    let mut kind = String::new();
    let mut slave_kind = String::new();
    for a in attrs {
        let pad = "  ".repeat(depth);
        let mut flags = String::new();
        if a.flags & NLA_F_NESTED != 0 {
            flags.push_str(" F_NESTED");
        }
        if a.flags & NLA_F_NET_BYTEORDER != 0 {
            flags.push_str(" F_NET_BYTEORDER");
        }
        let name = attr_name(ctx, a.ty);
        if ctx == Ctx::LinkInfo && a.ty == IFLA_INFO_KIND {
            kind = cstr(&a.data);
        }
        if ctx == Ctx::LinkInfo && a.ty == IFLA_INFO_SLAVE_KIND {
            slave_kind = cstr(&a.data);
        }
        match (&a.shown, &a.children) {
            (Some(s), _) => {
                let mut lines = s.lines();
                let first = lines.next().unwrap_or_default();
                out.push(format!("{pad}{name}{flags} = {first}"));
                for l in lines {
                    out.push(format!("{pad}  {l}"));
                }
            }
            (None, Some(c)) => {
                out.push(format!("{pad}{name}{flags} {{"));
                let cctx = match (ctx, a.ty) {
                    (Ctx::Link, IFLA_LINKINFO) => Ctx::LinkInfo,
                    (Ctx::Link, 43) => Ctx::Xdp,
                    (Ctx::Link, IFLA_AF_SPEC) => Ctx::AfSpec,
                    (Ctx::AfSpec, AF_INET) => Ctx::AfInet,
                    (Ctx::AfSpec, AF_INET6) => Ctx::AfInet6,
                    (Ctx::LinkInfo, IFLA_INFO_DATA) if kind == "bridge" => Ctx::Bridge,
                    (Ctx::LinkInfo, IFLA_INFO_SLAVE_DATA) if slave_kind == "bridge" => {
                        Ctx::BridgePort
                    }
                    _ => Ctx::Opaque,
                };
                render_attrs(c, cctx, depth + 1, out);
                out.push(format!("{pad}}}"));
            }
            (None, None) => out.push(format!(
                "{pad}{name}{flags} = {}",
                render_value(&a.data, is_string(ctx, a.ty))
            )),
        }
    }
}

fn msg_type_name(t: u16) -> &'static str {
    match t {
        NLMSG_ERROR => "NLMSG_ERROR",
        NLMSG_DONE => "NLMSG_DONE",
        RTM_NEWLINK => "RTM_NEWLINK",
        17 => "RTM_DELLINK",
        _ => "?",
    }
}

/// The extack TLVs after an NLMSG_ERROR's error code and echoed request.
fn render_tlvs(buf: &[u8], out: &mut Vec<String>) {
    match parse_attrs(buf, Ctx::Opaque) {
        Ok(tlvs) => {
            for t in tlvs {
                let v = match t.ty {
                    1 => format!("MSG {:?}", cstr(&t.data)),
                    2 if t.data.len() == 4 => format!("OFFS {}", u32_at(&t.data, 0)),
                    3 => format!("COOKIE {}", hex(&t.data)),
                    4 => format!("POLICY [{}] {}", t.data.len(), hex(&t.data)),
                    5 if t.data.len() == 4 => format!("MISS_TYPE {}", u32_at(&t.data, 0)),
                    6 if t.data.len() == 4 => format!("MISS_NEST {}", u32_at(&t.data, 0)),
                    ty => format!("type {ty} {}", render_value(&t.data, false)),
                };
                out.push(format!("  extack {v}"));
            }
        }
        Err(e) => out.push(format!("  extack unparsable ({e}): {}", hex(buf))),
    }
}

fn render_message(m: &[u8], side: Side, portid: u32, names: &Names, host: &Host) -> Vec<String> {
    let mut out = Vec::new();
    if m.len() < 16 {
        out.push(format!("short message {}", hex(m)));
        return out;
    }
    let (len, ty, flags, seq, pid) = (
        u32_at(m, 0) as usize,
        u16_at(m, 4),
        u16_at(m, 6),
        u32_at(m, 8),
        u32_at(m, 12),
    );
    let pid = if pid == portid && pid != 0 {
        "self".to_string()
    } else {
        pid.to_string()
    };
    out.push(format!(
        "nlmsghdr type={}({ty}) flags={flags:#x} seq={seq} pid={pid}",
        msg_type_name(ty)
    ));
    if len != m.len() {
        out.push(format!("  nlmsg_len {len} != received {}", m.len()));
    }
    match ty {
        NLMSG_ERROR if m.len() >= 20 => {
            let code = u32_at(m, 16) as i32;
            out.push(format!("  error {code}"));
            let mut pos = 20;
            if m.len() >= 36 {
                let echo_len = u32_at(m, 20) as usize;
                let shown = if flags & 0x100 != 0 {
                    16
                } else {
                    echo_len.min(m.len() - 20)
                };
                // The echoed header's pid is what the request carried (0).
                out.push(format!("  echoed request {}", hex(&m[20..20 + shown])));
                pos = 20 + ((shown + 3) & !3);
            }
            if pos < m.len() {
                render_tlvs(&m[pos..], &mut out);
            }
        }
        NLMSG_DONE => {
            out.push(format!("  payload {}", hex(&m[16..])));
        }
        RTM_NEWLINK if m.len() >= 32 => {
            out.push(format!(
                "  ifinfomsg family={} pad={} type={} index={} flags={:#x} change={:#x}",
                m[16],
                m[17],
                u16_at(m, 18),
                names.dev(u32_at(m, 20)),
                u32_at(m, 24),
                u32_at(m, 28)
            ));
            match parse_attrs(&m[32..], Ctx::Link) {
                Ok(mut attrs) => {
                    normalise_link(&mut attrs, side, names, host);
                    render_attrs(&attrs, Ctx::Link, 1, &mut out);
                }
                Err(e) => out.push(format!("  unparsable attributes ({e}): {}", hex(&m[32..]))),
            }
        }
        _ => out.push(format!("  payload {}", hex(&m[16..]))),
    }
    out
}

fn render_step(step: &Step, side: Side, portid: u32, names: &Names, host: &Host) -> Vec<String> {
    let mut out = Vec::new();
    for m in &step.replies {
        out.extend(render_message(m, side, portid, names, host));
    }
    if step.timed_out {
        out.push("<no ACK / DONE within 5 s>".to_string());
    }
    out
}

// ----- diff ------------------------------------------------------------------------------------

/// A line diff (LCS): `  ` both, `- ` kernel only, `+ ` nlsim only.
fn diff_lines(a: &[String], b: &[String]) -> String {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            let _ = writeln!(out, "    {}", a[i]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "  - {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "  + {}", b[j]);
            j += 1;
        }
    }
    out
}

/// Compares the two logs step by step; returns the report of every difference.
fn compare(kernel: &Log, sim: &Log) -> Vec<String> {
    let host = host_facts(kernel, sim);
    let kn = collect_names(kernel);
    let sn = collect_names(sim);
    let mut failures = Vec::new();
    if kernel.steps.len() != sim.steps.len() {
        failures.push(format!(
            "step count: kernel {} nlsim {}",
            kernel.steps.len(),
            sim.steps.len()
        ));
    }
    for (k, s) in kernel.steps.iter().zip(&sim.steps) {
        if k.request != s.request {
            failures.push(format!(
                "step `{}`: request bytes differ (the driver saw different ifindexes)\n  \
                 kernel {}\n  nlsim  {}",
                k.label,
                hex(&k.request),
                hex(&s.request)
            ));
            continue;
        }
        let kl = render_step(k, Side::Kernel, kernel.portid, &kn, &host);
        let sl = render_step(s, Side::Sim, sim.portid, &sn, &host);
        if kl != sl {
            failures.push(format!(
                "step `{}` (request {}): replies differ (- kernel, + nlsim):\n{}",
                k.label,
                hex(&k.request),
                diff_lines(&kl, &sl)
            ));
        }
    }
    failures
}

fn differential(scenario: &str, test_name: &str) {
    if let Ok(s) = std::env::var(ENV_SCENARIO) {
        kernel_side(&s);
        return;
    }
    let kernel = match kernel_log(scenario, test_name) {
        Ok(log) => log,
        Err(reason) => {
            println!("SKIPPED: {reason}");
            return;
        }
    };
    let sim = sim_log(scenario);
    let failures = compare(&kernel, &sim);
    if std::env::var_os("NLSIM_DIFF_VERBOSE").is_some() {
        let host = host_facts(&kernel, &sim);
        let names = collect_names(&kernel);
        for s in &kernel.steps {
            println!("== {}", s.label);
            for l in render_step(s, Side::Kernel, kernel.portid, &names, &host) {
                println!("{l}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "nlsim differs from the kernel in {} step(s) of scenario `{scenario}`:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn links_match_kernel() {
    differential("links", "links_match_kernel");
}

#[test]
fn errors_match_kernel() {
    differential("errors", "errors_match_kernel");
}
