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

/* Counters by name; unknown (newer) counters are skipped. */
static void stats_walk(struct nlattr *nest, bool as_json)
{
	struct nlattr *a;
	int rem, col = 0;

	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (!om_stat_name(t) || nla_len(a) != sizeof(uint64_t))
			continue;
		if (as_json) {
			jw_uint(stat_names[t], nla_get_u64(a));
		} else {
			printf("%s%s %llu", col % 4 ? "  " : "\n    ",
			       stat_names[t],
			       (unsigned long long)nla_get_u64(a));
			col++;
		}
	}
	if (!as_json)
		putchar('\n');
}

void om_stats_json(struct nlattr *nest)
{
	jw_open_obj("stats");
	if (nest)
		stats_walk(nest, true);
	jw_close_obj();
}

void om_stats_print(struct nlattr *nest)
{
	printf("transport:");
	if (nest)
		stats_walk(nest, false);
	else
		printf(" -\n");
}
