/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * BLAKE2b (RFC 7693), keyed or not, any output length 1..64, for the
 * userspace side of integrity mode: the unit tests, the fuzzers and
 * omwire-probe.  The kernel uses its crypto API's "blake2b-256" instead;
 * test_wire checks both against the same vectors.
 */
#ifndef _OM_BLAKE2B_H
#define _OM_BLAKE2B_H

#include "om_port.h"

#define OM_B2B_BLOCK	128
#define OM_B2B_OUT_MAX	64
#define OM_B2B_KEY_MAX	64

struct om_b2b {
	u64 h[8];
	u64 t[2];		/* bytes compressed so far */
	u8 buf[OM_B2B_BLOCK];
	size_t buflen;
	size_t outlen;
};

/* -EINVAL for outlen 0 or > 64, or keylen > 64 */
int om_b2b_init(struct om_b2b *st, size_t outlen, const void *key,
		size_t keylen);
void om_b2b_update(struct om_b2b *st, const void *in, size_t inlen);
/* Writes outlen bytes and wipes the state */
void om_b2b_final(struct om_b2b *st, u8 *out);
int om_blake2b(u8 *out, size_t outlen, const void *key, size_t keylen,
	       const void *in, size_t inlen);

#endif /* _OM_BLAKE2B_H */
