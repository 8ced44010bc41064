//! gre, gretap (net/ipv4/ip_gre.c on the net/ipv4/ip_tunnel.c library) and ip6gre, ip6gretap
//! (net/ipv6/ip6_gre.c), as in Debian's 6.12.117, the oracle's kernel (`ip6gre_calc_hlen`
//! differs from 6.12.33 there: the hard header length of an ip6gre without remote is `t_hlen`).
//!
//! * Identity: every kind has its tunnel table per namespace (`ipgre_net_id`, `gre_tap_net_id`,
//!   and `ip6gre_net_id` shared by ip6gre and ip6gretap); a new tunnel whose parameters another
//!   one of the same table and `dev->type` has is refused with EEXIST (`ip_tunnel_find`,
//!   `ip6gre_tunnel_find`), and only one externally controlled (`external`) tunnel per table
//!   exists (`collect_md_tun`). The table of a namespace is the set of tunnels of the kind whose
//!   `tunnel->net` it is: a tunnel moved to another namespace stays in the table of the one it
//!   was created in (TUNNEL-NETNS: `ip_tunnel_newlink`, `ip_tunnel_changelink`,
//!   `ip6gre_changelink` look up `net_generic(tunnel->net, ...)`; nothing rehashes it on a move).
//! * No upper/lower link: a tunnel's `dev` is a number (`parms.link`, reported as IFLA_LINK by
//!   `ip_tunnel_get_iflink`); deleting that device leaves the tunnel with a dangling link
//!   (GRE-DEL-LOWER).
//! * Fallback devices: with `net.core.fb_tunnels_only_for_init_net=0` (the kernel default) the
//!   modules create gre0, gretap0, erspan0 and ip6gre0 in every namespace (`ip_tunnel_init_net`,
//!   `ip6gre_init_net`, MOD-GRE-FB). nlsim models the oracle's setting 2: no fallback tunnels
//!   anywhere, so the tables start empty and `ip link add gre1 type gre` is the first device.
//! * Routes are not modelled (addresses are not either): the route lookups of
//!   `ip_tunnel_bind_dev`, `ipgre_open` and `ip6gre_tnl_link_config_route` find only what a
//!   kernel without addresses finds ([`ip_route_output`]).
//! * FOU/GUE encapsulation (`ip_tunnel_encap_setup` with a type other than none) depends on the
//!   fou module: refused as not modelled.
//! * erspan (ip_gre.c, its own table `erspan_net_id`) and ip6erspan (ip6_gre.c, in the ip6gre
//!   table with its own external slot `collect_md_tun_erspan`) are GRE taps with the ERSPAN
//!   rules of [`super::erspan`].

use super::dummy::eth_hw_addr_random;
use super::erspan::{self, ErspanParms};
use super::ip_tunnel::{destroy_tunnels_of, netlink_encap, TunnelEncap};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{addr_assign, arphrd, errno, iff, DEFAULT_TX_QUEUE_LEN, ETH_ALEN, ETH_MIN_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// GRE header flag bits (`GRE_*`, include/net/gre.h), host order of the `__be16`.
pub mod gre_flag {
    pub const CSUM: u16 = 0x8000;
    pub const ROUTING: u16 = 0x4000;
    pub const KEY: u16 = 0x2000;
    pub const SEQ: u16 = 0x1000;
    pub const STRICT: u16 = 0x0800;
    pub const REC: u16 = 0x0700;
    pub const VERSION: u16 = 0x0007;
}

/// `IP6_TNL_F_*` (include/uapi/linux/ip6_tunnel.h, include/net/ip6_tunnel.h).
pub mod ip6_tnl_flag {
    pub const IGN_ENCAP_LIMIT: u32 = 0x1;
    pub const CAP_XMIT: u32 = 0x10000;
    pub const CAP_RCV: u32 = 0x20000;
    pub const CAP_PER_PACKET: u32 = 0x40000;
}

/// `IP_MAX_MTU`.
pub const IP_MAX_MTU: u32 = 0xffff;
/// `IP6_MAX_MTU` (0xFFFF + sizeof(struct ipv6hdr)).
pub const IP6_MAX_MTU: u32 = 0xffff + 40;
/// `IPV4_MIN_MTU`.
pub const IPV4_MIN_MTU: u32 = 68;
/// `IPV6_MIN_MTU`.
pub const IPV6_MIN_MTU: u32 = 1280;
/// `ETH_HLEN`: the hard header length `ether_setup` gives the tap kinds.
pub const ETH_HLEN: u32 = 14;
/// `IP_TNL_HASH_BITS`.
const IP_TNL_HASH_BITS: u32 = 7;
/// `ETH_DATA_LEN`.
const ETH_DATA_LEN: u32 = 1500;

/// The four GRE kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GreKind {
    Gre,
    GreTap,
    Ip6Gre,
    Ip6GreTap,
    Erspan,
    Ip6Erspan,
}

impl GreKind {
    fn kind(self) -> Kind {
        match self {
            GreKind::Gre => Kind::GRE,
            GreKind::GreTap => Kind::GRETAP,
            GreKind::Ip6Gre => Kind::IP6GRE,
            GreKind::Ip6GreTap => Kind::IP6GRETAP,
            GreKind::Erspan => Kind::ERSPAN,
            GreKind::Ip6Erspan => Kind::IP6ERSPAN,
        }
    }
    pub fn is_v6(self) -> bool {
        matches!(
            self,
            GreKind::Ip6Gre | GreKind::Ip6GreTap | GreKind::Ip6Erspan
        )
    }
    /// ARPHRD_ETHER (`ether_setup`): gretap, ip6gretap, erspan, ip6erspan.
    pub fn is_tap(self) -> bool {
        !matches!(self, GreKind::Gre | GreKind::Ip6Gre)
    }
    pub fn is_erspan(self) -> bool {
        matches!(self, GreKind::Erspan | GreKind::Ip6Erspan)
    }
    /// The kinds sharing one tunnel table (`net_generic(net, ..._net_id)`).
    fn same_table(self, other: Kind) -> bool {
        match self {
            GreKind::Gre | GreKind::GreTap | GreKind::Erspan => other == self.kind(),
            GreKind::Ip6Gre | GreKind::Ip6GreTap | GreKind::Ip6Erspan => {
                [Kind::IP6GRE, Kind::IP6GRETAP, Kind::IP6ERSPAN].contains(&other)
            }
        }
    }
}

/// IFLA_INFO_DATA of the GRE kinds (`ipgre_policy`, `ip6gre_policy`); keys, flags, ports and
/// the flow label in host order of their big-endian attributes. `None`: attribute absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GreData {
    pub link: Option<u32>,
    pub iflags: Option<u16>,
    pub oflags: Option<u16>,
    pub ikey: Option<u32>,
    pub okey: Option<u32>,
    pub local: Option<IpAddr>,
    pub remote: Option<IpAddr>,
    pub ttl: Option<u8>,
    pub tos: Option<u8>,
    pub pmtudisc: Option<u8>,
    pub encap_limit: Option<u8>,
    pub flowinfo: Option<u32>,
    pub flags: Option<u32>,
    pub encap_type: Option<u16>,
    pub encap_flags: Option<u16>,
    pub encap_sport: Option<u16>,
    pub encap_dport: Option<u16>,
    pub collect_metadata: bool,
    pub ignore_df: Option<u8>,
    pub fwmark: Option<u32>,
    #[serde(default)]
    pub erspan_index: Option<u32>,
    #[serde(default)]
    pub erspan_ver: Option<u8>,
    #[serde(default)]
    pub erspan_dir: Option<u8>,
    #[serde(default)]
    pub erspan_hwid: Option<u16>,
}

/// `struct ip_tunnel_parm_kern` / `struct __ip6_tnl_parm` as far as rtnetlink sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TnlParms {
    pub link: u32,
    /// GRE flags as `gre_tnl_flags_to_gre_flags` gives them back.
    pub i_flags: u16,
    pub o_flags: u16,
    pub i_key: u32,
    pub o_key: u32,
    pub local: IpAddr,
    pub remote: IpAddr,
    /// `iph.ttl` / `hop_limit`.
    pub ttl: u8,
    pub tos: u8,
    /// `iph.frag_off & IP_DF` (IFLA_GRE_PMTUDISC).
    pub pmtudisc: bool,
    pub encap_limit: u8,
    pub flowinfo: u32,
    /// `__ip6_tnl_parm.flags` (IP6_TNL_F_*), capability bits included.
    pub flags: u32,
    pub fwmark: u32,
    /// ip6gre keeps `collect_md` in its parms.
    pub collect_md: bool,
}

impl TnlParms {
    /// A zeroed `struct __ip6_tnl_parm` / `ip_tunnel_parm_kern` of the given family.
    pub(crate) fn zero(v6: bool) -> Self {
        let any = if v6 {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        };
        TnlParms {
            link: 0,
            i_flags: 0,
            o_flags: 0,
            i_key: 0,
            o_key: 0,
            local: any,
            remote: any,
            ttl: 0,
            tos: 0,
            pmtudisc: false,
            encap_limit: 0,
            flowinfo: 0,
            flags: 0,
            fwmark: 0,
            collect_md: false,
        }
    }
}

/// `struct ip_tunnel_encap`.
pub type Encap = TunnelEncap;

/// `struct ip_tunnel` / `struct ip6_tnl` as far as rtnetlink sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GreState {
    pub kind: GreKind,
    pub parms: TnlParms,
    /// `t->collect_md` (IPv4; ip6gre keeps it in `parms`).
    pub collect_md: bool,
    pub ignore_df: bool,
    pub encap: Encap,
    /// `tunnel->hlen`: GRE header plus encapsulation (always none here).
    pub hlen: u32,
    /// `dev->header_ops` set (ip6gre without remote): the hard header follows `t_hlen`.
    pub header_ops: bool,
    /// This tunnel is the table's `collect_md_tun`.
    pub md_tun: bool,
    /// erspan / ip6erspan: the ERSPAN version and its fields.
    #[serde(default)]
    pub erspan: ErspanParms,
    /// `tunnel->net` (`ip_tunnel_init` / `ip6gre_tunnel_init`: `dev_net(dev)` at
    /// registration), kept when the device moves (`ip_tunnel_get_link_net`); `None` in
    /// states saved before namespaces existed (then the device's own).
    #[serde(default)]
    pub net: Option<NetnsId>,
}

/// What `ipgre_fill_info` / `ip6gre_fill_info` report.
pub type GreInfo = GreState;

fn state(d: &NetDevice) -> Option<&GreState> {
    d.state.downcast_ref::<GreState>()
}

/// `tunnel->net`: the namespace whose table holds the tunnel (the device's own for a state
/// saved before namespaces existed).
fn tunnel_net(d: &NetDevice) -> NetnsId {
    state(d).and_then(|s| s.net).unwrap_or(d.netns)
}

/// The table `net_generic(ns, ...)` of `gk`: the tunnels of its kinds whose `tunnel->net` is
/// `ns`, wherever the devices are now.
fn table(k: &Kernel, ns: NetnsId, gk: GreKind) -> impl Iterator<Item = &NetDevice> + '_ {
    k.all_devices()
        .filter(move |d| gk.same_table(d.kind) && tunnel_net(d) == ns)
}

fn st(k: &Kernel, id: DevId) -> &GreState {
    state(k.dev(id)).expect("model invariant: GRE state on a GRE device")
}

fn st_mut(k: &mut Kernel, id: DevId) -> &mut GreState {
    match k.dev_mut(id).state.downcast_mut::<GreState>() {
        Some(s) => s,
        None => unreachable!("model invariant: GRE state on a GRE device"),
    }
}

fn data_of(req: &LinkRequest) -> Option<&GreData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<GreData>()
}

/// `gre_flags_to_tnl_flags` followed by `gre_tnl_flags_to_gre_flags`: the bits a tunnel keeps
/// (ACK and the reserved bits are dropped, any REC or VERSION bit becomes all of them).
pub fn tnl_flags(f: u16) -> u16 {
    use gre_flag::*;
    let mut r = f & (CSUM | ROUTING | KEY | SEQ | STRICT);
    if f & REC != 0 {
        r |= REC;
    }
    if f & VERSION != 0 {
        r |= VERSION;
    }
    r
}

/// `tunnel->hlen`: `gre_calc_hlen` of the output flags, or the ERSPAN header length
/// (`erspan_tunnel_init`, `ip6erspan_calc_hlen`).
fn tunnel_hlen(s: &GreState) -> u32 {
    if s.kind.is_erspan() {
        erspan::hlen(s.kind.is_v6(), &s.erspan)
    } else {
        gre_calc_hlen(s.parms.o_flags)
    }
}

/// `gre_calc_hlen`.
pub fn gre_calc_hlen(o_flags: u16) -> u32 {
    use gre_flag::*;
    4 + [CSUM, KEY, SEQ]
        .iter()
        .filter(|b| o_flags & **b != 0)
        .count() as u32
        * 4
}

/// An IPv4 address or key as the CPU of the oracle (x86_64, little-endian) reads the `__be32`.
fn raw_be32(host: u32) -> u32 {
    u32::from_le_bytes(host.to_be_bytes())
}

fn v4(a: IpAddr) -> Ipv4Addr {
    match a {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => Ipv4Addr::UNSPECIFIED,
    }
}

pub(crate) fn v6(a: IpAddr) -> Ipv6Addr {
    match a {
        IpAddr::V6(a) => a,
        IpAddr::V4(_) => Ipv6Addr::UNSPECIFIED,
    }
}

/// `hash_32(key ^ remote, IP_TNL_HASH_BITS)` of `ip_bucket`.
fn ip_bucket(p: &TnlParms) -> u32 {
    let d = v4(p.remote);
    let remote = if !d.is_unspecified() && !d.is_multicast() {
        u32::from_le_bytes(d.octets())
    } else {
        0
    };
    (raw_be32(p.i_key) ^ remote).wrapping_mul(0x61C8_8647) >> (32 - IP_TNL_HASH_BITS)
}

/// `ip_tunnel_key_match`.
fn ip_tunnel_key_match(t: &TnlParms, flags: u16, key: u32) -> bool {
    if flags & gre_flag::KEY == 0 {
        return t.i_flags & gre_flag::KEY == 0;
    }
    t.i_flags & gre_flag::KEY != 0 && t.i_key == key
}

/// `ip_tunnel_find` / `ip6gre_tunnel_find`: a tunnel of the table with these parameters and
/// this `dev->type` (the first match, newest first like the kernel's hash chains).
fn tunnel_find(k: &Kernel, ns: NetnsId, gk: GreKind, p: &TnlParms, dev_type: u16) -> Option<DevId> {
    let bucket = (!gk.is_v6()).then(|| ip_bucket(p));
    table(k, ns, gk)
        .filter_map(|d| state(d).map(|s| (d, s)))
        .filter(|(d, s)| {
            let t = &s.parms;
            if gk.is_v6() {
                t.local == p.local
                    && t.remote == p.remote
                    && t.i_key == p.i_key
                    && t.link == p.link
                    && d.dev_type == dev_type
            } else {
                bucket == Some(ip_bucket(t))
                    && t.local == p.local
                    && t.remote == p.remote
                    && t.link == p.link
                    && d.dev_type == dev_type
                    && ip_tunnel_key_match(t, p.i_flags, p.i_key)
            }
        })
        .map(|(d, _)| d.id)
        .max_by_key(|id| id.0)
}

/// The tunnels of the table sharing `gk`'s external slot (ip6erspan has its own,
/// `collect_md_tun_erspan`).
fn md_slot(k: &Kernel, ns: NetnsId, gk: GreKind) -> impl Iterator<Item = &NetDevice> + '_ {
    table(k, ns, gk).filter(move |d| (d.kind == Kind::IP6ERSPAN) == (gk == GreKind::Ip6Erspan))
}

/// Whether the table has a `collect_md_tun`.
fn collect_md_tun(k: &Kernel, ns: NetnsId, gk: GreKind) -> bool {
    md_slot(k, ns, gk).any(|d| state(d).is_some_and(|s| s.md_tun))
}

/// `rcu_assign_pointer(itn->collect_md_tun, t or NULL)`.
fn set_collect_md_tun(k: &mut Kernel, id: DevId, on: bool) {
    let (ns, gk) = (tunnel_net(k.dev(id)), st(k, id).kind);
    let tunnels: Vec<DevId> = md_slot(k, ns, gk).map(|d| d.id).collect();
    for t in tunnels {
        if let Some(s) = k.dev_mut(t).state.downcast_mut::<GreState>() {
            s.md_tun = on && t == id;
        }
    }
}

/// `ip_tunnel_add`.
fn tunnel_add(k: &mut Kernel, id: DevId) {
    let s = st(k, id);
    if s.collect_md || s.parms.collect_md {
        set_collect_md_tun(k, id, true);
    }
}

/// `ip_tunnel_del` / `ip6gre_tunnel_unlink_md`: the table forgets its external tunnel when an
/// external tunnel leaves, whichever one the table pointed at.
fn tunnel_del(k: &mut Kernel, id: DevId) {
    let s = st(k, id);
    if s.collect_md || s.parms.collect_md {
        set_collect_md_tun(k, id, false);
    }
}

/// The device `ip_route_output_key` / `rt6_lookup` resolve to in a namespace without
/// addresses or routes: with an output interface (`oif`) that is up, the destination is
/// assumed on link (`ip_route_output_key_hash_rcu`); the unspecified IPv4 destination is local
/// (`net->loopback_dev`, even while lo is down); loopback destinations are local once lo is up
/// (its 127.0.0.1/8 and ::1 then exist). Anything else has no route.
pub(crate) fn ip_route_output(k: &Kernel, ns: NetnsId, daddr: IpAddr, oif: u32) -> Option<DevId> {
    let lo = k.dev_by_index(ns, 1);
    let mut dev_out = None;
    if oif != 0 {
        let d = k.dev_by_index(ns, oif)?;
        if k.dev(d).flags & iff::UP == 0 {
            return None;
        }
        dev_out = Some(d);
    }
    match daddr {
        IpAddr::V4(a) if a.is_unspecified() => return lo,
        IpAddr::V4(a) if a.is_loopback() && lo.is_some_and(|l| k.dev(l).is_running()) => return lo,
        IpAddr::V6(a) if a.is_loopback() && lo.is_some_and(|l| k.dev(l).is_running()) => return lo,
        IpAddr::V6(_) => return None,
        _ => {}
    }
    dev_out
}

/// `ipv6_addr_type` bits the tunnel code tests.
mod addr_type {
    pub const ANY: u32 = 0x0000;
    pub const UNICAST: u32 = 0x0001;
    pub const MULTICAST: u32 = 0x0002;
    pub const LOOPBACK: u32 = 0x0010;
    pub const LINKLOCAL: u32 = 0x0020;
    pub const SITELOCAL: u32 = 0x0040;
    pub const MAPPED: u32 = 0x1000;
}

/// `__ipv6_addr_type` (net/ipv6/addrconf_core.c), the type bits without the scope.
pub(crate) fn ipv6_addr_type(a: &Ipv6Addr) -> u32 {
    use addr_type::*;
    let o = a.octets();
    let st = u32::from_be_bytes([o[0], o[1], o[2], o[3]]);
    if st & 0xE000_0000 != 0 && st & 0xE000_0000 != 0xE000_0000 {
        return UNICAST;
    }
    if st & 0xFF00_0000 == 0xFF00_0000 {
        // ipv6_addr_scope2type(IPV6_ADDR_MC_SCOPE(addr))
        return MULTICAST
            | match o[1] & 0x0f {
                0x1 => LOOPBACK,
                0x2 => LINKLOCAL,
                0x5 => SITELOCAL,
                _ => 0,
            };
    }
    if st & 0xFFC0_0000 == 0xFE80_0000 {
        return LINKLOCAL | UNICAST;
    }
    if st & 0xFFC0_0000 == 0xFEC0_0000 {
        return SITELOCAL | UNICAST;
    }
    if st & 0xFE00_0000 == 0xFC00_0000 {
        return UNICAST;
    }
    let w = |i: usize| u32::from_be_bytes([o[i], o[i + 1], o[i + 2], o[i + 3]]);
    if w(0) | w(4) == 0 {
        if w(8) == 0 {
            if w(12) == 0 {
                return ANY;
            }
            if w(12) == 1 {
                return LOOPBACK | UNICAST;
            }
            return UNICAST;
        }
        if w(8) == 0x0000_ffff {
            return MAPPED;
        }
    }
    UNICAST
}

/// `ip6_tnl_get_cap`.
pub(crate) fn ip6_tnl_get_cap(p: &TnlParms) -> u32 {
    use addr_type::*;
    let lt = ipv6_addr_type(&v6(p.local));
    let rt = ipv6_addr_type(&v6(p.remote));
    let mut flags = 0;
    if lt == ANY || rt == ANY {
        flags = ip6_tnl_flag::CAP_PER_PACKET;
    } else if lt & (UNICAST | MULTICAST) != 0
        && rt & (UNICAST | MULTICAST) != 0
        && (lt | rt) & LOOPBACK == 0
        && ((lt | rt) & LINKLOCAL == 0 || p.link != 0)
    {
        if lt & UNICAST != 0 {
            flags |= ip6_tnl_flag::CAP_XMIT;
        }
        if rt & UNICAST != 0 {
            flags |= ip6_tnl_flag::CAP_RCV;
        }
    }
    flags
}

/// `ipgre_netlink_encap_parms` / `ip6gre_netlink_encap_parms`.
fn refuse_encap(data: &GreData) -> KResult<Option<Encap>> {
    netlink_encap(
        [
            data.encap_type,
            data.encap_flags,
            data.encap_sport,
            data.encap_dport,
        ],
        "GRE FOU/GUE encapsulation",
    )
}

/// `ipgre_netlink_parms`: the parameters, plus what it changes on the tunnel on the way
/// (`collect_md`, the ARPHRD_NONE type, `ignore_df`), even when it fails afterwards.
fn ipgre_netlink_parms(dev: &mut NetDevice, data: &GreData, fwmark: &mut u32) -> KResult<TnlParms> {
    let mut p = TnlParms::zero(false);
    let Some(t) = dev.state.downcast_mut::<GreState>() else {
        return err(errno::EINVAL);
    };
    link_and_keys(data, &mut p);
    if let Some(a) = data.local {
        p.local = IpAddr::V4(v4(a));
    }
    if let Some(a) = data.remote {
        p.remote = IpAddr::V4(v4(a));
    }
    if let Some(v) = data.ttl {
        p.ttl = v;
    }
    if let Some(v) = data.tos {
        p.tos = v;
    }
    if data.pmtudisc.is_none_or(|v| v != 0) {
        if t.ignore_df {
            return err(errno::EINVAL);
        }
        p.pmtudisc = true;
    }
    if data.collect_metadata {
        t.collect_md = true;
        if dev.dev_type == arphrd::IPGRE {
            dev.dev_type = arphrd::NONE;
        }
    }
    if let Some(v) = data.ignore_df {
        if v != 0 && p.pmtudisc {
            return err(errno::EINVAL);
        }
        t.ignore_df = v != 0;
    }
    if let Some(v) = data.fwmark {
        *fwmark = v;
    }
    Ok(p)
}

/// The part `ipgre_netlink_parms` and `ip6gre_netlink_parms` share: IFLA_GRE_LINK, the flags
/// and the keys.
fn link_and_keys(data: &GreData, p: &mut TnlParms) {
    if let Some(v) = data.link {
        p.link = v;
    }
    if let Some(v) = data.iflags {
        p.i_flags = tnl_flags(v);
    }
    if let Some(v) = data.oflags {
        p.o_flags = tnl_flags(v);
    }
    if let Some(v) = data.ikey {
        p.i_key = v;
    }
    if let Some(v) = data.okey {
        p.o_key = v;
    }
}

/// `ip6gre_netlink_parms`.
fn ip6gre_netlink_parms(data: &GreData) -> TnlParms {
    let mut p = TnlParms::zero(true);
    link_and_keys(data, &mut p);
    if let Some(a) = data.local {
        p.local = IpAddr::V6(v6(a));
    }
    if let Some(a) = data.remote {
        p.remote = IpAddr::V6(v6(a));
    }
    if let Some(v) = data.ttl {
        p.ttl = v;
    }
    if let Some(v) = data.encap_limit {
        p.encap_limit = v;
    }
    if let Some(v) = data.flowinfo {
        p.flowinfo = v;
    }
    if let Some(v) = data.flags {
        p.flags = v;
    }
    if let Some(v) = data.fwmark {
        p.fwmark = v;
    }
    if data.collect_metadata {
        p.collect_md = true;
    }
    p
}

/// `ip_tunnel_bind_dev`: the MTU the tunnel gets from the device its packets would leave by.
/// Routes and `parms.link` are looked up in `tunnel->net`.
fn ip_tunnel_bind_dev(k: &mut Kernel, id: DevId) -> u32 {
    let (ns, s) = (tunnel_net(k.dev(id)), st(k, id).clone());
    let ether = k.dev(id).dev_type == arphrd::ETHER;
    let t_hlen = s.hlen + 20;
    let remote = v4(s.parms.remote);
    let mut tdev = None;
    if !remote.is_unspecified() {
        tdev = ip_route_output(k, ns, IpAddr::V4(remote), s.parms.link);
        if !ether {
            k.dev_mut(id).flags |= iff::POINTOPOINT;
        }
    }
    if tdev.is_none() && s.parms.link != 0 {
        tdev = k.dev_by_index(ns, s.parms.link);
    }
    let mut mtu = ETH_DATA_LEN as i64;
    if let Some(t) = tdev {
        mtu = k.dev(t).mtu.min(IP_MAX_MTU) as i64;
    }
    mtu -= (t_hlen + if ether { ETH_HLEN } else { 0 }) as i64;
    mtu.max(IPV4_MIN_MTU as i64) as u32
}

/// The largest MTU `__ip_tunnel_change_mtu` / `ip6_tnl_change_mtu` accept.
fn max_mtu(dev: &NetDevice, s: &GreState) -> u32 {
    if s.kind.is_v6() {
        let hard_header_len = if dev.dev_type == arphrd::ETHER {
            ETH_HLEN
        } else if s.header_ops {
            s.hlen + 40
        } else {
            0
        };
        IP6_MAX_MTU - hard_header_len - (s.hlen + 40)
    } else {
        let ether = if dev.dev_type == arphrd::ETHER {
            ETH_HLEN
        } else {
            0
        };
        IP_MAX_MTU - (s.hlen + 20) - ether
    }
}

/// `ip6gre_tnl_link_config` (common part and `ip6gre_calc_hlen`; the route part finds no
/// route to a unicast remote without addresses, so the MTU stays).
fn ip6gre_tnl_link_config(k: &mut Kernel, id: DevId) {
    let d = k.dev_mut(id);
    let ether = d.dev_type == arphrd::ETHER;
    let Some(s) = d.state.downcast_mut::<GreState>() else {
        return;
    };
    if !ether {
        d.addr = ip6_hwaddr(v6(s.parms.local));
        d.broadcast = ip6_hwaddr(v6(s.parms.remote));
    }
    s.parms.flags &=
        !(ip6_tnl_flag::CAP_XMIT | ip6_tnl_flag::CAP_RCV | ip6_tnl_flag::CAP_PER_PACKET);
    let cap = ip6_tnl_get_cap(&s.parms);
    s.parms.flags |= cap;
    if cap & ip6_tnl_flag::CAP_XMIT != 0 && cap & ip6_tnl_flag::CAP_RCV != 0 && !ether {
        d.flags |= iff::POINTOPOINT;
    } else {
        d.flags &= !iff::POINTOPOINT;
    }
    // ip6gre_calc_hlen / ip6erspan_calc_hlen
    s.hlen = tunnel_hlen(s);
}

fn ip4_hwaddr(a: Ipv4Addr) -> HwAddr {
    HwAddr::from_slice(&a.octets()).unwrap_or(HwAddr::NONE)
}

pub(crate) fn ip6_hwaddr(a: Ipv6Addr) -> HwAddr {
    HwAddr::from_slice(&a.octets()).unwrap_or(HwAddr::NONE)
}

pub struct GreOps {
    kind: GreKind,
}

pub static GRE_OPS: GreOps = GreOps { kind: GreKind::Gre };
pub static GRETAP_OPS: GreOps = GreOps {
    kind: GreKind::GreTap,
};
pub static IP6GRE_OPS: GreOps = GreOps {
    kind: GreKind::Ip6Gre,
};
pub static IP6GRETAP_OPS: GreOps = GreOps {
    kind: GreKind::Ip6GreTap,
};
pub static ERSPAN_OPS: GreOps = GreOps {
    kind: GreKind::Erspan,
};
pub static IP6ERSPAN_OPS: GreOps = GreOps {
    kind: GreKind::Ip6Erspan,
};

impl GreOps {
    /// `ipgre_newlink` → `ip_tunnel_newlink`.
    fn ipgre_newlink(
        &self,
        k: &mut Kernel,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let mut fwmark = 0;
        let (encap, p) = match data_of(req) {
            Some(data) => {
                let encap = refuse_encap(data)?;
                let p = ipgre_netlink_parms(&mut dev, data, &mut fwmark)?;
                if self.kind == GreKind::Erspan {
                    // erspan_newlink → erspan_netlink_parms
                    let Some(t) = dev.state.downcast_mut::<GreState>() else {
                        return err(errno::EINVAL);
                    };
                    erspan::erspan_netlink_parms(&mut t.erspan, data)?;
                }
                (encap, p)
            }
            // ipgre_netlink_parms without data: all zero, not even IP_DF.
            None => (None, TnlParms::zero(false)),
        };
        let ns = dev.netns;
        let collect_md = state(&dev).is_some_and(|t| t.collect_md);
        if collect_md {
            if collect_md_tun(k, ns, self.kind) {
                return err(errno::EEXIST);
            }
        } else if tunnel_find(k, ns, self.kind, &p, dev.dev_type).is_some() {
            return err(errno::EEXIST);
        }
        // register_netdevice: the name first, then ndo_init (ipgre_tunnel_init / gre_tap_init).
        dev.name = k.dev_get_valid_name(ns, &dev.name, errno::EEXIST)?;
        let Some(t) = dev.state.downcast_mut::<GreState>() else {
            return err(errno::EINVAL);
        };
        t.parms = p;
        t.parms.fwmark = fwmark;
        if let Some(e) = encap {
            t.encap = e;
        }
        // __gre_tunnel_init / erspan_tunnel_init
        t.hlen = tunnel_hlen(t);
        let (saddr, daddr, collect_md) = (v4(t.parms.local), v4(t.parms.remote), t.collect_md);
        if self.kind == GreKind::Gre {
            // ipgre_tunnel_init
            dev.addr = ip4_hwaddr(saddr);
            dev.broadcast = ip4_hwaddr(daddr);
            dev.flags = iff::NOARP;
            if !daddr.is_unspecified() && !collect_md && daddr.is_multicast() {
                if saddr.is_unspecified() {
                    return err(errno::EINVAL);
                }
                dev.flags = iff::BROADCAST;
            }
        } else {
            dev.live_addr_change = true;
        }
        let id = k.register_netdevice(dev)?;
        if k.dev(id).dev_type == arphrd::ETHER && req.address.is_none() {
            let a = k.rng().eth_random_addr();
            let d = k.dev_mut(id);
            d.addr = a;
            d.addr_assign_type = addr_assign::RANDOM;
        }
        let mut mtu = ip_tunnel_bind_dev(k, id);
        if req.mtu.is_some() {
            let max = max_mtu(k.dev(id), st(k, id));
            mtu = k.dev(id).mtu.clamp(ETH_MIN_MTU, max);
        }
        if let Err(e) = k.dev_set_mtu(id, mtu) {
            k.unregister_many(&[id], false);
            return Err(e);
        }
        tunnel_add(k, id);
        Ok(id)
    }

    /// `ip6gre_newlink` → `ip6gre_newlink_common`.
    fn ip6gre_newlink(
        &self,
        k: &mut Kernel,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let empty = GreData::default();
        let data = data_of(req).unwrap_or(&empty);
        let p = ip6gre_netlink_parms(data);
        if self.kind == GreKind::Ip6Erspan && data_of(req).is_some() {
            if let Some(t) = dev.state.downcast_mut::<GreState>() {
                t.erspan = erspan::ip6erspan_set_version(data);
            }
        }
        let ns = dev.netns;
        if p.collect_md {
            if collect_md_tun(k, ns, self.kind) {
                return err(errno::EEXIST);
            }
        } else if tunnel_find(k, ns, self.kind, &p, dev.dev_type).is_some() {
            return err(errno::EEXIST);
        }
        let encap = refuse_encap(data)?;
        if dev.dev_type == arphrd::ETHER && req.address.is_none() {
            eth_hw_addr_random(&mut dev, k.rng());
        }
        let ether = dev.dev_type == arphrd::ETHER;
        let Some(t) = dev.state.downcast_mut::<GreState>() else {
            return err(errno::EINVAL);
        };
        t.parms = p;
        if let Some(e) = encap {
            t.encap = e;
        }
        // ip6gre_tunnel_init_common / ip6erspan_tap_init: the MTU from ETH_DATA_LEN,
        // whatever IFLA_MTU said.
        t.hlen = tunnel_hlen(t);
        let mut mtu = ETH_DATA_LEN - (t.hlen + 40);
        if ether {
            mtu -= ETH_HLEN;
        }
        if t.parms.flags & ip6_tnl_flag::IGN_ENCAP_LIMIT == 0 {
            mtu -= 8;
        }
        dev.mtu = mtu;
        if !ether {
            // ip6gre_tunnel_init
            if !t.parms.collect_md {
                dev.addr = ip6_hwaddr(v6(t.parms.local));
                dev.broadcast = ip6_hwaddr(v6(t.parms.remote));
                t.header_ops = v6(t.parms.remote).is_unspecified();
            }
        } else {
            dev.live_addr_change = true;
        }
        let id = k.register_netdevice(dev)?;
        if let Some(m) = req.mtu {
            // ip6_tnl_change_mtu, its result ignored; the hard header is not computed yet.
            let d = k.dev(id);
            let s = st(k, id);
            let hard_header_len = if d.dev_type == arphrd::ETHER {
                ETH_HLEN
            } else {
                0
            };
            if m >= ETH_MIN_MTU && m <= IP6_MAX_MTU - hard_header_len - (s.hlen + 40) {
                k.dev_mut(id).mtu = m;
            }
        }
        ip6gre_tnl_link_config(k, id);
        tunnel_add(k, id);
        Ok(id)
    }

    /// `ipgre_changelink` → `ip_tunnel_changelink` → `ip_tunnel_update`, `ipgre_link_update`.
    fn ipgre_changelink(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &GreData,
        mtu_given: bool,
    ) -> KResult<()> {
        let is_erspan = self.kind == GreKind::Erspan;
        // ipgre_changelink / erspan_changelink: IFLA_GRE_COLLECT_METADATA on a device created
        // without it is refused before anything is parsed.
        if data.collect_metadata && !st(k, id).collect_md {
            return Err(KernelError::new(errno::EOPNOTSUPP)
                .msg("Enabling collect_md on an existing device is not supported"));
        }
        let encap = refuse_encap(data)?;
        if let Some(e) = encap {
            st_mut(k, id).encap = e;
        }
        let mut fwmark = st(k, id).parms.fwmark;
        let p = ipgre_netlink_parms(k.dev_mut(id), data, &mut fwmark)?;
        if is_erspan {
            erspan::erspan_netlink_parms(&mut st_mut(k, id).erspan, data)?;
        }
        // ip_tunnel_changelink: `itn = net_generic(tunnel->net, ...)`.
        let (ns, dev_type) = (tunnel_net(k.dev(id)), k.dev(id).dev_type);
        match tunnel_find(k, ns, self.kind, &p, dev_type) {
            Some(t) if t != id => return err(errno::EEXIST),
            Some(_) => {}
            None => {
                if dev_type != arphrd::ETHER {
                    let d = v4(p.remote);
                    let nflags = if d.is_multicast() {
                        iff::BROADCAST
                    } else if !d.is_unspecified() {
                        iff::POINTOPOINT
                    } else {
                        0
                    };
                    if (k.dev(id).flags ^ nflags) & (iff::POINTOPOINT | iff::BROADCAST) != 0 {
                        return err(errno::EINVAL);
                    }
                }
            }
        }
        // ip_tunnel_update
        tunnel_del(k, id);
        {
            let d = k.dev_mut(id);
            let ether = d.dev_type == arphrd::ETHER;
            let Some(t) = d.state.downcast_mut::<GreState>() else {
                return err(errno::EINVAL);
            };
            t.parms.local = p.local;
            t.parms.remote = p.remote;
            t.parms.i_key = p.i_key;
            t.parms.o_key = p.o_key;
            if !ether {
                d.addr = ip4_hwaddr(v4(p.local));
                d.broadcast = ip4_hwaddr(v4(p.remote));
            }
        }
        tunnel_add(k, id);
        let relink = {
            let t = st_mut(k, id);
            t.parms.ttl = p.ttl;
            t.parms.tos = p.tos;
            t.parms.pmtudisc = p.pmtudisc;
            t.parms.link != p.link || t.parms.fwmark != fwmark
        };
        if relink {
            let t = st_mut(k, id);
            t.parms.link = p.link;
            t.parms.fwmark = fwmark;
            let mtu = ip_tunnel_bind_dev(k, id);
            if !mtu_given {
                k.dev_mut(id).mtu = mtu;
            }
        }
        k.netdev_state_change(id);
        // ipgre_changelink: the flags, then ipgre_link_update.
        let t = st_mut(k, id);
        t.parms.i_flags = p.i_flags;
        t.parms.o_flags = p.o_flags;
        if is_erspan {
            // erspan_changelink: no ipgre_link_update, the MTU stays.
            return Ok(());
        }
        // tun_hlen is hlen: the encapsulation header is always empty here.
        let len = gre_calc_hlen(t.parms.o_flags) as i64 - t.hlen as i64;
        t.hlen = (t.hlen as i64 + len) as u32;
        if !mtu_given {
            let d = k.dev_mut(id);
            d.mtu = (d.mtu as i64 - len).max(68) as u32;
        }
        Ok(())
    }

    /// `ip6gre_changelink` (`ip6gre_changelink_common`, `ip6gre_tnl_change`).
    fn ip6gre_changelink(&self, k: &mut Kernel, id: DevId, data: &GreData) -> KResult<()> {
        let encap = refuse_encap(data)?;
        if let Some(e) = encap {
            st_mut(k, id).encap = e;
        }
        let p = ip6gre_netlink_parms(data);
        // ip6gre_changelink: `ign = net_generic(t->net, ip6gre_net_id)`.
        let ns = tunnel_net(k.dev(id));
        // ip6gre_tunnel_locate(net, p, 0) looks for an ip6gre, also when changing an ip6gretap.
        if let Some(t) = tunnel_find(k, ns, self.kind, &p, arphrd::IP6GRE) {
            if t != id {
                return err(errno::EEXIST);
            }
        }
        tunnel_del(k, id);
        {
            let t = st_mut(k, id);
            let collect_md = t.parms.collect_md;
            t.parms = TnlParms { collect_md, ..p };
            if t.kind == GreKind::Ip6Erspan {
                // ip6erspan_changelink: ip6erspan_set_version on the zeroed parameters.
                t.erspan = erspan::ip6erspan_set_version(data);
            }
        }
        ip6gre_tnl_link_config(k, id);
        tunnel_add(k, id);
        Ok(())
    }
}

impl LinkOps for GreOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some(match self.kind {
            GreKind::Gre => "gre",
            GreKind::GreTap => "gretap",
            GreKind::Ip6Gre => "ip6gre",
            GreKind::Ip6GreTap => "ip6gretap",
            GreKind::Erspan => "erspan",
            GreKind::Ip6Erspan => "ip6erspan",
        })
    }

    /// `ipgre_tunnel_setup`, `ipgre_tap_setup`, `ip6gre_tunnel_setup`, `ip6gre_tap_setup`, and
    /// `alloc_netdev_mqs` (no queue length from the setup: IFF_NO_QUEUE, qlen 1000).
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        let v6 = self.kind.is_v6();
        if self.kind.is_tap() {
            dev.ether_setup();
            dev.max_mtu = 0;
            dev.live_addr_change = true;
        } else {
            dev.no_queue = true;
            dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
            if v6 {
                dev.dev_type = arphrd::IP6GRE;
                dev.flags |= iff::NOARP;
                dev.addr = ip6_hwaddr(Ipv6Addr::UNSPECIFIED);
                dev.broadcast = dev.addr;
                // "This perm addr will be used as interface identifier by IPv6"
                dev.addr_assign_type = addr_assign::RANDOM;
                let mut perm = [0u8; 16];
                perm[..ETH_ALEN].copy_from_slice(rng.eth_random_addr().as_bytes());
                dev.perm_addr = HwAddr::from_slice(&perm).unwrap_or(HwAddr::NONE);
            } else {
                dev.dev_type = arphrd::IPGRE;
                dev.addr = ip4_hwaddr(Ipv4Addr::UNSPECIFIED);
                dev.broadcast = dev.addr;
            }
        }
        dev.state = KindState::boxed(Box::new(GreState {
            kind: self.kind,
            parms: TnlParms::zero(v6),
            collect_md: false,
            ignore_df: false,
            encap: Encap::default(),
            hlen: 0,
            header_ops: false,
            md_tun: false,
            // erspan_setup: version 1; ip6erspan's stays 0 until ip6erspan_set_version.
            erspan: ErspanParms {
                ver: u8::from(self.kind == GreKind::Erspan),
                ..ErspanParms::default()
            },
            net: None,
        }));
    }

    /// `ipgre_tunnel_validate`, `ipgre_tap_validate`, `ip6gre_tunnel_validate`,
    /// `ip6gre_tap_validate` (EINVAL / EADDRNOTAVAIL, no extack).
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        // erspan_validate / ip6erspan_tap_validate: nothing without IFLA_INFO_DATA.
        if self.kind.is_erspan() && data_of(req).is_none() {
            return Ok(());
        }
        if self.kind.is_tap() {
            if let Some(a) = &req.address {
                if a.len() != ETH_ALEN {
                    return err(errno::EINVAL);
                }
                if !HwAddr::from_slice(a).is_some_and(|h| h.is_valid_ether()) {
                    return err(errno::EADDRNOTAVAIL);
                }
            }
            if let Some(r) = data_of(req).and_then(|d| d.remote) {
                if r.is_unspecified() {
                    return err(errno::EINVAL);
                }
            }
        }
        let Some(data) = data_of(req) else {
            return Ok(());
        };
        let flags = data.iflags.unwrap_or(0) | data.oflags.unwrap_or(0);
        if flags & (gre_flag::VERSION | gre_flag::ROUTING) != 0 {
            return err(errno::EINVAL);
        }
        if !self.kind.is_v6() && data.collect_metadata && data.encap_type.is_some_and(|t| t != 0) {
            return err(errno::EINVAL);
        }
        match self.kind {
            GreKind::Erspan => erspan::erspan_validate(data),
            GreKind::Ip6Erspan => erspan::ip6erspan_validate(data),
            _ => Ok(()),
        }
    }

    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        // ip_tunnel_init / ip6gre_tunnel_init: `tunnel->net = dev_net(dev)`.
        let mut dev = dev;
        let ns = dev.netns;
        if let Some(t) = dev.state.downcast_mut::<GreState>() {
            t.net = Some(ns);
        }
        if self.kind.is_v6() {
            self.ip6gre_newlink(k, dev, req)
        } else {
            self.ipgre_newlink(k, dev, req)
        }
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// GRE-CHANGE-CLASH: `ipgre_changelink` / `ip6gre_changelink`.
    fn changelink_tb(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &KindData,
        req: &LinkRequest,
    ) -> KResult<()> {
        let Some(data) = data.downcast_ref::<GreData>() else {
            return err(errno::EINVAL);
        };
        if self.kind.is_v6() {
            self.ip6gre_changelink(k, id, data)
        } else {
            self.ipgre_changelink(k, id, data, req.mtu.is_some())
        }
    }

    /// `ipgre_open` (CONFIG_NET_IPGRE_BROADCAST): a multicast remote needs a route to join the
    /// group, EADDRNOTAVAIL without one.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        if self.kind != GreKind::Gre {
            return Ok(());
        }
        // ip_route_output_gre(t->net, ...)
        let (ns, p) = (tunnel_net(k.dev(id)), st(k, id).parms.clone());
        let d = v4(p.remote);
        if d.is_multicast() && ip_route_output(k, ns, IpAddr::V4(d), p.link).is_none() {
            return err(errno::EADDRNOTAVAIL);
        }
        Ok(())
    }

    /// `ip_tunnel_uninit` / `ip6gre_tunnel_uninit`.
    fn uninit(&self, k: &mut Kernel, id: DevId) {
        tunnel_del(k, id);
    }

    /// No `ndo_set_mac_address` for gre and ip6gre; `eth_mac_addr` for the taps.
    fn has_set_mac_address(&self) -> bool {
        self.kind.is_tap()
    }

    /// GRE-MTU-MAX: `ip_tunnel_change_mtu` (`__ip_tunnel_change_mtu`, strict) and
    /// `ip6_tnl_change_mtu`: EINVAL without extack outside 68..max.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        let max = max_mtu(k.dev(id), st(k, id));
        if mtu < ETH_MIN_MTU || mtu > max {
            return err(errno::EINVAL);
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `ip_tunnel_get_iflink` / `ip6_tnl_get_iflink`: `parms.link`, a number that may name no
    /// device any more (GRE-DEL-LOWER: `gre1@if2`), 0 without one (`gre1@NONE`).
    fn iflink_without_link(&self, dev: &NetDevice) -> u32 {
        state(dev).map_or(0, |s| s.parms.link)
    }

    /// `ip_tunnel_get_link_net` / `ip6_tnl_get_link_net`: `tunnel->net`.
    fn get_link_net(&self, _k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        Some(tunnel_net(dev))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<GreState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        match state(d) {
            Some(g) => k.check_netns_ref(d, "net", g.net),
            None => Ok(()),
        }
    }

    /// The tunnel modules' `exit_batch_rtnl` in reverse registration order (ip6_gre: ip6gre
    /// and ip6gretap together; ip_gre: gretap, then gre).
    fn exit_rtnl_rank(&self) -> Option<u8> {
        match self.kind {
            GreKind::Ip6Gre => Some(0),
            // ip_gre registers erspan's pernet ops last: it exits before gretap ("erspan"
            // sorts first at the same rank).
            GreKind::Erspan | GreKind::GreTap => Some(1),
            GreKind::Gre => Some(2),
            GreKind::Ip6GreTap | GreKind::Ip6Erspan => None,
        }
    }

    /// `ip6gre_destroy_tunnels` / `ip_tunnel_destroy`: the devices of the kind(s) in the
    /// namespace, then the tunnels of its table (`tunnel->net`) that live elsewhere.
    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        let kinds: &[Kind] = match self.kind {
            GreKind::Ip6Gre | GreKind::Ip6GreTap | GreKind::Ip6Erspan => {
                &[Kind::IP6GRE, Kind::IP6GRETAP, Kind::IP6ERSPAN]
            }
            GreKind::GreTap => &[Kind::GRETAP],
            GreKind::Erspan => &[Kind::ERSPAN],
            GreKind::Gre => &[Kind::GRE],
        };
        // the table is the kinds' `tunnel->net` (`get_link_net`).
        destroy_tunnels_of(k, ns, kinds, |d| {
            d.kind.ops().get_link_net(k, d).unwrap_or(d.netns)
        })
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|s| KindInfo::boxed(Box::new(s.clone())))
    }
}

#[typetag::serde(name = "Gre")]
impl KindPriv for GreState {}

#[typetag::serde(name = "Gre")]
impl KindDataValue for GreData {}

#[typetag::serde(name = "Gre")]
impl KindInfoValue for GreState {}
