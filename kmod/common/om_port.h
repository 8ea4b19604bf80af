/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Portability shim for code that parses untrusted bytes and therefore must
 * build both inside the kernel modules and in userspace (unit tests,
 * libFuzzer targets, tools).  Only the few primitives such code needs.
 */
#ifndef _OM_PORT_H
#define _OM_PORT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#ifdef OM_HAVE_LINUX_UNALIGNED_H /* compat/Kbuild.include probe */
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
/* om_alloc memory is linearly mapped: frame buffers go into scatterlists */
#define om_alloc(n)	kmalloc((n), GFP_KERNEL | __GFP_NOWARN)
/*
 * Decoded messages and entries (om_pb, om_criu): the caller's memory
 * cgroup pays for them, and they need not be physically contiguous.
 */
#define om_zalloc(n)	kvzalloc((n), GFP_KERNEL_ACCOUNT)
#define om_dalloc(n)	kvmalloc((n), GFP_KERNEL_ACCOUNT | __GFP_NOWARN)
#define om_free(p)	kvfree(p)
#define om_memzero(p, n)	memzero_explicit((p), (n))
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#define om_alloc(n)	malloc(n)
#define om_zalloc(n)	calloc(1, (n))
#define om_dalloc(n)	malloc(n)
#define om_free(p)	free(p)
/* zeroing the compiler may not drop (secrets) */
static inline void om_memzero(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef EBADMSG
#define EBADMSG 74
#endif
/* x86_64 and every platform we target are little-endian */
static inline u16 get_unaligned_le16(const void *p)
{
	u16 v;

	memcpy(&v, p, 2);
	return v;
}

static inline u32 get_unaligned_le32(const void *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

static inline u64 get_unaligned_le64(const void *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

static inline void put_unaligned_le16(u16 v, void *p)
{
	memcpy(p, &v, 2);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	memcpy(p, &v, 4);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	memcpy(p, &v, 8);
}
#endif

#endif /* _OM_PORT_H */
