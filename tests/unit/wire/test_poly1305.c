// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * poly1305.c against RFC 8439's vectors (ChaCha20 block 2.3.2, Poly1305
 * 2.5.2 and appendix A.3's edge cases, key generation 2.6.2, the AEAD's
 * tag 2.8.2) and OpenSSL's POLY1305 MAC and ChaCha20 for every length and
 * split up to three hundred bytes.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "tap.h"
#include "poly1305.h"
#include "tests.h"

static void seq(u8 *p, size_t n, u8 first)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(first + i);
}

static int ossl_poly1305_mac(const u8 *key, const u8 *in, size_t len, u8 *out)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "POLY1305", NULL);
	EVP_MAC_CTX *c = mac ? EVP_MAC_CTX_new(mac) : NULL;
	size_t got = 0;
	int ok = c && EVP_MAC_init(c, key, OM_POLY1305_KEY_LEN, NULL) &&
		 EVP_MAC_update(c, in, len) &&
		 EVP_MAC_final(c, out, &got, OM_POLY1305_TAG_LEN) &&
		 got == OM_POLY1305_TAG_LEN;

	EVP_MAC_CTX_free(c);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

/* ChaCha20's keystream from block counter: EVP's IV is counter || nonce */
static int ossl_chacha20(const u8 *key, u32 counter, const u8 *nonce, u8 *out,
			 int len)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	u8 iv[16], zero[128] = { 0 };
	int ok, n = 0;

	put_unaligned_le32(counter, iv);
	memcpy(iv + 4, nonce, OM_CHACHA_NONCE_LEN);
	ok = x && len <= (int)sizeof(zero) &&
	     EVP_EncryptInit_ex(x, EVP_chacha20(), NULL, key, iv) &&
	     EVP_EncryptUpdate(x, out, &n, zero, len) && n == len;
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* RFC 8439 A.3, the vectors that probe the reductions (#1, #5..#11) */
static void test_poly1305_a3(void)
{
	static const struct {
		u8 key[32];
		u8 text[64];
		size_t len;
		u8 tag[16];
	} v[] = {
		{ { 0 }, { 0 }, 64, { 0 } },
		{ { 2 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  16, { 3 } },
		{ { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  { 2 }, 16, { 3 } },
		{ { 1 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0x11 }, 48, { 5 } },
		{ { 1 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xfb, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe,
			   0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe,
			   1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
		  48, { 0 } },
		{ { 2 }, { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  16, { 0xfa, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ { 1, 0, 0, 0, 0, 0, 0, 0, 4 },
		  { 0xe3, 0x35, 0x94, 0xd7, 0x50, 0x5e, 0x43, 0xb9,
		    0, 0, 0, 0, 0, 0, 0, 0,
		    0x33, 0x94, 0xd7, 0x50, 0x5e, 0x43, 0x79, 0xcd,
		    1, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    1 }, 64,
		  { 0x14, 0, 0, 0, 0, 0, 0, 0, 0x55 } },
		{ { 1, 0, 0, 0, 0, 0, 0, 0, 4 },
		  { 0xe3, 0x35, 0x94, 0xd7, 0x50, 0x5e, 0x43, 0xb9,
		    0, 0, 0, 0, 0, 0, 0, 0,
		    0x33, 0x94, 0xd7, 0x50, 0x5e, 0x43, 0x79, 0xcd,
		    1 }, 48, { 0x13 } },
	};
	u8 tag[16];
	size_t i;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		om_poly1305(tag, v[i].key, v[i].text, v[i].len);
		if (memcmp(tag, v[i].tag, 16)) {
			printf("#   A.3 vector %zu differs\n", i);
			ok = 0;
		}
	}
	TAP_CHECK(ok, "poly1305: RFC 8439 A.3 vectors #1, #5..#11 (the reductions' edge cases)");
}

/* RFC 8439 2.8.2: the AEAD's tag from these primitives (layout of om_wire's) */
static void test_aead_282(void)
{
	static const char pt[] = "Ladies and Gentlemen of the class of '99: "
		"If I could offer you only one tip for the future, sunscreen "
		"would be it.";
	static const u8 nonce[12] = { 7, 0, 0, 0, 0x40, 0x41, 0x42, 0x43,
				      0x44, 0x45, 0x46, 0x47 };
	static const u8 aad[12] = { 0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2,
				    0xc3, 0xc4, 0xc5, 0xc6, 0xc7 };
	static const u8 want[16] = {
		0x1a, 0xe1, 0x0b, 0x59, 0x4f, 0x09, 0xe2, 0x6a,
		0x7e, 0x90, 0x2e, 0xcb, 0xd0, 0x60, 0x06, 0x91,
	};
	static const u8 zero[16];
	u8 key[32], otk[64], ks[64], ct[sizeof(pt) - 1], lens[16], tag[16];
	struct om_poly1305 st;
	size_t i, len = sizeof(pt) - 1;

	seq(key, sizeof(key), 0x80);
	om_chacha20_block(otk, key, 0, nonce);
	for (i = 0; i < len; i++) {
		if (i % 64 == 0)
			om_chacha20_block(ks, key, 1 + i / 64, nonce);
		ct[i] = (u8)pt[i] ^ ks[i % 64];
	}
	put_unaligned_le64(sizeof(aad), lens);
	put_unaligned_le64(len, lens + 8);
	om_poly1305_init(&st, otk);
	om_poly1305_update(&st, aad, sizeof(aad));
	om_poly1305_update(&st, zero, 16 - sizeof(aad) % 16);
	om_poly1305_update(&st, ct, len);
	om_poly1305_update(&st, zero, (16 - len % 16) % 16);
	om_poly1305_update(&st, lens, 16);
	om_poly1305_final(&st, tag);
	TAP_CHECK(ct[0] == 0xd3 && ct[len - 1] == 0x16 && !memcmp(tag, want, 16),
		  "chacha20-poly1305: RFC 8439 2.8.2's ciphertext and tag");
}

void test_poly1305(void)
{
	/* RFC 8439 2.3.2 */
	static const u8 blk_nonce[12] = { 0, 0, 0, 9, 0, 0, 0, 0x4a };
	static const u8 blk[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
		0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
		0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03,
		0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
		0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09,
		0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
		0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9,
		0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	/* RFC 8439 2.5.2 */
	static const u8 pkey[32] = {
		0x85, 0xd6, 0xbe, 0x78, 0x57, 0x55, 0x6d, 0x33,
		0x7f, 0x44, 0x52, 0xfe, 0x42, 0xd5, 0x06, 0xa8,
		0x01, 0x03, 0x80, 0x8a, 0xfb, 0x0d, 0xb2, 0xfd,
		0x4a, 0xbf, 0xf6, 0xaf, 0x41, 0x49, 0xf5, 0x1b,
	};
	static const char pmsg[] = "Cryptographic Forum Research Group";
	static const u8 ptag[16] = {
		0xa8, 0x06, 0x1d, 0xc1, 0x30, 0x51, 0x36, 0xc6,
		0xc2, 0x2b, 0x8b, 0xaf, 0x0c, 0x01, 0x27, 0xa9,
	};
	/* RFC 8439 2.6.2 */
	static const u8 gen_nonce[12] = { 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7 };
	static const u8 gen_otk[32] = {
		0x8a, 0xd5, 0xa0, 0x8b, 0x90, 0x5f, 0x81, 0xcc,
		0x81, 0x50, 0x40, 0x27, 0x4a, 0xb2, 0x94, 0x71,
		0xa8, 0x33, 0xb6, 0x37, 0xe3, 0xfd, 0x0d, 0xa5,
		0x08, 0xdb, 0xb8, 0xe2, 0xfd, 0xd1, 0xa6, 0x46,
	};
	u8 key[32], out[64], ref[128], msg[301], tag[16], rtag[16];
	struct om_poly1305 st;
	size_t len, cut, cut2, i;
	int ok;

	seq(key, sizeof(key), 0);
	om_chacha20_block(out, key, 1, blk_nonce);
	TAP_CHECK(!memcmp(out, blk, 64), "chacha20: RFC 8439 2.3.2's block");
	seq(key, sizeof(key), 0x80);
	om_chacha20_block(out, key, 0, gen_nonce);
	TAP_CHECK(!memcmp(out, gen_otk, 32),
		  "chacha20: RFC 8439 2.6.2's Poly1305 key generation");
	om_poly1305(tag, pkey, pmsg, sizeof(pmsg) - 1);
	TAP_CHECK(!memcmp(tag, ptag, 16), "poly1305: RFC 8439 2.5.2's tag");
	test_poly1305_a3();
	test_aead_282();

	ok = 1;
	for (i = 0; i < 8; i++) {
		u8 nonce[12];

		seq(key, sizeof(key), (u8)(17 * i + 3));
		seq(nonce, sizeof(nonce), (u8)(29 * i));
		if (ossl_chacha20(key, (u32)i, nonce, ref, 128)) {
			ok = 0;
			printf("# OpenSSL has no ChaCha20\n");
			break;
		}
		om_chacha20_block(out, key, (u32)i, nonce);
		TAP_EXPECT(ok, !memcmp(out, ref, 64));
		om_chacha20_block(out, key, (u32)i + 1, nonce);
		TAP_EXPECT(ok, !memcmp(out, ref + 64, 64));
	}
	TAP_CHECK(ok, "chacha20: blocks equal OpenSSL's ChaCha20 keystream");

	/* every length to 300, split in two and three anywhere (steps of 7) */
	ok = 1;
	seq(msg, sizeof(msg), 0x5a);
	for (len = 0; len < sizeof(msg); len++) {
		/* r's clamped bits and a high s vary with the length */
		for (i = 0; i < 32; i++)
			key[i] = (u8)(0xff - i * 3 - len);
		if (ossl_poly1305_mac(key, msg, len, rtag)) {
			ok = 0;
			printf("# OpenSSL has no POLY1305 MAC\n");
			break;
		}
		om_poly1305(tag, key, msg, len);
		TAP_EXPECT(ok, !memcmp(tag, rtag, 16));
		for (cut = 0; cut <= len; cut += 7) {
			for (cut2 = cut; cut2 <= len; cut2 += 11) {
				om_poly1305_init(&st, key);
				om_poly1305_update(&st, msg, cut);
				om_poly1305_update(&st, msg + cut, cut2 - cut);
				om_poly1305_update(&st, msg + cut2, len - cut2);
				om_poly1305_final(&st, tag);
				TAP_EXPECT(ok, !memcmp(tag, rtag, 16));
			}
		}
	}
	TAP_CHECK(ok, "poly1305: equals OpenSSL's POLY1305 MAC, every length 0..300, split anywhere");
}
