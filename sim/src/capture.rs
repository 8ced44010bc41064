//! `--capture FILE`: what an UP nlmon device would let `tcpdump -i nlmon0 -w FILE` record
//! (drivers/net/nlmon.c, net/netlink/af_netlink.c `netlink_deliver_tap`): every NETLINK_ROUTE
//! datagram a client sends to the kernel and every one the kernel queues to a client (replies,
//! dump rounds, each multicast copy), while at least one nlmon device is up in the client's
//! namespace.
//!
//! The file is pcap with LINKTYPE_NETLINK (253), as libpcap writes it for an nlmon device in
//! cooked mode: each packet starts with a 16-byte Linux "cooked" header (`pkttype`,
//! ARPHRD_NETLINK, no address, the netlink protocol), then the datagram. `pkttype` is
//! PACKET_KERNEL (7) for a datagram to the kernel and PACKET_USER (6) for one to user space
//! (`__netlink_deliver_tap_skb`: the skb's owner is the receiving socket). Wireshark and tshark
//! dissect it as netlink-route.
//!
//! Deterministic by construction: timestamps count packets (packet N at N microseconds) instead
//! of reading a clock. With two nlmon devices up the kernel gives each a copy; the file holds
//! one (it is a capture on one of them).

use std::io::{self, Write};

/// `LINKTYPE_NETLINK`.
pub const LINKTYPE_NETLINK: u32 = 253;
/// `PACKET_USER`: to user space.
pub const PACKET_USER: u16 = 6;
/// `PACKET_KERNEL`: to kernel space.
pub const PACKET_KERNEL: u16 = 7;
/// `ARPHRD_NETLINK`.
const ARPHRD_NETLINK: u16 = 824;
/// libpcap's default snapshot length.
const SNAPLEN: u32 = 262_144;

pub struct Capture {
    out: Box<dyn Write + Send>,
    packets: u64,
}

impl Capture {
    /// Writes the pcap file header.
    pub fn new(mut out: Box<dyn Write + Send>) -> io::Result<Self> {
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&4u16.to_le_bytes());
        h.extend_from_slice(&0i32.to_le_bytes()); // thiszone
        h.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
        h.extend_from_slice(&SNAPLEN.to_le_bytes());
        h.extend_from_slice(&LINKTYPE_NETLINK.to_le_bytes());
        out.write_all(&h)?;
        out.flush()?;
        Ok(Capture { out, packets: 0 })
    }

    /// One datagram, as the nlmon device saw it. Write errors are logged, not fatal: the
    /// simulator keeps serving.
    pub fn packet(&mut self, pkttype: u16, datagram: &[u8]) {
        let ts = self.packets;
        self.packets += 1;
        let len = (16 + datagram.len()) as u32;
        let mut rec = Vec::with_capacity(16 + len as usize);
        rec.extend_from_slice(&((ts / 1_000_000) as u32).to_le_bytes());
        rec.extend_from_slice(&((ts % 1_000_000) as u32).to_le_bytes());
        rec.extend_from_slice(&len.min(SNAPLEN).to_le_bytes());
        rec.extend_from_slice(&len.to_le_bytes());
        // struct sll_header, network byte order.
        rec.extend_from_slice(&pkttype.to_be_bytes());
        rec.extend_from_slice(&ARPHRD_NETLINK.to_be_bytes());
        rec.extend_from_slice(&0u16.to_be_bytes()); // sll_halen
        rec.extend_from_slice(&[0u8; 8]); // sll_addr
        rec.extend_from_slice(&0u16.to_be_bytes()); // NETLINK_ROUTE
        rec.extend_from_slice(datagram);
        rec.truncate(16 + SNAPLEN as usize);
        if let Err(e) = self.out.write_all(&rec).and_then(|_| self.out.flush()) {
            tracing::warn!("capture: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::ErrorKind::Other)?
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pcap_layout() {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let mut c = Capture::new(Box::new(Shared(buf.clone()))).expect("header");
        c.packet(PACKET_KERNEL, &[1, 2, 3, 4]);
        c.packet(PACKET_USER, &[5; 20]);
        let b = buf.lock().expect("lock").clone();
        assert_eq!(&b[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
        assert_eq!(&b[20..24], &253u32.to_le_bytes());
        // First record: ts 0.000000, 20 bytes, pkttype 7, hatype 824.
        assert_eq!(&b[24..28], &[0; 4]);
        assert_eq!(&b[32..36], &20u32.to_le_bytes());
        assert_eq!(&b[40..44], &[0, 7, 0x03, 0x38]);
        assert_eq!(&b[56..60], &[1, 2, 3, 4]);
        // Second record: ts 0.000001.
        assert_eq!(&b[64..68], &1u32.to_le_bytes());
        assert_eq!(b.len(), 24 + 16 + 20 + 16 + 36);
    }
}
