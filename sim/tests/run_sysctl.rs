//! `/proc/sys/net` under `nlsim run` (launcher/src/sysctl.rs, kernel_model::sysctl_net), as
//! the current user and as nobody: sysctl(8) reads and writes, the proc handlers' errors
//! reaching write() (golden/kernel/6.12/addr.txt CMD[39]-[40] for the output format), a
//! shell's `echo > file`, per-namespace values, and what stays refused.

mod run_support;
use run_support::{nlsim_run, users, TempDir};

#[test]
fn sysctl_reads_and_writes_the_simulated_namespace() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("sysctl");
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

        // addr.sh CMD[39]: devices the host does not have (eth1 is the simulator's).
        let out = run(&[
            "sysctl",
            "net.ipv6.conf.eth1.keep_addr_on_down",
            "net.ipv4.conf.all.promote_secondaries",
            "net.ipv6.conf.default.addr_gen_mode",
        ])
        .ok("sysctl read");
        assert_eq!(
            out,
            "net.ipv6.conf.eth1.keep_addr_on_down = 0\n\
             net.ipv4.conf.all.promote_secondaries = 0\n\
             net.ipv6.conf.default.addr_gen_mode = 0\n",
            "{u:?}"
        );
        // CMD[40].
        let out =
            run(&["sysctl", "-w", "net.ipv4.conf.eth0.promote_secondaries=1"]).ok("sysctl -w");
        assert_eq!(out, "net.ipv4.conf.eth0.promote_secondaries = 1\n", "{u:?}");

        // Values persist in the state, across runs.
        run(&["sysctl", "-w", "net.ipv4.ip_forward=1"]).ok("ip_forward");
        let out = run(&[
            "sysctl",
            "net.ipv4.ip_forward",
            "net.ipv4.conf.all.forwarding",
            "net.ipv4.conf.eth0.forwarding",
        ])
        .ok("read back");
        assert_eq!(
            out,
            "net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.forwarding = 1\n\
             net.ipv4.conf.eth0.forwarding = 1\n",
            "{u:?}"
        );

        // addrconf_sysctl_addr_gen_mode: EINVAL from write(), as sysctl(8) reports it.
        run(&["ip", "link", "add", "dummy0", "type", "dummy"]).ok("dummy0");
        let bad = run(&["sysctl", "-w", "net.ipv6.conf.dummy0.addr_gen_mode=9"]);
        assert_eq!(bad.code, 1, "{u:?}: {bad:?}");
        assert_eq!(
            bad.stderr,
            "sysctl: setting key \"net.ipv6.conf.dummy0.addr_gen_mode\": Invalid argument\n",
            "{u:?}"
        );
        // A shell's redirection (the fd moved to 1) applies the value as well.
        let out = run(&[
            "sh",
            "-c",
            "echo 1 > /proc/sys/net/ipv6/conf/dummy0/addr_gen_mode && \
             cat /proc/sys/net/ipv6/conf/dummy0/addr_gen_mode",
        ])
        .ok("echo >");
        assert_eq!(out, "1\n", "{u:?}");
        // IFLA_AF_SPEC reports the stored value.
        let out = run(&["ip", "-d", "link", "show", "dummy0"]).ok("ip -d link");
        assert!(out.contains("addrgenmode none"), "{u:?}: {out}");

        // Directories list the simulated entries, in the kernel's order.
        let out = run(&["ls", "/proc/sys/net/ipv4/conf"]).ok("ls");
        assert_eq!(out, "all\ndefault\ndummy0\neth0\neth1\nlo\n", "{u:?}");
        let out = run(&["sysctl", "net.ipv4.conf.lo"]).ok("sysctl dir");
        assert_eq!(out.lines().count(), 33, "{u:?}: {out}");
        assert!(
            out.starts_with("net.ipv4.conf.lo.accept_local = 0\n"),
            "{u:?}: {out}"
        );

        // Each namespace has its own tree: a new one copies init_net's IPv4 all/default.
        let out = run(&[
            "sh",
            "-c",
            "ip netns add n1 && ip netns exec n1 sysctl net.ipv4.ip_forward \
             net.ipv4.conf.default.forwarding && ip netns exec n1 sysctl -w \
             net.ipv6.conf.all.forwarding=1 && sysctl net.ipv6.conf.all.forwarding",
        ])
        .ok("netns");
        assert_eq!(
            out,
            "net.ipv4.ip_forward = 1\nnet.ipv4.conf.default.forwarding = 1\n\
             net.ipv6.conf.all.forwarding = 1\nnet.ipv6.conf.all.forwarding = 0\n",
            "{u:?}"
        );
        let out =
            run(&["ip", "netns", "exec", "n1", "ls", "/proc/sys/net/ipv6/conf"]).ok("ls in n1");
        assert_eq!(out, "all\ndefault\nlo\n", "{u:?}");

        // The rest of /proc/sys/net stays refused, and never the host's.
        let r = run(&["cat", "/proc/sys/net/core/somaxconn"]);
        assert_ne!(r.code, 0, "{u:?}: {r:?}");
        assert!(
            r.stderr
                .contains("nlsim: /proc/sys/net/core/somaxconn not modelled"),
            "{u:?}: {r:?}"
        );
        let r = run(&["sh", "-c", "echo 1 > /proc/sys/net/core/somaxconn"]);
        assert_ne!(r.code, 0, "{u:?}: {r:?}");
    }
}
