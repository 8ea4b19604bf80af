/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * What DFSA (kmod/migrate/om_dfsa.c) uses of MFS (Documentation/mfs.md,
 * "DFSA").  At home the deputy asks whether a file it opened is an MFS
 * file that may be read and written elsewhere; at the remote the guest
 * then reads and writes it by its node and handle, with its own
 * credentials, through the same client calls as /mfs (no mount needed
 * there).  The migration layer calls this; nothing here calls it.
 */
#ifndef _OM_MFS_DFSA_H
#define _OM_MFS_DFSA_H

#include <linux/types.h>

#include "common/om_mfs_wire.h"

struct file;
struct iov_iter;
struct kstat;

/* An MFS file as DFSA names it */
struct om_mfs_dfsa_file {
	u16 node;			/* the node that serves it, not 0 */
	u8 fhlen;			/* 1..OM_MFS_FH_MAX */
	u8 fh[OM_MFS_FH_MAX];
};

/*
 * Is f a regular file of an MFS tree mounted with dfsa=1?  Then its node
 * and handle into *df.  Any context that holds f.
 */
bool om_mfs_dfsa_of(struct file *f, struct om_mfs_dfsa_file *df);

/*
 * The file's I/O as read(2)/write(2) at *pos (moved on by what was
 * done): bytes, or an errno if none.  Writes take OM_MFS_WRITE_* flags.
 * The caller checks the position and the length (at most MAX_RW_COUNT).
 */
ssize_t om_mfs_dfsa_read(const struct om_mfs_dfsa_file *df, loff_t *pos,
			 struct iov_iter *to);
ssize_t om_mfs_dfsa_write(const struct om_mfs_dfsa_file *df, loff_t *pos,
			  struct iov_iter *from, u8 flags);
/* FSYNC (datasync: as fdatasync) */
int om_mfs_dfsa_fsync(const struct om_mfs_dfsa_file *df, bool datasync);
/*
 * Its stat as the node says now (GETATTR), as a stat through /mfs would
 * give it but for dev (0 here); -EIO if it is not a regular file
 */
int om_mfs_dfsa_getattr(const struct om_mfs_dfsa_file *df, struct kstat *st);
/* Its size as the node says now (GETATTR); -EIO if it is not a regular file */
int om_mfs_dfsa_size(const struct om_mfs_dfsa_file *df, loff_t *size);

#endif /* _OM_MFS_DFSA_H */
