//! netdevsim (drivers/net/netdevsim): simulated physical NICs, created through sysfs
//! (`echo "ID PORTS" > /sys/bus/netdevsim/new_device`), never through rtnetlink.

use super::dummy::{eth_hw_addr_random, eth_validate_addr};
use super::{Kind, KindState, LinkOps};
use crate::device::{DevId, NetDevice, NetnsId};
use crate::error::{KResult, KernelError};
use crate::hwaddr::SeededRng;
use crate::kernel::Kernel;
use crate::link_ops::PhysInfo;
use crate::netdev_priv::KindPriv;
use crate::request::LinkRequest;
use crate::uapi::{errno, iff, name_assign, DEFAULT_TX_QUEUE_LEN, ETH_MAX_MTU};
use crate::view::VfInfo;
use serde::{Deserialize, Serialize};

pub struct NetdevsimOps;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NsimState {
    /// The bus device id (`netdevsim<ID>`).
    pub bus_id: u32,
    /// The port index within that device (devlink port index; its name is `p<index + 1>`).
    pub port: u32,
    /// `nsim_dev->switch_id`: 32 random bytes shared by the device's ports.
    pub switch_id: Vec<u8>,
    /// `nsim_bus_dev->initial_net`, the devlink instance's namespace (nsim_drv_probe →
    /// nsim_dev_probe: devlink_alloc_ns there). State files from before it was kept: init_net.
    #[serde(default = "init_net_id")]
    pub devlink_net: NetnsId,
}

fn init_net_id() -> NetnsId {
    NetnsId(0)
}

impl LinkOps for NetdevsimOps {
    fn rtnl_kind(&self) -> Option<&'static str> {
        // The driver's rtnl_link_ops exist only to refuse creation; the ports it registers
        // itself carry none (no IFLA_LINKINFO, RTM_DELLINK answers EOPNOTSUPP).
        None
    }

    /// `nsim_link_ops`: registered so that `ip link add ... type netdevsim` reaches
    /// `nsim_validate`.
    fn registered_rtnl_kind(&self) -> Option<&'static str> {
        Some("netdevsim")
    }

    /// `nsim_setup`.
    fn setup(&self, dev: &mut NetDevice, rng: &mut SeededRng) {
        dev.ether_setup();
        eth_hw_addr_random(dev, rng);
        // tx_queue_len 0 in setup: alloc_netdev_mqs turns that into IFF_NO_QUEUE + 1000.
        dev.tx_queue_len = DEFAULT_TX_QUEUE_LEN;
        dev.flags &= !iff::MULTICAST;
        dev.no_queue = true;
        dev.live_addr_change = true;
        dev.max_mtu = ETH_MAX_MTU;
    }

    /// `nsim_validate`: `ip link add ... type netdevsim` is always refused.
    fn validate(&self, _req: &LinkRequest) -> KResult<()> {
        Err(KernelError::new(errno::EOPNOTSUPP)
            .msg("netdevsim: Please use: echo \"[ID] [PORT_COUNT] [NUM_QUEUES]\" > /sys/bus/netdevsim/new_device"))
    }

    fn validate_addr(&self, dev: &NetDevice) -> KResult<()> {
        eth_validate_addr(dev)
    }

    /// `nsim_stop`: carrier off; `nsim_open` does not turn it back on (6.12).
    fn stop(&self, k: &mut Kernel, id: DevId) {
        k.netif_carrier_off(id);
    }

    fn dellink(&self, _k: &mut Kernel, _id: DevId) -> Option<Vec<DevId>> {
        None
    }

    fn state_fits(&self, state: &KindState) -> bool {
        state.is::<NsimState>()
    }

    /// IFLA_PHYS_PORT_NAME, IFLA_PHYS_SWITCH_ID and the parent device of a netdevsim port
    /// (devlink: physical ports are named from attrs.phys.port_number = port_index + 1).
    fn phys_info(&self, dev: &NetDevice) -> PhysInfo {
        match nsim(dev) {
            Some(s) => (
                Some(format!("p{}", s.port.wrapping_add(1))),
                Some(s.switch_id.clone()),
                Some((format!("netdevsim{}", s.bus_id), "netdevsim".to_string())),
            ),
            None => (None, None, None),
        }
    }

    fn devlink_net(&self, dev: &NetDevice) -> Option<NetnsId> {
        nsim(dev).map(|s| s.devlink_net)
    }

    /// IFLA_DEVLINK_PORT of a netdevsim port: the devlink port handle (bus, device, index).
    fn devlink_port(&self, dev: &NetDevice) -> Option<(String, String, u32)> {
        nsim(dev).map(|s| {
            (
                "netdevsim".to_string(),
                format!("netdevsim{}", s.bus_id),
                s.port,
            )
        })
    }

    /// `rtnl_fill_vfinfo` for a netdevsim port: its bus device has no VFs configured
    /// (`nsim_dev_get_vfs`), and the driver has `ndo_get_vf_config`, so an empty VF list
    /// follows.
    fn vf_info(&self, dev: &NetDevice) -> Option<VfInfo> {
        nsim(dev).map(|_| VfInfo {
            num_vfs: 0,
            lists_vfs: true,
        })
    }
}

#[typetag::serde(name = "Netdevsim")]
impl KindPriv for NsimState {}

impl Kernel {
    /// The sysfs `new_device` write of netdevsim (`echo "ID PORTS" > /sys/bus/netdevsim/new_device`):
    /// `new_device_store` → `nsim_drv_probe` → one `nsim_create` per port, named from "eth%d".
    pub fn netdevsim_new_device(&mut self, ns: NetnsId, bus_id: u32, ports: u32) -> KResult<()> {
        let r = new_device(self, ns, bus_id, ports);
        self.linkwatch_run_queue();
        r
    }
}

fn nsim(dev: &NetDevice) -> Option<&NsimState> {
    dev.state.downcast_ref::<NsimState>()
}

fn new_device(k: &mut Kernel, ns: NetnsId, bus_id: u32, ports: u32) -> KResult<()> {
    if k.all_devices()
        .any(|d| nsim(d).is_some_and(|s| s.bus_id == bus_id))
    {
        return Err(KernelError::new(errno::EEXIST));
    }
    // nsim_dev_probe: get_random_bytes over the whole id (MAX_PHYS_ITEM_ID_LEN).
    let switch_id: Vec<u8> = (0..4)
        .flat_map(|_| k.rng().next_u64().to_le_bytes())
        .collect();
    for port in 0..ports {
        let mut dev = k.alloc_netdev(ns, Kind::NETDEVSIM, "eth%d");
        dev.name_assign_type = name_assign::UNKNOWN;
        dev.state = KindState::new(NsimState {
            bus_id,
            port,
            switch_id: switch_id.clone(),
            devlink_net: ns,
        });
        k.register_netdevice(dev)?;
    }
    Ok(())
}
