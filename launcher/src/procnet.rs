//! `/proc/net` (and `/proc/<pid>/net`, `/proc/<pid>/task/<tid>/net`, `/proc/self/net`, ...):
//! what the kernel's proc_net files would show, from the simulator, or a refusal. The host's
//! files are never reached: each would list the host's devices, addresses or routes.
//!
//! Served: `dev` (dev_seq_show), `dev_mcast` (dev_mc_seq_show: each device's lines are the
//! model's, read like a sysfs attribute [`DEV_MCAST`]), `bonding/<bond>` (sysfs.rs), and the
//! address and route files [`MODEL_FILES`], whose text the model writes
//! (kernel_model::inet::procfs) and the launcher only transports.
//! Everything else, the directory listing included, is refused until the model has the data
//! (sockets, ...).

use crate::ifioctl::Link;

/// The attribute name under which the simulator gives one device's `/proc/net/dev_mcast`
/// lines (kernel_model::sysfs).
pub(crate) const DEV_MCAST: &str = "/proc/net/dev_mcast";

/// The `/proc/net` files whose whole text comes from the model (`Backend::proc_net_read`).
pub(crate) const MODEL_FILES: [&str; 7] = [
    "if_inet6",
    "route",
    "ipv6_route",
    "arp",
    "igmp",
    "igmp6",
    "anycast6",
];

/// dev_seq_show's header (net/core/net-procfs.c).
const DEV_HEADER: &str = "Inter-|   Receive                                                |  Transmit\n \
face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";

// Indices into struct rtnl_link_stats64 (include/uapi/linux/if_link.h).
const RX_PACKETS: usize = 0;
const TX_PACKETS: usize = 1;
const RX_BYTES: usize = 2;
const TX_BYTES: usize = 3;
const RX_ERRORS: usize = 4;
const TX_ERRORS: usize = 5;
const RX_DROPPED: usize = 6;
const TX_DROPPED: usize = 7;
const MULTICAST: usize = 8;
const COLLISIONS: usize = 9;
const RX_LENGTH_ERRORS: usize = 10;
const RX_OVER_ERRORS: usize = 11;
const RX_CRC_ERRORS: usize = 12;
const RX_FRAME_ERRORS: usize = 13;
const RX_FIFO_ERRORS: usize = 14;
const RX_MISSED_ERRORS: usize = 15;
const TX_ABORTED_ERRORS: usize = 16;
const TX_CARRIER_ERRORS: usize = 17;
const TX_FIFO_ERRORS: usize = 18;
const TX_HEARTBEAT_ERRORS: usize = 19;
const TX_WINDOW_ERRORS: usize = 20;
const RX_COMPRESSED: usize = 21;
const TX_COMPRESSED: usize = 22;

/// `/proc/net/dev` for `links` (in the namespace's device list order, as the dump gives
/// them): dev_seq_show / dev_seq_printf_stats, counters from IFLA_STATS64 (zeros if the
/// simulator reports none).
pub(crate) fn dev_text(links: &[Link]) -> String {
    let mut out = String::from(DEV_HEADER);
    for l in links {
        let s = |i: usize| l.stats64.get(i).copied().unwrap_or(0);
        let name = String::from_utf8_lossy(&l.name);
        // dev_seq_printf_stats: the sums are the kernel's (u64 wrapping like C's).
        out.push_str(&format!(
            "{:>6}: {:>7} {:>7} {:>4} {:>4} {:>4} {:>5} {:>10} {:>9} {:>8} {:>7} {:>4} {:>4} {:>4} {:>5} {:>7} {:>10}\n",
            name,
            s(RX_BYTES),
            s(RX_PACKETS),
            s(RX_ERRORS),
            s(RX_DROPPED).wrapping_add(s(RX_MISSED_ERRORS)),
            s(RX_FIFO_ERRORS),
            s(RX_LENGTH_ERRORS)
                .wrapping_add(s(RX_OVER_ERRORS))
                .wrapping_add(s(RX_CRC_ERRORS))
                .wrapping_add(s(RX_FRAME_ERRORS)),
            s(RX_COMPRESSED),
            s(MULTICAST),
            s(TX_BYTES),
            s(TX_PACKETS),
            s(TX_ERRORS),
            s(TX_DROPPED),
            s(TX_FIFO_ERRORS),
            s(COLLISIONS),
            s(TX_CARRIER_ERRORS)
                .wrapping_add(s(TX_ABORTED_ERRORS))
                .wrapping_add(s(TX_WINDOW_ERRORS))
                .wrapping_add(s(TX_HEARTBEAT_ERRORS)),
            s(TX_COMPRESSED),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_format_matches_the_kernel() {
        // A line of a real 6.x kernel's /proc/net/dev, for lo with 3193 bytes in 29 packets
        // each way (checked by hand against a host's file).
        let mut lo = Link {
            name: b"lo".to_vec(),
            ..Link::default()
        };
        lo.stats64 = vec![0; 24];
        lo.stats64[RX_PACKETS] = 29;
        lo.stats64[TX_PACKETS] = 29;
        lo.stats64[RX_BYTES] = 3193;
        lo.stats64[TX_BYTES] = 3193;
        let ifb = Link {
            name: b"ifb0".to_vec(),
            ..Link::default()
        };
        assert_eq!(
            dev_text(&[lo, ifb]),
            "Inter-|   Receive                                                |  Transmit\n \
face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    \
lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0\n  \
ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
        );
    }
}
