//! Mutations of one request datagram: bit flips, interesting bytes and lengths, nla_len edits,
//! attribute splices and deletions, nlmsg_len edits, truncation, message duplication and
//! concatenation. They work on bytes only and never need the input to be well formed.

use crate::rng::Rng;
use nlsim::wire::raw::NlaIter;

/// Values that sit on the kernel's length checks (nla_ok, NLA_HDRLEN, NLMSG_HDRLEN, u16 max).
const INTERESTING_U16: [u16; 12] = [0, 1, 2, 3, 4, 5, 8, 15, 16, 0x7fff, 0x8000, 0xffff];
const INTERESTING_U32: [u32; 10] = [
    0,
    1,
    4,
    15,
    16,
    17,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
];
const INTERESTING_U8: [u8; 7] = [0, 1, 7, 0x7f, 0x80, 0xfe, 0xff];
/// Family header length per message type, where the first attribute starts after nlmsghdr.
fn family_hdr_len(kind: u16) -> usize {
    match kind {
        88..=91 => 4,   // rtgenmsg (nsid)
        28..=31 => 12,  // ndmsg
        92..=95 => 12,  // if_stats_msg
        112..=115 => 8, // br_vlan_msg
        _ => 16,        // ifinfomsg
    }
}

/// (offset, nla_len) of every attribute reachable in the first message, nests included (a value
/// that walks as attributes to its end is taken for a nest).
fn attr_positions(buf: &[u8]) -> Vec<(usize, usize)> {
    let Some(h) = nlsim::wire::raw::NlHeader::parse(buf) else {
        return Vec::new();
    };
    let end = (h.len as usize).min(buf.len());
    let mut out = Vec::new();
    let mut todo = vec![(16 + family_hdr_len(h.kind), end, 0u8)];
    while let Some((start, stop, depth)) = todo.pop() {
        let mut it = NlaIter::new(buf, start, stop);
        for a in it.by_ref() {
            out.push((a.offset, a.nla_len()));
            let vstart = a.value_offset();
            let vend = vstart + a.value.len();
            if depth < 4 && a.value.len() >= 4 {
                let mut inner = NlaIter::new(buf, vstart, vend);
                if inner.by_ref().count() > 0 && inner.leftover() == 0 {
                    todo.push((vstart, vend, depth + 1));
                }
            }
        }
    }
    out
}

fn put_u16(buf: &mut [u8], at: usize, v: u16) {
    if let Some(s) = buf.get_mut(at..at + 2) {
        s.copy_from_slice(&v.to_ne_bytes());
    }
}

fn put_u32(buf: &mut [u8], at: usize, v: u32) {
    if let Some(s) = buf.get_mut(at..at + 4) {
        s.copy_from_slice(&v.to_ne_bytes());
    }
}

/// nlmsg_len := the buffer's length (a mutation that keeps the framing valid goes deeper).
fn fix_nlmsg_len(buf: &mut [u8]) {
    let n = buf.len() as u32;
    put_u32(buf, 0, n);
}

/// Applies one to four stacked mutations to `buf`; `other` is another corpus entry for splices.
pub fn mutate(rng: &mut Rng, buf: &mut Vec<u8>, other: &[u8]) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        mutate_once(rng, buf, other);
    }
    if buf.len() > 1 << 16 {
        buf.truncate(1 << 16);
    }
}

fn mutate_once(rng: &mut Rng, buf: &mut Vec<u8>, other: &[u8]) {
    let len = buf.len();
    match rng.below(14) {
        0 if len > 0 => {
            let i = rng.below(len);
            buf[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            buf[i] = *rng.pick(&INTERESTING_U8).unwrap_or(&0);
        }
        2 if len >= 2 => {
            let i = rng.below(len - 1);
            put_u16(buf, i, *rng.pick(&INTERESTING_U16).unwrap_or(&0));
        }
        3 if len >= 4 => {
            let i = rng.below(len - 3);
            put_u32(buf, i, *rng.pick(&INTERESTING_U32).unwrap_or(&0));
        }
        4 => {
            // nla_len edit: interesting, or off by a few.
            let attrs = attr_positions(buf);
            if let Some(&(off, l)) = rng.pick(&attrs) {
                let v = if rng.chance(2) {
                    *rng.pick(&INTERESTING_U16).unwrap_or(&0)
                } else {
                    (l as u16).wrapping_add(rng.below(9) as u16).wrapping_sub(4)
                };
                put_u16(buf, off, v);
            }
        }
        5 => {
            // Attribute splice: an attribute of `other` inserted at an attribute boundary.
            let theirs = attr_positions(other);
            let ours = attr_positions(buf);
            if let (Some(&(o, l)), Some(&(at, _))) = (rng.pick(&theirs), rng.pick(&ours)) {
                let piece = other
                    .get(o..(o + ((l + 3) & !3)).min(other.len()))
                    .unwrap_or(&[])
                    .to_vec();
                let at = at.min(buf.len());
                buf.splice(at..at, piece);
                fix_nlmsg_len(buf);
            }
        }
        6 => {
            // Attribute deletion.
            let ours = attr_positions(buf);
            if let Some(&(at, l)) = rng.pick(&ours) {
                let end = (at + ((l + 3) & !3)).min(buf.len());
                buf.drain(at..end);
                fix_nlmsg_len(buf);
            }
        }
        7 => {
            // Truncation, framing kept or not.
            let n = rng.below(len + 1);
            buf.truncate(n);
            if rng.chance(2) {
                fix_nlmsg_len(buf);
            }
        }
        8 => {
            // Message duplication (a datagram of two copies).
            let mut pad = buf.clone();
            pad.resize((pad.len() + 3) & !3, 0);
            let copy = buf.clone();
            *buf = pad;
            buf.extend_from_slice(&copy);
        }
        9 => {
            // Concatenation with another request.
            buf.resize((buf.len() + 3) & !3, 0);
            buf.extend_from_slice(other);
        }
        10 if len >= 4 => {
            let v = match rng.below(3) {
                0 => *rng.pick(&INTERESTING_U32).unwrap_or(&0),
                1 => (len as u32)
                    .wrapping_add(rng.below(9) as u32)
                    .wrapping_sub(4),
                _ => rng.below(len + 1) as u32,
            };
            put_u32(buf, 0, v);
        }
        11 => {
            // Chunk insertion or deletion.
            let at = rng.below(len + 1);
            if rng.chance(2) {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
                buf.splice(at..at, bytes);
            } else {
                let end = (at + 1 + rng.below(8)).min(len);
                buf.drain(at..end);
            }
            if rng.chance(2) {
                fix_nlmsg_len(buf);
            }
        }
        12 if len >= 8 => {
            // Message type (an rtnetlink one, or anything) and flags.
            if rng.chance(2) {
                let t = if rng.chance(4) {
                    rng.next_u64() as u16
                } else {
                    16 + rng.below(108) as u16
                };
                put_u16(buf, 4, t);
            } else {
                let f = rng.next_u64() as u16 & 0x0f3f | 1;
                put_u16(buf, 6, f);
            }
        }
        13 if len >= 32 => {
            // The family header: family byte, ifindex.
            if rng.chance(2) {
                buf[16] = *rng.pick(&[0u8, 2, 7, 10, 0xff]).unwrap_or(&0);
            } else {
                put_u32(buf, 20, rng.below(12) as u32);
            }
        }
        _ => {
            if len > 0 {
                let i = rng.below(len);
                buf[i] = rng.next_u64() as u8;
            }
        }
    }
}
