//! Stable-privacy interface identifiers (RFC 7217): `ipv6_generate_stable_address`
//! (net/ipv6/addrconf.c), one raw SHA-1 block transform (`sha1_transform`,
//! lib/crypto/sha1.c: no padding, no length) over the secret, the /64 prefix, the
//! permanent hardware address and the DAD attempt count.

use crate::device::DevId;
use crate::kernel::Kernel;
use std::net::Ipv6Addr;

/// `net.ipv6.idgen_retries` (default 3; not settable in nlsim).
const IDGEN_RETRIES: u8 = 3;
/// `MAX_ADDR_LEN`.
const MAX_ADDR_LEN: usize = 32;

/// `sha1_init`'s digest.
const SHA1_H0: [u32; 5] = [
    0x6745_2301,
    0xefcd_ab89,
    0x98ba_dcfe,
    0x1032_5476,
    0xc3d2_e1f0,
];

/// `sha1_transform`: one 64-byte block (big-endian words) folded into `digest`.
fn sha1_transform(digest: &mut [u32; 5], block: &[u8; 64]) {
    let mut w = [0u32; 80];
    for (i, c) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    for i in 16..80 {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *digest;
    for (i, wi) in w.iter().enumerate() {
        let (f, k) = match i {
            0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
            20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
            40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
            _ => (b ^ c ^ d, 0xca62_c1d6),
        };
        let t = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(*wi);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = t;
    }
    for (h, v) in digest.iter_mut().zip([a, b, c, d, e]) {
        *h = h.wrapping_add(v);
    }
}

/// `ipv6_reserved_interfaceid` (RFC 5453 and the subnet-router anycast identifier).
fn ipv6_reserved_interfaceid(a: &[u8; 16]) -> bool {
    let w2 = u32::from_be_bytes([a[8], a[9], a[10], a[11]]);
    let w3 = u32::from_be_bytes([a[12], a[13], a[14], a[15]]);
    (w2 | w3) == 0
        || (w2 == 0x0200_5eff && w3 & 0xfe00_0000 == 0xfe00_0000)
        || (w2 == 0xfdff_ffff && w3 & 0xffff_ff80 == 0xffff_ff80)
}

/// The identifier for `prefix` (its first 64 bits are used): the 64-byte block of
/// `ipv6_generate_stable_address` hashed with `sha1_transform`; the first two digest words
/// are stored in host (little-endian, x86) order. None when every retry is reserved.
pub fn stable_address(
    secret: &[u8; 16],
    prefix: &Ipv6Addr,
    perm_addr: &[u8],
    mut dad_count: u8,
) -> Option<Ipv6Addr> {
    loop {
        let mut block = [0u8; 64];
        block[..16].copy_from_slice(secret);
        block[16..24].copy_from_slice(&prefix.octets()[..8]);
        let n = perm_addr.len().min(MAX_ADDR_LEN);
        block[24..24 + n].copy_from_slice(&perm_addr[..n]);
        block[24 + MAX_ADDR_LEN] = dad_count;
        let mut digest = SHA1_H0;
        sha1_transform(&mut digest, &block);
        let mut a = prefix.octets();
        a[8..12].copy_from_slice(&digest[0].to_le_bytes());
        a[12..16].copy_from_slice(&digest[1].to_le_bytes());
        if !ipv6_reserved_interfaceid(&a) {
            return Some(Ipv6Addr::from(a));
        }
        dad_count = dad_count.wrapping_add(1);
        if dad_count > IDGEN_RETRIES {
            return None;
        }
    }
}

impl Kernel {
    /// `ipv6_generate_stable_address` for device `id`: the device's stable_secret, else the
    /// namespace default's; None without either.
    pub(crate) fn ipv6_generate_stable_address(
        &self,
        id: DevId,
        prefix: &Ipv6Addr,
        dad_count: u8,
    ) -> Option<Ipv6Addr> {
        let d = self.dev(id);
        let secret = d
            .conf
            .as_ref()
            .and_then(|c| c.stable_secret)
            .or(self.netconf(d.netns).v6_dflt_secret)?;
        stable_address(&secret, prefix, d.perm_addr.as_bytes(), dad_count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_transform_of_the_padded_abc_block_is_sha1_abc() {
        // "abc" padded by hand: its digest is the FIPS 180 example.
        let mut block = [0u8; 64];
        block[..3].copy_from_slice(b"abc");
        block[3] = 0x80;
        block[63] = 24;
        let mut d = SHA1_H0;
        sha1_transform(&mut d, &block);
        assert_eq!(
            d,
            [
                0xa999_3e36,
                0x4706_816a,
                0xba3e_2571,
                0x7850_c26c,
                0x9cd0_d89d
            ]
        );
    }

    #[test]
    fn reserved_identifiers() {
        let fe80 = Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0).octets();
        assert!(ipv6_reserved_interfaceid(&fe80));
        let a = Ipv6Addr::new(0xfe80, 0, 0, 0, 0xfdff, 0xffff, 0xffff, 0xff80).octets();
        assert!(ipv6_reserved_interfaceid(&a));
    }
}
