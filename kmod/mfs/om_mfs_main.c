// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mfs: the openMosix File System, mounted at /mfs, where
 * /mfs/<node>/path shows every node's files.  For now: the filesystem
 * type registers and mounts with an empty root; node directories arrive
 * with the MFS issue.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/fs_context.h>

#include "om_core.h"

#define OM_MFS_MAGIC 0x4d465321	/* "MFS!" */

static int om_mfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	static const struct tree_descr none[] = { { "" } };
	int ret = simple_fill_super(sb, OM_MFS_MAGIC, none);

	if (!ret)
		sb->s_flags |= SB_NOEXEC | SB_NOSUID | SB_NODEV;
	return ret;
}

static int om_mfs_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, om_mfs_fill_super);
}

static const struct fs_context_operations om_mfs_context_ops = {
	.get_tree = om_mfs_get_tree,
};

static int om_mfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &om_mfs_context_ops;
	return 0;
}

static struct file_system_type om_mfs_type = {
	.owner = THIS_MODULE,
	.name = "mfs",
	.init_fs_context = om_mfs_init_fs_context,
	.kill_sb = kill_litter_super,
};

static int om_mfs_selftest(void)
{
	struct file_system_type *t = get_fs_type("mfs");

	if (t != &om_mfs_type) {
		pr_err("mfs self-test: filesystem type not registered\n");
		if (t)
			module_put(t->owner);
		return -ENOENT;
	}
	module_put(t->owner);
	return 0;
}

static struct om_component om_mfs_component = {
	.name = "mfs",
	.owner = THIS_MODULE,
	.selftest = om_mfs_selftest,
};

int om_mfs_init(void)
{
	int ret = register_filesystem(&om_mfs_type);

	if (ret)
		return ret;
	ret = om_component_register(&om_mfs_component);
	if (ret)
		unregister_filesystem(&om_mfs_type);
	return ret;
}

void om_mfs_exit(void)
{
	om_component_unregister(&om_mfs_component);
	unregister_filesystem(&om_mfs_type);
}
