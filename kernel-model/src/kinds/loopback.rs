//! `lo` (drivers/net/loopback.c): registered by the namespace itself, no rtnl_link_ops.

use super::LinkOps;
use crate::device::NetDevice;
use crate::hwaddr::{HwAddr, SeededRng};
use crate::uapi::{arphrd, iff, DEFAULT_TX_QUEUE_LEN, GSO_MAX_SIZE};

pub struct LoopbackOps;

impl LinkOps for LoopbackOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        None
    }

    /// `loopback_setup` → `gen_lo_setup(dev, 64 * 1024, ...)`: no min/max MTU, IFF_LOOPBACK only,
    /// an all-zero 6-byte address and broadcast.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.dev_type = arphrd::LOOPBACK;
        dev.mtu = 64 * 1024;
        dev.min_mtu = 0;
        dev.max_mtu = 0;
        dev.addr = HwAddr::ZERO_ETH;
        dev.broadcast = HwAddr::ZERO_ETH;
        dev.flags = iff::LOOPBACK;
        // setup leaves tx_queue_len 0, so alloc_netdev_mqs sets IFF_NO_QUEUE and the default.
        dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
        dev.no_queue = true;
        dev.live_addr_change = true;
        dev.tso_max_size = GSO_MAX_SIZE;
    }

    fn netns_local(&self) -> bool {
        true
    }
}
