//! `nlsim bench`: the core engine's speed and memory figures, each beside its baseline,
//! measured in the same run (median of several repetitions).

use crate::api::{Sim, SimSocket};
use crate::rtnl::link::emit;
use netlink_packet_core::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST};
use netlink_packet_route::link::{InfoKind, LinkAttribute, LinkInfo, LinkMessage};
use netlink_packet_route::RouteNetlinkMessage;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Instant;

pub mod routes;

fn send_all(fd: RawFd, buf: &[u8]) -> io::Result<()> {
    loop {
        // SAFETY: sending from a live buffer.
        let n = unsafe {
            libc::send(
                fd,
                buf.as_ptr() as *const libc::c_void,
                buf.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if n >= 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::WouldBlock {
            return Err(e);
        }
        poll(fd, libc::POLLOUT)?;
    }
}

fn poll(fd: RawFd, events: i16) -> io::Result<()> {
    let mut p = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    // SAFETY: polling one live pollfd.
    if unsafe { libc::poll(&mut p, 1, 10_000) } <= 0 {
        return Err(io::Error::new(io::ErrorKind::TimedOut, "bench: no answer"));
    }
    Ok(())
}

fn recv_one(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: receiving into a live buffer.
        let n = unsafe {
            libc::recv(
                fd,
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::WouldBlock {
            return Err(e);
        }
        poll(fd, libc::POLLIN)?;
    }
}

fn getlink_lo() -> Vec<u8> {
    let mut m = LinkMessage::default();
    m.header.index = 1;
    emit(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST, 1, 0)
}

/// Time per request/reply pair over `fd`, median of `reps` runs of `n` round trips.
fn roundtrips(fd: RawFd, req: &[u8], n: usize, reps: usize) -> io::Result<f64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut times = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        for _ in 0..n {
            send_all(fd, req)?;
            recv_one(fd, &mut buf)?;
        }
        times.push(t.elapsed().as_secs_f64() / n as f64);
    }
    Ok(median(times))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// A thread echoing every datagram back: the cost of the transport alone.
fn echo_pair() -> io::Result<OwnedFd> {
    let mut sv = [0; 2];
    // SAFETY: socketpair writes two fds into the array.
    if unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            sv.as_mut_ptr(),
        )
    } < 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned here.
    let (a, b) = unsafe { (OwnedFd::from_raw_fd(sv[0]), OwnedFd::from_raw_fd(sv[1])) };
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            // SAFETY: blocking recv/send on an owned fd with a live buffer.
            let n = unsafe {
                libc::recv(
                    b.as_raw_fd(),
                    buf.as_mut_ptr() as *mut libc::c_void,
                    buf.len(),
                    0,
                )
            };
            if n <= 0 {
                return;
            }
            // SAFETY: as above.
            if unsafe {
                libc::send(
                    b.as_raw_fd(),
                    buf.as_ptr() as *const libc::c_void,
                    n as usize,
                    libc::MSG_NOSIGNAL,
                )
            } < 0
            {
                return;
            }
        }
    });
    Ok(a)
}

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64
}

fn create_dummies(sock: &SimSocket, n: usize) -> io::Result<()> {
    create_dummies_from(sock, 0, n)
}

fn create_dummies_from(sock: &SimSocket, first: usize, n: usize) -> io::Result<()> {
    let fd = sock.as_raw_fd();
    let mut buf = vec![0u8; 64 * 1024];
    for i in first..first + n {
        let mut m = LinkMessage::default();
        m.attributes.push(LinkAttribute::IfName(format!("d{i}")));
        m.attributes
            .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(
                InfoKind::Dummy,
            )]));
        let req = emit(
            RouteNetlinkMessage::NewLink(m),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
            i as u32,
            0,
        );
        send_all(fd, &req)?;
        let len = recv_one(fd, &mut buf)?;
        // NLMSG_ERROR with error 0 is the ACK.
        if len < 20 || i32::from_ne_bytes([buf[16], buf[17], buf[18], buf[19]]) != 0 {
            return Err(io::Error::other(format!("creating d{i} failed")));
        }
    }
    Ok(())
}

/// Reads a whole RTM_GETLINK dump; returns the number of link messages.
fn dump_links(sock: &SimSocket) -> io::Result<usize> {
    let fd = sock.as_raw_fd();
    let req = emit(
        RouteNetlinkMessage::GetLink(LinkMessage::default()),
        NLM_F_REQUEST | NLM_F_DUMP,
        7,
        0,
    );
    send_all(fd, &req)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut links = 0;
    loop {
        let len = recv_one(fd, &mut buf)?;
        let mut pos = 0;
        while pos + 16 <= len {
            let mlen =
                u32::from_ne_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as usize;
            let kind = u16::from_ne_bytes([buf[pos + 4], buf[pos + 5]]);
            if kind == 3 {
                return Ok(links);
            }
            if kind == 16 {
                links += 1;
            }
            pos += (mlen.max(16) + 3) & !3;
        }
    }
}

/// Resident memory per link, measured in a fresh process so that nothing freed earlier is
/// reused: `nlsim bench --memory-child N` prints the figure.
fn memory_in_child(links: usize) -> io::Result<f64> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "--memory-child", &links.to_string()])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .map_err(|_| io::Error::other(format!("memory child said {text:?}")))
}

/// The child side: resident growth between a fresh simulator and the same one holding `links`
/// dummy links, divided by `links`.
pub fn memory_child(links: usize) -> io::Result<()> {
    let sim = Sim::builder().seed(1).start()?;
    let sock = sim.connect()?;
    create_dummies(&sock, 10)?;
    let rss0 = rss_bytes();
    create_dummies_from(&sock, 10, links)?;
    let rss1 = rss_bytes();
    println!("{:.1}", rss1.saturating_sub(rss0) as f64 / links as f64);
    Ok(())
}

/// What a client that never reads costs the simulator's process, measured in a fresh one:
/// `nlsim bench --backlog-child KIND:N` prints "RSS-before RSS-after" in bytes. KIND is
/// `getlinks` (N RTM_GETLINK requests, never read), `subscriber` (N dummies created while an
/// RTNLGRP_LINK subscriber never reads) or `alone` (the same N dummies, no subscriber: the
/// links' own memory, to subtract).
pub fn backlog_child(spec: &str) -> io::Result<()> {
    let (kind, n) = spec
        .split_once(':')
        .and_then(|(k, n)| Some((k, n.parse::<usize>().ok()?)))
        .ok_or_else(|| io::Error::other(format!("bad --backlog-child {spec:?}")))?;
    let sim = Sim::builder().seed(1).start()?;
    let sock = sim.connect()?;
    // Warm up: the allocator's arenas and the model's first links.
    create_dummies(&sock, 10)?;
    let (before, after) = match kind {
        "getlinks" => {
            let before = rss_bytes();
            let mut batch = Vec::new();
            for i in 0..1000u32 {
                let mut m = LinkMessage::default();
                m.header.index = 1;
                batch.extend(emit(RouteNetlinkMessage::GetLink(m), NLM_F_REQUEST, i, 0));
            }
            for _ in 0..n / 1000 {
                send_all(sock.as_raw_fd(), &batch)?;
            }
            // Everything handled: all but the few replies that fit were dropped.
            let want = (n - n.min(1000)) as u64;
            let t = Instant::now();
            while drops(&sock)? < want {
                if t.elapsed().as_secs() > 600 {
                    return Err(io::Error::other("bench: requests not handled"));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            (before, rss_bytes())
        }
        "subscriber" | "alone" => {
            let sub = sim.connect()?;
            if kind == "subscriber" {
                sub.bind(0, 1)?;
            }
            let before = rss_bytes();
            create_dummies_from(&sock, 10, n)?;
            (before, rss_bytes())
        }
        _ => return Err(io::Error::other(format!("bad --backlog-child {spec:?}"))),
    };
    println!("{before} {after}");
    Ok(())
}

fn drops(sock: &SimSocket) -> io::Result<u64> {
    match sock.recv_buf()? {
        crate::control::ControlReply::RecvBuf { drops, .. } => Ok(drops),
        other => Err(io::Error::other(format!("{other:?}"))),
    }
}

fn backlog_in_child(spec: &str) -> io::Result<(f64, f64)> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "--backlog-child", spec])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|w| w.parse::<f64>());
    match (it.next(), it.next()) {
        (Some(Ok(a)), Some(Ok(b))) => Ok((a, b)),
        _ => Err(io::Error::other(format!("backlog child said {text:?}"))),
    }
}

pub struct BenchOpts {
    pub links: usize,
    pub reps: usize,
}

pub fn run(opts: &BenchOpts) -> io::Result<()> {
    let n = 20_000;
    let reps = opts.reps.max(1);
    let req = getlink_lo();

    println!("# nlsim bench ({} repetitions, medians)", reps);
    let sim = Sim::builder().seed(1).start()?;
    let sock = sim.connect()?;
    let echo = echo_pair()?;
    // Warm both paths before measuring.
    roundtrips(sock.as_raw_fd(), &req, 1000, 1)?;
    roundtrips(echo.as_raw_fd(), &req, 1000, 1)?;
    let sim_rt = roundtrips(sock.as_raw_fd(), &req, n, reps)?;
    let echo_rt = roundtrips(echo.as_raw_fd(), &req, n, reps)?;
    println!(
        "round trip (RTM_GETLINK lo): nlsim {:.2} us, bare SEQPACKET echo {:.2} us, ratio {:.2} (target <= 2)",
        sim_rt * 1e6,
        echo_rt * 1e6,
        sim_rt / echo_rt
    );
    drop(sock);
    drop(sim);

    let mut create_rates = Vec::new();
    let mut dump_rates = Vec::new();
    let mut per_link = Vec::new();
    for _ in 0..reps {
        per_link.push(memory_in_child(opts.links)?);
        let sim = Sim::builder().seed(1).start()?;
        let sock = sim.connect()?;
        // Read like iproute2: a 32 KiB buffer (rtnl_recvmsg), so dump rounds are that large.
        sock.set_recv_len(32768)?;
        let t = Instant::now();
        create_dummies(&sock, opts.links)?;
        create_rates.push(opts.links as f64 / t.elapsed().as_secs_f64());
        let t = Instant::now();
        let got = dump_links(&sock)?;
        dump_rates.push(got as f64 / t.elapsed().as_secs_f64());
        if got != opts.links + 1 {
            return Err(io::Error::other(format!(
                "dump returned {got} links, expected {}",
                opts.links + 1
            )));
        }
    }
    println!(
        "create {} dummy links: {:.0} links/s",
        opts.links,
        median(create_rates)
    );
    println!(
        "dump {} links: {:.0} links/s (target >= 300000)",
        opts.links + 1,
        median(dump_rates)
    );
    println!(
        "resident memory per link: {:.0} bytes (target <= 1024)",
        median(per_link)
    );
    backlog_figures(reps)
}

/// The simulator's resident memory for clients that never read (bounded by their receive
/// buffers, 212992 bytes by default).
fn backlog_figures(reps: usize) -> io::Result<()> {
    let mib = |b: f64| b / (1024.0 * 1024.0);
    let mut runs = Vec::new();
    for _ in 0..reps {
        runs.push(backlog_in_child("getlinks:1000000")?);
    }
    let before = median(runs.iter().map(|r| r.0).collect());
    let after = median(runs.iter().map(|r| r.1).collect());
    println!(
        "1M unread RTM_GETLINK: RSS {:.1} MiB before, {:.1} MiB after (growth {:.2} MiB)",
        mib(before),
        mib(after),
        mib(after - before)
    );
    let (mut sub, mut alone) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let (b, a) = backlog_in_child("subscriber:10000")?;
        sub.push(a - b);
        let (b, a) = backlog_in_child("alone:10000")?;
        alone.push(a - b);
    }
    let (sub, alone) = (median(sub), median(alone));
    println!(
        "10k link events, subscriber never reads: RSS growth {:.2} MiB, {:.2} MiB without it (the subscriber's share {:.2} MiB)",
        mib(sub),
        mib(alone),
        mib(sub - alone)
    );
    Ok(())
}
