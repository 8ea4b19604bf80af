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

#include "mon.h"

const char *mon_node_state(const struct om_node_info *n)
{
	if (n->flags & OM_NF_BLOCKED)
		return "block";
	if (om_node_is_self(n))
		return "self";
	return om_node_state_name(n);
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

/*
 * The node's object of omctl -j node list (libomtools' om_node_fields,
 * so the two cannot drift apart), then the fields only the monitors
 * have.  JSON mode.
 */
void mon_node_json(const char *key, const struct mon_node *m)
{
	const struct om_node_info *n = &m->n;

	open_json_object(key);
	om_node_fields(n);
	print_u64(PRINT_JSON, "mem_used", NULL,
		  n->mem_total > n->mem_free ? n->mem_total - n->mem_free : 0);
	print_uint(PRINT_JSON, "util", NULL, mon_util(n));
	if (m->guests >= 0)
		print_uint(PRINT_JSON, "guests", NULL, m->guests);
	else
		print_null(PRINT_JSON, "guests", NULL, NULL);
	print_uint(PRINT_JSON, "from_here", NULL, m->from_here);
	close_json_object();
}

void mon_total_json(const char *key, const struct mon_total *t)
{
	open_json_object(key);
	print_uint(PRINT_JSON, "nodes", NULL, t->nodes);
	print_uint(PRINT_JSON, "up", NULL, t->up);
	print_uint(PRINT_JSON, "cpus", NULL, t->cpus);
	print_uint(PRINT_JSON, "load", NULL, t->load);
	print_u64(PRINT_JSON, "mem_total", NULL, t->mem_total);
	print_u64(PRINT_JSON, "mem_free", NULL, t->mem_free);
	if (t->guests >= 0)
		print_uint(PRINT_JSON, "guests", NULL, t->guests);
	else
		print_null(PRINT_JSON, "guests", NULL, NULL);
	print_uint(PRINT_JSON, "away", NULL, t->away);
	close_json_object();
}

void mon_proc_om_json(const struct om_proc_info *p)
{
	static const char *const keys[] = {
		"node", "where", "home", "nmigs", "locked", "guest",
	};

	if (!p) {
		/* not in the kernel's dump */
		for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++)
			print_null(PRINT_JSON, keys[i], NULL, NULL);
		return;
	}
	print_uint(PRINT_JSON, "node", NULL, mon_node_num(p));
	print_uint(PRINT_JSON, "where", NULL, p->where);
	print_uint(PRINT_JSON, "home", NULL, p->home);
	print_uint(PRINT_JSON, "nmigs", NULL, p->nmigs);
	print_bool(PRINT_JSON, "locked", NULL, p->locked);
	print_bool(PRINT_JSON, "guest", NULL, p->guest);
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
