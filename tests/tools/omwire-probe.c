// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwire-probe: a userspace peer speaking the cluster protocol with the
 * same portable code as the module (OpenSSL crypto), used by the lab to
 * check that the kernel authenticates, and rejects bad input.
 *
 *   omwire-probe ADDR PORT KEYFILE NODE-ID MODE
 *
 * MODE: handshake  authenticate, exit 0 if the kernel proves the key too
 *       replay     authenticate, send a frame twice; 0 if the kernel hangs up
 *       tamper     authenticate, send a frame with a flipped bit; 0 if hung up
 *       garbage    send random bytes; 0 if the kernel hangs up
 *       bighdr     send a header announcing a 1 MiB HELLO; 0 if hung up
 *                  without the body being sent
 *       truncated  send half a HELLO and stop; 0 if hung up (handshake timeout)
 *       mig-*      authenticate, then attack the migration sessions
 *                  (omwire-mig.c: mig-session, mig-fuzz, mig-hold SECS,
 *                  mig-overflow, mig-image DIR, mig-prep DIR)
 *       mfs-*      authenticate announcing MFS, then attack the node's MFS
 *                  server or answer its MFS client badly (omwire-mfs.c:
 *                  mfs-fuzz, mfs-flood, mfs-serve MODE)
 *       cleartext [SECS]  authenticate, wait up to SECS (default 20) for
 *                  a frame with a body from the kernel (its load gossip):
 *                  0 if its body came in clear in integrity mode, or
 *                  encrypted in private mode
 * OMWIRE_SRC=ADDR in the environment binds the connection to that source
 * address (the kernel binds a HELLO's node ID to the node's addresses).
 * OMWIRE_WIRE_MODE=private|integrity: the probe's wire mode (default
 * private); the kernel's must be the same for any mode but the attacks
 * before the handshake.  integrity-blake2b: a HELLO as an older node in
 * integrity mode sends it (its keyed BLAKE2b tags are not spoken here, so
 * only a refused handshake is of use).
 * Exit 1 when the kernel's behaviour is not the expected one, 2 on usage or
 * local errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "om_wire.h"
#include "crypto_ossl.h"
#include "omwire-probe.h"

static int fd = -1;
static struct om_wire_session s;
static struct om_wire_rx rx;
static struct ossl_aead_ctx lt, tx, rxa;
static u8 wire_mode = OM_WIRE_MODE_PRIVATE;
/* the mode the HELLO announces: wire_mode, or an older node's integrity */
static u8 hello_mode = OM_WIRE_MODE_PRIVATE;

static int read_key(const char *path, u8 *key)
{
	char hex[80] = "";
	FILE *f = fopen(path, "r");
	int i;

	if (!f || !fgets(hex, sizeof(hex), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	for (i = 0; i < OM_WIRE_KEY_LEN; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &key[i]) != 1)
			return -1;
	return 0;
}

/*
 * What came from the kernel and is not parsed yet.  Grows while we send:
 * a kernel that answers while we flood it must not find us deaf (its
 * receive thread would block on its own reply, and so would we).
 */
static u8 *inbuf;
static size_t in_have, in_off, in_cap;

/* One recv() into inbuf: >0 bytes, 0 closed, -1 error or nothing (EAGAIN) */
static ssize_t recv_some(void)
{
	ssize_t n;

	if (in_off == in_have) {
		in_off = in_have = 0;
	} else if (in_off && in_cap - in_have < 65536) {
		/* a frame is always half in during a flood: keep only the rest */
		memmove(inbuf, inbuf + in_off, in_have - in_off);
		in_have -= in_off;
		in_off = 0;
	}
	if (in_cap - in_have < 65536) {
		size_t cap = in_cap ? in_cap * 2 : 1 << 20;
		u8 *nb = realloc(inbuf, cap);

		if (!nb)
			return -1;
		inbuf = nb;
		in_cap = cap;
	}
	n = recv(fd, inbuf + in_have, in_cap - in_have, MSG_DONTWAIT);
	if (n > 0)
		in_have += n;
	return n;
}

static int send_all(const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pf = { .fd = fd, .events = POLLIN | POLLOUT };

			if (poll(&pf, 1, 30000) <= 0)
				return -1;
			/* read what the kernel sends meanwhile: it is waiting too */
			if ((pf.revents & POLLIN) && recv_some() == 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Wait up to ms for the peer to close: 1 closed, 0 still open. */
static int peer_closed(int ms)
{
	u8 buf[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, ms) > 0) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			return 1;
	}
	return 0;
}

/* Next frame from the kernel into f; -1 on timeout, -2 on close or error */
static int next_frame(struct om_wire_frame *f, int ms)
{
	for (;;) {
		while (in_off < in_have) {
			size_t used;
			int r = om_wire_rx_feed(&rx, inbuf + in_off, in_have - in_off, &used);

			in_off += used;
			if (r < 0)
				return -2;
			if (r == 1)
				return om_wire_rx_frame(&rx, f) ? -2 : 0;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		n = poll(&p, 1, ms);
		if (n == 0)
			return -1;
		if (n < 0)
			return -2;
		n = recv_some();
		if (n == 0)
			return -2;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -2;
	}
}

/* room for the largest frame: the migration modes send 1 MiB payloads */
static u8 frame[OM_WIRE_OVERHEAD + OM_WIRE_MAX_PAYLOAD];

int probe_send(u8 type, const u8 *payload, u32 len)
{
	int n = om_wire_seal_frame(&s, type, 0, 0, payload, len, frame, sizeof(frame));

	if (n < 0)
		return -1;
	return send_all(frame, n);
}

int probe_recv(u8 *type, const u8 **payload, u32 *plen, int ms)
{
	struct om_wire_frame f;
	int r = next_frame(&f, ms);

	if (r)
		return r;
	if (om_wire_open_frame(&s, &f, payload, plen))
		return -2;
	*type = f.hdr.type;
	return 0;
}

void probe_random(void *buf, size_t len)
{
	ossl_rng(NULL, buf, len);
}

/* The attack modes' xorshift state (probe_seed, probe_rnd) */
static u64 probe_rng = 1;

/* Seed it: OMWIRE_SEED, or random; printed to repeat a run */
void probe_seed(void)
{
	const char *seed = getenv("OMWIRE_SEED");
	u64 rng;

	if (seed) {
		rng = strtoull(seed, NULL, 0);
	} else {
		probe_random(&rng, sizeof(rng));
		rng &= 0xffffffffffffULL;
	}
	rng |= 1;
	printf("# OMWIRE_SEED=%llu\n", (unsigned long long)rng);
	probe_rng = rng;
}

u64 probe_rnd(void)
{
	probe_rng ^= probe_rng >> 12;
	probe_rng ^= probe_rng << 25;
	probe_rng ^= probe_rng >> 27;
	return probe_rng * 0x2545f4914f6cdd1dULL;
}

long long probe_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

u8 probe_mfs_features(void)
{
	const char *fe = getenv("OMWIRE_MFS_FEATURES");

	return fe && *fe ? (u8)strtoul(fe, NULL, 0) :
	       OM_WIRE_FEAT_MFS | OM_WIRE_FEAT_MFS_PLUS;
}

static int handshake(const u8 *key, u16 id, u8 features)
{
	struct om_wire_config cfg = {
		.role = OM_WIRE_INITIATOR, .node_id = id, .listen_port = 4660,
		.features = features,
		.max_skew = 300, .cluster_key = key, .aead = &ossl_aead_ops,
		.aead_lt = &lt, .aead_tx = &tx, .aead_rx = &rxa,
		.mac = &ossl_mac_ops, .mode = wire_mode,
		.hmac = &ossl_hmac_ops, .rng = ossl_rng,
	};
	struct om_wire_hello peer;
	struct om_wire_frame f;
	const u8 *pl;
	u32 plen;
	int n;

	if (om_wire_session_init(&s, &cfg))
		return -1;
	s.cfg.mode = hello_mode;
	n = om_wire_hello_build(&s, time(NULL), frame, sizeof(frame));
	if (n < 0 || send_all(frame, n) || next_frame(&f, 5000))
		return -1;
	n = om_wire_hello_accept(&s, &f, time(NULL), &peer);
	if (n == -EPROTONOSUPPORT)
		printf("# node %u uses wire_mode %s, the probe %s\n", peer.node_id,
		       om_wire_mode_name(peer.mode), om_wire_mode_name(hello_mode));
	if (n || om_wire_session_derive(&s))
		return -1;
	n = om_wire_seal_frame(&s, OM_WIRE_T_HEARTBEAT, 0, 0, NULL, 0, frame,
			       sizeof(frame));
	if (n < 0 || send_all(frame, n))
		return -1;
	if (next_frame(&f, 5000) || om_wire_open_frame(&s, &f, &pl, &plen))
		return -1;
	return 0;
}

/*
 * The first frame with a body the kernel sends (load gossip reaches the
 * probe's node within a few intervals): a body opened in place by a MAC
 * is the very bytes that crossed, one decrypted by GCM is not.
 */
static int cleartext(int secs)
{
	long long end = probe_now_ms() + secs * 1000LL;
	struct om_wire_frame f;
	const u8 *pl;
	u8 *raw;
	u32 plen;
	bool clear;

	for (;;) {
		long long left = end - probe_now_ms();

		if (left <= 0 || next_frame(&f, (int)left)) {
			printf("cleartext: no frame with a body in %d s\n", secs);
			return 1;
		}
		if (!f.hdr.len) {
			if (om_wire_open_frame(&s, &f, &pl, &plen))
				return 1;
			continue;
		}
		raw = malloc(f.hdr.len);
		if (!raw)
			return 2;
		memcpy(raw, f.body, f.hdr.len);
		if (om_wire_open_frame(&s, &f, &pl, &plen)) {
			printf("cleartext: a frame did not open\n");
			free(raw);
			return 1;
		}
		clear = !memcmp(raw, pl, plen);
		free(raw);
		printf("cleartext: type 0x%02x, %u bytes, body %s (wire_mode %s)\n",
		       f.hdr.type, plen, clear ? "in clear" : "encrypted",
		       om_wire_mode_name(wire_mode));
		return clear == (wire_mode == OM_WIRE_MODE_INTEGRITY) ? 0 : 1;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	u8 key[OM_WIRE_KEY_LEN];
	const char *mode;
	int n;

	const char *wm = getenv("OMWIRE_WIRE_MODE");

	if (wm && *wm && strcmp(wm, "private")) {
		if (!strcmp(wm, "integrity-blake2b")) {
			hello_mode = OM_WIRE_MODE_INTEGRITY_B2B;
		} else if (strcmp(wm, "integrity")) {
			fprintf(stderr, "omwire-probe: OMWIRE_WIRE_MODE=%s: private, integrity or integrity-blake2b\n", wm);
			return 2;
		} else {
			hello_mode = OM_WIRE_MODE_INTEGRITY;
		}
		wire_mode = OM_WIRE_MODE_INTEGRITY;
	}
	if (argc < 6 || (argc > 6 && strncmp(argv[5], "mig-", 4) &&
			 strncmp(argv[5], "mfs-", 4) &&
			 strcmp(argv[5], "cleartext")) ||
	    inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 ||
	    read_key(argv[3], key)) {
		fprintf(stderr, "usage: omwire-probe ADDR PORT KEYFILE NODE-ID MODE [ARG...]\n");
		return 2;
	}
	sin.sin_port = htons(atoi(argv[2]));
	mode = argv[5];
	om_wire_rx_init(&rx, 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && getenv("OMWIRE_SRC")) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, getenv("OMWIRE_SRC"), &src.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&src, sizeof(src))) {
			perror("omwire-probe: OMWIRE_SRC");
			return 2;
		}
	}
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("omwire-probe: connect");
		return 2;
	}
	if (!strcmp(mode, "handshake")) {
		if (handshake(key, atoi(argv[4]), 0)) {
			printf("handshake failed\n");
			return 1;
		}
		printf("authenticated\n");
		return 0;
	}
	if (!strcmp(mode, "cleartext")) {
		if (handshake(key, atoi(argv[4]), 0)) {
			printf("handshake failed\n");
			return 1;
		}
		return cleartext(argc > 6 ? atoi(argv[6]) : 20);
	}
	if (!strncmp(mode, "mig-", 4)) {
		if (handshake(key, atoi(argv[4]), 0)) {
			printf("handshake failed\n");
			return 1;
		}
		return mig_main(mode, atoi(argv[4]), argc - 6, argv + 6);
	}
	if (!strncmp(mode, "mfs-", 4)) {
		if (handshake(key, atoi(argv[4]), probe_mfs_features())) {
			printf("handshake failed\n");
			return 1;
		}
		return mfs_main(mode, atoi(argv[4]), argc - 6, argv + 6);
	}
	if (!strcmp(mode, "replay") || !strcmp(mode, "tamper")) {
		if (handshake(key, atoi(argv[4]), 0)) {
			printf("handshake failed\n");
			return 1;
		}
		n = om_wire_seal_frame(&s, OM_WIRE_T_HEARTBEAT, 0, 0,
				       (const u8 *)"ping", 4, frame, sizeof(frame));
		if (n < 0)
			return 2;
		if (!strcmp(mode, "tamper"))
			frame[OM_WIRE_HDR_LEN + 1] ^= 0x01;
		if (send_all(frame, n))
			return 1;
		if (!strcmp(mode, "replay") && send_all(frame, n))
			return 1;
		if (peer_closed(5000)) {
			printf("%s: kernel closed the connection\n", mode);
			return 0;
		}
		printf("%s: connection still open\n", mode);
		return 1;
	}
	if (!strcmp(mode, "garbage")) {
		u8 junk[4096];

		ossl_rng(NULL, junk, sizeof(junk));
		send_all(junk, sizeof(junk));
	} else if (!strcmp(mode, "bighdr")) {
		struct om_wire_hdr h = { .type = OM_WIRE_T_HELLO, .len = 1U << 20 };

		om_wire_hdr_encode(&h, frame);
		send_all(frame, OM_WIRE_HDR_LEN);
	} else if (!strcmp(mode, "truncated")) {
		struct om_wire_config cfg = {
			.role = OM_WIRE_INITIATOR, .node_id = atoi(argv[4]),
			.listen_port = 4660, .cluster_key = key,
			.aead = &ossl_aead_ops, .aead_lt = &lt, .aead_tx = &tx,
			.aead_rx = &rxa, .hmac = &ossl_hmac_ops, .rng = ossl_rng,
			.mac = &ossl_mac_ops, .mode = wire_mode,
		};

		if (om_wire_session_init(&s, &cfg))
			return 2;
		n = om_wire_hello_build(&s, time(NULL), frame, sizeof(frame));
		if (n < 0)
			return 2;
		send_all(frame, n / 2);
	} else {
		fprintf(stderr, "omwire-probe: unknown mode %s\n", mode);
		return 2;
	}
	if (peer_closed(10000)) {
		printf("%s: kernel closed the connection\n", mode);
		return 0;
	}
	printf("%s: connection still open\n", mode);
	return 1;
}
