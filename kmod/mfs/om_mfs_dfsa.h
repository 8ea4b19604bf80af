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
 * give it but for dev (0 here); -EIO if it is not a regular file (dir:
 * a directory)
 */
int om_mfs_dfsa_getattr(const struct om_mfs_dfsa_file *df, bool dir, struct kstat *st);
/* Its size as the node says now (GETATTR); -EIO if it is not a regular file */
int om_mfs_dfsa_size(const struct om_mfs_dfsa_file *df, loff_t *size);

/* ---- directories (getdents64 where the process runs) ---- */

struct dir_context;

/*
 * Is f a directory of an MFS tree mounted with dfsa=1, on a node (not
 * /mfs itself)?  Then its node and handle into *df, and the d_ino its
 * "." and ".." get from getdents() here (i_ino, parent_ino()).
 */
bool om_mfs_dfsa_dir_of(struct file *f, struct om_mfs_dfsa_file *df, u64 *dot,
			u64 *dotdot);
/*
 * At home: f's listing is made to stand where one made elsewhere stopped
 * (om_mfs_dfsa_readdir()'s pos, cookie, eof); -EINVAL if f is not an MFS
 * directory
 */
int om_mfs_dfsa_dir_setpos(struct file *f, loff_t pos, u64 cookie, bool eof);

/*
 * Where a listing made by handle stands: as /mfs's directory file keeps
 * it, so that home can go on from it (om_mfs_dfsa_dir_setpos())
 */
struct om_mfs_dfsa_dir {
	u64 cookie;		/* the node's: READDIR goes on after it */
	bool eof;		/* the node said it ended */
	u64 dot, dotdot;	/* d_ino of "." and ".." (home's) */
};

/*
 * The directory's entries from ctx->pos on, into ctx, exactly as /mfs's
 * getdents() gives them (the same positions, d_ino, d_type), asked from
 * its node (READDIR) with the caller's credentials: 0 or an errno.
 * ctx->pos 0 starts the listing again.
 */
int om_mfs_dfsa_readdir(const struct om_mfs_dfsa_file *df, struct om_mfs_dfsa_dir *d,
			struct dir_context *ctx);

/* ---- path calls (DFSA_VIEW) ---- */

struct path;
struct notifier_block;

/*
 * At home: is p the root of a mount of the MFS tree, with dfsa=1?  Then
 * the tree's s_dev into *dev.  Any context that holds p.
 */
bool om_mfs_dfsa_mount_of(const struct path *p, dev_t *dev);
/*
 * At home: nb is called (process context, no argument) whenever a mount
 * or remount changes the tree's dfsa flag, in whatever namespace: the
 * DFSA views must be built again.
 */
int om_mfs_dfsa_notifier_register(struct notifier_block *nb);
void om_mfs_dfsa_notifier_unregister(struct notifier_block *nb);

/*
 * At the remote: the guests' path calls walk the tree on a private mount
 * of this node's own (kern_mount, in no namespace; it shares the one
 * superblock with any mount -t mfs here).  A guest that will walk holds
 * it (0, or the mount's errno) and lets go when it ends (any context:
 * the last one unmounts from a work item).  The superblock pins the
 * module while it exists.
 */
int om_mfs_dfsa_hold(void);
void om_mfs_dfsa_unhold(void);
/*
 * Walk rel (relative, not empty: "2/etc/passwd") below the tree's root
 * on the private mount (held), with the caller's credentials and
 * lookup_flags | LOOKUP_BENEATH: 0 with *p (path_put() it), or an errno.
 * -EXDEV is "not here": the walk left the tree (".." above its root, an
 * absolute symlink), met a link that names the process's deputy's state
 * (selected, magic), ended on a local inode (a magic link itself), or
 * the first name, a node, is not known here (ENOENT there).
 */
int om_mfs_dfsa_walk(const char *rel, unsigned int lookup_flags, struct path *p);

/* ---- relative names (phase 2: the DFSA view's cwd record) ---- */

/*
 * At home: p (a directory of an MFS tree) as MFS names it: its node and
 * handle (node 0, no handle: the tree's root or another local inode).
 * False if p is not on MFS.  fh has room for OM_MFS_FH_MAX bytes.
 */
bool om_mfs_dfsa_ident(const struct path *p, u16 *node, u8 *fh, u8 *fhlen);
/*
 * At the remote: the cwd (cwd: its canonical path below the tree's root,
 * "" for the root) walked on the private mount (held) with the caller's
 * credentials, and checked to be the directory home's deputy has as cwd:
 * MFS's node and handle of what the walk reached must be node, fh
 * (node 0 and "" for the root).  Then ups levels up it (never above the
 * tree's root).  0 with *start (path_put() it), or -EXDEV for anything
 * else (a failed walk, another directory there now, the mount gone):
 * the call is home's.  lookup_flags: LOOKUP_REVAL or 0.
 */
int om_mfs_dfsa_cwd(const char *cwd, u16 node, const u8 *fh, u8 fhlen, unsigned int ups,
		    unsigned int lookup_flags, struct path *start);
/*
 * Walk rel (relative, not empty: "x/y", ".") below start (from
 * om_mfs_dfsa_cwd(), not the tree's root) with lookup_flags |
 * LOOKUP_BENEATH: as om_mfs_dfsa_walk(), but a ".." above start or an
 * absolute link is -EXDEV (home's walk may leave the tree there, or
 * reach its magic links), and ENOENT is the answer (start is in a node
 * this node knows).
 */
int om_mfs_dfsa_walk_at(const struct path *start, const char *rel, unsigned int lookup_flags,
			struct path *p);

#endif /* _OM_MFS_DFSA_H */
