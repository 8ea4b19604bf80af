/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Shared by the om_systab tests, the seed generator and the fuzzer: a
 * fake user memory behind struct om_sys_umem, and the byte format the
 * fuzzer reads a request from.
 */
#ifndef _OM_DEPUTY_HARNESS_H
#define _OM_DEPUTY_HARNESS_H

#include "om_systab.h"

/* A range of fake user memory at a fixed address */
struct fake_mem {
	u64 base;
	u8 *mem;
	size_t len;
	unsigned int faults;	/* accesses refused */
};

extern const struct om_sys_umem fake_umem_ops;

/* um for mem */
void fake_umem(struct om_sys_umem *um, struct fake_mem *m);
/* host pointer of [a, a + n) in m, or NULL if not all inside */
u8 *fake_ptr(const struct fake_mem *m, u64 a, u64 n);

/*
 * Fuzz input format (little-endian):
 *   0  le16 nr   2  u8 nbuf   3  u8 flags   4  le32 scratch_len
 *   8  6 x le64 args   56  le64 ret (for om_sys_collect)
 *   64 per buffer: u8 arg, u8 dir, le16 niov, le32 len,
 *      then om_sys_buf_datalen() bytes
 * flags & 7 is added to the scratch base (misaligned bases).
 */
#define FUZZ_HDR_LEN		64
#define FUZZ_BUF_HDR_LEN	8
#define FUZZ_SCRATCH_BASE	0x7f0000000000ULL

struct fuzz_req {
	u64 nr;
	u64 args[6];
	s64 ret;
	u64 scratch_base;
	u32 scratch_len;
	unsigned int nbuf;
	struct om_sys_buf buf[OM_SYS_MAX_BUFS + 2];
};

/* Parse; buffers past the input's end are dropped.  0 or -1 (too short) */
int fuzz_parse(const u8 *p, size_t n, struct fuzz_req *fr);
/* Serialize a request (the seed generator); returns bytes written or 0 */
size_t fuzz_write(u8 *p, size_t cap, const struct om_sys_req *rq,
		  u32 scratch_len, s64 ret);

#endif /* _OM_DEPUTY_HARNESS_H */
