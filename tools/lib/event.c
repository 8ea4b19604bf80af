// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The "events" multicast group's messages (omctl monitor): node events
 * and migrations, one line or one JSON object each, flushed.
 */
#include <netlink/genl/genl.h>

#include "omtools.h"

const char *om_node_event_name(unsigned int ev)
{
	static const char *const names[] = {
		[OM_EV_NODE_ADDED] = "added",
		[OM_EV_NODE_REMOVED] = "removed",
		[OM_EV_NODE_UP] = "up",
		[OM_EV_NODE_DOWN] = "down",
		[OM_EV_NODE_BLOCKED] = "blocked",
		[OM_EV_NODE_UNBLOCKED] = "unblocked",
	};

	if (ev < ARRAY_SIZE(names) && names[ev])
		return names[ev];
	return "unknown";
}

const char *om_mig_event_name(unsigned int ev)
{
	static const char *const names[] = {
		[OM_MEV_START] = "start",
		[OM_MEV_ARRIVED] = "arrived",
		[OM_MEV_FAILED] = "failed",
		[OM_MEV_HOME] = "home",
		[OM_MEV_GUEST_IN] = "guest-in",
		[OM_MEV_GUEST_OUT] = "guest-out",
	};

	if (ev < ARRAY_SIZE(names) && names[ev])
		return names[ev];
	return "unknown";
}

/* What happened to the process, in the words of the text line */
static void mig_event_text(unsigned int ev, const struct om_proc_info *p,
			   const char *reason)
{
	switch (ev) {
	case OM_MEV_START:
		print_uint(PRINT_FP, NULL, "leaving for node %u\n", p->where);
		break;
	case OM_MEV_ARRIVED:
		print_uint(PRINT_FP, NULL, "arrived at node %u\n", p->where);
		break;
	case OM_MEV_FAILED:
		print_string(PRINT_FP, NULL, "failed to migrate: %s\n",
			     reason[0] ? reason : "no reason given");
		break;
	case OM_MEV_HOME:
		print_uint(PRINT_FP, NULL, "came home to node %u\n", p->home);
		break;
	case OM_MEV_GUEST_IN:
		print_uint(PRINT_FP, NULL, "guest in from node %u", p->home);
		print_uint(PRINT_FP, NULL, " (pid %u there)\n", p->home_pid);
		break;
	case OM_MEV_GUEST_OUT:
		print_uint(PRINT_FP, NULL, "guest out, home node %u", p->home);
		print_uint(PRINT_FP, NULL, " (pid %u there)\n", p->home_pid);
		break;
	default:
		print_uint(PRINT_FP, NULL, "migration event %u\n", ev);
	}
}

/* OM_CMD_MIG_EVENT: [OM_A_MIG_EVENT, OM_A_PROC, [OM_A_REASON]] */
static int mig_event_print(struct nlattr **tb)
{
	unsigned int ev = nla_get_u8(tb[OM_A_MIG_EVENT]);
	char reason[OM_CKPT_REASON_LEN] = "";
	struct om_proc_info p;

	if (om_proc_parse(tb[OM_A_PROC], &p))
		return 0;
	if (tb[OM_A_REASON])
		snprintf(reason, sizeof(reason), "%.*s", nla_len(tb[OM_A_REASON]),
			 (const char *)nla_data(tb[OM_A_REASON]));
	open_json_object(NULL);
	print_uint(PRINT_FP, NULL, "proc %u", p.pid);
	print_string(PRINT_FP, NULL, " (%s) ", p.comm);
	print_string(PRINT_JSON, "event", NULL, om_mig_event_name(ev));
	print_uint(PRINT_JSON, "event_code", NULL, ev);
	if (is_json_context())
		om_proc_json("proc", &p);
	mig_event_text(ev, &p, reason);
	if (tb[OM_A_REASON])
		print_string(PRINT_JSON, "reason", NULL, reason);
	else
		print_null(PRINT_JSON, "reason", NULL, NULL);
	close_json_object();
	print_end();
	return 0;
}

/* A node or migration event: a line, or an object on a line; flushed */
int om_event_print(struct nlattr **tb, void *arg)
{
	unsigned int ev = tb[OM_A_EVENT] ? nla_get_u8(tb[OM_A_EVENT]) : 0;
	struct om_node_info n;
	char a[INET_ADDRSTRLEN];

	if (tb[OM_A_MIG_EVENT])
		return mig_event_print(tb);
	if (om_node_parse(tb[OM_A_NODE], &n))
		return 0;
	fmt_addr(n.addr, a, sizeof(a));
	open_json_object(NULL);
	print_uint(PRINT_FP, NULL, "node %u ", n.id);
	print_string(PRINT_ANY, "event", "%s ", om_node_event_name(ev));
	print_uint(PRINT_JSON, "event_code", NULL, ev);
	if (is_json_context())
		om_node_json("node", &n);
	print_string(PRINT_FP, NULL, "%s\n", a);
	close_json_object();
	print_end();
	return 0;
}
