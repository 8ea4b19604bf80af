/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mosmon, mtop and mps: what the three monitors share.  The kernel side
 * (node and process dumps, the events group) goes through libomtools,
 * the netlink and parse code omctl uses too (omtools.h); the processes
 * themselves come from procps' libproc2.
 */
#ifndef _MON_H
#define _MON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "omtools.h"

/* ---- mon_nl.c: what the kernel reports ---- */

/* One node and the guest counts derived from the process dump. */
struct mon_node {
	struct om_node_info n;
	/* guests it hosts: only known for this node (-1: not reported) */
	int guests;
	/* this node's processes that run there (0 for this node) */
	unsigned int from_here;
};

struct mon_snap {
	uint16_t self;		/* this node's id, 0 while it has none */
	struct mon_node *nodes;	/* as the kernel dumps them: self first */
	unsigned int nnodes;
	struct om_proc_info *procs;	/* by pid */
	unsigned int nprocs;
	bool have_procs;	/* the process dump was read */
	time_t when;
};

/* The family "openmosix" is registered: 1, not: 0, cannot tell: -errno. */
int mon_family_present(void);
/*
 * Open libomtools' netlink socket; "module not loaded" is said (unless
 * quiet) with om_progname, which each monitor's main() sets to its own
 * name, as the library's messages.  0, or EXIT_KERNEL.
 */
int mon_open(bool quiet);
void mon_close(void);
/* Fill s from the node and process dumps; 0 or EXIT_KERNEL. */
int mon_snap_read(struct mon_snap *s, bool procs);
void mon_snap_free(struct mon_snap *s);
/* Derive self, guests and from_here (after filling nodes and procs). */
void mon_snap_count(struct mon_snap *s);
const struct om_proc_info *mon_snap_proc(const struct mon_snap *s, uint32_t pid);
const struct mon_node *mon_snap_node(const struct mon_snap *s, uint16_t id);
bool mon_node_up(const struct om_node_info *n);

/*
 * The events socket: openmosix's "events" group, and nlctrl's "notify"
 * group, which says when the family comes (module loaded) or goes.  Its
 * own socket: events mixed into a dump's replies would be taken for
 * dump entries.
 */
enum mon_ev {
	MON_EV_NONE = 0,
	MON_EV_NODE = 1,	/* a node event: the node table changed */
	MON_EV_MIG = 2,		/* a migration event */
	MON_EV_FAMILY = 4,	/* the family came or went */
	MON_EV_LOST = 8,	/* events were dropped (overrun) */
};
int mon_ev_open(void);		/* fd, or -1 (then poll for changes) */
void mon_ev_close(void);
int mon_ev_fd(void);
/* Read what is queued: MON_EV_* bits; last: a line for the status bar. */
unsigned int mon_ev_read(char *last, size_t len);
/*
 * A node or migration event's attributes (OM_A_*) as omctl monitor's
 * line ("node 2 down 10.0.0.2", "proc 42 (sleep) arrived at node 2"),
 * without its newline; "" if it has none.
 */
void mon_event_text(struct nlattr **tb, char *buf, size_t len);

/* What a live view knows of the kernel */
enum mon_conn {
	MON_CONN_OK,
	MON_CONN_ABSENT,	/* no openmosix family: module not loaded */
	MON_CONN_ERROR,		/* loaded, but the dumps failed */
};

/*
 * A live view's link to the kernel: the netlink socket and the events
 * socket, opened again when the module comes back.
 */
struct mon_live {
	bool connected;
	enum mon_conn conn;
};
void mon_live_init(struct mon_live *lv);
/* Read s again (closing and reopening as needed); the state after it */
enum mon_conn mon_live_refresh(struct mon_live *lv, struct mon_snap *s,
			       bool procs);
/* The events socket is readable: MON_EV_* bits, last: what happened */
unsigned int mon_live_events(struct mon_live *lv, char *last, size_t len);
void mon_live_close(struct mon_live *lv);

/*
 * stderr while curses owns the terminal: into a pipe, so that a message
 * of the netlink code ends up in the status line, not across the screen.
 */
void mon_errcap_start(void);
void mon_errcap_stop(void);
/* The last complete line written meanwhile, "" if none. */
void mon_errcap_last(char *buf, size_t len);

/* ---- mon_fmt.c: text shared by the three ---- */

/*
 * The STATE column: "block", "self", else "up", "down" or "unknown".
 * Loads and sizes are printed as omctl prints them: om_fmt_load ("1.37",
 * 100 = one busy reference CPU) and om_fmt_bytes ("1.5G").
 */
const char *mon_node_state(const struct om_node_info *n);
/* Where a process runs: "home", a node id, or "-" (unknown to the module) */
void mon_fmt_node(const struct om_proc_info *p, char *buf, size_t len);
/* Node a process runs on as a number: 0 = home (openMosix's "where") */
long mon_node_num(const struct om_proc_info *p);
/* Share of the node's CPUs busy, in percent (load x speed / reference) */
unsigned int mon_util(const struct om_node_info *n);

/* Cluster totals over the nodes that are up. */
struct mon_total {
	unsigned int nodes, up, cpus;
	uint64_t mem_total, mem_free;
	uint32_t load;		/* capacity-weighted mean, as one machine */
	int guests;		/* guests on this node */
	unsigned int away;	/* this node's processes elsewhere */
};
void mon_total(const struct mon_snap *s, struct mon_total *t);

/*
 * The print API's JSON (json set: mosmon -j, mtop -j).  One node: the
 * fields of omctl -j node list (om_node_fields) plus mem_used, util,
 * guests and from_here.
 */
void mon_node_json(const char *key, const struct mon_node *m);
void mon_total_json(const char *key, const struct mon_total *t);
/* A process's kernel fields (where, home, node, ...) into an open object. */
void mon_proc_om_json(const struct om_proc_info *p);

/* Parse "SECONDS" (decimal, > 0, <= 1 day) into milliseconds. */
int mon_parse_secs(const char *s, int *ms);
/* Milliseconds of CLOCK_MONOTONIC */
long long mon_now_ms(void);

#endif /* _MON_H */
