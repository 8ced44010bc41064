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

/// busybox's `ip addr` and `ip route` (add, show, del, flush): netlink only (RTM_NEWADDR,
/// RTM_NEWROUTE and their dumps). Each step is its own run over the saved state.
#[test]
fn busybox_ip_addr_route() {
    require_seccomp!();
    let bb = busybox();
    for u in users() {
        let dir = TempDir::new("busybox-addr");
        let state = dir.path("s.json");
        let st = state.to_str().expect("utf-8 path");
        let step = |args: &[&str]| {
            let mut full = vec!["--state", st, "--"];
            full.push(bb);
            full.extend_from_slice(args);
            nlsim_run(u, &dir.0, &full)
        };
        for args in [
            &["ip", "link", "add", "d0", "type", "dummy"][..],
            &["ip", "link", "set", "d0", "up"],
            &["ip", "addr", "add", "10.0.0.1/24", "brd", "+", "dev", "d0"],
            &["ip", "addr", "add", "2001:db8::1/64", "dev", "d0"],
            &["ip", "route", "add", "192.0.2.0/24", "via", "10.0.0.254"],
            &[
                "ip",
                "route",
                "add",
                "2001:db8:1::/48",
                "via",
                "2001:db8::fe",
            ],
        ] {
            step(args).ok(&format!("{u:?}: busybox {}", args.join(" ")));
        }

        let out = step(&["ip", "addr", "show", "dev", "d0"]).ok("busybox ip addr show");
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("2: d0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500"),
            "{u:?}: {out}"
        );
        // IPv4 then IPv6 (rtnl_dump_all); IPv6 global before link (ipv6_link_dev_addr orders
        // by scope); a dummy is IFF_NOARP, so no address is tentative (addrconf_dad_begin).
        assert_eq!(
            lines[2..7],
            [
                "    inet 10.0.0.1/24 brd 10.0.0.255 scope global d0",
                "       valid_lft forever preferred_lft forever",
                "    inet6 2001:db8::1/64 scope global ",
                "       valid_lft forever preferred_lft forever",
                lines[6],
            ],
            "{u:?}: {out}"
        );
        assert!(
            lines[6].starts_with("    inet6 fe80::") && lines[6].ends_with("/64 scope link "),
            "{u:?}: {out}"
        );

        // The prefix route of the address (fib_add_ifaddr), with its source.
        let out = step(&["ip", "route", "show"]).ok("busybox ip route show");
        assert_eq!(
            out,
            "10.0.0.0/24 dev d0 scope link  src 10.0.0.1 \n\
             192.0.2.0/24 via 10.0.0.254 dev d0 \n",
            "{u:?}"
        );
        // busybox filters IPv6 by type, not table: the local table's ff00::/8 multicast route
        // (addrconf_add_mroute) shows, the local routes do not.
        let out = step(&["ip", "-6", "route", "show"]).ok("busybox ip -6 route show");
        assert_eq!(
            out,
            "2001:db8::/64 dev d0  metric 256 \n\
             2001:db8:1::/48 via 2001:db8::fe dev d0  metric 1024 \n\
             fe80::/64 dev d0  metric 256 \n\
             multicast ff00::/8 dev d0  metric 256 \n",
            "{u:?}"
        );

        step(&["ip", "route", "del", "192.0.2.0/24"]).ok("busybox ip route del");
        let r = step(&["ip", "route", "del", "192.0.2.0/24"]);
        assert_ne!(r.code, 0, "{u:?}: deleted twice");
        // fib_table_delete: ESRCH.
        assert!(
            r.stderr.contains("RTNETLINK answers: No such process"),
            "{u:?}: {}",
            r.stderr
        );
        step(&["ip", "addr", "del", "10.0.0.1/24", "dev", "d0"]).ok("busybox ip addr del");
        let r = step(&["ip", "addr", "del", "10.0.0.1/24", "dev", "d0"]);
        assert_ne!(r.code, 0, "{u:?}: deleted twice");
        // inet_rtm_deladdr: EADDRNOTAVAIL (busybox does not print the extack message).
        assert!(
            r.stderr
                .contains("RTNETLINK answers: Cannot assign requested address"),
            "{u:?}: {}",
            r.stderr
        );
        // The address took its prefix route with it (fib_del_ifaddr).
        assert_eq!(step(&["ip", "route", "show"]).ok("busybox ip route"), "");
        step(&["ip", "addr", "flush", "dev", "d0"]).ok("busybox ip addr flush");
        let out = step(&["ip", "addr", "show", "dev", "d0"]).ok("busybox ip addr show");
        assert!(!out.contains("inet"), "{u:?}: flushed: {out}");
    }
}
