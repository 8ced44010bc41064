//! What the pair drivers modelled after veth share (vxcan, netkit: `vxcan_newlink`,
//! `netkit_new_link`): the peer is created from its own ifinfomsg + attributes (or, without
//! them, from the request itself, `tbp = tb`), registered and configured first, then the
//! device; a failure after the peer's registration unregisters the peer again.

use super::Kind;
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::request::LinkRequest;
use crate::uapi::name_assign;

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
