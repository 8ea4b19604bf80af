// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * /dev/openmosix and OM_IOC_CHECKPOINT (kmod/uapi/openmosix.h): look the
 * target up in the caller's pid namespace, check permission and the
 * cantmove reasons, freeze it, write the CRIU images into the caller's
 * directory, then kill it or let it run on.  OM_IOC_MIGRATE is a stub
 * until the migration itself exists: it refuses with a reason (and says
 * so to omctl monitor) after the checks every migration will make first.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/mm.h>
#include <linux/sched/coredump.h>
#include <linux/fs_struct.h>
#include <linux/magic.h>
#include <linux/string.h>

#include "om_ckpt.h"
#include "om_migrate.h"
#include "om_ptab.h"

/*
 * An ioctl's request: its first field is its size, which must be ours
 * (old and new omctl never misread each other).  A kernel copy, or an
 * ERR_PTR; kfree() it.
 */
void *om_ioc_req_in(const void __user *ureq, size_t size)
{
	u32 usize;

	if (get_user(usize, (const u32 __user *)ureq))
		return ERR_PTR(-EFAULT);
	if (usize != size)
		return ERR_PTR(-EINVAL);
	return memdup_user(ureq, size);
}

/* What the target is now (mm, exec id, dumpable), for its freeze to re-check */
static void om_ckpt_expect_now(struct task_struct *t, struct om_freeze_expect *exp)
{
	task_lock(t);
	exp->mm = t->mm;
	exp->exec_id = t->self_exec_id;
	exp->dumpable = t->mm ? get_dumpable(t->mm) : 0;
	task_unlock(t);
}

/*
 * The kernel's own decision (the balancer): no caller's permission to
 * check, but the process is imaged as it is now or not at all (an exec
 * in between is refused by the freeze, as for a caller's checkpoint),
 * and within its own root.
 */
int om_ckpt_expect_task(struct task_struct *t, struct om_freeze_expect *exp, char *reason)
{
	if (t->flags & PF_KTHREAD) {
		om_reason(reason, "kernel thread");
		return -EINVAL;
	}
	om_ckpt_expect_now(t, exp);
	if (!exp->mm) {
		om_reason(reason, "no memory (exiting?)");
		return -ESRCH;
	}
	task_lock(t);
	if (!t->fs) {
		task_unlock(t);
		om_reason(reason, "exiting");
		return -ESRCH;
	}
	get_fs_root(t->fs, &exp->root);
	task_unlock(t);
	exp->cred = get_task_cred(t);
	return 0;
}

/*
 * Permission is ptrace-attach permission, for root too.  ptrace_may_access
 * is not exported, but opening /proc/PID/mem runs exactly that check
 * (mm_access with PTRACE_MODE_ATTACH_FSCREDS: uids, capabilities in the
 * target's user namespace, dumpability, Yama, LSMs), atomically with
 * respect to execve(): omctl opens it as the caller and passes the fd,
 * whose private data is the mm it was allowed to attach to.  What the
 * decision rests on goes to the freeze, and the target re-checks it in
 * its own context (om_freeze_check_expect).
 */
int om_ckpt_permitted(struct task_struct *t, int mem_fd,
			     struct om_freeze_expect *exp, char *reason)
{
	struct dentry *d;
	struct file *f;
	int err = 0;

	if (t->flags & PF_KTHREAD) {
		om_reason(reason, "kernel thread");
		return -EINVAL;
	}
	if (mem_fd < 0) {
		om_reason(reason, "permission denied: may not attach to the process as ptrace would (not yours, not dumpable, Yama ptrace_scope or an LSM)");
		return -EPERM;
	}
	f = fget(mem_fd);
	if (!f)
		return -EBADF;
	d = f->f_path.dentry;
	if (d->d_sb->s_magic != PROC_SUPER_MAGIC || strcmp(d->d_name.name, "mem") ||
	    !(f->f_mode & FMODE_READ)) {
		om_reason(reason, "mem_fd is not an open /proc/PID/mem");
		err = -EINVAL;
		goto out;
	}
	if (!uid_eq(f->f_cred->fsuid, current_fsuid()) || f->f_cred->user_ns != current_user_ns()) {
		om_reason(reason, "permission denied: /proc/PID/mem was opened by someone else");
		err = -EPERM;
		goto out;
	}
	om_ckpt_expect_now(t, exp);
	if (!exp->mm || f->private_data != exp->mm) {
		om_reason(reason, "permission denied: /proc/PID/mem is not this process's (it executed a new program?)");
		err = -EPERM;
		goto out;
	}
	exp->cred = get_task_cred(t);
out:
	fput(f);
	return err;
}

/*
 * The image directory: nobody but the caller may be able to put files in
 * it (images are created O_EXCL, but a directory others can write is still
 * where they can read or replace the caller's images).
 */
static int om_ckpt_dir_ok(const struct path *dir, char *reason)
{
	struct inode *inode = d_inode(dir->dentry);
	kuid_t me = current_fsuid();
	bool mine = uid_eq(inode->i_uid, me);

	if (!mine && !uid_eq(inode->i_uid, GLOBAL_ROOT_UID)) {
		om_reason(reason, "image directory belongs to someone else: use a directory of your own");
		return -EPERM;
	}
	if ((inode->i_mode & 0022) && !(mine && (inode->i_mode & S_ISVTX))) {
		om_reason(reason, "image directory is writable by others: chmod go-w it, or make it sticky and your own");
		return -EPERM;
	}
	return 0;
}

int om_ckpt_write(struct om_ckpt *c)
{
	int err;

	/* the file table first: its refusals come before any image is written */
	err = om_ckpt_files_collect(c);
	if (!err)
		err = om_dump_mm(c);
	if (!err)
		err = om_ckpt_files_write(c);
	if (!err)
		err = om_dump_write_core(c);
	if (!err)
		err = om_ckpt_files_recheck(c);
	if (!err)
		err = om_dump_write_task(c);
	/* a target that builds the process meanwhile hears so now */
	if (!err && c->out.pages_last && c->out.prepared)
		err = c->out.prepared(c->out.stream_ctx, c->out.bytes);
	/* pages_last: the page data after everything else (a no-op otherwise) */
	if (!err)
		err = om_dump_mm_pages(c);
	om_dump_mm_drop(c);
	if (err)
		om_reason(c->out.reason, "writing the images failed: %d", err);
	return err;
}

static int om_ckpt_run(struct om_ckpt_req *req)
{
	struct om_freeze_expect exp = {};
	struct om_ckpt *c;
	struct task_struct *t;
	struct file *dir;
	struct pid *pid;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->out.reason = req->reason;

	dir = fget(req->dir_fd);
	if (!dir) {
		err = -EBADF;
		goto out_free;
	}
	if (!S_ISDIR(file_inode(dir)->i_mode)) {
		fput(dir);
		err = -ENOTDIR;
		goto out_free;
	}
	c->out.dir = dir->f_path;
	path_get(&c->out.dir);
	fput(dir);
	err = om_ckpt_dir_ok(&c->out.dir, req->reason);
	if (err)
		goto out_dir;

	pid = find_get_pid(req->pid);
	t = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	if (!t) {
		om_reason(req->reason, "no such process");
		err = -ESRCH;
		goto out_dir;
	}
	c->task = t;
	c->pid = task_pid_vnr(t);
	c->pgid = task_pgrp_vnr(t);
	c->sid = task_session_vnr(t);
	if (c->pid != task_tgid_vnr(t)) {
		om_reason(req->reason, "not a process but a thread");
		err = -EINVAL;
		goto out_task;
	}

	err = om_ckpt_permitted(t, req->mem_fd, &exp, req->reason);
	if (err)
		goto out_task;
	err = om_cantmove_task(t, 0, req->reason);
	if (err) {
		put_cred(exp.cred);
		goto out_task;
	}

	c->fz = om_freeze_task(t, &exp, req->reason, &err);
	if (!c->fz)
		goto out_task;

	err = om_ckpt_write(c);
	if (!err && READ_ONCE(c->fz->killed)) {
		om_reason(req->reason, "process was killed during the checkpoint");
		err = -ESRCH;
	}
	req->pages = c->pages;
	req->bytes = c->out.bytes;
	req->vmas = c->n_vmas;
	req->fds = c->fz->st.n_fds;
	om_ckpt_ftab_free(&c->ftab);
	om_freeze_release(c->fz, !err && !(req->flags & OM_CKPT_LEAVE_RUNNING) ?
			  OM_FV_KILL : OM_FV_RESUME);
out_task:
	put_task_struct(t);
out_dir:
	path_put(&c->out.dir);
out_free:
	kfree(c);
	return err;
}

static inline struct om_restore_req __user *ureq_rst(unsigned long arg)
{
	return (struct om_restore_req __user *)arg;
}

static long om_ckpt_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct om_ckpt_req __user *ureq = (void __user *)arg;
	struct om_ckpt_req *req;
	int err;

	if (cmd == OM_IOC_RESTORE)
		return om_restore_ioctl(f, ureq_rst(arg));
	if (cmd == OM_IOC_MIGRATE)
		return om_mig_out_ioctl((struct om_migrate_req __user *)arg);
	if (cmd == OM_IOC_GUEST)
		return om_guest_ioctl(f, (struct om_guest_req __user *)arg);
	if (cmd == OM_IOC_CLUSTER)
		return om_expel_ioctl((struct om_cluster_req __user *)arg);
	if (cmd != OM_IOC_CHECKPOINT)
		return -ENOTTY;
	req = om_ioc_req_in(ureq, sizeof(*req));
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = -EINVAL;
	if (req->flags & ~OM_CKPT_LEAVE_RUNNING || req->pid <= 0 || req->pad)
		goto out;
	memset(req->reason, 0, sizeof(req->reason));
	req->pages = req->bytes = 0;
	req->vmas = req->fds = 0;

	err = om_ckpt_run(req);
	req->reason[sizeof(req->reason) - 1] = 0;
	if (err && req->reason[0])
		pr_debug("checkpoint of %d: %s (%d)\n", req->pid, req->reason, err);
	if (copy_to_user(ureq, req, sizeof(*req)) && !err)
		err = -EFAULT;
out:
	kfree(req);
	return err;
}

static int om_ckpt_open(struct inode *inode, struct file *f)
{
	f->private_data = NULL;	/* a keeper's session (om_mig_in.c) */
	return 0;
}

static int om_ckpt_release(struct inode *inode, struct file *f)
{
	om_guest_keeper_gone(f);
	return 0;
}

static const struct file_operations om_ckpt_fops = {
	.owner = THIS_MODULE,
	.open = om_ckpt_open,
	.release = om_ckpt_release,
	.unlocked_ioctl = om_ckpt_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice om_ckpt_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "openmosix",
	.fops = &om_ckpt_fops,
	.mode = 0666,
};

int om_ckpt_dev_init(void)
{
	return misc_register(&om_ckpt_misc);
}

void om_ckpt_dev_exit(void)
{
	misc_deregister(&om_ckpt_misc);
}
