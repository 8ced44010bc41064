//! Netlink sockets (net/netlink/af_netlink.c): the port table (`nl_table` for
//! NETLINK_ROUTE), autobind and bind, the `SOL_NETLINK` socket options and group membership,
//! and delivery to sockets (`netlink_unicast`, `netlink_broadcast`) with the receive-buffer
//! accounting and the capture tap (`netlink_deliver_tap`) applied in one place.

use super::io::{unix_outq, Conn, Queued, Role};
use crate::capture::{Capture, PACKET_USER};
use crate::control::sockopt;
use crate::rcvbuf::{self, UnixCharge};
use crate::socket::NlSock;
use kernel_model::hwaddr::SeededRng;
use kernel_model::uapi::errno;
use kernel_model::{Kernel, NetnsId};
use nlsim_launcher::inband;
use slab::Slab;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Why a socket operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SockError {
    /// The id names no data connection.
    NoSuchConn,
    /// The system call's errno (positive).
    Errno(i32),
}

/// A socket's receive buffer as `RecvBufStats` reports it.
pub(super) struct RecvBufStats {
    pub rcvbuf: u32,
    pub rmem_alloc: u64,
    pub drops: u64,
    pub congested: bool,
    pub backlog_bytes: u64,
    pub backlog_datagrams: u64,
}

/// Every connection, the netlink port table, and where delivered datagrams are tapped.
pub(super) struct NetlinkTable {
    pub conns: Slab<Conn>,
    /// Port ids in use (`nl_table` for NETLINK_ROUTE).
    ports: HashSet<u32>,
    /// `netlink_autobind`'s rover for negative port ids.
    rover: i32,
    rng: SeededRng,
    /// `--capture`: what an up nlmon device sees (see [`crate::capture`]).
    pub capture: Option<Capture>,
    /// How many sockets have an `sk_err` waiting for `ControlRequest::TakeError`: a
    /// supervisor in this process asks only while it is not 0 (see [`crate::Sim`]).
    pub pending_errors: Arc<AtomicUsize>,
    /// What this host's unix sockets charge per datagram (to read SIOCOUTQ).
    unix_charge: Option<UnixCharge>,
}

/// `netlink_deliver_tap`: a datagram queued to (PACKET_USER) or received from
/// (PACKET_KERNEL) a socket of `netns` is seen by the namespace's up nlmon devices.
pub(super) fn netlink_deliver_tap(
    capture: &mut Option<Capture>,
    kernel: &Kernel,
    netns: NetnsId,
    pkttype: u16,
    datagram: &[u8],
) {
    if let Some(c) = capture {
        if kernel_model::kinds::nlmon::netlink_tap_active(kernel, netns) {
            c.packet(pkttype, datagram);
        }
    }
}

/// Brings `sk_rmem_alloc` up to date before a decision about a datagram charged
/// `charged`; the SIOCOUTQ is skipped when what might have been read cannot matter.
pub(super) fn refresh_rmem(c: &mut Conn, charged: u32) {
    let half = u64::from(c.rb.rcvbuf / 2);
    if c.rb.has_in_flight() && (c.rb.congested || c.rb.rmem_alloc() + u64::from(charged) > half) {
        if let Some(q) = unix_outq(&c.fd) {
            c.rb.refresh(q);
        }
    }
    // netlink_rcv_wake (after every recvmsg): an empty queue clears CONGESTED.
    c.rb.rcv_wake();
}

/// `__netlink_sendskb`: queues a datagram the receive buffer admitted, tapped as it is.
fn sendskb(
    capture: &mut Option<Capture>,
    kernel: &Kernel,
    c: &mut Conn,
    netns: NetnsId,
    bytes: Vec<u8>,
    charged: u32,
) {
    netlink_deliver_tap(capture, kernel, netns, PACKET_USER, &bytes);
    c.rb.queue(charged);
    c.out.push_back(Queued { bytes, charged });
}

/// `netlink_overrun`: the datagram is dropped; the first overrun since the queue was last
/// empty sets `sk_err` = ENOBUFS (unless NETLINK_NO_ENOBUFS). A connection that serves a
/// supervisor gets the error as an in-band marker; otherwise it waits in `rb.err` and
/// `pending` counts it.
fn overrun(c: &mut Conn, no_enobufs: bool, pending: &AtomicUsize) {
    if !c.rb.overrun(no_enobufs) {
        return;
    }
    if c.inband_errors {
        // sock_error() is checked before the receive queue: the marker goes ahead of
        // everything not yet handed to the unix socket.
        let bytes = inband::encode(libc::ENOBUFS).to_vec();
        c.rb.queue(0);
        c.out.push_front(Queued { bytes, charged: 0 });
    } else {
        if c.rb.err == 0 {
            pending.fetch_add(1, Ordering::Relaxed);
        }
        c.rb.err = libc::ENOBUFS;
    }
}

impl NetlinkTable {
    pub fn new(seed: u64) -> Self {
        NetlinkTable {
            conns: Slab::new(),
            ports: HashSet::new(),
            rover: -4096,
            // A separate stream from the model's, so socket churn never shifts MACs.
            rng: SeededRng::new(seed ^ 0x6e6c_7369_6d70_6f72),
            capture: None,
            pending_errors: Arc::new(AtomicUsize::new(0)),
            unix_charge: UnixCharge::measure(),
        }
    }

    /// The netlink socket of data connection `conn`.
    fn sock_mut(&mut self, conn: u64) -> Result<&mut NlSock, SockError> {
        match self.conns.get_mut(conn as usize).map(|c| &mut c.role) {
            Some(Role::Data { sock, .. }) => Ok(sock),
            _ => Err(SockError::NoSuchConn),
        }
    }

    /// Data connection `conn`.
    fn data_conn(&mut self, conn: u64) -> Result<&mut Conn, SockError> {
        match self.conns.get_mut(conn as usize) {
            Some(c) if matches!(c.role, Role::Data { .. }) => Ok(c),
            _ => Err(SockError::NoSuchConn),
        }
    }

    /// The namespaces the open sockets hold (`sk_net`).
    pub fn sockets_netns(&self) -> HashSet<NetnsId> {
        self.conns
            .iter()
            .filter_map(|(_, c)| match &c.role {
                Role::Data { sock, .. } => Some(sock.netns),
                _ => None,
            })
            .collect()
    }

    /// `netlink_autobind`: the process id first, then negative ids from a rover that starts
    /// at a (seeded) random point below -4096 and counts down.
    fn autobind(&mut self, pid: u32) -> u32 {
        let mut portid = pid;
        while portid == 0 || self.ports.contains(&portid) {
            if self.rover == -4096 {
                self.rover = self.rng.range_i64(i32::MIN as i64, -4097) as i32;
            } else if self.rover >= -4096 {
                self.rover = -4097;
            }
            portid = self.rover as u32;
            self.rover = self.rover.wrapping_sub(1);
        }
        self.ports.insert(portid);
        portid
    }

    /// `netlink_sendmsg` binds an unbound socket on its first send.
    pub fn ensure_bound(&mut self, key: usize) {
        let pid = match self.conns.get(key).map(|c| &c.role) {
            Some(Role::Data { sock, .. }) if !sock.bound => sock.pid,
            _ => return,
        };
        let portid = self.autobind(pid);
        if let Ok(sock) = self.sock_mut(key as u64) {
            sock.portid = portid;
            sock.bound = true;
        }
    }

    /// `netlink_bind(sockaddr_nl{portid, groups})`; portid 0 autobinds. Returns the port id.
    pub fn bind(&mut self, conn: u64, portid: u32, groups: u32) -> Result<u32, SockError> {
        let sock = self.sock_mut(conn)?;
        let (bound, cur, pid) = (sock.bound, sock.portid, sock.pid);
        // netlink_bind: a bound socket keeps its port id; asking for another is EINVAL.
        if bound && portid != 0 && portid != cur {
            return Err(SockError::Errno(errno::EINVAL));
        }
        if !bound {
            let p = if portid != 0 {
                // netlink_insert: a port id in use is EADDRINUSE.
                if self.ports.contains(&portid) {
                    return Err(SockError::Errno(errno::EADDRINUSE));
                }
                self.ports.insert(portid);
                portid
            } else {
                self.autobind(pid)
            };
            let s = self.sock_mut(conn)?;
            s.portid = p;
            s.bound = true;
        }
        let s = self.sock_mut(conn)?;
        // nl_groups replaces the first 32 groups.
        s.groups = (s.groups & !0xffff_ffff) | groups as u64;
        Ok(s.portid)
    }

    /// `netlink_getname`: (port id, first 32 groups).
    pub fn get_name(&mut self, conn: u64) -> Result<(u32, u32), SockError> {
        let s = self.sock_mut(conn)?;
        Ok((s.portid, s.groups as u32))
    }

    /// `netlink_setsockopt(SOL_NETLINK, opt, &val)`.
    pub fn setsockopt(&mut self, conn: u64, opt: i32, val: u32) -> Result<(), SockError> {
        let s = self.sock_mut(conn)?;
        let on = val != 0;
        match opt {
            sockopt::NETLINK_ADD_MEMBERSHIP | sockopt::NETLINK_DROP_MEMBERSHIP => {
                if !(1..=64).contains(&val) {
                    return Err(SockError::Errno(errno::EINVAL));
                }
                let bit = 1u64 << (val - 1);
                if opt == sockopt::NETLINK_ADD_MEMBERSHIP {
                    s.groups |= bit;
                } else {
                    s.groups &= !bit;
                }
            }
            sockopt::NETLINK_PKTINFO => s.pktinfo = on,
            sockopt::NETLINK_BROADCAST_ERROR => s.broadcast_error = on,
            sockopt::NETLINK_NO_ENOBUFS => s.no_enobufs = on,
            sockopt::NETLINK_LISTEN_ALL_NSID => s.listen_all_nsid = on,
            sockopt::NETLINK_CAP_ACK => s.cap_ack = on,
            sockopt::NETLINK_EXT_ACK => s.ext_ack = on,
            sockopt::NETLINK_GET_STRICT_CHK => s.strict_chk = on,
            _ => return Err(SockError::Errno(libc::ENOPROTOOPT)),
        }
        Ok(())
    }

    /// `netlink_getsockopt(SOL_NETLINK, opt)`.
    pub fn getsockopt(&mut self, conn: u64, opt: i32) -> Result<u32, SockError> {
        let s = self.sock_mut(conn)?;
        let val = match opt {
            sockopt::NETLINK_PKTINFO => s.pktinfo,
            sockopt::NETLINK_BROADCAST_ERROR => s.broadcast_error,
            sockopt::NETLINK_NO_ENOBUFS => s.no_enobufs,
            sockopt::NETLINK_LISTEN_ALL_NSID => s.listen_all_nsid,
            sockopt::NETLINK_CAP_ACK => s.cap_ack,
            sockopt::NETLINK_EXT_ACK => s.ext_ack,
            sockopt::NETLINK_GET_STRICT_CHK => s.strict_chk,
            _ => return Err(SockError::Errno(libc::ENOPROTOOPT)),
        };
        Ok(val as u32)
    }

    /// `netlink_recvmsg`: max_recvmsg_len grows with the reader's buffers, capped at
    /// SKB_WITH_OVERHEAD(32768).
    pub fn set_recv_len(&mut self, conn: u64, len: u32) -> Result<(), SockError> {
        let s = self.sock_mut(conn)?;
        s.max_recvmsg_len = s.max_recvmsg_len.max(len as usize).min(32768 - 320);
        Ok(())
    }

    /// `SO_RCVBUF` as applied to the connection's unix socket: the new `sk_rcvbuf`.
    pub fn set_rcvbuf(&mut self, conn: u64, bytes: u32) -> Result<(), SockError> {
        self.data_conn(conn)?.rb.rcvbuf = bytes;
        Ok(())
    }

    /// `sock_error`: the pending `sk_err` (0 if none), cleared.
    pub fn take_error(&mut self, conn: u64) -> Result<i32, SockError> {
        let c = self.data_conn(conn)?;
        let err = std::mem::take(&mut c.rb.err);
        if err != 0 {
            self.pending_errors.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(err)
    }

    /// The socket's receive buffer, brought up to date, and the server's backlog for it.
    pub fn rcvbuf_stats(&mut self, conn: u64) -> Result<RecvBufStats, SockError> {
        let c = self.data_conn(conn)?;
        refresh_rmem(c, 0);
        if let Some(q) = unix_outq(&c.fd) {
            c.rb.refresh(q);
        }
        Ok(RecvBufStats {
            rcvbuf: c.rb.rcvbuf,
            rmem_alloc: c.rb.rmem_alloc(),
            drops: c.rb.drops,
            congested: c.rb.congested,
            backlog_bytes: c.out_bytes() as u64,
            backlog_datagrams: c.out.len() as u64,
        })
    }

    /// `netlink_unicast` of a kernel reply (rtnl_unicast, netlink_ack, nlmsg_notify's report
    /// copy: all MSG_DONTWAIT, so `netlink_attachskb` runs with timeo 0): queued if the
    /// receive buffer admits it, otherwise dropped with `netlink_overrun`. Returns whether it
    /// was queued.
    pub fn unicast(&mut self, kernel: &Kernel, key: usize, bytes: Vec<u8>) -> bool {
        let charged = rcvbuf::truesize(bytes.len());
        let Some(c) = self.conns.get_mut(key) else {
            return false;
        };
        let Role::Data { sock, .. } = &c.role else {
            return false;
        };
        let (netns, no_enobufs) = (sock.netns, sock.no_enobufs);
        refresh_rmem(c, charged);
        if !c.rb.admits(charged) {
            overrun(c, no_enobufs, &self.pending_errors);
            return false;
        }
        sendskb(&mut self.capture, kernel, c, netns, bytes, charged);
        true
    }

    /// `nlmsg_multicast`: to every socket of the namespace in `group`, except `exclude`; each
    /// copy through `netlink_broadcast_deliver`, which drops it (`netlink_overrun`) when the
    /// socket's buffer is full or congested.
    pub fn multicast(
        &mut self,
        kernel: &Kernel,
        netns: NetnsId,
        group: u32,
        bytes: &[u8],
        exclude: Option<usize>,
    ) {
        let charged = rcvbuf::truesize(bytes.len());
        for (k, c) in self.conns.iter_mut() {
            let Role::Data { sock, .. } = &c.role else {
                continue;
            };
            if sock.netns != netns || !sock.in_group(group) || exclude == Some(k) {
                continue;
            }
            let no_enobufs = sock.no_enobufs;
            refresh_rmem(c, charged);
            if !c.rb.admits(charged) {
                overrun(c, no_enobufs, &self.pending_errors);
                continue;
            }
            sendskb(&mut self.capture, kernel, c, netns, bytes.to_vec(), charged);
        }
    }

    /// `netlink_dump`'s queueing of one dump datagram charged `charged` (the caller checked
    /// that the buffer admits it).
    pub fn queue_dump(
        &mut self,
        kernel: &Kernel,
        key: usize,
        netns: NetnsId,
        bytes: Vec<u8>,
        charged: u32,
    ) {
        if let Some(c) = self.conns.get_mut(key) {
            sendskb(&mut self.capture, kernel, c, netns, bytes, charged);
        }
    }

    /// The reader took a datagram off connection `key`'s queue: what the unix socket charges
    /// for it replaces what it was charged against `sk_rcvbuf`.
    pub fn sent(&mut self, key: usize, q: &Queued) {
        let unix = match &self.unix_charge {
            Some(u) => u.of(q.bytes.len()),
            None => u64::from(rcvbuf::truesize(q.bytes.len())),
        };
        if let Some(c) = self.conns.get_mut(key) {
            if matches!(c.role, Role::Data { .. }) {
                c.rb.sent(unix, q.charged);
            }
        }
    }

    /// `netlink_release`: the connection is gone; its port id is free again and its pending
    /// error forgotten. Returns the connection.
    pub fn release(&mut self, key: usize) -> Option<Conn> {
        let c = self.conns.try_remove(key)?;
        if c.rb.err != 0 {
            self.pending_errors.fetch_sub(1, Ordering::Relaxed);
        }
        if let Role::Data { sock, .. } = &c.role {
            if sock.bound {
                self.ports.remove(&sock.portid);
            }
        }
        Some(c)
    }
}
