//! RTM_*LINK bodies: requests decoded into [`LinkRequest`], model views encoded as the
//! attribute set `rtnl_fill_ifinfo` (Linux 6.12) sends, in its order.

use kernel_model::kinds::bridge::BridgePortOpt;
use kernel_model::uapi::ifla;
use kernel_model::{
    AttrPath, Kernel, KernelError, KindData, KindInfo, LinkInfoRequest, LinkRequest, LinkView,
    NetnsId, NewLinkFlags, PortData, PortInfo,
};
use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload};
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoPortData, InfoPortKind, InfoVeth, LinkAttribute, LinkEvent, LinkFlags,
    LinkHeader, LinkInfo, LinkLayerType, LinkMessage, LinkMode, LinkXdp, Map, State, Stats,
    Stats64, XdpAttached,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::bridge::{decode_bridge_opts, encode_bridge_info, encode_bridge_port_info};

/// IFLA_* numbers the crate has no typed variant for, as they appear in `Other`.
const IFLA_ALT_IFNAME: u16 = 53;
const IFLA_NEW_IFINDEX: u16 = 49;

/// `RTM_NEWLINK`-family request flags from the netlink header.
pub fn newlink_flags(nlm_flags: u16) -> NewLinkFlags {
    use crate::wire::consts::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
    NewLinkFlags {
        create: nlm_flags & NLM_F_CREATE != 0,
        excl: nlm_flags & NLM_F_EXCL != 0,
        replace: nlm_flags & NLM_F_REPLACE != 0,
    }
}

/// A namespace reference in a request: IFLA_NET_NS_PID / IFLA_NET_NS_FD (and NETNSA_PID /
/// NETNSA_FD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NsRef {
    Pid(u32),
    Fd(u32),
}

/// Resolves a [`NsRef`] for the requesting socket (`get_net_ns_by_pid` / `get_net_ns_by_fd`).
pub type NsResolve<'a> = &'a dyn Fn(NsRef) -> Result<NetnsId, KernelError>;

/// The resolver for a request from `sock`: `crate::netns_ref`.
pub fn resolver<'a>(
    k: &'a Kernel,
    sock: &'a super::SockCtx,
) -> impl Fn(NsRef) -> Result<NetnsId, KernelError> + 'a {
    move |r| match r {
        NsRef::Pid(pid) => crate::netns_ref::by_pid(k, pid),
        NsRef::Fd(fd) => crate::netns_ref::by_fd(k, sock.pid, fd),
    }
}

/// What an IFLA_LINKINFO nest asks for.
fn decode_linkinfo(
    infos: &[LinkInfo],
    unmodelled: &mut Vec<(AttrPath, String)>,
    resolve: NsResolve<'_>,
) -> LinkInfoRequest {
    let mut li = LinkInfoRequest::default();
    for info in infos {
        match info {
            LinkInfo::Kind(k) => li.kind = Some(k.to_string()),
            LinkInfo::Data(d) => {
                li.data = Some(match d {
                    InfoData::Veth(InfoVeth::Peer(peer)) => KindData::Veth {
                        peer: Some(Box::new(decode_link(peer, 0, resolve))),
                    },
                    InfoData::Veth(_) => KindData::Veth { peer: None },
                    InfoData::Bridge(nlas) => KindData::Bridge(decode_bridge_opts(nlas)),
                    InfoData::Bond(nlas) => KindData::Bond(super::bond::decode_bond_opts(nlas)),
                    InfoData::Vrf(nlas) => KindData::Vrf {
                        table: nlas.iter().rev().find_map(|n| match n {
                            netlink_packet_route::link::InfoVrf::TableId(t) => Some(*t),
                            _ => None,
                        }),
                    },
                    d @ (InfoData::Vlan(_)
                    | InfoData::MacVlan(_)
                    | InfoData::MacVtap(_)
                    | InfoData::IpVlan(_)
                    | InfoData::IpVtap(_)) => super::stacked::decode(d).unwrap_or(KindData::Opaque),
                    d @ (InfoData::Vxlan(_)
                    | InfoData::GreTun(_)
                    | InfoData::GreTap(_)
                    | InfoData::GreTun6(_)
                    | InfoData::GreTap6(_)
                    | InfoData::Geneve(_)) => super::tunnel::decode(d).unwrap_or(KindData::Opaque),
                    _ => KindData::Opaque,
                })
            }
            LinkInfo::PortKind(k) => {
                li.slave_kind = Some(match k {
                    InfoPortKind::Bridge => "bridge".into(),
                    InfoPortKind::Bond => "bond".into(),
                    InfoPortKind::Vrf => "vrf".into(),
                    InfoPortKind::Team => "team".into(),
                    InfoPortKind::Other(s) => s.clone(),
                    _ => String::new(),
                })
            }
            LinkInfo::PortData(d) => {
                li.slave_data = Some(match d {
                    InfoPortData::BondPort(nlas) => super::bond::decode_bond_port(nlas),
                    InfoPortData::BridgePort(nlas) => PortData::Bridge(
                        nlas.iter()
                            .map(|n| BridgePortOpt::Other(netlink_packet_core::Nla::kind(n)))
                            .collect(),
                    ),
                    _ => PortData::Opaque,
                })
            }
            LinkInfo::Xstats(_) | LinkInfo::Other(_) => {}
            _ => unmodelled.push((
                AttrPath::top(ifla::LINKINFO),
                "IFLA_LINKINFO attribute".into(),
            )),
        }
    }
    li
}

/// Decodes a link request body. `nlm_flags` are the netlink header's flags; `resolve` turns
/// IFLA_NET_NS_PID / IFLA_NET_NS_FD into a namespace (PID first, like `rtnl_link_get_net`).
pub fn decode_link(msg: &LinkMessage, nlm_flags: u16, resolve: NsResolve<'_>) -> LinkRequest {
    let mut r = LinkRequest {
        ifindex: msg.header.index as i32,
        ifi_flags: msg.header.flags.bits(),
        ifi_change: msg.header.change_mask.bits(),
        nlm: newlink_flags(nlm_flags),
        ..LinkRequest::default()
    };
    let mut unmodelled = Vec::new();
    let (mut ns_pid, mut ns_fd, mut target_netnsid) = (None, None, false);
    for attr in &msg.attributes {
        let mut refuse =
            |kind: u16, what: &str| unmodelled.push((AttrPath::top(kind), what.to_string()));
        match attr {
            // nla_strscpy: the name ends at its first NUL (the crate keeps what follows).
            LinkAttribute::IfName(n) => {
                r.ifname = Some(n.split('\0').next().unwrap_or_default().to_string())
            }
            LinkAttribute::Mtu(v) => r.mtu = Some(*v),
            LinkAttribute::Address(a) => r.address = Some(a.clone()),
            LinkAttribute::Broadcast(a) => r.broadcast = Some(a.clone()),
            LinkAttribute::TxQueueLen(v) => r.txqlen = Some(*v),
            LinkAttribute::Controller(v) => r.master = Some(*v),
            LinkAttribute::Link(v) => r.link = Some(*v),
            LinkAttribute::Group(v) => r.group = Some(*v),
            LinkAttribute::IfAlias(s) => r.ifalias = Some(s.clone()),
            LinkAttribute::NumTxQueues(v) => r.num_tx_queues = Some(*v),
            LinkAttribute::NumRxQueues(v) => r.num_rx_queues = Some(*v),
            LinkAttribute::OperState(s) => r.operstate = Some(u8::from(*s)),
            LinkAttribute::Mode(m) => r.linkmode = Some(u8::from(*m)),
            LinkAttribute::Carrier(v) => r.carrier = Some(*v),
            LinkAttribute::GsoMaxSize(v) => r.gso_max_size = Some(*v),
            LinkAttribute::GsoMaxSegs(v) => r.gso_max_segs = Some(*v),
            LinkAttribute::GroMaxSize(v) => r.gro_max_size = Some(*v),
            LinkAttribute::GsoIpv4MaxSize(v) => r.gso_ipv4_max_size = Some(*v),
            LinkAttribute::GroIpv4MaxSize(v) => r.gro_ipv4_max_size = Some(*v),
            LinkAttribute::LinkInfo(infos) => {
                r.linkinfo = Some(decode_linkinfo(infos, &mut unmodelled, resolve))
            }
            // Read by GETLINK/dumps, ignored by the kernel on changes.
            LinkAttribute::ExtMask(_)
            | LinkAttribute::Stats(_)
            | LinkAttribute::Stats64(_)
            | LinkAttribute::Qdisc(_) => {}
            LinkAttribute::AfSpecUnspec(families) => {
                for f in families {
                    match f {
                        netlink_packet_route::link::AfSpecUnspec::Inet6(attrs) => {
                            for a in attrs {
                                match a {
                                    netlink_packet_route::link::AfSpecInet6::AddrGenMode(m) => {
                                        r.addr_gen_mode = Some(u8::from(m))
                                    }
                                    _ => refuse(
                                        ifla::AF_SPEC,
                                        "IFLA_AF_SPEC AF_INET6 attributes other than addrgenmode",
                                    ),
                                }
                            }
                        }
                        _ => refuse(ifla::AF_SPEC, "IFLA_AF_SPEC families other than AF_INET6"),
                    }
                }
            }
            LinkAttribute::NetNsPid(p) => ns_pid = Some(*p),
            LinkAttribute::NewIfIndex(v) => r.new_ifindex = Some(*v),
            LinkAttribute::NetNsFd(fd) => ns_fd = Some(*fd),
            LinkAttribute::IfNetnsId(_) => {
                target_netnsid = true;
                refuse(ifla::TARGET_NETNSID, "IFLA_TARGET_NETNSID")
            }
            LinkAttribute::Other(nla) => {
                let kind = netlink_packet_core::Nla::kind(nla) & !0xc000;
                match kind {
                    IFLA_ALT_IFNAME => {
                        let mut v = vec![0u8; netlink_packet_core::Nla::value_len(nla)];
                        netlink_packet_core::Nla::emit_value(nla, &mut v);
                        let end = v.iter().position(|b| *b == 0).unwrap_or(v.len());
                        r.alt_ifname = Some(String::from_utf8_lossy(&v[..end]).into_owned());
                    }
                    IFLA_NEW_IFINDEX => {
                        let mut v = [0u8; 4];
                        if netlink_packet_core::Nla::value_len(nla) == 4 {
                            netlink_packet_core::Nla::emit_value(nla, &mut v);
                            r.new_ifindex = Some(i32::from_ne_bytes(v));
                        }
                    }
                    _ => refuse(kind, &format!("link attribute {kind}")),
                }
            }
            other => {
                let kind = netlink_packet_core::Nla::kind(other) & !0xc000;
                refuse(kind, &format!("link attribute {kind}"));
            }
        }
    }
    r.unmodelled = unmodelled;
    // rtnl_ensure_unique_netns
    r.net_ns_multiple =
        usize::from(ns_pid.is_some()) + usize::from(ns_fd.is_some()) + usize::from(target_netnsid)
            > 1;
    // rtnl_link_get_net: IFLA_NET_NS_PID, else IFLA_NET_NS_FD.
    r.net_ns = match (ns_pid, ns_fd) {
        (Some(pid), _) => Some(resolve(NsRef::Pid(pid))),
        (None, Some(fd)) => Some(resolve(NsRef::Fd(u32::from_ne_bytes(fd.to_ne_bytes())))),
        (None, None) => None,
    };
    r
}

fn info_kind(kind: &str) -> InfoKind {
    InfoKind::from(kind)
}

/// `RTEXT_FILTER_VF` in IFLA_EXT_MASK.
pub const RTEXT_FILTER_VF: u32 = 1;
/// `RTEXT_FILTER_SKIP_STATS` in IFLA_EXT_MASK.
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

/// `rtnl_fill_ifinfo` for one device with no IFLA_EXT_MASK (notifications).
pub fn encode_link_message(v: &LinkView, change: u32, ifla_event: u32) -> LinkMessage {
    encode_link_message_masked(v, change, ifla_event, 0)
}

/// `rtnl_fill_ifinfo` for one device: header plus attributes in the 6.12 order;
/// `ext_mask` is the request's IFLA_EXT_MASK.
pub fn encode_link_message_masked(
    v: &LinkView,
    change: u32,
    ifla_event: u32,
    ext_mask: u32,
) -> LinkMessage {
    let header = LinkHeader {
        interface_family: AddressFamily::Unspec,
        index: v.ifindex,
        link_layer_type: LinkLayerType::from(v.dev_type),
        flags: LinkFlags::from_bits_retain(v.flags),
        change_mask: LinkFlags::from_bits_retain(change),
    };
    let mut a = Vec::with_capacity(48);
    a.push(LinkAttribute::IfName(v.name.clone()));
    a.push(LinkAttribute::TxQueueLen(v.txqlen));
    a.push(LinkAttribute::OperState(State::from(v.operstate)));
    a.push(LinkAttribute::Mode(LinkMode::from(v.link_mode)));
    a.push(LinkAttribute::Mtu(v.mtu));
    a.push(LinkAttribute::MinMtu(v.min_mtu));
    a.push(LinkAttribute::MaxMtu(v.max_mtu));
    a.push(LinkAttribute::Group(v.group));
    a.push(LinkAttribute::Promiscuity(v.promiscuity));
    a.push(LinkAttribute::AllMulticast(v.allmulti));
    a.push(LinkAttribute::NumTxQueues(v.num_tx_queues));
    a.push(LinkAttribute::GsoMaxSegs(v.gso_max_segs));
    a.push(LinkAttribute::GsoMaxSize(v.gso_max_size));
    a.push(LinkAttribute::GroMaxSize(v.gro_max_size));
    a.push(LinkAttribute::GsoIpv4MaxSize(v.gso_ipv4_max_size));
    a.push(LinkAttribute::GroIpv4MaxSize(v.gro_ipv4_max_size));
    a.push(LinkAttribute::TsoMaxSize(v.tso_max_size));
    a.push(LinkAttribute::TsoMaxSegs(v.tso_max_segs));
    a.push(LinkAttribute::NumRxQueues(v.num_rx_queues));
    if let Some(m) = v.master {
        a.push(LinkAttribute::Controller(m));
    }
    a.push(LinkAttribute::Carrier(u8::from(v.carrier)));
    if let Some(alias) = &v.ifalias {
        a.push(LinkAttribute::IfAlias(alias.clone()));
    }
    a.push(LinkAttribute::CarrierChanges(
        // rtnl_fill_ifinfo adds the two atomic_t counters: the sum wraps.
        v.carrier_up_count.wrapping_add(v.carrier_down_count),
    ));
    a.push(LinkAttribute::CarrierUpCount(v.carrier_up_count));
    a.push(LinkAttribute::CarrierDownCount(v.carrier_down_count));
    a.push(LinkAttribute::ProtoDown(u8::from(v.proto_down)));
    if ifla_event != 0 {
        a.push(LinkAttribute::Event(LinkEvent::from(ifla_event)));
    }
    if let (Some(addr), Some(brd)) = (v.addr, v.broadcast) {
        a.push(LinkAttribute::Address(addr.as_bytes().to_vec()));
        a.push(LinkAttribute::Broadcast(brd.as_bytes().to_vec()));
    }
    if let Some(n) = &v.phys_port_name {
        a.push(LinkAttribute::PhysPortName(n.clone()));
    }
    if let Some(id) = &v.phys_switch_id {
        // LinkPhysId is non-exhaustive: its parser is the way to build one (never fails).
        if let Ok(phys) =
            <netlink_packet_route::link::LinkPhysId as netlink_packet_core::Parseable<[u8]>>::parse(
                id,
            )
        {
            a.push(LinkAttribute::PhysSwitchId(phys));
        }
    }
    // Counters are not simulated: no traffic flows, so they stay zero.
    a.push(LinkAttribute::Stats64(Stats64::default()));
    a.push(LinkAttribute::Stats(Stats::default()));
    // rtnl_fill_vfinfo: only when asked (RTEXT_FILTER_VF, `ip -d link`). The model has no
    // VFs configured anywhere, so the list is empty.
    if let Some(vf) = v.vf_info.filter(|_| ext_mask & RTEXT_FILTER_VF != 0) {
        a.push(LinkAttribute::NumVf(vf.num_vfs));
        if vf.lists_vfs {
            a.push(LinkAttribute::VfInfoList(Vec::new()));
        }
    }
    a.push(LinkAttribute::Xdp(vec![LinkXdp::Attached(
        XdpAttached::None,
    )]));
    let mut infos = Vec::new();
    if let Some(kind) = v.kind {
        infos.push(LinkInfo::Kind(info_kind(kind)));
        if let Some(d) = v
            .info
            .as_ref()
            .and_then(|i| super::stacked::encode(kind, i))
        {
            infos.push(LinkInfo::Data(d));
        }
        if let Some(d) = v.info.as_ref().and_then(super::tunnel::encode) {
            infos.push(LinkInfo::Data(d));
        }
        if let Some(KindInfo::Bridge(b)) = &v.info {
            infos.push(LinkInfo::Data(InfoData::Bridge(encode_bridge_info(b))));
        }
        if let Some(KindInfo::Bond(b)) = &v.info {
            infos.push(LinkInfo::Data(InfoData::Bond(
                super::bond::encode_bond_info(b),
            )));
        }
        if let Some(KindInfo::Vrf { table }) = &v.info {
            infos.push(LinkInfo::Data(InfoData::Vrf(vec![
                netlink_packet_route::link::InfoVrf::TableId(*table),
            ])));
        }
        if let Some(KindInfo::Tun(t)) = &v.info {
            infos.push(LinkInfo::Data(super::tun::encode(t)));
        }
    }
    if let Some(sk) = v.slave_kind {
        infos.push(LinkInfo::PortKind(match sk {
            "bridge" => InfoPortKind::Bridge,
            "bond" => InfoPortKind::Bond,
            "team" => InfoPortKind::Team,
            "vrf" => InfoPortKind::Vrf,
            other => InfoPortKind::Other(other.to_string()),
        }));
        if let Some(PortInfo::Bridge(p)) = &v.slave_info {
            infos.push(LinkInfo::PortData(InfoPortData::BridgePort(
                encode_bridge_port_info(p),
            )));
        }
        if let Some(PortInfo::Bond(p)) = &v.slave_info {
            infos.push(LinkInfo::PortData(InfoPortData::BondPort(
                super::bond::encode_bond_slave_info(p),
            )));
        }
        if let Some(PortInfo::Vrf { table }) = &v.slave_info {
            infos.push(LinkInfo::PortData(InfoPortData::VrfPort(vec![
                netlink_packet_route::link::InfoVrf::TableId(*table),
            ])));
        }
    }
    if !infos.is_empty() {
        a.push(LinkAttribute::LinkInfo(infos));
    }
    if let Some(id) = v.new_netnsid {
        a.push(LinkAttribute::NewNetnsId(id));
    }
    if let Some(idx) = v.new_ifindex {
        a.push(LinkAttribute::NewIfIndex(idx));
    }
    if let Some(p) = v.perm_addr {
        a.push(LinkAttribute::PermAddress(p.as_bytes().to_vec()));
    }
    if let Some(id) = v.link_netnsid {
        a.push(LinkAttribute::LinkNetNsId(id));
    }
    if let Some(l) = v.link {
        a.push(LinkAttribute::Link(l));
    }
    a.push(LinkAttribute::Qdisc(v.qdisc.clone()));
    a.push(super::af_spec::encode_af_spec_cached(
        v,
        ext_mask & RTEXT_FILTER_SKIP_STATS != 0,
    ));
    a.push(LinkAttribute::Map(Map::default()));
    if !v.altnames.is_empty() {
        a.push(LinkAttribute::PropList(
            v.altnames
                .iter()
                .map(|n| netlink_packet_route::link::Prop::AltIfName(n.clone()))
                .collect(),
        ));
    }
    if let Some((name, bus)) = &v.parent_dev {
        a.push(LinkAttribute::ParentDevName(name.clone()));
        a.push(LinkAttribute::ParentDevBusName(bus.clone()));
    }
    // devlink_nl_port_handle_fill: bus name, device name, port index (empty without a port).
    a.push(LinkAttribute::DevlinkPort(match &v.devlink_port {
        Some((bus, dev, index)) => vec![
            netlink_packet_route::link::DevlinkPort::BusName(bus.clone()),
            netlink_packet_route::link::DevlinkPort::DevName(dev.clone()),
            netlink_packet_route::link::DevlinkPort::PortIndex(*index),
        ],
        None => Vec::new(),
    }));
    a.push(LinkAttribute::DpllPin(Vec::new()));
    let mut msg = LinkMessage::default();
    msg.header = header;
    msg.attributes = a;
    msg
}

/// Wraps a route message into netlink bytes (`finalize` first: emit slices by the stored
/// length).
pub fn emit(msg: RouteNetlinkMessage, flags: u16, seq: u32, portid: u32) -> Vec<u8> {
    let mut buf = Vec::new();
    emit_into(&mut buf, msg, flags, seq, portid);
    buf
}

/// Like [`emit`], appending to `out` (dump rounds are built in place).
pub fn emit_into(out: &mut Vec<u8>, msg: RouteNetlinkMessage, flags: u16, seq: u32, portid: u32) {
    let mut h = NetlinkHeader::default();
    h.flags = flags;
    h.sequence_number = seq;
    h.port_number = portid;
    let mut m = NetlinkMessage::new(h, NetlinkPayload::InnerMessage(msg));
    m.finalize();
    let start = out.len();
    out.resize(start + m.header.length as usize, 0);
    m.serialize(&mut out[start..]);
}
