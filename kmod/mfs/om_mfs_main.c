// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mfs: the openMosix File System, mounted at /mfs, where
 * /mfs/<node>/path shows node <node>'s files (Documentation/mfs.md).
 * This component brings up its parts (om_mfs.h) in order: the inode
 * cache, the client's call layer and its promises, the export list, the
 * server (and its promises), the HELLO feature that tells peers we take
 * MFS frames, the counters, and last the filesystem type that users
 * see; it takes them down in the reverse order.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_mfs.h"

/* Counters (Documentation/ABI/testing/sysfs-kernel-openmosix) */
static ssize_t mfs_calls_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%llu\n", om_mfs_rpc_count());
}

static ssize_t mfs_watches_show(struct kobject *kobj, struct kobj_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%u\n", om_mfs_watch_count());
}

static ssize_t mfs_ra_hits_show(struct kobject *kobj, struct kobj_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%llu\n", om_mfs_ra_hit_count());
}

static ssize_t mfs_ra_drops_show(struct kobject *kobj, struct kobj_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%llu\n", om_mfs_ra_drop_count());
}

static struct kobj_attribute om_attr_mfs_calls = __ATTR_RO(mfs_calls);
static struct kobj_attribute om_attr_mfs_watches = __ATTR_RO(mfs_watches);
static struct kobj_attribute om_attr_mfs_ra_hits = __ATTR_RO(mfs_ra_hits);
static struct kobj_attribute om_attr_mfs_ra_drops = __ATTR_RO(mfs_ra_drops);

static struct attribute *om_mfs_attrs[] = {
	&om_attr_mfs_calls.attr,
	&om_attr_mfs_watches.attr,
	&om_attr_mfs_ra_hits.attr,
	&om_attr_mfs_ra_drops.attr,
	NULL,
};

static const struct attribute_group om_mfs_group = {
	.attrs = om_mfs_attrs,
};

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
	ret = om_mfs_promise_init();
	if (ret)
		goto err_rpc_only;
	ret = om_mfs_export_init();
	if (ret)
		goto err_rpc;
	ret = om_mfs_server_init();
	if (ret)
		goto err_export;
	om_transport_set_feature(OM_WIRE_FEAT_MFS, true);
	om_transport_set_feature(OM_WIRE_FEAT_MFS_PLUS, true);
	om_transport_set_feature(OM_WIRE_FEAT_MFS_DATA, true);
	ret = om_component_register(&om_mfs_component);
	if (ret)
		goto err_server;
	ret = sysfs_create_group(om_kobj, &om_mfs_group);
	if (ret)
		goto err_component;
	ret = om_mfs_super_init();
	if (ret)
		goto err_sysfs;
	return 0;

err_sysfs:
	sysfs_remove_group(om_kobj, &om_mfs_group);
err_component:
	om_component_unregister(&om_mfs_component);
err_server:
	om_transport_set_feature(OM_WIRE_FEAT_MFS_DATA, false);
	om_transport_set_feature(OM_WIRE_FEAT_MFS_PLUS, false);
	om_transport_set_feature(OM_WIRE_FEAT_MFS, false);
	om_mfs_server_exit();
err_export:
	om_mfs_export_exit();
err_rpc:
	om_mfs_promise_exit();
err_rpc_only:
	om_mfs_rpc_exit();
err_inode:
	om_mfs_inode_exit();
	return ret;
}

void om_mfs_exit(void)
{
	om_mfs_super_exit();
	sysfs_remove_group(om_kobj, &om_mfs_group);
	om_component_unregister(&om_mfs_component);
	om_transport_set_feature(OM_WIRE_FEAT_MFS_DATA, false);
	om_transport_set_feature(OM_WIRE_FEAT_MFS_PLUS, false);
	om_transport_set_feature(OM_WIRE_FEAT_MFS, false);
	om_mfs_server_exit();
	om_mfs_export_exit();
	om_mfs_promise_exit();
	om_mfs_rpc_exit();
	om_mfs_inode_exit();
}
