//! dummy (drivers/net/dummy.c).

use super::LinkOps;
use crate::device::{DevId, NetDevice};
use crate::error::{err, KResult};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::request::LinkRequest;
use crate::uapi::{addr_assign, errno, iff};

pub struct DummyOps;

/// `dummy_validate` / `veth_validate`: an IFLA_ADDRESS must be 6 bytes and a valid unicast
/// Ethernet address (no extack message).
pub fn eth_validate_request_addr(req: &LinkRequest) -> KResult<()> {
    if let Some(a) = &req.address {
        if a.len() != crate::uapi::ETH_ALEN {
            return err(errno::EINVAL);
        }
        if !HwAddr::from_slice(a).is_some_and(|h| h.is_valid_ether()) {
            return err(errno::EADDRNOTAVAIL);
        }
    }
    Ok(())
}

/// `eth_validate_addr`, the `ndo_validate_addr` of Ethernet drivers.
pub fn eth_validate_addr(dev: &NetDevice) -> KResult<()> {
    if dev.addr.is_valid_ether() {
        Ok(())
    } else {
        err(errno::EADDRNOTAVAIL)
    }
}

/// `eth_hw_addr_random`.
pub fn eth_hw_addr_random(dev: &mut NetDevice, rng: &mut SeededRng) {
    dev.addr = rng.eth_random_addr();
    dev.addr_assign_type = addr_assign::RANDOM;
}

impl LinkOps for DummyOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("dummy")
    }

    /// `dummy_setup`: Ethernet, NOARP and no MULTICAST, no MTU limits at all.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        dev.flags |= iff::NOARP;
        dev.flags &= !iff::MULTICAST;
        dev.no_queue = true;
        dev.live_addr_change = true;
        eth_hw_addr_random(dev, rng);
        dev.min_mtu = 0;
        dev.max_mtu = 0;
    }

    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        eth_validate_request_addr(req)
    }

    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        eth_validate_addr(dev)
    }

    /// `dummy_change_carrier` (IFLA_CARRIER).
    fn change_carrier(&self, k: &mut Kernel, id: DevId, on: bool) -> Option<KResult<()>> {
        if on {
            k.netif_carrier_on(id);
        } else {
            k.netif_carrier_off(id);
        }
        Some(Ok(()))
    }
}
