// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Poly1305 in 26-bit limbs (the shape of the public-domain poly1305-donna
 * and the kernel's poly1305-donna32) and the ChaCha20 block, as RFC 8439
 * describes them.  Small and plain rather than fast: it serves tests and
 * a test tool.
 */
#include "poly1305.h"

void om_poly1305_init(struct om_poly1305 *st, const u8 key[OM_POLY1305_KEY_LEN])
{
	/* r is clamped (RFC 8439 2.5.1) */
	st->r[0] = get_unaligned_le32(key + 0) & 0x3ffffff;
	st->r[1] = (get_unaligned_le32(key + 3) >> 2) & 0x3ffff03;
	st->r[2] = (get_unaligned_le32(key + 6) >> 4) & 0x3ffc0ff;
	st->r[3] = (get_unaligned_le32(key + 9) >> 6) & 0x3f03fff;
	st->r[4] = (get_unaligned_le32(key + 12) >> 8) & 0x00fffff;
	st->s[0] = get_unaligned_le32(key + 16);
	st->s[1] = get_unaligned_le32(key + 20);
	st->s[2] = get_unaligned_le32(key + 24);
	st->s[3] = get_unaligned_le32(key + 28);
	memset(st->h, 0, sizeof(st->h));
	st->buflen = 0;
}

/* h = (h + m) * r mod 2^130 - 5 for each 16-byte block; hibit 2^128 or 0 */
static void om_poly1305_blocks(struct om_poly1305 *st, const u8 *m, size_t len,
			       u32 hibit)
{
	const u32 r0 = st->r[0], r1 = st->r[1], r2 = st->r[2], r3 = st->r[3],
		  r4 = st->r[4];
	const u32 s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
	u32 h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], h3 = st->h[3],
	    h4 = st->h[4];

	while (len >= 16) {
		u64 d0, d1, d2, d3, d4;
		u32 c;

		h0 += get_unaligned_le32(m + 0) & 0x3ffffff;
		h1 += (get_unaligned_le32(m + 3) >> 2) & 0x3ffffff;
		h2 += (get_unaligned_le32(m + 6) >> 4) & 0x3ffffff;
		h3 += (get_unaligned_le32(m + 9) >> 6) & 0x3ffffff;
		h4 += (get_unaligned_le32(m + 12) >> 8) | hibit;

		d0 = (u64)h0 * r0 + (u64)h1 * s4 + (u64)h2 * s3 +
		     (u64)h3 * s2 + (u64)h4 * s1;
		d1 = (u64)h0 * r1 + (u64)h1 * r0 + (u64)h2 * s4 +
		     (u64)h3 * s3 + (u64)h4 * s2;
		d2 = (u64)h0 * r2 + (u64)h1 * r1 + (u64)h2 * r0 +
		     (u64)h3 * s4 + (u64)h4 * s3;
		d3 = (u64)h0 * r3 + (u64)h1 * r2 + (u64)h2 * r1 +
		     (u64)h3 * r0 + (u64)h4 * s4;
		d4 = (u64)h0 * r4 + (u64)h1 * r3 + (u64)h2 * r2 +
		     (u64)h3 * r1 + (u64)h4 * r0;

		c = (u32)(d0 >> 26); h0 = (u32)d0 & 0x3ffffff;
		d1 += c; c = (u32)(d1 >> 26); h1 = (u32)d1 & 0x3ffffff;
		d2 += c; c = (u32)(d2 >> 26); h2 = (u32)d2 & 0x3ffffff;
		d3 += c; c = (u32)(d3 >> 26); h3 = (u32)d3 & 0x3ffffff;
		d4 += c; c = (u32)(d4 >> 26); h4 = (u32)d4 & 0x3ffffff;
		h0 += c * 5; c = h0 >> 26; h0 &= 0x3ffffff;
		h1 += c;

		m += 16;
		len -= 16;
	}
	st->h[0] = h0;
	st->h[1] = h1;
	st->h[2] = h2;
	st->h[3] = h3;
	st->h[4] = h4;
}

void om_poly1305_update(struct om_poly1305 *st, const void *in, size_t len)
{
	const u8 *m = in;

	if (!len)
		return;		/* in may be NULL */
	if (st->buflen) {
		size_t n = 16 - st->buflen;

		if (n > len)
			n = len;
		memcpy(st->buf + st->buflen, m, n);
		st->buflen += n;
		m += n;
		len -= n;
		if (st->buflen < 16)
			return;
		om_poly1305_blocks(st, st->buf, 16, 1U << 24);
		st->buflen = 0;
	}
	if (len >= 16) {
		size_t n = len & ~(size_t)15;

		om_poly1305_blocks(st, m, n, 1U << 24);
		m += n;
		len -= n;
	}
	if (len) {
		memcpy(st->buf, m, len);
		st->buflen = len;
	}
}

void om_poly1305_final(struct om_poly1305 *st, u8 tag[OM_POLY1305_TAG_LEN])
{
	u32 h0, h1, h2, h3, h4, c, g0, g1, g2, g3, g4, mask;
	u64 f;

	if (st->buflen) {
		/* the last partial block: its 1 byte, then zeros, no 2^128 */
		st->buf[st->buflen++] = 1;
		memset(st->buf + st->buflen, 0, 16 - st->buflen);
		om_poly1305_blocks(st, st->buf, 16, 0);
	}
	h0 = st->h[0]; h1 = st->h[1]; h2 = st->h[2]; h3 = st->h[3];
	h4 = st->h[4];
	/* carry fully */
	c = h1 >> 26; h1 &= 0x3ffffff;
	h2 += c; c = h2 >> 26; h2 &= 0x3ffffff;
	h3 += c; c = h3 >> 26; h3 &= 0x3ffffff;
	h4 += c; c = h4 >> 26; h4 &= 0x3ffffff;
	h0 += c * 5; c = h0 >> 26; h0 &= 0x3ffffff;
	h1 += c;
	/* g = h + 5 - 2^130: take it if it does not go negative (constant time) */
	g0 = h0 + 5; c = g0 >> 26; g0 &= 0x3ffffff;
	g1 = h1 + c; c = g1 >> 26; g1 &= 0x3ffffff;
	g2 = h2 + c; c = g2 >> 26; g2 &= 0x3ffffff;
	g3 = h3 + c; c = g3 >> 26; g3 &= 0x3ffffff;
	g4 = h4 + c - (1U << 26);
	mask = (g4 >> 31) - 1;	/* all ones when g4 did not borrow */
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);
	h3 = (h3 & ~mask) | (g3 & mask);
	h4 = (h4 & ~mask) | (g4 & mask);
	/* h mod 2^128, then + s */
	h0 = (h0 | (h1 << 26)) & 0xffffffff;
	h1 = ((h1 >> 6) | (h2 << 20)) & 0xffffffff;
	h2 = ((h2 >> 12) | (h3 << 14)) & 0xffffffff;
	h3 = ((h3 >> 18) | (h4 << 8)) & 0xffffffff;
	f = (u64)h0 + st->s[0]; put_unaligned_le32((u32)f, tag + 0);
	f = (u64)h1 + st->s[1] + (f >> 32); put_unaligned_le32((u32)f, tag + 4);
	f = (u64)h2 + st->s[2] + (f >> 32); put_unaligned_le32((u32)f, tag + 8);
	f = (u64)h3 + st->s[3] + (f >> 32); put_unaligned_le32((u32)f, tag + 12);
	om_memzero(st, sizeof(*st));
}

void om_poly1305(u8 tag[OM_POLY1305_TAG_LEN], const u8 key[OM_POLY1305_KEY_LEN],
		 const void *in, size_t len)
{
	struct om_poly1305 st;

	om_poly1305_init(&st, key);
	om_poly1305_update(&st, in, len);
	om_poly1305_final(&st, tag);
}

static inline u32 om_rol32(u32 x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

/* The quarter round (RFC 8439 2.1) */
#define OM_CHACHA_QR(a, b, c, d)					\
	do {								\
		x[a] += x[b]; x[d] = om_rol32(x[d] ^ x[a], 16);	\
		x[c] += x[d]; x[b] = om_rol32(x[b] ^ x[c], 12);	\
		x[a] += x[b]; x[d] = om_rol32(x[d] ^ x[a], 8);	\
		x[c] += x[d]; x[b] = om_rol32(x[b] ^ x[c], 7);	\
	} while (0)

void om_chacha20_block(u8 out[OM_CHACHA_BLOCK_LEN],
		       const u8 key[OM_CHACHA_KEY_LEN], u32 counter,
		       const u8 nonce[OM_CHACHA_NONCE_LEN])
{
	u32 in[16], x[16];
	int i;

	/* "expand 32-byte k" */
	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = get_unaligned_le32(key + 4 * i);
	in[12] = counter;
	for (i = 0; i < 3; i++)
		in[13 + i] = get_unaligned_le32(nonce + 4 * i);
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		OM_CHACHA_QR(0, 4, 8, 12);
		OM_CHACHA_QR(1, 5, 9, 13);
		OM_CHACHA_QR(2, 6, 10, 14);
		OM_CHACHA_QR(3, 7, 11, 15);
		OM_CHACHA_QR(0, 5, 10, 15);
		OM_CHACHA_QR(1, 6, 11, 12);
		OM_CHACHA_QR(2, 7, 8, 13);
		OM_CHACHA_QR(3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		put_unaligned_le32(x[i] + in[i], out + 4 * i);
	om_memzero(x, sizeof(x));
	om_memzero(in, sizeof(in));
}
