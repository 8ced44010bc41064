//! `nlsim run --capture FILE` (issue 6, nlmon): while an nlmon device is up, the netlink
//! traffic of the namespace goes to FILE as pcap (LINKTYPE_NETLINK), and tshark dissects it as
//! rtnetlink. Kernel: net/netlink/af_netlink.c `netlink_deliver_tap` (requests are tapped
//! before they are handled, so the `up` of the nlmon device itself is not captured but its
//! ACK is), drivers/net/nlmon.c (`nlmon_open` / `nlmon_close` add and remove the tap).

mod run_support;
use run_support::{nlsim_run, users, TempDir};
use std::process::Command;

fn tshark(file: &std::path::Path, fields: &[&str]) -> Vec<Vec<String>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(file)
        .args(["-T", "fields", "-E", "separator=|"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd
        .output()
        .expect("tshark is needed to read the capture: apt-get install tshark");
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('|').map(str::to_string).collect())
        .collect()
}

#[test]
fn nlmon_capture_is_pcap_that_tshark_reads() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("capture");
        let pcap = dir.path("nl.pcap");
        let p = pcap.to_str().expect("utf-8 path");
        nlsim_run(
            u,
            &dir.0,
            &[
                "--capture",
                p,
                "--",
                "sh",
                "-c",
                "ip link add d9 type dummy && ip link add nl0 type nlmon && ip link set nl0 up \
                 && ip link add d0 type dummy && ip link set nl0 down && ip link add d1 type dummy",
            ],
        )
        .ok("ip link under nlsim run --capture");
        let rows = tshark(
            &pcap,
            &[
                "netlink.hatype",
                "netlink.hdr_type",
                "netlink.hdr_flags",
                "netlink-route.ifla_ifname",
            ],
        );
        assert!(!rows.is_empty(), "{u:?}: empty capture");
        for r in &rows {
            assert_eq!(r[0], "824", "{u:?}: ARPHRD_NETLINK cooked header: {rows:?}");
        }
        // Only d0's creation happened while nl0 was up: its RTM_NEWLINK request
        // (NLM_F_CREATE|EXCL|ACK|REQUEST = 0x605) names it.
        let names: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
        assert!(
            rows.iter()
                .any(|r| r[3] == "d0" && r[2].split(',').next() == Some("0x0605")),
            "{u:?}: no RTM_NEWLINK request for d0: {rows:?}"
        );
        assert!(
            !names.iter().any(|n| n.contains("d9") || n.contains("d1")),
            "{u:?}: traffic outside nl0's up time was captured: {rows:?}"
        );
        // The request that took nl0 down (NLM_F_ACK|NLM_F_REQUEST) is the last packet the tap
        // saw: nlmon_close removes the tap while it is handled, so its ACK is not captured.
        let last = rows.last().expect("rows");
        assert_eq!(last[2], "0x0005", "{u:?}: last packet {last:?} of {rows:?}");
        // The first packet is the ACK of `ip link set nl0 up` (NLMSG_ERROR 0, capped: 0x100).
        assert_eq!(
            rows[0][1].split(',').next(),
            Some("0x0002"),
            "{u:?}: {rows:?}"
        );
    }
}
