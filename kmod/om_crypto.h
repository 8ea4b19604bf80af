/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 */
#ifndef _OM_CRYPTO_H
#define _OM_CRYPTO_H

#include "common/om_wire.h"

struct om_aead;
struct om_mac;
struct crypto_shash;

struct om_aead *om_aead_alloc(void);
void om_aead_free(struct om_aead *a);
struct crypto_shash *om_hmac_alloc(void);
void om_hmac_free(struct crypto_shash *tfm);
/* integrity mode's direction keys (om_mac_ops' contexts) */
struct om_mac *om_mac_alloc(void);
void om_mac_free(struct om_mac *m);
int om_crypto_selftest(void);
int om_rng(void *ctx, u8 *buf, size_t len);

extern const struct om_wire_aead_ops om_aead_ops;
extern const struct om_wire_hmac_ops om_hmac_ops;
extern const struct om_wire_mac_ops om_mac_ops;

#endif /* _OM_CRYPTO_H */
