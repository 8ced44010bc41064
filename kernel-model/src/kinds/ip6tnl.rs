//! ip6tnl (net/ipv6/ip6_tunnel.c): IPv4/IPv6 over IPv6, as in Debian's 6.12.117.
//!
//! * Identity: one tunnel table per namespace (`ip6_tnl_net_id`); a new tunnel with the local
//!   address, remote address and link of another one in it is refused with EEXIST
//!   (`ip6_tnl_locate`; the mode (`proto`), keys and hop limit are not part of the key). An
//!   externally controlled (`external`) tunnel has its own slot (`ip6n->collect_md_tun`): a
//!   second one is EEXIST. The table is the one of `tunnel->net`, the creation namespace: a
//!   moved tunnel stays in it (`ip6_tnl_changelink` and the exit walk read `t->net`).
//! * MTU: `ip6_tnl_dev_init_gen` gives ETH_DATA_LEN − 40 (− 8 for the encapsulation limit
//!   option unless `encaplimit none`), 68..65535; `ip6_tnl_link_config` follows the device
//!   packets leave by only when the tunnel can transmit (both ends unicast, CAP_XMIT): a
//!   `dev` without `local` does not change it.
//! * No upper/lower link: `dev` is a number (`parms.link`) reported as IFLA_LINK.
//! * FOU/GUE encapsulation (an encap type other than none) needs the fou6 module's ops:
//!   refused as not modelled. Fallback devices (ip6tnl0) are not created (the oracle's
//!   `fb_tunnels_only_for_init_net=2`).

use super::gre::{ip6_hwaddr, ip6_tnl_flag, ip6_tnl_get_cap, ip_route_output, v6, Encap, TnlParms};
use super::ip_tunnel::{destroy_tunnels_of, netlink_encap};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{addr_assign, errno, iff, DEFAULT_TX_QUEUE_LEN, ETH_ALEN, ETH_MIN_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv6Addr};

/// `ARPHRD_TUNNEL6` (include/uapi/linux/if_arp.h).
pub const ARPHRD_TUNNEL6: u16 = 769;
/// `IPPROTO_IPIP`: `mode ipip6`.
pub const IPPROTO_IPIP: u8 = 4;
/// `IPPROTO_IPV6`: `mode ip6ip6`.
pub const IPPROTO_IPV6: u8 = 41;
/// `IP6_MAX_MTU`.
const IP6_MAX_MTU: u32 = 0xffff + 40;
/// `IP_MAX_MTU`.
const IP_MAX_MTU: u32 = 0xffff;
/// `IPV6_MIN_MTU`.
const IPV6_MIN_MTU: u32 = 1280;
/// `ETH_DATA_LEN`.
const ETH_DATA_LEN: u32 = 1500;
/// `sizeof(struct ipv6hdr)`.
const IPV6_HLEN: u32 = 40;
/// The encapsulation limit destination option `ip6_tnl_xmit` adds (8 bytes).
const ENCAP_LIMIT_OPT_LEN: u32 = 8;

/// IFLA_INFO_DATA of ip6tnl (`ip6_tnl_policy`); `None`: attribute absent. The flow info in
/// host order of its big-endian attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ip6TnlData {
    pub link: Option<u32>,
    pub local: Option<Ipv6Addr>,
    pub remote: Option<Ipv6Addr>,
    pub ttl: Option<u8>,
    pub encap_limit: Option<u8>,
    pub flowinfo: Option<u32>,
    pub flags: Option<u32>,
    pub proto: Option<u8>,
    pub collect_metadata: bool,
    pub fwmark: Option<u32>,
    pub encap_type: Option<u16>,
    pub encap_flags: Option<u16>,
    pub encap_sport: Option<u16>,
    pub encap_dport: Option<u16>,
}

/// `struct ip6_tnl` as far as rtnetlink sees it (ip6tnl and vti6 share the struct).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ip6TnlState {
    /// `parms` (`ttl` is `hop_limit`; `i_key`/`o_key` are vti6's).
    pub parms: TnlParms,
    /// `parms.proto`.
    pub proto: u8,
    pub encap: Encap,
    /// `tunnel->net`, set by `ip6_tnl_newlink` / `vti6_newlink`.
    pub net: Option<NetnsId>,
}

/// What `ip6_tnl_fill_info` reports.
pub type Ip6TnlInfo = Ip6TnlState;

impl Ip6TnlState {
    pub(crate) fn new() -> Self {
        Ip6TnlState {
            parms: TnlParms::zero(true),
            proto: 0,
            encap: Encap::default(),
            net: None,
        }
    }
}

pub(crate) fn state(d: &NetDevice) -> Option<&Ip6TnlState> {
    d.state.downcast_ref::<Ip6TnlState>()
}

fn state_mut(d: &mut NetDevice) -> KResult<&mut Ip6TnlState> {
    d.state
        .downcast_mut::<Ip6TnlState>()
        .ok_or_else(|| KernelError::new(errno::EINVAL))
}

/// `tunnel->net` (the device's own namespace before `newlink` set it).
pub(crate) fn tunnel_net(d: &NetDevice) -> NetnsId {
    state(d).and_then(|s| s.net).unwrap_or(d.netns)
}

/// `ip6_tnl_get_iflink` (vti6 too): `parms.link`, a number (0: `@NONE`).
pub(crate) fn ip6_tnl_get_iflink(dev: &NetDevice) -> u32 {
    state(dev).map_or(0, |s| s.parms.link)
}

/// `ip6_tnl_get_link_net` (vti6 too): `tunnel->net`.
pub(crate) fn ip6_tnl_get_link_net(dev: &NetDevice) -> Option<NetnsId> {
    Some(tunnel_net(dev))
}

/// A saved `struct ip6_tnl` (ip6tnl and vti6 share it).
pub(crate) fn ip6_tnl_state_fits(state: &KindState) -> bool {
    state.is::<Ip6TnlState>()
}

/// State-file check: `tunnel->net` names a live namespace.
pub(crate) fn ip6_tnl_check_links(k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
    match state(d) {
        Some(s) => k.check_netns_ref(d, "net", s.net),
        None => Ok(()),
    }
}

/// The table `net_generic(ns, <kind>_net_id)`: the tunnels of `kind` whose `tunnel->net` is
/// `ns`, wherever the devices are now.
pub(crate) fn table(k: &Kernel, ns: NetnsId, kind: Kind) -> impl Iterator<Item = &NetDevice> + '_ {
    k.all_devices()
        .filter(move |d| d.kind == kind && tunnel_net(d) == ns)
}

/// `ip6_tnl_locate(net, p, 0)` / `vti6_locate(net, p, 0)`: the tunnel of the table with these
/// end points (and, for ip6tnl, this link).
pub(crate) fn locate(
    k: &Kernel,
    ns: NetnsId,
    kind: Kind,
    p: &TnlParms,
    with_link: bool,
) -> Option<DevId> {
    table(k, ns, kind)
        .filter(|d| {
            state(d).is_some_and(|s| {
                s.parms.local == p.local
                    && s.parms.remote == p.remote
                    && (!with_link || s.parms.link == p.link)
            })
        })
        .map(|d| d.id)
        .max_by_key(|id| id.0)
}

/// The device `ip6_tnl_link_config` / `vti6_link_config` take the MTU from: the route to
/// the remote when the tunnel can transmit, else the `link` device (in `tunnel->net`).
pub(crate) fn link_tdev(
    k: &Kernel,
    ns: NetnsId,
    p: &TnlParms,
    route_only_xmit: bool,
) -> Option<DevId> {
    let mut tdev = None;
    if p.flags & ip6_tnl_flag::CAP_XMIT != 0 {
        tdev = ip_route_output(k, ns, p.remote, p.link);
    } else if route_only_xmit {
        return None;
    }
    if tdev.is_none() && p.link != 0 {
        tdev = k.dev_by_index(ns, p.link);
    }
    tdev
}

/// The part of `ip6_tnl_link_config` / `vti6_link_config` before the MTU: the addresses, the
/// capability bits and IFF_POINTOPOINT.
pub(crate) fn link_config_common(dev: &mut NetDevice, p: &mut TnlParms) {
    dev.addr = ip6_hwaddr(v6(p.local));
    dev.broadcast = ip6_hwaddr(v6(p.remote));
    p.flags &= !(ip6_tnl_flag::CAP_XMIT | ip6_tnl_flag::CAP_RCV | ip6_tnl_flag::CAP_PER_PACKET);
    p.flags |= ip6_tnl_get_cap(p);
    if p.flags & ip6_tnl_flag::CAP_XMIT != 0 && p.flags & ip6_tnl_flag::CAP_RCV != 0 {
        dev.flags |= iff::POINTOPOINT;
    } else {
        dev.flags &= !iff::POINTOPOINT;
    }
}

/// `ip6_tnl_dev_setup` / `vti6_dev_setup`: ARPHRD_TUNNEL6 with 16-byte addresses, NOARP, a
/// random `perm_addr` ("used as interface identifier by IPv6"), and (no `tx_queue_len` from
/// the setup) IFF_NO_QUEUE with qlen 1000 from `alloc_netdev_mqs`.
pub(crate) fn tunnel6_setup(dev: &mut NetDevice, rng: &mut SeededRng) {
    dev.no_queue = true;
    dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
    dev.dev_type = ARPHRD_TUNNEL6;
    dev.flags |= iff::NOARP;
    dev.addr = ip6_hwaddr(Ipv6Addr::UNSPECIFIED);
    dev.broadcast = dev.addr;
    dev.addr_assign_type = addr_assign::RANDOM;
    let mut perm = [0u8; 16];
    perm[..ETH_ALEN].copy_from_slice(rng.eth_random_addr().as_bytes());
    dev.perm_addr = HwAddr::from_slice(&perm).unwrap_or(HwAddr::NONE);
    dev.state = KindState::boxed(Box::new(Ip6TnlState::new()));
}

/// `ip_tunnel_netlink_encap_parms` + `ip6_tnl_encap_setup`: the encapsulation when any of its
/// attributes is present; a type other than none needs the fou6 module.
fn encap_setup(d: &Ip6TnlData) -> KResult<Option<Encap>> {
    netlink_encap(
        [d.encap_type, d.encap_flags, d.encap_sport, d.encap_dport],
        "ip6tnl FOU/GUE encapsulation",
    )
}

/// `ip6_tnl_netlink_parms`: everything absent is 0.
fn netlink_parms(d: &Ip6TnlData) -> (TnlParms, u8) {
    let mut s = Ip6TnlState::new();
    let p = &mut s.parms;
    if let Some(v) = d.link {
        p.link = v;
    }
    if let Some(a) = d.local {
        p.local = IpAddr::V6(a);
    }
    if let Some(a) = d.remote {
        p.remote = IpAddr::V6(a);
    }
    if let Some(v) = d.ttl {
        p.ttl = v;
    }
    if let Some(v) = d.encap_limit {
        p.encap_limit = v;
    }
    if let Some(v) = d.flowinfo {
        p.flowinfo = v;
    }
    if let Some(v) = d.flags {
        p.flags = v;
    }
    p.collect_md = d.collect_metadata;
    if let Some(v) = d.fwmark {
        p.fwmark = v;
    }
    (s.parms, d.proto.unwrap_or(0))
}

fn data_of(req: &LinkRequest) -> Option<&Ip6TnlData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<Ip6TnlData>()
}

/// `ip6_tnl_link_config` on a device of the table of `ns`: the common part, then the MTU
/// from the device packets leave by (`min(tdev->mtu, IP6_MAX_MTU) − t_hlen`, − 8 with the
/// encapsulation limit option, at least IPV6_MIN_MTU).
fn ip6_tnl_link_config(k: &Kernel, ns: NetnsId, dev: &mut NetDevice) -> KResult<()> {
    let mut p = state_mut(dev)?.parms.clone();
    link_config_common(dev, &mut p);
    if let Some(t) = link_tdev(k, ns, &p, true) {
        let mut mtu = k.dev(t).mtu.min(IP6_MAX_MTU) as i64 - IPV6_HLEN as i64;
        if p.flags & ip6_tnl_flag::IGN_ENCAP_LIMIT == 0 {
            mtu -= ENCAP_LIMIT_OPT_LEN as i64;
        }
        dev.mtu = mtu.max(IPV6_MIN_MTU as i64) as u32;
    }
    state_mut(dev)?.parms = p;
    Ok(())
}

/// `ip6_tnl_change_mtu`: ip6ip6 needs IPV6_MIN_MTU, the others 68; the maximum is
/// IP6_MAX_MTU − t_hlen (IP_MAX_MTU − t_hlen for ipip6). EINVAL without extack.
fn ip6_tnl_mtu_ok(s: &Ip6TnlState, mtu: u32) -> bool {
    let t_hlen = IPV6_HLEN;
    let min = if s.proto == IPPROTO_IPV6 {
        IPV6_MIN_MTU
    } else {
        ETH_MIN_MTU
    };
    let max = if s.proto == IPPROTO_IPV6 || s.proto == 0 {
        IP6_MAX_MTU - t_hlen
    } else {
        IP_MAX_MTU - t_hlen
    };
    mtu >= min && mtu <= max
}

pub struct Ip6TnlOps;

impl LinkOps for Ip6TnlOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("ip6tnl")
    }

    /// `ip6_tnl_dev_setup`.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        tunnel6_setup(dev, rng);
    }

    /// `ip6_tnl_validate`: the mode is any (0), ip6ip6 or ipip6 (EINVAL, no extack).
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        match data_of(req).and_then(|d| d.proto) {
            None | Some(0) | Some(IPPROTO_IPV6) | Some(IPPROTO_IPIP) => Ok(()),
            Some(_) => err(errno::EINVAL),
        }
    }

    /// `ip6_tnl_newlink` → `ip6_tnl_create2` (`register_netdevice` with `ip6_tnl_dev_init`),
    /// then `ip6_tnl_change_mtu` for IFLA_MTU, its result ignored.
    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let ns = dev.netns;
        let empty = Ip6TnlData::default();
        let data = data_of(req).unwrap_or(&empty);
        let encap = encap_setup(data)?;
        let (p, proto) = netlink_parms(data);
        if p.collect_md {
            if table(k, ns, Kind::IP6TNL).any(|d| state(d).is_some_and(|s| s.parms.collect_md)) {
                return err(errno::EEXIST);
            }
        } else if locate(k, ns, Kind::IP6TNL, &p, true).is_some() {
            return err(errno::EEXIST);
        }
        let ign_encap_limit = p.flags & ip6_tnl_flag::IGN_ENCAP_LIMIT != 0;
        {
            let t = state_mut(&mut dev)?;
            t.net = Some(ns);
            t.parms = p;
            t.proto = proto;
            if let Some(e) = encap {
                t.encap = e;
            }
        }
        // ip6_tnl_dev_init_gen
        dev.mtu = ETH_DATA_LEN - IPV6_HLEN;
        if !ign_encap_limit {
            dev.mtu -= ENCAP_LIMIT_OPT_LEN;
        }
        dev.min_mtu = ETH_MIN_MTU;
        dev.max_mtu = IP6_MAX_MTU - IPV6_HLEN;
        ip6_tnl_link_config(k, ns, &mut dev)?;
        let id = k.register_netdevice(dev)?;
        if let Some(m) = req.mtu {
            if state(k.dev(id)).is_some_and(|s| ip6_tnl_mtu_ok(s, m)) {
                k.dev_mut(id).mtu = m;
            }
        }
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `ip6_tnl_changelink`: external cannot be asked for (EINVAL); the new end points must
    /// not be another tunnel's of the table (EEXIST); `ip6_tnl_update` takes every parameter
    /// (absent ones are 0) but `collect_md`.
    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(data) = data.downcast_ref::<Ip6TnlData>() else {
            return err(errno::EINVAL);
        };
        let encap = encap_setup(data)?;
        if let Some(e) = encap {
            state_mut(k.dev_mut(id))?.encap = e;
        }
        let (p, proto) = netlink_parms(data);
        if p.collect_md {
            return err(errno::EINVAL);
        }
        let ns = tunnel_net(k.dev(id));
        if let Some(t) = locate(k, ns, Kind::IP6TNL, &p, true) {
            if t != id {
                return err(errno::EEXIST);
            }
        }
        // ip6_tnl_update → ip6_tnl_change
        let mut dev = k.dev(id).clone();
        {
            let t = state_mut(&mut dev)?;
            let collect_md = t.parms.collect_md;
            t.parms = TnlParms { collect_md, ..p };
            t.proto = proto;
        }
        ip6_tnl_link_config(k, ns, &mut dev)?;
        *k.dev_mut(id) = dev;
        k.netdev_state_change(id);
        Ok(())
    }

    /// No `ndo_set_mac_address`.
    fn has_set_mac_address(&self) -> bool {
        false
    }

    /// `ip6_tnl_change_mtu` (after `dev_validate_mtu`'s 68..65535).
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        if !state(k.dev(id)).is_some_and(|s| ip6_tnl_mtu_ok(s, mtu)) {
            return err(errno::EINVAL);
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `ip6_tnl_get_iflink`.
    fn iflink_without_link(&self, dev: &NetDevice) -> u32 {
        ip6_tnl_get_iflink(dev)
    }

    /// `ip6_tnl_get_link_net`.
    fn get_link_net(&self, _k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        ip6_tnl_get_link_net(dev)
    }

    fn state_fits(&self, state: &KindState) -> bool {
        ip6_tnl_state_fits(state)
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        ip6_tnl_check_links(k, d)
    }

    /// ip6_tunnel registers its pernet ops before ip6_gre (a dependency of it) and after
    /// ip_gre: it exits after ip6_gre ("ip6gre" sorts first at the same rank) and before
    /// erspan, gretap and gre.
    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(0)
    }

    /// `ip6_tnl_destroy_tunnels`: the ip6tnl devices of the namespace, then the tunnels of its
    /// table that live elsewhere.
    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        destroy_tunnels_of(k, ns, &[Kind::IP6TNL], tunnel_net)
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|s| KindInfo::boxed(Box::new(s.clone())))
    }
}

#[typetag::serde(name = "Ip6Tnl")]
impl KindPriv for Ip6TnlState {}

#[typetag::serde(name = "Ip6Tnl")]
impl KindDataValue for Ip6TnlData {}

#[typetag::serde(name = "Ip6Tnl")]
impl KindInfoValue for Ip6TnlState {}
