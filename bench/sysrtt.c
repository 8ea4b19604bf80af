// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * sysrtt: the process mig-bench moves to time forwarded system calls (P3),
 * and the idle guest of P5.
 *
 *   sysrtt N FILE   opens FILE (at home; at least 4 KiB), times N getppid()
 *                   and N 4 KiB pread()s of FILE here, prints
 *                     home getppid_ns=G pread_ns=R
 *                     ready pid=P
 *                   then waits for SIGUSR1 (mig-bench migrates it first),
 *                   times the same loops again and prints
 *                     remote getppid_ns=G pread_ns=R
 *                     done
 *                   then waits for SIGUSR2 and exits 0.
 *   sysrtt N FILE pause
 *                   the same, but at the remote it stops between the two
 *                   loops (mig-bench times the stages of the getppid()s
 *                   alone, fwd_timing): it prints
 *                     remote getppid_ns=G
 *                     paused
 *                   waits for SIGUSR1 again, then prints
 *                     remote pread_ns=R
 *                     done
 *   sysrtt idle     prints "ready pid=P", waits for SIGUSR2, exits 0 (a
 *                   guest that makes no system call while it waits)
 *
 * The loops follow N/10 + 10 unmeasured getppid() calls and one pread()
 * (netbench ping warms up the same way).  Every number is the wall time
 * of the whole loop divided by N (CLOCK_MONOTONIC, which the vDSO serves
 * locally at either end).  The
 * waits are sigsuspend() with the signals blocked in between, so a signal
 * sent as soon as "ready" shows is not lost.  Output goes to stdout,
 * flushed after each line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static volatile sig_atomic_t go, quit;

static void on_sig(int sig)
{
	if (sig == SIGUSR1)
		go = 1;
	else
		quit = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The getppid() loop after its warm-up: ns per call */
static uint64_t loop_getppid(long n)
{
	uint64_t t0;
	long i;

	for (i = 0; i < n / 10 + 10; i++)	/* unmeasured warm-up */
		syscall(SYS_getppid);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);	/* not cached by any libc */
	return (now_ns() - t0) / (uint64_t)n;
}

/* The pread() loop after its warm-up: ns per call */
static uint64_t loop_pread(long n, int fd, long blocks)
{
	static char buf[4096];
	uint64_t t0;
	long i;

	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf)) {
		fprintf(stderr, "sysrtt: pread: %s\n", strerror(errno));
		exit(1);
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (pread(fd, buf, sizeof(buf), (off_t)(i % blocks) * 4096) != (ssize_t)sizeof(buf)) {
			fprintf(stderr, "sysrtt: pread: %s\n", strerror(errno));
			exit(1);
		}
	}
	return (now_ns() - t0) / (uint64_t)n;
}

/* The two loops; "WHERE getppid_ns=G pread_ns=R" */
static void measure(const char *where, long n, int fd, long blocks)
{
	uint64_t tg = loop_getppid(n), tr = loop_pread(n, fd, blocks);

	printf("%s getppid_ns=%llu pread_ns=%llu\n", where,
	       (unsigned long long)tg, (unsigned long long)tr);
	fflush(stdout);
}

/* sleeps until FLAG is set by a signal (the set "old" lets them in) */
static void wait_flag(volatile sig_atomic_t *flag, const sigset_t *old)
{
	while (!*flag)
		sigsuspend(old);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t blk, old;
	struct stat st;
	long n = 0, blocks = 0;
	int fd = -1, pause_between = 0;

	if (argc == 2 && !strcmp(argv[1], "idle")) {
		/* nothing to measure */
	} else if (argc == 3 || (argc == 4 && !strcmp(argv[3], "pause"))) {
		pause_between = argc == 4;
		n = atol(argv[1]);
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (n <= 0 || fd < 0 || fstat(fd, &st) || st.st_size < 4096) {
			fprintf(stderr, "sysrtt: need N > 0 and a FILE of at least 4 KiB\n");
			return 2;
		}
		blocks = (long)(st.st_size / 4096);
	} else {
		fprintf(stderr, "usage: sysrtt N FILE [pause] | sysrtt idle\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR1);
	sigaddset(&blk, SIGUSR2);
	sigprocmask(SIG_BLOCK, &blk, &old);
	if (n)
		measure("home", n, fd, blocks);
	printf("ready pid=%d\n", (int)getpid());
	fflush(stdout);
	if (n) {
		wait_flag(&go, &old);
		if (pause_between) {
			printf("remote getppid_ns=%llu\n", (unsigned long long)loop_getppid(n));
			go = 0;		/* SIGUSR1 is blocked until the wait */
			printf("paused\n");
			fflush(stdout);
			wait_flag(&go, &old);
			printf("remote pread_ns=%llu\n",
			       (unsigned long long)loop_pread(n, fd, blocks));
		} else {
			measure("remote", n, fd, blocks);
		}
		printf("done\n");
		fflush(stdout);
	}
	wait_flag(&quit, &old);
	return 0;
}
