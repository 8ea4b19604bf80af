// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 */
#include "harness.h"

u8 *fake_ptr(const struct fake_mem *m, u64 a, u64 n)
{
	if (a < m->base || a - m->base > m->len || n > m->len - (a - m->base))
		return NULL;
	return m->mem + (a - m->base);
}

static int fake_copy_from(void *ctx, void *dst, u64 uaddr, size_t n)
{
	struct fake_mem *m = ctx;
	u8 *p = fake_ptr(m, uaddr, n);

	if (!p) {
		m->faults++;
		return -EFAULT;
	}
	memcpy(dst, p, n);
	return 0;
}

/* strnlen_user(): with the NUL, n + 1 if none in n bytes, 0 on a fault */
static long fake_strnlen(void *ctx, u64 uaddr, long n)
{
	struct fake_mem *m = ctx;
	long i;

	for (i = 0; i < n; i++) {
		u8 *p = fake_ptr(m, uaddr + (u64)i, 1);

		if (!p) {
			m->faults++;
			return 0;
		}
		if (!*p)
			return i + 1;
	}
	return n + 1;
}

void fake_umem(struct om_sys_umem *um, struct fake_mem *m)
{
	um->ctx = m;
	um->copy_from = fake_copy_from;
	um->strnlen = fake_strnlen;
}

int fuzz_parse(const u8 *p, size_t n, struct fuzz_req *fr)
{
	size_t off = FUZZ_HDR_LEN;
	unsigned int i, want;

	memset(fr, 0, sizeof(*fr));
	if (n < FUZZ_HDR_LEN)
		return -1;
	fr->nr = get_unaligned_le16(p);
	want = p[2];
	fr->scratch_base = FUZZ_SCRATCH_BASE + (p[3] & 7);
	fr->scratch_len = get_unaligned_le32(p + 4);
	for (i = 0; i < 6; i++)
		fr->args[i] = get_unaligned_le64(p + 8 + 8 * i);
	fr->ret = (s64)get_unaligned_le64(p + 56);
	for (i = 0; i < want && i < ARRAY_SIZE(fr->buf); i++) {
		struct om_sys_buf *b = &fr->buf[i];
		size_t dl;

		if (n - off < FUZZ_BUF_HDR_LEN)
			break;
		b->arg = p[off];
		b->dir = p[off + 1];
		b->niov = get_unaligned_le16(p + off + 2);
		b->len = get_unaligned_le32(p + off + 4);
		off += FUZZ_BUF_HDR_LEN;
		dl = om_sys_buf_datalen(b);
		if (dl > n - off)
			break;
		b->data = dl ? p + off : NULL;
		off += dl;
		fr->nbuf++;
	}
	return 0;
}

size_t fuzz_write(u8 *p, size_t cap, const struct om_sys_req *rq,
		  u32 scratch_len, s64 ret)
{
	size_t off = FUZZ_HDR_LEN;
	unsigned int i;

	if (cap < FUZZ_HDR_LEN)
		return 0;
	memset(p, 0, FUZZ_HDR_LEN);
	put_unaligned_le16(rq->nr, p);
	p[2] = rq->nbuf;
	put_unaligned_le32(scratch_len, p + 4);
	for (i = 0; i < 6; i++)
		put_unaligned_le64(rq->args[i], p + 8 + 8 * i);
	put_unaligned_le64((u64)ret, p + 56);
	for (i = 0; i < rq->nbuf; i++) {
		const struct om_sys_buf *b = &rq->buf[i];
		size_t dl = om_sys_buf_datalen(b);

		if (cap - off < FUZZ_BUF_HDR_LEN + dl)
			return 0;
		p[off] = b->arg;
		p[off + 1] = b->dir;
		put_unaligned_le16(b->niov, p + off + 2);
		put_unaligned_le32(b->len, p + off + 4);
		off += FUZZ_BUF_HDR_LEN;
		if (dl)
			memcpy(p + off, b->data, dl);
		off += dl;
	}
	return off;
}
