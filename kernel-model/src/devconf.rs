//! The per-device IP configuration IFLA_AF_SPEC reports (`inet_fill_link_af`,
//! `inet6_fill_ifla6_attrs`): `in_dev->cnf` and `idev->cnf`, `idev->if_flags`, and the
//! neighbour timers of `ifla_cacheinfo`, for a device where nothing IP-related has been
//! configured and no packet has moved (nlsim has no IP layer yet).
//!
//! Namespace defaults: nlsim's namespaces stand both for the cross-check's qemu init_net and
//! for `unshare -n` namespaces with net.core.devconf_inherit_init_net = 0 (the 6.12 default).
//! For IPv6 a new namespace then takes the compiled `ipv6_devconf_dflt` (addrconf_init_net,
//! case 0 "use compiled values"); for IPv4 it copies init_net's current `conf/{all,default}`
//! (devinet_init_net, case 0 "copy from init_net"). nlsim uses the compiled
//! `ipv4_devconf_dflt`, which is what init_net holds when nothing has written
//! `net.ipv4.conf.default.*`.

use crate::uapi::{arphrd, iff};
use crate::view::LinkView;

/// `IPV4_DEVCONF_MAX` (include/uapi/linux/ip.h, 6.12): IPV4_DEVCONF_ARP_EVICT_NOCARRIER (33)
/// is the last entry.
pub const IPV4_DEVCONF_MAX: usize = 33;

/// `DEVCONF_MAX` in Linux 6.12 (include/uapi/linux/ipv6.h): DEVCONF_ACCEPT_RA_MIN_LFT (58) is
/// the last entry. 6.17 appended DEVCONF_FORCE_FORWARDING, so newer kernels report 60.
pub const DEVCONF_MAX_6_12: usize = 59;

/// `IF_READY` / `IF_RS_SENT` of `idev->if_flags` (include/net/if_inet6.h).
pub const IF_READY: u32 = 0x8000_0000;
pub const IF_RS_SENT: u32 = 0x10;

/// `IN6_ADDR_GEN_MODE_RANDOM`.
const IN6_ADDR_GEN_MODE_RANDOM: u8 = 3;

/// `IPV6_MIN_MTU` (include/linux/ipv6.h): `ipv6_add_dev` / `addrconf_notify`.
const IPV6_MIN_MTU: u32 = 1280;
/// Loopback's MTU at registration (`loopback_setup`, drivers/net/loopback.c).
const LOOPBACK_MTU: u32 = 64 * 1024;

/// ARPHRD types `ipv6_add_dev` disables temporary addresses for (besides IFF_LOOPBACK).
const ARPHRD_TUNNEL: u16 = 768;
const ARPHRD_TUNNEL6: u16 = 769;
const ARPHRD_SIT: u16 = 776;

/// `IPV6_MAXPLEN`: `ifla_cacheinfo.max_reasm_len`.
const IPV6_MAXPLEN: u32 = 65535;
/// `ND_REACHABLE_TIME` (30 s) in ms: nd_tbl's BASE_REACHABLE_TIME. The kernel reports
/// `nd_parms->reachable_time`, which is `neigh_rand_reach_time(base)`, uniform in
/// [base/2, 3*base/2) and redrawn every 300 s by `neigh_periodic_work`; nlsim must answer
/// the same bytes every time, so it reports the base value.
pub const ND_REACHABLE_TIME_MS: u32 = 30_000;
/// `ND_RETRANS_TIMER` (1 s) in ms: nd_tbl's RETRANS_TIME.
const ND_RETRANS_TIMER_MS: u32 = 1_000;

/// `IPV4_DEVCONF_*` (include/uapi/linux/ip.h) as array indices (the enum starts at 1).
mod v4 {
    pub const ACCEPT_REDIRECTS: usize = 3;
    pub const SECURE_REDIRECTS: usize = 4;
    pub const SEND_REDIRECTS: usize = 5;
    pub const SHARED_MEDIA: usize = 6;
    pub const ACCEPT_SOURCE_ROUTE: usize = 8;
    pub const NOXFRM: usize = 14;
    pub const NOPOLICY: usize = 15;
    pub const IGMPV2_UNSOLICITED_REPORT_INTERVAL: usize = 26;
    pub const IGMPV3_UNSOLICITED_REPORT_INTERVAL: usize = 27;
    pub const ARP_EVICT_NOCARRIER: usize = 32;
}

/// `DEVCONF_*` (include/uapi/linux/ipv6.h) of the values `ipv6_devconf_dflt` does not leave
/// at zero, plus MTU6.
mod v6 {
    pub const HOPLIMIT: usize = 1;
    pub const MTU6: usize = 2;
    pub const ACCEPT_RA: usize = 3;
    pub const ACCEPT_REDIRECTS: usize = 4;
    pub const AUTOCONF: usize = 5;
    pub const DAD_TRANSMITS: usize = 6;
    pub const RTR_SOLICITS: usize = 7;
    pub const RTR_SOLICIT_INTERVAL: usize = 8;
    pub const RTR_SOLICIT_DELAY: usize = 9;
    pub const USE_TEMPADDR: usize = 10;
    pub const TEMP_VALID_LFT: usize = 11;
    pub const TEMP_PREFERED_LFT: usize = 12;
    pub const REGEN_MAX_RETRY: usize = 13;
    pub const MAX_DESYNC_FACTOR: usize = 14;
    pub const MAX_ADDRESSES: usize = 15;
    pub const ACCEPT_RA_DEFRTR: usize = 17;
    pub const ACCEPT_RA_PINFO: usize = 18;
    pub const ACCEPT_RA_RTR_PREF: usize = 19;
    pub const RTR_PROBE_INTERVAL: usize = 20;
    pub const ACCEPT_DAD: usize = 27;
    pub const MLDV1_UNSOLICITED_REPORT_INTERVAL: usize = 30;
    pub const MLDV2_UNSOLICITED_REPORT_INTERVAL: usize = 31;
    pub const SUPPRESS_FRAG_NDISC: usize = 32;
    pub const ACCEPT_RA_MTU: usize = 35;
    pub const ACCEPT_RA_MIN_HOP_LIMIT: usize = 38;
    pub const RTR_SOLICIT_MAX_INTERVAL: usize = 43;
    pub const ENHANCED_DAD: usize = 46;
    pub const ADDR_GEN_MODE: usize = 47;
    pub const RA_DEFRTR_METRIC: usize = 52;
    pub const IOAM6_ID: usize = 54;
    pub const IOAM6_ID_WIDE: usize = 55;
    pub const NDISC_EVICT_NOCARRIER: usize = 56;
}

/// What `inet6_fill_ifla6_attrs` reports of a device's `inet6_dev`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inet6DevConf {
    /// `idev->if_flags` (IFLA_INET6_FLAGS).
    pub if_flags: u32,
    /// `struct ifla_cacheinfo`: max_reasm_len, tstamp, reachable_time, retrans_time.
    pub cacheinfo: [u32; 4],
    /// `ipv6_store_devconf` (IFLA_INET6_CONF).
    pub conf: [i32; DEVCONF_MAX_6_12],
    /// `idev->cnf.addr_gen_mode` (IFLA_INET6_ADDR_GEN_MODE).
    pub addr_gen_mode: u8,
}

impl LinkView {
    fn is_loopback(&self) -> bool {
        self.flags & iff::LOOPBACK != 0
    }

    /// `in_dev->cnf` when `dev->ip_ptr` is set: `ipv4_devconf_dflt` (net/ipv4/devinet.c), and
    /// for loopback NOXFRM/NOPOLICY set by `inetdev_event` at NETDEV_REGISTER. (Loopback that
    /// went below 68 and back gets a new in_device without those two; nlsim cannot tell.)
    pub fn ipv4_devconf(&self) -> Option<[u32; IPV4_DEVCONF_MAX]> {
        if !self.inet4 {
            return None;
        }
        let mut c = [0u32; IPV4_DEVCONF_MAX];
        c[v4::ACCEPT_REDIRECTS] = 1;
        c[v4::SEND_REDIRECTS] = 1;
        c[v4::SECURE_REDIRECTS] = 1;
        c[v4::SHARED_MEDIA] = 1;
        c[v4::ACCEPT_SOURCE_ROUTE] = 1;
        c[v4::IGMPV2_UNSOLICITED_REPORT_INTERVAL] = 10_000;
        c[v4::IGMPV3_UNSOLICITED_REPORT_INTERVAL] = 1_000;
        c[v4::ARP_EVICT_NOCARRIER] = 1;
        if self.is_loopback() {
            c[v4::NOXFRM] = 1;
            c[v4::NOPOLICY] = 1;
        }
        Some(c)
    }

    /// The `inet6_dev` when `dev->ip6_ptr` is set.
    pub fn inet6_devconf(&self) -> Option<Inet6DevConf> {
        if !self.inet6 {
            return None;
        }
        // tstamp is `cstamp_delta(idev->tstamp)`: nlsim has no clock in replies and reports 0.
        let cacheinfo = [IPV6_MAXPLEN, 0, ND_REACHABLE_TIME_MS, ND_RETRANS_TIMER_MS];
        Some(Inet6DevConf {
            if_flags: self.inet6_if_flags(),
            cacheinfo,
            conf: self.ipv6_devconf(),
            addr_gen_mode: self.inet6_addr_gen_mode(),
        })
    }

    /// The `IF_READY` bit of `idev->if_flags`: set when the device comes up with a ready
    /// link (`addrconf_link_ready`: operstate UP/UNKNOWN and a real qdisc — IFF_RUNNING in
    /// `dev_get_flags`), or when the link becomes ready later (NETDEV_CHANGE); cleared by
    /// `addrconf_ifdown` (NETDEV_DOWN, and loopback below IPV6_MIN_MTU).
    ///
    /// IF_RS_SENT is set by `addrconf_dad_completed` once the link-local address has passed
    /// DAD and a router solicitation went out (not for loopback). On an Ethernet-type device
    /// with ARP that takes 1-2 s (a random delay up to rtr_solicit_delay, then one
    /// retrans_time): nlsim has no timers and reports the state before it. An IFF_NOARP
    /// device (dummy) skips DAD (`addrconf_dad_begin`) and sends the solicitation from the DAD
    /// work queued with no delay at NETDEV_UP, so any later request sees IF_RS_SENT: nlsim
    /// reports it at once. (Derived from the 6.12 source.)
    ///
    /// IF_READY is the model's (`inet_mcast`): kept when the carrier goes away while up, as
    /// the kernel keeps it.
    fn inet6_if_flags(&self) -> u32 {
        if !self.inet6_ready {
            return 0;
        }
        if self.flags & iff::NOARP != 0 && self.dev_type == arphrd::ETHER {
            IF_READY | IF_RS_SENT
        } else {
            IF_READY
        }
    }

    /// `idev->cnf.addr_gen_mode`: EUI64 from `ipv6_devconf_dflt`. No device type gets NONE in
    /// 6.12 (only wireguard's driver sets it); `addrconf_dev_config` switches ARPHRD_NONE
    /// devices to RANDOM when their link first becomes ready (approximated by IF_READY: the
    /// kernel keeps RANDOM afterwards); STABLE_PRIVACY needs a stable_secret, never set here.
    fn inet6_addr_gen_mode(&self) -> u8 {
        if self.inet6_addr_gen_mode == 0
            && self.dev_type == arphrd::NONE
            && self.inet6_if_flags() != 0
        {
            IN6_ADDR_GEN_MODE_RANDOM
        } else {
            self.inet6_addr_gen_mode
        }
    }

    /// `ipv6_store_devconf` of a fresh inet6_dev: `ipv6_devconf_dflt` (net/ipv6/addrconf.c, a
    /// kernel with CONFIG_IPV6_ROUTER_PREF and CONFIG_IPV6_ROUTE_INFO like Debian's), jiffies
    /// values in ms, with `ipv6_add_dev`'s per-device changes.
    fn ipv6_devconf(&self) -> [i32; DEVCONF_MAX_6_12] {
        use v6::*;
        let mut a = [0i32; DEVCONF_MAX_6_12];
        a[HOPLIMIT] = 64; // IPV6_DEFAULT_HOPLIMIT

        // `ipv6_add_dev` copies dev->mtu, NETDEV_CHANGEMTU keeps it in step while the MTU
        // stays at or above IPV6_MIN_MTU. Below it (only loopback keeps its inet6_dev) the
        // value is the last MTU >= 1280, which the view does not hold: loopback's
        // registration MTU is assumed.
        let mtu6 = if self.mtu >= IPV6_MIN_MTU {
            self.mtu
        } else {
            LOOPBACK_MTU
        };
        a[MTU6] = i32::try_from(mtu6).unwrap_or(i32::MAX);
        a[ACCEPT_RA] = 1;
        a[ACCEPT_REDIRECTS] = 1;
        a[AUTOCONF] = 1; // ipv6_defaults.autoconf, forced into every namespace's default
        a[DAD_TRANSMITS] = 1;
        a[RTR_SOLICITS] = -1; // MAX_RTR_SOLICITATIONS: unlimited
        a[RTR_SOLICIT_INTERVAL] = 4_000;
        a[RTR_SOLICIT_DELAY] = 1_000;
        a[TEMP_VALID_LFT] = 7 * 86_400;
        a[TEMP_PREFERED_LFT] = 86_400;
        a[REGEN_MAX_RETRY] = 3;
        a[MAX_DESYNC_FACTOR] = 600;
        a[MAX_ADDRESSES] = 16;
        a[ACCEPT_RA_DEFRTR] = 1;
        a[ACCEPT_RA_PINFO] = 1;
        a[ACCEPT_RA_RTR_PREF] = 1;
        a[RTR_PROBE_INTERVAL] = 60_000;
        a[ACCEPT_DAD] = 1;
        a[MLDV1_UNSOLICITED_REPORT_INTERVAL] = 10_000;
        a[MLDV2_UNSOLICITED_REPORT_INTERVAL] = 1_000;
        a[SUPPRESS_FRAG_NDISC] = 1;
        a[ACCEPT_RA_MTU] = 1;
        a[ACCEPT_RA_MIN_HOP_LIMIT] = 1;
        a[RTR_SOLICIT_MAX_INTERVAL] = 3_600_000;
        a[ENHANCED_DAD] = 1;
        a[ADDR_GEN_MODE] = i32::from(self.inet6_addr_gen_mode());
        a[RA_DEFRTR_METRIC] = 1024; // IP6_RT_PRIO_USER
        a[IOAM6_ID] = 0xffff; // IOAM6_DEFAULT_IF_ID
        a[IOAM6_ID_WIDE] = -1; // IOAM6_DEFAULT_IF_ID_WIDE (U32_MAX)
        a[NDISC_EVICT_NOCARRIER] = 1;
        // `ipv6_add_dev` looks at the flags at creation; nlsim uses the current ones
        // (IFF_NOARP can be toggled later with `ip link set arp off`, which leaves accept_dad
        // alone).
        if self.flags & (iff::NOARP | iff::LOOPBACK) != 0 {
            a[ACCEPT_DAD] = -1;
        }
        if self.is_loopback()
            || matches!(
                self.dev_type,
                ARPHRD_TUNNEL | ARPHRD_TUNNEL6 | ARPHRD_SIT | arphrd::NONE
            )
        {
            a[USE_TEMPADDR] = -1;
        }
        a
    }
}
