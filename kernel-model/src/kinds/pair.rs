//! What the pair drivers modelled after veth share (vxcan, netkit: `vxcan_newlink`,
//! `netkit_new_link`): the peer is created from its own ifinfomsg + attributes (or, without
//! them, from the request itself, `tbp = tb`), registered and configured first, then the
//! device; a failure after the peer's registration unregisters the peer again.
//!
//! The ends' life after creation is veth's too, and is shared here: carrier on both ends only
//! while both are up (`veth_open`/`veth_close`), both ends deleted in one batch, the peer as
//! iflink and link netns. Each driver's `LinkOps` calls these with its own `priv->peer`.

use super::Kind;
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::request::LinkRequest;
use crate::uapi::{errno, name_assign};
use crate::validate::{dev_subject, on_dev, Violation};

/// The driver-specific steps of the pair creation.
pub struct PairSpec<'a> {
    pub kind: Kind,
    /// The requester's namespace, where the peer goes unless its attributes name another.
    pub src_net: NetnsId,
    /// The name template of an unnamed end ("vxcan%d", "nk%d").
    pub template: &'static str,
    /// The peer's ifinfomsg + attributes (VXCAN_INFO_PEER, IFLA_NETKIT_PEER_INFO), if given.
    pub peer_info: Option<&'a LinkRequest>,
    /// `rtnl_configure_link(peer, ifmp, ...)` applies the peer's ifi_flags (vxcan) or not
    /// (netkit passes NULL).
    pub peer_ifi_flags: bool,
}

/// The request the peer is created from: its own (`peer_tb`), else the device's (`tbp = tb`)
/// without its name and ifindex.
pub fn peer_request(req: &LinkRequest, peer_info: Option<&LinkRequest>) -> LinkRequest {
    match peer_info {
        Some(p) => p.clone(),
        None => {
            let mut r = req.clone();
            r.ifname = None;
            r.ifindex = 0;
            r
        }
    }
}

/// The peer, then the device. `prepare_peer` runs between `rtnl_create_link` and the peer's
/// registration, `prepare_dev` before the device's; `registered` right after each
/// registration (and `netif_carrier_off`; netkit's `dev_change_flags` there is unchecked). Returns (device, peer).
pub fn register_pair(
    k: &mut Kernel,
    mut dev: NetDevice,
    req: &LinkRequest,
    spec: &PairSpec<'_>,
    prepare_peer: impl FnOnce(&mut Kernel, &mut NetDevice),
    prepare_dev: impl FnOnce(&mut Kernel, &mut NetDevice),
    registered: impl Fn(&mut Kernel, DevId),
) -> KResult<(DevId, DevId)> {
    let mut peer_req = peer_request(req, spec.peer_info);
    if let Some((path, what)) = peer_req.unmodelled.first() {
        return Err(
            KernelError::not_modelled(format!("{} peer {what}", spec.template)).attr(path.clone()),
        );
    }
    // rtnl_link_get_net(src_net, tbp).
    let ns = match &peer_req.net_ns {
        Some(Ok(n)) => *n,
        Some(Err(e)) => return Err(e.clone()),
        None => spec.src_net,
    };
    // `ifmp && tbp[IFLA_IFNAME]`: only the peer's own name counts.
    let assign = if spec.peer_info.is_some() && peer_req.ifname.is_some() {
        name_assign::USER
    } else {
        peer_req.ifname = Some(spec.template.into());
        name_assign::ENUM
    };
    let mut peer = k.rtnl_create_link(ns, spec.kind, &peer_req)?;
    peer.name_assign_type = assign;
    prepare_peer(k, &mut peer);
    // `if (ifmp && dev->ifindex) peer->ifindex = ifmp->ifi_index`: unlike veth, no check for
    // a negative index; as an unsigned one above INT_MAX, `dev_index_reserve` refuses it.
    peer.ifindex = match spec.peer_info {
        Some(p) if dev.ifindex != 0 => p.ifindex as u32,
        _ => 0,
    };
    let peer_id = k.begin_initializing(peer)?;
    k.netif_carrier_off(peer_id);
    registered(k, peer_id);
    let (flags, change) = if spec.peer_ifi_flags && spec.peer_info.is_some() {
        (peer_req.ifi_flags, peer_req.ifi_change)
    } else {
        (0, 0)
    };
    if let Err(e) = k.rtnl_configure_link(peer_id, flags, change, false) {
        k.unregister_many(&[peer_id], false);
        return Err(e);
    }
    if req.ifname.is_none() {
        dev.name = spec.template.into();
    }
    prepare_dev(k, &mut dev);
    let id = dev.id;
    if let Err(e) = k.register_netdevice(dev) {
        k.unregister_many(&[peer_id], false);
        return Err(e);
    }
    k.netif_carrier_off(id);
    registered(k, id);
    Ok((id, peer_id))
}

/// `veth_open`-style: ENOTCONN without a peer; carrier on both ends once the peer runs too.
pub fn open_pair(k: &mut Kernel, id: DevId, peer: Option<DevId>) -> KResult<()> {
    let Some(peer) = peer else {
        return Err(KernelError::new(errno::ENOTCONN));
    };
    if k.dev(peer).is_running() {
        k.netif_carrier_on(id);
        k.netif_carrier_on(peer);
    }
    Ok(())
}

/// `veth_close`-style: carrier off on this end and on the peer.
pub fn stop_pair(k: &mut Kernel, id: DevId, peer: Option<DevId>) {
    k.netif_carrier_off(id);
    if let Some(peer) = peer {
        k.netif_carrier_off(peer);
    }
}

/// `veth_dellink`-style: both ends go in one batch, each forgetting its peer first
/// (`RCU_INIT_POINTER(priv->peer, NULL)`) through `forget_peer`.
pub fn dellink_pair(
    k: &mut Kernel,
    id: DevId,
    peer: Option<DevId>,
    forget_peer: impl Fn(&mut Kernel, DevId),
) -> Option<Vec<DevId>> {
    forget_peer(k, id);
    let mut list = vec![id];
    if let Some(p) = peer {
        forget_peer(k, p);
        list.push(p);
    }
    Some(list)
}

/// `veth_get_link_net`-style: the peer's namespace, the device's own without a peer.
pub fn peer_link_net(k: &Kernel, dev: &NetDevice, peer: Option<DevId>) -> Option<NetnsId> {
    Some(
        peer.and_then(|p| k.try_dev(p))
            .map_or(dev.netns, |p| p.netns),
    )
}

/// State-file check: the peer is a live device of the same kind (`what` names it in the message).
pub fn check_peer_kind(
    k: &Kernel,
    d: &NetDevice,
    peer: Option<DevId>,
    kind: Kind,
    what: &str,
) -> Result<(), Violation> {
    if let Some(p) = peer {
        let pd = k.live(d, "peer", p)?;
        if pd.kind != kind {
            return Err(on_dev(
                d,
                "peer",
                format!("{} is not a {what}", dev_subject(pd)),
            ));
        }
    }
    Ok(())
}

/// State-file invariant: the peer points back at this end.
pub fn check_peer_points_back(
    k: &Kernel,
    d: &NetDevice,
    peer_of: impl Fn(&NetDevice) -> Option<DevId>,
) -> Result<(), Violation> {
    if let Some(p) = peer_of(d) {
        let back = k.try_dev(p).and_then(&peer_of);
        if back != Some(d.id) {
            return Err(on_dev(d, "peer", "peer does not point back".to_string()));
        }
    }
    Ok(())
}
