// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The terminal of the full-screen monitors (mosmon, mtop): curses set up
 * and torn down, one padded line, and the wait of their main loops.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mon_view.h"

void mon_put_line(WINDOW *w, int y, const char *s, attr_t attr)
{
	int rows, cols, len;

	getmaxyx(w, rows, cols);
	if (y < 0 || y >= rows || cols <= 0)
		return;
	len = strlen(s);
	if (len > cols)
		len = cols;
	wattrset(w, attr);
	mvwaddnstr(w, y, 0, s, len);
	/* wclrtoeol() would not carry attr: pad by hand */
	for (int x = len; x < cols; x++)
		mvwaddch(w, y, x, ' ');
	wattrset(w, A_NORMAL);
}

bool mon_screen_start(const char *prog)
{
	if (!initscr()) {
		fprintf(stderr, "%s: cannot set up the terminal\n", prog);
		return false;
	}
	/* stdout is the screen: stderr (netlink messages) to the status line */
	mon_errcap_start();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	return true;
}

void mon_screen_stop(void)
{
	endwin();
	mon_errcap_stop();
}

enum mon_wait mon_screen_wait(long long deadline, bool *events)
{
	struct pollfd pfd[2] = { { .fd = STDIN_FILENO, .events = POLLIN } };
	long long left = deadline - mon_now_ms();
	int nfd = 1;

	*events = false;
	if (mon_ev_fd() >= 0)
		pfd[nfd++] = (struct pollfd){ .fd = mon_ev_fd(), .events = POLLIN };
	if (left < 0)
		left = 0;
	/* SIGWINCH interrupts poll; getch() then says KEY_RESIZE */
	if (poll(pfd, nfd, left > INT_MAX ? INT_MAX : (int)left) < 0 && errno != EINTR)
		return MON_WAIT_ERROR;
	if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		return MON_WAIT_GONE;
	*events = nfd > 1 && pfd[1].revents;
	return MON_WAIT_OK;
}
