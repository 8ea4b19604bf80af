// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Kernel crypto behind the portable wire code's AEAD/HMAC/MAC/RNG ops:
 * AES-256-GCM ("gcm(aes)") and HMAC-SHA256 through the crypto API and,
 * for integrity mode, the ChaCha20 block and Poly1305 of the kernel's
 * crypto library (symbols: modprobe loads their modules with ours).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <crypto/aead.h>
#include <crypto/chacha.h>
#include <crypto/hash.h>
#include <crypto/poly1305.h>

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

/* ---- Integrity mode: ChaCha20 makes each frame's Poly1305 key ---- */

/*
 * Which Poly1305 integrity mode runs: 1 the architecture's (x86-64:
 * poly1305-x86_64, SIMD for long inputs), 0 the kernel's C one
 * (libpoly1305).  Both give the same tags; this only picks the faster
 * under a given CPU (or emulator).  Build with KCFLAGS=-DOM_POLY1305_ARCH=0
 * to measure the other.
 */
#ifndef OM_POLY1305_ARCH
#define OM_POLY1305_ARCH 1
#endif

#if OM_POLY1305_ARCH && IS_ENABLED(CONFIG_CRYPTO_ARCH_HAVE_LIB_POLY1305)
#define om_poly1305_init	poly1305_init_arch
#define om_poly1305_update	poly1305_update_arch
#define om_poly1305_final	poly1305_final_arch
#define OM_POLY1305_IMPL	"arch"
#else
#define om_poly1305_init	poly1305_init_generic
#define om_poly1305_update	poly1305_update_generic
#define om_poly1305_final	poly1305_final_generic
#define OM_POLY1305_IMPL	"generic"
#endif

/* A direction's key: only ever ChaCha20's, never a Poly1305 key itself */
struct om_mac {
	u32 key[CHACHA_KEY_SIZE / sizeof(u32)];
};

struct om_mac *om_mac_alloc(void)
{
	struct om_mac *m = kzalloc(sizeof(*m), GFP_KERNEL);

	return m ?: ERR_PTR(-ENOMEM);
}

void om_mac_free(struct om_mac *m)
{
	if (!IS_ERR_OR_NULL(m))
		kfree_sensitive(m);
}

static int om_mac_setkey(void *ctx, const u8 *key, size_t keylen)
{
	struct om_mac *m = ctx;
	int i;

	if (keylen != CHACHA_KEY_SIZE)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(m->key); i++)
		m->key[i] = get_unaligned_le32(key + 4 * i);
	return 0;
}

/* RFC 8439 2.6: the first 32 bytes of block 0 under the nonce */
static int om_mac_otk(void *ctx, const u8 nonce[OM_WIRE_IV_LEN],
		      u8 otk[OM_WIRE_OTK_LEN])
{
	struct om_mac *m = ctx;
	u32 state[CHACHA_STATE_WORDS];
	u8 iv[CHACHA_IV_SIZE];
	u8 block[CHACHA_BLOCK_SIZE];

	BUILD_BUG_ON(OM_WIRE_IV_LEN != CHACHAPOLY_IV_SIZE ||
		     OM_WIRE_OTK_LEN != POLY1305_KEY_SIZE ||
		     OM_WIRE_TAG_LEN != POLY1305_DIGEST_SIZE);
	put_unaligned_le32(0, iv);	/* block counter */
	memcpy(iv + 4, nonce, OM_WIRE_IV_LEN);
	chacha_init_generic(state, m->key, iv);
	chacha_block_generic(state, block, 20);
	memcpy(otk, block, OM_WIRE_OTK_LEN);
	memzero_explicit(state, sizeof(state));
	memzero_explicit(block, sizeof(block));
	return 0;
}

static int om_mac_poly1305(const u8 key[OM_WIRE_OTK_LEN],
			   const struct om_wire_iov *iov, unsigned int niov,
			   u8 tag[OM_WIRE_TAG_LEN])
{
	struct poly1305_desc_ctx desc;
	unsigned int i;

	om_poly1305_init(&desc, key);
	for (i = 0; i < niov; i++)
		om_poly1305_update(&desc, iov[i].base, iov[i].len);
	om_poly1305_final(&desc, tag);	/* wipes desc */
	return 0;
}

const struct om_wire_mac_ops om_mac_ops = {
	.setkey = om_mac_setkey,
	.otk = om_mac_otk,
	.poly1305 = om_mac_poly1305,
};

/*
 * The kernel's ChaCha20 block and Poly1305 are the ones the userspace
 * peers compute (tests/unit/wire/poly1305.c): RFC 8439 2.6.2 (a Poly1305
 * key from a ChaCha20 key and nonce) and 2.5.2 (a tag), the message in
 * pieces that straddle Poly1305's blocks, and a whole frame's tag (the
 * one test_wire checks against OpenSSL's ChaCha20-Poly1305).
 */
static int om_crypto_selftest_frame(void)
{
	static const u8 want[OM_WIRE_TAG_LEN] = {
		0x70, 0x99, 0x8f, 0xae, 0xb9, 0x7c, 0x64, 0x30,
		0x0c, 0x93, 0xa4, 0xd3, 0x96, 0x68, 0x21, 0xb9,
	};
	struct om_wire_hdr h = {
		.type = OM_WIRE_T_LOAD, .len = 100, .stream = 7, .seq = 1,
	};
	u8 key[OM_WIRE_KEY_LEN], hdr[OM_WIRE_HDR_LEN], body[100];
	u8 iv[OM_WIRE_IV_LEN], tag[OM_WIRE_TAG_LEN];
	struct om_mac m;
	int i, ret;

	for (i = 0; i < sizeof(key); i++)
		key[i] = 0x80 + i;
	for (i = 0; i < sizeof(body); i++)
		body[i] = i * 7 + 1;
	om_wire_hdr_encode(&h, hdr);
	om_wire_make_iv(OM_WIRE_DIR_I2R, 1, iv);
	ret = om_mac_setkey(&m, key, sizeof(key));
	if (!ret)
		ret = om_wire_integrity_tag(&om_mac_ops, &m, iv, hdr, body,
					    sizeof(body), tag);
	memzero_explicit(&m, sizeof(m));
	if (!ret && memcmp(tag, want, sizeof(tag))) {
		pr_err("crypto self-test: integrity mode's frame tag (Poly1305 %s): FAIL\n",
		       OM_POLY1305_IMPL);
		ret = -EINVAL;
	}
	return ret;
}

int om_crypto_selftest(void)
{
	static const u8 nonce[OM_WIRE_IV_LEN] = {
		0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7,
	};
	static const u8 want_otk[OM_WIRE_OTK_LEN] = {
		0x8a, 0xd5, 0xa0, 0x8b, 0x90, 0x5f, 0x81, 0xcc,
		0x81, 0x50, 0x40, 0x27, 0x4a, 0xb2, 0x94, 0x71,
		0xa8, 0x33, 0xb6, 0x37, 0xe3, 0xfd, 0x0d, 0xa5,
		0x08, 0xdb, 0xb8, 0xe2, 0xfd, 0xd1, 0xa6, 0x46,
	};
	static const u8 pkey[OM_WIRE_OTK_LEN] = {
		0x85, 0xd6, 0xbe, 0x78, 0x57, 0x55, 0x6d, 0x33,
		0x7f, 0x44, 0x52, 0xfe, 0x42, 0xd5, 0x06, 0xa8,
		0x01, 0x03, 0x80, 0x8a, 0xfb, 0x0d, 0xb2, 0xfd,
		0x4a, 0xbf, 0xf6, 0xaf, 0x41, 0x49, 0xf5, 0x1b,
	};
	static const char msg[] = "Cryptographic Forum Research Group";
	static const u8 want_tag[OM_WIRE_TAG_LEN] = {
		0xa8, 0x06, 0x1d, 0xc1, 0x30, 0x51, 0x36, 0xc6,
		0xc2, 0x2b, 0x8b, 0xaf, 0x0c, 0x01, 0x27, 0xa9,
	};
	struct om_wire_iov iov[3] = {
		{ msg, 5 }, { msg + 5, 20 }, { msg + 25, sizeof(msg) - 1 - 25 },
	};
	u8 key[CHACHA_KEY_SIZE], otk[OM_WIRE_OTK_LEN], tag[OM_WIRE_TAG_LEN];
	struct om_mac m;
	int i, ret;

	for (i = 0; i < sizeof(key); i++)
		key[i] = 0x80 + i;
	ret = om_mac_setkey(&m, key, sizeof(key));
	if (!ret)
		ret = om_mac_otk(&m, nonce, otk);
	memzero_explicit(&m, sizeof(m));
	if (!ret && memcmp(otk, want_otk, sizeof(otk))) {
		pr_err("crypto self-test: ChaCha20 Poly1305 key (RFC 8439 2.6.2): FAIL\n");
		ret = -EINVAL;
	}
	if (!ret)
		ret = om_mac_poly1305(pkey, iov, ARRAY_SIZE(iov), tag);
	if (!ret && memcmp(tag, want_tag, sizeof(tag))) {
		pr_err("crypto self-test: Poly1305 (%s, RFC 8439 2.5.2): FAIL\n",
		       OM_POLY1305_IMPL);
		ret = -EINVAL;
	}
	return ret ?: om_crypto_selftest_frame();
}

int om_rng(void *ctx, u8 *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}
