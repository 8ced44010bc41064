//! net/ipv4/fib_frontend.c and the table operations of fib_trie.c: RTM_NEWROUTE /
//! RTM_DELROUTE (`fib_table_insert`, `fib_table_delete`), the routes the kernel adds for
//! addresses (`fib_magic`, `fib_add_ifaddr`, `fib_del_ifaddr`), what device events do to
//! routes (`fib_netdev_event`, `fib_sync_down_dev`, `fib_sync_up`, `fib_flush`) and the dump
//! (`inet_dump_fib`).

use super::semantics::{fib_metrics_match, fib_nh_match, FibAlias, FibConfig, FibInfo, NlInfo};
use super::uapi::{rtn, rtnh_f, rtprot, scope, table};
use super::view::{NhView, RouteView, AF_INET};
use super::NetFib;
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::inet::ifaddr::{prefix_mask_v4, InIfaddr};
use crate::kernel::{Event, Kernel, LinkMsg, NetdevEvent};
use crate::uapi::{errno, iff};
use std::net::{IpAddr, Ipv4Addr};

/// The inetaddr notifier's events (`NETDEV_UP` / `NETDEV_DOWN` for one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InetaddrEvent {
    Up,
    Down,
}

/// NLM_F_* of the route messages.
pub mod nlm_f {
    pub const REPLACE: u16 = 0x100;
    pub const EXCL: u16 = 0x200;
    pub const CREATE: u16 = 0x400;
    pub const APPEND: u16 = 0x800;
    /// NLM_F_DUMP_FILTERED.
    pub const DUMP_FILTERED: u16 = 0x20;
}

/// IFA_F_SECONDARY.
const IFA_F_SECONDARY: u32 = 0x01;
/// IFA_F_NOPREFIXROUTE.
const IFA_F_NOPREFIXROUTE: u32 = 0x200;

/// `struct fib_dump_filter` (`ip_valid_fib_dump_req` fills it from the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FibDumpFilter {
    pub table_id: u32,
    pub protocol: u8,
    pub rt_type: u8,
    pub dev: Option<DevId>,
    pub filter_set: bool,
    /// RTM_F_CLONED asked for the exceptions (none are modelled: nothing to dump) instead
    /// of the routes.
    pub dump_routes: bool,
    pub dump_exceptions: bool,
    /// `rtm_flags & RTM_F_PREFIX`: IPv4 has no prefix routes to dump.
    pub prefix: bool,
}

impl FibDumpFilter {
    /// The filter of a dump without strict checking: everything.
    pub fn all() -> Self {
        FibDumpFilter {
            dump_routes: true,
            dump_exceptions: true,
            ..Default::default()
        }
    }
}

/// Which device event `fib_sync_down_dev` handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SyncEvent {
    Down,
    Unregister,
    Change,
}

impl Kernel {
    /// The routing tables of a namespace.
    pub fn fib(&self, ns: NetnsId) -> Option<&NetFib> {
        self.netns(ns).map(|n| &*n.fib)
    }

    pub(crate) fn fib_mut(&mut self, ns: NetnsId) -> Option<&mut NetFib> {
        self.namespaces.get_mut(&ns).map(|n| &mut *n.fib)
    }

    /// netdevsim's FIB and nexthop offload emulation (`nsim_fib_create`: register_fib_notifier
    /// and register_nexthop_notifier on `devlink_net(devlink)`) marks the routes and nexthops of
    /// its devlink instance's namespace as trapped (RTM_F_TRAP) — that namespace, not the one
    /// a port was moved to.
    pub fn fib_offload_trap(&self, ns: NetnsId) -> bool {
        self.all_devices()
            .any(|d| d.kind.ops().devlink_net(d) == Some(ns))
    }

    /// `fib_dump_info` for alias `fa` of `dst/plen` in table `tb` (`first_of_prefix`: the
    /// first alias of its prefix in the table, the one netdevsim offloads).
    pub fn fib_alias_view(
        &self,
        ns: NetnsId,
        tb: u32,
        dst: u32,
        plen: u8,
        fa: &FibAlias,
        first_of_prefix: bool,
    ) -> RouteView {
        let trapped = first_of_prefix && self.fib_offload_trap(ns);
        self.fib_alias_fill(ns, tb, dst, plen, fa, trapped)
    }

    /// `fib_dump_info` with the offload state already known (a dump asks once).
    fn fib_alias_fill(
        &self,
        ns: NetnsId,
        tb: u32,
        dst: u32,
        plen: u8,
        fa: &FibAlias,
        trapped: bool,
    ) -> RouteView {
        let fi = &fa.info;
        let nh_view = |nh: &super::semantics::FibNh| {
            // fib_nexthop_info: DEAD, LINKDOWN, then ONLINK / OFFLOAD / TRAP of the nexthop.
            let flags = nh.flags
                & (rtnh_f::DEAD
                    | rtnh_f::LINKDOWN
                    | rtnh_f::ONLINK
                    | rtnh_f::OFFLOAD
                    | rtnh_f::TRAP);
            NhView {
                ifindex: nh
                    .dev
                    .and_then(|d| self.try_dev(d))
                    .map_or(0, |d| d.ifindex),
                gateway: nh.gw.map(IpAddr::V4),
                flags: flags as u8,
                hops: nh.weight.saturating_sub(1) as u8,
                flow: nh.flow,
            }
        };
        // fib_dump_info: a nexthop object's current paths (it may have been replaced).
        let nh_nhs;
        let paths = if fi.nh_id != 0 {
            nh_nhs = self.fib_nhs_of_nexthop(ns, fi.nh_id);
            &nh_nhs[..]
        } else {
            &fi.nhs[..]
        };
        let mut nhs: Vec<NhView> = paths.iter().map(nh_view).collect();
        if fi.nh_id != 0 {
            // fib_nexthop_info of an IPv6 gateway (RTA_VIA is not modelled): shown as is.
            for (v, p) in nhs.iter_mut().zip(self.nexthop_paths(ns, fi.nh_id)) {
                v.gateway = p.gw;
            }
        }
        let multipath = nhs.len() > 1;
        // fib_dump_info: a blackhole nexthop makes the route a blackhole.
        let blackhole = fi.nh_id != 0
            && self
                .nexthop_paths(ns, fi.nh_id)
                .first()
                .is_some_and(|p| p.reject);
        let mut flags = if multipath {
            fi.flags
        } else {
            nhs.first().map_or(0, |n| n.flags as u32)
        };
        // nsim_fib4_rt_hw_flags_set: only the alias the FIB notifier announced (the first of
        // its prefix and table) is offloaded.
        if trapped {
            flags |= rtnh_f::RTM_TRAP;
        }
        RouteView {
            family: AF_INET,
            dst_len: plen,
            src_len: 0,
            src: None,
            tos: fa.dscp,
            table: tb,
            protocol: fi.protocol,
            scope: fi.scope,
            kind: if blackhole { rtn::BLACKHOLE } else { fa.kind },
            flags,
            dst: IpAddr::V4(Ipv4Addr::from(dst)),
            priority: fi.priority,
            metrics: fi.metrics.nonzero(),
            prefsrc: fi.prefsrc.map(IpAddr::V4),
            nhs,
            multipath,
            v6: None,
            nh_id: fi.nh_id,
        }
    }

    /// `rtmsg_fib`: RTM_NEWROUTE / RTM_DELROUTE to RTNLGRP_IPV4_ROUTE (and, through
    /// `inet6_rt_notify`, to RTNLGRP_IPV6_ROUTE: the event is the same).
    pub(crate) fn rtmsg_fib(
        &mut self,
        ns: NetnsId,
        msg: LinkMsg,
        mut view: RouteView,
        info: NlInfo,
        nlflags: u16,
    ) {
        if msg == LinkMsg::New {
            // netdevsim offloads a new route from a work item, after this notification.
            view.flags &= !rtnh_f::RTM_TRAP;
        }
        self.events.push(Event::Route {
            msg,
            netns: ns,
            nlflags,
            from_request: info.from_request,
            view: Box::new(view),
        });
    }

    /// `inet_rtm_newroute`: `fib_new_table`, then `fib_table_insert`.
    pub fn inet_rtm_newroute(&mut self, ns: NetnsId, cfg: &FibConfig) -> KResult<()> {
        let Some(fib) = self.fib_mut(ns) else {
            return Err(KernelError::new(errno::ENOBUFS));
        };
        let tb = fib.v4.new_table(cfg.table).id;
        self.fib_table_insert(ns, tb, cfg)?;
        if cfg.kind == rtn::LOCAL {
            if let Some(f) = self.fib_mut(ns) {
                f.v4.has_custom_local_routes = true;
            }
        }
        Ok(())
    }

    /// `inet_rtm_delroute`.
    pub fn inet_rtm_delroute(&mut self, ns: NetnsId, cfg: &FibConfig) -> KResult<()> {
        if cfg.nh_id != 0 && self.nexthop_find(ns, cfg.nh_id).is_none() {
            // inet_rtm_delroute: nexthop_find_by_id.
            return Err(KernelError::new(errno::EINVAL).msg("Nexthop id does not exist"));
        }
        let exists = self.fib(ns).is_some_and(|f| f.v4.get(cfg.table).is_some());
        if !exists {
            return Err(KernelError::new(errno::ESRCH).msg("FIB table does not exist"));
        }
        let tb = if cfg.table == 0 {
            table::MAIN
        } else {
            cfg.table
        };
        self.fib_table_delete(ns, tb, cfg)
    }

    /// `fib_table_insert`.
    pub fn fib_table_insert(&mut self, ns: NetnsId, tb: u32, cfg: &FibConfig) -> KResult<()> {
        let fi = self.fib_create_info(ns, cfg)?;
        let (dst, plen) = (cfg.dst, cfg.dst_len);
        let dscp = cfg.dscp;
        let mut nlflags = nlm_f::EXCL;
        let Some(fib) = self.fib_mut(ns) else {
            return Err(KernelError::new(errno::ENOBUFS));
        };
        let list = fib.v4.new_table(tb).trie.aliases(dst, plen);
        // fib_find_alias: the first alias with dscp <= ours and (priority >= ours or a
        // lower dscp).
        let fa = list
            .iter()
            .position(|a| a.dscp <= dscp && (a.info.priority >= fi.priority || a.dscp < dscp));
        let mut insert_at = fa;
        if let Some(first) =
            fa.filter(|&i| list[i].dscp == dscp && list[i].info.priority == fi.priority)
        {
            if cfg.nlflags & nlm_f::EXCL != 0 {
                return Err(KernelError::new(errno::EEXIST));
            }
            nlflags &= !nlm_f::EXCL;
            let mut fa_match = None;
            let mut after = None;
            for (j, a) in list.iter().enumerate().skip(first) {
                if a.dscp != dscp || a.info.priority != fi.priority {
                    after = Some(j);
                    break;
                }
                // `fa->fa_info == fi`: the shared fib_info is the equal one.
                if a.kind == cfg.kind && a.info.same_as(&fi) {
                    fa_match = Some(j);
                    break;
                }
            }
            if cfg.nlflags & nlm_f::REPLACE != 0 {
                nlflags |= nlm_f::REPLACE;
                if let Some(m) = fa_match {
                    return if m == first {
                        Ok(())
                    } else {
                        Err(KernelError::new(errno::EEXIST))
                    };
                }
                let Some(new) = fib.v4.replace_alias(tb, (dst, plen), first, cfg.kind, fi) else {
                    return Err(KernelError::new(errno::ENOENT));
                };
                let view = self.fib_alias_view(ns, tb, dst, plen, &new, first == 0);
                self.rtmsg_fib(ns, LinkMsg::New, view, cfg.nlinfo, nlflags);
                return Ok(());
            }
            if fa_match.is_some() {
                return Err(KernelError::new(errno::EEXIST));
            }
            if cfg.nlflags & nlm_f::APPEND != 0 {
                nlflags |= nlm_f::APPEND;
                insert_at = after;
            } else {
                insert_at = Some(first);
            }
        }
        if cfg.nlflags & nlm_f::CREATE == 0 {
            return Err(KernelError::new(errno::ENOENT));
        }
        nlflags |= nlm_f::CREATE;
        let (new, at) = fib
            .v4
            .insert_alias(tb, (dst, plen), insert_at, dscp, cfg.kind, fi);
        let view = self.fib_alias_view(ns, tb, dst, plen, &new, at == 0);
        self.rtmsg_fib(ns, LinkMsg::New, view, cfg.nlinfo, nlflags);
        Ok(())
    }

    /// `fib_table_delete`.
    pub fn fib_table_delete(&mut self, ns: NetnsId, tb: u32, cfg: &FibConfig) -> KResult<()> {
        let (dst, plen, dscp) = (cfg.dst, cfg.dst_len, cfg.dscp);
        let Some(table) = self.fib(ns).and_then(|f| f.v4.get(tb)) else {
            return Err(KernelError::new(errno::ESRCH));
        };
        let list = table.trie.aliases(dst, plen);
        let Some(start) = list.iter().position(|a| a.dscp <= dscp) else {
            return Err(KernelError::new(errno::ESRCH));
        };
        let mut found = None;
        for (j, fa) in list.iter().enumerate().skip(start) {
            if fa.dscp != dscp {
                break;
            }
            let fi = &fa.info;
            if (cfg.kind == 0 || fa.kind == cfg.kind)
                && (cfg.scope == scope::NOWHERE || fi.scope == cfg.scope)
                && (cfg.prefsrc == 0 || fi.prefsrc == Some(Ipv4Addr::from(cfg.prefsrc)))
                && (cfg.protocol == 0 || fi.protocol == cfg.protocol)
                && fib_nh_match(cfg, fi) == 0
                && fib_metrics_match(cfg.mx.as_deref(), &fi.metrics)
            {
                found = Some(j);
                break;
            }
        }
        let Some(j) = found else {
            return Err(KernelError::new(errno::ESRCH));
        };
        let view = self.fib_alias_view(ns, tb, dst, plen, &list[j], j == 0);
        self.rtmsg_fib(ns, LinkMsg::Del, view, cfg.nlinfo, 0);
        if let Some(f) = self.fib_mut(ns) {
            f.v4.remove_alias(tb, (dst, plen), j);
        }
        Ok(())
    }

    /// `fib_magic`: the kernel's own RTM_NEWROUTE / RTM_DELROUTE for an address (`proto
    /// kernel`, pid 0), errors ignored.
    fn fib_magic(&mut self, add: bool, kind: u8, dst: u32, plen: u8, prim: &InIfaddr, prio: u32) {
        let dev = prim.dev;
        let Some(d) = self.try_dev(dev) else { return };
        let (ns, ifindex) = (d.netns, d.ifindex);
        let tb_id = self
            .l3mdev_fib_table(dev)
            .unwrap_or(if kind == rtn::UNICAST {
                table::MAIN
            } else {
                table::LOCAL
            });
        let Some(fib) = self.fib_mut(ns) else { return };
        let tb = fib.v4.new_table(tb_id).id;
        let cfg = FibConfig {
            protocol: rtprot::KERNEL,
            kind,
            dst,
            dst_len: plen,
            priority: prio,
            prefsrc: u32::from(prim.local),
            oif: ifindex,
            nlflags: nlm_f::CREATE | nlm_f::APPEND,
            table: tb,
            scope: if kind != rtn::LOCAL {
                scope::LINK
            } else {
                scope::HOST
            },
            nlinfo: NlInfo {
                from_request: false,
            },
            ..FibConfig::default()
        };
        let _ = if add {
            self.fib_table_insert(ns, tb, &cfg)
        } else {
            self.fib_table_delete(ns, tb, &cfg)
        };
    }

    /// `inet_ifa_byprefix`: the first address of the device with that mask whose subnet holds
    /// `prefix`.
    fn inet_ifa_byprefix(list: &[InIfaddr], prefix: u32, plen: u8) -> Option<InIfaddr> {
        let mask = prefix_mask_v4(plen);
        list.iter()
            .find(|i| i.prefixlen == plen && (u32::from(i.address) ^ prefix) & mask == 0)
            .cloned()
    }

    /// `fib_add_ifaddr`.
    pub fn fib_add_ifaddr(&mut self, ifa: &InIfaddr) {
        let dev = ifa.dev;
        let Some(d) = self.try_dev(dev) else { return };
        let (up, lo) = (d.flags & iff::UP != 0, d.flags & iff::LOOPBACK != 0);
        let mask = prefix_mask_v4(ifa.prefixlen);
        let addr = u32::from(ifa.local);
        let prefix = u32::from(ifa.address) & mask;
        let prim = if ifa.flags & IFA_F_SECONDARY != 0 {
            match Self::inet_ifa_byprefix(&self.inet_ifa_list(dev), prefix, ifa.prefixlen) {
                Some(p) => p,
                None => return,
            }
        } else {
            ifa.clone()
        };
        self.fib_magic(true, rtn::LOCAL, addr, 32, &prim, 0);
        if !up {
            return;
        }
        let brd = u32::from(ifa.broadcast);
        if brd != 0 && brd != u32::MAX {
            self.fib_magic(true, rtn::BROADCAST, brd, 32, &prim, 0);
        }
        if prefix != 0 && ifa.flags & IFA_F_SECONDARY == 0 && (prefix != addr || ifa.prefixlen < 32)
        {
            if ifa.flags & IFA_F_NOPREFIXROUTE == 0 {
                let kind = if lo { rtn::LOCAL } else { rtn::UNICAST };
                self.fib_magic(true, kind, prefix, ifa.prefixlen, &prim, ifa.rt_priority);
            }
            if ifa.prefixlen < 31 {
                self.fib_magic(true, rtn::BROADCAST, prefix | !mask, 32, &prim, 0);
            }
        }
    }

    /// `fib_modify_prefix_metric`: IFA_RT_PRIORITY changed on an address.
    pub fn fib_modify_prefix_metric(&mut self, ifa: &InIfaddr, new_metric: u32) {
        let Some(d) = self.try_dev(ifa.dev) else {
            return;
        };
        let (up, lo) = (d.flags & iff::UP != 0, d.flags & iff::LOOPBACK != 0);
        let prefix = u32::from(ifa.address) & prefix_mask_v4(ifa.prefixlen);
        if !up
            || ifa.flags & (IFA_F_SECONDARY | IFA_F_NOPREFIXROUTE) != 0
            || prefix == 0
            || (prefix == u32::from(ifa.local) && ifa.prefixlen == 32)
        {
            return;
        }
        let kind = if lo { rtn::LOCAL } else { rtn::UNICAST };
        self.fib_magic(true, kind, prefix, ifa.prefixlen, ifa, new_metric);
        self.fib_magic(false, kind, prefix, ifa.prefixlen, ifa, ifa.rt_priority);
    }

    /// `fib_del_ifaddr(ifa, NULL)`: removes the routes of an address that no other address
    /// of the device still backs. `list` is the device's address list without `ifa`.
    pub fn fib_del_ifaddr(&mut self, ifa: &InIfaddr) {
        const LOCAL_OK: u32 = 1;
        const BRD_OK: u32 = 2;
        const BRD0_OK: u32 = 4;
        const BRD1_OK: u32 = 8;
        let dev = ifa.dev;
        let Some(d) = self.try_dev(dev) else { return };
        let (ns, lo) = (d.netns, d.flags & iff::LOOPBACK != 0);
        let mask = prefix_mask_v4(ifa.prefixlen);
        let brd = u32::from(ifa.address) | !mask;
        let any = u32::from(ifa.address) & mask;
        let list = self.inet_ifa_list(dev);
        let mut ok = 0u32;
        let mut subnet = false;
        let mut gone = true;
        let mut same_prefsrc = false;
        let prim = if ifa.flags & IFA_F_SECONDARY != 0 {
            match Self::inet_ifa_byprefix(&list, any, ifa.prefixlen) {
                Some(p) => p,
                None => return,
            }
        } else {
            if any != 0 && (any != u32::from(ifa.local) || ifa.prefixlen < 32) {
                if ifa.flags & IFA_F_NOPREFIXROUTE == 0 {
                    let kind = if lo { rtn::LOCAL } else { rtn::UNICAST };
                    self.fib_magic(false, kind, any, ifa.prefixlen, ifa, 0);
                }
                subnet = true;
            }
            ifa.clone()
        };
        let matches = |a: &InIfaddr, p: &InIfaddr| {
            a.prefixlen == p.prefixlen
                && (u32::from(a.address) ^ u32::from(p.address)) & prefix_mask_v4(p.prefixlen) == 0
        };
        let mut prim1: Option<InIfaddr> = None;
        for ifa1 in &list {
            if ifa1 == ifa {
                gone = false;
                continue;
            }
            if ifa1.flags & IFA_F_SECONDARY != 0 {
                if matches(ifa1, &prim) {
                    prim1 = Some(prim.clone());
                } else {
                    if !same_prefsrc {
                        continue;
                    }
                    if prim1.as_ref().is_none_or(|p1| !matches(ifa1, p1)) {
                        prim1 =
                            Self::inet_ifa_byprefix(&list, u32::from(ifa1.address), ifa1.prefixlen);
                    }
                    match &prim1 {
                        Some(p1) if p1.local == prim.local => {}
                        _ => continue,
                    }
                }
            } else {
                if prim.local != ifa1.local {
                    continue;
                }
                prim1 = Some(ifa1.clone());
                if prim != *ifa1 {
                    same_prefsrc = true;
                }
            }
            if ifa.local == ifa1.local {
                ok |= LOCAL_OK;
            }
            if ifa.broadcast == ifa1.broadcast {
                ok |= BRD_OK;
            }
            if brd == u32::from(ifa1.broadcast) {
                ok |= BRD1_OK;
            }
            if any == u32::from(ifa1.broadcast) {
                ok |= BRD0_OK;
            }
            if prim1.as_ref() == Some(ifa1) && ifa1.prefixlen < 31 {
                let m1 = prefix_mask_v4(ifa1.prefixlen);
                let brd1 = u32::from(ifa1.address) | !m1;
                let any1 = u32::from(ifa1.address) & m1;
                if any1 != 0 {
                    let b = u32::from(ifa.broadcast);
                    if b == brd1 || b == any1 {
                        ok |= BRD_OK;
                    }
                    if brd == brd1 || brd == any1 {
                        ok |= BRD1_OK;
                    }
                    if any == brd1 || any == any1 {
                        ok |= BRD0_OK;
                    }
                }
            }
        }
        if ok & BRD_OK == 0 {
            self.fib_magic(
                false,
                rtn::BROADCAST,
                u32::from(ifa.broadcast),
                32,
                &prim,
                0,
            );
        }
        if subnet && ifa.prefixlen < 31 {
            if ok & BRD1_OK == 0 {
                self.fib_magic(false, rtn::BROADCAST, brd, 32, &prim, 0);
            }
            if ok & BRD0_OK == 0 {
                self.fib_magic(false, rtn::BROADCAST, any, 32, &prim, 0);
            }
        }
        if ok & LOCAL_OK == 0 {
            let local = u32::from(ifa.local);
            self.fib_magic(false, rtn::LOCAL, local, 32, &prim, 0);
            if gone
                && self.inet_addr_type_dev_table(ns, dev, local) != rtn::LOCAL
                && self.fib_sync_down_addr(dev, local) > 0
            {
                self.fib_flush(ns);
            }
        }
    }

    /// The kernel's walks over the linked `fib_info`s (`fib_info_hash`, `fib_info_devhash`,
    /// `fib_info_laddrhash`, `nh->fi_list`): `change` edits a copy of each of the namespace's
    /// IPv4 `fib_info`s once and says whether it counts; an edited copy becomes the state
    /// every alias sharing it sees. Returns how many counted.
    fn fib_change_infos(
        &mut self,
        ns: NetnsId,
        mut change: impl FnMut(&mut FibInfo) -> bool,
    ) -> usize {
        let Some(fib) = self.fib_mut(ns) else {
            return 0;
        };
        let mut counted = 0;
        let mut changes = Vec::new();
        for fi in fib.v4.infos().iter() {
            let mut new = FibInfo::clone(fi);
            if change(&mut new) {
                counted += 1;
            }
            if new != **fi {
                changes.push((fi.clone(), new));
            }
        }
        fib.v4.apply_info_changes(changes);
        counted
    }

    /// `fib_sync_down_addr`: the routes whose preferred source was `local` die.
    fn fib_sync_down_addr(&mut self, dev: DevId, local: u32) -> usize {
        if local == 0 {
            return 0;
        }
        let tb_id = self.l3mdev_fib_table(dev).unwrap_or(table::MAIN);
        let ns = self.dev(dev).netns;
        let local = Some(Ipv4Addr::from(local));
        self.fib_change_infos(ns, |fi| {
            if fi.tb_id != tb_id || fi.prefsrc != local {
                return false;
            }
            fi.flags |= rtnh_f::DEAD;
            fi.pfsrc_removed = true;
            true
        })
    }

    /// `__remove_nexthop_fib` (net/ipv4/nexthop.c), IPv4 half: the routes using nexthop `id`
    /// are marked dead and flushed without RTM_DELROUTE.
    pub fn fib_remove_nexthop_routes(&mut self, ns: NetnsId, id: u32) {
        let any = self.fib_change_infos(ns, |fi| {
            if fi.nh_id != id {
                return false;
            }
            fi.flags |= rtnh_f::DEAD;
            true
        });
        if any > 0 {
            self.fib_flush(ns);
        }
    }

    /// The scopes of the IPv4 routes using nexthop `id` (`nh->fi_list`), for
    /// `fib_check_nh_list`.
    pub fn fib_nexthop_route_scopes(&self, ns: NetnsId, id: u32) -> Vec<u8> {
        let mut scopes = Vec::new();
        if let Some(fib) = self.fib(ns) {
            for t in fib.v4.dump_order() {
                for (_, _, aliases) in t.trie.iter() {
                    scopes.extend(
                        aliases
                            .iter()
                            .filter(|fa| fa.info.nh_id == id)
                            .map(|fa| fa.info.scope),
                    );
                }
            }
        }
        scopes
    }

    /// `__nexthop_replace_notify` (net/ipv4/nexthop.c) → `fib_info_notify_update`: every
    /// IPv4 route using nexthop `id` takes its new paths and is announced again with
    /// NLM_F_REPLACE, table by table in dump order.
    pub fn fib_nexthop_replace_notify(&mut self, ns: NetnsId, id: u32) {
        let nhs = self.fib_nhs_of_nexthop(ns, id);
        self.fib_change_infos(ns, |fi| {
            if fi.nh_id == id {
                fi.nhs = nhs.clone();
            }
            false
        });
        let mut updated: Vec<(u32, u32, u8, FibAlias)> = Vec::new();
        let Some(fib) = self.fib(ns) else { return };
        for t in fib.v4.dump_order() {
            for (dst, plen, aliases) in t.trie.iter() {
                for fa in aliases.iter().filter(|fa| fa.info.nh_id == id) {
                    updated.push((t.id, dst, plen, fa.clone()));
                }
            }
        }
        for (tb, dst, plen, fa) in updated {
            let view = self.fib_alias_view(ns, tb, dst, plen, &fa, false);
            self.rtmsg_fib(ns, LinkMsg::New, view, NlInfo::default(), nlm_f::REPLACE);
        }
    }

    /// `fib_flush`: every table drops its dead routes (`fib_table_flush(.., false)`), walking
    /// in reverse key order; only those killed by a vanished prefsrc are announced.
    fn fib_flush(&mut self, ns: NetnsId) {
        let Some(fib) = self.fib(ns) else { return };
        let order: Vec<u32> = fib.v4.dump_order().iter().map(|t| t.id).collect();
        for tb in order {
            let Some(mut gone) = self.fib_mut(ns).map(|f| f.v4.flush_dead(tb)) else {
                return;
            };
            // The trie is walked from its highest key down; a leaf's aliases in list order.
            gone.sort_by_key(|(dst, plen, _)| (std::cmp::Reverse(*dst), std::cmp::Reverse(*plen)));
            for (dst, plen, fa) in gone {
                if fa.info.pfsrc_removed {
                    let view = self.fib_alias_view(ns, tb, dst, plen, &fa, false);
                    self.rtmsg_fib(ns, LinkMsg::Del, view, NlInfo::default(), 0);
                }
            }
        }
    }

    /// `fib_sync_down_dev`: the nexthops through `dev` go dead (down, unregister) or
    /// linkdown (carrier loss); routes whose every nexthop did are counted.
    fn fib_sync_down_dev(&mut self, dev: DevId, ev: SyncEvent, force: bool) -> usize {
        let Some(ns) = self.try_dev(dev).map(|d| d.netns) else {
            return 0;
        };
        // Scope -1 (force) matches no nexthop's scope: even host routes go.
        let skip_scope = (!force).then_some(scope::NOWHERE);
        let gone_flags = match ev {
            SyncEvent::Down | SyncEvent::Unregister => rtnh_f::DEAD | rtnh_f::LINKDOWN,
            SyncEvent::Change => rtnh_f::LINKDOWN,
        };
        self.fib_change_infos(ns, |fi| {
            if !fi.uses_dev(dev) {
                return false;
            }
            let total = fi.nhs.len();
            let mut dead = 0;
            for nh in fi.nhs.iter_mut() {
                if nh.flags & rtnh_f::DEAD != 0 {
                    dead += 1;
                } else if nh.dev == Some(dev) && Some(nh.scope) != skip_scope {
                    nh.flags |= gone_flags;
                    dead += 1;
                }
                if ev == SyncEvent::Unregister && nh.dev == Some(dev) {
                    dead = total;
                    break;
                }
            }
            if dead == total {
                fi.flags |= gone_flags;
                return true;
            }
            false
        })
    }

    /// `fib_sync_up`: nexthops through `dev` that had `nh_flags` come back.
    fn fib_sync_up(&mut self, dev: DevId, mut nh_flags: u32) -> usize {
        let Some(d) = self.try_dev(dev) else { return 0 };
        if d.flags & iff::UP == 0 {
            return 0;
        }
        let ns = d.netns;
        if nh_flags & rtnh_f::DEAD != 0 && d.get_flags() & (iff::RUNNING | iff::LOWER_UP) != 0 {
            nh_flags |= rtnh_f::LINKDOWN;
        }
        let up: std::collections::BTreeSet<DevId> = self
            .devices_from(ns, 0)
            .filter(|d| d.flags & iff::UP != 0)
            .map(|d| d.id)
            .collect();
        self.fib_change_infos(ns, |fi| {
            if !fi.uses_dev(dev) {
                return false;
            }
            let mut alive = 0;
            for nh in fi.nhs.iter_mut() {
                if nh.flags & nh_flags == 0 {
                    alive += 1;
                    continue;
                }
                if nh.dev.is_none_or(|d| !up.contains(&d)) || nh.dev != Some(dev) {
                    continue;
                }
                alive += 1;
                nh.flags &= !nh_flags;
            }
            if alive > 0 {
                fi.flags &= !nh_flags;
                return true;
            }
            false
        })
    }

    /// `fib_disable_ip`.
    fn fib_disable_ip(&mut self, dev: DevId, ev: SyncEvent, force: bool) {
        let Some(ns) = self.try_dev(dev).map(|d| d.netns) else {
            return;
        };
        if self.fib_sync_down_dev(dev, ev, force) > 0 {
            self.fib_flush(ns);
        }
    }

    /// `fib_inetaddr_event`: an IPv4 address was added (`Up`: `fib_add_ifaddr`) or removed
    /// (`Down`: `fib_del_ifaddr`, `fib_sync_down_addr`). devinet.c raises it from
    /// `__inet_insert_ifa` / `__inet_del_ifa` (`blocking_notifier_call_chain(&inetaddr_chain)`),
    /// after the address list was updated.
    pub fn fib_inetaddr_event(&mut self, ifa: &InIfaddr, ev: InetaddrEvent) {
        match ev {
            InetaddrEvent::Up => {
                self.fib_add_ifaddr(ifa);
                self.fib_sync_up(ifa.dev, rtnh_f::DEAD);
            }
            InetaddrEvent::Down => {
                self.fib_del_ifaddr(ifa);
                if self.try_dev(ifa.dev).is_some() && self.inet_ifa_list(ifa.dev).is_empty() {
                    // Last address gone: disable IP.
                    self.fib_disable_ip(ifa.dev, SyncEvent::Down, true);
                }
            }
        }
    }

    /// `fib_netdev_event`: the FIB's netdevice notifier (registered right after
    /// `inetdev_event`, by `ip_fib_init`).
    pub fn fib_netdev_event(&mut self, id: DevId, ev: &NetdevEvent) {
        if self.try_dev(id).is_none() {
            return;
        }
        match ev {
            NetdevEvent::Unregister => self.fib_disable_ip(id, SyncEvent::Unregister, true),
            _ if !self.in_dev_present(id) => {}
            NetdevEvent::Up => {
                for ifa in self.inet_ifa_list(id) {
                    self.fib_add_ifaddr(&ifa);
                }
                self.fib_sync_up(id, rtnh_f::DEAD);
            }
            NetdevEvent::Down => self.fib_disable_ip(id, SyncEvent::Down, false),
            NetdevEvent::Change => {
                if self.dev(id).get_flags() & (iff::RUNNING | iff::LOWER_UP) != 0 {
                    self.fib_sync_up(id, rtnh_f::LINKDOWN);
                } else {
                    self.fib_sync_down_dev(id, SyncEvent::Change, false);
                }
            }
            // NETDEV_CHANGEUPPER (fib_netdev_event, net/ipv4/fib_frontend.c): linked to or
            // unlinked from an L3 master, every route goes (forced: host ones too).
            NetdevEvent::ChangeUpper if self.l3mdev_upper(id).is_some() => {
                self.fib_disable_ip(id, SyncEvent::Down, true)
            }
            // fib_sync_mtu only updates cached exceptions, which are not modelled.
            _ => {}
        }
    }

    /// `inet_dump_fib` for one namespace: the routes the filter lets through, with the
    /// message flags each carries, or the dump's error.
    pub fn inet_dump_fib(
        &self,
        ns: NetnsId,
        filter: &FibDumpFilter,
        family_is_inet: bool,
    ) -> KResult<Vec<(RouteView, u16)>> {
        let mut out = Vec::new();
        if filter.prefix {
            return Ok(out);
        }
        let Some(fib) = self.fib(ns) else {
            return Ok(out);
        };
        let tables = if filter.table_id != 0 {
            match fib.v4.get(filter.table_id) {
                Some(t) => vec![t],
                None if !family_is_inet => return Ok(out),
                None => {
                    return Err(
                        KernelError::new(errno::ENOENT).msg("ipv4: FIB table does not exist")
                    )
                }
            }
        } else {
            fib.v4.dump_order()
        };
        let mut flags = 0;
        if filter.filter_set || !filter.dump_exceptions || !filter.dump_routes {
            flags |= nlm_f::DUMP_FILTERED;
        }
        let ns_trap = self.fib_offload_trap(ns);
        for t in tables {
            for (dst, plen, list) in t.trie.iter() {
                for (i, fa) in list.iter().enumerate() {
                    if filter.filter_set {
                        if filter.rt_type != 0 && fa.kind != filter.rt_type {
                            continue;
                        }
                        if filter.protocol != 0 && fa.info.protocol != filter.protocol {
                            continue;
                        }
                        if filter.dev.is_some_and(|d| !fa.info.uses_dev(d)) {
                            continue;
                        }
                    }
                    // Exceptions (RTM_F_CLONED) are not modelled: there are none to dump.
                    if filter.dump_routes {
                        let view = self.fib_alias_fill(ns, t.id, dst, plen, fa, i == 0 && ns_trap);
                        out.push((view, flags));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The IPv4 routes of a table, for tests and the model's own checks.
    pub fn fib4_routes(&self, ns: NetnsId) -> Vec<RouteView> {
        self.inet_dump_fib(ns, &FibDumpFilter::all(), false)
            .map(|v| v.into_iter().map(|(r, _)| r).collect())
            .unwrap_or_default()
    }
}
