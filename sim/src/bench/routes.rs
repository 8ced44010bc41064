//! `nlsim bench routes`: the IPv4 FIB at scale through the real request path. Encoded
//! RTM_NEWROUTE requests (`ip route add P/24 via G`, one ACKed request at a time as `ip -batch`
//! sends them) go to an in-process simulator, then one RTM_GETROUTE dump reads them back. Each
//! repetition runs in a fresh process so that its resident memory starts from nothing freed.

use super::{median, recv_one, rss_bytes, send_all};
use crate::api::{Sim, SimSocket};
use crate::rtnl::addr::policy::{IFA_ADDRESS, IFA_LOCAL};
use crate::rtnl::addr::RTM_NEWADDR;
use crate::rtnl::msgtype::RTM_NEWLINK;
use crate::rtnl::route::policy::{RTA_DST, RTA_GATEWAY};
use crate::rtnl::{self, link::emit, Outcome, SockCtx};
use crate::wire::ack::SockAckFlags;
use crate::wire::consts::{
    NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};
use crate::wire::raw::{put_attr, split_messages};
use kernel_model::inet::fib::uapi::{rtn, rtprot, table};
use kernel_model::inet::fib::view::AF_INET;
use kernel_model::uapi::iff;
use kernel_model::Kernel;
use netlink_packet_route::link::{InfoKind, LinkAttribute, LinkInfo, LinkMessage};
use netlink_packet_route::RouteNetlinkMessage;
use std::io;
use std::net::Ipv4Addr;
use std::time::Instant;

const RTM_NEWROUTE: u16 = 24;
const RTM_GETROUTE: u16 = 26;
const NLM_F_CREATE_EXCL: u16 = NLM_F_CREATE | NLM_F_EXCL;

/// The device the routes leave through: the first link after `lo`, `d0`.
const DEV_INDEX: u32 = 2;
const DEV_ADDR: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const GATEWAY: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 254);

/// What one fresh process measured.
#[derive(Debug, Clone, Copy)]
struct ChildFigures {
    load_us: f64,
    dump_us: f64,
    bytes_per_route: f64,
    /// Resident growth over requests that change nothing (EEXIST), per request.
    bytes_per_idle_request: f64,
    /// The same load and dump through `rtnl::handle` alone, no sockets.
    handler_load_us: f64,
    handler_dump_us: f64,
}

/// A netlink message: header, fixed part, attributes.
fn message(kind: u16, flags: u16, seq: u32, fixed: &[u8], attrs: &[u8]) -> Vec<u8> {
    let len = 16 + fixed.len() + attrs.len();
    let mut m = Vec::with_capacity(len);
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&kind.to_ne_bytes());
    m.extend_from_slice(&flags.to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    m.extend_from_slice(fixed);
    m.extend_from_slice(attrs);
    m
}

/// `struct rtmsg` of a main-table unicast route as `ip route add` sends it.
fn rtmsg(dst_len: u8) -> [u8; 12] {
    [
        AF_INET,
        dst_len,
        0,
        0,
        table::MAIN as u8,
        rtprot::BOOT,
        0,
        rtn::UNICAST,
        0,
        0,
        0,
        0,
    ]
}

/// The i-th route of the table: consecutive /24s from 1.0.0.0, skipping 192.0.0.0/8 (the
/// gateway's) and stopping before multicast space, as `examples/bench-scale.sh` does.
fn route_prefix(i: usize) -> io::Result<Ipv4Addr> {
    let mut first = 1 + i / 65536;
    if first >= 192 {
        first += 1;
    }
    if first >= 224 {
        return Err(io::Error::other(
            "bench: too many routes for 1.0.0.0-223.255.255.0/24",
        ));
    }
    Ok(Ipv4Addr::new(
        first as u8,
        (i / 256 % 256) as u8,
        (i % 256) as u8,
        0,
    ))
}

fn newroute(seq: u32, dst: Ipv4Addr) -> Vec<u8> {
    let mut attrs = Vec::with_capacity(16);
    put_attr(&mut attrs, RTA_DST, &dst.octets());
    put_attr(&mut attrs, RTA_GATEWAY, &GATEWAY.octets());
    message(
        RTM_NEWROUTE,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE_EXCL,
        seq,
        &rtmsg(24),
        &attrs,
    )
}

/// Sends one request and reads its ACK: the errno it carries (0 for success).
fn request(sock: &SimSocket, req: &[u8], buf: &mut [u8]) -> io::Result<i32> {
    send_all(sock.as_raw_fd(), req)?;
    let len = recv_one(sock.as_raw_fd(), buf)?;
    ack_errno(&buf[..len])
}

fn must(what: &str, errno: i32) -> io::Result<()> {
    match errno {
        0 => Ok(()),
        e => Err(io::Error::other(format!(
            "bench: {what} failed with errno {e}"
        ))),
    }
}

/// `ip link add d0 type dummy; ip link set d0 up; ip addr add 192.0.2.1/24 dev d0`.
fn setup_requests() -> Vec<(&'static str, Vec<u8>)> {
    let mut link = LinkMessage::default();
    link.attributes.push(LinkAttribute::IfName("d0".into()));
    link.attributes
        .push(LinkAttribute::LinkInfo(vec![LinkInfo::Kind(
            InfoKind::Dummy,
        )]));
    let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE_EXCL;
    let add = emit(RouteNetlinkMessage::NewLink(link), flags, 1, 0);
    let mut ifi = [0u8; 16];
    ifi[4..8].copy_from_slice(&DEV_INDEX.to_ne_bytes());
    ifi[8..12].copy_from_slice(&iff::UP.to_ne_bytes());
    ifi[12..16].copy_from_slice(&iff::UP.to_ne_bytes());
    let up = message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 2, &ifi, &[]);
    let mut ifa = [AF_INET, 24, 0, 0, 0, 0, 0, 0];
    ifa[4..8].copy_from_slice(&DEV_INDEX.to_ne_bytes());
    let mut attrs = Vec::new();
    put_attr(&mut attrs, IFA_LOCAL, &DEV_ADDR.octets());
    put_attr(&mut attrs, IFA_ADDRESS, &DEV_ADDR.octets());
    let addr = message(RTM_NEWADDR, flags, 3, &ifa, &attrs);
    vec![
        ("link add d0 type dummy", add),
        ("link set d0 up", up),
        ("address add 192.0.2.1/24", addr),
    ]
}

fn setup(sock: &SimSocket, buf: &mut [u8]) -> io::Result<()> {
    for (what, req) in setup_requests() {
        must(what, request(sock, &req, buf)?)?;
    }
    Ok(())
}

/// The errno an ACK datagram carries (0 for success).
fn ack_errno(d: &[u8]) -> io::Result<i32> {
    if d.len() < 20 || u16::from_ne_bytes([d[4], d[5]]) != NLMSG_ERROR {
        return Err(io::Error::other("bench: expected an ACK"));
    }
    Ok(-i32::from_ne_bytes([d[16], d[17], d[18], d[19]]))
}

/// The same requests handed to the request handler directly (`rtnl::handle`, the
/// notifications taken and dropped as with no listener): the model's own cost without the
/// socket round trip. Returns µs per route for the load and the dump.
fn handler_only(reqs: &[Vec<u8>]) -> io::Result<(f64, f64)> {
    let mut k = Kernel::new(1);
    let ctx = SockCtx {
        portid: 1,
        ack: SockAckFlags::default(),
        strict_chk: false,
        netns: k.init_net(),
        pid: std::process::id(),
        max_recvmsg_len: 32768,
    };
    let one = |k: &mut Kernel, req: &[u8]| -> io::Result<i32> {
        let mut errno = 0;
        for msg in split_messages(req) {
            if let Outcome::Reply(d) = rtnl::handle(k, &ctx, &msg, false) {
                errno = ack_errno(d.first().map_or(&[][..], |d| &d[..]))?;
            }
            k.take_events();
        }
        Ok(errno)
    };
    for (what, req) in setup_requests() {
        must(what, one(&mut k, &req)?)?;
    }
    let t = Instant::now();
    for r in reqs {
        must("route add", one(&mut k, r)?)?;
    }
    let load = t.elapsed().as_secs_f64();
    let dump_req = message(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 3, &rtmsg(0), &[]);
    let t = Instant::now();
    let mut bytes = 0;
    for msg in split_messages(&dump_req) {
        if let Outcome::Dump(mut d) = rtnl::handle(&mut k, &ctx, &msg, false) {
            while let Some(chunk) = d.next_chunk(&k, &ctx) {
                bytes += chunk.len();
            }
        }
    }
    let dump = t.elapsed().as_secs_f64();
    if bytes < reqs.len() * 28 {
        return Err(io::Error::other("bench: the handler's dump is short"));
    }
    let n = reqs.len().max(1) as f64;
    Ok((load * 1e6 / n, dump * 1e6 / n))
}

/// Reads a whole IPv4 RTM_GETROUTE dump; returns the number of route messages.
fn dump_routes(sock: &SimSocket, buf: &mut [u8]) -> io::Result<usize> {
    let req = message(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 3, &rtmsg(0), &[]);
    send_all(sock.as_raw_fd(), &req)?;
    let mut routes = 0;
    loop {
        let len = recv_one(sock.as_raw_fd(), buf)?;
        let mut pos = 0;
        while pos + 16 <= len {
            let mlen =
                u32::from_ne_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as usize;
            match u16::from_ne_bytes([buf[pos + 4], buf[pos + 5]]) {
                NLMSG_DONE => return Ok(routes),
                NLMSG_ERROR => return Err(io::Error::other("bench: the route dump failed")),
                RTM_NEWROUTE => routes += 1,
                _ => {}
            }
            pos += (mlen.max(16) + 3) & !3;
        }
    }
}

/// The child side (`nlsim bench routes --child N`): loads N routes into a fresh simulator,
/// dumps them, and prints "load-µs/route dump-µs/route bytes/route bytes/idle-request".
pub fn child(routes: usize) -> io::Result<()> {
    let sim = Sim::builder().seed(1).start()?;
    let sock = sim.connect()?;
    // Read like iproute2: a 32 KiB buffer (rtnl_recvmsg), so dump rounds are that large.
    sock.set_recv_len(32768)?;
    let mut buf = vec![0u8; 64 * 1024];
    setup(&sock, &mut buf)?;
    // The routes the address brought (local, broadcast, prefix).
    let own = dump_routes(&sock, &mut buf)?;
    let reqs: Vec<Vec<u8>> = (0..routes)
        .map(|i| Ok(newroute(i as u32 + 10, route_prefix(i)?)))
        .collect::<io::Result<_>>()?;
    let rss0 = rss_bytes();
    let t = Instant::now();
    for r in &reqs {
        must("route add", request(&sock, r, &mut buf)?)?;
    }
    let load = t.elapsed().as_secs_f64();
    let rss1 = rss_bytes();
    // Requests that change nothing (each route again: EEXIST) must not cost memory.
    let idle = routes.min(100_000);
    for r in &reqs[..idle] {
        if request(&sock, r, &mut buf)? != libc::EEXIST {
            return Err(io::Error::other(
                "bench: a second add did not fail with EEXIST",
            ));
        }
    }
    let rss2 = rss_bytes();
    let t = Instant::now();
    let got = dump_routes(&sock, &mut buf)?;
    let dump = t.elapsed().as_secs_f64();
    if got != routes + own {
        return Err(io::Error::other(format!(
            "bench: dump returned {got} routes, expected {}",
            routes + own
        )));
    }
    let n = routes.max(1) as f64;
    print!(
        "{:.3} {:.3} {:.1} {:.2} ",
        load * 1e6 / n,
        dump * 1e6 / got as f64,
        rss1.saturating_sub(rss0) as f64 / n,
        rss2.saturating_sub(rss1) as f64 / idle.max(1) as f64
    );
    drop(sock);
    drop(sim);
    let (handler_load, handler_dump) = handler_only(&reqs)?;
    println!("{handler_load:.3} {handler_dump:.3}");
    Ok(())
}

fn in_child(routes: usize) -> io::Result<ChildFigures> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "routes", "--child", &routes.to_string()])
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<f64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match v[..] {
        [load_us, dump_us, bytes_per_route, bytes_per_idle_request, handler_load_us, handler_dump_us] => {
            Ok(ChildFigures {
                load_us,
                dump_us,
                bytes_per_route,
                bytes_per_idle_request,
                handler_load_us,
                handler_dump_us,
            })
        }
        _ => Err(io::Error::other(format!(
            "route bench child said {text:?} ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
    }
}

/// "median (min … max)" of one figure over the runs.
fn spread(runs: &[ChildFigures], f: impl Fn(&ChildFigures) -> f64, prec: usize) -> String {
    let v: Vec<f64> = runs.iter().map(f).collect();
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{:.prec$} ({min:.prec$} .. {max:.prec$})", median(v))
}

/// `nlsim bench routes`: `reps` fresh processes of `routes` routes each.
pub fn run(routes: usize, reps: usize) -> io::Result<()> {
    let reps = reps.max(1);
    println!("# nlsim bench routes: {routes} IPv4 routes via one gateway, {reps} runs, median (min .. max)");
    let mut runs = Vec::new();
    for _ in 0..reps {
        runs.push(in_child(routes)?);
    }
    type Figure = fn(&ChildFigures) -> f64;
    let rows: [(&str, Figure, usize, &str); 6] = [
        ("load (RTM_NEWROUTE + ACK)", |r| r.load_us, 2, "us/route"),
        ("dump (RTM_GETROUTE)", |r| r.dump_us, 3, "us/route"),
        (
            "load, handler alone",
            |r| r.handler_load_us,
            2,
            "us/route (no socket)",
        ),
        (
            "dump, handler alone",
            |r| r.handler_dump_us,
            3,
            "us/route (no socket)",
        ),
        (
            "resident memory",
            |r| r.bytes_per_route,
            0,
            "bytes/route (target <= 200)",
        ),
        (
            "requests changing nothing",
            |r| r.bytes_per_idle_request,
            2,
            "bytes/request (EEXIST adds)",
        ),
    ];
    for (what, figure, prec, unit) in rows {
        println!("{what:<26} {} {unit}", spread(&runs, figure, prec));
    }
    Ok(())
}
