// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests of the omdiscd beacon code, TAP output.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../omdiscd/beacon.h"

static int n, failed;

static void ok(int cond, const char *desc)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - beacon: %s\n", cond ? "" : "not ", n, desc);
}

static const uint64_t now = 1767225600000ull;	/* 2026-01-01 */

static void make(struct om_beacon *b, uint64_t ts)
{
	memset(b, 0, sizeof(*b));
	b->id = 3;
	b->addr = htonl(0x0a4d0003);
	b->port = 5428;
	b->ts_ms = ts;
	for (int i = 0; i < OMB_NONCE_LEN; i++)
		b->nonce[i] = rand();
}

int main(void)
{
	uint8_t ck[OMB_KEY_LEN], key[OMB_KEY_LEN], key2[OMB_KEY_LEN];
	uint8_t buf[OMB_LEN + 1], tmp[OMB_LEN + 1];
	struct omb_replay *rc = calloc(1, sizeof(*rc));
	struct om_beacon b, got;
	int bad;

	for (int i = 0; i < OMB_KEY_LEN; i++)
		ck[i] = i * 7 + 1;
	ok(!omb_derive_key(ck, key) && memcmp(ck, key, sizeof(key)),
	   "key derivation differs from the cluster key");
	ck[0] ^= 1;
	ok(!omb_derive_key(ck, key2) && memcmp(key, key2, sizeof(key)),
	   "different cluster key, different MAC key");

	make(&b, now);
	ok(!omb_encode(&b, key, buf), "encode");
	ok(omb_decode(buf, OMB_LEN, key, now, &got) == OMB_OK &&
	   got.id == b.id && got.addr == b.addr && got.port == b.port &&
	   got.ts_ms == b.ts_ms && !memcmp(got.nonce, b.nonce, OMB_NONCE_LEN),
	   "good beacon round trip");

	bad = 0;
	for (int i = 0; i < OMB_LEN; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(tmp, buf, OMB_LEN);
			tmp[i] ^= 1 << bit;
			if (omb_decode(tmp, OMB_LEN, key, now, &got) == OMB_OK)
				bad++;
		}
	}
	ok(!bad, "every bit of every byte flipped is rejected");
	memcpy(tmp, buf, OMB_LEN);
	tmp[50] ^= 0xff;
	ok(omb_decode(tmp, OMB_LEN, key, now, &got) == OMB_EMAC, "flipped MAC byte: bad MAC");

	ok(omb_decode(buf, OMB_LEN, key2, now, &got) == OMB_EMAC, "wrong key rejected");

	bad = 0;
	for (size_t len = 0; len < OMB_LEN; len++)
		if (omb_decode(buf, len, key, now, &got) != OMB_ELEN)
			bad++;
	ok(!bad, "every truncation rejected");
	memcpy(tmp, buf, OMB_LEN);
	tmp[OMB_LEN] = 0;
	ok(omb_decode(tmp, OMB_LEN + 1, key, now, &got) == OMB_ELEN, "trailing byte rejected");

	make(&b, now - OMB_MAX_SKEW_MS - 1);
	omb_encode(&b, key, buf);
	ok(omb_decode(buf, OMB_LEN, key, now, &got) == OMB_ESTALE, "stale (31 s old) rejected");
	make(&b, now + OMB_MAX_SKEW_MS + 1);
	omb_encode(&b, key, buf);
	ok(omb_decode(buf, OMB_LEN, key, now, &got) == OMB_ESTALE, "future (31 s ahead) rejected");
	make(&b, now - OMB_MAX_SKEW_MS + 1000);
	omb_encode(&b, key, buf);
	ok(omb_decode(buf, OMB_LEN, key, now, &got) == OMB_OK, "29 s skew accepted");

	make(&b, now);
	b.id = 0;
	omb_encode(&b, key, buf);
	ok(omb_decode(buf, OMB_LEN, key, now, &got) == OMB_EFIELD, "node id 0 rejected");

	make(&b, now);
	omb_encode(&b, key, buf);
	ok(omb_decode(buf, OMB_LEN, key, now, &got) == OMB_OK &&
	   omb_replay_check(rc, &got, now) == OMB_OK, "first sighting accepted");
	ok(omb_decode(buf, OMB_LEN, key, now + 500, &got) == OMB_OK &&
	   omb_replay_check(rc, &got, now + 500) == OMB_EREPLAY, "replayed nonce rejected");

	/* Many distinct beacons: none is a false replay, all replays caught. */
	bad = 0;
	{
		enum { M = 1000 };
		static struct om_beacon many[M];

		for (int i = 0; i < M; i++) {
			make(&many[i], now);
			if (omb_replay_check(rc, &many[i], now) != OMB_OK)
				bad++;
		}
		for (int i = 0; i < M; i++)
			if (omb_replay_check(rc, &many[i], now) != OMB_EREPLAY)
				bad++;
	}
	ok(!bad, "replay cache: 1000 fresh nonces pass, their replays caught");

	printf("1..%d\n", n);
	free(rc);
	return failed ? 1 : 0;
}
