// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Checkpoint test program.  Every mode writes a deterministic result to
 * OUT that must not depend on whether a checkpoint (or a checkpoint and
 * a restore into a new process) happened meanwhile.
 *
 *   ckpt_prog compute OUT ROUNDS [MB [shm]]  integer + SSE double loop
 *                                  over an MB (8) heap, and a heap marker;
 *                                  with "shm" also over 2 pages of shared
 *                                  anonymous memory (the second never
 *                                  touched), whose sum is reported too
 *   ckpt_prog sleep OUT ROUNDS     nanosleep(50 ms) ROUNDS times
 *   ckpt_prog fifo OUT PATH        blocking read() on a named FIFO
 *   ckpt_prog poll OUT PATH        poll() on a named FIFO, then read
 *   ckpt_prog sigwait OUT          blocked SIGUSR1 pending; handler for USR2
 *   ckpt_prog fpu OUT ROUNDS [sse2]  integer, x87, SSE2 and AVX2 (if the
 *                                  CPU has it) registers live, rounding
 *                                  upward, FTZ/DAZ, x87 double precision
 *   ckpt_prog heap OUT ROUNDS [MB] MB (64) heap: every round writes every
 *                                  page and checksums the whole heap
 *   ckpt_prog recurse OUT ROUNDS [DEPTH]  DEPTH (100000) deep recursion
 *                                  with data in every frame
 *   ckpt_prog mmap OUT PATH ROUNDS MAP_PRIVATE PATH.priv, MAP_SHARED
 *                                  PATH.shared, write()s to PATH.log
 *   ckpt_prog sighandler OUT TRIGGER ROUNDS  SIGUSR2 handler (SA_SIGINFO,
 *                                  SA_RESTART, SA_ONSTACK with a sigaltstack,
 *                                  mask USR1), SIGINT ignored;
 *                                  computes, waits for TRIGGER to exist,
 *                                  then kill()s itself with SIGUSR2
 *   ckpt_prog rlimit OUT DIR ROUNDS  chdir(DIR), umask 027, soft NOFILE/
 *                                  CORE/STACK limits, ROUNDS x 50 ms, then
 *                                  reports them
 *   ckpt_prog rofill OUT TRIGGER   read-only private memory with data: a
 *                                  relocated table in the relro, anonymous
 *                                  r--, --- and r-x pages; waits for
 *                                  TRIGGER, then reports their data, their
 *                                  permissions in /proc/self/maps and that
 *                                  a write to each (a read of ---) faults
 *   ckpt_prog threads|shm|socket|shanon|shanonpart|memfd|deleted|devmem|
 *             uring|cputimer|stopme  refusal cases (a second thread, SysV
 *                                  shm, a socket, shared anonymous memory
 *                                  a process outside maps too (fork), or
 *                                  split by mprotect(),
 *                                  a memfd mapping, a mapping of a deleted
 *                                  file, /dev/mem, io_uring, a POSIX timer
 *                                  on the process CPU-time clock), then
 *                                  sleep forever; exit 77 if this machine
 *                                  cannot set one up
 *   ckpt_prog child|zombie|stopchild|rmcwd|rmroot|deldir|deldev|
 *             fifohalf|fifopacket|lockonfault|mlockall|setown|packetpipe|
 *             opathpipe|epollclosed|epollreused|epollswap|epollext|
 *             tfdalarm|tfdcancel|eventfd
 *                                  more refusal cases (issue 14): a running,
 *                                  a dead (not waited for) and a stopped
 *                                  child; a removed cwd; a removed chroot
 *                                  (root only); fds on a removed directory
 *                                  and a removed device node (root only);
 *                                  a FIFO OUT.fifo read-only, whose writer
 *                                  (the scenario's) is outside; a FIFO of
 *                                  its own O_RDWR holding two packet-mode
 *                                  (O_DIRECT) writes;
 *                                  mlock2(MLOCK_ONFAULT); mlockall(MCL_FUTURE);
 *                                  F_SETOWN on an fd; an O_DIRECT pipe; an
 *                                  O_PATH fd of a pipe (through /proc);
 *                                  an epoll watching an fd since closed
 *                                  (its pipe alive on another fd), an fd
 *                                  closed and taken by another timerfd,
 *                                  two timerfd fds exchanged by dup2(),
 *                                  a pipe another process's epoll watches
 *                                  (a grandchild, gone when we are); a
 *                                  timerfd on CLOCK_BOOTTIME_ALARM (root),
 *                                  one with TFD_TIMER_CANCEL_ON_SET; an
 *                                  eventfd (refused where fdinfo does not
 *                                  show EFD_SEMAPHORE: Linux 6.1)
 *   ckpt_prog ghostbig|ghostlink|ghostmapped|ghostwriter|ptmx|twotty|ttyhup|
 *             ttyexcl|ttylocked
 *                                  deleted files and terminals a restore
 *                                  could not make again (issue 14): a
 *                                  deleted file of 2 MiB (over the default
 *                                  ghost_limit), one whose other hard link
 *                                  OUT.ghost2 remains, one another process
 *                                  maps shared and writable, one another
 *                                  process has open for writing; a pty
 *                                  master (/dev/ptmx); a second terminal
 *                                  besides the controlling one (run it with
 *                                  setsid: it takes the first as its
 *                                  controlling terminal); a hung-up
 *                                  terminal; a terminal in exclusive mode
 *                                  (TIOCEXCL); one with locked settings
 *                                  (TIOCSLCKTRMIOS, root only).  The other processes are not
 *                                  its children and end when it does.
 *   ckpt_prog clonevm OUT           a child in its memory (clone(CLONE_VM),
 *                                  not a thread) writes READY with its own
 *                                  pid: the process to refuse; it dies
 *                                  with its parent
 *
 * READY is written to OUT.ready once the interesting state is set up,
 * and OUT.ms (not part of the result) gets the milliseconds from READY
 * to the result, which the lab scenarios use to size ROUNDS.
 */
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <immintrin.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *out;
static struct timespec t_ready;

static void ready(void)
{
	static int done;
	char p[4096];
	FILE *f;

	if (done++)
		return;
	snprintf(p, sizeof(p), "%s.ready", out);
	f = fopen(p, "w");
	if (!f)
		exit(3);
	fprintf(f, "%d\n", getpid());
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t_ready);
}

static void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void result(const char *fmt, ...)
{
	char tmp[4096];
	struct timespec t;
	va_list ap;
	FILE *f;

	clock_gettime(CLOCK_MONOTONIC, &t);
	snprintf(tmp, sizeof(tmp), "%s.ms", out);
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%lld\n", (t.tv_sec - t_ready.tv_sec) * 1000LL +
			(t.tv_nsec - t_ready.tv_nsec) / 1000000);
		fclose(f);
	}
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

static uint64_t xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* nanosleep that goes on after EINTR (a restore makes it return EINTR) */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * fpu: four xorshift lanes feed four doubles (d = d * 0.999 + [0, 1)),
 * in ymm registers with AVX2, in two xmm pairs without; a scalar
 * xorshift feeds an x87 long double.  The rounding mode (upward), FTZ/DAZ
 * and the x87 precision (double) are set before READY: a restore that
 * loses MXCSR, the x87 control word or any register changes the result.
 * Both paths compute the same values; the result names the one that ran.
 */
#define FPU_ITERS 20000

struct fpu {
	uint64_t v[4];
	double d[4];
	long double l;
	uint64_t x;
};

#define FPU_SCALAR(x, l) do {						\
	(x) ^= (x) << 13;						\
	(x) ^= (x) >> 7;						\
	(x) ^= (x) << 17;						\
	(l) = (l) * 0.9999999L + (long double)((x) & 0xffff) / 3.0L;	\
} while (0)

#define XS128(a) do {							\
	(a) = _mm_xor_si128((a), _mm_slli_epi64((a), 13));		\
	(a) = _mm_xor_si128((a), _mm_srli_epi64((a), 7));		\
	(a) = _mm_xor_si128((a), _mm_slli_epi64((a), 17));		\
} while (0)

static void fpu_sse2(struct fpu *s)
{
	const __m128i e = _mm_set1_epi64x(0x3ff0000000000000LL);
	const __m128d one = _mm_set1_pd(1.0), k = _mm_set1_pd(0.999);
	__m128i a = _mm_loadu_si128((const __m128i *)&s->v[0]);
	__m128i b = _mm_loadu_si128((const __m128i *)&s->v[2]);
	__m128d da = _mm_loadu_pd(&s->d[0]), db = _mm_loadu_pd(&s->d[2]);
	long double l = s->l;
	uint64_t x = s->x;

	for (int i = 0; i < FPU_ITERS; i++) {
		XS128(a);
		XS128(b);
		da = _mm_add_pd(_mm_mul_pd(da, k), _mm_sub_pd(_mm_castsi128_pd(
			_mm_or_si128(_mm_srli_epi64(a, 12), e)), one));
		db = _mm_add_pd(_mm_mul_pd(db, k), _mm_sub_pd(_mm_castsi128_pd(
			_mm_or_si128(_mm_srli_epi64(b, 12), e)), one));
		FPU_SCALAR(x, l);
	}
	_mm_storeu_si128((__m128i *)&s->v[0], a);
	_mm_storeu_si128((__m128i *)&s->v[2], b);
	_mm_storeu_pd(&s->d[0], _mm_sqrt_pd(da));
	_mm_storeu_pd(&s->d[2], _mm_sqrt_pd(db));
	s->l = l;
	s->x = x;
}

__attribute__((target("avx2")))
static void fpu_avx2(struct fpu *s)
{
	const __m256i e = _mm256_set1_epi64x(0x3ff0000000000000LL);
	const __m256d one = _mm256_set1_pd(1.0), k = _mm256_set1_pd(0.999);
	__m256i a = _mm256_loadu_si256((const __m256i *)s->v);
	__m256d d = _mm256_loadu_pd(s->d);
	long double l = s->l;
	uint64_t x = s->x;

	for (int i = 0; i < FPU_ITERS; i++) {
		a = _mm256_xor_si256(a, _mm256_slli_epi64(a, 13));
		a = _mm256_xor_si256(a, _mm256_srli_epi64(a, 7));
		a = _mm256_xor_si256(a, _mm256_slli_epi64(a, 17));
		d = _mm256_add_pd(_mm256_mul_pd(d, k), _mm256_sub_pd(
			_mm256_castsi256_pd(_mm256_or_si256(
				_mm256_srli_epi64(a, 12), e)), one));
		FPU_SCALAR(x, l);
	}
	_mm256_storeu_si256((__m256i *)s->v, a);
	_mm256_storeu_pd(s->d, _mm256_sqrt_pd(d));
	s->l = l;
	s->x = x;
}

static int mode_fpu(int argc, char **argv)
{
	long rounds = argc > 3 ? atol(argv[3]) : 50;
	int avx2 = __builtin_cpu_supports("avx2") &&
		   !(argc > 4 && !strcmp(argv[4], "sse2"));
	struct fpu s = { .v = { 1, 2, 3, 4 }, .d = { 0.5, 0.25, 0.125, 1 },
			 .l = 1, .x = 88172645463325252ULL };
	volatile double tiny = 1e-300, t;
	unsigned short cw;
	unsigned int csr;
	int rnd;

	for (int i = 0; i < 4; i++)
		s.v[i] = xorshift(s.v[i] * 0x9e3779b97f4a7c15ULL);
	fesetround(FE_UPWARD);
	_mm_setcsr(_mm_getcsr() | 0x8040);	/* FTZ | DAZ */
	__asm__ volatile ("fnstcw %0" : "=m" (cw));
	cw = (cw & ~0x300) | 0x200;		/* x87 precision: double */
	__asm__ volatile ("fldcw %0" : : "m" (cw));
	ready();
	for (long r = 0; r < rounds; r++) {
		if (avx2)
			fpu_avx2(&s);
		else
			fpu_sse2(&s);
	}
	t = tiny * 1e-10;			/* a denormal, 0 with FTZ */
	csr = _mm_getcsr();
	__asm__ volatile ("fnstcw %0" : "=m" (cw));
	rnd = fegetround();
	fesetround(FE_TONEAREST);
	result("fpu path=%s rounds=%ld v=%016llx,%016llx,%016llx,%016llx "
	       "d=%a,%a,%a,%a l=%La x=%016llx tiny=%a mxcsr=%04x fcw=%04x "
	       "upward=%d\n", avx2 ? "avx2" : "sse2", rounds,
	       (unsigned long long)s.v[0], (unsigned long long)s.v[1],
	       (unsigned long long)s.v[2], (unsigned long long)s.v[3],
	       s.d[0], s.d[1], s.d[2], s.d[3], s.l, (unsigned long long)s.x,
	       t, csr, cw, rnd == FE_UPWARD);
	return 0;
}

/*
 * heap: MB of malloc()ed (mmap) heap; each round writes one word in every
 * page and checksums all of it.
 */
static int mode_heap(int argc, char **argv)
{
	long rounds = argc > 3 ? atol(argv[3]) : 8;
	size_t n = ((size_t)(argc > 4 ? atol(argv[4]) : 64) << 20) / 8;
	uint64_t *h = malloc(n * 8), total = 0;

	if (!h || !n)
		return 2;
	for (size_t i = 0; i < n; i++)
		h[i] = i * 0x9e3779b97f4a7c15ULL;
	ready();
	for (long r = 0; r < rounds; r++) {
		uint64_t sum = r;

		for (size_t p = (r * 67) % 512; p < n; p += 512)
			h[p] = h[p] * 6364136223846793005ULL + r;
		for (size_t i = 0; i < n; i++)
			sum = (sum ^ h[i]) * 0x100000001b3ULL;
		total = total * 31 + sum;
	}
	result("heap MB=%zu rounds=%ld sum=%016llx\n", n >> 17, rounds,
	       (unsigned long long)total);
	return 0;
}

/*
 * recurse: every frame holds 8 words; the way back checks them into the
 * result.  The bottom spins so that checkpoints often see a full stack.
 */
static __attribute__((noinline)) uint64_t descend(long depth, uint64_t x)
{
	volatile uint64_t frame[8];
	uint64_t r;
	int i;

	for (i = 0; i < 8; i++)
		frame[i] = x = xorshift(x ^ depth);
	if (!depth) {
		for (long j = 0; j < 2000000; j++)
			x = xorshift(x);
		return x;
	}
	r = descend(depth - 1, x);
	for (i = 0; i < 8; i++)
		r = r * 31 + frame[i];
	return r ^ depth;
}

static int mode_recurse(int argc, char **argv)
{
	long rounds = argc > 3 ? atol(argv[3]) : 4;
	long depth = argc > 4 ? atol(argv[4]) : 100000;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	struct rlimit rl;

	/* 100000 frames of ~128 bytes need more than the usual 8 MB */
	if (getrlimit(RLIMIT_STACK, &rl))
		return 2;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (256UL << 20)) {
		rl.rlim_cur = rl.rlim_max < (256UL << 20) ? rl.rlim_max : 256UL << 20;
		if (setrlimit(RLIMIT_STACK, &rl))
			return 2;
	}
	ready();
	for (long r = 0; r < rounds; r++)
		x = descend(depth, x + r);
	result("recurse depth=%ld rounds=%ld sum=%016llx\n", depth, rounds,
	       (unsigned long long)x);
	return 0;
}

/*
 * mmap: PATH.priv mapped MAP_PRIVATE (half of its pages written before
 * READY, a quarter never: those must still read the file after a
 * restore), PATH.shared mapped MAP_SHARED (the file gets every write),
 * and a write() per round to PATH.log, whose offset must survive.
 */
#define MM_WORDS (2 << 20 >> 3)		/* 2 MB files */
#define MM_PAGES (MM_WORDS / 512)

static uint64_t csum(const uint64_t *p, size_t n)
{
	uint64_t s = n;

	for (size_t i = 0; i < n; i++)
		s = (s ^ p[i]) * 0x100000001b3ULL;
	return s;
}

static int mkfile(const char *base, const char *sfx, uint64_t seed,
		  uint64_t **map, int flags)
{
	static uint64_t buf[8192];
	char p[4096];
	int fd;

	snprintf(p, sizeof(p), "%s%s", base, sfx);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (size_t i = 0; i < MM_WORDS; i += 8192) {
		for (size_t j = 0; j < 8192; j++)
			buf[j] = seed = xorshift(seed + i + j);
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return -1;
	}
	if (map) {
		*map = mmap(NULL, MM_WORDS * 8, PROT_READ | PROT_WRITE, flags,
			    fd, 0);
		if (*map == MAP_FAILED)
			return -1;
		close(fd);
		return 0;
	}
	return fd;
}

static uint64_t file_csum(const char *base, const char *sfx)
{
	static uint64_t buf[MM_WORDS];
	char p[4096];
	int fd;

	snprintf(p, sizeof(p), "%s%s", base, sfx);
	fd = open(p, O_RDONLY);
	if (fd < 0 || pread(fd, buf, sizeof(buf), 0) != sizeof(buf))
		exit(5);
	close(fd);
	return csum(buf, MM_WORDS);
}

static int mode_mmap(int argc, char **argv)
{
	const char *base = argc > 3 ? argv[3] : NULL;
	long rounds = argc > 4 ? atol(argv[4]) : 40;
	uint64_t *priv, *shr, sp = 0, ss = 0, fs;
	char p[4096];
	int lfd;

	if (!base)
		return 1;
	if (mkfile(base, ".priv", 1, &priv, MAP_PRIVATE) ||
	    mkfile(base, ".shared", 2, &shr, MAP_SHARED))
		return 2;
	snprintf(p, sizeof(p), "%s.log", base);
	lfd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (lfd < 0)
		return 2;
	for (int pg = 0; pg < MM_PAGES / 2; pg++)
		priv[pg * 512 + 1] ^= 1;	/* copied on write before READY */
	ready();
	for (long r = 0; r < rounds; r++) {
		for (int j = 0; j < 16; j++) {
			long pg = (r * 37 + j * 61) % MM_PAGES;
			long w = pg * 512 + (r * 5 + j) % 512;

			if (pg % 4 != 3)	/* never written: file pages */
				priv[w] = priv[w] * 31 + r;
			shr[w] = shr[w] * 37 + j;
		}
		sp = sp * 31 + csum(priv, MM_WORDS);
		ss = ss * 31 + csum(shr, MM_WORDS);
		if (dprintf(lfd, "round %ld %016llx %016llx\n", r,
			    (unsigned long long)sp, (unsigned long long)ss) < 0)
			return 4;
	}
	if (msync(shr, MM_WORDS * 8, MS_SYNC))
		return 4;
	fs = file_csum(base, ".shared");
	result("mmap rounds=%ld priv=%016llx shared=%016llx map.priv=%016llx "
	       "file.priv=%016llx map.shared=%016llx file.shared=%016llx "
	       "shared_eq=%d log_off=%lld\n", rounds, (unsigned long long)sp,
	       (unsigned long long)ss,
	       (unsigned long long)csum(priv, MM_WORDS),
	       (unsigned long long)file_csum(base, ".priv"),
	       (unsigned long long)csum(shr, MM_WORDS),
	       (unsigned long long)fs, fs == csum(shr, MM_WORDS),
	       (long long)lseek(lfd, 0, SEEK_CUR));
	return 0;
}

/*
 * sighandler: a SIGUSR2 handler installed before READY runs after the
 * TRIGGER file appears (after a restore in the lab).  It checks its mask
 * (USR1 from sa_mask, USR2 itself), siginfo (sent by us) and that it runs
 * on the sigaltstack.
 */
static volatile sig_atomic_t h_count, h_masked, h_self, h_onstack;
static char altstack[65536];

static void on_usr2_info(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	(void)uc;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	h_count += sig == SIGUSR2;
	h_masked += sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGUSR2);
	h_self += si->si_code == SI_USER && si->si_pid == getpid();
	h_onstack += (char *)&cur >= altstack &&
		     (char *)&cur < altstack + sizeof(altstack);
}

static int mode_sighandler(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_usr2_info,
				.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK };
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	long rounds = argc > 4 ? atol(argv[4]) : 20;
	uint64_t x = 88172645463325252ULL;
	const char *trigger;
	sigset_t cur;

	if (argc < 4)
		return 1;
	trigger = argv[3];
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	if (sigaltstack(&ss, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
	    signal(SIGINT, SIG_IGN) == SIG_ERR)
		return 2;
	ready();
	for (long r = 0; r < rounds; r++)
		for (int i = 0; i < 200000; i++)
			x = xorshift(x);
	while (access(trigger, F_OK))
		sleep_ms(20);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGUSR2);	/* delivered before kill() returns */
	sigprocmask(SIG_SETMASK, NULL, &cur);
	memset(&sa, 0, sizeof(sa));
	sigaction(SIGUSR2, NULL, &sa);
	memset(&ss, 0, sizeof(ss));
	sigaltstack(NULL, &ss);
	result("sighandler x=%016llx count=%d masked=%d self=%d onstack=%d "
	       "altstack=%d unmasked=%d handler=%d flags=%#x sa_mask_usr1=%d "
	       "int_ignored=%d\n",
	       (unsigned long long)x, (int)h_count, (int)h_masked, (int)h_self,
	       (int)h_onstack, ss.ss_sp == altstack &&
	       ss.ss_size == sizeof(altstack) && ss.ss_flags == 0,
	       !sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2),
	       sa.sa_sigaction == on_usr2_info,
	       sa.sa_flags & (SA_SIGINFO | SA_RESTART | SA_NODEFER |
			      SA_RESETHAND | SA_ONSTACK),
	       sigismember(&sa.sa_mask, SIGUSR1),
	       signal(SIGINT, SIG_IGN) == SIG_IGN);
	return 0;
}

/*
 * rlimit: soft limits and cwd set before READY; reported at the end, and
 * checked the kernel's way (a relative open, a dup2() above NOFILE).
 */
static void lim(char *buf, size_t sz, const char *name, int res)
{
	struct rlimit rl;

	getrlimit(res, &rl);
	snprintf(buf + strlen(buf), sz - strlen(buf), " %s=%lld/%lld", name,
		 rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
		 rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
}

static int set_soft(int res, rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(res, &rl))
		return -1;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	return setrlimit(res, &rl);
}

static int mode_rlimit(int argc, char **argv)
{
	long rounds = argc > 4 ? atol(argv[4]) : 40;
	char cwd[4096], p[4096], lims[512] = "";
	struct stat st;
	int fd, probe, below, above;
	mode_t um;

	if (argc < 4)
		return 1;
	if (chdir(argv[3]) || set_soft(RLIMIT_NOFILE, 100) ||
	    set_soft(RLIMIT_CORE, 1 << 20) || set_soft(RLIMIT_STACK, 12 << 20))
		return 2;
	umask(027);
	ready();
	for (long r = 0; r < rounds; r++)
		sleep_ms(50);
	lim(lims, sizeof(lims), "nofile", RLIMIT_NOFILE);
	lim(lims, sizeof(lims), "core", RLIMIT_CORE);
	lim(lims, sizeof(lims), "stack", RLIMIT_STACK);
	if (!getcwd(cwd, sizeof(cwd)))
		return 4;
	fd = open("cwd-probe", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	snprintf(p, sizeof(p), "%s/cwd-probe", argv[3]);
	probe = fd >= 0 && !stat(p, &st) && unlink(p) == 0;
	um = umask(0);
	below = dup2(0, 99) == 99;
	above = dup2(0, 100) < 0 && errno == EBADF;
	close(99);
	result("rlimit%s cwd=%s probe=%d probe_mode=%03o umask=%03o dup2_99=%d "
	       "dup2_100_ebadf=%d\n", lims, cwd, probe,
	       probe ? (unsigned int)st.st_mode & 0777 : 0, (unsigned int)um,
	       below, above);
	return 0;
}

/* Mappings and kernel objects a checkpoint must refuse (0, or exit code). */
/*
 * rofill: the pages a restore fills although they are not writable.  In a
 * PIE the table of pointers is relocated at startup, in the relro that
 * ld.so then makes read-only.
 */
static const char *const relro_tab[] = { "relro-zero", "relro-one", "relro-two" };
static sigjmp_buf fault_env;

static void on_fault(int sig)
{
	siglongjmp(fault_env, sig);
}

/* the signal an access to p raises (0: none); a write stores what is there */
static int fault_of(volatile unsigned char *p, int write)
{
	int sig = sigsetjmp(fault_env, 1);

	if (sig)
		return sig;
	if (write)
		*p = *p;
	else
		(void)*p;
	return 0;
}

static const char *perms_at(const void *addr, char *p)
{
	unsigned long a = (unsigned long)addr, lo, hi;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	strcpy(p, "none");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && a >= lo && a < hi)
			break;
		else
			strcpy(p, "none");
	if (f)
		fclose(f);
	return p;
}

static uint64_t sum_pages(const unsigned char *p, size_t len)
{
	uint64_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = s * 31 + p[i];
	return s;
}

static int mode_rofill(int argc, char **argv)
{
	static const unsigned char ret42[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 };
	struct sigaction sa = { .sa_handler = on_fault };
	long pg = sysconf(_SC_PAGESIZE);
	char p_relro[8], p_ro[8], p_none[8], p_rx[8];
	unsigned char *ro, *none, *rx;
	int (*fn)(void);
	uint64_t x = 88172645463325252ULL, s_ro, s_none;
	int f_relro, f_ro, f_none, f_rx, v_rx, relro_ok;

	if (argc < 4)
		return 1;
	ro = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rx = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED || none == MAP_FAILED || rx == MAP_FAILED)
		return 2;
	for (long i = 0; i < 3 * pg; i++)
		ro[i] = (unsigned char)(x = xorshift(x));
	for (long i = 0; i < 2 * pg; i++)
		none[i] = (unsigned char)(x = xorshift(x));
	memcpy(rx, ret42, sizeof(ret42));
	if (mprotect(ro, 3 * pg, PROT_READ) || mprotect(none, 2 * pg, PROT_NONE) ||
	    mprotect(rx, pg, PROT_READ | PROT_EXEC) ||
	    sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return 2;
	fn = (int (*)(void))rx;
	ready();
	while (access(argv[3], F_OK))
		sleep_ms(20);
	relro_ok = !strcmp(relro_tab[0], "relro-zero") && !strcmp(relro_tab[2], "relro-two");
	f_relro = fault_of((volatile unsigned char *)&relro_tab[1], 1);
	f_ro = fault_of(ro + pg + 7, 1);
	f_none = fault_of(none + 5, 0);
	f_rx = fault_of(rx + 1, 1);
	v_rx = fn();
	perms_at(relro_tab, p_relro);
	perms_at(ro, p_ro);
	perms_at(none, p_none);
	perms_at(rx, p_rx);
	if (mprotect(none, 2 * pg, PROT_READ))
		return 2;
	s_ro = sum_pages(ro, 3 * pg);
	s_none = sum_pages(none, 2 * pg);
	result("rofill relro=%s,%s,sig%d ro=%016llx,%s,sig%d none=%016llx,%s,sig%d "
	       "rx=%d,%s,sig%d\n", relro_ok ? "ok" : "BAD", p_relro, f_relro,
	       (unsigned long long)s_ro, p_ro, f_ro, (unsigned long long)s_none,
	       p_none, f_none, v_rx, p_rx, f_rx);
	return 0;
}

/* A child that dies with us (children still alive when we are killed). */
static int child(int stop)
{
	pid_t pid = fork();

	if (pid < 0)
		return 2;
	if (pid)
		return 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	if (stop)
		raise(SIGSTOP);
	for (;;)
		pause();
}

static int epoll_watch(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.fd = fd;
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* eventfd, timerfd and epoll refusals (issue 14), after refusal_setup3() */
static int refusal_setup4(const char *mode)
{
	struct itimerspec its = { { 0, 0 }, { 3600, 0 } };
	int ep = epoll_create1(0), pfd[2], a, b, t;

	if (ep < 0 || pipe(pfd))
		return 2;
	if (!strcmp(mode, "epollclosed")) {
		/* its pipe lives on at another fd; the entry names the closed one */
		if (epoll_watch(ep, pfd[0]) || dup(pfd[0]) < 0 || close(pfd[0]))
			return 2;
		return 0;
	}
	if (!strcmp(mode, "epollreused")) {
		/* one anon inode for all timerfds: only the count tells */
		a = timerfd_create(CLOCK_MONOTONIC, 0);
		if (a < 0 || epoll_watch(ep, a) || dup(a) < 0 || close(a))
			return 2;
		return timerfd_create(CLOCK_MONOTONIC, 0) == a ? 0 : 2;
	}
	if (!strcmp(mode, "epollswap")) {
		a = timerfd_create(CLOCK_MONOTONIC, 0);
		b = timerfd_create(CLOCK_MONOTONIC, 0);
		if (a < 0 || b < 0 || epoll_watch(ep, a) || epoll_watch(ep, b))
			return 2;
		t = dup(a);
		if (t < 0 || dup2(b, a) != a || dup2(t, b) != b || close(t))
			return 2;
		return 0;
	}
	if (!strcmp(mode, "epollext")) {
		/*
		 * A grandchild (not ours) epolls our pipe's read end, until we
		 * die (a pidfd of us: a pipe for that, or our pipe's fds kept
		 * there, would be refused first as a pipe shared with it).
		 */
		pid_t me = getpid(), pid;
		struct timespec ten = { 10, 0 };
		sigset_t usr1;

		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		if (sigprocmask(SIG_BLOCK, &usr1, NULL))
			return 2;
		pid = fork();
		if (pid < 0)
			return 2;
		if (!pid) {
			struct pollfd pl;

			if (fork())
				_exit(0);
			pl.fd = syscall(SYS_pidfd_open, me, 0);
			if (pl.fd < 0 || epoll_watch(ep, pfd[0]))
				_exit(1);
			close(pfd[0]);
			close(pfd[1]);
			kill(me, SIGUSR1);	/* watching */
			pl.events = POLLIN;
			poll(&pl, 1, 600000);
			_exit(0);
		}
		if (waitpid(pid, NULL, 0) != pid ||
		    sigtimedwait(&usr1, NULL, &ten) != SIGUSR1 ||
		    sigprocmask(SIG_UNBLOCK, &usr1, NULL))
			return 2;
		close(ep);
		return 0;
	}
	if (!strcmp(mode, "tfdalarm")) {
		t = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
		if (t < 0)
			return 77;	/* CAP_WAKE_ALARM */
		return timerfd_settime(t, 0, &its, NULL) ? 2 : 0;
	}
	if (!strcmp(mode, "tfdcancel")) {
		struct timespec now;

		t = timerfd_create(CLOCK_REALTIME, 0);
		if (t < 0 || clock_gettime(CLOCK_REALTIME, &now))
			return 2;
		its.it_value.tv_sec = now.tv_sec + 3600;
		return timerfd_settime(t, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) ?
		       2 : 0;
	}
	if (!strcmp(mode, "eventfd"))
		return eventfd(1, 0) < 0 ? 2 : 0;
	fprintf(stderr, "unknown mode %s\n", mode);
	return 1;
}

/* in the process outside: its (fork()-inherited) view of shared memory */
static int touch_shared(void *arg)
{
	return *(volatile unsigned char *)arg == 0x5a ? 0 : -1;
}

/*
 * A process outside (not our child: forked twice, holding none of our
 * fds) that runs fn(arg) and then lives as long as we do, or until the
 * pipe *ctl (its other end, ours) has a byte or is closed.  Without ctl
 * that end stays open here all the same: closed, the process outside
 * would see it hung up and end at once.  0 once fn() has returned in it.
 */
static int outside(int (*fn)(void *), void *arg, int *ctl)
{
	int sync[2], cp[2], st;
	pid_t me = getpid(), pid;
	char c = 0;

	if (pipe(sync) || pipe(cp))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		if (fork())
			_exit(0);
		for (int fd = 3; fd < 1024; fd++)
			if (fd != sync[1] && fd != cp[0])
				close(fd);
		c = fn(arg) ? 'F' : 'R';
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		close(sync[1]);
		for (;;) {
			struct pollfd p = { .fd = cp[0], .events = POLLIN };

			if (kill(me, 0) || poll(&p, 1, 1000) != 0)
				_exit(0);
		}
	}
	close(sync[1]);
	close(cp[0]);
	if (waitpid(pid, &st, 0) != pid || read(sync[0], &c, 1) != 1 || c != 'R')
		return 2;
	close(sync[0]);
	if (ctl)
		*ctl = cp[1];
	return 0;
}

static char ghost_path[4096];

static int map_writable(void *arg)
{
	int fd = open(ghost_path, O_RDWR);
	void *p = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x5a, 64);
	return close(fd);
}

static int open_writer(void *arg)
{
	(void)arg;
	return open(ghost_path, O_WRONLY) < 0 ? -1 : 0;
}

/* two pty masters (kept), their slaves' names in arg */
static int two_masters(void *arg)
{
	char (*names)[64] = arg;

	for (int i = 0; i < 2; i++) {
		int m = posix_openpt(O_RDWR | O_NOCTTY);

		if (m < 0 || grantpt(m) || unlockpt(m) || ptsname_r(m, names[i], 64))
			return -1;
	}
	return 0;
}

/*
 * deleted files and terminals a restore could not make again (0, or exit
 * code); other modes: refusal_setup4(), which makes an epoll and a pipe
 * first (the processes outside made here would hold them)
 */
static int refusal_setup3(const char *mode)
{
	static char names[2][64];
	char path2[4096];
	int fd, ctl = -1, *shared;

	snprintf(ghost_path, sizeof(ghost_path), "%s.ghost", out);
	snprintf(path2, sizeof(path2), "%s.ghost2", out);
	if (!strncmp(mode, "ghost", 5)) {
		unlink(ghost_path);
		unlink(path2);
		fd = open(ghost_path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || ftruncate(fd, !strcmp(mode, "ghostbig") ? 2 << 20 : 4096) ||
		    pwrite(fd, "ghost", 5, 0) != 5)
			return 2;
		if (!strcmp(mode, "ghostlink") && link(ghost_path, path2))
			return 77;
		if (!strcmp(mode, "ghostmapped") && outside(map_writable, NULL, NULL))
			return 2;
		if (!strcmp(mode, "ghostwriter")) {
			/* ours read-only: only the other process writes it */
			close(fd);
			fd = open(ghost_path, O_RDONLY);
			if (fd < 0 || outside(open_writer, NULL, NULL))
				return 2;
		}
		if (strcmp(mode, "ghostbig") && strcmp(mode, "ghostlink") &&
		    strcmp(mode, "ghostmapped") && strcmp(mode, "ghostwriter"))
			goto unknown;
		return unlink(ghost_path) ? 2 : 0;
	}
	if (!strcmp(mode, "ptmx")) {
		fd = posix_openpt(O_RDWR | O_NOCTTY);
		return fd < 0 ? 77 : 0;
	}
	if (!strcmp(mode, "twotty") || !strcmp(mode, "ttyhup") || !strcmp(mode, "ttyexcl") ||
	    !strcmp(mode, "ttylocked")) {
		shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			return 2;
		/* the masters live in the other process: only slaves here */
		if (outside(two_masters, shared, &ctl))
			return 77;
		memcpy(names, shared, sizeof(names));
		munmap(shared, 4096);
		if (!strcmp(mode, "twotty")) {
			/* a session leader without one: the first becomes the controlling terminal */
			if (open(names[0], O_RDWR) < 0 || open(names[1], O_RDWR | O_NOCTTY) < 0)
				return 2;
			return 0;
		}
		fd = open(names[0], O_RDWR | O_NOCTTY);
		if (!strcmp(mode, "ttyexcl"))
			return fd < 0 || ioctl(fd, TIOCEXCL) ? 2 : 0;
		if (!strcmp(mode, "ttylocked")) {
			struct termios lk = { .c_lflag = ECHO };

			return fd < 0 ? 2 : ioctl(fd, TIOCSLCKTRMIOS, &lk) ? 77 : 0;
		}
		/* the masters closed: the slave is hung up */
		if (fd < 0 || write(ctl, "x", 1) != 1)
			return 2;
		for (int i = 0; i < 500; i++) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, 10) == 1 && (p.revents & POLLHUP))
				return 0;
		}
		return 2;
	}
unknown:
	return refusal_setup4(mode);
}

/* refusal cases of issue 14 (0, or exit code) */
static int refusal_setup2(const char *mode)
{
	char path[4096];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s.%s", out, mode);
	if (!strcmp(mode, "child") || !strcmp(mode, "stopchild"))
		return child(!strcmp(mode, "stopchild"));
	if (!strcmp(mode, "zombie")) {
		pid_t pid = fork();
		siginfo_t si;

		if (pid < 0)
			return 2;
		if (!pid)
			_exit(0);
		/* dead, and left unreaped (SIGCHLD is not ignored) */
		return waitid(P_PID, pid, &si, WEXITED | WNOWAIT) ? 2 : 0;
	}
	if (!strcmp(mode, "rmcwd") || !strcmp(mode, "deldir")) {
		if (mkdir(path, 0700))
			return 2;
		if (!strcmp(mode, "rmcwd"))
			fd = chdir(path);
		else
			fd = open(path, O_RDONLY | O_DIRECTORY);
		return fd < 0 || rmdir(path) ? 2 : 0;
	}
	if (!strcmp(mode, "rmroot")) {
		char *slash = strrchr(path, '/');
		int pfd;

		if (mkdir(path, 0700))
			return 2;
		/* its parent, open: the chroot is removed through it */
		if (slash)
			*slash = 0;
		pfd = open(slash ? (slash == path ? "/" : path) : ".", O_RDONLY | O_DIRECTORY);
		if (slash)
			*slash = '/';
		if (pfd < 0 || chdir(path))
			return 2;
		ready();	/* OUT is out of reach from now on */
		if (chroot(".")) {
			rmdir(path);
			return 77;
		}
		/* the cwd outside the new root: only the root is removed */
		if (fchdir(pfd) || unlinkat(pfd, slash ? slash + 1 : path, AT_REMOVEDIR) ||
		    close(pfd))
			return 2;
		return 0;
	}
	if (!strcmp(mode, "deldev")) {
		/* a copy of /dev/null, removed once open */
		if (mknod(path, S_IFCHR | 0600, makedev(1, 3)))
			return 77;
		fd = open(path, O_RDWR);
		return fd < 0 || unlink(path) ? 2 : 0;
	}
	if (!strcmp(mode, "fifohalf") || !strcmp(mode, "fifopacket")) {
		snprintf(path, sizeof(path), "%s.fifo", out);
		unlink(path);
		if (mkfifo(path, 0600))
			return 2;
		if (!strcmp(mode, "fifohalf"))
			return open(path, O_RDONLY | O_NONBLOCK) < 0 ? 2 : 0;
		/* two packets: written back as bytes, one read would get both */
		fd = open(path, O_RDWR);
		if (fd < 0 || fcntl(fd, F_SETFL, O_DIRECT))
			return 77;
		return write(fd, "one", 3) != 3 || write(fd, "two", 3) != 3 ? 2 : 0;
	}
	if (!strcmp(mode, "lockonfault")) {
		p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		return mlock2(p, 1 << 16, MLOCK_ONFAULT) ? 77 : 0;
	}
	if (!strcmp(mode, "mlockall"))
		return mlockall(MCL_FUTURE) ? 77 : 0;
	if (!strcmp(mode, "setown")) {
		fd = open("/dev/null", O_RDONLY);
		return fd < 0 || fcntl(fd, F_SETOWN, getpid()) ? 2 : 0;
	}
	if (!strcmp(mode, "packetpipe")) {
		int pfd[2];

		return pipe2(pfd, O_DIRECT) ? 77 : 0;
	}
	if (!strcmp(mode, "opathpipe")) {
		int pfd[2];

		if (pipe(pfd))
			return 2;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd[0]);
		return open(path, O_PATH) < 0 ? 2 : 0;
	}
	return refusal_setup3(mode);
}

static __attribute__((noreturn)) int clonevm_child(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	ready();
	for (;;)
		pause();
}

static int refusal_setup(const char *mode)
{
	char path[4096];
	void *p;
	int fd;

	if (!strcmp(mode, "threads")) {
		pthread_t t;

		return pthread_create(&t, NULL, forever, NULL) ? 2 : 0;
	}
	if (!strcmp(mode, "clonevm")) {
		static char stack[64 << 10] __attribute__((aligned(16)));

		if (clone(clonevm_child, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL) < 0)
			return 2;
		for (;;)
			pause();
	}
	if (!strcmp(mode, "shm")) {
		int id = shmget(IPC_PRIVATE, 1 << 16, IPC_CREAT | 0600);

		if (id < 0 || shmat(id, NULL, 0) == (void *)-1)
			return 2;
		shmctl(id, IPC_RMID, NULL);
		return 0;
	}
	if (!strcmp(mode, "socket"))
		return socket(AF_INET, SOCK_DGRAM, 0) < 0 ? 2 : 0;
	if (!strcmp(mode, "shanon") || !strcmp(mode, "shanonpart")) {
		p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		memset(p, 0x5a, 1 << 16);
		/* alone it is checkpointed (fid_prog shmanon): shared or split, refused */
		if (!strcmp(mode, "shanonpart"))
			return mprotect(p, 4096, PROT_READ) ? 2 : 0;
		return outside(touch_shared, p, NULL);
	}
	if (!strcmp(mode, "memfd") || !strcmp(mode, "deleted")) {
		if (!strcmp(mode, "memfd")) {
			fd = syscall(SYS_memfd_create, "ckpt", 0);
		} else {
			snprintf(path, sizeof(path), "%s.del", out);
			fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		}
		if (fd < 0 || ftruncate(fd, 1 << 16))
			return 2;
		p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		memset(p, 0x5a, 1 << 16);
		close(fd);
		if (!strcmp(mode, "deleted") && unlink(path))
			return 2;
		return 0;
	}
	if (!strcmp(mode, "devmem")) {
		/* the legacy VGA window: not RAM, so STRICT_DEVMEM allows it */
		fd = open("/dev/mem", O_RDONLY | O_SYNC);
		if (fd < 0)
			return 77;
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0xa0000);
		close(fd);
		return p == MAP_FAILED ? 77 : 0;
	}
	if (!strcmp(mode, "uring")) {
		/* struct io_uring_params: 120 bytes, zeroed = defaults */
		uint64_t params[15] = { 0 };

		fd = syscall(SYS_io_uring_setup, 4, params);
		return fd < 0 ? 77 : 0;
	}
	if (!strcmp(mode, "cputimer")) {
		/* glibc makes it the kernel's process clock -6; others are checkpointed */
		struct sigevent sev = { .sigev_notify = SIGEV_NONE };
		timer_t t;

		return timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &t) ? 2 : 0;
	}
	return refusal_setup2(mode);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} modes[] = {
		{ "fpu", mode_fpu }, { "heap", mode_heap },
		{ "recurse", mode_recurse }, { "mmap", mode_mmap },
		{ "sighandler", mode_sighandler }, { "rlimit", mode_rlimit },
		{ "rofill", mode_rofill },
	};
	const char *mode;

	if (argc < 3) {
		fprintf(stderr, "usage: ckpt_prog MODE OUT [ARG]\n");
		return 1;
	}
	mode = argv[1];
	out = argv[2];
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(mode, modes[i].name))
			return modes[i].fn(argc, argv);

	if (!strcmp(mode, "compute")) {
		long rounds = argc > 3 ? atol(argv[3]) : 100;
		size_t heap_sz = (size_t)(argc > 4 ? atol(argv[4]) : 8) << 20;
		unsigned char *heap = malloc(heap_sz), *shm = NULL;
		uint64_t x = 88172645463325252ULL, sum = 0, ssum = 0;
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
		/* "shm": two pages of shared anonymous memory, the first written */
		if (argc > 5 && !strcmp(argv[5], "shm")) {
			shm = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			if (shm == MAP_FAILED)
				return 2;
			memset(shm, 0x3c, 4096);
		}
		ready();
		for (long r = 0; r < rounds; r++) {
			for (int i = 0; i < 200000; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				d = d * 1.0000001 + (double)(x & 0xff) / 1e6;
				heap[x % heap_sz] ^= (unsigned char)x;
				if (shm)
					shm[x % 4096] += (unsigned char)(x >> 8);
			}
			nanosleep(&ts, NULL);
		}
		for (size_t i = 0; i < heap_sz; i++)
			sum = sum * 31 + heap[i];
		for (size_t i = 0; shm && i < 2 * 4096; i++)
			ssum = ssum * 31 + shm[i];
		if (shm)
			result("x=%016llx d=%.17g heap=%016llx shm=%016llx %s\n",
			       (unsigned long long)x, d, (unsigned long long)sum,
			       (unsigned long long)ssum, mark);
		else
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
	if (strcmp(mode, "idle")) {
		int r = refusal_setup(mode);

		if (r)
			return r;
	}
	ready();
	for (;;)
		pause();
}
