/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * A parser of /proc/self/mountinfo, one line at a time, for the DFSA
 * view of path calls (Documentation/mfs.md, "DFSA"): which mounts of the
 * process's namespace are MFS, where it sees them, read-only or not.
 * Plain C: builds in the module and in userspace (tests, fuzzers).
 *
 * A line is, fields separated by one space (proc(5), fs/proc_namespace.c
 * show_mountinfo()):
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2) (3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)
 *
 *   (1) mount id  (2) parent id  (3) major:minor of the superblock's s_dev
 *   (4) root of the mount within its filesystem  (5) mount point, relative
 *   to the reader's root  (6) per-mount options  (7) zero or more optional
 *   fields "tag[:value]"  (8) "-"  (9) filesystem type  (10) source
 *   (11) superblock options.
 *
 * The kernel prints a space, tab, newline or backslash in (4) and (5) as
 * an octal escape (\040 \011 \012 \134), and those and '#' (\043) in (9).
 * The parser undoes them in place and NUL-terminates every field it
 * returns by overwriting the byte after it (the separator or the newline),
 * so the strings can go straight to the kernel's path functions.  The
 * source (10) and the superblock options (11) are what each filesystem
 * prints (show_devname, show_options), escaped in its own way or not at
 * all: they are returned as they are, only NUL-terminated.
 *
 * Untrusted input is fine: every byte read lies in [*cursor, end), and
 * every returned string lies inside the line it came from.
 *
 *	char *cur = buf, *end = buf + len;
 *	struct om_mountinfo mi;
 *	int ret;
 *
 *	while ((ret = om_mountinfo_next(&cur, end, &mi)) > 0)
 *		if (!strcmp(mi.fstype, "mfs") && !strcmp(mi.root, "/"))
 *			...;
 *	if (ret < 0)
 *		...;	// a malformed line: the table is not what we think
 *
 * A caller that needs the whole table (the DFSA view must see every
 * mount, to know that nothing is mounted on an MFS mount) must give up on
 * any error rather than skip the line.
 */
#ifndef _OM_MOUNTINFO_H
#define _OM_MOUNTINFO_H

#include "om_port.h"

/* Fields (4), (5), (9), (10): unescaped bytes at most, without the NUL */
#define OM_MOUNTINFO_STR_MAX	4096
/* A whole line, with its newline: superblock options may be long (overlay) */
#define OM_MOUNTINFO_LINE_MAX	65536
/* Mount ids, parent ids and peer group ids: the kernel's are 0..INT_MAX */
#define OM_MOUNTINFO_ID_MAX	0x7fffffffU
/* major and minor: MINORBITS is 20 (include/linux/kdev_t.h) */
#define OM_MOUNTINFO_MAJOR_MAX	0xfffU
#define OM_MOUNTINFO_MINOR_MAX	0xfffffU

/* struct om_mountinfo.flags: from the per-mount options (6) ... */
#define OM_MNTI_RO		0x01	/* "ro" (first option; else "rw") */
#define OM_MNTI_NOSYMFOLLOW	0x02	/* "nosymfollow" */
#define OM_MNTI_IDMAPPED	0x04	/* "idmapped" */
/* ... and from the superblock options (11) */
#define OM_MNTI_SB_RO		0x08	/* "ro" (first option; else "rw") */

struct om_mountinfo {
	u32 mnt_id;		/* (1) 0..OM_MOUNTINFO_ID_MAX */
	u32 parent_id;		/* (2) the same range; the namespace root: itself */
	u32 major, minor;	/* (3) within OM_MOUNTINFO_{MAJOR,MINOR}_MAX */
	u32 flags;		/* OM_MNTI_* */
	/* optional fields (7): "shared:N", "master:N"; 0 = absent */
	u32 shared, master;
	/*
	 * NUL-terminated strings inside the buffer, with their lengths.
	 * root is usually a path ("/" for a whole filesystem) but need not
	 * be one (nsfs: "net:[4026531840]"); mnt_point starts with '/'.
	 */
	const char *root;	/* (4), unescaped, 1..OM_MOUNTINFO_STR_MAX */
	u32 root_len;
	const char *mnt_point;	/* (5), unescaped, 1..OM_MOUNTINFO_STR_MAX */
	u32 mnt_point_len;
	const char *mnt_opts;	/* (6) as printed, e.g. "rw,nosuid,relatime" */
	u32 mnt_opts_len;
	const char *fstype;	/* (9), unescaped, e.g. "mfs", "fuse.sshfs" */
	u32 fstype_len;
	const char *source;	/* (10) as printed; may be empty */
	u32 source_len;
	const char *super_opts;	/* (11) as printed, e.g. "rw,dfsa=1" */
	u32 super_opts_len;
};

/*
 * Parse the line at *cursor, which must end with '\n' before end, into
 * *mi, undoing escapes and NUL-terminating fields in place.  Returns 1
 * for a line, 0 when *cursor == end (no more lines), -EINVAL for a
 * malformed line: no newline before end, longer than
 * OM_MOUNTINFO_LINE_MAX, a NUL byte, a missing, empty or extra field,
 * a non-numeric or out-of-range id, major or minor, an escape that is not
 * one of those listed above, a field over OM_MOUNTINFO_STR_MAX, options
 * (6) or (11) not starting with "rw" or "ro", a mount point not starting
 * with '/', no "-" separator.  Either way *cursor moves past the line
 * (past its newline, or to end if it has none), and *mi is zeroed on an
 * error; the line's bytes may have been changed.
 */
int om_mountinfo_next(char **cursor, char *end, struct om_mountinfo *mi);

#endif /* _OM_MOUNTINFO_H */
