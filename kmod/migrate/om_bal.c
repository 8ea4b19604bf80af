// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The automatic load balancer, module side (Documentation/balancer.md):
 * every balance_interval_ms (jittered) this node samples its processes
 * (CPU demand, read/write or forwarded call rate, memory), takes a few
 * fresh candidate nodes from the load vector (om_info), asks the decision
 * core (common/om_balance.c) for at most one move and carries it out on
 * an ordered workqueue: a process of ours migrates as the kernel's own
 * decision (om_mig_out_task, the OFFER carrying the decision for the
 * target's consent), an I/O-bound guest is asked to go home.  One move
 * at a time; a pick that cannot move is left out and the core asked
 * again; a node that refused an offer is not a candidate for max_age_ms.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "om_core.h"
#include "om_info.h"
#include "om_migrate.h"
#include "om_ckpt.h"
#include "om_ptab.h"
#include "common/om_balance.h"

#define OM_BAL_NPROC	64	/* processes handed to one decision */
#define OM_BAL_NNODE	16	/* candidate nodes */
#define OM_BAL_SCAN_MAX	1024	/* processes sampled per round */
#define OM_BAL_MIGHIST	4	/* automatic moves remembered per process */
#define OM_BAL_TRIES	4	/* decisions per round */
#define OM_BAL_MIN_NS	(50 * NSEC_PER_MSEC)	/* shortest sampling period */
#define OM_BAL_NREFUSED	16	/* nodes remembered as refusing */

/* What a round reads of one process under RCU */
#define OM_BAL_SYS_UNKNOWN	U64_MAX

struct om_bal_sample {
	pid_t pid;		/* global tgid */
	u64 start;		/* its start_time: a reused pid is another process */
	u64 rt;			/* ns on a CPU or waiting for one */
	u64 cpu_ns;		/* ns on a CPU */
	u64 sys;		/* read/write calls, or forwarded calls of a guest */
	u64 mem_kib;
	u16 home, where;	/* OM_PTAB_HERE: this node */
	bool guest, locked, threads;
	/* its policy (omctl proc set / run): hint and node list */
	u8 hint, node_policy, n_nodes;
	u16 nodes[OM_PROC_NODES_MAX];
	u64 hint_ns;
};

/* What we remember of one process between rounds */
struct om_bal_stat {
	struct hlist_node hnode;
	pid_t pid;
	u64 start;
	u64 rt, cpu, sys, t_ns;	/* the last sample and when */
	u64 first_ns;		/* first seen: a guest's arrival, roughly */
	u32 demand;		/* permille of a CPU, decayed */
	u32 run;		/* permille of a CPU used (running), decayed */
	u32 sys_rate;		/* calls per second, decayed */
	u64 migs[OM_BAL_MIGHIST];	/* ktime ns of its automatic moves */
	u32 round;		/* the last round it was seen in */
};

/* A move being carried out */
struct om_bal_move {
	struct work_struct work;
	pid_t pid;
	u64 start;
	u16 target;
	struct om_mig_bal bal;	/* kind and loads, for the target's consent */
	char reason[OM_BAL_REASON_LEN];
};

/* A node that refused one of our offers, left out until then */
struct om_bal_refusal {
	u16 node;		/* 0: free */
	unsigned long until;	/* jiffies */
};

static DEFINE_HASHTABLE(om_bal_stats, 8);
static DEFINE_MUTEX(om_bal_lock);	/* the stats and the buffers below */
static struct om_bal_sample *om_bal_samples;
static struct om_bal_proc *om_bal_procs;	/* the balance work's only */
static u64 om_bal_starts[OM_BAL_NPROC];		/* their start times */
static u32 om_bal_round;
static struct workqueue_struct *om_bal_wq;
static atomic_t om_bal_busy;		/* a move under way */
static bool om_bal_stopping;
static atomic_long_t om_bal_moves, om_bal_homes, om_bal_failed, om_bal_refused;
static struct om_bal_refusal om_bal_refusals[OM_BAL_NREFUSED];
static DEFINE_SPINLOCK(om_bal_refusals_lock);

static void om_bal_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(om_bal_work, om_bal_fn);

static struct om_bal_stat *om_bal_stat_find(pid_t pid, u64 start)
{
	struct om_bal_stat *st;

	hash_for_each_possible(om_bal_stats, st, hnode, pid)
		if (st->pid == pid && st->start == start)
			return st;
	return NULL;
}

/* Read every user process we might move or send home (RCU only). */
static u32 om_bal_scan(struct om_bal_sample *out, u32 max)
{
	struct task_struct *p;
	struct om_pstate ps;
	u32 n = 0;

	rcu_read_lock();
	for_each_process(p) {
		struct om_bal_sample *s;
		struct mm_struct *mm;
		u64 fwd;

		if (n == max)
			break;
		if (p->flags & (PF_KTHREAD | PF_EXITING) || !p->mm)
			continue;
		s = &out[n];
		s->pid = task_tgid_nr(p);
		if (s->pid == 1)
			continue;
		s->start = p->start_time;
		s->cpu_ns = READ_ONCE(p->se.sum_exec_runtime);
		s->rt = s->cpu_ns;
#ifdef CONFIG_SCHED_INFO
		s->rt += READ_ONCE(p->sched_info.run_delay);
#endif
		s->sys = 0;
#ifdef CONFIG_TASK_XACCT
		s->sys = READ_ONCE(p->ioac.syscr) + READ_ONCE(p->ioac.syscw);
#endif
		om_ptab_get(p, &ps);
		s->home = ps.home;
		s->where = ps.where;
		s->guest = ps.guest;
		s->locked = ps.locked;
		s->hint = ps.hint;
		s->hint_ns = ps.hint_ns;
		s->node_policy = ps.node_policy;
		s->n_nodes = min_t(u8, ps.n_nodes, OM_PROC_NODES_MAX);
		memcpy(s->nodes, ps.nodes, sizeof(s->nodes));
		/*
		 * A guest's count is its forwarded calls; if its role cannot
		 * be read now (ending), the count is unknown, not the local
		 * one: mixing the two made a rate of 2^32-1 calls/s.
		 */
		if (s->guest)
			s->sys = om_guest_nfwd(p, &fwd) ? fwd : OM_BAL_SYS_UNKNOWN;
		s->threads = get_nr_threads(p) > 1;
		s->mem_kib = 0;
		task_lock(p);
		mm = p->mm;
		if (mm)
			s->mem_kib = (u64)get_mm_rss(mm) << (PAGE_SHIFT - 10);
		task_unlock(p);
		n++;
	}
	rcu_read_unlock();
	return n;
}

static u32 om_bal_rate(u64 delta, u64 ns, u64 per)
{
	u64 r = ns ? div64_u64(delta * per, ns) : 0;

	return r > U32_MAX ? U32_MAX : (u32)r;
}

/* Update the stats from a scan; om_bal_lock held.  Drops the unseen. */
static void om_bal_update(const struct om_bal_sample *smp, u32 n, u64 now)
{
	struct om_bal_stat *st;
	struct hlist_node *tmp;
	int bkt;
	u32 i;

	om_bal_round++;
	for (i = 0; i < n; i++) {
		const struct om_bal_sample *s = &smp[i];

		st = om_bal_stat_find(s->pid, s->start);
		if (!st) {
			st = kzalloc(sizeof(*st), GFP_KERNEL);
			if (!st)
				continue;
			st->pid = s->pid;
			st->start = s->start;
			st->first_ns = now;
			st->rt = s->rt;
			st->cpu = s->cpu_ns;
			st->sys = s->sys;
			st->t_ns = now;
			hash_add(om_bal_stats, &st->hnode, s->pid);
		} else if (now - st->t_ns >= OM_BAL_MIN_NS) {
			u64 dt = now - st->t_ns;
			u32 d = min_t(u32, om_bal_rate(s->rt - st->rt, dt, 1000), 1000);
			u32 c = min_t(u32, om_bal_rate(s->cpu_ns - st->cpu, dt, 1000), 1000);
			bool sys_ok = s->sys != OM_BAL_SYS_UNKNOWN &&
				      st->sys != OM_BAL_SYS_UNKNOWN &&
				      s->sys >= st->sys;
			u32 r = sys_ok ? om_bal_rate(s->sys - st->sys, dt, NSEC_PER_SEC) :
					 st->sys_rate;

			/* a new process's statistic starts at its first sample */
			if (st->t_ns == st->first_ns) {
				st->demand = d;
				st->run = c;
				st->sys_rate = r;
			} else {
				st->demand = om_bal_decay(st->demand, d, OM_BAL_DECAY_SLOW);
				st->run = om_bal_decay(st->run, c, OM_BAL_DECAY_SLOW);
				st->sys_rate = om_bal_decay(st->sys_rate, r, OM_BAL_DECAY_SLOW);
			}
			st->rt = s->rt;
			st->cpu = s->cpu_ns;
			st->sys = s->sys;
			st->t_ns = now;
		}
		st->round = om_bal_round;
	}
	hash_for_each_safe(om_bal_stats, bkt, tmp, st, hnode) {
		if (st->round != om_bal_round) {
			hash_del(&st->hnode);
			kfree(st);
		}
	}
}

static u32 om_bal_ms(u64 ns)
{
	u64 ms = div64_u64(ns, NSEC_PER_MSEC);

	return ms > U32_MAX ? U32_MAX : (u32)ms;
}

/* The process's policy as the decision core takes it */
static void om_bal_fill_policy(const struct om_bal_sample *s, u64 now,
			       const struct om_bal_tun *tun, struct om_bal_proc *p)
{
	if (s->hint) {
		p->flags |= s->hint == OM_HINT_IO ? OM_BAL_P_HINT_IO : OM_BAL_P_HINT_CPU;
		p->hint_faded = om_bal_hint_faded(tun, now > s->hint_ns ?
						  om_bal_ms(now - s->hint_ns) : 0);
	}
	if (s->node_policy != OM_NODES_ANY && s->n_nodes) {
		if (s->node_policy == OM_NODES_DENY)
			p->flags |= OM_BAL_P_DENY;
		p->n_nodes = s->n_nodes;
		memcpy(p->nodes, s->nodes, sizeof(p->nodes));
	}
}

/* The decision's view of one process; om_bal_lock held. */
static bool om_bal_fill(const struct om_bal_sample *s, u16 self, u64 now,
			const struct om_bal_tun *tun, struct om_bal_proc *p)
{
	struct om_bal_stat *st = om_bal_stat_find(s->pid, s->start);
	u64 last = 0;
	int i;

	if (!st || st->t_ns == st->first_ns)
		return false;	/* one sample: no demand known yet */
	memset(p, 0, sizeof(*p));
	p->pid = s->pid;
	p->home = s->home == OM_PTAB_HERE ? self : s->home;
	p->where = s->where == OM_PTAB_HERE ? self : s->where;
	p->demand = st->demand;
	p->run = st->run;
	p->cpu_ms = om_bal_ms(s->cpu_ns);
	p->age_ms = om_bal_ms(now - s->start);
	p->mem_kib = s->mem_kib;
	p->sys_rate = st->sys_rate;
	if (s->locked)
		p->flags |= OM_BAL_P_LOCKED;
	if (s->threads)
		p->flags |= OM_BAL_P_CANTMOVE;	/* migration takes one thread */
	om_bal_fill_policy(s, now, tun, p);
	for (i = 0; i < OM_BAL_MIGHIST; i++) {
		if (!st->migs[i])
			continue;
		if (now - st->migs[i] < 60 * NSEC_PER_SEC)
			p->migs_min++;
		last = max(last, st->migs[i]);
	}
	p->since_mig_ms = om_bal_ms(now - max(last, st->first_ns));
	return true;
}

/* Keep the np busiest in procs[] (sorted, busiest first); returns np. */
static u32 om_bal_keep(struct om_bal_proc *procs, u64 *starts, u32 np,
		       const struct om_bal_proc *p, u64 start)
{
	u32 i;

	if (np == OM_BAL_NPROC && p->demand <= procs[np - 1].demand)
		return np;
	i = np < OM_BAL_NPROC ? np++ : np - 1;
	for (; i > 0 && procs[i - 1].demand < p->demand; i--) {
		procs[i] = procs[i - 1];
		starts[i] = starts[i - 1];
	}
	procs[i] = *p;
	starts[i] = start;
	return np;
}

static struct task_struct *om_bal_task(pid_t nr, u64 start)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_pid_ns(nr, &init_pid_ns), PIDTYPE_TGID);
	if (t && t->start_time == start)
		get_task_struct(t);
	else
		t = NULL;
	rcu_read_unlock();
	return t;
}

static void om_bal_note_move(pid_t pid, u64 start)
{
	struct om_bal_stat *st;
	u64 now = ktime_get_ns();
	int i, old = 0;

	mutex_lock(&om_bal_lock);
	st = om_bal_stat_find(pid, start);
	if (st) {
		for (i = 1; i < OM_BAL_MIGHIST; i++)
			if (st->migs[i] < st->migs[old])
				old = i;
		st->migs[old] = now;
	}
	mutex_unlock(&om_bal_lock);
}

/*
 * node refused an offer: it is no candidate for ms (it would refuse the
 * next one as well, and the load vector may take that long to tell).
 * The slot of the node, else a free or expired one, else the soonest to
 * expire.
 */
static void om_bal_note_refusal(u16 node, u32 ms)
{
	unsigned long now = jiffies;
	int i, slot = -1;

	spin_lock(&om_bal_refusals_lock);
	for (i = 0; i < OM_BAL_NREFUSED && slot < 0; i++)
		if (om_bal_refusals[i].node == node)
			slot = i;
	for (i = 0; i < OM_BAL_NREFUSED && slot < 0; i++)
		if (!om_bal_refusals[i].node ||
		    time_after_eq(now, om_bal_refusals[i].until))
			slot = i;
	if (slot < 0) {
		slot = 0;
		for (i = 1; i < OM_BAL_NREFUSED; i++)
			if (time_before(om_bal_refusals[i].until,
					om_bal_refusals[slot].until))
				slot = i;
	}
	om_bal_refusals[slot].node = node;
	om_bal_refusals[slot].until = now + msecs_to_jiffies(ms);
	spin_unlock(&om_bal_refusals_lock);
}

/* Candidates that refused lately count as blocked (no guests from us). */
static void om_bal_apply_refusals(struct om_bal_node *nodes, u32 n)
{
	unsigned long now = jiffies;
	u32 i, j;

	spin_lock(&om_bal_refusals_lock);
	for (j = 0; j < OM_BAL_NREFUSED; j++) {
		const struct om_bal_refusal *r = &om_bal_refusals[j];

		if (!r->node || time_after_eq(now, r->until))
			continue;
		for (i = 0; i < n; i++)
			if (nodes[i].node == r->node)
				nodes[i].flags |= OM_BAL_N_BLOCK;
	}
	spin_unlock(&om_bal_refusals_lock);
}

static void om_bal_move_fn(struct work_struct *w)
{
	struct om_bal_move *mv = container_of(w, struct om_bal_move, work);
	struct om_migrate_req *req;
	struct task_struct *t;
	bool evsent = false, refused = false;
	struct om_bal_tun tun;
	int err = -ENOMEM;

	t = om_bal_task(mv->pid, mv->start);
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!t) {
		err = -ESRCH;
	} else if (req) {
		/* what the checkpoint opens (a deleted file) it opens as the process */
		const struct cred *tc = get_task_cred(t);
		const struct cred *old = override_creds(tc);

		req->size = sizeof(*req);
		req->pid = mv->pid;
		req->node = mv->target;
		err = om_mig_out_task(t, req, &mv->bal, &evsent, &refused);
		revert_creds(old);
		put_cred(tc);
	}
	if (!err) {
		om_bal_note_move(mv->pid, mv->start);
		atomic_long_inc(&om_bal_moves);
		pr_info("balance: process %d moved to node %u (%s)\n", mv->pid, mv->target,
			mv->reason);
	} else if (refused) {
		om_bal_tun_default(&tun);
		om_bal_note_refusal(mv->target, tun.max_age_ms);
		atomic_long_inc(&om_bal_refused);
		pr_info_ratelimited("balance: process %d stays, %s; no offers there for %u ms\n",
				    mv->pid, req->reason, tun.max_age_ms);
	} else {
		atomic_long_inc(&om_bal_failed);
		pr_info_ratelimited("balance: process %d stays (to node %u: %s, %d)\n", mv->pid,
				    mv->target, req && req->reason[0] ? req->reason : "-", err);
		if (t && !evsent && req)
			om_mig_notify_task(OM_MEV_FAILED, t, req->reason);
	}
	if (t)
		put_task_struct(t);
	kfree(req);
	kfree(mv);
	atomic_set(&om_bal_busy, 0);
}

/*
 * Carry out d for p: 0 if under way, else p cannot do it (left out of
 * the next decision).  om_bal_lock not held (may sleep).
 */
static int om_bal_start(const struct om_bal_decision *d, const struct om_bal_proc *p,
			u64 start, const struct om_bal_self *me)
{
	u16 self = me->node;
	char reason[OM_CKPT_REASON_LEN] = "";
	struct om_bal_move *mv;
	struct task_struct *t;
	int err = 0;

	t = om_bal_task(p->pid, start);
	if (!t)
		return -ESRCH;
	if (p->home != self) {
		/* a guest: its home moves it; we can only send it back */
		if (d->kind != OM_BAL_HOME) {
			err = -EOPNOTSUPP;
		} else {
			err = om_guest_ask_home(t);
			if (!err) {
				atomic_long_inc(&om_bal_homes);
				om_bal_note_move(p->pid, start);
				pr_info("balance: guest %d sent home (%s)\n", p->pid, d->reason);
			}
		}
		goto out;
	}
	if (p->where != self || d->kind == OM_BAL_HOME) {
		err = -EOPNOTSUPP;	/* ours elsewhere: not yet from here */
		goto out;
	}
	err = om_cantmove_task(t, OM_CM_MIGRATE, reason);
	if (err)
		goto out;
	mv = kzalloc(sizeof(*mv), GFP_KERNEL);
	if (!mv) {
		err = -ENOMEM;
		goto out;
	}
	INIT_WORK(&mv->work, om_bal_move_fn);
	mv->pid = p->pid;
	mv->start = start;
	mv->target = d->target;
	/* the target checks it against its own load: what we decided with */
	mv->bal.kind = d->kind;
	mv->bal.sender_load = min_t(u32, me->load, OM_MIG_LOAD_MAX);
	mv->bal.d_target = min_t(u32, d->d_target, OM_MIG_LOAD_MAX);
	mv->bal.d_self = min_t(u32, d->d_self, OM_MIG_LOAD_MAX);
	strscpy(mv->reason, d->reason, sizeof(mv->reason));
	atomic_set(&om_bal_busy, 1);
	queue_work(om_bal_wq, &mv->work);
out:
	put_task_struct(t);
	return err;
}

static void om_bal_self_flags(struct om_bal_self *self)
{
	if (READ_ONCE(om_tun.stay))
		self->flags |= OM_BAL_F_STAY;
	if (READ_ONCE(om_tun.lstay))
		self->flags |= OM_BAL_F_LSTAY;
	if (READ_ONCE(om_tun.quiet))
		self->flags |= OM_BAL_F_QUIET;	/* for the record: om_info acts on it */
	self->load_limit = READ_ONCE(om_tun.load_limit);
	self->rnd = get_random_u32();
}

/* One round: sample, decide, start at most one move. */
static void om_bal_round_run(void)
{
	struct om_bal_node nodes[OM_BAL_NNODE];
	struct om_bal_decision d;
	struct om_bal_self self;
	struct om_bal_tun tun;
	u32 nn, ns, np = 0, i, try;
	u64 now;

	nn = om_info_bal_inputs(&self, nodes, OM_BAL_NNODE);
	if (!self.node)
		return;
	om_bal_apply_refusals(nodes, nn);
	om_bal_self_flags(&self);
	om_bal_tun_default(&tun);

	mutex_lock(&om_bal_lock);
	ns = om_bal_scan(om_bal_samples, OM_BAL_SCAN_MAX);
	now = ktime_get_ns();
	om_bal_update(om_bal_samples, ns, now);
	for (i = 0; i < ns; i++) {
		struct om_bal_proc p;

		if (om_bal_fill(&om_bal_samples[i], self.node, now, &tun, &p))
			np = om_bal_keep(om_bal_procs, om_bal_starts, np, &p,
					 om_bal_samples[i].start);
	}
	mutex_unlock(&om_bal_lock);

	for (try = 0; try < OM_BAL_TRIES; try++) {
		if (om_bal_decide(&tun, &self, nodes, nn, om_bal_procs, np, &d) == OM_BAL_NONE)
			break;
		for (i = 0; i < np && om_bal_procs[i].pid != d.pid; i++)
			;
		if (i == np)
			break;
		if (!om_bal_start(&d, &om_bal_procs[i], om_bal_starts[i], &self))
			break;
		om_bal_procs[i].flags |= OM_BAL_P_INFLIGHT;
	}
}

static void om_bal_fn(struct work_struct *w)
{
	unsigned long ms = READ_ONCE(om_tun.balance_interval_ms);

	if (READ_ONCE(om_tun.balance) && !atomic_read(&om_bal_busy))
		om_bal_round_run();
	if (READ_ONCE(om_bal_stopping))
		return;
	/* +-10 %: nodes that started together do not decide together */
	ms = ms - ms / 10 + get_random_u32() % (ms / 5 + 1);
	schedule_delayed_work(&om_bal_work, msecs_to_jiffies(ms));
}

void om_bal_counts(unsigned long *moves, unsigned long *homes, unsigned long *failed,
		   unsigned long *refused)
{
	*moves = atomic_long_read(&om_bal_moves);
	*homes = atomic_long_read(&om_bal_homes);
	*failed = atomic_long_read(&om_bal_failed);
	*refused = atomic_long_read(&om_bal_refused);
}

int om_bal_init(void)
{
	/* a process's node list fits the decision core's */
	BUILD_BUG_ON(OM_PROC_NODES_MAX != OM_BAL_NODELIST_MAX);
	/* the wire's kinds are the decision core's */
	BUILD_BUG_ON(OM_MIG_BAL_USHER != OM_BAL_USHER ||
		     OM_MIG_BAL_LIMIT != OM_BAL_LIMIT ||
		     OM_MIG_BAL_LOAD != OM_BAL_LOAD);
	om_bal_samples = kvcalloc(OM_BAL_SCAN_MAX, sizeof(*om_bal_samples), GFP_KERNEL);
	om_bal_procs = kcalloc(OM_BAL_NPROC, sizeof(*om_bal_procs), GFP_KERNEL);
	om_bal_wq = alloc_ordered_workqueue("om_balance", 0);
	if (!om_bal_samples || !om_bal_procs || !om_bal_wq) {
		if (om_bal_wq)
			destroy_workqueue(om_bal_wq);
		kvfree(om_bal_samples);
		kfree(om_bal_procs);
		return -ENOMEM;
	}
	om_bal_stopping = false;
	atomic_set(&om_bal_busy, 0);
	schedule_delayed_work(&om_bal_work, msecs_to_jiffies(READ_ONCE(om_tun.balance_interval_ms)));
	return 0;
}

void om_bal_exit(void)
{
	struct om_bal_stat *st;
	struct hlist_node *tmp;
	int bkt;

	WRITE_ONCE(om_bal_stopping, true);
	cancel_delayed_work_sync(&om_bal_work);
	destroy_workqueue(om_bal_wq);	/* waits for a move under way */
	hash_for_each_safe(om_bal_stats, bkt, tmp, st, hnode) {
		hash_del(&st->hnode);
		kfree(st);
	}
	kvfree(om_bal_samples);
	kfree(om_bal_procs);
}
