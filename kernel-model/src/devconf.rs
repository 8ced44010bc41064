//! The per-device IP configuration: `in_dev->cnf` and `idev->cnf` (what IFLA_AF_SPEC reports,
//! `inet_fill_link_af` / `inet6_fill_ifla6_attrs`, and what `/proc/sys/net/ipv{4,6}/conf`
//! shows, `crate::sysctl_net`), each namespace's `conf/all` and `conf/default`, and the
//! effective values the kernel's `IN_DEV_*CONF` macros compute ([`Kernel::in_dev_conf`],
//! [`Kernel::in6_dev_conf`]).
//!
//! A device's configuration is stored only once something made it differ from what a fresh
//! device gets from the compiled defaults ([`DevConf`]: a sysctl write, or a namespace
//! default that was changed before the device registered); until then it is computed from
//! the device (`ipv6_add_dev`'s per-device changes, loopback's NOXFRM/NOPOLICY), which keeps
//! a link's memory small.
//!
//! Namespace defaults: a new namespace copies init_net's IPv4 `conf/{all,default}`
//! (`devinet_init_net`, net.core.devconf_inherit_init_net = 0, the 6.12 default: "copy from
//! init_net") and takes the compiled IPv6 ones (`addrconf_init_net`, case 0 "use compiled
//! values").

use crate::device::{DevId, NetnsId};
use crate::kernel::Kernel;
use crate::uapi::{arphrd, iff};
use crate::view::LinkView;
use serde::{Deserialize, Serialize};

/// `IPV4_DEVCONF_MAX` (include/uapi/linux/ip.h, 6.12): IPV4_DEVCONF_ARP_EVICT_NOCARRIER (33)
/// is the last entry.
pub const IPV4_DEVCONF_MAX: usize = 33;

/// `DEVCONF_MAX` in Linux 6.12 (include/uapi/linux/ipv6.h): DEVCONF_ACCEPT_RA_MIN_LFT (58) is
/// the last entry. 6.17 appended DEVCONF_FORCE_FORWARDING, so newer kernels report 60.
pub const DEVCONF_MAX_6_12: usize = 59;

/// Slots of a stored `idev->cnf`: the DEVCONF_* entries, then the sysctls that
/// `ipv6_store_devconf` does not report ([`Ipv6Conf::RegenMinAdvance`] and after).
pub const IPV6_CONF_SLOTS: usize = 62;

/// `IF_READY` / `IF_RS_SENT` of `idev->if_flags` (include/net/if_inet6.h).
pub const IF_READY: u32 = 0x8000_0000;
pub const IF_RS_SENT: u32 = 0x10;

/// `IN6_ADDR_GEN_MODE_*` (include/uapi/linux/if_link.h).
pub const IN6_ADDR_GEN_MODE_STABLE_PRIVACY: u8 = 2;
pub const IN6_ADDR_GEN_MODE_RANDOM: u8 = 3;

/// `IPV6_MIN_MTU` (include/linux/ipv6.h): `ipv6_add_dev` / `addrconf_notify`.
pub const IPV6_MIN_MTU: u32 = 1280;
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

/// `IPV4_DEVCONF_*` (include/uapi/linux/ip.h): the keys of `in_dev->cnf.data[key - 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Ipv4Conf {
    Forwarding = 1,
    McForwarding,
    ProxyArp,
    AcceptRedirects,
    SecureRedirects,
    SendRedirects,
    SharedMedia,
    RpFilter,
    AcceptSourceRoute,
    BootpRelay,
    LogMartians,
    Tag,
    Arpfilter,
    MediumId,
    Noxfrm,
    Nopolicy,
    ForceIgmpVersion,
    ArpAnnounce,
    ArpIgnore,
    PromoteSecondaries,
    ArpAccept,
    ArpNotify,
    AcceptLocal,
    SrcVmark,
    ProxyArpPvlan,
    RouteLocalnet,
    Igmpv2UnsolicitedReportInterval,
    Igmpv3UnsolicitedReportInterval,
    IgnoreRoutesWithLinkdown,
    DropUnicastInL2Multicast,
    DropGratuitousArp,
    BcForwarding,
    ArpEvictNocarrier,
}

impl Ipv4Conf {
    /// The index into `cnf.data`.
    pub fn index(self) -> usize {
        self as usize - 1
    }
}

/// How the kernel combines a device's value with `conf/all` (include/linux/inetdevice.h).
enum Combine4 {
    /// `IN_DEV_CONF_GET`: the device's own value.
    Own,
    /// `IN_DEV_ANDCONF`: all && dev.
    And,
    /// `IN_DEV_ORCONF`: all || dev.
    Or,
    /// `IN_DEV_MAXCONF`: max(all, dev).
    Max,
    /// `IN_DEV_RX_REDIRECTS`: ANDCONF while forwarding, ORCONF otherwise.
    RxRedirects,
}

fn combine4(key: Ipv4Conf) -> Combine4 {
    use Ipv4Conf as K;
    match key {
        K::McForwarding
        | K::BcForwarding
        | K::AcceptSourceRoute
        | K::BootpRelay
        | K::ArpEvictNocarrier => Combine4::And,
        K::SrcVmark
        | K::AcceptLocal
        | K::LogMartians
        | K::ProxyArp
        | K::ProxyArpPvlan
        | K::SharedMedia
        | K::SendRedirects
        | K::SecureRedirects
        | K::PromoteSecondaries
        | K::RouteLocalnet
        | K::IgnoreRoutesWithLinkdown
        | K::Arpfilter => Combine4::Or,
        K::RpFilter | K::ArpAccept | K::ArpAnnounce | K::ArpIgnore | K::ArpNotify => Combine4::Max,
        K::AcceptRedirects => Combine4::RxRedirects,
        _ => Combine4::Own,
    }
}

/// `DEVCONF_*` (include/uapi/linux/ipv6.h): the index of each `idev->cnf` field in
/// IFLA_INET6_CONF, then the sysctls it does not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Ipv6Conf {
    Forwarding = 0,
    HopLimit,
    Mtu6,
    AcceptRa,
    AcceptRedirects,
    Autoconf,
    DadTransmits,
    RtrSolicits,
    RtrSolicitInterval,
    RtrSolicitDelay,
    UseTempaddr,
    TempValidLft,
    TempPreferedLft,
    RegenMaxRetry,
    MaxDesyncFactor,
    MaxAddresses,
    ForceMldVersion,
    AcceptRaDefrtr,
    AcceptRaPinfo,
    AcceptRaRtrPref,
    RtrProbeInterval,
    AcceptRaRtInfoMaxPlen,
    ProxyNdp,
    OptimisticDad,
    AcceptSourceRoute,
    McForwarding,
    DisableIpv6,
    AcceptDad,
    ForceTllao,
    NdiscNotify,
    Mldv1UnsolicitedReportInterval,
    Mldv2UnsolicitedReportInterval,
    SuppressFragNdisc,
    AcceptRaFromLocal,
    UseOptimistic,
    AcceptRaMtu,
    /// Reads as 1 once the secret is set (the secret itself: `crate::sysctl_net`).
    StableSecret,
    UseOifAddrsOnly,
    AcceptRaMinHopLimit,
    IgnoreRoutesWithLinkdown,
    DropUnicastInL2Multicast,
    DropUnsolicitedNa,
    KeepAddrOnDown,
    RtrSolicitMaxInterval,
    Seg6Enabled,
    Seg6RequireHmac,
    EnhancedDad,
    AddrGenMode,
    DisablePolicy,
    AcceptRaRtInfoMinPlen,
    NdiscTclass,
    RplSegEnabled,
    RaDefrtrMetric,
    Ioam6Enabled,
    Ioam6Id,
    Ioam6IdWide,
    NdiscEvictNocarrier,
    AcceptUntrackedNa,
    AcceptRaMinLft,
    /// Not in IFLA_INET6_CONF.
    RegenMinAdvance,
    RaHonorPioLife,
    RaHonorPioPflag,
}

impl Ipv6Conf {
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A device's stored configuration (see the module doc): `None` parts are a fresh device's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevConf {
    /// `in_dev->cnf.data` (IPV4_DEVCONF_MAX values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v4: Option<Vec<i32>>,
    /// `in_dev->cnf.state`: keys written on this device (`devinet_conf_proc`'s set_bit,
    /// `ipv4_devconf_set`), which a write to `conf/default` no longer reaches.
    #[serde(default)]
    pub v4_state: u64,
    /// `idev->cnf` ([`IPV6_CONF_SLOTS`] values; mtu6 and addr_gen_mode are not read from
    /// here: see [`DevConf::mtu6`] and `InetMcast::addr_gen_mode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v6: Option<Vec<i32>>,
    /// mtu6 written through the sysctl, and the device MTU then: the next NETDEV_CHANGEMTU
    /// sets mtu6 to the new MTU again (`addrconf_notify`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu6: Option<(i32, u32)>,
    /// `idev->cnf.stable_secret` once initialized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable_secret: Option<[u8; 16]>,
}

/// A namespace's `net->ipv4.devconf_{all,dflt}` and `net->ipv6.devconf_{all,dflt}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetConf {
    pub v4_all: Vec<i32>,
    pub v4_dflt: Vec<i32>,
    pub v6_all: Vec<i32>,
    pub v6_dflt: Vec<i32>,
    /// `devconf_dflt->stable_secret` once initialized (`conf/all`'s cannot be set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v6_dflt_secret: Option<[u8; 16]>,
    /// `sysctl_devconf_inherit_init_net` (net/core/sysctl_net_core.c): one global, kept
    /// with init_net's configuration.
    #[serde(default)]
    pub devconf_inherit: i32,
}

impl Default for NetConf {
    fn default() -> Self {
        NetConf {
            v4_all: ipv4_devconf_all(),
            v4_dflt: ipv4_devconf_dflt(),
            v6_all: ipv6_devconf(false),
            v6_dflt: ipv6_devconf(true),
            v6_dflt_secret: None,
            devconf_inherit: 0,
        }
    }
}

impl NetConf {
    /// Nothing was written: the compiled values.
    pub fn is_compiled(&self) -> bool {
        *self == NetConf::default()
    }
}

/// `v[i]`, 0 where a loaded state holds a short row.
pub(crate) fn slot(v: &[i32], i: usize) -> i32 {
    v.get(i).copied().unwrap_or(0)
}

/// `v[i] = val` where the row has that slot.
pub(crate) fn set_slot(v: &mut [i32], i: usize, val: i32) {
    if let Some(s) = v.get_mut(i) {
        *s = val;
    }
}

/// `ipv4_devconf` (net/ipv4/devinet.c): the compiled `conf/all`.
fn ipv4_devconf_all() -> Vec<i32> {
    let mut c = ipv4_devconf_dflt();
    // ipv4_devconf_dflt alone sets ACCEPT_SOURCE_ROUTE.
    c[Ipv4Conf::AcceptSourceRoute.index()] = 0;
    c
}

/// `ipv4_devconf_dflt` (net/ipv4/devinet.c): the compiled `conf/default`.
fn ipv4_devconf_dflt() -> Vec<i32> {
    use Ipv4Conf as K;
    let mut c = vec![0i32; IPV4_DEVCONF_MAX];
    for k in [
        K::AcceptRedirects,
        K::SendRedirects,
        K::SecureRedirects,
        K::SharedMedia,
        K::AcceptSourceRoute,
        K::ArpEvictNocarrier,
    ] {
        c[k.index()] = 1;
    }
    c[K::Igmpv2UnsolicitedReportInterval.index()] = 10_000;
    c[K::Igmpv3UnsolicitedReportInterval.index()] = 1_000;
    c
}

/// `ipv6_devconf_dflt` (`dflt`) or `ipv6_devconf` (net/ipv6/addrconf.c, a kernel with
/// CONFIG_IPV6_ROUTER_PREF and CONFIG_IPV6_ROUTE_INFO like Debian's), jiffies values in ms;
/// `addrconf_init_net` forces `ipv6_defaults.autoconf` (1) and `.disable_ipv6` (0) into
/// every namespace's default.
fn ipv6_devconf(dflt: bool) -> Vec<i32> {
    use Ipv6Conf as K;
    let mut a = vec![0i32; IPV6_CONF_SLOTS];
    let mut set = |k: K, v: i32| a[k.index()] = v;
    set(K::HopLimit, 64); // IPV6_DEFAULT_HOPLIMIT
    set(K::Mtu6, IPV6_MIN_MTU as i32);
    set(K::AcceptRa, 1);
    set(K::AcceptRedirects, 1);
    set(K::Autoconf, 1);
    set(K::DadTransmits, 1);
    set(K::RtrSolicits, -1); // MAX_RTR_SOLICITATIONS: unlimited
    set(K::RtrSolicitInterval, 4_000);
    set(K::RtrSolicitDelay, 1_000);
    set(K::RtrSolicitMaxInterval, 3_600_000);
    set(K::TempValidLft, 7 * 86_400);
    set(K::TempPreferedLft, 86_400);
    set(K::RegenMinAdvance, 2); // REGEN_MIN_ADVANCE
    set(K::RegenMaxRetry, 3);
    set(K::MaxDesyncFactor, 600);
    set(K::MaxAddresses, 16);
    set(K::AcceptRaDefrtr, 1);
    set(K::AcceptRaPinfo, 1);
    set(K::AcceptRaRtrPref, 1);
    set(K::RtrProbeInterval, 60_000);
    set(K::AcceptDad, i32::from(dflt)); // ipv6_devconf (all) has 0
    set(K::Mldv1UnsolicitedReportInterval, 10_000);
    set(K::Mldv2UnsolicitedReportInterval, 1_000);
    set(K::SuppressFragNdisc, 1);
    set(K::AcceptRaMtu, 1);
    set(K::AcceptRaMinHopLimit, 1);
    set(K::EnhancedDad, 1);
    set(K::RaDefrtrMetric, 1024); // IP6_RT_PRIO_USER
    set(K::Ioam6Id, 0xffff); // IOAM6_DEFAULT_IF_ID
    set(K::Ioam6IdWide, -1); // IOAM6_DEFAULT_IF_ID_WIDE (U32_MAX)
    set(K::NdiscEvictNocarrier, 1);
    a
}

/// `inetdev_init`: a copy of the namespace's `conf/default`, and for loopback NOXFRM and
/// NOPOLICY set by `inetdev_event` at NETDEV_REGISTER. (Loopback that went below 68 and
/// back gets a new in_device without those two; nlsim cannot tell.)
fn fresh_v4(dflt: &[i32], loopback: bool) -> Vec<i32> {
    let mut c = dflt.to_vec();
    c.resize(IPV4_DEVCONF_MAX, 0);
    if loopback {
        c[Ipv4Conf::Noxfrm.index()] = 1;
        c[Ipv4Conf::Nopolicy.index()] = 1;
    }
    c
}

/// `ipv6_add_dev`: a copy of the namespace's `conf/default` with the per-device changes.
/// The kernel looks at the flags at creation; a fresh (not stored) row uses the current ones
/// (IFF_NOARP can be toggled later with `ip link set arp off`, which leaves accept_dad alone).
fn fresh_v6(dflt: &[i32], flags: u32, dev_type: u16) -> Vec<i32> {
    let mut a = dflt.to_vec();
    a.resize(IPV6_CONF_SLOTS, 0);
    if flags & (iff::NOARP | iff::LOOPBACK) != 0 {
        a[Ipv6Conf::AcceptDad.index()] = -1;
    }
    if flags & iff::LOOPBACK != 0
        || matches!(
            dev_type,
            ARPHRD_TUNNEL | ARPHRD_TUNNEL6 | ARPHRD_SIT | arphrd::NONE
        )
    {
        a[Ipv6Conf::UseTempaddr.index()] = -1;
    }
    a
}

/// `idev->cnf.mtu6`: `ipv6_add_dev` copies dev->mtu, NETDEV_CHANGEMTU keeps it in step while
/// the MTU stays at or above IPV6_MIN_MTU, a sysctl write holds until the next MTU change.
/// Below IPV6_MIN_MTU (only loopback keeps its inet6_dev) the value is the last MTU >= 1280,
/// which the model does not hold: loopback's registration MTU is assumed.
fn mtu6(conf: Option<&DevConf>, mtu: u32) -> i32 {
    if let Some((v, at)) = conf.and_then(|c| c.mtu6) {
        if at == mtu {
            return v;
        }
    }
    let m = if mtu >= IPV6_MIN_MTU {
        mtu
    } else {
        LOOPBACK_MTU
    };
    i32::try_from(m).unwrap_or(i32::MAX)
}

/// `idev->cnf.addr_gen_mode` as reported: the model's mode, except that
/// `addrconf_dev_config` switches ARPHRD_NONE devices from EUI64 to RANDOM when their link
/// first becomes ready (approximated by IF_READY: the kernel keeps RANDOM afterwards).
fn addr_gen_mode(mode: u8, dev_type: u16, ready: bool) -> u8 {
    if mode == 0 && dev_type == arphrd::NONE && ready {
        IN6_ADDR_GEN_MODE_RANDOM
    } else {
        mode
    }
}

/// A device's `idev->cnf` row: stored or fresh, with mtu6 and addr_gen_mode filled in.
fn v6_row(conf: Option<&DevConf>, mtu: u32, flags: u32, dev_type: u16, gen_mode: u8) -> Vec<i32> {
    let mut a = match conf.and_then(|c| c.v6.clone()) {
        Some(mut v) => {
            v.resize(IPV6_CONF_SLOTS, 0);
            v
        }
        None => fresh_v6(&ipv6_devconf(true), flags, dev_type),
    };
    a[Ipv6Conf::Mtu6.index()] = mtu6(conf, mtu);
    a[Ipv6Conf::AddrGenMode.index()] = i32::from(gen_mode);
    a[Ipv6Conf::StableSecret.index()] = 0;
    a
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
    /// `idev->token` (IFLA_INET6_TOKEN): its low 64 bits are set.
    pub token: std::net::Ipv6Addr,
}

impl LinkView {
    fn is_loopback(&self) -> bool {
        self.flags & iff::LOOPBACK != 0
    }

    /// `in_dev->cnf` when `dev->ip_ptr` is set.
    pub fn ipv4_devconf(&self) -> Option<[u32; IPV4_DEVCONF_MAX]> {
        if !self.inet4 {
            return None;
        }
        let row = match self.conf.as_ref().and_then(|c| c.v4.clone()) {
            Some(v) => v,
            None => fresh_v4(&ipv4_devconf_dflt(), self.is_loopback()),
        };
        let mut c = [0u32; IPV4_DEVCONF_MAX];
        for (i, out) in c.iter_mut().enumerate() {
            // inet_fill_link_af: ((u32 *)nla_data(nla))[i] = READ_ONCE(in_dev->cnf.data[i]).
            *out = slot(&row, i) as u32;
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
        let mode = self.inet6_addr_gen_mode();
        let row = v6_row(
            self.conf.as_deref(),
            self.mtu,
            self.flags,
            self.dev_type,
            mode,
        );
        let mut conf = [0i32; DEVCONF_MAX_6_12];
        conf.copy_from_slice(&row[..DEVCONF_MAX_6_12]);
        Some(Inet6DevConf {
            if_flags: self.inet6_if_flags(),
            cacheinfo,
            conf,
            addr_gen_mode: mode,
            token: {
                let mut b = [0u8; 16];
                b[8..].copy_from_slice(&self.inet6_token);
                b.into()
            },
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
    /// 6.12 (only wireguard's driver sets it); STABLE_PRIVACY comes with a stable_secret.
    fn inet6_addr_gen_mode(&self) -> u8 {
        addr_gen_mode(
            self.inet6_addr_gen_mode,
            self.dev_type,
            self.inet6_if_flags() != 0,
        )
    }
}

impl Kernel {
    /// The namespace's `conf/all` and `conf/default` (compiled values for a namespace a
    /// loaded state does not know).
    pub(crate) fn netconf(&self, ns: NetnsId) -> std::borrow::Cow<'_, NetConf> {
        match self.namespaces.get(&ns) {
            Some(n) => std::borrow::Cow::Borrowed(&n.conf),
            None => std::borrow::Cow::Owned(NetConf::default()),
        }
    }

    /// `devinet_init_net` / `addrconf_init_net` for a namespace other than init_net, by
    /// net.core.devconf_inherit_init_net (init_net's, `net_inherit_devconf`): IPv4 copies
    /// init_net's `conf/{all,default}` for 0 and 1, IPv6 for 1 only; 2 keeps the compiled
    /// values for both (3, "copy from the current netns", is refused when written). The IPv6
    /// default then takes `ipv6_defaults` (autoconf 1, disable_ipv6 0) and no stable_secret.
    pub(crate) fn devconf_netns_init(&mut self, ns: NetnsId) {
        let init = self.init_net();
        if ns == init {
            return;
        }
        let c = self.netconf(init).into_owned();
        let Some(n) = self.namespaces.get_mut(&ns) else {
            return;
        };
        if matches!(c.devconf_inherit, 0 | 1) {
            n.conf.v4_all = c.v4_all;
            n.conf.v4_dflt = c.v4_dflt;
        }
        if c.devconf_inherit == 1 {
            n.conf.v6_all = c.v6_all;
            n.conf.v6_dflt = c.v6_dflt;
            set_slot(&mut n.conf.v6_dflt, Ipv6Conf::Autoconf.index(), 1);
            set_slot(&mut n.conf.v6_dflt, Ipv6Conf::DisableIpv6.index(), 0);
        }
    }

    /// NETDEV_REGISTER (`inetdev_init`, `ipv6_add_dev`): the device's configuration starts
    /// as a copy of its namespace's `conf/default`; stored only where that default differs
    /// from the compiled one. A stable_secret in the default makes the device's
    /// addr_gen_mode STABLE_PRIVACY (`ipv6_add_dev`).
    pub(crate) fn devconf_register(&mut self, id: DevId) {
        let (ns, flags, dev_type) = {
            let d = self.dev(id);
            (d.netns, d.flags, d.dev_type)
        };
        let c = self.netconf(ns).into_owned();
        let mut conf = DevConf::default();
        if c.v4_dflt != ipv4_devconf_dflt() {
            conf.v4 = Some(fresh_v4(&c.v4_dflt, flags & iff::LOOPBACK != 0));
        }
        if c.v6_dflt != ipv6_devconf(true) {
            conf.v6 = Some(fresh_v6(&c.v6_dflt, flags, dev_type));
        }
        conf.stable_secret = c.v6_dflt_secret;
        let d = self.dev_mut(id);
        if c.v6_dflt_secret.is_some() {
            d.inet.addr_gen_mode = IN6_ADDR_GEN_MODE_STABLE_PRIVACY;
        } else if let Some(mode) = conf
            .v6
            .as_ref()
            .map(|v| slot(v, Ipv6Conf::AddrGenMode.index()))
        {
            d.inet.addr_gen_mode = u8::try_from(mode).unwrap_or(0);
        }
        d.conf = (conf != DevConf::default()).then(|| Box::new(conf));
    }

    /// The device's `in_dev->cnf.data` (stored or fresh).
    pub(crate) fn in_dev_cnf(&self, id: DevId) -> Vec<i32> {
        let d = self.dev(id);
        match d.conf.as_ref().and_then(|c| c.v4.clone()) {
            Some(mut v) => {
                v.resize(IPV4_DEVCONF_MAX, 0);
                v
            }
            None => fresh_v4(&ipv4_devconf_dflt(), d.flags & iff::LOOPBACK != 0),
        }
    }

    /// The device's `idev->cnf` row (stored or fresh), mtu6 and addr_gen_mode included.
    pub(crate) fn in6_dev_cnf(&self, id: DevId) -> Vec<i32> {
        let d = self.dev(id);
        let mode = addr_gen_mode(d.inet.addr_gen_mode, d.dev_type, d.inet.if_ready);
        v6_row(d.conf.as_deref(), d.mtu, d.flags, d.dev_type, mode)
    }

    /// The device's stored configuration, created from its current values on first write.
    pub(crate) fn dev_conf_mut(&mut self, id: DevId) -> &mut DevConf {
        let v4 = self.in_dev_cnf(id);
        let v6 = self.in6_dev_cnf(id);
        let d = self.dev_mut(id);
        let c = d.conf.get_or_insert_with(Box::default);
        if c.v4.is_none() {
            c.v4 = Some(v4);
        }
        if c.v6.is_none() {
            c.v6 = Some(v6);
        }
        c
    }

    /// `IPV4_DEVCONF_ALL(net, key)`: namespace `ns`'s `conf/all` value (`ip_forward` is
    /// `Ipv4Conf::Forwarding`).
    pub fn ipv4_devconf_all(&self, ns: NetnsId, key: Ipv4Conf) -> i32 {
        slot(&self.netconf(ns).v4_all, key.index())
    }

    /// `net->ipv6.devconf_all->key`: namespace `ns`'s IPv6 `conf/all` value.
    pub fn ipv6_devconf_all(&self, ns: NetnsId, key: Ipv6Conf) -> i32 {
        slot(&self.netconf(ns).v6_all, key.index())
    }

    /// `check_stable_privacy` (net/ipv6/addrconf.c): STABLE_PRIVACY is allowed on `dev` once
    /// its own or its namespace default's stable_secret is initialized.
    pub fn inet6_stable_secret_set(&self, dev: DevId) -> bool {
        if !self.devices.contains_key(&dev) {
            return false;
        }
        let d = self.dev(dev);
        d.conf.as_ref().is_some_and(|c| c.stable_secret.is_some())
            || self.netconf(d.netns).v6_dflt_secret.is_some()
    }

    /// The value the kernel's `IN_DEV_*` macro for `key` computes for device `dev`
    /// (include/linux/inetdevice.h: `IN_DEV_CONF_GET`, `IN_DEV_ANDCONF`, `IN_DEV_ORCONF`,
    /// `IN_DEV_MAXCONF`, `IN_DEV_RX_REDIRECTS`); 0 for a device without an in_device.
    pub fn in_dev_conf(&self, dev: DevId, key: Ipv4Conf) -> u32 {
        if !self.devices.contains_key(&dev) || !self.dev(dev).inet.in4 {
            return 0;
        }
        let own = slot(&self.in_dev_cnf(dev), key.index());
        let all = slot(&self.netconf(self.dev(dev).netns).v4_all, key.index());
        let and = u32::from(all != 0 && own != 0);
        let or = u32::from(all != 0 || own != 0);
        match combine4(key) {
            Combine4::Own => own as u32,
            Combine4::And => and,
            Combine4::Or => or,
            Combine4::Max => all.max(own) as u32,
            Combine4::RxRedirects => {
                if slot(&self.in_dev_cnf(dev), Ipv4Conf::Forwarding.index()) != 0 {
                    and
                } else {
                    or
                }
            }
        }
    }

    /// The value net/ipv6/addrconf.c acts on for `key` of device `dev`: the device's
    /// `idev->cnf` field, combined with `conf/all` where the kernel reads both
    /// (`addrconf_ifdown`: all's keep_addr_on_down unless 0; `addrconf_dad_begin` /
    /// `addrconf_dad_completed`: accept_dad as max of the two; optimistic_dad,
    /// use_optimistic, ndisc_notify and enhanced_dad: either). 0 without an inet6_dev.
    pub fn in6_dev_conf(&self, dev: DevId, key: Ipv6Conf) -> i32 {
        if !self.devices.contains_key(&dev) || !self.dev(dev).inet.in6 {
            return 0;
        }
        use Ipv6Conf as K;
        if key == K::StableSecret {
            let d = self.dev(dev);
            return i32::from(d.conf.as_ref().is_some_and(|c| c.stable_secret.is_some()));
        }
        let own = slot(&self.in6_dev_cnf(dev), key.index());
        let all = slot(&self.netconf(self.dev(dev).netns).v6_all, key.index());
        match key {
            K::KeepAddrOnDown => {
                if all != 0 {
                    all
                } else {
                    own
                }
            }
            K::AcceptDad => all.max(own),
            K::OptimisticDad | K::UseOptimistic | K::NdiscNotify | K::EnhancedDad => {
                i32::from(all != 0 || own != 0)
            }
            _ => own,
        }
    }
}
