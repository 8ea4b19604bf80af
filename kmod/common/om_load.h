/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The openMosix load vector: this node's entry plus recent entries about
 * others, spread by randomised gossip (every interval, a window of the
 * freshest entries goes to K random peers).  Per-node traffic is constant
 * and there is no master.  Portable: the kernel calls it from its info
 * timer, tests/sim runs 1000 instances in one process.
 *
 * Units: load values are fixed point, OM_LOAD_FSCALE = one runnable task
 * on one CPU of OM_LOAD_STD_SPEED (the yardstick), so faster or SMP nodes
 * show a lower load for the same run queue.  Memory in KiB, uptime in
 * seconds, IPv4 address in host order (10.0.0.1 = 0x0a000001).
 *
 * Locking: none; the caller serialises all calls on one table.
 */
#ifndef _OM_LOAD_H
#define _OM_LOAD_H

#include "om_port.h"

#define OM_LOAD_FSCALE		1024	/* 1.0 in load fixed point */
#define OM_LOAD_STD_SPEED	10000	/* yardstick speed */
#define OM_LOAD_WINDOW_MAX	32	/* entries in one LOAD message */
#define OM_LOAD_DEF_WINDOW	16
#define OM_LOAD_DEF_HOT		6	/* intervals a change is pushed */
/* Old:new weights in eighths: slow = 7:1, fast = 5:3 (MOSIX values) */
#define OM_LOAD_W_SLOW		7
#define OM_LOAD_W_FAST		5

/* TLV attributes of an OM_WIRE_T_LOAD payload */
enum om_load_attr {
	OM_LOAD_A_UNSPEC = 0,
	OM_LOAD_A_ENTRY,	/* nested, repeated: one per node */
	OM_LOAD_A_MAX = OM_LOAD_A_ENTRY,
};

enum om_load_entry_attr {
	OM_LOAD_E_UNSPEC = 0,
	OM_LOAD_E_NODE,		/* u16, required, 1..65535 */
	OM_LOAD_E_ADDR,		/* u32 IPv4 host order, required */
	OM_LOAD_E_PORT,		/* u16 */
	OM_LOAD_E_GEN,		/* u64, required, owner's counter */
	OM_LOAD_E_AGE,		/* u32, intervals since the owner made it */
	OM_LOAD_E_RUNNABLE,	/* u32 fixed point, raw average */
	OM_LOAD_E_LOAD,		/* u32 fixed point, advertised, required */
	OM_LOAD_E_CPUS,		/* u16 */
	OM_LOAD_E_SPEED,	/* u32 */
	OM_LOAD_E_MEM_TOTAL,	/* u64 KiB */
	OM_LOAD_E_MEM_FREE,	/* u64 KiB */
	OM_LOAD_E_UPTIME,	/* u64 s */
	OM_LOAD_E_MAX = OM_LOAD_E_UPTIME,
};

/* Encoded size of one entry (nest header + 12 attributes), for budgets */
#define OM_LOAD_ENTRY_WIRE	116

struct om_load_entry {
	u16 node;
	u16 port;
	u32 addr;
	u64 gen;		/* newer wins; owner-monotonic */
	u32 age;		/* intervals since produced (grows locally) */
	u32 runnable;
	u32 load;
	u16 cpus;
	u32 speed;
	u64 mem_total;
	u64 mem_free;
	u64 uptime;
	u8 hot;			/* local only: intervals left to push as news */
};

/* Input for one interval on the local node */
struct om_load_sample {
	u32 runnable;		/* run-queue length averaged, OM_LOAD_FSCALE */
	u64 mem_total;
	u64 mem_free;
	u64 uptime;
};

typedef u32 (*om_load_rng_fn)(void *ctx);

struct om_load_table {
	struct om_load_entry self;
	u32 local_load;		/* rises slowly, falls fast: for decisions */
	struct om_load_entry *e;	/* sorted by node id, never self */
	u32 n;
	u32 cap;
	u32 max_age;		/* older entries are not advertised */
	u8 hot_rounds;
};

/*
 * Allocate a table for up to cap other nodes.  self->node must be set;
 * self's gen should be seeded from the wall clock (e.g. ms since the
 * epoch) so it keeps growing across restarts; addr, port, cpus (>= 1) and
 * speed (0 = yardstick) are taken from self.  -EINVAL / -ENOMEM.
 */
int om_load_table_init(struct om_load_table *t,
		       const struct om_load_entry *self, u32 cap, u32 max_age);
void om_load_table_destroy(struct om_load_table *t);

/* Add a configured node (map file) without load data (gen 0) */
int om_load_table_add(struct om_load_table *t, u16 node, u32 addr, u16 port);
/* Find a node; NULL if unknown */
struct om_load_entry *om_load_table_find(struct om_load_table *t, u16 node);

/* Smoothing step: weight old:new = w_old:(8 - w_old), rounding to new */
u32 om_load_smooth(u32 old, u32 sample, u32 w_old);
/* Normalise a raw run-queue value by speed and CPU count */
u32 om_load_normalize(u32 runnable, u32 speed, u16 cpus);

/*
 * Once per interval: age every entry, update our own (decay, gen + 1).
 */
void om_load_tick(struct om_load_table *t, const struct om_load_sample *s);

/*
 * Merge received entries: for each node the higher gen wins, entries
 * about ourselves and node 0 are ignored, a full table evicts its oldest
 * entry only for a fresher one.  Changes worth telling (new node, load
 * moved by more than 1/8 + 1/8 task) are marked hot and pushed for
 * hot_rounds intervals.  Returns the number of entries taken.
 */
u32 om_load_merge(struct om_load_table *t, const struct om_load_entry *in,
		  u32 n);

/*
 * Encode a LOAD payload: own entry first, then up to window - 1 others,
 * hot ones first, then the freshest (ties broken by rng).  Consumes one
 * hot round of each hot entry sent.  Returns the length or -EMSGSIZE /
 * -EINVAL.
 */
int om_load_encode(struct om_load_table *t, u32 window, om_load_rng_fn rng,
		   void *rng_ctx, u8 *buf, size_t cap);

/*
 * Decode a LOAD payload into out[0..max).  Returns the number of entries,
 * -EBADMSG / -EINVAL for malformed input, -EMSGSIZE if more than max.
 */
int om_load_decode(const u8 *buf, size_t len, struct om_load_entry *out,
		   u32 max);

/*
 * Pick up to k distinct random peers (reservoir sampling over the known
 * set, so O(n) time, no allocation).  Returns the number written to out.
 */
u32 om_load_pick_peers(const struct om_load_table *t, u32 k, om_load_rng_fn rng,
		       void *rng_ctx, u16 *out);

#endif /* _OM_LOAD_H */
