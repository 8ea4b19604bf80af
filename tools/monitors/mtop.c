// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mtop: top with the node each process runs on, as openMosix's mtop;
 * live on the terminal, or -b (batch) frames of text, or -j JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libproc2/misc.h>

#include "mon_view.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = 1;
}

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: mtop [ -b ] [ -n FRAMES ] [ -d SECONDS ] [ -o FIELD ] [ -c ] [ -i ]\n"
		"            [ -p PID[,PID]... ] [ -u USER ] [ -w [ COLUMNS ] ] [ -1 ]\n"
		"       mtop -j [ -p PID... ] ...     (JSON frames)\n"
		"       mtop -V | -h\n"
		"  -b  batch: frames of text, no terminal needed   -n  frames, then exit\n"
		"  -d  seconds between frames (3)   -o  sort by %%CPU, %%MEM, NODE, TIME+ or PID\n"
		"  -c  command lines   -i  hide idle processes   -1  no line per node\n"
		"  -p  only these processes   -u  only this user's   -w  batch line width\n"
		"  -j  JSON: one object per frame, one frame unless -n\n"
		"Keys: P M N T sort (CPU, memory, node, time), R reverse, c, i, 1, d,\n"
		"h help, q quit.\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

struct filter {
	int *pids;
	unsigned int npids;
	bool by_user;
	unsigned int uid;
};

static int add_pids(struct filter *flt, const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *w;

	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		char *end;
		long v;
		int *p;

		errno = 0;
		v = strtol(w, &end, 10);
		if (errno || *end || v < 1 || v > INT32_MAX) {
			fprintf(stderr, "mtop: invalid process id: \"%s\"\n", w);
			free(copy);
			return -EINVAL;
		}
		p = realloc(flt->pids, (flt->npids + 1) * sizeof(*p));
		if (!p) {
			free(copy);
			return -ENOMEM;
		}
		flt->pids = p;
		flt->pids[flt->npids++] = v;
	}
	free(copy);
	return 0;
}

static bool keep(const struct filter *flt, const struct ps_task *t)
{
	if (flt->by_user && t->euid != flt->uid)
		return false;
	if (!flt->npids)
		return true;
	for (unsigned int i = 0; i < flt->npids; i++)
		if (flt->pids[i] == t->pid)
			return true;
	return false;
}

struct state {
	struct ps_reader *reader;
	struct ps_list list;
	struct mon_snap snap;
	struct mon_live lv;
	struct ps_ctx ctx;
	long long last_read;
	struct filter flt;
};

/* Read the processes and the kernel's view: one frame in f */
static int read_frame(struct state *st, struct mtop_frame *f, struct mtop_ui *ui,
		      bool live)
{
	long long now = mon_now_ms();
	double secs = st->last_read ? (now - st->last_read) / 1000.0 : 0;
	unsigned int n = 0;
	int err;

	err = ps_read(st->reader, &st->list);
	if (err) {
		fprintf(stderr, "mtop: cannot read the processes: %s\n", strerror(-err));
		return EXIT_KERNEL;
	}
	st->last_read = now;
	if (live) {
		ui->conn = mon_live_refresh(&st->lv, &st->snap, true);
	} else {
		err = mon_snap_read(&st->snap, true);
		if (err)
			return err;
		ui->conn = MON_CONN_OK;
	}
	ps_attach(&st->list, ui->conn == MON_CONN_OK ? &st->snap : NULL);
	ps_ctx_init(&st->ctx);
	for (unsigned int i = 0; i < st->list.n; i++) {
		struct ps_task *t = &st->list.t[i];

		if (!keep(&st->flt, t)) {
			free(t->args);
			free(t->forest);
			continue;
		}
		t->pcpu_now = secs > 0 ? t->tics_delta * 100.0 / st->ctx.hertz / secs : 0;
		st->list.t[n++] = *t;
	}
	st->list.n = n;
	memset(f, 0, sizeof(*f));
	f->snap = &st->snap;
	f->tasks = st->list.t;
	f->ntasks = st->list.n;
	f->now = st->ctx.now;
	f->mem_total_kb = st->ctx.mem_total_kb;
	f->hertz = st->ctx.hertz;
	if (procps_uptime(&f->uptime, &secs) < 0)
		f->uptime = 0;
	if (procps_loadavg(&f->loadavg[0], &f->loadavg[1], &f->loadavg[2]) < 0)
		f->loadavg[0] = f->loadavg[1] = f->loadavg[2] = 0;
	mtop_sort(f, ui);
	return 0;
}

static void nap(int ms)
{
	poll(NULL, 0, ms);
}

static int batch(struct state *st, struct mtop_ui *ui, int frames, int width)
{
	struct mtop_frame f;
	int ret;

	/* the module first: without it there is nothing to show */
	ret = mon_open(false);
	if (ret)
		return ret;
	/* a first read to measure %CPU against, as top's first frame */
	ret = read_frame(st, &f, ui, false);
	for (int i = 0; !ret && !stop && (frames <= 0 || i < frames); i++) {
		nap(i == 0 && ui->interval_ms > 500 ? 500 : ui->interval_ms);
		ret = read_frame(st, &f, ui, false);
		if (ret)
			break;
		mtop_print(&f, ui, width);
	}
	return ret;
}

static int live(struct state *st, struct mtop_ui *ui, int frames)
{
	struct mtop_frame f = { 0 };
	long long next = 0;
	int nframes = 0;
	char err[256];
	int ret = 0;

	if (!mon_screen_start("mtop"))
		return EXIT_USAGE;
	mon_live_init(&st->lv);
	while (!stop) {
		long long now = mon_now_ms();
		enum mon_wait wr;
		bool redraw = false, events;
		int ch;

		if (now >= next) {
			if (frames > 0 && nframes++ == frames)
				break;
			ret = read_frame(st, &f, ui, true);
			if (ret)
				break;
			/* the first frame soon, so %CPU means something */
			next = now + (nframes > 1 || ui->interval_ms < 500 ?
				      ui->interval_ms : 500);
			redraw = true;
		}
		mon_errcap_last(err, sizeof(err));
		if (err[0]) {
			snprintf(ui->status, sizeof(ui->status), "%s", err);
			redraw = true;
		}
		if (redraw) {
			mtop_draw(stdscr, &f, ui);
			wnoutrefresh(stdscr);
			doupdate();
		}
		wr = mon_screen_wait(next, &events);
		if (wr == MON_WAIT_ERROR)
			ret = EXIT_KERNEL;
		if (wr != MON_WAIT_OK)
			break;
		while ((ch = getch()) != ERR) {
			enum mon_key_result r = mtop_key(ui, ch, LINES, f.ntasks);

			if (r == MON_KEY_QUIT) {
				stop = 1;
				break;
			}
			if (r == MON_KEY_REFRESH)
				next = 0;
			if (ch == KEY_RESIZE)
				clearok(stdscr, TRUE);
			mtop_sort(&f, ui);
			mtop_draw(stdscr, &f, ui);
			wnoutrefresh(stdscr);
			doupdate();
		}
		if (events) {
			unsigned int bits = mon_live_events(&st->lv, ui->status,
							    sizeof(ui->status));

			/* a migration moves the NODE column: read again soon */
			if (bits && next > mon_now_ms() + 100)
				next = mon_now_ms() + 100;
		}
	}
	mon_screen_stop();
	mon_live_close(&st->lv);
	return ret;
}

static int parse_count(const char *s, const char *what, int min, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < min || n > 1000000) {
		fprintf(stderr, "mtop: invalid %s: \"%s\"\n", what, s);
		return EXIT_USAGE;
	}
	*v = n;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "sort-override", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "width", optional_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct mtop_ui ui = { .sort = MTOP_SORT_CPU, .idle = true, .nodes = true,
			      .interval_ms = 3000 };
	struct sigaction sa = { .sa_handler = on_stop };
	struct state st = { 0 };
	bool batch_mode = false;
	int c, frames = 0, width = 0, ret, err;
	struct passwd *pw;
	char *end;

	/* the library's messages (netlink errors) carry our name */
	om_progname = "mtop";
	while ((c = getopt_long(argc, argv, "bn:d:o:p:u:w::jcViIh1", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			batch_mode = true;
			break;
		case 'n':
			if (parse_count(optarg, "number of frames", 1, &frames))
				return EXIT_USAGE;
			break;
		case 'd':
			if (mon_parse_secs(optarg, &ui.interval_ms)) {
				fprintf(stderr, "mtop: invalid delay: \"%s\" (0.1 to 86400 seconds)\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			if (mtop_sort_name(optarg[0] == '+' || optarg[0] == '-' ?
					   optarg + 1 : optarg, &ui.sort)) {
				fprintf(stderr, "mtop: unknown sort field: \"%s\" (%%CPU %%MEM NODE TIME+ PID)\n",
					optarg);
				return EXIT_USAGE;
			}
			ui.reverse = optarg[0] == '+';
			break;
		case 'p':
			if (add_pids(&st.flt, optarg))
				return EXIT_USAGE;
			break;
		case 'u':
			st.flt.by_user = true;
			st.flt.uid = strtoul(optarg, &end, 10);
			if (*end || !*optarg) {
				pw = getpwnam(optarg);
				if (!pw) {
					fprintf(stderr, "mtop: unknown user: \"%s\"\n", optarg);
					return EXIT_USAGE;
				}
				st.flt.uid = pw->pw_uid;
			}
			break;
		case 'w':
			width = 512;
			if (optarg && parse_count(optarg, "width", 20, &width))
				return EXIT_USAGE;
			break;
		case 'j':
			json = true;
			break;
		case 'c':
			ui.cmdline = !ui.cmdline;
			break;
		case 'i':
		case 'I':
			ui.idle = false;
			break;
		case '1':
			ui.nodes = false;
			break;
		case 'V':
			printf("mtop (openMosix-NG) %s\n", OM_TOOLS_VERSION);
			return 0;
		case 'h':
			return usage(stdout);
		default:
			return usage(stderr);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mtop: unexpected argument \"%s\"\n", argv[optind]);
		return usage(stderr);
	}
	if (json && !frames)
		frames = 1;
	if (!json && !batch_mode &&
	    (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "mtop: not a terminal (mtop -b for batch mode)\n");
		return EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	err = ps_reader_new(&st.reader, false);
	if (err) {
		fprintf(stderr, "mtop: cannot read the processes: %s\n", strerror(-err));
		return EXIT_KERNEL;
	}
	if (json || batch_mode) {
		ret = batch(&st, &ui, frames, width);
	} else {
		setlocale(LC_ALL, "");
		ret = live(&st, &ui, frames);
	}
	ps_list_free(&st.list);
	ps_reader_free(st.reader);
	mon_snap_free(&st.snap);
	mon_close();
	free(st.flt.pids);
	return ret;
}
