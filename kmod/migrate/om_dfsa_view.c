// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * DFSA for path calls, at home (Documentation/mfs.md, "DFSA"): the
 * deputy tells its remote where the process sees the node's dfsa=1 MFS
 * tree, so that the remote can answer the process's stat(), access()
 * and readlink() of absolute paths there itself (om_dfsa_path.c).
 *
 * The view is built from /proc/self/mountinfo, opened in the deputy's
 * own context (so it lists the process's mount namespace, relative to
 * the process's root), with the deputy's root and credentials kept for
 * the checks; it is read again, and sent again if it changed, from a
 * work item whenever the namespace changes (a wait entry on the
 * namespace's poll queue, which mount, umount, move and remount wake)
 * or the tree's dfsa flag changes (MFS's notifier: a remount in any
 * namespace, or fsconfig's reconfigure, which wakes no poll queue).  An
 * empty view (n = 0) revokes the last one.
 *
 * A mount is in the view only if every one of these holds (else the
 * remote forwards its paths, as before):
 *  - its type is mfs, its root in the filesystem is "/", its options
 *    have neither idmapped nor nosymfollow;
 *  - nothing is mounted on it or anywhere below it (no line has it as
 *    parent), and no other line names the same mount point;
 *  - its mount point, walked from the process's root with the process's
 *    credentials, ends on the root of a mount of the MFS tree with
 *    dfsa=1 (so every directory on the way is searchable by it);
 *  - the process's user namespace is the initial one.
 * At most OM_MIG_DFSA_VIEW_MAX mounts; a mountinfo over 64 KiB or a line
 * the parser refuses gives an empty view.
 *
 * The view is empty, whatever the mounts, while the knob dfsa_paths is 0
 * or AppArmor confines the process: a call served at the remote would
 * escape the confinement, which mediates by path at the caller.  The
 * deputy reads its labels, attr/current and
 * attr/apparmor/current of the procfs its mountinfo is on, in its own
 * context when it starts and again after every call it made for the
 * remote that changed its credentials (change_profile, setuid, ...): a
 * new view then goes before the call's reply.  Any label but
 * "unconfined" or SELinux's policy-less "kernel" confines (a loaded
 * SELinux policy's contexts too: its checks on home's files would not
 * run for calls served away); no such file, EINVAL or EOPNOTSUPP (no
 * such LSM) or nothing does not.  TOMOYO shows no label there and Landlock's
 * domains cannot be seen through exported interfaces (Documentation/
 * mfs.md, "Who gets a view": dfsa_paths 0 where they are used).
 *
 * Sent only to a peer that announced OM_WIRE_FEAT_DFSA_PATHS.  The
 * window: a change reaches the remote one work item and one message
 * later; a call in flight there keeps the view it started with.
 *
 * The cwd record (phase 2, only to a peer that announced
 * OM_WIRE_FEAT_DFSA_REL): when the deputy's cwd (the process's) lies on
 * one of the view's mounts, which one, its path below the mount's root
 * (dentry_path_raw(): the tree's root is the mount's) and MFS's node and
 * handle of it, so that the remote can resolve relative names against
 * the same directory and prove it found that one (om_mfs_dfsa_cwd()).
 * None for a cwd that was removed.  After every call the deputy made for
 * the remote (om_dfsa_view_recheck()), a cwd other than the one the view
 * was built for (chdir, fchdir), or the same one under another path now
 * (a rename at home that home's dcache saw), gives a new view before the
 * call's reply: the remote never resolves a name against an old cwd once
 * the call that moved it returned.  A rename home's dcache did not see
 * (another node's) is the remote's check to catch.
 */
#include <linux/kernel.h>
#include <linux/cred.h>
#include <linux/magic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/notifier.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_migrate.h"
#include "om_mountinfo.h"
#include "om_dfsa_match.h"
#include "mfs/om_mfs_dfsa.h"

#define OM_DFSA_VIEW_READ_MAX	(64 * 1024)	/* mountinfo bytes */
#define OM_DFSA_VIEW_LINES_MAX	4096		/* mountinfo lines */
#define OM_DFSA_LABEL_MAX	64		/* an LSM label's bytes we look at */

/* A view as sent: its paths NUL-terminated in p[] */
struct om_dfsa_vsnap {
	u32 dev;
	u64 attr_mask;
	u8 n;
	struct {
		u32 mnt_id;
		u16 len;
		u8 flags;
		char p[OM_MIG_DFSA_PATH_MAX + 1];
	} m[OM_MIG_DFSA_VIEW_MAX];
	/* the cwd record (has_cwd); cwd_on: the cwd was on a mount of it */
	bool has_cwd, cwd_on;
	u8 cwd_k, cwd_fhlen;
	u16 cwd_node, cwd_len;
	u8 cwd_fh[OM_MIG_DFSA_FH_MAX];
	char cwd[OM_MIG_DFSA_CWD_MAX + 1];
};

/* A deputy's view keeper */
struct om_dfsa_vh {
	struct om_home *h;
	struct list_head list;		/* om_dfsa_views, under om_dfsa_views_lock */
	struct file *mnti;		/* its /proc/self/mountinfo */
	struct path root;		/* its root */
	struct mutex lock;		/* cred, pwd, confined and the work's own */
	const struct cred *cred;	/* its credentials (changed in its context only) */
	struct path pwd;		/* its cwd (changed in its context only) */
	bool rel;			/* the peer takes the cwd record */
	char *cwdbuf;			/* PATH_MAX, under lock: the cwd's path */
	bool confined;			/* a path-based LSM confines it: no view */
	bool told;			/* the log said so */
	poll_table pt;
	wait_queue_head_t *whead;	/* its namespace's poll queue */
	wait_queue_entry_t wait;
	struct work_struct work;
	/* the work's own */
	u32 gen;
	bool sent;			/* last is what the remote has */
	bool off;			/* the peer takes no views */
	struct om_dfsa_vsnap last;
};

static LIST_HEAD(om_dfsa_views);
static DEFINE_MUTEX(om_dfsa_views_lock);

/* A mount point as the codec takes it: canonical, 2..PATH_MAX-1 bytes */
static bool om_dfsa_view_path_ok(const char *p, u32 len)
{
	u32 i, c;

	if (len < OM_MIG_DFSA_PATH_MIN || len > OM_MIG_DFSA_PATH_MAX || p[0] != '/' ||
	    p[len - 1] == '/' || strlen(p) != len)
		return false;
	for (i = 0; i < len; i = c) {
		/* p[i] is '/': the component up to the next one */
		c = i + 1;
		while (c < len && p[c] != '/')
			c++;
		if (c == i + 1 || (c == i + 2 && p[i + 1] == '.') ||
		    (c == i + 3 && p[i + 1] == '.' && p[i + 2] == '.'))
			return false;
	}
	return true;
}

struct om_dfsa_cand {
	const char *mp;
	u32 len, mnt_id;
	u8 flags;
	bool drop;
};

/*
 * The mount point walked from the process's root with its credentials:
 * the root of an MFS mount with dfsa=1?  Then its dev and attribute mask.
 */
static bool om_dfsa_view_check(struct om_dfsa_vh *vh, const char *mp, dev_t *dev,
			       u64 *attr_mask, bool *cwd_here)
{
	const struct cred *old;
	struct kstat ks;
	struct path p;
	bool ok;
	int err;

	old = override_creds(vh->cred);
	err = vfs_path_lookup(vh->root.dentry, vh->root.mnt, mp, LOOKUP_FOLLOW, &p);
	revert_creds(old);
	if (err)
		return false;
	ok = om_mfs_dfsa_mount_of(&p, dev);
	if (ok) {
		/* home's stx_attributes_mask for a file of the tree */
		memset(&ks, 0, sizeof(ks));
		ok = !vfs_getattr(&p, &ks, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
		*attr_mask = (ks.attributes_mask | STATX_ATTR_MOUNT_ROOT) &
			     OM_MIG_DFSA_ATTR_KNOWN;
		*cwd_here = p.mnt == vh->pwd.mnt;
	}
	path_put(&p);
	return ok;
}

/* A cwd path as the codec takes it: canonical and relative, 0..4095 bytes */
static bool om_dfsa_view_cwd_ok(const char *p, size_t len)
{
	size_t i, c;

	for (i = 0; i < len; i = c + 1) {
		c = i;
		while (c < len && p[c] != '/' && p[c])
			c++;
		if ((c < len && !p[c]) || c == i || (c == i + 1 && p[i] == '.') ||
		    (c == i + 2 && p[i] == '.' && p[i + 1] == '.'))
			return false;
	}
	return len <= OM_MIG_DFSA_CWD_MAX;
}

/*
 * The deputy's cwd below its mount's root, into vh->cwdbuf (its length),
 * or -1: removed, too long, not a path the codec takes.  vh->lock held.
 */
static int om_dfsa_view_cwd_text(struct om_dfsa_vh *vh, const char **text)
{
	char *t;
	size_t n;

	if (d_unlinked(vh->pwd.dentry))
		return -1;
	t = dentry_path_raw(vh->pwd.dentry, vh->cwdbuf, PATH_MAX);
	if (IS_ERR(t) || *t != '/')
		return -1;
	t++;		/* "/" is the root: "" */
	n = strlen(t);
	if (!om_dfsa_view_cwd_ok(t, n))
		return -1;
	*text = t;
	return (int)n;
}

/* The cwd record of a view whose mount k the cwd is on (vh->lock held) */
static void om_dfsa_view_cwd(struct om_dfsa_vh *vh, struct om_dfsa_vsnap *v, u8 k)
{
	const char *t;
	int n;

	v->cwd_on = true;
	n = om_dfsa_view_cwd_text(vh, &t);
	if (n < 0 || !om_mfs_dfsa_ident(&vh->pwd, &v->cwd_node, v->cwd_fh, &v->cwd_fhlen))
		return;
	/* the tree's root has no handle, and nothing else lacks one */
	if (!n != !v->cwd_node)
		return;
	v->cwd_k = k;
	v->cwd_len = n;
	memcpy(v->cwd, t, n);
	v->cwd[n] = '\0';
	v->has_cwd = true;
}

/* The view now into *v (n = 0 when there is none) */
static void om_dfsa_view_build(struct om_dfsa_vh *vh, struct om_dfsa_vsnap *v)
{
	struct om_dfsa_cand cand[OM_MIG_DFSA_VIEW_MAX];
	unsigned int nc = 0, np = 0, i, j;
	struct om_mountinfo mi;
	char *buf, *cur, *end;
	u32 *parents = NULL;
	size_t total = 0;
	loff_t pos = 0;
	ssize_t got;
	dev_t dev = 0;
	u64 mask = 0;
	int ret;

	v->n = 0;
	v->dev = 0;
	v->attr_mask = 0;
	v->has_cwd = false;
	v->cwd_on = false;
	if (vh->confined || !READ_ONCE(om_tun.dfsa_paths) || vh->cred->user_ns != &init_user_ns)
		return;
	buf = kvmalloc(OM_DFSA_VIEW_READ_MAX, GFP_KERNEL);
	parents = kvmalloc_array(OM_DFSA_VIEW_LINES_MAX, sizeof(*parents), GFP_KERNEL);
	if (!buf || !parents)
		goto out;
	/* a seq file read from 0 again lists the table as it is now */
	for (;;) {
		got = kernel_read(vh->mnti, buf + total, OM_DFSA_VIEW_READ_MAX - total, &pos);
		if (got < 0)
			goto out;
		if (!got)
			break;
		total += got;
		if (total >= OM_DFSA_VIEW_READ_MAX)
			goto out;	/* too many mounts to be sure of */
	}
	cur = buf;
	end = buf + total;
	while ((ret = om_mountinfo_next(&cur, end, &mi)) > 0) {
		if (np >= OM_DFSA_VIEW_LINES_MAX)
			goto out;
		parents[np++] = mi.parent_id;
		if (strcmp(mi.fstype, "mfs") || strcmp(mi.root, "/") ||
		    (mi.flags & (OM_MNTI_NOSYMFOLLOW | OM_MNTI_IDMAPPED)) ||
		    !om_dfsa_view_path_ok(mi.mnt_point, mi.mnt_point_len) ||
		    !mi.mnt_id || nc >= OM_MIG_DFSA_VIEW_MAX)
			continue;
		cand[nc].mp = mi.mnt_point;
		cand[nc].len = mi.mnt_point_len;
		cand[nc].mnt_id = mi.mnt_id;
		cand[nc].flags = (mi.flags & (OM_MNTI_RO | OM_MNTI_SB_RO)) ?
				 OM_MIG_DFSA_MNT_RO : 0;
		cand[nc].drop = false;
		nc++;
	}
	if (ret < 0)
		goto out;	/* a table we do not understand: no view */
	for (i = 0; i < nc; i++) {
		/* something is mounted on it or below it */
		for (j = 0; j < np && !cand[i].drop; j++)
			if (parents[j] == cand[i].mnt_id)
				cand[i].drop = true;
		/* two mounts with one mount point: which is seen? */
		for (j = i + 1; j < nc; j++)
			if (cand[j].len == cand[i].len && !memcmp(cand[j].mp, cand[i].mp, cand[i].len))
				cand[i].drop = cand[j].drop = true;
	}
	for (i = 0; i < nc; i++) {
		bool here = false;
		dev_t d;
		u64 am;

		if (cand[i].drop || !om_dfsa_view_check(vh, cand[i].mp, &d, &am, &here))
			continue;
		if (dev && (d != dev || am != mask))
			continue;	/* one tree: cannot be */
		dev = d;
		mask = am;
		if (here && vh->rel)
			om_dfsa_view_cwd(vh, v, v->n);
		v->m[v->n].mnt_id = cand[i].mnt_id;
		v->m[v->n].len = cand[i].len;
		v->m[v->n].flags = cand[i].flags;
		memcpy(v->m[v->n].p, cand[i].mp, cand[i].len + 1);
		v->n++;
	}
	if (v->n) {
		v->dev = new_encode_dev(dev);
		v->attr_mask = mask;
		if (!v->dev)
			v->n = 0;	/* the codec's rule: dev 0 is "revoked" */
	}
	if (!v->n)
		v->has_cwd = false;
out:
	kvfree(parents);
	kvfree(buf);
}

static bool om_dfsa_vsnap_eq(const struct om_dfsa_vsnap *a, const struct om_dfsa_vsnap *b)
{
	unsigned int i;

	if (a->n != b->n || a->dev != b->dev || a->attr_mask != b->attr_mask)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->m[i].mnt_id != b->m[i].mnt_id || a->m[i].flags != b->m[i].flags ||
		    a->m[i].len != b->m[i].len || memcmp(a->m[i].p, b->m[i].p, a->m[i].len))
			return false;
	if (a->has_cwd != b->has_cwd)
		return false;
	return !a->has_cwd ||
	       (a->cwd_k == b->cwd_k && a->cwd_node == b->cwd_node &&
		a->cwd_fhlen == b->cwd_fhlen && a->cwd_len == b->cwd_len &&
		!memcmp(a->cwd_fh, b->cwd_fh, a->cwd_fhlen) && !memcmp(a->cwd, b->cwd, a->cwd_len));
}

static int om_dfsa_view_send(struct om_dfsa_vh *vh, const struct om_dfsa_vsnap *v)
{
	struct om_mig_msg *m;
	unsigned int i;
	int err;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->type = OM_MIG_DFSA_VIEW;
	m->dview.gen = vh->gen + 1;
	m->dview.dev = v->dev;
	m->dview.attr_mask = v->attr_mask;
	m->dview.n = v->n;
	for (i = 0; i < v->n; i++) {
		m->dview.mnt[i].path = v->m[i].p;
		m->dview.mnt[i].len = v->m[i].len;
		m->dview.mnt[i].mnt_id = v->m[i].mnt_id;
		m->dview.mnt[i].flags = v->m[i].flags;
	}
	if (v->has_cwd) {
		m->dview.has_cwd = true;
		m->dview.cwd.mnt = v->cwd_k;
		m->dview.cwd.node = v->cwd_node;
		m->dview.cwd.fhlen = v->cwd_fhlen;
		m->dview.cwd.fh = v->cwd_fh;
		m->dview.cwd.len = v->cwd_len;
		m->dview.cwd.path = v->cwd;
	}
	err = om_sess_send(vh->h->s, m);
	kfree(m);
	if (!err)
		vh->gen++;
	return err;
}

/* The view built again, and sent if it changed (the work, or the deputy) */
static void om_dfsa_view_update(struct om_dfsa_vh *vh)
{
	struct om_dfsa_vsnap *v;
	int err;

	mutex_lock(&vh->lock);
	if (vh->off || READ_ONCE(vh->h->s->dead))
		goto out;
	v = kvzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		goto out;	/* the next change tries again */
	om_dfsa_view_build(vh, v);
	/* the first one is sent only if there is something to say */
	if (vh->sent ? !om_dfsa_vsnap_eq(v, &vh->last) : v->n != 0) {
		err = om_dfsa_view_send(vh, v);
		if (err == -EOPNOTSUPP)
			vh->off = true;
		if (err && vh->sent && vh->last.has_cwd) {
			/* the remote must not keep resolving names against that cwd */
			memset(v, 0, sizeof(*v));
			err = om_dfsa_view_send(vh, v);
		}
		if (!err) {
			memcpy(&vh->last, v, sizeof(*v));
			vh->sent = true;
		}
	} else {
		vh->last.cwd_on = v->cwd_on;
	}
	kvfree(v);
out:
	mutex_unlock(&vh->lock);
}

static void om_dfsa_view_work(struct work_struct *w)
{
	om_dfsa_view_update(container_of(w, struct om_dfsa_vh, work));
}

/*
 * One label of the deputy (name below its /proc/<pid>): does it confine?
 * Read with the file's ->read into the deputy's scratch (user memory:
 * procfs's attr files have no ->read_iter for kernel_read()).
 */
static bool om_dfsa_view_label(const struct path *dir, const char *name, unsigned long ubuf)
{
	char buf[OM_DFSA_LABEL_MAX];
	struct file *f;
	struct path p;
	loff_t pos = 0;
	ssize_t got;
	int err;

	err = vfs_path_lookup(dir->dentry, dir->mnt, name, 0, &p);
	if (err)
		return err != -ENOENT;		/* no such LSM, or not built in */
	f = dentry_open(&p, O_RDONLY, current_cred());
	path_put(&p);
	if (IS_ERR(f))
		return true;
	if (f->f_op->read)
		got = f->f_op->read(f, (char __user *)ubuf, sizeof(buf), &pos);
	else
		got = -EINVAL;
	fput(f);
	if (got == -EINVAL || got == -ENOENT || got == -EOPNOTSUPP)
		return false;			/* no such LSM (the file is every LSM's) */
	if (got < 0 || got >= (ssize_t)sizeof(buf) ||
	    copy_from_user(buf, (const void __user *)ubuf, got))
		return true;			/* unknown, or longer than "unconfined" */
	return om_dfsa_label_confined(buf, got);
}

/* Is the deputy confined by a path-based LSM?  Its context, ubuf its scratch. */
static bool om_dfsa_view_confined(struct om_dfsa_vh *vh, unsigned long ubuf)
{
	static const char * const names[] = { "attr/current", "attr/apparmor/current" };
	struct path dir = { .mnt = vh->mnti->f_path.mnt };
	bool confined = false;
	unsigned int i;

	/* the procfs of its mountinfo, and its /proc/<pid>: not one its root could fake */
	if (vh->mnti->f_path.dentry->d_sb->s_magic != PROC_SUPER_MAGIC)
		return true;
	dir.dentry = dget_parent(vh->mnti->f_path.dentry);
	for (i = 0; i < ARRAY_SIZE(names) && !confined; i++)
		confined = om_dfsa_view_label(&dir, names[i], ubuf);
	dput(dir.dentry);
	if (confined && !vh->told) {
		vh->told = true;
		pr_info_ratelimited("process %d (%s): confined by a path-based LSM: its remote makes no path calls (DFSA)\n",
				    task_pid_nr(current), current->comm);
	}
	return confined;
}

/* The namespace changed (its poll queue's lock held, maybe irqs off) */
static int om_dfsa_view_wake(wait_queue_entry_t *wait, unsigned int mode, int sync,
			     void *key)
{
	struct om_dfsa_vh *vh = container_of(wait, struct om_dfsa_vh, wait);

	queue_work(om_mig_wq, &vh->work);
	return 0;
}

static void om_dfsa_view_qproc(struct file *f, wait_queue_head_t *whead, poll_table *pt)
{
	struct om_dfsa_vh *vh = container_of(pt, struct om_dfsa_vh, pt);

	if (vh->whead)
		return;		/* one queue: the namespace's */
	vh->whead = whead;
	init_waitqueue_func_entry(&vh->wait, om_dfsa_view_wake);
	add_wait_queue(whead, &vh->wait);
}

void om_dfsa_view_start(struct om_home *h)
{
	struct om_dfsa_vh *vh;
	struct file *f;
	u32 feat = 0;

	if (h->dview || om_transport_peer_features(h->s->peer, &feat) ||
	    !(feat & OM_WIRE_FEAT_DFSA_PATHS))
		return;
	vh = kvzalloc(sizeof(*vh), GFP_KERNEL);
	if (!vh)
		return;
	/* no /proc in its root: no view, its path calls go home as before */
	f = filp_open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC, 0);
	if (IS_ERR(f)) {
		kvfree(vh);
		return;
	}
	vh->h = h;
	vh->mnti = f;
	get_fs_root(current->fs, &vh->root);
	get_fs_pwd(current->fs, &vh->pwd);
	if (feat & OM_WIRE_FEAT_DFSA_REL) {
		/* no memory: no cwd record, relative names go home as before */
		vh->cwdbuf = kmalloc(PATH_MAX, GFP_KERNEL);
		vh->rel = !!vh->cwdbuf;
	}
	mutex_init(&vh->lock);
	vh->cred = get_current_cred();
	vh->confined = om_dfsa_view_confined(vh, h->scratch);
	INIT_WORK(&vh->work, om_dfsa_view_work);
	INIT_LIST_HEAD(&vh->list);
	init_poll_funcptr(&vh->pt, om_dfsa_view_qproc);
	vfs_poll(f, &vh->pt);
	mutex_lock(&om_dfsa_views_lock);
	list_add(&vh->list, &om_dfsa_views);
	mutex_unlock(&om_dfsa_views_lock);
	h->dview = vh;
	queue_work(om_mig_wq, &vh->work);
}

void om_dfsa_view_stop(struct om_home *h)
{
	struct om_dfsa_vh *vh = xchg(&h->dview, NULL);

	if (!vh)
		return;
	mutex_lock(&om_dfsa_views_lock);
	list_del(&vh->list);
	mutex_unlock(&om_dfsa_views_lock);
	if (vh->whead)
		remove_wait_queue(vh->whead, &vh->wait);
	cancel_work_sync(&vh->work);
	fput(vh->mnti);
	path_put(&vh->root);
	path_put(&vh->pwd);
	kfree(vh->cwdbuf);
	put_cred(vh->cred);
	kvfree(vh);
}

/*
 * Does the deputy's cwd (the same one the view was built for) lie at
 * another path now, or at one now where it had none?  vh->lock held.
 */
static bool om_dfsa_view_cwd_moved(struct om_dfsa_vh *vh)
{
	const char *t;
	int n;

	if (!vh->sent || !vh->last.cwd_on)
		return false;
	n = om_dfsa_view_cwd_text(vh, &t);
	if (!vh->last.has_cwd)
		return n >= 0;
	return n != vh->last.cwd_len || memcmp(t, vh->last.cwd, n);
}

void om_dfsa_view_recheck(struct om_home *h)
{
	struct om_dfsa_vh *vh = h->dview;
	const struct cred *old = NULL;
	struct path pwd, oldpwd = {};
	bool confined = false, update;

	if (!vh)
		return;
	/* vh->cred and vh->pwd change only here, in this context: read without the lock */
	update = current_cred() != vh->cred;
	if (update)
		confined = om_dfsa_view_confined(vh, h->scratch);
	if (vh->rel) {
		get_fs_pwd(current->fs, &pwd);
		if (path_equal(&pwd, &vh->pwd)) {
			path_put(&pwd);
		} else {
			oldpwd = vh->pwd;
			update = true;
		}
	}
	mutex_lock(&vh->lock);
	if (current_cred() != vh->cred) {
		old = vh->cred;
		vh->cred = get_current_cred();
		vh->confined = confined;
	}
	if (oldpwd.dentry)
		vh->pwd = pwd;
	else if (vh->rel && !update)
		update = om_dfsa_view_cwd_moved(vh);
	mutex_unlock(&vh->lock);
	if (old)
		put_cred(old);
	if (oldpwd.dentry)
		path_put(&oldpwd);
	/* now, before the reply: the remote must not serve a call with the old view */
	if (update)
		om_dfsa_view_update(vh);
}

/* Every view again (the tree's dfsa flag, or the knob dfsa_paths, changed) */
static void om_dfsa_view_all(void)
{
	struct om_dfsa_vh *vh;

	mutex_lock(&om_dfsa_views_lock);
	list_for_each_entry(vh, &om_dfsa_views, list)
		queue_work(om_mig_wq, &vh->work);
	mutex_unlock(&om_dfsa_views_lock);
}

void om_dfsa_view_knob(void)
{
	om_dfsa_view_all();
}

static int om_dfsa_view_changed(struct notifier_block *nb, unsigned long what, void *data)
{
	om_dfsa_view_all();
	return NOTIFY_OK;
}

static struct notifier_block om_dfsa_view_nb = {
	.notifier_call = om_dfsa_view_changed,
};

int om_dfsa_view_init(void)
{
	return om_mfs_dfsa_notifier_register(&om_dfsa_view_nb);
}

void om_dfsa_view_exit(void)
{
	om_mfs_dfsa_notifier_unregister(&om_dfsa_view_nb);
}
