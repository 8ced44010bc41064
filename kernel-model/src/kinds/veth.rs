//! veth (drivers/net/veth.c): a pair registered peer first, carrier only while both ends are up.

use super::dummy::{eth_hw_addr_random, eth_validate_addr, eth_validate_request_addr};
use super::pair::{check_peer_kind, dellink_pair, open_pair, peer_link_net, stop_pair};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{KResult, KernelError};
use crate::hwaddr::SeededRng;
use crate::kernel::Kernel;
use crate::netdev_priv::{KindDataValue, KindPriv};
use crate::request::LinkRequest;
use crate::uapi::{errno, name_assign, ETH_MAX_MTU, GSO_MAX_SIZE};
use crate::validate::{on_dev, Violation};
use serde::{Deserialize, Serialize};

pub struct VethOps;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VethState {
    /// `priv->peer`; None once the pair is being torn down.
    pub peer: Option<DevId>,
}

#[typetag::serde(name = "Veth")]
impl KindPriv for VethState {}

/// IFLA_INFO_DATA of a veth: VETH_INFO_PEER, an ifinfomsg plus IFLA_* attributes for the peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VethData {
    pub peer: Option<Box<LinkRequest>>,
}

#[typetag::serde(name = "Veth")]
impl KindDataValue for VethData {}

fn peer_of(dev: &NetDevice) -> Option<DevId> {
    dev.state.downcast_ref::<VethState>().and_then(|v| v.peer)
}

fn peer_request(req: &LinkRequest) -> Option<&LinkRequest> {
    req.linkinfo
        .as_ref()?
        .data
        .as_ref()?
        .downcast_ref::<VethData>()?
        .peer
        .as_deref()
}

/// `is_valid_veth_mtu`.
fn check_veth_mtu(req: &LinkRequest) -> KResult<()> {
    if let Some(mtu) = req.mtu {
        if !(crate::uapi::ETH_MIN_MTU..=ETH_MAX_MTU).contains(&mtu) {
            return Err(KernelError::new(errno::EINVAL));
        }
    }
    Ok(())
}

impl LinkOps for VethOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("veth")
    }

    /// `veth_setup`.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        dev.no_queue = true;
        dev.live_addr_change = true;
        dev.max_mtu = ETH_MAX_MTU;
        dev.tso_max_size = GSO_MAX_SIZE;
        eth_hw_addr_random(dev, rng);
        dev.state = KindState::new(VethState { peer: None });
    }

    /// `veth_validate`.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        eth_validate_request_addr(req)?;
        check_veth_mtu(req)
    }

    /// `veth_newlink`: the peer is created from VETH_INFO_PEER (or, without one, from the
    /// request's own attributes), registered first, then the device itself.
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let fallback;
        let peer_req = match peer_request(req) {
            Some(p) => {
                if p.ifindex < 0 {
                    return Err(KernelError::new(errno::EINVAL).msg("ifindex can't be negative"));
                }
                eth_validate_request_addr(p)?;
                check_veth_mtu(p)?;
                p
            }
            None => {
                // tbp = tb: the peer takes the device's own attributes, except its name.
                let mut r = req.clone();
                r.ifname = None;
                r.ifindex = 0;
                fallback = r;
                &fallback
            }
        };
        if !peer_req.unmodelled.is_empty() {
            let (path, what) = &peer_req.unmodelled[0];
            return Err(KernelError::not_modelled(format!("veth peer {what}")).attr(path.clone()));
        }
        // `rtnl_link_get_net(src_net, tbp)`: the peer's IFLA_NET_NS_PID / IFLA_NET_NS_FD, else
        // the requester's namespace (without VETH_INFO_PEER, tbp is the request itself).
        let ns = match &peer_req.net_ns {
            Some(Ok(n)) => *n,
            Some(Err(e)) => return Err(e.clone()),
            None => src_net,
        };
        let mut peer_req = peer_req.clone();
        let assign = if peer_req.ifname.is_some() {
            name_assign::USER
        } else {
            name_assign::ENUM
        };
        if peer_req.ifname.is_none() {
            peer_req.ifname = Some("veth%d".into());
        }
        let mut peer = k.rtnl_create_link(ns, super::Kind::VETH, &peer_req)?;
        peer.name_assign_type = assign;
        // peer->ifindex comes from the peer's ifinfomsg only when the device asked for one.
        peer.ifindex = if dev.ifindex != 0 {
            peer_req.ifindex.max(0) as u32
        } else {
            0
        };
        let peer_id = k.begin_initializing(peer)?;
        k.netif_carrier_off(peer_id);
        if let Err(e) =
            k.rtnl_configure_link(peer_id, peer_req.ifi_flags, peer_req.ifi_change, false)
        {
            k.unregister_many(&[peer_id], false);
            return Err(e);
        }
        let id = dev.id;
        if let Err(e) = k.register_netdevice(dev) {
            k.unregister_many(&[peer_id], false);
            return Err(e);
        }
        k.netif_carrier_off(id);
        k.dev_mut(id).state = KindState::new(VethState {
            peer: Some(peer_id),
        });
        k.dev_mut(peer_id).state = KindState::new(VethState { peer: Some(id) });
        Ok(id)
    }

    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        eth_validate_addr(dev)
    }

    /// `veth_open`: carrier on both ends once both are up.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        open_pair(k, id, peer_of(k.dev(id)))
    }

    /// `veth_close`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        stop_pair(k, id, peer_of(k.dev(id)));
    }

    /// `veth_dellink`: both ends go in one batch.
    fn dellink(&self, k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        let peer = peer_of(k.dev(id));
        dellink_pair(k, id, peer, |k, d| {
            k.dev_mut(d).state = KindState::new(VethState { peer: None })
        })
    }

    /// `veth_get_iflink`: the peer.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        peer_of(dev)
    }

    /// `veth_get_iflink`: 0 once the peer is gone (both ends while being deleted).
    fn iflink_without_link(&self, _dev: &NetDevice) -> u32 {
        0
    }

    /// `veth_get_link_net`: the peer's namespace (the device's own without a peer).
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        peer_link_net(k, dev, peer_of(dev))
    }

    fn ethtool_speed(&self) -> Option<u32> {
        Some(10000)
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<VethState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_peer_kind(k, d, peer_of(d), Kind::VETH, "veth")
    }

    fn check_invariants(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_peer(k, d).map_err(|why| on_dev(d, "peer", why))
    }
}

/// Invariant: peers point at each other.
fn check_peer(k: &Kernel, d: &NetDevice) -> Result<(), String> {
    if let Some(p) = peer_of(d) {
        let pd = k.try_dev(p).ok_or(format!("{}: peer missing", d.name))?;
        if peer_of(pd) != Some(d.id) {
            return Err(format!("{}: peer {} does not point back", d.name, pd.name));
        }
    }
    Ok(())
}
