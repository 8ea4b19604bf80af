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

	if (ev < sizeof(names) / sizeof(names[0]) && names[ev])
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

	if (ev < sizeof(names) / sizeof(names[0]) && names[ev])
		return names[ev];
	return "unknown";
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
	if (json) {
		jw_open_obj(NULL);
		jw_str("event", om_mig_event_name(ev));
		jw_uint("event_code", ev);
		om_proc_json("proc", &p);
		if (tb[OM_A_REASON])
			jw_str("reason", reason);
		else
			jw_null("reason");
		jw_close_obj();
		jw_end();
		return 0;
	}
	printf("proc %u (%s) ", p.pid, p.comm);
	switch (ev) {
	case OM_MEV_START:
		printf("leaving for node %u\n", p.where);
		break;
	case OM_MEV_ARRIVED:
		printf("arrived at node %u\n", p.where);
		break;
	case OM_MEV_FAILED:
		printf("failed to migrate: %s\n", reason[0] ? reason : "no reason given");
		break;
	case OM_MEV_HOME:
		printf("came home to node %u\n", p.home);
		break;
	case OM_MEV_GUEST_IN:
		printf("guest in from node %u (pid %u there)\n", p.home, p.home_pid);
		break;
	case OM_MEV_GUEST_OUT:
		printf("guest out, home node %u (pid %u there)\n", p.home, p.home_pid);
		break;
	default:
		printf("migration event %u\n", ev);
	}
	fflush(stdout);
	return 0;
}

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
	if (json) {
		jw_open_obj(NULL);
		jw_str("event", om_node_event_name(ev));
		jw_uint("event_code", ev);
		om_node_json("node", &n);
		jw_close_obj();
		jw_end();
	} else {
		printf("node %u %s %s\n", n.id, om_node_event_name(ev), a);
		fflush(stdout);
	}
	return 0;
}
