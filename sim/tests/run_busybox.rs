//! busybox's `ip` applet under `nlsim run`: a statically linked client (Debian's
//! busybox-static), so nothing but the seccomp supervisor can redirect it. The applet reads
//! links over netlink, creates and enslaves with RTM_NEWLINK, but changes flags and MTU with
//! the legacy ioctls (SIOCSIFFLAGS, SIOCSIFMTU), which the supervisor answers from the
//! simulator; renaming (SIOCSIFNAME) is refused loudly. Every outcome is checked with a
//! second client, `ip -j link show`, over the saved state.

mod run_support;
use run_support::{has_flag, index_names, ip_links, link, link_names, nlsim_run, users, TempDir};
use std::path::Path;

/// busybox-static's binary (Debian installs it as /bin/busybox).
fn busybox() -> &'static str {
    let path = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("install busybox-static: `bash .ci/install-clients.sh` (apt-get install busybox-static)");
    let file = std::fs::read(path).expect("read busybox");
    // A static executable has no PT_INTERP program header; "/lib64/ld-linux" would be in it.
    assert!(
        !file.windows(15).any(|w| w == b"/lib64/ld-linux"),
        "{path} is dynamically linked; this test needs busybox-static"
    );
    path
}

#[test]
fn busybox_ip_applet() {
    require_seccomp!();
    let bb = busybox();
    let host = run_support::host_links();
    for u in users() {
        let dir = TempDir::new("busybox");
        let state = dir.path("s.json");
        let st = state.to_str().expect("utf-8 path");
        let step = |args: &[&str]| {
            let mut full = vec!["--state", st, "--"];
            full.push(bb);
            full.extend_from_slice(args);
            nlsim_run(u, &dir.0, &full)
        };

        // The first run creates the netdevsim ports; busybox lists them from netlink.
        let out = nlsim_run(
            u,
            &dir.0,
            &[
                "--state",
                st,
                "--netdevsim",
                "1:2",
                "--",
                bb,
                "ip",
                "link",
                "show",
            ],
        )
        .ok("busybox ip link show");
        assert_eq!(link_names(&out), ["lo", "eth0", "eth1"], "{u:?}: {out}");
        assert!(out.contains("2: eth0: <BROADCAST"), "{u:?}: {out}");
        // The names match the simulator's; the host may have eth0 too, not more.
        for h in host
            .iter()
            .filter(|h| !["lo", "eth0", "eth1"].contains(&h.as_str()))
        {
            assert!(
                !out.contains(&format!(" {h}:")),
                "{u:?}: host {h} leaked: {out}"
            );
        }

        // Flags and MTU go through ioctls on an AF_INET socket; the rest is netlink.
        for args in [
            &["ip", "link", "set", "eth0", "up"][..],
            &["ip", "link", "set", "eth1", "mtu", "1400"],
            &["ip", "link", "add", "br0", "type", "bridge"],
            &["ip", "link", "set", "eth0", "master", "br0"],
            // The applet sends an empty IFLA_INFO_DATA and no peer: the peer is veth%d.
            &["ip", "link", "add", "v0", "type", "veth"],
            &["ip", "link", "add", "d0", "type", "dummy"],
            &["ip", "link", "delete", "d0"],
        ] {
            step(args).ok(&format!("{u:?}: busybox {}", args.join(" ")));
        }

        // Renaming uses SIOCSIFNAME, a legacy ioctl the simulator refuses (never the host's).
        let r = step(&["ip", "link", "set", "eth1", "name", "wan0"]);
        assert_ne!(r.code, 0, "{u:?}: rename succeeded?");
        assert!(
            r.stderr
                .contains("nlsim: ioctl SIOCSIFNAME (0x8923) not modelled"),
            "{u:?}: {}",
            r.stderr
        );

        // busybox's own view after the changes.
        let out = step(&["ip", "-o", "link", "show"]).ok("busybox ip -o link show");
        assert_eq!(
            link_names(&out),
            ["lo", "eth0", "eth1", "br0", "veth0", "v0"],
            "{u:?}: {out}"
        );
        assert!(out.contains("master br0"), "{u:?}: {out}");

        // And iproute2's, from the saved state.
        let links = ip_links(u, &dir.0, &state);
        assert_eq!(
            index_names(&links),
            [
                (1, "lo".to_string()),
                (2, "eth0".to_string()),
                (3, "eth1".to_string()),
                (4, "br0".to_string()),
                (5, "veth0".to_string()),
                (6, "v0".to_string()),
            ],
            "{u:?}"
        );
        let eth0 = link(&links, "eth0");
        assert!(has_flag(eth0, "UP"), "{u:?}: {eth0}");
        assert_eq!(eth0["master"], "br0", "{u:?}: {eth0}");
        assert_eq!(link(&links, "eth1")["mtu"], 1400, "{u:?}");
        assert_eq!(link(&links, "v0")["link"], "veth0", "{u:?}");
        assert_eq!(
            link(&links, "veth0")["linkinfo"]["info_kind"],
            "veth",
            "{u:?}"
        );
        assert_eq!(
            link(&links, "br0")["linkinfo"]["info_kind"],
            "bridge",
            "{u:?}"
        );
    }
}
