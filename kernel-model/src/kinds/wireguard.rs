//! wireguard (drivers/net/wireguard/device.c): the link only. Its rtnl_link_ops have
//! kind/setup/newlink and nothing else (no validate, changelink, fill_info). Keys, peers, the
//! UDP socket and the generic netlink family "wireguard" (WG_CMD_*) are not modelled: nlsim
//! refuses NETLINK_GENERIC sockets altogether.

use super::vcan::drop_hw_addr;
use super::{KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::KResult;
use crate::hwaddr::SeededRng;
use crate::inet_mcast::ADDR_GEN_MODE_NONE;
use crate::kernel::Kernel;
use crate::netdev_priv::KindPriv;
use crate::request::LinkRequest;
use crate::uapi::{arphrd, iff, DEFAULT_TX_QUEUE_LEN, ETH_DATA_LEN};
use crate::validate::{on_dev, Violation};
use serde::{Deserialize, Serialize};

/// `MESSAGE_MINIMUM_LENGTH + sizeof(struct udphdr) + max(sizeof(ipv6hdr), sizeof(iphdr))`
/// (`wg_setup`): 32 + 8 + 40.
pub const WG_OVERHEAD: u32 = 80;
/// `MESSAGE_PADDING_MULTIPLE`.
const MESSAGE_PADDING_MULTIPLE: u32 = 16;

pub struct WireguardOps;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WgState {
    /// `wg->creating_net`: the requester's namespace (`wg_newlink`'s src_net); None once it
    /// died (`wg_netns_exit_rtnl`).
    pub creating_net: Option<NetnsId>,
}

#[typetag::serde(name = "Wireguard")]
impl KindPriv for WgState {}

impl LinkOps for WireguardOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("wireguard")
    }

    /// `wg_setup`: ARPHRD_NONE, no address, POINTOPOINT|NOARP, IFF_NO_QUEUE, mtu 1500 − 80,
    /// no min_mtu, max_mtu round_down(INT_MAX, 16) − 80.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.dev_type = arphrd::NONE;
        drop_hw_addr(dev);
        dev.flags = iff::POINTOPOINT | iff::NOARP;
        dev.no_queue = true;
        dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
        dev.mtu = ETH_DATA_LEN - WG_OVERHEAD;
        dev.min_mtu = 0;
        dev.max_mtu =
            (i32::MAX as u32 / MESSAGE_PADDING_MULTIPLE) * MESSAGE_PADDING_MULTIPLE - WG_OVERHEAD;
        dev.state = KindState::new(WgState { creating_net: None });
    }

    /// `wg_newlink`: remembers the creating namespace and registers; IFLA_LINK is ignored
    /// (no `ndo_get_iflink`) and an IFLA_ADDRESS has nowhere to go (addr_len 0).
    fn newlink(
        &self,
        k: &mut Kernel,
        src_net: NetnsId,
        mut dev: NetDevice,
        _req: &LinkRequest,
    ) -> KResult<DevId> {
        drop_hw_addr(&mut dev);
        dev.state = KindState::new(WgState {
            creating_net: Some(src_net),
        });
        k.register_netdevice(dev)
    }

    /// `wg_open`: the inet6 device stops generating addresses (addr_gen_mode NONE), before
    /// NETDEV_UP. The UDP socket it binds is not modelled (nothing rtnetlink shows).
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        if k.dev(id).inet.in6 {
            k.dev_mut(id).inet.addr_gen_mode = ADDR_GEN_MODE_NONE;
        }
        Ok(())
    }

    /// `netdev_ops` has no `ndo_set_mac_address`: EOPNOTSUPP.
    fn has_set_mac_address(&self) -> bool {
        false
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<WgState>()
    }

    fn check_links(&self, k: &Kernel, d: &NetDevice) -> Result<(), Violation> {
        match d
            .state
            .downcast_ref::<WgState>()
            .and_then(|s| s.creating_net)
        {
            Some(n) if k.netns(n).is_none() => Err(on_dev(
                d,
                "creating_net",
                format!("namespace {} does not exist", n.0),
            )),
            _ => Ok(()),
        }
    }

    fn exit_rtnl_rank(&self) -> Option<u8> {
        Some(0)
    }

    /// `wg_netns_exit_rtnl`: a device created from the dying namespace (living elsewhere)
    /// loses its carrier and its creating namespace; nothing is unregistered.
    fn exit_batch_rtnl(&self, k: &mut Kernel, ns: NetnsId) -> Vec<DevId> {
        let created_there: Vec<DevId> = k
            .all_devices()
            .filter(|d| {
                d.state
                    .downcast_ref::<WgState>()
                    .and_then(|s| s.creating_net)
                    == Some(ns)
            })
            .map(|d| d.id)
            .collect();
        for id in created_there {
            k.netif_carrier_off(id);
            k.dev_mut(id).state = KindState::new(WgState { creating_net: None });
        }
        Vec::new()
    }
}
