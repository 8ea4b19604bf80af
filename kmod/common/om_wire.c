// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Portable part of the node-to-node protocol: framing, reassembly, HKDF,
 * handshake and replay protection.  Everything that comes off the network
 * is untrusted; each length is checked before use.
 */
#include "om_wire.h"
#ifdef __KERNEL__
#include <crypto/algapi.h>	/* crypto_memneq */
#endif

enum om_wire_rx_state {
	OM_RX_HDR = 0,
	OM_RX_BODY,
	OM_RX_READY,
};

static const char om_info_i2r[] = "openmosix v1 i2r";
static const char om_info_r2i[] = "openmosix v1 r2i";
/*
 * integrity mode's keys: other labels, so no mode opens another's frames
 * (older nodes' BLAKE2b integrity mode used " integrity")
 */
static const char om_info_i2r_int[] = "openmosix v1 i2r poly1305";
static const char om_info_r2i_int[] = "openmosix v1 r2i poly1305";

/* Constant time so a tag/key comparison leaks nothing via timing */
static int om_memneq(const u8 *a, const u8 *b, size_t n)
{
	u8 d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d != 0;
}

/* Tags: the kernel's own constant-time comparison where there is one */
static int om_tag_neq(const u8 *a, const u8 *b)
{
#ifdef __KERNEL__
	return crypto_memneq(a, b, OM_WIRE_TAG_LEN) != 0;
#else
	return om_memneq(a, b, OM_WIRE_TAG_LEN);
#endif
}

/* Zeroing that the compiler may not drop (secrets on the stack) */
static void om_wipe(void *p, size_t n)
{
	om_memzero(p, n);
}

/* ---- HKDF ---- */

int om_hkdf_extract(const struct om_wire_hmac_ops *ops, void *ctx,
		    const u8 *salt, size_t saltlen, const u8 *ikm, size_t ikmlen,
		    u8 prk[OM_WIRE_SHA256_LEN])
{
	static const u8 zero_salt[OM_WIRE_SHA256_LEN];
	struct om_wire_iov iov = { ikm, ikmlen };

	if (!ops || !ops->hmac || (!ikm && ikmlen))
		return -EINVAL;
	/* RFC 5869 2.2: absent salt = HashLen zero bytes */
	if (!salt || !saltlen) {
		salt = zero_salt;
		saltlen = sizeof(zero_salt);
	}
	return ops->hmac(ctx, salt, saltlen, &iov, 1, prk);
}

int om_hkdf_expand(const struct om_wire_hmac_ops *ops, void *ctx,
		   const u8 prk[OM_WIRE_SHA256_LEN], const u8 *info,
		   size_t infolen, u8 *okm, size_t okmlen)
{
	u8 t[OM_WIRE_SHA256_LEN];
	struct om_wire_iov iov[3];
	size_t done = 0, tlen = 0;
	u8 ctr = 0;
	int err = 0;

	if (!ops || !ops->hmac || !okm || (!info && infolen) ||
	    okmlen > 255 * OM_WIRE_SHA256_LEN)
		return -EINVAL;
	while (done < okmlen) {
		size_t n = okmlen - done;

		ctr++;
		iov[0].base = t;	/* T(i-1), empty for i = 1 */
		iov[0].len = tlen;
		iov[1].base = info;
		iov[1].len = infolen;
		iov[2].base = &ctr;
		iov[2].len = 1;
		err = ops->hmac(ctx, prk, OM_WIRE_SHA256_LEN, iov, 3, t);
		if (err)
			break;
		tlen = OM_WIRE_SHA256_LEN;
		if (n > tlen)
			n = tlen;
		memcpy(okm + done, t, n);
		done += n;
	}
	om_wipe(t, sizeof(t));
	return err;
}

int om_hkdf_sha256(const struct om_wire_hmac_ops *ops, void *ctx,
		   const u8 *salt, size_t saltlen, const u8 *ikm, size_t ikmlen,
		   const u8 *info, size_t infolen, u8 *okm, size_t okmlen)
{
	u8 prk[OM_WIRE_SHA256_LEN];
	int err;

	err = om_hkdf_extract(ops, ctx, salt, saltlen, ikm, ikmlen, prk);
	if (!err)
		err = om_hkdf_expand(ops, ctx, prk, info, infolen, okm, okmlen);
	om_wipe(prk, sizeof(prk));
	return err;
}

/* ---- Header ---- */

bool om_wire_type_valid(u8 type)
{
	return (type >= OM_WIRE_T_HELLO && type <= OM_WIRE_T_CTRL_LAST) ||
	       (type >= OM_WIRE_T_MIG_FIRST && type <= OM_WIRE_T_MIG_LAST) ||
	       (type >= OM_WIRE_T_MFS_FIRST && type <= OM_WIRE_T_MFS_LAST);
}

u32 om_wire_type_feature(u8 type)
{
	/* READDIRPLUS, R_DIRENTS_PLUS, BREAK_ALL came after MFS itself */
	if (type == 0x91 || type == 0xa9 || type == 0xb2)
		return OM_WIRE_FEAT_MFS | OM_WIRE_FEAT_MFS_PLUS;
	if (type >= OM_WIRE_T_MFS_FIRST && type <= OM_WIRE_T_MFS_LAST)
		return OM_WIRE_FEAT_MFS;
	/*
	 * OM_MIG_DFSA_VIEW (om_mig.h): older nodes reject the type; the
	 * migration layer announces the bit (migrate/om_dfsa.c)
	 */
	if (type == 0x4d)
		return OM_WIRE_FEAT_DFSA_PATHS;
	/* OM_MIG_PREPARE: only a target that writes pages as they come */
	if (type == 0x4e)
		return OM_WIRE_FEAT_MIG_PGSTREAM;
	return 0;
}

void om_wire_hdr_encode(const struct om_wire_hdr *h, u8 *out)
{
	put_unaligned_le32(OM_WIRE_MAGIC, out);
	out[4] = OM_WIRE_VERSION;
	out[5] = h->type;
	put_unaligned_le16(h->flags, out + 6);
	put_unaligned_le32(h->len, out + 8);
	put_unaligned_le32(h->stream, out + 12);
	put_unaligned_le64(h->seq, out + 16);
}

int om_wire_hdr_decode(const u8 *buf, size_t buflen, u32 max_len,
		       struct om_wire_hdr *h)
{
	if (!buf || buflen < OM_WIRE_HDR_LEN)
		return -EBADMSG;
	if (get_unaligned_le32(buf) != OM_WIRE_MAGIC)
		return -EBADMSG;
	h->version = buf[4];
	h->type = buf[5];
	h->flags = get_unaligned_le16(buf + 6);
	h->len = get_unaligned_le32(buf + 8);
	h->stream = get_unaligned_le32(buf + 12);
	h->seq = get_unaligned_le64(buf + 16);
	if (h->version != OM_WIRE_VERSION)
		return -EPROTO;
	if (!om_wire_type_valid(h->type))
		return -EPROTO;
	if (h->flags & ~OM_WIRE_F_KNOWN)
		return -EPROTO;
	if (!max_len || max_len > OM_WIRE_MAX_PAYLOAD)
		max_len = OM_WIRE_MAX_PAYLOAD;
	if (h->len > max_len)
		return -EMSGSIZE;
	return 0;
}

int om_wire_frame_decode(u8 *buf, size_t buflen, struct om_wire_frame *f)
{
	int err;

	err = om_wire_hdr_decode(buf, buflen, OM_WIRE_MAX_PAYLOAD, &f->hdr);
	if (err)
		return err;
	/* len <= 1 MiB, so the sum cannot overflow */
	if (buflen != (size_t)OM_WIRE_OVERHEAD + f->hdr.len)
		return -EBADMSG;
	f->raw_hdr = buf;
	f->body = buf + OM_WIRE_HDR_LEN;
	return 0;
}

/* ---- Receive reassembly ---- */

void om_wire_rx_init(struct om_wire_rx *rx, u32 max_len)
{
	memset(rx, 0, sizeof(*rx));
	om_wire_rx_set_limit(rx, max_len);
}

void om_wire_rx_destroy(struct om_wire_rx *rx)
{
	if (rx->body)
		om_free(rx->body);
	rx->body = NULL;
	rx->body_cap = 0;
	rx->err = -EINVAL;
}

void om_wire_rx_set_limit(struct om_wire_rx *rx, u32 max_len)
{
	if (!max_len || max_len > OM_WIRE_MAX_PAYLOAD)
		max_len = OM_WIRE_MAX_PAYLOAD;
	rx->max_len = max_len;
}

/* Make room for need bytes; the old body is never needed again */
static int om_wire_rx_reserve(struct om_wire_rx *rx, u32 need)
{
	u8 *p;

	if (rx->body_cap >= need)
		return 0;
	p = om_alloc(need);
	if (!p)
		return -ENOMEM;
	if (rx->body)
		om_free(rx->body);
	rx->body = p;
	rx->body_cap = need;
	return 0;
}

int om_wire_rx_feed(struct om_wire_rx *rx, const u8 *data, size_t len,
		    size_t *consumed)
{
	size_t used = 0;
	int err;

	*consumed = 0;
	if (rx->err)
		return rx->err;
	if (!data && len)
		return -EINVAL;
	if (rx->state == OM_RX_READY) {
		rx->state = OM_RX_HDR;
		rx->hdr_have = 0;
		rx->body_have = 0;
	}
	while (used < len || rx->state == OM_RX_BODY) {
		if (rx->state == OM_RX_HDR) {
			size_t n = OM_WIRE_HDR_LEN - rx->hdr_have;

			if (n > len - used)
				n = len - used;
			memcpy(rx->hdr + rx->hdr_have, data + used, n);
			rx->hdr_have += n;
			used += n;
			if (rx->hdr_have < OM_WIRE_HDR_LEN)
				break;
			/* Validate before buffering anything of the body */
			err = om_wire_hdr_decode(rx->hdr, OM_WIRE_HDR_LEN,
						 rx->max_len, &rx->h);
			if (!err)
				err = om_wire_rx_reserve(rx, rx->h.len +
							 OM_WIRE_TAG_LEN);
			if (err) {
				rx->err = err;
				*consumed = used;
				return err;
			}
			rx->body_have = 0;
			rx->state = OM_RX_BODY;
		} else {
			u32 need = rx->h.len + OM_WIRE_TAG_LEN - rx->body_have;
			size_t n = len - used;

			if (n > need)
				n = need;
			memcpy(rx->body + rx->body_have, data + used, n);
			rx->body_have += n;
			used += n;
			if (rx->body_have == rx->h.len + OM_WIRE_TAG_LEN) {
				rx->state = OM_RX_READY;
				*consumed = used;
				return 1;
			}
			break;
		}
	}
	*consumed = used;
	return 0;
}

u8 *om_wire_rx_direct(struct om_wire_rx *rx, u32 *room)
{
	*room = 0;
	if (rx->err || rx->state != OM_RX_BODY)
		return NULL;
	*room = rx->h.len + OM_WIRE_TAG_LEN - rx->body_have;
	return rx->body + rx->body_have;
}

int om_wire_rx_commit(struct om_wire_rx *rx, size_t n)
{
	if (rx->err)
		return rx->err;
	if (rx->state != OM_RX_BODY ||
	    n > (size_t)rx->h.len + OM_WIRE_TAG_LEN - rx->body_have)
		return -EINVAL;
	rx->body_have += (u32)n;
	if (rx->body_have < rx->h.len + OM_WIRE_TAG_LEN)
		return 0;
	rx->state = OM_RX_READY;
	return 1;
}

int om_wire_rx_frame(struct om_wire_rx *rx, struct om_wire_frame *f)
{
	if (rx->err || rx->state != OM_RX_READY)
		return -EINVAL;
	f->hdr = rx->h;
	f->raw_hdr = rx->hdr;
	f->body = rx->body;
	return 0;
}

/* ---- Session ---- */

void om_wire_make_iv(u32 dir, u64 seq, u8 iv[OM_WIRE_IV_LEN])
{
	put_unaligned_le32(dir, iv);
	put_unaligned_le64(seq, iv + 4);
}

int om_wire_session_init(struct om_wire_session *s,
			 const struct om_wire_config *cfg)
{
	const struct om_wire_aead_ops *a = cfg->aead;
	int err;

	memset(s, 0, sizeof(*s));
	if (cfg->role != OM_WIRE_INITIATOR && cfg->role != OM_WIRE_RESPONDER)
		return -EINVAL;
	if (!cfg->node_id || !cfg->cluster_key || !a || !a->setkey ||
	    !a->seal || !a->open || !cfg->hmac || !cfg->hmac->hmac ||
	    !cfg->rng || cfg->mode > OM_WIRE_MODE_MAX)
		return -EINVAL;
	/* an older node's integrity mode is only ever the peer's */
	if (cfg->mode == OM_WIRE_MODE_INTEGRITY_B2B ||
	    (cfg->mode == OM_WIRE_MODE_INTEGRITY &&
	     (!cfg->mac || !cfg->mac->setkey || !cfg->mac->otk ||
	      !cfg->mac->poly1305)))
		return -EINVAL;
	s->cfg = *cfg;
	s->cfg.cluster_key = NULL;	/* s->ikm keeps it until derive */
	memcpy(s->ikm, cfg->cluster_key, OM_WIRE_KEY_LEN);
	err = cfg->lt_keyed ? 0 : a->setkey(cfg->aead_lt, cfg->cluster_key,
					    OM_WIRE_KEY_LEN);
	if (!err)
		err = cfg->rng(cfg->rng_ctx, s->random, sizeof(s->random));
	if (err) {
		om_wipe(s, sizeof(*s));
		return err;
	}
	if (cfg->role == OM_WIRE_INITIATOR) {
		s->tx_dir = OM_WIRE_DIR_I2R;
		s->rx_dir = OM_WIRE_DIR_R2I;
	} else {
		s->tx_dir = OM_WIRE_DIR_R2I;
		s->rx_dir = OM_WIRE_DIR_I2R;
	}
	/* seq 0 is the HELLO; session frames start at 1 */
	s->tx_seq = 1;
	s->rx_seq = 1;
	s->state = OM_WS_HELLO;
	return 0;
}

int om_wire_session_attach(struct om_wire_session *s, void *aead_tx,
			   void *aead_rx, void *hmac_ctx)
{
	if (s->state != OM_WS_HELLO || !aead_tx || !aead_rx)
		return -EINVAL;
	s->cfg.aead_tx = aead_tx;
	s->cfg.aead_rx = aead_rx;
	s->cfg.hmac_ctx = hmac_ctx;
	return 0;
}

void om_wire_session_wipe(struct om_wire_session *s)
{
	om_wipe(s, sizeof(*s));
}

static void om_wire_hello_put(const struct om_wire_hello *h, u8 *p)
{
	memset(p, 0, OM_WIRE_HELLO_LEN);
	put_unaligned_le16(h->node_id, p);
	p[2] = h->proto_min;
	p[3] = h->proto_max;
	put_unaligned_le16(h->listen_port, p + 4);
	p[6] = h->role;
	p[7] = (u8)h->features;
	put_unaligned_le64(h->timestamp, p + 8);
	memcpy(p + 16, h->random, OM_WIRE_RANDOM_LEN);
}

/*
 * The extensions after the fixed part: the mode, unless it is private,
 * and the features above bit 7, if any; @p may be NULL (size only).
 * Without either, byte for byte the HELLO of older nodes.
 */
static size_t om_wire_hello_put_ext(const struct om_wire_hello *h, u8 *p)
{
	size_t n = 0;

	if (h->mode != OM_WIRE_MODE_PRIVATE) {
		if (p) {
			memset(p, 0, 8);
			put_unaligned_le16(4 + 1, p);
			put_unaligned_le16(OM_WIRE_HX_MODE, p + 2);
			p[4] = h->mode;
		}
		n += 8;
	}
	if (h->features >> 8) {
		if (p) {
			put_unaligned_le16(4 + 4, p + n);
			put_unaligned_le16(OM_WIRE_HX_FEATURES, p + n + 2);
			put_unaligned_le32(h->features >> 8, p + n + 4);
		}
		n += 8;
	}
	return n;
}

/*
 * TLV attributes after the fixed part (om_tlv.h's format, parsed here so
 * that om_wire needs nothing else).  Unknown types are skipped; a MODE
 * that is not one u8, FEATURES that are not one le32, either twice, or a
 * malformed stream is -EPROTO.  An unknown mode value is kept: the mode
 * comparison refuses it.  Feature bits above 31 are dropped.
 */
static int om_wire_hello_get_ext(struct om_wire_hello *h, const u8 *p,
				 size_t len)
{
	bool have_mode = false, have_feat = false;
	size_t off = 0;

	h->mode = OM_WIRE_MODE_PRIVATE;
	while (len - off >= 4) {
		u16 alen = get_unaligned_le16(p + off);
		u16 type = get_unaligned_le16(p + off + 2);

		if (alen < 4 || alen > len - off)
			return -EPROTO;
		if (type == OM_WIRE_HX_MODE) {
			if (alen != 4 + 1 || have_mode)
				return -EPROTO;
			h->mode = p[off + 4];
			have_mode = true;
		} else if (type == OM_WIRE_HX_FEATURES) {
			if (alen != 4 + 4 || have_feat)
				return -EPROTO;
			h->features |= (get_unaligned_le32(p + off + 4) & 0xffffffU) << 8;
			have_feat = true;
		}
		/* the last attribute's padding may be absent */
		off += (alen + 3U) & ~3U;
		if (off > len)
			off = len;
	}
	return off == len ? 0 : -EPROTO;
}

static void om_wire_hello_get(struct om_wire_hello *h, const u8 *p)
{
	h->node_id = get_unaligned_le16(p);
	h->proto_min = p[2];
	h->proto_max = p[3];
	h->listen_port = get_unaligned_le16(p + 4);
	h->role = p[6];
	h->features = p[7];
	h->timestamp = get_unaligned_le64(p + 8);
	memcpy(h->random, p + 16, OM_WIRE_RANDOM_LEN);
}

int om_wire_hello_build(struct om_wire_session *s, u64 now, u8 *out,
			size_t outlen)
{
	struct om_wire_hdr h = {
		.type = OM_WIRE_T_HELLO,
	};
	size_t ext, total;
	struct om_wire_hello me = {
		.node_id = s->cfg.node_id,
		.proto_min = OM_WIRE_VERSION_MIN,
		.proto_max = OM_WIRE_VERSION_MAX,
		.listen_port = s->cfg.listen_port,
		.role = (u8)s->cfg.role,
		.features = s->cfg.features,
		.timestamp = now,
		.mode = s->cfg.mode,
	};
	u8 *iv = out + OM_WIRE_HDR_LEN;
	u8 *ct = iv + OM_WIRE_IV_LEN;
	int err;

	ext = om_wire_hello_put_ext(&me, NULL);
	total = OM_WIRE_OVERHEAD + OM_WIRE_HELLO_BODY + ext;
	h.len = OM_WIRE_HELLO_BODY + ext;
	if (!out || outlen < total)
		return -EMSGSIZE;
	if (s->hello_sent)
		return -EINVAL;
	memcpy(me.random, s->random, sizeof(me.random));
	om_wire_hdr_encode(&h, out);
	/* Random IV: the cluster key is long-lived, no counter to keep */
	err = s->cfg.rng(s->cfg.rng_ctx, iv, OM_WIRE_IV_LEN);
	if (err)
		return err;
	om_wire_hello_put(&me, ct);
	om_wire_hello_put_ext(&me, ct + OM_WIRE_HELLO_LEN);
	err = s->cfg.aead->seal(s->cfg.aead_lt, iv, out, OM_WIRE_HDR_LEN, ct,
				OM_WIRE_HELLO_LEN + ext,
				ct + OM_WIRE_HELLO_LEN + ext);
	if (err)
		return err;
	s->hello_sent = true;
	s->stats.tx_frames++;
	return (int)total;
}

int om_wire_hello_accept(struct om_wire_session *s,
			 const struct om_wire_frame *f, u64 now,
			 struct om_wire_hello *peer)
{
	const struct om_wire_hdr *h = &f->hdr;
	struct om_wire_hello p;
	u8 *ct = f->body + OM_WIRE_IV_LEN;
	u32 ctlen;
	u64 skew;

	if (s->state != OM_WS_HELLO || h->type != OM_WIRE_T_HELLO ||
	    h->seq != 0 || h->stream != 0 || h->flags) {
		s->stats.rx_proto++;
		return -EPROTO;
	}
	if (h->len < OM_WIRE_HELLO_BODY ||
	    h->len > OM_WIRE_IV_LEN + OM_WIRE_HELLO_MAX) {
		s->stats.rx_proto++;
		return -EBADMSG;
	}
	ctlen = h->len - OM_WIRE_IV_LEN;
	if (s->cfg.aead->open(s->cfg.aead_lt, f->body, f->raw_hdr,
			      OM_WIRE_HDR_LEN, ct, ctlen, ct + ctlen)) {
		s->stats.rx_auth_fail++;
		return -EBADMSG;
	}
	om_wire_hello_get(&p, ct);
	if (om_wire_hello_get_ext(&p, ct + OM_WIRE_HELLO_LEN,
				  ctlen - OM_WIRE_HELLO_LEN)) {
		s->stats.rx_proto++;
		return -EPROTO;
	}
	skew = p.timestamp > now ? p.timestamp - now : now - p.timestamp;
	/* Reflection of our own HELLO, or two initiators: refuse */
	if (p.role == (u8)s->cfg.role || p.role > OM_WIRE_RESPONDER ||
	    p.node_id == 0 || p.node_id == s->cfg.node_id ||
	    p.proto_min > p.proto_max || p.proto_max < OM_WIRE_VERSION_MIN ||
	    p.proto_min > OM_WIRE_VERSION_MAX ||
	    (s->cfg.max_skew && skew > s->cfg.max_skew) ||
	    !om_memneq(p.random, s->random, OM_WIRE_RANDOM_LEN)) {
		s->stats.rx_proto++;
		return -EPROTO;
	}
	/* no version: derive refuses, whatever the caller does next */
	if (p.mode != s->cfg.mode) {
		s->stats.rx_proto++;
		s->peer = p;
		if (peer)
			*peer = p;
		return -EPROTONOSUPPORT;
	}
	s->version = p.proto_max < OM_WIRE_VERSION_MAX ? p.proto_max :
			OM_WIRE_VERSION_MAX;
	s->peer = p;
	s->stats.rx_frames++;
	if (peer)
		*peer = p;
	return 0;
}

int om_wire_session_derive(struct om_wire_session *s)
{
	u8 salt[2 * OM_WIRE_RANDOM_LEN];
	u8 prk[OM_WIRE_SHA256_LEN];
	u8 k_i2r[OM_WIRE_KEY_LEN], k_r2i[OM_WIRE_KEY_LEN];
	bool integ = s->cfg.mode == OM_WIRE_MODE_INTEGRITY;
	const char *l_i2r = integ ? om_info_i2r_int : om_info_i2r;
	const char *l_r2i = integ ? om_info_r2i_int : om_info_r2i;
	int (*setkey)(void *ctx, const u8 *key, size_t keylen);
	const u8 *ri, *rr;
	int err;

	if (s->state != OM_WS_HELLO || !s->version || !s->cfg.aead_tx ||
	    !s->cfg.aead_rx || s->peer.mode != s->cfg.mode)
		return -EINVAL;
	setkey = integ ? s->cfg.mac->setkey : s->cfg.aead->setkey;
	ri = s->cfg.role == OM_WIRE_INITIATOR ? s->random : s->peer.random;
	rr = s->cfg.role == OM_WIRE_INITIATOR ? s->peer.random : s->random;
	memcpy(salt, ri, OM_WIRE_RANDOM_LEN);
	memcpy(salt + OM_WIRE_RANDOM_LEN, rr, OM_WIRE_RANDOM_LEN);

	/* The cluster key is the IKM; it is wiped once the keys exist */
	err = om_hkdf_extract(s->cfg.hmac, s->cfg.hmac_ctx, salt, sizeof(salt),
			      s->ikm, sizeof(s->ikm), prk);
	if (!err)
		err = om_hkdf_expand(s->cfg.hmac, s->cfg.hmac_ctx, prk,
				     (const u8 *)l_i2r, strlen(l_i2r), k_i2r,
				     sizeof(k_i2r));
	if (!err)
		err = om_hkdf_expand(s->cfg.hmac, s->cfg.hmac_ctx, prk,
				     (const u8 *)l_r2i, strlen(l_r2i), k_r2i,
				     sizeof(k_r2i));
	if (!err) {
		bool init = s->cfg.role == OM_WIRE_INITIATOR;

		err = setkey(s->cfg.aead_tx, init ? k_i2r : k_r2i,
			     OM_WIRE_KEY_LEN);
		if (!err)
			err = setkey(s->cfg.aead_rx, init ? k_r2i : k_i2r,
				     OM_WIRE_KEY_LEN);
	}
	om_wipe(prk, sizeof(prk));
	om_wipe(k_i2r, sizeof(k_i2r));
	om_wipe(k_r2i, sizeof(k_r2i));
	om_wipe(salt, sizeof(salt));
	if (!err) {
		om_wipe(s->ikm, sizeof(s->ikm));
		s->state = OM_WS_KEYED;
	}
	return err;
}

/*
 * Integrity mode's tag: RFC 8439's ChaCha20-Poly1305 with nothing to
 * encrypt and as associated data what GCM authenticates in private mode
 * (header, IV, body).  The frame's Poly1305 key is ChaCha20 block 0 under
 * the direction key with the IV as nonce: the IV (direction, seq) never
 * repeats under one key, and keys are new per connection, so no Poly1305
 * key is used twice.  The padding and the two lengths are the AEAD's.
 */
int om_wire_integrity_tag(const struct om_wire_mac_ops *ops, void *ctx,
			  const u8 iv[OM_WIRE_IV_LEN], const u8 *aad,
			  const u8 *buf, u32 len, u8 tag[OM_WIRE_TAG_LEN])
{
	static const u8 zero[16];
	const u64 adlen = OM_WIRE_HDR_LEN + OM_WIRE_IV_LEN + (u64)len;
	struct om_wire_iov iov[5] = {
		{ aad, OM_WIRE_HDR_LEN }, { iv, OM_WIRE_IV_LEN }, { buf, len },
		{ zero, (16 - adlen % 16) % 16 }, { NULL, 16 },
	};
	u8 otk[OM_WIRE_OTK_LEN], lens[16];
	int err;

	put_unaligned_le64(adlen, lens);
	put_unaligned_le64(0, lens + 8);	/* no ciphertext */
	iov[4].base = lens;
	err = ops->otk(ctx, iv, otk);
	if (!err)
		err = ops->poly1305(otk, iov, ARRAY_SIZE(iov), tag);
	om_wipe(otk, sizeof(otk));
	return err;
}

int om_wire_seal_frame(struct om_wire_session *s, u8 type, u16 flags,
		       u32 stream, const u8 *payload, u32 len, u8 *out,
		       size_t outlen)
{
	struct om_wire_hdr h = {
		.type = type,
		.flags = flags,
		.len = len,
		.stream = stream,
	};
	u8 iv[OM_WIRE_IV_LEN];
	u8 *body = out + OM_WIRE_HDR_LEN;
	int err;

	if (s->state == OM_WS_HELLO || !s->hello_sent ||
	    type == OM_WIRE_T_HELLO || !om_wire_type_valid(type) ||
	    (flags & ~OM_WIRE_F_KNOWN) || (!payload && len))
		return -EINVAL;
	if (len > OM_WIRE_MAX_PAYLOAD || !out ||
	    outlen < (size_t)OM_WIRE_OVERHEAD + len)
		return -EMSGSIZE;
	/* Never reuse an IV; rekeying is a new connection */
	if (s->tx_seq == ~0ULL)
		return -EPROTO;
	h.seq = s->tx_seq;
	if (payload != body && len)
		memmove(body, payload, len);
	om_wire_hdr_encode(&h, out);
	om_wire_make_iv(s->tx_dir, h.seq, iv);
	if (s->cfg.mode == OM_WIRE_MODE_INTEGRITY)
		err = om_wire_integrity_tag(s->cfg.mac, s->cfg.aead_tx, iv,
					    out, body, len, body + len);
	else
		err = s->cfg.aead->seal(s->cfg.aead_tx, iv, out,
					OM_WIRE_HDR_LEN, body, len, body + len);
	if (err)
		return err;
	s->tx_seq++;
	s->stats.tx_frames++;
	return (int)(OM_WIRE_OVERHEAD + len);
}

int om_wire_open_frame(struct om_wire_session *s, const struct om_wire_frame *f,
		       const u8 **payload, u32 *plen)
{
	const struct om_wire_hdr *h = &f->hdr;
	u8 iv[OM_WIRE_IV_LEN];

	if (s->state == OM_WS_HELLO || h->type == OM_WIRE_T_HELLO ||
	    !om_wire_type_valid(h->type) || h->len > OM_WIRE_MAX_PAYLOAD) {
		s->stats.rx_proto++;
		return -EPROTO;
	}
	/* TCP is ordered: anything but the next seq is a replay or a drop */
	if (h->seq != s->rx_seq || s->rx_seq == ~0ULL) {
		s->stats.rx_replay++;
		return -EBADMSG;
	}
	om_wire_make_iv(s->rx_dir, h->seq, iv);
	if (s->cfg.mode == OM_WIRE_MODE_INTEGRITY) {
		u8 tag[OM_WIRE_TAG_LEN];

		if (om_wire_integrity_tag(s->cfg.mac, s->cfg.aead_rx, iv,
					  f->raw_hdr, f->body, h->len, tag) ||
		    om_tag_neq(tag, f->body + h->len)) {
			s->stats.rx_auth_fail++;
			return -EBADMSG;
		}
	} else if (s->cfg.aead->open(s->cfg.aead_rx, iv, f->raw_hdr,
				     OM_WIRE_HDR_LEN, f->body, h->len,
				     f->body + h->len)) {
		s->stats.rx_auth_fail++;
		return -EBADMSG;
	}
	s->rx_seq++;
	s->stats.rx_frames++;
	s->state = OM_WS_AUTHED;
	*payload = f->body;
	*plen = h->len;
	return 0;
}

const char *om_wire_mode_name(u8 mode)
{
	switch (mode) {
	case OM_WIRE_MODE_PRIVATE:
		return "private";
	case OM_WIRE_MODE_INTEGRITY:
		return "integrity";
	case OM_WIRE_MODE_INTEGRITY_B2B:
		return "integrity-blake2b";
	default:
		return "unknown";
	}
}
