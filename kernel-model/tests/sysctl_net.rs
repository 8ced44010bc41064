//! `/proc/sys/net` per namespace (`kernel_model::sysctl_net`) and the stored configuration it
//! writes (`kernel_model::devconf`): each test names the proc handler or macro its rule comes
//! from (net/ipv4/devinet.c, net/ipv6/addrconf.c, kernel/sysctl.c, include/linux/inetdevice.h).

mod common;
use common::{add_dummy_link, boot, dev};
use kernel_model::devconf::{Ipv4Conf, Ipv6Conf};
use kernel_model::sysctl_net::SysctlNode;
use kernel_model::uapi::errno;
use kernel_model::{Kernel, NetnsId};

const EIO: i32 = 5;

fn read(k: &Kernel, ns: NetnsId, path: &str) -> String {
    k.sysctl_read(ns, path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn write(k: &mut Kernel, ns: NetnsId, path: &str, text: &str) -> Result<usize, i32> {
    let r = k
        .sysctl_write(ns, path, text.as_bytes(), 0)
        .map_err(|e| e.errno);
    k.check_invariants().unwrap();
    r
}

fn add_dummy(k: &mut Kernel, ns: NetnsId, name: &str) {
    add_dummy_link(k, ns, name);
}

#[test]
fn defaults_read_as_the_compiled_tables() {
    let k = boot();
    let ns = k.init_net();
    // ipv4_devconf / ipv4_devconf_dflt: accept_source_route only in default.
    assert_eq!(read(&k, ns, "ipv4/conf/all/accept_source_route"), "0\n");
    assert_eq!(read(&k, ns, "ipv4/conf/default/accept_source_route"), "1\n");
    assert_eq!(read(&k, ns, "ipv4/conf/eth0/promote_secondaries"), "0\n");
    assert_eq!(read(&k, ns, "ipv4/ip_forward"), "0\n");
    // inetdev_event NETDEV_REGISTER: loopback gets NOXFRM / NOPOLICY.
    assert_eq!(read(&k, ns, "ipv4/conf/lo/disable_xfrm"), "1\n");
    // ipv6_devconf (all) has accept_dad 0, ipv6_devconf_dflt 1; proc_dointvec_jiffies shows s.
    assert_eq!(read(&k, ns, "ipv6/conf/all/accept_dad"), "0\n");
    assert_eq!(read(&k, ns, "ipv6/conf/default/accept_dad"), "1\n");
    assert_eq!(
        read(&k, ns, "ipv6/conf/eth0/router_solicitation_interval"),
        "4\n"
    );
    assert_eq!(
        read(&k, ns, "ipv6/conf/eth0/mldv1_unsolicited_report_interval"),
        "10000\n"
    );
    assert_eq!(read(&k, ns, "ipv6/conf/eth0/mtu"), "1500\n");
    assert_eq!(read(&k, ns, "ipv6/conf/eth0/keep_addr_on_down"), "0\n");
    assert_eq!(read(&k, ns, "ipv6/conf/default/addr_gen_mode"), "0\n");
    // proc_douintvec: IOAM6_DEFAULT_IF_ID_WIDE is U32_MAX.
    assert_eq!(read(&k, ns, "ipv6/conf/all/ioam6_id_wide"), "4294967295\n");
}

#[test]
fn tree_lists_and_refuses_the_unmodelled() {
    let k = boot();
    let ns = k.init_net();
    let names = |p: &str| -> Vec<String> {
        k.sysctl_list(ns, p)
            .unwrap()
            .into_iter()
            .map(|e| e.0)
            .collect()
    };
    assert_eq!(
        names("ipv4/conf"),
        ["all", "default", "eth0", "eth1", "eth2", "lo"]
    );
    let keys = names("ipv4/conf/eth0");
    assert_eq!(keys.len(), 33);
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "proc_sys_readdir order"
    );
    assert_eq!(names("ipv6/conf/lo").len(), 62);
    assert_eq!(k.sysctl_lookup(ns, "ipv4/conf/eth0"), Ok(SysctlNode::Dir));
    assert_eq!(
        k.sysctl_lookup(ns, "ipv6/conf/all/stable_secret"),
        Ok(SysctlNode::File { mode: 0o600 })
    );
    assert_eq!(
        k.sysctl_lookup(ns, "ipv4/conf/nope/forwarding")
            .map_err(|e| e.errno),
        Err(errno::ENOENT)
    );
    assert_eq!(
        k.sysctl_lookup(ns, "ipv4/conf/eth0/nope")
            .map_err(|e| e.errno),
        Err(errno::ENOENT)
    );
    let e = k.sysctl_lookup(ns, "core/somaxconn").unwrap_err();
    assert_eq!(e.errno, errno::EOPNOTSUPP);
    assert!(e
        .msg
        .unwrap()
        .starts_with("nlsim: /proc/sys/net/core/somaxconn"));
}

#[test]
fn proc_dointvec_parsing() {
    let mut k = boot();
    let ns = k.init_net();
    let p = "ipv4/conf/eth0/arp_ignore";
    assert_eq!(write(&mut k, ns, p, "2\n"), Ok(2));
    assert_eq!(read(&k, ns, p), "2\n");
    // strtoul base 0: hex and octal; leading spaces.
    assert_eq!(write(&mut k, ns, p, "  0x10"), Ok(6));
    assert_eq!(read(&k, ns, p), "16\n");
    assert_eq!(write(&mut k, ns, p, "010\n"), Ok(4));
    assert_eq!(read(&k, ns, p), "8\n");
    assert_eq!(write(&mut k, ns, p, "-3\n"), Ok(3));
    assert_eq!(read(&k, ns, p), "-3\n");
    // Not a number, a bad trailer, only spaces, out of int range: EINVAL, value kept.
    for bad in ["abc", "1x", "  \n", "2147483648", "99999999999999999999999"] {
        assert_eq!(write(&mut k, ns, p, bad), Err(errno::EINVAL), "{bad:?}");
    }
    assert_eq!(read(&k, ns, p), "-3\n");
    // One value taken: the rest is not consumed.
    assert_eq!(write(&mut k, ns, p, "1 2"), Ok(2));
    // sysctl_writes_strict: a write past position 0 is ignored, its bytes taken.
    assert_eq!(k.sysctl_write(ns, p, b"5", 3).unwrap(), 1);
    assert_eq!(read(&k, ns, p), "1\n");
    // mc_forwarding is 0444: root cannot write it either.
    assert_eq!(
        write(&mut k, ns, "ipv4/conf/eth0/mc_forwarding", "1"),
        Err(errno::EACCES)
    );
}

#[test]
fn ipv4_default_reaches_devices_that_did_not_write_the_key() {
    let mut k = boot();
    let ns = k.init_net();
    // devinet_conf_proc: set_bit on eth0's state, then devinet_copy_dflt_conf skips eth0.
    write(&mut k, ns, "ipv4/conf/eth0/arp_announce", "1").unwrap();
    write(&mut k, ns, "ipv4/conf/default/arp_announce", "2").unwrap();
    assert_eq!(read(&k, ns, "ipv4/conf/eth0/arp_announce"), "1\n");
    assert_eq!(read(&k, ns, "ipv4/conf/eth1/arp_announce"), "2\n");
    // Even a failed write marks the key written on the device.
    assert_eq!(
        write(&mut k, ns, "ipv4/conf/eth2/arp_notify", "x"),
        Err(errno::EINVAL)
    );
    write(&mut k, ns, "ipv4/conf/default/arp_notify", "1").unwrap();
    assert_eq!(read(&k, ns, "ipv4/conf/eth2/arp_notify"), "0\n");
    assert_eq!(read(&k, ns, "ipv4/conf/eth1/arp_notify"), "1\n");
    // inetdev_init: a new device copies the namespace's default.
    add_dummy(&mut k, ns, "dummy0");
    assert_eq!(read(&k, ns, "ipv4/conf/dummy0/arp_announce"), "2\n");
    let d0 = dev(&k, ns, "dummy0");
    assert_eq!(
        k.fill(d0).ipv4_devconf().unwrap()[Ipv4Conf::ArpAnnounce.index()],
        2
    );
}

#[test]
fn ipv4_forwarding_all_and_ip_forward() {
    let mut k = boot();
    let ns = k.init_net();
    // ip_forward is conf/all/forwarding (ctl_forward_entry); inet_forward_change.
    write(&mut k, ns, "ipv4/ip_forward", "1\n").unwrap();
    assert_eq!(read(&k, ns, "ipv4/conf/all/forwarding"), "1\n");
    assert_eq!(read(&k, ns, "ipv4/conf/default/forwarding"), "1\n");
    assert_eq!(read(&k, ns, "ipv4/conf/eth1/forwarding"), "1\n");
    assert_eq!(read(&k, ns, "ipv4/conf/all/accept_redirects"), "0\n");
    assert_eq!(k.ipv4_devconf_all(ns, Ipv4Conf::Forwarding), 1);
    // conf/default/forwarding alone does not reach existing devices.
    write(&mut k, ns, "ipv4/conf/default/forwarding", "0").unwrap();
    assert_eq!(read(&k, ns, "ipv4/conf/eth1/forwarding"), "1\n");
    write(&mut k, ns, "ipv4/conf/eth0/forwarding", "0").unwrap();
    assert_eq!(read(&k, ns, "ipv4/ip_forward"), "1\n");
}

#[test]
fn in_dev_conf_combines_with_all() {
    let mut k = boot();
    let ns = k.init_net();
    let eth0 = dev(&k, ns, "eth0");
    // IN_DEV_ORCONF: promote_secondaries from all or the device.
    assert_eq!(k.in_dev_conf(eth0, Ipv4Conf::PromoteSecondaries), 0);
    write(&mut k, ns, "ipv4/conf/all/promote_secondaries", "1").unwrap();
    assert_eq!(k.in_dev_conf(eth0, Ipv4Conf::PromoteSecondaries), 1);
    // IN_DEV_MAXCONF: arp_ignore.
    write(&mut k, ns, "ipv4/conf/all/arp_ignore", "2").unwrap();
    write(&mut k, ns, "ipv4/conf/eth0/arp_ignore", "1").unwrap();
    assert_eq!(k.in_dev_conf(eth0, Ipv4Conf::ArpIgnore), 2);
    // IN_DEV_ANDCONF: accept_source_route is 0 in all.
    assert_eq!(k.in_dev_conf(eth0, Ipv4Conf::AcceptSourceRoute), 0);
    // IN_DEV_CONF_GET: tag is the device's own.
    write(&mut k, ns, "ipv4/conf/all/tag", "7").unwrap();
    assert_eq!(k.in_dev_conf(eth0, Ipv4Conf::Tag), 0);
}

#[test]
fn ipv6_handlers() {
    let mut k = boot();
    let ns = k.init_net();
    add_dummy(&mut k, ns, "dummy0");
    // addrconf_sysctl_addr_gen_mode: check_addr_gen_mode; STABLE_PRIVACY needs a secret.
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/dummy0/addr_gen_mode", "9"),
        Err(errno::EINVAL)
    );
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/dummy0/addr_gen_mode", "2"),
        Err(errno::EINVAL)
    );
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/dummy0/addr_gen_mode", "-1"),
        Err(errno::EINVAL)
    );
    write(&mut k, ns, "ipv6/conf/dummy0/addr_gen_mode", "1").unwrap();
    let d0 = dev(&k, ns, "dummy0");
    assert_eq!(k.fill(d0).inet6_devconf().unwrap().addr_gen_mode, 1);
    // addrconf_sysctl_mtu: IPV6_MIN_MTU .. dev->mtu.
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/dummy0/mtu", "1279"),
        Err(errno::EINVAL)
    );
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/dummy0/mtu", "1501"),
        Err(errno::EINVAL)
    );
    write(&mut k, ns, "ipv6/conf/dummy0/mtu", "1400").unwrap();
    assert_eq!(k.in6_dev_conf(d0, Ipv6Conf::Mtu6), 1400);
    // proc_dointvec_minmax: hop_limit 1..255.
    assert_eq!(
        write(&mut k, ns, "ipv6/conf/dummy0/hop_limit", "0"),
        Err(errno::EINVAL)
    );
    // proc_dointvec_jiffies: seconds; proc_dointvec_ms_jiffies rounds up to a jiffy (HZ 250).
    write(
        &mut k,
        ns,
        "ipv6/conf/dummy0/router_solicitation_delay",
        "3",
    )
    .unwrap();
    assert_eq!(k.in6_dev_conf(d0, Ipv6Conf::RtrSolicitDelay), 3000);
    write(
        &mut k,
        ns,
        "ipv6/conf/dummy0/mldv2_unsolicited_report_interval",
        "1001",
    )
    .unwrap();
    assert_eq!(
        read(&k, ns, "ipv6/conf/dummy0/mldv2_unsolicited_report_interval"),
        "1004\n"
    );
    // The IFLA_INET6_CONF array reports what was written.
    let conf = k.fill(d0).inet6_devconf().unwrap().conf;
    assert_eq!(conf[Ipv6Conf::Mtu6.index()], 1400);
    assert_eq!(conf[Ipv6Conf::RtrSolicitDelay.index()], 3000);
}

#[test]
fn ipv6_all_and_default() {
    let mut k = boot();
    let ns = k.init_net();
    let eth0 = dev(&k, ns, "eth0");
    // addrconf_ifdown: all's keep_addr_on_down unless 0, then the device's.
    write(&mut k, ns, "ipv6/conf/eth0/keep_addr_on_down", "1").unwrap();
    assert_eq!(k.in6_dev_conf(eth0, Ipv6Conf::KeepAddrOnDown), 1);
    write(&mut k, ns, "ipv6/conf/all/keep_addr_on_down", "-1").unwrap();
    assert_eq!(k.in6_dev_conf(eth0, Ipv6Conf::KeepAddrOnDown), -1);
    // addrconf_disable_ipv6: all sets default and every device.
    write(&mut k, ns, "ipv6/conf/all/disable_ipv6", "1").unwrap();
    assert_eq!(read(&k, ns, "ipv6/conf/default/disable_ipv6"), "1\n");
    assert_eq!(read(&k, ns, "ipv6/conf/eth2/disable_ipv6"), "1\n");
    // A plain IPv6 default write reaches only new devices (ipv6_add_dev's memcpy).
    write(&mut k, ns, "ipv6/conf/default/dad_transmits", "3").unwrap();
    assert_eq!(read(&k, ns, "ipv6/conf/eth1/dad_transmits"), "1\n");
    add_dummy(&mut k, ns, "dummy0");
    assert_eq!(read(&k, ns, "ipv6/conf/dummy0/dad_transmits"), "3\n");
    // ipv6_add_dev still sets accept_dad -1 on an IFF_NOARP device.
    assert_eq!(read(&k, ns, "ipv6/conf/dummy0/accept_dad"), "-1\n");
    // addrconf_fixup_forwarding: all sets default and every device.
    write(&mut k, ns, "ipv6/conf/all/forwarding", "1").unwrap();
    assert_eq!(read(&k, ns, "ipv6/conf/default/forwarding"), "1\n");
    assert_eq!(read(&k, ns, "ipv6/conf/lo/forwarding"), "1\n");
}

#[test]
fn stable_secret() {
    let mut k = boot();
    let ns = k.init_net();
    // addrconf_sysctl_stable_secret: all is EIO both ways; unset reads EIO.
    let all = "ipv6/conf/all/stable_secret";
    assert_eq!(k.sysctl_read(ns, all).map_err(|e| e.errno), Err(EIO));
    assert_eq!(write(&mut k, ns, all, "::1\n"), Err(EIO));
    let p = "ipv6/conf/eth0/stable_secret";
    assert_eq!(k.sysctl_read(ns, p).map_err(|e| e.errno), Err(EIO));
    assert_eq!(write(&mut k, ns, p, "not-an-address\n"), Err(EIO));
    assert_eq!(write(&mut k, ns, p, "2001:db8::1\n"), Ok(12));
    assert_eq!(read(&k, ns, p), "2001:0db8:0000:0000:0000:0000:0000:0001\n");
    let eth0 = dev(&k, ns, "eth0");
    assert_eq!(k.in6_dev_conf(eth0, Ipv6Conf::AddrGenMode), 2);
    // Now STABLE_PRIVACY passes check_stable_privacy on eth0.
    write(&mut k, ns, "ipv6/conf/eth0/addr_gen_mode", "2").unwrap();
    // The default's secret makes every device STABLE_PRIVACY, and new ones too.
    write(&mut k, ns, "ipv6/conf/default/stable_secret", "fe80::2").unwrap();
    let eth1 = dev(&k, ns, "eth1");
    assert_eq!(k.in6_dev_conf(eth1, Ipv6Conf::AddrGenMode), 2);
    add_dummy(&mut k, ns, "dummy0");
    let d0 = dev(&k, ns, "dummy0");
    assert_eq!(k.in6_dev_conf(d0, Ipv6Conf::AddrGenMode), 2);
}

#[test]
fn namespaces_have_their_own_tree() {
    let mut k = boot();
    let init = k.init_net();
    write(&mut k, init, "ipv4/conf/default/arp_ignore", "1").unwrap();
    write(&mut k, init, "ipv6/conf/default/hop_limit", "9").unwrap();
    // devinet_init_net copies init_net's IPv4 all/default; addrconf_init_net uses the
    // compiled IPv6 values.
    let ns = k.netns_new();
    assert_eq!(read(&k, ns, "ipv4/conf/default/arp_ignore"), "1\n");
    assert_eq!(read(&k, ns, "ipv4/conf/lo/arp_ignore"), "1\n");
    assert_eq!(read(&k, ns, "ipv6/conf/default/hop_limit"), "64\n");
    write(&mut k, ns, "ipv4/ip_forward", "1").unwrap();
    assert_eq!(read(&k, init, "ipv4/ip_forward"), "0\n");
    assert_eq!(
        k.sysctl_lookup(ns, "ipv4/conf/eth0").map_err(|e| e.errno),
        Err(errno::ENOENT)
    );
}

#[test]
fn stored_configuration_survives_the_state_file() {
    let mut k = boot();
    let ns = k.init_net();
    write(&mut k, ns, "ipv4/conf/eth0/arp_ignore", "2").unwrap();
    write(&mut k, ns, "ipv6/conf/all/forwarding", "1").unwrap();
    // Namespaces holding the compiled values leave them out of the state file.
    let fresh = serde_json::to_string(&boot()).unwrap();
    assert!(!fresh.contains("v4_all"), "{fresh}");
    let json = serde_json::to_string(&k).unwrap();
    let k2: Kernel = serde_json::from_str(&json).unwrap();
    k2.validate().unwrap();
    assert_eq!(read(&k2, ns, "ipv4/conf/eth0/arp_ignore"), "2\n");
    assert_eq!(read(&k2, ns, "ipv6/conf/eth1/forwarding"), "1\n");
}

#[test]
fn devconf_inherit_init_net() {
    let mut k = boot();
    let init = k.init_net();
    let p = "core/devconf_inherit_init_net";
    assert_eq!(read(&k, init, p), "0\n");
    write(&mut k, init, "ipv4/conf/default/rp_filter", "2").unwrap();
    write(&mut k, init, "ipv6/conf/default/hop_limit", "9").unwrap();
    // 1: IPv6 copies init_net's too (addrconf_init_net).
    write(&mut k, init, p, "1").unwrap();
    let ns = k.netns_new();
    assert_eq!(read(&k, ns, "ipv4/conf/default/rp_filter"), "2\n");
    assert_eq!(read(&k, ns, "ipv6/conf/default/hop_limit"), "9\n");
    // The file is init_net's only (net_core_table).
    assert_eq!(
        k.sysctl_read(ns, p).map_err(|e| e.errno),
        Err(errno::ENOENT)
    );
    // 2: compiled values for both.
    write(&mut k, init, p, "2").unwrap();
    let ns2 = k.netns_new();
    assert_eq!(read(&k, ns2, "ipv4/conf/default/rp_filter"), "0\n");
    assert_eq!(read(&k, ns2, "ipv6/conf/default/hop_limit"), "64\n");
    // proc_dointvec_minmax 0..3; 3 is not modelled.
    assert_eq!(write(&mut k, init, p, "4"), Err(errno::EINVAL));
    assert_eq!(write(&mut k, init, p, "3"), Err(errno::EOPNOTSUPP));
    assert_eq!(read(&k, init, p), "2\n");
}
