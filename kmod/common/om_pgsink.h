/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The target's page sink (Documentation/migration.md, "Pages into the
 * process as they come"): where the bytes of a pages-N.img that a peer
 * streams go in the new process's memory.
 *
 * The restore checks the pagemap against the image's VMAs first, then
 * gives the sink that pagemap's PRESENT entries as runs, split where a
 * VMA whose pages are not written (the live [vdso]) begins or ends.  The
 * pages image is the runs' data end to end, so each chunk that comes
 * (its offset in the image, its bytes) is cut into segments of one run
 * each, with the address its bytes go to.  Chunks must come in order,
 * without a gap, and never past the image's end (the runs' sum): any
 * other chunk is an error, and the sink stays failed.
 *
 * Plain C (om_port.h): built in the module and in userspace, where
 * tests/unit/pgsink tests and fuzzes it.
 */
#ifndef _OM_PGSINK_H
#define _OM_PGSINK_H

#include "om_port.h"

/* om_pgsink_run.flags */
#define OM_PGSINK_SKIP	0x1	/* the data are read and dropped (the live vdso) */

/* A PRESENT pagemap run, or the part of one inside one VMA */
struct om_pgsink_run {
	u64 vaddr;		/* page aligned */
	u64 nr;			/* pages, >= 1 */
	u32 flags;		/* OM_PGSINK_* */
};

/*
 * A segment's bytes go to @vaddr (they may begin or end inside a page:
 * a chunk's length is the peer's); 0 or a negative errno, which ends
 * the feed and fails the sink.
 */
typedef int (*om_pgsink_put_t)(void *ctx, u64 vaddr, const u8 *data, u32 len,
			       u32 flags);

struct om_pgsink {
	const struct om_pgsink_run *run;	/* the caller's, kept while the sink is used */
	u32 n_run;
	u32 page_shift;
	u32 cur;		/* the run the next byte goes to */
	u64 cur_off;		/* bytes of run[cur] already in */
	u64 pos;		/* bytes of the image in so far */
	u64 need;		/* the image's size: every run's bytes */
	int err;		/* sticky: the first error */
};

/*
 * Checks @run (sorted, not overlapping, page aligned, each below @top,
 * every size without overflow) and starts an empty sink: 0, or -EINVAL.
 */
int om_pgsink_init(struct om_pgsink *s, const struct om_pgsink_run *run, u32 n_run,
		   u32 page_shift, u64 top);

/*
 * One chunk of the image: @len bytes at offset @off.  0, or -EPROTO (not
 * where the last chunk ended), -EFBIG (past the image's end), the
 * sink's earlier error, or @put's.
 */
int om_pgsink_feed(struct om_pgsink *s, u64 off, const u8 *data, u32 len,
		   om_pgsink_put_t put, void *ctx);

/* Every byte in, and no error */
bool om_pgsink_complete(const struct om_pgsink *s);

/*
 * The id N of an image name "pages-N.img" of @len bytes (not NUL
 * terminated): 0, or -EINVAL for any other name (N decimal, 1 to
 * U32_MAX, no sign, no leading zero).
 */
int om_pgsink_pages_id(const char *name, u32 len, u32 *id);

#endif /* _OM_PGSINK_H */
