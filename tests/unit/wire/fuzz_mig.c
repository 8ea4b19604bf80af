// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: the input as the payload of every migration frame
 * type.  A decode must fail with -EBADMSG or -EPROTO, or succeed with
 * every pointer inside the input (a SYSREQ buffer's data is its iovec
 * array, then its IN bytes), at most one buffer per arg and the buffer
 * sums within OM_MIG_MAX_IO, and then the message must re-encode to
 * exactly the input (one encoding per message) and need exactly its size.
 * A DFSA view's values must be in range and its paths canonical.
 */
#include "om_mig.h"
#include "fuzz_inside.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/*
 * The bytes of a buffer's data on the wire: a SYSREQ's iovec array and
 * its IN data; a SYSREP buffer has no array (niov 0) and len bytes
 */
static u64 buf_datalen(const struct om_mig_buf *b, bool req)
{
	if (!req) {
		if (b->niov)
			__builtin_trap();
		return b->len;
	}
	return (u64)b->niov * OM_MIG_IOVEC_LEN +
	       ((b->dir & OM_MIG_BUF_IN) ? b->len : 0);
}

/* A DFSA view's cwd record: what om_mig.h promises of a decoded one */
static void check_dcwd(const struct om_mig_dfsa_view *v)
{
	static const struct om_mig_dfsa_cwd none;
	const struct om_mig_dfsa_cwd *c = &v->cwd;
	u32 k;

	if (!v->has_cwd) {
		if (memcmp(c, &none, sizeof(none)))
			__builtin_trap();
		return;
	}
	if (c->mnt >= v->n || c->len > OM_MIG_DFSA_CWD_MAX || c->fhlen > OM_MIG_DFSA_FH_MAX ||
	    !c->node != !c->len || !c->node != !c->fhlen)
		__builtin_trap();
	if (!c->len)
		return;
	inside(c->fh, c->fhlen);
	inside(c->path, c->len);
	if (c->path[0] == '/' || c->path[c->len - 1] == '/' || memchr(c->path, 0, c->len))
		__builtin_trap();
	for (k = 0; k < c->len; k++) {
		const char *p = c->path + k;
		u32 left = c->len - k;

		/* at a component's start: "", ".", ".." */
		if (k && p[-1] != '/')
			continue;
		if (p[0] == '/' || (p[0] == '.' && (left == 1 || p[1] == '/')) ||
		    (p[0] == '.' && left >= 2 && p[1] == '.' && (left == 2 || p[2] == '/')))
			__builtin_trap();
	}
}

/* A DFSA view: what om_mig.h promises of a decoded one */
static void check_dview(const struct om_mig_dfsa_view *v)
{
	static const struct om_mig_dfsa_mnt none;
	u32 i, j, k;

	if (v->n > OM_MIG_DFSA_VIEW_MAX || !v->n != !v->dev ||
	    (v->attr_mask & ~OM_MIG_DFSA_ATTR_KNOWN))
		__builtin_trap();
	for (i = 0; i < OM_MIG_DFSA_VIEW_MAX; i++) {
		const struct om_mig_dfsa_mnt *a = &v->mnt[i];

		if (i >= v->n) {
			if (memcmp(a, &none, sizeof(none)))
				__builtin_trap();
			continue;
		}
		if (!a->mnt_id || a->mnt_id > OM_MIG_DFSA_MNT_ID_MAX ||
		    (a->flags & ~OM_MIG_DFSA_MNT_KNOWN) ||
		    a->len < OM_MIG_DFSA_PATH_MIN || a->len > OM_MIG_DFSA_PATH_MAX)
			__builtin_trap();
		inside(a->path, a->len);
		if (a->path[0] != '/' || a->path[a->len - 1] == '/' ||
		    memchr(a->path, 0, a->len))
			__builtin_trap();
		for (k = 0; k + 1 < a->len; k++) {
			const char *c = a->path + k;
			u32 left = a->len - k;

			/* "//", "/./" or "/." at the end, "/../" or "/.." at the end */
			if (c[0] == '/' &&
			    (c[1] == '/' ||
			     (c[1] == '.' && (left == 2 || c[2] == '/')) ||
			     (c[1] == '.' && left >= 3 && c[2] == '.' &&
			      (left == 3 || c[3] == '/'))))
				__builtin_trap();
		}
		for (j = 0; j < i; j++)
			if (v->mnt[j].mnt_id == a->mnt_id ||
			    (v->mnt[j].len == a->len &&
			     !memcmp(v->mnt[j].path, a->path, a->len)))
				__builtin_trap();
	}
	check_dcwd(v);
}

static void check_pointers(const struct om_mig_msg *m)
{
	const struct om_mig_buf *b = NULL;
	bool req = m->type == OM_MIG_SYSREQ;
	u64 in = 0, out = 0, dl;
	u32 seen = 0;
	u8 i, n = 0;

	switch (m->type) {
	case OM_MIG_OFFER:
		inside(m->offer.comm.s, m->offer.comm.len);
		/* a view is all in range, or absent and all zero */
		if (m->offer.automatic ?
		    m->offer.bal.kind < OM_MIG_BAL_USHER ||
		    m->offer.bal.kind > OM_MIG_BAL_LOAD ||
		    m->offer.bal.sender_load > OM_MIG_LOAD_MAX ||
		    m->offer.bal.d_target > OM_MIG_LOAD_MAX ||
		    m->offer.bal.d_self > OM_MIG_LOAD_MAX :
		    m->offer.bal.kind || m->offer.bal.sender_load ||
		    m->offer.bal.d_target || m->offer.bal.d_self)
			__builtin_trap();
		break;
	case OM_MIG_ACCEPT:
		inside(m->accept.reason.s, m->accept.reason.len);
		break;
	case OM_MIG_IMG:
		inside(m->img.name.s, m->img.name.len);
		inside(m->img.data, m->img.len);
		break;
	case OM_MIG_DONE:
		inside(m->done.reason.s, m->done.reason.len);
		break;
	case OM_MIG_SYSREQ:
		b = m->sysreq.buf;
		n = m->sysreq.nbuf;
		break;
	case OM_MIG_SYSREP:
		b = m->sysrep.buf;
		n = m->sysrep.nbuf;
		/* a DFSA record: an fd's reply, values in range */
		if (m->sysrep.has_dfsa) {
			const struct om_mig_dfsa *d = &m->sysrep.dfsa;

			if (!d->node || !d->fhlen || d->fhlen > OM_MIG_DFSA_FH_MAX ||
			    (d->flags & ~OM_MIG_DFSA_KNOWN) ||
			    !(d->flags & (OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE)) ||
			    d->pos > OM_MIG_DFSA_POS_MAX || m->sysrep.ret < 0 ||
			    m->sysrep.ret > 0x7fffffff || n)
				__builtin_trap();
			/* a directory: read only, from its start; inos only then */
			if ((d->flags & OM_MIG_DFSA_DIR) ?
			    d->flags != (OM_MIG_DFSA_DIR | OM_MIG_DFSA_READ) || d->pos :
			    d->dot || d->dotdot)
				__builtin_trap();
			inside(d->fh, d->fhlen);
		} else if (m->sysrep.dfsa.has_dev) {
			__builtin_trap();	/* a dev only in a record */
		}
		break;
	case OM_MIG_SIGNAL:
		inside(m->signal.info, OM_MIG_SIGINFO_LEN);
		break;
	case OM_MIG_COMMIT:
		/* a sequence only when there is one */
		if (!m->commit.has_sig_seq && m->commit.sig_seq)
			__builtin_trap();
		break;
	case OM_MIG_GOHOME:
		inside(m->gohome.reason.s, m->gohome.reason.len);
		break;
	case OM_MIG_ABORT:
		inside(m->abort.reason.s, m->abort.reason.len);
		break;
	case OM_MIG_DFSA_VIEW:
		check_dview(&m->dview);
		break;
	}
	if (n > OM_MIG_MAX_BUFS)
		__builtin_trap();
	/* what the decoder promises: one buffer per arg, sums in bounds */
	for (i = 0; i < n; i++) {
		if (b[i].arg >= OM_MIG_NARGS || (seen & (1U << b[i].arg)) ||
		    b[i].niov > OM_MIG_MAX_IOV ||
		    (req && (b[i].dir < OM_MIG_BUF_IN ||
			     b[i].dir > OM_MIG_BUF_INOUT)) ||
		    (!req && b[i].dir != OM_MIG_BUF_OUT))
			__builtin_trap();
		seen |= 1U << b[i].arg;
		dl = buf_datalen(&b[i], req);
		if (dl && !b[i].data)
			__builtin_trap();
		if (dl)
			inside(b[i].data, (u32)dl);
		if (req)
			in += dl;
		if (!req || (b[i].dir & OM_MIG_BUF_OUT))
			out += b[i].len;
	}
	if (in > OM_MIG_MAX_IO || out > OM_MIG_MAX_IO)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 out[OM_WIRE_MAX_PAYLOAD];
	static const struct om_mig_caps none;
	struct om_mig_msg m;
	char why[64];
	int t, n, err;

	if (size > OM_WIRE_MAX_PAYLOAD)
		return 0;
	fz_lo = data;
	fz_hi = data + size;
	for (t = OM_WIRE_T_MIG_FIRST - 1; t <= OM_WIRE_T_MIG_LAST; t++) {
		err = om_mig_decode((u8)t, data, (u32)size, &m);
		if (err) {
			if (err != -EBADMSG && err != -EPROTO)
				__builtin_trap();
			continue;
		}
		if (t < OM_MIG_OFFER || t > OM_MIG_TYPE_LAST || m.type != t)
			__builtin_trap();
		check_pointers(&m);
		if (om_mig_encode(&m, NULL, 0) != (int)size)
			__builtin_trap();
		n = om_mig_encode(&m, out, (u32)size);
		if (n != (int)size || memcmp(out, data, size))
			__builtin_trap();
		if (om_mig_encode(&m, out, (u32)size - 1) != -EMSGSIZE)
			__builtin_trap();
		memset(out, 0, size);
		n = om_mig_encode_sized(&m, (u32)size, out, (u32)size);
		if (n != (int)size || memcmp(out, data, size))
			__builtin_trap();
		if (t == OM_MIG_OFFER) {
			if (om_mig_caps_check(&m.offer.caps, &m.offer.caps, why,
					      sizeof(why)) || why[0])
				__builtin_trap();
			err = om_mig_caps_check(&m.offer.caps, &none, why,
						sizeof(why));
			if (err != -EOPNOTSUPP || !why[0] ||
			    strnlen(why, sizeof(why)) == sizeof(why))
				__builtin_trap();
		}
	}
	return 0;
}
