//! A parsed attribute stream as the kernel's handlers read it: `__nla_validate_parse` writes
//! each attribute into `tb[nla_type(nla)]`, so the LAST occurrence of a type wins and types
//! above the table's maximum are skipped. [`Attrs`] is that table over the request bytes
//! (each slot keeps its [`RawNla`], whose offset is the one extack reports), plus the stream
//! in request order for the rare reader that cares (bond options are applied in order).
//!
//! [`super::nlattr::parse`] fills it while it validates (one walk); the getters only guard
//! against lengths the policy let through (they read the leading bytes, as
//! `nla_get_u32` does, and answer `None` when there are too few).

use super::raw::{attrs_start, NlaIter, RawNla};
use std::net::{Ipv4Addr, Ipv6Addr};

/// `tb[]` for one attribute stream.
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    msg: &'a [u8],
    slots: Vec<Option<RawNla<'a>>>,
    in_order: Vec<RawNla<'a>>,
    leftover: usize,
}

/// A value the kernel reads but nlsim cannot represent (e.g. a name that is not UTF-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The attribute's offset in the message.
    pub offset: usize,
}

impl<'a> Attrs<'a> {
    /// An empty table over `msg` with slots up to `max_type` (the validator fills it).
    pub(crate) fn empty(msg: &'a [u8], max_type: u16) -> Self {
        Attrs {
            msg,
            slots: vec![None; usize::from(max_type) + 1],
            in_order: Vec::new(),
            leftover: 0,
        }
    }

    /// `tb[nla_type(nla)] = nla` (type 0 and types above the maximum are not stored).
    pub(crate) fn store(&mut self, nla: RawNla<'a>) {
        if nla.kind == 0 {
            return;
        }
        if let Some(slot) = self.slots.get_mut(usize::from(nla.kind)) {
            *slot = Some(nla);
            self.in_order.push(nla);
        }
    }

    pub(crate) fn set_leftover(&mut self, leftover: usize) {
        self.leftover = leftover;
    }

    /// The attributes in `msg[start..end]`, walked with the nla_ok() rules of a liberal parse
    /// (the walk stops at the first broken attribute), types above `max_type` skipped.
    pub fn parse(msg: &'a [u8], start: usize, end: usize, max_type: u16) -> Self {
        let mut it = NlaIter::new(msg, start, end);
        let mut tb = Self::empty(msg, max_type);
        for nla in it.by_ref() {
            tb.store(nla);
        }
        tb.set_leftover(it.leftover());
        tb
    }

    /// The top-level attributes of a message after its family header (`nlmsg_parse`).
    pub fn of_message(msg: &'a [u8], fixed_hdr_len: usize, max_type: u16) -> Self {
        let end =
            super::raw::NlHeader::parse(msg).map_or(msg.len(), |h| (h.len as usize).min(msg.len()));
        Self::parse(msg, attrs_start(fixed_hdr_len), end, max_type)
    }

    /// The attributes nested in `nla` (`nla_parse_nested`).
    pub fn of_nest(msg: &'a [u8], nla: &RawNla<'_>, max_type: u16) -> Self {
        let start = nla.value_offset();
        Self::parse(msg, start, start + nla.value.len(), max_type)
    }

    /// The nest in slot `t`, parsed as a table of its own.
    pub fn nested(&self, t: u16, max_type: u16) -> Option<Attrs<'a>> {
        self.get(t).map(|n| Self::of_nest(self.msg, &n, max_type))
    }

    /// The whole message the offsets are relative to.
    pub fn msg(&self) -> &'a [u8] {
        self.msg
    }

    /// `tb[t]`.
    pub fn get(&self, t: u16) -> Option<RawNla<'a>> {
        self.slots.get(usize::from(t)).copied().flatten()
    }

    /// The first attribute of type `t` (`nla_find` / `nlmsg_find_attr`, which some handlers
    /// use instead of `tb[t]`).
    pub fn first(&self, t: u16) -> Option<RawNla<'a>> {
        self.in_order.iter().find(|a| a.kind == t).copied()
    }

    pub fn has(&self, t: u16) -> bool {
        self.get(t).is_some()
    }

    /// No attribute was stored.
    pub fn is_empty(&self) -> bool {
        self.in_order.is_empty()
    }

    /// The stored attributes in type order, one per type, as a handler's
    /// `for (i = 0; i <= max; i++) if (tb[i])` loop visits them.
    pub fn by_type(&self) -> impl Iterator<Item = RawNla<'a>> + '_ {
        self.slots.iter().filter_map(|s| *s)
    }

    /// Every stored attribute in request order (repeats included).
    pub fn iter(&self) -> impl Iterator<Item = RawNla<'a>> + '_ {
        self.in_order.iter().copied()
    }

    /// Bytes the walk could not consume ("bytes leftover after parsing attributes").
    pub fn leftover(&self) -> usize {
        self.leftover
    }

    /// The attribute's bytes with its header, for a typed decoder of one attribute.
    pub fn nla_bytes(&self, nla: &RawNla<'_>) -> &'a [u8] {
        self.msg
            .get(nla.offset..nla.offset + nla.nla_len())
            .unwrap_or_default()
    }

    fn array<const N: usize>(&self, t: u16) -> Option<[u8; N]> {
        self.get(t)?.value.get(..N)?.try_into().ok()
    }

    pub fn bytes(&self, t: u16) -> Option<&'a [u8]> {
        self.get(t).map(|a| a.value)
    }
    pub fn flag(&self, t: u16) -> bool {
        self.has(t)
    }
    pub fn u8(&self, t: u16) -> Option<u8> {
        self.array::<1>(t).map(|[b]| b)
    }
    pub fn u16(&self, t: u16) -> Option<u16> {
        self.array(t).map(u16::from_ne_bytes)
    }
    pub fn u32(&self, t: u16) -> Option<u32> {
        self.array(t).map(u32::from_ne_bytes)
    }
    pub fn u64(&self, t: u16) -> Option<u64> {
        self.array(t).map(u64::from_ne_bytes)
    }
    pub fn s32(&self, t: u16) -> Option<i32> {
        self.array(t).map(i32::from_ne_bytes)
    }
    pub fn be16(&self, t: u16) -> Option<u16> {
        self.array(t).map(u16::from_be_bytes)
    }
    pub fn be32(&self, t: u16) -> Option<u32> {
        self.array(t).map(u32::from_be_bytes)
    }
    pub fn in_addr(&self, t: u16) -> Option<Ipv4Addr> {
        self.array::<4>(t).map(Ipv4Addr::from)
    }
    pub fn in6_addr(&self, t: u16) -> Option<Ipv6Addr> {
        self.array::<16>(t).map(Ipv6Addr::from)
    }

    /// `nla_strscpy`: the string up to its first NUL. A name nlsim cannot hold (not UTF-8)
    /// is a [`DecodeError`].
    pub fn str(&self, t: u16) -> Result<Option<String>, DecodeError> {
        let Some(a) = self.get(t) else {
            return Ok(None);
        };
        let end = a
            .value
            .iter()
            .position(|b| *b == 0)
            .unwrap_or(a.value.len());
        std::str::from_utf8(&a.value[..end])
            .map(|s| Some(s.to_string()))
            .map_err(|_| DecodeError { offset: a.offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nla(kind: u16, value: &[u8]) -> Vec<u8> {
        let mut v = ((value.len() + 4) as u16).to_ne_bytes().to_vec();
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(value);
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
        v
    }

    #[test]
    fn last_occurrence_wins_and_order_is_kept() {
        let mut b = nla(4, &1500u32.to_ne_bytes());
        b.extend(nla(3, b"eth0\0junk"));
        b.extend(nla(4, &9000u32.to_ne_bytes()));
        b.extend(nla(99, &[1]));
        let t = Attrs::parse(&b, 0, b.len(), 10);
        assert_eq!(t.u32(4), Some(9000));
        assert_eq!(t.get(4).map(|a| a.offset), Some(24));
        assert_eq!(t.str(3), Ok(Some("eth0".into())));
        assert_eq!(t.iter().map(|a| a.kind).collect::<Vec<_>>(), [4, 3, 4]);
        assert!(!t.has(99));
    }

    #[test]
    fn short_values_read_as_absent_and_broken_tail_is_leftover() {
        let mut b = nla(4, &[1, 2]);
        b.extend_from_slice(&[200, 0, 1, 0]);
        let t = Attrs::parse(&b, 0, b.len(), 10);
        assert_eq!(t.u32(4), None);
        assert_eq!(t.leftover(), 4);
    }

    #[test]
    fn nested_tables() {
        let inner = nla(1, b"veth\0");
        let b = nla(18, &inner);
        let t = Attrs::parse(&b, 0, b.len(), 20);
        let li = t.nested(18, 5).expect("nest");
        assert_eq!(li.str(1), Ok(Some("veth".into())));
        assert_eq!(li.get(1).map(|a| a.offset), Some(4));
    }
}
