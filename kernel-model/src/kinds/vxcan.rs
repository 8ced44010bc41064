//! vxcan (drivers/net/can/vxcan.c): a CAN tunnel pair, veth-like: the peer is registered
//! first, carrier only while both ends are up, deleting one end deletes both. The CAN MTU
//! rules are vcan's; no `fill_info`, no `changelink`, no `ndo_set_mac_address`.

use super::pair::{
    check_peer_kind, check_peer_points_back, dellink_pair, open_pair, peer_link_net, register_pair,
    stop_pair, PairSpec,
};
use super::vcan::{can_change_mtu, can_setup, drop_hw_addr};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::KResult;
use crate::hwaddr::SeededRng;
use crate::kernel::Kernel;
use crate::netdev_priv::{KindDataValue, KindPriv};
use crate::request::LinkRequest;
use crate::validate::Violation;
use serde::{Deserialize, Serialize};

pub struct VxcanOps;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VxcanState {
    /// `priv->peer`; None once the pair is being torn down.
    pub peer: Option<DevId>,
}

#[typetag::serde(name = "Vxcan")]
impl KindPriv for VxcanState {}

/// IFLA_INFO_DATA of a vxcan: VXCAN_INFO_PEER, an ifinfomsg plus IFLA_* for the peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VxcanData {
    pub peer: Option<Box<LinkRequest>>,
}

#[typetag::serde(name = "Vxcan")]
impl KindDataValue for VxcanData {}

fn peer_of(dev: &NetDevice) -> Option<DevId> {
    dev.state.downcast_ref::<VxcanState>().and_then(|v| v.peer)
}

impl LinkOps for VxcanOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("vxcan")
    }

    /// `vxcan_setup`.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        can_setup(dev);
        dev.state = KindState::new(VxcanState { peer: None });
    }

    /// `vxcan_newlink`: the peer from VXCAN_INFO_PEER (or the request's own attributes, named
    /// `vxcan%d`) registered first, then the device; both start without carrier.
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let info = req.data::<VxcanData>().and_then(|d| d.peer.as_deref());
        let spec = PairSpec {
            kind: Kind::VXCAN,
            src_net,
            template: "vxcan%d",
            peer_info: info,
            peer_ifi_flags: true,
        };
        let (id, peer) = register_pair(
            k,
            dev,
            req,
            &spec,
            |_, p| drop_hw_addr(p),
            |_, d| drop_hw_addr(d),
            |_, _| {},
        )?;
        k.dev_mut(id).state = KindState::new(VxcanState { peer: Some(peer) });
        k.dev_mut(peer).state = KindState::new(VxcanState { peer: Some(id) });
        Ok(id)
    }

    /// `vxcan_open`: carrier on both ends once both are up.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        open_pair(k, id, peer_of(k.dev(id)))
    }

    /// `vxcan_close`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        stop_pair(k, id, peer_of(k.dev(id)));
    }

    /// `vxcan_change_mtu`.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        can_change_mtu(k, id, mtu)
    }

    fn has_set_mac_address(&self) -> bool {
        false
    }

    /// `vxcan_dellink`: both ends in one batch.
    fn dellink(&self, k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        let peer = peer_of(k.dev(id));
        dellink_pair(k, id, peer, |k, d| {
            k.dev_mut(d).state = KindState::new(VxcanState { peer: None })
        })
    }

    /// `vxcan_get_iflink`: the peer.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        peer_of(dev)
    }

    /// `vxcan_get_iflink`: 0 without a peer.
    fn iflink_without_link(&self, _dev: &NetDevice) -> u32 {
        0
    }

    /// `vxcan_get_link_net`: the peer's namespace.
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        peer_link_net(k, dev, peer_of(dev))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<VxcanState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_peer_kind(k, d, peer_of(d), Kind::VXCAN, "vxcan")
    }

    fn check_invariants(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_peer_points_back(k, d, peer_of)
    }
}
