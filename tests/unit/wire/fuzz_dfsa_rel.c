// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: phase 2's om_dfsa_rel(), om_dfsa_split_from() and
 * om_dfsa_cwd_join().  The input's first byte splits the rest into a cwd
 * and a name, each in a buffer of exactly its size (ASan catches a read
 * past them).  om_dfsa_rel() must agree with a reference that resolves
 * the name against the cwd's components by a stack; split_from must give
 * what om_dfsa_split() gives, or a single name with an empty parent; the
 * join must be the cwd appended to the mount point, NUL-terminated, its
 * length with the NUL, or refused exactly when the room is short.
 */
#include "om_dfsa_match.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* components of the cwd (canonical or not: a '/' ends one) */
static size_t ref_depth(const char *c, size_t n)
{
	size_t i, d = n ? 1 : 0;

	for (i = 0; i < n; i++)
		d += c[i] == '/';
	return d;
}

/* the leading "."s and ".."s, one component at a time */
static int ref_rel(const char *c, size_t cn, const char *s, size_t n, size_t *ups, size_t *rest)
{
	size_t i = 0, up = 0, d = ref_depth(c, cn), e;

	if (!n || s[0] == '/')
		return -1;
	for (;;) {
		for (e = i; e < n && s[e] != '/'; e++)
			;
		if (e - i == 1 && s[i] == '.') {
		} else if (e - i == 2 && s[i] == '.' && s[i + 1] == '.') {
			if (++up > d)
				return -1;
		} else {
			break;
		}
		for (i = e; i < n && s[i] == '/'; i++)
			;
		if (i == n)
			break;
	}
	*ups = up;
	*rest = i;
	return (int)(d - up);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t cut, cn, nn, ups = 0, rest = 0, rups = 0, rrest = 0;
	size_t dl = 0, l = 0, ll = 0, dl2 = 0, l2 = 0, ll2 = 0;
	bool t = false, t2 = false;
	char *c, *s, out[64];
	int r, rr, a, b;
	long j;

	if (!size || size > 0xffff)
		return 0;
	cut = data[0];
	data++;
	size--;
	if (cut > size)
		cut = size;
	cn = cut;
	nn = size - cut;
	c = malloc(cn ? cn : 1);
	s = malloc(nn ? nn : 1);
	memcpy(c, data, cn);
	memcpy(s, data + cn, nn);

	r = om_dfsa_rel(c, cn, s, nn, &ups, &rest);
	rr = ref_rel(c, cn, s, nn, &rups, &rrest);
	if (r != rr || (r >= 0 && (ups != rups || rest != rrest || rest > nn ||
				  (rest < nn && s[rest] == '/'))))
		__builtin_trap();

	a = om_dfsa_split_from(s, nn, true, &dl, &l, &ll, &t);
	b = om_dfsa_split(s, nn, &dl2, &l2, &ll2, &t2);
	if (!b && (a || dl != dl2 || l != l2 || ll != ll2 || t != t2))
		__builtin_trap();
	if (!a && b && (dl || l || !ll || memchr(s, '/', ll)))
		__builtin_trap();
	if (a && !b)
		__builtin_trap();

	j = om_dfsa_cwd_join(s, nn, c, cn, out, sizeof(out));
	if (nn + (cn ? cn + 1 : 0) + 1 > sizeof(out)) {
		if (j != -1)
			__builtin_trap();
	} else if (j != (long)(nn + (cn ? cn + 1 : 0) + 1) || memcmp(out, s, nn) ||
		   (cn && (out[nn] != '/' || memcmp(out + nn + 1, c, cn))) || out[j - 1]) {
		__builtin_trap();
	}
	free(c);
	free(s);
	return 0;
}
