// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS for DFSA (om_mfs_dfsa.h): which open files qualify, and their
 * I/O by node and handle.  MFS keeps no state per open file (a handle
 * is all the server needs), so a file the deputy opened at home can be
 * read and written from the node where its process runs with the same
 * requests the home's /mfs would send, and the same guarantees: nothing
 * is cached, a write is on the node when it returns.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "om_core.h"
#include "om_mfs.h"
#include "om_mfs_dfsa.h"

bool om_mfs_dfsa_of(struct file *f, struct om_mfs_dfsa_file *df)
{
	struct inode *inode = file_inode(f);
	struct om_mfs_inode *mi;
	struct om_mfs_sb *sbi;

	if (inode->i_sb->s_type != &om_mfs_fs_type || !S_ISREG(inode->i_mode) ||
	    f->f_op != &om_mfs_file_fops)
		return false;
	sbi = inode->i_sb->s_fs_info;
	mi = OM_MFS_I(inode);
	if (!sbi || !READ_ONCE(sbi->dfsa) || !mi->node || !mi->fhlen ||
	    mi->fhlen > OM_MFS_FH_MAX)
		return false;
	df->node = mi->node;
	df->fhlen = mi->fhlen;
	memcpy(df->fh, mi->fh, mi->fhlen);
	return true;
}

static struct om_mfs_fh om_dfsa_fh(const struct om_mfs_dfsa_file *df)
{
	return (struct om_mfs_fh){ .data = df->fh, .len = df->fhlen };
}

ssize_t om_mfs_dfsa_read(const struct om_mfs_dfsa_file *df, loff_t *pos,
			 struct iov_iter *to)
{
	struct om_mfs_fh fh = om_dfsa_fh(df);

	if (*pos < 0)
		return -EINVAL;
	return om_mfs_fh_read(df->node, &fh, pos, to);
}

ssize_t om_mfs_dfsa_write(const struct om_mfs_dfsa_file *df, loff_t *pos,
			  struct iov_iter *from, u8 flags)
{
	struct om_mfs_fh fh = om_dfsa_fh(df);
	struct om_mfs_attr *attr;
	size_t count = iov_iter_count(from);
	ssize_t ret;
	bool got;

	/* generic_write_checks() against the tree's s_maxbytes */
	if (*pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if (*pos >= OM_MFS_OFF_MAX)
		return -EFBIG;
	if (count > OM_MFS_OFF_MAX - *pos)
		iov_iter_truncate(from, OM_MFS_OFF_MAX - *pos);
	attr = kmalloc(sizeof(*attr), GFP_KERNEL);
	if (!attr)
		return -ENOMEM;
	ret = om_mfs_fh_write(df->node, &fh, pos, from, flags, attr, &got);
	kfree(attr);
	return ret;
}

int om_mfs_dfsa_fsync(const struct om_mfs_dfsa_file *df, bool datasync)
{
	struct om_mfs_fh fh = om_dfsa_fh(df);

	return om_mfs_fh_fsync(df->node, &fh, datasync);
}

int om_mfs_dfsa_getattr(const struct om_mfs_dfsa_file *df, struct kstat *st)
{
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_GETATTR);
	int err;

	if (!c)
		return -ENOMEM;
	c->req.getattr.fh = om_dfsa_fh(df);
	err = om_mfs_call(df->node, c);
	if (!err) {
		/* a handle names one file: its type cannot change */
		if (!S_ISREG(c->rep.attr.mode))
			err = -EIO;
		else
			om_mfs_kstat(df->node, &c->rep.attr, st);
	}
	om_mfs_call_free(c);
	return err;
}

int om_mfs_dfsa_size(const struct om_mfs_dfsa_file *df, loff_t *size)
{
	struct kstat st;
	int err = om_mfs_dfsa_getattr(df, &st);

	if (!err)
		*size = st.size;
	return err;
}
