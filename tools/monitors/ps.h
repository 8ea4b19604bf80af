/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Processes as procps' libproc2 reads them (ps_read.c), with the node
 * each runs on from the kernel, and ps's output fields (ps_fmt.c) that
 * mps and mtop print them with.
 */
#ifndef _PS_H
#define _PS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

#include "mon.h"

#define PS_NAME_LEN 33

/* One process (or thread, with -L): a copy, free of libproc2's stacks */
struct ps_task {
	int pid, ppid, pgrp, sid, tpgid, tgid, tid, nlwp;
	unsigned int euid, ruid, egid, rgid;
	char euser[PS_NAME_LEN], ruser[PS_NAME_LEN];
	char egroup[PS_NAME_LEN], rgroup[PS_NAME_LEN];
	int tty_nr;
	char tty[32];
	char state;
	unsigned long flags;
	int nice, prio, rtprio, policy, psr;
	double pcpu;		/* over its life, as ps's %CPU */
	double pcpu_now;	/* over the last interval (mtop) */
	unsigned long vsz_kb, rss_kb, locked_kb, code_kb, data_kb;
	unsigned long maj_flt, min_flt;
	unsigned long long tics, tics_c;	/* CPU time, clock ticks */
	unsigned int tics_delta;		/* since the previous read */
	double start_s;		/* seconds after boot it started */
	char comm[64];
	char *args;		/* command line; NULL: none (kernel thread) */
	char wchan[64];
	bool kthread;
	/* from the kernel's process dump; NULL: not in it */
	const struct om_proc_info *om;
	/* --forest / -H */
	int depth;
	char *forest;		/* "art" before the command, or NULL */
};

struct ps_list {
	struct ps_task *t;
	unsigned int n;
};

/* What formatting needs besides the task */
struct ps_ctx {
	time_t now;
	time_t boot;		/* the machine's boot time */
	uint64_t mem_total_kb;
	long hertz;
	bool cumulative;	/* S: children's CPU time counted */
	bool bsd_cmd;		/* c: the command name, not the command line */
};

/* ---- ps_read.c ---- */
struct ps_reader;
int ps_reader_new(struct ps_reader **r, bool threads);
void ps_reader_free(struct ps_reader *r);
/* Read every process into l (freed first); 0 or -errno */
int ps_read(struct ps_reader *r, struct ps_list *l);
void ps_list_free(struct ps_list *l);
/* boot time, memory, clock ticks into c */
void ps_ctx_init(struct ps_ctx *c);
/* Give each task its kernel view (NULL when the dump lacks it). */
void ps_attach(struct ps_list *l, const struct mon_snap *s);

/* ---- ps_fmt.c: ps's output fields ---- */
struct ps_field;

struct ps_col {
	const struct ps_field *f;
	char head[64];
	int width;
};

#define PS_COLS_MAX 64

struct ps_format {
	struct ps_col col[PS_COLS_MAX];
	int n;
	bool headers;		/* any column has a header */
};

struct ps_sortkey {
	const struct ps_field *f;
	int dir;		/* +1 ascending, -1 descending */
};

#define PS_SORT_MAX 16

const struct ps_field *ps_field_find(const char *name);
/*
 * Add "-o" fields to fmt: "pid,comm", "pid comm", "pid=ID", "pid:10";
 * after '=' the rest of the word is the header (as ps).  0, or -EINVAL
 * with the bad name in *bad.
 */
int ps_format_add(struct ps_format *fmt, const char *spec, const char **bad);
/* ps's --sort: "[+|-]key[,...]"; 0 or -EINVAL */
int ps_sort_parse(struct ps_sortkey *keys, int *nkeys, const char *spec,
		  const char **bad);
/* The value of field f for t, as text */
void ps_field_text(const struct ps_field *f, char *buf, size_t len,
		   const struct ps_task *t, const struct ps_ctx *c);
int ps_cmp(const struct ps_task *a, const struct ps_task *b,
	   const struct ps_sortkey *keys, int nkeys, const struct ps_ctx *c);
/*
 * The header line and one task's line, through the print API (text);
 * width 0: no limit
 */
void ps_print_header(const struct ps_format *fmt, int width);
void ps_print_task(const struct ps_format *fmt, const struct ps_task *t,
		   const struct ps_ctx *c, int width);
/* Every supported field's name, header: "mps L"-like listing */
void ps_list_fields(void);

/* Helpers mtop shares */
void ps_fmt_user(char *buf, size_t len, const char *name, unsigned int id, int width);
void ps_fmt_time_plus(char *buf, size_t len, unsigned long long tics, long hertz);
void ps_fmt_kib(char *buf, size_t len, unsigned long kib, int width);
/* The command: args, or [comm] for a kernel thread; comm with -c */
const char *ps_cmd_text(const struct ps_task *t, bool comm_only, char *buf,
			size_t len);

#endif /* _PS_H */
