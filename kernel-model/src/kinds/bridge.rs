//! bridge (net/bridge): ports via `master`, the bridge id / MAC rules of `br_stp_if.c`, MTU
//! auto-adjust, and port states with STP off.

use super::dummy::eth_hw_addr_random;
use super::{KindState, LinkOps, PortState};
use crate::device::{DevId, NetDevice};
use crate::error::{err, AttrPath, KResult, KernelError};
use crate::hwaddr::{HwAddr, SeededRng};
use crate::kernel::{Kernel, LinkMsg, NetdevEvent};
use crate::request::{KindData, LinkRequest, PortData};
use crate::uapi::{
    arphrd, errno, iff, ifla, ETH_DATA_LEN, ETH_MAX_MTU, GSO_LEGACY_MAX_SIZE, GSO_MAX_SIZE,
};
use crate::view::{KindInfo, PortInfo};
use serde::{Deserialize, Serialize};

pub struct BridgeOps;

/// `BR_STATE_*` port states (include/uapi/linux/if_bridge.h).
pub mod port_state {
    pub const DISABLED: u8 = 0;
    pub const LISTENING: u8 = 1;
    pub const LEARNING: u8 = 2;
    pub const FORWARDING: u8 = 3;
    pub const BLOCKING: u8 = 4;
}

/// `IFLA_BR_*` numbers the model refers to.
pub mod ifla_br {
    pub const FORWARD_DELAY: u16 = 1;
    pub const HELLO_TIME: u16 = 2;
    pub const MAX_AGE: u16 = 3;
    pub const AGEING_TIME: u16 = 4;
    pub const STP_STATE: u16 = 5;
    pub const PRIORITY: u16 = 6;
    pub const GROUP_FWD_MASK: u16 = 9;
}

/// `BR_PORT_BITS`: port numbers are 10 bits, `BR_MAX_PORTS` = 1024.
const BR_MAX_PORTS: u16 = 1 << 10;
/// `BR_GROUPFWD_RESTRICTED`: STP, MAC pause and LACP frames may never be forwarded.
const BR_GROUPFWD_RESTRICTED: u16 = 0x7;
/// USER_HZ: IFLA_BR_* timers are `clock_t` (centiseconds).
const HZ: u32 = 100;

/// A bridge option from IFLA_INFO_DATA. Values are as on the wire (`clock_t` for timers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BridgeOpt {
    ForwardDelay(u32),
    HelloTime(u32),
    MaxAge(u32),
    AgeingTime(u32),
    StpState(u32),
    Priority(u16),
    GroupFwdMask(u16),
    /// Any other IFLA_BR_* attribute: refused as not modelled.
    Other(u16),
}

/// A bridge port option from IFLA_INFO_SLAVE_DATA / IFLA_PROTINFO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BridgePortOpt {
    Other(u16),
}

/// `struct net_bridge`, the parts the model keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeState {
    /// `br->bridge_id`: priority and address (zero until the first port or a set MAC).
    pub bridge_id_prio: u16,
    pub bridge_id_addr: HwAddr,
    pub stp_enabled: u32,
    /// Timers in clock_t as IFLA_BR_* reports them.
    pub forward_delay: u32,
    pub hello_time: u32,
    pub max_age: u32,
    pub ageing_time: u32,
    pub group_fwd_mask: u16,
    pub group_addr: HwAddr,
    pub vlan_filtering: bool,
    pub vlan_protocol: u16,
    pub vlan_default_pvid: u16,
    pub mcast_snooping: bool,
    /// `BROPT_MTU_SET_BY_USER`.
    pub mtu_set_by_user: bool,
    /// `br->port_list`, in list order (`list_add_rcu` puts new ports first).
    pub ports: Vec<DevId>,
}

impl Default for BridgeState {
    /// `br_dev_setup` defaults.
    fn default() -> Self {
        BridgeState {
            bridge_id_prio: 0x8000,
            bridge_id_addr: HwAddr::ZERO_ETH,
            stp_enabled: 0,
            forward_delay: 15 * HZ,
            hello_time: 2 * HZ,
            max_age: 20 * HZ,
            ageing_time: 300 * HZ,
            group_fwd_mask: 0,
            group_addr: HwAddr::eth([0x01, 0x80, 0xc2, 0, 0, 0]),
            vlan_filtering: false,
            vlan_protocol: 0x8100,
            vlan_default_pvid: 1,
            mcast_snooping: true,
            mtu_set_by_user: false,
            ports: Vec::new(),
        }
    }
}

/// `struct net_bridge_port`, the parts the model keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgePort {
    pub bridge: DevId,
    pub port_no: u16,
    pub priority: u16,
    pub path_cost: u32,
    pub state: u8,
    /// BR_PROMISC: the bridge put the port in promiscuous mode.
    pub promisc: bool,
    pub learning: bool,
    pub unicast_flood: bool,
    pub mcast_flood: bool,
    pub bcast_flood: bool,
}

impl BridgePort {
    /// `br_make_port_id`.
    pub fn port_id(&self) -> u16 {
        (self.priority << 10) | self.port_no
    }
}

/// What `br_fill_info` reports.
pub type BridgeInfo = BridgeState;

/// What `br_port_fill_attrs` reports: the port plus ids taken from its bridge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgePortInfo {
    pub port: BridgePort,
    pub bridge_id_prio: u16,
    pub bridge_id_addr: HwAddr,
}

fn br(k: &Kernel, id: DevId) -> &BridgeState {
    match &k.dev(id).state {
        KindState::Bridge(b) => b,
        _ => unreachable!("model invariant: bridge state on a bridge"),
    }
}

fn br_mut(k: &mut Kernel, id: DevId) -> &mut BridgeState {
    match &mut k.dev_mut(id).state {
        KindState::Bridge(b) => b,
        _ => unreachable!("model invariant: bridge state on a bridge"),
    }
}

fn port(k: &Kernel, id: DevId) -> Option<&BridgePort> {
    match &k.dev(id).port {
        Some(PortState::Bridge(p)) => Some(p),
        _ => None,
    }
}

fn port_mut(k: &mut Kernel, id: DevId) -> Option<&mut BridgePort> {
    match &mut k.dev_mut(id).port {
        Some(PortState::Bridge(p)) => Some(p),
        _ => None,
    }
}

fn is_bridge(d: &NetDevice) -> bool {
    matches!(d.state, KindState::Bridge(_))
}

/// `port_cost`: from the link speed, else the 10 Mb/s guess.
fn port_cost(d: &NetDevice) -> u32 {
    match d.kind.ops().ethtool_speed() {
        Some(10000) => 2,
        Some(5000) => 3,
        Some(2500) | Some(1000) => 4,
        Some(100) => 19,
        Some(s) if s > 10000 => 1,
        _ => 100,
    }
}

/// `br_set_state`.
fn set_state(k: &mut Kernel, p: DevId, state: u8) {
    if let Some(bp) = port_mut(k, p) {
        bp.state = state;
    }
}

/// `br_port_state_selection` with STP off every enabled port is designated and forwards; the
/// bridge has carrier when any port forwards.
fn port_state_selection(k: &mut Kernel, bridge: DevId) {
    let stp = br(k, bridge).stp_enabled;
    let mut live = 0;
    for p in br(k, bridge).ports.clone() {
        let Some(bp) = port(k, p) else { continue };
        if bp.state == port_state::DISABLED {
            continue;
        }
        // br_make_forwarding: straight to forwarding without STP, listening with it.
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
fn stp_enable_port(k: &mut Kernel, bridge: DevId, p: DevId) {
    set_state(k, p, port_state::BLOCKING);
    port_state_selection(k, bridge);
    k.notify_bridge_port(p, LinkMsg::New);
}

/// `br_stp_disable_port`.
fn stp_disable_port(k: &mut Kernel, bridge: DevId, p: DevId) {
    set_state(k, p, port_state::DISABLED);
    port_state_selection(k, bridge);
}

/// `br_stp_change_bridge_id`: the bridge id and the device MAC change together.
fn change_bridge_id(k: &mut Kernel, bridge: DevId, addr: HwAddr) {
    br_mut(k, bridge).bridge_id_addr = addr;
    k.dev_mut(bridge).addr = addr;
    port_state_selection(k, bridge);
}

/// `br_stp_recalculate_bridge_id`: unless the user set a MAC, the bridge takes the lowest
/// port MAC, or 00:00:00:00:00:00 with no ports. True when the id changed.
fn recalculate_bridge_id(k: &mut Kernel, bridge: DevId) -> bool {
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

/// `br_mtu_auto_adjust`: follow the smallest port MTU unless the user set one.
fn mtu_auto_adjust(k: &mut Kernel, bridge: DevId) {
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
fn add_if(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
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
    k.dev_mut(p).port = Some(PortState::Bridge(BridgePort {
        bridge,
        port_no,
        priority: 0x20,
        path_cost: cost,
        state: port_state::DISABLED,
        promisc: false,
        learning: true,
        unicast_flood: true,
        mcast_flood: true,
        bcast_flood: true,
    }));
    k.master_upper_dev_link(p, bridge);
    let first = br(k, bridge).ports.is_empty();
    br_mut(k, bridge).ports.insert(0, p);
    // nbp_update_port_count → br_manage_promisc: without VLAN filtering every port is
    // promiscuous.
    if !br(k, bridge).vlan_filtering || k.dev(bridge).gflags & iff::PROMISC != 0 {
        set_port_promisc(k, p);
    }
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
fn set_gso_limits(k: &mut Kernel, bridge: DevId) {
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
fn set_port_promisc(k: &mut Kernel, p: DevId) {
    if port(k, p).is_some_and(|bp| bp.promisc) {
        return;
    }
    let before = k.dev(p).flags;
    k.dev_set_promiscuity(p, 1);
    if k.dev(p).flags != before {
        k.rtmsg_ifinfo(p, iff::PROMISC);
    }
    if let Some(bp) = port_mut(k, p) {
        bp.promisc = true;
    }
}

/// `del_nbp`: the port leaves (promiscuity and allmulti given back).
fn del_nbp(k: &mut Kernel, bridge: DevId, p: DevId) {
    if port(k, p).is_some_and(|bp| bp.promisc) {
        let before = k.dev(p).flags;
        k.dev_set_promiscuity(p, -1);
        if k.dev(p).flags != before {
            k.rtmsg_ifinfo(p, iff::PROMISC);
        }
    }
    if port(k, p).is_some_and(|bp| bp.state != port_state::DISABLED) {
        stp_disable_port(k, bridge, p);
    }
    k.notify_bridge_port(p, LinkMsg::Del);
    br_mut(k, bridge).ports.retain(|q| *q != p);
    k.rx_handler_unregister(p);
    k.dev_set_allmulti(p, -1);
    k.dev_mut(p).port = None;
    k.master_upper_dev_unlink(p);
}

/// `br_del_if`.
fn del_if(k: &mut Kernel, bridge: DevId, p: DevId) -> KResult<()> {
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
fn port_carrier_check(k: &mut Kernel, bridge: DevId, p: DevId) {
    let up = k.dev(p).is_running() && k.dev(p).is_oper_up();
    if up {
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

fn apply_opt(k: &mut Kernel, id: DevId, opt: &BridgeOpt) -> KResult<()> {
    let path = |a: u16| AttrPath::nested(&[ifla::LINKINFO, ifla::INFO_DATA, a]);
    match *opt {
        // br_set_forward_delay: the 2..30 s range only applies with STP on.
        BridgeOpt::ForwardDelay(v) => {
            if br(k, id).stp_enabled != 0 && !(2 * HZ..=30 * HZ).contains(&v) {
                return err(errno::ERANGE);
            }
            br_mut(k, id).forward_delay = v;
        }
        // br_set_hello_time: 1..10 s.
        BridgeOpt::HelloTime(v) => {
            if !(HZ..=10 * HZ).contains(&v) {
                return err(errno::ERANGE);
            }
            br_mut(k, id).hello_time = v;
        }
        // br_set_max_age: 6..40 s.
        BridgeOpt::MaxAge(v) => {
            if !(6 * HZ..=40 * HZ).contains(&v) {
                return err(errno::ERANGE);
            }
            br_mut(k, id).max_age = v;
        }
        BridgeOpt::AgeingTime(v) => br_mut(k, id).ageing_time = v,
        BridgeOpt::StpState(v) => {
            if v != br(k, id).stp_enabled {
                return Err(KernelError::not_modelled("bridge STP (IFLA_BR_STP_STATE)")
                    .attr(path(ifla_br::STP_STATE)));
            }
        }
        BridgeOpt::Priority(v) => br_mut(k, id).bridge_id_prio = v,
        BridgeOpt::GroupFwdMask(v) => {
            if v & BR_GROUPFWD_RESTRICTED != 0 {
                return err(errno::EINVAL);
            }
            br_mut(k, id).group_fwd_mask = v;
        }
        BridgeOpt::Other(a) => {
            return Err(
                KernelError::not_modelled(format!("bridge option IFLA_BR attribute {a}"))
                    .attr(path(a)),
            );
        }
    }
    Ok(())
}

/// The order `br_changelink` handles its attributes in.
fn changelink_order(opt: &BridgeOpt) -> u8 {
    match opt {
        BridgeOpt::ForwardDelay(_) => 0,
        BridgeOpt::HelloTime(_) => 1,
        BridgeOpt::MaxAge(_) => 2,
        BridgeOpt::AgeingTime(_) => 3,
        BridgeOpt::StpState(_) => 4,
        BridgeOpt::Priority(_) => 5,
        BridgeOpt::GroupFwdMask(_) => 6,
        BridgeOpt::Other(_) => 7,
    }
}

fn changelink(k: &mut Kernel, id: DevId, opts: &[BridgeOpt]) -> KResult<()> {
    let mut sorted: Vec<&BridgeOpt> = opts.iter().collect();
    sorted.sort_by_key(|o| changelink_order(o));
    for opt in sorted {
        apply_opt(k, id, opt)?;
    }
    Ok(())
}

impl LinkOps for BridgeOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        Some("bridge")
    }

    /// `br_dev_setup`.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        eth_hw_addr_random(dev, rng);
        let addr = dev.addr;
        dev.ether_setup();
        dev.addr = addr;
        dev.max_mtu = ETH_MAX_MTU;
        dev.no_queue = true;
        // tso_max_size keeps alloc_netdev's TSO_LEGACY_MAX_SIZE until the first
        // `br_set_gso_limits` (6.12 transcripts: a fresh bridge reports 65536).
        dev.state = KindState::Bridge(Box::default());
    }

    /// `br_validate`.
    fn validate(&self, req: &LinkRequest) -> KResult<()> {
        super::dummy::eth_validate_request_addr(req)
    }

    /// `br_dev_newlink`: register, adopt a given MAC as bridge id, then the options.
    fn newlink(&self, k: &mut Kernel, dev: NetDevice, req: &LinkRequest) -> KResult<DevId> {
        let has_addr = req.address.is_some();
        let id = k.register_netdevice(dev)?;
        if has_addr {
            let addr = k.dev(id).addr;
            change_bridge_id(k, id, addr);
        }
        if let Some(KindData::Bridge(opts)) = req.linkinfo.as_ref().and_then(|li| li.data.as_ref())
        {
            if let Err(e) = changelink(k, id, opts) {
                k.unregister_many(&[id], false);
                return Err(e);
            }
        }
        Ok(id)
    }

    fn has_changelink(&self) -> bool {
        true
    }

    fn changelink(&self, k: &mut Kernel, id: DevId, data: &KindData) -> KResult<()> {
        match data {
            KindData::Bridge(opts) => changelink(k, id, opts),
            _ => err(errno::EINVAL),
        }
    }

    fn slave_changelink(
        &self,
        _k: &mut Kernel,
        _master: DevId,
        _port: DevId,
        _data: &PortData,
    ) -> KResult<()> {
        Err(KernelError::not_modelled(
            "bridge port options (IFLA_INFO_SLAVE_DATA)",
        ))
    }

    /// `br_dev_delete`: every port is released, then the bridge goes.
    fn dellink(&self, k: &mut Kernel, id: DevId) -> Option<Vec<DevId>> {
        for p in br(k, id).ports.clone() {
            del_nbp(k, id, p);
        }
        Some(vec![id])
    }

    /// `br_dev_open` → `br_stp_enable_bridge`: ports that are up and oper-up get enabled.
    fn open(&self, k: &mut Kernel, id: DevId) -> KResult<()> {
        for p in br(k, id).ports.clone() {
            if k.dev(p).is_running() && k.dev(p).is_oper_up() {
                stp_enable_port(k, id, p);
            }
        }
        Ok(())
    }

    /// `br_dev_stop` → `br_stp_disable_bridge`.
    fn stop(&self, k: &mut Kernel, id: DevId) {
        for p in br(k, id).ports.clone() {
            if port(k, p).is_some_and(|bp| bp.state != port_state::DISABLED) {
                stp_disable_port(k, id, p);
            }
        }
    }

    /// `br_set_mac_address`: any valid address, even while up; it becomes the bridge id.
    fn set_mac_address(&self, k: &mut Kernel, id: DevId, addr: HwAddr) -> KResult<()> {
        if !addr.is_valid_ether() {
            return err(errno::EADDRNOTAVAIL);
        }
        if k.dev(id).addr != addr {
            change_bridge_id(k, id, addr);
        }
        Ok(())
    }

    /// `br_change_mtu`: the user's MTU sticks (`BROPT_MTU_SET_BY_USER`).
    fn change_mtu(&self, k: &mut Kernel, id: DevId, mtu: u32) -> KResult<()> {
        k.dev_mut(id).mtu = mtu;
        br_mut(k, id).mtu_set_by_user = true;
        Ok(())
    }

    fn is_master(&self) -> bool {
        true
    }

    fn add_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        add_if(k, master, port)
    }

    fn del_slave(&self, k: &mut Kernel, master: DevId, port: DevId) -> KResult<()> {
        del_if(k, master, port)
    }

    /// `br_device_event` for one of the bridge's ports.
    fn port_event(&self, k: &mut Kernel, bridge: DevId, p: DevId, ev: &NetdevEvent) -> KResult<()> {
        let mut notified = false;
        match ev {
            NetdevEvent::ChangeMtu => mtu_auto_adjust(k, bridge),
            NetdevEvent::ChangeAddr => {
                let changed = recalculate_bridge_id(k, bridge);
                if changed {
                    k.call_netdevice_notifiers(bridge, NetdevEvent::ChangeAddr);
                }
            }
            NetdevEvent::Change => {
                let before = port(k, p).map(|bp| bp.state);
                port_carrier_check(k, bridge, p);
                notified = port(k, p).map(|bp| bp.state) != before;
            }
            NetdevEvent::Down if k.dev(bridge).is_running() => {
                stp_disable_port(k, bridge, p);
                notified = true;
            }
            NetdevEvent::Up if k.dev(bridge).is_running() && k.dev(p).is_oper_up() => {
                stp_enable_port(k, bridge, p);
                notified = true;
            }
            NetdevEvent::Unregister => {
                del_if(k, bridge, p)?;
                return Ok(());
            }
            _ => {}
        }
        if !notified
            && matches!(
                ev,
                NetdevEvent::ChangeAddr | NetdevEvent::Up | NetdevEvent::Change | NetdevEvent::Down
            )
        {
            k.notify_bridge_port(p, LinkMsg::New);
        }
        Ok(())
    }

    fn netns_local(&self) -> bool {
        true
    }

    fn fill_info(&self, k: &Kernel, dev: &NetDevice) -> Option<KindInfo> {
        let _ = k;
        match &dev.state {
            KindState::Bridge(b) => Some(KindInfo::Bridge(b.clone())),
            _ => None,
        }
    }

    fn fill_slave_info(
        &self,
        _k: &Kernel,
        master: &NetDevice,
        port: &NetDevice,
    ) -> Option<PortInfo> {
        match (&master.state, &port.port) {
            (KindState::Bridge(b), Some(PortState::Bridge(p))) => {
                Some(PortInfo::Bridge(Box::new(BridgePortInfo {
                    port: p.clone(),
                    bridge_id_prio: b.bridge_id_prio,
                    bridge_id_addr: b.bridge_id_addr,
                })))
            }
            _ => None,
        }
    }
}

/// Invariant: a bridge's port list and its ports' master agree.
pub fn check_ports(k: &Kernel, d: &NetDevice) -> Result<(), String> {
    if let KindState::Bridge(b) = &d.state {
        for p in &b.ports {
            let pd = k.try_dev(*p).ok_or(format!("{}: port missing", d.name))?;
            if pd.master != Some(d.id) {
                return Err(format!("{}: port {} has another master", d.name, pd.name));
            }
            match &pd.port {
                Some(PortState::Bridge(bp)) if bp.bridge == d.id => {}
                _ => {
                    return Err(format!(
                        "{}: port {} lacks bridge port state",
                        d.name, pd.name
                    ))
                }
            }
        }
    }
    if let Some(PortState::Bridge(bp)) = &d.port {
        match k.try_dev(bp.bridge).map(|b| &b.state) {
            Some(KindState::Bridge(b)) if b.ports.contains(&d.id) => {}
            _ => return Err(format!("{}: bridge does not list it", d.name)),
        }
    }
    Ok(())
}
