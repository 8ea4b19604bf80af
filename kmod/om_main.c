// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The module's entry points: bring the subsystems and components up in
 * order and down in reverse, so "modprobe openmosix" loads the whole
 * suite and "modprobe -r openmosix" removes it.
 *
 * Layers, lowest first: the node table; the transport; load information;
 * /proc/hpc and the other components; genetlink.  Each calls only those
 * below it and hears from them through node events and frame handlers,
 * which it subscribes to in its *_init and drops in its *_exit, so a
 * layer comes up after everything it subscribes to and goes before it.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/fs.h>
#include <net/genetlink.h>

#include "om_core.h"
#include "om_cluster.h"
#include "om_crypto.h"

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run every self-test at load and refuse to load on failure");

module_param_named(node_id, om_tun.node_id, uint, 0444);
MODULE_PARM_DESC(node_id, "Initial node ID (1..65535, 0 = derive from the address)");
module_param_named(port, om_tun.port, uint, 0444);
MODULE_PARM_DESC(port, "Initial TCP port of the cluster transport");
module_param_named(ghost_limit, om_tun.ghost_limit, uint, 0444);
MODULE_PARM_DESC(ghost_limit, "Initial size limit in bytes of a deleted open file a checkpoint saves (0..33554432, default 1 MiB)");
module_param_named(mfs_root, om_tun.mfs_root, uint, 0444);
MODULE_PARM_DESC(mfs_root, "Initial MFS root access: 0 (default) serves other nodes' root as nobody, 1 as root");
module_param_named(balance, om_tun.balance, uint, 0444);
MODULE_PARM_DESC(balance, "1 (default): the automatic load balancer runs from the start, 0: not until /sys/kernel/openmosix/balance says so");

int om_core_selftest(void)
{
	int ret = om_sysfs_selftest();

	return ret ? ret : om_crypto_selftest();
}

static int __init om_mod_init(void)
{
	int ret;

	ret = om_sysfs_init();
	if (ret)
		goto err_sysfs;
	ret = om_selftest_init();
	if (ret)
		goto err_selftest;
	ret = om_node_init();
	if (ret)
		goto err_node;
	ret = om_transport_init();
	if (ret)
		goto err_transport;
	ret = om_info_init();
	if (ret)
		goto err_info;
	ret = om_proc_init();
	if (ret)
		goto err_proc;
	ret = om_mfs_init();
	if (ret)
		goto err_mfs;
	ret = om_migrate_init();
	if (ret)
		goto err_migrate;
	if (selftest) {
		unsigned int passed, failed;

		if (om_selftest_run_all(&passed, &failed)) {
			ret = -ENOTRECOVERABLE;
			goto err_test;
		}
	}
	/* the control plane last: everything it reaches is up */
	ret = om_netlink_init();
	if (ret)
		goto err_netlink;
	pr_info("openMosix-NG %s loaded\n", OM_VERSION);
	return 0;

err_netlink:
err_test:
	om_migrate_exit();
err_migrate:
	om_mfs_exit();
err_mfs:
	om_proc_exit();
err_proc:
	om_info_exit();
err_info:
	om_transport_exit();
err_transport:
	om_node_exit();
err_node:
	om_selftest_exit();
err_selftest:
	om_sysfs_exit();
err_sysfs:
	return ret;
}

static void __exit om_mod_exit(void)
{
	om_netlink_exit();	/* no new requests, no more events */
	om_migrate_exit();
	om_mfs_exit();
	om_proc_exit();
	om_info_exit();
	om_transport_exit();
	om_node_exit();
	om_selftest_exit();
	om_sysfs_exit();
	pr_info("openMosix-NG unloaded\n");
}

module_init(om_mod_init);
module_exit(om_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("openMosix-NG: single-system-image clustering and process migration");
MODULE_AUTHOR("The openMosix-NG developers");
MODULE_VERSION(OM_VERSION);
MODULE_ALIAS_FS("mfs");
/*
 * No MODULE_ALIAS_GENL_FAMILY: resolving the family would then load the
 * suite for any local user (genetlink's request_module checks nothing),
 * and a monitor run after "modprobe -r" would bring the node back.  The
 * administrator loads it (modprobe, the service); the tools say so.
 */
