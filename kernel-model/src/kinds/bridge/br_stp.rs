//! Port states and the bridge id (net/bridge/br_stp.c, br_stp_if.c): kernel STP without
//! timers or BPDUs.

use super::*;

/// `br_set_state`.
pub(super) fn set_state(k: &mut Kernel, p: DevId, state: u8) {
    let Some(bridge) = port(k, p).map(|bp| bp.bridge) else {
        return;
    };
    let kernel_stp = br(k, bridge).stp_enabled == 1;
    if let Some(bp) = port_mut(k, p) {
        bp.state = state;
        if kernel_stp && state == port_state::BLOCKING {
            // br_set_state: u64 counters; a loaded state may hold any value, the kernel's wrap.
            bp.stp_transition_blk = bp.stp_transition_blk.wrapping_add(1);
        } else if kernel_stp && state == port_state::FORWARDING {
            bp.stp_transition_fwd = bp.stp_transition_fwd.wrapping_add(1);
        }
    }
}

/// `br_port_state_selection` with STP off every enabled port is designated and forwards; the
/// bridge has carrier when any port forwards.
pub(super) fn port_state_selection(k: &mut Kernel, bridge: DevId) {
    let stp = br(k, bridge).stp_enabled;
    let mut live = 0;
    for p in br(k, bridge).ports.clone() {
        let Some(bp) = port(k, p) else { continue };
        if bp.state == port_state::DISABLED {
            continue;
        }
        // br_make_forwarding: straight to forwarding without STP, listening with it, and an
        // AF_BRIDGE notification of the new state.
        if bp.state == port_state::BLOCKING {
            set_state(
                k,
                p,
                if stp == 0 {
                    port_state::FORWARDING
                } else {
                    port_state::LISTENING
                },
            );
            k.notify_bridge_port(p, LinkMsg::New);
        }
        if port(k, p).is_some_and(|bp| bp.state == port_state::FORWARDING) {
            live += 1;
        }
    }
    if live == 0 {
        k.netif_carrier_off(bridge);
    } else {
        k.netif_carrier_on(bridge);
    }
}

/// `br_stp_enable_port`: `br_init_port` (blocking), state selection, AF_BRIDGE notification.
pub(super) fn stp_enable_port(k: &mut Kernel, bridge: DevId, p: DevId) {
    set_state(k, p, port_state::BLOCKING);
    port_state_selection(k, bridge);
    k.notify_bridge_port(p, LinkMsg::New);
}

/// `br_stp_disable_port`.
pub(super) fn stp_disable_port(k: &mut Kernel, bridge: DevId, p: DevId) {
    set_state(k, p, port_state::DISABLED);
    k.notify_bridge_port(p, LinkMsg::New);
    // Learned (and user-added dynamic) entries towards the port go.
    fdb::delete_by_port(k, bridge, Some(p), 0, false);
    port_state_selection(k, bridge);
}

/// `br_stp_change_bridge_id`: the bridge id and the device MAC change together.
pub(super) fn change_bridge_id(k: &mut Kernel, bridge: DevId, addr: HwAddr) {
    fdb::change_mac_address(k, bridge, addr);
    br_mut(k, bridge).bridge_id_addr = addr;
    k.dev_mut(bridge).addr = addr;
    port_state_selection(k, bridge);
}

/// `br_stp_recalculate_bridge_id`: unless the user set a MAC, the bridge takes the lowest
/// port MAC, or 00:00:00:00:00:00 with no ports. True when the id changed.
pub(super) fn recalculate_bridge_id(k: &mut Kernel, bridge: DevId) -> bool {
    if k.dev(bridge).addr_assign_type == crate::uapi::addr_assign::SET {
        return false;
    }
    let lowest = br(k, bridge)
        .ports
        .iter()
        .map(|p| k.dev(*p).addr)
        .min()
        .unwrap_or(HwAddr::ZERO_ETH);
    if br(k, bridge).bridge_id_addr == lowest {
        return false;
    }
    change_bridge_id(k, bridge, lowest);
    true
}

/// `br_stp_start`: no `/sbin/bridge-stp` helper answers under nlsim, so kernel STP
/// (BR_KERNEL_STP); the forward delay is clamped into 2..30 s; ports left blocking move on
/// (`br_port_state_selection` → listening).
pub(super) fn stp_start(k: &mut Kernel, id: DevId) {
    let b = br_mut(k, id);
    let (t, _) = timer(b.forward_delay);
    if t < BR_MIN_FORWARD_DELAY {
        b.forward_delay = jiffies_to_clock_t(BR_MIN_FORWARD_DELAY) as u32;
    } else if t > BR_MAX_FORWARD_DELAY {
        b.forward_delay = jiffies_to_clock_t(BR_MAX_FORWARD_DELAY) as u32;
    }
    b.stp_enabled = 1;
    port_state_selection(k, id);
}

/// `br_stp_set_enabled` (net/bridge/br_stp_if.c): any non-zero value starts STP (MRP is not
/// modelled, so its refusal never applies); 0 stops it. `br_stp_stop` of kernel STP only
/// clears the mode: ports keep their current state.
pub(super) fn stp_set_enabled(k: &mut Kernel, id: DevId, val: u32) {
    let cur = br(k, id).stp_enabled;
    if val != 0 {
        if cur == 0 {
            stp_start(k, id);
        }
    } else if cur != 0 {
        br_mut(k, id).stp_enabled = 0;
    }
}
