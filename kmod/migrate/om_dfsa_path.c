// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * DFSA for path calls, at the remote (Documentation/mfs.md, "DFSA"):
 * stat, lstat, newfstatat, statx, access, faccessat, faccessat2,
 * readlink and readlinkat of an absolute path under one of the mounts of
 * the DFSA view its home sent (om_dfsa_view.c) are answered here, where
 * the process runs, instead of by its deputy.
 *
 * The rest of the path below the mount is walked on MFS's private mount
 * of the tree at this node (om_mfs_dfsa_walk(): LOOKUP_BENEATH, with the
 * guest's own credentials, which are the process's), so namei and the
 * MFS client do here exactly what they do at home; only st_dev,
 * stx_dev_*, stx_mnt_id and stx_attributes_mask are home's, from the
 * view.  An answer is given here only when it is success or an errno
 * that depends on the tree and the credentials alone: ENOENT, ENOTDIR,
 * EACCES, EPERM, ENAMETOOLONG, ELOOP, EROFS, EFAULT (our own copy),
 * EINVAL (readlink of what is no link) and EINTR with a fatal signal.
 * Everything else goes home after all (dfsa_fallbacks): EIO (a node
 * lost or late here), ESTALE after one LOOKUP_REVAL retry, ENOMEM,
 * E2BIG (over 32 groups), EXDEV (the walk left the tree, met a link to
 * home's state, ended on a local inode, or an ENOENT this node's view of
 * the cluster may have caused), EAGAIN and the rest.  So does any form
 * of the call the table does not list here: a relative path, flags or
 * masks beyond the ones below, a path too long to copy.
 *
 * Relative names (phase 2): with AT_FDCWD (or a call without a dirfd),
 * when the view carries a cwd record (home of OM_WIRE_FEAT_DFSA_REL), the
 * name's leading "." and ".."s are taken against the cwd's path
 * (om_dfsa_rel(); a climb above the mount's root is forwarded, unmatched)
 * and the rest walked from there: the cwd's path walked on the private
 * mount and checked to end on the directory home has as cwd (MFS's node
 * and handle, om_mfs_dfsa_cwd()), so a cwd renamed, replaced or removed
 * since home said where it was sends the call home (dfsa_fallbacks),
 * never a name resolved elsewhere; then up its parents, and the rest
 * walked beneath that directory (a ".." above it, or an absolute link:
 * home's).  getcwd is answered here the same way: the mount point and
 * the cwd's path, once the walk proved them, as home's getcwd() makes
 * them (its ERANGE; over PATH_MAX: home's ENAMETOOLONG).
 *
 * The guest's own context only (its calls); the view is read under RCU
 * and copied out before the walk.
 */
#include <linux/kernel.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/namei.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/securebits.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/uaccess.h>
#include <asm/unistd.h>

#include "om_core.h"
#include "om_migrate.h"
#include "om_dfsa_match.h"
#include "om_dfsa_int.h"
#include "mfs/om_mfs_dfsa.h"

/* STATX_MNT_ID_UNIQUE (6.8) and STATX_WRITE_ATOMIC (6.11): home's to answer */
#define OM_STATX_MNT_ID_UNIQUE	0x00004000U
#define OM_STATX_WRITE_ATOMIC	0x00010000U
/* kernel-only, never user space's (6.3+; 6.1 has none) */
#ifdef STATX_CHANGE_COOKIE
#define OM_STATX_KERNEL_ONLY	STATX_CHANGE_COOKIE
#else
#define OM_STATX_KERNEL_ONLY	0U
#endif

/* The view as received: its paths (and the cwd's path and handle) in blob */
struct om_dfsa_rview {
	struct rcu_head rcu;
	struct om_mig_dfsa_view v;
	char blob[];
};

int om_dfsa_view_rx(struct om_remote *r, const struct om_mig_dfsa_view *v)
{
	struct om_dfsa_rview *nv = NULL, *old;
	size_t size = 0, off = 0;
	unsigned int i;

	if (v->n > OM_MIG_DFSA_VIEW_MAX)
		return -EPROTO;		/* the codec said so already */
	if (v->n) {
		for (i = 0; i < v->n; i++)
			size += v->mnt[i].len;
		if (v->has_cwd)
			size += v->cwd.len + v->cwd.fhlen;
		nv = kzalloc(sizeof(*nv) + size, GFP_KERNEL);
	}
	/* no memory: the last view is revoked below (forwarded, still right) */
	if (nv) {
		nv->v.gen = v->gen;
		nv->v.dev = v->dev;
		nv->v.attr_mask = v->attr_mask;
		nv->v.n = v->n;
		for (i = 0; i < v->n; i++) {
			memcpy(nv->blob + off, v->mnt[i].path, v->mnt[i].len);
			nv->v.mnt[i].path = nv->blob + off;
			nv->v.mnt[i].len = v->mnt[i].len;
			nv->v.mnt[i].mnt_id = v->mnt[i].mnt_id;
			nv->v.mnt[i].flags = v->mnt[i].flags;
			off += v->mnt[i].len;
		}
		if (v->has_cwd) {
			nv->v.has_cwd = true;
			nv->v.cwd = v->cwd;
			/* the root's record has neither (len and fhlen 0, NULL) */
			if (v->cwd.len)
				memcpy(nv->blob + off, v->cwd.path, v->cwd.len);
			nv->v.cwd.path = nv->blob + off;
			off += v->cwd.len;
			if (v->cwd.fhlen)
				memcpy(nv->blob + off, v->cwd.fh, v->cwd.fhlen);
			nv->v.cwd.fh = (const u8 *)nv->blob + off;
		}
	}
	mutex_lock(&r->lock);
	if (r->state < OM_RS_COMMITTED) {
		mutex_unlock(&r->lock);
		kfree(nv);
		return -EPROTO;
	}
	if (v->gen <= r->dview_gen) {
		/* an older one, late */
		mutex_unlock(&r->lock);
		kfree(nv);
		return 0;
	}
	r->dview_gen = v->gen;
	old = rcu_replace_pointer(r->dview, nv, lockdep_is_held(&r->lock));
	mutex_unlock(&r->lock);
	if (old)
		kfree_rcu(old, rcu);
	if (!nv && v->n)
		pr_warn_ratelimited("DFSA view of session %llx: no memory, revoked\n", r->s->id);
	return 0;
}

void om_dfsa_path_free(struct om_remote *r)
{
	struct om_dfsa_rview *v = rcu_dereference_protected(r->dview, 1);

	RCU_INIT_POINTER(r->dview, NULL);
	if (v)
		kfree_rcu(v, rcu);
	kfree(r->pathbuf);
	r->pathbuf = NULL;
	kfree(r->pathbuf2);
	r->pathbuf2 = NULL;
	kfree(r->cwdbuf);
	r->cwdbuf = NULL;
	if (r->mfs_held)
		om_mfs_dfsa_unhold();
	r->mfs_held = false;
}

bool om_dfsa_path_nr(u32 nr)
{
	switch (nr) {
	case __NR_stat:
	case __NR_lstat:
	case __NR_newfstatat:
	case __NR_statx:
	case __NR_access:
	case __NR_faccessat:
	case __NR_faccessat2:
	case __NR_readlink:
	case __NR_readlinkat:
	case __NR_getcwd:
		return true;
	default:
		return om_dfsa_mut_nr(nr);
	}
}

/* An answer of this errno is the tree's and the credentials' alone */
bool om_dfsa_path_final(long res, bool einval)
{
	if (res >= 0)
		return true;
	switch (res) {
	case -ENOENT:
	case -ENOTDIR:
	case -EACCES:
	case -EPERM:
	case -ENAMETOOLONG:
	case -ELOOP:
	case -EROFS:
	case -EFAULT:
		return true;
	case -EINVAL:
		return einval;
	case -EINTR:
		return fatal_signal_pending(current);
	default:
		return false;
	}
}

/* The walk, once more with LOOKUP_REVAL after an ESTALE (as namei's callers) */
int om_dfsa_walk(const char *rel, unsigned int lflags, struct path *p)
{
	int err = om_mfs_dfsa_walk(rel, lflags, p);

	if (err == -ESTALE)
		err = om_mfs_dfsa_walk(rel, lflags | LOOKUP_REVAL, p);
	return err;
}

/* One walk of a hit's name: below the tree's root, or from its cwd */
static int om_dfsa_hwalk_once(const struct om_dfsa_hit *h, const char *name,
			      unsigned int lflags, struct path *p)
{
	struct path start;
	int err;

	if (!h->cwd)
		return om_mfs_dfsa_walk(name, lflags, p);
	err = om_mfs_dfsa_cwd(h->cwdp, h->node, h->fh, h->fhlen, h->ups, lflags & LOOKUP_REVAL,
			      &start);
	if (err)
		return err;
	if (h->top)
		err = om_mfs_dfsa_walk(name, lflags, p);
	else
		err = om_mfs_dfsa_walk_at(&start, *name ? name : ".", lflags, p);
	path_put(&start);
	return err;
}

int om_dfsa_hwalk(const struct om_dfsa_hit *h, const char *name, unsigned int lflags,
		  struct path *p)
{
	int err = om_dfsa_hwalk_once(h, name, lflags, p);

	if (err == -ESTALE)
		err = om_dfsa_hwalk_once(h, name, lflags | LOOKUP_REVAL, p);
	return err;
}

/* The walk, then vfs_getattr() of what it found (stat and statx alike) */
static int om_dfsa_walk_getattr(const struct om_dfsa_hit *h, unsigned int lflags, u32 mask,
				unsigned int flags, struct kstat *ks)
{
	struct path p;
	int err;

	err = om_dfsa_hwalk(h, h->rel, lflags, &p);
	if (err)
		return err;
	memset(ks, 0, sizeof(*ks));
	err = vfs_getattr(&p, ks, mask, flags);
	path_put(&p);
	return err;
}

/* stat, lstat, newfstatat: vfs_fstatat() then cp_new_stat() */
static long om_dfsa_path_stat(const struct om_dfsa_hit *h, unsigned int lflags,
			      struct stat __user *ubuf)
{
	struct kstat ks;
	int err = om_dfsa_walk_getattr(h, lflags, STATX_BASIC_STATS, AT_NO_AUTOMOUNT, &ks);

	if (err)
		return err;
	return om_dfsa_put_stat(ubuf, &ks, h->dev);
}

/* statx: vfs_statx() then cp_statx(), with home's dev, mount id and mask */
static long om_dfsa_path_statx(const struct om_dfsa_hit *h, unsigned int lflags,
			       u32 flags, u32 mask, struct statx __user *ubuf)
{
	dev_t dev = new_decode_dev(h->dev);
	struct statx tmp;
	struct kstat ks;
	int err = om_dfsa_walk_getattr(h, lflags, mask, flags, &ks);

	if (err)
		return err;
	memset(&tmp, 0, sizeof(tmp));
	tmp.stx_mask = (ks.result_mask | STATX_MNT_ID) & ~OM_STATX_KERNEL_ONLY;
	tmp.stx_blksize = ks.blksize;
	/* never MOUNT_ROOT: the mount's root itself goes home */
	tmp.stx_attributes = ks.attributes & OM_MIG_DFSA_ATTR_KNOWN & ~STATX_ATTR_MOUNT_ROOT;
	tmp.stx_nlink = ks.nlink;
	tmp.stx_uid = from_kuid_munged(current_user_ns(), ks.uid);
	tmp.stx_gid = from_kgid_munged(current_user_ns(), ks.gid);
	tmp.stx_mode = ks.mode;
	tmp.stx_ino = ks.ino;
	tmp.stx_size = ks.size;
	tmp.stx_blocks = ks.blocks;
	tmp.stx_attributes_mask = h->attr_mask;
	tmp.stx_atime.tv_sec = ks.atime.tv_sec;
	tmp.stx_atime.tv_nsec = ks.atime.tv_nsec;
	tmp.stx_btime.tv_sec = ks.btime.tv_sec;
	tmp.stx_btime.tv_nsec = ks.btime.tv_nsec;
	tmp.stx_ctime.tv_sec = ks.ctime.tv_sec;
	tmp.stx_ctime.tv_nsec = ks.ctime.tv_nsec;
	tmp.stx_mtime.tv_sec = ks.mtime.tv_sec;
	tmp.stx_mtime.tv_nsec = ks.mtime.tv_nsec;
	tmp.stx_rdev_major = MAJOR(ks.rdev);
	tmp.stx_rdev_minor = MINOR(ks.rdev);
	tmp.stx_dev_major = MAJOR(dev);
	tmp.stx_dev_minor = MINOR(dev);
	tmp.stx_mnt_id = h->mnt_id;
	return copy_to_user(ubuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

/*
 * access, faccessat, faccessat2: do_faccessat().  Without AT_EACCESS the
 * real ids, as access_override_creds() makes them, and before the walk:
 * MFS requests carry the current credentials.
 */
static long om_dfsa_path_access(const struct om_dfsa_hit *h, u32 mode, u32 flags)
{
	unsigned int lflags = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	const struct cred *old = NULL;
	struct inode *inode;
	struct cred *nc;
	struct path p;
	long res;

	if (!(flags & AT_EACCESS)) {
		nc = prepare_creds();
		if (!nc)
			return -ENOMEM;
		nc->fsuid = nc->uid;
		nc->fsgid = nc->gid;
		if (!issecure(SECURE_NO_SETUID_FIXUP)) {
			if (!uid_eq(nc->uid, make_kuid(nc->user_ns, 0)))
				cap_clear(nc->cap_effective);
			else
				nc->cap_effective = nc->cap_permitted;
		}
		old = override_creds(nc);
		put_cred(nc);
	}
	res = om_dfsa_hwalk(h, h->rel, lflags, &p);
	if (!res) {
		inode = d_backing_inode(p.dentry);
		if ((mode & MAY_EXEC) && S_ISREG(inode->i_mode)) {
			/* SB_I_NOEXEC: path_noexec() is true on every MFS mount */
			res = -EACCES;
		} else {
			res = inode_permission(om_nop_idmap, inode, mode | MAY_ACCESS);
			/* SuS v2: a read-only mount is reported too (MAY_WRITE is W_OK) */
			if (!res && (mode & MAY_WRITE) && !special_file(inode->i_mode) && h->ro)
				res = -EROFS;
		}
		path_put(&p);
	}
	if (old)
		revert_creds(old);
	return res;
}

/* readlink, readlinkat: do_readlinkat() (bufsiz > 0 checked) */
static long om_dfsa_path_readlink(const struct om_dfsa_hit *h, char __user *buf, int bufsiz)
{
	struct path p;
	long res;

	res = om_dfsa_hwalk(h, h->rel, 0, &p);
	if (res)
		return res;
	res = -EINVAL;
	if (d_is_symlink(p.dentry) || d_backing_inode(p.dentry)->i_op->readlink)
		res = vfs_readlink(p.dentry, buf, bufsiz);
	path_put(&p);
	return res;
}

long om_dfsa_path_copy(char **buf, u64 uname)
{
	if (!*buf) {
		*buf = kmalloc(PATH_MAX, GFP_KERNEL);
		if (!*buf)
			return -ENOMEM;
	}
	return strncpy_from_user(*buf, (const char __user *)uname, PATH_MAX);
}

/* This guest holds MFS's private mount (its walks need it) */
static bool om_dfsa_hold(struct om_remote *r)
{
	if (!r->mfs_held) {
		if (om_mfs_dfsa_hold())
			return false;
		r->mfs_held = true;
	}
	return true;
}

/* A buffer of PATH_MAX, made at the first use */
static bool om_dfsa_buf(char **buf)
{
	if (!*buf)
		*buf = kmalloc(PATH_MAX, GFP_KERNEL);
	return *buf;
}

/* The view's cwd record into h (its path into cwdbuf); under RCU */
static void om_dfsa_hit_cwd(const struct om_mig_dfsa_cwd *c, char *cwdbuf,
			    struct om_dfsa_hit *h)
{
	/* om_dfsa_view_rx() made both point into its blob, even when empty */
	memcpy(cwdbuf, c->path, c->len);
	cwdbuf[c->len] = '\0';
	h->cwdp = cwdbuf;
	h->node = c->node;
	h->fhlen = c->fhlen;
	memcpy(h->fh, c->fh, c->fhlen);
}

/* A relative name under the view's cwd: its mount's index, or -1 (RCU) */
static int om_dfsa_rel_match(const struct om_mig_dfsa_view *v, char *name, size_t n,
			     char *cwdbuf, struct om_dfsa_hit *h)
{
	size_t ups, rest;
	int left;

	if (!v->has_cwd || v->cwd.mnt >= v->n)
		return -1;
	left = om_dfsa_rel(v->cwd.path, v->cwd.len, name, n, &ups, &rest);
	/* above the mount's root, or the root itself (a local inode of home's) */
	if (left < 0 || (!left && rest == n))
		return -1;
	om_dfsa_hit_cwd(&v->cwd, cwdbuf, h);
	h->cwd = true;
	h->top = !left;
	h->ups = ups;
	h->rel = name + rest;
	return v->cwd.mnt;
}

bool om_dfsa_path_match(struct om_remote *r, int dfd, u64 uname, char **buf,
			struct om_dfsa_hit *h)
{
	const struct om_dfsa_rview *v;
	size_t rest;
	long n;
	int k = -1;

	if (!rcu_access_pointer(r->dview) || !uname)
		return false;
	/* too long, or a fault: home gives ENAMETOOLONG or EFAULT */
	n = om_dfsa_path_copy(buf, uname);
	if (n <= 0 || n >= PATH_MAX)
		return false;
	h->cwd = false;
	h->top = false;
	if ((*buf)[0] != '/' && (dfd != AT_FDCWD || !om_dfsa_buf(&r->cwdbuf)))
		return false;
	rcu_read_lock();
	v = rcu_dereference(r->dview);
	if (v && (*buf)[0] == '/') {
		k = om_dfsa_view_match(&v->v, *buf, n, &rest);
		h->rel = *buf + rest;
	} else if (v) {
		k = om_dfsa_rel_match(&v->v, *buf, n, r->cwdbuf, h);
	}
	if (k >= 0) {
		h->dev = v->v.dev;
		h->attr_mask = v->v.attr_mask;
		h->gen = v->v.gen;
		h->k = k;
		h->mnt_id = v->v.mnt[k].mnt_id;
		h->ro = v->v.mnt[k].flags & OM_MIG_DFSA_MNT_RO;
	}
	rcu_read_unlock();
	return k >= 0 && om_dfsa_hold(r);
}

/*
 * getcwd: the view's mount point and cwd path, once the cwd's walk proved
 * it is still home's cwd there (else home answers: it may have moved);
 * sys_getcwd()'s length (with the NUL) and ERANGE
 */
static bool om_dfsa_getcwd(struct om_remote *r, u64 ubuf, u64 size, long *ret)
{
	const struct om_dfsa_rview *v;
	struct om_dfsa_hit h = {};
	struct path start;
	bool has = false;
	long len = -1;

	if (!rcu_access_pointer(r->dview) || !om_dfsa_buf(&r->pathbuf) ||
	    !om_dfsa_buf(&r->cwdbuf))
		return false;
	rcu_read_lock();
	v = rcu_dereference(r->dview);
	if (v && v->v.has_cwd && v->v.cwd.mnt < v->v.n) {
		const struct om_mig_dfsa_cwd *c = &v->v.cwd;
		const struct om_mig_dfsa_mnt *m = &v->v.mnt[c->mnt];

		has = true;
		len = om_dfsa_cwd_join(m->path, m->len, c->path, c->len, r->pathbuf, PATH_MAX);
		om_dfsa_hit_cwd(c, r->cwdbuf, &h);
	}
	rcu_read_unlock();
	if (!has)
		return false;
	/* over PATH_MAX: home's ENAMETOOLONG */
	if (len < 0 || !om_dfsa_hold(r) ||
	    om_mfs_dfsa_cwd(h.cwdp, h.node, h.fh, h.fhlen, 0, 0, &start)) {
		om_dfsa_count(false);
		return false;
	}
	path_put(&start);
	if ((u64)len > size)
		*ret = -ERANGE;
	else if (copy_to_user((char __user *)ubuf, r->pathbuf, len))
		*ret = -EFAULT;
	else
		*ret = len;
	om_dfsa_count(true);
	return true;
}

bool om_dfsa_path_serve(struct om_remote *r, u32 nr, const u64 args[6], long *ret)
{
	const u32 st_known = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH;
	struct om_dfsa_hit h;
	bool einval = false;
	u32 flags = 0, mask;
	long res;

	if (om_dfsa_mut_nr(nr))
		return om_dfsa_mut_serve(r, nr, args, ret);
	if (nr == __NR_getcwd)
		return om_dfsa_getcwd(r, args[0], args[1], ret);
	/* the forms served here; any other goes home as it is */
	switch (nr) {
	case __NR_stat:
	case __NR_lstat:
		if (!om_dfsa_path_match(r, AT_FDCWD, args[0], &r->pathbuf, &h))
			return false;
		res = om_dfsa_path_stat(&h, nr == __NR_stat ? LOOKUP_FOLLOW : 0,
					(struct stat __user *)args[1]);
		break;
	case __NR_newfstatat:
		flags = (u32)args[3];
		if ((flags & ~st_known) ||
		    !om_dfsa_path_match(r, (int)args[0], args[1], &r->pathbuf, &h))
			return false;
		res = om_dfsa_path_stat(&h, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
					(struct stat __user *)args[2]);
		break;
	case __NR_statx:
		flags = (u32)args[2];
		mask = (u32)args[3];
		if ((flags & ~(st_known | AT_STATX_SYNC_TYPE)) ||
		    (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
		    (mask & (STATX__RESERVED | STATX_DIOALIGN | OM_STATX_MNT_ID_UNIQUE |
			     OM_STATX_WRITE_ATOMIC)))
			return false;
		if (!om_dfsa_path_match(r, (int)args[0], args[1], &r->pathbuf, &h))
			return false;
		/* getname_statx_lookup_flags() */
		res = om_dfsa_path_statx(&h,
					 ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
					 ((flags & AT_NO_AUTOMOUNT) ? 0 : LOOKUP_AUTOMOUNT),
					 flags, mask & ~OM_STATX_KERNEL_ONLY,
					 (struct statx __user *)args[4]);
		break;
	case __NR_access:
	case __NR_faccessat:
	case __NR_faccessat2: {
		u64 uname = nr == __NR_access ? args[0] : args[1];
		u32 mode = (u32)(nr == __NR_access ? args[1] : args[2]);
		int dfd = nr == __NR_access ? AT_FDCWD : (int)args[0];

		if (nr == __NR_faccessat2)
			flags = (u32)args[3];
		if ((mode & ~(MAY_READ | MAY_WRITE | MAY_EXEC)) ||
		    (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)) ||
		    !om_dfsa_path_match(r, dfd, uname, &r->pathbuf, &h))
			return false;
		res = om_dfsa_path_access(&h, mode, flags);
		break;
	}
	case __NR_readlink:
	case __NR_readlinkat: {
		bool at = nr == __NR_readlinkat;
		int bufsiz = (int)args[at ? 3 : 2];

		if (bufsiz <= 0 ||
		    !om_dfsa_path_match(r, at ? (int)args[0] : AT_FDCWD, args[at ? 1 : 0],
					&r->pathbuf, &h))
			return false;
		res = om_dfsa_path_readlink(&h, (char __user *)args[at ? 2 : 1], bufsiz);
		einval = true;
		break;
	}
	default:
		return false;
	}
	if (!om_dfsa_path_final(res, einval)) {
		om_dfsa_count(false);
		return false;
	}
	*ret = res;
	om_dfsa_count(true);
	return true;
}
