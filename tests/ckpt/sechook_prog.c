// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The deputy hook experiment's test program (lab scenario deputy-hook,
 * with tests/lab/testmod/om_lab_sechook.ko loaded; Documentation/
 * deputy-hooks.md).  Every check is its own command: it exits 0 when
 * every expectation held, else 1, printing what it saw.
 *
 *   sechook_prog gate        a marked task without seccomp is untouched;
 *                            the same task after installing a seccomp
 *                            filter gets its calls served (getppid magic,
 *                            getpid and time served, posted value read,
 *                            EINVAL/EFAULT error paths)
 *   sechook_prog unmarked    a forked child with the inherited filter
 *                            but no mark is untouched
 *   sechook_prog failsafe    the fail-safe filter (ERRNO(ENOSYS) for the
 *                            served calls): served while the ops is
 *                            registered, ENOSYS while it is not
 *   sechook_prog ia32        int $0x80 calls of a marked task are not
 *                            taken for 64-bit ones
 *   sechook_prog vsyscall    time() through the vsyscall page is served;
 *                            time() through the vDSO never enters the
 *                            kernel (noted)
 *   sechook_prog restart|eintr|stopcont|kill|killable|killable-kill
 *                            a forwarded read sleeping in the handler:
 *                            SA_RESTART handler -> restarted; handler
 *                            without -> EINTR; SIGSTOP/SIGCONT -> restarted;
 *                            SIGKILL ends it; a killable wait (pread64)
 *                            ignores a caught signal, ends on SIGKILL
 *   sechook_prog bench [N]   getpid cost: no seccomp; seccomp allow-all
 *                            without the ftrace ops; with it, not marked;
 *                            marked (served by the handler)
 *   sechook_prog unloadwait OUT  marked, waits in a forwarded read: the
 *                            module unload must end it with EIO (OUT
 *                            gets the result; OUT.ready when waiting)
 *
 * Never does a check leave the ops unregistered (failsafe, bench).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "om_lab_sechook.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		failed = 1;						\
	}								\
} while (0)

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int ctl_open(void)
{
	int fd = open(OM_SECHOOK_PROC, O_RDWR);

	if (fd < 0)
		die("open " OM_SECHOOK_PROC);
	return fd;
}

/* a command to the module: 0 or -errno */
static int ctl_cmd(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ctl_cmd(int fd, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(fd, buf, n) != n)
		return -errno;
	return 0;
}

static void ctl_mark(int fd)
{
	int r = ctl_cmd(fd, "mark %d", fd);

	if (r) {
		errno = -r;
		die("write \"mark FD\"");
	}
}

static void ctl_hook(int fd, int on)
{
	int r = ctl_cmd(fd, "hook %d", on);

	if (r) {
		errno = -r;
		die(on ? "write \"hook 1\"" : "write \"hook 0\"");
	}
}

static void ctl_post(int fd, uint64_t v)
{
	int r = ctl_cmd(fd, "post %llu", (unsigned long long)v);

	if (r) {
		errno = -r;
		die("write \"post N\"");
	}
}

/* the module's counter NAME, read through fd (never a marked fd) */
static long cnt(int fd, const char *name)
{
	char buf[512], *p;
	size_t l = strlen(name);
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		die("read the module's counters");
	buf[n] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, l) && p[l] == ' ')
			return strtol(p + l + 1, NULL, 10);
	printf("FAIL: no counter %s in:\n%s", name, buf);
	exit(1);
}

/* until counter NAME of fd is VAL (20 s) */
static int cnt_wait(int fd, const char *name, long val)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (cnt(fd, name) == val)
			return 1;
		nap_ms(10);
	}
	printf("timeout: %s is %ld, waited for %ld\n", name, cnt(fd, name), val);
	return 0;
}

static void seccomp_install(struct sock_filter *f, unsigned short len)
{
	struct sock_fprog prog = { .len = len, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("PR_SET_NO_NEW_PRIVS");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		die("seccomp(SECCOMP_SET_MODE_FILTER)");
}

static void seccomp_allow_all(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	seccomp_install(f, 1);
}

/*
 * The design's fail-safe: the calls the hook serves fail with ENOSYS
 * if the hook does not take them (ops not registered).
 */
static void seccomp_failsafe(int fd)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_time, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_read, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pread64, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)fd, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};

	seccomp_install(f, ARRAY_SIZE(f));
}

/* errno values 512..530 are the kernel's own: never seen by user space */
static void no_internal_errno(const char *what, long ret, int err)
{
	CHECK(!(ret == -1 && err >= 512), "%s: kernel-internal errno %d reached user space",
	      what, err);
}

static long real_ppid;

/* a marked task without seccomp, then with it */
static int t_gate(void)
{
	int ctl = ctl_open(), st = ctl_open();
	long g0, p0, t0, r0, v;
	time_t t = 0;
	char buf[64];
	uint64_t val = 0;
	pid_t pid = getpid();

	ctl_mark(ctl);
	g0 = cnt(st, "getpid");
	p0 = cnt(st, "getppid");
	t0 = cnt(st, "time");
	r0 = cnt(st, "read");
	/* no seccomp: __secure_computing() is never called */
	CHECK(syscall(SYS_getppid) == real_ppid, "no seccomp: getppid %ld", syscall(SYS_getppid));
	CHECK(syscall(SYS_getpid) == pid, "no seccomp: getpid");
	v = syscall(SYS_time, NULL);
	CHECK(v != OM_SECHOOK_MAGIC_TIME && v > 1000000000, "no seccomp: time %ld", v);
	v = read(ctl, buf, sizeof(buf));
	CHECK(v > 5 && !strncmp(buf, "hook ", 5), "no seccomp: read of the control file %ld", v);
	CHECK(cnt(st, "getpid") == g0 && cnt(st, "getppid") == p0 && cnt(st, "time") == t0 &&
	      cnt(st, "read") == r0, "no seccomp: the handler was entered");

	seccomp_allow_all();
	v = syscall(SYS_getppid);
	CHECK(v == OM_SECHOOK_MAGIC_PPID, "seccomp: getppid %ld, want the magic %d", v,
	      OM_SECHOOK_MAGIC_PPID);
	CHECK(cnt(st, "getppid") == p0 + 1, "seccomp: getppid not counted");
	CHECK(syscall(SYS_getpid) == pid, "seccomp: served getpid is not the pid");
	CHECK(cnt(st, "getpid") == g0 + 1, "seccomp: getpid not served");
	v = syscall(SYS_time, &t);
	CHECK(v == OM_SECHOOK_MAGIC_TIME && t == OM_SECHOOK_MAGIC_TIME,
	      "seccomp: time %ld (*tloc %ld)", v, (long)t);
	CHECK(cnt(st, "time") == t0 + 1, "seccomp: time not counted");
	errno = 0;
	v = syscall(SYS_time, (void *)8);
	CHECK(v == -1 && errno == EFAULT, "time(bad tloc): %ld errno %d", v, errno);
	/* a forwarded read with a posted value does not sleep */
	ctl_post(st, 0x1122334455667788ULL);
	v = syscall(SYS_read, ctl, &val, sizeof(val));
	CHECK(v == 8 && val == 0x1122334455667788ULL, "posted read: %ld %#llx", v,
	      (unsigned long long)val);
	CHECK(cnt(st, "read") == r0 + 1 && cnt(st, "posted") == 0, "posted read not served");
	/* error paths: a short buffer (before any wait), a bad buffer */
	ctl_post(st, 7);
	errno = 0;
	v = syscall(SYS_read, ctl, &val, 4);
	CHECK(v == -1 && errno == EINVAL, "short read: %ld errno %d", v, errno);
	CHECK(cnt(st, "posted") == 1, "short read consumed the value");
	errno = 0;
	v = syscall(SYS_read, ctl, NULL, 8);
	CHECK(v == -1 && errno == EFAULT, "read to NULL: %ld errno %d", v, errno);
	CHECK(cnt(st, "posted") == 0, "read to NULL left the value");
	/* other calls, and other fds' reads, are not taken */
	v = read(st, buf, sizeof(buf));
	CHECK(v > 5 && !strncmp(buf, "hook ", 5), "read of another fd: %ld", v);
	CHECK(cnt(st, "read") == r0 + 3, "read counter %ld, want %ld", cnt(st, "read"), r0 + 3);
	return failed;
}

/* a child with the inherited filter, not marked, while its parent is */
static int t_unmarked(void)
{
	int ctl = ctl_open(), st = ctl_open(), status;
	long p0, g0, t0, r0;
	pid_t child, me = getpid();

	ctl_mark(ctl);
	seccomp_allow_all();
	CHECK(syscall(SYS_getppid) == OM_SECHOOK_MAGIC_PPID, "the marked parent is not served");
	p0 = cnt(st, "getppid");
	g0 = cnt(st, "getpid");
	t0 = cnt(st, "time");
	r0 = cnt(st, "read");
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		char buf[64];
		long v;

		CHECK(syscall(SYS_getppid) == me, "child: getppid %ld, want %d",
		      syscall(SYS_getppid), me);
		CHECK(syscall(SYS_getpid) == getpid(), "child: getpid");
		v = syscall(SYS_time, NULL);
		CHECK(v != OM_SECHOOK_MAGIC_TIME && v > 1000000000, "child: time %ld", v);
		/* the parent's marked fd, inherited: a plain read here */
		v = read(ctl, buf, sizeof(buf));
		CHECK(v > 5 && !strncmp(buf, "hook ", 5), "child: read of the fd %ld", v);
		_exit(failed);
	}
	if (waitpid(child, &status, 0) != child)
		die("waitpid");
	CHECK(WIFEXITED(status) && !WEXITSTATUS(status), "the child failed (status %#x)", status);
	CHECK(cnt(st, "getppid") == p0 && cnt(st, "getpid") == g0 && cnt(st, "time") == t0 &&
	      cnt(st, "read") == r0, "the handler was entered for the unmarked child");
	return failed;
}

static int t_failsafe(void)
{
	int ctl = ctl_open(), st = ctl_open();
	uint64_t val;
	long v;

	ctl_mark(ctl);
	seccomp_failsafe(ctl);
	v = syscall(SYS_getppid);
	CHECK(v == OM_SECHOOK_MAGIC_PPID, "ops registered: getppid %ld (the hook runs first)", v);
	ctl_hook(st, 0);
	errno = 0;
	v = syscall(SYS_getppid);
	CHECK(v == -1 && errno == ENOSYS, "no ops: getppid %ld errno %d, want ENOSYS", v, errno);
	errno = 0;
	v = syscall(SYS_time, NULL);
	CHECK(v == -1 && errno == ENOSYS, "no ops: time %ld errno %d", v, errno);
	errno = 0;
	v = syscall(SYS_read, ctl, &val, sizeof(val));
	CHECK(v == -1 && errno == ENOSYS, "no ops: forwarded read %ld errno %d", v, errno);
	CHECK(syscall(SYS_getpid) == getpid(), "no ops: getpid");
	ctl_hook(st, 1);
	v = syscall(SYS_getppid);
	CHECK(v == OM_SECHOOK_MAGIC_PPID, "ops registered again: getppid %ld", v);
	return failed;
}

static long int80(long nr)
{
	long ret;

	/* no arguments: ebx 0 (iopl(0) for 110) */
	asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(0L)
		     : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}

static int t_ia32(void)
{
	int ctl = ctl_open(), st = ctl_open();
	long p0, t0, v;

	ctl_mark(ctl);
	seccomp_allow_all();
	CHECK(syscall(SYS_getppid) == OM_SECHOOK_MAGIC_PPID, "64-bit getppid not served");
	p0 = cnt(st, "getppid");
	t0 = cnt(st, "time");
	/* i386 64 is getppid */
	v = int80(64);
	CHECK(v == real_ppid, "int $0x80 getppid: %ld, want %ld", v, real_ppid);
	/* i386 201 is geteuid32, x86_64 201 is time (served) */
	v = int80(201);
	CHECK(v == (long)geteuid(), "int $0x80 201 (geteuid32): %ld", v);
	/* i386 110 is iopl, x86_64 110 getppid (served); iopl(0) is harmless */
	v = int80(110);
	CHECK(v != OM_SECHOOK_MAGIC_PPID, "int $0x80 110 (iopl) served as getppid");
	CHECK(cnt(st, "getppid") == p0 && cnt(st, "time") == t0,
	      "the handler was entered for a 32-bit call");
	return failed;
}

static int vsyscall_mapped(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		die("/proc/self/maps");
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vsyscall]"))
			found = 1;
	fclose(f);
	return found;
}

static int t_vsyscall(void)
{
	typedef long (*vtime_fn)(long *);
	vtime_fn vtime = (vtime_fn)0xffffffffff600400UL;
	int ctl = ctl_open(), st = ctl_open();
	long t0, v, tl = 0;
	time_t vt;

	ctl_mark(ctl);
	seccomp_allow_all();
	t0 = cnt(st, "time");
	/* the vDSO: never enters the kernel, so no hook can see it */
	vt = time(NULL);
	CHECK(vt != OM_SECHOOK_MAGIC_TIME && vt > 1000000000, "vDSO time(): %ld", (long)vt);
	CHECK(cnt(st, "time") == t0, "vDSO time() entered the handler");
	printf("note: vDSO time() = %ld, the node's clock: the vDSO does not enter the kernel, "
	       "the hook cannot see it (served locally)\n", (long)vt);
	if (!vsyscall_mapped()) {
		printf("FAIL: no [vsyscall] mapping: boot with vsyscall=xonly (the scenario asks)\n");
		return 1;
	}
	/* the vsyscall page: emulate_vsyscall() calls secure_computing() */
	v = vtime(&tl);
	CHECK(v == OM_SECHOOK_MAGIC_TIME && tl == OM_SECHOOK_MAGIC_TIME,
	      "vsyscall time(): %ld (*tloc %ld)", v, tl);
	CHECK(cnt(st, "time") == t0 + 1, "vsyscall time() not counted");
	printf("note: vsyscall time() = %#lx: the vsyscall emulation goes through the hook\n", v);
	return failed;
}

/* --- a forwarded read sleeping in the handler, and signals --- */

static volatile sig_atomic_t sigs;

static void on_usr1(int sig)
{
	(void)sig;
	sigs++;
}

struct res {
	long ret;
	int err;
	int sigs;
	uint64_t val;
};

enum wmode { W_RESTART, W_EINTR, W_NOHANDLER, W_KILLABLE };

/* child: marked, seccomp, handler per mode, one forwarded read -> pipe */
static pid_t sleeper(enum wmode mode, int *rfd)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		int ctl = ctl_open();
		struct res r = { 0 };

		close(p[0]);
		if (mode == W_RESTART)
			sa.sa_flags = SA_RESTART;
		if (mode != W_NOHANDLER && sigaction(SIGUSR1, &sa, NULL))
			die("sigaction");
		ctl_mark(ctl);
		seccomp_allow_all();
		errno = 0;
		if (mode == W_KILLABLE)
			r.ret = syscall(SYS_pread64, ctl, &r.val, sizeof(r.val), 0);
		else
			r.ret = syscall(SYS_read, ctl, &r.val, sizeof(r.val));
		r.err = errno;
		r.sigs = sigs;
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

/* the child's result (20 s); 0 if none */
static int sleeper_result(pid_t pid, int rfd, struct res *r)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	int status, ok = 0;

	if (poll(&pfd, 1, 20000) == 1 && read(rfd, r, sizeof(*r)) == sizeof(*r))
		ok = 1;
	else
		printf("FAIL: no result from the sleeping child\n");
	if (!ok)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(rfd);
	if (ok)
		printf("child: ret %ld errno %d value %#llx handler ran %d time(s)\n",
		       r->ret, r->err, (unsigned long long)r->val, r->sigs);
	return ok;
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* SIGKILL ends a sleeping forwarded read; 0 if it did (10 s) */
static int killed_by_sigkill(pid_t pid)
{
	int status = 0, i;
	pid_t w = 0;

	kill(pid, SIGKILL);
	for (i = 0; i < 1000 && !(w = waitpid(pid, &status, WNOHANG)); i++)
		nap_ms(10);
	if (w != pid) {
		printf("FAIL: not ended by SIGKILL within 10 s\n");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		printf("FAIL: status %#x, want killed by SIGKILL\n", status);
		return 1;
	}
	return 0;
}

static int t_sleep(const char *what)
{
	const uint64_t val = 0x4f4d000000000001ULL;
	int st = ctl_open(), rfd;
	enum wmode mode;
	long r0, p0, i0;
	struct res r;
	pid_t pid;

	if (!strcmp(what, "restart"))
		mode = W_RESTART;
	else if (!strcmp(what, "eintr"))
		mode = W_EINTR;
	else if (!strcmp(what, "stopcont") || !strcmp(what, "kill"))
		mode = W_NOHANDLER;
	else
		mode = W_KILLABLE;
	if (cnt(st, "waiters") || cnt(st, "posted")) {
		printf("FAIL: the module has waiters or a posted value already\n");
		return 1;
	}
	pid = sleeper(mode, &rfd);
	if (!cnt_wait(st, "waiters", 1)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	r0 = cnt(st, "read");
	p0 = cnt(st, "pread");
	i0 = cnt(st, "interrupted");
	printf("the child sleeps in the handler (%s)\n", mode == W_KILLABLE ?
	       "pread64, killable" : "read, interruptible");

	if (!strcmp(what, "kill") || !strcmp(what, "killable-kill")) {
		close(rfd);
		if (killed_by_sigkill(pid))
			return 1;
		CHECK(cnt_wait(st, "waiters", 0), "a waiter is left");
		return failed;
	}
	if (mode == W_RESTART || mode == W_EINTR || mode == W_KILLABLE)
		kill(pid, SIGUSR1);
	if (mode == W_RESTART) {
		/* interrupted, then re-entered: the call was restarted */
		CHECK(cnt_wait(st, "interrupted", i0 + 1), "not interrupted");
		CHECK(cnt_wait(st, "read", r0 + 1), "not restarted (handler not re-entered)");
		CHECK(cnt_wait(st, "waiters", 1), "not waiting again");
	} else if (mode == W_EINTR) {
		CHECK(cnt_wait(st, "interrupted", i0 + 1), "not interrupted");
	} else if (mode == W_NOHANDLER) {
		int i;

		kill(pid, SIGSTOP);
		for (i = 0; i < 2000 && proc_state(pid) != 'T'; i++)
			nap_ms(10);
		CHECK(proc_state(pid) == 'T', "not stopped: state %c", proc_state(pid));
		CHECK(cnt(st, "interrupted") == i0 + 1, "SIGSTOP did not wake the wait");
		kill(pid, SIGCONT);
		CHECK(cnt_wait(st, "read", r0 + 1), "not restarted after SIGCONT");
		CHECK(cnt_wait(st, "waiters", 1), "not waiting again after SIGCONT");
	} else {
		/* killable: a caught signal does not end the wait */
		nap_ms(500);
		CHECK(cnt(st, "waiters") == 1 && cnt(st, "interrupted") == i0 &&
		      cnt(st, "pread") == p0, "a caught signal ended a killable wait");
		CHECK(proc_state(pid) == 'D', "state %c, want D (killable)", proc_state(pid));
	}
	if (mode != W_EINTR)
		ctl_post(st, val);
	if (!sleeper_result(pid, rfd, &r))
		return 1;
	no_internal_errno(what, r.ret, r.err);
	if (mode == W_EINTR) {
		CHECK(r.ret == -1 && r.err == EINTR, "want -1 EINTR");
		CHECK(cnt(st, "read") == r0, "restarted without SA_RESTART");
	} else {
		CHECK(r.ret == 8 && r.val == val, "want 8 bytes %#llx", (unsigned long long)val);
	}
	CHECK(r.sigs == (mode == W_NOHANDLER ? 0 : 1), "the signal handler ran %d times",
	      r.sigs);
	CHECK(cnt(st, "waiters") == 0 && cnt(st, "posted") == 0, "waiters or a value left");
	return failed;
}

/* --- cost --- */

static double getpid_ns(long n)
{
	struct timespec a, b;
	double best = 0, ns;
	long i;
	int round;

	for (i = 0; i < 1000; i++)
		syscall(SYS_getpid);
	for (round = 0; round < 5; round++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (i = 0; i < n / 5; i++)
			syscall(SYS_getpid);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (n / 5);
		if (!round || ns < best)
			best = ns;
	}
	return best;
}

/* one case in a child (seccomp stays with it): ns/call, < 0 on error */
static double bench_case(long n, int filter, int marked)
{
	double ns = -1;
	int p[2], status;
	pid_t pid;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(p[0]);
		if (marked)
			ctl_mark(ctl_open());
		if (filter)
			seccomp_allow_all();
		ns = getpid_ns(n);
		if (write(p[1], &ns, sizeof(ns)) != sizeof(ns))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(p[0]);
	waitpid(pid, &status, 0);
	return ns;
}

static int t_bench(long n)
{
	static const char *const what[4] = {
		"no seccomp",
		"seccomp allow-all, no ftrace ops",
		"seccomp, ops registered, not marked",
		"seccomp, marked: handler serves it",
	};
	int st = ctl_open(), me = ctl_open(), i;
	double ns[4];
	long g0;

	if (n < 5)
		n = 5;
	ns[0] = bench_case(n, 0, 0);
	ctl_hook(st, 0);
	ns[1] = bench_case(n, 1, 0);
	ctl_hook(st, 1);
	/* a marked task exists (this one; without seccomp it is never hooked) */
	ctl_mark(me);
	ns[2] = bench_case(n, 1, 0);
	g0 = cnt(st, "getpid");
	ns[3] = bench_case(n, 1, 1);
	CHECK(cnt(st, "getpid") - g0 >= n, "marked case: %ld getpid served, want >= %ld",
	      cnt(st, "getpid") - g0, n);
	printf("bench: getpid, %ld calls per case, best of 5 rounds (timings are not checked)\n",
	       n);
	for (i = 0; i < 4; i++) {
		CHECK(ns[i] > 0, "case %d failed", i + 1);
		printf("bench: (%d) %-38s %9.1f ns/call  x%.2f\n", i + 1, what[i], ns[i],
		       ns[0] > 0 ? ns[i] / ns[0] : 0);
	}
	printf("bench: ops cost for a seccomp task not marked (3)-(2): %+.1f ns/call\n",
	       ns[2] - ns[1]);
	return failed;
}

static int t_unloadwait(const char *out)
{
	char ready[4096];
	uint64_t val = 0;
	int ctl = ctl_open(), fd, err;
	FILE *f;
	long v;

	ctl_mark(ctl);
	seccomp_allow_all();
	snprintf(ready, sizeof(ready), "%s.ready", out);
	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(ready);
	close(fd);
	errno = 0;
	v = syscall(SYS_read, ctl, &val, sizeof(val));
	err = errno;
	f = fopen(out, "w");
	if (!f)
		die(out);
	fprintf(f, "read %ld errno %d\n", v, err);
	fclose(f);
	return !(v == -1 && err == EIO);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	real_ppid = getppid();
	if (!strcmp(cmd, "gate"))
		return t_gate();
	if (!strcmp(cmd, "unmarked"))
		return t_unmarked();
	if (!strcmp(cmd, "failsafe"))
		return t_failsafe();
	if (!strcmp(cmd, "ia32"))
		return t_ia32();
	if (!strcmp(cmd, "vsyscall"))
		return t_vsyscall();
	if (!strcmp(cmd, "restart") || !strcmp(cmd, "eintr") || !strcmp(cmd, "stopcont") ||
	    !strcmp(cmd, "kill") || !strcmp(cmd, "killable") || !strcmp(cmd, "killable-kill"))
		return t_sleep(cmd);
	if (!strcmp(cmd, "bench"))
		return t_bench(argc > 2 ? atol(argv[2]) : 100000);
	if (!strcmp(cmd, "unloadwait") && argc > 2)
		return t_unloadwait(argv[2]);
	fprintf(stderr, "usage: sechook_prog gate|unmarked|failsafe|ia32|vsyscall|restart|eintr|"
		"stopcont|kill|killable|killable-kill|bench [N]|unloadwait OUT\n");
	return 2;
}
