// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Checkpoint test program.  Every mode writes a deterministic result to
 * OUT that must not depend on whether a checkpoint happened meanwhile.
 *
 *   ckpt_prog compute OUT ROUNDS [MB]  integer + SSE double loop over an
 *                                  MB (8) heap, and a heap marker
 *   ckpt_prog sleep OUT ROUNDS     nanosleep(50 ms) ROUNDS times
 *   ckpt_prog fifo OUT PATH        blocking read() on a named FIFO
 *   ckpt_prog poll OUT PATH        poll() on a named FIFO, then read
 *   ckpt_prog sigwait OUT          blocked SIGUSR1 pending; handler for USR2
 *   ckpt_prog threads|shm|socket|stopme   refusal cases, sleep forever
 *
 * READY is written to OUT.ready once the interesting state is set up.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>

static const char *out;

static void ready(void)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s.ready", out);
	f = fopen(p, "w");
	if (!f)
		exit(3);
	fprintf(f, "%d\n", getpid());
	fclose(f);
}

static void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void result(const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	f = fopen(tmp, "w");
	if (!f)
		exit(3);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) || rename(tmp, out))
		exit(3);
}

static void *forever(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static volatile sig_atomic_t usr2;

static void on_usr2(int sig)
{
	usr2 = sig;
}

int main(int argc, char **argv)
{
	const char *mode;

	if (argc < 3) {
		fprintf(stderr, "usage: ckpt_prog MODE OUT [ARG]\n");
		return 1;
	}
	mode = argv[1];
	out = argv[2];

	if (!strcmp(mode, "compute")) {
		long rounds = argc > 3 ? atol(argv[3]) : 100;
		size_t heap_sz = (size_t)(argc > 4 ? atol(argv[4]) : 8) << 20;
		unsigned char *heap = malloc(heap_sz);
		uint64_t x = 88172645463325252ULL, sum = 0;
		double d = 1.0;
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		if (!heap || !heap_sz)
			return 2;
		for (size_t i = 0; i < heap_sz; i++)
			heap[i] = (unsigned char)(i * 131 + 7);
		char *mark = malloc(4096);	/* brk heap, never modified */

		if (!mark)
			return 2;
		snprintf(mark, 64, "OMCKPT-HEAP-MARKER-%ld", rounds);
		ready();
		for (long r = 0; r < rounds; r++) {
			for (int i = 0; i < 200000; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				d = d * 1.0000001 + (double)(x & 0xff) / 1e6;
				heap[x % heap_sz] ^= (unsigned char)x;
			}
			nanosleep(&ts, NULL);
		}
		for (size_t i = 0; i < heap_sz; i++)
			sum = sum * 31 + heap[i];
		result("x=%016llx d=%.17g heap=%016llx %s\n", (unsigned long long)x,
		       d, (unsigned long long)sum, mark);
		return 0;
	}
	if (!strcmp(mode, "sleep")) {
		long rounds = argc > 3 ? atol(argv[3]) : 40, n = 0;
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		ready();
		for (long r = 0; r < rounds; r++) {
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
			ts.tv_nsec = 50 * 1000 * 1000;
			n++;
		}
		result("slept %ld\n", n);
		return 0;
	}
	if (!strcmp(mode, "fifo") || !strcmp(mode, "poll")) {
		char buf[256];
		ssize_t n;
		int fd;

		if (argc < 4)
			return 1;
		fd = open(argv[3], O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			return 2;
		if (!strcmp(mode, "poll")) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			ready();
			while (poll(&p, 1, -1) < 0 && errno == EINTR)
				;
		} else {
			fcntl(fd, F_SETFL, 0);	/* blocking from now on */
			ready();
		}
		do
			n = read(fd, buf, sizeof(buf) - 1);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return 4;
		buf[n] = 0;
		result("read %s", buf);
		return 0;
	}
	if (!strcmp(mode, "sigwait")) {
		sigset_t set;
		int sig = 0;

		signal(SIGUSR2, on_usr2);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		raise(SIGUSR1);
		ready();
		while (!usr2)
			pause();
		sigwait(&set, &sig);
		result("usr2=%d pending=%d\n", (int)usr2, sig);
		return 0;
	}
	if (!strcmp(mode, "threads")) {
		pthread_t t;

		if (pthread_create(&t, NULL, forever, NULL))
			return 2;
	} else if (!strcmp(mode, "shm")) {
		int id = shmget(IPC_PRIVATE, 1 << 16, IPC_CREAT | 0600);

		if (id < 0 || shmat(id, NULL, 0) == (void *)-1)
			return 2;
		shmctl(id, IPC_RMID, NULL);
	} else if (!strcmp(mode, "socket")) {
		if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
			return 2;
	} else if (strcmp(mode, "idle")) {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 1;
	}
	ready();
	for (;;)
		pause();
}
