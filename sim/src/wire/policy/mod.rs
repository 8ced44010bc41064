//! A table-driven reimplementation of the attribute validation in
//! lib/nlattr.c (validate_nla(), __nla_validate_parse()) and of the policy
//! description the kernel attaches to extended ACKs
//! (net/netlink/policy.c, __netlink_policy_dump_write_attr()).
//!
//! Tables for the policies nlsim needs live in [`tables`]. Integers are read
//! in host byte order, and nlsim assumes a little-endian 64-bit host (the
//! only kind it runs on), which also fixes `sizeof(struct rtnl_link_ifmap)`
//! and the absence of 64-bit pad attributes in policy dumps.

pub mod tables;

use super::consts::*;
use super::raw::put_attr;

/// `enum nla_types` members nlsim's tables use (plus the few that are cheap
/// to support). The names follow the kernel's without the `NLA_` prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NlaType {
    Unspec,
    U8,
    U16,
    U32,
    U64,
    String,
    Flag,
    Msecs,
    Nested,
    NestedArray,
    NulString,
    Binary,
    S8,
    S16,
    S32,
    S64,
    Bitfield32,
    Reject,
    Be16,
    Be32,
    Sint,
    Uint,
}

impl NlaType {
    /// nla_attr_len[]: types whose length must be exact (only enforced,
    /// with "invalid attribute length", under NL_VALIDATE_STRICT_ATTRS).
    pub(crate) fn exact_len(self) -> Option<usize> {
        match self {
            NlaType::U8 | NlaType::S8 => Some(1),
            NlaType::U16 | NlaType::S16 | NlaType::Be16 => Some(2),
            NlaType::U32 | NlaType::S32 | NlaType::Be32 => Some(4),
            NlaType::U64 | NlaType::S64 => Some(8),
            _ => None,
        }
    }

    /// nla_attr_minlen[].
    pub(crate) fn min_len(self) -> usize {
        match self {
            NlaType::Msecs => 8,
            NlaType::Nested => NLA_HDRLEN,
            other => other.exact_len().unwrap_or(0),
        }
    }

    pub(crate) fn is_unsigned_int(self) -> bool {
        matches!(
            self,
            NlaType::U8
                | NlaType::U16
                | NlaType::U32
                | NlaType::U64
                | NlaType::Uint
                | NlaType::Msecs
                | NlaType::Be16
                | NlaType::Be32
        )
    }

    pub(crate) fn is_signed_int(self) -> bool {
        matches!(
            self,
            NlaType::S8 | NlaType::S16 | NlaType::S32 | NlaType::S64 | NlaType::Sint
        )
    }
}

/// `validation_type` plus its `min`/`max` (NLA_POLICY_RANGE/MIN/MAX/
/// EXACT_LEN). Bounds are i64 because the kernel stores them as s16 or in a
/// range struct; none of nlsim's tables needs more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validation {
    None,
    Range {
        min: i64,
        max: i64,
    },
    Min(i64),
    Max(i64),
    /// NLA_VALIDATE_RANGE_WARN_TOO_LONG (NLA_POLICY_EXACT_LEN_WARN).
    RangeWarnTooLong {
        min: i64,
        max: i64,
    },
}

/// One `struct nla_policy` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrPolicy {
    pub kind: NlaType,
    /// `.len`: max string/binary length, or minimum length for other types.
    pub len: u16,
    pub validation: Validation,
    /// `.nested_policy` for Nested/NestedArray (its maxtype is implied).
    pub nested: Option<&'static Policy>,
    /// `.reject_message` for NLA_REJECT.
    pub reject_message: Option<&'static str>,
    /// `.bitfield32_valid` for NLA_BITFIELD32.
    pub bitfield32_valid: u32,
}

impl AttrPolicy {
    /// An all-zero entry, i.e. what C leaves in unlisted slots.
    pub const UNSPEC: AttrPolicy = AttrPolicy::of(NlaType::Unspec);

    pub const fn of(kind: NlaType) -> Self {
        AttrPolicy {
            kind,
            len: 0,
            validation: Validation::None,
            nested: None,
            reject_message: None,
            bitfield32_valid: 0,
        }
    }

    pub const fn with_len(kind: NlaType, len: u16) -> Self {
        let mut p = Self::of(kind);
        p.len = len;
        p
    }

    pub const fn validated(kind: NlaType, validation: Validation) -> Self {
        let mut p = Self::of(kind);
        p.validation = validation;
        p
    }

    pub const fn nested(policy: &'static Policy) -> Self {
        let mut p = Self::of(NlaType::Nested);
        p.nested = Some(policy);
        p
    }

    /// Range of an unsigned integer or binary policy, as
    /// nla_get_range_unsigned() derives it.
    pub(crate) fn range_unsigned(&self) -> (u64, u64) {
        let type_max = match self.kind {
            NlaType::U8 => u8::MAX as u64,
            NlaType::U16 | NlaType::Be16 | NlaType::Binary => u16::MAX as u64,
            NlaType::U32 | NlaType::Be32 => u32::MAX as u64,
            _ => u64::MAX,
        };
        match self.validation {
            Validation::Range { min, max } | Validation::RangeWarnTooLong { min, max } => {
                (min.max(0) as u64, max.max(0) as u64)
            }
            Validation::Min(min) => (min.max(0) as u64, type_max),
            Validation::Max(max) => (0, max.max(0) as u64),
            Validation::None => (0, type_max),
        }
    }

    /// nla_get_range_signed().
    pub(crate) fn range_signed(&self) -> (i64, i64) {
        let (tmin, tmax) = match self.kind {
            NlaType::S8 => (i8::MIN as i64, i8::MAX as i64),
            NlaType::S16 => (i16::MIN as i64, i16::MAX as i64),
            NlaType::S32 => (i32::MIN as i64, i32::MAX as i64),
            _ => (i64::MIN, i64::MAX),
        };
        match self.validation {
            Validation::Range { min, max } | Validation::RangeWarnTooLong { min, max } => {
                (min, max)
            }
            Validation::Min(min) => (min, tmax),
            Validation::Max(max) => (tmin, max),
            Validation::None => (tmin, tmax),
        }
    }
}

/// A policy array: `attrs[t]` describes attribute type `t`, so the maxtype is
/// `attrs.len() - 1`; `strict_start_type` is `policy[0].strict_start_type`.
#[derive(Debug, PartialEq, Eq)]
pub struct Policy {
    /// The kernel's name for the table, for logs and tests.
    pub name: &'static str,
    pub strict_start_type: u16,
    pub attrs: &'static [AttrPolicy],
}

impl Policy {
    pub fn max_type(&self) -> u16 {
        self.attrs.len().saturating_sub(1) as u16
    }
}

/// Appends the description of `pt` as a nest of type `nestattr`, the way
/// netlink_policy_dump_write_attr() does for NLMSGERR_ATTR_POLICY. Returns
/// false (and appends nothing) for the types the kernel skips: NLA_UNSPEC,
/// NLA_REJECT, and anything not in its switch (NLA_BE16/BE32).
///
/// 64-bit values go out without a pad attribute: nla_put_u64_64bit() only
/// pads on hosts without efficient unaligned access, and x86_64 has it.
pub fn write_policy_attr(out: &mut Vec<u8>, nestattr: u16, pt: &AttrPolicy) -> bool {
    let mut inner = Vec::new();
    let u32_attr = |o: &mut Vec<u8>, t: u16, v: u32| put_attr(o, t, &v.to_ne_bytes());
    let ty = match pt.kind {
        NlaType::Unspec | NlaType::Reject | NlaType::Be16 | NlaType::Be32 => return false,
        // POLICY_IDX/MAXTYPE need a dump state, which an extack has not.
        NlaType::Nested => NL_ATTR_TYPE_NESTED,
        NlaType::NestedArray => NL_ATTR_TYPE_NESTED_ARRAY,
        NlaType::U8
        | NlaType::U16
        | NlaType::U32
        | NlaType::U64
        | NlaType::Uint
        | NlaType::Msecs => {
            let (min, max) = pt.range_unsigned();
            put_attr(
                &mut inner,
                NL_POLICY_TYPE_ATTR_MIN_VALUE_U,
                &min.to_ne_bytes(),
            );
            put_attr(
                &mut inner,
                NL_POLICY_TYPE_ATTR_MAX_VALUE_U,
                &max.to_ne_bytes(),
            );
            match pt.kind {
                NlaType::U8 => NL_ATTR_TYPE_U8,
                NlaType::U16 => NL_ATTR_TYPE_U16,
                NlaType::U32 => NL_ATTR_TYPE_U32,
                NlaType::U64 => NL_ATTR_TYPE_U64,
                // The kernel's if/else chain ends in UINT, so MSECS lands there.
                _ => NL_ATTR_TYPE_UINT,
            }
        }
        NlaType::S8 | NlaType::S16 | NlaType::S32 | NlaType::S64 | NlaType::Sint => {
            let (min, max) = pt.range_signed();
            put_attr(
                &mut inner,
                NL_POLICY_TYPE_ATTR_MIN_VALUE_S,
                &min.to_ne_bytes(),
            );
            put_attr(
                &mut inner,
                NL_POLICY_TYPE_ATTR_MAX_VALUE_S,
                &max.to_ne_bytes(),
            );
            match pt.kind {
                NlaType::S8 => NL_ATTR_TYPE_S8,
                NlaType::S16 => NL_ATTR_TYPE_S16,
                NlaType::S32 => NL_ATTR_TYPE_S32,
                NlaType::S64 => NL_ATTR_TYPE_S64,
                _ => NL_ATTR_TYPE_SINT,
            }
        }
        NlaType::Bitfield32 => {
            u32_attr(
                &mut inner,
                NL_POLICY_TYPE_ATTR_BITFIELD32_MASK,
                pt.bitfield32_valid,
            );
            NL_ATTR_TYPE_BITFIELD32
        }
        NlaType::String | NlaType::NulString | NlaType::Binary => {
            match pt.validation {
                Validation::Range { .. } | Validation::RangeWarnTooLong { .. } => {
                    let (min, max) = pt.range_unsigned();
                    if min != 0 {
                        u32_attr(&mut inner, NL_POLICY_TYPE_ATTR_MIN_LENGTH, min as u32);
                    }
                    if max < u16::MAX as u64 {
                        u32_attr(&mut inner, NL_POLICY_TYPE_ATTR_MAX_LENGTH, max as u32);
                    }
                }
                _ => {
                    if pt.len != 0 {
                        u32_attr(&mut inner, NL_POLICY_TYPE_ATTR_MAX_LENGTH, pt.len as u32);
                    }
                }
            }
            match pt.kind {
                NlaType::String => NL_ATTR_TYPE_STRING,
                NlaType::NulString => NL_ATTR_TYPE_NUL_STRING,
                _ => NL_ATTR_TYPE_BINARY,
            }
        }
        NlaType::Flag => NL_ATTR_TYPE_FLAG,
    };
    u32_attr(&mut inner, NL_POLICY_TYPE_ATTR_TYPE, ty);
    // nla_nest_start() marks the nest with NLA_F_NESTED.
    put_attr(out, nestattr | NLA_F_NESTED, &inner);
    true
}
