// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS export list: which trees of this node the MFS server serves
 * (Documentation/mfs.md, "Export list").  Root writes the list to
 * /sys/kernel/openmosix/mfs_exports; each path is resolved there and
 * then, in the writer's mount namespace, and held (mount and dentry):
 * the export is that directory wherever it is renamed to, and its
 * filesystem stays mounted while it is listed.
 *
 * The list is a refcounted snapshot.  The server takes a reference per
 * request (om_mfs_exports_get()), so a request sees one list from start
 * to end while root may replace it at any time; the last reference
 * drops the paths (path_put() may sleep: always from process context,
 * a worker or the writer).  An empty list is no list: NULL.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/limits.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "om_core.h"
#include "om_mfs.h"
#include "common/om_mfs_export.h"

struct om_mfs_export {
	struct path path;
	bool ro;
	char *text;		/* as it reads back: "/srv/pub:ro" */
};

struct om_mfs_exports {
	struct kref ref;
	int n;
	struct om_mfs_export e[];
};

static DEFINE_SPINLOCK(om_exp_lock);	/* om_exp_cur, for get and swap */
static struct om_mfs_exports *om_exp_cur;
static DEFINE_MUTEX(om_exp_set_lock);	/* one writer at a time */

static void om_exp_free(struct om_mfs_exports *ex)
{
	int i;

	for (i = 0; i < ex->n; i++) {
		path_put(&ex->e[i].path);
		kfree(ex->e[i].text);
	}
	kfree(ex);
}

static void om_exp_release(struct kref *ref)
{
	om_exp_free(container_of(ref, struct om_mfs_exports, ref));
}

struct om_mfs_exports *om_mfs_exports_get(void)
{
	struct om_mfs_exports *ex;

	spin_lock(&om_exp_lock);
	ex = om_exp_cur;
	if (ex)
		kref_get(&ex->ref);
	spin_unlock(&om_exp_lock);
	return ex;
}

void om_mfs_exports_put(struct om_mfs_exports *ex)
{
	if (ex)
		kref_put(&ex->ref, om_exp_release);
}

static bool om_exp_same(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

enum om_mfs_vis om_mfs_export_vis(const struct om_mfs_exports *ex,
				  const struct path *p, bool *holds)
{
	const struct om_mfs_export *in = NULL, *e;
	bool h = false;
	int i;

	if (!ex)
		return OM_MFS_VIS_RW;
	for (i = 0; i < ex->n; i++) {
		e = &ex->e[i];
		/* mounts count: under means through the export's mount tree */
		if (path_is_under(p, &e->path)) {
			/* nested exports: the innermost one says ro or rw */
			if (!in || path_is_under(&e->path, &in->path))
				in = e;
			h |= om_exp_same(p, &e->path);
		} else if (!h && (holds || !in) && path_is_under(&e->path, p)) {
			h = true;
		}
	}
	if (holds)
		*holds = h;
	if (in)
		return in->ro ? OM_MFS_VIS_RO : OM_MFS_VIS_RW;
	return h ? OM_MFS_VIS_PATH : OM_MFS_VIS_HIDDEN;
}

/*
 * The name of the child of dir on the way up from exp, or NULL: exp is
 * not below dir, or only below where dir is covered by a mount.
 */
static char *om_exp_child_name(const struct path *exp, const struct path *dir)
{
	struct name_snapshot snap;
	struct dentry *parent;
	struct path cur = *exp;
	char *name = NULL;

	path_get(&cur);
	for (;;) {
		if (cur.dentry == cur.mnt->mnt_root) {
			/* to where this mount is mounted; 0 at the top */
			if (!follow_up(&cur))
				break;
			continue;
		}
		parent = dget_parent(cur.dentry);
		if (parent == cur.dentry) {	/* a root that is no mount's */
			dput(parent);
			break;
		}
		if (parent == dir->dentry && cur.mnt == dir->mnt) {
			dput(parent);
			take_dentry_name_snapshot(&snap, cur.dentry);
			name = kmemdup_nul(snap.name.name, snap.name.len, GFP_KERNEL);
			release_dentry_name_snapshot(&snap);
			if (!name)
				name = ERR_PTR(-ENOMEM);
			break;
		}
		dput(cur.dentry);
		cur.dentry = parent;
	}
	path_put(&cur);
	return name;
}

int om_mfs_export_children(const struct om_mfs_exports *ex,
			   const struct path *dir, char **names)
{
	int i, n = 0;
	char *name;

	for (i = 0; ex && i < ex->n; i++) {
		if (om_exp_same(&ex->e[i].path, dir) ||
		    !path_is_under(&ex->e[i].path, dir))
			continue;
		name = om_exp_child_name(&ex->e[i].path, dir);
		if (IS_ERR(name)) {
			om_mfs_export_names_free(names, n);
			return PTR_ERR(name);
		}
		if (name)
			names[n++] = name;
	}
	return n;
}

void om_mfs_export_names_free(char **names, int n)
{
	while (n > 0)
		kfree(names[--n]);
}

/* ---- /sys/kernel/openmosix/mfs_exports ---- */

/* Resolve one entry in the writer's namespace: a directory, and its text */
static int om_exp_resolve(const struct om_mfs_export_tok *t,
			  struct om_mfs_export *e, char *buf)
{
	char *name, *canon;
	int n, err;

	name = kmemdup_nul(t->path, t->len, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	err = kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &e->path);
	if (err)
		goto out;
	err = -ENOTDIR;
	if (!d_is_dir(e->path.dentry))
		goto put;
	/* the path as it reads back: symlinks, "..", "//" resolved */
	canon = d_path(&e->path, buf, PATH_MAX);
	if (IS_ERR(canon)) {
		err = PTR_ERR(canon);
		goto put;
	}
	e->ro = t->ro;
	n = om_mfs_export_format(canon, strlen(canon), t->ro, NULL, 0);
	err = n;
	if (n < 0)	/* it resolved to a name with a blank in it */
		goto put;
	err = -ENOMEM;
	e->text = kmalloc(n + 1, GFP_KERNEL);
	if (!e->text)
		goto put;
	om_mfs_export_format(canon, strlen(canon), t->ro, e->text, n);
	e->text[n] = '\0';
	err = 0;
	goto out;
put:
	path_put(&e->path);
out:
	if (err)
		pr_info("mfs_exports: %s: cannot export it (error %d)\n", name, err);
	kfree(name);
	return err;
}

/* Parse, resolve and check the whole text: a new list, NULL, or an error */
static struct om_mfs_exports *om_exp_build(const char *text, size_t len)
{
	struct om_mfs_export_tok *tok;
	struct om_mfs_exports *ex = NULL;
	size_t bad, total = 0;
	int i, j, n, err;
	char *buf;

	tok = kcalloc(OM_MFS_EXPORTS_MAX, sizeof(*tok), GFP_KERNEL);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	err = -ENOMEM;
	if (!tok || !buf)
		goto out;
	n = om_mfs_export_parse(text, len, tok, OM_MFS_EXPORTS_MAX, &bad);
	err = n;
	if (n < 0) {
		pr_info("mfs_exports: cannot parse the list at byte %zu (error %d)\n",
			bad, n);
		goto out;
	}
	err = 0;
	if (!n)
		goto out;
	err = -ENOMEM;
	ex = kzalloc(struct_size(ex, e, n), GFP_KERNEL);
	if (!ex)
		goto out;
	kref_init(&ex->ref);
	for (i = 0; i < n; i++) {
		err = om_exp_resolve(&tok[i], &ex->e[i], buf);
		if (err)
			goto out;
		ex->n++;
		total += strlen(ex->e[i].text) + 1;
		for (j = 0; j < i; j++) {
			if (om_exp_same(&ex->e[i].path, &ex->e[j].path)) {
				pr_info("mfs_exports: %s listed twice\n",
					ex->e[i].text);
				err = -EINVAL;
				goto out;
			}
		}
	}
	/* the list reads back in one page */
	err = -ENAMETOOLONG;
	if (total >= PAGE_SIZE)
		goto out;
	err = 0;
out:
	kfree(buf);
	kfree(tok);
	if (err && ex) {
		om_exp_free(ex);
		ex = NULL;
	}
	return err ? ERR_PTR(err) : ex;
}

static ssize_t mfs_exports_show(struct kobject *kobj, struct kobj_attribute *attr,
				char *buf)
{
	struct om_mfs_exports *ex = om_mfs_exports_get();
	int i, n = 0;

	for (i = 0; ex && i < ex->n; i++)
		n += sysfs_emit_at(buf, n, "%s\n", ex->e[i].text);
	om_mfs_exports_put(ex);
	return n;
}

static ssize_t mfs_exports_store(struct kobject *kobj, struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	struct om_mfs_exports *ex, *old;
	int n;

	/* the file is root's (0644), and root needs CAP_SYS_ADMIN too */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&om_exp_set_lock);
	ex = om_exp_build(buf, count);
	if (IS_ERR(ex)) {
		mutex_unlock(&om_exp_set_lock);
		return PTR_ERR(ex);
	}
	n = ex ? ex->n : 0;
	spin_lock(&om_exp_lock);
	old = om_exp_cur;
	om_exp_cur = ex;
	spin_unlock(&om_exp_lock);
	mutex_unlock(&om_exp_set_lock);
	/* requests running keep the old list until they end */
	om_mfs_exports_put(old);
	/* what clients were promised may no longer be shown to them */
	om_mfs_watch_break_all();
	if (n)
		pr_info("mfs_exports: a list of %d set by uid %u\n", n,
			from_kuid_munged(&init_user_ns, current_uid()));
	else
		pr_info("mfs_exports: no list (everything served), set by uid %u\n",
			from_kuid_munged(&init_user_ns, current_uid()));
	return count;
}

static struct kobj_attribute om_attr_mfs_exports =
	__ATTR(mfs_exports, 0644, mfs_exports_show, mfs_exports_store);

int om_mfs_export_init(void)
{
	return sysfs_create_file(om_kobj, &om_attr_mfs_exports.attr);
}

void om_mfs_export_exit(void)
{
	struct om_mfs_exports *ex;

	sysfs_remove_file(om_kobj, &om_attr_mfs_exports.attr);
	spin_lock(&om_exp_lock);
	ex = om_exp_cur;
	om_exp_cur = NULL;
	spin_unlock(&om_exp_lock);
	om_mfs_exports_put(ex);
}
