// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Processes through procps' libproc2 (not /proc by hand), copied into
 * struct ps_task so that sorting, trees and tests need no libproc2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <libproc2/misc.h>
#include <libproc2/pids.h>
#include <libproc2/stat.h>

#include "ps.h"

#define PF_KTHREAD_BIT	0x00200000	/* include/linux/sched.h */

/* The items read, in this order: the index is the stack position */
#define ITEMS(X) \
	X(PIDS_ID_PID) X(PIDS_ID_PPID) X(PIDS_ID_PGRP) X(PIDS_ID_SESSION) \
	X(PIDS_ID_TPGID) X(PIDS_ID_TGID) X(PIDS_ID_TID) X(PIDS_NLWP) \
	X(PIDS_ID_EUID) X(PIDS_ID_RUID) X(PIDS_ID_EGID) X(PIDS_ID_RGID) \
	X(PIDS_ID_EUSER) X(PIDS_ID_RUSER) X(PIDS_ID_EGROUP) X(PIDS_ID_RGROUP) \
	X(PIDS_TTY) X(PIDS_TTY_NAME) X(PIDS_STATE) X(PIDS_FLAGS) \
	X(PIDS_NICE) X(PIDS_PRIORITY) X(PIDS_PRIORITY_RT) X(PIDS_SCHED_CLASS) \
	X(PIDS_PROCESSOR) X(PIDS_UTILIZATION) X(PIDS_MEM_VIRT) X(PIDS_MEM_RES) \
	X(PIDS_VM_RSS_LOCKED) X(PIDS_MEM_CODE) X(PIDS_MEM_DATA) \
	X(PIDS_FLT_MAJ) X(PIDS_FLT_MIN) X(PIDS_TICS_ALL) X(PIDS_TICS_ALL_C) \
	X(PIDS_TICS_ALL_DELTA) X(PIDS_TIME_START) X(PIDS_CMD) X(PIDS_CMDLINE) \
	X(PIDS_WCHAN_NAME)

#define AS_ENUM(x) I_##x,
enum { ITEMS(AS_ENUM) I_COUNT };
#define AS_ITEM(x) x,
static enum pids_item items[] = { ITEMS(AS_ITEM) };

struct ps_reader {
	struct pids_info *info;
	enum pids_fetch_type which;
};

int ps_reader_new(struct ps_reader **r, bool threads)
{
	struct ps_reader *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = procps_pids_new(&p->info, items, I_COUNT);
	if (err < 0) {
		free(p);
		return err;
	}
	p->which = threads ? PIDS_FETCH_THREADS_TOO : PIDS_FETCH_TASKS_ONLY;
	*r = p;
	return 0;
}

void ps_reader_free(struct ps_reader *r)
{
	if (!r)
		return;
	procps_pids_unref(&r->info);
	free(r);
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

#define V(i, type) PIDS_VAL(I_##i, type, s, info)

static int fill(struct ps_task *t, struct pids_stack *s, struct pids_info *info)
{
	const char *cmdline;

	memset(t, 0, sizeof(*t));
	t->pid = V(PIDS_ID_PID, s_int);
	t->ppid = V(PIDS_ID_PPID, s_int);
	t->pgrp = V(PIDS_ID_PGRP, s_int);
	t->sid = V(PIDS_ID_SESSION, s_int);
	t->tpgid = V(PIDS_ID_TPGID, s_int);
	t->tgid = V(PIDS_ID_TGID, s_int);
	t->tid = V(PIDS_ID_TID, s_int);
	t->nlwp = V(PIDS_NLWP, s_int);
	t->euid = V(PIDS_ID_EUID, u_int);
	t->ruid = V(PIDS_ID_RUID, u_int);
	t->egid = V(PIDS_ID_EGID, u_int);
	t->rgid = V(PIDS_ID_RGID, u_int);
	copy(t->euser, sizeof(t->euser), V(PIDS_ID_EUSER, str));
	copy(t->ruser, sizeof(t->ruser), V(PIDS_ID_RUSER, str));
	copy(t->egroup, sizeof(t->egroup), V(PIDS_ID_EGROUP, str));
	copy(t->rgroup, sizeof(t->rgroup), V(PIDS_ID_RGROUP, str));
	t->tty_nr = V(PIDS_TTY, s_int);
	copy(t->tty, sizeof(t->tty), V(PIDS_TTY_NAME, str));
	t->state = V(PIDS_STATE, s_ch);
	t->flags = V(PIDS_FLAGS, ul_int);
	t->nice = V(PIDS_NICE, s_int);
	t->prio = V(PIDS_PRIORITY, s_int);
	t->rtprio = V(PIDS_PRIORITY_RT, s_int);
	t->policy = V(PIDS_SCHED_CLASS, s_int);
	t->psr = V(PIDS_PROCESSOR, s_int);
	t->pcpu = V(PIDS_UTILIZATION, real);
	t->vsz_kb = V(PIDS_MEM_VIRT, ul_int);
	t->rss_kb = V(PIDS_MEM_RES, ul_int);
	t->locked_kb = V(PIDS_VM_RSS_LOCKED, ul_int);
	t->code_kb = V(PIDS_MEM_CODE, ul_int);
	t->data_kb = V(PIDS_MEM_DATA, ul_int);
	t->maj_flt = V(PIDS_FLT_MAJ, ul_int);
	t->min_flt = V(PIDS_FLT_MIN, ul_int);
	t->tics = V(PIDS_TICS_ALL, ull_int);
	t->tics_c = V(PIDS_TICS_ALL_C, ull_int);
	t->tics_delta = V(PIDS_TICS_ALL_DELTA, u_int);
	t->start_s = V(PIDS_TIME_START, real);
	copy(t->comm, sizeof(t->comm), V(PIDS_CMD, str));
	copy(t->wchan, sizeof(t->wchan), V(PIDS_WCHAN_NAME, str));
	t->kthread = t->flags & PF_KTHREAD_BIT;
	/* libproc2 puts "[comm]" there when there is no command line */
	cmdline = V(PIDS_CMDLINE, str);
	if (cmdline && *cmdline && !(cmdline[0] == '[' && t->kthread)) {
		t->args = strdup(cmdline);
		if (!t->args)
			return -ENOMEM;
	}
	return 0;
}

int ps_read(struct ps_reader *r, struct ps_list *l)
{
	struct pids_fetch *f;
	int n;

	ps_list_free(l);
	f = procps_pids_reap(r->info, r->which);
	if (!f)
		return errno ? -errno : -EIO;
	n = f->counts->total;
	l->t = calloc(n ? n : 1, sizeof(*l->t));
	if (!l->t)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		if (fill(&l->t[l->n], f->stacks[i], r->info)) {
			ps_list_free(l);
			return -ENOMEM;
		}
		l->n++;
	}
	return 0;
}

void ps_list_free(struct ps_list *l)
{
	for (unsigned int i = 0; i < l->n; i++) {
		free(l->t[i].args);
		free(l->t[i].forest);
	}
	free(l->t);
	l->t = NULL;
	l->n = 0;
}

void ps_ctx_init(struct ps_ctx *c)
{
	struct stat_info *st = NULL;
	struct stat_result *r;
	double up = 0, idle;
	struct sysinfo si;

	memset(c, 0, sizeof(*c));
	c->now = time(NULL);
	/* the kernel's btime, as ps: start times then match to the second */
	if (procps_stat_new(&st) >= 0 &&
	    (r = procps_stat_get(st, STAT_SYS_TIME_OF_BOOT)) && r->result.ul_int) {
		c->boot = r->result.ul_int;
	} else {
		if (procps_uptime(&up, &idle) < 0)
			up = 0;
		c->boot = c->now - (time_t)up;
	}
	if (st)
		procps_stat_unref(&st);
	if (!sysinfo(&si))
		c->mem_total_kb = (uint64_t)si.totalram * si.mem_unit / 1024;
	c->hertz = procps_hertz_get();
	if (c->hertz <= 0)
		c->hertz = 100;
}

void ps_attach(struct ps_list *l, const struct mon_snap *s)
{
	/* a thread runs where its process runs: look its tgid up */
	for (unsigned int i = 0; i < l->n; i++)
		l->t[i].om = s ? mon_snap_proc(s, l->t[i].tgid ? l->t[i].tgid :
					       l->t[i].pid) : NULL;
}
