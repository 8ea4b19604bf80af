/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The curses screens of mosmon and mtop, apart from their main loops so
 * that tests draw them from fixed data on a virtual terminal.
 */
#ifndef _MON_VIEW_H
#define _MON_VIEW_H

#include <curses.h>

#include "mon.h"
#include "ps.h"

/* ---- mon_screen.c: the terminal of both ---- */

/* Put s at (y, 0), cut to the width and padded to it, with attr. */
void mon_put_line(WINDOW *w, int y, const char *s, attr_t attr);
/* curses on, keys without echo or waiting, stderr to mon_errcap; false
 * (said on stderr as PROG) if the terminal cannot be set up */
bool mon_screen_start(const char *prog);
void mon_screen_stop(void);
enum mon_wait {
	MON_WAIT_OK,		/* a key, events (*events) or the deadline */
	MON_WAIT_GONE,		/* the terminal went away without a SIGHUP */
	MON_WAIT_ERROR,		/* poll() failed */
};
/* Wait for a key, the events socket or the deadline (mon_now_ms()) */
enum mon_wait mon_screen_wait(long long deadline, bool *events);

/* ---- mosmon ---- */

enum mosmon_view {
	MOSMON_LOAD,		/* l: speed-normalised load */
	MOSMON_MEM,		/* m: memory used and free */
	MOSMON_SPEED,		/* s: speed and CPUs */
	MOSMON_UTIL,		/* u: share of the CPUs busy */
};

struct mosmon_ui {
	enum mosmon_view view;
	bool total;		/* t: a line with the cluster's totals */
	bool help;		/* h: the keys instead of the nodes */
	unsigned int first;	/* first node shown (scrolled with + and -) */
	enum mon_conn conn;
	int interval_ms;
	char status[256];	/* the last event or error, in the bottom line */
};

enum mon_key_result {
	MON_KEY_NONE,		/* nothing to do */
	MON_KEY_REDRAW,		/* the screen changed */
	MON_KEY_REFRESH,	/* read the kernel again now */
	MON_KEY_QUIT,
};

/* Draw everything on w (its current size) at time now. */
void mosmon_draw(WINDOW *w, const struct mon_snap *s, struct mosmon_ui *ui,
		 time_t now);
/* One key (or KEY_RESIZE); rows: w's height */
enum mon_key_result mosmon_key(struct mosmon_ui *ui, int ch,
			       const struct mon_snap *s, int rows);
/* -j: the snapshot as one JSON object (the print API, json set) */
void mosmon_json(const struct mon_snap *s);
/* How many node lines fit on a screen of rows lines */
int mosmon_node_rows(const struct mosmon_ui *ui, int rows);

/* ---- mtop ---- */

enum mtop_sort {
	MTOP_SORT_CPU,		/* P */
	MTOP_SORT_MEM,		/* M */
	MTOP_SORT_NODE,		/* N */
	MTOP_SORT_TIME,		/* T */
	MTOP_SORT_PID,
};

struct mtop_ui {
	enum mtop_sort sort;
	bool reverse;		/* R: ascending instead of descending */
	bool cmdline;		/* c: full command lines */
	bool idle;		/* i: show idle processes too */
	bool nodes;		/* 1: a line per node in the summary */
	bool help;
	unsigned int first;	/* first process shown (scrolling) */
	enum mon_conn conn;
	int interval_ms;
	char status[256];
	char prompt[64];	/* d/s: the delay being typed, "" otherwise */
	bool prompting;
};

/* What one mtop frame shows: the processes (sorted by mtop_sort()). */
struct mtop_frame {
	const struct mon_snap *snap;	/* nodes and the kernel's processes */
	struct ps_task *tasks;
	unsigned int ntasks;
	time_t now;
	double uptime, loadavg[3];
	uint64_t mem_total_kb;
	long hertz;
};

void mtop_sort(struct mtop_frame *f, const struct mtop_ui *ui);
/* Is task t shown (the i toggle hides the idle ones) */
bool mtop_shown(const struct ps_task *t, const struct mtop_ui *ui);
/* The summary lines (top's first lines, the nodes); returns how many */
int mtop_summary(const struct mtop_frame *f, const struct mtop_ui *ui,
		 char lines[][512], int max);
/* The column header and one process line, width: the screen's */
void mtop_header(char *buf, size_t len, const struct mtop_ui *ui);
void mtop_line(char *buf, size_t len, const struct mtop_frame *f,
	       const struct ps_task *t, const struct mtop_ui *ui);
void mtop_draw(WINDOW *w, struct mtop_frame *f, struct mtop_ui *ui);
enum mon_key_result mtop_key(struct mtop_ui *ui, int ch, int rows,
			     unsigned int ntasks);
/*
 * One frame through the print API, text and JSON from the same calls:
 * -b's text (top's summary, the header, a line per process, lines cut at
 * width, 0: not cut) or -j's object (the nodes, their total, an object
 * per process), the same processes in the same order.
 */
void mtop_print(const struct mtop_frame *f, const struct mtop_ui *ui,
		int width);
/* "PID", "%CPU", "%MEM", "NODE", "TIME+" (as top's -o): 0 or -EINVAL */
int mtop_sort_name(const char *name, enum mtop_sort *sort);

#endif /* _MON_VIEW_H */
