// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Kernel crypto API behind the portable wire code's AEAD/HMAC/MAC/RNG
 * ops: AES-256-GCM ("gcm(aes)"), HMAC-SHA256 and, for integrity mode,
 * keyed BLAKE2b-256 ("blake2b-256", module blake2b_generic, loaded on
 * demand by the crypto API).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <crypto/aead.h>
#include <crypto/hash.h>

#include "om_crypto.h"

struct om_aead {
	struct crypto_aead *tfm;
	/* the transport shares one transform for every HELLO */
	struct mutex lock;
	/* one request, reused under lock: no allocation per frame */
	struct aead_request *req;
	/* AAD and tag are copied here: callers may pass stack memory */
	u8 scratch[OM_WIRE_HDR_LEN + OM_WIRE_TAG_LEN];
};

struct om_aead *om_aead_alloc(void)
{
	struct om_aead *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return ERR_PTR(-ENOMEM);
	mutex_init(&a->lock);
	a->tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(a->tfm)) {
		int ret = PTR_ERR(a->tfm);

		kfree(a);
		return ERR_PTR(ret);
	}
	if (crypto_aead_setauthsize(a->tfm, OM_WIRE_TAG_LEN)) {
		crypto_free_aead(a->tfm);
		kfree(a);
		return ERR_PTR(-EINVAL);
	}
	a->req = aead_request_alloc(a->tfm, GFP_KERNEL);
	if (!a->req) {
		crypto_free_aead(a->tfm);
		kfree(a);
		return ERR_PTR(-ENOMEM);
	}
	return a;
}

void om_aead_free(struct om_aead *a)
{
	if (IS_ERR_OR_NULL(a))
		return;
	aead_request_free(a->req);
	crypto_free_aead(a->tfm);
	mutex_destroy(&a->lock);
	kfree_sensitive(a);
}

static int om_aead_setkey(void *ctx, const u8 *key, size_t keylen)
{
	struct om_aead *a = ctx;
	int ret;

	mutex_lock(&a->lock);
	ret = crypto_aead_setkey(a->tfm, key, keylen);
	mutex_unlock(&a->lock);
	return ret;
}

static int om_aead_crypt_locked(struct om_aead *a, bool enc, const u8 *iv,
				const u8 *aad, size_t aadlen, u8 *buf,
				size_t len, u8 *tag)
{
	struct aead_request *req = a->req;
	struct scatterlist sg[3];
	DECLARE_CRYPTO_WAIT(wait);
	u8 ivbuf[OM_WIRE_IV_LEN];
	int ret, n = 0;

	if (aadlen > OM_WIRE_HDR_LEN || (len && (!virt_addr_valid(buf) ||
						 is_vmalloc_addr(buf))))
		return -EINVAL;
	memcpy(a->scratch, aad, aadlen);
	memcpy(ivbuf, iv, sizeof(ivbuf));
	if (!enc)
		memcpy(a->scratch + aadlen, tag, OM_WIRE_TAG_LEN);
	sg_init_table(sg, len ? 3 : 2);
	sg_set_buf(&sg[n++], a->scratch, aadlen);
	if (len)
		sg_set_buf(&sg[n++], buf, len);
	sg_set_buf(&sg[n++], a->scratch + aadlen, OM_WIRE_TAG_LEN);

	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, aadlen);
	aead_request_set_crypt(req, sg, sg, enc ? len : len + OM_WIRE_TAG_LEN,
			       ivbuf);
	ret = crypto_wait_req(enc ? crypto_aead_encrypt(req) :
			      crypto_aead_decrypt(req), &wait);
	if (!ret && enc)
		memcpy(tag, a->scratch + aadlen, OM_WIRE_TAG_LEN);
	return ret;
}

static int om_aead_crypt(struct om_aead *a, bool enc, const u8 *iv,
			 const u8 *aad, size_t aadlen, u8 *buf, size_t len,
			 u8 *tag)
{
	int ret;

	mutex_lock(&a->lock);
	ret = om_aead_crypt_locked(a, enc, iv, aad, aadlen, buf, len, tag);
	mutex_unlock(&a->lock);
	return ret;
}

static int om_aead_seal(void *ctx, const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
			size_t aadlen, u8 *buf, size_t len,
			u8 tag[OM_WIRE_TAG_LEN])
{
	return om_aead_crypt(ctx, true, iv, aad, aadlen, buf, len, tag);
}

static int om_aead_open(void *ctx, const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
			size_t aadlen, u8 *buf, size_t len,
			const u8 tag[OM_WIRE_TAG_LEN])
{
	return om_aead_crypt(ctx, false, iv, aad, aadlen, buf, len, (u8 *)tag);
}

const struct om_wire_aead_ops om_aead_ops = {
	.setkey = om_aead_setkey,
	.seal = om_aead_seal,
	.open = om_aead_open,
};

/* The digest of iov under tfm's key, on a descriptor of this call's own */
static int om_shash_iov(struct crypto_shash *tfm, const struct om_wire_iov *iov,
			unsigned int niov, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	unsigned int i;
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	for (i = 0; !ret && i < niov; i++)
		ret = crypto_shash_update(desc, iov[i].base, iov[i].len);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}

static int om_hmac(void *ctx, const u8 *key, size_t keylen,
		   const struct om_wire_iov *iov, unsigned int niov,
		   u8 out[OM_WIRE_SHA256_LEN])
{
	int ret = crypto_shash_setkey(ctx, key, keylen);

	return ret ?: om_shash_iov(ctx, iov, niov, out);
}

const struct om_wire_hmac_ops om_hmac_ops = {
	.hmac = om_hmac,
};

struct crypto_shash *om_hmac_alloc(void)
{
	return crypto_alloc_shash("hmac(sha256)", 0, 0);
}

void om_hmac_free(struct crypto_shash *tfm)
{
	if (!IS_ERR_OR_NULL(tfm))
		crypto_free_shash(tfm);
}

/* ---- Integrity mode: keyed BLAKE2b-256 ---- */

#define OM_MAC_ALG	"blake2b-256"

struct crypto_shash *om_mac_alloc(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash(OM_MAC_ALG, 0, 0);

	if (!IS_ERR(tfm) && crypto_shash_digestsize(tfm) != OM_WIRE_MAC_LEN) {
		crypto_free_shash(tfm);
		return ERR_PTR(-EINVAL);
	}
	return tfm;
}

void om_mac_free(struct crypto_shash *tfm)
{
	om_hmac_free(tfm);	/* both are shash transforms */
}

/* Loads blake2b_generic if need be: may integrity mode be chosen? */
bool om_mac_available(void)
{
	return crypto_has_shash(OM_MAC_ALG, 0, 0) > 0;
}

static int om_mac_setkey(void *ctx, const u8 *key, size_t keylen)
{
	return crypto_shash_setkey(ctx, key, keylen);
}

/* The key lives in the transform (om_mac_setkey) */
static int om_mac(void *ctx, const struct om_wire_iov *iov, unsigned int niov,
		  u8 out[OM_WIRE_MAC_LEN])
{
	return om_shash_iov(ctx, iov, niov, out);
}

const struct om_wire_mac_ops om_mac_ops = {
	.setkey = om_mac_setkey,
	.mac = om_mac,
};

/*
 * The kernel's keyed BLAKE2b-256 is the one the userspace peers compute
 * (tests/unit/wire/blake2b.c): crypto/testmgr.h's vector with a 32-byte
 * key, the shape integrity mode uses.  No blake2b: integrity mode cannot
 * be chosen (the knob says so), which is no failure here.
 */
int om_crypto_selftest(void)
{
	static const u8 want[OM_WIRE_MAC_LEN] = {
		0xce, 0x74, 0xa9, 0x2e, 0xe9, 0x40, 0x3d, 0xa2,
		0x11, 0x4a, 0x99, 0x25, 0x7a, 0x34, 0x5d, 0x35,
		0xdf, 0x6a, 0x48, 0x79, 0x2a, 0x93, 0x93, 0xff,
		0x1f, 0x3c, 0x39, 0xd0, 0x71, 0x1f, 0x20, 0x7b,
	};
	u8 key[OM_WIRE_KEY_LEN], msg[15], out[OM_WIRE_MAC_LEN];
	struct om_wire_iov iov[2] = { { msg, 4 }, { msg + 4, 11 } };
	struct crypto_shash *tfm;
	int i, ret;

	for (i = 0; i < sizeof(key); i++)
		key[i] = i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	tfm = om_mac_alloc();
	if (IS_ERR(tfm)) {
		pr_info("crypto self-test: no %s (%ld): wire_mode integrity unavailable\n",
			OM_MAC_ALG, PTR_ERR(tfm));
		return 0;
	}
	ret = om_mac_setkey(tfm, key, sizeof(key));
	if (!ret)
		ret = om_mac(tfm, iov, ARRAY_SIZE(iov), out);
	om_mac_free(tfm);
	if (!ret && memcmp(out, want, sizeof(want))) {
		pr_err("crypto self-test: keyed %s: FAIL\n", OM_MAC_ALG);
		ret = -EINVAL;
	}
	return ret;
}

int om_rng(void *ctx, u8 *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}
