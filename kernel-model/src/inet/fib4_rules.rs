//! net/ipv4/fib_rules.c: the IPv4 part of a rule (`struct fib4_rule`): `fib4_rule_configure`,
//! `fib4_rule_compare`, `fib4_rule_match`. The default rules (`fib_default_rules_init`) are
//! listed with the other families' in `fib_rules.rs`.

use super::fib_rules::{FibRule, RuleFlow, RuleRequest, FR_ACT_TO_TBL};
use super::ifaddr::prefix_mask_v4;
use crate::error::{KResult, KernelError};
use crate::uapi::errno;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};

/// `INET_DSCP_MASK`: the DSCP bits of a dsfield.
pub const INET_DSCP_MASK: u8 = 0xfc;
/// `IPTOS_TOS_MASK`: the only dsfield bits IPv4 rules accept in `fib_rule_hdr.tos`.
pub const IPTOS_TOS_MASK: u8 = 0x1e;

/// `struct fib4_rule` (the address parts as prefix + length).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fib4Rule {
    pub src: Option<Ipv4Addr>,
    pub src_len: u8,
    pub dst: Option<Ipv4Addr>,
    pub dst_len: u8,
    /// `dscp_t`: the dsfield with the ECN bits cleared.
    pub dscp: u8,
    /// Set by FRA_DSCP: the whole DSCP is matched.
    pub dscp_full: bool,
    /// FRA_FLOW (`tclassid`, CONFIG_IP_ROUTE_CLASSID).
    pub tclassid: u32,
}

fn addr4(bytes: Option<&Vec<u8>>) -> Option<Ipv4Addr> {
    let b: [u8; 4] = bytes?.as_slice().try_into().ok()?;
    Some(Ipv4Addr::from(b))
}

/// `fib4_rule_configure`.
pub fn configure(rule: &FibRule, req: &RuleRequest) -> KResult<Fib4Rule> {
    let mut r4 = Fib4Rule::default();
    // inet_validate_dscp
    if req.tos & !INET_DSCP_MASK != 0 {
        return Err(
            KernelError::new(errno::EINVAL).msg("Invalid dsfield (tos): ECN bits must be 0")
        );
    }
    // "IPv4 currently doesn't handle high order DSCP bits correctly"
    if req.tos & !IPTOS_TOS_MASK != 0 {
        return Err(KernelError::new(errno::EINVAL).msg("Invalid tos"));
    }
    r4.dscp = req.tos & INET_DSCP_MASK;
    if let Some(d) = req.dscp {
        // fib4_nl2rule_dscp
        if r4.dscp != 0 {
            return Err(KernelError::new(errno::EINVAL).msg("Cannot specify both TOS and DSCP"));
        }
        r4.dscp = (d << 2) & INET_DSCP_MASK;
        r4.dscp_full = true;
    }
    // fib_unmerge only concerns the routes. A rule to table 0 gets the first unused table id
    // (fib_empty_table), which needs the FIB's table list.
    if rule.table == 0 && rule.l3mdev == 0 && rule.action == FR_ACT_TO_TBL {
        return Err(KernelError::not_modelled(
            "an IPv4 rule without a table (fib_empty_table picking a free table)",
        ));
    }
    if req.src_len != 0 {
        r4.src = addr4(req.src.as_ref());
    }
    if req.dst_len != 0 {
        r4.dst = addr4(req.dst.as_ref());
    }
    r4.tclassid = req.flow.unwrap_or(0);
    r4.src_len = req.src_len;
    r4.dst_len = req.dst_len;
    Ok(r4)
}

/// `fib4_rule_compare`: the request's IPv4 selectors (those it sets) against a rule.
pub fn compare(r4: &Fib4Rule, req: &RuleRequest) -> bool {
    if req.src_len != 0 && r4.src_len != req.src_len {
        return false;
    }
    if req.dst_len != 0 && r4.dst_len != req.dst_len {
        return false;
    }
    if req.tos != 0 && (r4.dscp_full || r4.dscp != req.tos) {
        return false;
    }
    if let Some(d) = req.dscp {
        if !r4.dscp_full || r4.dscp != (d << 2) & INET_DSCP_MASK {
            return false;
        }
    }
    if req.flow.is_some_and(|f| f != r4.tclassid) {
        return false;
    }
    if req.src_len != 0 && r4.src != addr4(req.src.as_ref()) {
        return false;
    }
    if req.dst_len != 0 && r4.dst != addr4(req.dst.as_ref()) {
        return false;
    }
    true
}

/// The rule's stored address with its mask applied (`(saddr ^ r->src) & r->srcmask`).
fn prefix_match(want: Option<Ipv4Addr>, len: u8, have: Option<IpAddr>) -> bool {
    let mask = prefix_mask_v4(len);
    let want = want.map_or(0, u32::from);
    let have = match have {
        Some(IpAddr::V4(a)) => u32::from(a),
        _ => 0,
    };
    (want ^ have) & mask == 0
}

/// `fib4_rule_match` (the family part; ip_proto and ports are checked by the caller).
pub fn matches(r4: &Fib4Rule, fl: &RuleFlow) -> bool {
    if !prefix_match(r4.src, r4.src_len, fl.src) || !prefix_match(r4.dst, r4.dst_len, Some(fl.dst))
    {
        return false;
    }
    let flow_dscp = fl.dsfield & INET_DSCP_MASK;
    if r4.dscp_full {
        r4.dscp == flow_dscp
    } else if r4.dscp != 0 {
        // fib_dscp_masked_match: only the legacy TOS bits of the flow.
        r4.dscp == fl.dsfield & IPTOS_TOS_MASK & INET_DSCP_MASK
    } else {
        true
    }
}
