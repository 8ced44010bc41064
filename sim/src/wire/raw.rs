//! Byte-level views of netlink messages and attributes.
//!
//! Nothing here validates beyond what reading needs, and nothing panics on
//! client bytes: every length comes from the client and is checked before it
//! is used to slice. Offsets are kept because NLMSGERR_ATTR_OFFS and
//! NLMSGERR_ATTR_MISS_NEST report positions inside the original request, which
//! the typed netlink-packet-route parse throws away.

use super::consts::{
    nla_align, nlmsg_align, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK,
    NLMSG_HDRLEN,
};

/// `struct nlmsghdr`, host (little-endian) byte order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlHeader {
    pub len: u32,
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
}

impl NlHeader {
    pub const LEN: usize = NLMSG_HDRLEN;

    /// Reads the first 16 bytes of `buf`; `None` if there are fewer.
    pub fn parse(buf: &[u8]) -> Option<Self> {
        let b = buf.get(..Self::LEN)?;
        Some(NlHeader {
            len: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            kind: u16::from_ne_bytes([b[4], b[5]]),
            flags: u16::from_ne_bytes([b[6], b[7]]),
            seq: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
            pid: u32::from_ne_bytes([b[12], b[13], b[14], b[15]]),
        })
    }

    pub fn to_bytes(&self) -> [u8; NLMSG_HDRLEN] {
        let mut out = [0u8; NLMSG_HDRLEN];
        out[0..4].copy_from_slice(&self.len.to_ne_bytes());
        out[4..6].copy_from_slice(&self.kind.to_ne_bytes());
        out[6..8].copy_from_slice(&self.flags.to_ne_bytes());
        out[8..12].copy_from_slice(&self.seq.to_ne_bytes());
        out[12..16].copy_from_slice(&self.pid.to_ne_bytes());
        out
    }
}

/// One message of a request datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawMessage<'a> {
    pub header: NlHeader,
    /// Exactly `header.len` bytes, the header included (no trailing pad).
    pub bytes: &'a [u8],
}

impl<'a> RawMessage<'a> {
    /// The first message of `buf`, if it passes the netlink_rcv_skb() checks.
    pub fn parse(buf: &'a [u8]) -> Option<Self> {
        let header = NlHeader::parse(buf)?;
        let len = header.len as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            return None;
        }
        Some(RawMessage {
            header,
            bytes: &buf[..len],
        })
    }

    /// Everything after the 16-byte header (nlmsg_data .. nlmsg_len).
    pub fn payload(&self) -> &'a [u8] {
        self.bytes.get(NLMSG_HDRLEN..).unwrap_or(&[])
    }

    /// The top-level attributes after a family header of `fixed_hdr_len`
    /// bytes (e.g. 16 for `struct ifinfomsg`).
    pub fn attrs(&self, fixed_hdr_len: usize) -> NlaIter<'a> {
        attrs(self.bytes, fixed_hdr_len)
    }
}

/// Splits a request datagram the way netlink_rcv_skb() walks an skb:
/// stop as soon as fewer than 16 bytes remain, or `nlmsg_len < 16`, or
/// `nlmsg_len` is larger than what remains; otherwise advance by
/// NLMSG_ALIGN(nlmsg_len), clamped to the end of the buffer.
///
/// A stop is silent: the kernel sends nothing for the bytes it gave up on,
/// which is why iproute2's RTM_GETADDR dump (a 24-byte message sent with a
/// 152-byte buffer, zeroes after it) gets exactly one answer.
pub fn split_messages(buf: &[u8]) -> Messages<'_> {
    Messages { buf, pos: 0 }
}

/// Iterator returned by [`split_messages`].
#[derive(Clone, Debug)]
pub struct Messages<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Messages<'a> {
    /// Bytes not yet consumed (after a stop: the bytes the kernel ignored).
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = RawMessage<'a>;

    fn next(&mut self) -> Option<RawMessage<'a>> {
        let rest = self.rest();
        let msg = RawMessage::parse(rest)?;
        // netlink_rcv_skb: msglen = NLMSG_ALIGN(nlmsg_len), capped at skb->len.
        let advance = nlmsg_align(msg.bytes.len()).min(rest.len());
        self.pos += advance;
        Some(msg)
    }
}

/// One attribute, as nla_for_each_attr() sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawNla<'a> {
    /// `nla_type & NLA_TYPE_MASK` (nla_type()).
    pub kind: u16,
    pub nested_flag: bool,
    pub byteorder_flag: bool,
    /// Offset of the `struct nlattr` from the start of the message.
    pub offset: usize,
    /// `nla_len - 4` bytes of payload (padding excluded).
    pub value: &'a [u8],
}

impl RawNla<'_> {
    /// The `nla_len` field as sent.
    pub fn nla_len(&self) -> usize {
        self.value.len() + NLA_HDRLEN
    }

    /// Offset of the payload from the start of the message.
    pub fn value_offset(&self) -> usize {
        self.offset + NLA_HDRLEN
    }
}

/// Walks attributes in `msg[start..end]` with the nla_ok()/nla_next()
/// rules: an attribute is taken while at least 4 bytes remain, its nla_len
/// is at least 4 and not larger than what remains; the cursor then moves by
/// NLA_ALIGN(nla_len), so an unpadded last attribute drives the remainder
/// negative, which the kernel treats as "nothing left over".
#[derive(Clone, Debug)]
pub struct NlaIter<'a> {
    msg: &'a [u8],
    pos: usize,
    rem: isize,
}

impl<'a> NlaIter<'a> {
    /// Attributes in `msg[start..end]`; out-of-range bounds yield nothing.
    pub fn new(msg: &'a [u8], start: usize, end: usize) -> Self {
        let end = end.min(msg.len());
        let rem = if start <= end {
            (end - start) as isize
        } else {
            0
        };
        NlaIter {
            msg,
            pos: start,
            rem,
        }
    }

    /// The attributes nested in `nla` (nla_for_each_nested()).
    pub fn nested(msg: &'a [u8], nla: &RawNla<'_>) -> Self {
        let start = nla.value_offset();
        Self::new(msg, start, start + nla.value.len())
    }

    /// Bytes the walk could not consume: the `rem > 0` that
    /// __nla_validate_parse() reports as "bytes leftover after parsing
    /// attributes". Meaningful once the iterator returned `None`.
    pub fn leftover(&self) -> usize {
        self.rem.max(0) as usize
    }
}

impl<'a> Iterator for NlaIter<'a> {
    type Item = RawNla<'a>;

    fn next(&mut self) -> Option<RawNla<'a>> {
        if self.rem < NLA_HDRLEN as isize {
            return None;
        }
        let hdr = self.msg.get(self.pos..self.pos + NLA_HDRLEN)?;
        let nla_len = u16::from_ne_bytes([hdr[0], hdr[1]]) as usize;
        let raw_type = u16::from_ne_bytes([hdr[2], hdr[3]]);
        if nla_len < NLA_HDRLEN || nla_len as isize > self.rem {
            return None;
        }
        let value = self.msg.get(self.pos + NLA_HDRLEN..self.pos + nla_len)?;
        let nla = RawNla {
            kind: raw_type & NLA_TYPE_MASK,
            nested_flag: raw_type & NLA_F_NESTED != 0,
            byteorder_flag: raw_type & NLA_F_NET_BYTEORDER != 0,
            offset: self.pos,
            value,
        };
        let step = nla_align(nla_len);
        self.pos += step;
        self.rem -= step as isize;
        Some(nla)
    }
}

/// End of the message proper: `nlmsg_len` if the header is readable and
/// inside `msg`, else `msg.len()`.
fn msg_end(msg: &[u8]) -> usize {
    match NlHeader::parse(msg) {
        Some(h) => (h.len as usize).min(msg.len()),
        None => msg.len(),
    }
}

/// Start of the attributes after a family header (nlmsg_attrdata()):
/// NLMSG_HDRLEN + NLMSG_ALIGN(fixed_hdr_len).
pub fn attrs_start(fixed_hdr_len: usize) -> usize {
    NLMSG_HDRLEN + nlmsg_align(fixed_hdr_len)
}

/// Top-level attributes of `msg` after a family header of `fixed_hdr_len`.
pub fn attrs(msg: &[u8], fixed_hdr_len: usize) -> NlaIter<'_> {
    NlaIter::new(msg, attrs_start(fixed_hdr_len), msg_end(msg))
}

/// Follows `path` through nests and returns the attribute at its end.
///
/// At every level the *last* attribute of the wanted type is taken, because
/// that is the one __nla_validate_parse() leaves in `tb[type]` and that a
/// handler then passes to NL_SET_ERR_MSG_ATTR(). The NLA_F_NESTED bit is not
/// required (liberal parsing does not require it either).
pub fn find_attr<'a>(msg: &'a [u8], fixed_hdr_len: usize, path: &[u16]) -> Option<RawNla<'a>> {
    let (first, rest) = path.split_first()?;
    let mut cur = attrs(msg, fixed_hdr_len)
        .filter(|a| a.kind == *first)
        .last()?;
    for kind in rest {
        cur = NlaIter::nested(msg, &cur)
            .filter(|a| a.kind == *kind)
            .last()?;
    }
    Some(cur)
}

/// Offset (from the start of the message) of the attribute `path` leads to;
/// the value for [`crate::wire::ack::ExtAck::bad_attr_offset`].
pub fn find_attr_offset(msg: &[u8], fixed_hdr_len: usize, path: &[u16]) -> Option<usize> {
    find_attr(msg, fixed_hdr_len, path).map(|a| a.offset)
}

/// `nla_put`: appends one attribute (header, payload, padding to NLA_ALIGNTO) to raw bytes,
/// for the messages netlink-packet-route has no types for.
pub fn put_attr(out: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    let len = NLA_HDRLEN + payload.len();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(payload);
    out.resize(out.len() + (nla_align(len) - len), 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::testutil::hex;
    use crate::wire::testvectors::*;

    #[test]
    fn split_stops_at_zeroed_header() {
        let buf = hex(IP_GETADDR_DUMP_BUF);
        assert_eq!(buf.len(), 152);
        let mut it = split_messages(&buf);
        let m = it.next().expect("first message");
        assert_eq!(m.header.len, 24);
        assert_eq!(m.header.kind, 22);
        assert_eq!(m.header.flags, 0x301);
        assert_eq!(m.bytes.len(), 24);
        assert!(it.next().is_none());
        assert_eq!(it.rest().len(), 128);
    }

    #[test]
    fn split_garbage_and_short_buffers() {
        assert!(split_messages(&[]).next().is_none());
        assert!(split_messages(&[0xff; 15]).next().is_none());
        // nlmsg_len larger than the buffer.
        assert!(split_messages(&[0xff; 64]).next().is_none());
        // nlmsg_len < 16.
        let mut b = vec![0u8; 32];
        b[0] = 15;
        assert!(split_messages(&b).next().is_none());
    }

    #[test]
    fn split_two_messages_and_unaligned_tail() {
        let buf = hex(TWO_MSGS_REQ);
        let v: Vec<_> = split_messages(&buf).collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].bytes, &buf[..32]);
        assert_eq!(v[1].header.seq, 17);

        // A 39-byte message that ends the buffer: its padding is missing,
        // the advance is clamped, no panic, no second message.
        let m = hex(UNALIGNED_ECHO_REQ);
        let v: Vec<_> = split_messages(&m).collect();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].bytes.len(), 39);
    }

    #[test]
    fn walk_attrs_and_find_offsets() {
        let msg = hex(IP_LONGNAME_REQ);
        let v: Vec<_> = attrs(&msg, 16).collect();
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].kind, v[0].offset, v[0].value.len()), (3, 32, 17));
        assert_eq!((v[1].kind, v[1].offset), (18, 56));
        assert_eq!(find_attr_offset(&msg, 16, &[18, 1]), Some(60));
        assert_eq!(
            find_attr(&msg, 16, &[18, 1]).map(|a| a.value),
            Some(&b"bridge"[..])
        );
        assert_eq!(find_attr_offset(&msg, 16, &[18, 2]), None);
        assert_eq!(find_attr_offset(&msg, 16, &[]), None);
    }

    #[test]
    fn walk_reports_leftover_and_survives_garbage() {
        // IFLA_TXQLEN then two stray bytes (nlmsg_len 42).
        let msg = hex(SETLINK_LEFTOVER_REQ);
        let mut it = attrs(&msg, 16);
        assert_eq!(it.next().map(|a| a.kind), Some(13));
        assert!(it.next().is_none());
        assert_eq!(it.leftover(), 2);

        // An nla_len beyond the end stops the walk with everything left over.
        let bad = [0x20, 0x00, 0x01, 0x00, 0xaa, 0xbb, 0xcc, 0xdd];
        let mut it = NlaIter::new(&bad, 0, bad.len());
        assert!(it.next().is_none());
        assert_eq!(it.leftover(), 8);
        // Bounds outside the buffer are harmless.
        assert!(NlaIter::new(&bad, 100, 4).next().is_none());
        assert!(NlaIter::new(&bad, 6, 100).next().is_none());
    }
}
