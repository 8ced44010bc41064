//! net-tools' `ifconfig` over addresses `ip addr add` made, under `nlsim run`. ifconfig reads
//! the links from /proc/net/dev, each IPv4 address with the legacy ioctls SIOCGIFADDR,
//! SIOCGIFNETMASK, SIOCGIFBRDADDR (the model's devinet_ioctl) and the IPv6 ones from
//! /proc/net/if_inet6 (the model's if6_seq_show).
//!
//! ifconfig is required: `bash .ci/install-clients.sh` (apt-get install net-tools).

mod run_support;
use run_support::{nlsim_run, users, TempDir};
use std::path::Path;

/// net-tools' ifconfig (Debian installs it as /usr/sbin/ifconfig; /sbin on merged-usr too).
fn ifconfig() -> &'static str {
    ["/usr/sbin/ifconfig", "/sbin/ifconfig"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("install net-tools: `bash .ci/install-clients.sh` (apt-get install net-tools)")
}

/// A dummy (IFF_NOARP: no DAD, addrconf_dad_begin) with an IPv4 and an IPv6 address.
const SETUP: &str = "ip link add d0 type dummy && ip link set d0 up && \
                     ip addr add 10.0.0.1/24 brd + dev d0 && ip addr add 2001:db8::1/64 dev d0";

/// What the kernel prints (devinet_ioctl answers SIOCGIFADDR/SIOCGIFNETMASK/SIOCGIFBRDADDR from
/// the primary address of the label; if6_seq_show lists the IPv6 addresses in the order of
/// `inet6_addr_lst`'s hash buckets, which the kernel seeds per namespace (`net_hash_mix`), so
/// the two inet6 lines may come in either order).
#[test]
fn ifconfig_lists_addresses() {
    require_seccomp!();
    let ifc = ifconfig();
    for u in users() {
        let dir = TempDir::new("ifconfig");
        let script = format!("{SETUP} && {ifc} d0");
        let out = nlsim_run(u, &dir.0, &["--", "sh", "-c", &script]).ok("ifconfig d0");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[..2],
            [
                "d0: flags=195<UP,BROADCAST,RUNNING,NOARP>  mtu 1500",
                "        inet 10.0.0.1  netmask 255.255.255.0  broadcast 10.0.0.255",
            ],
            "{u:?}: {out}"
        );
        let global = "        inet6 2001:db8::1  prefixlen 64  scopeid 0x0<global>";
        let link_local = |l: &str| {
            l.starts_with("        inet6 fe80::")
                && l.ends_with("  prefixlen 64  scopeid 0x20<link>")
        };
        let v6 = &lines[2..4];
        assert!(
            (v6[0] == global && link_local(v6[1])) || (link_local(v6[0]) && v6[1] == global),
            "{u:?}: {out}"
        );
    }
}
