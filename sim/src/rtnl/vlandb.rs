//! RTM_GETVLAN dumps (`bridge -d vlan show`, `bridge -s -d vlan show` with
//! BRIDGE_VLANDB_DUMPF_STATS, `bridge vlan global show` with BRIDGE_VLANDB_DUMPF_GLOBAL;
//! net/bridge/br_vlan.c `br_vlan_rtm_dump`). The bridge VLAN database messages
//! (`struct br_vlan_msg`, BRIDGE_VLANDB_*) are not in netlink-packet-route, so this module
//! writes their bytes itself.

use super::ctx::SockCtx;
use crate::wire::ack::ExtAck;
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::nlattr::{self, ValidateMode};
use crate::wire::policy::{AttrPolicy, NlaType, Policy};
use crate::wire::raw::put_attr;
use crate::wire::raw::RawMessage;
use kernel_model::kinds::bridge::{vlan_dump, vlan_global_dump, VlanDbEntry, VlanGlobalEntry};
use kernel_model::uapi::errno;
use kernel_model::Kernel;

/// `RTM_NEWVLAN`.
const RTM_NEWVLAN: u16 = 112;
/// `sizeof(struct br_vlan_msg)`.
const BR_VLAN_MSG_LEN: usize = 8;
const PF_BRIDGE: u8 = 7;
const NLA_F_NESTED: u16 = 0x8000;
/// BRIDGE_VLANDB_* (include/uapi/linux/if_bridge.h).
const BRIDGE_VLANDB_ENTRY: u16 = 1;
const ENTRY_INFO: u16 = 1;
const ENTRY_RANGE: u16 = 2;
const ENTRY_STATE: u16 = 3;
const ENTRY_STATS: u16 = 5;
const ENTRY_MCAST_ROUTER: u16 = 6;
const ENTRY_NEIGH_SUPPRESS: u16 = 9;
const BRIDGE_VLANDB_DUMP_FLAGS: u16 = 1;
const BRIDGE_VLANDB_DUMPF_STATS: u32 = 1 << 0;
const BRIDGE_VLANDB_DUMPF_GLOBAL: u32 = 1 << 1;
/// BRIDGE_VLANDB_STATS_* (RX_BYTES .. TX_PACKETS).
const STATS_RX_BYTES: u16 = 1;
const STATS_TX_PACKETS: u16 = 4;
/// BRIDGE_VLANDB_GLOBAL_OPTIONS and BRIDGE_VLANDB_GOPTS_*.
const BRIDGE_VLANDB_GLOBAL_OPTIONS: u16 = 2;
const GOPTS_ID: u16 = 1;
const GOPTS_RANGE: u16 = 2;
const GOPTS_MCAST_SNOOPING: u16 = 3;
const GOPTS_MCAST_IGMP_VERSION: u16 = 4;
const GOPTS_MCAST_MLD_VERSION: u16 = 5;
const GOPTS_MCAST_LAST_MEMBER_CNT: u16 = 6;
const GOPTS_MCAST_STARTUP_QUERY_CNT: u16 = 7;
const GOPTS_MCAST_LAST_MEMBER_INTVL: u16 = 8;
const GOPTS_MCAST_MEMBERSHIP_INTVL: u16 = 10;
const GOPTS_MCAST_QUERIER_INTVL: u16 = 11;
const GOPTS_MCAST_QUERY_INTVL: u16 = 12;
const GOPTS_MCAST_QUERY_RESPONSE_INTVL: u16 = 13;
const GOPTS_MCAST_STARTUP_QUERY_INTVL: u16 = 14;
const GOPTS_MCAST_QUERIER: u16 = 15;
const GOPTS_MCAST_QUERIER_STATE: u16 = 17;
const GOPTS_MSTI: u16 = 18;

/// `br_vlan_fill_vids` + `br_vlan_opts_fill` (no tunnel, neigh_suppress off, no per-VLAN
/// multicast snooping: no group counters) + `br_vlan_stats_fill` with `dump_stats` (zero
/// counters; x86-64 puts no pad attribute before a u64).
fn entry(e: &VlanDbEntry, dump_stats: bool) -> Vec<u8> {
    let mut inner = Vec::new();
    let mut info = e.flags.to_ne_bytes().to_vec();
    info.extend_from_slice(&e.vid.to_ne_bytes());
    put_attr(&mut inner, ENTRY_INFO, &info);
    if e.vid_end > e.vid {
        put_attr(&mut inner, ENTRY_RANGE, &e.vid_end.to_ne_bytes());
    }
    put_attr(&mut inner, ENTRY_STATE, &[e.state]);
    put_attr(&mut inner, ENTRY_NEIGH_SUPPRESS, &[0]);
    put_attr(&mut inner, ENTRY_MCAST_ROUTER, &[e.mcast_router]);
    if dump_stats {
        let mut stats = Vec::new();
        for t in STATS_RX_BYTES..=STATS_TX_PACKETS {
            put_attr(&mut stats, t, &0u64.to_ne_bytes());
        }
        put_attr(&mut inner, ENTRY_STATS | NLA_F_NESTED, &stats);
    }
    let mut out = Vec::new();
    put_attr(&mut out, BRIDGE_VLANDB_ENTRY | NLA_F_NESTED, &inner);
    out
}

/// `br_vlan_global_opts_fill` (CONFIG_BRIDGE_IGMP_SNOOPING and IPv6: the multicast context
/// options; no router ports: nlsim learns no multicast routers).
fn global_entry(e: &VlanGlobalEntry) -> Vec<u8> {
    let c = &e.ctx;
    let mut inner = Vec::new();
    put_attr(&mut inner, GOPTS_ID, &e.vid.to_ne_bytes());
    if e.vid_end > e.vid {
        put_attr(&mut inner, GOPTS_RANGE, &e.vid_end.to_ne_bytes());
    }
    put_attr(
        &mut inner,
        GOPTS_MCAST_SNOOPING,
        &[u8::from(e.mcast_snooping)],
    );
    put_attr(&mut inner, GOPTS_MCAST_IGMP_VERSION, &[c.igmp_version]);
    put_attr(
        &mut inner,
        GOPTS_MCAST_LAST_MEMBER_CNT,
        &c.last_member_cnt.to_ne_bytes(),
    );
    put_attr(
        &mut inner,
        GOPTS_MCAST_STARTUP_QUERY_CNT,
        &c.startup_query_cnt.to_ne_bytes(),
    );
    put_attr(&mut inner, GOPTS_MCAST_QUERIER, &[c.querier]);
    if e.querier_state {
        // br_multicast_dump_querier_state: no querier and no other-querier timer: empty.
        put_attr(&mut inner, GOPTS_MCAST_QUERIER_STATE | NLA_F_NESTED, &[]);
    }
    for (t, v) in [
        (GOPTS_MCAST_LAST_MEMBER_INTVL, c.last_member_intvl),
        (GOPTS_MCAST_MEMBERSHIP_INTVL, c.membership_intvl),
        (GOPTS_MCAST_QUERIER_INTVL, c.querier_intvl),
        (GOPTS_MCAST_QUERY_INTVL, c.query_intvl),
        (GOPTS_MCAST_QUERY_RESPONSE_INTVL, c.query_response_intvl),
        (GOPTS_MCAST_STARTUP_QUERY_INTVL, c.startup_query_intvl),
    ] {
        put_attr(&mut inner, t, &v.to_ne_bytes());
    }
    put_attr(&mut inner, GOPTS_MCAST_MLD_VERSION, &[c.mld_version]);
    put_attr(&mut inner, GOPTS_MSTI, &e.msti.to_ne_bytes());
    let mut out = Vec::new();
    put_attr(
        &mut out,
        BRIDGE_VLANDB_GLOBAL_OPTIONS | NLA_F_NESTED,
        &inner,
    );
    out
}

/// One RTM_NEWVLAN of a device (`br_vlan_dump_dev`) around its encoded entries.
fn message(ifindex: u32, entries: &[u8], seq: u32, portid: u32) -> Vec<u8> {
    let mut body = vec![PF_BRIDGE, 0, 0, 0];
    body.extend_from_slice(&ifindex.to_ne_bytes());
    body.extend_from_slice(entries);
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    out.extend_from_slice(&RTM_NEWVLAN.to_ne_bytes());
    out.extend_from_slice(&NLM_F_MULTI.to_ne_bytes());
    out.extend_from_slice(&seq.to_ne_bytes());
    out.extend_from_slice(&portid.to_ne_bytes());
    out.extend_from_slice(&body);
    out
}

fn fail(errno: i32, msg: Option<&str>) -> (i32, ExtAck) {
    (
        errno,
        ExtAck {
            msg: msg.map(str::to_string),
            ..ExtAck::default()
        },
    )
}

/// `br_vlan_db_dump_pol` (net/bridge/br_vlan.c).
static BR_VLAN_DB_DUMP_POL: Policy = Policy {
    name: "br_vlan_db_dump_pol",
    strict_start_type: 0,
    attrs: &[AttrPolicy::UNSPEC, AttrPolicy::of(NlaType::U32)],
};

/// `br_vlan_rtm_dump`: every bridge and bridge port in device order, or the one device of
/// `bvm->ifindex` (EINVAL when it is neither).
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    // nlmsg_parse(cb->nlh, sizeof(*bvm), dtb, BRIDGE_VLANDB_DUMP_MAX, br_vlan_db_dump_pol).
    let (dtb, _) = nlattr::parse(
        msg.bytes,
        BR_VLAN_MSG_LEN,
        &BR_VLAN_DB_DUMP_POL,
        ValidateMode::Strict,
    )
    .map_err(|e| (e.errno, e.extack))?;
    let dump_flags = dtb.u32(BRIDGE_VLANDB_DUMP_FLAGS).unwrap_or(0);
    let p = msg.payload();
    if p.len() < BR_VLAN_MSG_LEN {
        return Err(fail(errno::EINVAL, None));
    }
    let (seq, portid) = (msg.header.seq, sock.portid);
    let ifindex = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
    // br_vlan_dump_dev: Err(()) = -EINVAL (neither a bridge nor a port), Ok(None) = no message.
    let dump_dev = |d: kernel_model::DevId| -> Result<Option<Vec<u8>>, ()> {
        if dump_flags & BRIDGE_VLANDB_DUMPF_GLOBAL != 0 {
            let entries = vlan_global_dump(k, d).ok_or(())?;
            Ok(entries.map(|es| es.iter().flat_map(global_entry).collect()))
        } else {
            let stats = dump_flags & BRIDGE_VLANDB_DUMPF_STATS != 0;
            let entries = vlan_dump(k, d, stats).ok_or(())?;
            Ok(Some(entries.iter().flat_map(|e| entry(e, stats)).collect()))
        }
    };
    if ifindex != 0 {
        let dev = k
            .dev_by_index(sock.netns, ifindex)
            .ok_or_else(|| fail(errno::ENODEV, None))?;
        let body = dump_dev(dev).map_err(|()| fail(errno::EINVAL, None))?;
        return Ok(body
            .map(|b| message(ifindex, &b, seq, portid))
            .into_iter()
            .collect());
    }
    Ok(k.devices_from(sock.netns, 0)
        .filter_map(|d| match dump_dev(d.id) {
            Ok(Some(b)) => Some(message(d.ifindex, &b, seq, portid)),
            _ => None,
        })
        .collect())
}
