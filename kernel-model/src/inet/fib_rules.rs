//! net/core/fib_rules.c: the generic policy routing rule lists of a namespace
//! (`net->rules_ops`), one per family that registered (`fib_rules_register`): AF_INET
//! (`fib4_rules.rs`), RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR (ipmr.c / ip6mr.c, whose ops take
//! no selectors of their own) and AF_INET6 (`fib6_rules.rs`), in the order their pernet inits
//! run (`inet_init` → `ip_fib_init`, `ip_mr_init`; `inet6_init` → `ip6_mr_init`,
//! `ip6_route_init`).
//!
//! A rule's `goto` target (`ctarget`) is kept as the target's [`FibRule::id`]; devices are
//! bound by name (`iifindex` / `oifindex`, -1 when detached) by [`Kernel::fib_rules_event`].

use super::fib4_rules::Fib4Rule;
use super::fib6_rules::Fib6Rule;
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::{Event, Kernel, LinkMsg, NetdevEvent};
use crate::uapi::errno;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// `enum fr_act` (include/uapi/linux/fib_rules.h).
pub const FR_ACT_UNSPEC: u8 = 0;
pub const FR_ACT_TO_TBL: u8 = 1;
pub const FR_ACT_GOTO: u8 = 2;
pub const FR_ACT_NOP: u8 = 3;
pub const FR_ACT_BLACKHOLE: u8 = 6;
pub const FR_ACT_UNREACHABLE: u8 = 7;
pub const FR_ACT_PROHIBIT: u8 = 8;

/// `fib_rule_hdr.flags` bits.
pub const FIB_RULE_PERMANENT: u32 = 0x1;
pub const FIB_RULE_INVERT: u32 = 0x2;
pub const FIB_RULE_UNRESOLVED: u32 = 0x4;
pub const FIB_RULE_IIF_DETACHED: u32 = 0x8;
pub const FIB_RULE_OIF_DETACHED: u32 = 0x10;
pub const FIB_RULE_FIND_SADDR: u32 = 0x10000;

/// `RTPROT_KERNEL`: the protocol of the default rules and of the vrf's l3mdev rule.
pub const RTPROT_KERNEL: u8 = 2;
/// `RT_TABLE_DEFAULT`, `RT_TABLE_MAIN`, `RT_TABLE_LOCAL`.
pub const RT_TABLE_DEFAULT: u32 = 253;
pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;
/// `FIB_RULE_PREF` (include/net/l3mdev.h): the vrf's l3mdev rule.
pub const L3MDEV_RULE_PREF: u32 = 1000;

/// `AF_INET`, `AF_INET6`, `RTNL_FAMILY_IPMR`, `RTNL_FAMILY_IP6MR`.
pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;
pub const RTNL_FAMILY_IPMR: u8 = 128;
pub const RTNL_FAMILY_IP6MR: u8 = 129;

/// `IFNAMSIZ - 1`: `nla_strscpy` keeps at most this much of FRA_IIFNAME / FRA_OIFNAME.
const IFNAMSIZ_MAX: usize = 15;

/// A registered `struct fib_rules_ops`, by its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleFamily {
    Inet,
    Ipmr,
    Ip6mr,
    Inet6,
}

impl RuleFamily {
    /// `net->rules_ops` in registration order (see the module comment).
    pub const ALL: [RuleFamily; 4] = [
        RuleFamily::Inet,
        RuleFamily::Ipmr,
        RuleFamily::Ip6mr,
        RuleFamily::Inet6,
    ];

    /// `lookup_rules_ops`.
    pub fn from_af(af: u8) -> Option<Self> {
        match af {
            AF_INET => Some(RuleFamily::Inet),
            AF_INET6 => Some(RuleFamily::Inet6),
            RTNL_FAMILY_IPMR => Some(RuleFamily::Ipmr),
            RTNL_FAMILY_IP6MR => Some(RuleFamily::Ip6mr),
            _ => None,
        }
    }

    /// `ops->family`.
    pub fn af(self) -> u8 {
        match self {
            RuleFamily::Inet => AF_INET,
            RuleFamily::Inet6 => AF_INET6,
            RuleFamily::Ipmr => RTNL_FAMILY_IPMR,
            RuleFamily::Ip6mr => RTNL_FAMILY_IP6MR,
        }
    }

    /// `ops->addr_size`.
    pub fn addr_size(self) -> usize {
        match self {
            RuleFamily::Inet | RuleFamily::Ipmr => 4,
            RuleFamily::Inet6 | RuleFamily::Ip6mr => 16,
        }
    }

    /// `ops->nlgroup`: ipmr / ip6mr share their unicast family's group.
    pub fn nlgroup(self) -> u32 {
        match self {
            RuleFamily::Inet | RuleFamily::Ipmr => RTNLGRP_IPV4_RULE,
            RuleFamily::Inet6 | RuleFamily::Ip6mr => RTNLGRP_IPV6_RULE,
        }
    }

    /// The default rules the family's pernet init adds (`fib_default_rules_init`,
    /// `fib6_rules_net_init`, `ipmr_rules_init`, `ip6mr_rules_init`): (pref, table).
    fn default_rules(self) -> &'static [(u32, u32)] {
        match self {
            RuleFamily::Inet => &[
                (0, RT_TABLE_LOCAL),
                (0x7FFE, RT_TABLE_MAIN),
                (0x7FFF, RT_TABLE_DEFAULT),
            ],
            RuleFamily::Inet6 => &[(0, RT_TABLE_LOCAL), (0x7FFE, RT_TABLE_MAIN)],
            RuleFamily::Ipmr => &[(0x7FFF, RT_TABLE_DEFAULT)],
            // RT6_TABLE_DFLT is RT6_TABLE_MAIN with CONFIG_IPV6_MULTIPLE_TABLES.
            RuleFamily::Ip6mr => &[(0x7FFF, RT_TABLE_MAIN)],
        }
    }
}

/// `RTNLGRP_IPV4_RULE`, `RTNLGRP_IPV6_RULE`.
pub const RTNLGRP_IPV4_RULE: u32 = 8;
pub const RTNLGRP_IPV6_RULE: u32 = 19;

/// The family part of a rule (`struct fib4_rule` / `struct fib6_rule`; ipmr's and ip6mr's
/// rules have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AfRule {
    Inet(Fib4Rule),
    Inet6(Fib6Rule),
    Mr,
}

/// `struct fib_rule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibRule {
    /// nlsim's identity of the rule (what `ctarget` points at).
    pub id: u64,
    pub pref: u32,
    pub table: u32,
    pub action: u8,
    /// `fib_rule_hdr.flags` as given (FIB_RULE_INVERT is the one that matters).
    pub flags: u32,
    /// FRA_PROTOCOL.
    pub proto: u8,
    pub iifname: String,
    /// Bound ifindex, -1 when the name is set but no such device is in the namespace.
    pub iifindex: i32,
    pub oifname: String,
    pub oifindex: i32,
    pub mark: u32,
    pub mark_mask: u32,
    /// FRA_TUN_ID as it came (a big-endian u64 read as host order bytes).
    pub tun_id: u64,
    pub l3mdev: u8,
    pub suppress_prefixlen: i32,
    pub suppress_ifgroup: i32,
    /// FRA_GOTO (0: none).
    pub target: u32,
    /// `ctarget`: the rule a goto jumps to.
    pub ctarget: Option<u64>,
    /// `uid_range`; (0, u32::MAX) is `fib_kuid_range_unset`.
    pub uid_range: (u32, u32),
    pub ip_proto: u8,
    pub sport_range: (u16, u16),
    pub dport_range: (u16, u16),
    pub af: AfRule,
}

/// `fib_kuid_range_unset`.
const UID_RANGE_UNSET: (u32, u32) = (0, u32::MAX);

/// `uid_range_set`: both ends valid uids ((uid_t)-1 is not).
fn uid_range_set(r: (u32, u32)) -> bool {
    r.0 != u32::MAX && r.1 != u32::MAX
}

/// `fib_rule_port_range_set`.
pub fn port_range_set(r: (u16, u16)) -> bool {
    r.0 != 0 && r.1 != 0
}

/// `fib_rule_port_range_valid`.
fn port_range_valid(r: (u16, u16)) -> bool {
    r.0 != 0 && r.1 != 0 && r.1 < 0xffff && r.0 <= r.1
}

/// One rule list (`struct fib_rules_ops` with its `rules_list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesOps {
    pub family: RuleFamily,
    pub rules: Vec<FibRule>,
}

/// A namespace's rules: `net->rules_ops`, plus the vrf driver's per-namespace flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetRules {
    pub ops: Vec<RulesOps>,
    pub next_id: u64,
    /// `nn_vrf->add_fib_rules` (drivers/net/vrf.c): the first vrf of the namespace adds the
    /// l3mdev rules, and clears it.
    pub vrf_add_fib_rules: bool,
}

impl Default for NetRules {
    fn default() -> Self {
        let mut n = NetRules {
            ops: Vec::new(),
            next_id: 1,
            vrf_add_fib_rules: true,
        };
        for family in RuleFamily::ALL {
            let mut ops = RulesOps {
                family,
                rules: Vec::new(),
            };
            for &(pref, table) in family.default_rules() {
                let id = n.alloc_id();
                ops.rules.push(fib_default_rule(id, family, pref, table));
            }
            n.ops.push(ops);
        }
        n
    }
}

impl NetRules {
    fn alloc_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The rule list of `family`.
    pub fn list(&self, family: RuleFamily) -> &[FibRule] {
        self.ops
            .iter()
            .find(|o| o.family == family)
            .map_or(&[], |o| o.rules.as_slice())
    }

    fn list_mut(&mut self, family: RuleFamily) -> Option<&mut Vec<FibRule>> {
        self.ops
            .iter_mut()
            .find(|o| o.family == family)
            .map(|o| &mut o.rules)
    }
}

/// `fib_default_rule_add`.
fn fib_default_rule(id: u64, family: RuleFamily, pref: u32, table: u32) -> FibRule {
    FibRule {
        id,
        pref,
        table,
        action: FR_ACT_TO_TBL,
        flags: 0,
        proto: RTPROT_KERNEL,
        iifname: String::new(),
        iifindex: 0,
        oifname: String::new(),
        oifindex: 0,
        mark: 0,
        mark_mask: 0,
        tun_id: 0,
        l3mdev: 0,
        suppress_prefixlen: -1,
        suppress_ifgroup: -1,
        target: 0,
        ctarget: None,
        uid_range: UID_RANGE_UNSET,
        ip_proto: 0,
        sport_range: (0, 0),
        dport_range: (0, 0),
        af: empty_af(family),
    }
}

fn empty_af(family: RuleFamily) -> AfRule {
    match family {
        RuleFamily::Inet => AfRule::Inet(Fib4Rule::default()),
        RuleFamily::Inet6 => AfRule::Inet6(Fib6Rule::default()),
        RuleFamily::Ipmr | RuleFamily::Ip6mr => AfRule::Mr,
    }
}

/// An RTM_NEWRULE / RTM_DELRULE request: `struct fib_rule_hdr` and the FRA_* attributes
/// (`tb[]`), as validated by `fib_rule_policy`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleRequest {
    pub family: u8,
    pub dst_len: u8,
    pub src_len: u8,
    pub tos: u8,
    pub table: u8,
    pub action: u8,
    pub flags: u32,
    /// NLM_F_EXCL.
    pub excl: bool,
    pub dst: Option<Vec<u8>>,
    pub src: Option<Vec<u8>>,
    pub iifname: Option<String>,
    pub oifname: Option<String>,
    pub goto: Option<u32>,
    pub priority: Option<u32>,
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    pub flow: Option<u32>,
    pub tun_id: Option<u64>,
    pub suppress_ifgroup: Option<u32>,
    pub suppress_prefixlen: Option<u32>,
    pub table_attr: Option<u32>,
    pub l3mdev: Option<u8>,
    pub uid_range: Option<(u32, u32)>,
    pub protocol: Option<u8>,
    pub ip_proto: Option<u8>,
    pub sport_range: Option<(u16, u16)>,
    pub dport_range: Option<(u16, u16)>,
    pub dscp: Option<u8>,
}

impl RuleRequest {
    /// `frh_get_table`: FRA_TABLE wins over the header's 8-bit table.
    pub fn frh_get_table(&self) -> u32 {
        self.table_attr.unwrap_or(self.table as u32)
    }
}

/// What `fib_nl_fill_rule` (with the family's `fill`) puts in a message, in the model's
/// terms; the sim encodes it in the kernel's attribute order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleView {
    pub family: RuleFamily,
    pub rule: FibRule,
    /// `fib_rule_hdr.flags` with UNRESOLVED / IIF_DETACHED / OIF_DETACHED added.
    pub frh_flags: u32,
}

impl RuleView {
    fn of(family: RuleFamily, rule: &FibRule) -> Self {
        let mut flags = rule.flags;
        if rule.action == FR_ACT_GOTO && rule.ctarget.is_none() {
            flags |= FIB_RULE_UNRESOLVED;
        }
        if !rule.iifname.is_empty() && rule.iifindex == -1 {
            flags |= FIB_RULE_IIF_DETACHED;
        }
        if !rule.oifname.is_empty() && rule.oifindex == -1 {
            flags |= FIB_RULE_OIF_DETACHED;
        }
        RuleView {
            family,
            rule: rule.clone(),
            frh_flags: flags,
        }
    }

    /// `fib_rule_hdr.table`: RT_TABLE_COMPAT (252) for ids that do not fit.
    pub fn frh_table(&self) -> u8 {
        u8::try_from(self.rule.table).unwrap_or(252)
    }
}

/// A flow for [`Kernel::fib_rules_lookup`] (`struct flowi4` / `struct flowi6` as the rules
/// read them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFlow {
    /// `flowi_iif` / `flowi_oif` (0: none).
    pub iif: i32,
    pub oif: i32,
    pub mark: u32,
    pub tun_id: u64,
    pub uid: u32,
    pub src: Option<IpAddr>,
    pub dst: IpAddr,
    /// IPv4: `flowi4_tos` (the dsfield); IPv6: the traffic class of `flowlabel`.
    pub dsfield: u8,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    /// `l3mdev_fib_table` of the flow's oif (else iif) when it is or belongs to an L3 master
    /// (0: none), which the caller knows (`l3mdev_fib_rule_match`).
    pub l3mdev_table: u32,
}

/// What a matching rule tells the lookup (`ops->action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleVerdict {
    /// FR_ACT_TO_TBL: look in `table`; the caller skips a missing table (-EAGAIN) and applies
    /// `suppress_prefixlen` / `suppress_ifgroup` (`fib4_rule_suppress`, -1: unset) before
    /// taking a result.
    Table {
        pref: u32,
        table: u32,
        suppress_prefixlen: i32,
        suppress_ifgroup: i32,
    },
    /// FR_ACT_BLACKHOLE (-EINVAL), FR_ACT_UNREACHABLE (-ENETUNREACH), FR_ACT_PROHIBIT
    /// (-EACCES): the lookup ends.
    Blackhole,
    Unreachable,
    Prohibit,
}

impl Kernel {
    fn net_rules(&self, ns: NetnsId) -> Option<&NetRules> {
        self.namespaces.get(&ns).map(|n| &n.fib_rules)
    }

    fn net_rules_mut(&mut self, ns: NetnsId) -> KResult<&mut NetRules> {
        self.namespaces
            .get_mut(&ns)
            .map(|n| &mut n.fib_rules)
            .ok_or_else(|| KernelError::new(errno::EINVAL))
    }

    /// The rules of `family` in `ns`, in list order (what `dump_rules` walks).
    pub fn fib_rules(&self, ns: NetnsId, family: RuleFamily) -> Vec<RuleView> {
        self.net_rules(ns)
            .map(|n| {
                n.list(family)
                    .iter()
                    .map(|r| RuleView::of(family, r))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `fib_nl2rule`: the rule a request describes (for RTM_NEWRULE and, as the key of
    /// `rule_find`, RTM_DELRULE). Returns it and `user_priority`.
    fn fib_nl2rule(
        &self,
        ns: NetnsId,
        family: RuleFamily,
        req: &RuleRequest,
    ) -> KResult<(FibRule, bool)> {
        let bits = family.addr_size() * 8;
        let size = family.addr_size();
        if req.src_len != 0
            && (req.src.as_ref().is_none_or(|a| a.len() != size) || req.src_len as usize > bits)
        {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid source address"));
        }
        if req.dst_len != 0
            && (req.dst.as_ref().is_none_or(|a| a.len() != size) || req.dst_len as usize > bits)
        {
            return Err(KernelError::new(errno::EINVAL).msg("Invalid dst address"));
        }
        let list = self.net_rules(ns).map_or(&[][..], |n| n.list(family));
        let mut rule = fib_default_rule(0, family, 0, 0);
        rule.proto = req.protocol.unwrap_or(0);
        let user_priority = req.priority.is_some();
        rule.pref = req.priority.unwrap_or_else(|| fib_default_rule_pref(list));
        if let Some(name) = &req.iifname {
            rule.iifname = ifname_copy(name);
            rule.iifindex = self.rule_dev_index(ns, &rule.iifname);
        }
        if let Some(name) = &req.oifname {
            rule.oifname = ifname_copy(name);
            rule.oifindex = self.rule_dev_index(ns, &rule.oifname);
        }
        if let Some(mark) = req.fwmark {
            rule.mark = mark;
            // "if the mark value is non-zero all bits are compared unless a mask is
            // explicitly specified"
            if mark != 0 {
                rule.mark_mask = u32::MAX;
            }
        }
        if let Some(mask) = req.fwmask {
            rule.mark_mask = mask;
        }
        rule.tun_id = req.tun_id.unwrap_or(0);
        if let Some(l3) = req.l3mdev {
            // fib_nl2rule_l3mdev; its -1 is not kept: fib_nl2rule's err is still -EINVAL.
            rule.l3mdev = l3;
            if l3 != 1 {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid l3mdev attribute"));
            }
        }
        rule.action = req.action;
        rule.flags = req.flags;
        rule.table = req.frh_get_table();
        rule.suppress_prefixlen = req.suppress_prefixlen.map_or(-1, |v| v as i32);
        rule.suppress_ifgroup = req.suppress_ifgroup.map_or(-1, |v| v as i32);
        if let Some(target) = req.goto {
            if rule.action != FR_ACT_GOTO {
                return Err(KernelError::new(errno::EINVAL).msg("Unexpected goto"));
            }
            rule.target = target;
            // "Backward jumps are prohibited to avoid endless loops"
            if rule.target <= rule.pref {
                return Err(KernelError::new(errno::EINVAL).msg("Backward goto not supported"));
            }
        } else if rule.action == FR_ACT_GOTO {
            return Err(KernelError::new(errno::EINVAL).msg("Missing goto target for action goto"));
        }
        if rule.l3mdev != 0 && rule.table != 0 {
            return Err(
                KernelError::new(errno::EINVAL).msg("l3mdev and table are mutually exclusive")
            );
        }
        if let Some(range) = req.uid_range {
            rule.uid_range = range;
            if !uid_range_set(range) || range.0 > range.1 {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid uid range"));
            }
        }
        rule.ip_proto = req.ip_proto.unwrap_or(0);
        if let Some(r) = req.sport_range {
            if !port_range_valid(r) {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid sport range"));
            }
            rule.sport_range = r;
        }
        if let Some(r) = req.dport_range {
            if !port_range_valid(r) {
                return Err(KernelError::new(errno::EINVAL).msg("Invalid dport range"));
            }
            rule.dport_range = r;
        }
        Ok((rule, user_priority))
    }

    /// `__dev_get_by_name` for a rule's iif / oif (altnames included): its ifindex, or -1.
    fn rule_dev_index(&self, ns: NetnsId, name: &str) -> i32 {
        self.dev_by_name(ns, name)
            .map_or(-1, |d| self.dev(d).ifindex as i32)
    }

    /// `fib_nl_newrule`.
    pub fn fib_nl_newrule(&mut self, ns: NetnsId, req: &RuleRequest) -> KResult<()> {
        self.fib_newrule(ns, req, true)
    }

    fn fib_newrule(&mut self, ns: NetnsId, req: &RuleRequest, from_request: bool) -> KResult<()> {
        let family = RuleFamily::from_af(req.family).ok_or_else(|| {
            KernelError::new(errno::EAFNOSUPPORT).msg("Rule family not supported")
        })?;
        let (mut rule, _) = self.fib_nl2rule(ns, family, req)?;
        {
            let list = self.net_rules(ns).map_or(&[][..], |n| n.list(family));
            if req.excl && rule_exists(list, family, req, &rule) {
                return Err(KernelError::new(errno::EEXIST));
            }
        }
        // ops->configure
        match family {
            RuleFamily::Inet => rule.af = AfRule::Inet(super::fib4_rules::configure(&rule, req)?),
            RuleFamily::Inet6 => rule.af = AfRule::Inet6(super::fib6_rules::configure(&rule, req)?),
            // ipmr_rule_configure / ip6mr_rule_configure accept everything.
            RuleFamily::Ipmr | RuleFamily::Ip6mr => {}
        }
        let n = self.net_rules_mut(ns)?;
        rule.id = n.alloc_id();
        let Some(list) = n.list_mut(family) else {
            return Err(KernelError::new(errno::EAFNOSUPPORT).msg("Rule family not supported"));
        };
        // The target is the first rule with the goto's preference. A rule without a goto has
        // target 0 and so "resolves" to the first rule of preference 0, unused.
        rule.ctarget = list.iter().find(|r| r.pref == rule.target).map(|r| r.id);
        // Inserted after the last rule whose preference is not above its own.
        let at = list
            .iter()
            .position(|r| r.pref > rule.pref)
            .unwrap_or(list.len());
        let (id, pref) = (rule.id, rule.pref);
        list.insert(at, rule);
        // Unresolved goto rules pointing at the new rule's preference now reach it.
        for r in list.iter_mut() {
            if r.action == FR_ACT_GOTO && r.target == pref && r.ctarget.is_none() {
                r.ctarget = Some(id);
            }
        }
        let view = RuleView::of(family, &list[at]);
        self.events.push(Event::Rule {
            msg: LinkMsg::New,
            netns: ns,
            view: Box::new(view),
            from_request,
        });
        Ok(())
    }

    /// `fib_nl_delrule`.
    pub fn fib_nl_delrule(&mut self, ns: NetnsId, req: &RuleRequest) -> KResult<()> {
        let family = RuleFamily::from_af(req.family).ok_or_else(|| {
            KernelError::new(errno::EAFNOSUPPORT).msg("Rule family not supported")
        })?;
        let (key, user_priority) = self.fib_nl2rule(ns, family, req)?;
        let n = self.net_rules_mut(ns)?;
        let Some(list) = n.list_mut(family) else {
            return Err(KernelError::new(errno::EAFNOSUPPORT).msg("Rule family not supported"));
        };
        let Some(at) = rule_find(list, family, req, &key, user_priority) else {
            return Err(KernelError::new(errno::ENOENT));
        };
        if list[at].flags & FIB_RULE_PERMANENT != 0 {
            return Err(KernelError::new(errno::EPERM));
        }
        // ops->delete (fib4_rule_delete: fib_unmerge, counters) cannot fail here.
        let rule = list.remove(at);
        // Goto rules that jumped to it move to the next rule of the same preference, if the
        // one after it in the list has it, else become unresolved.
        let next = list.get(at).filter(|n| n.pref == rule.pref).map(|n| n.id);
        for r in list.iter_mut() {
            if r.ctarget == Some(rule.id) {
                r.ctarget = next;
            }
        }
        let view = RuleView::of(family, &rule);
        self.events.push(Event::Rule {
            msg: LinkMsg::Del,
            netns: ns,
            view: Box::new(view),
            from_request: true,
        });
        Ok(())
    }

    /// `vrf_add_fib_rules` (drivers/net/vrf.c), run by `vrf_newlink` for the first vrf of a
    /// namespace: an l3mdev rule at priority 1000, `proto kernel`, for AF_INET, AF_INET6,
    /// RTNL_FAMILY_IPMR and RTNL_FAMILY_IP6MR, through `fib_nl_newrule` with NLM_F_EXCL
    /// (an existing identical rule is fine) and the rtnl socket's port id 0.
    pub fn fib_rules_add_l3mdev(&mut self, ns: NetnsId) -> KResult<()> {
        let first = self
            .namespaces
            .get(&ns)
            .is_some_and(|n| n.fib_rules.vrf_add_fib_rules);
        if !first {
            return Ok(());
        }
        for af in [AF_INET, AF_INET6, RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR] {
            let req = RuleRequest {
                family: af,
                action: FR_ACT_TO_TBL,
                excl: true,
                protocol: Some(RTPROT_KERNEL),
                l3mdev: Some(1),
                priority: Some(L3MDEV_RULE_PREF),
                ..RuleRequest::default()
            };
            match self.fib_newrule(ns, &req, false) {
                Ok(()) => {}
                Err(e) if e.errno == errno::EEXIST => {}
                Err(e) => return Err(e),
            }
        }
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.fib_rules.vrf_add_fib_rules = false;
        }
        Ok(())
    }

    /// `fib_rules_event`: NETDEV_REGISTER binds rules naming the device (`attach_rules`),
    /// NETDEV_UNREGISTER unbinds them (`detach_rules`), NETDEV_CHANGENAME does both.
    pub fn fib_rules_event(&mut self, id: DevId, ev: &NetdevEvent) {
        let Some(dev) = self.try_dev(id) else {
            return;
        };
        let (ns, ifindex, name) = (dev.netns, dev.ifindex as i32, dev.name.clone());
        let Some(n) = self.namespaces.get_mut(&ns) else {
            return;
        };
        for ops in &mut n.fib_rules.ops {
            match ev {
                NetdevEvent::Unregister => detach_rules(&mut ops.rules, ifindex),
                NetdevEvent::ChangeName => {
                    detach_rules(&mut ops.rules, ifindex);
                    attach_rules(&mut ops.rules, ifindex, &name);
                }
                _ => {}
            }
        }
    }

    /// `fib_rules_event(NETDEV_REGISTER)`.
    pub fn fib_rules_register_event(&mut self, id: DevId) {
        let Some(dev) = self.try_dev(id) else {
            return;
        };
        let (ns, ifindex, name) = (dev.netns, dev.ifindex as i32, dev.name.clone());
        if let Some(n) = self.namespaces.get_mut(&ns) {
            for ops in &mut n.fib_rules.ops {
                attach_rules(&mut ops.rules, ifindex, &name);
            }
        }
    }

    /// `fib_rules_lookup`: what the rules of `family` decide for `flow`, in order. Matching
    /// rules that point at a table are returned one after the other (the caller tries them
    /// until one gives a route it does not suppress); a blackhole / unreachable / prohibit
    /// rule ends the list. Gotos jump, nop rules are skipped.
    pub fn fib_rules_lookup(
        &self,
        ns: NetnsId,
        family: RuleFamily,
        flow: &RuleFlow,
    ) -> Vec<RuleVerdict> {
        let list = self.net_rules(ns).map_or(&[][..], |n| n.list(family));
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(rule) = list.get(i) {
            i += 1;
            if !fib_rule_match(rule, flow) {
                continue;
            }
            match rule.action {
                FR_ACT_GOTO => {
                    // An unresolved goto is skipped; a resolved one continues at its target.
                    if let Some(t) = rule
                        .ctarget
                        .and_then(|t| list.iter().position(|r| r.id == t))
                    {
                        i = t;
                    }
                }
                FR_ACT_NOP => {}
                FR_ACT_TO_TBL => {
                    let table = if rule.l3mdev != 0 {
                        flow.l3mdev_table
                    } else {
                        rule.table
                    };
                    out.push(RuleVerdict::Table {
                        pref: rule.pref,
                        table,
                        suppress_prefixlen: rule.suppress_prefixlen,
                        suppress_ifgroup: rule.suppress_ifgroup,
                    });
                }
                FR_ACT_UNREACHABLE => {
                    out.push(RuleVerdict::Unreachable);
                    break;
                }
                FR_ACT_PROHIBIT => {
                    out.push(RuleVerdict::Prohibit);
                    break;
                }
                // fib4_rule_action / fib6_rule_action: FR_ACT_BLACKHOLE and anything else.
                _ => {
                    out.push(RuleVerdict::Blackhole);
                    break;
                }
            }
        }
        out
    }
}

/// `fib_rule_match` with the family's `match`.
fn fib_rule_match(rule: &FibRule, fl: &RuleFlow) -> bool {
    let ok = (|| {
        if rule.iifindex != 0 && rule.iifindex != fl.iif {
            return false;
        }
        if rule.oifindex != 0 && rule.oifindex != fl.oif {
            return false;
        }
        if (rule.mark ^ fl.mark) & rule.mark_mask != 0 {
            return false;
        }
        if rule.tun_id != 0 && rule.tun_id != fl.tun_id {
            return false;
        }
        // l3mdev_fib_rule_match: the flow's device must have an L3 master table.
        if rule.l3mdev != 0 && fl.l3mdev_table == 0 {
            return false;
        }
        if fl.uid < rule.uid_range.0 || fl.uid > rule.uid_range.1 {
            return false;
        }
        let af_ok = match &rule.af {
            AfRule::Inet(r4) => super::fib4_rules::matches(r4, fl),
            AfRule::Inet6(r6) => super::fib6_rules::matches(r6, rule.flags, fl),
            // ipmr_rule_match / ip6mr_rule_match.
            AfRule::Mr => return true,
        };
        af_ok
            && (rule.ip_proto == 0 || rule.ip_proto == fl.proto)
            && (!port_range_set(rule.sport_range)
                || (rule.sport_range.0..=rule.sport_range.1).contains(&fl.sport))
            && (!port_range_set(rule.dport_range)
                || (rule.dport_range.0..=rule.dport_range.1).contains(&fl.dport))
    })();
    if rule.flags & FIB_RULE_INVERT != 0 {
        !ok
    } else {
        ok
    }
}

/// `nla_strscpy(.., IFNAMSIZ)`: at most 15 bytes, cut at a NUL.
fn ifname_copy(name: &str) -> String {
    let mut end = name.find('\0').unwrap_or(name.len()).min(IFNAMSIZ_MAX);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// `fib_default_rule_pref`: one below the preference of the list's SECOND rule when that is
/// not 0 (the first is normally the local rule), else 0.
fn fib_default_rule_pref(list: &[FibRule]) -> u32 {
    match list.get(1) {
        Some(r) if r.pref != 0 => r.pref - 1,
        _ => 0,
    }
}

/// `ops->compare`: the family's selectors of the request against an existing rule.
fn compare(r: &FibRule, req: &RuleRequest) -> bool {
    match &r.af {
        AfRule::Inet(r4) => super::fib4_rules::compare(r4, req),
        AfRule::Inet6(r6) => super::fib6_rules::compare(r6, req),
        // ipmr_rule_compare / ip6mr_rule_compare.
        AfRule::Mr => true,
    }
}

/// `rule_exists`: an identical rule (NLM_F_EXCL).
fn rule_exists(list: &[FibRule], _family: RuleFamily, req: &RuleRequest, rule: &FibRule) -> bool {
    list.iter().any(|r| {
        r.action == rule.action
            && r.table == rule.table
            && r.pref == rule.pref
            && r.iifname == rule.iifname
            && r.oifname == rule.oifname
            && r.mark == rule.mark
            && r.suppress_ifgroup == rule.suppress_ifgroup
            && r.suppress_prefixlen == rule.suppress_prefixlen
            && r.mark_mask == rule.mark_mask
            && r.tun_id == rule.tun_id
            && r.l3mdev == rule.l3mdev
            && r.uid_range == rule.uid_range
            && r.ip_proto == rule.ip_proto
            && r.proto == rule.proto
            && r.sport_range == rule.sport_range
            && r.dport_range == rule.dport_range
            && compare(r, req)
    })
}

/// `rule_find`: the first rule matching every selector the request sets.
fn rule_find(
    list: &[FibRule],
    _family: RuleFamily,
    req: &RuleRequest,
    key: &FibRule,
    user_priority: bool,
) -> Option<usize> {
    list.iter().position(|r| {
        (key.action == 0 || r.action == key.action)
            && (key.table == 0 || r.table == key.table)
            && (!user_priority || r.pref == key.pref)
            && (key.iifname.is_empty() || r.iifname == key.iifname)
            && (key.oifname.is_empty() || r.oifname == key.oifname)
            && (key.mark == 0 || r.mark == key.mark)
            && (key.suppress_ifgroup == -1 || r.suppress_ifgroup == key.suppress_ifgroup)
            && (key.suppress_prefixlen == -1 || r.suppress_prefixlen == key.suppress_prefixlen)
            && (key.mark_mask == 0 || r.mark_mask == key.mark_mask)
            && (key.tun_id == 0 || r.tun_id == key.tun_id)
            && (key.l3mdev == 0 || r.l3mdev == key.l3mdev)
            && (!uid_range_set(key.uid_range) || r.uid_range == key.uid_range)
            && (key.ip_proto == 0 || r.ip_proto == key.ip_proto)
            && (key.proto == 0 || r.proto == key.proto)
            && (!port_range_set(key.sport_range) || r.sport_range == key.sport_range)
            && (!port_range_set(key.dport_range) || r.dport_range == key.dport_range)
            && compare(r, req)
    })
}

/// `attach_rules`.
fn attach_rules(rules: &mut [FibRule], ifindex: i32, name: &str) {
    for r in rules {
        if r.iifindex == -1 && r.iifname == name {
            r.iifindex = ifindex;
        }
        if r.oifindex == -1 && r.oifname == name {
            r.oifindex = ifindex;
        }
    }
}

/// `detach_rules`.
fn detach_rules(rules: &mut [FibRule], ifindex: i32) {
    for r in rules {
        if r.iifindex == ifindex {
            r.iifindex = -1;
        }
        if r.oifindex == ifindex {
            r.oifindex = -1;
        }
    }
}
