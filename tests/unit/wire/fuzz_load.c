// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: LOAD payload (TLV) -> decode -> merge -> re-encode,
 * which must decode again.
 */
#include "om_load.h"
#include "om_tlv.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static u32 fuzz_rng(void *ctx)
{
	u32 *s = ctx;

	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct om_load_entry in[OM_LOAD_WINDOW_MAX], back[OM_LOAD_WINDOW_MAX];
	static u8 out[OM_LOAD_WINDOW_MAX * OM_LOAD_ENTRY_WIRE];
	struct om_load_entry self = { .node = 1, .cpus = 1 };
	struct om_load_table t;
	struct om_tlv_iter it;
	struct om_tlv_attr a;
	u32 seed = 1;
	int n, m, r;

	/* Raw iteration must terminate and stay in bounds */
	om_tlv_iter_init(&it, data, size);
	while ((r = om_tlv_iter_next(&it, &a)) > 0)
		if (a.val + a.len > data + size)
			__builtin_trap();

	n = om_load_decode(data, size, in, OM_LOAD_WINDOW_MAX);
	if (n < 0)
		return 0;
	if (n > OM_LOAD_WINDOW_MAX || om_load_table_init(&t, &self, 8, 30))
		__builtin_trap();
	om_load_merge(&t, in, (u32)n);
	if (t.n > t.cap)
		__builtin_trap();
	m = om_load_encode(&t, OM_LOAD_WINDOW_MAX, fuzz_rng, &seed, out,
			   sizeof(out));
	if (m < 0 || om_load_decode(out, (size_t)m, back,
				    OM_LOAD_WINDOW_MAX) < 1)
		__builtin_trap();
	om_load_table_destroy(&t);
	return 0;
}
