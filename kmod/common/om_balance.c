// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Balancer decision core: I/O-bound processes home, memory ushering,
 * load_limit, then speed-normalised load balancing with an expected
 * gain-versus-cost test and hysteresis.  Documentation/balancer.md.
 */
#include "om_balance.h"

#define OM_BAL_LOAD_FMT		"%u.%02u"

/* A load as whole tasks and hundredths, for reasons */
static u32 om_bal_li(u32 l)
{
	return l / OM_LOAD_FSCALE;
}

static u32 om_bal_lf(u32 l)
{
	return (l % OM_LOAD_FSCALE) * 100 / OM_LOAD_FSCALE;
}

void om_bal_tun_default(struct om_bal_tun *t)
{
	t->max_age_ms = OM_BAL_DEF_MAX_AGE_MS;
	t->min_cpu_ms = OM_BAL_DEF_MIN_CPU_MS;
	t->min_demand = OM_BAL_DEF_MIN_DEMAND;
	t->min_diff = OM_BAL_DEF_MIN_DIFF;
	t->hyst_permille = OM_BAL_DEF_HYST_PERMILLE;
	t->max_migs_min = OM_BAL_DEF_MAX_MIGS_MIN;
	t->min_residence_ms = OM_BAL_DEF_MIN_RESIDENCE_MS;
	t->horizon_min_ms = OM_BAL_DEF_HORIZON_MIN_MS;
	t->horizon_max_ms = OM_BAL_DEF_HORIZON_MAX_MS;
	t->min_gain_ms = OM_BAL_DEF_MIN_GAIN_MS;
	t->cost_fixed_ms = OM_BAL_DEF_COST_FIXED_MS;
	t->def_link_kibps = OM_BAL_DEF_LINK_KIBPS;
	t->rtt_us = OM_BAL_DEF_RTT_US;
	t->io_rate = OM_BAL_DEF_IO_RATE;
	t->io_cpu_rate = OM_BAL_DEF_IO_CPU_RATE;
	t->usher_permille = OM_BAL_DEF_USHER_PERMILLE;
	t->usher_min_kib = OM_BAL_DEF_USHER_MIN_KIB;
	t->hint_keep_permille = OM_BAL_DECAY_SLOW;
	t->hint_interval_ms = OM_BAL_DEF_HINT_INTERVAL_MS;
}

u32 om_bal_decay(u32 old, u32 sample, u32 keep_permille)
{
	u64 v;

	if (keep_permille > 1000)
		keep_permille = 1000;
	v = (u64)old * keep_permille + (u64)sample * (1000 - keep_permille);
	/* Round towards the sample so a constant input is reached */
	if (sample > old)
		v += 999;
	return (u32)(v / 1000);
}

u32 om_bal_proc_load(u32 demand, u32 speed, u16 cpus)
{
	if (demand > 1000)
		demand = 1000;	/* one task uses at most one CPU */
	return om_load_normalize(demand * OM_LOAD_FSCALE / 1000, speed, cpus);
}

bool om_bal_node_allowed(const struct om_bal_proc *p, u16 node)
{
	bool listed = false;
	u32 i;

	if (node == p->home)
		return true;
	if (!p->n_nodes)
		return true;
	for (i = 0; i < p->n_nodes && i < OM_BAL_NODELIST_MAX; i++)
		if (p->nodes[i] == node)
			listed = true;
	return (p->flags & OM_BAL_P_DENY) ? !listed : listed;
}

u32 om_bal_hint_faded(const struct om_bal_tun *t, u64 elapsed_ms)
{
	u32 w = 1U << 20;	/* strength left, 20 bits of fraction */
	u64 steps, i;

	if (!t->hint_interval_ms || t->hint_keep_permille >= 1000)
		return 0;
	steps = elapsed_ms / t->hint_interval_ms;
	/* w loses at least 1 a step: under 10000 steps for keep <= 999 */
	for (i = 0; i < steps && w; i++)
		w = (u32)((u64)w * t->hint_keep_permille / 1000);
	return 1000 - (u32)(((u64)w * 1000 + (1U << 19)) >> 20);
}

/* a blended with b: a's share is share permille */
static u32 om_bal_blend(u32 a, u32 b, u32 share)
{
	if (share > 1000)
		share = 1000;
	return (u32)(((u64)a * share + (u64)b * (1000 - share)) / 1000);
}

void om_bal_hint_view(const struct om_bal_tun *t, const struct om_bal_proc *p,
		      struct om_bal_proc *v)
{
	u32 faded = p->hint_faded > 1000 ? 1000 : p->hint_faded;

	if (v != p)
		*v = *p;
	if (p->flags & OM_BAL_P_HINT_IO) {
		v->sys_rate = om_bal_blend(p->sys_rate,
					   t->io_rate * OM_BAL_HINT_IO_X, faded);
		v->run = om_bal_blend(p->run > 1000 ? 1000 : p->run, 0, faded);
	} else if (p->flags & OM_BAL_P_HINT_CPU) {
		v->sys_rate = om_bal_blend(p->sys_rate, 0, faded);
		v->demand = om_bal_blend(p->demand > 1000 ? 1000 : p->demand,
					 1000, faded);
		v->run = om_bal_blend(p->run > 1000 ? 1000 : p->run, 1000,
				      faded);
	}
	v->flags &= ~(OM_BAL_P_HINT_IO | OM_BAL_P_HINT_CPU);
}

/* I/O-bound by its hint view @v: too many calls a second to leave home */
static bool om_bal_view_io(const struct om_bal_tun *t, const struct om_bal_proc *v)
{
	return v->sys_rate >= t->io_rate;
}

bool om_bal_io_bound(const struct om_bal_tun *t, const struct om_bal_proc *p)
{
	struct om_bal_proc v;

	om_bal_hint_view(t, p, &v);
	return om_bal_view_io(t, &v);
}

u32 om_bal_cpu_rate(const struct om_bal_proc *v)
{
	u64 r;

	if (!v->run)
		return 0xffffffffU;
	r = (u64)v->sys_rate * 1000 / v->run;
	return r > 0xffffffffULL ? 0xffffffffU : (u32)r;
}

bool om_bal_accept_guest(const struct om_bal_self *self)
{
	if (self->flags & OM_BAL_F_BLOCK)
		return false;
	return !self->load_limit || self->load < self->load_limit;
}

static u64 om_bal_usher_thr(const struct om_bal_tun *t, u64 total)
{
	u64 thr = total * t->usher_permille / 1000;

	return thr > t->usher_min_kib ? thr : t->usher_min_kib;
}

/* Whether mem_kib more leaves a node above its ushering threshold */
static bool om_bal_mem_fits(const struct om_bal_tun *t, u64 mem_kib,
			    u64 total, u64 free)
{
	if (!total)
		return true;	/* not advertised: unknown */
	return free >= mem_kib + om_bal_usher_thr(t, total);
}

static u32 om_bal_margin(const struct om_bal_tun *t, u32 d_target)
{
	u32 margin = (u32)((u64)d_target * t->hyst_permille / 1000);

	return margin < t->min_diff ? t->min_diff : margin;
}

bool om_bal_accept_move(const struct om_bal_tun *t,
			const struct om_bal_self *self, u32 sender_load,
			const struct om_bal_decision *d, u16 home, u64 mem_kib,
			char *why, size_t whylen)
{
	u64 need;
	u32 margin;

	/* snprintf(NULL, 0, ...) writes nothing */
	if (!why)
		whylen = 0;
	if (whylen)
		why[0] = '\0';
	if (home == self->node)
		return true;
	if (self->flags & OM_BAL_F_BLOCK) {
		snprintf(why, whylen, "node %u takes no guests (blocked)",
			 self->node);
		return false;
	}
	if (!om_bal_accept_guest(self)) {
		snprintf(why, whylen,
			 "node %u is at its load limit: " OM_BAL_LOAD_FMT " >= "
			 OM_BAL_LOAD_FMT, self->node, om_bal_li(self->load),
			 om_bal_lf(self->load), om_bal_li(self->load_limit),
			 om_bal_lf(self->load_limit));
		return false;
	}
	if (d->kind != OM_BAL_USHER && d->kind != OM_BAL_LIMIT &&
	    d->kind != OM_BAL_LOAD)
		return true;
	if (!om_bal_mem_fits(t, mem_kib, self->mem_total, self->mem_free)) {
		snprintf(why, whylen,
			 "node %u would be short of memory: %llu MiB free, %llu MiB more, keeps %llu MiB",
			 self->node, (unsigned long long)(self->mem_free >> 10),
			 (unsigned long long)(mem_kib >> 10),
			 (unsigned long long)(om_bal_usher_thr(t, self->mem_total) >> 10));
		return false;
	}
	if (d->kind == OM_BAL_USHER)
		return true;	/* memory, whatever the loads */
	/* LIMIT: only below the sender; LOAD: below it by the margin */
	margin = d->kind == OM_BAL_LOAD ? om_bal_margin(t, d->d_target) : 0;
	need = (u64)self->load + d->d_target + margin;
	if (d->kind == OM_BAL_LIMIT ? need < sender_load : need <= sender_load)
		return true;
	if (d->kind == OM_BAL_LIMIT)
		snprintf(why, whylen,
			 "node %u would not be below the sender: " OM_BAL_LOAD_FMT
			 " + " OM_BAL_LOAD_FMT " vs sender " OM_BAL_LOAD_FMT,
			 self->node, om_bal_li(self->load), om_bal_lf(self->load),
			 om_bal_li(d->d_target), om_bal_lf(d->d_target),
			 om_bal_li(sender_load), om_bal_lf(sender_load));
	else
		snprintf(why, whylen,
			 "node %u would be too loaded: " OM_BAL_LOAD_FMT " + "
			 OM_BAL_LOAD_FMT " + margin " OM_BAL_LOAD_FMT
			 " vs sender " OM_BAL_LOAD_FMT,
			 self->node, om_bal_li(self->load), om_bal_lf(self->load),
			 om_bal_li(d->d_target), om_bal_lf(d->d_target),
			 om_bal_li(margin), om_bal_lf(margin),
			 om_bal_li(sender_load), om_bal_lf(sender_load));
	return false;
}

/*
 * Rate of progress, permille of a yardstick CPU, of a CPU-bound task on a
 * node of this speed whose normalised load (including the task) is l:
 * min(speed / STD, 1 / l).
 */
static u32 om_bal_rate(u32 speed, u32 l)
{
	u64 by_speed = (u64)(speed ? speed : OM_LOAD_STD_SPEED) * 1000 /
		       OM_LOAD_STD_SPEED;
	u64 by_load;

	if (!l)
		return (u32)by_speed;
	by_load = (u64)1000 * OM_LOAD_FSCALE / l;
	return (u32)(by_load < by_speed ? by_load : by_speed);
}

/* Permille of its time a task loses to forwarded syscalls away from home */
static u32 om_bal_fwd_loss(const struct om_bal_tun *t,
			   const struct om_bal_proc *p, u16 node)
{
	u64 f;

	if (node == p->home)
		return 0;
	f = (u64)p->sys_rate * t->rtt_us / 1000;
	return f > 1000 ? 1000 : (u32)f;
}

static u32 om_bal_cost(const struct om_bal_tun *t, const struct om_bal_proc *p,
		       const struct om_bal_node *n)
{
	u32 link = n->link_kibps ? n->link_kibps : t->def_link_kibps;
	u64 c = t->cost_fixed_ms + p->mem_kib * 1000 / (link ? link : 1);

	return c > 0x7fffffffU ? 0x7fffffffU : (u32)c;
}

/*
 * Expected net gain of moving p from self to n, in yardstick CPU ms over
 * the horizon: (H - cost) * rate_there - H * rate_here.
 */
static s64 om_bal_gain(const struct om_bal_tun *t, const struct om_bal_self *s,
		       const struct om_bal_proc *p, const struct om_bal_node *n,
		       u32 d_target, u32 cost)
{
	u64 h = p->age_ms;
	u64 here, there;
	u32 demand = p->demand > 1000 ? 1000 : p->demand;

	if (h < t->horizon_min_ms)
		h = t->horizon_min_ms;
	if (h > t->horizon_max_ms)
		h = t->horizon_max_ms;
	here = h * om_bal_rate(s->speed, s->load) *
	       (1000 - om_bal_fwd_loss(t, p, s->node)) / 1000 * demand / 1000;
	if (cost >= h)
		return -(s64)(here / 1000) - 1;
	there = (h - cost) * om_bal_rate(n->speed, n->load + d_target) *
		(1000 - om_bal_fwd_loss(t, p, n->node)) / 1000 * demand / 1000;
	return ((s64)there - (s64)here) / 1000;
}

/* Why p may not leave this node automatically, or NULL */
static const char *om_bal_pinned(const struct om_bal_tun *t,
				 const struct om_bal_self *s,
				 const struct om_bal_proc *p, bool emergency)
{
	if (p->where != s->node)
		return "not here";
	if (p->flags & OM_BAL_P_INFLIGHT)
		return "in flight";
	if (p->flags & OM_BAL_P_LOCKED)
		return "locked";
	if (p->flags & OM_BAL_P_CANTMOVE)
		return "cantmove";
	if (s->flags & OM_BAL_F_STAY)
		return "stay";
	if ((s->flags & OM_BAL_F_LSTAY) && p->home == s->node)
		return "lstay";
	if (p->migs_min >= t->max_migs_min)
		return "migration rate";
	if (!emergency && p->since_mig_ms < t->min_residence_ms)
		return "residence";
	return NULL;
}

/* Whether n is a usable target for p at all */
static bool om_bal_target_ok(const struct om_bal_tun *t,
			     const struct om_bal_self *s,
			     const struct om_bal_proc *p,
			     const struct om_bal_node *n)
{
	if (!n->node || n->node == s->node || n->age_ms > t->max_age_ms)
		return false;
	/* A home node always takes its own processes back */
	if ((n->flags & OM_BAL_N_BLOCK) && n->node != p->home)
		return false;
	return om_bal_node_allowed(p, n->node);
}

static void om_bal_set(struct om_bal_decision *d, enum om_bal_kind kind,
		       const struct om_bal_proc *p, u16 target)
{
	d->kind = kind;
	d->pid = p->pid;
	d->target = target;
}

/*
 * Rule 1: I/O-bound processes away from home go home, whatever the loads
 * (their calls are served there anyway).  A guest also needs io_cpu_rate
 * calls per second of its CPU: a CPU job that writes a line per round
 * makes more calls per second the more CPU it gets (the demo's, about 15
 * at its busy home, 90 alone on a node), so by rate alone it was sent out,
 * found I/O-bound on the idle node and sent home again, every 5 s; per
 * CPU second it makes about 90 wherever it runs.  Not before it has
 * resided min_residence_ms: a new guest's rate is one sample old.
 */
static bool om_bal_rule_home(const struct om_bal_tun *t,
			     const struct om_bal_self *s,
			     const struct om_bal_proc *procs, u32 n_procs,
			     struct om_bal_decision *d)
{
	u32 i;

	for (i = 0; i < n_procs; i++) {
		const struct om_bal_proc *p = &procs[i];
		bool guest = p->where == s->node && p->home != s->node;
		bool ours = p->where != s->node && p->home == s->node;
		struct om_bal_proc v;

		om_bal_hint_view(t, p, &v);
		if ((!guest && !ours) || !om_bal_view_io(t, &v))
			continue;
		if (guest && om_bal_cpu_rate(&v) < t->io_cpu_rate)
			continue;
		if (p->flags & (OM_BAL_P_LOCKED | OM_BAL_P_CANTMOVE |
				OM_BAL_P_INFLIGHT))
			continue;
		if (p->migs_min >= t->max_migs_min ||
		    p->since_mig_ms < t->min_residence_ms)
			continue;
		/* A guest leaves only if this node lets anything leave */
		if (guest && (s->flags & OM_BAL_F_STAY))
			continue;
		om_bal_set(d, OM_BAL_HOME, p, p->home);
		snprintf(d->reason, sizeof(d->reason),
			 "home: io-bound %u syscalls/s%s, %u per CPU s, runs on %u",
			 v.sys_rate, (p->flags & OM_BAL_P_HINT_IO) ?
			 " (iojob)" : "", om_bal_cpu_rate(&v), p->where);
		return true;
	}
	return false;
}

static u32 om_bal_mib(u64 kib)
{
	kib >>= 10;
	return kib > 0xffffffffULL ? 0xffffffffU : (u32)kib;
}

/* Rule 2: memory ushering, load ignored */
static bool om_bal_rule_usher(const struct om_bal_tun *t,
			      const struct om_bal_self *s,
			      const struct om_bal_node *nodes, u32 n_nodes,
			      const struct om_bal_proc *procs, u32 n_procs,
			      struct om_bal_decision *d)
{
	u64 thr = om_bal_usher_thr(t, s->mem_total), deficit;
	const struct om_bal_proc *bp = NULL;
	const struct om_bal_node *bn = NULL;
	bool b_solves = false;
	u32 i, j;

	if (!s->mem_total || s->mem_free >= thr)
		return false;
	deficit = thr - s->mem_free;
	for (i = 0; i < n_procs; i++) {
		const struct om_bal_proc *p = &procs[i];
		const struct om_bal_node *pn = NULL;
		bool solves;

		if (om_bal_pinned(t, s, p, true) ||
		    p->mem_kib < OM_BAL_USHER_MIN_MOVE_KIB)
			continue;
		for (j = 0; j < n_nodes; j++) {
			const struct om_bal_node *n = &nodes[j];

			if (!om_bal_target_ok(t, s, p, n))
				continue;
			/* The target must stay above its own threshold */
			if (!n->mem_total ||
			    !om_bal_mem_fits(t, p->mem_kib, n->mem_total,
					     n->mem_free))
				continue;
			if (!pn || n->mem_free > pn->mem_free)
				pn = n;
		}
		if (!pn)
			continue;
		/* Smallest process that solves it, else the largest one */
		solves = p->mem_kib >= deficit;
		if (!bp || (solves && !b_solves) ||
		    (solves && b_solves && p->mem_kib < bp->mem_kib) ||
		    (!solves && !b_solves && p->mem_kib > bp->mem_kib)) {
			bp = p;
			bn = pn;
			b_solves = solves;
		}
	}
	if (!bp)
		return false;
	om_bal_set(d, OM_BAL_USHER, bp, bn->node);
	d->d_self = om_bal_proc_load(bp->demand, s->speed, s->cpus);
	d->d_target = om_bal_proc_load(bp->demand, bn->speed, bn->cpus);
	d->cost_ms = om_bal_cost(t, bp, bn);
	snprintf(d->reason, sizeof(d->reason),
		 "usher: free %u MiB < %u MiB, %u MiB to %u (free %u MiB)",
		 om_bal_mib(s->mem_free), om_bal_mib(thr),
		 om_bal_mib(bp->mem_kib), bn->node, om_bal_mib(bn->mem_free));
	return true;
}

/*
 * Senders that see the same load vector would all pick the same best
 * target (a herd).  Pick at random, by self->rnd, among the targets for
 * the chosen process that pass the same tests and give at least 3/4 of
 * the best gain.  Returns true if it picked another node than *bn.
 */
static bool om_bal_rnd_pick(const struct om_bal_tun *t,
			    const struct om_bal_self *s,
			    const struct om_bal_proc *p,
			    const struct om_bal_node *nodes, u32 n_nodes,
			    s64 best, const struct om_bal_node **bn)
{
	s64 floor = best > 0 ? best - best / 4 : best;
	u32 j, good = 0, pick;

	if (!s->rnd)
		return false;
	for (pick = 0; pick < 2; pick++) {
		u32 k = 0;

		for (j = 0; j < n_nodes; j++) {
			const struct om_bal_node *n = &nodes[j];
			u32 dt, cost;
			s64 gain;

			if (!om_bal_target_ok(t, s, p, n) ||
			    !om_bal_mem_fits(t, p->mem_kib, n->mem_total,
					     n->mem_free))
				continue;
			dt = om_bal_proc_load(p->demand, n->speed, n->cpus);
			if ((u64)n->load + dt + om_bal_margin(t, dt) > s->load)
				continue;
			cost = om_bal_cost(t, p, n);
			gain = om_bal_gain(t, s, p, n, dt, cost);
			if (gain < floor)
				continue;
			if (pick && k++ == s->rnd % good) {
				if (n == *bn)
					return false;
				*bn = n;
				return true;
			}
			if (!pick)
				good++;
		}
		if (good <= 1)
			return false;
	}
	return false;
}

/* Rules 3 and 4: load_limit (gain not required) and load balancing */
static bool om_bal_rule_load(const struct om_bal_tun *t,
			     const struct om_bal_self *s,
			     const struct om_bal_node *nodes, u32 n_nodes,
			     const struct om_bal_proc *procs, u32 n_procs,
			     bool limit, struct om_bal_decision *d)
{
	const struct om_bal_proc *bp = NULL;
	const struct om_bal_node *bn = NULL;
	u32 b_after = 0, b_ds = 0, b_dt = 0, b_cost = 0;
	struct om_bal_proc view, best;
	s64 b_gain = 0;
	u32 i, j;

	for (i = 0; i < n_procs; i++) {
		/* its statistics as a cpu/io hint makes them look */
		const struct om_bal_proc *p = &view;
		u32 ds;

		om_bal_hint_view(t, &procs[i], &view);
		if (om_bal_pinned(t, s, p, false) || om_bal_view_io(t, p))
			continue;
		if (p->cpu_ms < t->min_cpu_ms || p->demand < t->min_demand)
			continue;
		ds = om_bal_proc_load(p->demand, s->speed, s->cpus);
		for (j = 0; j < n_nodes; j++) {
			const struct om_bal_node *n = &nodes[j];
			u32 dt, margin, cost;
			u64 after;
			s64 gain;

			if (!om_bal_target_ok(t, s, p, n))
				continue;
			/* Never push a target into memory ushering */
			if (!om_bal_mem_fits(t, p->mem_kib, n->mem_total,
					     n->mem_free))
				continue;
			dt = om_bal_proc_load(p->demand, n->speed, n->cpus);
			margin = om_bal_margin(t, dt);
			after = (u64)n->load + dt;
			/* Hysteresis: the target stays clearly below us */
			if (after + margin > s->load)
				continue;
			cost = om_bal_cost(t, p, n);
			gain = om_bal_gain(t, s, p, n, dt, cost);
			if (!limit && gain < (s64)t->min_gain_ms)
				continue;
			if (!bp || gain > b_gain ||
			    (gain == b_gain && after < b_after)) {
				best = view;
				bp = &best;
				bn = n;
				b_gain = gain;
				b_after = (u32)after;
				b_ds = ds;
				b_dt = dt;
				b_cost = cost;
			}
		}
	}
	if (!bp)
		return false;
	if (om_bal_rnd_pick(t, s, bp, nodes, n_nodes, b_gain, &bn)) {
		b_dt = om_bal_proc_load(bp->demand, bn->speed, bn->cpus);
		b_cost = om_bal_cost(t, bp, bn);
		b_gain = om_bal_gain(t, s, bp, bn, b_dt, b_cost);
	}
	om_bal_set(d, limit ? OM_BAL_LIMIT : OM_BAL_LOAD, bp, bn->node);
	d->d_self = b_ds;
	d->d_target = b_dt;
	d->gain_ms = b_gain;
	d->cost_ms = b_cost;
	if (limit)
		snprintf(d->reason, sizeof(d->reason),
			 "limit: load " OM_BAL_LOAD_FMT " > limit " OM_BAL_LOAD_FMT
			 ", to %u at " OM_BAL_LOAD_FMT,
			 om_bal_li(s->load), om_bal_lf(s->load),
			 om_bal_li(s->load_limit), om_bal_lf(s->load_limit),
			 bn->node, om_bal_li(bn->load), om_bal_lf(bn->load));
	else
		snprintf(d->reason, sizeof(d->reason),
			 "load: " OM_BAL_LOAD_FMT " vs %u at " OM_BAL_LOAD_FMT
			 ", gain %lld ms, cost %u ms",
			 om_bal_li(s->load), om_bal_lf(s->load), bn->node,
			 om_bal_li(bn->load), om_bal_lf(bn->load),
			 (long long)b_gain, b_cost);
	return true;
}

enum om_bal_kind om_bal_decide(const struct om_bal_tun *t,
			       const struct om_bal_self *self,
			       const struct om_bal_node *nodes, u32 n_nodes,
			       const struct om_bal_proc *procs, u32 n_procs,
			       struct om_bal_decision *d)
{
	u32 i, fresh = 0;

	memset(d, 0, sizeof(*d));
	if (om_bal_rule_home(t, self, procs, n_procs, d))
		return d->kind;
	for (i = 0; i < n_nodes; i++)
		if (nodes[i].node && nodes[i].node != self->node &&
		    nodes[i].age_ms <= t->max_age_ms)
			fresh++;
	if (!fresh) {
		snprintf(d->reason, sizeof(d->reason),
			 "none: no fresh candidate node");
		return OM_BAL_NONE;
	}
	if (om_bal_rule_usher(t, self, nodes, n_nodes, procs, n_procs, d))
		return d->kind;
	if (self->load_limit && self->load > self->load_limit &&
	    om_bal_rule_load(t, self, nodes, n_nodes, procs, n_procs, true, d))
		return d->kind;
	if (om_bal_rule_load(t, self, nodes, n_nodes, procs, n_procs, false, d))
		return d->kind;
	snprintf(d->reason, sizeof(d->reason),
		 "none: load " OM_BAL_LOAD_FMT ", %u candidates, no move pays",
		 om_bal_li(self->load), om_bal_lf(self->load), fresh);
	return OM_BAL_NONE;
}

static void om_bal_from_entry(const struct om_load_entry *e, u32 interval_ms,
			      struct om_bal_node *n)
{
	u64 age = (u64)e->age * interval_ms;

	memset(n, 0, sizeof(*n));
	n->node = e->node;
	n->cpus = e->cpus ? e->cpus : 1;
	n->speed = e->speed ? e->speed : OM_LOAD_STD_SPEED;
	n->load = e->load;
	n->age_ms = age > 0xffffffffULL ? 0xffffffffU : (u32)age;
	n->mem_total = e->mem_total;
	n->mem_free = e->mem_free;
}

u32 om_bal_pick_nodes(const struct om_load_table *lt, u32 max_age,
		      u32 interval_ms, struct om_bal_node *out, u32 max)
{
	u32 k1 = max - max / 4, c1 = 0, c2 = 0, i, j;

	if (!max)
		return 0;
	/* The least loaded, sorted by load */
	for (i = 0; i < lt->n; i++) {
		const struct om_load_entry *e = &lt->e[i];

		if (!e->gen || e->age > max_age)
			continue;
		if (c1 == k1 && e->load >= out[c1 - 1].load)
			continue;
		if (c1 < k1)
			c1++;
		for (j = c1 - 1; j > 0 && out[j - 1].load > e->load; j--)
			out[j] = out[j - 1];
		om_bal_from_entry(e, interval_ms, &out[j]);
	}
	/* The rest of the slots: the most free memory, not already in */
	for (i = 0; i < lt->n && k1 < max; i++) {
		const struct om_load_entry *e = &lt->e[i];
		struct om_bal_node *o = out + c1;
		bool dup = false;

		if (!e->gen || e->age > max_age)
			continue;
		for (j = 0; j < c1; j++)
			if (out[j].node == e->node)
				dup = true;
		if (dup)
			continue;
		if (c2 == max - c1 && e->mem_free <= o[c2 - 1].mem_free)
			continue;
		if (c2 < max - c1)
			c2++;
		for (j = c2 - 1; j > 0 && o[j - 1].mem_free < e->mem_free; j--)
			o[j] = o[j - 1];
		om_bal_from_entry(e, interval_ms, &o[j]);
	}
	return c1 + c2;
}
