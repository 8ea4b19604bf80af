// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The transport counters (OM_A_STATS) by name, as omctl status prints
 * them.
 */
#include <arpa/inet.h>
#include <netlink/genl/genl.h>

#include "omtools.h"

static const char *const stat_names[OM_SA_MAX + 1] = {
	[OM_SA_RX_FRAMES] = "rx_frames",
	[OM_SA_TX_FRAMES] = "tx_frames",
	[OM_SA_RX_BAD_FRAME] = "rx_bad_frame",
	[OM_SA_RX_BAD_AUTH] = "rx_bad_auth",
	[OM_SA_RX_REPLAY] = "rx_replay",
	[OM_SA_HANDSHAKE_FAIL] = "handshake_fail",
	[OM_SA_CONN_ACCEPTED] = "conn_accepted",
	[OM_SA_CONN_OPENED] = "conn_opened",
	[OM_SA_CONN_CLOSED] = "conn_closed",
	[OM_SA_UNKNOWN_PEER] = "unknown_peer",
};

const char *om_stat_name(int type)
{
	if (type <= 0 || type > OM_SA_MAX)
		return NULL;
	return stat_names[type];
}

/*
 * "transport:" and four counters a line, or the object "stats"; unknown
 * (newer) counters are skipped.
 */
void om_stats_print(struct nlattr *nest)
{
	struct nlattr *a;
	int rem, col = 0;
	char fmt[64];

	print_string(PRINT_FP, NULL, "%s", "transport:");
	open_json_object("stats");
	if (nest) {
		nla_for_each_nested(a, nest, rem) {
			const char *name = om_stat_name(nla_type(a));

			if (!name || nla_len(a) != sizeof(uint64_t))
				continue;
			/* the names are ours, with no '%' */
			snprintf(fmt, sizeof(fmt), "%s%s %%llu",
				 col++ % 4 ? "  " : "\n    ", name);
			print_u64(PRINT_ANY, name, fmt, nla_get_u64(a));
		}
		print_nl();
	} else {
		print_string(PRINT_FP, NULL, "%s\n", " -");
	}
	close_json_object();
}

/* The object "stats" whatever the mode (inside a JSON document) */
void om_stats_json(struct nlattr *nest)
{
	bool was = json;

	json = true;
	om_stats_print(nest);
	json = was;
}

/*
 * omctl status's reply (OM_CMD_GET_STATUS), text or JSON; omwebd prints
 * it as JSON and the test programs feed it a fake reply.
 */
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
