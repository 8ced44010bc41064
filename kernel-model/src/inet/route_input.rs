//! The IPv4 input route of `ip route get ADDR from SRC iif DEV` (net/ipv4/route.c:
//! `ip_route_input_rcu`, `ip_route_input_slow`, `ip_route_input_mc`, `__mkroute_input`)
//! and the reverse-path check it makes (net/ipv4/fib_frontend.c: `fib_validate_source`).
//!
//! Not modelled: multicast forwarding (`IN_DEV_MFORWARD`: no multicast routing daemon, so
//! only the all-hosts group 224.0.0.1 every up device joins is received), realms
//! (`fib_num_tclassid_users`), tunnel metadata, flow dissection for port/protocol rules
//! (`fib4_rules_early_flow_dissect`: input lookups see no ports, as with no such rule).

use super::fib::semantics::Flow4;
use super::fib::uapi::rtn;
use super::ifaddr::RT_SCOPE_HOST;
use super::route_get::{
    is_lbcast, is_local_multicast, is_loopback, is_multicast, is_zeronet, Res, RouteGet4Req,
    RuleKeys, RTCF_BROADCAST, RTCF_LOCAL, RTCF_MULTICAST,
};
use crate::devconf::Ipv4Conf;
use crate::device::{DevId, NetnsId};
use crate::kernel::Kernel;
use crate::uapi::{errno, iff};
use std::net::Ipv4Addr;

/// `LOOPBACK_IFINDEX`.
const LOOPBACK_IFINDEX: u32 = 1;
/// RTCF_DOREDIRECT: the reply says the packet would earn an ICMP redirect.
pub const RTCF_DOREDIRECT: u32 = 0x0100_0000;
/// `EXDEV`: the reverse path filter refused the source.
const EXDEV: i32 = 18;
/// The all-hosts group `ip_mc_up` joins on every up IPv4 device.
const ALL_HOSTS: u32 = 0xe000_0001;

/// The input route (`struct rtable` with `rt_is_input`), or the error its lookup gave.
pub(super) struct InputRoute {
    pub(super) res: Res,
    /// `rt_type`.
    pub(super) kind: u8,
    /// RTCF_* of `rt_flags`, with RTCF_DOREDIRECT from IPSKB_DOREDIRECT.
    pub(super) flags: u32,
    /// `dst.dev`.
    pub(super) dev: DevId,
    pub(super) gateway: Option<Ipv4Addr>,
}

impl Kernel {
    /// `ip_route_input_rcu` for a packet from `req.src` to `req.dst` arriving on `dev`.
    /// Err: the negative errno (the route's `dst.error` for an unreachable one).
    pub(super) fn ip_route_input_rcu(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        dev: DevId,
    ) -> Result<InputRoute, i32> {
        let (daddr, saddr) = (req.dst, req.src);
        let lo = self.loopback_of(ns).ok_or(-errno::ENODEV)?;
        if is_multicast(daddr) {
            if !self.in_dev_present(dev) {
                return Err(-errno::EINVAL);
            }
            // ip_check_mc_rcu: of the groups, the model knows all-hosts (ip_mc_up).
            let our = daddr == ALL_HOSTS && self.dev(dev).flags & iff::UP != 0;
            if !our {
                return Err(-errno::EINVAL);
            }
            // ip_route_input_mc
            self.ip_mc_validate_source(ns, req, dev)?;
            return Ok(InputRoute {
                res: Res {
                    fib: None,
                    kind: rtn::MULTICAST,
                    table: None,
                },
                kind: rtn::MULTICAST,
                flags: RTCF_MULTICAST | RTCF_LOCAL,
                dev: lo,
                gateway: None,
            });
        }
        // ip_route_input_slow
        if !self.in_dev_present(dev) {
            return Err(-errno::EINVAL);
        }
        if is_multicast(saddr) || is_lbcast(saddr) {
            return Err(-errno::EINVAL);
        }
        let localnet = self.in_dev_conf(dev, Ipv4Conf::RouteLocalnet) != 0;
        if is_lbcast(daddr) || (saddr == 0 && daddr == 0) {
            return self.brd_input(ns, req, dev, none_res(), lo);
        }
        if is_zeronet(saddr) || is_zeronet(daddr) {
            return Err(-errno::EINVAL);
        }
        if (is_loopback(daddr) || is_loopback(saddr)) && !localnet {
            return Err(-errno::EINVAL);
        }
        let ifindex = self.dev(dev).ifindex;
        let mut fl4 = Flow4 {
            daddr,
            dscp: req.tos,
            ..Flow4::default()
        };
        let l3mdev = self.l3mdev_update_flow(ns, &mut fl4, ifindex, None);
        let keys = RuleKeys {
            iif: ifindex,
            mark: req.mark,
            // sock_net_uid(net, NULL): root of the namespace's user namespace.
            uid: 0,
            saddr,
            proto: 0,
            sport: 0,
            dport: 0,
            l3mdev_dev: l3mdev,
        };
        let forward = self.in_dev_conf(dev, Ipv4Conf::Forwarding) != 0;
        let res = match self.fib_lookup_rules(ns, &keys, &fl4) {
            Ok(r) => r,
            // no_route: an unreachable route carrying the error.
            Err(_) if !forward => return Err(-super::fib::uapi::errno::EHOSTUNREACH),
            Err(e) => return Err(e),
        };
        if res.kind == rtn::BROADCAST {
            if self.in_dev_conf(dev, Ipv4Conf::BcForwarding) != 0 {
                return self.mkroute_input(ns, req, dev, res);
            }
            return self.brd_input(ns, req, dev, res, lo);
        }
        if res.kind == rtn::LOCAL {
            self.fib_validate_source(ns, req, saddr, daddr, 0, dev)?;
            return Ok(self.local_input(res, 0, lo));
        }
        if !forward {
            return Err(-super::fib::uapi::errno::EHOSTUNREACH);
        }
        if res.kind != rtn::UNICAST {
            return Err(-errno::EINVAL);
        }
        self.mkroute_input(ns, req, dev, res)
    }

    /// `brd_input`: a broadcast received, its source checked unless it is 0.0.0.0.
    fn brd_input(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        dev: DevId,
        mut res: Res,
        lo: DevId,
    ) -> Result<InputRoute, i32> {
        if !is_zeronet(req.src) {
            self.fib_validate_source(ns, req, req.src, 0, 0, dev)?;
        }
        res.kind = rtn::BROADCAST;
        Ok(self.local_input(res, RTCF_BROADCAST, lo))
    }

    /// `local_input`: delivered here, through `ip_rt_get_dev` (the vrf of the route's
    /// device, else the loopback).
    fn local_input(&self, res: Res, flags: u32, lo: DevId) -> InputRoute {
        let dev = res
            .fib
            .as_ref()
            .and_then(|f| f.nh.dev)
            .and_then(|d| self.l3mdev_master(d))
            .unwrap_or(lo);
        InputRoute {
            kind: res.kind,
            res,
            flags: flags | RTCF_LOCAL,
            dev,
            gateway: None,
        }
    }

    /// `ip_mkroute_input` / `__mkroute_input`: a forwarded packet (the first nexthop of a
    /// multipath route, see route_get.rs).
    fn mkroute_input(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        in_dev: DevId,
        res: Res,
    ) -> Result<InputRoute, i32> {
        let fib = res.fib.clone().ok_or(-errno::EINVAL)?;
        let out = fib.nh.dev.ok_or(-errno::EINVAL)?;
        if !self.in_dev_present(out) {
            return Err(-errno::EINVAL);
        }
        let oif = self.dev(out).ifindex;
        let on_link = self.fib_validate_source(ns, req, req.src, req.dst, oif, in_dev)?;
        let mut flags = 0;
        if out == in_dev
            && on_link
            && self.in_dev_conf(out, Ipv4Conf::SendRedirects) != 0
            && (self.in_dev_conf(out, Ipv4Conf::SharedMedia) != 0
                || self.inet_addr_onlink(out, req.src, fib.nh.gw.map_or(0, u32::from)))
        {
            flags |= RTCF_DOREDIRECT;
        }
        // rt_set_nexthop: a gateway of link scope.
        let gateway = fib
            .nh
            .gw
            .filter(|_| fib.nh.scope == super::fib::uapi::scope::LINK);
        Ok(InputRoute {
            kind: res.kind,
            res,
            flags,
            dev: out,
            gateway,
        })
    }

    /// `inet_addr_onlink`: `a` (and `b` unless 0) on the subnet of one of `dev`'s addresses.
    fn inet_addr_onlink(&self, dev: DevId, a: u32, b: u32) -> bool {
        self.in_dev_addrs(dev)
            .iter()
            .any(|ifa| ifa.matches(Ipv4Addr::from(a)) && (b == 0 || ifa.matches(Ipv4Addr::from(b))))
    }

    /// `ip_mc_validate_source`.
    fn ip_mc_validate_source(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        dev: DevId,
    ) -> Result<(), i32> {
        let saddr = req.src;
        if is_multicast(saddr) || is_lbcast(saddr) {
            return Err(-errno::EINVAL);
        }
        if is_loopback(saddr) && self.in_dev_conf(dev, Ipv4Conf::RouteLocalnet) == 0 {
            return Err(-errno::EINVAL);
        }
        if is_zeronet(saddr) {
            // IPPROTO_IGMP is 2.
            if !is_local_multicast(req.dst) && req.ip_proto != 2 {
                return Err(-errno::EINVAL);
            }
            return Ok(());
        }
        self.fib_validate_source(ns, req, saddr, 0, 0, dev)
            .map(|_| ())
    }

    /// `fib_validate_source`: is `src` a believable source for a packet arriving on `dev`
    /// (`oif`: where it would be forwarded, 0 for local delivery)? Ok(true): the source is
    /// on a directly connected network through `dev`.
    fn fib_validate_source(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        src: u32,
        dst: u32,
        oif: u32,
        dev: DevId,
    ) -> Result<bool, i32> {
        let rpf = self.in_dev_conf(dev, Ipv4Conf::RpFilter);
        let ifindex = self.dev(dev).ifindex;
        let tx_redirects = self.in_dev_conf(dev, Ipv4Conf::SendRedirects) != 0;
        if rpf == 0 && (ifindex != oif || !tx_redirects) {
            if self.in_dev_conf(dev, Ipv4Conf::AcceptLocal) != 0 {
                return Ok(false);
            }
            let custom_local = self.fib(ns).is_some_and(|f| f.v4.has_custom_local_routes);
            if !custom_local && !self.fib_has_custom_rules(ns) {
                // inet_lookup_ifaddr_rcu: one of this host's own addresses is a martian.
                if self.ip_dev_find(ns, src).is_some() {
                    return Err(-errno::EINVAL);
                }
                return Ok(false);
            }
        }
        self.fib_validate_source_full(ns, req, src, dst, oif, dev, rpf)
    }

    /// `__fib_validate_source`: the route back to `src`.
    #[allow(clippy::too_many_arguments)]
    fn fib_validate_source_full(
        &self,
        ns: NetnsId,
        req: &RouteGet4Req,
        src: u32,
        dst: u32,
        oif: u32,
        dev: DevId,
        rpf: u32,
    ) -> Result<bool, i32> {
        let last_resort = if rpf != 0 { Err(-EXDEV) } else { Ok(false) };
        let accept_local = self.in_dev_conf(dev, Ipv4Conf::AcceptLocal) != 0;
        let mut fl4 = Flow4 {
            daddr: src,
            dscp: req.tos,
            ..Flow4::default()
        };
        let iif = if oif != 0 { oif } else { LOOPBACK_IFINDEX };
        let l3mdev = self.l3mdev_master_ifindex(dev);
        let l3mdev = self.l3mdev_update_flow(ns, &mut fl4, iif, l3mdev);
        let keys = RuleKeys {
            iif,
            mark: if self.in_dev_conf(dev, Ipv4Conf::SrcVmark) != 0 {
                req.mark
            } else {
                0
            },
            uid: 0,
            saddr: dst,
            proto: 0,
            sport: 0,
            dport: 0,
            l3mdev_dev: l3mdev,
        };
        let Ok(res) = self.fib_lookup_rules(ns, &keys, &fl4) else {
            return last_resort;
        };
        if res.kind != rtn::UNICAST && (res.kind != rtn::LOCAL || !accept_local) {
            return Err(-errno::EINVAL);
        }
        let Some(fib) = res.fib else {
            return last_resort;
        };
        // fib_info_nh_uses_dev, or a local route seen from the loopback.
        let dev_match = fib.nh.dev == Some(dev)
            || (res.kind == rtn::LOCAL && self.dev(dev).flags & iff::LOOPBACK != 0);
        if dev_match {
            return Ok(fib.nh.scope >= RT_SCOPE_HOST);
        }
        if self.in_dev_addrs(dev).is_empty() {
            return last_resort;
        }
        if rpf == 1 {
            return Err(-EXDEV);
        }
        fl4.oif = self.dev(dev).ifindex;
        fl4.ignore_linkstate = true;
        match self.fib_lookup_rules(ns, &keys, &fl4) {
            Ok(r) if r.kind == rtn::UNICAST => {
                Ok(r.fib.is_some_and(|f| f.nh.scope >= RT_SCOPE_HOST))
            }
            _ => Ok(false),
        }
    }
}

/// `res` after `res->fi = NULL; res->table = NULL` (limited broadcast).
fn none_res() -> Res {
    Res {
        fib: None,
        kind: rtn::BROADCAST,
        table: None,
    }
}
