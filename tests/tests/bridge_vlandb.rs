//! RTM_GETVLAN dumps (`bridge -d vlan show`; net/bridge/br_vlan.c `br_vlan_rtm_dump`,
//! `br_vlan_dump_dev`, `br_vlan_can_enter_range`, `br_vlan_fill_vids`). Expected outcomes
//! from golden/kernel/6.12/bridge-vlandb.txt (#9, #12, #14): one RTM_NEWVLAN per port and
//! bridge in device order; consecutive VLANs with the same flags merge into a range, never
//! the pvid; each entry carries state forwarding and mcast_router 1.

mod common;
mod rules_support;

use netlink_packet_core::{NLM_F_DUMP, NLM_F_REQUEST};
use rules_support::*;

/// (vid, vid_end, flags, state, mcast_router) of one BRIDGE_VLANDB_ENTRY.
type Entry = (u16, u16, u16, u8, u8);

/// (ifindex, entries) per RTM_NEWVLAN of a dump.
fn vlan_dump(c: &mut common::Client, ifindex: u32) -> Vec<(u32, Vec<Entry>)> {
    let mut req = Vec::new();
    req.extend_from_slice(&24u32.to_ne_bytes());
    req.extend_from_slice(&114u16.to_ne_bytes()); // RTM_GETVLAN
    req.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    req.extend_from_slice(&9u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&[7, 0, 0, 0]); // PF_BRIDGE
    req.extend_from_slice(&ifindex.to_ne_bytes());
    c.sock.send(&req).expect("send");
    let mut out = Vec::new();
    loop {
        let d = c.sock.recv_timeout(2000).expect("dump reply");
        let mut pos = 0;
        while pos + 16 <= d.len() {
            let len = u32::from_ne_bytes(d[pos..pos + 4].try_into().expect("4 bytes")) as usize;
            let kind = u16::from_ne_bytes([d[pos + 4], d[pos + 5]]);
            let m = &d[pos..pos + len];
            pos += (len + 3) & !3;
            if kind == 3 {
                return out;
            }
            assert_eq!(kind, 112, "RTM_NEWVLAN expected");
            let ifx = u32::from_ne_bytes(m[20..24].try_into().expect("4 bytes"));
            let mut entries = Vec::new();
            let mut a = 24;
            while a + 4 <= m.len() {
                let alen = u16::from_ne_bytes([m[a], m[a + 1]]) as usize;
                let nest = &m[a + 4..a + alen];
                let (mut e, mut b) = ((0, 0, 0, 0, 0), 0);
                while b + 4 <= nest.len() {
                    let l = u16::from_ne_bytes([nest[b], nest[b + 1]]) as usize;
                    let t = u16::from_ne_bytes([nest[b + 2], nest[b + 3]]);
                    let v = &nest[b + 4..b + l];
                    match t {
                        1 => {
                            e.2 = u16::from_ne_bytes([v[0], v[1]]);
                            e.0 = u16::from_ne_bytes([v[2], v[3]]);
                            e.1 = e.0;
                        }
                        2 => e.1 = u16::from_ne_bytes([v[0], v[1]]),
                        3 => e.3 = v[0],
                        6 => e.4 = v[0],
                        _ => {}
                    }
                    b += (l + 3) & !3;
                }
                entries.push(e);
                a += (alen + 3) & !3;
            }
            out.push((ifx, entries));
        }
    }
}

fn bridge_vlan(
    c: &mut common::Client,
    dev: &str,
    vid: u16,
    end: Option<u16>,
    flags: u16,
    add: bool,
) {
    // AF_BRIDGE RTM_SETLINK / RTM_DELLINK with IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO [range] }.
    let i = c.index(dev);
    let nla = |t: u16, v: &[u8]| {
        let mut a = ((4 + v.len()) as u16).to_ne_bytes().to_vec();
        a.extend_from_slice(&t.to_ne_bytes());
        a.extend_from_slice(v);
        a
    };
    let info = |f: u16, vid: u16| {
        let mut b = f.to_ne_bytes().to_vec();
        b.extend_from_slice(&vid.to_ne_bytes());
        b
    };
    let mut spec = Vec::new();
    match end {
        Some(e) => {
            spec.extend(nla(2, &info(flags | 0x8, vid))); // RANGE_BEGIN
            spec.extend(nla(2, &info(flags | 0x10, e))); // RANGE_END
        }
        None => spec.extend(nla(2, &info(flags, vid))),
    }
    let mut body = vec![0u8; 16];
    body[0] = 7;
    body[4..8].copy_from_slice(&i.to_ne_bytes());
    body.extend(nla(0x8000 | 26, &spec));
    let mut msg = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
    msg.extend_from_slice(&(if add { 19u16 } else { 17u16 }).to_ne_bytes());
    msg.extend_from_slice(&(NLM_F_REQUEST | netlink_packet_core::NLM_F_ACK).to_ne_bytes());
    msg.extend_from_slice(&5u32.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend_from_slice(&body);
    assert_ok(&c.request_raw(&msg, false));
}

#[test]
fn vlan_db_dump_ranges() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        netlink_packet_route::link::InfoBridge::VlanFiltering(true),
    ));
    assert_ok(&c.master("eth0", "br0"));
    bridge_vlan(&mut c, "eth0", 10, None, 0, true);
    bridge_vlan(&mut c, "eth0", 20, Some(22), 0x4, true); // untagged
    let (eth0, br0) = (c.index("eth0"), c.index("br0"));
    const PVID_UNTAGGED: u16 = 0x2 | 0x4;
    let d = vlan_dump(&mut c, 0);
    assert_eq!(
        d,
        vec![
            (
                eth0,
                vec![
                    (1, 1, PVID_UNTAGGED, 3, 1),
                    (10, 10, 0, 3, 1),
                    (20, 22, 0x4, 3, 1)
                ]
            ),
            (br0, vec![(1, 1, PVID_UNTAGGED, 3, 1)]),
        ]
    );
    bridge_vlan(&mut c, "eth0", 21, None, 0, false);
    let d = vlan_dump(&mut c, eth0);
    assert_eq!(
        d[0].1,
        vec![
            (1, 1, PVID_UNTAGGED, 3, 1),
            (10, 10, 0, 3, 1),
            (20, 20, 0x4, 3, 1),
            (22, 22, 0x4, 3, 1)
        ]
    );
}
