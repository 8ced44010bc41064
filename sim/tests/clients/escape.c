/* Escape attempts for sim/tests/containment.rs: each mode tries one way past `nlsim run` to
 * the host's network state and prints what it got (never the argument names, so a marker
 * name in the output can only come from the kernel). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Prints a file's content, or a directory's entry names one a line. */
static int dump(int fd, const char *what) {
    struct stat st;
    if (fd < 0) {
        printf("%s errno=%d\n", what, errno);
        return 1;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        char buf[8192];
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                unsigned short reclen = *(unsigned short *)(buf + off + 16);
                const char *name = buf + off + 19;
                if (strcmp(name, ".") && strcmp(name, ".."))
                    printf("entry %s\n", name);
                off += reclen;
            }
        }
        if (n < 0)
            printf("%s getdents errno=%d\n", what, errno);
    } else {
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            fwrite(buf, 1, n, stdout);
        if (n < 0)
            printf("%s read errno=%d\n", what, errno);
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    const char *mode = argv[1];
    if (!strcmp(mode, "uring")) {
        unsigned char params[120] = {0};
        long r = syscall(SYS_io_uring_setup, 4, params);
        printf("io_uring_setup rc=%ld errno=%d\n", r, r < 0 ? errno : 0);
        r = syscall(SYS_io_uring_register, 0, 0, 0, 0);
        printf("io_uring_register rc=%ld errno=%d\n", r, r < 0 ? errno : 0);
        return 0;
    }
    if (!strcmp(mode, "sockopt")) {
        /* The host's firewall and multicast routing tables through an ordinary IP socket:
         * IPT_SO_GET_INFO (64), IPT_SO_SET_REPLACE (64), IP6T_SO_GET_ENTRIES (65),
         * EBT_SO_GET_INFO (128), MRT_INIT (200). */
        int s4 = socket(AF_INET, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
        unsigned char buf[256] = {0};
        socklen_t len = sizeof buf;
        int r = getsockopt(s4, 0, 64, buf, &len);
        printf("ipt_get_info rc=%d errno=%d\n", r, r < 0 ? errno : 0);
        r = setsockopt(s4, 0, 64, buf, sizeof buf);
        printf("ipt_set_replace rc=%d errno=%d\n", r, r < 0 ? errno : 0);
        len = sizeof buf;
        r = getsockopt(s6, 41, 65, buf, &len);
        printf("ip6t_get_entries rc=%d errno=%d\n", r, r < 0 ? errno : 0);
        len = sizeof buf;
        r = getsockopt(s4, 0, 128, buf, &len);
        printf("ebt_get_info rc=%d errno=%d\n", r, r < 0 ? errno : 0);
        int one = 1;
        r = setsockopt(s4, 0, 200, &one, sizeof one);
        printf("mrt_init rc=%d errno=%d\n", r, r < 0 ? errno : 0);
        /* An option of the socket itself stays native. */
        r = setsockopt(s4, 0, 1 /* IP_TOS */, &one, sizeof one);
        printf("ip_tos rc=%d errno=%d\n", r, r < 0 ? errno : 0);
        return 0;
    }
    if (!strcmp(mode, "openat2") && argc == 3) {
        struct open_how how = {.flags = O_RDONLY | O_CLOEXEC};
        return dump(syscall(SYS_openat2, AT_FDCWD, argv[2], &how, sizeof how), "openat2");
    }
    if (!strcmp(mode, "inroot") && argc == 4) {
        /* openat2 with RESOLVE_IN_ROOT: "/net/dev" below a dirfd of /proc/self. */
        int dir = open(argv[2], O_PATH | O_DIRECTORY);
        struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT};
        if (dir < 0) {
            printf("dir errno=%d\n", errno);
            return 1;
        }
        return dump(syscall(SYS_openat2, dir, argv[3], &how, sizeof how), "openat2");
    }
    if (!strcmp(mode, "open") && argc == 3)
        return dump(open(argv[2], O_RDONLY), "open");
    if (!strcmp(mode, "openat") && argc == 4) {
        int dir = open(argv[2], O_PATH | O_DIRECTORY);
        if (dir < 0) {
            printf("dir errno=%d\n", errno);
            return 1;
        }
        return dump(openat(dir, argv[3], O_RDONLY), "openat");
    }
    if (!strcmp(mode, "chdir") && argc == 4) {
        if (chdir(argv[2]) < 0) {
            printf("chdir errno=%d\n", errno);
            return 1;
        }
        return dump(open(argv[3], O_RDONLY), "open");
    }
    if (!strcmp(mode, "symlink") && argc == 4) {
        unlink(argv[3]);
        if (symlink(argv[2], argv[3]) < 0) {
            printf("symlink errno=%d\n", errno);
            return 1;
        }
        return dump(open(argv[3], O_RDONLY), "open");
    }
    if (!strcmp(mode, "ioctl") && argc == 4) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        strncpy(ifr.ifr_name, argv[3], IFNAMSIZ - 1);
        unsigned long req = strtoul(argv[2], NULL, 0);
        int r = ioctl(s, req, &ifr);
        printf("ioctl %#lx rc=%d errno=%d\n", req, r, r < 0 ? errno : 0);
        if (r == 0 && ifr.ifr_addr.sa_family == AF_INET)
            printf("addr %s\n", inet_ntoa(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr));
        return 0;
    }
    if (!strcmp(mode, "packet")) {
        /* AF_PACKET (htons(ETH_P_ALL) = 0x0300): the host's devices, their promiscuity. */
        int s = socket(AF_PACKET, SOCK_RAW, 0x0300);
        printf("packet rc=%d errno=%d\n", s < 0 ? -1 : 0, s < 0 ? errno : 0);
        return 0;
    }
    if (!strcmp(mode, "netlink") && argc == 3) {
        int s = socket(AF_NETLINK, SOCK_RAW, atoi(argv[2]));
        printf("netlink rc=%d errno=%d\n", s < 0 ? -1 : 0, s < 0 ? errno : 0);
        return 0;
    }
    return 2;
}
