//! net/ipv4/arp.c: what `arp_tbl` does when it creates an entry (`arp_constructor`).

use super::{nud, rtn, Neighbour};
use crate::device::NetDevice;
use crate::error::{KResult, KernelError};
use crate::hwaddr::HwAddr;
use crate::kernel::Kernel;
use crate::uapi::{arphrd, errno, iff};

/// Whether the device has `header_ops` (a link-layer header to resolve): Ethernet-type
/// devices (`ether_setup`) and loopback. Not modelled: ipgre / ip6gre without a remote,
/// which set their own header_ops; nlsim treats every non-Ethernet type as headerless.
pub(crate) fn has_header_ops(dev: &NetDevice) -> bool {
    matches!(dev.dev_type, arphrd::ETHER | arphrd::LOOPBACK)
}

/// `dev->addr_len` zero bytes: a fresh `neigh->ha`.
pub(crate) fn zero_ha(dev: &NetDevice) -> HwAddr {
    HwAddr::from_slice(&[0u8; 16][..dev.addr.len()]).unwrap_or(HwAddr::NONE)
}

impl Kernel {
    /// `arp_constructor`.
    pub(crate) fn arp_constructor(&mut self, n: &mut Neighbour) -> KResult<()> {
        let dev = self.dev(n.dev);
        n.ha = zero_ha(dev);
        // Loopback and point-to-point devices key every entry by 0.0.0.0.
        if dev.flags & (iff::LOOPBACK | iff::POINTOPOINT) != 0 {
            n.key[..4].copy_from_slice(&[0; 4]);
        }
        let addr = [n.key[0], n.key[1], n.key[2], n.key[3]];
        if !dev.inet.in4 {
            return Err(KernelError::new(errno::EINVAL));
        }
        // inet_addr_type_dev_table: the FIB says local / broadcast / multicast / unicast.
        let ns = dev.netns;
        n.ntype = self.inet_addr_type_dev_table(ns, n.dev, u32::from_be_bytes(addr));
        if !has_header_ops(dev) {
            n.nud_state = nud::NOARP;
        } else if n.ntype == rtn::MULTICAST {
            n.nud_state = nud::NOARP;
            n.ha = arp_mc_map(addr, dev);
        } else if dev.flags & (iff::NOARP | iff::LOOPBACK) != 0 {
            n.nud_state = nud::NOARP;
            n.ha = dev.addr;
        } else if n.ntype == rtn::BROADCAST || dev.flags & iff::POINTOPOINT != 0 {
            n.nud_state = nud::NOARP;
            n.ha = dev.broadcast;
        }
        Ok(())
    }
}

/// `arp_mc_map(addr, haddr, dev, 1)`: `ip_eth_mc_map` on Ethernet, the device's broadcast
/// address elsewhere (the types nlsim has).
fn arp_mc_map(addr: [u8; 4], dev: &NetDevice) -> HwAddr {
    if dev.dev_type == arphrd::ETHER {
        HwAddr::eth([0x01, 0x00, 0x5e, addr[1] & 0x7f, addr[2], addr[3]])
    } else {
        dev.broadcast
    }
}
