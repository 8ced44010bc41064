//! The receive buffer of one netlink socket: `sk->sk_rcvbuf` against `sk->sk_rmem_alloc`,
//! the rules of net/netlink/af_netlink.c that bound what the kernel queues for a reader.
//!
//! What the client has not read yet is in two places: datagrams the server queued but has
//! not handed to the unix socket (the connection's `out` queue), and datagrams in the unix
//! socket the client has not received yet ("in flight"). The server's end of the unix socket
//! reports the latter with SIOCOUTQ (`unix_outq_len` = `sk_wmem_alloc`, the truesize of the
//! skbs the peer has not consumed); since a reader consumes in order, the unread datagrams are
//! the newest in-flight ones whose unix truesizes add up to that figure.
//!
//! # Truesize
//!
//! The kernel charges `skb->truesize`, the whole allocation, not the payload. nlsim charges a
//! deterministic figure per datagram, [`truesize`]: what `alloc_skb(len)` allocates on x86-64
//! Debian 6.12 (`__alloc_skb`: the data plus `struct skb_shared_info`, 320 bytes, taken from
//! the 640-byte small-head cache when it fits (`kmalloc_reserve`), else rounded to a kmalloc
//! bucket; plus `struct sk_buff`, 256 bytes with its cache alignment). The kernel sizes a reply
//! from an estimate (`if_nlmsg_size`) and trims it (`netlink_trim`), so the real figure can
//! differ by a bucket; a dump datagram is charged for its whole allocation (`netlink_dump`
//! allocates `max(NLMSG_GOODSIZE, max_recvmsg_len)`), see [`dump_truesize`]. Checked on the
//! oracle (golden/rcvbuf/kernel-6.12/): an ACK is charged 896 (2 fit in SOCK_MIN_RCVBUF,
//! 2304), a 1432-byte RTM_NEWLINK 2304 (3 fit in 8192; 184 notifications in 425984).
//!
//! The unix socket charges its own truesize, which depends on the host's kernel: the server
//! measures it once per length class ([`UnixCharge`]) to read SIOCOUTQ.

use std::collections::VecDeque;

/// `sysctl_rmem_default`: the `sk_rcvbuf` of a new socket (`sock_init_data`).
pub const RMEM_DEFAULT: u32 = 212_992;
/// `SKB_DATA_ALIGN(sizeof(struct skb_shared_info))` on x86-64.
const SHINFO: usize = 320;
/// `SKB_DATA_ALIGN(sizeof(struct sk_buff))` on x86-64.
const SKB: usize = 256;
/// `NLMSG_GOODSIZE`: `SKB_WITH_OVERHEAD(PAGE_SIZE)`.
const NLMSG_GOODSIZE: usize = 4096 - SHINFO;

/// The kmalloc bucket of an allocation of `n` bytes (`kmalloc_size_roundup`): the slab sizes
/// up to 8 KiB, then whole power-of-two pages from the page allocator.
fn kmalloc_bucket(n: usize) -> usize {
    const SLABS: [usize; 13] = [
        8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
    ];
    SLABS
        .iter()
        .copied()
        .find(|&s| s >= n)
        .unwrap_or_else(|| n.next_power_of_two())
}

/// `SKB_SMALL_HEAD_CACHE_SIZE` (`SKB_HEAD_ALIGN(MAX_TCP_HEADER)`, Debian 6.12 x86-64).
const SMALL_HEAD: usize = 640;

/// `skb->truesize` of `alloc_skb(len)` (see the module comment).
pub fn truesize(len: usize) -> u32 {
    let data = len.div_ceil(64) * 64 + SHINFO;
    let head = if data <= SMALL_HEAD {
        SMALL_HEAD
    } else {
        kmalloc_bucket(data)
    };
    u32::try_from(head + SKB).unwrap_or(u32::MAX)
}

/// What the host's unix sockets charge a datagram of a given length (their share of
/// SIOCOUTQ), measured once: `unix_dgram_sendmsg` allocates a linear skb up to
/// `SKB_MAX_ALLOC` (16064 bytes here) and whole pages beyond, so the charge only changes at the
/// kmalloc-bucket boundaries below and per page above.
#[derive(Debug, Clone)]
pub struct UnixCharge {
    /// (largest length of the class, charge), by length.
    classes: Vec<(usize, u64)>,
}

/// Lengths where the charge of a linear skb can change (data + 320 reaching 512, the small
/// head, 1 KiB, ... 16 KiB).
const CLASS_ENDS: [usize; 7] = [192, 320, 704, 1728, 3776, 7872, 16064];

impl UnixCharge {
    /// Measures the classes on a socket pair; `None` if that fails (then [`truesize`] is the
    /// estimate).
    pub fn measure() -> Option<UnixCharge> {
        let mut sv = [0; 2];
        // SAFETY: socketpair writes two fds into the array.
        if unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_SEQPACKET, 0, sv.as_mut_ptr()) } < 0
        {
            return None;
        }
        let data = vec![0u8; CLASS_ENDS[CLASS_ENDS.len() - 1]];
        let mut buf = vec![0u8; data.len()];
        let mut classes = Vec::new();
        for len in CLASS_ENDS {
            let mut q: libc::c_int = 0;
            // SAFETY: a send from a live buffer, SIOCOUTQ into a live int, a recv into a live
            // buffer, all on the pair made above.
            let ok = unsafe {
                libc::send(sv[0], data.as_ptr() as *const libc::c_void, len, 0) == len as isize
                    && libc::ioctl(sv[0], libc::TIOCOUTQ, &mut q) == 0
                    && libc::recv(sv[1], buf.as_mut_ptr() as *mut libc::c_void, buf.len(), 0) >= 0
            };
            if !ok {
                break;
            }
            classes.push((len, q.max(0) as u64));
        }
        // SAFETY: closing the two fds made above.
        unsafe {
            libc::close(sv[0]);
            libc::close(sv[1]);
        }
        (classes.len() == CLASS_ENDS.len()).then_some(UnixCharge { classes })
    }

    /// The charge of a `len`-byte datagram.
    pub fn of(&self, len: usize) -> u64 {
        if let Some(&(_, c)) = self.classes.iter().find(|(end, _)| len <= *end) {
            return c;
        }
        // Beyond SKB_MAX_ALLOC: the linear part plus whole pages for the rest.
        let (end, c) = self.classes[self.classes.len() - 1];
        c + ((len - end).div_ceil(4096) * 4096) as u64
    }
}

/// `netlink_dump`: every dump datagram is allocated `max(NLMSG_GOODSIZE, max_recvmsg_len)`
/// bytes (min_dump_alloc, the largest message, is below NLMSG_GOODSIZE for what nlsim dumps).
pub fn dump_truesize(max_recvmsg_len: usize) -> u32 {
    truesize(NLMSG_GOODSIZE.max(max_recvmsg_len))
}

/// One datagram handed to the unix socket and maybe not read yet.
#[derive(Debug, Clone, Copy)]
struct InFlight {
    /// What the unix socket charges for it (its share of SIOCOUTQ).
    unix: u64,
    /// What the modelled netlink socket charges for it (its share of `sk_rmem_alloc`).
    charged: u64,
}

/// The receive-buffer state of one socket (`struct sock` fields, `nlk->state`).
#[derive(Debug, Clone)]
pub struct RecvBuf {
    /// `sk->sk_rcvbuf`.
    pub rcvbuf: u32,
    /// `NETLINK_S_CONGESTED`: set by an overrun, cleared once the queue is empty.
    pub congested: bool,
    /// `sk->sk_err` not delivered yet (0: none). Sockets that get in-band markers see it as
    /// a marker instead and this stays 0.
    pub err: i32,
    /// `sk->sk_drops`.
    pub drops: u64,
    /// Charge of the datagrams still in the connection's `out` queue.
    queued: u64,
    /// How many of those are waiting (markers included).
    queued_count: usize,
    in_flight: VecDeque<InFlight>,
    in_flight_unix: u64,
    in_flight_charged: u64,
}

impl Default for RecvBuf {
    fn default() -> Self {
        RecvBuf {
            rcvbuf: RMEM_DEFAULT,
            congested: false,
            err: 0,
            drops: 0,
            queued: 0,
            queued_count: 0,
            in_flight: VecDeque::new(),
            in_flight_unix: 0,
            in_flight_charged: 0,
        }
    }
}

impl RecvBuf {
    /// `sk_rmem_alloc` as last refreshed.
    pub fn rmem_alloc(&self) -> u64 {
        self.queued + self.in_flight_charged
    }

    /// Nothing left to read (`skb_queue_empty(&sk->sk_receive_queue)`), as last refreshed.
    pub fn is_empty(&self) -> bool {
        self.queued_count == 0 && self.in_flight.is_empty()
    }

    /// Whether refreshing could change a decision: only when something is in flight.
    pub fn has_in_flight(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// A datagram charged `charged` joined the `out` queue.
    pub fn queue(&mut self, charged: u32) {
        self.queued += u64::from(charged);
        self.queued_count += 1;
    }

    /// The front of the `out` queue (`len` bytes, charged `charged`) went into the unix socket,
    /// which charges it `unix` (see [`UnixCharge`]).
    pub fn sent(&mut self, unix: u64, charged: u32) {
        self.queued = self.queued.saturating_sub(u64::from(charged));
        self.queued_count = self.queued_count.saturating_sub(1);
        self.in_flight.push_back(InFlight {
            unix,
            charged: u64::from(charged),
        });
        self.in_flight_unix += unix;
        self.in_flight_charged += u64::from(charged);
    }

    /// The unix socket reports `outq` (SIOCOUTQ) bytes not consumed: forget the oldest
    /// in-flight datagrams beyond that, they were read.
    pub fn refresh(&mut self, outq: u64) {
        if outq == 0 {
            self.in_flight.clear();
            self.in_flight_unix = 0;
            self.in_flight_charged = 0;
            return;
        }
        while let Some(front) = self.in_flight.front().copied() {
            if self.in_flight_unix - front.unix < outq {
                break;
            }
            self.in_flight.pop_front();
            self.in_flight_unix -= front.unix;
            self.in_flight_charged -= front.charged;
        }
    }

    /// `netlink_attachskb` / `netlink_broadcast_deliver`: may a datagram charged `charged`
    /// be queued? (The queue was empty, or it fits, and the socket is not congested.)
    pub fn admits(&self, charged: u32) -> bool {
        let rmem = self.rmem_alloc() + u64::from(charged);
        (rmem == u64::from(charged) || rmem <= u64::from(self.rcvbuf)) && !self.congested
    }

    /// `netlink_dump`'s check before it fills a datagram charged `charged`: it stops (and
    /// resumes from a later recvmsg) while the buffer would be full.
    pub fn dump_admits(&self, charged: u32) -> bool {
        let rmem = self.rmem_alloc() + u64::from(charged);
        rmem == u64::from(charged) || rmem < u64::from(self.rcvbuf)
    }

    /// `netlink_recvmsg` continues a running dump only once `rmem_alloc <= rcvbuf / 2`.
    pub fn dump_may_continue(&self) -> bool {
        self.rmem_alloc() <= u64::from(self.rcvbuf / 2)
    }

    /// `netlink_overrun`: a datagram was dropped. Returns whether this overrun raises the
    /// error (the first one since the queue was last empty, and not NETLINK_NO_ENOBUFS).
    pub fn overrun(&mut self, no_enobufs: bool) -> bool {
        self.drops += 1;
        if no_enobufs || self.congested {
            return false;
        }
        self.congested = true;
        true
    }

    /// `netlink_rcv_wake`: the reader emptied the queue, CONGESTED is cleared.
    pub fn rcv_wake(&mut self) {
        if self.is_empty() {
            self.congested = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// alloc_skb's arithmetic; the kernel's own figures behind it are in the module comment.
    #[test]
    fn truesize_follows_alloc_skb() {
        for (len, want) in [
            (0, 896),
            (36, 896),
            (320, 896),
            (321, 1280),
            (500, 1280),
            (1000, 2304),
            (1800, 4352),
            (3776, 4352),
            (4000, 8448),
            (8000, 16640),
            (32448, 33024),
        ] {
            assert_eq!(truesize(len), want, "len {len}");
        }
        assert_eq!(dump_truesize(0), 4352);
        assert_eq!(dump_truesize(32448), 33024);
    }

    #[test]
    fn unix_charges_are_measured_per_class() {
        let u = UnixCharge::measure().expect("a unix socket pair");
        // Monotonic, and at least the payload.
        let mut last = 0;
        for len in [
            0, 36, 192, 193, 320, 704, 1728, 3776, 7872, 16064, 20000, 40000,
        ] {
            let c = u.of(len);
            assert!(c >= last && c >= len as u64, "{len}: {c}");
            last = c;
        }
    }

    #[test]
    fn an_empty_queue_admits_anything_then_the_buffer_bounds() {
        let mut rb = RecvBuf {
            rcvbuf: 2304,
            ..RecvBuf::default()
        };
        assert!(rb.admits(33024));
        rb.queue(768);
        rb.queue(768);
        assert!(rb.admits(768));
        rb.queue(768);
        assert!(!rb.admits(768));
        assert!(rb.overrun(false));
        // Once congested, even a fitting datagram is refused and no second error is raised.
        assert!(!rb.overrun(false));
        assert_eq!(rb.drops, 2);
    }

    #[test]
    fn refresh_forgets_what_the_reader_consumed() {
        let mut rb = RecvBuf::default();
        for _ in 0..3 {
            rb.queue(768);
            rb.sent(768, 768);
        }
        assert_eq!(rb.rmem_alloc(), 3 * 768);
        rb.refresh(768);
        assert_eq!(rb.rmem_alloc(), 768);
        rb.congested = true;
        rb.rcv_wake();
        assert!(rb.congested);
        rb.refresh(0);
        rb.rcv_wake();
        assert!(!rb.congested && rb.is_empty());
    }
}
