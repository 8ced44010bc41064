//! End-to-end smoke test: the `rtnetlink` crate, unchanged, over an in-process socket.

mod common;
use futures::stream::TryStreamExt;
use netlink_sys::TokioSocket;
use std::os::fd::FromRawFd;

#[tokio::test(flavor = "current_thread")]
async fn rtnetlink_lists_lo_and_netdevsim_ports() {
    let sim = common::sim_with_nics(2);
    let fd = sim.connect().unwrap().into_raw_fd();
    // SAFETY: the fd is a connected, non-blocking SEQPACKET socket owned from here on.
    let sock = unsafe { TokioSocket::from_raw_fd(fd) };
    let (conn, handle, _) = rtnetlink::from_socket(sock);
    tokio::spawn(conn);
    let links: Vec<_> = handle.link().get().execute().try_collect().await.unwrap();
    let names: Vec<String> = links.iter().map(common::LinkExt::name).collect();
    assert_eq!(names, ["lo", "eth0", "eth1"]);
    let idx: Vec<u32> = links.iter().map(|l| l.header.index).collect();
    assert_eq!(idx, [1, 2, 3]);

    handle
        .link()
        .add(rtnetlink::LinkBridge::new("br0").build())
        .execute()
        .await
        .unwrap();
    let err = handle
        .link()
        .add(rtnetlink::LinkBridge::new("br0").build())
        .execute()
        .await
        .unwrap_err();
    match err {
        rtnetlink::Error::NetlinkError(e) => assert_eq!(e.raw_code(), -libc::EEXIST),
        other => panic!("{other:?}"),
    }
}
