//! `/proc/sys/net/ipv{4,6}/neigh/{default,<dev>}/*` (net/core/neighbour.c
//! `neigh_sysctl_template`, `neigh_sysctl_register`): the proc handlers' unit conversions
//! between what a file shows and the jiffies (or bytes) `NEIGH_VAR` keeps. Reading and
//! writing the values is `Kernel::neigh_var_get` / `neigh_var_set`; the path walk is
//! `crate::sysctl_net`'s.

use super::parms::{NeighVar, SKB_TRUESIZE_ETH_FRAME};
use super::Family;

/// `HZ` (CONFIG_HZ=250) and `USER_HZ`.
const HZ: u64 = 250;
const USER_HZ: u64 = 100;
const INT_MAX: u64 = i32::MAX as u64;

/// The proc handler of a neighbour file (what it converts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeighConv {
    /// `neigh_proc_dointvec_zero_intmax`: 0 ..= INT_MAX as is.
    ZeroIntMax,
    /// `neigh_proc_dointvec_jiffies`: seconds.
    Jiffies,
    /// `neigh_proc_dointvec_userhz_jiffies`: USER_HZ ticks.
    UserHz,
    /// `neigh_proc_dointvec_ms_jiffies`: milliseconds.
    MsJiffies,
    /// `neigh_proc_dointvec_ms_jiffies_positive`: milliseconds, at least one jiffy.
    MsJiffiesPositive,
    /// `neigh_proc_dointvec_unres_qlen`: packets of SKB_TRUESIZE(ETH_FRAME_LEN) bytes.
    UnresQlen,
    /// `neigh_proc_dointvec` (IPv6 `retrans_time` through `ndisc_ifinfo_sysctl_change`):
    /// the jiffies as they are.
    Raw,
}

/// The per-parms files of `neigh_sysctl_template` (the table ends at
/// `base_reachable_time_ms` for a device; `default`'s gc_interval and gc_thresh1-3, the
/// table's own, are not modelled).
const NEIGH_FILES: [(&str, NeighVar, NeighConv); 17] = {
    use NeighConv::*;
    use NeighVar as V;
    [
        ("mcast_solicit", V::McastProbes, ZeroIntMax),
        ("ucast_solicit", V::UcastProbes, ZeroIntMax),
        ("app_solicit", V::AppProbes, ZeroIntMax),
        ("mcast_resolicit", V::McastReprobes, ZeroIntMax),
        ("retrans_time", V::RetransTime, UserHz),
        ("base_reachable_time", V::BaseReachableTime, Jiffies),
        ("delay_first_probe_time", V::DelayProbeTime, Jiffies),
        (
            "interval_probe_time_ms",
            V::IntervalProbeTimeMs,
            MsJiffiesPositive,
        ),
        ("gc_stale_time", V::GcStaletime, Jiffies),
        ("unres_qlen_bytes", V::QueueLenBytes, ZeroIntMax),
        ("proxy_qlen", V::ProxyQlen, ZeroIntMax),
        ("anycast_delay", V::AnycastDelay, UserHz),
        ("proxy_delay", V::ProxyDelay, UserHz),
        ("locktime", V::Locktime, UserHz),
        ("unres_qlen", V::QueueLenBytes, UnresQlen),
        ("retrans_time_ms", V::RetransTime, MsJiffies),
        ("base_reachable_time_ms", V::BaseReachableTime, MsJiffies),
    ]
};

/// The names of the files of a `neigh/<name>` directory, in the template's order.
pub fn neigh_file_names() -> impl Iterator<Item = &'static str> {
    NEIGH_FILES.iter().map(|e| e.0)
}

/// The tunable file `name` shows and its handler in table `f`.
pub fn neigh_file(f: Family, name: &str) -> Option<(NeighVar, NeighConv)> {
    let (_, var, conv) = NEIGH_FILES.iter().find(|e| e.0 == name)?;
    // neigh_sysctl_register(.., ndisc_ifinfo_sysctl_change): IPv6 retrans_time is plain
    // neigh_proc_dointvec.
    if f == Family::Inet6 && name == "retrans_time" {
        return Some((*var, NeighConv::Raw));
    }
    Some((*var, *conv))
}

/// `jiffies_to_clock_t` (HZ 250 is not a multiple of USER_HZ: via TICK_NSEC).
fn jiffies_to_clock_t(j: u64) -> u64 {
    j * USER_HZ / HZ
}

/// `msecs_to_jiffies` (HZ 250 divides 1000): rounded up.
fn msecs_to_jiffies(ms: u64) -> u64 {
    ms.div_ceil(1000 / HZ)
}

/// What a read shows for the stored `v`.
pub fn neigh_conv_read(conv: NeighConv, v: u64) -> u64 {
    match conv {
        NeighConv::ZeroIntMax | NeighConv::Raw => v,
        NeighConv::Jiffies => v / HZ,
        NeighConv::UserHz => jiffies_to_clock_t(v),
        NeighConv::MsJiffies | NeighConv::MsJiffiesPositive => v * (1000 / HZ),
        NeighConv::UnresQlen => v / u64::from(SKB_TRUESIZE_ETH_FRAME),
    }
}

/// Why a written value is not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeighConvError {
    /// The handler's range check (EINVAL).
    Invalid,
    /// A negative time: the kernel stores it, nlsim keeps times unsigned.
    Negative,
}

/// The value to store for a write of `v` (`neg`: with a minus sign), as the handler's
/// `do_proc_dointvec_*_conv` computes it (kernel/sysctl.c).
pub fn neigh_conv_write(conv: NeighConv, v: u64, neg: bool) -> Result<u64, NeighConvError> {
    use NeighConvError::*;
    let int_range = |v: u64| if v > INT_MAX { Err(Invalid) } else { Ok(v) };
    match conv {
        // proc_dointvec_minmax with extra1 SYSCTL_ZERO, extra2 SYSCTL_INT_MAX.
        NeighConv::ZeroIntMax if neg && v != 0 => Err(Invalid),
        NeighConv::ZeroIntMax => int_range(v),
        // do_proc_dointvec_conv: any int; nlsim keeps the times unsigned.
        NeighConv::Raw if neg && v != 0 => Err(if v > INT_MAX + 1 { Invalid } else { Negative }),
        NeighConv::Raw => int_range(v),
        // do_proc_dointvec_jiffies_conv: lval > INT_MAX / HZ is EINVAL.
        NeighConv::Jiffies => {
            if v > INT_MAX / HZ {
                Err(Invalid)
            } else if neg && v != 0 {
                Err(Negative)
            } else {
                Ok(v * HZ)
            }
        }
        // do_proc_dointvec_userhz_jiffies_conv: lval > clock_t_to_jiffies(LONG_MAX) only
        // when USER_HZ < HZ (never for a parsed value); the int keeps the low bits.
        NeighConv::UserHz if neg && v != 0 => Err(Negative),
        NeighConv::UserHz => {
            let j = v.saturating_mul(HZ) / USER_HZ;
            if j > INT_MAX {
                Err(Negative)
            } else {
                Ok(j)
            }
        }
        // do_proc_dointvec_ms_jiffies_conv: msecs_to_jiffies of the (unsigned int) value;
        // more than INT_MAX jiffies is EINVAL (a negative value is MAX_JIFFY_OFFSET).
        NeighConv::MsJiffies | NeighConv::MsJiffiesPositive => {
            if neg && v != 0 {
                return Err(Invalid);
            }
            let j = if v > u64::from(u32::MAX) {
                return Err(Invalid);
            } else if v > INT_MAX {
                // (int)m < 0: MAX_JIFFY_OFFSET.
                return Err(Invalid);
            } else {
                msecs_to_jiffies(v)
            };
            if j > INT_MAX {
                return Err(Invalid);
            }
            // neigh_proc_dointvec_ms_jiffies_positive: min msecs_to_jiffies(1).
            if conv == NeighConv::MsJiffiesPositive && j < 1 {
                return Err(Invalid);
            }
            Ok(j)
        }
        // proc_unres_qlen: 0 ..= INT_MAX / SKB_TRUESIZE packets, stored in bytes.
        NeighConv::UnresQlen => {
            let size = u64::from(SKB_TRUESIZE_ETH_FRAME);
            if (neg && v != 0) || v > INT_MAX / size {
                Err(Invalid)
            } else {
                Ok(v * size)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_reachable_time_ms_round_trips() {
        let (var, conv) = neigh_file(Family::Inet, "base_reachable_time_ms").unwrap();
        assert_eq!(var, NeighVar::BaseReachableTime);
        let j = neigh_conv_write(conv, 600_000, false).unwrap();
        assert_eq!(j, 150_000);
        assert_eq!(neigh_conv_read(conv, j), 600_000);
    }

    #[test]
    fn retrans_time_units_differ_by_family() {
        let (_, v4) = neigh_file(Family::Inet, "retrans_time").unwrap();
        let (_, v6) = neigh_file(Family::Inet6, "retrans_time").unwrap();
        // arp_tbl / nd_tbl: 1 s = 250 jiffies.
        assert_eq!(neigh_conv_read(v4, 250), 100);
        assert_eq!(neigh_conv_read(v6, 250), 250);
    }

    #[test]
    fn unres_qlen_counts_frames() {
        let c = NeighConv::UnresQlen;
        assert_eq!(neigh_conv_write(c, 101, false).unwrap(), 101 * 2090);
        assert_eq!(neigh_conv_read(c, 212_992), 101);
        assert_eq!(neigh_conv_write(c, 1, true), Err(NeighConvError::Invalid));
    }

    #[test]
    fn interval_probe_time_needs_a_jiffy() {
        let c = NeighConv::MsJiffiesPositive;
        assert_eq!(neigh_conv_write(c, 0, false), Err(NeighConvError::Invalid));
        assert_eq!(neigh_conv_write(c, 1, false).unwrap(), 1);
    }
}
