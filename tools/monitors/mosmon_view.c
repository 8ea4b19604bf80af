// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mosmon's screen: one line per node with a bar of the chosen view
 * (load, memory, speed, utilisation), as openMosix's mosmon showed them,
 * laid out for whatever size the terminal has now.
 */
#include <string.h>

#include "mon_view.h"

static const char *const view_names[] = {
	[MOSMON_LOAD] = "load", [MOSMON_MEM] = "memory",
	[MOSMON_SPEED] = "speed", [MOSMON_UTIL] = "utilisation",
};

int mosmon_node_rows(const struct mosmon_ui *ui, int rows)
{
	/* title, column header, bottom line, the total */
	int n = rows - 3 - (ui->total ? 1 : 0);

	return n > 0 ? n : 0;
}

/* Scale of the load bars: at least 1.00, else the largest load rounded up */
static uint32_t load_scale(const struct mon_snap *s)
{
	uint32_t max = 100;

	for (unsigned int i = 0; i < s->nnodes; i++)
		if (mon_node_up(&s->nodes[i].n) && s->nodes[i].n.load > max)
			max = s->nodes[i].n.load;
	return (max + 99) / 100 * 100;
}

struct scales {
	uint32_t load, speed;
	uint64_t mem;
};

static void label(const struct mon_node *m, const struct mosmon_ui *ui,
		  char *buf, size_t len)
{
	const struct om_node_info *n = &m->n;
	char a[16], b[16];

	switch (ui->view) {
	case MOSMON_LOAD:
		om_fmt_load(n->load, buf, len);
		break;
	case MOSMON_MEM:
		om_fmt_bytes(n->mem_total > n->mem_free ? n->mem_total - n->mem_free : 0,
			      a, sizeof(a));
		om_fmt_bytes(n->mem_free, b, sizeof(b));
		snprintf(buf, len, "%s used %s free", a, b);
		break;
	case MOSMON_SPEED:
		snprintf(buf, len, "%u x%u", n->speed, n->cpus);
		break;
	case MOSMON_UTIL:
		snprintf(buf, len, "%u%%", mon_util(n));
		break;
	}
}

static int label_width(const struct mosmon_ui *ui)
{
	switch (ui->view) {
	case MOSMON_MEM:
		return 21;
	case MOSMON_SPEED:
		return 11;
	default:
		return 6;
	}
}

/* The bar's inside, width w: '#' for the value, '-' for free memory */
static void bar(const struct mon_node *m, const struct mosmon_ui *ui,
		const struct scales *sc, char *buf, int w)
{
	const struct om_node_info *n = &m->n;
	int fill = 0, free_part = 0;

	switch (ui->view) {
	case MOSMON_LOAD:
		fill = (int)((uint64_t)n->load * w / sc->load);
		break;
	case MOSMON_MEM:
		if (sc->mem) {
			int all = (int)(n->mem_total * w / sc->mem);
			uint64_t used = n->mem_total > n->mem_free ?
					n->mem_total - n->mem_free : 0;

			fill = n->mem_total ? (int)(used * all / n->mem_total) : 0;
			free_part = all - fill;
		}
		break;
	case MOSMON_SPEED:
		fill = sc->speed ? (int)((uint64_t)n->speed * w / sc->speed) : 0;
		break;
	case MOSMON_UTIL:
		fill = mon_util(n) * w / 100;
		break;
	}
	if (fill > w)
		fill = w;
	if (fill + free_part > w)
		free_part = w - fill;
	memset(buf, '#', fill);
	memset(buf + fill, '-', free_part);
	memset(buf + fill + free_part, ' ', w - fill - free_part);
	buf[w] = '\0';
}

/* Which columns fit: 2 = all, 1 = no guest columns, 0 = no bar either */
static int layout(int cols, const struct mosmon_ui *ui)
{
	int lw = label_width(ui);

	if (cols >= 29 + lw + 1 + 10)
		return 2;
	if (cols >= 17 + lw + 1 + 6)
		return 1;
	return 0;
}

static void node_line(const struct mon_node *m, const struct mosmon_ui *ui,
		      const struct scales *sc, int cols, char *buf, size_t len)
{
	const struct om_node_info *n = &m->n;
	int lay = layout(cols, ui), lw = label_width(ui), off, bw;
	char g[16], lab[48], b[512];

	if (m->guests >= 0)
		snprintf(g, sizeof(g), "%d", m->guests);
	else
		snprintf(g, sizeof(g), "-");
	if (lay == 2)
		off = snprintf(buf, len, "%5u %-5s %4u %6s %4u ", n->id,
			       mon_node_state(n), n->cpus, g, m->from_here);
	else if (lay == 1)
		off = snprintf(buf, len, "%5u %-5s %4u ", n->id, mon_node_state(n),
			       n->cpus);
	else
		off = snprintf(buf, len, "%5u %-5s ", n->id, mon_node_state(n));
	if (off < 0 || (size_t)off >= len)
		return;
	if (!mon_node_up(n)) {
		/* its figures are old: no bar */
		if (n->has_last_heard)
			snprintf(buf + off, len - off, "(down, last heard %llus ago)",
				 (unsigned long long)n->last_heard / 1000);
		else
			snprintf(buf + off, len - off, "(down)");
		return;
	}
	label(m, ui, lab, sizeof(lab));
	if (lay == 0) {
		snprintf(buf + off, len - off, "%s", lab);
		return;
	}
	bw = cols - off - lw - 3;
	if (bw > (int)sizeof(b) - 1)
		bw = sizeof(b) - 1;
	bar(m, ui, sc, b, bw);
	snprintf(buf + off, len - off, "[%s] %*s", b, lw, lab);
}

static void head_line(const struct mosmon_ui *ui, const struct scales *sc,
		      int cols, char *buf, size_t len)
{
	int lay = layout(cols, ui), off;
	char s[16];

	if (lay == 2)
		off = snprintf(buf, len, "%5s %-5s %4s %6s %4s ", "NODE", "STATE",
			       "CPUS", "GUESTS", "OURS");
	else if (lay == 1)
		off = snprintf(buf, len, "%5s %-5s %4s ", "NODE", "STATE", "CPUS");
	else
		off = snprintf(buf, len, "%5s %-5s ", "NODE", "STATE");
	if (off < 0 || (size_t)off >= len)
		return;
	switch (ui->view) {
	case MOSMON_LOAD:
		om_fmt_load(sc->load, s, sizeof(s));
		snprintf(buf + off, len - off, "LOAD (bar: 0 to %s)", s);
		break;
	case MOSMON_MEM:
		snprintf(buf + off, len - off, "MEMORY (# used, - free)");
		break;
	case MOSMON_SPEED:
		snprintf(buf + off, len - off, "SPEED x CPUS (10000: reference CPU)");
		break;
	case MOSMON_UTIL:
		snprintf(buf + off, len - off, "UTILISATION (CPUs busy)");
		break;
	}
}

static void total_line(const struct mon_snap *s, char *buf, size_t len)
{
	struct mon_total t;
	char l[16], u[16], f[16], g[16];

	mon_total(s, &t);
	om_fmt_load(t.load, l, sizeof(l));
	om_fmt_bytes(t.mem_total > t.mem_free ? t.mem_total - t.mem_free : 0, u,
		      sizeof(u));
	om_fmt_bytes(t.mem_free, f, sizeof(f));
	if (t.guests >= 0)
		snprintf(g, sizeof(g), "%d", t.guests);
	else
		snprintf(g, sizeof(g), "-");
	snprintf(buf, len,
		 "total %u/%u up, %u cpus, load %s, mem %s used %s free, guests here %s, away %u",
		 t.up, t.nodes, t.cpus, l, u, f, g, t.away);
}

static const char *const help_text[] = {
	"mosmon keys:",
	"  l  load (speed-normalised: 1.00 = one busy reference CPU)",
	"  m  memory used and free",
	"  s  speed and number of CPUs",
	"  u  utilisation: share of the node's CPUs busy",
	"  t  total of the cluster on or off",
	"  +  -  scroll by a node (also arrow keys; PgUp PgDn by a page)",
	"  r  read the kernel again now",
	"  q  quit      h ?  this help (any key leaves it)",
	"",
	"GUESTS: processes from other nodes this node runs (the kernel",
	"reports it for this node only); OURS: this node's processes",
	"running on that node.",
};

/* Text centred and wrapped at spaces to the width, from line y; the next line */
static int wrapped(WINDOW *w, int y, int end, const char *text, attr_t attr)
{
	int rows, cols;
	char line[512];

	getmaxyx(w, rows, cols);
	(void)rows;
	while (*text && y < end) {
		int n = strlen(text), cut = n;

		if (n > cols) {
			cut = cols;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (!cut)
				cut = cols;
		}
		snprintf(line, sizeof(line), "%*s%.*s", (cols - cut) / 2, "", cut, text);
		mon_put_line(w, y++, line, attr);
		text += cut;
		while (*text == ' ')
			text++;
	}
	return y;
}

static void clamp_first(struct mosmon_ui *ui, const struct mon_snap *s, int rows)
{
	int fit = mosmon_node_rows(ui, rows);
	unsigned int max = s->nnodes > (unsigned int)fit ? s->nnodes - fit : 0;

	if (ui->first > max)
		ui->first = max;
}

void mosmon_draw(WINDOW *w, const struct mon_snap *s, struct mosmon_ui *ui,
		 time_t now)
{
	int rows, cols, y = 0, fit;
	struct scales sc = { 0 };
	char buf[1024], right[64];
	struct tm tm;

	getmaxyx(w, rows, cols);
	werase(w);
	if (rows <= 0 || cols <= 0)
		return;
	clamp_first(ui, s, rows);
	sc.load = load_scale(s);
	for (unsigned int i = 0; i < s->nnodes; i++) {
		if (!mon_node_up(&s->nodes[i].n))
			continue;
		if (s->nodes[i].n.speed > sc.speed)
			sc.speed = s->nodes[i].n.speed;
		if (s->nodes[i].n.mem_total > sc.mem)
			sc.mem = s->nodes[i].n.mem_total;
	}

	/* title: left part cut first, the clock stays when it fits */
	localtime_r(&now, &tm);
	strftime(right, sizeof(right), "%H:%M:%S", &tm);
	if (ui->conn == MON_CONN_OK)
		snprintf(buf, sizeof(buf), "mosmon  node %u  %s  %u nodes",
			 s->self, view_names[ui->view], s->nnodes);
	else
		snprintf(buf, sizeof(buf), "mosmon  %s", view_names[ui->view]);
	if ((int)(strlen(buf) + strlen(right) + 1) <= cols)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%*s",
			 (int)(cols - strlen(buf)), right);
	mon_put_line(w, y++, buf, A_REVERSE);
	if (rows == 1)
		return;

	if (ui->help) {
		for (unsigned int i = 0; i < ARRAY_SIZE(help_text) && y < rows - 1; i++)
			mon_put_line(w, y++, help_text[i], A_NORMAL);
	} else if (ui->conn != MON_CONN_OK) {
		const char *what = ui->conn == MON_CONN_ABSENT ?
			"openmosix module not loaded (modprobe openmosix)" :
			"cannot read the openmosix module's tables";

		y = rows / 2 - 1 > 1 ? rows / 2 - 1 : 1;
		y = wrapped(w, y, rows - 1, what, A_BOLD);
		snprintf(buf, sizeof(buf), "retrying every %d.%ds",
			 ui->interval_ms / 1000, ui->interval_ms % 1000 / 100);
		wrapped(w, y, rows - 1, buf, A_NORMAL);
	} else {
		head_line(ui, &sc, cols, buf, sizeof(buf));
		mon_put_line(w, y++, buf, A_BOLD);
		fit = mosmon_node_rows(ui, rows);
		for (int i = 0; i < fit && ui->first + i < s->nnodes; i++) {
			const struct mon_node *m = &s->nodes[ui->first + i];

			node_line(m, ui, &sc, cols, buf, sizeof(buf));
			mon_put_line(w, y++, buf, mon_node_up(&m->n) ? A_NORMAL : A_DIM);
		}
		if (!s->nnodes && y < rows - 1)
			mon_put_line(w, y++, "no nodes (omctl map load, or omdiscd)", A_NORMAL);
		if (ui->total && rows >= 4) {
			total_line(s, buf, sizeof(buf));
			mon_put_line(w, rows - 2, buf, A_BOLD);
		}
	}

	/* bottom line: the last event or error, else the keys */
	if (ui->status[0])
		snprintf(buf, sizeof(buf), "%s", ui->status);
	else if (s->nnodes > (unsigned int)mosmon_node_rows(ui, rows) &&
		 ui->conn == MON_CONN_OK && !ui->help)
		snprintf(buf, sizeof(buf), "nodes %u-%u of %u  +/- scroll  h help  q quit",
			 ui->first + 1, ui->first + mosmon_node_rows(ui, rows), s->nnodes);
	else
		snprintf(buf, sizeof(buf), "l m s u view  t total  +/- scroll  h help  q quit");
	mon_put_line(w, rows - 1, buf, A_REVERSE);
}

void mosmon_json(const struct mon_snap *s)
{
	struct mon_total t;

	mon_total(s, &t);
	open_json_object(NULL);
	print_u64(PRINT_JSON, "time", NULL, s->when);
	print_uint(PRINT_JSON, "self", NULL, s->self);
	open_json_array("nodes");
	for (unsigned int i = 0; i < s->nnodes; i++)
		mon_node_json(NULL, &s->nodes[i]);
	close_json_array();
	mon_total_json("total", &t);
	close_json_object();
	print_end();
}

enum mon_key_result mosmon_key(struct mosmon_ui *ui, int ch,
			       const struct mon_snap *s, int rows)
{
	int page = mosmon_node_rows(ui, rows);

	if (ch == KEY_RESIZE) {
		clamp_first(ui, s, rows);
		return MON_KEY_REDRAW;
	}
	if (ui->help && ch != 'q' && ch != 'Q') {
		ui->help = false;
		return MON_KEY_REDRAW;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		return MON_KEY_QUIT;
	case 'l':
		ui->view = MOSMON_LOAD;
		break;
	case 'm':
		ui->view = MOSMON_MEM;
		break;
	case 's':
		ui->view = MOSMON_SPEED;
		break;
	case 'u':
		ui->view = MOSMON_UTIL;
		break;
	case 't':
		ui->total = !ui->total;
		break;
	case 'h':
	case '?':
		ui->help = true;
		break;
	case '+':
	case KEY_DOWN:
		ui->first++;
		break;
	case '-':
	case KEY_UP:
		if (ui->first)
			ui->first--;
		break;
	case KEY_NPAGE:
	case ' ':
		ui->first += page > 0 ? page : 1;
		break;
	case KEY_PPAGE:
		ui->first = ui->first > (unsigned int)page ? ui->first - page : 0;
		break;
	case KEY_HOME:
		ui->first = 0;
		break;
	case 'r':
		return MON_KEY_REFRESH;
	case 12:	/* ^L */
		return MON_KEY_REDRAW;
	default:
		return MON_KEY_NONE;
	}
	ui->status[0] = '\0';
	clamp_first(ui, s, rows);
	return MON_KEY_REDRAW;
}
