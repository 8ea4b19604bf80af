/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * OpenSSL implementations of the om_wire crypto ops for userspace tests;
 * the kernel glue implements the same ops with the crypto API.  The
 * integrity mode's primitives are poly1305.c's (struct ossl_aead_ctx as
 * their context too: a key and whether it is set).
 */
#ifndef _OM_CRYPTO_OSSL_H
#define _OM_CRYPTO_OSSL_H

#include "om_wire.h"

struct ossl_aead_ctx {
	u8 key[OM_WIRE_KEY_LEN];
	bool keyed;
};

extern const struct om_wire_aead_ops ossl_aead_ops;
extern const struct om_wire_hmac_ops ossl_hmac_ops;
extern const struct om_wire_mac_ops ossl_mac_ops;
/* ctx: NULL = RAND_bytes; else struct ossl_test_rng (deterministic) */
int ossl_rng(void *ctx, u8 *buf, size_t len);

struct ossl_test_rng {
	u64 state;
};

#endif /* _OM_CRYPTO_OSSL_H */
