//! Network namespaces: creation (`setup_net` + `loopback_net_init`), destruction
//! (`cleanup_net`: `unhash_nsid`, `default_device_exit_net`, `default_device_exit_batch`),
//! moving a device (`__dev_change_net_namespace`, net/core/dev.c) and the per-namespace ids
//! of peers (`peernet2id_alloc`, `rtnl_net_newid`, net/core/net_namespace.c).

use crate::device::{DevId, NetnsId, Qdisc, RegState};
use crate::error::{KResult, KernelError};
use crate::kernel::{Event, Kernel, LinkMsg, NetdevEvent, Netns, INIT_NET};
use crate::link_ops::Kind;
use crate::uapi::{errno, name_assign};

/// init_net's nsfs inode number: the first `proc_alloc_inum` gives (PROC_DYNAMIC_FIRST,
/// fs/proc/generic.c; `readlink /proc/1/ns/net` is `net:[4026531840]` on the oracle).
pub const INIT_NET_INUM: u32 = 0xf000_0000;
/// The first inode number of a namespace made after boot on the oracle (Debian 6.12, its
/// modules loaded: the proc entries registered at boot come before it) ...
pub const NETNS_INUM_FIRST: u32 = 4_026_532_121;
/// ... and how many numbers each namespace takes (its own and its /proc/net entries':
/// `ip netns add a; ip netns add b` give 4026532121 and 4026532177 there).
pub const NETNS_INUM_STRIDE: u32 = 56;

/// Whether a namespace's inode number is not stored (init_net's, or one not given yet).
pub(crate) fn inum_unset(inum: &u32) -> bool {
    *inum == 0
}

/// `NETNSA_NSID_NOT_ASSIGNED`.
pub const NSID_NOT_ASSIGNED: i32 = -1;

impl Kernel {
    // ----- namespaces ----------------------------------------------------------------------

    /// `copy_net_ns` → `setup_net`: a new namespace holding only `lo`, registered by
    /// `loopback_net_init` first (ifindex 1) with the IPv4/IPv6 state NETDEV_REGISTER gives
    /// it, exactly as in the initial namespace. Its creation is not announced to anyone (no
    /// socket can be in it yet).
    pub fn netns_new(&mut self) -> NetnsId {
        let ns = NetnsId(self.next_netns_id);
        self.next_netns_id += 1;
        let mut net = Netns::new(ns);
        // net_ns_net_init → ns_alloc_inum
        net.inum = self.netns_inum_alloc();
        self.namespaces.insert(ns, net);
        self.devconf_netns_init(ns);
        let mut lo = self.alloc_netdev(ns, Kind::loopback(), "lo");
        lo.name_assign_type = name_assign::UNKNOWN;
        let before = self.events.len();
        if let Err(e) = self.register_netdevice(lo) {
            unreachable!("registering lo in an empty namespace cannot fail: {e}");
        }
        // The RTM_NEWLINK of lo goes to the new namespace, where nobody listens yet.
        self.events.truncate(before);
        self.linkwatch_run_queue();
        ns
    }

    /// `net->ns.inum`, the namespace's nsfs inode number (what `/proc/PID/ns/net` links to
    /// as `net:[INUM]` and `stat` reports); `None` for a namespace that does not exist.
    pub fn netns_inum(&mut self, ns: NetnsId) -> Option<u32> {
        if ns == INIT_NET {
            return Some(INIT_NET_INUM);
        }
        let net = self.namespaces.get(&ns).filter(|n| !n.dying)?;
        if net.inum != 0 {
            return Some(net.inum);
        }
        let inum = self.netns_inum_alloc();
        self.namespaces.get_mut(&ns)?.inum = inum;
        Some(inum)
    }

    /// `proc_alloc_inum` (fs/proc/generic.c): the lowest number `proc_inum_ida` has free.
    /// Every namespace takes its own number and then one per /proc/net entry its pernet
    /// inits register, so namespaces lie [`NETNS_INUM_STRIDE`] apart, and a destroyed one's
    /// block (`ns_free_inum`, `remove_proc_entry`) is the next one's.
    fn netns_inum_alloc(&self) -> u32 {
        let taken: std::collections::BTreeSet<u32> = self
            .namespaces
            .values()
            .filter(|n| !n.dying)
            .map(|n| n.inum)
            .collect();
        (0u32..)
            .map_while(|slot| {
                slot.checked_mul(NETNS_INUM_STRIDE)
                    .and_then(|off| NETNS_INUM_FIRST.checked_add(off))
            })
            .find(|i| !taken.contains(i))
            .unwrap_or(0)
    }

    /// Whether `ns` exists (and is not being destroyed).
    pub fn netns_alive(&self, ns: NetnsId) -> bool {
        self.namespaces.get(&ns).is_some_and(|n| !n.dying)
    }

    /// The namespaces that exist, in creation order (`for_each_net`).
    pub fn netns_ids(&self) -> impl Iterator<Item = NetnsId> + '_ {
        self.namespaces.values().filter(|n| !n.dying).map(|n| n.id)
    }

    /// `cleanup_net` for one namespace whose last reference went away: `unhash_nsid` (every
    /// other namespace forgets its id for it, RTM_DELNSID), then the pernet exits:
    /// `default_device_exit_net` (devices without `rtnl_link_ops`, the netdevsim ports, go
    /// back to init_net, named `dev<ifindex>` or `dev%d` when their name is taken there) and
    /// `default_device_exit_batch` (every other device is deleted through its `dellink`, so a
    /// veth peer elsewhere dies too; `lo` last). The initial namespace is never destroyed:
    /// asking for it does nothing.
    pub fn netns_destroy(&mut self, ns: NetnsId) {
        if ns == INIT_NET || !self.namespaces.contains_key(&ns) {
            return;
        }
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.dying = true;
        }
        // unhash_nsid(net, last): for_each_net, in list order.
        let others: Vec<NetnsId> = self.namespaces.keys().copied().collect();
        for tmp in others {
            if tmp == ns {
                continue;
            }
            let id = self.peernet2id(tmp, ns);
            if id >= 0 {
                if let Some(n) = self.namespaces.get_mut(&tmp) {
                    n.netns_ids.remove(&id);
                }
                self.rtnl_net_notifyid(tmp, LinkMsg::Del, id, false);
            }
        }
        // idr_destroy(&net->netns_ids)
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.netns_ids.clear();
        }
        self.ops_exit_rtnl_list(ns);
        self.default_device_exit_net(ns);
        self.default_device_exit_batch(ns);
        self.linkwatch_run_queue();
        // Notifications addressed to the dead namespace reach nobody.
        self.events.retain(|e| match e {
            Event::Link { view, .. } | Event::BridgePort { view, .. } => view.netns != ns,
            Event::Fdb { netns, .. }
            | Event::Nsid { netns, .. }
            | Event::Route { netns, .. }
            | Event::Addr { netns, .. }
            | Event::Neigh { netns, .. }
            | Event::Nexthop { netns, .. }
            | Event::Rule { netns, .. }
            | Event::Netconf { netns, .. }
            | Event::Inet6Ifinfo { netns, .. } => *netns != ns,
        });
        self.namespaces.remove(&ns);
        self.nsid_sync_all_links();
    }

    /// `ops_exit_rtnl_list`: the tunnel drivers' `exit_batch_rtnl` into one kill list, before
    /// the generic device exit, in reverse registration order of the oracle's modules (ip6_gre;
    /// ip_gre's erspan, gretap, gre; geneve; vxlan):
    /// * `ip6gre_destroy_tunnels`, `ip_tunnel_destroy`: the devices of the kind(s) in the
    ///   namespace, then the tunnels of its table (`tunnel->net`) that live elsewhere;
    /// * `geneve_destroy_tunnels`: `geneve_dellink` of every device on the namespace's list
    ///   (`geneve->net`), wherever it is (those merely moved in go with the generic exit);
    /// * `vxlan_destroy_tunnels`: the vxlans created from the namespace (`vxlan->net`).
    fn ops_exit_rtnl_list(&mut self, ns: NetnsId) {
        let mut kill: Vec<DevId> = Vec::new();
        let mut pernet: Vec<(u8, Kind)> = Kind::all()
            .filter_map(|k| k.ops().exit_rtnl_rank().map(|r| (r, k)))
            .collect();
        pernet.sort_by_key(|(rank, k)| (*rank, k.id()));
        for (_, kind) in pernet {
            for v in kind.ops().exit_batch_rtnl(self, ns) {
                // unregister_netdevice_queue: list_move_tail.
                kill.retain(|k| *k != v);
                kill.push(v);
            }
        }
        self.unregister_many(&kill, false);
    }

    /// Every device of every namespace (dying ones included), namespaces in creation order and
    /// devices in ifindex order: how the tunnel drivers' per-namespace tables are walked.
    pub(crate) fn devices_in_netns_order(&self) -> Vec<DevId> {
        self.netns_ids_all()
            .flat_map(|n| self.devices_from(n, 0).map(|d| d.id).collect::<Vec<_>>())
            .collect()
    }

    /// Every namespace, dying ones included, in creation order.
    fn netns_ids_all(&self) -> impl Iterator<Item = NetnsId> + '_ {
        self.namespaces.keys().copied()
    }

    /// `default_device_exit_net` (net/core/dev.c).
    fn default_device_exit_net(&mut self, ns: NetnsId) {
        let devs: Vec<DevId> = self.devices_from(ns, 0).map(|d| d.id).collect();
        for id in devs {
            let Some(d) = self.try_dev(id) else {
                continue;
            };
            let ops = d.kind.ops();
            // Ignore unmoveable devices (i.e. loopback).
            if ops.netns_local() {
                continue;
            }
            // Leave virtual devices for the generic cleanup (no kind here has netns_refund).
            if ops.rtnl_kind().is_some() {
                continue;
            }
            let mut fb_name = format!("dev{}", d.ifindex);
            if self.dev_by_name(INIT_NET, &fb_name).is_some() {
                fb_name = "dev%d".to_string();
            }
            // The kernel BUG()s if this fails; it cannot here (init_net accepts `dev%d`).
            let _ = self.__dev_change_net_namespace(id, INIT_NET, Some(&fb_name), 0);
        }
    }

    /// `default_device_exit_batch` for one namespace: in reverse registration order (the
    /// model's approximation: reverse ifindex order, which also puts `lo` last), `dellink`
    /// or `unregister_netdevice_queue` into one list, then `unregister_netdevice_many`.
    fn default_device_exit_batch(&mut self, ns: NetnsId) {
        let devs: Vec<DevId> = self.devices_from(ns, 0).map(|d| d.id).collect();
        let mut kill: Vec<DevId> = Vec::new();
        for id in devs.into_iter().rev() {
            if self.try_dev(id).is_none() {
                continue;
            }
            let ops = self.ops(id);
            let victims = if ops.rtnl_kind().is_some() {
                ops.dellink(self, id).unwrap_or_else(|| vec![id])
            } else {
                vec![id]
            };
            // unregister_netdevice_queue: list_move_tail.
            for v in victims {
                kill.retain(|k| *k != v);
                kill.push(v);
            }
        }
        self.unregister_many(&kill, false);
    }

    // ----- nsids (net/core/net_namespace.c) -------------------------------------------------

    /// `peernet2id`: the id `ns` gave `peer`, or -1 (NETNSA_NSID_NOT_ASSIGNED).
    pub fn peernet2id(&self, ns: NetnsId, peer: NetnsId) -> i32 {
        self.namespaces
            .get(&ns)
            .and_then(|n| n.netns_ids.iter().find(|(_, p)| **p == peer))
            .map_or(NSID_NOT_ASSIGNED, |(id, _)| *id)
    }

    /// `get_net_ns_by_id`: the namespace `ns` knows as `id`.
    pub fn get_net_ns_by_id(&self, ns: NetnsId, id: i32) -> Option<NetnsId> {
        if id < 0 {
            return None;
        }
        self.namespaces
            .get(&ns)?
            .netns_ids
            .get(&id)
            .copied()
            .filter(|p| self.netns_alive(*p))
    }

    /// The ids `ns` has given, in id order (`idr_for_each`, what RTM_GETNSID dumps).
    pub fn netns_id_list(&self, ns: NetnsId) -> Vec<(i32, NetnsId)> {
        self.namespaces
            .get(&ns)
            .map(|n| n.netns_ids.iter().map(|(i, p)| (*i, *p)).collect())
            .unwrap_or_default()
    }

    /// The lowest id `idr_alloc(&net->netns_ids, peer, min, max)` would hand out.
    fn alloc_netid(&self, ns: NetnsId, min: i32) -> Option<i32> {
        let n = self.namespaces.get(&ns)?;
        let mut id = min;
        while n.netns_ids.contains_key(&id) {
            id = id.checked_add(1)?;
        }
        Some(id)
    }

    /// `peernet2id_alloc`: the id `ns` has for `peer`, allocating the lowest free one (and
    /// announcing it with RTM_NEWNSID in `ns`) when there is none. -1 when either namespace
    /// is being destroyed.
    pub fn peernet2id_alloc(&mut self, ns: NetnsId, peer: NetnsId) -> i32 {
        if !self.netns_alive(ns) {
            return NSID_NOT_ASSIGNED;
        }
        let id = self.peernet2id(ns, peer);
        if id >= 0 {
            return id;
        }
        // maybe_get_net(peer)
        if !self.netns_alive(peer) {
            return NSID_NOT_ASSIGNED;
        }
        let Some(id) = self.alloc_netid(ns, 0) else {
            return NSID_NOT_ASSIGNED;
        };
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.netns_ids.insert(id, peer);
        }
        self.rtnl_net_notifyid(ns, LinkMsg::New, id, false);
        id
    }

    /// What `peernet2id_alloc` would answer, without allocating (for `fill`, which cannot
    /// change the model: the model allocates when the link relation appears, see
    /// [`Kernel::nsid_sync_all_links`]).
    pub(crate) fn peernet2id_peek(&self, ns: NetnsId, peer: NetnsId) -> i32 {
        let id = self.peernet2id(ns, peer);
        if id >= 0 || !self.netns_alive(ns) || !self.netns_alive(peer) {
            return id;
        }
        self.alloc_netid(ns, 0).unwrap_or(NSID_NOT_ASSIGNED)
    }

    /// `rtnl_net_notifyid`.
    fn rtnl_net_notifyid(&mut self, ns: NetnsId, msg: LinkMsg, nsid: i32, from_request: bool) {
        self.events.push(Event::Nsid {
            msg,
            netns: ns,
            nsid,
            from_request,
        });
    }

    /// `rtnl_net_newid` once the peer is resolved (`ip netns set NAME ID`): `ns` gives `peer`
    /// the id `nsid` (a negative `nsid` asks for the lowest free one). The attribute errors
    /// point at is the peer reference (`peer_attr`) or NETNSA_NSID.
    pub fn rtnl_net_newid(
        &mut self,
        ns: NetnsId,
        peer: NetnsId,
        nsid: i32,
        peer_attr: u16,
    ) -> KResult<()> {
        if self.peernet2id(ns, peer) >= 0 {
            return Err(KernelError::new(errno::EEXIST)
                .msg("Peer netns already has a nsid assigned")
                .attr(crate::error::AttrPath::top(peer_attr)));
        }
        // alloc_netid(net, peer, nsid): exactly nsid, or the lowest free from 0.
        let id = if nsid >= 0 {
            let taken = self
                .namespaces
                .get(&ns)
                .is_some_and(|n| n.netns_ids.contains_key(&nsid));
            if taken {
                return Err(KernelError::new(errno::EEXIST)
                    .msg("The specified nsid is already used")
                    .attr(crate::error::AttrPath::top(NETNSA_NSID)));
            }
            nsid
        } else {
            self.alloc_netid(ns, 0)
                .ok_or_else(|| KernelError::new(errno::ENOSPC))?
        };
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.netns_ids.insert(id, peer);
        }
        self.rtnl_net_notifyid(ns, LinkMsg::New, id, true);
        Ok(())
    }

    /// `rtnl_fill_link_netnsid`'s allocation for one device about to be filled into a
    /// notification: `peernet2id_alloc(dev_net(dev), link_net)`.
    pub(crate) fn link_netnsid_alloc(&mut self, id: DevId) {
        let Some(d) = self.try_dev(id) else {
            return;
        };
        let ns = d.netns;
        if let Some(link_net) = d.kind.ops().get_link_net(self, d) {
            if link_net != ns {
                self.peernet2id_alloc(ns, link_net);
            }
        }
    }

    /// The kernel allocates a link's nsid lazily, whenever the device is filled
    /// (`rtnl_fill_link_netnsid`, a dump included). `fill` cannot change the model, so once a
    /// request is done every device whose link lives in another namespace gets its id in
    /// its own namespace now, in ifindex order per namespace: the dump that would have
    /// allocated it then only reads it. Nothing to do while only init_net exists.
    pub(crate) fn nsid_sync_all_links(&mut self) {
        if self.namespaces.len() < 2 {
            return;
        }
        let mut need: Vec<(NetnsId, NetnsId)> = Vec::new();
        for n in self.namespaces.values() {
            for id in n.by_index.values() {
                let d = self.dev(*id);
                if let Some(l) = d.kind.ops().get_link_net(self, d) {
                    if l != d.netns
                        && self.peernet2id(d.netns, l) < 0
                        && !need.contains(&(d.netns, l))
                    {
                        need.push((d.netns, l));
                    }
                }
            }
        }
        for (ns, peer) in need {
            self.peernet2id_alloc(ns, peer);
        }
    }

    // ----- moving a device ------------------------------------------------------------------

    /// `__dev_change_net_namespace` (net/core/dev.c, 6.12.117) in its order: checks (netns
    /// immutable, registered, same namespace, name or `pat`, altnames, ifindex), then
    /// `dev_close`, unlist, `dev_shutdown`, NETDEV_UNREGISTER with the device still
    /// registered (masters release it; stacked uppers stay), `peernet2id_alloc(old, new)`,
    /// RTM_DELLINK with IFLA_NEW_NETNSID / IFLA_NEW_IFINDEX in the old namespace, address
    /// lists flushed, the switch, NETDEV_REGISTER (fresh IPv4/IPv6 state) and RTM_NEWLINK in
    /// the new namespace.
    pub fn __dev_change_net_namespace(
        &mut self,
        id: DevId,
        net: NetnsId,
        pat: Option<&str>,
        new_ifindex: i32,
    ) -> KResult<()> {
        let ops = self.ops(id);
        // Don't allow namespace local devices to be moved.
        if ops.netns_local() {
            return Err(KernelError::new(errno::EINVAL).msg("The interface netns is immutable"));
        }
        if self.dev(id).reg_state != RegState::Registered {
            return Err(KernelError::new(errno::EINVAL).msg("The interface isn't registered"));
        }
        let net_old = self.dev(id).netns;
        if net_old == net {
            return Ok(());
        }
        if !self.namespaces.contains_key(&net) {
            return Err(KernelError::new(errno::EINVAL));
        }
        // Pick the destination device name.
        let mut new_name = None;
        if self.dev_by_name(net, &self.dev(id).name).is_some() {
            let Some(pat) = pat else {
                return Err(KernelError::new(errno::EEXIST)
                    .msg("An interface with the same name exists in the target netns"));
            };
            match self.dev_get_valid_name(net, pat, errno::EEXIST) {
                Ok(n) => new_name = Some(n),
                Err(e) => {
                    return Err(KernelError::new(e.errno).msg(format!(
                        "Unable to use '{pat}' for the new interface name in the target netns"
                    )))
                }
            }
        }
        // Check that none of the altnames conflicts.
        let old_dying = !self.netns_alive(net_old);
        for alt in self.dev(id).altnames.clone() {
            if self.dev_by_name(net, &alt).is_none() {
                continue;
            }
            if old_dying {
                // __netdev_name_node_alt_destroy
                self.dev_mut(id).altnames.retain(|a| *a != alt);
                if let Some(n) = self.namespaces.get_mut(&net_old) {
                    n.by_name.remove(&alt);
                }
                continue;
            }
            return Err(KernelError::new(errno::EEXIST).msg(format!(
                "An interface with the altname {alt} exists in the target netns"
            )));
        }
        // Check that new_ifindex isn't used yet.
        let new_ifindex = if new_ifindex != 0 {
            let want = u32::try_from(new_ifindex).unwrap_or(u32::MAX);
            self.dev_index_reserve(net, want).map_err(|e| {
                KernelError::new(e.errno).msg(format!(
                    "The ifindex {new_ifindex} is not available in the target netns"
                ))
            })?
        } else {
            // If there is an ifindex conflict assign a new one.
            let cur = self.dev(id).ifindex;
            match self.dev_index_reserve(net, cur) {
                Err(e) if e.errno == errno::EBUSY => self.dev_index_reserve(net, 0),
                r => r,
            }
            .map_err(|e| {
                KernelError::new(e.errno)
                    .msg("Unable to allocate a new ifindex in the target netns")
            })?
        };

        // If device is running close it first.
        if self.dev(id).is_running() {
            self.dev_close(id);
        }
        // And unlink it from device chain.
        self.unlist_netdevice(id);
        // Shutdown queueing discipline.
        self.dev_mut(id).qdisc = Qdisc::Noop;
        // Notify protocols, that we are about to destroy this device (reg_state stays
        // NETREG_REGISTERED: 8021q and macvlan keep their uppers).
        self.call_netdevice_notifiers(id, NetdevEvent::Unregister);
        if !self.devices.contains_key(&id) {
            return Ok(());
        }
        let new_nsid = self.peernet2id_alloc(net_old, net);
        // rtmsg_ifinfo_newnet(RTM_DELLINK, dev, ~0U, ..., &new_nsid, new_ifindex)
        self.link_netnsid_alloc(id);
        let mut view = self.fill(id);
        view.new_netnsid = Some(new_nsid);
        view.new_ifindex = Some(new_ifindex as i32);
        self.events.push(Event::Link {
            msg: LinkMsg::Del,
            change: !0,
            from_request: false,
            ifla_event: 0,
            view: Box::new(view),
        });
        // Flush the unicast and multicast chains.
        {
            // dev_uc_flush / dev_mc_flush (uc_promisc stays: the next __dev_set_rx_mode
            // undoes it).
            let d = self.dev_mut(id);
            d.uc.clear();
            d.mc.clear();
        }
        // Actually switch the network namespace.
        {
            let d = self.dev_mut(id);
            d.netns = net;
            d.ifindex = new_ifindex;
            if let Some(n) = new_name {
                d.name = n;
            }
        }
        // list_netdevice
        let (ifindex, name, alts) = {
            let d = self.dev(id);
            (d.ifindex, d.name.clone(), d.altnames.clone())
        };
        if let Some(n) = self.namespaces.get_mut(&net) {
            n.by_index.insert(ifindex, id);
            n.by_name.insert(name, id);
            for a in alts {
                n.by_name.insert(a, id);
            }
            n.dev_base_seq = n.dev_base_seq.wrapping_add(1);
        }
        // Notify protocols, that a new device appeared (fib_rules_event first: it registered
        // its notifier at subsys_initcall).
        self.fib_rules_register_event(id);
        self.inet_register(id);
        self.devconf_register(id);
        self.netconf_track(id, (false, false), net, ifindex);
        // rtmsg_ifinfo(RTM_NEWLINK, dev, ~0U, ...)
        self.rtmsg_ifinfo(id, !0);
        Ok(())
    }
}

/// `NETNSA_NSID`.
pub const NETNSA_NSID: u16 = 1;
/// `NETNSA_PID`.
pub const NETNSA_PID: u16 = 2;
/// `NETNSA_FD`.
pub const NETNSA_FD: u16 = 3;
/// `NETNSA_TARGET_NSID`.
pub const NETNSA_TARGET_NSID: u16 = 4;
/// `NETNSA_CURRENT_NSID`.
pub const NETNSA_CURRENT_NSID: u16 = 5;
