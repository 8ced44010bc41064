//! vti6 (net/ipv6/ip6_vti.c): the IPv6 virtual tunnel interface for IPsec, as in Debian's
//! 6.12.117. Its `struct ip6_tnl` is ip6tnl's ([`Ip6TnlState`]); the rules differ:
//!
//! * Identity (`vti6_locate`): local and remote address only (neither keys nor `link`); a
//!   clash is EEXIST. One table per namespace (`vti6_net_id`), the one of `tunnel->net`.
//! * MTU (`vti6_link_config`): the `link` device's (or the route's, when the tunnel can
//!   transmit) minus 40, else ETH_DATA_LEN − LL_MAX_HEADER − 40 (1332 on the oracle's
//!   kernel), at least 68; an IFLA_MTU given is kept (clamped to 68..65495). No
//!   `ndo_change_mtu`: any MTU in 68..65495 is taken.
//! * The IPsec data path (xfrm states and policies) is not modelled; the link is.

use super::gre::TnlParms;
use super::ip6tnl::{
    ip6_tnl_check_links, ip6_tnl_get_iflink, ip6_tnl_get_link_net, ip6_tnl_state_fits,
    link_config_common, link_tdev, locate, state, table, tunnel6_setup, tunnel_net, Ip6TnlState,
    IPPROTO_IPV6,
};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult};
use crate::hwaddr::SeededRng;
use crate::kernel::Kernel;
use crate::netdev_priv::KindDataValue;
use crate::request::{KindData, LinkRequest};
use crate::uapi::errno;
use crate::validate::Violation;
use crate::view::KindInfo;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv6Addr};

/// `IPV4_MIN_MTU`: vti6's `min_mtu` and MTU floor.
const IPV4_MIN_MTU: u32 = 68;
/// `IP_MAX_MTU − sizeof(struct ipv6hdr)`: vti6's `max_mtu`.
const VTI6_MAX_MTU: u32 = 0xffff - 40;
/// `ETH_DATA_LEN − LL_MAX_HEADER − sizeof(struct ipv6hdr)` (LL_MAX_HEADER 128 in Debian's
/// config): the MTU without a device to follow.
const VTI6_DEFAULT_MTU: u32 = 1500 - 128 - 40;

/// IFLA_INFO_DATA of vti6 (`vti6_policy`); keys in host order of their big-endian attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vti6Data {
    pub link: Option<u32>,
    pub local: Option<Ipv6Addr>,
    pub remote: Option<Ipv6Addr>,
    pub ikey: Option<u32>,
    pub okey: Option<u32>,
    pub fwmark: Option<u32>,
}

/// What `vti6_fill_info` reports: the tunnel's parameters.
pub type Vti6Info = Ip6TnlState;

fn data_of(req: &LinkRequest) -> Option<&Vti6Data> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<Vti6Data>()
}

/// `vti6_netlink_parms`: everything absent is 0.
fn vti6_netlink_parms(d: &Vti6Data) -> TnlParms {
    let mut p = Ip6TnlState::new().parms;
    if let Some(v) = d.link {
        p.link = v;
    }
    if let Some(a) = d.local {
        p.local = IpAddr::V6(a);
    }
    if let Some(a) = d.remote {
        p.remote = IpAddr::V6(a);
    }
    if let Some(v) = d.ikey {
        p.i_key = v;
    }
    if let Some(v) = d.okey {
        p.o_key = v;
    }
    if let Some(v) = d.fwmark {
        p.fwmark = v;
    }
    p
}

/// `vti6_link_config(t, keep_mtu)` of the tunnel of `ns`'s table.
fn vti6_link_config(k: &Kernel, ns: NetnsId, dev: &mut NetDevice, keep_mtu: bool) -> KResult<()> {
    let Some(s) = dev.state.downcast_ref::<Ip6TnlState>() else {
        return err(errno::EINVAL);
    };
    let mut p = s.parms.clone();
    link_config_common(dev, &mut p);
    if keep_mtu && dev.mtu != 0 {
        dev.mtu = dev.mtu.clamp(dev.min_mtu, dev.max_mtu);
    } else {
        let mtu = match link_tdev(k, ns, &p, false) {
            Some(t) => k.dev(t).mtu as i64 - 40,
            None => VTI6_DEFAULT_MTU as i64,
        };
        dev.mtu = mtu.max(IPV4_MIN_MTU as i64) as u32;
    }
    match dev.state.downcast_mut::<Ip6TnlState>() {
        Some(s) => s.parms = p,
        None => return err(errno::EINVAL),
    }
    Ok(())
}

pub struct Vti6Ops;

impl LinkOps for Vti6Ops {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("vti6")
    }

    /// `vti6_dev_setup`: as ip6tnl's, with `min_mtu` 68 and `max_mtu` 65495 set here.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        tunnel6_setup(dev, rng);
        dev.min_mtu = IPV4_MIN_MTU;
        dev.max_mtu = VTI6_MAX_MTU;
    }

    /// `vti6_newlink` → `vti6_tnl_create2` (`register_netdevice`, `vti6_dev_init`).
    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        mut dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let ns = dev.netns;
        let p = data_of(req)
            .map(vti6_netlink_parms)
            .unwrap_or_else(|| Ip6TnlState::new().parms);
        if locate(k, ns, Kind::VTI6, &p, false).is_some() {
            return err(errno::EEXIST);
        }
        match dev.state.downcast_mut::<Ip6TnlState>() {
            Some(t) => {
                t.parms = p;
                t.proto = IPPROTO_IPV6;
                t.net = Some(ns);
            }
            None => return err(errno::EINVAL),
        }
        // vti6_dev_init: vti6_link_config(t, true); the MTU rtnl_create_link took from
        // IFLA_MTU is kept.
        if req.mtu.is_none() {
            dev.mtu = 0;
        }
        vti6_link_config(k, ns, &mut dev, true)?;
        k.register_netdevice(dev)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `vti6_changelink` → `vti6_update(t, &p, tb[IFLA_MTU])`: the end points must not be
    /// another tunnel's (EEXIST); link, keys, proto (0 now) and fwmark are replaced.
    fn changelink_tb(
        &self,
        k: &mut Kernel,
        id: DevId,
        data: &KindData,
        req: &LinkRequest,
    ) -> KResult<()> {
        let Some(data) = data.downcast_ref::<Vti6Data>() else {
            return err(errno::EINVAL);
        };
        let p = vti6_netlink_parms(data);
        let ns = tunnel_net(k.dev(id));
        if let Some(t) = locate(k, ns, Kind::VTI6, &p, false) {
            if t != id {
                return err(errno::EEXIST);
            }
        }
        let mut dev = k.dev(id).clone();
        match dev.state.downcast_mut::<Ip6TnlState>() {
            Some(t) => {
                let flags = t.parms.flags;
                let collect_md = t.parms.collect_md;
                t.parms = TnlParms {
                    flags,
                    collect_md,
                    ttl: t.parms.ttl,
                    encap_limit: t.parms.encap_limit,
                    flowinfo: t.parms.flowinfo,
                    ..p
                };
                t.proto = 0;
            }
            None => return err(errno::EINVAL),
        }
        vti6_link_config(k, ns, &mut dev, req.mtu.is_some())?;
        *k.dev_mut(id) = dev;
        k.netdev_state_change(id);
        Ok(())
    }

    /// No `ndo_set_mac_address`.
    fn has_set_mac_address(&self) -> bool {
        false
    }

    /// `ip6_tnl_get_iflink` (`vti6_netdev_ops`).
    fn iflink_without_link(&self, dev: &NetDevice) -> u32 {
        ip6_tnl_get_iflink(dev)
    }

    /// `ip6_tnl_get_link_net` (`vti6_link_ops`).
    fn get_link_net(&self, _k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        ip6_tnl_get_link_net(dev)
    }

    fn state_fits(&self, state: &KindState) -> bool {
        ip6_tnl_state_fits(state)
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        ip6_tnl_check_links(k, d)
    }

    /// ip6_vti is loaded after the preloaded tunnel modules: its pernet exit runs among the
    /// first (the registry sorts equal ranks by id, which puts it after ip6gre and ip6tnl:
    /// the order only shows in the RTM_DELLINKs of a dying namespace).
    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(0)
    }

    /// `vti6_destroy_tunnels`: every tunnel of the table with an end point, wherever it
    /// lives, and only the newest wildcard one (`tnls_wc[0]`'s head).
    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        let any = IpAddr::V6(Ipv6Addr::UNSPECIFIED);
        let wild =
            |d: &NetDevice| state(d).is_some_and(|s| s.parms.local == any && s.parms.remote == any);
        let mut kill: Vec<DevId> = table(k, ns, Kind::VTI6)
            .filter(|d| !wild(d))
            .map(|d| d.id)
            .collect();
        if let Some(w) = table(k, ns, Kind::VTI6)
            .filter(|d| wild(d))
            .map(|d| d.id)
            .max_by_key(|id| id.0)
        {
            kill.push(w);
        }
        kill
    }

    fn fill_info(&self, _k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        state(dev).map(|s| KindInfo::boxed(Box::new(s.clone())))
    }
}

#[typetag::serde(name = "Vti6")]
impl KindDataValue for Vti6Data {}
