// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: LOAD payload (TLV: entries, member records, PULL,
 * PULLED) -> decode -> merge -> answer a PULL / take a PULLED -> re-encode
 * a push with a PULL and the answer, which must decode again.
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
	static struct om_load_entry in[OM_LOAD_MSG_MAX], back[OM_LOAD_MSG_MAX];
	static u8 out[OM_LOAD_PAYLOAD_MAX];
	struct om_load_entry self = { .node = 1, .cpus = 1 };
	struct om_load_range r;
	struct om_load_table t;
	struct om_load_msg m, m2;
	struct om_tlv_iter it;
	struct om_tlv_attr a;
	u32 seed = 1;
	int n, k;

	/* Raw iteration must terminate and stay in bounds */
	om_tlv_iter_init(&it, data, size);
	while ((n = om_tlv_iter_next(&it, &a)) > 0)
		if (a.val + a.len > data + size)
			__builtin_trap();

	n = om_load_decode_msg(data, size, in, OM_LOAD_MSG_MAX, &m);
	if (n < 0)
		return 0;
	if (n > OM_LOAD_MSG_MAX || (m.pull && m.pulled) ||
	    (m.pull && (!m.req.from || !m.req.to)) ||
	    (m.pulled && (!m.done.from || !m.done.to)) ||
	    om_load_table_init(&t, &self, 8, 30))
		__builtin_trap();
	om_load_merge(&t, in, (u32)n);
	if (t.n > t.cap)
		__builtin_trap();
	if (m.pulled)
		om_load_pull_answered(&t, &m.done);
	if (m.pull) {
		k = om_load_encode_answer(&t, 2, &m.req, OM_LOAD_WINDOW_MAX, out,
					  sizeof(out));
		if (k < 0 || om_load_decode_msg(out, (size_t)k, back,
						OM_LOAD_MSG_MAX, &m2) < 1 ||
		    !m2.pulled || m2.done.from != m.req.from)
			__builtin_trap();
	}
	t.sample = OM_LOAD_MEMBERS_MAX;
	k = om_load_encode(&t, OM_LOAD_WINDOW_MAX, fuzz_rng, &seed, out,
			   sizeof(out));
	if (k < 0)
		__builtin_trap();
	if (om_load_pull_next(&t, seed, &r))
		k = om_load_put_pull(out, (size_t)k, sizeof(out), &r);
	if (k < 0 || om_load_decode_msg(out, (size_t)k, back, OM_LOAD_MSG_MAX,
					&m2) < 1)
		__builtin_trap();
	om_load_table_destroy(&t);
	return 0;
}
