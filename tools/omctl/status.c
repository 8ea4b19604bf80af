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
