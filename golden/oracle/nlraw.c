/*
 * nlraw — send raw netlink datagrams on a NETLINK_ROUTE socket and print every reply, decoded.
 * The project's own tool for measuring how the kernel answers malformed bytes (issue 11); built
 * static by build.sh into the oracle's initramfs, and by `nlsim crosscheck` for the nlsim side, so
 * the same scenario line runs on both.
 *
 *   nlraw HEX [HEX...]       one datagram per argument ("-" = a zero-length datagram)
 *
 * NETLINK_EXT_ACK is on. For each datagram it prints the sendto() result, then every message of
 * every reply datagram until no reply came for NLRAW_WAIT_MS (default 500) milliseconds. Output
 * holds no pointers, times or lengths that depend on device attributes, so that transcripts compare.
 * NLRAW_LINKINFO=1 also prints the IFLA_LINKINFO attribute of RTM_NEWLINK/RTM_DELLINK replies as hex
 * (issue 12: the INFO_DATA of kinds iproute2 6.1 cannot print, e.g. netkit).
 * NLRAW_PROTO=N opens a NETLINK protocol N socket instead (16 = NETLINK_GENERIC); replies other than
 * errors and DONE are then printed as generic netlink: cmd, version, and each top-level attribute as
 * a<type>=<hex> (payloads over 16 bytes as a<type>=<len>B).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes HEX (whitespace and ':' ignored) into buf; returns the length or -1. */
static long unhex(const char *s, unsigned char *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	if (strcmp(s, "-") == 0)
		return 0;
	for (; *s; s++) {
		int v;
		if (*s == ' ' || *s == ':' || *s == '\n')
			continue;
		v = hexval((unsigned char)*s);
		if (v < 0 || n >= cap)
			return -1;
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)n : -1;
}

/* The extended-ACK TLVs after the echoed request of an NLMSG_ERROR. */
static void print_tlvs(const unsigned char *p, size_t len)
{
	while (len >= 4) {
		uint16_t nla_len, nla_type;
		memcpy(&nla_len, p, 2);
		memcpy(&nla_type, p + 2, 2);
		if (nla_len < 4 || nla_len > len)
			break;
		switch (nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			printf(" msg=\"%.*s\"", (int)strnlen((const char *)p + 4, nla_len - 4), p + 4);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla_len >= 8) {
				uint32_t v;
				memcpy(&v, p + 4, 4);
				printf(" offs=%u", v);
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (nla_len >= 8) {
				uint32_t v;
				memcpy(&v, p + 4, 4);
				printf(" miss_type=%u", v);
			}
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (nla_len >= 8) {
				uint32_t v;
				memcpy(&v, p + 4, 4);
				printf(" miss_nest=%u", v);
			}
			break;
		default:
			printf(" tlv%u", nla_type & NLA_TYPE_MASK);
		}
		nla_len = NLA_ALIGN(nla_len);
		if (nla_len > len)
			break;
		p += nla_len;
		len -= nla_len;
	}
}

/* A generic netlink reply (NLRAW_PROTO): genlmsghdr, then the top-level attributes, short ones as hex. */
static void print_genl(const unsigned char *data, size_t plen)
{
	size_t off = 4;
	if (plen < 4)
		return;
	printf(" genl cmd=%u version=%u", data[0], data[1]);
	while (off + 4 <= plen) {
		uint16_t nla_len, nla_type;
		size_t k;
		memcpy(&nla_len, data + off, 2);
		memcpy(&nla_type, data + off + 2, 2);
		if (nla_len < 4 || off + nla_len > plen)
			break;
		printf(" a%u=", nla_type & NLA_TYPE_MASK);
		if (nla_len - 4 > 16) {
			printf("%uB", nla_len - 4);
		} else {
			for (k = 4; k < nla_len; k++)
				printf("%02x", data[off + k]);
		}
		off += NLA_ALIGN(nla_len);
	}
}

/* One reply message. */
static void print_msg(const struct nlmsghdr *h, int genl)
{
	size_t plen = h->nlmsg_len - NLMSG_HDRLEN;
	const unsigned char *data = NLMSG_DATA(h);
	printf("  type=%u flags=0x%x seq=%u", h->nlmsg_type, h->nlmsg_flags, h->nlmsg_seq);
	if (h->nlmsg_type == NLMSG_ERROR && plen >= sizeof(struct nlmsgerr)) {
		const struct nlmsgerr *e = (const struct nlmsgerr *)data;
		/* The echoed request: its header only when capped (NLM_F_CAPPED) or for a success. */
		size_t echo = (h->nlmsg_flags & NLM_F_CAPPED) ? NLMSG_HDRLEN : e->msg.nlmsg_len;
		size_t off = sizeof(e->error) + NLMSG_ALIGN(echo);
		printf(" error=%d echo_type=%u echo_seq=%u echo_len=%zu", e->error, e->msg.nlmsg_type,
		       e->msg.nlmsg_seq, (h->nlmsg_flags & NLM_F_CAPPED) ? (size_t)NLMSG_HDRLEN : echo);
		if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
			print_tlvs(data + off, plen - off);
	} else if (h->nlmsg_type == NLMSG_DONE && plen >= 4) {
		int32_t v;
		memcpy(&v, data, 4);
		printf(" done=%d", v);
	} else if (genl && h->nlmsg_type >= NLMSG_MIN_TYPE) {
		print_genl(data, plen);
	} else if ((h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK) &&
		   plen >= sizeof(struct ifinfomsg)) {
		const struct ifinfomsg *ifi = (const struct ifinfomsg *)data;
		const struct rtattr *rta = IFLA_RTA(ifi);
		int alen = IFLA_PAYLOAD(h);
		printf(" ifindex=%d", ifi->ifi_index);
		const char *li = getenv("NLRAW_LINKINFO");
		for (; RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
			if (rta->rta_type == IFLA_IFNAME)
				printf(" name=%.*s", (int)strnlen(RTA_DATA(rta), RTA_PAYLOAD(rta)),
				       (const char *)RTA_DATA(rta));
			if (li && strcmp(li, "1") == 0 && (rta->rta_type & NLA_TYPE_MASK) == IFLA_LINKINFO) {
				const unsigned char *b = (const unsigned char *)rta;
				unsigned int k;
				printf(" linkinfo=");
				for (k = 0; k < rta->rta_len; k++)
					printf("%02x", b[k]);
			}
		}
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	static unsigned char req[1 << 20];
	static unsigned char rbuf[1 << 16];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	const char *w = getenv("NLRAW_WAIT_MS");
	int wait_ms = w ? atoi(w) : 500;
	const char *proto_env = getenv("NLRAW_PROTO");
	int proto = proto_env ? atoi(proto_env) : NETLINK_ROUTE;
	int one = 1, fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: nlraw HEX|- [HEX|-...]\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		perror("nlraw: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) < 0)
		perror("nlraw: NETLINK_EXT_ACK");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		long n = unhex(argv[i], req, sizeof(req));
		ssize_t s;
		if (n < 0) {
			fprintf(stderr, "nlraw: bad hex in argument %d\n", i);
			return 2;
		}
		s = sendto(fd, req, (size_t)n, 0, (struct sockaddr *)&kernel, sizeof(kernel));
		if (s < 0)
			printf("datagram %d: %ld bytes, sendto: errno %d\n", i, n, errno);
		else
			printf("datagram %d: %ld bytes, sendto: %zd\n", i, n, s);
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			ssize_t r;
			int left;
			const struct nlmsghdr *h;
			if (poll(&p, 1, wait_ms) <= 0)
				break;
			r = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
			if (r < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				printf("  recv: errno %d\n", errno);
				break;
			}
			if (r == 0) {
				/* A netlink socket never reads 0 bytes from the kernel; a simulator that closed it does. */
				printf("  recv: 0 bytes (socket closed)\n");
				break;
			}
			left = (int)r;
			for (h = (const struct nlmsghdr *)rbuf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left))
				print_msg(h, proto != NETLINK_ROUTE);
		}
	}
	close(fd);
	return 0;
}
