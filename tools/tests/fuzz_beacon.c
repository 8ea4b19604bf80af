// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: omb_decode on arbitrary datagrams must never crash
 * and must never accept anything it did not encode itself.
 */
#include <stdlib.h>
#include <string.h>

#include "beacon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[OMB_KEY_LEN] = { 1, 2, 3 };
	static struct omb_replay rc;
	struct om_beacon b, again;
	uint8_t buf[OMB_LEN];
	uint64_t now = 1767225600000ull;

	/* Inputs may carry a timestamp in range; decode with several "now"s. */
	if (omb_decode(data, size, key, now, &b) == OMB_OK) {
		/* Only a forged MAC could get here: encode must agree. */
		if (omb_encode(&b, key, buf) || memcmp(buf, data, OMB_LEN))
			abort();
		omb_replay_check(&rc, &b, now);
	}
	/* And the encoder on fuzzed fields round trips. */
	if (size >= 32) {
		memset(&b, 0, sizeof(b));
		memcpy(&b.id, data, 2);
		memcpy(&b.addr, data + 2, 4);
		memcpy(&b.port, data + 6, 2);
		memcpy(b.nonce, data + 16, OMB_NONCE_LEN);
		b.id |= 1;
		b.ts_ms = now;
		if (omb_encode(&b, key, buf) ||
		    omb_decode(buf, OMB_LEN, key, now, &again) != OMB_OK ||
		    again.id != b.id || again.addr != b.addr || again.port != b.port)
			abort();
	}
	return 0;
}
