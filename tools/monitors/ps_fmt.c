// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * ps's output fields (the "-o" names, headers, widths and formats of
 * procps' ps), plus the openMosix ones: node, home, where, nmigs, locked,
 * guest, cantmove.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ps.h"

enum {
	F_LEFT = 1,	/* left-aligned */
	F_CUT = 2,	/* cut to the width, as ps cuts names */
	F_CMD = 4,	/* a command: takes the rest of the line when last */
	F_PLUS = 8,	/* a cut name ends in '+' (user names) */
};

typedef void (*fmt_fn)(char *buf, size_t len, const struct ps_task *t,
		       const struct ps_ctx *c);
/* A number to sort by; NULL: sort by the text */
typedef double (*num_fn)(const struct ps_task *t, const struct ps_ctx *c);

struct ps_field {
	const char *name;
	const char *head;
	int width;
	unsigned int flags;
	fmt_fn fmt;
	num_fn num;
};

/* ---- helpers ---- */

void ps_fmt_user(char *buf, size_t len, const char *name, unsigned int id,
		 int width)
{
	if (!name || !*name)
		snprintf(buf, len, "%u", id);
	else if (width > 1 && (int)strlen(name) > width)
		snprintf(buf, len, "%.*s+", width - 1, name);
	else
		snprintf(buf, len, "%s", name);
}

void ps_fmt_time_plus(char *buf, size_t len, unsigned long long tics, long hertz)
{
	unsigned long long cs = tics * 100 / (hertz > 0 ? hertz : 100);

	snprintf(buf, len, "%llu:%02llu.%02llu", cs / 6000, cs / 100 % 60, cs % 100);
}

/* top's way: the number if it fits, else m, g, t with one decimal */
void ps_fmt_kib(char *buf, size_t len, unsigned long kib, int width)
{
	static const char units[] = "mgtp";
	double d = kib;

	snprintf(buf, len, "%lu", kib);
	for (int u = 0; (int)strlen(buf) > width && u < 4; u++) {
		d /= 1024;
		snprintf(buf, len, "%.1f%c", d, units[u]);
		if ((int)strlen(buf) > width)
			snprintf(buf, len, "%.0f%c", d, units[u]);
	}
}

const char *ps_cmd_text(const struct ps_task *t, bool comm_only, char *buf,
			size_t len)
{
	if (comm_only)
		snprintf(buf, len, "%s", t->comm);
	else if (t->args)
		snprintf(buf, len, "%s", t->args);
	else
		snprintf(buf, len, "[%s]", t->comm);
	if (t->state == 'Z' && strlen(buf) + 10 < len)
		strcat(buf, " <defunct>");
	return buf;
}

static unsigned long long cpu_tics(const struct ps_task *t, const struct ps_ctx *c)
{
	return c->cumulative ? t->tics_c : t->tics;
}

static double elapsed(const struct ps_task *t, const struct ps_ctx *c)
{
	double e = (double)(c->now - c->boot) - t->start_s;

	return e > 0 ? e : 0;
}

static time_t started(const struct ps_task *t, const struct ps_ctx *c)
{
	return c->boot + (time_t)t->start_s;
}

/* ---- the fields ---- */

#define NUM_INT(fn, expr) \
static void fmt_##fn(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c) \
{ snprintf(b, l, "%lld", (long long)(expr)); } \
static double num_##fn(const struct ps_task *t, const struct ps_ctx *c) \
{ return (double)(expr); }

/* a thread (-L) shows its process id, as ps */
NUM_INT(pid, t->tgid ? t->tgid : t->pid)
NUM_INT(ppid, t->ppid)
NUM_INT(pgid, t->pgrp)
NUM_INT(sid, t->sid)
NUM_INT(tpgid, t->tpgid)
NUM_INT(tid, t->tid)
NUM_INT(nlwp, t->nlwp)
NUM_INT(euid, t->euid)
NUM_INT(ruid, t->ruid)
NUM_INT(egid, t->egid)
NUM_INT(rgid, t->rgid)
NUM_INT(psr, t->psr)
NUM_INT(vsz, t->vsz_kb)
NUM_INT(rss, t->rss_kb)
NUM_INT(sz, t->vsz_kb / 4)
NUM_INT(trs, t->code_kb)
NUM_INT(drs, t->data_kb)
NUM_INT(majflt, t->maj_flt)
NUM_INT(minflt, t->min_flt)
NUM_INT(etimes, elapsed(t, c))
NUM_INT(priority, t->prio)
NUM_INT(pri_bar, t->prio + 60)
NUM_INT(f, (t->flags >> 6) & 0x7)

#define NAME_FN(fn, name, id, w) \
static void fmt_##fn(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c) \
{ ps_fmt_user(b, l, t->name, t->id, w); }

NAME_FN(euser, euser, euid, 8)
NAME_FN(ruser, ruser, ruid, 8)
NAME_FN(egroup, egroup, egid, 8)
NAME_FN(rgroup, rgroup, rgid, 8)

static void fmt_tty(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%s", t->tty[0] ? t->tty : "?");
}

static void fmt_s(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%c", t->state ? t->state : '?');
}

/* BSD state: the letter, then < N L s l + as procps */
static void fmt_stat(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	size_t n = 0;

	if (l < 8)
		return;
	b[n++] = t->state ? t->state : '?';
	if (t->nice < 0)
		b[n++] = '<';
	else if (t->nice > 0)
		b[n++] = 'N';
	if (t->locked_kb)
		b[n++] = 'L';
	if (t->sid == t->tgid && t->sid)
		b[n++] = 's';
	if (t->nlwp > 1)
		b[n++] = 'l';
	if (t->tpgid != -1 && t->tpgid == t->pgrp && t->tty_nr)
		b[n++] = '+';
	b[n] = '\0';
}

static bool realtime(const struct ps_task *t)
{
	return t->policy == 1 || t->policy == 2;	/* SCHED_FIFO, SCHED_RR */
}

static void fmt_ni(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	if (realtime(t))
		snprintf(b, l, "-");
	else
		snprintf(b, l, "%d", t->nice);
}

static double num_ni(const struct ps_task *t, const struct ps_ctx *c)
{
	return t->nice;
}

/* ps's PRI of "-o pri": 39 - the kernel's priority */
static void fmt_pri(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%d", 39 - t->prio);
}

static double num_pri(const struct ps_task *t, const struct ps_ctx *c)
{
	return 39 - t->prio;
}

static void fmt_cls(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	static const char *const cls[] = { "TS", "FF", "RR", "B", "ISO", "IDL", "DLN" };

	snprintf(b, l, "%s", t->policy >= 0 && t->policy < 7 ? cls[t->policy] : "?");
}

static double pcpu(const struct ps_task *t, const struct ps_ctx *c)
{
	return t->pcpu;
}

static void fmt_pcpu(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	double v = pcpu(t, c);

	/* as ps: one decimal below 100, none above */
	if (v < 99.95)
		snprintf(b, l, "%.1f", v);
	else
		snprintf(b, l, "%.0f", v);
}

static void fmt_c(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	double v = pcpu(t, c);

	snprintf(b, l, "%d", v > 99 ? 99 : (int)v);
}

static double pmem(const struct ps_task *t, const struct ps_ctx *c)
{
	return c->mem_total_kb ? t->rss_kb * 100.0 / c->mem_total_kb : 0;
}

static void fmt_pmem(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	double v = pmem(t, c);

	if (v < 99.95)
		snprintf(b, l, "%.1f", v);
	else
		snprintf(b, l, "%.0f", v);
}

static double num_time(const struct ps_task *t, const struct ps_ctx *c)
{
	return (double)cpu_tics(t, c);
}

/* [DD-]HH:MM:SS */
static void fmt_time(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	unsigned long long s = cpu_tics(t, c) / c->hertz;

	if (s >= 86400)
		snprintf(b, l, "%llu-%02llu:%02llu:%02llu", s / 86400, s / 3600 % 24,
			 s / 60 % 60, s % 60);
	else
		snprintf(b, l, "%02llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
}

/* M:SS, as BSD ps */
static void fmt_bsdtime(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	unsigned long long s = cpu_tics(t, c) / c->hertz;

	snprintf(b, l, "%llu:%02llu", s / 60, s % 60);
}

static void fmt_times(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%llu", cpu_tics(t, c) / c->hertz);
}

/* [[DD-]hh:]mm:ss */
static void fmt_etime(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	unsigned long long s = (unsigned long long)elapsed(t, c);

	if (s >= 86400)
		snprintf(b, l, "%llu-%02llu:%02llu:%02llu", s / 86400, s / 3600 % 24,
			 s / 60 % 60, s % 60);
	else if (s >= 3600)
		snprintf(b, l, "%02llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(b, l, "%02llu:%02llu", s / 60, s % 60);
}

static double num_start(const struct ps_task *t, const struct ps_ctx *c)
{
	return t->start_s;
}

static void strftime_at(char *b, size_t l, const char *fmt, time_t when)
{
	struct tm tm;

	localtime_r(&when, &tm);
	if (!strftime(b, l, fmt, &tm))
		snprintf(b, l, "?");
}

/*
 * -f's STIME (and START_TIME): the time if started today, else month and
 * day if this year, else the year; calendar days, as procps decides
 * (bsdstart and start go by the last 24 hours instead)
 */
static void fmt_stime(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	time_t when = started(t, c), now = c->now;
	struct tm tn, tw;

	localtime_r(&now, &tn);
	localtime_r(&when, &tw);
	if (tn.tm_year != tw.tm_year)
		strftime_at(b, l, "%Y", when);
	else if (tn.tm_yday != tw.tm_yday)
		strftime_at(b, l, "%b%d", when);
	else
		strftime_at(b, l, "%H:%M", when);
}

static void fmt_bsdstart(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	time_t when = started(t, c);

	strftime_at(b, l, c->now - when < 24 * 3600 ? "%H:%M" : "%b%d", when);
}

static void fmt_start(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	time_t when = started(t, c);

	strftime_at(b, l, c->now - when < 24 * 3600 ? "%H:%M:%S" : "  %b %d", when);
}

static void fmt_lstart(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	strftime_at(b, l, "%a %b %e %H:%M:%S %Y", started(t, c));
}

static void fmt_wchan(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%s", t->wchan[0] ? t->wchan : "-");
}

static void fmt_dash(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "-");
}

static void fmt_comm(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	ps_cmd_text(t, true, b, l);
}

static void fmt_args(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	ps_cmd_text(t, c->bsd_cmd, b, l);
}

/* ---- openMosix ---- */

static void fmt_node(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	mon_fmt_node(t->om, b, l);
}

static double num_node(const struct ps_task *t, const struct ps_ctx *c)
{
	return mon_node_num(t->om);
}

#define OM_NUM(fn, expr) \
static void fmt_##fn(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c) \
{ if (t->om) snprintf(b, l, "%lld", (long long)(expr)); else snprintf(b, l, "-"); } \
static double num_##fn(const struct ps_task *t, const struct ps_ctx *c) \
{ return t->om ? (double)(expr) : -1; }

OM_NUM(where, t->om->where)
OM_NUM(home, t->om->home)
OM_NUM(nmigs, t->om->nmigs)

static void fmt_locked(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%s", !t->om ? "-" : t->om->locked ? "yes" : "no");
}

static void fmt_guest(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%s", !t->om ? "-" : t->om->guest ? "yes" : "no");
}

static void fmt_cantmove(char *b, size_t l, const struct ps_task *t, const struct ps_ctx *c)
{
	snprintf(b, l, "%s", t->om && t->om->cantmove ? t->om->reason : "-");
}

#define PIDW 5
static const struct ps_field fields[] = {
	{ "pid", "PID", PIDW, 0, fmt_pid, num_pid },
	{ "tgid", "TGID", PIDW, 0, fmt_pid, num_pid },
	{ "ppid", "PPID", PIDW, 0, fmt_ppid, num_ppid },
	{ "pgid", "PGID", PIDW, 0, fmt_pgid, num_pgid },
	{ "pgrp", "PGRP", PIDW, 0, fmt_pgid, num_pgid },
	{ "sid", "SID", PIDW, 0, fmt_sid, num_sid },
	{ "sess", "SESS", PIDW, 0, fmt_sid, num_sid },
	{ "session", "SESS", PIDW, 0, fmt_sid, num_sid },
	{ "tpgid", "TPGID", PIDW, 0, fmt_tpgid, num_tpgid },
	{ "lwp", "LWP", PIDW, 0, fmt_tid, num_tid },
	{ "tid", "TID", PIDW, 0, fmt_tid, num_tid },
	{ "spid", "SPID", PIDW, 0, fmt_tid, num_tid },
	{ "nlwp", "NLWP", 4, 0, fmt_nlwp, num_nlwp },
	{ "thcount", "THCNT", 5, 0, fmt_nlwp, num_nlwp },
	{ "uid", "UID", 5, 0, fmt_euid, num_euid },
	{ "euid", "EUID", 5, 0, fmt_euid, num_euid },
	{ "ruid", "RUID", 5, 0, fmt_ruid, num_ruid },
	{ "gid", "GID", 5, 0, fmt_egid, num_egid },
	{ "egid", "EGID", 5, 0, fmt_egid, num_egid },
	{ "rgid", "RGID", 5, 0, fmt_rgid, num_rgid },
	{ "user", "USER", 8, F_LEFT | F_PLUS, fmt_euser, NULL },
	{ "euser", "EUSER", 8, F_LEFT | F_PLUS, fmt_euser, NULL },
	{ "uname", "USER", 8, F_LEFT | F_PLUS, fmt_euser, NULL },
	{ "ruser", "RUSER", 8, F_LEFT | F_PLUS, fmt_ruser, NULL },
	{ "group", "GROUP", 8, F_LEFT | F_PLUS, fmt_egroup, NULL },
	{ "egroup", "EGROUP", 8, F_LEFT | F_PLUS, fmt_egroup, NULL },
	{ "rgroup", "RGROUP", 8, F_LEFT | F_PLUS, fmt_rgroup, NULL },
	{ "tty", "TT", 8, F_LEFT | F_CUT, fmt_tty, NULL },
	{ "tt", "TT", 8, F_LEFT | F_CUT, fmt_tty, NULL },
	{ "tname", "TTY", 8, F_LEFT | F_CUT, fmt_tty, NULL },
	{ "stat", "STAT", 4, F_LEFT, fmt_stat, NULL },
	{ "s", "S", 1, F_LEFT, fmt_s, NULL },
	{ "state", "S", 1, F_LEFT, fmt_s, NULL },
	{ "f", "F", 1, 0, fmt_f, num_f },
	{ "flag", "F", 1, 0, fmt_f, num_f },
	{ "flags", "F", 1, 0, fmt_f, num_f },
	{ "ni", "NI", 3, 0, fmt_ni, num_ni },
	{ "nice", "NI", 3, 0, fmt_ni, num_ni },
	{ "pri", "PRI", 3, 0, fmt_pri, num_pri },
	{ "priority", "PRI", 3, 0, fmt_priority, num_priority },
	{ "pri_bar", "PRI", 3, 0, fmt_pri_bar, num_pri_bar },
	{ "cls", "CLS", 3, 0, fmt_cls, NULL },
	{ "class", "CLS", 3, 0, fmt_cls, NULL },
	{ "psr", "PSR", 3, 0, fmt_psr, num_psr },
	{ "c", "C", 2, 0, fmt_c, pcpu },
	{ "%cpu", "%CPU", 4, 0, fmt_pcpu, pcpu },
	{ "pcpu", "%CPU", 4, 0, fmt_pcpu, pcpu },
	{ "%mem", "%MEM", 4, 0, fmt_pmem, pmem },
	{ "pmem", "%MEM", 4, 0, fmt_pmem, pmem },
	{ "vsz", "VSZ", 6, 0, fmt_vsz, num_vsz },
	{ "vsize", "VSZ", 6, 0, fmt_vsz, num_vsz },
	{ "rss", "RSS", 5, 0, fmt_rss, num_rss },
	{ "rssize", "RSS", 5, 0, fmt_rss, num_rss },
	{ "rsz", "RSZ", 5, 0, fmt_rss, num_rss },
	{ "sz", "SZ", 5, 0, fmt_sz, num_sz },
	{ "trs", "TRS", 5, 0, fmt_trs, num_trs },
	{ "drs", "DRS", 5, 0, fmt_drs, num_drs },
	{ "majflt", "MAJFL", 6, 0, fmt_majflt, num_majflt },
	{ "maj_flt", "MAJFL", 6, 0, fmt_majflt, num_majflt },
	{ "minflt", "MINFL", 6, 0, fmt_minflt, num_minflt },
	{ "min_flt", "MINFL", 6, 0, fmt_minflt, num_minflt },
	{ "addr", "ADDR", 4, 0, fmt_dash, NULL },
	{ "wchan", "WCHAN", 6, F_LEFT | F_CUT, fmt_wchan, NULL },
	{ "time", "TIME", 8, 0, fmt_time, num_time },
	{ "cputime", "TIME", 8, 0, fmt_time, num_time },
	{ "bsdtime", "TIME", 6, 0, fmt_bsdtime, num_time },
	{ "times", "TIME", 7, 0, fmt_times, num_time },
	{ "cputimes", "TIME", 7, 0, fmt_times, num_time },
	{ "etime", "ELAPSED", 11, 0, fmt_etime, num_etimes },
	{ "etimes", "ELAPSED", 7, 0, fmt_etimes, num_etimes },
	{ "stime", "STIME", 5, F_LEFT, fmt_stime, num_start },
	{ "start_time", "START", 5, F_LEFT, fmt_stime, num_start },
	{ "bsdstart", "START", 5, 0, fmt_bsdstart, num_start },
	{ "start", "STARTED", 8, 0, fmt_start, num_start },
	{ "lstart", "STARTED", 24, 0, fmt_lstart, num_start },
	{ "comm", "COMMAND", 15, F_LEFT | F_CMD, fmt_comm, NULL },
	{ "ucomm", "COMMAND", 15, F_LEFT | F_CMD, fmt_comm, NULL },
	{ "ucmd", "CMD", 15, F_LEFT | F_CMD, fmt_comm, NULL },
	{ "args", "COMMAND", 27, F_LEFT | F_CMD, fmt_args, NULL },
	{ "cmd", "CMD", 27, F_LEFT | F_CMD, fmt_args, NULL },
	{ "command", "COMMAND", 27, F_LEFT | F_CMD, fmt_args, NULL },
	/* openMosix: where the process runs, from the kernel */
	{ "node", "NODE", 5, 0, fmt_node, num_node },
	{ "where", "WHERE", 5, 0, fmt_where, num_where },
	{ "home", "HOME", 5, 0, fmt_home, num_home },
	{ "nmigs", "NMIGS", 5, 0, fmt_nmigs, num_nmigs },
	{ "locked", "LOCK", 4, F_LEFT, fmt_locked, NULL },
	{ "lock", "LOCK", 4, F_LEFT, fmt_locked, NULL },
	{ "guest", "GUEST", 5, F_LEFT, fmt_guest, NULL },
	{ "cantmove", "CANTMOVE", 30, F_LEFT | F_CMD, fmt_cantmove, NULL },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

const struct ps_field *ps_field_find(const char *name)
{
	for (const struct ps_field *f = fields; f->name; f++)
		if (!strcasecmp(f->name, name))
			return f;
	return NULL;
}

void ps_field_text(const struct ps_field *f, char *buf, size_t len,
		   const struct ps_task *t, const struct ps_ctx *c)
{
	f->fmt(buf, len, t, c);
}

static int add_one(struct ps_format *fmt, char *word, const char *head,
		   const char **bad)
{
	static char badbuf[64];
	struct ps_col *col;
	char *colon;
	int width = -1;

	colon = strchr(word, ':');
	if (colon) {
		char *end;
		long w;

		*colon++ = '\0';
		w = strtol(colon, &end, 10);
		if (*end || w < 1 || w > 1024) {
			snprintf(badbuf, sizeof(badbuf), "%s:%s", word, colon);
			*bad = badbuf;
			return -EINVAL;
		}
		width = w;
	}
	if (fmt->n == PS_COLS_MAX) {
		*bad = "(too many fields)";
		return -EINVAL;
	}
	col = &fmt->col[fmt->n];
	col->f = ps_field_find(word);
	if (!col->f) {
		snprintf(badbuf, sizeof(badbuf), "%s", word);
		*bad = badbuf;
		return -EINVAL;
	}
	snprintf(col->head, sizeof(col->head), "%s", head ? head : col->f->head);
	col->width = width > 0 ? width : col->f->width;
	if (col->head[0])
		fmt->headers = true;
	fmt->n++;
	return 0;
}

int ps_format_add(struct ps_format *fmt, const char *spec, const char **bad)
{
	char *copy = strdup(spec), *p, *word;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	p = copy;
	while (!ret && *p) {
		size_t n = strcspn(p, ", \t=");
		char *eq;

		word = p;
		p += n;
		if (*p == '=') {
			/* the header is the rest of the word, commas included */
			*p++ = '\0';
			eq = p;
			ret = add_one(fmt, word, eq, bad);
			break;
		}
		if (*p)
			*p++ = '\0';
		if (*word)
			ret = add_one(fmt, word, NULL, bad);
	}
	free(copy);
	return ret;
}

int ps_sort_parse(struct ps_sortkey *keys, int *nkeys, const char *spec,
		  const char **bad)
{
	static char badbuf[64];
	char *copy = strdup(spec), *save = NULL, *k;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (k = strtok_r(copy, ", ", &save); k; k = strtok_r(NULL, ", ", &save)) {
		int dir = 1;

		if (*k == '+' || *k == '-')
			dir = *k++ == '-' ? -1 : 1;
		if (*nkeys == PS_SORT_MAX || !ps_field_find(k)) {
			snprintf(badbuf, sizeof(badbuf), "%s", k);
			*bad = badbuf;
			ret = -EINVAL;
			break;
		}
		keys[*nkeys].f = ps_field_find(k);
		keys[(*nkeys)++].dir = dir;
	}
	free(copy);
	return ret;
}

int ps_cmp(const struct ps_task *a, const struct ps_task *b,
	   const struct ps_sortkey *keys, int nkeys, const struct ps_ctx *c)
{
	for (int i = 0; i < nkeys; i++) {
		const struct ps_field *f = keys[i].f;
		int r;

		if (f->num) {
			double x = f->num(a, c), y = f->num(b, c);

			r = (x > y) - (x < y);
		} else {
			char x[512], y[512];

			f->fmt(x, sizeof(x), a, c);
			f->fmt(y, sizeof(y), b, c);
			r = strcmp(x, y);
		}
		if (r)
			return r * keys[i].dir;
	}
	/* by process, then its threads by thread id */
	if (a->tgid != b->tgid)
		return (a->tgid > b->tgid) - (a->tgid < b->tgid);
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Append one column's text to the line at *off; the last one unpadded. */
static void put_col(char *line, size_t len, size_t *off, const struct ps_col *col,
		    const char *text, bool last)
{
	unsigned int fl = col->f->flags;
	int w = col->width, n;
	char cut[1024];

	if (*off >= len)
		return;
	if (*off)
		line[(*off)++] = ' ';
	if (*off >= len)
		return;
	if (((fl & F_CUT) || ((fl & F_CMD) && !last)) && (int)strlen(text) > w) {
		snprintf(cut, sizeof(cut), "%.*s", w, text);
		text = cut;
	}
	if (fl & F_LEFT)
		n = last ? snprintf(line + *off, len - *off, "%s", text) :
			   snprintf(line + *off, len - *off, "%-*s", w, text);
	else
		n = snprintf(line + *off, len - *off, "%*s", w, text);
	if (n > 0)
		*off += (size_t)n < len - *off ? (size_t)n : len - *off - 1;
}

/* A line through the print API (text), cut at width */
static void emit(char *line, int width)
{
	size_t n = strlen(line);

	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	if (width > 0 && n > (size_t)width)
		line[width] = '\0';
	print_string(PRINT_FP, NULL, "%s\n", line);
}

#define LINE_MAX_LEN 65536

void ps_print_header(const struct ps_format *fmt, int width)
{
	char *line = malloc(LINE_MAX_LEN);
	size_t off = 0;

	if (!line)
		return;
	line[0] = '\0';
	for (int i = 0; i < fmt->n; i++)
		put_col(line, LINE_MAX_LEN, &off, &fmt->col[i], fmt->col[i].head,
			i == fmt->n - 1);
	emit(line, width);
	free(line);
}

void ps_print_task(const struct ps_format *fmt, const struct ps_task *t,
		   const struct ps_ctx *c, int width)
{
	char *line = malloc(LINE_MAX_LEN), *text = malloc(LINE_MAX_LEN);
	bool art = t->forest != NULL;
	size_t off = 0;

	if (!line || !text)
		goto out;
	line[0] = '\0';
	for (int i = 0; i < fmt->n; i++) {
		const struct ps_col *col = &fmt->col[i];
		size_t pre = 0;

		/* the tree goes before the first command column */
		if (art && (col->f->flags & F_CMD)) {
			pre = snprintf(text, LINE_MAX_LEN, "%s", t->forest);
			art = false;
		}
		col->f->fmt(text + pre, LINE_MAX_LEN - pre, t, c);
		put_col(line, LINE_MAX_LEN, &off, col, text, i == fmt->n - 1);
	}
	emit(line, width);
out:
	free(line);
	free(text);
}

void ps_list_fields(void)
{
	for (const struct ps_field *f = fields; f->name; f++) {
		print_string(PRINT_FP, NULL, "%-12s ", f->name);
		print_string(PRINT_FP, NULL, "%s\n", f->head);
	}
	print_end();
}
