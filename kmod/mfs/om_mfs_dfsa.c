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
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/notifier.h>
#include <linux/workqueue.h>

#include "om_core.h"
#include "om_mfs.h"
#include "om_mfs_dfsa.h"

/* An MFS inode's node and handle, if its mount serves DFSA */
static bool om_mfs_dfsa_fill(struct inode *inode, struct om_mfs_dfsa_file *df)
{
	struct om_mfs_sb *sbi = inode->i_sb->s_fs_info;
	struct om_mfs_inode *mi = OM_MFS_I(inode);

	if (!sbi || !READ_ONCE(sbi->dfsa) || !mi->node || !mi->fhlen ||
	    mi->fhlen > OM_MFS_FH_MAX)
		return false;
	df->node = mi->node;
	df->fhlen = mi->fhlen;
	memcpy(df->fh, mi->fh, mi->fhlen);
	return true;
}

bool om_mfs_dfsa_of(struct file *f, struct om_mfs_dfsa_file *df)
{
	struct inode *inode = file_inode(f);

	if (inode->i_sb->s_type != &om_mfs_fs_type || !S_ISREG(inode->i_mode) ||
	    f->f_op != &om_mfs_file_fops)
		return false;
	return om_mfs_dfsa_fill(inode, df);
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

int om_mfs_dfsa_getattr(const struct om_mfs_dfsa_file *df, bool dir, struct kstat *st)
{
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_GETATTR);
	int err;

	if (!c)
		return -ENOMEM;
	c->req.getattr.fh = om_dfsa_fh(df);
	err = om_mfs_call(df->node, c);
	if (!err) {
		/* a handle names one file: its type cannot change */
		if (dir ? !S_ISDIR(c->rep.attr.mode) : !S_ISREG(c->rep.attr.mode))
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
	int err = om_mfs_dfsa_getattr(df, false, &st);

	if (!err)
		*size = st.size;
	return err;
}

/* ---- directories ---- */

bool om_mfs_dfsa_dir_of(struct file *f, struct om_mfs_dfsa_file *df, u64 *dot,
			u64 *dotdot)
{
	struct inode *inode = file_inode(f);

	if (inode->i_sb->s_type != &om_mfs_fs_type || !S_ISDIR(inode->i_mode) ||
	    !om_mfs_is_dir_file(f) || !om_mfs_dfsa_fill(inode, df))
		return false;
	/* what dir_emit_dots() gives here */
	*dot = inode->i_ino;
	*dotdot = om_parent_ino(f->f_path.dentry);
	return true;
}

int om_mfs_dfsa_dir_setpos(struct file *f, loff_t pos, u64 cookie, bool eof)
{
	return om_mfs_dir_setpos(f, pos, cookie, eof);
}

/*
 * om_mfs_readdir() (om_mfs_inode.c) without an inode: the same positions
 * (".", "..", then one per entry), the same cookies, the same check that
 * a reply moves on.  Plain READDIR: the files READDIRPLUS would tell
 * prime dentries, and there are none here.
 */
int om_mfs_dfsa_readdir(const struct om_mfs_dfsa_file *df, struct om_mfs_dfsa_dir *d,
			struct dir_context *ctx)
{
	struct om_mfs_dirent e;
	struct om_mfs_call *c;
	u32 off;
	int err = 0;

	if (ctx->pos < 0)
		return -EINVAL;
	if (ctx->pos == 0) {
		d->cookie = 0;
		d->eof = false;
		if (!dir_emit(ctx, ".", 1, d->dot, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, d->dotdot, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	if (d->eof)
		return 0;
	c = om_mfs_call_alloc(OM_MFS_READDIR);
	if (!c)
		return -ENOMEM;
	while (!d->eof) {
		c->req.readdir.dir = om_dfsa_fh(df);
		c->req.readdir.cookie = d->cookie;
		c->req.readdir.max_bytes = OM_MFS_READDIR_BYTES;
		err = om_mfs_call(df->node, c);
		if (err)
			break;
		/* one that does not move on is refused (as at home) */
		if (!om_mfs_dirents_advance(&c->rep.dirents, d->cookie)) {
			err = -EIO;
			break;
		}
		off = 0;
		while (om_mfs_dirent_next(&c->rep.dirents, &off, &e)) {
			if (!dir_emit(ctx, e.name.s, e.name.len, om_mfs_ino(df->node, e.ino),
				      e.type))
				goto done;
			d->cookie = e.cookie;
			ctx->pos++;
		}
		d->eof = c->rep.dirents.eof;
		om_mfs_call_end(c);
	}
done:
	om_mfs_call_free(c);
	return err;
}

/* ---- path calls ---- */

bool om_mfs_dfsa_mount_of(const struct path *p, dev_t *dev)
{
	struct super_block *sb = p->mnt->mnt_sb;
	struct om_mfs_sb *sbi = sb->s_fs_info;

	if (sb->s_type != &om_mfs_fs_type || p->dentry != p->mnt->mnt_root ||
	    p->dentry != sb->s_root || !sbi || !READ_ONCE(sbi->dfsa))
		return false;
	*dev = sb->s_dev;
	return true;
}

static BLOCKING_NOTIFIER_HEAD(om_mfs_dfsa_chain);

int om_mfs_dfsa_notifier_register(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&om_mfs_dfsa_chain, nb);
}

void om_mfs_dfsa_notifier_unregister(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&om_mfs_dfsa_chain, nb);
}

void om_mfs_dfsa_changed(void)
{
	blocking_notifier_call_chain(&om_mfs_dfsa_chain, 0, NULL);
}

/* The private mount: made by the first holder, gone after the last */
static DEFINE_MUTEX(om_mfs_dfsa_lock);
static struct vfsmount *om_mfs_dfsa_mnt;	/* under the lock */
static atomic_t om_mfs_dfsa_users = ATOMIC_INIT(0);	/* changes to 0 under no lock */

static void om_mfs_dfsa_umount_fn(struct work_struct *w)
{
	struct vfsmount *mnt = NULL;

	mutex_lock(&om_mfs_dfsa_lock);
	if (!atomic_read(&om_mfs_dfsa_users)) {
		mnt = om_mfs_dfsa_mnt;
		om_mfs_dfsa_mnt = NULL;
	}
	mutex_unlock(&om_mfs_dfsa_lock);
	if (mnt)
		kern_unmount(mnt);
}

static DECLARE_WORK(om_mfs_dfsa_umount, om_mfs_dfsa_umount_fn);

int om_mfs_dfsa_hold(void)
{
	struct vfsmount *mnt;
	int err = 0;

	mutex_lock(&om_mfs_dfsa_lock);
	if (!om_mfs_dfsa_mnt) {
		mnt = kern_mount(&om_mfs_fs_type);
		if (IS_ERR(mnt))
			err = PTR_ERR(mnt);
		else
			om_mfs_dfsa_mnt = mnt;
	}
	if (!err)
		atomic_inc(&om_mfs_dfsa_users);
	mutex_unlock(&om_mfs_dfsa_lock);
	return err;
}

/* Any context (a session's release) */
void om_mfs_dfsa_unhold(void)
{
	if (atomic_dec_and_test(&om_mfs_dfsa_users))
		schedule_work(&om_mfs_dfsa_umount);
}

void om_mfs_dfsa_exit(void)
{
	flush_work(&om_mfs_dfsa_umount);
	/* every holder is a session, and sessions pin the module: none left */
	om_mfs_dfsa_umount_fn(NULL);
}

/*
 * An ENOENT of rel's walk may be the answer (a name missing in a node's
 * tree) or this node's view of the cluster (a node id home knows and we
 * do not, yet or any more).  It is the answer only if rel's first name,
 * a node id or a link to one ("here"), is known here, and rel has no
 * ".." that could lead to another node's id.
 */
static bool om_mfs_dfsa_enoent_here(struct vfsmount *mnt, const char *rel)
{
	const char *s = rel, *first = NULL, *e;
	size_t n = 0;
	struct path p;
	char *name;
	int err;

	while (*s) {
		while (*s == '/')
			s++;
		e = strchrnul(s, '/');
		if (e - s == 2 && s[0] == '.' && s[1] == '.')
			return false;
		if (!first && e > s && !(e - s == 1 && s[0] == '.')) {
			first = s;
			n = e - s;
		}
		s = e;
	}
	if (!first || n > OM_MFS_NAME_MAX)
		return false;
	name = kstrndup(first, n, GFP_KERNEL);
	if (!name)
		return false;
	err = vfs_path_lookup(mnt->mnt_root, mnt, name, LOOKUP_FOLLOW | LOOKUP_BENEATH, &p);
	kfree(name);
	if (err)
		return false;
	path_put(&p);
	return true;
}

int om_mfs_dfsa_walk(const char *rel, unsigned int lookup_flags, struct path *p)
{
	struct vfsmount *mnt = READ_ONCE(om_mfs_dfsa_mnt);
	int err;

	if (!mnt || !*rel || *rel == '/')
		return -EXDEV;
	err = vfs_path_lookup(mnt->mnt_root, mnt, rel, lookup_flags | LOOKUP_BENEATH, p);
	if (err == -ENOENT && !om_mfs_dfsa_enoent_here(mnt, rel))
		return -EXDEV;		/* a node home may know and we not */
	if (err)
		return err;
	if (!d_inode(p->dentry) || !OM_MFS_I(d_inode(p->dentry))->node) {
		/* /mfs or a magic link itself: its times are this node's */
		path_put(p);
		return -EXDEV;
	}
	return 0;
}

/* ---- relative names ---- */

bool om_mfs_dfsa_ident(const struct path *p, u16 *node, u8 *fh, u8 *fhlen)
{
	struct inode *inode = d_inode(p->dentry);
	struct om_mfs_inode *mi;

	if (!inode || inode->i_sb->s_type != &om_mfs_fs_type)
		return false;
	/* node and handle are set when the inode is made and never change */
	mi = OM_MFS_I(inode);
	if (!mi->node || !mi->fhlen || mi->fhlen > OM_MFS_FH_MAX) {
		*node = 0;
		*fhlen = 0;
		return true;
	}
	*node = mi->node;
	*fhlen = mi->fhlen;
	memcpy(fh, mi->fh, mi->fhlen);
	return true;
}

/* What the walk reached is the directory node, fh? */
static bool om_mfs_dfsa_same(const struct path *p, u16 node, const u8 *fh, u8 fhlen)
{
	struct inode *inode = d_inode(p->dentry);
	struct om_mfs_inode *mi;

	if (!inode || !S_ISDIR(inode->i_mode))
		return false;
	mi = OM_MFS_I(inode);
	if (!node)
		return p->dentry == p->mnt->mnt_root;
	return mi->node == node && mi->fhlen == fhlen && !memcmp(mi->fh, fh, fhlen);
}

int om_mfs_dfsa_cwd(const char *cwd, u16 node, const u8 *fh, u8 fhlen, unsigned int ups,
		    unsigned int lookup_flags, struct path *start)
{
	struct vfsmount *mnt = READ_ONCE(om_mfs_dfsa_mnt);
	struct dentry *parent;
	struct path p;
	int err;

	if (!mnt || *cwd == '/' || !*cwd != !node)
		return -EXDEV;
	if (*cwd) {
		/* a canonical path of directories: no link to follow at its end */
		err = vfs_path_lookup(mnt->mnt_root, mnt, cwd,
				      lookup_flags | LOOKUP_DIRECTORY | LOOKUP_BENEATH, &p);
		if (err == -ESTALE && !(lookup_flags & LOOKUP_REVAL))
			err = vfs_path_lookup(mnt->mnt_root, mnt, cwd,
					      LOOKUP_REVAL | LOOKUP_DIRECTORY | LOOKUP_BENEATH, &p);
		if (err)
			return -EXDEV;
	} else {
		p.mnt = mnt;
		p.dentry = mnt->mnt_root;
		path_get(&p);
	}
	/* renamed, replaced or gone since home said where it is: home's call */
	if (!om_mfs_dfsa_same(&p, node, fh, fhlen)) {
		path_put(&p);
		return -EXDEV;
	}
	/* the walk came down this chain: its parents are the path's directories */
	while (ups--) {
		if (p.dentry == p.mnt->mnt_root) {
			path_put(&p);
			return -EXDEV;
		}
		parent = dget_parent(p.dentry);
		dput(p.dentry);
		p.dentry = parent;
	}
	*start = p;
	return 0;
}

int om_mfs_dfsa_walk_at(const struct path *start, const char *rel, unsigned int lookup_flags,
			struct path *p)
{
	int err;

	if (!*rel || *rel == '/' || start->dentry == start->mnt->mnt_root)
		return -EXDEV;
	err = vfs_path_lookup(start->dentry, start->mnt, rel, lookup_flags | LOOKUP_BENEATH, p);
	if (err)
		return err;
	if (!d_inode(p->dentry) || !OM_MFS_I(d_inode(p->dentry))->node) {
		/* a local inode: its times are this node's */
		path_put(p);
		return -EXDEV;
	}
	return 0;
}
