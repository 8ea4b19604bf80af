// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Migration message codec.  Payloads come from an authenticated but not
 * necessarily honest peer: every read is bounds-checked (om_bytes.h),
 * nothing is allocated, and one function (om_mig_check) decides
 * which values are valid for both the decoder and the encoder, so the
 * two cannot disagree.
 */
#include "om_mig.h"
#include "om_bytes.h"

/* ---- Reader (om_bytes.h), and the strings of this protocol ---- */

/* u8 length (at most max, else -EBADMSG), then the bytes */
static void om_rd_str(struct om_rd *r, u32 max, struct om_mig_str *s)
{
	u8 n = om_rd_u8(r);

	if (n > max)
		r->err = -EBADMSG;
	s->len = n;
	s->s = (const char *)om_rd(r, n);
}

/* ---- Writer (om_bytes.h): the caller checked the room ---- */

static void om_wr_str(u8 **w, const struct om_mig_str *s)
{
	om_wr_u8(w, (u8)s->len);
	om_wr_bytes(w, s->s, s->len);
}

/* ---- Validation, shared by decode and encode ---- */

static bool om_mig_errno_ok(s32 err)
{
	return err <= 0 && err >= -OM_MIG_ERRNO_MAX;
}

static bool om_mig_id_ok(u32 id)
{
	return id != (u32)-1;	/* INVALID_UID / INVALID_GID */
}

static int om_mig_reason_ok(const struct om_mig_str *t)
{
	u32 i;

	if (t->len > OM_MIG_REASON_MAX || (!t->s && t->len))
		return -EBADMSG;
	for (i = 0; i < t->len; i++)
		if ((u8)t->s[i] < 0x20 || (u8)t->s[i] > 0x7e)
			return -EPROTO;
	return 0;
}

static int om_mig_comm_ok(const struct om_mig_str *t)
{
	if (t->len > OM_MIG_COMM_MAX || (!t->s && t->len))
		return -EBADMSG;
	if (t->len && memchr(t->s, 0, t->len))
		return -EPROTO;
	return 0;
}

static int om_mig_name_ok(const struct om_mig_str *t)
{
	u32 i;

	if (!t->len || t->len > OM_MIG_NAME_MAX || !t->s)
		return -EBADMSG;
	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return -EPROTO;
	}
	if ((t->len == 1 && t->s[0] == '.') ||
	    (t->len == 2 && t->s[0] == '.' && t->s[1] == '.'))
		return -EPROTO;
	return 0;
}

/* Bytes of data a buffer carries: a SYSREQ's iovec array, then its IN data */
static u64 om_mig_buf_datalen(const struct om_mig_buf *b, bool req)
{
	if (!req)
		return b->len;
	return (u64)b->niov * OM_MIG_IOVEC_LEN + ((b->dir & OM_MIG_BUF_IN) ? b->len : 0);
}

/*
 * SYSREQ (req) or SYSREP buffers: args in range, directions known, one
 * buffer per arg, data present, each direction's sum in bounds (a
 * request's iovec arrays count as IN).
 */
static int om_mig_bufs_ok(const struct om_mig_buf *b, u8 nbuf, bool req)
{
	u32 seen = 0, sum_in = 0, sum_out = 0;
	u8 i;

	if (nbuf > OM_MIG_MAX_BUFS)
		return -EBADMSG;
	for (i = 0; i < nbuf; i++, b++) {
		u64 dl = om_mig_buf_datalen(b, req);

		if (b->arg >= OM_MIG_NARGS)
			return -EPROTO;
		if (req && (b->dir < OM_MIG_BUF_IN || b->dir > OM_MIG_BUF_INOUT))
			return -EPROTO;
		if (b->niov > (req ? OM_MIG_MAX_IOV : 0))
			return -EPROTO;
		if (seen & (1U << b->arg))
			return -EBADMSG;
		seen |= 1U << b->arg;
		if (!b->data && dl)
			return -EBADMSG;
		if (req && dl > OM_MIG_MAX_IO - sum_in)
			return -EBADMSG;
		if (req)
			sum_in += dl;
		if (!req || (b->dir & OM_MIG_BUF_OUT)) {
			if (b->len > OM_MIG_MAX_IO - sum_out)
				return -EBADMSG;
			sum_out += b->len;
		}
	}
	return 0;
}

/* A SYSREP's DFSA record: an fd's reply, without buffers; values in range */
static int om_mig_dfsa_ok(const struct om_mig_sysrep *r)
{
	const struct om_mig_dfsa *d = &r->dfsa;
	u8 sync = d->flags & (OM_MIG_DFSA_DSYNC | OM_MIG_DFSA_SYNC);

	if (!r->has_dfsa)
		return 0;
	if (!d->fhlen || d->fhlen > OM_MIG_DFSA_FH_MAX || !d->fh)
		return -EBADMSG;
	if (!d->node || r->ret < 0 || r->ret > 0x7fffffff || r->nbuf ||
	    (d->flags & ~OM_MIG_DFSA_KNOWN) ||
	    !(d->flags & (OM_MIG_DFSA_READ | OM_MIG_DFSA_WRITE)) ||
	    sync == (OM_MIG_DFSA_DSYNC | OM_MIG_DFSA_SYNC) ||
	    d->pos > OM_MIG_DFSA_POS_MAX)
		return -EPROTO;
	/* a directory: opened to be listed, from its start */
	if ((d->flags & OM_MIG_DFSA_DIR) &&
	    (d->flags != (OM_MIG_DFSA_DIR | OM_MIG_DFSA_READ) || d->pos))
		return -EPROTO;
	return 0;
}

/*
 * A DFSA view's path: OM_MIG_DFSA_PATH_MIN..MAX bytes (else -EBADMSG),
 * absolute and canonical (else -EPROTO): '/' first, then components
 * separated by one '/', none of them empty, "." or "..", no NUL
 */
static int om_mig_dfsa_path_ok(const struct om_mig_dfsa_mnt *a)
{
	const char *s = a->path;
	u32 i, start = 1, n;

	if (a->len < OM_MIG_DFSA_PATH_MIN || a->len > OM_MIG_DFSA_PATH_MAX || !s)
		return -EBADMSG;
	if (s[0] != '/' || memchr(s, 0, a->len))
		return -EPROTO;
	/* a component ends at a '/' or at the end: "/a/" ends with an empty one */
	for (i = 1; i <= a->len; i++) {
		if (i < a->len && s[i] != '/')
			continue;
		n = i - start;
		if (!n || (n == 1 && s[start] == '.') ||
		    (n == 2 && s[start] == '.' && s[start + 1] == '.'))
			return -EPROTO;
		start = i + 1;
	}
	return 0;
}

/*
 * A view's cwd record: lengths in range (else -EBADMSG), a mount of the
 * view, node, handle and path all there or all absent (the tree's root),
 * the path relative and canonical: components separated by one '/', none
 * empty, "." or "..", no NUL (else -EPROTO)
 */
static int om_mig_dfsa_cwd_ok(const struct om_mig_dfsa_view *v)
{
	const struct om_mig_dfsa_cwd *c = &v->cwd;
	const char *s = c->path;
	u32 i, start = 0, n;

	if (c->len > OM_MIG_DFSA_CWD_MAX || c->fhlen > OM_MIG_DFSA_FH_MAX ||
	    (c->len && !s) || (c->fhlen && !c->fh))
		return -EBADMSG;
	if (c->mnt >= v->n || !c->node != !c->len || !c->node != !c->fhlen)
		return -EPROTO;
	if (!c->len)
		return 0;
	if (memchr(s, 0, c->len))
		return -EPROTO;
	for (i = 0; i <= c->len; i++) {
		if (i < c->len && s[i] != '/')
			continue;
		n = i - start;
		if (!n || (n == 1 && s[start] == '.') ||
		    (n == 2 && s[start] == '.' && s[start + 1] == '.'))
			return -EPROTO;
		start = i + 1;
	}
	return 0;
}

/*
 * A DFSA view: n in range, dev 0 exactly when n is 0 (revoked), known
 * attributes, and each mount valid and its own (one per path, one per id);
 * a cwd record valid
 */
static int om_mig_dview_ok(const struct om_mig_dfsa_view *v)
{
	u8 i, j;

	if (v->n > OM_MIG_DFSA_VIEW_MAX || !v->n != !v->dev ||
	    (v->attr_mask & ~OM_MIG_DFSA_ATTR_KNOWN))
		return -EPROTO;
	if (v->has_cwd) {
		int err = om_mig_dfsa_cwd_ok(v);

		if (err)
			return err;
	}
	for (i = 0; i < v->n; i++) {
		const struct om_mig_dfsa_mnt *a = &v->mnt[i];
		int err = om_mig_dfsa_path_ok(a);

		if (err)
			return err;
		if (!a->mnt_id || a->mnt_id > OM_MIG_DFSA_MNT_ID_MAX ||
		    (a->flags & ~OM_MIG_DFSA_MNT_KNOWN))
			return -EPROTO;
		for (j = 0; j < i; j++) {
			const struct om_mig_dfsa_mnt *b = &v->mnt[j];

			if (b->mnt_id == a->mnt_id ||
			    (b->len == a->len && !memcmp(b->path, a->path, a->len)))
				return -EPROTO;
		}
	}
	return 0;
}

/* The balancer's view: all of it in range, or none of it (manual) */
static bool om_mig_bal_ok(const struct om_mig_offer *o)
{
	const struct om_mig_bal *b = &o->bal;

	if (!o->automatic)
		return !b->kind && !b->sender_load && !b->d_target && !b->d_self;
	return b->kind >= OM_MIG_BAL_USHER && b->kind <= OM_MIG_BAL_LOAD &&
	       b->sender_load <= OM_MIG_LOAD_MAX &&
	       b->d_target <= OM_MIG_LOAD_MAX && b->d_self <= OM_MIG_LOAD_MAX;
}

/* The policy: none, or known flags, one hint at most, its age in range */
static bool om_mig_pol_ok(const struct om_mig_policy *p)
{
	u32 hint = p->flags & (OM_MIG_POL_HINT_CPU | OM_MIG_POL_HINT_IO);

	if (p->flags & ~OM_MIG_POL_KNOWN)
		return false;
	if (hint == (OM_MIG_POL_HINT_CPU | OM_MIG_POL_HINT_IO))
		return false;
	return hint ? p->hint_age_ms <= OM_MIG_HINT_AGE_MAX : !p->hint_age_ms;
}

/* 0, -EBADMSG or -EPROTO, as om_mig_decode documents */
static int om_mig_check(const struct om_mig_msg *m)
{
	const struct om_mig_offer *o = &m->offer;
	u64 need;

	if (!m->mig_id)
		return -EPROTO;
	switch (m->type) {
	case OM_MIG_OFFER:
		if (!o->home_pid || o->home_pid > OM_MIG_PID_MAX ||
		    !om_mig_id_ok(o->ruid) || !om_mig_id_ok(o->euid) ||
		    !om_mig_id_ok(o->rgid) || !om_mig_id_ok(o->egid) ||
		    !o->caps.proto || o->caps.xstate_size > OM_MIG_XSTATE_MAX ||
		    !om_mig_bal_ok(o) || !om_mig_pol_ok(&o->pol))
			return -EPROTO;
		return om_mig_comm_ok(&o->comm);
	case OM_MIG_ACCEPT:
		if (!om_mig_errno_ok(m->accept.err))
			return -EPROTO;
		return om_mig_reason_ok(&m->accept.reason);
	case OM_MIG_IMG: {
		const struct om_mig_img *g = &m->img;
		int err = om_mig_name_ok(&g->name);

		if (err)
			return err;
		if (!g->data && g->len)
			return -EBADMSG;
		if ((g->flags & ~OM_MIG_IMG_KNOWN) || g->offset > OM_MIG_IMG_MAX ||
		    g->len > OM_MIG_IMG_MAX - g->offset)
			return -EPROTO;
		return 0;
	}
	case OM_MIG_COMMIT:
	case OM_MIG_PREPARE:
		/* each image is at most OM_MIG_IMG_MAX bytes */
		need = (m->commit.total_bytes >> 40) +
		       !!(m->commit.total_bytes & (OM_MIG_IMG_MAX - 1));
		if (!m->commit.n_images || need > m->commit.n_images ||
		    (!m->commit.has_sig_seq && m->commit.sig_seq) ||
		    (m->type == OM_MIG_PREPARE && m->commit.has_sig_seq))
			return -EPROTO;
		return 0;
	case OM_MIG_DONE:
		if (!om_mig_errno_ok(m->done.err) ||
		    (m->done.err && m->done.remote_pid) ||
		    (!m->done.err && (!m->done.remote_pid ||
				      m->done.remote_pid > OM_MIG_PID_MAX)))
			return -EPROTO;
		return om_mig_reason_ok(&m->done.reason);
	case OM_MIG_SYSREQ:
		return om_mig_bufs_ok(m->sysreq.buf, m->sysreq.nbuf, true);
	case OM_MIG_SYSREP: {
		int err = om_mig_bufs_ok(m->sysrep.buf, m->sysrep.nbuf, false);

		return err ?: om_mig_dfsa_ok(&m->sysrep);
	}
	case OM_MIG_SIGNAL:
		if (!m->signal.info)
			return -EBADMSG;
		need = get_unaligned_le32(m->signal.info);	/* si_signo */
		return need && need <= OM_MIG_NSIG ? 0 : -EPROTO;
	case OM_MIG_CANCEL:
		return 0;
	case OM_MIG_EXIT:
		if (m->exit.how == OM_MIG_EXITED)
			return m->exit.code <= 255 && !m->exit.core ? 0 : -EPROTO;
		if (m->exit.how == OM_MIG_KILLED)
			return m->exit.code >= 1 && m->exit.code <= OM_MIG_NSIG &&
			       m->exit.core <= 1 ? 0 : -EPROTO;
		return -EPROTO;
	case OM_MIG_GOHOME:
		return om_mig_reason_ok(&m->gohome.reason);
	case OM_MIG_ABORT:
		if (!m->abort.err || !om_mig_errno_ok(m->abort.err))
			return -EPROTO;
		return om_mig_reason_ok(&m->abort.reason);
	case OM_MIG_STOPPED:
		return m->stopped.sig <= OM_MIG_NSIG ? 0 : -EPROTO;
	case OM_MIG_DFSA_VIEW:
		return om_mig_dview_ok(&m->dview);
	default:
		return -EPROTO;
	}
}

/* ---- Decode ---- */

static void om_rd_caps(struct om_rd *r, struct om_mig_caps *c)
{
	int i;

	c->proto = om_rd_u16(r);
	c->kmajor = om_rd_u16(r);
	c->kminor = om_rd_u16(r);
	c->xfeatures = om_rd_u64(r);
	c->xstate_size = om_rd_u32(r);
	for (i = 0; i < OM_MIG_CPUID_WORDS; i++)
		c->cpuid[i] = om_rd_u32(r);
	c->vdso = om_rd_u64(r);
}

/* Value bytes of each OFFER attribute */
static const u8 om_mig_oa_len[OM_MIG_OA_LAST + 1] = {
	[OM_MIG_OA_KIND] = 1,
	[OM_MIG_OA_SENDER_LOAD] = 4,
	[OM_MIG_OA_D_TARGET] = 4,
	[OM_MIG_OA_D_SELF] = 4,
	[OM_MIG_OA_POLICY] = 8,
};

/*
 * The balancer's view after an OFFER's comm: the four attributes in
 * order.  An unknown type is a value out of range; a missing, repeated,
 * misplaced, mis-sized or unpadded attribute is structure.
 */
static int om_rd_offer_bal(struct om_rd *r, struct om_mig_offer *o)
{
	u16 want, alen, type;
	const u8 *pad;
	u32 i, npad;

	for (want = 1; want <= OM_MIG_OA_D_SELF; want++) {
		alen = om_rd_u16(r);
		type = om_rd_u16(r);
		if (r->err)
			return r->err;
		if (type != want)
			return type > OM_MIG_OA_LAST ? -EPROTO : -EBADMSG;
		if (alen != OM_TLV_HDRLEN + om_mig_oa_len[type])
			return -EBADMSG;
		switch (type) {
		case OM_MIG_OA_KIND:
			o->bal.kind = om_rd_u8(r);
			break;
		case OM_MIG_OA_SENDER_LOAD:
			o->bal.sender_load = om_rd_u32(r);
			break;
		case OM_MIG_OA_D_TARGET:
			o->bal.d_target = om_rd_u32(r);
			break;
		default:
			o->bal.d_self = om_rd_u32(r);
			break;
		}
		npad = OM_TLV_ALIGN(alen) - alen;
		pad = om_rd(r, npad);
		for (i = 0; pad && i < npad; i++)
			if (pad[i])
				return -EBADMSG;
	}
	o->automatic = true;
	return r->err;
}

/* The POLICY attribute; an empty one (flags 0) would be a 2nd encoding */
static int om_rd_offer_pol(struct om_rd *r, struct om_mig_offer *o)
{
	u16 alen = om_rd_u16(r), type = om_rd_u16(r);

	if (r->err)
		return r->err;
	if (type != OM_MIG_OA_POLICY)
		return type > OM_MIG_OA_LAST ? -EPROTO : -EBADMSG;
	if (alen != OM_TLV_HDRLEN + om_mig_oa_len[OM_MIG_OA_POLICY])
		return -EBADMSG;
	o->pol.flags = om_rd_u32(r);
	o->pol.hint_age_ms = om_rd_u32(r);
	if (!r->err && !o->pol.flags)
		return -EPROTO;
	return r->err;
}

/*
 * What follows an OFFER's comm: nothing (a manual offer without a
 * policy, or one from a node that predates both), the view, the policy,
 * or the view then the policy.
 */
static int om_rd_offer_tail(struct om_rd *r, struct om_mig_offer *o)
{
	int err;

	if (r->err || r->off == r->len)
		return r->err;
	/* the type of the first attribute, if there are its 4 bytes */
	if (r->len - r->off < OM_TLV_HDRLEN ||
	    get_unaligned_le16(r->p + r->off + 2) != OM_MIG_OA_POLICY) {
		err = om_rd_offer_bal(r, o);
		if (err || r->off == r->len)
			return err;
	}
	return om_rd_offer_pol(r, o);
}

static int om_rd_bufs(struct om_rd *r, struct om_mig_buf *b, u8 *nbuf,
		      bool req)
{
	u8 i;

	*nbuf = om_rd_u8(r);
	if (r->err)
		return r->err;
	if (*nbuf > OM_MIG_MAX_BUFS)
		return -EBADMSG;
	for (i = 0; i < *nbuf; i++, b++) {
		u64 dl;

		b->arg = om_rd_u8(r);
		b->dir = req ? om_rd_u8(r) : OM_MIG_BUF_OUT;
		b->niov = req ? om_rd_u16(r) : 0;
		b->len = om_rd_u32(r);
		if (r->err)
			return r->err;
		/* the direction and count decide what follows: check them now */
		if (b->dir < OM_MIG_BUF_IN || b->dir > OM_MIG_BUF_INOUT ||
		    b->niov > OM_MIG_MAX_IOV)
			return -EPROTO;
		dl = om_mig_buf_datalen(b, req);
		if (dl > OM_MIG_MAX_IO)
			return -EBADMSG;
		b->data = dl ? om_rd(r, (u32)dl) : NULL;
	}
	return r->err;
}

/* A SYSREP's DFSA record (what follows the buffers, if anything does) */
static void om_rd_dfsa(struct om_rd *r, struct om_mig_sysrep *rep)
{
	struct om_mig_dfsa *d = &rep->dfsa;

	rep->has_dfsa = true;
	d->node = om_rd_u16(r);
	d->fhlen = om_rd_u8(r);
	if (!r->err && (!d->fhlen || d->fhlen > OM_MIG_DFSA_FH_MAX)) {
		r->err = -EBADMSG;
		return;
	}
	d->fh = om_rd(r, d->fhlen);
	d->flags = om_rd_u8(r);
	d->pos = om_rd_u64(r);
	if (d->flags & OM_MIG_DFSA_DIR) {
		d->dot = om_rd_u64(r);
		d->dotdot = om_rd_u64(r);
	}
	if (!r->err && r->off < r->len) {
		d->has_dev = true;
		d->dev = om_rd_u32(r);
	}
}

/*
 * A DFSA view: a count over OM_MIG_DFSA_VIEW_MAX is a value out of range
 * (the struct has no room for more), a path length outside its range is
 * structure; the rest is om_mig_dview_ok()'s
 */
static int om_rd_dview(struct om_rd *r, struct om_mig_dfsa_view *v)
{
	u8 i;

	v->gen = om_rd_u32(r);
	v->dev = om_rd_u32(r);
	v->attr_mask = om_rd_u64(r);
	v->n = om_rd_u8(r);
	if (r->err)
		return r->err;
	if (v->n > OM_MIG_DFSA_VIEW_MAX)
		return -EPROTO;
	for (i = 0; i < v->n; i++) {
		struct om_mig_dfsa_mnt *a = &v->mnt[i];

		a->mnt_id = om_rd_u32(r);
		a->flags = om_rd_u8(r);
		a->len = om_rd_u16(r);
		if (r->err)
			return r->err;
		if (a->len < OM_MIG_DFSA_PATH_MIN || a->len > OM_MIG_DFSA_PATH_MAX)
			return -EBADMSG;
		a->path = (const char *)om_rd(r, a->len);
	}
	/* bytes left: the cwd record (a peer that announced OM_WIRE_FEAT_DFSA_REL) */
	if (!r->err && r->off < r->len) {
		struct om_mig_dfsa_cwd *c = &v->cwd;

		v->has_cwd = true;
		c->mnt = om_rd_u8(r);
		c->node = om_rd_u16(r);
		c->fhlen = om_rd_u8(r);
		if (r->err)
			return r->err;
		if (c->fhlen > OM_MIG_DFSA_FH_MAX)
			return -EBADMSG;
		c->fh = c->fhlen ? om_rd(r, c->fhlen) : NULL;
		c->len = om_rd_u16(r);
		if (r->err)
			return r->err;
		if (c->len > OM_MIG_DFSA_CWD_MAX)
			return -EBADMSG;
		c->path = c->len ? (const char *)om_rd(r, c->len) : NULL;
	}
	return r->err;
}

int om_mig_decode(u8 type, const u8 *p, u32 len, struct om_mig_msg *m)
{
	struct om_rd r = { .p = p, .len = len };
	int i, err = 0;

	if (!m || (!p && len))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	if (len > OM_WIRE_MAX_PAYLOAD)
		return -EBADMSG;
	if (type < OM_MIG_OFFER || type > OM_MIG_TYPE_LAST)
		return -EPROTO;
	m->type = type;
	m->mig_id = om_rd_u64(&r);
	switch (type) {
	case OM_MIG_OFFER:
		m->offer.home_pid = om_rd_u32(&r);
		m->offer.ruid = om_rd_u32(&r);
		m->offer.euid = om_rd_u32(&r);
		m->offer.rgid = om_rd_u32(&r);
		m->offer.egid = om_rd_u32(&r);
		m->offer.image_bytes = om_rd_u64(&r);
		om_rd_caps(&r, &m->offer.caps);
		om_rd_str(&r, OM_MIG_COMM_MAX, &m->offer.comm);
		err = om_rd_offer_tail(&r, &m->offer);
		break;
	case OM_MIG_ACCEPT:
		m->accept.err = (s32)om_rd_u32(&r);
		om_rd_str(&r, OM_MIG_REASON_MAX, &m->accept.reason);
		break;
	case OM_MIG_IMG:
		om_rd_str(&r, OM_MIG_NAME_MAX, &m->img.name);
		m->img.offset = om_rd_u64(&r);
		m->img.flags = om_rd_u8(&r);
		if (!r.err) {
			m->img.len = r.len - r.off;
			m->img.data = om_rd(&r, m->img.len);
		}
		break;
	case OM_MIG_COMMIT:
	case OM_MIG_PREPARE:
		m->commit.n_images = om_rd_u32(&r);
		m->commit.total_bytes = om_rd_u64(&r);
		if (!r.err && r.off < r.len) {
			m->commit.has_sig_seq = true;
			m->commit.sig_seq = om_rd_u64(&r);
		}
		break;
	case OM_MIG_DONE:
		m->done.err = (s32)om_rd_u32(&r);
		m->done.remote_pid = om_rd_u32(&r);
		om_rd_str(&r, OM_MIG_REASON_MAX, &m->done.reason);
		break;
	case OM_MIG_SYSREQ:
		m->sysreq.seq = om_rd_u64(&r);
		m->sysreq.nr = om_rd_u32(&r);
		m->sysreq.flags = om_rd_u32(&r);
		for (i = 0; i < OM_MIG_NARGS; i++)
			m->sysreq.args[i] = om_rd_u64(&r);
		err = om_rd_bufs(&r, m->sysreq.buf, &m->sysreq.nbuf, true);
		break;
	case OM_MIG_SYSREP:
		m->sysrep.seq = om_rd_u64(&r);
		m->sysrep.ret = (s64)om_rd_u64(&r);
		err = om_rd_bufs(&r, m->sysrep.buf, &m->sysrep.nbuf, false);
		if (!err && !r.err && r.off < r.len)
			om_rd_dfsa(&r, &m->sysrep);
		break;
	case OM_MIG_SIGNAL:
		m->signal.info = om_rd(&r, OM_MIG_SIGINFO_LEN);
		if (!r.err && r.off < r.len) {
			m->signal.seq = om_rd_u64(&r);
			if (!r.err && !m->signal.seq)
				err = -EPROTO;	/* present: numbered from 1 */
		}
		break;
	case OM_MIG_CANCEL:
		m->cancel.seq = om_rd_u64(&r);
		break;
	case OM_MIG_EXIT:
		m->exit.how = om_rd_u8(&r);
		m->exit.code = om_rd_u32(&r);
		m->exit.core = om_rd_u8(&r);
		break;
	case OM_MIG_GOHOME:
		om_rd_str(&r, OM_MIG_REASON_MAX, &m->gohome.reason);
		break;
	case OM_MIG_ABORT:
		m->abort.err = (s32)om_rd_u32(&r);
		om_rd_str(&r, OM_MIG_REASON_MAX, &m->abort.reason);
		break;
	case OM_MIG_STOPPED:
		m->stopped.sig = om_rd_u32(&r);
		break;
	case OM_MIG_DFSA_VIEW:
		err = om_rd_dview(&r, &m->dview);
		break;
	}
	if (!err)
		err = r.err;
	if (!err && r.off != r.len)
		err = -EBADMSG;		/* trailing bytes */
	if (!err)
		err = om_mig_check(m);
	if (err)
		memset(m, 0, sizeof(*m));
	return err;
}

/* ---- Encode ---- */

static u64 om_mig_bufs_size(const struct om_mig_buf *b, u8 nbuf, bool req)
{
	u64 n = 0;
	u8 i;

	for (i = 0; i < nbuf; i++, b++)
		n += (req ? 8 : 5) + om_mig_buf_datalen(b, req);
	return n;
}

/*
 * A DFSA view's payload: 25 bytes, then 7 and the path per mount, then
 * the cwd record's 6, handle and path
 */
static u64 om_mig_dview_size(const struct om_mig_dfsa_view *v)
{
	u64 n = 8 + 4 + 4 + 8 + 1;
	u8 i;

	for (i = 0; i < v->n; i++)
		n += 4 + 1 + 2 + v->mnt[i].len;
	if (v->has_cwd)
		n += 1 + 2 + 1 + v->cwd.fhlen + 2 + v->cwd.len;
	return n;
}

/* Payload length of a message that passed om_mig_check() */
static u64 om_mig_size(const struct om_mig_msg *m)
{
	switch (m->type) {
	case OM_MIG_OFFER:
		return 8 + 5 * 4 + 8 + OM_MIG_CAPS_LEN + 1 + m->offer.comm.len +
		       (m->offer.automatic ? OM_MIG_OFFER_BAL_LEN : 0) +
		       (m->offer.pol.flags ? OM_MIG_OFFER_POL_LEN : 0);
	case OM_MIG_ACCEPT:
		return 8 + 4 + 1 + m->accept.reason.len;
	case OM_MIG_IMG:
		return OM_MIG_IMG_HDR_LEN((u64)m->img.name.len) + m->img.len;
	case OM_MIG_COMMIT:
		return 8 + 4 + 8 + (m->commit.has_sig_seq ? 8 : 0);
	case OM_MIG_PREPARE:
		return 8 + 4 + 8;
	case OM_MIG_DONE:
		return 8 + 4 + 4 + 1 + m->done.reason.len;
	case OM_MIG_SYSREQ:
		return 8 + 8 + 4 + 4 + 8 * OM_MIG_NARGS + 1 +
		       om_mig_bufs_size(m->sysreq.buf, m->sysreq.nbuf, true);
	case OM_MIG_SYSREP:
		return 8 + 8 + 8 + 1 +
		       om_mig_bufs_size(m->sysrep.buf, m->sysrep.nbuf, false) +
		       (m->sysrep.has_dfsa ? 2 + 1 + m->sysrep.dfsa.fhlen + 1 + 8 +
			(m->sysrep.dfsa.flags & OM_MIG_DFSA_DIR ? 16 : 0) +
			(m->sysrep.dfsa.has_dev ? 4 : 0) : 0);
	case OM_MIG_SIGNAL:
		return 8 + OM_MIG_SIGINFO_LEN + (m->signal.seq ? 8 : 0);
	case OM_MIG_CANCEL:
		return 8 + 8;
	case OM_MIG_EXIT:
		return 8 + 1 + 4 + 1;
	case OM_MIG_GOHOME:
		return 8 + 1 + m->gohome.reason.len;
	case OM_MIG_ABORT:
		return 8 + 4 + 1 + m->abort.reason.len;
	case OM_MIG_STOPPED:
		return 8 + 4;
	case OM_MIG_DFSA_VIEW:
		return om_mig_dview_size(&m->dview);
	}
	return 0;
}

static void om_wr_caps(u8 **w, const struct om_mig_caps *c)
{
	int i;

	om_wr_u16(w, c->proto);
	om_wr_u16(w, c->kmajor);
	om_wr_u16(w, c->kminor);
	om_wr_u64(w, c->xfeatures);
	om_wr_u32(w, c->xstate_size);
	for (i = 0; i < OM_MIG_CPUID_WORDS; i++)
		om_wr_u32(w, c->cpuid[i]);
	om_wr_u64(w, c->vdso);
}

/* One OFFER attribute's header; the caller writes value and padding */
static void om_wr_attr(u8 **w, u16 type)
{
	om_wr_u16(w, OM_TLV_HDRLEN + om_mig_oa_len[type]);
	om_wr_u16(w, type);
}

static void om_wr_offer_bal(u8 **w, const struct om_mig_offer *o)
{
	if (!o->automatic)
		return;
	om_wr_attr(w, OM_MIG_OA_KIND);
	om_wr_u8(w, o->bal.kind);
	om_wr_u8(w, 0);
	om_wr_u16(w, 0);
	om_wr_attr(w, OM_MIG_OA_SENDER_LOAD);
	om_wr_u32(w, o->bal.sender_load);
	om_wr_attr(w, OM_MIG_OA_D_TARGET);
	om_wr_u32(w, o->bal.d_target);
	om_wr_attr(w, OM_MIG_OA_D_SELF);
	om_wr_u32(w, o->bal.d_self);
}

static void om_wr_offer_pol(u8 **w, const struct om_mig_offer *o)
{
	if (!o->pol.flags)
		return;
	om_wr_attr(w, OM_MIG_OA_POLICY);
	om_wr_u32(w, o->pol.flags);
	om_wr_u32(w, o->pol.hint_age_ms);
}

static void om_wr_bufs(u8 **w, const struct om_mig_buf *b, u8 nbuf, bool req)
{
	u8 i;

	om_wr_u8(w, nbuf);
	for (i = 0; i < nbuf; i++, b++) {
		om_wr_u8(w, b->arg);
		if (req) {
			om_wr_u8(w, b->dir);
			om_wr_u16(w, b->niov);
		}
		om_wr_u32(w, b->len);
		om_wr_bytes(w, b->data, (u32)om_mig_buf_datalen(b, req));
	}
}

/* Write *m, which passed om_mig_check() and is om_mig_size() == size bytes */
static int om_mig_write(const struct om_mig_msg *m, u8 *out, u32 size)
{
	u8 *w = out;
	int i;

	om_wr_u64(&w, m->mig_id);
	switch (m->type) {
	case OM_MIG_OFFER:
		om_wr_u32(&w, m->offer.home_pid);
		om_wr_u32(&w, m->offer.ruid);
		om_wr_u32(&w, m->offer.euid);
		om_wr_u32(&w, m->offer.rgid);
		om_wr_u32(&w, m->offer.egid);
		om_wr_u64(&w, m->offer.image_bytes);
		om_wr_caps(&w, &m->offer.caps);
		om_wr_str(&w, &m->offer.comm);
		om_wr_offer_bal(&w, &m->offer);
		om_wr_offer_pol(&w, &m->offer);
		break;
	case OM_MIG_ACCEPT:
		om_wr_u32(&w, (u32)m->accept.err);
		om_wr_str(&w, &m->accept.reason);
		break;
	case OM_MIG_IMG:
		om_wr_str(&w, &m->img.name);
		om_wr_u64(&w, m->img.offset);
		om_wr_u8(&w, m->img.flags);
		om_wr_bytes(&w, m->img.data, m->img.len);
		break;
	case OM_MIG_COMMIT:
	case OM_MIG_PREPARE:
		om_wr_u32(&w, m->commit.n_images);
		om_wr_u64(&w, m->commit.total_bytes);
		if (m->commit.has_sig_seq)
			om_wr_u64(&w, m->commit.sig_seq);
		break;
	case OM_MIG_DONE:
		om_wr_u32(&w, (u32)m->done.err);
		om_wr_u32(&w, m->done.remote_pid);
		om_wr_str(&w, &m->done.reason);
		break;
	case OM_MIG_SYSREQ:
		om_wr_u64(&w, m->sysreq.seq);
		om_wr_u32(&w, m->sysreq.nr);
		om_wr_u32(&w, m->sysreq.flags);
		for (i = 0; i < OM_MIG_NARGS; i++)
			om_wr_u64(&w, m->sysreq.args[i]);
		om_wr_bufs(&w, m->sysreq.buf, m->sysreq.nbuf, true);
		break;
	case OM_MIG_SYSREP:
		om_wr_u64(&w, m->sysrep.seq);
		om_wr_u64(&w, (u64)m->sysrep.ret);
		om_wr_bufs(&w, m->sysrep.buf, m->sysrep.nbuf, false);
		if (m->sysrep.has_dfsa) {
			const struct om_mig_dfsa *d = &m->sysrep.dfsa;

			om_wr_u16(&w, d->node);
			om_wr_u8(&w, d->fhlen);
			om_wr_bytes(&w, d->fh, d->fhlen);
			om_wr_u8(&w, d->flags);
			om_wr_u64(&w, d->pos);
			if (d->flags & OM_MIG_DFSA_DIR) {
				om_wr_u64(&w, d->dot);
				om_wr_u64(&w, d->dotdot);
			}
			if (d->has_dev)
				om_wr_u32(&w, d->dev);
		}
		break;
	case OM_MIG_SIGNAL:
		om_wr_bytes(&w, m->signal.info, OM_MIG_SIGINFO_LEN);
		if (m->signal.seq)
			om_wr_u64(&w, m->signal.seq);
		break;
	case OM_MIG_CANCEL:
		om_wr_u64(&w, m->cancel.seq);
		break;
	case OM_MIG_EXIT:
		om_wr_u8(&w, m->exit.how);
		om_wr_u32(&w, m->exit.code);
		om_wr_u8(&w, m->exit.core);
		break;
	case OM_MIG_GOHOME:
		om_wr_str(&w, &m->gohome.reason);
		break;
	case OM_MIG_ABORT:
		om_wr_u32(&w, (u32)m->abort.err);
		om_wr_str(&w, &m->abort.reason);
		break;
	case OM_MIG_STOPPED:
		om_wr_u32(&w, m->stopped.sig);
		break;
	case OM_MIG_DFSA_VIEW:
		om_wr_u32(&w, m->dview.gen);
		om_wr_u32(&w, m->dview.dev);
		om_wr_u64(&w, m->dview.attr_mask);
		om_wr_u8(&w, m->dview.n);
		for (i = 0; i < m->dview.n; i++) {
			const struct om_mig_dfsa_mnt *a = &m->dview.mnt[i];

			om_wr_u32(&w, a->mnt_id);
			om_wr_u8(&w, a->flags);
			om_wr_u16(&w, a->len);
			om_wr_bytes(&w, a->path, a->len);
		}
		if (m->dview.has_cwd) {
			const struct om_mig_dfsa_cwd *c = &m->dview.cwd;

			om_wr_u8(&w, c->mnt);
			om_wr_u16(&w, c->node);
			om_wr_u8(&w, c->fhlen);
			om_wr_bytes(&w, c->fh, c->fhlen);
			om_wr_u16(&w, c->len);
			om_wr_bytes(&w, c->path, c->len);
		}
		break;
	}
	return (int)size;
}

int om_mig_encode(const struct om_mig_msg *m, u8 *out, u32 cap)
{
	u64 size;

	if (!m || om_mig_check(m))
		return -EINVAL;
	size = om_mig_size(m);
	if (size > OM_WIRE_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!out)
		return cap ? -EINVAL : (int)size;
	if (size > cap)
		return -EMSGSIZE;
	return om_mig_write(m, out, (u32)size);
}

int om_mig_encode_sized(const struct om_mig_msg *m, u32 len, u8 *out, u32 cap)
{
	if (!m || !out || len < 8)
		return -EINVAL;
	if (len > cap || len > OM_WIRE_MAX_PAYLOAD)
		return -EMSGSIZE;
	return om_mig_write(m, out, len);
}

/*
 * What an IMG message has before its data, for a sender that puts the
 * data after it itself: the checks and bytes of om_mig_encode() for
 * @m with m->img.data NULL.  Returns the header's length (also with
 * @out NULL and @cap 0: its size only); the payload is that plus
 * m->img.len bytes.
 */
int om_mig_img_encode_hdr(const struct om_mig_msg *m, u8 *out, u32 cap)
{
	struct om_mig_msg h;
	u32 hlen;

	if (!m || m->type != OM_MIG_IMG || m->img.data)
		return -EINVAL;
	h = *m;
	h.img.len = 0;
	if (om_mig_check(&h) || m->img.len > OM_MIG_IMG_MAX - m->img.offset)
		return -EINVAL;
	hlen = (u32)om_mig_size(&h);
	if ((u64)hlen + m->img.len > OM_WIRE_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!out)
		return cap ? -EINVAL : (int)hlen;
	if (hlen > cap)
		return -EMSGSIZE;
	return om_mig_write(&h, out, hlen);
}

/* ---- Helpers ---- */

u32 om_mig_img_room(u32 name_len, u32 payload_max)
{
	u32 hdr = OM_MIG_IMG_HDR_LEN(name_len);

	if (!payload_max || payload_max > OM_WIRE_MAX_PAYLOAD)
		payload_max = OM_WIRE_MAX_PAYLOAD;
	if (!name_len || name_len > OM_MIG_NAME_MAX || hdr >= payload_max)
		return 0;
	return payload_max - hdr;
}

bool om_mig_dfsa_asked(u32 flags, const struct om_mig_sysrep *r)
{
	if (!r->has_dfsa)
		return true;
	return (flags & OM_MIG_SYSF_DFSA) &&
	       (!r->dfsa.has_dev || (flags & OM_MIG_SYSF_DFSA_STAT)) &&
	       (!(r->dfsa.flags & OM_MIG_DFSA_DIR) || (flags & OM_MIG_SYSF_DFSA_DIR));
}

int om_mig_sysrep_match(const struct om_mig_sysreq *q,
			const struct om_mig_sysrep *r)
{
	u8 i, j;

	if (q->seq != r->seq || q->nbuf > OM_MIG_MAX_BUFS ||
	    r->nbuf > OM_MIG_MAX_BUFS)
		return -EPROTO;
	if (!om_mig_dfsa_asked(q->flags, r))
		return -EPROTO;
	for (i = 0; i < r->nbuf; i++) {
		const struct om_mig_buf *rb = &r->buf[i];
		bool found = false;

		for (j = 0; j < q->nbuf && !found; j++) {
			const struct om_mig_buf *qb = &q->buf[j];

			found = (qb->dir & OM_MIG_BUF_OUT) && qb->arg == rb->arg &&
				rb->len <= qb->len;
		}
		if (!found)
			return -EPROTO;
	}
	return 0;
}

u32 om_mig_reason_clean(char *s)
{
	u32 n;

	for (n = 0; n < OM_MIG_REASON_MAX && s[n]; n++)
		if ((u8)s[n] < 0x20 || (u8)s[n] > 0x7e)
			s[n] = '?';
	s[n] = '\0';
	return n;
}

static const char *const om_mig_type_names[] = {
	[OM_MIG_OFFER - OM_MIG_OFFER] = "OFFER",
	[OM_MIG_ACCEPT - OM_MIG_OFFER] = "ACCEPT",
	[OM_MIG_IMG - OM_MIG_OFFER] = "IMG",
	[OM_MIG_COMMIT - OM_MIG_OFFER] = "COMMIT",
	[OM_MIG_DONE - OM_MIG_OFFER] = "DONE",
	[OM_MIG_SYSREQ - OM_MIG_OFFER] = "SYSREQ",
	[OM_MIG_SYSREP - OM_MIG_OFFER] = "SYSREP",
	[OM_MIG_SIGNAL - OM_MIG_OFFER] = "SIGNAL",
	[OM_MIG_CANCEL - OM_MIG_OFFER] = "CANCEL",
	[OM_MIG_EXIT - OM_MIG_OFFER] = "EXIT",
	[OM_MIG_GOHOME - OM_MIG_OFFER] = "GOHOME",
	[OM_MIG_ABORT - OM_MIG_OFFER] = "ABORT",
	[OM_MIG_STOPPED - OM_MIG_OFFER] = "STOPPED",
	[OM_MIG_DFSA_VIEW - OM_MIG_OFFER] = "DFSA_VIEW",
	[OM_MIG_PREPARE - OM_MIG_OFFER] = "PREPARE",
};

const char *om_mig_type_name(u8 type)
{
	if (type < OM_MIG_OFFER || type > OM_MIG_TYPE_LAST)
		return "?";
	return om_mig_type_names[type - OM_MIG_OFFER];
}

/* ---- Capabilities ---- */

static const char *const om_mig_cpuid_where[OM_MIG_CPUID_WORDS] = {
	[OM_MIG_CPUID_1_ECX] = "1 ecx",
	[OM_MIG_CPUID_1_EDX] = "1 edx",
	[OM_MIG_CPUID_7_EBX] = "7.0 ebx",
	[OM_MIG_CPUID_7_ECX] = "7.0 ecx",
	[OM_MIG_CPUID_7_EDX] = "7.0 edx",
	[OM_MIG_CPUID_81_ECX] = "0x80000001 ecx",
	[OM_MIG_CPUID_81_EDX] = "0x80000001 edx",
	[OM_MIG_CPUID_D1_EAX] = "0xd.1 eax",
};

/* Names as in /proc/cpuinfo where it has one (sse3 for pni, sha for sha_ni) */
static const char *const om_mig_cpuid_names[OM_MIG_CPUID_WORDS][32] = {
	[OM_MIG_CPUID_1_ECX] = {
		[0] = "sse3", [1] = "pclmulqdq", [2] = "dtes64",
		[3] = "monitor", [4] = "ds_cpl", [5] = "vmx", [6] = "smx",
		[7] = "est", [8] = "tm2", [9] = "ssse3", [10] = "cid",
		[11] = "sdbg", [12] = "fma", [13] = "cx16", [14] = "xtpr",
		[15] = "pdcm", [17] = "pcid", [18] = "dca", [19] = "sse4_1",
		[20] = "sse4_2", [21] = "x2apic", [22] = "movbe",
		[23] = "popcnt", [24] = "tsc_deadline_timer", [25] = "aes",
		[26] = "xsave", [27] = "osxsave", [28] = "avx", [29] = "f16c",
		[30] = "rdrand", [31] = "hypervisor",
	},
	[OM_MIG_CPUID_1_EDX] = {
		[0] = "fpu", [1] = "vme", [2] = "de", [3] = "pse", [4] = "tsc",
		[5] = "msr", [6] = "pae", [7] = "mce", [8] = "cx8",
		[9] = "apic", [11] = "sep", [12] = "mtrr", [13] = "pge",
		[14] = "mca", [15] = "cmov", [16] = "pat", [17] = "pse36",
		[18] = "pn", [19] = "clflush", [21] = "dts", [22] = "acpi",
		[23] = "mmx", [24] = "fxsr", [25] = "sse", [26] = "sse2",
		[27] = "ss", [28] = "ht", [29] = "tm", [30] = "ia64",
		[31] = "pbe",
	},
	[OM_MIG_CPUID_7_EBX] = {
		[0] = "fsgsbase", [1] = "tsc_adjust", [2] = "sgx",
		[3] = "bmi1", [4] = "hle", [5] = "avx2", [7] = "smep",
		[8] = "bmi2", [9] = "erms", [10] = "invpcid", [11] = "rtm",
		[12] = "cqm", [14] = "mpx", [15] = "rdt_a",
		[16] = "avx512f", [17] = "avx512dq", [18] = "rdseed",
		[19] = "adx", [20] = "smap", [21] = "avx512ifma",
		[23] = "clflushopt", [24] = "clwb", [25] = "intel_pt",
		[26] = "avx512pf", [27] = "avx512er", [28] = "avx512cd",
		[29] = "sha", [30] = "avx512bw", [31] = "avx512vl",
	},
	[OM_MIG_CPUID_7_ECX] = {
		[0] = "prefetchwt1", [1] = "avx512vbmi", [2] = "umip",
		[3] = "pku", [4] = "ospke", [5] = "waitpkg",
		[6] = "avx512_vbmi2", [7] = "shstk", [8] = "gfni",
		[9] = "vaes", [10] = "vpclmulqdq", [11] = "avx512_vnni",
		[12] = "avx512_bitalg", [13] = "tme",
		[14] = "avx512_vpopcntdq", [16] = "la57", [22] = "rdpid",
		[23] = "kl", [24] = "bus_lock_detect", [25] = "cldemote",
		[27] = "movdiri", [28] = "movdir64b", [29] = "enqcmd",
		[30] = "sgx_lc",
	},
	[OM_MIG_CPUID_7_EDX] = {
		[2] = "avx512_4vnniw", [3] = "avx512_4fmaps", [4] = "fsrm",
		[8] = "avx512_vp2intersect", [10] = "md_clear",
		[14] = "serialize", [16] = "tsxldtrk", [18] = "pconfig",
		[19] = "arch_lbr", [20] = "ibt", [22] = "amx_bf16",
		[23] = "avx512_fp16", [24] = "amx_tile", [25] = "amx_int8",
		[26] = "spec_ctrl", [27] = "intel_stibp", [28] = "flush_l1d",
		[29] = "arch_capabilities", [30] = "core_capabilities",
		[31] = "ssbd",
	},
	[OM_MIG_CPUID_81_ECX] = {
		[0] = "lahf_lm", [1] = "cmp_legacy", [2] = "svm",
		[3] = "extapic", [4] = "cr8_legacy", [5] = "lzcnt",
		[6] = "sse4a", [7] = "misalignsse", [8] = "3dnowprefetch",
		[9] = "osvw", [10] = "ibs", [11] = "xop", [12] = "skinit",
		[13] = "wdt", [15] = "lwp", [16] = "fma4", [17] = "tce",
		[19] = "nodeid_msr", [21] = "tbm", [22] = "topoext",
		[23] = "perfctr_core", [24] = "perfctr_nb", [26] = "bpext",
		[27] = "ptsc", [28] = "perfctr_llc", [29] = "mwaitx",
	},
	[OM_MIG_CPUID_81_EDX] = {
		[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext",
		[25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp",
		[29] = "lm", [30] = "3dnowext", [31] = "3dnow",
	},
	[OM_MIG_CPUID_D1_EAX] = {
		[0] = "xsaveopt", [1] = "xsavec", [2] = "xgetbv1",
		[3] = "xsaves", [4] = "xfd",
	},
};

int om_mig_caps_check(const struct om_mig_caps *need,
		      const struct om_mig_caps *have, char *why,
		      size_t whylen)
{
	char dummy[1];
	u64 xmiss;
	int w, bit;

	if (!why || !whylen) {
		why = dummy;
		whylen = sizeof(dummy);
	}
	why[0] = '\0';
	if (need->proto != have->proto) {
		snprintf(why, whylen, "protocol %u vs %u", need->proto,
			 have->proto);
		return -EOPNOTSUPP;
	}
	for (w = 0; w < OM_MIG_CPUID_WORDS; w++) {
		u32 miss = need->cpuid[w] & ~have->cpuid[w];
		const char *name;

		if (!miss)
			continue;
		for (bit = 0; !(miss & (1U << bit)); bit++)
			;
		name = om_mig_cpuid_names[w][bit];
		if (name)
			snprintf(why, whylen,
				 "CPU feature %s (cpuid %s bit %d) missing on the target",
				 name, om_mig_cpuid_where[w], bit);
		else
			snprintf(why, whylen,
				 "CPU feature cpuid %s bit %d missing on the target",
				 om_mig_cpuid_where[w], bit);
		return -EOPNOTSUPP;
	}
	xmiss = need->xfeatures & ~have->xfeatures;
	if (xmiss) {
		snprintf(why, whylen,
			 "xsave features 0x%llx not all enabled on the target (0x%llx)",
			 (unsigned long long)need->xfeatures,
			 (unsigned long long)have->xfeatures);
		return -EOPNOTSUPP;
	}
	if (need->xstate_size > have->xstate_size) {
		snprintf(why, whylen, "xstate size %u > %u", need->xstate_size,
			 have->xstate_size);
		return -EOPNOTSUPP;
	}
	if (need->vdso && have->vdso && need->vdso != have->vdso) {
		snprintf(why, whylen,
			 "vdso %016llx is another kernel build's than %016llx here: it would crash calling it",
			 (unsigned long long)need->vdso,
			 (unsigned long long)have->vdso);
		return -EOPNOTSUPP;
	}
	return 0;
}
