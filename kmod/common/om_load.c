// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Load vector: smoothing, merge, window selection and TLV encoding.
 */
#include "om_load.h"
#include "om_tlv.h"

#define OM_U32_MAX	0xffffffffU

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

static const struct om_tlv_policy om_load_pol[OM_LOAD_A_MAX + 1] = {
	[OM_LOAD_A_ENTRY] = {
		.kind = OM_TLV_NESTED,
		.flags = OM_TLV_P_MULTI,
		.nested = &om_load_entry_pset,
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
	t->hot_rounds = OM_LOAD_DEF_HOT;
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

/* Sort key for the window: hot entries first, then by age */
static u32 om_load_key(const struct om_load_entry *e)
{
	u32 age = e->age > 0x7fffffffU ? 0x7fffffffU : e->age;

	return e->hot ? age : age | 0x80000000U;
}

/* Pick up to want indices of the best entries into idx (sorted by key) */
static u32 om_load_select(const struct om_load_table *t, u32 want, u32 start,
			  u32 *idx)
{
	u32 key[OM_LOAD_WINDOW_MAX];
	u32 cnt = 0, i, j;

	for (i = 0; i < t->n; i++) {
		u32 k, at = (start + i) % t->n;
		const struct om_load_entry *e = &t->e[at];

		if (!e->gen || e->age > t->max_age)
			continue;
		k = om_load_key(e);
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

int om_load_encode(struct om_load_table *t, u32 window, om_load_rng_fn rng,
		   void *rng_ctx, u8 *buf, size_t cap)
{
	u32 idx[OM_LOAD_WINDOW_MAX];
	struct om_tlv_buf b;
	u32 cnt, i, start;
	int err;

	if (!window || window > OM_LOAD_WINDOW_MAX || !buf)
		return -EINVAL;
	om_tlv_buf_init(&b, buf, cap);
	err = om_load_put_entry(&b, &t->self);
	if (err)
		return err;
	start = (rng && t->n) ? rng(rng_ctx) % t->n : 0;
	cnt = om_load_select(t, window - 1, start, idx);
	for (i = 0; i < cnt; i++) {
		struct om_load_entry *e = &t->e[idx[i]];

		err = om_load_put_entry(&b, e);
		if (err)
			return err;
		if (e->hot)
			e->hot--;
	}
	return (int)b.len;
}

int om_load_decode(const u8 *buf, size_t len, struct om_load_entry *out,
		   u32 max)
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
	return (int)n;
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
