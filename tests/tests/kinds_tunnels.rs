//! Catalog rules VXLAN-* and the vxlan part of DEL-CASCADE (scenarios vxlan, updown, delete,
//! outcomes from kernel-transcripts/6.12). Requests are shaped like iproute2 6.1's
//! `ip link add NAME type vxlan id VNI [dstport P] [dev D] ...`. eth0..eth2 are dummies.

mod common;
mod rules_support;
mod stacked_support;

use common::LinkExt;
use libc::{EEXIST, EINVAL, EOPNOTSUPP, ERANGE};
use netlink_packet_route::link::{InfoData, InfoVxlan, LinkAttribute, State};
use rules_support::*;
use stacked_support::*;
use std::net::Ipv4Addr;

fn vxlan(c: &mut common::Client, name: &str, data: Vec<InfoVxlan>) -> common::Answer {
    c.add(Some(name), "vxlan", vec![], Some(InfoData::Vxlan(data)))
}

fn vxlan_dev(
    c: &mut common::Client,
    name: &str,
    dev: &str,
    mut data: Vec<InfoVxlan>,
) -> common::Answer {
    let idx = c.index(dev);
    data.push(InfoVxlan::Link(idx));
    vxlan(c, name, data)
}

fn vx_attrs(l: &netlink_packet_route::link::LinkMessage) -> Vec<InfoVxlan> {
    match info_data(l) {
        Some(InfoData::Vxlan(v)) => v,
        other => panic!("no vxlan info_data: {other:?}"),
    }
}

fn vx_port(l: &netlink_packet_route::link::LinkMessage) -> u16 {
    vx_attrs(l)
        .iter()
        .find_map(|a| match a {
            InfoVxlan::Port(p) => Some(*p),
            _ => None,
        })
        .expect("IFLA_VXLAN_PORT")
}

const VNI_EXISTS: &str = "A VXLAN device with the specified VNI already exists";

/// VXLAN-CREATE, VXLAN-DUP-VNI, VXLAN-VNI-PORT, VXLAN-NOPORT, VXLAN-EXTERNAL-DUP (vxlan#1-#18):
/// Ethernet, `BROADCAST,MULTICAST`, MTU 1500 (68..65535) without `dev`, ttl auto, ageing 300,
/// udpcsum, default port 8472; the VNI table ignores `dev` and `local`.
/// Kernel: `vxlan_setup`, `vxlan_nl2conf`, `vxlan_config_validate`, `vxlan_vni_in_use`.
#[test]
fn vxlan_create_and_identity() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    let l = link(&mut c, "vx0");
    assert_eq!(l.flags(), IFF_BROADCAST | IFF_MULTICAST);
    assert_eq!(l.mtu(), 1500);
    assert_eq!((l.min_mtu(), l.max_mtu()), (68, 65535));
    assert_eq!(l.iflink(), None);
    let a = vx_attrs(&l);
    assert_eq!(a[0], InfoVxlan::Id(10));
    for want in [
        InfoVxlan::Ttl(0),
        InfoVxlan::Ageing(300),
        InfoVxlan::Learning(true),
        InfoVxlan::UDPCsum(true),
        InfoVxlan::Localbypass(true),
        InfoVxlan::PortRange((0, 0)),
        InfoVxlan::Port(4789),
    ] {
        assert!(a.contains(&want), "{want:?} missing from {a:?}");
    }
    // #3, #4
    assert_err(
        &vxlan(
            &mut c,
            "vx1",
            vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
        ),
        EEXIST,
        Some(VNI_EXISTS),
    );
    assert_ok(&vxlan(
        &mut c,
        "vx2",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4790)],
    ));
    // #5, #6: no dstport → 8472.
    assert_ok(&vxlan(&mut c, "vx3", vec![InfoVxlan::Id(11)]));
    assert_eq!(vx_port(&link(&mut c, "vx3")), 8472);
    // vxlan_validate: VNI range (iproute2 refuses it before the kernel sees it).
    assert_err(
        &vxlan(&mut c, "vx4", vec![InfoVxlan::Id(1 << 24)]),
        ERANGE,
        Some("VXLAN ID must be lower than 16777216"),
    );
    // #10, #11: another dev does not make another identity.
    assert_ok(&vxlan_dev(
        &mut c,
        "vx6",
        "eth0",
        vec![
            InfoVxlan::Id(20),
            InfoVxlan::Port(4789),
            InfoVxlan::Group(Ipv4Addr::new(192, 0, 2, 1)),
        ],
    ));
    assert_err(
        &vxlan_dev(
            &mut c,
            "vx7",
            "eth1",
            vec![
                InfoVxlan::Id(20),
                InfoVxlan::Port(4789),
                InfoVxlan::Group(Ipv4Addr::new(192, 0, 2, 2)),
            ],
        ),
        EEXIST,
        Some(VNI_EXISTS),
    );
    // #15, #16: one external device per port.
    let ext = || vec![InfoVxlan::Port(4789), InfoVxlan::CollectMetadata(true)];
    assert_ok(&vxlan(&mut c, "vx10", ext()));
    assert_err(&vxlan(&mut c, "vx11", ext()), EEXIST, Some(VNI_EXISTS));
    // #17, #18: nor does another local address.
    let local = |n| {
        vec![
            InfoVxlan::Id(30),
            InfoVxlan::Port(4789),
            InfoVxlan::Local(Ipv4Addr::new(192, 0, 2, n)),
        ]
    };
    assert_ok(&vxlan(&mut c, "vx12", local(50)));
    assert_err(&vxlan(&mut c, "vx13", local(51)), EEXIST, Some(VNI_EXISTS));
    // Multicast group without dev.
    assert_err(
        &vxlan(
            &mut c,
            "vx9",
            vec![
                InfoVxlan::Id(21),
                InfoVxlan::Group(Ipv4Addr::new(239, 1, 1, 1)),
            ],
        ),
        EINVAL,
        Some("Local interface required for multicast remote destination"),
    );
    // `type vxlan` without IFLA_INFO_DATA.
    assert_err(
        &c.add(Some("vx14"), "vxlan", vec![], None),
        EINVAL,
        Some("Required attributes not provided to perform the operation"),
    );
}

/// VXLAN-DEV-MTU, VXLAN-MTU (vxlan#20-#29): MTU = lower − 50 at creation, not updated later;
/// changes bounded by lower − 50 (EINVAL, no extack); without dev up to 65535.
/// Kernel: `vxlan_config_apply`, `vxlan_change_mtu`.
#[test]
fn vxlan_mtu_rules() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx6",
        "eth0",
        vec![InfoVxlan::Id(20), InfoVxlan::Port(4789)],
    ));
    assert_eq!(link(&mut c, "vx6").mtu(), 1450);
    assert_ok(&c.mtu("eth0", 9000));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx15",
        "eth0",
        vec![InfoVxlan::Id(40), InfoVxlan::Port(4789)],
    ));
    assert_eq!(link(&mut c, "vx15").mtu(), 8950);
    assert_eq!(link(&mut c, "vx6").mtu(), 1450);
    assert_err(&c.mtu("vx6", 9000), EINVAL, None);
    assert_ok(&c.mtu("vx6", 8950));
    assert_ok(&c.mtu("vx0", 65535));
    assert_ok(&c.mtu("vx0", 65486));
    assert_eq!(link(&mut c, "vx0").mtu(), 65486);
}

/// VXLAN-CHANGE-VNI, VXLAN-CHANGE-PORT, VXLAN-CHANGE-TTL, VXLAN-UP (vxlan#30-#36).
/// Kernel: `vxlan_nl2conf` (changelink), `vxlan_changelink`.
#[test]
fn vxlan_changes_and_up() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan(
        &mut c,
        "vx2",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4790)],
    ));
    assert_err(
        &set_data(
            &mut c,
            "vx0",
            "vxlan",
            InfoData::Vxlan(vec![InfoVxlan::Id(12)]),
        ),
        EOPNOTSUPP,
        Some("Cannot change VNI"),
    );
    assert_err(
        &set_data(
            &mut c,
            "vx0",
            "vxlan",
            InfoData::Vxlan(vec![InfoVxlan::Id(10), InfoVxlan::Port(4790)]),
        ),
        EOPNOTSUPP,
        Some("Cannot change port"),
    );
    assert_ok(&set_data(
        &mut c,
        "vx0",
        "vxlan",
        InfoData::Vxlan(vec![InfoVxlan::Ttl(10)]),
    ));
    assert!(vx_attrs(&link(&mut c, "vx0")).contains(&InfoVxlan::Ttl(10)));
    // Learning may change; proxy may not (vxlan_flag_attr_error).
    assert_ok(&set_data(
        &mut c,
        "vx0",
        "vxlan",
        InfoData::Vxlan(vec![InfoVxlan::Learning(false)]),
    ));
    assert!(vx_attrs(&link(&mut c, "vx0")).contains(&InfoVxlan::Learning(false)));
    assert_err(
        &set_data(
            &mut c,
            "vx0",
            "vxlan",
            InfoData::Vxlan(vec![InfoVxlan::Proxy(true)]),
        ),
        EOPNOTSUPP,
        Some("vxlan: cannot change PROXY flag"),
    );
    // #34-#36: UP,LOWER_UP, operstate UNKNOWN, qdisc noqueue.
    assert_ok(&c.up("vx0"));
    let l = link(&mut c, "vx0");
    assert_eq!(
        l.flags(),
        IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | IFF_LOWER_UP
    );
    assert_eq!(l.operstate(), State::Unknown);
    assert_eq!(l.qdisc(), "noqueue");
    // #37, #38: a vxlan is an Ethernet bridge port.
    assert_ok(&c.add_simple("br0", "bridge"));
    assert_ok(&c.master("vx0", "br0"));
}

/// VXLAN-DEL-LOWER, DEL-CASCADE (vxlan#39,#40; delete#30-#35): deleting the `dev` deletes the
/// vxlans bound to it, the others stay. Kernel: `vxlan_handle_lowerdev_unregister`.
#[test]
fn vxlan_deleted_with_lower() {
    let (_sim, mut c) = dummy_sim();
    assert_ok(&vxlan(
        &mut c,
        "vx0",
        vec![InfoVxlan::Id(10), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx6",
        "eth0",
        vec![InfoVxlan::Id(20), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx7",
        "eth0",
        vec![InfoVxlan::Id(21), InfoVxlan::Port(4789)],
    ));
    assert_ok(&vxlan_dev(
        &mut c,
        "vx8",
        "eth1",
        vec![InfoVxlan::Id(22), InfoVxlan::Port(4789)],
    ));
    assert!(vx_attrs(&link(&mut c, "vx6")).contains(&InfoVxlan::Link(2)));
    assert_ok(&c.del("eth0"));
    assert!(!exists(&mut c, "vx6"));
    assert!(!exists(&mut c, "vx7"));
    assert!(exists(&mut c, "vx0"));
    assert!(exists(&mut c, "vx8"));
    let _ = LinkAttribute::Mtu(0);
}
