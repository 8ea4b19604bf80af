// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Text and JSON pieces the three monitors share.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mon.h"

void mon_fmt_load(uint32_t load, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%02u", load / 100, load % 100);
}

void mon_fmt_bytes(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "BKMGTP";
	double d = v;
	int u = 0;

	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%lluB", (unsigned long long)v);
	else
		snprintf(buf, len, "%.1f%c", d, units[u]);
}

void mon_fmt_node(const struct om_proc_info *p, char *buf, size_t len)
{
	if (!p)
		snprintf(buf, len, "-");
	else if (p->where == p->home)
		snprintf(buf, len, "home");
	else
		snprintf(buf, len, "%u", p->where);
}

long mon_node_num(const struct om_proc_info *p)
{
	if (!p)
		return -1;
	return p->where == p->home ? 0 : p->where;
}

unsigned int mon_util(const struct om_node_info *n)
{
	/* load is runnable / (cpus x speed / reference): undo the speed */
	uint64_t u = (uint64_t)n->load * (n->speed ? n->speed : 10000) / 10000;

	return u > 100 ? 100 : u;
}

void mon_total(const struct mon_snap *s, struct mon_total *t)
{
	uint64_t cap = 0, work = 0;

	memset(t, 0, sizeof(*t));
	t->guests = -1;
	for (unsigned int i = 0; i < s->nnodes; i++) {
		const struct mon_node *m = &s->nodes[i];
		uint64_t c;

		t->nodes++;
		if (m->guests >= 0)
			t->guests = m->guests;
		t->away += m->from_here;
		if (!mon_node_up(&m->n))
			continue;
		t->up++;
		t->cpus += m->n.cpus;
		t->mem_total += m->n.mem_total;
		t->mem_free += m->n.mem_free;
		/* the cluster as one machine: weigh each load by its capacity */
		c = (uint64_t)(m->n.cpus ? m->n.cpus : 1) *
		    (m->n.speed ? m->n.speed : 10000);
		cap += c;
		work += c * m->n.load;
	}
	t->load = cap ? (work + cap / 2) / cap : 0;
}

static const char *const flag_names[] = {
	"static", "discovered", "blocked", "self",
};

/* The fields and order of omctl's om_node_json(), then ours. */
void mon_node_json(const char *key, const struct mon_node *m)
{
	const struct om_node_info *n = &m->n;
	bool self = n->state == OM_NODE_SELF || (n->flags & OM_NF_SELF);
	char addr[INET_ADDRSTRLEN];

	fmt_addr(n->addr, addr, sizeof(addr));
	jw_open_obj(key);
	jw_uint("id", n->id);
	jw_str("address", addr);
	jw_uint("port", n->port);
	jw_str("state", om_node_state_name(n));
	jw_bool("self", self);
	jw_bool("blocked", n->flags & OM_NF_BLOCKED);
	jw_uint("load", n->load);
	jw_uint("runnable", n->runnable);
	jw_uint("cpus", n->cpus);
	jw_uint("speed", n->speed);
	jw_uint("mem_total", n->mem_total);
	jw_uint("mem_free", n->mem_free);
	jw_uint("uptime", n->uptime);
	jw_open_arr("flags");
	for (unsigned int i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (n->flags & (1U << i))
			jw_str(NULL, flag_names[i]);
	jw_close_arr();
	jw_open_arr("aliases");
	for (unsigned int i = 0; i < n->naliases; i++) {
		fmt_addr(n->aliases[i], addr, sizeof(addr));
		jw_str(NULL, addr);
	}
	jw_close_arr();
	if (n->has_last_heard && !self)
		jw_uint("last_heard_ms", n->last_heard);
	else
		jw_null("last_heard_ms");
	jw_uint("mem_used", n->mem_total > n->mem_free ? n->mem_total - n->mem_free : 0);
	jw_uint("util", mon_util(n));
	if (m->guests >= 0)
		jw_uint("guests", m->guests);
	else
		jw_null("guests");
	jw_uint("from_here", m->from_here);
	jw_close_obj();
}

void mon_total_json(const char *key, const struct mon_total *t)
{
	jw_open_obj(key);
	jw_uint("nodes", t->nodes);
	jw_uint("up", t->up);
	jw_uint("cpus", t->cpus);
	jw_uint("load", t->load);
	jw_uint("mem_total", t->mem_total);
	jw_uint("mem_free", t->mem_free);
	if (t->guests >= 0)
		jw_uint("guests", t->guests);
	else
		jw_null("guests");
	jw_uint("away", t->away);
	jw_close_obj();
}

void mon_proc_om_json(const struct om_proc_info *p)
{
	if (!p) {
		jw_null("node");
		jw_null("where");
		jw_null("home");
		jw_null("nmigs");
		jw_null("locked");
		jw_null("guest");
		return;
	}
	jw_uint("node", mon_node_num(p));
	jw_uint("where", p->where);
	jw_uint("home", p->home);
	jw_uint("nmigs", p->nmigs);
	jw_bool("locked", p->locked);
	jw_bool("guest", p->guest);
}

int mon_parse_secs(const char *s, int *ms)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < 0.1 || d > 86400)
		return -EINVAL;
	*ms = (int)(d * 1000 + 0.5);
	return 0;
}

long long mon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}
