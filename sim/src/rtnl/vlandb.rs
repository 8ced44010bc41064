//! RTM_GETVLAN dumps (`bridge -d vlan show`; net/bridge/br_vlan.c `br_vlan_rtm_dump`). The
//! bridge VLAN database messages (`struct br_vlan_msg`, BRIDGE_VLANDB_*) are not in
//! netlink-packet-route, so this module writes their bytes itself.

use super::SockCtx;
use crate::wire::ack::ExtAck;
use crate::wire::consts::NLM_F_MULTI;
use crate::wire::raw::RawMessage;
use kernel_model::kinds::bridge::{vlan_dump, VlanDbEntry};
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
const ENTRY_MCAST_ROUTER: u16 = 6;
const ENTRY_NEIGH_SUPPRESS: u16 = 9;
const BRIDGE_VLANDB_DUMP_FLAGS: u16 = 1;

fn put(out: &mut Vec<u8>, kind: u16, value: &[u8]) {
    out.extend_from_slice(&((4 + value.len()) as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(value);
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// `br_vlan_fill_vids` + `br_vlan_opts_fill` (no tunnel, neigh_suppress off, no per-VLAN
/// multicast snooping: no group counters).
fn entry(e: &VlanDbEntry) -> Vec<u8> {
    let mut inner = Vec::new();
    let mut info = e.flags.to_ne_bytes().to_vec();
    info.extend_from_slice(&e.vid.to_ne_bytes());
    put(&mut inner, ENTRY_INFO, &info);
    if e.vid_end > e.vid {
        put(&mut inner, ENTRY_RANGE, &e.vid_end.to_ne_bytes());
    }
    put(&mut inner, ENTRY_STATE, &[e.state]);
    put(&mut inner, ENTRY_NEIGH_SUPPRESS, &[0]);
    put(&mut inner, ENTRY_MCAST_ROUTER, &[e.mcast_router]);
    let mut out = Vec::new();
    put(&mut out, BRIDGE_VLANDB_ENTRY | NLA_F_NESTED, &inner);
    out
}

/// One RTM_NEWVLAN of a device (`br_vlan_dump_dev`).
fn message(ifindex: u32, entries: &[VlanDbEntry], seq: u32, portid: u32) -> Vec<u8> {
    let mut body = vec![PF_BRIDGE, 0, 0, 0];
    body.extend_from_slice(&ifindex.to_ne_bytes());
    for e in entries {
        body.extend_from_slice(&entry(e));
    }
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

/// `br_vlan_rtm_dump`: every bridge and bridge port in device order, or the one device of
/// `bvm->ifindex` (EINVAL when it is neither).
pub fn dump_messages(
    k: &Kernel,
    sock: &SockCtx,
    msg: &RawMessage<'_>,
) -> Result<Vec<Vec<u8>>, (i32, ExtAck)> {
    let p = msg.payload();
    if p.len() < BR_VLAN_MSG_LEN {
        return Err(fail(errno::EINVAL, None));
    }
    let mut dump_flags = 0u32;
    for a in msg.attrs(BR_VLAN_MSG_LEN) {
        match a.kind & !NLA_F_NESTED {
            BRIDGE_VLANDB_DUMP_FLAGS => {
                let [b0, b1, b2, b3] = a.value[..] else {
                    return Err(fail(
                        errno::EINVAL,
                        Some("Attribute failed policy validation"),
                    ));
                };
                dump_flags = u32::from_ne_bytes([b0, b1, b2, b3]);
            }
            _ => return Err(fail(errno::EINVAL, Some("Unknown attribute type"))),
        }
    }
    if dump_flags != 0 {
        return Err(fail(
            errno::EOPNOTSUPP,
            Some("nlsim: bridge VLAN global options and statistics dumps not modelled"),
        ));
    }
    let (seq, portid) = (msg.header.seq, sock.portid);
    let ifindex = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
    if ifindex != 0 {
        let dev = k
            .dev_by_index(sock.netns, ifindex)
            .ok_or_else(|| fail(errno::ENODEV, None))?;
        let entries = vlan_dump(k, dev).ok_or_else(|| fail(errno::EINVAL, None))?;
        return Ok(vec![message(ifindex, &entries, seq, portid)]);
    }
    Ok(k.devices_from(sock.netns, 0)
        .filter_map(|d| vlan_dump(k, d.id).map(|e| message(d.ifindex, &e, seq, portid)))
        .collect())
}
