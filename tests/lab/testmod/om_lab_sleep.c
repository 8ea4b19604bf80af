// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Lab test only: a read of /proc/om_lab_sleep sleeps killably (only
 * SIGKILL wakes it) for up to 120 s, so a scenario can have a process
 * that never reaches a safe point, as a process waiting on a lock or on a
 * network file system would.  Never installed.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>

static ssize_t om_lab_sleep_read(struct file *f, char __user *buf, size_t len,
				 loff_t *pos)
{
	schedule_timeout_killable(120 * HZ);
	return 0;
}

static const struct proc_ops om_lab_sleep_ops = {
	.proc_read = om_lab_sleep_read,
	.proc_lseek = noop_llseek,
};

static int __init om_lab_sleep_init(void)
{
	return proc_create("om_lab_sleep", 0444, NULL, &om_lab_sleep_ops) ? 0 : -ENOMEM;
}

static void __exit om_lab_sleep_exit(void)
{
	remove_proc_entry("om_lab_sleep", NULL);
}

module_init(om_lab_sleep_init);
module_exit(om_lab_sleep_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("openMosix-NG lab test: a killable sleep in a read");
