//! ipip (net/ipv4/ipip.c) and vti (net/ipv4/ip_vti.c) on the net/ipv4/ip_tunnel.c library,
//! and the state and request data sit (`sit.rs`, net/ipv6/sit.c) shares with them (all three
//! keep a `struct ip_tunnel` and read IFLA_IPTUN_* / IFLA_VTI_* into `ip_tunnel_parm_kern`).
//!
//! * Identity: one tunnel table per kind and namespace (`ipip_net_id`, `vti_net_id`); a new
//!   tunnel whose local, remote, link, `dev->type` and key (only with TUNNEL_KEY in i_flags:
//!   never for vti, whose keys are marks) another tunnel of the table has is refused with a
//!   bare EEXIST (`ip_tunnel_newlink` → `ip_tunnel_find`); ttl/tos/mode/fwmark are not part
//!   of it. An external (`collect_md`) tunnel uses the table's one `collect_md_tun` slot.
//!   The table of a namespace holds the tunnels whose `tunnel->net` it is: a tunnel moved
//!   elsewhere stays in the table of the namespace it was created in.
//! * MTU: `ip_tunnel_bind_dev` (route to remote, else `parms.link`: min(tdev mtu, 65535) − 20,
//!   floor 68, 1500 − 20 without a device); `ip_tunnel_change_mtu` refuses outside
//!   68..65535 − 20 with a bare EINVAL; min_mtu/max_mtu stay 0 (only the ioctl path sets them).
//! * FOU/GUE encapsulation (`ip_tunnel_encap_setup` with a type other than none) depends on
//!   the fou module: refused as not modelled. Fallback devices (tunl0, ip_vti0) do not exist
//!   (the oracle's `fb_tunnels_only_for_init_net=2`).

use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::netdev_priv::{KindDataValue, KindInfoValue, KindPriv};
use crate::request::{KindData, LinkRequest};
use crate::uapi::{errno, iff, DEFAULT_TX_QUEUE_LEN, ETH_MIN_MTU};
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `ARPHRD_TUNNEL` (ipip, vti: `link/ipip`).
pub const ARPHRD_TUNNEL: u16 = 768;
/// `ARPHRD_SIT` (`link/sit`).
pub const ARPHRD_SIT: u16 = 776;
/// `IP_MAX_MTU`.
const IP_MAX_MTU: u32 = 0xffff;
/// `IPV4_MIN_MTU`.
const IPV4_MIN_MTU: u32 = 68;
/// `ETH_DATA_LEN`.
pub(crate) const ETH_DATA_LEN: u32 = 1500;
/// `sizeof(struct iphdr)`: every kind here has `tunnel->hlen` 0 (no encapsulation header).
pub(crate) const IPHDR_LEN: u32 = 20;

/// `IPPROTO_*` an IFLA_IPTUN_PROTO may name.
pub mod ipproto {
    pub const IPIP: u8 = 4;
    pub const IPV6: u8 = 41;
    pub const MPLS: u8 = 137;
}

/// `IP_TUNNEL_KEY_BIT` in the host value of IFLA_IPTUN_FLAGS (`ip_tunnel_flags_from_be16`).
const TUNNEL_KEY: u16 = 0x0004;

/// IFLA_INFO_DATA of ipip, sit and vti as the netlink side decoded it (vti's IFLA_VTI_* land in
/// the same fields). `None`: attribute absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpTunnelData {
    pub link: Option<u32>,
    pub local: Option<Ipv4Addr>,
    pub remote: Option<Ipv4Addr>,
    pub ttl: Option<u8>,
    pub tos: Option<u8>,
    pub pmtudisc: Option<u8>,
    /// IFLA_IPTUN_FLAGS as `nla_get_be16` + `be16_to_cpu` read it (SIT_ISATAP, which iproute2
    /// writes in host order, is 0x0100 here).
    pub flags: Option<u16>,
    pub proto: Option<u8>,
    pub ip6rd_prefix: Option<Ipv6Addr>,
    pub ip6rd_relay_prefix: Option<Ipv4Addr>,
    pub ip6rd_prefixlen: Option<u16>,
    pub ip6rd_relay_prefixlen: Option<u16>,
    pub encap_type: Option<u16>,
    pub encap_flags: Option<u16>,
    /// Ports as the big-endian attribute reads.
    pub encap_sport: Option<u16>,
    pub encap_dport: Option<u16>,
    pub collect_metadata: bool,
    pub fwmark: Option<u32>,
    /// IFLA_VTI_IKEY / OKEY, big-endian read.
    pub ikey: Option<u32>,
    pub okey: Option<u32>,
}

/// The three kinds whose state is a [`IpTunnelState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpTunnelKind {
    Ipip,
    Vti,
    Sit,
}

impl IpTunnelKind {
    fn kind(self) -> Kind {
        match self {
            IpTunnelKind::Ipip => Kind::IPIP,
            IpTunnelKind::Vti => Kind::VTI,
            IpTunnelKind::Sit => Kind::SIT,
        }
    }
}

/// `struct ip_tunnel_6rd_parm` (sit, CONFIG_IPV6_SIT_6RD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ip6rd {
    pub prefix: Ipv6Addr,
    pub relay_prefix: Ipv4Addr,
    pub prefixlen: u16,
    pub relay_prefixlen: u16,
}

/// `struct ip_tunnel_encap` (the GRE and ip6 tunnels keep it too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelEncap {
    pub kind: u16,
    pub flags: u16,
    pub sport: u16,
    pub dport: u16,
}

/// `struct ip_tunnel` as far as rtnetlink sees it; also what `ipip_fill_info`,
/// `vti_fill_info` and `ipip6_fill_info` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpTunnelState {
    pub kind: IpTunnelKind,
    /// `t->parms`.
    pub parms: Parms,
    pub fwmark: u32,
    /// `t->collect_md` (ipip external).
    pub collect_md: bool,
    pub encap: TunnelEncap,
    /// sit's 6rd parameters (`ipip6_tunnel_clone_6rd` defaults).
    pub ip6rd: Option<Ip6rd>,
    /// `tunnel->net`: the namespace whose table holds the tunnel (set at creation).
    pub net: Option<NetnsId>,
}

/// What the fill functions report.
pub type IpTunnelInfo = IpTunnelState;

impl IpTunnelState {
    fn new(kind: IpTunnelKind) -> Self {
        IpTunnelState {
            kind,
            parms: Parms::zero(0, 0),
            fwmark: 0,
            collect_md: false,
            encap: TunnelEncap::default(),
            ip6rd: None,
            net: None,
        }
    }
}

/// `struct ip_tunnel_parm_kern` as the netlink parms functions build it, plus the fwmark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parms {
    pub link: u32,
    pub local: Ipv4Addr,
    pub remote: Ipv4Addr,
    pub i_key: u32,
    pub o_key: u32,
    pub i_flags: u16,
    pub ttl: u8,
    pub tos: u8,
    pub protocol: u8,
    pub pmtudisc: bool,
}

impl Parms {
    /// `memset(parms, 0, ...)` with the kind's protocol and ttl defaults.
    pub(crate) fn zero(protocol: u8, ttl: u8) -> Self {
        Parms {
            link: 0,
            local: Ipv4Addr::UNSPECIFIED,
            remote: Ipv4Addr::UNSPECIFIED,
            i_key: 0,
            o_key: 0,
            i_flags: 0,
            ttl,
            tos: 0,
            protocol,
            pmtudisc: false,
        }
    }
}

/// `ip_tunnel_netlink_parms` (net/ipv4/ip_tunnel_core.c).
pub(crate) fn ip_tunnel_netlink_parms(d: &IpTunnelData, p: &mut Parms) {
    if let Some(v) = d.link {
        p.link = v;
    }
    if let Some(a) = d.local {
        p.local = a;
    }
    if let Some(a) = d.remote {
        p.remote = a;
    }
    if let Some(v) = d.ttl {
        p.ttl = v;
        if v != 0 {
            p.pmtudisc = true;
        }
    }
    if let Some(v) = d.tos {
        p.tos = v;
    }
    if d.pmtudisc.is_none_or(|v| v != 0) {
        p.pmtudisc = true;
    }
    if let Some(f) = d.flags {
        p.i_flags = f;
    }
    if let Some(v) = d.proto {
        p.protocol = v;
    }
}

/// `ip_tunnel_netlink_encap_parms` + `ip_tunnel_encap_setup` / `ip6_tnl_encap_setup` from
/// IFLA_*_ENCAP_{TYPE,FLAGS,SPORT,DPORT}: the encapsulation when any of them is present
/// (absent ones 0), `None` otherwise. `ip_encap_hlen`: a type other than TUNNEL_ENCAP_NONE
/// needs the fou module's ops, refused as `unmodelled`.
pub(crate) fn netlink_encap(
    [kind, flags, sport, dport]: [Option<u16>; 4],
    unmodelled: &'static str,
) -> KResult<Option<TunnelEncap>> {
    if kind.is_none() && flags.is_none() && sport.is_none() && dport.is_none() {
        return Ok(None);
    }
    let e = TunnelEncap {
        kind: kind.unwrap_or(0),
        flags: flags.unwrap_or(0),
        sport: sport.unwrap_or(0),
        dport: dport.unwrap_or(0),
    };
    if e.kind != 0 {
        return Err(KernelError::not_modelled(unmodelled));
    }
    Ok(Some(e))
}

/// `ip_tunnel_netlink_encap_parms` + `ip_tunnel_encap_setup`: the encapsulation to store, or
/// `None` when the request names none. Any type but none needs the fou module's ops.
pub(crate) fn encap_setup(d: &IpTunnelData) -> KResult<Option<TunnelEncap>> {
    netlink_encap(
        [d.encap_type, d.encap_flags, d.encap_sport, d.encap_dport],
        "FOU/GUE tunnel encapsulation",
    )
}

pub(crate) fn state(d: &NetDevice) -> Option<&IpTunnelState> {
    d.state.downcast_ref::<IpTunnelState>()
}

pub(crate) fn st(k: &Kernel, id: DevId) -> KResult<&IpTunnelState> {
    state(k.dev(id)).ok_or_else(|| KernelError::new(errno::EINVAL))
}

pub(crate) fn st_mut(k: &mut Kernel, id: DevId) -> KResult<&mut IpTunnelState> {
    k.dev_mut(id)
        .state
        .downcast_mut::<IpTunnelState>()
        .ok_or_else(|| KernelError::new(errno::EINVAL))
}

pub(crate) fn data_of(req: &LinkRequest) -> Option<&IpTunnelData> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<IpTunnelData>()
}

/// `tunnel->net` (the device's own namespace before creation finished).
pub(crate) fn tunnel_net(d: &NetDevice) -> NetnsId {
    state(d).and_then(|s| s.net).unwrap_or(d.netns)
}

/// The table `net_generic(ns, <kind>_net_id)`: the tunnels of the kind whose `tunnel->net` is
/// `ns`, wherever the devices are now.
pub(crate) fn table(
    k: &Kernel,
    ns: NetnsId,
    kind: IpTunnelKind,
) -> impl Iterator<Item = (&NetDevice, &IpTunnelState)> + '_ {
    k.all_devices()
        .filter(move |d| d.kind == kind.kind() && tunnel_net(d) == ns)
        .filter_map(|d| state(d).map(|s| (d, s)))
}

pub(crate) fn ip4_hwaddr(a: Ipv4Addr) -> HwAddr {
    HwAddr::from_slice(&a.octets()).unwrap_or(HwAddr::NONE)
}

/// `ip_tunnel_key_match`.
fn key_match(t: &IpTunnelState, flags: u16, key: u32) -> bool {
    if flags & TUNNEL_KEY == 0 {
        return t.parms.i_flags & TUNNEL_KEY == 0;
    }
    t.parms.i_flags & TUNNEL_KEY != 0 && t.parms.i_key == key
}

/// `ip_tunnel_find`: the newest tunnel of the table with these addresses, link, type and key
/// (the bucket `ip_bucket` picks holds every such tunnel: it hashes the remote and a key
/// that only TUNNEL_KEY makes non-zero here).
fn ip_tunnel_find(
    k: &Kernel,
    ns: NetnsId,
    kind: IpTunnelKind,
    p: &Parms,
    dev_type: u16,
) -> Option<DevId> {
    table(k, ns, kind)
        .filter(|(d, t)| {
            t.parms.local == p.local
                && t.parms.remote == p.remote
                && t.parms.link == p.link
                && d.dev_type == dev_type
                && key_match(t, p.i_flags, p.i_key)
        })
        .map(|(d, _)| d.id)
        .max_by_key(|id| id.0)
}

/// `rtnl_dereference(itn->collect_md_tun)`: at most one external tunnel per table (newlink
/// refuses a second, changelink cannot make one).
fn collect_md_tun(k: &Kernel, ns: NetnsId, kind: IpTunnelKind) -> bool {
    table(k, ns, kind).any(|(_, t)| t.collect_md)
}

/// `ip_tunnel_bind_dev`: the MTU from the device the tunnel's packets would leave by (routes
/// and `parms.link` looked up in `tunnel->net`); sets POINTOPOINT when there is a remote.
fn ip_tunnel_bind_dev(k: &mut Kernel, id: DevId) -> KResult<u32> {
    let (ns, s) = (tunnel_net(k.dev(id)), st(k, id)?.clone());
    let mut tdev = None;
    if !s.parms.remote.is_unspecified() {
        tdev = super::gre::ip_route_output(k, ns, IpAddr::V4(s.parms.remote), s.parms.link);
        k.dev_mut(id).flags |= iff::POINTOPOINT;
    }
    if tdev.is_none() && s.parms.link != 0 {
        tdev = k.dev_by_index(ns, s.parms.link);
    }
    let mtu = tdev.map_or(ETH_DATA_LEN, |t| k.dev(t).mtu.min(IP_MAX_MTU));
    Ok(mtu.saturating_sub(IPHDR_LEN).max(IPV4_MIN_MTU))
}

/// The largest MTU `__ip_tunnel_change_mtu` accepts (hlen 0, not ARPHRD_ETHER).
const MAX_MTU: u32 = IP_MAX_MTU - IPHDR_LEN;

/// ipip and vti.
pub struct IpTunnelOps {
    kind: IpTunnelKind,
}

pub static IPIP_OPS: IpTunnelOps = IpTunnelOps {
    kind: IpTunnelKind::Ipip,
};
pub static VTI_OPS: IpTunnelOps = IpTunnelOps {
    kind: IpTunnelKind::Vti,
};

impl IpTunnelOps {
    /// `ipip_netlink_parms` / `vti_netlink_parms`: the parameters, the fwmark (kept when the
    /// request names none: changelink passes the tunnel's) and whether collect_md was asked.
    fn netlink_parms(&self, data: Option<&IpTunnelData>, fwmark: &mut u32) -> (Parms, bool) {
        let mut p = Parms::zero(ipproto::IPIP, 0);
        let Some(d) = data else {
            return (p, false);
        };
        if let Some(v) = d.fwmark {
            *fwmark = v;
        }
        match self.kind {
            IpTunnelKind::Vti => {
                // vti_netlink_parms: IP_TUNNEL_VTI_BIT; keys are marks, not TUNNEL_KEY.
                if let Some(v) = d.link {
                    p.link = v;
                }
                p.i_key = d.ikey.unwrap_or(0);
                p.o_key = d.okey.unwrap_or(0);
                if let Some(a) = d.local {
                    p.local = a;
                }
                if let Some(a) = d.remote {
                    p.remote = a;
                }
                (p, false)
            }
            _ => {
                ip_tunnel_netlink_parms(d, &mut p);
                (p, d.collect_metadata)
            }
        }
    }

    /// `ipip_newlink` / `vti_newlink` → `ip_tunnel_newlink`.
    fn ip_tunnel_newlink(
        &self,
        k: &mut Kernel,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let data = data_of(req);
        let encap = match (self.kind, data) {
            (IpTunnelKind::Ipip, Some(d)) => encap_setup(d)?,
            _ => None,
        };
        let mut fwmark = 0;
        let (p, collect_md) = self.netlink_parms(data, &mut fwmark);
        let ns = dev.netns;
        if collect_md {
            if collect_md_tun(k, ns, self.kind) {
                return err(errno::EEXIST);
            }
        } else if ip_tunnel_find(k, ns, self.kind, &p, dev.dev_type).is_some() {
            return err(errno::EEXIST);
        }
        let Some(t) = dev.state.downcast_mut::<IpTunnelState>() else {
            return err(errno::EINVAL);
        };
        store_new_parms(t, ns, &p, fwmark, encap);
        t.collect_md = collect_md;
        // ipip_tunnel_init / vti_tunnel_init (ndo_init, inside register_netdevice).
        dev.addr = ip4_hwaddr(p.local);
        dev.broadcast = ip4_hwaddr(p.remote);
        if self.kind == IpTunnelKind::Vti {
            dev.flags = iff::NOARP;
        }
        let id = k.register_netdevice(dev)?;
        let mut mtu = ip_tunnel_bind_dev(k, id)?;
        if req.mtu.is_some() {
            mtu = k.dev(id).mtu.clamp(ETH_MIN_MTU, MAX_MTU);
        }
        if let Err(e) = k.dev_set_mtu(id, mtu) {
            k.unregister_many(&[id], false);
            return Err(e);
        }
        Ok(id)
    }

    /// `ipip_changelink` / `vti_changelink` → `ip_tunnel_changelink` → `ip_tunnel_update`.
    fn ip_tunnel_changelink(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &IpTunnelData,
        mtu_given: bool,
    ) -> KResult<()> {
        if self.kind == IpTunnelKind::Ipip {
            if let Some(e) = encap_setup(data)? {
                st_mut(k, id)?.encap = e;
            }
        }
        let mut fwmark = st(k, id)?.fwmark;
        let (p, collect_md) = self.netlink_parms(Some(data), &mut fwmark);
        let flags = k.dev(id).flags;
        if self.kind == IpTunnelKind::Ipip {
            // ipip_changelink: no switching to external, no adding or removing the remote.
            if collect_md {
                return err(errno::EINVAL);
            }
            if (flags & iff::POINTOPOINT != 0) == p.remote.is_unspecified() {
                return err(errno::EINVAL);
            }
        }
        let (ns, dev_type) = (tunnel_net(k.dev(id)), k.dev(id).dev_type);
        match ip_tunnel_find(k, ns, self.kind, &p, dev_type) {
            Some(t) if t != id => return err(errno::EEXIST),
            Some(_) => {}
            None => {
                let nflags = if p.remote.is_multicast() {
                    iff::BROADCAST
                } else if !p.remote.is_unspecified() {
                    iff::POINTOPOINT
                } else {
                    0
                };
                if (flags ^ nflags) & (iff::POINTOPOINT | iff::BROADCAST) != 0 {
                    return err(errno::EINVAL);
                }
            }
        }
        // ip_tunnel_update
        let relink = {
            let t = st_mut(k, id)?;
            t.parms.local = p.local;
            t.parms.remote = p.remote;
            t.parms.i_key = p.i_key;
            t.parms.o_key = p.o_key;
            t.parms.ttl = p.ttl;
            t.parms.tos = p.tos;
            t.parms.pmtudisc = p.pmtudisc;
            t.parms.link != p.link || t.fwmark != fwmark
        };
        {
            let d = k.dev_mut(id);
            d.addr = ip4_hwaddr(p.local);
            d.broadcast = ip4_hwaddr(p.remote);
        }
        if relink {
            let t = st_mut(k, id)?;
            t.parms.link = p.link;
            t.fwmark = fwmark;
            let mtu = ip_tunnel_bind_dev(k, id)?;
            if !mtu_given {
                k.dev_mut(id).mtu = mtu;
            }
        }
        k.netdev_state_change(id);
        Ok(())
    }
}

/// `ipip_tunnel_setup` / `vti_tunnel_setup` and `alloc_netdev_mqs` (no queue length from the
/// setup: IFF_NO_QUEUE, qlen 1000); also sit's, with its own type and MTU limits.
pub(crate) fn tunnel_setup(dev: &mut NetDevice, kind: IpTunnelKind, dev_type: u16) {
    dev.dev_type = dev_type;
    dev.flags = iff::NOARP;
    dev.no_queue = true;
    dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
    dev.addr = ip4_hwaddr(Ipv4Addr::UNSPECIFIED);
    dev.broadcast = dev.addr;
    dev.mtu = ETH_DATA_LEN - IPHDR_LEN;
    dev.min_mtu = 0;
    dev.max_mtu = 0;
    dev.state = KindState::boxed(Box::new(IpTunnelState::new(kind)));
}

/// `ip_tunnel_delete_nets` → `ip_tunnel_destroy` / `sit_destroy_tunnels`: the devices of the
/// kind in the namespace, then the tunnels of its table that live elsewhere.
pub(crate) fn destroy_tunnels(k: &Kernel, ns: NetnsId, kind: IpTunnelKind) -> Vec<DevId> {
    destroy_tunnels_of(k, ns, &[kind.kind()], tunnel_net)
}

/// A new tunnel takes the request's parms whole (`nt->parms = *p` in `ip_tunnel_newlink`,
/// `ipip6_tunnel_create`), its fwmark, its encapsulation if one was named, and joins the
/// table of its creation namespace (`nt->net = net`).
pub(crate) fn store_new_parms(
    t: &mut IpTunnelState,
    ns: NetnsId,
    p: &Parms,
    fwmark: u32,
    encap: Option<TunnelEncap>,
) {
    t.net = Some(ns);
    t.parms = p.clone();
    t.fwmark = fwmark;
    if let Some(e) = encap {
        t.encap = e;
    }
}

/// The `ip_tunnel_destroy` walk every tunnel module repeats (`ip6_tnl_destroy_tunnels`,
/// `ip6gre_destroy_tunnels` too): the devices of `kinds` in the namespace
/// (`for_each_netdev_safe`, `dev->rtnl_link_ops == ops`), then the tunnels of its table that
/// live elsewhere (`!net_eq(dev_net(t->dev), net)`); `net_of` is the kind's `tunnel->net`.
pub(crate) fn destroy_tunnels_of(
    k: &Kernel,
    ns: NetnsId,
    kinds: &[Kind],
    net_of: impl Fn(&NetDevice) -> NetnsId,
) -> Vec<DevId> {
    let mut kill: Vec<DevId> = k
        .devices_from(ns, 0)
        .filter(|d| kinds.contains(&d.kind))
        .map(|d| d.id)
        .collect();
    for id in k.devices_in_netns_order() {
        let d = k.dev(id);
        if kinds.contains(&d.kind) && d.netns != ns && net_of(d) == ns {
            kill.push(id);
        }
    }
    kill
}

/// `ip_tunnel_get_iflink`: `parms.link`, 0 without one (`@NONE`).
pub(crate) fn ip_tunnel_get_iflink(dev: &NetDevice) -> u32 {
    state(dev).map_or(0, |s| s.parms.link)
}

/// `ip_tunnel_get_link_net`: `tunnel->net`.
pub(crate) fn ip_tunnel_get_link_net(dev: &NetDevice) -> Option<NetnsId> {
    Some(tunnel_net(dev))
}

/// A saved ip_tunnel state of this kind (ipip, vti and sit share `struct ip_tunnel`).
pub(crate) fn ip_tunnel_state_fits(state: &KindState, kind: IpTunnelKind) -> bool {
    state
        .downcast_ref::<IpTunnelState>()
        .is_some_and(|s| s.kind == kind)
}

/// State-file check: `tunnel->net` names a live namespace.
pub(crate) fn ip_tunnel_check_links(k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
    match state(d) {
        Some(s) => k.check_netns_ref(d, "net", s.net),
        None => Ok(()),
    }
}

impl LinkOps for IpTunnelOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some(match self.kind {
            IpTunnelKind::Vti => "vti",
            _ => "ipip",
        })
    }

    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        tunnel_setup(dev, self.kind, ARPHRD_TUNNEL);
    }

    /// `ipip_tunnel_validate`: IFLA_IPTUN_PROTO 0, IPPROTO_IPIP or IPPROTO_MPLS; vti's
    /// `vti_tunnel_validate` accepts anything.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        if self.kind != IpTunnelKind::Ipip {
            return Ok(());
        }
        match data_of(req).and_then(|d| d.proto) {
            None | Some(0) | Some(ipproto::IPIP) | Some(ipproto::MPLS) => Ok(()),
            Some(_) => err(errno::EINVAL),
        }
    }

    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        self.ip_tunnel_newlink(k, dev, req)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink_tb(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &KindData,
        req: &LinkRequest,
    ) -> KResult<()> {
        let Some(data) = data.downcast_ref::<IpTunnelData>() else {
            return err(errno::EINVAL);
        };
        self.ip_tunnel_changelink(k, id, data, req.mtu.is_some())
    }

    /// No `ndo_set_mac_address` in `ipip_netdev_ops` / `vti_netdev_ops`.
    fn has_set_mac_address(&self) -> bool {
        false
    }

    /// `ip_tunnel_change_mtu` (`__ip_tunnel_change_mtu`, strict): EINVAL without extack.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        if !(ETH_MIN_MTU..=MAX_MTU).contains(&mtu) {
            return err(errno::EINVAL);
        }
        k.dev_mut(id).mtu = mtu;
        Ok(())
    }

    /// `ip_tunnel_get_iflink`.
    fn iflink_without_link(&self, dev: &NetDevice) -> u32 {
        ip_tunnel_get_iflink(dev)
    }

    /// `ip_tunnel_get_link_net`.
    fn get_link_net(&self, _k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        ip_tunnel_get_link_net(dev)
    }

    fn state_fits(&self, state: &KindState) -> bool {
        ip_tunnel_state_fits(state, self.kind)
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        ip_tunnel_check_links(k, d)
    }

    /// The extra modules load after the preloaded tunnel modules, so their `exit_batch_rtnl`
    /// runs first (`ops_exit_rtnl_list` walks the pernet list in reverse).
    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(0)
    }

    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        destroy_tunnels(k, ns, self.kind)
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|s| KindInfo::boxed(Box::new(s.clone())))
    }
}

#[typetag::serde(name = "IpTunnel")]
impl KindPriv for IpTunnelState {}

#[typetag::serde(name = "IpTunnel")]
impl KindDataValue for IpTunnelData {}

#[typetag::serde(name = "IpTunnel")]
impl KindInfoValue for IpTunnelState {}
