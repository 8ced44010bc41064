//! net/ipv4/fib_frontend.c: how addresses and device events reach the IPv4 FIB.

use crate::device::DevId;
use crate::inet::ifaddr::InIfaddr;
use crate::kernel::{Kernel, NetdevEvent};

/// The inetaddr notifier's events (`NETDEV_UP` / `NETDEV_DOWN` for one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InetaddrEvent {
    Up,
    Down,
}

impl Kernel {
    /// `fib_inetaddr_event`: an IPv4 address was added (`Up`: `fib_add_ifaddr`) or removed
    /// (`Down`: `fib_del_ifaddr`, `fib_sync_down_addr`). devinet.c raises it from
    /// `__inet_insert_ifa` / `__inet_del_ifa` (`blocking_notifier_call_chain(&inetaddr_chain)`),
    /// after the address list was updated.
    pub fn fib_inetaddr_event(&mut self, _ifa: &InIfaddr, _ev: InetaddrEvent) {}

    /// `fib_netdev_event`: the FIB's netdevice notifier (registered right after
    /// `inetdev_event`, by `ip_fib_init`).
    pub fn fib_netdev_event(&mut self, _id: DevId, _ev: &NetdevEvent) {}
}
