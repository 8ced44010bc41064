//! iproute2 under `nlsim run`, as the current user and as nobody.

mod run_support;
use run_support::{link_names, nlsim_run, users, TempDir};

#[test]
fn ip_link_show_sees_only_the_simulator() {
    require_seccomp!();
    let host = run_support::host_links();
    for u in users() {
        let dir = TempDir::new("show");
        let out = nlsim_run(u, &dir.0, &["--", "ip", "link", "show"]).ok("ip link show");
        // A fresh namespace: lo only, whatever the host has.
        assert_eq!(link_names(&out), ["lo"], "{u:?}: {out}");
        for h in host.iter().filter(|h| *h != "lo") {
            assert!(
                !out.contains(h.as_str()),
                "{u:?}: host link {h} leaked: {out}"
            );
        }
        let out = nlsim_run(u, &dir.0, &["--", "ip", "-s", "link", "show", "lo"]).ok("ip -s link");
        assert!(out.contains("RX:") && out.contains("TX:"), "{out}");
    }
}

#[test]
fn ip_d_j_link_show_is_valid_json() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("json");
        let out = nlsim_run(
            u,
            &dir.0,
            &["--netdevsim", "1:2", "--", "ip", "-d", "-j", "link", "show"],
        )
        .ok("ip -d -j link show");
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        let links = v.as_array().expect("array");
        let names: Vec<&str> = links.iter().filter_map(|l| l["ifname"].as_str()).collect();
        assert_eq!(names, ["lo", "eth0", "eth1"], "{u:?}");
        assert_eq!(links[1]["parentbus"], "netdevsim", "{u:?}: {}", links[1]);
    }
}

#[test]
fn bridge_enslave_through_a_shell() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("bridge");
        // `sh -c`: the commands are descendants of CMD, covered by the same filter.
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--netdevsim",
                "1:2",
                "--",
                "sh",
                "-c",
                "ip link add br0 type bridge && ip link set eth0 master br0 && ip -j -d link show eth0",
            ],
        )
        .ok("bridge");
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(v[0]["master"], "br0", "{u:?}: {out}");
        assert_eq!(
            v[0]["linkinfo"]["info_slave_kind"], "bridge",
            "{u:?}: {out}"
        );
    }
}

#[test]
fn veth_without_peer_name_collides() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("veth");
        // The unnamed peer takes "veth0" first (veth%d), so the device itself exists.
        let r = nlsim_run(
            u,
            &dir.0,
            &["--", "ip", "link", "add", "veth0", "type", "veth"],
        );
        assert_eq!(r.code, 2, "{u:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("RTNETLINK answers: File exists"),
            "{u:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn ip_batch_file() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("batch");
        let batch = dir.path("cmds.txt");
        std::fs::write(
            &batch,
            "link add br0 type bridge\n\
             link add d0 type dummy\n\
             link add d1 type dummy\n\
             link set d0 master br0\n\
             link set d0 up\n\
             link show\n",
        )
        .expect("write batch");
        let out = nlsim_run(
            u,
            &dir.0,
            &["--", "ip", "-batch", batch.to_str().expect("utf-8 path")],
        )
        .ok("ip -batch");
        assert_eq!(link_names(&out), ["lo", "br0", "d0", "d1"], "{u:?}: {out}");
        assert!(out.contains("master br0"), "{out}");
    }
}

#[test]
fn state_file_carries_over_between_runs() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("state");
        let st = dir.path("s.json");
        let st = st.to_str().expect("utf-8 path");
        nlsim_run(
            u,
            &dir.0,
            &["--state", st, "--netdevsim", "1:2", "--", "true"],
        )
        .ok("init");
        nlsim_run(
            u,
            &dir.0,
            &[
                "--state", st, "--", "ip", "link", "add", "br0", "type", "bridge",
            ],
        )
        .ok("add");
        let out = nlsim_run(u, &dir.0, &["--state", st, "--", "ip", "-o", "link"]).ok("show");
        assert_eq!(link_names(&out), ["lo", "eth0", "eth1", "br0"], "{u:?}");
        // Saved by rename: no temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(&dir.0)
            .expect("read dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["s.json"], "{u:?}");
    }
}

#[test]
fn exit_status_is_the_commands() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("exit");
        assert_eq!(nlsim_run(u, &dir.0, &["--", "sh", "-c", "exit 7"]).code, 7);
        assert_eq!(
            nlsim_run(u, &dir.0, &["--", "sh", "-c", "kill -9 $$"]).code,
            128 + 9
        );
        let r = nlsim_run(u, &dir.0, &["--", "/nonexistent/cmd"]);
        assert_eq!(r.code, 127, "{}", r.stderr);
    }
}

#[test]
fn host_namespaces_and_taps_are_never_touched() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("host");
        let ns = format!("nlsimtest{}", std::process::id());
        // As root these would create a real namespace (mkdir/mount/unshare) and a real tap
        // (TUNSETIFF): the namespace is the simulator's (the launcher emulates the calls),
        // and so is the tap (the launcher's /dev/net/tun stand-in), never the host's.
        let r = nlsim_run(u, &dir.0, &["--", "ip", "netns", "add", &ns]);
        assert_eq!(r.code, 0, "{u:?}: {}", r.stderr);
        assert!(!std::path::Path::new("/run/netns").join(&ns).exists());
        // readlink of /proc/self/ns/net shows the simulated namespace (launcher/src/nsfs.rs:
        // the first one made after init_net is 4026532121, as on the oracle), never the
        // host's, which the simulated unshare leaves alone.
        let host = std::fs::read_link("/proc/self/ns/net").expect("own netns");
        let r = nlsim_run(
            u,
            &dir.0,
            &["--", "unshare", "-n", "readlink", "/proc/self/ns/net"],
        );
        assert_eq!(r.code, 0, "{u:?}: {}", r.stderr);
        assert_eq!(r.stdout.trim(), "net:[4026532121]", "{u:?}");
        // And the caller's real namespace is still the host's.
        assert_eq!(
            std::fs::read_link("/proc/self/ns/net").expect("own netns"),
            host
        );
        let tap = format!("nlsimtap{}", std::process::id() % 10000);
        let r = nlsim_run(
            u,
            &dir.0,
            &["--", "ip", "tuntap", "add", "dev", &tap, "mode", "tap"],
        );
        assert_eq!(r.code, 0, "{u:?}: {}", r.stderr);
        assert!(
            !run_support::host_links().contains(&tap),
            "{u:?}: host tap created"
        );
    }
}

/// `ip -j addr` and `ip -j route` over what `ip addr add` and `ip route add` made: the address
/// with its label and lifetimes, the prefix routes the kernel adds for it (fib_add_ifaddr,
/// addrconf_prefix_route), the gateway routes, and the local table's entries.
#[test]
fn ip_j_addr_and_route() {
    require_seccomp!();
    let script = "ip link add d0 type dummy && ip link set d0 addrgenmode none && \
                  ip link set d0 up && ip addr add 10.0.0.1/24 dev d0 && \
                  ip -6 addr add 2001:db8::1/64 dev d0 && \
                  ip route add 192.0.2.0/24 via 10.0.0.254 && \
                  ip -6 route add 2001:db8:1::/48 via 2001:db8::fe && \
                  ip -j addr show dev d0 && ip -j route show && ip -j -6 route show && \
                  ip -j route show table local dev d0";
    for u in users() {
        let dir = TempDir::new("addr-route");
        let out = nlsim_run(u, &dir.0, &["--", "sh", "-c", script]).ok("ip -j addr/route");
        let json: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{u:?}: {e}: {l}")))
            .collect();
        assert_eq!(json.len(), 4, "{u:?}: {out}");

        let d0 = &json[0][0];
        assert_eq!(d0["ifname"], "d0", "{u:?}: {d0}");
        let addrs = d0["addr_info"].as_array().expect("addr_info");
        // IPv4 first (rtnl_dump_all in family order); a dummy is IFF_NOARP: no DAD, so the
        // IPv6 address is not tentative (addrconf_dad_begin).
        assert_eq!(
            addrs[0],
            serde_json::json!({"family": "inet", "local": "10.0.0.1", "prefixlen": 24,
                "scope": "global", "label": "d0", "valid_life_time": 4294967295u32,
                "preferred_life_time": 4294967295u32}),
            "{u:?}"
        );
        assert_eq!(
            addrs[1],
            serde_json::json!({"family": "inet6", "local": "2001:db8::1", "prefixlen": 64,
                "scope": "global", "valid_life_time": 4294967295u32,
                "preferred_life_time": 4294967295u32}),
            "{u:?}"
        );
        assert_eq!(
            addrs.len(),
            2,
            "{u:?}: addrgenmode none, no link-local: {d0}"
        );

        // Main table, in the trie's key order (fn_trie_dump_leaf).
        assert_eq!(
            json[1],
            serde_json::json!([
                {"dst": "10.0.0.0/24", "dev": "d0", "protocol": "kernel", "scope": "link",
                 "prefsrc": "10.0.0.1", "flags": []},
                {"dst": "192.0.2.0/24", "gateway": "10.0.0.254", "dev": "d0", "flags": []}
            ]),
            "{u:?}"
        );
        assert_eq!(
            json[2],
            serde_json::json!([
                {"dst": "2001:db8::/64", "dev": "d0", "protocol": "kernel", "metric": 256,
                 "flags": [], "pref": "medium"},
                {"dst": "2001:db8:1::/48", "gateway": "2001:db8::fe", "dev": "d0",
                 "metric": 1024, "flags": [], "pref": "medium"}
            ]),
            "{u:?}"
        );
        // fib_add_ifaddr: the local route and the subnet broadcast (ip leaves out the table
        // and the device it filtered on).
        assert_eq!(
            json[3],
            serde_json::json!([
                {"type": "local", "dst": "10.0.0.1", "protocol": "kernel", "scope": "host",
                 "prefsrc": "10.0.0.1", "flags": []},
                {"type": "broadcast", "dst": "10.0.0.255", "protocol": "kernel",
                 "scope": "link", "prefsrc": "10.0.0.1", "flags": []}
            ]),
            "{u:?}"
        );
    }
}

/// `ip addr del` and `ip route del` undo what add did; deleting the address takes its prefix
/// route and local routes with it (fib_del_ifaddr), and a second delete is ESRCH / EADDRNOTAVAIL.
#[test]
fn ip_addr_route_del() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("addr-route-del");
        let st = dir.path("s.json");
        let st = st.to_str().expect("utf-8 path");
        let sh = |script: &str| nlsim_run(u, &dir.0, &["--state", st, "--", "sh", "-c", script]);
        sh("ip link add d0 type dummy && ip link set d0 up && \
            ip addr add 10.0.0.1/24 dev d0 && ip route add 192.0.2.0/24 via 10.0.0.254")
        .ok("add");
        sh("ip route del 192.0.2.0/24 via 10.0.0.254").ok("route del");
        let r = sh("ip route del 192.0.2.0/24");
        assert_eq!(r.code, 2, "{u:?}: {}", r.stderr);
        // fib_table_delete: no such route.
        assert!(
            r.stderr.contains("RTNETLINK answers: No such process"),
            "{u:?}: {}",
            r.stderr
        );
        sh("ip addr del 10.0.0.1/24 dev d0").ok("addr del");
        let r = sh("ip addr del 10.0.0.1/24 dev d0");
        assert_eq!(r.code, 2, "{u:?}: {}", r.stderr);
        // inet_rtm_deladdr: no matching address, EADDRNOTAVAIL with its extack message.
        assert!(
            r.stderr.contains("Error: ipv4: Address not found."),
            "{u:?}: {}",
            r.stderr
        );
        let out = sh("ip -j addr show dev d0 && ip -j route show && \
                      ip -j route show table local dev d0")
        .ok("show");
        let lines: Vec<&str> = out.lines().collect();
        let addr: serde_json::Value = serde_json::from_str(lines[0]).expect("ip -j addr");
        let inet: Vec<&serde_json::Value> = addr[0]["addr_info"]
            .as_array()
            .expect("addr_info")
            .iter()
            .filter(|a| a["family"] == "inet")
            .collect();
        assert!(inet.is_empty(), "{u:?}: {out}");
        // The address took its routes with it.
        assert_eq!(lines[1..], ["[]", "[]"], "{u:?}: {out}");
    }
}

/// `ip route get` (RTM_GETROUTE with a destination: inet_rtm_getroute, a FIB lookup) answers
/// from the model as the kernel does (golden/kernel/6.12/route-get.txt CMD[22]): the prefix
/// route's device and preferred source, the caller's uid, a cached route.
#[test]
fn ip_route_get_answers_from_the_fib() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("route-get");
        let r = nlsim_run(
            u,
            &dir.0,
            &[
                "--",
                "sh",
                "-c",
                "ip link add d0 type dummy && ip link set d0 up && \
                 ip addr add 10.0.0.1/24 dev d0 && ip route get 10.0.0.7",
            ],
        );
        assert_eq!(r.code, 0, "{u:?}: {} {}", r.stdout, r.stderr);
        assert_eq!(
            r.stdout, "10.0.0.7 dev d0 src 10.0.0.1 uid 0 \n    cache \n",
            "{u:?}: {}",
            r.stderr
        );
    }
}
