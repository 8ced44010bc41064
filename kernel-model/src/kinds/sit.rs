//! sit (net/ipv6/sit.c): IPv6 (and IPv4, MPLS) over IPv4, with its own tunnel table
//! (`sit_net`), not ip_tunnel.c's; the state and request data are ipip's
//! ([`IpTunnelState`], [`IpTunnelData`]).
//!
//! * Identity (`ipip6_tunnel_locate`): local, remote and link only: mode, ttl and flags are not
//!   part of it, and there is no separate external slot (IFLA_IPTUN_COLLECT_METADATA is not
//!   in `ipip6_policy`'s reading): an `external` sit is a wildcard tunnel, so a second one, or
//!   a wildcard after it, is refused with a bare EEXIST. The table is the one of `tunnel->net`
//!   (a moved tunnel stays in its creation namespace's table).
//! * Defaults (`ipip6_netlink_parms`): protocol IPPROTO_IPV6, ttl 64, IP_DF unless PMTUDISC 0;
//!   6rd prefix 2002::/16 (`ipip6_tunnel_clone_6rd` without a fallback device).
//! * MTU: `ipip6_tunnel_setup` gives 1480 and the limits 1280..65555 (`dev_validate_mtu`
//!   refuses outside them with extack); `ipip6_tunnel_bind_dev` takes the output device's
//!   MTU − 20 (floor 1280) and leaves the MTU alone without one.

use super::ip_tunnel::{
    data_of, destroy_tunnels, encap_setup, ip4_hwaddr, ip_tunnel_check_links, ip_tunnel_get_iflink,
    ip_tunnel_get_link_net, ip_tunnel_netlink_parms, ip_tunnel_state_fits, ipproto, st, st_mut,
    state, store_new_parms, table, tunnel_net, tunnel_setup, Ip6rd, IpTunnelData, IpTunnelKind,
    IpTunnelState, Parms, ARPHRD_SIT, IPHDR_LEN,
};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult};
use crate::hwaddr::SeededRng;
use crate::kernel::Kernel;
use crate::request::{KindData, LinkRequest};
use crate::uapi::{errno, iff};
use crate::validate::Violation;
use crate::view::KindInfo;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `IPV6_MIN_MTU`.
const IPV6_MIN_MTU: u32 = 1280;
/// `IP6_MAX_MTU` (0xFFFF + sizeof(struct ipv6hdr)).
const IP6_MAX_MTU: u32 = 0xffff + 40;

pub struct SitOps;

/// `ipip6_tunnel_clone_6rd` when the namespace has no fallback sit0: 2002::/16, no relay.
fn default_6rd() -> Ip6rd {
    Ip6rd {
        prefix: Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0),
        relay_prefix: Ipv4Addr::UNSPECIFIED,
        prefixlen: 16,
        relay_prefixlen: 0,
    }
}

/// `ipip6_netlink_parms`: the parameters and the fwmark (kept when the request names none).
fn netlink_parms(data: Option<&IpTunnelData>, fwmark: &mut u32) -> Parms {
    let mut p = Parms::zero(ipproto::IPV6, 64);
    if let Some(d) = data {
        ip_tunnel_netlink_parms(d, &mut p);
        if let Some(v) = d.fwmark {
            *fwmark = v;
        }
    }
    p
}

/// `ipip6_netlink_6rd_parms`: the 6rd parameters when the request names any (the others 0).
fn netlink_6rd_parms(d: &IpTunnelData) -> Option<Ip6rd> {
    if d.ip6rd_prefix.is_none()
        && d.ip6rd_relay_prefix.is_none()
        && d.ip6rd_prefixlen.is_none()
        && d.ip6rd_relay_prefixlen.is_none()
    {
        return None;
    }
    Some(Ip6rd {
        prefix: d.ip6rd_prefix.unwrap_or(Ipv6Addr::UNSPECIFIED),
        relay_prefix: d.ip6rd_relay_prefix.unwrap_or(Ipv4Addr::UNSPECIFIED),
        prefixlen: d.ip6rd_prefixlen.unwrap_or(0),
        relay_prefixlen: d.ip6rd_relay_prefixlen.unwrap_or(0),
    })
}

/// `ipip6_tunnel_update_6rd`: EINVAL unless the prefixes fit 64 bits and carry no bits past
/// their lengths.
fn update_6rd(k: &mut Kernel, id: DevId, r: Ip6rd) -> KResult<()> {
    if r.relay_prefixlen > 32 || u32::from(r.prefixlen) + (32 - u32::from(r.relay_prefixlen)) > 64 {
        return err(errno::EINVAL);
    }
    // ipv6_addr_prefix
    let bits = u128::from(r.prefix);
    let mask = match r.prefixlen {
        0 => 0,
        n => u128::MAX << (128 - u32::from(n)),
    };
    if bits & mask != bits {
        return err(errno::EINVAL);
    }
    let relay = u32::from(r.relay_prefix);
    let relay_masked = match r.relay_prefixlen {
        0 => 0,
        n => relay & (u32::MAX << (32 - u32::from(n))),
    };
    if relay_masked != relay {
        return err(errno::EINVAL);
    }
    st_mut(k, id)?.ip6rd = Some(r);
    k.netdev_state_change(id);
    Ok(())
}

/// `ipip6_tunnel_locate(net, parms, 0)`: the tunnel of the table with these addresses and
/// link.
fn locate(k: &Kernel, ns: NetnsId, p: &Parms) -> Option<DevId> {
    table(k, ns, IpTunnelKind::Sit)
        .find(|(_, t)| {
            t.parms.local == p.local && t.parms.remote == p.remote && t.parms.link == p.link
        })
        .map(|(d, _)| d.id)
}

/// `ipip6_tunnel_bind_dev`: POINTOPOINT with a remote (the first answer); the MTU of the
/// output device (route to remote in `tunnel->net`, else `parms.link`) − 20, floor 1280,
/// unless there is none or it is an L3 master.
fn bind_dev(k: &Kernel, ns: NetnsId, remote: Ipv4Addr, link: u32) -> (bool, Option<u32>) {
    let mut tdev = None;
    if !remote.is_unspecified() {
        tdev = super::gre::ip_route_output(k, ns, IpAddr::V4(remote), link);
    }
    if tdev.is_none() && link != 0 {
        tdev = k.dev_by_index(ns, link);
    }
    // netif_is_l3_master
    let mtu = tdev
        .map(|t| k.dev(t))
        .filter(|t| t.kind != Kind::VRF)
        .map(|t| t.mtu.saturating_sub(IPHDR_LEN).max(IPV6_MIN_MTU));
    (!remote.is_unspecified(), mtu)
}

/// Apply what [`bind_dev`] found.
fn apply_bind(dev: &mut NetDevice, (ptp, mtu): (bool, Option<u32>)) {
    if ptp {
        dev.flags |= iff::POINTOPOINT;
    }
    if let Some(m) = mtu {
        dev.mtu = m;
    }
}

impl SitOps {
    /// `ipip6_newlink` → `ipip6_tunnel_create`.
    fn ipip6_newlink(
        &self,
        k: &mut Kernel,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let ns = dev.netns;
        let data = data_of(req);
        let encap = match data {
            Some(d) => encap_setup(d)?,
            None => None,
        };
        let mut fwmark = 0;
        let p = netlink_parms(data, &mut fwmark);
        if locate(k, ns, &p).is_some() {
            return err(errno::EEXIST);
        }
        let Some(t) = dev.state.downcast_mut::<IpTunnelState>() else {
            return err(errno::EINVAL);
        };
        // sit's netlink parms leave the keys 0: copying them changes nothing.
        store_new_parms(t, ns, &p, fwmark, encap);
        t.ip6rd = Some(default_6rd());
        dev.addr = ip4_hwaddr(p.local);
        dev.broadcast = ip4_hwaddr(p.remote);
        // ipip6_tunnel_init (ndo_init).
        apply_bind(&mut dev, bind_dev(k, ns, p.remote, p.link));
        let id = k.register_netdevice(dev)?;
        if let Some(m) = req.mtu {
            // hard_header_len is 0.
            if (IPV6_MIN_MTU..=IP6_MAX_MTU).contains(&m) {
                k.dev_mut(id).mtu = m;
            }
        }
        if let Some(r) = data.and_then(netlink_6rd_parms) {
            if let Err(e) = update_6rd(k, id, r) {
                k.unregister_many(&[id], false);
                return Err(e);
            }
        }
        Ok(id)
    }

    /// `ipip6_changelink` → `ipip6_tunnel_update` (+ `ipip6_tunnel_update_6rd`).
    fn ipip6_changelink(&self, k: &mut Kernel, id: DevId, data: &IpTunnelData) -> KResult<()> {
        if let Some(e) = encap_setup(data)? {
            st_mut(k, id)?.encap = e;
        }
        let mut fwmark = st(k, id)?.fwmark;
        let p = netlink_parms(Some(data), &mut fwmark);
        if (k.dev(id).flags & iff::POINTOPOINT != 0) == p.remote.is_unspecified() {
            return err(errno::EINVAL);
        }
        let ns = tunnel_net(k.dev(id));
        if locate(k, ns, &p).is_some_and(|t| t != id) {
            return err(errno::EEXIST);
        }
        let relink = {
            let t = st_mut(k, id)?;
            t.parms.local = p.local;
            t.parms.remote = p.remote;
            t.parms.ttl = p.ttl;
            t.parms.tos = p.tos;
            t.parms.pmtudisc = p.pmtudisc;
            let relink = t.parms.link != p.link || t.fwmark != fwmark;
            t.parms.link = p.link;
            t.fwmark = fwmark;
            relink
        };
        {
            let d = k.dev_mut(id);
            d.addr = ip4_hwaddr(p.local);
            d.broadcast = ip4_hwaddr(p.remote);
        }
        if relink {
            let found = bind_dev(k, ns, p.remote, p.link);
            apply_bind(k.dev_mut(id), found);
        }
        k.netdev_state_change(id);
        if let Some(r) = netlink_6rd_parms(data) {
            return update_6rd(k, id, r);
        }
        Ok(())
    }
}

impl LinkOps for SitOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("sit")
    }

    /// `ipip6_tunnel_setup`: ARPHRD_SIT, mtu 1480, min/max 1280/65555.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        tunnel_setup(dev, IpTunnelKind::Sit, ARPHRD_SIT);
        dev.min_mtu = IPV6_MIN_MTU;
        dev.max_mtu = IP6_MAX_MTU - IPHDR_LEN;
    }

    /// `ipip6_validate` → `ipip6_valid_ip_proto`: 0, IPPROTO_IPV6, IPPROTO_IPIP, IPPROTO_MPLS.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        match data_of(req).and_then(|d| d.proto) {
            None | Some(0) | Some(ipproto::IPV6) | Some(ipproto::IPIP) | Some(ipproto::MPLS) => {
                Ok(())
            }
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
        self.ipip6_newlink(k, dev, req)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(data) = data.downcast_ref::<IpTunnelData>() else {
            return err(errno::EINVAL);
        };
        self.ipip6_changelink(k, id, data)
    }

    /// No `ndo_set_mac_address` in `ipip6_netdev_ops`.
    fn has_set_mac_address(&self) -> bool {
        false
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
        ip_tunnel_state_fits(state, IpTunnelKind::Sit)
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        ip_tunnel_check_links(k, d)
    }

    /// Loaded after the preloaded tunnel modules: its `exit_batch_rtnl` runs first.
    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(0)
    }

    /// `sit_exit_batch_rtnl` → `sit_destroy_tunnels`.
    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        destroy_tunnels(k, ns, IpTunnelKind::Sit)
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|s| KindInfo::boxed(Box::new(s.clone())))
    }
}
