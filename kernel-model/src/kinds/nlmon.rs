//! nlmon (drivers/net/nlmon.c): a netlink tap. ARPHRD_NETLINK, no hardware address, NOARP,
//! MTU NLMSG_GOODSIZE. The capture itself (netlink_add_tap) is the simulator's business.

use super::LinkOps;
use crate::device::NetDevice;
use crate::error::{err, KResult};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::request::LinkRequest;
use crate::uapi::{arphrd, errno, iff, DEFAULT_TX_QUEUE_LEN};

/// `NLMSG_GOODSIZE` with 4 KiB pages on x86_64 (`SKB_WITH_OVERHEAD(PAGE_SIZE)`).
pub const NLMSG_GOODSIZE: u32 = 3776;
/// `sizeof(struct nlmsghdr)`: nlmon's min_mtu.
pub const NLMSGHDR_LEN: u32 = 16;

pub struct NlmonOps;

impl LinkOps for NlmonOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("nlmon")
    }

    /// `nlmon_setup`: NLMON-CREATE (flags NOARP only, link/netlink, MTU 3776, min 16, no max,
    /// IFF_NO_QUEUE, addr_len 0). The txqueuelen is alloc_netdev's default.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        dev.dev_type = arphrd::NETLINK;
        dev.no_queue = true;
        dev.flags = iff::NOARP;
        dev.mtu = NLMSG_GOODSIZE;
        dev.min_mtu = NLMSGHDR_LEN;
        dev.max_mtu = 0;
        dev.addr = HwAddr::NONE;
        dev.broadcast = HwAddr::NONE;
        dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
    }

    /// `nlmon_validate`: IFLA_ADDRESS refused (EINVAL, no extack).
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        if req.address.is_some() {
            return err(errno::EINVAL);
        }
        Ok(())
    }

    /// NLMON-MAC: no `ndo_set_mac_address` (EOPNOTSUPP).
    fn has_set_mac_address(&self) -> bool {
        false
    }
}

/// `netlink_tap_all` of a namespace is not empty: an nlmon device is up there (`nlmon_open`
/// adds its tap, `nlmon_close` removes it), so `netlink_deliver_tap` copies the namespace's
/// netlink traffic to it.
pub fn netlink_tap_active(k: &crate::kernel::Kernel, ns: crate::device::NetnsId) -> bool {
    k.devices_from(ns, 0)
        .any(|d| d.kind == crate::kinds::Kind::NLMON && d.is_running())
}
