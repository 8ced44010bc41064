//! The in-band error marker: how the simulator tells the supervisor that a socket's next
//! receive fails with an errno (`sk->sk_err`, set by `netlink_overrun` as ENOBUFS).
//!
//! A netlink datagram from the kernel always starts with a whole `struct nlmsghdr`
//! (16 bytes), so a 12-byte datagram cannot be one: the marker is [`MAGIC`] followed by the
//! errno as a native-endian `i32`. The simulator sends it only on connections created for a
//! supervisor (`Hello::Data { inband_errors: true }`); the supervisor turns it into the
//! failed receive and never copies it to the target.

/// The first 8 bytes of a marker.
pub const MAGIC: [u8; 8] = *b"\0nlsimE\0";
/// A marker's length: shorter than `struct nlmsghdr`.
pub const LEN: usize = 12;

/// The marker carrying `errno` (positive).
pub fn encode(errno: i32) -> [u8; LEN] {
    let mut m = [0u8; LEN];
    m[..8].copy_from_slice(&MAGIC);
    m[8..].copy_from_slice(&errno.to_ne_bytes());
    m
}

/// The errno a datagram carries, if it is a marker.
pub fn decode(datagram: &[u8]) -> Option<i32> {
    if datagram.len() != LEN || datagram[..8] != MAGIC {
        return None;
    }
    let mut e = [0u8; 4];
    e.copy_from_slice(&datagram[8..]);
    Some(i32::from_ne_bytes(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_netlink_bytes_are_not_markers() {
        assert_eq!(decode(&encode(libc::ENOBUFS)), Some(libc::ENOBUFS));
        // An NLMSG_DONE (20 bytes) or any 16-byte header is never a marker.
        assert_eq!(decode(&[0u8; 16]), None);
        assert_eq!(decode(&encode(105)[..11]), None);
    }
}
