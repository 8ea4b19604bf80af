/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Poly1305 (RFC 8439 2.5) and the ChaCha20 block (2.3) that makes its
 * one-time keys (2.6), for the userspace side of integrity mode: the unit
 * tests, the fuzzers and omwire-probe.  The kernel uses its library's
 * (chacha_block_generic, poly1305_*_arch or _generic); test_poly1305
 * checks these against RFC 8439's vectors and OpenSSL.
 */
#ifndef _OM_POLY1305_H
#define _OM_POLY1305_H

#include "om_port.h"

#define OM_POLY1305_KEY_LEN	32
#define OM_POLY1305_TAG_LEN	16
#define OM_CHACHA_KEY_LEN	32
#define OM_CHACHA_NONCE_LEN	12
#define OM_CHACHA_BLOCK_LEN	64

struct om_poly1305 {
	u32 r[5], s[4], h[5];	/* 26-bit limbs for r and h */
	u8 buf[16];
	size_t buflen;
};

void om_poly1305_init(struct om_poly1305 *st, const u8 key[OM_POLY1305_KEY_LEN]);
void om_poly1305_update(struct om_poly1305 *st, const void *in, size_t len);
/* Writes the tag and wipes the state */
void om_poly1305_final(struct om_poly1305 *st, u8 tag[OM_POLY1305_TAG_LEN]);
void om_poly1305(u8 tag[OM_POLY1305_TAG_LEN], const u8 key[OM_POLY1305_KEY_LEN],
		 const void *in, size_t len);

/* The 64-byte ChaCha20 block of key, block counter and nonce */
void om_chacha20_block(u8 out[OM_CHACHA_BLOCK_LEN],
		       const u8 key[OM_CHACHA_KEY_LEN], u32 counter,
		       const u8 nonce[OM_CHACHA_NONCE_LEN]);

#endif /* _OM_POLY1305_H */
