//! net/ipv6/route.c and ip6_fib.c: the entry points addrconf.c calls, and the routing
//! table's netdevice notifier.

use crate::device::DevId;
use crate::kernel::{Kernel, NetdevEvent};
use std::net::Ipv6Addr;

impl Kernel {
    /// `addrconf_prefix_route`: the prefix route of an address or of fe80::/64
    /// (`proto kernel`, table `l3mdev_fib_table(dev)` or main, `RTF_UP | flags`); `expires`:
    /// absolute time (`crate::time::Nanos`) at which it expires, `None` for a permanent route.
    pub fn addrconf_prefix_route(
        &mut self,
        _pfx: Ipv6Addr,
        _plen: u8,
        _metric: u32,
        _dev: DevId,
        _expires: Option<u64>,
        _flags: u32,
    ) {
    }

    /// `addrconf_get_prefix_route` + `ip6_del_rt`: removes the prefix route `cleanup_prefix_route`
    /// finds (same prefix, device, and `metric` when given). Whether one was removed.
    pub fn addrconf_prefix_route_del(
        &mut self,
        _pfx: Ipv6Addr,
        _plen: u8,
        _dev: DevId,
        _metric: Option<u32>,
    ) -> bool {
        false
    }

    /// `addrconf_f6i_alloc` + `ip6_ins_rt`: the local-table route of an address (`local` or,
    /// for anycast, `anycast`), inserted when the address is announced (`__ipv6_ifa_notify`).
    pub fn ip6_ins_local_route(&mut self, _dev: DevId, _addr: Ipv6Addr, _anycast: bool) {}

    /// `ip6_del_rt` of an address's local-table route (`__ipv6_ifa_notify(RTM_DELADDR)`).
    pub fn ip6_del_local_route(&mut self, _dev: DevId, _addr: Ipv6Addr, _anycast: bool) {}

    /// `addrconf_add_mroute`: ff00::/8 in the local table.
    pub fn addrconf_add_mroute(&mut self, _dev: DevId) {}

    /// `rt6_disable_ip`: what `addrconf_ifdown` asks of the routing table when a device goes
    /// down (`unregister` false) or away / loses IPv6 (`unregister` true).
    pub fn rt6_disable_ip(&mut self, _dev: DevId, _unregister: bool) {}

    /// `ip6_route_dev_notify` (priority ADDRCONF_NOTIFY_PRIORITY - 10: after every other
    /// netdevice notifier).
    pub fn ip6_route_dev_notify(&mut self, _id: DevId, _ev: &NetdevEvent) {}
}
