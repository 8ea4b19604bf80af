// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * BLAKE2b as RFC 7693 section 3 and appendix C describe it.  Small and
 * plain rather than fast: it serves tests and a test tool.
 */
#include "blake2b.h"

static const u64 om_b2b_iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
	0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const u8 om_b2b_sigma[12][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
};

static inline u64 om_ror64(u64 x, unsigned int n)
{
	return (x >> n) | (x << (64 - n));
}

/* The mixing function G (RFC 7693 3.1) */
#define OM_B2B_G(a, b, c, d, x, y)				\
	do {							\
		v[a] = v[a] + v[b] + (x);			\
		v[d] = om_ror64(v[d] ^ v[a], 32);		\
		v[c] = v[c] + v[d];				\
		v[b] = om_ror64(v[b] ^ v[c], 24);		\
		v[a] = v[a] + v[b] + (y);			\
		v[d] = om_ror64(v[d] ^ v[a], 16);		\
		v[c] = v[c] + v[d];				\
		v[b] = om_ror64(v[b] ^ v[c], 63);		\
	} while (0)

/* Compression F (RFC 7693 3.2); last: the final block */
static void om_b2b_compress(struct om_b2b *st, const u8 *block, bool last)
{
	u64 v[16], m[16];
	int i;

	for (i = 0; i < 16; i++)
		m[i] = get_unaligned_le64(block + 8 * i);
	for (i = 0; i < 8; i++) {
		v[i] = st->h[i];
		v[i + 8] = om_b2b_iv[i];
	}
	v[12] ^= st->t[0];
	v[13] ^= st->t[1];
	if (last)
		v[14] = ~v[14];
	for (i = 0; i < 12; i++) {
		const u8 *s = om_b2b_sigma[i];

		OM_B2B_G(0, 4, 8, 12, m[s[0]], m[s[1]]);
		OM_B2B_G(1, 5, 9, 13, m[s[2]], m[s[3]]);
		OM_B2B_G(2, 6, 10, 14, m[s[4]], m[s[5]]);
		OM_B2B_G(3, 7, 11, 15, m[s[6]], m[s[7]]);
		OM_B2B_G(0, 5, 10, 15, m[s[8]], m[s[9]]);
		OM_B2B_G(1, 6, 11, 12, m[s[10]], m[s[11]]);
		OM_B2B_G(2, 7, 8, 13, m[s[12]], m[s[13]]);
		OM_B2B_G(3, 4, 9, 14, m[s[14]], m[s[15]]);
	}
	for (i = 0; i < 8; i++)
		st->h[i] ^= v[i] ^ v[i + 8];
}

static void om_b2b_count(struct om_b2b *st, u64 n)
{
	st->t[0] += n;
	if (st->t[0] < n)
		st->t[1]++;
}

int om_b2b_init(struct om_b2b *st, size_t outlen, const void *key,
		size_t keylen)
{
	int i;

	if (!outlen || outlen > OM_B2B_OUT_MAX || keylen > OM_B2B_KEY_MAX ||
	    (!key && keylen))
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	for (i = 0; i < 8; i++)
		st->h[i] = om_b2b_iv[i];
	/* parameter block: digest length, key length, fanout 1, depth 1 */
	st->h[0] ^= 0x01010000ULL ^ ((u64)keylen << 8) ^ outlen;
	st->outlen = outlen;
	if (keylen) {
		/* the key, zero-padded, is the first block */
		memcpy(st->buf, key, keylen);
		st->buflen = OM_B2B_BLOCK;
	}
	return 0;
}

void om_b2b_update(struct om_b2b *st, const void *in, size_t inlen)
{
	const u8 *p = in;

	while (inlen) {
		size_t n;

		/* a full buffer is compressed only once more input comes */
		if (st->buflen == OM_B2B_BLOCK) {
			om_b2b_count(st, OM_B2B_BLOCK);
			om_b2b_compress(st, st->buf, false);
			st->buflen = 0;
		}
		n = OM_B2B_BLOCK - st->buflen;
		if (n > inlen)
			n = inlen;
		memcpy(st->buf + st->buflen, p, n);
		st->buflen += n;
		p += n;
		inlen -= n;
	}
}

void om_b2b_final(struct om_b2b *st, u8 *out)
{
	u8 full[OM_B2B_OUT_MAX];
	int i;

	om_b2b_count(st, st->buflen);
	memset(st->buf + st->buflen, 0, OM_B2B_BLOCK - st->buflen);
	om_b2b_compress(st, st->buf, true);
	for (i = 0; i < 8; i++)
		put_unaligned_le64(st->h[i], full + 8 * i);
	memcpy(out, full, st->outlen);
	om_memzero(full, sizeof(full));
	om_memzero(st, sizeof(*st));
}

int om_blake2b(u8 *out, size_t outlen, const void *key, size_t keylen,
	       const void *in, size_t inlen)
{
	struct om_b2b st;
	int err = om_b2b_init(&st, outlen, key, keylen);

	if (err)
		return err;
	om_b2b_update(&st, in, inlen);
	om_b2b_final(&st, out);
	return 0;
}
