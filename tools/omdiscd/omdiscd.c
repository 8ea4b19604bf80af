// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omdiscd: openMosix-NG autodiscovery.  Broadcasts an authenticated
 * beacon (beacon.h) out of every chosen IPv4 interface and tells the
 * kernel (OM_CMD_ADD_NODE, OM_NF_DISCOVERED) about every peer it hears.
 * Unlike the 2.4 omdiscd it needs no default route or multicast: limited
 * broadcasts leave each interface explicitly through IP_PKTINFO.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <openmosix.h>
#include "beacon.h"
#include "om_key.h"

/* from the top-level VERSION file, through tools/Makefile */
#ifndef OM_TOOLS_VERSION
#error "OM_TOOLS_VERSION is not defined: build through tools/Makefile"
#endif

#define DEFAULT_PORT	5429
#define DEFAULT_KEY	"/etc/openmosix/cluster.key"
#define SYSFS		"/sys/kernel/openmosix/"
#define MAX_IFACES	32
#define MAX_PEERS	4096
#define MAX_BAD_SRC	64
#define ONCE_ROUNDS	3

struct iface {
	char name[IF_NAMESIZE];
	int index;
	uint32_t addr;		/* network order */
};

struct peer {
	uint16_t id;
	uint32_t addr;
	uint16_t port;
	uint64_t last_ms;	/* last beacon */
	uint64_t err_log_ms;	/* last kernel error logged */
};

struct bad_src {
	uint32_t addr;
	uint64_t log_ms;
	unsigned long count;	/* since the last report */
};

static struct {
	const char *want_if[MAX_IFACES];
	int nwant;
	uint16_t port;
	const char *keyfile;
	uint16_t id;
	bool id_given;
	unsigned int interval;
	bool once;
	bool verbose;
} opt = {
	.port = DEFAULT_PORT,
	.keyfile = DEFAULT_KEY,
	.interval = 2,
};

static struct iface ifs[MAX_IFACES];
static int nifs;
static struct peer peers[MAX_PEERS];
static int npeers;
static struct bad_src bad[MAX_BAD_SRC];
static unsigned long bad_total;
static uint8_t mac_key[OMB_KEY_LEN];
static struct omb_replay replay;
static bool under_systemd;

/* Netlink state: the module may come and go, so resolve lazily. */
static struct nl_sock *nl;
static int family = -1;
static bool self_added;
static bool nl_missing_logged;

static void logmsg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logmsg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !opt.verbose)
		return;
	/* journald adds its own timestamps and reads <N> as the priority. */
	if (under_systemd) {
		fprintf(stderr, "<%d>", prio);
	} else {
		char ts[32];
		time_t t = time(NULL);
		struct tm tm;

		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
		fprintf(stderr, "%s omdiscd: ", ts);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *ntoa(uint32_t addr, char *buf)
{
	struct in_addr in = { .s_addr = addr };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN) ? buf : "?";
}

/* A small unsigned sysfs knob of the module; 0 when absent. */
static unsigned long sysfs_ulong(const char *name)
{
	char path[128], buf[32];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "%s", name);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f))
		v = strtoul(buf, NULL, 0);
	fclose(f);
	return v;
}

static bool wanted(const char *name)
{
	if (!opt.nwant)
		return true;
	for (int i = 0; i < opt.nwant; i++)
		if (!strcmp(opt.want_if[i], name))
			return true;
	return false;
}

/* Up, non-loopback IPv4 interfaces (first address of each). */
static int scan_ifaces(void)
{
	struct ifaddrs *ifa, *p;
	int n = 0;

	if (getifaddrs(&ifa) < 0) {
		logmsg(LOG_ERR, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	for (p = ifa; p && n < MAX_IFACES; p = p->ifa_next) {
		bool dup = false;

		if (!p->ifa_addr || p->ifa_addr->sa_family != AF_INET ||
		    !(p->ifa_flags & IFF_UP) || (p->ifa_flags & IFF_LOOPBACK) ||
		    !wanted(p->ifa_name))
			continue;
		for (int i = 0; i < n; i++)
			dup |= !strcmp(ifs[i].name, p->ifa_name);
		if (dup)
			continue;
		snprintf(ifs[n].name, sizeof(ifs[n].name), "%s", p->ifa_name);
		ifs[n].index = if_nametoindex(p->ifa_name);
		ifs[n].addr = ((struct sockaddr_in *)p->ifa_addr)->sin_addr.s_addr;
		if (ifs[n].index)
			n++;
	}
	freeifaddrs(ifa);
	if (n != nifs)
		for (int i = 0; i < n; i++) {
			char a[INET_ADDRSTRLEN];

			logmsg(LOG_INFO, "using %s %s", ifs[i].name,
			       ntoa(ifs[i].addr, a));
		}
	nifs = n;
	return n;
}

static bool is_local(uint32_t addr)
{
	for (int i = 0; i < nifs; i++)
		if (ifs[i].addr == addr)
			return true;
	return false;
}

static uint16_t own_id(void)
{
	unsigned long v;

	if (opt.id_given)
		return opt.id;
	v = sysfs_ulong("node_id");
	if (v && v <= OM_NODE_ID_MAX)
		return v;
	/* openMosix's rule: low 16 bits of the address (a.b.C.D) */
	v = nifs ? ntohl(ifs[0].addr) & 0xffff : 0;
	return v ? v : 1;
}

static bool nl_ready(void)
{
	if (family >= 0)
		return true;
	if (!nl) {
		nl = nl_socket_alloc();
		if (!nl || genl_connect(nl)) {
			logmsg(LOG_ERR, "cannot open generic netlink");
			if (nl)
				nl_socket_free(nl);
			nl = NULL;
			return false;
		}
	}
	family = genl_ctrl_resolve(nl, OM_GENL_NAME);
	if (family < 0) {
		if (!nl_missing_logged)
			logmsg(LOG_WARNING, "openmosix module not loaded (modprobe openmosix); beacons only until it is");
		nl_missing_logged = true;
		return false;
	}
	if (nl_missing_logged)
		logmsg(LOG_INFO, "openmosix module found");
	nl_missing_logged = false;
	return true;
}

struct ack {
	bool done;
	int err;
};

static int err_cb(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	struct ack *a = arg;

	a->err = e->error;
	a->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct ack *a = arg;

	a->done = true;
	return NL_STOP;
}

/* OM_CMD_ADD_NODE with OM_NF_DISCOVERED; 0 or -errno */
static int kernel_add(uint16_t id, uint32_t addr, uint16_t port)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	struct ack a = { false, 0 };
	struct nl_cb *cb;
	int err;

	if (!nl_ready())
		return -ENOENT;
	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK,
			 OM_CMD_ADD_NODE, OM_GENL_VERSION) ||
	    !(nest = nla_nest_start(msg, OM_A_NODE)) ||
	    nla_put_u16(msg, OM_NA_ID, id) || nla_put_u32(msg, OM_NA_ADDR, addr) ||
	    (port && nla_put_u16(msg, OM_NA_PORT, port)) ||
	    nla_put_u32(msg, OM_NA_FLAGS, OM_NF_DISCOVERED)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &a);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &a);
	err = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	while (err >= 0 && !a.done)
		err = nl_recvmsgs(nl, cb);
	nl_cb_put(cb);
	if (a.done)
		return a.err;
	/* Socket trouble or the module went away: resolve again. */
	nl_socket_free(nl);
	nl = NULL;
	family = -1;
	return -EIO;
}

static void add_self(void)
{
	uint16_t id = own_id();
	char a[INET_ADDRSTRLEN];
	int err;

	if (self_added || !nifs)
		return;
	err = kernel_add(id, ifs[0].addr, sysfs_ulong("port"));
	if (err == -ENOENT || err == -EIO)
		return;		/* no module yet; try again next round */
	self_added = true;
	if (err && err != -EEXIST)
		logmsg(LOG_ERR, "adding this node (%u %s) to the kernel: %s",
		       id, ntoa(ifs[0].addr, a), strerror(-err));
	else
		logmsg(LOG_INFO, "this node is %u %s", id, ntoa(ifs[0].addr, a));
}

/* Count a bad beacon; log at most once a minute per source. */
static void bad_beacon(uint32_t src, const char *why)
{
	uint64_t now = mono_ms();
	struct bad_src *b = NULL, *oldest = &bad[0];
	char a[INET_ADDRSTRLEN];

	bad_total++;
	for (int i = 0; i < MAX_BAD_SRC; i++) {
		if (bad[i].addr == src) {
			b = &bad[i];
			break;
		}
		if (bad[i].log_ms < oldest->log_ms)
			oldest = &bad[i];
	}
	if (!b) {
		b = oldest;
		*b = (struct bad_src){ .addr = src };
	}
	b->count++;
	if (b->log_ms && now - b->log_ms < 60000)
		return;
	logmsg(LOG_WARNING, "bad beacon from %s: %s (%lu from there, %lu in all, since last report)",
	       ntoa(src, a), why, b->count, bad_total);
	b->log_ms = now;
	b->count = 0;
}

static struct peer *find_peer(uint16_t id)
{
	for (int i = 0; i < npeers; i++)
		if (peers[i].id == id)
			return &peers[i];
	return NULL;
}

static void handle_beacon(const uint8_t *buf, size_t len, uint32_t src,
			  int ifindex)
{
	char a[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	struct om_beacon b;
	enum omb_result r;
	struct peer *p;
	bool on_ours = false;
	int err;

	for (int i = 0; i < nifs; i++)
		on_ours |= ifs[i].index == ifindex;
	if (!on_ours)
		return;		/* arrived on an interface we were told to skip */
	if (is_local(src))
		return;		/* our own broadcast, looped back */
	r = omb_decode(buf, len, mac_key, now_ms(), &b);
	if (r == OMB_OK)
		r = omb_replay_check(&replay, &b, now_ms());
	if (r != OMB_OK) {
		bad_beacon(src, omb_strerror(r));
		return;
	}
	/* Authentic, but it must speak for the host that sent it. */
	if (b.addr != src) {
		snprintf(a2, sizeof(a2), "%s", ntoa(b.addr, a));
		bad_beacon(src, "claims another address");
		logmsg(LOG_DEBUG, "beacon from %s claims %s", ntoa(src, a), a2);
		return;
	}
	if (b.id == own_id()) {
		bad_beacon(src, "uses this node's ID (ID collision; set -n or node_id)");
		return;
	}
	p = find_peer(b.id);
	if (!p && npeers < MAX_PEERS) {
		p = &peers[npeers++];
		*p = (struct peer){ .id = b.id };
	}
	if (!p) {
		logmsg(LOG_WARNING, "peer table full, ignoring node %u", b.id);
		return;
	}
	if (p->addr != b.addr || p->port != b.port)
		logmsg(LOG_INFO, "peer %u %s port %u", b.id, ntoa(b.addr, a), b.port);
	p->addr = b.addr;
	p->port = b.port;
	p->last_ms = mono_ms();
	/* Refresh at every beacon: the kernel treats it as a liveness hint. */
	err = kernel_add(b.id, b.addr, b.port);
	if (err && err != -ENOENT && err != -EIO &&
	    (!p->err_log_ms || mono_ms() - p->err_log_ms >= 60000)) {
		logmsg(LOG_WARNING, "adding node %u %s: %s%s", b.id,
		       ntoa(b.addr, a), strerror(-err),
		       err == -EEXIST ? " (ID or address taken by another node)" : "");
		p->err_log_ms = mono_ms();
	}
}

static void receive(int fd)
{
	uint8_t buf[512];
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct sockaddr_in from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int ifindex = 0;
	ssize_t n;

	n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			ifindex = ((struct in_pktinfo *)CMSG_DATA(c))->ipi_ifindex;
	if (mh.msg_flags & MSG_TRUNC)
		n = sizeof(buf) + 1;	/* oversized: let decode reject it */
	handle_beacon(buf, n, from.sin_addr.s_addr, ifindex);
}

/* One beacon out of each interface as a limited broadcast. */
static void send_beacons(int fd)
{
	uint16_t id = own_id(), port = sysfs_ulong("port");

	for (int i = 0; i < nifs; i++) {
		char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))] = { 0 };
		struct sockaddr_in to = {
			.sin_family = AF_INET,
			.sin_port = htons(opt.port),
			.sin_addr.s_addr = htonl(INADDR_BROADCAST),
		};
		struct om_beacon b = {
			.id = id, .addr = ifs[i].addr, .port = port,
			.ts_ms = now_ms(),
		};
		uint8_t buf[OMB_LEN];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &to, .msg_namelen = sizeof(to),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		struct in_pktinfo *pi;

		if (getrandom(b.nonce, sizeof(b.nonce), 0) != sizeof(b.nonce) ||
		    omb_encode(&b, mac_key, buf)) {
			logmsg(LOG_ERR, "cannot build a beacon");
			return;
		}
		/* The interface picks the route: no default route needed. */
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in_pktinfo *)CMSG_DATA(c);
		pi->ipi_ifindex = ifs[i].index;
		pi->ipi_spec_dst.s_addr = ifs[i].addr;
		if (sendmsg(fd, &mh, 0) < 0)
			logmsg(LOG_DEBUG, "send on %s: %s", ifs[i].name,
			       strerror(errno));
	}
}

static int open_socket(void)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(opt.port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		logmsg(LOG_ERR, "UDP port %u: %s", opt.port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int load_key(void)
{
	uint8_t ck[OM_KEY_BYTES];
	const char *why;
	int loose, err;

	err = om_key_read(opt.keyfile, ck, &why, &loose);
	if (loose)
		logmsg(LOG_WARNING, "%s is accessible by group/others (chmod 600 %s)",
		       opt.keyfile, opt.keyfile);
	if (err) {
		if (why)
			logmsg(LOG_ERR, "%s: not a cluster key (%s): expected %d hex digits",
			       opt.keyfile, why, OM_KEY_HEX);
		else
			logmsg(LOG_ERR, "%s: %s (create one: omctl cluster key generate > %s)",
			       opt.keyfile, strerror(-err), opt.keyfile);
		return -1;
	}
	err = omb_derive_key(ck, mac_key);
	explicit_bzero(ck, sizeof(ck));
	if (err)
		logmsg(LOG_ERR, "key derivation failed");
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: omdiscd [-f] [-1] [-v] [-i IFACE]... [-p PORT] [-k KEYFILE]\n"
		"               [-n ID] [-t SECONDS]\n"
		"  -i, --interface IFACE  use only IFACE (repeatable; default: every\n"
		"                         up, non-loopback IPv4 interface)\n"
		"  -p, --port PORT        beacon UDP port (default %u)\n"
		"  -k, --key KEYFILE      cluster key (default %s)\n"
		"  -n, --node-id ID       this node's ID (default: %snode_id, else the\n"
		"                         low 16 bits of the IPv4 address)\n"
		"  -t, --interval SECONDS beacon interval (default 2)\n"
		"  -f, --foreground       stay in the foreground (the default)\n"
		"  -1, --once             a few rounds, print the peers, exit\n"
		"  -v, --verbose          debug logging\n"
		"  -V, --version          print the version\n",
		DEFAULT_PORT, DEFAULT_KEY, SYSFS);
}

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned long *v)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	*v = strtoul(s, &end, 10);
	return errno || *end || *v < min || *v > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "port", required_argument, NULL, 'p' },
		{ "key", required_argument, NULL, 'k' },
		{ "node-id", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 't' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "once", no_argument, NULL, '1' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t next_send, end_ms;
	struct pollfd pfd[2];
	unsigned long v;
	sigset_t mask;
	int c, fd, sfd, rounds = 0;

	under_systemd = getenv("INVOCATION_ID") || getenv("JOURNAL_STREAM");
	while ((c = getopt_long(argc, argv, "i:p:k:n:t:f1vVh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (opt.nwant == MAX_IFACES || strlen(optarg) >= IF_NAMESIZE) {
				fprintf(stderr, "omdiscd: bad or too many -i: %s\n", optarg);
				return 1;
			}
			opt.want_if[opt.nwant++] = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 1, 65535, &v))
				goto badarg;
			opt.port = v;
			break;
		case 'k':
			opt.keyfile = optarg;
			break;
		case 'n':
			if (parse_uint(optarg, 1, OM_NODE_ID_MAX, &v))
				goto badarg;
			opt.id = v;
			opt.id_given = true;
			break;
		case 't':
			if (parse_uint(optarg, 1, 3600, &v))
				goto badarg;
			opt.interval = v;
			break;
		case 'f':
			break;
		case '1':
			opt.once = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'V':
			printf("omdiscd %s\n", OM_TOOLS_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "omdiscd: unexpected argument \"%s\"\n", argv[optind]);
		return 1;
	}
	for (int i = 0; i < opt.nwant; i++)
		if (!if_nametoindex(opt.want_if[i])) {
			fprintf(stderr, "omdiscd: no interface \"%s\"\n", opt.want_if[i]);
			return 1;
		}
	if (load_key())
		return 1;
	fd = open_socket();
	if (fd < 0)
		return 1;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		logmsg(LOG_ERR, "signalfd: %s", strerror(errno));
		return 1;
	}
	if (scan_ifaces() == 0)
		logmsg(LOG_WARNING, "no usable IPv4 interface yet");
	logmsg(LOG_INFO, "omdiscd %s: node %u, port %u, every %us", OM_TOOLS_VERSION,
	       own_id(), opt.port, opt.interval);

	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	next_send = mono_ms();
	end_ms = opt.once ? next_send + ONCE_ROUNDS * opt.interval * 1000ull + 500 : 0;
	for (;;) {
		uint64_t now = mono_ms();
		int timeout;

		if (end_ms && now >= end_ms)
			break;
		if (now >= next_send) {
			uint32_t jitter;

			scan_ifaces();
			add_self();
			if (!end_ms || rounds < ONCE_ROUNDS)
				send_beacons(fd);
			rounds++;
			/* +-10% jitter keeps nodes from beaconing in lockstep */
			if (getrandom(&jitter, sizeof(jitter), 0) != sizeof(jitter))
				jitter = 0;
			next_send = now + opt.interval * 900ull +
				    jitter % (opt.interval * 200u + 1);
		}
		timeout = next_send - now;
		if (end_ms && end_ms - now < (uint64_t)timeout)
			timeout = end_ms - now;
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR) {
			logmsg(LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si) &&
			    si.ssi_signo == SIGHUP) {
				logmsg(LOG_INFO, "SIGHUP: reloading %s", opt.keyfile);
				load_key();
				continue;
			}
			logmsg(LOG_INFO, "exiting");
			break;
		}
		if (pfd[0].revents & POLLIN)
			receive(fd);
	}
	if (opt.once) {
		char a[INET_ADDRSTRLEN];

		for (int i = 0; i < npeers; i++)
			printf("peer %u %s %u\n", peers[i].id,
			       ntoa(peers[i].addr, a), peers[i].port);
		printf("bad %lu\n", bad_total);
	}
	close(sfd);
	close(fd);
	if (nl)
		nl_socket_free(nl);
	return 0;
badarg:
	fprintf(stderr, "omdiscd: invalid argument for -%c: \"%s\"\n", c, optarg);
	return 1;
}

