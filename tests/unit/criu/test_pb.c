// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The openMosix-NG developers. */
/* Unit tests: protobuf primitives, every message, framing, rejections. */
#include <stdio.h>
#include <stdlib.h>
#include "synth.h"
#include "tap.h"

static u8 buf[1 << 20], buf2[1 << 20];

static int enc(const struct om_pb_msg_desc *d, const void *m, u8 *out,
	       size_t cap)
{
	struct om_pb_memsink ms = { .buf = out, .cap = cap };
	struct om_pb_sink s = { .write = om_pb_memsink_write, .ctx = &ms };
	int r = om_pb_encode(d, m, &s);

	return r ? r : (int)ms.len;
}

static void test_varint(void)
{
	static const u64 vals[] = { 0, 1, 127, 128, 300, 0xffffffffull,
		1ull << 35, 0x7fffffffffffffffull, ~0ull };
	u8 b[16];
	unsigned int i, n, k, bad = 0, trunc = 0;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		n = om_pb_put_varint(b, vals[i]);
		if (n != om_pb_varint_size(vals[i]) ||
		    om_pb_get_varint(b, n, &v) != (int)n || v != vals[i])
			bad++;
		for (k = 0; k < n; k++)
			if (om_pb_get_varint(b, k, &v) != -EBADMSG)
				trunc++;
	}
	TAP_OK(!bad, "varint round trip of %u values", i);
	TAP_OK(!trunc, "varint truncated at every byte is -EBADMSG");
	memset(b, 0x80, 11);
	b[11] = 0;
	TAP_OK(om_pb_get_varint(b, 12, &v) == -EBADMSG, "11-byte varint rejected");
	memset(b, 0xff, 9);
	b[9] = 0x02;
	TAP_OK(om_pb_get_varint(b, 10, &v) == -EBADMSG, "varint overflowing 64 bits rejected");
	b[9] = 0x01;
	TAP_OK(om_pb_get_varint(b, 10, &v) == 10 && v == ~0ull, "10-byte varint accepted");
	TAP_OK(om_pb_zigzag32(-1) == 1 && om_pb_zigzag32(1) == 2 &&
	       om_pb_zigzag32(-2147483647 - 1) == 0xffffffffu &&
	       om_pb_unzigzag32(0xffffffffu) == -2147483647 - 1 &&
	       om_pb_unzigzag32(3) == -2, "zigzag32");
	TAP_OK(om_pb_zigzag64(-1) == 1 && om_pb_unzigzag64(om_pb_zigzag64(-5)) == -5 &&
	       om_pb_unzigzag64(~0ull) == (s64)0x8000000000000000ull, "zigzag64");
	b[0] = 0x05;
	TAP_OK(om_pb_skip_field(b, 1, OM_PB_WT_LEN) == -EBADMSG, "length past end rejected");
	TAP_OK(om_pb_skip_field(b, 3, OM_PB_WT_I32) == -EBADMSG &&
	       om_pb_skip_field(b, 7, OM_PB_WT_I64) == -EBADMSG, "short fixed32/fixed64 rejected");
	TAP_OK(om_pb_skip_field(b, 8, 3) == -EPROTO && om_pb_skip_field(b, 8, 4) == -EPROTO &&
	       om_pb_skip_field(b, 8, 6) == -EPROTO && om_pb_skip_field(b, 8, 7) == -EPROTO,
	       "wire types 3, 4, 6, 7 rejected");
}

/* A self-referencing test message for the depth limit and fixed types. */
struct node {
	struct node *child;
	bool has_f32;
	u32 f32;
	u64 f64;
	s64 s64v;
	u32 *rf;
	u32 n_rf;
};

extern const struct om_pb_msg_desc node_desc;
static const struct om_pb_field node_fields[] = {
	{ 1, OM_PB_MESSAGE, OM_PB_OPTIONAL, offsetof(struct node, child), 0, 0, &node_desc },
	{ 2, OM_PB_FIXED32, OM_PB_OPTIONAL, offsetof(struct node, f32),
	  offsetof(struct node, has_f32), 0, NULL },
	{ 3, OM_PB_FIXED64, OM_PB_REQUIRED, offsetof(struct node, f64), 0, 0, NULL },
	{ 4, OM_PB_SINT64, OM_PB_REQUIRED, offsetof(struct node, s64v), 0, 0, NULL },
	{ 5, OM_PB_FIXED32, OM_PB_REPEATED, offsetof(struct node, rf),
	  offsetof(struct node, n_rf), 4, NULL },
};
const struct om_pb_msg_desc node_desc = OM_PB_MSG("node", struct node, node_fields);

static void test_generic(void)
{
	struct node n[OM_PB_MAX_DEPTH + 2], out;
	u32 rf[3] = { 1, 2, 0xdeadbeef };
	u8 packed[] = { 0x19, 1, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x03,
			0x2a, 8, 1, 0, 0, 0, 2, 0, 0, 0, 0x2d, 3, 0, 0, 0 };
	unsigned int i;
	int len, ret;

	memset(n, 0, sizeof(n));
	for (i = 0; i < OM_PB_MAX_DEPTH + 2; i++) {
		n[i].f64 = i;
		n[i].s64v = -(s64)i;
		if (i + 1 < OM_PB_MAX_DEPTH + 2)
			n[i].child = &n[i + 1];
	}
	TAP_OK(enc(&node_desc, &n[0], buf, sizeof(buf)) == -ELOOP,
	       "encoder refuses nesting deeper than %d", OM_PB_MAX_DEPTH);
	n[OM_PB_MAX_DEPTH - 1].child = NULL;
	n[0].has_f32 = true;
	n[0].f32 = 0x12345678;
	n[0].rf = rf;
	n[0].n_rf = 3;
	len = enc(&node_desc, &n[0], buf, sizeof(buf));
	ret = om_pb_decode(&node_desc, buf, len, &out);
	TAP_OK(len > 0 && ret == 0 && out.f32 == 0x12345678 && out.n_rf == 3 &&
	       out.rf[2] == 0xdeadbeef && out.child && out.child->s64v == -1,
	       "fixed32/fixed64/sint64/repeated fixed32 at depth %d round trip",
	       OM_PB_MAX_DEPTH);
	om_pb_free(&node_desc, &out);
	/* hand-built: one more level than allowed */
	{
		u8 deep[256];
		int k, d = OM_PB_MAX_DEPTH + 1, pos = 0;

		/* innermost first: f64=0, s64=0 (11 bytes) */
		for (k = 0; k < d; k++) {
			u8 tmp[256];
			int inner = pos;

			memcpy(tmp, deep, pos);
			pos = 0;
			if (k) {
				deep[pos++] = 0x0a;
				deep[pos++] = (u8)inner;
				memcpy(deep + pos, tmp, inner);
				pos += inner;
			}
			deep[pos++] = 0x19;
			memset(deep + pos, 0, 8);
			pos += 8;
			deep[pos++] = 0x20;
			deep[pos++] = 0;
		}
		TAP_OK(om_pb_decode(&node_desc, deep, pos, &out) == -EPROTO,
		       "decoder rejects nesting depth %d", d);
	}
	ret = om_pb_decode(&node_desc, packed, sizeof(packed), &out);
	TAP_OK(ret == 0 && out.n_rf == 3 && out.rf[0] == 1 && out.rf[1] == 2 &&
	       out.rf[2] == 3 && out.s64v == -2, "packed + unpacked repeated fixed32 accepted");
	om_pb_free(&node_desc, &out);
	packed[12] = 7;	/* packed payload not a multiple of 4 */
	TAP_OK(om_pb_decode(&node_desc, packed, sizeof(packed), &out) < 0,
	       "packed fixed32 with ragged length rejected");
	{
		u8 m[] = { 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0,
			   0x2d, 1, 0, 0, 0, 0x2d, 1, 0, 0, 0, 0x2d, 1, 0, 0, 0,
			   0x2d, 1, 0, 0, 0, 0x2d, 1, 0, 0, 0 };

		TAP_OK(om_pb_decode(&node_desc, m, sizeof(m), &out) == -EMSGSIZE,
		       "repeated count over its cap rejected (-EMSGSIZE)");
		m[0] = 0x18;	/* f64 as varint: wrong wire type */
		TAP_OK(om_pb_decode(&node_desc, m, 11, &out) == -EPROTO,
		       "known field with the wrong wire type rejected");
		m[0] = 0x19;
		TAP_OK(om_pb_decode(&node_desc, m, 9, &out) == -ENODATA,
		       "missing required sint64 gives -ENODATA");
		m[0] = 0x07;	/* field 0 */
		TAP_OK(om_pb_decode(&node_desc, m, 11, &out) == -EPROTO, "field number 0 rejected");
	}
	{
		/* unknown fields of every wire type are skipped */
		u8 m[] = { 0xf8, 0x7f, 0x96, 0x01, 0x31, 1, 2, 3, 4, 5, 6, 7, 8,
			   0x3a, 2, 'h', 'i', 0x45, 1, 2, 3, 4,
			   0x19, 9, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x05 };

		ret = om_pb_decode(&node_desc, m, sizeof(m), &out);
		TAP_OK(ret == 0 && out.f64 == 9 && out.s64v == -3, "unknown fields skipped");
	}
}

struct rt {
	const char *name;
	const struct om_pb_msg_desc *d;
	const void *msg;
};

static void test_messages(struct synth *s)
{
	const struct rt rts[] = {
		{ "inventory_entry", &om_criu_inventory_entry_desc, &s->inv },
		{ "pstree_entry", &om_criu_pstree_entry_desc, &s->pstree },
		{ "core_entry", &om_criu_core_entry_desc, &s->core },
		{ "task_kobj_ids_entry", &om_criu_task_kobj_ids_entry_desc, &s->ids },
		{ "mm_entry", &om_criu_mm_entry_desc, &s->mm },
		{ "pagemap_head", &om_criu_pagemap_head_desc, &s->pm_head },
		{ "pagemap_entry", &om_criu_pagemap_entry_desc, &s->pm[2] },
		{ "fs_entry", &om_criu_fs_entry_desc, &s->fs },
		{ "file_entry reg", &om_criu_file_entry_desc, &s->files[0] },
		{ "file_entry pipe", &om_criu_file_entry_desc, &s->files[4] },
		{ "file_entry tty", &om_criu_file_entry_desc, &s->files[7] },
		{ "file_entry fifo", &om_criu_file_entry_desc, &s->files[9] },
		{ "fifo_entry", &om_criu_fifo_entry_desc, s->files[9].fifo },
		{ "file_entry eventfd", &om_criu_file_entry_desc, &s->files[10] },
		{ "file_entry signalfd", &om_criu_file_entry_desc, &s->files[11] },
		{ "file_entry timerfd", &om_criu_file_entry_desc, &s->files[12] },
		{ "file_entry eventpoll", &om_criu_file_entry_desc, &s->files[13] },
		{ "eventpoll_tfd_entry", &om_criu_eventpoll_tfd_entry_desc,
		  &s->files[13].epfd->tfd[1] },
		{ "fdinfo_entry", &om_criu_fdinfo_entry_desc, &s->fdinfo[3] },
		{ "pipe_data_entry", &om_criu_pipe_data_entry_desc, &s->pipe_data },
		{ "tty_info_entry", &om_criu_tty_info_entry_desc, &s->tty },
		{ "seccomp_entry", &om_criu_seccomp_entry_desc, &s->seccomp },
		{ "timens_entry", &om_criu_timens_entry_desc, &s->timens },
		{ "file_entry ghost reg", &om_criu_file_entry_desc, &s->files[14] },
		{ "remap_file_path_entry", &om_criu_remap_file_path_entry_desc, &s->remap[0] },
		{ "ghost_file_entry chunked", &om_criu_ghost_file_entry_desc, &s->ghost[0] },
		{ "ghost_file_entry", &om_criu_ghost_file_entry_desc, &s->ghost[1] },
		{ "creds_entry", &om_criu_creds_entry_desc, s->core.thread_core->creds },
		{ "sa_entry", &om_criu_sa_entry_desc, &s->core.tc->sigactions[9] },
		{ "thread_core_entry", &om_criu_thread_core_entry_desc, s->core.thread_core },
		{ "user_x86_fpregs_entry", &om_criu_user_x86_fpregs_entry_desc,
		  s->core.thread_info->fpregs },
	};
	unsigned int i, k, bad;
	void *out;
	int len, len2, ret, err;

	for (i = 0; i < ARRAY_SIZE(rts); i++) {
		len = enc(rts[i].d, rts[i].msg, buf, sizeof(buf));
		out = om_pb_unpack(rts[i].d, buf, len > 0 ? len : 0, &err);
		len2 = out ? enc(rts[i].d, out, buf2, sizeof(buf2)) : err;
		TAP_OK(len >= 0 && out && len2 == len && !memcmp(buf, buf2, len),
		       "%s round trip (%d bytes)", rts[i].name, len);
		om_pb_free_unpacked(rts[i].d, out);
		/* every proper prefix is rejected or decodes to less */
		bad = 0;
		for (k = 0; len > 0 && k < (unsigned int)len; k++) {
			out = om_pb_unpack(rts[i].d, buf, k, &err);
			if (out) {
				len2 = enc(rts[i].d, out, buf2, sizeof(buf2));
				if (len2 != (int)k || memcmp(buf, buf2, k))
					bad++;
				om_pb_free_unpacked(rts[i].d, out);
			} else if (err != -EBADMSG && err != -ENODATA &&
				   err != -EPROTO) {
				bad++;
			}
		}
		TAP_OK(!bad, "%s truncated at every byte: clean error or exact prefix",
		       rts[i].name);
	}

	/* values survive */
	len = enc(&om_criu_core_entry_desc, &s->core, buf, sizeof(buf));
	{
		struct om_criu_core_entry *c =
			om_pb_unpack(&om_criu_core_entry_desc, buf, len, &err);

		TAP_OK(c && c->thread_info->gpregs->ip == SYN_IP - 2 &&
		       c->thread_info->gpregs->ax == 7 &&
		       c->tc->oom_score_adj == -100 &&
		       c->thread_core->sched_nice == -5 &&
		       c->tc->n_sigactions == 62 &&
		       c->thread_core->creds->n_cap_bnd == 2 &&
		       c->thread_core->creds->cap_bnd[1] == 0x1ff &&
		       c->thread_info->fpregs->xsave->n_ymmh_space == 64 &&
		       !strcmp(c->tc->comm, "omtest") &&
		       c->tc->signals_s->signals[0].siginfo.len == 128,
		       "core_entry values (restart fix-up, int32, sint32, caps, xsave)");
		om_pb_free_unpacked(&om_criu_core_entry_desc, c);
	}
	/* oom_score_adj -100 is a ten-byte varint: 0x70 + 9c ff ff ff ff ff ff ff ff 01 */
	len = enc(&om_criu_task_core_entry_desc, s->core.tc, buf, sizeof(buf));
	{
		static const u8 pat[] = { 0x70, 0x9c, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0xff, 0x01 };
		int found = 0;

		for (k = 0; len > 11 && k + 11 <= (unsigned int)len; k++)
			if (!memcmp(buf + k, pat, 11))
				found = 1;
		TAP_OK(found, "negative int32 written as 10-byte varint");
	}
	/* vma_entry.fd = -1 is sint64 0x01 */
	len = enc(&om_criu_vma_entry_desc, &s->mm.vmas[1], buf, sizeof(buf));
	TAP_OK(len > 2 && buf[len - 2] == 0x40 && buf[len - 1] == 0x01,
	       "vma_entry.fd -1 encoded as zigzag 0x01");
	/* pstree worked example of criu-format.md (pid 1234, sid 1000) */
	{
		static const u8 ex[] = { 0x19, 0x43, 0x56, 0x54, 0x30, 0x30, 0x27, 0x50,
			0x0e, 0, 0, 0, 0x08, 0xd2, 0x09, 0x10, 0x00, 0x18, 0xd2, 0x09,
			0x20, 0xe8, 0x07, 0x28, 0xd2, 0x09 };
		u32 th = 1234;
		struct om_criu_pstree_entry p = { 1234, 0, 1234, 1000, &th, 1 };
		struct om_pb_memsink ms = { .buf = buf, .cap = sizeof(buf) };
		struct om_pb_sink sk = { .write = om_pb_memsink_write, .ctx = &ms };

		ret = om_criu_write_header(&sk, OM_CRIU_IMG_PSTREE);
		ret = ret ? ret : om_criu_write_entry(&sk, &om_criu_pstree_entry_desc, &p);
		TAP_OK(!ret && ms.len == sizeof(ex) && !memcmp(buf, ex, sizeof(ex)),
		       "pstree.img byte-exact with the documented example");
	}
	/* missing required fields, one per message kind */
	{
		static const u8 pst[] = { 0x08, 1, 0x10, 0, 0x18, 1 };	/* no sid */
		static const u8 fdi[] = { 0x08, 1, 0x10, 0, 0x18, 1 };	/* no fd */
		static const u8 core0[] = { 0x12, 0 };	/* thread_info{}, no mtype */
		struct om_criu_pstree_entry p;
		struct om_criu_fdinfo_entry f;

		TAP_OK(om_pb_decode(&om_criu_pstree_entry_desc, pst, sizeof(pst), &p) == -ENODATA,
		       "pstree_entry without sid: -ENODATA");
		TAP_OK(om_pb_decode(&om_criu_fdinfo_entry_desc, fdi, sizeof(fdi), &f) == -ENODATA,
		       "fdinfo_entry without fd: -ENODATA");
		TAP_OK(om_pb_unpack(&om_criu_core_entry_desc, core0, sizeof(core0), &err) == NULL &&
		       err == -ENODATA, "core_entry with an empty thread_info: -ENODATA (nested)");
	}
	/* encoder refuses what protobuf-c could not pack */
	{
		struct om_criu_reg_file_entry r = { 0 };
		struct om_criu_mm_entry mm = s->mm;

		r.name = "/x";
		TAP_OK(enc(&om_criu_reg_file_entry_desc, &r, buf, sizeof(buf)) == -EINVAL,
		       "reg_file_entry without required fown: encoder -EINVAL");
		mm.n_mm_saved_auxv = 1000;
		TAP_OK(enc(&om_criu_mm_entry_desc, &mm, buf, sizeof(buf)) == -EMSGSIZE,
		       "auxv count over its cap: encoder -EMSGSIZE");
	}
	/* embedded NUL in a string */
	{
		static const u8 fs[] = { 0x08, 1, 0x10, 2, 0x18, 0x12 };
		static const u8 rf[] = { 0x08, 1, 0x10, 0, 0x18, 0, 0x2a, 0,
					 0x32, 3, '/', 0, 'x' };
		struct om_criu_fs_entry f;
		struct om_criu_reg_file_entry r;

		TAP_OK(om_pb_decode(&om_criu_fs_entry_desc, fs, sizeof(fs), &f) == 0 &&
		       f.umask == 0x12 && f.has_umask, "fs_entry from hand-made bytes");
		TAP_OK(om_pb_decode(&om_criu_reg_file_entry_desc, rf, sizeof(rf), &r) == -ENODATA,
		       "reg_file_entry with empty fown: -ENODATA");
		memcpy(buf, rf, sizeof(rf));
		buf[7] = 10;	/* fown{uid..pid} */
		memcpy(buf + 8, (const u8[]){ 8, 0, 0x10, 0, 0x18, 0, 0x20, 0, 0x28, 0 }, 10);
		memcpy(buf + 18, rf + 8, 5);
		TAP_OK(om_pb_decode(&om_criu_reg_file_entry_desc, buf, 23, &r) == -EBADMSG,
		       "string with an embedded NUL rejected");
		buf[21] = 'y';
		ret = om_pb_decode(&om_criu_reg_file_entry_desc, buf, 23, &r);
		TAP_OK(ret == 0 && !strcmp(r.name, "/yx"), "reg_file_entry name decoded");
		om_pb_free(&om_criu_reg_file_entry_desc, &r);
	}
}

static void test_framing(struct synth *s)
{
	size_t off, len;
	const u8 *m;
	u32 ml;
	int ret, hdr;
	struct om_criu_fdinfo_entry fd;
	unsigned int n = 0, i;
	struct om_pb_memsink ms = { .buf = buf, .cap = sizeof(buf) };
	struct om_pb_sink sk = { .write = om_pb_memsink_write, .ctx = &ms };
	u8 small[7];
	struct om_pb_bufsink bs = { .out = sk, .buf = small, .cap = sizeof(small) };
	struct om_pb_sink bsk = { .write = om_pb_bufsink_write, .ctx = &bs };

	ret = om_criu_write_header(&bsk, OM_CRIU_IMG_FDINFO);
	for (i = 0; !ret && i < s->n_fdinfo; i++)
		ret = om_criu_write_entry(&bsk, &om_criu_fdinfo_entry_desc, &s->fdinfo[i]);
	ret = ret ? ret : om_pb_bufsink_flush(&bs);
	len = ms.len;
	hdr = om_criu_check_header(buf, len, OM_CRIU_IMG_FDINFO);
	TAP_OK(!ret && hdr == 8, "fdinfo image written through a 7-byte batching sink");
	off = hdr;
	while ((ret = om_criu_read_entry(buf, len, &off, &om_criu_fdinfo_entry_desc, &fd)) == 1) {
		if (fd.fd == s->fdinfo[n].fd && fd.id == s->fdinfo[n].id)
			n++;
		om_pb_free(&om_criu_fdinfo_entry_desc, &fd);
	}
	TAP_OK(ret == 0 && n == s->n_fdinfo, "read back %u fdinfo entries to a clean EOF", n);
	off = hdr;
	TAP_OK(om_criu_next_entry(buf, len - 1, &off, &m, &ml) == 1, "first entry in a short buffer");
	while ((ret = om_criu_next_entry(buf, len - 1, &off, &m, &ml)) == 1)
		;
	TAP_OK(ret == -EBADMSG, "entry truncated by one byte: -EBADMSG");
	off = hdr;
	put_unaligned_le32(0xfffffff0u, buf + hdr);
	TAP_OK(om_criu_next_entry(buf, len, &off, &m, &ml) == -EMSGSIZE, "huge entry length: -EMSGSIZE");
	TAP_OK(om_criu_check_header(buf, len, OM_CRIU_IMG_CORE) == -EPROTO, "wrong type magic: -EPROTO");
	TAP_OK(om_criu_check_header(buf, 6, OM_CRIU_IMG_FDINFO) == -EBADMSG, "short header: -EBADMSG");
	buf[0] ^= 1;
	TAP_OK(om_criu_check_header(buf, len, OM_CRIU_IMG_FDINFO) == -EPROTO, "wrong common magic: -EPROTO");
	/* inventory: no common word */
	ms.len = 0;
	ret = om_criu_write_header(&sk, OM_CRIU_IMG_INVENTORY);
	TAP_OK(!ret && ms.len == 4 && get_unaligned_le32(buf) == OM_CRIU_INVENTORY_MAGIC,
	       "inventory header is the bare magic");
	/* seccomp with no filters: a zero-length entry (12-byte file) */
	ms.len = 0;
	ret = om_criu_write_header(&sk, OM_CRIU_IMG_SECCOMP);
	ret = ret ? ret : om_criu_write_entry(&sk, &om_criu_seccomp_entry_desc, &s->seccomp);
	TAP_OK(!ret && ms.len == 12, "empty seccomp.img is 12 bytes");
	{
		struct om_criu_pagemap_entry pe = { 0 };

		pe.nr_pages = 3;
		TAP_OK(om_criu_pagemap_nr_pages(&pe) == 3, "pagemap nr_pages (3.17)");
		pe.has_nr_pages64 = true;
		pe.nr_pages64 = 5;
		TAP_OK(om_criu_pagemap_nr_pages(&pe) == 5, "pagemap nr_pages (4.2 field 5 wins)");
	}
}

/* One pipe_data_entry and its contents appended to the memsink. */
static void pd_put(struct om_pb_sink *sk, u32 pipe_id, u32 bytes, bool has_size,
		   u32 size, const char *data, size_t dlen)
{
	struct om_criu_pipe_data_entry pd = {
		.pipe_id = pipe_id, .bytes = bytes, .has_size = has_size, .size = size,
	};

	if (om_criu_write_entry(sk, &om_criu_pipe_data_entry_desc, &pd) ||
	    (dlen && sk->write(sk->ctx, data, dlen)))
		abort();
}

/* pipes-data.img and fifo-data.img as the restore walks them */
static void test_pipe_data(struct synth *s)
{
	struct om_pb_memsink ms = { .buf = buf, .cap = sizeof(buf) };
	struct om_pb_sink sk = { .write = om_pb_memsink_write, .ctx = &ms };
	struct om_criu_pipe_data_entry pd;
	const u8 *data = NULL;
	size_t off, len;
	int ret, hdr;

	ret = om_criu_write_header(&sk, OM_CRIU_IMG_FIFO_DATA);
	TAP_OK(!ret && ms.len == 8 && get_unaligned_le32(buf + 4) == OM_CRIU_FIFO_DATA_MAGIC,
	       "fifo-data.img header: common magic, then FIFO_DATA");
	TAP_OK(om_criu_check_header(buf, ms.len, OM_CRIU_IMG_PIPES_DATA) == -EPROTO,
	       "fifo-data.img is not a pipes-data.img");
	pd_put(&sk, SYN_FIFO_ID, 9, true, 4096, SYN_FIFO_DATA, 9);
	pd_put(&sk, 1, 0, false, 0, NULL, 0);
	pd_put(&sk, 2, 3, true, 0, "abc", 3);	/* size 0: none recorded */
	len = ms.len;
	hdr = om_criu_check_header(buf, len, OM_CRIU_IMG_FIFO_DATA);
	off = hdr;
	ret = om_criu_next_pipe_data(buf, len, &off, &pd, &data);
	TAP_OK(ret == 1 && pd.pipe_id == SYN_FIFO_ID && pd.bytes == 9 && pd.size == 4096 &&
	       !memcmp(data, SYN_FIFO_DATA, 9), "first entry and its 9 bytes");
	ret = om_criu_next_pipe_data(buf, len, &off, &pd, &data);
	TAP_OK(ret == 1 && pd.pipe_id == 1 && !pd.bytes && !pd.has_size,
	       "an empty pipe without a size");
	ret = om_criu_next_pipe_data(buf, len, &off, &pd, &data);
	TAP_OK(ret == 1 && pd.bytes == 3 && !memcmp(data, "abc", 3) && off == len,
	       "size 0 holds any amount; last entry ends the file");
	TAP_OK(om_criu_next_pipe_data(buf, len, &off, &pd, &data) == 0, "clean EOF");
	off = hdr;
	om_criu_next_pipe_data(buf, len, &off, &pd, &data);
	om_criu_next_pipe_data(buf, len, &off, &pd, &data);
	TAP_OK(om_criu_next_pipe_data(buf, len - 1, &off, &pd, &data) == -EBADMSG,
	       "contents one byte short: -EBADMSG");

	ms.len = hdr;
	pd_put(&sk, 3, 8, true, 4, "12345678", 8);
	off = hdr;
	TAP_OK(om_criu_next_pipe_data(buf, ms.len, &off, &pd, &data) == -EBADMSG,
	       "8 bytes in a pipe of 4: -EBADMSG");
	ms.len = hdr;
	pd_put(&sk, 3, OM_CRIU_MAX_PIPE_DATA + 1, false, 0, NULL, 0);
	off = hdr;
	TAP_OK(om_criu_next_pipe_data(buf, ms.len, &off, &pd, &data) == -EMSGSIZE,
	       "contents over OM_CRIU_MAX_PIPE_DATA: -EMSGSIZE before the bounds");
	ms.len = hdr;
	pd_put(&sk, 3, 0xffffffffu, true, 0xffffffffu, NULL, 0);
	off = hdr;
	TAP_OK(om_criu_next_pipe_data(buf, ms.len, &off, &pd, &data) == -EMSGSIZE,
	       "4 GiB of contents claimed: -EMSGSIZE");
	{
		/* pipe_id only: bytes (required) missing */
		static const u8 m[] = { 4, 0, 0, 0, 0x08, 0x05, 0x18, 0x01 };

		memcpy(buf + hdr, m, sizeof(m));
		off = hdr;
		TAP_OK(om_criu_next_pipe_data(buf, hdr + sizeof(m), &off, &pd, &data) == -ENODATA,
		       "entry without bytes: -ENODATA");
	}
	/* the synthetic fifo-data entry, written as the image is */
	ms.len = 0;
	ret = om_criu_write_header(&sk, OM_CRIU_IMG_FIFO_DATA);
	pd_put(&sk, s->fifo_data.pipe_id, s->fifo_data.bytes, s->fifo_data.has_size,
	       s->fifo_data.size, SYN_FIFO_DATA, sizeof(SYN_FIFO_DATA) - 1);
	off = 8;
	ret = ret ? ret : om_criu_next_pipe_data(buf, ms.len, &off, &pd, &data);
	TAP_OK(ret == 1 && pd.size == 1 << 20 && off == ms.len, "synthetic fifo-data entry");
}

/* ---- ghost-file-N.img ---- */

static void gh_entry(struct om_pb_sink *sk, const struct om_criu_ghost_file_entry *g)
{
	if (om_criu_write_header(sk, OM_CRIU_IMG_GHOST_FILE) ||
	    om_criu_write_entry(sk, &om_criu_ghost_file_entry_desc, g))
		abort();
}

static void gh_chunk(struct om_pb_sink *sk, u64 off, u64 len, size_t data)
{
	struct om_criu_ghost_chunk_entry ce = { .len = len, .off = off };

	if (om_criu_write_entry(sk, &om_criu_ghost_chunk_entry_desc, &ce))
		abort();
	while (data--)
		if (sk->write(sk->ctx, "x", 1))
			abort();
}

/* Walks a whole ghost image; the first error, 0, or the number of pieces. */
static int gh_walk(const u8 *b, size_t len, u64 *size, u64 *total)
{
	struct om_criu_ghost_file_entry g;
	struct om_criu_ghost_walk w;
	const u8 *data;
	u64 foff, dlen;
	size_t off;
	int ret, n = 0;

	*total = 0;
	ret = om_criu_ghost_head(b, len, &off, &g, &w);
	if (ret)
		return ret;
	*size = w.size;
	while ((ret = om_criu_ghost_next(b, len, &off, &w, &foff, &data, &dlen)) == 1) {
		if (data < b || data + dlen > b + len || foff + dlen > w.size)
			abort();
		*total += dlen;
		n++;
	}
	om_pb_free(&om_criu_ghost_file_entry_desc, &g);
	return ret ? ret : n;
}

static void test_ghost(struct synth *s)
{
	struct om_pb_memsink ms = { .buf = buf, .cap = sizeof(buf) };
	struct om_pb_sink sk = { .write = om_pb_memsink_write, .ctx = &ms };
	struct om_criu_ghost_file_entry g = s->ghost[0];
	struct om_criu_ghost_walk w;
	const u8 *data;
	u64 size = 0, total = 0, foff, dlen;
	size_t off, k, len;
	unsigned int bad = 0;
	int ret;

	gh_entry(&sk, &g);
	gh_chunk(&sk, 0, 4096, 4096);
	gh_chunk(&sk, 12288, 4000, 4000);
	len = ms.len;
	TAP_OK(get_unaligned_le32(buf + 4) == OM_CRIU_GHOST_FILE_MAGIC,
	       "ghost-file header: common magic, then GHOST_FILE");
	TAP_OK(gh_walk(buf, len, &size, &total) == 2 && size == SYN_GHOST1_SIZE && total == 8096,
	       "chunked ghost: two pieces, its size with the holes");
	ret = om_criu_ghost_head(buf, len, &off, &g, &w);
	TAP_OK(!ret && g.uid == 1000 && g.mode == 0100640 && g.mtim && g.mtim->tv_usec == 654321 &&
	       om_criu_ghost_next(buf, len, &off, &w, &foff, &data, &dlen) == 1 && !foff &&
	       dlen == 4096 && om_criu_ghost_next(buf, len, &off, &w, &foff, &data, &dlen) == 1 &&
	       foff == 12288 && dlen == 4000 && off == len &&
	       !om_criu_ghost_next(buf, len, &off, &w, &foff, &data, &dlen) &&
	       !om_criu_ghost_next(buf, len, &off, &w, &foff, &data, &dlen),
	       "chunked ghost: entry values, pieces in order, then 0 (twice)");
	om_pb_free(&om_criu_ghost_file_entry_desc, &g);
	for (k = 0; k < len; k++) {
		ret = gh_walk(buf, k, &size, &total);
		if (ret >= 0 && (k < 8 || ret > 2))
			bad++;
		if (ret < 0 && ret != -EBADMSG && ret != -EPROTO && ret != -ENODATA)
			bad++;
	}
	TAP_OK(!bad, "chunked ghost truncated at every byte: -EBADMSG/-EPROTO/-ENODATA, or fewer pieces at a piece boundary");

	/* rejections */
	g = s->ghost[0];
	g.has_size = false;
	ms.len = 0;
	gh_entry(&sk, &g);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "chunks without a size: -EBADMSG");
	g.has_size = true;
	g.size = OM_CRIU_MAX_GHOST + 1ull;
	ms.len = 0;
	gh_entry(&sk, &g);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EMSGSIZE, "size over OM_CRIU_MAX_GHOST: -EMSGSIZE");
	g.size = ~0ull;
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, ~0ull - 1, 3, 3);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EMSGSIZE, "size 2^64-1: -EMSGSIZE");
	g.size = 100;
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, 90, 11, 11);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "a piece past the size: -EBADMSG");
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, ~0ull - 5, 10, 10);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "a piece whose end overflows: -EBADMSG");
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, 10, 20, 20);
	gh_chunk(&sk, 29, 5, 5);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "overlapping pieces: -EBADMSG");
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, 50, 5, 5);
	gh_chunk(&sk, 10, 5, 5);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "pieces out of order: -EBADMSG");
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, 10, 0, 0);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "an empty piece: -EBADMSG");
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, 0, 50, 20);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "a piece past EOF: -EBADMSG");
	ms.len = 0;
	gh_entry(&sk, &g);
	gh_chunk(&sk, 0, 10, 10);
	gh_chunk(&sk, 10, 10, 10);
	gh_chunk(&sk, 90, 10, 10);
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == 3 && total == 30 && size == 100,
	       "adjacent pieces and one ending at the size");

	/* contents to EOF */
	g = s->ghost[1];
	ms.len = 0;
	gh_entry(&sk, &g);
	if (sk.write(sk.ctx, SYN_GHOST2_DATA, sizeof(SYN_GHOST2_DATA) - 1))
		abort();
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == 1 && size == sizeof(SYN_GHOST2_DATA) - 1 &&
	       total == size, "ghost without chunks: its contents run to EOF");
	ms.len -= sizeof(SYN_GHOST2_DATA) - 1;
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == 0 && size == 0, "an empty file: no piece");
	g.has_size = true;
	g.size = 3;
	ms.len = 0;
	gh_entry(&sk, &g);
	if (sk.write(sk.ctx, "abcd", 4))
		abort();
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG,
	       "a size that is not the contents' (no chunks): -EBADMSG");
	ms.len = 0;
	if (om_criu_write_header(&sk, OM_CRIU_IMG_GHOST_FILE))
		abort();
	TAP_OK(gh_walk(buf, ms.len, &size, &total) == -EBADMSG, "header without an entry: -EBADMSG");
	TAP_OK(om_criu_check_header(buf, ms.len, OM_CRIU_IMG_REMAP_FPATH) == -EPROTO,
	       "a ghost-file image is not a remap-fpath image");
	{
		/* a ghost of 32 MiB + 1 with its contents to EOF */
		size_t big = 64 + (size_t)OM_CRIU_MAX_GHOST + 1;
		u8 *b = calloc(1, big);
		struct om_pb_memsink bm = { .buf = b, .cap = big };
		struct om_pb_sink bs = { .write = om_pb_memsink_write, .ctx = &bm };

		if (!b)
			abort();
		gh_entry(&bs, &s->ghost[1]);
		TAP_OK(gh_walk(b, bm.len + OM_CRIU_MAX_GHOST + 1, &size, &total) == -EMSGSIZE &&
		       gh_walk(b, bm.len + OM_CRIU_MAX_GHOST, &size, &total) == 1 &&
		       total == OM_CRIU_MAX_GHOST,
		       "contents to EOF: OM_CRIU_MAX_GHOST taken, one byte more -EMSGSIZE");
		free(b);
	}
}

/* Source callback over a buffer, handing out at most 3 bytes per call. */
struct src_ctx {
	const u8 *p;
	size_t len, off;
};

static int src_read(void *ctx, void *b, size_t len)
{
	struct src_ctx *c = ctx;
	size_t n = c->len - c->off;

	if (n > len)
		n = len;
	if (n > 3)
		n = 3;
	memcpy(b, c->p + c->off, n);
	c->off += n;
	return (int)n;
}

static void test_source(struct synth *s)
{
	struct om_pb_memsink ms = { .buf = buf, .cap = sizeof(buf) };
	struct om_pb_sink sk = { .write = om_pb_memsink_write, .ctx = &ms };
	struct src_ctx c = { .p = buf };
	struct om_criu_source src = { .read = src_read, .ctx = &c };
	struct om_criu_mm_entry mm;
	int ret;

	ret = om_criu_write_header(&sk, OM_CRIU_IMG_MM);
	ret = ret ? ret : om_criu_write_entry(&sk, &om_criu_mm_entry_desc, &s->mm);
	c.len = ms.len;
	ret = ret ? ret : om_criu_src_header(&src, OM_CRIU_IMG_MM);
	ret = ret ? ret : om_criu_src_entry(&src, &om_criu_mm_entry_desc, &mm);
	TAP_OK(ret == 1 && mm.n_vmas == 6 && mm.vmas[2].start == 0x7ffc00000000ull &&
	       mm.vmas[0].fd == -1 && mm.n_mm_saved_auxv == 6,
	       "mm image streamed through a 3-byte source callback");
	om_pb_free(&om_criu_mm_entry_desc, &mm);
	TAP_OK(om_criu_src_entry(&src, &om_criu_mm_entry_desc, &mm) == 0, "source: clean EOF");
	c.off = 8;
	c.len = ms.len - 1;
	TAP_OK(om_criu_src_entry(&src, &om_criu_mm_entry_desc, &mm) == -EBADMSG,
	       "source: truncated entry -EBADMSG");
	c.off = 8;
	src.max_entry = 16;
	TAP_OK(om_criu_src_entry(&src, &om_criu_mm_entry_desc, &mm) == -EMSGSIZE,
	       "source: entry over max_entry -EMSGSIZE before allocating");
}

/* Timer helpers (om_criu.c) and the restore's check of task_timers_entry. */
static void test_timers(struct synth *s)
{
	struct om_criu_task_timers_entry t = *s->core.tc->timers;
	struct om_criu_posix_timer_entry pt[3];
	struct om_criu_itimer_entry it = { 0 }, bad_it;
	const char *why;
	u64 sec, nsec;
	int idx;

	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == 0 && !why && idx == -1,
	       "timers: the synthetic image's timers are restorable");
	TAP_OK(om_criu_check_timers(NULL, SYN_PID, &why, &idx) == 0, "timers: none at all");
	TAP_OK(om_criu_check_timers(&t, SYN_PID + 1, &why, &idx) == -EINVAL && idx == 1,
	       "timers: SIGEV_THREAD_ID of another thread refused (%s)", why);
	memcpy(pt, t.posix, sizeof(pt));
	t.posix = pt;
	pt[2].clock_id = 2;	/* CLOCK_PROCESS_CPUTIME_ID */
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EOPNOTSUPP && idx == 2,
	       "timers: CPU-time clock refused (%s)", why);
	pt[2].clock_id = (u32)-6;	/* a process CPU clock of pid 0 */
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EOPNOTSUPP,
	       "timers: negative clock id refused");
	pt[2].clock_id = 9;	/* CLOCK_BOOTTIME_ALARM */
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EOPNOTSUPP,
	       "timers: alarm clock refused");
	pt[2].clock_id = OM_CRIU_CLOCK_TAI;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == 0, "timers: CLOCK_TAI accepted");
	pt[2].it_id = 1;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL && idx == 2,
	       "timers: an id twice refused (%s)", why);
	pt[2].it_id = OM_CRIU_MAX_TIMER_ID + 1;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL,
	       "timers: id above %u refused (%s)", OM_CRIU_MAX_TIMER_ID, why);
	pt[2].it_id = 0x7fffffff;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL, "timers: id INT_MAX refused");
	pt[2].it_id = 0;
	pt[2].vnsec = OM_CRIU_NSEC_PER_SEC;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL, "timers: 1e9 ns refused");
	pt[2].vnsec = 0;
	pt[2].isec = ~0ull;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL,
	       "timers: 2^64-1 s interval refused");
	pt[2].isec = OM_CRIU_TIMER_MAX_SEC;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == 0,
	       "timers: KTIME_SEC_MAX s interval accepted");
	pt[2].isec = 0;
	pt[2].si_signo = 65;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL, "timers: signal 65 refused");
	pt[2].si_signo = 0;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL,
	       "timers: signal 0 with SIGEV_SIGNAL refused");
	pt[2].it_sigev_notify = OM_CRIU_SIGEV_NONE;
	pt[2].si_signo = 12345;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == 0,
	       "timers: SIGEV_NONE keeps any signal number");
	pt[2].it_sigev_notify = OM_CRIU_SIGEV_THREAD;
	pt[2].si_signo = 10;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == 0,
	       "timers: kernel-level SIGEV_THREAD accepted");
	pt[2].it_sigev_notify = OM_CRIU_SIGEV_SIGNAL | OM_CRIU_SIGEV_THREAD_ID;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL,
	       "timers: SIGEV_THREAD_ID without a thread id refused (%s)", why);
	pt[2].it_sigev_notify = OM_CRIU_SIGEV_NONE | OM_CRIU_SIGEV_THREAD_ID;
	pt[2].has_notify_thread_id = true;
	pt[2].notify_thread_id = SYN_PID;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL,
	       "timers: notify SIGEV_NONE|SIGEV_THREAD_ID refused (%s)", why);
	pt[2].it_sigev_notify = 3;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL, "timers: notify 3 refused");
	pt[2].has_notify_thread_id = false;
	pt[2].it_sigev_notify = OM_CRIU_SIGEV_SIGNAL;
	t.n_posix = OM_CRIU_MAX_POSIX_TIMERS + 1;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL && idx == -1,
	       "timers: more than %d refused before any is read", OM_CRIU_MAX_POSIX_TIMERS);
	t.n_posix = 3;
	bad_it = *t.prof;
	bad_it.vusec = 1000000;
	t.prof = &bad_it;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL && idx == -1,
	       "timers: itimer with 10^6 us refused (%s)", why);
	bad_it.vusec = 0;
	bad_it.vsec = OM_CRIU_TIMER_MAX_SEC + 1;
	TAP_OK(om_criu_check_timers(&t, SYN_PID, &why, &idx) == -EINVAL, "timers: itimer of 2^63 ns refused");

	/* timer_gettime() semantics */
	TAP_OK(om_criu_timer_remaining(1500, 1000, 0, true, false, false) == 500,
	       "remaining: armed one-shot");
	TAP_OK(om_criu_timer_remaining(1500, 1000, 0, false, false, false) == 0,
	       "remaining: disarmed (or fired) one-shot is 0");
	TAP_OK(om_criu_timer_remaining(900, 1000, 0, true, false, false) == 1,
	       "remaining: expired, signal not queued yet: 1 ns");
	TAP_OK(om_criu_timer_remaining(900, 1000, 0, true, true, false) == 0,
	       "remaining: expired SIGEV_NONE one-shot: 0");
	TAP_OK(om_criu_timer_remaining(900, 1000, 300, false, false, true) == 200,
	       "remaining: interval timer with its signal queued: next expiry");
	TAP_OK(om_criu_timer_remaining(700, 1000, 300, false, true, false) == 300,
	       "remaining: SIGEV_NONE interval timer exactly on an expiry: one interval");
	TAP_OK(om_criu_timer_remaining(INT64_MIN, INT64_MAX, 7, true, true, false) ==
	       7 - (~0ull % 7), "remaining: no overflow at the extremes");
	TAP_OK(om_criu_timer_remaining(INT64_MAX, INT64_MIN, 0, true, false, false) == ~0ull,
	       "remaining: no overflow the other way");
	TAP_OK(om_criu_cpu_itimer_remaining(0, 5, 4000000) == 0 &&
	       om_criu_cpu_itimer_remaining(10, 5, 4000000) == 5 &&
	       om_criu_cpu_itimer_remaining(5, 5, 4000000) == 4000000,
	       "cpu itimer: disarmed, armed, about to fire (a tick)");
	om_criu_itimer_set(&it, 999, 2500000000ull);
	TAP_OK(it.vsec == 0 && it.vusec == 1 && it.isec == 2 && it.iusec == 500000,
	       "itimer: under 1 us stays armed, interval exact");
	om_criu_itimer_set(&it, 0, 0);
	TAP_OK(!it.vsec && !it.vusec && !it.isec && !it.iusec, "itimer: disarmed");
	om_criu_posix_timer_set(&pt[0], 3000000001ull, 1);
	TAP_OK(pt[0].vsec == 3 && pt[0].vnsec == 1 && !pt[0].isec && pt[0].insec == 1,
	       "posix timer: ns to sec/nsec");
	pt[0].vsec = pt[0].vnsec = 0;
	pt[0].isec = 4;
	om_criu_posix_timer_value(&pt[0], &sec, &nsec);
	TAP_OK(sec == 4 && nsec == 1, "posix timer: no time left but an interval: armed for one interval");
	pt[0].isec = pt[0].insec = 0;
	om_criu_posix_timer_value(&pt[0], &sec, &nsec);
	TAP_OK(!sec && !nsec, "posix timer: disarmed stays disarmed");
}

/* timens-0.img's check, shared by the kernel's deputy and omctl's keeper */
static void test_timens(struct synth *s)
{
	struct om_criu_timespec_entry m = *s->timens.monotonic, b = *s->timens.boottime;
	struct om_criu_timens_entry t = { .monotonic = &m, .boottime = &b };
	const char *why;

	TAP_OK(!om_criu_check_timens(&t, &why) && !why, "timens: the synthetic one passes");
	m.tv_sec = OM_CRIU_TIMENS_MAX_SEC;
	m.tv_nsec = OM_CRIU_NSEC_PER_SEC - 1;
	TAP_OK(!om_criu_check_timens(&t, &why), "timens: KTIME_SEC_MAX / 2 accepted");
	m.tv_sec++;
	TAP_OK(om_criu_check_timens(&t, &why) == -EINVAL && why, "timens: past KTIME_SEC_MAX / 2 refused");
	m.tv_sec = 0;
	m.tv_nsec = OM_CRIU_NSEC_PER_SEC;
	TAP_OK(om_criu_check_timens(&t, &why) == -EINVAL, "timens: nsec of a second refused");
	m.tv_nsec = 0;
	b.tv_sec = ~0ull;
	TAP_OK(om_criu_check_timens(&t, &why) == -EINVAL && strstr(why, "BOOTTIME"),
	       "timens: a negative (huge) boottime refused, named");
	b.tv_sec = 0;
	t.boottime = NULL;
	TAP_OK(om_criu_check_timens(&t, &why) == -EINVAL, "timens: no boottime refused");
	t.boottime = &b;
	t.monotonic = NULL;
	TAP_OK(om_criu_check_timens(&t, &why) == -EINVAL && strstr(why, "MONOTONIC"),
	       "timens: no monotonic refused, named");
}

/* eventfd, signalfd, timerfd and epoll entries: values and their checks */
static void test_anon(struct synth *s)
{
	struct om_criu_eventfd_file_entry e = *s->files[10].efd, *ed;
	struct om_criu_signalfd_entry g = *s->files[11].sgfd;
	struct om_criu_timerfd_entry t = *s->files[12].tfd;
	struct om_criu_eventpoll_file_entry p = *s->files[13].epfd;
	struct om_criu_eventpoll_tfd_entry tfd[3];
	/* eventfd_file_entry{id 1, flags 2, fown {0...}, counter 0, semaphore (1000) true} */
	static const u8 sem[] = { 0x08, 1, 0x10, 2, 0x1a, 10, 0x08, 0, 0x10, 0, 0x18, 0,
				  0x20, 0, 0x28, 0, 0x20, 0, 0xc0, 0x3e, 1 };
	const char *why;
	u64 vs, vn;
	int idx, len, err;

	TAP_OK(!om_criu_check_eventfd(&e, &why) && !om_criu_check_signalfd(&g, &why) &&
	       !om_criu_check_timerfd(&t, &why) && !om_criu_check_eventpoll(&p, &why, &idx),
	       "anon files: the synthetic ones pass their checks");
	/* semaphore: our field 1000, written only when set */
	len = enc(&om_criu_eventfd_file_entry_desc, &e, buf, sizeof(buf));
	e.has_semaphore = e.semaphore = true;
	TAP_OK(enc(&om_criu_eventfd_file_entry_desc, &e, buf2, sizeof(buf2)) == len + 3 &&
	       !memcmp(buf2 + len, "\xc0\x3e\x01", 3), "eventfd: semaphore is field 1000, 3 bytes");
	ed = om_pb_unpack(&om_criu_eventfd_file_entry_desc, sem, sizeof(sem), &err);
	TAP_OK(ed && ed->has_semaphore && ed->semaphore && ed->id == 1 && ed->flags == 2,
	       "eventfd: semaphore decoded");
	om_pb_free_unpacked(&om_criu_eventfd_file_entry_desc, ed);
	e.counter = ~0ull;
	TAP_OK(om_criu_check_eventfd(&e, &why) == -EOPNOTSUPP && why,
	       "eventfd: an overflowed counter cannot be recreated");
	e.counter = OM_CRIU_EVENTFD_MAX;
	TAP_OK(!om_criu_check_eventfd(&e, &why), "eventfd: ULLONG_MAX - 1 accepted");
	e.flags = 04000;	/* O_RDONLY */
	TAP_OK(om_criu_check_eventfd(&e, &why) == -EINVAL, "eventfd: not O_RDWR refused");
	e.flags = 02 | 040000;	/* O_DIRECT */
	TAP_OK(om_criu_check_eventfd(&e, &why) == -EINVAL, "eventfd: O_DIRECT refused");
	e.flags = 02 | 02000000 | 0100000 | 01000000 | 020000 | 02000 | 04000;
	TAP_OK(!om_criu_check_eventfd(&e, &why),
	       "eventfd: O_CLOEXEC, O_LARGEFILE and the F_SETFL flags accepted");

	g.sigmask = 1ull << 8;	/* SIGKILL */
	TAP_OK(om_criu_check_signalfd(&g, &why) == -EINVAL, "signalfd: SIGKILL in the mask refused");
	g.sigmask = 1ull << 18;	/* SIGSTOP */
	TAP_OK(om_criu_check_signalfd(&g, &why) == -EINVAL, "signalfd: SIGSTOP in the mask refused");
	g.sigmask = ~((1ull << 8) | (1ull << 18));
	TAP_OK(!om_criu_check_signalfd(&g, &why), "signalfd: every other signal accepted");
	g.flags = 0;
	TAP_OK(om_criu_check_signalfd(&g, &why) == -EINVAL, "signalfd: O_RDONLY refused");

	t.clockid = 8;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EOPNOTSUPP, "timerfd: REALTIME_ALARM refused");
	t.clockid = 9;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EOPNOTSUPP, "timerfd: BOOTTIME_ALARM refused");
	t.clockid = 2;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EINVAL, "timerfd: CPU-time clock is malformed");
	t.clockid = 11;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EINVAL, "timerfd: TAI is malformed");
	t.clockid = 7;
	t.settime_flags = 3;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EOPNOTSUPP, "timerfd: CANCEL_ON_SET refused");
	t.settime_flags = 5;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EINVAL, "timerfd: unknown settime flag malformed");
	t.settime_flags = 1;
	TAP_OK(!om_criu_check_timerfd(&t, &why), "timerfd: BOOTTIME ABSTIME accepted");
	t.vnsec = 1000000000;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EINVAL, "timerfd: 1e9 ns refused");
	t.vnsec = 0;
	t.isec = OM_CRIU_TIMER_MAX_SEC + 1;
	TAP_OK(om_criu_check_timerfd(&t, &why) == -EINVAL, "timerfd: interval past KTIME_SEC_MAX refused");
	t.isec = 5;
	t.insec = 6;
	t.vsec = 0;
	t.ticks = 0;
	om_criu_timerfd_value(&t, &vs, &vn);
	TAP_OK(!vs && !vn, "timerfd: no time left and no ticks: left disarmed");
	t.ticks = 1;
	om_criu_timerfd_value(&t, &vs, &vn);
	TAP_OK(vs == 5 && vn == 6, "timerfd: expired periodic, unread: armed for one interval");
	t.vsec = 1;
	om_criu_timerfd_value(&t, &vs, &vn);
	TAP_OK(vs == 1 && vn == 0, "timerfd: time left: as recorded");

	memcpy(tfd, p.tfd, sizeof(tfd));
	p.tfd = tfd;
	tfd[1].tfd = 3;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 1,
	       "epoll: one fd watched twice refused");
	tfd[1].tfd = OM_CRIU_MAX_FD;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 1,
	       "epoll: fd 2^20 refused");
	tfd[1].tfd = 6;
	tfd[2].events = 1u << 20;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 2,
	       "epoll: unknown event bit refused");
	tfd[2].events = OM_CRIU_EPOLLEXCLUSIVE | OM_CRIU_EPOLLIN | OM_CRIU_EPOLLONESHOT;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 2,
	       "epoll: EPOLLEXCLUSIVE with EPOLLONESHOT refused");
	tfd[2].events = OM_CRIU_EPOLLEXCLUSIVE | OM_CRIU_EPOLLIN | OM_CRIU_EPOLLET |
			OM_CRIU_EPOLLWAKEUP | OM_CRIU_EPOLLERR | OM_CRIU_EPOLLHUP;
	TAP_OK(!om_criu_check_eventpoll(&p, &why, &idx), "epoll: EPOLLEXCLUSIVE|ET|WAKEUP accepted");
	tfd[2].events = OM_CRIU_EPOLLONESHOT | OM_CRIU_EPOLLET;
	TAP_OK(!om_criu_check_eventpoll(&p, &why, &idx),
	       "epoll: a disarmed EPOLLONESHOT item (private bits only) accepted");
	tfd[2].events = OM_CRIU_EPOLLIN | OM_CRIU_EPOLLERR;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 2,
	       "epoll: an entry without EPOLLHUP refused (epoll_ctl() adds it)");
	tfd[2].events = OM_CRIU_EPOLLONESHOT | OM_CRIU_EPOLLIN;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 2,
	       "epoll: a fired EPOLLONESHOT entry keeps no events");
	tfd[2].events = 0;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == 2,
	       "epoll: an entry of no events at all refused");
	tfd[2].events = OM_CRIU_EPOLLONESHOT;
	p.flags = 0x8002;
	TAP_OK(!om_criu_check_eventpoll(&p, &why, &idx), "epoll: O_LARGEFILE ignored");
	p.flags = 1;
	TAP_OK(om_criu_check_eventpoll(&p, &why, &idx) == -EINVAL && idx == -1,
	       "epoll: O_WRONLY refused");
	p.n_tfd = 0;
	p.flags = 2;
	TAP_OK(!om_criu_check_eventpoll(&p, &why, &idx), "epoll: watching nothing accepted");
}

/* shared anonymous memory: the VMA and its pagemap's checks */
static void test_shmem(struct synth *s)
{
	const struct om_criu_vma_entry *sv = &s->mm.vmas[s->mm.n_vmas - 1];
	struct om_criu_vma_entry v = *sv;
	struct om_criu_pagemap_entry pm[3];
	u64 size = sv->end - sv->start, bytes = 1;
	const char *why;
	int idx, err;

	TAP_OK(!om_criu_check_shmem_vma(&v, &why), "shmem: the synthetic VMA passes");
	v.status |= OM_CRIU_VMA_AREA_HEAP;
	TAP_OK(om_criu_check_shmem_vma(&v, &why) == -EINVAL && why, "shmem: other status bits refused");
	v = *sv;
	v.flags = OM_CRIU_MAP_PRIVATE | OM_CRIU_MAP_ANONYMOUS;
	TAP_OK(om_criu_check_shmem_vma(&v, &why) == -EINVAL, "shmem: MAP_PRIVATE refused");
	v = *sv;
	v.flags |= OM_CRIU_MAP_GROWSDOWN;
	TAP_OK(om_criu_check_shmem_vma(&v, &why) == -EINVAL, "shmem: MAP_GROWSDOWN refused");
	v = *sv;
	v.pgoff = OM_CRIU_PAGE_SIZE;
	TAP_OK(om_criu_check_shmem_vma(&v, &why) == -EINVAL, "shmem: a pgoff refused");
	v = *sv;
	v.shmid = 0;
	TAP_OK(om_criu_check_shmem_vma(&v, &why) == -EINVAL, "shmem: shmid 0 refused");

	memcpy(pm, s->shm_pm, sizeof(s->shm_pm));
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(!err && bytes == 2 * OM_CRIU_PAGE_SIZE && idx == -1,
	       "shmem pagemap: the synthetic one needs 2 pages");
	TAP_OK(!om_criu_check_shmem_pagemap(pm, 0, size, &bytes, &why, &idx) && !bytes,
	       "shmem pagemap: no entries, no pages");
	om_criu_pagemap_set(&pm[1], 3 * OM_CRIU_PAGE_SIZE, 2, OM_CRIU_PE_PRESENT);
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 1 && why, "shmem pagemap: past the object's end refused");
	om_criu_pagemap_set(&pm[1], 1ull << 63, 2, OM_CRIU_PE_PRESENT);
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 1, "shmem pagemap: a huge offset refused");
	pm[1] = s->shm_pm[1];
	pm[1].nr_pages64 = 1ull << 62;
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 1, "shmem pagemap: a huge page count refused (no overflow)");
	pm[1] = s->shm_pm[1];
	pm[1].vaddr = 0x10;
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 1, "shmem pagemap: an unaligned offset refused");
	pm[1] = s->shm_pm[0];
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 1, "shmem pagemap: overlapping entries refused");
	pm[0] = s->shm_pm[1];
	pm[1] = s->shm_pm[0];
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 1, "shmem pagemap: unsorted entries refused");
	memcpy(pm, s->shm_pm, sizeof(s->shm_pm));
	pm[0].flags = OM_CRIU_PE_PARENT;
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EOPNOTSUPP && idx == 0, "shmem pagemap: parent pages refused");
	pm[0] = s->shm_pm[0];
	pm[0].flags = 0;
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(!err && bytes == OM_CRIU_PAGE_SIZE, "shmem pagemap: a hole entry needs no page");
	pm[0].has_flags = false;
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(!err && bytes == 2 * OM_CRIU_PAGE_SIZE, "shmem pagemap: no flags is PRESENT");
	pm[0].nr_pages = pm[0].nr_pages64 = 0;
	err = om_criu_check_shmem_pagemap(pm, 2, size, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL && idx == 0, "shmem pagemap: an empty entry refused");
	err = om_criu_check_shmem_pagemap(s->shm_pm, 2, size + 1, &bytes, &why, &idx);
	TAP_OK(err == -EINVAL, "shmem pagemap: an object of no whole pages refused");
}

int main(void)
{
	static struct synth s;

	synth_build(&s);
	test_varint();
	test_generic();
	test_messages(&s);
	test_framing(&s);
	test_pipe_data(&s);
	test_ghost(&s);
	test_source(&s);
	test_timers(&s);
	test_anon(&s);
	test_timens(&s);
	test_shmem(&s);
	TAP_DONE();
}
