// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * libFuzzer target: om_dfsa_view_match() on a view and a path made of
 * the input (lines: up to 8 mount paths, any bytes, then the path), each
 * in a buffer of exactly its size, so ASan catches a read past it.  A
 * match must name a mount of the view, with a rest inside the path that
 * does not start with '/', and the path before it must be the mount's
 * path with its slashes repeated (no "." or ".." component, no extra
 * one); -1 otherwise.
 */
#include "om_dfsa_match.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* path[0..n) with runs of '/' made one and trailing ones dropped */
static size_t squeeze(const char *path, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (path[i] == '/' && o && out[o - 1] == '/')
			continue;
		out[o++] = path[i];
	}
	while (o > 1 && out[o - 1] == '/')
		o--;
	return o;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct om_mig_dfsa_view v;
	char *mp[OM_MIG_DFSA_VIEW_MAX] = { 0 };
	const u8 *p = data, *end = data + size, *nl;
	char *path, *sq;
	size_t plen, rest = 0, sl;
	unsigned int i;
	int k;

	memset(&v, 0, sizeof(v));
	while (v.n < OM_MIG_DFSA_VIEW_MAX && (nl = memchr(p, '\n', end - p))) {
		size_t n = nl - p;

		if (n > 0xffff)
			n = 0xffff;
		mp[v.n] = malloc(n ? n : 1);
		memcpy(mp[v.n], p, n);
		v.mnt[v.n].path = mp[v.n];
		v.mnt[v.n].len = (u16)n;
		v.n++;
		p = nl + 1;
	}
	plen = end - p;
	path = malloc(plen ? plen : 1);
	memcpy(path, p, plen);
	k = om_dfsa_view_match(&v, path, plen, &rest);
	if (k < -1 || k >= (int)v.n)
		__builtin_trap();
	if (k >= 0) {
		const struct om_mig_dfsa_mnt *m = &v.mnt[k];

		if (rest == 0 || rest >= plen || path[rest] == '/' || path[rest - 1] != '/')
			__builtin_trap();
		sq = malloc(rest + 1);
		sl = squeeze(path, rest, sq);
		if (sl != m->len || memcmp(sq, m->path, sl))
			__builtin_trap();
		for (i = 0; i + 1 < sl; i++)
			if (sq[i] == '/' && sq[i + 1] == '.' &&
			    (i + 2 == sl || sq[i + 2] == '/' ||
			     (sq[i + 2] == '.' && (i + 3 == sl || sq[i + 3] == '/'))))
				__builtin_trap();
		free(sq);
	}
	free(path);
	for (i = 0; i < v.n; i++)
		free(mp[i]);
	return 0;
}
