// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwire-probe's migration modes: an authenticated peer posing as a node
 * that offers processes (the "home") and misbehaves, to check the target's
 * receiving side (kmod/migrate/om_session.c, om_mig_in.c, om_imgrx.c).
 * Valid messages come from the module's own codec (kmod/common/om_mig.c)
 * and are then corrupted.
 *
 *   mig-session      one stateful attack after another, each with the
 *                    answer it must get: refused OFFERs (protocol, CPU,
 *                    xstate, memory), IMG chunks out of order, over the
 *                    open-file and image limits, COMMITs that do not match
 *                    what was sent, messages of the wrong direction or
 *                    state, frames for sessions that do not exist, a
 *                    garbage and an empty image committed (the keeper's
 *                    restore fails: DONE with an error), a second COMMIT
 *   mig-fuzz [N]     N (default 64) random payloads of every type
 *                    0x40-0x4e, every truncation of a valid one, N bit
 *                    flips and one trailing byte, half of them aimed at a
 *                    live session; then the node must still accept
 *   mig-hold SECS    opens sessions until the node refuses one (it takes
 *                    8 at a time), sends them nothing: exit 0 if the node
 *                    gives each up (ABORT) within SECS (mig_rx_idle)
 *   mig-overflow     one session, est. 0 bytes: IMG chunks until aborted;
 *                    0 if aborted once over the 64 MiB slack, not before
 *   mig-image DIR    the image files in DIR (omctl checkpoint's), each cut
 *                    to half its size, sent and committed: 0 if the
 *                    restore fails (DONE with an error)
 *   mig-prep DIR     PREPARE attacks (OM_WIRE_FEAT_MIG_PGSTREAM): DIR's
 *                    images but pages-N.img whole, then PREPARE twice or
 *                    with wrong counts, or after a good one a non-pages
 *                    image, a gap, a repeat, a chunk past the pagemap, an
 *                    unknown pages id, a short image committed, pages that
 *                    stop (mig_rx_idle) and an ABORT half-way: 0 if the
 *                    node ends each session (ABORT or DONE with an error)
 *
 * Every mode ends with the control: a valid OFFER is still accepted.
 * Lines start with "# " (no TAP of their own); exit 0 when every answer
 * was the expected one, 1 otherwise, 2 on local errors.  OMWIRE_SEED=N
 * repeats the random choices (the seed is printed).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "om_mig.h"
#include "omwire-probe.h"

#define T(type)		(1U << ((type) - OM_MIG_OFFER))
#define ANSWERS		512
#define OPEN_MAX	64
#define QUICK_MS	15000	/* an answer the receive thread gives at once (TCG) */
#define KEEPER_MS	150000	/* the keeper's timeout is 60 s */

struct answer {
	u64 id;
	u8 type;
	bool used;
	s32 err;
	char reason[OM_MIG_REASON_MAX + 1];
};

static struct answer answers[ANSWERS];
static unsigned int nanswers;
static u64 open_ids[OPEN_MAX];	/* accepted, not yet ended */
static u8 *buf;			/* one payload */
static u64 next_id;
static long long last_hb;
static int fails;
static bool closed;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("# %s - ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		fails++;
}

static void open_set(u64 id, bool open)
{
	int i, free_i = -1;

	for (i = 0; i < OPEN_MAX; i++) {
		if (open_ids[i] == id) {
			if (!open)
				open_ids[i] = 0;
			return;
		}
		if (!open_ids[i] && free_i < 0)
			free_i = i;
	}
	if (open && free_i >= 0)
		open_ids[free_i] = id;
}

static void heartbeat(void)
{
	if (probe_now_ms() - last_hb < 1000)
		return;
	last_hb = probe_now_ms();
	if (probe_send(OM_WIRE_T_HEARTBEAT, NULL, 0))
		closed = true;
}

/* Read what the kernel sends for up to ms (0: what is there now). */
static void pump(int ms)
{
	long long end = probe_now_ms() + ms;
	const u8 *pl;
	u32 len;
	u8 type;

	do {
		struct om_mig_msg m;
		struct answer *a;
		long long left = end - probe_now_ms();
		int r;

		heartbeat();
		if (closed)
			return;
		r = probe_recv(&type, &pl, &len, left > 200 ? 200 : left > 0 ? left : 0);
		if (r == -2) {
			closed = true;
			printf("# the node closed the connection\n");
			return;
		}
		if (r)
			continue;
		if (type < OM_MIG_OFFER || type > OM_MIG_TYPE_LAST)
			continue;	/* load gossip and the like */
		if (om_mig_decode(type, pl, len, &m)) {
			check(false, "the node sent a %s that does not decode", om_mig_type_name(type));
			continue;
		}
		a = &answers[nanswers++ % ANSWERS];
		memset(a, 0, sizeof(*a));
		a->id = m.mig_id;
		a->type = type;
		switch (type) {
		case OM_MIG_ACCEPT:
			a->err = m.accept.err;
			snprintf(a->reason, sizeof(a->reason), "%.*s", (int)m.accept.reason.len,
				 m.accept.reason.s);
			if (!a->err)
				open_set(a->id, true);
			break;
		case OM_MIG_DONE:
			a->err = m.done.err;
			snprintf(a->reason, sizeof(a->reason), "%.*s", (int)m.done.reason.len,
				 m.done.reason.s);
			if (a->err)
				open_set(a->id, false);
			break;
		case OM_MIG_ABORT:
			a->err = m.abort.err;
			snprintf(a->reason, sizeof(a->reason), "%.*s", (int)m.abort.reason.len,
				 m.abort.reason.s);
			open_set(a->id, false);
			break;
		default:
			break;
		}
	} while (probe_now_ms() < end);
}

/* The first unused answer for id of one of the types in mask, within ms. */
static struct answer *wait_for(u64 id, unsigned int mask, int ms)
{
	long long end = probe_now_ms() + ms;
	unsigned int i;

	for (;;) {
		for (i = 0; i < ANSWERS; i++) {
			struct answer *a = &answers[i];

			if (!a->used && a->id == id && a->type && (mask & T(a->type))) {
				a->used = true;
				return a;
			}
		}
		if (closed || probe_now_ms() >= end)
			return NULL;
		pump(100);
	}
}

static void send_raw(u8 type, const u8 *p, u32 len)
{
	if (!closed && probe_send(type, p, len))
		closed = true;
}

static void send_msg(const struct om_mig_msg *m)
{
	int n = om_mig_encode(m, buf, OM_WIRE_MAX_PAYLOAD);

	if (n < 0) {
		fprintf(stderr, "omwire-probe: cannot encode a %s: %d\n",
			om_mig_type_name(m->type), n);
		exit(2);
	}
	send_raw(m->type, buf, n);
}

static u64 new_id(void)
{
	return ++next_id;
}

static void offer_of(struct om_mig_msg *m, u64 id, u64 bytes)
{
	memset(m, 0, sizeof(*m));
	m->type = OM_MIG_OFFER;
	m->mig_id = id;
	m->offer.home_pid = 4242;
	m->offer.ruid = m->offer.euid = 65534;
	m->offer.rgid = m->offer.egid = 65534;
	m->offer.image_bytes = bytes;
	/* needs nothing of the CPU: any target can take it */
	m->offer.caps.proto = OM_MIG_PROTO;
	m->offer.caps.kmajor = 6;
	m->offer.caps.kminor = 12;
	m->offer.comm.s = "mig-bad";
	m->offer.comm.len = 7;
}

static const char *why(const struct answer *a)
{
	return a ? a->reason : "(no answer)";
}

/* Send OFFER @m (session @id): @id if the node accepted it, else 0. */
static u64 offered(struct om_mig_msg *m, u64 id)
{
	struct answer *a;

	send_msg(m);
	a = wait_for(id, T(OM_MIG_ACCEPT), QUICK_MS);
	if (!a || a->err) {
		check(false, "OFFER %llx accepted (%d: %s)", (unsigned long long)id,
		      a ? a->err : 0, why(a));
		return 0;
	}
	return id;
}

/* A session the node accepted (0 if it did not). */
static u64 session(u64 bytes)
{
	struct om_mig_msg m;
	u64 id = new_id();

	offer_of(&m, id, bytes);
	return offered(&m, id);
}

static void abort_id(u64 id)
{
	struct om_mig_msg m = { .type = OM_MIG_ABORT, .mig_id = id };

	m.abort.err = -ECANCELED;
	m.abort.reason.s = "probe";
	m.abort.reason.len = 5;
	send_msg(&m);
	open_set(id, false);
}

static void abort_all(void)
{
	int i;

	pump(0);
	for (i = 0; i < OPEN_MAX; i++)
		if (open_ids[i])
			abort_id(open_ids[i]);
}

static void img(u64 id, const char *name, u64 off, const void *data, u32 len, bool last)
{
	struct om_mig_msg m = { .type = OM_MIG_IMG, .mig_id = id };

	m.img.name.s = name;
	m.img.name.len = strlen(name);
	m.img.offset = off;
	m.img.flags = last ? OM_MIG_IMG_LAST : 0;
	m.img.data = data;
	m.img.len = len;
	send_msg(&m);
}

static void commit(u64 id, u32 n, u64 bytes)
{
	struct om_mig_msg m = { .type = OM_MIG_COMMIT, .mig_id = id };

	m.commit.n_images = n;
	m.commit.total_bytes = bytes;
	send_msg(&m);
}

/* The node must end session id with an ABORT (or a DONE with an error). */
static void expect_end(u64 id, const char *what, int ms)
{
	struct answer *a = wait_for(id, T(OM_MIG_ABORT) | T(OM_MIG_DONE), ms);

	check(a && a->err < 0, "%s: the node ends the session (%s %d: %s)", what,
	      a ? om_mig_type_name(a->type) : "-", a ? a->err : 0, why(a));
	if (!a)
		abort_id(id);
}

/* The node must not answer for id within ms. */
static void expect_silence(u64 id, const char *what, int ms)
{
	struct answer *a = wait_for(id, ~0U, ms);

	check(!a, "%s: no answer (%s%s%s)", what, a ? om_mig_type_name(a->type) : "none",
	      a ? ": " : "", a ? a->reason : "");
}

static void control(const char *when)
{
	u64 id = session(1 << 20);

	check(id != 0, "a valid OFFER is still accepted %s", when);
	if (id)
		abort_id(id);
	pump(500);
}

/* ------------------------------------------------------------ the messages */

static const u8 siginfo_usr1[OM_MIG_SIGINFO_LEN] = { 10 };
static const u8 siginfo_kill[OM_MIG_SIGINFO_LEN] = { 9 };

/* A valid message of each type for session id (IMG, SYSREQ with a buffer). */
static void valid_msg(struct om_mig_msg *m, u8 type, u64 id)
{
	static const u8 data[64] = "sixty-four bytes of data";

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->mig_id = id;
	switch (type) {
	case OM_MIG_OFFER:
		offer_of(m, id, 1 << 20);
		break;
	case OM_MIG_ACCEPT:
		break;
	case OM_MIG_IMG:
		m->img.name.s = "pages-1.img";
		m->img.name.len = 11;
		m->img.data = data;
		m->img.len = sizeof(data);
		break;
	case OM_MIG_COMMIT:
	case OM_MIG_PREPARE:
		m->commit.n_images = 1;
		m->commit.total_bytes = sizeof(data);
		break;
	case OM_MIG_DONE:
		m->done.remote_pid = 77;
		break;
	case OM_MIG_SYSREQ:
		m->sysreq.seq = 1;
		m->sysreq.nr = 1;	/* write(1, data, 64) */
		m->sysreq.args[0] = 1;
		m->sysreq.args[1] = 0x10000;
		m->sysreq.args[2] = sizeof(data);
		m->sysreq.nbuf = 2;
		m->sysreq.buf[0].arg = 1;
		m->sysreq.buf[0].dir = OM_MIG_BUF_IN;
		m->sysreq.buf[0].len = sizeof(data);
		m->sysreq.buf[0].data = data;
		m->sysreq.buf[1].arg = 2;
		m->sysreq.buf[1].dir = OM_MIG_BUF_OUT;
		m->sysreq.buf[1].len = 8;
		break;
	case OM_MIG_SYSREP:
		m->sysrep.seq = 1;
		m->sysrep.ret = 64;
		m->sysrep.nbuf = 1;
		m->sysrep.buf[0].arg = 1;
		m->sysrep.buf[0].dir = OM_MIG_BUF_OUT;
		m->sysrep.buf[0].len = sizeof(data);
		m->sysrep.buf[0].data = data;
		break;
	case OM_MIG_SIGNAL:
		m->signal.info = siginfo_usr1;
		break;
	case OM_MIG_CANCEL:
		m->cancel.seq = 1;
		break;
	case OM_MIG_EXIT:
		m->exit.how = OM_MIG_EXITED;
		break;
	case OM_MIG_GOHOME:
		m->gohome.reason.s = "home";
		m->gohome.reason.len = 4;
		break;
	case OM_MIG_ABORT:
		m->abort.err = -EINTR;
		break;
	case OM_MIG_STOPPED:
		m->stopped.sig = 19;
		break;
	case OM_MIG_DFSA_VIEW:
		/* two mounts, so truncations and bit flips reach the paths */
		m->dview.gen = 1;
		m->dview.dev = 0x2a;
		m->dview.attr_mask = 0;
		m->dview.n = 2;
		m->dview.mnt[0].path = "/mfs";
		m->dview.mnt[0].len = 4;
		m->dview.mnt[0].mnt_id = 40;
		m->dview.mnt[1].path = "/srv/mfs-ro";
		m->dview.mnt[1].len = 11;
		m->dview.mnt[1].mnt_id = 41;
		m->dview.mnt[1].flags = OM_MIG_DFSA_MNT_RO;
		break;
	}
}

/* ------------------------------------------------------------- mig-session */

static void refused(void (*change)(struct om_mig_msg *), const char *what, const char *needle)
{
	struct om_mig_msg m;
	struct answer *a;
	u64 id = new_id();

	offer_of(&m, id, 1 << 20);
	change(&m);
	send_msg(&m);
	a = wait_for(id, T(OM_MIG_ACCEPT), QUICK_MS);
	check(a && a->err < 0 && strstr(a->reason, needle), "OFFER %s: refused (%d: %s)", what,
	      a ? a->err : 0, why(a));
	if (a && !a->err)
		abort_id(id);
}

static void ch_proto(struct om_mig_msg *m)
{
	m->offer.caps.proto = OM_MIG_PROTO + 1;
}

static void ch_cpuid(struct om_mig_msg *m)
{
	int i;

	for (i = 0; i < OM_MIG_CPUID_WORDS; i++)
		m->offer.caps.cpuid[i] = 0xffffffff;
}

static void ch_xstate(struct om_mig_msg *m)
{
	m->offer.caps.xstate_size = OM_MIG_XSTATE_MAX;
}

static void ch_xfeatures(struct om_mig_msg *m)
{
	m->offer.caps.xfeatures = ~0ULL;
}

static void ch_memory(struct om_mig_msg *m)
{
	m->offer.image_bytes = 1ULL << 50;
}

/* Raw OFFERs the codec would not encode: the node must not answer. */
static void bad_offers(void)
{
	struct om_mig_msg m;
	u64 id = new_id();
	int n;

	/* comm's length byte: after the caps, which start at 36 */
	const int cl = 36 + OM_MIG_CAPS_LEN;

	offer_of(&m, id, 1 << 20);
	n = om_mig_encode(&m, buf, OM_WIRE_MAX_PAYLOAD);
	if (n < cl + 2)
		exit(2);
	buf[cl] = 200;			/* comm longer than the payload */
	send_raw(OM_MIG_OFFER, buf, n);
	buf[cl] = 7;
	buf[cl + 1] = 0;		/* a NUL in comm */
	send_raw(OM_MIG_OFFER, buf, n);
	buf[cl + 1] = 'm';
	memset(buf + 8, 0, 4);		/* home_pid 0 */
	send_raw(OM_MIG_OFFER, buf, n);
	memset(buf + 8, 0xff, 4);	/* home_pid 2^32 - 1 */
	send_raw(OM_MIG_OFFER, buf, n);
	offer_of(&m, id, 1 << 20);
	om_mig_encode(&m, buf, OM_WIRE_MAX_PAYLOAD);
	memset(buf + 12, 0xff, 4);	/* ruid -1 */
	send_raw(OM_MIG_OFFER, buf, n);
	offer_of(&m, id, 1 << 20);
	om_mig_encode(&m, buf, OM_WIRE_MAX_PAYLOAD);
	memset(buf + 50, 0xff, 4);	/* xstate_size 4 GiB */
	send_raw(OM_MIG_OFFER, buf, n);
	send_raw(OM_MIG_OFFER, buf, n - 1);	/* truncated */
	memset(buf, 0, 8);		/* mig_id 0 */
	send_raw(OM_MIG_OFFER, buf, n);
	expect_silence(id, "OFFERs with bad fields (comm length, NUL, pid, uid, xstate, mig_id 0)",
		       3000);
}

/* One session, the frames of attack(), then the node must end it. */
static void ends(const char *what, void (*attack)(u64 id))
{
	u64 id = session(1 << 20);

	if (!id)
		return;
	attack(id);
	expect_end(id, what, QUICK_MS);
}

static u8 chunk[4096];

static void a_offset(u64 id)
{
	img(id, "pages-1.img", 4096, chunk, 100, false);
}

static void a_gap(u64 id)
{
	img(id, "pages-1.img", 0, chunk, 100, false);
	img(id, "pages-1.img", 200, chunk, 100, false);
}

static void a_overlap(u64 id)
{
	img(id, "pages-1.img", 0, chunk, 100, false);
	img(id, "pages-1.img", 50, chunk, 100, false);
}

static void a_again(u64 id)
{
	img(id, "core-1.img", 0, chunk, 10, true);
	img(id, "core-1.img", 0, chunk, 10, true);
}

static void a_open5(u64 id)
{
	char name[24];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "f%d.img", i);
		img(id, name, 0, chunk, 10, false);
	}
}

static void a_images65(u64 id)
{
	char name[24];
	int i;

	for (i = 0; i < 65; i++) {
		snprintf(name, sizeof(name), "f%d.img", i);
		img(id, name, 0, chunk, 1, true);
	}
}

static void a_commit_open(u64 id)
{
	img(id, "pages-1.img", 0, chunk, 10, false);
	commit(id, 1, 10);
}

static void a_commit_total(u64 id)
{
	img(id, "pages-1.img", 0, chunk, 10, true);
	commit(id, 1, 11);
}

static void a_commit_count(u64 id)
{
	img(id, "pages-1.img", 0, chunk, 10, true);
	commit(id, 2, 10);
}

static void a_commit_none(u64 id)
{
	commit(id, 1, 0);
}

static u8 wrong_type;

static void a_wrong(u64 id)
{
	struct om_mig_msg m;

	valid_msg(&m, wrong_type, id);
	send_msg(&m);
}

static void a_sigkill(u64 id)
{
	struct om_mig_msg m = { .type = OM_MIG_SIGNAL, .mig_id = id };

	m.signal.info = siginfo_kill;
	send_msg(&m);
}

/* IMG files with random bytes (or none), committed: the restore fails. */
static void garbage_image(bool empty)
{
	static const char *const names[] = {
		"inventory.img", "pstree.img", "core-4242.img", "mm-4242.img",
		"pagemap-4242.img", "pages-1.img", "files.img",
	};
	u64 id = session(1 << 20), total = 0;
	unsigned int i, n = empty ? 1 : sizeof(names) / sizeof(names[0]);
	struct answer *a;

	if (!id)
		return;
	for (i = 0; i < n; i++) {
		u32 len = empty ? 0 : 1 + probe_rnd() % sizeof(chunk);

		probe_random(chunk, len);
		img(id, names[i], 0, chunk, len, true);
		total += len;
	}
	commit(id, n, total);
	a = wait_for(id, T(OM_MIG_ABORT) | T(OM_MIG_DONE), KEEPER_MS);
	check(a && a->err < 0, "%s image committed: the restore fails (%s %d: %s)",
	      empty ? "an empty" : "a garbage", a ? om_mig_type_name(a->type) : "-",
	      a ? a->err : 0, why(a));
	if (!a || !a->err)
		abort_id(id);
}

static void commit_twice(void)
{
	u64 id = session(1 << 20);
	struct answer *a;

	if (!id)
		return;
	probe_random(chunk, 100);
	img(id, "inventory.img", 0, chunk, 100, true);
	commit(id, 1, 100);
	commit(id, 1, 100);
	a = wait_for(id, T(OM_MIG_ABORT) | T(OM_MIG_DONE), KEEPER_MS);
	check(a && a->err < 0, "a second COMMIT: the node ends the session (%s %d: %s)",
	      a ? om_mig_type_name(a->type) : "-", a ? a->err : 0, why(a));
	if (!a || !a->err)
		abort_id(id);
}

static int mig_session(void)
{
	static const u8 wrong[] = {
		OM_MIG_ACCEPT, OM_MIG_DONE, OM_MIG_SYSREQ, OM_MIG_SYSREP, OM_MIG_CANCEL,
		OM_MIG_EXIT, OM_MIG_STOPPED,
	};
	struct om_mig_msg m;
	unsigned int i;
	char what[64];
	u64 id;

	control("at the start");
	refused(ch_proto, "for the next protocol", "protocol");
	refused(ch_cpuid, "needing every CPU feature", "CPU feature");
	refused(ch_xstate, "with a 64 KiB xstate", "xstate size");
	refused(ch_xfeatures, "with every xsave feature", "xsave features");
	refused(ch_memory, "of a 1 PiB image", "memory");
	bad_offers();

	/* the same OFFER twice: the second is ignored */
	id = session(1 << 20);
	if (id) {
		offer_of(&m, id, 1 << 20);
		send_msg(&m);
		expect_silence(id, "the same OFFER again", 3000);
		abort_id(id);
	}

	ends("first IMG chunk at offset 4096", a_offset);
	ends("IMG chunks with a gap", a_gap);
	ends("IMG chunks overlapping", a_overlap);
	ends("an image file sent again after its last chunk", a_again);
	ends("five image files open at once", a_open5);
	ends("65 image files", a_images65);
	ends("COMMIT with a file still open", a_commit_open);
	ends("COMMIT with the wrong total", a_commit_total);
	ends("COMMIT with too many images", a_commit_count);
	ends("COMMIT without an image", a_commit_none);
	ends("SIGNAL SIGKILL", a_sigkill);
	for (i = 0; i < sizeof(wrong); i++) {
		wrong_type = wrong[i];
		snprintf(what, sizeof(what), "%s to an arriving process",
			 om_mig_type_name(wrong_type));
		ends(what, a_wrong);
	}

	/* SIGNAL and GOHOME before it runs are nothing to act on */
	id = session(1 << 20);
	if (id) {
		valid_msg(&m, OM_MIG_SIGNAL, id);
		send_msg(&m);
		valid_msg(&m, OM_MIG_GOHOME, id);
		send_msg(&m);
		expect_silence(id, "SIGNAL and GOHOME before it runs", 3000);
		abort_id(id);
	}

	/* every type for sessions that do not exist: silence */
	for (i = OM_MIG_ACCEPT; i <= OM_MIG_TYPE_LAST; i++) {
		valid_msg(&m, i, new_id());
		send_msg(&m);
		expect_silence(m.mig_id, om_mig_type_name(i), 300);
	}
	check(true, "every type for a session that does not exist: no answer");

	/* IMG without an OFFER: dropped, and no session appears */
	id = new_id();
	img(id, "pages-1.img", 0, chunk, 100, true);
	commit(id, 1, 100);
	expect_silence(id, "IMG and COMMIT without an OFFER", 3000);

	commit_twice();
	garbage_image(false);
	garbage_image(true);
	control("at the end");
	abort_all();
	pump(1000);
	return fails || closed ? 1 : 0;
}

/* ---------------------------------------------------------------- mig-fuzz */

static u8 frame_copy[4096];

static int mig_fuzz(int rounds)
{
	u64 live = 0;
	u32 sent = 0;
	int t, i, n;

	for (t = OM_MIG_OFFER; t <= OM_MIG_TYPE_LAST && !closed; t++) {
		struct om_mig_msg m;

		if (!live)
			live = session(1 << 20);
		/* random payloads, half of them with the live session's id */
		for (i = 0; i < rounds; i++) {
			u32 len = probe_rnd() % 300;

			probe_random(frame_copy, len);
			if ((i & 1) && len >= 8)
				memcpy(frame_copy, &live, 8);	/* x86: le64 */
			send_raw(t, frame_copy, len);
			sent++;
		}
		/* every truncation of a valid one, then one byte too many */
		valid_msg(&m, t, (probe_rnd() & 1) && live ? live : new_id());
		n = om_mig_encode(&m, frame_copy, sizeof(frame_copy) - 1);
		if (n < 0)
			return 2;
		for (i = 0; i < n; i++, sent++)
			send_raw(t, frame_copy, i);
		frame_copy[n] = probe_rnd();
		send_raw(t, frame_copy, n + 1);
		/* bit flips */
		for (i = 0; i < rounds; i++, sent++) {
			u32 bit = probe_rnd() % (8 * n);

			frame_copy[bit / 8] ^= 1 << (bit % 8);
			send_raw(t, frame_copy, n);
			frame_copy[bit / 8] ^= 1 << (bit % 8);
		}
		pump(200);
		/* a flipped frame may have ended it, or opened others */
		for (i = 0, n = 0; i < OPEN_MAX; i++) {
			if (open_ids[i] == live)
				n = 1;
			else if (open_ids[i])
				abort_id(open_ids[i]);
		}
		if (!n)
			live = 0;
	}
	printf("# %u frames sent\n", sent);
	pump(2000);
	abort_all();
	pump(1000);
	check(!closed, "the connection stays open");
	control("after the fuzzing");
	abort_all();
	return fails || closed ? 1 : 0;
}

/* ---------------------------------------------------------------- mig-hold */

static int mig_hold(int secs)
{
	u64 ids[32];
	struct om_mig_msg m;
	struct answer *a = NULL;
	long long t0;
	int n = 0, i, gone = 0;

	while (n < 32) {
		u64 id = new_id();

		offer_of(&m, id, 1 << 20);
		send_msg(&m);
		a = wait_for(id, T(OM_MIG_ACCEPT), QUICK_MS);
		if (!a || a->err)
			break;
		ids[n++] = id;
	}
	check(n >= 1 && a && a->err < 0 && strstr(a->reason, "at a time"),
	      "%d sessions accepted, then refused (%d: %s)", n, a ? a->err : 0, why(a));
	t0 = probe_now_ms();
	for (i = 0; i < n; i++) {
		long long left = t0 + secs * 1000LL - probe_now_ms();

		a = wait_for(ids[i], T(OM_MIG_ABORT), left > 0 ? left : 0);
		if (a)
			gone++;
	}
	check(gone == n, "%d of %d idle sessions given up by the node within %d s (%.1f s)",
	      gone, n, secs, (probe_now_ms() - t0) / 1000.0);
	abort_all();
	pump(1000);
	control("after the idle sessions");
	abort_all();
	return fails || closed ? 1 : 0;
}

/* ------------------------------------------------------------ mig-overflow */

static int mig_overflow(void)
{
	u32 room = om_mig_img_room(11, 0);
	u64 id = session(0), off = 0;
	struct answer *a = NULL;

	if (!id)
		return 1;
	memset(buf, 0x5a, OM_WIRE_MAX_PAYLOAD);
	while (off < (80ULL << 20) && !closed) {
		struct om_mig_msg m = { .type = OM_MIG_IMG, .mig_id = id };
		int n;

		m.img.name.s = "pages-1.img";
		m.img.name.len = 11;
		m.img.offset = off;
		m.img.len = room;
		/* the data is where the encoder would put it */
		m.img.data = buf + OM_MIG_IMG_HDR_LEN(11);
		n = om_mig_encode(&m, buf, OM_WIRE_MAX_PAYLOAD);
		if (n < 0)
			return 2;
		send_raw(OM_MIG_IMG, buf, n);
		off += room;
		pump(0);
		a = wait_for(id, T(OM_MIG_ABORT), 0);
		if (a)
			break;
	}
	if (!a)
		a = wait_for(id, T(OM_MIG_ABORT), QUICK_MS);
	check(a && a->err == -EFBIG && off > (64ULL << 20),
	      "IMG chunks past what the OFFER allows: aborted after %llu MiB (%d: %s)",
	      (unsigned long long)(off >> 20), a ? a->err : 0, why(a));
	abort_all();
	control("after the overflow");
	abort_all();
	return fails || closed ? 1 : 0;
}

/* --------------------------------------------------------------- mig-image */

static int mig_image(const char *dir)
{
	u64 id = session(64 << 20), total = 0;
	struct dirent *d;
	struct answer *a;
	u32 n = 0;
	DIR *dp;

	if (!id)
		return 1;
	dp = opendir(dir);
	if (!dp) {
		perror(dir);
		return 2;
	}
	while ((d = readdir(dp))) {
		char path[4096];
		struct stat st;
		FILE *f;
		u64 off = 0, cut;

		if (d->d_name[0] == '.' || strlen(d->d_name) > OM_MIG_NAME_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		cut = st.st_size / 2;
		do {
			u32 len = cut - off > sizeof(chunk) ? sizeof(chunk) : cut - off;

			if (fread(chunk, 1, len, f) != len)
				cut = off + len;	/* shorter than it was */
			img(id, d->d_name, off, chunk, len, off + len == cut);
			off += len;
		} while (off < cut);
		fclose(f);
		total += off;
		n++;
	}
	closedir(dp);
	if (!n) {
		fprintf(stderr, "omwire-probe: no image files in %s\n", dir);
		return 2;
	}
	commit(id, n, total);
	a = wait_for(id, T(OM_MIG_ABORT) | T(OM_MIG_DONE), KEEPER_MS);
	check(a && a->err < 0,
	      "%u image files cut in half (%llu bytes) committed: the restore fails (%s %d: %s)",
	      n, (unsigned long long)total, a ? om_mig_type_name(a->type) : "-",
	      a ? a->err : 0, why(a));
	if (!a || !a->err)
		abort_id(id);
	control("after the truncated image");
	abort_all();
	return fails || closed ? 1 : 0;
}

/* ---------------------------------------------------------------- mig-prep */

#define PREP_MAX	(64U << 20)

struct prep_file {
	char name[OM_MIG_NAME_MAX + 1];
	u8 *data;
	u32 len;
};

static struct prep_file prep_f[64];
static unsigned int prep_n;
static int prep_pages = -1;	/* prep_f[] of pages-1.img */

static int prep_load(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp) {
		perror(dir);
		return 2;
	}
	while ((d = readdir(dp)) && prep_n < 64) {
		struct prep_file *f = &prep_f[prep_n];
		char path[4096];
		struct stat st;
		FILE *fp;

		if (d->d_name[0] == '.' || strlen(d->d_name) > OM_MIG_NAME_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size > PREP_MAX)
			continue;
		fp = fopen(path, "r");
		if (!fp)
			continue;
		f->len = st.st_size;
		f->data = malloc(f->len ? f->len : 1);
		if (!f->data || fread(f->data, 1, f->len, fp) != f->len) {
			fclose(fp);
			free(f->data);
			continue;
		}
		fclose(fp);
		strcpy(f->name, d->d_name);
		if (!strcmp(f->name, "pages-1.img"))
			prep_pages = prep_n;
		prep_n++;
	}
	closedir(dp);
	if (prep_pages < 0 || prep_f[prep_pages].len < 2 * 4096) {
		fprintf(stderr, "omwire-probe: %s has no pages-1.img of 2 pages or more\n", dir);
		return 2;
	}
	return 0;
}

/* An image's bytes [from, to) as IMG chunks, the last one LAST if @last */
static void prep_send(u64 id, const char *name, const u8 *data, u64 from, u64 to, bool last)
{
	u64 off = from;

	do {
		u32 len = to - off > 65536 ? 65536 : to - off;

		img(id, name, off, data + off, len, last && off + len == to);
		off += len;
	} while (off < to);
}

/*
 * A session of root's, every image but the pages-N.img sent whole
 * (*n images, *bytes bytes): 0 if it was not accepted.
 */
static u64 prep_session(u32 *n, u64 *bytes)
{
	struct om_mig_msg m;
	u64 id = new_id();
	unsigned int i;

	offer_of(&m, id, 64 << 20);
	m.offer.ruid = m.offer.euid = m.offer.rgid = m.offer.egid = 0;
	if (!offered(&m, id))
		return 0;
	*n = 0;
	*bytes = 0;
	for (i = 0; i < prep_n; i++) {
		if (!strncmp(prep_f[i].name, "pages-", 6))
			continue;
		prep_send(id, prep_f[i].name, prep_f[i].data, 0, prep_f[i].len, true);
		(*n)++;
		*bytes += prep_f[i].len;
	}
	return id;
}

static void prepare(u64 id, u32 n, u64 bytes)
{
	struct om_mig_msg m = { .type = OM_MIG_PREPARE, .mig_id = id };

	m.commit.n_images = n;
	m.commit.total_bytes = bytes;
	send_msg(&m);
}

enum prep_attack {
	PA_TWICE, PA_COUNT, PA_TOTAL, PA_OTHER, PA_GAP, PA_REPEAT, PA_PAST,
	PA_UNKNOWN, PA_SHORT, PA_STOP, PA_ABORT, PA_N,
};

static const char *const prep_what[PA_N] = {
	"PREPARE twice", "PREPARE with an image too many",
	"PREPARE with a byte too few", "a non-pages image after PREPARE",
	"a gap in pages-1.img", "a pages-1.img chunk repeated",
	"pages-1.img a page longer than its pagemap",
	"pages-77.img, no pagemap's", "pages-1.img cut short and committed",
	"pages that stop half-way (mig_rx_idle)", "an ABORT half-way through the pages",
};

static void prep_attack(enum prep_attack k)
{
	const struct prep_file *pg = &prep_f[prep_pages];
	static u8 page[4096];
	u64 bytes, half = (pg->len / 2) & ~4095ULL;
	u32 n;
	u64 id = prep_session(&n, &bytes);

	if (!id)
		return;
	switch (k) {
	case PA_TWICE:
		prepare(id, n, bytes);
		prepare(id, n, bytes);
		break;
	case PA_COUNT:
		prepare(id, n + 1, bytes);
		break;
	case PA_TOTAL:
		prepare(id, n, bytes - 1);
		break;
	case PA_OTHER:
		prepare(id, n, bytes);
		img(id, "core-1.img", 0, page, 16, true);
		break;
	case PA_GAP:
		prepare(id, n, bytes);
		prep_send(id, pg->name, pg->data, 4096, pg->len, true);
		break;
	case PA_REPEAT:
		prepare(id, n, bytes);
		img(id, pg->name, 0, pg->data, 4096, false);
		img(id, pg->name, 0, pg->data, 4096, false);
		break;
	case PA_PAST:
		prepare(id, n, bytes);
		prep_send(id, pg->name, pg->data, 0, pg->len, false);
		img(id, pg->name, pg->len, page, sizeof(page), true);
		commit(id, n + 1, bytes + pg->len + sizeof(page));
		break;
	case PA_UNKNOWN:
		prepare(id, n, bytes);
		prep_send(id, pg->name, pg->data, 0, pg->len, true);
		img(id, "pages-77.img", 0, page, sizeof(page), true);
		commit(id, n + 2, bytes + pg->len + sizeof(page));
		break;
	case PA_SHORT:
		prepare(id, n, bytes);
		prep_send(id, pg->name, pg->data, 0, half, true);
		commit(id, n + 1, bytes + half);
		break;
	case PA_STOP:
		prepare(id, n, bytes);
		prep_send(id, pg->name, pg->data, 0, half, false);
		break;
	case PA_ABORT:
		prepare(id, n, bytes);
		prep_send(id, pg->name, pg->data, 0, half, false);
		pump(2000);	/* the restore is under way */
		abort_id(id);
		expect_silence(id, prep_what[k], 3000);
		return;
	default:
		return;
	}
	/* the restore may have to give up first: up to the keeper's time */
	expect_end(id, prep_what[k], k == PA_STOP ? KEEPER_MS : KEEPER_MS / 2);
	open_set(id, false);
}

static int mig_prep(const char *dir)
{
	int err = prep_load(dir);
	unsigned int k;

	if (err)
		return err;
	for (k = 0; k < PA_N; k++)
		prep_attack(k);
	control("after the PREPARE attacks");
	abort_all();
	return fails || closed ? 1 : 0;
}

int mig_main(const char *mode, u16 self, int argc, char **argv)
{
	u32 r32;

	buf = malloc(OM_WIRE_MAX_PAYLOAD);
	if (!buf)
		return 2;
	probe_seed();
	/* our ids: as a home node makes them, (node << 48) | counter */
	probe_random(&r32, sizeof(r32));
	next_id = ((u64)self << 48) | ((u64)r32 << 8);
	last_hb = probe_now_ms();
	if (!strcmp(mode, "mig-session") && !argc)
		return mig_session();
	if (!strcmp(mode, "mig-fuzz") && argc <= 1)
		return mig_fuzz(argc ? atoi(argv[0]) : 64);
	if (!strcmp(mode, "mig-hold") && argc == 1)
		return mig_hold(atoi(argv[0]));
	if (!strcmp(mode, "mig-overflow") && !argc)
		return mig_overflow();
	if (!strcmp(mode, "mig-image") && argc == 1)
		return mig_image(argv[0]);
	if (!strcmp(mode, "mig-prep") && argc == 1)
		return mig_prep(argv[0]);
	fprintf(stderr, "omwire-probe: unknown mode or arguments: %s\n", mode);
	return 2;
}
