// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_wire (framing, reassembly, HKDF, handshake, replay).
 */
#include <openssl/evp.h>

#include "tap.h"
#include "crypto_ossl.h"
#include "poly1305.h"
#include "tests.h"

int tap_n, tap_fail;

#define KEY_A 0x11
#define KEY_B 0x22

struct peer {
	struct om_wire_session s;
	struct ossl_aead_ctx lt, tx, rx;
	struct ossl_test_rng rng;
};

static void peer_cfg_mode(struct peer *p, enum om_wire_role role, u16 id,
			  u8 keyb, u64 seed, u8 mode)
{
	struct om_wire_config cfg = { 0 };
	u8 key[OM_WIRE_KEY_LEN];
	int err;

	memset(key, keyb, sizeof(key));
	memset(p, 0, sizeof(*p));
	p->rng.state = seed;
	cfg.role = role;
	cfg.node_id = id;
	cfg.listen_port = 4660;
	cfg.max_skew = 300;
	cfg.cluster_key = key;
	cfg.aead = &ossl_aead_ops;
	cfg.aead_lt = &p->lt;
	cfg.aead_tx = &p->tx;
	cfg.aead_rx = &p->rx;
	cfg.hmac = &ossl_hmac_ops;
	cfg.mac = &ossl_mac_ops;
	cfg.mode = mode;
	cfg.rng = ossl_rng;
	cfg.rng_ctx = &p->rng;
	err = om_wire_session_init(&p->s, &cfg);
	if (err)
		printf("# session_init: %d\n", err);
}

static void peer_cfg(struct peer *p, enum om_wire_role role, u16 id, u8 keyb,
		     u64 seed)
{
	peer_cfg_mode(p, role, id, keyb, seed, OM_WIRE_MODE_PRIVATE);
}

/* Run the HELLO exchange between initiator a and responder b */
static int handshake(struct peer *a, struct peer *b, u64 now)
{
	u8 ha[128], hb[128];
	struct om_wire_frame f;
	int na, nb, err;

	na = om_wire_hello_build(&a->s, now, ha, sizeof(ha));
	nb = om_wire_hello_build(&b->s, now, hb, sizeof(hb));
	if (na < 0 || nb < 0)
		return -1;
	err = om_wire_frame_decode(ha, na, &f);
	if (!err)
		err = om_wire_hello_accept(&b->s, &f, now, NULL);
	if (!err)
		err = om_wire_session_derive(&b->s);
	if (!err)
		err = om_wire_frame_decode(hb, nb, &f);
	if (!err)
		err = om_wire_hello_accept(&a->s, &f, now, NULL);
	if (!err)
		err = om_wire_session_derive(&a->s);
	return err;
}

static int seal(struct peer *p, u8 type, u32 stream, const char *msg, u8 *out,
		size_t cap)
{
	return om_wire_seal_frame(&p->s, type, 0, stream, (const u8 *)msg,
				  (u32)strlen(msg), out, cap);
}

/* Open a copy so the caller's frame stays intact for later replays */
static int open_copy(struct peer *p, const u8 *frame, int n, char *out,
		     size_t cap)
{
	u8 buf[4096];
	struct om_wire_frame f;
	const u8 *pl;
	u32 plen;
	int err;

	if (n < 0 || (size_t)n > sizeof(buf))
		return -EINVAL;
	memcpy(buf, frame, n);
	err = om_wire_frame_decode(buf, n, &f);
	if (!err)
		err = om_wire_open_frame(&p->s, &f, &pl, &plen);
	if (!err && out) {
		if (plen >= cap)
			return -EMSGSIZE;
		memcpy(out, pl, plen);
		out[plen] = 0;
	}
	return err;
}

static void test_header(void)
{
	struct om_wire_hdr h = {
		.type = OM_WIRE_T_LOAD, .flags = OM_WIRE_F_MORE, .len = 1234,
		.stream = 0xdeadbeef, .seq = 0x0102030405060708ULL,
	}, d;
	u8 b[OM_WIRE_HDR_LEN], c[OM_WIRE_HDR_LEN];
	int ok = 1;
	size_t i;

	om_wire_hdr_encode(&h, b);
	TAP_CHECK(get_unaligned_le32(b) == 0x314d584f && !memcmp(b, "OXM1", 4),
		  "header: magic 0x314d584f is le32 on the wire");
	TAP_CHECK(om_wire_hdr_decode(b, sizeof(b), 0, &d) == 0 &&
		  d.version == 1 && d.type == h.type && d.flags == h.flags &&
		  d.len == h.len && d.stream == h.stream && d.seq == h.seq,
		  "header: encode/decode round trip");
	for (i = 0; i < OM_WIRE_HDR_LEN; i++)
		TAP_EXPECT(ok, om_wire_hdr_decode(b, i, 0, &d) == -EBADMSG);
	TAP_CHECK(ok, "header: truncated at every byte -> -EBADMSG");

	memcpy(c, b, sizeof(c));
	c[0] ^= 1;
	TAP_CHECK(om_wire_hdr_decode(c, sizeof(c), 0, &d) == -EBADMSG,
		  "header: bad magic rejected");
	memcpy(c, b, sizeof(c));
	c[4] = 2;
	TAP_CHECK(om_wire_hdr_decode(c, sizeof(c), 0, &d) == -EPROTO,
		  "header: unknown version rejected");
	ok = 1;
	for (i = 0; i < 256; i++) {
		int want = om_wire_type_valid((u8)i) ? 0 : -EPROTO;

		memcpy(c, b, sizeof(c));
		c[5] = (u8)i;
		TAP_EXPECT(ok, om_wire_hdr_decode(c, sizeof(c), 0, &d) == want);
	}
	TAP_CHECK(ok && !om_wire_type_valid(0) && !om_wire_type_valid(5) &&
		  !om_wire_type_valid(0x3f) && om_wire_type_valid(0x40) &&
		  om_wire_type_valid(0x7f) && om_wire_type_valid(0x80) &&
		  om_wire_type_valid(0xbf) && !om_wire_type_valid(0xc0) &&
		  !om_wire_type_valid(0xff),
		  "header: every unknown type rejected, MIG and MFS ranges accepted");
	ok = 1;
	for (i = 0; i < 256; i++) {
		u32 want = i >= 0x80 && i <= 0xbf ? OM_WIRE_FEAT_MFS : 0;

		if (i == 0x91 || i == 0xa9 || i == 0xb2)
			want |= OM_WIRE_FEAT_MFS_PLUS;
		if (i == 0x4d)
			want = OM_WIRE_FEAT_DFSA_PATHS;
		if (i == 0x4e)
			want = OM_WIRE_FEAT_MIG_PGSTREAM;
		TAP_EXPECT(ok, om_wire_type_feature((u8)i) == want);
	}
	TAP_CHECK(ok, "header: only MFS types, DFSA_VIEW and PREPARE need a HELLO feature (MFS; READDIRPLUS, R_DIRENTS_PLUS, BREAK_ALL also MFS_PLUS; DFSA_VIEW DFSA_PATHS; PREPARE MIG_PGSTREAM)");
	ok = 1;
	for (i = 1; i < 16; i++) {
		memcpy(c, b, sizeof(c));
		put_unaligned_le16((u16)(1u << i), c + 6);
		TAP_EXPECT(ok, om_wire_hdr_decode(c, sizeof(c), 0, &d) == -EPROTO);
	}
	TAP_CHECK(ok, "header: every reserved flag bit rejected");
	memcpy(c, b, sizeof(c));
	put_unaligned_le32(OM_WIRE_MAX_PAYLOAD, c + 8);
	TAP_CHECK(om_wire_hdr_decode(c, sizeof(c), 0, &d) == 0,
		  "header: len == 1 MiB accepted");
	put_unaligned_le32(OM_WIRE_MAX_PAYLOAD + 1, c + 8);
	TAP_CHECK(om_wire_hdr_decode(c, sizeof(c), 0, &d) == -EMSGSIZE,
		  "header: len > 1 MiB rejected");
	put_unaligned_le32(0xffffffff, c + 8);
	TAP_CHECK(om_wire_hdr_decode(c, sizeof(c), 0xffffffff, &d) == -EMSGSIZE,
		  "header: len 4 GiB rejected even with a huge caller limit");
	put_unaligned_le32(101, c + 8);
	TAP_CHECK(om_wire_hdr_decode(c, sizeof(c), 100, &d) == -EMSGSIZE,
		  "header: caller limit enforced");
}

static void test_iv(void)
{
	u8 iv[OM_WIRE_IV_LEN];
	static const u8 want[OM_WIRE_IV_LEN] = {
		0x31, 0x69, 0x32, 0x72, 8, 7, 6, 5, 4, 3, 2, 1,
	};

	om_wire_make_iv(OM_WIRE_DIR_I2R, 0x0102030405060708ULL, iv);
	TAP_CHECK(!memcmp(iv, want, sizeof(iv)),
		  "nonce: IV = le32 direction || le64 seq");
}

/* RFC 5869 A.1 */
static void test_hkdf(void)
{
	u8 ikm[22], salt[13], info[10], okm[42], prk[32];
	static const u8 want_prk[32] = {
		0x07, 0x77, 0x09, 0x36, 0x2c, 0x2e, 0x32, 0xdf, 0x0d, 0xdc,
		0x3f, 0x0d, 0xc4, 0x7b, 0xba, 0x63, 0x90, 0xb6, 0xc7, 0x3b,
		0xb5, 0x0f, 0x9c, 0x31, 0x22, 0xec, 0x84, 0x4a, 0xd7, 0xc2,
		0xb3, 0xe5,
	};
	static const u8 want_okm[42] = {
		0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43,
		0x4f, 0x64, 0xd0, 0x36, 0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90,
		0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4,
		0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18,
		0x58, 0x65,
	};
	size_t i;

	memset(ikm, 0x0b, sizeof(ikm));
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (u8)i;
	for (i = 0; i < sizeof(info); i++)
		info[i] = (u8)(0xf0 + i);
	TAP_CHECK(om_hkdf_extract(&ossl_hmac_ops, NULL, salt, sizeof(salt), ikm,
				  sizeof(ikm), prk) == 0 &&
		  !memcmp(prk, want_prk, 32), "hkdf: RFC 5869 A.1 PRK");
	TAP_CHECK(om_hkdf_sha256(&ossl_hmac_ops, NULL, salt, sizeof(salt), ikm,
				 sizeof(ikm), info, sizeof(info), okm,
				 sizeof(okm)) == 0 &&
		  !memcmp(okm, want_okm, sizeof(okm)), "hkdf: RFC 5869 A.1 OKM");
	TAP_CHECK(om_hkdf_expand(&ossl_hmac_ops, NULL, prk, NULL, 0, okm,
				 255 * 32 + 1) == -EINVAL,
		  "hkdf: output longer than 255 blocks rejected");
}

/* Three frames of different sizes, concatenated */
static size_t make_stream(u8 *buf, size_t cap, size_t *ends)
{
	struct om_wire_hdr h = { .type = OM_WIRE_T_HEARTBEAT };
	static const u32 lens[3] = { 0, 5, 300 };
	size_t off = 0;
	int i;

	for (i = 0; i < 3; i++) {
		h.len = lens[i];
		h.seq = (u64)i + 1;
		h.stream = (u32)i;
		if (off + OM_WIRE_OVERHEAD + h.len > cap)
			return 0;
		om_wire_hdr_encode(&h, buf + off);
		memset(buf + off + OM_WIRE_HDR_LEN, 'a' + i,
		       h.len + OM_WIRE_TAG_LEN);
		off += OM_WIRE_OVERHEAD + h.len;
		ends[i] = off;
	}
	return off;
}

/* Feed buf in chunks given by cuts[]; check the 3 frames come out */
static int rx_run(const u8 *buf, size_t len, const size_t *cuts, int ncuts)
{
	struct om_wire_rx rx;
	struct om_wire_frame f;
	size_t pos = 0, used;
	int got = 0, c, ret, ok = 1;

	om_wire_rx_init(&rx, 0);
	for (c = 0; c <= ncuts; c++) {
		size_t end = c < ncuts ? cuts[c] : len;

		while (pos < end) {
			ret = om_wire_rx_feed(&rx, buf + pos, end - pos, &used);
			if (ret < 0) {
				ok = 0;
				goto out;
			}
			pos += used;
			if (ret == 1) {
				if (om_wire_rx_frame(&rx, &f) ||
				    f.hdr.seq != (u64)got + 1 ||
				    f.body[0] != 'a' + got)
					ok = 0;
				got++;
			}
		}
	}
out:
	om_wire_rx_destroy(&rx);
	return ok && got == 3;
}

/*
 * As rx_run, but a frame's body is copied straight into the reassembly
 * buffer (om_wire_rx_direct/commit) whenever one is being received, as
 * the transport reads large bodies; only headers are fed.
 */
static int rx_run_direct(const u8 *buf, size_t len, const size_t *cuts,
			 int ncuts)
{
	struct om_wire_rx rx;
	struct om_wire_frame f;
	size_t pos = 0, used;
	int got = 0, c, ret, ok = 1;

	om_wire_rx_init(&rx, 0);
	for (c = 0; c <= ncuts; c++) {
		size_t end = c < ncuts ? cuts[c] : len;

		while (pos < end) {
			u32 room;
			u8 *to = om_wire_rx_direct(&rx, &room);

			if (to) {
				used = end - pos < room ? end - pos : room;
				if (!room) {
					ok = 0;
					goto out;
				}
				memcpy(to, buf + pos, used);
				ret = om_wire_rx_commit(&rx, used);
			} else {
				ret = om_wire_rx_feed(&rx, buf + pos, end - pos, &used);
			}
			if (ret < 0) {
				ok = 0;
				goto out;
			}
			pos += used;
			if (ret == 1) {
				if (om_wire_rx_frame(&rx, &f) ||
				    f.hdr.seq != (u64)got + 1 ||
				    f.body[0] != 'a' + got ||
				    f.body[f.hdr.len + OM_WIRE_TAG_LEN - 1] != 'a' + got)
					ok = 0;
				got++;
			}
		}
	}
out:
	om_wire_rx_destroy(&rx);
	return ok && got == 3;
}

/*
 * @run over @buf in one chunk, in every two-chunk split, and in the
 * three-chunk splits whose first cut is below 120 and whose second is
 * every @step bytes after it; checks named "@what: ..."
 */
static void rx_splits(const char *what, int (*run)(const u8 *, size_t, const size_t *, int),
		      const u8 *buf, size_t len, size_t step)
{
	size_t i, j, cuts[2];
	int ok = 1;

	TAP_CHECK(run(buf, len, NULL, 0), "%s: three frames in one chunk", what);
	for (i = 1; i < len; i++) {
		cuts[0] = i;
		TAP_EXPECT(ok, run(buf, len, cuts, 1));
	}
	TAP_CHECK(ok, "%s: every two-chunk split (%zu)", what, len - 1);
	ok = 1;
	for (i = 1; i < 120; i++)
		for (j = i + 1; j < len; j += step) {
			cuts[0] = i;
			cuts[1] = j;
			TAP_EXPECT(ok, run(buf, len, cuts, 2));
		}
	TAP_CHECK(ok, "%s: three-chunk splits", what);
}

static void test_rx_direct(void)
{
	u8 buf[1024];
	size_t ends[3], len, i;
	struct om_wire_rx rx;
	u32 room;

	len = make_stream(buf, sizeof(buf), ends);
	rx_splits("rx direct", rx_run_direct, buf, len, 5);

	om_wire_rx_init(&rx, 0);
	TAP_CHECK(!om_wire_rx_direct(&rx, &room) && room == 0 &&
		  om_wire_rx_commit(&rx, 1) == -EINVAL,
		  "rx direct: nothing before a header");
	TAP_CHECK(om_wire_rx_feed(&rx, buf + ends[1], OM_WIRE_HDR_LEN, &i) == 0 &&
		  i == OM_WIRE_HDR_LEN && om_wire_rx_direct(&rx, &room) &&
		  room == 300 + OM_WIRE_TAG_LEN,
		  "rx direct: the body's room after its header");
	TAP_CHECK(om_wire_rx_commit(&rx, room + 1) == -EINVAL &&
		  om_wire_rx_commit(&rx, room - 1) == 0 &&
		  om_wire_rx_direct(&rx, &room) && room == 1 &&
		  om_wire_rx_commit(&rx, 1) == 1 &&
		  !om_wire_rx_direct(&rx, &room) && room == 0,
		  "rx direct: no more than the body, 1 when it is complete");
	om_wire_rx_destroy(&rx);
	TAP_CHECK(!om_wire_rx_direct(&rx, &room) &&
		  om_wire_rx_commit(&rx, 0) == -EINVAL,
		  "rx direct: nothing after destroy");
}

static void test_rx(void)
{
	u8 buf[1024], hdr[OM_WIRE_HDR_LEN];
	size_t ends[3], len, i, used;
	struct om_wire_hdr h = { .type = OM_WIRE_T_LOAD };
	struct om_wire_rx rx;
	int ret;

	len = make_stream(buf, sizeof(buf), ends);
	rx_splits("rx", rx_run, buf, len, 7);
	{
		size_t *all = malloc(len * sizeof(*all));

		for (i = 0; all && i < len; i++)
			all[i] = i + 1;
		TAP_CHECK(all && rx_run(buf, len, all, (int)len - 1),
			  "rx: one byte at a time");
		free(all);
	}

	/* 4 GiB claim: refused at the header, nothing allocated */
	h.len = 0xfffffff0;
	om_wire_hdr_encode(&h, hdr);
	om_wire_rx_init(&rx, 0);
	ret = om_wire_rx_feed(&rx, hdr, sizeof(hdr), &used);
	TAP_CHECK(ret == -EMSGSIZE && rx.body == NULL && rx.body_cap == 0,
		  "rx: huge len rejected before any body allocation");
	TAP_CHECK(om_wire_rx_feed(&rx, buf, 10, &used) == -EMSGSIZE &&
		  used == 0, "rx: errors are sticky");
	om_wire_rx_destroy(&rx);

	om_wire_rx_init(&rx, 0);
	om_wire_rx_set_limit(&rx, OM_WIRE_HELLO_BODY);
	h.len = 300;
	om_wire_hdr_encode(&h, hdr);
	ret = om_wire_rx_feed(&rx, hdr, sizeof(hdr), &used);
	TAP_CHECK(ret == -EMSGSIZE && !rx.body,
		  "rx: pre-auth limit refuses large frames");
	om_wire_rx_destroy(&rx);

	om_wire_rx_init(&rx, 0);
	memcpy(hdr, "GET / HTTP/1.1\r\nHost: xx", sizeof(hdr));
	TAP_CHECK(om_wire_rx_feed(&rx, hdr, sizeof(hdr), &used) == -EBADMSG,
		  "rx: non-openMosix peer rejected");
	om_wire_rx_destroy(&rx);
}

static void test_session(void)
{
	struct peer a, b, c, e;
	u8 f1[256], f2[256], f3[256], big_hdr[OM_WIRE_HDR_LEN];
	char out[256];
	int n1, n2, n3, i, ok;
	u8 *big;

	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 1);
	peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 2);
	TAP_CHECK(om_wire_seal_frame(&a.s, OM_WIRE_T_LOAD, 0, 0, NULL, 0, f1,
				     sizeof(f1)) == -EINVAL,
		  "session: seal before handshake refused");
	TAP_CHECK(handshake(&a, &b, 1000) == 0 && a.s.state == OM_WS_KEYED &&
		  b.s.state == OM_WS_KEYED && a.s.peer.node_id == 2 &&
		  b.s.peer.node_id == 1 && b.s.peer.listen_port == 4660,
		  "session: handshake derives keys");
	n1 = seal(&a, OM_WIRE_T_LOAD, 7, "first", f1, sizeof(f1));
	n2 = seal(&a, OM_WIRE_T_HEARTBEAT, 0, "second", f2, sizeof(f2));
	n3 = seal(&a, OM_WIRE_T_MIG_FIRST, 9, "third", f3, sizeof(f3));
	TAP_CHECK(n1 == OM_WIRE_OVERHEAD + 5 && memcmp(f1 + 24, "first", 5),
		  "session: seal produces ciphertext of the right size");
	TAP_CHECK(open_copy(&b, f1, n1, out, sizeof(out)) == 0 &&
		  !strcmp(out, "first") && b.s.state == OM_WS_AUTHED,
		  "session: open round trip authenticates the peer");
	TAP_CHECK(open_copy(&b, f1, n1, out, sizeof(out)) == -EBADMSG &&
		  b.s.stats.rx_replay == 1, "session: replayed frame rejected");
	TAP_CHECK(open_copy(&b, f3, n3, out, sizeof(out)) == -EBADMSG &&
		  b.s.stats.rx_replay == 2, "session: reordered frame rejected");

	/* Every byte flipped: rejected, and the state is unchanged */
	ok = 1;
	for (i = 0; i < n2; i++) {
		u8 t[256];
		struct om_wire_frame f;
		const u8 *pl;
		u32 plen;

		memcpy(t, f2, n2);
		t[i] ^= 0x01;
		if (om_wire_frame_decode(t, n2, &f) == 0)
			TAP_EXPECT(ok, om_wire_open_frame(&b.s, &f, &pl,
							  &plen) == -EBADMSG);
	}
	TAP_CHECK(ok, "session: every flipped bit of a frame rejected");
	TAP_CHECK(open_copy(&b, f2, n2, out, sizeof(out)) == 0 &&
		  !strcmp(out, "second") && open_copy(&b, f3, n3, out,
						      sizeof(out)) == 0 &&
		  !strcmp(out, "third"),
		  "session: stream continues after rejected frames");
	ok = 1;
	for (i = 0; i < n2 + 1; i++) {
		struct om_wire_frame f;

		if (i != n2)
			TAP_EXPECT(ok, om_wire_frame_decode(f2, i, &f) < 0);
	}
	TAP_CHECK(ok, "frame: truncated at every byte rejected");

	/* Reverse direction uses the other key and direction constant */
	n1 = seal(&b, OM_WIRE_T_BYE, 0, "bye", f1, sizeof(f1));
	TAP_CHECK(open_copy(&a, f1, n1, out, sizeof(out)) == 0 &&
		  !strcmp(out, "bye"), "session: responder to initiator");
	n1 = seal(&a, OM_WIRE_T_LOAD, 0, "x", f1, sizeof(f1));
	TAP_CHECK(open_copy(&a, f1, n1, NULL, 0) == -EBADMSG &&
		  open_copy(&b, f1, n1, NULL, 0) == 0,
		  "session: own frame reflected back rejected");

	/* Empty and 1 MiB payloads */
	n1 = om_wire_seal_frame(&a.s, OM_WIRE_T_HEARTBEAT, 0, 0, NULL, 0, f1,
				sizeof(f1));
	TAP_CHECK(n1 == OM_WIRE_OVERHEAD && open_copy(&b, f1, n1, NULL, 0) == 0,
		  "session: empty payload");
	big = malloc(OM_WIRE_MAX_PAYLOAD + OM_WIRE_OVERHEAD + 1);
	if (big) {
		struct om_wire_frame f;
		const u8 *pl;
		u32 plen;
		int n;

		memset(big + OM_WIRE_HDR_LEN, 0x5a, OM_WIRE_MAX_PAYLOAD);
		n = om_wire_seal_frame(&a.s, OM_WIRE_T_MIG_FIRST + 2,
				       OM_WIRE_F_MORE, 3,
				       big + OM_WIRE_HDR_LEN,
				       OM_WIRE_MAX_PAYLOAD, big,
				       OM_WIRE_MAX_PAYLOAD + OM_WIRE_OVERHEAD);
		TAP_CHECK(n == (int)(OM_WIRE_MAX_PAYLOAD + OM_WIRE_OVERHEAD) &&
			  om_wire_frame_decode(big, n, &f) == 0 &&
			  om_wire_open_frame(&b.s, &f, &pl, &plen) == 0 &&
			  plen == OM_WIRE_MAX_PAYLOAD && pl[0] == 0x5a &&
			  pl[plen - 1] == 0x5a && f.hdr.flags == OM_WIRE_F_MORE,
			  "session: 1 MiB payload sealed in place");
		TAP_CHECK(om_wire_seal_frame(&a.s, OM_WIRE_T_LOAD, 0, 0, big,
					     OM_WIRE_MAX_PAYLOAD + 1, big,
					     OM_WIRE_MAX_PAYLOAD +
					     OM_WIRE_OVERHEAD + 1) == -EMSGSIZE,
			  "session: payload > 1 MiB refused");
		free(big);
	}
	TAP_CHECK(om_wire_seal_frame(&a.s, OM_WIRE_T_HELLO, 0, 0, NULL, 0, f1,
				     sizeof(f1)) == -EINVAL &&
		  om_wire_seal_frame(&a.s, 0xc9, 0, 0, NULL, 0, f1,
				     sizeof(f1)) == -EINVAL &&
		  om_wire_seal_frame(&a.s, OM_WIRE_T_LOAD, 0x8000, 0, NULL, 0,
				     f1, sizeof(f1)) == -EINVAL &&
		  om_wire_seal_frame(&a.s, OM_WIRE_T_LOAD, 0, 0, NULL, 0, f1,
				     OM_WIRE_OVERHEAD - 1) == -EMSGSIZE,
		  "session: seal validates type, flags and space");
	(void)big_hdr;

	/* Wrong cluster key: HELLO does not open */
	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 3);
	peer_cfg(&e, OM_WIRE_RESPONDER, 2, KEY_B, 4);
	TAP_CHECK(handshake(&a, &e, 1000) == -EBADMSG &&
		  e.s.stats.rx_auth_fail == 1 && e.s.state == OM_WS_HELLO,
		  "session: wrong cluster key rejected");

	/* Replayed HELLO: keys differ, old frames do not authenticate */
	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 5);
	peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 6);
	{
		u8 ha[128], hb[128];
		struct om_wire_frame f;
		int na, nb, err;

		na = om_wire_hello_build(&a.s, 1000, ha, sizeof(ha));
		nb = om_wire_hello_build(&b.s, 1000, hb, sizeof(hb));
		memcpy(f1, ha, na);	/* attacker records A's HELLO */
		err = om_wire_frame_decode(ha, na, &f) ||
		      om_wire_hello_accept(&b.s, &f, 1000, NULL) ||
		      om_wire_session_derive(&b.s) ||
		      om_wire_frame_decode(hb, nb, &f) ||
		      om_wire_hello_accept(&a.s, &f, 1000, NULL) ||
		      om_wire_session_derive(&a.s);
		n2 = seal(&a, OM_WIRE_T_LOAD, 0, "secret", f2, sizeof(f2));
		TAP_CHECK(!err && open_copy(&b, f2, n2, out, sizeof(out)) == 0,
			  "session: recorded connection works");
		/* Replay A's HELLO and first frame to a fresh responder */
		peer_cfg(&c, OM_WIRE_RESPONDER, 2, KEY_A, 7);
		memcpy(f3, f1, na);	/* accept decrypts in place */
		err = om_wire_frame_decode(f3, na, &f) ||
		      om_wire_hello_accept(&c.s, &f, 1000, NULL) ||
		      om_wire_session_derive(&c.s);
		TAP_CHECK(!err && c.s.state == OM_WS_KEYED &&
			  open_copy(&c, f2, n2, NULL, 0) == -EBADMSG &&
			  c.s.state == OM_WS_KEYED &&
			  c.s.stats.rx_auth_fail == 1,
			  "session: replayed HELLO + frame does not authenticate");
		/* Reflection: A gets its own HELLO back */
		peer_cfg(&e, OM_WIRE_INITIATOR, 3, KEY_A, 5);
		memcpy(f3, f1, na);
		err = om_wire_frame_decode(f3, na, &f);
		TAP_CHECK(!err && om_wire_hello_accept(&e.s, &f, 1000, NULL) ==
			  -EPROTO, "session: HELLO with our own role rejected");
		peer_cfg(&e, OM_WIRE_RESPONDER, 1, KEY_A, 8);
		memcpy(f3, f1, na);
		err = om_wire_frame_decode(f3, na, &f);
		TAP_CHECK(!err && om_wire_hello_accept(&e.s, &f, 1000, NULL) ==
			  -EPROTO, "session: HELLO claiming our node id rejected");
		peer_cfg(&e, OM_WIRE_RESPONDER, 2, KEY_A, 9);
		memcpy(f3, f1, na);
		err = om_wire_frame_decode(f3, na, &f);
		TAP_CHECK(!err && om_wire_hello_accept(&e.s, &f, 1000 + 301,
						       NULL) == -EPROTO,
			  "session: stale HELLO timestamp rejected");
		/* A HELLO after keys are set is a protocol error */
		memcpy(f3, f1, na);
		err = om_wire_frame_decode(f3, na, &f);
		TAP_CHECK(!err && om_wire_hello_accept(&b.s, &f, 1000, NULL) ==
			  -EPROTO, "session: second HELLO rejected");
		memcpy(ha, f1, na);
		ha[OM_WIRE_HDR_LEN] ^= 0x80;	/* clear IV */
		err = om_wire_frame_decode(ha, na, &f);
		peer_cfg(&e, OM_WIRE_RESPONDER, 2, KEY_A, 10);
		TAP_CHECK(!err && om_wire_hello_accept(&e.s, &f, 1000, NULL) ==
			  -EBADMSG, "session: HELLO with modified IV rejected");
	}
}

/*
 * The kernel's responder: one shared, pre-keyed HELLO context, no session
 * contexts until the initiator's HELLO verified, its own HELLO after that.
 */
static void test_attach(void)
{
	struct om_wire_config cfg = { 0 };
	struct ossl_aead_ctx shared_lt, tx, rx;
	struct ossl_test_rng rng = { .state = 7 };
	u8 key[OM_WIRE_KEY_LEN], ha[128], hb[128], fr[128];
	struct om_wire_frame f;
	struct peer a, b;
	char out[64];
	int na, nb, n, ok = 1;

	memset(&shared_lt, 0, sizeof(shared_lt));
	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	memset(key, KEY_A, sizeof(key));
	TAP_EXPECT(ok, ossl_aead_ops.setkey(&shared_lt, key, sizeof(key)) == 0);
	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 1);
	memset(&b, 0, sizeof(b));
	cfg.role = OM_WIRE_RESPONDER;
	cfg.node_id = 2;
	cfg.listen_port = 4660;
	cfg.cluster_key = key;
	cfg.aead = &ossl_aead_ops;
	cfg.aead_lt = &shared_lt;
	cfg.lt_keyed = true;
	cfg.hmac = &ossl_hmac_ops;
	cfg.rng = ossl_rng;
	cfg.rng_ctx = &rng;
	TAP_EXPECT(ok, om_wire_session_init(&b.s, &cfg) == 0);
	na = om_wire_hello_build(&a.s, 1000, ha, sizeof(ha));
	TAP_EXPECT(ok, na > 0 && om_wire_frame_decode(ha, na, &f) == 0);
	TAP_EXPECT(ok, om_wire_hello_accept(&b.s, &f, 1000, NULL) == 0);
	TAP_EXPECT(ok, om_wire_session_derive(&b.s) == -EINVAL);
	TAP_EXPECT(ok, om_wire_session_attach(&b.s, NULL, &rx, NULL) == -EINVAL);
	TAP_EXPECT(ok, om_wire_session_attach(&b.s, &tx, &rx, NULL) == 0);
	nb = om_wire_hello_build(&b.s, 1000, hb, sizeof(hb));
	TAP_EXPECT(ok, nb > 0 && om_wire_session_derive(&b.s) == 0);
	TAP_EXPECT(ok, om_wire_session_attach(&b.s, &tx, &rx, NULL) == -EINVAL);
	TAP_EXPECT(ok, om_wire_frame_decode(hb, nb, &f) == 0 &&
		   om_wire_hello_accept(&a.s, &f, 1000, NULL) == 0 &&
		   om_wire_session_derive(&a.s) == 0);
	n = seal(&a, OM_WIRE_T_HEARTBEAT, 0, "hi", fr, sizeof(fr));
	TAP_EXPECT(ok, open_copy(&b, fr, n, out, sizeof(out)) == 0 &&
		   !strcmp(out, "hi"));
	n = seal(&b, OM_WIRE_T_HEARTBEAT, 0, "ho", fr, sizeof(fr));
	TAP_EXPECT(ok, open_copy(&a, fr, n, out, sizeof(out)) == 0 &&
		   !strcmp(out, "ho"));
	TAP_CHECK(ok, "session: shared pre-keyed HELLO context, session contexts attached after the HELLO");
}

/*
 * HELLO byte 7 carries the features: a peer that sets none (an older node,
 * which sends 0 there) is told apart from one that announces them, and
 * unknown bits pass through untouched.
 */
static void test_features(void)
{
	struct peer a, b;
	int ok = 1;

	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 21);
	peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 22);
	a.s.cfg.features = OM_WIRE_FEAT_MIG_BAL | OM_WIRE_FEAT_MFS_DATA;
	TAP_EXPECT(ok, handshake(&a, &b, 1000) == 0);
	TAP_EXPECT(ok, b.s.peer.features == (OM_WIRE_FEAT_MIG_BAL | OM_WIRE_FEAT_MFS_DATA));
	TAP_EXPECT(ok, a.s.peer.features == 0);
	TAP_EXPECT(ok, a.s.state == OM_WS_KEYED && b.s.state == OM_WS_KEYED);
	TAP_CHECK(ok, "session: HELLO features reach the peer; none from a node that sends 0");

	/* above bit 7: the FEATURES attribute, 8 bytes more, only when set */
	{
		u8 h[OM_WIRE_HELLO_FRAME_MAX];
		int n;

		ok = 1;
		peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 23);
		peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 24);
		a.s.cfg.features = OM_WIRE_FEAT_MIG_PGSTREAM | OM_WIRE_FEAT_MFS_DATA;
		n = om_wire_hello_build(&a.s, 1000, h, sizeof(h));
		TAP_EXPECT(ok, n == OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY + 8);
		peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 23);
		a.s.cfg.features = OM_WIRE_FEAT_MIG_PGSTREAM | OM_WIRE_FEAT_MFS_DATA;
		TAP_EXPECT(ok, handshake(&a, &b, 1000) == 0);
		TAP_EXPECT(ok, b.s.peer.features ==
			   (OM_WIRE_FEAT_MIG_PGSTREAM | OM_WIRE_FEAT_MFS_DATA));
		TAP_EXPECT(ok, a.s.peer.features == 0);
		peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 25, OM_WIRE_MODE_INTEGRITY);
		a.s.cfg.features = OM_WIRE_FEAT_MIG_PGSTREAM;
		n = om_wire_hello_build(&a.s, 1000, h, sizeof(h));
		TAP_EXPECT(ok, n == OM_WIRE_HELLO_FRAME_MAX);
		TAP_CHECK(ok, "session: features above bit 7 go in the FEATURES attribute (8 bytes, 16 with the mode) and reach the peer");
	}
}

/* One side's HELLO to the other: decode and accept (the frame is opened in place) */
static int hello_to(struct peer *from, struct peer *to, u8 *buf, int *len,
		    struct om_wire_hello *got)
{
	struct om_wire_frame f;
	int n = om_wire_hello_build(&from->s, 1000, buf, OM_WIRE_HELLO_FRAME_MAX);

	if (len)
		*len = n;
	if (n < 0 || om_wire_frame_decode(buf, n, &f))
		return -EINVAL;
	return om_wire_hello_accept(&to->s, &f, 1000, got);
}

/*
 * OpenSSL's ChaCha20-Poly1305 tag of nothing encrypted with aad as the
 * associated data: what integrity mode's tag must be
 */
static int ossl_chapoly_tag(const u8 *key, const u8 *nonce, const u8 *aad,
			    size_t aadlen, u8 *tag)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int ok, n;

	ok = x && EVP_EncryptInit_ex(x, EVP_chacha20_poly1305(), NULL, key,
				     nonce) &&
	     EVP_EncryptUpdate(x, NULL, &n, aad, (int)aadlen) &&
	     EVP_EncryptFinal_ex(x, NULL, &n) &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, OM_WIRE_TAG_LEN,
				 tag);
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* frame's tag = ChaCha20-Poly1305(key, IV; aad = header || IV || body) */
static int integrity_tag_ok(const u8 *key, u32 dir, const u8 *frame, int n)
{
	u8 aad[OM_WIRE_HDR_LEN + OM_WIRE_IV_LEN + 2048], iv[OM_WIRE_IV_LEN];
	u8 tag[OM_WIRE_TAG_LEN];
	size_t blen = (size_t)n - OM_WIRE_OVERHEAD;

	if (n < OM_WIRE_OVERHEAD || blen > 2048)
		return 0;
	om_wire_make_iv(dir, get_unaligned_le64(frame + 16), iv);
	memcpy(aad, frame, OM_WIRE_HDR_LEN);
	memcpy(aad + OM_WIRE_HDR_LEN, iv, OM_WIRE_IV_LEN);
	memcpy(aad + OM_WIRE_HDR_LEN + OM_WIRE_IV_LEN, frame + OM_WIRE_HDR_LEN,
	       blen);
	return !ossl_chapoly_tag(key, iv, aad, OM_WIRE_HDR_LEN +
				 OM_WIRE_IV_LEN + blen, tag) &&
	       !memcmp(tag, frame + OM_WIRE_HDR_LEN + blen, OM_WIRE_TAG_LEN);
}

/*
 * Integrity mode's Poly1305 tags: OpenSSL's ChaCha20-Poly1305 for every
 * body length; a Poly1305 key never twice, across directions and
 * connections; an older node's BLAKE2b integrity mode refused and named.
 */
static void test_integrity_poly1305(void)
{
	const u8 I = OM_WIRE_MODE_INTEGRITY;
	u8 body[1200], fa[1300], fb[1300], h[OM_WIRE_HELLO_FRAME_MAX];
	struct om_wire_hello got;
	struct peer a, b, c, d;
	int len, na, nb, ok;

	memset(body, 0xa5, sizeof(body));
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 50, I);
	peer_cfg_mode(&b, OM_WIRE_RESPONDER, 2, KEY_A, 51, I);
	ok = handshake(&a, &b, 1000) == 0;
	for (len = 0; ok && len <= (int)sizeof(body); len += len < 80 ? 1 : 97) {
		na = om_wire_seal_frame(&a.s, OM_WIRE_T_MIG_FIRST, 0, 3, body,
					(u32)len, fa, sizeof(fa));
		nb = om_wire_seal_frame(&b.s, OM_WIRE_T_MIG_FIRST, 0, 3, body,
					(u32)len, fb, sizeof(fb));
		TAP_EXPECT(ok, na == OM_WIRE_OVERHEAD + len && nb == na);
		TAP_EXPECT(ok, integrity_tag_ok(b.rx.key, OM_WIRE_DIR_I2R, fa, na));
		TAP_EXPECT(ok, integrity_tag_ok(a.rx.key, OM_WIRE_DIR_R2I, fb, nb));
		/* the same header and body each way: other keys, other tags */
		TAP_EXPECT(ok, memcmp(fa + na - OM_WIRE_TAG_LEN,
				      fb + nb - OM_WIRE_TAG_LEN,
				      OM_WIRE_TAG_LEN));
		TAP_EXPECT(ok, open_copy(&b, fa, na, NULL, 0) == 0 &&
			   open_copy(&a, fb, nb, NULL, 0) == 0);
	}
	TAP_CHECK(ok, "integrity: tag = OpenSSL's ChaCha20-Poly1305 (nothing encrypted; header, IV, body associated), bodies 0..1200 bytes, both ways");

	{
		/* the frame the module's self-test tags (om_crypto.c) */
		static const u8 want[OM_WIRE_TAG_LEN] = {
			0x70, 0x99, 0x8f, 0xae, 0xb9, 0x7c, 0x64, 0x30,
			0x0c, 0x93, 0xa4, 0xd3, 0x96, 0x68, 0x21, 0xb9,
		};
		struct om_wire_hdr hd = {
			.type = OM_WIRE_T_LOAD, .len = 100, .stream = 7, .seq = 1,
		};
		struct ossl_aead_ctx k = { 0 };
		u8 key[OM_WIRE_KEY_LEN], fr[OM_WIRE_OVERHEAD + 100];
		u8 iv[OM_WIRE_IV_LEN], tag[OM_WIRE_TAG_LEN];

		for (len = 0; len < OM_WIRE_KEY_LEN; len++)
			key[len] = (u8)(0x80 + len);
		for (len = 0; len < 100; len++)
			fr[OM_WIRE_HDR_LEN + len] = (u8)(len * 7 + 1);
		om_wire_hdr_encode(&hd, fr);
		om_wire_make_iv(OM_WIRE_DIR_I2R, 1, iv);
		ok = ossl_mac_ops.setkey(&k, key, sizeof(key)) == 0 &&
		     om_wire_integrity_tag(&ossl_mac_ops, &k, iv, fr,
					   fr + OM_WIRE_HDR_LEN, 100, tag) == 0 &&
		     !memcmp(tag, want, sizeof(want));
		memcpy(fr + OM_WIRE_HDR_LEN + 100, tag, sizeof(tag));
		TAP_CHECK(ok && integrity_tag_ok(key, OM_WIRE_DIR_I2R, fr,
						 sizeof(fr)),
			  "integrity: the module self-test's frame tag is OpenSSL's");
	}

	/* a reconnect (same nodes, same key): new keys, another tag for seq 1 */
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 52, I);
	peer_cfg_mode(&b, OM_WIRE_RESPONDER, 2, KEY_A, 53, I);
	peer_cfg_mode(&c, OM_WIRE_INITIATOR, 1, KEY_A, 54, I);
	peer_cfg_mode(&d, OM_WIRE_RESPONDER, 2, KEY_A, 55, I);
	ok = handshake(&a, &b, 1000) == 0 && handshake(&c, &d, 1000) == 0;
	na = seal(&a, OM_WIRE_T_LOAD, 0, "same", fa, sizeof(fa));
	nb = seal(&c, OM_WIRE_T_LOAD, 0, "same", fb, sizeof(fb));
	TAP_CHECK(ok && na == nb && !memcmp(fa, fb, na - OM_WIRE_TAG_LEN) &&
		  memcmp(fa + na - OM_WIRE_TAG_LEN, fb + nb - OM_WIRE_TAG_LEN,
			 OM_WIRE_TAG_LEN) &&
		  open_copy(&d, fa, na, NULL, 0) == -EBADMSG &&
		  open_copy(&b, fb, nb, NULL, 0) == -EBADMSG &&
		  open_copy(&b, fa, na, NULL, 0) == 0,
		  "integrity: the same frame on a new connection has another tag; neither connection opens the other's");

	/* an older node: its integrity mode (BLAKE2b, value 1) is another one */
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 56, I);
	peer_cfg_mode(&b, OM_WIRE_RESPONDER, 2, KEY_A, 57, I);
	a.s.cfg.mode = OM_WIRE_MODE_INTEGRITY_B2B;	/* as it would send */
	memset(&got, 0, sizeof(got));
	TAP_CHECK(hello_to(&a, &b, h, NULL, &got) == -EPROTONOSUPPORT &&
		  got.mode == OM_WIRE_MODE_INTEGRITY_B2B &&
		  !strcmp(om_wire_mode_name(got.mode), "integrity-blake2b") &&
		  om_wire_session_derive(&b.s) == -EINVAL &&
		  b.s.state == OM_WS_HELLO && b.s.stats.rx_proto == 1,
		  "integrity: an older node's integrity HELLO (BLAKE2b) refused, named integrity-blake2b, no keys");
	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 58);
	peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 59);
	b.s.cfg.mode = OM_WIRE_MODE_INTEGRITY_B2B;
	TAP_CHECK(hello_to(&b, &a, h, NULL, &got) == -EPROTONOSUPPORT &&
		  got.mode == OM_WIRE_MODE_INTEGRITY_B2B &&
		  om_wire_session_derive(&a.s) == -EINVAL,
		  "integrity: a private node refuses an older integrity node as before");
}

/*
 * Integrity mode: the same handshake, keys and replay rules; session
 * bodies in clear under a Poly1305 tag with a one-time key per frame.
 */
static void test_integrity(void)
{
	const u8 I = OM_WIRE_MODE_INTEGRITY, P = OM_WIRE_MODE_PRIVATE;
	u8 h[OM_WIRE_HELLO_FRAME_MAX], f1[256], f2[256], f3[256];
	struct om_wire_hello got;
	struct peer a, b, c;
	char out[256];
	int n, n1, n2, n3, i, ok;

	/* private HELLOs are what they always were: no extension */
	peer_cfg(&a, OM_WIRE_INITIATOR, 1, KEY_A, 31);
	n = om_wire_hello_build(&a.s, 1000, h, sizeof(h));
	TAP_CHECK(n == OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY &&
		  get_unaligned_le32(h + 8) == OM_WIRE_HELLO_BODY,
		  "integrity: a private HELLO is as long as before (no mode attribute)");
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 32, I);
	peer_cfg_mode(&b, OM_WIRE_RESPONDER, 2, KEY_A, 33, I);
	n = om_wire_hello_build(&a.s, 1000, h, sizeof(h));
	TAP_CHECK(n == OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY + 8,
		  "integrity: the HELLO carries the mode attribute (8 bytes more)");
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 32, I);
	TAP_CHECK(hello_to(&a, &b, h, NULL, &got) == 0 &&
		  got.mode == I && b.s.peer.mode == I &&
		  om_wire_session_derive(&b.s) == 0 &&
		  hello_to(&b, &a, h, NULL, &got) == 0 && got.mode == I &&
		  om_wire_session_derive(&a.s) == 0,
		  "integrity: HELLO carries the mode; both ends derive keys");

	n1 = seal(&a, OM_WIRE_T_LOAD, 7, "in the clear", f1, sizeof(f1));
	n2 = seal(&a, OM_WIRE_T_MIG_FIRST, 9, "second", f2, sizeof(f2));
	n3 = seal(&a, OM_WIRE_T_HEARTBEAT, 0, "third", f3, sizeof(f3));
	TAP_CHECK(n1 == OM_WIRE_OVERHEAD + 12 &&
		  !memcmp(f1 + OM_WIRE_HDR_LEN, "in the clear", 12),
		  "integrity: the body goes as it is, the frame keeps its layout");
	TAP_CHECK(open_copy(&b, f1, n1, out, sizeof(out)) == 0 &&
		  !strcmp(out, "in the clear") && b.s.state == OM_WS_AUTHED,
		  "integrity: seal/open round trip authenticates the peer");
	TAP_CHECK(open_copy(&b, f1, n1, NULL, 0) == -EBADMSG &&
		  b.s.stats.rx_replay == 1, "integrity: replayed frame rejected");
	TAP_CHECK(open_copy(&b, f3, n3, NULL, 0) == -EBADMSG &&
		  b.s.stats.rx_replay == 2, "integrity: reordered frame rejected");
	ok = 1;
	for (i = 0; i < n2; i++) {
		u8 t[256];
		int bit;

		for (bit = 0; bit < 8; bit++) {
			struct om_wire_frame f;
			const u8 *pl;
			u32 plen;

			memcpy(t, f2, n2);
			t[i] ^= (u8)(1u << bit);
			if (om_wire_frame_decode(t, n2, &f) == 0)
				TAP_EXPECT(ok, om_wire_open_frame(&b.s, &f, &pl,
								  &plen) == -EBADMSG);
		}
	}
	TAP_CHECK(ok && b.s.stats.rx_auth_fail > 0,
		  "integrity: every flipped bit of header, body or tag rejected");
	TAP_CHECK(open_copy(&b, f2, n2, out, sizeof(out)) == 0 &&
		  !strcmp(out, "second") &&
		  open_copy(&b, f3, n3, out, sizeof(out)) == 0 &&
		  !strcmp(out, "third"),
		  "integrity: stream continues after rejected frames");
	n1 = seal(&b, OM_WIRE_T_BYE, 0, "bye", f1, sizeof(f1));
	TAP_CHECK(open_copy(&a, f1, n1, out, sizeof(out)) == 0 &&
		  !strcmp(out, "bye") && open_copy(&b, f1, n1, NULL, 0) ==
		  -EBADMSG, "integrity: responder to initiator; reflected frame rejected");
	{
		/* the tag is ChaCha20-Poly1305's, the one-time key by hand */
		u8 blk[OM_CHACHA_BLOCK_LEN], iv[OM_WIRE_IV_LEN], lens[16];
		u8 ref[OM_WIRE_TAG_LEN], pad[16] = { 0 };
		struct om_poly1305 st;

		om_wire_make_iv(OM_WIRE_DIR_R2I, get_unaligned_le64(f1 + 16), iv);
		om_chacha20_block(blk, a.rx.key, 0, iv);
		put_unaligned_le64(OM_WIRE_HDR_LEN + OM_WIRE_IV_LEN + 3, lens);
		put_unaligned_le64(0, lens + 8);
		om_poly1305_init(&st, blk);
		om_poly1305_update(&st, f1, OM_WIRE_HDR_LEN);
		om_poly1305_update(&st, iv, OM_WIRE_IV_LEN);
		om_poly1305_update(&st, f1 + OM_WIRE_HDR_LEN, 3);
		/* 24 + 12 + 3 = 39: 9 zeros to 48 */
		om_poly1305_update(&st, pad, 9);
		om_poly1305_update(&st, lens, 16);
		om_poly1305_final(&st, ref);
		TAP_CHECK(!memcmp(ref, f1 + OM_WIRE_HDR_LEN + 3, OM_WIRE_TAG_LEN) &&
			  integrity_tag_ok(a.rx.key, OM_WIRE_DIR_R2I, f1, n1),
			  "integrity: tag = Poly1305 under ChaCha20 block 0 (key of the direction, IV) of header, IV, body, padding, lengths");
	}

	/* mismatch: refused both ways, peer's HELLO reported, no keys */
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 34, I);
	peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 35);
	memset(&got, 0, sizeof(got));
	TAP_CHECK(hello_to(&a, &b, h, NULL, &got) == -EPROTONOSUPPORT &&
		  got.node_id == 1 && got.mode == I && b.s.peer.mode == I &&
		  om_wire_session_derive(&b.s) == -EINVAL &&
		  b.s.state == OM_WS_HELLO,
		  "integrity: integrity HELLO to a private node refused, no keys");
	TAP_CHECK(hello_to(&b, &a, h, NULL, &got) == -EPROTONOSUPPORT &&
		  got.node_id == 2 && got.mode == P &&
		  om_wire_session_derive(&a.s) == -EINVAL,
		  "integrity: private (or older node's) HELLO to an integrity node refused");

	/* even past a comparison bug, the keys differ: nothing opens */
	peer_cfg_mode(&a, OM_WIRE_INITIATOR, 1, KEY_A, 36, I);
	peer_cfg(&b, OM_WIRE_RESPONDER, 2, KEY_A, 37);
	peer_cfg(&c, OM_WIRE_INITIATOR, 1, KEY_A, 36);
	hello_to(&a, &b, h, NULL, NULL);
	b.s.peer.mode = P;
	b.s.version = 1;
	ok = om_wire_session_derive(&b.s) == 0;
	hello_to(&b, &a, h, NULL, NULL);
	a.s.peer.mode = I;
	a.s.version = 1;
	ok = ok && om_wire_session_derive(&a.s) == 0;
	n1 = seal(&a, OM_WIRE_T_LOAD, 0, "clear", f1, sizeof(f1));
	n2 = seal(&b, OM_WIRE_T_LOAD, 0, "secret", f2, sizeof(f2));
	TAP_CHECK(ok && open_copy(&b, f1, n1, NULL, 0) == -EBADMSG &&
		  open_copy(&a, f2, n2, NULL, 0) == -EBADMSG,
		  "integrity: forced past the mode check, neither side opens the other's frames (mode in the key labels)");
	(void)c;

	/* the extension area: unknown attributes skipped, bad ones refused */
	{
		static const struct {
			const char *what;
			u8 ext[16];
			int len, ret;
			u8 mode;
			u32 feat;
		} cases[] = {
			{ "unknown attribute skipped", { 6, 0, 9, 0, 1, 2, 0, 0 }, 8, 0, 0, 0 },
			{ "mode after an unknown one", { 4, 0, 0x33, 0, 5, 0, 1, 0, 2, 0, 0, 0 }, 12, 0, 2, 0 },
			{ "mode without its padding", { 5, 0, 1, 0, 2 }, 5, 0, 2, 0 },
			{ "mode twice", { 5, 0, 1, 0, 2, 0, 0, 0, 5, 0, 1, 0, 2, 0, 0, 0 }, 16, -EPROTO, 0, 0 },
			{ "mode of 2 bytes", { 6, 0, 1, 0, 2, 0, 0, 0 }, 8, -EPROTO, 0, 0 },
			{ "attribute past the end", { 12, 0, 9, 0, 1, 2, 0, 0 }, 8, -EPROTO, 0, 0 },
			{ "attribute shorter than its header", { 3, 0, 9, 0 }, 4, -EPROTO, 0, 0 },
			{ "trailing bytes", { 5, 0, 1, 0, 2, 0, 0, 0, 0, 0 }, 10, -EPROTO, 0, 0 },
			{ "unknown mode value kept (then refused)", { 5, 0, 1, 0, 7, 0, 0, 0 }, 8, -EPROTONOSUPPORT, 7, 0 },
			{ "older integrity (BLAKE2b) kept (then refused)", { 5, 0, 1, 0, 1, 0, 0, 0 }, 8, -EPROTONOSUPPORT, 1, 0 },
			{ "features above bit 7", { 8, 0, 2, 0, 1, 0, 0, 0 }, 8, 0, 0, 0x100 },
			{ "features: value bits 24-31 ignored", { 8, 0, 2, 0, 0, 0, 0, 0xff }, 8, 0, 0, 0 },
			{ "features twice", { 8, 0, 2, 0, 1, 0, 0, 0, 8, 0, 2, 0, 1, 0, 0, 0 }, 16, -EPROTO, 0, 0 },
			{ "features of 2 bytes", { 6, 0, 2, 0, 1, 0, 0, 0 }, 8, -EPROTO, 0, 0 },
			{ "mode and features", { 5, 0, 1, 0, 2, 0, 0, 0, 8, 0, 2, 0, 1, 0, 0, 0 }, 16, 0, 2, 0x100 },
		};
		struct ossl_aead_ctx lt = { 0 };
		u8 key[OM_WIRE_KEY_LEN];
		size_t k;

		memset(key, KEY_A, sizeof(key));
		ossl_aead_ops.setkey(&lt, key, sizeof(key));
		ok = 1;
		for (k = 0; k < ARRAY_SIZE(cases); k++) {
			struct om_wire_hdr hd = { .type = OM_WIRE_T_HELLO };
			struct om_wire_hello p = {
				.node_id = 1, .proto_min = 1, .proto_max = 1,
				.role = OM_WIRE_INITIATOR, .timestamp = 1000,
			};
			struct om_wire_frame f;
			u8 fr[160], *ct = fr + OM_WIRE_HDR_LEN + OM_WIRE_IV_LEN;
			int ctlen = OM_WIRE_HELLO_LEN + cases[k].len, r;

			peer_cfg_mode(&b, OM_WIRE_RESPONDER, 2, KEY_A, 40 + k,
				      cases[k].mode == I ? I : P);
			memset(fr, 0, sizeof(fr));
			hd.len = OM_WIRE_IV_LEN + ctlen;
			om_wire_hdr_encode(&hd, fr);
			memset(p.random, 0x77, sizeof(p.random));
			put_unaligned_le16(p.node_id, ct);
			ct[2] = 1;
			ct[3] = 1;
			put_unaligned_le16(4660, ct + 4);
			ct[6] = OM_WIRE_INITIATOR;
			put_unaligned_le64(p.timestamp, ct + 8);
			memcpy(ct + 16, p.random, sizeof(p.random));
			memcpy(ct + OM_WIRE_HELLO_LEN, cases[k].ext, cases[k].len);
			ossl_aead_ops.seal(&lt, fr + OM_WIRE_HDR_LEN, fr,
					   OM_WIRE_HDR_LEN, ct, ctlen, ct + ctlen);
			memset(&got, 0, sizeof(got));
			r = om_wire_frame_decode(fr, OM_WIRE_OVERHEAD + hd.len, &f);
			if (!r)
				r = om_wire_hello_accept(&b.s, &f, 1000, &got);
			if (r != cases[k].ret ||
			    (r != -EPROTO && got.mode != cases[k].mode) ||
			    (!r && got.features != cases[k].feat)) {
				printf("#   %s: %d mode %u\n", cases[k].what, r,
				       got.mode);
				ok = 0;
			}
		}
		TAP_CHECK(ok, "integrity: HELLO extensions: unknown skipped, unpadded last accepted, duplicate/short/long/trailing refused");
	}
	{
		struct om_wire_config cfg = { 0 };
		struct om_wire_session t;
		u8 key[OM_WIRE_KEY_LEN] = { 1 };
		struct ossl_aead_ctx lt = { 0 };

		cfg.role = OM_WIRE_INITIATOR;
		cfg.node_id = 1;
		cfg.cluster_key = key;
		cfg.aead = &ossl_aead_ops;
		cfg.aead_lt = &lt;
		cfg.hmac = &ossl_hmac_ops;
		cfg.rng = ossl_rng;
		cfg.mode = I;
		ok = om_wire_session_init(&t, &cfg) == -EINVAL;
		cfg.mode = 3;
		cfg.mac = &ossl_mac_ops;
		ok = ok && om_wire_session_init(&t, &cfg) == -EINVAL;
		cfg.mode = OM_WIRE_MODE_INTEGRITY_B2B;
		ok = ok && om_wire_session_init(&t, &cfg) == -EINVAL;
		cfg.mode = I;
		ok = ok && om_wire_session_init(&t, &cfg) == 0;
		om_wire_session_wipe(&t);
		TAP_CHECK(ok && !strcmp(om_wire_mode_name(0), "private") &&
			  !strcmp(om_wire_mode_name(1), "integrity-blake2b") &&
			  !strcmp(om_wire_mode_name(2), "integrity") &&
			  !strcmp(om_wire_mode_name(9), "unknown"),
			  "integrity: needs MAC ops; unknown modes and an older node's refused as ours; mode names");
	}
}

int main(void)
{
	printf("TAP version 13\n");
	test_header();
	test_iv();
	test_hkdf();
	test_rx();
	test_rx_direct();
	test_session();
	test_attach();
	test_features();
	test_integrity();
	test_integrity_poly1305();
	test_poly1305();
	test_tlv();
	test_load();
	test_map();
	test_mig();
	test_siglog();
	test_mfs();
	test_mountinfo();
	test_dfsa_match();
	return tap_done();
}
