// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * mig_prog: what the migration scenarios run and move (tests/lab/
 * scenarios/mig-*.sh).  Each mode prints what it sees, line by line, so
 * that a run moved to other nodes can be compared with one that was not.
 *
 *   mig_prog ids N        N rounds: checksum of 8 MiB of its own memory,
 *                         then a line with the round, the sum and what
 *                         getpid/getppid/getuid/getpgrp/getsid say; 0.2 s
 *                         apart; reads CLOCK_MONOTONIC and CLOCK_BOOTTIME
 *                         each round (the vDSO: a process moved to a kernel
 *                         whose vDSO differs dies there) and exits 1 if one
 *                         went back (on stderr, from and to); exits 7
 *   mig_prog echo         copies stdin to stdout line by line ("got: "),
 *                         exits 3 at EOF
 *   mig_prog file PATH N  N rounds of appending a line to PATH (a file at
 *                         home), reading the whole file back and printing
 *                         its size and checksum; exits 5
 *   mig_prog fork N K     N rounds as ids does; in round K it forks a child
 *                         that prints its parent and exits 4, and waits
 *                         for it; exits 9
 *   mig_prog sig          counts SIGUSR1 (printing each), SIGTERM prints
 *                         and exits 43; otherwise sleeps; a read of stdin
 *                         interrupted by SIGUSR2 (no SA_RESTART) prints
 *                         "eintr"
 *   mig_prog sigcount MB  counts SIGUSR1 and SIGRTMIN+1 (which queues:
 *                         each one counts) in handlers, with MB MiB of
 *                         its own memory (a longer trip); prints
 *                         "count usr1 U rt R" whenever one grew (0.02 s
 *                         apart); SIGTERM prints "term usr1 U rt R" and
 *                         exits 44
 *   mig_prog soak N [STOP] N rounds, or until the file STOP exists (looked
 *                         at after each round): a byte of every page of
 *                         8 MiB of its own memory changed, then all of it
 *                         checksummed and a line printed; 0.1 s apart;
 *                         then "done R SUM" (R rounds made: "soak R"
 *                         prints the same); exits 6
 *   mig_prog mem MB N [STOP] fills MB MiB with a pattern of its own (every
 *                         page real memory), then N rounds 0.1 s apart (or
 *                         until the file STOP exists), each checking one
 *                         word of every page ("round I ok");
 *                         at the end every word ("done MB ok"); exits 6,
 *                         or prints CORRUPT and exits 3
 *   mig_prog cpu N        N rounds of pure computation (1 MiB of its own
 *                         memory rewritten and checksummed, no sleep), a
 *                         line "round I sum S" after each; exits 8: the
 *                         balancer's CPU-bound job
 *   mig_prog io PATH N    N rounds of 200 preads of 64 bytes from PATH (a
 *                         file at home; away, each is forwarded) and a
 *                         line "round I sum S"; exits 10: the balancer's
 *                         I/O-bound job
 *   mig_prog dfsa PATH N  DFSA's checks (scenario mfs-dfsa): waits for a
 *                         line on stdin (moved meanwhile), then writes N+2
 *                         blocks of 4 KiB into PATH with write, pwrite and
 *                         writev, reads them back with read, readv and
 *                         pread, checks lseek (SEEK_DATA, SEEK_HOLE too),
 *                         fsync, fdatasync and EBADF
 *                         of a read on a write-only fd, fstat 20 times
 *                         each as fstat(2) and glibc's fstat (newfstatat
 *                         AT_EMPTY_PATH), the same every time, into a
 *                         line "stat DEV INO MODE NLINK UID GID SIZE
 *                         BLKSIZE BLOCKS MTIME CTIME", reads it 20
 *                         times through an fd of openat2, and leaves the
 *                         position at P = 3 * 4096 + 100 ("phase1 ok");
 *                         then PATH.dup: 1000 bytes, dup, 500 through each
 *                         fd, which share one position ("dup ok"); waits
 *                         for a second line (brought home meanwhile), reads
 *                         100 bytes at P, writes 100 'Z' after them and
 *                         checks the position ("phase2 ok"); exits 11, or
 *                         prints FAIL and exits 1
 *   mig_prog dfsa-ref N   what PATH holds after "dfsa PATH N", on stdout
 *   mig_prog dfsa-paths BASE N [nowait]  DFSA's path calls (scenario
 *                         mfs-dfsa): waits for a line on stdin (moved
 *                         meanwhile), chdir(BASE), then N rounds of 12
 *                         raw calls (newfstatat 0 and NOFOLLOW, stat,
 *                         lstat, statx BASIC_STATS|BTIME 0 and NOFOLLOW,
 *                         access F_OK and R|W|X, faccessat R_OK,
 *                         faccessat2 W_OK AT_EACCESS, readlink 64,
 *                         readlinkat 2) on each of BASE/{f, d, d/, d/../f,
 *                         /f (a double slash), l, ll, nosuch, f/x, p/x,
 *                         la, up, up/..}, /mfs/2, /mfs/selected/tmp, /mfs
 *                         and the relative f; prints "rounds done", waits
 *                         for a second line (brought home meanwhile), then
 *                         the last round's results, one line per call:
 *                         "c I rc errno HEX" (the output buffer, filled
 *                         with 0xa5 before the call); exits 12.  nowait:
 *                         no stdin lines (a native run to compare with)
 *   mig_prog dfsa-mut BASE XNODE XMNT [nowait] [noutime]  DFSA's path
 *                         mutations (scenario mfs-dfsa): in BASE (a fresh
 *                         directory with a subdirectory acc it may not
 *                         write) makes f and g, prints "ready", waits for a line on
 *                         stdin (moved meanwhile), then sets its umask
 *                         and makes 47 raw calls (mkdir, mkdirat, rmdir,
 *                         unlink, unlinkat, rename, renameat, renameat2,
 *                         symlink, symlinkat, link, linkat, truncate,
 *                         chmod, fchmodat, chown, lchown, fchownat, utime,
 *                         utimes, futimesat, utimensat: successes and
 *                         EEXIST, ENOENT, ENOTEMPTY, EISDIR, EACCES,
 *                         EPERM, EINVAL, EXDEV), one a rename into XNODE
 *                         (a directory of another node: EXDEV) and one
 *                         into XMNT (under another mount: EXDEV; "-"
 *                         leaves either out); prints "calls done", waits
 *                         for a second line (brought home meanwhile), then
 *                         "m NAME rc errno" per call and "e PATH TYPE MODE
 *                         NLINK UID GID SIZE MTIME SUM" per entry below
 *                         BASE (MTIME only when set in the past by the
 *                         calls, else "-"; SUM: a file's bytes, a link's
 *                         target); exits 13.  noutime: without utime,
 *                         utimes and futimesat (which go home when not
 *                         served where it runs)
 *   mig_prog dfsa-rel DIR LDIR [nowait]  DFSA's relative names (scenario
 *                         mfs-dfsa, block rel-home): DIR is a fresh
 *                         directory under /mfs, LDIR the same directory by
 *                         its local path at home; makes f, l -> f, sub/g
 *                         and sub/mark -> old, prints "ready", waits for a
 *                         line (moved meanwhile), chdir(DIR), then raw
 *                         stat/lstat/newfstatat/statx/access/faccessat/
 *                         readlink(at) of relative names (./x, sub/../x,
 *                         "..", ../NAME/f, a ".." above the start below
 *                         the cwd, one climbing out of /mfs), getcwd
 *                         (4096, 5, the exact length and one less),
 *                         mkdir/symlink/link/rename/chmod/truncate/
 *                         unlink/utimensat/rmdir of relative names, a
 *                         newfstatat of a dirfd, chdir("sub") and more;
 *                         prints "phase1 done" and waits for a line
 *                         (meanwhile the scenario renames LDIR/sub to
 *                         LDIR/moved and makes a new LDIR/sub with mark ->
 *                         new; nowait: it does so itself), then relative
 *                         calls in its cwd (the moved one: mark is "old");
 *                         prints "calls done", waits for a line (brought
 *                         home), then "r NAME rc errno [MORE]" per call
 *                         (MORE: a stat's type and a file's size, a link's
 *                         target, getcwd's string with DIR for the
 *                         directory) and "e ..." per entry below DIR as
 *                         dfsa-mut; exits 14
 *   mig_prog dfsa-dir DIR [nowait]  DFSA for directories (scenario
 *                         mfs-dfsa, block dir-home): DIR is a directory
 *                         under /mfs whose names are at most 4 bytes (each
 *                         entry 24 bytes of getdents64, 21 to a 512-byte
 *                         buffer); prints "ready", waits for a line
 *                         (moved meanwhile), opens DIR (openat, raw), then
 *                         raw calls: fstat ("s DEV INO MODE NLINK UID GID
 *                         SIZE"), the whole listing by 512-byte getdents64
 *                         with a telldir (lseek SEEK_CUR 0) after each,
 *                         a seekdir to the middle and a getdents64 after
 *                         it, a rewind, 8 getdents64, a telldir, fcntl
 *                         F_GETFL (a fallback: the listing's place goes
 *                         home), the rest of the listing, a telldir,
 *                         close; then a second fd of DIR, 5 getdents64;
 *                         prints "calls done", waits for a line (brought
 *                         home), and lists the second fd's rest at home;
 *                         then every result: "g TAG rc errno" per call,
 *                         "e NAME INO TYPE OFF" per entry in the order
 *                         returned; exits 15.  nowait: no stdin lines (a
 *                         native run to compare with, byte for byte)
 *   mig_prog calls N      prints "ready", waits for a line on stdin (moved
 *                         meanwhile), then makes N getppid() calls back to
 *                         back (away, each is forwarded) and prints "calls
 *                         N ppid P" (P the last answer); exits 16:
 *                         fwd_poll_us's check
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <utime.h>

#define MEM	(8u << 20)

static uint32_t sum(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The clock @id read again: false (and a message) if it went back. */
static int clock_on(int round, clockid_t id, const char *name, struct timespec *last)
{
	struct timespec t;

	clock_gettime(id, &t);
	if (t.tv_sec < last->tv_sec || (t.tv_sec == last->tv_sec && t.tv_nsec < last->tv_nsec)) {
		fprintf(stderr, "round %d: %s went back from %lld.%09ld to %lld.%09ld\n", round, name,
			(long long)last->tv_sec, last->tv_nsec, (long long)t.tv_sec, t.tv_nsec);
		return 0;
	}
	*last = t;
	return 1;
}

static int ids(int n)
{
	uint8_t *m = malloc(MEM);
	struct timespec mono = { 0 }, boot = { 0 };
	uint32_t s = 0;
	int i;
	size_t k;

	if (!m)
		return 1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < MEM; k++)
			m[k] = (uint8_t)(k * 7 + i + (s & 0xff));
		s = sum(m, MEM);
		if (!clock_on(i, CLOCK_MONOTONIC, "CLOCK_MONOTONIC", &mono) ||
		    !clock_on(i, CLOCK_BOOTTIME, "CLOCK_BOOTTIME", &boot))
			return 1;
		printf("round %d sum %08x pid %d ppid %d uid %d pgrp %d sid %d\n", i, s,
		       (int)getpid(), (int)getppid(), (int)getuid(), (int)getpgrp(),
		       (int)getsid(0));
		fflush(stdout);
		nap(200);
	}
	printf("done %08x\n", s);
	return 7;
}

static int calls(long n)
{
	char line[64];
	pid_t p = 0;
	long i;

	printf("ready\n");
	fflush(stdout);
	if (n <= 0 || !fgets(line, sizeof(line), stdin))
		return 1;
	for (i = 0; i < n; i++)
		p = getppid();
	printf("calls %ld ppid %d\n", n, (int)p);
	fflush(stdout);
	return 16;
}

static int soak(long n, const char *stop)
{
	uint8_t *m = malloc(MEM);
	uint32_t s = 1;
	size_t k, pg;
	long i;

	if (!m)
		return 1;
	for (k = 0; k < MEM; k++)
		m[k] = (uint8_t)(k * 7 + (k >> 12));
	for (i = 0; i < n;) {
		for (pg = 0; pg < MEM / 4096; pg++)
			m[pg * 4096 + (i * 131 + pg * 17 + s) % 4096] += (uint8_t)(i + pg);
		s = sum(m, MEM);
		printf("round %ld sum %08x\n", i, s);
		fflush(stdout);
		i++;
		if (stop && !access(stop, F_OK))
			break;
		nap(100);
	}
	printf("done %ld %08x\n", i, s);
	return 6;
}

static int cpu(int n)
{
	size_t len = 1u << 20, k;
	uint8_t *m = malloc(len);
	uint32_t s = 1;
	int i;

	if (!m)
		return 1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < len; k++)
			m[k] = (uint8_t)(k * 13 + i + (s >> 3));
		s = sum(m, len);
		printf("round %d sum %08x\n", i, s);
		fflush(stdout);
	}
	printf("done %08x\n", s);
	return 8;
}

static int io(const char *path, int n)
{
	uint8_t b[64];
	uint32_t s = 1;
	int fd = open(path, O_RDONLY), i, k;
	off_t size;

	if (fd < 0)
		return 1;
	size = lseek(fd, 0, SEEK_END);
	if (size < (off_t)sizeof(b))
		return 1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < 200; k++) {
			off_t off = (off_t)((i * 200u + k) * 4099u) % (size - sizeof(b) + 1);

			if (pread(fd, b, sizeof(b), off) != (ssize_t)sizeof(b))
				return 1;
			s = s * 31 + sum(b, sizeof(b));
		}
		printf("round %d sum %08x\n", i, s);
		fflush(stdout);
	}
	printf("done %08x\n", s);
	close(fd);
	return 10;
}

static int forker(int n, int k)
{
	uint8_t *m = malloc(MEM);
	uint32_t s = 0;
	int i, st;
	size_t j;
	pid_t c;

	if (!m)
		return 1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < MEM; j++)
			m[j] = (uint8_t)(j * 3 + i + (s & 0xff));
		s = sum(m, MEM);
		printf("round %d sum %08x pid %d ppid %d\n", i, s, (int)getpid(), (int)getppid());
		fflush(stdout);
		if (i == k) {
			c = fork();
			if (c == 0) {
				printf("child of %d\n", (int)getppid());
				fflush(stdout);
				_exit(4);
			}
			if (c < 0 || waitpid(c, &st, 0) != c) {
				perror("fork");
				return 1;
			}
			printf("child %s %d\n", WIFEXITED(st) ? "exited" : "died",
			       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			fflush(stdout);
		}
		nap(200);
	}
	return 9;
}

static int echo(void)
{
	char line[512];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin))
		printf("got: %s", line);
	return 3;
}

/* stdin to stdout a byte at a time: every call returns 1 */
static int bytes(void)
{
	char c;
	ssize_t r;

	while ((r = read(0, &c, 1)) == 1)
		if (write(1, &c, 1) != 1)
			return 1;
	return r ? 1 : 4;
}

static int file(const char *path, int n)
{
	char buf[65536];
	int i;

	for (i = 0; i < n; i++) {
		int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
		ssize_t r, tot = 0;
		uint32_t s;

		if (fd < 0 || dprintf(fd, "line %d of %d from %d\n", i, n, (int)getpid()) < 0) {
			perror("append");
			return 1;
		}
		close(fd);
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror("open");
			return 1;
		}
		s = 0;
		while ((r = read(fd, buf, sizeof(buf))) > 0) {
			s ^= sum((uint8_t *)buf, r);
			tot += r;
		}
		close(fd);
		printf("round %d size %zd sum %08x\n", i, tot, s);
		fflush(stdout);
		nap(100);
	}
	return 5;
}

static volatile sig_atomic_t usr1, term, usr2;

static void on_sig(int s)
{
	if (s == SIGUSR1)
		usr1++;
	else if (s == SIGUSR2)
		usr2++;
	else
		term = 1;
}

static int sig(void)
{
	struct sigaction sa = { .sa_handler = on_sig };
	int seen = 0;
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	printf("ready %d\n", (int)getpid());
	for (;;) {
		if (term) {
			printf("term after %d usr1\n", (int)usr1);
			return 43;
		}
		while (seen < usr1)
			printf("usr1 %d\n", ++seen);
		if (usr2) {
			/* a blocking read of stdin, to be interrupted */
			usr2 = 0;
			printf("reading\n");
			if (read(0, &c, 1) < 0 && errno == EINTR)
				printf("eintr\n");
			else
				printf("read returned\n");
			continue;
		}
		nap(50);
	}
}

static volatile sig_atomic_t c_usr1, c_rt, c_term;

static void on_count(int s)
{
	if (s == SIGUSR1)
		c_usr1++;
	else if (s == SIGTERM)
		c_term = 1;
	else
		c_rt++;
}

static int sigcount(int mb)
{
	struct sigaction sa = { .sa_handler = on_count };
	size_t len = (size_t)(mb > 0 ? mb : 0) << 20, i;
	char *mem = NULL;
	int u = -1, r = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (len) {
		mem = malloc(len);
		if (!mem)
			return 2;
		for (i = 0; i < len; i += 4096)
			mem[i] = (char)(i >> 12);
	}
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("ready %d\n", (int)getpid());
	for (;;) {
		if (c_term) {
			printf("term usr1 %d rt %d\n", (int)c_usr1, (int)c_rt);
			free(mem);
			return 44;
		}
		if (u != c_usr1 || r != c_rt) {
			u = c_usr1;
			r = c_rt;
			printf("count usr1 %d rt %d\n", u, r);
		}
		nap(20);
	}
}

static uint64_t pattern(size_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29);
}

static int mem(size_t mb, int n, const char *stop)
{
	size_t words = (mb << 20) / 8, per_page = 4096 / 8, k;
	uint64_t *m = malloc(words * 8);
	int i;

	if (!m || !words)
		return 1;
	for (k = 0; k < words; k++)
		m[k] = pattern(k);
	printf("filled %zu MiB\n", mb);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		for (k = (size_t)i % per_page; k < words; k += per_page) {
			if (m[k] != pattern(k)) {
				printf("CORRUPT at word %zu in round %d\n", k, i);
				return 3;
			}
		}
		printf("round %d ok\n", i);
		fflush(stdout);
		if (stop && !access(stop, F_OK))
			break;
		nap(100);
	}
	for (k = 0; k < words; k++) {
		if (m[k] != pattern(k)) {
			printf("CORRUPT at word %zu at the end\n", k);
			return 3;
		}
	}
	printf("done %zu ok\n", mb);
	return 6;
}

/* ---- dfsa ---- */

#define DB	4096		/* a block */
#define DP	(3 * DB + 100)	/* where phase 1 leaves the position */

static uint8_t dpat(uint64_t o)
{
	return (uint8_t)((o * 2654435761u) >> 13);
}

static void dfill(uint8_t *b, uint64_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = dpat(off + i);
}

static int dbad(uint8_t *b, uint64_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != dpat(off + i))
			return 1;
	return 0;
}

#define DCHECK(c, what) do { \
	if (!(c)) { \
		printf("FAIL %s (errno %d)\n", what, errno); \
		fflush(stdout); \
		return 1; \
	} \
} while (0)

static int dwait(void)
{
	char c[64];

	/* one line from the scenario (a forwarded read of a home pipe) */
	return read(0, c, sizeof(c)) > 0 ? 0 : -1;
}

static int dfsa_dup(const char *path)
{
	char p2[4096], a[2000];
	int fd2, fd3, i;

	snprintf(p2, sizeof(p2), "%s.dup", path);
	fd2 = open(p2, O_RDWR | O_CREAT | O_TRUNC, 0644);
	DCHECK(fd2 >= 0, "open dup file");
	memset(a, 'A', 1000);
	DCHECK(write(fd2, a, 1000) == 1000, "write A");
	fd3 = dup(fd2);
	DCHECK(fd3 >= 0, "dup");
	DCHECK(lseek(fd3, 0, SEEK_CUR) == 1000, "dup'd fd at 1000");
	memset(a, 'B', 500);
	DCHECK(write(fd3, a, 500) == 500, "write B through the dup");
	memset(a, 'C', 500);
	DCHECK(write(fd2, a, 500) == 500, "write C through the first fd");
	DCHECK(lseek(fd2, 0, SEEK_CUR) == 2000 && lseek(fd3, 0, SEEK_CUR) == 2000,
	       "one position for both, at 2000");
	DCHECK(pread(fd2, a, 2000, 0) == 2000, "pread dup file");
	for (i = 0; i < 2000; i++)
		DCHECK(a[i] == (i < 1000 ? 'A' : i < 1500 ? 'B' : 'C'), "dup file contents");
	close(fd3);
	close(fd2);
	printf("dup ok\n");
	fflush(stdout);
	return 0;
}

static int dfsa(const char *path, int n)
{
	static uint8_t b[2 * DB], z[100];
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_NO_MAGICLINKS };
	struct stat st, st0;
	struct iovec iov[3];
	int fd, fdw, i;
	off_t end = (off_t)(n + 2) * DB;

	DCHECK(n >= 4, "N at least 4");
	DCHECK(!dwait(), "first line");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	DCHECK(fd >= 0, "open");
	/* block 1 first written wrong, then right with pwrite */
	for (i = 0; i < n; i++) {
		if (i == 1)
			memset(b, 0, DB);
		else
			dfill(b, (uint64_t)i * DB, DB);
		DCHECK(write(fd, b, DB) == DB, "write");
	}
	dfill(b, DB, DB);
	DCHECK(pwrite(fd, b, DB, DB) == DB, "pwrite");
	DCHECK(lseek(fd, 0, SEEK_CUR) == (off_t)n * DB, "pwrite leaves the position");
	dfill(b, (uint64_t)n * DB, 2 * DB);
	iov[0] = (struct iovec){ b, 1000 };
	iov[1] = (struct iovec){ b + 1000, DB - 1000 };
	iov[2] = (struct iovec){ b + DB, DB };
	DCHECK(writev(fd, iov, 3) == 2 * DB, "writev");
	DCHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek 0");
	for (i = 0; i < n + 2; i++) {
		DCHECK(read(fd, b, DB) == DB, "read");
		DCHECK(!dbad(b, (uint64_t)i * DB, DB), "read contents");
	}
	DCHECK(read(fd, b, DB) == 0, "read at the end");
	DCHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek 0 again");
	iov[0] = (struct iovec){ b, 3000 };
	iov[1] = (struct iovec){ b + 3000, 2 * DB - 3000 };
	DCHECK(readv(fd, iov, 2) == 2 * DB && !dbad(b, 0, 2 * DB), "readv");
	DCHECK(pread(fd, b, DB, end - DB) == DB && !dbad(b, end - DB, DB), "pread");
	DCHECK(lseek(fd, 0, SEEK_CUR) == 2 * DB, "pread leaves the position");
	DCHECK(lseek(fd, 0, SEEK_END) == end, "lseek to the end");
	DCHECK(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, "lseek before 0 is EINVAL");
	/* no holes: data where asked, the hole at the end, nothing past it */
	DCHECK(lseek(fd, 100, SEEK_DATA) == 100, "SEEK_DATA");
	DCHECK(lseek(fd, 100, SEEK_HOLE) == end, "SEEK_HOLE");
	DCHECK(lseek(fd, end, SEEK_DATA) == -1 && errno == ENXIO, "SEEK_DATA at the end is ENXIO");
	DCHECK(!fsync(fd) && !fdatasync(fd), "fsync, fdatasync");
	fdw = open(path, O_WRONLY);
	DCHECK(fdw >= 0, "open write-only");
	DCHECK(read(fdw, b, 10) == -1 && errno == EBADF, "read of a write-only fd is EBADF");
	close(fdw);
	/* the same stat from either call, every time (DFSA serves them) */
	DCHECK(!syscall(SYS_fstat, fd, &st0), "fstat");
	for (i = 0; i < 20; i++) {
		DCHECK(!syscall(SYS_fstat, fd, &st) && !memcmp(&st, &st0, sizeof(st)),
		       "fstat again");
		DCHECK(!fstat(fd, &st) && !memcmp(&st, &st0, sizeof(st)),
		       "glibc's fstat");
	}
	printf("stat %llu %llu %o %llu %u %u %lld %ld %lld %lld.%09ld %lld.%09ld\n",
	       (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	       (unsigned int)st.st_mode, (unsigned long long)st.st_nlink,
	       (unsigned int)st.st_uid, (unsigned int)st.st_gid, (long long)st.st_size,
	       (long)st.st_blksize, (long long)st.st_blocks,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	       (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	/* a second description of the file, opened with openat2 */
	fdw = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	DCHECK(fdw >= 0, "openat2");
	for (i = 0; i < 20; i++)
		DCHECK(pread(fdw, b, 100, (off_t)(i % (n + 2)) * DB + 7) == 100 &&
		       !dbad(b, (uint64_t)(i % (n + 2)) * DB + 7, 100), "pread of the openat2 fd");
	close(fdw);
	DCHECK(lseek(fd, DP, SEEK_SET) == DP, "lseek to P");
	printf("phase1 ok\n");
	fflush(stdout);
	if (dfsa_dup(path))
		return 1;
	DCHECK(!dwait(), "second line");
	/* brought home meanwhile: the position came with it */
	DCHECK(lseek(fd, 0, SEEK_CUR) == DP, "at home, the position is P");
	DCHECK(read(fd, b, 100) == 100 && !dbad(b, DP, 100), "read at P at home");
	memset(z, 'Z', sizeof(z));
	DCHECK(write(fd, z, 100) == 100, "write at P + 100 at home");
	DCHECK(lseek(fd, 0, SEEK_CUR) == DP + 200, "position P + 200");
	DCHECK(pread(fd, b, 100, DP + 100) == 100 && !memcmp(b, z, 100), "the Zs");
	close(fd);
	printf("phase2 ok\n");
	fflush(stdout);
	return 11;
}

static int dfsa_ref(int n)
{
	static uint8_t b[DB];
	uint64_t o;

	for (o = 0; o < (uint64_t)(n + 2) * DB; o += DB) {
		dfill(b, o, DB);
		if (o <= DP + 100 && DP + 200 <= o + DB)
			memset(b + (DP + 100 - o), 'Z', 100);
		if (fwrite(b, DB, 1, stdout) != 1)
			return 1;
	}
	return 0;
}

/* ---- dfsa-paths ---- */

#ifndef SYS_faccessat2
#define SYS_faccessat2	439
#endif
#define DPC	12		/* calls per path */
#define DPBUF	256		/* the largest output: struct statx */

struct dpres {
	long rc;
	int err;
	unsigned char out[DPBUF];
	size_t outlen;
};

static void dp_call(int c, const char *p, struct dpres *r)
{
	void *b = r->out;

	memset(r->out, 0xa5, sizeof(r->out));
	errno = 0;
	switch (c) {
	case 0:
		r->rc = syscall(SYS_newfstatat, AT_FDCWD, p, b, 0);
		r->outlen = sizeof(struct stat);
		break;
	case 1:
		r->rc = syscall(SYS_newfstatat, AT_FDCWD, p, b, AT_SYMLINK_NOFOLLOW);
		r->outlen = sizeof(struct stat);
		break;
	case 2:
		r->rc = syscall(SYS_stat, p, b);
		r->outlen = sizeof(struct stat);
		break;
	case 3:
		r->rc = syscall(SYS_lstat, p, b);
		r->outlen = sizeof(struct stat);
		break;
	case 4:
		r->rc = syscall(SYS_statx, AT_FDCWD, p, 0, STATX_BASIC_STATS | STATX_BTIME, b);
		r->outlen = sizeof(struct statx);
		break;
	case 5:
		r->rc = syscall(SYS_statx, AT_FDCWD, p, AT_SYMLINK_NOFOLLOW,
				STATX_BASIC_STATS | STATX_BTIME, b);
		r->outlen = sizeof(struct statx);
		break;
	case 6:
		r->rc = syscall(SYS_access, p, F_OK);
		r->outlen = 0;
		break;
	case 7:
		r->rc = syscall(SYS_access, p, R_OK | W_OK | X_OK);
		r->outlen = 0;
		break;
	case 8:
		r->rc = syscall(SYS_faccessat, AT_FDCWD, p, R_OK);
		r->outlen = 0;
		break;
	case 9:
		r->rc = syscall(SYS_faccessat2, AT_FDCWD, p, W_OK, AT_EACCESS);
		r->outlen = 0;
		break;
	case 10:
		r->rc = syscall(SYS_readlink, p, b, 64);
		r->outlen = 64;
		break;
	default:
		r->rc = syscall(SYS_readlinkat, AT_FDCWD, p, b, 2);
		r->outlen = 2;
		break;
	}
	r->err = r->rc < 0 ? errno : 0;
}

static int dfsa_paths(const char *base, int n, int nowait)
{
	static const char *const rel[] = {
		"f", "d", "d/", "d/../f", "/f", "l", "ll", "nosuch", "f/x", "p/x",
		"la", "up", "up/..",
	};
	static const char *const abs[] = { "/mfs/2", "/mfs/selected/tmp", "/mfs", "f" };
	enum { NP = sizeof(rel) / sizeof(rel[0]) + sizeof(abs) / sizeof(abs[0]) };
	static char paths[NP][4096];
	static struct dpres res[NP][DPC];
	static char dump[NP * DPC * (2 * DPBUF + 64)];
	size_t o = 0, k;
	int i, j, c;

	for (i = 0; i < (int)(sizeof(rel) / sizeof(rel[0])); i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", base, rel[i]);
	for (j = 0; j < (int)(sizeof(abs) / sizeof(abs[0])); j++, i++)
		snprintf(paths[i], sizeof(paths[i]), "%s", abs[j]);
	DCHECK(nowait || !dwait(), "first line");
	DCHECK(!chdir(base), "chdir BASE");
	for (c = 0; c < n; c++)
		for (i = 0; i < NP; i++)
			for (j = 0; j < DPC; j++)
				dp_call(j, paths[i], &res[i][j]);
	printf("rounds done\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "second line");
	for (i = 0; i < NP; i++)
		for (j = 0; j < DPC; j++) {
			const struct dpres *r = &res[i][j];

			o += snprintf(dump + o, sizeof(dump) - o, "c %d.%d %ld %d ", i, j,
				      r->rc, r->err);
			for (k = 0; k < r->outlen; k++)
				o += snprintf(dump + o, sizeof(dump) - o, "%02x", r->out[k]);
			o += snprintf(dump + o, sizeof(dump) - o, "\n");
		}
	DCHECK(fwrite(dump, 1, o, stdout) == o, "the dump");
	fflush(stdout);
	return 12;
}

/* ---- dfsa-mut ---- */

#define DM_MAX	64		/* calls */

struct dmres {
	const char *name;
	long rc;
	int err;
};

static struct dmres dm_res[DM_MAX];
static int dm_n;

static void dm_note(const char *name, long rc)
{
	dm_res[dm_n].name = name;
	dm_res[dm_n].rc = rc;
	dm_res[dm_n].err = rc < 0 ? errno : 0;
	dm_n++;
	errno = 0;
}

/* BASE/rel into one of two buffers (a call takes at most two names) */
static const char *dm_p(const char *base, const char *rel, int which)
{
	static char b[2][4096];

	snprintf(b[which], sizeof(b[which]), "%s/%s", base, rel);
	return b[which];
}

/* One line per entry below dir (rel its name below BASE), sorted, depth first */
static int dm_list(const char *dir, const char *rel)
{
	struct dirent **ents;
	char p[4096], r[4096], t[4096];
	uint8_t buf[4096];
	struct stat st;
	uint32_t sm;
	ssize_t n;
	int i, k, fd;

	k = scandir(dir, &ents, NULL, alphasort);
	DCHECK(k >= 0, "scandir");
	for (i = 0; i < k; i++) {
		const char *nm = ents[i]->d_name;

		if (!strcmp(nm, ".") || !strcmp(nm, "..")) {
			free(ents[i]);
			continue;
		}
		snprintf(p, sizeof(p), "%s/%s", dir, nm);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", nm);
		free(ents[i]);
		DCHECK(!lstat(p, &st), "lstat");
		sm = 0;
		if (S_ISREG(st.st_mode)) {
			fd = open(p, O_RDONLY);
			DCHECK(fd >= 0, "open to sum");
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				sm = sm * 31 + sum(buf, n);
			close(fd);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(p, t, sizeof(t));
			DCHECK(n >= 0, "readlink");
			sm = sum((const uint8_t *)t, n);
		}
		printf("e %s %o %o %lu %u %u %lld ", r, (unsigned int)(st.st_mode & S_IFMT),
		       (unsigned int)(st.st_mode & 07777), (unsigned long)st.st_nlink,
		       st.st_uid, st.st_gid, S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
		/* a time set by the calls is in the past; the others are now */
		if (st.st_mtim.tv_sec < 1500000000)
			printf("%lld.%09ld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		else
			printf("-");
		printf(" %08x\n", sm);
		if (S_ISDIR(st.st_mode) && dm_list(p, r))
			return 1;
	}
	free(ents);
	return 0;
}

static int dfsa_mut(const char *b, const char *xnode, const char *xmnt, int nowait,
		    int noutime)
{
	struct timeval tv[2] = { { 1100000000, 5 }, { 1200000000, 7 } };
	struct timeval tvd[2] = { { 1300000000, 0 }, { 1300000001, 1 } };
	struct timespec tss[2] = { { 0, UTIME_OMIT }, { 1400000000, 123456789 } };
	struct timespec tsn[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct utimbuf ut = { 1000000000, 1000000001 };
	char x[4096];
	int fd, i;

	fd = open(dm_p(b, "f", 0), O_WRONLY | O_CREAT | O_EXCL, 0644);
	DCHECK(fd >= 0 && write(fd, "hello world\n", 12) == 12 && !close(fd), "make f");
	fd = open(dm_p(b, "g", 0), O_WRONLY | O_CREAT | O_EXCL, 0644);
	DCHECK(fd >= 0 && write(fd, "0123456789", 10) == 10 && !close(fd), "make g");
	/* the scenario moves it once this is out: no call of the above away */
	printf("ready\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "first line");
	/* forwarded; the mkdirs below must use it */
	dm_note("umask", syscall(SYS_umask, 027));
	dm_note("mkdir", syscall(SYS_mkdir, dm_p(b, "d", 0), 0777));
	dm_note("mkdir-exist", syscall(SYS_mkdir, dm_p(b, "d", 0), 0777));
	dm_note("mkdir-noparent", syscall(SYS_mkdir, dm_p(b, "nosuch/x", 0), 0777));
	dm_note("mkdirat-slash", syscall(SYS_mkdirat, AT_FDCWD, dm_p(b, "d/e/", 0), 0700));
	dm_note("mkdir-acc", syscall(SYS_mkdir, dm_p(b, "acc/x", 0), 0777));
	dm_note("mkdir-dotdot", syscall(SYS_mkdir, dm_p(b, "acc/../dd", 0), 0777));
	dm_note("rmdir-notempty", syscall(SYS_rmdir, dm_p(b, "d", 0)));
	dm_note("rmdir", syscall(SYS_rmdir, dm_p(b, "d/e", 0)));
	dm_note("rmdir-nosuch", syscall(SYS_rmdir, dm_p(b, "nosuch", 0)));
	dm_note("mkdir-e2", syscall(SYS_mkdir, dm_p(b, "d/e2", 0), 0777));
	dm_note("unlinkat-rmdir", syscall(SYS_unlinkat, AT_FDCWD, dm_p(b, "d/e2", 0), AT_REMOVEDIR));
	dm_note("unlink-dir", syscall(SYS_unlink, dm_p(b, "d", 0)));
	dm_note("symlink", syscall(SYS_symlink, "f", dm_p(b, "s", 0)));
	dm_note("symlink-text", syscall(SYS_symlink, "any \001 text/../..", dm_p(b, "s2", 0)));
	dm_note("symlinkat-exist", syscall(SYS_symlinkat, "f", AT_FDCWD, dm_p(b, "s", 0)));
	dm_note("link", syscall(SYS_link, dm_p(b, "f", 0), dm_p(b, "h", 1)));
	dm_note("linkat-exist", syscall(SYS_linkat, AT_FDCWD, dm_p(b, "f", 0), AT_FDCWD,
					dm_p(b, "h", 1), 0));
	dm_note("link-dir", syscall(SYS_link, dm_p(b, "d", 0), dm_p(b, "dl", 1)));
	dm_note("link-nosuch", syscall(SYS_link, dm_p(b, "nosuch", 0), dm_p(b, "x", 1)));
	dm_note("rename", syscall(SYS_rename, dm_p(b, "g", 0), dm_p(b, "g2", 1)));
	dm_note("renameat-replace", syscall(SYS_renameat, AT_FDCWD, dm_p(b, "g2", 0), AT_FDCWD,
					    dm_p(b, "h", 1)));
	dm_note("renameat2-noreplace-exist", syscall(SYS_renameat2, AT_FDCWD, dm_p(b, "f", 0),
						     AT_FDCWD, dm_p(b, "h", 1),
						     RENAME_NOREPLACE));
	dm_note("renameat2-noreplace", syscall(SYS_renameat2, AT_FDCWD, dm_p(b, "f", 0), AT_FDCWD,
					       dm_p(b, "f3", 1), RENAME_NOREPLACE));
	dm_note("rename-into-self", syscall(SYS_rename, dm_p(b, "d", 0), dm_p(b, "d/sub", 1)));
	dm_note("rename-nosuch", syscall(SYS_rename, dm_p(b, "nosuch", 0), dm_p(b, "x", 1)));
	/* dd: nothing else uses it, should either ever succeed */
	if (strcmp(xnode, "-")) {
		snprintf(x, sizeof(x), "%s/dd", xnode);
		dm_note("rename-xnode", syscall(SYS_rename, dm_p(b, "dd", 0), x));
	}
	if (strcmp(xmnt, "-")) {
		snprintf(x, sizeof(x), "%s/dd", xmnt);
		dm_note("rename-xmnt", syscall(SYS_rename, dm_p(b, "dd", 0), x));
	}
	dm_note("truncate", syscall(SYS_truncate, dm_p(b, "f3", 0), 3));
	dm_note("truncate-dir", syscall(SYS_truncate, dm_p(b, "d", 0), 0));
	dm_note("truncate-nosuch", syscall(SYS_truncate, dm_p(b, "nosuch", 0), 0));
	dm_note("chmod", syscall(SYS_chmod, dm_p(b, "f3", 0), 0640));
	dm_note("fchmodat", syscall(SYS_fchmodat, AT_FDCWD, dm_p(b, "d", 0), 0711));
	dm_note("chmod-nosuch", syscall(SYS_chmod, dm_p(b, "nosuch", 0), 0600));
	dm_note("chmod-acc", syscall(SYS_chmod, dm_p(b, "acc", 0), 0777));
	dm_note("chown-none", syscall(SYS_chown, dm_p(b, "f3", 0), -1, -1));
	dm_note("chown-root", syscall(SYS_chown, dm_p(b, "f3", 0), 0, 0));
	dm_note("lchown", syscall(SYS_lchown, dm_p(b, "s", 0), -1, -1));
	dm_note("fchownat-nofollow", syscall(SYS_fchownat, AT_FDCWD, dm_p(b, "s", 0), -1, -1,
					     AT_SYMLINK_NOFOLLOW));
	if (!noutime) {
		dm_note("utime", syscall(SYS_utime, dm_p(b, "f3", 0), &ut));
		dm_note("utimes", syscall(SYS_utimes, dm_p(b, "h", 0), tv));
		dm_note("futimesat", syscall(SYS_futimesat, AT_FDCWD, dm_p(b, "d", 0), tvd));
	}
	dm_note("utimensat-nofollow", syscall(SYS_utimensat, AT_FDCWD, dm_p(b, "s", 0), tss,
					      AT_SYMLINK_NOFOLLOW));
	dm_note("utimensat-touch-acc", syscall(SYS_utimensat, AT_FDCWD, dm_p(b, "acc", 0), NULL,
					       0));
	dm_note("utimensat-now-omit", syscall(SYS_utimensat, AT_FDCWD, dm_p(b, "f3", 0), tsn, 0));
	dm_note("unlink", syscall(SYS_unlink, dm_p(b, "s2", 0)));
	dm_note("unlink-nosuch", syscall(SYS_unlink, dm_p(b, "nosuch", 0)));
	dm_note("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, dm_p(b, "h", 0), 0));
	printf("calls done\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "second line");
	for (i = 0; i < dm_n; i++)
		printf("m %s %ld %d\n", dm_res[i].name, dm_res[i].rc, dm_res[i].err);
	if (dm_list(b, ""))
		return 1;
	fflush(stdout);
	return 13;
}

/* ---- dfsa-rel ---- */

static char dr_out[1 << 16];
static size_t dr_o;
static char dr_cdir[4096];	/* DIR as getcwd gives it (links resolved) */

static void dr_note(const char *name, long rc, const char *more)
{
	int err = rc < 0 ? errno : 0;

	dr_o += snprintf(dr_out + dr_o, sizeof(dr_out) - dr_o, "r %s %ld %d%s%s\n", name, rc,
			 err, more ? " " : "", more ? more : "");
	errno = 0;
}

/* a stat's type, and a regular file's size (directories' sizes are the filesystem's) */
static void dr_stat(const char *name, long rc, unsigned int mode, long long size)
{
	char m[64];

	if (rc < 0) {
		dr_note(name, rc, NULL);
		return;
	}
	if (S_ISREG(mode))
		snprintf(m, sizeof(m), "%o %lld", mode & S_IFMT, size);
	else
		snprintf(m, sizeof(m), "%o", mode & S_IFMT);
	dr_note(name, rc, m);
}

static void dr_st(const char *name, const char *p, int nr, int flags)
{
	struct stat st;
	long rc;

	memset(&st, 0, sizeof(st));
	if (nr == SYS_newfstatat)
		rc = syscall(nr, AT_FDCWD, p, &st, flags);
	else
		rc = syscall(nr, p, &st);
	dr_stat(name, rc, st.st_mode, (long long)st.st_size);
}

static void dr_rl(const char *name, long rc, const char *b)
{
	char m[80];

	snprintf(m, sizeof(m), "%.*s", rc > 0 ? (int)rc : 0, b);
	dr_note(name, rc, rc > 0 ? m : NULL);
}

static void dr_getcwd(const char *name, unsigned long size)
{
	char b[4096], m[4200];
	size_t n = strlen(dr_cdir);
	long rc;

	memset(b, 0, sizeof(b));
	rc = syscall(SYS_getcwd, b, size);
	if (rc > 0 && !strncmp(b, dr_cdir, n) && (b[n] == '/' || !b[n]))
		snprintf(m, sizeof(m), "DIR%s", b + n);
	else
		snprintf(m, sizeof(m), "%s", rc > 0 ? b : "-");
	dr_note(name, rc, rc > 0 ? m : NULL);
}

static int dfsa_rel(const char *dir, const char *ldir, int nowait)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1100000000, 5 } };
	const char *base = strrchr(dir, '/');
	char p[4096], p2[4096], b[128];
	struct statx sx;
	long rc;
	int fd;

	DCHECK(base && base[1], "DIR has a name");
	base++;
	/* the tree, and DIR as getcwd names it, natively at home */
	DCHECK(!chdir(dir) && getcwd(dr_cdir, sizeof(dr_cdir)) && !chdir("/"), "DIR's name");
	snprintf(p, sizeof(p), "%s/f", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	DCHECK(fd >= 0 && write(fd, "hello world\n", 12) == 12 && !close(fd), "make f");
	snprintf(p, sizeof(p), "%s/l", dir);
	DCHECK(!symlink("f", p), "make l");
	snprintf(p, sizeof(p), "%s/sub", dir);
	DCHECK(!mkdir(p, 0777), "make sub");
	snprintf(p, sizeof(p), "%s/sub/g", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	DCHECK(fd >= 0 && write(fd, "0123456789", 10) == 10 && !close(fd), "make sub/g");
	snprintf(p, sizeof(p), "%s/sub/mark", dir);
	DCHECK(!symlink("old", p), "make sub/mark");
	printf("ready\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "first line");

	/* phase 1 calls, relative, in DIR */
	dr_note("chdir", syscall(SYS_chdir, dir), NULL);
	dr_st("stat-f", "f", SYS_stat, 0);
	dr_st("lstat-l", "l", SYS_lstat, 0);
	dr_st("fstatat-dot-f", "./f", SYS_newfstatat, 0);
	memset(&sx, 0, sizeof(sx));
	rc = syscall(SYS_statx, AT_FDCWD, "sub/../f", 0, STATX_BASIC_STATS, &sx);
	dr_stat("statx-sub-dotdot-f", rc, sx.stx_mode, (long long)sx.stx_size);
	dr_note("access-f", syscall(SYS_access, "f", R_OK), NULL);
	dr_note("faccessat-sub-g", syscall(SYS_faccessat, AT_FDCWD, "sub/g", R_OK), NULL);
	memset(b, 0, sizeof(b));
	rc = syscall(SYS_readlink, "l", b, 64);
	dr_rl("readlink-l", rc, b);
	rc = syscall(SYS_readlinkat, AT_FDCWD, "./l", b, 64);
	dr_rl("readlinkat-dot-l", rc, b);
	dr_st("stat-nosuch", "nosuch", SYS_stat, 0);
	dr_st("stat-dot", ".", SYS_stat, 0);
	dr_st("stat-dotdot", "..", SYS_stat, 0);
	snprintf(p, sizeof(p), "../%s/f", base);
	dr_st("stat-up-back-f", p, SYS_stat, 0);
	/* a ".." above the start after a name: home's (EXDEV here) */
	snprintf(p, sizeof(p), "sub/../../%s/f", base);
	dr_st("stat-sub-up-up-f", p, SYS_stat, 0);
	/* out of /mfs: home's */
	dr_st("stat-out", "../../../../../../../../../../../../etc/hostname", SYS_stat, 0);
	dr_getcwd("getcwd", 4096);
	dr_getcwd("getcwd-5", 5);
	dr_getcwd("getcwd-exact", strlen(dr_cdir) + 1);
	dr_getcwd("getcwd-short", strlen(dr_cdir));

	/* phase 3a calls, relative */
	dr_note("mkdir-d", syscall(SYS_mkdir, "d", 0755), NULL);
	dr_note("mkdir-dot-d", syscall(SYS_mkdir, "./d", 0755), NULL);
	dr_note("symlink-s", syscall(SYS_symlink, "f", "s"), NULL);
	dr_note("link-f-h", syscall(SYS_link, "f", "h"), NULL);
	dr_note("rename-h-sub-h2", syscall(SYS_rename, "h", "sub/h2"), NULL);
	dr_note("chmod-sub-h2", syscall(SYS_chmod, "sub/h2", 0600), NULL);
	dr_note("truncate-sub-g", syscall(SYS_truncate, "sub/g", 2), NULL);
	dr_note("unlink-s", syscall(SYS_unlink, "s"), NULL);
	dr_note("utimensat-d", syscall(SYS_utimensat, AT_FDCWD, "d", ts, 0), NULL);
	snprintf(p, sizeof(p), "../%s/d2", base);
	dr_note("mkdir-up-back-d2", syscall(SYS_mkdir, p, 0700), NULL);
	dr_note("rmdir-d2", syscall(SYS_rmdir, "d2"), NULL);
	/* a dirfd: home's, as before */
	fd = open("sub", O_RDONLY | O_DIRECTORY);
	dr_note("open-sub", fd < 0 ? fd : 0, NULL);	/* which fd: the harness's to say */
	{
		struct stat st;

		memset(&st, 0, sizeof(st));
		rc = syscall(SYS_newfstatat, fd, "g", &st, 0);
		dr_stat("fstatat-dirfd-g", rc, st.st_mode, (long long)st.st_size);
	}
	dr_note("close-sub", close(fd), NULL);

	/* into sub, relative */
	dr_note("chdir-sub", syscall(SYS_chdir, "sub"), NULL);
	dr_st("stat-g", "g", SYS_stat, 0);
	dr_st("stat-h2", "h2", SYS_stat, 0);
	dr_st("stat-up-f", "../f", SYS_stat, 0);
	dr_getcwd("getcwd-sub", 4096);
	dr_note("unlink-h2", syscall(SYS_unlink, "h2"), NULL);
	dr_note("mkdir-e", syscall(SYS_mkdir, "e", 0700), NULL);
	printf("phase1 done\n");
	fflush(stdout);
	if (nowait) {
		/* as the scenario does at home meanwhile: by the local names */
		snprintf(p, sizeof(p), "%s/sub", ldir);
		snprintf(p2, sizeof(p2), "%s/moved", ldir);
		DCHECK(!rename(p, p2) && !mkdir(p, 0777), "move sub");
		snprintf(p, sizeof(p), "%s/sub/mark", ldir);
		DCHECK(!symlink("new", p), "new sub/mark");
	} else {
		DCHECK(!dwait(), "second line");
	}

	/* its cwd was renamed and another sub made: the names are the moved one's */
	memset(b, 0, sizeof(b));
	rc = syscall(SYS_readlink, "mark", b, 64);
	dr_rl("moved-readlink-mark", rc, b);
	dr_st("moved-stat-g", "g", SYS_stat, 0);
	rc = syscall(SYS_readlinkat, AT_FDCWD, "./mark", b, 64);
	dr_rl("moved-readlinkat-dot-mark", rc, b);
	dr_getcwd("moved-getcwd", 4096);
	dr_note("moved-mkdir-e2", syscall(SYS_mkdir, "e2", 0700), NULL);
	printf("calls done\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "last line");
	DCHECK(fwrite(dr_out, 1, dr_o, stdout) == dr_o, "the results");
	if (dm_list(dr_cdir, ""))
		return 1;
	fflush(stdout);
	return 14;
}

/* ---- dfsa-dir ---- */

static char dd_out[1 << 17];
static size_t dd_o;

static void dd_note(const char *tag, long rc)
{
	int err = rc < 0 ? errno : 0;

	dd_o += snprintf(dd_out + dd_o, sizeof(dd_out) - dd_o, "g %s %ld %d\n", tag, rc, err);
	errno = 0;
}

struct dd_ent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* one getdents64 of 512 bytes, its entries noted as returned; its result */
static long dd_getdents(int fd, const char *tag)
{
	union {
		char b[512];
		uint64_t align;
	} u;
	long rc, o;

	memset(u.b, 0xa5, sizeof(u.b));
	rc = syscall(SYS_getdents64, fd, u.b, sizeof(u.b));
	dd_note(tag, rc);
	for (o = 0; rc > 0 && o < rc;) {
		struct dd_ent *e = (struct dd_ent *)(u.b + o);

		if (e->reclen < offsetof(struct dd_ent, name) + 2 || o + e->reclen > rc)
			return -1;
		dd_o += snprintf(dd_out + dd_o, sizeof(dd_out) - dd_o, "e %s %llu %u %lld\n",
				 e->name, (unsigned long long)e->ino, e->type, (long long)e->off);
		o += e->reclen;
	}
	return rc;
}

static int dfsa_dir(const char *dir, int nowait)
{
	struct stat st;
	long rc, mid = -1;
	int fd, i;

	printf("ready\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "first line");
	fd = syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY);
	DCHECK(fd >= 0, "open DIR");
	memset(&st, 0, sizeof(st));
	rc = syscall(SYS_fstat, fd, &st);
	dd_note("fstat", rc);
	dd_o += snprintf(dd_out + dd_o, sizeof(dd_out) - dd_o, "s %llu %llu %o %lu %u %u %lld\n",
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
			 st.st_mode, (unsigned long)st.st_nlink, st.st_uid, st.st_gid,
			 (long long)st.st_size);
	dd_note("tell0", syscall(SYS_lseek, fd, 0, SEEK_CUR));
	/* the whole listing, a telldir after each call */
	for (i = 0; i < 1000; i++) {
		long n = dd_getdents(fd, "all");

		DCHECK(n >= 0, "list");
		rc = syscall(SYS_lseek, fd, 0, SEEK_CUR);
		dd_note("tell", rc);
		if (i == 7)
			mid = rc;
		if (!n)
			break;
	}
	/* seekdir to the middle: MFS's directories only tell and rewind */
	dd_note("seek-mid", syscall(SYS_lseek, fd, mid, SEEK_SET));
	dd_getdents(fd, "after-seek");
	dd_note("rewind", syscall(SYS_lseek, fd, 0, SEEK_SET));
	for (i = 0; i < 8; i++)
		dd_getdents(fd, "half");
	dd_note("tell-half", syscall(SYS_lseek, fd, 0, SEEK_CUR));
	/* a fallback: its place goes home, and home goes on from there */
	dd_note("getfl", syscall(SYS_fcntl, fd, F_GETFL));
	for (i = 0; i < 1000 && dd_getdents(fd, "rest") > 0; i++)
		;
	dd_note("tell-end", syscall(SYS_lseek, fd, 0, SEEK_CUR));
	dd_note("close", syscall(SYS_close, fd));
	/* a second fd, half listed here, the rest after going home */
	fd = syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY);
	DCHECK(fd >= 0, "open DIR again");
	for (i = 0; i < 5; i++)
		dd_getdents(fd, "fd2");
	printf("calls done\n");
	fflush(stdout);
	DCHECK(nowait || !dwait(), "second line");
	for (i = 0; i < 1000 && dd_getdents(fd, "fd2-home") > 0; i++)
		;
	dd_note("fd2-tell", syscall(SYS_lseek, fd, 0, SEEK_CUR));
	dd_note("fd2-close", syscall(SYS_close, fd));
	DCHECK(fwrite(dd_out, 1, dd_o, stdout) == dd_o, "the results");
	fflush(stdout);
	return 15;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "ids"))
		return ids(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "calls"))
		return calls(atol(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "echo"))
		return echo();
	if (argc == 2 && !strcmp(argv[1], "bytes"))
		return bytes();
	if (argc == 4 && !strcmp(argv[1], "file"))
		return file(argv[2], atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "sig"))
		return sig();
	if (argc == 3 && !strcmp(argv[1], "sigcount"))
		return sigcount(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "fork"))
		return forker(atoi(argv[2]), atoi(argv[3]));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "soak"))
		return soak(atol(argv[2]), argc == 4 ? argv[3] : NULL);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "mem"))
		return mem(strtoul(argv[2], NULL, 10), atoi(argv[3]),
			   argc == 5 ? argv[4] : NULL);
	if (argc == 3 && !strcmp(argv[1], "cpu"))
		return cpu(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "io"))
		return io(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "dfsa"))
		return dfsa(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "dfsa-ref"))
		return dfsa_ref(atoi(argv[2]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "dfsa-paths"))
		return dfsa_paths(argv[2], atoi(argv[3]),
				  argc == 5 && !strcmp(argv[4], "nowait"));
	if (argc >= 5 && argc <= 7 && !strcmp(argv[1], "dfsa-mut")) {
		int nowait = 0, noutime = 0, i;

		for (i = 5; i < argc; i++) {
			if (!strcmp(argv[i], "nowait"))
				nowait = 1;
			else if (!strcmp(argv[i], "noutime"))
				noutime = 1;
			else
				return 2;
		}
		return dfsa_mut(argv[2], argv[3], argv[4], nowait, noutime);
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "dfsa-rel")) {
		if (argc == 5 && strcmp(argv[4], "nowait"))
			return 2;
		return dfsa_rel(argv[2], argv[3], argc == 5);
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "dfsa-dir"))
		return dfsa_dir(argv[2], argc == 4);
	fprintf(stderr, "usage: mig_prog { ids N | calls N | echo | bytes | file PATH N | fork N K | sig | sigcount MB | mem MB N [STOP] | soak N [STOP] | cpu N | io PATH N | dfsa PATH N | dfsa-ref N | dfsa-paths BASE N [nowait] | dfsa-mut BASE XNODE XMNT [nowait] [noutime] | dfsa-rel DIR LDIR [nowait] | dfsa-dir DIR [nowait] }\n");
	return 2;
}
