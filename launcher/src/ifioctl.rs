//! Interface ioctls (SIOCGIF*/SIOCSIF*) answered from the simulator.
//!
//! glibc's `if_nametoindex`/`if_indextoname` and iproute2's fallbacks ask the kernel with
//! ioctls on an ordinary socket; answering them natively would show the host's interfaces.
//! The supervisor asks the simulator instead, over a private netlink socket of its own, with
//! the same RTM_GETLINK / RTM_NEWLINK / RTM_GETADDR requests `ip` would send.

use crate::backend::{Backend, DataConn};
use crate::error::Errno;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;

const NLMSG_HDRLEN: usize = 16;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_DUMP: u16 = 0x300;
const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_TXQLEN: u16 = 13;
const IFLA_STATS64: u16 = 23;
const IFA_LOCAL: u16 = 2;
const IFA_LABEL: u16 = 3;
const IFINFOMSG_LEN: usize = 16;
const IFADDRMSG_LEN: usize = 8;
/// How long the simulator may take to answer one request.
const TIMEOUT_MS: i32 = 5000;

#[derive(Debug, Default, Clone)]
pub(crate) struct Link {
    pub index: i32,
    pub link_type: u16,
    pub flags: u32,
    pub name: Vec<u8>,
    pub mtu: u32,
    pub txqlen: u32,
    pub addr: Vec<u8>,
    /// struct rtnl_link_stats64 as u64s (IFLA_STATS64), empty if not reported.
    pub stats64: Vec<u64>,
}

/// A private netlink socket of the supervisor.
pub(crate) struct IfQuery {
    fd: OwnedFd,
    seq: u32,
    /// The simulator, run from here while we wait when it is served on our thread.
    sim: Arc<dyn Backend>,
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

fn push_attr(buf: &mut Vec<u8>, kind: u16, data: &[u8]) {
    let len = 4 + data.len();
    buf.extend_from_slice(&(len as u16).to_ne_bytes());
    buf.extend_from_slice(&kind.to_ne_bytes());
    buf.extend_from_slice(data);
    buf.resize(align4(buf.len()), 0);
}

/// Iterates (type, payload) of the netlink attributes in `buf`.
fn attrs(mut buf: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if buf.len() < 4 {
            return None;
        }
        let len = u16::from_ne_bytes([buf[0], buf[1]]) as usize;
        let kind = u16::from_ne_bytes([buf[2], buf[3]]) & 0x3fff;
        if len < 4 || len > buf.len() {
            return None;
        }
        let data = &buf[4..len];
        buf = &buf[align4(len).min(buf.len())..];
        Some((kind, data))
    })
}

fn u32_of(d: &[u8]) -> Option<u32> {
    Some(u32::from_ne_bytes(d.get(..4)?.try_into().ok()?))
}

fn cstr(d: &[u8]) -> Vec<u8> {
    d.iter().take_while(|b| **b != 0).copied().collect()
}

fn parse_link(payload: &[u8]) -> Option<Link> {
    if payload.len() < IFINFOMSG_LEN {
        return None;
    }
    let mut l = Link {
        link_type: u16::from_ne_bytes([payload[2], payload[3]]),
        index: i32::from_ne_bytes(payload[4..8].try_into().ok()?),
        flags: u32::from_ne_bytes(payload[8..12].try_into().ok()?),
        ..Link::default()
    };
    for (kind, data) in attrs(&payload[IFINFOMSG_LEN..]) {
        match kind {
            IFLA_IFNAME => l.name = cstr(data),
            IFLA_MTU => l.mtu = u32_of(data).unwrap_or(0),
            IFLA_TXQLEN => l.txqlen = u32_of(data).unwrap_or(0),
            IFLA_ADDRESS => l.addr = data.to_vec(),
            IFLA_STATS64 => {
                l.stats64 = data
                    .chunks_exact(8)
                    .map(|c| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect()
            }
            _ => {}
        }
    }
    Some(l)
}

impl IfQuery {
    pub fn new(conn: DataConn, sim: Arc<dyn Backend>) -> Self {
        // SAFETY: fcntl on an owned fd. Non-blocking: we wait with poll and a timeout, so a
        // stuck simulator can delay a target's ioctl but never hang the supervisor forever.
        unsafe {
            let fd = conn.fd.as_raw_fd();
            let fl = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK);
        }
        IfQuery {
            fd: conn.fd,
            seq: 0,
            sim,
        }
    }

    fn header(&mut self, kind: u16, flags: u16) -> Vec<u8> {
        self.seq = self.seq.wrapping_add(1);
        let mut b = Vec::with_capacity(64);
        b.extend_from_slice(&0u32.to_ne_bytes());
        b.extend_from_slice(&kind.to_ne_bytes());
        b.extend_from_slice(&(flags | NLM_F_REQUEST).to_ne_bytes());
        b.extend_from_slice(&self.seq.to_ne_bytes());
        b.extend_from_slice(&0u32.to_ne_bytes());
        b
    }

    fn ifinfomsg(b: &mut Vec<u8>, index: i32, flags: u32, change: u32) {
        b.extend_from_slice(&[libc::AF_UNSPEC as u8, 0, 0, 0]);
        b.extend_from_slice(&index.to_ne_bytes());
        b.extend_from_slice(&flags.to_ne_bytes());
        b.extend_from_slice(&change.to_ne_bytes());
    }

    fn recv_dgram(&self) -> Result<Vec<u8>, Errno> {
        let mut buf = vec![0u8; 64 * 1024];
        let mut served = false;
        loop {
            // SAFETY: receiving into our own buffer of the given length.
            let n = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr() as *mut libc::c_void,
                    buf.len(),
                    libc::MSG_DONTWAIT,
                )
            };
            if n > 0 {
                buf.truncate(n as usize);
                return Ok(buf);
            }
            if n == 0 {
                return Err(Errno(libc::EIO));
            }
            let e = Errno::last();
            match e.0 {
                libc::EINTR => continue,
                libc::EAGAIN => {}
                _ => return Err(e),
            }
            // A simulator served on our thread answers when we run it: first without waiting,
            // then whenever it has work, until our answer arrives.
            let work_fd = self.sim.work_fd();
            if work_fd.is_some() && !std::mem::replace(&mut served, true) {
                self.sim.serve();
                continue;
            }
            let mut p = [self.fd.as_raw_fd(), work_fd.unwrap_or(-1)].map(|fd| libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            });
            // SAFETY: polling our own array of pollfds (a negative fd is ignored).
            if unsafe { libc::poll(p.as_mut_ptr(), 2, TIMEOUT_MS) } == 0 {
                return Err(Errno(libc::ETIMEDOUT));
            }
            if p[1].revents != 0 {
                self.sim.serve();
            }
        }
    }

    /// Sends one request and collects the payloads (type, bytes) of its answer: until the
    /// first message for a plain request, until ACK with NLM_F_ACK, until DONE for a dump.
    fn transact(&mut self, mut msg: Vec<u8>) -> Result<Vec<(u16, Vec<u8>)>, Errno> {
        let len = msg.len() as u32;
        msg[..4].copy_from_slice(&len.to_ne_bytes());
        let flags = u16::from_ne_bytes([msg[6], msg[7]]);
        let seq = self.seq;
        // SAFETY: sending from a live buffer of the given length.
        let n = unsafe {
            libc::send(
                self.fd.as_raw_fd(),
                msg.as_ptr() as *const libc::c_void,
                msg.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if n < 0 {
            return Err(Errno::last());
        }
        let mut out = Vec::new();
        loop {
            let d = self.recv_dgram()?;
            let mut rest = &d[..];
            while rest.len() >= NLMSG_HDRLEN {
                let mlen = u32::from_ne_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
                if mlen < NLMSG_HDRLEN || mlen > rest.len() {
                    break;
                }
                let kind = u16::from_ne_bytes([rest[4], rest[5]]);
                let mseq = u32::from_ne_bytes([rest[8], rest[9], rest[10], rest[11]]);
                let payload = &rest[NLMSG_HDRLEN..mlen];
                rest = &rest[align4(mlen).min(rest.len())..];
                if mseq != seq {
                    continue;
                }
                match kind {
                    NLMSG_ERROR => {
                        let err = payload
                            .get(..4)
                            .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                            .unwrap_or(-libc::EIO);
                        return if err < 0 { Err(Errno(-err)) } else { Ok(out) };
                    }
                    NLMSG_DONE => return Ok(out),
                    _ => {
                        out.push((kind, payload.to_vec()));
                        if flags & (NLM_F_DUMP | NLM_F_ACK) == 0 {
                            return Ok(out);
                        }
                    }
                }
            }
        }
    }

    fn get_link(&mut self, index: i32, name: Option<&[u8]>) -> Result<Link, Errno> {
        let mut m = self.header(RTM_GETLINK, 0);
        Self::ifinfomsg(&mut m, index, 0, 0);
        if let Some(name) = name {
            let mut n = name.to_vec();
            n.push(0);
            push_attr(&mut m, IFLA_IFNAME, &n);
        }
        self.transact(m)?
            .into_iter()
            .find(|(k, _)| *k == RTM_NEWLINK)
            .and_then(|(_, p)| parse_link(&p))
            .ok_or(Errno(libc::ENODEV))
    }

    /// Every device of the namespace, in its list order (an RTM_GETLINK dump).
    pub fn links(&mut self) -> Result<Vec<Link>, Errno> {
        let mut m = self.header(RTM_GETLINK, NLM_F_DUMP);
        Self::ifinfomsg(&mut m, 0, 0, 0);
        Ok(self
            .transact(m)?
            .into_iter()
            .filter(|(k, _)| *k == RTM_NEWLINK)
            .filter_map(|(_, p)| parse_link(&p))
            .collect())
    }

    pub fn link_by_name(&mut self, name: &[u8]) -> Result<Link, Errno> {
        if name.is_empty() {
            return Err(Errno(libc::ENODEV));
        }
        self.get_link(0, Some(name))
    }

    pub fn link_by_index(&mut self, index: i32) -> Result<Link, Errno> {
        if index <= 0 {
            return Err(Errno(libc::ENODEV));
        }
        self.get_link(index, None)
    }

    /// `ip link set`: new flags (under a change mask) and/or MTU.
    pub fn set_link(
        &mut self,
        index: i32,
        flags: u32,
        change: u32,
        mtu: Option<u32>,
    ) -> Result<(), Errno> {
        let mut m = self.header(RTM_NEWLINK, NLM_F_ACK);
        Self::ifinfomsg(&mut m, index, flags, change);
        if let Some(mtu) = mtu {
            push_attr(&mut m, IFLA_MTU, &mtu.to_ne_bytes());
        }
        self.transact(m).map(|_| ())
    }

    /// (label, address) of every IPv4 address, in dump order; empty if the simulator does not
    /// model addresses (it then has none to report, like a kernel without IPv4 addresses).
    pub fn ipv4_addrs(&mut self) -> Vec<(Vec<u8>, [u8; 4])> {
        let mut m = self.header(RTM_GETADDR, NLM_F_DUMP);
        m.extend_from_slice(&[libc::AF_INET as u8, 0, 0, 0, 0, 0, 0, 0]);
        let Ok(msgs) = self.transact(m) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (kind, p) in msgs {
            if kind != RTM_NEWADDR || p.len() < IFADDRMSG_LEN || p[0] != libc::AF_INET as u8 {
                continue;
            }
            let (mut label, mut local) = (None, None);
            for (k, d) in attrs(&p[IFADDRMSG_LEN..]) {
                match k {
                    IFA_LABEL => label = Some(cstr(d)),
                    IFA_LOCAL => local = d.get(..4).and_then(|a| <[u8; 4]>::try_from(a).ok()),
                    _ => {}
                }
            }
            if let (Some(l), Some(a)) = (label, local) {
                out.push((l, a));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attrs_roundtrip() {
        let mut b = Vec::new();
        push_attr(&mut b, IFLA_IFNAME, b"eth0\0");
        push_attr(&mut b, IFLA_MTU, &1500u32.to_ne_bytes());
        let got: Vec<_> = attrs(&b).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(cstr(got[0].1), b"eth0");
        assert_eq!(u32_of(got[1].1), Some(1500));
        // A truncated attribute ends the walk instead of reading past the buffer.
        assert_eq!(attrs(&b[..6]).count(), 0);
    }
}
