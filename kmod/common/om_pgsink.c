// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The target's page sink: a streamed pages-N.img cut into segments of
 * one pagemap run each (om_pgsink.h).
 */
#include "om_pgsink.h"

#define OM_PGSINK_U64_MAX	(~(u64)0)

int om_pgsink_init(struct om_pgsink *s, const struct om_pgsink_run *run, u32 n_run,
		   u32 page_shift, u64 top)
{
	u64 prev_end = 0, need = 0, page = 0;
	u32 i;

	memset(s, 0, sizeof(*s));
	s->err = -EINVAL;
	if (page_shift < 9 || page_shift > 30 || (n_run && !run))
		return -EINVAL;
	page = (u64)1 << page_shift;
	for (i = 0; i < n_run; i++) {
		const struct om_pgsink_run *r = &run[i];
		u64 bytes;

		if (!r->nr || (r->vaddr & (page - 1)) || r->vaddr < prev_end ||
		    r->vaddr >= top || r->nr > (top - r->vaddr) >> page_shift ||
		    (r->flags & ~(u32)OM_PGSINK_SKIP))
			return -EINVAL;
		bytes = r->nr << page_shift;
		if (bytes > OM_PGSINK_U64_MAX - need)
			return -EINVAL;
		need += bytes;
		prev_end = r->vaddr + bytes;
	}
	s->run = run;
	s->n_run = n_run;
	s->page_shift = page_shift;
	s->need = need;
	s->err = 0;
	return 0;
}

int om_pgsink_feed(struct om_pgsink *s, u64 off, const u8 *data, u32 len,
		   om_pgsink_put_t put, void *ctx)
{
	int err;

	if (s->err)
		return s->err;
	if (off != s->pos) {
		s->err = -EPROTO;
		return s->err;
	}
	if (len > s->need - s->pos) {
		s->err = -EFBIG;
		return s->err;
	}
	while (len) {
		const struct om_pgsink_run *r = &s->run[s->cur];
		u64 room = (r->nr << s->page_shift) - s->cur_off;
		u32 n = room < len ? (u32)room : len;

		err = put(ctx, r->vaddr + s->cur_off, data, n, r->flags);
		if (err) {
			s->err = err;
			return err;
		}
		data += n;
		len -= n;
		s->pos += n;
		s->cur_off += n;
		if (s->cur_off == r->nr << s->page_shift) {
			s->cur++;
			s->cur_off = 0;
		}
	}
	return 0;
}

bool om_pgsink_complete(const struct om_pgsink *s)
{
	return !s->err && s->pos == s->need;
}

int om_pgsink_pages_id(const char *name, u32 len, u32 *id)
{
	static const char pre[] = "pages-", suf[] = ".img";
	const u32 lp = sizeof(pre) - 1, ls = sizeof(suf) - 1;
	u64 v = 0;
	u32 i;

	if (len <= lp + ls || len > lp + ls + 10 || memcmp(name, pre, lp) ||
	    memcmp(name + len - ls, suf, ls) || name[lp] == '0')
		return -EINVAL;
	for (i = lp; i < len - ls; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -EINVAL;
		v = v * 10 + (u64)(name[i] - '0');
	}
	if (v > 0xffffffffULL)
		return -EINVAL;
	*id = (u32)v;
	return 0;
}
