//! Hardware addresses and the seeded generator behind `eth_hw_addr_random`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest `dev->addr_len` the model keeps: 16, an IPv6 address (ip6gre's `link/gre6`).
/// The kernel's `MAX_ADDR_LEN` is 32 (InfiniBand needs 20), for kinds nlsim does not have.
pub const HWADDR_MAX: usize = 16;

/// A link-layer address of `len` bytes (`dev->addr_len`): 6 for Ethernet, 0 for nlmon, 4 for
/// gre (the local IPv4 address), 16 for ip6gre. Serialized as `"aa:bb:cc:dd:ee:ff"` so state
/// files read like `ip link`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct HwAddr {
    len: u8,
    bytes: [u8; HWADDR_MAX],
}

impl HwAddr {
    pub const ZERO_ETH: HwAddr = HwAddr {
        len: 6,
        bytes: [0; HWADDR_MAX],
    };
    pub const BROADCAST_ETH: HwAddr = HwAddr {
        len: 6,
        bytes: [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    };
    pub const NONE: HwAddr = HwAddr {
        len: 0,
        bytes: [0; HWADDR_MAX],
    };

    /// [`HwAddr::eth`] usable in constants.
    pub const fn eth_const(b: [u8; 6]) -> Self {
        let mut bytes = [0; HWADDR_MAX];
        let mut i = 0;
        while i < 6 {
            bytes[i] = b[i];
            i += 1;
        }
        HwAddr { len: 6, bytes }
    }
    pub fn eth(b: [u8; 6]) -> Self {
        Self::eth_const(b)
    }
    /// Copies `raw` if it fits the model (at most [`HWADDR_MAX`] bytes).
    pub fn from_slice(raw: &[u8]) -> Option<Self> {
        if raw.len() > HWADDR_MAX {
            return None;
        }
        let mut bytes = [0; HWADDR_MAX];
        bytes[..raw.len()].copy_from_slice(raw);
        Some(HwAddr {
            len: raw.len() as u8,
            bytes,
        })
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
    pub fn len(&self) -> usize {
        self.len as usize
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// `is_zero_ether_addr`.
    pub fn is_zero(&self) -> bool {
        self.as_bytes().iter().all(|b| *b == 0)
    }
    /// `is_multicast_ether_addr`: the group bit of the first octet.
    pub fn is_multicast(&self) -> bool {
        self.len > 0 && self.bytes[0] & 1 == 1
    }
    /// `is_valid_ether_addr`: not multicast, not all-zero.
    pub fn is_valid_ether(&self) -> bool {
        self.len == 6 && !self.is_multicast() && !self.is_zero()
    }
}

impl Serialize for HwAddr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HwAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for HwAddr {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(HwAddr::NONE);
        }
        let bytes = text
            .split(':')
            .map(|p| u8::from_str_radix(p, 16).map_err(|e| format!("bad address {text:?}: {e}")))
            .collect::<Result<Vec<u8>, String>>()?;
        HwAddr::from_slice(&bytes)
            .ok_or_else(|| format!("address {text:?} is longer than {HWADDR_MAX} bytes"))
    }
}

impl fmt::Debug for HwAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for HwAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.as_bytes().iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// The randomness the kernel draws (`get_random_bytes`), replaced by a seeded SplitMix64 so that
/// the same seed and requests always give the same MACs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng { state: seed }
    }
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// `eth_random_addr`: random bytes, multicast bit cleared, locally-administered bit set.
    pub fn eth_random_addr(&mut self) -> HwAddr {
        let r = self.next_u64().to_le_bytes();
        let mut b = [r[0], r[1], r[2], r[3], r[4], r[5]];
        b[0] &= 0xfe;
        b[0] |= 0x02;
        HwAddr::eth(b)
    }
    /// A value in `[lo, hi]`, for places where the kernel draws a random number in a range.
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }
}
