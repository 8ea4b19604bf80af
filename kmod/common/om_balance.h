/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The automatic load balancer's decision core: given this node's state, a
 * few candidate nodes from the load vector and the processes that could
 * move, choose at most one migration (process, target, reason).  Pure
 * computation on caller-built arrays: no allocation, no locking, no clock,
 * so the kernel's periodic balance work and tests/sim run the same code.
 * Algorithm, rules and every constant: Documentation/balancer.md.
 *
 * Units: load in om_load's fixed point (OM_LOAD_FSCALE = one runnable task
 * per CPU of yardstick speed), memory in KiB, times in ms, CPU demand in
 * permille of one CPU, link throughput in KiB/s, syscall rates per second.
 */
#ifndef _OM_BALANCE_H
#define _OM_BALANCE_H

#include "om_port.h"
#include "om_load.h"

/* Node policy flags (om_bal_self.flags); openMosix's /proc/hpc/admin */
#define OM_BAL_F_STAY		0x01	/* nothing leaves automatically */
#define OM_BAL_F_LSTAY		0x02	/* local processes stay, guests may go */
#define OM_BAL_F_BLOCK		0x04	/* no guests accepted */
#define OM_BAL_F_QUIET		0x08	/* load not advertised (no effect here) */

/* Candidate node flags (om_bal_node.flags) */
#define OM_BAL_N_BLOCK		0x01	/* known to refuse guests */

/* Process flags (om_bal_proc.flags) */
#define OM_BAL_P_LOCKED		0x01	/* user lock: no automatic moves */
#define OM_BAL_P_CANTMOVE	0x02	/* a cantmove reason is set */
/*
 * cpujob / iojob (openMosix's mosrun -c / -i): the hint stands in for the
 * process's statistics, fading by hint_faded (permille) towards what
 * was measured: at full strength (hint_faded 0) a cpujob is never
 * I/O-bound and an iojob always is.  om_bal_hint_view.
 */
#define OM_BAL_P_HINT_CPU	0x04	/* cpujob: CPU-bound, no calls */
#define OM_BAL_P_HINT_IO	0x08	/* iojob: calls at OM_BAL_HINT_IO_X x io_rate */
#define OM_BAL_P_DENY		0x10	/* nodes[] is a deny list, not allow */
#define OM_BAL_P_INFLIGHT	0x20	/* a migration is already under way */

#define OM_BAL_NODELIST_MAX	8	/* allowed/denied nodes per process */
/* an iojob's call rate at full strength: io_rate times this */
#define OM_BAL_HINT_IO_X	4
#define OM_BAL_REASON_LEN	128	/* including the NUL */

/* Defaults of struct om_bal_tun (Documentation/balancer.md, section 4) */
#define OM_BAL_DEF_MAX_AGE_MS		10000
#define OM_BAL_DEF_MIN_CPU_MS		250
#define OM_BAL_DEF_MIN_DEMAND		300	/* permille */
#define OM_BAL_DEF_MIN_DIFF		(OM_LOAD_FSCALE / 8)
#define OM_BAL_DEF_HYST_PERMILLE	300	/* Kerrighed's 130 % */
#define OM_BAL_DEF_MAX_MIGS_MIN		3
#define OM_BAL_DEF_MIN_RESIDENCE_MS	5000
#define OM_BAL_DEF_HORIZON_MIN_MS	2000
#define OM_BAL_DEF_HORIZON_MAX_MS	60000
#define OM_BAL_DEF_MIN_GAIN_MS		200
#define OM_BAL_DEF_COST_FIXED_MS	50
#define OM_BAL_DEF_LINK_KIBPS		(10 * 1024)	/* 10 MiB/s */
#define OM_BAL_DEF_RTT_US		300
#define OM_BAL_DEF_IO_RATE		50	/* forwarded syscalls/s */
/*
 * A guest is sent home only if its calls also come this often per second
 * of its own CPU time: a per-second rate grows with the CPU share a node
 * gives, an intensity does not (Documentation/balancer.md, rule 1)
 */
#define OM_BAL_DEF_IO_CPU_RATE		500	/* forwarded syscalls/CPU s */
#define OM_BAL_DEF_USHER_PERMILLE	100	/* free memory below 10 % */
#define OM_BAL_DEF_USHER_MIN_KIB	(16 * 1024)
/*
 * Ushering moves no process smaller than this: a few MiB free nothing
 * that matters against a threshold of at least 16 MiB, and a node just
 * under it would move its shells and waiting parents one by one (seen:
 * omctl run's waiting parent, 1 MiB, moved away and back)
 */
#define OM_BAL_USHER_MIN_MOVE_KIB	(4 * 1024)
/* a cpu/io hint keeps hint_keep_permille of its strength per interval */
#define OM_BAL_DEF_HINT_INTERVAL_MS	2000
/* per-process statistics decay, keep per decay interval (openMosix) */
#define OM_BAL_DECAY_SLOW	975
#define OM_BAL_DECAY_FAST	926

struct om_bal_tun {
	u32 max_age_ms;		/* older load-vector entries are ignored */
	u32 min_cpu_ms;		/* CPU used in total before a process counts */
	u32 min_demand;		/* recent CPU demand, permille, to balance */
	u32 min_diff;		/* load gap left after a move, at least */
	u32 hyst_permille;	/* ... and at least this share of its load */
	u32 max_migs_min;	/* per process, automatic, in the last minute */
	u32 min_residence_ms;	/* since the process last arrived */
	u32 horizon_min_ms;	/* expected remaining run time = age, clamped */
	u32 horizon_max_ms;
	u32 min_gain_ms;	/* net gain (yardstick CPU ms) worth a move */
	u32 cost_fixed_ms;	/* freeze + restore + handshake */
	u32 def_link_kibps;	/* when a link's throughput is not measured */
	u32 rtt_us;		/* one forwarded system call away from home */
	u32 io_rate;		/* forwarded syscalls/s that make I/O-bound */
	u32 io_cpu_rate;	/* ... and per CPU second, for a guest's HOME */
	u32 usher_permille;	/* usher when free < this share of total */
	u64 usher_min_kib;	/* ... or below this, whichever is larger */
	u32 hint_keep_permille;	/* a cpu/io hint's strength kept ... */
	u32 hint_interval_ms;	/* ... per this interval */
};

struct om_bal_self {
	u16 node;
	u16 cpus;		/* 0 is taken as 1 */
	u32 speed;		/* 0 is taken as OM_LOAD_STD_SPEED */
	u32 load;		/* om_load_table.local_load */
	u64 mem_total;
	u64 mem_free;
	u32 flags;		/* OM_BAL_F_* */
	u32 load_limit;		/* 0: none; same scale as load */
	/* random per call: spreads simultaneous senders (0: the best) */
	u32 rnd;
};

struct om_bal_node {
	u16 node;
	u16 cpus;
	u32 speed;
	u32 load;		/* advertised, normalised */
	u32 age_ms;		/* how old our information is */
	u64 mem_total;
	u64 mem_free;
	u32 link_kibps;		/* measured throughput to it, 0: unknown */
	u32 flags;		/* OM_BAL_N_* */
};

struct om_bal_proc {
	u32 pid;		/* the caller's handle, returned as is */
	u16 home;		/* home node */
	/* node it runs on: self, or elsewhere for our deputies (home) */
	u16 where;
	u32 demand;		/* recent CPU demand (running + runnable), permille */
	u32 run;		/* recent CPU use (running only), permille */
	u32 cpu_ms;		/* CPU time used so far */
	u32 age_ms;		/* wall time since it started (or exec) */
	u64 mem_kib;		/* what a migration has to transfer */
	u32 sys_rate;		/* recent forwardable syscalls per second */
	u32 flags;		/* OM_BAL_P_* */
	u16 migs_min;		/* automatic migrations in the last minute */
	u32 since_mig_ms;	/* since it last arrived (or started) */
	u16 nodes[OM_BAL_NODELIST_MAX];	/* allow (or deny) list, 0 = unused */
	u8 n_nodes;		/* 0: every node allowed */
	u16 hint_faded;		/* permille of a HINT_* decayed away, 0..1000 */
};

enum om_bal_kind {
	OM_BAL_NONE = 0,
	OM_BAL_HOME,		/* I/O-bound: back to its home node */
	OM_BAL_USHER,		/* memory ushering */
	OM_BAL_LIMIT,		/* above load_limit */
	OM_BAL_LOAD,		/* ordinary load balancing */
};

struct om_bal_decision {
	enum om_bal_kind kind;
	u32 pid;
	u16 target;
	u32 d_self;		/* load this node sheds (normalised) */
	u32 d_target;		/* load the target gains (normalised) */
	s64 gain_ms;		/* expected net gain, yardstick CPU ms */
	u32 cost_ms;		/* expected migration cost */
	char reason[OM_BAL_REASON_LEN];
};

void om_bal_tun_default(struct om_bal_tun *t);

/*
 * One decision.  nodes[] and procs[] are read only.  Returns the kind
 * written to *d (OM_BAL_NONE: d->reason says why nothing moves).
 */
enum om_bal_kind om_bal_decide(const struct om_bal_tun *t,
			       const struct om_bal_self *self,
			       const struct om_bal_node *nodes, u32 n_nodes,
			       const struct om_bal_proc *procs, u32 n_procs,
			       struct om_bal_decision *d);

/* Whether this node takes a guest now (block, load_limit) */
bool om_bal_accept_guest(const struct om_bal_self *self);

/*
 * The target's half of the decision (mutual consent): called on the
 * target with its own current state (self->load = the larger of its
 * smoothed load and its run queue now, arrivals in flight included), the
 * sender's load and the decision as the sender made it (kind, d_target).
 * A load move is taken only if the target would still be clearly below
 * the sender, a LIMIT move if below it at all, both only if the memory
 * fits; an ushered process only if memory stays above the target's
 * threshold; a process coming home (home == self->node) always.  Guests
 * are refused by block and load_limit.  When it refuses, why (may be
 * NULL) gets the reason, NUL-terminated and cut to whylen, naming the
 * loads: "node 2 would be too loaded: 1.40 + 1.00 + margin 0.30 vs
 * sender 2.00"; else it is empty.
 */
bool om_bal_accept_move(const struct om_bal_tun *t,
			const struct om_bal_self *self, u32 sender_load,
			const struct om_bal_decision *d, u16 home, u64 mem_kib,
			char *why, size_t whylen);

/* A process's node list allows node (home always allowed) */
bool om_bal_node_allowed(const struct om_bal_proc *p, u16 node);

/* Whether the process counts as I/O-bound (rate and hints) */
bool om_bal_io_bound(const struct om_bal_tun *t, const struct om_bal_proc *p);

/*
 * A view's calls per second of its CPU time (sys_rate x 1000 / run),
 * capped at 0xffffffff; a process that used no CPU has the cap
 */
u32 om_bal_cpu_rate(const struct om_bal_proc *v);

/*
 * The decision's view of p: its sys_rate, demand and run with a cpu/io
 * hint blended in by the strength left, (1000 - hint_faded) permille
 * (iojob: OM_BAL_HINT_IO_X x io_rate calls/s, no CPU used; cpujob: no
 * calls, a whole CPU), and the HINT flags cleared.  v may be p.
 */
void om_bal_hint_view(const struct om_bal_tun *t, const struct om_bal_proc *p,
		      struct om_bal_proc *v);

/*
 * How much of a hint given elapsed_ms ago has decayed away, permille:
 * it keeps hint_keep_permille every hint_interval_ms, as openMosix aged
 * a process's statistics (0: full strength, 1000: gone).
 */
u32 om_bal_hint_faded(const struct om_bal_tun *t, u64 elapsed_ms);

/* Per-process statistic decay: keep keep_permille of old, rest sample */
u32 om_bal_decay(u32 old, u32 sample, u32 keep_permille);

/* Load a process of this demand adds on a node (speed, cpus) */
u32 om_bal_proc_load(u32 demand, u32 speed, u16 cpus);

/*
 * Fill out[0..max) with candidates from a load vector: fresh entries
 * (age <= max_age intervals) only, three quarters of the slots for the
 * least loaded, the rest for the most free memory.  interval_ms converts
 * ages.  Returns the number written.
 */
u32 om_bal_pick_nodes(const struct om_load_table *lt, u32 max_age,
		      u32 interval_ms, struct om_bal_node *out, u32 max);

#endif /* _OM_BALANCE_H */
