// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS server: other nodes' requests, run against this node's tree.
 *
 * A request frame arrives in the transport's receive thread, which must
 * not wait on a filesystem: it is copied and queued for the workers
 * (om_srv_wq), where one decodes it (the codec checks every field), takes
 * on the caller's uid, gid and groups (root squashed unless mfs_root),
 * runs it with the VFS's own permission checks and answers with one frame.
 *
 * Fairness.  Each node's requests wait in a queue of their own, and the
 * workers take the nodes in turn (round robin), one request each time;
 * one node has at most OM_SRV_NODE_MAX requests queued or running and
 * OM_SRV_NODE_RUN workers, so a node that floods the server, or whose
 * requests wait long (its replies wait for a connection, its socket is
 * full), delays other nodes' requests by one turn, not by its backlog.
 * A node that went down, or whose replies found no connection for
 * OM_SRV_CONN_WAIT and still has none (a client that hung up), has its
 * requests dropped unrun: their replies could not be sent.
 *
 * Handles.  exportfs would make stateless handles, but cannot open them
 * on the filesystems many nodes run from (overlayfs without nfs_export,
 * 9p, ramfs): so a handle names an entry of a table here, which holds the
 * file's path (mount and dentry).  The table is bounded: entries unused
 * for OM_SRV_IDLE, of deleted files, or the oldest beyond OM_SRV_OBJ_MAX
 * go, and their handles are -ESTALE from then on (the client looks the
 * name up again).  A handle carries a random number drawn at load, so
 * one from before a reload is -ESTALE too.
 *
 * The tree is the one kernel threads see (the root of init after
 * switch_root); mounts are followed down, never up: a request names a
 * directory handle and one name, never "." or "..".  Pseudo filesystems
 * (proc, sysfs, devtmpfs, debugfs, ...) and MFS itself are not exported:
 * looking one up is -EPERM.
 *
 * With an export list (om_mfs_export.c), every request takes a snapshot
 * of it and checks every handle it uses against it, not only at lookup:
 * the list may have changed since the client got the handle.  A handle
 * of something no longer exported is -ESTALE; directories on the way to
 * an export show only the names on the way and cannot be changed.
 */
#include <linux/kernel.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/delay.h>
#include <linux/delayed_call.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/capability.h>

#include "om_core.h"
#include "om_node.h"
#include "om_transport.h"
#include "om_mfs.h"

#define OM_SRV_FH_LEN		16		/* le64 boot, le64 id */
#define OM_SRV_OBJ_MAX		16384		/* handles held */
#define OM_SRV_IDLE		(10 * 60 * HZ)	/* a handle unused that long goes */
#define OM_SRV_GC_EVERY		(60 * HZ)
#define OM_SRV_QUEUED_MAX	1024		/* requests queued or running */
#define OM_SRV_NODE_MAX		256		/* ... of one node */
#define OM_SRV_WORKERS		16
#define OM_SRV_NODE_RUN		12		/* workers on one node's requests */
#define OM_SRV_SEND_TRIES	30		/* 100 ms apart: a reply waits for a connection */
#define OM_SRV_CONN_WAIT	(3 * HZ)	/* ... for all of a node's replies at once */

/* One handle: a file this node told a client about */
struct om_srv_obj {
	struct hlist_node by_id;
	struct hlist_node by_dentry;
	struct list_head lru;		/* oldest use first */
	u64 id;
	struct path path;
	unsigned long used;		/* jiffies */
	bool pinned;			/* the root: never goes */
};

static DEFINE_MUTEX(om_srv_lock);	/* the table */
static DEFINE_HASHTABLE(om_srv_by_id, 10);
static DEFINE_HASHTABLE(om_srv_by_dentry, 10);
static LIST_HEAD(om_srv_lru);
static unsigned int om_srv_nobj;
static u64 om_srv_next_id;
static u64 om_srv_boot;			/* in every handle: this load's */
static struct path om_srv_root;		/* under om_srv_lock; mnt NULL until used */

static struct workqueue_struct *om_srv_wq;
/*
 * node -> when one of its replies first found no connection (jiffies
 * since boot), until one is sent: the wait is the node's, not each reply's
 */
static DEFINE_XARRAY(om_srv_noconn);

/*
 * One node's requests, while it has any queued, running or about to be
 * queued (it is freed when it has none).  Under om_srv_qlock.
 */
struct om_srv_peer {
	struct list_head ready;		/* on om_srv_ready: one may run now */
	struct list_head reqs;		/* queued, oldest first */
	u16 node;
	unsigned int queued;		/* on reqs */
	unsigned int running;		/* taken by a worker */
	unsigned int pending;		/* counted, being copied (om_mfs_server_rx) */
};

/* A request waiting for or in a worker */
struct om_srv_req {
	struct list_head list;		/* its peer's reqs, while queued */
	struct om_srv_peer *peer;
	u16 from;
	u8 type;
	u32 len;
	u8 payload[];
};

/* A worker: takes requests in turn while there are any it may run */
struct om_srv_runner {
	struct work_struct work;
	bool busy;			/* queued or running; om_srv_qlock */
};

/*
 * The queues: om_srv_peers, om_srv_ready, the counts, every peer's
 * fields and the runners' busy flags.  Process context (receive threads,
 * this node's client, the workers), held briefly: nothing waits under
 * it but a peer's allocation.  Taken with no other lock of ours held.
 */
static DEFINE_MUTEX(om_srv_qlock);
static DEFINE_XARRAY(om_srv_peers);		/* node -> struct om_srv_peer */
static LIST_HEAD(om_srv_ready);			/* peers in turn, round robin */
static unsigned int om_srv_nreq;		/* queued, running or pending */
static unsigned int om_srv_nbusy;		/* runners busy */
static struct om_srv_runner om_srv_runners[OM_SRV_WORKERS];
static bool om_srv_stopping;			/* set under om_srv_qlock */

/* ---- The handle table ---- */

static void om_srv_unhash(struct om_srv_obj *o, struct list_head *dead)
{
	hash_del(&o->by_id);
	hash_del(&o->by_dentry);
	list_move(&o->lru, dead);
	om_srv_nobj--;
}

/* Free what om_srv_unhash() collected, outside the lock (dput may sleep) */
static void om_srv_free_dead(struct list_head *dead)
{
	struct om_srv_obj *o, *tmp;

	list_for_each_entry_safe(o, tmp, dead, lru) {
		list_del(&o->lru);
		path_put(&o->path);
		kfree(o);
	}
}

static void om_srv_fh_put(u64 id, u8 *fh)
{
	put_unaligned_le64(om_srv_boot, fh);
	put_unaligned_le64(id, fh + 8);
}

/* The entry of path, used now; om_srv_lock held */
static struct om_srv_obj *om_srv_find_path(const struct path *path, bool pin)
{
	struct om_srv_obj *o;

	hash_for_each_possible(om_srv_by_dentry, o, by_dentry,
			       (unsigned long)path->dentry) {
		if (o->path.dentry == path->dentry && o->path.mnt == path->mnt) {
			o->used = jiffies;
			o->pinned |= pin;
			list_move_tail(&o->lru, &om_srv_lru);
			return o;
		}
	}
	return NULL;
}

/*
 * The handle of path: the one it has, else a new one.  One path, one
 * handle, as long as its entry lives: the client keys inodes by handle.
 * Returns the handle's length or -ENOMEM.
 */
static int om_srv_fh_make(const struct path *path, u8 *fh, bool pinned)
{
	struct om_srv_obj *o, *old;
	LIST_HEAD(dead);
	u64 id;

	mutex_lock(&om_srv_lock);
	o = om_srv_find_path(path, pinned);
	if (o) {
		id = o->id;
		mutex_unlock(&om_srv_lock);
		om_srv_fh_put(id, fh);
		return OM_SRV_FH_LEN;
	}
	mutex_unlock(&om_srv_lock);

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->path = *path;
	path_get(&o->path);
	o->pinned = pinned;
	o->used = jiffies;

	mutex_lock(&om_srv_lock);
	/* another worker may have made it meanwhile: then that one */
	old = om_srv_find_path(path, pinned);
	if (old) {
		id = old->id;
		list_add(&o->lru, &dead);
	} else {
		/* at the cap, the least recently used one goes */
		if (om_srv_nobj >= OM_SRV_OBJ_MAX) {
			list_for_each_entry(old, &om_srv_lru, lru)
				if (!old->pinned)
					break;
			if (!list_entry_is_head(old, &om_srv_lru, lru))
				om_srv_unhash(old, &dead);
		}
		o->id = ++om_srv_next_id;
		id = o->id;
		hash_add(om_srv_by_id, &o->by_id, o->id);
		hash_add(om_srv_by_dentry, &o->by_dentry,
			 (unsigned long)path->dentry);
		list_add_tail(&o->lru, &om_srv_lru);
		om_srv_nobj++;
	}
	mutex_unlock(&om_srv_lock);
	om_srv_free_dead(&dead);
	om_srv_fh_put(id, fh);
	return OM_SRV_FH_LEN;
}

/* The path a handle names (a reference for the caller), or -ESTALE */
static int om_srv_fh_path(const struct om_mfs_fh *fh, struct path *path)
{
	struct om_srv_obj *o;
	u64 id;

	if (fh->len != OM_SRV_FH_LEN || get_unaligned_le64(fh->data) != om_srv_boot)
		return -ESTALE;
	id = get_unaligned_le64(fh->data + 8);
	mutex_lock(&om_srv_lock);
	hash_for_each_possible(om_srv_by_id, o, by_id, id) {
		if (o->id == id) {
			o->used = jiffies;
			list_move_tail(&o->lru, &om_srv_lru);
			*path = o->path;
			path_get(path);
			mutex_unlock(&om_srv_lock);
			return 0;
		}
	}
	mutex_unlock(&om_srv_lock);
	return -ESTALE;
}

/* The handles of a dentry that was removed: they hold its inode */
static void om_srv_forget(struct dentry *d)
{
	struct om_srv_obj *o;
	struct hlist_node *tmp;
	LIST_HEAD(dead);

	mutex_lock(&om_srv_lock);
	hash_for_each_possible_safe(om_srv_by_dentry, o, tmp, by_dentry,
				    (unsigned long)d)
		if (o->path.dentry == d && !o->pinned)
			om_srv_unhash(o, &dead);
	mutex_unlock(&om_srv_lock);
	om_srv_free_dead(&dead);
}

/* Idle handles and those of deleted files go (all of them at exit) */
static void om_srv_gc(bool all)
{
	struct om_srv_obj *o, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&om_srv_lock);
	list_for_each_entry_safe(o, tmp, &om_srv_lru, lru) {
		if (all || (!o->pinned &&
			    (time_after(jiffies, o->used + OM_SRV_IDLE) ||
			     d_unlinked(o->path.dentry))))
			om_srv_unhash(o, &dead);
	}
	mutex_unlock(&om_srv_lock);
	om_srv_free_dead(&dead);
}

static void om_srv_gc_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(om_srv_gc_work, om_srv_gc_fn);

static void om_srv_gc_fn(struct work_struct *w)
{
	om_srv_gc(false);
	om_mfs_watch_gc(false);
	if (!READ_ONCE(om_srv_stopping))
		queue_delayed_work(om_srv_wq, &om_srv_gc_work, OM_SRV_GC_EVERY);
}

/* The root kernel threads see: "/" of init, taken at the first request */
static int om_srv_root_get(struct path *root)
{
	struct path p;
	int err;

	mutex_lock(&om_srv_lock);
	if (om_srv_root.mnt) {
		*root = om_srv_root;
		path_get(root);
		mutex_unlock(&om_srv_lock);
		return 0;
	}
	mutex_unlock(&om_srv_lock);
	err = kern_path("/", LOOKUP_DIRECTORY, &p);
	if (err)
		return err;
	mutex_lock(&om_srv_lock);
	if (!om_srv_root.mnt) {
		om_srv_root = p;
		path_get(&om_srv_root);
	}
	*root = om_srv_root;
	path_get(root);
	mutex_unlock(&om_srv_lock);
	path_put(&p);
	return 0;
}

/* ---- What is exported ---- */

/* Filesystems whose files are not files: not served, looked up -EPERM */
static bool om_srv_exported(const struct super_block *sb)
{
	switch (sb->s_magic) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case BPF_FS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case PSTOREFS_MAGIC:
	case EFIVARFS_MAGIC:
	case SELINUX_MAGIC:
	case SMACK_MAGIC:
	case BINFMTFS_MAGIC:
	case NSFS_MAGIC:
	case OM_MFS_MAGIC:
		return false;
	}
	/* devtmpfs is a tmpfs (or ramfs) by magic: tell it by name */
	return strcmp(sb->s_type->name, "devtmpfs") &&
	       strcmp(sb->s_type->name, "mfs") &&
	       strcmp(sb->s_type->name, "configfs") &&
	       strcmp(sb->s_type->name, "fusectl") &&
	       strcmp(sb->s_type->name, "mqueue");
}

/* name in the directory dir, mounts on it followed down: a reference */
static int om_srv_child(const struct path *dir, const struct om_mfs_str *name,
			struct path *out)
{
	struct dentry *d;

	if (!d_is_dir(dir->dentry))
		return -ENOTDIR;
	/* checks that we may search dir, with the caller's credentials */
	d = lookup_one_len_unlocked(name->s, dir->dentry, name->len);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d_is_negative(d)) {
		dput(d);
		return -ENOENT;
	}
	out->mnt = mntget(dir->mnt);
	out->dentry = d;
	while (d_mountpoint(out->dentry) && follow_down_one(out))
		;
	if (!om_srv_exported(out->dentry->d_sb)) {
		path_put(out);
		return -EPERM;
	}
	return 0;
}

/* ---- Attributes ---- */

static void om_srv_time(struct om_mfs_time *t, struct timespec64 ts)
{
	t->sec = ts.tv_sec;
	t->nsec = (u32)ts.tv_nsec < OM_MFS_NSEC_PER_SEC ? (u32)ts.tv_nsec : 0;
}

static u32 om_srv_id(u32 id)
{
	return id == OM_MFS_INVALID_ID ? OM_MFS_NOBODY : id;
}

static int om_srv_attr(const struct path *p, struct om_mfs_attr *a)
{
	struct kstat st;
	int err;

	err = vfs_getattr(p, &st, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
	if (err)
		return err;
	memset(a, 0, sizeof(*a));
	a->ino = st.ino ?: 1;
	a->mode = st.mode & (S_IFMT | 07777);
	if (!om_mfs_mode_to_dt(a->mode))
		return -EIO;	/* no file type we know */
	a->nlink = st.nlink;
	a->uid = om_srv_id(from_kuid_munged(&init_user_ns, st.uid));
	a->gid = om_srv_id(from_kgid_munged(&init_user_ns, st.gid));
	if (S_ISCHR(st.mode) || S_ISBLK(st.mode))
		a->rdev = new_encode_dev(st.rdev);
	a->blksize = st.blksize && st.blksize <= OM_MFS_BLKSIZE_MAX ?
		     st.blksize : PAGE_SIZE;
	a->size = st.size < 0 ? 0 : min_t(u64, st.size, OM_MFS_OFF_MAX);
	a->blocks = min_t(u64, st.blocks, OM_MFS_BLOCKS_MAX);
	om_srv_time(&a->atime, st.atime);
	om_srv_time(&a->mtime, st.mtime);
	om_srv_time(&a->ctime, st.ctime);
	return 0;
}

/*
 * An R_ENTRY for path: its handle and attributes (fh is the caller's),
 * with a promise to node 'to' if one can be made: made first, so that a
 * change after the attributes are taken is told (om_mfs_watch.c).
 */
static int om_srv_entry_pin(const struct path *p, struct om_mfs_msg *a, u8 *fh,
			    bool pinned, u16 to)
{
	int n = om_srv_fh_make(p, fh, pinned);

	if (n < 0)
		return n;
	a->type = OM_MFS_R_ENTRY;
	a->entry.fh.data = fh;
	a->entry.fh.len = n;
	a->promise_ms = om_mfs_watch_grant(p, to);
	return om_srv_attr(p, &a->entry.attr);
}

static int om_srv_entry(const struct path *p, struct om_mfs_msg *a, u8 *fh, u16 to)
{
	return om_srv_entry_pin(p, a, fh, false, to);
}

/* An R_ATTR for path, with a promise as om_srv_entry_pin() */
static int om_srv_attrs(const struct path *p, struct om_mfs_msg *a, u16 to)
{
	a->type = OM_MFS_R_ATTR;
	a->promise_ms = om_mfs_watch_grant(p, to);
	return om_srv_attr(p, &a->attr);
}

/* ---- Credentials ---- */

static kgid_t om_srv_kgid(u32 gid, bool squash)
{
	return make_kgid(&init_user_ns, squash && !gid ? OM_MFS_NOBODY : gid);
}

/*
 * The caller's identity for this request: a copy of the worker's (root)
 * credentials with its uid, gid and groups, and no capabilities unless
 * it is root and mfs_root lets root be root here.
 */
static struct cred *om_srv_cred(const struct om_mfs_cred *c)
{
	bool squash = !READ_ONCE(om_tun.mfs_root);
	struct group_info *gi;
	struct cred *new;
	kuid_t uid;
	kgid_t gid;
	int i;

	uid = make_kuid(&init_user_ns, squash && !c->uid ? OM_MFS_NOBODY : c->uid);
	gid = om_srv_kgid(c->gid, squash);
	if (!uid_valid(uid) || !gid_valid(gid))
		return ERR_PTR(-EINVAL);
	new = prepare_creds();
	if (!new)
		return ERR_PTR(-ENOMEM);
	gi = groups_alloc(c->ngroups);
	if (!gi) {
		abort_creds(new);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < c->ngroups; i++) {
		gi->gid[i] = om_srv_kgid(c->groups[i], squash);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			abort_creds(new);
			return ERR_PTR(-EINVAL);
		}
	}
	groups_sort(gi);
	set_groups(new, gi);
	put_group_info(gi);
	new->uid = new->euid = new->suid = new->fsuid = uid;
	new->gid = new->egid = new->sgid = new->fsgid = gid;
	if (!uid_eq(uid, GLOBAL_ROOT_UID)) {
		cap_clear(new->cap_effective);
		cap_clear(new->cap_permitted);
		cap_clear(new->cap_inheritable);
		cap_clear(new->cap_ambient);
	}
	return new;
}

/* ---- The operations: each fills the reply a, or returns an errno ---- */

/* What a worker works with: the request, its reply, buffers */
struct om_srv_ctx {
	struct om_mfs_msg q;
	struct om_mfs_msg a;
	u8 fh[OM_MFS_FH_MAX];
	void *big;		/* R_DATA, R_DIRENTS: payload built in place */
	u32 bigcap;
	char *target;		/* R_TARGET */
	struct om_mfs_exports *ex;	/* the export list for this request */
	u16 from;			/* the node that asked */
};

/* ---- The export list: what this request may do with a path ---- */

static bool om_srv_is_root(const struct path *p)
{
	bool r;

	mutex_lock(&om_srv_lock);
	r = om_srv_root.mnt == p->mnt && om_srv_root.dentry == p->dentry;
	mutex_unlock(&om_srv_lock);
	return r;
}

/* The root is always on the way: with no export under it, it is empty */
static enum om_mfs_vis om_srv_vis(struct om_srv_ctx *x, const struct path *p,
				  bool *holds)
{
	enum om_mfs_vis v = om_mfs_export_vis(x->ex, p, holds);

	if (v == OM_MFS_VIS_HIDDEN && om_srv_is_root(p))
		v = OM_MFS_VIS_PATH;
	return v;
}

/*
 * The path of handle fh (a reference), if the export list lets this
 * request use it for need; *vis (if not NULL) where it stands.
 */
static int om_srv_fh_use(struct om_srv_ctx *x, const struct om_mfs_fh *fh,
			 enum om_mfs_need need, struct path *p,
			 enum om_mfs_vis *vis)
{
	enum om_mfs_vis v = OM_MFS_VIS_RW;
	int err = om_srv_fh_path(fh, p);

	if (err)
		return err;
	if (x->ex) {
		v = om_srv_vis(x, p, NULL);
		err = om_mfs_export_check(v, need);
		if (err) {
			path_put(p);
			return err;
		}
	}
	if (vis)
		*vis = v;
	return 0;
}

/*
 * What unlink, rmdir and rename take away or replace: not an export, nor
 * a directory on the way to one (as a mount point is busy).
 */
static int om_srv_may_remove(struct om_srv_ctx *x, struct vfsmount *mnt,
			     struct dentry *d)
{
	struct path p = { .mnt = mnt, .dentry = d };
	bool holds;

	if (!x->ex || d_really_is_negative(d))
		return 0;
	om_srv_vis(x, &p, &holds);
	return holds ? -EBUSY : 0;
}

/* name in dir, a directory only on the way to exports: one on the way? */
static int om_srv_on_way(struct om_srv_ctx *x, const struct path *dir,
			 const struct om_mfs_str *name)
{
	char *names[OM_MFS_EXPORTS_MAX];
	int i, n, err = -ENOENT;

	n = om_mfs_export_children(x->ex, dir, names);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == name->len &&
		    !memcmp(names[i], name->s, name->len))
			err = 0;
	om_mfs_export_names_free(names, n);
	return err;
}

/*
 * name in dir as a LOOKUP may see it (a reference): found, served, and
 * not hidden by the export list (renamed meanwhile, a mount on it)
 */
static int om_srv_child_seen(struct om_srv_ctx *x, const struct path *dir,
			     const struct om_mfs_str *name, struct path *out)
{
	int err = om_srv_child(dir, name, out);

	if (err)
		return err;
	if (x->ex && om_srv_vis(x, out, NULL) == OM_MFS_VIS_HIDDEN) {
		path_put(out);
		return -ENOENT;
	}
	return 0;
}

static int om_srv_root_op(struct om_srv_ctx *x)
{
	struct path root;
	int err = om_srv_root_get(&root);

	if (err)
		return err;
	err = om_srv_entry_pin(&root, &x->a, x->fh, true, x->from);
	path_put(&root);
	return err;
}

static int om_srv_lookup(struct om_srv_ctx *x)
{
	enum om_mfs_vis vis;
	struct path dir, p;
	int err = om_srv_fh_use(x, &x->q.lookup.dir, OM_MFS_NEED_SEE, &dir, &vis);

	if (err)
		return err;
	/* on the way to exports: the names on the way, nothing else */
	if (vis == OM_MFS_VIS_PATH)
		err = om_srv_on_way(x, &dir, &x->q.lookup.name);
	if (!err)
		err = om_srv_child_seen(x, &dir, &x->q.lookup.name, &p);
	path_put(&dir);
	if (err)
		return err;
	err = om_srv_entry(&p, &x->a, x->fh, x->from);
	path_put(&p);
	return err;
}

static int om_srv_getattr(struct om_srv_ctx *x)
{
	struct path p;
	int err = om_srv_fh_use(x, &x->q.getattr.fh, OM_MFS_NEED_SEE, &p, NULL);

	if (err)
		return err;
	err = om_srv_attrs(&p, &x->a, x->from);
	path_put(&p);
	return err;
}

static struct timespec64 om_srv_ts(const struct om_mfs_time *t)
{
	return (struct timespec64){ .tv_sec = t->sec, .tv_nsec = t->nsec };
}

/* chmod, chown, utimes with the VFS's checks; truncate as truncate(2) */
static int om_srv_setattr(struct om_srv_ctx *x)
{
	const struct om_mfs_setattr *s = &x->q.setattr;
	struct iattr ia = {};
	struct inode *inode;
	struct path p;
	u32 v = s->valid;
	int err = om_srv_fh_use(x, &s->fh,
				v ? OM_MFS_NEED_WRITE : OM_MFS_NEED_SEE, &p, NULL);

	if (err)
		return err;
	inode = d_inode(p.dentry);
	/* nothing to set: only the attributes (no ctime for anyone) */
	if (!v)
		goto done;
	if (v & OM_MFS_SET_SIZE) {
		err = vfs_truncate(&p, s->size);
		if (err)
			goto out;
	}
	ia.ia_valid = ATTR_CTIME;
	if (v & OM_MFS_SET_MODE) {
		ia.ia_valid |= ATTR_MODE;
		ia.ia_mode = (inode->i_mode & S_IFMT) | s->mode;
	}
	if (v & OM_MFS_SET_UID) {
		ia.ia_valid |= ATTR_UID;
		ia.ia_uid = make_kuid(&init_user_ns, s->uid);
		if (!uid_valid(ia.ia_uid)) {
			err = -EINVAL;
			goto out;
		}
	}
	if (v & OM_MFS_SET_GID) {
		ia.ia_valid |= ATTR_GID;
		ia.ia_gid = make_kgid(&init_user_ns, s->gid);
		if (!gid_valid(ia.ia_gid)) {
			err = -EINVAL;
			goto out;
		}
	}
	if (v & (OM_MFS_SET_ATIME | OM_MFS_SET_ATIME_NOW))
		ia.ia_valid |= ATTR_ATIME;
	if (v & (OM_MFS_SET_MTIME | OM_MFS_SET_MTIME_NOW))
		ia.ia_valid |= ATTR_MTIME;
	if (v & OM_MFS_SET_ATIME) {
		ia.ia_valid |= ATTR_ATIME_SET;
		ia.ia_atime = om_srv_ts(&s->atime);
	}
	if (v & OM_MFS_SET_MTIME) {
		ia.ia_valid |= ATTR_MTIME_SET;
		ia.ia_mtime = om_srv_ts(&s->mtime);
	}
	/*
	 * A time to now (utimes(NULL), a write's or truncate's mtime): the
	 * owner, or who may write the file (notify_change() checks this
	 * for ATTR_TOUCH; without it, anyone could).  Explicit times are
	 * the owner's alone (setattr_prepare()).
	 */
	if (v & (OM_MFS_SET_ATIME_NOW | OM_MFS_SET_MTIME_NOW))
		ia.ia_valid |= ATTR_TOUCH;
	/* a truncate alone changed the times already */
	if (ia.ia_valid != ATTR_CTIME || !(v & OM_MFS_SET_SIZE)) {
		err = mnt_want_write(p.mnt);
		if (err)
			goto out;
		inode_lock(inode);
		err = notify_change(om_nop_idmap, p.dentry, &ia, NULL);
		inode_unlock(inode);
		mnt_drop_write(p.mnt);
		if (err)
			goto out;
	}
done:
	err = om_srv_attrs(&p, &x->a, x->from);
out:
	path_put(&p);
	return err;
}

/* A regular file opened for this request, after the caller's access check */
static struct file *om_srv_open(const struct path *p, int flags, int may)
{
	struct inode *inode = d_inode(p->dentry);
	int err;

	if (d_is_dir(p->dentry))
		return ERR_PTR(-EISDIR);
	if (!d_is_reg(p->dentry))
		return ERR_PTR(-EINVAL);	/* devices, fifos: never opened */
	err = inode_permission(om_nop_idmap, inode, may);
	/*
	 * The owner may always read and write, as NFS servers allow: a
	 * process that made a file read-only (creat(f, 0444)) still writes
	 * through the descriptor it made it with, and here every write
	 * opens the file anew.
	 */
	if (err == -EACCES && uid_eq(current_fsuid(), inode->i_uid))
		err = 0;
	if (err)
		return ERR_PTR(err);
	/* writes name their offset: an append-only file cannot take them */
	if ((may & MAY_WRITE) && IS_APPEND(inode))
		return ERR_PTR(-EPERM);
	return dentry_open(p, flags | O_LARGEFILE, current_cred());
}

/* Does node take R_DATA's STABLE flag (OM_WIRE_FEAT_MFS_DATA)? */
static bool om_srv_takes_stable(u16 node)
{
	u32 feat;

	if (node == om_self_id())
		return true;
	return !om_transport_peer_features(node, &feat) &&
	       (feat & OM_WIRE_FEAT_MFS_DATA);
}

static int om_srv_read(struct om_srv_ctx *x)
{
	const struct om_mfs_read *r = &x->q.read;
	struct file *f;
	struct path p;
	loff_t pos = r->offset;
	bool stable;
	ssize_t n;
	int err = om_srv_fh_use(x, &r->fh, OM_MFS_NEED_READ, &p, NULL);

	if (err)
		return err;
	f = om_srv_open(&p, O_RDONLY, MAY_READ);
	path_put(&p);
	if (IS_ERR(f))
		return PTR_ERR(f);
	/* before the read: a change after it is told before it completes */
	stable = om_srv_takes_stable(x->from) &&
		 om_mfs_watch_stable(file_inode(f), x->from);
	x->bigcap = OM_MFS_DATA_HDR_LEN + r->len;
	x->big = kvmalloc(x->bigcap, GFP_KERNEL);
	if (!x->big) {
		fput(f);
		return -ENOMEM;
	}
	n = kernel_read(f, (u8 *)x->big + OM_MFS_DATA_HDR_LEN, r->len, &pos);
	if (n >= 0) {
		x->a.type = OM_MFS_R_DATA;
		x->a.data.len = n;
		x->a.data.data = (u8 *)x->big + OM_MFS_DATA_HDR_LEN;
		x->a.data.eof = n < r->len || pos >= i_size_read(file_inode(f));
		x->a.data.stable = stable;
	}
	fput(f);
	return n < 0 ? n : 0;
}

static int om_srv_write(struct om_srv_ctx *x)
{
	const struct om_mfs_write *w = &x->q.write;
	int flags = O_WRONLY;
	struct file *f;
	struct path p;
	loff_t pos = w->offset;
	ssize_t n;
	int err = om_srv_fh_use(x, &w->fh, OM_MFS_NEED_WRITE, &p, NULL);

	if (err)
		return err;
	if (w->flags & OM_MFS_WRITE_DSYNC)
		flags |= O_DSYNC;
	if (w->flags & OM_MFS_WRITE_SYNC)
		flags |= O_SYNC;
	f = om_srv_open(&p, flags, MAY_WRITE);
	if (IS_ERR(f)) {
		path_put(&p);
		return PTR_ERR(f);
	}
	n = kernel_write(f, w->data, w->len, &pos);
	fput(f);
	if (n == 0)
		n = -EIO;	/* a write of at least one byte moved none */
	if (n > 0) {
		x->a.type = OM_MFS_R_WRITTEN;
		x->a.written.count = n;
		err = om_srv_attr(&p, &x->a.written.attr);
	}
	path_put(&p);
	return n < 0 ? n : err;
}

/* ---- Directories ---- */

struct om_srv_rd {
	struct dir_context ctx;
	u8 *out;		/* entries go here */
	u32 cap, len, count;
	u32 reserve;		/* room kept per entry: READDIRPLUS adds its file */
	u8 *last;		/* the last entry put: its cookie comes later */
	bool full;
	int err;
	char **names;		/* if not NULL, only these (on the way to exports) */
	int nnames;
};

static bool om_srv_rd_listed(const struct om_srv_rd *rd, const char *name,
			     int namlen)
{
	int i;

	if (!rd->names)
		return true;
	for (i = 0; i < rd->nnames; i++)
		if (strlen(rd->names[i]) == namlen &&
		    !memcmp(rd->names[i], name, namlen))
			return true;
	return false;
}

static void om_srv_rd_cookie(struct om_srv_rd *rd, loff_t next)
{
	/* an entry's cookie: where READDIR goes on after it */
	if (rd->last) {
		if (next <= 0)
			rd->err = -EOVERFLOW;
		put_unaligned_le64(next, rd->last + 8);
		rd->last = NULL;
	}
}

static bool om_srv_rd_actor(struct dir_context *ctx, const char *name,
			    int namlen, loff_t offset, u64 ino,
			    unsigned int d_type)
{
	struct om_srv_rd *rd = container_of(ctx, struct om_srv_rd, ctx);
	struct om_mfs_dirent e = {
		.ino = ino ?: 1,
		.cookie = 1,	/* for now: the next entry's offset, below */
		.type = d_type == DT_WHT ? OM_MFS_DT_UNKNOWN : d_type,
		.name = { .s = name, .len = namlen },
	};
	u32 room;
	int n;

	/* the entry before this one goes on from here */
	om_srv_rd_cookie(rd, offset);
	if (rd->err)
		return false;
	if (namlen <= 2 && name[0] == '.' && (namlen == 1 || name[1] == '.'))
		return true;	/* the client makes its own . and .. */
	if (!om_srv_rd_listed(rd, name, namlen))
		return true;	/* not on the way to an export */
	if (namlen <= 0 || namlen > OM_MFS_NAME_MAX) {
		rd->err = -EIO;
		return false;
	}
	/* what the entries so far take, and will with their files, is <= cap */
	room = rd->cap - rd->len - rd->count * rd->reserve;
	room = room > rd->reserve ? room - rd->reserve : 0;
	n = om_mfs_dirent_put(&e, false, rd->out + rd->len, room);
	if (n == -EMSGSIZE) {
		rd->full = true;
		return false;
	}
	if (n < 0) {
		rd->err = -EIO;	/* a name the protocol cannot carry */
		return false;
	}
	rd->last = rd->out + rd->len;
	rd->len += n;
	rd->count++;
	return true;
}

/*
 * A READDIRPLUS entry's file, as a LOOKUP of its name would answer, if a
 * promise can be made on it (else it would tell the client nothing it
 * may use) and the handle table has room to spare: a listing of a huge
 * directory must not push out the handles clients hold.
 */
static void om_srv_rd_file(struct om_srv_ctx *x, const struct path *dir,
			   struct om_mfs_dirent *e)
{
	struct om_mfs_attr a;
	struct path p;
	int n;

	if (READ_ONCE(om_srv_nobj) >= OM_SRV_OBJ_MAX / 2 ||
	    om_srv_child_seen(x, dir, &e->name, &p))
		return;
	/* promised before the attributes are taken, as om_srv_entry() */
	e->promise_ms = om_mfs_watch_grant(&p, x->from);
	n = e->promise_ms ? om_srv_fh_make(&p, x->fh, false) : -EAGAIN;
	if (n < 0 || om_srv_attr(&p, &a)) {
		e->promise_ms = 0;
		goto out;
	}
	e->fh.data = x->fh;
	e->fh.len = n;
	e->attr = a;
	/* what stat() says now, rather than what the listing said */
	e->ino = a.ino;
	e->type = om_mfs_mode_to_dt(a.mode);
out:
	path_put(&p);
}

/*
 * READDIRPLUS: the entries listed into rd.out (a buffer of their own,
 * each with room kept for its file), then each with its file into the
 * reply, once the directory is no longer locked by the listing.
 */
static int om_srv_rd_plus(struct om_srv_ctx *x, const struct path *dir,
			  const struct om_srv_rd *rd, u8 *out, u32 cap, u32 *len)
{
	struct om_mfs_dirents d = { .count = rd->count, .ents = rd->out,
				    .len = rd->len };
	bool files = om_mfs_watch_possible(dir, x->from);
	struct om_mfs_dirent e;
	u32 off = 0;
	int n;

	*len = 0;
	while (om_mfs_dirent_next(&d, &off, &e)) {
		if (files)
			om_srv_rd_file(x, dir, &e);
		n = om_mfs_dirent_put(&e, true, out + *len, cap - *len);
		if (n < 0)
			return -EIO;	/* room was kept: a bug */
		*len += n;
	}
	return 0;
}

static int om_srv_readdir(struct om_srv_ctx *x)
{
	const struct om_mfs_readdir *r = &x->q.readdir;
	bool plus = x->q.type == OM_MFS_READDIRPLUS;
	struct om_srv_rd rd = { .ctx.actor = om_srv_rd_actor };
	u8 *tmp = NULL;
	u32 len;
	char *names[OM_MFS_EXPORTS_MAX];
	enum om_mfs_vis vis;
	struct file *f;
	struct path p;
	loff_t pos;
	int err = om_srv_fh_use(x, &r->dir, OM_MFS_NEED_SEE, &p, &vis);

	if (err)
		return err;
	if (!d_is_dir(p.dentry)) {
		path_put(&p);
		return -ENOTDIR;
	}
	err = inode_permission(om_nop_idmap, d_inode(p.dentry), MAY_READ);
	/* on the way to exports: the names on the way, nothing else */
	if (!err && vis == OM_MFS_VIS_PATH) {
		rd.nnames = om_mfs_export_children(x->ex, &p, names);
		err = min(rd.nnames, 0);
		rd.names = names;
	}
	if (err) {
		path_put(&p);
		return err;
	}
	f = dentry_open(&p, O_RDONLY | O_DIRECTORY | O_LARGEFILE, current_cred());
	path_put(&p);
	err = PTR_ERR_OR_ZERO(f);
	if (err)
		goto out_names;
	x->bigcap = OM_MFS_DIRENTS_HDR_LEN + r->max_bytes;
	x->big = kvmalloc(x->bigcap, GFP_KERNEL);
	err = -ENOMEM;
	if (!x->big)
		goto out;
	rd.out = (u8 *)x->big + OM_MFS_DIRENTS_HDR_LEN;
	rd.cap = r->max_bytes;
	if (plus) {
		tmp = kvmalloc(r->max_bytes, GFP_KERNEL);
		if (!tmp)
			goto out;
		rd.out = tmp;
		rd.reserve = OM_MFS_DIRENT_PLUS_LEN(0, OM_MFS_FH_MAX) -
			     OM_MFS_DIRENT_LEN(0);
	}
	if (r->cookie > OM_MFS_OFF_MAX) {
		err = -EINVAL;
		goto out;
	}
	pos = vfs_llseek(f, r->cookie, SEEK_SET);
	if (pos < 0) {
		err = pos;
		goto out;
	}
	err = iterate_dir(f, &rd.ctx);
	if (!err && !rd.full)
		om_srv_rd_cookie(&rd, rd.ctx.pos);	/* the last one */
	if (!err)
		err = rd.err;
	if (!err && rd.last)
		err = -EIO;	/* an entry without a cookie */
	len = rd.len;
	if (!err && plus)
		err = om_srv_rd_plus(x, &f->f_path, &rd,
				     (u8 *)x->big + OM_MFS_DIRENTS_HDR_LEN,
				     r->max_bytes, &len);
	if (err)
		goto out;
	x->a.type = plus ? OM_MFS_R_DIRENTS_PLUS : OM_MFS_R_DIRENTS;
	x->a.dirents.plus = plus;
	x->a.dirents.eof = !rd.full;
	x->a.dirents.count = rd.count;
	x->a.dirents.ents = (u8 *)x->big + OM_MFS_DIRENTS_HDR_LEN;
	x->a.dirents.len = len;
out:
	kvfree(tmp);
	fput(f);
out_names:
	if (rd.names)
		om_mfs_export_names_free(names, rd.nnames);
	return err;
}

/*
 * name in the directory of handle dh, with the directory locked and the
 * mount writable: for the operations that change a directory.  The
 * caller ends with om_srv_dir_end().
 */
struct om_srv_dirop {
	struct path dir;
	struct dentry *child;	/* negative or positive */
	bool write;
};

static int om_srv_dir_begin(struct om_srv_ctx *x, const struct om_mfs_fh *dh,
			    const struct om_mfs_str *name,
			    struct om_srv_dirop *d)
{
	int err = om_srv_fh_use(x, dh, OM_MFS_NEED_WRITE, &d->dir, NULL);

	d->child = NULL;
	d->write = false;
	if (err)
		return err;
	if (!d_is_dir(d->dir.dentry)) {
		path_put(&d->dir);
		return -ENOTDIR;
	}
	err = mnt_want_write(d->dir.mnt);
	if (err) {
		path_put(&d->dir);
		return err;
	}
	d->write = true;
	inode_lock_nested(d_inode(d->dir.dentry), I_MUTEX_PARENT);
	d->child = lookup_one_len(name->s, d->dir.dentry, name->len);
	if (IS_ERR(d->child)) {
		err = PTR_ERR(d->child);
		d->child = NULL;
		inode_unlock(d_inode(d->dir.dentry));
		mnt_drop_write(d->dir.mnt);
		path_put(&d->dir);
		d->write = false;
		return err;
	}
	return 0;
}

static void om_srv_dir_end(struct om_srv_dirop *d)
{
	inode_unlock(d_inode(d->dir.dentry));
	dput(d->child);
	mnt_drop_write(d->dir.mnt);
	path_put(&d->dir);
}

/*
 * The entry of what CREATE, MKDIR, SYMLINK or LINK made: some
 * filesystems leave the dentry they were given negative (they made
 * another): look the name up again then.
 */
static int om_srv_made(struct om_srv_ctx *x, struct om_srv_dirop *d,
		       const struct om_mfs_str *name)
{
	struct path p = { .mnt = d->dir.mnt, .dentry = d->child };
	struct dentry *again;
	int err;

	if (d_really_is_positive(d->child) && !d_unhashed(d->child))
		return om_srv_entry(&p, &x->a, x->fh, x->from);
	again = lookup_one_len(name->s, d->dir.dentry, name->len);
	if (IS_ERR(again))
		return PTR_ERR(again);
	if (d_really_is_negative(again)) {
		dput(again);
		return -ENOENT;
	}
	p.dentry = again;
	err = om_srv_entry(&p, &x->a, x->fh, x->from);
	dput(again);
	return err;
}

static int om_srv_create(struct om_srv_ctx *x)
{
	const struct om_mfs_create *c = &x->q.create;
	struct om_srv_dirop d;
	struct path p;
	int err = om_srv_dir_begin(x, &c->dir, &c->name, &d);

	if (err)
		return err;
	if (d_really_is_positive(d.child)) {
		/* open(O_CREAT) of a file that exists: that file */
		err = -EEXIST;
		if (!(c->flags & OM_MFS_CREATE_EXCL) && d_is_reg(d.child)) {
			p.mnt = d.dir.mnt;
			p.dentry = d.child;
			err = om_srv_entry(&p, &x->a, x->fh, x->from);
		}
	} else {
		err = vfs_create(om_nop_idmap, d_inode(d.dir.dentry), d.child,
				 S_IFREG | c->mode,
				 !!(c->flags & OM_MFS_CREATE_EXCL));
		if (!err)
			err = om_srv_made(x, &d, &c->name);
	}
	om_srv_dir_end(&d);
	return err;
}

static int om_srv_mkdir(struct om_srv_ctx *x)
{
	const struct om_mfs_mkdir *m = &x->q.mkdir;
	struct om_srv_dirop d;
	int err = om_srv_dir_begin(x, &m->dir, &m->name, &d);

	if (err)
		return err;
	err = -EEXIST;
	if (d_really_is_negative(d.child)) {
		err = vfs_mkdir(om_nop_idmap, d_inode(d.dir.dentry), d.child,
				S_IFDIR | m->mode);
		if (!err)
			err = om_srv_made(x, &d, &m->name);
	}
	om_srv_dir_end(&d);
	return err;
}

static int om_srv_symlink(struct om_srv_ctx *x)
{
	const struct om_mfs_symlink *s = &x->q.symlink;
	struct om_srv_dirop d;
	char *target;
	int err;

	/* the target is not NUL-terminated in the payload */
	target = kmemdup_nul(s->target.s, s->target.len, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	err = om_srv_dir_begin(x, &s->dir, &s->name, &d);
	if (err)
		goto out;
	err = -EEXIST;
	if (d_really_is_negative(d.child)) {
		err = vfs_symlink(om_nop_idmap, d_inode(d.dir.dentry), d.child,
				  target);
		if (!err)
			err = om_srv_made(x, &d, &s->name);
	}
	om_srv_dir_end(&d);
out:
	kfree(target);
	return err;
}

static int om_srv_link(struct om_srv_ctx *x)
{
	const struct om_mfs_link *l = &x->q.link;
	struct om_srv_dirop d;
	struct path old;
	/* a new name for a file is a change to it: read-only stays so */
	int err = om_srv_fh_use(x, &l->fh, OM_MFS_NEED_WRITE, &old, NULL);

	if (err)
		return err;
	err = om_srv_dir_begin(x, &l->dir, &l->name, &d);
	if (err)
		goto out;
	if (d.dir.mnt != old.mnt)
		err = -EXDEV;
	else if (d_really_is_positive(d.child))
		err = -EEXIST;
	else
		err = vfs_link(old.dentry, om_nop_idmap, d_inode(d.dir.dentry),
			       d.child, NULL);
	if (!err)
		err = om_srv_made(x, &d, &l->name);
	om_srv_dir_end(&d);
out:
	path_put(&old);
	return err;
}

static int om_srv_remove(struct om_srv_ctx *x, const struct om_mfs_dirop *r,
			 bool dir)
{
	struct inode *dinode;
	struct om_srv_dirop d;
	int err = om_srv_dir_begin(x, &r->dir, &r->name, &d);

	if (err)
		return err;
	dinode = d_inode(d.dir.dentry);
	err = d_really_is_negative(d.child) ? -ENOENT :
	      om_srv_may_remove(x, d.dir.mnt, d.child);
	if (!err && dir)
		err = vfs_rmdir(om_nop_idmap, dinode, d.child);
	else if (!err)
		err = vfs_unlink(om_nop_idmap, dinode, d.child, NULL);
	if (!err) {
		x->a.type = OM_MFS_R_OK;
		om_srv_forget(d.child);
	}
	om_srv_dir_end(&d);
	return err;
}

static int om_srv_rename(struct om_srv_ctx *x)
{
	const struct om_mfs_rename *r = &x->q.rename;
	struct dentry *trap, *od = NULL, *nd = NULL;
	struct renamedata rd = {};
	struct path op, np;
	int err;

	err = om_srv_fh_use(x, &r->odir, OM_MFS_NEED_WRITE, &op, NULL);
	if (err)
		return err;
	err = om_srv_fh_use(x, &r->ndir, OM_MFS_NEED_WRITE, &np, NULL);
	if (err)
		goto out_op;
	err = -EXDEV;
	if (op.mnt != np.mnt)
		goto out_np;
	err = -ENOTDIR;
	if (!d_is_dir(op.dentry) || !d_is_dir(np.dentry))
		goto out_np;
	err = mnt_want_write(op.mnt);
	if (err)
		goto out_np;
	trap = lock_rename(np.dentry, op.dentry);
	if (IS_ERR(trap)) {
		err = PTR_ERR(trap);
		goto out_write;
	}
	od = lookup_one_len(r->oname.s, op.dentry, r->oname.len);
	if (IS_ERR(od)) {
		err = PTR_ERR(od);
		od = NULL;
		goto out_unlock;
	}
	err = -ENOENT;
	if (d_really_is_negative(od))
		goto out_unlock;
	err = -EINVAL;
	if (od == trap)
		goto out_unlock;
	nd = lookup_one_len(r->nname.s, np.dentry, r->nname.len);
	if (IS_ERR(nd)) {
		err = PTR_ERR(nd);
		nd = NULL;
		goto out_unlock;
	}
	err = -EEXIST;
	if ((r->flags & OM_MFS_RENAME_NOREPLACE) && d_really_is_positive(nd))
		goto out_unlock;
	err = -ENOENT;
	if ((r->flags & OM_MFS_RENAME_EXCHANGE) && d_really_is_negative(nd))
		goto out_unlock;
	err = r->flags & OM_MFS_RENAME_EXCHANGE ? -EINVAL : -ENOTEMPTY;
	if (nd == trap)
		goto out_unlock;
	/* exports and the way to them stay where they are */
	err = om_srv_may_remove(x, op.mnt, od);
	if (!err)
		err = om_srv_may_remove(x, np.mnt, nd);
	if (err)
		goto out_unlock;
	om_renamedata_idmap(&rd);
	rd.old_dir = d_inode(op.dentry);
	rd.old_dentry = od;
	rd.new_dir = d_inode(np.dentry);
	rd.new_dentry = nd;
	rd.flags = (r->flags & OM_MFS_RENAME_NOREPLACE ? RENAME_NOREPLACE : 0) |
		   (r->flags & OM_MFS_RENAME_EXCHANGE ? RENAME_EXCHANGE : 0);
	err = vfs_rename(&rd);
	if (!err)
		x->a.type = OM_MFS_R_OK;
out_unlock:
	unlock_rename(np.dentry, op.dentry);
	/* a file the rename replaced: its handles go */
	if (!err && nd && !(r->flags & OM_MFS_RENAME_EXCHANGE))
		om_srv_forget(nd);
	dput(nd);
	dput(od);
out_write:
	mnt_drop_write(op.mnt);
out_np:
	path_put(&np);
out_op:
	path_put(&op);
	return err;
}

static int om_srv_readlink(struct om_srv_ctx *x)
{
	DEFINE_DELAYED_CALL(done);
	const char *link;
	struct path p;
	size_t n;
	int err = om_srv_fh_use(x, &x->q.readlink.fh, OM_MFS_NEED_READ, &p, NULL);

	if (err)
		return err;
	err = -EINVAL;
	if (!d_is_symlink(p.dentry))
		goto out;
	link = vfs_get_link(p.dentry, &done);
	if (IS_ERR(link)) {
		err = PTR_ERR(link);
		goto out;
	}
	n = strnlen(link, OM_MFS_TARGET_MAX + 1);
	err = -ENAMETOOLONG;
	if (n && n <= OM_MFS_TARGET_MAX) {
		err = -ENOMEM;
		x->target = kmemdup(link, n, GFP_KERNEL);
		if (x->target) {
			x->a.type = OM_MFS_R_TARGET;
			x->a.target.s = x->target;
			x->a.target.len = n;
			err = 0;
		}
	} else if (!n) {
		err = -EIO;
	}
	do_delayed_call(&done);
out:
	path_put(&p);
	return err;
}

static int om_srv_fsync(struct om_srv_ctx *x)
{
	struct file *f;
	struct path p;
	int err = om_srv_fh_use(x, &x->q.fsync.fh, OM_MFS_NEED_SEE, &p, NULL);

	if (err)
		return err;
	err = -EINVAL;
	if (d_is_reg(p.dentry) || d_is_dir(p.dentry)) {
		f = dentry_open(&p, O_RDONLY | O_LARGEFILE, current_cred());
		err = PTR_ERR_OR_ZERO(f);
		if (!err) {
			err = vfs_fsync(f, x->q.fsync.flags & OM_MFS_FSYNC_DATA);
			fput(f);
		}
	}
	path_put(&p);
	if (!err)
		x->a.type = OM_MFS_R_OK;
	return err;
}

static int om_srv_statfs(struct om_srv_ctx *x)
{
	struct om_mfs_fsstat *o = &x->a.fsstat;
	struct kstatfs k;
	struct path p;
	int err = om_srv_fh_use(x, &x->q.statfs.fh, OM_MFS_NEED_SEE, &p, NULL);

	if (err)
		return err;
	err = vfs_statfs(&p, &k);
	path_put(&p);
	if (err)
		return err;
	/* what the filesystem says, clamped into the protocol's ranges */
	x->a.type = OM_MFS_R_STATFS;
	o->bsize = k.f_bsize > 0 && k.f_bsize <= OM_MFS_BLKSIZE_MAX ?
		   k.f_bsize : PAGE_SIZE;
	o->namelen = k.f_namelen > 0 && k.f_namelen <= OM_MFS_NAME_MAX ?
		     k.f_namelen : OM_MFS_NAME_MAX;
	o->blocks = k.f_blocks;
	o->bfree = min_t(u64, k.f_bfree, o->blocks);
	o->bavail = min_t(u64, k.f_bavail, o->blocks);
	o->files = k.f_files;
	o->ffree = min_t(u64, k.f_ffree, o->files);
	return 0;
}

static int om_srv_dispatch(struct om_srv_ctx *x)
{
	switch (x->q.type) {
	case OM_MFS_ROOT:
		return om_srv_root_op(x);
	case OM_MFS_LOOKUP:
		return om_srv_lookup(x);
	case OM_MFS_GETATTR:
		return om_srv_getattr(x);
	case OM_MFS_SETATTR:
		return om_srv_setattr(x);
	case OM_MFS_READDIR:
	case OM_MFS_READDIRPLUS:
		return om_srv_readdir(x);
	case OM_MFS_READ:
		return om_srv_read(x);
	case OM_MFS_WRITE:
		return om_srv_write(x);
	case OM_MFS_CREATE:
		return om_srv_create(x);
	case OM_MFS_MKDIR:
		return om_srv_mkdir(x);
	case OM_MFS_SYMLINK:
		return om_srv_symlink(x);
	case OM_MFS_READLINK:
		return om_srv_readlink(x);
	case OM_MFS_LINK:
		return om_srv_link(x);
	case OM_MFS_UNLINK:
		return om_srv_remove(x, &x->q.unlink, false);
	case OM_MFS_RMDIR:
		return om_srv_remove(x, &x->q.rmdir, true);
	case OM_MFS_RENAME:
		return om_srv_rename(x);
	case OM_MFS_FSYNC:
		return om_srv_fsync(x);
	case OM_MFS_STATFS:
		return om_srv_statfs(x);
	}
	return -EOPNOTSUPP;
}

/* ---- Replies ---- */

/* Is the node that asked still up?  If not, no reply reaches it */
static bool om_srv_peer_up(u16 id)
{
	struct om_node *n;
	bool up;

	if (id == om_self_id())
		return true;
	mutex_lock(&om_nodes_lock);
	n = om_node_find(id);
	up = n && n->up && !(n->flags & OM_NF_BLOCKED);
	mutex_unlock(&om_nodes_lock);
	return up;
}

/* Is the node's wait for a connection, begun at since, still on? */
static bool om_srv_conn_waiting(void *since)
{
	unsigned long now = jiffies - INITIAL_JIFFIES;

	return now - xa_to_value(since) < OM_SRV_CONN_WAIT;
}

/*
 * May a reply to node wait on for a connection?  Only within
 * OM_SRV_CONN_WAIT of the first reply that found none: a client that
 * hung up with a full queue would otherwise hold the workers for 3 s
 * per request it left until the node is declared down.
 */
static bool om_srv_conn_wait(u16 to)
{
	void *since = xa_load(&om_srv_noconn, to);

	if (!since) {
		/* no memory: wait as if it had just begun */
		xa_store(&om_srv_noconn, to,
			 xa_mk_value(jiffies - INITIAL_JIFFIES), GFP_KERNEL);
		return true;
	}
	return om_srv_conn_waiting(since);
}

/*
 * Has the node hung up?  Its replies found no connection for
 * OM_SRV_CONN_WAIT and it has none now: its replies are not waited for,
 * so its requests are not run either (they would only keep workers
 * from other nodes' requests).  A node connected again is served.
 */
static bool om_srv_client_gone(u16 node)
{
	void *since = xa_load(&om_srv_noconn, node);

	if (!since || om_srv_conn_waiting(since))
		return false;
	if (!om_transport_connected(node))
		return true;
	xa_erase(&om_srv_noconn, node);
	return false;
}

/*
 * The send found no connection, or one that is ending or just broke (the
 * transport shut it down): the node's next connection may take the reply.
 */
static bool om_srv_conn_lost(int err)
{
	return err == -ENOTCONN || err == -EPIPE || err == -ECONNRESET ||
	       err == -EAGAIN;
}

/* 0, or <0 when the reply does not encode (a bug) */
static int om_srv_send(u16 to, const struct om_mfs_msg *a, u8 *buf, u32 cap,
		       bool wait)
{
	int n = om_mfs_encode(a, buf, cap);
	int tries, err;

	if (n < 0)
		return n;
	/* it trusts our promises a lease after its request: we answer now */
	om_mfs_watch_answered(to);
	if (to == om_self_id()) {
		om_mfs_rpc_rx(to, a->type, buf, n);
		return 0;
	}
	/*
	 * The request came on a connection, which may have closed since
	 * (idle, or both nodes connected at once): wait a little for the
	 * next, while the node is up: a node gone has given up its calls,
	 * and a worker waiting for it would hold up everyone's requests.
	 * A reply still lost is the client's timeout.
	 */
	for (tries = 0; tries < OM_SRV_SEND_TRIES; tries++) {
		err = om_transport_send(to, a->type, buf, n);
		if (!err) {
			if (unlikely(xa_load(&om_srv_noconn, to)))
				xa_erase(&om_srv_noconn, to);
			break;
		}
		if (!om_srv_conn_lost(err) || !wait ||
		    READ_ONCE(om_srv_stopping) || !om_srv_peer_up(to) ||
		    !om_srv_conn_wait(to))
			break;
		msleep(100);
	}
	return 0;
}

/* wait: for a connection, from a worker (not the receive thread) */
static void om_srv_reply_error(u16 to, u64 req_id, int err, bool wait)
{
	struct om_mfs_msg e = {
		.type = OM_MFS_R_ERROR,
		.req_id = req_id,
		/* an errno the protocol carries; anything else is EIO */
		.error.err = err < 0 && err >= -OM_MFS_ERRNO_MAX ? err : -EIO,
	};
	u8 buf[16];

	om_srv_send(to, &e, buf, sizeof(buf), wait);
}

/*
 * The reply of a request that went well: R_DATA and R_DIRENTS are built
 * in place in x->big, the others in a buffer of their own size.  A
 * reply that does not encode is EIO to the client, not its timeout.
 */
static void om_srv_reply(u16 to, struct om_srv_ctx *x)
{
	int n = x->big ? 0 : om_mfs_encode(&x->a, NULL, 0);
	u8 *buf;

	if (x->big) {
		n = om_srv_send(to, &x->a, x->big, x->bigcap, true);
	} else if (n > 0) {
		buf = kmalloc(n, GFP_KERNEL);
		if (!buf) {
			om_srv_reply_error(to, x->a.req_id, -ENOMEM, true);
			return;
		}
		n = om_srv_send(to, &x->a, buf, n, true);
		kfree(buf);
	}
	if (n < 0) {
		pr_warn_ratelimited("mfs: cannot encode %s: %d\n",
				    om_mfs_type_name(x->a.type), n);
		om_srv_reply_error(to, x->a.req_id, -EIO, true);
	}
}

/* Run one request and answer it, in a worker */
static void om_srv_run(const struct om_srv_req *r)
{
	const struct cred *old;
	struct om_srv_ctx *x;
	struct cred *cred;
	int err;

	/*
	 * Unloading: what is still queued goes unanswered (the node goes).
	 * A node that went down meanwhile failed its calls already, and one
	 * that hung up gets no reply: their requests are not run (a flood
	 * one left must not keep the workers).
	 */
	if (READ_ONCE(om_srv_stopping) || !om_srv_peer_up(r->from) ||
	    om_srv_client_gone(r->from))
		return;
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return;
	x->from = r->from;
	err = om_mfs_decode(r->type, r->payload, r->len, &x->q);
	if (err) {
		/* a request we cannot read: say so if it has an id at least */
		u64 id = r->len >= 8 ? get_unaligned_le64(r->payload) : 0;

		pr_debug("mfs: bad %s from node %u: %d\n",
			 om_mfs_type_name(r->type), r->from, err);
		if (id)
			om_srv_reply_error(r->from, id, err, true);
		goto out;
	}
	cred = om_srv_cred(&x->q.cred);
	if (IS_ERR(cred)) {
		om_srv_reply_error(r->from, x->q.req_id, PTR_ERR(cred), true);
		goto out;
	}
	x->ex = om_mfs_exports_get();
	old = override_creds(cred);
	put_cred(cred);
	err = om_srv_dispatch(x);
	revert_creds(old);
	if (err) {
		om_srv_reply_error(r->from, x->q.req_id, err, true);
	} else {
		x->a.req_id = x->q.req_id;
		om_srv_reply(r->from, x);
	}
out:
	om_mfs_exports_put(x->ex);
	kvfree(x->big);
	kfree(x->target);
	kfree(x);
}

/* ---- The queues: one per node, taken in turn ---- */

/*
 * Put p on the ready list or take it off, as it has a request it may
 * run now or not; free it once it has none at all.  om_srv_qlock held;
 * p may be gone afterwards.
 */
static void om_srv_peer_sync(struct om_srv_peer *p)
{
	bool ready = p->queued && p->running < OM_SRV_NODE_RUN;

	lockdep_assert_held(&om_srv_qlock);
	if (ready && list_empty(&p->ready))
		list_add_tail(&p->ready, &om_srv_ready);
	else if (!ready && !list_empty(&p->ready))
		list_del_init(&p->ready);
	if (!p->queued && !p->running && !p->pending) {
		xa_erase(&om_srv_peers, p->node);
		kfree(p);
	}
}

/*
 * One more runner if a request is ready and a runner is free.  A busy
 * runner takes requests until none is ready, so a ready request always
 * has one coming.  om_srv_qlock held.
 */
static void om_srv_kick(void)
{
	unsigned int i;

	lockdep_assert_held(&om_srv_qlock);
	if (list_empty(&om_srv_ready) || om_srv_nbusy >= OM_SRV_WORKERS)
		return;
	for (i = 0; i < OM_SRV_WORKERS; i++) {
		struct om_srv_runner *w = &om_srv_runners[i];

		if (w->busy)
			continue;
		w->busy = true;
		om_srv_nbusy++;
		/* still finishing its last turn: it runs again after */
		queue_work(om_srv_wq, &w->work);
		return;
	}
}

/*
 * The request to run next: the oldest of the first node in turn, which
 * then goes to the end of the turn.  om_srv_qlock held.
 */
static struct om_srv_req *om_srv_next(void)
{
	struct om_srv_peer *p;
	struct om_srv_req *r;

	lockdep_assert_held(&om_srv_qlock);
	p = list_first_entry_or_null(&om_srv_ready, struct om_srv_peer, ready);
	if (!p)
		return NULL;
	r = list_first_entry(&p->reqs, struct om_srv_req, list);
	list_del(&r->list);
	p->queued--;
	p->running++;
	list_del_init(&p->ready);
	om_srv_peer_sync(p);	/* back at the end if it may run another */
	return r;
}

static void om_srv_runner_fn(struct work_struct *work)
{
	struct om_srv_runner *w = container_of(work, struct om_srv_runner, work);
	struct om_srv_req *r = NULL, *done;

	for (;;) {
		done = r;
		mutex_lock(&om_srv_qlock);
		if (done) {
			done->peer->running--;
			om_srv_peer_sync(done->peer);
			om_srv_nreq--;
		}
		r = om_srv_next();
		if (r) {
			om_srv_kick();	/* more are ready: a second runner */
		} else {
			w->busy = false;
			om_srv_nbusy--;
		}
		mutex_unlock(&om_srv_qlock);
		kvfree(done);
		if (!r)
			return;
		om_srv_run(r);
		cond_resched();
	}
}

/*
 * Count a request of node in, before it is copied: -ENOBUFS when the
 * server is full or the node has its share, -ESHUTDOWN when unloading.
 * om_srv_qlock held.
 */
static int om_srv_reserve(u16 node, struct om_srv_peer **pp)
{
	struct om_srv_peer *p;

	lockdep_assert_held(&om_srv_qlock);
	if (om_srv_stopping)
		return -ESHUTDOWN;
	p = xa_load(&om_srv_peers, node);
	if (om_srv_nreq >= OM_SRV_QUEUED_MAX ||
	    (p && p->queued + p->running + p->pending >= OM_SRV_NODE_MAX))
		return -ENOBUFS;
	if (!p) {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		INIT_LIST_HEAD(&p->ready);
		INIT_LIST_HEAD(&p->reqs);
		p->node = node;
		if (xa_is_err(xa_store(&om_srv_peers, node, p, GFP_KERNEL))) {
			kfree(p);
			return -ENOMEM;
		}
	}
	p->pending++;
	om_srv_nreq++;
	*pp = p;
	return 0;
}

void om_mfs_server_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	struct om_srv_peer *p;
	struct om_srv_req *r;
	bool queued = false;
	int err;

	if (len > OM_WIRE_MAX_PAYLOAD)
		return;
	mutex_lock(&om_srv_qlock);
	err = om_srv_reserve(from, &p);
	mutex_unlock(&om_srv_qlock);
	if (err) {
		u64 id = len >= 8 ? get_unaligned_le64(payload) : 0;

		/* a small frame, also from the receive thread: try later */
		if (err == -ENOBUFS && id && om_mfs_is_request(type))
			om_srv_reply_error(from, id, -ENOBUFS, false);
		return;
	}
	r = kvmalloc(struct_size(r, payload, len), GFP_KERNEL);
	if (r) {
		r->peer = p;
		r->from = from;
		r->type = type;
		r->len = len;
		memcpy(r->payload, payload, len);
	}
	mutex_lock(&om_srv_qlock);
	p->pending--;
	if (r && !om_srv_stopping) {
		list_add_tail(&r->list, &p->reqs);
		p->queued++;
		queued = true;
	} else {
		om_srv_nreq--;
	}
	om_srv_peer_sync(p);
	om_srv_kick();
	mutex_unlock(&om_srv_qlock);
	if (!queued)
		kvfree(r);
}

static void om_srv_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	om_mfs_server_rx(from, type, payload, len);
}

/* Unloading, the workers gone: nothing is queued; free what would be */
static void om_srv_drop_all(void)
{
	struct om_srv_peer *p;
	struct om_srv_req *r, *tmp;
	unsigned long i;

	mutex_lock(&om_srv_qlock);
	xa_for_each(&om_srv_peers, i, p) {
		list_for_each_entry_safe(r, tmp, &p->reqs, list)
			kvfree(r);
		kfree(p);
	}
	xa_destroy(&om_srv_peers);
	INIT_LIST_HEAD(&om_srv_ready);
	om_srv_nreq = 0;
	mutex_unlock(&om_srv_qlock);
}

int om_mfs_server_init(void)
{
	int t, err;

	om_srv_stopping = false;
	om_srv_boot = get_random_u64() | 1;
	for (t = 0; t < OM_SRV_WORKERS; t++) {
		INIT_WORK(&om_srv_runners[t].work, om_srv_runner_fn);
		om_srv_runners[t].busy = false;
	}
	om_srv_nbusy = 0;
	om_srv_nreq = 0;
	err = om_mfs_watch_init();
	if (err)
		return err;
	/* the runners, and the GC beside them */
	om_srv_wq = alloc_workqueue("om_mfs_srv", WQ_UNBOUND, OM_SRV_WORKERS + 1);
	if (!om_srv_wq) {
		om_mfs_watch_exit();
		return -ENOMEM;
	}
	for (t = OM_MFS_REQ_FIRST; t <= OM_MFS_REQ_LAST; t++) {
		err = om_transport_register_handler(t, om_srv_rx);
		if (err)
			goto fail;
	}
	queue_delayed_work(om_srv_wq, &om_srv_gc_work, OM_SRV_GC_EVERY);
	return 0;
fail:
	while (--t >= OM_MFS_REQ_FIRST)
		om_transport_unregister_handler(t);
	destroy_workqueue(om_srv_wq);
	om_mfs_watch_exit();
	return err;
}

void om_mfs_server_exit(void)
{
	int t;

	/* no new requests, then the queued ones run out (unrun) */
	for (t = OM_MFS_REQ_FIRST; t <= OM_MFS_REQ_LAST; t++)
		om_transport_unregister_handler(t);
	mutex_lock(&om_srv_qlock);
	WRITE_ONCE(om_srv_stopping, true);
	mutex_unlock(&om_srv_qlock);
	cancel_delayed_work_sync(&om_srv_gc_work);
	flush_workqueue(om_srv_wq);
	destroy_workqueue(om_srv_wq);
	om_srv_drop_all();
	xa_destroy(&om_srv_noconn);
	/* no promise made from here on; those out are broken */
	om_mfs_watch_exit();
	om_srv_gc(true);
	mutex_lock(&om_srv_lock);
	if (om_srv_root.mnt)
		path_put(&om_srv_root);
	om_srv_root.mnt = NULL;
	om_srv_root.dentry = NULL;
	mutex_unlock(&om_srv_lock);
}
