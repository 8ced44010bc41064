/* nlbufs: measures a netlink socket's receive-buffer rules on the running kernel (the oracle
 * guest runs it; see run-oracle.sh). One line per observation, so the transcript is the record.
 *
 *   nlbufs flood N RCVBUF   N RTM_GETLINK of lo, unread, then every receive until EAGAIN
 *   nlbufs soerror          SO_RCVBUF 0, 20 GETLINKs, SO_ERROR twice, then the receives
 *   nlbufs empty            a zero-length datagram, then a GETLINK: what comes back
 *   nlbufs batch            one datagram of 32-byte RTM_SETLINK+NLM_F_ACK messages (1 MiB with
 *                           SO_SNDBUFFORCE), the ACKs counted
 *   nlbufs dumpfull         SO_RCVBUF 0, a GETLINK left unread, then a dump request: receives
 *   nlbufs create N         SO_RCVBUF 0, N RTM_NEWLINK (dummy c1..cN, NLM_F_ACK) never read until
 *                           all are sent: the ACKs that come back (the links: `ip link` after)
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif
#ifndef SO_SNDBUFFORCE
#define SO_SNDBUFFORCE 32
#endif

struct req {
	struct nlmsghdr h;
	struct ifinfomsg i;
};

static int sock_open(void)
{
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("socket");
		exit(1);
	}
	return s;
}

static int getint(int s, int opt)
{
	int v = 0;
	socklen_t l = sizeof(v);
	getsockopt(s, SOL_SOCKET, opt, &v, &l);
	return v;
}

static void fill(struct req *r, int type, int flags, int seq, int index)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = sizeof(*r);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = flags;
	r->h.nlmsg_seq = seq;
	r->i.ifi_index = index;
}

/* Every receive until EAGAIN: "ENOBUFS", or each message as TYPE:SEQ[:ERROR]. */
static void drain(int s)
{
	static char buf[1 << 16];
	for (;;) {
		int n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			printf("recv %s\n", errno == ENOBUFS ? "ENOBUFS" : strerror(errno));
			continue;
		}
		printf("recv %d bytes:", n);
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				printf(" ERR%d:%d", h->nlmsg_seq, ((struct nlmsgerr *)NLMSG_DATA(h))->error);
			else
				printf(" %d:%d", h->nlmsg_type, h->nlmsg_seq);
		}
		printf("\n");
	}
}

/* RTM_NEWLINK of dummy `name` with NLM_F_ACK. */
static int newlink(char *buf, const char *name, int seq)
{
	struct nlmsghdr *h = (void *)buf;
	struct ifinfomsg *i = NLMSG_DATA(h);
	memset(buf, 0, 256);
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	h->nlmsg_seq = seq;
	int off = NLMSG_LENGTH(sizeof(*i));
	struct rtattr *a = (void *)(buf + off);
	a->rta_type = IFLA_IFNAME;
	a->rta_len = RTA_LENGTH(strlen(name) + 1);
	strcpy(RTA_DATA(a), name);
	off += RTA_ALIGN(a->rta_len);
	struct rtattr *li = (void *)(buf + off);
	li->rta_type = IFLA_LINKINFO;
	struct rtattr *k = RTA_DATA(li);
	k->rta_type = IFLA_INFO_KIND;
	k->rta_len = RTA_LENGTH(strlen("dummy"));
	memcpy(RTA_DATA(k), "dummy", strlen("dummy"));
	li->rta_len = RTA_LENGTH(RTA_ALIGN(k->rta_len));
	off += RTA_ALIGN(li->rta_len);
	h->nlmsg_len = off;
	return off;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct req r;
	if (!strcmp(mode, "flood") && argc > 3) {
		int n = atoi(argv[2]), v = atoi(argv[3]);
		int s = sock_open();
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
		printf("SO_RCVBUF %d -> %d\n", v, getint(s, SO_RCVBUF));
		for (int i = 1; i <= n; i++) {
			fill(&r, RTM_GETLINK, NLM_F_REQUEST, i, 1);
			if (send(s, &r, sizeof(r), 0) < 0)
				printf("send %d: %s\n", i, strerror(errno));
		}
		drain(s);
	} else if (!strcmp(mode, "soerror")) {
		int s = sock_open(), v = 0;
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
		printf("SO_RCVBUF 0 -> %d\n", getint(s, SO_RCVBUF));
		for (int i = 1; i <= 20; i++) {
			fill(&r, RTM_GETLINK, NLM_F_REQUEST, i, 1);
			send(s, &r, sizeof(r), 0);
		}
		int e1 = getint(s, SO_ERROR), e2 = getint(s, SO_ERROR);
		printf("SO_ERROR %d then %d\n", e1, e2);
		drain(s);
	} else if (!strcmp(mode, "empty")) {
		int s = sock_open();
		ssize_t n = send(s, "", 0, 0);
		printf("send empty: %zd %s\n", n, n < 0 ? strerror(errno) : "");
		fill(&r, RTM_GETLINK, NLM_F_REQUEST, 7, 1);
		send(s, &r, sizeof(r), 0);
		drain(s);
	} else if (!strcmp(mode, "batch")) {
		int s = sock_open(), big = 4 << 20, huge = 64 << 20;
		if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
			setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &huge, sizeof(huge)) < 0)
			setsockopt(s, SOL_SOCKET, SO_RCVBUF, &huge, sizeof(huge));
		int sndbuf = getint(s, SO_SNDBUF), rcvbuf = getint(s, SO_RCVBUF);
		int len = 1 << 20, count = len / (int)sizeof(r);
		struct req *all = calloc(count, sizeof(r));
		for (int i = 0; i < count; i++)
			fill(&all[i], RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, i + 1, 1);
		printf("SO_SNDBUF %d SO_RCVBUF %d\n", sndbuf, rcvbuf);
		printf("send %d bytes (%d messages): %zd\n", len, count, send(s, all, len, 0));
		static char buf[1 << 16];
		int acks = 0, bad = 0, want = 1;
		for (;;) {
			int n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
			if (n < 0)
				break;
			for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				if (h->nlmsg_type != NLMSG_ERROR || e->error || (int)h->nlmsg_seq != want)
					bad++;
				acks++;
				want++;
			}
		}
		printf("acks %d bad %d\n", acks, bad);
	} else if (!strcmp(mode, "dumpfull")) {
		int s = sock_open(), v = 0;
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
		fill(&r, RTM_GETLINK, NLM_F_REQUEST, 1, 1);
		send(s, &r, sizeof(r), 0);
		fill(&r, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 2, 0);
		send(s, &r, sizeof(r), 0);
		drain(s);
	} else if (!strcmp(mode, "create") && argc > 2) {
		int n = atoi(argv[2]), s = sock_open(), v = 0;
		char buf[256], name[16];
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
		for (int i = 1; i <= n; i++) {
			snprintf(name, sizeof(name), "c%d", i);
			int len = newlink(buf, name, i);
			if (send(s, buf, len, 0) < 0)
				printf("send %d: %s\n", i, strerror(errno));
		}
		drain(s);
	} else {
		fprintf(stderr, "usage: nlbufs flood N RCVBUF | soerror | empty | batch | dumpfull | create N\n");
		return 2;
	}
	return 0;
}
