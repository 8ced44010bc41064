/* nlsim's receive fast path, preloaded into a target of `nlsim run` (launcher/src/preload.rs).
 *
 * A receive on a simulator netlink socket is a receive on the target's own end of a unix
 * SEQPACKET pair, which holds only the simulator's bytes. The seccomp filter sends every
 * recvmsg/recvfrom to the supervisor, except a recvmsg made from the trampoline page this
 * library maps at NLSIM_TRAMP_ADDR. Receives on an fd the supervisor marked in the table
 * page (NLSIM_TRAMP_ADDR + 4096) as a simulator socket with nothing the trapped path must
 * add go through the trampoline natively; everything else calls libc, which traps as
 * without this library. The supervisor writes the table (process_vm_writev); an entry is
 * checked against the fd's inode (fstat) so a closed and reused fd number never matches. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef NLSIM_TRAMP_ADDR
#error "build.rs passes NLSIM_TRAMP_ADDR"
#endif

#define PAGE 4096UL
#define TABLE_FDS 254
#define TABLE_MAGIC 0x0062617430736c6eULL /* "nls0tab\0" read as little-endian u64 */
/* Flags the fast path gives exactly as the trapped path does. */
#define MAX_RECVMSG_LEN 32768UL
#define FAST_FLAGS (MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT)

struct entry {
	uint64_t ino;      /* the socket's inode (fstat st_ino) */
	uint32_t recv_len; /* receives offering at most this many bytes need not be reported */
	uint32_t ok;       /* nonzero: fast path allowed */
};
struct table {
	uint64_t magic;
	/* Odd while the supervisor serves the simulator (a request being handled may still
	 * overrun a socket); even between. */
	uint64_t serve_seq;
	struct entry e[TABLE_FDS];
};

typedef long (*tramp_fn)(long fd, struct msghdr *msg, long flags);
static tramp_fn tramp;
static volatile struct table *table;
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_recv_chk)(int, void *, size_t, size_t, int);

/* mov eax, SYS_recvmsg; syscall; ret — the arguments are already in rdi, rsi, rdx. */
static const unsigned char code[] = {0xb8, SYS_recvmsg, 0, 0, 0, 0x0f, 0x05, 0xc3};

static void nlsim_recv_child(void)
{
	table->magic = TABLE_MAGIC;
}

__attribute__((constructor)) static void nlsim_recv_init(void)
{
	real_recvmsg = dlsym(RTLD_NEXT, "recvmsg");
	real_recvfrom = dlsym(RTLD_NEXT, "recvfrom");
	real_recv_chk = dlsym(RTLD_NEXT, "__recv_chk");
	if (!real_recvmsg || !real_recvfrom)
		return;
	void *want = (void *)NLSIM_TRAMP_ADDR;
	void *p = mmap(want, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return;
	if (p != want) { /* a kernel before 4.17 took the address as a hint */
		munmap(p, 2 * PAGE);
		return;
	}
	memcpy(p, code, sizeof code);
	if (mprotect(p, PAGE, PROT_READ | PROT_EXEC) != 0)
		return;
	table = (volatile struct table *)((char *)p + PAGE);
	/* A child of fork() is a process the supervisor has not seen: its table starts empty
	 * (the kernel wipes the page), and gets the magic back only through the handler. */
	if (madvise((void *)table, PAGE, MADV_WIPEONFORK) != 0)
		return;
	pthread_atfork(NULL, NULL, nlsim_recv_child);
	table->magic = TABLE_MAGIC;
	tramp = (tramp_fn)p;
}

/* Whether the table's entry for fd allows a receive of `offered` bytes (already clamped);
 * `check_ino`: also that fd is that socket. */
static int entry_allows(int fd, size_t offered, int check_ino)
{
	volatile struct entry *e = &table->e[fd];
	if (!e->ok)
		return 0;
	uint64_t ino = e->ino;
	uint32_t len = e->recv_len;
	if (!e->ok || offered > len)
		return 0;
	if (!check_ino)
		return 1;
	struct stat st;
	return syscall(SYS_fstat, fd, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == ino;
}

/* The trapped path answers a receive after the simulator handled everything sent before
 * it (the kernel handles a request inside sendmsg), so an error those requests leave
 * (sk_err of an overrun) comes before the queue. Natively that holds once the simulator
 * has read all this socket sent (SIOCOUTQ 0: a unix datagram is freed when read) and no
 * serve is under way (the one that read them is over and marked its errors in the table).
 * Until then the receive waits natively for the reply to arrive, as it would anyway.
 * Returns 1 when settled, 0 to trap instead, -1 with errno for the receive's own failure
 * while waiting (a signal, SO_RCVTIMEO). */
static int settled(int fd, int flags)
{
	for (int round = 0; round < 64; round++) {
		int outq = 0;
		if (ioctl(fd, SIOCOUTQ, &outq) != 0)
			return 0;
		if (outq == 0 && !(table->serve_seq & 1)) {
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			return 1;
		}
		if (flags & MSG_DONTWAIT)
			return 0;
		struct msghdr m = {0};
		long r = tramp(fd, &m, MSG_PEEK | MSG_DONTWAIT);
		if (r == -EAGAIN) {
			/* Nothing queued: wait for it natively (a non-blocking fd says EAGAIN
			 * again: the trapped path answers that). */
			r = tramp(fd, &m, MSG_PEEK);
			if (r == -EINTR || (r == -EAGAIN && !(fcntl(fd, F_GETFL) & O_NONBLOCK))) {
				errno = (int)-r;
				return -1;
			}
			if (r < 0)
				return 0;
			continue;
		}
		if (r < 0)
			return 0;
		sched_yield();
	}
	return 0;
}

/* 1: receive natively; 0: trap (libc); -1: fail with errno. */
static int fast_path(int fd, size_t offered, int flags)
{
	if (!tramp || fd < 0 || fd >= TABLE_FDS || (flags & ~FAST_FLAGS))
		return 0;
	/* The supervisor reports min(offered, MAX_RECVMSG_LEN) (netlink_recvmsg's cap). */
	if (offered > MAX_RECVMSG_LEN)
		offered = MAX_RECVMSG_LEN;
	if (!entry_allows(fd, offered, 1))
		return 0;
	int s = settled(fd, flags);
	if (s <= 0)
		return s;
	/* Read after serve_seq: an entry turned off by that serve is seen off. */
	return entry_allows(fd, offered, 0);
}

static size_t iov_total(const struct iovec *iov, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += iov[i].iov_len;
	return t;
}

/* struct sockaddr_nl{AF_NETLINK, 0, pid 0, groups 0}: the kernel's address, as the
 * supervisor writes it. */
static void put_nl_name(void *name, socklen_t *namelen)
{
	unsigned char sa[12] = {0};
	uint16_t family = AF_NETLINK;
	memcpy(sa, &family, 2);
	if (name) {
		memcpy(name, sa, *namelen < sizeof sa ? *namelen : sizeof sa);
		*namelen = sizeof sa;
	}
}

/* The native receive. msg_control is not passed: the trapped path carries no cmsgs and
 * reports the unix socket's flags (MSG_TRUNC as asked, MSG_CTRUNC as the unix socket
 * sets it without a control buffer). */
static ssize_t fast_recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct msghdr m = {0};
	m.msg_iov = msg->msg_iov;
	m.msg_iovlen = msg->msg_iovlen;
	long r = tramp(fd, &m, flags);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	socklen_t nl = msg->msg_namelen;
	/* ____sys_recvmsg writes msg_namelen only with a name buffer. */
	if (msg->msg_name) {
		put_nl_name(msg->msg_name, &nl);
		msg->msg_namelen = nl;
	}
	msg->msg_controllen = 0;
	msg->msg_flags = m.msg_flags & ~MSG_CMSG_CLOEXEC;
	return r;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	/* Unusual headers (UIO_MAXIOV, a name length the kernel clamps or refuses) trap. */
	if (msg && msg->msg_iovlen <= 1024 && msg->msg_namelen <= 128 &&
	    (msg->msg_iov || !msg->msg_iovlen)) {
		int p = fast_path(fd, iov_total(msg->msg_iov, msg->msg_iovlen), flags);
		if (p < 0)
			return -1;
		if (p)
			return fast_recvmsg(fd, msg, flags);
	}
	return real_recvmsg ? real_recvmsg(fd, msg, flags)
			    : syscall(SYS_recvmsg, fd, msg, flags);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src,
		 socklen_t *srclen)
{
	int p = (src == NULL || (srclen != NULL && *srclen <= 128)) ? fast_path(fd, len, flags) : 0;
	if (p < 0)
		return -1;
	if (p) {
		struct iovec iov = {buf, len};
		struct msghdr m = {0};
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_name = src;
		m.msg_namelen = srclen ? *srclen : 0;
		ssize_t r = fast_recvmsg(fd, &m, flags);
		if (r >= 0 && src)
			*srclen = m.msg_namelen;
		return r;
	}
	return real_recvfrom ? real_recvfrom(fd, buf, len, flags, src, srclen)
			     : syscall(SYS_recvfrom, fd, buf, len, flags, src, srclen);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
	if (len > buflen && real_recv_chk) /* glibc's overflow report */
		return real_recv_chk(fd, buf, len, buflen, flags);
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}
