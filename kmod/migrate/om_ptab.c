// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The process table: migration state of the processes that have any
 * (locked, away, migrated before, guests), and the migration events.
 *
 * Entries are keyed by the process's thread-group struct pid (task_tgid),
 * of which an entry holds a reference: the pointer is the process's for
 * its whole life, across an execve() by a non-leader thread (which
 * changes the leader's task_struct but not the tgid pid), and cannot be
 * reused while the entry exists.  A process without an entry has the
 * defaults (here, home, unlocked), so the table only holds the few that
 * differ; a 256-bucket hash keeps it cheap for thousands.
 *
 * Locking: lookups are RCU, updates take om_ptab_lock (a spinlock: the
 * fork and exit tracepoint probes run with preemption disabled, and every
 * fork and exit on the machine looks the table up, so readers must not
 * take a lock).  Entries are never changed in place: an update publishes
 * a new copy (hlist_replace_rcu) and frees the old one after a grace
 * period, so a reader always copies a consistent state.
 *
 * Lifetime (exported interfaces only, docs/notes: no kernel patch):
 *   - sched_process_fork: a child process (not a thread) inherits its
 *     parent's balancing policy (lock, cpu/io hint, node list), as
 *     openMosix's /proc/PID/lock and decay hints were inherited; the
 *     hint starts fading anew with the child.  The probe runs in the
 *     parent after copy_process() and before wake_up_new_task(): the
 *     child has not run yet, but its pid is already visible, so
 *     om_ptab_update() refuses (-EAGAIN) a task still in TASK_NEW: an
 *     update sees TASK_RUNNING only after the probe has unlocked, so a
 *     set on the child can never be overwritten by, or hide, what it
 *     inherits.  The probe runs in atomic context: its entry comes from
 *     a mempool (GFP_ATOMIC first, then a reserve of OM_PTAB_RESERVE
 *     entries).  If both fail the child starts with no policy: a fork
 *     cannot be failed from here, and the policy is a hint to the
 *     balancer, not a security boundary; the loss is logged (rate
 *     limited) and counted in om_ptab_lost, which the self-test reports.
 *   - sched_process_exit: when the last thread of a process exits
 *     (signal->live reached 0) its entry goes.  An update checks, under
 *     the lock, that the process is still live, so no entry is added
 *     after that.
 * Both probes are found with for_each_kernel_tracepoint() and removed
 * with tracepoint_synchronize_unregister() before the table is emptied.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mempool.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/notifier.h>
#include <linux/srcu.h>
#include <linux/pid.h>
#include <linux/cred.h>
#include <linux/tracepoint.h>
#include <linux/timekeeping.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "om_core.h"
#include "om_node.h"
#include "om_ptab.h"
#include "common/om_balance.h"

#define OM_PTAB_HASH_BITS	8
#define OM_PTAB_RESERVE		16

struct om_ptab_ent {
	struct hlist_node hnode;
	struct pid *pid;	/* the process's tgid pid, a reference */
	struct om_pstate st;	/* raw: OM_PTAB_HERE for this node */
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(om_ptab_hash, OM_PTAB_HASH_BITS);
static DEFINE_SPINLOCK(om_ptab_lock);
static atomic_t om_ptab_n = ATOMIC_INIT(0);
static atomic_t om_ptab_lost = ATOMIC_INIT(0);
static mempool_t *om_ptab_pool;

static bool om_pstate_is_default(const struct om_pstate *st)
{
	return !st->locked && !st->guest && !st->nmigs && !st->home_pid &&
	       !st->left_ns && st->where == OM_PTAB_HERE &&
	       st->home == OM_PTAB_HERE && !st->hint && !st->node_policy &&
	       !st->selected && !st->magic;
}

/*
 * What a child inherits: the balancing policy and MFS's links, nothing
 * of where it runs
 */
static bool om_pstate_has_policy(const struct om_pstate *st)
{
	return st->locked || st->hint || st->node_policy || st->selected || st->magic;
}

/* RCU or om_ptab_lock */
static struct om_ptab_ent *om_ptab_find(struct pid *pid)
{
	struct om_ptab_ent *e;

	hash_for_each_possible_rcu(om_ptab_hash, e, hnode, (unsigned long)pid,
				   lockdep_is_held(&om_ptab_lock))
		if (e->pid == pid)
			return e;
	return NULL;
}

static void om_ptab_free_rcu(struct rcu_head *head)
{
	struct om_ptab_ent *e = container_of(head, struct om_ptab_ent, rcu);

	put_pid(e->pid);
	mempool_free(e, om_ptab_pool);
}

/* om_ptab_lock held */
static void om_ptab_drop(struct om_ptab_ent *e)
{
	hash_del_rcu(&e->hnode);
	atomic_dec(&om_ptab_n);
	call_rcu(&e->rcu, om_ptab_free_rcu);
}

void om_ptab_get(struct task_struct *t, struct om_pstate *st)
{
	u16 self = om_self_id();
	struct om_ptab_ent *e;
	struct pid *pid;

	memset(st, 0, sizeof(*st));
	if (atomic_read(&om_ptab_n)) {
		rcu_read_lock();
		pid = task_tgid(t);
		e = pid ? om_ptab_find(pid) : NULL;
		if (e)
			*st = e->st;
		rcu_read_unlock();
	}
	if (st->where == OM_PTAB_HERE)
		st->where = self;
	if (st->home == OM_PTAB_HERE)
		st->home = self;
}

u32 om_ptab_hint_left(const struct om_pstate *st)
{
	struct om_bal_tun tun;
	u64 now = ktime_get_ns();

	if (!st->hint)
		return 0;
	om_bal_tun_default(&tun);
	return 1000 - om_bal_hint_faded(&tun, now > st->hint_ns ?
					div_u64(now - st->hint_ns, NSEC_PER_MSEC) : 0);
}

unsigned int om_ptab_count(void)
{
	return atomic_read(&om_ptab_n);
}

int om_ptab_update(struct task_struct *t, om_ptab_fn fn, void *arg)
{
	struct om_ptab_ent *e, *old;
	struct pid *pid;
	int ret = 0;

	might_sleep();
	if (!om_ptab_pool)
		return -ENODEV;
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	spin_lock(&om_ptab_lock);
	/* the exit probe drops the entry after live reaches 0: see above */
	pid = task_tgid(t);
	if (!pid || !atomic_read(&t->signal->live)) {
		ret = -ESRCH;
		goto out_free;
	}
	/* not yet through the fork probe (see above) */
	if (READ_ONCE(t->__state) == TASK_NEW) {
		ret = -EAGAIN;
		goto out_free;
	}
	old = om_ptab_find(pid);
	if (old)
		e->st = old->st;
	else
		memset(&e->st, 0, sizeof(e->st));
	ret = fn(&e->st, arg);
	if (ret)
		goto out_free;
	if (om_pstate_is_default(&e->st)) {
		if (old)
			om_ptab_drop(old);
		goto out_free;
	}
	if (old) {
		/* the reference moves to the new copy */
		e->pid = old->pid;
		old->pid = NULL;
		hlist_replace_rcu(&old->hnode, &e->hnode);
		call_rcu(&old->rcu, om_ptab_free_rcu);
	} else {
		e->pid = get_pid(pid);
		hash_add_rcu(om_ptab_hash, &e->hnode, (unsigned long)pid);
		atomic_inc(&om_ptab_n);
	}
	spin_unlock(&om_ptab_lock);
	return 0;
out_free:
	spin_unlock(&om_ptab_lock);
	kfree(e);
	return ret;
}

static int om_ptab_lock_fn(struct om_pstate *st, void *arg)
{
	st->locked = *(bool *)arg;
	return 0;
}

int om_ptab_set_locked(struct task_struct *t, bool locked)
{
	return om_ptab_update(t, om_ptab_lock_fn, &locked);
}

struct om_ptab_pol_arg {
	const struct om_ppol *pol;
	u64 now;
};

static int om_ptab_policy_fn(struct om_pstate *st, void *arg)
{
	const struct om_ptab_pol_arg *a = arg;
	const struct om_ppol *pol = a->pol;

	if (pol->set & OM_PPOL_LOCK)
		st->locked = pol->locked;
	if (pol->set & OM_PPOL_HINT) {
		st->hint = pol->hint;
		st->hint_ns = pol->hint ? a->now : 0;
	}
	if (pol->set & OM_PPOL_NODES) {
		st->node_policy = pol->node_policy;
		st->n_nodes = pol->node_policy ? pol->n_nodes : 0;
		memset(st->nodes, 0, sizeof(st->nodes));
		memcpy(st->nodes, pol->nodes, st->n_nodes * sizeof(st->nodes[0]));
	}
	return 0;
}

int om_ptab_set_policy(struct task_struct *t, const struct om_ppol *pol)
{
	struct om_ptab_pol_arg a = { .pol = pol, .now = ktime_get_ns() };

	if (pol->n_nodes > OM_PROC_NODES_MAX)
		return -EINVAL;
	return om_ptab_update(t, om_ptab_policy_fn, &a);
}

struct om_ptab_mfs_arg {
	int which;
	u16 id;
};

static int om_ptab_mfs_fn(struct om_pstate *st, void *arg)
{
	const struct om_ptab_mfs_arg *a = arg;

	if (a->which == OM_PTAB_SEL_SELECTED)
		st->selected = a->id;
	else
		st->magic = a->id;
	return 0;
}

int om_ptab_set_mfs_node(struct task_struct *t, int which, u16 id)
{
	struct om_ptab_mfs_arg a = { .which = which, .id = id };

	if (which != OM_PTAB_SEL_SELECTED && which != OM_PTAB_SEL_MAGIC)
		return -EINVAL;
	return om_ptab_update(t, om_ptab_mfs_fn, &a);
}

/*
 * sched_process_fork, in the parent (current) with preemption disabled,
 * the child not yet running: a new process inherits its parent's
 * balancing policy.
 */
static void om_ptab_fork_probe(void *data, struct task_struct *parent,
			       struct task_struct *child)
{
	struct om_pstate pst;
	struct om_ptab_ent *e;
	struct pid *pid;
	bool inherit;

	if (!atomic_read(&om_ptab_n) || !thread_group_leader(child))
		return;
	rcu_read_lock();
	e = om_ptab_find(task_tgid(parent));
	inherit = e && om_pstate_has_policy(&e->st);
	if (inherit)
		pst = e->st;
	rcu_read_unlock();
	if (!inherit)
		return;
	e = mempool_alloc(om_ptab_pool, GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		atomic_inc(&om_ptab_lost);
		pr_warn_ratelimited("out of memory: child %d of process %d starts without its lock and policy\n",
				    task_pid_nr(child), task_tgid_nr(parent));
		return;
	}
	memset(&e->st, 0, sizeof(e->st));
	e->st.locked = pst.locked;
	e->st.hint = pst.hint;
	/* the child's own statistics start now: so does its hint */
	e->st.hint_ns = pst.hint ? ktime_get_ns() : 0;
	e->st.node_policy = pst.node_policy;
	e->st.n_nodes = pst.n_nodes;
	memcpy(e->st.nodes, pst.nodes, sizeof(e->st.nodes));
	e->st.selected = pst.selected;
	e->st.magic = pst.magic;
	pid = task_tgid(child);
	spin_lock(&om_ptab_lock);
	if (om_ptab_find(pid)) {
		spin_unlock(&om_ptab_lock);
		mempool_free(e, om_ptab_pool);
		return;
	}
	e->pid = get_pid(pid);
	hash_add_rcu(om_ptab_hash, &e->hnode, (unsigned long)pid);
	atomic_inc(&om_ptab_n);
	spin_unlock(&om_ptab_lock);
}

/* sched_process_exit, in the exiting thread (p == current) */
static void om_ptab_exit_probe(void *data, struct task_struct *p)
{
	struct om_ptab_ent *e;
	struct pid *pid;

	/* live is decremented before this tracepoint; 0: the process is gone */
	if (!atomic_read(&om_ptab_n) || atomic_read(&p->signal->live))
		return;
	pid = task_tgid(p);
	if (!pid)
		return;
	rcu_read_lock();
	e = om_ptab_find(pid);
	rcu_read_unlock();
	if (!e)
		return;
	spin_lock(&om_ptab_lock);
	e = om_ptab_find(pid);
	if (e)
		om_ptab_drop(e);
	spin_unlock(&om_ptab_lock);
}

static struct om_ptab_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
} om_ptab_tps[] = {
	{ .name = "sched_process_fork", .probe = om_ptab_fork_probe },
	{ .name = "sched_process_exit", .probe = om_ptab_exit_probe },
};

static void om_ptab_find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(om_ptab_tps); i++)
		if (!strcmp(tp->name, om_ptab_tps[i].name))
			om_ptab_tps[i].tp = tp;
}

static void om_ptab_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(om_ptab_tps); i++) {
		if (!om_ptab_tps[i].registered)
			continue;
		tracepoint_probe_unregister(om_ptab_tps[i].tp,
					    om_ptab_tps[i].probe, NULL);
		om_ptab_tps[i].registered = false;
	}
	/* no probe runs any more once this returns */
	tracepoint_synchronize_unregister();
}

/*
 * Migration events: one chain the layers above subscribe to (netlink),
 * so the migration code calls none of them by name.  SRCU as the node
 * events (om_node.c): a sender never waits for a subscriber coming or
 * going, and subscribers may sleep.
 */
DEFINE_STATIC_SRCU(om_mig_srcu);
static RAW_NOTIFIER_HEAD(om_mig_chain);
static DEFINE_MUTEX(om_mig_chain_lock);	/* (un)subscribing only */

int om_mig_notifier_register(struct notifier_block *nb)
{
	int ret;

	mutex_lock(&om_mig_chain_lock);
	ret = raw_notifier_chain_register(&om_mig_chain, nb);
	mutex_unlock(&om_mig_chain_lock);
	return ret;
}

void om_mig_notifier_unregister(struct notifier_block *nb)
{
	mutex_lock(&om_mig_chain_lock);
	raw_notifier_chain_unregister(&om_mig_chain, nb);
	mutex_unlock(&om_mig_chain_lock);
	/* no event is still in nb's callback once we return */
	synchronize_srcu(&om_mig_srcu);
}

void om_mig_notify(enum om_mig_event ev, const struct om_mig_event_info *info)
{
	int idx;

	might_sleep();
	idx = srcu_read_lock(&om_mig_srcu);
	raw_notifier_call_chain(&om_mig_chain, ev, (void *)info);
	srcu_read_unlock(&om_mig_srcu, idx);
}

void om_mig_notify_task(enum om_mig_event ev, struct task_struct *t,
			const char *reason)
{
	struct om_mig_event_info info = { .reason = reason };

	info.pid = task_tgid_nr(t);
	info.uid = from_kuid_munged(&init_user_ns, task_uid(t));
	get_task_comm(info.comm, t);
	om_ptab_get(t, &info.st);
	om_mig_notify(ev, &info);
}

/* A policy set on the tester reads back, and clearing it drops it all */
static int om_ptab_policy_selftest(void)
{
	struct om_ppol pol = {
		.set = OM_PPOL_HINT | OM_PPOL_NODES, .hint = OM_HINT_IO,
		.node_policy = OM_NODES_DENY, .n_nodes = 2, .nodes = { 7, 9 },
	};
	struct om_pstate st;
	int err, err2;

	err = om_ptab_set_policy(current, &pol);
	om_ptab_get(current, &st);
	pol.hint = OM_HINT_NONE;
	pol.node_policy = OM_NODES_ANY;
	pol.n_nodes = 0;
	err2 = om_ptab_set_policy(current, &pol);
	if (err || err2 || st.hint != OM_HINT_IO || !st.hint_ns ||
	    st.node_policy != OM_NODES_DENY || st.n_nodes != 2 ||
	    st.nodes[0] != 7 || st.nodes[1] != 9 || st.locked) {
		pr_err("ptab self-test: policy set %d/%d, hint %u, nodes %u/%u %u,%u\n",
		       err, err2, st.hint, st.node_policy, st.n_nodes,
		       st.nodes[0], st.nodes[1]);
		return -EINVAL;
	}
	om_ptab_get(current, &st);
	if (om_pstate_has_policy(&st) || st.n_nodes) {
		pr_err("ptab self-test: policy still set after clearing it\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Part of the migrate component's self-test: the probes are attached,
 * and locking, reading and unlocking the tester (current) round-trips.
 * Inheritance on fork is the lab's (tests/lab/scenarios/proc-view.sh).
 */
int om_ptab_selftest(void)
{
	struct om_pstate st;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(om_ptab_tps); i++) {
		if (!om_ptab_tps[i].registered) {
			pr_err("ptab self-test: %s probe not registered\n",
			       om_ptab_tps[i].name);
			return -ENOENT;
		}
	}
	om_ptab_get(current, &st);
	/* someone set the tester's policy: leave it be */
	if (om_pstate_has_policy(&st))
		return 0;
	err = om_ptab_set_locked(current, true);
	if (err) {
		pr_err("ptab self-test: cannot lock: %d\n", err);
		return err;
	}
	om_ptab_get(current, &st);
	err = om_ptab_set_locked(current, false);
	if (!st.locked || st.where != om_self_id() || st.home != om_self_id() || err) {
		pr_err("ptab self-test: locked %d where %u home %u (self %u), unlock %d\n",
		       st.locked, st.where, st.home, om_self_id(), err);
		return -EINVAL;
	}
	om_ptab_get(current, &st);
	if (st.locked) {
		pr_err("ptab self-test: still locked after unlock\n");
		return -EINVAL;
	}
	err = om_ptab_policy_selftest();
	if (err)
		return err;
	if (atomic_read(&om_ptab_lost))
		pr_info("ptab: %d forked children started without their parent's policy (out of memory)\n",
			atomic_read(&om_ptab_lost));
	return 0;
}

int om_ptab_init(void)
{
	unsigned int i;
	int err;

	om_ptab_pool = mempool_create_kmalloc_pool(OM_PTAB_RESERVE,
						   sizeof(struct om_ptab_ent));
	if (!om_ptab_pool)
		return -ENOMEM;
	for_each_kernel_tracepoint(om_ptab_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(om_ptab_tps); i++) {
		if (!om_ptab_tps[i].tp) {
			pr_err("tracepoint %s not found\n", om_ptab_tps[i].name);
			err = -ENOENT;
			goto err;
		}
		err = tracepoint_probe_register(om_ptab_tps[i].tp,
						om_ptab_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       om_ptab_tps[i].name, err);
			goto err;
		}
		om_ptab_tps[i].registered = true;
	}
	return 0;
err:
	om_ptab_unregister();
	mempool_destroy(om_ptab_pool);
	om_ptab_pool = NULL;
	return err;
}

void om_ptab_exit(void)
{
	struct om_ptab_ent *e;
	struct hlist_node *tmp;
	unsigned int bkt;

	om_ptab_unregister();
	spin_lock(&om_ptab_lock);
	hash_for_each_safe(om_ptab_hash, bkt, tmp, e, hnode)
		om_ptab_drop(e);
	spin_unlock(&om_ptab_lock);
	/* every om_ptab_free_rcu has run: the pool and our text may go */
	rcu_barrier();
	mempool_destroy(om_ptab_pool);
	om_ptab_pool = NULL;
}
