// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Beacon encoding and verification (see beacon.h), kept free of sockets
 * so that it is unit tested and fuzzed on its own.
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "beacon.h"

static const char omb_label[] = "openmosix discovery v1";

int omb_derive_key(const uint8_t cluster_key[OMB_KEY_LEN],
		   uint8_t mac_key[OMB_KEY_LEN])
{
	unsigned int len = OMB_KEY_LEN;

	if (!HMAC(EVP_sha256(), cluster_key, OMB_KEY_LEN,
		  (const unsigned char *)omb_label, sizeof(omb_label) - 1,
		  mac_key, &len) || len != OMB_KEY_LEN)
		return -1;
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static int mac(const uint8_t mac_key[OMB_KEY_LEN], const uint8_t *body,
	       uint8_t out[OMB_MAC_LEN])
{
	unsigned int len = OMB_MAC_LEN;

	if (!HMAC(EVP_sha256(), mac_key, OMB_KEY_LEN, body, OMB_BODY_LEN, out,
		  &len) || len != OMB_MAC_LEN)
		return -1;
	return 0;
}

int omb_encode(const struct om_beacon *b, const uint8_t mac_key[OMB_KEY_LEN],
	       uint8_t out[OMB_LEN])
{
	memset(out, 0, OMB_LEN);
	put32(out, OMB_MAGIC);
	out[4] = OMB_VERSION;
	put16(out + 6, b->id);
	memcpy(out + 8, &b->addr, 4);	/* already network order */
	put16(out + 12, b->port);
	put32(out + 16, b->ts_ms >> 32);
	put32(out + 20, b->ts_ms);
	memcpy(out + 24, b->nonce, OMB_NONCE_LEN);
	return mac(mac_key, out, out + OMB_BODY_LEN);
}

enum omb_result omb_decode(const uint8_t *buf, size_t len,
			   const uint8_t mac_key[OMB_KEY_LEN], uint64_t now_ms,
			   struct om_beacon *b)
{
	uint8_t want[OMB_MAC_LEN];
	uint64_t ts;

	if (len != OMB_LEN)
		return OMB_ELEN;
	/* Public header first: a newer version deserves its own message. */
	if (get32(buf) != OMB_MAGIC)
		return OMB_EMAGIC;
	if (buf[4] != OMB_VERSION)
		return OMB_EVERSION;
	if (mac(mac_key, buf, want) ||
	    CRYPTO_memcmp(want, buf + OMB_BODY_LEN, OMB_MAC_LEN))
		return OMB_EMAC;
	if (buf[5] || get16(buf + 14) || !get16(buf + 6))
		return OMB_EFIELD;
	ts = (uint64_t)get32(buf + 16) << 32 | get32(buf + 20);
	if (ts > now_ms + OMB_MAX_SKEW_MS || ts + OMB_MAX_SKEW_MS < now_ms)
		return OMB_ESTALE;
	b->id = get16(buf + 6);
	memcpy(&b->addr, buf + 8, 4);
	b->port = get16(buf + 12);
	b->ts_ms = ts;
	memcpy(b->nonce, buf + 24, OMB_NONCE_LEN);
	return OMB_OK;
}

/*
 * Open addressing on the (random) nonce.  Entries older than twice the
 * skew window can no longer pass omb_decode, so they are free to reuse;
 * a full probe run evicts the oldest, which only matters under a flood
 * of more than OMB_REPLAY_SLOTS beacons per minute.
 */
enum omb_result omb_replay_check(struct omb_replay *r, const struct om_beacon *b,
				 uint64_t now_ms)
{
	unsigned int h = get32(b->nonce) % OMB_REPLAY_SLOTS, victim = h;
	uint64_t oldest = UINT64_MAX;

	for (unsigned int i = 0; i < 16; i++) {
		unsigned int s = (h + i) % OMB_REPLAY_SLOTS;

		if (r->slot[s].used &&
		    !memcmp(r->slot[s].nonce, b->nonce, OMB_NONCE_LEN))
			return OMB_EREPLAY;
		if (!r->slot[s].used ||
		    r->slot[s].ts_ms + 2 * OMB_MAX_SKEW_MS < now_ms) {
			oldest = 0;
			victim = s;
		} else if (oldest && r->slot[s].ts_ms < oldest) {
			oldest = r->slot[s].ts_ms;
			victim = s;
		}
	}
	memcpy(r->slot[victim].nonce, b->nonce, OMB_NONCE_LEN);
	r->slot[victim].ts_ms = b->ts_ms;
	r->slot[victim].used = true;
	return OMB_OK;
}

const char *omb_strerror(enum omb_result r)
{
	switch (r) {
	case OMB_OK:		return "ok";
	case OMB_ELEN:		return "wrong length";
	case OMB_EMAGIC:	return "not a beacon";
	case OMB_EVERSION:	return "unsupported beacon version";
	case OMB_EMAC:		return "bad MAC (wrong cluster key or tampered)";
	case OMB_EFIELD:	return "invalid field";
	case OMB_ESTALE:	return "stale timestamp (clock skew over 30 s?)";
	case OMB_EREPLAY:	return "replayed";
	}
	return "unknown error";
}
