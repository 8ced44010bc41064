//! RTM_GETMULTICAST / RTM_GETANYCAST dumps of AF_INET6 (`inet6_dump_ifmcaddr`,
//! `inet6_dump_ifacaddr` through `inet6_dump_addr` and `in6_dump_addrs`, net/ipv6/addrconf.c):
//! one message per entry of each device's `idev->mc_list` / `idev->ac_list`, filled by
//! `inet6_fill_ifmcaddr` / `inet6_fill_ifacaddr`. 6.12 registers them for PF_INET6 only, so
//! AF_INET and AF_UNSPEC requests find no handler and get EOPNOTSUPP (measured:
//! golden/scenarios/maddr.sh).

use super::policy::IFA_CACHEINFO;
use super::{dump_devices, ReqError};
use crate::rtnl::reply::SockCtx;
use crate::wire::raw::{put_attr, RawMessage};
use kernel_model::inet::ifaddr::{cstamp_delta, INFINITY_LIFE_TIME};
use kernel_model::time::Nanos;
use kernel_model::{DevId, Kernel};
use std::net::Ipv6Addr;

pub const RTM_GETMULTICAST: u16 = 58;
pub const RTM_GETANYCAST: u16 = 62;
/// IFA_ANYCAST, IFA_MULTICAST (include/uapi/linux/if_addr.h).
const IFA_ANYCAST: u16 = 5;
const IFA_MULTICAST: u16 = 7;
const IFA_F_PERMANENT: u8 = 0x80;
const AF_INET6: u8 = 10;
/// RT_SCOPE_SITE.
const RT_SCOPE_SITE: u8 = 200;

/// `ipv6_addr_scope(addr) & IFA_SITE`: only site-local unicast (fec0::/10) and site-scope
/// multicast (ffx5::) carry IPV6_ADDR_SITELOCAL.
fn site_scoped(a: &Ipv6Addr) -> bool {
    let o = a.octets();
    if o[0] == 0xff {
        o[1] & 0x0f == 0x05
    } else {
        o[0] == 0xfe && o[1] & 0xc0 == 0xc0
    }
}

/// Which list a dump walks: the message type it answers with and the address attribute.
#[derive(Clone, Copy)]
struct List {
    event: u16,
    attr: u16,
}

/// `inet6_fill_ifmcaddr` / `inet6_fill_ifacaddr`: ifaddrmsg (128, IFA_F_PERMANENT, scope,
/// ifindex), the address, then cacheinfo with infinite lifetimes and the entry's creation
/// time as both stamps. `hdr` is (flags, seq, portid).
fn fill(list: List, addr: &Ipv6Addr, ifindex: u32, stamp: Nanos, hdr: (u16, u32, u32)) -> Vec<u8> {
    let mut out = vec![0u8; 16];
    let scope = if site_scoped(addr) { RT_SCOPE_SITE } else { 0 };
    out.extend_from_slice(&[AF_INET6, 128, IFA_F_PERMANENT, scope]);
    out.extend_from_slice(&ifindex.to_ne_bytes());
    put_attr(&mut out, list.attr, &addr.octets());
    let ci: Vec<u8> = [
        INFINITY_LIFE_TIME,
        INFINITY_LIFE_TIME,
        cstamp_delta(stamp),
        cstamp_delta(stamp),
    ]
    .iter()
    .flat_map(|x| x.to_ne_bytes())
    .collect();
    put_attr(&mut out, IFA_CACHEINFO, &ci);
    super::encode::finish_header(&mut out, list.event, hdr.0, hdr.1, hdr.2);
    out
}

/// `inet6_dump_addr` for one list: the devices to walk (strict checking may name one).
fn dump(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
    entries: impl Fn(DevId) -> Vec<(Ipv6Addr, Nanos)>,
    list: List,
) -> Result<Vec<Vec<u8>>, ReqError> {
    let (ids, flags) = dump_devices(k, sock, msg, true)?;
    let hdr = (flags, msg.header.seq, sock.portid);
    let mut out = Vec::new();
    for id in ids {
        let ifindex = k.dev(id).ifindex;
        for (addr, stamp) in entries(id) {
            out.push(fill(list, &addr, ifindex, stamp, hdr));
        }
    }
    Ok(out)
}

/// RTM_GETMULTICAST dump of AF_INET6 (`inet6_dump_ifmcaddr`).
pub fn dump_mc(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Result<Vec<Vec<u8>>, ReqError> {
    let list = |id| {
        k.ipv6_mc_list(id)
            .into_iter()
            .map(|g| (g.addr, g.cstamp))
            .collect()
    };
    dump(
        k,
        sock,
        msg,
        list,
        List {
            event: RTM_GETMULTICAST,
            attr: IFA_MULTICAST,
        },
    )
}

/// RTM_GETANYCAST dump of AF_INET6 (`inet6_dump_ifacaddr`).
pub fn dump_ac(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Result<Vec<Vec<u8>>, ReqError> {
    let list = |id| {
        if !k.dev(id).inet.in6 {
            return Vec::new();
        }
        k.in6_dev_anycast(id)
            .iter()
            .map(|a| (a.addr, a.cstamp))
            .collect()
    };
    dump(
        k,
        sock,
        msg,
        list,
        List {
            event: RTM_GETANYCAST,
            attr: IFA_ANYCAST,
        },
    )
}
