// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_pgsink: a streamed pages image lands where its
 * pagemap says, in order, and every chunk a peer could get wrong fails.
 */
#include "tap.h"
#include "om_pgsink.h"

int tap_n, tap_fail;

#define PS	4096ULL
#define TOP	(1ULL << 47)

/* A fake address space: the runs' pages, flat, as the put callback saw them */
struct mem {
	u8 buf[16 * PS];
	u64 base[4];		/* vaddr of each window */
	u64 at[4];		/* its offset in buf */
	u32 n;
	u32 calls, skipped;
	int fail_at;		/* the call that fails (1-based), 0: none */
};

static int put(void *ctx, u64 vaddr, const u8 *data, u32 len, u32 flags)
{
	struct mem *m = ctx;
	u32 i;

	m->calls++;
	if (m->fail_at && m->calls == (u32)m->fail_at)
		return -EFAULT;
	if (flags & OM_PGSINK_SKIP) {
		m->skipped += len;
		return 0;
	}
	for (i = 0; i < m->n; i++) {
		if (vaddr >= m->base[i] && vaddr - m->base[i] + len <= 4 * PS) {
			memcpy(m->buf + m->at[i] + (vaddr - m->base[i]), data, len);
			return 0;
		}
	}
	return -ERANGE;
}

static u8 img[16 * PS];

static void fill_img(void)
{
	u32 i;

	for (i = 0; i < sizeof(img); i++)
		img[i] = (u8)(i * 7 + i / 4096);
}

static void test_init(void)
{
	struct om_pgsink s;
	struct om_pgsink_run r[3] = {
		{ 0x10000, 2, 0 }, { 0x20000, 1, 0 }, { 0x30000, 3, 0 } };
	struct om_pgsink_run bad;

	TAP_CHECK(om_pgsink_init(&s, r, 3, 12, TOP) == 0 && s.need == 6 * PS,
		  "init: three runs, the image is their pages end to end");
	TAP_CHECK(om_pgsink_init(&s, NULL, 0, 12, TOP) == 0 && s.need == 0 &&
		  om_pgsink_complete(&s), "init: no run is an empty, complete image");
	bad = (struct om_pgsink_run){ 0x10001, 1, 0 };
	TAP_CHECK(om_pgsink_init(&s, &bad, 1, 12, TOP) == -EINVAL, "init: unaligned run refused");
	bad = (struct om_pgsink_run){ 0x10000, 0, 0 };
	TAP_CHECK(om_pgsink_init(&s, &bad, 1, 12, TOP) == -EINVAL, "init: empty run refused");
	bad = (struct om_pgsink_run){ TOP - PS, 2, 0 };
	TAP_CHECK(om_pgsink_init(&s, &bad, 1, 12, TOP) == -EINVAL, "init: run past the top refused");
	bad = (struct om_pgsink_run){ 0x10000, ~0ULL, 0 };
	TAP_CHECK(om_pgsink_init(&s, &bad, 1, 12, ~0ULL) == -EINVAL,
		  "init: a size that overflows refused");
	bad = (struct om_pgsink_run){ 0x10000, 1, 0x2 };
	TAP_CHECK(om_pgsink_init(&s, &bad, 1, 12, TOP) == -EINVAL, "init: unknown flag refused");
	{
		struct om_pgsink_run ov[2] = { { 0x10000, 2, 0 }, { 0x11000, 1, 0 } };
		struct om_pgsink_run un[2] = { { 0x20000, 1, 0 }, { 0x10000, 1, 0 } };

		TAP_CHECK(om_pgsink_init(&s, ov, 2, 12, TOP) == -EINVAL,
			  "init: overlapping runs refused");
		TAP_CHECK(om_pgsink_init(&s, un, 2, 12, TOP) == -EINVAL,
			  "init: unsorted runs refused");
	}
	TAP_CHECK(om_pgsink_init(&s, r, 3, 3, TOP) == -EINVAL &&
		  om_pgsink_feed(&s, 0, img, 1, put, NULL) == -EINVAL,
		  "init: a refused sink takes nothing");
}

static void setup(struct mem *m)
{
	memset(m, 0, sizeof(*m));
	m->base[0] = 0x10000; m->at[0] = 0;
	m->base[1] = 0x20000; m->at[1] = 4 * PS;
	m->base[2] = 0x30000; m->at[2] = 8 * PS;
	m->n = 3;
}

static void test_feed(void)
{
	struct om_pgsink_run r[3] = {
		{ 0x10000, 2, 0 }, { 0x20000, 1, 0 }, { 0x30000, 3, 0 } };
	static struct mem m;
	struct om_pgsink s;
	int ok = 1;
	u64 off;

	fill_img();
	/* whole pages, as the home sends them, in chunks of 4 pages */
	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	for (off = 0; off < 6 * PS; off += 4 * PS) {
		u32 len = off + 4 * PS > 6 * PS ? 2 * PS : 4 * PS;

		TAP_EXPECT(ok, om_pgsink_feed(&s, off, img + off, len, put, &m) == 0);
	}
	TAP_EXPECT(ok, om_pgsink_complete(&s));
	TAP_EXPECT(ok, !memcmp(m.buf, img, 2 * PS));
	TAP_EXPECT(ok, !memcmp(m.buf + 4 * PS, img + 2 * PS, PS));
	TAP_EXPECT(ok, !memcmp(m.buf + 8 * PS, img + 3 * PS, 3 * PS));
	TAP_EXPECT(ok, m.calls == 4);	/* run 0, runs 1 and 2 (part), run 2 */
	TAP_CHECK(ok, "feed: page chunks cut at the runs, each byte where the pagemap says");

	/* odd chunks, inside pages */
	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	ok = 1;
	for (off = 0; off < 6 * PS;) {
		u32 len = (u32)(off % 5000) + 1000;

		if (len > 6 * PS - off)
			len = (u32)(6 * PS - off);
		TAP_EXPECT(ok, om_pgsink_feed(&s, off, img + off, len, put, &m) == 0);
		off += len;
	}
	TAP_EXPECT(ok, om_pgsink_complete(&s));
	TAP_EXPECT(ok, !memcmp(m.buf + 8 * PS, img + 3 * PS, 3 * PS));
	TAP_EXPECT(ok, !memcmp(m.buf + 4 * PS, img + 2 * PS, PS));
	TAP_CHECK(ok, "feed: chunks of any length, across pages and runs");

	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, 0, img, 0, put, &m) == 0 && m.calls == 0 &&
		  !om_pgsink_complete(&s), "feed: an empty chunk changes nothing");
	TAP_CHECK(om_pgsink_feed(&s, PS, img, PS, put, &m) == -EPROTO,
		  "feed: a gap is refused");
	TAP_CHECK(om_pgsink_feed(&s, 0, img, PS, put, &m) == -EPROTO && !om_pgsink_complete(&s),
		  "feed: the sink stays failed");

	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, 0, img, 2 * PS, put, &m) == 0 &&
		  om_pgsink_feed(&s, 0, img, PS, put, &m) == -EPROTO,
		  "feed: a chunk sent again is refused");

	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, 0, img, 6 * PS, put, &m) == 0 &&
		  om_pgsink_feed(&s, 6 * PS, img, 1, put, &m) == -EFBIG,
		  "feed: a byte past the image's end is refused");
	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, 0, img, 6 * PS + 1, put, &m) == -EFBIG && m.calls == 0,
		  "feed: a chunk longer than the image writes nothing");
	setup(&m);
	om_pgsink_init(&s, r, 3, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, ~0ULL, img, 1, put, &m) == -EPROTO,
		  "feed: an offset near 2^64 is refused");

	setup(&m);
	m.fail_at = 2;
	om_pgsink_init(&s, r, 3, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, 0, img, 6 * PS, put, &m) == -EFAULT &&
		  om_pgsink_feed(&s, 3 * PS, img, PS, put, &m) == -EFAULT &&
		  !om_pgsink_complete(&s), "feed: the writer's error ends the sink");
}

static void test_skip(void)
{
	struct om_pgsink_run r[2] = { { 0x10000, 1, 0 }, { 0x11000, 2, OM_PGSINK_SKIP } };
	static struct mem m;
	struct om_pgsink s;

	setup(&m);
	om_pgsink_init(&s, r, 2, 12, TOP);
	TAP_CHECK(om_pgsink_feed(&s, 0, img, 3 * PS, put, &m) == 0 && om_pgsink_complete(&s) &&
		  m.skipped == 2 * PS && !memcmp(m.buf, img, PS),
		  "skip: a run the restore keeps (vdso) is read and dropped");
}

static void test_pages_id(void)
{
	static const struct {
		const char *name;
		int ret;
		u32 id;
	} t[] = {
		{ "pages-1.img", 0, 1 }, { "pages-2.img", 0, 2 },
		{ "pages-4294967295.img", 0, 4294967295U },
		{ "pages-4294967296.img", -EINVAL, 0 }, { "pages-0.img", -EINVAL, 0 },
		{ "pages-01.img", -EINVAL, 0 }, { "pages-.img", -EINVAL, 0 },
		{ "pages--1.img", -EINVAL, 0 }, { "pages-+1.img", -EINVAL, 0 },
		{ "pages-1.im", -EINVAL, 0 }, { "pagemap-1.img", -EINVAL, 0 },
		{ "pages-1x.img", -EINVAL, 0 }, { "pages-99999999999.img", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	u32 i, id;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		int ret;

		id = 0;
		ret = om_pgsink_pages_id(t[i].name, (u32)strlen(t[i].name), &id);
		if (ret != t[i].ret || (!ret && id != t[i].id)) {
			printf("#   %s: %d %u\n", t[i].name, ret, id);
			ok = 0;
		}
	}
	TAP_CHECK(ok, "pages_id: pages-N.img names, N decimal 1..2^32-1, nothing else");
	TAP_CHECK(om_pgsink_pages_id("pages-12.img", 11, &id) == -EINVAL,
		  "pages_id: the name's length is the peer's, not a NUL");
}

int main(void)
{
	test_init();
	test_feed();
	test_skip();
	test_pages_id();
	return tap_done();
}
