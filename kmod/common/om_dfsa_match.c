// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The DFSA view's path match (om_dfsa_match.h).  Reads only path[0..len)
 * and the mounts' path[0..len), whatever they hold.
 */
#include "om_dfsa_match.h"

/* The end of the component that starts at s[i] (the next '/' or n) */
static size_t om_dm_comp_end(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] != '/')
		i++;
	return i;
}

/* s[i..e) is "." or ".." */
static bool om_dm_dots(const char *s, size_t i, size_t e)
{
	return (e - i == 1 && s[i] == '.') ||
	       (e - i == 2 && s[i] == '.' && s[i + 1] == '.');
}

/*
 * One mount: 1 with *rest set, 0 for no match, -1 for a "." or ".."
 * component of the path before the mount point was complete
 */
static int om_dm_one(const struct om_mig_dfsa_mnt *m, const char *path,
		     size_t len, size_t *rest)
{
	size_t i = 0, j = 0, e, f;

	if (!m->path || m->len < 2 || m->path[0] != '/')
		return 0;
	while (j < m->len) {
		/* m->path[j] is '/': the mount point's next component */
		j++;
		f = om_dm_comp_end(m->path, j, m->len);
		if (i >= len || path[i] != '/')
			return 0;
		while (i < len && path[i] == '/')
			i++;
		e = om_dm_comp_end(path, i, len);
		if (om_dm_dots(path, i, e))
			return -1;
		if (e - i != f - j || (f > j && memcmp(path + i, m->path + j, f - j)))
			return 0;
		if (f == j)
			return 0;	/* an empty component: not canonical */
		i = e;
		j = f;
	}
	/* the component ended at a '/' or at the end */
	while (i < len && path[i] == '/')
		i++;
	if (i >= len)
		return -1;	/* the mount's root itself */
	*rest = i;
	return 1;
}

int om_dfsa_view_match(const struct om_mig_dfsa_view *v, const char *path,
		       size_t len, size_t *rest)
{
	unsigned int k, n;
	int r;

	if (!v || !path || !len || path[0] != '/')
		return -1;
	n = v->n < OM_MIG_DFSA_VIEW_MAX ? v->n : OM_MIG_DFSA_VIEW_MAX;
	for (k = 0; k < n; k++) {
		r = om_dm_one(&v->mnt[k], path, len, rest);
		if (r > 0)
			return (int)k;
		if (r < 0)
			return -1;
	}
	return -1;
}

int om_dfsa_split_from(const char *rel, size_t len, bool top_ok, size_t *dlen,
		       size_t *last, size_t *llen, bool *trail)
{
	size_t e = len, s, d;

	if (!rel)
		return -1;
	while (e && rel[e - 1] == '/')
		e--;
	s = e;
	while (s && rel[s - 1] != '/')
		s--;
	if (!e || (!s && !top_ok) || om_dm_dots(rel, s, e))
		return -1;
	d = s;
	while (d && rel[d - 1] == '/')
		d--;
	if (!d && s)
		return -1;	/* "/x": not a rest the match gives */
	*dlen = d;
	*last = s;
	*llen = e - s;
	*trail = e < len;
	return 0;
}

int om_dfsa_split(const char *rel, size_t len, size_t *dlen, size_t *last,
		  size_t *llen, bool *trail)
{
	return om_dfsa_split_from(rel, len, false, dlen, last, llen, trail);
}

int om_dfsa_rel(const char *cwd, size_t cwdlen, const char *name, size_t len,
		size_t *ups, size_t *rest)
{
	size_t depth = 0, up = 0, i = 0, e;

	if (!name || !len || name[0] == '/' || (cwdlen && !cwd) || cwdlen > 0xffff)
		return -1;
	/* a canonical path: one component more than it has slashes */
	if (cwdlen) {
		depth = 1;
		for (e = 0; e < cwdlen; e++)
			depth += cwd[e] == '/';
	}
	while (i < len) {
		e = om_dm_comp_end(name, i, len);
		if (!om_dm_dots(name, i, e))
			break;
		if (e - i == 2 && ++up > depth)
			return -1;
		i = e;
		while (i < len && name[i] == '/')
			i++;
	}
	*ups = up;
	*rest = i;
	return (int)(depth - up);
}

long om_dfsa_cwd_join(const char *mp, size_t mplen, const char *cwd, size_t cwdlen,
		      char *out, size_t cap)
{
	size_t n = mplen + (cwdlen ? 1 + cwdlen : 0) + 1;

	if (!mp || !out || (cwdlen && !cwd) || n > cap)
		return -1;
	memcpy(out, mp, mplen);
	if (cwdlen) {
		out[mplen] = '/';
		memcpy(out + mplen + 1, cwd, cwdlen);
	}
	out[n - 1] = '\0';
	return (long)n;
}

bool om_dfsa_label_confined(const char *buf, size_t n)
{
	static const char * const free_labels[] = { "unconfined", "kernel" };
	size_t i;

	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	if (!n)
		return false;
	for (i = 0; i < ARRAY_SIZE(free_labels); i++)
		if (n == strlen(free_labels[i]) && !memcmp(buf, free_labels[i], n))
			return false;
	return true;
}
