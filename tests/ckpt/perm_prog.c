// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * perm_prog: helpers of the ckpt-perm lab scenario (checkpoint permission).
 *
 *   perm_prog hold SECONDS [IGNORED...]
 *	sleep; installed setuid root as the target of an execve() race
 *   perm_prog race N SUID DIR
 *	N times: fork a child that execs SUID (with 1 MiB of arguments, to
 *	stretch execve) after a random delay, and run
 *	"omctl checkpoint CHILD DIR/N --leave-running" at once; prints
 *	"race: N tries, T taken, R refused" and keeps only the core images
 *	(core-PID.img) of what was taken, for the caller to check; omctl's
 *	messages go to DIR/errors.log
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define BIG_ARGS	256
#define BIG_ARG_LEN	4096

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int race(int n, const char *suid, const char *dir)
{
	static char big[BIG_ARG_LEN];
	char *args[BIG_ARGS + 4];
	int i, taken = 0, refused = 0;
	/*
	 * How long omctl takes to freeze the target varies from 50 ms to
	 * over 500 ms under TCG: the exec's delay is drawn from [0, 2 x the
	 * running mean], so it lands before, during and after the checkpoint.
	 */
	double mean = 0.1;

	memset(big, 'x', sizeof(big) - 1);
	args[0] = (char *)suid;
	args[1] = "hold";
	args[2] = "5";
	for (i = 0; i < BIG_ARGS; i++)
		args[3 + i] = big;
	args[3 + BIG_ARGS] = NULL;
	srand(getpid());
	for (i = 0; i < n; i++) {
		char spid[16], img[4096], pages[4200];
		double delay = 2 * mean * (rand() % 1000) / 1000.0;
		struct timespec t0, t1;
		pid_t t, c;
		int st;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		t = fork();
		if (t < 0)
			return perror("fork"), 1;
		if (t == 0) {
			nap(delay);
			execv(suid, args);
			_exit(127);
		}
		snprintf(spid, sizeof(spid), "%d", t);
		snprintf(img, sizeof(img), "%s/%d", dir, i);
		c = fork();
		if (c < 0)
			return perror("fork"), 1;
		if (c == 0) {
			char log[4200];
			int null = open("/dev/null", O_WRONLY), err;

			snprintf(log, sizeof(log), "%s/errors.log", dir);
			err = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
			if (null >= 0)
				dup2(null, 1);
			if (err >= 0)
				dup2(err, 2);
			execlp("omctl", "omctl", "checkpoint", spid, img, "--leave-running",
			       (char *)NULL);
			_exit(127);
		}
		if (waitpid(c, &st, 0) < 0)
			return perror("waitpid"), 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		mean = 0.8 * mean + 0.2 * ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			return fprintf(stderr, "race: omctl did not run\n"), 1;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			taken++;
		else
			refused++;
		/* the pages are not looked at: keep the guest's memory free */
		snprintf(pages, sizeof(pages), "%s/pages-1.img", img);
		unlink(pages);
		kill(t, SIGKILL);
		waitpid(t, &st, 0);
	}
	printf("race: %d tries, %d taken, %d refused (omctl took %.0f ms on average)\n",
	       n, taken, refused, mean * 1000);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "hold")) {
		nap(atof(argv[2]));
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "race"))
		return race(atoi(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: perm_prog hold S | race N SUID DIR\n");
	return 2;
}
