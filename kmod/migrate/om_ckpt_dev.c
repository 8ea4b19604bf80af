// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * /dev/openmosix and OM_IOC_CHECKPOINT (kmod/uapi/openmosix.h): look the
 * target up in the caller's pid namespace, check permission and the
 * cantmove reasons, freeze it, write the CRIU images into the caller's
 * directory, then kill it or let it run on.
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

#include "om_ckpt.h"

/* Root may checkpoint anything; others their own dumpable processes. */
static int om_ckpt_permitted(struct task_struct *t, char *reason)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (capable(CAP_SYS_ADMIN) || capable(CAP_CHECKPOINT_RESTORE))
		return 0;
	rcu_read_lock();
	tcred = __task_cred(t);
	ok = uid_eq(cred->uid, tcred->euid) && uid_eq(cred->uid, tcred->suid) &&
	     uid_eq(cred->uid, tcred->uid) && gid_eq(cred->gid, tcred->egid) &&
	     gid_eq(cred->gid, tcred->sgid) && gid_eq(cred->gid, tcred->gid) &&
	     cap_issubset(tcred->cap_permitted, cred->cap_permitted);
	rcu_read_unlock();
	if (!ok) {
		om_reason(reason, "permission denied: not your process");
		return -EPERM;
	}
	task_lock(t);
	ok = t->mm && get_dumpable(t->mm) == SUID_DUMP_USER;
	task_unlock(t);
	if (!ok) {
		om_reason(reason, "permission denied: process is not dumpable");
		return -EPERM;
	}
	return 0;
}

static int om_ckpt_write(struct om_ckpt *c)
{
	int err;

	err = om_dump_mm(c);
	if (!err)
		err = om_ckpt_files_collect(c);
	if (!err)
		err = om_ckpt_files_write(c);
	if (!err)
		err = om_dump_write_core(c);
	if (!err)
		err = om_dump_write_task(c);
	if (err)
		om_reason(c->out.reason, "writing the images failed: %d", err);
	return err;
}

static int om_ckpt_run(struct om_ckpt_req *req)
{
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

	err = om_ckpt_permitted(t, req->reason);
	if (!err)
		err = om_cantmove_task(t, req->reason);
	if (err)
		goto out_task;

	c->fz = om_freeze_task(t, req->reason, &err);
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
	u32 size;
	int err;

	if (cmd == OM_IOC_RESTORE)
		return om_restore_ioctl(f, ureq_rst(arg));
	if (cmd != OM_IOC_CHECKPOINT)
		return -ENOTTY;
	if (get_user(size, &ureq->size))
		return -EFAULT;
	if (size != sizeof(*req))
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(req, ureq, sizeof(*req)))
		goto out;
	err = -EINVAL;
	if (req->flags & ~OM_CKPT_LEAVE_RUNNING || req->pid <= 0)
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

static const struct file_operations om_ckpt_fops = {
	.owner = THIS_MODULE,
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
