//! Writing netlink messages straight into an output buffer, as the kernel's `nlmsg_put` /
//! `nla_put*` / `nla_nest_start` fill an skb: no intermediate buffer per attribute or nest,
//! so a dump of many messages appends them all to one `Vec` without allocating per message.
//!
//! ```text
//! let mut m = MsgWriter::begin(&mut out, RTM_NEWROUTE, flags, seq, portid);
//! m.bytes(&rtmsg);                 // the family header
//! m.put_u32(RTA_TABLE, table);
//! let nest = m.nest_start(RTA_METRICS);
//! m.put_u32(RTAX_MTU, 1400);
//! m.nest_end(nest);
//! m.finish();                      // nlmsg_end: patches nlmsg_len
//! ```

use super::consts::{nla_align, NLA_HDRLEN, NLMSG_HDRLEN};
use std::net::IpAddr;

/// One message being written at the end of a buffer (`nlmsg_put` .. `nlmsg_end`).
pub struct MsgWriter<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
}

/// Where an open nest's header is (`nla_nest_start`'s return).
#[must_use = "a nest is closed with nest_end"]
pub struct Nest(usize);

impl<'a> MsgWriter<'a> {
    /// `nlmsg_put`: appends a `struct nlmsghdr` whose length `finish` fills in.
    pub fn begin(out: &'a mut Vec<u8>, kind: u16, flags: u16, seq: u32, portid: u32) -> Self {
        let start = out.len();
        out.extend_from_slice(&0u32.to_ne_bytes());
        out.extend_from_slice(&kind.to_ne_bytes());
        out.extend_from_slice(&flags.to_ne_bytes());
        out.extend_from_slice(&seq.to_ne_bytes());
        out.extend_from_slice(&portid.to_ne_bytes());
        debug_assert_eq!(out.len() - start, NLMSG_HDRLEN);
        MsgWriter { out, start }
    }

    /// Raw bytes (a family header, a `struct rtnexthop`), unpadded.
    pub fn bytes(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }

    /// `nla_put`: header, payload, zero padding to NLA_ALIGNTO.
    pub fn put(&mut self, kind: u16, payload: &[u8]) {
        let len = NLA_HDRLEN + payload.len();
        self.out.extend_from_slice(&(len as u16).to_ne_bytes());
        self.out.extend_from_slice(&kind.to_ne_bytes());
        self.out.extend_from_slice(payload);
        self.out.resize(self.out.len() + (nla_align(len) - len), 0);
    }

    pub fn put_u8(&mut self, kind: u16, v: u8) {
        self.put(kind, &[v]);
    }

    pub fn put_u16(&mut self, kind: u16, v: u16) {
        self.put(kind, &v.to_ne_bytes());
    }

    pub fn put_u32(&mut self, kind: u16, v: u32) {
        self.put(kind, &v.to_ne_bytes());
    }

    /// `nla_put_string`: the bytes and a NUL.
    pub fn put_str(&mut self, kind: u16, s: &str) {
        let len = NLA_HDRLEN + s.len() + 1;
        self.out.extend_from_slice(&(len as u16).to_ne_bytes());
        self.out.extend_from_slice(&kind.to_ne_bytes());
        self.out.extend_from_slice(s.as_bytes());
        self.out
            .resize(self.out.len() + 1 + (nla_align(len) - len), 0);
    }

    /// `nla_put_in_addr` / `nla_put_in6_addr`: 4 or 16 bytes in network order.
    pub fn put_ip(&mut self, kind: u16, a: &IpAddr) {
        match a {
            IpAddr::V4(a) => self.put(kind, &a.octets()),
            IpAddr::V6(a) => self.put(kind, &a.octets()),
        }
    }

    /// An address attribute when there is an address.
    pub fn put_ip_opt(&mut self, kind: u16, a: Option<&IpAddr>) {
        if let Some(a) = a {
            self.put_ip(kind, a);
        }
    }

    /// `nla_nest_start_noflag`: an attribute header whose length `nest_end` fills in.
    pub fn nest_start(&mut self, kind: u16) -> Nest {
        let at = self.out.len();
        self.out.extend_from_slice(&0u16.to_ne_bytes());
        self.out.extend_from_slice(&kind.to_ne_bytes());
        Nest(at)
    }

    /// `nla_nest_end`: the nest's length is everything written since its start.
    pub fn nest_end(&mut self, nest: Nest) {
        let len = (self.out.len() - nest.0) as u16;
        self.out[nest.0..nest.0 + 2].copy_from_slice(&len.to_ne_bytes());
    }

    /// `nla_nest_cancel`: drops an open nest and everything written in it.
    pub fn nest_cancel(&mut self, nest: Nest) {
        self.out.truncate(nest.0);
    }

    /// Opens a record whose leading u16 is its own length (`struct rtnexthop`'s `rtnh_len`):
    /// `len_end` fills it in.
    pub fn len_start(&mut self) -> Nest {
        Nest(self.out.len())
    }

    /// Writes the length of everything since `len_start` into its first two bytes.
    pub fn len_end(&mut self, rec: Nest) {
        self.nest_end(rec);
    }

    /// `nlmsg_end`: patches `nlmsg_len`; returns the message's length.
    pub fn finish(self) -> usize {
        let len = self.out.len() - self.start;
        self.out[self.start..self.start + 4].copy_from_slice(&(len as u32).to_ne_bytes());
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::raw::{put_attr, split_messages};

    #[test]
    fn message_with_nest_and_padding() {
        let mut out = vec![0xaa];
        let mut m = MsgWriter::begin(&mut out, 24, 2, 7, 9);
        m.bytes(&[1, 2, 3, 4]);
        m.put_u8(1, 5);
        let n = m.nest_start(8);
        m.put_str(2, "cubic");
        m.put_u32(3, 1400);
        m.nest_end(n);
        let n = m.nest_start(9);
        m.put_u16(1, 1);
        m.nest_cancel(n);
        assert_eq!(m.finish(), 16 + 4 + 8 + 4 + 12 + 8);

        let mut want = vec![0u8; 16];
        want.extend_from_slice(&[1, 2, 3, 4]);
        put_attr(&mut want, 1, &[5]);
        let mut nest = Vec::new();
        put_attr(&mut nest, 2, b"cubic\0");
        put_attr(&mut nest, 3, &1400u32.to_ne_bytes());
        put_attr(&mut want, 8, &nest);
        let len = want.len() as u32;
        want[0..4].copy_from_slice(&len.to_ne_bytes());
        want[4..6].copy_from_slice(&24u16.to_ne_bytes());
        want[6..8].copy_from_slice(&2u16.to_ne_bytes());
        want[8..12].copy_from_slice(&7u32.to_ne_bytes());
        want[12..16].copy_from_slice(&9u32.to_ne_bytes());
        assert_eq!(&out[1..], &want[..]);
        assert_eq!(split_messages(&out[1..]).count(), 1);
    }
}
