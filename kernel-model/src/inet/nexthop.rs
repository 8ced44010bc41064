//! net/ipv4/nexthop.c: nexthop objects (`struct nexthop`), single ones (`struct nh_info`) and
//! groups (`struct nh_group`: hash-threshold or resilient), per namespace
//! (`net->nexthop`), what RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_GETNEXTHOP do with them, and
//! the netdevice notifier (`nh_netdev_event`) that removes the nexthops of a device going
//! down or away.
//!
//! # What the routes side uses (API)
//!
//! * [`Kernel::nexthop_find`] — `nexthop_find_by_id`: a route's RTA_NH_ID; `None` →
//!   `fib_create_info` / `ip6_route_info_create` answer EINVAL "Nexthop id does not exist".
//! * [`Kernel::fib_check_nexthop`] — IPv4 route with a nexthop object (scope, fdb checks);
//!   [`Kernel::fib6_check_nexthop`] — IPv6 route ("IPv6 routes can not use an IPv4
//!   nexthop", "Route cannot point to a fdb nexthop", source routing).
//! * [`Kernel::nexthop_paths`] — what a route dump shows for `nhid N` (`nexthop_mpath_fill_node`
//!   / the single nexthop's gateway and device), as [`NhPath`]s.
//!
//! # What this file asks of the routes side (stubs the lead wires at merge)
//!
//! Functions whose doc comment says "the routes side replaces this body":
//! * [`Kernel::nh_fib_check_gw4`] — `fib_check_nh` for an IPv4 nexthop with a gateway
//!   (inet/fib/semantics.rs).
//! * [`Kernel::nh_ip6_validate_gw`] — `ip6_validate_gw` for an IPv6 gateway (ip6_route.rs).
//! * [`Kernel::nexthop_remove_fib`] — `__remove_nexthop_fib`: flush the IPv4 routes using the
//!   nexthop (`fib_flush` of fib_infos marked RTNH_F_DEAD) and `ip6_del_rt` the IPv6 ones.
//! * [`Kernel::nexthop_fib_users`] — the scopes of the IPv4 routes (`nh->fi_list`) and the
//!   source-routing flag of the IPv6 routes (`nh->f6i_list`) using a nexthop, for the replace
//!   checks (`fib_check_nh_list`, `fib6_check_nh_list`).
//! * [`Kernel::nexthop_replace_notify_routes`] — `__nexthop_replace_notify` (RTM_NEWROUTE
//!   with NLM_F_REPLACE for the routes of a replaced nexthop; net.ipv4.nexthop_compat_mode=1).
//!
//! Not modelled (refused with EOPNOTSUPP "nlsim: ..."): LWT encapsulation (NHA_ENCAP), group
//! statistics (NHA_OP_FLAGS on get/dump), resilient groups whose buckets would have to wait
//! for the idle timer to rebalance, and RTM_GETNEXTHOPBUCKET (no handler: not modelled).

use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::{Event, Kernel, LinkMsg, NetdevEvent};
use crate::time::HZ;
use crate::uapi::{errno, iff};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const AF_UNSPEC: u8 = 0;
pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;

/// `RTNH_F_*` (include/uapi/linux/rtnetlink.h).
pub mod rtnh_f {
    pub const DEAD: u32 = 1;
    pub const PERVASIVE: u32 = 2;
    pub const ONLINK: u32 = 4;
    pub const OFFLOAD: u32 = 8;
    pub const LINKDOWN: u32 = 16;
    pub const TRAP: u32 = 64;
}

/// `RT_SCOPE_*`.
pub mod scope {
    pub const UNIVERSE: u8 = 0;
    pub const LINK: u8 = 253;
    pub const HOST: u8 = 254;
}

/// `NEXTHOP_GRP_TYPE_MPATH` / `NEXTHOP_GRP_TYPE_RES`.
pub const NEXTHOP_GRP_TYPE_MPATH: u16 = 0;
pub const NEXTHOP_GRP_TYPE_RES: u16 = 1;
/// `NEXTHOP_VALID_USER_FLAGS` (include/net/nexthop.h).
const NEXTHOP_VALID_USER_FLAGS: u32 = rtnh_f::ONLINK;
/// `NH_RES_DEFAULT_IDLE_TIMER` (120 s) in jiffies; the unbalanced timer defaults to 0.
const NH_RES_DEFAULT_IDLE_TIMER: u64 = 120 * HZ;
/// `sizeof(struct nexthop_grp)`.
const NEXTHOP_GRP_LEN: usize = 8;
/// `NLM_F_REPLACE`, `NLM_F_CREATE`.
const NLM_F_REPLACE: u16 = 0x100;
const NLM_F_CREATE: u16 = 0x400;

/// A single nexthop (`struct nh_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhInfo {
    /// AF_INET or AF_INET6.
    pub family: u8,
    /// `fib_nhc.nhc_dev` (lo for a blackhole; none for fdb nexthops).
    pub dev: Option<DevId>,
    pub gw: Option<IpAddr>,
    /// `fib_nhc.nhc_scope`.
    pub scope: u8,
    /// `reject_nh`: a blackhole.
    pub reject: bool,
    /// `fdb_nh`.
    pub fdb: bool,
}

/// One member of a group (`struct nh_grp_entry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhGrpEntry {
    pub id: u32,
    /// 1..=65536 (`nexthop_grp_weight`).
    pub weight: u32,
}

/// A resilient group's bucket table (`struct nh_res_table`), always balanced in the model: a
/// change that would leave it unbalanced (buckets waiting for the idle timer) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhResTable {
    pub num_buckets: u16,
    /// In jiffies.
    pub idle_timer: u64,
    /// In jiffies.
    pub unbalanced_timer: u64,
    /// `res.wants_buckets` of each entry (= its bucket count: balanced).
    pub wants: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NhGroupKind {
    HashThreshold,
    Resilient(NhResTable),
}

/// `struct nh_group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NhGroup {
    pub entries: Vec<NhGrpEntry>,
    pub kind: NhGroupKind,
    pub fdb: bool,
    pub has_v4: bool,
    pub hw_stats: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NhBody {
    Single(NhInfo),
    Group(NhGroup),
}

/// `struct nexthop`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nexthop {
    pub id: u32,
    pub protocol: u8,
    /// `nh_flags` (RTNH_F_*).
    pub flags: u32,
    pub body: NhBody,
    /// `grp_list`: the groups this nexthop is a member of, most recent first (`list_add`).
    #[serde(default)]
    pub grp_list: Vec<u32>,
}

impl Nexthop {
    pub fn is_group(&self) -> bool {
        matches!(self.body, NhBody::Group(_))
    }

    pub fn info(&self) -> Option<&NhInfo> {
        match &self.body {
            NhBody::Single(i) => Some(i),
            NhBody::Group(_) => None,
        }
    }

    pub fn group(&self) -> Option<&NhGroup> {
        match &self.body {
            NhBody::Group(g) => Some(g),
            NhBody::Single(_) => None,
        }
    }

    /// `nexthop_num_path`.
    fn num_path(&self) -> usize {
        match &self.body {
            NhBody::Group(g) => g.entries.len(),
            NhBody::Single(_) => 1,
        }
    }
}

/// `net->nexthop`: the tree by id, `last_id_allocated`, `seq`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetNexthops {
    pub by_id: BTreeMap<u32, Nexthop>,
    pub last_id_allocated: u32,
    pub seq: u32,
}

/// A `struct nexthop_grp` of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NhGrpRequest {
    pub id: u32,
    pub weight: u8,
    pub weight_high: u8,
    pub resvd2: u16,
}

/// NHA_RES_GROUP of a request (parsed with `rtm_nh_res_policy_new`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NhResRequest {
    pub buckets: Option<u16>,
    /// clock_t (USER_HZ = 100).
    pub idle_timer: Option<u32>,
    pub unbalanced_timer: Option<u32>,
}

/// An RTM_NEWNEXTHOP request: the `nhmsg` header and the attributes `rtm_nh_policy_new` let
/// through (`tb[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NhRequest {
    pub family: u8,
    pub scope: u8,
    pub protocol: u8,
    pub resvd: u8,
    pub flags: u32,
    /// `nlmsg_flags`.
    pub nlflags: u16,
    pub id: Option<u32>,
    /// NHA_GROUP's payload (NLA_BINARY).
    pub group: Option<Vec<u8>>,
    pub group_type: Option<u16>,
    pub blackhole: bool,
    pub oif: Option<u32>,
    /// NHA_GATEWAY's payload.
    pub gateway: Option<Vec<u8>>,
    pub encap_type: Option<u16>,
    pub encap: bool,
    pub fdb: bool,
    /// NHA_RES_GROUP present, and what it held.
    pub res_group: Option<NhResRequest>,
    pub hw_stats_enable: Option<u32>,
}

/// `struct nh_config` after `rtm_to_nh_config`.
#[derive(Debug, Clone, Default)]
struct NhConfig {
    id: u32,
    family: u8,
    protocol: u8,
    flags: u32,
    nlflags: u16,
    fdb: bool,
    blackhole: bool,
    dev: Option<DevId>,
    gw: Option<IpAddr>,
    group: Option<Vec<NhGrpRequest>>,
    grp_type: u16,
    res_buckets: Option<u16>,
    res_idle_timer: Option<u64>,
    res_unbalanced_timer: Option<u64>,
    hw_stats: bool,
}

/// A dump request's filter (`struct nh_dump_filter`) plus the header's family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NhDumpFilter {
    pub family: u8,
    pub dev_idx: u32,
    pub master_idx: u32,
    pub group_filter: bool,
    pub fdb_filter: bool,
}

/// What `nh_fill_node` puts in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NexthopView {
    pub id: u32,
    /// `nhm->nh_family`: AF_UNSPEC for groups.
    pub family: u8,
    pub scope: u8,
    pub protocol: u8,
    pub flags: u32,
    pub body: NhViewBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NhViewBody {
    Blackhole,
    Single {
        fdb: bool,
        oif: Option<u32>,
        gateway: Option<IpAddr>,
    },
    Group {
        fdb: bool,
        group_type: u16,
        /// (id, weight - 1) as `struct nexthop_grp` carries it.
        entries: Vec<(u32, u16)>,
        res: Option<NhResView>,
    },
}

/// NHA_RES_GROUP of a dump (clock_t values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NhResView {
    pub buckets: u16,
    pub idle_timer: u32,
    pub unbalanced_timer: u32,
    pub unbalanced_time: u64,
}

/// One path of a route using a nexthop object: a single nexthop, or each member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NhPath {
    pub family: u8,
    pub dev: Option<DevId>,
    pub gw: Option<IpAddr>,
    pub flags: u32,
    pub scope: u8,
    pub weight: u32,
    pub reject: bool,
}

/// USER_HZ.
const USER_HZ: u64 = 100;

/// `clock_t_to_jiffies`.
fn clock_t_to_jiffies(v: u32) -> u64 {
    u64::from(v) * HZ / USER_HZ
}

/// `jiffies_to_clock_t`.
fn jiffies_to_clock_t(j: u64) -> u32 {
    (j * USER_HZ / HZ) as u32
}

fn einval(text: &'static str) -> KernelError {
    KernelError::new(errno::EINVAL).msg(text)
}

/// `nh_res_group_rebalance`: each entry's share of the buckets.
fn res_wants(entries: &[NhGrpEntry], num_buckets: u16) -> Vec<u16> {
    let total: u64 = entries.iter().map(|e| u64::from(e.weight)).sum();
    let mut w = 0u64;
    let mut prev = 0u16;
    let mut wants = Vec::with_capacity(entries.len());
    for e in entries {
        w += u64::from(e.weight);
        let btw = u64::from(num_buckets) * w;
        // DIV_ROUND_CLOSEST_ULL
        let upper = (btw + total / 2).checked_div(total).unwrap_or(0) as u16;
        wants.push(upper.wrapping_sub(prev));
        prev = upper;
    }
    wants
}

/// The group entries of an NHA_GROUP payload.
fn grp_entries(raw: &[u8]) -> Vec<NhGrpRequest> {
    raw.chunks_exact(NEXTHOP_GRP_LEN)
        .map(|c| NhGrpRequest {
            id: u32::from_ne_bytes([c[0], c[1], c[2], c[3]]),
            weight: c[4],
            weight_high: c[5],
            resvd2: u16::from_ne_bytes([c[6], c[7]]),
        })
        .collect()
}

/// `nexthop_grp_weight`: a u16 sum, so 0xffff + 1 wraps to 0.
fn grp_weight(e: &NhGrpRequest) -> u16 {
    ((u16::from(e.weight_high) << 8) | u16::from(e.weight)).wrapping_add(1)
}

impl Kernel {
    fn nh_net(&self, ns: NetnsId) -> Option<&NetNexthops> {
        self.netns(ns).map(|n| &n.nexthops)
    }

    fn nh_net_mut(&mut self, ns: NetnsId) -> KResult<&mut NetNexthops> {
        self.namespaces
            .get_mut(&ns)
            .map(|n| &mut n.nexthops)
            .ok_or_else(|| KernelError::new(errno::EINVAL))
    }

    /// `nexthop_find_by_id`.
    pub fn nexthop_find(&self, ns: NetnsId, id: u32) -> Option<&Nexthop> {
        self.nh_net(ns)?.by_id.get(&id)
    }

    /// The nexthops of a namespace in id order (the rb-tree walk of `rtm_dump_nexthop`).
    pub fn nexthops(&self, ns: NetnsId) -> impl Iterator<Item = &Nexthop> + '_ {
        self.nh_net(ns).into_iter().flat_map(|n| n.by_id.values())
    }

    /// `net->nexthop.seq` (dump consistency).
    pub fn nexthop_seq(&self, ns: NetnsId) -> u32 {
        self.nh_net(ns).map_or(0, |n| n.seq)
    }

    /// netdevsim's nexthop notifier (`nsim_nexthop_event_nb` → `nexthop_set_hw_flags(..,
    /// trap)`) marks every nexthop of its devlink instance's namespace trapped (registered
    /// there with its FIB notifier: [`Kernel::fib_offload_trap`]).
    fn nexthop_offload_trap(&self, ns: NetnsId) -> bool {
        self.fib_offload_trap(ns)
    }

    // ----- rtm_new_nexthop -----------------------------------------------------------------

    /// `rtm_new_nexthop`: `rtm_to_nh_config` then `nexthop_add`.
    pub fn rtm_new_nexthop(&mut self, ns: NetnsId, req: &NhRequest) -> KResult<()> {
        let mut cfg = self.rtm_to_nh_config(ns, req)?;
        self.nexthop_add(ns, &mut cfg)
    }

    /// `rtm_to_nh_config`.
    fn rtm_to_nh_config(&self, ns: NetnsId, req: &NhRequest) -> KResult<NhConfig> {
        if req.resvd != 0 || req.scope != 0 {
            return Err(einval("Invalid values in ancillary header"));
        }
        if req.flags & !NEXTHOP_VALID_USER_FLAGS != 0 {
            return Err(einval("Invalid nexthop flags in ancillary header"));
        }
        match req.family {
            AF_INET | AF_INET6 => {}
            AF_UNSPEC if req.group.is_some() => {}
            _ => return Err(einval("Invalid address family")),
        }
        let mut cfg = NhConfig {
            id: req.id.unwrap_or(0),
            family: req.family,
            protocol: req.protocol,
            flags: req.flags,
            nlflags: req.nlflags,
            ..NhConfig::default()
        };
        if req.fdb {
            if req.oif.is_some() || req.blackhole || req.encap || req.encap_type.is_some() {
                return Err(einval(
                    "Fdb attribute can not be used with encap, oif or blackhole",
                ));
            }
            if req.flags != 0 {
                return Err(einval("Unsupported nexthop flags in ancillary header"));
            }
            cfg.fdb = true;
        }
        if let Some(raw) = &req.group {
            if req.family != AF_UNSPEC {
                return Err(einval("Invalid family for group"));
            }
            cfg.grp_type = req.group_type.unwrap_or(NEXTHOP_GRP_TYPE_MPATH);
            if cfg.grp_type > NEXTHOP_GRP_TYPE_RES {
                return Err(einval("Invalid group type"));
            }
            self.nh_check_attr_group(ns, req, raw, cfg.grp_type)?;
            cfg.group = Some(grp_entries(raw));
            if cfg.grp_type == NEXTHOP_GRP_TYPE_RES {
                Self::rtm_to_nh_config_grp_res(req.res_group.as_ref(), &mut cfg)?;
            }
            cfg.hw_stats = req.hw_stats_enable.unwrap_or(0) != 0;
            return Ok(cfg);
        }
        if req.blackhole {
            if req.gateway.is_some()
                || req.oif.is_some()
                || req.encap
                || req.encap_type.is_some()
                || req.fdb
            {
                return Err(einval(
                    "Blackhole attribute can not be used with gateway, oif, encap or fdb",
                ));
            }
            cfg.blackhole = true;
            return Ok(cfg);
        }
        if !cfg.fdb && req.oif.is_none() {
            return Err(einval(
                "Device attribute required for non-blackhole and non-fdb nexthops",
            ));
        }
        if let (false, Some(oif)) = (cfg.fdb, req.oif) {
            let dev = (oif != 0)
                .then(|| self.dev_by_index(ns, oif))
                .flatten()
                .ok_or_else(|| einval("Invalid device index"))?;
            let d = self.dev(dev);
            if d.flags & iff::UP == 0 {
                return Err(KernelError::new(errno::ENETDOWN).msg("Nexthop device is not up"));
            }
            if !d.carrier {
                return Err(
                    KernelError::new(errno::ENETDOWN).msg("Carrier for nexthop device is down")
                );
            }
            cfg.dev = Some(dev);
        }
        if let Some(gw) = &req.gateway {
            cfg.gw = Some(match cfg.family {
                AF_INET => <[u8; 4]>::try_from(gw.as_slice())
                    .map(|b| IpAddr::V4(Ipv4Addr::from(b)))
                    .map_err(|_| einval("Invalid gateway"))?,
                AF_INET6 => <[u8; 16]>::try_from(gw.as_slice())
                    .map(|b| IpAddr::V6(Ipv6Addr::from(b)))
                    .map_err(|_| einval("Invalid gateway"))?,
                _ => return Err(einval("Unknown address family for gateway")),
            });
        } else if cfg.flags & rtnh_f::ONLINK != 0 {
            return Err(einval(
                "ONLINK flag can not be set for nexthop without a gateway",
            ));
        }
        if req.encap {
            if req.encap_type.is_none() {
                return Err(einval("LWT encapsulation type is missing"));
            }
            // lwtunnel_valid_encap_type: nlsim has no lightweight tunnels.
            return Err(KernelError::not_modelled(
                "nexthop encapsulation (NHA_ENCAP, lwtunnel)",
            ));
        } else if req.encap_type.is_some() {
            return Err(einval("LWT encapsulation attribute is missing"));
        }
        if req.hw_stats_enable.is_some() {
            return Err(einval(
                "Cannot enable nexthop hardware statistics for non-group nexthops",
            ));
        }
        Ok(cfg)
    }

    /// `rtm_to_nh_config_grp_res` (with `rtm_nh_get_timer`).
    fn rtm_to_nh_config_grp_res(res: Option<&NhResRequest>, cfg: &mut NhConfig) -> KResult<()> {
        let Some(res) = res else {
            return Ok(());
        };
        if let Some(b) = res.buckets {
            cfg.res_buckets = Some(b);
            if b == 0 {
                return Err(einval("Number of buckets needs to be non-0"));
            }
        }
        // clock_t_to_jiffies of a u32 never reaches ~0UL on 64 bits ("Timer value too large").
        cfg.res_idle_timer = res.idle_timer.map(clock_t_to_jiffies);
        cfg.res_unbalanced_timer = res.unbalanced_timer.map(clock_t_to_jiffies);
        Ok(())
    }

    /// `nh_check_attr_group` (with `valid_group_nh`, `nh_check_attr_fdb_group`).
    fn nh_check_attr_group(
        &self,
        ns: NetnsId,
        req: &NhRequest,
        raw: &[u8],
        grp_type: u16,
    ) -> KResult<()> {
        if raw.is_empty() || !raw.len().is_multiple_of(NEXTHOP_GRP_LEN) {
            return Err(einval("Invalid length for nexthop group attribute"));
        }
        let entries = grp_entries(raw);
        for (i, e) in entries.iter().enumerate() {
            if e.resvd2 != 0 {
                return Err(einval("Reserved field in nexthop_grp must be 0"));
            }
            if grp_weight(e) == 0 {
                return Err(einval("Invalid value for weight"));
            }
            if entries[i + 1..].iter().any(|o| o.id == e.id) {
                return Err(einval("Nexthop id can not be used twice in a group"));
            }
        }
        let nhg_fdb = req.fdb;
        let mut nh_family = AF_UNSPEC;
        for e in &entries {
            let nh = self
                .nexthop_find(ns, e.id)
                .ok_or_else(|| einval("Invalid nexthop id"))?;
            let is_fdb_nh = match &nh.body {
                NhBody::Group(g) => {
                    return Err(einval(match g.kind {
                        NhGroupKind::HashThreshold => {
                            "Hash-threshold group can not be a nexthop within a group"
                        }
                        NhGroupKind::Resilient(_) => {
                            "Resilient group can not be a nexthop within a group"
                        }
                    }));
                }
                NhBody::Single(nhi) => {
                    if nhi.reject && entries.len() > 1 {
                        return Err(einval(
                            "Blackhole nexthop can not be used in a group with more than 1 path",
                        ));
                    }
                    nhi.fdb
                }
            };
            if nhg_fdb {
                if let NhBody::Single(nhi) = &nh.body {
                    if !nhi.fdb {
                        return Err(einval("FDB nexthop group can only have fdb nexthops"));
                    }
                    if nh_family == AF_UNSPEC {
                        nh_family = nhi.family;
                    } else if nh_family != nhi.family {
                        return Err(einval(
                            "FDB nexthop group cannot have mixed family nexthops",
                        ));
                    }
                }
            }
            if !nhg_fdb && is_fdb_nh {
                return Err(einval("Non FDB nexthop group cannot have fdb nexthops"));
            }
        }
        // Attributes after NHA_GROUP_TYPE: only NHA_FDB, NHA_HW_STATS_ENABLE and, for
        // resilient groups, NHA_RES_GROUP (the rest of the policy is NLA_UNSPEC, refused by
        // the strict parse already).
        let res_bad = req.res_group.is_some() && grp_type != NEXTHOP_GRP_TYPE_RES;
        if req.blackhole
            || req.oif.is_some()
            || req.gateway.is_some()
            || req.encap_type.is_some()
            || req.encap
            || res_bad
        {
            return Err(einval("No other attributes can be set in nexthop groups"));
        }
        Ok(())
    }

    /// `nexthop_add`.
    fn nexthop_add(&mut self, ns: NetnsId, cfg: &mut NhConfig) -> KResult<()> {
        if cfg.nlflags & NLM_F_REPLACE != 0 && cfg.id == 0 {
            return Err(einval("Replace requires nexthop id"));
        }
        if cfg.id == 0 {
            cfg.id = self.nh_find_unused_id(ns)?;
            if cfg.id == 0 {
                return Err(einval("No unused id"));
            }
        }
        let nh = if cfg.group.is_some() {
            self.nexthop_create_group(ns, cfg)?
        } else {
            self.nexthop_create(ns, cfg)?
        };
        self.insert_nexthop(ns, nh, cfg)
    }

    /// `nh_find_unused_id`: the counter goes on from the last id given, skipping ids in use.
    fn nh_find_unused_id(&mut self, ns: NetnsId) -> KResult<u32> {
        let net = self.nh_net_mut(ns)?;
        let start = net.last_id_allocated;
        loop {
            net.last_id_allocated = net.last_id_allocated.wrapping_add(1);
            if net.last_id_allocated == start {
                return Ok(0);
            }
            if !net.by_id.contains_key(&net.last_id_allocated) {
                return Ok(net.last_id_allocated);
            }
        }
    }

    /// `nexthop_create_group` (not yet in the tree: `grp_list` links are made by insert).
    fn nexthop_create_group(&self, ns: NetnsId, cfg: &NhConfig) -> KResult<Nexthop> {
        let reqs = cfg.group.as_deref().unwrap_or_default();
        let mut entries = Vec::with_capacity(reqs.len());
        let mut has_v4 = false;
        for r in reqs {
            let nh = self
                .nexthop_find(ns, r.id)
                .ok_or_else(|| KernelError::new(errno::ENOENT))?;
            if nh.info().is_some_and(|i| i.family == AF_INET) {
                has_v4 = true;
            }
            entries.push(NhGrpEntry {
                id: r.id,
                weight: u32::from(grp_weight(r)),
            });
        }
        let kind = if cfg.grp_type == NEXTHOP_GRP_TYPE_RES {
            // nexthop_res_table_alloc: buckets as asked (0: none given), timers or defaults.
            let num_buckets = cfg.res_buckets.unwrap_or(0);
            NhGroupKind::Resilient(NhResTable {
                num_buckets,
                idle_timer: cfg.res_idle_timer.unwrap_or(NH_RES_DEFAULT_IDLE_TIMER),
                unbalanced_timer: cfg.res_unbalanced_timer.unwrap_or(0),
                wants: res_wants(&entries, num_buckets),
            })
        } else {
            NhGroupKind::HashThreshold
        };
        Ok(Nexthop {
            id: cfg.id,
            protocol: cfg.protocol,
            flags: 0,
            body: NhBody::Group(NhGroup {
                entries,
                kind,
                fdb: cfg.fdb,
                has_v4,
                hw_stats: cfg.hw_stats,
            }),
            grp_list: Vec::new(),
        })
    }

    /// `nexthop_create`: `nh_create_ipv4` / `nh_create_ipv6`.
    fn nexthop_create(&self, ns: NetnsId, cfg: &mut NhConfig) -> KResult<Nexthop> {
        let mut nhi = NhInfo {
            family: cfg.family,
            dev: cfg.dev,
            gw: cfg.gw,
            scope: scope::LINK,
            reject: false,
            fdb: cfg.fdb,
        };
        if cfg.blackhole {
            nhi.reject = true;
            // cfg->nh_ifindex = net->loopback_dev->ifindex (LOOPBACK_IFINDEX in every netns)
            cfg.dev = self.dev_by_index(ns, 1);
        }
        let mut flags = cfg.flags;
        match cfg.family {
            AF_INET => flags = self.nh_create_ipv4(ns, &mut nhi, cfg)?.unwrap_or(flags),
            AF_INET6 => flags = self.nh_create_ipv6(ns, &mut nhi, cfg)?.unwrap_or(flags),
            _ => {}
        }
        Ok(Nexthop {
            id: cfg.id,
            protocol: cfg.protocol,
            flags,
            body: NhBody::Single(nhi),
            grp_list: Vec::new(),
        })
    }

    /// `nh_create_ipv4`: `fib_check_nh` in the device's table; the nexthop's flags become
    /// the fib_nh's (`None`: an fdb nexthop keeps the request's).
    fn nh_create_ipv4(
        &self,
        ns: NetnsId,
        nhi: &mut NhInfo,
        cfg: &NhConfig,
    ) -> KResult<Option<u32>> {
        if nhi.fdb {
            return Ok(None);
        }
        let dev = cfg.dev.ok_or_else(|| KernelError::new(errno::ENODEV))?;
        let (dev, scope, flags) = match cfg.gw {
            Some(IpAddr::V4(gw)) => self.nh_fib_check_gw4(ns, dev, gw, cfg.flags)?,
            _ => self.nh_fib_check_nh_nongw(dev, cfg.flags)?,
        };
        nhi.dev = Some(dev);
        nhi.scope = scope;
        Ok(Some(flags))
    }

    /// `fib_check_nh_nongw` (net/ipv4/fib_semantics.c) for a device-only IPv4 nexthop.
    fn nh_fib_check_nh_nongw(&self, dev: DevId, flags: u32) -> KResult<(DevId, u8, u32)> {
        if flags & (rtnh_f::PERVASIVE | rtnh_f::ONLINK) != 0 {
            return Err(einval(
                "Invalid flags for nexthop - PERVASIVE and ONLINK can not be set",
            ));
        }
        let d = self.dev(dev);
        if !d.inet.in4 {
            return Err(KernelError::new(errno::ENODEV));
        }
        if d.flags & iff::UP == 0 {
            return Err(KernelError::new(errno::ENETDOWN).msg("Device for nexthop is not up"));
        }
        let mut flags = flags;
        if !d.carrier {
            flags |= rtnh_f::LINKDOWN;
        }
        Ok((dev, scope::HOST, flags))
    }

    /// `fib_check_nh` → `fib_check_nh_v4_gw` for an IPv4 nexthop with a gateway, table
    /// `l3mdev_fib_table(dev)` or main, route scope 0: the egress device, the nexthop's scope
    /// and its flags (ONLINK as asked, LINKDOWN without carrier).
    ///
    /// The routes side replaces this body (inet/fib/semantics.rs `fib_check_nh` with a
    /// `FibNh { oif, gw, flags }`); without the IPv4 FIB nlsim cannot tell whether the gateway
    /// is reachable and refuses.
    pub fn nh_fib_check_gw4(
        &self,
        ns: NetnsId,
        dev: DevId,
        gw: Ipv4Addr,
        flags: u32,
    ) -> KResult<(DevId, u8, u32)> {
        let nh = crate::inet::fib::semantics::FibNh {
            dev: None,
            oif: self.dev(dev).ifindex,
            gw: Some(gw),
            flags,
            scope: 0,
            weight: 1,
            flow: 0,
        };
        // u32 tb_id = l3mdev_fib_table(cfg->dev) or RT_TABLE_MAIN
        let tb = self.l3mdev_fib_table(dev).unwrap_or(254);
        let nh = self.fib_check_nh(ns, &nh, tb, 0)?;
        let dev = nh.dev.ok_or_else(|| KernelError::new(errno::ENODEV))?;
        Ok((dev, nh.scope, nh.flags))
    }

    /// `nh_create_ipv6` → `fib6_nh_init`.
    fn nh_create_ipv6(
        &self,
        ns: NetnsId,
        nhi: &mut NhInfo,
        cfg: &NhConfig,
    ) -> KResult<Option<u32>> {
        if nhi.fdb {
            // fib6_nh_init: an fdb nexthop keeps its gateway, nothing else is checked.
            return Ok(Some(0));
        }
        let dev = cfg.dev.ok_or_else(|| KernelError::new(errno::ENODEV))?;
        if !self.dev(dev).inet.in6 {
            return Err(KernelError::new(errno::ENODEV));
        }
        let mut flags = 0;
        if cfg.flags & rtnh_f::ONLINK != 0 {
            if self.dev(dev).flags & iff::UP == 0 {
                return Err(KernelError::new(errno::ENETDOWN).msg("Nexthop device is not up"));
            }
            flags |= rtnh_f::ONLINK;
        }
        let mut dev = dev;
        if let Some(IpAddr::V6(gw)) = cfg.gw {
            dev = self.nh_ip6_validate_gw(ns, dev, gw, cfg.flags)?;
        }
        let d = self.dev(dev);
        if d.flags & iff::UP == 0 {
            return Err(KernelError::new(errno::ENETDOWN).msg("Nexthop device is not up"));
        }
        if !d.carrier {
            flags |= rtnh_f::LINKDOWN;
        }
        nhi.dev = Some(dev);
        Ok(Some(flags))
    }

    /// `ip6_validate_gw` (net/ipv6/route.c) for an IPv6 nexthop's gateway on `dev`: "Gateway
    /// can not be a local address", link-local / onlink rules, the lookup of a non-link-local
    /// gateway. The device the nexthop uses.
    ///
    /// The routes side replaces this body (ip6_route.rs); without IPv6 routes and addresses
    /// nlsim cannot check the gateway and refuses.
    pub fn nh_ip6_validate_gw(
        &self,
        ns: NetnsId,
        dev: DevId,
        gw: Ipv6Addr,
        flags: u32,
    ) -> KResult<DevId> {
        let cfg = crate::inet::ip6_route::Fib6Config {
            table: self.l3mdev_fib_table(dev).unwrap_or(0),
            ifindex: self.dev(dev).ifindex,
            gateway: gw,
            // fc_flags | RTF_GATEWAY (nh_create_ipv6)
            flags: flags | 0x0002,
            ..Default::default()
        };
        let mut d = Some(dev);
        self.ip6_validate_gw(ns, &cfg, &mut d)?;
        d.ok_or_else(|| KernelError::new(errno::ENODEV))
    }

    /// `insert_nexthop`.
    fn insert_nexthop(&mut self, ns: NetnsId, mut new: Nexthop, cfg: &NhConfig) -> KResult<()> {
        let replace = cfg.nlflags & NLM_F_REPLACE != 0;
        let create = cfg.nlflags & NLM_F_CREATE != 0;
        if self.nexthop_find(ns, new.id).is_some() {
            if !replace {
                return Err(KernelError::new(errno::EEXIST));
            }
            self.replace_nexthop(ns, new.id, new, cfg)?;
            self.nh_base_seq_inc(ns);
            self.nexthop_notify(ns, LinkMsg::New, cfg.id, cfg.nlflags, true);
            // nexthop_compat_mode (default 1): the routes using it are announced again.
            self.nexthop_replace_notify_routes(ns, cfg.id);
            return Ok(());
        }
        if replace && !create {
            return Err(KernelError::new(errno::ENOENT)
                .msg("Replace specified without create and no entry exists"));
        }
        if let NhBody::Group(g) = &new.body {
            if matches!(g.kind, NhGroupKind::Resilient(_)) && cfg.res_buckets.is_none() {
                return Err(einval(
                    "Number of buckets not specified for nexthop group insertion",
                ));
            }
        }
        // call_nexthop_notifiers(NEXTHOP_EVENT_REPLACE): netdevsim traps it.
        if self.nexthop_offload_trap(ns) {
            new.flags = (new.flags & !rtnh_f::OFFLOAD) | rtnh_f::TRAP;
        }
        let id = new.id;
        let members: Vec<u32> = new
            .group()
            .map(|g| g.entries.iter().map(|e| e.id).collect())
            .unwrap_or_default();
        let net = self.nh_net_mut(ns)?;
        net.by_id.insert(id, new);
        for m in members {
            if let Some(nh) = net.by_id.get_mut(&m) {
                nh.grp_list.insert(0, id);
            }
        }
        self.nh_base_seq_inc(ns);
        self.nexthop_notify(ns, LinkMsg::New, id, cfg.nlflags, true);
        Ok(())
    }

    fn nh_base_seq_inc(&mut self, ns: NetnsId) {
        if let Ok(net) = self.nh_net_mut(ns) {
            net.seq = net.seq.wrapping_add(1);
            if net.seq == 0 {
                net.seq = 1;
            }
        }
    }

    /// `replace_nexthop`: the routes and groups using `id` must accept the new definition,
    /// then `replace_nexthop_grp` / `replace_nexthop_single` swap it in under the same id.
    fn replace_nexthop(
        &mut self,
        ns: NetnsId,
        id: u32,
        new: Nexthop,
        cfg: &NhConfig,
    ) -> KResult<()> {
        let old = self
            .nexthop_find(ns, id)
            .cloned()
            .ok_or_else(|| KernelError::new(errno::ENOENT))?;
        self.nh_check_fib_users(ns, id, &new)?;
        let new_is_reject = new.info().is_some_and(|i| i.reject);
        for parent in &old.grp_list {
            let Some(p) = self.nexthop_find(ns, *parent) else {
                continue;
            };
            if new_is_reject && p.num_path() > 1 {
                return Err(einval(
                    "Blackhole nexthop can not be a member of a group with more than one path",
                ));
            }
            // fib_check_nh_list / fib6_check_nh_list of the parent against the new nexthop.
            self.nh_check_fib_users(ns, *parent, &new)?;
        }
        let replaced = match (&old.body, new.body) {
            (NhBody::Group(oldg), NhBody::Group(newg)) => {
                self.replace_nexthop_grp(ns, &old, oldg, newg, cfg)?
            }
            (NhBody::Group(_), NhBody::Single(_)) => {
                return Err(einval("Can not replace a nexthop group with a nexthop."));
            }
            (NhBody::Single(_), NhBody::Group(_)) => {
                return Err(einval("Can not replace a nexthop with a nexthop group."));
            }
            (NhBody::Single(oldi), NhBody::Single(newi)) => {
                if !old.grp_list.is_empty() && oldi.fdb != newi.fdb {
                    return Err(einval("Cannot change nexthop FDB status while in a group"));
                }
                // Hardware flags were set on 'old': the new nexthop inherits them.
                let flags = new.flags | (old.flags & (rtnh_f::OFFLOAD | rtnh_f::TRAP));
                Nexthop {
                    id,
                    protocol: new.protocol,
                    flags,
                    body: NhBody::Single(newi),
                    grp_list: old.grp_list.clone(),
                }
            }
        };
        self.nexthop_swap_in(ns, &old, replaced)
    }

    /// Puts the replaced nexthop in the tree and fixes the members' `grp_list` links (the
    /// old group's entries leave their members, the new group's join at the head).
    fn nexthop_swap_in(&mut self, ns: NetnsId, old: &Nexthop, new: Nexthop) -> KResult<()> {
        let id = new.id;
        let old_members: Vec<u32> = old
            .group()
            .map(|g| g.entries.iter().map(|e| e.id).collect())
            .unwrap_or_default();
        let new_members: Vec<u32> = new
            .group()
            .map(|g| g.entries.iter().map(|e| e.id).collect())
            .unwrap_or_default();
        let single_changed_family = match (old.info(), new.info()) {
            (Some(a), Some(b)) => a.family != b.family,
            _ => false,
        };
        let parents = old.grp_list.clone();
        let net = self.nh_net_mut(ns)?;
        net.by_id.insert(id, new);
        for m in &new_members {
            if let Some(nh) = net.by_id.get_mut(m) {
                nh.grp_list.insert(0, id);
            }
        }
        // __remove_nexthop(net, new, NULL) → remove_nexthop_group: the old entries go.
        for m in &old_members {
            if let Some(nh) = net.by_id.get_mut(m) {
                if let Some(pos) = nh.grp_list.iter().rposition(|p| *p == id) {
                    nh.grp_list.remove(pos);
                }
            }
        }
        if single_changed_family {
            // nh_group_v4_update of every group using it.
            for p in parents {
                self.nh_group_v4_update(ns, p);
            }
        }
        Ok(())
    }

    /// `nh_group_v4_update`.
    fn nh_group_v4_update(&mut self, ns: NetnsId, gid: u32) {
        let Some(g) = self.nexthop_find(ns, gid).and_then(|n| n.group()) else {
            return;
        };
        let has_v4 = g.entries.iter().any(|e| {
            self.nexthop_find(ns, e.id)
                .and_then(|n| n.info())
                .is_some_and(|i| i.family == AF_INET)
        });
        if let Ok(net) = self.nh_net_mut(ns) {
            if let Some(NhBody::Group(g)) = net.by_id.get_mut(&gid).map(|n| &mut n.body) {
                g.has_v4 = has_v4;
            }
        }
    }

    /// `replace_nexthop_grp`: same type only; a resilient group keeps its bucket table (the
    /// bucket count may not change) and takes the new timers.
    fn replace_nexthop_grp(
        &self,
        _ns: NetnsId,
        old: &Nexthop,
        oldg: &NhGroup,
        mut newg: NhGroup,
        cfg: &NhConfig,
    ) -> KResult<Nexthop> {
        let old_hthr = matches!(oldg.kind, NhGroupKind::HashThreshold);
        let new_hthr = matches!(newg.kind, NhGroupKind::HashThreshold);
        if old_hthr != new_hthr {
            return Err(einval(
                "Can not replace a nexthop group with one of a different type.",
            ));
        }
        if let NhGroupKind::Resilient(old_res) = &oldg.kind {
            if cfg.res_buckets.is_some_and(|b| b != old_res.num_buckets) {
                return Err(einval(
                    "Can not change number of buckets of a resilient nexthop group.",
                ));
            }
            let mut res = old_res.clone();
            if let Some(t) = cfg.res_idle_timer {
                res.idle_timer = t;
            }
            if let Some(t) = cfg.res_unbalanced_timer {
                res.unbalanced_timer = t;
            }
            res.wants = self.nh_res_migrate(oldg, old_res, &newg.entries, &res)?;
            newg.kind = NhGroupKind::Resilient(res);
        }
        // Only the group is swapped (`old->nh_grp = newg`): protocol and flags stay the old's.
        Ok(Nexthop {
            id: old.id,
            protocol: old.protocol,
            flags: old.flags,
            body: NhBody::Group(newg),
            grp_list: old.grp_list.clone(),
        })
    }

    /// `replace_nexthop_grp_res` → `nh_res_table_migrate_buckets`, `nh_res_group_rebalance`,
    /// `nh_res_table_upkeep`: buckets keep their nexthop when it stays in the group; an entry
    /// holding more buckets than it now wants gives them up only once they have been idle for
    /// `idle_timer` (or when `unbalanced_timer` forces it). nlsim has no traffic and no bucket
    /// ages, so it models only the changes that end balanced at once.
    fn nh_res_migrate(
        &self,
        oldg: &NhGroup,
        old_res: &NhResTable,
        new_entries: &[NhGrpEntry],
        res: &NhResTable,
    ) -> KResult<Vec<u16>> {
        let wants = res_wants(new_entries, res.num_buckets);
        let overweight = new_entries.iter().zip(&wants).any(|(e, w)| {
            let held = oldg
                .entries
                .iter()
                .position(|o| o.id == e.id)
                .and_then(|i| old_res.wants.get(i).copied())
                .unwrap_or(0);
            held > *w
        });
        if overweight && res.idle_timer != 0 {
            return Err(KernelError::not_modelled(
                "resilient nexthop group rebalancing on the idle timer",
            ));
        }
        Ok(wants)
    }

    // ----- removal -------------------------------------------------------------------------

    /// `rtm_del_nexthop` after `nh_valid_get_del_req`.
    pub fn rtm_del_nexthop(&mut self, ns: NetnsId, id: u32, nlflags: u16) -> KResult<()> {
        if self.nexthop_find(ns, id).is_none() {
            return Err(KernelError::new(errno::ENOENT));
        }
        self.remove_nexthop(ns, id, Some(nlflags));
        Ok(())
    }

    /// `remove_nexthop`: out of the tree, RTM_DELNEXTHOP (when a request asked: `nlinfo`),
    /// then `__remove_nexthop`.
    fn remove_nexthop(&mut self, ns: NetnsId, id: u32, nlinfo: Option<u16>) {
        let Some(nh) = self.nexthop_find(ns, id).cloned() else {
            return;
        };
        if let Some(nlflags) = nlinfo {
            self.nexthop_notify_view(ns, LinkMsg::Del, &nh, nlflags, true);
        }
        if let Ok(net) = self.nh_net_mut(ns) {
            net.by_id.remove(&id);
        }
        // __remove_nexthop: the routes using it, then its group links.
        self.nexthop_remove_fib(ns, id);
        match &nh.body {
            NhBody::Group(g) => {
                // remove_nexthop_group: the members forget this group.
                if let Ok(net) = self.nh_net_mut(ns) {
                    for e in &g.entries {
                        if let Some(m) = net.by_id.get_mut(&e.id) {
                            m.grp_list.retain(|p| *p != id);
                        }
                    }
                }
            }
            NhBody::Single(_) => self.remove_nexthop_from_groups(ns, &nh, nlinfo),
        }
        self.nh_base_seq_inc(ns);
    }

    /// `remove_nexthop_from_groups` → `remove_nh_grp_entry` for each group holding it.
    fn remove_nexthop_from_groups(&mut self, ns: NetnsId, nh: &Nexthop, nlinfo: Option<u16>) {
        for parent in nh.grp_list.clone() {
            let Some(p) = self.nexthop_find(ns, parent).cloned() else {
                continue;
            };
            let NhBody::Group(g) = &p.body else {
                continue;
            };
            // Last entry: keep it visible and remove the parent.
            if g.entries.len() == 1 {
                self.remove_nexthop(ns, parent, nlinfo);
                continue;
            }
            let mut newg = g.clone();
            newg.entries.retain(|e| e.id != nh.id);
            newg.has_v4 = newg.entries.iter().any(|e| {
                self.nexthop_find(ns, e.id)
                    .and_then(|n| n.info())
                    .is_some_and(|i| i.family == AF_INET)
            });
            if let NhGroupKind::Resilient(res) = &mut newg.kind {
                // The removed entry's buckets are free and go to the underweight entries at
                // once; no remaining entry is overweight (its share only grows).
                res.wants = res_wants(&newg.entries, res.num_buckets);
            }
            let remaining: Vec<u32> = newg.entries.iter().map(|e| e.id).collect();
            if let Ok(net) = self.nh_net_mut(ns) {
                if let Some(pn) = net.by_id.get_mut(&parent) {
                    pn.body = NhBody::Group(newg);
                }
                // The copied entries are re-linked at the head of their members' lists.
                for m in remaining {
                    if let Some(mn) = net.by_id.get_mut(&m) {
                        if let Some(pos) = mn.grp_list.iter().position(|x| *x == parent) {
                            mn.grp_list.remove(pos);
                        }
                        mn.grp_list.insert(0, parent);
                    }
                }
            }
            if let Some(nlflags) = nlinfo {
                self.nexthop_notify(ns, LinkMsg::New, parent, nlflags, true);
            }
        }
    }

    /// `__remove_nexthop_fib`: the IPv4 routes using nexthop `id` are flushed (their
    /// fib_info marked RTNH_F_DEAD, `fib_flush`) and the IPv6 ones deleted (`ip6_del_rt`,
    /// announced unless nexthop_compat_mode is 0), without RTM_DELROUTE for IPv4.
    /// (inet/fib/frontend.rs `fib_remove_nexthop_routes`, ip6_route.rs
    /// `fib6_remove_nexthop_routes`.)
    pub fn nexthop_remove_fib(&mut self, ns: NetnsId, id: u32) {
        self.fib_remove_nexthop_routes(ns, id);
        self.fib6_remove_nexthop_routes(ns, id);
    }

    /// The users of nexthop `id` in the routing tables: the scopes of the IPv4 routes
    /// (`nh->fi_list`, one per fib_info) and, for each IPv6 route (`nh->f6i_list`), whether it
    /// has a source prefix.
    pub fn nexthop_fib_users(&self, ns: NetnsId, id: u32) -> (Vec<u8>, Vec<bool>) {
        let v6 = self.fib6_nexthop_routes(ns, id);
        let v6_srcs = v6.iter().map(|(_, n, _)| n.src_len != 0).collect();
        (self.fib_nexthop_route_scopes(ns, id), v6_srcs)
    }

    /// `__nexthop_replace_notify` for nexthop `id` and the groups holding it: RTM_NEWROUTE
    /// (NLM_F_REPLACE) for every route using them.
    pub fn nexthop_replace_notify_routes(&mut self, ns: NetnsId, id: u32) {
        // nexthop_replace_notify: the nexthop's own routes, then those of each group holding it.
        let mut ids = vec![id];
        if let Some(net) = self.nh_net(ns) {
            ids.extend(net.by_id.values().filter_map(|nh| match &nh.body {
                NhBody::Group(g) if g.entries.iter().any(|e| e.id == id) => Some(nh.id),
                _ => None,
            }));
        }
        for i in ids {
            self.fib_nexthop_replace_notify(ns, i);
            self.fib6_nexthop_replace_notify(ns, i);
        }
    }

    /// `fib_check_nh_list` + `fib6_check_nh_list` of the routes using `id` against `new`.
    fn nh_check_fib_users(&self, ns: NetnsId, id: u32, new: &Nexthop) -> KResult<()> {
        let (v4_scopes, v6_srcs) = self.nexthop_fib_users(ns, id);
        for sc in v4_scopes {
            self.fib_check_nexthop_of(ns, new, sc)?;
        }
        if !v6_srcs.is_empty() {
            if v6_srcs.iter().any(|has_src| *has_src) {
                return Err(einval(
                    "IPv6 routes using source address can not use nexthop objects",
                ));
            }
            Self::fib6_check_nexthop_of(new, false)?;
        }
        Ok(())
    }

    // ----- the routes side's checks ----------------------------------------------------------

    /// `fib_check_nexthop`: may an IPv4 route of scope `route_scope` use nexthop `id`.
    pub fn fib_check_nexthop(&self, ns: NetnsId, id: u32, route_scope: u8) -> KResult<()> {
        let nh = self
            .nexthop_find(ns, id)
            .ok_or_else(|| einval("Nexthop id does not exist"))?;
        self.fib_check_nexthop_of(ns, nh, route_scope)
    }

    fn fib_check_nexthop_of(&self, ns: NetnsId, nh: &Nexthop, sc: u8) -> KResult<()> {
        let nhi = match &nh.body {
            NhBody::Group(g) => {
                if g.fdb {
                    return Err(einval("Route cannot point to a fdb nexthop"));
                }
                if sc == scope::HOST {
                    return Err(einval(
                        "Route with host scope can not have multiple nexthops",
                    ));
                }
                // All nexthops in a group have the same scope.
                match g
                    .entries
                    .first()
                    .and_then(|e| self.nexthop_find(ns, e.id))
                    .and_then(|n| n.info())
                {
                    Some(i) => i,
                    None => return Ok(()),
                }
            }
            NhBody::Single(i) => {
                if i.fdb {
                    return Err(einval("Route cannot point to a fdb nexthop"));
                }
                i
            }
        };
        // nexthop_check_scope
        if sc == scope::HOST && nhi.gw.is_some() {
            return Err(einval("Route with host scope can not have a gateway"));
        }
        let onlink = match &nh.body {
            NhBody::Single(_) => nh.flags & rtnh_f::ONLINK != 0,
            NhBody::Group(g) => g
                .entries
                .first()
                .and_then(|e| self.nexthop_find(ns, e.id))
                .is_some_and(|n| n.flags & rtnh_f::ONLINK != 0),
        };
        if onlink && sc >= scope::LINK {
            return Err(einval("Scope mismatch with nexthop"));
        }
        Ok(())
    }

    /// `fib6_check_nexthop`: may an IPv6 route (with a source prefix: `has_src`) use
    /// nexthop `id`.
    pub fn fib6_check_nexthop(&self, ns: NetnsId, id: u32, has_src: bool) -> KResult<()> {
        let nh = self
            .nexthop_find(ns, id)
            .ok_or_else(|| einval("Nexthop id does not exist"))?;
        if has_src {
            return Err(einval(
                "IPv6 routes using source address can not use nexthop objects",
            ));
        }
        Self::fib6_check_nexthop_of(nh, false)
    }

    fn fib6_check_nexthop_of(nh: &Nexthop, _has_src: bool) -> KResult<()> {
        let (v4, fdb) = match &nh.body {
            NhBody::Group(g) => (g.has_v4, g.fdb),
            NhBody::Single(i) => (i.family == AF_INET, i.fdb),
        };
        if v4 {
            return Err(einval("IPv6 routes can not use an IPv4 nexthop"));
        }
        if fdb {
            return Err(einval("Route cannot point to a fdb nexthop"));
        }
        Ok(())
    }

    /// The paths of nexthop `id` as a route shows them: the nexthop itself, or each member of
    /// a group with its weight.
    pub fn nexthop_paths(&self, ns: NetnsId, id: u32) -> Vec<NhPath> {
        let path = |nh: &Nexthop, weight: u32| {
            nh.info().map(|i| NhPath {
                family: i.family,
                dev: i.dev,
                gw: i.gw,
                flags: nh.flags,
                scope: i.scope,
                weight,
                reject: i.reject,
            })
        };
        match self.nexthop_find(ns, id) {
            Some(nh) => match &nh.body {
                NhBody::Single(_) => path(nh, 1).into_iter().collect(),
                NhBody::Group(g) => g
                    .entries
                    .iter()
                    .filter_map(|e| self.nexthop_find(ns, e.id).and_then(|m| path(m, e.weight)))
                    .collect(),
            },
            None => Vec::new(),
        }
    }

    // ----- device events -------------------------------------------------------------------

    /// `nh_netdev_event` (registered by `nexthop_init`, a subsys_initcall: before
    /// `inetdev_event` and `fib_netdev_event`, which inet_init registers at fs_initcall).
    pub fn nh_netdev_event(&mut self, dev: DevId, ev: &NetdevEvent) {
        match ev {
            NetdevEvent::Down | NetdevEvent::Unregister => self.nexthop_flush_dev(dev, ev),
            NetdevEvent::Change
                if self.dev(dev).get_flags() & (iff::RUNNING | iff::LOWER_UP) == 0 =>
            {
                self.nexthop_flush_dev(dev, ev)
            }
            // nexthop_sync_mtu only updates cached PMTU state the model does not keep.
            _ => {}
        }
    }

    /// `nexthop_flush_dev`: every nexthop on the device goes, silently (no nlinfo); a
    /// blackhole (on lo) stays for DOWN and CHANGE.
    fn nexthop_flush_dev(&mut self, dev: DevId, ev: &NetdevEvent) {
        let ns = self.dev(dev).netns;
        let keep_reject = matches!(ev, NetdevEvent::Down | NetdevEvent::Change);
        // The device hash bucket is a list with the newest entries first (hlist_add_head);
        // nlsim walks the ids backwards. The order is invisible: a flush sends no nexthop
        // notifications (nlinfo NULL).
        let mut victims: Vec<u32> = self
            .nexthops(ns)
            .filter(|nh| {
                nh.info()
                    .is_some_and(|i| i.dev == Some(dev) && !(i.reject && keep_reject))
            })
            .map(|nh| nh.id)
            .collect();
        victims.reverse();
        for id in victims {
            self.remove_nexthop(ns, id, None);
        }
    }

    // ----- dumps and notifications ---------------------------------------------------------

    /// `nh_dump_filtered`: whether the dump leaves nexthop `nh` out.
    pub fn nh_dump_filtered(&self, nh: &Nexthop, f: &NhDumpFilter) -> bool {
        if f.group_filter && !nh.is_group() {
            return true;
        }
        if f.dev_idx == 0 && f.master_idx == 0 && f.family == 0 {
            return false;
        }
        let Some(nhi) = nh.info() else {
            return true;
        };
        if f.family != 0 && nhi.family != f.family {
            return true;
        }
        let dev = nhi.dev.and_then(|d| self.try_dev(d));
        if f.dev_idx != 0 && dev.is_none_or(|d| d.ifindex != f.dev_idx) {
            return true;
        }
        if f.master_idx != 0 {
            let master = dev
                .and_then(|d| d.master)
                .and_then(|m| self.try_dev(m))
                .map(|m| m.ifindex);
            if master != Some(f.master_idx) {
                return true;
            }
        }
        false
    }

    /// `nh_fill_node`'s content for nexthop `nh`.
    pub fn nexthop_view(&self, nh: &Nexthop) -> NexthopView {
        let mut v = NexthopView {
            id: nh.id,
            family: AF_UNSPEC,
            scope: 0,
            protocol: nh.protocol,
            flags: nh.flags,
            body: NhViewBody::Blackhole,
        };
        match &nh.body {
            NhBody::Group(g) => {
                let (group_type, res) = match &g.kind {
                    NhGroupKind::HashThreshold => (NEXTHOP_GRP_TYPE_MPATH, None),
                    NhGroupKind::Resilient(r) => (
                        NEXTHOP_GRP_TYPE_RES,
                        Some(NhResView {
                            buckets: r.num_buckets,
                            idle_timer: jiffies_to_clock_t(r.idle_timer),
                            unbalanced_timer: jiffies_to_clock_t(r.unbalanced_timer),
                            // Always balanced: nh_res_table_unbalanced_time is 0.
                            unbalanced_time: 0,
                        }),
                    ),
                };
                v.body = NhViewBody::Group {
                    fdb: g.fdb,
                    group_type,
                    entries: g
                        .entries
                        .iter()
                        .map(|e| (e.id, (e.weight - 1) as u16))
                        .collect(),
                    res,
                };
            }
            NhBody::Single(i) => {
                v.family = i.family;
                if i.reject {
                    return v;
                }
                v.scope = i.scope;
                v.body = NhViewBody::Single {
                    fdb: i.fdb,
                    oif: if i.fdb {
                        None
                    } else {
                        i.dev.and_then(|d| self.try_dev(d)).map(|d| d.ifindex)
                    },
                    gateway: i.gw,
                };
            }
        }
        v
    }

    /// `nexthop_notify` of nexthop `id` as it is now.
    fn nexthop_notify(&mut self, ns: NetnsId, msg: LinkMsg, id: u32, nlflags: u16, req: bool) {
        if let Some(nh) = self.nexthop_find(ns, id).cloned() {
            self.nexthop_notify_view(ns, msg, &nh, nlflags, req);
        }
    }

    /// `nexthop_notify`: RTM_NEWNEXTHOP / RTM_DELNEXTHOP to RTNLGRP_NEXTHOP with the
    /// request's portid, seq and flags.
    fn nexthop_notify_view(
        &mut self,
        ns: NetnsId,
        msg: LinkMsg,
        nh: &Nexthop,
        nlflags: u16,
        from_request: bool,
    ) {
        let view = Box::new(self.nexthop_view(nh));
        self.events.push(Event::Nexthop {
            msg,
            netns: ns,
            view,
            nlflags,
            from_request,
        });
    }
}
