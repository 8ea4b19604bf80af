// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mosmon, mtop and mps drawn from fixed data: nodes and processes built
 * as the kernel's netlink replies and parsed with omctl's parsers, plus
 * fixed process tables.  The screens go to a curses virtual terminal
 * (newterm on /dev/null) that is read back, resized and read again; batch
 * text and JSON go to DIR for the shell test.  Prints TAP.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>

#include "../monitors/mon_view.h"
#include "../monitors/mps.h"

static int n, failed;
static const char *dir;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n++;
	if (!cond)
		failed++;
	printf("%sok %d - monitors: ", cond ? "" : "not ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- the kernel's replies, as render_test builds them ---- */

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 42, 0, 0, cmd, OM_GENL_VERSION);
	return m;
}

static struct nlattr *attr(struct nl_msg *m, int type)
{
	struct nlattr *tb[OM_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, OM_A_MAX, NULL) < 0)
		abort();
	return tb[type];
}

struct fnode {
	uint16_t id;
	const char *addr;
	uint8_t state;
	uint32_t flags, load, cpus, speed;
	uint64_t total, free_, heard;
};

static void node_msg(struct om_node_info *out, const struct fnode *f)
{
	struct nl_msg *m = reply(OM_CMD_GET_NODE);
	struct nlattr *nest = nla_nest_start(m, OM_A_NODE);
	struct in_addr in;

	inet_pton(AF_INET, f->addr, &in);
	nla_put_u16(m, OM_NA_ID, f->id);
	nla_put_u32(m, OM_NA_ADDR, in.s_addr);
	nla_put_u16(m, OM_NA_PORT, 5428);
	nla_put_u8(m, OM_NA_STATE, f->state);
	nla_put_u32(m, OM_NA_FLAGS, f->flags);
	nla_put_u32(m, OM_NA_LOAD, f->load);
	nla_put_u32(m, OM_NA_RUNNABLE, f->load / 100);
	nla_put_u32(m, OM_NA_CPUS, f->cpus);
	nla_put_u32(m, OM_NA_SPEED, f->speed);
	nla_put_u64(m, OM_NA_MEM_TOTAL, f->total);
	nla_put_u64(m, OM_NA_MEM_FREE, f->free_);
	nla_put_u64(m, OM_NA_UPTIME, 3600);
	if (f->state != OM_NODE_SELF)
		nla_put_u64(m, OM_NA_LAST_HEARD, f->heard);
	if (f->id == 2) {
		inet_pton(AF_INET, "10.88.0.2", &in);
		nla_put_u32(m, OM_NA_ALIAS, in.s_addr);
	}
	nla_nest_end(m, nest);
	if (om_node_parse(attr(m, OM_A_NODE), out))
		abort();
	nlmsg_free(m);
}

struct fproc {
	uint32_t pid;
	uint16_t where, home;
	bool guest, locked;
	const char *comm, *cantmove;
};

static void proc_msg(struct om_proc_info *out, const struct fproc *f)
{
	struct nl_msg *m = reply(OM_CMD_GET_PROC);
	struct nlattr *nest = nla_nest_start(m, OM_A_PROC);

	nla_put_u32(m, OM_PA_PID, f->pid);
	nla_put_u16(m, OM_PA_WHERE, f->where);
	nla_put_u16(m, OM_PA_HOME, f->home);
	nla_put_u32(m, OM_PA_NMIGS, f->where != f->home);
	nla_put_u8(m, OM_PA_LOCKED, f->locked);
	nla_put_u32(m, OM_PA_UID, 0);
	nla_put_string(m, OM_PA_COMM, f->comm);
	if (f->cantmove)
		nla_put_string(m, OM_PA_CANTMOVE, f->cantmove);
	if (f->where != f->home)
		nla_put_u64(m, OM_PA_AWAY_MS, 5000);
	if (f->guest) {
		nla_put_flag(m, OM_PA_GUEST);
		nla_put_u32(m, OM_PA_HOME_PID, 777);
	}
	nla_nest_end(m, nest);
	if (om_proc_parse(attr(m, OM_A_PROC), out))
		abort();
	nlmsg_free(m);
}

static const struct fnode fnodes[] = {
	{ 1, "10.77.0.1", OM_NODE_SELF, OM_NF_STATIC | OM_NF_SELF, 137, 4, 10000,
	  4ull << 30, 3ull << 29, 0 },
	{ 2, "10.77.0.2", OM_NODE_UP, OM_NF_DISCOVERED, 25, 2, 20000,
	  2ull << 30, 1ull << 30, 900 },
	{ 3, "10.77.0.3", OM_NODE_DOWN, OM_NF_STATIC | OM_NF_BLOCKED, 0, 1, 10000,
	  1ull << 30, 1ull << 29, 123456 },
};

static const struct fproc fprocs[] = {
	{ 100, 1, 1, false, false, "init", NULL },
	{ 200, 2, 1, false, false, "mig_prog", NULL },
	{ 300, 1, 3, true, false, "sleep", NULL },
	{ 400, 1, 1, false, true, "sh", "multi-threaded (2 threads)" },
	{ 500, 2, 1, false, false, "yes", NULL },
};

static struct mon_snap snap;

static void make_snap(struct mon_snap *s, unsigned int nnodes)
{
	memset(s, 0, sizeof(*s));
	s->nodes = calloc(nnodes, sizeof(*s->nodes));
	s->nnodes = nnodes;
	for (unsigned int i = 0; i < nnodes; i++) {
		struct fnode f = fnodes[i < 3 ? i : 1];

		if (i >= 3) {
			/* a big cluster for the scrolling tests */
			static char addr[3000][16];

			f.id = i + 1;
			snprintf(addr[i], sizeof(addr[i]), "10.77.%u.%u", (i + 1) / 256,
				 (i + 1) % 256);
			f.addr = addr[i];
		}
		node_msg(&s->nodes[i].n, &f);
	}
	s->procs = calloc(5, sizeof(*s->procs));
	s->nprocs = 5;
	for (unsigned int i = 0; i < 5; i++)
		proc_msg(&s->procs[i], &fprocs[i]);
	s->have_procs = true;
	s->when = 1700000000;
	mon_snap_count(s);
}

/* ---- processes, as libproc2 would have read them ---- */

struct ftask {
	int pid, ppid;
	unsigned int uid;
	const char *user, *tty, *comm, *args;
	char state;
	unsigned long rss;
	unsigned long long tics;
	double pcpu_now;
};

static const struct ftask ftasks[] = {
	{ 2, 0, 0, "root", NULL, "kthreadd", NULL, 'S', 0, 0, 0 },
	{ 100, 1, 0, "root", "pts/0", "init", "/sbin/init splash", 'S', 9000, 300, 0.5 },
	{ 200, 100, 0, "root", NULL, "mig_prog", "mig_prog ids 15", 'R', 1000, 12345, 50 },
	{ 300, 1, 65534, "nobody", NULL, "sleep", "sleep 100", 'S', 500, 1, 0 },
	{ 400, 100, 0, "root", "pts/0", "sh", "sh -c x", 'S', 3000, 20, 0 },
	{ 500, 200, 1234, "averyverylongname", NULL, "yes", "yes", 'S', 700, 4000, 25 },
	{ 600, 100, 0, "root", NULL, "newproc", "new proc", 'S', 100, 0, 0 },
};

#define NTASKS ARRAY_SIZE(ftasks)

static void make_tasks(struct ps_list *l, const struct mon_snap *s)
{
	l->n = NTASKS;
	l->t = calloc(NTASKS, sizeof(*l->t));
	for (unsigned int i = 0; i < NTASKS; i++) {
		const struct ftask *f = &ftasks[i];
		struct ps_task *t = &l->t[i];

		t->pid = t->tgid = t->tid = f->pid;
		t->ppid = f->ppid;
		t->pgrp = t->sid = f->pid == 400 ? 100 : f->pid;
		t->tpgid = -1;
		t->nlwp = 1;
		t->euid = t->ruid = f->uid;
		snprintf(t->euser, sizeof(t->euser), "%s", f->user);
		snprintf(t->ruser, sizeof(t->ruser), "%s", f->user);
		snprintf(t->tty, sizeof(t->tty), "%s", f->tty ? f->tty : "?");
		t->tty_nr = f->tty ? 34816 : 0;
		t->state = f->state;
		t->prio = 20;
		t->vsz_kb = f->rss * 3;
		t->rss_kb = f->rss;
		t->tics = t->tics_c = f->tics;
		t->tics_delta = f->pcpu_now > 0;
		t->pcpu_now = f->pcpu_now;
		t->start_s = 99000;
		snprintf(t->comm, sizeof(t->comm), "%s", f->comm);
		t->args = f->args ? strdup(f->args) : NULL;
		t->kthread = !f->args;
		snprintf(t->wchan, sizeof(t->wchan), "-");
	}
	ps_attach(l, s);
}

static struct ps_ctx ctx = {
	.now = 1700000000 + 100000, .boot = 1700000000, .mem_total_kb = 1000000,
	.hertz = 100,
};

/* ---- reading files and the virtual screen ---- */

static char *slurp(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[len] = '\0';
	return buf;
}

static FILE *out_file(const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	return f;
}

/* Screen line y, trailing blanks cut */
static const char *row(int y)
{
	static char buf[1024];
	int len;

	buf[0] = '\0';
	if (mvwinnstr(stdscr, y, 0, buf, COLS) == ERR)
		return "";
	len = strlen(buf);
	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
	return buf;
}

/* The screen as text, for the files and failure messages */
static void dump_screen(const char *name)
{
	char path[512];
	FILE *f = out_file(name, path, sizeof(path));

	for (int y = 0; y < LINES; y++)
		fprintf(f, "%s\n", row(y));
	fclose(f);
}

static bool screen_has(const char *s)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(row(y), s))
			return true;
	return false;
}

static int screen_find(const char *s)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(row(y), s))
			return y;
	return -1;
}

static void size(int rows, int cols)
{
	resizeterm(rows, cols);
}

/* ---- mosmon ---- */

/* the status line's event text: omctl monitor's line */
static void test_events(void)
{
	struct nlattr *tb[OM_A_MAX + 1];
	struct nl_msg *m = reply(OM_CMD_MIG_EVENT);
	struct nlattr *nest;
	struct in_addr in;
	char text[256];

	nla_put_u8(m, OM_A_MIG_EVENT, OM_MEV_ARRIVED);
	nest = nla_nest_start(m, OM_A_PROC);
	nla_put_u32(m, OM_PA_PID, 4243);
	nla_put_u16(m, OM_PA_WHERE, 2);
	nla_put_u16(m, OM_PA_HOME, 1);
	nla_put_string(m, OM_PA_COMM, "sleep");
	nla_nest_end(m, nest);
	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, OM_A_MAX, NULL) < 0)
		abort();
	json = true;	/* whatever the mode: text */
	mon_event_text(tb, text, sizeof(text));
	json = false;
	ok(!strcmp(text, "proc 4243 (sleep) arrived at node 2"),
	   "event text: a migration as omctl monitor says it: [%s]", text);
	nlmsg_free(m);

	m = reply(OM_CMD_NODE_EVENT);
	nla_put_u8(m, OM_A_EVENT, OM_EV_NODE_DOWN);
	nest = nla_nest_start(m, OM_A_NODE);
	nla_put_u16(m, OM_NA_ID, 3);
	inet_pton(AF_INET, "10.77.0.3", &in);
	nla_put_u32(m, OM_NA_ADDR, in.s_addr);
	nla_nest_end(m, nest);
	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, OM_A_MAX, NULL) < 0)
		abort();
	mon_event_text(tb, text, 10);
	ok(!strcmp(text, "node 3 do"), "event text: cut to the buffer: [%s]", text);
	mon_event_text(tb, text, sizeof(text));
	ok(!strcmp(text, "node 3 down 10.77.0.3") && jw_output() == stdout,
	   "event text: a node event, the output back to stdout: [%s]", text);
	nlmsg_free(m);
}

static void test_counts(void)
{
	ok(snap.self == 1, "self is node 1 (got %u)", snap.self);
	ok(snap.nodes[0].guests == 1 && snap.nodes[1].guests == -1 &&
	   snap.nodes[2].guests == -1, "guests: this node's (1) only, others unknown");
	ok(snap.nodes[0].from_here == 0 && snap.nodes[1].from_here == 2 &&
	   snap.nodes[2].from_here == 0, "from_here: 2 of our processes on node 2");
	ok(mon_snap_proc(&snap, 300) && mon_snap_proc(&snap, 300)->guest &&
	   !mon_snap_proc(&snap, 301), "process lookup by pid");
}

static void test_mosmon(void)
{
	struct mosmon_ui ui = { .view = MOSMON_LOAD, .interval_ms = 2000 };
	struct mon_snap big;
	char path[512];
	int y;

	size(24, 80);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	dump_screen("mosmon-80x24.txt");
	ok(strstr(row(0), "mosmon  node 1  load  3 nodes") && strstr(row(0), ":13:20"),
	   "mosmon title: node, view, node count, clock");
	ok(!strcmp(row(1), " NODE STATE CPUS GUESTS OURS LOAD (bar: 0 to 2.00)"),
	   "mosmon column header with the load scale: [%s]", row(1));
	ok(!strncmp(row(2), "    1 self     4      1    0 [", 30) &&
	   strstr(row(2), "]   1.37"), "node 1: self, 4 cpus, 1 guest, load 1.37: [%s]", row(2));
	/* 1.37 of a 2.00 scale: 68% of the bar */
	y = strchr(row(2), ']') - strchr(row(2), '[') - 1;
	ok(y > 0 && abs((int)strspn(strchr(row(2), '[') + 1, "#") - y * 137 / 200) <= 1,
	   "load bar is 137/200 of its %d columns", y);
	ok(!strncmp(row(3), "    2 up       2      -    2 [", 30) && strstr(row(3), "0.25"),
	   "node 2: up, guests unknown, 2 of ours: [%s]", row(3));
	ok(!strncmp(row(4), "    3 block    1      -    0 (down, last heard 123s ago)", 56),
	   "node 3: blocked, down, no bar: [%s]", row(4));
	ok(strstr(row(23), "q quit") != NULL, "bottom line: the keys");

	mosmon_key(&ui, 'm', &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(strstr(row(1), "MEMORY") && strstr(row(2), "]   2.5G used 1.5G free") &&
	   strstr(row(2), "[####") && strstr(row(2), "-----]"),
	   "m: memory view, used # and free -: [%s]", row(2));
	mosmon_key(&ui, 's', &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(strstr(row(2), "10000 x4") && strstr(row(3), "20000 x2"), "s: speed view");
	mosmon_key(&ui, 'u', &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(strstr(row(2), "100%") && strstr(row(3), " 50%"),
	   "u: utilisation, load x speed: 100%% and 50%%: [%s]", row(3));
	mosmon_key(&ui, 't', &snap, LINES);
	mosmon_key(&ui, 'l', &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	dump_screen("mosmon-total.txt");
	ok(strstr(row(22), "total 2/3 up, 6 cpus, load 0.81, mem 3.5G used 2.5G free, guests here 1, away 2") != NULL,
	   "t: total line, capacity-weighted load: [%s]", row(22));
	mosmon_key(&ui, 'h', &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(screen_has("mosmon keys:") && !screen_has("    1 self"), "h: help instead of the nodes");
	mosmon_key(&ui, 'x', &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(!screen_has("mosmon keys:") && screen_has("    1 self"), "any key leaves the help");
	ok(mosmon_key(&ui, 'q', &snap, LINES) == MON_KEY_QUIT &&
	   mosmon_key(&ui, 'r', &snap, LINES) == MON_KEY_REFRESH, "q quits, r reads again");

	/* narrow: the guest columns go, then the bar; nothing past the edge */
	ui.total = false;
	size(10, 40);
	mosmon_key(&ui, KEY_RESIZE, &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	dump_screen("mosmon-40x10.txt");
	ok(!strstr(row(1), "GUESTS") && !strncmp(row(2), "    1 self     4 [", 18) &&
	   strstr(row(2), "1.37"), "40 columns: no guest columns, still a bar: [%s]", row(2));
	ok(strstr(row(9), "l m s u view") != NULL, "40x10: bottom line on the last row");
	size(6, 20);
	mosmon_key(&ui, KEY_RESIZE, &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	dump_screen("mosmon-20x6.txt");
	ok(!strcmp(row(2), "    1 self  1.37") && !strcmp(row(3), "    2 up    0.25"),
	   "20 columns: id, state and load only: [%s]", row(2));
	ok(screen_find("nodes 1-3 of 3") < 0 && strlen(row(5)) <= 20,
	   "6 rows fit all 3 nodes, bottom line cut to 20");
	size(5, 20);
	mosmon_key(&ui, KEY_RESIZE, &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(strstr(row(4), "nodes 1-2 of 3") != NULL, "5 rows: 2 nodes and where we are: [%s]", row(4));

	/* resize back: the same screen as before */
	size(24, 80);
	mosmon_key(&ui, KEY_RESIZE, &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(!strncmp(row(2), "    1 self     4      1    0 [", 30) &&
	   strstr(row(23), "q quit"), "resized back to 80x24: full layout again");

	/* module gone: the message, wrapped when narrow */
	ui.conn = MON_CONN_ABSENT;
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	ok(screen_has("openmosix module not loaded (modprobe openmosix)") &&
	   screen_has("retrying every 2.0s") && !screen_has("self"),
	   "module not loaded: said, retrying");
	size(8, 30);
	mosmon_key(&ui, KEY_RESIZE, &snap, LINES);
	mosmon_draw(stdscr, &snap, &ui, 1700000000);
	dump_screen("mosmon-absent-30x8.txt");
	ok(screen_has("openmosix module not loaded") && screen_has("(modprobe openmosix)"),
	   "module not loaded: wrapped at 30 columns");
	ui.conn = MON_CONN_OK;

	/* many nodes: + and - scroll, a resize keeps the view sane */
	make_snap(&big, 30);
	size(12, 80);
	ui.first = 0;
	for (int i = 0; i < 3; i++)
		mosmon_key(&ui, '+', &big, LINES);
	mosmon_draw(stdscr, &big, &ui, 1700000000);
	ok(!strncmp(row(2), "    4 ", 6) && strstr(row(11), "nodes 4-12 of 30"),
	   "+ three times: node 4 first, \"nodes 4-12 of 30\": [%s]", row(11));
	mosmon_key(&ui, '-', &big, LINES);
	mosmon_draw(stdscr, &big, &ui, 1700000000);
	ok(!strncmp(row(2), "    3 ", 6), "- once: node 3 first");
	for (int i = 0; i < 10; i++)
		mosmon_key(&ui, KEY_NPAGE, &big, LINES);
	mosmon_draw(stdscr, &big, &ui, 1700000000);
	ok(!strncmp(row(2), "   22 ", 6) && !strncmp(row(10), "   30 ", 6),
	   "PgDn past the end: stops with node 30 on the last line");
	size(40, 80);
	mosmon_key(&ui, KEY_RESIZE, &big, LINES);
	mosmon_draw(stdscr, &big, &ui, 1700000000);
	ok(ui.first == 0 && !strncmp(row(2), "    1 ", 6) && !strncmp(row(31), "   30 ", 6),
	   "grown to 40 rows: all 30 nodes from the first");
	/* nodes go away: the scroll position follows */
	size(12, 80);
	ui.first = 20;
	big.nnodes = 5;
	mosmon_draw(stdscr, &big, &ui, 1700000000);
	ok(ui.first == 0 && !strncmp(row(6), "    5 ", 6) && !strcmp(row(7), ""),
	   "nodes gone: back to the first, 5 lines");
	big.nnodes = 0;
	mosmon_draw(stdscr, &big, &ui, 1700000000);
	ok(screen_has("no nodes"), "no node at all: said");
	big.nnodes = 30;
	mon_snap_free(&big);

	/*
	 * -j: one object, omctl's node fields and ours; omctl -j node list's
	 * printer beside it for the shell test to compare field by field
	 */
	{
		FILE *f = out_file("mosmon.json", path, sizeof(path));

		json = true;
		jw_set_output(f);
		mosmon_json(&snap);
		fclose(f);
		f = out_file("omctl-nodes.json", path, sizeof(path));
		jw_set_output(f);
		om_node_list_begin();
		for (unsigned int i = 0; i < snap.nnodes; i++)
			om_node_table_row(&snap.nodes[i].n);
		om_node_list_end();
		fclose(f);
		jw_set_output(NULL);
		json = false;
	}
	ok(strstr(slurp(path), "\"id\":1") != NULL, "omctl's node JSON written");
}

/* ---- mps ---- */

static char *mps(const char *args, int width, int *ret)
{
	static char path[512];
	char *argv[32], *copy = strdup(args), *save = NULL, *w;
	struct mps_opts o;
	struct ps_list l;
	int argc = 0;
	FILE *f;

	argv[argc++] = "mps";
	for (w = strtok_r(copy, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	*ret = mps_parse(argc, argv, &o);
	f = out_file("mps.txt", path, sizeof(path));
	if (!*ret) {
		make_tasks(&l, &snap);
		jw_set_output(f);
		*ret = mps_print(&o, &l, &ctx, 100, 0, width);
		jw_set_output(NULL);
		ps_list_free(&l);
	}
	fclose(f);
	mps_opts_free(&o);
	free(copy);
	return slurp(path);
}

/* s contains every piece (NULL-terminated); says what it got if not */
static bool has(const char *s, ...)
{
	const char *piece;
	bool all = true;
	va_list ap;

	va_start(ap, s);
	while ((piece = va_arg(ap, const char *)))
		if (!strstr(s, piece)) {
			printf("# missing: [%s]\n", piece);
			all = false;
		}
	va_end(ap);
	if (!all)
		printf("# in:\n%s", s);
	return all;
}

static bool lines_are(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return true;
	printf("# got:\n%s# wanted:\n%s", got, want);
	return false;
}

static void test_mps(void)
{
	char *s, wide[4096];
	int ret;

	s = mps("-e -o pid,node,comm", 0, &ret);
	ok(!ret && lines_are(s,
			     "  PID  NODE COMMAND\n"
			     "    2     - kthreadd\n"
			     "  100  home init\n"
			     "  200     2 mig_prog\n"
			     "  300     1 sleep\n"
			     "  400  home sh\n"
			     "  500     2 yes\n"
			     "  600     - newproc\n"),
	   "mps -e -o pid,node,comm: home, node ids, - for what the module lacks");
	s = mps("-e -o pid,where,home,nmigs,locked,guest", 0, &ret);
	ok(!ret && has(s, "  300     1     3     1 no   yes\n",
			"  200     2     1     1 no   no\n",
			"  400     1     1     0 yes  no\n", "    2     -     -     - -    -\n", NULL),
	   "openMosix fields: where, home, nmigs, locked, guest");
	s = mps("ax", 0, &ret);
	ok(!ret && has(s, "  PID TTY       NODE STAT   TIME COMMAND\n",
			"  100 pts/0     home Ss     0:03 /sbin/init splash\n",
			"    2 ?            - Ss     0:00 [kthreadd]\n",
			"  200 ?            2 Rs     2:03 mig_prog ids 15\n", NULL),
	   "mps ax: openMosix's PID TTY NODE STAT TIME COMMAND");
	s = mps("", 0, &ret);
	ok(!ret && lines_are(s,
			     "  PID TTY       NODE     TIME CMD\n"
			     "  100 pts/0     home 00:00:03 init\n"
			     "  400 pts/0     home 00:00:00 sh\n"),
	   "mps alone: my processes on my terminal, as ps");
	s = mps("-ef", 0, &ret);
	ok(!ret && has(s, "UID        PID  PPID  C STIME TTY       NODE     TIME CMD\n",
			"averyve+   500   200  0 01:43 ?            2 00:00:40 yes\n", NULL),
	   "mps -ef: full format, long user name cut with +");
	s = mps("aux", 0, &ret);
	ok(!ret && has(s, "USER       PID %CPU %MEM    VSZ   RSS TTY       NODE STAT START   TIME COMMAND\n",
			"root       200  0.0  0.1   3000  1000 ?            2 Rs   01:43   2:03 mig_prog ids 15\n",
			NULL),
	   "mps aux: user format with NODE");
	s = mps("-e -o pid,node,comm --sort=-node", 0, &ret);
	ok(!ret && lines_are(s,
			     "  PID  NODE COMMAND\n"
			     "  200     2 mig_prog\n"
			     "  500     2 yes\n"
			     "  300     1 sleep\n"
			     "  100  home init\n"
			     "  400  home sh\n"
			     "    2     - kthreadd\n"
			     "  600     - newproc\n"),
	   "--sort=-node: remote first, then home, then unknown");
	s = mps("axf -o pid,args", 0, &ret);
	ok(!ret && lines_are(s,
			     "  PID COMMAND\n"
			     "    2 [kthreadd]\n"
			     "  100 /sbin/init splash\n"
			     "  200  \\_ mig_prog ids 15\n"
			     "  500  |   \\_ yes\n"
			     "  400  \\_ sh -c x\n"
			     "  600  \\_ new proc\n"
			     "  300 sleep 100\n"),
	   "axf: the tree as ps draws it");
	s = mps("-eH -o pid,comm", 0, &ret);
	ok(!ret && strstr(s, "  200   mig_prog\n  500     yes\n"), "-eH: indented tree");
	s = mps("-p 200,500 -o pid= -o node=", 0, &ret);
	ok(!ret && lines_are(s, "  200     2\n  500     2\n"),
	   "-p and empty headers: no header line");
	s = mps("-u nobody -o pid,user,node", 0, &ret);
	ok(!ret && lines_are(s, "  PID USER      NODE\n  300 nobody       1\n"), "-u nobody");
	s = mps("-C sleep,yes -o pid", 0, &ret);
	ok(!ret && lines_are(s, "  PID\n  300\n  500\n"), "-C by command name");
	s = mps("-N -p 2,100,200 --no-headers -o pid", 0, &ret);
	ok(!ret && lines_are(s, "  300\n  400\n  500\n  600\n"), "-N: the others; --no-headers");
	s = mps("axr -o pid,stat", 0, &ret);
	ok(!ret && lines_are(s, "  PID STAT\n  200 Rs\n"), "r: running only, a session leader");
	s = mps("-e -o pid,node=WHERE-NOW,cmd", 0, &ret);
	ok(!ret && !strncmp(s, "  PID WHERE-NOW,cmd\n", 20),
	   "a header after = takes the rest of the word, as ps");
	s = mps("-e -o pid:8,cantmove", 0, &ret);
	ok(!ret && strstr(s, "     400 multi-threaded (2 threads)\n"), "pid:8 width, cantmove");
	s = mps("-e ww -o pid,args", 30, &ret);
	(void)wide;
	for (char *p = s, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		if (nl - p > 30)
			ret = 99;
	ok(!ret && strstr(s, "  100 /sbin/init splash\n"), "lines cut at the width");
	mps("-o pid,bogus", 0, &ret);
	ok(ret == EXIT_USAGE, "unknown field: usage error");
	mps("--sort=nope", 0, &ret);
	ok(ret == EXIT_USAGE, "unknown sort key: usage error");
	mps("-p 12x", 0, &ret);
	ok(ret == EXIT_USAGE, "bad pid: usage error");
	mps("-Z", 0, &ret);
	ok(ret == EXIT_USAGE, "unsupported option: usage error");
	mps("-o", 0, &ret);
	ok(ret == EXIT_USAGE, "-o without a format: usage error");
}

/* mps (args, threads or not) against ps (same args) into path */
static bool same_as_ps(const char *args, bool threads, const char *name)
{
	char cmd[512], want[8192], path[512], *argv[16], *copy, *w, *save = NULL;
	struct ps_list l = { 0 };
	struct ps_reader *r;
	struct mps_opts o;
	struct ps_ctx c;
	int argc = 0;
	size_t len;
	FILE *p, *f;

	snprintf(cmd, sizeof(cmd), "ps %s", args);
	p = popen(cmd, "r");
	len = p ? fread(want, 1, sizeof(want) - 1, p) : 0;
	if (p)
		pclose(p);
	want[len] = '\0';
	copy = strdup(args);
	argv[argc++] = "mps";
	for (w = strtok_r(copy, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (mps_parse(argc, argv, &o) || ps_reader_new(&r, threads) || ps_read(r, &l))
		abort();
	ps_attach(&l, NULL);
	ps_ctx_init(&c);
	f = out_file(name, path, sizeof(path));
	jw_set_output(f);
	mps_print(&o, &l, &c, getpid(), geteuid(), 0);
	jw_set_output(NULL);
	fclose(f);
	ps_list_free(&l);
	ps_reader_free(r);
	mps_opts_free(&o);
	free(copy);
	return len && lines_are(slurp(path), want);
}

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;

static void *holder(void *arg)
{
	pthread_mutex_lock(&hold);
	pthread_mutex_unlock(&hold);
	return NULL;
}

/* mps's ps fields against procps' ps, for a process that holds still */
static void test_vs_ps(void)
{
	static const char *const fmt =
		"pid,ppid,pgid,sid,uid,user,gid,group,tty,stat,ni,pri,comm,args,stime,lstart";
	char cmd[512], want[8192], path[512], *got;
	struct ps_reader *r;
	struct ps_list l = { 0 };
	struct mps_opts o;
	struct ps_ctx c;
	char *argv[] = { "mps", "-p", "1", "-o", (char *)fmt, NULL };
	FILE *p, *f;
	size_t len;

	if (access("/bin/ps", X_OK) && access("/usr/bin/ps", X_OK)) {
		printf("ok %d - monitors: fields as procps' ps # SKIP no ps\n", ++n);
		return;
	}
	snprintf(cmd, sizeof(cmd), "ps -p 1 -o %s", fmt);
	p = popen(cmd, "r");
	len = p ? fread(want, 1, sizeof(want) - 1, p) : 0;
	if (p)
		pclose(p);
	want[len] = '\0';
	if (mps_parse(5, argv, &o) || ps_reader_new(&r, false) || ps_read(r, &l))
		abort();
	ps_attach(&l, NULL);
	ps_ctx_init(&c);
	f = out_file("mps-vs-ps.txt", path, sizeof(path));
	jw_set_output(f);
	mps_print(&o, &l, &c, getpid(), geteuid(), 0);
	jw_set_output(NULL);
	fclose(f);
	got = slurp(path);
	ok(len && lines_are(got, want), "fields as procps' ps prints them (pid 1)");
	ps_list_free(&l);
	ps_reader_free(r);
	mps_opts_free(&o);

	/* threads: this test with a second thread, held still */
	{
		char args[128];
		pthread_t th;

		pthread_mutex_lock(&hold);
		pthread_create(&th, NULL, holder, NULL);
		snprintf(args, sizeof(args), "-L -p %d -o pid,lwp,nlwp,tty,comm", getpid());
		ok(same_as_ps(args, true, "mps-vs-ps-L.txt"), "-L: a line per thread, as ps");
		snprintf(args, sizeof(args), "-p %d -o pid,nlwp,ppid,comm", getpid());
		ok(same_as_ps(args, false, "mps-vs-ps-p.txt"), "without -L: one line, as ps");
		pthread_mutex_unlock(&hold);
		pthread_join(th, NULL);
	}
}

/* ---- mtop ---- */

static void frame(struct mtop_frame *f, struct ps_list *l, struct mtop_ui *ui)
{
	make_tasks(l, &snap);
	memset(f, 0, sizeof(*f));
	f->snap = &snap;
	f->tasks = l->t;
	f->ntasks = l->n;
	f->now = 1700000000;
	f->uptime = 93784;
	f->loadavg[0] = 1.5;
	f->mem_total_kb = 1000000;
	f->hertz = 100;
	mtop_sort(f, ui);
}

static void test_mtop(void)
{
	struct mtop_ui ui = { .sort = MTOP_SORT_CPU, .idle = true, .nodes = true,
			      .interval_ms = 3000 };
	char path[512], *s;
	struct mtop_frame f;
	struct ps_list l;
	int hdr, ret;
	FILE *out;

	frame(&f, &l, &ui);
	out = out_file("mtop-batch.txt", path, sizeof(path));
	jw_set_output(out);
	mtop_print(&f, &ui, 0);
	jw_set_output(NULL);
	fclose(out);
	s = slurp(path);
	ok(strstr(s, "mtop - 22:13:20 up 1 day,  2:03,  load average: 1.50, 0.00, 0.00\n") &&
	   strstr(s, "Tasks: 7 total, 1 running, 6 sleeping, 0 stopped, 0 zombie\n"),
	   "batch: top's first lines");
	ok(strstr(s, "Cluster: this is node 1; 3 nodes, 2 up; 1 guest here, 2 away\n") &&
	   strstr(s, "Node     1 self  load   1.37  cpus   4  speed  10000  mem    2.5G used    1.5G free  guests 1  ours 0\n") &&
	   strstr(s, "Node     2 up    load   0.25  cpus   2  speed  20000  mem    1.0G used    1.0G free  guests -  ours 2\n") &&
	   strstr(s, "Node     3 block"), "batch: the cluster and a line per node");
	ok(strstr(s, "\n    PID USER      PR  NI    VIRT    RES S  %CPU  %MEM     TIME+  NODE COMMAND\n"
		     "    200 root      20   0    3000   1000 R  50.0   0.1   2:03.45     2 mig_prog\n"
		     "    500 averyve+  20   0    2100    700 S  25.0   0.1   0:40.00     2 yes\n"
		     "    100 root      20   0   27000   9000 S   0.5   0.9   0:03.00  home init\n"
		     "      2 root      20   0       0      0 S   0.0   0.0   0:00.00     - kthreadd\n") != NULL,
	   "batch: processes by %%CPU with their node");
	ui.sort = MTOP_SORT_NODE;
	mtop_sort(&f, &ui);
	ok(f.tasks[0].pid == 200 && f.tasks[1].pid == 500 && f.tasks[2].pid == 300 &&
	   f.tasks[3].pid == 100 && f.tasks[5].pid == 2, "N: sorted by node, remote first");
	mtop_key(&ui, 'M', 24, f.ntasks);
	mtop_sort(&f, &ui);
	ok(ui.sort == MTOP_SORT_MEM && f.tasks[0].pid == 100 && f.tasks[1].pid == 400,
	   "M: sorted by memory");
	mtop_key(&ui, 'R', 24, f.ntasks);
	mtop_sort(&f, &ui);
	ok(f.tasks[0].pid == 2 && !strcmp(ui.status, "sorted by %MEM, ascending"),
	   "R: the other way round");
	ui.reverse = false;
	mtop_key(&ui, 'P', 24, f.ntasks);
	mtop_key(&ui, 'c', 24, f.ntasks);
	mtop_sort(&f, &ui);
	out = out_file("mtop-batch-40.txt", path, sizeof(path));
	jw_set_output(out);
	mtop_print(&f, &ui, 40);
	jw_set_output(NULL);
	fclose(out);
	s = slurp(path);
	ret = 0;
	for (char *p = s, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		ret |= nl - p > 40;
	ok(!ret && strstr(s, "    200 root      20   0    3000   1000 \n") &&
	   !strstr(s, "mig_prog"), "batch -w 40: lines cut at 40");
	mtop_key(&ui, 'i', 24, f.ntasks);
	out = out_file("mtop-batch-idle.txt", path, sizeof(path));
	jw_set_output(out);
	mtop_print(&f, &ui, 0);
	jw_set_output(NULL);
	fclose(out);
	s = slurp(path);
	ok(strstr(s, "mig_prog ids 15") && strstr(s, "   500 ") && !strstr(s, "  init\n") &&
	   !strstr(s, "sleep 100"), "i: idle processes hidden, c: command lines");
	mtop_key(&ui, 'i', 24, f.ntasks);

	/* JSON, checked by the shell test */
	out = out_file("mtop.json", path, sizeof(path));
	json = true;
	jw_set_output(out);
	mtop_print(&f, &ui, 0);
	jw_set_output(NULL);
	json = false;
	fclose(out);
	ok(strstr(slurp(path), "\"pid\":200") != NULL, "mtop JSON written");

	/* the screen, then narrow, then back */
	size(24, 100);
	mtop_draw(stdscr, &f, &ui);
	dump_screen("mtop-100x24.txt");
	hdr = screen_find("    PID USER");
	ok(hdr == 7 && strstr(row(2), "Cluster: this is node 1") && strstr(row(5), "Node     3") &&
	   !strcmp(row(6), "sorted by %CPU"), "screen: summary, node lines, message, header on line 7 (%d)", hdr);
	ok(strstr(row(8), "    200 root") && strstr(row(8), "     2 mig_prog ids 15"),
	   "screen: first process, its node, its command line: [%s]", row(8));
	size(10, 40);
	mtop_key(&ui, KEY_RESIZE, LINES, f.ntasks);
	mtop_draw(stdscr, &f, &ui);
	dump_screen("mtop-40x10.txt");
	hdr = screen_find("    PID USER");
	ok(hdr == 7 && !strcmp(row(hdr + 1), "    200 root      20   0    3000   1000"),
	   "40x10: header and a cut process line");
	mtop_key(&ui, '1', LINES, f.ntasks);
	mtop_draw(stdscr, &f, &ui);
	ok(screen_find("    PID USER") == 4 && !screen_has("Node     1"),
	   "1: no node lines, header on line 4");
	size(24, 100);
	mtop_key(&ui, KEY_RESIZE, LINES, f.ntasks);
	mtop_key(&ui, '1', LINES, f.ntasks);
	mtop_draw(stdscr, &f, &ui);
	ok(screen_find("    PID USER") == 7, "resized back: the same layout");
	/* d: a new delay typed in */
	mtop_key(&ui, 'd', LINES, f.ntasks);
	mtop_key(&ui, '1', LINES, f.ntasks);
	mtop_key(&ui, '.', LINES, f.ntasks);
	mtop_key(&ui, '5', LINES, f.ntasks);
	mtop_draw(stdscr, &f, &ui);
	ok(screen_has("Change delay from 3.0 to: 1.5"), "d: the prompt");
	ok(mtop_key(&ui, '\n', LINES, f.ntasks) == MON_KEY_REFRESH && ui.interval_ms == 1500,
	   "d: 1.5 s taken");
	mtop_key(&ui, 'd', LINES, f.ntasks);
	mtop_key(&ui, '0', LINES, f.ntasks);
	mtop_key(&ui, '\n', LINES, f.ntasks);
	ok(ui.interval_ms == 1500 && strstr(ui.status, "invalid delay"), "d: 0 refused");
	ui.conn = MON_CONN_ABSENT;
	mtop_draw(stdscr, &f, &ui);
	ok(screen_has("Cluster: openmosix module not loaded (modprobe openmosix)") &&
	   !screen_has("Node     1"), "module not loaded: said in the summary");
	ui.conn = MON_CONN_OK;
	ok(mtop_key(&ui, 'q', LINES, f.ntasks) == MON_KEY_QUIT, "q quits");
	ps_list_free(&l);
}

int main(int argc, char **argv)
{
	FILE *nul_out, *nul_in;
	SCREEN *scr;

	dir = argc > 1 ? argv[1] : ".";
	setenv("TZ", "UTC", 1);
	tzset();
	make_snap(&snap, 3);
	test_events();
	test_counts();
	test_mps();
	test_vs_ps();

	/* a curses terminal that goes nowhere, read back with winnstr */
	nul_out = fopen("/dev/null", "w");
	nul_in = fopen("/dev/null", "r");
	scr = newterm("vt100", nul_out, nul_in);
	if (!scr) {
		printf("not ok %d - monitors: newterm(vt100)\n", ++n);
		printf("1..%d\n", n);
		return 1;
	}
	test_mosmon();
	test_mtop();
	endwin();
	delscreen(scr);
	fclose(nul_out);
	fclose(nul_in);
	mon_snap_free(&snap);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
