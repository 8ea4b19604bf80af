// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_tlv and om_load.
 */
#include "tap.h"
#include "tests.h"
#include "om_tlv.h"
#include "om_load.h"

enum { A_U8 = 1, A_U16, A_U32, A_U64, A_BIN, A_EXACT, A_STR, A_FLAG, A_NEST,
       A_MAX = A_NEST };
enum { N_VAL = 1, N_MAX = N_VAL };

static const struct om_tlv_policy inner_pol[N_MAX + 1] = {
	[N_VAL] = { .kind = OM_TLV_U32, .flags = OM_TLV_P_REQUIRED },
};
static const struct om_tlv_pset inner_ps = {
	.policy = inner_pol, .maxtype = N_MAX, .reject_unknown = true,
};
static const struct om_tlv_policy pol[A_MAX + 1] = {
	[A_U8] = { .kind = OM_TLV_U8 },
	[A_U16] = { .kind = OM_TLV_U16 },
	[A_U32] = { .kind = OM_TLV_U32, .flags = OM_TLV_P_REQUIRED },
	[A_U64] = { .kind = OM_TLV_U64 },
	[A_BIN] = { .kind = OM_TLV_BINARY, .len = 8 },
	[A_EXACT] = { .kind = OM_TLV_BINARY, .flags = OM_TLV_P_EXACT, .len = 3 },
	[A_STR] = { .kind = OM_TLV_STRING, .len = 16 },
	[A_FLAG] = { .kind = OM_TLV_FLAG },
	[A_NEST] = { .kind = OM_TLV_NESTED, .nested = &inner_ps,
		     .flags = OM_TLV_P_MULTI },
};
static const struct om_tlv_pset ps_skip = { pol, A_MAX, false };
static const struct om_tlv_pset ps_strict = { pol, A_MAX, true };

/* Build a raw attribute by hand (for malformed cases) */
static size_t raw(u8 *p, u16 len, u16 type, const void *val, size_t vlen)
{
	put_unaligned_le16(len, p);
	put_unaligned_le16(type, p + 2);
	memcpy(p + 4, val, vlen);
	return OM_TLV_ALIGN(4 + vlen);
}

static int parse1(u16 type, const void *val, size_t vlen)
{
	struct om_tlv_attr tb[A_MAX + 1];
	u8 buf[64];
	size_t n = 0;
	u32 req = 1;

	memset(buf, 0, sizeof(buf));
	n += raw(buf + n, 8, A_U32, &req, 4);
	n += raw(buf + n, (u16)(4 + vlen), type, val, vlen);
	return om_tlv_parse(buf, n, &ps_skip, tb);
}

static void test_tlv_build_parse(void)
{
	struct om_tlv_attr tb[A_MAX + 1], nb[N_MAX + 1];
	u8 buf[256];
	struct om_tlv_buf b;
	int nest, ok = 1;
	size_t i, full;

	om_tlv_buf_init(&b, buf, sizeof(buf));
	ok = !om_tlv_put_u8(&b, A_U8, 0xab) && !om_tlv_put_u16(&b, A_U16, 0xbeef) &&
	     !om_tlv_put_u32(&b, A_U32, 0xdeadbeef) &&
	     !om_tlv_put_u64(&b, A_U64, 0x0102030405060708ULL) &&
	     !om_tlv_put(&b, A_BIN, "12345", 5) &&
	     !om_tlv_put(&b, A_EXACT, "abc", 3) &&
	     !om_tlv_put(&b, A_STR, "hello", 5) && !om_tlv_put_flag(&b, A_FLAG);
	nest = om_tlv_nest_start(&b, A_NEST);
	ok = ok && nest >= 0 && !om_tlv_put_u32(&b, N_VAL, 42) &&
	     !om_tlv_nest_end(&b, nest);
	nest = om_tlv_nest_start(&b, A_NEST);
	ok = ok && nest >= 0 && !om_tlv_put_u32(&b, N_VAL, 43) &&
	     !om_tlv_nest_end(&b, nest);
	TAP_CHECK(ok && b.len % 4 == 0, "tlv: build all kinds, 4-byte aligned");
	TAP_CHECK(om_tlv_parse(buf, b.len, &ps_strict, tb) == 0 &&
		  om_tlv_get_u8(&tb[A_U8]) == 0xab &&
		  om_tlv_get_u16(&tb[A_U16]) == 0xbeef &&
		  om_tlv_get_u32(&tb[A_U32]) == 0xdeadbeef &&
		  om_tlv_get_u64(&tb[A_U64]) == 0x0102030405060708ULL &&
		  tb[A_BIN].len == 5 && !memcmp(tb[A_BIN].val, "12345", 5) &&
		  tb[A_FLAG].val && tb[A_FLAG].len == 0 && tb[A_NEST].nested,
		  "tlv: parse round trip");
	TAP_CHECK(om_tlv_parse_nested(&tb[A_NEST], &inner_ps, nb) == 0 &&
		  om_tlv_get_u32(&nb[N_VAL]) == 42,
		  "tlv: nested parse");
	full = b.len;
	ok = 1;
	for (i = 0; i < full; i++) {
		int r = om_tlv_parse(buf, i, &ps_strict, tb);

		/* A cut on an attribute boundary is a shorter valid stream */
		TAP_EXPECT(ok, r == 0 || r == -EBADMSG || r == -EINVAL);
	}
	TAP_CHECK(ok, "tlv: truncated at every byte never misparses");

	/* Builder bounds: failing puts leave the buffer unchanged */
	om_tlv_buf_init(&b, buf, 10);
	ok = !om_tlv_put_u32(&b, A_U32, 1) && b.len == 8 &&
	     om_tlv_put_u32(&b, A_U32, 2) == -EMSGSIZE && b.len == 8 &&
	     om_tlv_put_u8(&b, A_U8, 1) == -EMSGSIZE && b.len == 8 &&
	     om_tlv_put(&b, 0, NULL, 0) == -EINVAL &&
	     om_tlv_put(&b, 0x8001, NULL, 0) == -EINVAL;
	TAP_CHECK(ok, "tlv: builder bounds checks");
	{
		u8 *v;

		memset(buf, 0xff, sizeof(buf));
		om_tlv_buf_init(&b, buf, 16);
		v = om_tlv_put_reserve(&b, A_BIN, 5);
		ok = v == buf + 4 && b.len == 12 && !v[0] && !v[4] && !v[7] &&
		     get_unaligned_le16(buf) == 9;
		ok = ok && !om_tlv_put_reserve(&b, A_BIN, 1) && b.len == 12 &&
		     !om_tlv_put_reserve(&b, 0, 0) &&
		     !om_tlv_put_reserve(&b, 0x8001, 0) && b.len == 12 &&
		     om_tlv_put_reserve(&b, A_FLAG, 0) && b.len == 16;
		TAP_CHECK(ok, "tlv: put_reserve zeroes its value, checks room and type");
	}
	om_tlv_buf_init(&b, buf, sizeof(buf));
	nest = om_tlv_nest_start(&b, A_NEST);
	om_tlv_put_u32(&b, N_VAL, 1);
	om_tlv_nest_cancel(&b, nest);
	TAP_CHECK(b.len == 0, "tlv: nest cancel rolls back");
	{
		static u8 huge[100000], src[65532];
		struct om_tlv_buf hb;

		om_tlv_buf_init(&hb, huge, sizeof(huge));
		nest = om_tlv_nest_start(&hb, A_NEST);
		om_tlv_put(&hb, A_BIN, src, 40000);
		om_tlv_put(&hb, A_BIN, src, 30000);
		TAP_CHECK(om_tlv_put(&hb, A_BIN, src, 65532) == -EMSGSIZE &&
			  om_tlv_nest_end(&hb, nest) == -EMSGSIZE && hb.len == 0,
			  "tlv: nest over 64 KiB refused");
	}
}

static void test_tlv_reject(void)
{
	struct om_tlv_attr tb[A_MAX + 1];
	u8 buf[64], z[16] = { 0 };
	u32 one = 1;
	size_t n;

	TAP_CHECK(parse1(A_U8, z, 1) == 0 && parse1(A_U8, z, 2) == -EINVAL &&
		  parse1(A_U8, z, 0) == -EINVAL &&
		  parse1(A_U16, z, 1) == -EINVAL &&
		  parse1(A_U32, z, 8) == -EINVAL &&
		  parse1(A_U64, z, 4) == -EINVAL && parse1(A_U64, z, 8) == 0,
		  "tlv: wrong length for integer types rejected");
	TAP_CHECK(parse1(A_BIN, z, 8) == 0 && parse1(A_BIN, z, 9) == -EINVAL &&
		  parse1(A_EXACT, z, 3) == 0 && parse1(A_EXACT, z, 2) == -EINVAL &&
		  parse1(A_EXACT, z, 4) == -EINVAL,
		  "tlv: binary max and exact lengths enforced");
	TAP_CHECK(parse1(A_STR, "abc", 3) == 0 &&
		  parse1(A_STR, "a\0c", 3) == -EINVAL &&
		  parse1(A_FLAG, z, 1) == -EINVAL,
		  "tlv: string with NUL and flag with value rejected");
	TAP_CHECK(parse1(0, z, 4) == -EINVAL, "tlv: type 0 rejected");
	TAP_CHECK(parse1(200, z, 4) == 0, "tlv: unknown type skipped by policy");
	n = raw(buf, 8, A_U32, &one, 4);
	n += raw(buf + n, 8, 200, z, 4);
	TAP_CHECK(om_tlv_parse(buf, n, &ps_strict, tb) == -EINVAL,
		  "tlv: unknown type rejected by strict policy");
	n = raw(buf, 8, A_U32, &one, 4);
	n += raw(buf + n, 8, A_U32, &one, 4);
	TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == -EINVAL,
		  "tlv: duplicate attribute rejected");
	n = raw(buf, 5, A_U8, z, 1);
	TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == -EINVAL,
		  "tlv: missing required attribute rejected");
	TAP_CHECK(om_tlv_parse(buf, 3, &ps_skip, tb) == -EBADMSG &&
		  om_tlv_parse(buf, 1, &ps_skip, tb) == -EBADMSG,
		  "tlv: short header rejected");
	raw(buf, 3, A_U32, &one, 4);
	TAP_CHECK(om_tlv_parse(buf, 8, &ps_skip, tb) == -EBADMSG,
		  "tlv: attribute length below header rejected");
	raw(buf, 40, A_U32, &one, 4);
	TAP_CHECK(om_tlv_parse(buf, 8, &ps_skip, tb) == -EBADMSG,
		  "tlv: attribute longer than buffer rejected");
	n = raw(buf, 5, A_U8, z, 1);
	buf[6] = 1;	/* padding byte */
	n += raw(buf + n, 8, A_U32, &one, 4);
	TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == -EBADMSG,
		  "tlv: non-zero padding rejected");
	n = raw(buf, 8, A_U32, &one, 4);
	n += raw(buf + n, 8, A_NEST, &one, 4);	/* nested kind, flag unset */
	TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == -EINVAL,
		  "tlv: nested attribute without nested flag rejected");
	n = raw(buf, 8, A_U32 | OM_TLV_F_NESTED, &one, 4);
	TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == -EINVAL,
		  "tlv: nested flag on a scalar rejected");
	{
		u8 inner[8];

		raw(inner, 9, N_VAL, &one, 4);	/* inner len past the end */
		n = raw(buf, 8, A_U32, &one, 4);
		n += raw(buf + n, 12, A_NEST | OM_TLV_F_NESTED, inner, 8);
		TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == -EBADMSG,
			  "tlv: malformed nested content rejected");
		raw(inner, 8, 7, &one, 4);	/* unknown in strict nest */
		n = raw(buf, 8, A_U32, &one, 4);
		n += raw(buf + n, 12, A_NEST | OM_TLV_F_NESTED, inner, 8);
		TAP_CHECK(om_tlv_parse(buf, n, &ps_skip, tb) == 0 &&
			  om_tlv_parse_nested(&tb[A_NEST], &inner_ps, tb) ==
			  -EINVAL,
			  "tlv: nested policy applied to nested content");
	}
}

static u32 test_rng(void *ctx)
{
	u64 *s = ctx;

	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)(*s >> 33);
}

static void test_load_decay(void)
{
	struct om_load_entry self = { .node = 1, .cpus = 1, .speed = 10000 };
	struct om_load_sample s = { .runnable = 4 * OM_LOAD_FSCALE };
	struct om_load_table t;
	int i, ok = 1;
	u32 prev_l = 0, prev_a = 0;

	TAP_CHECK(om_load_smooth(0, 800, OM_LOAD_W_SLOW) == 100 &&
		  om_load_smooth(0, 800, OM_LOAD_W_FAST) == 300 &&
		  om_load_smooth(800, 0, OM_LOAD_W_SLOW) == 700 &&
		  om_load_smooth(800, 0, OM_LOAD_W_FAST) == 500,
		  "load: smoothing weights 7:1 and 5:3");
	TAP_CHECK(om_load_normalize(OM_LOAD_FSCALE, 10000, 1) == 1024 &&
		  om_load_normalize(OM_LOAD_FSCALE, 20000, 1) == 512 &&
		  om_load_normalize(OM_LOAD_FSCALE, 10000, 4) == 256 &&
		  om_load_normalize(OM_LOAD_FSCALE, 5000, 2) == 1024 &&
		  om_load_normalize(0xffffffff, 1, 1) == 0xffffffff,
		  "load: normalised by speed and cpus, saturating");
	om_load_table_init(&t, &self, 8, 10);
	om_load_tick(&t, &s);
	TAP_CHECK(t.local_load < t.self.load && t.self.gen == 1,
		  "load: on a rise the advertised value leads the local one");
	for (i = 0; i < 100; i++) {
		om_load_tick(&t, &s);
		TAP_EXPECT(ok, t.local_load >= prev_l && t.self.load >= prev_a);
		prev_l = t.local_load;
		prev_a = t.self.load;
	}
	TAP_CHECK(ok && t.local_load == 4096 && t.self.load == 4096,
		  "load: constant input reached exactly");
	s.runnable = 0;
	om_load_tick(&t, &s);
	TAP_CHECK(t.local_load < t.self.load && t.local_load == 2560 &&
		  t.self.load == 3584,
		  "load: on a fall the local value drops faster");
	for (i = 0; i < 80; i++)
		om_load_tick(&t, &s);
	TAP_CHECK(t.local_load == 0 && t.self.load == 0,
		  "load: decays to exactly zero");
	om_load_table_destroy(&t);
}

static void test_load_merge(void)
{
	struct om_load_entry self = { .node = 5, .addr = 0x0a000005, .cpus = 2 };
	struct om_load_entry in[4], out[OM_LOAD_WINDOW_MAX];
	struct om_load_table t;
	struct om_load_sample s = { .runnable = 1024, .mem_total = 100,
				    .mem_free = 50, .uptime = 7 };
	u8 buf[OM_LOAD_WINDOW_MAX * OM_LOAD_ENTRY_WIRE];
	u64 rs = 1;
	u16 peers[8];
	int n, i, ok;
	u32 k;

	om_load_table_init(&t, &self, 3, 10);
	memset(in, 0, sizeof(in));
	in[0] = (struct om_load_entry){ .node = 7, .gen = 10, .load = 100,
					.cpus = 1, .speed = 10000 };
	in[1] = (struct om_load_entry){ .node = 5, .gen = 99, .load = 1 };
	in[2] = (struct om_load_entry){ .node = 0, .gen = 99, .load = 1 };
	TAP_CHECK(om_load_merge(&t, in, 3) == 1 && t.n == 1 &&
		  om_load_table_find(&t, 7)->hot == t.hot_rounds,
		  "load: merge takes others, ignores self and node 0");
	in[0].gen = 9;
	in[0].load = 5;
	TAP_CHECK(om_load_merge(&t, in, 1) == 0 &&
		  om_load_table_find(&t, 7)->load == 100,
		  "load: older generation ignored");
	in[0].gen = 11;
	in[0].load = 110;
	TAP_CHECK(om_load_merge(&t, in, 1) == 1 &&
		  om_load_table_find(&t, 7)->load == 110,
		  "load: newer generation wins");
	om_load_table_find(&t, 7)->hot = 0;
	in[0].gen = 12;
	in[0].load = 2000;
	om_load_merge(&t, in, 1);
	TAP_CHECK(om_load_table_find(&t, 7)->hot == t.hot_rounds,
		  "load: big load change is pushed as news");
	for (i = 0; i < 3; i++) {
		in[i] = (struct om_load_entry){ .node = (u16)(20 + i),
						.gen = 1, .age = (u32)(3 + i),
						.cpus = 1 };
	}
	om_load_merge(&t, in, 3);
	TAP_CHECK(t.n == 3 && !om_load_table_find(&t, 22) &&
		  om_load_table_find(&t, 20),
		  "load: bounded table keeps the freshest");
	in[0] = (struct om_load_entry){ .node = 30, .gen = 1, .age = 0 };
	om_load_merge(&t, in, 1);
	ok = t.n == 3 && om_load_table_find(&t, 30) &&
	     !om_load_table_find(&t, 21);
	for (i = 1; i < (int)t.n; i++)
		ok = ok && t.e[i - 1].node < t.e[i].node;
	TAP_CHECK(ok, "load: fresher newcomer evicts the oldest, stays sorted");

	om_load_tick(&t, &s);
	t.sample = 0;	/* the window alone here; members: test_load_members */
	n = om_load_encode(&t, 16, test_rng, &rs, buf, sizeof(buf));
	i = om_load_decode(buf, n, out, OM_LOAD_WINDOW_MAX);
	TAP_CHECK(n > 0 && i == 4 && out[0].node == 5 && out[0].gen == 1 &&
		  out[0].cpus == 2 && out[0].mem_free == 50 &&
		  out[0].uptime == 7 && out[0].addr == 0x0a000005 &&
		  out[1].age == 1 && out[2].age == 1 &&
		  out[3].node == 20,
		  "load: encode/decode round trip, own entry first, hot first");
	TAP_CHECK(n == 4 * OM_LOAD_ENTRY_WIRE, "load: entry wire size %d",
		  OM_LOAD_ENTRY_WIRE);
	n = om_load_encode(&t, 2, test_rng, &rs, buf, sizeof(buf));
	TAP_CHECK(om_load_decode(buf, n, out, OM_LOAD_WINDOW_MAX) == 2 &&
		  om_load_decode(buf, n, out, 1) == -EMSGSIZE,
		  "load: window size and decode limit respected");
	TAP_CHECK(om_load_encode(&t, 16, test_rng, &rs, buf, 100) == -EMSGSIZE &&
		  om_load_encode(&t, 0, NULL, NULL, buf, sizeof(buf)) == -EINVAL &&
		  om_load_encode(&t, 33, NULL, NULL, buf, sizeof(buf)) == -EINVAL,
		  "load: encode bounds");
	n = om_load_encode(&t, 16, test_rng, &rs, buf, sizeof(buf));
	ok = 1;
	for (i = 0; i < n; i++) {
		int r = om_load_decode(buf, (size_t)i, out, OM_LOAD_WINDOW_MAX);

		TAP_EXPECT(ok, r < 0 || (r >= 0 && r < 4));
	}
	TAP_CHECK(ok, "load: decode of every truncation fails or is shorter");
	ok = 1;
	for (i = 0; i < n; i++) {
		int r;

		buf[i] ^= 0xff;
		r = om_load_decode(buf, (size_t)n, out, OM_LOAD_WINDOW_MAX);
		buf[i] ^= 0xff;
		TAP_EXPECT(ok, r <= 4);
	}
	TAP_CHECK(ok, "load: decode of every corrupted byte is safe");
	{
		struct om_tlv_buf b;
		int nest;

		om_tlv_buf_init(&b, buf, sizeof(buf));
		nest = om_tlv_nest_start(&b, OM_LOAD_A_ENTRY);
		om_tlv_put_u16(&b, OM_LOAD_E_NODE, 0);
		om_tlv_put_u32(&b, OM_LOAD_E_ADDR, 1);
		om_tlv_put_u64(&b, OM_LOAD_E_GEN, 1);
		om_tlv_put_u32(&b, OM_LOAD_E_LOAD, 1);
		om_tlv_nest_end(&b, nest);
		TAP_CHECK(om_load_decode(buf, b.len, out, 4) == -EINVAL,
			  "load: entry for node 0 rejected");
		put_unaligned_le16(3, buf + 8);
		om_tlv_put_u16(&b, 200, 1);	/* unknown top-level: skipped */
		TAP_CHECK(om_load_decode(buf, b.len, out, 4) == 1 &&
			  out[0].node == 3 && out[0].cpus == 1,
			  "load: minimal entry with defaults, unknown skipped");
		om_tlv_buf_init(&b, buf, sizeof(buf));
		nest = om_tlv_nest_start(&b, OM_LOAD_A_ENTRY);
		om_tlv_put_u16(&b, OM_LOAD_E_NODE, 3);
		om_tlv_put_u64(&b, OM_LOAD_E_GEN, 1);
		om_tlv_put_u32(&b, OM_LOAD_E_LOAD, 1);
		om_tlv_nest_end(&b, nest);
		TAP_CHECK(om_load_decode(buf, b.len, out, 4) == -EINVAL,
			  "load: entry without required address rejected");
	}
	ok = 1;
	for (i = 0; i < 200; i++) {
		k = om_load_pick_peers(&t, 2, test_rng, &rs, peers);
		TAP_EXPECT(ok, k == 2 && peers[0] != peers[1] &&
			   peers[0] != 5 && om_load_table_find(&t, peers[0]) &&
			   om_load_table_find(&t, peers[1]));
	}
	k = om_load_pick_peers(&t, 8, test_rng, &rs, peers);
	TAP_CHECK(ok && k == 3, "load: peer choice distinct, known, not self");
	om_load_table_destroy(&t);

	{
		struct om_load_table u;
		int hits[11] = { 0 }, spread = 1;

		om_load_table_init(&u, &self, 16, 10);
		for (i = 1; i <= 10; i++)
			om_load_table_add(&u, (u16)(100 + i), 0, 0);
		for (i = 0; i < 10000; i++) {
			om_load_pick_peers(&u, 2, test_rng, &rs, peers);
			hits[peers[0] - 100]++;
			hits[peers[1] - 100]++;
		}
		for (i = 1; i <= 10; i++)
			spread = spread && hits[i] > 1700 && hits[i] < 2300;
		TAP_CHECK(spread && om_load_table_add(&u, 5, 0, 0) == -EINVAL,
			  "load: peer choice uniform over the known set");
		om_load_table_destroy(&u);
	}
}

/* A table of node self with members 2, 4, ..., 2 * cnt (not self) */
static void mk_table(struct om_load_table *t, u16 self, u32 cnt, u32 cap)
{
	struct om_load_entry me = { .node = self, .addr = 0x0a000000 + self,
				    .cpus = 2 };
	u32 i;

	om_load_table_init(t, &me, cap, 10);
	for (i = 1; i <= cnt; i++) {
		struct om_load_entry e = {
			.node = (u16)(2 * i), .port = (u16)(4000 + i),
			.addr = 0x0a000000 + 2 * i, .gen = 100 + i,
			.age = i % 7, .runnable = 1000 + i, .load = 2000 + i,
			.cpus = (u16)(1 + i % 4), .speed = 9000 + i,
			.mem_total = 1000000 + i, .mem_free = 5000 + i,
			.uptime = 77 + i,
		};

		if (e.node != self)
			om_load_merge(t, &e, 1);
	}
}

static int same_entry(const struct om_load_entry *a,
		      const struct om_load_entry *b)
{
	return a->node == b->node && a->port == b->port && a->addr == b->addr &&
	       a->gen == b->gen && a->age == b->age &&
	       a->runnable == b->runnable && a->load == b->load &&
	       a->cpus == b->cpus && a->speed == b->speed &&
	       a->mem_total == b->mem_total && a->mem_free == b->mem_free &&
	       a->uptime == b->uptime;
}

/* A payload of one minimal ENTRY (node 3) plus the given raw tail */
static size_t mk_payload(u8 *buf, size_t cap, const u8 *tail, size_t tlen)
{
	struct om_tlv_buf b;
	int nest;

	om_tlv_buf_init(&b, buf, cap);
	nest = om_tlv_nest_start(&b, OM_LOAD_A_ENTRY);
	om_tlv_put_u16(&b, OM_LOAD_E_NODE, 3);
	om_tlv_put_u32(&b, OM_LOAD_E_ADDR, 1);
	om_tlv_put_u64(&b, OM_LOAD_E_GEN, 1);
	om_tlv_put_u32(&b, OM_LOAD_E_LOAD, 1);
	om_tlv_nest_end(&b, nest);
	memcpy(buf + b.len, tail, tlen);
	return b.len + tlen;
}

/* A MEMBERS attribute of cnt records of rec_len bytes (node 10 + i) */
static size_t mk_members(u8 *p, u16 rec_len, u32 cnt, u32 vlen_delta)
{
	u32 vlen = 4 + rec_len * cnt + vlen_delta, i;

	memset(p, 0, OM_TLV_ALIGN(4 + vlen));
	put_unaligned_le16((u16)(4 + vlen), p);
	put_unaligned_le16(OM_LOAD_A_MEMBERS, p + 2);
	put_unaligned_le16(rec_len, p + 4);
	for (i = 0; i < cnt; i++) {
		u8 *r = p + 8 + i * rec_len;

		put_unaligned_le16((u16)(10 + i), r);
		put_unaligned_le64(5, r + 8);
		put_unaligned_le32(10000, r + 28);
		put_unaligned_le64(100, r + 32);
		put_unaligned_le64(50, r + 40);
		put_unaligned_le16(1, r + 56);
	}
	return OM_TLV_ALIGN(4 + vlen);
}

/* A raw PULL / PULLED with the given u16 values (0 = left out) */
static size_t mk_range(u8 *p, u16 type, u16 from, u16 to)
{
	size_t n = 4;

	if (from) {
		put_unaligned_le16(6, p + n);
		put_unaligned_le16(OM_LOAD_R_FROM, p + n + 2);
		put_unaligned_le16(from, p + n + 4);
		put_unaligned_le16(0, p + n + 6);
		n += 8;
	}
	if (to) {
		put_unaligned_le16(6, p + n);
		put_unaligned_le16(OM_LOAD_R_TO, p + n + 2);
		put_unaligned_le16(to, p + n + 4);
		put_unaligned_le16(0, p + n + 6);
		n += 8;
	}
	put_unaligned_le16((u16)n, p);
	put_unaligned_le16(type | OM_TLV_F_NESTED, p + 2);
	return n;
}

static void test_load_members(void)
{
	static u8 buf[20000], tail[20000];
	static struct om_load_entry out[OM_LOAD_MSG_MAX + 8];
	struct om_load_table t;
	struct om_load_msg m;
	u64 rs = 7;
	int n, r, i, ok;
	u32 seen[64] = { 0 };
	size_t tl, pl;

	mk_table(&t, 1, 20, 64);
	n = om_load_encode(&t, 4, test_rng, &rs, buf, sizeof(buf));
	r = om_load_decode_msg(buf, (size_t)n, out, OM_LOAD_MSG_MAX, &m);
	ok = r == 4 + OM_LOAD_DEF_SAMPLE && !m.pull && !m.pulled &&
	     n == 4 * OM_LOAD_ENTRY_WIRE + OM_TLV_HDRLEN + OM_LOAD_MEMBERS_HDR +
		  OM_LOAD_DEF_SAMPLE * OM_LOAD_MEMBER_WIRE;
	for (i = 4; ok && i < r; i++)
		ok = same_entry(&out[i], om_load_table_find(&t, out[i].node));
	TAP_CHECK(ok, "members: push carries %d records of %d bytes, each the whole entry",
		  OM_LOAD_DEF_SAMPLE, OM_LOAD_MEMBER_WIRE);
	for (i = 4; i < r; i++)
		seen[out[i].node / 2]++;
	n = om_load_encode(&t, 4, test_rng, &rs, buf, sizeof(buf));
	r = om_load_decode(buf, (size_t)n, out, OM_LOAD_MSG_MAX);
	for (i = 4; i < r; i++)
		seen[out[i].node / 2]++;
	ok = r == 4 + OM_LOAD_DEF_SAMPLE;
	for (i = 1; i <= 20; i++)
		ok = ok && seen[i] >= 1 && seen[i] <= 2;
	TAP_CHECK(ok, "members: the sample rotates through the whole table");

	om_load_table_find(&t, 2)->age = t.member_age + 1;
	om_load_table_add(&t, 99, 1, 1);	/* known, no data */
	t.sample = OM_LOAD_MEMBERS_MAX;
	n = om_load_encode(&t, 1, NULL, NULL, buf, sizeof(buf));
	r = om_load_decode(buf, (size_t)n, out, OM_LOAD_MSG_MAX);
	ok = r == 1 + 19;
	for (i = 1; i < r; i++)
		ok = ok && out[i].node != 2 && out[i].node != 99;
	TAP_CHECK(ok, "members: no record for a node without data or older than member_age");
	t.sample = 30;
	pl = OM_LOAD_ENTRY_WIRE + 8 + 3 * OM_LOAD_MEMBER_WIRE + 20;
	n = om_load_encode(&t, 1, NULL, NULL, buf, pl);
	TAP_CHECK(n > 0 && om_load_decode(buf, (size_t)n, out, OM_LOAD_MSG_MAX) == 4 &&
		  om_load_put_pull(buf, (size_t)n, pl,
				   &(struct om_load_range){ 1, 9 }) == (int)pl,
		  "members: the sample shrinks to fit, with room left for a PULL");
	TAP_CHECK(om_load_encode(&t, 1, NULL, NULL, buf, OM_LOAD_ENTRY_WIRE) ==
		  OM_LOAD_ENTRY_WIRE,
		  "members: no room, no sample (the window still goes)");
	om_load_table_destroy(&t);

	/* Decoder bounds, on hand-made attributes */
	tl = mk_members(tail, 60, 2, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode_msg(buf, pl, out, OM_LOAD_MSG_MAX, &m);
	TAP_CHECK(r == 3 && out[1].node == 10 && out[2].node == 11 &&
		  out[2].gen == 5 && out[2].mem_free == 50,
		  "members: hand-made list decodes");
	TAP_CHECK(om_load_decode(buf, pl, out, 2) == -EMSGSIZE,
		  "members: more entries than the caller's room -> -EMSGSIZE");
	tl = mk_members(tail, 64, 2, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == 3 &&
		  out[2].node == 11 && out[2].cpus == 1,
		  "members: longer records (a later version) are read, the rest skipped");
	tl = mk_members(tail, 60, 2, 7);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL,
		  "members: truncated record -> -EINVAL");
	tl = mk_members(tail, 59, 2, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX);
	tl = mk_members(tail, OM_LOAD_MEMBER_REC_MAX + 4, 1, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(r == -EINVAL && om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL,
		  "members: record length below 60 or above 256 -> -EINVAL");
	tl = mk_members(tail, 60, OM_LOAD_MEMBERS_MAX + 1, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX + 8);
	tl = mk_members(tail, 256, OM_LOAD_MEMBERS_MAX, 4);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(r == -EINVAL && om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL,
		  "members: more than %d records, or over the size limit -> -EINVAL",
		  OM_LOAD_MEMBERS_MAX);
	tl = mk_members(tail, 60, 0, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX);
	tl = mk_members(tail, 60, 0, 0);
	put_unaligned_le16(6, tail);	/* 2 value bytes: no room for the header */
	tail[6] = tail[7] = 0;
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(r == 1 && om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL,
		  "members: empty list is fine, a short header -> -EINVAL");
	tl = mk_members(tail, 60, 1, 0);
	tl += mk_members(tail + tl, 60, 1, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL,
		  "members: duplicate MEMBERS -> -EINVAL");
	ok = 1;
	for (i = 0; i < 4; i++) {
		static const u8 off[] = { 0, 56, 28, 40 };

		tl = mk_members(tail, 60, 1, 0);
		if (i == 3)
			put_unaligned_le64(101, tail + 8 + off[i]);
		else
			memset(tail + 8 + off[i], 0, i == 2 ? 4 : 2);
		pl = mk_payload(buf, sizeof(buf), tail, tl);
		TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	}
	TAP_CHECK(ok, "members: node 0, cpus 0, speed 0, mem_free > mem_total -> -EINVAL");

	/* PULL and PULLED */
	tl = mk_range(tail, OM_LOAD_A_PULL, 7, 3);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode_msg(buf, pl, out, OM_LOAD_MSG_MAX, &m);
	TAP_CHECK(r == 1 && m.pull && !m.pulled && m.req.from == 7 && m.req.to == 3,
		  "pull: PULL decodes");
	tl = mk_range(tail, OM_LOAD_A_PULLED, 1, 65535);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode_msg(buf, pl, out, OM_LOAD_MSG_MAX, &m);
	TAP_CHECK(r == 1 && !m.pull && m.pulled && m.done.from == 1 && m.done.to == 65535,
		  "pull: PULLED decodes");
	ok = 1;
	tl = mk_range(tail, OM_LOAD_A_PULL, 1, 2);
	tl += mk_range(tail + tl, OM_LOAD_A_PULL, 1, 2);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	tl = mk_range(tail, OM_LOAD_A_PULLED, 1, 2);
	tl += mk_range(tail + tl, OM_LOAD_A_PULLED, 1, 2);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	TAP_CHECK(ok, "pull: duplicate PULL or PULLED -> -EINVAL");
	tl = mk_range(tail, OM_LOAD_A_PULL, 1, 2);
	tl += mk_range(tail + tl, OM_LOAD_A_PULLED, 1, 2);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL,
		  "pull: PULL and PULLED together -> -EINVAL");
	ok = 1;
	tl = mk_range(tail, OM_LOAD_A_PULL, 5, 0);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	tl = mk_range(tail, OM_LOAD_A_PULLED, 0, 5);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	tl = mk_range(tail, OM_LOAD_A_PULL, 5, 6);
	put_unaligned_le16(0, tail + 4 + 4);	/* FROM = 0 */
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	tl = mk_range(tail, OM_LOAD_A_PULL, 5, 6);
	put_unaligned_le16(OM_LOAD_A_PULL, tail + 2);	/* nested flag off */
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_EXPECT(ok, om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == -EINVAL);
	TAP_CHECK(ok, "pull: missing bound, node id 0, not nested -> -EINVAL");
	tl = mk_range(tail, OM_LOAD_A_PULL, 5, 6);
	put_unaligned_le16(7, tail + 4 + 8 + 2);	/* TO -> unknown type 7 */
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	r = om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX);
	tl = mk_range(tail, OM_LOAD_A_PULL, 5, 6);
	tl += mk_range(tail + tl, 9, 5, 6);	/* unknown top-level, nested */
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	TAP_CHECK(r == -EINVAL && om_load_decode(buf, pl, out, OM_LOAD_MSG_MAX) == 1,
		  "pull: unknown attributes skipped (TO still required)");
	tl = mk_range(tail, OM_LOAD_A_PULL, 5, 6);
	pl = mk_payload(buf, sizeof(buf), tail, tl);
	ok = 1;
	for (i = 0; i < (int)pl; i++) {
		r = om_load_decode_msg(buf, (size_t)i, out, OM_LOAD_MSG_MAX, &m);
		TAP_EXPECT(ok, r < 0 || (r <= 1 && !m.pull));
	}
	TAP_CHECK(ok, "pull: every truncation fails or loses the PULL whole");
}

/* What a peer of the previous version reads: ENTRY only, the rest skipped */
static int old_peer_entries(const u8 *buf, size_t len)
{
	static const struct om_tlv_policy pol[2] = {
		[OM_LOAD_A_ENTRY] = { .kind = OM_TLV_NESTED, .flags = OM_TLV_P_MULTI },
	};
	static const struct om_tlv_pset ps = { pol, 1, false };
	struct om_tlv_attr tb[2], a;
	struct om_tlv_iter it;
	int n = 0, r;

	if (om_tlv_parse(buf, len, &ps, tb))
		return -1;
	om_tlv_iter_init(&it, buf, len);
	while ((r = om_tlv_iter_next(&it, &a)) > 0)
		n += a.type == OM_LOAD_A_ENTRY;
	return r < 0 ? -1 : n;
}

static void test_load_pull(void)
{
	static u8 buf[OM_LOAD_PAYLOAD_MAX], ans[OM_LOAD_PAYLOAD_MAX];
	static struct om_load_entry in[OM_LOAD_MSG_MAX];
	struct om_load_entry me = { .node = 1001, .addr = 9, .cpus = 1 };
	struct om_load_table a, j;
	struct om_load_range req, cov;
	struct om_load_msg m;
	int n, r, ex = 0, ok = 1, slot, pl;
	u32 i, known;

	mk_table(&a, 1, 150, 200);	/* members 2, 4, ..., 300 */
	om_load_table_init(&j, &me, 200, 10);
	om_load_table_add(&j, 1, 0x0a000001, 4660);
	TAP_CHECK(j.pulling && om_load_pull_next(&j, 0, &req) &&
		  ((req.from == 1 && req.to == 65535) ||
		   (req.from == 65535 && req.to == 1)),
		  "pull: a new table pulls the whole id space");
	while (j.pulling && ex < 50) {
		om_load_tick(&a, &(struct om_load_sample){ 0 });
		om_load_tick(&j, &(struct om_load_sample){ 0 });
		for (slot = 0; slot < 3 && om_load_pull_next(&j, (u32)slot, &req); slot++) {
			n = om_load_encode(&j, 4, NULL, NULL, buf, sizeof(buf));
			n = om_load_put_pull(buf, (size_t)n, sizeof(buf), &req);
			r = om_load_decode_msg(buf, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
			TAP_EXPECT(ok, r > 0 && m.pull);
			om_load_merge(&a, in, (u32)r);
			if (!om_load_pull_admit(&a)) {
				TAP_EXPECT(ok, slot == OM_LOAD_PULL_BUDGET);
				break;
			}
			n = om_load_encode_answer(&a, 1001, &m.req, 4, ans, sizeof(ans));
			TAP_EXPECT(ok, n > 0 && n <= OM_LOAD_PAYLOAD_MAX);
			r = om_load_decode_msg(ans, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
			TAP_EXPECT(ok, r > 0 && m.pulled && !m.pull);
			for (i = 0; i < (u32)r; i++)
				TAP_EXPECT(ok, in[i].node != 1001);
			om_load_merge(&j, in, (u32)r);
			om_load_pull_answered(&j, &m.done);
			ex++;
		}
	}
	known = 0;
	for (i = 0; i < j.n; i++)
		known += j.e[i].gen != 0;
	TAP_CHECK(ok && !j.pulling && known == 151 && ex <= 5,
		  "pull: a joiner learns all %u members in %d answers (budget %d per interval)",
		  known, ex, OM_LOAD_PULL_BUDGET);
	req = (struct om_load_range){ 1, 65535 };
	n = om_load_encode_answer(&a, 1001, &req, 4, ans, sizeof(ans));
	r = om_load_encode(&a, 6, NULL, NULL, buf, sizeof(buf));
	r = om_load_put_pull(buf, (size_t)r, sizeof(buf), &req);
	TAP_CHECK(old_peer_entries(ans, (size_t)n) == 4 &&
		  old_peer_entries(buf, (size_t)r) == 6,
		  "pull: a peer of the previous version reads the entries of an answer and a push");

	/* The answer's size and the range it claims */
	req = (struct om_load_range){ 1, 65535 };
	pl = OM_LOAD_ENTRY_WIRE + 8 + 3 * OM_LOAD_MEMBER_WIRE + 20;
	n = om_load_encode_answer(&a, 1001, &req, 1, ans, (size_t)pl);
	r = om_load_decode_msg(ans, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	TAP_CHECK(n == pl && r == 4 && in[1].node == 2 && in[3].node == 6 &&
		  m.pulled && m.done.from == 1 && m.done.to == 6,
		  "pull: an answer fills its room and claims up to its last record");
	TAP_CHECK(om_load_encode_answer(&a, 1001, &req, 1, ans,
					OM_LOAD_ENTRY_WIRE + 8 + 20) == -EMSGSIZE,
		  "pull: no room for one record, no answer");
	req = (struct om_load_range){ 299, 7 };
	n = om_load_encode_answer(&a, 4, &req, 1, ans, sizeof(ans));
	r = om_load_decode_msg(ans, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	ok = r == 1 + (OM_LOAD_PAYLOAD_MAX - OM_LOAD_ENTRY_WIRE - 28) / OM_LOAD_MEMBER_WIRE &&
	     in[1].node == 298 && m.pulled &&
	     m.done.from == 299 && m.done.to == in[r - 1].node;
	for (i = 2; ok && i < (u32)r; i++)
		ok = in[i].node == in[i - 1].node - 2;
	TAP_CHECK(ok, "pull: a downward range answers in descending order (%u .. %u)",
		  in[1].node, in[r - 1].node);
	req = (struct om_load_range){ 3, 5 };
	n = om_load_encode_answer(&a, 4, &req, 1, ans, sizeof(ans));
	r = om_load_decode_msg(ans, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	TAP_CHECK(r == 1 && m.pulled && m.done.from == 3 && m.done.to == 5,
		  "pull: the asker is left out; an empty range is covered whole");
	j.pulling = true;
	j.pull_lo = 10;
	j.pull_hi = 20;
	om_load_pull_answered(&j, &(struct om_load_range){ 11, 15 });
	om_load_pull_answered(&j, &(struct om_load_range){ 19, 12 });
	cov = (struct om_load_range){ j.pull_lo, j.pull_hi };
	om_load_pull_answered(&j, &(struct om_load_range){ 10, 14 });
	om_load_pull_answered(&j, &(struct om_load_range){ 20, 16 });
	TAP_CHECK(cov.from == 10 && cov.to == 20 && j.pulling && j.pull_lo == 15 &&
		  j.pull_hi == 15,
		  "pull: answers move the matching end only, stale ones are ignored");
	om_load_pull_answered(&j, &(struct om_load_range){ 15, 15 });
	TAP_CHECK(!j.pulling && !om_load_pull_next(&j, 0, &req),
		  "pull: done when both ends meet");
	om_load_table_destroy(&a);
	om_load_table_destroy(&j);
}

/* quiet: our own entry is never sent, the others' still are */
static void test_load_quiet(void)
{
	static u8 buf[OM_LOAD_PAYLOAD_MAX];
	static struct om_load_entry in[OM_LOAD_MSG_MAX];
	struct om_load_range req = { 1, 65535 };
	struct om_load_entry me = { .node = 5, .addr = 5, .cpus = 1 };
	struct om_load_table a, q;
	struct om_load_msg m;
	int n, r, ok = 1;
	u32 i, others = 0;

	mk_table(&a, 1, 3, 16);	/* members 2, 4, 6 */
	a.quiet = true;
	om_load_tick(&a, &(struct om_load_sample){ .runnable = 1024 });
	n = om_load_encode(&a, 8, NULL, NULL, buf, sizeof(buf));
	r = om_load_decode_msg(buf, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	TAP_EXPECT(ok, n > 0 && r > 0);
	for (i = 0; i < (u32)r; i++) {
		TAP_EXPECT(ok, in[i].node != 1);
		others += in[i].node == 2 || in[i].node == 4 || in[i].node == 6;
	}
	TAP_EXPECT(ok, others >= 3);
	n = om_load_encode_answer(&a, 7, &req, 8, buf, sizeof(buf));
	r = om_load_decode_msg(buf, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	TAP_EXPECT(ok, n > 0 && r >= 3 && m.pulled);
	for (i = 0; i < (u32)r; i++)
		TAP_EXPECT(ok, in[i].node != 1);
	/* a receiver's copy of us then only ages */
	om_load_table_init(&q, &me, 16, 10);
	om_load_merge(&q, in, (u32)r);
	TAP_EXPECT(ok, !om_load_table_find(&q, 1) ||
		   !om_load_table_find(&q, 1)->gen);
	a.quiet = false;
	n = om_load_encode(&a, 8, NULL, NULL, buf, sizeof(buf));
	r = om_load_decode_msg(buf, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	TAP_EXPECT(ok, r > 0 && in[0].node == 1);
	TAP_CHECK(ok, "quiet: pushes and pull answers leave our own entry out, relay the others");
	/* nothing to relay at all: an empty payload, a PULL still fits */
	om_load_table_destroy(&q);
	om_load_table_init(&q, &me, 16, 10);
	q.quiet = true;
	n = om_load_encode(&q, 8, NULL, NULL, buf, sizeof(buf));
	TAP_EXPECT(ok, n == 0);
	n = om_load_put_pull(buf, (size_t)n, sizeof(buf), &req);
	r = om_load_decode_msg(buf, (size_t)n, in, OM_LOAD_MSG_MAX, &m);
	TAP_CHECK(n > 0 && r == 0 && m.pull,
		  "quiet: alone, a push is empty and a PULL alone decodes");
	om_load_table_destroy(&q);
	om_load_table_destroy(&a);
}

void test_tlv(void)
{
	test_tlv_build_parse();
	test_tlv_reject();
}

void test_load(void)
{
	test_load_decay();
	test_load_merge();
	test_load_members();
	test_load_pull();
	test_load_quiet();
}
