// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mosmon: openMosix's cluster monitor, a full-screen view of every node
 * (load, CPUs, memory, speed, up or down, guests), refreshed from the
 * module's "events" group and a periodic dump; -j prints one snapshot.
 */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "mon_view.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = 1;
}

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: mosmon [ -l | -m | -s | -u ] [ -t ] [ -i SECONDS ]\n"
		"       mosmon -j [ -p ]\n"
		"       mosmon -V | -h\n"
		"  -l  load (default)   -m  memory   -s  speed and CPUs\n"
		"  -u  utilisation      -t  a line with the cluster's totals\n"
		"  -i  seconds between two reads of the kernel's tables (2)\n"
		"  -j  print one JSON snapshot of every node and exit (-p pretty)\n"
		"Keys: l m s u t, + - (scroll), h (help), q (quit).\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

static int snapshot(void)
{
	struct mon_snap s = { 0 };
	int ret;

	ret = mon_open(false);
	if (ret)
		return ret;
	ret = mon_snap_read(&s, true);
	mon_close();
	if (ret)
		return ret;
	mosmon_json(&s);
	mon_snap_free(&s);
	return 0;
}

static int live(struct mosmon_ui *ui)
{
	struct mon_snap s = { 0 };
	struct mon_live lv;
	long long next = 0, now;
	char err[256];
	int ret = 0;

	if (!mon_screen_start("mosmon"))
		return EXIT_USAGE;
	mon_live_init(&lv);
	while (!stop) {
		enum mon_wait wr;
		bool redraw = false, events;
		int ch;

		now = mon_now_ms();
		if (now >= next) {
			ui->conn = mon_live_refresh(&lv, &s, true);
			next = now + ui->interval_ms;
			redraw = true;
		}
		mon_errcap_last(err, sizeof(err));
		if (err[0] && ui->conn == MON_CONN_OK) {
			snprintf(ui->status, sizeof(ui->status), "%s", err);
			redraw = true;
		}
		if (redraw) {
			mosmon_draw(stdscr, &s, ui, time(NULL));
			wnoutrefresh(stdscr);
			doupdate();
		}
		wr = mon_screen_wait(next, &events);
		if (wr == MON_WAIT_ERROR)
			ret = EXIT_KERNEL;
		if (wr != MON_WAIT_OK)
			break;
		while ((ch = getch()) != ERR) {
			enum mon_key_result r = mosmon_key(ui, ch, &s, LINES);

			if (r == MON_KEY_QUIT)
				stop = 1;
			else if (r == MON_KEY_REFRESH)
				next = 0;
			if (r == MON_KEY_QUIT)
				break;
			if (ch == KEY_RESIZE)
				clearok(stdscr, TRUE);
			mosmon_draw(stdscr, &s, ui, time(NULL));
			wnoutrefresh(stdscr);
			doupdate();
		}
		if (events) {
			unsigned int bits = mon_live_events(&lv, ui->status,
							    sizeof(ui->status));

			/* a burst of events is one read of the tables */
			if (bits && next > mon_now_ms() + 100)
				next = mon_now_ms() + 100;
		}
	}
	mon_screen_stop();
	mon_live_close(&lv);
	mon_snap_free(&s);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "total", no_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct mosmon_ui ui = { .view = MOSMON_LOAD, .interval_ms = 2000 };
	struct sigaction sa = { .sa_handler = on_stop };
	int c;

	/* the library's messages (netlink errors) carry our name */
	om_progname = "mosmon";
	while ((c = getopt_long(argc, argv, "lmsutji:pVh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			ui.view = MOSMON_LOAD;
			break;
		case 'm':
			ui.view = MOSMON_MEM;
			break;
		case 's':
			ui.view = MOSMON_SPEED;
			break;
		case 'u':
			ui.view = MOSMON_UTIL;
			break;
		case 't':
			ui.total = true;
			break;
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = json = true;
			break;
		case 'i':
			if (mon_parse_secs(optarg, &ui.interval_ms)) {
				fprintf(stderr, "mosmon: invalid interval: \"%s\" (0.1 to 86400 seconds)\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'V':
			printf("mosmon (openMosix-NG) %s\n", OM_TOOLS_VERSION);
			return 0;
		case 'h':
			return usage(stdout);
		default:
			return usage(stderr);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mosmon: unexpected argument \"%s\"\n", argv[optind]);
		return usage(stderr);
	}
	if (json)
		return snapshot();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "mosmon: not a terminal (mosmon -j prints a snapshot)\n");
		return EXIT_USAGE;
	}
	setlocale(LC_ALL, "");
	/* before initscr(): curses then leaves them to us, q-like exit */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return live(&ui);
}
