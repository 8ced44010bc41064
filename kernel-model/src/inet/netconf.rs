//! netconf (include/uapi/linux/netconf.h): the forwarding-related part of a device's (or
//! `all`'s / `default`'s) IPv4 and IPv6 configuration, as net/ipv4/devinet.c
//! (`inet_netconf_fill_devconf`, `inet_netconf_notify_devconf`, `inet_netconf_get_devconf`,
//! `inet_netconf_dump_devconf`) and net/ipv6/addrconf.c (the `inet6_netconf_*` twins) report
//! it. RTM_NEWNETCONF goes out with every attribute (NETCONFA_ALL) when a device gets its
//! in_device / inet6_dev (`__devinet_sysctl_register`, `__addrconf_sysctl_register`), with one
//! attribute when a sysctl changes it, and RTM_DELNETCONF with only the ifindex when the
//! device loses it (`__devinet_sysctl_unregister`, `__addrconf_sysctl_unregister`).

use crate::devconf::slot;
use crate::device::{DevId, NetnsId};
use crate::kernel::{Event, Kernel, LinkMsg};

/// `NETCONFA_*`.
pub const NETCONFA_IFINDEX: u16 = 1;
pub const NETCONFA_FORWARDING: u16 = 2;
pub const NETCONFA_RP_FILTER: u16 = 3;
pub const NETCONFA_MC_FORWARDING: u16 = 4;
pub const NETCONFA_PROXY_NEIGH: u16 = 5;
pub const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 6;
pub const NETCONFA_BC_FORWARDING: u16 = 8;
/// `NETCONFA_ALL`: the "type" of a message carrying every attribute.
pub const NETCONFA_ALL: i32 = -1;
/// `NETCONFA_IFINDEX_ALL`, `NETCONFA_IFINDEX_DEFAULT`: `conf/all` and `conf/default`.
pub const NETCONFA_IFINDEX_ALL: i32 = -1;
pub const NETCONFA_IFINDEX_DEFAULT: i32 = -2;

/// The values a netconf message can carry (`IPV4_DEVCONF_RO(*devconf, ...)`, or the
/// `ipv6_devconf` fields), as stored (not combined with `all`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetconfConf {
    pub forwarding: i32,
    pub rp_filter: i32,
    pub mc_forwarding: i32,
    pub bc_forwarding: i32,
    /// IPv4 `proxy_arp`, IPv6 `proxy_ndp`.
    pub proxy_neigh: i32,
    pub ignore_routes_with_linkdown: i32,
}

/// One netconf message as the model fills it; the sim writes the attributes `ty` selects
/// (`NETCONFA_ALL`: every one the family has) when `conf` is set, only NETCONFA_IFINDEX
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetconfView {
    pub v6: bool,
    pub ifindex: i32,
    pub ty: i32,
    pub conf: Option<NetconfConf>,
}

impl Kernel {
    /// The configuration netconf reports for `ifindex` of `ns` (a device, `all` or
    /// `default`): the stored values (`crate::devconf`), not combined with `all`; `None` when
    /// the device does not exist or has no in_device / inet6_dev.
    pub fn netconf_conf(&self, ns: NetnsId, v6: bool, ifindex: i32) -> Option<NetconfConf> {
        let row = match ifindex {
            NETCONFA_IFINDEX_ALL if v6 => self.netconf(ns).v6_all.clone(),
            NETCONFA_IFINDEX_ALL => self.netconf(ns).v4_all.clone(),
            NETCONFA_IFINDEX_DEFAULT if v6 => self.netconf(ns).v6_dflt.clone(),
            NETCONFA_IFINDEX_DEFAULT => self.netconf(ns).v4_dflt.clone(),
            _ => {
                let dev = self.dev_by_index(ns, u32::try_from(ifindex).ok()?)?;
                let inet = &self.dev(dev).inet;
                match (v6, inet.in4, inet.in6) {
                    (false, true, _) => self.in_dev_cnf(dev),
                    (true, _, true) => self.in6_dev_cnf(dev),
                    _ => return None,
                }
            }
        };
        Some(if v6 {
            use crate::devconf::Ipv6Conf as K;
            NetconfConf {
                forwarding: slot(&row, K::Forwarding.index()),
                mc_forwarding: slot(&row, K::McForwarding.index()),
                proxy_neigh: slot(&row, K::ProxyNdp.index()),
                ignore_routes_with_linkdown: slot(&row, K::IgnoreRoutesWithLinkdown.index()),
                ..NetconfConf::default()
            }
        } else {
            use crate::devconf::Ipv4Conf as K;
            NetconfConf {
                forwarding: slot(&row, K::Forwarding.index()),
                rp_filter: slot(&row, K::RpFilter.index()),
                mc_forwarding: slot(&row, K::McForwarding.index()),
                bc_forwarding: slot(&row, K::BcForwarding.index()),
                proxy_neigh: slot(&row, K::ProxyArp.index()),
                ignore_routes_with_linkdown: slot(&row, K::IgnoreRoutesWithLinkdown.index()),
            }
        })
    }

    /// `inet_netconf_notify_devconf` / `inet6_netconf_notify_devconf`: RTM_NEWNETCONF about
    /// attribute `ty` (or NETCONFA_ALL) of `ifindex`, or (`LinkMsg::Del`) RTM_DELNETCONF,
    /// with port id 0, to RTNLGRP_IPV4_NETCONF / RTNLGRP_IPV6_NETCONF.
    pub fn netconf_notify(&mut self, ns: NetnsId, v6: bool, msg: LinkMsg, ty: i32, ifindex: i32) {
        let conf = match msg {
            LinkMsg::New => self.netconf_conf(ns, v6, ifindex),
            LinkMsg::Del => None,
        };
        self.events.push(Event::Netconf {
            msg,
            netns: ns,
            view: NetconfView {
                v6,
                ifindex,
                ty: if msg == LinkMsg::Del { 0 } else { ty },
                conf,
            },
        });
    }

    /// `inet_netconf_dump_devconf` / `inet6_netconf_dump_devconf`: every device with an
    /// in_device (inet6_dev) in ifindex order, then `all`, then `default`.
    pub fn netconf_dump(&self, ns: NetnsId, v6: bool) -> Vec<NetconfView> {
        let mut out: Vec<NetconfView> = self
            .devices_from(ns, 0)
            .filter_map(|d| {
                let ifindex = i32::try_from(d.ifindex).ok()?;
                let conf = self.netconf_conf(ns, v6, ifindex)?;
                Some(NetconfView {
                    v6,
                    ifindex,
                    ty: NETCONFA_ALL,
                    conf: Some(conf),
                })
            })
            .collect();
        for ifindex in [NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT] {
            out.push(NetconfView {
                v6,
                ifindex,
                ty: NETCONFA_ALL,
                conf: self.netconf_conf(ns, v6, ifindex),
            });
        }
        out
    }

    /// Whether `id` has an in_device and an inet6_dev, to compare around a notifier call.
    pub(crate) fn netconf_state(&self, id: DevId) -> (bool, bool) {
        self.try_dev(id)
            .map_or((false, false), |d| (d.inet.in4, d.inet.in6))
    }

    /// The netconf messages of a notifier call that gave `id` (or took away) its in_device
    /// (`inetdev_init` / `inetdev_destroy` → devinet_sysctl_(un)register) or inet6_dev
    /// (`ipv6_add_dev` / `addrconf_ifdown(dev, true)` → addrconf_sysctl_(un)register): IPv4's
    /// first, as inetdev_event runs before addrconf_notify.
    pub(crate) fn netconf_track(
        &mut self,
        id: DevId,
        before: (bool, bool),
        ns: NetnsId,
        ifindex: u32,
    ) {
        let after = self.netconf_state(id);
        let Ok(ifindex) = i32::try_from(ifindex) else {
            return;
        };
        for (v6, was, is) in [(false, before.0, after.0), (true, before.1, after.1)] {
            if was != is {
                let msg = if is { LinkMsg::New } else { LinkMsg::Del };
                self.netconf_notify(ns, v6, msg, NETCONFA_ALL, ifindex);
            }
        }
    }
}
