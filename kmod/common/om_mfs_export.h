/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS export list, the parts that are plain C (also built in userspace:
 * tests/unit/mfsexport): the list's text form and the rule of what a
 * request may do to an object, given how the object stands to the list.
 * The kernel side (kmod/mfs/om_mfs_export.c) resolves the paths and
 * tells where an object stands; Documentation/mfs.md, "Export list".
 *
 * Text form: words separated by blanks or newlines, each an absolute
 * path with an optional ":ro" (read-only) or ":rw" (the default) at its
 * end.  The empty list means "no list": everything but the pseudo
 * filesystems is served, read-write, as without one.
 */
#ifndef _OM_MFS_EXPORT_H
#define _OM_MFS_EXPORT_H

#include "om_port.h"

#define OM_MFS_EXPORTS_MAX	32	/* entries in a list */
#define OM_MFS_EXPORT_PATH_MAX	4095	/* bytes of one path (PATH_MAX - 1) */

/* One word of a list: a path (not NUL-terminated: it points into the text) */
struct om_mfs_export_tok {
	const char *path;
	u32 len;
	bool ro;
};

/*
 * Split the text s[0..len) into at most max words.  Returns how many
 * (0: the empty list), -EINVAL for a word that is not an absolute path
 * with an optional ":ro"/":rw" or that holds a NUL, -ENAMETOOLONG for a
 * path over OM_MFS_EXPORT_PATH_MAX, -E2BIG for more than max words; on
 * an error *bad (if not NULL) is the offset of the word at fault.
 */
int om_mfs_export_parse(const char *s, size_t len, struct om_mfs_export_tok *out,
			int max, size_t *bad);

/*
 * One entry as the list reads back: "path", or "path:ro"; ":rw" is
 * written out only when the path itself ends in ":ro" or ":rw", so that
 * the text parses back to the same entry.  Writes at most cap bytes (no
 * NUL) and returns the length the entry needs (more than cap: nothing
 * written), or -EINVAL for a path that would not parse back (empty, not
 * absolute, or with a blank or NUL in it).
 */
int om_mfs_export_format(const char *path, u32 len, bool ro, char *buf,
			 size_t cap);

/* Where an object stands to the export list */
enum om_mfs_vis {
	OM_MFS_VIS_HIDDEN,	/* neither in an export nor on the way to one */
	OM_MFS_VIS_PATH,	/* a directory on the way to an export: walked only */
	OM_MFS_VIS_RO,		/* in a read-only export */
	OM_MFS_VIS_RW,		/* in an export, or no list */
};

/* What a request does with an object */
enum om_mfs_need {
	OM_MFS_NEED_SEE,	/* attributes, statfs, fsync; walk or list a directory */
	OM_MFS_NEED_READ,	/* a file's data, a symlink's target */
	OM_MFS_NEED_WRITE,	/* change it, or a directory's entries */
};

/*
 * 0 if an object that stands so may be used so, else the errno:
 * -ESTALE for a hidden object (its handle is from before the list
 * changed), -EACCES for reading or changing a directory that is only on
 * the way to an export, -EROFS for changing a read-only export.
 */
int om_mfs_export_check(enum om_mfs_vis vis, enum om_mfs_need need);

#endif /* _OM_MFS_EXPORT_H */
