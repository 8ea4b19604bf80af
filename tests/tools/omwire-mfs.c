// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omwire-probe's MFS modes: an authenticated peer that announced MFS in
 * its HELLO and misbehaves, as a client of the node's MFS server
 * (kmod/mfs/om_mfs_server.c) or as the server its MFS client talks to
 * (om_mfs_rpc.c and the filesystem above it).  Valid messages come from
 * the module's own codec (kmod/common/om_mfs_wire.c) and are then
 * corrupted.
 *
 *   mfs-fuzz [N] [DIR]  as a client: every request type (0x80-0x91,
 *                  om_mfs_is_request) valid, truncated at every length,
 *                  with trailing bytes, id 0, bad credentials (uid -1,
 *                  groups unsorted, duplicated, 33 of them), handles of
 *                  the wrong length, forged, of another load, stale (their
 *                  file removed), bad names (".", "..", "/" and NUL inside,
 *                  0 and 256 bytes), offsets near 2^63, READ and WRITE
 *                  lengths 0 and over 512 KiB, READDIR and READDIRPLUS
 *                  budgets around their longest entry (273, 426 bytes),
 *                  RENAME and LINK across forged handles, reserved flags;
 *                  DIR and DIR/d listed whole by READDIR and READDIRPLUS
 *                  at their smallest budgets (the same names and cookies
 *                  both ways, every call some entries or the end; a
 *                  READDIRPLUS entry that tells its file: its handle the
 *                  one LOOKUP gives, its ino its attributes', a GETATTR
 *                  of it answered alike); the types 0x92-0xbf that are not
 *                  requests; then N (default 2000) seeded random mutations
 *                  of valid requests.  What the node must answer is what
 *                  the codec says of the bytes sent: R_ERROR with the
 *                  decoder's errno, nothing without a request id or for a
 *                  type that is not a request, else the reply that fits
 *                  the request (om_mfs_reply_match: R_DIRENTS_PLUS, whose
 *                  entries' files decode, for a READDIRPLUS) or R_ERROR
 *                  with the errno the case names (-ESTALE for a handle it
 *                  never made).  A BREAK (a promise the node made us ends)
 *                  is acknowledged, as a client does.  DIR (default
 *                  srv/mfsbad, from the node's root) holds f (a file), l (a
 *                  symlink), d (a directory) and w (a directory everyone
 *                  may write: nobody's files go there).  Ends with the
 *                  control: GETATTR of the root.
 *   mfs-flood [N] [PATH] [leave]
 *                  as a client: N (default 3000) READs of 128 KiB (or
 *                  OMWIRE_FLOOD_KIB) of
 *                  PATH (default srv/mfsbad/big) sent at once, more than
 *                  the server queues of one node (256): each is answered
 *                  once, with data or -ENOBUFS, some with -ENOBUFS; then
 *                  GETATTRs are answered at once again.  With "leave":
 *                  stop at the first -ENOBUFS (our share of the queue is
 *                  full) and hang up.
 *   mfs-serve MODE [SECS]
 *                  as a server, for SECS (default 600) or until SIGTERM:
 *                  answers the node's requests about a small tree (file,
 *                  dir, link; READDIRPLUS entries tell their files, with
 *                  promise 0: this server never sends a BREAK) and
 *                  misbehaves as MODE says: good (not at all), wrongtype
 *                  (R_DIRENTS for a READDIRPLUS and the like), truncated,
 *                  oversize (READ, READDIR, READDIRPLUS and WRITE replies
 *                  larger than asked), dirents (malformed entries; in
 *                  R_DIRENTS_PLUS also handles of 65 bytes or past the
 *                  end, a type that is not the attributes', invalid
 *                  attributes, promise 60001), dirloop (a listing that
 *                  never ends), handles (0 and 65 bytes, in R_ENTRY and in
 *                  READDIRPLUS entries), attrs (invalid attributes, in
 *                  READDIRPLUS entries too), hugesize (valid, 2^63 - 1
 *                  bytes), typechange (a file becomes a directory; its
 *                  READDIRPLUS entry says so), loop (a directory that
 *                  contains its parent; its READDIRPLUS entry too), errno
 *                  (the kernel's own errnos, 512..529), silent (replies
 *                  with ids nobody asked, never the answer), flood (right
 *                  answers among thousands of unsolicited replies).  The
 *                  scenario checks what the node's processes see; the
 *                  probe fails if the node sends a request that does not
 *                  decode, or if an answer a mode means as malformed is
 *                  one our codec accepts (a bug here, not in the node).
 *
 * Lines start with "# " (no TAP of their own); exit 0 when every answer
 * was the expected one, 1 otherwise, 2 on local errors.  The probe's
 * HELLO announces OM_WIRE_FEAT_MFS and OM_WIRE_FEAT_MFS_PLUS, or what
 * OMWIRE_MFS_FEATURES=N says (4: a node of the version before
 * READDIRPLUS; the node must then not send it one).  OMWIRE_SEED=N
 * repeats the random choices (the seed is printed).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "om_mfs_wire.h"
#include "omwire-probe.h"

#define PEND_MAX	8192		/* requests in flight we track (power of 2) */
#define WINDOW		48		/* fuzz: outstanding at once, far below NODE_QUEUE */
/* requests of one node the server queues (OM_SRV_NODE_MAX, om_mfs_server.c) */
#define NODE_QUEUE	256
/*
 * How long a reply the server owes may take (TCG, 16 workers): 60 s, times
 * OM_SLOW (make check-debug's KASAN kernel is several times slower)
 */
#define ANSWER_MS	(60000LL * slow)
#define FAIL_LINES	25		/* FAIL lines printed per group at most */
#define ENOBUFS_ERR	(-105)		/* the server is full (wire value) */
#define ESTALE_ERR	(-116)

static u8 *buf;			/* one payload */
static u64 next_id;
static long long last_hb;
static int fails, group_fails, group_n;
static const char *group;
static bool closed;
static volatile sig_atomic_t stop;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	fails++;
	if (group_fails++ >= FAIL_LINES)
		return;
	printf("# FAIL - %s: ", group ? group : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void heartbeat(void)
{
	if (probe_now_ms() - last_hb < 1000)
		return;
	last_hb = probe_now_ms();
	if (!closed && probe_send(OM_WIRE_T_HEARTBEAT, NULL, 0))
		closed = true;
}

static void send_raw(u8 type, const u8 *p, u32 len)
{
	if (!closed && probe_send(type, p, len))
		closed = true;
}

static void put_le32(u8 *p, u32 v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void put_le64(u8 *p, u64 v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static u64 get_le64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ================================================= the probe as a client */

/* A handle the server gave us (or one we made up) */
struct fhb {
	u8 d[OM_MFS_FH_MAX];
	u8 len;
};

/* One request sent: what it must get */
struct pend {
	u64 id;			/* 0: free slot */
	bool no_reply;		/* must not be answered */
	bool answered;
	bool keep;		/* an R_DIRENTS(_PLUS) for it goes to kept */
	int lerr;		/* our codec's verdict on the bytes sent */
	int want;		/* if not 0: the errno R_ERROR must carry */
	struct om_mfs_msg q;	/* decoded (lerr 0): scalars only, for reply_match */
	const char *what;
	/* the answer */
	u8 rtype;
	s32 err;
	struct fhb fh;		/* of an R_ENTRY */
	u32 mode;		/* of an R_ENTRY or R_ATTR */
	u64 ino;		/* of an R_ENTRY or R_ATTR */
	u32 dlen;		/* of an R_DIRENTS(_PLUS) or R_DATA */
};

/* The entries of the last kept listing (call_keep()), a copy */
static u8 kept_ents[OM_MFS_IO_MAX];
static struct om_mfs_dirents kept;
static bool keep_next;		/* submit_w(): the request sent is kept */
static unsigned int n_breaks;

static struct pend pend[PEND_MAX];
static unsigned int outstanding;	/* sent, reply owed, not yet come */
static unsigned int n_enobufs, n_data, n_other;
static bool enobufs_ok;		/* the flood: -ENOBUFS is an answer */
static long long slow = 1;	/* OM_SLOW: every bound here times this */

static struct pend *pend_find(u64 id)
{
	unsigned int i, h = (unsigned int)(id * 0x9e3779b97f4a7c15ULL >> 51);

	for (i = 0; i < PEND_MAX; i++) {
		struct pend *p = &pend[(h + i) & (PEND_MAX - 1)];

		if (p->id == id)
			return p;
		if (!p->id)
			return NULL;
	}
	return NULL;
}

static struct pend *pend_new(u64 id)
{
	unsigned int i, h = (unsigned int)(id * 0x9e3779b97f4a7c15ULL >> 51);

	for (i = 0; i < PEND_MAX; i++) {
		struct pend *p = &pend[(h + i) & (PEND_MAX - 1)];

		if (!p->id) {
			memset(p, 0, sizeof(*p));
			p->id = id;
			return p;
		}
	}
	fprintf(stderr, "omwire-probe: request table full\n");
	exit(2);
}

/* Forget every answered request (the table is open addressed: rebuild) */
static void pend_compact(void)
{
	static struct pend keep[PEND_MAX];
	unsigned int i, n = 0;

	for (i = 0; i < PEND_MAX; i++)
		if (pend[i].id && !pend[i].answered && !pend[i].no_reply)
			keep[n++] = pend[i];
	memset(pend, 0, sizeof(pend));
	for (i = 0; i < n; i++)
		*pend_new(keep[i].id) = keep[i];
}

/* A reply from the node's server: is it what the request must get? */
static void client_reply(u8 type, const u8 *pl, u32 len)
{
	struct om_mfs_msg r;
	struct pend *p;
	int err = om_mfs_decode(type, pl, len, &r);

	if (err) {
		check(false, "the node sent a %s (%u bytes) that does not decode: %d",
		      om_mfs_type_name(type), len, err);
		return;
	}
	p = pend_find(r.req_id);
	if (!p) {
		check(false, "a %s for request %llx, which we did not send",
		      om_mfs_type_name(type), (unsigned long long)r.req_id);
		return;
	}
	if (p->answered || p->no_reply) {
		check(false, "%s: a reply (%s) it must not get%s", p->what,
		      om_mfs_type_name(type), p->answered ? " (a second one)" : "");
		return;
	}
	p->answered = true;
	outstanding--;
	p->rtype = type;
	p->err = type == OM_MFS_R_ERROR ? r.error.err : 0;
	if (type == OM_MFS_R_ERROR && r.error.err == ENOBUFS_ERR)
		n_enobufs++;
	else if (type == OM_MFS_R_DATA)
		n_data++;
	else
		n_other++;
	if (type == OM_MFS_R_ENTRY) {
		memcpy(p->fh.d, r.entry.fh.data, r.entry.fh.len);
		p->fh.len = r.entry.fh.len;
		p->mode = r.entry.attr.mode;
		p->ino = r.entry.attr.ino;
	} else if (type == OM_MFS_R_ATTR) {
		p->mode = r.attr.mode;
		p->ino = r.attr.ino;
	} else if (type == OM_MFS_R_DIRENTS || type == OM_MFS_R_DIRENTS_PLUS) {
		p->dlen = r.dirents.len;
		if (p->keep) {
			if (r.dirents.len)
				memcpy(kept_ents, r.dirents.ents, r.dirents.len);
			kept = r.dirents;
			kept.ents = kept_ents;
		}
	} else if (type == OM_MFS_R_DATA) {
		p->dlen = r.data.len;
	}
	if (p->lerr) {
		check(type == OM_MFS_R_ERROR && r.error.err == p->lerr,
		      "%s: the decoder says %d, the node answered %s %d", p->what,
		      p->lerr, om_mfs_type_name(type), p->err);
		return;
	}
	err = om_mfs_reply_match(&p->q, &r);
	check(!err, "%s: the answer %s does not fit the %s", p->what,
	      om_mfs_type_name(type), om_mfs_type_name(p->q.type));
	if (type == OM_MFS_R_ERROR)
		check(p->err != -EBADMSG && p->err != -EPROTO &&
		      (enobufs_ok || p->err != ENOBUFS_ERR),
		      "%s: decodes here, the node says %d", p->what, p->err);
	if (p->want)
		check(p->err == p->want, "%s: wanted R_ERROR %d, got %s %d", p->what,
		      p->want, om_mfs_type_name(type), p->err);
}

/*
 * A BREAK: a promise the node's server made us (an R_ENTRY's, R_ATTR's or
 * READDIRPLUS entry's promise_ms) ends.  Acknowledged at once, as a
 * client does, else the change that broke it waits for us (up to the
 * lease).  Only when the tree is on a filesystem the node promises on.
 */
static void client_break(const u8 *pl, u32 len)
{
	struct om_mfs_msg m;
	u8 ack[16];
	int n;

	if (om_mfs_decode(OM_MFS_BREAK, pl, len, &m)) {
		check(false, "the node sent a BREAK (%u bytes) that does not decode", len);
		return;
	}
	n_breaks++;
	m = (struct om_mfs_msg){ .type = OM_MFS_BREAK_ACK, .req_id = m.req_id };
	n = om_mfs_encode(&m, ack, sizeof(ack));
	if (n > 0)
		send_raw(OM_MFS_BREAK_ACK, ack, n);
}

/* Read what the node sends for up to ms (0: only what is there now) */
static void pump(int ms)
{
	long long end = probe_now_ms() + ms;
	const u8 *pl;
	u32 len;
	u8 type;

	do {
		long long left = end - probe_now_ms();
		int r;

		heartbeat();
		if (closed)
			return;
		r = probe_recv(&type, &pl, &len, left > 200 ? 200 : left > 0 ? left : 0);
		if (r == -2) {
			closed = true;
			note("the node closed the connection");
			return;
		}
		if (r) {
			if (!ms)
				return;
			continue;
		}
		if (type < OM_WIRE_T_MFS_FIRST || type > OM_WIRE_T_MFS_LAST)
			continue;	/* gossip and heartbeats: nothing to do */
		if (om_mfs_is_request(type))
			check(false, "the node asked us %s", om_mfs_type_name(type));
		else if (type == OM_MFS_BREAK)
			client_break(pl, len);
		else
			client_reply(type, pl, len);
	} while (!ms || probe_now_ms() < end);
}

static u64 new_id(void)
{
	return ++next_id;
}

/*
 * Send type with payload p[0..len) as request what; the expectation is
 * what our codec says of the bytes (want: the errno it must carry, if
 * it decodes).  window: wait while this many are outstanding.
 */
static struct pend *submit_w(u8 type, const u8 *p, u32 len, int want,
			     const char *what, unsigned int window)
{
	struct pend *e = NULL;
	u64 id = len >= 8 ? get_le64(p) : 0;

	while (window && outstanding >= window && !closed)
		pump(50);
	if (closed)
		return NULL;
	group_n++;
	if (id) {
		if (pend_find(id)) {
			fprintf(stderr, "omwire-probe: id %llx sent twice\n",
				(unsigned long long)id);
			exit(2);
		}
		e = pend_new(id);
		e->what = what;
		e->want = want;
		e->keep = keep_next;
		if (!om_mfs_is_request(type)) {
			e->no_reply = true;	/* nobody serves these types */
		} else {
			e->lerr = om_mfs_decode(type, p, len, &e->q);
			outstanding++;
		}
		/* a case meant as structure or value: our codec must agree */
		if (want == -EBADMSG || want == -EPROTO) {
			check(e->lerr == want, "%s: meant as %d, the codec says %d",
			      what, want, e->lerr);
			e->want = 0;
		}
	}
	send_raw(type, p, len);
	pump(0);
	return e;
}

static struct pend *submit(u8 type, const u8 *p, u32 len, int want, const char *what)
{
	return submit_w(type, p, len, want, what, WINDOW);
}

/* Wait until every reply owed came; those that did not are failures */
static void wait_all(void)
{
	long long end = probe_now_ms() + ANSWER_MS;
	unsigned int i, missing = 0;

	while (outstanding && !closed && probe_now_ms() < end)
		pump(100);
	/* a reply that must not come would come about now */
	pump(300);
	for (i = 0; i < PEND_MAX; i++) {
		struct pend *p = &pend[i];

		if (p->id && !p->no_reply && !p->answered) {
			if (!missing++)
				check(false, "%s: no answer", p->what);
			p->answered = true;
		}
	}
	check(!missing, "%u requests unanswered", missing);
	outstanding = 0;
}

static void group_begin(const char *name)
{
	group = name;
	group_fails = 0;
	group_n = 0;
}

static void group_end(void)
{
	wait_all();
	if (!group_fails)
		printf("# ok - %s: %d messages answered as they must\n", group, group_n);
	else
		printf("# FAIL - %s: %d of %d messages not answered as they must\n",
		       group, group_fails, group_n);
	fflush(stdout);
	pend_compact();
	group = NULL;
}

/* ---- valid requests ---- */

static struct fhb fh_root, fh_dir, fh_file, fh_link, fh_sub, fh_w, fh_wfile;
static struct om_mfs_cred cred0;	/* root, squashed to nobody */
static unsigned int name_seq;
static char names[64][32];		/* names made for requests, reused in turn */

static struct om_mfs_fh FH(const struct fhb *b)
{
	return (struct om_mfs_fh){ .data = b->d, .len = b->len };
}

static struct om_mfs_str STR(const char *s)
{
	return (struct om_mfs_str){ .s = s, .len = (u32)strlen(s) };
}

static const char *fresh_name(const char *prefix)
{
	char *n = names[name_seq % 64];

	snprintf(n, sizeof(names[0]), "%s-%u", prefix, name_seq++);
	return n;
}

static const u8 wdata[16] = "0123456789abcdef";

/* A valid request of type t about the test tree */
static void valid_req(u8 t, struct om_mfs_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = t;
	m->req_id = new_id();
	m->cred = cred0;
	switch (t) {
	case OM_MFS_LOOKUP:
		m->lookup.dir = FH(&fh_dir);
		m->lookup.name = STR("f");
		break;
	case OM_MFS_GETATTR:
		m->getattr.fh = FH(&fh_file);
		break;
	case OM_MFS_SETATTR:
		m->setattr.fh = FH(&fh_wfile);
		m->setattr.valid = OM_MFS_SET_MODE;
		m->setattr.mode = 0644;
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		m->readdir.dir = FH(&fh_dir);
		m->readdir.max_bytes = 4096;
		break;
	case OM_MFS_READ:
		m->read.fh = FH(&fh_file);
		m->read.len = 4096;
		break;
	case OM_MFS_WRITE:
		m->write.fh = FH(&fh_wfile);
		m->write.len = sizeof(wdata);
		m->write.data = wdata;
		break;
	case OM_MFS_CREATE:
		m->create.dir = FH(&fh_w);
		m->create.name = STR(fresh_name("c"));
		m->create.mode = 0644;
		break;
	case OM_MFS_MKDIR:
		m->mkdir.dir = FH(&fh_w);
		m->mkdir.name = STR(fresh_name("m"));
		m->mkdir.mode = 0755;
		break;
	case OM_MFS_SYMLINK:
		m->symlink.dir = FH(&fh_w);
		m->symlink.name = STR(fresh_name("s"));
		m->symlink.target = STR("../f");
		break;
	case OM_MFS_READLINK:
		m->readlink.fh = FH(&fh_link);
		break;
	case OM_MFS_LINK:
		m->link.fh = FH(&fh_wfile);
		m->link.dir = FH(&fh_w);
		m->link.name = STR(fresh_name("h"));
		break;
	case OM_MFS_UNLINK:
		m->unlink.dir = FH(&fh_w);
		m->unlink.name = STR(fresh_name("u"));
		break;
	case OM_MFS_RMDIR:
		m->rmdir.dir = FH(&fh_w);
		m->rmdir.name = STR(fresh_name("r"));
		break;
	case OM_MFS_RENAME:
		m->rename.odir = FH(&fh_w);
		m->rename.oname = STR(fresh_name("o"));
		m->rename.ndir = FH(&fh_w);
		m->rename.nname = STR(fresh_name("n"));
		break;
	case OM_MFS_FSYNC:
		m->fsync.fh = FH(&fh_wfile);
		break;
	case OM_MFS_STATFS:
		m->statfs.fh = FH(&fh_root);
		break;
	}
}

static u32 encode(const struct om_mfs_msg *m, u8 *out)
{
	int n = om_mfs_encode(m, out, OM_WIRE_MAX_PAYLOAD);

	if (n < 0) {
		fprintf(stderr, "omwire-probe: cannot encode a %s: %d\n",
			om_mfs_type_name(m->type), n);
		exit(2);
	}
	return n;
}

/* One request now and its answer (the tree's handles come this way) */
static struct pend *call(const struct om_mfs_msg *m, const char *what)
{
	u32 n = encode(m, buf);
	struct pend *p = submit_w(m->type, buf, n, 0, what, 1);
	long long end = probe_now_ms() + ANSWER_MS;

	while (p && !p->answered && !closed && probe_now_ms() < end)
		pump(50);
	if (!p || !p->answered) {
		check(false, "%s: no answer", what);
		return NULL;
	}
	return p;
}

static bool lookup(const struct fhb *dir, const char *name, struct fhb *out)
{
	struct om_mfs_msg m;
	struct pend *p;

	valid_req(OM_MFS_LOOKUP, &m);
	m.lookup.dir = FH(dir);
	m.lookup.name = STR(name);
	p = call(&m, name);
	if (!p || p->rtype != OM_MFS_R_ENTRY) {
		note("LOOKUP %s: %s %d", name, p ? om_mfs_type_name(p->rtype) : "-",
		     p ? p->err : 0);
		return false;
	}
	*out = p->fh;
	return true;
}

/* ROOT, then LOOKUP of each component of path ("a/b/c") */
static bool resolve(const char *path, struct fhb *out)
{
	char tmp[1024], *save, *c;
	struct om_mfs_msg m;
	struct pend *p;
	struct fhb cur;

	valid_req(OM_MFS_ROOT, &m);
	p = call(&m, "ROOT");
	if (!p || p->rtype != OM_MFS_R_ENTRY ||
	    (p->mode & OM_MFS_S_IFMT) != OM_MFS_S_IFDIR) {
		check(false, "ROOT: no directory");
		return false;
	}
	fh_root = cur = p->fh;
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save))
		if (!lookup(&cur, c, &cur))
			return false;
	*out = cur;
	return true;
}

/* The control: the root's attributes, answered, a directory */
static void control(const char *after)
{
	struct om_mfs_msg m;
	struct pend *p;

	group_begin("control");
	valid_req(OM_MFS_GETATTR, &m);
	m.getattr.fh = FH(&fh_root);
	p = call(&m, "GETATTR of the root");
	check(p && p->rtype == OM_MFS_R_ATTR &&
	      (p->mode & OM_MFS_S_IFMT) == OM_MFS_S_IFDIR,
	      "GETATTR of the root after %s: %s", after,
	      p ? om_mfs_type_name(p->rtype) : "no answer");
	check(!closed, "the connection is open after %s", after);
	if (!group_fails)
		printf("# ok - control: the root's attributes after %s\n", after);
	group = NULL;
	pend_compact();
}

/* ---- malformed requests ---- */

/* Offset of the first handle's length byte (after the credentials) */
static u32 hdr_len(const struct om_mfs_msg *m)
{
	return OM_MFS_REQ_HDR_LEN(m->cred.ngroups);
}

static bool has_fh(u8 t)
{
	return t != OM_MFS_ROOT;
}

/* Offsets of the name length bytes of a request (0: none) */
static void name_offs(const struct om_mfs_msg *m, u32 *a, u32 *b)
{
	u32 h = hdr_len(m);

	*a = *b = 0;
	switch (m->type) {
	case OM_MFS_LOOKUP:
	case OM_MFS_UNLINK:
	case OM_MFS_RMDIR:
	case OM_MFS_CREATE:
	case OM_MFS_MKDIR:
	case OM_MFS_SYMLINK:
		*a = h + 1 + m->lookup.dir.len;	/* the dirop layout, all of them */
		break;
	case OM_MFS_LINK:
		*a = h + 1 + m->link.fh.len + 1 + m->link.dir.len;
		break;
	case OM_MFS_RENAME:
		*a = h + 1 + m->rename.odir.len;
		*b = *a + 1 + m->rename.oname.len + 1 + m->rename.ndir.len;
		break;
	}
}

/* The first handle's field in m (every request but ROOT has one first) */
static struct om_mfs_fh *first_fh(struct om_mfs_msg *m)
{
	switch (m->type) {
	case OM_MFS_LOOKUP: return &m->lookup.dir;
	case OM_MFS_GETATTR: return &m->getattr.fh;
	case OM_MFS_SETATTR: return &m->setattr.fh;
	case OM_MFS_READDIR: return &m->readdir.dir;
	case OM_MFS_READDIRPLUS: return &m->readdir.dir;
	case OM_MFS_READ: return &m->read.fh;
	case OM_MFS_WRITE: return &m->write.fh;
	case OM_MFS_CREATE: return &m->create.dir;
	case OM_MFS_MKDIR: return &m->mkdir.dir;
	case OM_MFS_SYMLINK: return &m->symlink.dir;
	case OM_MFS_READLINK: return &m->readlink.fh;
	case OM_MFS_LINK: return &m->link.fh;
	case OM_MFS_UNLINK: return &m->unlink.dir;
	case OM_MFS_RMDIR: return &m->rmdir.dir;
	case OM_MFS_RENAME: return &m->rename.odir;
	case OM_MFS_FSYNC: return &m->fsync.fh;
	case OM_MFS_STATFS: return &m->statfs.fh;
	}
	return NULL;
}

/* Labels live as long as their request: a ring of them */
static const char *label(const char *fmt, ...)
{
	static char ring[PEND_MAX][96];
	static unsigned int at;
	char *s = ring[at++ % PEND_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(ring[0]), fmt, ap);
	va_end(ap);
	return s;
}

/* Send payload p (len) as type with a fresh id in its first 8 bytes */
static struct pend *send_case(u8 type, u8 *p, u32 len, int want, const char *what)
{
	if (len >= 8)
		put_le64(p, new_id());
	return submit(type, p, len, want, what);
}

/* Every truncation, trailing bytes, id 0 */
static void fuzz_structure(u8 t)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	struct om_mfs_msg m;
	const char *tn = om_mfs_type_name(t);
	u32 n, cut;

	valid_req(t, &m);
	n = encode(&m, tmp);
	send_case(t, tmp, n, 0, label("%s valid", tn));
	for (cut = 0; cut < n; cut++) {
		valid_req(t, &m);
		encode(&m, tmp);
		send_case(t, tmp, cut, -EBADMSG, label("%s cut to %u of %u", tn, cut, n));
	}
	valid_req(t, &m);
	n = encode(&m, tmp);
	tmp[n] = 0;
	send_case(t, tmp, n + 1, -EBADMSG, label("%s + 1 byte", tn));
	valid_req(t, &m);
	n = encode(&m, tmp);
	memset(tmp + n, 0xa5, 100);
	send_case(t, tmp, n + 100, -EBADMSG, label("%s + 100 bytes", tn));
	/* no request id: nothing to answer to */
	valid_req(t, &m);
	n = encode(&m, tmp);
	put_le64(tmp, 0);
	submit(t, tmp, n, 0, label("%s id 0", tn));
}

/* Credentials: ids, groups; want: the decoder's class */
static void fuzz_cred(u8 t)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	const char *tn = om_mfs_type_name(t);
	struct om_mfs_msg m;
	u32 n, body, i;

	/* uid, gid -1 */
	valid_req(t, &m);
	n = encode(&m, tmp);
	put_le32(tmp + 8, 0xffffffff);
	send_case(t, tmp, n, -EPROTO, label("%s uid -1", tn));
	valid_req(t, &m);
	n = encode(&m, tmp);
	put_le32(tmp + 12, 0xffffffff);
	send_case(t, tmp, n, -EPROTO, label("%s gid -1", tn));
	/* groups: unsorted, twice the same, -1 */
	valid_req(t, &m);
	m.cred.ngroups = 2;
	m.cred.groups[0] = 3;
	m.cred.groups[1] = 5;
	n = encode(&m, tmp);
	put_le32(tmp + 17, 5);
	put_le32(tmp + 21, 3);
	send_case(t, tmp, n, -EPROTO, label("%s groups unsorted", tn));
	valid_req(t, &m);
	m.cred.ngroups = 2;
	m.cred.groups[0] = 3;
	m.cred.groups[1] = 5;
	n = encode(&m, tmp);
	put_le32(tmp + 21, 3);
	send_case(t, tmp, n, -EPROTO, label("%s group twice", tn));
	valid_req(t, &m);
	m.cred.ngroups = 1;
	m.cred.groups[0] = 3;
	n = encode(&m, tmp);
	put_le32(tmp + 17, 0xffffffff);
	send_case(t, tmp, n, -EPROTO, label("%s group -1", tn));
	/* 32 groups is the most; 33 is structure */
	valid_req(t, &m);
	m.cred.ngroups = OM_MFS_NGROUPS_MAX;
	for (i = 0; i < OM_MFS_NGROUPS_MAX; i++)
		m.cred.groups[i] = 100 + i;
	n = encode(&m, tmp);
	send_case(t, tmp, n, 0, label("%s 32 groups", tn));
	body = n - OM_MFS_REQ_HDR_LEN(OM_MFS_NGROUPS_MAX);
	memmove(tmp + OM_MFS_REQ_HDR_LEN(33), tmp + OM_MFS_REQ_HDR_LEN(32), body);
	put_le32(tmp + OM_MFS_REQ_HDR_LEN(32), 200);
	tmp[16] = 33;
	send_case(t, tmp, OM_MFS_REQ_HDR_LEN(33) + body, -EBADMSG,
		  label("%s 33 groups", tn));
	valid_req(t, &m);
	n = encode(&m, tmp);
	tmp[16] = 255;
	send_case(t, tmp, n, -EBADMSG, label("%s ngroups 255", tn));
}

/* Handles: wrong length, forged, another load's; 0 and 65 bytes */
static void fuzz_handles(u8 t)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	static const u8 lens[] = { 1, 8, 15, 17, 64 };
	const char *tn = om_mfs_type_name(t);
	struct om_mfs_msg m;
	struct fhb f;
	u32 n, h, i;

	if (!has_fh(t))
		return;
	for (i = 0; i < sizeof(lens); i++) {
		valid_req(t, &m);
		f.len = lens[i];
		probe_random(f.d, f.len);
		*first_fh(&m) = FH(&f);
		n = encode(&m, tmp);
		send_case(t, tmp, n, ESTALE_ERR, label("%s handle of %u bytes", tn, f.len));
	}
	/* this load's number, an id it never gave */
	f = fh_root;
	put_le64(f.d + 8, 0x7000000000000000ULL | (probe_rnd() >> 8));
	valid_req(t, &m);
	*first_fh(&m) = FH(&f);
	n = encode(&m, tmp);
	send_case(t, tmp, n, ESTALE_ERR, label("%s forged handle", tn));
	/* another load's number, an id it gave */
	f = fh_file;
	put_le64(f.d, probe_rnd() | 1);
	valid_req(t, &m);
	*first_fh(&m) = FH(&f);
	n = encode(&m, tmp);
	send_case(t, tmp, n, ESTALE_ERR, label("%s another load's handle", tn));
	/* 0 bytes: the length byte 0, the handle's bytes gone */
	valid_req(t, &m);
	n = encode(&m, tmp);
	h = hdr_len(&m);
	f.len = tmp[h];
	memmove(tmp + h + 1, tmp + h + 1 + f.len, n - h - 1 - f.len);
	tmp[h] = 0;
	send_case(t, tmp, n - f.len, -EBADMSG, label("%s handle of 0 bytes", tn));
	/* 65 bytes */
	valid_req(t, &m);
	n = encode(&m, tmp);
	f.len = tmp[h];
	memmove(tmp + h + 1 + 65, tmp + h + 1 + f.len, n - h - 1 - f.len);
	memset(tmp + h + 1, 0x42, 65);
	tmp[h] = 65;
	send_case(t, tmp, n - f.len + 65, -EBADMSG, label("%s handle of 65 bytes", tn));
}

/* Names: ".", "..", "/" and NUL inside, 0 bytes, 255 and 256 bytes */
static void fuzz_names(u8 t)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	static const struct { const char *s; u32 len; } bad[] = {
		{ ".", 1 }, { "..", 2 }, { "/", 1 }, { "a/b", 3 }, { "../x", 4 },
		{ "a\0b", 3 }, { "\0", 1 }, { "x/", 2 },
	};
	const char *tn = om_mfs_type_name(t);
	struct om_mfs_msg m;
	u32 n, a, b, i, k, at;

	valid_req(t, &m);
	name_offs(&m, &a, &b);
	if (!a)
		return;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			valid_req(t, &m);
			n = encode(&m, tmp);
			name_offs(&m, &a, &b);
			at = k ? b : a;
			if (!at)
				break;
			/* the name at "at" becomes bad[i] */
			memmove(tmp + at + 1 + bad[i].len, tmp + at + 1 + tmp[at],
				n - at - 1 - tmp[at]);
			n = n - tmp[at] + bad[i].len;
			memcpy(tmp + at + 1, bad[i].s, bad[i].len);
			tmp[at] = bad[i].len;
			send_case(t, tmp, n, -EPROTO, label("%s name %u \"%.*s\" (%u)", tn, k,
				  (int)bad[i].len, bad[i].s[0] ? bad[i].s : "\\0", i));
		}
		valid_req(t, &m);
		n = encode(&m, tmp);
		name_offs(&m, &a, &b);
		at = k ? b : a;
		if (!at)
			break;
		/* 0 bytes */
		memmove(tmp + at + 1, tmp + at + 1 + tmp[at], n - at - 1 - tmp[at]);
		n -= tmp[at];
		tmp[at] = 0;
		send_case(t, tmp, n, -EBADMSG, label("%s name %u of 0 bytes", tn, k));
		/* 255 bytes, valid; 256 cannot be said: 255 then one more byte */
		valid_req(t, &m);
		n = encode(&m, tmp);
		memmove(tmp + at + 1 + 255, tmp + at + 1 + tmp[at], n - at - 1 - tmp[at]);
		n = n - tmp[at] + 255;
		memset(tmp + at + 1, 'n', 255);
		tmp[at] = 255;
		send_case(t, tmp, n, 0, label("%s name %u of 255 bytes", tn, k));
		memmove(tmp + at + 1 + 256, tmp + at + 1 + 255, n - at - 1 - 255);
		tmp[at + 1 + 255] = 'n';
		send_case(t, tmp, n + 1, 0, label("%s name %u of 256 bytes", tn, k));
	}
}

/* A request with a field at off (from the first handle's end) changed */
static void send_patched(u8 t, struct om_mfs_msg *m, u32 off, int size, u64 v,
			 int want, const char *what)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	u32 n = encode(m, tmp);
	u32 at = hdr_len(m) + 1 + first_fh(m)->len + off;
	int i;

	for (i = 0; i < size; i++)
		tmp[at + i] = v >> (8 * i);
	send_case(t, tmp, n, want, what);
}

/*
 * READDIR and READDIRPLUS budgets: from the longest entry they may get
 * back (273 bytes; 426 with its file: a 255-byte name, a 64-byte handle)
 * to 512 KiB
 */
static void fuzz_budgets(u8 t)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	static const u64 cookies[] = { 1ULL << 62, (1ULL << 63) - 1, 1ULL << 63, ~0ULL };
	const bool plus = t == OM_MFS_READDIRPLUS;
	const u32 least = plus ? OM_MFS_DIRENT_PLUS_MAX : OM_MFS_DIRENT_MAX;
	const char *tn = om_mfs_type_name(t);
	struct om_mfs_msg m;
	u32 n;
	int i;

	valid_req(t, &m);
	m.readdir.max_bytes = least;
	n = encode(&m, tmp);
	send_case(t, tmp, n, 0, label("%s of %u bytes", tn, least));
	valid_req(t, &m);
	send_patched(t, &m, 8, 4, least - 1, -EPROTO, label("%s of %u bytes", tn, least - 1));
	/* the other one's least: too little with files, enough without */
	valid_req(t, &m);
	if (plus) {
		send_patched(t, &m, 8, 4, OM_MFS_DIRENT_MAX, -EPROTO,
			     label("%s of %u bytes (READDIR's least)", tn, OM_MFS_DIRENT_MAX));
	} else {
		m.readdir.max_bytes = OM_MFS_DIRENT_PLUS_MAX;
		n = encode(&m, tmp);
		send_case(t, tmp, n, 0, label("%s of %u bytes (READDIRPLUS's least)", tn,
					      OM_MFS_DIRENT_PLUS_MAX));
	}
	valid_req(t, &m);
	send_patched(t, &m, 8, 4, 0, -EPROTO, label("%s of 0 bytes", tn));
	valid_req(t, &m);
	send_patched(t, &m, 8, 4, OM_MFS_IO_MAX + 1, -EPROTO, label("%s of 512 KiB + 1", tn));
	valid_req(t, &m);
	send_patched(t, &m, 8, 4, 0xffffffff, -EPROTO, label("%s of 4 GiB - 1", tn));
	valid_req(t, &m);
	m.readdir.max_bytes = OM_MFS_IO_MAX;
	n = encode(&m, tmp);
	send_case(t, tmp, n, 0, label("%s of 512 KiB", tn));
	/* the directory with a 255-byte name, at the least: room for it */
	valid_req(t, &m);
	m.readdir.dir = FH(&fh_sub);
	m.readdir.max_bytes = least;
	n = encode(&m, tmp);
	send_case(t, tmp, n, 0, label("%s of d, %u bytes", tn, least));
	for (i = 0; i < 4; i++) {
		valid_req(t, &m);
		m.readdir.cookie = cookies[i];
		m.readdir.max_bytes = least;
		n = encode(&m, tmp);
		send_case(t, tmp, n, 0, label("%s from %llx", tn,
			  (unsigned long long)cookies[i]));
	}
	for (i = 0; i < 16; i++) {
		valid_req(t, &m);
		m.readdir.cookie = probe_rnd();
		m.readdir.max_bytes = least + (probe_rnd() % 4096);
		n = encode(&m, tmp);
		send_case(t, tmp, n, 0, label("%s from random %d", tn, i));
	}
	valid_req(t, &m);
	m.readdir.dir = FH(&fh_file);
	n = encode(&m, tmp);
	send_case(t, tmp, n, 0, label("%s of a file", tn));
}

/* Values: offsets, lengths, budgets, flags, modes */
static void fuzz_values(void)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	static u8 big[OM_MFS_IO_MAX + 1];
	const u64 top = OM_MFS_OFF_MAX;
	struct om_mfs_msg m;
	u32 n, at;
	int i;

	/* READ: offset + len <= 2^63 - 1; len 1..512 KiB */
	valid_req(OM_MFS_READ, &m);
	m.read.offset = top - 1;
	m.read.len = 1;
	n = encode(&m, tmp);
	send_case(OM_MFS_READ, tmp, n, 0, "READ at 2^63 - 2");
	valid_req(OM_MFS_READ, &m);
	m.read.len = 1;
	send_patched(OM_MFS_READ, &m, 0, 8, top, -EPROTO, "READ at 2^63 - 1");
	valid_req(OM_MFS_READ, &m);
	send_patched(OM_MFS_READ, &m, 0, 8, ~0ULL, -EPROTO, "READ at 2^64 - 1");
	valid_req(OM_MFS_READ, &m);
	send_patched(OM_MFS_READ, &m, 8, 4, 0, -EPROTO, "READ of 0 bytes");
	valid_req(OM_MFS_READ, &m);
	send_patched(OM_MFS_READ, &m, 8, 4, OM_MFS_IO_MAX + 1, -EPROTO, "READ of 512 KiB + 1");
	valid_req(OM_MFS_READ, &m);
	send_patched(OM_MFS_READ, &m, 8, 4, 0xffffffff, -EPROTO, "READ of 4 GiB - 1");
	valid_req(OM_MFS_READ, &m);
	m.read.len = OM_MFS_IO_MAX;
	n = encode(&m, tmp);
	send_case(OM_MFS_READ, tmp, n, 0, "READ of 512 KiB");
	valid_req(OM_MFS_READ, &m);
	m.read.fh = FH(&fh_dir);
	n = encode(&m, tmp);
	send_case(OM_MFS_READ, tmp, n, 0, "READ of a directory");

	/* WRITE: the same bounds; len is structure (it says where data ends) */
	valid_req(OM_MFS_WRITE, &m);
	m.write.offset = top - 1;
	m.write.len = 1;
	n = encode(&m, tmp);
	send_case(OM_MFS_WRITE, tmp, n, 0, "WRITE at 2^63 - 2");
	valid_req(OM_MFS_WRITE, &m);
	m.write.len = 1;
	send_patched(OM_MFS_WRITE, &m, 0, 8, top, -EPROTO, "WRITE at 2^63 - 1");
	valid_req(OM_MFS_WRITE, &m);
	send_patched(OM_MFS_WRITE, &m, 8, 1, 3, -EPROTO, "WRITE flags sync and dsync");
	valid_req(OM_MFS_WRITE, &m);
	send_patched(OM_MFS_WRITE, &m, 8, 1, 4, -EPROTO, "WRITE flag 4");
	valid_req(OM_MFS_WRITE, &m);
	send_patched(OM_MFS_WRITE, &m, 9, 4, 0, -EBADMSG, "WRITE len 0");
	valid_req(OM_MFS_WRITE, &m);
	send_patched(OM_MFS_WRITE, &m, 9, 4, sizeof(wdata) + 1, -EBADMSG,
		     "WRITE len past the data");
	valid_req(OM_MFS_WRITE, &m);
	send_patched(OM_MFS_WRITE, &m, 9, 4, 0xffffffff, -EBADMSG, "WRITE len 4 GiB - 1");
	memset(big, 'w', sizeof(big));
	valid_req(OM_MFS_WRITE, &m);
	m.write.len = OM_MFS_IO_MAX;
	m.write.data = big;
	n = encode(&m, tmp);
	send_case(OM_MFS_WRITE, tmp, n, 0, "WRITE of 512 KiB");
	/* 512 KiB + 1: the length and the bytes */
	at = n;
	tmp[at] = 'w';
	put_le32(tmp + hdr_len(&m) + 1 + m.write.fh.len + 9, OM_MFS_IO_MAX + 1);
	send_case(OM_MFS_WRITE, tmp, n + 1, -EBADMSG, "WRITE of 512 KiB + 1");
	valid_req(OM_MFS_WRITE, &m);
	m.write.fh = FH(&fh_dir);
	n = encode(&m, tmp);
	send_case(OM_MFS_WRITE, tmp, n, 0, "WRITE to a directory");

	/* READDIR and READDIRPLUS budgets */
	fuzz_budgets(OM_MFS_READDIR);
	fuzz_budgets(OM_MFS_READDIRPLUS);

	/* SETATTR: fields without their bit, bits not known, sizes */
	valid_req(OM_MFS_SETATTR, &m);
	send_patched(OM_MFS_SETATTR, &m, 0, 4, 0x100, -EPROTO, "SETATTR valid 0x100");
	valid_req(OM_MFS_SETATTR, &m);
	send_patched(OM_MFS_SETATTR, &m, 0, 4, OM_MFS_SET_MODE | OM_MFS_SET_ATIME |
		     OM_MFS_SET_ATIME_NOW, -EPROTO, "SETATTR atime and atime now");
	valid_req(OM_MFS_SETATTR, &m);
	send_patched(OM_MFS_SETATTR, &m, 4, 4, 040644, -EPROTO, "SETATTR mode with a type");
	valid_req(OM_MFS_SETATTR, &m);
	send_patched(OM_MFS_SETATTR, &m, 8, 4, 1000, -EPROTO, "SETATTR uid without its bit");
	valid_req(OM_MFS_SETATTR, &m);
	m.setattr.valid = OM_MFS_SET_SIZE;
	m.setattr.mode = 0;
	send_patched(OM_MFS_SETATTR, &m, 16, 8, top + 1, -EPROTO, "SETATTR size 2^63");
	valid_req(OM_MFS_SETATTR, &m);
	m.setattr.valid = OM_MFS_SET_SIZE;
	m.setattr.mode = 0;
	m.setattr.size = top;
	n = encode(&m, tmp);
	send_case(OM_MFS_SETATTR, tmp, n, 0, "SETATTR size 2^63 - 1");
	valid_req(OM_MFS_SETATTR, &m);
	m.setattr.valid = OM_MFS_SET_MTIME;
	m.setattr.mode = 0;
	m.setattr.mtime.sec = -(1LL << 62);
	send_patched(OM_MFS_SETATTR, &m, 44, 4, 1000000000, -EPROTO,
		     "SETATTR mtime nsec 10^9");
	valid_req(OM_MFS_SETATTR, &m);
	m.setattr.valid = OM_MFS_SET_MTIME | OM_MFS_SET_ATIME;
	m.setattr.mode = 0;
	m.setattr.mtime.sec = (s64)(~0ULL >> 1);
	m.setattr.atime.sec = (s64)(1ULL << 63);
	n = encode(&m, tmp);
	send_case(OM_MFS_SETATTR, tmp, n, 0, "SETATTR times at the ends of s64");
	valid_req(OM_MFS_SETATTR, &m);
	m.setattr.valid = OM_MFS_SET_SIZE;
	m.setattr.mode = 0;
	m.setattr.fh = FH(&fh_root);
	n = encode(&m, tmp);
	send_case(OM_MFS_SETATTR, tmp, n, 0, "SETATTR truncate of the root");
	valid_req(OM_MFS_SETATTR, &m);
	m.setattr.valid = OM_MFS_SET_UID | OM_MFS_SET_MODE;
	m.setattr.mode = 07777;
	m.setattr.fh = FH(&fh_file);
	n = encode(&m, tmp);
	send_case(OM_MFS_SETATTR, tmp, n, 0, "SETATTR chown and chmod of root's file");

	/* CREATE, MKDIR: modes with a type, flags */
	valid_req(OM_MFS_CREATE, &m);
	n = encode(&m, tmp);
	put_le32(tmp + n - 5, 0100644);
	send_case(OM_MFS_CREATE, tmp, n, -EPROTO, "CREATE mode with a type");
	valid_req(OM_MFS_CREATE, &m);
	n = encode(&m, tmp);
	tmp[n - 1] = 2;
	send_case(OM_MFS_CREATE, tmp, n, -EPROTO, "CREATE flag 2");
	valid_req(OM_MFS_MKDIR, &m);
	n = encode(&m, tmp);
	put_le32(tmp + n - 4, 040755);
	send_case(OM_MFS_MKDIR, tmp, n, -EPROTO, "MKDIR mode with a type");
	valid_req(OM_MFS_CREATE, &m);
	m.create.dir = FH(&fh_root);
	n = encode(&m, tmp);
	send_case(OM_MFS_CREATE, tmp, n, 0, "CREATE in the root (nobody)");

	/* SYMLINK targets: 0, NUL inside, 4095, 4096 */
	valid_req(OM_MFS_SYMLINK, &m);
	n = encode(&m, tmp);
	tmp[n - 3] = 0;
	send_case(OM_MFS_SYMLINK, tmp, n, -EPROTO, "SYMLINK target with a NUL");
	valid_req(OM_MFS_SYMLINK, &m);
	n = encode(&m, tmp);
	tmp[n - 6] = 0;
	tmp[n - 5] = 0;
	send_case(OM_MFS_SYMLINK, tmp, n - 4, -EBADMSG, "SYMLINK target of 0 bytes");
	memset(big, 't', 4096);
	valid_req(OM_MFS_SYMLINK, &m);
	m.symlink.target.s = (const char *)big;
	m.symlink.target.len = OM_MFS_TARGET_MAX;
	n = encode(&m, tmp);
	send_case(OM_MFS_SYMLINK, tmp, n, 0, "SYMLINK target of 4095 bytes");
	tmp[n] = 't';
	tmp[n - OM_MFS_TARGET_MAX - 2] = 0x00;
	tmp[n - OM_MFS_TARGET_MAX - 1] = 0x10;
	send_case(OM_MFS_SYMLINK, tmp, n + 1, -EBADMSG, "SYMLINK target of 4096 bytes");

	/* RENAME and LINK across handles that are not ours; flags */
	valid_req(OM_MFS_RENAME, &m);
	n = encode(&m, tmp);
	put_le32(tmp + n - 4, 3);
	send_case(OM_MFS_RENAME, tmp, n, -EPROTO, "RENAME noreplace and exchange");
	valid_req(OM_MFS_RENAME, &m);
	n = encode(&m, tmp);
	put_le32(tmp + n - 4, 4);
	send_case(OM_MFS_RENAME, tmp, n, -EPROTO, "RENAME whiteout");
	for (i = 0; i < 3; i++) {
		struct fhb f = fh_w;

		put_le64(f.d + 8, 0x7100000000000000ULL | (probe_rnd() >> 8));
		valid_req(OM_MFS_RENAME, &m);
		if (i != 1)
			m.rename.odir = FH(&f);
		if (i != 0)
			m.rename.ndir = FH(&f);
		n = encode(&m, tmp);
		send_case(OM_MFS_RENAME, tmp, n, ESTALE_ERR,
			  label("RENAME with a forged %s", i == 0 ? "old directory" :
				i == 1 ? "new directory" : "both"));
		valid_req(OM_MFS_LINK, &m);
		if (i != 1)
			m.link.fh = FH(&f);
		if (i != 0)
			m.link.dir = FH(&f);
		n = encode(&m, tmp);
		send_case(OM_MFS_LINK, tmp, n, ESTALE_ERR,
			  label("LINK with a forged %s", i == 0 ? "file" :
				i == 1 ? "directory" : "file and directory"));
	}
	valid_req(OM_MFS_RENAME, &m);
	m.rename.odir = FH(&fh_dir);
	m.rename.oname = STR("f");
	m.rename.ndir = FH(&fh_w);
	n = encode(&m, tmp);
	send_case(OM_MFS_RENAME, tmp, n, 0, "RENAME of root's file (nobody)");
	valid_req(OM_MFS_RENAME, &m);
	m.rename.odir = FH(&fh_file);
	m.rename.ndir = FH(&fh_link);
	n = encode(&m, tmp);
	send_case(OM_MFS_RENAME, tmp, n, 0, "RENAME between non-directories");
	valid_req(OM_MFS_LINK, &m);
	m.link.fh = FH(&fh_sub);
	n = encode(&m, tmp);
	send_case(OM_MFS_LINK, tmp, n, 0, "LINK of a directory");

	/* FSYNC flags */
	valid_req(OM_MFS_FSYNC, &m);
	n = encode(&m, tmp);
	tmp[n - 1] = 2;
	send_case(OM_MFS_FSYNC, tmp, n, -EPROTO, "FSYNC flag 2");
	valid_req(OM_MFS_FSYNC, &m);
	m.fsync.fh = FH(&fh_link);
	n = encode(&m, tmp);
	send_case(OM_MFS_FSYNC, tmp, n, 0, "FSYNC of a symlink");
	valid_req(OM_MFS_READLINK, &m);
	m.readlink.fh = FH(&fh_file);
	n = encode(&m, tmp);
	send_case(OM_MFS_READLINK, tmp, n, 0, "READLINK of a file");
}

/* Handles of files removed (through MFS): -ESTALE for every use */
static void fuzz_stale(void)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	struct om_mfs_msg m;
	struct fhb sf, sd;
	struct pend *p;
	const char *fname, *dname;
	u8 t;
	u32 n;

	valid_req(OM_MFS_CREATE, &m);
	fname = m.create.name.s;
	p = call(&m, "CREATE a file to remove");
	if (!p || p->rtype != OM_MFS_R_ENTRY) {
		check(false, "CREATE in the writable directory: %s %d",
		      p ? om_mfs_type_name(p->rtype) : "-", p ? p->err : 0);
		return;
	}
	sf = p->fh;
	valid_req(OM_MFS_MKDIR, &m);
	dname = m.mkdir.name.s;
	p = call(&m, "MKDIR a directory to remove");
	if (!p || p->rtype != OM_MFS_R_ENTRY) {
		check(false, "MKDIR in the writable directory: %s %d",
		      p ? om_mfs_type_name(p->rtype) : "-", p ? p->err : 0);
		return;
	}
	sd = p->fh;
	valid_req(OM_MFS_UNLINK, &m);
	m.unlink.name = STR(fname);
	p = call(&m, "UNLINK it");
	check(p && p->rtype == OM_MFS_R_OK, "UNLINK of our file: %s %d",
	      p ? om_mfs_type_name(p->rtype) : "-", p ? p->err : 0);
	valid_req(OM_MFS_RMDIR, &m);
	m.rmdir.name = STR(dname);
	p = call(&m, "RMDIR it");
	check(p && p->rtype == OM_MFS_R_OK, "RMDIR of our directory: %s %d",
	      p ? om_mfs_type_name(p->rtype) : "-", p ? p->err : 0);
	for (t = OM_MFS_LOOKUP; t <= OM_MFS_REQ_LAST; t++) {
		bool dirfirst = t == OM_MFS_LOOKUP || t == OM_MFS_READDIR ||
				t == OM_MFS_READDIRPLUS ||
				t == OM_MFS_CREATE || t == OM_MFS_MKDIR ||
				t == OM_MFS_SYMLINK || t == OM_MFS_UNLINK ||
				t == OM_MFS_RMDIR || t == OM_MFS_RENAME;

		valid_req(t, &m);
		*first_fh(&m) = FH(dirfirst ? &sd : &sf);
		n = encode(&m, tmp);
		send_case(t, tmp, n, ESTALE_ERR, label("%s with a stale handle",
			  om_mfs_type_name(t)));
	}
	valid_req(OM_MFS_LINK, &m);
	m.link.dir = FH(&sd);
	n = encode(&m, tmp);
	send_case(OM_MFS_LINK, tmp, n, ESTALE_ERR, "LINK into a removed directory");
	valid_req(OM_MFS_RENAME, &m);
	m.rename.ndir = FH(&sd);
	n = encode(&m, tmp);
	send_case(OM_MFS_RENAME, tmp, n, ESTALE_ERR, "RENAME into a removed directory");
}

/* ---- listings ---- */

/* One listed entry, as walk_listing() keeps it */
struct lent {
	char name[OM_MFS_NAME_MAX];
	u8 nlen;
	u8 type;
	u64 ino, cookie;
	struct fhb fh;		/* READDIRPLUS: its file's; len 0: none told */
	struct om_mfs_attr attr;
};

#define LIST_MAX	256
/* at most this much of a name in a message */
#define SHORT(n)	((int)((n) > 40 ? 40 : (n)))

struct listing {
	unsigned int n;		/* entries listed; those past LIST_MAX not kept */
	struct lent e[LIST_MAX];
};

/* call(), and its R_DIRENTS or R_DIRENTS_PLUS in kept */
static struct pend *call_keep(const struct om_mfs_msg *m, const char *what)
{
	struct pend *p;

	memset(&kept, 0, sizeof(kept));
	keep_next = true;
	p = call(m, what);
	keep_next = false;
	return p;
}

/*
 * All of dir, by READDIR or READDIRPLUS (t) of max bytes a call: each
 * reply of t's type, with entries past the cookie asked from (as the
 * node's own client demands) or the end
 */
static bool walk_listing(u8 t, const struct fhb *dir, const char *dname, u32 max,
			 struct listing *l)
{
	const u8 rt = t == OM_MFS_READDIRPLUS ? OM_MFS_R_DIRENTS_PLUS : OM_MFS_R_DIRENTS;
	const char *tn = om_mfs_type_name(t);
	struct om_mfs_dirent e;
	struct om_mfs_msg m;
	struct pend *p;
	u64 cookie = 0, last;
	unsigned int calls;
	u32 off;

	l->n = 0;
	for (calls = 0; calls < 4 * LIST_MAX && !closed; calls++) {
		valid_req(t, &m);
		m.readdir.dir = FH(dir);
		m.readdir.cookie = cookie;
		m.readdir.max_bytes = max;
		p = call_keep(&m, label("%s of %s from %llx, %u bytes", tn, dname,
					(unsigned long long)cookie, max));
		if (!p || p->rtype != rt) {
			check(false, "%s of %s from %llx, %u bytes: %s %d, not %s", tn,
			      dname, (unsigned long long)cookie, max,
			      p ? om_mfs_type_name(p->rtype) : "no answer", p ? p->err : 0,
			      om_mfs_type_name(rt));
			return false;
		}
		off = 0;
		last = cookie;
		while (om_mfs_dirent_next(&kept, &off, &e)) {
			if (l->n < LIST_MAX) {
				struct lent *k = &l->e[l->n];

				memcpy(k->name, e.name.s, e.name.len);
				k->nlen = e.name.len;
				k->type = e.type;
				k->ino = e.ino;
				k->cookie = e.cookie;
				if (e.fh.len)
					memcpy(k->fh.d, e.fh.data, e.fh.len);
				k->fh.len = e.fh.len;
				k->attr = e.attr;
			}
			l->n++;
			last = e.cookie;
		}
		if (kept.eof)
			return true;
		if (last == cookie) {
			check(false, "%s of %s from %llx, %u bytes: %u entries, none past it, and not the end",
			      tn, dname, (unsigned long long)cookie, max, kept.count);
			return false;
		}
		cookie = last;
	}
	check(false, "%s of %s, %u bytes: no end after %u calls", tn, dname, max, calls);
	return false;
}

/* A READDIRPLUS entry that told its file (name in dname): is it that file? */
static void check_told(const struct lent *k, const char *dname, bool top)
{
	static const struct { const char *name; const struct fhb *fh; } known[] = {
		{ "f", &fh_file }, { "l", &fh_link }, { "d", &fh_sub }, { "w", &fh_w },
	};
	struct om_mfs_msg m;
	struct pend *p;
	unsigned int i;

	check(k->ino == k->attr.ino, "READDIRPLUS of %s: %.*s has ino %llx, its attributes %llx",
	      dname, SHORT(k->nlen), k->name, (unsigned long long)k->ino,
	      (unsigned long long)k->attr.ino);
	for (i = 0; top && i < sizeof(known) / sizeof(known[0]); i++)
		if (k->nlen == strlen(known[i].name) &&
		    !memcmp(k->name, known[i].name, k->nlen))
			check(k->fh.len == known[i].fh->len &&
			      !memcmp(k->fh.d, known[i].fh->d, k->fh.len),
			      "READDIRPLUS of %s: %s's handle is not the one LOOKUP gave",
			      dname, known[i].name);
	valid_req(OM_MFS_GETATTR, &m);
	m.getattr.fh = FH(&k->fh);
	p = call(&m, label("GETATTR of %.*s's handle from READDIRPLUS", SHORT(k->nlen), k->name));
	check(p && p->rtype == OM_MFS_R_ATTR && p->ino == k->attr.ino &&
	      (p->mode & OM_MFS_S_IFMT) == (k->attr.mode & OM_MFS_S_IFMT),
	      "GETATTR of %.*s's handle from READDIRPLUS of %s: %s %d, ino %llx mode %o; the entry said ino %llx mode %o",
	      SHORT(k->nlen), k->name, dname, p ? om_mfs_type_name(p->rtype) : "no answer",
	      p ? p->err : 0, p ? (unsigned long long)p->ino : 0ULL, p ? p->mode : 0,
	      (unsigned long long)k->attr.ino, k->attr.mode);
}

/*
 * DIR and DIR/d (51 entries, one of a 255-byte name) listed whole by
 * READDIR and by READDIRPLUS, each at its least budget (one longest entry
 * each call at worst): the same names, in the same order, with the same
 * cookies; an entry without its file has READDIR's ino and type; one with
 * it is the file LOOKUP and GETATTR know.  (The node tells files only
 * where it can promise: not on overlayfs or 9p.)
 */
static void fuzz_listings(const char *dir)
{
	static struct listing a, b;
	const struct { const struct fhb *fh; const char *name; } dirs[] = {
		{ &fh_dir, dir }, { &fh_sub, "d" },
	};
	unsigned int i, k, n, told = 0, total = 0;

	for (i = 0; i < 2 && !closed; i++) {
		if (!walk_listing(OM_MFS_READDIR, dirs[i].fh, dirs[i].name,
				  OM_MFS_DIRENT_MAX, &a) ||
		    !walk_listing(OM_MFS_READDIRPLUS, dirs[i].fh, dirs[i].name,
				  OM_MFS_DIRENT_PLUS_MAX, &b))
			continue;
		check(a.n == b.n && a.n <= LIST_MAX,
		      "%s: READDIR lists %u names, READDIRPLUS %u (at most %u compared)",
		      dirs[i].name, a.n, b.n, LIST_MAX);
		n = a.n < b.n ? a.n : b.n;
		if (n > LIST_MAX)
			n = LIST_MAX;
		for (k = 0; k < n; k++) {
			const struct lent *x = &a.e[k], *y = &b.e[k];

			if (!(x->nlen == y->nlen && !memcmp(x->name, y->name, x->nlen) &&
			      x->cookie == y->cookie)) {
				check(false, "%s, entry %u: READDIR %.*s (cookie %llx), READDIRPLUS %.*s (%llx)",
				      dirs[i].name, k, SHORT(x->nlen), x->name,
				      (unsigned long long)x->cookie, SHORT(y->nlen), y->name,
				      (unsigned long long)y->cookie);
				break;
			}
			if (!y->fh.len) {
				check(x->ino == y->ino && x->type == y->type,
				      "%s: %.*s without its file: READDIR ino %llx type %u, READDIRPLUS %llx %u",
				      dirs[i].name, SHORT(x->nlen), x->name, (unsigned long long)x->ino,
				      x->type, (unsigned long long)y->ino, y->type);
				continue;
			}
			told++;
			check_told(y, dirs[i].name, i == 0);
		}
		total += b.n;
	}
	note("%u of the %u READDIRPLUS entries told their files", told, total);
}

/*
 * The MFS frame types that are not requests (replies, notices, unused):
 * nobody answers.  BREAK, BREAK_ACK and BREAK_ALL with a GETATTR's bytes
 * do not decode as such either.
 */
static void fuzz_types(void)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD];
	struct om_mfs_msg m;
	unsigned int t;
	u32 n;

	for (t = OM_WIRE_T_MFS_FIRST; t <= OM_WIRE_T_MFS_LAST; t++) {
		if (om_mfs_is_request(t))
			continue;
		valid_req(OM_MFS_GETATTR, &m);
		n = encode(&m, tmp);
		send_case((u8)t, tmp, n, 0, label("type %#x", t));
	}
}

/* Random mutations of valid requests */
static void fuzz_mutate(int rounds)
{
	static u8 tmp[OM_WIRE_MAX_PAYLOAD + 64];
	struct om_mfs_msg m;
	int r, k, nmut;
	u32 n;
	u8 t;

	for (r = 0; r < rounds && !closed; r++) {
		t = OM_MFS_REQ_FIRST + probe_rnd() % (OM_MFS_REQ_LAST - OM_MFS_REQ_FIRST + 1);
		valid_req(t, &m);
		if (probe_rnd() % 4 == 0) {
			m.cred.ngroups = probe_rnd() % 4;
			for (k = 0; k < m.cred.ngroups; k++)
				m.cred.groups[k] = 1000 + 7 * k;
		}
		n = encode(&m, tmp);
		nmut = 1 + probe_rnd() % 3;
		for (k = 0; k < nmut; k++) {
			u32 at = 8 + (n > 8 ? probe_rnd() % (n - 8) : 0);

			switch (probe_rnd() % 6) {
			case 0:
			case 1:
				if (at < n)
					tmp[at] ^= 1 << (probe_rnd() % 8);
				break;
			case 2:
				if (at < n)
					tmp[at] = probe_rnd();
				break;
			case 3:
				n = at;		/* cut */
				break;
			case 4: {
				u32 add = 1 + probe_rnd() % 16, i;

				for (i = 0; i < add; i++)
					tmp[n + i] = probe_rnd();
				n += add;
				break;
			}
			case 5:
				/* the same bytes under another request type */
				t = OM_MFS_REQ_FIRST +
				    probe_rnd() % (OM_MFS_REQ_LAST - OM_MFS_REQ_FIRST + 1);
				break;
			}
		}
		send_case(t, tmp, n, 0, label("mutation %d (%s, %u bytes)", r,
			  om_mfs_type_name(t), n));
	}
}

static int mfs_fuzz(int rounds, const char *dir)
{
	struct om_mfs_msg m;
	struct pend *p;
	char path[1024];
	u8 t;

	group_begin("the test tree");
	if (!resolve(dir, &fh_dir) || !lookup(&fh_dir, "f", &fh_file) ||
	    !lookup(&fh_dir, "l", &fh_link) || !lookup(&fh_dir, "d", &fh_sub) ||
	    !lookup(&fh_dir, "w", &fh_w)) {
		snprintf(path, sizeof(path), "%s/{f,l,d,w}", dir);
		check(false, "cannot look up %s on the node", path);
		return 1;
	}
	/* nobody's file to write to, chmod, link */
	valid_req(OM_MFS_CREATE, &m);
	m.create.name = STR(fresh_name("wfile"));
	p = call(&m, "CREATE nobody's file");
	if (!p || p->rtype != OM_MFS_R_ENTRY) {
		check(false, "CREATE in %s/w: %s %d", dir,
		      p ? om_mfs_type_name(p->rtype) : "-", p ? p->err : 0);
		return 1;
	}
	fh_wfile = p->fh;
	group_end();
	group_begin(label("READDIR and READDIRPLUS of %s and %s/d, whole", dir, dir));
	fuzz_listings(dir);
	group_end();

	for (t = OM_MFS_REQ_FIRST; t <= OM_MFS_REQ_LAST && !closed; t++) {
		group_begin(label("%s: valid, every truncation, trailing bytes, id 0",
				  om_mfs_type_name(t)));
		fuzz_structure(t);
		group_end();
		group_begin(label("%s: credentials", om_mfs_type_name(t)));
		fuzz_cred(t);
		group_end();
		if (has_fh(t)) {
			group_begin(label("%s: handles", om_mfs_type_name(t)));
			fuzz_handles(t);
			group_end();
		}
		group_begin(label("%s: names", om_mfs_type_name(t)));
		fuzz_names(t);
		group_end();
	}
	group_begin("values: offsets, lengths, budgets, flags, modes, targets");
	fuzz_values();
	group_end();
	group_begin("stale handles");
	fuzz_stale();
	group_end();
	group_begin(label("types %#x-%#x (not requests)", OM_MFS_REQ_LAST + 1,
			  OM_WIRE_T_MFS_LAST));
	fuzz_types();
	group_end();
	group_begin(label("%d random mutations", rounds));
	fuzz_mutate(rounds);
	group_end();
	control("the fuzzing");
	if (n_breaks)
		note("%u BREAKs acknowledged", n_breaks);
	note("%d failures", fails);
	return fails || closed ? 1 : 0;
}

/* ================================================================ flood */

static int mfs_flood(int n, const char *path, bool leave)
{
	static u8 tmp[256];
	struct om_mfs_msg m;
	struct fhb f;
	long long t0, end;
	int i, sent = 0;
	const char *kib = getenv("OMWIRE_FLOOD_KIB");
	u32 rlen = kib ? (u32)atoi(kib) << 10 : 128 << 10;
	u32 len;

	if (!rlen || rlen > OM_MFS_IO_MAX)
		rlen = 128 << 10;
	group_begin("flood");
	if (!resolve(path, &f)) {
		check(false, "cannot look up %s on the node", path);
		return 1;
	}
	pend_compact();
	n_enobufs = n_data = n_other = 0;
	enobufs_ok = true;
	t0 = probe_now_ms();
	for (i = 0; i < n && !closed; i++) {
		valid_req(OM_MFS_READ, &m);
		m.read.fh = FH(&f);
		m.read.len = rlen;
		len = encode(&m, tmp);
		submit_w(OM_MFS_READ, tmp, len, 0, "READ in the flood", 0);
		sent++;
		if (leave && n_enobufs)
			break;
	}
	note("%d READs of %u KiB sent in %lld ms; %u answered so far, %u of them -ENOBUFS",
	     sent, rlen >> 10, probe_now_ms() - t0, n_data + n_enobufs + n_other, n_enobufs);
	if (leave) {
		/* the server's queue is full: hang up on it */
		while (!n_enobufs && !closed && probe_now_ms() - t0 < ANSWER_MS)
			pump(10);
		check(n_enobufs, "the server answered -ENOBUFS (its queue is full)");
		note("leaving with %u requests unanswered", outstanding);
		return fails ? 1 : 0;
	}
	end = probe_now_ms() + 3 * ANSWER_MS;
	while (outstanding && !closed && probe_now_ms() < end)
		pump(200);
	note("after %lld ms: %u with data, %u -ENOBUFS, %u else, %u unanswered",
	     probe_now_ms() - t0, n_data, n_enobufs, n_other, outstanding);
	check(!outstanding, "every request answered");
	check(n_enobufs > 0, "some answered -ENOBUFS: the server queues at most %d of a node",
	      NODE_QUEUE);
	check(!n_other, "no answer but data or -ENOBUFS");
	check(n_data >= NODE_QUEUE || n_data + n_enobufs == (unsigned int)sent,
	      "requests within the bound served");
	if (!group_fails)
		printf("# ok - flood: %d requests, each answered once, %u with -ENOBUFS\n",
		       sent, n_enobufs);
	group = NULL;
	pend_compact();
	/* recovered: requests one after another are served, not refused */
	group_begin("after the flood");
	n_enobufs = 0;
	enobufs_ok = false;
	t0 = probe_now_ms();
	for (i = 0; i < 32 && !closed; i++) {
		valid_req(OM_MFS_GETATTR, &m);
		m.getattr.fh = FH(&f);
		len = encode(&m, tmp);
		submit_w(OM_MFS_GETATTR, tmp, len, 0, "GETATTR after the flood", 1);
		while (outstanding && !closed && probe_now_ms() - t0 < ANSWER_MS)
			pump(20);
	}
	check(!n_enobufs && !outstanding && probe_now_ms() - t0 < 20000 * slow,
	      "32 GETATTRs one after another: %u -ENOBUFS, %u unanswered, %lld ms",
	      n_enobufs, outstanding, probe_now_ms() - t0);
	if (!group_fails)
		printf("# ok - after the flood: 32 GETATTRs served in %lld ms\n",
		       probe_now_ms() - t0);
	group = NULL;
	control("the flood");
	return fails || closed ? 1 : 0;
}

/* ================================================= the probe as a server */

enum serve_mode {
	S_GOOD, S_WRONGTYPE, S_TRUNCATED, S_OVERSIZE, S_DIRENTS, S_DIRLOOP,
	S_HANDLES, S_ATTRS, S_HUGESIZE, S_TYPECHANGE, S_LOOP, S_ERRNO,
	S_SILENT, S_FLOOD, S_NMODES
};

static const char *const mode_names[S_NMODES] = {
	"good", "wrongtype", "truncated", "oversize", "dirents", "dirloop",
	"handles", "attrs", "hugesize", "typechange", "loop", "errno",
	"silent", "flood",
};

/* The tree: four files; handles are 4 bytes */
enum { F_ROOT, F_FILE, F_DIR, F_LINK, F_N };
static const char *const f_names[F_N] = { "", "file", "dir", "link" };
static const u8 f_fh[F_N][4] = { "Root", "File", "Dir.", "Link" };
static char content[4096] = "hello from node 99\n";
static u32 content_len = 19;
static u32 file_mode = 0644;
static enum serve_mode smode;
static unsigned int served, bad_sent, variant;

static void handle_sig(int sig)
{
	(void)sig;
	stop = 1;
}

static int which_fh(const struct om_mfs_fh *fh)
{
	int i;

	for (i = 0; i < F_N; i++)
		if (fh->len == 4 && !memcmp(fh->data, f_fh[i], 4))
			return i;
	return -1;
}

static void attr_of(int f, struct om_mfs_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = 100 + f;
	a->nlink = f == F_ROOT || f == F_DIR ? 2 : 1;
	a->blksize = 4096;
	a->atime.sec = a->mtime.sec = a->ctime.sec = 1700000000;
	switch (f) {
	case F_ROOT:
	case F_DIR:
		a->mode = OM_MFS_S_IFDIR | 0755;
		a->size = 4096;
		a->blocks = 8;
		break;
	case F_FILE:
		a->mode = OM_MFS_S_IFREG | file_mode;
		a->size = content_len;
		a->blocks = (content_len + 511) / 512;
		if (smode == S_HUGESIZE) {
			a->size = OM_MFS_OFF_MAX;
			a->blocks = OM_MFS_BLOCKS_MAX;
		}
		break;
	case F_LINK:
		a->mode = OM_MFS_S_IFLNK | 0777;
		a->size = 4;
		break;
	}
}

static void entry_of(int f, struct om_mfs_msg *a)
{
	a->type = OM_MFS_R_ENTRY;
	a->entry.fh.data = f_fh[f];
	a->entry.fh.len = 4;
	attr_of(f, &a->entry.attr);
}

static void error_of(int err, struct om_mfs_msg *a)
{
	a->type = OM_MFS_R_ERROR;
	a->error.err = err;
}

/*
 * The root's entry for file f; in a READDIRPLUS reply with the file, as
 * its LOOKUP tells it, and promise 0: we never send a BREAK, so we
 * promise nothing (the client primes its dentries, and asks again).
 * twist: the mode's lie, if it misbehaves on this listing.
 */
static void tree_dirent(int f, bool plus, enum serve_mode twist,
			struct om_mfs_dirent *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = 100 + f;
	e->cookie = f;
	e->name = STR(f_names[f]);
	attr_of(f, &e->attr);
	if (twist == S_TYPECHANGE && f == F_FILE) {
		/* the file is a directory now: its entry says so too */
		attr_of(F_DIR, &e->attr);
		e->attr.ino = e->ino;
	} else if (twist == S_LOOP && f == F_DIR) {
		/* "dir" is the root itself, as its LOOKUP says */
		attr_of(F_ROOT, &e->attr);
		e->ino = e->attr.ino;
		e->fh.data = f_fh[F_ROOT];
	}
	e->type = om_mfs_mode_to_dt(e->attr.mode);
	if (!plus) {
		memset(&e->attr, 0, sizeof(e->attr));
		return;
	}
	if (!e->fh.data)
		e->fh.data = f_fh[f];
	e->fh.len = 4;
}

/* Put e after the len bytes of entries at ents; its length, or -EMSGSIZE */
static int put_dirent(const struct om_mfs_dirent *e, bool plus, u8 *ents, u32 len,
		      u32 cap)
{
	int k = om_mfs_dirent_put(e, plus, ents + len, cap - len);

	if (k < 0 && k != -EMSGSIZE) {
		fprintf(stderr, "omwire-probe: an entry %.*s we cannot put: %d\n",
			(int)e->name.len, e->name.s, k);
		exit(2);
	}
	return k;
}

/* READDIR, READDIRPLUS of the tree (f: the directory's); entries into out */
static void listing(const struct om_mfs_msg *q, int f, struct om_mfs_msg *a, u8 *out,
		    enum serve_mode twist)
{
	const bool plus = q->type == OM_MFS_READDIRPLUS;
	u8 *ents = out + OM_MFS_DIRENTS_HDR_LEN;
	struct om_mfs_dirent e;
	u32 len = 0;
	int i, k;

	memset(&a->dirents, 0, sizeof(a->dirents));
	if (f != F_ROOT && f != F_DIR) {
		error_of(-ENOTDIR, a);
		return;
	}
	a->type = plus ? OM_MFS_R_DIRENTS_PLUS : OM_MFS_R_DIRENTS;
	a->dirents.plus = plus;
	a->dirents.eof = 1;
	for (i = 1; f == F_ROOT && i < F_N; i++) {
		if ((u64)i <= q->readdir.cookie)
			continue;
		tree_dirent(i, plus, twist, &e);
		k = put_dirent(&e, plus, ents, len, q->readdir.max_bytes);
		if (k < 0) {
			a->dirents.eof = 0;	/* the rest next time */
			break;
		}
		len += k;
		a->dirents.count++;
	}
	a->dirents.ents = ents;
	a->dirents.len = len;
}

/* What an honest server with this tree answers; data and entries go into out */
static void answer(const struct om_mfs_msg *q, struct om_mfs_msg *a, u8 *out)
{
	int f = q->type == OM_MFS_ROOT ? F_ROOT : which_fh(first_fh((struct om_mfs_msg *)q));
	int i;

	memset(a, 0, sizeof(*a));
	a->req_id = q->req_id;
	if (f < 0) {
		error_of(ESTALE_ERR, a);
		return;
	}
	switch (q->type) {
	case OM_MFS_ROOT:
		entry_of(F_ROOT, a);
		break;
	case OM_MFS_LOOKUP:
		error_of(f == F_ROOT || f == F_DIR ? -ENOENT : -ENOTDIR, a);
		if (f != F_ROOT)
			break;
		for (i = 1; i < F_N; i++)
			if (q->lookup.name.len == strlen(f_names[i]) &&
			    !memcmp(q->lookup.name.s, f_names[i], q->lookup.name.len))
				entry_of(i, a);
		break;
	case OM_MFS_GETATTR:
		a->type = OM_MFS_R_ATTR;
		attr_of(f, &a->attr);
		break;
	case OM_MFS_SETATTR:
		if (f != F_FILE || (q->setattr.valid & (OM_MFS_SET_UID | OM_MFS_SET_GID))) {
			error_of(-EPERM, a);
			break;
		}
		if (q->setattr.valid & OM_MFS_SET_SIZE) {
			if (q->setattr.size > sizeof(content)) {
				error_of(-EFBIG, a);
				break;
			}
			if (q->setattr.size > content_len)
				memset(content + content_len, 0, q->setattr.size - content_len);
			content_len = q->setattr.size;
		}
		if (q->setattr.valid & OM_MFS_SET_MODE)
			file_mode = q->setattr.mode;
		a->type = OM_MFS_R_ATTR;
		attr_of(f, &a->attr);
		break;
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		listing(q, f, a, out, S_GOOD);
		break;
	case OM_MFS_READ: {
		u32 n = 0;

		if (f != F_FILE) {
			error_of(f == F_LINK ? -EINVAL : -EISDIR, a);
			break;
		}
		if (q->read.offset < content_len)
			n = content_len - q->read.offset;
		if (n > q->read.len)
			n = q->read.len;
		memcpy(out + OM_MFS_DATA_HDR_LEN, content + (n ? q->read.offset : 0), n);
		a->type = OM_MFS_R_DATA;
		a->data.len = n;
		a->data.data = out + OM_MFS_DATA_HDR_LEN;
		a->data.eof = q->read.offset + n >= content_len;
		break;
	}
	case OM_MFS_WRITE:
		if (f != F_FILE) {
			error_of(-EISDIR, a);
			break;
		}
		if (q->write.offset + q->write.len > sizeof(content)) {
			error_of(-EFBIG, a);
			break;
		}
		if (q->write.offset > content_len)
			memset(content + content_len, 0, q->write.offset - content_len);
		memcpy(content + q->write.offset, q->write.data, q->write.len);
		if (q->write.offset + q->write.len > content_len)
			content_len = q->write.offset + q->write.len;
		a->type = OM_MFS_R_WRITTEN;
		a->written.count = q->write.len;
		attr_of(f, &a->written.attr);
		break;
	case OM_MFS_READLINK:
		if (f != F_LINK) {
			error_of(-EINVAL, a);
			break;
		}
		a->type = OM_MFS_R_TARGET;
		a->target = STR("file");
		break;
	case OM_MFS_STATFS:
		a->type = OM_MFS_R_STATFS;
		a->fsstat.bsize = 4096;
		a->fsstat.namelen = 255;
		a->fsstat.blocks = 1000;
		a->fsstat.bfree = a->fsstat.bavail = 500;
		a->fsstat.files = 100;
		a->fsstat.ffree = 50;
		break;
	case OM_MFS_FSYNC:
		a->type = OM_MFS_R_OK;
		break;
	default:
		error_of(-EROFS, a);
		break;
	}
}

/* Does the mode misbehave on this request? */
static bool bad_for(const struct om_mfs_msg *q)
{
	const bool listing_req = q->type == OM_MFS_READDIR || q->type == OM_MFS_READDIRPLUS;
	bool good_lookup = false;
	int i;

	if (q->type == OM_MFS_LOOKUP && which_fh(&q->lookup.dir) == F_ROOT)
		for (i = 1; i < F_N; i++)
			good_lookup |= q->lookup.name.len == strlen(f_names[i]) &&
				       !memcmp(q->lookup.name.s, f_names[i], q->lookup.name.len);
	switch (smode) {
	case S_GOOD:
	case S_HUGESIZE:
	case S_FLOOD:
		return false;
	case S_OVERSIZE:
		return q->type == OM_MFS_READ || listing_req ||
		       q->type == OM_MFS_WRITE;
	case S_DIRENTS:
	case S_DIRLOOP:
		return listing_req;
	case S_HANDLES:
		/* READDIR tells no handles */
		return q->type == OM_MFS_LOOKUP || q->type == OM_MFS_READDIRPLUS;
	case S_ATTRS:
		return q->type == OM_MFS_LOOKUP || q->type == OM_MFS_GETATTR ||
		       q->type == OM_MFS_SETATTR || q->type == OM_MFS_WRITE ||
		       q->type == OM_MFS_READDIRPLUS;
	case S_TYPECHANGE:
		/* the root's READDIRPLUS tells the file */
		return (q->type == OM_MFS_GETATTR && which_fh(&q->getattr.fh) == F_FILE) ||
		       (q->type == OM_MFS_READDIRPLUS && which_fh(&q->readdir.dir) == F_ROOT);
	case S_LOOP:
		return (good_lookup && q->lookup.name.len == 3) ||	/* "dir" */
		       (q->type == OM_MFS_READDIRPLUS && which_fh(&q->readdir.dir) == F_ROOT);
	default:
		return q->type != OM_MFS_ROOT && !good_lookup;
	}
}

/*
 * A reply of another type than the request's, still a valid message:
 * never one the request could get (R_OK for an UNLINK, R_DIRENTS for a
 * READDIR)
 */
static void wrong_type(const struct om_mfs_msg *q, struct om_mfs_msg *a, u8 *out)
{
	struct om_mfs_msg lq = *q;
	u64 id = a->req_id;

	switch (a->type) {
	case OM_MFS_R_ENTRY:
	case OM_MFS_R_WRITTEN:
		a->type = OM_MFS_R_ATTR;
		attr_of(F_FILE, &a->attr);
		break;
	case OM_MFS_R_ATTR:
		memset(a, 0, sizeof(*a));
		entry_of(F_FILE, a);
		break;
	case OM_MFS_R_DIRENTS:
	case OM_MFS_R_DIRENTS_PLUS:
		memset(a, 0, sizeof(*a));
		if (variant++ % 2) {
			a->type = OM_MFS_R_DATA;
			a->data.eof = 1;
			a->data.data = out + OM_MFS_DATA_HDR_LEN;
			break;
		}
		/* the same entries, with their files or without: the other listing */
		lq.type = q->type == OM_MFS_READDIR ? OM_MFS_READDIRPLUS : OM_MFS_READDIR;
		lq.readdir.max_bytes = OM_MFS_IO_MAX;
		listing(&lq, which_fh(&q->readdir.dir), a, out, S_GOOD);
		break;
	case OM_MFS_R_DATA:
		memset(a, 0, sizeof(*a));
		a->type = OM_MFS_R_DIRENTS;
		a->dirents.eof = 1;
		a->dirents.ents = out + OM_MFS_DIRENTS_HDR_LEN;
		break;
	case OM_MFS_R_OK:
		a->type = OM_MFS_R_TARGET;
		a->target = STR("x");
		break;
	default:	/* R_ERROR, R_TARGET, R_STATFS */
		memset(a, 0, sizeof(*a));
		a->type = OM_MFS_R_OK;
		/* an R_OK would answer these */
		if (q->type == OM_MFS_UNLINK || q->type == OM_MFS_RMDIR ||
		    q->type == OM_MFS_RENAME || q->type == OM_MFS_FSYNC) {
			a->type = OM_MFS_R_TARGET;
			a->target = STR("x");
		}
		break;
	}
	a->req_id = id;
}

/* One raw R_DIRENTS entry */
static u32 raw_dirent(u8 *p, u64 ino, u64 cookie, u8 type, const char *name, u32 n)
{
	put_le64(p, ino);
	put_le64(p + 8, cookie);
	p[16] = type;
	p[17] = n;
	memcpy(p + 18, name, n);
	return OM_MFS_DIRENT_LEN(n);
}

/* Invalid attributes at p (84 bytes); variants in turn */
static void bad_attr(u8 *p)
{
	switch (variant++ % 10) {
	case 0: put_le32(p + 8, 0170644); break;		/* no such type */
	case 1: put_le32(p + 8, 0050644); break;		/* DIR | FIFO */
	case 2: put_le32(p + 8, 0100644 | 0200000); break;	/* a bit beyond */
	case 3: put_le64(p + 32, 1ULL << 63); break;		/* size 2^63 */
	case 4: put_le64(p + 40, ~0ULL); break;			/* blocks */
	case 5: put_le32(p + 56, 1000000000); break;		/* atime nsec */
	case 6: put_le32(p + 28, 0); break;			/* blksize */
	case 7: put_le32(p + 24, 0x0801); break;		/* rdev of a file */
	case 8: put_le32(p + 16, 0xffffffff); break;		/* uid -1 */
	default: put_le64(p, 0); break;				/* ino 0 */
	}
}

/* The 84 bytes of the valid attributes a, as the codec writes them */
static void raw_attr(u8 *p, const struct om_mfs_attr *a)
{
	struct om_mfs_msg m = { .type = OM_MFS_R_ATTR, .req_id = 1, .attr = *a };
	u8 tmp[8 + OM_MFS_ATTR_LEN + 4];

	if (om_mfs_encode(&m, tmp, sizeof(tmp)) != (int)sizeof(tmp)) {
		fprintf(stderr, "omwire-probe: attributes we cannot encode\n");
		exit(2);
	}
	memcpy(p, tmp + 8, OM_MFS_ATTR_LEN);
}

/*
 * A raw READDIRPLUS entry's file part at p: the handle length byte fhlen,
 * n bytes of handle, then with a the attributes and promise; its length
 */
static u32 raw_file(u8 *p, u8 fhlen, const u8 *fh, u32 n, const struct om_mfs_attr *a,
		    u32 promise)
{
	u32 len = 1;

	p[0] = fhlen;
	if (n)
		memcpy(p + 1, fh, n);
	len += n;
	if (a) {
		raw_attr(p + len, a);
		put_le32(p + len + OM_MFS_ATTR_LEN, promise);
		len += OM_MFS_ATTR_LEN + 4;
	}
	return len;
}

/* The header of an R_DIRENTS or R_DIRENTS_PLUS whose entries are in place */
static u32 dirents_hdr(u8 *out, u64 id, u8 eof, u32 count, u32 len)
{
	put_le64(out, id);
	out[8] = eof;
	put_le32(out + 9, count);
	return OM_MFS_DIRENTS_HDR_LEN + len;
}

static u8 hh[OM_MFS_FH_MAX + 1];	/* a made-up handle: 'H's */

#define BAD_DIRENTS		10	/* variants of a bad entry */
#define BAD_DIRENTS_PLUS	17	/* ... in R_DIRENTS_PLUS */

/*
 * The answer to the listing q (R_DIRENTS, R_DIRENTS_PLUS) with one
 * malformed entry after a good one; variants in turn (each
 * READDIRPLUS one without a file, BAD_DIRENTS..: with a bad one)
 */
static u32 bad_dirents(const struct om_mfs_msg *q, u8 *out)
{
	static unsigned int pvariant;
	const bool plus = q->type == OM_MFS_READDIRPLUS;
	const unsigned int v = plus ? pvariant++ % BAD_DIRENTS_PLUS : variant++ % BAD_DIRENTS;
	u8 *e = out + OM_MFS_DIRENTS_HDR_LEN, *b;
	struct om_mfs_dirent good;
	struct om_mfs_attr fa;
	u32 len, count = 2;

	tree_dirent(F_FILE, plus, S_GOOD, &good);
	len = put_dirent(&good, plus, e, 0, OM_MFS_IO_MAX);
	b = e + len;		/* the bad one */
	attr_of(F_FILE, &fa);
	fa.ino = 102;
	switch (v) {
	case 0: len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "a/b", 3); break;
	case 1: len += raw_dirent(b, 102, 2, OM_MFS_DT_DIR, "..", 2); break;
	case 2: len += raw_dirent(b, 102, 2, OM_MFS_DT_DIR, ".", 1); break;
	case 3: len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "a\0b", 3); break;
	case 4: len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "/", 1); break;
	case 5: len += raw_dirent(b, 102, 2, 3, "x", 1); break;	/* no DT 3 */
	case 6: len += raw_dirent(b, 0, 2, OM_MFS_DT_REG, "x", 1); break;
	case 7: len += raw_dirent(b, 102, 0, OM_MFS_DT_REG, "x", 1); break;
	case 8:	/* a name length that runs past the end */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "xyz", 3);
		b[17] = 200;
		break;
	case 9:	/* count says one more than there is */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "x", 1);
		count = 3;
		break;
	/* READDIRPLUS only: the entry's file */
	case 10:	/* a handle of 65 bytes */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "x", 1);
		len += raw_file(e + len, OM_MFS_FH_MAX + 1, hh, OM_MFS_FH_MAX + 1, &fa, 0);
		break;
	case 11:	/* a handle length that runs past the end */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "x", 1);
		len += raw_file(e + len, OM_MFS_FH_MAX, f_fh[F_FILE], 4, NULL, 0);
		break;
	case 12:	/* a directory, say the entry; a file, its attributes */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_DIR, "x", 1);
		len += raw_file(e + len, 4, f_fh[F_FILE], 4, &fa, 0);
		break;
	case 13:	/* a file, and no type in the entry */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_UNKNOWN, "x", 1);
		len += raw_file(e + len, 4, f_fh[F_FILE], 4, &fa, 0);
		break;
	case 14:	/* invalid attributes */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "x", 1);
		len += raw_file(e + len, 4, f_fh[F_FILE], 4, &fa, 0);
		bad_attr(e + len - 4 - OM_MFS_ATTR_LEN);
		break;
	case 15:	/* a promise longer than the longest */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "x", 1);
		len += raw_file(e + len, 4, f_fh[F_FILE], 4, &fa, OM_MFS_PROMISE_MAX_MS + 1);
		break;
	default:	/* no handle length at all: an R_DIRENTS entry */
		len += raw_dirent(b, 102, 2, OM_MFS_DT_REG, "x", 1);
		break;
	}
	if (plus && v < BAD_DIRENTS)
		e[len++] = 0;	/* no file told: the fault is the entry's */
	return dirents_hdr(out, q->req_id, 1, count, len);
}

/*
 * The root's READDIRPLUS with one more entry, whose handle is of 0 bytes
 * (its attributes and promise still there) or of 65; 0 if q gets no
 * entries (an R_ERROR)
 */
/* The good listing q asks for into out and *a: false if it is an R_ERROR */
static bool good_plus_listing(const struct om_mfs_msg *q, u8 *out,
			      struct om_mfs_msg *a)
{
	memset(a, 0, sizeof(*a));
	listing(q, which_fh(&q->readdir.dir), a, out, S_GOOD);
	return a->type == OM_MFS_R_DIRENTS_PLUS;
}

static u32 bad_handles_plus(const struct om_mfs_msg *q, u8 *out)
{
	u8 *e = out + OM_MFS_DIRENTS_HDR_LEN;
	struct om_mfs_attr fa;
	struct om_mfs_msg a;
	u32 len;

	if (!good_plus_listing(q, out, &a))
		return 0;
	len = a.dirents.len;
	attr_of(F_FILE, &fa);
	fa.ino = 110;
	len += raw_dirent(e + len, 110, 10, OM_MFS_DT_REG, "h", 1);
	if (variant++ % 2)
		len += raw_file(e + len, 0, NULL, 0, &fa, 0);
	else
		len += raw_file(e + len, OM_MFS_FH_MAX + 1, hh, OM_MFS_FH_MAX + 1, &fa, 0);
	return dirents_hdr(out, q->req_id, 1, a.dirents.count + 1, len);
}

/*
 * A listing, as q asks, of more entries than its budget: the longest
 * ones (255-byte names; with 64-byte handles in R_DIRENTS_PLUS) until
 * past max_bytes (past 512 KiB if it asked for that)
 */
static u32 oversize_dirents(const struct om_mfs_msg *q, u8 *out)
{
	const bool plus = q->type == OM_MFS_READDIRPLUS;
	u8 *ents = out + OM_MFS_DIRENTS_HDR_LEN;
	char name[OM_MFS_NAME_MAX], num[16];
	struct om_mfs_dirent e;
	u32 len = 0, k;
	int n;

	memset(name, 'e', sizeof(name));
	for (k = 0; len <= q->readdir.max_bytes; k++) {
		snprintf(num, sizeof(num), "%05u", k);
		memcpy(name, num, 5);
		memset(&e, 0, sizeof(e));
		e.ino = 200 + k;
		e.cookie = k + 1;
		e.type = OM_MFS_DT_REG;
		e.name = (struct om_mfs_str){ .s = name, .len = OM_MFS_NAME_MAX };
		if (plus) {
			attr_of(F_FILE, &e.attr);
			e.attr.ino = e.ino;
			e.fh = (struct om_mfs_fh){ .data = hh, .len = OM_MFS_FH_MAX };
		}
		n = put_dirent(&e, plus, ents, len, OM_WIRE_MAX_PAYLOAD - OM_MFS_DIRENTS_HDR_LEN);
		if (n < 0)
			break;
		len += n;
	}
	return dirents_hdr(out, q->req_id, 1, k, len);
}

/*
 * The root's READDIRPLUS with invalid attributes in its first entry
 * (one is added if it has none); 0 if q gets no entries (an R_ERROR)
 */
static u32 bad_attrs_plus(const struct om_mfs_msg *q, u8 *out)
{
	u8 *e = out + OM_MFS_DIRENTS_HDR_LEN;
	struct om_mfs_dirent d;
	struct om_mfs_msg a;
	u32 at;

	if (!good_plus_listing(q, out, &a))
		return 0;
	if (!a.dirents.count) {
		tree_dirent(F_FILE, true, S_GOOD, &d);
		a.dirents.len = put_dirent(&d, true, e, 0, OM_MFS_IO_MAX);
		a.dirents.count = 1;
	}
	/* the first entry: name, then its handle's length, handle, attributes */
	at = OM_MFS_DIRENT_LEN(e[OM_MFS_DIRENT_LEN(0) - 1]);
	at += 1 + e[at];
	bad_attr(e + at);
	return dirents_hdr(out, q->req_id, a.dirents.eof, a.dirents.count, a.dirents.len);
}

/* The kernel's own errnos, which no process may see, by request type */
static int internal_errno(u8 t)
{
	switch (t) {
	case OM_MFS_READ:
	case OM_MFS_WRITE:
		return -529;	/* EIOCBQUEUED: "queued, wait for it" */
	case OM_MFS_GETATTR:
		return -512;	/* ERESTARTSYS */
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		return -518;	/* EOPENSTALE */
	case OM_MFS_READLINK:
		return -514;	/* ERESTARTNOHAND */
	case OM_MFS_STATFS:
		return -515;	/* ENOIOCTLCMD */
	case OM_MFS_LOOKUP:
		return -516;	/* ERESTART_RESTARTBLOCK */
	}
	return -513;		/* ERESTARTNOINTR */
}

/* Replies nobody asked for: valid ones of every type, and garbage */
static void unsolicited(int n)
{
	static u8 tmp[4096];
	struct om_mfs_msg a;
	int i;

	for (i = 0; i < n && !closed; i++) {
		u32 len;

		memset(&a, 0, sizeof(a));
		a.req_id = probe_rnd() | 1;
		switch (probe_rnd() % 4) {
		case 0:
			entry_of(probe_rnd() % F_N, &a);
			break;
		case 1:
			error_of(-(int)(1 + probe_rnd() % 4095), &a);
			break;
		case 2:
			a.type = OM_MFS_R_ATTR;
			attr_of(F_FILE, &a.attr);
			break;
		default:
			/* garbage of a reply type, decoding or not */
			len = 8 + probe_rnd() % 120;
			probe_random(tmp, len);
			send_raw(OM_MFS_REP_FIRST + probe_rnd() % 32, tmp, len);
			continue;
		}
		len = encode(&a, tmp);
		send_raw(a.type, tmp, len);
	}
}

/*
 * Send an answer the mode means as malformed, or as not the request's:
 * our codec must refuse it too (else this mode tests nothing, and the
 * scenario's EIO would come from elsewhere)
 */
static void send_bad(const struct om_mfs_msg *q, u8 type, const u8 *p, u32 n)
{
	struct om_mfs_msg r;

	check(om_mfs_decode(type, p, n, &r) || om_mfs_reply_match(q, &r),
	      "mode %s: our bad answer to a %s (%s, %u bytes) is a valid one",
	      mode_names[smode], om_mfs_type_name(q->type), om_mfs_type_name(type), n);
	send_raw(type, p, n);
}

static void serve_one(const struct om_mfs_msg *q)
{
	static u8 out[OM_WIRE_MAX_PAYLOAD];
	const bool listing_req = q->type == OM_MFS_READDIR || q->type == OM_MFS_READDIRPLUS;
	const u8 dirents_type = q->type == OM_MFS_READDIRPLUS ? OM_MFS_R_DIRENTS_PLUS :
							       OM_MFS_R_DIRENTS;
	struct om_mfs_msg a;
	u32 n;

	answer(q, &a, out);
	if (!bad_for(q)) {
		n = encode(&a, out);
		send_raw(a.type, out, n);
		if (smode == S_FLOOD) {
			/* the same answer again, and another type: both dropped */
			send_raw(a.type, out, n);
			wrong_type(q, &a, out);
			n = encode(&a, out);
			send_raw(a.type, out, n);
			unsolicited(50);
		}
		return;
	}
	bad_sent++;
	switch (smode) {
	case S_WRONGTYPE:
		wrong_type(q, &a, out);
		n = encode(&a, out);
		send_bad(q, a.type, out, n);
		break;
	case S_TRUNCATED:
		n = encode(&a, out);
		/* an R_OK is its id alone: without all of it, no id either */
		n = n > 8 ? 8 + probe_rnd() % (n - 8) : probe_rnd() % 8;
		send_bad(q, a.type, out, n);
		break;
	case S_OVERSIZE:
		if (a.type == OM_MFS_R_DATA) {
			/* one byte more than asked; past 512 KiB, written raw */
			u32 dl = q->read.len + 1;

			memset(out + OM_MFS_DATA_HDR_LEN, 'o', dl);
			put_le64(out, q->req_id);
			out[8] = 1;
			put_le32(out + 9, dl);
			send_bad(q, OM_MFS_R_DATA, out, OM_MFS_DATA_HDR_LEN + dl);
		} else if (a.type == OM_MFS_R_DIRENTS || a.type == OM_MFS_R_DIRENTS_PLUS) {
			/* entries beyond the budget */
			n = oversize_dirents(q, out);
			send_bad(q, a.type, out, n);
		} else if (a.type == OM_MFS_R_WRITTEN) {
			a.written.count = q->write.len + 1;
			n = encode(&a, out);
			send_bad(q, a.type, out, n);
		} else {
			n = encode(&a, out);
			send_raw(a.type, out, n);
		}
		break;
	case S_DIRENTS:
		n = bad_dirents(q, out);
		send_bad(q, dirents_type, out, n);
		break;
	case S_DIRLOOP: {
		/* the same entry, its cookie the one asked from: never at an end */
		const bool plus = q->type == OM_MFS_READDIRPLUS;
		struct om_mfs_dirent e = {
			.ino = 101, .cookie = q->readdir.cookie ?: 7,
			.type = OM_MFS_DT_REG, .name = STR("again"),
		};

		if (plus && variant++ % 2) {
			/* with its file, half of the time */
			e.fh = (struct om_mfs_fh){ .data = f_fh[F_FILE], .len = 4 };
			attr_of(F_FILE, &e.attr);
		}
		n = put_dirent(&e, plus, out + OM_MFS_DIRENTS_HDR_LEN, 0, OM_MFS_IO_MAX);
		send_raw(dirents_type, out, dirents_hdr(out, q->req_id, 0, 1, n));
		break;
	}
	case S_HANDLES:
		if (a.type == OM_MFS_R_DIRENTS_PLUS) {
			n = bad_handles_plus(q, out);
			send_bad(q, a.type, out, n);
			break;
		}
		if (a.type != OM_MFS_R_ENTRY) {
			n = encode(&a, out);
			send_raw(a.type, out, n);
			break;
		}
		n = encode(&a, out);
		if (variant++ % 2) {
			/* 0 bytes: no handle at all */
			memmove(out + 9, out + 13, n - 13);
			out[8] = 0;
			n -= 4;
		} else {
			/* 65 bytes */
			memmove(out + 9 + 65, out + 13, n - 13);
			memset(out + 9, 'H', 65);
			out[8] = 65;
			n += 61;
		}
		send_bad(q, OM_MFS_R_ENTRY, out, n);
		break;
	case S_ATTRS:
		if (a.type == OM_MFS_R_DIRENTS_PLUS) {
			n = bad_attrs_plus(q, out);
			send_bad(q, a.type, out, n);
			break;
		}
		n = encode(&a, out);
		switch (a.type) {
		case OM_MFS_R_ENTRY:
			bad_attr(out + 9 + a.entry.fh.len);
			break;
		case OM_MFS_R_ATTR:
			bad_attr(out + 8);
			break;
		case OM_MFS_R_WRITTEN:
			bad_attr(out + 12);
			break;
		default:
			send_raw(a.type, out, n);	/* nothing to spoil: an R_ERROR */
			return;
		}
		send_bad(q, a.type, out, n);
		break;
	case S_TYPECHANGE:
	case S_LOOP:
		if (listing_req) {
			/* the lie in the entry that tells the file */
			listing(q, which_fh(&q->readdir.dir), &a, out, smode);
		} else if (smode == S_TYPECHANGE) {
			attr_of(F_DIR, &a.attr);
			a.attr.ino = 100 + F_FILE;
		} else {
			/* "dir" is the root itself: a directory that contains its parent */
			entry_of(F_ROOT, &a);
		}
		n = encode(&a, out);
		send_raw(a.type, out, n);
		break;
	case S_ERRNO:
		put_le64(out, q->req_id);
		put_le32(out + 8, (u32)internal_errno(q->type));
		send_raw(OM_MFS_R_ERROR, out, 12);
		break;
	case S_SILENT:
		/* an answer to a request nobody made: never the one owed */
		a.req_id = q->req_id ^ 0x5a5a000000000000ULL;
		n = encode(&a, out);
		send_raw(a.type, out, n);
		break;
	default:
		break;
	}
}

static int mfs_serve(const char *mname, int secs)
{
	long long end = probe_now_ms() + secs * 1000LL;
	struct sigaction sa = { .sa_handler = handle_sig };
	int i;

	for (i = 0; i < S_NMODES; i++)
		if (!strcmp(mname, mode_names[i]))
			break;
	if (i == S_NMODES) {
		fprintf(stderr, "omwire-probe: no serve mode %s\n", mname);
		return 2;
	}
	smode = i;
	memset(hh, 'H', sizeof(hh));
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	group = mname;
	note("serving as node 99, mode %s", mname);
	if (smode == S_FLOOD)
		unsolicited(2000);
	while (!stop && !closed && probe_now_ms() < end) {
		struct om_mfs_msg q;
		const u8 *pl;
		u32 len;
		u8 type;
		int r, err;

		heartbeat();
		r = probe_recv(&type, &pl, &len, 200);
		if (stop)
			break;
		if (r == -2) {
			closed = true;
			break;
		}
		if (r || type < OM_WIRE_T_MFS_FIRST || type > OM_WIRE_T_MFS_LAST)
			continue;
		err = om_mfs_decode(type, pl, len, &q);
		/* the flood's junk may hold a valid BREAK or BREAK_ALL: acked */
		if (!err && type == OM_MFS_BREAK_ACK)
			continue;
		/* not announced (OMWIRE_MFS_FEATURES): the node must not send it */
		check(type != OM_MFS_READDIRPLUS ||
		      (probe_mfs_features() & OM_WIRE_FEAT_MFS_PLUS),
		      "the node sent READDIRPLUS to a node that did not announce it");
		check(!err && om_mfs_is_request(type),
		      "the node sent a %s (%u bytes) that is no request: %d",
		      om_mfs_type_name(type), len, err);
		if (err || !om_mfs_is_request(type))
			continue;
		served++;
		serve_one(&q);
	}
	note("mode %s: %u requests, %u answered badly%s", mname, served, bad_sent,
	     closed ? "; the node closed the connection" : "");
	return fails ? 1 : 0;
}

int mfs_main(const char *mode, u16 self, int argc, char **argv)
{
	u32 r32;

	buf = malloc(OM_WIRE_MAX_PAYLOAD);
	if (!buf)
		return 2;
	probe_seed();
	if (getenv("OM_SLOW") && atoi(getenv("OM_SLOW")) > 1)
		slow = atoi(getenv("OM_SLOW"));
	/* our ids: (node << 48) | a random start, as a node's client might */
	probe_random(&r32, sizeof(r32));
	next_id = ((u64)self << 48) | ((u64)r32 << 8);
	last_hb = probe_now_ms();
	if (!strcmp(mode, "mfs-fuzz") && argc <= 2)
		return mfs_fuzz(argc ? atoi(argv[0]) : 2000,
				argc > 1 ? argv[1] : "srv/mfsbad");
	if (!strcmp(mode, "mfs-flood") && argc <= 3)
		return mfs_flood(argc ? atoi(argv[0]) : 3000,
				 argc > 1 ? argv[1] : "srv/mfsbad/big",
				 argc > 2 && !strcmp(argv[2], "leave"));
	if (!strcmp(mode, "mfs-serve") && (argc == 1 || argc == 2))
		return mfs_serve(argv[0], argc > 1 ? atoi(argv[1]) : 600);
	fprintf(stderr, "omwire-probe: unknown mode or arguments: %s\n", mode);
	return 2;
}
