//! net-tools under `nlsim run`: `ifconfig` sets addresses with the address ioctls
//! (`devinet_ioctl` in the model), lists them with SIOCGIFCONF and the GET ioctls and its
//! inet6 lines from /proc/net/if_inet6; `route -n` reads /proc/net/route.

mod run_support;
use run_support::{nlsim_run, users, TempDir};
use std::path::Path;

const SCRIPT: &str = r#"
ip link add dummy0 type dummy || exit 10
ifconfig dummy0 192.0.2.1 netmask 255.255.255.0 up || exit 11
ifconfig dummy0:1 10.9.8.7 || exit 12
echo "== ifconfig"
ifconfig
echo "== route"
route -n
echo "== if_inet6"
cat /proc/net/if_inet6
echo "== arp"
cat /proc/net/arp
ifconfig dummy0:1 down || exit 13
echo "== after down"
ifconfig dummy0:1
echo "== ip"
ip -4 -o addr show dev dummy0
"#;

#[test]
fn ifconfig_and_route() {
    require_seccomp!();
    if let Some(missing) = ["/usr/sbin/ifconfig", "/usr/sbin/route"]
        .into_iter()
        .find(|p| !Path::new(p).exists())
    {
        println!("SKIPPED: {missing} missing (net-tools: .ci/install-clients.sh)");
        return;
    }
    let dir = TempDir::new("nettools");
    let script = dir.path("ifc.sh");
    std::fs::write(&script, SCRIPT).expect("write script");
    let script = script.to_str().expect("utf-8 path");
    for u in users() {
        let r = nlsim_run(u, &dir.0, &["--", "/bin/sh", script]);
        let stderr = r.stderr.clone();
        let out = r.ok("ifconfig script");
        let has = |s: &str| assert!(out.contains(s), "{u:?}: missing {s:?} in\n{out}");
        has("dummy0: flags=195<UP,BROADCAST,RUNNING,NOARP>  mtu 1500\n");
        has("        inet 192.0.2.1  netmask 255.255.255.0  broadcast 192.0.2.255\n");
        // The alias: classful (10/8), its broadcast from that prefix.
        has("dummy0:1: flags=195<UP,BROADCAST,RUNNING,NOARP>  mtu 1500\n");
        has("        inet 10.9.8.7  netmask 255.0.0.0  broadcast 10.255.255.255\n");
        has("        inet6 fe80::");
        has("  prefixlen 64  scopeid 0x20<link>\n");
        // route -n: the main table, the prefix routes of both addresses.
        has("Kernel IP routing table\n");
        has("10.0.0.0        0.0.0.0         255.0.0.0       U     0      0        0 dummy0\n");
        has("192.0.2.0       0.0.0.0         255.255.255.0   U     0      0        0 dummy0\n");
        // if6_seq_show: dummy0 is ifindex 2, /64, link scope, IFA_F_PERMANENT.
        let inet6: Vec<&str> = out
            .lines()
            .skip_while(|l| *l != "== if_inet6")
            .skip(1)
            .take_while(|l| !l.starts_with("=="))
            .collect();
        assert_eq!(inet6.len(), 1, "{u:?}: {out}");
        assert!(inet6[0].starts_with("fe80000000000000"), "{u:?}: {out}");
        assert!(inet6[0].ends_with(" 02 40 20 80   dummy0"), "{u:?}: {out}");
        has("== arp\nIP address       HW type     Flags       HW address            Mask     Device\n== ");
        // SIOCSIFFLAGS without IFF_UP on the label deleted that address only.
        let after: Vec<&str> = out.lines().skip_while(|l| *l != "== after down").collect();
        assert!(
            !after.iter().any(|l| l.contains("10.9.8.7")),
            "{u:?}: {out}"
        );
        has("inet 192.0.2.1/24 brd 192.0.2.255 scope global dummy0");
        assert!(!stderr.contains("nlsim:"), "{u:?}: refusals:\n{stderr}");
    }
}
