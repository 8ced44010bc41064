//! The generic link code: `net/core/rtnetlink.c` (`rtnl_newlink`, `do_setlink`, `rtnl_dellink`)
//! and `net/core/dev.c` (`register_netdevice`, `dev_open`, `dev_change_flags`, ...), calling the
//! kinds' [`LinkOps`] hooks in the kernel's order. Every top-level operation collects the
//! notifications it causes in [`Kernel::take_events`].

use crate::device::{DevId, NetDevice, NetnsId, Qdisc, RegState};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::link_ops::{Kind, LinkOps};
use crate::name::{dev_valid_name, NameTemplate};
use crate::request::LinkRequest;
use crate::uapi::{errno, iff, ifla, name_assign, oper};
use crate::view::LinkView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `struct net`: the per-namespace device tables.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Netns {
    pub id: NetnsId,
    /// `net->dev_by_index`, iterated in ifindex order like `for_each_netdev_dump`.
    pub by_index: BTreeMap<u32, DevId>,
    /// `net->dev_name_head`: names and altnames.
    pub by_name: BTreeMap<String, DevId>,
    /// `net->ifindex`: where `xa_alloc_cyclic` continues.
    pub ifindex_next: u32,
    /// `net->dev_base_seq`: bumped on (un)registration; dumps compare it (NLM_F_DUMP_INTR).
    pub dev_base_seq: u32,
    /// `net->netns_ids`: the ids this namespace gave its peers (`peernet2id_alloc`,
    /// RTM_NEWNSID), in id order like the idr.
    #[serde(default)]
    pub netns_ids: BTreeMap<i32, NetnsId>,
    /// `cleanup_net` is running: `peernet2id_alloc` gives no ids to or in it any more.
    #[serde(default)]
    pub dying: bool,
    /// `net->ipv4` / `net->ipv6` routing tables.
    #[serde(default)]
    pub fib: Box<crate::inet::fib::NetFib>,
    /// `net->rules_ops`: the policy routing rules (`crate::inet::fib_rules`); a state saved
    /// before they existed loads with the default rules.
    #[serde(default)]
    pub fib_rules: crate::inet::fib_rules::NetRules,
    /// `net->ipv4.devconf_{all,dflt}`, `net->ipv6.devconf_{all,dflt}` (`crate::devconf`);
    /// left out of a state file while they hold the compiled values.
    #[serde(default, skip_serializing_if = "crate::devconf::NetConf::is_compiled")]
    pub conf: crate::devconf::NetConf,
    /// The namespace's neighbour entries, proxy entries and per-device parms
    /// (`crate::neigh`).
    #[serde(default)]
    pub neigh: crate::neigh::NeighState,
    /// `net->nexthop`: nexthop objects (`crate::inet::nexthop`).
    #[serde(default)]
    pub nexthops: crate::inet::nexthop::NetNexthops,
    /// `net->ns.inum`: the nsfs inode number (`crate::netns`, `Kernel::netns_inum`); 0 in a
    /// state saved before it existed, given on first use; init_net's is constant (left 0,
    /// and out of the state file).
    #[serde(default, skip_serializing_if = "crate::netns::inum_unset")]
    pub inum: u32,
}

impl Netns {
    pub(crate) fn new(id: NetnsId) -> Self {
        Netns {
            id,
            by_index: BTreeMap::new(),
            by_name: BTreeMap::new(),
            ifindex_next: 1,
            dev_base_seq: 1,
            netns_ids: BTreeMap::new(),
            dying: false,
            fib: Default::default(),
            fib_rules: crate::inet::fib_rules::NetRules::default(),
            conf: crate::devconf::NetConf::default(),
            neigh: Default::default(),
            nexthops: Default::default(),
            inum: 0,
        }
    }
}

/// netdevice notifier events (`NETDEV_*`), for the handlers that react to other devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetdevEvent {
    Up,
    Down,
    Change,
    ChangeMtu,
    ChangeAddr,
    ChangeName,
    ChangeUpper,
    ChangeTxQueueLen,
    Unregister,
}

/// Which rtnetlink message a notification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkMsg {
    New,
    Del,
}

/// A notification, filled at the moment the kernel would have filled it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// RTM_NEWLINK / RTM_DELLINK (family AF_UNSPEC) to RTNLGRP_LINK. `change` is `ifi_change`;
    /// `from_request` means the kernel passed the requester's portid/nlh (creation, deletion),
    /// so the message carries the request's pid and seq.
    Link {
        msg: LinkMsg,
        change: u32,
        from_request: bool,
        ifla_event: u32,
        view: Box<LinkView>,
    },
    /// AF_BRIDGE RTM_NEWLINK / RTM_DELLINK for a bridge port (`br_ifinfo_notify`).
    BridgePort { msg: LinkMsg, view: Box<LinkView> },
    /// PF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH to RTNLGRP_NEIGH (`fdb_notify`,
    /// `rtnl_fdb_notify`).
    Fdb {
        msg: LinkMsg,
        netns: NetnsId,
        fdb: Box<crate::fdb::FdbMsg>,
    },
    /// RTM_NEWNSID (`msg` New) / RTM_DELNSID (Del) to RTNLGRP_NSID of `netns`
    /// (`rtnl_net_notifyid`): `netns` gave (or took back) id `nsid` for a peer.
    /// `from_request`: RTM_NEWNSID answering a request (`rtnl_net_newid`) carries the
    /// requester's portid and seq, and honours NLM_F_ECHO.
    Nsid {
        msg: LinkMsg,
        netns: NetnsId,
        nsid: i32,
        from_request: bool,
    },
    /// RTM_NEWROUTE (`msg` New) / RTM_DELROUTE to RTNLGRP_IPV4_ROUTE or RTNLGRP_IPV6_ROUTE
    /// (by `view.family`) of `netns` (`rtmsg_fib`, `inet6_rt_notify`). `nlflags` are the
    /// message's NLM_F_* flags; `from_request`: the requester's portid and seq, NLM_F_ECHO
    /// honoured (the kernel's own routes carry pid 0).
    Route {
        msg: LinkMsg,
        netns: NetnsId,
        nlflags: u16,
        from_request: bool,
        view: Box<crate::inet::fib::view::RouteView>,
    },
    /// RTM_NEWADDR / RTM_DELADDR to RTNLGRP_IPV4_IFADDR or RTNLGRP_IPV6_IFADDR (`rtmsg_ifa`,
    /// `inet6_ifa_notify`). `from_request`: IPv4's `rtmsg_ifa` got the requester's portid
    /// and nlh (pid, seq, NLM_F_ECHO); IPv6 notifications never do.
    Addr {
        msg: LinkMsg,
        netns: NetnsId,
        from_request: bool,
        view: Box<crate::inet::ifaddr::AddrView>,
    },
    /// RTM_NEWRULE / RTM_DELRULE to the family's rule group (`notify_rule_change`).
    /// `from_request`: the message carries the requester's portid and seq and honours
    /// NLM_F_ECHO; the vrf driver's own rules carry port id 0 and seq 0.
    Rule {
        msg: LinkMsg,
        netns: NetnsId,
        view: Box<crate::inet::fib_rules::RuleView>,
        from_request: bool,
    },
    /// AF_INET6 RTM_NEWLINK with port id 0 and seq 0 to RTNLGRP_IPV6_IFINFO
    /// (`inet6_ifinfo_notify`), with its IFLA_INET6_CACHEINFO (`Kernel::inet6_cacheinfo`).
    Inet6Ifinfo {
        netns: NetnsId,
        view: Box<LinkView>,
        cacheinfo: [u32; 4],
    },
    /// RTM_NEWNETCONF / RTM_DELNETCONF with port id 0 to RTNLGRP_IPV4_NETCONF or
    /// RTNLGRP_IPV6_NETCONF (`inet_netconf_notify_devconf`, `inet6_netconf_notify_devconf`).
    Netconf {
        msg: LinkMsg,
        netns: NetnsId,
        view: crate::inet::netconf::NetconfView,
    },
    /// AF_INET / AF_INET6 RTM_NEWNEIGH / RTM_DELNEIGH to RTNLGRP_NEIGH (`__neigh_notify`).
    /// `from_request`: the message carries the requester's port id (seq 0).
    Neigh {
        msg: LinkMsg,
        netns: NetnsId,
        neigh: Box<crate::neigh::NeighMsg>,
        from_request: bool,
    },
    /// RTM_NEWNEXTHOP / RTM_DELNEXTHOP to RTNLGRP_NEXTHOP (`nexthop_notify`): with
    /// `from_request` the message carries the request's portid, seq and `nlflags`, and
    /// honours NLM_F_ECHO.
    Nexthop {
        msg: LinkMsg,
        netns: NetnsId,
        view: Box<crate::inet::nexthop::NexthopView>,
        nlflags: u16,
        from_request: bool,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kernel {
    /// Boxed: a B-tree node then holds pointers, not half-empty slots of a 400-byte struct
    /// (resident memory per link).
    pub(crate) devices: BTreeMap<DevId, Box<NetDevice>>,
    pub(crate) namespaces: BTreeMap<NetnsId, Netns>,
    pub(crate) next_dev_id: u64,
    pub(crate) next_netns_id: u32,
    pub(crate) rng: SeededRng,
    /// Open driver files (`/dev/net/tun`'s `struct tun_file`), by the id the driver's open
    /// gave them.
    #[serde(default, alias = "tun_files")]
    pub(crate) files: BTreeMap<u64, crate::netdev_priv::DriverFile>,
    #[serde(default, alias = "next_tun_file")]
    pub(crate) next_file: u64,
    /// Devices with a pending linkwatch event, in the order they were queued
    /// (`linkwatch_add_event` appends).
    #[serde(skip)]
    pub(crate) linkwatch_pending: Vec<DevId>,
    /// Devices created by rtnl_newlink whose creation is not yet announced
    /// (`RTNL_LINK_INITIALIZING`: `register_netdevice` stays silent for them).
    #[serde(skip)]
    pub(crate) initializing: Vec<DevId>,
    #[serde(skip)]
    pub(crate) events: Vec<Event>,
    /// `/run/netns` and its namespace mounts (`crate::nsproxy`).
    #[serde(default)]
    pub(crate) run_netns: crate::nsproxy::NetnsRunDir,
    /// Tasks outside the initial namespace, by thread id (`crate::nsproxy`).
    #[serde(skip)]
    pub(crate) tasks: BTreeMap<u32, crate::nsproxy::TaskNs>,
    /// Open nsfs files (the launcher's stand-ins), by socket inode (`crate::nsproxy`).
    #[serde(skip)]
    pub(crate) ns_files: BTreeMap<u64, NetnsId>,
    /// The simulated clock and the pending timers (`crate::time`); a state saved before the
    /// clock existed loads at boot time with none pending.
    #[serde(default)]
    pub(crate) clock: crate::time::Clock,
}

pub(crate) const INIT_NET: NetnsId = NetnsId(0);

/// `IFLA_EVENT_FEATURES` (include/uapi/linux/if_link.h).
pub const IFLA_EVENT_FEATURES: u32 = 2;

impl Kernel {
    /// A fresh kernel: the initial namespace holding only `lo`, as `unshare -n` shows it.
    pub fn new(seed: u64) -> Self {
        let mut k = Kernel {
            devices: BTreeMap::new(),
            namespaces: BTreeMap::new(),
            next_dev_id: 1,
            next_netns_id: 1,
            rng: SeededRng::new(seed),
            files: BTreeMap::new(),
            next_file: 1,
            linkwatch_pending: Vec::new(),
            initializing: Vec::new(),
            events: Vec::new(),
            run_netns: Default::default(),
            tasks: BTreeMap::new(),
            ns_files: BTreeMap::new(),
            clock: crate::time::Clock::default(),
        };
        k.namespaces.insert(INIT_NET, Netns::new(INIT_NET));
        let mut lo = k.alloc_netdev(INIT_NET, Kind::loopback(), "lo");
        lo.name_assign_type = name_assign::UNKNOWN;
        // `loopback_net_init` registers lo first, so it gets ifindex 1 (`LOOPBACK_IFINDEX`).
        if let Err(e) = k.register_netdevice(lo) {
            unreachable!("registering lo in an empty namespace cannot fail: {e}");
        }
        k.events.clear();
        k
    }

    pub fn init_net(&self) -> NetnsId {
        INIT_NET
    }

    // ----- lookups -------------------------------------------------------------------------

    pub fn dev(&self, id: DevId) -> &NetDevice {
        &self.devices[&id]
    }

    pub fn dev_mut(&mut self, id: DevId) -> &mut NetDevice {
        self.devices
            .get_mut(&id)
            .expect("model invariant: live DevId")
    }

    pub fn try_dev(&self, id: DevId) -> Option<&NetDevice> {
        self.devices.get(&id).map(|b| &**b)
    }

    pub fn netns(&self, ns: NetnsId) -> Option<&Netns> {
        self.namespaces.get(&ns)
    }

    /// `__dev_get_by_index`.
    pub fn dev_by_index(&self, ns: NetnsId, ifindex: u32) -> Option<DevId> {
        self.namespaces.get(&ns)?.by_index.get(&ifindex).copied()
    }

    /// `__dev_get_by_name` / `netdev_name_node_lookup` (names and altnames).
    pub fn dev_by_name(&self, ns: NetnsId, name: &str) -> Option<DevId> {
        self.namespaces.get(&ns)?.by_name.get(name).copied()
    }

    /// Devices of a namespace in ifindex order, starting at `from` (dump cursors resume here).
    pub fn devices_from(&self, ns: NetnsId, from: u32) -> impl Iterator<Item = &NetDevice> + '_ {
        self.namespaces
            .get(&ns)
            .into_iter()
            .flat_map(move |n| n.by_index.range(from..).map(|(_, id)| &*self.devices[id]))
    }

    pub fn all_devices(&self) -> impl Iterator<Item = &NetDevice> + '_ {
        self.devices.values().map(|b| &**b)
    }

    /// Whether the namespace may hold IP addresses, which the model does not track yet: the
    /// kernel adds 127.0.0.1/::1 to lo and IPv6 link-locals (addrconf_dev_config) only when a
    /// device comes up, and a device that has been up has had its qdisc attached
    /// (`dev_activate`), so before that the address table is exactly empty.
    pub fn may_have_addresses(&self, ns: NetnsId) -> bool {
        self.devices_from(ns, 0)
            .any(|d| d.is_running() || d.qdisc != Qdisc::Noop)
    }

    pub fn dev_base_seq(&self, ns: NetnsId) -> u32 {
        self.namespaces.get(&ns).map_or(0, |n| n.dev_base_seq)
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub fn rng(&mut self) -> &mut SeededRng {
        &mut self.rng
    }

    pub(crate) fn ops(&self, id: DevId) -> &'static dyn LinkOps {
        self.dev(id).kind.ops()
    }

    // ----- allocation and registration ------------------------------------------------------

    /// `alloc_netdev_mqs` + the kind's `setup`.
    pub fn alloc_netdev(&mut self, ns: NetnsId, kind: Kind, name: &str) -> NetDevice {
        let id = DevId(self.next_dev_id);
        self.next_dev_id += 1;
        let mut dev = NetDevice::alloc(id, ns, kind);
        dev.name = name.to_string();
        let ops = kind.ops();
        let (tx, rx) = ops.default_num_queues();
        dev.num_tx_queues = tx;
        dev.real_num_tx_queues = tx;
        dev.num_rx_queues = rx;
        dev.real_num_rx_queues = rx;
        ops.setup(&mut dev, &mut self.rng);
        dev
    }

    fn names_in_use(&self, ns: NetnsId) -> impl Iterator<Item = &str> + '_ {
        self.namespaces
            .get(&ns)
            .into_iter()
            .flat_map(|n| n.by_name.keys().map(String::as_str))
    }

    /// `dev_prep_valid_name` / `dev_get_valid_name`: validate, expand a `%d` template, refuse a
    /// name in use with `dup_errno`.
    pub fn dev_get_valid_name(&self, ns: NetnsId, want: &str, dup_errno: i32) -> KResult<String> {
        if !dev_valid_name(want) {
            return err(errno::EINVAL);
        }
        if let Some(t) = NameTemplate::parse(want) {
            return t?.alloc(self.names_in_use(ns));
        }
        if self.dev_by_name(ns, want).is_some() {
            return err(dup_errno);
        }
        Ok(want.to_string())
    }

    /// `dev_index_reserve`: the requested index, or the next free one cyclically.
    pub(crate) fn dev_index_reserve(&mut self, ns: NetnsId, want: u32) -> KResult<u32> {
        let n = self
            .namespaces
            .get_mut(&ns)
            .ok_or_else(|| KernelError::new(errno::ENODEV))?;
        if want > i32::MAX as u32 {
            return err(errno::EINVAL);
        }
        if want != 0 {
            // xa_insert on an occupied slot.
            if n.by_index.contains_key(&want) {
                return err(errno::EBUSY);
            }
            return Ok(want);
        }
        // xa_alloc_cyclic(..., xa_limit_31b, &net->ifindex): first free >= next, wrapping to 1.
        let start = n.ifindex_next.max(1);
        let mut idx = start;
        loop {
            if !n.by_index.contains_key(&idx) {
                n.ifindex_next = if idx == i32::MAX as u32 { 1 } else { idx + 1 };
                return Ok(idx);
            }
            idx = if idx == i32::MAX as u32 { 1 } else { idx + 1 };
            if idx == start {
                return err(errno::ENOSPC);
            }
        }
    }

    /// `register_netdevice`: name, ifindex, list, NETDEV_REGISTER, and (unless rtnl_newlink is
    /// still configuring it) the RTM_NEWLINK announcement.
    pub fn register_netdevice(&mut self, mut dev: NetDevice) -> KResult<DevId> {
        let ns = dev.netns;
        dev.name = self.dev_get_valid_name(ns, &dev.name, errno::EEXIST)?;
        dev.ifindex = self.dev_index_reserve(ns, dev.ifindex)?;
        let id = dev.id;
        // `linkwatch_init_dev`: pre-registration carrier/dormant state gets an operstate now.
        let needs_policy = !dev.carrier || dev.dormant || dev.testing;
        let n = self
            .namespaces
            .get_mut(&ns)
            .expect("checked by dev_index_reserve");
        n.by_index.insert(dev.ifindex, id);
        n.by_name.insert(dev.name.clone(), id);
        for alt in &dev.altnames {
            n.by_name.insert(alt.clone(), id);
        }
        n.dev_base_seq = n.dev_base_seq.wrapping_add(1);
        self.devices.insert(id, Box::new(dev));
        if needs_policy {
            self.rfc2863_policy(id);
        }
        // NETDEV_REGISTER: fib_rules_event binds rules naming it, inetdev_event /
        // addrconf_notify give it its IPv4/IPv6 state.
        self.fib_rules_register_event(id);
        self.inet_register(id);
        self.devconf_register(id);
        self.netconf_track(id, (false, false), ns, self.dev(id).ifindex);
        if !self.initializing.contains(&id) {
            self.notify_link(id, LinkMsg::New, !0, false);
        }
        Ok(id)
    }

    /// `register_netdevice` for a device `rtnl_newlink` is still configuring
    /// (`RTNL_LINK_INITIALIZING`): announced later by `rtnl_configure_link`.
    pub fn begin_initializing(&mut self, dev: NetDevice) -> KResult<DevId> {
        let id = dev.id;
        self.initializing.push(id);
        self.register_netdevice(dev)
            .inspect_err(|_| self.initializing.retain(|d| *d != id))
    }

    /// Removes a device from its namespace's tables (`unlist_netdevice`).
    pub(crate) fn unlist_netdevice(&mut self, id: DevId) {
        let (ns, ifindex, names) = {
            let d = self.dev(id);
            let mut names = d.altnames.clone();
            names.push(d.name.clone());
            (d.netns, d.ifindex, names)
        };
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.by_index.remove(&ifindex);
            for name in names {
                n.by_name.remove(&name);
            }
            n.dev_base_seq = n.dev_base_seq.wrapping_add(1);
        }
    }

    /// `unregister_netdevice_many_notify`: close them all, unlist, NETDEV_UNREGISTER (masters
    /// and uppers let go), then RTM_DELLINK for each.
    pub fn unregister_many(&mut self, ids: &[DevId], from_request: bool) {
        let ids: Vec<DevId> = ids
            .iter()
            .copied()
            .filter(|id| self.devices.contains_key(id))
            .collect();
        // dev_close_many: every device that is up goes down first.
        for &id in &ids {
            if self.try_dev(id).is_some_and(|d| d.is_running()) {
                self.dev_close(id);
            }
        }
        // A notifier of an earlier device may already have taken a later one with it.
        let ids: Vec<DevId> = ids
            .into_iter()
            .filter(|id| self.devices.contains_key(id))
            .collect();
        for &id in &ids {
            self.unlist_netdevice(id);
            let d = self.dev_mut(id);
            d.reg_state = RegState::Unregistering;
            // dev_shutdown: the qdisc goes back to noop before the RTM_DELLINK is built.
            d.qdisc = Qdisc::Noop;
        }
        for &id in &ids {
            if !self.devices.contains_key(&id) {
                continue;
            }
            self.call_netdevice_notifiers(id, NetdevEvent::Unregister);
            if !self.devices.contains_key(&id) {
                continue;
            }
            // The RTM_DELLINK is built here but sent after `ndo_uninit` (whose port releases
            // announce themselves first).
            let del = (!self.initializing.contains(&id)).then(|| {
                self.link_netnsid_alloc(id);
                Box::new(self.fill(id))
            });
            let ops = self.ops(id);
            ops.uninit(self, id);
            if let Some(view) = del {
                self.events.push(Event::Link {
                    msg: LinkMsg::Del,
                    change: !0,
                    from_request,
                    ifla_event: 0,
                    view,
                });
            }
            self.initializing.retain(|d| *d != id);
            self.linkwatch_pending.retain(|d| *d != id);
            if self.devices.contains_key(&id) {
                self.unlink_lower(id);
            }
            self.devices.remove(&id);
        }
    }

    // ----- notifications -------------------------------------------------------------------

    pub(crate) fn notify_link(&mut self, id: DevId, msg: LinkMsg, change: u32, from_request: bool) {
        self.link_netnsid_alloc(id);
        let view = Box::new(self.fill(id));
        self.events.push(Event::Link {
            msg,
            change,
            from_request,
            ifla_event: 0,
            view,
        });
    }

    /// `rtmsg_ifinfo(RTM_NEWLINK, dev, change, ...)`, silent for devices that are not (or no
    /// longer) registered, like `rtmsg_ifinfo_event`.
    pub fn rtmsg_ifinfo(&mut self, id: DevId, change: u32) {
        if self.dev(id).reg_state == RegState::Registered {
            self.notify_link(id, LinkMsg::New, change, false);
        }
    }

    /// NETDEV_FEAT_CHANGE as rtnetlink_event reports it: RTM_NEWLINK with IFLA_EVENT_FEATURES.
    pub fn netdev_features_change(&mut self, id: DevId) {
        if self.dev(id).reg_state == RegState::Registered {
            self.link_netnsid_alloc(id);
            let view = Box::new(self.fill(id));
            self.events.push(Event::Link {
                msg: LinkMsg::New,
                change: 0,
                from_request: false,
                ifla_event: IFLA_EVENT_FEATURES,
                view,
            });
        }
    }

    /// `br_ifinfo_notify` and friends: an AF_BRIDGE copy of a port's state.
    pub fn notify_bridge_port(&mut self, id: DevId, msg: LinkMsg) {
        let view = Box::new(self.fill(id));
        self.events.push(Event::BridgePort { msg, view });
    }

    /// `call_netdevice_notifiers`: rtnetlink's own handler first (it registered at boot), then
    /// the master's handler for its port.
    pub fn call_netdevice_notifiers(&mut self, id: DevId, ev: NetdevEvent) {
        // rtnetlink_event: these events announce the device again.
        if matches!(
            ev,
            NetdevEvent::ChangeMtu
                | NetdevEvent::ChangeAddr
                | NetdevEvent::ChangeName
                | NetdevEvent::ChangeUpper
                | NetdevEvent::ChangeTxQueueLen
        ) {
            self.rtmsg_ifinfo(id, 0);
        }
        // fib_rules_event (net/core) and nh_netdev_event (net/ipv4) are subsys_initcalls,
        // registered in link order before inet_init's (fs_initcall) inetdev_event and
        // fib_netdev_event (ip_rt_init registers them in that order); addrconf_notify
        // follows, and all of them come before any driver's notifier.
        self.fib_rules_event(id, &ev);
        self.nh_netdev_event(id, &ev);
        let netconf_before = self.netconf_state(id);
        let (ns, ifindex) = (self.dev(id).netns, self.dev(id).ifindex);
        self.inet_netdev_event(id, &ev);
        self.netconf_track(id, netconf_before, ns, ifindex);
        self.fib_netdev_event(id, &ev);
        // arp_netdev_event / ndisc_netdev_event and the neigh_ifdown of fib_disable_ip /
        // rt6_disable_ip.
        self.neigh_netdev_event(id, &ev);
        if let Some(master) = self.dev(id).master {
            let ops = self.ops(master);
            // Errors from port handlers only matter for PRE* events, which the model does not
            // raise; the rest are informational in the kernel too.
            let _ = ops.port_event(self, master, id, &ev);
        }
        // The stacked drivers' notifiers (vlan_device_event, macvlan_device_event, ...), each
        // for the devices it stacked on this one.
        for upper in self.dev(id).uppers.clone() {
            if self.devices.contains_key(&upper) {
                let ops = self.ops(upper);
                ops.lower_event(self, upper, id, &ev);
            }
        }
        // ip6_route_dev_notify runs at a lower priority than every other notifier.
        self.ip6_route_dev_notify(id, &ev);
    }

    /// Stacks `upper` on `lower` (the upper's IFLA_LINK; `netdev_upper_dev_link` for
    /// stacked drivers).
    pub fn link_lower(&mut self, upper: DevId, lower: DevId) {
        self.dev_mut(upper).lower = Some(lower);
        if !self.dev(lower).uppers.contains(&upper) {
            self.dev_mut(lower).uppers.push(upper);
        }
    }

    /// Undoes [`Kernel::link_lower`].
    pub fn unlink_lower(&mut self, upper: DevId) {
        if let Some(lower) = self.dev_mut(upper).lower.take() {
            if let Some(l) = self.devices.get_mut(&lower) {
                l.uppers.retain(|u| *u != upper);
            }
        }
    }

    /// `netdev_rx_handler_register`: one consumer of a device's frames at a time.
    pub fn rx_handler_register(&mut self, id: DevId, h: crate::device::RxHandler) -> KResult<()> {
        let no_rx_handler = self.ops(id).no_rx_handler();
        let d = self.dev_mut(id);
        if d.rx_handler.is_some() {
            return err(errno::EBUSY);
        }
        if no_rx_handler {
            return err(errno::EINVAL);
        }
        d.rx_handler = Some(h);
        Ok(())
    }

    /// `netdev_rx_handler_unregister`.
    pub fn rx_handler_unregister(&mut self, id: DevId) {
        self.dev_mut(id).rx_handler = None;
    }

    /// `netdev_state_change`: NETDEV_CHANGE and an RTM_NEWLINK, only while up.
    pub fn netdev_state_change(&mut self, id: DevId) {
        if self.dev(id).is_running() {
            self.call_netdevice_notifiers(id, NetdevEvent::Change);
            self.rtmsg_ifinfo(id, 0);
        }
    }

    // ----- carrier and operstate (net/sched/sch_generic.c, net/core/link_watch.c) ----------

    /// `netif_carrier_on`.
    pub fn netif_carrier_on(&mut self, id: DevId) {
        let d = self.dev_mut(id);
        if !d.carrier {
            d.carrier = true;
            // atomic_inc(&dev->carrier_up_count): wraps, as any loaded value may.
            d.carrier_up_count = d.carrier_up_count.wrapping_add(1);
            self.linkwatch_fire_event(id);
        }
    }

    /// `netif_carrier_off`.
    pub fn netif_carrier_off(&mut self, id: DevId) {
        let d = self.dev_mut(id);
        if d.carrier {
            d.carrier = false;
            // atomic_inc(&dev->carrier_down_count): wraps.
            d.carrier_down_count = d.carrier_down_count.wrapping_add(1);
            self.linkwatch_fire_event(id);
        }
    }

    pub fn linkwatch_fire_event(&mut self, id: DevId) {
        if !self.linkwatch_pending.contains(&id) {
            self.linkwatch_pending.push(id);
        }
    }

    /// `netif_dormant_on` / `netif_dormant_off`.
    pub fn netif_dormant(&mut self, id: DevId, on: bool) {
        let d = self.dev_mut(id);
        if d.dormant != on {
            d.dormant = on;
            self.linkwatch_fire_event(id);
        }
    }

    /// `netif_testing_on` / `netif_testing_off`.
    pub fn netif_testing(&mut self, id: DevId, on: bool) {
        let d = self.dev_mut(id);
        if d.testing != on {
            d.testing = on;
            self.linkwatch_fire_event(id);
        }
    }

    /// `netif_stacked_transfer_operstate` (net/core/dev.c): a stacked device (vlan, macvlan,
    /// ipvlan) copies dormant, testing and carrier from its lower device.
    pub fn netif_stacked_transfer_operstate(&mut self, root: DevId, dev: DevId) {
        let (op, carrier) = (self.dev(root).operstate, self.dev(root).carrier);
        self.netif_dormant(dev, op == oper::DORMANT);
        self.netif_testing(dev, op == oper::TESTING);
        if carrier {
            self.netif_carrier_on(dev);
        } else {
            self.netif_carrier_off(dev);
        }
    }

    /// `dev_uc_add` (net/core/dev_addr_lists.c): a refcounted unicast filter entry.
    pub fn dev_uc_add(&mut self, id: DevId, addr: HwAddr) {
        let d = self.dev_mut(id);
        match d.uc.iter_mut().find(|e| e.0 == addr) {
            Some(e) => e.1 = e.1.saturating_add(1),
            None => d.uc.push((addr, 1)),
        }
        self.dev_set_rx_mode(id);
    }

    /// `dev_uc_del`.
    pub fn dev_uc_del(&mut self, id: DevId, addr: HwAddr) {
        let d = self.dev_mut(id);
        let Some(pos) = d.uc.iter().position(|e| e.0 == addr) else {
            return;
        };
        d.uc[pos].1 -= 1;
        if d.uc[pos].1 == 0 {
            d.uc.remove(pos);
        }
        self.dev_set_rx_mode(id);
    }

    /// `__dev_set_rx_mode`: a device without IFF_UNICAST_FLT goes promiscuous (silently) while
    /// its unicast list is not empty; only while it is up.
    pub fn dev_set_rx_mode(&mut self, id: DevId) {
        if self.dev(id).flags & iff::UP == 0 {
            return;
        }
        if !self.ops(id).unicast_flt() {
            let d = self.dev(id);
            if !d.uc.is_empty() && !d.uc_promisc {
                self.dev_mut(id).uc_promisc = true;
                self.dev_set_promiscuity(id, 1);
            } else if d.uc.is_empty() && d.uc_promisc {
                self.dev_mut(id).uc_promisc = false;
                self.dev_set_promiscuity(id, -1);
            }
        }
        // ndo_set_rx_mode of stacked drivers: their address lists go to the lower devices.
        let targets = self.ops(id).rx_mode_sync_targets(self, id);
        self.dev_addr_sync_targets(id, &targets);
    }

    /// `default_operstate` (net/core/link_watch.c).
    fn default_operstate(&self, id: DevId) -> u8 {
        let d = self.dev(id);
        if d.testing {
            return oper::TESTING;
        }
        if !d.carrier {
            // The link is looked up by ifindex in the device's own namespace (6.12.33), and
            // its carrier (not its operstate) decides: a lower without carrier is the reason.
            let ops = d.kind.ops();
            let iflink = match ops.iflink(self, d).and_then(|l| self.try_dev(l)) {
                Some(l) => l.ifindex,
                None => ops.iflink_without_link(d),
            };
            if iflink == d.ifindex {
                return oper::DOWN;
            }
            return match self.dev_by_index(d.netns, iflink).map(|p| self.dev(p)) {
                Some(p) if !p.carrier => oper::LOWERLAYERDOWN,
                _ => oper::DOWN,
            };
        }
        if d.dormant {
            return oper::DORMANT;
        }
        oper::UP
    }

    /// `rfc2863_policy`.
    fn rfc2863_policy(&mut self, id: DevId) {
        let mut state = self.default_operstate(id);
        let d = self.dev_mut(id);
        if state == d.operstate {
            return;
        }
        match d.link_mode {
            crate::uapi::link_mode::TESTING if state == oper::UP => state = oper::TESTING,
            crate::uapi::link_mode::DORMANT if state == oper::UP => state = oper::DORMANT,
            _ => {}
        }
        d.operstate = state;
    }

    /// `linkwatch_run_queue` / `linkwatch_do_dev`: the kernel runs it asynchronously after the
    /// request; the model runs it at the end of every operation, in queue order, so the
    /// outcome is the settled state the catalog measures after `sleep 1`.
    pub fn linkwatch_run_queue(&mut self) {
        while !self.linkwatch_pending.is_empty() {
            let id = self.linkwatch_pending.remove(0);
            if !self.devices.contains_key(&id) {
                continue;
            }
            self.rfc2863_policy(id);
            if self.dev(id).is_running() {
                self.dev_activate(id);
                self.netdev_state_change(id);
            }
        }
    }

    /// `dev_activate`: attach the default qdisc on first activation.
    fn dev_activate(&mut self, id: DevId) {
        let d = self.dev_mut(id);
        if d.qdisc == Qdisc::Noop {
            // The 6.12 oracle's default qdisc is fq_codel (CONFIG_DEFAULT_NET_SCH): an up
            // macvtap shows `qdisc fq_codel` (macvtap-ipvtap#15).
            d.qdisc = if d.no_queue {
                Qdisc::Noqueue
            } else {
                Qdisc::FqCodel
            };
        }
    }

    // ----- open / close / flags ------------------------------------------------------------

    /// `__dev_open`.
    fn dev_open(&mut self, id: DevId) -> KResult<()> {
        let ops = self.ops(id);
        ops.validate_addr(self.dev(id))?;
        // __LINK_STATE_START is set before ndo_open runs: drivers (veth) see themselves running.
        self.dev_mut(id).flags |= iff::UP;
        if let Err(e) = ops.open(self, id) {
            self.dev_mut(id).flags &= !iff::UP;
            return Err(e);
        }
        self.dev_set_rx_mode(id);
        self.dev_activate(id);
        Ok(())
    }

    /// `__dev_close_many` for one device plus the RTM_NEWLINK and NETDEV_DOWN that
    /// `dev_close_many` sends.
    pub fn dev_close(&mut self, id: DevId) {
        let ops = self.ops(id);
        ops.stop(self, id);
        self.dev_mut(id).flags &= !iff::UP;
        self.rtmsg_ifinfo(id, iff::UP | iff::RUNNING);
        self.call_netdevice_notifiers(id, NetdevEvent::Down);
    }

    /// `__dev_change_flags`: returns the old flags and gflags for `__dev_notify_flags`.
    fn __dev_change_flags(&mut self, id: DevId, flags: u32) -> KResult<()> {
        let old_flags = self.dev(id).flags;
        {
            let d = self.dev_mut(id);
            d.flags = (flags
                & (iff::DEBUG
                    | iff::NOTRAILERS
                    | iff::NOARP
                    | iff::DYNAMIC
                    | iff::MULTICAST
                    | iff::PORTSEL
                    | iff::AUTOMEDIA))
                | (d.flags & (iff::UP | iff::VOLATILE | iff::PROMISC | iff::ALLMULTI));
        }
        let mut ret = Ok(());
        if (old_flags ^ flags) & iff::UP != 0 {
            if old_flags & iff::UP != 0 {
                let ops = self.ops(id);
                ops.stop(self, id);
                self.dev_mut(id).flags &= !iff::UP;
            } else {
                ret = self.dev_open(id);
            }
        }
        let gflags = self.dev(id).gflags;
        if (flags ^ gflags) & iff::PROMISC != 0 {
            let inc: i32 = if flags & iff::PROMISC != 0 { 1 } else { -1 };
            self.dev_mut(id).gflags ^= iff::PROMISC;
            self.dev_set_promiscuity(id, inc);
        }
        let gflags = self.dev(id).gflags;
        if (flags ^ gflags) & iff::ALLMULTI != 0 {
            let inc: i32 = if flags & iff::ALLMULTI != 0 { 1 } else { -1 };
            self.dev_mut(id).gflags ^= iff::ALLMULTI;
            self.dev_set_allmulti(id, inc);
        }
        ret
    }

    /// `__dev_notify_flags`.
    fn __dev_notify_flags(&mut self, id: DevId, old_flags: u32, gchanges: u32, from_request: bool) {
        let flags = self.dev(id).flags;
        let changes = flags ^ old_flags;
        if gchanges != 0 && self.dev(id).reg_state == RegState::Registered {
            self.notify_link(id, LinkMsg::New, gchanges, from_request);
        }
        if changes & iff::UP != 0 {
            let ev = if flags & iff::UP != 0 {
                NetdevEvent::Up
            } else {
                NetdevEvent::Down
            };
            self.call_netdevice_notifiers(id, ev);
        }
        if flags & iff::UP != 0
            && changes & !(iff::UP | iff::PROMISC | iff::ALLMULTI | iff::VOLATILE) != 0
        {
            self.call_netdevice_notifiers(id, NetdevEvent::Change);
        }
    }

    /// `dev_change_flags`.
    pub fn dev_change_flags(&mut self, id: DevId, flags: u32) -> KResult<()> {
        let (old_flags, old_gflags) = (self.dev(id).flags, self.dev(id).gflags);
        self.__dev_change_flags(id, flags)?;
        let d = self.dev(id);
        let changes = (old_flags ^ d.flags) | (old_gflags ^ d.gflags);
        self.__dev_notify_flags(id, old_flags, changes, false);
        Ok(())
    }

    /// `rtnl_dev_combine_flags`.
    fn combine_flags(&self, id: DevId, ifi_flags: u32, ifi_change: u32) -> u32 {
        if ifi_change == 0 {
            return ifi_flags;
        }
        (ifi_flags & ifi_change) | (self.dev(id).get_flags() & !ifi_change)
    }

    /// `dev_open` as used by masters that open their ports (bond, team): opens and announces.
    pub fn dev_open_notify(&mut self, id: DevId) -> KResult<()> {
        if self.dev(id).is_running() {
            return Ok(());
        }
        let old = self.dev(id).flags;
        self.dev_open(id)?;
        self.__dev_notify_flags(id, old, iff::UP, false);
        Ok(())
    }

    /// `__dev_set_promiscuity`.
    pub fn dev_set_promiscuity(&mut self, id: DevId, inc: i32) {
        let d = self.dev_mut(id);
        let old = d.flags;
        d.promiscuity = d.promiscuity.saturating_add_signed(inc);
        if d.promiscuity > 0 {
            d.flags |= iff::PROMISC;
        } else {
            d.flags &= !iff::PROMISC;
        }
        if d.flags != old {
            // dev_change_rx_flags
            let ops = self.ops(id);
            ops.change_rx_flags(self, id, iff::PROMISC);
        }
    }

    /// `__dev_set_allmulti`.
    pub fn dev_set_allmulti(&mut self, id: DevId, inc: i32) {
        let d = self.dev_mut(id);
        let old = d.flags;
        d.allmulti = d.allmulti.saturating_add_signed(inc);
        if d.allmulti > 0 {
            d.flags |= iff::ALLMULTI;
        } else {
            d.flags &= !iff::ALLMULTI;
        }
        if d.flags != old {
            // dev_change_rx_flags
            let ops = self.ops(id);
            ops.change_rx_flags(self, id, iff::ALLMULTI);
        }
    }

    // ----- MTU, address, name, master ------------------------------------------------------

    /// `dev_validate_mtu`. The kernel's mtu is an int: values above INT_MAX are negative there.
    pub fn dev_validate_mtu(&self, dev: &NetDevice, mtu: u32) -> KResult<()> {
        if mtu > i32::MAX as u32 || mtu < dev.min_mtu {
            return Err(KernelError::new(errno::EINVAL).msg("mtu less than device minimum"));
        }
        if dev.max_mtu > 0 && mtu > dev.max_mtu {
            return Err(KernelError::new(errno::EINVAL).msg("mtu greater than device maximum"));
        }
        Ok(())
    }

    /// `dev_set_mtu_ext`.
    pub fn dev_set_mtu(&mut self, id: DevId, mtu: u32) -> KResult<()> {
        if self.dev(id).mtu == mtu {
            return Ok(());
        }
        self.dev_validate_mtu(self.dev(id), mtu)?;
        let ops = self.ops(id);
        ops.change_mtu(self, id, mtu)?;
        self.call_netdevice_notifiers(id, NetdevEvent::ChangeMtu);
        Ok(())
    }

    /// `eth_mac_addr`: the `ndo_set_mac_address` of most Ethernet drivers.
    pub fn eth_mac_addr(&mut self, id: DevId, addr: HwAddr) -> KResult<()> {
        let d = self.dev_mut(id);
        if !d.live_addr_change && d.is_running() {
            return err(errno::EBUSY);
        }
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        d.addr = addr;
        Ok(())
    }

    /// `dev_set_mac_address`.
    pub fn dev_set_mac_address(&mut self, id: DevId, raw: &[u8]) -> KResult<()> {
        let ops = self.ops(id);
        if !ops.has_set_mac_address() {
            return err(errno::EOPNOTSUPP);
        }
        let len = self.dev(id).addr.len();
        let addr = HwAddr::from_slice(&raw[..len.min(raw.len())])
            .ok_or_else(|| KernelError::new(errno::EINVAL))?;
        if self.dev(id).addr != addr {
            ops.set_mac_address(self, id, addr)?;
        }
        self.dev_mut(id).addr_assign_type = crate::uapi::addr_assign::SET;
        self.call_netdevice_notifiers(id, NetdevEvent::ChangeAddr);
        Ok(())
    }

    /// `dev_change_name` (6.12: renaming a running device is allowed).
    pub fn dev_change_name(&mut self, id: DevId, newname: &str) -> KResult<()> {
        if self.dev(id).name == newname {
            return Ok(());
        }
        let ns = self.dev(id).netns;
        let name = self.dev_get_valid_name(ns, newname, errno::EEXIST)?;
        let old = std::mem::replace(&mut self.dev_mut(id).name, name.clone());
        self.dev_mut(id).name_assign_type = name_assign::RENAMED;
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.by_name.remove(&old);
            n.by_name.insert(name, id);
        }
        self.call_netdevice_notifiers(id, NetdevEvent::ChangeName);
        Ok(())
    }

    /// `do_set_master`.
    pub fn do_set_master(&mut self, id: DevId, ifindex: u32) -> KResult<()> {
        if let Some(upper) = self.dev(id).master {
            if self.dev(upper).ifindex == ifindex {
                return Ok(());
            }
            let ops = self.ops(upper);
            if !ops.is_master() {
                return err(errno::EOPNOTSUPP);
            }
            ops.del_slave(self, upper, id)?;
        }
        if ifindex != 0 {
            let ns = self.dev(id).netns;
            let upper = self
                .dev_by_index(ns, ifindex)
                .ok_or_else(|| KernelError::new(errno::EINVAL))?;
            let ops = self.ops(upper);
            if !ops.is_master() {
                return err(errno::EOPNOTSUPP);
            }
            ops.add_slave(self, upper, id)?;
        }
        Ok(())
    }

    /// `__netdev_has_upper_dev(dev, upper)`: `upper` is above `dev`, through master links and
    /// stacked devices.
    pub fn netdev_has_upper_dev(&self, dev: DevId, upper: DevId) -> bool {
        let mut todo = vec![dev];
        let mut seen = Vec::new();
        while let Some(d) = todo.pop() {
            if seen.contains(&d) {
                continue;
            }
            seen.push(d);
            let Some(dd) = self.try_dev(d) else { continue };
            for u in dd.master.iter().chain(dd.uppers.iter()) {
                if *u == upper {
                    return true;
                }
                todo.push(*u);
            }
        }
        false
    }

    /// `netdev_master_upper_dev_link` / `_unlink`: the upper link plus NETDEV_CHANGEUPPER.
    /// `__netdev_upper_dev_link` refuses first, in its order: a device as its own upper, a
    /// loop (the port is already above the master), a second master (EEXIST for the same one).
    /// Each kind unwinds what it did before the link, as its add-port error path does.
    pub fn master_upper_dev_link(&mut self, port: DevId, master: DevId) -> KResult<()> {
        if port == master || self.netdev_has_upper_dev(master, port) {
            return err(errno::EBUSY);
        }
        if let Some(m) = self.dev(port).master {
            return err(if m == master {
                errno::EEXIST
            } else {
                errno::EBUSY
            });
        }
        // IFF_SLAVE is not part of the upper link: only bond sets it on its slaves.
        self.dev_mut(port).master = Some(master);
        self.call_netdevice_notifiers(port, NetdevEvent::ChangeUpper);
        Ok(())
    }

    pub fn master_upper_dev_unlink(&mut self, port: DevId) {
        self.dev_mut(port).master = None;
        self.call_netdevice_notifiers(port, NetdevEvent::ChangeUpper);
    }

    // ----- rtnetlink operations -------------------------------------------------------------

    /// The device a request names: by ifindex, else by IFLA_IFNAME / IFLA_ALT_IFNAME
    /// (`rtnl_dev_get`).
    fn request_target(&self, ns: NetnsId, req: &LinkRequest) -> KResult<Option<DevId>> {
        if req.ifindex > 0 {
            return Ok(self.dev_by_index(ns, req.ifindex as u32));
        }
        if req.ifindex < 0 {
            return Err(KernelError::new(errno::EINVAL).msg("ifindex can't be negative"));
        }
        let name = req.ifname.as_deref().or(req.alt_ifname.as_deref());
        Ok(name.and_then(|n| self.dev_by_name(ns, n)))
    }

    fn refuse_unmodelled(req: &LinkRequest) -> KResult<()> {
        if let Some((path, what)) = req.unmodelled.first() {
            return Err(KernelError::not_modelled(what).attr(path.clone()));
        }
        // rtnl_ensure_unique_netns (right after the parse in rtnl_setlink / __rtnl_newlink).
        if req.net_ns_multiple {
            return Err(KernelError::new(errno::EINVAL)
                .msg("multiple netns identifying attributes specified"));
        }
        Ok(())
    }

    /// RTM_NEWLINK (`rtnl_newlink` / `__rtnl_newlink`).
    pub fn newlink(&mut self, ns: NetnsId, req: &LinkRequest) -> KResult<()> {
        let r = self.newlink_inner(ns, req);
        self.linkwatch_run_queue();
        self.nsid_sync_all_links();
        r
    }

    fn newlink_inner(&mut self, ns: NetnsId, req: &LinkRequest) -> KResult<()> {
        Self::refuse_unmodelled(req)?;
        let link_specified = req.ifindex != 0 || req.ifname.is_some() || req.alt_ifname.is_some();
        let dev = self.request_target(ns, req)?;
        // rtnl_link_ops_get(kind); an unknown kind is only an error once we must create.
        let kind_name = req.kind();
        let ops_kind = kind_name.and_then(Kind::from_rtnl_kind);
        let linkinfo = req.linkinfo.as_ref();
        if let Some(k) = ops_kind {
            // ops->validate runs for changes and creations alike.
            k.ops().validate(req)?;
        }
        if let Some(id) = dev {
            if req.nlm.excl {
                return err(errno::EEXIST);
            }
            if req.nlm.replace {
                return err(errno::EOPNOTSUPP);
            }
            // rtnl_changelink: kind data only for the device's own kind with a changelink.
            if let Some(data) = linkinfo.and_then(|li| li.data.as_ref()) {
                let own = self.dev(id).kind;
                if ops_kind != Some(own) || !own.ops().has_changelink() {
                    return err(errno::EOPNOTSUPP);
                }
                own.ops().changelink_tb(self, id, data, req)?;
            }
            if let Some(sdata) = linkinfo.and_then(|li| li.slave_data.as_ref()) {
                let Some(master) = self.dev(id).master else {
                    return err(errno::EOPNOTSUPP);
                };
                let mops = self.ops(master);
                mops.slave_changelink(self, master, id, sdata)?;
            }
            return self.do_setlink(id, req);
        }
        if !req.nlm.create {
            // No device and no NLM_F_CREATE (iproute2's probe lands here): ENODEV.
            let _ = link_specified;
            return err(errno::ENODEV);
        }
        let Some(kind) = ops_kind else {
            if let Some(name) = kind_name {
                if KNOWN_UNMODELLED_KINDS.contains(&name) {
                    return Err(KernelError::not_modelled(format!("link kind \"{name}\""))
                        .attr(AttrPath::nested(&[ifla::LINKINFO, ifla::INFO_KIND])));
                }
            }
            return Err(KernelError::new(errno::EOPNOTSUPP).msg("Unknown device type"));
        };
        self.rtnl_newlink_create(ns, kind, req)
    }

    /// `rtnl_newlink_create` + `rtnl_create_link` + `rtnl_configure_link`. `ns` is the
    /// requester's namespace (`src_net`); IFLA_NET_NS_* names the one the device is created
    /// in (`dest_net`).
    fn rtnl_newlink_create(&mut self, ns: NetnsId, kind: Kind, req: &LinkRequest) -> KResult<()> {
        // rtnl_link_get_net_capable(skb, net, tb, CAP_NET_ADMIN)
        let dest_net = match &req.net_ns {
            Some(Ok(n)) => *n,
            Some(Err(e)) => return Err(e.clone()),
            None => ns,
        };
        let id = {
            let dev = self.rtnl_create_link(dest_net, kind, req)?;
            let id = dev.id;
            self.initializing.push(id);
            let ops = kind.ops();
            if let Err(e) = ops.newlink(self, ns, dev, req) {
                self.initializing.retain(|d| *d != id);
                return Err(e);
            }
            id
        };
        if let Err(e) = self.rtnl_configure_link(id, req.ifi_flags, req.ifi_change, true) {
            self.unregister_many(&[id], true);
            return Err(e);
        }
        if let Some(master) = req.master {
            if let Err(e) = self.do_set_master(id, master) {
                let ops = self.ops(id);
                let victims = ops.dellink(self, id).unwrap_or_else(|| vec![id]);
                self.unregister_many(&victims, true);
                return Err(e);
            }
        }
        Ok(())
    }

    /// `rtnl_create_link`: allocate with the kind's setup, then apply the generic attributes.
    pub fn rtnl_create_link(
        &mut self,
        ns: NetnsId,
        kind: Kind,
        req: &LinkRequest,
    ) -> KResult<NetDevice> {
        let ops = kind.ops();
        let (dtx, drx) = ops.default_num_queues();
        let num_tx = req.num_tx_queues.unwrap_or(dtx);
        let num_rx = req.num_rx_queues.unwrap_or(drx);
        if !(1..=4096).contains(&num_tx) {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid number of transmit queues"));
        }
        if !(1..=4096).contains(&num_rx) {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid number of receive queues"));
        }
        let (name, assign) = match &req.ifname {
            Some(n) => (n.clone(), name_assign::USER),
            None => (
                format!("{}%d", ops.rtnl_kind().unwrap_or("dev")),
                name_assign::ENUM,
            ),
        };
        let mut dev = self.alloc_netdev(ns, kind, &name);
        dev.name_assign_type = assign;
        dev.num_tx_queues = num_tx;
        dev.real_num_tx_queues = num_tx;
        dev.num_rx_queues = num_rx;
        dev.real_num_rx_queues = num_rx;
        if let Some(mtu) = req.mtu {
            self.dev_validate_mtu(&dev, mtu)
                .map_err(|e| e.attr(AttrPath::top(ifla::MTU)))?;
            dev.mtu = mtu;
        }
        if let Some(a) = &req.address {
            // `__dev_addr_set` copies what was given; kinds' validate checked the length.
            if let Some(addr) = HwAddr::from_slice(a) {
                dev.addr = addr;
                dev.addr_assign_type = crate::uapi::addr_assign::SET;
            }
        }
        if let Some(b) = &req.broadcast {
            if let Some(addr) = HwAddr::from_slice(b) {
                dev.broadcast = addr;
            }
        }
        if let Some(q) = req.txqlen {
            dev.tx_queue_len = q;
        }
        if let Some(s) = req.operstate {
            set_operstate(&mut dev, s);
        }
        if let Some(m) = req.linkmode {
            dev.link_mode = m;
        }
        if let Some(g) = req.group {
            dev.group = g;
        }
        if let Some(v) = req.gso_max_size {
            dev.gso_max_size = v;
        }
        if let Some(v) = req.gso_max_segs {
            dev.gso_max_segs = v;
        }
        if let Some(v) = req.gro_max_size {
            dev.gro_max_size = v;
        }
        if let Some(v) = req.gso_ipv4_max_size {
            dev.gso_ipv4_max_size = v;
        }
        if let Some(v) = req.gro_ipv4_max_size {
            dev.gro_ipv4_max_size = v;
        }
        dev.ifindex = req.ifindex.max(0) as u32;
        Ok(dev)
    }

    /// `rtnl_configure_link`: apply ifi_flags, then announce the new device (change ~0).
    pub fn rtnl_configure_link(
        &mut self,
        id: DevId,
        ifi_flags: u32,
        ifi_change: u32,
        from_request: bool,
    ) -> KResult<()> {
        let old_flags = self.dev(id).flags;
        if ifi_flags != 0 || ifi_change != 0 {
            let flags = self.combine_flags(id, ifi_flags, ifi_change);
            self.__dev_change_flags(id, flags)?;
        }
        let gchanges = if self.initializing.contains(&id) {
            self.initializing.retain(|d| *d != id);
            !0
        } else {
            old_flags ^ self.dev(id).flags
        };
        self.__dev_notify_flags(id, old_flags, gchanges, from_request);
        Ok(())
    }

    /// RTM_SETLINK (`rtnl_setlink`): the device must exist.
    pub fn setlink(&mut self, ns: NetnsId, req: &LinkRequest) -> KResult<()> {
        let r = (|| {
            Self::refuse_unmodelled(req)?;
            let id = self
                .request_target(ns, req)?
                .ok_or_else(|| KernelError::new(errno::ENODEV))?;
            if req
                .linkinfo
                .as_ref()
                .is_some_and(|li| li.kind.is_some() || li.data.is_some())
            {
                return Err(KernelError::not_modelled("IFLA_LINKINFO in RTM_SETLINK"));
            }
            self.do_setlink(id, req)
        })();
        self.linkwatch_run_queue();
        self.nsid_sync_all_links();
        r
    }

    /// `do_setlink`: attributes applied one after the other in the kernel's order; a failure
    /// leaves what was already applied in place.
    fn do_setlink(&mut self, id: DevId, req: &LinkRequest) -> KResult<()> {
        let mut modified = false;
        let mut notify = false;
        let r = self.do_setlink_steps(id, req, &mut modified, &mut notify);
        if modified && notify && self.devices.contains_key(&id) {
            self.netdev_state_change(id);
        }
        r
    }

    fn do_setlink_steps(
        &mut self,
        id: DevId,
        req: &LinkRequest,
        modified: &mut bool,
        notify: &mut bool,
    ) -> KResult<()> {
        // validate_linkmsg
        let addr_len = self.dev(id).addr.len();
        if req.address.as_ref().is_some_and(|a| a.len() < addr_len)
            || req.broadcast.as_ref().is_some_and(|a| a.len() < addr_len)
        {
            return err(errno::EINVAL);
        }
        if req
            .gso_max_size
            .is_some_and(|v| v > self.dev(id).tso_max_size)
        {
            return Err(KernelError::new(errno::EINVAL).msg("too big gso_max_size"));
        }
        if req
            .gso_max_segs
            .is_some_and(|v| v > self.dev(id).tso_max_segs)
        {
            return Err(KernelError::new(errno::EINVAL).msg("too big gso_max_segs"));
        }
        if req
            .gro_max_size
            .is_some_and(|v| v > crate::uapi::GSO_MAX_SIZE)
        {
            return Err(KernelError::new(errno::EINVAL).msg("too big gro_max_size"));
        }
        if req
            .gso_ipv4_max_size
            .is_some_and(|v| v > self.dev(id).tso_max_size)
        {
            return Err(KernelError::new(errno::EINVAL).msg("too big gso_ipv4_max_size"));
        }
        if req
            .gro_ipv4_max_size
            .is_some_and(|v| v > crate::uapi::GSO_MAX_SIZE)
        {
            return Err(KernelError::new(errno::EINVAL).msg("too big gro_ipv4_max_size"));
        }
        // validate_linkmsg -> inet6_validate_link_af: no inet6_dev, EAFNOSUPPORT first.
        if req.inet6_token.is_some() {
            self.inet6_validate_link_af(id)?;
        }
        if let Some(mode) = req.addr_gen_mode {
            self.inet6_validate_addr_gen_mode(id, mode)?;
        }
        // do_setlink: IFLA_NET_NS_PID / IFLA_NET_NS_FD first, with IFLA_IFNAME as the name
        // pattern for the target namespace.
        if let Some(net) = &req.net_ns {
            let net = net.clone()?;
            let pat = req.ifname.as_deref().filter(|n| !n.is_empty());
            self.__dev_change_net_namespace(id, net, pat, req.new_ifindex.unwrap_or(0))?;
            *modified = true;
        }
        if let Some(a) = &req.address {
            self.dev_set_mac_address(id, a)?;
            *modified = true;
        }
        if let Some(mtu) = req.mtu {
            self.dev_set_mtu(id, mtu)?;
            *modified = true;
        }
        if let Some(g) = req.group {
            if self.dev(id).group != g {
                self.dev_mut(id).group = g;
            }
            *modified = true;
            *notify = true;
        }
        if req.ifindex > 0 {
            if let Some(name) = &req.ifname {
                self.dev_change_name(id, name)?;
                *modified = true;
            }
        }
        if let Some(alias) = &req.ifalias {
            let new = (!alias.is_empty()).then(|| alias.clone());
            self.dev_mut(id).ifalias = new;
            *modified = true;
            *notify = true;
        }
        if let Some(b) = &req.broadcast {
            let len = self.dev(id).broadcast.len();
            if let Some(addr) = HwAddr::from_slice(&b[..len.min(b.len())]) {
                self.dev_mut(id).broadcast = addr;
            }
            self.call_netdevice_notifiers(id, NetdevEvent::ChangeAddr);
        }
        if req.ifi_flags != 0 || req.ifi_change != 0 {
            let flags = self.combine_flags(id, req.ifi_flags, req.ifi_change);
            self.dev_change_flags(id, flags)?;
        }
        if let Some(m) = req.master {
            self.do_set_master(id, m)?;
            *modified = true;
        }
        if let Some(c) = req.carrier {
            let ops = self.ops(id);
            match ops.change_carrier(self, id, c != 0) {
                None => return err(errno::EOPNOTSUPP),
                Some(r) => r?,
            }
            *modified = true;
        }
        if let Some(q) = req.txqlen {
            if self.dev(id).tx_queue_len != q {
                self.dev_mut(id).tx_queue_len = q;
                self.call_netdevice_notifiers(id, NetdevEvent::ChangeTxQueueLen);
            }
            *modified = true;
        }
        for (v, f) in [
            (
                req.gso_max_size,
                (|d: &mut NetDevice, v| d.gso_max_size = v) as fn(&mut NetDevice, u32),
            ),
            (req.gso_max_segs, |d, v| d.gso_max_segs = v),
            (req.gro_max_size, |d, v| d.gro_max_size = v),
            (req.gso_ipv4_max_size, |d, v| d.gso_ipv4_max_size = v),
            (req.gro_ipv4_max_size, |d, v| d.gro_ipv4_max_size = v),
        ] {
            if let Some(v) = v {
                f(self.dev_mut(id), v);
                *modified = true;
                *notify = true;
            }
        }
        if let Some(s) = req.operstate {
            set_operstate(self.dev_mut(id), s);
        }
        if let Some(m) = req.linkmode {
            if self.dev(id).link_mode != m {
                self.dev_mut(id).link_mode = m;
                *modified = true;
                *notify = true;
            }
        }
        // IFLA_AF_SPEC: set_link_af of each family, then DO_SETLINK_NOTIFY.
        // inet6_set_link_af: the token first, then the mode.
        if let Some(token) = req.inet6_token {
            self.inet6_set_iftoken(id, token)?;
            *modified = true;
            *notify = true;
        }
        if let Some(mode) = req.addr_gen_mode {
            self.inet6_set_addr_gen_mode(id, mode);
            *modified = true;
            *notify = true;
        }
        Ok(())
    }

    /// RTM_DELLINK (`rtnl_dellink` / `rtnl_delete_link`). The `type` a request names is ignored,
    /// as in the kernel.
    pub fn dellink(&mut self, ns: NetnsId, req: &LinkRequest) -> KResult<()> {
        let r = (|| {
            let id = if req.ifindex > 0 || req.ifname.is_some() || req.alt_ifname.is_some() {
                self.request_target(ns, req)?
                    .ok_or_else(|| KernelError::new(errno::ENODEV))?
            } else if req.group.is_some() {
                return Err(KernelError::not_modelled("RTM_DELLINK by IFLA_GROUP"));
            } else {
                return err(errno::EINVAL);
            };
            let ops = self.ops(id);
            if ops.rtnl_kind().is_none() {
                return err(errno::EOPNOTSUPP);
            }
            let victims = ops
                .dellink(self, id)
                .ok_or_else(|| KernelError::new(errno::EOPNOTSUPP))?;
            self.unregister_many(&victims, true);
            Ok(())
        })();
        self.linkwatch_run_queue();
        r
    }

    // ----- fill ----------------------------------------------------------------------------

    /// `rtnl_fill_ifinfo` without the bytes.
    pub fn fill(&self, id: DevId) -> LinkView {
        let d = self.dev(id);
        let ops = d.kind.ops();
        // nla_put_iflink: `dev_get_iflink`, put when it differs from the ifindex or when
        // rtnl_fill_link_netnsid reported a link namespace.
        let iflink = match ops.iflink(self, d).and_then(|l| self.try_dev(l)) {
            Some(l) => l.ifindex,
            None => ops.iflink_without_link(d),
        };
        // rtnl_fill_link_netnsid: `get_link_net` differing from the device's namespace.
        let link_netnsid = ops
            .get_link_net(self, d)
            .filter(|n| *n != d.netns)
            .map(|n| self.peernet2id_peek(d.netns, n));
        let link = (link_netnsid.is_some() || iflink != d.ifindex).then_some(iflink);
        let master = d.master.and_then(|m| self.try_dev(m));
        let slave_kind = master.and_then(|m| m.kind.ops().rtnl_kind());
        let slave_info = master.and_then(|m| m.kind.ops().fill_slave_info(self, m, d));
        let (phys_port_name, phys_switch_id, parent_dev) = ops.phys_info(d);
        LinkView {
            netns: d.netns,
            ifindex: d.ifindex,
            dev_type: d.dev_type,
            flags: d.get_flags(),
            name: d.name.clone(),
            txqlen: d.tx_queue_len,
            operstate: d.reported_operstate(),
            link_mode: d.link_mode,
            mtu: d.mtu,
            min_mtu: d.min_mtu,
            max_mtu: d.max_mtu,
            group: d.group,
            promiscuity: d.promiscuity,
            allmulti: d.allmulti,
            num_tx_queues: d.num_tx_queues,
            num_rx_queues: d.num_rx_queues,
            gso_max_segs: d.gso_max_segs,
            gso_max_size: d.gso_max_size,
            gro_max_size: d.gro_max_size,
            gso_ipv4_max_size: d.gso_ipv4_max_size,
            gro_ipv4_max_size: d.gro_ipv4_max_size,
            tso_max_size: d.tso_max_size,
            tso_max_segs: d.tso_max_segs,
            carrier: d.carrier,
            qdisc: d.qdisc.as_str().to_string(),
            carrier_up_count: d.carrier_up_count,
            carrier_down_count: d.carrier_down_count,
            proto_down: d.proto_down,
            addr: (!d.addr.is_empty()).then_some(d.addr),
            broadcast: (!d.addr.is_empty()).then_some(d.broadcast),
            perm_addr: (!d.perm_addr.is_empty() && !d.perm_addr.is_zero()).then_some(d.perm_addr),
            addr_assign_type: d.addr_assign_type,
            master: master.map(|m| m.ifindex),
            link,
            link_netnsid,
            ifalias: d.ifalias.clone(),
            altnames: d.altnames.clone(),
            kind: ops.rtnl_kind(),
            info: ops.fill_info(self, d),
            slave_kind,
            slave_info,
            phys_port_name,
            phys_switch_id,
            parent_dev,
            devlink_port: ops.devlink_port(d),
            vf_info: ops.vf_info(d),
            inet4: d.inet.in4,
            inet6: d.inet.in6,
            inet6_ready: d.inet.if_ready,
            inet6_addr_gen_mode: d.inet.addr_gen_mode,
            inet6_token: d.inet.token,
            conf: d.conf.clone(),
            new_netnsid: None,
            new_ifindex: None,
        }
    }

    // ----- invariants ------------------------------------------------------------------------

    /// Consistency of the model's relations; a violation is a bug in the model. The same
    /// checks refuse an inconsistent loaded state ([`Kernel::validate`]).
    pub fn check_invariants(&self) -> Result<(), String> {
        self.validate().map_err(|v| v.to_string())
    }
}

/// Kinds of real kernels that nlsim does not model yet: refused loudly, not "Unknown device type".
const KNOWN_UNMODELLED_KINDS: &[&str] = &["bareudp", "hsr", "batadv", "amt", "gtp", "ipoib", "can"];

/// `set_operstate` (net/core/rtnetlink.c): user space may only move between UP and DORMANT /
/// TESTING while the carrier allows it.
fn set_operstate(dev: &mut NetDevice, transition: u8) {
    let mut state = dev.operstate;
    match transition {
        oper::UP
            if (state == oper::DORMANT || state == oper::TESTING || state == oper::UNKNOWN)
                && !dev.dormant
                && !dev.testing =>
        {
            state = oper::UP;
        }
        oper::TESTING if dev.carrier || state == oper::UNKNOWN => state = oper::TESTING,
        oper::DORMANT if dev.carrier || state == oper::UNKNOWN => state = oper::DORMANT,
        _ => {}
    }
    dev.operstate = state;
}
