/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mps: ps's options, parsed into what to select and how to print it.
 */
#ifndef _MPS_H
#define _MPS_H

#include "ps.h"

struct mps_list {
	char **v;
	unsigned int n;
};

struct mps_opts {
	/* selection */
	bool all;		/* -e -A */
	bool unix_a;		/* -a: with a tty, no session leaders */
	bool unix_d;		/* -d: no session leaders */
	bool bsd_a, bsd_x;	/* a, x */
	bool running;		/* r */
	bool negate;		/* -N --deselect */
	struct mps_list pids, ppids, sids, users, rusers, groups, rgroups;
	struct mps_list ttys, cmds;
	/* format */
	bool bsd;		/* a BSD option was given: BSD formats */
	bool f_full, f_extra, f_long, f_jobs;	/* -f -F -l -j */
	bool b_user, b_jobs, b_long, b_vm;	/* u j l v */
	bool threads_lwp, threads_spid, threads;	/* -L -T H */
	bool ominfo, ominfol;	/* --ominfo, --ominfol */
	struct ps_format custom;	/* -o o --format */
	bool have_custom;
	bool forest, hier;	/* f --forest, -H */
	bool no_headers;	/* h --no-headers */
	int wide;		/* w, -w (twice: unlimited) */
	int cols;		/* --cols N, 0: not given */
	bool cumulative;	/* S */
	bool bsd_cmd;		/* c */
	struct ps_sortkey sort[PS_SORT_MAX];
	int nsort;
	bool help, version, list_fields;	/* --help, -V, L */
};

/* ps's arguments into o; 0, or EXIT_USAGE with a message said */
int mps_parse(int argc, char **argv, struct mps_opts *o);
void mps_opts_free(struct mps_opts *o);
/* The output format o asks for */
int mps_format(const struct mps_opts *o, struct ps_format *fmt);
/*
 * Select, sort and print l (with its kernel view attached) through the
 * print API (text, to jw_output()), lines cut at width (0: not cut);
 * self: the caller's pid, for ps's default selection (same user, same
 * tty).  0, or EXIT_USAGE.
 */
int mps_print(const struct mps_opts *o, struct ps_list *l,
	      const struct ps_ctx *c, int self, unsigned int my_euid, int width);
int mps_usage(FILE *f);

#endif /* _MPS_H */
