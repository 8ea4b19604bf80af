// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omstress-job: the jobs of omstress(1), the openMosix-NG stress test, in
 * the spirit of openMosix's openmosixtest (distkeygen, eatmem, forkit,
 * moving.sh).  Each one checks its own result bit for bit, so that a
 * migration that corrupts memory, registers or files makes it fail.
 *
 *   omstress-job keygen KEYS [--seed S] [--flip K]
 *	distkeygen: KEYS toy RSA key pairs (two 32-bit primes found with a
 *	deterministic Miller-Rabin test, e = 65537, d = e^-1 mod lambda(n)),
 *	each checked: e*d = 1 mod lambda, encryption then decryption (plain
 *	and CRT) and a signature give the message back.  The digest of every
 *	key depends on the seed alone: omstress compares it between the
 *	copies of the job (one of them locked at home).
 *   omstress-job eatmem MB ROUNDS
 *	eatmem: MB MiB rewritten ROUNDS times with a pattern that depends on
 *	the word, the round and a chain of sin() and sqrt() values; every
 *	word is checked against the previous round's pattern before it is
 *	rewritten, and at the end.
 *   omstress-job forkit CHILDREN ROUNDS [--parallel P] [--nap MS]
 *	forkit: ROUNDS rounds of CHILDREN children (at most P alive at
 *	once), each checking the memory it shares copy-on-write with its
 *	parent, forking a grandchild and checking its exit status, and
 *	exiting with a status of its own that the parent checks when it
 *	reaps it; then there must be no child left.
 *   omstress-job mover FILE STOP [--mb MB] [--nap MS] [--steps M]
 *		[--rounds N]
 *	the program omstress moves between nodes: rounds of checking and
 *	rewriting MB (8) MiB, M (200000) steps of a 64-bit LCG checked
 *	against its closed form, getpid() and getppid() checked against
 *	their first values, a line appended to FILE through the fd opened at
 *	the start and the whole file read back and checked; a nap of MS
 *	(200) ms between rounds; until the file STOP exists or N rounds.
 *   omstress-job exec PROG [ARG]...
 *	runs PROG as the other jobs start (below): how omstress starts the
 *	checkpoint test programs.
 *
 * Every job first closes every fd but 0, 1 and 2 (a checkpoint refuses
 * some kinds of files), becomes the leader of a session of its own
 * (omstress ends a job with its whole process group) and, if
 * OMSTRESS_PTRACER is set, lets that process and its descendants attach
 * to it (Yama's PR_SET_PTRACER: omctl needs ptrace access to migrate or
 * checkpoint it).
 *
 * The last line of a job that verified is "MODE ok digest=D ms=T ...";
 * exit 0.  A failed check prints "MODE CORRUPT: what" and exits 1; a
 * usage or setup error exits 2.  --flip N is for omstress's own tests:
 * it flips one bit of the job's state at step N, which its check must
 * catch (keygen: key N's private exponent; eatmem: a word after round N;
 * forkit: child N's exit status; mover: the LCG state in round N).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER 0x59616d61
#endif

#define NO_FLIP UINT64_MAX
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *mode;
static struct timespec t_start;

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: omstress-job keygen KEYS [--seed S] [--flip K]\n"
		"       omstress-job eatmem MB ROUNDS [--flip R]\n"
		"       omstress-job forkit CHILDREN ROUNDS [--parallel P] [--nap MS] [--flip I]\n"
		"       omstress-job mover FILE STOP [--mb MB] [--nap MS] [--steps M] [--rounds N] [--flip R]\n"
		"       omstress-job exec PROG [ARG]...\n");
	exit(2);
}

static void corrupt(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void corrupt(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	printf("%s CORRUPT: ", mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

static void fatal(const char *what)
{
	fprintf(stderr, "omstress-job %s: %s: %s\n", mode, what, strerror(errno));
	exit(2);
}

static long long elapsed_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t_start.tv_sec) * 1000LL +
	       (t.tv_nsec - t_start.tv_nsec) / 1000000;
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* "N": a number 0..max, else usage */
static uint64_t num(const char *s, uint64_t min, uint64_t max)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		bad_usage();
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "omstress-job %s: %s: expected a number %" PRIu64 "..%" PRIu64 "\n",
			mode, s, min, max);
		exit(2);
	}
	return v;
}

/* splitmix64: the jobs' deterministic random numbers */
static uint64_t sm64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* FNV-1a over 64-bit words, the digests */
static uint64_t fold(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (i * 8)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define DIGEST0 0xcbf29ce484222325ULL

/* --- keygen ------------------------------------------------------------ */

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)((__uint128_t)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1 % m;

	b %= m;
	while (e) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
		e >>= 1;
	}
	return r;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* a^-1 mod m (gcd(a, m) = 1), by the extended Euclidean algorithm */
static uint64_t invmod(uint64_t a, uint64_t m)
{
	__int128 t = 0, nt = 1, r = m, nr = a % m;

	while (nr) {
		__int128 q = r / nr, x;

		x = t - q * nt;
		t = nt;
		nt = x;
		x = r - q * nr;
		r = nr;
		nr = x;
	}
	if (t < 0)
		t += m;
	return (uint64_t)t;
}

/* Miller-Rabin with the first 12 primes as bases: exact below 2^64 */
static bool is_prime(uint64_t n)
{
	static const uint64_t bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 };
	uint64_t d = n - 1;
	unsigned int s = 0;

	if (n < 2)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		if (n == bases[i])
			return true;
		if (n % bases[i] == 0)
			return false;
	}
	while (!(d & 1)) {
		d >>= 1;
		s++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		uint64_t x = powmod(bases[i], d, n);
		unsigned int k;

		if (x == 1 || x == n - 1)
			continue;
		for (k = 1; k < s; k++) {
			x = mulmod(x, x, n);
			if (x == n - 1)
				break;
		}
		if (k == s)
			return false;
	}
	return true;
}

/* a prime of exactly 32 bits */
static uint64_t gen_prime(uint64_t *s)
{
	for (;;) {
		uint64_t c = (sm64(s) & 0xffffffffULL) | 0x80000001ULL;

		if (is_prime(c))
			return c;
	}
}

static int job_keygen(int argc, char **argv)
{
	uint64_t keys, seed = 1, flip = NO_FLIP, s, h = DIGEST0;
	const uint64_t e = 65537;

	if (argc < 1)
		bad_usage();
	keys = num(argv[0], 1, UINT32_MAX);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = num(argv[++i], 0, UINT64_MAX - 1);
		else if (!strcmp(argv[i], "--flip") && i + 1 < argc)
			flip = num(argv[++i], 0, UINT64_MAX - 1);
		else
			bad_usage();
	}
	s = seed;
	for (uint64_t k = 0; k < keys; k++) {
		uint64_t p, q, n, lambda, d, m, c, sig, dp, dq, qinv, m1, m2, hh;

		/* e is prime: it is prime to lambda unless it divides p-1 or q-1 */
		do
			p = gen_prime(&s);
		while ((p - 1) % e == 0);
		do
			q = gen_prime(&s);
		while (q == p || (q - 1) % e == 0);
		lambda = (p - 1) / gcd64(p - 1, q - 1) * (q - 1);
		n = p * q;
		d = invmod(e, lambda);
		if (k == flip)
			d ^= 1ULL << 5;
		if (mulmod(e, d, lambda) != 1)
			corrupt("key %" PRIu64 ": e*d mod lambda(n) is not 1 (p=%" PRIu64
				" q=%" PRIu64 " d=%" PRIu64 ")", k, p, q, d);
		/* a message, its encryption, decryption and signature */
		m = 2 + sm64(&s) % (n - 3);
		c = powmod(m, e, n);
		if (powmod(c, d, n) != m)
			corrupt("key %" PRIu64 ": decryption does not give the message back (n=%"
				PRIu64 " m=%" PRIu64 ")", k, n, m);
		dp = d % (p - 1);
		dq = d % (q - 1);
		qinv = invmod(q % p, p);
		m1 = powmod(c, dp, p);
		m2 = powmod(c, dq, q);
		hh = mulmod(qinv, (m1 + p - m2 % p) % p, p);
		if (m2 + hh * q != m)
			corrupt("key %" PRIu64 ": CRT decryption does not give the message back (n=%"
				PRIu64 " m=%" PRIu64 ")", k, n, m);
		sig = powmod(m, d, n);
		if (powmod(sig, e, n) != m)
			corrupt("key %" PRIu64 ": the signature does not verify (n=%" PRIu64 ")",
				k, n);
		h = fold(fold(fold(h, n), d), c ^ sig);
	}
	printf("keygen ok digest=%016" PRIx64 " ms=%lld keys=%" PRIu64 " seed=%" PRIu64 "\n",
	       h, elapsed_ms(), keys, seed);
	return 0;
}

/* --- eatmem ------------------------------------------------------------ */

/* the round's floating-point value: a chain of sin() and sqrt() */
static double eat_chain(double a, uint64_t round)
{
	for (int j = 0; j < 4096; j++)
		a = sin(a + j * 0.001) + sqrt((double)j + (double)round + 1.0) * 1e-3;
	return a;
}

static uint64_t eat_word(size_t k, uint64_t round, uint64_t fbits)
{
	return mix64(k * 0x9e3779b97f4a7c15ULL ^ round * 0xd1b54a32d192ed03ULL ^ fbits);
}

static uint64_t eat_bits(double a)
{
	uint64_t b;

	memcpy(&b, &a, sizeof(b));
	return b;
}

/* every word is round's pattern: their sum, or CORRUPT */
static uint64_t eat_check(const uint64_t *m, size_t words, uint64_t round, uint64_t fbits)
{
	uint64_t sum = 0;

	for (size_t k = 0; k < words; k++) {
		if (m[k] != eat_word(k, round, fbits))
			corrupt("word %zu (byte %zu) of round %" PRIu64 " is %016" PRIx64
				", not %016" PRIx64, k, k * 8, round, m[k],
				eat_word(k, round, fbits));
		sum += m[k];
	}
	return sum;
}

static int job_eatmem(int argc, char **argv)
{
	uint64_t mb, rounds, flip = NO_FLIP, h = DIGEST0, fbits = 0;
	size_t words;
	uint64_t *m;
	double a = 0.5;

	if (argc < 2)
		bad_usage();
	mb = num(argv[0], 1, 1 << 20);
	rounds = num(argv[1], 1, UINT32_MAX);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--flip") && i + 1 < argc)
			flip = num(argv[++i], 0, UINT64_MAX - 1);
		else
			bad_usage();
	}
	words = (size_t)(mb << 20) / 8;
	m = malloc(words * 8);
	if (!m)
		fatal("malloc");
	for (uint64_t r = 0; r < rounds; r++) {
		double na = eat_chain(a, r);
		uint64_t nbits = eat_bits(na);

		if (r)
			h = fold(h, eat_check(m, words, r - 1, fbits));
		for (size_t k = 0; k < words; k++)
			m[k] = eat_word(k, r, nbits);
		if (r == flip)
			m[words / 3] ^= 1ULL << 17;
		a = na;
		fbits = nbits;
		h = fold(h, fbits);
	}
	h = fold(h, eat_check(m, words, rounds - 1, fbits));
	printf("eatmem ok digest=%016" PRIx64 " ms=%lld mb=%" PRIu64 " rounds=%" PRIu64 "\n",
	       h, elapsed_ms(), mb, rounds);
	free(m);
	return 0;
}

/* --- forkit ------------------------------------------------------------ */

#define FORK_BUF (256u << 10)

static int child_status(uint64_t i)
{
	return 16 + (int)(mix64(i + 1) % 200);
}

static int grandchild_status(uint64_t i)
{
	return 16 + (int)(mix64(~i) % 200);
}

static uint64_t fork_pattern(size_t k, uint64_t round)
{
	return mix64(k ^ (round << 40));
}

/* The child: the shared buffer, a grandchild; exits with its status */
static void __attribute__((noreturn)) fork_child(const uint64_t *buf, uint64_t round,
						 uint64_t i, bool flip)
{
	int st, want = grandchild_status(i);
	pid_t g;

	for (size_t k = 0; k < FORK_BUF / 8; k++)
		if (buf[k] != fork_pattern(k, round))
			_exit(1);
	g = fork();
	if (g < 0)
		_exit(2);
	if (g == 0)
		_exit(want);
	if (waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st) != want)
		_exit(3);
	_exit(child_status(i) ^ (flip ? 1 : 0));
}

struct forkit_slot {
	pid_t pid;
	uint64_t i;
};

static int job_forkit(int argc, char **argv)
{
	uint64_t children, rounds, par = 16, napms = 0, flip = NO_FLIP, h = DIGEST0;
	uint64_t made = 0, reaped = 0, retries = 0;
	struct forkit_slot *slot;
	uint64_t *buf;

	if (argc < 2)
		bad_usage();
	children = num(argv[0], 1, 100000);
	rounds = num(argv[1], 1, 1000000);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--parallel") && i + 1 < argc)
			par = num(argv[++i], 1, 4096);
		else if (!strcmp(argv[i], "--nap") && i + 1 < argc)
			napms = num(argv[++i], 0, 3600000);
		else if (!strcmp(argv[i], "--flip") && i + 1 < argc)
			flip = num(argv[++i], 0, UINT64_MAX - 1);
		else
			bad_usage();
	}
	buf = malloc(FORK_BUF);
	slot = calloc(par, sizeof(*slot));
	if (!buf || !slot)
		fatal("malloc");
	for (uint64_t r = 0; r < rounds; r++) {
		uint64_t next = 0, alive = 0;

		for (size_t k = 0; k < FORK_BUF / 8; k++)
			buf[k] = fork_pattern(k, r);
		while (next < children || alive) {
			int st;
			pid_t p;
			uint64_t j;

			if (next < children && alive < par) {
				uint64_t i = r * children + next;

				fflush(stdout);
				p = fork();
				if (p == 0)
					fork_child(buf, r, i, i == flip);
				if (p > 0) {
					for (j = 0; j < par && slot[j].pid; j++)
						;
					slot[j].pid = p;
					slot[j].i = i;
					alive++;
					made++;
					next++;
					continue;
				}
				/* EAGAIN: at the process limit, wait for one */
				if (errno != EAGAIN || ++retries > 1000)
					fatal("fork");
				if (!alive) {
					nap(10);
					continue;
				}
			}
			p = waitpid(-1, &st, 0);
			if (p < 0) {
				if (errno == EINTR)
					continue;
				fatal("waitpid");
			}
			for (j = 0; j < par && slot[j].pid != p; j++)
				;
			if (j == par)
				corrupt("reaped pid %d, which is none of its children", (int)p);
			if (!WIFEXITED(st))
				corrupt("child %" PRIu64 " (pid %d) was killed by signal %d",
					slot[j].i, (int)p, WTERMSIG(st));
			if (WEXITSTATUS(st) != child_status(slot[j].i))
				corrupt("child %" PRIu64 " (pid %d) exited %d, not %d%s",
					slot[j].i, (int)p, WEXITSTATUS(st),
					child_status(slot[j].i),
					WEXITSTATUS(st) < 4 ? " (its own check failed)" : "");
			h = fold(h, (uint64_t)WEXITSTATUS(st));
			slot[j].pid = 0;
			alive--;
			reaped++;
		}
		if (napms && r + 1 < rounds)
			nap(napms);
	}
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		corrupt("a child is left after all %" PRIu64 " were reaped", reaped);
	printf("forkit ok digest=%016" PRIx64 " ms=%lld children=%" PRIu64
	       " grandchildren=%" PRIu64 " reaped=%" PRIu64 " rounds=%" PRIu64 "\n",
	       h, elapsed_ms(), made, made, reaped, rounds);
	free(slot);
	free(buf);
	return 0;
}

/* --- mover ------------------------------------------------------------- */

#define LCG_A 6364136223846793005ULL
#define LCG_C 1442695040888963407ULL

/* the LCG x -> A*x + C applied n times, in O(log n) */
static uint64_t lcg_jump(uint64_t x, uint64_t n)
{
	uint64_t a = LCG_A, c = LCG_C, ra = 1, rc = 0;

	while (n) {
		if (n & 1) {
			ra *= a;
			rc = rc * a + c;
		}
		c = (a + 1) * c;
		a *= a;
		n >>= 1;
	}
	return ra * x + rc;
}

static uint64_t file_hash(int fd, uint64_t *size)
{
	char buf[65536];
	uint64_t h = DIGEST0, off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			h ^= (unsigned char)buf[i];
			h *= 0x100000001b3ULL;
		}
		off += n;
	}
	if (n < 0)
		corrupt("reading its file back: %s", strerror(errno));
	*size = off;
	return h;
}

static int job_mover(int argc, char **argv)
{
	uint64_t mb = 8, napms = 200, steps = 200000, maxr = UINT64_MAX, flip = NO_FLIP;
	uint64_t h = DIGEST0, fsize = 0, x, seed = 0x0123456789abcdefULL, r, got, gsize;
	const char *file, *stop;
	pid_t pid0 = getpid(), ppid0 = getppid();
	size_t words;
	uint64_t *m;
	int fd;

	if (argc < 2)
		bad_usage();
	file = argv[0];
	stop = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--mb") && i + 1 < argc)
			mb = num(argv[++i], 1, 1 << 16);
		else if (!strcmp(argv[i], "--nap") && i + 1 < argc)
			napms = num(argv[++i], 0, 3600000);
		else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
			steps = num(argv[++i], 1, UINT32_MAX);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			maxr = num(argv[++i], 1, UINT32_MAX);
		else if (!strcmp(argv[i], "--flip") && i + 1 < argc)
			flip = num(argv[++i], 0, UINT64_MAX - 1);
		else
			bad_usage();
	}
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fatal(file);
	words = (size_t)(mb << 20) / 8;
	m = malloc(words * 8);
	if (!m)
		fatal("malloc");
	for (size_t k = 0; k < words; k++)
		m[k] = eat_word(k, 0, seed);
	x = seed;
	printf("mover pid %d ppid %d\n", (int)pid0, (int)ppid0);
	fflush(stdout);
	for (r = 0; r < maxr; r++) {
		char line[128];
		int len;

		/* its memory: last round's pattern, then this round's */
		for (size_t k = 0; k < words; k++) {
			if (m[k] != eat_word(k, r, seed))
				corrupt("round %" PRIu64 ": word %zu is %016" PRIx64 ", not %016"
					PRIx64, r, k, m[k], eat_word(k, r, seed));
			m[k] = eat_word(k, r + 1, seed);
		}
		/* registers: the LCG, step by step, against its closed form */
		for (uint64_t i = 0; i < steps; i++)
			x = x * LCG_A + LCG_C;
		if (r == flip)
			x ^= 1ULL << 17;
		if (x != lcg_jump(seed, (r + 1) * steps))
			corrupt("round %" PRIu64 ": the LCG is at %016" PRIx64 ", not %016" PRIx64,
				r, x, lcg_jump(seed, (r + 1) * steps));
		if (getpid() != pid0 || getppid() != ppid0)
			corrupt("round %" PRIu64 ": pid %d ppid %d, at the start %d and %d", r,
				(int)getpid(), (int)getppid(), (int)pid0, (int)ppid0);
		/* its file: a line through the fd of the start, all read back */
		len = snprintf(line, sizeof(line), "round %" PRIu64 " pid %d x %016" PRIx64 "\n",
			       r, (int)pid0, x);
		if (write(fd, line, len) != len)
			corrupt("round %" PRIu64 ": write to its file: %s", r, strerror(errno));
		for (int i = 0; i < len; i++) {
			h ^= (unsigned char)line[i];
			h *= 0x100000001b3ULL;
		}
		fsize += len;
		got = file_hash(fd, &gsize);
		if (got != h || gsize != fsize)
			corrupt("round %" PRIu64 ": its file has %" PRIu64 " bytes (hash %016" PRIx64
				"), written were %" PRIu64 " (hash %016" PRIx64 ")", r, gsize, got,
				fsize, h);
		printf("round %" PRIu64 " ok\n", r);
		fflush(stdout);
		if (!access(stop, F_OK)) {
			r++;
			break;
		}
		if (r + 1 < maxr)
			nap(napms);
	}
	close(fd);
	/* the file again, by its name */
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		corrupt("its file cannot be opened again: %s", strerror(errno));
	got = file_hash(fd, &gsize);
	close(fd);
	if (got != h || gsize != fsize)
		corrupt("its file, opened again, has %" PRIu64 " bytes (hash %016" PRIx64
			"), written were %" PRIu64 " (hash %016" PRIx64 ")", gsize, got, fsize, h);
	printf("mover ok digest=%016" PRIx64 " ms=%lld rounds=%" PRIu64 " pid=%d\n",
	       fold(h, x), elapsed_ms(), r, (int)pid0);
	free(m);
	return 0;
}

/* every fd above 2 closed */
static void close_fds(void)
{
#ifdef SYS_close_range
	if (!syscall(SYS_close_range, 3U, ~0U, 0U))
		return;
#endif
	for (int fd = 3; fd < 65536; fd++)
		close(fd);
}

int main(int argc, char **argv)
{
	const char *ptracer = getenv("OMSTRESS_PTRACER");

	if (argc < 2)
		bad_usage();
	mode = argv[1];
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	setvbuf(stdout, NULL, _IOLBF, 0);
	close_fds();
	/* a session of its own (fails harmlessly if it leads one already) */
	setsid();
	/* Yama: the omstress driver and its children may attach */
	if (ptracer && *ptracer)
		prctl(PR_SET_PTRACER, (unsigned long)num(ptracer, 1, INT32_MAX), 0, 0, 0);
	if (!strcmp(mode, "keygen"))
		return job_keygen(argc - 2, argv + 2);
	if (!strcmp(mode, "eatmem"))
		return job_eatmem(argc - 2, argv + 2);
	if (!strcmp(mode, "forkit"))
		return job_forkit(argc - 2, argv + 2);
	if (!strcmp(mode, "mover"))
		return job_mover(argc - 2, argv + 2);
	if (!strcmp(mode, "exec")) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "omstress-job exec: %s: %s\n", argv[2], strerror(errno));
		return 127;
	}
	bad_usage();
	return 2;
}
