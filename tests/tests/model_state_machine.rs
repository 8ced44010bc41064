//! State-machine property tests of link operations.
//!
//! A [`ReferenceStateMachine`] generates random sequences of link operations (create
//! dummy/veth/bridge with clashing, templated and invalid names; enslave/release incl. invalid
//! masters; up/down; MTU incl. out-of-range; rename; delete incl. `lo` and netdevsim ports; set
//! address incl. invalid ones). The reference state only tracks names that may exist, to steer
//! operations towards real devices; it does not re-implement the kernel.
//!
//! Every operation runs twice:
//! * through the netlink side: a [`Sim`] and a raw socket sending the bytes iproute2 would,
//! * directly on a [`kernel_model::Kernel`] started the same way, with hand-built
//!   [`LinkRequest`]s, followed by [`Kernel::check_invariants`].
//!
//! After every step both must agree on the errno (and extack message), on the ifindex a name
//! resolves to, on the dump (ifindex, name, master, MTU, flags, operstate, address, kind,
//! IFLA_LINK) and on the number of RTNLGRP_LINK notifications.
//!
//! A second property runs the same sequence through two fresh simulators with the same seed
//! and requires byte-identical reply datagrams (lookups, ACKs, dumps) and notifications.
//!
//! `NLSIM_SM_CASES=N` changes the number of cases (default 24); `NLSIM_SM_TRACE=1` prints
//! every operation and its (errno, extack) (run with `--nocapture`).

mod common;

use kernel_model::uapi::errno;
use kernel_model::{Event, Kernel, KindData, LinkInfoRequest, LinkRequest, NewLinkFlags};
use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL,
    NLM_F_REQUEST,
};
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoVeth, LinkAttribute, LinkFlags, LinkInfo, LinkMessage,
};
use netlink_packet_route::RouteNetlinkMessage;
use nlsim::{Sim, SimSocket};
use proptest::prelude::*;
use proptest::test_runner::Config;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use std::collections::BTreeSet;

const SEED: u64 = 42;
const NSIM_PORTS: u32 = 3;
const IFF_UP: u32 = 1;
/// IFNAMSIZ - 1: longer IFLA_IFNAME values fail `ifla_policy` (ERANGE) before any handler.
const IFNAME_MAX: usize = 15;
/// An ifindex no device in these tests ever gets.
const NO_SUCH_INDEX: u32 = 0x7fff_0000;
/// RTNLGRP_LINK.
const RTNLGRP_LINK: u32 = 1;

// ----- operations -------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NewKind {
    Dummy,
    Bridge,
}

impl NewKind {
    fn name(self) -> &'static str {
        match self {
            NewKind::Dummy => "dummy",
            NewKind::Bridge => "bridge",
        }
    }
}

/// How a change request names its device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// RTM_NEWLINK with ifi_index (what `ip link set` sends).
    NewlinkByIndex,
    /// RTM_NEWLINK with ifi_index 0 and IFLA_IFNAME.
    NewlinkByName,
    /// RTM_SETLINK with ifi_index.
    SetlinkByIndex,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Master {
    Dev(String),
    /// IFLA_MASTER naming an ifindex that does not exist.
    Missing,
    /// IFLA_MASTER 0 (`nomaster`).
    Release,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    /// `ip link add [NAME] type KIND` (no name: the kernel picks `KIND%d`).
    Add(NewKind, Option<String>),
    /// `ip link add [NAME] type veth [peer name PEER]`.
    AddVeth(Option<String>, Option<String>),
    Master(String, Master, Style),
    Up(String, Style),
    Down(String, Style),
    Mtu(String, u32, Style),
    Address(String, Vec<u8>, Style),
    Rename(String, String),
    /// RTM_DELLINK by index (by name when `true`).
    Del(String, bool),
}

/// Names the generator draws from: existing devices, clashes, templates and invalid names.
const NAME_POOL: &[&str] = &[
    "lo",
    "eth0",
    "eth1",
    "eth2",
    "d0",
    "d1",
    "br0",
    "br1",
    "va",
    "vb",
    "vc",
    "dummy0",
    "veth0",
    "veth1",
    "bridge0",
    "d%d",
    "br%d",
    "eth%d",
    "a/b",
    "x%s",
    "a%d%d",
    "abcdefghijklmno",
    "abcdefghijklmnop",
];

const MTUS: &[u32] = &[
    0,
    67,
    68,
    576,
    1280,
    1500,
    9000,
    65535,
    65536,
    0x8000_0000,
    u32::MAX,
];

fn addresses() -> Vec<Vec<u8>> {
    vec![
        vec![0x02, 0, 0, 0, 0, 0x01],
        vec![0x02, 0, 0, 0, 0, 0x99],
        vec![0x0a, 0xbb, 0xcc, 0xdd, 0xee, 0xff],
        vec![0x01, 0x00, 0x5e, 0, 0, 0x01],       // multicast
        vec![0; 6],                               // zero
        vec![0x02, 0, 0],                         // too short
        vec![0x02, 0, 0, 0, 0, 0x42, 0x77, 0x88], // longer than addr_len
    ]
}

// ----- reference state machine -------------------------------------------------------------

/// Names that may exist (an over-approximation: failed creations and renames add names,
/// templates add their lowest expansion not yet known).
#[derive(Debug, Clone)]
struct Names(BTreeSet<String>);

struct LinkOps;

/// A device to operate on: mostly one that may exist, sometimes any name of the pool.
fn name_strategy(state: &Names) -> BoxedStrategy<String> {
    let known: Vec<String> = state.0.iter().cloned().collect();
    prop_oneof![
        4 => proptest::sample::select(known),
        1 => pool_name(),
    ]
    .boxed()
}

/// A name for a new device (or a rename): any name of the pool.
fn pool_name() -> BoxedStrategy<String> {
    proptest::sample::select(NAME_POOL)
        .prop_map(str::to_string)
        .boxed()
}

fn style_strategy() -> impl Strategy<Value = Style> {
    prop_oneof![
        3 => Just(Style::NewlinkByIndex),
        1 => Just(Style::NewlinkByName),
        1 => Just(Style::SetlinkByIndex),
    ]
}

impl ReferenceStateMachine for LinkOps {
    type State = Names;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Names> {
        let mut s: BTreeSet<String> = ["lo".to_string()].into();
        for i in 0..NSIM_PORTS {
            s.insert(format!("eth{i}"));
        }
        Just(Names(s)).boxed()
    }

    fn transitions(state: &Names) -> BoxedStrategy<Op> {
        let name = name_strategy(state);
        let new_name = proptest::option::weighted(0.85, pool_name());
        // Over-long peer names are left out: see `veth_peer_name_too_long_is_erange`.
        let peer_name = proptest::option::weighted(
            0.85,
            pool_name().prop_filter("peer name within IFNAMSIZ", |n| n.len() <= IFNAME_MAX),
        );
        let kind = prop_oneof![Just(NewKind::Dummy), Just(NewKind::Bridge)];
        let master = prop_oneof![
            6 => name_strategy(state).prop_map(Master::Dev),
            1 => Just(Master::Missing),
            2 => Just(Master::Release),
        ];
        prop_oneof![
            3 => (kind, new_name.clone()).prop_map(|(k, n)| Op::Add(k, n)),
            2 => (new_name, peer_name).prop_map(|(a, b)| Op::AddVeth(a, b)),
            3 => (name.clone(), master, style_strategy()).prop_map(|(d, m, s)| Op::Master(d, m, s)),
            3 => (name.clone(), style_strategy()).prop_map(|(d, s)| Op::Up(d, s)),
            1 => (name.clone(), style_strategy()).prop_map(|(d, s)| Op::Down(d, s)),
            2 => (name.clone(), proptest::sample::select(MTUS), style_strategy())
                .prop_map(|(d, m, s)| Op::Mtu(d, m, s)),
            2 => (name.clone(), proptest::sample::select(addresses()), style_strategy())
                .prop_map(|(d, a, s)| Op::Address(d, a, s)),
            1 => (name.clone(), pool_name()).prop_map(|(a, b)| Op::Rename(a, b)),
            2 => (name, any::<bool>()).prop_map(|(d, by_name)| Op::Del(d, by_name)),
        ]
        .boxed()
    }

    fn apply(mut state: Names, op: &Op) -> Names {
        let mut add = |n: &Option<String>, default: &str| {
            let n = n.clone().unwrap_or_else(|| format!("{default}%d"));
            match n.split_once("%d") {
                // The lowest expansion not yet known, as `__dev_alloc_name` would pick.
                Some((pre, post)) => {
                    if let Some(n) = (0..)
                        .map(|i| format!("{pre}{i}{post}"))
                        .find(|n| !state.0.contains(n))
                    {
                        state.0.insert(n);
                    }
                }
                None => {
                    state.0.insert(n);
                }
            }
        };
        match op {
            Op::Add(k, n) => add(n, k.name()),
            Op::AddVeth(a, b) => {
                add(a, "veth");
                add(b, "veth");
            }
            Op::Rename(_, new) => add(&Some(new.clone()), ""),
            // lo and the netdevsim ports cannot be deleted; anything else may be gone now.
            Op::Del(d, _) if d != "lo" && !d.starts_with("eth") => {
                state.0.remove(d);
            }
            _ => {}
        }
        state
    }
}

// ----- requests ------------------------------------------------------------------------------

/// One request, in both forms.
struct Req {
    /// The netlink message and its NLM_F_* flags.
    msg: RouteNetlinkMessage,
    nlm_flags: u16,
    /// What the netlink side decodes it to, and which model entry point runs it.
    model: LinkRequest,
    call: Call,
    /// The errno `ifla_policy` answers before any handler runs (over-long IFLA_IFNAME).
    policy_errno: Option<i32>,
}

#[derive(Clone, Copy)]
enum Call {
    Newlink,
    Setlink,
    Dellink,
}

fn too_long(name: &Option<String>) -> bool {
    name.as_ref().is_some_and(|n| n.len() > IFNAME_MAX)
}

fn build_add(kind: &str, name: &Option<String>, peer: Option<&Option<String>>) -> Req {
    let mut m = LinkMessage::default();
    let mut model = LinkRequest {
        nlm: NewLinkFlags {
            create: true,
            excl: true,
            replace: false,
        },
        ifname: name.clone(),
        ..LinkRequest::default()
    };
    if let Some(n) = name {
        m.attributes.push(LinkAttribute::IfName(n.clone()));
    }
    let mut info = vec![LinkInfo::Kind(InfoKind::from(kind))];
    let mut li = LinkInfoRequest {
        kind: Some(kind.to_string()),
        ..LinkInfoRequest::default()
    };
    let mut policy_errno = too_long(name).then_some(libc::ERANGE);
    if let Some(Some(p)) = peer {
        let mut pm = LinkMessage::default();
        pm.attributes.push(LinkAttribute::IfName(p.clone()));
        info.push(LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(pm))));
        li.data = Some(KindData::new(kernel_model::kinds::veth::VethData {
            peer: Some(Box::new(LinkRequest {
                ifname: Some(p.clone()),
                ..LinkRequest::default()
            })),
        }));
        // veth_newlink parses the peer with ifla_policy too (rtnl_nla_parse_ifinfomsg).
        if too_long(&Some(p.clone())) {
            policy_errno = policy_errno.or(Some(libc::ERANGE));
        }
    }
    m.attributes.push(LinkAttribute::LinkInfo(info));
    model.linkinfo = Some(li);
    Req {
        msg: RouteNetlinkMessage::NewLink(m),
        nlm_flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        model,
        call: Call::Newlink,
        policy_errno,
    }
}

/// What a change applies, besides the device it names.
#[derive(Default)]
struct Change {
    flags: Option<(u32, u32)>,
    mtu: Option<u32>,
    address: Option<Vec<u8>>,
    master: Option<u32>,
    new_name: Option<String>,
}

/// A change request for the device `name` (ifindex `idx` if it resolved).
fn build_change(name: &str, idx: Option<u32>, style: Style, c: Change) -> Req {
    let mut m = LinkMessage::default();
    let mut model = LinkRequest::default();
    let by_name = style == Style::NewlinkByName || idx.is_none();
    let mut policy_errno = None;
    if by_name && c.new_name.is_none() {
        m.attributes.push(LinkAttribute::IfName(name.to_string()));
        model.ifname = Some(name.to_string());
        if name.len() > IFNAME_MAX {
            policy_errno = Some(libc::ERANGE);
        }
    } else {
        let i = idx.unwrap_or(NO_SUCH_INDEX);
        m.header.index = i;
        model.ifindex = i as i32;
    }
    if let Some(n) = &c.new_name {
        m.attributes.push(LinkAttribute::IfName(n.clone()));
        model.ifname = Some(n.clone());
        if n.len() > IFNAME_MAX {
            policy_errno = Some(libc::ERANGE);
        }
    }
    if let Some((f, ch)) = c.flags {
        m.header.flags = LinkFlags::from_bits_retain(f);
        m.header.change_mask = LinkFlags::from_bits_retain(ch);
        model.ifi_flags = f;
        model.ifi_change = ch;
    }
    if let Some(v) = c.mtu {
        m.attributes.push(LinkAttribute::Mtu(v));
        model.mtu = Some(v);
    }
    if let Some(a) = c.address {
        m.attributes.push(LinkAttribute::Address(a.clone()));
        model.address = Some(a);
    }
    if let Some(v) = c.master {
        m.attributes.push(LinkAttribute::Controller(v));
        model.master = Some(v);
    }
    let (msg, call) = if style == Style::SetlinkByIndex {
        (RouteNetlinkMessage::SetLink(m), Call::Setlink)
    } else {
        (RouteNetlinkMessage::NewLink(m), Call::Newlink)
    };
    Req {
        msg,
        nlm_flags: NLM_F_REQUEST | NLM_F_ACK,
        model,
        call,
        policy_errno,
    }
}

fn build_del(name: &str, idx: Option<u32>, by_name: bool) -> Req {
    let mut m = LinkMessage::default();
    let mut model = LinkRequest::default();
    let mut policy_errno = None;
    match idx {
        Some(i) if !by_name => {
            m.header.index = i;
            model.ifindex = i as i32;
        }
        _ => {
            m.attributes.push(LinkAttribute::IfName(name.to_string()));
            model.ifname = Some(name.to_string());
            if name.len() > IFNAME_MAX {
                policy_errno = Some(libc::ERANGE);
            }
        }
    }
    Req {
        msg: RouteNetlinkMessage::DelLink(m),
        nlm_flags: NLM_F_REQUEST | NLM_F_ACK,
        model,
        call: Call::Dellink,
        policy_errno,
    }
}

/// The request for `op`, with device names resolved by `index_of`.
fn build(op: &Op, mut index_of: impl FnMut(&str) -> Option<u32>) -> Req {
    match op {
        Op::Add(k, n) => build_add(k.name(), n, None),
        Op::AddVeth(a, b) => build_add("veth", a, Some(b)),
        Op::Master(d, m, s) => {
            let master = match m {
                Master::Dev(n) => index_of(n).unwrap_or(NO_SUCH_INDEX),
                Master::Missing => NO_SUCH_INDEX,
                Master::Release => 0,
            };
            let c = Change {
                master: Some(master),
                ..Change::default()
            };
            build_change(d, index_of(d), *s, c)
        }
        Op::Up(d, s) => build_change(
            d,
            index_of(d),
            *s,
            Change {
                flags: Some((IFF_UP, IFF_UP)),
                ..Change::default()
            },
        ),
        Op::Down(d, s) => build_change(
            d,
            index_of(d),
            *s,
            Change {
                flags: Some((0, IFF_UP)),
                ..Change::default()
            },
        ),
        Op::Mtu(d, v, s) => build_change(
            d,
            index_of(d),
            *s,
            Change {
                mtu: Some(*v),
                ..Change::default()
            },
        ),
        Op::Address(d, a, s) => build_change(
            d,
            index_of(d),
            *s,
            Change {
                address: Some(a.clone()),
                ..Change::default()
            },
        ),
        Op::Rename(d, new) => build_change(
            d,
            index_of(d),
            Style::NewlinkByIndex,
            Change {
                new_name: Some(new.clone()),
                ..Change::default()
            },
        ),
        Op::Del(d, by_name) => build_del(d, index_of(d), *by_name),
    }
}

// ----- the netlink side ----------------------------------------------------------------------

/// An errno (0 = success) and the extack message of one answer.
type Outcome = (i32, Option<String>);

/// A simulator, a requesting socket and an RTNLGRP_LINK listener, recording every datagram.
struct NlSide {
    _sim: Sim,
    sock: SimSocket,
    listener: SimSocket,
    seq: u32,
    /// Every datagram the requesting socket received, in order.
    replies: Vec<Vec<u8>>,
    /// Every notification the listener received, in order.
    notifications: Vec<Vec<u8>>,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([b[at], b[at + 1]])
}

/// The messages of one datagram.
fn messages(d: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut pos = 0;
    while pos + 16 <= d.len() {
        let len = u32_at(d, pos) as usize;
        assert!(len >= 16 && pos + len <= d.len(), "bad nlmsg_len {len}");
        v.push(&d[pos..pos + len]);
        pos += (len + 3) & !3;
    }
    assert_eq!(pos, d.len(), "trailing bytes in datagram");
    v
}

/// errno and NLMSGERR_ATTR_MSG of an NLMSG_ERROR message.
fn parse_error(m: &[u8]) -> Outcome {
    let code = -(u32_at(m, 16) as i32);
    let flags = u16_at(m, 6);
    let mut msg = None;
    if flags & 0x200 != 0 {
        // NLM_F_ACK_TLVS; without NLM_F_CAPPED the request is echoed after the code.
        let echoed = u32_at(m, 20) as usize;
        let mut pos = if flags & 0x100 != 0 {
            36
        } else {
            20 + ((echoed + 3) & !3)
        };
        while pos + 4 <= m.len() {
            let len = u16_at(m, pos) as usize;
            if len < 4 || pos + len > m.len() {
                break;
            }
            if u16_at(m, pos + 2) == 1 {
                let v = &m[pos + 4..pos + len];
                let end = v.iter().position(|b| *b == 0).unwrap_or(v.len());
                msg = Some(String::from_utf8_lossy(&v[..end]).into_owned());
            }
            pos += (len + 3) & !3;
        }
    }
    (code, msg)
}

impl NlSide {
    fn new() -> NlSide {
        let sim = Sim::builder()
            .seed(SEED)
            .netdevsim(1, NSIM_PORTS)
            .start()
            .expect("start simulator");
        let sock = sim.connect().expect("connect");
        sock.set_ext_ack(true).expect("ext ack");
        let listener = sim.connect().expect("connect listener");
        listener
            .add_membership(RTNLGRP_LINK)
            .expect("join RTNLGRP_LINK");
        NlSide {
            _sim: sim,
            sock,
            listener,
            seq: 0,
            replies: Vec::new(),
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, msg: RouteNetlinkMessage, flags: u16) {
        self.seq += 1;
        let mut h = NetlinkHeader::default();
        h.flags = flags;
        h.sequence_number = self.seq;
        let mut m = NetlinkMessage::new(h, NetlinkPayload::InnerMessage(msg));
        m.finalize();
        let mut buf = vec![0; m.buffer_len()];
        m.serialize(&mut buf);
        self.sock.send(&buf).expect("send");
    }

    fn recv(&mut self) -> Vec<u8> {
        let d = self.sock.recv_timeout(5000).expect("reply");
        self.replies.push(d.clone());
        d
    }

    /// A request answered by exactly one NLMSG_ERROR.
    fn request(&mut self, msg: RouteNetlinkMessage, flags: u16) -> Outcome {
        self.send(msg, flags);
        let d = self.recv();
        let ms = messages(&d);
        assert_eq!(ms.len(), 1, "one ACK expected");
        assert_eq!(u16_at(ms[0], 4), 2, "NLMSG_ERROR expected");
        assert_eq!(u32_at(ms[0], 8), self.seq, "ACK for another request");
        parse_error(ms[0])
    }

    /// RTM_GETLINK by IFLA_IFNAME (as `ll_name_to_index` would): the ifindex, if any.
    fn index_of(&mut self, name: &str) -> Option<u32> {
        if name.len() > IFNAME_MAX {
            return None;
        }
        let mut m = LinkMessage::default();
        m.attributes.push(LinkAttribute::IfName(name.into()));
        self.send(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST);
        let d = self.recv();
        let ms = messages(&d);
        assert_eq!(ms.len(), 1);
        match u16_at(ms[0], 4) {
            16 => {
                let idx = u32_at(ms[0], 20);
                let parsed = parse_link(ms[0]);
                assert_eq!(common::LinkExt::name(&parsed), name);
                Some(idx)
            }
            2 => {
                let (e, _) = parse_error(ms[0]);
                assert_eq!(e, errno::ENODEV, "GETLINK {name}");
                None
            }
            t => panic!("unexpected reply type {t}"),
        }
    }

    fn dump(&mut self) -> Vec<LinkMessage> {
        self.send(
            RouteNetlinkMessage::GetLink(LinkMessage::default()),
            NLM_F_REQUEST | NLM_F_DUMP,
        );
        let mut links = Vec::new();
        loop {
            let d = self.recv();
            for m in messages(&d) {
                match u16_at(m, 4) {
                    3 => return links,
                    16 => links.push(parse_link(m)),
                    t => panic!("unexpected type {t} in dump"),
                }
            }
        }
    }

    /// Receives `n` notifications, then checks nothing else is queued.
    fn take_notifications(&mut self, n: usize) {
        for i in 0..n {
            let d = self
                .listener
                .recv_timeout(5000)
                .unwrap_or_else(|e| panic!("notification {i} of {n}: {e}"));
            self.notifications.push(d);
        }
        if let Ok(extra) = self.listener.recv_timeout(0) {
            panic!(
                "notification beyond the model's {n}: {:?}",
                messages(&extra)
                    .iter()
                    .map(|m| parse_link(m))
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn parse_link(m: &[u8]) -> LinkMessage {
    match NetlinkMessage::<RouteNetlinkMessage>::deserialize(m)
        .expect("parse link message")
        .payload
    {
        NetlinkPayload::InnerMessage(
            RouteNetlinkMessage::NewLink(l) | RouteNetlinkMessage::DelLink(l),
        ) => l,
        other => panic!("not a link message: {other:?}"),
    }
}

// ----- the direct model ------------------------------------------------------------------------

fn fresh_kernel() -> Kernel {
    // What SimBuilder::kernel does for `.seed(SEED).netdevsim(1, NSIM_PORTS)`.
    let mut k = Kernel::new(SEED);
    let ns = k.init_net();
    k.netdevsim_new_device(ns, 1, NSIM_PORTS)
        .expect("netdevsim");
    k.take_events();
    k
}

fn run_direct(k: &mut Kernel, req: &Req) -> Outcome {
    let ns = k.init_net();
    let r = match req.call {
        Call::Newlink => k.newlink(ns, &req.model),
        Call::Setlink => k.setlink(ns, &req.model),
        Call::Dellink => k.dellink(ns, &req.model),
    };
    match r {
        Ok(()) => (0, None),
        Err(e) => (e.errno, e.msg.map(|m| m.into_owned())),
    }
}

/// The per-device facts both sides must agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    ifindex: u32,
    name: String,
    master: Option<u32>,
    mtu: u32,
    flags: u32,
    operstate: u8,
    address: Vec<u8>,
    kind: Option<String>,
    link: Option<u32>,
}

fn row_of_message(l: &LinkMessage) -> Row {
    use common::LinkExt;
    Row {
        ifindex: l.header.index,
        name: l.name(),
        master: l.master(),
        mtu: l.mtu(),
        flags: l.flags(),
        operstate: u8::from(l.operstate()),
        address: l.mac(),
        kind: l.attr(|a| match a {
            LinkAttribute::LinkInfo(infos) => infos.iter().find_map(|i| match i {
                LinkInfo::Kind(k) => Some(k.to_string()),
                _ => None,
            }),
            _ => None,
        }),
        link: l.attr(|a| match a {
            LinkAttribute::Link(v) => Some(*v),
            _ => None,
        }),
    }
}

fn rows_of_kernel(k: &Kernel) -> Vec<Row> {
    k.devices_from(k.init_net(), 0)
        .map(|d| {
            let v = k.fill(d.id);
            Row {
                ifindex: v.ifindex,
                name: v.name,
                master: v.master,
                mtu: v.mtu,
                flags: v.flags,
                operstate: v.operstate,
                address: v.addr.map(|a| a.as_bytes().to_vec()).unwrap_or_default(),
                kind: v.kind.map(str::to_string),
                link: v.link,
            }
        })
        .collect()
}

/// Notifications the netlink side sends for these events: every RTM_*LINK, and the AF_BRIDGE
/// copies for bridge ports (`br_ifinfo_notify`, sent only while the view is of a port).
fn link_events(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| match e {
            Event::Link { .. } => true,
            Event::BridgePort { view, .. } => {
                view.master.is_some()
                    && view
                        .slave_info
                        .as_ref()
                        .is_some_and(|d| d.is::<kernel_model::kinds::bridge::BridgePortInfo>())
            }
            // RTNLGRP_NEIGH / RTNLGRP_NSID / RTNLGRP_NEXTHOP / RTNLGRP_IPV*_IFADDR /
            // RTNLGRP_IPV*_ROUTE / the rule and netconf groups, not RTNLGRP_LINK.
            Event::Fdb { .. }
            | Event::Nsid { .. }
            | Event::Addr { .. }
            | Event::Neigh { .. }
            | Event::Nexthop { .. }
            | Event::Route { .. }
            | Event::Rule { .. }
            | Event::Netconf { .. }
            | Event::Inet6Ifinfo { .. } => false,
        })
        .count()
}

// ----- the state machine test -------------------------------------------------------------------

struct Both {
    nl: NlSide,
    k: Kernel,
    step: usize,
}

impl Both {
    fn apply(&mut self, op: &Op) {
        self.step += 1;
        // Resolve names on each side separately; they must agree.
        let mut resolved = std::collections::HashMap::new();
        let mut names: Vec<&str> = Vec::new();
        match op {
            Op::Master(d, Master::Dev(m), _) => names.extend([d.as_str(), m.as_str()]),
            Op::Master(d, ..)
            | Op::Up(d, _)
            | Op::Down(d, _)
            | Op::Mtu(d, ..)
            | Op::Address(d, ..)
            | Op::Rename(d, _)
            | Op::Del(d, _) => names.push(d),
            Op::Add(..) | Op::AddVeth(..) => {}
        }
        let ns = self.k.init_net();
        for n in names {
            let via_nl = self.nl.index_of(n);
            let direct = self
                .k
                .dev_by_name(ns, n)
                .map(|id| self.k.dev(id).ifindex)
                .filter(|_| n.len() <= IFNAME_MAX);
            assert_eq!(via_nl, direct, "step {}: ifindex of {n:?}", self.step);
            resolved.insert(n.to_string(), via_nl);
        }
        let req = build(op, |n| resolved.get(n).copied().flatten());

        let nl = self.nl.request(req.msg.clone(), req.nlm_flags);
        let direct = match req.policy_errno {
            // Refused by ifla_policy on the netlink side: the model never sees it.
            Some(e) => (e, Some("Attribute failed policy validation".to_string())),
            None => {
                let r = run_direct(&mut self.k, &req);
                self.k
                    .check_invariants()
                    .unwrap_or_else(|e| panic!("step {}: {op:?}: invariant: {e}", self.step));
                r
            }
        };
        assert_eq!(
            nl, direct,
            "step {}: {op:?}: netlink (errno, extack) vs direct model",
            self.step
        );
        if std::env::var_os("NLSIM_SM_TRACE").is_some() {
            eprintln!("step {}: {op:?} -> {nl:?}", self.step);
        }
        let events = self.k.take_events();
        self.nl.take_notifications(link_events(&events));
        self.compare_dumps();
    }

    fn compare_dumps(&mut self) {
        let via_nl: Vec<Row> = self.nl.dump().iter().map(row_of_message).collect();
        let direct = rows_of_kernel(&self.k);
        assert_eq!(via_nl, direct, "step {}: dumps differ", self.step);
    }
}

impl StateMachineTest for LinkOps {
    type SystemUnderTest = Both;
    type Reference = LinkOps;

    fn init_test(_: &Names) -> Both {
        let k = fresh_kernel();
        k.check_invariants().expect("fresh kernel invariants");
        let mut b = Both {
            nl: NlSide::new(),
            k,
            step: 0,
        };
        b.compare_dumps();
        b
    }

    fn apply(mut sut: Both, _: &Names, op: Op) -> Both {
        sut.apply(&op);
        sut
    }

    fn teardown(mut sut: Both, _: Names) {
        // The final dump, names and all, once more after everything settled.
        sut.compare_dumps();
    }
}

fn config() -> Config {
    Config {
        cases: std::env::var("NLSIM_SM_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24),
        // No regression files in the tree; a failure prints the minimal sequence.
        failure_persistence: None,
        ..Config::default()
    }
}

prop_state_machine! {
    #![proptest_config(config())]
    #[test]
    fn netlink_and_direct_model_agree(sequential 5..30 => LinkOps);
}

/// `ip link add va type veth peer name <16 chars>`: veth_newlink parses the peer's ifinfomsg
/// with `ifla_policy` (`rtnl_nla_parse_ifinfomsg`), so Linux answers ERANGE "Attribute failed
/// policy validation", like for an over-long top-level IFLA_IFNAME.
#[test]
fn veth_peer_name_too_long_is_erange() {
    let mut nl = NlSide::new();
    let req = build(
        &Op::AddVeth(Some("va".into()), Some("abcdefghijklmnop".into())),
        |_| None,
    );
    assert_eq!(
        nl.request(req.msg, req.nlm_flags),
        (
            libc::ERANGE,
            Some("Attribute failed policy validation".to_string())
        )
    );
}

// ----- determinism ------------------------------------------------------------------------------

/// Runs `ops` through a fresh simulator only, recording every datagram.
fn run_netlink_only(ops: &[Op]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut nl = NlSide::new();
    nl.dump();
    for op in ops {
        let mut names: Vec<String> = Vec::new();
        match op {
            Op::Master(d, Master::Dev(m), _) => names.extend([d.clone(), m.clone()]),
            Op::Master(d, ..)
            | Op::Up(d, _)
            | Op::Down(d, _)
            | Op::Mtu(d, ..)
            | Op::Address(d, ..)
            | Op::Rename(d, _)
            | Op::Del(d, _) => names.push(d.clone()),
            Op::Add(..) | Op::AddVeth(..) => {}
        }
        let resolved: std::collections::HashMap<String, Option<u32>> = names
            .into_iter()
            .map(|n| (n.clone(), nl.index_of(&n)))
            .collect();
        let req = build(op, |n| resolved.get(n).copied().flatten());
        nl.request(req.msg, req.nlm_flags);
        nl.dump();
    }
    // Notifications: everything queued by now (one more round trip flushes the server).
    nl.dump();
    while let Ok(d) = nl.listener.recv_timeout(50) {
        nl.notifications.push(d);
    }
    (nl.replies, nl.notifications)
}

proptest! {
    #![proptest_config(Config { cases: 8, failure_persistence: None, ..Config::default() })]

    #[test]
    fn same_seed_same_bytes(
        (_, ops, _) in LinkOps::sequential_strategy(1..30)
    ) {
        let (r1, n1) = run_netlink_only(&ops);
        let (r2, n2) = run_netlink_only(&ops);
        prop_assert_eq!(r1.len(), r2.len());
        for (i, (a, b)) in r1.iter().zip(&r2).enumerate() {
            prop_assert!(a == b, "reply datagram {} differs:\n{:02x?}\n{:02x?}", i, a, b);
        }
        prop_assert_eq!(n1.len(), n2.len());
        for (i, (a, b)) in n1.iter().zip(&n2).enumerate() {
            prop_assert!(a == b, "notification {} differs", i);
        }
    }
}
