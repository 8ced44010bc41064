//! The `rtnetlink` crate, unchanged, as a real client over `Sim::connect()`: every kind of the
//! core engine is created, modified and deleted, and refusals come back with the kernel's errno
//! and extended-ACK text (Linux 6.12; the sources are cited per assertion).

mod common;
use common::LinkExt;
use futures::stream::TryStreamExt;
use netlink_packet_route::link::{LinkMessage, State};
use netlink_sys::TokioSocket;
use rtnetlink::{Handle, LinkBridge, LinkDummy, LinkUnspec, LinkVeth};
use std::os::fd::FromRawFd;

/// A connection whose socket has NETLINK_EXT_ACK on (rtnetlink itself sets no socket options).
fn connect(sim: &nlsim::Sim) -> Handle {
    let sock = sim.connect().unwrap();
    sock.set_ext_ack(true).unwrap();
    let fd = sock.into_raw_fd();
    // SAFETY: a connected, non-blocking SEQPACKET fd, owned from here on.
    let (conn, handle, _) = rtnetlink::from_socket(unsafe { TokioSocket::from_raw_fd(fd) });
    tokio::spawn(conn);
    handle
}

async fn link(h: &Handle, name: &str) -> LinkMessage {
    h.link()
        .get()
        .match_name(name.to_string())
        .execute()
        .try_next()
        .await
        .unwrap()
        .unwrap()
}

/// errno and NLMSGERR_ATTR_MSG of a refused request.
fn refusal(e: rtnetlink::Error) -> (i32, Option<String>) {
    let rtnetlink::Error::NetlinkError(m) = e else {
        panic!("{e:?}")
    };
    let code = -m.raw_code();
    // ErrorMessage.header = echoed request (the 16-byte header when capped) + TLVs.
    let h = &m.header;
    let echoed = u32::from_ne_bytes([h[0], h[1], h[2], h[3]]) as usize;
    let mut pos = if h.len() > echoed {
        (echoed + 3) & !3
    } else {
        16
    };
    let mut msg = None;
    while pos + 4 <= h.len() {
        let len = u16::from_ne_bytes([h[pos], h[pos + 1]]) as usize;
        let kind = u16::from_ne_bytes([h[pos + 2], h[pos + 3]]);
        if len < 4 || pos + len > h.len() {
            break;
        }
        if kind == 1 {
            msg = Some(
                String::from_utf8_lossy(&h[pos + 4..pos + len])
                    .trim_end_matches('\0')
                    .to_string(),
            );
        }
        pos += (len + 3) & !3;
    }
    (code, msg)
}

#[tokio::test(flavor = "current_thread")]
async fn dummy_lifecycle() {
    let sim = common::sim_with_nics(0);
    let h = connect(&sim);
    h.link()
        .add(LinkDummy::new("d0").build())
        .execute()
        .await
        .unwrap();
    let d = link(&h, "d0").await;
    // dummy_setup: BROADCAST|NOARP, no MTU limits; down → operstate DOWN.
    assert_eq!(d.flags() & 0xffff, 0x82);
    assert_eq!(d.operstate(), State::Down);
    let idx = d.header.index;
    h.link()
        .set(LinkUnspec::new_with_index(idx).mtu(0).up().build())
        .execute()
        .await
        .unwrap();
    let d = link(&h, "d0").await;
    assert_eq!(d.mtu(), 0, "DUMMY-MTU-ANY");
    assert_eq!(
        d.operstate(),
        State::Unknown,
        "DUMMY-STATE: never toggles carrier"
    );
    h.link()
        .set(LinkUnspec::new_with_index(idx).name("lan0").build())
        .execute()
        .await
        .unwrap();
    assert_eq!(
        link(&h, "lan0").await.header.index,
        idx,
        "RENAME-UP allowed on 6.12"
    );
    h.link().del(idx).execute().await.unwrap();
    assert!(h
        .link()
        .get()
        .match_index(idx)
        .execute()
        .try_next()
        .await
        .is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn veth_lifecycle_and_carrier() {
    let sim = common::sim_with_nics(0);
    let h = connect(&sim);
    h.link()
        .add(LinkVeth::new("va", "vb").build())
        .execute()
        .await
        .unwrap();
    let (va, vb) = (link(&h, "va").await, link(&h, "vb").await);
    assert!(
        vb.header.index < va.header.index,
        "VETH-PEERNAME: the peer is registered first"
    );
    h.link()
        .set(LinkUnspec::new_with_index(va.header.index).up().build())
        .execute()
        .await
        .unwrap();
    assert_eq!(
        link(&h, "va").await.operstate(),
        State::LowerLayerDown,
        "VETH-CARRIER"
    );
    h.link()
        .set(LinkUnspec::new_with_index(vb.header.index).up().build())
        .execute()
        .await
        .unwrap();
    assert_eq!(
        link(&h, "va").await.operstate(),
        State::Up,
        "VETH-CARRIER-BOTH"
    );
    let e = h
        .link()
        .set(
            LinkUnspec::new_with_index(va.header.index)
                .mtu(65536)
                .build(),
        )
        .execute()
        .await
        .unwrap_err();
    // dev_validate_mtu: veth max_mtu is ETH_MAX_MTU.
    assert_eq!(
        refusal(e),
        (libc::EINVAL, Some("mtu greater than device maximum".into()))
    );
    h.link().del(vb.header.index).execute().await.unwrap();
    let names: Vec<String> = h
        .link()
        .get()
        .execute()
        .map_ok(|l| l.name())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["lo"], "VETH-DEL-PEER: both ends go");
}

#[tokio::test(flavor = "current_thread")]
async fn bridge_lifecycle_and_refusals() {
    let sim = common::sim_with_nics(2);
    let h = connect(&sim);
    h.link()
        .add(LinkBridge::new("br0").build())
        .execute()
        .await
        .unwrap();
    h.link()
        .add(LinkBridge::new("br1").build())
        .execute()
        .await
        .unwrap();
    let br0 = link(&h, "br0").await.header.index;
    let br1 = link(&h, "br1").await.header.index;
    let eth0 = link(&h, "eth0").await;
    h.link()
        .set(
            LinkUnspec::new_with_index(eth0.header.index)
                .controller(br0)
                .build(),
        )
        .execute()
        .await
        .unwrap();
    let br = link(&h, "br0").await;
    assert_eq!(
        br.mac(),
        eth0.mac(),
        "BR-MAC-LOWEST: the bridge takes its port's MAC"
    );
    assert_eq!(link(&h, "eth0").await.master(), Some(br0));
    // br_add_if: no bridge in a bridge (ELOOP, extack).
    let e = h
        .link()
        .set(LinkUnspec::new_with_index(br1).controller(br0).build())
        .execute()
        .await
        .unwrap_err();
    assert_eq!(
        refusal(e),
        (
            libc::ELOOP,
            Some("Can not enslave a bridge to a bridge".into())
        )
    );
    // br_add_if: loopback is refused with a bare EINVAL.
    let e = h
        .link()
        .set(LinkUnspec::new_with_index(1).controller(br0).build())
        .execute()
        .await
        .unwrap_err();
    assert_eq!(refusal(e), (libc::EINVAL, None));
    // do_set_master: a non-master target is EOPNOTSUPP.
    let eth1 = link(&h, "eth1").await.header.index;
    let e = h
        .link()
        .set(
            LinkUnspec::new_with_index(eth1)
                .controller(eth0.header.index)
                .build(),
        )
        .execute()
        .await
        .unwrap_err();
    assert_eq!(refusal(e), (libc::EOPNOTSUPP, None));
    // rtnl_newlink with NLM_F_EXCL on an existing name.
    let e = h
        .link()
        .add(LinkBridge::new("br0").build())
        .execute()
        .await
        .unwrap_err();
    assert_eq!(refusal(e), (libc::EEXIST, None));
    // BR-DEL-RELEASES: deleting the bridge frees its port.
    h.link().del(br0).execute().await.unwrap();
    assert_eq!(link(&h, "eth0").await.master(), None);
    // netdevsim ports have no rtnl_link_ops: rtnl_delete_link refuses.
    let e = h.link().del(eth0.header.index).execute().await.unwrap_err();
    assert_eq!(refusal(e), (libc::EOPNOTSUPP, None));
}
