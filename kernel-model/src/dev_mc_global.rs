//! Link-layer multicast addresses a user adds by hand (`ip maddr add/del LLADDR dev DEV`):
//! the SIOCADDMULTI / SIOCDELMULTI ioctls (`dev_ifsioc`, net/core/dev_ioctl.c) and
//! `dev_mc_add_global` / `dev_mc_del_global` (net/core/dev_addr_lists.c). A global entry is
//! one reference of `dev->mc` marked `global_use` ("static" in `ip maddr`, the 4th column of
//! /proc/net/dev_mcast); adding it again changes nothing, deleting it drops that reference.

use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::inet_mcast::McEntry;
use crate::kernel::Kernel;
use crate::uapi::errno;

/// SIOCADDMULTI / SIOCDELMULTI (include/uapi/linux/sockios.h).
pub const SIOCADDMULTI: u32 = 0x8931;
pub const SIOCDELMULTI: u32 = 0x8932;

/// The kinds whose netdev ops have `ndo_set_rx_mode` in 6.12 (dummy, veth, netdevsim, bridge,
/// bond, team, 8021q, macvlan/macvtap, ipvlan/ipvtap, vxlan, tun/tap, macsec, netkit); the
/// others (loopback, the IP tunnels, geneve, vrf, ifb, nlmon, wireguard, vcan, vxcan) answer
/// SIOCADDMULTI with EINVAL.
const SET_RX_MODE_KINDS: [&str; 16] = [
    "dummy",
    "veth",
    "netdevsim",
    "bridge",
    "bond",
    "team",
    "vlan",
    "macvlan",
    "macvtap",
    "ipvlan",
    "ipvtap",
    "vxlan",
    "tun",
    "tap",
    "macsec",
    "netkit",
];

impl Kernel {
    /// `dev_ioctl` → `dev_ifsioc` for SIOCADDMULTI / SIOCDELMULTI: `name` is the ifreq's
    /// (cut at its first colon by the caller), `family` and `data` its `ifr_hwaddr`.
    pub fn dev_mc_ioctl(
        &mut self,
        ns: NetnsId,
        cmd: u32,
        name: &str,
        family: u16,
        data: &[u8],
    ) -> KResult<()> {
        // dev_ioctl: __dev_get_by_name or ENODEV.
        let id = self
            .dev_by_name(ns, name)
            .ok_or_else(|| KernelError::new(errno::ENODEV))?;
        // dev_ifsioc: !ops->ndo_set_rx_mode || sa_family != AF_UNSPEC → EINVAL.
        let has_rx_mode = SET_RX_MODE_KINDS.contains(&self.dev(id).kind.id());
        if !has_rx_mode || family != 0 {
            return Err(KernelError::new(errno::EINVAL));
        }
        // netif_device_present: the model's devices are always present. The address is
        // dev->addr_len bytes of sa_data.
        let len = self.dev(id).addr.as_bytes().len();
        let Ok(addr) = <[u8; 6]>::try_from(data.get(..len).unwrap_or(data)) else {
            return Err(KernelError::not_modelled(
                "SIOCADDMULTI/SIOCDELMULTI on devices without 6-byte addresses",
            ));
        };
        match cmd {
            SIOCADDMULTI => self.dev_mc_add_global(id, addr),
            SIOCDELMULTI => self.dev_mc_del_global(id, addr)?,
            _ => return Err(KernelError::new(errno::EINVAL)),
        }
        Ok(())
    }

    /// `dev_mc_add_global` (`__hw_addr_add_ex` with global): an entry already in global use
    /// is left alone; an existing one gains the global reference; a new one goes to the tail.
    fn dev_mc_add_global(&mut self, id: DevId, addr: [u8; 6]) {
        let list = &mut self.dev_mut(id).mc;
        match list.iter_mut().find(|e| e.addr == addr) {
            Some(e) if e.global => return,
            Some(e) => {
                e.global = true;
                e.refs = e.refs.saturating_add(1);
            }
            None => list.push(McEntry {
                addr,
                refs: 1,
                global: true,
            }),
        }
        self.dev_set_rx_mode(id);
    }

    /// `dev_mc_del_global` (`__hw_addr_del_entry` with global): ENOENT unless the entry is
    /// in global use; the reference goes, and the entry with the last one.
    fn dev_mc_del_global(&mut self, id: DevId, addr: [u8; 6]) -> KResult<()> {
        let list = &mut self.dev_mut(id).mc;
        let Some(pos) = list.iter().position(|e| e.addr == addr && e.global) else {
            return Err(KernelError::new(errno::ENOENT));
        };
        list[pos].global = false;
        list[pos].refs -= 1;
        if list[pos].refs == 0 {
            list.remove(pos);
        }
        self.dev_set_rx_mode(id);
        Ok(())
    }
}
