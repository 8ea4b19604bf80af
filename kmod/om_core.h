/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * What the core module "openmosix" offers the component modules
 * (om_migrate, om_mfs, om_proc) and its own files.
 */
#ifndef _OM_CORE_H
#define _OM_CORE_H

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>

/* from the top-level VERSION file, through kmod/Kbuild */
#ifndef OM_VERSION
#error "OM_VERSION is not defined: build through kmod/Kbuild (it reads ../VERSION)"
#endif

/* /sys/kernel/openmosix, valid while the core module is loaded */
extern struct kobject *om_kobj;

/*
 * A component of the suite.  Components register at init and
 * unregister at exit; the core lists them in sysfs and runs their
 * self-tests on request.  selftest returns 0 or a negative errno and
 * logs what failed.
 */
struct om_component {
	const char *name;
	struct module *owner;
	int (*selftest)(void);
	struct list_head list;
};

int om_component_register(struct om_component *c);
void om_component_unregister(struct om_component *c);

int om_selftest_init(void);
void om_selftest_exit(void);
int om_selftest_run_all(unsigned int *passed, unsigned int *failed);
int om_core_selftest(void);

/* tunables, see Documentation/ABI/testing/sysfs-kernel-openmosix */
struct om_tunables {
	unsigned int node_id;
	unsigned int port;
	unsigned int speed;
	unsigned int hb_interval_ms;
	unsigned int hb_timeout_ms;
	unsigned int gossip_interval_ms;
	unsigned int gossip_fanout;
	unsigned int balance;
	unsigned int balance_interval_ms;
	unsigned int load_limit;
	unsigned int stay;		/* no automatic migration away */
	unsigned int lstay;		/* ... of this node's own processes */
	unsigned int quiet;		/* our load is not advertised */
	unsigned int disclosure;
	unsigned int ghost_limit;	/* bytes of a deleted open file a checkpoint saves */
	unsigned int mfs_root;		/* MFS: a peer's root keeps root here (no squash) */
	unsigned int mfs_timeout_ms;	/* MFS: a request unanswered this long is EIO */
	unsigned int mfs_promise_ms;	/* MFS: how long we promise to tell of changes, 0: never */
	unsigned int dfsa_paths;	/* DFSA: deputies send their remotes a view of path calls */
	unsigned int fwd_poll_us;	/* a forwarded call's waiter spins this long before sleeping */
	unsigned int wire_mode;		/* enum om_wire_mode of connections made from now on */
};

/*
 * fwd_poll_us: how long the task of a forwarded call (the guest waiting
 * for its reply, the deputy for the next request) keeps its CPU and
 * watches its connection before it sleeps, as KVM's halt_poll_ns does
 * for a halted vCPU: a frame that comes meanwhile costs no wake-up.
 */
#define OM_FWD_POLL_US_DEF	0
#define OM_FWD_POLL_US_MAX	1000

/* ghost_limit's range: a checkpoint saves deleted files of at most 32 MiB */
#define OM_GHOST_LIMIT_MAX	(32u << 20)

extern struct om_tunables om_tun;

/* components, brought up in this order by om_main.c */
int om_proc_init(void);
void om_proc_exit(void);
int om_mfs_init(void);
void om_mfs_exit(void);
int om_migrate_init(void);
void om_migrate_exit(void);
/* dfsa_paths changed: every deputy's DFSA view again (migrate/om_dfsa_view.c) */
void om_dfsa_view_knob(void);

int om_sysfs_init(void);
void om_sysfs_exit(void);
int om_sysfs_selftest(void);

#endif /* _OM_CORE_H */
