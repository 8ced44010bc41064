//! In-process dump and route-get speed, over a simulator socket read the way iproute2 reads
//! (32 KiB buffer, so dump datagrams are filled to `max_recvmsg_len`):
//!
//!   cargo run --release -p nlsim --example bench_dump -- [ROUTES] [ADDRS_PER_DEV] [DEVS] [RUNS]
//!
//! Defaults: 100 000 IPv4 routes via one gateway, 10 addresses on each of 1 000 dummies, 5 runs.
//! Prints the median, min and max of each figure; the kernel side of the same figures is
//! `examples/bench-scale.sh`.

use nlsim::api::{Sim, SimSocket};
use std::io;
use std::time::Instant;

const NLM_F_REQUEST: u16 = 1;
const NLM_F_ACK: u16 = 4;
const NLM_F_DUMP: u16 = 0x300;
const NLM_F_CREATE: u16 = 0x400;
const NLM_F_EXCL: u16 = 0x200;
const RTM_NEWLINK: u16 = 16;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
const RTM_NEWROUTE: u16 = 24;
const RTM_GETROUTE: u16 = 26;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;

fn attr(out: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    let len = 4 + payload.len();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(payload);
    out.resize(out.len() + ((len + 3) & !3) - len, 0);
}

fn message(out: &mut Vec<u8>, kind: u16, flags: u16, seq: u32, body: &[u8]) {
    out.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&seq.to_ne_bytes());
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(body);
}

/// `struct ifinfomsg` + IFLA_IFNAME + IFLA_LINKINFO { IFLA_INFO_KIND "dummy" }, up.
fn newlink_dummy(name: &str) -> Vec<u8> {
    let mut b = vec![0u8; 16];
    // ifi_flags / ifi_change: IFF_UP.
    b[8..12].copy_from_slice(&1u32.to_ne_bytes());
    b[12..16].copy_from_slice(&1u32.to_ne_bytes());
    let mut n = name.as_bytes().to_vec();
    n.push(0);
    attr(&mut b, 3, &n);
    let mut info = Vec::new();
    attr(&mut info, 1, b"dummy\0");
    attr(&mut b, 18, &info);
    b
}

fn newaddr4(ifindex: u32, a: [u8; 4], plen: u8) -> Vec<u8> {
    let mut b = vec![2, plen, 0, 0];
    b.extend_from_slice(&ifindex.to_ne_bytes());
    attr(&mut b, 2, &a);
    attr(&mut b, 1, &a);
    b
}

fn rtmsg(dst_len: u8, table: u8, protocol: u8, kind: u8) -> Vec<u8> {
    vec![2, dst_len, 0, 0, table, protocol, 0, kind, 0, 0, 0, 0]
}

fn newroute(dst: [u8; 4], gw: [u8; 4]) -> Vec<u8> {
    let mut b = rtmsg(24, 254, 3, 1);
    attr(&mut b, 1, &dst);
    attr(&mut b, 5, &gw);
    b
}

fn getroute(dst: [u8; 4]) -> Vec<u8> {
    let mut b = rtmsg(32, 0, 0, 0);
    attr(&mut b, 1, &dst);
    b
}

/// Sends the requests in datagrams of 64 and checks every ACK is 0.
fn batch(sock: &SimSocket, reqs: &[(u16, Vec<u8>)]) -> io::Result<()> {
    let mut buf = vec![0u8; 32768];
    for (i, chunk) in reqs.chunks(64).enumerate() {
        let mut dgram = Vec::new();
        for (j, (kind, body)) in chunk.iter().enumerate() {
            let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
            message(&mut dgram, *kind, flags, (i * 64 + j) as u32, body);
        }
        sock.send(&dgram)?;
        let mut acks = 0;
        while acks < chunk.len() {
            let d = recv(sock, &mut buf)?;
            for (kind, m) in messages(d) {
                if kind == NLMSG_ERROR {
                    let err = i32::from_ne_bytes([m[16], m[17], m[18], m[19]]);
                    if err != 0 {
                        return Err(io::Error::other(format!("request failed: {err}")));
                    }
                    acks += 1;
                }
            }
        }
    }
    Ok(())
}

/// One datagram into a reused 32 KiB buffer, as iproute2 reads (`SimSocket::recv_timeout`
/// zeroes a fresh 1 MiB buffer per call, which would dominate the figures).
fn recv<'b>(sock: &SimSocket, buf: &'b mut [u8]) -> io::Result<&'b [u8]> {
    loop {
        // SAFETY: receiving into a live buffer.
        let n = unsafe {
            libc::recv(
                sock.as_raw_fd(),
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n >= 0 {
            return Ok(&buf[..n as usize]);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::WouldBlock {
            return Err(e);
        }
        let mut p = libc::pollfd {
            fd: sock.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: polling one live pollfd.
        if unsafe { libc::poll(&mut p, 1, 10_000) } <= 0 {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "no answer"));
        }
    }
}

fn messages(d: &[u8]) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 16 <= d.len() {
        let len = u32::from_ne_bytes([d[pos], d[pos + 1], d[pos + 2], d[pos + 3]]) as usize;
        let kind = u16::from_ne_bytes([d[pos + 4], d[pos + 5]]);
        let end = (pos + len.max(16)).min(d.len());
        out.push((kind, &d[pos..end]));
        pos += (len.max(16) + 3) & !3;
    }
    out
}

/// One dump; the number of messages of `kind` it carried.
fn dump(sock: &SimSocket, kind: u16, family: u8, want: u16) -> io::Result<usize> {
    let mut req = Vec::new();
    let body = if kind == RTM_GETROUTE {
        vec![family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    } else {
        vec![family, 0, 0, 0, 0, 0, 0, 0]
    };
    message(&mut req, kind, NLM_F_REQUEST | NLM_F_DUMP, 7, &body);
    sock.send(&req)?;
    let mut n = 0;
    let mut buf = vec![0u8; 32768];
    loop {
        let d = recv(sock, &mut buf)?;
        for (k, _) in messages(d) {
            if k == NLMSG_DONE {
                return Ok(n);
            }
            if k == want {
                n += 1;
            }
        }
    }
}

fn stats(name: &str, unit: &str, count: usize, mut secs: Vec<f64>) {
    secs.sort_by(|a, b| a.total_cmp(b));
    let med = secs[secs.len() / 2];
    let rate = |s: f64| count as f64 / s;
    println!(
        "{name}: median {:.4} s ({:.0} {unit}/s), min {:.4} s ({:.0}/s), max {:.4} s ({:.0}/s), {} runs",
        med,
        rate(med),
        secs[0],
        rate(secs[0]),
        secs[secs.len() - 1],
        rate(secs[secs.len() - 1]),
        secs.len()
    );
}

fn main() -> io::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap_or(0))
        .collect();
    let routes = args.first().copied().unwrap_or(100_000);
    let per_dev = args.get(1).copied().unwrap_or(10);
    let devs = args.get(2).copied().unwrap_or(1000);
    let runs = args.get(3).copied().unwrap_or(5).max(1);

    let sim = Sim::builder().start()?;
    let sock = sim.connect()?;
    // iproute2's rtnl_recvmsg buffer: dump rounds fill up to it.
    sock.set_recv_len(32768)?;
    batch(
        &sock,
        &[
            (RTM_NEWLINK, newlink_dummy("r0")),
            (RTM_NEWADDR, newaddr4(2, [192, 0, 2, 1], 24)),
        ],
    )?;
    let dst = |i: usize| [1 + (i >> 16) as u8, (i >> 8) as u8, i as u8, 0];
    let reqs: Vec<_> = (0..routes)
        .map(|i| (RTM_NEWROUTE, newroute(dst(i), [192, 0, 2, 254])))
        .collect();
    let t = Instant::now();
    batch(&sock, &reqs)?;
    println!(
        "loaded {routes} routes in {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let mut secs = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let n = dump(&sock, RTM_GETROUTE, 2, RTM_NEWROUTE)?;
        secs.push(t.elapsed().as_secs_f64());
        // The table's routes plus the connected /24 of 192.0.2.1.
        if n < routes {
            return Err(io::Error::other(format!("dump gave {n} routes")));
        }
    }
    stats("route dump (AF_INET)", "routes", routes, secs);

    let gets = 10_000;
    let mut secs = Vec::new();
    let mut buf = vec![0u8; 32768];
    for _ in 0..runs {
        let t = Instant::now();
        for i in 0..gets {
            let mut req = Vec::new();
            let mut d = dst((i * 7919) % routes.max(1));
            d[3] = 7;
            message(
                &mut req,
                RTM_GETROUTE,
                NLM_F_REQUEST,
                i as u32,
                &getroute(d),
            );
            sock.send(&req)?;
            let a = recv(&sock, &mut buf)?;
            if messages(a).first().map(|m| m.0) != Some(RTM_NEWROUTE) {
                return Err(io::Error::other("route get failed"));
            }
        }
        secs.push(t.elapsed().as_secs_f64());
    }
    secs.iter_mut().for_each(|s| *s /= gets as f64);
    secs.sort_by(|a, b| a.total_cmp(b));
    println!(
        "route get round trip: median {:.2} us, min {:.2} us, max {:.2} us",
        secs[secs.len() / 2] * 1e6,
        secs[0] * 1e6,
        secs[secs.len() - 1] * 1e6
    );

    let links: Vec<_> = (0..devs)
        .map(|d| (RTM_NEWLINK, newlink_dummy(&format!("a{d}"))))
        .collect();
    batch(&sock, &links)?;
    let addrs: Vec<_> = (0..devs)
        .flat_map(|d| {
            (0..per_dev).map(move |k| {
                let a = [10, (d >> 8) as u8, d as u8, k as u8 + 1];
                // r0 is ifindex 2, the a* dummies follow.
                (RTM_NEWADDR, newaddr4(3 + d as u32, a, 32))
            })
        })
        .collect();
    batch(&sock, &addrs)?;
    let mut secs = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let n = dump(&sock, RTM_GETADDR, 2, RTM_NEWADDR)?;
        secs.push(t.elapsed().as_secs_f64());
        if n < addrs.len() {
            return Err(io::Error::other(format!("dump gave {n} addresses")));
        }
    }
    stats("address dump (AF_INET)", "addresses", addrs.len(), secs);
    Ok(())
}
