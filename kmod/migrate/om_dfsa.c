// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * DFSA, direct file-system access (Documentation/mfs.md, "DFSA"): a
 * guest's file I/O on MFS files runs here, where it runs, instead of
 * being forwarded to its deputy.  When the guest opens a file (a
 * forwarded open), it asks for a DFSA record; the deputy adds one if the
 * file it opened is a regular MFS file of a dfsa=1 tree, not O_APPEND,
 * its description not shared.  The guest then keeps fd -> (node, handle,
 * access, position) here and serves read, write, pread64, pwrite64,
 * readv, writev, lseek, fsync and fdatasync on that fd itself through
 * MFS (mfs/om_mfs_dfsa.h), with its own credentials.
 *
 * fstat is served here too when the record carried the file's st_dev at
 * home (the rest of the stat is the node's, as home's would be).  The
 * home fd stays open and has the last word on everything else: the
 * other calls that do not touch the position are forwarded as they are.
 * Any other call naming the fd (dup, fcntl, ioctl, ...) first hands the
 * position back (a forwarded lseek) and ends DFSA for the fd; close just
 * ends it.  Before the process leaves (home, for any reason) every
 * position goes back the same way, so the process goes on at home at the
 * offset it had here.
 *
 * A directory of such a tree (asked with OM_MIG_SYSF_DFSA_DIR) is listed
 * here too: getdents64 by its handle (om_mfs_dfsa_readdir()), lseek as
 * MFS's directories at home (tell, rewind), fstat.  Its position is a
 * count of entries that home cannot seek to, so its fallback sends the
 * node's cookie and end with the count (OM_MIG_SYSF_DFSA_DIRPOS), and
 * home's file goes on from there.
 *
 * All of this runs in the guest's own context (the table is its own).
 */
#include <linux/kernel.h>
#include <linux/dirent.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <asm/stat.h>
#include <asm/unistd.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_migrate.h"
#include "mfs/om_mfs_dfsa.h"

static_assert(OM_MIG_DFSA_FH_MAX == OM_MFS_FH_MAX);
static_assert(OM_MIG_DFSA_POS_MAX == OM_MFS_OFF_MAX);

#define OM_DFSA_MAX	32	/* DFSA fds per guest */

struct om_dfsa_ent {
	int fd;			/* -1: free */
	u8 flags;		/* OM_MIG_DFSA_* */
	bool has_dev;		/* fstat is served here too */
	u32 dev;		/* its st_dev at home */
	loff_t pos;		/* a directory's: entries listed, as at home */
	struct om_mfs_dfsa_file f;
	struct om_mfs_dfsa_dir d;	/* OM_MIG_DFSA_DIR: where its listing stands */
};

static bool om_dfsa_is_dir(const struct om_dfsa_ent *e)
{
	return e->flags & OM_MIG_DFSA_DIR;
}

struct om_dfsa {
	unsigned int n;		/* entries in use */
	struct om_dfsa_ent e[OM_DFSA_MAX];
};

/* the calls served here, and the calls forwarded, on this node */
static atomic64_t om_dfsa_ncalls = ATOMIC64_INIT(0);
static atomic64_t om_fwd_ncalls = ATOMIC64_INIT(0);
/* path calls under the DFSA view that went home after all */
static atomic64_t om_dfsa_nfallbacks = ATOMIC64_INIT(0);

void om_dfsa_count(bool served)
{
	atomic64_inc(served ? &om_dfsa_ncalls : &om_dfsa_nfallbacks);
}

void om_dfsa_count_fwd(void)
{
	atomic64_inc(&om_fwd_ncalls);
}

static struct om_dfsa_ent *om_dfsa_find(struct om_remote *r, u64 fd)
{
	struct om_dfsa *t = r->dfsa;
	unsigned int i;

	if (!t || !t->n || fd > INT_MAX)
		return NULL;
	for (i = 0; i < OM_DFSA_MAX; i++)
		if (t->e[i].fd == (int)fd)
			return &t->e[i];
	return NULL;
}

static void om_dfsa_drop(struct om_remote *r, struct om_dfsa_ent *e)
{
	e->fd = -1;
	r->dfsa->n--;
}

/*
 * Hand the position back home (a forwarded lseek), then end DFSA for the
 * fd.  A directory's is a count of entries, which home's MFS cannot seek
 * to: its listing's place at the node (the cookie, the end) goes with it
 * (OM_MIG_SYSF_DFSA_DIRPOS), and home's file goes on from there.
 */
static void om_dfsa_sync_drop(struct om_remote *r, struct om_dfsa_ent *e)
{
	u64 args[6] = { e->fd, e->pos, SEEK_SET };
	u32 xflags = 0;
	long ret;

	if (om_dfsa_is_dir(e)) {
		args[3] = e->d.cookie;
		args[4] = e->d.eof;
		xflags = OM_MIG_SYSF_DFSA_DIRPOS;
	}
	om_dfsa_drop(r, e);
	ret = om_guest_forward_call(r, __NR_lseek, args, xflags);
	if (ret != (long)args[1])
		pr_warn_ratelimited("guest %d: fd %llu's position %llu not handed back home (%ld)\n",
				    task_pid_nr(current), args[0], args[1], ret);
}

bool om_dfsa_want(struct om_remote *r, u32 nr)
{
	return om_dfsa_open_nr(nr) && (!r->dfsa || r->dfsa->n < OM_DFSA_MAX);
}

void om_dfsa_opened(struct om_remote *r, long fd, const struct om_mig_dfsa *d)
{
	struct om_dfsa_ent *e;
	unsigned int i;

	if (!r->dfsa) {
		r->dfsa = kzalloc(sizeof(*r->dfsa), GFP_KERNEL);
		if (!r->dfsa)
			return;		/* then forwarded, as without DFSA */
		for (i = 0; i < OM_DFSA_MAX; i++)
			r->dfsa->e[i].fd = -1;
	}
	/* a stale entry for the number (cannot be: every close passes here) */
	e = om_dfsa_find(r, fd);
	if (e)
		om_dfsa_drop(r, e);
	for (i = 0; i < OM_DFSA_MAX; i++) {
		e = &r->dfsa->e[i];
		if (e->fd >= 0)
			continue;
		e->fd = fd;
		e->flags = d->flags;
		e->has_dev = d->has_dev;
		e->dev = d->dev;
		e->pos = d->pos;
		e->f.node = d->node;
		e->f.fhlen = d->fhlen;
		memcpy(e->f.fh, d->fh, d->fhlen);
		memset(&e->d, 0, sizeof(e->d));
		e->d.dot = d->dot;
		e->d.dotdot = d->dotdot;
		r->dfsa->n++;
		return;
	}
}

static u8 om_dfsa_wflags(const struct om_dfsa_ent *e)
{
	if (e->flags & OM_MIG_DFSA_SYNC)
		return OM_MFS_WRITE_SYNC;
	return (e->flags & OM_MIG_DFSA_DSYNC) ? OM_MFS_WRITE_DSYNC : 0;
}

/* read(2) or write(2) of the entry's file, at *pos (access checked) */
static ssize_t om_dfsa_rw(struct om_dfsa_ent *e, bool write, struct iov_iter *it,
			  loff_t *pos)
{
	if (write)
		return om_mfs_dfsa_write(&e->f, pos, it, om_dfsa_wflags(e));
	return om_mfs_dfsa_read(&e->f, pos, it);
}

/* One buffer, as the kernel takes it: at most MAX_RW_COUNT */
static ssize_t om_dfsa_buf(struct om_dfsa_ent *e, bool write, u64 ubuf, u64 len,
			   loff_t *pos)
{
	void __user *buf = (void __user *)ubuf;
	struct iov_iter it;

	if (!(e->flags & (write ? OM_MIG_DFSA_WRITE : OM_MIG_DFSA_READ)))
		return -EBADF;
	len = min_t(u64, len, MAX_RW_COUNT);
	if (!access_ok(buf, len))
		return -EFAULT;
	iov_iter_ubuf(&it, write ? ITER_SOURCE : ITER_DEST, buf, len);
	return om_dfsa_rw(e, write, &it, pos);
}

static ssize_t om_dfsa_vec(struct om_dfsa_ent *e, bool write, u64 uvec, u64 vlen,
			   loff_t *pos)
{
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	struct iov_iter it;
	ssize_t ret;

	if (!(e->flags & (write ? OM_MIG_DFSA_WRITE : OM_MIG_DFSA_READ)))
		return -EBADF;
	if (vlen > UIO_MAXIOV)
		return -EINVAL;
	ret = import_iovec(write ? ITER_SOURCE : ITER_DEST,
			   (const struct iovec __user *)uvec, (unsigned int)vlen,
			   UIO_FASTIOV, &iov, &it);
	if (ret < 0)
		return ret;
	ret = om_dfsa_rw(e, write, &it, pos);
	kfree(iov);
	return ret;
}

/* lseek(2) as generic_file_llseek() does it, the end where the node says */
static loff_t om_dfsa_lseek(struct om_dfsa_ent *e, s64 off, u32 whence)
{
	loff_t base = 0, size = 0;
	int err;

	if (whence > SEEK_MAX)
		return -EINVAL;
	if (whence == SEEK_CUR) {
		base = e->pos;
	} else if (whence != SEEK_SET) {
		err = om_mfs_dfsa_size(&e->f, &size);
		if (err)
			return err;
	}
	switch (whence) {
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA:		/* no holes: data up to the end */
		if ((u64)off >= (u64)size)
			return -ENXIO;
		break;
	case SEEK_HOLE:		/* and the one hole at the end */
		if ((u64)off >= (u64)size)
			return -ENXIO;
		off = size;
		break;
	}
	if ((off > 0 && base > (loff_t)OM_MFS_OFF_MAX - off) || base + off < 0)
		return -EINVAL;
	e->pos = base + off;
	return e->pos;
}

/* The calls DFSA serves where the process runs, on a DFSA fd */
static bool om_dfsa_served(u32 nr)
{
	switch (nr) {
	case __NR_read:
	case __NR_write:
	case __NR_pread64:
	case __NR_pwrite64:
	case __NR_readv:
	case __NR_writev:
	case __NR_lseek:
	case __NR_fsync:
	case __NR_fdatasync:
		return true;
	default:
		return false;
	}
}

/* A kstat of an MFS file to user space as cp_new_stat() does it, st_dev home's */
int om_dfsa_put_stat(struct stat __user *ubuf, const struct kstat *st, u32 dev)
{
	struct stat tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.st_dev = dev;
	tmp.st_ino = st->ino;
	tmp.st_mode = st->mode;
	tmp.st_nlink = st->nlink;
	tmp.st_uid = from_kuid_munged(current_user_ns(), st->uid);
	tmp.st_gid = from_kgid_munged(current_user_ns(), st->gid);
	tmp.st_rdev = new_encode_dev(st->rdev);
	tmp.st_size = st->size;
	tmp.st_atime = st->atime.tv_sec;
	tmp.st_atime_nsec = st->atime.tv_nsec;
	tmp.st_mtime = st->mtime.tv_sec;
	tmp.st_mtime_nsec = st->mtime.tv_nsec;
	tmp.st_ctime = st->ctime.tv_sec;
	tmp.st_ctime_nsec = st->ctime.tv_nsec;
	tmp.st_blocks = st->blocks;
	tmp.st_blksize = st->blksize;
	return copy_to_user(ubuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

/*
 * fstat(fd) and newfstatat(fd, "", AT_EMPTY_PATH) (glibc's fstat) of a
 * DFSA fd whose record carried home's st_dev: the file's node answers
 * (GETATTR), the struct filled as cp_new_stat() fills it at home.  Any
 * other form, or an error, goes home, which has the last word.
 */
static bool om_dfsa_stat(struct om_remote *r, u32 nr, const u64 args[6], long *ret)
{
	const u32 known = AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;
	struct om_dfsa_ent *e = om_dfsa_find(r, args[0]);
	struct stat __user *ubuf = (struct stat __user *)args[1];
	struct kstat st;
	char c;

	if (!e || !e->has_dev)
		return false;
	if (nr == __NR_newfstatat) {
		/* the fd itself only; a NULL path is home's to judge (6.1: EFAULT) */
		if (!((u32)args[3] & AT_EMPTY_PATH) || ((u32)args[3] & ~known) ||
		    !args[1] || get_user(c, (const char __user *)args[1]) || c)
			return false;
		ubuf = (struct stat __user *)args[2];
	}
	if (om_mfs_dfsa_getattr(&e->f, om_dfsa_is_dir(e), &st))
		return false;
	*ret = om_dfsa_put_stat(ubuf, &st, e->dev);
	atomic64_inc(&om_dfsa_ncalls);
	return true;
}

/* getdents64(2)'s buffer, as fs/readdir.c fills it */
struct om_dfsa_gd {
	struct dir_context ctx;
	struct linux_dirent64 __user *cur;
	int prev_reclen;
	int count;
	int error;
};

/* filldir64(): the previous entry's d_off is this one's position */
static bool om_dfsa_filldir(struct dir_context *ctx, const char *name, int namlen,
			    loff_t offset, u64 ino, unsigned int d_type)
{
	struct om_dfsa_gd *buf = container_of(ctx, struct om_dfsa_gd, ctx);
	struct linux_dirent64 __user *dirent = buf->cur, *prev;
	int reclen = ALIGN(offsetof(struct linux_dirent64, d_name) + namlen + 1,
			   sizeof(u64));

	/* verify_dirent_name() */
	if (namlen <= 0 || namlen >= PATH_MAX || memchr(name, '/', namlen)) {
		buf->error = -EIO;
		return false;
	}
	buf->error = -EINVAL;	/* only used if we fail */
	if (reclen > buf->count)
		return false;
	if (buf->prev_reclen && signal_pending(current))
		return false;
	prev = (void __user *)dirent - buf->prev_reclen;
	if ((buf->prev_reclen && put_user(offset, &prev->d_off)) ||
	    put_user(ino, &dirent->d_ino) || put_user(reclen, &dirent->d_reclen) ||
	    put_user(d_type, &dirent->d_type) ||
	    copy_to_user(dirent->d_name, name, namlen) ||
	    put_user(0, dirent->d_name + namlen)) {
		buf->error = -EFAULT;
		return false;
	}
	buf->prev_reclen = reclen;
	buf->cur = (void __user *)dirent + reclen;
	buf->count -= reclen;
	return true;
}

/* getdents64(fd, dirent, count) of a DFSA directory, as home's would answer */
static long om_dfsa_getdents(struct om_dfsa_ent *e, u64 udirent, u64 ucount)
{
	struct om_dfsa_gd buf = {
		.ctx.actor = om_dfsa_filldir,
		.ctx.pos = e->pos,
		.cur = (struct linux_dirent64 __user *)udirent,
		.count = (int)(unsigned int)ucount,	/* as the kernel's int */
	};
	struct linux_dirent64 __user *last;
	long err;

	err = om_mfs_dfsa_readdir(&e->f, &e->d, &buf.ctx);
	e->pos = buf.ctx.pos;
	if (err >= 0)
		err = buf.error;
	if (buf.prev_reclen) {
		last = (void __user *)buf.cur - buf.prev_reclen;
		if (put_user((s64)buf.ctx.pos, &last->d_off))
			err = -EFAULT;
		else
			err = (int)((unsigned int)ucount - buf.count);
	}
	return err;
}

/*
 * lseek(2) of a DFSA directory as MFS's at home (om_mfs_dir_llseek()):
 * telling, and rewinding; a position counts entries, not one to go to
 */
static loff_t om_dfsa_dir_lseek(struct om_dfsa_ent *e, s64 off, u32 whence)
{
	if (whence == SEEK_CUR && !off)
		return e->pos;
	if (whence != SEEK_SET || off)
		return -EINVAL;
	e->pos = 0;	/* the next listing starts again (cookie 0) */
	return 0;
}

/* A DFSA directory: getdents64 and lseek here, anything else home's (fallback) */
static bool om_dfsa_dir_serve(struct om_dfsa_ent *e, u32 nr, const u64 args[6], long *ret)
{
	switch (nr) {
	case __NR_getdents64:
		*ret = om_dfsa_getdents(e, args[1], args[2]);
		break;
	case __NR_lseek:
		*ret = om_dfsa_dir_lseek(e, (s64)args[1], (u32)args[2]);
		break;
	default:
		return false;
	}
	atomic64_inc(&om_dfsa_ncalls);
	return true;
}

/*
 * A call the table forwards: served here if it is one of DFSA's on a
 * DFSA fd (*ret its result).  False: forward it (om_dfsa_before_forward()
 * first).
 */
bool om_dfsa_serve(struct om_remote *r, u32 nr, const u64 args[6], long *ret)
{
	struct om_dfsa_ent *e;
	loff_t pos;

	if (nr == __NR_fstat)
		return om_dfsa_stat(r, nr, args, ret);
	if (nr == __NR_newfstatat && om_dfsa_stat(r, nr, args, ret))
		return true;
	if (om_dfsa_path_nr(nr))
		return om_dfsa_path_serve(r, nr, args, ret);
	if (nr == __NR_getdents64) {
		e = om_dfsa_find(r, args[0]);
		return e && om_dfsa_is_dir(e) && om_dfsa_dir_serve(e, nr, args, ret);
	}
	if (!om_dfsa_served(nr))
		return false;
	e = om_dfsa_find(r, args[0]);
	if (!e)
		return false;
	if (om_dfsa_is_dir(e))
		return om_dfsa_dir_serve(e, nr, args, ret);
	/* RLIMIT_FSIZE and its SIGXFSZ are home's to apply */
	if ((nr == __NR_write || nr == __NR_pwrite64 || nr == __NR_writev) &&
	    rlimit(RLIMIT_FSIZE) != RLIM_INFINITY)
		return false;
	switch (nr) {
	case __NR_read:
	case __NR_write:
		*ret = om_dfsa_buf(e, nr == __NR_write, args[1], args[2], &e->pos);
		break;
	case __NR_pread64:
	case __NR_pwrite64:
		pos = (loff_t)args[3];
		*ret = pos < 0 ? -EINVAL :
		       om_dfsa_buf(e, nr == __NR_pwrite64, args[1], args[2], &pos);
		break;
	case __NR_readv:
	case __NR_writev:
		*ret = om_dfsa_vec(e, nr == __NR_writev, args[1], args[2], &e->pos);
		break;
	case __NR_lseek:
		*ret = om_dfsa_lseek(e, (s64)args[1], (u32)args[2]);
		break;
	default:
		*ret = om_mfs_dfsa_fsync(&e->f, nr == __NR_fdatasync);
		break;
	}
	atomic64_inc(&om_dfsa_ncalls);
	return true;
}

/*
 * A call about to be forwarded: the DFSA fds it names, other than by the
 * calls that leave the position alone (fstat, fstatfs, ftruncate, fchmod,
 * fchown, preadv, pwritev, the *at calls, poll, select), hand their
 * position back and end DFSA (fallback); a close ends it.
 */
void om_dfsa_before_forward(struct om_remote *r, u32 nr, const u64 args[6])
{
	struct om_dfsa_ent *e;
	unsigned int i;

	if (!r->dfsa || !r->dfsa->n)
		return;
	switch (nr) {
	case __NR_close:
		e = om_dfsa_find(r, args[0]);
		if (e)
			om_dfsa_drop(r, e);
		return;
	case __NR_close_range:
		for (i = 0; i < OM_DFSA_MAX; i++) {
			e = &r->dfsa->e[i];
			if (e->fd >= 0 && e->fd >= (u32)args[0] && e->fd <= (u32)args[1])
				om_dfsa_sync_drop(r, e);
		}
		return;
	case __NR_dup2:
	case __NR_dup3:
		/* the old fd's description is shared (its position home first) */
		e = om_dfsa_find(r, args[0]);
		if (e)
			om_dfsa_sync_drop(r, e);
		/* the new fd's is closed */
		e = om_dfsa_find(r, args[1]);
		if (e)
			om_dfsa_drop(r, e);
		return;
	case __NR_dup:
	case __NR_fcntl:
	case __NR_ioctl:
	case __NR_getdents64:
	case __NR_fchdir:
	case __NR_preadv2:
	case __NR_pwritev2:
		break;
	default:
		/* a served call DFSA let through (RLIMIT_FSIZE) */
		if (!om_dfsa_served(nr))
			return;
	}
	e = om_dfsa_find(r, args[0]);
	if (e)
		om_dfsa_sync_drop(r, e);
}

/* The process leaves (home): every position goes back first. */
void om_dfsa_hand_back(struct om_remote *r)
{
	unsigned int i;

	if (!r->dfsa)
		return;
	for (i = 0; i < OM_DFSA_MAX && r->dfsa->n; i++)
		if (r->dfsa->e[i].fd >= 0)
			om_dfsa_sync_drop(r, &r->dfsa->e[i]);
}

void om_dfsa_free(struct om_remote *r)
{
	kfree(r->dfsa);
	r->dfsa = NULL;
	om_dfsa_path_free(r);
}

static ssize_t dfsa_calls_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_dfsa_ncalls));
}

static ssize_t dfsa_fallbacks_show(struct kobject *kobj, struct kobj_attribute *attr,
				   char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_dfsa_nfallbacks));
}

static ssize_t fwd_calls_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_fwd_ncalls));
}

static struct kobj_attribute om_attr_dfsa_calls = __ATTR_RO(dfsa_calls);
static struct kobj_attribute om_attr_fwd_calls = __ATTR_RO(fwd_calls);
static struct kobj_attribute om_attr_dfsa_fallbacks = __ATTR_RO(dfsa_fallbacks);

static struct attribute *om_dfsa_attrs[] = {
	&om_attr_dfsa_calls.attr,
	&om_attr_fwd_calls.attr,
	&om_attr_dfsa_fallbacks.attr,
	NULL,
};

static const struct attribute_group om_dfsa_group = {
	.attrs = om_dfsa_attrs,
};

int om_dfsa_init(void)
{
	int err = sysfs_create_group(om_kobj, &om_dfsa_group);

	if (err)
		return err;
	err = om_dfsa_view_init();
	if (err) {
		sysfs_remove_group(om_kobj, &om_dfsa_group);
		return err;
	}
	/* DFSA_VIEW is handled (om_remote_rx): homes may send it from now on */
	om_transport_set_feature(OM_WIRE_FEAT_DFSA_PATHS, true);
	/* and the views it sends as a home honour the LSM rule (om_dfsa_view.c) */
	om_transport_set_feature(OM_WIRE_FEAT_DFSA_MUT, true);
	/* and may carry the cwd (sent and taken: relative names, getcwd) */
	om_transport_set_feature(OM_WIRE_FEAT_DFSA_REL, true);
	return 0;
}

void om_dfsa_exit(void)
{
	om_transport_set_feature(OM_WIRE_FEAT_DFSA_REL, false);
	om_transport_set_feature(OM_WIRE_FEAT_DFSA_MUT, false);
	om_transport_set_feature(OM_WIRE_FEAT_DFSA_PATHS, false);
	om_dfsa_view_exit();
	sysfs_remove_group(om_kobj, &om_dfsa_group);
}
