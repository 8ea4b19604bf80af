// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Lab test only (never installed): the syscall hook the deputy design
 * builds on (Documentation/deputy-hooks.md), with exported symbols only.
 *
 * A task that installed a seccomp filter on itself enters
 * __secure_computing() on every system call.  An ftrace ops with
 * FTRACE_OPS_FL_IPMODIFY on that function (as livepatch registers its
 * own: SAVE_REGS only where DYNAMIC_FTRACE_WITH_ARGS is missing) returns
 * at once unless current is marked and its call is one we serve; then it
 * points the saved IP at om_sechook_handler(), which has
 * __secure_computing()'s signature, runs as that function's body (in
 * process context: it may sleep), stores the result in regs->ax and
 * returns -1: the kernel skips the call, orig_ax stays, so signal
 * restart works as for a real call.  The redirect is a RET into a
 * normal C function, as livepatch does: no indirect branch, IBT-safe.
 *
 * Protocol and counters: om_lab_sechook.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seccomp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/thread_info.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "om_lab_sechook.h"

/* the traced function: by name (ftrace_set_filter), no kallsyms */
#define OM_TARGET "__secure_computing"

struct om_mark {
	struct task_struct *task;	/* a reference while set */
	int fd;				/* its forwarded fd */
};

/* marks: changed under om_lock, read locklessly by the ftrace callback */
static DEFINE_MUTEX(om_lock);
static struct om_mark om_marks[OM_SECHOOK_MAX_MARKS];
static int om_nmarked;
static bool om_hooked;			/* under om_lock */

/* forwarded reads: one posted value at a time */
static DEFINE_SPINLOCK(om_post_lock);
static DECLARE_WAIT_QUEUE_HEAD(om_post_wq);
static bool om_posted;
static u64 om_post_val;
static bool om_closing;			/* module unload: end every wait */

/* handlers redirected to and not yet returned; the unload waits for 0 */
static atomic_t om_inflight = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(om_exit_wq);

/* the counters (om_lab_sechook.h), in the order the status lists them */
enum {
	OM_C_hook, OM_C_marked, OM_C_waiters, OM_C_posted, OM_C_getpid,
	OM_C_getppid, OM_C_time, OM_C_read, OM_C_pread, OM_C_interrupted,
	OM_C_closed, OM_C_atomic, OM_C_NR
};
static const char *const om_cnt_name[OM_C_NR] = {
	"hook", "marked", "waiters", "posted", "getpid", "getppid", "time",
	"read", "pread", "interrupted", "closed", "atomic",
};
static atomic_t om_cnt[OM_C_NR];

static void om_count(int c)
{
	atomic_inc(&om_cnt[c]);
}

/*
 * The 64-bit calls we serve for a marked task (orig_ax; a 32-bit call
 * (int $0x80) has other numbers and is never served; x32 numbers have
 * __X32_SYSCALL_BIT set and match none of these).
 */
static __always_inline bool om_selected(const struct pt_regs *regs, int fd)
{
	switch (regs->orig_ax) {
	case __NR_getpid:
	case __NR_getppid:
	case __NR_time:
		return true;
	case __NR_read:
	case __NR_pread64:
		return (int)regs->di == fd;
	}
	return false;
}

/*
 * Wait for a posted value: interruptibly (any signal ends the wait with
 * -ERESTARTSYS, which the signal code turns into a restart or -EINTR) or
 * killably (only a fatal signal ends it).
 */
static long om_wait_value(bool killable, u64 *val)
{
	long ret;

	atomic_inc(&om_cnt[OM_C_waiters]);
	for (;;) {
		if (killable)
			ret = wait_event_killable(om_post_wq,
						  READ_ONCE(om_posted) || READ_ONCE(om_closing));
		else
			ret = wait_event_interruptible(om_post_wq,
						       READ_ONCE(om_posted) ||
						       READ_ONCE(om_closing));
		if (ret) {
			om_count(OM_C_interrupted);
			/*
			 * A restart code reaches user space as errno 512+ unless
			 * a signal is pending; the wait returns it only then,
			 * but the deputy's rule is kept here too.
			 */
			if (!signal_pending(current))
				ret = -EINTR;
			break;
		}
		spin_lock(&om_post_lock);
		if (om_posted) {
			om_posted = false;
			*val = om_post_val;
			spin_unlock(&om_post_lock);
			break;
		}
		spin_unlock(&om_post_lock);
		if (READ_ONCE(om_closing)) {
			om_count(OM_C_closed);
			ret = -EIO;
			break;
		}
		/* another waiter took it: wait again */
	}
	atomic_dec(&om_cnt[OM_C_waiters]);
	return ret;
}

/* read(fd, buf, n) and pread64(fd, buf, n, pos): the value, 8 bytes */
static long om_forward_read(const struct pt_regs *regs, bool killable)
{
	void __user *buf = (void __user *)regs->si;
	u64 val = 0;
	long ret;

	if (regs->dx < sizeof(val))
		return -EINVAL;
	ret = om_wait_value(killable, &val);
	if (ret)
		return ret;
	if (copy_to_user(buf, &val, sizeof(val)))
		return -EFAULT;
	return sizeof(val);
}

/*
 * Runs instead of __secure_computing() (same signature), as the body of
 * that call in the syscall entry (or the vsyscall emulation).  May
 * sleep.  Returns -1 with the result in regs->ax: the call is skipped.
 */
static int om_sechook_handler(const struct seccomp_data *sd)
{
	struct pt_regs *regs = current_pt_regs();
	long ret;

	if (!preemptible())
		om_count(OM_C_atomic);
	switch (regs->orig_ax) {
	case __NR_getpid:
		om_count(OM_C_getpid);
		ret = task_tgid_vnr(current);
		break;
	case __NR_getppid:
		om_count(OM_C_getppid);
		ret = OM_SECHOOK_MAGIC_PPID;
		break;
	case __NR_time:
		om_count(OM_C_time);
		ret = OM_SECHOOK_MAGIC_TIME;
		if (regs->di &&
		    put_user(ret, (__kernel_old_time_t __user *)regs->di))
			ret = -EFAULT;
		break;
	case __NR_read:
		om_count(OM_C_read);
		ret = om_forward_read(regs, false);
		break;
	case __NR_pread64:
		om_count(OM_C_pread);
		ret = om_forward_read(regs, true);
		break;
	default:
		/* unreachable: the callback selects only the calls above */
		ret = -EINVAL;
		break;
	}
	syscall_set_return_value(current, regs, ret < 0 ? (int)ret : 0, ret);
	/*
	 * Last: the unload waits for om_inflight == 0 and then for an RCU
	 * tasks grace period, which covers the few instructions left here
	 * (no voluntary schedule after this point).
	 */
	if (atomic_dec_and_test(&om_inflight))
		wake_up(&om_exit_wq);
	return -1;
}

/*
 * The ftrace callback, before every __secure_computing() while the ops
 * is registered: for every system call of every task with a seccomp
 * filter.  Must stay cheap and must not sleep.
 */
static void notrace om_sechook_ftrace(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	int i;

	if (likely(!READ_ONCE(om_nmarked)))
		return;
	for (i = 0; i < OM_SECHOOK_MAX_MARKS; i++) {
		/* pairs with om_mark()'s release: the slot's fd is set */
		if (smp_load_acquire(&om_marks[i].task) != current)
			continue;
		if (in_ia32_syscall() ||
		    !om_selected(current_pt_regs(), READ_ONCE(om_marks[i].fd)))
			return;
		atomic_inc(&om_inflight);
		om_ftrace_set_ip(fregs, (unsigned long)om_sechook_handler);
		return;
	}
}

static struct ftrace_ops om_ops = {
	.func = om_sechook_ftrace,
	/* as livepatch (kernel/livepatch/patch.c klp_patch_func()) */
	.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
		 | FTRACE_OPS_FL_SAVE_REGS
#endif
		 ,
};

/* under om_lock */
static int om_hook_set(bool on)
{
	int ret = 0;

	if (on == om_hooked)
		return 0;
	if (on)
		ret = register_ftrace_function(&om_ops);
	else
		ret = unregister_ftrace_function(&om_ops);
	if (ret) {
		pr_err("%sregister_ftrace_function(" OM_TARGET "): %d\n", on ? "" : "un",
		       ret);
		return ret;
	}
	om_hooked = on;
	atomic_set(&om_cnt[OM_C_hook], on);
	return 0;
}

/* under om_lock; the file's mark slot + 1 in private_data, 0 if none */
static void om_unmark(struct file *file)
{
	long slot = (long)file->private_data - 1;
	struct task_struct *t;

	if (slot < 0)
		return;
	t = om_marks[slot].task;
	/* (release only for symmetry: a cleared slot is never read further) */
	smp_store_release(&om_marks[slot].task, NULL);
	WRITE_ONCE(om_nmarked, om_nmarked - 1);
	atomic_dec(&om_cnt[OM_C_marked]);
	file->private_data = NULL;
	/* the callback only compares the pointer: no grace period needed */
	put_task_struct(t);
}

/* under om_lock */
static int om_mark(struct file *file, int fd)
{
	struct file *f;
	int i;

	if (file->private_data)
		return -EBUSY;
	f = fget(fd);
	if (!f)
		return -EBADF;
	fput(f);
	if (f != file)
		return -EINVAL;	/* FD must be the file written to */
	for (i = 0; i < OM_SECHOOK_MAX_MARKS; i++)
		if (!om_marks[i].task)
			break;
	if (i == OM_SECHOOK_MAX_MARKS)
		return -ENOSPC;
	WRITE_ONCE(om_marks[i].fd, fd);
	get_task_struct(current);
	/* the fd before the task: the callback reads them in that order */
	smp_store_release(&om_marks[i].task, current);
	WRITE_ONCE(om_nmarked, om_nmarked + 1);
	atomic_inc(&om_cnt[OM_C_marked]);
	file->private_data = (void *)(long)(i + 1);
	return 0;
}

static int om_post(u64 val)
{
	int ret = 0;

	spin_lock(&om_post_lock);
	if (om_posted) {
		ret = -EBUSY;
	} else {
		om_post_val = val;
		om_posted = true;
	}
	spin_unlock(&om_post_lock);
	if (!ret)
		wake_up(&om_post_wq);
	return ret;
}

static ssize_t om_ctl_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *pos)
{
	char buf[48], *arg;
	u64 val;
	int ret, n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	arg = strchr(buf, ' ');
	if (arg)
		*arg++ = '\0';

	if (!strcmp(buf, "post")) {
		if (!arg || kstrtou64(arg, 0, &val))
			return -EINVAL;
		ret = om_post(val);
		return ret ? ret : len;
	}
	if (mutex_lock_interruptible(&om_lock))
		return -ERESTARTSYS;
	ret = 0;
	if (!strcmp(buf, "mark") && arg && !kstrtoint(arg, 10, &n))
		ret = om_mark(file, n);
	else if (!strcmp(buf, "unmark") && !arg && file->private_data)
		om_unmark(file);
	else if (!strcmp(buf, "unmark") && !arg)
		ret = -ENOENT;
	else if (!strcmp(buf, "hook") && arg && !kstrtoint(arg, 10, &n) && (n == 0 || n == 1))
		ret = om_hook_set(n);
	else
		ret = -EINVAL;
	mutex_unlock(&om_lock);
	return ret ? ret : len;
}

static ssize_t om_ctl_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *pos)
{
	char buf[384];
	int i, n = 0;

	atomic_set(&om_cnt[OM_C_posted], READ_ONCE(om_posted));
	for (i = 0; i < OM_C_NR; i++)
		n += scnprintf(buf + n, sizeof(buf) - n, "%s %d\n", om_cnt_name[i],
			       atomic_read(&om_cnt[i]));
	return simple_read_from_buffer(ubuf, len, pos, buf, n);
}

static int om_ctl_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;
	return 0;
}

/* on the last close, or for every open file at remove_proc_entry() */
static int om_ctl_release(struct inode *inode, struct file *file)
{
	mutex_lock(&om_lock);
	om_unmark(file);
	mutex_unlock(&om_lock);
	return 0;
}

static const struct proc_ops om_ctl_ops = {
	.proc_open = om_ctl_open,
	.proc_read = om_ctl_read,
	.proc_write = om_ctl_write,
	.proc_lseek = default_llseek,
	.proc_release = om_ctl_release,
};

static int __init om_sechook_init(void)
{
	unsigned char target[] = OM_TARGET;	/* ftrace may write into it */
	int ret;

	/* an empty filter would trace every function: check the result */
	ret = ftrace_set_filter(&om_ops, target, strlen(OM_TARGET), 1);
	if (ret) {
		pr_err("ftrace_set_filter(" OM_TARGET "): %d\n", ret);
		return ret;
	}
	mutex_lock(&om_lock);
	ret = om_hook_set(true);
	mutex_unlock(&om_lock);
	if (ret)
		goto out_filter;
	if (!proc_create(OM_SECHOOK_NAME, 0600, NULL, &om_ctl_ops)) {
		ret = -ENOMEM;
		goto out_hook;
	}
	pr_info("redirecting " OM_TARGET " of marked tasks\n");
	return 0;

out_hook:
	mutex_lock(&om_lock);
	if (om_hook_set(false)) {
		/* registered with nothing marked: the callback returns at once */
		mutex_unlock(&om_lock);
		return ret;
	}
	mutex_unlock(&om_lock);
out_filter:
	ftrace_free_filter(&om_ops);
	return ret;
}

static void __exit om_sechook_exit(void)
{
	int ret;

	/* closes every open file: every mark goes (om_ctl_release) */
	remove_proc_entry(OM_SECHOOK_NAME, NULL);
	/* no callback runs, nor is on its trampoline, after this */
	mutex_lock(&om_lock);
	ret = om_hook_set(false);
	mutex_unlock(&om_lock);
	/* every handler redirected to returns */
	WRITE_ONCE(om_closing, true);
	wake_up_all(&om_post_wq);
	wait_event(om_exit_wq, !atomic_read(&om_inflight));
	/* and has left this module's text (see om_sechook_handler()) */
	synchronize_rcu_tasks();
	/* (only -ENODEV, ftrace shut down after an anomaly: it calls nothing) */
	if (!ret)
		ftrace_free_filter(&om_ops);
	pr_info("unloaded\n");
}

module_init(om_sechook_init);
module_exit(om_sechook_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("openMosix-NG lab test: seccomp + ftrace syscall hook of the deputy design");
