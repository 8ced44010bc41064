//! net/ipv6/fib6_rules.c: the IPv6 part of a rule (`struct fib6_rule`):
//! `fib6_rule_configure`, `fib6_rule_compare`, `fib6_rule_match`. The default rules
//! (`fib6_rules_net_init`: 0 local, 32766 main) are listed in `fib_rules.rs`.

use super::fib4_rules::INET_DSCP_MASK;
use super::fib_rules::{FibRule, RuleFlow, RuleRequest, FIB_RULE_FIND_SADDR, FR_ACT_TO_TBL};
use crate::error::{KResult, KernelError};
use crate::uapi::errno;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv6Addr};

/// `struct fib6_rule`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fib6Rule {
    pub src: Option<Ipv6Addr>,
    pub src_len: u8,
    pub dst: Option<Ipv6Addr>,
    pub dst_len: u8,
    pub dscp: u8,
    pub dscp_full: bool,
}

fn addr6(bytes: Option<&Vec<u8>>) -> Option<Ipv6Addr> {
    let b: [u8; 16] = bytes?.as_slice().try_into().ok()?;
    Some(Ipv6Addr::from(b))
}

/// `fib6_rule_configure`.
pub fn configure(rule: &FibRule, req: &RuleRequest) -> KResult<Fib6Rule> {
    let mut r6 = Fib6Rule::default();
    // inet_validate_dscp
    if req.tos & !INET_DSCP_MASK != 0 {
        return Err(
            KernelError::new(errno::EINVAL).msg("Invalid dsfield (tos): ECN bits must be 0")
        );
    }
    r6.dscp = req.tos & INET_DSCP_MASK;
    if let Some(d) = req.dscp {
        // fib6_nl2rule_dscp
        if r6.dscp != 0 {
            return Err(KernelError::new(errno::EINVAL).msg("Cannot specify both TOS and DSCP"));
        }
        r6.dscp = (d << 2) & INET_DSCP_MASK;
        r6.dscp_full = true;
    }
    // fib6_new_table creates the table if needed; an empty IPv6 table is invisible.
    if rule.action == FR_ACT_TO_TBL && rule.l3mdev == 0 && rule.table == 0 {
        return Err(KernelError::new(errno::EINVAL).msg("Invalid table"));
    }
    if req.src_len != 0 {
        r6.src = addr6(req.src.as_ref());
    }
    if req.dst_len != 0 {
        r6.dst = addr6(req.dst.as_ref());
    }
    r6.src_len = req.src_len;
    r6.dst_len = req.dst_len;
    Ok(r6)
}

/// `fib6_rule_compare`.
pub fn compare(r6: &Fib6Rule, req: &RuleRequest) -> bool {
    if req.src_len != 0 && r6.src_len != req.src_len {
        return false;
    }
    if req.dst_len != 0 && r6.dst_len != req.dst_len {
        return false;
    }
    if req.tos != 0 && (r6.dscp_full || r6.dscp != req.tos) {
        return false;
    }
    if let Some(d) = req.dscp {
        if !r6.dscp_full || r6.dscp != (d << 2) & INET_DSCP_MASK {
            return false;
        }
    }
    // nla_memcmp against the whole stored address.
    if req.src_len != 0 && req.src.as_deref() != r6.src.map(|a| a.octets().to_vec()).as_deref() {
        return false;
    }
    if req.dst_len != 0 && req.dst.as_deref() != r6.dst.map(|a| a.octets().to_vec()).as_deref() {
        return false;
    }
    true
}

/// `ipv6_prefix_equal`.
fn prefix_equal(a: Ipv6Addr, b: Option<Ipv6Addr>, len: u8) -> bool {
    let b = b.unwrap_or(Ipv6Addr::UNSPECIFIED);
    let len = u32::from(len.min(128));
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    };
    (u128::from(a) ^ u128::from(b)) & mask == 0
}

/// `fib6_rule_match` (the family part). A flow without a source address
/// (no RT6_LOOKUP_F_HAS_SADDR) only passes a source selector with FIB_RULE_FIND_SADDR.
pub fn matches(r6: &Fib6Rule, flags: u32, fl: &RuleFlow) -> bool {
    let IpAddr::V6(dst) = fl.dst else {
        return false;
    };
    if r6.dst_len != 0 && !prefix_equal(dst, r6.dst, r6.dst_len) {
        return false;
    }
    if r6.src_len != 0 {
        match fl.src {
            Some(IpAddr::V6(src)) => {
                if !prefix_equal(src, r6.src, r6.src_len) {
                    return false;
                }
            }
            _ => {
                if flags & FIB_RULE_FIND_SADDR == 0 {
                    return false;
                }
            }
        }
    }
    // ip6_dscp(flowlabel): the traffic class's DSCP bits.
    !(r6.dscp != 0 && r6.dscp != fl.dsfield & INET_DSCP_MASK)
}
