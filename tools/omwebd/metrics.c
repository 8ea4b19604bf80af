// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * /metrics: Prometheus text exposition format 0.0.4.  Every family once,
 * with # HELP and # TYPE, its samples together; per-node series carry
 * node="ID"; this node's own counters carry its ID too.
 */
#include <string.h>

#include "omwebd.h"

static const char *const mev_names[] = {
	[OM_MEV_START] = "start",
	[OM_MEV_ARRIVED] = "arrived",
	[OM_MEV_FAILED] = "failed",
	[OM_MEV_HOME] = "home",
	[OM_MEV_GUEST_IN] = "guest_in",
	[OM_MEV_GUEST_OUT] = "guest_out",
};

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: \ " and newline escaped, as the format wants. */
static void label_value(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static bool is_self(const struct om_node_info *n)
{
	return n->state == OM_NODE_SELF || (n->flags & OM_NF_SELF);
}

enum node_field {
	NF_UP, NF_SELF, NF_BLOCKED, NF_LOAD, NF_RUNNABLE, NF_CPUS, NF_SPEED,
	NF_MEM_TOTAL, NF_MEM_FREE, NF_UPTIME, NF_LAST_HEARD,
};

static const struct {
	const char *name, *help;
	enum node_field field;
} node_metrics[] = {
	{ "openmosix_node_up", "1 if the node is up (this node counts as up).", NF_UP },
	{ "openmosix_node_self", "1 for the node omwebd runs on.", NF_SELF },
	{ "openmosix_node_blocked", "1 if no process may migrate to the node.", NF_BLOCKED },
	{ "openmosix_node_load",
	  "Speed-normalised load as openMosix counts it: 1 is one busy reference CPU.", NF_LOAD },
	{ "openmosix_node_runnable", "Runnable tasks on the node.", NF_RUNNABLE },
	{ "openmosix_node_cpus", "CPUs of the node.", NF_CPUS },
	{ "openmosix_node_speed", "Speed of one CPU (10000 is the reference CPU).", NF_SPEED },
	{ "openmosix_node_memory_total_bytes", "Memory of the node.", NF_MEM_TOTAL },
	{ "openmosix_node_memory_free_bytes", "Free memory of the node.", NF_MEM_FREE },
	{ "openmosix_node_uptime_seconds", "Uptime of the node.", NF_UPTIME },
	{ "openmosix_node_last_heard_seconds",
	  "Time since the node was last heard from (other nodes only).", NF_LAST_HEARD },
};

static void node_sample(FILE *f, const char *name, const struct om_node_info *n,
			enum node_field field)
{
	fprintf(f, "%s{node=\"%u\"} ", name, n->id);
	switch (field) {
	case NF_UP:
		fprintf(f, "%d\n", !strcmp(om_node_state_name(n), "up"));
		break;
	case NF_SELF:
		fprintf(f, "%d\n", is_self(n));
		break;
	case NF_BLOCKED:
		fprintf(f, "%d\n", !!(n->flags & OM_NF_BLOCKED));
		break;
	case NF_LOAD:
		fprintf(f, "%u.%02u\n", n->load / 100, n->load % 100);
		break;
	case NF_RUNNABLE:
		fprintf(f, "%u\n", n->runnable);
		break;
	case NF_CPUS:
		fprintf(f, "%u\n", n->cpus);
		break;
	case NF_SPEED:
		fprintf(f, "%u\n", n->speed);
		break;
	case NF_MEM_TOTAL:
		fprintf(f, "%llu\n", (unsigned long long)n->mem_total);
		break;
	case NF_MEM_FREE:
		fprintf(f, "%llu\n", (unsigned long long)n->mem_free);
		break;
	case NF_UPTIME:
		fprintf(f, "%llu\n", (unsigned long long)n->uptime);
		break;
	case NF_LAST_HEARD:
		fprintf(f, "%llu.%03llu\n", (unsigned long long)n->last_heard / 1000,
			(unsigned long long)n->last_heard % 1000);
		break;
	}
}

static void node_families(FILE *f, const struct omw_snap *s)
{
	for (unsigned int m = 0; m < ARRAY_SIZE(node_metrics); m++) {
		family(f, node_metrics[m].name, "gauge", node_metrics[m].help);
		for (unsigned int i = 0; i < s->nnodes; i++) {
			const struct om_node_info *n = &s->nodes[i];

			if (node_metrics[m].field == NF_LAST_HEARD &&
			    (is_self(n) || !n->has_last_heard))
				continue;
			node_sample(f, node_metrics[m].name, n, node_metrics[m].field);
		}
	}
}

/* Where this node's processes run, and the guests it hosts. */
static void proc_families(FILE *f, const struct omw_snap *s)
{
	unsigned int guests = 0;

	family(f, "openmosix_node_processes", "gauge",
	       "Processes of this node's running on the node (migrated ones elsewhere).");
	for (unsigned int i = 0; i < s->nnodes; i++) {
		unsigned int count = 0;

		for (unsigned int j = 0; j < s->nprocs; j++)
			if (!s->procs[j].guest && s->procs[j].where == s->nodes[i].id)
				count++;
		fprintf(f, "openmosix_node_processes{node=\"%u\"} %u\n", s->nodes[i].id, count);
	}
	for (unsigned int j = 0; j < s->nprocs; j++)
		guests += s->procs[j].guest;
	family(f, "openmosix_node_guests", "gauge",
	       "Processes of other nodes this node runs (known for this node only).");
	if (s->has_self)
		fprintf(f, "openmosix_node_guests{node=\"%u\"} %u\n", s->self, guests);
}

static void self_families(FILE *f, const struct omw_snap *s, const struct omw_counters *c)
{
	char name[96];

	family(f, "openmosix_nodes", "gauge", "Nodes in the node table, this one included.");
	fprintf(f, "openmosix_nodes %u\n", s->nodes_total);
	family(f, "openmosix_nodes_up", "gauge", "Nodes up, this one included.");
	fprintf(f, "openmosix_nodes_up %u\n", s->nodes_up);
	family(f, "openmosix_cluster_key_set", "gauge", "1 if a cluster key is set.");
	fprintf(f, "openmosix_cluster_key_set %d\n", s->key_set);
	family(f, "openmosix_info", "gauge", "Module and tools versions.");
	fputs("openmosix_info{version=", f);
	label_value(f, s->version);
	fputs(",tools_version=", f);
	label_value(f, OM_TOOLS_VERSION);
	fputs("} 1\n", f);
	if (!s->has_self)
		return;
	family(f, "openmosix_migration_events_total", "counter",
	       "Migration events of this node seen since omwebd started, by event.");
	for (unsigned int e = 0; e < ARRAY_SIZE(mev_names); e++)
		if (mev_names[e])
			fprintf(f, "openmosix_migration_events_total{node=\"%u\",event=\"%s\"} %llu\n",
				s->self, mev_names[e], (unsigned long long)c->mig_events[e]);
	/* transport counters: the names omctl -j status uses */
	for (unsigned int i = 0; i < s->nstats; i++) {
		snprintf(name, sizeof(name), "openmosix_transport_%s_total", s->stats[i].name);
		family(f, name, "counter", "Transport counter of this node (omctl status).");
		fprintf(f, "%s{node=\"%u\"} %llu\n", name, s->self,
			(unsigned long long)s->stats[i].val);
	}
}

void omw_metrics(FILE *f, const struct omw_snap *s, const struct omw_counters *c)
{
	family(f, "openmosix_module_loaded", "gauge",
	       "1 if the openmosix module answered omwebd's last look.");
	fprintf(f, "openmosix_module_loaded %d\n", s->loaded);
	family(f, "omwebd_sse_clients", "gauge", "Event streams open.");
	fprintf(f, "omwebd_sse_clients %u\n", c->sse_clients);
	family(f, "omwebd_http_requests_total", "counter", "HTTP requests answered.");
	fprintf(f, "omwebd_http_requests_total %llu\n", (unsigned long long)c->requests);
	family(f, "omwebd_http_refused_total", "counter",
	       "HTTP requests refused (malformed, unknown, unauthorised).");
	fprintf(f, "omwebd_http_refused_total %llu\n", (unsigned long long)c->refused);
	if (!s->loaded)
		return;
	self_families(f, s, c);
	node_families(f, s);
	proc_families(f, s);
}
