// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Balancer simulation: a cluster of N nodes running the module's own
 * om_load (gossip, with the member sample and pull: sim_gossip.c) and
 * om_balance (decisions) code.  One round = one
 * second = one gossip interval; each node balances every second round
 * (balance_interval_ms = 2000, staggered).  Jobs are CPU-bound with a
 * given amount of work (yardstick CPU seconds) and memory; a node shares
 * its CPUs fairly among the jobs on it; a migration freezes the job for
 * the cost the balancer estimated.  Prints TAP.  Usage: bal_sim [-v]
 *
 * Scenarios (Documentation/balancer.md, section 7):
 *  spread  N=3 lab (1 CPU, 1 GiB each): 8 jobs started on node 1 spread
 *          (every node runs at least 2 at some moment), makespan vs ideal;
 *  scale   N=100 and N=1000, mixed CPUs and speeds, all jobs started on
 *          a tenth of the nodes: spread of normalised load after settling;
 *  pingpong  migrations per job in any 60 s window, and in the last minute;
 *  churn   N=100: jobs of random length keep arriving on a fifth of the
 *          nodes; moves back to a node left less than a minute before;
 *  usher   N=3: memory jobs arriving on node 1 are ushered to the node
 *          with free memory (busier) instead of overcommitting; with
 *          ushering off, a node overcommits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "om_load.h"
#include "om_balance.h"
#include "sim_gossip.h"

#define SIM_K		2
#define SIM_W		OM_LOAD_DEF_WINDOW
#define SIM_CAND	16
#define SIM_MAX_AGE	10	/* intervals = tun.max_age_ms / 1000 */
#define SIM_MIGHIST	16
#define MIB		1024ULL

struct sim_job {
	u16 home, where;
	int active;		/* started and not finished */
	int locked;
	double start, work, done, frozen, finish;
	u64 mem_kib;
	u32 demand, cpu_ms, since_ms;
	u32 nmigs;
	int mig_t[SIM_MIGHIST];	/* rounds of the last migrations */
	u16 left_node;		/* the node it last left, and when */
	int left_t;
};

struct sim_node {
	struct om_load_table t;
	u16 cpus;
	u32 speed;
	u64 mem_total, base_kib;
	u32 nrun;		/* active jobs here */
	u64 used_kib;		/* memory of jobs here */
};

struct sim {
	u32 n, nj;
	struct sim_node *nd;
	struct om_load_table **tabs;	/* &nd[i].t, for sim_gossip.c */
	struct sim_job *j;
	u32 *order, *first;	/* jobs bucketed by node */
	struct om_bal_tun tun;
	int round;
	u32 migs, kinds[OM_BAL_LOAD + 1];
	int first_mig;
	u32 oom_events, oom_nodes;
	u32 max_migs_window;	/* over jobs, in any 60 s */
	u32 usher_worse;	/* ushers to a busier node */
	u32 refused;		/* moves the target did not accept */
	u32 pingpong;		/* back to a node left < 60 s ago */
	u32 moved2;		/* jobs moved more than twice */
};

static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static int verbose;

static u32 sim_rng(void *ctx)
{
	(void)ctx;
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static void sim_init(struct sim *s, u32 n, u32 nj)
{
	u32 i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->nj = nj;
	s->nd = calloc(n, sizeof(*s->nd));
	s->tabs = calloc(n, sizeof(*s->tabs));
	s->j = calloc(nj, sizeof(*s->j));
	s->order = calloc(nj, sizeof(u32));
	s->first = calloc(n + 2, sizeof(u32));
	s->first_mig = -1;
	om_bal_tun_default(&s->tun);
	for (i = 0; i < n; i++) {
		s->tabs[i] = &s->nd[i].t;
		s->nd[i].cpus = 1;
		s->nd[i].speed = OM_LOAD_STD_SPEED;
		s->nd[i].mem_total = 1024 * MIB;
		s->nd[i].base_kib = 200 * MIB;
	}
}

/* After the node parameters are set: tables, everyone knows the map */
static void sim_tables(struct sim *s)
{
	u32 i, j;

	for (i = 0; i < s->n; i++) {
		struct om_load_entry self = {
			.node = (u16)(i + 1), .addr = 0x0a000000 + i + 1,
			.port = 4660, .cpus = s->nd[i].cpus,
			.speed = s->nd[i].speed, .gen = 1000000,
		};

		if (om_load_table_init(&s->nd[i].t, &self, s->n, SIM_MAX_AGE * 3))
			abort();
		for (j = 0; j < s->n; j++)
			if (j != i)
				om_load_table_add(&s->nd[i].t, (u16)(j + 1),
						  0x0a000000 + j + 1, 4660);
	}
}

static void sim_free(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->n; i++)
		om_load_table_destroy(&s->nd[i].t);
	free(s->nd);
	free(s->tabs);
	free(s->j);
	free(s->order);
	free(s->first);
}

/* Count jobs and memory per node, bucket active jobs by node */
static void sim_bucket(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->n; i++) {
		s->nd[i].nrun = 0;
		s->nd[i].used_kib = 0;
	}
	memset(s->first, 0, (s->n + 2) * sizeof(u32));
	for (i = 0; i < s->nj; i++) {
		struct sim_job *j = &s->j[i];

		if (!j->active)
			continue;
		s->nd[j->where - 1].nrun++;
		s->nd[j->where - 1].used_kib += j->mem_kib;
		s->first[j->where + 1]++;
	}
	for (i = 1; i < s->n + 2; i++)
		s->first[i] += s->first[i - 1];
	for (i = 0; i < s->nj; i++)
		if (s->j[i].active)
			s->order[s->first[s->j[i].where]++] = i;
	/* first[w] now is the end of node w's bucket, first[w - 1] its start */
}

static u32 sim_bucket_start(const struct sim *s, u32 node)
{
	return node ? s->first[node - 1] : 0;
}

static u64 sim_free_kib(const struct sim_node *n)
{
	u64 used = n->base_kib + n->used_kib;

	return used >= n->mem_total ? 0 : n->mem_total - used;
}

/* True normalised load of a node (what a perfect observer would see) */
static u32 sim_load(const struct sim_node *n)
{
	return om_load_normalize(n->nrun * OM_LOAD_FSCALE, n->speed, n->cpus);
}

static void sim_gossip(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->n; i++) {
		struct sim_node *n = &s->nd[i];
		struct om_load_sample smp = {
			.runnable = n->nrun * OM_LOAD_FSCALE,
			.mem_total = n->mem_total, .mem_free = sim_free_kib(n),
			.uptime = 100 + s->round,
		};

		om_load_tick(&n->t, &smp);
	}
	/* encode, push to K peers, pull answers: as kmod/om_info.c */
	simg_exchange(s->tabs, s->n, NULL, SIM_K, SIM_W, sim_rng, NULL);
}

static u32 sim_migs_window(const struct sim_job *j, int now)
{
	u32 c = 0, i;

	for (i = 0; i < SIM_MIGHIST && i < j->nmigs; i++)
		if (now - j->mig_t[i] < 60)
			c++;
	return c;
}

static void sim_balance_node(struct sim *s, u32 idx)
{
	static struct om_bal_proc procs[4096];
	struct om_bal_node cand[SIM_CAND];
	struct sim_node *n = &s->nd[idx];
	struct om_bal_decision d;
	struct om_bal_self self = {
		.node = (u16)(idx + 1), .cpus = n->cpus, .speed = n->speed,
		.load = n->t.local_load, .mem_total = n->mem_total,
		.mem_free = sim_free_kib(n), .rnd = sim_rng(NULL) | 1,
	};
	u32 nc, np = 0, b, e, i;
	struct sim_job *j;
	struct sim_node *tn;
	struct om_load_entry *te;

	nc = om_bal_pick_nodes(&n->t, SIM_MAX_AGE, 1000, cand, SIM_CAND);
	b = sim_bucket_start(s, idx + 1);
	e = s->first[idx + 1];
	for (i = b; i < e && np < 4096; i++) {
		struct om_bal_proc *p = &procs[np++];

		j = &s->j[s->order[i]];
		memset(p, 0, sizeof(*p));
		p->pid = s->order[i];
		p->home = j->home;
		p->where = j->where;
		p->demand = j->demand;
		p->cpu_ms = j->cpu_ms;
		p->age_ms = (u32)((s->round - j->start) * 1000);
		p->mem_kib = j->mem_kib;
		p->since_mig_ms = j->since_ms;
		p->migs_min = (u16)sim_migs_window(j, s->round);
		if (j->locked)
			p->flags |= OM_BAL_P_LOCKED;
	}
	if (om_bal_decide(&s->tun, &self, cand, nc, procs, np, &d) == OM_BAL_NONE) {
		if (getenv("DBG") && n->nrun > 10 && s->round > 150) {
			printf("# DBG t=%d node %u nrun %u local %u nc %u: %s\n", s->round, idx + 1, n->nrun, n->t.local_load, nc, d.reason);
			for (i = 0; i < nc; i++) printf("#    cand %u load %u age %u\n", cand[i].node, cand[i].load, cand[i].age_ms);
		}
		return;
	}
	tn = &s->nd[d.target - 1];
	j = &s->j[d.pid];
	/* Charge the move to our view of the target until news arrives */
	te = om_load_table_find(&n->t, d.target);
	if (te) {
		te->load += d.d_target;
		te->mem_free = te->mem_free > j->mem_kib ?
			       te->mem_free - j->mem_kib : 0;
	}
	{
		/* The target's consent, on its own fresh state */
		u32 now = sim_load(tn);
		struct om_bal_self ts = {
			.node = d.target, .cpus = tn->cpus, .speed = tn->speed,
			.load = now > tn->t.local_load ? now : tn->t.local_load,
			.mem_total = tn->mem_total, .mem_free = sim_free_kib(tn),
		};

		if (!om_bal_accept_move(&s->tun, &ts, self.load, &d, j->home,
					j->mem_kib, NULL, 0)) {
			s->refused++;
			return;
		}
	}
	if (d.kind == OM_BAL_USHER && sim_load(tn) + d.d_target > sim_load(n))
		s->usher_worse++;
	if (verbose)
		printf("#   t=%3d node %u: job %u -> %u: %s\n", s->round,
		       idx + 1, d.pid, d.target, d.reason);
	/* Move: memory leaves now, the job is frozen for the transfer */
	n->nrun--;
	n->used_kib -= j->mem_kib;
	tn->nrun++;
	tn->used_kib += j->mem_kib;
	if (j->nmigs && j->left_node == d.target && s->round - j->left_t < 60)
		s->pingpong++;
	j->left_node = j->where;
	j->left_t = s->round;
	if (j->nmigs == 2)
		s->moved2++;
	j->where = d.target;
	j->frozen += d.cost_ms / 1000.0;
	j->since_ms = 0;
	j->mig_t[j->nmigs % SIM_MIGHIST] = s->round;
	j->nmigs++;
	n->t.local_load = n->t.local_load > d.d_self ?
			  n->t.local_load - d.d_self : 0;
	s->migs++;
	s->kinds[d.kind]++;
	if (s->first_mig < 0)
		s->first_mig = s->round;
	i = sim_migs_window(j, s->round);
	if (i > s->max_migs_window)
		s->max_migs_window = i;
}

/* One second: gossip, balance (half the nodes), run the jobs */
static void sim_step(struct sim *s, int balance)
{
	u32 i;

	for (i = 0; i < s->nj; i++) {
		struct sim_job *j = &s->j[i];

		if (!j->active && j->finish == 0 && j->start <= s->round &&
		    j->work > 0)
			j->active = 1;
	}
	sim_bucket(s);
	sim_gossip(s);
	if (balance)
		for (i = 0; i < s->n; i++)
			if ((s->round + i) % 2 == 0)
				sim_balance_node(s, i);
	for (i = 0; i < s->n; i++) {
		struct sim_node *n = &s->nd[i];

		if (n->base_kib + n->used_kib > n->mem_total) {
			s->oom_events++;
			if (verbose)
				printf("#   t=%3d node %u overcommitted: %llu MiB of %llu\n",
				       s->round, i + 1,
				       (unsigned long long)((n->base_kib + n->used_kib) >> 10),
				       (unsigned long long)(n->mem_total >> 10));
		}
	}
	for (i = 0; i < s->nj; i++) {
		struct sim_job *j = &s->j[i];
		struct sim_node *n;
		double share, dt = 1.0, rate;

		if (!j->active)
			continue;
		n = &s->nd[j->where - 1];
		share = n->nrun > n->cpus ? (double)n->cpus / n->nrun : 1.0;
		rate = share * n->speed / OM_LOAD_STD_SPEED;
		if (j->frozen > 0) {
			double f = j->frozen < dt ? j->frozen : dt;

			j->frozen -= f;
			dt -= f;
		}
		j->since_ms += 1000;
		j->demand = j->cpu_ms ? om_bal_decay(j->demand, 1000,
						     OM_BAL_DECAY_SLOW) : 1000;
		if (j->work - j->done <= rate * dt) {
			j->finish = s->round + (1.0 - dt) +
				    (j->work - j->done) / rate;
			j->done = j->work;
			j->active = 0;
		} else {
			j->done += rate * dt;
		}
		j->cpu_ms += (u32)(share * dt * 1000);
	}
	s->round++;
}

static int t_n, t_fail;

static void tap(int ok, const char *fmt, double a, double b)
{
	printf("%sok %d - ", ok ? "" : "not ", ++t_n);
	printf(fmt, a, b);
	printf("\n");
	if (!ok)
		t_fail++;
}

/* 8 equal CPU jobs on node 1 of a 3-node lab */
static void scn_spread(void)
{
	struct sim s;
	u32 maxrun[3] = { 0 }, i;
	double makespan = 0, ideal, work = 60;
	int all2;

	sim_init(&s, 3, 8);
	sim_tables(&s);
	for (i = 0; i < 8; i++) {
		s.j[i].home = 1;
		s.j[i].where = 1;
		s.j[i].start = 10;	/* gossip has run for 10 s */
		s.j[i].work = work;
		s.j[i].mem_kib = 8 * MIB;
	}
	while (s.round < 2000) {
		u32 left = 0;

		sim_step(&s, 1);
		for (i = 0; i < 3; i++)
			if (s.nd[i].nrun > maxrun[i])
				maxrun[i] = s.nd[i].nrun;
		for (i = 0; i < 8; i++)
			left += s.j[i].active || !s.j[i].finish;
		if (!left)
			break;
	}
	for (i = 0; i < 8; i++)
		if (s.j[i].finish - s.j[i].start > makespan)
			makespan = s.j[i].finish - s.j[i].start;
	ideal = 8 * work / 3;
	all2 = maxrun[0] >= 2 && maxrun[1] >= 2 && maxrun[2] >= 2;
	printf("# spread N=3: most jobs at once per node %u/%u/%u; %u migrations, first after %d s\n",
	       maxrun[0], maxrun[1], maxrun[2], s.migs, s.first_mig - 10);
	printf("# spread N=3: makespan %.1f s, ideal (work/CPUs) %.1f s, ratio %.3f; all on node 1: %.0f s\n",
	       makespan, ideal, makespan / ideal, 8 * work);
	tap(all2, "spread: 8 jobs from node 1 of 3, every node runs >= 2 at some moment%.0s%.0s", 0, 0);
	tap(makespan / ideal <= 1.25,
	    "spread: makespan %.3f x ideal (bound 1.25; all on node 1: %.2f x)",
	    makespan / ideal, 3.0);
	tap(s.max_migs_window <= s.tun.max_migs_min,
	    "spread: at most %.0f migrations per job in any minute (bound %.0f)",
	    s.max_migs_window, s.tun.max_migs_min);
	sim_free(&s);
}

/*
 * quiet: node 3 of 3 advertised its load for 10 s, then turned quiet;
 * 8 jobs start on node 1 at 30 s (its entry is older than max_age by
 * then): node 2 gets jobs, node 3 none.
 */
static void scn_quiet(void)
{
	struct sim s;
	u32 maxrun[3] = { 0 }, i;
	u32 to3 = 0;

	sim_init(&s, 3, 8);
	sim_tables(&s);
	for (i = 0; i < 8; i++) {
		s.j[i].home = 1;
		s.j[i].where = 1;
		s.j[i].start = 30;
		s.j[i].work = 60;
		s.j[i].mem_kib = 8 * MIB;
	}
	while (s.round < 400) {
		if (s.round == 10)
			s.nd[2].t.quiet = true;
		sim_step(&s, 1);
		for (i = 0; i < 3; i++)
			if (s.nd[i].nrun > maxrun[i])
				maxrun[i] = s.nd[i].nrun;
		for (i = 0; i < 8; i++)
			to3 += s.j[i].where == 3;
	}
	printf("# quiet N=3: most jobs at once per node %u/%u/%u; %u migrations\n",
	       maxrun[0], maxrun[1], maxrun[2], s.migs);
	tap(!to3 && maxrun[2] == 0 && maxrun[1] >= 2,
	    "quiet: a node that stopped advertising gets no job (%.0f at most), the other node %.0f",
	    maxrun[2], maxrun[1]);
	sim_free(&s);
}

struct spread_stat {
	double max, min, mean, excess;	/* excess: max over nodes of L - mean - d */
};

static void sim_spread(const struct sim *s, struct spread_stat *st)
{
	double sum = 0, sumcap = 0;
	u32 i;

	st->max = 0;
	st->min = 1e9;
	st->excess = -1e9;
	for (i = 0; i < s->n; i++) {
		const struct sim_node *n = &s->nd[i];
		double l = (double)sim_load(n) / OM_LOAD_FSCALE;

		sum += n->nrun;
		sumcap += (double)n->cpus * n->speed / OM_LOAD_STD_SPEED;
		if (l > st->max)
			st->max = l;
		if (l < st->min)
			st->min = l;
	}
	st->mean = sum / sumcap;
	for (i = 0; i < s->n; i++) {
		const struct sim_node *n = &s->nd[i];
		double l = (double)sim_load(n) / OM_LOAD_FSCALE;
		double d = (double)OM_LOAD_STD_SPEED / (n->cpus * n->speed);

		/* above the mean by more than one of its own jobs */
		if (l - st->mean - d > st->excess)
			st->excess = l - st->mean - d;
	}
}

/* N nodes of mixed size; 1.5 jobs per CPU, all started on N/10 nodes */
static void scn_scale(u32 n, int rounds)
{
	static const u16 cpus[] = { 1, 2, 4 };
	static const u32 speeds[] = { 7500, 10000, 15000 };
	struct spread_stat st;
	u32 i, totcpu = 0, nj, hot = n / 10, settle = 0, last_migs = 0;
	u32 last_total;
	double worst_excess = -1e9;
	struct sim s;

	for (i = 0; i < n; i++)
		totcpu += cpus[i % 3];
	nj = totcpu * 3 / 2;
	sim_init(&s, n, nj);
	for (i = 0; i < n; i++) {
		s.nd[i].cpus = cpus[i % 3];
		s.nd[i].speed = speeds[(i / 3) % 3];
		s.nd[i].mem_total = 4096 * MIB;
	}
	sim_tables(&s);
	for (i = 0; i < nj; i++) {
		s.j[i].home = (u16)(1 + i % hot);
		s.j[i].where = s.j[i].home;
		s.j[i].start = 20;
		s.j[i].work = 1e6;	/* running throughout */
		s.j[i].mem_kib = (4 + sim_rng(NULL) % 60) * MIB;
	}
	while (s.round < rounds) {
		sim_step(&s, 1);
		if (s.round < 30)
			continue;
		sim_spread(&s, &st);
		if (!settle && st.excess <= 0)
			settle = s.round - 20;
		/* the last 60 s are the steady state */
		if (s.round > rounds - 60) {
			if (st.excess > worst_excess)
				worst_excess = st.excess;
		}
		if (s.round == rounds - 60)
			last_migs = s.migs;
	}
	last_total = s.migs - last_migs;
	sim_spread(&s, &st);
	printf("# scale N=%u: %u CPUs, %u jobs started on %u nodes; %u migrations, first after %d s\n",
	       n, totcpu, nj, hot, s.migs, s.first_mig - 20);
	printf("# scale N=%u: no node above mean + one of its jobs after %u s; last 60 s: "
	       "load max %.2f min %.2f mean %.2f, worst excess %.2f, %u migrations (%.3f per job)\n",
	       n, settle, st.max, st.min, st.mean, worst_excess, last_total,
	       (double)last_total / nj);
	tap(settle > 0 && settle <= 240,
	    "scale N=%.0f: every node within mean + one job after %.0f s (bound 240 s)",
	    n, settle);
	tap(worst_excess <= 0.35,
	    "scale N=%.0f: steady state, no node above mean + one job + %.2f (bound 0.35)",
	    n, worst_excess);
	tap(s.max_migs_window <= s.tun.max_migs_min &&
	    (double)last_total / nj < 0.05,
	    "pingpong N=%.0f: <= 3 migrations per job in any minute, %.3f per job in the last minute",
	    n, (double)last_total / nj);
	sim_free(&s);
}

/*
 * Steady churn: jobs of random length (exponential, mean 120 s of work)
 * keep arriving on a fifth of the nodes; migrations per job-minute.
 */
static void scn_churn(u32 n, int rounds)
{
	static const u16 cpus[] = { 1, 2, 4 };
	u32 i, nj = (u32)rounds * 2, hot = n / 5;
	double jobmin = 0;
	struct sim s;

	sim_init(&s, n, nj);
	for (i = 0; i < n; i++)
		s.nd[i].cpus = cpus[i % 3];
	sim_tables(&s);
	for (i = 0; i < nj; i++) {
		double u = (sim_rng(NULL) % 10000 + 1) / 10001.0;
		double w = 0;

		/* -120 ln(u) without libm: sum of a geometric series */
		while (u < 0.999) {
			u *= 1.0 + 1.0 / 120;
			w += 1.0;
		}
		s.j[i].home = (u16)(1 + sim_rng(NULL) % hot);
		s.j[i].where = s.j[i].home;
		s.j[i].start = 20 + i / 2;	/* two per second */
		s.j[i].work = w + 1;
		s.j[i].mem_kib = (4 + sim_rng(NULL) % 28) * MIB;
	}
	while (s.round < rounds + 20)
		sim_step(&s, 1);
	for (i = 0; i < nj; i++) {
		double end = s.j[i].finish ? s.j[i].finish : s.round;

		if (s.j[i].start < s.round)
			jobmin += (end - s.j[i].start) / 60.0;
	}
	printf("# churn N=%u: %u jobs arriving on %u nodes over %d s: %u migrations (%.2f per job, %.3f per job-minute), "
	       "%u jobs moved more than twice, %u moves back to a node left < 60 s before, most per job in a minute %u\n",
	       n, nj, hot, rounds, s.migs, (double)s.migs / nj, s.migs / jobmin,
	       s.moved2, s.pingpong, s.max_migs_window);
	tap(s.max_migs_window <= s.tun.max_migs_min && s.pingpong <= nj / 100 &&
	    s.moved2 <= nj / 20,
	    "pingpong churn: %.0f moves back within a minute, %.0f jobs moved more than twice",
	    s.pingpong, s.moved2);
	sim_free(&s);
}

/* Memory jobs arrive on node 1; node 2 is busy but has memory */
static void scn_usher(int on)
{
	struct sim s;
	u32 i;

	sim_init(&s, 3, 11);
	if (!on) {
		s.tun.usher_permille = 0;
		s.tun.usher_min_kib = 0;
	}
	sim_tables(&s);
	/* node 2: 4 small CPU jobs; node 3: a locked 700 MiB job */
	for (i = 0; i < 4; i++) {
		s.j[i].home = 2;
		s.j[i].where = 2;
		s.j[i].work = 1e6;
		s.j[i].mem_kib = 4 * MIB;
		s.j[i].locked = 1;
	}
	s.j[4].home = 3;
	s.j[4].where = 3;
	s.j[4].work = 1e6;
	s.j[4].mem_kib = 700 * MIB;
	s.j[4].locked = 1;
	/* node 1: six 200 MiB eatmem-like jobs, one every 8 s from t=20 */
	for (i = 5; i < 11; i++) {
		s.j[i].home = 1;
		s.j[i].where = 1;
		s.j[i].start = 20 + 8 * (i - 5);
		s.j[i].work = 1e6;
		s.j[i].mem_kib = 200 * MIB;
	}
	s.nd[1].mem_total = 4096 * MIB;
	while (s.round < 120)
		sim_step(&s, 1);
	printf("# usher %s: %u ushers (%u to a busier node), %u load moves, %u node-seconds overcommitted\n",
	       on ? "on" : "off", s.kinds[OM_BAL_USHER], s.usher_worse,
	       s.kinds[OM_BAL_LOAD], s.oom_events);
	if (on) {
		tap(s.oom_events == 0 && s.kinds[OM_BAL_USHER] > 0 && s.usher_worse > 0,
		    "usher: %.0f ushers to the node with free memory (busier), %.0f s overcommitted",
		    s.kinds[OM_BAL_USHER], s.oom_events);
	} else {
		tap(s.oom_events > 0,
		    "usher off (control): a node overcommits for %.0f s%.0s",
		    s.oom_events, 0);
	}
	sim_free(&s);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-v"))
		verbose = 1;
	printf("TAP version 13\n# balancer simulation: om_load gossip (K=%d, W=%d, %d member records) + om_balance, 1 round = 1 s\n",
	       SIM_K, SIM_W, OM_LOAD_DEF_SAMPLE);
	scn_spread();
	scn_scale(100, 180);
	scn_scale(1000, 260);
	scn_churn(100, 300);
	scn_usher(1);
	scn_usher(0);
	/* last: the scenarios above keep their random draws */
	scn_quiet();
	simg_free();
	printf("1..%d\n", t_n);
	return t_fail ? 1 : 0;
}
