//! netkit (drivers/net/netkit.c): a BPF-programmable veth-like pair. The primary holds the
//! settings; the peer (registered first) only its own policy and scrub. Mode L3 (default)
//! keeps the zero MAC and NOARP; mode L2 gets random MACs and ARP. The BPF programs (bpf_mprog,
//! BPF_LINK_TYPE_NETKIT) and the data path are not modelled: nothing in rtnetlink reaches them.

use super::dummy::{eth_hw_addr_random, eth_validate_request_addr};
use super::pair::{
    check_peer_kind, check_peer_points_back, dellink_pair, open_pair, peer_link_net, register_pair,
    stop_pair, PairSpec,
};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::netdev_priv::{KindData, KindDataValue, KindInfo, KindInfoValue, KindPriv};
use crate::request::LinkRequest;
use crate::uapi::{errno, iff, ETH_MAX_MTU, GSO_MAX_SIZE};
use crate::validate::Violation;
use serde::{Deserialize, Serialize};

/// IFLA_NETKIT_* (include/uapi/linux/if_link.h).
pub mod ifla_netkit {
    pub const PEER_INFO: u16 = 1;
    pub const PRIMARY: u16 = 2;
    pub const POLICY: u16 = 3;
    pub const PEER_POLICY: u16 = 4;
    pub const MODE: u16 = 5;
    pub const SCRUB: u16 = 6;
    pub const PEER_SCRUB: u16 = 7;
}

/// `enum netkit_action`: the default xmit policies a device may have.
pub const NETKIT_PASS: u32 = 0;
pub const NETKIT_DROP: u32 = 2;
/// `enum netkit_mode`.
pub const NETKIT_L2: u32 = 0;
pub const NETKIT_L3: u32 = 1;
/// `enum netkit_scrub`: NETKIT_SCRUB_DEFAULT.
pub const NETKIT_SCRUB_DEFAULT: u32 = 1;

pub struct NetkitOps;

/// `struct netkit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetkitState {
    /// `nk->peer`; None once the pair is being torn down.
    pub peer: Option<DevId>,
    pub primary: bool,
    pub policy: u32,
    pub scrub: u32,
    pub mode: u32,
}

#[typetag::serde(name = "Netkit")]
impl KindPriv for NetkitState {}

/// IFLA_INFO_DATA of a netkit request (None: attribute absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetkitData {
    /// IFLA_NETKIT_PEER_INFO: the peer's ifinfomsg and IFLA_* attributes.
    pub peer: Option<Box<LinkRequest>>,
    pub mode: Option<u32>,
    pub policy: Option<u32>,
    pub peer_policy: Option<u32>,
    pub scrub: Option<u32>,
    pub peer_scrub: Option<u32>,
}

#[typetag::serde(name = "Netkit")]
impl KindDataValue for NetkitData {}

/// What `netkit_fill_info` reports: the device's own settings, then (with a peer) the peer's
/// policy and scrub as PEER_*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetkitInfo {
    pub primary: bool,
    pub policy: u32,
    pub mode: u32,
    pub scrub: u32,
    pub peer: Option<(u32, u32)>,
}

#[typetag::serde(name = "Netkit")]
impl KindInfoValue for NetkitInfo {}

fn nk_of(dev: &NetDevice) -> Option<&NetkitState> {
    dev.state.downcast_ref::<NetkitState>()
}

fn peer_of(dev: &NetDevice) -> Option<DevId> {
    nk_of(dev).and_then(|n| n.peer)
}

/// `netkit_check_policy`.
fn check_policy(policy: u32, attr: u16) -> KResult<()> {
    match policy {
        NETKIT_PASS | NETKIT_DROP => Ok(()),
        _ => Err(KernelError::new(errno::EINVAL)
            .msg("Provided default xmit policy not supported")
            .attr(AttrPath::info_data(attr))),
    }
}

/// `netkit_check_mode`.
fn check_mode(mode: u32) -> KResult<()> {
    match mode {
        NETKIT_L2 | NETKIT_L3 => Ok(()),
        _ => Err(KernelError::new(errno::EINVAL)
            .msg("Provided device mode can only be L2 or L3")
            .attr(AttrPath::info_data(ifla_netkit::MODE))),
    }
}

fn set_state(k: &mut Kernel, id: DevId, f: impl FnOnce(&mut NetkitState)) {
    if let Some(n) = k.dev_mut(id).state.downcast_mut::<NetkitState>() {
        f(n);
    }
}

impl LinkOps for NetkitOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("netkit")
    }

    /// `netkit_setup`: Ethernet with a zero MAC, NOARP, max_mtu ETH_MAX_MTU, IFF_NO_QUEUE,
    /// IFF_LIVE_ADDR_CHANGE, tso_max_size GSO_MAX_SIZE.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.ether_setup();
        dev.max_mtu = ETH_MAX_MTU;
        dev.flags |= iff::NOARP;
        dev.live_addr_change = true;
        dev.no_queue = true;
        dev.tso_max_size = GSO_MAX_SIZE;
        dev.state = KindState::new(NetkitState {
            peer: None,
            primary: false,
            policy: NETKIT_PASS,
            scrub: NETKIT_SCRUB_DEFAULT,
            mode: NETKIT_L3,
        });
    }

    /// `netkit_validate`: an IFLA_ADDRESS must be a valid 6-byte unicast MAC.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        eth_validate_request_addr(req)
    }

    /// `netkit_new_link`.
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        dev: NetDevice,
        req: &LinkRequest,
    ) -> KResult<DevId> {
        let d = req.data::<NetkitData>().cloned().unwrap_or_default();
        let mode = d.mode.unwrap_or(NETKIT_L3);
        if d.mode.is_some() {
            check_mode(mode)?;
        }
        let peer_info = d.peer.as_deref();
        if let Some(p) = peer_info {
            // netkit_validate(peer_tb)
            eth_validate_request_addr(p)?;
        }
        let (scrub_prim, scrub_peer) = (
            d.scrub.unwrap_or(NETKIT_SCRUB_DEFAULT),
            d.peer_scrub.unwrap_or(NETKIT_SCRUB_DEFAULT),
        );
        let policy_prim = d.policy.unwrap_or(NETKIT_PASS);
        if d.policy.is_some() {
            check_policy(policy_prim, ifla_netkit::POLICY)?;
        }
        let policy_peer = d.peer_policy.unwrap_or(NETKIT_PASS);
        if d.peer_policy.is_some() {
            check_policy(policy_peer, ifla_netkit::PEER_POLICY)?;
        }
        // tbp is the peer's attributes, or the request's own without PEER_INFO.
        let peer_addr = peer_info.map_or(req.address.is_some(), |p| p.address.is_some());
        if mode != NETKIT_L2 && (req.address.is_some() || peer_addr) {
            return err(errno::EOPNOTSUPP);
        }
        let tso_max = dev.tso_max_size;
        let spec = PairSpec {
            kind: Kind::NETKIT,
            src_net,
            template: "nk%d",
            peer_info,
            peer_ifi_flags: false,
        };
        let own_addr = req.address.is_some();
        let peer_own_addr = peer_info.is_some_and(|p| p.address.is_some());
        let (id, peer) = register_pair(
            k,
            dev,
            req,
            &spec,
            |k, p| {
                // netif_inherit_tso_max(peer, dev)
                p.tso_max_size = tso_max;
                if mode == NETKIT_L2 && !peer_own_addr {
                    eth_hw_addr_random(p, k.rng());
                }
                p.state = KindState::new(NetkitState {
                    peer: None,
                    primary: false,
                    policy: policy_peer,
                    scrub: scrub_peer,
                    mode,
                });
            },
            |k, d| {
                if mode == NETKIT_L2 && !own_addr {
                    eth_hw_addr_random(d, k.rng());
                }
                d.state = KindState::new(NetkitState {
                    peer: None,
                    primary: true,
                    policy: policy_prim,
                    scrub: scrub_prim,
                    mode,
                });
            },
            |k, id| {
                if mode == NETKIT_L2 {
                    // dev_change_flags(dev, dev->flags & ~IFF_NOARP), result unchecked.
                    let flags = k.dev(id).flags & !iff::NOARP;
                    let _ = k.dev_change_flags(id, flags);
                }
            },
        )?;
        set_state(k, id, |n| n.peer = Some(peer));
        set_state(k, peer, |n| n.peer = Some(id));
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    /// `netkit_change_link`: only through the primary; mode, scrub and peer info are fixed;
    /// the two policies may change.
    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        let Some(nk) = nk_of(k.dev(id)).cloned() else {
            return err(errno::EINVAL);
        };
        let d = data
            .downcast_ref::<NetkitData>()
            .cloned()
            .unwrap_or_default();
        let fixed = |attr: u16, what: &'static str| {
            Err(KernelError::new(errno::EACCES)
                .msg(what)
                .attr(AttrPath::info_data(attr)))
        };
        if !nk.primary {
            return Err(KernelError::new(errno::EACCES)
                .msg("netkit link settings can be changed only through the primary device"));
        }
        if d.mode.is_some() {
            return fixed(
                ifla_netkit::MODE,
                "netkit link operating mode cannot be changed after device creation",
            );
        }
        if d.scrub.is_some() {
            return fixed(
                ifla_netkit::SCRUB,
                "netkit scrubbing cannot be changed after device creation",
            );
        }
        if d.peer_scrub.is_some() {
            return fixed(
                ifla_netkit::PEER_SCRUB,
                "netkit scrubbing cannot be changed after device creation",
            );
        }
        if d.peer.is_some() {
            return Err(KernelError::new(errno::EINVAL)
                .msg("netkit peer info cannot be changed after device creation")
                .attr(AttrPath::info_data(ifla_netkit::PEER_INFO)));
        }
        if let Some(policy) = d.policy {
            check_policy(policy, ifla_netkit::POLICY)?;
            set_state(k, id, |n| n.policy = policy);
        }
        if let Some(policy) = d.peer_policy {
            let Some(peer) = nk.peer else {
                return err(errno::EOPNOTSUPP);
            };
            check_policy(policy, ifla_netkit::PEER_POLICY)?;
            set_state(k, peer, |n| n.policy = policy);
        }
        Ok(())
    }

    /// `netkit_open`: carrier on both ends once both are up.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        open_pair(k, id, peer_of(k.dev(id)))
    }

    /// `netkit_close`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        stop_pair(k, id, peer_of(k.dev(id)));
    }

    /// `netkit_set_macaddr`: L2 only (`eth_mac_addr`), EOPNOTSUPP in L3.
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        if nk_of(k.dev(id)).map(|n| n.mode) != Some(NETKIT_L2) {
            return err(errno::EOPNOTSUPP);
        }
        k.eth_mac_addr(id, addr)
    }

    /// `netkit_del_link`: both ends in one batch.
    fn dellink(&self, k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        let peer = peer_of(k.dev(id));
        dellink_pair(k, id, peer, |k, d| set_state(k, d, |n| n.peer = None))
    }

    /// `netkit_get_iflink`: the peer.
    fn iflink(&self, _k: &Kernel, dev: &NetDevice) -> Option<DevId> {
        peer_of(dev)
    }

    /// `netkit_get_iflink`: 0 without a peer.
    fn iflink_without_link(&self, _dev: &NetDevice) -> u32 {
        0
    }

    /// `netkit_get_link_net`: the peer's namespace.
    fn get_link_net(&self, k: &Kernel, dev: &NetDevice) -> Option<NetnsId> {
        peer_link_net(k, dev, peer_of(dev))
    }

    /// `netkit_fill_info`.
    fn fill_info(&self, k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let n = nk_of(dev)?;
        let peer = n
            .peer
            .and_then(|p| k.try_dev(p))
            .and_then(nk_of)
            .map(|p| (p.policy, p.scrub));
        Some(KindInfo::new(NetkitInfo {
            primary: n.primary,
            policy: n.policy,
            mode: n.mode,
            scrub: n.scrub,
            peer,
        }))
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<NetkitState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_peer_kind(k, d, peer_of(d), Kind::NETKIT, "netkit")
    }

    fn check_invariants(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        check_peer_points_back(k, d, peer_of)
    }
}
