//! vcan (drivers/net/can/vcan.c): a virtual CAN device. ARPHRD_CAN, no hardware address, the
//! CAN MTU rules; no `fill_info`, no `changelink`, no `ndo_set_mac_address`. The CAN frames
//! themselves (the data path, echo) are not modelled: no netlink request reaches them.

use super::LinkOps;
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{err, KResult};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::Kernel;
use crate::request::LinkRequest;
use crate::uapi::{errno, iff, DEFAULT_TX_QUEUE_LEN};

/// `ARPHRD_CAN` (include/uapi/linux/if_arp.h): `link/can`.
pub const ARPHRD_CAN: u16 = 280;
/// `CAN_MTU`: sizeof(struct can_frame).
pub const CAN_MTU: u32 = 16;
/// `CANFD_MTU`: sizeof(struct canfd_frame), the default of vcan and vxcan.
pub const CANFD_MTU: u32 = 72;
/// `CANXL_MIN_MTU` / `CANXL_MAX_MTU` (include/uapi/linux/can.h): the CAN XL range.
pub const CANXL_MIN_MTU: u32 = 76;
pub const CANXL_MAX_MTU: u32 = 2060;

pub struct VcanOps;

/// `vcan_setup` / `vxcan_setup`: ARPHRD_CAN, mtu CANFD_MTU, no address, NOARP only, no MTU
/// limits for `dev_validate_mtu` (the driver checks in `ndo_change_mtu`). tx_queue_len 0 in
/// setup: `alloc_netdev_mqs` turns it into IFF_NO_QUEUE + DEFAULT_TX_QUEUE_LEN.
pub fn can_setup(dev: &mut NetDevice) {
    dev.dev_type = ARPHRD_CAN;
    dev.mtu = CANFD_MTU;
    dev.min_mtu = 0;
    dev.max_mtu = 0;
    dev.addr = HwAddr::NONE;
    dev.broadcast = HwAddr::NONE;
    dev.flags = iff::NOARP;
    dev.no_queue = true;
    dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
}

/// `can_is_canxl_dev_mtu` (include/linux/can/length.h).
fn can_is_canxl_dev_mtu(mtu: u32) -> bool {
    (CANXL_MIN_MTU..=CANXL_MAX_MTU).contains(&mtu)
}

/// `vcan_change_mtu` / `vxcan_change_mtu`: not while up (EBUSY), and only a CAN, CAN FD or
/// CAN XL frame size (EINVAL, no extack).
pub fn can_change_mtu(k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
    if k.dev(id).flags & iff::UP != 0 {
        return err(errno::EBUSY);
    }
    if mtu != CAN_MTU && mtu != CANFD_MTU && !can_is_canxl_dev_mtu(mtu) {
        return err(errno::EINVAL);
    }
    k.dev_mut(id).mtu = mtu;
    Ok(())
}

/// `rtnl_create_link` copies IFLA_ADDRESS / IFLA_BROADCAST into `dev_addr` / `broadcast`,
/// but with `addr_len` 0 nothing of it is ever reported or used: the device keeps no address.
pub fn drop_hw_addr(dev: &mut NetDevice) {
    dev.addr = HwAddr::NONE;
    dev.broadcast = HwAddr::NONE;
}

impl LinkOps for VcanOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("vcan")
    }

    /// `vcan_setup`.
    fn setup(&self, dev: &mut NetDevice, _rng: &mut SeededRng) {
        can_setup(dev);
    }

    /// `register_netdevice` (vcan has no `newlink`); an IFLA_ADDRESS was accepted silently.
    fn newlink(
        &self,
        k: &mut Kernel,
        _src_net: NetnsId,
        mut dev: NetDevice,
        _req: &LinkRequest,
    ) -> KResult<DevId> {
        drop_hw_addr(&mut dev);
        k.register_netdevice(dev)
    }

    /// `vcan_change_mtu`.
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        can_change_mtu(k, id, mtu)
    }

    /// `vcan_netdev_ops` has no `ndo_set_mac_address`: EOPNOTSUPP.
    fn has_set_mac_address(&self) -> bool {
        false
    }
}
