//! `/proc/sys/net` of one namespace: `ipv4/ip_forward`, `ipv4/conf/{all,default,<dev>}/<key>`
//! (net/ipv4/devinet.c, `devinet_sysctl` and `ctl_forward_entry`) and
//! `ipv6/conf/{all,default,<dev>}/<key>` (net/ipv6/addrconf.c, `addrconf_sysctl`), read and
//! written with their proc handlers' parsing and validation (kernel/sysctl.c) and effects on
//! the stored configuration (`crate::devconf`), and init_net's
//! `core/devconf_inherit_init_net`. Every other entry of `/proc/sys/net` is not modelled
//! (EOPNOTSUPP with an `nlsim:` message); directory listings show the modelled entries only.
//!
//! Paths are relative to `/proc/sys/net` (`""` is that directory, `"ipv4/conf/lo"` a
//! device's directory). The caller is root in the namespace's user namespace, as for
//! netlink: `net_ctl_permissions` then grants the owner's mode bits.

use crate::devconf::{set_slot, slot, Ipv4Conf, Ipv6Conf, IN6_ADDR_GEN_MODE_STABLE_PRIVACY};
use crate::device::{DevId, NetnsId};
use crate::error::{KResult, KernelError};
use crate::kernel::Kernel;
use crate::neigh::parms::NeighVar;
use crate::neigh::sysctl::{
    neigh_conv_read, neigh_conv_write, neigh_file, neigh_file_names, NeighConv, NeighConvError,
};
use crate::neigh::Family;
use crate::uapi::errno;

const EIO: i32 = 5;
const ENOTDIR: i32 = 20;
const EISDIR: i32 = 21;

/// `HZ` of Debian's 6.12 kernels (CONFIG_HZ=250): jiffies handlers round to it.
const HZ: i64 = 250;
/// `IN6_ADDR_GEN_MODE_RANDOM`: the largest mode `check_addr_gen_mode` accepts.
const ADDR_GEN_MODE_MAX: i64 = 3;
/// `RTM_NEWNETCONF` ifindex values (include/uapi/linux/netconf.h).
pub const NETCONFA_IFINDEX_ALL: i32 = -1;
pub const NETCONFA_IFINDEX_DEFAULT: i32 = -2;
/// `NETCONFA_*` attributes a netconf notification is about.
pub const NETCONFA_FORWARDING: u16 = 2;
pub const NETCONFA_RP_FILTER: u16 = 3;
pub const NETCONFA_PROXY_NEIGH: u16 = 5;
pub const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 6;

/// An entry of the tree: a directory, or a file with its mode bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SysctlNode {
    Dir,
    File { mode: u32 },
}

/// Which configuration a `conf/<name>` directory shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Default,
    Dev(DevId),
}

/// The proc handler of an IPv4 entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum V4Handler {
    /// `devinet_sysctl_forward`.
    Forward,
    /// `devinet_conf_proc`.
    Conf,
    /// `ipv4_doint_and_flush`.
    Flush,
}

/// `devinet_sysctl.devinet_vars`: proc name, key, mode, handler.
const V4_ENTRIES: [(&str, Ipv4Conf, u32, V4Handler); 33] = {
    use Ipv4Conf as K;
    use V4Handler::*;
    [
        ("forwarding", K::Forwarding, 0o644, Forward),
        ("mc_forwarding", K::McForwarding, 0o444, Conf),
        ("bc_forwarding", K::BcForwarding, 0o644, Conf),
        ("accept_redirects", K::AcceptRedirects, 0o644, Conf),
        ("secure_redirects", K::SecureRedirects, 0o644, Conf),
        ("shared_media", K::SharedMedia, 0o644, Conf),
        ("rp_filter", K::RpFilter, 0o644, Conf),
        ("send_redirects", K::SendRedirects, 0o644, Conf),
        ("accept_source_route", K::AcceptSourceRoute, 0o644, Conf),
        ("accept_local", K::AcceptLocal, 0o644, Conf),
        ("src_valid_mark", K::SrcVmark, 0o644, Conf),
        ("proxy_arp", K::ProxyArp, 0o644, Conf),
        ("medium_id", K::MediumId, 0o644, Conf),
        ("bootp_relay", K::BootpRelay, 0o644, Conf),
        ("log_martians", K::LogMartians, 0o644, Conf),
        ("tag", K::Tag, 0o644, Conf),
        ("arp_filter", K::Arpfilter, 0o644, Conf),
        ("arp_announce", K::ArpAnnounce, 0o644, Conf),
        ("arp_ignore", K::ArpIgnore, 0o644, Conf),
        ("arp_accept", K::ArpAccept, 0o644, Conf),
        ("arp_notify", K::ArpNotify, 0o644, Conf),
        ("arp_evict_nocarrier", K::ArpEvictNocarrier, 0o644, Conf),
        ("proxy_arp_pvlan", K::ProxyArpPvlan, 0o644, Conf),
        ("force_igmp_version", K::ForceIgmpVersion, 0o644, Conf),
        (
            "igmpv2_unsolicited_report_interval",
            K::Igmpv2UnsolicitedReportInterval,
            0o644,
            Conf,
        ),
        (
            "igmpv3_unsolicited_report_interval",
            K::Igmpv3UnsolicitedReportInterval,
            0o644,
            Conf,
        ),
        (
            "ignore_routes_with_linkdown",
            K::IgnoreRoutesWithLinkdown,
            0o644,
            Conf,
        ),
        ("drop_gratuitous_arp", K::DropGratuitousArp, 0o644, Conf),
        ("disable_xfrm", K::Noxfrm, 0o644, Flush),
        ("disable_policy", K::Nopolicy, 0o644, Flush),
        ("promote_secondaries", K::PromoteSecondaries, 0o644, Flush),
        ("route_localnet", K::RouteLocalnet, 0o644, Flush),
        (
            "drop_unicast_in_l2_multicast",
            K::DropUnicastInL2Multicast,
            0o644,
            Flush,
        ),
    ]
};

/// The proc handler of an IPv6 entry (kernel/sysctl.c, net/ipv6/addrconf.c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum V6Handler {
    /// `proc_dointvec`.
    Int,
    /// `proc_dointvec_minmax` (no upper bound: `None`).
    IntMinMax(i64, Option<i64>),
    /// `proc_douintvec`.
    Uint,
    /// `proc_douintvec_minmax` / `proc_dou8vec_minmax` (whose bound is at most 255).
    UintMinMax(i64, i64),
    /// `proc_dointvec_jiffies`: seconds (stored in ms).
    Jiffies,
    /// `proc_dointvec_ms_jiffies`: ms, rounded up to a jiffy.
    MsJiffies,
    /// `addrconf_sysctl_forward`.
    Forward,
    /// `addrconf_sysctl_mtu`.
    Mtu,
    /// `addrconf_sysctl_disable`.
    Disable,
    /// `addrconf_sysctl_proxy_ndp`.
    ProxyNdp,
    /// `addrconf_sysctl_stable_secret`.
    StableSecret,
    /// `addrconf_sysctl_ignore_routes_with_linkdown`.
    Linkdown,
    /// `addrconf_sysctl_addr_gen_mode`.
    AddrGenMode,
    /// `addrconf_sysctl_disable_policy`: the routes' nopolicy flag follows, which nothing
    /// observable here shows.
    DisablePolicy,
}

const U16_MAX: i64 = 0xffff;

/// `addrconf_sysctl` (6.12): proc name, key, mode, handler.
const V6_ENTRIES: [(&str, Ipv6Conf, u32, V6Handler); 62] = {
    use Ipv6Conf as K;
    use V6Handler::*;
    [
        ("forwarding", K::Forwarding, 0o644, Forward),
        ("hop_limit", K::HopLimit, 0o644, IntMinMax(1, Some(255))),
        ("mtu", K::Mtu6, 0o644, Mtu),
        ("accept_ra", K::AcceptRa, 0o644, Int),
        ("accept_redirects", K::AcceptRedirects, 0o644, Int),
        ("autoconf", K::Autoconf, 0o644, Int),
        ("dad_transmits", K::DadTransmits, 0o644, Int),
        (
            "router_solicitations",
            K::RtrSolicits,
            0o644,
            IntMinMax(-1, None),
        ),
        (
            "router_solicitation_interval",
            K::RtrSolicitInterval,
            0o644,
            Jiffies,
        ),
        (
            "router_solicitation_max_interval",
            K::RtrSolicitMaxInterval,
            0o644,
            Jiffies,
        ),
        (
            "router_solicitation_delay",
            K::RtrSolicitDelay,
            0o644,
            Jiffies,
        ),
        ("force_mld_version", K::ForceMldVersion, 0o644, Int),
        (
            "mldv1_unsolicited_report_interval",
            K::Mldv1UnsolicitedReportInterval,
            0o644,
            MsJiffies,
        ),
        (
            "mldv2_unsolicited_report_interval",
            K::Mldv2UnsolicitedReportInterval,
            0o644,
            MsJiffies,
        ),
        ("use_tempaddr", K::UseTempaddr, 0o644, Int),
        ("temp_valid_lft", K::TempValidLft, 0o644, Int),
        ("temp_prefered_lft", K::TempPreferedLft, 0o644, Int),
        ("regen_min_advance", K::RegenMinAdvance, 0o644, Int),
        ("regen_max_retry", K::RegenMaxRetry, 0o644, Int),
        ("max_desync_factor", K::MaxDesyncFactor, 0o644, Int),
        ("max_addresses", K::MaxAddresses, 0o644, Int),
        ("accept_ra_defrtr", K::AcceptRaDefrtr, 0o644, Int),
        (
            "ra_defrtr_metric",
            K::RaDefrtrMetric,
            0o644,
            UintMinMax(1, u32::MAX as i64),
        ),
        (
            "accept_ra_min_hop_limit",
            K::AcceptRaMinHopLimit,
            0o644,
            Int,
        ),
        ("accept_ra_min_lft", K::AcceptRaMinLft, 0o644, Int),
        ("accept_ra_pinfo", K::AcceptRaPinfo, 0o644, Int),
        (
            "ra_honor_pio_life",
            K::RaHonorPioLife,
            0o644,
            UintMinMax(0, 1),
        ),
        (
            "ra_honor_pio_pflag",
            K::RaHonorPioPflag,
            0o644,
            UintMinMax(0, 1),
        ),
        ("accept_ra_rtr_pref", K::AcceptRaRtrPref, 0o644, Int),
        ("router_probe_interval", K::RtrProbeInterval, 0o644, Jiffies),
        (
            "accept_ra_rt_info_min_plen",
            K::AcceptRaRtInfoMinPlen,
            0o644,
            Int,
        ),
        (
            "accept_ra_rt_info_max_plen",
            K::AcceptRaRtInfoMaxPlen,
            0o644,
            Int,
        ),
        ("proxy_ndp", K::ProxyNdp, 0o644, ProxyNdp),
        ("accept_source_route", K::AcceptSourceRoute, 0o644, Int),
        ("optimistic_dad", K::OptimisticDad, 0o644, Int),
        ("use_optimistic", K::UseOptimistic, 0o644, Int),
        ("mc_forwarding", K::McForwarding, 0o444, Int),
        ("disable_ipv6", K::DisableIpv6, 0o644, Disable),
        ("accept_dad", K::AcceptDad, 0o644, Int),
        ("force_tllao", K::ForceTllao, 0o644, Int),
        ("ndisc_notify", K::NdiscNotify, 0o644, Int),
        ("suppress_frag_ndisc", K::SuppressFragNdisc, 0o644, Int),
        ("accept_ra_from_local", K::AcceptRaFromLocal, 0o644, Int),
        ("accept_ra_mtu", K::AcceptRaMtu, 0o644, Int),
        ("stable_secret", K::StableSecret, 0o600, StableSecret),
        ("use_oif_addrs_only", K::UseOifAddrsOnly, 0o644, Int),
        (
            "ignore_routes_with_linkdown",
            K::IgnoreRoutesWithLinkdown,
            0o644,
            Linkdown,
        ),
        (
            "drop_unicast_in_l2_multicast",
            K::DropUnicastInL2Multicast,
            0o644,
            Int,
        ),
        ("drop_unsolicited_na", K::DropUnsolicitedNa, 0o644, Int),
        ("keep_addr_on_down", K::KeepAddrOnDown, 0o644, Int),
        ("seg6_enabled", K::Seg6Enabled, 0o644, Int),
        ("seg6_require_hmac", K::Seg6RequireHmac, 0o644, Int),
        ("enhanced_dad", K::EnhancedDad, 0o644, Int),
        ("addr_gen_mode", K::AddrGenMode, 0o644, AddrGenMode),
        ("disable_policy", K::DisablePolicy, 0o644, DisablePolicy),
        (
            "ndisc_tclass",
            K::NdiscTclass,
            0o644,
            IntMinMax(0, Some(255)),
        ),
        (
            "rpl_seg_enabled",
            K::RplSegEnabled,
            0o644,
            IntMinMax(0, Some(1)),
        ),
        ("ioam6_enabled", K::Ioam6Enabled, 0o644, UintMinMax(0, 1)),
        ("ioam6_id", K::Ioam6Id, 0o644, UintMinMax(0, U16_MAX)),
        ("ioam6_id_wide", K::Ioam6IdWide, 0o644, Uint),
        (
            "ndisc_evict_nocarrier",
            K::NdiscEvictNocarrier,
            0o644,
            UintMinMax(0, 1),
        ),
        (
            "accept_untracked_na",
            K::AcceptUntrackedNa,
            0o644,
            IntMinMax(0, Some(2)),
        ),
    ]
};

/// What a path names.
#[derive(Debug, Clone, Copy)]
enum Entry {
    Dir(Dir),
    IpForward,
    /// `net/core/devconf_inherit_init_net` (init_net's `net_core_table` only).
    DevconfInherit,
    V4(Scope, usize),
    V6(Scope, usize),
    /// `ipv{4,6}/neigh/{default,<dev>}/<file>` (`neigh_sysctl_register`).
    Neigh(Family, Option<DevId>, NeighVar, NeighConv),
}

#[derive(Debug, Clone, Copy)]
enum Dir {
    Net,
    Core,
    Ipv4,
    Ipv4Conf,
    V4Scope,
    Ipv6,
    Ipv6Conf,
    V6Scope,
    /// `ipv{4,6}/neigh`.
    Neigh(Family),
    /// `ipv{4,6}/neigh/{default,<dev>}`.
    NeighScope,
}

fn not_modelled(path: &str) -> KernelError {
    KernelError::not_modelled(format!("/proc/sys/net/{path}"))
}

fn enoent() -> KernelError {
    KernelError::new(errno::ENOENT)
}

/// `%pI6`: eight groups of four hex digits.
fn fmt_pi6(a: &[u8; 16]) -> String {
    a.chunks(2)
        .map(|c| format!("{:02x}{:02x}", c[0], c[1]))
        .collect::<Vec<_>>()
        .join(":")
}

/// `isspace` of the kernel's ctype (space, \t \n \v \f \r).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `proc_get_long` with the whitespace trailers (`proc_wspace_sep`): (magnitude, negative,
/// bytes taken), or EINVAL.
fn proc_get_long(buf: &[u8]) -> Result<(u64, bool, usize), i32> {
    const TMPBUFLEN: usize = 22;
    if buf.is_empty() {
        return Err(errno::EINVAL);
    }
    let tmp = &buf[..buf.len().min(TMPBUFLEN - 1)];
    let (neg, digits_at) = if tmp[0] == b'-' && buf.len() > 1 {
        (true, 1)
    } else {
        (false, 0)
    };
    let s = &tmp[digits_at..];
    if !s.first().is_some_and(u8::is_ascii_digit) {
        return Err(errno::EINVAL);
    }
    // strtoul_lenient, base 0 (_parse_integer_fixup_radix): 0x → 16, 0 → 8, else 10.
    let (base, start) =
        if s.len() > 2 && s[0] == b'0' && (s[1] | 0x20) == b'x' && s[2].is_ascii_hexdigit() {
            (16u64, 2)
        } else if s[0] == b'0' {
            (8, 0)
        } else {
            (10, 0)
        };
    let mut val: u64 = 0;
    let mut i = start;
    while let Some(&c) = s.get(i) {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'f' => u64::from(c - b'a' + 10),
            b'A'..=b'F' => u64::from(c - b'A' + 10),
            _ => break,
        };
        if d >= base {
            break;
        }
        val = val
            .checked_mul(base)
            .and_then(|v| v.checked_add(d))
            .ok_or(errno::EINVAL)?;
        i += 1;
    }
    let len = digits_at + i;
    // "We don't know if the next char is whitespace": numbers filling the buffer are refused.
    if len == TMPBUFLEN - 1 {
        return Err(errno::EINVAL);
    }
    if len < buf.len() && !matches!(buf[len], b' ' | b'\t' | b'\n') {
        return Err(errno::EINVAL);
    }
    Ok((val, neg, len))
}

/// A parsed write: the number, or `None` for a write at a non-zero position that
/// `proc_first_pos_non_zero_ignore` skips (sysctl_writes_strict = 1); and what write()
/// returns.
struct Parsed {
    val: Option<(u64, bool)>,
    count: usize,
}

/// `__do_proc_dointvec` / `do_proc_douintvec_w` for one value: spaces, a number, spaces.
fn parse_one(data: &[u8], pos: u64, unsigned: bool) -> Result<Parsed, i32> {
    if pos != 0 {
        return Ok(Parsed {
            val: None,
            count: data.len(),
        });
    }
    let buf = &data[..data.len().min(4095)];
    let mut p = buf.iter().take_while(|b| is_space(**b)).count();
    if p == buf.len() {
        return Err(errno::EINVAL);
    }
    let (v, neg, len) = proc_get_long(&buf[p..])?;
    if unsigned && neg {
        return Err(errno::EINVAL);
    }
    p += len;
    p += buf[p..].iter().take_while(|b| is_space(**b)).count();
    // __do_proc_dointvec: *lenp -= left (do_proc_douintvec_w reports the whole write).
    let count = if unsigned {
        data.len()
    } else {
        data.len() - (buf.len() - p)
    };
    Ok(Parsed {
        val: Some((v, neg)),
        count,
    })
}

/// `do_proc_dointvec_conv` (write): the int, or EINVAL out of range.
fn to_int(v: u64, neg: bool) -> Result<i64, i32> {
    let limit = if neg {
        i64::from(i32::MAX) as u64 + 1
    } else {
        i64::from(i32::MAX) as u64
    };
    if v > limit {
        return Err(errno::EINVAL);
    }
    Ok(if neg { -(v as i64) } else { v as i64 })
}

/// `do_proc_douintvec_conv` (write).
fn to_uint(v: u64) -> Result<i64, i32> {
    if v > u64::from(u32::MAX) {
        return Err(errno::EINVAL);
    }
    Ok(v as i64)
}

fn kerr(e: i32) -> KernelError {
    KernelError::new(e)
}

impl Kernel {
    /// The device named `name` in `ns` (not an altname: the directories are named after
    /// `dev->name`).
    fn sysctl_dev(&self, ns: NetnsId, name: &str) -> Option<DevId> {
        let id = self.dev_by_name(ns, name)?;
        (self.dev(id).name == name).then_some(id)
    }

    fn scope(&self, ns: NetnsId, name: &str, v6: bool) -> Option<Scope> {
        match name {
            "all" => Some(Scope::All),
            "default" => Some(Scope::Default),
            dev => {
                let id = self.sysctl_dev(ns, dev)?;
                let inet = &self.dev(id).inet;
                (if v6 { inet.in6 } else { inet.in4 }).then_some(Scope::Dev(id))
            }
        }
    }

    fn sysctl_resolve(&self, ns: NetnsId, path: &str) -> KResult<Entry> {
        let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        let v4 = |name: &str| V4_ENTRIES.iter().position(|e| e.0 == name);
        let v6 = |name: &str| V6_ENTRIES.iter().position(|e| e.0 == name);
        Ok(match parts.as_slice() {
            [] => Entry::Dir(Dir::Net),
            ["core"] => Entry::Dir(Dir::Core),
            ["core", "devconf_inherit_init_net"] if ns == self.init_net() => Entry::DevconfInherit,
            ["core", "devconf_inherit_init_net"] => return Err(enoent()),
            ["ipv4"] => Entry::Dir(Dir::Ipv4),
            ["ipv4", "ip_forward"] => Entry::IpForward,
            ["ipv4", "conf"] => Entry::Dir(Dir::Ipv4Conf),
            ["ipv4", "conf", s] => {
                self.scope(ns, s, false).ok_or_else(enoent)?;
                Entry::Dir(Dir::V4Scope)
            }
            ["ipv4", "conf", s, key] => {
                let scope = self.scope(ns, s, false).ok_or_else(enoent)?;
                Entry::V4(scope, v4(key).ok_or_else(enoent)?)
            }
            ["ipv4", "ip_forward" | "conf", ..] => return Err(kerr(ENOTDIR)),
            ["ipv6"] => Entry::Dir(Dir::Ipv6),
            ["ipv6", "conf"] => Entry::Dir(Dir::Ipv6Conf),
            ["ipv6", "conf", s] => {
                self.scope(ns, s, true).ok_or_else(enoent)?;
                Entry::Dir(Dir::V6Scope)
            }
            ["ipv6", "conf", s, key] => {
                let scope = self.scope(ns, s, true).ok_or_else(enoent)?;
                Entry::V6(scope, v6(key).ok_or_else(enoent)?)
            }
            ["ipv6", "conf", ..] => return Err(kerr(ENOTDIR)),
            [fam @ ("ipv4" | "ipv6"), "neigh", rest @ ..] => {
                let f = if *fam == "ipv4" {
                    Family::Inet
                } else {
                    Family::Inet6
                };
                self.neigh_sysctl_resolve(ns, f, rest)?
            }
            _ => return Err(not_modelled(path.trim_matches('/'))),
        })
    }

    /// What `path` (below `/proc/sys/net`) is: ENOENT for a device or key that does not
    /// exist, EOPNOTSUPP for the parts of the tree nlsim does not model.
    pub fn sysctl_lookup(&self, ns: NetnsId, path: &str) -> KResult<SysctlNode> {
        Ok(match self.sysctl_resolve(ns, path)? {
            Entry::Dir(_) => SysctlNode::Dir,
            Entry::IpForward | Entry::DevconfInherit => SysctlNode::File { mode: 0o644 },
            Entry::V4(_, i) => SysctlNode::File {
                mode: V4_ENTRIES[i].2,
            },
            Entry::V6(_, i) => SysctlNode::File {
                mode: V6_ENTRIES[i].2,
            },
            Entry::Neigh(..) => SysctlNode::File { mode: 0o644 },
        })
    }

    /// The entries of directory `path`, in the order `proc_sys_readdir` gives them (by
    /// name). `net`, `net/ipv4` and `net/ipv6` list only what nlsim models.
    pub fn sysctl_list(&self, ns: NetnsId, path: &str) -> KResult<Vec<(String, SysctlNode)>> {
        let Entry::Dir(dir) = self.sysctl_resolve(ns, path)? else {
            return Err(kerr(ENOTDIR));
        };
        let d = SysctlNode::Dir;
        let mut out: Vec<(String, SysctlNode)> = match dir {
            Dir::Net => vec![("core".into(), d), ("ipv4".into(), d), ("ipv6".into(), d)],
            Dir::Core if ns == self.init_net() => vec![(
                "devconf_inherit_init_net".into(),
                SysctlNode::File { mode: 0o644 },
            )],
            Dir::Core => Vec::new(),
            Dir::Ipv4 => vec![
                ("conf".into(), d),
                ("ip_forward".into(), SysctlNode::File { mode: 0o644 }),
                ("neigh".into(), d),
            ],
            Dir::Ipv6 => vec![("conf".into(), d), ("neigh".into(), d)],
            Dir::Neigh(f) => {
                let mut v = Vec::new();
                if ns == self.init_net() {
                    v.push(("default".to_string(), d));
                }
                let n = self.namespaces.get(&ns).ok_or_else(enoent)?;
                for id in n.by_index.values() {
                    if self
                        .neigh_var_get(ns, f, Some(*id), NeighVar::McastProbes)
                        .is_some()
                    {
                        v.push((self.dev(*id).name.clone(), d));
                    }
                }
                v
            }
            Dir::NeighScope => neigh_file_names()
                .map(|n| (n.to_string(), SysctlNode::File { mode: 0o644 }))
                .collect(),
            Dir::Ipv4Conf | Dir::Ipv6Conf => {
                let v6 = matches!(dir, Dir::Ipv6Conf);
                let mut v = vec![("all".to_string(), d), ("default".to_string(), d)];
                let n = self.namespaces.get(&ns).ok_or_else(enoent)?;
                for id in n.by_index.values() {
                    let dev = self.dev(*id);
                    let has = if v6 { dev.inet.in6 } else { dev.inet.in4 };
                    if has && dev.name != "all" && dev.name != "default" {
                        v.push((dev.name.clone(), d));
                    }
                }
                v
            }
            Dir::V4Scope => V4_ENTRIES
                .iter()
                .map(|e| (e.0.to_string(), SysctlNode::File { mode: e.2 }))
                .collect(),
            Dir::V6Scope => V6_ENTRIES
                .iter()
                .map(|e| (e.0.to_string(), SysctlNode::File { mode: e.2 }))
                .collect(),
        };
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The IPv4 row a scope shows.
    fn v4_row(&self, ns: NetnsId, scope: Scope) -> Vec<i32> {
        match scope {
            Scope::All => self.netconf(ns).v4_all.clone(),
            Scope::Default => self.netconf(ns).v4_dflt.clone(),
            Scope::Dev(id) => self.in_dev_cnf(id),
        }
    }

    /// The IPv6 row a scope shows.
    fn v6_row(&self, ns: NetnsId, scope: Scope) -> Vec<i32> {
        match scope {
            Scope::All => self.netconf(ns).v6_all.clone(),
            Scope::Default => self.netconf(ns).v6_dflt.clone(),
            Scope::Dev(id) => self.in6_dev_cnf(id),
        }
    }

    /// The content a read from offset 0 of file `path` gives (EISDIR for a directory; EIO
    /// for a stable_secret that is not set, and always for `conf/all/stable_secret`).
    pub fn sysctl_read(&self, ns: NetnsId, path: &str) -> KResult<String> {
        match self.sysctl_resolve(ns, path)? {
            Entry::Dir(_) => Err(kerr(EISDIR)),
            Entry::IpForward => Ok(format!(
                "{}\n",
                slot(&self.netconf(ns).v4_all, Ipv4Conf::Forwarding.index())
            )),
            Entry::DevconfInherit => Ok(format!("{}\n", self.netconf(ns).devconf_inherit)),
            Entry::V4(scope, i) => Ok(format!(
                "{}\n",
                slot(&self.v4_row(ns, scope), V4_ENTRIES[i].1.index())
            )),
            Entry::V6(scope, i) => {
                let (_, key, _, handler) = V6_ENTRIES[i];
                if handler == V6Handler::StableSecret {
                    return self.stable_secret_read(ns, scope);
                }
                let v = slot(&self.v6_row(ns, scope), key.index());
                Ok(match handler {
                    V6Handler::Uint | V6Handler::UintMinMax(..) | V6Handler::AddrGenMode => {
                        format!("{}\n", v as u32)
                    }
                    // proc_dointvec_jiffies: jiffies / HZ, the sign kept.
                    V6Handler::Jiffies => format!("{}\n", v / 1000),
                    V6Handler::MsJiffies => format!("{}\n", v),
                    _ => format!("{v}\n"),
                })
            }
            Entry::Neigh(f, dev, var, conv) => {
                let v = self.neigh_var_get(ns, f, dev, var).ok_or_else(enoent)?;
                Ok(format!("{}\n", neigh_conv_read(conv, v)))
            }
        }
    }

    /// The part of `ipv{4,6}/neigh/...` after `neigh`: `default` (init_net only) or a
    /// device with parms in the table, then one of its files.
    fn neigh_sysctl_resolve(&self, ns: NetnsId, f: Family, rest: &[&str]) -> KResult<Entry> {
        let parms_of = |name: &str| -> KResult<Option<DevId>> {
            if name == "default" && ns == self.init_net() {
                return Ok(None);
            }
            let id = self.sysctl_dev(ns, name).ok_or_else(enoent)?;
            self.neigh_var_get(ns, f, Some(id), NeighVar::McastProbes)
                .ok_or_else(enoent)?;
            Ok(Some(id))
        };
        Ok(match rest {
            [] => Entry::Dir(Dir::Neigh(f)),
            [s] => {
                parms_of(s)?;
                Entry::Dir(Dir::NeighScope)
            }
            ["default", "gc_interval" | "gc_thresh1" | "gc_thresh2" | "gc_thresh3"]
                if ns == self.init_net() =>
            {
                let fam = if f == Family::Inet { "ipv4" } else { "ipv6" };
                let path = format!("{fam}/neigh/default/{}", rest[1]);
                return Err(not_modelled(&path));
            }
            [s, file] => {
                let dev = parms_of(s)?;
                let (var, conv) = neigh_file(f, file).ok_or_else(enoent)?;
                Entry::Neigh(f, dev, var, conv)
            }
            _ => return Err(kerr(ENOTDIR)),
        })
    }

    /// A write of a neighbour file: the handler's conversion, then `neigh_var_set`
    /// (`neigh_proc_update`, `neigh_proc_base_reachable_time`).
    fn neigh_sysctl_write(
        &mut self,
        ns: NetnsId,
        (f, dev, var, conv): (Family, Option<DevId>, NeighVar, NeighConv),
        data: &[u8],
        pos: u64,
    ) -> KResult<usize> {
        let p = parse_one(data, pos, false).map_err(kerr)?;
        let Some((v, neg)) = p.val else {
            return Ok(p.count);
        };
        let value = match neigh_conv_write(conv, v, neg) {
            Ok(x) => x,
            Err(NeighConvError::Invalid) => return Err(kerr(errno::EINVAL)),
            Err(NeighConvError::Negative) => {
                return Err(KernelError::not_modelled("a negative neighbour time"))
            }
        };
        self.neigh_var_set(ns, f, dev, var, value)?;
        if let (Family::Inet6, Some(d)) = (f, dev) {
            self.ndisc_ifinfo_sysctl_change(d, var);
        }
        Ok(p.count)
    }

    /// `addrconf_sysctl_stable_secret` (read).
    fn stable_secret_read(&self, ns: NetnsId, scope: Scope) -> KResult<String> {
        let secret = match scope {
            Scope::All => return Err(kerr(EIO)),
            Scope::Default => self.netconf(ns).v6_dflt_secret,
            Scope::Dev(id) => self.dev(id).conf.as_ref().and_then(|c| c.stable_secret),
        };
        match secret {
            Some(s) => Ok(format!("{}\n", fmt_pi6(&s))),
            None => Err(kerr(EIO)),
        }
    }

    /// Whether `path` may be opened for writing: EACCES for a read-only entry (root gets
    /// the owner's bits), EISDIR for a directory.
    pub fn sysctl_may_write(&self, ns: NetnsId, path: &str) -> KResult<()> {
        match self.sysctl_lookup(ns, path)? {
            SysctlNode::Dir => Err(kerr(EISDIR)),
            SysctlNode::File { mode } if mode & 0o200 == 0 => Err(kerr(errno::EACCES)),
            SysctlNode::File { .. } => Ok(()),
        }
    }

    /// One write() of `data` at file position `pos` to file `path`: what write() returns
    /// (the bytes the handler took), or the handler's error. Applied like the kernel's proc
    /// handler, effects included.
    pub fn sysctl_write(
        &mut self,
        ns: NetnsId,
        path: &str,
        data: &[u8],
        pos: u64,
    ) -> KResult<usize> {
        let entry = self.sysctl_resolve(ns, path)?;
        if let Entry::Dir(_) = entry {
            return Err(kerr(EISDIR));
        }
        self.sysctl_may_write(ns, path)?;
        // proc_sys_call_handler: nothing to do for an empty write.
        if data.is_empty() {
            return Ok(0);
        }
        match entry {
            Entry::Dir(_) => Err(kerr(EISDIR)),
            Entry::IpForward => self.v4_forward_write(ns, Scope::All, data, pos),
            Entry::DevconfInherit => self.devconf_inherit_write(ns, data, pos),
            Entry::V4(scope, i) => {
                let (_, key, _, handler) = V4_ENTRIES[i];
                match handler {
                    V4Handler::Forward => self.v4_forward_write(ns, scope, data, pos),
                    V4Handler::Conf => self.devinet_conf_proc(ns, scope, key, data, pos),
                    V4Handler::Flush => {
                        let p = parse_one(data, pos, false).map_err(kerr)?;
                        if let Some((v, neg)) = p.val {
                            let v = to_int(v, neg).map_err(kerr)?;
                            self.v4_set(ns, scope, key, v as i32);
                        }
                        Ok(p.count)
                    }
                }
            }
            Entry::V6(scope, i) => self.v6_write(ns, scope, i, data, pos),
            Entry::Neigh(f, dev, var, conv) => {
                self.neigh_sysctl_write(ns, (f, dev, var, conv), data, pos)
            }
        }
    }

    /// `devconf_inherit_init_net`: proc_dointvec_minmax 0..3; 3 (copy from the namespace
    /// that creates the new one) is not modelled.
    fn devconf_inherit_write(&mut self, ns: NetnsId, data: &[u8], pos: u64) -> KResult<usize> {
        let p = parse_one(data, pos, false).map_err(kerr)?;
        let Some((v, neg)) = p.val else {
            return Ok(p.count);
        };
        let v = to_int(v, neg).map_err(kerr)?;
        if !(0..=3).contains(&v) {
            return Err(kerr(errno::EINVAL));
        }
        if v == 3 {
            return Err(KernelError::not_modelled(
                "net.core.devconf_inherit_init_net=3 (new namespaces copying the creator's)",
            ));
        }
        if let Some(n) = self.namespaces.get_mut(&ns) {
            n.conf.devconf_inherit = v as i32;
        }
        Ok(p.count)
    }

    /// Stores one IPv4 value (no side effects).
    fn v4_set(&mut self, ns: NetnsId, scope: Scope, key: Ipv4Conf, v: i32) {
        match scope {
            Scope::All | Scope::Default => {
                if let Some(n) = self.namespaces.get_mut(&ns) {
                    let row = if scope == Scope::All {
                        &mut n.conf.v4_all
                    } else {
                        &mut n.conf.v4_dflt
                    };
                    set_slot(row, key.index(), v);
                }
            }
            Scope::Dev(id) => {
                if let Some(row) = self.dev_conf_mut(id).v4.as_mut() {
                    set_slot(row, key.index(), v);
                }
            }
        }
    }

    /// `devinet_conf_proc`: proc_dointvec, then (even when it failed) the key is marked
    /// written on this configuration, a `conf/default` write is copied to every device that
    /// did not write the key itself (`devinet_copy_dflt_conf`), and RTM_NEWNETCONF goes out
    /// for rp_filter / proxy_arp / ignore_routes_with_linkdown changes.
    fn devinet_conf_proc(
        &mut self,
        ns: NetnsId,
        scope: Scope,
        key: Ipv4Conf,
        data: &[u8],
        pos: u64,
    ) -> KResult<usize> {
        let old = slot(&self.v4_row(ns, scope), key.index());
        let r = parse_one(data, pos, false).and_then(|p| match p.val {
            Some((v, neg)) => to_int(v, neg).map(|v| (Some(v as i32), p.count)),
            None => Ok((None, p.count)),
        });
        if let Ok((Some(v), _)) = r {
            self.v4_set(ns, scope, key, v);
        }
        let bit = 1u64 << key.index();
        match scope {
            Scope::Dev(id) => self.dev_conf_mut(id).v4_state |= bit,
            Scope::Default => {
                let v = slot(&self.netconf(ns).v4_dflt, key.index());
                let devs: Vec<DevId> = self.netns_devs(ns);
                for id in devs {
                    let d = self.dev(id);
                    let written = d.conf.as_ref().is_some_and(|c| c.v4_state & bit != 0);
                    if d.inet.in4 && !written && slot(&self.in_dev_cnf(id), key.index()) != v {
                        if let Some(row) = self.dev_conf_mut(id).v4.as_mut() {
                            set_slot(row, key.index(), v);
                        }
                    }
                }
            }
            Scope::All => {}
        }
        let new = slot(&self.v4_row(ns, scope), key.index());
        let attr = match key {
            Ipv4Conf::RpFilter => Some(NETCONFA_RP_FILTER),
            Ipv4Conf::ProxyArp => Some(NETCONFA_PROXY_NEIGH),
            Ipv4Conf::IgnoreRoutesWithLinkdown => Some(NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN),
            _ => None,
        };
        if let Some(attr) = attr {
            if new != old {
                let ifindex = self.netconf_ifindex(scope);
                self.inet_netconf_notify(ns, false, ifindex, attr);
            }
        }
        r.map(|(_, count)| count).map_err(kerr)
    }

    /// `devinet_sysctl_forward` (also `ip_forward`, which is `conf/all/forwarding`).
    fn v4_forward_write(
        &mut self,
        ns: NetnsId,
        scope: Scope,
        data: &[u8],
        pos: u64,
    ) -> KResult<usize> {
        let key = Ipv4Conf::Forwarding;
        let old = slot(&self.v4_row(ns, scope), key.index());
        let p = parse_one(data, pos, false).map_err(kerr)?;
        let Some((v, neg)) = p.val else {
            return Ok(p.count);
        };
        let new = to_int(v, neg).map_err(kerr)? as i32;
        self.v4_set(ns, scope, key, new);
        if new == old {
            return Ok(p.count);
        }
        match scope {
            Scope::Default => {
                self.inet_netconf_notify(ns, false, NETCONFA_IFINDEX_DEFAULT, NETCONFA_FORWARDING)
            }
            Scope::All => self.inet_forward_change(ns),
            Scope::Dev(id) => {
                let ifindex = self.dev(id).ifindex as i32;
                self.inet_netconf_notify(ns, false, ifindex, NETCONFA_FORWARDING);
            }
        }
        Ok(p.count)
    }

    /// `inet_forward_change`: all's accept_redirects becomes !forwarding, default and every
    /// device take the new forwarding value (`IN_DEV_CONF_SET`, which marks it written).
    fn inet_forward_change(&mut self, ns: NetnsId) {
        let on = slot(&self.netconf(ns).v4_all, Ipv4Conf::Forwarding.index());
        self.v4_set(
            ns,
            Scope::All,
            Ipv4Conf::AcceptRedirects,
            i32::from(on == 0),
        );
        self.v4_set(ns, Scope::Default, Ipv4Conf::Forwarding, on);
        self.inet_netconf_notify(ns, false, NETCONFA_IFINDEX_ALL, NETCONFA_FORWARDING);
        self.inet_netconf_notify(ns, false, NETCONFA_IFINDEX_DEFAULT, NETCONFA_FORWARDING);
        for id in self.netns_devs(ns) {
            if !self.dev(id).inet.in4 {
                continue;
            }
            self.v4_set(ns, Scope::Dev(id), Ipv4Conf::Forwarding, on);
            self.dev_conf_mut(id).v4_state |= 1 << Ipv4Conf::Forwarding.index();
            let ifindex = self.dev(id).ifindex as i32;
            self.inet_netconf_notify(ns, false, ifindex, NETCONFA_FORWARDING);
        }
    }

    /// The devices of `ns` in ifindex order (`for_each_netdev`).
    fn netns_devs(&self, ns: NetnsId) -> Vec<DevId> {
        self.namespaces
            .get(&ns)
            .map(|n| n.by_index.values().copied().collect())
            .unwrap_or_default()
    }

    fn netconf_ifindex(&self, scope: Scope) -> i32 {
        match scope {
            Scope::All => NETCONFA_IFINDEX_ALL,
            Scope::Default => NETCONFA_IFINDEX_DEFAULT,
            Scope::Dev(id) => self.dev(id).ifindex as i32,
        }
    }

    /// Stores one IPv6 value (no side effects).
    fn v6_set(&mut self, ns: NetnsId, scope: Scope, key: Ipv6Conf, v: i32) {
        match scope {
            Scope::All | Scope::Default => {
                if let Some(n) = self.namespaces.get_mut(&ns) {
                    let row = if scope == Scope::All {
                        &mut n.conf.v6_all
                    } else {
                        &mut n.conf.v6_dflt
                    };
                    set_slot(row, key.index(), v);
                }
            }
            Scope::Dev(id) => match key {
                Ipv6Conf::AddrGenMode => {
                    self.dev_mut(id).inet.addr_gen_mode = u8::try_from(v).unwrap_or(0);
                }
                Ipv6Conf::Mtu6 => {
                    let mtu = self.dev(id).mtu;
                    self.dev_conf_mut(id).mtu6 = Some((v, mtu));
                }
                _ => {
                    if let Some(row) = self.dev_conf_mut(id).v6.as_mut() {
                        set_slot(row, key.index(), v);
                    }
                }
            },
        }
    }

    fn v6_write(
        &mut self,
        ns: NetnsId,
        scope: Scope,
        i: usize,
        data: &[u8],
        pos: u64,
    ) -> KResult<usize> {
        let (_, key, _, handler) = V6_ENTRIES[i];
        if handler == V6Handler::StableSecret {
            return self.stable_secret_write(ns, scope, data);
        }
        let unsigned = matches!(
            handler,
            V6Handler::Uint | V6Handler::UintMinMax(..) | V6Handler::AddrGenMode
        );
        let p = parse_one(data, pos, unsigned).map_err(kerr)?;
        let Some((v, neg)) = p.val else {
            return Ok(p.count);
        };
        let old = slot(&self.v6_row(ns, scope), key.index());
        let new: i64 = match handler {
            V6Handler::Uint => to_uint(v).map_err(kerr)?,
            V6Handler::UintMinMax(min, max) => {
                let v = to_uint(v).map_err(kerr)?;
                if v < min || v > max {
                    return Err(kerr(errno::EINVAL));
                }
                v
            }
            V6Handler::IntMinMax(min, max) => {
                let v = to_int(v, neg).map_err(kerr)?;
                if v < min || max.is_some_and(|m| v > m) {
                    return Err(kerr(errno::EINVAL));
                }
                v
            }
            // addrconf_sysctl_mtu: IPV6_MIN_MTU .. dev->mtu (no upper bound for all/default).
            V6Handler::Mtu => {
                let v = to_int(v, neg).map_err(kerr)?;
                let max = match scope {
                    Scope::Dev(id) => Some(i64::from(self.dev(id).mtu)),
                    _ => None,
                };
                if v < i64::from(crate::devconf::IPV6_MIN_MTU) || max.is_some_and(|m| v > m) {
                    return Err(kerr(errno::EINVAL));
                }
                v
            }
            // do_proc_dointvec_jiffies_conv: seconds up to INT_MAX / HZ.
            V6Handler::Jiffies => {
                if v > (i32::MAX as i64 / HZ) as u64 {
                    return Err(kerr(errno::EINVAL));
                }
                let s = if neg { -(v as i64) } else { v as i64 };
                s * 1000
            }
            // do_proc_dointvec_ms_jiffies_conv: msecs_to_jiffies(unsigned int), at most
            // INT_MAX jiffies (a negative value is MAX_JIFFY_OFFSET: refused).
            V6Handler::MsJiffies => {
                let m = (if neg { v.wrapping_neg() } else { v }) as u32;
                if (m as i32) < 0 {
                    return Err(kerr(errno::EINVAL));
                }
                let per_jiffy = 1000 / HZ;
                (i64::from(m) + per_jiffy - 1) / per_jiffy * per_jiffy
            }
            _ => to_int(v, neg).map_err(kerr)?,
        };
        let new32 = new as i32;
        match handler {
            V6Handler::Forward => self.addrconf_fixup_forwarding(ns, scope, old, new32),
            V6Handler::Disable => self.addrconf_disable_ipv6(ns, scope, old, new32),
            V6Handler::Linkdown => self.addrconf_fixup_linkdown(ns, scope, old, new32),
            V6Handler::AddrGenMode => self.addrconf_addr_gen_mode(ns, scope, new)?,
            V6Handler::ProxyNdp => {
                self.v6_set(ns, scope, key, new32);
                if old != new32 {
                    let ifindex = self.netconf_ifindex(scope);
                    self.inet_netconf_notify(ns, true, ifindex, NETCONFA_PROXY_NEIGH);
                }
            }
            _ => self.v6_set(ns, scope, key, new32),
        }
        Ok(p.count)
    }

    /// `addrconf_fixup_forwarding`.
    fn addrconf_fixup_forwarding(&mut self, ns: NetnsId, scope: Scope, old: i32, newf: i32) {
        let key = Ipv6Conf::Forwarding;
        self.v6_set(ns, scope, key, newf);
        let flipped = |a: i32, b: i32| (a == 0) != (b == 0);
        match scope {
            Scope::Default => {
                if flipped(old, newf) {
                    let d = NETCONFA_IFINDEX_DEFAULT;
                    self.inet_netconf_notify(ns, true, d, NETCONFA_FORWARDING);
                }
            }
            Scope::All => {
                let old_dflt = slot(&self.netconf(ns).v6_dflt, key.index());
                self.v6_set(ns, Scope::Default, key, newf);
                if flipped(old_dflt, newf) {
                    let d = NETCONFA_IFINDEX_DEFAULT;
                    self.inet_netconf_notify(ns, true, d, NETCONFA_FORWARDING);
                }
                // addrconf_forward_change
                for id in self.netns_devs(ns) {
                    if !self.dev(id).inet.in6 {
                        continue;
                    }
                    let was = slot(&self.in6_dev_cnf(id), key.index());
                    self.v6_set(ns, Scope::Dev(id), key, newf);
                    if flipped(was, newf) {
                        self.inet6_forwarding_changed(id);
                    }
                }
                if flipped(old, newf) {
                    let a = NETCONFA_IFINDEX_ALL;
                    self.inet_netconf_notify(ns, true, a, NETCONFA_FORWARDING);
                }
            }
            Scope::Dev(id) => {
                if flipped(old, newf) {
                    self.inet6_forwarding_changed(id);
                }
            }
        }
    }

    /// `addrconf_disable_ipv6`.
    fn addrconf_disable_ipv6(&mut self, ns: NetnsId, scope: Scope, old: i32, newf: i32) {
        let key = Ipv6Conf::DisableIpv6;
        self.v6_set(ns, scope, key, newf);
        match scope {
            Scope::Default => {}
            Scope::All => {
                self.v6_set(ns, Scope::Default, key, newf);
                // addrconf_disable_change
                for id in self.netns_devs(ns) {
                    if !self.dev(id).inet.in6 {
                        continue;
                    }
                    let was = slot(&self.in6_dev_cnf(id), key.index());
                    self.v6_set(ns, Scope::Dev(id), key, newf);
                    if (was == 0) != (newf == 0) {
                        self.inet6_disable_changed(id, newf != 0);
                    }
                }
            }
            Scope::Dev(id) => {
                if (old == 0) != (newf == 0) {
                    self.inet6_disable_changed(id, newf != 0);
                }
            }
        }
    }

    /// `addrconf_fixup_linkdown`.
    fn addrconf_fixup_linkdown(&mut self, ns: NetnsId, scope: Scope, old: i32, newf: i32) {
        let key = Ipv6Conf::IgnoreRoutesWithLinkdown;
        let attr = NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN;
        self.v6_set(ns, scope, key, newf);
        if scope == Scope::All {
            self.v6_set(ns, Scope::Default, key, newf);
            // addrconf_linkdown_change
            for id in self.netns_devs(ns) {
                if !self.dev(id).inet.in6 {
                    continue;
                }
                let was = slot(&self.in6_dev_cnf(id), key.index());
                self.v6_set(ns, Scope::Dev(id), key, newf);
                if (was == 0) != (newf == 0) {
                    let ifindex = self.dev(id).ifindex as i32;
                    self.inet_netconf_notify(ns, true, ifindex, attr);
                }
            }
        }
        if (old == 0) != (newf == 0) {
            let ifindex = self.netconf_ifindex(scope);
            self.inet_netconf_notify(ns, true, ifindex, attr);
        }
    }

    /// `addrconf_sysctl_addr_gen_mode` (after proc_douintvec): `check_addr_gen_mode`, on a
    /// device `check_stable_privacy` and a new mode regenerates its addresses; `conf/all`
    /// sets default and every device.
    fn addrconf_addr_gen_mode(&mut self, ns: NetnsId, scope: Scope, new: i64) -> KResult<()> {
        if new > ADDR_GEN_MODE_MAX {
            return Err(kerr(errno::EINVAL));
        }
        let key = Ipv6Conf::AddrGenMode;
        let new32 = new as i32;
        match scope {
            Scope::Dev(id) => {
                let stable = new32 == i32::from(IN6_ADDR_GEN_MODE_STABLE_PRIVACY);
                if stable && !self.inet6_stable_secret_set(id) {
                    return Err(kerr(errno::EINVAL));
                }
                if slot(&self.in6_dev_cnf(id), key.index()) != new32 {
                    self.v6_set(ns, scope, key, new32);
                    self.inet6_addr_gen_mode_changed(id);
                }
            }
            Scope::All => {
                self.v6_set(ns, Scope::Default, key, new32);
                for id in self.netns_devs(ns) {
                    if self.dev(id).inet.in6 && slot(&self.in6_dev_cnf(id), key.index()) != new32 {
                        self.v6_set(ns, Scope::Dev(id), key, new32);
                        self.inet6_addr_gen_mode_changed(id);
                    }
                }
                self.v6_set(ns, scope, key, new32);
            }
            Scope::Default => self.v6_set(ns, scope, key, new32),
        }
        Ok(())
    }

    /// `addrconf_sysctl_stable_secret` (write): EIO for `conf/all`; the string (up to a
    /// newline, at most IPV6_MAX_STRLEN - 1 bytes) must be an IPv6 address (`in6_pton`),
    /// else EIO; the secret makes the device's (for `default`: every device's)
    /// addr_gen_mode STABLE_PRIVACY.
    fn stable_secret_write(&mut self, ns: NetnsId, scope: Scope, data: &[u8]) -> KResult<usize> {
        const IPV6_MAX_STRLEN: usize = 46;
        if scope == Scope::All {
            return Err(kerr(EIO));
        }
        let text: Vec<u8> = data
            .iter()
            .take_while(|b| **b != 0 && **b != b'\n')
            .take(IPV6_MAX_STRLEN - 1)
            .copied()
            .collect();
        let addr: std::net::Ipv6Addr = std::str::from_utf8(&text)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| kerr(EIO))?;
        let secret = addr.octets();
        let mode = IN6_ADDR_GEN_MODE_STABLE_PRIVACY;
        match scope {
            Scope::Default => {
                if let Some(n) = self.namespaces.get_mut(&ns) {
                    n.conf.v6_dflt_secret = Some(secret);
                }
                for id in self.netns_devs(ns) {
                    if self.dev(id).inet.in6 {
                        self.dev_mut(id).inet.addr_gen_mode = mode;
                    }
                }
            }
            Scope::Dev(id) => {
                self.dev_conf_mut(id).stable_secret = Some(secret);
                self.dev_mut(id).inet.addr_gen_mode = mode;
            }
            Scope::All => {}
        }
        Ok(data.len())
    }

    // ----- effects applied elsewhere -----------------------------------------------------

    /// `dev_forward_change` (net/ipv6/addrconf.c): the device's IPv6 forwarding flipped —
    /// join or leave the all-routers groups (ff01::2, ff02::2, ff05::2) on a multicast
    /// device, the anycast addresses of its prefixes, and RTM_NEWNETCONF
    /// NETCONFA_FORWARDING for it.
    pub(crate) fn inet6_forwarding_changed(&mut self, dev: DevId) {
        let on = slot(&self.in6_dev_cnf(dev), Ipv6Conf::Forwarding.index()) != 0;
        if self.dev(dev).flags & crate::uapi::iff::MULTICAST != 0 {
            // in6addr_linklocal_allrouters, _interfacelocal_, _sitelocal_.
            for scope in [0x02, 0x01, 0x05] {
                let mut g = [0u8; 16];
                g[0] = 0xff;
                g[1] = scope;
                g[15] = 2;
                if on {
                    self.mc_inc_group(dev, g, true);
                } else {
                    self.mc_dec_group(dev, g, true);
                }
            }
        }
        // addrconf_join_anycast / addrconf_leave_anycast of the non-tentative addresses.
        self.addrconf_forward_anycast(dev, on);
        let ns = self.dev(dev).netns;
        let ifindex = self.dev(dev).ifindex as i32;
        self.inet_netconf_notify(ns, true, ifindex, NETCONFA_FORWARDING);
    }

    /// `dev_disable_change` (net/ipv6/addrconf.c): disable_ipv6 flipped on the device —
    /// `addrconf_ifdown` (its addresses go) when `on`, else `addrconf_notify(NETDEV_UP)`
    /// configures it again if it is up.
    pub(crate) fn inet6_disable_changed(&mut self, dev: DevId, on: bool) {
        if on {
            // addrconf_notify(NETDEV_DOWN): addrconf_ifdown(dev, false).
            self.addrconf_ifdown(dev, false);
        } else if self.dev(dev).inet.in6 {
            // addrconf_notify(NETDEV_UP) (its disable_ipv6 check now passes).
            self.addrconf_notify_up(dev);
        }
    }

    /// `addrconf_init_auto_addrs` (net/ipv6/addrconf.c): the device's addr_gen_mode changed
    /// (already stored): its link-local address is generated anew in the new mode.
    pub(crate) fn inet6_addr_gen_mode_changed(&mut self, dev: DevId) {
        // addrconf_sysctl_addr_gen_mode: addrconf_init_auto_addrs, up or not.
        self.addrconf_init_auto_addrs(dev);
    }

    /// `inet_netconf_notify_devconf` / `inet6_netconf_notify_devconf`: RTM_NEWNETCONF about
    /// attribute `attr` of configuration `ifindex` (a device, or NETCONFA_IFINDEX_ALL /
    /// _DEFAULT) to RTNLGRP_IPV4_NETCONF / RTNLGRP_IPV6_NETCONF.
    pub(crate) fn inet_netconf_notify(&mut self, ns: NetnsId, v6: bool, ifindex: i32, attr: u16) {
        self.netconf_notify(
            ns,
            v6,
            crate::kernel::LinkMsg::New,
            i32::from(attr),
            ifindex,
        );
    }
}
