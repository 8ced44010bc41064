//! The rtnetlink side of net/core/neighbour.c for AF_INET / AF_INET6: `neigh_add`
//! (RTM_NEWNEIGH), `neigh_delete` (RTM_DELNEIGH), `neigh_get` and `neigh_dump_info`
//! (RTM_GETNEIGH), with the proxy entries' `pneigh_lookup` / `pneigh_delete` /
//! `pneigh_ifdown`. `sim/` parses the messages into the request types here.

use super::{key_of, ntf, nud, update, Family, Key, NeighMsg, PneighEntry};
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::uapi::errno;

/// The NLM_F_* bits `neigh_add` reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeighNlmFlags {
    pub create: bool,
    pub excl: bool,
    pub replace: bool,
}

/// RTM_NEWNEIGH / RTM_DELNEIGH: `struct ndmsg` and the attributes the handlers read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighRequest {
    pub family: u8,
    pub ifindex: i32,
    pub state: u16,
    pub ndm_flags: u8,
    /// NDA_DST.
    pub dst: Option<Vec<u8>>,
    /// NDA_LLADDR.
    pub lladdr: Option<Vec<u8>>,
    /// NDA_PROTOCOL.
    pub protocol: Option<u8>,
    /// NDA_FLAGS_EXT (already checked against NTF_EXT_MASK by the policy).
    pub flags_ext: Option<u32>,
    pub nlm: NeighNlmFlags,
}

/// RTM_GETNEIGH without NLM_F_DUMP, after `neigh_valid_get_req`'s header checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighGet {
    pub family: u8,
    pub ifindex: i32,
    pub proxy: bool,
    pub dst: Option<Vec<u8>>,
}

/// The filter of `neigh_dump_info` (`struct neigh_dump_filter`) and what it dumps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeighDumpFilter {
    /// `rtgen_family`: 0 walks every table.
    pub family: u8,
    /// `ndm_flags == NTF_PROXY`: the proxy entries instead.
    pub proxy: bool,
    pub dev_idx: i32,
    pub master_idx: i32,
}

fn einval(msg: &'static str) -> KernelError {
    KernelError::new(errno::EINVAL).msg(msg)
}

impl Kernel {
    fn neigh_dev(&self, ns: NetnsId, ifindex: i32) -> KResult<Option<DevId>> {
        if ifindex == 0 {
            return Ok(None);
        }
        u32::try_from(ifindex)
            .ok()
            .and_then(|i| self.dev_by_index(ns, i))
            .map(Some)
            .ok_or_else(|| KernelError::new(errno::ENODEV))
    }

    /// `neigh_add`.
    pub fn neigh_add(&mut self, ns: NetnsId, req: &NeighRequest) -> KResult<()> {
        let mut flags = update::ADMIN | update::OVERRIDE | update::OVERRIDE_ISROUTER;
        let Some(dst) = &req.dst else {
            return Err(einval("Network address not specified"));
        };
        let mut ndm_flags = u32::from(req.ndm_flags);
        if let Some(ext) = req.flags_ext {
            ndm_flags |= ext << ntf::EXT_SHIFT;
        }
        let dev = self.neigh_dev(ns, req.ifindex)?;
        if let (Some(d), Some(ll)) = (dev, &req.lladdr) {
            if ll.len() < self.dev(d).addr.len() {
                return Err(einval("Invalid link address"));
            }
        }
        let Some(f) = Family::from_af(req.family) else {
            return Err(KernelError::new(errno::EAFNOSUPPORT));
        };
        if dst.len() < f.key_len() {
            return Err(einval("Invalid network address"));
        }
        let key = key_of(f, dst);
        let protocol = req.protocol.unwrap_or(0);
        if ndm_flags & ntf::PROXY != 0 {
            if ndm_flags & ntf::MANAGED != 0 {
                return Err(einval("Invalid NTF_* flag combination"));
            }
            let Some(i) = self.pneigh_lookup(ns, f, &key, dev, true) else {
                return Err(KernelError::new(errno::ENOBUFS));
            };
            if let Some(pn) = self
                .neigh_state_mut(ns)
                .and_then(|st| st.table_mut(f).proxies.get_mut(i))
            {
                pn.flags = ndm_flags;
                pn.permanent = req.state & nud::PERMANENT != 0;
                if protocol != 0 {
                    pn.protocol = protocol;
                }
            }
            return Ok(());
        }
        let Some(dev) = dev else {
            return Err(einval("Device not specified"));
        };
        if f == Family::Inet6 {
            self.ndisc_allow_add(dev)?;
        }
        // What needs traffic: NTF_USE / NTF_MANAGED start a resolution (neigh_event_send),
        // DELAY / PROBE arm the timer that sends probes.
        if ndm_flags & (ntf::USE | ntf::MANAGED) != 0 {
            return Err(KernelError::not_modelled(
                "neighbour resolution (NTF_USE, managed entries: probes on the wire)",
            ));
        }
        if req.state & (nud::DELAY | nud::PROBE) != 0 {
            return Err(KernelError::not_modelled(
                "neighbour states delay and probe (probes on the wire)",
            ));
        }
        let idx = match self.neigh_lookup(ns, f, &key, dev) {
            None => {
                if !req.nlm.create {
                    return Err(KernelError::new(errno::ENOENT));
                }
                self.neigh_create(ns, f, &key, dev, ndm_flags & ntf::EXT_LEARNED)?
            }
            Some(i) => {
                if req.nlm.excl {
                    return Err(KernelError::new(errno::EEXIST));
                }
                if !req.nlm.replace {
                    flags &= !(update::OVERRIDE | update::OVERRIDE_ISROUTER);
                }
                i
            }
        };
        if protocol != 0 {
            if let Some(n) = self
                .neigh_state_mut(ns)
                .and_then(|st| st.table_mut(f).entries.get_mut(idx))
            {
                n.protocol = protocol;
            }
        }
        if ndm_flags & ntf::EXT_LEARNED != 0 {
            flags |= update::EXT_LEARNED;
        }
        if ndm_flags & ntf::ROUTER != 0 {
            flags |= update::ISROUTER;
        }
        self.neigh_update((ns, f, idx), req.lladdr.as_deref(), req.state, flags, true)
    }

    /// `neigh_delete`.
    pub fn neigh_delete(&mut self, ns: NetnsId, req: &NeighRequest) -> KResult<()> {
        let Some(dst) = &req.dst else {
            return Err(einval("Network address not specified"));
        };
        let dev = self.neigh_dev(ns, req.ifindex)?;
        let Some(f) = Family::from_af(req.family) else {
            return Err(KernelError::new(errno::EAFNOSUPPORT));
        };
        if dst.len() < f.key_len() {
            return Err(einval("Invalid network address"));
        }
        let key = key_of(f, dst);
        if req.ndm_flags as u32 & ntf::PROXY != 0 {
            return self.pneigh_delete(ns, f, &key, dev);
        }
        let Some(dev) = dev else {
            return Err(KernelError::new(errno::EINVAL));
        };
        let Some(idx) = self.neigh_lookup(ns, f, &key, dev) else {
            return Err(KernelError::new(errno::ENOENT));
        };
        let r = self.neigh_update(
            (ns, f, idx),
            None,
            nud::FAILED,
            update::OVERRIDE | update::ADMIN,
            true,
        );
        // neigh_remove_one: the entry goes whatever the update said.
        self.neigh_remove(ns, f, idx);
        r
    }

    /// `neigh_get` after `neigh_valid_get_req`.
    pub fn neigh_get(&mut self, ns: NetnsId, req: &NeighGet) -> KResult<NeighMsg> {
        let Some(f) = Family::from_af(req.family) else {
            return Err(KernelError::new(errno::EAFNOSUPPORT)
                .msg("Unsupported family in header for neighbor get request"));
        };
        if let Some(d) = &req.dst {
            if d.len() != f.key_len() {
                return Err(einval("Invalid network address in neighbor get request"));
            }
        }
        let dev = self
            .neigh_dev(ns, req.ifindex)
            .map_err(|e| e.msg("Unknown device ifindex"))?;
        let Some(dst) = &req.dst else {
            return Err(einval("Network address not specified"));
        };
        let key = key_of(f, dst);
        if req.proxy {
            let Some(i) = self.pneigh_lookup(ns, f, &key, dev, false) else {
                return Err(KernelError::new(errno::ENOENT).msg("Proxy neighbour entry not found"));
            };
            let pn = self
                .neigh_state(ns)
                .and_then(|st| st.table(f).proxies.get(i))
                .cloned()
                .ok_or_else(|| KernelError::new(errno::ENOENT))?;
            return Ok(self.pneigh_fill(f, &pn));
        }
        let Some(dev) = dev else {
            return Err(einval("No device specified"));
        };
        let Some(idx) = self.neigh_lookup(ns, f, &key, dev) else {
            return Err(KernelError::new(errno::ENOENT).msg("Neighbour entry not found"));
        };
        self.neigh_fill(ns, f, idx)
            .ok_or_else(|| KernelError::new(errno::ENOENT))
    }

    /// `neigh_master_filtered` || `neigh_ifindex_filtered`.
    fn neigh_filtered(&self, dev: Option<DevId>, flt: &NeighDumpFilter) -> bool {
        let d = dev.and_then(|d| self.try_dev(d));
        if flt.dev_idx != 0 && d.is_none_or(|d| d.ifindex as i32 != flt.dev_idx) {
            return true;
        }
        if flt.master_idx == 0 {
            return false;
        }
        let master = d
            .and_then(|d| d.master)
            .and_then(|m| self.try_dev(m))
            .map(|m| m.ifindex as i32);
        if flt.master_idx == -1 {
            return master.is_some();
        }
        master != Some(flt.master_idx)
    }

    /// `neigh_dump_info`: the entries (or proxy entries) of each table the family selects,
    /// arp first, as `neigh_dump_table` / `pneigh_dump_table` fill them.
    pub fn neigh_dump(&self, ns: NetnsId, flt: &NeighDumpFilter) -> Vec<NeighMsg> {
        let mut out = Vec::new();
        let Some(st) = self.neigh_state(ns) else {
            return out;
        };
        for f in Family::ALL {
            if flt.family != 0 && f.af() != flt.family {
                continue;
            }
            let t = st.table(f);
            if flt.proxy {
                for pn in &t.proxies {
                    if !self.neigh_filtered(pn.dev, flt) {
                        out.push(self.pneigh_fill(f, pn));
                    }
                }
            } else {
                for (i, n) in t.entries.iter().enumerate() {
                    if self.neigh_filtered(Some(n.dev), flt) {
                        continue;
                    }
                    if let Some(m) = self.neigh_fill(ns, f, i) {
                        out.push(m);
                    }
                }
            }
        }
        out
    }

    /// `pneigh_lookup`: an entry for (`key`, `dev`) or a device-less one for `key`; with
    /// `create`, a new one when none (None if the table's pconstructor refuses).
    pub(crate) fn pneigh_lookup(
        &mut self,
        ns: NetnsId,
        f: Family,
        key: &Key,
        dev: Option<DevId>,
        create: bool,
    ) -> Option<usize> {
        let klen = f.key_len();
        let found = self.neigh_state(ns).and_then(|st| {
            st.table(f)
                .proxies
                .iter()
                .position(|p| p.key[..klen] == key[..klen] && (p.dev == dev || p.dev.is_none()))
        });
        if found.is_some() || !create {
            return found;
        }
        if f == Family::Inet6 && !self.pndisc_constructor(key, dev) {
            return None;
        }
        let st = self.neigh_state_mut(ns)?;
        st.table_mut(f).proxies.insert(
            0,
            PneighEntry {
                key: *key,
                dev,
                flags: 0,
                permanent: false,
                protocol: 0,
            },
        );
        Some(0)
    }

    /// `pneigh_delete`: the entry for exactly (`key`, `dev`).
    fn pneigh_delete(
        &mut self,
        ns: NetnsId,
        f: Family,
        key: &Key,
        dev: Option<DevId>,
    ) -> KResult<()> {
        let klen = f.key_len();
        let pos = self.neigh_state(ns).and_then(|st| {
            st.table(f)
                .proxies
                .iter()
                .position(|p| p.key[..klen] == key[..klen] && p.dev == dev)
        });
        let Some(i) = pos else {
            return Err(KernelError::new(errno::ENOENT));
        };
        let Some(st) = self.neigh_state_mut(ns) else {
            return Ok(());
        };
        let pn = st.table_mut(f).proxies.remove(i);
        if f == Family::Inet6 {
            self.pndisc_destructor(&pn.key, pn.dev);
        }
        Ok(())
    }

    /// `pneigh_ifdown_and_unlock` for `dev` (permanent entries kept with `skip_perm`).
    pub(crate) fn pneigh_ifdown(&mut self, ns: NetnsId, f: Family, dev: DevId, skip_perm: bool) {
        let Some(st) = self.neigh_state_mut(ns) else {
            return;
        };
        let (gone, kept): (Vec<PneighEntry>, Vec<PneighEntry>) =
            std::mem::take(&mut st.table_mut(f).proxies)
                .into_iter()
                .partition(|p| !(skip_perm && p.permanent) && p.dev == Some(dev));
        st.table_mut(f).proxies = kept;
        if f == Family::Inet6 {
            for pn in gone {
                self.pndisc_destructor(&pn.key, pn.dev);
            }
        }
    }
}
