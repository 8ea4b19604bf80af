/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The process table of migration state (om_ptab.c), the migration
 * events (om_mig_notify), and the process view that omctl proc and
 * /proc/hpc/procs show (om_pview).  For the migration code, for netlink
 * and for /proc/hpc; it needs nothing above the node table.
 */
#ifndef _OM_PTAB_H
#define _OM_PTAB_H

#include <linux/types.h>
#include <linux/sched.h>

#include "openmosix.h"

struct notifier_block;
struct pid_namespace;
struct cred;

/*
 * The migration state of one process (a thread group).  Node ids are
 * those of the node table; om_ptab_get() returns this node's id for
 * "here", so where == home for a process that never left.
 */
struct om_pstate {
	u16 where;		/* node it runs on */
	u16 home;		/* its home node */
	u32 home_pid;		/* guests: its pid at home; else 0 */
	u32 nmigs;		/* migrations so far */
	u64 left_ns;		/* ktime_get_ns() when it left home, 0 if home */
	bool locked;		/* never moved automatically (inherited on fork) */
	bool guest;		/* a guest of this node (home elsewhere) */
	/* the balancing policy below is inherited on fork too */
	u8 hint;		/* enum om_proc_hint */
	u8 node_policy;		/* enum om_proc_nodes */
	u8 n_nodes;		/* entries of nodes[], 0 with OM_NODES_ANY */
	u16 nodes[OM_PROC_NODES_MAX];
	u64 hint_ns;		/* ktime_get_ns() when the hint began to fade */
	/* MFS's per-process links, inherited on fork too (0: none) */
	u16 selected;		/* node behind /mfs/selected (/proc/hpc/selected) */
	u16 magic;		/* node of the last create through /mfs/magic */
};

/*
 * A change of a process's balancing policy (omctl proc set, omctl run):
 * the parts named in 'set' are replaced, the others stay.  Checked by
 * the caller: hint and node_policy in range, n_nodes 1..OM_PROC_NODES_MAX
 * distinct ids with ALLOW/DENY, 0 with ANY.
 */
#define OM_PPOL_LOCK	0x1
#define OM_PPOL_HINT	0x2
#define OM_PPOL_NODES	0x4

struct om_ppol {
	u8 set;			/* OM_PPOL_* */
	bool locked;
	u8 hint;
	u8 node_policy;
	u8 n_nodes;
	u16 nodes[OM_PROC_NODES_MAX];
};

/*
 * What om_ptab_update() callbacks see: where and home are 0 for "this
 * node" (OM_PTAB_HERE), so an entry stays right when this node's id
 * changes.  Set left_ns when the process leaves home, 0 when it is back.
 */
#define OM_PTAB_HERE	0

/*
 * Defaults when the process has no entry: where = home = this node's id
 * (0 while this node has none), unlocked, no migrations, not a guest.
 * Any task, any context (RCU).
 */
void om_ptab_get(struct task_struct *t, struct om_pstate *st);

/*
 * Lock or unlock the process of t against automatic migration.  Process
 * context.  -ESRCH if the process is exiting, -ENOMEM.
 */
int om_ptab_set_locked(struct task_struct *t, bool locked);

/*
 * Change t's balancing policy at once (a new hint starts at full
 * strength).  Process context.  As om_ptab_update.
 */
int om_ptab_set_policy(struct task_struct *t, const struct om_ppol *pol);

/*
 * Set the node behind t's /mfs/selected (OM_PTAB_SEL_SELECTED) or
 * /mfs/magic (OM_PTAB_SEL_MAGIC); 0 clears it.  As om_ptab_update.
 */
enum { OM_PTAB_SEL_SELECTED, OM_PTAB_SEL_MAGIC };
int om_ptab_set_mfs_node(struct task_struct *t, int which, u16 id);

/*
 * Change the state of t's process under the table's spinlock: fn gets
 * the current state (raw: OM_PTAB_HERE for this node) and may change
 * it; it runs atomically and must not sleep.  The entry is created if
 * needed and dropped when the state is back to the defaults.  Process
 * context.  Returns fn's return value (nonzero: nothing is changed),
 * -ESRCH if the process is exiting, -EAGAIN if it is still being forked
 * (it has not inherited its parent's state yet), or -ENOMEM.
 */
typedef int (*om_ptab_fn)(struct om_pstate *st, void *arg);
int om_ptab_update(struct task_struct *t, om_ptab_fn fn, void *arg);

/*
 * Permille of st's cpu/io hint strength left now (1000 .. 0), as the
 * balancer sees it; 0 without a hint.
 */
u32 om_ptab_hint_left(const struct om_pstate *st);

/* Processes with an entry (for tests and statistics) */
unsigned int om_ptab_count(void);

int om_ptab_init(void);
void om_ptab_exit(void);
int om_ptab_selftest(void);	/* part of the migrate component's */

/*
 * Migration events (enum om_mig_event).  The migration code calls
 * om_mig_notify(); netlink subscribes and multicasts OM_CMD_MIG_EVENT.
 * The layers above subscribe in their *_init and unsubscribe in their
 * *_exit; om_mig_notify runs the subscribers in process context (they
 * may sleep), so call it where you could sleep.
 */
struct om_mig_event_info {
	pid_t pid;		/* global pid (init_pid_ns) on this node */
	uid_t uid;		/* real uid (init_user_ns) */
	char comm[TASK_COMM_LEN];
	struct om_pstate st;	/* as om_ptab_get() returns it */
	const char *reason;	/* OM_MEV_FAILED: why; else NULL */
};

int om_mig_notifier_register(struct notifier_block *nb);
void om_mig_notifier_unregister(struct notifier_block *nb);
void om_mig_notify(enum om_mig_event ev, const struct om_mig_event_info *info);
/* The same for a live task: fills pid, uid, comm and st from t. */
void om_mig_notify_task(enum om_mig_event ev, struct task_struct *t,
			const char *reason);

/*
 * The process view: one process as omctl proc and /proc/hpc/procs show
 * it.  om_pview_next() walks the processes (thread group leaders, no
 * kernel threads) of pid namespace ns from pid *nr upward and returns
 * the next one pinned (put_task_struct() it), *nr set to its pid.
 */
struct om_pview {
	pid_t pid;		/* in the viewer's pid namespace */
	uid_t uid;		/* real uid, in the viewer's user namespace */
	char comm[TASK_COMM_LEN];
	struct om_pstate st;
	u64 away_ms;		/* where != home: time since it left home */
	bool cantmove;		/* reason holds why */
	char reason[OM_CKPT_REASON_LEN];
};

struct task_struct *om_pview_next(struct pid_namespace *ns, pid_t *nr);

/*
 * Fill v for t (pinned; may be current).  May sleep (the cantmove checks
 * take t's mmap_lock).  viewer: the credentials of whoever reads it;
 * privileged: CAP_SYS_PTRACE.  Addresses in the cantmove reason (where a
 * mapping is) are only shown to a privileged viewer or one whose uid is
 * every uid of the process, as /proc/PID/maps would be.
 */
void om_pview_fill(struct task_struct *t, struct pid_namespace *ns,
		   const struct cred *viewer, bool privileged,
		   struct om_pview *v);

/*
 * May the caller (current, or a privileged=true caller) lock/unlock t's
 * process: root, or a caller whose real or effective uid is the
 * process's real or effective uid.  Credentials read under RCU.
 */
bool om_pview_may_set(struct task_struct *t, bool privileged);

#endif /* _OM_PTAB_H */
