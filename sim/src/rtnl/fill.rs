//! `rtnl_fill_ifinfo` (Linux 6.12): model views encoded as the attribute set the kernel
//! sends, in its order, and the netlink framing of a route message.

use kernel_model::LinkView;
use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload};
use netlink_packet_route::link::{
    InfoKind, InfoPortKind, LinkAttribute, LinkEvent, LinkFlags, LinkHeader, LinkInfo,
    LinkLayerType, LinkMessage, LinkMode, LinkXdp, Map, State, Stats, Stats64, XdpAttached,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::kinds::{self, FillCtx};

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
        // ops->fill_info of the device's kind.
        let ctx = FillCtx { kind };
        let fill = kinds::lookup(kind.as_bytes()).and_then(|w| w.fill);
        if let Some(d) = v.info.as_ref().zip(fill).and_then(|(i, f)| f(i, &ctx)) {
            infos.push(LinkInfo::Data(d));
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
        // m_ops->fill_slave_info of the master's kind.
        let fill = kinds::lookup(sk.as_bytes()).and_then(|w| w.fill_slave);
        if let Some(d) = v.slave_info.as_ref().zip(fill).and_then(|(i, f)| f(i)) {
            infos.push(LinkInfo::PortData(d));
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
