//! The bridge device's own ops (net/bridge/br_device.c): open, stop, MAC address, MTU.

use super::*;

/// 224.0.0.106 and ff02::6a (multicast router discovery snoopers).
pub(super) const SNOOPERS_V4: [u8; 4] = [224, 0, 0, 106];
pub(super) const SNOOPERS_V6: [u8; 16] = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x6a];

/// `br_multicast_join_snoopers`.
pub(super) fn multicast_join_snoopers(k: &mut Kernel, bridge: DevId) {
    k.ip_mc_inc_group(bridge, SNOOPERS_V4);
    k.mc_inc_group(bridge, SNOOPERS_V6, true);
}

/// `br_multicast_leave_snoopers`.
pub(super) fn multicast_leave_snoopers(k: &mut Kernel, bridge: DevId) {
    k.ip_mc_dec_group(bridge, SNOOPERS_V4);
    k.mc_dec_group(bridge, SNOOPERS_V6, true);
}

/// `br_dev_open` → `br_stp_enable_bridge`: ports that are up and oper-up get enabled.
pub(super) fn br_dev_open(k: &mut Kernel, id: DevId) -> KResult<()> {
    for p in br(k, id).ports.clone() {
        if k.dev(p).is_running() && k.dev(p).is_oper_up() {
            stp_enable_port(k, id, p);
        }
    }
    if br(k, id).mcast_snooping {
        multicast_join_snoopers(k, id);
    }
    Ok(())
}

/// `br_dev_stop` → `br_stp_disable_bridge`.
pub(super) fn br_dev_stop(k: &mut Kernel, id: DevId) {
    for p in br(k, id).ports.clone() {
        if port(k, p).is_some_and(|bp| bp.state != port_state::DISABLED) {
            stp_disable_port(k, id, p);
        }
    }
    if br(k, id).mcast_snooping {
        multicast_leave_snoopers(k, id);
    }
}

/// `br_set_mac_address`: any valid address, even while up; it becomes the bridge id.
pub(super) fn br_set_mac_address(k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
    if !addr.is_valid_ether() {
        return err(errno::EADDRNOTAVAIL);
    }
    if k.dev(id).addr != addr {
        change_bridge_id(k, id, addr);
    }
    Ok(())
}

/// `br_change_mtu`: the user's MTU sticks (`BROPT_MTU_SET_BY_USER`).
pub(super) fn br_change_mtu(k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
    k.dev_mut(id).mtu = mtu;
    br_mut(k, id).mtu_set_by_user = true;
    Ok(())
}
