// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * proc: the /proc/hpc view, in the spirit of openMosix's /proc/hpc.
 * For now: /proc/hpc/version and /proc/hpc/nodes/; per-node files arrive
 * with the cluster core.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "om_core.h"

static struct proc_dir_entry *om_proc_root;

static int om_proc_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "openMosix-NG %s\n", OM_VERSION);
	return 0;
}

static int om_proc_selftest(void)
{
	struct file *f = filp_open("/proc/hpc/version", O_RDONLY, 0);
	char buf[32] = "";
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f)) {
		pr_err("proc self-test: open /proc/hpc/version: %ld\n", PTR_ERR(f));
		return PTR_ERR(f);
	}
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n < 0)
		return n;
	if (strncmp(buf, "openMosix-NG ", 13)) {
		pr_err("proc self-test: unexpected version text\n");
		return -EINVAL;
	}
	return 0;
}

static struct om_component om_proc_component = {
	.name = "proc",
	.owner = THIS_MODULE,
	.selftest = om_proc_selftest,
};

int om_proc_init(void)
{
	int ret = -ENOMEM;

	om_proc_root = proc_mkdir("hpc", NULL);
	if (!om_proc_root)
		return -ENOMEM;
	if (!proc_create_single("version", 0444, om_proc_root,
				om_proc_version_show))
		goto err;
	if (!proc_mkdir("nodes", om_proc_root))
		goto err;
	ret = om_component_register(&om_proc_component);
	if (ret)
		goto err;
	return 0;
err:
	proc_remove(om_proc_root);
	return ret;
}

void om_proc_exit(void)
{
	om_component_unregister(&om_proc_component);
	proc_remove(om_proc_root);
}
