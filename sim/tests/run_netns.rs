//! Network namespaces under `nlsim run`: `ip netns add/list/exec/del`, `ip -n`, and
//! `unshare -n`, as the current user and as nobody. The launcher emulates the namespace
//! system calls (`launcher/src/netns.rs`); the outcomes asserted are the kernel's
//! (golden/kernel/6.12/netns.txt: `ip netns add ns1` rc 0, `ip netns list` prints `ns1`,
//! a fresh namespace holds only `lo`, `ip netns del` destroys what is inside).

mod run_support;
use run_support::{nlsim_run, users, TempDir};

fn state_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read(path).expect("state file");
    serde_json::from_slice(&text).expect("state is JSON")
}

/// The namespaces in a saved state, by id.
fn namespaces(path: &std::path::Path) -> Vec<String> {
    let st = state_json(path);
    st["namespaces"]
        .as_object()
        .expect("namespaces map")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn ip_netns_add_exec_del_across_runs() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("netns");
        let state = dir.path("s.json");
        let st = state.to_str().expect("utf-8 path");
        let run = |argv: &[&str]| {
            let mut a = vec!["--state", st, "--"];
            a.extend_from_slice(argv);
            nlsim_run(u, &dir.0, &a)
        };
        nlsim_run(
            u,
            &dir.0,
            &["--state", st, "--netdevsim", "1:2", "--", "true"],
        )
        .ok("machine");

        run(&["ip", "netns", "add", "net1"]).ok("ip netns add");
        // The namespace outlives the process that made it: it is mounted on /run/netns/net1.
        assert_eq!(namespaces(&state).len(), 2, "{u:?}");
        let again = run(&["ip", "netns", "add", "net1"]);
        assert_eq!(again.code, 1, "{u:?}: {again:?}");
        assert_eq!(
            again.stderr,
            "Cannot create namespace file \"/run/netns/net1\": File exists\n"
        );
        let list = run(&["ip", "netns", "list"]).ok("ip netns list");
        assert_eq!(list.lines().next(), Some("net1"), "{u:?}: {list}");

        // A fresh namespace: only lo, ifindex 1.
        let br = run(&["ip", "-n", "net1", "-br", "link"]).ok("ip -n");
        assert_eq!(
            br, "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n",
            "{u:?}"
        );
        // ip netns exec: sockets, sysfs and children follow the namespace.
        let out = run(&[
            "ip",
            "netns",
            "exec",
            "net1",
            "sh",
            "-c",
            "ip link add x1 type dummy && ip -o link show x1 && cat /sys/class/net/x1/mtu",
        ])
        .ok("ip netns exec");
        assert!(out.starts_with("2: x1: <BROADCAST,NOARP>"), "{u:?}: {out}");
        assert!(out.ends_with("1500\n"), "{u:?}: {out}");
        let init = run(&["ip", "-br", "link"]).ok("ip link");
        assert!(
            !init.contains("x1"),
            "{u:?}: x1 leaked into init_net:\n{init}"
        );
        assert!(init.contains("eth0"), "{u:?}: {init}");
        let inside = run(&["ip", "-n", "net1", "-o", "link", "show", "eth0"]);
        assert_eq!(inside.code, 1, "{u:?}: {inside:?}");

        // ip netns del: unmount + unlink; nothing holds the namespace, it is destroyed.
        run(&["ip", "netns", "del", "net1"]).ok("ip netns del");
        assert_eq!(namespaces(&state).len(), 1, "{u:?}");
        let gone = run(&["ip", "-n", "net1", "link"]);
        assert_eq!(gone.code, 255, "{u:?}: {gone:?}");
        assert_eq!(
            gone.stderr,
            "Cannot open network namespace \"net1\": No such file or directory\n"
        );
        assert_eq!(run(&["ip", "netns", "list"]).ok("list"), "", "{u:?}");
        // Deleting it twice: umount2 fails first (iproute2 goes on to unlink: ENOENT).
        let twice = run(&["ip", "netns", "del", "net1"]);
        assert_eq!(twice.code, 1, "{u:?}: {twice:?}");
        assert!(
            twice.stderr.contains(
                "Cannot remove namespace file \"/run/netns/net1\": No such file or directory"
            ),
            "{u:?}: {twice:?}"
        );
    }
}

#[test]
fn unshare_n_gets_a_private_namespace_that_dies_with_it() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("unshare");
        let state = dir.path("s.json");
        let st = state.to_str().expect("utf-8 path");
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--state",
                st,
                "--netdevsim",
                "1:1",
                "--",
                "unshare",
                "-n",
                "sh",
                "-c",
                "ip link add d9 type dummy && ip -br link",
            ],
        )
        .ok("unshare -n");
        let names: Vec<&str> = out
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(names, ["lo", "d9"], "{u:?}: {out}");
        // Nothing but the process held it: gone with it, and d9 with it.
        assert_eq!(namespaces(&state).len(), 1, "{u:?}");
        let init = nlsim_run(u, &dir.0, &["--state", st, "--", "ip", "-br", "link"]).ok("ip link");
        assert!(!init.contains("d9"), "{u:?}: {init}");
        assert!(init.contains("eth0"), "{u:?}: {init}");
    }
}

#[test]
fn setns_with_a_file_that_is_no_namespace_is_einval() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("setns");
        // `ip netns add` is interrupted after creating the file (before the mount) by making
        // the entry by hand: an O_CREAT open of /run/netns/NAME. Entering it is EINVAL, as
        // for any file that is not an nsfs file (`setns` → `proc_ns_file` fails).
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--",
                "sh",
                "-c",
                "mkdir /run/netns; : > /run/netns/plain; ip -n plain link; echo rc=$?",
            ],
        );
        assert!(
            out.stderr
                .contains("setting the network namespace \"plain\" failed: Invalid argument"),
            "{u:?}: {out:?}"
        );
        assert!(out.stdout.ends_with("rc=255\n"), "{u:?}: {out:?}");
    }
}
