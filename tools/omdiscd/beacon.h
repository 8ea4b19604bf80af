/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omdiscd beacons: what a node broadcasts so that peers learn it.
 *
 * Wire format (72 bytes, big endian):
 *    0  magic "OMDB"         4
 *    4  version (1)          1
 *    5  reserved, 0          1
 *    6  node id              2
 *    8  IPv4 address         4   (the sender's, network order)
 *   12  cluster port         2   (0 = the kernel's default)
 *   14  reserved, 0          2
 *   16  timestamp, unix ms   8
 *   24  nonce               16   (random per beacon)
 *   40  HMAC-SHA256         32   over bytes 0..39, keyed with
 *                                HMAC-SHA256(cluster key, "openmosix discovery v1")
 *
 * The MAC key is derived so that the cluster key itself is never used for
 * two purposes (the kernel uses it for the transport).
 */
#ifndef _OM_BEACON_H
#define _OM_BEACON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OMB_MAGIC	0x4f4d4442u	/* "OMDB" */
#define OMB_VERSION	1
#define OMB_BODY_LEN	40
#define OMB_MAC_LEN	32
#define OMB_LEN		(OMB_BODY_LEN + OMB_MAC_LEN)
#define OMB_NONCE_LEN	16
#define OMB_KEY_LEN	32
#define OMB_MAX_SKEW_MS	30000
#define OMB_REPLAY_SLOTS 4096

struct om_beacon {
	uint16_t id;
	uint32_t addr;		/* network order */
	uint16_t port;
	uint64_t ts_ms;
	uint8_t nonce[OMB_NONCE_LEN];
};

enum omb_result {
	OMB_OK = 0,
	OMB_ELEN,		/* not exactly OMB_LEN bytes */
	OMB_EMAGIC,
	OMB_EVERSION,
	OMB_EMAC,		/* wrong key or tampered */
	OMB_EFIELD,		/* authentic but nonsense (id 0, reserved bits) */
	OMB_ESTALE,		/* timestamp off by more than OMB_MAX_SKEW_MS */
	OMB_EREPLAY,		/* nonce seen before */
};

/* Replay cache: nonces seen within the skew window. */
struct omb_replay {
	struct {
		uint8_t nonce[OMB_NONCE_LEN];
		uint64_t ts_ms;
		bool used;
	} slot[OMB_REPLAY_SLOTS];
};

/* mac_key = HMAC-SHA256(cluster_key, "openmosix discovery v1"); 0 or -1 */
int omb_derive_key(const uint8_t cluster_key[OMB_KEY_LEN],
		   uint8_t mac_key[OMB_KEY_LEN]);
/* Writes OMB_LEN bytes; 0 or -1 (crypto failure) */
int omb_encode(const struct om_beacon *b, const uint8_t mac_key[OMB_KEY_LEN],
	       uint8_t out[OMB_LEN]);
/* Checks length, header, MAC (constant time) and timestamp against now. */
enum omb_result omb_decode(const uint8_t *buf, size_t len,
			   const uint8_t mac_key[OMB_KEY_LEN], uint64_t now_ms,
			   struct om_beacon *b);
/* OMB_OK and remembers the nonce, or OMB_EREPLAY. Call after omb_decode. */
enum omb_result omb_replay_check(struct omb_replay *r, const struct om_beacon *b,
				 uint64_t now_ms);
const char *omb_strerror(enum omb_result r);

#endif /* _OM_BEACON_H */
