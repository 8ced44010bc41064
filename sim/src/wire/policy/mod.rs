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

use super::ack::ExtAck;
use super::consts::*;
use super::raw::{attrs_start, put_attr, NlHeader, NlaIter, RawNla};

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
    fn exact_len(self) -> Option<usize> {
        match self {
            NlaType::U8 | NlaType::S8 => Some(1),
            NlaType::U16 | NlaType::S16 | NlaType::Be16 => Some(2),
            NlaType::U32 | NlaType::S32 | NlaType::Be32 => Some(4),
            NlaType::U64 | NlaType::S64 => Some(8),
            _ => None,
        }
    }

    /// nla_attr_minlen[].
    fn min_len(self) -> usize {
        match self {
            NlaType::Msecs => 8,
            NlaType::Nested => NLA_HDRLEN,
            other => other.exact_len().unwrap_or(0),
        }
    }

    fn is_unsigned_int(self) -> bool {
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

    fn is_signed_int(self) -> bool {
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
    fn range_unsigned(&self) -> (u64, u64) {
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
    fn range_signed(&self) -> (i64, i64) {
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

/// `enum netlink_validation` combinations used by the parse helpers in
/// include/net/netlink.h.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidateMode {
    /// NL_VALIDATE_LIBERAL: nlmsg_parse_deprecated(), nla_parse_nested_deprecated().
    Liberal,
    /// NL_VALIDATE_DEPRECATED_STRICT (TRAILING | MAXTYPE):
    /// nlmsg_parse_deprecated_strict().
    DeprecatedStrict,
    /// NL_VALIDATE_STRICT: nlmsg_parse(), nla_parse_nested().
    Strict,
}

const V_TRAILING: u8 = 1 << 0;
const V_MAXTYPE: u8 = 1 << 1;
const V_UNSPEC: u8 = 1 << 2;
const V_STRICT_ATTRS: u8 = 1 << 3;
const V_NESTED: u8 = 1 << 4;
const V_STRICT: u8 = V_TRAILING | V_MAXTYPE | V_UNSPEC | V_STRICT_ATTRS | V_NESTED;

impl ValidateMode {
    fn flags(self) -> u8 {
        match self {
            ValidateMode::Liberal => 0,
            ValidateMode::DeprecatedStrict => V_TRAILING | V_MAXTYPE,
            ValidateMode::Strict => V_STRICT,
        }
    }
}

/// MAX_POLICY_RECURSION_DEPTH in lib/nlattr.c.
const MAX_DEPTH: u32 = 10;

/// A validation failure: the errno the handler returns and the extack the
/// kernel would have filled.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("errno {errno}: {}", extack.msg.as_deref().unwrap_or("(no message)"))]
pub struct PolicyError {
    /// Positive errno (EINVAL, ERANGE).
    pub errno: i32,
    pub extack: ExtAck,
}

/// What a successful validation leaves in the extack. __nla_validate_parse()
/// sets "bytes leftover after parsing attributes" even when it does not
/// fail, and netlink_ack() then sends that message with the success ACK
/// (checked on 6.18: a 36-byte-plus-TLV capped ACK with NLM_F_ACK_TLVS).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validated {
    pub warning: Option<&'static str>,
}

struct Ctx {
    warning: Option<&'static str>,
}

fn errno_only(errno: i32) -> PolicyError {
    PolicyError {
        errno,
        extack: ExtAck::default(),
    }
}

/// NL_SET_ERR_MSG_ATTR_POL(): message, bad attribute and policy together.
fn fail_attr(
    errno: i32,
    msg: &str,
    nla: &RawNla<'_>,
    pt: Option<&'static AttrPolicy>,
) -> PolicyError {
    PolicyError {
        errno,
        extack: ExtAck {
            msg: Some(msg.to_owned()),
            bad_attr_offset: Some(nla.offset as u32),
            policy: pt,
            ..ExtAck::default()
        },
    }
}

/// Validates the attributes of a whole message like __nlmsg_parse(): first
/// "Invalid header length" if `nlmsg_len` cannot hold the family header,
/// then every attribute after NLMSG_ALIGN(fixed_hdr_len).
pub fn validate(
    msg: &[u8],
    fixed_hdr_len: usize,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<Validated, PolicyError> {
    let len = NlHeader::parse(msg)
        .map(|h| (h.len as usize).min(msg.len()))
        .unwrap_or(0);
    if len < NLMSG_HDRLEN + fixed_hdr_len {
        return Err(PolicyError {
            errno: libc::EINVAL,
            extack: ExtAck {
                msg: Some("Invalid header length".to_owned()),
                ..ExtAck::default()
            },
        });
    }
    validate_range(msg, attrs_start(fixed_hdr_len), len, policy, mode)
}

/// Validates the payload of a nested attribute (nla_parse_nested*()). This is
/// how a caller checks IFLA_LINKINFO against [`tables::IFLA_INFO_POLICY`] and
/// IFLA_INFO_DATA against the policy of the link kind (rtnl_newlink() does
/// the latter with `ops->policy` once it has read IFLA_INFO_KIND).
pub fn validate_nested(
    msg: &[u8],
    nla: &RawNla<'_>,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<Validated, PolicyError> {
    let start = nla.value_offset();
    validate_range(msg, start, start + nla.value.len(), policy, mode)
}

/// Validates the attribute stream in `msg[start..end]`; reported offsets are
/// relative to `msg`, which should start at the request's nlmsghdr.
pub fn validate_range(
    msg: &[u8],
    start: usize,
    end: usize,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<Validated, PolicyError> {
    let mut ctx = Ctx { warning: None };
    parse_stream(msg, start, end, policy, mode.flags(), 0, &mut ctx)?;
    Ok(Validated {
        warning: ctx.warning,
    })
}

/// __nla_validate_parse().
fn parse_stream(
    msg: &[u8],
    start: usize,
    end: usize,
    policy: &'static Policy,
    flags: u8,
    depth: u32,
    ctx: &mut Ctx,
) -> Result<(), PolicyError> {
    if depth >= MAX_DEPTH {
        return Err(PolicyError {
            errno: libc::EINVAL,
            extack: ExtAck {
                msg: Some("allowed policy recursion depth exceeded".to_owned()),
                ..ExtAck::default()
            },
        });
    }
    let max_type = policy.max_type();
    let mut it = NlaIter::new(msg, start, end);
    for nla in it.by_ref() {
        if nla.kind == 0 || nla.kind > max_type {
            if flags & V_MAXTYPE != 0 {
                return Err(fail_attr(
                    libc::EINVAL,
                    "Unknown attribute type",
                    &nla,
                    None,
                ));
            }
            continue;
        }
        validate_nla(msg, &nla, policy, flags, depth, ctx)?;
    }
    if it.leftover() > 0 {
        // The message is recorded as a warning even when it is not fatal.
        const LEFTOVER: &str = "bytes leftover after parsing attributes";
        ctx.warning = Some(LEFTOVER);
        if flags & V_TRAILING != 0 {
            return Err(PolicyError {
                errno: libc::EINVAL,
                extack: ExtAck {
                    msg: Some(LEFTOVER.to_owned()),
                    ..ExtAck::default()
                },
            });
        }
    }
    Ok(())
}

fn read_u64(value: &[u8], n: usize) -> u64 {
    let mut b = [0u8; 8];
    let n = n.min(value.len()).min(8);
    b[..n].copy_from_slice(&value[..n]);
    u64::from_le_bytes(b)
}

/// validate_nla().
fn validate_nla(
    msg: &[u8],
    nla: &RawNla<'_>,
    policy: &'static Policy,
    mut flags: u8,
    depth: u32,
    ctx: &mut Ctx,
) -> Result<(), PolicyError> {
    let ty = nla.kind;
    if policy.strict_start_type != 0 && ty >= policy.strict_start_type {
        flags |= V_STRICT;
    }
    let Some(pt) = policy.attrs.get(ty as usize) else {
        return Ok(());
    };
    let attrlen = nla.value.len();
    let policy_fail = |errno: i32| {
        Err(fail_attr(
            errno,
            "Attribute failed policy validation",
            nla,
            Some(pt),
        ))
    };

    if let Some(exact) = pt.kind.exact_len() {
        // Liberal parsing only logs "attribute type %d has an invalid length".
        if attrlen != exact && flags & V_STRICT_ATTRS != 0 {
            return Err(fail_attr(
                libc::EINVAL,
                "invalid attribute length",
                nla,
                Some(pt),
            ));
        }
    }

    if flags & V_NESTED != 0 {
        let is_nest = matches!(pt.kind, NlaType::Nested | NlaType::NestedArray);
        if is_nest && !nla.nested_flag {
            return Err(fail_attr(
                libc::EINVAL,
                "NLA_F_NESTED is missing",
                nla,
                Some(pt),
            ));
        }
        if !is_nest && pt.kind != NlaType::Unspec && nla.nested_flag {
            return Err(fail_attr(
                libc::EINVAL,
                "NLA_F_NESTED not expected",
                nla,
                Some(pt),
            ));
        }
    }

    match pt.kind {
        NlaType::Reject => {
            if let Some(m) = pt.reject_message {
                // NL_SET_BAD_ATTR plus the custom message; no policy.
                return Err(fail_attr(libc::EINVAL, m, nla, None));
            }
            return policy_fail(libc::EINVAL);
        }
        NlaType::Flag => {
            if attrlen > 0 {
                return policy_fail(libc::ERANGE);
            }
        }
        NlaType::Sint | NlaType::Uint => {
            if attrlen != 4 && attrlen != 8 {
                return Err(fail_attr(
                    libc::EINVAL,
                    "invalid attribute length",
                    nla,
                    Some(pt),
                ));
            }
        }
        NlaType::Bitfield32 => {
            if attrlen != 8 {
                return policy_fail(libc::ERANGE);
            }
            // validate_nla_bitfield32().
            let value = read_u64(nla.value, 4) as u32;
            let selector = read_u64(&nla.value[4..], 4) as u32;
            let valid = pt.bitfield32_valid;
            if valid == 0 || selector & !valid != 0 || value & !valid != 0 || value & !selector != 0
            {
                return policy_fail(libc::EINVAL);
            }
        }
        NlaType::NulString | NlaType::String => {
            if pt.kind == NlaType::NulString {
                let minlen = if pt.len != 0 {
                    attrlen.min(pt.len as usize + 1)
                } else {
                    attrlen
                };
                if minlen == 0 || !nla.value[..minlen].contains(&0) {
                    return policy_fail(libc::EINVAL);
                }
            }
            if attrlen < 1 {
                return policy_fail(libc::ERANGE);
            }
            if pt.len != 0 {
                // One trailing NUL does not count against the maximum.
                let mut l = attrlen;
                if nla.value[l - 1] == 0 {
                    l -= 1;
                }
                if l > pt.len as usize {
                    return policy_fail(libc::ERANGE);
                }
            }
        }
        NlaType::Binary => {
            if pt.len != 0 && attrlen > pt.len as usize {
                return policy_fail(libc::ERANGE);
            }
        }
        NlaType::Nested | NlaType::NestedArray => {
            // An empty nest is fine; otherwise it must hold a header.
            if attrlen != 0 {
                if attrlen < NLA_HDRLEN {
                    return policy_fail(libc::ERANGE);
                }
                if let Some(inner) = pt.nested {
                    let start = nla.value_offset();
                    let end = start + attrlen;
                    if pt.kind == NlaType::Nested {
                        parse_stream(msg, start, end, inner, flags, depth + 1, ctx)?;
                    } else {
                        validate_array(msg, start, end, inner, flags, depth, ctx)?;
                    }
                }
            }
        }
        NlaType::Unspec => {
            if flags & V_UNSPEC != 0 {
                return Err(fail_attr(libc::EINVAL, "Unsupported attribute", nla, None));
            }
            if attrlen < pt.len as usize {
                return policy_fail(libc::ERANGE);
            }
        }
        _ => {
            let minlen = if pt.len != 0 {
                pt.len as usize
            } else {
                pt.kind.min_len()
            };
            if attrlen < minlen {
                return policy_fail(libc::ERANGE);
            }
        }
    }

    if pt.validation != Validation::None {
        validate_int_range(nla, pt, flags)?;
    }
    Ok(())
}

/// nla_validate_array(): every element of a NLA_NESTED_ARRAY is a nest
/// validated against the inner policy.
fn validate_array(
    msg: &[u8],
    start: usize,
    end: usize,
    policy: &'static Policy,
    flags: u8,
    depth: u32,
    ctx: &mut Ctx,
) -> Result<(), PolicyError> {
    for entry in NlaIter::new(msg, start, end) {
        if entry.value.is_empty() {
            continue;
        }
        if entry.value.len() < NLA_HDRLEN {
            return Err(fail_attr(
                libc::ERANGE,
                "Array element too short",
                &entry,
                None,
            ));
        }
        let s = entry.value_offset();
        parse_stream(msg, s, s + entry.value.len(), policy, flags, depth + 1, ctx)?;
    }
    Ok(())
}

/// nla_validate_int_range() and its unsigned/signed helpers.
fn validate_int_range(
    nla: &RawNla<'_>,
    pt: &'static AttrPolicy,
    flags: u8,
) -> Result<(), PolicyError> {
    let v = nla.value;
    if pt.kind.is_unsigned_int() || pt.kind == NlaType::Binary {
        let value = match pt.kind {
            NlaType::U8 => read_u64(v, 1),
            NlaType::U16 => read_u64(v, 2),
            NlaType::U32 => read_u64(v, 4),
            NlaType::U64 | NlaType::Msecs => read_u64(v, 8),
            NlaType::Uint => read_u64(v, if v.len() == 4 { 4 } else { 8 }),
            NlaType::Be16 => (read_u64(v, 2) as u16).swap_bytes() as u64,
            NlaType::Be32 => (read_u64(v, 4) as u32).swap_bytes() as u64,
            _ => v.len() as u64, // NLA_BINARY: the length is the value.
        };
        let (min, max) = pt.range_unsigned();
        if matches!(pt.validation, Validation::RangeWarnTooLong { .. })
            && pt.kind == NlaType::Binary
            && value > max
        {
            if flags & V_STRICT_ATTRS != 0 {
                return Err(fail_attr(
                    libc::EINVAL,
                    "invalid attribute length",
                    nla,
                    Some(pt),
                ));
            }
            return Ok(());
        }
        if value < min || value > max {
            let m = if pt.kind == NlaType::Binary {
                "binary attribute size out of range"
            } else {
                "integer out of range"
            };
            return Err(fail_attr(libc::ERANGE, m, nla, Some(pt)));
        }
        return Ok(());
    }
    if pt.kind.is_signed_int() {
        let value = match pt.kind {
            NlaType::S8 => read_u64(v, 1) as u8 as i8 as i64,
            NlaType::S16 => read_u64(v, 2) as u16 as i16 as i64,
            NlaType::S32 => read_u64(v, 4) as u32 as i32 as i64,
            NlaType::Sint if v.len() == 4 => read_u64(v, 4) as u32 as i32 as i64,
            _ => read_u64(v, 8) as i64,
        };
        let (min, max) = pt.range_signed();
        if value < min || value > max {
            return Err(fail_attr(
                libc::ERANGE,
                "integer out of range",
                nla,
                Some(pt),
            ));
        }
        return Ok(());
    }
    // A range on any other type is a kernel table bug (WARN_ON + EINVAL).
    Err(errno_only(libc::EINVAL))
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

/// The attributes of an IFLA_LINKINFO nest that rtnl_newlink() looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkInfo<'a> {
    pub kind: Option<RawNla<'a>>,
    pub data: Option<RawNla<'a>>,
    pub slave_kind: Option<RawNla<'a>>,
    pub slave_data: Option<RawNla<'a>>,
}

impl LinkInfo<'_> {
    /// IFLA_INFO_KIND as nla_strscpy() copies it: up to the first NUL.
    pub fn kind_str(&self) -> Option<&[u8]> {
        self.kind.map(|k| nla_str(k.value))
    }
}

/// A string attribute's bytes up to (not including) the first NUL.
pub fn nla_str(value: &[u8]) -> &[u8] {
    match value.iter().position(|&b| b == 0) {
        Some(n) => &value[..n],
        None => value,
    }
}

/// Parses IFLA_LINKINFO like rtnl_newlink(): liberal validation against
/// ifla_info_policy, last attribute of each type wins. The kernel passes a
/// NULL extack to this nla_parse_nested_deprecated(), so an error carries
/// only its errno (no message, offset or policy).
pub fn parse_linkinfo<'a>(
    msg: &'a [u8],
    linkinfo: &RawNla<'a>,
) -> Result<LinkInfo<'a>, PolicyError> {
    validate_nested(
        msg,
        linkinfo,
        &tables::IFLA_INFO_POLICY,
        ValidateMode::Liberal,
    )
    .map_err(|e| errno_only(e.errno))?;
    let mut li = LinkInfo::default();
    for a in NlaIter::nested(msg, linkinfo) {
        match a.kind {
            tables::IFLA_INFO_KIND => li.kind = Some(a),
            tables::IFLA_INFO_DATA => li.data = Some(a),
            tables::IFLA_INFO_SLAVE_KIND => li.slave_kind = Some(a),
            tables::IFLA_INFO_SLAVE_DATA => li.slave_data = Some(a),
            _ => {}
        }
    }
    Ok(li)
}

#[cfg(test)]
mod tests;
