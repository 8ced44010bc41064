//! The notify side of rtnetlink (`rtnl_notify`, `rtmsg_ifinfo`, `rtnl_net_notifyid`,
//! `fdb_notify`, `br_ifinfo_notify`): the model's events become RTM_NEWLINK / RTM_DELLINK /
//! RTM_NEWNEIGH / RTM_NEWNSID messages multicast to the groups that want them. The
//! notification encoders of `rtnl` are called from here only.

use super::af_netlink::NetlinkTable;
use crate::rtnl::{self, link};
use kernel_model::{Event, Kernel, LinkMsg, NetnsId};
use netlink_packet_route::RouteNetlinkMessage;

/// `RTNLGRP_LINK`.
const RTNLGRP_LINK: u32 = 1;
/// `RTNLGRP_NEIGH`.
const RTNLGRP_NEIGH: u32 = 3;
/// RTNLGRP_IPV6_IFINFO (AF_INET6 link messages, `inet6_ifinfo_notify`).
const RTNLGRP_IPV6_IFINFO: u32 = 12;

/// The request whose handling raised the events (`nlmsg_notify`'s `portid`, `nlh`, and
/// `report`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin {
    /// The requesting connection.
    pub key: usize,
    pub portid: u32,
    pub seq: u32,
    /// NLM_F_ECHO: the requester gets its own copy.
    pub echo: bool,
}

/// Sends the model's pending notifications to every socket that joined their group in the
/// same namespace (`rtnl_notify`). With NLM_F_ECHO the requester gets its own unicast copy
/// carrying its port id and sequence number, and is left out of the multicast.
pub(super) fn rtnl_notify(kernel: &mut Kernel, nl: &mut NetlinkTable, origin: Option<Origin>) {
    for ev in kernel.take_events() {
        match ev {
            Event::Link {
                msg,
                change,
                from_request,
                ifla_event,
                view,
            } => {
                // rtmsg_ifinfo → rtnl_notify(skb, net, 0, RTNLGRP_LINK, nlh).
                let body = link::encode_link_message(&view, change, ifla_event);
                let rtm = match msg {
                    LinkMsg::New => RouteNetlinkMessage::NewLink(body),
                    LinkMsg::Del => RouteNetlinkMessage::DelLink(body),
                };
                let report = origin.filter(|o| from_request && o.echo);
                let bytes = link::emit(rtm.clone(), 0, 0, 0);
                nl.multicast(
                    kernel,
                    view.netns,
                    RTNLGRP_LINK,
                    &bytes,
                    report.map(|o| o.key),
                );
                if let Some(o) = report {
                    // nlmsg_notify: the reporter's copy is an nlmsg_unicast.
                    nl.unicast(kernel, o.key, link::emit(rtm, 0, o.seq, o.portid));
                }
            }
            Event::Nsid {
                msg,
                netns,
                nsid,
                from_request,
            } => {
                // rtnl_net_notifyid → rtnl_notify(msg, net, portid, RTNLGRP_NSID, nlh):
                // the requester's portid and seq for rtnl_net_newid, NLM_F_ECHO honoured.
                let (portid, seq) = requester(origin, from_request);
                let bytes = rtnl::nsid::encode_notification(msg, nsid, seq, portid);
                nlmsg_notify(
                    kernel,
                    nl,
                    netns,
                    rtnl::nsid::RTNLGRP_NSID,
                    bytes,
                    origin.filter(|o| from_request && o.echo),
                );
            }
            Event::Route {
                msg,
                netns,
                nlflags,
                from_request,
                view,
            } => {
                // rtmsg_fib / inet6_rt_notify → rtnl_notify(skb, net, info->portid,
                // RTNLGRP_IPV{4,6}_ROUTE, info->nlh): the requester's portid and seq for a
                // request's routes, pid 0 for the kernel's own (fib_magic, addrconf).
                let (portid, seq) = requester(origin, from_request);
                let bytes = rtnl::route::encode_notification(&view, msg, nlflags, seq, portid);
                nlmsg_notify(
                    kernel,
                    nl,
                    netns,
                    rtnl::route::group_of(&view),
                    bytes,
                    origin.filter(|o| from_request && o.echo),
                );
            }
            Event::Addr {
                msg,
                netns,
                from_request,
                view,
            } => {
                // rtmsg_ifa → rtnl_notify(skb, net, portid, RTNLGRP_IPV4_IFADDR, nlh): the
                // requester's portid and seq, NLM_F_ECHO honoured; inet6_ifa_notify: pid 0,
                // seq 0, no report.
                let (portid, seq) = requester(origin, from_request);
                let (bytes, group) = rtnl::addr::encode_notification(&view, msg, seq, portid);
                nlmsg_notify(
                    kernel,
                    nl,
                    netns,
                    group,
                    bytes,
                    origin.filter(|o| from_request && o.echo),
                );
            }
            Event::Nexthop {
                msg,
                netns,
                view,
                nlflags,
                from_request,
            } => {
                // nexthop_notify → rtnl_notify(skb, net, portid, RTNLGRP_NEXTHOP, nlh): the
                // request's portid, seq and flags; NLM_F_ECHO honoured.
                let req = origin.filter(|_| from_request);
                let (portid, seq, flags) = match req {
                    Some(o) => (o.portid, o.seq, nlflags),
                    None => (0, 0, 0),
                };
                let bytes = rtnl::nexthop::encode(&view, msg, flags, seq, portid);
                nlmsg_notify(
                    kernel,
                    nl,
                    netns,
                    rtnl::nexthop::RTNLGRP_NEXTHOP,
                    bytes,
                    req.filter(|o| o.echo),
                );
            }
            Event::Rule {
                msg,
                netns,
                view,
                from_request,
            } => {
                // notify_rule_change → rtnl_notify(skb, net, pid, ops->nlgroup, nlh): the
                // requester's portid and seq, NLM_F_ECHO honoured; the vrf driver's rules
                // (fib_nl_newrule on a message it built) carry 0 and 0.
                let (portid, seq) = requester(origin, from_request);
                let bytes = rtnl::rule::encode_notification(&view, msg, seq, portid);
                let report = origin.filter(|o| from_request && o.echo);
                nlmsg_notify(kernel, nl, netns, view.family.nlgroup(), bytes, report);
            }
            Event::Netconf { msg, netns, view } => {
                // inet(6)_netconf_notify_devconf → rtnl_notify(skb, net, 0, group, NULL).
                let (bytes, group) = rtnl::netconf::encode_notification(&view, msg);
                nl.multicast(kernel, netns, group, &bytes, None);
            }
            Event::Inet6Ifinfo {
                netns,
                view,
                cacheinfo,
            } => {
                // inet6_ifinfo_notify → rtnl_notify(skb, net, 0, RTNLGRP_IPV6_IFINFO, NULL).
                if let Some(bytes) = rtnl::inet6_link::encode(&view, cacheinfo, 0, 0, 0) {
                    nl.multicast(kernel, netns, RTNLGRP_IPV6_IFINFO, &bytes, None);
                }
            }
            Event::Fdb { msg, netns, fdb } => {
                // fdb_notify / rtnl_fdb_notify: pid 0, seq 0, to RTNLGRP_NEIGH.
                let bytes = rtnl::fdb::encode(&fdb, msg, 0, 0, 0);
                nl.multicast(kernel, netns, RTNLGRP_NEIGH, &bytes, None);
            }
            Event::Neigh {
                msg,
                netns,
                neigh,
                from_request,
            } => {
                // __neigh_notify → rtnl_notify(skb, net, 0, RTNLGRP_NEIGH, NULL): the
                // requester's port id (neigh_update_notify's nlmsg_pid), seq 0, no echo.
                let portid = match origin {
                    Some(o) if from_request => o.portid,
                    _ => 0,
                };
                let bytes = rtnl::neigh::encode(&neigh, msg, 0, 0, portid);
                nl.multicast(kernel, netns, RTNLGRP_NEIGH, &bytes, None);
            }
            Event::BridgePort { msg, view } => {
                // br_ifinfo_notify: AF_BRIDGE, pid 0, seq 0, to RTNLGRP_LINK.
                if let Some(bytes) = rtnl::bridge_link::encode_port_message(
                    &view,
                    msg,
                    0,
                    0,
                    0,
                    rtnl::bridge_link::NOTIFY_FILTER,
                ) {
                    nl.multicast(kernel, view.netns, RTNLGRP_LINK, &bytes, None);
                }
            }
        }
    }
}

/// The requester's (portid, seq) when the event answers a request (`nlmsg_notify`'s `portid`
/// and `nlh`), else (0, 0).
fn requester(origin: Option<Origin>, from_request: bool) -> (u32, u32) {
    match origin {
        Some(o) if from_request => (o.portid, o.seq),
        _ => (0, 0),
    }
}

/// `nlmsg_notify`: the multicast to `group` of `netns`, leaving out the reporter (NLM_F_ECHO),
/// whose copy is an `nlmsg_unicast`.
fn nlmsg_notify(
    kernel: &mut Kernel,
    nl: &mut NetlinkTable,
    netns: NetnsId,
    group: u32,
    bytes: Vec<u8>,
    report: Option<Origin>,
) {
    nl.multicast(kernel, netns, group, &bytes, report.map(|o| o.key));
    if let Some(o) = report {
        nl.unicast(kernel, o.key, bytes);
    }
}
