// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * TLV attribute parsing and building.  Input is untrusted: every length is
 * checked against the remaining buffer before it is used.
 */
#include "om_tlv.h"

void om_tlv_iter_init(struct om_tlv_iter *it, const u8 *buf, size_t len)
{
	it->buf = buf;
	it->len = buf ? len : 0;
	it->off = 0;
}

int om_tlv_iter_next(struct om_tlv_iter *it, struct om_tlv_attr *a)
{
	size_t rem = it->len - it->off;
	const u8 *p = it->buf + it->off;
	size_t alen, padded, i;
	u16 type;

	if (!rem)
		return 0;
	if (rem < OM_TLV_HDRLEN)
		return -EBADMSG;
	alen = get_unaligned_le16(p);
	type = get_unaligned_le16(p + 2);
	if (alen < OM_TLV_HDRLEN || alen > rem)
		return -EBADMSG;
	padded = OM_TLV_ALIGN(alen);
	if (padded > rem)
		padded = rem;	/* the last attribute may omit its padding */
	/* Non-zero padding would let two encodings mean the same thing */
	for (i = alen; i < padded; i++)
		if (p[i])
			return -EBADMSG;
	a->type = type & OM_TLV_TYPE_MASK;
	a->nested = !!(type & OM_TLV_F_NESTED);
	a->len = (u16)(alen - OM_TLV_HDRLEN);
	a->val = p + OM_TLV_HDRLEN;
	it->off += padded;
	return 1;
}

/* Check the value size (and shape) of a against its policy entry */
static int om_tlv_validate(const struct om_tlv_attr *a,
			   const struct om_tlv_policy *pol)
{
	static const u8 int_len[] = {
		[OM_TLV_U8] = 1, [OM_TLV_U16] = 2,
		[OM_TLV_U32] = 4, [OM_TLV_U64] = 8,
	};
	struct om_tlv_iter it;
	struct om_tlv_attr sub;
	u16 i;
	int ret;

	if (a->nested != (pol->kind == OM_TLV_NESTED))
		return -EINVAL;
	switch (pol->kind) {
	case OM_TLV_U8:
	case OM_TLV_U16:
	case OM_TLV_U32:
	case OM_TLV_U64:
		return a->len == int_len[pol->kind] ? 0 : -EINVAL;
	case OM_TLV_FLAG:
		return a->len == 0 ? 0 : -EINVAL;
	case OM_TLV_STRING:
	case OM_TLV_BINARY:
		for (i = 0; pol->kind == OM_TLV_STRING && i < a->len; i++)
			if (!a->val[i])
				return -EINVAL;
		if (pol->flags & OM_TLV_P_EXACT)
			return a->len == pol->len ? 0 : -EINVAL;
		return (!pol->len || a->len <= pol->len) ? 0 : -EINVAL;
	case OM_TLV_NESTED:
		if (pol->len && a->len > pol->len)
			return -EINVAL;
		/* Structure only; contents are checked by parse_nested */
		om_tlv_iter_init(&it, a->val, a->len);
		while ((ret = om_tlv_iter_next(&it, &sub)) > 0)
			;
		return ret;
	default:
		return -EINVAL;
	}
}

int om_tlv_parse(const u8 *buf, size_t len, const struct om_tlv_pset *ps,
		 struct om_tlv_attr *tb)
{
	struct om_tlv_iter it;
	struct om_tlv_attr a;
	u16 t;
	int ret;

	if (!ps || !tb || (!buf && len))
		return -EINVAL;
	for (t = 0; t <= ps->maxtype; t++)
		memset(&tb[t], 0, sizeof(tb[t]));
	om_tlv_iter_init(&it, buf, len);
	while ((ret = om_tlv_iter_next(&it, &a)) > 0) {
		const struct om_tlv_policy *pol;

		if (!a.type)
			return -EINVAL;
		if (a.type > ps->maxtype ||
		    ps->policy[a.type].kind == OM_TLV_UNSPEC) {
			if (ps->reject_unknown)
				return -EINVAL;
			continue;
		}
		pol = &ps->policy[a.type];
		ret = om_tlv_validate(&a, pol);
		if (ret)
			return ret;
		if (tb[a.type].val) {
			if (!(pol->flags & OM_TLV_P_MULTI))
				return -EINVAL;
			continue;
		}
		tb[a.type] = a;
	}
	if (ret < 0)
		return ret;
	for (t = 1; t <= ps->maxtype; t++)
		if ((ps->policy[t].flags & OM_TLV_P_REQUIRED) && !tb[t].val)
			return -EINVAL;
	return 0;
}

int om_tlv_parse_nested(const struct om_tlv_attr *a,
			const struct om_tlv_pset *ps, struct om_tlv_attr *tb)
{
	if (!a || !a->val || !a->nested)
		return -EINVAL;
	return om_tlv_parse(a->val, a->len, ps, tb);
}

u8 om_tlv_get_u8(const struct om_tlv_attr *a)
{
	return a->val[0];
}

u16 om_tlv_get_u16(const struct om_tlv_attr *a)
{
	return get_unaligned_le16(a->val);
}

u32 om_tlv_get_u32(const struct om_tlv_attr *a)
{
	return get_unaligned_le32(a->val);
}

u64 om_tlv_get_u64(const struct om_tlv_attr *a)
{
	return get_unaligned_le64(a->val);
}

/* ---- Builder ---- */

void om_tlv_buf_init(struct om_tlv_buf *b, u8 *buf, size_t cap)
{
	b->buf = buf;
	b->cap = buf ? cap : 0;
	b->len = 0;
}

/* Reserve header + len (+padding), write the header, return value ptr */
static u8 *om_tlv_reserve(struct om_tlv_buf *b, u16 type, size_t len)
{
	size_t total = OM_TLV_ALIGN(OM_TLV_HDRLEN + len);
	u8 *p;

	if (len > OM_TLV_MAX_VALUE || b->len > b->cap ||
	    total > b->cap - b->len)
		return NULL;
	p = b->buf + b->len;
	put_unaligned_le16((u16)(OM_TLV_HDRLEN + len), p);
	put_unaligned_le16(type, p + 2);
	memset(p + OM_TLV_HDRLEN + len, 0, total - OM_TLV_HDRLEN - len);
	b->len += total;
	return p + OM_TLV_HDRLEN;
}

int om_tlv_put(struct om_tlv_buf *b, u16 type, const void *val, size_t len)
{
	u8 *p;

	if (!type || (type & ~OM_TLV_TYPE_MASK) || (!val && len))
		return -EINVAL;
	p = om_tlv_reserve(b, type, len);
	if (!p)
		return -EMSGSIZE;
	if (len)
		memcpy(p, val, len);
	return 0;
}

u8 *om_tlv_put_reserve(struct om_tlv_buf *b, u16 type, size_t len)
{
	u8 *p;

	if (!type || (type & ~OM_TLV_TYPE_MASK))
		return NULL;
	p = om_tlv_reserve(b, type, len);
	if (p)
		memset(p, 0, len);
	return p;
}

int om_tlv_put_flag(struct om_tlv_buf *b, u16 type)
{
	return om_tlv_put(b, type, NULL, 0);
}

int om_tlv_put_u8(struct om_tlv_buf *b, u16 type, u8 v)
{
	return om_tlv_put(b, type, &v, 1);
}

int om_tlv_put_u16(struct om_tlv_buf *b, u16 type, u16 v)
{
	u8 le[2];

	put_unaligned_le16(v, le);
	return om_tlv_put(b, type, le, sizeof(le));
}

int om_tlv_put_u32(struct om_tlv_buf *b, u16 type, u32 v)
{
	u8 le[4];

	put_unaligned_le32(v, le);
	return om_tlv_put(b, type, le, sizeof(le));
}

int om_tlv_put_u64(struct om_tlv_buf *b, u16 type, u64 v)
{
	u8 le[8];

	put_unaligned_le64(v, le);
	return om_tlv_put(b, type, le, sizeof(le));
}

int om_tlv_nest_start(struct om_tlv_buf *b, u16 type)
{
	size_t start = b->len;

	if (!type || (type & ~OM_TLV_TYPE_MASK))
		return -EINVAL;
	/* The cookie is an int offset; refuse buffers it cannot express */
	if (start > 0x7fffffff || !om_tlv_reserve(b, type | OM_TLV_F_NESTED, 0))
		return -EMSGSIZE;
	return (int)start;
}

int om_tlv_nest_end(struct om_tlv_buf *b, int cookie)
{
	size_t start = (size_t)cookie, alen;

	if (cookie < 0 || start + OM_TLV_HDRLEN > b->len)
		return -EINVAL;
	alen = b->len - start;
	if (alen > 0xffff) {
		om_tlv_nest_cancel(b, cookie);
		return -EMSGSIZE;
	}
	put_unaligned_le16((u16)alen, b->buf + start);
	return 0;
}

void om_tlv_nest_cancel(struct om_tlv_buf *b, int cookie)
{
	if (cookie >= 0 && (size_t)cookie <= b->len)
		b->len = (size_t)cookie;
}
