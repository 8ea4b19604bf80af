// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * One look at the kernel: omctl status, node list and proc list, through
 * omctl's own netlink code and parsers (om_nl_talk, om_node_parse,
 * om_proc_parse, om_status_print), so the web view and omctl cannot
 * disagree.  The socket is opened for each look: a module reloaded in
 * between is found again without any state to reset.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <netlink/genl/genl.h>

#include "omwebd.h"

bool omw_module_present(uint64_t *ino)
{
	struct stat st;

	if (stat(OMW_MODULE_DIR, &st))
		return false;
	if (ino)
		*ino = st.st_ino;
	return true;
}

void omw_snap_free(struct omw_snap *s)
{
	free(s->status_json);
	free(s->nodes);
	free(s->procs);
	memset(s, 0, sizeof(*s));
}

int omw_snap_alloc(struct omw_snap *s)
{
	/* untouched pages of these cost nothing */
	s->nodes = calloc(OMW_MAX_NODES, sizeof(*s->nodes));
	s->procs = calloc(OMW_MAX_PROCS, sizeof(*s->procs));
	return s->nodes && s->procs ? 0 : -1;
}

/* Our own writer's output: "stats":{"name":N,...}, names [a-z0-9_] */
void omw_parse_stats(struct omw_snap *s, const char *json)
{
	const char *p = strstr(json, "\"stats\":{");

	s->nstats = 0;
	if (!p)
		return;
	p += 9;
	while (*p == '"' && s->nstats < OMW_MAX_STATS) {
		struct omw_stat *st = &s->stats[s->nstats];
		size_t n = 0;
		char *end;

		p++;
		while ((islower((unsigned char)p[n]) || isdigit((unsigned char)p[n]) ||
			p[n] == '_') && n < sizeof(st->name) - 1)
			n++;
		if (p[n] != '"' || p[n + 1] != ':' || !isdigit((unsigned char)p[n + 2]))
			return;
		memcpy(st->name, p, n);
		st->name[n] = '\0';
		errno = 0;
		st->val = strtoull(p + n + 2, &end, 10);
		if (errno)
			return;
		s->nstats++;
		p = end;
		if (*p != ',')
			return;
		p++;
	}
}

int omw_snap_status_cb(struct nlattr **tb, void *arg)
{
	struct omw_snap *s = arg;
	struct om_node_info n;
	bool was_json = json;
	size_t len = 0;
	FILE *f;

	if (!om_node_parse(tb[OM_A_NODE], &n)) {
		s->has_self = true;
		s->self = n.id;
	}
	s->nodes_total = tb[OM_A_NODES_TOTAL] ? nla_get_u32(tb[OM_A_NODES_TOTAL]) : 0;
	s->nodes_up = tb[OM_A_NODES_UP] ? nla_get_u32(tb[OM_A_NODES_UP]) : 0;
	s->key_set = tb[OM_A_KEY_SET] && nla_get_u8(tb[OM_A_KEY_SET]);
	if (tb[OM_A_VERSION])
		snprintf(s->version, sizeof(s->version), "%s", nla_get_string(tb[OM_A_VERSION]));
	/* exactly what "omctl -j status" prints */
	free(s->status_json);
	s->status_json = NULL;
	f = open_memstream(&s->status_json, &len);
	if (!f)
		return 0;
	jw_set_output(f);
	json = true;
	om_status_print(tb, NULL);
	json = was_json;
	jw_set_output(NULL);
	fclose(f);
	if (s->status_json) {
		/* one line: drop jw_end()'s newline */
		while (len && s->status_json[len - 1] == '\n')
			s->status_json[--len] = '\0';
		omw_parse_stats(s, s->status_json);
	}
	return 0;
}

int omw_snap_node_cb(struct nlattr **tb, void *arg)
{
	struct omw_snap *s = arg;

	if (s->nnodes == OMW_MAX_NODES) {
		s->nodes_cut = true;
		return 0;
	}
	if (!om_node_parse(tb[OM_A_NODE], &s->nodes[s->nnodes]))
		s->nnodes++;
	return 0;
}

int omw_snap_proc_cb(struct nlattr **tb, void *arg)
{
	struct omw_snap *s = arg;

	if (s->nprocs == OMW_MAX_PROCS) {
		s->procs_cut = true;
		return 0;
	}
	if (!om_proc_parse(tb[OM_A_PROC], &s->procs[s->nprocs]))
		s->nprocs++;
	return 0;
}

static int talk(uint8_t cmd, int flags, om_nl_cb cb, struct omw_snap *s,
		const char *what)
{
	struct nl_msg *msg = om_nl_msg(cmd, flags);

	if (!msg) {
		fprintf(stderr, "%s: out of memory\n", om_progname);
		return EXIT_KERNEL;
	}
	return om_nl_talk(msg, what, cb, s);
}

static int snap_nl(struct omw_snap *s, bool procs)
{
	int ret;

	ret = om_nl_open(false);
	if (ret)
		return ret;
	ret = talk(OM_CMD_GET_STATUS, 0, omw_snap_status_cb, s, "status");
	if (!ret)
		ret = talk(OM_CMD_GET_NODE, NLM_F_DUMP, omw_snap_node_cb, s, "node list");
	/* the kernel checks each process's movability: only when wanted */
	if (!ret && procs)
		ret = talk(OM_CMD_GET_PROC, NLM_F_DUMP, omw_snap_proc_cb, s, "proc list");
	om_nl_close();
	return ret;
}

/* Fills s (freed first); s->loaded false with s->error saying why. */
void omw_snap_take(struct omw_snap *s, struct omw_capture *cap, bool procs)
{
	int ret;

	omw_snap_free(s);
	s->time_ms = omw_now_ms();
	s->mono_ms = omw_mono_ms();
	s->with_procs = procs;
	/* Without the module, say so without asking netlink (and logging). */
	if (!omw_module_present(NULL)) {
		snprintf(s->error, sizeof(s->error), "%s", OMW_NOT_LOADED);
		return;
	}
	if (omw_snap_alloc(s)) {
		snprintf(s->error, sizeof(s->error), "out of memory");
		return;
	}
	omw_capture_begin(cap);
	ret = snap_nl(s, procs);
	omw_capture_end(cap, s->error, sizeof(s->error));
	if (ret) {
		if (!s->error[0])
			snprintf(s->error, sizeof(s->error), "netlink error");
		s->nnodes = s->nprocs = 0;
		return;
	}
	s->error[0] = '\0';
	s->loaded = true;
}
