//! Ports (net/bridge/br_if.c): adding and removing them, the MTU, GSO and promiscuity
//! rules they impose on the bridge, and their carrier.

use super::*;

/// `port_cost`: from the link speed, else the 10 Mb/s guess.
pub(super) fn port_cost(d: &NetDevice) -> u32 {
    match d.kind.ops().ethtool_speed() {
        Some(10000) => 2,
        Some(5000) => 3,
        Some(2500) | Some(1000) => 4,
        Some(100) => 19,
        Some(s) if s > 10000 => 1,
        _ => 100,
    }
}

/// `br_mtu_auto_adjust`: follow the smallest port MTU unless the user set one.
pub(super) fn mtu_auto_adjust(k: &mut Kernel, bridge: DevId) {
    if br(k, bridge).mtu_set_by_user {
        return;
    }
    let min = br(k, bridge)
        .ports
        .iter()
        .map(|p| k.dev(*p).mtu)
        .min()
        .unwrap_or(ETH_DATA_LEN);
    // dev_set_mtu's errors (e.g. a port MTU below 68) are ignored here, as in the kernel.
    let _ = k.dev_set_mtu(bridge, min);
    br_mut(k, bridge).mtu_set_by_user = false;
}

/// `br_add_if`, in the kernel's check order.
pub(super) fn add_if(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
    let d = k.dev(p);
    if d.flags & iff::LOOPBACK != 0
        || d.dev_type != arphrd::ETHER
        || d.addr.len() != 6
        || !d.addr.is_valid_ether()
    {
        return err(errno::EINVAL);
    }
    if is_bridge(d) {
        return Err(KernelError::new(errno::ELOOP).msg("Can not enslave a bridge to a bridge"));
    }
    if d.master.is_some() {
        return err(errno::EBUSY);
    }
    // new_nbp: the lowest free port number.
    let used: Vec<u16> = br(k, bridge)
        .ports
        .iter()
        .filter_map(|q| port(k, *q).map(|bp| bp.port_no))
        .collect();
    let port_no = (1..BR_MAX_PORTS)
        .find(|n| !used.contains(n))
        .ok_or_else(|| KernelError::new(errno::EXFULL))?;
    let cost = port_cost(k.dev(p));
    k.dev_set_allmulti(p, 1);
    // netdev_rx_handler_register: a device with a macvlan/ipvlan (or other) rx handler cannot
    // become a port; the kernel unwinds dev_set_allmulti.
    if let Err(e) = k.rx_handler_register(p, crate::device::RxHandler::Bridge) {
        k.dev_set_allmulti(p, -1);
        return Err(e);
    }
    let mut bp = BridgePort::new(bridge, port_no, cost);
    // new_nbp: br_init_port's br_set_state(BLOCKING) is counted under kernel STP before the
    // port is set disabled.
    if br(k, bridge).stp_enabled == 1 {
        bp.stp_transition_blk = 1;
    }
    k.dev_mut(p).port = Some(PortState::new(bp));
    // br_add_if's err5 .. err2: IFF_BRIDGE_PORT, the rx handler and allmulti undone.
    if let Err(e) = k.master_upper_dev_link(p, bridge) {
        k.dev_mut(p).port = None;
        k.rx_handler_unregister(p);
        k.dev_set_allmulti(p, -1);
        return Err(e);
    }
    let first = br(k, bridge).ports.is_empty();
    br_mut(k, bridge).ports.insert(0, p);
    // nbp_update_port_count → br_manage_promisc.
    update_port_count(k, bridge);
    if !port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) && k.dev(p).kind.ops().unicast_flt()
    {
        // A new port that starts out of promiscuous mode gets the static addresses.
        fdb::sync_static(k, bridge, p);
    }
    let addr = k.dev(p).addr;
    let _ = fdb::add_local(k, bridge, Some(p), addr, 0);
    // nbp_vlan_init (cannot fail here: no switchdev, no allocation failures).
    let _ = nbp_vlan_init(k, bridge, p);
    if first {
        // netdev_update_features: the first port changes the bridge's feature set.
        k.netdev_features_change(bridge);
    }
    let changed_addr = recalculate_bridge_id(k, bridge);
    let pd = k.dev(p);
    if pd.is_running() && pd.is_oper_up() && k.dev(bridge).is_running() {
        stp_enable_port(k, bridge, p);
    }
    k.notify_bridge_port(p, LinkMsg::New);
    if changed_addr {
        k.call_netdevice_notifiers(bridge, NetdevEvent::ChangeAddr);
    }
    mtu_auto_adjust(k, bridge);
    set_gso_limits(k, bridge);
    Ok(())
}

/// `br_set_gso_limits`: the smallest TSO limits of the ports (TSO_MAX_SIZE / TSO_MAX_SEGS
/// without ports), applied with `netif_set_tso_max_size` / `netif_set_tso_max_segs`.
pub(super) fn set_gso_limits(k: &mut Kernel, bridge: DevId) {
    let (mut size, mut segs) = (u32::MAX, u32::from(u16::MAX));
    for p in &br(k, bridge).ports {
        let d = k.dev(*p);
        size = size.min(d.tso_max_size);
        segs = segs.min(d.tso_max_segs);
    }
    let d = k.dev_mut(bridge);
    d.tso_max_size = size.min(GSO_MAX_SIZE);
    if size < d.gso_max_size {
        // netif_set_gso_max_size
        d.gso_max_size = size;
        if size <= GSO_LEGACY_MAX_SIZE {
            d.gso_ipv4_max_size = size;
        }
    }
    if size < d.gso_ipv4_max_size {
        d.gso_ipv4_max_size = size;
    }
    d.tso_max_segs = segs;
    if segs < d.gso_max_segs {
        d.gso_max_segs = segs;
    }
}

/// `br_port_set_promisc` (with `dev_set_promiscuity`'s IFF_PROMISC notification).
pub(super) fn set_port_promisc(k: &mut Kernel, p: DevId) {
    if port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
        return;
    }
    let before = k.dev(p).flags;
    k.dev_set_promiscuity(p, 1);
    if k.dev(p).flags != before {
        k.rtmsg_ifinfo(p, iff::PROMISC);
    }
    if let Some(bridge) = port(k, p).map(|bp| bp.bridge) {
        fdb::unsync_static(k, bridge, p);
    }
    if let Some(bp) = port_mut(k, p) {
        bp.flags |= port_flag::PROMISC;
    }
}

/// `br_port_clear_promisc` (callers checked IFF_UNICAST_FLT): the static addresses go to the
/// port's unicast filter first.
pub(super) fn clear_port_promisc(k: &mut Kernel, p: DevId) {
    if !port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
        return;
    }
    if let Some(bridge) = port(k, p).map(|bp| bp.bridge) {
        fdb::sync_static(k, bridge, p);
    }
    let before = k.dev(p).flags;
    k.dev_set_promiscuity(p, -1);
    if k.dev(p).flags != before {
        k.rtmsg_ifinfo(p, iff::PROMISC);
    }
    if let Some(bp) = port_mut(k, p) {
        bp.flags &= !port_flag::PROMISC;
    }
}

/// `del_nbp`: the port leaves (promiscuity and allmulti given back).
pub(super) fn del_nbp(k: &mut Kernel, bridge: DevId, p: DevId) {
    // nbp_delete_promisc.
    if port(k, p).is_some_and(|bp| bp.has(port_flag::PROMISC)) {
        let before = k.dev(p).flags;
        k.dev_set_promiscuity(p, -1);
        if k.dev(p).flags != before {
            k.rtmsg_ifinfo(p, iff::PROMISC);
        }
    } else {
        fdb::unsync_static(k, bridge, p);
    }
    if port(k, p).is_some_and(|bp| bp.state != port_state::DISABLED) {
        stp_disable_port(k, bridge, p);
    }
    k.notify_bridge_port(p, LinkMsg::Del);
    br_mut(k, bridge).ports.retain(|q| *q != p);
    nbp_vlan_flush(k, p);
    fdb::delete_by_port(k, bridge, Some(p), 0, true);
    update_port_count(k, bridge);
    k.rx_handler_unregister(p);
    k.dev_set_allmulti(p, -1);
    k.dev_mut(p).port = None;
    k.master_upper_dev_unlink(p);
}

/// `br_del_if`.
pub(super) fn del_if(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
    if port(k, p).is_none_or(|bp| bp.bridge != bridge) {
        return err(errno::EINVAL);
    }
    del_nbp(k, bridge, p);
    mtu_auto_adjust(k, bridge);
    set_gso_limits(k, bridge);
    if recalculate_bridge_id(k, bridge) {
        k.call_netdevice_notifiers(bridge, NetdevEvent::ChangeAddr);
    }
    if br(k, bridge).ports.is_empty() {
        k.netdev_features_change(bridge);
    }
    Ok(())
}

/// `br_port_carrier_check`.
pub(super) fn port_carrier_check(k: &mut Kernel, bridge: DevId, p: DevId) {
    let up = k.dev(p).is_running() && k.dev(p).is_oper_up();
    if up && !port(k, p).is_some_and(|bp| bp.has(port_flag::ADMIN_COST)) {
        let cost = port_cost(k.dev(p));
        if let Some(bp) = port_mut(k, p) {
            bp.path_cost = cost;
        }
    }
    if !k.dev(bridge).is_running() {
        return;
    }
    let disabled = port(k, p).is_some_and(|bp| bp.state == port_state::DISABLED);
    if up && disabled {
        stp_enable_port(k, bridge, p);
    } else if !up && !disabled {
        stp_disable_port(k, bridge, p);
    }
}

/// `br_manage_promisc`: every port promiscuous while VLAN filtering is off or the bridge is
/// promiscuous; otherwise a port that filters unicast itself (IFF_UNICAST_FLT) leaves
/// promiscuous mode when it is the only auto port (or there is none).
pub(super) fn manage_promisc(k: &mut Kernel, bridge: DevId) {
    let b = br(k, bridge);
    let set_all = k.dev(bridge).flags & iff::PROMISC != 0 || !b.vlan_filtering;
    let auto_cnt = b.auto_cnt;
    for p in b.ports.clone() {
        let Some(bp) = port(k, p) else { continue };
        let auto = bp.has(port_flag::AUTO_MASK);
        if !set_all
            && k.dev(p).kind.ops().unicast_flt()
            && (auto_cnt == 0 || (auto_cnt == 1 && auto))
        {
            clear_port_promisc(k, p);
        } else {
            set_port_promisc(k, p);
        }
    }
}

/// `nbp_update_port_count`.
pub(super) fn update_port_count(k: &mut Kernel, bridge: DevId) {
    let cnt = br(k, bridge)
        .ports
        .iter()
        .filter(|p| port(k, **p).is_some_and(|bp| bp.has(port_flag::AUTO_MASK)))
        .count() as u32;
    if br(k, bridge).auto_cnt != cnt {
        br_mut(k, bridge).auto_cnt = cnt;
        manage_promisc(k, bridge);
    }
}
