// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * syscost: what a process that never migrates pays (mig-bench P5).
 *
 *   syscost getppid N        N getppid() system calls
 *   syscost forkexec N [P]   N times fork(), execv(P) in the child (default
 *                            /bin/true), waitpid() in the parent
 *
 * Prints "ns_per_op=X" (the wall time of the loop, CLOCK_MONOTONIC,
 * divided by N).  Exits 1 if a child fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *prog = argc > 3 ? argv[3] : "/bin/true";
	uint64_t t0, t;
	long n, i;

	if (argc < 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: syscost getppid N | syscost forkexec N [PROG]\n");
		return 2;
	}
	if (!strcmp(argv[1], "getppid")) {
		t0 = now_ns();
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
		t = now_ns() - t0;
	} else if (!strcmp(argv[1], "forkexec")) {
		char *const args[] = { (char *)prog, NULL };

		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int st;
			pid_t p = fork();

			if (p < 0) {
				perror("syscost: fork");
				return 1;
			}
			if (!p) {
				execv(prog, args);
				_exit(127);
			}
			if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st)) {
				fprintf(stderr, "syscost: %s failed\n", prog);
				return 1;
			}
		}
		t = now_ns() - t0;
	} else {
		fprintf(stderr, "syscost: unknown test %s\n", argv[1]);
		return 2;
	}
	printf("ns_per_op=%llu\n", (unsigned long long)(t / (uint64_t)n));
	return 0;
}
