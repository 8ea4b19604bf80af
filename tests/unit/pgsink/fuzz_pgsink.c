// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: a pagemap's runs and a peer's chunks, both from the
 * input.  Whatever the sink accepts must be cut into segments that lie
 * inside the runs, follow each other in image order, carry the chunk's
 * own bytes and add up to what was accepted; a refused chunk writes
 * nothing after the error; complete means exactly the runs' bytes.  The
 * first bytes are also parsed as an image name (om_pgsink_pages_id),
 * checked against a plain reading.
 */
#include "om_pgsink.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define MAX_RUNS	8
#define TOP		(1ULL << 47)

struct seen {
	const struct om_pgsink_run *run;
	u32 n_run;
	u32 cur;		/* the run the next segment must be in */
	u64 cur_off;
	u64 total;
	const u8 *chunk;	/* the chunk being fed, and its end */
	const u8 *chunk_end;
	const u8 *next;		/* where the next segment's bytes must start */
};

static u64 get(const u8 **p, const u8 *end, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n && *p < end; i++, (*p)++)
		v |= (u64)**p << (8 * i);
	return v;
}

static int put(void *ctx, u64 vaddr, const u8 *d, u32 len, u32 flags)
{
	struct seen *s = ctx;
	const struct om_pgsink_run *r;

	if (!len || s->cur >= s->n_run || d != s->next || d + len > s->chunk_end)
		__builtin_trap();
	r = &s->run[s->cur];
	if (vaddr != r->vaddr + s->cur_off || flags != r->flags ||
	    s->cur_off + len > r->nr << 12)
		__builtin_trap();
	if ((len & 0xfff) == 0x123)
		return -EFAULT;		/* a writer that fails, sometimes: nothing in */
	s->cur_off += len;
	s->next += len;
	s->total += len;
	if (s->cur_off == r->nr << 12) {
		s->cur++;
		s->cur_off = 0;
	}
	return 0;
}

static void check_name(const u8 *data, size_t size)
{
	char name[32];
	u32 len = size < 24 ? (u32)size : 24, id = 0, i;
	unsigned long long v = 0;
	int ret, want = 0;

	memcpy(name, data, len);
	ret = om_pgsink_pages_id(name, len, &id);
	if (len < 11 || memcmp(name, "pages-", 6) || memcmp(name + len - 4, ".img", 4) ||
	    name[6] == '0' || len - 10 > 10)
		want = -EINVAL;
	for (i = 6; !want && i < len - 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			want = -EINVAL;
		else
			v = v * 10 + (unsigned long long)(name[i] - '0');
	}
	if (!want && v > 0xffffffffULL)
		want = -EINVAL;
	if (ret != want || (!ret && id != v))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct om_pgsink_run run[MAX_RUNS];
	const u8 *p = data, *end = data + size;
	static u8 zero[1 << 16];
	struct om_pgsink sink;
	struct seen s = { .run = run };
	u32 n, i;
	int err = 0;

	check_name(data, size);
	n = (u32)get(&p, end, 1) % (MAX_RUNS + 1);
	for (i = 0; i < n; i++) {
		/* mostly sane runs (small, page aligned), sometimes anything */
		u8 mode = (u8)get(&p, end, 1);

		run[i].vaddr = mode & 1 ? get(&p, end, 8) : get(&p, end, 3) << 12;
		run[i].nr = mode & 2 ? get(&p, end, 8) : get(&p, end, 1) % 20;
		run[i].flags = mode & 4 ? (u32)get(&p, end, 1) : (mode >> 3) & 1;
	}
	if (om_pgsink_init(&sink, run, n, 12, TOP)) {
		if (om_pgsink_feed(&sink, 0, zero, 1, put, &s) == 0)
			__builtin_trap();
		return 0;
	}
	s.n_run = n;
	while (p < end) {
		u64 off = get(&p, end, 1) & 1 ? get(&p, end, 8) : sink.pos;
		u32 len = (u32)get(&p, end, 2);
		u64 before = s.total;
		int ret;

		if (len > sizeof(zero))
			len = sizeof(zero);
		s.chunk = zero;
		s.chunk_end = zero + len;
		s.next = zero;
		ret = om_pgsink_feed(&sink, off, zero, len, put, &s);
		if (err && ret != err)
			__builtin_trap();	/* failed stays failed */
		if (!ret && s.total - before != len)
			__builtin_trap();
		if (ret && ret != -EFAULT && s.total != before)
			__builtin_trap();	/* refused chunks write nothing */
		if (ret)
			err = ret;
		if (sink.pos != s.total)
			__builtin_trap();
	}
	if (om_pgsink_complete(&sink) != (!err && s.total == sink.need))
		__builtin_trap();
	return 0;
}
