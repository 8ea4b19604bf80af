// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: TCP byte stream -> rx reassembly -> HELLO -> session
 * frames, as a responder with a fixed cluster key.  The first input byte
 * picks the chunk size (bits 0..6) so split points get explored too, and
 * the wire mode (bit 7: integrity).
 */
#include "crypto_ossl.h"
#include "fuzz_common.h"
#include "om_wire.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ossl_aead_ctx lt, tx, rx_ctx;
	struct ossl_test_rng rng = { FUZZ_SEED_R };
	struct om_wire_config cfg = { 0 };
	struct om_wire_session s;
	struct om_wire_frame f;
	struct om_wire_rx rx;
	u8 key[OM_WIRE_KEY_LEN], copy[256];
	size_t chunk, pos = 0, used;
	int ret;

	if (!size)
		return 0;
	chunk = (size_t)(data[0] & 0x7f) + 1;
	cfg.mode = data[0] & 0x80 ? OM_WIRE_MODE_INTEGRITY :
				    OM_WIRE_MODE_PRIVATE;
	data++;
	size--;

	/* Whole input as one datagram-style frame */
	if (size <= sizeof(copy)) {
		memcpy(copy, data, size);
		om_wire_frame_decode(copy, size, &f);
	}

	memset(key, FUZZ_KEY_BYTE, sizeof(key));
	memset(&lt, 0, sizeof(lt));
	memset(&tx, 0, sizeof(tx));
	memset(&rx_ctx, 0, sizeof(rx_ctx));
	cfg.role = OM_WIRE_RESPONDER;
	cfg.node_id = 2;
	cfg.cluster_key = key;
	cfg.aead = &ossl_aead_ops;
	cfg.aead_lt = &lt;
	cfg.aead_tx = &tx;
	cfg.aead_rx = &rx_ctx;
	cfg.hmac = &ossl_hmac_ops;
	cfg.mac = &ossl_mac_ops;
	cfg.rng = ossl_rng;
	cfg.rng_ctx = &rng;
	if (om_wire_session_init(&s, &cfg))
		__builtin_trap();
	om_wire_rx_init(&rx, OM_WIRE_IV_LEN + OM_WIRE_HELLO_MAX);
	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk;
		u32 room;
		u8 *to = om_wire_rx_direct(&rx, &room);

		/* odd chunk sizes take bodies the transport's direct way */
		if (to && (chunk & 1)) {
			if (!room)
				__builtin_trap();
			used = n < room ? n : room;
			memcpy(to, data + pos, used);
			ret = om_wire_rx_commit(&rx, used);
		} else {
			ret = om_wire_rx_feed(&rx, data + pos, n, &used);
		}
		if (ret < 0)
			break;
		if (used > n)
			__builtin_trap();
		pos += used;
		if (ret == 1) {
			const u8 *pl;
			u32 plen;

			if (om_wire_rx_frame(&rx, &f))
				__builtin_trap();
			if (s.state == OM_WS_HELLO) {
				if (!om_wire_hello_accept(&s, &f, FUZZ_NOW,
							  NULL) &&
				    !om_wire_session_derive(&s))
					om_wire_rx_set_limit(&rx, 0);
			} else if (!om_wire_open_frame(&s, &f, &pl, &plen)) {
				if (plen != f.hdr.len || pl != f.body)
					__builtin_trap();
			}
		}
	}
	om_wire_rx_destroy(&rx);
	om_wire_session_wipe(&s);
	return 0;
}
