// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_siglog, the bounded log of forwarded signals: a
 * standard signal kept once (its last), real-time ones each time up to
 * the limit and then the oldest dropped and counted, what a replay after
 * a COMMIT's sequence yields and in what order.
 */
#include "tap.h"
#include "tests.h"
#include "om_siglog.h"

static u8 *info_of(u32 sig, u32 tag)
{
	static u8 b[OM_MIG_SIGINFO_LEN];

	memset(b, 0, sizeof(b));
	put_unaligned_le32(sig, b);
	put_unaligned_le32(tag, b + 24);	/* si_value's place */
	return b;
}

static u32 sig_of(const struct om_siglog_ent *e)
{
	return get_unaligned_le32(e->info);
}

static u32 tag_of(const struct om_siglog_ent *e)
{
	return get_unaligned_le32(e->info + 24);
}

void test_siglog(void)
{
	static struct om_siglog l;
	const struct om_siglog_ent *e;
	u32 pos, n, i;
	int ok, r;

	om_siglog_init(&l);
	pos = 0;
	TAP_CHECK(!om_siglog_next(&l, &pos, 0) && om_siglog_count(&l) == 0,
		  "siglog: empty");
	TAP_CHECK(om_siglog_add(&l, 1, info_of(0, 0)) == -EINVAL &&
		  om_siglog_add(&l, 1, info_of(OM_MIG_NSIG + 1, 0)) == -EINVAL &&
		  om_siglog_count(&l) == 0,
		  "siglog: signal 0 and 65 refused, nothing logged");

	/* SIGUSR1 three times, SIGRTMIN+2 twice, SIGTERM once, interleaved */
	om_siglog_add(&l, 1, info_of(10, 1));
	om_siglog_add(&l, 2, info_of(34, 2));
	om_siglog_add(&l, 3, info_of(10, 3));
	om_siglog_add(&l, 4, info_of(15, 4));
	om_siglog_add(&l, 5, info_of(34, 5));
	r = om_siglog_add(&l, 6, info_of(10, 6));
	TAP_CHECK(r == 0 && om_siglog_count(&l) == 4,
		  "siglog: a standard signal once (its last), each real-time one");
	pos = 0;
	ok = (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == 10 && e->seq == 6 &&
	     tag_of(e) == 6;
	ok = ok && (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == 15 && e->seq == 4;
	ok = ok && (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == 34 && e->seq == 2;
	ok = ok && (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == 34 && e->seq == 5;
	ok = ok && !om_siglog_next(&l, &pos, 0) && !om_siglog_next(&l, &pos, 0);
	TAP_CHECK(ok, "siglog: standard first by number, then real-time as they came");
	pos = 0;
	ok = (e = om_siglog_next(&l, &pos, 5)) && sig_of(e) == 10 && e->seq == 6;
	ok = ok && (e = om_siglog_next(&l, &pos, 5)) && sig_of(e) == 34 && e->seq == 5;
	ok = ok && !om_siglog_next(&l, &pos, 5);
	pos = 0;
	ok = ok && !om_siglog_next(&l, &pos, 7);
	TAP_CHECK(ok, "siglog: a replay after sequence 4 yields 5 and 6; after 6 nothing");

	/* SIGKILL's and signal 31's and 64's slots */
	om_siglog_init(&l);
	om_siglog_add(&l, 0, info_of(31, 0));
	om_siglog_add(&l, 0, info_of(OM_MIG_NSIG, 0));
	om_siglog_add(&l, 0, info_of(1, 0));
	pos = 0;
	ok = (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == 1 && !e->seq;
	ok = ok && (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == 31;
	ok = ok && (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == OM_MIG_NSIG;
	ok = ok && !om_siglog_next(&l, &pos, 0) && om_siglog_count(&l) == 3;
	TAP_CHECK(ok, "siglog: unnumbered entries (seq 0), signals 1, 31 (standard) and 64");

	/* the bound: the oldest real-time entries make room */
	om_siglog_init(&l);
	for (i = 1, n = 0; i <= OM_SIGLOG_RT_MAX + 10; i++)
		n += om_siglog_add(&l, i, info_of(32 + i % 33, i)) == 1;
	for (i = 1; i <= 1000; i++)
		om_siglog_add(&l, 1000 + i, info_of(1 + i % 31, i));
	TAP_CHECK(n == 10 && l.ndropped == 10 && l.dropped_seq == 10 &&
		  om_siglog_count(&l) == OM_SIGLOG_RT_MAX + OM_SIGLOG_NSTD,
		  "siglog: at most %u real-time and %u standard entries; 10 dropped, the last dropped 10",
		  OM_SIGLOG_RT_MAX, OM_SIGLOG_NSTD);
	pos = 0;
	ok = 1;
	for (i = 0; i < OM_SIGLOG_NSTD; i++)
		ok = ok && (e = om_siglog_next(&l, &pos, 0)) && sig_of(e) == i + 1 &&
		     e->seq > 1000;
	for (i = 11; i <= OM_SIGLOG_RT_MAX + 10; i++)
		ok = ok && (e = om_siglog_next(&l, &pos, 0)) && e->seq == i &&
		     tag_of(e) == i && sig_of(e) == 32 + i % 33;
	ok = ok && !om_siglog_next(&l, &pos, 0);
	TAP_CHECK(ok, "siglog: the ring keeps the newest %u in order across its wrap",
		  OM_SIGLOG_RT_MAX);
	pos = 0;
	for (n = 0; om_siglog_next(&l, &pos, OM_SIGLOG_RT_MAX + 1); )
		n++;
	TAP_CHECK(n == 10 + OM_SIGLOG_NSTD,
		  "siglog: a replay after the ring's middle yields its newer half and the standard ones");
	om_siglog_init(&l);
	pos = 0;
	TAP_CHECK(!om_siglog_next(&l, &pos, 0) && !l.ndropped && !l.dropped_seq,
		  "siglog: init empties it and its drop count");
}
