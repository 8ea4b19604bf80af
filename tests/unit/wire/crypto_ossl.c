// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * AES-256-GCM and HMAC-SHA256 via OpenSSL for the om_wire tests, and
 * integrity mode's ChaCha20 block and Poly1305 via poly1305.c (checked
 * against OpenSSL's in test_poly1305.c).
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "crypto_ossl.h"
#include "poly1305.h"

static int ossl_setkey(void *ctx, const u8 *key, size_t keylen)
{
	struct ossl_aead_ctx *c = ctx;

	if (keylen != OM_WIRE_KEY_LEN)
		return -EINVAL;
	memcpy(c->key, key, keylen);
	c->keyed = true;
	return 0;
}

static int ossl_gcm(struct ossl_aead_ctx *c, int enc, const u8 *iv,
		    const u8 *aad, size_t aadlen, u8 *buf, size_t len, u8 *tag)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int ok, n;

	if (!x)
		return -ENOMEM;
	ok = c->keyed &&
	     EVP_CipherInit_ex(x, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, OM_WIRE_IV_LEN,
				 NULL) &&
	     EVP_CipherInit_ex(x, NULL, NULL, c->key, iv, enc) &&
	     EVP_CipherUpdate(x, NULL, &n, aad, (int)aadlen) &&
	     (!len || EVP_CipherUpdate(x, buf, &n, buf, (int)len));
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG,
					 OM_WIRE_TAG_LEN, tag);
	if (ok)
		ok = EVP_CipherFinal_ex(x, buf + len, &n);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG,
					 OM_WIRE_TAG_LEN, tag);
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -EBADMSG;
}

static int ossl_seal(void *ctx, const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
		     size_t aadlen, u8 *buf, size_t len,
		     u8 tag[OM_WIRE_TAG_LEN])
{
	return ossl_gcm(ctx, 1, iv, aad, aadlen, buf, len, tag);
}

static int ossl_open(void *ctx, const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
		     size_t aadlen, u8 *buf, size_t len,
		     const u8 tag[OM_WIRE_TAG_LEN])
{
	u8 t[OM_WIRE_TAG_LEN];

	memcpy(t, tag, sizeof(t));
	return ossl_gcm(ctx, 0, iv, aad, aadlen, buf, len, t);
}

static int ossl_hmac(void *ctx, const u8 *key, size_t keylen,
		     const struct om_wire_iov *iov, unsigned int niov,
		     u8 out[OM_WIRE_SHA256_LEN])
{
	size_t total = 0, off = 0;
	unsigned int i, olen = 0;
	u8 *buf;
	int ok;

	(void)ctx;
	for (i = 0; i < niov; i++)
		total += iov[i].len;
	buf = malloc(total + 1);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < niov; i++) {
		if (iov[i].len)
			memcpy(buf + off, iov[i].base, iov[i].len);
		off += iov[i].len;
	}
	ok = HMAC(EVP_sha256(), key, (int)keylen, buf, total, out, &olen) &&
	     olen == OM_WIRE_SHA256_LEN;
	free(buf);
	return ok ? 0 : -EINVAL;
}

/* A frame's Poly1305 key: ChaCha20 block 0 (RFC 8439 2.6) */
static int ossl_otk(void *ctx, const u8 nonce[OM_WIRE_IV_LEN],
		    u8 otk[OM_WIRE_OTK_LEN])
{
	struct ossl_aead_ctx *c = ctx;
	u8 block[OM_CHACHA_BLOCK_LEN];

	if (!c->keyed)
		return -EINVAL;
	om_chacha20_block(block, c->key, 0, nonce);
	memcpy(otk, block, OM_WIRE_OTK_LEN);
	om_memzero(block, sizeof(block));
	return 0;
}

static int ossl_poly1305(const u8 key[OM_WIRE_OTK_LEN],
			 const struct om_wire_iov *iov, unsigned int niov,
			 u8 tag[OM_WIRE_TAG_LEN])
{
	struct om_poly1305 st;
	unsigned int i;

	om_poly1305_init(&st, key);
	for (i = 0; i < niov; i++)
		om_poly1305_update(&st, iov[i].base, iov[i].len);
	om_poly1305_final(&st, tag);
	return 0;
}

int ossl_rng(void *ctx, u8 *buf, size_t len)
{
	struct ossl_test_rng *r = ctx;
	size_t i;

	if (!r)
		return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
	for (i = 0; i < len; i++) {
		/* xorshift64*: reproducible test vectors */
		r->state ^= r->state >> 12;
		r->state ^= r->state << 25;
		r->state ^= r->state >> 27;
		buf[i] = (u8)((r->state * 0x2545F4914F6CDD1DULL) >> 56);
	}
	return 0;
}

const struct om_wire_aead_ops ossl_aead_ops = {
	.setkey = ossl_setkey,
	.seal = ossl_seal,
	.open = ossl_open,
};

const struct om_wire_hmac_ops ossl_hmac_ops = {
	.hmac = ossl_hmac,
};

/* setkey is the AEAD's: the context is the same key holder */
const struct om_wire_mac_ops ossl_mac_ops = {
	.setkey = ossl_setkey,
	.otk = ossl_otk,
	.poly1305 = ossl_poly1305,
};
