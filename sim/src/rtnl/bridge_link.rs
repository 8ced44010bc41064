//! AF_BRIDGE link messages (`br_fill_ifinfo`, net/bridge/br_netlink.c): what `bridge link`
//! dumps and what `br_ifinfo_notify` multicasts for bridge ports.

use super::bridge::encode_bridge_port_info;
use super::link::emit;
use kernel_model::{LinkMsg, LinkView, PortInfo};
use netlink_packet_core::{DefaultNla, Emitable, NLA_F_NESTED};
use netlink_packet_route::link::{
    LinkAttribute, LinkFlags, LinkHeader, LinkLayerType, LinkMessage, State,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

/// IFLA_PROTINFO; the kernel opens it with `nla_nest_start`, so NLA_F_NESTED is set.
const IFLA_PROTINFO: u16 = 12;

/// `br_fill_ifinfo` for a bridge port (`port` set, no RTEXT_FILTER_* bits): None when the
/// device is not a bridge port.
pub fn encode_port_message(
    v: &LinkView,
    msg: LinkMsg,
    flags: u16,
    seq: u32,
    portid: u32,
) -> Option<Vec<u8>> {
    let Some(PortInfo::Bridge(port)) = &v.slave_info else {
        return None;
    };
    let master = v.master?;
    let header = LinkHeader {
        interface_family: AddressFamily::Bridge,
        index: v.ifindex,
        link_layer_type: LinkLayerType::from(v.dev_type),
        flags: LinkFlags::from_bits_retain(v.flags),
        ..LinkHeader::default()
    };
    let mut a = vec![
        LinkAttribute::IfName(v.name.clone()),
        LinkAttribute::Controller(master),
        LinkAttribute::Mtu(v.mtu),
        LinkAttribute::OperState(State::from(v.operstate)),
    ];
    if let Some(addr) = v.addr {
        a.push(LinkAttribute::Address(addr.as_bytes().to_vec()));
    }
    if let Some(l) = v.link {
        a.push(LinkAttribute::Link(l));
    }
    if msg == LinkMsg::New {
        // The port attributes are the same IFLA_BRPORT_* list as IFLA_INFO_SLAVE_DATA.
        let attrs = encode_bridge_port_info(port);
        let mut bytes = vec![0u8; attrs.as_slice().buffer_len()];
        attrs.as_slice().emit(&mut bytes);
        a.push(LinkAttribute::Other(DefaultNla::new(
            IFLA_PROTINFO | NLA_F_NESTED,
            bytes,
        )));
    }
    let mut m = LinkMessage::default();
    m.header = header;
    m.attributes = a;
    let rtm = match msg {
        LinkMsg::New => RouteNetlinkMessage::NewLink(m),
        LinkMsg::Del => RouteNetlinkMessage::DelLink(m),
    };
    Some(emit(rtm, flags, seq, portid))
}
