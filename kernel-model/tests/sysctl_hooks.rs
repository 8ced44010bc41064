//! The effects of /proc/sys/net writes on the rest of the model: addr_gen_mode regenerates
//! the link-local (`addrconf_sysctl_addr_gen_mode` → `addrconf_init_auto_addrs`),
//! disable_ipv6 takes the addresses away (`dev_disable_change`), stable-privacy
//! identifiers (`ipv6_generate_stable_address`), and the neighbour tunables
//! (`neigh_sysctl_template`, net/core/neighbour.c).

mod common;
use common::{boot, dev};
use kernel_model::{Kernel, NetnsId};

fn write(k: &mut Kernel, ns: NetnsId, path: &str, text: &str) -> Result<usize, i32> {
    let r = k
        .sysctl_write(ns, path, text.as_bytes(), 0)
        .map_err(|e| e.errno);
    k.check_invariants().unwrap();
    r
}

fn read(k: &Kernel, ns: NetnsId, path: &str) -> String {
    k.sysctl_read(ns, path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn link_locals(k: &Kernel, ns: NetnsId, name: &str) -> Vec<std::net::Ipv6Addr> {
    let id = dev(k, ns, name);
    k.in6_dev_addrs(id)
        .iter()
        .map(|a| a.addr)
        .filter(|a| a.segments()[0] == 0xfe80)
        .collect()
}

#[test]
fn addr_gen_mode_regenerates_and_disable_ipv6_removes() {
    let mut k = boot();
    let ns = k.init_net();
    assert!(link_locals(&k, ns, "eth0").is_empty());
    // NONE, then EUI64: addrconf_init_auto_addrs runs even on a down device.
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "1").unwrap();
    assert!(link_locals(&k, ns, "eth0").is_empty());
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "0").unwrap();
    assert_eq!(link_locals(&k, ns, "eth0").len(), 1);
    // dev_disable_change: addrconf_notify(NETDEV_DOWN) removes it; NETDEV_UP on a down
    // device (not link-ready) adds nothing back.
    write(&mut k, ns, "ipv6/conf/eth0/disable_ipv6", "1").unwrap();
    assert!(link_locals(&k, ns, "eth0").is_empty());
    write(&mut k, ns, "ipv6/conf/eth0/disable_ipv6", "0").unwrap();
    assert!(link_locals(&k, ns, "eth0").is_empty());
}

#[test]
fn stable_privacy_link_local_follows_the_secret() {
    let mut k = boot();
    let ns = k.init_net();
    write(&mut k, ns, "ipv6/conf/eth0/stable_secret", "2001:db8::1").unwrap();
    // The secret sets the mode without generating; a change of mode generates.
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "1").unwrap();
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "2").unwrap();
    let first = link_locals(&k, ns, "eth0");
    assert_eq!(first.len(), 1);
    // Same secret, prefix and perm_addr: the same identifier (not random).
    write(&mut k, ns, "ipv6/conf/eth0/disable_ipv6", "1").unwrap();
    write(&mut k, ns, "ipv6/conf/eth0/disable_ipv6", "0").unwrap();
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "1").unwrap();
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "2").unwrap();
    assert_eq!(link_locals(&k, ns, "eth0"), first);
    // Without any secret STABLE_PRIVACY is EINVAL (check_stable_privacy).
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/eth1/addr_gen_mode", "2"),
        Err(kernel_model::uapi::errno::EINVAL)
    );
}

#[test]
fn neighbour_tunables_convert_units() {
    let mut k = boot();
    let ns = k.init_net();
    assert_eq!(
        read(&k, ns, "ipv4/neigh/eth0/base_reachable_time_ms"),
        "30000\n"
    );
    assert_eq!(read(&k, ns, "ipv4/neigh/eth0/base_reachable_time"), "30\n");
    // USER_HZ for arp, plain jiffies for ndisc_ifinfo_sysctl_change's retrans_time.
    assert_eq!(read(&k, ns, "ipv4/neigh/eth0/retrans_time"), "100\n");
    assert_eq!(read(&k, ns, "ipv6/neigh/eth0/retrans_time"), "250\n");
    assert_eq!(read(&k, ns, "ipv4/neigh/default/unres_qlen"), "101\n");
    write(
        &mut k,
        ns,
        "ipv4/neigh/eth0/base_reachable_time_ms",
        "600000",
    )
    .unwrap();
    assert_eq!(read(&k, ns, "ipv4/neigh/eth0/base_reachable_time"), "600\n");
    assert_eq!(
        write(&mut k, ns, "ipv4/neigh/eth0/unres_qlen", "-1"),
        Err(kernel_model::uapi::errno::EINVAL)
    );
    assert!(k.sysctl_read(ns, "ipv4/neigh/nosuch/locktime").is_err());
    assert!(k.sysctl_read(ns, "ipv4/neigh/default/gc_thresh1").is_err());
}
