// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS remote inodes and dentries.  An inode is one (node, handle); its
 * attributes are what the node said last.  While the node's promise on
 * them holds (om_mfs_promise.c: it would have told us of any change),
 * path walks and stat() use them as they are.  Without one they are
 * asked again where they matter: every dentry is revalidated by a
 * LOOKUP (or ROOT) each time a path walk passes it, stat() of a path
 * answers with what the LOOKUP of its own walk said, fstat() asks
 * GETATTR; no negative dentries and no data are kept, so what a process
 * sees is what the node had after it asked, or since its promise.
 * Permission checks here use those attributes; the node checks again,
 * with the caller's credentials, and has the last word.
 */
#include <linux/kernel.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/jhash.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/refcount.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "om_core.h"
#include "om_mfs.h"

static struct kmem_cache *om_mfs_inode_cachep;

struct inode *om_mfs_alloc_inode(struct super_block *sb)
{
	struct om_mfs_inode *mi;

	mi = alloc_inode_sb(sb, om_mfs_inode_cachep, GFP_KERNEL);
	if (!mi)
		return NULL;
	mi->node = 0;
	mi->fhlen = 0;
	mi->walk_task = NULL;
	mi->prm_ok = false;
	mi->prm_serial = 0;
	mi->dc = NULL;
	return &mi->vfs_inode;
}

void om_mfs_free_inode(struct inode *inode)
{
	kmem_cache_free(om_mfs_inode_cachep, OM_MFS_I(inode));
}

static void om_mfs_inode_once(void *p)
{
	struct om_mfs_inode *mi = p;

	inode_init_once(&mi->vfs_inode);
}

/* ---- Attributes ---- */

int om_mfs_refresh(struct inode *inode)
{
	struct om_mfs_call *c;
	int err;

	if (!OM_MFS_I(inode)->node)
		return 0;
	c = om_mfs_call_alloc(OM_MFS_GETATTR);
	if (!c)
		return -ENOMEM;
	c->req.getattr.fh = om_mfs_fh_of(inode);
	err = om_mfs_call(OM_MFS_I(inode)->node, c);
	if (!err)
		om_mfs_inode_take(inode, &c->rep.attr, c);
	om_mfs_call_free(c);
	return err;
}

static struct timespec64 om_mfs_ts(const struct om_mfs_time *t)
{
	return (struct timespec64){ .tv_sec = t->sec, .tv_nsec = t->nsec };
}

/*
 * The times the task went to sleep: a stat() walk's LOOKUP and its
 * getattr have none between.  Preemption (nivcsw) is not counted: it
 * does not mean the task did anything else, and a loaded node preempts
 * between the two often enough that stat() would ask twice.
 */
static unsigned long om_mfs_csw(void)
{
	return current->nvcsw;
}

/*
 * Is this task in a stat() of a path (stat, lstat, newfstatat, statx:
 * a walk, then a getattr at once)?  The lookup flags cannot tell:
 * stat() walks as access() or readlink() do.
 */
static bool om_mfs_in_stat(void)
{
	if ((current->flags & PF_KTHREAD) || in_compat_syscall())
		return false;
	switch (syscall_get_nr(current, task_pt_regs(current))) {
	case __NR_stat:
	case __NR_lstat:
	case __NR_newfstatat:
	case __NR_statx:
		return true;
	default:
		return false;
	}
}

/*
 * The last name of a stat() walk, not open, create or a parent: keep
 * what its LOOKUP said for the getattr that follows at once.
 */
static void om_mfs_walk_keep(struct inode *inode, unsigned int flags,
			     const struct om_mfs_attr *a)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);

	if ((flags & (LOOKUP_PARENT | LOOKUP_OPEN | LOOKUP_CREATE)) || !om_mfs_in_stat())
		return;
	if ((a->mode & S_IFMT) != (inode->i_mode & S_IFMT))
		return;
	spin_lock(&inode->i_lock);
	mi->walk_attr = *a;
	mi->walk_task = current;
	mi->walk_start = current->start_time;
	mi->walk_csw = om_mfs_csw();
	spin_unlock(&inode->i_lock);
}

/*
 * The attributes the LOOKUP of this very stat() got, once: only the
 * task that walked, and only if it has not slept since (a stat() walk
 * goes on to getattr without sleeping; anything else this task did
 * meanwhile, such as another call to a node, did sleep), so
 * they were got after the stat() began.  fstat() finds none and asks.
 */
static bool om_mfs_walk_take(struct inode *inode, struct om_mfs_attr *a)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	bool ok;

	spin_lock(&inode->i_lock);
	ok = mi->walk_task == current &&
	     mi->walk_start == current->start_time &&
	     mi->walk_csw == om_mfs_csw();
	if (ok)
		*a = mi->walk_attr;
	if (mi->walk_task == current)
		mi->walk_task = NULL;
	spin_unlock(&inode->i_lock);
	return ok;
}

void om_mfs_kstat(u16 node, const struct om_mfs_attr *a, struct kstat *st)
{
	st->result_mask = STATX_BASIC_STATS;
	st->dev = 0;
	st->ino = om_mfs_ino(node, a->ino);
	st->mode = a->mode;
	st->nlink = a->nlink;
	st->uid = make_kuid(&init_user_ns, a->uid);
	st->gid = make_kgid(&init_user_ns, a->gid);
	st->rdev = new_decode_dev(a->rdev);
	st->size = a->size;
	st->atime = om_mfs_ts(&a->atime);
	st->mtime = om_mfs_ts(&a->mtime);
	st->ctime = om_mfs_ts(&a->ctime);
	st->blksize = a->blksize;
	st->blocks = a->blocks;
}

/* stat(): the node's answer, got after the call began */
static int om_mfs_getattr(om_idmap_t *idmap, const struct path *path,
			  struct kstat *st, u32 mask, unsigned int flags)
{
	struct inode *inode = d_inode(path->dentry);
	struct om_mfs_call *c = NULL;
	struct om_mfs_attr walked;
	const struct om_mfs_attr *a = &walked;
	int err = 0;

	if (om_mfs_promise_valid(OM_MFS_I(inode))) {
		/* the node would have told us of a change */
		spin_lock(&inode->i_lock);
		walked = OM_MFS_I(inode)->attr;
		spin_unlock(&inode->i_lock);
	} else if (!om_mfs_walk_take(inode, &walked)) {
		c = om_mfs_call_alloc(OM_MFS_GETATTR);
		if (!c)
			return -ENOMEM;
		c->req.getattr.fh = om_mfs_fh_of(inode);
		err = om_mfs_call(OM_MFS_I(inode)->node, c);
		if (err)
			goto out;
		a = &c->rep.attr;
	}
	/* a handle names one file: a server that changes its type is broken */
	if ((a->mode & S_IFMT) != (inode->i_mode & S_IFMT)) {
		err = -EIO;
		goto out;
	}
	if (c)
		om_mfs_inode_take(inode, a, c);
	om_mfs_kstat(OM_MFS_I(inode)->node, a, st);
	st->dev = inode->i_sb->s_dev;
	st->ino = inode->i_ino;
out:
	if (c)
		om_mfs_call_free(c);
	return err;
}

/* chmod, chown, truncate, utimes: the node decides */
static int om_mfs_setattr(om_idmap_t *idmap, struct dentry *d, struct iattr *ia)
{
	struct inode *inode = d_inode(d);
	struct om_mfs_setattr *s;
	struct om_mfs_call *c;
	unsigned int v = ia->ia_valid;
	int err;

	c = om_mfs_call_alloc(OM_MFS_SETATTR);
	if (!c)
		return -ENOMEM;
	s = &c->req.setattr;
	s->fh = om_mfs_fh_of(inode);
	if (v & ATTR_MODE) {
		s->valid |= OM_MFS_SET_MODE;
		s->mode = ia->ia_mode & OM_MFS_S_PERM;
	}
	if (v & ATTR_UID) {
		s->valid |= OM_MFS_SET_UID;
		s->uid = from_kuid(&init_user_ns, ia->ia_uid);
	}
	if (v & ATTR_GID) {
		s->valid |= OM_MFS_SET_GID;
		s->gid = from_kgid(&init_user_ns, ia->ia_gid);
	}
	if (v & ATTR_SIZE) {
		s->valid |= OM_MFS_SET_SIZE;
		s->size = ia->ia_size;
	}
	if ((v & ATTR_ATIME) && (v & ATTR_ATIME_SET)) {
		s->valid |= OM_MFS_SET_ATIME;
		s->atime.sec = ia->ia_atime.tv_sec;
		s->atime.nsec = ia->ia_atime.tv_nsec;
	} else if (v & ATTR_ATIME) {
		s->valid |= OM_MFS_SET_ATIME_NOW;
	}
	if ((v & ATTR_MTIME) && (v & ATTR_MTIME_SET)) {
		s->valid |= OM_MFS_SET_MTIME;
		s->mtime.sec = ia->ia_mtime.tv_sec;
		s->mtime.nsec = ia->ia_mtime.tv_nsec;
	} else if (v & ATTR_MTIME) {
		s->valid |= OM_MFS_SET_MTIME_NOW;
	}
	err = -EINVAL;
	if (s->uid == OM_MFS_INVALID_ID || s->gid == OM_MFS_INVALID_ID)
		goto out;
	err = 0;
	if (!s->valid)
		goto out;	/* only ctime: the node's own business */
	err = om_mfs_call(OM_MFS_I(inode)->node, c);
	if (err)
		goto out;
	om_mfs_inode_take(inode, &c->rep.attr, c);
	if (v & ATTR_SIZE)
		truncate_pagecache(inode, c->rep.attr.size);
out:
	om_mfs_call_free(c);
	return err;
}

/* The attributes the walk just got (the node checks again) */
static int om_mfs_permission(om_idmap_t *idmap, struct inode *inode, int mask)
{
	return generic_permission(idmap, inode, mask);
}

/* ---- Inodes ---- */

static const struct inode_operations om_mfs_dir_iops;
static const struct inode_operations om_mfs_file_iops;
static const struct inode_operations om_mfs_symlink_iops;
static const struct inode_operations om_mfs_special_iops;
static const struct file_operations om_mfs_dir_fops;
static const struct file_operations om_mfs_special_fops;

struct om_mfs_key {
	u16 node;
	const struct om_mfs_fh *fh;
};

static int om_mfs_test(struct inode *inode, void *data)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	struct om_mfs_key *k = data;

	return mi->node == k->node && mi->fhlen == k->fh->len &&
	       !memcmp(mi->fh, k->fh->data, k->fh->len);
}

static int om_mfs_set(struct inode *inode, void *data)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	struct om_mfs_key *k = data;

	mi->node = k->node;
	mi->fhlen = k->fh->len;
	memcpy(mi->fh, k->fh->data, k->fh->len);
	return 0;
}

struct inode *om_mfs_iget(struct super_block *sb, u16 node,
			  const struct om_mfs_fh *fh, const struct om_mfs_attr *a,
			  const struct om_mfs_call *c, u32 promise_ms)
{
	struct om_mfs_key k = { .node = node, .fh = fh };
	unsigned long hash = jhash(fh->data, fh->len, node);
	struct inode *inode;

	if (!fh->len || fh->len > OM_MFS_FH_MAX)
		return ERR_PTR(-EIO);
	inode = iget5_locked(sb, hash, om_mfs_test, om_mfs_set, &k);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW)) {
		/* a handle names one file: a server that changes its type is broken */
		if ((a->mode & S_IFMT) != (inode->i_mode & S_IFMT)) {
			iput(inode);
			return ERR_PTR(-EIO);
		}
		om_mfs_inode_promise(inode, a, c, promise_ms);
		return inode;
	}
	inode->i_ino = om_mfs_ino(node, a->ino);
	inode->i_mode = a->mode;
	/* no times kept here: stat asks the node */
	inode->i_flags |= S_NOATIME | S_NOCMTIME;
	switch (a->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &om_mfs_dir_iops;
		inode->i_fop = &om_mfs_dir_fops;
		break;
	case S_IFREG:
		inode->i_op = &om_mfs_file_iops;
		inode->i_fop = &om_mfs_file_fops;
		inode->i_mapping->a_ops = &om_mfs_aops;
		break;
	case S_IFLNK:
		inode->i_op = &om_mfs_symlink_iops;
		break;
	default:
		/* devices, fifos, sockets: shown, never opened */
		inode->i_op = &om_mfs_special_iops;
		inode->i_fop = &om_mfs_special_fops;
		break;
	}
	om_mfs_inode_promise(inode, a, c, promise_ms);
	unlock_new_inode(inode);
	return inode;
}

/* ---- Dentries ---- */

static bool om_mfs_fh_same(struct inode *inode, const struct om_mfs_fh *fh)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);

	return mi->fhlen == fh->len && !memcmp(mi->fh, fh->data, fh->len);
}

/*
 * Every time a walk passes a dentry: does its name still name the same
 * file on the node?  Yes: fresh attributes.  No (gone, or another file
 * by that name now): it is looked up again.  The node lost: -EIO.
 */
static int om_mfs_d_revalidate(struct dentry *d, unsigned int flags)
{
	struct name_snapshot name;
	struct om_mfs_call *c;
	struct inode *inode, *dir;
	struct dentry *parent;
	u16 node;
	int err;

	inode = d_inode_rcu(d);
	if (!inode)
		return 0;	/* no negative dentries kept */
	node = OM_MFS_I(inode)->node;
	if (!node)
		return 1;	/* here, home: made locally */
	/* its name would have been broken: a rename, an unlink moves it */
	if (om_mfs_promise_valid(OM_MFS_I(inode)))
		return 1;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	parent = dget_parent(d);
	dir = d_inode(parent);
	c = om_mfs_call_alloc(OM_MFS_I(dir)->node ? OM_MFS_LOOKUP : OM_MFS_ROOT);
	if (!c) {
		dput(parent);
		return -ENOMEM;
	}
	take_dentry_name_snapshot(&name, d);
	if (c->req.type == OM_MFS_LOOKUP) {
		c->req.lookup.dir = om_mfs_fh_of(dir);
		c->req.lookup.name.s = name.name.name;
		c->req.lookup.name.len = name.name.len;
	}
	err = om_mfs_call(node, c);
	release_dentry_name_snapshot(&name);
	dput(parent);
	if (!err && om_mfs_fh_same(inode, &c->rep.entry.fh) &&
	    (c->rep.entry.attr.mode & S_IFMT) == (inode->i_mode & S_IFMT)) {
		om_mfs_inode_take(inode, &c->rep.entry.attr, c);
		om_mfs_walk_keep(inode, flags, &c->rep.entry.attr);
		err = 1;
	} else if (!err || err == -ENOENT || err == -ESTALE) {
		err = 0;
	}
	om_mfs_call_free(c);
	return err;
}

const struct dentry_operations om_mfs_dops = {
	.d_revalidate = om_mfs_d_revalidate,
};

/* ---- Directories ---- */

static int om_mfs_name(const struct dentry *d, struct om_mfs_str *s)
{
	if (d->d_name.len > OM_MFS_NAME_MAX)
		return -ENAMETOOLONG;
	s->s = d->d_name.name;
	s->len = d->d_name.len;
	return 0;
}

static struct dentry *om_mfs_lookup(struct inode *dir, struct dentry *d,
				    unsigned int flags)
{
	struct inode *inode = NULL;
	struct om_mfs_call *c;
	int err;

	c = om_mfs_call_alloc(OM_MFS_LOOKUP);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->req.lookup.dir = om_mfs_fh_of(dir);
	err = om_mfs_name(d, &c->req.lookup.name);
	if (!err)
		err = om_mfs_call(OM_MFS_I(dir)->node, c);
	if (!err) {
		inode = om_mfs_iget(dir->i_sb, OM_MFS_I(dir)->node,
				    &c->rep.entry.fh, &c->rep.entry.attr, c,
				    c->rep.promise_ms);
		if (!IS_ERR(inode))
			om_mfs_walk_keep(inode, flags, &c->rep.entry.attr);
	} else if (err == -ENOENT)
		inode = NULL;	/* negative, looked up again next time */
	else
		inode = ERR_PTR(err);
	om_mfs_call_free(c);
	return d_splice_alias(inode, d);
}

/* The R_ENTRY of CREATE, MKDIR, SYMLINK, LINK: into the dentry */
static int om_mfs_instantiate(struct inode *dir, struct dentry *d,
			      struct om_mfs_call *c)
{
	struct inode *inode;
	int err = om_mfs_call(OM_MFS_I(dir)->node, c);

	if (err)
		return err;
	inode = om_mfs_iget(dir->i_sb, OM_MFS_I(dir)->node, &c->rep.entry.fh,
			    &c->rep.entry.attr, c, c->rep.promise_ms);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(d, inode);
	return 0;
}

static int om_mfs_create(om_idmap_t *idmap, struct inode *dir, struct dentry *d,
			 umode_t mode, bool excl)
{
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_CREATE);
	int err;

	if (!c)
		return -ENOMEM;
	c->req.create.dir = om_mfs_fh_of(dir);
	c->req.create.mode = mode & OM_MFS_S_PERM;
	c->req.create.flags = excl ? OM_MFS_CREATE_EXCL : 0;
	err = om_mfs_name(d, &c->req.create.name);
	if (!err)
		err = om_mfs_instantiate(dir, d, c);
	om_mfs_call_free(c);
	return err;
}

static int om_mfs_mkdir(om_idmap_t *idmap, struct inode *dir, struct dentry *d,
			umode_t mode)
{
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_MKDIR);
	int err;

	if (!c)
		return -ENOMEM;
	c->req.mkdir.dir = om_mfs_fh_of(dir);
	c->req.mkdir.mode = mode & OM_MFS_S_PERM;
	err = om_mfs_name(d, &c->req.mkdir.name);
	if (!err)
		err = om_mfs_instantiate(dir, d, c);
	om_mfs_call_free(c);
	return err;
}

static int om_mfs_symlink(om_idmap_t *idmap, struct inode *dir,
			  struct dentry *d, const char *target)
{
	struct om_mfs_call *c;
	size_t n = strlen(target);
	int err;

	if (!n || n > OM_MFS_TARGET_MAX)
		return -ENAMETOOLONG;
	c = om_mfs_call_alloc(OM_MFS_SYMLINK);
	if (!c)
		return -ENOMEM;
	c->req.symlink.dir = om_mfs_fh_of(dir);
	c->req.symlink.target.s = target;
	c->req.symlink.target.len = n;
	err = om_mfs_name(d, &c->req.symlink.name);
	if (!err)
		err = om_mfs_instantiate(dir, d, c);
	om_mfs_call_free(c);
	return err;
}

static int om_mfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = d_inode(old);
	struct om_mfs_call *c;
	int err;

	/* one node per operation: across nodes as across filesystems */
	if (OM_MFS_I(inode)->node != OM_MFS_I(dir)->node)
		return -EXDEV;
	c = om_mfs_call_alloc(OM_MFS_LINK);
	if (!c)
		return -ENOMEM;
	c->req.link.fh = om_mfs_fh_of(inode);
	c->req.link.dir = om_mfs_fh_of(dir);
	err = om_mfs_name(d, &c->req.link.name);
	if (!err)
		err = om_mfs_instantiate(dir, d, c);
	om_mfs_call_free(c);
	return err;
}

static int om_mfs_remove(struct inode *dir, struct dentry *d, u8 type)
{
	struct om_mfs_call *c = om_mfs_call_alloc(type);
	struct inode *inode = d_inode(d);
	int err;

	if (!c)
		return -ENOMEM;
	/* unlink and rmdir have the same body */
	c->req.unlink.dir = om_mfs_fh_of(dir);
	err = om_mfs_name(d, &c->req.unlink.name);
	if (!err)
		err = om_mfs_call(OM_MFS_I(dir)->node, c);
	if (!err) {
		if (type == OM_MFS_RMDIR)
			clear_nlink(inode);
		else if (inode->i_nlink)
			drop_nlink(inode);
	}
	om_mfs_call_free(c);
	return err;
}

static int om_mfs_unlink(struct inode *dir, struct dentry *d)
{
	return om_mfs_remove(dir, d, OM_MFS_UNLINK);
}

static int om_mfs_rmdir(struct inode *dir, struct dentry *d)
{
	return om_mfs_remove(dir, d, OM_MFS_RMDIR);
}

static int om_mfs_rename(om_idmap_t *idmap, struct inode *odir,
			 struct dentry *od, struct inode *ndir,
			 struct dentry *nd, unsigned int flags)
{
	struct om_mfs_call *c;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if (OM_MFS_I(odir)->node != OM_MFS_I(ndir)->node)
		return -EXDEV;
	c = om_mfs_call_alloc(OM_MFS_RENAME);
	if (!c)
		return -ENOMEM;
	c->req.rename.odir = om_mfs_fh_of(odir);
	c->req.rename.ndir = om_mfs_fh_of(ndir);
	c->req.rename.flags = (flags & RENAME_NOREPLACE ? OM_MFS_RENAME_NOREPLACE : 0) |
			      (flags & RENAME_EXCHANGE ? OM_MFS_RENAME_EXCHANGE : 0);
	err = om_mfs_name(od, &c->req.rename.oname);
	if (!err)
		err = om_mfs_name(nd, &c->req.rename.nname);
	if (!err)
		err = om_mfs_call(OM_MFS_I(odir)->node, c);
	/* a file the rename replaced lost that name */
	if (!err && !(flags & RENAME_EXCHANGE) && d_really_is_positive(nd)) {
		struct inode *victim = d_inode(nd);

		if (S_ISDIR(victim->i_mode))
			clear_nlink(victim);
		else if (victim->i_nlink)
			drop_nlink(victim);
	}
	om_mfs_call_free(c);
	return err;
}

/*
 * A directory's whole listing, as READDIR entries (its files left out),
 * kept while the directory's promise holds: the node would have told us
 * (BREAK) before any entry was added, removed or renamed, so a listing
 * again needs no call.  Taken only if the promise held from before the
 * first request of the listing until after its last reply; at most
 * OM_MFS_DIRCACHE_MAX bytes of entries.  Shared by the listings that use
 * it (ref), replaced whole, freed with the last reference.
 */
#define OM_MFS_DIRCACHE_MAX	(256U << 10)

/*
 * Kept per credential too: the node answered the listing with the
 * lister's, and its ACLs or LSM may show another user nothing
 */
struct om_mfs_dircache {
	refcount_t ref;
	struct om_mfs_prm_snap prm;	/* the directory's promise */
	kuid_t fsuid;			/* whose listing it is */
	kgid_t fsgid;
	struct group_info *groups;	/* referenced */
	u32 len, cap;
	u8 ents[];
};

static void om_mfs_dc_put(struct om_mfs_dircache *dc)
{
	if (dc && refcount_dec_and_test(&dc->ref)) {
		put_group_info(dc->groups);
		kvfree(dc);
	}
}

void om_mfs_inode_forget(struct inode *inode)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);

	om_mfs_dc_put(mi->dc);
	mi->dc = NULL;
}

/* Is dc the listing the current task would get from the node? */
static bool om_mfs_dc_mine(const struct om_mfs_dircache *dc)
{
	const struct cred *cred = current_cred();

	return uid_eq(dc->fsuid, cred->fsuid) && gid_eq(dc->fsgid, cred->fsgid) &&
	       dc->groups == cred->group_info;
}

/* A listing to make for the current task, empty, its promise s */
static struct om_mfs_dircache *om_mfs_dc_new(const struct om_mfs_prm_snap *s, u32 cap)
{
	const struct cred *cred = current_cred();
	struct om_mfs_dircache *dc;

	dc = kvmalloc(struct_size(dc, ents, cap), GFP_KERNEL_ACCOUNT);
	if (!dc)
		return NULL;
	refcount_set(&dc->ref, 1);
	dc->prm = *s;
	dc->fsuid = cred->fsuid;
	dc->fsgid = cred->fsgid;
	dc->groups = get_group_info(cred->group_info);
	dc->len = 0;
	dc->cap = cap;
	return dc;
}

/* The directory's kept listing if its promise still holds and it is ours, referenced */
static struct om_mfs_dircache *om_mfs_dc_get(struct inode *dir)
{
	struct om_mfs_inode *mi = OM_MFS_I(dir);
	struct om_mfs_dircache *dc, *stale = NULL;

	spin_lock(&dir->i_lock);
	dc = mi->dc;
	if (dc && !om_mfs_promise_still(mi, &dc->prm)) {
		/* over for good: its memory goes now, not at eviction */
		stale = dc;
		mi->dc = NULL;
		dc = NULL;
	} else if (dc && om_mfs_dc_mine(dc)) {
		refcount_inc(&dc->ref);
	} else {
		dc = NULL;
	}
	spin_unlock(&dir->i_lock);
	om_mfs_dc_put(stale);
	return dc;
}

/*
 * A listing just made whole: kept, in a buffer of its size, if the
 * promise it began under still holds (it replaces another user's)
 */
static void om_mfs_dc_keep(struct inode *dir, const struct om_mfs_dircache *fill)
{
	struct om_mfs_inode *mi = OM_MFS_I(dir);
	struct om_mfs_dircache *dc, *old = NULL;

	dc = om_mfs_dc_new(&fill->prm, fill->len);
	if (!dc)
		return;
	memcpy(dc->ents, fill->ents, fill->len);
	dc->len = fill->len;
	spin_lock(&dir->i_lock);
	if (om_mfs_promise_still(mi, &dc->prm)) {
		old = mi->dc;
		mi->dc = dc;
		dc = NULL;
	}
	spin_unlock(&dir->i_lock);
	om_mfs_dc_put(old);
	om_mfs_dc_put(dc);
}

/* e appended to a listing being made; false: too long to keep (dc freed) */
static bool om_mfs_dc_add(struct om_mfs_dircache **pdc, const struct om_mfs_dirent *e)
{
	struct om_mfs_dirent pe = { .ino = e->ino, .cookie = e->cookie,
				    .type = e->type, .name = e->name };
	struct om_mfs_dircache *dc = *pdc, *big;
	u32 n = OM_MFS_DIRENT_LEN(e->name.len);

	if (dc->len + n > dc->cap) {
		if (dc->len + n > OM_MFS_DIRCACHE_MAX)
			goto drop;
		big = om_mfs_dc_new(&dc->prm, min(max(2 * dc->cap, dc->len + n),
						  OM_MFS_DIRCACHE_MAX));
		if (!big)
			goto drop;
		memcpy(big->ents, dc->ents, dc->len);
		big->len = dc->len;
		om_mfs_dc_put(dc);
		*pdc = dc = big;
	}
	if (om_mfs_dirent_put(&pe, false, dc->ents + dc->len, dc->cap - dc->len) < 0)
		goto drop;
	dc->len += n;
	return true;
drop:
	om_mfs_dc_put(dc);
	*pdc = NULL;
	return false;
}

/* Where a directory listing stands: the node's cookie, not f_pos */
struct om_mfs_dirpos {
	loff_t pos;		/* the f_pos that goes with cookie */
	u64 cookie;		/* READDIR from here */
	bool eof;
	struct om_mfs_dircache *dc;	/* listed from this, at dc_off */
	u32 dc_off;
	struct om_mfs_dircache *fill;	/* or being kept into this */
};

/* e to the user; false if it has no room left.  The listing moves past it */
static bool om_mfs_emit(struct dir_context *ctx, struct om_mfs_dirpos *p, u16 node,
			const struct om_mfs_dirent *e)
{
	if (!dir_emit(ctx, e->name.s, e->name.len, om_mfs_ino(node, e->ino), e->type))
		return false;
	p->cookie = e->cookie;
	ctx->pos++;
	return true;
}

static void om_mfs_dirpos_reset(struct om_mfs_dirpos *p)
{
	om_mfs_dc_put(p->dc);
	om_mfs_dc_put(p->fill);
	memset(p, 0, sizeof(*p));
}

/* A listing from the start: the kept one, else one to keep if promised */
static void om_mfs_dirpos_start(struct inode *dir, struct om_mfs_dirpos *p)
{
	struct om_mfs_prm_snap s;

	om_mfs_dirpos_reset(p);
	p->dc = om_mfs_dc_get(dir);
	if (!p->dc && om_mfs_promise_now(OM_MFS_I(dir), &s))
		p->fill = om_mfs_dc_new(&s, PAGE_SIZE - sizeof(*p->fill));
}

/*
 * From the kept listing, while the promise holds: 1 if it was listed to
 * its end, 0 if the user's buffer is full, -EAGAIN if the promise ended
 * (the node goes on from the last entry listed).
 */
static int om_mfs_dc_emit(struct inode *dir, struct om_mfs_dirpos *p,
			  struct dir_context *ctx)
{
	struct om_mfs_dircache *dc = p->dc;
	struct om_mfs_dirents d = { .ents = dc->ents, .len = dc->len };
	u16 node = OM_MFS_I(dir)->node;
	struct om_mfs_dirent e;
	u32 off = p->dc_off;

	while (om_mfs_dirent_next(&d, &off, &e)) {
		if (!om_mfs_promise_still(OM_MFS_I(dir), &dc->prm)) {
			om_mfs_dc_put(p->dc);
			p->dc = NULL;
			return -EAGAIN;
		}
		if (!om_mfs_emit(ctx, p, node, &e))
			return 0;
		p->dc_off = off;
	}
	return 1;
}

static int om_mfs_dir_open(struct inode *inode, struct file *file)
{
	struct om_mfs_dirpos *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	file->private_data = p;
	return 0;
}

static int om_mfs_dir_release(struct inode *inode, struct file *file)
{
	om_mfs_dirpos_reset(file->private_data);
	kfree(file->private_data);
	return 0;
}

/* Only rewinding (and telling) a listing: a cookie is no offset */
static loff_t om_mfs_dir_llseek(struct file *file, loff_t off, int whence)
{
	if (whence == SEEK_CUR && !off)
		return file->f_pos;
	if (whence != SEEK_SET || off)
		return -EINVAL;
	return vfs_setpos(file, 0, 0);
}

/*
 * A listed entry that told its file, as a LOOKUP of its name would have:
 * a dentry for it, as NFS's READDIRPLUS makes, so that the stat() or walk
 * that follows a listing needs no call while the promise holds.  A name
 * known already is only told the news if it is the same file (another
 * one: its walk looks it up again); a name being looked up meanwhile is
 * left to that lookup.
 */
static void om_mfs_prime(struct dentry *parent, const struct om_mfs_dirent *e,
			 const struct om_mfs_call *c)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct qstr q = QSTR_INIT(e->name.s, e->name.len);
	struct inode *dir = d_inode(parent), *inode;
	struct dentry *d, *alias;

	q.hash = full_name_hash(parent, q.name, q.len);
	d = d_lookup(parent, &q);
	if (!d) {
		d = d_alloc_parallel(parent, &q, &wq);
		if (IS_ERR(d))
			return;
	}
	if (!d_in_lookup(d)) {
		inode = d_inode(d);
		if (inode && om_mfs_fh_same(inode, &e->fh))
			om_mfs_inode_promise(inode, &e->attr, c, e->promise_ms);
		dput(d);
		return;
	}
	inode = om_mfs_iget(dir->i_sb, OM_MFS_I(dir)->node, &e->fh, &e->attr, c,
			    e->promise_ms);
	alias = d_splice_alias(inode, d);
	d_lookup_done(d);
	if (!IS_ERR_OR_NULL(alias))
		dput(alias);
	dput(d);
}

static int om_mfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *inode = file_inode(file);
	struct om_mfs_dirpos *p = file->private_data;
	u16 node = OM_MFS_I(inode)->node;
	struct om_mfs_dirent e;
	struct om_mfs_call *c;
	u32 off;
	int err = 0;

	if (ctx->pos == 0)
		om_mfs_dirpos_start(inode, p);
	else if (ctx->pos != p->pos)
		return -EINVAL;	/* not where this listing was */
	if (!dir_emit_dots(file, ctx))
		goto out;
	if (p->dc) {
		err = om_mfs_dc_emit(inode, p, ctx);
		if (err >= 0) {
			p->eof = err;
			err = 0;
			goto out;
		}
		err = 0;	/* the promise ended: the node goes on */
	}
	c = om_mfs_call_alloc(OM_MFS_READDIRPLUS);
	if (!c) {
		err = -ENOMEM;
		goto out;
	}
	while (!p->eof) {
		c->req.readdir.dir = om_mfs_fh_of(inode);
		c->req.readdir.cookie = p->cookie;
		c->req.readdir.max_bytes = OM_MFS_READDIR_BYTES;
		err = om_mfs_call(node, c);
		/* a node of an older version: the entries without their files */
		if (err == -EOPNOTSUPP && c->req.type == OM_MFS_READDIRPLUS) {
			om_mfs_call_end(c);
			c->req.type = OM_MFS_READDIR;
			err = 0;
			continue;
		}
		if (err)
			break;
		/* one that does not move on is refused before it is shown */
		if (!om_mfs_dirents_advance(&c->rep.dirents, p->cookie)) {
			err = -EIO;
			break;
		}
		/* all of them, also those this getdents() has no room for */
		off = 0;
		while (om_mfs_dirent_next(&c->rep.dirents, &off, &e))
			if (e.fh.len)
				om_mfs_prime(file->f_path.dentry, &e, c);
		off = 0;
		while (om_mfs_dirent_next(&c->rep.dirents, &off, &e)) {
			if (!om_mfs_emit(ctx, p, node, &e))
				goto done;
			if (p->fill)
				om_mfs_dc_add(&p->fill, &e);
		}
		p->eof = c->rep.dirents.eof;
		om_mfs_call_end(c);
	}
	/* listed whole under one promise: kept for the next listing */
	if (p->eof && p->fill) {
		om_mfs_dc_keep(inode, p->fill);
		om_mfs_dc_put(p->fill);
		p->fill = NULL;
	}
done:
	om_mfs_call_free(c);
out:
	p->pos = ctx->pos;
	return err;
}

static const struct file_operations om_mfs_dir_fops = {
	.open = om_mfs_dir_open,
	.release = om_mfs_dir_release,
	.read = generic_read_dir,
	.iterate_shared = om_mfs_readdir,
	.llseek = om_mfs_dir_llseek,
	.fsync = noop_fsync,
};

bool om_mfs_is_dir_file(const struct file *f)
{
	return f->f_op == &om_mfs_dir_fops && f->private_data;
}

/*
 * A listing DFSA made elsewhere hands its place back (kmod/migrate/om_dfsa.c):
 * the next getdents() here goes on at the node after cookie, with pos
 * counting on, as if this file had listed it (no kept listing: the node
 * answers from the cookie)
 */
int om_mfs_dir_setpos(struct file *f, loff_t pos, u64 cookie, bool eof)
{
	struct om_mfs_dirpos *p;

	if (!om_mfs_is_dir_file(f) || pos < 0 || cookie > OM_MFS_OFF_MAX)
		return -EINVAL;
	p = f->private_data;
	/* as fdget_pos() would for a getdents() or lseek() */
	mutex_lock(&f->f_pos_lock);
	om_mfs_dirpos_reset(p);
	p->pos = pos;
	p->cookie = pos ? cookie : 0;
	p->eof = pos && eof;
	f->f_pos = pos;
	mutex_unlock(&f->f_pos_lock);
	return 0;
}

static const struct inode_operations om_mfs_dir_iops = {
	.lookup = om_mfs_lookup,
	.create = om_mfs_create,
	.mkdir = om_mfs_mkdir,
	.symlink = om_mfs_symlink,
	.link = om_mfs_link,
	.unlink = om_mfs_unlink,
	.rmdir = om_mfs_rmdir,
	.rename = om_mfs_rename,
	.getattr = om_mfs_getattr,
	.setattr = om_mfs_setattr,
	.permission = om_mfs_permission,
};

static const struct inode_operations om_mfs_file_iops = {
	.getattr = om_mfs_getattr,
	.setattr = om_mfs_setattr,
	.permission = om_mfs_permission,
};

/* ---- Symbolic links: the target asked every time ---- */

static const char *om_mfs_get_link(struct dentry *d, struct inode *inode,
				   struct delayed_call *done)
{
	struct om_mfs_call *c;
	char *s = NULL;
	int err;

	if (!d)
		return ERR_PTR(-ECHILD);
	c = om_mfs_call_alloc(OM_MFS_READLINK);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->req.readlink.fh = om_mfs_fh_of(inode);
	err = om_mfs_call(OM_MFS_I(inode)->node, c);
	if (!err) {
		s = kmemdup_nul(c->rep.target.s, c->rep.target.len, GFP_KERNEL);
		if (!s)
			err = -ENOMEM;
	}
	om_mfs_call_free(c);
	if (err)
		return ERR_PTR(err);
	set_delayed_call(done, kfree_link, s);
	return s;
}

static const struct inode_operations om_mfs_symlink_iops = {
	.get_link = om_mfs_get_link,
	.getattr = om_mfs_getattr,
	.setattr = om_mfs_setattr,
};

/* ---- Devices, fifos, sockets: not exported ---- */

static int om_mfs_special_open(struct inode *inode, struct file *file)
{
	return -ENXIO;
}

static const struct file_operations om_mfs_special_fops = {
	.open = om_mfs_special_open,
};

static const struct inode_operations om_mfs_special_iops = {
	.getattr = om_mfs_getattr,
	.setattr = om_mfs_setattr,
	.permission = om_mfs_permission,
};

int om_mfs_inode_init(void)
{
	om_mfs_inode_cachep = kmem_cache_create("om_mfs_inode",
						sizeof(struct om_mfs_inode), 0,
						SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
						om_mfs_inode_once);
	return om_mfs_inode_cachep ? 0 : -ENOMEM;
}

void om_mfs_inode_exit(void)
{
	/* inodes are freed after an RCU grace period */
	rcu_barrier();
	kmem_cache_destroy(om_mfs_inode_cachep);
}
