// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mps: ps with a NODE column, where each process runs, as openMosix's
 * mps was; the processes from procps' libproc2, the nodes from the
 * openmosix module's process dump.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "mps.h"

static int out_width(const struct mps_opts *o)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int cols = 0;

	if (o->cols)
		return o->cols;
	if (o->wide >= 2)
		return 0;
	/* as ps: cut to the terminal, not when the output goes elsewhere */
	if (!isatty(STDOUT_FILENO))
		return 0;
	if (env && atoi(env) > 0)
		cols = atoi(env);
	else if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		cols = ws.ws_col;
	else
		cols = 80;
	return o->wide && cols < 132 ? 132 : cols;
}

int main(int argc, char **argv)
{
	struct ps_reader *r = NULL;
	struct mon_snap snap = { 0 };
	struct ps_list l = { 0 };
	struct mps_opts o;
	struct ps_ctx c;
	int ret, err;

	/* the library's messages (netlink errors) carry our name */
	om_progname = "mps";
	ret = mps_parse(argc, argv, &o);
	if (ret)
		goto out;
	if (o.help) {
		ret = mps_usage(stdout);
		goto out;
	}
	if (o.list_fields) {
		ps_list_fields();
		goto out;
	}
	if (o.version) {
		printf("mps (openMosix-NG) %s\n", OM_TOOLS_VERSION);
		goto out;
	}
	/* without the module there is no NODE to show: say so, as omctl */
	ret = mon_open(false);
	if (ret)
		goto out;
	err = ps_reader_new(&r, o.threads_lwp || o.threads_spid || o.threads);
	if (!err)
		err = ps_read(r, &l);
	if (err) {
		fprintf(stderr, "mps: cannot read the processes: %s\n", strerror(-err));
		ret = EXIT_KERNEL;
		goto out;
	}
	/* after libproc2: a process started meanwhile is just "-" */
	ret = mon_snap_read(&snap, true);
	if (ret)
		goto out;
	ps_attach(&l, &snap);
	ps_ctx_init(&c);
	ret = mps_print(&o, &l, &c, getpid(), geteuid(), out_width(&o));
out:
	fflush(stdout);
	ps_list_free(&l);
	ps_reader_free(r);
	mon_snap_free(&snap);
	mon_close();
	mps_opts_free(&o);
	return ret;
}
