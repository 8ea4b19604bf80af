// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl status: this node and a cluster summary.
 */
#include <string.h>
#include <netlink/genl/genl.h>

#include "omctl.h"

static int usage(FILE *f)
{
	fprintf(f, "Usage: omctl status\n"
		   "  this node, cluster size, key state, version and counters\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

/* Shared with the test program, which feeds it a fake reply. */
int om_status_print(struct nlattr **tb, void *arg)
{
	struct om_node_info n;
	bool have_node = !om_node_parse(tb[OM_A_NODE], &n);
	uint32_t total = tb[OM_A_NODES_TOTAL] ? nla_get_u32(tb[OM_A_NODES_TOTAL]) : 0;
	uint32_t up = tb[OM_A_NODES_UP] ? nla_get_u32(tb[OM_A_NODES_UP]) : 0;
	bool key = tb[OM_A_KEY_SET] && nla_get_u8(tb[OM_A_KEY_SET]);
	const char *ver = tb[OM_A_VERSION] ? nla_get_string(tb[OM_A_VERSION]) : "?";
	char a[INET_ADDRSTRLEN] = "-";

	if (have_node)
		fmt_addr(n.addr, a, sizeof(a));
	if (json) {
		jw_open_obj(NULL);
		if (have_node) {
			jw_uint("id", n.id);
			jw_str("address", a);
			jw_uint("port", n.port);
		} else {
			jw_null("id");
			jw_null("address");
			jw_null("port");
		}
		jw_uint("nodes_total", total);
		jw_uint("nodes_up", up);
		jw_bool("key_set", key);
		jw_str("version", ver);
		jw_str("tools_version", OM_TOOLS_VERSION);
		if (have_node)
			om_node_json("node", &n);
		om_stats_json(tb[OM_A_STATS]);
		jw_close_obj();
		jw_end();
		return 0;
	}
	if (have_node)
		printf("node:      %u  %s:%u\n", n.id, a, n.port);
	else
		printf("node:      none (no node ID set; omctl map load or omdiscd)\n");
	printf("nodes:     %u total, %u up\n", total, up);
	printf("key set:   %s\n", key ? "yes" : "no");
	printf("version:   %s (tools %s)\n", ver, OM_TOOLS_VERSION);
	om_stats_print(tb[OM_A_STATS]);
	return 0;
}

int do_status(int argc, char **argv)
{
	struct nl_msg *msg;
	int ret;

	if (argc > 0 && is_help(argv[0]))
		return usage(stdout);
	if (argc > 0)
		return toomany(argv[0]);
	ret = om_nl_open(false);
	if (ret)
		return ret;
	msg = om_nl_msg(OM_CMD_GET_STATUS, 0);
	if (!msg)
		return EXIT_KERNEL;
	return om_nl_talk(msg, "status", om_status_print, NULL);
}
