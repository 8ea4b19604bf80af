// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * fid_prog MODE OUT TRIGGER: checkpoint fidelity (issue 14).  Sets up one
 * piece of process state, notes what it is, writes OUT.ready (its pid),
 * waits for the file TRIGGER to exist (the lab checkpoints and restores
 * it meanwhile), then checks that the state is still exactly what it
 * noted.  OUT gets "MODE ok: ..." and the exit status is 0, or
 * "MODE FAIL: ..." (also on stderr) and the exit status is 1; 77 if this
 * machine cannot set the state up.
 *
 *   auxv      /proc/self/auxv, byte for byte
 *   dumpable  PR_GET_DUMPABLE is 1 (run it as a user, restore it as root:
 *             taking the user's ids resets it to fs.suid_dumpable)
 *   undumpable  PR_SET_DUMPABLE 0, still 0
 *   thp       PR_SET_THP_DISABLE 1, still 1
 *   madvise   8 anonymous pages with different advice (DONTFORK, DONTDUMP,
 *             WIPEONFORK, HUGEPAGE, NOHUGEPAGE, RANDOM, SEQUENTIAL,
 *             MERGEABLE if the kernel has KSM): the same VMAs with the
 *             same advice flags in /proc/self/smaps, the data kept
 *   mlock     4 pages, the middle 2 mlock()ed: the same VMAs, "lo" on the
 *             locked one, VmLck and the data kept, locked pages resident
 *   fdflags   regular files and /dev/null with O_APPEND, O_NONBLOCK,
 *             O_ASYNC, O_NOATIME, O_SYNC, O_DIRECT (where the file system
 *             takes it): fcntl(F_GETFL) of each fd as it was
 *   inheritnb its stderr, which must be a pipe, made O_NONBLOCK: still a
 *             pipe, O_WRONLY|O_NONBLOCK (restored with omctl's stderr a
 *             pipe too: a private reopen gets the flag)
 *   pipes     pipes of its own with data in flight: A both ends
 *             O_NONBLOCK, 10000 bytes; B 256 KiB (F_SETPIPE_SZ 1 MiB),
 *             only its read end O_NONBLOCK, that end on two fds (one open
 *             file description); C write end closed, 5 bytes then EOF;
 *             D read end opened O_RDWR through /proc.  Flags, sizes,
 *             shared descriptions, both ends one pipe, every byte
 *   opath     O_PATH fds on a terminal (/dev/console), a directory, a
 *             named FIFO and a regular file: still O_PATH, on the same paths
 *   exe       /proc/self/exe: the same path, device and inode, and opening
 *             it for writing fails as it did (ETXTBSY: the process denies
 *             writers of its executable; EACCES as nobody)
 *   itimers   ITIMER_VIRTUAL (2 s, every 0.7 s) and ITIMER_PROF (0.5 s,
 *             every 0.25 s) armed: getitimer() shows both armed, at most
 *             the time noted, the intervals exact; then, burning CPU, a
 *             SIGPROF and a SIGVTALRM arrive.  FID_HOW=criu (criu
 *             restores it): at most one tick (10 ms at most) more than
 *             noted, see itimers_check()
 *   posixtimers  timer_create() timers with ids 1, 3, 4, 5, 6 (0 and 2
 *             deleted): MONOTONIC SIGEV_SIGNAL one hour every 7 s,
 *             REALTIME SIGEV_SIGNAL every 1 s (sival 0xb0b5), BOOTTIME
 *             SIGEV_NONE 1000 s, MONOTONIC never armed, TAI
 *             SIGEV_THREAD_ID one hour: the same ids exist (0 and 2 do
 *             not), timer_gettime() intervals exact, values at most those
 *             noted (0 for the disarmed one), and the 1 s timer's signal
 *             comes again with its si_value and timer id
 *   eventfd   eventfds: 123456789012 (O_NONBLOCK), 7 on two fds, 0
 *             (O_APPEND): flags, one eventfd on the two fds (eventfd-id),
 *             counts, fdinfo eventfd-semaphore (if shown) as noted
 *   eventfdsem  EFD_SEMAPHORE with 3: reads give 1, 1, 1, then EAGAIN
 *   signalfd  masks {USR1,USR2,36} (O_NONBLOCK) and {TERM}, all blocked,
 *             SIGUSR2 and 36 (value 77, sigqueue) pending: fdinfo sigmask,
 *             flags; both signals read from it, then EAGAIN
 *   timerfd   MONOTONIC 1000 s every 500 s (O_NONBLOCK), REALTIME
 *             absolute now + 2000 s, BOOTTIME 1 ms (expired: 1 tick),
 *             MONOTONIC every 250 ms never read, disarmed with a 3 s
 *             interval: clock and settime flags (fdinfo), flags, ticks,
 *             intervals exact, times at most those noted
 *   epoll     E1 (O_NONBLOCK): pipe A's read end (IN, data in it) and its
 *             dup (IN|ET), a timerfd (IN|ET), a signalfd (IN), E2, a fired
 *             EPOLLONESHOT entry on pipe B's write end; E2 (close-on-exec):
 *             A's read end (EXCLUSIVE), B's read end: each epoll's entries
 *             (fd, events, data) as noted, and ready as they were
 *   ghost     two deleted files in OUT's directory: A (5000 bytes,
 *             O_RDWR, offset 123, mode 0640) on two fds of one open file
 *             description and a third, O_RDONLY at offset 17; B (251000
 *             bytes, 64 KiB then a hole then 1000 bytes), O_WRONLY|
 *             O_APPEND, mode 0444: each fd still on a deleted file (no
 *             link) in that directory's file system, the same flags,
 *             offset, mode, owner, size, mtime and atime (to the
 *             microsecond), every byte; A's three fds on one inode, the
 *             first two one description; writes go to the same file
 *   ghosttmp  the same of C, an O_TMPFILE file never linked (3000 bytes,
 *             its F_GETFL has O_TMPFILE's bits) on two fds of one
 *             description and a third O_RDONLY
 *   ctty      run with a controlling terminal (a pty: `script`), not a
 *             session leader, in the foreground: fds 0-2 on it (one open
 *             file description), fd 255 /dev/tty (close-on-exec, as
 *             bash's), echo off and ^G as VINTR: after a restore from
 *             another terminal, every one of those fds is on the
 *             process's controlling terminal (the new one, tty_nr of
 *             /proc/self/stat), 0-2 one description, 255 /dev/tty, in
 *             the foreground, the terminal's settings as they were
 *   ctty2     ctty, and fd 3 a second open file description of the
 *             terminal's node, O_NONBLOCK: still separate, still
 *             O_NONBLOCK, fds 0-2 not
 *   cttybg    ctty, restored by omctl without --wait in a background job
 *             (job control on): the same fds on the controlling terminal,
 *             not in its foreground, a read fails with EIO (an orphaned
 *             process group), a write works, echo on (the settings not
 *             applied from the background); not for an undisturbed run
 *
 *   shmanon   MAP_SHARED|MAP_ANONYMOUS memory of its own: A, 4 pages
 *             read-write, pages 0 and 2 written (a counter it bumps and
 *             checks every 20 ms while it waits), 1 and 3 never touched;
 *             B, 1 page written, then made read-only: the same addresses,
 *             permissions and "/dev/zero (deleted)" in /proc/self/maps,
 *             the counter as it last wrote it, every byte, the untouched
 *             pages still not there (mincore), and A still shared: a
 *             fork()ed child's write is seen
 *
 * The FIFO modes make OUT.fifo and check that each fd is still on it (the
 * inode at that path) with its flags, every byte in order, and nobody
 * else holding it (no reader or writer left over from the restore):
 *   fifo      one read end O_RDONLY|O_NONBLOCK, one write end O_WRONLY on
 *             two fds (one open file description), F_SETPIPE_SZ 1 MiB,
 *             200000 bytes in it; EAGAIN after them, EOF once the write
 *             end is closed
 *   fiforw    one O_RDWR fd, 9 bytes in it; ENXIO for a writer once it is
 *             closed
 *   fifowr    only a write end (its reader closed), 3000 bytes in it:
 *             EPIPE (SIGPIPE ignored), then a reader opened by path gets
 *             the bytes
 *   fiford    only a read end, blocking (its writer closed), 4 bytes in
 *             it: the bytes, then EOF
 *   fifopeer  a read end O_RDONLY|O_NONBLOCK; 9 bytes written through a
 *             writer since closed; the caller must then hold OUT.fifo
 *             open O_RDWR (outside, both ways) until the check: the bytes
 *             once (a restore must not add a copy), then EAGAIN
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <stdbool.h>
#include <termios.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *mode, *out;
static char failed[4096];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	size_t l = strlen(failed);
	va_list ap;

	if (l >= sizeof(failed) - 2)
		return;
	if (l)
		failed[l++] = ';', failed[l++] = ' ';
	va_start(ap, fmt);
	vsnprintf(failed + l, sizeof(failed) - l, fmt, ap);
	va_end(ap);
}

static void put(const char *sfx, const char *text)
{
	char p[4096], tmp[4200];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", out, sfx);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, p))
		exit(3);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* a whole (small) file, NUL-terminated; its length in *len */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!buf || fd < 0)
		exit(3);
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				exit(3);
		}
	}
	close(fd);
	if (r < 0)
		exit(3);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

/* ---- auxv ---- */

static char *auxv0;
static size_t auxv0_len;

static int auxv_setup(void)
{
	auxv0 = slurp("/proc/self/auxv", &auxv0_len);
	return 0;
}

static void auxv_check(char *res, size_t sz)
{
	size_t len, i;
	char *now = slurp("/proc/self/auxv", &len);

	if (len != auxv0_len)
		fail("/proc/self/auxv has %zu bytes, had %zu", len, auxv0_len);
	for (i = 0; i + 16 <= len && i + 16 <= auxv0_len; i += 16) {
		uint64_t a[2], b[2];

		memcpy(a, auxv0 + i, 16);
		memcpy(b, now + i, 16);
		if (a[0] != b[0] || a[1] != b[1])
			fail("auxv entry %zu is %llu=%#llx, was %llu=%#llx", i / 16,
			     (unsigned long long)b[0], (unsigned long long)b[1],
			     (unsigned long long)a[0], (unsigned long long)a[1]);
	}
	snprintf(res, sz, "%zu entries", auxv0_len / 16);
	free(now);
}

/* ---- dumpable, undumpable, thp: prctl flags of the mm ---- */

static int dumpable_setup(void)
{
	return prctl(PR_GET_DUMPABLE) == 1 ? 0 : 77;
}

static void dumpable_check(char *res, size_t sz)
{
	int d = prctl(PR_GET_DUMPABLE);

	if (d != 1)
		fail("PR_GET_DUMPABLE is %d, was 1", d);
	snprintf(res, sz, "dumpable %d, uid %d", d, (int)getuid());
}

static int undumpable_setup(void)
{
	return prctl(PR_SET_DUMPABLE, 0) ? 2 : 0;
}

static void undumpable_check(char *res, size_t sz)
{
	int d = prctl(PR_GET_DUMPABLE);

	if (d != 0)
		fail("PR_GET_DUMPABLE is %d, was 0", d);
	snprintf(res, sz, "dumpable %d", d);
}

static int thp_setup(void)
{
	return prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) ? 77 : 0;
}

static void thp_check(char *res, size_t sz)
{
	int d = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);

	if (d != 1)
		fail("PR_GET_THP_DISABLE is %d, was 1", d);
	snprintf(res, sz, "THP disabled %d", d);
}

/* ---- madvise, mlock: VMAs and their VmFlags ---- */

#define PG	4096UL
static unsigned char *region;
static size_t region_len;
static char *vmas0, *vmlck0;
/* the VmFlags a restore must keep (the rest may differ, e.g. "sd") */
static const char *const vmflags[] = { "dc", "dd", "wf", "hg", "nh", "rr", "sr", "mg", "lo" };

/* "start-end flags..." for each VMA in the region, offsets from its start */
static char *region_vmas(void)
{
	char *sm = slurp("/proc/self/smaps", NULL), *line, *save, *res;
	unsigned long lo = 0, hi = 0, base = (unsigned long)region;
	size_t cap = 4096, n = 0;
	int in = 0;

	res = calloc(1, cap);
	if (!res)
		exit(3);
	for (line = strtok_r(sm, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = hi > base && lo < base + region_len;
			/* clamped: merges with mappings around it do not matter */
			if (lo < base)
				lo = base;
			if (hi > base + region_len)
				hi = base + region_len;
			if (in)
				n += snprintf(res + n, cap - n, "%s%lx-%lx", n ? " | " : "",
					      lo - base, hi - base);
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			for (size_t i = 0; i < ARRAY_SIZE(vmflags); i++) {
				const char *p = strstr(line + 8, vmflags[i]);

				if (p && p[-1] == ' ' && (p[2] == ' ' || !p[2]))
					n += snprintf(res + n, cap - n, " %s", vmflags[i]);
			}
		}
		if (n >= cap - 64)
			break;
	}
	free(sm);
	return res;
}

static char *vmlck(void)
{
	char *st = slurp("/proc/self/status", NULL), *p = strstr(st, "VmLck:"), *e;

	if (!p)
		exit(3);
	e = strchr(p, '\n');
	if (e)
		*e = 0;
	p = strdup(p);
	free(st);
	return p;
}

static uint64_t region_sum(void)
{
	uint64_t s = 0;

	for (size_t i = 0; i < region_len; i++)
		s = s * 31 + region[i];
	return s;
}

static uint64_t sum0;

static int region_map(size_t pages)
{
	region_len = pages * PG;
	region = mmap(NULL, region_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < region_len; i++)
		region[i] = (unsigned char)(i * 131 + 7);
	return 0;
}

static void region_note(void)
{
	vmas0 = region_vmas();
	vmlck0 = vmlck();
	sum0 = region_sum();
}

static void region_check(char *res, size_t sz)
{
	char *vmas = region_vmas(), *lck = vmlck();

	if (strcmp(vmas, vmas0))
		fail("the region's VMAs are [%s], were [%s]", vmas, vmas0);
	if (strcmp(lck, vmlck0))
		fail("%s, was %s", lck, vmlck0);
	if (region_sum() != sum0)
		fail("the region's data changed");
	snprintf(res, sz, "[%s] %s", vmas, lck);
	free(vmas);
	free(lck);
}

static int madvise_setup(void)
{
	static const int adv[] = { MADV_DONTFORK, MADV_DONTDUMP, MADV_WIPEONFORK,
				   MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_RANDOM,
				   MADV_SEQUENTIAL, MADV_MERGEABLE };
	int r = region_map(ARRAY_SIZE(adv) + 1);	/* the last page keeps none */

	for (size_t i = 0; !r && i < ARRAY_SIZE(adv); i++) {
		if (!madvise(region + i * PG, PG, adv[i]))
			continue;
		/* no THP or no KSM in this kernel: that page keeps none */
		if (errno == EINVAL && (adv[i] == MADV_MERGEABLE || adv[i] == MADV_HUGEPAGE ||
					adv[i] == MADV_NOHUGEPAGE))
			continue;
		r = 2;
	}
	if (!r)
		region_note();
	return r;
}

static int mlock_setup(void)
{
	int r = region_map(4);

	if (r)
		return r;
	if (mlock(region + PG, 2 * PG))
		return errno == EPERM || errno == ENOMEM ? 77 : 2;
	region_note();
	return 0;
}

static void mlock_check(char *res, size_t sz)
{
	unsigned char vec[4];

	region_check(res, sz);
	if (mincore(region, region_len, vec))
		fail("mincore: %s", strerror(errno));
	else if (!(vec[1] & 1) || !(vec[2] & 1))
		fail("the locked pages are not resident");
}

/* ---- fdflags, inheritnb: file status flags ---- */

#define NFD 5
static int fds[NFD], fl0[NFD];
static const char *const fdname[NFD] = { "append", "noatime", "devnull", "sync", "direct" };

static int open_at(int i, const char *path, int flags)
{
	int fd = open(path, flags, 0600);

	if (fd < 0)
		return -1;
	/* above the fds a restore places the usual ones at */
	fds[i] = fcntl(fd, F_DUPFD, 20 + i);
	close(fd);
	return fds[i];
}

static int fdflags_setup(void)
{
	char p[4096];
	int i;

	memset(fds, -1, sizeof(fds));
	snprintf(p, sizeof(p), "%s.append", out);
	if (open_at(0, p, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND) < 0 ||
	    write(fds[0], "x", 1) != 1 ||
	    fcntl(fds[0], F_SETFL, O_APPEND | O_NONBLOCK | O_ASYNC))
		return 2;
	snprintf(p, sizeof(p), "%s.noatime", out);
	if (open_at(1, p, O_RDWR | O_CREAT | O_TRUNC) < 0)
		return 2;
	close(fds[1]);
	if (open_at(1, p, O_RDONLY | O_NOATIME) < 0)
		return 2;
	if (open_at(2, "/dev/null", O_RDWR) < 0 || fcntl(fds[2], F_SETFL, O_NONBLOCK))
		return 2;
	snprintf(p, sizeof(p), "%s.sync", out);
	if (open_at(3, p, O_RDWR | O_CREAT | O_TRUNC | O_SYNC) < 0)
		return 2;
	snprintf(p, sizeof(p), "%s.direct", out);
	if (open_at(4, p, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT) < 0 &&
	    open_at(4, p, O_RDWR | O_CREAT | O_TRUNC) < 0)
		return 2;	/* without O_DIRECT where the fs refuses it */
	for (i = 0; i < NFD; i++)
		fl0[i] = fcntl(fds[i], F_GETFL);
	return 0;
}

static void fdflags_check(char *res, size_t sz)
{
	size_t n = 0;
	int i;

	for (i = 0; i < NFD; i++) {
		int f = fcntl(fds[i], F_GETFL);

		if (f != fl0[i])
			fail("fd %d (%s): flags %#o, were %#o", fds[i], fdname[i], f, fl0[i]);
		n += snprintf(res + n, sz - n, "%s%s=%#o", i ? " " : "", fdname[i], f);
		if (n >= sz)
			break;
	}
}

static int inheritnb_setup(void)
{
	struct stat st;
	int f = fcntl(2, F_GETFL);

	if (fstat(2, &st) || !S_ISFIFO(st.st_mode) || f < 0)
		return 77;
	return fcntl(2, F_SETFL, f | O_NONBLOCK) ? 2 : 0;
}

static void inheritnb_check(char *res, size_t sz)
{
	struct stat st;
	int f = fcntl(2, F_GETFL);

	if (fstat(2, &st) || !S_ISFIFO(st.st_mode))
		fail("fd 2 is no longer a pipe");
	if (f < 0 || (f & (O_ACCMODE | O_NONBLOCK)) != (O_WRONLY | O_NONBLOCK))
		fail("fd 2 has flags %#o, not O_WRONLY|O_NONBLOCK", f);
	snprintf(res, sz, "fd 2 a pipe, flags %#o", f);
}

/* ---- pipes: of its own, with data in flight ---- */

enum { PA_R, PA_W, PB_R, PB_R2, PB_W, PC_R, PD_RW, PD_W, NPF };
static int pf[NPF], pfl[NPF], psz[NPF];
static const char *const pfname[NPF] = {
	"A.r", "A.w", "B.r", "B.r2", "B.w", "C.r", "D.rw", "D.w" };
#define B_BYTES	(256 << 10)

static unsigned char pat(size_t i, int k)
{
	return (unsigned char)(i * 7 + k * 31 + (i >> 9));
}

static int pipes_setup(void)
{
	static unsigned char buf[B_BYTES];
	char path[64];
	int p[2], i;
	size_t n;

	if (pipe2(p, O_NONBLOCK))
		return 2;
	pf[PA_R] = p[0];
	pf[PA_W] = p[1];
	for (n = 0; n < 10000; n++)
		buf[n] = pat(n, 0);
	if (write(pf[PA_W], buf, 10000) != 10000)
		return 2;
	if (pipe(p) || fcntl(p[1], F_SETPIPE_SZ, 1 << 20) < 0 ||
	    fcntl(p[0], F_SETFL, O_NONBLOCK))
		return 2;
	pf[PB_R] = p[0];
	pf[PB_W] = p[1];
	pf[PB_R2] = dup(p[0]);
	for (n = 0; n < B_BYTES; n++)
		buf[n] = pat(n, 1);
	for (n = 0; n < B_BYTES; n += 4096)
		if (write(pf[PB_W], buf + n, 4096) != 4096)
			return 2;
	if (pipe(p) || write(p[1], "hello", 5) != 5 || close(p[1]))
		return 2;
	pf[PC_R] = p[0];
	if (pipe(p))
		return 2;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	pf[PD_RW] = open(path, O_RDWR);
	if (pf[PD_RW] < 0 || close(p[0]) || write(p[1], "rw", 2) != 2)
		return 2;
	pf[PD_W] = p[1];
	for (i = 0; i < NPF; i++) {
		pfl[i] = fcntl(pf[i], F_GETFL);
		psz[i] = fcntl(pf[i], F_GETPIPE_SZ);
	}
	return 0;
}

static ino_t ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) || !S_ISFIFO(st.st_mode) ? 0 : st.st_ino;
}

/* reads exactly len bytes (non-blocking fd), then expects EAGAIN or EOF */
static void drain(int fd, const char *name, size_t len, int k, const char *lit, int eof)
{
	static unsigned char buf[B_BYTES + 1];
	size_t got = 0;
	ssize_t r;

	while (got <= len && (r = read(fd, buf + got, len + 1 - got)) > 0)
		got += r;
	if (got != len) {
		fail("%s: %zu bytes in the pipe, were %zu", name, got, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != (lit ? (unsigned char)lit[i] : pat(i, k))) {
			fail("%s: byte %zu differs", name, i);
			return;
		}
	}
	if (eof ? r != 0 : !(r < 0 && errno == EAGAIN))
		fail("%s: after the data: %s", name, eof ? "no end of file" : "not EAGAIN");
}

static void pipes_check(char *res, size_t sz)
{
	int i, f;

	for (i = 0; i < NPF; i++) {
		f = fcntl(pf[i], F_GETFL);
		if (f != pfl[i])
			fail("%s: flags %#o, were %#o", pfname[i], f, pfl[i]);
		if (fcntl(pf[i], F_GETPIPE_SZ) != psz[i])
			fail("%s: pipe size %d, was %d", pfname[i], fcntl(pf[i], F_GETPIPE_SZ), psz[i]);
	}
	if (!ino_of(pf[PA_R]) || ino_of(pf[PA_R]) != ino_of(pf[PA_W]) ||
	    ino_of(pf[PB_R]) != ino_of(pf[PB_W]) || ino_of(pf[PB_R2]) != ino_of(pf[PB_W]) ||
	    ino_of(pf[PD_RW]) != ino_of(pf[PD_W]) || ino_of(pf[PA_R]) == ino_of(pf[PB_R]))
		fail("the pipes' ends are not paired as they were");
	/* B.r and B.r2 are one open file description: a flag set on one shows on both */
	fcntl(pf[PB_R2], F_SETFL, 0);
	if (fcntl(pf[PB_R], F_GETFL) & O_NONBLOCK)
		fail("B.r and B.r2 are no longer one open file description");
	fcntl(pf[PB_R2], F_SETFL, O_NONBLOCK);
	drain(pf[PA_R], "A", 10000, 0, NULL, 0);
	drain(pf[PB_R], "B", B_BYTES, 1, NULL, 0);
	drain(pf[PC_R], "C", 5, 0, "hello", 1);
	/* D.rw reads (it would block when empty: it is a writer too) */
	if (read(pf[PD_RW], res, 2) != 2 || memcmp(res, "rw", 2))
		fail("D: the 2 bytes are gone");
	/* the write ends still write into their own pipe */
	if (write(pf[PA_W], "x", 1) != 1 || read(pf[PA_R], res, 2) != 1 || res[0] != 'x')
		fail("A: a byte written is not read back");
	snprintf(res, sz, "A %#o/%#o B %#o/%#o size %d C eof D %#o", pfl[PA_R], pfl[PA_W],
		 pfl[PB_R], pfl[PB_W], psz[PB_R], pfl[PD_RW]);
}

/* ---- opath: O_PATH fds are paths, not open files ---- */

#define NOP 4
static int opfd[NOP];
static char oplink[NOP][4096];

static int opath_setup(void)
{
	char p[4096];
	int i;

	snprintf(p, sizeof(p), "%s.fifo", out);
	unlink(p);
	if (mkfifo(p, 0600))
		return 2;
	opfd[0] = open("/dev/console", O_PATH);
	opfd[1] = open("/", O_PATH | O_DIRECTORY);
	opfd[2] = open(p, O_PATH);
	snprintf(p, sizeof(p), "%s.file", out);
	close(open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	opfd[3] = open(p, O_PATH);
	for (i = 0; i < NOP; i++) {
		char l[64];
		ssize_t n;

		snprintf(l, sizeof(l), "/proc/self/fd/%d", opfd[i]);
		n = opfd[i] < 0 ? -1 : readlink(l, oplink[i], sizeof(oplink[i]) - 1);
		if (n < 0)
			return 2;
		oplink[i][n] = 0;
	}
	return 0;
}

static void opath_check(char *res, size_t sz)
{
	size_t n = 0;
	int i;

	for (i = 0; i < NOP; i++) {
		char l[64], now[4096];
		ssize_t r;
		int f = fcntl(opfd[i], F_GETFL);

		snprintf(l, sizeof(l), "/proc/self/fd/%d", opfd[i]);
		r = readlink(l, now, sizeof(now) - 1);
		now[r < 0 ? 0 : r] = 0;
		if (f < 0 || !(f & O_PATH))
			fail("fd %d is not O_PATH (flags %#o)", opfd[i], f);
		if (strcmp(now, oplink[i]))
			fail("fd %d is %s, was %s", opfd[i], now, oplink[i]);
		n += snprintf(res + n, sz - n, "%s%s", i ? " " : "", now);
		if (n >= sz)
			break;
	}
}

/* ---- exe: /proc/self/exe, writers of it still denied ---- */

static char exe0[4096];
static struct stat exest0;
static int exewr0;

/* 0 if the file opens for writing (nothing written), else the errno */
static int open_wr(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static const char *errname(int e)
{
	const char *n = e ? strerrorname_np(e) : "it opens";

	return n ? n : "?";
}

static int exe_setup(void)
{
	ssize_t n = readlink("/proc/self/exe", exe0, sizeof(exe0) - 1);

	if (n < 0 || stat("/proc/self/exe", &exest0))
		return 2;
	exe0[n] = 0;
	exewr0 = open_wr(exe0);
	return 0;
}

static void exe_check(char *res, size_t sz)
{
	ssize_t n;
	char now[4096];
	struct stat st;
	int wr;

	n = readlink("/proc/self/exe", now, sizeof(now) - 1);
	now[n < 0 ? 0 : n] = 0;
	if (strcmp(now, exe0))
		fail("/proc/self/exe is %s, was %s", now, exe0);
	if (stat("/proc/self/exe", &st))
		fail("stat /proc/self/exe: %s", errname(errno));
	else if (st.st_dev != exest0.st_dev || st.st_ino != exest0.st_ino)
		fail("/proc/self/exe is inode %ju:%ju, was %ju:%ju", (uintmax_t)st.st_dev,
		     (uintmax_t)st.st_ino, (uintmax_t)exest0.st_dev, (uintmax_t)exest0.st_ino);
	wr = open_wr(exe0);
	if (wr != exewr0)
		fail("opening %s for writing: %s, was %s", exe0, errname(wr), errname(exewr0));
	snprintf(res, sz, "%s, opening it for writing: %s", now, errname(wr));
}

/* ---- deleted open files (ghost files) ---- */

static int fill(int fd, size_t len, int k);

#define NGH	4
static int ngh, gfd[NGH], gfl[NGH];
static off_t goff[NGH];
static struct stat gst[NGH];
static uint64_t gsum[NGH];
static char gdir[4096];
static const char *const *ghname;
static const char *const ghname1[NGH] = { "A", "A's dup", "A O_RDONLY", "B" };
static const char *const ghname2[NGH] = { "C O_TMPFILE", "C's dup", "C O_RDONLY" };
static const struct timespec gtimes[2] = { { 1000000000, 123456000 }, { 1100000000, 654321000 } };

/* checksum of the whole file behind fd, read without moving its offset or atime */
static uint64_t ghost_sum(int fd)
{
	unsigned char b[65536];
	char path[64];
	uint64_t s = 0;
	off_t o = 0;
	ssize_t n, k;
	int r;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = open(path, O_RDONLY | O_NOATIME);
	if (r < 0)
		return 0;
	while ((n = pread(r, b, sizeof(b), o)) > 0) {
		for (k = 0; k < n; k++)
			s = s * 131 + b[k] + 1;
		o += n;
	}
	close(r);
	return s;
}

/* notes every fd, deleted by now */
static int ghost_note(void)
{
	for (int i = 0; i < ngh; i++) {
		gfl[i] = fcntl(gfd[i], F_GETFL);
		goff[i] = lseek(gfd[i], 0, SEEK_CUR);
		gsum[i] = ghost_sum(gfd[i]);
		if (fstat(gfd[i], &gst[i]) || gst[i].st_nlink)
			return 2;
	}
	return 0;
}

static void ghost_dir(void)
{
	char *slash;

	snprintf(gdir, sizeof(gdir), "%s", out);
	slash = strrchr(gdir, '/');
	if (!slash)
		snprintf(gdir, sizeof(gdir), ".");
	else if (slash == gdir)
		gdir[1] = 0;
	else
		*slash = 0;
}

/* fd k: a second description of fd j's file (through /proc), O_RDONLY at offset off */
static int ghost_reopen(int k, int j, off_t off)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/self/fd/%d", gfd[j]);
	gfd[k] = open(p, O_RDONLY);
	return gfd[k] < 0 || lseek(gfd[k], off, SEEK_SET) != off;
}

static int ghost_setup(void)
{
	char pa[4096], pb[4096];
	int t;

	ngh = 4;
	ghname = ghname1;
	ghost_dir();
	snprintf(pa, sizeof(pa), "%s.ghostA", out);
	snprintf(pb, sizeof(pb), "%s.ghostB", out);
	unlink(pa);
	unlink(pb);
	gfd[0] = open(pa, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (gfd[0] < 0 || fill(gfd[0], 5000, 4) || fchmod(gfd[0], 0640) ||
	    lseek(gfd[0], 123, SEEK_SET) != 123)
		return 2;
	gfd[1] = dup(gfd[0]);
	if (gfd[1] < 0 || ghost_reopen(2, 0, 17))
		return 2;
	/* B: 64 KiB, a hole, 1000 bytes at 250000; open write-only, appending */
	t = open(pb, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (t < 0 || fill(t, 65536, 5) || lseek(t, 250000, SEEK_SET) != 250000 || fill(t, 1000, 6))
		return 2;
	gfd[3] = open(pb, O_WRONLY | O_APPEND);
	if (gfd[3] < 0 || close(t) || fchmod(gfd[3], 0444) || unlink(pa) || unlink(pb))
		return 2;
	if (futimens(gfd[0], gtimes) || futimens(gfd[3], gtimes))
		return 2;
	return ghost_note();
}

static int ghosttmp_setup(void)
{
	ngh = 3;
	ghname = ghname2;
	ghost_dir();
	gfd[0] = open(gdir, O_TMPFILE | O_RDWR, 0600);
	if (gfd[0] < 0)
		return 77;	/* no O_TMPFILE here */
	if (fill(gfd[0], 3000, 7) || lseek(gfd[0], 2999, SEEK_SET) != 2999)
		return 2;
	gfd[1] = dup(gfd[0]);
	if (gfd[1] < 0 || ghost_reopen(2, 0, 5) || futimens(gfd[0], gtimes))
		return 2;
	return ghost_note();
}

/* the directory part of fd's link, " (deleted)" at its end */
static int ghost_in_dir(int fd)
{
	char path[64], l[4096], *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, l, sizeof(l) - 1);
	if (n <= 10)
		return 0;
	l[n] = 0;
	slash = strrchr(l, '/');
	if (!slash || strcmp(l + n - 10, " (deleted)"))
		return 0;
	*slash = 0;
	return !strcmp(l, gdir) || (!l[0] && !strcmp(gdir, "/"));
}

/* every fd as noted, fd 0 and 1 one description, 2 another on the same file */
static void ghost_check_fds(void)
{
	struct stat st, dst;
	char b[8];
	int i;

	if (stat(gdir, &dst))
		fail("%s: %s", gdir, strerror(errno));
	for (i = 0; i < ngh; i++) {
		/* the times first: nothing has read them since the restore */
		if (fstat(gfd[i], &st)) {
			fail("%s: fd %d: %s", ghname[i], gfd[i], strerror(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode) || st.st_nlink)
			fail("%s: not a deleted regular file (mode %#o, %lu links)", ghname[i],
			     st.st_mode, (unsigned long)st.st_nlink);
		if (st.st_mode != gst[i].st_mode || st.st_uid != gst[i].st_uid ||
		    st.st_gid != gst[i].st_gid || st.st_size != gst[i].st_size)
			fail("%s: mode %#o owner %u:%u size %lld, were %#o %u:%u %lld", ghname[i],
			     st.st_mode, st.st_uid, st.st_gid, (long long)st.st_size,
			     gst[i].st_mode, gst[i].st_uid, gst[i].st_gid, (long long)gst[i].st_size);
		if (st.st_mtim.tv_sec != gst[i].st_mtim.tv_sec ||
		    st.st_mtim.tv_nsec / 1000 != gst[i].st_mtim.tv_nsec / 1000 ||
		    st.st_atim.tv_sec != gst[i].st_atim.tv_sec ||
		    st.st_atim.tv_nsec / 1000 != gst[i].st_atim.tv_nsec / 1000)
			fail("%s: mtime %ld.%06ld atime %ld.%06ld, were %ld.%06ld %ld.%06ld", ghname[i],
			     (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec / 1000,
			     (long)st.st_atim.tv_sec, st.st_atim.tv_nsec / 1000,
			     (long)gst[i].st_mtim.tv_sec, gst[i].st_mtim.tv_nsec / 1000,
			     (long)gst[i].st_atim.tv_sec, gst[i].st_atim.tv_nsec / 1000);
		if (st.st_dev != dst.st_dev || !ghost_in_dir(gfd[i]))
			fail("%s: not in %s", ghname[i], gdir);
		if (fcntl(gfd[i], F_GETFL) != gfl[i])
			fail("%s: flags %#o, were %#o", ghname[i], fcntl(gfd[i], F_GETFL), gfl[i]);
		if (lseek(gfd[i], 0, SEEK_CUR) != goff[i])
			fail("%s: offset %lld, was %lld", ghname[i],
			     (long long)lseek(gfd[i], 0, SEEK_CUR), (long long)goff[i]);
		if (ghost_sum(gfd[i]) != gsum[i])
			fail("%s: its contents differ", ghname[i]);
		fstat(gfd[i], &gst[i]);		/* this inode, for the next checks */
	}
	if (gst[0].st_ino != gst[1].st_ino || gst[0].st_ino != gst[2].st_ino)
		fail("%s's fds are not one file", ghname[0]);
	/* the first two fds one description, the third another */
	lseek(gfd[0], 77, SEEK_SET);
	if (lseek(gfd[1], 0, SEEK_CUR) != 77 || lseek(gfd[2], 0, SEEK_CUR) != goff[2])
		fail("%s's descriptions are not as they were (offsets %lld, %lld)", ghname[0],
		     (long long)lseek(gfd[1], 0, SEEK_CUR), (long long)lseek(gfd[2], 0, SEEK_CUR));
	/* one file: what one fd writes, another reads */
	if (pwrite(gfd[0], "ghost", 5, 1000) != 5 || pread(gfd[2], b, 5, 1000) != 5 ||
	    memcmp(b, "ghost", 5))
		fail("%s's fds do not share the file", ghname[0]);
}

static void ghost_check(char *res, size_t sz)
{
	struct stat st;

	ghost_check_fds();
	if (gst[0].st_ino == gst[3].st_ino)
		fail("B is A");
	if (write(gfd[3], "tail", 4) != 4 || fstat(gfd[3], &st) || st.st_size != gst[3].st_size + 4)
		fail("B: an O_APPEND write does not append");
	snprintf(res, sz, "A 5000 bytes on 3 fds (2 descriptions), B %lld bytes O_APPEND mode 0444 with a hole: deleted, in %s, flags, offsets, mode, owner %u, times, contents",
		 (long long)gst[3].st_size, gdir, (unsigned int)gst[0].st_uid);
}

static void ghosttmp_check(char *res, size_t sz)
{
	ghost_check_fds();
	snprintf(res, sz, "O_TMPFILE file, 3000 bytes, on 3 fds (2 descriptions, flags %#o and %#o): deleted, in %s, offsets, mode, owner %u, times, contents",
		 gfl[0], gfl[2], gdir, (unsigned int)gst[0].st_uid);
}

/* ---- the controlling terminal (run under script) ---- */

static struct termios tio0;
static int ttyfl[4], tfl255, tcloexec255;
static bool ctty2;

/* tty_nr of /proc/self/stat: the controlling terminal's device */
static dev_t ctty_dev(void)
{
	char buf[1024], *p;
	unsigned long long nr = 0;
	size_t len;
	char *s = slurp("/proc/self/stat", &len);

	if (!s)
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	free(s);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %llu", &nr) != 1)
		return 0;
	return (dev_t)nr;
}

static long same_file(int a, int b)
{
	/* kcmp(KCMP_FILE): 0 when both fds are one open file description */
	return syscall(SYS_kcmp, getpid(), getpid(), 0, a, b);
}

static int ctty_setup_fds(void)
{
	struct termios t;
	int fd;

	fd = open("/dev/tty", O_RDWR);
	if (fd < 0 || !isatty(0) || tcgetpgrp(0) != getpgrp() || getsid(0) == getpid())
		return 77;	/* no terminal, not in its foreground, or a session leader */
	if (dup2(fd, 255) != 255 || close(fd) || fcntl(255, F_SETFD, FD_CLOEXEC))
		return 2;
	if (same_file(0, 1) || same_file(0, 2))
		return 77;	/* 0-2 must be one description */
	if (ctty2) {
		fd = open(ttyname(0), O_RDWR | O_NONBLOCK | O_NOCTTY);
		if (fd < 0 || dup2(fd, 3) != 3 || (fd != 3 && close(fd)))
			return 2;
	}
	if (tcgetattr(0, &t))
		return 2;
	t.c_lflag &= ~(tcflag_t)ECHO;
	t.c_cc[VINTR] = 007;
	if (tcsetattr(0, TCSANOW, &t) || tcgetattr(0, &tio0))
		return 2;
	for (fd = 0; fd < 4; fd++)
		ttyfl[fd] = fcntl(fd, F_GETFL);
	tfl255 = fcntl(255, F_GETFL);
	tcloexec255 = fcntl(255, F_GETFD);
	return 0;
}

static int ctty_setup(void)
{
	return ctty_setup_fds();
}

static dev_t ctty_check_fds(void);

/*
 * cttybg: restored without --wait by omctl in a background job (job
 * control on): its group is orphaned once omctl is gone, so a read of the
 * terminal fails with EIO (no SIGTTIN), a write succeeds; the image's
 * terminal settings were not applied (omctl was not in the foreground)
 */
static void cttybg_check(char *res, size_t sz)
{
	dev_t dev = ctty_check_fds();
	struct termios t;
	char c;

	if (tcgetpgrp(0) == getpgrp())
		fail("in the terminal's foreground");
	errno = 0;
	if (read(0, &c, 1) != -1 || errno != EIO)
		fail("a read of the terminal: %s, not EIO", errno ? strerror(errno) : "no error");
	if (write(1, "", 0) != 0)
		fail("cannot write to the terminal: %s", strerror(errno));
	if (tcgetattr(0, &t) || !(t.c_lflag & ECHO))
		fail("the terminal's settings were changed from the background (echo off)");
	snprintf(res, sz, "fds 0-2 and 255 on the controlling terminal %u:%u, in the background: EIO on a read, writes work, the terminal's settings left alone",
		 major(dev), minor(dev));
}

static int ctty2_setup(void)
{
	ctty2 = true;
	return ctty_setup_fds();
}

/* fds 0-2 (3), 255 on the controlling terminal as they were; its device */
static dev_t ctty_check_fds(void)
{
	dev_t dev = ctty_dev();
	char l[64] = "";
	struct stat st;
	int fd, n = ctty2 ? 4 : 3;

	fd = open("/dev/tty", O_RDWR);
	if (fd < 0)
		fail("no controlling terminal: %s", strerror(errno));
	else
		close(fd);
	for (fd = 0; fd < n; fd++) {
		if (fstat(fd, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != dev || !dev)
			fail("fd %d is not on the controlling terminal (%u:%u)", fd, major(dev),
			     minor(dev));
		if (tcgetsid(fd) != getsid(0))
			fail("fd %d: not the session's controlling terminal", fd);
		if (fcntl(fd, F_GETFL) != ttyfl[fd])
			fail("fd %d: flags %#o, were %#o", fd, fcntl(fd, F_GETFL), ttyfl[fd]);
	}
	if (same_file(0, 1) || same_file(0, 2))
		fail("fds 0-2 are not one open file description");
	if (ctty2 && !same_file(0, 3))
		fail("fd 3 is fd 0's open file description");
	if (readlink("/proc/self/fd/255", l, sizeof(l) - 1) < 0 || strcmp(l, "/dev/tty") ||
	    tcgetsid(255) != getsid(0) || fcntl(255, F_GETFL) != tfl255 ||
	    fcntl(255, F_GETFD) != tcloexec255)
		fail("fd 255 is %s (close-on-exec %d), not /dev/tty of the terminal", l,
		     fcntl(255, F_GETFD));
	return dev;
}

static void ctty_check(char *res, size_t sz)
{
	dev_t dev = ctty_check_fds();
	struct termios t;
	int n = ctty2 ? 4 : 3;

	if (tcgetpgrp(0) != getpgrp())
		fail("not in the terminal's foreground (its group %d, ours %d)", (int)tcgetpgrp(0),
		     (int)getpgrp());
	if (tcgetattr(0, &t) || (t.c_lflag & ECHO) || t.c_cc[VINTR] != 007 ||
	    t.c_lflag != tio0.c_lflag || t.c_iflag != tio0.c_iflag || t.c_oflag != tio0.c_oflag)
		fail("the terminal's settings are not as they were (echo %s, VINTR %#o)",
		     t.c_lflag & ECHO ? "on" : "off", t.c_cc[VINTR]);
	if (write(1, "", 0) != 0)
		fail("cannot write to the terminal: %s", strerror(errno));
	snprintf(res, sz, "fds 0-%d and 255 (/dev/tty) on the controlling terminal %u:%u, 0-2 one description%s, in the foreground, echo off, VINTR ^G",
		 n - 1, major(dev), minor(dev), ctty2 ? ", 3 another (O_NONBLOCK)" : "");
}

/* ---- named FIFOs: OUT.fifo, with data in flight ---- */

#define FIFO_BYTES	200000
static char fpath[4096];
static int ffd[3], ffl[3], fsz;

static int fifo_make(void)
{
	snprintf(fpath, sizeof(fpath), "%s.fifo", out);
	unlink(fpath);
	return mkfifo(fpath, 0600) ? 2 : 0;
}

/* fd is open on the FIFO now at fpath, with flags fl */
static void fifo_is(int fd, const char *name, int fl)
{
	struct stat a, b;
	int f = fcntl(fd, F_GETFL);

	if (fstat(fd, &a) || stat(fpath, &b) || !S_ISFIFO(a.st_mode) ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		fail("%s: fd %d is not on the FIFO %s", name, fd, fpath);
	if (f != fl)
		fail("%s: flags %#o, were %#o", name, f, fl);
}

/* writes len bytes of pattern k (blocking fd) */
static int fill(int fd, size_t len, int k)
{
	unsigned char b[4096];
	size_t n, i;

	for (n = 0; n < len; n += i) {
		for (i = 0; i < sizeof(b) && n + i < len; i++)
			b[i] = pat(n + i, k);
		if (write(fd, b, i) != (ssize_t)i)
			return 2;
	}
	return 0;
}

static int fifo_setup(void)
{
	if (fifo_make())
		return 2;
	ffd[0] = open(fpath, O_RDONLY | O_NONBLOCK);
	ffd[1] = open(fpath, O_WRONLY);
	ffd[2] = dup(ffd[1]);
	if (ffd[0] < 0 || ffd[1] < 0 || ffd[2] < 0 ||
	    fcntl(ffd[1], F_SETPIPE_SZ, 1 << 20) < 0 || fill(ffd[1], FIFO_BYTES, 2))
		return 2;
	for (int i = 0; i < 3; i++)
		ffl[i] = fcntl(ffd[i], F_GETFL);
	fsz = fcntl(ffd[0], F_GETPIPE_SZ);
	return 0;
}

static void fifo_check(char *res, size_t sz)
{
	char c;

	fifo_is(ffd[0], "read end", ffl[0]);
	fifo_is(ffd[1], "write end", ffl[1]);
	fifo_is(ffd[2], "write end's dup", ffl[2]);
	if (fcntl(ffd[0], F_GETPIPE_SZ) != fsz)
		fail("pipe size %d, was %d", fcntl(ffd[0], F_GETPIPE_SZ), fsz);
	/* one open file description: a flag set on one fd shows on the other */
	fcntl(ffd[2], F_SETFL, ffl[2] | O_NONBLOCK);
	if (!(fcntl(ffd[1], F_GETFL) & O_NONBLOCK))
		fail("the write end's two fds are no longer one open file description");
	fcntl(ffd[2], F_SETFL, ffl[2]);
	drain(ffd[0], "the FIFO", FIFO_BYTES, 2, NULL, 0);
	if (write(ffd[1], "x", 1) != 1 || read(ffd[0], &c, 1) != 1 || c != 'x')
		fail("a byte written is not read back");
	/* no writer but ours: end of file once it is closed */
	close(ffd[1]);
	close(ffd[2]);
	if (read(ffd[0], &c, 1) != 0)
		fail("no end of file with the write end closed (another writer?)");
	snprintf(res, sz, "read %#o write %#o size %d, %d bytes, then EOF", ffl[0], ffl[1], fsz,
		 FIFO_BYTES);
}

static int fiforw_setup(void)
{
	if (fifo_make())
		return 2;
	ffd[0] = open(fpath, O_RDWR);
	if (ffd[0] < 0 || write(ffd[0], "hello, rw", 9) != 9)
		return 2;
	ffl[0] = fcntl(ffd[0], F_GETFL);
	return 0;
}

static void fiforw_check(char *res, size_t sz)
{
	char b[16];
	int n = -1;

	fifo_is(ffd[0], "O_RDWR fd", ffl[0]);
	if (ioctl(ffd[0], FIONREAD, &n) || n != 9)
		fail("%d bytes in the FIFO, were 9", n);
	else if (read(ffd[0], b, 9) != 9 || memcmp(b, "hello, rw", 9))
		fail("the 9 bytes differ");
	if (write(ffd[0], "x", 1) != 1 || read(ffd[0], b, 1) != 1 || b[0] != 'x')
		fail("a byte written is not read back");
	/* no reader but ours */
	close(ffd[0]);
	n = open(fpath, O_WRONLY | O_NONBLOCK);
	if (n >= 0 || errno != ENXIO)
		fail("a writer opens it with our fd closed (another reader?)");
	snprintf(res, sz, "O_RDWR %#o, 9 bytes, no other reader", ffl[0]);
}

static int fifowr_setup(void)
{
	int r;

	if (fifo_make() || signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return 2;
	r = open(fpath, O_RDONLY | O_NONBLOCK);
	ffd[0] = open(fpath, O_WRONLY);
	if (r < 0 || ffd[0] < 0 || fill(ffd[0], 3000, 3) || close(r))
		return 2;
	ffl[0] = fcntl(ffd[0], F_GETFL);
	return 0;
}

static void fifowr_check(char *res, size_t sz)
{
	int r;

	fifo_is(ffd[0], "write end", ffl[0]);
	if (write(ffd[0], "x", 1) != -1 || errno != EPIPE)
		fail("a write does not fail with EPIPE (a reader left over?)");
	r = open(fpath, O_RDONLY | O_NONBLOCK);
	if (r < 0)
		fail("cannot open a reader: %s", strerror(errno));
	else
		drain(r, "the FIFO", 3000, 3, NULL, 0);
	snprintf(res, sz, "write end %#o, EPIPE, then 3000 bytes for a new reader", ffl[0]);
}

static int fiford_setup(void)
{
	int w;

	if (fifo_make())
		return 2;
	ffd[0] = open(fpath, O_RDONLY | O_NONBLOCK);
	w = open(fpath, O_WRONLY);
	if (ffd[0] < 0 || w < 0 || write(w, "bye!", 4) != 4 || close(w) ||
	    fcntl(ffd[0], F_SETFL, 0))
		return 2;
	ffl[0] = fcntl(ffd[0], F_GETFL);
	return 0;
}

static void fiford_check(char *res, size_t sz)
{
	struct pollfd p = { .events = POLLIN };
	char b[16];

	fifo_is(ffd[0], "read end", ffl[0]);
	if (read(ffd[0], b, sizeof(b)) != 4 || memcmp(b, "bye!", 4))
		fail("the 4 bytes are gone");
	/* then EOF: a blocking read with a writer left over would hang */
	p.fd = ffd[0];
	if (poll(&p, 1, 5000) != 1)
		fail("no end of file after the data (a writer left over?)");
	else if (read(ffd[0], b, 1) != 0)
		fail("more data after the 4 bytes");
	snprintf(res, sz, "read end %#o, 4 bytes, then EOF", ffl[0]);
}

static int fifopeer_setup(void)
{
	int w;

	if (fifo_make())
		return 2;
	ffd[0] = open(fpath, O_RDONLY | O_NONBLOCK);
	w = open(fpath, O_WRONLY | O_NONBLOCK);
	if (ffd[0] < 0 || w < 0 || write(w, "peer data", 9) != 9 || close(w))
		return 2;
	ffl[0] = fcntl(ffd[0], F_GETFL);
	return 0;
}

static void fifopeer_check(char *res, size_t sz)
{
	char b[32];
	ssize_t n;

	fifo_is(ffd[0], "read end", ffl[0]);
	n = read(ffd[0], b, sizeof(b));
	if (n != 9 || memcmp(b, "peer data", 9))
		fail("%zd bytes in the FIFO, not the 9 written (a copy added?)", n);
	n = read(ffd[0], b, 1);
	if (!(n < 0 && errno == EAGAIN))
		fail("after the data: %s", n ? "not EAGAIN" : "end of file (no writer outside?)");
	snprintf(res, sz, "read end %#o, the 9 bytes once, a writer outside", ffl[0]);
}

/* ---- main ---- */

/* ---- itimers ---- */
static volatile sig_atomic_t n_prof, n_vtalrm;
static struct itimerval itv0[2];	/* VIRTUAL, PROF as noted */
static const int itwhich[2] = { ITIMER_VIRTUAL, ITIMER_PROF };
static const char *const itname[2] = { "ITIMER_VIRTUAL", "ITIMER_PROF" };

static void on_itimer(int sig)
{
	if (sig == SIGPROF)
		n_prof++;
	else
		n_vtalrm++;
}

static long long tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000LL + tv->tv_usec;
}

static int itimers_setup(void)
{
	struct sigaction sa = { .sa_handler = on_itimer, .sa_flags = SA_RESTART };
	struct itimerval it[2] = { { { 0, 700000 }, { 2, 0 } }, { { 0, 250000 }, { 0, 500000 } } };
	int i;

	if (sigaction(SIGPROF, &sa, NULL) || sigaction(SIGVTALRM, &sa, NULL))
		return 2;
	for (i = 0; i < 2; i++)
		if (setitimer(itwhich[i], &it[i], NULL))
			return 2;
	for (i = 0; i < 2; i++)
		if (getitimer(itwhich[i], &itv0[i]))
			return 2;
	return 0;
}

static void itimers_check(char *res, size_t sz)
{
	struct itimerval now[2];
	struct timespec t0, t;
	volatile unsigned long spin = 0;
	int i, p0 = n_prof, v0 = n_vtalrm;
	const char *how = getenv("FID_HOW");
	/*
	 * criu's restorer calls setitimer() with what getitimer() said at the
	 * dump, and set_cpu_itimer() adds a tick to it: a process that used
	 * less than a tick of CPU time since the dump reads up to a tick more
	 * than noted (10 ms: HZ 100, the coarsest).  Our restore takes the
	 * tick off; it gets no slack.
	 */
	long long slack = how && !strcmp(how, "criu") ? 10000 : 0;

	for (i = 0; i < 2; i++) {
		if (getitimer(itwhich[i], &now[i])) {
			fail("getitimer(%s): %s", itname[i], strerror(errno));
			return;
		}
		if (!tv_us(&now[i].it_value))
			fail("%s is disarmed", itname[i]);
		else if (tv_us(&now[i].it_value) > tv_us(&itv0[i].it_value) + slack)
			fail("%s has %lld us left, more than the %lld noted", itname[i],
			     tv_us(&now[i].it_value), tv_us(&itv0[i].it_value));
		if (tv_us(&now[i].it_interval) != tv_us(&itv0[i].it_interval))
			fail("%s interval %lld us, was %lld", itname[i],
			     tv_us(&now[i].it_interval), tv_us(&itv0[i].it_interval));
	}
	/* CPU time: both fire within their values (2 s of user time at most) */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < 100000; i++)
			spin++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((n_prof == p0 || n_vtalrm == v0) && t.tv_sec - t0.tv_sec < 20);
	if (n_prof == p0)
		fail("no SIGPROF after 20 s of burning CPU");
	if (n_vtalrm == v0)
		fail("no SIGVTALRM after 20 s of burning CPU");
	snprintf(res, sz, "virtual %lld us left (was %lld), every %lld us; prof %lld us left (was %lld), every %lld us; SIGPROF and SIGVTALRM came",
		 tv_us(&now[0].it_value), tv_us(&itv0[0].it_value), tv_us(&now[0].it_interval),
		 tv_us(&now[1].it_value), tv_us(&itv0[1].it_value), tv_us(&now[1].it_interval));
}

/* ---- posixtimers ---- */
#define NPT	5
struct ptimer {
	const char *name;
	clockid_t clock;
	int notify;
	int signo;
	uintptr_t sival;
	struct itimerspec set;
};

/* real-time signals past glibc's SIGRTMIN (34), as constants */
static const struct ptimer ptdef[NPT] = {
	{ "monotonic", CLOCK_MONOTONIC, SIGEV_SIGNAL, 35, 0x1111,
	  { { 7, 0 }, { 3600, 0 } } },
	{ "realtime-1s", CLOCK_REALTIME, SIGEV_SIGNAL, 36, 0xb0b5,
	  { { 1, 0 }, { 1, 0 } } },
	{ "boottime-none", CLOCK_BOOTTIME, SIGEV_NONE, 0, 0, { { 0, 0 }, { 1000, 0 } } },
	{ "disarmed", CLOCK_MONOTONIC, SIGEV_SIGNAL, 37, 0x3333, { { 0, 0 }, { 0, 0 } } },
	{ "tai-tid", CLOCK_TAI, SIGEV_THREAD_ID, 38, 0x4444,
	  { { 0, 123456789 }, { 3600, 0 } } },
};
static int ptid[NPT];
static struct itimerspec pt0[NPT];
static volatile sig_atomic_t n_tick, tick_bad;
static volatile uintptr_t tick_val;
static volatile int tick_id;

static void on_tick(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	n_tick++;
	tick_val = (uintptr_t)si->si_value.sival_ptr;
	tick_id = si->si_timerid;
	if (si->si_code != SI_TIMER)
		tick_bad = 1;
}

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int ptimer_create(clockid_t clock, struct sigevent *sev)
{
	int id;

	if (syscall(SYS_timer_create, clock, sev, &id))
		return -1;
	return id;
}

static int posixtimers_setup(void)
{
	struct sigaction sa = { .sa_sigaction = on_tick, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	int i, x, y;

	if (sigaction(ptdef[1].signo, &sa, NULL))
		return 2;
	/* ids 0 and 2 are made and deleted: the image's ids have gaps */
	x = ptimer_create(CLOCK_MONOTONIC, &none);
	for (i = 0; i < NPT; i++) {
		struct sigevent sev;

		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = ptdef[i].notify;
		sev.sigev_signo = ptdef[i].signo;
		sev.sigev_value.sival_ptr = (void *)ptdef[i].sival;
		if (ptdef[i].notify == SIGEV_THREAD_ID)
			sev._sigev_un._tid = (int)syscall(SYS_gettid);
		ptid[i] = ptimer_create(ptdef[i].clock, &sev);
		if (ptid[i] < 0) {
			fprintf(stderr, "fid_prog: timer_create(%s): %s\n", ptdef[i].name,
				strerror(errno));
			return errno == EINVAL || errno == ENOTSUP ? 77 : 2;
		}
		if (i == 0)
			y = ptimer_create(CLOCK_MONOTONIC, &none);
	}
	if (x != 0 || y != 2 || ptid[0] != 1 || ptid[1] != 3 ||
	    syscall(SYS_timer_delete, x) || syscall(SYS_timer_delete, y)) {
		fprintf(stderr, "fid_prog: unexpected timer ids %d %d %d\n", x, ptid[0], y);
		return 2;
	}
	for (i = 0; i < NPT; i++)
		if (syscall(SYS_timer_settime, ptid[i], 0, &ptdef[i].set, NULL))
			return 2;
	for (i = 0; i < NPT; i++)
		if (syscall(SYS_timer_gettime, ptid[i], &pt0[i]))
			return 2;
	return 0;
}

static void posixtimers_check(char *res, size_t sz)
{
	struct itimerspec now;
	struct timespec t0, t;
	int i, gone[2] = { 0, 2 }, k0;

	for (i = 0; i < 2; i++)
		if (!syscall(SYS_timer_gettime, gone[i], &now) || errno != EINVAL)
			fail("timer id %d exists", gone[i]);
	for (i = 0; i < NPT; i++) {
		if (syscall(SYS_timer_gettime, ptid[i], &now)) {
			fail("timer %s (id %d): %s", ptdef[i].name, ptid[i], strerror(errno));
			continue;
		}
		if (ts_ns(&now.it_interval) != ts_ns(&pt0[i].it_interval))
			fail("timer %s: interval %lld ns, was %lld", ptdef[i].name,
			     ts_ns(&now.it_interval), ts_ns(&pt0[i].it_interval));
		if (ts_ns(&now.it_value) > ts_ns(&pt0[i].it_value) &&
		    ts_ns(&now.it_interval) != ts_ns(&now.it_value))
			fail("timer %s: %lld ns left, more than the %lld noted", ptdef[i].name,
			     ts_ns(&now.it_value), ts_ns(&pt0[i].it_value));
		if (!ts_ns(&now.it_value) != !ts_ns(&ptdef[i].set.it_value))
			fail("timer %s is %s", ptdef[i].name,
			     ts_ns(&now.it_value) ? "armed" : "disarmed");
	}
	/* the 1 s timer keeps ticking, with its value and id */
	k0 = n_tick;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		sleep_ms(50);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (n_tick == k0 && t.tv_sec - t0.tv_sec < 5);
	if (n_tick == k0)
		fail("no signal from the 1 s timer in 5 s");
	else if (tick_val != ptdef[1].sival || tick_id != ptid[1] || tick_bad)
		fail("the 1 s timer's signal has si_value %#lx, timer id %d%s",
		     (unsigned long)tick_val, tick_id, tick_bad ? ", not SI_TIMER" : "");
	snprintf(res, sz, "ids 1 3 4 5 6 (not 0 2), intervals exact, values at most those noted, disarmed one disarmed; the 1 s timer ticked (%d signals, si_value %#lx, timer id %d)",
		 (int)n_tick, (unsigned long)tick_val, tick_id);
}

/* ---- eventfd, eventfdsem, signalfd, timerfd, epoll ---- */

/* The value of "key" in /proc/self/fdinfo/FD (spaces trimmed), or "". */
static char *fdi(int fd, const char *key)
{
	char p[64], *all, *l, *e, *v;
	size_t kl = strlen(key);

	snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", fd);
	all = slurp(p, NULL);
	for (l = all; l && *l; l = e ? e + 1 : NULL) {
		e = strchr(l, '\n');
		if (e)
			*e = 0;
		if (!strncmp(l, key, kl)) {
			for (l += kl; *l == ' ' || *l == '\t'; l++)
				;
			v = strdup(l);
			free(all);
			return v;
		}
	}
	free(all);
	return strdup("");
}

static bool same_fdi(int fd, const char *key, const char *was, const char *name)
{
	char *now = fdi(fd, key);
	bool same = !strcmp(now, was);

	if (!same)
		fail("%s: fdinfo %s \"%s\", was \"%s\"", name, key, now, was);
	free(now);
	return same;
}

static void flags_are(int fd, int fl, const char *name)
{
	int f = fcntl(fd, F_GETFL);

	if (f != fl)
		fail("%s: flags %#o, were %#o", name, f, fl);
}

/* eventfd: 123456789012 O_NONBLOCK; 7 on two fds (one description); 0 O_APPEND */
#define NEFD 4
static int efd[NEFD], efl[NEFD];
static char *esem0;

static int eventfd_setup(void)
{
	uint64_t big = 123456789012ULL;
	int i;

	efd[0] = eventfd(0, EFD_NONBLOCK);
	efd[1] = eventfd(7, 0);
	efd[2] = dup(efd[1]);
	efd[3] = eventfd(0, EFD_NONBLOCK);
	if (efd[0] < 0 || efd[1] < 0 || efd[2] < 0 || efd[3] < 0 ||
	    write(efd[0], &big, sizeof(big)) != sizeof(big) ||
	    fcntl(efd[3], F_SETFL, O_NONBLOCK | O_APPEND))
		return 2;
	for (i = 0; i < NEFD; i++)
		efl[i] = fcntl(efd[i], F_GETFL);
	esem0 = fdi(efd[0], "eventfd-semaphore:");
	return 0;
}

static uint64_t efd_read(int fd, const char *name)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v)) {
		fail("%s: read: %s", name, strerror(errno));
		return 0;
	}
	return v;
}

static void efd_empty(int fd, const char *name)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) >= 0 || errno != EAGAIN)
		fail("%s: not empty (read gave %llu)", name, (unsigned long long)v);
}

static void eventfd_check(char *res, size_t sz)
{
	static const char *const name[NEFD] = { "big", "seven", "seven's dup", "zero" };
	char *id1 = fdi(efd[1], "eventfd-id:"), *id2 = fdi(efd[2], "eventfd-id:");
	char *id3 = fdi(efd[3], "eventfd-id:");
	uint64_t v;
	int i;

	for (i = 0; i < NEFD; i++) {
		flags_are(efd[i], efl[i], name[i]);
		same_fdi(efd[i], "eventfd-semaphore:", esem0, name[i]);
	}
	if (strcmp(id1, id2) || !strcmp(id1, id3))
		fail("eventfd ids %s %s %s: seven and its dup not one eventfd", id1, id2, id3);
	v = efd_read(efd[0], name[0]);
	if (v != 123456789012ULL)
		fail("big: read %llu", (unsigned long long)v);
	efd_empty(efd[0], name[0]);
	v = efd_read(efd[2], name[2]);
	if (v != 7)
		fail("seven: read %llu through its dup", (unsigned long long)v);
	if (fcntl(efd[1], F_SETFL, O_NONBLOCK) == 0)
		efd_empty(efd[1], name[1]);
	efd_empty(efd[3], name[3]);
	snprintf(res, sz, "counts 123456789012, 7 (one eventfd on two fds), 0; flags, not semaphores (\"%s\")",
		 esem0);
	free(id1);
	free(id2);
	free(id3);
}

/* eventfdsem: EFD_SEMAPHORE with 3: reads give 1, 1, 1, then EAGAIN */
static int esfd, esfl;

static int eventfdsem_setup(void)
{
	esfd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	if (esfd < 0)
		return 2;
	esfl = fcntl(esfd, F_GETFL);
	esem0 = fdi(esfd, "eventfd-semaphore:");
	return 0;
}

static void eventfdsem_check(char *res, size_t sz)
{
	int i;

	flags_are(esfd, esfl, "semaphore");
	same_fdi(esfd, "eventfd-semaphore:", esem0, "semaphore");
	for (i = 0; i < 3; i++) {
		uint64_t v = efd_read(esfd, "semaphore");

		if (v != 1)
			fail("semaphore: read %d gave %llu, not 1", i + 1, (unsigned long long)v);
	}
	efd_empty(esfd, "semaphore");
	snprintf(res, sz, "EFD_SEMAPHORE (fdinfo \"%s\"): 1, 1, 1, then empty", esem0);
}

/* signalfd: {USR1, USR2, 36} O_NONBLOCK with USR2 and 36 (value 77) pending; {TERM} */
static int sgfd[2], sgfl[2];
static char *sgmask0[2];

static int signalfd_setup(void)
{
	sigset_t a, b, all;
	union sigval sv = { .sival_int = 77 };
	int i;

	sigemptyset(&a);
	sigaddset(&a, SIGUSR1);
	sigaddset(&a, SIGUSR2);
	sigaddset(&a, 36);
	sigemptyset(&b);
	sigaddset(&b, SIGTERM);
	all = a;
	sigaddset(&all, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &all, NULL))
		return 2;
	sgfd[0] = signalfd(-1, &a, SFD_NONBLOCK);
	sgfd[1] = signalfd(-1, &b, 0);
	if (sgfd[0] < 0 || sgfd[1] < 0 || raise(SIGUSR2) || sigqueue(getpid(), 36, sv))
		return 2;
	for (i = 0; i < 2; i++) {
		sgfl[i] = fcntl(sgfd[i], F_GETFL);
		sgmask0[i] = fdi(sgfd[i], "sigmask:");
	}
	return 0;
}

static void signalfd_check(char *res, size_t sz)
{
	struct signalfd_siginfo si[3];
	ssize_t n;
	int i, got12 = 0, got36 = 0;

	for (i = 0; i < 2; i++) {
		flags_are(sgfd[i], sgfl[i], i ? "{TERM}" : "{USR1,USR2,36}");
		same_fdi(sgfd[i], "sigmask:", sgmask0[i], i ? "{TERM}" : "{USR1,USR2,36}");
	}
	for (i = 0; i < 3; i++) {
		n = read(sgfd[0], &si[i], sizeof(si[i]));
		if (n != sizeof(si[i]))
			break;
		if (si[i].ssi_signo == SIGUSR2)
			got12++;
		else if (si[i].ssi_signo == 36 && si[i].ssi_int == 77 && si[i].ssi_code == SI_QUEUE)
			got36++;
		else
			fail("read signal %u (value %d, code %d)", si[i].ssi_signo, si[i].ssi_int,
			     si[i].ssi_code);
	}
	if (got12 != 1 || got36 != 1 || i != 2 || errno != EAGAIN)
		fail("read SIGUSR2 %d times, 36 with its value %d times, then %s", got12, got36,
		     i == 3 ? "a third signal" : strerror(errno));
	snprintf(res, sz, "masks %s, %s; flags; SIGUSR2 and 36 (value 77) read, then empty",
		 sgmask0[0], sgmask0[1]);
}

/*
 * timerfd: MONOTONIC 1000 s every 500 s (O_NONBLOCK); REALTIME absolute
 * now + 2000 s; BOOTTIME 1 ms, expired (1 tick); MONOTONIC every 250 ms,
 * never read (expired, periods piling up); disarmed with a 3 s interval
 */
#define NTFD 5
static int tfd[NTFD], tfl[NTFD];
static struct itimerspec tv0[NTFD];
static char *tclock0[NTFD], *tflags0[NTFD];
static const char *const tname[NTFD] = { "monotonic", "realtime-abs", "expired", "250ms",
					 "disarmed" };

static int timerfd_setup(void)
{
	struct itimerspec set[NTFD] = {
		{ { 500, 0 }, { 1000, 0 } }, { { 0, 0 }, { 2000, 0 } },
		{ { 0, 0 }, { 0, 1000000 } }, { { 0, 250000000 }, { 0, 250000000 } },
		{ { 3, 0 }, { 0, 0 } },
	};
	static const int clk[NTFD] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME,
				       CLOCK_MONOTONIC, CLOCK_MONOTONIC };
	struct timespec now;
	int i;

	if (clock_gettime(CLOCK_REALTIME, &now))
		return 2;
	set[1].it_value.tv_sec += now.tv_sec;
	for (i = 0; i < NTFD; i++) {
		tfd[i] = timerfd_create(clk[i], i ? 0 : TFD_NONBLOCK);
		if (tfd[i] < 0 ||
		    timerfd_settime(tfd[i], i == 1 ? TFD_TIMER_ABSTIME : 0, &set[i], NULL))
			return 2;
	}
	/*
	 * the 1 ms one expires, the 250 ms one twice.  Not shorter: the
	 * checkpoint refuses a period it sees pass again while it records
	 * the timer, and a TCG vCPU held off for tens of ms did that to 20 ms
	 */
	sleep_ms(600);
	for (i = 0; i < NTFD; i++) {
		/* not the periodic one: timerfd_gettime() would read its periods */
		if (i != 3 && timerfd_gettime(tfd[i], &tv0[i]))
			return 2;
		tfl[i] = fcntl(tfd[i], F_GETFL);
		tclock0[i] = fdi(tfd[i], "clockid:");
		tflags0[i] = fdi(tfd[i], "settime flags:");
	}
	tv0[3] = set[3];
	return 0;
}

static void timerfd_check(char *res, size_t sz)
{
	struct itimerspec now[NTFD];
	uint64_t ticks[2] = { 0, 0 };
	char *t2 = fdi(tfd[2], "ticks:");
	int i;

	for (i = 0; i < NTFD; i++) {
		flags_are(tfd[i], tfl[i], tname[i]);
		same_fdi(tfd[i], "clockid:", tclock0[i], tname[i]);
		same_fdi(tfd[i], "settime flags:", tflags0[i], tname[i]);
	}
	if (strcmp(t2, "1"))
		fail("expired: %s ticks, not 1", t2);
	if (read(tfd[2], &ticks[0], 8) != 8 || ticks[0] != 1)
		fail("expired: read %llu", (unsigned long long)ticks[0]);
	if (read(tfd[3], &ticks[1], 8) != 8 || !ticks[1])
		fail("250ms: read %llu", (unsigned long long)ticks[1]);
	for (i = 0; i < NTFD; i++) {
		if (timerfd_gettime(tfd[i], &now[i])) {
			fail("%s: timerfd_gettime: %s", tname[i], strerror(errno));
			continue;
		}
		/*
		 * A periodic timer whose expiry passed before its interrupt
		 * ran reads 0 left (timerfd_get_remaining clamps); a slow
		 * guest shows it: look again, armed it will not stay at 0.
		 */
		for (int k = 0; i == 3 && !ts_ns(&now[i].it_value) && k < 5; k++) {
			sleep_ms(7);
			if (timerfd_gettime(tfd[i], &now[i]))
				break;
		}
		if (ts_ns(&now[i].it_interval) != ts_ns(&tv0[i].it_interval))
			fail("%s: interval %lld ns, was %lld", tname[i], ts_ns(&now[i].it_interval),
			     ts_ns(&tv0[i].it_interval));
		if (ts_ns(&now[i].it_value) > ts_ns(&tv0[i].it_value))
			fail("%s: %lld ns left, more than the %lld noted", tname[i],
			     ts_ns(&now[i].it_value), ts_ns(&tv0[i].it_value));
		if (!ts_ns(&now[i].it_value) != (i == 2 || i == 4))
			fail("%s is %s", tname[i], ts_ns(&now[i].it_value) ? "armed" : "disarmed");
	}
	snprintf(res, sz, "clocks, settime flags, flags; times at most those noted, intervals exact; expired one read 1, 250 ms one %llu periods and rearmed; disarmed one kept its interval",
		 (unsigned long long)ticks[1]);
	free(t2);
}

/*
 * epoll: E1 (O_NONBLOCK) watches pipe A's read end (IN, with data) and
 * its dup (IN|ET), a timerfd (IN|ET), a signalfd (IN), E2 (IN), and has
 * a fired EPOLLONESHOT entry on pipe B's write end; E2 (close-on-exec)
 * watches A's read end (IN|EXCLUSIVE) and B's read end (IN)
 */
static int ep[2], epfl[2], epa[2], epb[2], epa2, eptfd, epsfd;
static char *eps0[2];

/* "fd:events:data" of each entry of epoll FD, by fd */
static char *ep_entries(int fd)
{
	char p[64], *all, *l, *res = calloc(1, 8192);
	size_t n = 0;
	int lo = -1;

	snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", fd);
	all = slurp(p, NULL);
	if (!res)
		exit(3);
	for (;;) {	/* smallest fd above lo, again and again */
		int best = -1;
		unsigned int bev = 0;
		unsigned long long bdata = 0;

		for (l = all; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			int t;
			unsigned int ev;
			unsigned long long data;

			if (sscanf(l, "tfd: %d events: %x data: %llx", &t, &ev, &data) == 3 &&
			    t > lo && (best < 0 || t < best)) {
				best = t;
				bev = ev;
				bdata = data;
			}
		}
		if (best < 0)
			break;
		n += snprintf(res + n, 8192 - n, "%s%d:%x:%llx", n ? " " : "", best, bev, bdata);
		lo = best;
	}
	free(all);
	return res;
}

static int ep_add(int e, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events };

	ev.data.u64 = data;
	return epoll_ctl(e, EPOLL_CTL_ADD, fd, &ev);
}

static int epoll_setup(void)
{
	struct itimerspec its = { { 0, 0 }, { 3600, 0 } };
	struct epoll_event out;
	sigset_t m;
	int i;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	ep[0] = epoll_create1(0);
	ep[1] = epoll_create1(EPOLL_CLOEXEC);
	eptfd = timerfd_create(CLOCK_MONOTONIC, 0);
	if (ep[0] < 0 || ep[1] < 0 || eptfd < 0 || pipe(epa) || pipe(epb) ||
	    sigprocmask(SIG_BLOCK, &m, NULL) || timerfd_settime(eptfd, 0, &its, NULL))
		return 2;
	epsfd = signalfd(-1, &m, SFD_NONBLOCK);
	epa2 = dup(epa[0]);
	if (epsfd < 0 || epa2 < 0 || write(epa[1], "abc", 3) != 3 ||
	    fcntl(ep[0], F_SETFL, O_NONBLOCK))
		return 2;
	/* the EPOLLONESHOT entry first, alone, and fired */
	if (ep_add(ep[0], epb[1], EPOLLOUT | EPOLLONESHOT, 0xb0b0) ||
	    epoll_wait(ep[0], &out, 1, 0) != 1 || out.data.u64 != 0xb0b0)
		return 2;
	if (ep_add(ep[0], epa[0], EPOLLIN, 0x1111) ||
	    ep_add(ep[0], epa2, EPOLLIN | EPOLLET, 0x1112) ||
	    ep_add(ep[0], eptfd, EPOLLIN | EPOLLET, 0x2222) ||
	    ep_add(ep[0], epsfd, EPOLLIN, 0x3333) ||
	    ep_add(ep[0], ep[1], EPOLLIN, 0x4444) ||
	    ep_add(ep[1], epa[0], EPOLLIN | EPOLLEXCLUSIVE, 0x5555) ||
	    ep_add(ep[1], epb[0], EPOLLIN, 0x6666))
		return 2;
	for (i = 0; i < 2; i++) {
		epfl[i] = fcntl(ep[i], F_GETFL);
		eps0[i] = ep_entries(ep[i]);
	}
	return 0;
}

/* epoll_wait(E, 0 timeout): does it report the entry with data @d? */
static bool ep_has(int e, uint64_t d)
{
	struct epoll_event ev[16];
	int n = epoll_wait(e, ev, 16, 0), i;

	for (i = 0; i < n; i++)
		if (ev[i].data.u64 == d)
			return true;
	return false;
}

static void epoll_check(char *res, size_t sz)
{
	int i;

	for (i = 0; i < 2; i++) {
		char *now = ep_entries(ep[i]);

		flags_are(ep[i], epfl[i], i ? "E2" : "E1");
		if (strcmp(now, eps0[i]))
			fail("E%d's entries are [%s], were [%s]", i + 1, now, eps0[i]);
		free(now);
	}
	if (fcntl(ep[1], F_GETFD) != FD_CLOEXEC)
		fail("E2 is not close-on-exec");
	if (!ep_has(ep[0], 0x1111))
		fail("E1 does not report pipe A's data");
	if (ep_has(ep[0], 0xb0b0))
		fail("E1's fired EPOLLONESHOT entry fired again");
	if (ep_has(ep[0], 0x3333))
		fail("E1 reports a signal before one came");
	if (ep_has(ep[1], 0x6666))
		fail("E2 reports pipe B empty as readable");
	if (write(epb[1], "x", 1) != 1 || !ep_has(ep[1], 0x6666))
		fail("E2 does not report pipe B's byte");
	if (kill(getpid(), SIGUSR1) || !ep_has(ep[0], 0x3333))
		fail("E1 does not report SIGUSR1 on its signalfd");
	snprintf(res, sz, "E1 [%s], E2 [%s]; flags; ready as they were", eps0[0], eps0[1]);
}

/* ---- shmanon: shared anonymous memory ---- */

#define SHA_PAGES 4
static unsigned char *sha, *shb;
static uint64_t sha_count;
static char sha_maps0[2][256];

/* "perms path" of the /proc/self/maps line starting at @p */
static void maps_of(const void *p, char *out, size_t sz)
{
	char *m = slurp("/proc/self/maps", NULL), *line, *save;
	unsigned long lo;
	char perms[8], path[200];

	snprintf(out, sz, "(not mapped)");
	for (line = strtok_r(m, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		path[0] = 0;
		if (sscanf(line, "%lx-%*x %7s %*x %*x:%*x %*u %199[^\n]", &lo, perms, path) < 2 ||
		    lo != (unsigned long)p)
			continue;
		snprintf(out, sz, "%s %s", perms, path);
		break;
	}
	free(m);
}

static unsigned char sha_pat(size_t i, int k)
{
	return (unsigned char)(i * 7 + 3 * k + 1);
}

static int shmanon_setup(void)
{
	sha = mmap(NULL, SHA_PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shb = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sha == MAP_FAILED || shb == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < PG; i++) {
		sha[i] = sha_pat(i, 0);
		sha[2 * PG + i] = sha_pat(i, 2);
		shb[i] = sha_pat(i, 5);
	}
	memcpy(sha + 64, &sha_count, sizeof(sha_count));
	if (mprotect(shb, PG, PROT_READ))
		return 2;
	maps_of(sha, sha_maps0[0], sizeof(sha_maps0[0]));
	maps_of(shb, sha_maps0[1], sizeof(sha_maps0[1]));
	return 0;
}

/* while it waits: the counter in A's first page is what it wrote last */
static void shmanon_tick(void)
{
	uint64_t v;

	memcpy(&v, sha + 64, sizeof(v));
	if (v != sha_count && !failed[0])
		fail("the counter in shared memory is %llu, it wrote %llu",
		     (unsigned long long)v, (unsigned long long)sha_count);
	sha_count++;
	memcpy(sha + 64, &sha_count, sizeof(sha_count));
}

static void shmanon_check(char *res, size_t sz)
{
	unsigned char vec[SHA_PAGES];
	char now[256];
	uint64_t v;
	pid_t c;
	int st;

	/* first, before anything reads them: the holes are still holes */
	if (mincore(sha, SHA_PAGES * PG, vec))
		fail("mincore: %s", strerror(errno));
	else if ((vec[1] & 1) || (vec[3] & 1))
		fail("A's untouched pages 1 and 3 are there now (%d, %d)", vec[1] & 1, vec[3] & 1);
	for (int k = 0; k < 2; k++) {
		maps_of(k ? (void *)shb : (void *)sha, now, sizeof(now));
		if (strcmp(now, sha_maps0[k]))
			fail("%s is [%s] in /proc/self/maps, was [%s]", k ? "B" : "A", now,
			     sha_maps0[k]);
	}
	memcpy(&v, sha + 64, sizeof(v));
	if (v != sha_count)
		fail("the counter in shared memory is %llu, it wrote %llu",
		     (unsigned long long)v, (unsigned long long)sha_count);
	for (size_t i = 0; i < PG; i++) {
		if ((i < 64 || i >= 72) && sha[i] != sha_pat(i, 0)) {
			fail("A's page 0 differs at %zu", i);
			break;
		}
		if (sha[2 * PG + i] != sha_pat(i, 2) || sha[PG + i] || sha[3 * PG + i]) {
			fail("A's pages 1-3 differ at %zu", i);
			break;
		}
		if (shb[i] != sha_pat(i, 5)) {
			fail("B differs at %zu", i);
			break;
		}
	}
	/* still shared: a child's write is ours to see */
	c = fork();
	if (c == 0) {
		sha[2 * PG + 100] = 0xee;
		_exit(0);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || sha[2 * PG + 100] != 0xee)
		fail("a fork()ed child's write to A is not seen: not shared");
	snprintf(res, sz, "A [%s] counter %llu, B [%s]; contents, holes, shared",
		 sha_maps0[0], (unsigned long long)sha_count, sha_maps0[1]);
}

static const struct {
	const char *name;
	int (*setup)(void);
	void (*check)(char *res, size_t sz);
} modes[] = {
	{ "auxv", auxv_setup, auxv_check },
	{ "dumpable", dumpable_setup, dumpable_check },
	{ "undumpable", undumpable_setup, undumpable_check },
	{ "thp", thp_setup, thp_check },
	{ "madvise", madvise_setup, region_check },
	{ "mlock", mlock_setup, mlock_check },
	{ "fdflags", fdflags_setup, fdflags_check },
	{ "inheritnb", inheritnb_setup, inheritnb_check },
	{ "pipes", pipes_setup, pipes_check },
	{ "opath", opath_setup, opath_check },
	{ "exe", exe_setup, exe_check },
	{ "ghost", ghost_setup, ghost_check },
	{ "ghosttmp", ghosttmp_setup, ghosttmp_check },
	{ "ctty", ctty_setup, ctty_check },
	{ "ctty2", ctty2_setup, ctty_check },
	{ "cttybg", ctty_setup, cttybg_check },
	{ "itimers", itimers_setup, itimers_check },
	{ "posixtimers", posixtimers_setup, posixtimers_check },
	{ "fifo", fifo_setup, fifo_check },
	{ "fiforw", fiforw_setup, fiforw_check },
	{ "fifowr", fifowr_setup, fifowr_check },
	{ "fiford", fiford_setup, fiford_check },
	{ "fifopeer", fifopeer_setup, fifopeer_check },
	{ "eventfd", eventfd_setup, eventfd_check },
	{ "eventfdsem", eventfdsem_setup, eventfdsem_check },
	{ "signalfd", signalfd_setup, signalfd_check },
	{ "timerfd", timerfd_setup, timerfd_check },
	{ "epoll", epoll_setup, epoll_check },
	{ "shmanon", shmanon_setup, shmanon_check },
};

int main(int argc, char **argv)
{
	char res[4096] = "", line[8500], pid[32];
	const char *trigger;
	size_t i;
	int r;

	if (argc < 4) {
		fprintf(stderr, "usage: fid_prog MODE OUT TRIGGER\n");
		return 1;
	}
	mode = argv[1];
	out = argv[2];
	trigger = argv[3];
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(mode, modes[i].name))
			break;
	if (i == ARRAY_SIZE(modes)) {
		fprintf(stderr, "fid_prog: unknown mode %s\n", mode);
		return 1;
	}
	r = modes[i].setup();
	if (r)
		return r;
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	put(".ready", pid);
	while (access(trigger, F_OK)) {
		sleep_ms(20);
		if (modes[i].check == shmanon_check)
			shmanon_tick();	/* keeps writing it while it waits */
	}
	modes[i].check(res, sizeof(res));
	if (failed[0]) {
		snprintf(line, sizeof(line), "%s FAIL: %s\n", mode, failed);
		fputs(line, stderr);
	} else {
		snprintf(line, sizeof(line), "%s ok: %s\n", mode, res);
	}
	put("", line);
	return failed[0] ? 1 : 0;
}
