// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Table-driven proto2 wire codec for CRIU images (see om_pb.h).
 * Recursion is bounded by OM_PB_MAX_DEPTH; every frame is small.
 */
#include "om_pb.h"

#define OM_PB_PTR(msg, off)	((void *)((u8 *)(msg) + (off)))
#define OM_PB_CPTR(msg, off)	((const void *)((const u8 *)(msg) + (off)))

static size_t om_pb_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int om_pb_memsink_write(void *ctx, const void *buf, size_t len)
{
	struct om_pb_memsink *ms = ctx;

	if (len > ms->cap - ms->len)
		return -EMSGSIZE;
	memcpy(ms->buf + ms->len, buf, len);
	ms->len += len;
	return 0;
}

int om_pb_bufsink_flush(struct om_pb_bufsink *bs)
{
	int ret;

	if (!bs->used)
		return 0;
	ret = bs->out.write(bs->out.ctx, bs->buf, bs->used);
	bs->used = 0;
	return ret;
}

int om_pb_bufsink_write(void *ctx, const void *buf, size_t len)
{
	struct om_pb_bufsink *bs = ctx;
	const u8 *p = buf;
	int ret;

	while (len) {
		size_t n;

		/* Large payloads (pages, pipe data) bypass the buffer. */
		if (!bs->used && len >= bs->cap)
			return bs->out.write(bs->out.ctx, p, len);
		n = bs->cap - bs->used;
		if (n > len)
			n = len;
		memcpy(bs->buf + bs->used, p, n);
		bs->used += n;
		p += n;
		len -= n;
		if (bs->used == bs->cap) {
			ret = om_pb_bufsink_flush(bs);
			if (ret)
				return ret;
		}
	}
	return 0;
}

unsigned int om_pb_varint_size(u64 v)
{
	unsigned int n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

unsigned int om_pb_put_varint(u8 *buf, u64 v)
{
	unsigned int n = 0;

	while (v >= 0x80) {
		buf[n++] = (u8)(v | 0x80);
		v >>= 7;
	}
	buf[n++] = (u8)v;
	return n;
}

/* Returns bytes consumed; rejects truncation and >64-bit encodings. */
int om_pb_get_varint(const u8 *p, size_t len, u64 *v)
{
	u64 r = 0;
	unsigned int i;

	for (i = 0; i < OM_PB_VARINT_MAX; i++) {
		if (i >= len)
			return -EBADMSG;
		/* The 10th byte may only carry bit 63. */
		if (i == OM_PB_VARINT_MAX - 1 && p[i] > 1)
			return -EBADMSG;
		r |= (u64)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = r;
			return i + 1;
		}
	}
	return -EBADMSG;
}

u32 om_pb_zigzag32(s32 v)
{
	return ((u32)v << 1) ^ (u32)(v >> 31);
}

u64 om_pb_zigzag64(s64 v)
{
	return ((u64)v << 1) ^ (u64)(v >> 63);
}

s32 om_pb_unzigzag32(u32 v)
{
	return (s32)((v >> 1) ^ (~(v & 1) + 1));
}

s64 om_pb_unzigzag64(u64 v)
{
	return (s64)((v >> 1) ^ (~(v & 1) + 1));
}

/* Length of one field value of wire type @wt at @p, or a negative errno. */
int om_pb_skip_field(const u8 *p, size_t len, unsigned int wt)
{
	u64 v;
	int r;

	switch (wt) {
	case OM_PB_WT_VARINT:
		return om_pb_get_varint(p, len, &v);
	case OM_PB_WT_I64:
		return len < 8 ? -EBADMSG : 8;
	case OM_PB_WT_I32:
		return len < 4 ? -EBADMSG : 4;
	case OM_PB_WT_LEN:
		r = om_pb_get_varint(p, len, &v);
		if (r < 0)
			return r;
		if (v > len - r || v > OM_PB_MAX_MSG)
			return -EBADMSG;
		return r + (int)v;
	default:
		/* groups (3, 4) are unsupported, 6 and 7 do not exist */
		return -EPROTO;
	}
}

static unsigned int om_pb_wire_of(unsigned int type)
{
	switch (type) {
	case OM_PB_FIXED32:
		return OM_PB_WT_I32;
	case OM_PB_FIXED64:
		return OM_PB_WT_I64;
	case OM_PB_STRING:
	case OM_PB_BYTES:
	case OM_PB_MESSAGE:
		return OM_PB_WT_LEN;
	default:
		return OM_PB_WT_VARINT;
	}
}

static unsigned int om_pb_elem_size(const struct om_pb_field *f)
{
	switch (f->type) {
	case OM_PB_UINT64:
	case OM_PB_INT64:
	case OM_PB_SINT64:
	case OM_PB_FIXED64:
		return 8;
	case OM_PB_BOOL:
		return sizeof(bool);
	case OM_PB_MESSAGE:
		return f->sub->size;
	case OM_PB_STRING:
		return sizeof(char *);
	case OM_PB_BYTES:
		return sizeof(struct om_pb_bytes);
	default:
		return 4;
	}
}

/* Load a scalar from C storage as the raw value that goes on the wire. */
static u64 om_pb_load(unsigned int type, const void *p)
{
	switch (type) {
	case OM_PB_UINT64:
	case OM_PB_INT64:
	case OM_PB_FIXED64:
		return *(const u64 *)p;
	case OM_PB_SINT64:
		return om_pb_zigzag64(*(const s64 *)p);
	case OM_PB_SINT32:
		return om_pb_zigzag32(*(const s32 *)p);
	case OM_PB_INT32:
	case OM_PB_ENUM:
		/* negative int32 is sign-extended to ten bytes */
		return (u64)(s64)*(const s32 *)p;
	case OM_PB_BOOL:
		return *(const bool *)p ? 1 : 0;
	default:
		return *(const u32 *)p;
	}
}

static void om_pb_store(unsigned int type, void *p, u64 v)
{
	switch (type) {
	case OM_PB_UINT64:
	case OM_PB_INT64:
	case OM_PB_FIXED64:
		*(u64 *)p = v;
		break;
	case OM_PB_SINT64:
		*(s64 *)p = om_pb_unzigzag64(v);
		break;
	case OM_PB_SINT32:
		*(s32 *)p = om_pb_unzigzag32((u32)v);
		break;
	case OM_PB_BOOL:
		*(bool *)p = v != 0;
		break;
	default:
		/* int32/uint32/enum keep the low 32 bits, as protobuf-c */
		*(u32 *)p = (u32)v;
		break;
	}
}

static unsigned int om_pb_scalar_size(unsigned int type, u64 v)
{
	if (type == OM_PB_FIXED32)
		return 4;
	if (type == OM_PB_FIXED64)
		return 8;
	return om_pb_varint_size(v);
}

/* ---------------------------------------------------------------- size */

static s64 om_pb_size_depth(const struct om_pb_msg_desc *d, const void *msg,
			    unsigned int depth);

/* Payload length of one LEN-typed value, or a negative errno. */
static s64 om_pb_len_value(const struct om_pb_field *f, const void *p,
			   unsigned int depth)
{
	const struct om_pb_bytes *b;
	const char *s;
	size_t n;

	switch (f->type) {
	case OM_PB_STRING:
		s = *(char * const *)p;
		if (!s)
			return -EINVAL;
		n = om_pb_strnlen(s, (size_t)f->max + 1);
		return n > f->max ? -EMSGSIZE : (s64)n;
	case OM_PB_BYTES:
		b = p;
		if (b->len > f->max)
			return -EMSGSIZE;
		if (b->len && !b->data)
			return -EINVAL;
		return b->len;
	default:
		return om_pb_size_depth(f->sub, p, depth + 1);
	}
}

static s64 om_pb_field_size(const struct om_pb_field *f, const void *msg,
			    unsigned int depth)
{
	const void *val = OM_PB_CPTR(msg, f->offset);
	unsigned int tagsz = om_pb_varint_size((u64)f->id << 3);
	unsigned int wt = om_pb_wire_of(f->type);
	unsigned int esz = om_pb_elem_size(f);
	const u8 *arr;
	u32 i, n = 1;
	s64 total = 0, sz;

	if (f->label == OM_PB_REPEATED) {
		n = *(const u32 *)OM_PB_CPTR(msg, f->qoffset);
		arr = *(const u8 * const *)val;
		if (n > f->max)
			return -EMSGSIZE;
		if (n && !arr)
			return -EINVAL;
	} else {
		if (f->label == OM_PB_OPTIONAL && f->qoffset &&
		    !*(const bool *)OM_PB_CPTR(msg, f->qoffset))
			return 0;
		if (f->type == OM_PB_MESSAGE) {
			arr = *(const u8 * const *)val;
			if (!arr)
				return f->label == OM_PB_REQUIRED ? -EINVAL : 0;
		} else if (f->type == OM_PB_STRING) {
			if (!*(char * const *)val)
				return f->label == OM_PB_REQUIRED ? -EINVAL : 0;
			arr = val;
		} else {
			arr = val;
		}
	}
	for (i = 0; i < n; i++) {
		const void *e = arr + (size_t)i * esz;

		if (wt == OM_PB_WT_LEN) {
			sz = om_pb_len_value(f, e, depth);
			if (sz < 0)
				return sz;
			total += tagsz + om_pb_varint_size(sz) + sz;
		} else {
			total += tagsz +
				 om_pb_scalar_size(f->type, om_pb_load(f->type, e));
		}
		if (total > OM_PB_MAX_MSG)
			return -EMSGSIZE;
	}
	return total;
}

static s64 om_pb_size_depth(const struct om_pb_msg_desc *d, const void *msg,
			    unsigned int depth)
{
	s64 total = 0, sz;
	u32 i;

	if (depth >= OM_PB_MAX_DEPTH)
		return -ELOOP;
	for (i = 0; i < d->n_fields; i++) {
		sz = om_pb_field_size(&d->fields[i], msg, depth);
		if (sz < 0)
			return sz;
		total += sz;
		if (total > OM_PB_MAX_MSG)
			return -EMSGSIZE;
	}
	return total;
}

s64 om_pb_size(const struct om_pb_msg_desc *d, const void *msg)
{
	return om_pb_size_depth(d, msg, 0);
}

/* -------------------------------------------------------------- encode */

static int om_pb_encode_depth(const struct om_pb_msg_desc *d, const void *msg,
			      struct om_pb_sink *sink, unsigned int depth);

static int om_pb_encode_elem(const struct om_pb_field *f, const void *e,
			     struct om_pb_sink *sink, unsigned int depth)
{
	unsigned int wt = om_pb_wire_of(f->type);
	u8 hdr[2 * OM_PB_VARINT_MAX];
	unsigned int n;
	s64 sz;
	u64 v;
	int ret;

	n = om_pb_put_varint(hdr, ((u64)f->id << 3) | wt);
	if (wt != OM_PB_WT_LEN) {
		v = om_pb_load(f->type, e);
		if (f->type == OM_PB_FIXED32) {
			put_unaligned_le32((u32)v, hdr + n);
			n += 4;
		} else if (f->type == OM_PB_FIXED64) {
			put_unaligned_le64(v, hdr + n);
			n += 8;
		} else {
			n += om_pb_put_varint(hdr + n, v);
		}
		return sink->write(sink->ctx, hdr, n);
	}
	sz = om_pb_len_value(f, e, depth);
	if (sz < 0)
		return (int)sz;
	n += om_pb_put_varint(hdr + n, (u64)sz);
	ret = sink->write(sink->ctx, hdr, n);
	if (ret || !sz)
		return ret;
	if (f->type == OM_PB_STRING)
		return sink->write(sink->ctx, *(char * const *)e, (size_t)sz);
	if (f->type == OM_PB_BYTES)
		return sink->write(sink->ctx, ((const struct om_pb_bytes *)e)->data,
				   (size_t)sz);
	return om_pb_encode_depth(f->sub, e, sink, depth + 1);
}

static int om_pb_encode_field(const struct om_pb_field *f, const void *msg,
			      struct om_pb_sink *sink, unsigned int depth)
{
	const void *val = OM_PB_CPTR(msg, f->offset);
	unsigned int esz = om_pb_elem_size(f);
	const u8 *arr;
	u32 i, n;
	int ret;

	if (f->label == OM_PB_REPEATED) {
		n = *(const u32 *)OM_PB_CPTR(msg, f->qoffset);
		arr = *(const u8 * const *)val;
		for (i = 0; i < n; i++) {
			ret = om_pb_encode_elem(f, arr + (size_t)i * esz, sink,
						depth);
			if (ret)
				return ret;
		}
		return 0;
	}
	if (f->label == OM_PB_OPTIONAL && f->qoffset &&
	    !*(const bool *)OM_PB_CPTR(msg, f->qoffset))
		return 0;
	if (f->type == OM_PB_MESSAGE) {
		arr = *(const u8 * const *)val;
		return arr ? om_pb_encode_elem(f, arr, sink, depth) : 0;
	}
	if (f->type == OM_PB_STRING && !*(char * const *)val)
		return 0;
	return om_pb_encode_elem(f, val, sink, depth);
}

static int om_pb_encode_depth(const struct om_pb_msg_desc *d, const void *msg,
			      struct om_pb_sink *sink, unsigned int depth)
{
	u32 i;
	int ret;

	if (depth >= OM_PB_MAX_DEPTH)
		return -ELOOP;
	for (i = 0; i < d->n_fields; i++) {
		ret = om_pb_encode_field(&d->fields[i], msg, sink, depth);
		if (ret)
			return ret;
	}
	return 0;
}

int om_pb_encode(const struct om_pb_msg_desc *d, const void *msg,
		 struct om_pb_sink *sink)
{
	s64 sz = om_pb_size(d, msg);

	/* Validate everything before the first byte leaves. */
	if (sz < 0)
		return (int)sz;
	return om_pb_encode_depth(d, msg, sink, 0);
}

/* ---------------------------------------------------------------- free */

static void om_pb_free_depth(const struct om_pb_msg_desc *d, void *msg,
			     unsigned int depth)
{
	u32 i, j, n;

	if (depth >= OM_PB_MAX_DEPTH)
		return;
	for (i = 0; i < d->n_fields; i++) {
		const struct om_pb_field *f = &d->fields[i];
		void **pp = OM_PB_PTR(msg, f->offset);

		if (f->label == OM_PB_REPEATED) {
			u8 *arr = *pp;

			n = *(u32 *)OM_PB_PTR(msg, f->qoffset);
			if (arr && f->type == OM_PB_MESSAGE)
				for (j = 0; j < n; j++)
					om_pb_free_depth(f->sub,
						arr + (size_t)j * f->sub->size,
						depth + 1);
			om_free(arr);
			*pp = NULL;
			*(u32 *)OM_PB_PTR(msg, f->qoffset) = 0;
		} else if (f->type == OM_PB_MESSAGE) {
			if (*pp)
				om_pb_free_depth(f->sub, *pp, depth + 1);
			om_free(*pp);
			*pp = NULL;
		} else if (f->type == OM_PB_STRING) {
			om_free(*pp);
			*pp = NULL;
		} else if (f->type == OM_PB_BYTES) {
			struct om_pb_bytes *b = (struct om_pb_bytes *)pp;

			om_free(b->data);
			b->data = NULL;
			b->len = 0;
		}
	}
}

void om_pb_free(const struct om_pb_msg_desc *d, void *msg)
{
	if (msg)
		om_pb_free_depth(d, msg, 0);
}

/* -------------------------------------------------------------- decode */

static const struct om_pb_field *om_pb_find(const struct om_pb_msg_desc *d,
					    u64 id, u32 *idx)
{
	u32 i;

	for (i = 0; i < d->n_fields; i++) {
		if (d->fields[i].id == id) {
			*idx = i;
			return &d->fields[i];
		}
	}
	return NULL;
}

/* Elements inside a packed payload of @len bytes, or a negative errno. */
static s64 om_pb_packed_count(const struct om_pb_field *f, const u8 *p,
			      size_t len)
{
	size_t off = 0;
	s64 n = 0;
	u64 v;
	int r;

	if (f->type == OM_PB_FIXED32)
		return len % 4 ? -EBADMSG : (s64)(len / 4);
	if (f->type == OM_PB_FIXED64)
		return len % 8 ? -EBADMSG : (s64)(len / 8);
	while (off < len) {
		r = om_pb_get_varint(p + off, len - off, &v);
		if (r < 0)
			return r;
		off += r;
		n++;
	}
	return n;
}

static bool om_pb_packable(const struct om_pb_field *f)
{
	return om_pb_wire_of(f->type) != OM_PB_WT_LEN;
}

/* Read one scalar of wire type @wt; returns bytes used. */
static int om_pb_read_scalar(const u8 *p, size_t len, unsigned int wt, u64 *v)
{
	if (wt == OM_PB_WT_I32) {
		if (len < 4)
			return -EBADMSG;
		*v = get_unaligned_le32(p);
		return 4;
	}
	if (wt == OM_PB_WT_I64) {
		if (len < 8)
			return -EBADMSG;
		*v = get_unaligned_le64(p);
		return 8;
	}
	return om_pb_get_varint(p, len, v);
}

/*
 * Pass 1: validate the framing of every field and count repeated elements
 * into the n_x counters, so that pass 2 can allocate each array once.
 */
static int om_pb_count(const struct om_pb_msg_desc *d, const u8 *buf,
		       size_t len, void *msg)
{
	size_t off = 0;
	u64 tag, plen;
	u32 idx, *cnt;
	s64 add;
	int r, h;

	while (off < len) {
		const struct om_pb_field *f;
		unsigned int wt;

		r = om_pb_get_varint(buf + off, len - off, &tag);
		if (r < 0)
			return r;
		off += r;
		wt = tag & 7;
		if ((tag >> 3) == 0 || (tag >> 3) > OM_PB_MAX_FIELD_ID)
			return -EPROTO;
		r = om_pb_skip_field(buf + off, len - off, wt);
		if (r < 0)
			return r;
		f = om_pb_find(d, tag >> 3, &idx);
		if (f && f->label == OM_PB_REPEATED) {
			cnt = OM_PB_PTR(msg, f->qoffset);
			if (wt == om_pb_wire_of(f->type)) {
				add = 1;
			} else if (wt == OM_PB_WT_LEN && om_pb_packable(f)) {
				h = om_pb_get_varint(buf + off, len - off, &plen);
				if (h < 0)
					return h;
				add = om_pb_packed_count(f, buf + off + h, plen);
				if (add < 0)
					return (int)add;
			} else {
				return -EPROTO;
			}
			if ((u64)*cnt + add > f->max)
				return -EMSGSIZE;
			*cnt += (u32)add;
		}
		off += r;
	}
	return 0;
}

static int om_pb_decode_depth(const struct om_pb_msg_desc *d, const u8 *buf,
			      size_t len, void *msg, unsigned int depth);

/* Decode one LEN value (string, bytes, message) into element @e. */
static int om_pb_decode_len(const struct om_pb_field *f, const u8 *p,
			    size_t n, void *e, unsigned int depth)
{
	struct om_pb_bytes *b;
	char *s;
	u8 *sub;
	int ret;

	switch (f->type) {
	case OM_PB_STRING:
		/* Kernel users treat these as C strings: no embedded NUL. */
		if (n > f->max)
			return -EMSGSIZE;
		if (om_pb_strnlen((const char *)p, n) != n)
			return -EBADMSG;
		s = om_dalloc(n + 1);
		if (!s)
			return -ENOMEM;
		memcpy(s, p, n);
		s[n] = 0;
		om_free(*(char **)e);	/* last one wins */
		*(char **)e = s;
		return 0;
	case OM_PB_BYTES:
		if (n > f->max)
			return -EMSGSIZE;
		b = e;
		om_free(b->data);
		b->data = NULL;
		b->len = 0;
		if (n) {
			b->data = om_dalloc(n);
			if (!b->data)
				return -ENOMEM;
			memcpy(b->data, p, n);
			b->len = (u32)n;
		}
		return 0;
	default:
		if (f->label != OM_PB_REPEATED) {
			/* CRIU never repeats a sub-message: no merging. */
			if (*(void **)e)
				return -EPROTO;
			sub = om_zalloc(f->sub->size);
			if (!sub)
				return -ENOMEM;
			ret = om_pb_decode_depth(f->sub, p, n, sub, depth + 1);
			if (ret) {
				om_free(sub);
				return ret;
			}
			*(void **)e = sub;
			return 0;
		}
		return om_pb_decode_depth(f->sub, p, n, e, depth + 1);
	}
}

/* Pass 2 for one field occurrence; @p/@n is the value (LEN: payload). */
static int om_pb_decode_field(const struct om_pb_field *f, void *msg,
			      unsigned int wt, const u8 *p, size_t n,
			      unsigned int depth)
{
	void *val = OM_PB_PTR(msg, f->offset);
	unsigned int esz = om_pb_elem_size(f);
	u32 *cnt = NULL;
	u8 *arr;
	size_t off;
	u64 v;
	int r;

	if (f->label == OM_PB_REPEATED) {
		cnt = OM_PB_PTR(msg, f->qoffset);
		arr = *(u8 **)val;
		if (wt == OM_PB_WT_LEN && om_pb_packable(f)) {
			for (off = 0; off < n; off += r) {
				r = om_pb_read_scalar(p + off, n - off,
						      om_pb_wire_of(f->type), &v);
				if (r < 0)
					return r;
				om_pb_store(f->type, arr + (size_t)*cnt * esz, v);
				(*cnt)++;
			}
			return 0;
		}
		if (wt == OM_PB_WT_LEN) {
			r = om_pb_decode_len(f, p, n, arr + (size_t)*cnt * esz,
					     depth);
			if (r)
				return r;
		} else {
			r = om_pb_read_scalar(p, n, wt, &v);
			if (r < 0)
				return r;
			om_pb_store(f->type, arr + (size_t)*cnt * esz, v);
		}
		(*cnt)++;
		return 0;
	}
	if (wt != om_pb_wire_of(f->type))
		return -EPROTO;
	if (wt == OM_PB_WT_LEN) {
		r = om_pb_decode_len(f, p, n, val, depth);
		if (r)
			return r;
	} else {
		r = om_pb_read_scalar(p, n, wt, &v);
		if (r < 0)
			return r;
		om_pb_store(f->type, val, v);
	}
	if (f->label == OM_PB_OPTIONAL && f->qoffset)
		*(bool *)OM_PB_PTR(msg, f->qoffset) = true;
	return 0;
}

/* Allocate every counted repeated array; counters restart at zero. */
static int om_pb_alloc_arrays(const struct om_pb_msg_desc *d, void *msg)
{
	u32 i, *cnt;

	for (i = 0; i < d->n_fields; i++) {
		const struct om_pb_field *f = &d->fields[i];
		void **pp;

		if (f->label != OM_PB_REPEATED)
			continue;
		cnt = OM_PB_PTR(msg, f->qoffset);
		pp = OM_PB_PTR(msg, f->offset);
		if (*cnt) {
			*pp = om_zalloc((size_t)*cnt * om_pb_elem_size(f));
			if (!*pp)
				return -ENOMEM;
		}
		*cnt = 0;
	}
	return 0;
}

static int om_pb_fill(const struct om_pb_msg_desc *d, const u8 *buf,
		      size_t len, void *msg, unsigned int depth)
{
	u64 seen = 0, tag, plen;
	size_t off = 0;
	u32 i, idx;
	int r, h;

	while (off < len) {
		const struct om_pb_field *f;
		unsigned int wt;

		r = om_pb_get_varint(buf + off, len - off, &tag);
		if (r < 0)
			return r;
		off += r;
		wt = tag & 7;
		r = om_pb_skip_field(buf + off, len - off, wt);
		if (r < 0)
			return r;
		f = om_pb_find(d, tag >> 3, &idx);
		if (f) {
			h = 0;
			plen = (u64)r;
			if (wt == OM_PB_WT_LEN) {
				h = om_pb_get_varint(buf + off, len - off, &plen);
				if (h < 0)
					return h;
			}
			h = om_pb_decode_field(f, msg, wt, buf + off + h,
					       (size_t)plen, depth);
			if (h)
				return h;
			seen |= 1ull << idx;
		}
		off += r;
	}
	for (i = 0; i < d->n_fields; i++)
		if (d->fields[i].label == OM_PB_REQUIRED && !(seen & (1ull << i)))
			return -ENODATA;
	return 0;
}

static int om_pb_decode_depth(const struct om_pb_msg_desc *d, const u8 *buf,
			      size_t len, void *msg, unsigned int depth)
{
	int ret;

	memset(msg, 0, d->size);
	if (depth >= OM_PB_MAX_DEPTH)
		return -EPROTO;
	if (d->n_fields > OM_PB_MAX_FIELDS || len > OM_PB_MAX_MSG)
		return -EINVAL;
	ret = om_pb_count(d, buf, len, msg);
	if (!ret)
		ret = om_pb_alloc_arrays(d, msg);
	if (!ret)
		ret = om_pb_fill(d, buf, len, msg, depth);
	if (ret) {
		om_pb_free_depth(d, msg, depth);
		memset(msg, 0, d->size);
	}
	return ret;
}

int om_pb_decode(const struct om_pb_msg_desc *d, const u8 *buf, size_t len,
		 void *msg)
{
	return om_pb_decode_depth(d, buf, len, msg, 0);
}

void *om_pb_unpack(const struct om_pb_msg_desc *d, const u8 *buf, size_t len,
		   int *err)
{
	void *msg = om_zalloc(d->size);
	int ret;

	if (!msg) {
		*err = -ENOMEM;
		return NULL;
	}
	ret = om_pb_decode(d, buf, len, msg);
	if (ret) {
		om_free(msg);
		*err = ret;
		return NULL;
	}
	*err = 0;
	return msg;
}

void om_pb_free_unpacked(const struct om_pb_msg_desc *d, void *msg)
{
	if (!msg)
		return;
	om_pb_free(d, msg);
	om_free(msg);
}
