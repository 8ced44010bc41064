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

/// Sends a dump request (`body` after the netlink header) and returns every reply message's
/// (type, payload), or the errno of the NLMSG_DONE / NLMSG_ERROR that ends it.
fn raw_dump(c: &mut common::Client, kind: u16, body: &[u8]) -> Result<Vec<(u16, Vec<u8>)>, i32> {
    let mut req = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
    req.extend_from_slice(&kind.to_ne_bytes());
    req.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    req.extend_from_slice(&11u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(body);
    c.sock.send(&req).expect("send");
    let mut out = Vec::new();
    loop {
        let d = c.sock.recv_timeout(2000).expect("dump reply");
        let mut pos = 0;
        while pos + 16 <= d.len() {
            let len = u32::from_ne_bytes(d[pos..pos + 4].try_into().expect("4 bytes")) as usize;
            let t = u16::from_ne_bytes([d[pos + 4], d[pos + 5]]);
            let payload = d[pos + 16..pos + len].to_vec();
            pos += (len + 3) & !3;
            if t == 2 || t == 3 {
                let e = i32::from_ne_bytes(payload[..4].try_into().expect("4 bytes"));
                return if e < 0 { Err(-e) } else { Ok(out) };
            }
            out.push((t, payload));
        }
    }
}

/// (type, value) of the attributes in `b`.
fn attrs(b: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut a = 0;
    while a + 4 <= b.len() {
        let l = u16::from_ne_bytes([b[a], b[a + 1]]) as usize;
        let t = u16::from_ne_bytes([b[a + 2], b[a + 3]]) & 0x3fff;
        out.push((t, b[a + 4..a + l].to_vec()));
        a += (l + 3) & !3;
    }
    out
}

fn vlan_bridge(c: &mut common::Client) -> (u32, u32) {
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&set_bridge_opt(
        c,
        "br0",
        netlink_packet_route::link::InfoBridge::VlanFiltering(true),
    ));
    assert_ok(&c.master("eth0", "br0"));
    bridge_vlan(c, "eth0", 10, None, 0, true);
    bridge_vlan(c, "eth0", 20, Some(22), 0x4, true); // untagged
    (c.index("eth0"), c.index("br0"))
}

/// `br_vlan_rtm_dump` with BRIDGE_VLANDB_DUMPF_GLOBAL (golden bridge-vlandb #11,
/// bridge-vlan-global #12, #17): bridges only, every VLAN of the group (the ports' context
/// entries too) merged while `br_vlan_global_opts_can_enter_range` holds, the multicast
/// options of `br_multicast_ctx_init` whatever the bridge's own options are.
#[test]
fn vlan_db_global_options() {
    let (_sim, mut c) = nsim_sim();
    let (eth0, br0) = vlan_bridge(&mut c);
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        netlink_packet_route::link::InfoBridge::MulticastIgmpVersion(3),
    ));
    let global = |c: &mut common::Client, ifindex: u32| {
        let mut body = vec![7, 0, 0, 0];
        body.extend_from_slice(&ifindex.to_ne_bytes());
        body.extend_from_slice(&8u16.to_ne_bytes());
        body.extend_from_slice(&1u16.to_ne_bytes()); // BRIDGE_VLANDB_DUMP_FLAGS
        body.extend_from_slice(&2u32.to_ne_bytes()); // BRIDGE_VLANDB_DUMPF_GLOBAL
        raw_dump(c, 114, &body).expect("global dump")
    };
    let d = global(&mut c, 0);
    assert_eq!(d.len(), 1, "one RTM_NEWVLAN: the bridge");
    let (t, m) = &d[0];
    assert_eq!(*t, 112);
    assert_eq!(u32::from_ne_bytes(m[4..8].try_into().unwrap()), br0);
    let mut ranges = Vec::new();
    for (t, nest) in attrs(&m[8..]) {
        assert_eq!(t, 2, "BRIDGE_VLANDB_GLOBAL_OPTIONS");
        let opts = attrs(&nest);
        let get = |k: u16| opts.iter().find(|(t, _)| *t == k).map(|(_, v)| v.clone());
        let vid = u16::from_ne_bytes(get(1).unwrap()[..2].try_into().unwrap());
        let end = get(2).map_or(vid, |v| u16::from_ne_bytes(v[..2].try_into().unwrap()));
        ranges.push((vid, end));
        assert_eq!(get(3), Some(vec![1]), "mcast_snooping");
        assert_eq!(get(4), Some(vec![2]), "igmp version: the context default");
        assert_eq!(get(5), Some(vec![1]), "mld version");
        assert_eq!(get(15), Some(vec![0]), "querier");
        assert_eq!(get(17), None, "no querier state without per-VLAN snooping");
        assert_eq!(
            get(14),
            Some(3124u64.to_ne_bytes().to_vec()),
            "startup query intvl"
        );
        assert_eq!(get(18), Some(0u16.to_ne_bytes().to_vec()), "msti");
        // ID, SNOOPING, IGMP_VERSION, two counts, QUERIER, six intervals, MLD_VERSION, MSTI.
        assert_eq!(opts.len(), if end > vid { 15 } else { 14 });
    }
    assert_eq!(ranges, vec![(1, 1), (10, 10), (20, 22)]);
    assert!(global(&mut c, eth0).is_empty(), "a port gets no message");
}

/// RTM_GETSTATS dumps (`rtnl_stats_dump`, `br_fill_linkxstats`; golden bridge-vlandb #10 and
/// bridge-vlan-global #8-#16): one RTM_NEWSTATS per device, the bridge's BRIDGE_XSTATS_VLAN
/// entries (placeholders with BRIDGE_VLAN_INFO_MASTER only) and BRIDGE_XSTATS_MCAST under
/// IFLA_STATS_LINK_XSTATS, the port's and its BRIDGE_XSTATS_STP under _SLAVE; the other
/// statistics are refused.
#[test]
fn vlan_stats_dump() {
    let (_sim, mut c) = nsim_sim();
    let (eth0, br0) = vlan_bridge(&mut c);
    let stats = |c: &mut common::Client, mask: u32| {
        let mut body = vec![0u8; 8];
        body.extend_from_slice(&mask.to_ne_bytes());
        raw_dump(c, 94, &body)
    };
    // (ifindex, [(vid, flags)], has mcast, has stp) per message with LINK_XSTATS_TYPE_BRIDGE.
    let parse = |d: Vec<(u16, Vec<u8>)>, attr: u16| {
        let mut out = Vec::new();
        for (t, m) in d {
            assert_eq!(t, 92, "RTM_NEWSTATS");
            let ifx = u32::from_ne_bytes(m[4..8].try_into().unwrap());
            for (a, xs) in attrs(&m[12..]) {
                assert_eq!(a, attr);
                let [(1, br)] = &attrs(&xs)[..] else {
                    panic!("LINK_XSTATS_TYPE_BRIDGE expected")
                };
                let inner = attrs(br);
                let vlans: Vec<(u16, u16)> = inner
                    .iter()
                    .filter(|(t, v)| *t == 1 && v.len() == 40 && v[..32].iter().all(|b| *b == 0))
                    .map(|(_, v)| {
                        (
                            u16::from_ne_bytes([v[32], v[33]]),
                            u16::from_ne_bytes([v[34], v[35]]),
                        )
                    })
                    .collect();
                let mcast = inner.iter().any(|(t, v)| *t == 2 && v.len() == 240);
                let stp = inner.iter().any(|(t, v)| *t == 4 && v.len() == 48);
                out.push((ifx, vlans, mcast, stp));
            }
        }
        out
    };
    let d = stats(&mut c, 1 << 1).expect("xstats dump");
    assert_eq!(d.len(), 4 + 1, "every device: lo, eth0-eth2, br0");
    const MASTER_BRENTRY: u16 = 0x1 | 0x20;
    assert_eq!(
        parse(d, 2),
        vec![(
            br0,
            vec![
                (1, MASTER_BRENTRY | 0x2 | 0x4),
                (10, 0x1),
                (20, 0x1),
                (21, 0x1),
                (22, 0x1)
            ],
            true,
            false
        )]
    );
    let d = stats(&mut c, 1 << 2).expect("xstats_slave dump");
    assert_eq!(
        parse(d, 3),
        vec![(
            eth0,
            vec![(1, 0x2 | 0x4), (10, 0), (20, 0x4), (21, 0x4), (22, 0x4)],
            true,
            true
        )]
    );
    assert_eq!(
        stats(&mut c, 0),
        Err(libc::EINVAL),
        "filter mask must be set"
    );
    assert_eq!(
        stats(&mut c, 1),
        Err(libc::EOPNOTSUPP),
        "IFLA_STATS_LINK_64"
    );
}

/// BRIDGE_XSTATS_STP (`br_set_state` counts under kernel STP; golden bridge-vlan-global
/// #49-#53): `new_nbp`'s `br_init_port` puts a port created under kernel STP in blocking once.
#[test]
fn stp_xstats_transitions() {
    let (_sim, mut c) = nsim_sim();
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&set_bridge_opt(
        &mut c,
        "br0",
        netlink_packet_route::link::InfoBridge::StpState(
            netlink_packet_route::link::BridgeStpState::KernelStp,
        ),
    ));
    assert_ok(&c.master("eth0", "br0"));
    let eth0 = c.index("eth0");
    let mut body = vec![0u8; 8];
    body.extend_from_slice(&(1u32 << 2).to_ne_bytes()); // IFLA_STATS_LINK_XSTATS_SLAVE
    let d = raw_dump(&mut c, 94, &body).expect("xstats_slave dump");
    let (_, m) = d
        .iter()
        .find(|(_, m)| u32::from_ne_bytes(m[4..8].try_into().unwrap()) == eth0)
        .expect("eth0's RTM_NEWSTATS");
    let [(3, xs)] = &attrs(&m[12..])[..] else {
        panic!("IFLA_STATS_LINK_XSTATS_SLAVE expected")
    };
    let [(1, br)] = &attrs(xs)[..] else {
        panic!("LINK_XSTATS_TYPE_BRIDGE expected")
    };
    let stp = attrs(br)
        .into_iter()
        .find(|(t, _)| *t == 4)
        .expect("BRIDGE_XSTATS_STP")
        .1;
    let counters: Vec<u64> = stp
        .chunks(8)
        .map(|c| u64::from_ne_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(counters, vec![1, 0, 0, 0, 0, 0], "transition_blk 1");
}
