//! AF_INET6 link messages and `ip token` (net/ipv6/addrconf.c, Linux 6.12).
//!
//! Expected answers: the token errors and their order are the oracle's
//! (golden/kernel/6.12/inet6-link.txt CMD[11]-[24], [39]); the message layout is the one a
//! real kernel sent (Linux 6.18 in `unshare -rn`, raw RTM_GETLINK dump of family AF_INET6,
//! reviewed by hand: ifinfomsg family 10, IFLA_IFNAME, IFLA_ADDRESS, IFLA_MTU, IFLA_LINK for a
//! veth, IFLA_OPERSTATE, then IFLA_PROTINFO without NLA_F_NESTED holding FLAGS 4 bytes,
//! CACHEINFO 16, CONF (240 there: 6.18 has 60 devconf entries, 6.12's 59 make 236),
//! STATS 304, ICMP6STATS 56, TOKEN 16 (::1:2:3:4 after `ip token set ::1:2:3:4`),
//! ADDR_GEN_MODE 1); the notifications follow `inet6_ifinfo_notify`'s callers.

mod request_support;

use nlsim::kernel_model::{Event, Kernel, LinkInfoRequest, LinkRequest, NewLinkFlags};
use nlsim::rtnl;
use nlsim::wire::raw::split_messages;
use request_support::{attr, message, NLA_F_NESTED};

const RTM_GETLINK: u16 = 18;
const RTM_SETLINK: u16 = 19;
const NLM_F_REQUEST_ACK: u16 = 0x1 | 0x4;
const NLM_F_REQUEST_DUMP: u16 = 0x1 | 0x300;
const IFLA_AF_SPEC: u16 = 26;
const AF_INET6: u8 = 10;
const IFLA_INET6_TOKEN: u16 = 7;

fn create(k: &mut Kernel, kind: &str, name: &str) {
    let req = LinkRequest {
        nlm: NewLinkFlags {
            create: true,
            excl: true,
            replace: false,
        },
        ifname: Some(name.to_string()),
        linkinfo: Some(LinkInfoRequest {
            kind: Some(kind.to_string()),
            ..LinkInfoRequest::default()
        }),
        ..LinkRequest::default()
    };
    k.newlink(k.init_net(), &req).expect("device created");
}

fn ifindex(k: &Kernel, name: &str) -> i32 {
    let id = k.dev_by_name(k.init_net(), name).expect("device exists");
    k.dev(id).ifindex as i32
}

/// `ip token set TOKEN dev IFINDEX`: RTM_SETLINK AF_INET6 with IFLA_AF_SPEC { AF_INET6 {
/// IFLA_INET6_TOKEN } }.
fn token_set(ifindex: i32, token: [u8; 16]) -> Vec<u8> {
    let inet6 = attr(IFLA_INET6_TOKEN, &token);
    let af = attr(u16::from(AF_INET6) | NLA_F_NESTED, &inet6);
    let mut body = vec![0u8; 16];
    body[0] = AF_INET6;
    body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    body.extend(attr(IFLA_AF_SPEC | NLA_F_NESTED, &af));
    message(RTM_SETLINK, NLM_F_REQUEST_ACK, &body)
}

fn token(low: u16) -> [u8; 16] {
    let mut t = [0u8; 16];
    t[14..].copy_from_slice(&low.to_be_bytes());
    t
}

/// The AF_INET6 RTM_GETLINK dump's messages.
fn dump6(k: &Kernel) -> Vec<Vec<u8>> {
    let mut body = vec![0u8; 16];
    body[0] = AF_INET6;
    let req = message(RTM_GETLINK, NLM_F_REQUEST_DUMP, &body);
    let msg = split_messages(&req).next().expect("one message");
    rtnl::inet6_link::dump_messages(k, &request_support::sock_ctx(k), &msg).expect("dump")
}

/// (type, payload) of each attribute in `b`.
fn attrs(mut b: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    while b.len() >= 4 {
        let len = u16::from_ne_bytes([b[0], b[1]]) as usize;
        let kind = u16::from_ne_bytes([b[2], b[3]]);
        out.push((kind, b[4..len].to_vec()));
        b = &b[((len + 3) & !3).min(b.len())..];
    }
    out
}

#[test]
fn token_checks_come_in_the_kernels_order() {
    let mut k = Kernel::new(7);
    create(&mut k, "dummy", "d0");
    create(&mut k, "bridge", "br0");
    let ans = |k: &mut Kernel, name: &str, t| {
        let i = ifindex(k, name);
        request_support::answer(k, &token_set(i, token(t)))
    };
    let einval = |m: &str| (-libc::EINVAL, Some(m.to_string()));
    assert_eq!(ans(&mut k, "lo", 5), einval("ipv6: Device is loopback"));
    assert_eq!(
        ans(&mut k, "d0", 5),
        einval("ipv6: Device does not do neighbour discovery")
    );
    let ns = k.init_net();
    let write = |k: &mut Kernel, path: &str, v: &str| {
        k.sysctl_write(ns, path, v.as_bytes(), 0).expect("sysctl");
    };
    write(&mut k, "ipv6/conf/br0/accept_ra", "0");
    let ra_off = einval("ipv6: Router advertisement is disabled on device");
    assert_eq!(ans(&mut k, "br0", 5), ra_off);
    // ipv6_accept_ra: with forwarding only accept_ra=2 accepts.
    write(&mut k, "ipv6/conf/br0/accept_ra", "2");
    write(&mut k, "ipv6/conf/br0/forwarding", "1");
    assert_eq!(ans(&mut k, "br0", 5), (0, None));
    write(&mut k, "ipv6/conf/br0/accept_ra", "1");
    assert_eq!(ans(&mut k, "br0", 6), ra_off);
    write(&mut k, "ipv6/conf/br0/forwarding", "0");
    write(&mut k, "ipv6/conf/br0/router_solicitations", "0");
    // NL_SET_ERR_MSG: no module prefix for this one.
    assert_eq!(
        ans(&mut k, "br0", 7),
        einval("Router solicitation is disabled on device")
    );
    // Below IPV6_MIN_MTU the inet6_dev is gone: EAFNOSUPPORT, no message.
    write(&mut k, "ipv6/conf/br0/router_solicitations", "-1");
    let i = ifindex(&k, "br0");
    let mtu = LinkRequest {
        ifindex: i,
        mtu: Some(1200),
        ..LinkRequest::default()
    };
    k.setlink(ns, &mtu).expect("mtu");
    assert_eq!(ans(&mut k, "br0", 8), (-libc::EAFNOSUPPORT, None));
}

#[test]
fn the_dump_has_the_kernels_layout_and_the_token_low_64_bits() {
    let mut k = Kernel::new(7);
    create(&mut k, "bridge", "br0");
    let i = ifindex(&k, "br0");
    let mut t = [0u8; 16];
    for (n, b) in t.iter_mut().enumerate() {
        *b = n as u8 + 1;
    }
    assert_eq!(request_support::answer(&mut k, &token_set(i, t)), (0, None));
    let msgs = dump6(&k);
    assert_eq!(msgs.len(), 2, "lo and br0");
    let br = &msgs[1];
    // nlmsghdr: RTM_NEWLINK, NLM_F_MULTI; ifinfomsg: AF_INET6, ARPHRD_ETHER, ifindex.
    assert_eq!(u16::from_ne_bytes([br[4], br[5]]), 16);
    assert_eq!(u16::from_ne_bytes([br[6], br[7]]), 2);
    assert_eq!(br[16], AF_INET6);
    assert_eq!(u16::from_ne_bytes([br[18], br[19]]), 1);
    assert_eq!(i32::from_ne_bytes([br[20], br[21], br[22], br[23]]), i);
    let top = attrs(&br[32..]);
    let kinds: Vec<u16> = top.iter().map(|(t, _)| *t).collect();
    assert_eq!(kinds, [3, 1, 4, 16, 12]);
    assert_eq!(top[0].1, b"br0\0");
    assert_eq!(top[2].1, 1500u32.to_ne_bytes());
    let inner = attrs(&top[4].1);
    let layout: Vec<(u16, usize)> = inner.iter().map(|(t, v)| (*t, v.len())).collect();
    assert_eq!(
        layout,
        [
            (1, 4),
            (5, 16),
            (2, 236),
            (3, 304),
            (6, 56),
            (7, 16),
            (8, 1)
        ]
    );
    // Only the low 64 bits of the token are kept (oracle CMD[8]-[9]).
    let mut want = [0u8; 16];
    want[8..].copy_from_slice(&t[8..]);
    assert_eq!(inner[5].1, want);
    assert_eq!(br.len(), 16 + 16 + 8 + 12 + 8 + 8 + 4 + 664);
}

#[test]
fn ifinfo_notifications_follow_the_kernels_callers() {
    let mut k = Kernel::new(7);
    create(&mut k, "bridge", "br0");
    let ns = k.init_net();
    let count = |k: &mut Kernel| {
        k.take_events()
            .iter()
            .filter(|e| matches!(e, Event::Inet6Ifinfo { .. }))
            .count()
    };
    assert_eq!(count(&mut k), 0, "creation sends none");
    let i = ifindex(&k, "br0");
    request_support::answer(&mut k, &token_set(i, token(9)));
    // request_support::answer drops the events: repeat through the model.
    let req = LinkRequest {
        ifindex: i,
        inet6_token: Some(token(10)),
        ..LinkRequest::default()
    };
    k.setlink(ns, &req).expect("token");
    assert_eq!(count(&mut k), 1, "inet6_set_iftoken");
    k.sysctl_write(ns, "ipv6/neigh/br0/retrans_time_ms", b"2000", 0)
        .expect("sysctl");
    assert_eq!(count(&mut k), 1, "ndisc_ifinfo_sysctl_change");
    k.sysctl_write(ns, "ipv6/neigh/br0/mcast_solicit", b"5", 0)
        .expect("sysctl");
    assert_eq!(count(&mut k), 0, "other neigh files notify nothing");
    k.sysctl_write(ns, "ipv4/neigh/br0/retrans_time_ms", b"2000", 0)
        .expect("sysctl");
    assert_eq!(count(&mut k), 0, "nor the IPv4 ones");
    // A fresh bridge without ports keeps its carrier (oper UNKNOWN, as the oracle's
    // bridge-updown shows): up, it is ready at once (NETDEV_UP).
    let up = LinkRequest {
        ifindex: i,
        ifi_flags: nlsim::kernel_model::uapi::iff::UP,
        ifi_change: nlsim::kernel_model::uapi::iff::UP,
        ..LinkRequest::default()
    };
    k.setlink(ns, &up).expect("up");
    k.linkwatch_run_queue();
    assert_eq!(count(&mut k), 1, "NETDEV_UP of a ready link");
    // veth_newlink names the peer veth%d. One end up while the other is down has no
    // carrier: not ready, addrconf stops early.
    create(&mut k, "veth", "v0");
    let up_v0 = LinkRequest {
        ifindex: ifindex(&k, "v0"),
        ..up.clone()
    };
    k.setlink(ns, &up_v0).expect("up");
    k.linkwatch_run_queue();
    assert_eq!(count(&mut k), 0, "not ready");
    // The peer up: its NETDEV_UP, and v0's NETDEV_CHANGE once linkwatch runs.
    let up_peer = LinkRequest {
        ifindex: ifindex(&k, "veth0"),
        ..up.clone()
    };
    k.setlink(ns, &up_peer).expect("up");
    k.linkwatch_run_queue();
    assert_eq!(count(&mut k), 2, "each end once it is configured");
}
