// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The transport counters (OM_A_STATS) by name, as omctl status prints
 * them.
 */
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
