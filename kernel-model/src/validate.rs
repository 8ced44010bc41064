//! The invariants the model relies on, checked as a whole: on a state loaded from a file
//! (`nlsim run --state`), which anyone can edit, and by the tests after every operation
//! ([`Kernel::check_invariants`]). The model's code indexes devices by id and expects every
//! relation to point back; a state that breaks one would panic it mid-run, so a loaded state
//! is refused before the first request with the first violation found, named.
//!
//! What is checked is what the kernel itself guarantees by construction: a device lives in an
//! existing namespace under a name `dev_valid_name` accepts and an ifindex in the 31-bit range
//! `dev_index_reserve` hands out, the per-namespace index and name tables agree with the
//! devices, and every device reference (master, lower, veth peer, ports, tunnel and tun links)
//! names a live device of the right kind that points back.

use crate::device::{DevId, NetDevice, NetnsId};
use crate::kernel::{Kernel, INIT_NET};
use crate::name::dev_valid_name;
use crate::uapi::ALTIFNAMSIZ;

/// The first inconsistency found: what (`subject`), which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{subject}: {field}: {why}")]
pub struct Violation {
    pub subject: String,
    pub field: String,
    pub why: String,
}

/// A device as messages name it; a name too long for a message (a hostile file's) is cut.
pub fn dev_subject(d: &NetDevice) -> String {
    const SHOWN: usize = 32;
    if d.name.len() <= SHOWN {
        return format!("device {:?} (id {})", d.name, d.id.0);
    }
    let mut cut = SHOWN;
    while !d.name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "device {:?}... ({} bytes, id {})",
        &d.name[..cut],
        d.name.len(),
        d.id.0
    )
}

pub fn on_dev(d: &NetDevice, field: &str, why: impl Into<String>) -> Violation {
    Violation {
        subject: dev_subject(d),
        field: field.to_string(),
        why: why.into(),
    }
}

fn on_netns(ns: NetnsId, field: &str, why: impl Into<String>) -> Violation {
    Violation {
        subject: format!("namespace {}", ns.0),
        field: field.to_string(),
        why: why.into(),
    }
}

fn on_kernel(field: &str, why: impl Into<String>) -> Violation {
    Violation {
        subject: "state".to_string(),
        field: field.to_string(),
        why: why.into(),
    }
}

/// `xa_limit_31b`: `dev_index_reserve` hands out ifindexes 1..=INT_MAX.
const IFINDEX_MAX: u32 = i32::MAX as u32;

impl Kernel {
    /// Every invariant the model relies on; the first violation found, or Ok.
    /// Each device on its own first (the clearest message for an edited field), then the
    /// tables that list them, then the relations between devices.
    pub fn validate(&self) -> Result<(), Violation> {
        for d in self.devices.values() {
            self.validate_device_fields(d)?;
        }
        self.validate_tables()?;
        for d in self.devices.values() {
            self.validate_device_links(d)?;
        }
        for d in self.devices.values() {
            self.validate_back_links(d)?;
        }
        self.validate_files()
    }

    /// The namespaces, the id allocators and the per-namespace index and name tables.
    fn validate_tables(&self) -> Result<(), Violation> {
        if !self.namespaces.contains_key(&INIT_NET) {
            return Err(on_kernel(
                "namespaces",
                "the initial namespace 0 is missing",
            ));
        }
        for (key, n) in &self.namespaces {
            if n.id != *key {
                return Err(on_netns(*key, "id", format!("is {}", n.id.0)));
            }
            // `netns_new` hands out next_netns_id and counts up: it must be past every id.
            if key.0 >= self.next_netns_id {
                return Err(on_kernel(
                    "next_netns_id",
                    format!("{} is not past namespace {}", self.next_netns_id, key.0),
                ));
            }
        }
        if self.next_netns_id == u32::MAX {
            return Err(on_kernel(
                "next_netns_id",
                "at its maximum, no id left to allocate",
            ));
        }
        for (key, d) in &self.devices {
            if d.id != *key {
                return Err(on_dev(d, "id", format!("filed under id {}", key.0)));
            }
            if key.0 >= self.next_dev_id {
                return Err(on_kernel(
                    "next_dev_id",
                    format!("{} is not past device id {}", self.next_dev_id, key.0),
                ));
            }
        }
        if self.next_dev_id == u64::MAX {
            return Err(on_kernel(
                "next_dev_id",
                "at its maximum, no id left to allocate",
            ));
        }
        for (nsid, n) in &self.namespaces {
            self.validate_netns_tables(*nsid, n)?;
        }
        let listed: usize = self.namespaces.values().map(|n| n.by_index.len()).sum();
        if listed != self.devices.len() {
            // Each listed entry points at a distinct device of its namespace (checked above),
            // so some device is in no index table.
            for d in self.devices.values() {
                let in_table = self
                    .namespaces
                    .get(&d.netns)
                    .is_some_and(|n| n.by_index.get(&d.ifindex) == Some(&d.id));
                if !in_table {
                    return Err(on_dev(
                        d,
                        "ifindex",
                        format!("{} is not in its namespace's index table", d.ifindex),
                    ));
                }
            }
            return Err(on_kernel(
                "devices",
                format!("{} devices but {listed} indexed", self.devices.len()),
            ));
        }
        Ok(())
    }

    fn validate_netns_tables(
        &self,
        nsid: NetnsId,
        n: &crate::kernel::Netns,
    ) -> Result<(), Violation> {
        if n.ifindex_next > IFINDEX_MAX {
            return Err(on_netns(
                nsid,
                "ifindex_next",
                format!("{} is beyond the 31-bit ifindex range", n.ifindex_next),
            ));
        }
        for (idx, id) in &n.by_index {
            let d = self.devices.get(id).ok_or_else(|| {
                on_netns(
                    nsid,
                    "by_index",
                    format!("{idx} -> device id {} that does not exist", id.0),
                )
            })?;
            if d.netns != nsid {
                return Err(on_netns(
                    nsid,
                    "by_index",
                    format!("{idx} -> {} of namespace {}", dev_subject(d), d.netns.0),
                ));
            }
            if d.ifindex != *idx {
                return Err(on_netns(
                    nsid,
                    "by_index",
                    format!("{idx} -> {} whose ifindex is {}", dev_subject(d), d.ifindex),
                ));
            }
            if n.by_name.get(&d.name) != Some(id) {
                return Err(on_dev(d, "name", "not in its namespace's name table"));
            }
            for alt in &d.altnames {
                if n.by_name.get(alt) != Some(id) {
                    return Err(on_dev(
                        d,
                        "altnames",
                        format!("{alt:?} not in its namespace's name table"),
                    ));
                }
            }
        }
        for (name, id) in &n.by_name {
            let d = self.devices.get(id).ok_or_else(|| {
                on_netns(
                    nsid,
                    "by_name",
                    format!("{name:?} -> device id {} that does not exist", id.0),
                )
            })?;
            if d.netns != nsid || !d.has_name(name) {
                return Err(on_netns(
                    nsid,
                    "by_name",
                    format!(
                        "{name:?} -> {}, which has no such name here",
                        dev_subject(d)
                    ),
                ));
            }
        }
        for (nsid_val, peer) in &n.netns_ids {
            if *nsid_val < 0 {
                return Err(on_netns(
                    nsid,
                    "netns_ids",
                    format!("negative nsid {nsid_val}"),
                ));
            }
            if !self.namespaces.contains_key(peer) {
                return Err(on_netns(
                    nsid,
                    "netns_ids",
                    format!(
                        "nsid {nsid_val} -> namespace {} that does not exist",
                        peer.0
                    ),
                ));
            }
        }
        Ok(())
    }

    /// What a device must be on its own: in a namespace, well named, well indexed.
    fn validate_device_fields(&self, d: &NetDevice) -> Result<(), Violation> {
        if !self.namespaces.contains_key(&d.netns) {
            return Err(on_dev(
                d,
                "netns",
                format!("namespace {} does not exist", d.netns.0),
            ));
        }
        // dev_valid_name: what register_netdevice and dev_change_name accept.
        if !dev_valid_name(&d.name) {
            return Err(on_dev(
                d,
                "name",
                "not a valid interface name (dev_valid_name)",
            ));
        }
        for alt in &d.altnames {
            // The IFLA_ALT_IFNAME policy (NLA_STRING, len ALTIFNAMSIZ - 1) then nla_strdup: up
            // to 127 bytes without a NUL; empty is possible (a lone NUL byte), and
            // netdev_name_node_alt_create applies no dev_valid_name.
            if alt.len() >= ALTIFNAMSIZ || alt.contains('\0') {
                return Err(on_dev(
                    d,
                    "altnames",
                    format!("{alt:?} is not a valid altname"),
                ));
            }
        }
        if d.ifindex == 0 || d.ifindex > IFINDEX_MAX {
            return Err(on_dev(
                d,
                "ifindex",
                format!("{} is outside 1..=2147483647", d.ifindex),
            ));
        }
        // Address-list entries and memberships exist while referenced: the model removes
        // one when its count drops to 0 (`__hw_addr_del_entry`, `ip_mc_dec_group`).
        if let Some((a, _)) = d.uc.iter().find(|e| e.1 == 0) {
            return Err(on_dev(d, "uc", format!("{a:?} has no reference")));
        }
        if let Some(e) = d.mc.iter().find(|e| e.refs == 0) {
            return Err(on_dev(d, "mc", format!("{:02x?} has no reference", e.addr)));
        }
        if let Some(extra) = &d.inet.extra {
            if let Some(g) = extra.groups.iter().find(|g| g.users == 0) {
                return Err(on_dev(
                    d,
                    "inet.groups",
                    format!("{:02x?} has no user", g.addr),
                ));
            }
        }
        if !d.kind.ops().state_fits(&d.state) {
            return Err(on_dev(
                d,
                "state",
                format!("does not belong to a {:?} device", d.kind),
            ));
        }
        Ok(())
    }

    /// The device's own references to other devices.
    fn validate_device_links(&self, d: &NetDevice) -> Result<(), Violation> {
        self.validate_master(d)?;
        self.validate_lower(d)?;
        if let Some(extra) = &d.inet.extra {
            for (to, _, _) in &extra.synced {
                self.live(d, "inet.synced", *to)?;
            }
        }
        self.validate_kind_links(d)
    }

    /// The masters' port lists and the veth pairs, both ends (after every device's own
    /// references, so an edited reference is reported at the device that holds it): the
    /// device's own kind, then, for a port, its master's kind.
    fn validate_back_links(&self, d: &NetDevice) -> Result<(), Violation> {
        d.kind.ops().check_invariants(self, d)?;
        if let Some(p) = &d.port {
            let (_, master_kind) = p.master();
            if master_kind != d.kind {
                master_kind.ops().check_invariants(self, d)?;
            }
        }
        Ok(())
    }

    /// `id` names a live device other than `d` (a reference held in `d`'s `field`).
    pub fn live(&self, d: &NetDevice, field: &str, id: DevId) -> Result<&NetDevice, Violation> {
        if id == d.id {
            return Err(on_dev(d, field, "points at the device itself"));
        }
        self.try_dev(id)
            .ok_or_else(|| on_dev(d, field, format!("device id {} does not exist", id.0)))
    }

    /// `netdev_master_upper_dev_link`: a master of a master kind in the same namespace, with
    /// the port state that master created; no master chain loops back.
    fn validate_master(&self, d: &NetDevice) -> Result<(), Violation> {
        let Some(m) = d.master else {
            if d.port.is_some() {
                return Err(on_dev(d, "port", "port state without a master"));
            }
            return Ok(());
        };
        let md = self.live(d, "master", m)?;
        if !md.kind.ops().is_master() {
            return Err(on_dev(
                d,
                "master",
                format!("{} is not a master kind", dev_subject(md)),
            ));
        }
        if md.netns != d.netns {
            return Err(on_dev(
                d,
                "master",
                format!("{} is in another namespace", dev_subject(md)),
            ));
        }
        match &d.port {
            Some(p) if p.master() == (m, md.kind) => {}
            _ => {
                return Err(on_dev(
                    d,
                    "port",
                    format!("no {:?} port state for master {}", md.kind, dev_subject(md)),
                ))
            }
        }
        self.no_loop(d, "master", |x| x.master)
    }

    /// Stacked devices (`netdev_upper_dev_link`): lower and uppers point at each other.
    fn validate_lower(&self, d: &NetDevice) -> Result<(), Violation> {
        if let Some(l) = d.lower {
            let ld = self.live(d, "lower", l)?;
            if !ld.uppers.contains(&d.id) {
                return Err(on_dev(
                    d,
                    "lower",
                    format!("{} does not list it", dev_subject(ld)),
                ));
            }
            self.no_loop(d, "lower", |x| x.lower)?;
        }
        for u in &d.uppers {
            let ud = self.live(d, "uppers", *u)?;
            if ud.lower != Some(d.id) {
                return Err(on_dev(
                    d,
                    "uppers",
                    format!("{} does not point back", dev_subject(ud)),
                ));
            }
        }
        Ok(())
    }

    /// Following `next` from `d` ends: `__netdev_upper_dev_link` refuses a loop (ELOOP).
    fn no_loop(
        &self,
        d: &NetDevice,
        field: &str,
        next: impl Fn(&NetDevice) -> Option<DevId>,
    ) -> Result<(), Violation> {
        let mut cur = next(d);
        for _ in 0..=self.devices.len() {
            match cur.and_then(|id| self.try_dev(id)) {
                Some(x) if x.id == d.id => break,
                Some(x) => cur = next(x),
                None => return Ok(()),
            }
        }
        Err(on_dev(d, field, "the chain loops"))
    }

    /// References inside a kind's private state.
    fn validate_kind_links(&self, d: &NetDevice) -> Result<(), Violation> {
        d.kind.ops().check_links(self, d)
    }

    /// A namespace reference in `d`'s `field` names an existing namespace.
    pub fn check_netns_ref(
        &self,
        d: &NetDevice,
        field: &str,
        ns: Option<NetnsId>,
    ) -> Result<(), Violation> {
        match ns {
            Some(ns) if !self.namespaces.contains_key(&ns) => Err(on_dev(
                d,
                field,
                format!("namespace {} does not exist", ns.0),
            )),
            _ => Ok(()),
        }
    }

    /// A stacked device's real device is its `lower` (vlan_dev_real_dev, macvlan_dev's
    /// lowerdev, ipvl_dev's phy_dev): the model reaches it through both.
    pub fn check_real_dev(
        &self,
        d: &NetDevice,
        field: &str,
        real: Option<DevId>,
    ) -> Result<(), Violation> {
        let Some(r) = real else {
            return Err(on_dev(d, field, "a registered device of this kind has one"));
        };
        self.live(d, field, r)?;
        if d.lower != Some(r) {
            return Err(on_dev(d, field, "differs from the device's lower"));
        }
        Ok(())
    }

    /// Open driver files (tun) and the `/run/netns` mounts.
    fn validate_files(&self) -> Result<(), Violation> {
        for (id, f) in &self.files {
            if *id >= self.next_file || self.next_file == u64::MAX {
                return Err(on_kernel(
                    "next_file",
                    format!("{} cannot follow file {id}", self.next_file),
                ));
            }
            f.check(self, *id)?;
        }
        for (name, ns) in &self.run_netns.files {
            if let Some(ns) = ns {
                if !self.namespaces.contains_key(ns) {
                    return Err(Violation {
                        subject: format!("/run/netns/{name}"),
                        field: "mount".into(),
                        why: format!("namespace {} does not exist", ns.0),
                    });
                }
            }
        }
        Ok(())
    }
}
