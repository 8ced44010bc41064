//! RTM_GETSTATS (net/core/rtnetlink.c `rtnl_stats_get`, `rtnl_stats_dump`,
//! `rtnl_fill_statsinfo`) for the extended link statistics only: IFLA_STATS_LINK_XSTATS and
//! IFLA_STATS_LINK_XSTATS_SLAVE, which the bridge (`br_fill_linkxstats`: per-VLAN counters,
//! multicast and STP statistics, what `bridge -s vlan show` reads) and the bond
//! (`bond_fill_linkxstats`) fill. nlsim forwards no frames, so every counter is 0 (the STP
//! state transitions excepted). IFLA_STATS_LINK_64, IFLA_STATS_LINK_OFFLOAD_XSTATS,
//! IFLA_STATS_AF_SPEC and IFLA_STATS_GET_FILTERS are refused as not modelled.
//!
//! netlink-packet-route has no bridge / bond xstats types, so this module writes the bytes.

use super::reply::{ack, refuse, Outcome, SockCtx};
use crate::wire::ack::ExtAck;
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::raw::put_attr;
use crate::wire::raw::RawMessage;
use kernel_model::kinds::{bond, bridge};
use kernel_model::uapi::errno;
use kernel_model::{DevId, Kernel};

/// `RTM_NEWSTATS` / `RTM_GETSTATS`.
pub const RTM_NEWSTATS: u16 = 92;
pub const RTM_GETSTATS: u16 = 94;
/// `sizeof(struct if_stats_msg)`.
const IF_STATS_MSG_LEN: usize = 12;
/// IFLA_STATS_* and their IFLA_STATS_FILTER_BIT (1 << (attr - 1)).
const IFLA_STATS_LINK_XSTATS: u16 = 2;
const IFLA_STATS_LINK_XSTATS_SLAVE: u16 = 3;
const FILTER_LINK_XSTATS: u32 = 1 << (IFLA_STATS_LINK_XSTATS - 1);
const FILTER_LINK_XSTATS_SLAVE: u32 = 1 << (IFLA_STATS_LINK_XSTATS_SLAVE - 1);
/// IFLA_STATS_FILTER_BIT(IFLA_STATS_MAX + 1).
const FILTER_MAX: u32 = 1 << 5;
/// LINK_XSTATS_TYPE_*.
const LINK_XSTATS_TYPE_BRIDGE: u16 = 1;
const LINK_XSTATS_TYPE_BOND: u16 = 2;
/// BRIDGE_XSTATS_*.
const BRIDGE_XSTATS_VLAN: u16 = 1;
const BRIDGE_XSTATS_MCAST: u16 = 2;
const BRIDGE_XSTATS_STP: u16 = 4;
/// `sizeof(struct br_mcast_stats)`: 30 u64 counters.
const BR_MCAST_STATS_LEN: usize = 30 * 8;
/// BOND_XSTATS_3AD and BOND_3AD_STAT_LACPDU_RX ..= BOND_3AD_STAT_MARKER_UNKNOWN_RX.
const BOND_XSTATS_3AD: u16 = 1;
const BOND_3AD_STATS: u16 = 9;

fn fail(errno: i32, msg: &str) -> (i32, ExtAck) {
    (
        errno,
        ExtAck {
            msg: Some(msg.to_string()),
            ..ExtAck::default()
        },
    )
}

/// `br_fill_linkxstats` (CONFIG_BRIDGE_IGMP_SNOOPING: BRIDGE_XSTATS_MCAST; x86-64 needs no pad
/// attribute before 64-bit payloads).
fn bridge_xstats(x: &bridge::BridgeXstats) -> Vec<u8> {
    let mut inner = Vec::new();
    for v in &x.vlans {
        // struct bridge_vlan_xstats: rx_bytes, rx_packets, tx_bytes, tx_packets, vid, flags, pad2.
        let mut vxi = vec![0u8; 32];
        vxi.extend_from_slice(&v.vid.to_ne_bytes());
        vxi.extend_from_slice(&v.flags.to_ne_bytes());
        vxi.extend_from_slice(&[0; 4]);
        put_attr(&mut inner, BRIDGE_XSTATS_VLAN, &vxi);
    }
    put_attr(&mut inner, BRIDGE_XSTATS_MCAST, &[0; BR_MCAST_STATS_LEN]);
    if let Some((blk, fwd)) = x.stp {
        // struct bridge_stp_xstats: transition_blk, transition_fwd, rx/tx_bpdu, rx/tx_tcn.
        let mut stp = Vec::with_capacity(48);
        stp.extend_from_slice(&blk.to_ne_bytes());
        stp.extend_from_slice(&fwd.to_ne_bytes());
        stp.extend_from_slice(&[0; 32]);
        put_attr(&mut inner, BRIDGE_XSTATS_STP, &stp);
    }
    let mut out = Vec::new();
    put_attr(&mut out, LINK_XSTATS_TYPE_BRIDGE, &inner);
    out
}

/// `bond_fill_linkxstats` (+ `bond_3ad_stats_fill` in 802.3ad mode).
fn bond_xstats(ad: bool) -> Vec<u8> {
    let mut inner = Vec::new();
    if ad {
        let mut stats = Vec::new();
        for t in 0..BOND_3AD_STATS {
            put_attr(&mut stats, t, &0u64.to_ne_bytes());
        }
        put_attr(&mut inner, BOND_XSTATS_3AD, &stats);
    }
    let mut out = Vec::new();
    put_attr(&mut out, LINK_XSTATS_TYPE_BOND, &inner);
    out
}

/// The `fill_linkxstats` of `dev`'s own kind (`slave` false) or of its master's kind.
fn linkxstats(k: &Kernel, dev: DevId, slave: bool) -> Option<Vec<u8>> {
    let owner = if slave { k.dev(dev).master? } else { dev };
    if let Some(x) = bridge::linkxstats(k, dev, slave) {
        return Some(bridge_xstats(&x));
    }
    if let Some(ad) = bond::linkxstats_8023ad(k, dev, slave) {
        return Some(bond_xstats(ad));
    }
    // A bridge or bond master whose callback finds no port / slave: an empty nest.
    match bridge::linkxstats(k, owner, false)
        .map(|_| ())
        .or_else(|| bond::linkxstats_8023ad(k, owner, false).map(|_| ()))
    {
        Some(()) if slave => Some(Vec::new()),
        _ => None,
    }
}

/// `rtnl_fill_statsinfo`: one RTM_NEWSTATS of `dev`.
fn fill_statsinfo(
    k: &Kernel,
    dev: DevId,
    filter_mask: u32,
    flags: u16,
    seq: u32,
    portid: u32,
) -> Vec<u8> {
    let d = k.dev(dev);
    let mut body = vec![0u8; 4]; // family PF_UNSPEC, pad1, pad2
    body.extend_from_slice(&d.ifindex.to_ne_bytes());
    body.extend_from_slice(&filter_mask.to_ne_bytes());
    for (bit, attr, slave) in [
        (FILTER_LINK_XSTATS, IFLA_STATS_LINK_XSTATS, false),
        (FILTER_LINK_XSTATS_SLAVE, IFLA_STATS_LINK_XSTATS_SLAVE, true),
    ] {
        if filter_mask & bit != 0 {
            if let Some(inner) = linkxstats(k, dev, slave) {
                put_attr(&mut body, attr, &inner);
            }
        }
    }
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    out.extend_from_slice(&RTM_NEWSTATS.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&seq.to_ne_bytes());
    out.extend_from_slice(&portid.to_ne_bytes());
    out.extend_from_slice(&body);
    out
}

/// `rtnl_valid_stats_req`, the filter-mask check of the caller and `rtnl_stats_get_parse`;
/// the filter mask on success.
fn validate(msg: &RawMessage<'_>, sock: &SockCtx, is_dump: bool) -> Result<u32, (i32, ExtAck)> {
    let p = msg.payload();
    let Some(h) = p.get(..IF_STATS_MSG_LEN) else {
        return Err(fail(errno::EINVAL, "Invalid header for stats dump"));
    };
    let ifindex = u32::from_ne_bytes([h[4], h[5], h[6], h[7]]);
    let filter_mask = u32::from_ne_bytes([h[8], h[9], h[10], h[11]]);
    if sock.strict_chk {
        if h[1] != 0 || h[2] != 0 || h[3] != 0 || (is_dump && ifindex != 0) {
            return Err(fail(
                errno::EINVAL,
                "Invalid values in header for stats dump request",
            ));
        }
        if filter_mask >= FILTER_MAX {
            return Err(fail(
                errno::EINVAL,
                "Invalid stats requested through filter mask",
            ));
        }
    }
    Ok(filter_mask)
}

/// What nlsim does not model of a valid request: None when it can answer.
fn not_modelled(msg: &RawMessage<'_>, filter_mask: u32) -> Option<(i32, ExtAck)> {
    if msg.attrs(IF_STATS_MSG_LEN).next().is_some() {
        return Some(fail(
            errno::EOPNOTSUPP,
            "nlsim: RTM_GETSTATS attributes (IFLA_STATS_GET_FILTERS) not modelled",
        ));
    }
    if filter_mask & !(FILTER_LINK_XSTATS | FILTER_LINK_XSTATS_SLAVE) != 0 {
        return Some(fail(
            errno::EOPNOTSUPP,
            "nlsim: RTM_GETSTATS other than IFLA_STATS_LINK_XSTATS(_SLAVE) not modelled",
        ));
    }
    None
}

/// `rtnl_stats_dump`: one RTM_NEWSTATS per device of the namespace in ifindex order (devices
/// without extended statistics get the bare `struct if_stats_msg`).
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let filter_mask = validate(msg, sock, true)?;
    if filter_mask == 0 {
        return Err(fail(
            errno::EINVAL,
            "Filter mask must be set for stats dump",
        ));
    }
    if let Some(e) = not_modelled(msg, filter_mask) {
        return Err(e);
    }
    let (seq, portid) = (msg.header.seq, sock.portid);
    Ok(k.devices_from(sock.netns, 0)
        .map(|d| fill_statsinfo(k, d.id, filter_mask, NLM_F_MULTI, seq, portid))
        .collect())
}

/// `rtnl_stats_get`: the RTM_NEWSTATS of `ifsm->ifindex`.
pub fn handle_get(k: &Kernel, sock: &SockCtx, msg: &RawMessage<'_>) -> Outcome {
    let filter_mask = match validate(msg, sock, false) {
        Ok(m) => m,
        Err((e, ext)) => return ack(msg, sock, -e, &ext),
    };
    let p = msg.payload();
    let ifindex = i32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
    if ifindex <= 0 {
        return refuse(msg, sock, errno::EINVAL, None);
    }
    let Some(dev) = k.dev_by_index(sock.netns, ifindex as u32) else {
        return refuse(msg, sock, errno::ENODEV, None);
    };
    if filter_mask == 0 {
        return refuse(
            msg,
            sock,
            errno::EINVAL,
            Some("Filter mask must be set for stats get".into()),
        );
    }
    if let Some((e, ext)) = not_modelled(msg, filter_mask) {
        return ack(msg, sock, -e, &ext);
    }
    let out = vec![fill_statsinfo(
        k,
        dev,
        filter_mask,
        0,
        msg.header.seq,
        sock.portid,
    )];
    super::reply::reply_and_ack(msg, sock, out)
}
