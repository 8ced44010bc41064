//! net/ipv6/ndisc.c: `nd_tbl`'s constructor (`ndisc_constructor`), its proxy entries'
//! constructor and destructor (`pndisc_constructor` / `pndisc_destructor`: the solicited-node
//! group of the proxied address) and `ndisc_allow_add`.

use super::arp::{has_header_ops, zero_ha};
use super::{nud, rtn, Key, Neighbour};
use crate::device::DevId;
use crate::error::{KResult, KernelError};
use crate::hwaddr::HwAddr;
use crate::kernel::Kernel;
use crate::uapi::{arphrd, errno, iff};

/// `addrconf_addr_solict_mult`: ff02::1:ffXX:XXXX.
fn solicited_node(addr: &Key) -> Key {
    let mut m = [0u8; 16];
    m[0] = 0xff;
    m[1] = 0x02;
    m[11] = 0x01;
    m[12] = 0xff;
    m[13..].copy_from_slice(&addr[13..]);
    m
}

impl Kernel {
    /// `ndisc_allow_add`. The device's `disable_ipv6` is not consulted (nlsim keeps no
    /// IPv6 devconf): only a missing inet6_dev refuses.
    pub(crate) fn ndisc_allow_add(&self, dev: DevId) -> KResult<()> {
        if !self.dev(dev).inet.in6 {
            return Err(KernelError::new(errno::EINVAL).msg("IPv6 is disabled on this device"));
        }
        Ok(())
    }

    /// `ndisc_constructor`.
    pub(crate) fn ndisc_constructor(&mut self, n: &mut Neighbour) -> KResult<()> {
        let dev = self.dev(n.dev);
        n.ha = zero_ha(dev);
        if !dev.inet.in6 {
            return Err(KernelError::new(errno::EINVAL));
        }
        let multicast = n.key[0] == 0xff;
        n.ntype = if multicast {
            rtn::MULTICAST
        } else {
            rtn::UNICAST
        };
        if !has_header_ops(dev) {
            n.nud_state = nud::NOARP;
        } else if multicast {
            n.nud_state = nud::NOARP;
            // ndisc_mc_map(addr, ha, dev, 1).
            n.ha = if dev.dev_type == arphrd::ETHER {
                HwAddr::eth([0x33, 0x33, n.key[12], n.key[13], n.key[14], n.key[15]])
            } else {
                dev.broadcast
            };
        } else if dev.flags & (iff::NOARP | iff::LOOPBACK) != 0 {
            n.nud_state = nud::NOARP;
            n.ha = dev.addr;
            if dev.flags & iff::LOOPBACK != 0 {
                n.ntype = rtn::LOCAL;
            }
        } else if dev.flags & iff::POINTOPOINT != 0 {
            n.nud_state = nud::NOARP;
            n.ha = dev.broadcast;
        }
        Ok(())
    }

    /// `pndisc_constructor`: needs a device with an inet6_dev, which joins the proxied
    /// address's solicited-node group.
    pub(crate) fn pndisc_constructor(&mut self, key: &Key, dev: Option<DevId>) -> bool {
        let Some(dev) = dev.filter(|d| self.dev(*d).inet.in6) else {
            return false;
        };
        self.mc_inc_group(dev, solicited_node(key), true);
        // igmp6_group_added: on an up device the new group is reported (MLDv2, to
        // ff02::16), which resolves that destination. A group joined before (already
        // reported) is approximated by the entry being there already.
        if self.dev(dev).flags & crate::uapi::iff::UP != 0 {
            self.mld_report_output(dev);
        }
        true
    }

    /// What sending an MLD report does to the neighbour table: `ip6_finish_output2` to
    /// ff02::16 (MLDv2 reports, `mld_sendpack`) finds or creates that entry
    /// (`__neigh_create`: a multicast, NUD_NOARP entry, created silently). For the MLD side
    /// (`igmp6_group_added` on an up device: every group but all-nodes and those below
    /// link-local scope) to call when a report goes out.
    pub fn mld_report_output(&mut self, dev: DevId) {
        let mut key = [0u8; 16];
        key[0] = 0xff;
        key[1] = 0x02;
        key[15] = 0x16;
        self.neigh_output_lookup(super::Family::Inet6, dev, &key);
    }

    /// The output path's `__neigh_lookup_noref` || `__neigh_create` for a packet to `key`
    /// leaving `dev`: no notification (the constructor sets the state; only updates
    /// announce).
    pub fn neigh_output_lookup(&mut self, f: super::Family, dev: DevId, key: &Key) {
        let ns = self.dev(dev).netns;
        if self.neigh_find(ns, f, key, dev).is_none() {
            let _ = self.neigh_create(ns, f, key, dev, 0);
        }
    }

    /// `pndisc_destructor`.
    pub(crate) fn pndisc_destructor(&mut self, key: &Key, dev: Option<DevId>) {
        if let Some(dev) = dev.filter(|d| self.try_dev(*d).is_some_and(|x| x.inet.in6)) {
            self.mc_dec_group(dev, solicited_node(key), true);
        }
    }
}
