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

/* The items read; the index is their place in each stack */
enum {
	I_PID, I_PPID, I_PGRP, I_SESSION, I_TPGID, I_TGID, I_TID, I_NLWP,
	I_EUID, I_RUID, I_EGID, I_RGID, I_EUSER, I_RUSER, I_EGROUP, I_RGROUP,
	I_TTY, I_TTY_NAME, I_STATE, I_FLAGS, I_NICE, I_PRIORITY, I_PRIORITY_RT,
	I_SCHED_CLASS, I_PROCESSOR, I_UTILIZATION, I_MEM_VIRT, I_MEM_RES,
	I_VM_RSS_LOCKED, I_MEM_CODE, I_MEM_DATA, I_FLT_MAJ, I_FLT_MIN,
	I_TICS_ALL, I_TICS_ALL_C, I_TICS_ALL_DELTA, I_TIME_START, I_CMD,
	I_CMDLINE, I_WCHAN_NAME, I_COUNT
};

static enum pids_item items[I_COUNT] = {
	[I_PID] = PIDS_ID_PID, [I_PPID] = PIDS_ID_PPID, [I_PGRP] = PIDS_ID_PGRP,
	[I_SESSION] = PIDS_ID_SESSION, [I_TPGID] = PIDS_ID_TPGID,
	[I_TGID] = PIDS_ID_TGID, [I_TID] = PIDS_ID_TID, [I_NLWP] = PIDS_NLWP,
	[I_EUID] = PIDS_ID_EUID, [I_RUID] = PIDS_ID_RUID, [I_EGID] = PIDS_ID_EGID,
	[I_RGID] = PIDS_ID_RGID, [I_EUSER] = PIDS_ID_EUSER,
	[I_RUSER] = PIDS_ID_RUSER, [I_EGROUP] = PIDS_ID_EGROUP,
	[I_RGROUP] = PIDS_ID_RGROUP, [I_TTY] = PIDS_TTY,
	[I_TTY_NAME] = PIDS_TTY_NAME, [I_STATE] = PIDS_STATE,
	[I_FLAGS] = PIDS_FLAGS, [I_NICE] = PIDS_NICE,
	[I_PRIORITY] = PIDS_PRIORITY, [I_PRIORITY_RT] = PIDS_PRIORITY_RT,
	[I_SCHED_CLASS] = PIDS_SCHED_CLASS, [I_PROCESSOR] = PIDS_PROCESSOR,
	[I_UTILIZATION] = PIDS_UTILIZATION, [I_MEM_VIRT] = PIDS_MEM_VIRT,
	[I_MEM_RES] = PIDS_MEM_RES, [I_VM_RSS_LOCKED] = PIDS_VM_RSS_LOCKED,
	[I_MEM_CODE] = PIDS_MEM_CODE, [I_MEM_DATA] = PIDS_MEM_DATA,
	[I_FLT_MAJ] = PIDS_FLT_MAJ, [I_FLT_MIN] = PIDS_FLT_MIN,
	[I_TICS_ALL] = PIDS_TICS_ALL, [I_TICS_ALL_C] = PIDS_TICS_ALL_C,
	[I_TICS_ALL_DELTA] = PIDS_TICS_ALL_DELTA,
	[I_TIME_START] = PIDS_TIME_START, [I_CMD] = PIDS_CMD,
	[I_CMDLINE] = PIDS_CMDLINE, [I_WCHAN_NAME] = PIDS_WCHAN_NAME,
};

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
	t->pid = V(PID, s_int);
	t->ppid = V(PPID, s_int);
	t->pgrp = V(PGRP, s_int);
	t->sid = V(SESSION, s_int);
	t->tpgid = V(TPGID, s_int);
	t->tgid = V(TGID, s_int);
	t->tid = V(TID, s_int);
	t->nlwp = V(NLWP, s_int);
	t->euid = V(EUID, u_int);
	t->ruid = V(RUID, u_int);
	t->egid = V(EGID, u_int);
	t->rgid = V(RGID, u_int);
	copy(t->euser, sizeof(t->euser), V(EUSER, str));
	copy(t->ruser, sizeof(t->ruser), V(RUSER, str));
	copy(t->egroup, sizeof(t->egroup), V(EGROUP, str));
	copy(t->rgroup, sizeof(t->rgroup), V(RGROUP, str));
	t->tty_nr = V(TTY, s_int);
	copy(t->tty, sizeof(t->tty), V(TTY_NAME, str));
	t->state = V(STATE, s_ch);
	t->flags = V(FLAGS, ul_int);
	t->nice = V(NICE, s_int);
	t->prio = V(PRIORITY, s_int);
	t->rtprio = V(PRIORITY_RT, s_int);
	t->policy = V(SCHED_CLASS, s_int);
	t->psr = V(PROCESSOR, s_int);
	t->pcpu = V(UTILIZATION, real);
	t->vsz_kb = V(MEM_VIRT, ul_int);
	t->rss_kb = V(MEM_RES, ul_int);
	t->locked_kb = V(VM_RSS_LOCKED, ul_int);
	t->code_kb = V(MEM_CODE, ul_int);
	t->data_kb = V(MEM_DATA, ul_int);
	t->maj_flt = V(FLT_MAJ, ul_int);
	t->min_flt = V(FLT_MIN, ul_int);
	t->tics = V(TICS_ALL, ull_int);
	t->tics_c = V(TICS_ALL_C, ull_int);
	t->tics_delta = V(TICS_ALL_DELTA, u_int);
	t->start_s = V(TIME_START, real);
	copy(t->comm, sizeof(t->comm), V(CMD, str));
	copy(t->wchan, sizeof(t->wchan), V(WCHAN_NAME, str));
	t->kthread = t->flags & PF_KTHREAD_BIT;
	/* libproc2 puts "[comm]" there when there is no command line */
	cmdline = V(CMDLINE, str);
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
	r = procps_stat_new(&st) >= 0 ? procps_stat_get(st, STAT_SYS_TIME_OF_BOOT) : NULL;
	if (r && r->result.ul_int) {
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
