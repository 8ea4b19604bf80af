// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS regular files.  read() and write() go to the node every time, in
 * pieces of at most OM_MFS_CHUNK, several at once, and nothing is cached: a write is on
 * the node when it returns, and any node's read after it sees it.  The
 * one exception keeps that guarantee: a sequential reader's requests run
 * ahead of its read() calls, and what they bring back is used only while
 * the node's promise on the file says the data did not change (the
 * read-ahead ring below; Documentation/mfs.md, "Read-ahead").  Only
 * mmap needs the page cache: a mapping is read-only (or private, copy on
 * write), filled from the node as it faults, and the cached pages go at
 * every open, mmap and write through this node, so a mapping shows the
 * file as it was when its pages were read (Documentation/mfs.md).
 */
#include <linux/kernel.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uio.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_mfs.h"

/* The page cache of a file: stale, after a change or before a use */
static void om_mfs_drop_cache(struct inode *inode)
{
	/* pages mapped elsewhere stay: a mapping is a snapshot */
	if (inode->i_mapping->nrpages)
		invalidate_inode_pages2(inode->i_mapping);
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

/*
 * Read-ahead.  Without a cache, each read() call's requests are sent after
 * it begins and answered before it returns, and the link idles between
 * two calls.  For a file read sequentially (a read() that begins where the
 * last one ended), an open file keeps a ring of up to OM_MFS_DEPTH READs
 * of OM_MFS_CHUNK running on from its position across read() calls.  A
 * reply asked by an earlier read() call is returned only if all of these
 * hold when it is used, else the whole ring goes and the read asks the
 * node as without it:
 *
 *  - the node announced OM_WIRE_FEAT_MFS_DATA and the reply is STABLE:
 *    when it read, the node held our promise on the file and the file was
 *    open for write nowhere, so any change to its data since, an open for
 *    write included, sends BREAK before it completes (om_mfs_watch.c);
 *  - the inode's promise is the very one the ring was started under
 *    (om_mfs_promise_still(): no BREAK for the file, no lapse of the
 *    node's trust, no gap), which was taken before any request was sent;
 *  - the reader is the same (its credentials), at the ring's position.
 *
 * A change that completed before the read() began broke the promise (its
 * BREAK was acknowledged before it completed), so that read() never sees
 * older data: the guarantee is as without read-ahead.  What rings keep
 * is bounded per file (the ring) and in all (OM_MFS_RA_MAX: nothing is
 * asked ahead over it, and a ring over it at the end of a call goes, so
 * between calls the rings keep about that much at most); the ring goes
 * at a seek elsewhere, a write, a reply
 * that is not STABLE (no read-ahead for a second then), an error, the
 * end of the file and the last close.
 */
#define OM_MFS_RA_MAX	(64UL << 20)

static atomic_long_t om_mfs_ra_bytes = ATOMIC_LONG_INIT(0);
/* replies a later read() call used; rings that went for a failed check */
static atomic64_t om_mfs_ra_hits = ATOMIC64_INIT(0);
static atomic64_t om_mfs_ra_drops = ATOMIC64_INIT(0);

u64 om_mfs_ra_hit_count(void)
{
	return atomic64_read(&om_mfs_ra_hits);
}

u64 om_mfs_ra_drop_count(void)
{
	return atomic64_read(&om_mfs_ra_drops);
}

struct om_mfs_ra_slot {
	struct om_mfs_call c;
	unsigned int rd;		/* the read() call that sent it */
	u32 charged;			/* bytes counted in om_mfs_ra_bytes (asked) */
	bool waited;			/* collected: err is how it ended */
	bool hit;			/* counted in om_mfs_ra_hits */
	int err;
};

/* An open file's read-ahead (file->private_data); under lock */
struct om_mfs_ra {
	struct mutex lock;
	struct om_mfs_ra_slot *ring;	/* OM_MFS_DEPTH, from the first use */
	unsigned int head, n;		/* ring[head] holds the bytes at pos */
	u32 skip;			/* bytes of ring[head] already returned */
	loff_t pos, next;		/* the ring's first byte, after its last */
	loff_t last_end;		/* where the last read() ended; -1 none */
	unsigned int rd;		/* read() calls that used the ring */
	struct om_mfs_prm_snap snap;	/* the promise the ring was started under */
	const struct cred *cred;	/* whose requests the ring's are */
	unsigned long quiet_until;	/* jiffies: no ring before (not STABLE) */
	unsigned long refreshed;	/* jiffies: our last GETATTR for a promise */
};

/* The head slot is used up: it goes */
static void om_mfs_ra_pop(struct om_mfs_ra *ra)
{
	struct om_mfs_ra_slot *sl = &ra->ring[ra->head];

	om_mfs_call_cancel(&sl->c);
	atomic_long_sub(sl->charged, &om_mfs_ra_bytes);
	sl->charged = 0;
	ra->head = (ra->head + 1) % OM_MFS_DEPTH;
	ra->n--;
	ra->skip = 0;
}

/* Everything in the ring goes, answered or not */
static void om_mfs_ra_drop(struct om_mfs_ra *ra)
{
	while (ra->n)
		om_mfs_ra_pop(ra);
	if (ra->cred) {
		put_cred(ra->cred);
		ra->cred = NULL;
	}
}

/* Does node send and take STABLE (OM_WIRE_FEAT_MFS_DATA)? */
static bool om_mfs_ra_peer(u16 node)
{
	u32 feat;

	if (node == om_self_id())
		return true;
	return !om_transport_peer_features(node, &feat) &&
	       (feat & OM_WIRE_FEAT_MFS_DATA);
}

/*
 * The inode's promise now, into s: asked for (GETATTR) if there is none
 * or it ends within a second, at most twice a second per open file, and
 * after an ask that got none not for 5 s
 */
static bool om_mfs_ra_promise(struct inode *inode, struct om_mfs_ra *ra,
			      struct om_mfs_prm_snap *s)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	unsigned long now = jiffies;
	bool ok = om_mfs_promise_now(mi, s);

	if (ok && time_after(READ_ONCE(mi->prm_until), now + HZ))
		return true;
	if (time_before(now, ra->refreshed + HZ / 2))
		return ok;
	ra->refreshed = now;
	/* the ring's promise goes on if this one follows it without a gap */
	ok = !om_mfs_refresh(inode) && om_mfs_promise_now(mi, s);
	/* none given (a filesystem that cannot promise, or none made): ask seldom */
	if (!ok)
		ra->quiet_until = jiffies + 5 * HZ;
	return ok;
}

/* The ring goes; counted when the promise it was asked under broke */
static void om_mfs_ra_drop_if_broken(struct om_mfs_inode *mi,
				     struct om_mfs_ra *ra)
{
	if (ra->n && !om_mfs_promise_still(mi, &ra->snap))
		atomic64_inc(&om_mfs_ra_drops);
	om_mfs_ra_drop(ra);
}

/*
 * May this read() at pos use the ring (started now if empty)?  Else the
 * ring has gone.
 */
static bool om_mfs_ra_begin(struct inode *inode, struct om_mfs_ra *ra,
			    const struct kiocb *iocb)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	loff_t pos = iocb->ki_pos;
	struct om_mfs_prm_snap s;

	if (!mi->node || pos < 0 || pos != ra->last_end ||
	    (iocb->ki_flags & IOCB_DIRECT) ||
	    time_before(jiffies, ra->quiet_until) || !om_mfs_ra_peer(mi->node) ||
	    !om_mfs_ra_promise(inode, ra, &s))
		goto drop;
	if (ra->n && !om_mfs_promise_still(mi, &ra->snap))
		om_mfs_ra_drop_if_broken(mi, ra);
	else if (ra->n && (ra->pos != pos || ra->cred != current_cred()))
		om_mfs_ra_drop(ra);
	if (ra->n)
		return true;
	if (!ra->ring) {
		ra->ring = kcalloc(OM_MFS_DEPTH, sizeof(*ra->ring), GFP_KERNEL);
		if (!ra->ring)
			goto drop;
	}
	om_mfs_ra_drop(ra);	/* its credentials */
	ra->snap = s;
	ra->cred = get_cred(current_cred());
	ra->head = 0;
	ra->skip = 0;
	ra->pos = pos;
	ra->next = pos;
	return true;
drop:
	om_mfs_ra_drop_if_broken(mi, ra);
	return false;
}

/* Ask on to end, and ahead of it while the bounds allow */
static void om_mfs_ra_fill(struct inode *inode, struct om_mfs_ra *ra,
			   const struct om_mfs_fh *fh, loff_t end)
{
	while (ra->n < OM_MFS_DEPTH && ra->next < OM_MFS_OFF_MAX) {
		struct om_mfs_ra_slot *sl = &ra->ring[(ra->head + ra->n) % OM_MFS_DEPTH];
		u32 len = min_t(u64, OM_MFS_OFF_MAX - ra->next, OM_MFS_CHUNK);

		/*
		 * Every request counts; one ahead of the read only within
		 * the bound, and not after the end the promised size says
		 */
		if (ra->next >= end && ra->next >= i_size_read(inode))
			break;
		if (atomic_long_add_return(len, &om_mfs_ra_bytes) > OM_MFS_RA_MAX &&
		    ra->next >= end) {
			atomic_long_sub(len, &om_mfs_ra_bytes);
			break;
		}
		sl->charged = len;
		sl->rd = ra->rd;
		sl->waited = false;
		sl->hit = false;
		sl->err = 0;
		om_mfs_read_start(OM_MFS_I(inode)->node, fh, &sl->c, ra->next, len);
		ra->next += len;
		ra->n++;
	}
}

/*
 * One read() through the ring: the bytes read, or an errno if none were.
 * *fallback: the ring went before the read was done; ask on without it.
 */
static ssize_t om_mfs_ra_read(struct inode *inode, struct om_mfs_ra *ra,
			      struct kiocb *iocb, struct iov_iter *to,
			      bool *fallback)
{
	struct om_mfs_fh fh = om_mfs_fh_of(inode);
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	loff_t end = iocb->ki_pos +
		     min_t(u64, iov_iter_count(to), OM_MFS_OFF_MAX - iocb->ki_pos);
	bool unstable = false;
	ssize_t total = 0;
	int err = 0;

	ra->rd++;
	*fallback = false;
	while (iov_iter_count(to)) {
		struct om_mfs_ra_slot *sl;
		const struct om_mfs_data *d;
		size_t want, n;
		bool last;

		om_mfs_ra_fill(inode, ra, &fh, end);
		if (!ra->n) {
			*fallback = true;	/* at OM_MFS_OFF_MAX */
			break;
		}
		sl = &ra->ring[ra->head];
		if (!sl->waited) {
			sl->err = om_mfs_call_wait(&sl->c);
			sl->waited = true;
		}
		if (sl->err) {
			/* asked ahead or not, it is asked again without the ring */
			if (sl->err == -EINTR)
				err = -EINTR;
			else
				*fallback = true;
			om_mfs_ra_drop(ra);
			break;
		}
		d = &sl->c.rep.data;
		if (sl->rd != ra->rd &&
		    (!d->stable || !om_mfs_promise_still(mi, &ra->snap))) {
			if (!d->stable)
				ra->quiet_until = jiffies + HZ;
			atomic64_inc(&om_mfs_ra_drops);
			om_mfs_ra_drop(ra);
			*fallback = true;
			break;
		}
		unstable |= !d->stable;
		if (sl->rd != ra->rd && !sl->hit) {
			sl->hit = true;
			atomic64_inc(&om_mfs_ra_hits);
		}
		want = min_t(size_t, d->len - ra->skip, iov_iter_count(to));
		n = copy_to_iter(d->data + ra->skip, want, to);
		total += n;
		ra->skip += n;
		ra->pos += n;
		if (n < want) {
			err = -EFAULT;
			om_mfs_ra_drop(ra);
			break;
		}
		if (ra->skip < d->len)
			continue;	/* the reader has all it wanted */
		/* the end of the file: what was asked after it goes */
		last = d->eof || d->len < sl->c.req.read.len;
		om_mfs_ra_pop(ra);
		if (last) {
			om_mfs_ra_drop(ra);
			break;
		}
	}
	/* what was asked ahead will not be STABLE either: no ring for a while */
	if (unstable) {
		ra->quiet_until = jiffies + HZ;
		om_mfs_ra_drop(ra);
	}
	/*
	 * What a ring keeps between calls is bounded in all: over it (the
	 * requests of calls under way count too), this one keeps nothing
	 */
	if (atomic_long_read(&om_mfs_ra_bytes) > OM_MFS_RA_MAX)
		om_mfs_ra_drop(ra);
	iocb->ki_pos += total;
	return total ?: err;
}

static ssize_t om_mfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct om_mfs_ra *ra = iocb->ki_filp->private_data;
	struct om_mfs_fh fh = om_mfs_fh_of(inode);
	bool fallback = true;
	ssize_t ret = 0, more;

	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EAGAIN;		/* every read waits for the node */
	/* a second reader of this open file at once reads without the ring */
	if (!ra || !iov_iter_count(to) || !mutex_trylock(&ra->lock))
		return om_mfs_fh_read(OM_MFS_I(inode)->node, &fh, &iocb->ki_pos, to);
	if (om_mfs_ra_begin(inode, ra, iocb))
		ret = om_mfs_ra_read(inode, ra, iocb, to, &fallback);
	if (fallback && iov_iter_count(to)) {
		more = om_mfs_fh_read(OM_MFS_I(inode)->node, &fh, &iocb->ki_pos, to);
		if (more > 0)
			ret += more;
		else if (!ret)
			ret = more;
	}
	ra->last_end = iocb->ki_pos;
	mutex_unlock(&ra->lock);
	return ret;
}

/* The ring goes (at a seek elsewhere, a write); a reader in it sees to it */
static void om_mfs_ra_stop(struct file *file, loff_t pos)
{
	struct om_mfs_ra *ra = file->private_data;

	if (!ra || !mutex_trylock(&ra->lock))
		return;
	if (ra->n && ra->pos != pos)
		om_mfs_ra_drop(ra);
	mutex_unlock(&ra->lock);
}

static int om_mfs_open(struct inode *inode, struct file *file)
{
	int err = generic_file_open(inode, file);
	struct om_mfs_ra *ra;

	if (err)
		return err;
	om_mfs_drop_cache(inode);
	if (!(file->f_mode & FMODE_READ))
		return 0;
	/* without memory, reads go without read-ahead */
	ra = kzalloc(sizeof(*ra), GFP_KERNEL);
	if (ra) {
		mutex_init(&ra->lock);
		ra->last_end = -1;
		/* jiffies start below 0: no quiet, a refresh allowed at once */
		ra->quiet_until = jiffies;
		ra->refreshed = jiffies - HZ;
		file->private_data = ra;
	}
	return 0;
}

static int om_mfs_release(struct inode *inode, struct file *file)
{
	struct om_mfs_ra *ra = file->private_data;

	if (ra) {
		om_mfs_ra_drop(ra);
		kfree(ra->ring);
		mutex_destroy(&ra->lock);
		kfree(ra);
		file->private_data = NULL;
	}
	return 0;
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
	/* what it read ahead is older than this write (the promise ends too) */
	om_mfs_ra_stop(iocb->ki_filp, -1);
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
	loff_t pos;
	int err;

	/* the end of the file is where the node says it is */
	if (whence != SEEK_SET && whence != SEEK_CUR) {
		err = om_mfs_refresh(inode);
		if (err)
			return err;
	}
	pos = generic_file_llseek(file, off, whence);
	/* elsewhere: what was read ahead goes */
	if (pos >= 0)
		om_mfs_ra_stop(file, pos);
	return pos;
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
	.release = om_mfs_release,
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
