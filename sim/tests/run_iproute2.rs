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
        // readlink of /proc/self/ns/net is not emulated: it shows the real namespace, which
        // the simulated unshare leaves alone.
        let host = std::fs::read_link("/proc/self/ns/net").expect("own netns");
        let r = nlsim_run(
            u,
            &dir.0,
            &["--", "unshare", "-n", "readlink", "/proc/self/ns/net"],
        );
        assert_eq!(r.code, 0, "{u:?}: {}", r.stderr);
        assert_eq!(r.stdout.trim(), host.to_string_lossy(), "{u:?}");
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
