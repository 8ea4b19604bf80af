// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mtop's frames: top's summary and process lines with a NODE column
 * (where each process runs), on the screen, as batch text or as JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mon_view.h"

/* ---- sorting ---- */

static const struct mtop_ui *sort_ui;

static int cmp_task(const void *a, const void *b)
{
	const struct ps_task *x = a, *y = b;
	double kx = 0, ky = 0;
	int r;

	switch (sort_ui->sort) {
	case MTOP_SORT_CPU:
		kx = x->pcpu_now;
		ky = y->pcpu_now;
		break;
	case MTOP_SORT_MEM:
		kx = x->rss_kb;
		ky = y->rss_kb;
		break;
	case MTOP_SORT_NODE:
		kx = mon_node_num(x->om);
		ky = mon_node_num(y->om);
		break;
	case MTOP_SORT_TIME:
		kx = x->tics;
		ky = y->tics;
		break;
	case MTOP_SORT_PID:
		kx = x->pid;
		ky = y->pid;
		break;
	}
	/* biggest first, as top; R turns it round */
	r = (kx < ky) - (kx > ky);
	if (sort_ui->reverse)
		r = -r;
	return r ? r : (x->pid > y->pid) - (x->pid < y->pid);
}

void mtop_sort(struct mtop_frame *f, const struct mtop_ui *ui)
{
	sort_ui = ui;
	if (f->ntasks)
		qsort(f->tasks, f->ntasks, sizeof(*f->tasks), cmp_task);
}

int mtop_sort_name(const char *name, enum mtop_sort *sort)
{
	static const struct {
		const char *name;
		enum mtop_sort sort;
	} names[] = {
		{ "%CPU", MTOP_SORT_CPU }, { "CPU", MTOP_SORT_CPU },
		{ "%MEM", MTOP_SORT_MEM }, { "MEM", MTOP_SORT_MEM },
		{ "RES", MTOP_SORT_MEM }, { "NODE", MTOP_SORT_NODE },
		{ "TIME+", MTOP_SORT_TIME }, { "TIME", MTOP_SORT_TIME },
		{ "PID", MTOP_SORT_PID },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcasecmp(name, names[i].name)) {
			*sort = names[i].sort;
			return 0;
		}
	}
	return -EINVAL;
}

bool mtop_shown(const struct ps_task *t, const struct mtop_ui *ui)
{
	/* i: only what ran in the last interval (or is running now) */
	return ui->idle || t->state == 'R' || t->tics_delta > 0;
}

/* ---- text ---- */

static const char *const sort_names[] = {
	[MTOP_SORT_CPU] = "%CPU", [MTOP_SORT_MEM] = "%MEM",
	[MTOP_SORT_NODE] = "NODE", [MTOP_SORT_TIME] = "TIME+",
	[MTOP_SORT_PID] = "PID",
};

static void fmt_uptime(double up, char *buf, size_t len)
{
	unsigned long s = (unsigned long)up, d = s / 86400;

	if (d)
		snprintf(buf, len, "%lu day%s, %2lu:%02lu", d, d == 1 ? "" : "s",
			 s / 3600 % 24, s / 60 % 60);
	else
		snprintf(buf, len, "%2lu:%02lu", s / 3600 % 24, s / 60 % 60);
}

int mtop_summary(const struct mtop_frame *f, const struct mtop_ui *ui,
		 char lines[][512], int max)
{
	unsigned int run = 0, sleep = 0, stop = 0, zomb = 0;
	const struct mon_snap *s = f->snap;
	char clock[16], up[48];
	struct mon_total t;
	struct tm tm;
	int n = 0;

	if (max <= 0)
		return 0;
	localtime_r(&f->now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fmt_uptime(f->uptime, up, sizeof(up));
	snprintf(lines[n++], 512, "mtop - %s up %s,  load average: %.2f, %.2f, %.2f",
		 clock, up, f->loadavg[0], f->loadavg[1], f->loadavg[2]);
	for (unsigned int i = 0; i < f->ntasks; i++) {
		switch (f->tasks[i].state) {
		case 'R':
			run++;
			break;
		case 'S':
		case 'D':
		case 'I':
			sleep++;
			break;
		case 'T':
		case 't':
			stop++;
			break;
		case 'Z':
			zomb++;
			break;
		}
	}
	if (n < max)
		snprintf(lines[n++], 512,
			 "Tasks: %u total, %u running, %u sleeping, %u stopped, %u zombie",
			 f->ntasks, run, sleep, stop, zomb);
	if (n >= max)
		return n;
	if (ui->conn == MON_CONN_ABSENT) {
		snprintf(lines[n++], 512, "Cluster: openmosix module not loaded (modprobe openmosix)");
		return n;
	}
	if (ui->conn != MON_CONN_OK || !s) {
		snprintf(lines[n++], 512, "Cluster: cannot read the openmosix module's tables");
		return n;
	}
	mon_total(s, &t);
	snprintf(lines[n++], 512,
		 "Cluster: this is node %u; %u nodes, %u up; %d guest%s here, %u away",
		 s->self, t.nodes, t.up, t.guests < 0 ? 0 : t.guests,
		 t.guests == 1 ? "" : "s", t.away);
	for (unsigned int i = 0; ui->nodes && i < s->nnodes && n < max; i++) {
		const struct mon_node *m = &s->nodes[i];
		char load[16], used[16], fr[16], g[16];

		om_fmt_load(m->n.load, load, sizeof(load));
		om_fmt_bytes(m->n.mem_total > m->n.mem_free ?
			      m->n.mem_total - m->n.mem_free : 0, used, sizeof(used));
		om_fmt_bytes(m->n.mem_free, fr, sizeof(fr));
		if (m->guests >= 0)
			snprintf(g, sizeof(g), "%d", m->guests);
		else
			snprintf(g, sizeof(g), "-");
		snprintf(lines[n++], 512,
			 "Node %5u %-5s load %6s  cpus %3u  speed %6u  mem %7s used %7s free  guests %s  ours %u",
			 m->n.id, mon_node_state(&m->n), load, m->n.cpus, m->n.speed, used,
			 fr, g, m->from_here);
	}
	return n;
}

#define HEAD_FMT "%7s %-8s %3s %3s %7s %6s %c %5s %5s %9s %5s %s"

void mtop_header(char *buf, size_t len, const struct mtop_ui *ui)
{
	snprintf(buf, len, HEAD_FMT, "PID", "USER", "PR", "NI", "VIRT", "RES", 'S',
		 "%CPU", "%MEM", "TIME+", "NODE", "COMMAND");
}

void mtop_line(char *buf, size_t len, const struct mtop_frame *f,
	       const struct ps_task *t, const struct mtop_ui *ui)
{
	char user[16], pr[8], ni[8], virt[16], res[16], cpu[16], mem[16];
	char tm[24], node[16], cmd[4096];
	double pmem = f->mem_total_kb ? t->rss_kb * 100.0 / f->mem_total_kb : 0;
	long hz = f->hertz > 0 ? f->hertz : 100;

	ps_fmt_user(user, sizeof(user), t->euser, t->euid, 8);
	if (t->policy == 1 || t->policy == 2)
		snprintf(pr, sizeof(pr), "rt");
	else
		snprintf(pr, sizeof(pr), "%d", t->prio);
	snprintf(ni, sizeof(ni), "%d", t->nice);
	ps_fmt_kib(virt, sizeof(virt), t->vsz_kb, 7);
	ps_fmt_kib(res, sizeof(res), t->rss_kb, 6);
	snprintf(cpu, sizeof(cpu), "%.1f", t->pcpu_now);
	snprintf(mem, sizeof(mem), "%.1f", pmem);
	ps_fmt_time_plus(tm, sizeof(tm), t->tics, hz);
	mon_fmt_node(t->om, node, sizeof(node));
	ps_cmd_text(t, !ui->cmdline, cmd, sizeof(cmd));
	snprintf(buf, len, "%7d %-8s %3s %3s %7s %6s %c %5s %5s %9s %5s %s", t->pid,
		 user, pr, ni, virt, res, t->state ? t->state : '?', cpu, mem, tm,
		 node, cmd);
}

/* ---- the screen ---- */

static const char *const help_text[] = {
	"mtop keys:",
	"  P  sort by %CPU      M  by %MEM      N  by NODE      T  by TIME+",
	"  R  reverse the sort  c  command line or name  i  idle processes",
	"  1  a line per node on or off",
	"  d s  change the delay between updates",
	"  up down PgUp PgDn Home  scroll      space r  update now",
	"  q  quit      h ?  this help (any key leaves it)",
	"",
	"NODE: where the process runs: \"home\", or the node id while it runs",
	"elsewhere (a guest here shows this node's id); \"-\": not listed by",
	"the openmosix module (kernel threads, or newer than its dump).",
};

/* Lines above the processes: summary, message line, header */
static int top_rows(const struct mtop_frame *f, const struct mtop_ui *ui,
		    int rows, char lines[][512], int *nsum)
{
	int max = rows - 3 > 0 ? rows - 3 : 0;

	if (max > 64)
		max = 64;
	*nsum = mtop_summary(f, ui, lines, max);
	return *nsum + 2;
}

void mtop_draw(WINDOW *w, struct mtop_frame *f, struct mtop_ui *ui)
{
	char lines[64][512], buf[4096];
	unsigned int shown = 0, skip;
	int rows, cols, nsum, y, top;

	getmaxyx(w, rows, cols);
	werase(w);
	if (rows <= 0 || cols <= 0)
		return;
	top = top_rows(f, ui, rows, lines, &nsum);
	for (y = 0; y < nsum; y++)
		mon_put_line(w, y, lines[y], A_NORMAL);
	/* the message line: a prompt, the last event or error */
	if (ui->prompting)
		snprintf(buf, sizeof(buf), "Change delay from %d.%d to: %s",
			 ui->interval_ms / 1000, ui->interval_ms % 1000 / 100, ui->prompt);
	else
		snprintf(buf, sizeof(buf), "%s", ui->status);
	mon_put_line(w, y++, buf, ui->status[0] || ui->prompting ? A_BOLD : A_NORMAL);
	if (ui->help) {
		for (unsigned int i = 0; i < ARRAY_SIZE(help_text) && y < rows; i++)
			mon_put_line(w, y++, help_text[i], A_NORMAL);
		return;
	}
	if (y >= rows)
		return;
	mtop_header(buf, sizeof(buf), ui);
	mon_put_line(w, y++, buf, A_REVERSE);
	for (unsigned int i = 0; i < f->ntasks; i++)
		shown += mtop_shown(&f->tasks[i], ui);
	if (rows - top > 0 && ui->first + (rows - top) > shown)
		ui->first = shown > (unsigned int)(rows - top) ? shown - (rows - top) : 0;
	skip = ui->first;
	for (unsigned int i = 0; i < f->ntasks && y < rows; i++) {
		const struct ps_task *t = &f->tasks[i];

		if (!mtop_shown(t, ui))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		mtop_line(buf, sizeof(buf), f, t, ui);
		mon_put_line(w, y++, buf, t->state == 'R' ? A_BOLD : A_NORMAL);
	}
	(void)cols;
}

enum mon_key_result mtop_key(struct mtop_ui *ui, int ch, int rows,
			     unsigned int ntasks)
{
	int page = rows > 8 ? rows - 8 : 1;

	if (ui->prompting) {
		size_t n = strlen(ui->prompt);
		int ms;

		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			ui->prompting = false;
			if (!n)
				return MON_KEY_REDRAW;
			if (mon_parse_secs(ui->prompt, &ms)) {
				snprintf(ui->status, sizeof(ui->status),
					 "invalid delay: \"%s\" (0.1 to 86400 seconds)", ui->prompt);
				return MON_KEY_REDRAW;
			}
			ui->interval_ms = ms;
			ui->status[0] = '\0';
			return MON_KEY_REFRESH;
		}
		if (ch == 27) {
			ui->prompting = false;
		} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
			if (n)
				ui->prompt[n - 1] = '\0';
		} else if (((ch >= '0' && ch <= '9') || ch == '.') &&
			   n < sizeof(ui->prompt) - 1) {
			ui->prompt[n] = ch;
			ui->prompt[n + 1] = '\0';
		}
		return MON_KEY_REDRAW;
	}
	if (ch == KEY_RESIZE)
		return MON_KEY_REDRAW;
	if (ui->help && ch != 'q') {
		ui->help = false;
		return MON_KEY_REDRAW;
	}
	switch (ch) {
	case 'q':
		return MON_KEY_QUIT;
	case 'P':
		ui->sort = MTOP_SORT_CPU;
		break;
	case 'M':
		ui->sort = MTOP_SORT_MEM;
		break;
	case 'N':
		ui->sort = MTOP_SORT_NODE;
		break;
	case 'T':
		ui->sort = MTOP_SORT_TIME;
		break;
	case 'R':
		ui->reverse = !ui->reverse;
		break;
	case 'c':
		ui->cmdline = !ui->cmdline;
		break;
	case 'i':
		ui->idle = !ui->idle;
		break;
	case '1':
		ui->nodes = !ui->nodes;
		break;
	case 'h':
	case '?':
		ui->help = true;
		break;
	case 'd':
	case 's':
		ui->prompting = true;
		ui->prompt[0] = '\0';
		break;
	case KEY_DOWN:
		if (ui->first + 1 < ntasks)
			ui->first++;
		break;
	case KEY_UP:
		if (ui->first)
			ui->first--;
		break;
	case KEY_NPAGE:
		ui->first += page;
		if (ui->first >= ntasks)
			ui->first = ntasks ? ntasks - 1 : 0;
		break;
	case KEY_PPAGE:
		ui->first = ui->first > (unsigned int)page ? ui->first - page : 0;
		break;
	case KEY_HOME:
		ui->first = 0;
		break;
	case ' ':
	case 'r':
		return MON_KEY_REFRESH;
	case 12:	/* ^L */
		return MON_KEY_REDRAW;
	default:
		return MON_KEY_NONE;
	}
	if (ch != 'd' && ch != 's')
		snprintf(ui->status, sizeof(ui->status), "sorted by %s%s",
			 sort_names[ui->sort], ui->reverse ? ", ascending" : "");
	return MON_KEY_REDRAW;
}

/* ---- batch and JSON ---- */

/* A line of text, cut at width (0: not cut) */
static void print_line(const char *s, int width)
{
	char cut[4096];

	if (width > 0 && (size_t)width < strlen(s)) {
		snprintf(cut, sizeof(cut), "%.*s", width, s);
		s = cut;
	}
	print_string(PRINT_FP, NULL, "%s\n", s);
}

/* One process: its line in text, its object's members in JSON */
static void proc_fields(const struct mtop_frame *f, const struct ps_task *p,
			const struct mtop_ui *ui, int width)
{
	char buf[4096];

	mtop_line(buf, sizeof(buf), f, p, ui);
	print_line(buf, width);
	print_uint(PRINT_JSON, "pid", NULL, p->pid);
	print_uint(PRINT_JSON, "ppid", NULL, p->ppid);
	print_uint(PRINT_JSON, "uid", NULL, p->euid);
	print_string(PRINT_JSON, "user", NULL, p->euser);
	print_string(PRINT_JSON, "state", NULL,
		     (char[]){ p->state ? p->state : '?', 0 });
	print_u64(PRINT_JSON, "virt_kb", NULL, p->vsz_kb);
	print_u64(PRINT_JSON, "res_kb", NULL, p->rss_kb);
	/* integers: the JSON writer has no fractions; 1000 = one CPU */
	print_u64(PRINT_JSON, "cpu_permille", NULL,
		  (uint64_t)(p->pcpu_now * 10 + 0.5));
	print_u64(PRINT_JSON, "mem_permille", NULL, f->mem_total_kb ?
		  (uint64_t)(p->rss_kb * 1000 / f->mem_total_kb) : 0);
	print_u64(PRINT_JSON, "time_cs", NULL,
		  p->tics * 100 / (f->hertz > 0 ? f->hertz : 100));
	print_string(PRINT_JSON, "comm", NULL, p->comm);
	print_string(PRINT_JSON, "command", NULL,
		     ps_cmd_text(p, false, buf, sizeof(buf)));
	mon_proc_om_json(p->om);
}

void mtop_print(const struct mtop_frame *f, const struct mtop_ui *ui,
		int width)
{
	const struct mon_snap *s = f->snap;
	char lines[64][512], buf[4096];
	struct mon_total t;
	int n;

	open_json_object(NULL);
	print_u64(PRINT_JSON, "time", NULL, f->now);
	print_u64(PRINT_JSON, "uptime", NULL, (uint64_t)f->uptime);
	print_uint(PRINT_JSON, "self", NULL, s ? s->self : 0);
	/* the summary: top's lines in text, the nodes and the total in JSON */
	n = mtop_summary(f, ui, lines, ARRAY_SIZE(lines));
	for (int i = 0; i < n; i++)
		print_line(lines[i], width);
	print_nl();
	open_json_array("nodes");
	/* mon_node_json has the node list's text row too: JSON only */
	for (unsigned int i = 0; s && is_json_context() && i < s->nnodes; i++)
		mon_node_json(NULL, &s->nodes[i]);
	close_json_array();
	if (s) {
		mon_total(s, &t);
		mon_total_json("total", &t);
	}
	mtop_header(buf, sizeof(buf), ui);
	print_line(buf, width);
	print_string(PRINT_JSON, "sort", NULL, sort_names[ui->sort]);
	open_json_array("procs");
	for (unsigned int i = 0; i < f->ntasks; i++) {
		if (!mtop_shown(&f->tasks[i], ui))
			continue;
		open_json_object(NULL);
		proc_fields(f, &f->tasks[i], ui, width);
		close_json_object();
	}
	close_json_array();
	print_nl();
	close_json_object();
	print_end();
}
