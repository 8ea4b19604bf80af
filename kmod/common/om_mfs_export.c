// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS export list: its text form and the access rule (om_mfs_export.h).
 * Plain C, also built in userspace for the unit tests.
 */
#include "om_mfs_export.h"

static bool om_exp_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s[0..len) ends in the 3 bytes suffix */
static bool om_exp_ends(const char *s, size_t len, const char *suffix)
{
	return len >= 3 && !memcmp(s + len - 3, suffix, 3);
}

int om_mfs_export_parse(const char *s, size_t len, struct om_mfs_export_tok *out,
			int max, size_t *bad)
{
	size_t i = 0, start, wlen;
	int n = 0, err;

	for (;;) {
		while (i < len && om_exp_blank(s[i]))
			i++;
		if (i == len)
			return n;
		start = i;
		while (i < len && !om_exp_blank(s[i]))
			i++;
		wlen = i - start;
		err = -E2BIG;
		if (n == max)
			goto fail;
		out[n].ro = false;
		if (om_exp_ends(s + start, wlen, ":ro")) {
			out[n].ro = true;
			wlen -= 3;
		} else if (om_exp_ends(s + start, wlen, ":rw")) {
			wlen -= 3;
		}
		err = -EINVAL;
		if (!wlen || s[start] != '/' || memchr(s + start, '\0', wlen))
			goto fail;
		err = -ENAMETOOLONG;
		if (wlen > OM_MFS_EXPORT_PATH_MAX)
			goto fail;
		out[n].path = s + start;
		out[n].len = wlen;
		n++;
	}
fail:
	if (bad)
		*bad = start;
	return err;
}

int om_mfs_export_format(const char *path, u32 len, bool ro, char *buf,
			 size_t cap)
{
	const char *suffix = NULL;
	size_t need;
	u32 i;

	if (!len || path[0] != '/')
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (om_exp_blank(path[i]) || !path[i])
			return -EINVAL;
	if (ro)
		suffix = ":ro";
	else if (om_exp_ends(path, len, ":ro") || om_exp_ends(path, len, ":rw"))
		suffix = ":rw";
	need = len + (suffix ? 3 : 0);
	if (need <= cap) {
		memcpy(buf, path, len);
		if (suffix)
			memcpy(buf + len, suffix, 3);
	}
	return need;
}

int om_mfs_export_check(enum om_mfs_vis vis, enum om_mfs_need need)
{
	switch (vis) {
	case OM_MFS_VIS_RW:
		return 0;
	case OM_MFS_VIS_RO:
		return need == OM_MFS_NEED_WRITE ? -EROFS : 0;
	case OM_MFS_VIS_PATH:
		return need == OM_MFS_NEED_SEE ? 0 : -EACCES;
	case OM_MFS_VIS_HIDDEN:
		break;
	}
	return -ESTALE;
}
