//! AF_INET6 link notifications (`inet6_ifinfo_notify`, net/ipv6/addrconf.c): an AF_INET6
//! RTM_NEWLINK to RTNLGRP_IPV6_IFINFO. Its 6.12 callers nlsim has: `addrconf_notify` once a
//! link is configured (`addrconf_link_ready_addrs`), `inet6_set_iftoken`, and
//! `ndisc_ifinfo_sysctl_change` (net/ipv6/ndisc.c, below). Router advertisements
//! (`ndisc_router_discovery`) never arrive in nlsim.

use crate::device::DevId;
use crate::inet::ifaddr::cstamp_delta;
use crate::kernel::{Event, Kernel};
use crate::neigh::parms::{jiffies_to_msecs, NeighVar};
use crate::neigh::Family;

/// `IPV6_MAXPLEN` (include/uapi/linux/ipv6.h): `ifla_cacheinfo.max_reasm_len`.
const IPV6_MAXPLEN: u32 = 65535;

impl Kernel {
    /// `inet6_ifinfo_notify(RTM_NEWLINK, idev)`: an AF_INET6 RTM_NEWLINK (pid 0, seq 0) to
    /// RTNLGRP_IPV6_IFINFO, filled now.
    pub(crate) fn inet6_ifinfo_notify(&mut self, id: DevId) {
        if !self.dev(id).inet.in6 {
            return;
        }
        let view = Box::new(self.fill(id));
        let cacheinfo = self.inet6_cacheinfo(id);
        let netns = self.dev(id).netns;
        self.events.push(Event::Inet6Ifinfo {
            netns,
            view,
            cacheinfo,
        });
    }

    /// IFLA_INET6_CACHEINFO as `inet6_fill_ifla6_attrs` fills it: max_reasm_len, tstamp
    /// (`cstamp_delta(idev->tstamp)`), reachable_time and retrans_time of `idev->nd_parms`
    /// in ms.
    pub fn inet6_cacheinfo(&self, id: DevId) -> [u32; 4] {
        let d = self.dev(id);
        let p = self.neigh_parms(d.netns, Family::Inet6, Some(id));
        let ms = |j: u64| jiffies_to_msecs(j) as u32;
        [
            IPV6_MAXPLEN,
            cstamp_delta(d.inet.in6_tstamp),
            ms(p.reachable_time_jiffies(id, Family::Inet6)),
            ms(p.retrans_time),
        ]
    }

    /// `ndisc_ifinfo_sysctl_change`: a successful write of a device's IPv6
    /// neigh/DEV/retrans_time(_ms) or base_reachable_time(_ms) renews `idev->tstamp` and
    /// notifies (the handler's `neigh_rand_reach_time` is `neigh_var_set`'s).
    pub(crate) fn ndisc_ifinfo_sysctl_change(&mut self, dev: DevId, var: NeighVar) {
        if !matches!(var, NeighVar::RetransTime | NeighVar::BaseReachableTime) {
            return;
        }
        if !self.dev(dev).inet.in6 {
            return;
        }
        self.dev_mut(dev).inet.in6_tstamp = self.now();
        self.inet6_ifinfo_notify(dev);
    }
}
