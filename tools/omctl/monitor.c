// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl monitor: node and migration events from the "events" multicast
 * group, one line (or one JSON object) per event, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <netlink/genl/genl.h>

#include "omctl.h"

static int usage(FILE *f)
{
	fprintf(f, "Usage: omctl monitor\n"
		   "  prints node events (added, removed, up, down, blocked,\n"
		   "  unblocked) and migrations (start, arrived, failed, home,\n"
		   "  guest-in, guest-out) as they happen; -j prints one JSON\n"
		   "  object per line\n");
	return f == stdout ? 0 : EXIT_USAGE;
}

int do_monitor(int argc, char **argv)
{
	struct pollfd pfd[2];
	sigset_t mask;
	int ret, sfd;

	if (argc > 0 && is_help(argv[0]))
		return usage(stdout);
	if (argc > 0)
		return toomany(argv[0]);
	ret = om_nl_open(true);
	if (ret)
		return ret;
	/* Signals through a signalfd: poll() sees them, no handler races. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		fprintf(stderr, "omctl: signalfd: %s\n", strerror(errno));
		return EXIT_KERNEL;
	}
	pfd[0] = (struct pollfd){ .fd = om_nl_fd(), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "omctl: poll: %s\n", strerror(errno));
			ret = EXIT_KERNEL;
			break;
		}
		if (pfd[1].revents)
			break;
		if (pfd[0].revents) {
			ret = om_nl_recv_events(om_event_print, NULL);
			if (ret)
				break;
		}
	}
	close(sfd);
	om_nl_close();
	return ret;
}
