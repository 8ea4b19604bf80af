// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * DFSA for path calls, phase 3a, at the remote (Documentation/mfs.md,
 * "DFSA", "Path mutations"): mkdir, mkdirat, rmdir, unlink, unlinkat,
 * rename, renameat, renameat2, symlink, symlinkat, link, linkat, chmod,
 * fchmodat, chown, lchown, fchownat, utime, utimes, futimesat, utimensat
 * and truncate of absolute paths under one mount of the DFSA view are
 * made here, where the process runs, through MFS's private mount, as
 * om_dfsa_path.c answers stat() (the same match, walk and credentials),
 * when its home announced OM_WIRE_FEAT_DFSA_MUT: a home that sends a
 * view only for a process no path-based LSM confines.
 *
 * Each call does what its namei.c, open.c or utimes.c body does after
 * the lookup, with exported helpers only: the parent walked
 * (om_dfsa_walk()), the last name looked up under the parent's lock
 * (lookup_one_len()), write access to the private mount, vfs_mkdir(),
 * vfs_rmdir(), vfs_unlink(), vfs_rename(), vfs_symlink(), vfs_link(),
 * notify_change() (chmod, chown, utimes), vfs_truncate(); the checks
 * home's kernel makes before it (EEXIST, ENOENT, EROFS of a read-only
 * mount, rename's loops) in home's order.  No delegations: MFS has none.
 *
 * Never twice: once the vfs_*() call or notify_change() is made, the
 * request may have reached the serving node, and whatever it returns is
 * the answer (EIO of a lost node too); a forwarded retry could make the
 * change twice.  Before that, an errno home would not give the same
 * (the walk's EIO, ESTALE, ENOMEM; the private mount not writable here;
 * the two names of rename or link under two mounts; a form this does
 * not take) sends the call home after all (dfsa_fallbacks), as phase 1.
 *
 * Relative names with AT_FDCWD (phase 2): as om_dfsa_path.c, from the
 * cwd of the view (om_dfsa_hwalk()); a single name's parent is the cwd,
 * or the directory its leading ".."s lead to.
 *
 * Not done here (home's to decide): trailing slashes but for mkdir and
 * rmdir, a last name "." or "..", a name directly in the mount's root,
 * a link that protected_hardlinks could refuse (the sysctl is home's),
 * utimensat with both times UTIME_OMIT (home answers 0 unwalked), and
 * any flag not listed.  Home's path-based LSM hooks (security_path_*)
 * do not run: the deputy sends no view while its process is confined.
 */
#include <linux/kernel.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/stat.h>
#include <linux/time64.h>
#include <linux/time_types.h>
#include <linux/uaccess.h>
#include <linux/utime.h>
#include <asm/unistd.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_migrate.h"
#include "om_dfsa_match.h"
#include "om_dfsa_int.h"

enum om_dfsa_op {
	OM_DOP_MKDIR,
	OM_DOP_RMDIR,
	OM_DOP_UNLINK,
	OM_DOP_RENAME,
	OM_DOP_SYMLINK,
	OM_DOP_LINK,
	OM_DOP_CHMOD,
	OM_DOP_CHOWN,
	OM_DOP_UTIMES,
	OM_DOP_TRUNCATE,
};

/* A call as it is served here */
struct om_dfsa_mcall {
	enum om_dfsa_op op;
	u64 name, name2;	/* the user's names (name2: rename's, link's new; symlink's target) */
	int dfd, dfd2;		/* their dirfds (AT_FDCWD for the calls without) */
	unsigned int lflags;	/* the target's walk (chmod, chown, utimes) */
	unsigned int flags;	/* renameat2's */
	umode_t mode;
	uid_t uid;
	gid_t gid;
	loff_t len;
	bool now;		/* utimes: both times now (ATTR_TOUCH) */
	struct timespec64 t[2];
};

bool om_dfsa_mut_nr(u32 nr)
{
	switch (nr) {
	case __NR_mkdir:
	case __NR_mkdirat:
	case __NR_rmdir:
	case __NR_unlink:
	case __NR_unlinkat:
	case __NR_rename:
	case __NR_renameat:
	case __NR_renameat2:
	case __NR_symlink:
	case __NR_symlinkat:
	case __NR_link:
	case __NR_linkat:
	case __NR_chmod:
	case __NR_fchmodat:
	case __NR_chown:
	case __NR_lchown:
	case __NR_fchownat:
	case __NR_utime:
	case __NR_utimes:
	case __NR_futimesat:
	case __NR_utimensat:
	case __NR_truncate:
		return true;
	default:
		return false;
	}
}

void om_dfsa_umask(u32 mask)
{
	/* as sys_umask(): the served creations' mode (vfs_mkdir() reads it too) */
	xchg(&current->fs->umask, mask & 0777);
}

/* The private mount's write access: a refusal is this node's state, not home's answer */
static int om_dfsa_want_write(const struct path *p)
{
	return mnt_want_write(p->mnt) ? -EXDEV : 0;
}

/*
 * h's name split (om_dfsa_split_from()) and its parent walked as namei
 * walks it: *dir, and the last name NUL-terminated in place.  A relative
 * name's single name is in the start (the cwd or above it), unless that
 * is the tree's root.  -EXDEV: not here (no parent below the root, dots,
 * trailing slashes not taken).
 */
static int om_dfsa_parent(struct om_dfsa_hit *h, bool trail_ok, struct path *dir,
			  const char **last, int *len)
{
	size_t dl, l, ll;
	bool trail;

	if (om_dfsa_split_from(h->rel, strlen(h->rel), h->cwd && !h->top, &dl, &l, &ll, &trail) ||
	    (trail && !trail_ok))
		return -EXDEV;
	h->rel[l + ll] = '\0';
	if (dl)
		h->rel[dl] = '\0';
	*last = h->rel + l;
	*len = ll;
	return om_dfsa_hwalk(h, dl ? h->rel : "", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, dir);
}

/* The last name in dir, dir's inode locked (and unlocked again on an error) */
static struct dentry *om_dfsa_lookup(const struct path *dir, const char *last, int len)
{
	struct dentry *d;

	inode_lock_nested(d_inode(dir->dentry), I_MUTEX_PARENT);
	d = lookup_one_len(last, dir->dentry, len);
	if (IS_ERR(d))
		inode_unlock(d_inode(dir->dentry));
	return d;
}

/*
 * may_linkat() as protected_hardlinks=1 has it: the source's owner (or
 * CAP_FOWNER), or a safe source.  Then home allows the link whatever its
 * sysctl says; otherwise it is home's to decide.
 */
static bool om_dfsa_may_link(struct inode *inode)
{
	umode_t mode = inode->i_mode;

	if (inode_owner_or_capable(om_nop_idmap, inode))
		return true;
	return S_ISREG(mode) && !(mode & S_ISUID) &&
	       (mode & 02010) != 02010 &&	/* S_ISGID with S_IXGRP */
	       !inode_permission(om_nop_idmap, inode, MAY_READ | MAY_WRITE);
}

/*
 * mkdir, symlink (target), link's new name (old): filename_create(), then
 * the vfs_*() call.  An existing name is EEXIST before a read-only
 * mount's EROFS, as at home.
 */
static long om_dfsa_create(struct om_dfsa_hit *h, const struct om_dfsa_mcall *c,
			   const char *target, const struct path *old, bool *fin)
{
	umode_t mode = c->mode;
	struct inode *di;
	struct dentry *d;
	struct path dir;
	const char *last;
	int len;
	long res;

	res = om_dfsa_parent(h, c->op == OM_DOP_MKDIR, &dir, &last, &len);
	if (res)
		return res;
	res = om_dfsa_want_write(&dir);
	if (res)
		goto out;
	di = d_inode(dir.dentry);
	d = om_dfsa_lookup(&dir, last, len);
	if (IS_ERR(d)) {
		res = PTR_ERR(d);
		goto drop;
	}
	*fin = true;
	if (d_really_is_positive(d)) {
		res = -EEXIST;
	} else if (h->ro) {
		res = -EROFS;
	} else if (c->op == OM_DOP_MKDIR) {
		/* do_mkdirat(): the process's umask (kept as home's, om_dfsa_umask()) */
		if (!IS_POSIXACL(di))
			mode &= ~current_umask();
		res = vfs_mkdir(om_nop_idmap, di, d, mode);
	} else if (c->op == OM_DOP_SYMLINK) {
		res = vfs_symlink(om_nop_idmap, di, d, target);
	} else if (!om_dfsa_may_link(d_inode(old->dentry))) {
		*fin = false;
		res = -EXDEV;
	} else {
		res = vfs_link(old->dentry, om_nop_idmap, di, d, NULL);
	}
	dput(d);
	inode_unlock(di);
drop:
	mnt_drop_write(dir.mnt);
out:
	path_put(&dir);
	return res;
}

/* link: do_linkat() without AT_SYMLINK_FOLLOW: the old name unfollowed first */
static long om_dfsa_link(struct om_dfsa_hit *oh, struct om_dfsa_hit *nh,
			 const struct om_dfsa_mcall *c, bool *fin)
{
	struct path old;
	long res = om_dfsa_hwalk(oh, oh->rel, 0, &old);

	if (res)
		return res;
	res = om_dfsa_create(nh, c, NULL, &old, fin);
	path_put(&old);
	return res;
}

/* rmdir, unlink: do_rmdir(), do_unlinkat(); a read-only mount is EROFS before the lookup */
static long om_dfsa_remove(struct om_dfsa_hit *h, bool isdir, bool *fin)
{
	struct inode *di, *victim = NULL;
	struct dentry *d;
	struct path dir;
	const char *last;
	int len;
	long res;

	res = om_dfsa_parent(h, isdir, &dir, &last, &len);
	if (res)
		return res;
	if (h->ro) {
		*fin = true;
		res = -EROFS;
		goto out;
	}
	res = om_dfsa_want_write(&dir);
	if (res)
		goto out;
	di = d_inode(dir.dentry);
	d = om_dfsa_lookup(&dir, last, len);
	if (IS_ERR(d)) {
		res = PTR_ERR(d);
		goto drop;
	}
	*fin = true;
	if (d_is_negative(d)) {
		res = -ENOENT;
	} else if (isdir) {
		res = vfs_rmdir(om_nop_idmap, di, d);
	} else {
		/* its last reference goes after the parent's lock, as in do_unlinkat() */
		victim = d_inode(d);
		ihold(victim);
		res = vfs_unlink(om_nop_idmap, di, d, NULL);
	}
	dput(d);
	inode_unlock(di);
	if (victim)
		iput(victim);
drop:
	mnt_drop_write(dir.mnt);
out:
	path_put(&dir);
	return res;
}

/* rename: do_renameat2() for flags 0 and RENAME_NOREPLACE, one mount */
static long om_dfsa_rename(struct om_dfsa_hit *oh, struct om_dfsa_hit *nh,
			   unsigned int flags, bool *fin)
{
	struct dentry *od, *nd = NULL, *trap;
	struct renamedata rd = {};
	struct path odir, ndir;
	const char *olast, *nlast;
	int olen, nlen;
	long res;

	res = om_dfsa_parent(oh, false, &odir, &olast, &olen);
	if (res)
		return res;
	res = om_dfsa_parent(nh, false, &ndir, &nlast, &nlen);
	if (res)
		goto out_old;
	if (oh->ro) {
		*fin = true;
		res = -EROFS;
		goto out;
	}
	res = om_dfsa_want_write(&odir);
	if (res)
		goto out;
	trap = lock_rename(ndir.dentry, odir.dentry);
	if (IS_ERR(trap)) {
		res = -EXDEV;	/* 6.12: not one tree (cannot be: one superblock) */
		goto drop;
	}
	od = lookup_one_len(olast, odir.dentry, olen);
	if (IS_ERR(od)) {
		res = PTR_ERR(od);
		goto unlock;
	}
	if (d_is_negative(od)) {
		*fin = true;	/* the source must exist */
		res = -ENOENT;
		goto put_old;
	}
	nd = lookup_one_len(nlast, ndir.dentry, nlen);
	if (IS_ERR(nd)) {
		res = PTR_ERR(nd);
		goto put_old;
	}
	*fin = true;
	if ((flags & RENAME_NOREPLACE) && d_is_positive(nd)) {
		res = -EEXIST;
	} else if (od == trap) {
		res = -EINVAL;		/* the source is an ancestor of the target */
	} else if (nd == trap) {
		res = -ENOTEMPTY;	/* the target is an ancestor of the source */
	} else {
		rd.old_dir = d_inode(odir.dentry);
		rd.old_dentry = od;
		rd.new_dir = d_inode(ndir.dentry);
		rd.new_dentry = nd;
		rd.flags = flags;
		om_renamedata_idmap(&rd);
		res = vfs_rename(&rd);
	}
	dput(nd);
put_old:
	dput(od);
unlock:
	unlock_rename(ndir.dentry, odir.dentry);
drop:
	mnt_drop_write(odir.mnt);
out:
	path_put(&ndir);
out_old:
	path_put(&odir);
	return res;
}

/*
 * chmod (chmod_common()), chown (do_fchownat(), chown_common()), utimes
 * (vfs_utimes()): the walk, a read-only mount's EROFS, then
 * notify_change() under the inode's lock
 */
static long om_dfsa_setattr(struct om_dfsa_hit *h, const struct om_dfsa_mcall *c, bool *fin)
{
	struct iattr ia = {};
	struct inode *inode;
	struct path p;
	long res;

	res = om_dfsa_hwalk(h, h->rel, c->lflags, &p);
	if (res)
		return res;
	if (h->ro) {
		*fin = true;
		res = -EROFS;
		goto out;
	}
	res = om_dfsa_want_write(&p);
	if (res)
		goto out;
	inode = d_inode(p.dentry);
	inode_lock(inode);
	switch (c->op) {
	case OM_DOP_CHMOD:
		ia.ia_mode = (c->mode & S_IALLUGO) | (inode->i_mode & ~S_IALLUGO);
		ia.ia_valid = ATTR_MODE | ATTR_CTIME;
		break;
	case OM_DOP_CHOWN:
		/* the ids are the initial namespace's (the view's condition) */
		ia.ia_valid = ATTR_CTIME;
		if (c->uid != (uid_t)-1) {
			ia.ia_valid |= ATTR_UID;
			ia.ia_uid = make_kuid(current_user_ns(), c->uid);
		}
		if (c->gid != (gid_t)-1) {
			ia.ia_valid |= ATTR_GID;
			ia.ia_gid = make_kgid(current_user_ns(), c->gid);
		}
		if (!S_ISDIR(inode->i_mode))
			ia.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_PRIV |
				       setattr_should_drop_sgid(om_nop_idmap, inode);
		break;
	default:
		ia.ia_valid = ATTR_CTIME | ATTR_MTIME | ATTR_ATIME;
		if (c->now) {
			ia.ia_valid |= ATTR_TOUCH;
			break;
		}
		if (c->t[0].tv_nsec == UTIME_OMIT) {
			ia.ia_valid &= ~ATTR_ATIME;
		} else if (c->t[0].tv_nsec != UTIME_NOW) {
			ia.ia_atime = c->t[0];
			ia.ia_valid |= ATTR_ATIME_SET;
		}
		if (c->t[1].tv_nsec == UTIME_OMIT) {
			ia.ia_valid &= ~ATTR_MTIME;
		} else if (c->t[1].tv_nsec != UTIME_NOW) {
			ia.ia_mtime = c->t[1];
			ia.ia_valid |= ATTR_MTIME_SET;
		}
		/* an explicit time update for setattr_prepare() */
		ia.ia_valid |= ATTR_TIMES_SET;
		break;
	}
	*fin = true;
	res = notify_change(om_nop_idmap, p.dentry, &ia, NULL);
	inode_unlock(inode);
	mnt_drop_write(p.mnt);
out:
	path_put(&p);
	return res;
}

/* truncate: do_sys_truncate() (the length checked) */
static long om_dfsa_truncate(struct om_dfsa_hit *h, loff_t len, bool *fin)
{
	struct inode *inode;
	struct path p;
	long res;

	res = om_dfsa_hwalk(h, h->rel, LOOKUP_FOLLOW, &p);
	if (res)
		return res;
	inode = d_inode(p.dentry);
	if (h->ro) {
		/* vfs_truncate()'s checks before its mnt_want_write() */
		*fin = true;
		res = S_ISDIR(inode->i_mode) ? -EISDIR : !S_ISREG(inode->i_mode) ? -EINVAL : -EROFS;
		goto out;
	}
	res = om_dfsa_want_write(&p);
	if (res)
		goto out;
	/* vfs_truncate() takes write access itself: held twice is sb_writers twice (lockdep) */
	mnt_drop_write(p.mnt);
	*fin = true;
	res = vfs_truncate(&p, len);
out:
	path_put(&p);
	return res;
}

/* utimes, futimesat: do_futimesat()'s checks; false: home's to answer */
static bool om_dfsa_timeval(u64 utv, struct om_dfsa_mcall *c)
{
	struct __kernel_old_timeval tv[2];
	int i;

	if (!utv) {
		c->now = true;
		return true;
	}
	if (copy_from_user(tv, (const void __user *)utv, sizeof(tv)))
		return false;
	for (i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= USEC_PER_SEC)
			return false;
		c->t[i].tv_sec = tv[i].tv_sec;
		c->t[i].tv_nsec = tv[i].tv_usec * NSEC_PER_USEC;
	}
	return true;
}

/* utime: sys_utime() */
static bool om_dfsa_utimbuf(u64 ub, struct om_dfsa_mcall *c)
{
	struct utimbuf u;

	if (!ub) {
		c->now = true;
		return true;
	}
	if (copy_from_user(&u, (const void __user *)ub, sizeof(u)))
		return false;
	c->t[0].tv_sec = u.actime;
	c->t[0].tv_nsec = 0;
	c->t[1].tv_sec = u.modtime;
	c->t[1].tv_nsec = 0;
	return true;
}

static bool om_dfsa_nsec_ok(long nsec)
{
	return nsec == UTIME_OMIT || nsec == UTIME_NOW || (nsec >= 0 && nsec < NSEC_PER_SEC);
}

/* utimensat: sys_utimensat() and vfs_utimes()'s checks */
static bool om_dfsa_timespec(u64 uts, struct om_dfsa_mcall *c)
{
	struct __kernel_timespec ts[2];
	int i;

	if (!uts) {
		c->now = true;
		return true;
	}
	if (copy_from_user(ts, (const void __user *)uts, sizeof(ts)))
		return false;
	for (i = 0; i < 2; i++) {
		c->t[i].tv_sec = ts[i].tv_sec;
		c->t[i].tv_nsec = ts[i].tv_nsec;
		if (!om_dfsa_nsec_ok(c->t[i].tv_nsec))
			return false;
	}
	/* both omitted: home answers 0 without a walk */
	if (c->t[0].tv_nsec == UTIME_OMIT && c->t[1].tv_nsec == UTIME_OMIT)
		return false;
	c->now = c->t[0].tv_nsec == UTIME_NOW && c->t[1].tv_nsec == UTIME_NOW;
	return true;
}

/* The call's form, if it is one served here (*c); false: forward it as it is */
static bool om_dfsa_mut_form(u32 nr, const u64 args[6], struct om_dfsa_mcall *c)
{
	u32 flags;

	c->lflags = LOOKUP_FOLLOW;
	c->dfd = AT_FDCWD;
	c->dfd2 = AT_FDCWD;
	switch (nr) {
	case __NR_mkdir:
	case __NR_mkdirat: {
		bool at = nr == __NR_mkdirat;

		c->op = OM_DOP_MKDIR;
		if (at)
			c->dfd = (int)args[0];
		c->name = args[at ? 1 : 0];
		c->mode = (umode_t)args[at ? 2 : 1];
		return true;
	}
	case __NR_rmdir:
	case __NR_unlink:
		c->op = nr == __NR_rmdir ? OM_DOP_RMDIR : OM_DOP_UNLINK;
		c->name = args[0];
		return true;
	case __NR_unlinkat:
		flags = (u32)args[2];
		if (flags & ~AT_REMOVEDIR)
			return false;
		c->op = flags ? OM_DOP_RMDIR : OM_DOP_UNLINK;
		c->dfd = (int)args[0];
		c->name = args[1];
		return true;
	case __NR_rename:
		c->op = OM_DOP_RENAME;
		c->name = args[0];
		c->name2 = args[1];
		return true;
	case __NR_renameat2:
		c->flags = (u32)args[4];
		if (c->flags & ~RENAME_NOREPLACE)
			return false;
		fallthrough;
	case __NR_renameat:
		c->op = OM_DOP_RENAME;
		c->dfd = (int)args[0];
		c->name = args[1];
		c->dfd2 = (int)args[2];
		c->name2 = args[3];
		return true;
	case __NR_symlink:
	case __NR_symlinkat:
		c->op = OM_DOP_SYMLINK;
		c->name2 = args[0];	/* the target: any text */
		c->name = args[nr == __NR_symlink ? 1 : 2];
		if (nr == __NR_symlinkat)
			c->dfd = (int)args[1];
		return true;
	case __NR_link:
		c->op = OM_DOP_LINK;
		c->name = args[0];
		c->name2 = args[1];
		return true;
	case __NR_linkat:
		if ((u32)args[4])
			return false;
		c->op = OM_DOP_LINK;
		c->dfd = (int)args[0];
		c->name = args[1];
		c->dfd2 = (int)args[2];
		c->name2 = args[3];
		return true;
	case __NR_chmod:
	case __NR_fchmodat: {
		bool at = nr == __NR_fchmodat;

		c->op = OM_DOP_CHMOD;
		if (at)
			c->dfd = (int)args[0];
		c->name = args[at ? 1 : 0];
		c->mode = (umode_t)args[at ? 2 : 1];
		return true;
	}
	case __NR_chown:
	case __NR_lchown:
		c->op = OM_DOP_CHOWN;
		c->name = args[0];
		c->uid = (uid_t)args[1];
		c->gid = (gid_t)args[2];
		if (nr == __NR_lchown)
			c->lflags = 0;
		return true;
	case __NR_fchownat:
		flags = (u32)args[4];
		if (flags & ~AT_SYMLINK_NOFOLLOW)
			return false;
		c->op = OM_DOP_CHOWN;
		c->dfd = (int)args[0];
		c->name = args[1];
		c->uid = (uid_t)args[2];
		c->gid = (gid_t)args[3];
		if (flags)
			c->lflags = 0;
		return true;
	case __NR_utime:
		c->op = OM_DOP_UTIMES;
		c->name = args[0];
		return om_dfsa_utimbuf(args[1], c);
	case __NR_utimes:
	case __NR_futimesat: {
		bool at = nr == __NR_futimesat;

		c->op = OM_DOP_UTIMES;
		if (at)
			c->dfd = (int)args[0];
		c->name = args[at ? 1 : 0];
		return om_dfsa_timeval(args[at ? 2 : 1], c);
	}
	case __NR_utimensat:
		flags = (u32)args[3];
		/* a NULL name is the fd's (futimens) */
		if (!args[1] || (flags & ~AT_SYMLINK_NOFOLLOW))
			return false;
		c->op = OM_DOP_UTIMES;
		c->dfd = (int)args[0];
		c->name = args[1];
		if (flags)
			c->lflags = 0;
		return om_dfsa_timespec(args[2], c);
	case __NR_truncate:
		c->op = OM_DOP_TRUNCATE;
		c->name = args[0];
		c->len = (loff_t)args[1];
		return c->len >= 0;	/* home: EINVAL */
	default:
		return false;
	}
}

/* The process's home sends views for these too (a home of this version)? */
static bool om_dfsa_mut_home(struct om_remote *r)
{
	u32 feat = 0;

	return !om_transport_peer_features(r->s->peer, &feat) && (feat & OM_WIRE_FEAT_DFSA_MUT);
}

bool om_dfsa_mut_serve(struct om_remote *r, u32 nr, const u64 args[6], long *ret)
{
	struct om_dfsa_mcall c = {};
	struct om_dfsa_hit h, h2;
	bool fin = false;
	long res, n;

	if (!rcu_access_pointer(r->dview) || !om_dfsa_mut_form(nr, args, &c) ||
	    !om_dfsa_mut_home(r) || !om_dfsa_path_match(r, c.dfd, c.name, &r->pathbuf, &h))
		return false;
	res = -EXDEV;		/* from here on: home's after all, unless answered */
	switch (c.op) {
	case OM_DOP_MKDIR:
		res = om_dfsa_create(&h, &c, NULL, NULL, &fin);
		break;
	case OM_DOP_RMDIR:
	case OM_DOP_UNLINK:
		res = om_dfsa_remove(&h, c.op == OM_DOP_RMDIR, &fin);
		break;
	case OM_DOP_SYMLINK:
		/* the target is text, not a path: too long or empty, home says so */
		n = om_dfsa_path_copy(&r->pathbuf2, c.name2);
		if (n > 0 && n < PATH_MAX)
			res = om_dfsa_create(&h, &c, r->pathbuf2, NULL, &fin);
		break;
	case OM_DOP_RENAME:
	case OM_DOP_LINK:
		/* both names under one mount of one view, as at home (else EXDEV there) */
		if (!om_dfsa_path_match(r, c.dfd2, c.name2, &r->pathbuf2, &h2) || h2.gen != h.gen ||
		    h2.k != h.k)
			break;
		if (c.op == OM_DOP_RENAME)
			res = om_dfsa_rename(&h, &h2, c.flags, &fin);
		else
			res = om_dfsa_link(&h, &h2, &c, &fin);
		break;
	case OM_DOP_CHMOD:
	case OM_DOP_CHOWN:
	case OM_DOP_UTIMES:
		res = om_dfsa_setattr(&h, &c, &fin);
		break;
	case OM_DOP_TRUNCATE:
		res = om_dfsa_truncate(&h, c.len, &fin);
		break;
	}
	/* never twice: an answer after the change was asked for stays here */
	if (!fin && !om_dfsa_path_final(res, false)) {
		om_dfsa_count(false);
		return false;
	}
	*ret = res;
	om_dfsa_count(true);
	return true;
}
