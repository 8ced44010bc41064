//! glibc's interface functions (netlink inside glibc, and ioctls) under `nlsim run`.

mod run_support;
use run_support::{nlsim_run, run, users, TempDir};
use std::path::PathBuf;
use std::process::Command;

const PROGRAM: &str = r#"
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int req(int fd, unsigned long r, const char *name, struct ifreq *ifr) {
    memset(ifr, 0, sizeof *ifr);
    strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
    return ioctl(fd, r, ifr);
}

int main(void) {
    struct ifaddrs *ifa, *p;
    if (getifaddrs(&ifa) != 0) {
        printf("getifaddrs errno %d\n", errno);
    } else {
        for (p = ifa; p; p = p->ifa_next) printf("ifaddr %s\n", p->ifa_name);
        freeifaddrs(ifa);
    }
    printf("nametoindex lo=%u eth0=%u eth1=%u missing=%u\n", if_nametoindex("lo"),
           if_nametoindex("eth0"), if_nametoindex("eth1"), if_nametoindex("nlsimnone0"));
    char buf[IF_NAMESIZE];
    printf("indextoname 3=%s 99=%s\n", if_indextoname(3, buf) ? buf : "-",
           if_indextoname(99, buf) ? buf : "-");
    struct if_nameindex *ni = if_nameindex(), *q;
    for (q = ni; q && q->if_index; q++) printf("nameindex %u %s\n", q->if_index, q->if_name);
    if (ni) if_freenameindex(ni);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    req(fd, SIOCGIFFLAGS, "eth0", &ifr);
    printf("flags-before up=%d\n", !!(ifr.ifr_flags & IFF_UP));
    ifr.ifr_flags |= IFF_UP;
    printf("set-up rc=%d\n", ioctl(fd, SIOCSIFFLAGS, &ifr));
    req(fd, SIOCGIFFLAGS, "eth0", &ifr);
    printf("flags-after up=%d\n", !!(ifr.ifr_flags & IFF_UP));
    req(fd, SIOCGIFMTU, "eth0", &ifr);
    printf("mtu %d\n", ifr.ifr_mtu);
    req(fd, SIOCGIFMTU, "eth0", &ifr);
    ifr.ifr_mtu = 1400;
    printf("set-mtu rc=%d\n", ioctl(fd, SIOCSIFMTU, &ifr));
    req(fd, SIOCGIFMTU, "eth0", &ifr);
    printf("mtu %d\n", ifr.ifr_mtu);
    req(fd, SIOCGIFTXQLEN, "lo", &ifr);
    printf("txqlen lo %d\n", ifr.ifr_qlen);
    req(fd, SIOCGIFHWADDR, "lo", &ifr);
    printf("hwaddr lo family %d\n", ifr.ifr_hwaddr.sa_family);
    int r = req(fd, SIOCGIFINDEX, "nlsimnone0", &ifr);
    printf("missing rc=%d errno=%s\n", r, r ? strerror(errno) : "-");
    struct ifconf ifc = {0};
    printf("ifconf rc=%d len=%d\n", ioctl(fd, SIOCGIFCONF, &ifc), ifc.ifc_len);
    close(fd);
    return 0;
}
"#;

/// `source` compiled into `dir/name`; `None` (the caller skips) without a C compiler.
fn compile(dir: &TempDir, name: &str, source: &str) -> Option<PathBuf> {
    let src = dir.path(&format!("{name}.c"));
    std::fs::write(&src, source).expect("write C source");
    let bin = dir.path(name);
    match Command::new("cc").arg("-o").arg(&bin).arg(&src).output() {
        Ok(o) if o.status.success() => Some(bin),
        Ok(o) => panic!("cc failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            println!("SKIPPED: no C compiler: {e}");
            None
        }
    }
}

#[test]
fn getifaddrs_if_nametoindex_and_ioctls() {
    require_seccomp!();
    let dir = TempDir::new("glibc");
    let Some(bin) = compile(&dir, "ifs", PROGRAM) else {
        return;
    };
    let bin = bin.to_str().expect("utf-8 path");
    // Natively the program sees the host; under nlsim only the simulator.
    let native = run(Command::new(bin)).ok("native");
    for u in users() {
        let out = nlsim_run(u, &dir.0, &["--netdevsim", "1:2", "--", bin]).ok("ifs");
        let has = |s: &str| {
            assert!(
                out.contains(s),
                "{u:?}: missing {s:?} in\n{out}\n(native:\n{native})"
            )
        };
        has("nametoindex lo=1 eth0=2 eth1=3 missing=0\n");
        has("indextoname 3=eth1 99=-\n");
        has("nameindex 1 lo\nnameindex 2 eth0\nnameindex 3 eth1\n");
        assert!(!out.contains("nameindex 4"), "{u:?}: {out}");
        has("flags-before up=0\nset-up rc=0\nflags-after up=1\n");
        has("mtu 1500\nset-mtu rc=0\nmtu 1400\n");
        has("txqlen lo 1000\n");
        has("hwaddr lo family 772\n"); // ARPHRD_LOOPBACK
        has("missing rc=-1 errno=No such device\n");
        has("ifconf rc=0 len=");
        // getifaddrs: the link dump (one AF_PACKET entry per link) and the address dump,
        // which is empty while no device has been up: exactly the simulated links.
        let ifaddrs: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("ifaddr "))
            .collect();
        assert_eq!(ifaddrs, ["lo", "eth0", "eth1"], "{u:?}: {out}");
    }
}

/// getifaddrs's address entries (glibc's RTM_GETADDR dump, netlink inside libc): family,
/// address, netmask (from ifa_prefixlen) and ifa_broadaddr. glibc fills ifa_broadaddr from the
/// attributes the kernel sends (inet_fill_ifaddr: IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST): with
/// both IFA_ADDRESS and IFA_LOCAL it takes IFA_ADDRESS for the peer (so 127.0.0.1, which has no
/// IFA_BROADCAST, is its own "broadcast"), then IFA_BROADCAST overwrites it; IPv6 sends
/// IFA_ADDRESS alone (inet6_fill_ifaddr without a peer): no ifa_broadaddr.
const ADDRS_PROGRAM: &str = r#"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

static const char *str(const struct sockaddr *sa, char *buf) {
    if (!sa) return "-";
    if (sa->sa_family == AF_INET)
        return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, 64);
    if (sa->sa_family == AF_INET6)
        return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, 64);
    return "?";
}

int main(void) {
    struct ifaddrs *ifa, *p;
    if (getifaddrs(&ifa) != 0) {
        perror("getifaddrs");
        return 1;
    }
    for (p = ifa; p; p = p->ifa_next) {
        char a[64], m[64], b[64];
        if (!p->ifa_addr) continue;
        int fam = p->ifa_addr->sa_family;
        if (fam == AF_PACKET) {
            printf("packet %s\n", p->ifa_name);
            continue;
        }
        const char *kind = (p->ifa_flags & IFF_POINTOPOINT) ? "peer" : "brd";
        printf("%s %s %s mask %s %s %s", fam == AF_INET ? "inet" : "inet6", p->ifa_name,
               str(p->ifa_addr, a), str(p->ifa_netmask, m), kind, str(p->ifa_broadaddr, b));
        if (fam == AF_INET6)
            printf(" scope_id %s",
                   ((struct sockaddr_in6 *)p->ifa_addr)->sin6_scope_id ? "ifindex" : "0");
        printf("\n");
    }
    freeifaddrs(ifa);
    return 0;
}
"#;

/// The addresses `ip addr add` gave are the ones glibc's getifaddrs reports, with netmask and
/// broadcast. lo up brings 127.0.0.1/8 and ::1 (inetdev_event, addrconf_notify: NETDEV_UP);
/// a dummy is IFF_NOARP, so its IPv6 addresses skip DAD (addrconf_dad_begin) and are listed at
/// once, its link-local one (fe80::/64 from the EUI-64 of the random MAC) included.
#[test]
fn getifaddrs_lists_ipv4_and_ipv6_addresses() {
    require_seccomp!();
    let dir = TempDir::new("glibc-addrs");
    let Some(bin) = compile(&dir, "addrs", ADDRS_PROGRAM) else {
        return;
    };
    let script = format!(
        "ip link set lo up && ip link add d0 type dummy && ip link set d0 up && \
         ip addr add 192.0.2.1/24 brd + dev d0 && ip addr add 198.51.100.1 peer 198.51.100.2 dev d0 && \
         ip addr add 2001:db8::1/64 dev d0 && {}",
        bin.display()
    );
    for u in users() {
        let out = nlsim_run(u, &dir.0, &["--", "sh", "-c", &script]).ok("getifaddrs");
        let lines: Vec<&str> = out.lines().collect();
        // The link dump first (AF_PACKET), then the address dump: IPv4 of every link, then IPv6
        // (rtnl_dump_all walks the families in order), each in the device's list order.
        let fe80 = lines
            .iter()
            .find(|l| l.starts_with("inet6 d0 fe80::"))
            .unwrap_or_else(|| panic!("{u:?}: no link-local address on d0:\n{out}"));
        assert!(
            fe80.ends_with(" mask ffff:ffff:ffff:ffff:: brd - scope_id ifindex"),
            "{u:?}: {fe80}"
        );
        let expect = [
            "packet lo",
            "packet d0",
            "inet lo 127.0.0.1 mask 255.0.0.0 brd 127.0.0.1",
            "inet d0 192.0.2.1 mask 255.255.255.0 brd 192.0.2.255",
            "inet d0 198.51.100.1 mask 255.255.255.255 brd 198.51.100.2",
            "inet6 lo ::1 mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff brd - scope_id 0",
            "inet6 d0 2001:db8::1 mask ffff:ffff:ffff:ffff:: brd - scope_id 0",
            fe80,
        ];
        assert_eq!(lines, expect, "{u:?}:\n{out}");
    }
}
