// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_mig (migration messages): round trips of every type at
 * ordinary and maximum sizes, golden bytes, every truncation, trailing
 * bytes, each rejected value with its errno, the encoder's refusals, and
 * om_mig_caps_check().
 */
#include "tap.h"
#include "tests.h"
#include "om_mig.h"

#define MIG_ID 0x0123456789abcdefULL
#define BIG (OM_WIRE_MAX_PAYLOAD + 64)

static u8 enc[BIG], enc2[BIG], data[3 * OM_MIG_MAX_IO];
#define DATA(i) (data + (i) * OM_MIG_MAX_IO)
static u8 siginfo[OM_MIG_SIGINFO_LEN];
static const char reason127[] =
	"0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ "
	"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ 0123456789 abcdefghijklmnopqr";
static const char name63[] =
	"abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ_012345.78";
/* Eight different canonical paths of OM_MIG_DFSA_PATH_MAX bytes (test_mig()) */
static char path4095[OM_MIG_DFSA_VIEW_MAX][OM_MIG_DFSA_PATH_MAX + 1];

static struct om_mig_str str(const char *s)
{
	struct om_mig_str t = { s, (u32)strlen(s) };

	return t;
}

static void caps_sample(struct om_mig_caps *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->proto = OM_MIG_PROTO;
	c->kmajor = 6;
	c->kminor = 12;
	c->xfeatures = 0x2e7;
	c->xstate_size = 2696;
	for (i = 0; i < OM_MIG_CPUID_WORDS; i++)
		c->cpuid[i] = 0x01010101U * (u32)(i + 1);
	c->vdso = 0x5a5a5a5a12345678ULL;
}

/*
 * The largest SYSREQ's lengths.  IN: 2 * SQ_INOUT + 1024 * 16 + SQ_IN3 +
 * 2 * 16 + SQ_IN0; OUT: 2 * SQ_INOUT + SQ_OUT2 + SQ_OUT1; both exactly
 * OM_MIG_MAX_IO (checked in test_mig_limits()).
 */
#define SQ_INOUT	(OM_MIG_MAX_IO / 3)
#define SQ_IN3		300000U
#define SQ_IN0		(OM_MIG_MAX_IO - 2 * SQ_INOUT - \
			 OM_MIG_MAX_IOV * OM_MIG_IOVEC_LEN - SQ_IN3 - \
			 2 * OM_MIG_IOVEC_LEN)
#define SQ_OUT2		200000U
#define SQ_OUT1		(OM_MIG_MAX_IO - 2 * SQ_INOUT - SQ_OUT2)

/*
 * A valid message of each type; big = the largest that type allows.
 * Returns the type's name for test descriptions.
 */
static const char *sample(u8 type, bool big, struct om_mig_msg *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->mig_id = MIG_ID;
	switch (type) {
	case OM_MIG_OFFER:
		m->offer.home_pid = big ? OM_MIG_PID_MAX : 4242;
		m->offer.ruid = 1000;
		m->offer.euid = big ? 0xfffffffe : 1001;
		m->offer.rgid = 100;
		m->offer.egid = 101;
		m->offer.image_bytes = big ? ~0ULL : 123456789;
		caps_sample(&m->offer.caps);
		m->offer.comm = str(big ? "fifteen-chars.." : "sleep");
		if (big) {
			/* the largest is an automatic one */
			m->offer.automatic = true;
			m->offer.bal.kind = OM_MIG_BAL_LOAD;
			m->offer.bal.sender_load = OM_MIG_LOAD_MAX;
			m->offer.bal.d_target = OM_MIG_LOAD_MAX;
			m->offer.bal.d_self = OM_MIG_LOAD_MAX;
		}
		break;
	case OM_MIG_ACCEPT:
		m->accept.err = big ? -OM_MIG_ERRNO_MAX : 0;
		m->accept.reason = str(big ? reason127 : "");
		break;
	case OM_MIG_IMG:
		m->img.name = str(big ? name63 : "pages-1.img");
		m->img.offset = big ? 0 : 4096;
		m->img.flags = big ? OM_MIG_IMG_LAST : 0;
		m->img.data = DATA(0);
		m->img.len = big ? om_mig_img_room(63, 0) : 100;
		break;
	case OM_MIG_COMMIT:
	case OM_MIG_PREPARE:
		m->commit.n_images = big ? 0xffffffff : 12;
		m->commit.total_bytes = big ? ~0ULL : 1 << 20;
		/* a PREPARE never has it */
		m->commit.has_sig_seq = big && type == OM_MIG_COMMIT;
		m->commit.sig_seq = m->commit.has_sig_seq ? ~0ULL : 0;
		break;
	case OM_MIG_DONE:
		m->done.remote_pid = big ? OM_MIG_PID_MAX : 777;
		m->done.reason = str(big ? reason127 : "running");
		break;
	case OM_MIG_SYSREQ:
		m->sysreq.seq = 99;
		m->sysreq.nr = 0;	/* read */
		m->sysreq.flags = 0x80000001;
		for (i = 0; i < OM_MIG_NARGS; i++)
			m->sysreq.args[i] = 0x1111111111111111ULL * (u64)i;
		if (!big) {
			m->sysreq.nbuf = 2;
			m->sysreq.buf[0] = (struct om_mig_buf){
				.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 0,
				.len = 4096, .data = NULL };
			m->sysreq.buf[1] = (struct om_mig_buf){
				.arg = 3, .dir = OM_MIG_BUF_IN, .niov = 0,
				.len = 10, .data = DATA(1) };
			break;
		}
		/*
		 * Six buffers, one per arg, IN and OUT sums both exactly
		 * OM_MIG_MAX_IO: two INOUT (both sums), an IN with the largest
		 * iovec array (16384 bytes of IN), an OUT-only with an array
		 * (32 bytes of IN), a plain OUT and a plain IN.
		 */
		m->sysreq.nbuf = OM_MIG_MAX_BUFS;
		m->sysreq.buf[0] = (struct om_mig_buf){
			.arg = 5, .dir = OM_MIG_BUF_INOUT, .niov = 0,
			.len = SQ_INOUT, .data = DATA(0) };
		m->sysreq.buf[1] = (struct om_mig_buf){
			.arg = 4, .dir = OM_MIG_BUF_INOUT, .niov = 0,
			.len = SQ_INOUT, .data = DATA(1) };
		m->sysreq.buf[2] = (struct om_mig_buf){
			.arg = 3, .dir = OM_MIG_BUF_IN, .niov = OM_MIG_MAX_IOV,
			.len = SQ_IN3, .data = DATA(2) };
		m->sysreq.buf[3] = (struct om_mig_buf){
			.arg = 2, .dir = OM_MIG_BUF_OUT, .niov = 2,
			.len = SQ_OUT2, .data = DATA(0) + 5 };
		m->sysreq.buf[4] = (struct om_mig_buf){
			.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 0,
			.len = SQ_OUT1, .data = NULL };
		m->sysreq.buf[5] = (struct om_mig_buf){
			.arg = 0, .dir = OM_MIG_BUF_IN, .niov = 0,
			.len = SQ_IN0, .data = DATA(1) + 7 };
		break;
	case OM_MIG_SYSREP:
		m->sysrep.seq = 99;
		m->sysrep.ret = big ? (s64)0x8000000000000000ULL : -14;
		if (!big) {
			m->sysrep.nbuf = 1;
			m->sysrep.buf[0] = (struct om_mig_buf){
				.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 0,
				.len = 17, .data = DATA(2) };
			break;
		}
		m->sysrep.nbuf = OM_MIG_MAX_BUFS;
		for (i = 0; i < OM_MIG_MAX_BUFS; i++)
			m->sysrep.buf[i] = (struct om_mig_buf){
				.arg = (u8)i, .dir = OM_MIG_BUF_OUT, .niov = 0,
				.len = i ? OM_MIG_MAX_IO / 6 :
				       OM_MIG_MAX_IO - 5 * (OM_MIG_MAX_IO / 6),
				.data = DATA(i % 3) };
		break;
	case OM_MIG_SIGNAL:
		put_unaligned_le32(big ? OM_MIG_NSIG : 10, siginfo);
		m->signal.info = siginfo;
		m->signal.seq = big ? ~0ULL : 0;
		break;
	case OM_MIG_CANCEL:
		m->cancel.seq = big ? ~0ULL : 99;
		break;
	case OM_MIG_EXIT:
		m->exit.how = big ? OM_MIG_KILLED : OM_MIG_EXITED;
		m->exit.code = big ? OM_MIG_NSIG : 255;
		m->exit.core = big;
		break;
	case OM_MIG_GOHOME:
		m->gohome.reason = str(big ? reason127 : "node leaving");
		break;
	case OM_MIG_ABORT:
		m->abort.err = big ? -OM_MIG_ERRNO_MAX : -ENOMEM;
		m->abort.reason = str(big ? reason127 : "out of memory");
		break;
	case OM_MIG_STOPPED:
		m->stopped.sig = big ? OM_MIG_NSIG : 0;
		break;
	case OM_MIG_DFSA_VIEW:
		if (!big) {
			/* 6.12's mask; /mfs on an anonymous device 0:45 */
			m->dview.gen = 1;
			m->dview.dev = 45;
			m->dview.attr_mask = 0x303000;
			m->dview.n = 1;
			m->dview.mnt[0] = (struct om_mig_dfsa_mnt){
				.path = "/mfs", .mnt_id = 60, .len = 4, .flags = 0 };
			break;
		}
		m->dview.gen = 0xffffffff;
		m->dview.dev = 0xffffffff;
		m->dview.attr_mask = OM_MIG_DFSA_ATTR_KNOWN;
		m->dview.n = OM_MIG_DFSA_VIEW_MAX;
		for (i = 0; i < OM_MIG_DFSA_VIEW_MAX; i++)
			m->dview.mnt[i] = (struct om_mig_dfsa_mnt){
				.path = path4095[i], .mnt_id = OM_MIG_DFSA_MNT_ID_MAX - (u32)i,
				.len = OM_MIG_DFSA_PATH_MAX, .flags = (u8)(i & 1) };
		break;
	}
	return om_mig_type_name(type);
}

static bool bytes_eq(const void *a, const void *b, u32 n)
{
	return !n || (a && b && !memcmp(a, b, n));
}

static bool str_eq(const struct om_mig_str *a, const struct om_mig_str *b)
{
	return a->len == b->len && bytes_eq(a->s, b->s, a->len);
}

/* What the wire carries of a buffer: a SYSREQ's iovec array, then IN data */
static u32 buf_datalen(const struct om_mig_buf *b, bool req)
{
	if (!req)
		return b->len;
	return b->niov * OM_MIG_IOVEC_LEN +
	       ((b->dir & OM_MIG_BUF_IN) ? b->len : 0);
}

static bool bufs_eq(const struct om_mig_buf *a, const struct om_mig_buf *b,
		    u8 n, bool req)
{
	u8 i;

	for (i = 0; i < n; i++, a++, b++) {
		if (a->arg != b->arg || a->len != b->len ||
		    a->niov != b->niov || (req && a->dir != b->dir) ||
		    !bytes_eq(a->data, b->data, buf_datalen(a, req)))
			return false;
	}
	return true;
}

static bool dcwd_eq(const struct om_mig_dfsa_cwd *a, const struct om_mig_dfsa_cwd *b)
{
	return a->mnt == b->mnt && a->node == b->node && a->fhlen == b->fhlen &&
	       a->len == b->len && bytes_eq(a->fh, b->fh, a->fhlen) &&
	       bytes_eq(a->path, b->path, a->len);
}

static bool dmnts_eq(const struct om_mig_dfsa_view *a,
		     const struct om_mig_dfsa_view *b)
{
	u8 i;

	for (i = 0; i < a->n && i < OM_MIG_DFSA_VIEW_MAX; i++)
		if (a->mnt[i].mnt_id != b->mnt[i].mnt_id ||
		    a->mnt[i].flags != b->mnt[i].flags ||
		    a->mnt[i].len != b->mnt[i].len ||
		    !bytes_eq(a->mnt[i].path, b->mnt[i].path, a->mnt[i].len))
			return false;
	return true;
}

/* Field by field (pointers compared by what they point to) */
static bool msg_eq(const struct om_mig_msg *a, const struct om_mig_msg *b)
{
	if (a->type != b->type || a->mig_id != b->mig_id)
		return false;
	switch (a->type) {
	case OM_MIG_OFFER:
		return a->offer.home_pid == b->offer.home_pid &&
		       a->offer.ruid == b->offer.ruid &&
		       a->offer.euid == b->offer.euid &&
		       a->offer.rgid == b->offer.rgid &&
		       a->offer.egid == b->offer.egid &&
		       a->offer.image_bytes == b->offer.image_bytes &&
		       !memcmp(&a->offer.caps, &b->offer.caps,
			       sizeof(a->offer.caps)) &&
		       str_eq(&a->offer.comm, &b->offer.comm) &&
		       a->offer.automatic == b->offer.automatic &&
		       a->offer.bal.kind == b->offer.bal.kind &&
		       a->offer.bal.sender_load == b->offer.bal.sender_load &&
		       a->offer.bal.d_target == b->offer.bal.d_target &&
		       a->offer.bal.d_self == b->offer.bal.d_self;
	case OM_MIG_ACCEPT:
		return a->accept.err == b->accept.err &&
		       str_eq(&a->accept.reason, &b->accept.reason);
	case OM_MIG_IMG:
		return str_eq(&a->img.name, &b->img.name) &&
		       a->img.offset == b->img.offset &&
		       a->img.flags == b->img.flags &&
		       a->img.len == b->img.len &&
		       bytes_eq(a->img.data, b->img.data, a->img.len);
	case OM_MIG_COMMIT:
	case OM_MIG_PREPARE:
		return a->commit.n_images == b->commit.n_images &&
		       a->commit.total_bytes == b->commit.total_bytes &&
		       a->commit.has_sig_seq == b->commit.has_sig_seq &&
		       a->commit.sig_seq == b->commit.sig_seq;
	case OM_MIG_DONE:
		return a->done.err == b->done.err &&
		       a->done.remote_pid == b->done.remote_pid &&
		       str_eq(&a->done.reason, &b->done.reason);
	case OM_MIG_SYSREQ:
		return a->sysreq.seq == b->sysreq.seq &&
		       a->sysreq.nr == b->sysreq.nr &&
		       a->sysreq.flags == b->sysreq.flags &&
		       !memcmp(a->sysreq.args, b->sysreq.args,
			       sizeof(a->sysreq.args)) &&
		       a->sysreq.nbuf == b->sysreq.nbuf &&
		       bufs_eq(a->sysreq.buf, b->sysreq.buf, a->sysreq.nbuf,
			       true);
	case OM_MIG_SYSREP:
		if (a->sysrep.has_dfsa != b->sysrep.has_dfsa ||
		    (a->sysrep.has_dfsa &&
		     (a->sysrep.dfsa.node != b->sysrep.dfsa.node ||
		      a->sysrep.dfsa.fhlen != b->sysrep.dfsa.fhlen ||
		      a->sysrep.dfsa.flags != b->sysrep.dfsa.flags ||
		      a->sysrep.dfsa.pos != b->sysrep.dfsa.pos ||
		      a->sysrep.dfsa.dot != b->sysrep.dfsa.dot ||
		      a->sysrep.dfsa.dotdot != b->sysrep.dfsa.dotdot ||
		      a->sysrep.dfsa.has_dev != b->sysrep.dfsa.has_dev ||
		      a->sysrep.dfsa.dev != b->sysrep.dfsa.dev ||
		      !bytes_eq(a->sysrep.dfsa.fh, b->sysrep.dfsa.fh,
				a->sysrep.dfsa.fhlen))))
			return false;
		return a->sysrep.seq == b->sysrep.seq &&
		       a->sysrep.ret == b->sysrep.ret &&
		       a->sysrep.nbuf == b->sysrep.nbuf &&
		       bufs_eq(a->sysrep.buf, b->sysrep.buf, a->sysrep.nbuf,
			       false);
	case OM_MIG_SIGNAL:
		return bytes_eq(a->signal.info, b->signal.info,
				OM_MIG_SIGINFO_LEN) &&
		       a->signal.seq == b->signal.seq;
	case OM_MIG_CANCEL:
		return a->cancel.seq == b->cancel.seq;
	case OM_MIG_EXIT:
		return a->exit.how == b->exit.how &&
		       a->exit.code == b->exit.code &&
		       a->exit.core == b->exit.core;
	case OM_MIG_GOHOME:
		return str_eq(&a->gohome.reason, &b->gohome.reason);
	case OM_MIG_ABORT:
		return a->abort.err == b->abort.err &&
		       str_eq(&a->abort.reason, &b->abort.reason);
	case OM_MIG_STOPPED:
		return a->stopped.sig == b->stopped.sig;
	case OM_MIG_DFSA_VIEW:
		return a->dview.gen == b->dview.gen && a->dview.dev == b->dview.dev &&
		       a->dview.attr_mask == b->dview.attr_mask &&
		       a->dview.n == b->dview.n && dmnts_eq(&a->dview, &b->dview) &&
		       a->dview.has_cwd == b->dview.has_cwd &&
		       (!a->dview.has_cwd || dcwd_eq(&a->dview.cwd, &b->dview.cwd));
	}
	return false;
}

/*
 * encode, size query, decode, compare, re-encode identically; the
 * payload length, or -1 (then the check is already reported failed)
 */
static int roundtrip_msg(const struct om_mig_msg *m, const char *what)
{
	struct om_mig_msg d;
	int n, n2, ok = 1;

	n = om_mig_encode(m, enc, BIG);
	TAP_EXPECT(ok, n > 8);
	TAP_EXPECT(ok, om_mig_encode(m, NULL, 0) == n);
	TAP_EXPECT(ok, n > 8 && om_mig_encode(m, enc2, (u32)n - 1) == -EMSGSIZE);
	/* checked and sized once (om_sess_send), written in place: the same bytes */
	TAP_EXPECT(ok, n > 8 && om_mig_encode_sized(m, (u32)n, enc2, (u32)n) == n &&
		   !memcmp(enc, enc2, (size_t)n));
	TAP_EXPECT(ok, n > 8 && om_mig_encode_sized(m, (u32)n, enc2, (u32)n - 1) == -EMSGSIZE);
	TAP_EXPECT(ok, n > 8 && om_mig_decode(m->type, enc, (u32)n, &d) == 0);
	TAP_EXPECT(ok, ok && msg_eq(m, &d));
	n2 = ok ? om_mig_encode(&d, enc2, (u32)n) : -1;
	TAP_EXPECT(ok, n2 == n && !memcmp(enc, enc2, (size_t)n));
	TAP_CHECK(ok, "mig: %s round trip (%d bytes)", what, n);
	return ok ? n : -1;
}

static void roundtrip(u8 type, bool big)
{
	struct om_mig_msg m;
	const char *name = sample(type, big, &m);
	char what[64];
	int n;

	snprintf(what, sizeof(what), "%s%s", big ? "largest " : "", name);
	n = roundtrip_msg(&m, what);
	if (big && (type == OM_MIG_IMG || type == OM_MIG_SYSREQ))
		printf("#   %s max payload %d bytes\n", name, n);
}

/*
 * Every truncation is -EBADMSG, and so is a trailing byte.  Not for IMG,
 * whose data is the rest of the payload: only cuts into its header count.
 * An automatic OFFER cut just before its view is a manual one.
 */
static void truncations_msg(const struct om_mig_msg *m, const char *what)
{
	struct om_mig_msg d;
	int n = om_mig_encode(m, enc, BIG), bad = 0, k, end = n, manual = -1, nocwd = -1;
	int noseq = -1;

	if (m->type == OM_MIG_IMG)
		end = (int)OM_MIG_IMG_HDR_LEN(m->img.name.len);
	if (m->type == OM_MIG_OFFER && m->offer.automatic)
		manual = n - (int)OM_MIG_OFFER_BAL_LEN;
	if (m->type == OM_MIG_DFSA_VIEW && m->dview.has_cwd)
		nocwd = n - 6 - m->dview.cwd.fhlen - m->dview.cwd.len;
	if ((m->type == OM_MIG_SIGNAL && m->signal.seq) ||
	    (m->type == OM_MIG_COMMIT && m->commit.has_sig_seq))
		noseq = n - 8;
	for (k = 0; k < end; k++) {
		if (k == noseq) {
			/* cut before the sequence: a message without one */
			if (om_mig_decode(m->type, enc, (u32)k, &d) ||
			    (m->type == OM_MIG_SIGNAL ? d.signal.seq != 0 :
			     d.commit.has_sig_seq))
				bad++;
			continue;
		}
		if (k == nocwd) {
			/* cut before the cwd record: a view without one */
			if (om_mig_decode(m->type, enc, (u32)k, &d) || d.dview.has_cwd)
				bad++;
			continue;
		}
		if (k == manual) {
			if (om_mig_decode(m->type, enc, (u32)k, &d) ||
			    d.offer.automatic || d.offer.bal.kind)
				bad++;
			continue;
		}
		if (om_mig_decode(m->type, enc, (u32)k, &d) != -EBADMSG)
			bad++;
	}
	if (n > 0 && m->type != OM_MIG_IMG) {
		enc[n] = 0;
		if (om_mig_decode(m->type, enc, (u32)n + 1, &d) != -EBADMSG)
			bad++;
	}
	TAP_CHECK(n > 0 && !bad, "mig: %s: its %d truncations%s are -EBADMSG%s",
		  what, end,
		  m->type == OM_MIG_IMG ? " into the header" : " and a trailing byte",
		  manual >= 0 ? " (cut before the view: a manual OFFER)" :
		  nocwd >= 0 ? " (cut before the cwd record: a view without one)" :
		  noseq >= 0 ? " (cut before the sequence: one without)" : "");
}

static void truncations(u8 type, bool big)
{
	struct om_mig_msg m;
	const char *name = sample(type, big, &m);
	char what[64];

	snprintf(what, sizeof(what), "%s%s", big ? "largest " : "", name);
	truncations_msg(&m, what);
}

/* A sample broken by fix(): what the encoder returns */
static int mutated(u8 type, void (*fix)(struct om_mig_msg *m))
{
	struct om_mig_msg m;

	sample(type, false, &m);
	fix(&m);
	return om_mig_encode(&m, enc, BIG);
}

/* ---- raw payloads for what the encoder refuses to produce ---- */

static u32 raw_img(u8 *p, const char *name, u32 nlen, u64 off, u8 flags,
		   u32 dlen)
{
	u32 n = 0;

	put_unaligned_le64(MIG_ID, p);
	n += 8;
	p[n++] = (u8)nlen;
	memcpy(p + n, name, nlen);
	n += nlen;
	put_unaligned_le64(off, p + n);
	n += 8;
	p[n++] = flags;
	memset(p + n, 0xab, dlen);
	return n + dlen;
}

/* A SYSREQ buffer header as raw_sysreq() writes it, any values */
struct raw_buf {
	u8 arg, dir;
	u16 niov;
	u32 len;
};

/*
 * A SYSREQ (seq, nr, flags, args all 0) with these buffers: each header,
 * then niov * 16 bytes of iovec array and, for dirs with the IN bit
 * (1 and 3; also 0xff), len bytes of data.
 */
static u32 raw_sysreq(u8 *p, u8 nbuf, const struct raw_buf *b)
{
	u32 n, i;
	u64 dl;

	memset(p, 0, 8 + 8 + 4 + 4 + 48);
	put_unaligned_le64(MIG_ID, p);
	n = 8 + 8 + 4 + 4 + 48;
	p[n++] = nbuf;
	for (i = 0; i < nbuf; i++) {
		p[n++] = b[i].arg;
		p[n++] = b[i].dir;
		put_unaligned_le16(b[i].niov, p + n);
		n += 2;
		put_unaligned_le32(b[i].len, p + n);
		n += 4;
		dl = (u64)b[i].niov * OM_MIG_IOVEC_LEN +
		     ((b[i].dir & OM_MIG_BUF_IN) ? b[i].len : 0);
		if (dl > BIG - 64 - n)
			dl = 0;		/* rejected before its data anyway */
		memset(p + n, 0x5a, (size_t)dl);
		n += (u32)dl;
	}
	return n;
}

static int dec(u8 type, const u8 *p, u32 n)
{
	struct om_mig_msg d;

	return om_mig_decode(type, p, n, &d);
}

/* Valid encoding of a sample, then patched at off with le32 v */
static int patch32(u8 type, u32 off, u32 v)
{
	struct om_mig_msg m;
	int n;

	sample(type, false, &m);
	n = om_mig_encode(&m, enc, BIG);
	if (n < 0 || off + 4 > (u32)n)
		return 1000;
	put_unaligned_le32(v, enc + off);
	return dec(type, enc, (u32)n);
}

static int patch8(u8 type, u32 off, u8 v)
{
	struct om_mig_msg m;
	int n;

	sample(type, false, &m);
	n = om_mig_encode(&m, enc, BIG);
	if (n < 0 || off >= (u32)n)
		return 1000;
	enc[off] = v;
	return dec(type, enc, (u32)n);
}

static void test_mig_reject_img(void)
{
	u8 *p = enc;
	char big[65];

	memset(big, 'a', sizeof(big));
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "", 0, 0, 0, 4)) == -EBADMSG,
		  "mig: IMG name \"\" is -EBADMSG");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "a/b", 3, 0, 0, 4)) == -EPROTO,
		  "mig: IMG name \"a/b\" is -EPROTO");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "..", 2, 0, 0, 4)) == -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, ".", 1, 0, 0, 4)) == -EPROTO,
		  "mig: IMG names \"..\" and \".\" are -EPROTO");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "...", 3, 0, 0, 0)) == 0 &&
		  dec(OM_MIG_IMG, p, raw_img(p, ".a", 2, 0, 0, 0)) == 0,
		  "mig: IMG names \"...\" and \".a\" are fine");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, big, 64, 0, 0, 4)) == -EBADMSG &&
		  dec(OM_MIG_IMG, p, raw_img(p, big, 63, 0, 0, 4)) == 0,
		  "mig: IMG name of 64 chars is -EBADMSG, 63 fine");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "caf\xc3\xa9", 5, 0, 0, 4)) ==
		  -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "a\0b", 3, 0, 0, 4)) == -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "a b", 3, 0, 0, 4)) == -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "a\\b", 3, 0, 0, 4)) == -EPROTO,
		  "mig: IMG names with non-ASCII, NUL, space, backslash are -EPROTO");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "x", 1, 0, 0x02, 4)) == -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, 0, 0x80, 4)) == -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, 0, 0x01, 4)) == 0,
		  "mig: IMG reserved flag bits are -EPROTO");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "x", 1, ~0ULL - 1, 0, 4)) ==
		  -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, OM_MIG_IMG_MAX - 3, 0, 4)) ==
		  -EPROTO &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, OM_MIG_IMG_MAX - 4, 0, 4)) ==
		  0 &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, OM_MIG_IMG_MAX, 0, 0)) == 0 &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, OM_MIG_IMG_MAX + 1, 0, 0)) ==
		  -EPROTO,
		  "mig: IMG offset overflow and offset + len > 1 TiB are -EPROTO");
	TAP_CHECK(dec(OM_MIG_IMG, p, raw_img(p, "x", 1, 0, 0,
					     OM_WIRE_MAX_PAYLOAD - 19)) == 0 &&
		  dec(OM_MIG_IMG, p, raw_img(p, "x", 1, 0, 0,
					     OM_WIRE_MAX_PAYLOAD - 18)) == -EBADMSG,
		  "mig: a payload over OM_WIRE_MAX_PAYLOAD is -EBADMSG");
}

#define RQ(nb, ...)	raw_sysreq(enc, (nb), (const struct raw_buf[]){ __VA_ARGS__ })
#define RB(a, d, v, l)	{ .arg = (a), .dir = (d), .niov = (v), .len = (l) }
#define DEC_RQ(nb, ...)	dec(OM_MIG_SYSREQ, enc, RQ(nb, __VA_ARGS__))

static void test_mig_reject_sysreq(void)
{
	const u32 half = OM_MIG_MAX_IO / 2, io = OM_MIG_MAX_IO;
	const u32 arr = OM_MIG_MAX_IOV * OM_MIG_IOVEC_LEN;
	u32 n;

	TAP_CHECK(DEC_RQ(3, RB(0, OM_MIG_BUF_IN, 0, 1),
			 RB(1, OM_MIG_BUF_OUT, 0, 1),
			 RB(2, OM_MIG_BUF_INOUT, 0, 1)) == 0,
		  "mig: SYSREQ with an IN, an OUT and an INOUT buffer is fine");
	TAP_CHECK(DEC_RQ(7, RB(0, 1, 0, 1), RB(1, 1, 0, 1), RB(2, 1, 0, 1),
			 RB(3, 1, 0, 1), RB(4, 1, 0, 1), RB(5, 1, 0, 1),
			 RB(0, 2, 0, 1)) == -EBADMSG,
		  "mig: SYSREQ nbuf 7 is -EBADMSG");
	TAP_CHECK(DEC_RQ(1, RB(6, OM_MIG_BUF_OUT, 0, 1)) == -EPROTO &&
		  DEC_RQ(1, RB(0xff, OM_MIG_BUF_IN, 0, 1)) == -EPROTO,
		  "mig: SYSREQ buffer arg 6 and 255 are -EPROTO");
	TAP_CHECK(DEC_RQ(1, RB(0, 0, 0, 1)) == -EPROTO &&
		  DEC_RQ(1, RB(0, 4, 0, 1)) == -EPROTO &&
		  DEC_RQ(1, RB(0, 0xff, 0, 1)) == -EPROTO &&
		  DEC_RQ(1, RB(0, 3, 0, 1)) == 0,
		  "mig: SYSREQ buffer dir 0, 4 and 255 are -EPROTO, 3 (INOUT) fine");
	TAP_CHECK(DEC_RQ(2, RB(2, OM_MIG_BUF_IN, 0, 1),
			 RB(2, OM_MIG_BUF_IN, 0, 1)) == -EBADMSG &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_IN, 0, 1),
			 RB(0, OM_MIG_BUF_OUT, 0, 1)) == -EBADMSG &&
		  DEC_RQ(2, RB(5, OM_MIG_BUF_OUT, 0, 1),
			 RB(5, OM_MIG_BUF_INOUT, 0, 1)) == -EBADMSG &&
		  DEC_RQ(3, RB(1, OM_MIG_BUF_OUT, 2, 8),
			 RB(3, OM_MIG_BUF_IN, 0, 1),
			 RB(1, OM_MIG_BUF_OUT, 2, 8)) == -EBADMSG,
		  "mig: SYSREQ with two buffers for one arg (IN+IN, IN+OUT, OUT+INOUT, IOV+IOV) is -EBADMSG");
	TAP_CHECK(DEC_RQ(2, RB(0, OM_MIG_BUF_IN, 0, half),
			 RB(1, OM_MIG_BUF_IN, 0, half)) == 0 &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_IN, 0, half + 1),
			 RB(1, OM_MIG_BUF_IN, 0, half)) == -EBADMSG &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_INOUT, 0, half),
			 RB(1, OM_MIG_BUF_IN, 0, half + 1)) == -EBADMSG,
		  "mig: SYSREQ IN sum over OM_MIG_MAX_IO is -EBADMSG (INOUT counts)");
	TAP_CHECK(DEC_RQ(2, RB(0, OM_MIG_BUF_OUT, 0, half),
			 RB(1, OM_MIG_BUF_OUT, 0, half)) == 0 &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_OUT, 0, half + 1),
			 RB(1, OM_MIG_BUF_OUT, 0, half)) == -EBADMSG &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_INOUT, 0, half),
			 RB(1, OM_MIG_BUF_OUT, 0, half)) == 0 &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_INOUT, 0, half),
			 RB(1, OM_MIG_BUF_OUT, 0, half + 1)) == -EBADMSG,
		  "mig: SYSREQ OUT sum over OM_MIG_MAX_IO is -EBADMSG (INOUT counts)");
	TAP_CHECK(DEC_RQ(1, RB(0, OM_MIG_BUF_OUT, 0, 0xffffffff)) == -EBADMSG &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_INOUT, 0, 0xffffffff)) == -EBADMSG,
		  "mig: SYSREQ OUT and INOUT len 4 GiB are -EBADMSG");
	TAP_CHECK(DEC_RQ(1, RB(0, OM_MIG_BUF_IN, OM_MIG_MAX_IOV, 0)) == 0 &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_OUT, OM_MIG_MAX_IOV, 9)) == 0 &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_IN, 0, 0)) == 0,
		  "mig: SYSREQ niov 0 and 1024 are fine");
	TAP_CHECK(DEC_RQ(1, RB(0, OM_MIG_BUF_IN, OM_MIG_MAX_IOV + 1, 0)) ==
		  -EPROTO &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_OUT, OM_MIG_MAX_IOV + 1, 9)) ==
		  -EPROTO &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_INOUT, 0xffff, 1)) == -EPROTO,
		  "mig: SYSREQ niov 1025 and 65535 are -EPROTO");
	TAP_CHECK(DEC_RQ(1, RB(0, OM_MIG_BUF_IN, 1, io - 16)) == 0 &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_IN, 1, io - 15)) == -EBADMSG &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_INOUT, 2, io - 32)) == 0 &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_INOUT, 2, io - 31)) == -EBADMSG,
		  "mig: SYSREQ iovec array + data over OM_MIG_MAX_IO in one buffer is -EBADMSG");
	TAP_CHECK(DEC_RQ(2, RB(0, OM_MIG_BUF_OUT, OM_MIG_MAX_IOV, io),
			 RB(1, OM_MIG_BUF_IN, 0, io - arr)) == 0 &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_OUT, OM_MIG_MAX_IOV, io),
			 RB(1, OM_MIG_BUF_IN, 0, io - arr + 1)) == -EBADMSG &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_IN, 0, io - arr),
			 RB(1, OM_MIG_BUF_OUT, OM_MIG_MAX_IOV, 0)) == 0 &&
		  DEC_RQ(2, RB(0, OM_MIG_BUF_IN, 0, io - arr + 1),
			 RB(1, OM_MIG_BUF_OUT, OM_MIG_MAX_IOV, 0)) == -EBADMSG,
		  "mig: SYSREQ iovec arrays count as IN: an OUT buffer's array + IN data over OM_MIG_MAX_IO is -EBADMSG");
	/* in 32 bits, 16384 + len would wrap to the 8 bytes that follow */
	n = RQ(1, RB(0, OM_MIG_BUF_IN, OM_MIG_MAX_IOV, 0U - arr + 8));
	memset(enc + n, 0x5a, 8);
	TAP_CHECK(dec(OM_MIG_SYSREQ, enc, n + 8) == -EBADMSG &&
		  DEC_RQ(1, RB(0, OM_MIG_BUF_IN, OM_MIG_MAX_IOV, 0xffffffff)) ==
		  -EBADMSG,
		  "mig: SYSREQ array + len past 4 GiB is -EBADMSG (no wrap)");
}

static void test_mig_reject_sysrep(void)
{
	/* seq, ret, nbuf, then (arg, le32 len, data) */
	u8 *p = enc;
	u32 n = 8 + 8 + 8;
	int i;

	memset(p, 0, 64);
	put_unaligned_le64(MIG_ID, p);
	p[n] = 1;
	p[n + 1] = 6;		/* arg 6 */
	TAP_CHECK(dec(OM_MIG_SYSREP, p, n + 6) == -EPROTO,
		  "mig: SYSREP buffer arg 6 is -EPROTO");
	p[n + 1] = 5;
	TAP_CHECK(dec(OM_MIG_SYSREP, p, n + 6) == 0,
		  "mig: SYSREP empty buffer for arg 5 is fine");
	p[n] = 2;
	p[n + 6] = 5;
	TAP_CHECK(dec(OM_MIG_SYSREP, p, n + 11) == -EBADMSG,
		  "mig: SYSREP with two buffers for one arg is -EBADMSG");
	p[n] = 7;
	for (i = 0; i < 7; i++)
		p[n + 1 + 5 * i] = (u8)(i % 6);
	TAP_CHECK(dec(OM_MIG_SYSREP, p, n + 1 + 35) == -EBADMSG,
		  "mig: SYSREP nbuf 7 is -EBADMSG");
}

static void no_fix(struct om_mig_msg *m)
{
	(void)m;
}

static void fix_reason_ctl(struct om_mig_msg *m)
{
	m->abort.reason = str("tab\there");
}

static void fix_reason_128(struct om_mig_msg *m)
{
	m->gohome.reason.len = 128;
	m->gohome.reason.s = reason127;	/* the encoder never reads it */
}

static void fix_name_slash(struct om_mig_msg *m)
{
	m->img.name = str("../etc");
}

static void fix_img_null(struct om_mig_msg *m)
{
	m->img.data = NULL;
}

static void fix_sig0(struct om_mig_msg *m)
{
	static u8 z[OM_MIG_SIGINFO_LEN];

	m->signal.info = z;
}

static void fix_nbuf7(struct om_mig_msg *m)
{
	m->sysreq.nbuf = 7;
}

static void fix_id0(struct om_mig_msg *m)
{
	m->mig_id = 0;
}

static void fix_type(struct om_mig_msg *m)
{
	m->type = OM_MIG_TYPE_LAST + 1;
}

static void fix_comm_nul(struct om_mig_msg *m)
{
	m->offer.comm.len = 6;	/* "sleep" and its NUL */
}

static void fix_sysrep_niov(struct om_mig_msg *m)
{
	m->sysrep.buf[0].niov = 1;
}

static void fix_niov1025(struct om_mig_msg *m)
{
	m->sysreq.buf[1].niov = OM_MIG_MAX_IOV + 1;	/* data is big enough */
}

static void fix_same_arg(struct om_mig_msg *m)
{
	m->sysreq.buf[1].arg = m->sysreq.buf[0].arg;	/* an OUT and an IN */
}

static void fix_dir4(struct om_mig_msg *m)
{
	m->sysreq.buf[0].dir = OM_MIG_BUF_INOUT + 1;
}

static void fix_iov_null(struct om_mig_msg *m)
{
	m->sysreq.buf[0].niov = 2;	/* OUT: the array is its data */
}

static void fix_iov_over(struct om_mig_msg *m)
{
	m->sysreq.buf[1].niov = 1;
	m->sysreq.buf[1].len = OM_MIG_MAX_IO - OM_MIG_IOVEC_LEN + 1;
}

static void fix_inout_null(struct om_mig_msg *m)
{
	m->sysreq.buf[1].dir = OM_MIG_BUF_INOUT;
	m->sysreq.buf[1].data = NULL;
}

static void test_mig_encoder_refuses(void)
{
	struct om_mig_msg m;
	int n;

	TAP_CHECK(mutated(OM_MIG_CANCEL, no_fix) == 16,
		  "mig: (control) an unbroken message encodes");
	TAP_CHECK(mutated(OM_MIG_ABORT, fix_reason_ctl) == -EINVAL &&
		  mutated(OM_MIG_GOHOME, fix_reason_128) == -EINVAL &&
		  mutated(OM_MIG_IMG, fix_name_slash) == -EINVAL &&
		  mutated(OM_MIG_IMG, fix_img_null) == -EINVAL &&
		  mutated(OM_MIG_SIGNAL, fix_sig0) == -EINVAL &&
		  mutated(OM_MIG_SYSREQ, fix_nbuf7) == -EINVAL &&
		  mutated(OM_MIG_STOPPED, fix_id0) == -EINVAL &&
		  mutated(OM_MIG_STOPPED, fix_type) == -EINVAL &&
		  mutated(OM_MIG_OFFER, fix_comm_nul) == -EINVAL,
		  "mig: the encoder refuses what the decoder would (-EINVAL)");
	TAP_CHECK(mutated(OM_MIG_SYSREP, fix_sysrep_niov) == -EINVAL,
		  "mig: the encoder refuses a SYSREP buffer with niov != 0 (-EINVAL)");
	TAP_CHECK(mutated(OM_MIG_SYSREQ, fix_niov1025) == -EINVAL &&
		  mutated(OM_MIG_SYSREQ, fix_same_arg) == -EINVAL &&
		  mutated(OM_MIG_SYSREQ, fix_dir4) == -EINVAL &&
		  mutated(OM_MIG_SYSREQ, fix_iov_null) == -EINVAL &&
		  mutated(OM_MIG_SYSREQ, fix_iov_over) == -EINVAL &&
		  mutated(OM_MIG_SYSREQ, fix_inout_null) == -EINVAL,
		  "mig: the encoder refuses SYSREQ niov 1025, two buffers for an arg, dir 4, an array or INOUT data without data, array + data over OM_MIG_MAX_IO (-EINVAL)");
	sample(OM_MIG_IMG, true, &m);
	m.img.len++;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EMSGSIZE &&
		  om_mig_encode(&m, NULL, 0) == -EMSGSIZE,
		  "mig: an IMG one byte over the frame is -EMSGSIZE");
	sample(OM_MIG_CANCEL, false, &m);
	TAP_CHECK(om_mig_encode(&m, NULL, 5) == -EINVAL &&
		  om_mig_encode(NULL, enc, BIG) == -EINVAL,
		  "mig: encode(NULL out, cap > 0) and encode(NULL msg) are -EINVAL");
	TAP_CHECK(om_mig_encode_sized(&m, 16, NULL, BIG) == -EINVAL &&
		  om_mig_encode_sized(NULL, 16, enc, BIG) == -EINVAL &&
		  om_mig_encode_sized(&m, 7, enc, BIG) == -EINVAL &&
		  om_mig_encode_sized(&m, OM_WIRE_MAX_PAYLOAD + 1, enc, BIG) == -EMSGSIZE,
		  "mig: encode_sized without out or msg, or of a length under 8, is -EINVAL, over the frame -EMSGSIZE");
	/* IMG data read straight into the payload: encoded in place */
	sample(OM_MIG_IMG, false, &m);
	memcpy(enc2 + OM_MIG_IMG_HDR_LEN(11), DATA(0), 100);
	m.img.data = enc2 + OM_MIG_IMG_HDR_LEN(11);
	n = om_mig_encode(&m, enc2, BIG);
	TAP_CHECK(n == OM_MIG_IMG_HDR_LEN(11) + 100 &&
		  !memcmp(enc2 + OM_MIG_IMG_HDR_LEN(11), DATA(0), 100) &&
		  !memcmp(enc2 + 9, "pages-1.img", 11),
		  "mig: IMG data already in place encodes in place");
}

static void test_mig_reject_values(void)
{
	struct om_mig_msg d;
	u8 p[28];

	TAP_CHECK(patch32(OM_MIG_SIGNAL, 8, 0) == -EPROTO &&
		  patch32(OM_MIG_SIGNAL, 8, 65) == -EPROTO &&
		  patch32(OM_MIG_SIGNAL, 8, 0x80000001) == -EPROTO &&
		  patch32(OM_MIG_SIGNAL, 8, 1) == 0 &&
		  patch32(OM_MIG_SIGNAL, 8, 64) == 0,
		  "mig: SIGNAL si_signo 0 and 65 are -EPROTO, 1 and 64 fine");
	TAP_CHECK(patch32(OM_MIG_ABORT, 14, 0x41410a41) == -EPROTO &&
		  patch8(OM_MIG_ABORT, 13, 0x7f) == -EPROTO &&
		  patch8(OM_MIG_ABORT, 13, 0x80) == -EPROTO &&
		  patch8(OM_MIG_ABORT, 13, 0) == -EPROTO &&
		  patch8(OM_MIG_GOHOME, 9, 0x1b) == -EPROTO &&
		  patch8(OM_MIG_DONE, 17, '\r') == -EPROTO &&
		  patch8(OM_MIG_ABORT, 13, '~') == 0,
		  "mig: reasons with a control, DEL, non-ASCII or NUL byte are -EPROTO");
	TAP_CHECK(patch8(OM_MIG_ACCEPT, 12, 128) == -EBADMSG,
		  "mig: reason length 128 is -EBADMSG");
	TAP_CHECK(patch32(OM_MIG_ACCEPT, 8, 1) == -EPROTO &&
		  patch32(OM_MIG_ACCEPT, 8, (u32)-4096) == -EPROTO &&
		  patch32(OM_MIG_ACCEPT, 8, (u32)-4095) == 0 &&
		  patch32(OM_MIG_ABORT, 8, 0) == -EPROTO &&
		  patch32(OM_MIG_ABORT, 8, (u32)-1) == 0,
		  "mig: err outside -4095..0 is -EPROTO (ABORT: 0 too)");
	TAP_CHECK(patch32(OM_MIG_DONE, 12, 0) == -EPROTO &&
		  patch32(OM_MIG_DONE, 12, OM_MIG_PID_MAX + 1) == -EPROTO &&
		  patch32(OM_MIG_DONE, 8, (u32)-EPERM) == -EPROTO,
		  "mig: DONE pid 0 or > PID_MAX with err 0, or a pid with err, is -EPROTO");
	TAP_CHECK(patch8(OM_MIG_EXIT, 8, 0) == -EPROTO &&
		  patch8(OM_MIG_EXIT, 8, 3) == -EPROTO &&
		  patch32(OM_MIG_EXIT, 9, 256) == -EPROTO &&
		  patch8(OM_MIG_EXIT, 13, 1) == -EPROTO &&
		  patch8(OM_MIG_EXIT, 8, OM_MIG_KILLED) == -EPROTO &&
		  patch32(OM_MIG_EXIT, 9, 0) == 0,
		  "mig: EXIT how 0/3, status 256, core without a signal, signal 255 are -EPROTO");
	TAP_CHECK(patch32(OM_MIG_STOPPED, 8, 65) == -EPROTO &&
		  patch32(OM_MIG_STOPPED, 8, 19) == 0,
		  "mig: STOPPED signal 65 is -EPROTO");
	TAP_CHECK(patch32(OM_MIG_OFFER, 8, 0) == -EPROTO &&
		  patch32(OM_MIG_OFFER, 12, 0xffffffff) == -EPROTO &&
		  patch32(OM_MIG_OFFER, 24, 0xffffffff) == -EPROTO &&
		  patch8(OM_MIG_OFFER, 36, 0) == -EPROTO &&
		  patch8(OM_MIG_OFFER, 37, 1) == 0 &&
		  patch32(OM_MIG_OFFER, 50, OM_MIG_XSTATE_MAX + 1) == -EPROTO &&
		  patch8(OM_MIG_OFFER, 96, 0) == -EPROTO &&
		  patch8(OM_MIG_OFFER, 94, 16) == -EBADMSG,
		  "mig: OFFER pid 0, uid -1, proto 0, xstate size, NUL or 16 in comm rejected");
	put_unaligned_le64(MIG_ID, p);
	put_unaligned_le32(1, p + 8);
	put_unaligned_le64(OM_MIG_IMG_MAX, p + 12);
	TAP_CHECK(patch32(OM_MIG_COMMIT, 8, 0) == -EPROTO &&
		  dec(OM_MIG_COMMIT, p, 20) == 0 &&
		  (put_unaligned_le64(OM_MIG_IMG_MAX + 1, p + 12),
		   dec(OM_MIG_COMMIT, p, 20)) == -EPROTO,
		  "mig: COMMIT of 0 images, or over 1 TiB per image, is -EPROTO");
	put_unaligned_le64(OM_MIG_IMG_MAX, p + 12);
	TAP_CHECK(patch32(OM_MIG_PREPARE, 8, 0) == -EPROTO &&
		  dec(OM_MIG_PREPARE, p, 20) == 0 &&
		  dec(OM_MIG_PREPARE, p, 19) == -EBADMSG &&
		  (put_unaligned_le64(OM_MIG_IMG_MAX + 1, p + 12),
		   dec(OM_MIG_PREPARE, p, 20)) == -EPROTO,
		  "mig: PREPARE as COMMIT: 0 images, over 1 TiB per image -EPROTO, truncated -EBADMSG");
	put_unaligned_le64(OM_MIG_IMG_MAX, p + 12);
	put_unaligned_le64(7, p + 20);
	TAP_CHECK(dec(OM_MIG_COMMIT, p, 28) == 0 &&
		  dec(OM_MIG_PREPARE, p, 28) == -EPROTO,
		  "mig: sig_seq after a COMMIT is taken, after a PREPARE -EPROTO");
	TAP_CHECK(patch32(OM_MIG_CANCEL, 0, 0) == 0 &&
		  patch32(OM_MIG_CANCEL, 4, 0) == 0 &&
		  (put_unaligned_le32(0, enc), dec(OM_MIG_CANCEL, enc, 16)) ==
		  -EPROTO,
		  "mig: mig_id 0 is -EPROTO");
	memset(p, 1, sizeof(p));
	TAP_CHECK(om_mig_decode(0x4f, p, 16, &d) == -EPROTO &&
		  om_mig_decode(0x3f, p, 16, &d) == -EPROTO &&
		  om_mig_decode(OM_WIRE_T_MIG_LAST, p, 16, &d) == -EPROTO &&
		  om_mig_decode(OM_MIG_CANCEL, p, 16, &d) == 0,
		  "mig: unknown types are -EPROTO");
	TAP_CHECK(om_mig_decode(OM_MIG_CANCEL, NULL, 0, &d) == -EBADMSG &&
		  om_mig_decode(OM_MIG_CANCEL, NULL, 16, &d) == -EINVAL,
		  "mig: empty payload is -EBADMSG, NULL with a length -EINVAL");
}

/* An automatic OFFER's sample: a load move */
static void offer_auto(struct om_mig_msg *m)
{
	sample(OM_MIG_OFFER, false, m);
	m->offer.automatic = true;
	m->offer.bal.kind = OM_MIG_BAL_LOAD;
	m->offer.bal.sender_load = 2048;
	m->offer.bal.d_target = 1024;
	m->offer.bal.d_self = 1000;
}

/* The manual sample's bytes, then the n bytes of tail: decode's answer */
static int offer_tail(const u8 *tail, u32 n)
{
	struct om_mig_msg m;
	int k;

	sample(OM_MIG_OFFER, false, &m);
	k = om_mig_encode(&m, enc, BIG);
	if (k < 0)
		return 1000;
	memcpy(enc + k, tail, n);
	return dec(OM_MIG_OFFER, enc, (u32)k + n);
}

/* The four attributes, valid, for tests to break */
static void tail_ok(u8 *t)
{
	static const u8 ok[OM_MIG_OFFER_BAL_LEN] = {
		5, 0, 1, 0, OM_MIG_BAL_LOAD, 0, 0, 0,	/* KIND */
		8, 0, 2, 0, 0x00, 0x08, 0, 0,		/* SENDER_LOAD 2048 */
		8, 0, 3, 0, 0x00, 0x04, 0, 0,		/* D_TARGET 1024 */
		8, 0, 4, 0, 0xe8, 0x03, 0, 0,		/* D_SELF 1000 */
	};

	memcpy(t, ok, sizeof(ok));
}

static void fix_bal_manual(struct om_mig_msg *m)
{
	m->offer.bal.d_self = 1;	/* a view without automatic */
}

static void test_mig_offer_bal(void)
{
	u8 t[OM_MIG_OFFER_BAL_LEN + 16];
	struct om_mig_msg m, d;
	int n, n0, ok = 1;

	offer_auto(&m);
	n = roundtrip_msg(&m, "automatic OFFER");
	sample(OM_MIG_OFFER, false, &d);
	n0 = om_mig_encode(&d, enc2, BIG);
	tail_ok(t);
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n0 > 0 && n == n0 + (int)OM_MIG_OFFER_BAL_LEN &&
		  !memcmp(enc, enc2, (size_t)n0) &&
		  !memcmp(enc + n0, t, OM_MIG_OFFER_BAL_LEN),
		  "mig: OFFER view golden bytes, after the manual OFFER's bytes unchanged");
	TAP_CHECK(offer_tail(t, OM_MIG_OFFER_BAL_LEN) == 0 &&
		  om_mig_decode(OM_MIG_OFFER, enc, (u32)n, &d) == 0 &&
		  d.offer.automatic && d.offer.bal.kind == OM_MIG_BAL_LOAD &&
		  d.offer.bal.sender_load == 2048 &&
		  d.offer.bal.d_target == 1024 && d.offer.bal.d_self == 1000 &&
		  om_mig_decode(OM_MIG_OFFER, enc, (u32)n0, &d) == 0 &&
		  !d.offer.automatic,
		  "mig: OFFER with the view is automatic, without it manual");

	/* structure: missing, repeated, misplaced, mis-sized, unpadded */
	TAP_EXPECT(ok, offer_tail(t, 8) == -EBADMSG);		/* KIND only */
	TAP_EXPECT(ok, offer_tail(t, 24) == -EBADMSG);		/* three */
	TAP_EXPECT(ok, offer_tail(t, 3) == -EBADMSG);		/* a header cut */
	TAP_EXPECT(ok, offer_tail(t, 5) == -EBADMSG);		/* no padding */
	TAP_EXPECT(ok, offer_tail(t, 30) == -EBADMSG);		/* last value cut */
	t[OM_MIG_OFFER_BAL_LEN] = 0;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN + 1) == -EBADMSG);
	memcpy(t + OM_MIG_OFFER_BAL_LEN, t + 8, 8);		/* a fifth */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN + 8) == -EBADMSG);
	tail_ok(t);
	memcpy(t + 8, t, 8);				/* KIND twice */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	tail_ok(t);
	t[10] = 3;					/* D_TARGET before SENDER_LOAD */
	t[18] = 2;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	tail_ok(t);
	TAP_EXPECT(ok, offer_tail(t + 8, 24) == -EBADMSG);	/* no KIND */
	t[0] = 8;					/* KIND as 4 bytes */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	tail_ok(t);
	t[8] = 12;					/* a u32 as 8 bytes */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	tail_ok(t);
	t[7] = 1;					/* padding not zero */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	tail_ok(t);
	t[2] = 0;					/* type 0 */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	TAP_CHECK(ok, "mig: OFFER view missing, truncated, unpadded, repeated, out of order, mis-sized or a fifth attribute is -EBADMSG");

	ok = 1;
	tail_ok(t);
	t[2] = OM_MIG_OA_LAST + 1;			/* unknown type */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	tail_ok(t);
	t[3] = 0x80;					/* nested */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	tail_ok(t);
	t[4] = 0;					/* kinds 0 (none), 1 (home), 5 */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	t[4] = 1;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	t[4] = 5;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	t[4] = OM_MIG_BAL_USHER;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == 0);
	t[4] = OM_MIG_BAL_LIMIT;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == 0);
	put_unaligned_le32(OM_MIG_LOAD_MAX, t + 12);
	put_unaligned_le32(OM_MIG_LOAD_MAX, t + 20);
	put_unaligned_le32(OM_MIG_LOAD_MAX, t + 28);
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == 0);
	put_unaligned_le32(OM_MIG_LOAD_MAX + 1, t + 12);
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	put_unaligned_le32(OM_MIG_LOAD_MAX, t + 12);
	put_unaligned_le32(OM_MIG_LOAD_MAX + 1, t + 20);
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	put_unaligned_le32(OM_MIG_LOAD_MAX, t + 20);
	put_unaligned_le32(0xffffffff, t + 28);
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN) == -EPROTO);
	TAP_CHECK(ok, "mig: OFFER view with an unknown or nested type, kind none/home/5 or a load over OM_MIG_LOAD_MAX is -EPROTO");

	ok = 1;
	TAP_EXPECT(ok, mutated(OM_MIG_OFFER, fix_bal_manual) == -EINVAL);
	offer_auto(&m);
	m.offer.bal.kind = 0;
	TAP_EXPECT(ok, om_mig_encode(&m, enc, BIG) == -EINVAL);
	offer_auto(&m);
	m.offer.bal.d_target = OM_MIG_LOAD_MAX + 1;
	TAP_EXPECT(ok, om_mig_encode(&m, enc, BIG) == -EINVAL);
	offer_auto(&m);
	TAP_EXPECT(ok, om_mig_encode(&m, enc, (u32)n - 1) == -EMSGSIZE);
	TAP_CHECK(ok, "mig: the encoder refuses a view without automatic, kind 0, a load over the max (-EINVAL), and a short buffer");
}

/* The POLICY attribute of an iojob, locked, 5000 ms into its hint */
static const u8 pol_ok[OM_MIG_OFFER_POL_LEN] = {
	12, 0, 5, 0, 0x05, 0, 0, 0, 0x88, 0x13, 0, 0,
};

static void test_mig_offer_pol(void)
{
	u8 t[OM_MIG_OFFER_BAL_LEN + 2 * OM_MIG_OFFER_POL_LEN + 8];
	struct om_mig_msg m, d;
	int n, n0, k, ok = 1, bad = 0;

	/* policy alone, after a manual OFFER's comm */
	sample(OM_MIG_OFFER, false, &m);
	n0 = om_mig_encode(&m, enc2, BIG);
	m.offer.pol.flags = OM_MIG_POL_LOCKED | OM_MIG_POL_HINT_IO;
	m.offer.pol.hint_age_ms = 5000;
	roundtrip_msg(&m, "OFFER with a policy");
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == n0 + (int)OM_MIG_OFFER_POL_LEN && !memcmp(enc, enc2, (size_t)n0) &&
		  !memcmp(enc + n0, pol_ok, sizeof(pol_ok)) &&
		  om_mig_decode(OM_MIG_OFFER, enc, (u32)n, &d) == 0 &&
		  !d.offer.automatic && d.offer.pol.flags == 5 &&
		  d.offer.pol.hint_age_ms == 5000,
		  "mig: OFFER policy golden bytes after comm; a manual OFFER with it");
	/* every cut is -EBADMSG but the one before the policy (no policy) */
	for (k = n0 + 1; k < n; k++)
		if (om_mig_decode(OM_MIG_OFFER, enc, (u32)k, &d) != -EBADMSG)
			bad++;
	TAP_CHECK(!bad && om_mig_decode(OM_MIG_OFFER, enc, (u32)n0, &d) == 0 &&
		  !d.offer.pol.flags,
		  "mig: OFFER policy cut is -EBADMSG; without it, no policy");

	/* view then policy, as the balancer sends it */
	offer_auto(&m);
	m.offer.pol.flags = OM_MIG_POL_HINT_CPU;
	m.offer.pol.hint_age_ms = OM_MIG_HINT_AGE_MAX;
	roundtrip_msg(&m, "automatic OFFER with a policy");
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == n0 + (int)(OM_MIG_OFFER_BAL_LEN + OM_MIG_OFFER_POL_LEN) &&
		  om_mig_decode(OM_MIG_OFFER, enc, (u32)n, &d) == 0 &&
		  d.offer.automatic && d.offer.bal.d_self == 1000 &&
		  d.offer.pol.flags == OM_MIG_POL_HINT_CPU &&
		  om_mig_decode(OM_MIG_OFFER, enc, (u32)(n - OM_MIG_OFFER_POL_LEN), &d) == 0 &&
		  d.offer.automatic && !d.offer.pol.flags,
		  "mig: OFFER view then policy; cut before the policy, the view alone");

	/* structure */
	memcpy(t, pol_ok, sizeof(pol_ok));
	memcpy(t + OM_MIG_OFFER_POL_LEN, pol_ok, sizeof(pol_ok));
	TAP_EXPECT(ok, offer_tail(t, 2 * OM_MIG_OFFER_POL_LEN) == -EBADMSG);	/* twice */
	tail_ok(t + OM_MIG_OFFER_POL_LEN);
	memcpy(t, pol_ok, sizeof(pol_ok));
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN + OM_MIG_OFFER_BAL_LEN) == -EBADMSG);
	tail_ok(t);
	memcpy(t + OM_MIG_OFFER_BAL_LEN, t, 8);		/* a view attribute after */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN + 8) == -EBADMSG);
	memcpy(t, pol_ok, sizeof(pol_ok));
	t[0] = 8;						/* one u32 only */
	TAP_EXPECT(ok, offer_tail(t, 8) == -EBADMSG);
	t[0] = 16;						/* three */
	t[12] = t[13] = t[14] = t[15] = 0;
	TAP_EXPECT(ok, offer_tail(t, 16) == -EBADMSG);
	memcpy(t, pol_ok, sizeof(pol_ok));
	TAP_EXPECT(ok, offer_tail(t, 2) == -EBADMSG);		/* header cut */
	TAP_CHECK(ok, "mig: OFFER policy repeated, before the view, mis-sized or cut is -EBADMSG");

	/* values */
	ok = 1;
	memcpy(t, pol_ok, sizeof(pol_ok));
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == 0);
	t[4] = 0;						/* empty */
	t[8] = t[9] = 0;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == -EPROTO);
	t[4] = 0x08;						/* unknown flag */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == -EPROTO);
	t[4] = OM_MIG_POL_HINT_CPU | OM_MIG_POL_HINT_IO;	/* two hints */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == -EPROTO);
	t[4] = OM_MIG_POL_LOCKED;				/* age, no hint */
	t[8] = 1;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == -EPROTO);
	t[8] = 0;
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == 0);
	t[4] = OM_MIG_POL_HINT_IO;
	put_unaligned_le32(OM_MIG_HINT_AGE_MAX + 1, t + 8);
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == -EPROTO);
	memcpy(t, pol_ok, sizeof(pol_ok));
	t[2] = OM_MIG_OA_LAST + 1;				/* unknown type */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_POL_LEN) == -EPROTO);
	tail_ok(t);
	memcpy(t + OM_MIG_OFFER_BAL_LEN, pol_ok, sizeof(pol_ok));
	t[OM_MIG_OFFER_BAL_LEN + 3] = 0x80;			/* nested, after a view */
	TAP_EXPECT(ok, offer_tail(t, OM_MIG_OFFER_BAL_LEN + OM_MIG_OFFER_POL_LEN) == -EPROTO);
	TAP_CHECK(ok, "mig: OFFER policy empty, with unknown flags, two hints, an age without a hint or over an hour, or an unknown type is -EPROTO");

	ok = 1;
	sample(OM_MIG_OFFER, false, &m);
	m.offer.pol.flags = 0x10;
	TAP_EXPECT(ok, om_mig_encode(&m, enc, BIG) == -EINVAL);
	m.offer.pol.flags = 0;
	m.offer.pol.hint_age_ms = 1;
	TAP_EXPECT(ok, om_mig_encode(&m, enc, BIG) == -EINVAL);
	m.offer.pol.flags = OM_MIG_POL_LOCKED;
	m.offer.pol.hint_age_ms = 0;
	n = om_mig_encode(&m, enc, BIG);
	TAP_EXPECT(ok, n > 0 && om_mig_encode(&m, enc, (u32)n - 1) == -EMSGSIZE);
	TAP_CHECK(ok, "mig: the encoder refuses a bad policy (-EINVAL) and a short buffer");
}

/* Golden bytes: the layout Documentation/wire-protocol.md describes */
static void test_mig_golden(void)
{
	static const u8 exit_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		0x02, 0x09, 0x00, 0x00, 0x00, 0x01,
	};
	static const u8 img_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		0x03, 'm', 'm', '1', 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0x01,
		0xaa, 0xbb,
	};
	static const u8 req_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		7, 0, 0, 0, 0, 0, 0, 0,		/* seq */
		1, 0, 0, 0, 0, 0, 0, 0,		/* nr, flags */
		1, 0, 0, 0, 0, 0, 0, 0,		/* args */
		2, 0, 0, 0, 0, 0, 0, 0,
		3, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		2,				/* nbuf */
		1, 1, 0, 0, 3, 0, 0, 0,		/* arg 1 IN niov 0 len 3 */
		'h', 'i', '\n',
		4, 2, 0, 0, 0, 0x10, 0, 0,	/* arg 4 OUT niov 0 len 4096 */
	};
	/* writev(3, iov, 1) of "ok", and an INOUT buffer for arg 2 */
	static const u8 reqv_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		8, 0, 0, 0, 0, 0, 0, 0,		/* seq */
		20, 0, 0, 0, 0, 0, 0, 0,	/* nr (writev), flags */
		3, 0, 0, 0, 0, 0, 0, 0,		/* args */
		0, 0x70, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		2,				/* nbuf */
		1, 1, 1, 0, 2, 0, 0, 0,		/* arg 1 IN niov 1 len 2 */
		0, 0x80, 0, 0, 0, 0, 0, 0,	/* iov[0].base 0x8000 */
		2, 0, 0, 0, 0, 0, 0, 0,		/* iov[0].len 2 */
		'o', 'k',
		2, 3, 0, 0, 1, 0, 0, 0,		/* arg 2 INOUT niov 0 len 1 */
		'x',
	};
	static const u8 iov_ok[] = {
		0, 0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 'o', 'k',
	};
	static const u8 ab[] = { 0xaa, 0xbb };
	struct om_mig_msg m = { .type = OM_MIG_EXIT, .mig_id = MIG_ID };
	int n;

	m.exit.how = OM_MIG_KILLED;
	m.exit.code = 9;
	m.exit.core = 1;
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(exit_b) && !memcmp(enc, exit_b, sizeof(exit_b)),
		  "mig: EXIT golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MIG_IMG;
	m.mig_id = MIG_ID;
	m.img.name = str("mm1");
	m.img.offset = 4096;
	m.img.flags = OM_MIG_IMG_LAST;
	m.img.data = ab;
	m.img.len = 2;
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(img_b) && !memcmp(enc, img_b, sizeof(img_b)),
		  "mig: IMG golden bytes");
	memset(&m, 0, sizeof(m));
	m.type = OM_MIG_SYSREQ;
	m.mig_id = MIG_ID;
	m.sysreq.seq = 7;
	m.sysreq.nr = 1;	/* write */
	m.sysreq.args[0] = 1;
	m.sysreq.args[1] = 2;
	m.sysreq.args[2] = 3;
	m.sysreq.nbuf = 2;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_IN, .niov = 0, .len = 3,
		.data = (const u8 *)"hi\n" };
	m.sysreq.buf[1] = (struct om_mig_buf){
		.arg = 4, .dir = OM_MIG_BUF_OUT, .niov = 0, .len = 4096,
		.data = NULL };
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(req_b) && !memcmp(enc, req_b, sizeof(req_b)),
		  "mig: SYSREQ golden bytes");
	m.sysreq.seq = 8;
	m.sysreq.nr = 20;	/* writev */
	m.sysreq.args[0] = 3;
	m.sysreq.args[1] = 0x7000;
	m.sysreq.args[2] = 1;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_IN, .niov = 1, .len = 2,
		.data = iov_ok };
	m.sysreq.buf[1] = (struct om_mig_buf){
		.arg = 2, .dir = OM_MIG_BUF_INOUT, .niov = 0, .len = 1,
		.data = (const u8 *)"x" };
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == sizeof(reqv_b) && !memcmp(enc, reqv_b, sizeof(reqv_b)),
		  "mig: SYSREQ with an iovec array and an INOUT buffer golden bytes");
}

/* A SYSREQ without buffers to add some to */
static void sysreq_base(struct om_mig_msg *m, u32 nr)
{
	memset(m, 0, sizeof(*m));
	m->type = OM_MIG_SYSREQ;
	m->mig_id = MIG_ID;
	m->sysreq.seq = 1234;
	m->sysreq.nr = nr;
	m->sysreq.args[0] = 3;
	m->sysreq.args[1] = 0x7ffd0000;
}

/* An iovec array of n entries at p (then data follows) */
static void put_iov(u8 *p, const u32 *lens, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		put_unaligned_le64(0x7f0000001000ULL + 0x100ULL * (u64)i,
				   p + OM_MIG_IOVEC_LEN * i);
		put_unaligned_le64(lens[i], p + OM_MIG_IOVEC_LEN * i + 8);
	}
}

/* Decode enc[0..n) and check buffer i's data pointer and niov */
static bool decoded_buf_at(int n, u8 i, u32 off, u16 niov)
{
	struct om_mig_msg d;

	return om_mig_decode(OM_MIG_SYSREQ, enc, (u32)n, &d) == 0 &&
	       d.sysreq.nbuf > i && d.sysreq.buf[i].data == enc + off &&
	       d.sysreq.buf[i].niov == niov;
}

/* INOUT buffers and iovec arrays: round trips, sizes, truncations */
static void test_mig_sysreq_iov(void)
{
	static const u32 wlens[3] = { 5, 0, 6 };
	static const u32 rlens[2] = { 4096, 100 };
	static u8 wv[3 * OM_MIG_IOVEC_LEN + 11], rv[2 * OM_MIG_IOVEC_LEN];
	static u8 inout2[OM_MIG_IOVEC_LEN + 8];
	struct om_mig_msg m;
	int n;

	/* ioctl-like: one INOUT argument; and INOUT with an array */
	sysreq_base(&m, 16);
	put_iov(inout2, rlens, 1);
	memcpy(inout2 + OM_MIG_IOVEC_LEN, "8 bytes!", 8);
	m.sysreq.nbuf = 2;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 2, .dir = OM_MIG_BUF_INOUT, .niov = 0, .len = 24,
		.data = DATA(0) };
	m.sysreq.buf[1] = (struct om_mig_buf){
		.arg = 4, .dir = OM_MIG_BUF_INOUT, .niov = 1, .len = 8,
		.data = inout2 };
	n = roundtrip_msg(&m, "SYSREQ with INOUT buffers");
	TAP_CHECK(n == 73 + 2 * 8 + 24 + 16 + 8 &&
		  decoded_buf_at(n, 0, 73 + 8, 0) &&
		  decoded_buf_at(n, 1, 73 + 8 + 24 + 8, 1),
		  "mig: SYSREQ INOUT buffers carry their data, the array first (%d bytes)",
		  n);
	truncations_msg(&m, "SYSREQ with INOUT buffers");

	/* writev(3, iov, 3): the array, then the 11 bytes it points to */
	sysreq_base(&m, 20);
	m.sysreq.args[2] = 3;
	put_iov(wv, wlens, 3);
	memcpy(wv + 3 * OM_MIG_IOVEC_LEN, "hello world", 11);
	m.sysreq.nbuf = 1;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_IN, .niov = 3, .len = 11,
		.data = wv };
	n = roundtrip_msg(&m, "SYSREQ writev (IN, niov 3)");
	TAP_CHECK(n == 73 + 8 + 48 + 11 && decoded_buf_at(n, 0, 73 + 8, 3) &&
		  !memcmp(enc + n - 11, "hello world", 11),
		  "mig: SYSREQ IN niov 3: 48 bytes of array, then the data (%d bytes)",
		  n);
	truncations_msg(&m, "SYSREQ writev (IN, niov 3)");

	/* readv(3, iov, 2): only the array goes; len is the room */
	sysreq_base(&m, 19);
	m.sysreq.args[2] = 2;
	put_iov(rv, rlens, 2);
	m.sysreq.nbuf = 1;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 2, .len = 4196,
		.data = rv };
	n = roundtrip_msg(&m, "SYSREQ readv (OUT, niov 2)");
	TAP_CHECK(n == 73 + 8 + 32 && decoded_buf_at(n, 0, 73 + 8, 2) &&
		  !memcmp(enc + 73 + 8, rv, 32),
		  "mig: SYSREQ OUT niov 2 carries just the 32-byte array (%d bytes)",
		  n);
	truncations_msg(&m, "SYSREQ readv (OUT, niov 2)");
	m.sysreq.buf[0].data = NULL;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: SYSREQ OUT niov 2 without data is -EINVAL");

	/* the largest array on each direction, and the sample's limits */
	sysreq_base(&m, 296);	/* pwritev2 */
	m.sysreq.nbuf = 3;
	m.sysreq.buf[0] = (struct om_mig_buf){
		.arg = 0, .dir = OM_MIG_BUF_OUT, .niov = OM_MIG_MAX_IOV,
		.len = OM_MIG_MAX_IO, .data = DATA(0) };
	m.sysreq.buf[1] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_IN, .niov = OM_MIG_MAX_IOV,
		.len = 1, .data = DATA(1) };
	m.sysreq.buf[2] = (struct om_mig_buf){
		.arg = 5, .dir = OM_MIG_BUF_INOUT, .niov = OM_MIG_MAX_IOV,
		.len = 0, .data = DATA(2) };
	roundtrip_msg(&m, "SYSREQ with three 1024-entry arrays");
}

/* The largest SYSREQ and SYSREP are exactly at the limits: one more byte fails */
static void test_mig_limits(void)
{
	static const u8 more[] = { 0, 1, 2, 3, 4, 5 };
	struct om_mig_msg m;
	u32 in = 0, out = 0;
	int i, bad = 0;

	sample(OM_MIG_SYSREQ, true, &m);
	for (i = 0; i < m.sysreq.nbuf; i++) {
		const struct om_mig_buf *b = &m.sysreq.buf[i];

		in += buf_datalen(b, true);
		if (b->dir & OM_MIG_BUF_OUT)
			out += b->len;
	}
	TAP_CHECK(in == OM_MIG_MAX_IO && out == OM_MIG_MAX_IO &&
		  om_mig_encode(&m, NULL, 0) == 73 + 6 * 8 + (int)OM_MIG_MAX_IO,
		  "mig: largest SYSREQ: IN %u and OUT %u bytes, both OM_MIG_MAX_IO",
		  in, out);
	for (i = 0; i < (int)sizeof(more); i++) {
		sample(OM_MIG_SYSREQ, true, &m);
		m.sysreq.buf[more[i]].len++;
		if (om_mig_encode(&m, NULL, 0) != -EINVAL)
			bad++;
	}
	sample(OM_MIG_SYSREQ, true, &m);
	m.sysreq.buf[3].niov++;		/* 16 more bytes of IN */
	if (om_mig_encode(&m, NULL, 0) != -EINVAL)
		bad++;
	for (i = 0; i < OM_MIG_MAX_BUFS; i++) {
		sample(OM_MIG_SYSREP, true, &m);
		m.sysrep.buf[i].len++;
		if (om_mig_encode(&m, NULL, 0) != -EINVAL)
			bad++;
	}
	TAP_CHECK(!bad, "mig: largest SYSREQ and SYSREP: one more byte in any buffer is -EINVAL");
}

/* An open's SYSREP with a DFSA record (fh of fhlen bytes) */
static void dfsa_sample(struct om_mig_msg *m, u8 fhlen)
{
	memset(m, 0, sizeof(*m));
	m->type = OM_MIG_SYSREP;
	m->mig_id = MIG_ID;
	m->sysrep.seq = 7;
	m->sysrep.ret = 3;
	m->sysrep.has_dfsa = true;
	m->sysrep.dfsa.node = 2;
	m->sysrep.dfsa.fhlen = fhlen;
	m->sysrep.dfsa.fh = DATA(1);
	m->sysrep.dfsa.flags = OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE;
	m->sysrep.dfsa.pos = 12345;
}

/* An encoded DFSA sample with one field changed: what the decoder says */
static int dfsa_patched(void (*fix)(struct om_mig_msg *m))
{
	struct om_mig_msg m, ok;
	int n;

	dfsa_sample(&m, 16);
	ok = m;
	/* encode a valid one, then write the bad field over it by hand */
	n = om_mig_encode(&ok, enc, BIG);
	if (n < 0)
		return 1000;
	fix(&m);
	/* the record is the payload's tail: node, fhlen, fh, flags, pos */
	put_unaligned_le16(m.sysrep.dfsa.node, enc + n - 28);
	enc[n - 9] = m.sysrep.dfsa.flags;
	put_unaligned_le64(m.sysrep.dfsa.pos, enc + n - 8);
	put_unaligned_le64((u64)m.sysrep.ret, enc + 16);
	return dec(OM_MIG_SYSREP, enc, (u32)n);
}

static void dfsa_node0(struct om_mig_msg *m) { m->sysrep.dfsa.node = 0; }
static void dfsa_flags0(struct om_mig_msg *m) { m->sysrep.dfsa.flags = OM_MIG_DFSA_SYNC; }
static void dfsa_flags_unknown(struct om_mig_msg *m) { m->sysrep.dfsa.flags |= 0x20; }
static void dfsa_both_sync(struct om_mig_msg *m)
{
	m->sysrep.dfsa.flags |= OM_MIG_DFSA_SYNC | OM_MIG_DFSA_DSYNC;
}
static void dfsa_pos_big(struct om_mig_msg *m) { m->sysrep.dfsa.pos = OM_MIG_DFSA_POS_MAX + 1; }
static void dfsa_ret_neg(struct om_mig_msg *m) { m->sysrep.ret = -2; }
static void dfsa_ret_big(struct om_mig_msg *m) { m->sysrep.ret = 0x80000000LL; }
static void dfsa_fine(struct om_mig_msg *m) { m->sysrep.dfsa.flags = OM_MIG_DFSA_WRITE | OM_MIG_DFSA_DSYNC; }

/* A directory's DFSA record, its "." and ".." inos */
static void dfsa_dir_sample(struct om_mig_msg *m)
{
	dfsa_sample(m, 16);
	m->sysrep.dfsa.flags = OM_MIG_DFSA_READ | OM_MIG_DFSA_DIR;
	m->sysrep.dfsa.pos = 0;
	m->sysrep.dfsa.dot = 0x0002000000000083ULL;
	m->sysrep.dfsa.dotdot = 0xffffffffffffffffULL;
}

/* A directory's record encoded, flags and pos written over it: what the decoder says */
static int dfsa_dir_patched(u8 flags, u64 pos)
{
	struct om_mig_msg m;
	int n;

	dfsa_dir_sample(&m);
	n = om_mig_encode(&m, enc, BIG);
	if (n < 0)
		return 1000;
	/* the tail: flags, pos, dot, dotdot */
	enc[n - 25] = flags;
	put_unaligned_le64(pos, enc + n - 24);
	return dec(OM_MIG_SYSREP, enc, (u32)n);
}

/* OM_MIG_DFSA_DIR: layout, cuts, the rules of a directory's record, matching */
static void test_mig_dfsa_dir(void)
{
	struct om_mig_msg m, d, q;
	int n, k, bad = 0;

	dfsa_dir_sample(&m);
	roundtrip_msg(&m, "SYSREP with a directory's DFSA record");
	m.sysrep.dfsa.has_dev = true;
	m.sysrep.dfsa.dev = 0x00100003;
	roundtrip_msg(&m, "SYSREP with a directory's DFSA record and its dev");
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == 25 + 2 + 1 + 16 + 1 + 8 + 16 + 4 &&
		  get_unaligned_le64(enc + n - 20) == 0x0002000000000083ULL &&
		  get_unaligned_le64(enc + n - 12) == 0xffffffffffffffffULL &&
		  get_unaligned_le32(enc + n - 4) == 0x00100003,
		  "mig: a directory's DFSA record: le64 dot, le64 dotdot after the position, then dev");
	dfsa_dir_sample(&m);
	n = om_mig_encode(&m, enc, BIG);
	for (k = 26; k < n; k++)
		if (om_mig_decode(OM_MIG_SYSREP, enc, (u32)k, &d) != -EBADMSG)
			bad++;
	/* 3 bytes more are a dev cut short */
	memset(enc + n, 0, 8);
	for (k = n + 1; k < n + 4; k++)
		if (om_mig_decode(OM_MIG_SYSREP, enc, (u32)k, &d) != -EBADMSG)
			bad++;
	if (om_mig_decode(OM_MIG_SYSREP, enc, (u32)n + 5, &d) != -EBADMSG)
		bad++;
	TAP_CHECK(n == 25 + 2 + 1 + 16 + 1 + 8 + 16 && !bad,
		  "mig: a directory's DFSA record cut anywhere, or with a dev cut short or a byte more, is -EBADMSG");
	TAP_CHECK(dfsa_dir_patched(OM_MIG_DFSA_READ | OM_MIG_DFSA_DIR, 0) == 0,
		  "mig: a directory's DFSA record: read-only at position 0 is fine");
	TAP_CHECK(dfsa_dir_patched(OM_MIG_DFSA_DIR, 0) == -EPROTO &&
		  dfsa_dir_patched(OM_MIG_DFSA_WRITE | OM_MIG_DFSA_DIR, 0) == -EPROTO &&
		  dfsa_dir_patched(OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE | OM_MIG_DFSA_DIR, 0) == -EPROTO &&
		  dfsa_dir_patched(OM_MIG_DFSA_READ | OM_MIG_DFSA_SYNC | OM_MIG_DFSA_DIR, 0) == -EPROTO &&
		  dfsa_dir_patched(OM_MIG_DFSA_READ | OM_MIG_DFSA_DSYNC | OM_MIG_DFSA_DIR, 0) == -EPROTO &&
		  dfsa_dir_patched(OM_MIG_DFSA_READ | OM_MIG_DFSA_DIR, 2) == -EPROTO &&
		  dfsa_dir_patched(OM_MIG_DFSA_READ | OM_MIG_DFSA_DIR | 0x20, 0) == -EPROTO,
		  "mig: a directory's DFSA record not read-only, with a sync flag, past position 0 or with unknown flags is -EPROTO");
	/* only to a request that can list (an older remote never gets one) */
	sample(OM_MIG_SYSREQ, false, &q);
	q.sysreq.seq = 7;
	q.sysreq.nbuf = 0;
	dfsa_dir_sample(&m);
	q.sysreq.flags = OM_MIG_SYSF_DFSA | OM_MIG_SYSF_DFSA_STAT;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == -EPROTO &&
		  !om_mig_dfsa_asked(q.sysreq.flags, &m.sysrep),
		  "mig: sysrep_match: a directory's DFSA record the request did not ask for");
	q.sysreq.flags |= OM_MIG_SYSF_DFSA_DIR;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == 0,
		  "mig: sysrep_match: a directory's DFSA record asked for");
	q.sysreq.flags = OM_MIG_SYSF_DFSA_DIR;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == -EPROTO,
		  "mig: sysrep_match: DFSA_DIR alone does not ask for a record");
	dfsa_sample(&m, 16);
	q.sysreq.flags = OM_MIG_SYSF_DFSA | OM_MIG_SYSF_DFSA_DIR;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == 0,
		  "mig: sysrep_match: a regular file's record answers a request that could list");
	/* DIRPOS is the deputy's to read: carried as it is */
	sample(OM_MIG_SYSREQ, false, &q);
	q.sysreq.flags = OM_MIG_SYSF_DFSA_DIRPOS | 0x80000000U;
	n = om_mig_encode(&q, enc, BIG);
	TAP_CHECK(n > 0 && om_mig_decode(OM_MIG_SYSREQ, enc, (u32)n, &d) == 0 &&
		  d.sysreq.flags == (OM_MIG_SYSF_DFSA_DIRPOS | 0x80000000U),
		  "mig: a SYSREQ's flags (DFSA_DIRPOS too) are carried as they are");
}

/* The DFSA record of a SYSREP: round trip, truncations, bad values, matching */
static void test_mig_dfsa(void)
{
	struct om_mig_msg m, d, q;
	int n, k, bad = 0;

	dfsa_sample(&m, 1);
	roundtrip_msg(&m, "SYSREP with a DFSA record (1-byte handle)");
	dfsa_sample(&m, OM_MIG_DFSA_FH_MAX);
	m.sysrep.dfsa.pos = OM_MIG_DFSA_POS_MAX;
	m.sysrep.ret = 0x7fffffff;
	roundtrip_msg(&m, "SYSREP with the largest DFSA record");
	m.sysrep.dfsa.has_dev = true;
	m.sysrep.dfsa.dev = 0xffffffff;
	roundtrip_msg(&m, "SYSREP with the largest DFSA record and its dev");
	dfsa_sample(&m, 16);
	m.sysrep.dfsa.has_dev = true;
	m.sysrep.dfsa.dev = 0x00100003;
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == 25 + 2 + 1 + 16 + 1 + 8 + 4 && get_unaligned_le32(enc + n - 4) == 0x00100003,
		  "mig: a DFSA record's dev: le32 after the position");
	for (k = n - 3; k < n; k++)
		if (om_mig_decode(OM_MIG_SYSREP, enc, (u32)k, &d) != -EBADMSG)
			bad++;
	enc[n] = 0;
	if (om_mig_decode(OM_MIG_SYSREP, enc, (u32)n + 1, &d) != -EBADMSG)
		bad++;
	TAP_CHECK(!bad, "mig: a DFSA record's dev cut short, or a byte after it, is -EBADMSG");
	/* cut anywhere in the record: -EBADMSG, but right before it: no record */
	dfsa_sample(&m, 16);
	n = om_mig_encode(&m, enc, BIG);
	for (k = 25; k < n; k++) {
		int err = om_mig_decode(OM_MIG_SYSREP, enc, (u32)k, &d);

		if (k == 25 ? err || d.sysrep.has_dfsa : err != -EBADMSG)
			bad++;
	}
	enc[n] = 0;
	if (om_mig_decode(OM_MIG_SYSREP, enc, (u32)n + 1, &d) != -EBADMSG)
		bad++;
	TAP_CHECK(n == 25 + 2 + 1 + 16 + 1 + 8 && !bad,
		  "mig: DFSA record: every cut into it and a trailing byte are -EBADMSG, a cut before it is a reply without one");
	enc[27] = 0;		/* fhlen 0 */
	TAP_CHECK(dec(OM_MIG_SYSREP, enc, (u32)n) == -EBADMSG,
		  "mig: DFSA record with handle length 0 is -EBADMSG");
	enc[27] = OM_MIG_DFSA_FH_MAX + 1;
	memset(enc + n, 0, 64);
	TAP_CHECK(dec(OM_MIG_SYSREP, enc, (u32)n + OM_MIG_DFSA_FH_MAX + 1 - 16) == -EBADMSG,
		  "mig: DFSA record with handle length 65 is -EBADMSG");
	TAP_CHECK(dfsa_patched(dfsa_fine) == 0,
		  "mig: DFSA record write-only, O_DSYNC is fine");
	TAP_CHECK(dfsa_patched(dfsa_node0) == -EPROTO &&
		  dfsa_patched(dfsa_flags0) == -EPROTO &&
		  dfsa_patched(dfsa_flags_unknown) == -EPROTO &&
		  dfsa_patched(dfsa_both_sync) == -EPROTO &&
		  dfsa_patched(dfsa_pos_big) == -EPROTO,
		  "mig: DFSA record: node 0, no access, unknown flags, DSYNC with SYNC, position past 2^63-1 are -EPROTO");
	TAP_CHECK(dfsa_patched(dfsa_ret_neg) == -EPROTO &&
		  dfsa_patched(dfsa_ret_big) == -EPROTO,
		  "mig: DFSA record with an error or a return past 2^31-1 is -EPROTO");
	dfsa_sample(&m, 16);
	m.sysrep.nbuf = 1;
	m.sysrep.buf[0] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 0, .len = 4, .data = DATA(0) };
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: the encoder refuses a DFSA record with buffers");
	dfsa_sample(&m, 0);
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: the encoder refuses a DFSA record without a handle");
	/* a record only in a reply to a request that asked for one */
	sample(OM_MIG_SYSREQ, false, &q);
	q.sysreq.seq = 7;
	q.sysreq.nbuf = 0;
	q.sysreq.flags = 0;
	dfsa_sample(&m, 16);
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == -EPROTO,
		  "mig: sysrep_match: a DFSA record the request did not ask for");
	q.sysreq.flags = OM_MIG_SYSF_DFSA;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == 0,
		  "mig: sysrep_match: a DFSA record asked for");
	m.sysrep.dfsa.has_dev = true;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == -EPROTO &&
		  !om_mig_dfsa_asked(OM_MIG_SYSF_DFSA, &m.sysrep),
		  "mig: sysrep_match: a DFSA record's dev the request did not ask for");
	q.sysreq.flags = OM_MIG_SYSF_DFSA | OM_MIG_SYSF_DFSA_STAT;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == 0 &&
		  om_mig_dfsa_asked(q.sysreq.flags, &m.sysrep),
		  "mig: sysrep_match: a DFSA record's dev asked for");
	m.sysrep.dfsa.has_dev = false;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == 0,
		  "mig: sysrep_match: a record without dev (an older deputy) answers a request for one");
	q.sysreq.flags = OM_MIG_SYSF_DFSA_STAT;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &m.sysrep) == -EPROTO,
		  "mig: sysrep_match: DFSA_STAT alone does not ask for a record");
}

/* A DFSA view's mount as raw_dview() writes it: any values, len bytes of path */
struct raw_mnt {
	u32 mnt_id;
	u8 flags;
	u16 len;
	const char *path;
};

/* A DFSA_VIEW (gen 7) with count n and the na mounts given, unchecked */
static u32 raw_dview(u8 *p, u32 dev, u64 attr, u8 n, const struct raw_mnt *a,
		     u8 na)
{
	u32 k = 0;
	u8 i;

	put_unaligned_le64(MIG_ID, p);
	k += 8;
	put_unaligned_le32(7, p + k);
	k += 4;
	put_unaligned_le32(dev, p + k);
	k += 4;
	put_unaligned_le64(attr, p + k);
	k += 8;
	p[k++] = n;
	for (i = 0; i < na; i++) {
		put_unaligned_le32(a[i].mnt_id, p + k);
		k += 4;
		p[k++] = a[i].flags;
		put_unaligned_le16(a[i].len, p + k);
		k += 2;
		memcpy(p + k, a[i].path, a[i].len);
		k += a[i].len;
	}
	return k;
}

/* One mount with this path: decoded (raw bytes), and encoded (-EINVAL or n) */
static int dview_path_dec(const char *path, u16 len)
{
	struct raw_mnt a = { .mnt_id = 60, .flags = 0, .len = len, .path = path };

	return dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, &a, 1));
}

static int dview_path_enc(const char *path, u16 len)
{
	struct om_mig_msg m;

	sample(OM_MIG_DFSA_VIEW, false, &m);
	m.dview.mnt[0].path = path;
	m.dview.mnt[0].len = len;
	return om_mig_encode(&m, enc2, BIG);
}

/* The small sample changed by fix(): what the encoder says */
static int dview_mutated(void (*fix)(struct om_mig_dfsa_view *v))
{
	struct om_mig_msg m;

	sample(OM_MIG_DFSA_VIEW, false, &m);
	fix(&m.dview);
	return om_mig_encode(&m, enc2, BIG);
}

static void dv_n9(struct om_mig_dfsa_view *v) { v->n = OM_MIG_DFSA_VIEW_MAX + 1; }
static void dv_flags(struct om_mig_dfsa_view *v) { v->mnt[0].flags = 0x02; }
static void dv_id0(struct om_mig_dfsa_view *v) { v->mnt[0].mnt_id = 0; }
static void dv_id_big(struct om_mig_dfsa_view *v) { v->mnt[0].mnt_id = 0x80000000U; }
static void dv_dev_revoked(struct om_mig_dfsa_view *v) { v->n = 0; }
static void dv_dev0(struct om_mig_dfsa_view *v) { v->dev = 0; }
static void dv_attr(struct om_mig_dfsa_view *v) { v->attr_mask |= 0x00800000; }
static void dv_null(struct om_mig_dfsa_view *v) { v->mnt[0].path = NULL; }
static void dv_same_path(struct om_mig_dfsa_view *v)
{
	v->n = 2;
	v->mnt[1] = v->mnt[0];
	v->mnt[1].mnt_id++;
}

static void dv_same_id(struct om_mig_dfsa_view *v)
{
	v->n = 2;
	v->mnt[1] = v->mnt[0];
	v->mnt[1].path = "/mfs2";
	v->mnt[1].len = 5;
}

/* DFSA_VIEW: round trips, golden bytes, every rejection both ways */
static void test_mig_dview(void)
{
	static const u8 golden[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,	/* mig_id */
		0x02, 0x00, 0x00, 0x00,				/* gen 2 */
		0x2d, 0x00, 0x00, 0x00,				/* dev 0:45 */
		0x00, 0x30, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,	/* 6.1's mask */
		0x01,						/* n */
		0x3c, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00,	/* 60, RO, 4 */
		'/', 'm', 'f', 's',
	};
	/* canonical, if odd: not empty, ".", ".." or with "//" */
	static const char *const good[] = {
		"/a", "/...", "/.a", "/a.", "/..a", "/a..", "/mfs/2/x", "/a b\n\t\xff",
		"/a/.../b",
	};
	static const char *const bad[] = {
		"ab", "a/", "/a/", "//", "//a", "/a//b", "/.", "/..", "/./a",
		"/../a", "/a/.", "/a/..", "/a/./b", "/a/../b", "/a/b/",
	};
	static char zpath[0xffff];
	struct raw_mnt mnts[OM_MIG_DFSA_VIEW_MAX + 1];
	struct om_mig_msg m, d;
	int n, ok, k;
	u32 i, len;

	sample(OM_MIG_DFSA_VIEW, true, &m);
	n = roundtrip_msg(&m, "DFSA_VIEW of 8 mounts with 4095-byte paths");
	TAP_CHECK(n == 25 + 8 * (7 + OM_MIG_DFSA_PATH_MAX) && n == 32841,
		  "mig: the largest DFSA_VIEW is %d bytes", n);
	memset(&m, 0, sizeof(m));
	m.type = OM_MIG_DFSA_VIEW;
	m.mig_id = MIG_ID;
	m.dview.gen = 9;
	n = roundtrip_msg(&m, "DFSA_VIEW revoked (n 0)");
	TAP_CHECK(n == 25, "mig: a revoked DFSA_VIEW is 25 bytes");
	m.dview.attr_mask = 0x203000;
	roundtrip_msg(&m, "DFSA_VIEW revoked with home's mask");
	truncations_msg(&m, "revoked DFSA_VIEW");
	sample(OM_MIG_DFSA_VIEW, false, &m);
	m.dview.mnt[0].flags = OM_MIG_DFSA_MNT_RO;
	m.dview.attr_mask = 0x203000;
	m.dview.gen = 2;
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == (int)sizeof(golden) && !memcmp(enc, golden, sizeof(golden)),
		  "mig: DFSA_VIEW golden bytes");
	ok = dec(OM_MIG_DFSA_VIEW, golden, sizeof(golden)) == 0 &&
	     om_mig_decode(OM_MIG_DFSA_VIEW, golden, sizeof(golden), &d) == 0;
	TAP_CHECK(ok && d.dview.n == 1 && d.dview.mnt[0].mnt_id == 60 &&
		  d.dview.mnt[0].flags == OM_MIG_DFSA_MNT_RO && d.dview.mnt[0].len == 4 &&
		  d.dview.mnt[0].path == (const char *)golden + 32 && d.dview.dev == 45 &&
		  d.dview.attr_mask == 0x203000 && d.dview.gen == 2,
		  "mig: DFSA_VIEW decoded: the path points into the payload");

	/* paths */
	ok = 1;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		len = (u32)strlen(good[i]);
		TAP_EXPECT(ok, dview_path_dec(good[i], (u16)len) == 0);
		TAP_EXPECT(ok, dview_path_enc(good[i], (u16)len) == 25 + 7 + (int)len);
	}
	TAP_CHECK(ok, "mig: DFSA_VIEW paths /..., /.a, /a., /..a, /a.., with spaces, controls and high bytes are fine");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		len = (u32)strlen(bad[i]);
		TAP_CHECK(dview_path_dec(bad[i], (u16)len) == -EPROTO &&
			  dview_path_enc(bad[i], (u16)len) == -EINVAL,
			  "mig: DFSA_VIEW path \"%s\" is -EPROTO (encoder: -EINVAL)", bad[i]);
	}
	TAP_CHECK(dview_path_dec("/a\0b", 4) == -EPROTO &&
		  dview_path_enc("/a\0b", 4) == -EINVAL &&
		  dview_path_dec("/\0", 2) == -EPROTO,
		  "mig: DFSA_VIEW path with a NUL is -EPROTO (encoder: -EINVAL)");
	TAP_CHECK(dview_path_dec(path4095[0], 0) == -EBADMSG &&
		  dview_path_dec(path4095[0], 1) == -EBADMSG &&
		  dview_path_dec("/", 1) == -EBADMSG &&
		  dview_path_enc("/", 1) == -EINVAL &&
		  dview_path_enc(path4095[0], 0) == -EINVAL,
		  "mig: DFSA_VIEW path length 0 or 1 is -EBADMSG (encoder: -EINVAL)");
	memset(zpath, 'z', sizeof(zpath));
	zpath[0] = '/';
	TAP_CHECK(dview_path_dec(zpath, OM_MIG_DFSA_PATH_MAX) == 0 &&
		  dview_path_dec(zpath, OM_MIG_DFSA_PATH_MAX + 1) == -EBADMSG &&
		  dview_path_dec(zpath, 0xffff) == -EBADMSG &&
		  dview_path_enc(zpath, OM_MIG_DFSA_PATH_MAX + 1) == -EINVAL,
		  "mig: DFSA_VIEW path length 4095 is fine, 4096 and 65535 are -EBADMSG (encoder: -EINVAL)");

	/* counts, flags, ids, dev, attributes */
	for (i = 0; i <= OM_MIG_DFSA_VIEW_MAX; i++)
		mnts[i] = (struct raw_mnt){ .mnt_id = 100 + i, .flags = 0,
					    .len = 100, .path = path4095[i % 8] };
	mnts[8].path = "/ninth";
	mnts[8].len = 6;
	len = raw_dview(enc, 45, 0, OM_MIG_DFSA_VIEW_MAX, mnts, OM_MIG_DFSA_VIEW_MAX);
	TAP_CHECK(dec(OM_MIG_DFSA_VIEW, enc, len) == 0,
		  "mig: DFSA_VIEW of 8 mounts (raw) decodes");
	len = raw_dview(enc, 45, 0, OM_MIG_DFSA_VIEW_MAX + 1, mnts, OM_MIG_DFSA_VIEW_MAX + 1);
	TAP_CHECK(dec(OM_MIG_DFSA_VIEW, enc, len) == -EPROTO &&
		  dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 255, mnts, 1)) == -EPROTO &&
		  dview_mutated(dv_n9) == -EINVAL,
		  "mig: DFSA_VIEW n 9 or 255 is -EPROTO (encoder: -EINVAL)");
	TAP_CHECK(dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 2, mnts, 1)) == -EBADMSG &&
		  dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, mnts, 2)) == -EBADMSG,
		  "mig: DFSA_VIEW n 2 with one mount, or 1 with two, is -EBADMSG");
	ok = 1;
	for (k = 1; k < 256; k++) {
		mnts[0].flags = (u8)k;
		n = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, mnts, 1));
		TAP_EXPECT(ok, n == (k == OM_MIG_DFSA_MNT_RO ? 0 : -EPROTO));
	}
	mnts[0].flags = 0;
	TAP_CHECK(ok && dview_mutated(dv_flags) == -EINVAL,
		  "mig: DFSA_VIEW mount flags other than RO are -EPROTO (encoder: -EINVAL)");
	mnts[0].mnt_id = 0;
	n = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, mnts, 1));
	mnts[0].mnt_id = 0x80000000U;
	k = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, mnts, 1));
	mnts[0].mnt_id = 0xffffffffU;
	ok = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, mnts, 1)) == -EPROTO;
	mnts[0].mnt_id = OM_MIG_DFSA_MNT_ID_MAX;
	ok = ok && dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 1, mnts, 1)) == 0;
	mnts[0].mnt_id = 100;
	TAP_CHECK(ok && n == -EPROTO && k == -EPROTO && dview_mutated(dv_id0) == -EINVAL &&
		  dview_mutated(dv_id_big) == -EINVAL,
		  "mig: DFSA_VIEW mnt_id 0 or over 2^31-1 is -EPROTO (encoder: -EINVAL), 2^31-1 fine");
	TAP_CHECK(dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 1, 0, 0, NULL, 0)) == -EPROTO &&
		  dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 0xffffffff, 0, 0, NULL, 0)) == -EPROTO &&
		  dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 0, 0, 0, NULL, 0)) == 0 &&
		  dview_mutated(dv_dev_revoked) == -EINVAL,
		  "mig: a revoked DFSA_VIEW (n 0) with a dev is -EPROTO (encoder: -EINVAL)");
	TAP_CHECK(dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 0, 0, 1, mnts, 1)) == -EPROTO &&
		  dview_mutated(dv_dev0) == -EINVAL,
		  "mig: a DFSA_VIEW with mounts and dev 0 is -EPROTO (encoder: -EINVAL)");
	ok = 1;
	for (k = 0; k < 64; k++) {
		u64 bit = 1ULL << k;

		n = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, bit, 1, mnts, 1));
		TAP_EXPECT(ok, n == ((bit & OM_MIG_DFSA_ATTR_KNOWN) ? 0 : -EPROTO));
		n = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 0, bit, 0, NULL, 0));
		TAP_EXPECT(ok, n == ((bit & OM_MIG_DFSA_ATTR_KNOWN) ? 0 : -EPROTO));
	}
	TAP_CHECK(ok && dview_mutated(dv_attr) == -EINVAL &&
		  OM_MIG_DFSA_ATTR_KNOWN == 0x703874ULL,
		  "mig: DFSA_VIEW attr_mask: the 10 STATX_ATTR_* bits of 6.1 and 6.12 are fine, each other bit -EPROTO (encoder: -EINVAL)");
	mnts[1] = mnts[0];
	mnts[1].mnt_id++;
	n = dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 2, mnts, 2));
	mnts[1] = mnts[0];
	mnts[1].path = "/other";
	mnts[1].len = 6;
	TAP_CHECK(n == -EPROTO &&
		  dec(OM_MIG_DFSA_VIEW, enc, raw_dview(enc, 45, 0, 2, mnts, 2)) == -EPROTO &&
		  dview_mutated(dv_same_path) == -EINVAL && dview_mutated(dv_same_id) == -EINVAL,
		  "mig: DFSA_VIEW with two mounts on one path or with one id is -EPROTO (encoder: -EINVAL)");
	TAP_CHECK(dview_mutated(dv_null) == -EINVAL,
		  "mig: the encoder refuses a DFSA_VIEW path without bytes (-EINVAL)");
	sample(OM_MIG_DFSA_VIEW, true, &m);
	n = om_mig_encode(&m, NULL, 0);
	TAP_CHECK(n == 32841 && om_mig_encode(&m, enc, (u32)n - 1) == -EMSGSIZE &&
		  om_mig_encode(&m, enc, (u32)n) == n,
		  "mig: DFSA_VIEW size query and a buffer one byte short");
}

/* The small view with a cwd record: /mfs, cwd 1/tmp/d (node 1, a 16-byte handle) */
static const u8 dcwd_fh[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void dcwd_sample(struct om_mig_msg *m)
{
	sample(OM_MIG_DFSA_VIEW, false, m);
	m->dview.has_cwd = true;
	m->dview.cwd = (struct om_mig_dfsa_cwd){ .mnt = 0, .node = 1, .fhlen = 16,
		.fh = dcwd_fh, .len = 7, .path = "1/tmp/d" };
}

/* The sample with the cwd path p[0..len): the decoder's and the encoder's word */
static int dcwd_path(const char *p, u16 len, int *encoded)
{
	struct om_mig_msg m;
	int n;

	dcwd_sample(&m);
	m.dview.cwd.path = p;
	m.dview.cwd.len = len;
	*encoded = om_mig_encode(&m, enc2, BIG);
	/* the same bytes, unchecked: encode a good one and patch it */
	m.dview.cwd.path = "x";
	m.dview.cwd.len = 1;
	n = om_mig_encode(&m, enc, BIG);
	if (n < 0 || len > 8192)
		return -1000;
	put_unaligned_le16(len, enc + n - 3);
	memcpy(enc + n - 1, p, len);
	return dec(OM_MIG_DFSA_VIEW, enc, (u32)n - 1 + len);
}

/* DFSA_VIEW's cwd record (OM_WIRE_FEAT_DFSA_REL) */
static void test_mig_dview_cwd(void)
{
	static const char *const good[] = { "1", "1/tmp/d", "...", "a/.b/c.", "a b/\xff", "2/..a" };
	static const char *const bad[] = {
		"/1", "1/", "1//a", ".", "..", "./a", "a/.", "a/..", "a/../b", "//",
	};
	static char big[OM_MIG_DFSA_CWD_MAX + 2];
	struct om_mig_msg m, d;
	int n, e, ok;
	u32 i;

	dcwd_sample(&m);
	n = roundtrip_msg(&m, "DFSA_VIEW with a cwd record");
	TAP_CHECK(n == 25 + 7 + 4 + 6 + 16 + 7, "mig: the cwd record is 6 bytes, handle and path");
	truncations_msg(&m, "DFSA_VIEW with a cwd record");
	/* the tree's root: node 0, no handle, no path */
	m.dview.cwd = (struct om_mig_dfsa_cwd){ .mnt = 0 };
	n = roundtrip_msg(&m, "DFSA_VIEW with the cwd at the mount's root");
	TAP_CHECK(n == 25 + 7 + 4 + 6, "mig: a cwd record at the mount's root is 6 bytes");
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n > 0 && !memcmp(enc + n - 6, "\0\0\0\0\0\0", 6) &&
		  !om_mig_decode(OM_MIG_DFSA_VIEW, enc, (u32)n, &d) && d.dview.has_cwd &&
		  !d.dview.cwd.node && !d.dview.cwd.len && !d.dview.cwd.fhlen,
		  "mig: the root's cwd record: mnt 0, node 0, fhlen 0, len 0");
	/* golden: the small sample's view, then mnt 0, node 1, fhlen 1 (0xaa), "ab" */
	dcwd_sample(&m);
	m.dview.cwd.fhlen = 1;
	m.dview.cwd.fh = (const u8 *)"\xaa";
	m.dview.cwd.path = "ab";
	m.dview.cwd.len = 2;
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == 25 + 11 + 9 &&
		  !memcmp(enc + 36, "\x00\x01\x00\x01\xaa\x02\x00" "ab", 9),
		  "mig: DFSA_VIEW cwd record golden bytes");

	/* which mount, and all or nothing */
	dcwd_sample(&m);
	m.dview.cwd.mnt = 1;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: a cwd record under mount 1 of a one-mount view: the encoder refuses (-EINVAL)");
	n = om_mig_encode(&(struct om_mig_msg){ .type = OM_MIG_DFSA_VIEW, .mig_id = MIG_ID,
				.dview = { .gen = 3, .has_cwd = true } }, enc, BIG);
	TAP_CHECK(n == -EINVAL, "mig: a revoked view (n 0) with a cwd record: the encoder refuses");
	dcwd_sample(&m);
	m.dview.cwd.mnt = 0;
	n = om_mig_encode(&m, enc, BIG);
	ok = n > 0;
	enc[36] = 1;			/* mnt 1 */
	TAP_EXPECT(ok, dec(OM_MIG_DFSA_VIEW, enc, (u32)n) == -EPROTO);
	enc[36] = 0;
	enc[37] = 0;			/* node 0 with a handle and a path */
	TAP_EXPECT(ok, dec(OM_MIG_DFSA_VIEW, enc, (u32)n) == -EPROTO);
	TAP_CHECK(ok, "mig: a cwd record of no mount of the view, or of node 0 with a handle, is -EPROTO");
	dcwd_sample(&m);
	m.dview.cwd.fhlen = 0;
	e = om_mig_encode(&m, enc, BIG);
	dcwd_sample(&m);
	m.dview.cwd.node = 0;
	n = om_mig_encode(&m, enc, BIG);
	dcwd_sample(&m);
	m.dview.cwd.len = 0;
	TAP_CHECK(e == -EINVAL && n == -EINVAL && om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: a cwd record with node, handle and path not all there or all absent: -EINVAL");
	dcwd_sample(&m);
	m.dview.cwd.fhlen = OM_MIG_DFSA_FH_MAX + 1;
	m.dview.cwd.fh = (const u8 *)big;
	e = om_mig_encode(&m, enc, BIG);
	m.dview.cwd.fhlen = OM_MIG_DFSA_FH_MAX;
	n = om_mig_encode(&m, enc, BIG);
	ok = e == -EINVAL && n > 0;
	if (ok) {
		enc[36 + 3] = OM_MIG_DFSA_FH_MAX + 1;	/* fhlen 65 */
		ok = dec(OM_MIG_DFSA_VIEW, enc, (u32)n) == -EBADMSG;
	}
	TAP_CHECK(ok, "mig: a cwd handle of 64 bytes is fine, 65 -EBADMSG (encoder: -EINVAL)");

	/* paths */
	ok = 1;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		TAP_EXPECT(ok, dcwd_path(good[i], (u16)strlen(good[i]), &e) == 0);
		TAP_EXPECT(ok, e == 25 + 11 + 22 + (int)strlen(good[i]));
	}
	TAP_CHECK(ok, "mig: cwd paths 1, 1/tmp/d, ..., with dots, spaces and high bytes are fine");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		TAP_CHECK(dcwd_path(bad[i], (u16)strlen(bad[i]), &e) == -EPROTO && e == -EINVAL,
			  "mig: cwd path \"%s\" is -EPROTO (encoder: -EINVAL)", bad[i]);
	TAP_CHECK(dcwd_path("a\0b", 3, &e) == -EPROTO && e == -EINVAL,
		  "mig: a cwd path with a NUL is -EPROTO (encoder: -EINVAL)");
	memset(big, 'z', sizeof(big));
	TAP_CHECK(dcwd_path(big, OM_MIG_DFSA_CWD_MAX, &e) == 0 && e > 0 &&
		  dcwd_path(big, OM_MIG_DFSA_CWD_MAX + 1, &n) == -EBADMSG && n == -EINVAL,
		  "mig: a cwd path of 4095 bytes is fine, 4096 -EBADMSG (encoder: -EINVAL)");
	dcwd_sample(&m);
	m.dview.cwd.path = NULL;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: the encoder refuses a cwd path without bytes (-EINVAL)");
}

static void test_mig_helpers(void)
{
	struct om_mig_msg q, r;
	char s[200];

	TAP_CHECK(om_mig_img_room(63, 0) + OM_MIG_IMG_HDR_LEN(63) ==
		  OM_WIRE_MAX_PAYLOAD &&
		  om_mig_img_room(1, 1 << 16) == (1 << 16) - 19 &&
		  om_mig_img_room(5, 24) == 1 && om_mig_img_room(5, 23) == 0 &&
		  om_mig_img_room(0, 0) == 0 && om_mig_img_room(64, 0) == 0 &&
		  om_mig_img_room(1, 0xffffffff) == OM_WIRE_MAX_PAYLOAD - 19,
		  "mig: om_mig_img_room");
	sample(OM_MIG_SYSREQ, false, &q);
	sample(OM_MIG_SYSREP, false, &r);
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == 0,
		  "mig: sysrep_match: reply into the OUT buffer");
	r.sysrep.buf[0].len = 4097;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == -EPROTO,
		  "mig: sysrep_match: reply longer than the OUT buffer");
	r.sysrep.buf[0].len = 1;
	r.sysrep.buf[0].arg = 3;	/* an IN buffer in the request */
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == -EPROTO,
		  "mig: sysrep_match: reply for an arg without OUT buffer");
	q.sysreq.buf[1].dir = OM_MIG_BUF_INOUT;	/* arg 3, 10 bytes */
	r.sysrep.buf[0].len = 10;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == 0,
		  "mig: sysrep_match: reply into an INOUT buffer");
	r.sysrep.buf[0].len = 11;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == -EPROTO,
		  "mig: sysrep_match: reply longer than the INOUT buffer");
	q.sysreq.buf[0].niov = 2;		/* readv-like OUT, arg 1 */
	q.sysreq.buf[0].data = DATA(0);
	r.sysrep.nbuf = 2;
	r.sysrep.buf[0].len = 10;
	r.sysrep.buf[1] = (struct om_mig_buf){
		.arg = 1, .dir = OM_MIG_BUF_OUT, .niov = 0, .len = 4096,
		.data = DATA(1) };
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == 0,
		  "mig: sysrep_match: replies into an INOUT and an iovec OUT buffer");
	r.sysrep.nbuf = 0;
	r.sysrep.seq++;
	TAP_CHECK(om_mig_sysrep_match(&q.sysreq, &r.sysrep) == -EPROTO,
		  "mig: sysrep_match: other seq");
	memset(s, 'x', sizeof(s) - 1);
	s[sizeof(s) - 1] = 0;
	s[3] = '\n';
	s[4] = (char)0xe9;
	TAP_CHECK(om_mig_reason_clean(s) == OM_MIG_REASON_MAX &&
		  strlen(s) == OM_MIG_REASON_MAX && s[3] == '?' && s[4] == '?' &&
		  s[5] == 'x',
		  "mig: reason_clean cuts and replaces");
	strcpy(s, "ok");
	TAP_CHECK(om_mig_reason_clean(s) == 2 && !strcmp(s, "ok"),
		  "mig: reason_clean leaves a good reason alone");
	TAP_CHECK(!strcmp(om_mig_type_name(OM_MIG_OFFER), "OFFER") &&
		  !strcmp(om_mig_type_name(OM_MIG_STOPPED), "STOPPED") &&
		  !strcmp(om_mig_type_name(OM_MIG_DFSA_VIEW), "DFSA_VIEW") &&
		  !strcmp(om_mig_type_name(OM_MIG_PREPARE), "PREPARE") &&
		  !strcmp(om_mig_type_name(0x4f), "?") &&
		  !strcmp(om_mig_type_name(0), "?"),
		  "mig: type names");
}

static void test_mig_caps(void)
{
	struct om_mig_caps need, have;
	char why[128], small[8];
	int err;

	caps_sample(&need);
	have = need;
	have.kminor = 1;
	TAP_CHECK(om_mig_caps_check(&need, &have, why, sizeof(why)) == 0 &&
		  !why[0], "mig: caps equal (6.12 -> 6.1) are fine");
	have.cpuid[OM_MIG_CPUID_7_EBX] |= 0xffff0000;
	have.xfeatures |= 0xe0;
	have.xstate_size += 100;
	TAP_CHECK(om_mig_caps_check(&need, &have, why, sizeof(why)) == 0,
		  "mig: caps: a target with more is fine");
	have = need;
	need.cpuid[OM_MIG_CPUID_7_EBX] |= 1U << 5;
	have.cpuid[OM_MIG_CPUID_7_EBX] &= ~(1U << 5);
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP &&
		  !strcmp(why, "CPU feature avx2 (cpuid 7.0 ebx bit 5) missing on the target"),
		  "mig: caps: missing avx2 is named (%s)", why);
	need.cpuid[OM_MIG_CPUID_7_EBX] |= 1U << 16;
	need.cpuid[OM_MIG_CPUID_1_ECX] |= 1U << 16;
	have.cpuid[OM_MIG_CPUID_7_EBX] |= 1U << 5;
	have.cpuid[OM_MIG_CPUID_7_EBX] &= ~(1U << 16);
	have.cpuid[OM_MIG_CPUID_1_ECX] &= ~(1U << 16);
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP &&
		  !strcmp(why, "CPU feature cpuid 1 ecx bit 16 missing on the target"),
		  "mig: caps: an unnamed bit is reported by position (%s)", why);
	have.cpuid[OM_MIG_CPUID_1_ECX] |= 1U << 16;
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP &&
		  !strcmp(why, "CPU feature avx512f (cpuid 7.0 ebx bit 16) missing on the target"),
		  "mig: caps: missing avx512f is named (%s)", why);
	have.cpuid[OM_MIG_CPUID_7_EBX] |= 1U << 16;
	need.cpuid[OM_MIG_CPUID_81_ECX] = 1U << 5;
	have.cpuid[OM_MIG_CPUID_81_ECX] = 0;
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP && strstr(why, "lzcnt (cpuid 0x80000001 ecx bit 5)"),
		  "mig: caps: missing lzcnt is named (%s)", why);
	have = need;
	need.xfeatures = 0xe7;
	have.xfeatures = 0x7;
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP &&
		  !strcmp(why, "xsave features 0xe7 not all enabled on the target (0x7)"),
		  "mig: caps: xfeatures not a subset (%s)", why);
	TAP_CHECK(om_mig_caps_check(&have, &need, why, sizeof(why)) == 0,
		  "mig: caps: xfeatures a subset is fine");
	have.xfeatures = need.xfeatures;
	need.xstate_size = 2696;
	have.xstate_size = 832;
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP && !strcmp(why, "xstate size 2696 > 832"),
		  "mig: caps: xstate size (%s)", why);
	have.xstate_size = 2696;
	need.vdso = 0x0123456789abcdefULL;
	have.vdso = 0xfedcba9876543210ULL;
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP &&
		  !strcmp(why, "vdso 0123456789abcdef is another kernel build's than fedcba9876543210 here: it would crash calling it"),
		  "mig: caps: another vDSO (%s)", why);
	TAP_CHECK(strlen(why) <= OM_MIG_REASON_MAX, "mig: caps: the vDSO reason fits an ACCEPT");
	have.vdso = 0;
	TAP_CHECK(om_mig_caps_check(&need, &have, why, sizeof(why)) == 0 &&
		  om_mig_caps_check(&have, &need, why, sizeof(why)) == 0,
		  "mig: caps: a vDSO not known on one side is not compared");
	have.vdso = need.vdso;
	TAP_CHECK(om_mig_caps_check(&need, &have, why, sizeof(why)) == 0,
		  "mig: caps: the same vDSO is fine");
	need.proto = OM_MIG_PROTO + 1;
	err = om_mig_caps_check(&need, &have, why, sizeof(why));
	TAP_CHECK(err == -EOPNOTSUPP && !strcmp(why, "protocol 3 vs 2"),
		  "mig: caps: protocol mismatch (%s)", why);
	TAP_CHECK(om_mig_caps_check(&need, &have, small, sizeof(small)) ==
		  -EOPNOTSUPP && !strcmp(small, "protoco") &&
		  om_mig_caps_check(&need, &have, NULL, 0) == -EOPNOTSUPP,
		  "mig: caps: reason truncated to its buffer, or none");
}

/* An IMG's header alone, then its data: the bytes om_mig_encode() writes */
static void test_mig_img_hdr(void)
{
	static u8 a[OM_WIRE_MAX_PAYLOAD], b[OM_WIRE_MAX_PAYLOAD];
	struct om_mig_msg m, h;
	int n, hl, ok = 1;
	bool big;

	for (big = false; ; big = true) {
		sample(OM_MIG_IMG, big, &m);
		n = om_mig_encode(&m, a, sizeof(a));
		h = m;
		h.img.data = NULL;
		hl = om_mig_img_encode_hdr(&h, b, sizeof(b));
		if (n <= 0 || hl != (int)OM_MIG_IMG_HDR_LEN(m.img.name.len) ||
		    hl + m.img.len != (u32)n)
			ok = 0;
		else
			memcpy(b + hl, m.img.data, m.img.len);
		if (ok && memcmp(a, b, n))
			ok = 0;
		if (big)
			break;
	}
	TAP_CHECK(ok, "mig: img header + data = om_mig_encode's bytes");
	sample(OM_MIG_IMG, true, &h);
	h.img.data = NULL;
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, 10) == -EMSGSIZE &&
		  om_mig_img_encode_hdr(&h, NULL, 1) == -EINVAL,
		  "mig: img header: no room");
	TAP_CHECK(om_mig_img_encode_hdr(&h, NULL, 0) ==
		  (int)OM_MIG_IMG_HDR_LEN(h.img.name.len),
		  "mig: img header: its size alone");
	h.img.len++;
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, sizeof(b)) == -EMSGSIZE,
		  "mig: img header: header + data over the payload limit");
	sample(OM_MIG_IMG, false, &h);
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, sizeof(b)) == -EINVAL,
		  "mig: img header: data given is refused");
	h.img.data = NULL;
	h.img.offset = OM_MIG_IMG_MAX - 10;
	h.img.len = 11;
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, sizeof(b)) == -EINVAL,
		  "mig: img header: past the image's limit");
	h.img.len = 10;
	h.mig_id = 0;
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, sizeof(b)) == -EINVAL,
		  "mig: img header: id 0");
	sample(OM_MIG_IMG, false, &h);
	h.img.data = NULL;
	h.img.name.s = "a/b";
	h.img.name.len = 3;
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, sizeof(b)) == -EINVAL,
		  "mig: img header: bad name");
	sample(OM_MIG_COMMIT, false, &h);
	TAP_CHECK(om_mig_img_encode_hdr(&h, b, sizeof(b)) == -EINVAL &&
		  om_mig_img_encode_hdr(NULL, b, sizeof(b)) == -EINVAL,
		  "mig: img header: only for IMG");
}

/*
 * Numbered signals (OM_WIRE_FEAT_MIG_SIGSEQ): a SIGNAL's le64 seq after the
 * siginfo (never 0 when there), a COMMIT's le64 sig_seq after its sizes
 * (0 allowed: none taken), both absent for older peers.
 */
static void test_mig_sigseq(void)
{
	static const u8 commit_b[] = {
		0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		2, 0, 0, 0,			/* n_images */
		0, 0x10, 0, 0, 0, 0, 0, 0,	/* total_bytes */
		5, 0, 0, 0, 0, 0, 0, 0,		/* sig_seq */
	};
	struct om_mig_msg m = { .type = OM_MIG_COMMIT, .mig_id = MIG_ID }, d;
	u8 p[8 + OM_MIG_SIGINFO_LEN + 8];
	int n;

	m.commit.n_images = 2;
	m.commit.total_bytes = 4096;
	m.commit.has_sig_seq = true;
	m.commit.sig_seq = 5;
	n = om_mig_encode(&m, enc, BIG);
	TAP_CHECK(n == (int)sizeof(commit_b) && !memcmp(enc, commit_b, sizeof(commit_b)),
		  "mig: COMMIT with sig_seq: golden bytes");
	TAP_CHECK(om_mig_decode(OM_MIG_COMMIT, commit_b, sizeof(commit_b), &d) == 0 &&
		  d.commit.has_sig_seq && d.commit.sig_seq == 5 &&
		  om_mig_decode(OM_MIG_COMMIT, commit_b, 20, &d) == 0 &&
		  !d.commit.has_sig_seq && !d.commit.sig_seq &&
		  om_mig_decode(OM_MIG_COMMIT, commit_b, 24, &d) == -EBADMSG,
		  "mig: COMMIT: sig_seq read when there, absent from an older remote, cut is -EBADMSG");
	m.commit.sig_seq = 0;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == 28 &&
		  om_mig_decode(OM_MIG_COMMIT, enc, 28, &d) == 0 && d.commit.has_sig_seq &&
		  !d.commit.sig_seq,
		  "mig: COMMIT: sig_seq 0 (none taken) is sent and read");
	m.commit.has_sig_seq = false;
	m.commit.sig_seq = 5;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == -EINVAL,
		  "mig: COMMIT: a sig_seq without has_sig_seq is refused (one encoding)");

	memset(p, 0, sizeof(p));
	put_unaligned_le64(MIG_ID, p);
	put_unaligned_le32(34, p + 8);
	put_unaligned_le64(0x0102030405060708ULL, p + 8 + OM_MIG_SIGINFO_LEN);
	TAP_CHECK(om_mig_decode(OM_MIG_SIGNAL, p, sizeof(p), &d) == 0 &&
		  d.signal.seq == 0x0102030405060708ULL &&
		  get_unaligned_le32(d.signal.info) == 34 &&
		  om_mig_decode(OM_MIG_SIGNAL, p, sizeof(p) - 8, &d) == 0 && !d.signal.seq,
		  "mig: SIGNAL: seq read when there, absent from an older home");
	m = (struct om_mig_msg){ .type = OM_MIG_SIGNAL, .mig_id = MIG_ID };
	m.signal.info = p + 8;
	m.signal.seq = 0x0102030405060708ULL;
	TAP_CHECK(om_mig_encode(&m, enc, BIG) == (int)sizeof(p) && !memcmp(enc, p, sizeof(p)),
		  "mig: SIGNAL with seq: golden bytes (siginfo, then le64 seq)");
	put_unaligned_le64(0, p + 8 + OM_MIG_SIGINFO_LEN);
	TAP_CHECK(om_mig_decode(OM_MIG_SIGNAL, p, sizeof(p), &d) == -EPROTO &&
		  om_mig_decode(OM_MIG_SIGNAL, p, sizeof(p) - 4, &d) == -EBADMSG,
		  "mig: SIGNAL: seq 0 on the wire is -EPROTO, a cut one -EBADMSG");
}

void test_mig(void)
{
	u8 t;
	u32 i;

	for (i = 0; i < sizeof(data); i++)
		((u8 *)data)[i] = (u8)(i * 7 + (i >> 13));
	for (i = 0; i < sizeof(siginfo); i++)
		siginfo[i] = (u8)(0x80 + i);
	/* "/" and components of 63 bytes: "/bcd.../cde..." */
	for (t = 0; t < OM_MIG_DFSA_VIEW_MAX; t++)
		for (i = 0; i < OM_MIG_DFSA_PATH_MAX; i++)
			path4095[t][i] = i % 64 ? (char)('a' + (t + i) % 26) : '/';
	TAP_CHECK(strlen(reason127) == OM_MIG_REASON_MAX &&
		  strlen(name63) == OM_MIG_NAME_MAX, "mig: (test strings)");
	for (t = OM_MIG_OFFER; t <= OM_MIG_TYPE_LAST; t++) {
		roundtrip(t, false);
		roundtrip(t, true);
	}
	for (t = OM_MIG_OFFER; t <= OM_MIG_TYPE_LAST; t++) {
		truncations(t, false);
		truncations(t, true);
	}
	test_mig_golden();
	test_mig_sigseq();
	test_mig_sysreq_iov();
	test_mig_limits();
	test_mig_reject_img();
	test_mig_reject_sysreq();
	test_mig_reject_sysrep();
	test_mig_reject_values();
	test_mig_encoder_refuses();
	test_mig_offer_bal();
	test_mig_offer_pol();
	test_mig_helpers();
	test_mig_img_hdr();
	test_mig_dfsa();
	test_mig_dfsa_dir();
	test_mig_dview();
	test_mig_dview_cwd();
	test_mig_caps();
}
