//! RTM_*LINK requests decoded into [`LinkRequest`] (`rtnl_newlink` / `do_setlink` reading
//! `tb[]`), and the namespace references a request may carry.

use kernel_model::kinds::bridge::BridgePortOpt;
use kernel_model::uapi::ifla;
use kernel_model::{
    AttrPath, Kernel, KernelError, KindData, LinkInfoRequest, LinkRequest, NetnsId, NewLinkFlags,
    PortData,
};
use netlink_packet_route::link::{
    InfoData, InfoPortData, InfoPortKind, InfoVeth, LinkAttribute, LinkInfo, LinkMessage,
};

use super::bridge::decode_bridge_opts;
use super::ctx::SockCtx;

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
    sock: &'a SockCtx,
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
