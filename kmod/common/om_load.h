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
 * Besides the window, a LOAD payload carries a rotating sample of the
 * membership (packed records, so every member is re-advertised now and
 * then at a bounded cost), and a node that has just (re)started pulls the
 * membership: its frames ask each peer for the members in an id range,
 * two ranges walked from both ends of the id space, and the peer answers
 * at once with its freshest entries and one chunk of that range (push-pull,
 * at most OM_LOAD_PULL_BUDGET answers per interval).  So a joining node
 * has fresh candidates after one round trip and the whole membership after
 * about N / (2 * chunk) rounds, with no per-node cost that grows with N.
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
#define OM_LOAD_DEF_WINDOW	10
#define OM_LOAD_DEF_HOT		6	/* intervals a change is pushed */
#define OM_LOAD_MEMBERS_MAX	64	/* member records in one LOAD message */
#define OM_LOAD_DEF_SAMPLE	12	/* rotating member records per push */
#define OM_LOAD_PULL_BUDGET	2	/* pull answers a node sends per interval */
/* Entries one LOAD payload may decode to (window and member records) */
#define OM_LOAD_MSG_MAX		(OM_LOAD_WINDOW_MAX + OM_LOAD_MEMBERS_MAX)
/* Old:new weights in eighths: slow = 7:1, fast = 5:3 (MOSIX values) */
#define OM_LOAD_W_SLOW		7
#define OM_LOAD_W_FAST		5

/*
 * TLV attributes of an OM_WIRE_T_LOAD payload.  Peers that predate
 * MEMBERS, PULL and PULLED skip them (unknown attributes are skipped), so
 * they still read the window, and never ask for or get a pull answer.
 */
enum om_load_attr {
	OM_LOAD_A_UNSPEC = 0,
	OM_LOAD_A_ENTRY,	/* nested, repeated: one per node */
	OM_LOAD_A_MEMBERS,	/* binary, at most one: packed member records */
	OM_LOAD_A_PULL,		/* nested range: the sender asks for members */
	OM_LOAD_A_PULLED,	/* nested range: this payload answers a PULL */
	OM_LOAD_A_MAX = OM_LOAD_A_PULLED,
};

/* A range of node ids (PULL, PULLED), walked from 'from' towards 'to' */
enum om_load_range_attr {
	OM_LOAD_R_UNSPEC = 0,
	OM_LOAD_R_FROM,		/* u16, required, 1..65535 */
	OM_LOAD_R_TO,		/* u16, required, 1..65535 */
	OM_LOAD_R_MAX = OM_LOAD_R_TO,
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

/*
 * MEMBERS value: le16 record length (OM_LOAD_MEMBER_WIRE..
 * OM_LOAD_MEMBER_REC_MAX, so a later version may append fields that this
 * one skips), le16 reserved (0, ignored), then up to OM_LOAD_MEMBERS_MAX
 * records, each the whole entry, little-endian:
 *
 *   0 node u16, 2 port u16, 4 addr u32, 8 gen u64, 16 age u32,
 *   20 runnable u32, 24 load u32, 28 speed u32, 32 mem_total u64,
 *   40 mem_free u64, 48 uptime u64, 56 cpus u16, 58 reserved u16
 *
 * Same fields and rules as an ENTRY (node, cpus, speed not 0, mem_free <=
 * mem_total), about half its size: a record and an entry for the same
 * generation are the same data, so merging needs no new rule.
 */
#define OM_LOAD_MEMBER_WIRE	60
#define OM_LOAD_MEMBER_REC_MAX	256
#define OM_LOAD_MEMBERS_HDR	4
/*
 * Every LOAD payload this code builds fits in this many bytes (a full
 * window of 32 entries, as before the member records; pull answers fill
 * the room up to it with records).
 */
#define OM_LOAD_PAYLOAD_MAX	(OM_LOAD_WINDOW_MAX * OM_LOAD_ENTRY_WIRE + 64)

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

struct om_load_range {
	u16 from;
	u16 to;
};

/* What a LOAD payload carried besides its entries */
struct om_load_msg {
	bool pull;		/* the sender asks for members in 'req' */
	bool pulled;		/* answer: every member in 'done' was sent */
	struct om_load_range req;
	struct om_load_range done;
};

struct om_load_table {
	struct om_load_entry self;
	u32 local_load;		/* rises slowly, falls fast: for decisions */
	struct om_load_entry *e;	/* sorted by node id, never self */
	u32 n;
	u32 cap;
	u32 max_age;		/* older entries are not in the window */
	u32 member_age;		/* older ones are no longer advertised at all */
	u32 sample;		/* member records per push (0 = none) */
	u16 rot;		/* next node id of the rotating sample */
	u16 pull_lo, pull_hi;	/* ids not yet pulled, while 'pulling' */
	bool pulling;
	u8 pull_budget;		/* answers left this interval */
	u8 hot_rounds;
	/*
	 * openMosix's quiet: our own entry is left out of what we send, so
	 * others' copies of it age and they stop choosing us; we still
	 * relay the others' entries and answer PULLs.
	 */
	bool quiet;
};

/*
 * Allocate a table for up to cap other nodes.  self->node must be set;
 * self's gen should be seeded from the wall clock (e.g. ms since the
 * epoch) so it keeps growing across restarts; addr, port, cpus (>= 1) and
 * speed (0 = yardstick) are taken from self.  A new table pulls the
 * membership (om_load_pull_next), sends OM_LOAD_DEF_SAMPLE member records
 * per push and stops advertising members after 4 * max_age intervals.
 * -EINVAL / -ENOMEM.
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
 * Once per interval: age every entry, update our own (decay, gen + 1),
 * renew the pull answer budget.
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
 * Encode a LOAD payload: own entry first (not when t->quiet), then up to
 * window - 1 others,
 * hot ones first, then the freshest (ties broken by rng), then t->sample
 * member records from a rotating position in the table (as many as fit
 * in cap).  Consumes one hot round of each hot entry sent and moves the
 * rotation on.  Returns the length or -EMSGSIZE / -EINVAL.
 */
int om_load_encode(struct om_load_table *t, u32 window, om_load_rng_fn rng,
		   void *rng_ctx, u8 *buf, size_t cap);

/*
 * While the table pulls: the range to ask the slot-th peer of this
 * interval for (even and odd slots walk up from the lowest and down from
 * the highest id not yet covered; which is which alternates with our
 * generation, so one peer per interval serves both).  false when done.
 */
bool om_load_pull_next(const struct om_load_table *t, u32 slot,
		       struct om_load_range *r);
/*
 * Append a PULL for r to a payload of len bytes built by om_load_encode
 * in buf (cap bytes).  Needs no table: the caller may add a different
 * PULL per peer after unlocking.  Returns the new length or -EMSGSIZE.
 */
int om_load_put_pull(u8 *buf, size_t len, size_t cap,
		     const struct om_load_range *r);
/* Restart pulling (a new table starts pulling by itself) */
void om_load_pull_start(struct om_load_table *t);
/* An answer arrived: the covered range moves the matching end on */
void om_load_pull_answered(struct om_load_table *t,
			   const struct om_load_range *done);
/* May we answer one more PULL this interval?  Takes one from the budget */
bool om_load_pull_admit(struct om_load_table *t);
/*
 * The answer to peer's PULL for req: own entry (not when t->quiet), the
 * window - 1 freshest
 * others (by age only, hot rounds untouched), then member records in id
 * order from req->from towards req->to, as many as fit in cap (at most
 * OM_LOAD_MEMBERS_MAX), and PULLED naming the range they cover.  The peer
 * itself is left out.  Returns the length or -EMSGSIZE / -EINVAL.
 */
int om_load_encode_answer(struct om_load_table *t, u16 peer,
			  const struct om_load_range *req, u32 window,
			  u8 *buf, size_t cap);

/*
 * Decode a LOAD payload: its entries and member records into out[0..max),
 * the rest into *m (may be NULL).  Returns the number of entries,
 * -EBADMSG / -EINVAL for malformed input (also: a bad member list, a
 * range with node id 0, PULL and PULLED together, any of MEMBERS, PULL or
 * PULLED twice), -EMSGSIZE if more than max.
 */
int om_load_decode_msg(const u8 *buf, size_t len, struct om_load_entry *out,
		       u32 max, struct om_load_msg *m);
/* The same, entries only */
int om_load_decode(const u8 *buf, size_t len, struct om_load_entry *out,
		   u32 max);

/*
 * Pick up to k distinct random peers (reservoir sampling over the known
 * set, so O(n) time, no allocation).  Returns the number written to out.
 */
u32 om_load_pick_peers(const struct om_load_table *t, u32 k, om_load_rng_fn rng,
		       void *rng_ctx, u16 *out);

#endif /* _OM_LOAD_H */
