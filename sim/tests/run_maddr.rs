//! `ip maddr show` under `nlsim run`: iproute2 reads /proc/net/dev_mcast, /proc/net/igmp and
//! /proc/net/igmp6, all three the model's (launcher/src/procnet.rs). The expected listing is
//! the kernel's for the same commands (golden/kernel/6.12/addr4.txt CMD[47], on a dummy named
//! dum0 with addrgenmode none, and addr6.txt CMD[31] for IPv6 autojoin).

mod run_support;
use run_support::{nlsim_run, users, TempDir};

const SETUP: &str = "ip link add dum0 type dummy && ip link set dum0 addrgenmode none && \
                     ip link set dum0 up";

#[test]
fn ip_maddr_lists_the_models_groups() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("maddr");
        let script = format!(
            "{SETUP} && ip addr add 224.1.1.1/32 dev dum0 autojoin && \
             ip -6 addr add ff05::1/128 dev dum0 autojoin && ip maddr show dev dum0 && \
             ip -6 maddr show dev dum0"
        );
        let out = nlsim_run(u, &dir.0, &["--", "sh", "-c", &script]).ok("ip maddr");
        // ff05::1 maps to 33:33:00:00:00:01 like ff02::1: one dev_mc entry with refcount 2
        // (`__hw_addr_add_ex`), which iproute2 prints as `users 2` (reviewed by hand: the
        // kernel's transcripts show each family's autojoin on its own).
        assert_eq!(
            out,
            "2:\tdum0\n\
             \tlink  33:33:00:00:00:01 users 2\n\
             \tlink  01:00:5e:00:00:01\n\
             \tlink  01:00:5e:01:01:01\n\
             \tinet  224.1.1.1\n\
             \tinet  224.0.0.1\n\
             \tinet6 ff05::1\n\
             \tinet6 ff02::1\n\
             \tinet6 ff01::1\n\
             2:\tdum0\n\
             \tinet6 ff05::1\n\
             \tinet6 ff02::1\n\
             \tinet6 ff01::1\n",
            "{u:?}"
        );
    }
}

/// `ip maddr add/del` (SIOCADDMULTI / SIOCDELMULTI, `dev_mc_add_global`): the same commands as
/// golden/kernel/6.12/maddr.txt CMD[29]-[35] (there on a netdevsim port): a second add of a
/// static entry changes nothing, a del of a missing one fails with ENOENT (rc 1), and a device
/// without `ndo_set_rx_mode` (lo) answers EINVAL (`dev_ifsioc`, reviewed by hand).
#[test]
fn ip_maddr_add_and_del_are_static_entries() {
    require_seccomp!();
    for u in users() {
        let dir = TempDir::new("maddr-add");
        let script = format!(
            "{SETUP} && ip maddr add 01:00:5e:01:02:03 dev dum0 && \
             ip maddr add 33:33:00:00:01:02 dev dum0 && \
             ip maddr add 33:33:00:00:01:02 dev dum0 && ip maddr show dev dum0 && \
             ip maddr del 33:33:00:00:01:02 dev dum0 && \
             {{ ip maddr del 33:33:00:00:09:09 dev dum0 2>&1; echo rc=$?; }} && \
             ip -0 maddr show dev dum0 && grep dum0 /proc/net/dev_mcast && \
             {{ ip maddr add 01:00:5e:00:00:09 dev lo 2>&1; echo rc=$?; }}"
        );
        let out = nlsim_run(u, &dir.0, &["--", "sh", "-c", &script]).ok("ip maddr add/del");
        assert_eq!(
            out,
            "2:\tdum0\n\
             \tlink  33:33:00:00:00:01\n\
             \tlink  01:00:5e:00:00:01\n\
             \tlink  01:00:5e:01:02:03 static\n\
             \tlink  33:33:00:00:01:02 static\n\
             \tinet  224.0.0.1\n\
             \tinet6 ff02::1\n\
             \tinet6 ff01::1\n\
             ioctl: No such file or directory\n\
             rc=1\n\
             2:\tdum0\n\
             \tlink  33:33:00:00:00:01\n\
             \tlink  01:00:5e:00:00:01\n\
             \tlink  01:00:5e:01:02:03 static\n\
             2    dum0            1     0     333300000001\n\
             2    dum0            1     0     01005e000001\n\
             2    dum0            1     1     01005e010203\n\
             ioctl: Invalid argument\n\
             rc=1\n",
            "{u:?}"
        );
    }
}
