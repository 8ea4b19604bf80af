// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The event reader: a child of the web process (so unprivileged too),
 * since omctl's netlink code has one socket per process and this one
 * stays joined to the "events" group.  It writes what "omctl -j monitor"
 * prints, one JSON object a line, to a pipe, plus
 * {"event":"module","loaded":BOOL} when the module comes or goes.  A
 * reloaded module is a new /sys/module/openmosix inode: then it joins
 * again, as the old group is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "omwebd.h"

static FILE *out;

static void module_line(bool loaded)
{
	fprintf(out, "{\"event\":\"module\",\"loaded\":%s}\n", loaded ? "true" : "false");
	fflush(out);
}

static void events_loop(void)
{
	struct omw_capture cap;
	char msg[OMW_MSG_LEN];
	bool open = false;
	int said = -1;		/* the state last written, -1 none */
	uint64_t ino = 0, now_ino;
	struct pollfd pfd;
	int ret;

	omw_capture_init(&cap);
	json = true;
	jw_set_output(out);
	for (;;) {
		bool present = omw_module_present(&now_ino);

		if (open && (!present || now_ino != ino)) {
			om_nl_close();
			open = false;
		}
		if (!open && present) {
			omw_capture_begin(&cap);
			ret = om_nl_open(true);
			omw_capture_end(&cap, msg, sizeof(msg));
			if (!ret) {
				open = true;
				ino = now_ino;
			} else {
				omw_log(LOG_DEBUG, "events: %s", msg);
			}
		}
		if (said != open) {
			module_line(open);
			said = open;
		}
		if (!open) {
			poll(NULL, 0, 1000);
			continue;
		}
		pfd = (struct pollfd){ .fd = om_nl_fd(), .events = POLLIN };
		ret = poll(&pfd, 1, 1000);
		if (ret < 0 && errno != EINTR)
			exit(1);
		if (ret > 0 && om_nl_recv_events(om_event_print, NULL)) {
			/* a broken socket: join again */
			om_nl_close();
			open = false;
		}
	}
}

/* Fork the reader; *rfd gets the read end of its pipe (nonblocking). */
pid_t omw_events_start(int *rfd)
{
	pid_t parent = getpid(), pid;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		/* nothing of the web process's: its sockets, its epoll */
		if (dup2(p[1], 3) < 0)
			_exit(1);
		close_range(4, ~0U, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		prctl(PR_SET_NAME, "omwebd-events");
		/* the web process blocks these for its signalfd */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		omw_log_init("omwebd-events");
		signal(SIGPIPE, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		out = fdopen(3, "w");
		if (!out)
			_exit(1);
		events_loop();
		_exit(0);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*rfd = p[0];
	return pid;
}
