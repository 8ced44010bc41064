//! The real `ip rule` and `ip netconf` (iproute2) under `nlsim run`: outputs as measured on
//! Linux 6.12.117 (golden/kernel/6.12/rules.txt, sysctl-net.txt, monitor-addr-route.txt).

mod run_support;
use run_support::{nlsim_run, TempDir, User};

fn sh(dir: &TempDir, script: &str) -> String {
    nlsim_run(User::Current, &dir.0, &["--", "sh", "-c", script]).ok(script)
}

#[test]
fn ip_rule_defaults_add_show_delete() {
    require_seccomp!();
    let dir = TempDir::new("rules");
    let out = sh(
        &dir,
        "ip rule show; ip -6 rule show; \
         ip rule add from 10.0.0.0/8 table 100; ip rule add iif nosuch table 104; \
         ip rule add from 10.7.0.0/16 priority 300 goto 400; ip rule show; \
         ip rule del priority 300; ip rule del from 10.0.0.0/8; ip rule flush; ip rule show",
    );
    let expected = "0:\tfrom all lookup local\n\
                    32766:\tfrom all lookup main\n\
                    32767:\tfrom all lookup default\n\
                    0:\tfrom all lookup local\n\
                    32766:\tfrom all lookup main\n\
                    0:\tfrom all lookup local\n\
                    300:\tfrom 10.7.0.0/16 goto 400 [unresolved]\n\
                    32764:\tfrom all iif nosuch [detached] lookup 104\n\
                    32765:\tfrom 10.0.0.0/8 lookup 100\n\
                    32766:\tfrom all lookup main\n\
                    32767:\tfrom all lookup default\n\
                    0:\tfrom all lookup local\n";
    assert_eq!(out, expected);
}

#[test]
fn ip_rule_errors_carry_the_kernels_extack() {
    require_seccomp!();
    let dir = TempDir::new("rulerr");
    let r = nlsim_run(
        User::Current,
        &dir.0,
        &[
            "--",
            "ip",
            "rule",
            "add",
            "uidrange",
            "2000-1000",
            "table",
            "9",
        ],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr, "Error: Invalid uid range.\n");
    let r = nlsim_run(
        User::Current,
        &dir.0,
        &["--", "ip", "rule", "del", "priority", "12345"],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr, "RTNETLINK answers: No such file or directory\n");
}

#[test]
fn a_vrf_adds_the_l3mdev_rule_and_netconf_lists_devices() {
    require_seccomp!();
    let dir = TempDir::new("vrfrule");
    let out = sh(
        &dir,
        "ip link add vrf1 type vrf table 10; ip rule show priority 1000; \
         ip -6 rule show priority 1000; ip -6 netconf show dev lo; ip netconf show",
    );
    let expected = "1000:\tfrom all lookup [l3mdev-table]\n\
                    1000:\tfrom all lookup [l3mdev-table]\n\
                    inet6 lo forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet lo forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet vrf1 forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet all forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet default forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet6 lo forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet6 vrf1 forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet6 all forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet6 default forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n";
    assert_eq!(out, expected);
    let r = nlsim_run(
        User::Current,
        &dir.0,
        &["--", "ip", "netconf", "show", "dev", "nosuch"],
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Device \"nosuch\" does not exist.\n")
    );
}

/// `ip monitor rule netconf` (without `all`, no [RULE]/[NETCONF] prefixes).
#[test]
fn ip_monitor_sees_rules_and_netconf() {
    require_seccomp!();
    let dir = TempDir::new("monrule");
    let out = sh(
        &dir,
        "ip -o monitor rule netconf > $TMPDIR/mon.txt 2>&1 & sleep 1; \
         ip link add dum0 type dummy; ip rule add from 10.1.0.0/16 table 100; \
         ip rule del from 10.1.0.0/16 table 100; ip link del dum0; sleep 1; kill $!; wait; \
         cat $TMPDIR/mon.txt",
    );
    let expected = "inet dum0 forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    inet6 dum0 forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n\
                    32765:\tfrom 10.1.0.0/16 lookup 100\n\
                    Deleted 32765:\tfrom 10.1.0.0/16 lookup 100\n\
                    Deleted inet dum0 \n\
                    Deleted inet6 dum0 \n";
    assert_eq!(out, expected);
}
