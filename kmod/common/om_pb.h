/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Minimal, table-driven protobuf (proto2) wire codec used for CRIU images.
 * Pure code: builds in the kernel (kbuild) and in userspace (tests, fuzzers).
 *
 * A message is a plain C struct described by an om_pb_msg_desc.  Field kinds
 * map to C storage as follows:
 *   uint32/fixed32/enum -> u32, int32/sint32 -> s32, uint64/fixed64 -> u64,
 *   int64/sint64 -> s64, bool -> bool, string -> char * (NUL-terminated),
 *   bytes -> struct om_pb_bytes, message -> struct X * (NULL = absent).
 * Optional scalars and bytes have a "bool has_x" flag; repeated fields are a
 * pointer to a contiguous array plus a "u32 n_x" count.
 *
 * The encoder writes fields in field-number order, required fields always,
 * repeated scalars unpacked: byte for byte what protobuf-c (CRIU) writes.
 * The decoder accepts packed repeated scalars, skips unknown fields, rejects
 * missing required fields (-ENODATA) like protobuf-c, and never trusts a
 * length: every count is checked against the input and against a cap.
 */
#ifndef _OM_PB_H
#define _OM_PB_H

#include "om_port.h"

/* Nesting bound for sub-messages; CRIU's deepest chain is 5. */
#define OM_PB_MAX_DEPTH		8
/* A message descriptor may have at most this many fields (seen bitmap). */
#define OM_PB_MAX_FIELDS	64
/* Largest field number protobuf allows. */
#define OM_PB_MAX_FIELD_ID	((1u << 29) - 1)
/* Largest encoded message we produce or accept (CRIU's entries are u32). */
#define OM_PB_MAX_MSG		(64u << 20)
#define OM_PB_VARINT_MAX	10

enum om_pb_wire {
	OM_PB_WT_VARINT = 0,
	OM_PB_WT_I64 = 1,
	OM_PB_WT_LEN = 2,
	OM_PB_WT_I32 = 5,
};

enum om_pb_type {
	OM_PB_UINT32,
	OM_PB_UINT64,
	OM_PB_INT32,
	OM_PB_INT64,
	OM_PB_SINT32,
	OM_PB_SINT64,
	OM_PB_BOOL,
	OM_PB_ENUM,
	OM_PB_FIXED32,
	OM_PB_FIXED64,
	OM_PB_STRING,
	OM_PB_BYTES,
	OM_PB_MESSAGE,
};

enum om_pb_label {
	OM_PB_REQUIRED,
	OM_PB_OPTIONAL,
	OM_PB_REPEATED,
};

struct om_pb_bytes {
	u8 *data;
	u32 len;
};

struct om_pb_msg_desc;

struct om_pb_field {
	u32 id;			/* field number */
	u8 type;		/* enum om_pb_type */
	u8 label;		/* enum om_pb_label */
	u32 offset;		/* of the value / array pointer */
	u32 qoffset;		/* of has_x (optional) or n_x (repeated) */
	u32 max;		/* cap: repeated count, string/bytes length */
	const struct om_pb_msg_desc *sub;
};

struct om_pb_msg_desc {
	const char *name;
	u32 size;
	u32 n_fields;
	const struct om_pb_field *fields;	/* sorted by id */
};

#define OM_PB_MSG(n, type, arr) \
	{ .name = (n), .size = sizeof(type), \
	  .n_fields = sizeof(arr) / sizeof((arr)[0]), .fields = (arr) }

/* Byte sink: returns 0 or a negative errno; must consume all of buf. */
struct om_pb_sink {
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
};

/* Sink into a fixed memory buffer; -EMSGSIZE when it would overflow. */
struct om_pb_memsink {
	u8 *buf;
	size_t cap;
	size_t len;
};

int om_pb_memsink_write(void *ctx, const void *buf, size_t len);

/*
 * Batching sink: collects small writes in a caller-provided buffer and
 * forwards full chunks to @out (kernel_write, netlink, socket ...).
 */
struct om_pb_bufsink {
	struct om_pb_sink out;
	u8 *buf;
	size_t cap;
	size_t used;
};

int om_pb_bufsink_write(void *ctx, const void *buf, size_t len);
int om_pb_bufsink_flush(struct om_pb_bufsink *bs);

/* Primitives (exposed for framing code and tests). */
unsigned int om_pb_varint_size(u64 v);
unsigned int om_pb_put_varint(u8 *buf, u64 v);
int om_pb_get_varint(const u8 *p, size_t len, u64 *v);
u32 om_pb_zigzag32(s32 v);
u64 om_pb_zigzag64(s64 v);
s32 om_pb_unzigzag32(u32 v);
s64 om_pb_unzigzag64(u64 v);
int om_pb_skip_field(const u8 *p, size_t len, unsigned int wt);

/* Encoded size of @msg, or a negative errno if it cannot be encoded. */
s64 om_pb_size(const struct om_pb_msg_desc *d, const void *msg);
int om_pb_encode(const struct om_pb_msg_desc *d, const void *msg,
		 struct om_pb_sink *sink);

/*
 * Decode @len bytes into the caller's @msg (d->size bytes, overwritten).
 * On error every allocation is released and @msg is zeroed.  On success
 * the caller owns the allocations: release them with om_pb_free().
 */
int om_pb_decode(const struct om_pb_msg_desc *d, const u8 *buf, size_t len,
		 void *msg);
/* Free what om_pb_decode() allocated inside @msg (not @msg itself). */
void om_pb_free(const struct om_pb_msg_desc *d, void *msg);

/* Heap variants for big messages (core_entry, mm_entry). */
void *om_pb_unpack(const struct om_pb_msg_desc *d, const u8 *buf, size_t len,
		   int *err);
void om_pb_free_unpacked(const struct om_pb_msg_desc *d, void *msg);

#endif /* _OM_PB_H */
