// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * memtouch MB STATUS [START]: the checkpoint benchmark's target.
 *
 * Mallocs MB MiB and writes every 64-bit word of it (a pattern derived
 * from the word's index and a per-run token), so every page is real,
 * non-zero memory.  Then it creates STATUS.ready (its pid) and loops:
 * every 100 ms it checks 16 random 4 KiB chunks, counts, and pwrite()s
 * one fixed 128-byte record at offset 0 of STATUS, which it keeps open
 * (so STATUS's size never changes: CRIU checks the size on restore):
 *
 *   pid=P token=T count=N verified=V state=ok
 *
 * A restored process keeps its token and continues its count; a fresh
 * start would show a new token.  SIGUSR1 makes it check the whole
 * buffer once (verified counts the full checks).  A wrong word makes
 * state=CORRUPT and exits with status 3.  START (default 0) is the
 * initial count and $MEMTOUCH_TOKEN (hex) the token: both only serve to
 * test the benchmark script with a fake restore.
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

#define REC_LEN		128
#define CHUNK_WORDS	(4096 / 8)

static volatile sig_atomic_t full_check;
static uint64_t *buf;
static size_t nwords;
static uint64_t token;
static int fd;
static unsigned long count, verified;

static inline uint64_t pattern(size_t i)
{
	return (i * 0x9e3779b97f4a7c15ULL) ^ token;
}

static void on_usr1(int sig)
{
	(void)sig;
	full_check = 1;
}

static void record(const char *state)
{
	char rec[REC_LEN];
	int n;

	memset(rec, ' ', sizeof(rec));
	n = snprintf(rec, sizeof(rec), "pid=%d token=%016llx count=%lu verified=%lu state=%s",
		     (int)getpid(), (unsigned long long)token, count, verified, state);
	if (n > 0 && n < REC_LEN)
		rec[n] = ' ';
	rec[REC_LEN - 1] = '\n';
	if (pwrite(fd, rec, sizeof(rec), 0) != (ssize_t)sizeof(rec))
		exit(2);
}

/* Checks words [from, to); returns the first bad index or to. */
static size_t check(size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (buf[i] != pattern(i))
			return i;
	return to;
}

static void corrupt(size_t i)
{
	char state[64];

	snprintf(state, sizeof(state), "CORRUPT word=%zu", i);
	record(state);
	exit(3);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char ready[4096], tmp[4096 + 8];
	unsigned long mb;
	uint64_t rnd;
	size_t i;
	FILE *f;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: memtouch MB STATUS [START]\n");
		return 1;
	}
	mb = strtoul(argv[1], NULL, 10);
	if (!mb || mb > (1UL << 20)) {
		fprintf(stderr, "memtouch: bad size %s\n", argv[1]);
		return 1;
	}
	count = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;

	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	token = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^
		((uint64_t)getpid() << 16) ^ 0x5bd1e995ULL;
	if (getenv("MEMTOUCH_TOKEN"))
		token = strtoull(getenv("MEMTOUCH_TOKEN"), NULL, 16);
	rnd = token | 1;
	ts.tv_sec = 0;
	ts.tv_nsec = 100 * 1000 * 1000;

	nwords = (mb << 20) / 8;
	buf = malloc(nwords * 8);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	for (i = 0; i < nwords; i++)
		buf[i] = pattern(i);
	signal(SIGUSR1, on_usr1);
	record("ok");

	snprintf(ready, sizeof(ready), "%s.ready", argv[2]);
	snprintf(tmp, sizeof(tmp), "%s.tmp", ready);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) || rename(tmp, ready)) {
		perror(ready);
		return 1;
	}

	for (;;) {
		int k;

		nanosleep(&ts, NULL);	/* EINTR (signal, restore) is fine */
		for (k = 0; k < 16; k++) {
			size_t c = xorshift(&rnd) % (nwords / CHUNK_WORDS);
			size_t bad = check(c * CHUNK_WORDS, (c + 1) * CHUNK_WORDS);

			if (bad != (c + 1) * CHUNK_WORDS)
				corrupt(bad);
		}
		if (full_check) {
			full_check = 0;
			i = check(0, nwords);
			if (i != nwords)
				corrupt(i);
			verified++;
		}
		count++;
		record("ok");
	}
}
