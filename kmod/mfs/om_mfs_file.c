// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS regular files.  read() and write() go to the node every time, in
 * pieces of at most OM_MFS_IO_MAX, and nothing is cached: a write is on
 * the node when it returns, and any node's read after it sees it.  Only
 * mmap needs the page cache: a mapping is read-only (or private, copy on
 * write), filled from the node as it faults, and the cached pages go at
 * every open, mmap and write through this node, so a mapping shows the
 * file as it was when its pages were read (Documentation/mfs.md).
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uio.h>

#include "om_core.h"
#include "om_mfs.h"

/* The page cache of a file: stale, after a change or before a use */
static void om_mfs_drop_cache(struct inode *inode)
{
	/* pages mapped elsewhere stay: a mapping is a snapshot */
	if (inode->i_mapping->nrpages)
		invalidate_inode_pages2(inode->i_mapping);
}

static int om_mfs_open(struct inode *inode, struct file *file)
{
	int err = generic_file_open(inode, file);

	if (!err)
		om_mfs_drop_cache(inode);
	return err;
}

ssize_t om_mfs_fh_read(u16 node, const struct om_mfs_fh *fh, loff_t *ppos,
		       struct iov_iter *to)
{
	struct om_mfs_call *c;
	loff_t pos = *ppos;
	ssize_t total = 0;
	int err = 0;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	while (iov_iter_count(to) && pos < OM_MFS_OFF_MAX) {
		u32 len = min_t(size_t, iov_iter_count(to), OM_MFS_IO_MAX);
		size_t n;
		bool eof;

		if (len > OM_MFS_OFF_MAX - pos)
			len = OM_MFS_OFF_MAX - pos;
		memset(&c->req, 0, sizeof(c->req));
		c->req.type = OM_MFS_READ;
		c->req.read.fh = *fh;
		c->req.read.offset = pos;
		c->req.read.len = len;
		err = om_mfs_call(node, c);
		if (err) {
			om_mfs_call_end(c);
			break;
		}
		n = copy_to_iter(c->rep.data.data, c->rep.data.len, to);
		eof = c->rep.data.eof;
		om_mfs_call_end(c);
		pos += n;
		total += n;
		if (n < c->rep.data.len) {
			err = -EFAULT;
			break;
		}
		if (eof || n < len)
			break;
	}
	kfree(c);
	*ppos = pos;
	return total ?: err;
}

static ssize_t om_mfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct om_mfs_fh fh = om_mfs_fh_of(inode);

	if (iocb->ki_pos < 0)
		return -EINVAL;
	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EAGAIN;		/* every read waits for the node */
	return om_mfs_fh_read(OM_MFS_I(inode)->node, &fh, &iocb->ki_pos, to);
}

ssize_t om_mfs_fh_write(u16 node, const struct om_mfs_fh *fh, loff_t *ppos,
			struct iov_iter *from, u8 flags, struct om_mfs_attr *attr,
			bool *got_attr)
{
	struct om_mfs_call *c;
	ssize_t total = 0;
	void *buf;
	int err;

	*got_attr = false;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	buf = kvmalloc(min_t(size_t, iov_iter_count(from), OM_MFS_IO_MAX),
		       GFP_KERNEL);
	err = -ENOMEM;
	if (!c || !buf)
		goto out_free;
	err = 0;
	while (iov_iter_count(from)) {
		size_t len = min_t(size_t, iov_iter_count(from), OM_MFS_IO_MAX);
		size_t n = copy_from_iter(buf, len, from);
		u32 done;

		if (!n) {
			err = -EFAULT;
			break;
		}
		memset(&c->req, 0, sizeof(c->req));
		c->req.type = OM_MFS_WRITE;
		c->req.write.fh = *fh;
		c->req.write.offset = *ppos;
		c->req.write.flags = flags;
		c->req.write.len = n;
		c->req.write.data = buf;
		err = om_mfs_call(node, c);
		if (err) {
			om_mfs_call_end(c);
			iov_iter_revert(from, n);
			break;
		}
		done = c->rep.written.count;
		*attr = c->rep.written.attr;
		*got_attr = true;
		om_mfs_call_end(c);
		*ppos += done;
		total += done;
		if (done < n) {
			iov_iter_revert(from, n - done);
			break;
		}
	}
out_free:
	kvfree(buf);
	kfree(c);
	return total ?: err;
}

static ssize_t om_mfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct om_mfs_fh fh = om_mfs_fh_of(inode);
	struct om_mfs_attr *attr;
	ssize_t ret;
	loff_t start;
	u8 flags = 0;
	bool got;

	attr = kmalloc(sizeof(*attr), GFP_KERNEL);
	if (!attr)
		return -ENOMEM;
	if (iocb->ki_flags & IOCB_SYNC)
		flags = OM_MFS_WRITE_SYNC;
	else if (iocb->ki_flags & IOCB_DSYNC)
		flags = OM_MFS_WRITE_DSYNC;
	inode_lock(inode);
	/* O_APPEND: the end as the node sees it now (not atomic: see mfs.md) */
	if (iocb->ki_flags & IOCB_APPEND) {
		ret = om_mfs_refresh(inode);
		if (ret)
			goto out_unlock;
	}
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto out_unlock;
	start = iocb->ki_pos;
	ret = om_mfs_fh_write(OM_MFS_I(inode)->node, &fh, &iocb->ki_pos, from,
			      flags, attr, &got);
	if (got)
		om_mfs_inode_update(inode, attr);
	if (ret > 0)
		invalidate_inode_pages2_range(inode->i_mapping,
					      start >> PAGE_SHIFT,
					      (start + ret - 1) >> PAGE_SHIFT);
out_unlock:
	inode_unlock(inode);
	kfree(attr);
	return ret;
}

static loff_t om_mfs_llseek(struct file *file, loff_t off, int whence)
{
	struct inode *inode = file_inode(file);
	int err;

	/* the end of the file is where the node says it is */
	if (whence != SEEK_SET && whence != SEEK_CUR) {
		err = om_mfs_refresh(inode);
		if (err)
			return err;
	}
	return generic_file_llseek(file, off, whence);
}

static int om_mfs_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct inode *inode = file_inode(file);
	struct om_mfs_call *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int err;

	if (!c)
		return -ENOMEM;
	c->req.type = OM_MFS_FSYNC;
	c->req.fsync.fh = om_mfs_fh_of(inode);
	c->req.fsync.flags = datasync ? OM_MFS_FSYNC_DATA : 0;
	err = om_mfs_call(OM_MFS_I(inode)->node, c);
	om_mfs_call_end(c);
	kfree(c);
	return err;
}

/* Read-only shared or private mappings; writable shared ones are -EINVAL */
static int om_mfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(file);
	int err;

	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_MAYWRITE))
		return -EINVAL;
	/* the size decides where the mapping ends (SIGBUS after) */
	err = om_mfs_refresh(inode);
	if (err)
		return err;
	om_mfs_drop_cache(inode);
	return generic_file_readonly_mmap(file, vma);
}

const struct file_operations om_mfs_file_fops = {
	.open = om_mfs_open,
	.llseek = om_mfs_llseek,
	.read_iter = om_mfs_read_iter,
	.write_iter = om_mfs_write_iter,
	.mmap = om_mfs_mmap,
	.fsync = om_mfs_fsync,
	.splice_read = om_copy_splice_read,
	.splice_write = iter_file_splice_write,
};

/* A page of a mapping, from the node */
static int om_mfs_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	size_t len = min_t(size_t, folio_size(folio), OM_MFS_IO_MAX);
	loff_t pos = folio_pos(folio);
	struct om_mfs_call *c;
	int err = -ENOMEM;
	u8 *p;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto out;
	err = 0;
	p = kmap_local_folio(folio, 0);
	if (pos < OM_MFS_OFF_MAX - (loff_t)len) {
		c->req.type = OM_MFS_READ;
		c->req.read.fh = om_mfs_fh_of(inode);
		c->req.read.offset = pos;
		c->req.read.len = len;
		err = om_mfs_call(OM_MFS_I(inode)->node, c);
	} else {
		c->rep.data.len = 0;
	}
	if (!err) {
		if (c->rep.data.len)
			memcpy(p, c->rep.data.data, c->rep.data.len);
		/* after the end of the file: zeros */
		memset(p + c->rep.data.len, 0, PAGE_SIZE - c->rep.data.len);
		flush_dcache_folio(folio);
	}
	kunmap_local(p);
	om_mfs_call_end(c);
	kfree(c);
out:
	if (!err)
		folio_mark_uptodate(folio);
	folio_unlock(folio);
	return err;
}

const struct address_space_operations om_mfs_aops = {
	.read_folio = om_mfs_read_folio,
};
