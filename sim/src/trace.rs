//! `--trace`: every request and every datagram sent back, decoded, one line each. The lines
//! hold nothing the simulator does not control (no clock), so a trace of the same requests
//! with the same seed is the same text.

use crate::wire::raw::split_messages;
use netlink_packet_core::NetlinkMessage;
use netlink_packet_route::RouteNetlinkMessage;
use std::io::Write;

pub struct Tracer {
    out: Box<dyn Write + Send>,
}

impl Tracer {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Tracer { out }
    }

    /// One line per netlink message of `datagram`; `dir` is "->" (request) or "<-" (reply).
    pub fn datagram(&mut self, dir: &str, conn: usize, portid: u32, datagram: &[u8]) {
        for m in split_messages(datagram) {
            let decoded = match NetlinkMessage::<RouteNetlinkMessage>::deserialize(m.bytes) {
                Ok(msg) => format!("{:?}", msg.payload),
                Err(_) => format!("raw {}", hex(m.payload())),
            };
            let h = m.header;
            let _ = writeln!(
                self.out,
                "{dir} conn={conn} port={portid} type={} flags={:#x} seq={} pid={} {decoded}",
                h.kind, h.flags, h.seq, h.pid
            );
        }
        let _ = self.out.flush();
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
