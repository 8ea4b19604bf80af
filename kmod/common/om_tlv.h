/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Netlink-like type-length-value attributes for om_wire payloads.
 *
 *   0  le16 len   header + value, not counting padding, >= 4
 *   2  le16 type  bit 15 = OM_TLV_F_NESTED, bits 0..14 the type (> 0)
 *   4  value[len - 4], then zero padding to a multiple of 4
 *
 * Integers are little-endian.  The last attribute's padding may be absent
 * (as in netlink).  Parsing is one level at a time, driven by a policy; a
 * nested attribute is checked for well-formed structure and parsed by the
 * caller with om_tlv_parse_nested() and the nested policy, so there is no
 * recursion and the depth is bounded by the code, not by the input.
 */
#ifndef _OM_TLV_H
#define _OM_TLV_H

#include "om_port.h"

#define OM_TLV_HDRLEN		4
#define OM_TLV_ALIGNTO		4
#define OM_TLV_ALIGN(len)	(((len) + OM_TLV_ALIGNTO - 1) & ~(OM_TLV_ALIGNTO - 1))
#define OM_TLV_F_NESTED		0x8000
#define OM_TLV_TYPE_MASK	0x7fff
#define OM_TLV_MAX_VALUE	(0xffff - OM_TLV_HDRLEN)

enum om_tlv_kind {
	OM_TLV_UNSPEC = 0,	/* not in policy: handled as unknown */
	OM_TLV_U8,
	OM_TLV_U16,
	OM_TLV_U32,
	OM_TLV_U64,
	OM_TLV_BINARY,		/* len = max length (0 = any), or exact */
	OM_TLV_STRING,		/* like BINARY, must not contain NUL */
	OM_TLV_FLAG,		/* no value */
	OM_TLV_NESTED,		/* value is a TLV stream, policy 'nested' */
};

/* Policy flags */
#define OM_TLV_P_EXACT		0x01	/* BINARY/STRING: len is exact */
#define OM_TLV_P_MULTI		0x02	/* may appear more than once */
#define OM_TLV_P_REQUIRED	0x04	/* must be present */

struct om_tlv_pset;

struct om_tlv_policy {
	u8 kind;		/* enum om_tlv_kind */
	u8 flags;		/* OM_TLV_P_* */
	u16 len;
	const struct om_tlv_pset *nested;
};

/* A policy set: attributes 1..maxtype, indexed by type */
struct om_tlv_pset {
	const struct om_tlv_policy *policy;	/* maxtype + 1 entries */
	u16 maxtype;
	bool reject_unknown;	/* else unknown types are skipped */
};

/* One attribute as seen by the parser; val points into the input */
struct om_tlv_attr {
	u16 type;		/* without OM_TLV_F_NESTED */
	u16 len;		/* value length */
	bool nested;
	const u8 *val;		/* NULL when absent */
};

/* Iteration over a TLV stream, no policy */
struct om_tlv_iter {
	const u8 *buf;
	size_t len;
	size_t off;
};

void om_tlv_iter_init(struct om_tlv_iter *it, const u8 *buf, size_t len);
/*
 * 1 and *a filled, 0 at the end, -EBADMSG on a truncated or malformed
 * header (len < 4 or past the end), -EBADMSG on non-zero padding.
 */
int om_tlv_iter_next(struct om_tlv_iter *it, struct om_tlv_attr *a);

/*
 * Validate every attribute of buf against ps and fill tb[0..maxtype]
 * (tb[t].val == NULL when absent; the first instance for MULTI).  Errors:
 * -EBADMSG malformed stream, -EINVAL value size wrong for its kind,
 * duplicate, missing required attribute, nested flag not matching the
 * policy, type 0, unknown type under reject_unknown.  tb is only
 * meaningful on success.
 */
int om_tlv_parse(const u8 *buf, size_t len, const struct om_tlv_pset *ps,
		 struct om_tlv_attr *tb);
/* Parse the value of a nested attribute with its nested policy */
int om_tlv_parse_nested(const struct om_tlv_attr *a,
			const struct om_tlv_pset *ps, struct om_tlv_attr *tb);

/* Getters: only valid after the policy guaranteed the size */
u8 om_tlv_get_u8(const struct om_tlv_attr *a);
u16 om_tlv_get_u16(const struct om_tlv_attr *a);
u32 om_tlv_get_u32(const struct om_tlv_attr *a);
u64 om_tlv_get_u64(const struct om_tlv_attr *a);

/* ---- Builder ---- */

struct om_tlv_buf {
	u8 *buf;
	size_t cap;
	size_t len;
};

void om_tlv_buf_init(struct om_tlv_buf *b, u8 *buf, size_t cap);
/* All put functions return 0 or -EMSGSIZE (nothing written) / -EINVAL */
int om_tlv_put(struct om_tlv_buf *b, u16 type, const void *val, size_t len);
int om_tlv_put_flag(struct om_tlv_buf *b, u16 type);
int om_tlv_put_u8(struct om_tlv_buf *b, u16 type, u8 v);
int om_tlv_put_u16(struct om_tlv_buf *b, u16 type, u16 v);
int om_tlv_put_u32(struct om_tlv_buf *b, u16 type, u32 v);
int om_tlv_put_u64(struct om_tlv_buf *b, u16 type, u64 v);
/*
 * Append an attribute of len value bytes, zeroed, for the caller to fill
 * in place (large values need no staging copy on the stack).  Returns the
 * value, or NULL if it does not fit or type is invalid (nothing written).
 */
u8 *om_tlv_put_reserve(struct om_tlv_buf *b, u16 type, size_t len);
/*
 * Open a nested attribute; returns a cookie (>= 0) for nest_end or
 * nest_cancel, or -EMSGSIZE.  Nest inside nests as deep as needed.
 */
int om_tlv_nest_start(struct om_tlv_buf *b, u16 type);
/* Close: fixes the length; -EMSGSIZE if the nest grew beyond 64 KiB */
int om_tlv_nest_end(struct om_tlv_buf *b, int cookie);
/* Drop everything written since nest_start */
void om_tlv_nest_cancel(struct om_tlv_buf *b, int cookie);

#endif /* _OM_TLV_H */
