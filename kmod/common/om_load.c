// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Load vector: smoothing, merge, window selection, the member sample and
 * the membership pull, and their TLV encoding.
 */
#include "om_load.h"
#include "om_tlv.h"

#define OM_U32_MAX	0xffffffffU
/* Encoded size of a PULL or PULLED: nest header and two u16 */
#define OM_LOAD_RANGE_WIRE	(OM_TLV_HDRLEN + 2 * OM_TLV_ALIGN(OM_TLV_HDRLEN + 2))

static const struct om_tlv_policy om_load_entry_pol[OM_LOAD_E_MAX + 1] = {
	[OM_LOAD_E_NODE]	= { .kind = OM_TLV_U16, .flags = OM_TLV_P_REQUIRED },
	[OM_LOAD_E_ADDR]	= { .kind = OM_TLV_U32, .flags = OM_TLV_P_REQUIRED },
	[OM_LOAD_E_PORT]	= { .kind = OM_TLV_U16 },
	[OM_LOAD_E_GEN]		= { .kind = OM_TLV_U64, .flags = OM_TLV_P_REQUIRED },
	[OM_LOAD_E_AGE]		= { .kind = OM_TLV_U32 },
	[OM_LOAD_E_RUNNABLE]	= { .kind = OM_TLV_U32 },
	[OM_LOAD_E_LOAD]	= { .kind = OM_TLV_U32, .flags = OM_TLV_P_REQUIRED },
	[OM_LOAD_E_CPUS]	= { .kind = OM_TLV_U16 },
	[OM_LOAD_E_SPEED]	= { .kind = OM_TLV_U32 },
	[OM_LOAD_E_MEM_TOTAL]	= { .kind = OM_TLV_U64 },
	[OM_LOAD_E_MEM_FREE]	= { .kind = OM_TLV_U64 },
	[OM_LOAD_E_UPTIME]	= { .kind = OM_TLV_U64 },
};

static const struct om_tlv_pset om_load_entry_pset = {
	.policy = om_load_entry_pol,
	.maxtype = OM_LOAD_E_MAX,
	.reject_unknown = false,	/* newer peers may add fields */
};

static const struct om_tlv_policy om_load_range_pol[OM_LOAD_R_MAX + 1] = {
	[OM_LOAD_R_FROM]	= { .kind = OM_TLV_U16, .flags = OM_TLV_P_REQUIRED },
	[OM_LOAD_R_TO]		= { .kind = OM_TLV_U16, .flags = OM_TLV_P_REQUIRED },
};

static const struct om_tlv_pset om_load_range_pset = {
	.policy = om_load_range_pol,
	.maxtype = OM_LOAD_R_MAX,
	.reject_unknown = false,
};

static const struct om_tlv_policy om_load_pol[OM_LOAD_A_MAX + 1] = {
	[OM_LOAD_A_ENTRY] = {
		.kind = OM_TLV_NESTED,
		.flags = OM_TLV_P_MULTI,
		.nested = &om_load_entry_pset,
	},
	/* the record count is checked against OM_LOAD_MEMBERS_MAX on decode */
	[OM_LOAD_A_MEMBERS] = {
		.kind = OM_TLV_BINARY,
		.len = OM_LOAD_MEMBERS_HDR +
		       OM_LOAD_MEMBERS_MAX * OM_LOAD_MEMBER_REC_MAX,
	},
	[OM_LOAD_A_PULL] = {
		.kind = OM_TLV_NESTED,
		.nested = &om_load_range_pset,
	},
	[OM_LOAD_A_PULLED] = {
		.kind = OM_TLV_NESTED,
		.nested = &om_load_range_pset,
	},
};

static const struct om_tlv_pset om_load_pset = {
	.policy = om_load_pol,
	.maxtype = OM_LOAD_A_MAX,
	.reject_unknown = false,
};

u32 om_load_smooth(u32 old, u32 sample, u32 w_old)
{
	u64 v = (u64)old * w_old + (u64)sample * (8 - w_old);

	/* Round towards the sample so a constant input is reached exactly */
	if (sample > old)
		v += 7;
	return (u32)(v >> 3);
}

u32 om_load_normalize(u32 runnable, u32 speed, u16 cpus)
{
	u64 div, v;

	if (!speed)
		speed = OM_LOAD_STD_SPEED;
	if (!cpus)
		cpus = 1;
	div = (u64)speed * cpus;
	v = ((u64)runnable * OM_LOAD_STD_SPEED + div / 2) / div;
	return v > OM_U32_MAX ? OM_U32_MAX : (u32)v;
}

int om_load_table_init(struct om_load_table *t,
		       const struct om_load_entry *self, u32 cap, u32 max_age)
{
	memset(t, 0, sizeof(*t));
	if (!self || !self->node || !cap || cap > 65535)
		return -EINVAL;
	t->e = om_zalloc((size_t)cap * sizeof(*t->e));
	if (!t->e)
		return -ENOMEM;
	t->self = *self;
	t->self.age = 0;
	t->self.hot = 0;
	if (!t->self.cpus)
		t->self.cpus = 1;
	if (!t->self.speed)
		t->self.speed = OM_LOAD_STD_SPEED;
	t->cap = cap;
	t->max_age = max_age ? max_age : 30;
	/* long enough to span a full rotation of the sample at any size */
	t->member_age = t->max_age > OM_U32_MAX / 4 ? OM_U32_MAX : 4 * t->max_age;
	t->sample = OM_LOAD_DEF_SAMPLE;
	t->hot_rounds = OM_LOAD_DEF_HOT;
	t->pull_budget = OM_LOAD_PULL_BUDGET;
	om_load_pull_start(t);
	return 0;
}

void om_load_table_destroy(struct om_load_table *t)
{
	if (t->e)
		om_free(t->e);
	t->e = NULL;
	t->n = 0;
	t->cap = 0;
}

/* Binary search: index of node, or of the insertion point if absent */
static u32 om_load_lookup(const struct om_load_table *t, u16 node, bool *found)
{
	u32 lo = 0, hi = t->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t->e[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->e[lo].node == node;
	return lo;
}

struct om_load_entry *om_load_table_find(struct om_load_table *t, u16 node)
{
	bool found;
	u32 i = om_load_lookup(t, node, &found);

	return found ? &t->e[i] : NULL;
}

static void om_load_remove(struct om_load_table *t, u32 i)
{
	memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(t->e[0]));
	t->n--;
}

/* The stalest entry, the one a fresher newcomer may replace */
static u32 om_load_oldest(const struct om_load_table *t)
{
	u32 i, best = 0;

	for (i = 1; i < t->n; i++) {
		const struct om_load_entry *a = &t->e[i], *b = &t->e[best];

		/* Never-heard-of (gen 0) entries count as oldest */
		if ((!a->gen && b->gen) ||
		    (!a->gen == !b->gen && a->age > b->age))
			best = i;
	}
	return best;
}

/* Insert e (absent); evicts the oldest entry when full.  NULL if dropped */
static struct om_load_entry *om_load_insert(struct om_load_table *t,
					    const struct om_load_entry *e)
{
	bool found;
	u32 i;

	if (t->n == t->cap) {
		u32 old = om_load_oldest(t);

		if (t->e[old].gen && t->e[old].age <= e->age)
			return NULL;
		om_load_remove(t, old);
	}
	i = om_load_lookup(t, e->node, &found);
	memmove(&t->e[i + 1], &t->e[i], (t->n - i) * sizeof(t->e[0]));
	t->e[i] = *e;
	t->n++;
	return &t->e[i];
}

int om_load_table_add(struct om_load_table *t, u16 node, u32 addr, u16 port)
{
	struct om_load_entry e = { .node = node, .addr = addr, .port = port };
	struct om_load_entry *p;

	if (!node || node == t->self.node)
		return -EINVAL;
	p = om_load_table_find(t, node);
	if (p) {
		p->addr = addr;
		p->port = port;
		return 0;
	}
	e.age = OM_U32_MAX;
	return om_load_insert(t, &e) ? 0 : -ENOSPC;
}

void om_load_tick(struct om_load_table *t, const struct om_load_sample *s)
{
	struct om_load_entry *me = &t->self;
	u32 i, norm;

	for (i = 0; i < t->n; i++)
		if (t->e[i].age < OM_U32_MAX)
			t->e[i].age++;
	norm = om_load_normalize(s->runnable, me->speed, me->cpus);
	/* Local view: rise slowly, fall fast (do not chase short spikes) */
	t->local_load = om_load_smooth(t->local_load, norm,
				       norm > t->local_load ? OM_LOAD_W_SLOW :
							      OM_LOAD_W_FAST);
	/* Advertised: rise fast, fall slowly (do not attract a stampede) */
	me->load = om_load_smooth(me->load, norm,
				  norm > me->load ? OM_LOAD_W_FAST :
						    OM_LOAD_W_SLOW);
	me->runnable = s->runnable;
	me->mem_total = s->mem_total;
	me->mem_free = s->mem_free;
	me->uptime = s->uptime;
	me->age = 0;
	me->gen++;
	t->pull_budget = OM_LOAD_PULL_BUDGET;
}

/* A change other nodes should hear about soon, not just eventually */
static bool om_load_newsworthy(const struct om_load_entry *old,
			       const struct om_load_entry *in)
{
	u32 d, thr;

	if (!old->gen)
		return true;
	d = in->load > old->load ? in->load - old->load : old->load - in->load;
	thr = old->load / 8 + OM_LOAD_FSCALE / 8;
	return d > thr || in->cpus != old->cpus || in->speed != old->speed;
}

u32 om_load_merge(struct om_load_table *t, const struct om_load_entry *in,
		  u32 n)
{
	u32 i, taken = 0;

	for (i = 0; i < n; i++) {
		const struct om_load_entry *e = &in[i];
		struct om_load_entry *p;
		bool hot;

		/* We are the authority on ourselves */
		if (!e->node || e->node == t->self.node || !e->gen)
			continue;
		p = om_load_table_find(t, e->node);
		if (p && e->gen < p->gen)
			continue;
		if (p && e->gen == p->gen) {
			/* Same data via another path: keep the lower age */
			if (e->age < p->age)
				p->age = e->age;
			continue;
		}
		if (p) {
			hot = om_load_newsworthy(p, e);
			*p = *e;
		} else {
			hot = true;
			p = om_load_insert(t, e);
			if (!p)
				continue;
		}
		p->hot = hot ? t->hot_rounds : 0;
		/* Keep what we re-advertise decodable by every peer */
		if (!p->cpus)
			p->cpus = 1;
		if (!p->speed)
			p->speed = OM_LOAD_STD_SPEED;
		if (p->mem_free > p->mem_total)
			p->mem_free = p->mem_total;
		taken++;
	}
	return taken;
}

/* Sort key for the window: hot entries first (unless by_age), then by age */
static u32 om_load_key(const struct om_load_entry *e, bool by_age)
{
	u32 age = e->age > 0x7fffffffU ? 0x7fffffffU : e->age;

	return (e->hot && !by_age) ? age : age | 0x80000000U;
}

/*
 * Pick up to want indices of the best entries into idx (sorted by key),
 * never the entry of node skip.
 */
static u32 om_load_select(const struct om_load_table *t, u32 want, u32 start,
			  u16 skip, bool by_age, u32 *idx)
{
	u32 key[OM_LOAD_WINDOW_MAX];
	u32 cnt = 0, i, j;

	if (!want)
		return 0;
	for (i = 0; i < t->n; i++) {
		u32 k, at = (start + i) % t->n;
		const struct om_load_entry *e = &t->e[at];

		if (!e->gen || e->age > t->max_age || e->node == skip)
			continue;
		k = om_load_key(e, by_age);
		/* Strictly better than the worst kept, so ties keep order */
		if (cnt == want && k >= key[cnt - 1])
			continue;
		if (cnt < want)
			cnt++;
		for (j = cnt - 1; j > 0 && key[j - 1] > k; j--) {
			key[j] = key[j - 1];
			idx[j] = idx[j - 1];
		}
		key[j] = k;
		idx[j] = at;
	}
	return cnt;
}

static int om_load_put_entry(struct om_tlv_buf *b, const struct om_load_entry *e)
{
	int nest = om_tlv_nest_start(b, OM_LOAD_A_ENTRY);

	if (nest < 0)
		return nest;
	if (om_tlv_put_u16(b, OM_LOAD_E_NODE, e->node) ||
	    om_tlv_put_u32(b, OM_LOAD_E_ADDR, e->addr) ||
	    om_tlv_put_u16(b, OM_LOAD_E_PORT, e->port) ||
	    om_tlv_put_u64(b, OM_LOAD_E_GEN, e->gen) ||
	    om_tlv_put_u32(b, OM_LOAD_E_AGE, e->age) ||
	    om_tlv_put_u32(b, OM_LOAD_E_RUNNABLE, e->runnable) ||
	    om_tlv_put_u32(b, OM_LOAD_E_LOAD, e->load) ||
	    om_tlv_put_u16(b, OM_LOAD_E_CPUS, e->cpus) ||
	    om_tlv_put_u32(b, OM_LOAD_E_SPEED, e->speed) ||
	    om_tlv_put_u64(b, OM_LOAD_E_MEM_TOTAL, e->mem_total) ||
	    om_tlv_put_u64(b, OM_LOAD_E_MEM_FREE, e->mem_free) ||
	    om_tlv_put_u64(b, OM_LOAD_E_UPTIME, e->uptime)) {
		om_tlv_nest_cancel(b, nest);
		return -EMSGSIZE;
	}
	return om_tlv_nest_end(b, nest);
}

/* Worth advertising as a member: we have data on it that is not ancient */
static bool om_load_is_member(const struct om_load_table *t,
			      const struct om_load_entry *e)
{
	return e->gen && e->age <= t->member_age;
}

static void om_load_put_record(u8 *p, const struct om_load_entry *e)
{
	put_unaligned_le16(e->node, p);
	put_unaligned_le16(e->port, p + 2);
	put_unaligned_le32(e->addr, p + 4);
	put_unaligned_le64(e->gen, p + 8);
	put_unaligned_le32(e->age, p + 16);
	put_unaligned_le32(e->runnable, p + 20);
	put_unaligned_le32(e->load, p + 24);
	put_unaligned_le32(e->speed, p + 28);
	put_unaligned_le64(e->mem_total, p + 32);
	put_unaligned_le64(e->mem_free, p + 40);
	put_unaligned_le64(e->uptime, p + 48);
	put_unaligned_le16(e->cpus, p + 56);
	/* 58: reserved, zeroed by om_tlv_put_reserve */
}

/* How many member records still fit in b, at most max */
static u32 om_load_members_room(const struct om_tlv_buf *b, u32 extra, u32 max)
{
	size_t used = b->len + OM_TLV_HDRLEN + OM_LOAD_MEMBERS_HDR + extra;
	size_t room;

	if (b->len > b->cap || used > b->cap)
		return 0;
	room = (b->cap - used) / OM_LOAD_MEMBER_WIRE;
	return room < max ? (u32)room : max;
}

/*
 * Walk the table for the rotating sample: members from node id t->rot on,
 * wrapping once.  With out == NULL it only counts.  Returns the count and
 * the id after the last one taken in *next.
 */
static u32 om_load_walk_sample(const struct om_load_table *t, u32 max, u8 *out,
			       u16 *next)
{
	u32 i, cnt = 0, start;
	bool found;

	*next = t->rot;
	if (!t->n || !max)
		return 0;
	start = om_load_lookup(t, t->rot, &found);
	for (i = 0; i < t->n && cnt < max; i++) {
		const struct om_load_entry *e = &t->e[(start + i) % t->n];

		if (!om_load_is_member(t, e))
			continue;
		if (out)
			om_load_put_record(out + cnt * OM_LOAD_MEMBER_WIRE, e);
		cnt++;
		*next = (u16)(e->node + 1);	/* after 65535: from the start */
	}
	return cnt;
}

/* Is node in the range r, walked either way? */
static bool om_load_in_range(const struct om_load_range *r, u16 node)
{
	return r->from <= r->to ? node >= r->from && node <= r->to :
				  node <= r->from && node >= r->to;
}

/*
 * Walk the members in r (from 'from' towards 'to'), without node skip,
 * at most max (>= 1).  With out == NULL it only counts.  *last is the last id
 * covered: r->to if every member of the range was taken, else the id of
 * the entry before the first member left out (all members up to it were
 * taken).
 */
static u32 om_load_walk_range(const struct om_load_table *t,
			      const struct om_load_range *r, u16 skip, u32 max,
			      u8 *out, u16 *last)
{
	bool up = r->from <= r->to, found;
	u32 cnt = 0, i, k;

	*last = r->to;
	i = om_load_lookup(t, r->from, &found);
	/* down: start at 'from' if present, else at the next lower id */
	if (!up && !found) {
		if (!i)
			return 0;
		i--;
	}
	for (k = i; k < t->n; k = up ? k + 1 : k - 1) {
		const struct om_load_entry *e = &t->e[k];

		if (!om_load_in_range(r, e->node))
			break;
		if (e->node != skip && om_load_is_member(t, e)) {
			if (cnt == max) {
				/* max >= 1, so k is past the first entry */
				*last = t->e[up ? k - 1 : k + 1].node;
				break;
			}
			if (out)
				om_load_put_record(out + cnt * OM_LOAD_MEMBER_WIRE, e);
			cnt++;
		}
		if (!up && !k)
			break;
	}
	return cnt;
}

/* The MEMBERS attribute for cnt records; its value, records zeroed */
static u8 *om_load_put_members(struct om_tlv_buf *b, u32 cnt)
{
	u8 *p = om_tlv_put_reserve(b, OM_LOAD_A_MEMBERS, OM_LOAD_MEMBERS_HDR +
				   (size_t)cnt * OM_LOAD_MEMBER_WIRE);

	if (p)
		put_unaligned_le16(OM_LOAD_MEMBER_WIRE, p);
	return p ? p + OM_LOAD_MEMBERS_HDR : NULL;
}

static int om_load_put_range(struct om_tlv_buf *b, u16 type,
			     const struct om_load_range *r)
{
	int nest = om_tlv_nest_start(b, type);

	if (nest < 0)
		return nest;
	if (om_tlv_put_u16(b, OM_LOAD_R_FROM, r->from) ||
	    om_tlv_put_u16(b, OM_LOAD_R_TO, r->to)) {
		om_tlv_nest_cancel(b, nest);
		return -EMSGSIZE;
	}
	return om_tlv_nest_end(b, nest);
}

/* Own entry and the window: the part every peer, old or new, reads */
static int om_load_put_window(struct om_tlv_buf *b, struct om_load_table *t,
			      u32 window, u32 start, u16 skip, bool answer)
{
	u32 idx[OM_LOAD_WINDOW_MAX];
	u32 cnt, i;
	int err;

	/* quiet: others are not told our load (nor that we are fresh) */
	err = t->quiet ? 0 : om_load_put_entry(b, &t->self);
	if (err)
		return err;
	cnt = om_load_select(t, window - 1, start, skip, answer, idx);
	for (i = 0; i < cnt; i++) {
		struct om_load_entry *e = &t->e[idx[i]];

		err = om_load_put_entry(b, e);
		if (err)
			return err;
		/* an answer to one newcomer is not a round of telling news */
		if (e->hot && !answer)
			e->hot--;
	}
	return 0;
}

int om_load_encode(struct om_load_table *t, u32 window, om_load_rng_fn rng,
		   void *rng_ctx, u8 *buf, size_t cap)
{
	struct om_tlv_buf b;
	u32 cnt, start;
	u16 next;
	int err;
	u8 *p;

	if (!window || window > OM_LOAD_WINDOW_MAX || !buf)
		return -EINVAL;
	om_tlv_buf_init(&b, buf, cap);
	start = (rng && t->n) ? rng(rng_ctx) % t->n : 0;
	err = om_load_put_window(&b, t, window, start, 0, false);
	if (err)
		return err;
	/* The sample is an extra: it shrinks to what fits, PULL included */
	cnt = om_load_members_room(&b, OM_LOAD_RANGE_WIRE,
				   t->sample < OM_LOAD_MEMBERS_MAX ? t->sample :
								     OM_LOAD_MEMBERS_MAX);
	cnt = om_load_walk_sample(t, cnt, NULL, &next);
	if (cnt) {
		p = om_load_put_members(&b, cnt);
		if (!p)
			return -EMSGSIZE;
		om_load_walk_sample(t, cnt, p, &next);
		t->rot = next;
	}
	return (int)b.len;
}

void om_load_pull_start(struct om_load_table *t)
{
	t->pulling = true;
	t->pull_lo = 1;
	t->pull_hi = 0xffff;
}

bool om_load_pull_next(const struct om_load_table *t, u32 slot,
		       struct om_load_range *r)
{
	if (!t->pulling)
		return false;
	if ((slot ^ (u32)t->self.gen) & 1) {
		r->from = t->pull_hi;
		r->to = t->pull_lo;
	} else {
		r->from = t->pull_lo;
		r->to = t->pull_hi;
	}
	return true;
}

int om_load_put_pull(u8 *buf, size_t len, size_t cap,
		     const struct om_load_range *r)
{
	struct om_tlv_buf b;
	int err;

	if (!r->from || !r->to || len > cap)
		return -EINVAL;
	om_tlv_buf_init(&b, buf, cap);
	b.len = len;
	err = om_load_put_range(&b, OM_LOAD_A_PULL, r);
	return err ? err : (int)b.len;
}

void om_load_pull_answered(struct om_load_table *t,
			   const struct om_load_range *done)
{
	if (!t->pulling)
		return;
	if (done->from == t->pull_lo && done->to >= done->from) {
		if (done->to >= t->pull_hi)
			t->pulling = false;
		else
			t->pull_lo = done->to + 1;
	} else if (done->from == t->pull_hi && done->to <= done->from) {
		if (done->to <= t->pull_lo)
			t->pulling = false;
		else
			t->pull_hi = done->to - 1;
	}
}

bool om_load_pull_admit(struct om_load_table *t)
{
	if (!t->pull_budget)
		return false;
	t->pull_budget--;
	return true;
}

int om_load_encode_answer(struct om_load_table *t, u16 peer,
			  const struct om_load_range *req, u32 window,
			  u8 *buf, size_t cap)
{
	struct om_load_range done;
	struct om_tlv_buf b;
	u32 cnt;
	int err;
	u8 *p;

	if (!window || window > OM_LOAD_WINDOW_MAX || !buf || !req ||
	    !req->from || !req->to)
		return -EINVAL;
	om_tlv_buf_init(&b, buf, cap);
	err = om_load_put_window(&b, t, window, 0, peer, true);
	if (err)
		return err;
	cnt = om_load_members_room(&b, OM_LOAD_RANGE_WIRE, OM_LOAD_MEMBERS_MAX);
	/* not even one record fits: an answer could cover nothing */
	if (!cnt)
		return -EMSGSIZE;
	done.from = req->from;
	cnt = om_load_walk_range(t, req, peer, cnt, NULL, &done.to);
	if (cnt) {
		p = om_load_put_members(&b, cnt);
		if (!p)
			return -EMSGSIZE;
		om_load_walk_range(t, req, peer, cnt, p, &done.to);
	}
	err = om_load_put_range(&b, OM_LOAD_A_PULLED, &done);
	return err ? err : (int)b.len;
}

/* One packed record (rec_len bytes, the first OM_LOAD_MEMBER_WIRE known) */
static int om_load_get_record(const u8 *p, struct om_load_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->node = get_unaligned_le16(p);
	e->port = get_unaligned_le16(p + 2);
	e->addr = get_unaligned_le32(p + 4);
	e->gen = get_unaligned_le64(p + 8);
	e->age = get_unaligned_le32(p + 16);
	e->runnable = get_unaligned_le32(p + 20);
	e->load = get_unaligned_le32(p + 24);
	e->speed = get_unaligned_le32(p + 28);
	e->mem_total = get_unaligned_le64(p + 32);
	e->mem_free = get_unaligned_le64(p + 40);
	e->uptime = get_unaligned_le64(p + 48);
	e->cpus = get_unaligned_le16(p + 56);
	/* the same rules as for an ENTRY */
	if (!e->node || !e->cpus || !e->speed || e->mem_free > e->mem_total)
		return -EINVAL;
	return 0;
}

static int om_load_get_range(const struct om_tlv_attr *a,
			     struct om_load_range *r)
{
	struct om_tlv_attr rb[OM_LOAD_R_MAX + 1];
	int ret = om_tlv_parse_nested(a, &om_load_range_pset, rb);

	if (ret)
		return ret;
	r->from = om_tlv_get_u16(&rb[OM_LOAD_R_FROM]);
	r->to = om_tlv_get_u16(&rb[OM_LOAD_R_TO]);
	return r->from && r->to ? 0 : -EINVAL;
}

int om_load_decode_msg(const u8 *buf, size_t len, struct om_load_entry *out,
		       u32 max, struct om_load_msg *m)
{
	struct om_tlv_attr tb[OM_LOAD_A_MAX + 1];
	struct om_tlv_attr eb[OM_LOAD_E_MAX + 1];
	struct om_tlv_iter it;
	struct om_tlv_attr a;
	u32 n = 0;
	int ret;

	ret = om_tlv_parse(buf, len, &om_load_pset, tb);
	if (ret)
		return ret;
	if (m)
		memset(m, 0, sizeof(*m));
	/* a PULL in an answer could make two nodes answer each other forever */
	if (tb[OM_LOAD_A_PULL].val && tb[OM_LOAD_A_PULLED].val)
		return -EINVAL;
	if (tb[OM_LOAD_A_PULL].val) {
		struct om_load_range r;

		ret = om_load_get_range(&tb[OM_LOAD_A_PULL], &r);
		if (ret)
			return ret;
		if (m) {
			m->pull = true;
			m->req = r;
		}
	}
	if (tb[OM_LOAD_A_PULLED].val) {
		struct om_load_range r;

		ret = om_load_get_range(&tb[OM_LOAD_A_PULLED], &r);
		if (ret)
			return ret;
		if (m) {
			m->pulled = true;
			m->done = r;
		}
	}
	/* parse validated the structure; walk the repeated entries */
	om_tlv_iter_init(&it, buf, len);
	while ((ret = om_tlv_iter_next(&it, &a)) > 0) {
		struct om_load_entry *e;

		if (a.type != OM_LOAD_A_ENTRY)
			continue;
		if (n == max)
			return -EMSGSIZE;
		ret = om_tlv_parse_nested(&a, &om_load_entry_pset, eb);
		if (ret)
			return ret;
		e = &out[n];
		memset(e, 0, sizeof(*e));
		e->node = om_tlv_get_u16(&eb[OM_LOAD_E_NODE]);
		if (!e->node)
			return -EINVAL;
		e->addr = om_tlv_get_u32(&eb[OM_LOAD_E_ADDR]);
		e->gen = om_tlv_get_u64(&eb[OM_LOAD_E_GEN]);
		e->load = om_tlv_get_u32(&eb[OM_LOAD_E_LOAD]);
		if (eb[OM_LOAD_E_PORT].val)
			e->port = om_tlv_get_u16(&eb[OM_LOAD_E_PORT]);
		if (eb[OM_LOAD_E_AGE].val)
			e->age = om_tlv_get_u32(&eb[OM_LOAD_E_AGE]);
		if (eb[OM_LOAD_E_RUNNABLE].val)
			e->runnable = om_tlv_get_u32(&eb[OM_LOAD_E_RUNNABLE]);
		e->cpus = 1;
		if (eb[OM_LOAD_E_CPUS].val)
			e->cpus = om_tlv_get_u16(&eb[OM_LOAD_E_CPUS]);
		if (!e->cpus)
			return -EINVAL;
		e->speed = OM_LOAD_STD_SPEED;
		if (eb[OM_LOAD_E_SPEED].val)
			e->speed = om_tlv_get_u32(&eb[OM_LOAD_E_SPEED]);
		if (!e->speed)
			return -EINVAL;
		if (eb[OM_LOAD_E_MEM_TOTAL].val)
			e->mem_total = om_tlv_get_u64(&eb[OM_LOAD_E_MEM_TOTAL]);
		if (eb[OM_LOAD_E_MEM_FREE].val)
			e->mem_free = om_tlv_get_u64(&eb[OM_LOAD_E_MEM_FREE]);
		if (e->mem_free > e->mem_total)
			return -EINVAL;
		if (eb[OM_LOAD_E_UPTIME].val)
			e->uptime = om_tlv_get_u64(&eb[OM_LOAD_E_UPTIME]);
		n++;
	}
	if (ret < 0)
		return ret;
	if (tb[OM_LOAD_A_MEMBERS].val) {
		const struct om_tlv_attr *ma = &tb[OM_LOAD_A_MEMBERS];
		u32 rec, cnt, i;

		if (ma->len < OM_LOAD_MEMBERS_HDR)
			return -EINVAL;
		rec = get_unaligned_le16(ma->val);
		if (rec < OM_LOAD_MEMBER_WIRE || rec > OM_LOAD_MEMBER_REC_MAX ||
		    (ma->len - OM_LOAD_MEMBERS_HDR) % rec)
			return -EINVAL;
		cnt = (ma->len - OM_LOAD_MEMBERS_HDR) / rec;
		if (cnt > OM_LOAD_MEMBERS_MAX)
			return -EINVAL;
		for (i = 0; i < cnt; i++) {
			if (n == max)
				return -EMSGSIZE;
			ret = om_load_get_record(ma->val + OM_LOAD_MEMBERS_HDR +
						 i * rec, &out[n]);
			if (ret)
				return ret;
			n++;
		}
	}
	return (int)n;
}

int om_load_decode(const u8 *buf, size_t len, struct om_load_entry *out,
		   u32 max)
{
	return om_load_decode_msg(buf, len, out, max, NULL);
}


u32 om_load_pick_peers(const struct om_load_table *t, u32 k, om_load_rng_fn rng,
		       void *rng_ctx, u16 *out)
{
	u32 i, got = 0;

	if (!k || !rng)
		return 0;
	/* Algorithm R: every known node is chosen with probability k/n */
	for (i = 0; i < t->n; i++) {
		if (got < k) {
			out[got++] = t->e[i].node;
		} else {
			u32 j = rng(rng_ctx) % (i + 1);

			if (j < k)
				out[j] = t->e[i].node;
		}
	}
	/* The first k stay in table order otherwise; shuffle them */
	for (i = got; i > 1; i--) {
		u32 j = rng(rng_ctx) % i;
		u16 tmp = out[i - 1];

		out[i - 1] = out[j];
		out[j] = tmp;
	}
	return got;
}
