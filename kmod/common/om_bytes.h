/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The byte reader and writer of the message codecs (om_mig.c,
 * om_mfs_wire.c).  Reading: every read is bounds-checked; a failed one
 * sets a sticky -EBADMSG and yields zeros, so a decoder reads a whole
 * message and looks at the error once.  Writing: the caller has checked
 * the room (the codecs compute a message's exact size first).
 * Little-endian throughout.
 */
#ifndef _OM_BYTES_H
#define _OM_BYTES_H

#include "om_port.h"

struct om_rd {
	const u8 *p;
	u32 len;
	u32 off;
	int err;
};

static inline const u8 *om_rd(struct om_rd *r, u32 n)
{
	const u8 *q;

	if (r->err || n > r->len - r->off) {
		r->err = -EBADMSG;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static inline u8 om_rd_u8(struct om_rd *r)
{
	const u8 *q = om_rd(r, 1);

	return q ? q[0] : 0;
}

static inline u16 om_rd_u16(struct om_rd *r)
{
	const u8 *q = om_rd(r, 2);

	return q ? get_unaligned_le16(q) : 0;
}

static inline u32 om_rd_u32(struct om_rd *r)
{
	const u8 *q = om_rd(r, 4);

	return q ? get_unaligned_le32(q) : 0;
}

static inline u64 om_rd_u64(struct om_rd *r)
{
	const u8 *q = om_rd(r, 8);

	return q ? get_unaligned_le64(q) : 0;
}

static inline void om_wr_u8(u8 **w, u8 v)
{
	**w = v;
	*w += 1;
}

static inline void om_wr_u16(u8 **w, u16 v)
{
	put_unaligned_le16(v, *w);
	*w += 2;
}

static inline void om_wr_u32(u8 **w, u32 v)
{
	put_unaligned_le32(v, *w);
	*w += 4;
}

static inline void om_wr_u64(u8 **w, u64 v)
{
	put_unaligned_le64(v, *w);
	*w += 8;
}

/* src may already be in place (data read straight into the frame buffer) */
static inline void om_wr_bytes(u8 **w, const void *src, u32 n)
{
	if (n && *w != src)
		memmove(*w, src, n);
	*w += n;
}

#endif /* _OM_BYTES_H */
