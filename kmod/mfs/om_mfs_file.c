// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS regular files.  read() and write() go to the node every time, in
 * pieces of at most OM_MFS_CHUNK, several at once, and nothing is cached: a write is on
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

/*
 * A big read() or write() is cut into requests of OM_MFS_CHUNK, up to
 * OM_MFS_DEPTH of them in flight at once: the node works on one while
 * this node opens the reply to another, and the link is never idle.
 * They all start after the call did, and it returns only once all are
 * answered, so what a read() or write() sees and leaves is as with one
 * request at a time (Documentation/mfs.md).  By node and handle, for
 * the file operations here and for DFSA (om_mfs_dfsa.c).
 */
#define OM_MFS_CHUNK	(256U << 10)
#define OM_MFS_DEPTH	8

static struct om_mfs_call *om_mfs_calls_alloc(void)
{
	return kcalloc(OM_MFS_DEPTH, sizeof(struct om_mfs_call), GFP_KERNEL);
}

/* Start a READ of len bytes at pos into ring slot c */
static void om_mfs_read_start(u16 node, const struct om_mfs_fh *fh,
			      struct om_mfs_call *c, loff_t pos, u32 len)
{
	memset(&c->req, 0, sizeof(c->req));
	c->req.type = OM_MFS_READ;
	c->req.read.fh = *fh;
	c->req.read.offset = pos;
	c->req.read.len = len;
	om_mfs_call_start(node, c);
}

ssize_t om_mfs_fh_read(u16 node, const struct om_mfs_fh *fh, loff_t *ppos,
		       struct iov_iter *to)
{
	struct om_mfs_call *calls;
	loff_t pos = *ppos, next;
	u64 end;
	unsigned int head = 0, inflight = 0;
	ssize_t total = 0;
	bool stop = false;
	int err = 0;

	if (pos < 0)
		return -EINVAL;
	if (!iov_iter_count(to) || pos >= OM_MFS_OFF_MAX)
		return 0;
	calls = om_mfs_calls_alloc();
	if (!calls)
		return -ENOMEM;
	end = pos + min_t(u64, iov_iter_count(to), OM_MFS_OFF_MAX - pos);
	next = pos;
	for (;;) {
		struct om_mfs_call *c;
		size_t n;
		u32 len;
		int e;

		/* keep the ring full while there is more to ask */
		while (!stop && inflight < OM_MFS_DEPTH && next < end) {
			len = min_t(u64, end - next, OM_MFS_CHUNK);
			om_mfs_read_start(node, fh,
					  &calls[(head + inflight) % OM_MFS_DEPTH],
					  next, len);
			next += len;
			inflight++;
		}
		if (!inflight)
			break;
		/* the replies in file order; after a stop only collected */
		c = &calls[head];
		len = c->req.read.len;
		e = om_mfs_call_wait(c);
		head = (head + 1) % OM_MFS_DEPTH;
		inflight--;
		if (stop || e) {
			if (!stop && e)
				err = e;
			stop = true;
			om_mfs_call_end(c);
			continue;
		}
		n = copy_to_iter(c->rep.data.data, c->rep.data.len, to);
		pos += n;
		total += n;
		if (n < c->rep.data.len) {
			err = -EFAULT;
			stop = true;
		} else if (c->rep.data.eof || n < len) {
			stop = true;	/* the end of the file */
		}
		om_mfs_call_end(c);
	}
	kfree(calls);
	*ppos = pos;
	return total ?: err;
}

static ssize_t om_mfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct om_mfs_fh fh = om_mfs_fh_of(inode);

	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EAGAIN;		/* every read waits for the node */
	return om_mfs_fh_read(OM_MFS_I(inode)->node, &fh, &iocb->ki_pos, to);
}

ssize_t om_mfs_fh_write(u16 node, const struct om_mfs_fh *fh, loff_t *ppos,
			struct iov_iter *from, u8 flags, struct om_mfs_attr *attr,
			bool *got_attr)
{
	size_t cap = min_t(size_t, iov_iter_count(from),
			   OM_MFS_DEPTH * OM_MFS_CHUNK);
	struct om_mfs_call *calls;
	ssize_t total = 0;
	u8 *buf;
	int err;

	*got_attr = false;
	calls = om_mfs_calls_alloc();
	buf = kvmalloc(cap, GFP_KERNEL);
	err = -ENOMEM;
	if (!calls || !buf)
		goto out_free;
	err = 0;
	while (iov_iter_count(from)) {
		size_t n = copy_from_iter(buf, min(iov_iter_count(from), cap),
					  from);
		const struct om_mfs_attr *last = NULL;
		unsigned int i, nc = DIV_ROUND_UP(n, OM_MFS_CHUNK);
		size_t done = 0;
		bool stop = false;

		if (!n) {
			err = -EFAULT;
			break;
		}
		for (i = 0; i < nc; i++) {
			struct om_mfs_call *c = &calls[i];
			size_t off = (size_t)i * OM_MFS_CHUNK;

			memset(&c->req, 0, sizeof(c->req));
			c->req.type = OM_MFS_WRITE;
			c->req.write.fh = *fh;
			c->req.write.offset = *ppos + off;
			c->req.write.flags = flags;
			c->req.write.len = min_t(size_t, n - off, OM_MFS_CHUNK);
			c->req.write.data = buf + off;
			om_mfs_call_start(node, c);
		}
		/*
		 * What counts is the run of requests written in full from
		 * the start; a later one may have been written too (as with
		 * NFS's parallel WRITEs), but is not reported.
		 */
		for (i = 0; i < nc; i++) {
			struct om_mfs_call *c = &calls[i];
			int e = om_mfs_call_wait(c);

			if (stop)
				continue;
			if (e) {
				err = e;
				stop = true;
				continue;
			}
			done += c->rep.written.count;
			/* the largest file any reply saw: the last state */
			if (!last || c->rep.written.attr.size > last->size)
				last = &c->rep.written.attr;
			if (c->rep.written.count < c->req.write.len)
				stop = true;
		}
		if (last) {
			*attr = *last;
			*got_attr = true;
		}
		for (i = 0; i < nc; i++)
			om_mfs_call_end(&calls[i]);
		*ppos += done;
		total += done;
		if (done < n) {
			iov_iter_revert(from, n - done);
			break;
		}
	}
out_free:
	kvfree(buf);
	kfree(calls);
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

int om_mfs_fh_fsync(u16 node, const struct om_mfs_fh *fh, bool datasync)
{
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_FSYNC);
	int err;

	if (!c)
		return -ENOMEM;
	c->req.fsync.fh = *fh;
	c->req.fsync.flags = datasync ? OM_MFS_FSYNC_DATA : 0;
	err = om_mfs_call(node, c);
	om_mfs_call_free(c);
	return err;
}

static int om_mfs_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct inode *inode = file_inode(file);
	struct om_mfs_fh fh = om_mfs_fh_of(inode);

	return om_mfs_fh_fsync(OM_MFS_I(inode)->node, &fh, datasync);
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

	c = om_mfs_call_alloc(OM_MFS_READ);
	if (!c)
		goto out;
	err = 0;
	p = kmap_local_folio(folio, 0);
	if (pos < OM_MFS_OFF_MAX - (loff_t)len) {
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
	om_mfs_call_free(c);
out:
	if (!err)
		folio_mark_uptodate(folio);
	folio_unlock(folio);
	return err;
}

const struct address_space_operations om_mfs_aops = {
	.read_folio = om_mfs_read_folio,
};
