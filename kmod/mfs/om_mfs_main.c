// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mfs: the openMosix File System, mounted at /mfs, where
 * /mfs/<node>/path shows node <node>'s files (Documentation/mfs.md).
 * This component brings up its parts (om_mfs.h) in order: the inode
 * cache, the client's call layer, the export list, the server, the
 * HELLO feature that tells peers we take MFS frames, and last the
 * filesystem type that users see; it takes them down in the reverse
 * order.
 */
#include <linux/module.h>
#include <linux/fs.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_mfs.h"

static int om_mfs_selftest(void)
{
	struct file_system_type *t = get_fs_type("mfs");

	if (t != &om_mfs_fs_type) {
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
	int ret;

	ret = om_mfs_inode_init();
	if (ret)
		return ret;
	ret = om_mfs_rpc_init();
	if (ret)
		goto err_inode;
	ret = om_mfs_export_init();
	if (ret)
		goto err_rpc;
	ret = om_mfs_server_init();
	if (ret)
		goto err_export;
	om_transport_set_feature(OM_WIRE_FEAT_MFS, true);
	ret = om_component_register(&om_mfs_component);
	if (ret)
		goto err_server;
	ret = om_mfs_super_init();
	if (ret)
		goto err_component;
	return 0;

err_component:
	om_component_unregister(&om_mfs_component);
err_server:
	om_transport_set_feature(OM_WIRE_FEAT_MFS, false);
	om_mfs_server_exit();
err_export:
	om_mfs_export_exit();
err_rpc:
	om_mfs_rpc_exit();
err_inode:
	om_mfs_inode_exit();
	return ret;
}

void om_mfs_exit(void)
{
	om_mfs_super_exit();
	om_component_unregister(&om_mfs_component);
	om_transport_set_feature(OM_WIRE_FEAT_MFS, false);
	om_mfs_server_exit();
	om_mfs_export_exit();
	om_mfs_rpc_exit();
	om_mfs_inode_exit();
}
