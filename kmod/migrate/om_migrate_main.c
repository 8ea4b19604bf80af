// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * migrate: process checkpoint/restore and migration.  The component
 * frame (registration and a self-test that proves the hooking mechanism
 * migration relies on, kprobes on the clone path, is available), and the
 * checkpoint engine (om_ckpt.h: /dev/openmosix, freeze, CRIU images), and
 * the process table of migration state with the migration events
 * (om_ptab.h).
 */
#include <linux/module.h>
#include <linux/kprobes.h>

#include "om_core.h"
#include "om_ckpt.h"
#include "om_migrate.h"
#include "om_ptab.h"
#include "om_transport.h"

static int om_migrate_probe_hit;

static int om_migrate_pre(struct kprobe *p, struct pt_regs *regs)
{
	WRITE_ONCE(om_migrate_probe_hit, 1);
	return 0;
}

/* Migration hooks the clone path; make sure we can. */
static int om_migrate_selftest(void)
{
	struct kprobe kp = {
		.symbol_name = "kernel_clone",
		.pre_handler = om_migrate_pre,
	};
	int ret = register_kprobe(&kp);

	if (ret) {
		pr_err("migrate self-test: cannot kprobe kernel_clone: %d\n", ret);
		return ret;
	}
	unregister_kprobe(&kp);
	return om_ptab_selftest();
}

/*
 * Announce OM_WIRE_FEAT_MIG_PGSTREAM: arriving processes are built while
 * their pages come (Documentation/migration.md); 0 keeps the tmpfs path
 */
static bool om_mig_pgstream = true;
module_param_named(mig_pgstream, om_mig_pgstream, bool, 0444);
MODULE_PARM_DESC(mig_pgstream,
		 "take PREPARE: an arriving process's pages go into it as they come (default 1)");

/* arrivals whose page data went into the process as they came */
atomic64_t om_mig_nstreamed = ATOMIC64_INIT(0);

static ssize_t mig_streamed_show(struct kobject *kobj, struct kobj_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(&om_mig_nstreamed));
}

static struct kobj_attribute om_attr_mig_streamed = __ATTR_RO(mig_streamed);

static struct om_component om_migrate_component = {
	.name = "migrate",
	.owner = THIS_MODULE,
	.selftest = om_migrate_selftest,
};

int om_migrate_init(void)
{
	int err;

	/* in modprobe's context: its vDSO is this node's */
	om_mig_caps_init();
	err = om_ptab_init();
	if (err)
		return err;
	err = om_freeze_init();
	if (err)
		goto out_ptab;
	err = om_hook_init();
	if (err)
		goto out_freeze;
	err = om_session_init();
	if (err)
		goto out_hook;
	err = om_bal_init();
	if (err)
		goto out_session;
	err = om_dfsa_init();
	if (err)
		goto out_bal;
	err = om_ft_init();
	if (err)
		goto out_dfsa;
	/* user-facing last */
	err = sysfs_create_file(om_kobj, &om_attr_mig_streamed.attr);
	if (err)
		goto out_ft;
	err = om_ckpt_dev_init();
	if (err)
		goto out_streamed;
	err = om_component_register(&om_migrate_component);
	if (err)
		goto out_dev;
	if (om_mig_pgstream)
		om_transport_set_feature(OM_WIRE_FEAT_MIG_PGSTREAM, true);
	om_transport_set_feature(OM_WIRE_FEAT_MIG_SIGSEQ, true);
	return 0;
out_dev:
	om_ckpt_dev_exit();
out_streamed:
	sysfs_remove_file(om_kobj, &om_attr_mig_streamed.attr);
out_ft:
	om_ft_exit();
out_dfsa:
	om_dfsa_exit();
out_bal:
	om_bal_exit();
out_session:
	om_session_exit();
out_hook:
	om_hook_exit();
out_freeze:
	om_freeze_exit();
out_ptab:
	om_ptab_exit();
	return err;
}

void om_migrate_exit(void)
{
	om_transport_set_feature(OM_WIRE_FEAT_MIG_SIGSEQ, false);
	om_transport_set_feature(OM_WIRE_FEAT_MIG_PGSTREAM, false);
	om_component_unregister(&om_migrate_component);
	om_ckpt_dev_exit();
	sysfs_remove_file(om_kobj, &om_attr_mig_streamed.attr);
	om_ft_exit();
	om_dfsa_exit();
	om_bal_exit();
	om_session_exit();
	om_hook_exit();
	om_freeze_exit();
	om_ptab_exit();
}
