//! ifb (drivers/net/ifb.c): the intermediate functional block, an Ethernet device with a
//! random MAC, NOARP without MULTICAST, txqueuelen 32 and no MTU limits.

use super::dummy::{eth_hw_addr_random, eth_validate_addr, eth_validate_request_addr};
use super::LinkOps;
use crate::device::NetDevice;
use crate::error::KResult;
use crate::hwaddr::SeededRng;
use crate::request::LinkRequest;
use crate::uapi::iff;

/// `TX_Q_LIMIT`.
pub const TX_Q_LIMIT: u32 = 32;

pub struct IfbOps;

impl LinkOps for IfbOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("ifb")
    }

    /// `ifb_setup`: IFB-CREATE.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        dev.tx_queue_len = TX_Q_LIMIT;
        dev.flags |= iff::NOARP;
        dev.flags &= !iff::MULTICAST;
        eth_hw_addr_random(dev, rng);
        dev.min_mtu = 0;
        dev.max_mtu = 0;
    }

    /// `ifb_validate`: like dummy's (EINVAL for a wrong length, EADDRNOTAVAIL otherwise).
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        eth_validate_request_addr(req)
    }

    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        eth_validate_addr(dev)
    }

    /// IFB-MAC: `ifb_netdev_ops` has no `ndo_set_mac_address` (EOPNOTSUPP, as the 6.18 host
    /// stand-ins show).
    fn has_set_mac_address(&self) -> bool {
        false
    }
}
