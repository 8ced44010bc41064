//! glibc's interface functions (netlink inside glibc, and ioctls) under `nlsim run`.

mod run_support;
use run_support::{nlsim_run, run, users, TempDir};
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

#[test]
fn getifaddrs_if_nametoindex_and_ioctls() {
    require_seccomp!();
    let dir = TempDir::new("glibc");
    let src = dir.path("ifs.c");
    std::fs::write(&src, PROGRAM).expect("write C source");
    let bin = dir.path("ifs");
    let cc = Command::new("cc").arg("-o").arg(&bin).arg(&src).output();
    match cc {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!("cc failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            println!("SKIPPED: no C compiler: {e}");
            return;
        }
    }
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
