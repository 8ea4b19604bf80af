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
	char a[INET_ADDRSTRLEN];

	open_json_object(NULL);
	if (have_node) {
		fmt_addr(n.addr, a, sizeof(a));
		print_uint(PRINT_ANY, "id", "node:      %u  ", n.id);
		print_string(PRINT_ANY, "address", "%s:", a);
		print_uint(PRINT_ANY, "port", "%u\n", n.port);
	} else {
		print_null(PRINT_ANY, "id", "node:      %s\n",
			   "none (no node ID set; omctl map load or omdiscd)");
		print_null(PRINT_JSON, "address", NULL, NULL);
		print_null(PRINT_JSON, "port", NULL, NULL);
	}
	print_uint(PRINT_ANY, "nodes_total", "nodes:     %u total, ", total);
	print_uint(PRINT_ANY, "nodes_up", "%u up\n", up);
	print_yes_no(PRINT_ANY, "key_set", "key set:   %s\n", key);
	print_string(PRINT_ANY, "version", "version:   %s", ver);
	print_string(PRINT_ANY, "tools_version", " (tools %s)\n",
		     OM_TOOLS_VERSION);
	if (have_node && is_json_context())
		om_node_json("node", &n);
	om_stats_print(tb[OM_A_STATS]);
	close_json_object();
	print_end();
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
