//! lib/nlattr.c: `__nla_validate_parse()` validates an attribute stream against a policy
//! table ([`super::policy`]) and fills `tb[]` ([`Attrs`]) in the same walk, so a request is
//! parsed once: [`parse`] is `__nlmsg_parse()`, [`parse_nest`] / [`Attrs::parse_nested`]
//! are `nla_parse_nested*()`. Integers are read in host byte order (little-endian 64-bit).

use super::attrs::Attrs;
use super::consts::*;
use super::extack::ExtAck;
use super::policy::{AttrPolicy, NlaType, Policy, Validation};
use super::raw::{attrs_start, NlHeader, NlaIter, RawNla};

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

/// `__nlmsg_parse()`: first "Invalid header length" if `nlmsg_len` cannot hold the family
/// header, then every attribute after NLMSG_ALIGN(fixed_hdr_len), validated against `policy`
/// and stored in the returned `tb[]` (maxtype: the policy's).
pub fn parse<'a>(
    msg: &'a [u8],
    fixed_hdr_len: usize,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<(Attrs<'a>, Validated), PolicyError> {
    let end = message_end(msg, fixed_hdr_len)?;
    parse_range(msg, attrs_start(fixed_hdr_len), end, policy, mode)
}

/// `__nlmsg_parse()` with a NULL policy (`nlmsg_parse_deprecated(nlh, hdrlen, tb, max, NULL,
/// extack)`, as `rtnl_fdb_add` calls it): nothing is validated, types above `max_type` are
/// skipped (or refused, in a strict `mode`) and the rest stored.
pub fn parse_without_policy<'a>(
    msg: &'a [u8],
    fixed_hdr_len: usize,
    max_type: u16,
    mode: ValidateMode,
) -> Result<(Attrs<'a>, Validated), PolicyError> {
    let end = message_end(msg, fixed_hdr_len)?;
    let mut ctx = Ctx { warning: None };
    let mut tb = Attrs::empty(msg, max_type);
    let stream = Stream {
        start: attrs_start(fixed_hdr_len),
        end,
        max_type,
        policy: None,
    };
    parse_stream(msg, stream, mode.flags(), 0, &mut ctx, Some(&mut tb))?;
    Ok((
        tb,
        Validated {
            warning: ctx.warning,
        },
    ))
}

/// Where the attributes of a message end, after `__nlmsg_parse()`'s header length check.
fn message_end(msg: &[u8], fixed_hdr_len: usize) -> Result<usize, PolicyError> {
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
    Ok(len)
}

/// `nla_parse_nested*()` of `nla`: how IFLA_LINKINFO is read against `ifla_info_policy` and
/// IFLA_INFO_DATA against the kind's `ops->policy`.
pub fn parse_nest<'a>(
    msg: &'a [u8],
    nla: &RawNla<'_>,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<(Attrs<'a>, Validated), PolicyError> {
    let start = nla.value_offset();
    parse_range(msg, start, start + nla.value.len(), policy, mode)
}

/// `__nla_validate_parse()` of the attribute stream in `msg[start..end]`; reported offsets
/// are relative to `msg`, which starts at the request's nlmsghdr.
pub fn parse_range<'a>(
    msg: &'a [u8],
    start: usize,
    end: usize,
    policy: &'static Policy,
    mode: ValidateMode,
) -> Result<(Attrs<'a>, Validated), PolicyError> {
    let mut ctx = Ctx { warning: None };
    let mut tb = Attrs::empty(msg, policy.max_type());
    let stream = Stream {
        start,
        end,
        max_type: policy.max_type(),
        policy: Some(policy),
    };
    parse_stream(msg, stream, mode.flags(), 0, &mut ctx, Some(&mut tb))?;
    Ok((
        tb,
        Validated {
            warning: ctx.warning,
        },
    ))
}

impl<'a> Attrs<'a> {
    /// `nla_parse_nested*(tb[t], policy)`: the nest in slot `t` validated and parsed into a
    /// table of its own; `None` without the attribute.
    pub fn parse_nested(
        &self,
        t: u16,
        policy: &'static Policy,
        mode: ValidateMode,
    ) -> Result<Option<(Attrs<'a>, Validated)>, PolicyError> {
        self.get(t)
            .map(|nla| parse_nest(self.msg(), &nla, policy, mode))
            .transpose()
    }
}

/// One attribute stream to parse: `msg[start..end]` against `policy` (none: NULL).
struct Stream {
    start: usize,
    end: usize,
    max_type: u16,
    policy: Option<&'static Policy>,
}

impl Stream {
    fn nested(msg_start: usize, len: usize, policy: &'static Policy) -> Self {
        Stream {
            start: msg_start,
            end: msg_start + len,
            max_type: policy.max_type(),
            policy: Some(policy),
        }
    }
}

/// __nla_validate_parse(): `tb`, when given, gets each attribute once it is validated.
fn parse_stream<'a>(
    msg: &'a [u8],
    stream: Stream,
    flags: u8,
    depth: u32,
    ctx: &mut Ctx,
    mut tb: Option<&mut Attrs<'a>>,
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
    let max_type = stream.max_type;
    let mut it = NlaIter::new(msg, stream.start, stream.end);
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
        if let Some(policy) = stream.policy {
            validate_nla(msg, &nla, policy, flags, depth, ctx)?;
        }
        if let Some(tb) = tb.as_deref_mut() {
            tb.store(nla);
        }
    }
    if let Some(tb) = tb {
        tb.set_leftover(it.leftover());
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
                        parse_stream(
                            msg,
                            Stream::nested(start, attrlen, inner),
                            flags,
                            depth + 1,
                            ctx,
                            None,
                        )?;
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
        let inner = Stream::nested(s, entry.value.len(), policy);
        parse_stream(msg, inner, flags, depth + 1, ctx, None)?;
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

#[cfg(test)]
mod tests;
