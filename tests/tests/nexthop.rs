//! `ip nexthop` (iproute2) under `nlsim run`, against golden/kernel/6.12/nexthop.txt where the
//! commands need no addresses or routes: device-only, blackhole and fdb nexthops, groups
//! (hash-threshold, resilient, fdb), auto ids (5, then 6: `nh_find_unused_id` goes on from
//! the last id given), show filters, replace, delete, device down, flush, and
//! `ip monitor nexthop` seeing RTNLGRP_NEXTHOP.
//!
//! Needs the `nlsim` binary next to the test executable's directory (built by the workspace's
//! `cargo test` / `cargo build -p nlsim`) and seccomp user notification; without either the
//! test says SKIPPED and passes.

use std::path::PathBuf;
use std::process::Command;

/// target/debug/nlsim, the parent of this test's deps/ directory.
fn nlsim_bin() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("nlsim");
    bin.exists().then_some(bin)
}

fn ip_available() -> bool {
    Command::new("ip").arg("-V").output().is_ok()
}

/// Runs `script` with `sh` under `nlsim run --netdevsim 1:3` (as the oracle boots: eth0..eth2
/// of netdevsim 1), stdout and stderr merged in order.
fn run_script(script: &str) -> Option<String> {
    let Some(bin) = nlsim_bin() else {
        eprintln!("SKIPPED: nlsim binary not built (cargo build -p nlsim)");
        return None;
    };
    if !ip_available() {
        eprintln!("SKIPPED: no ip(8)");
        return None;
    }
    let out = Command::new(bin)
        .args(["run", "--netdevsim", "1:3", "--", "sh", "-c"])
        .arg(format!("exec 2>&1\n{script}"))
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() && text.contains("seccomp") {
        eprintln!("SKIPPED: {text}");
        return None;
    }
    Some(text)
}

/// Each command echoed before its output, like the transcripts' CMD lines.
fn script(cmds: &[&str]) -> String {
    cmds.iter()
        .map(|c| format!("echo 'CMD| {c}'\n{c}\n"))
        .collect()
}

const SETUP: &[&str] = &[
    "ip link add dum0 type dummy",
    "ip link set dum0 up",
    "ip link add dum1 type dummy",
    "ip link set dum1 up",
    "ip link add dum2 type dummy",
];

#[test]
fn ip_nexthop_as_measured() {
    let mut cmds = SETUP.to_vec();
    cmds.extend_from_slice(&[
        "ip nexthop add id 1 dev dum0",
        "ip nexthop add id 2 dev dum1",
        "ip nexthop add id 3 dev dum0",
        "ip nexthop add id 4 blackhole",
        "ip link set lo up",
        "ip nexthop add id 4 blackhole",
        "ip nexthop add id 8 dev dum0 proto 42",
        "ip nexthop add dev dum0",
        "ip nexthop add id 1 dev dum1",
        "ip nexthop add id 11 via 10.0.0.9",
        "ip nexthop add id 14 dev dum2",
        "ip nexthop add id 16 blackhole dev dum0",
        "ip nexthop add id 0 dev dum0",
        "ip nexthop add id 19 dev dum0 fdb",
        "ip nexthop add id 20 via 10.0.0.9 fdb",
        "ip nexthop add id 21 via 2001:db8:0:1::9 fdb",
        "ip nexthop add id 100 group 1/2",
        "ip nexthop add id 101 group 1,3/2,2",
        "ip nexthop add id 103 group 4",
        "ip nexthop add id 104 group 4/1",
        "ip nexthop add id 105 group 1/1",
        "ip nexthop add id 106 group 1/99",
        "ip nexthop add id 107 group 100",
        "ip nexthop add id 109 group 1/2 type resilient buckets 8 idle_timer 60",
        "ip nexthop add id 110 group 1/2 type resilient",
        "ip nexthop add id 111 group 1/2 type resilient buckets 0",
        "ip nexthop add id 112 group 20",
        "ip nexthop add id 116 group 20 fdb",
        "ip nexthop add id 117 group 20/21 fdb",
        "ip nexthop add id 118 group 1 fdb",
        "ip nexthop show",
        "ip -j nexthop show id 101",
        "ip nexthop show id 109",
        "ip nexthop show groups",
        "ip nexthop show dev dum1",
        "ip nexthop show id 999",
        "ip nexthop replace id 100 group 2",
        "ip nexthop show id 100",
        "ip nexthop replace id 100 dev dum0",
        "ip nexthop replace id 2 group 1",
        "ip nexthop replace id 109 group 1",
        "ip nexthop replace id 120 dev dum0",
        "ip nexthop show id 120",
        "ip nexthop del id 2",
        "ip nexthop show id 100",
        "ip nexthop del id 999",
        "ip nexthop add id 30 dev dum1",
        "ip link set dum1 down",
        "ip nexthop show",
        "ip nexthop flush",
        "ip nexthop show",
    ]);
    let Some(out) = run_script(&script(&cmds)) else {
        return;
    };
    let expected = "\
CMD| ip link add dum0 type dummy
CMD| ip link set dum0 up
CMD| ip link add dum1 type dummy
CMD| ip link set dum1 up
CMD| ip link add dum2 type dummy
CMD| ip nexthop add id 1 dev dum0
CMD| ip nexthop add id 2 dev dum1
CMD| ip nexthop add id 3 dev dum0
CMD| ip nexthop add id 4 blackhole
Error: Device for nexthop is not up.
CMD| ip link set lo up
CMD| ip nexthop add id 4 blackhole
CMD| ip nexthop add id 8 dev dum0 proto 42
CMD| ip nexthop add dev dum0
CMD| ip nexthop add id 1 dev dum1
RTNETLINK answers: File exists
CMD| ip nexthop add id 11 via 10.0.0.9
Error: Device attribute required for non-blackhole and non-fdb nexthops.
CMD| ip nexthop add id 14 dev dum2
Error: Nexthop device is not up.
CMD| ip nexthop add id 16 blackhole dev dum0
Error: Blackhole attribute can not be used with gateway, oif, encap or fdb.
CMD| ip nexthop add id 0 dev dum0
CMD| ip nexthop add id 19 dev dum0 fdb
Error: Fdb attribute can not be used with encap, oif or blackhole.
CMD| ip nexthop add id 20 via 10.0.0.9 fdb
CMD| ip nexthop add id 21 via 2001:db8:0:1::9 fdb
CMD| ip nexthop add id 100 group 1/2
CMD| ip nexthop add id 101 group 1,3/2,2
CMD| ip nexthop add id 103 group 4
CMD| ip nexthop add id 104 group 4/1
Error: Blackhole nexthop can not be used in a group with more than 1 path.
CMD| ip nexthop add id 105 group 1/1
Error: Nexthop id can not be used twice in a group.
CMD| ip nexthop add id 106 group 1/99
Error: Invalid nexthop id.
CMD| ip nexthop add id 107 group 100
Error: Hash-threshold group can not be a nexthop within a group.
CMD| ip nexthop add id 109 group 1/2 type resilient buckets 8 idle_timer 60
CMD| ip nexthop add id 110 group 1/2 type resilient
Error: Number of buckets not specified for nexthop group insertion.
CMD| ip nexthop add id 111 group 1/2 type resilient buckets 0
Error: Number of buckets needs to be non-0.
CMD| ip nexthop add id 112 group 20
Error: Non FDB nexthop group cannot have fdb nexthops.
CMD| ip nexthop add id 116 group 20 fdb
CMD| ip nexthop add id 117 group 20/21 fdb
Error: FDB nexthop group cannot have mixed family nexthops.
CMD| ip nexthop add id 118 group 1 fdb
Error: FDB nexthop group can only have fdb nexthops.
CMD| ip nexthop show
id 1 dev dum0 scope host trap 
id 2 dev dum1 scope host trap 
id 3 dev dum0 scope host trap 
id 4 blackhole trap 
id 5 dev dum0 scope host trap 
id 6 dev dum0 scope host trap 
id 8 dev dum0 scope host proto babel trap 
id 20 via 10.0.0.9 scope link trap fdb
id 21 via 2001:db8:0:1::9 scope link trap fdb
id 100 group 1/2 trap 
id 101 group 1,3/2,2 trap 
id 103 group 4 trap 
id 109 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 0 unbalanced_time 0 trap 
id 116 group 20 trap fdb
CMD| ip -j nexthop show id 101
[{\"id\":101,\"group\":[{\"id\":1,\"weight\":3},{\"id\":2,\"weight\":2}],\"flags\":[\"trap\"]}]
CMD| ip nexthop show id 109
id 109 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 0 unbalanced_time 0 trap 
CMD| ip nexthop show groups
id 100 group 1/2 trap 
id 101 group 1,3/2,2 trap 
id 103 group 4 trap 
id 109 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 0 unbalanced_time 0 trap 
id 116 group 20 trap fdb
CMD| ip nexthop show dev dum1
id 2 dev dum1 scope host trap 
CMD| ip nexthop show id 999
RTNETLINK answers: No such file or directory
CMD| ip nexthop replace id 100 group 2
CMD| ip nexthop show id 100
id 100 group 2 trap 
CMD| ip nexthop replace id 100 dev dum0
Error: Can not replace a nexthop group with a nexthop.
CMD| ip nexthop replace id 2 group 1
Error: Can not replace a nexthop with a nexthop group.
CMD| ip nexthop replace id 109 group 1
Error: Can not replace a nexthop group with one of a different type.
CMD| ip nexthop replace id 120 dev dum0
CMD| ip nexthop show id 120
id 120 dev dum0 scope host trap 
CMD| ip nexthop del id 2
CMD| ip nexthop show id 100
RTNETLINK answers: No such file or directory
CMD| ip nexthop del id 999
RTNETLINK answers: No such file or directory
CMD| ip nexthop add id 30 dev dum1
CMD| ip link set dum1 down
CMD| ip nexthop show
id 1 dev dum0 scope host trap 
id 3 dev dum0 scope host trap 
id 4 blackhole trap 
id 5 dev dum0 scope host trap 
id 6 dev dum0 scope host trap 
id 8 dev dum0 scope host proto babel trap 
id 20 via 10.0.0.9 scope link trap fdb
id 21 via 2001:db8:0:1::9 scope link trap fdb
id 101 group 1,3 trap 
id 103 group 4 trap 
id 109 group 1 type resilient buckets 8 idle_timer 60 unbalanced_timer 0 unbalanced_time 0 trap 
id 116 group 20 trap fdb
id 120 dev dum0 scope host trap 
CMD| ip nexthop flush
Flushed 13 nexthops
CMD| ip nexthop show
";
    assert_eq!(out, expected, "\n--- got ---\n{out}");
}

/// `ip monitor nexthop` sees RTM_NEWNEXTHOP / RTM_DELNEXTHOP on RTNLGRP_NEXTHOP
/// (monitor-addr-route CMD[20]-[22]: `[NEXTHOP]`, `[NEXTHOP]Deleted`, both with trap).
#[test]
fn ip_monitor_nexthop() {
    let script = "\
ip link add dum0 type dummy
ip link set dum0 up
ip monitor nexthop > mon.txt &
m=$!
sleep 0.5
ip nexthop add id 1 dev dum0
ip nexthop del id 1
sleep 0.5
kill $m
cat mon.txt
rm -f mon.txt";
    let dir = std::env::temp_dir().join(format!("nlsim-nh-mon-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let Some(out) = run_script(&format!("cd {}\n{script}", dir.display())) else {
        return;
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out, "id 1 dev dum0 scope host trap \nDeleted id 1 dev dum0 scope host trap \n",
        "{out}"
    );
}
