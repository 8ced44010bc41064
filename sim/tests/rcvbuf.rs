//! Receive buffers of in-process sockets (`Sim::connect`): what the simulator keeps for a
//! client that never reads is bounded by the socket's `sk_rcvbuf`, drops are counted, and the
//! error (`sk_err` = ENOBUFS) is read with `take_error` — an in-process socket never receives
//! marker bytes. The kernel functions each rule comes from are cited in `nlsim::rcvbuf`.

use netlink_packet_core::{NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::link::{InfoKind, LinkAttribute, LinkInfo, LinkMessage};
use netlink_packet_route::RouteNetlinkMessage;
use nlsim::control::ControlReply;
use nlsim::rtnl::link::emit;
use nlsim::{Sim, SimSocket};
use std::time::{Duration, Instant};

const RTNLGRP_LINK: u32 = 1;
const NETLINK_NO_ENOBUFS: i32 = 5;

fn getlink_lo(seq: u32) -> Vec<u8> {
    let mut m = LinkMessage::default();
    m.header.index = 1;
    emit(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST, seq, 0)
}

fn new_dummy(i: usize) -> Vec<u8> {
    let mut m = LinkMessage::default();
    m.attributes.push(LinkAttribute::IfName(format!("d{i}")));
    m.attributes
        .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(
            InfoKind::Dummy,
        )]));
    emit(
        RouteNetlinkMessage::NewLink(m),
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        i as u32,
        0,
    )
}

struct Stats {
    rcvbuf: u32,
    rmem_alloc: u64,
    drops: u64,
    backlog_bytes: u64,
}

fn stats(s: &SimSocket) -> Stats {
    match s.recv_buf().expect("recv_buf") {
        ControlReply::RecvBuf {
            rcvbuf,
            rmem_alloc,
            drops,
            backlog_bytes,
            ..
        } => Stats {
            rcvbuf,
            rmem_alloc,
            drops,
            backlog_bytes,
        },
        other => panic!("{other:?}"),
    }
}

/// Waits until the simulator has handled `total` datagrams' worth of deliveries for `s`:
/// `delivered` (counted by the caller's rule) plus the drops.
fn wait_drops(s: &SimSocket, at_least: u64) -> Stats {
    let t = Instant::now();
    loop {
        let st = stats(s);
        if st.drops >= at_least {
            return st;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "only {} drops",
            st.drops
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every datagram waiting on the socket, without blocking.
fn drain(s: &SimSocket) -> Vec<Vec<u8>> {
    let mut got = Vec::new();
    while let Ok(d) = s.recv_timeout(200) {
        got.push(d);
    }
    got
}

fn seqs(datagrams: &[Vec<u8>], kind: u16) -> Vec<u32> {
    let mut out = Vec::new();
    for d in datagrams {
        let mut off = 0;
        while off + 16 <= d.len() {
            let len = u32::from_ne_bytes(d[off..off + 4].try_into().unwrap()) as usize;
            let ty = u16::from_ne_bytes(d[off + 4..off + 6].try_into().unwrap());
            let seq = u32::from_ne_bytes(d[off + 8..off + 12].try_into().unwrap());
            if ty == kind {
                out.push(seq);
            }
            off += (len.max(16) + 3) & !3;
        }
    }
    out
}

/// 20 000 RTM_GETLINK requests never read: the replies that fit (the first always does) are
/// kept, the rest dropped (`netlink_attachskb` with timeo 0 → `netlink_overrun`), so the
/// simulator's backlog stays within the receive buffer; the error is ENOBUFS once, and every
/// request is accounted for (kept + dropped).
#[test]
fn unread_replies_keep_the_backlog_within_the_receive_buffer() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let s = sim.connect().unwrap();
    // __sock_set_rcvbuf: max(2 * 4096, SOCK_MIN_RCVBUF).
    assert_eq!(s.set_rcvbuf(4096, false).unwrap(), 8192);
    let n = 20_000u32;
    // 100 requests per datagram: netlink_rcv_skb answers each message in turn.
    for batch in 0..n / 100 {
        let mut d = Vec::new();
        for i in 1..=100 {
            d.extend(getlink_lo(batch * 100 + i));
        }
        s.send(&d).unwrap();
    }
    let st = wait_drops(&s, u64::from(n) - 8);
    assert_eq!(st.rcvbuf, 8192);
    // What is kept never exceeds the buffer by more than the one datagram an empty queue
    // always takes; nothing waits in the server beyond that.
    assert!(st.rmem_alloc <= 8192, "rmem_alloc {}", st.rmem_alloc);
    assert!(st.backlog_bytes <= 8192, "backlog {}", st.backlog_bytes);
    assert_eq!(
        s.take_error().unwrap().map(|e| e.raw_os_error()),
        Some(Some(libc::ENOBUFS))
    );
    assert!(s.take_error().unwrap().is_none(), "sock_error clears it");
    let got = drain(&s);
    let kept = seqs(&got, 16);
    // As the kernel kept them (golden/rcvbuf/kernel-6.12/nlbufs-raw.txt, `flood 200 4096`).
    assert_eq!(kept, vec![1, 2, 3]);
    assert_eq!(kept.len() as u64 + stats(&s).drops, u64::from(n));
    // The marker is for supervisors only: every datagram here is netlink.
    assert!(got.iter().all(|d| d.len() >= 16));
}

/// A subscriber to RTNLGRP_LINK that never reads while 1 000 dummies are created:
/// `netlink_broadcast_deliver` keeps what fits, the rest is dropped with one ENOBUFS; the
/// creator's ACKs are unaffected. Once the subscriber has read everything (the queue is empty,
/// `netlink_rcv_wake` clears CONGESTED) it gets later notifications again.
#[test]
fn a_subscriber_that_never_reads_stays_bounded_and_recovers() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let sub = sim.connect().unwrap();
    sub.bind(0, 1 << (RTNLGRP_LINK - 1)).unwrap();
    let maker = sim.connect().unwrap();
    for i in 0..1000 {
        maker.send(&new_dummy(i)).unwrap();
        let ack = maker.recv_timeout(5000).unwrap();
        assert_eq!(&ack[16..20], &0i32.to_ne_bytes(), "d{i}");
    }
    let st = stats(&sub);
    assert_eq!(st.rcvbuf, nlsim::rcvbuf::RMEM_DEFAULT);
    assert!(st.rmem_alloc <= u64::from(st.rcvbuf), "{}", st.rmem_alloc);
    assert!(st.backlog_bytes <= u64::from(st.rcvbuf));
    assert!(st.drops > 0);
    assert_eq!(
        sub.take_error().unwrap().map(|e| e.raw_os_error()),
        Some(Some(libc::ENOBUFS))
    );
    let got = drain(&sub);
    let n = seqs(&got, 16).len() as u64;
    assert_eq!(n + st.drops, 1000, "every notification kept or dropped");
    // Each notification is charged 2304 (alloc_skb of ~1.2 KB): as many as fit in 212992.
    assert_eq!(n, 212_992 / 2304);
    maker.send(&new_dummy(5000)).unwrap();
    maker.recv_timeout(5000).unwrap();
    let later = sub.recv_timeout(5000).unwrap();
    assert_eq!(
        seqs(&[later], 16).len(),
        1,
        "delivered again after draining"
    );
}

/// NETLINK_NO_ENOBUFS: overruns still drop and count (`sk_drops`) but raise no error.
#[test]
fn no_enobufs_drops_without_an_error() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let s = sim.connect().unwrap();
    s.setsockopt(NETLINK_NO_ENOBUFS, 1).unwrap();
    s.set_rcvbuf(0, false).unwrap();
    let mut d = Vec::new();
    for i in 1..=50 {
        d.extend(getlink_lo(i));
    }
    s.send(&d).unwrap();
    let st = wait_drops(&s, 40);
    assert!(st.drops < 50);
    assert!(s.take_error().unwrap().is_none());
}

/// A zero-length datagram on the connection is not its end: the simulator answers nothing and
/// serves the next request. (A kernel netlink socket refuses the empty send with ENODATA,
/// which `SimSocket::send` does too; a client writing to the fd itself gets it through.)
#[test]
fn a_zero_length_datagram_does_not_close_the_socket() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let s = sim.connect().unwrap();
    assert_eq!(
        s.send(&[]).unwrap_err().raw_os_error(),
        Some(libc::ENODATA),
        "netlink_sendmsg"
    );
    // SAFETY: a zero-length send on a live fd.
    assert_eq!(
        unsafe { libc::send(s.as_raw_fd(), [0u8; 1].as_ptr() as _, 0, 0) },
        0
    );
    s.send(&getlink_lo(9)).unwrap();
    let got = s.recv_timeout(5000).unwrap();
    assert_eq!(seqs(&[got], 16), vec![9]);
    assert!(
        s.recv_timeout(200).is_err(),
        "no answer to the empty datagram"
    );
}

/// A datagram far larger than the old 256 KiB read buffer: 1 MiB of RTM_GETLINK requests, the
/// receive buffer forced large enough (or as large as SO_RCVBUF allows) and read concurrently,
/// one reply per message.
#[test]
fn a_one_mib_datagram_is_read_whole() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let s = sim.connect().unwrap();
    let fd = s.as_raw_fd();
    let want: i32 = 4 << 20;
    for opt in [libc::SO_SNDBUFFORCE, libc::SO_SNDBUF] {
        // SAFETY: setsockopt from a live int.
        let r = unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                opt,
                &want as *const i32 as *const libc::c_void,
                4,
            )
        };
        if r == 0 {
            break;
        }
    }
    let mut sndbuf: i32 = 0;
    let mut len = 4 as libc::socklen_t;
    // SAFETY: getsockopt into a live int.
    unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            &mut sndbuf as *mut i32 as *mut libc::c_void,
            &mut len,
        )
    };
    let rcvbuf = s
        .set_rcvbuf(64 << 20, true)
        .or_else(|_| s.set_rcvbuf(64 << 20, false))
        .unwrap();
    let room = (1usize << 20).min(sndbuf as usize - 32);
    let count = (room / 32) as u32;
    let mut d = Vec::with_capacity(room);
    for i in 1..=count {
        d.extend(getlink_lo(i));
    }
    let reader = {
        let fd = s.as_raw_fd();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            let mut got = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(60);
            while got.len() < count as usize && Instant::now() < deadline {
                let mut p = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: poll/recv on a live fd with live buffers.
                let n = unsafe {
                    libc::poll(&mut p, 1, 1000);
                    libc::recv(fd, buf.as_mut_ptr() as _, buf.len(), libc::MSG_DONTWAIT)
                };
                if n > 0 {
                    got.extend(seqs(&[buf[..n as usize].to_vec()], 16));
                }
            }
            got
        })
    };
    assert_eq!(s.send(&d).unwrap(), d.len());
    let got = reader.join().unwrap();
    let drops = stats(&s).drops;
    assert_eq!(
        got.len() as u64 + drops,
        u64::from(count),
        "sndbuf {sndbuf} rcvbuf {rcvbuf}"
    );
    assert!(got.windows(2).all(|w| w[0] < w[1]), "in order");
    if rcvbuf >= 64 << 20 {
        // Forced: everything fits, nothing is dropped.
        assert_eq!(drops, 0);
        assert_eq!(d.len(), 1 << 20);
    }
}

/// A dump into a small receive buffer: `netlink_dump` fills a datagram only while the buffer
/// has room and `netlink_recvmsg` continues it once the reader has drained it to half, so at
/// most one datagram waits at a time, and the dump still completes as the client reads.
#[test]
fn a_dump_waits_for_the_reader_and_completes() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let maker = sim.connect().unwrap();
    for i in 0..300 {
        maker.send(&new_dummy(i)).unwrap();
        maker.recv_timeout(5000).unwrap();
    }
    let s = sim.connect().unwrap();
    // SOCK_MIN_RCVBUF = TCP_SKB_MIN_TRUESIZE (include/net/sock.h).
    assert_eq!(s.set_rcvbuf(0, false).unwrap(), 2304, "SOCK_MIN_RCVBUF");
    s.set_recv_len(32768).unwrap();
    let mut m = LinkMessage::default();
    m.header.index = 0;
    let dump = emit(
        RouteNetlinkMessage::GetLink(m),
        NLM_F_REQUEST | netlink_packet_core::NLM_F_DUMP,
        3,
        0,
    );
    s.send(&dump).unwrap();
    let mut links = 0;
    let mut rounds = 0;
    loop {
        std::thread::sleep(Duration::from_millis(5));
        // Nothing beyond one dump datagram (charged 33024 for a 32448-byte allocation) waits.
        let st = stats(&s);
        assert!(st.rmem_alloc <= 33024, "round {rounds}: {}", st.rmem_alloc);
        let d = s.recv_timeout(5000).expect("the dump goes on as we read");
        rounds += 1;
        links += seqs(std::slice::from_ref(&d), 16).len();
        if !seqs(&[d], 3).is_empty() {
            break;
        }
    }
    assert_eq!(links, 301);
    assert!(rounds > 2, "{rounds} rounds");
    assert_eq!(stats(&s).drops, 0, "a dump waits, it never drops");
}

/// A dump requested while the buffer is full: the first `netlink_dump` round finds no room,
/// `__netlink_dump_start` returns -ENOBUFS and `netlink_rcv_skb` ACKs that (the ACK itself does
/// not fit either: an overrun, ENOBUFS), yet the dump stays running (`cb_running`) and a later
/// receive continues it: the reader gets its earlier reply, then the whole dump.
#[test]
fn a_dump_started_into_a_full_buffer_continues_once_read() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let s = sim.connect().unwrap();
    assert_eq!(s.set_rcvbuf(0, false).unwrap(), 2304);
    s.send(&getlink_lo(1)).unwrap();
    // The reply is queued (an empty queue takes anything); wait until it is.
    let t = Instant::now();
    while stats(&s).rmem_alloc == 0 {
        assert!(t.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut m = LinkMessage::default();
    m.header.index = 0;
    s.send(&emit(
        RouteNetlinkMessage::GetLink(m),
        NLM_F_REQUEST | netlink_packet_core::NLM_F_DUMP,
        2,
        0,
    ))
    .unwrap();
    let st = wait_drops(&s, 1);
    assert_eq!(st.drops, 1, "the -ENOBUFS ACK of the dump request");
    assert_eq!(
        s.take_error().unwrap().map(|e| e.raw_os_error()),
        Some(Some(libc::ENOBUFS))
    );
    let got = drain(&s);
    assert_eq!(
        seqs(&got, 16),
        vec![1, 2],
        "lo's reply, then lo in the dump"
    );
    assert_eq!(seqs(&got, 3), vec![2], "the dump ends with NLMSG_DONE");
    assert!(seqs(&got, 2).is_empty(), "no ACK arrived");
}

/// Requests are carried out even when their ACKs are dropped (the kernel runs the request,
/// then `netlink_ack` → `nlmsg_unicast` finds no room): 50 dummies created with the ACKs left
/// unread at SOCK_MIN_RCVBUF; the kernel kept ACKs 1 and 2 (896 each) and all 50 links exist
/// (golden/rcvbuf/kernel-6.12/nlbufs-raw.txt, `nlbufs create 50`).
#[test]
fn requests_whose_acks_are_dropped_still_happen() {
    let sim = Sim::builder().seed(1).start().unwrap();
    let s = sim.connect().unwrap();
    assert_eq!(s.set_rcvbuf(0, false).unwrap(), 2304);
    for i in 1..=50 {
        s.send(&new_dummy(i)).unwrap();
    }
    wait_drops(&s, 48);
    assert_eq!(
        s.take_error().unwrap().map(|e| e.raw_os_error()),
        Some(Some(libc::ENOBUFS))
    );
    let got = drain(&s);
    assert_eq!(seqs(&got, 2), vec![1, 2], "the ACKs that fit");
    let state = sim.dump_state().unwrap().to_string();
    for i in 1..=50 {
        assert!(state.contains(&format!("\"d{i}\"")), "d{i} exists");
    }
}
