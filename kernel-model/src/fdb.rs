//! PF_BRIDGE neighbour requests (net/core/rtnetlink.c): `rtnl_fdb_add`, `rtnl_fdb_del`,
//! `rtnl_fdb_dump` and the default `ndo_fdb_*` of devices without their own (the device's
//! unicast and multicast address lists). The bridge's forwarding database itself lives in
//! `kinds/bridge/fdb.rs`.

use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::hwaddr::HwAddr;
use crate::kernel::{Event, Kernel, LinkMsg};
use crate::uapi::{arphrd, errno};

/// `NTF_*` (include/uapi/linux/neighbour.h).
pub mod ntf {
    pub const USE: u8 = 0x01;
    pub const SELF: u8 = 0x02;
    pub const MASTER: u8 = 0x04;
    pub const EXT_LEARNED: u8 = 0x10;
    pub const OFFLOADED: u8 = 0x20;
    pub const STICKY: u8 = 0x40;
    pub const ROUTER: u8 = 0x80;
}

/// `NUD_*`.
pub mod nud {
    pub const REACHABLE: u16 = 0x02;
    pub const STALE: u16 = 0x04;
    pub const NOARP: u16 = 0x40;
    pub const PERMANENT: u16 = 0x80;
}

/// The `NLM_F_*` bits of a neighbour request that `rtnl_fdb_add` / `rtnl_fdb_del` and the
/// `ndo_fdb_*` read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FdbNlmFlags {
    pub replace: bool,
    /// NLM_F_EXCL; on RTM_DELNEIGH the same bit is NLM_F_BULK.
    pub excl: bool,
    pub create: bool,
}

/// NDA_VLAN as sent: `fdb_vid_parse` checks its size itself, after the checks before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NdaVlan {
    Vid(u16),
    /// `nla_len(tb[NDA_VLAN]) != sizeof(u16)`.
    BadSize,
}

/// `VLAN_VID_MASK`.
const VLAN_VID_MASK: u16 = 0x0fff;

/// One PF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH as the kernel fills it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdbMsg {
    pub ifindex: u32,
    pub state: u16,
    /// `ndm_flags`.
    pub flags: u8,
    pub addr: HwAddr,
    /// NDA_VLAN when non-zero.
    pub vid: u16,
    /// A bridge entry (`fdb_fill_info`): NDA_MASTER, NDA_FLAGS_EXT and NDA_CACHEINFO follow
    /// NDA_LLADDR. `None` is the address-list form (`nlmsg_populate_fdb_fill`).
    pub master: Option<u32>,
    pub ext_flags: u32,
}

/// RTM_NEWNEIGH / RTM_DELNEIGH of family PF_BRIDGE, as `rtnl_fdb_add` / `rtnl_fdb_del`
/// parse it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FdbRequest {
    pub ifindex: i32,
    pub state: u16,
    pub ndm_flags: u8,
    pub lladdr: Option<Vec<u8>>,
    pub vlan: Option<NdaVlan>,
    pub nlm: FdbNlmFlags,
    /// NDA_FLAGS_EXT.
    pub flags_ext: Option<u32>,
    /// NDA_FDB_EXT_ATTRS present (activity notification: not modelled).
    pub fdb_ext_attrs: bool,
    /// NDA_NH_ID, NDA_SRC_VNI, NDA_DST, NDA_PORT, NDA_VNI...: attributes only vxlan reads.
    pub other_attrs: bool,
}

/// RTM_GETNEIGH of family PF_BRIDGE without NLM_F_DUMP, after `valid_fdb_get_strict`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FdbGet {
    pub ndm_flags: u8,
    /// NDA_MASTER.
    pub br_idx: u32,
    /// `ndm_ifindex`.
    pub brport_idx: u32,
    /// NDA_LLADDR.
    pub addr: Option<HwAddr>,
    pub vid: u16,
}

/// What a device's `ndo_fdb_add` / `ndo_fdb_del` get after `rtnl_fdb_add`'s checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdbOp {
    pub state: u16,
    pub ndm_flags: u8,
    pub addr: HwAddr,
    pub vid: u16,
    pub nlm: FdbNlmFlags,
    pub flags_ext: Option<u32>,
    pub fdb_ext_attrs: bool,
}

/// `netif_is_bridge_port`.
pub fn is_bridge_port(k: &Kernel, id: DevId) -> bool {
    k.dev(id)
        .port
        .as_ref()
        .is_some_and(|p| p.master().1.ops().is_bridge_master())
}

fn einval(msg: &'static str) -> KernelError {
    KernelError::new(errno::EINVAL).msg(msg)
}

/// `ndo_dflt_fdb_add`: permanent unicast or multicast addresses in the device's lists.
pub fn ndo_dflt_fdb_add(k: &mut Kernel, dev: DevId, op: &FdbOp) -> KResult<()> {
    if op.state != 0 && op.state & nud::PERMANENT == 0 {
        return Err(KernelError::new(errno::EINVAL));
    }
    if op.flags_ext.is_some() || op.vid != 0 {
        return Err(KernelError::new(errno::EINVAL));
    }
    let r = if !op.addr.is_multicast() || is_link_local_ether(&op.addr) {
        k.dev_uc_add_excl(dev, op.addr)
    } else {
        k.dev_mc_add_excl(dev, op.addr)
    };
    // Only return duplicate errors if NLM_F_EXCL is set.
    match r {
        Err(e) if e.errno == errno::EEXIST && !op.nlm.excl => Ok(()),
        r => r,
    }
}

/// `ndo_dflt_fdb_del`.
pub fn ndo_dflt_fdb_del(k: &mut Kernel, dev: DevId, op: &FdbOp) -> KResult<()> {
    if op.state & nud::PERMANENT == 0 {
        return Err(KernelError::new(errno::EINVAL));
    }
    if !op.addr.is_multicast() || is_link_local_ether(&op.addr) {
        k.dev_uc_del_checked(dev, op.addr)
    } else {
        k.dev_mc_del(dev, op.addr)
    }
}

/// `ndo_dflt_fdb_dump`: the unicast list, then the multicast list (Ethernet devices only).
pub fn ndo_dflt_fdb_dump(k: &Kernel, dev: DevId, out: &mut Vec<FdbMsg>) {
    let d = k.dev(dev);
    if d.dev_type != arphrd::ETHER {
        return;
    }
    let mc = d.mc.iter().map(|e| HwAddr::eth(e.addr));
    for addr in d.uc.iter().map(|e| e.0).chain(mc) {
        out.push(FdbMsg {
            ifindex: d.ifindex,
            state: nud::PERMANENT,
            flags: ntf::SELF,
            addr,
            vid: 0,
            master: None,
            ext_flags: 0,
        });
    }
}

/// `is_link_local_ether_addr`: 01:80:c2:00:00:0X.
fn is_link_local_ether(a: &HwAddr) -> bool {
    let b = a.as_bytes();
    b.len() == 6 && b[..5] == [0x01, 0x80, 0xc2, 0, 0] && b[5] & 0xf0 == 0
}

/// `fdb_vid_parse`.
fn fdb_vid_parse(vlan: Option<NdaVlan>) -> KResult<u16> {
    let vid = match vlan {
        None => return Ok(0),
        Some(NdaVlan::BadSize) => return Err(einval("invalid vlan attribute size")),
        Some(NdaVlan::Vid(vid)) => vid,
    };
    if vid == 0 || vid >= VLAN_VID_MASK {
        return Err(einval("invalid vlan id"));
    }
    Ok(vid)
}

impl Kernel {
    /// The checks `rtnl_fdb_add` and `rtnl_fdb_del` share, in their order.
    fn fdb_request_dev(&self, ns: NetnsId, req: &FdbRequest, del: bool) -> KResult<(DevId, FdbOp)> {
        if req.ifindex == 0 {
            return Err(einval("invalid ifindex"));
        }
        let dev = u32::try_from(req.ifindex)
            .ok()
            .and_then(|i| self.dev_by_index(ns, i))
            .ok_or_else(|| KernelError::new(errno::ENODEV).msg("unknown ifindex"))?;
        let addr = req
            .lladdr
            .as_deref()
            .filter(|a| a.len() == 6)
            .and_then(HwAddr::from_slice)
            .ok_or_else(|| einval("invalid address"))?;
        let ether = self.dev(dev).dev_type == arphrd::ETHER;
        // rtnl_fdb_add checks the type before the VLAN, rtnl_fdb_del after it.
        if !del && !ether {
            return Err(einval("FDB add only supported for Ethernet devices"));
        }
        let vid = fdb_vid_parse(req.vlan)?;
        if del && !ether {
            return Err(einval("FDB delete only supported for Ethernet devices"));
        }
        Ok((
            dev,
            FdbOp {
                state: req.state,
                ndm_flags: req.ndm_flags,
                addr,
                vid,
                nlm: req.nlm,
                flags_ext: req.flags_ext,
                fdb_ext_attrs: req.fdb_ext_attrs,
            },
        ))
    }

    /// `rtnl_fdb_add`: the bridge's `ndo_fdb_add` for a port (NTF_MASTER or no flags), then
    /// the device's own (NTF_SELF), which is announced with `rtnl_fdb_notify`.
    pub fn rtnl_fdb_add(&mut self, ns: NetnsId, req: &FdbRequest) -> KResult<()> {
        let (dev, op) = self.fdb_request_dev(ns, req, false)?;
        let mut flags = op.ndm_flags;
        let mut res = Err(KernelError::new(errno::EOPNOTSUPP));
        if (flags == 0 || flags & ntf::MASTER != 0) && is_bridge_port(self, dev) {
            let Some(br) = self.dev(dev).master else {
                return res;
            };
            self.dev(br).kind.ops().fdb_add(self, dev, &op)?;
            res = Ok(());
            flags &= !ntf::MASTER;
        }
        if flags & ntf::SELF != 0 {
            res = self.dev(dev).kind.ops().fdb_add(self, dev, &op);
            if res.is_ok() {
                self.rtnl_fdb_notify(dev, &op, LinkMsg::New);
            }
        }
        res
    }

    /// `rtnl_fdb_del` (not the NLM_F_BULK form).
    pub fn rtnl_fdb_del(&mut self, ns: NetnsId, req: &FdbRequest) -> KResult<()> {
        if req.nlm.excl {
            // NLM_F_BULK shares its bit with NLM_F_EXCL.
            return Err(KernelError::not_modelled("bulk FDB deletion (NLM_F_BULK)"));
        }
        let (dev, op) = self.fdb_request_dev(ns, req, true)?;
        let mut flags = op.ndm_flags;
        let mut res = Err(KernelError::new(errno::EOPNOTSUPP));
        if (flags == 0 || flags & ntf::MASTER != 0) && is_bridge_port(self, dev) {
            let Some(br) = self.dev(dev).master else {
                return res;
            };
            self.dev(br).kind.ops().fdb_del(self, dev, &op)?;
            res = Ok(());
            flags &= !ntf::MASTER;
        }
        if flags & ntf::SELF != 0 {
            res = self.dev(dev).kind.ops().fdb_del(self, dev, &op);
            if res.is_ok() {
                self.rtnl_fdb_notify(dev, &op, LinkMsg::Del);
            }
        }
        res
    }

    /// `rtnl_fdb_get`: the entry for (address, VLAN) from the bridge of `br_idx` or of the port
    /// `brport_idx` (or the device's own `ndo_fdb_get` with NTF_SELF).
    pub fn rtnl_fdb_get(&self, ns: NetnsId, req: &FdbGet) -> KResult<FdbMsg> {
        let Some(addr) = req.addr else {
            return Err(einval("Missing lookup address for fdb get request"));
        };
        let mut dev = None;
        if req.brport_idx != 0 {
            dev =
                Some(self.dev_by_index(ns, req.brport_idx).ok_or_else(|| {
                    KernelError::new(errno::ENODEV).msg("Unknown device ifindex")
                })?);
        }
        let mut br_dev = None;
        let mut ops_dev = None;
        if req.br_idx != 0 {
            if dev.is_some() {
                return Err(einval("Master and device are mutually exclusive"));
            }
            let b = self
                .dev_by_index(ns, req.br_idx)
                .ok_or_else(|| einval("Invalid master ifindex"))?;
            br_dev = Some(b);
            ops_dev = Some(b);
        }
        if let Some(d) = dev {
            if req.ndm_flags == 0 || req.ndm_flags & ntf::MASTER != 0 {
                if !is_bridge_port(self, d) {
                    return Err(einval("Device is not a bridge port"));
                }
                let b = self
                    .dev(d)
                    .master
                    .ok_or_else(|| einval("Master of device not found"))?;
                br_dev = Some(b);
                ops_dev = Some(b);
            } else {
                if req.ndm_flags & ntf::SELF == 0 {
                    return Err(einval("Missing NTF_SELF"));
                }
                ops_dev = Some(d);
            }
        }
        let Some(ops_dev) = ops_dev else {
            return Err(KernelError::new(errno::ENODEV).msg("No device specified"));
        };
        let target = br_dev.or(dev).unwrap_or(ops_dev);
        self.dev(ops_dev)
            .kind
            .ops()
            .fdb_get(self, target, addr, req.vid)
    }

    /// `rtnl_fdb_notify`: NTF_SELF, the request's state, to RTNLGRP_NEIGH.
    fn rtnl_fdb_notify(&mut self, dev: DevId, op: &FdbOp, msg: LinkMsg) {
        let d = self.dev(dev);
        let m = FdbMsg {
            ifindex: d.ifindex,
            state: op.state,
            flags: ntf::SELF,
            addr: op.addr,
            vid: op.vid,
            master: None,
            ext_flags: 0,
        };
        let netns = d.netns;
        self.push_fdb_event(netns, msg, m);
    }

    pub(crate) fn push_fdb_event(&mut self, netns: NetnsId, msg: LinkMsg, fdb: FdbMsg) {
        self.events.push(Event::Fdb {
            msg,
            netns,
            fdb: Box::new(fdb),
        });
    }

    /// `rtnl_fdb_dump`: devices in `dev_index_head` order (bucket `ifindex % 256`, newest
    /// first inside a bucket); for a bridge port its bridge's entries towards it, then the
    /// device's own dump. `br_idx` is NDA_MASTER / IFLA_MASTER, `brport_idx` the device.
    pub fn rtnl_fdb_dump(&self, ns: NetnsId, br_idx: u32, brport_idx: u32) -> KResult<Vec<FdbMsg>> {
        let br_dev = if br_idx != 0 {
            Some(
                self.dev_by_index(ns, br_idx)
                    .ok_or_else(|| KernelError::new(errno::ENODEV))?,
            )
        } else {
            None
        };
        let mut devs: Vec<&crate::device::NetDevice> = self.devices_from(ns, 0).collect();
        devs.sort_by_key(|d| (d.ifindex % 256, std::cmp::Reverse(d.id)));
        let mut out = Vec::new();
        for d in devs {
            if brport_idx != 0 && d.ifindex != brport_idx {
                continue;
            }
            let port = is_bridge_port(self, d.id);
            let master = d.master;
            let cops_dev = match br_dev {
                None => port.then_some(master).flatten(),
                Some(b) => {
                    if d.id != b && !port {
                        continue;
                    }
                    let is_bridge = d.kind.ops().is_bridge_master();
                    if Some(b) != master && !is_bridge {
                        continue;
                    }
                    Some(b)
                }
            };
            if port {
                if let Some(b) = cops_dev {
                    self.dev(b)
                        .kind
                        .ops()
                        .fdb_dump(self, b, Some(d.id), &mut out)?;
                }
            }
            d.kind.ops().fdb_dump(self, d.id, None, &mut out)?;
        }
        Ok(out)
    }
}
