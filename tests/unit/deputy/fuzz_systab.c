// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target for om_systab.  The input is a request in the format
 * of harness.h.
 *
 * Home (flags bit 7 clear): the request as a peer sent it goes to
 * om_sys_layout().  When it is accepted, every copy must stay inside the
 * scratch area, every rewritten pointer argument must point inside it
 * (NULL stays NULL for optional ones, other arguments unchanged), a
 * rebuilt iovec array and pselect6's pair must point inside it, a path
 * must hold its NUL, and om_sys_collect() must stay inside what was laid
 * out.
 *
 * Remote (flags bit 7 set): the whole input is the guest's memory at
 * FUZZ_UBASE; the header's nr and args go to om_sys_marshal().  What it
 * builds must be accepted by om_sys_layout(), and the reply
 * om_sys_collect() gives for the header's ret by om_sys_unmarshal_reply().
 */
#include "harness.h"

#define FUZZ_UBASE	0x10000000ULL
#define SCRATCH_MAX	(2U << 20)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static u8 scratch[SCRATCH_MAX];
static u8 area[OM_SYS_MAX_IO];
static struct om_sys_plan plan;
static struct om_sys_req rq;
static struct om_sys_copy cps[OM_SYS_MAX_COPIES];

#define CHECK(c)				\
	do {					\
		if (!(c))			\
			__builtin_trap();	\
	} while (0)

static int inside(u64 a, u64 n, u64 base, u64 len)
{
	return a >= base && a - base <= len && n <= len - (a - base);
}

/* Everything the plan says stays inside [base, base + slen) */
static void check_plan(const struct fuzz_req *fr, u64 base, u64 slen)
{
	struct om_sys_out out[OM_SYS_MAX_BUFS];
	const struct om_sys_desc *d;
	unsigned int i, k, n;

	CHECK(om_sys_classify(fr->nr, fr->args, &d) == OM_SYS_FORWARD);
	CHECK(d == plan.desc && !(base & 7));
	CHECK(plan.used <= slen && plan.nin <= ARRAY_SIZE(plan.in));
	for (i = 0; i < plan.nin; i++) {
		CHECK(plan.in[i].len && plan.in[i].src);
		CHECK(inside(plan.in[i].off, plan.in[i].len, 0, plan.used));
		memcpy(scratch + plan.in[i].off, plan.in[i].src,
		       plan.in[i].len);
	}
	for (k = 0; k < 6; k++) {
		const struct om_sys_bdesc *bd = NULL;

		for (i = 0; i < d->nbuf; i++)
			if (d->buf[i].arg == k)
				bd = &d->buf[i];
		if (!bd) {
			CHECK(plan.args[k] == fr->args[k]);
			continue;
		}
		if (!fr->args[k] && (bd->flags & OM_SYS_BF_NULLOK)) {
			CHECK(!plan.args[k]);
			continue;
		}
		/* strictly inside: one byte at least */
		CHECK(inside(plan.args[k], 1, base, plan.used));
		u8 *p = scratch + (plan.args[k] - base);

		if (bd->kind == OM_SYS_B_STR) {
			/* the path's span starts there and holds a NUL */
			for (i = 0; i < plan.nin; i++)
				if (base + plan.in[i].off == plan.args[k])
					break;
			CHECK(i < plan.nin &&
			      memchr(p, 0, plan.in[i].len));
		}
		if (bd->kind == OM_SYS_B_IOV) {
			u64 nv = fr->args[bd->larg];

			CHECK(nv <= OM_SYS_MAX_IOV &&
			      inside(plan.args[k], nv * 16, base, plan.used));
			for (i = 0; i < nv; i++) {
				u64 vb = get_unaligned_le64(p + 16 * i);
				u64 vl = get_unaligned_le64(p + 16 * i + 8);

				CHECK(inside(vb, vl, base, plan.used));
			}
		}
		if (bd->kind == OM_SYS_B_SIGPAIR) {
			u64 ss = get_unaligned_le64(p);

			CHECK(!ss || inside(ss, OM_SYS_SZ_SIGSET, base,
					    plan.used));
			CHECK(get_unaligned_le64(p + 8) == OM_SYS_SZ_SIGSET);
		}
	}
	n = om_sys_collect(&plan, fr->ret, out);
	CHECK(n <= plan.nreq && n <= OM_SYS_MAX_BUFS);
	for (i = 0; i < n; i++) {
		CHECK(out[i].len);
		CHECK(inside(out[i].off, out[i].len, 0, plan.used));
		for (k = 0; k < plan.nreq; k++)
			if (plan.req[k].arg == out[i].arg)
				break;
		CHECK(k < plan.nreq && out[i].off == plan.req[k].off &&
		      out[i].len <= plan.req[k].len);
	}
}

static void home(const struct fuzz_req *fr)
{
	u64 slen = fr->scratch_len % (SCRATCH_MAX + 1);
	int err;

	err = om_sys_layout(fr->nr, fr->args, fr->buf, fr->nbuf,
			    fr->scratch_base, slen, &plan);
	if (err) {
		CHECK(err == -EPERM || err == -EINVAL || err == -E2BIG);
		return;
	}
	check_plan(fr, fr->scratch_base, slen);
}

static void remote(const u8 *data, size_t size, const struct fuzz_req *fr)
{
	struct fake_mem m = { FUZZ_UBASE, (u8 *)data, size, 0 };
	struct om_sys_out out[OM_SYS_MAX_BUFS];
	struct om_sys_buf rb[OM_SYS_MAX_BUFS];
	const struct om_sys_desc *d;
	struct om_sys_umem um;
	struct fuzz_req hr;
	unsigned int i, n;
	u64 total = 0;
	int err;

	if (om_sys_classify(fr->nr, fr->args, &d) != OM_SYS_FORWARD)
		return;
	fake_umem(&um, &m);
	err = om_sys_marshal(d, fr->args, &um, &rq, area, sizeof(area));
	if (err) {
		CHECK(err == OM_SYS_GO_HOME || err == -EFAULT ||
		      err == -EINVAL || err == -ENAMETOOLONG || err == -E2BIG);
		return;
	}
	CHECK(rq.used <= sizeof(area) && rq.nbuf <= OM_SYS_MAX_BUFS);
	for (i = 0; i < rq.nbuf; i++) {
		size_t dl = om_sys_buf_datalen(&rq.buf[i]);

		total += (u64)rq.buf[i].niov * OM_SYS_SZ_IOVEC + rq.buf[i].len;
		CHECK(!dl || (rq.buf[i].data >= area &&
			      rq.buf[i].data + dl <= area + rq.used));
	}
	CHECK(total <= OM_SYS_MAX_IO);
	/* what the remote builds, home accepts */
	err = om_sys_layout(rq.nr, rq.args, rq.buf, rq.nbuf,
			    FUZZ_SCRATCH_BASE, OM_SYS_SCRATCH_SIZE, &plan);
	CHECK(!err);
	hr = *fr;
	memcpy(hr.args, rq.args, sizeof(hr.args));
	check_plan(&hr, FUZZ_SCRATCH_BASE, OM_SYS_SCRATCH_SIZE);
	/* and the reply home builds, the remote accepts */
	n = om_sys_collect(&plan, fr->ret, out);
	for (i = 0; i < n; i++) {
		rb[i].arg = out[i].arg;
		rb[i].dir = OM_SYS_OUT;
		rb[i].niov = 0;
		rb[i].len = out[i].len;
		rb[i].data = scratch + out[i].off;
	}
	err = om_sys_unmarshal_reply(&rq, fr->ret, rb, n, cps,
				     ARRAY_SIZE(cps));
	if (fr->ret <= 0)
		CHECK(err >= 0);
	CHECK(err >= 0 || err == -EBADMSG);
	for (i = 0; err > 0 && i < (unsigned int)err; i++)
		CHECK(cps[i].len && cps[i].src >= scratch &&
		      cps[i].src + cps[i].len <= scratch + plan.used);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_req fr;

	if (fuzz_parse(data, size, &fr))
		return 0;
	if (data[3] & 0x80)
		remote(data, size, &fr);
	else
		home(&fr);
	return 0;
}
