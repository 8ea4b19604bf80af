// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Unit tests for om_systab: classification, marshal -> layout -> the
 * call -> collect -> unmarshal round trips, rejection of bad requests
 * and replies, and the generated table of Documentation/
 * syscall-forwarding.md.
 *
 *   test_systab [DOC]   DOC: the document to compare with the generator
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include "tap.h"
#include "harness.h"
#include "tests.h"

int tap_n, tap_fail;

#define UBASE	0x10000000ULL		/* the guest's fake memory */
#define SBASE	0x7f0000000000ULL	/* the deputy's scratch area */

static u8 umem[4 << 20];
static u8 scratch[OM_SYS_SCRATCH_SIZE];
static u8 data[OM_SYS_MAX_IO];
static struct om_sys_req rq;
static struct om_sys_plan plan;
static struct om_sys_copy cps[OM_SYS_MAX_COPIES];
static struct fake_mem guest = { UBASE, umem, sizeof(umem), 0 };
static struct om_sys_umem um;
static size_t ubrk;
static int fn_ok;	/* the fake call's own checks */
static int rt_ok;	/* the round trip's checks */
static int rt_ncp;	/* copies the last round trip made */

/* ---- guest memory ---- */

static u8 *U(u64 a)
{
	return umem + (a - UBASE);
}

/* the scratch area as the deputy's kernel sees it */
static u8 *S(u64 a)
{
	if (a < SBASE || a - SBASE >= plan.used)
		return NULL;
	return scratch + (a - SBASE);
}

static void ureset(void)
{
	ubrk = 0;
	memset(umem, 0x11, sizeof(umem));
}

static u64 ualloc(size_t n)
{
	u64 a = UBASE + ubrk;

	ubrk = (ubrk + n + 15) & ~(size_t)15;
	return a;
}

static u64 uput(const void *p, size_t n)
{
	u64 a = ualloc(n);

	memcpy(U(a), p, n);
	return a;
}

static u64 ustr(const char *s)
{
	return uput(s, strlen(s) + 1);
}

static void fn_expect(int cond)
{
	if (!cond)
		fn_ok = 0;
}

/* ---- one forwarded call, both sides ---- */

typedef s64 (*fake_call)(const u64 a[6]);

static const struct om_sys_bdesc *ptr_arg(const struct om_sys_desc *d,
					  unsigned int k)
{
	unsigned int i;

	for (i = 0; i < d->nbuf; i++)
		if (d->buf[i].arg == k)
			return &d->buf[i];
	return NULL;
}

/*
 * Marshal args from the guest's memory, lay the request out in scratch,
 * copy the IN spans, run fn on the rewritten args, collect, unmarshal
 * the reply and apply the copies to the guest's memory.  0 or the first
 * error; rt_ok says whether the checks on the way held.
 */
static int roundtrip(u64 nr, const u64 args[6], fake_call fn, s64 *retp)
{
	struct om_sys_out outs[OM_SYS_MAX_BUFS];
	struct om_sys_buf rb[OM_SYS_MAX_BUFS];
	const struct om_sys_desc *d;
	unsigned int i, n;
	int err, ncp;
	s64 ret;

	rt_ok = 1;
	fn_ok = 1;
	rt_ncp = -1;
	fake_umem(&um, &guest);
	if (om_sys_classify(nr, args, &d) != OM_SYS_FORWARD)
		return -1000;
	err = om_sys_marshal(d, args, &um, &rq, data, sizeof(data));
	if (err)
		return err;
	err = om_sys_layout(nr, rq.args, rq.buf, rq.nbuf, SBASE,
			    sizeof(scratch), &plan);
	if (err)
		return err;
	TAP_EXPECT(rt_ok, plan.used <= sizeof(scratch));
	memset(scratch, 0xee, plan.used);
	for (i = 0; i < plan.nin; i++) {
		TAP_EXPECT(rt_ok, (u64)plan.in[i].off + plan.in[i].len <=
				  plan.used);
		memcpy(scratch + plan.in[i].off, plan.in[i].src,
		       plan.in[i].len);
	}
	/* pointers into scratch, NULL stays NULL, the rest unchanged */
	for (i = 0; i < 6; i++) {
		const struct om_sys_bdesc *bd = ptr_arg(d, i);

		if (!bd)
			TAP_EXPECT(rt_ok, plan.args[i] == rq.args[i]);
		else if (!rq.args[i] && (bd->flags & OM_SYS_BF_NULLOK))
			TAP_EXPECT(rt_ok, !plan.args[i]);
		else
			TAP_EXPECT(rt_ok, S(plan.args[i]));
	}
	ret = fn(plan.args);
	*retp = ret;
	n = om_sys_collect(&plan, ret, outs);
	for (i = 0; i < n; i++) {
		TAP_EXPECT(rt_ok, (u64)outs[i].off + outs[i].len <= plan.used);
		rb[i].arg = outs[i].arg;
		rb[i].dir = OM_SYS_OUT;
		rb[i].niov = 0;
		rb[i].len = outs[i].len;
		rb[i].data = scratch + outs[i].off;
	}
	ncp = om_sys_unmarshal_reply(&rq, ret, rb, n, cps, ARRAY_SIZE(cps));
	if (ncp < 0)
		return ncp;
	for (i = 0; i < (unsigned int)ncp; i++) {
		u8 *p = fake_ptr(&guest, cps[i].uaddr, cps[i].len);

		TAP_EXPECT(rt_ok, p);
		if (p)
			memcpy(p, cps[i].src, cps[i].len);
	}
	rt_ncp = ncp;
	TAP_EXPECT(rt_ok, fn_ok);
	return 0;
}

static void args6(u64 a[6], u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	a[0] = a0;
	a[1] = a1;
	a[2] = a2;
	a[3] = a3;
	a[4] = a4;
	a[5] = a5;
}

static int all_bytes(const u8 *p, int v, size_t n)
{
	while (n--)
		if (*p++ != v)
			return 0;
	return 1;
}

static void pattern(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
}

static int is_pattern(const u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 7))
			return 0;
	return 1;
}

/* ---- classification ---- */

struct nrname {
	u64 nr;
	const char *name;
};

#define NR(n)	{ __NR_##n, #n }

static const struct nrname local_calls[] = {
	NR(munmap), NR(mprotect), NR(brk), NR(madvise), NR(mremap),
	NR(msync), NR(mlock), NR(munlock), NR(clock_gettime),
	NR(clock_getres), NR(clock_nanosleep), NR(gettimeofday), NR(time),
	NR(nanosleep), NR(sched_yield), NR(rt_sigaction),
	NR(rt_sigprocmask), NR(rt_sigreturn), NR(restart_syscall),
	NR(rt_sigpending),
	NR(rt_sigtimedwait), NR(rt_sigsuspend), NR(pause), NR(sigaltstack),
	NR(alarm), NR(setitimer), NR(getitimer),
	NR(timer_settime), NR(timer_gettime), NR(timer_getoverrun),
	NR(timer_delete), NR(exit), NR(exit_group), NR(getrandom),
	NR(arch_prctl), NR(set_tid_address), NR(set_robust_list),
	NR(get_robust_list), NR(rseq), NR(sched_getaffinity), NR(getcpu),
};

static const struct nrname forward_calls[] = {
	NR(read), NR(write), NR(pread64), NR(pwrite64), NR(readv),
	NR(writev), NR(preadv), NR(pwritev), NR(preadv2), NR(pwritev2),
	NR(lseek), NR(fstat), NR(newfstatat), NR(stat), NR(lstat),
	NR(statx), NR(fsync), NR(fdatasync), NR(ftruncate), NR(close),
	NR(close_range), NR(dup), NR(dup2), NR(dup3), NR(poll), NR(ppoll),
	NR(select), NR(pselect6), NR(open), NR(openat), NR(openat2),
	NR(creat), NR(access), NR(faccessat), NR(faccessat2), NR(readlink),
	NR(readlinkat), NR(getcwd), NR(chdir), NR(fchdir), NR(unlink),
	NR(unlinkat), NR(mkdir), NR(mkdirat), NR(rmdir), NR(rename),
	NR(renameat), NR(renameat2), NR(symlink), NR(symlinkat), NR(link),
	NR(linkat), NR(chmod), NR(fchmod), NR(fchmodat), NR(chown),
	NR(fchown), NR(lchown), NR(fchownat), NR(utimensat), NR(truncate),
	NR(umask), NR(getdents64), NR(getpid), NR(getppid), NR(gettid),
	NR(getuid), NR(geteuid), NR(getgid), NR(getegid), NR(getresuid),
	NR(getresgid), NR(getgroups), NR(getpgrp), NR(getpgid), NR(getsid),
	NR(setpgid), NR(setsid), NR(kill), NR(tkill), NR(tgkill),
	NR(rt_sigqueueinfo), NR(wait4), NR(waitid), NR(pipe), NR(pipe2),
	NR(uname), NR(sysinfo), NR(statfs), NR(fstatfs),
};

static const struct nrname home_calls[] = {
	NR(clone), NR(clone3), NR(fork), NR(vfork), NR(execve), NR(timer_create),
	NR(execveat), NR(ptrace), NR(io_uring_setup), NR(io_uring_enter),
	NR(io_uring_register), NR(shmget), NR(shmat), NR(shmctl), NR(shmdt),
	NR(socket), NR(socketpair), NR(connect), NR(accept), NR(accept4),
	NR(bind), NR(listen), NR(sendto), NR(recvfrom), NR(sendmsg),
	NR(recvmsg), NR(sendmmsg), NR(recvmmsg), NR(shutdown),
	NR(getsockname), NR(getpeername), NR(setsockopt), NR(getsockopt),
	/* not in the table at all */
	NR(epoll_create1), NR(eventfd2), NR(setuid), NR(mount),
	NR(process_vm_readv), NR(userfaultfd), NR(memfd_create),
};

static int class_of(u64 nr, u64 a1, u64 a3)
{
	u64 a[6] = { 0, a1, 0, a3, 0, 0 };

	return om_sys_classify(nr, a, NULL);
}

static void check_list(const struct nrname *l, size_t n, int cls,
		       const char *what)
{
	const struct om_sys_desc *d;
	u64 a[6] = { 0 };
	size_t i;
	int ok = 1;

	for (i = 0; i < n; i++) {
		if ((int)om_sys_classify(l[i].nr, a, &d) != cls) {
			printf("#   %s is not %s\n", l[i].name, what);
			ok = 0;
		}
		/* the table's own name for it */
		if (cls != OM_SYS_HOME || d)
			TAP_EXPECT(ok, d && !strcmp(d->name, l[i].name) &&
					   d->nr == l[i].nr);
	}
	TAP_CHECK(ok, "classify: the %zu %s calls", n, what);
}

struct ioctl_case {
	u32 cmd;
	const char *name;
	int dir;	/* 0: no buffer */
	u32 size;
};

static void test_classify(void)
{
	static const struct ioctl_case ioctls[] = {
		{ TCGETS, "TCGETS", OM_SYS_OUT, 36 },
		{ TCSETS, "TCSETS", OM_SYS_IN, 36 },
		{ TCSETSW, "TCSETSW", OM_SYS_IN, 36 },
		{ TCSETSF, "TCSETSF", OM_SYS_IN, 36 },
		{ TIOCGWINSZ, "TIOCGWINSZ", OM_SYS_OUT, 8 },
		{ TIOCSWINSZ, "TIOCSWINSZ", OM_SYS_IN, 8 },
		{ TIOCGPGRP, "TIOCGPGRP", OM_SYS_OUT, 4 },
		{ TIOCSPGRP, "TIOCSPGRP", OM_SYS_IN, 4 },
		{ TIOCGSID, "TIOCGSID", OM_SYS_OUT, 4 },
		{ FIONREAD, "FIONREAD", OM_SYS_OUT, 4 },
		{ FIONBIO, "FIONBIO", OM_SYS_IN, 4 },
		{ TCFLSH, "TCFLSH", 0, 0 },
		{ TCXONC, "TCXONC", 0, 0 },
		{ TIOCOUTQ, "TIOCOUTQ", OM_SYS_OUT, 4 },
		{ FIOCLEX, "FIOCLEX", 0, 0 },
		{ FIONCLEX, "FIONCLEX", 0, 0 },
	};
	static const struct ioctl_case fcntls[] = {
		{ F_DUPFD, "F_DUPFD", 0, 0 },
		{ F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC", 0, 0 },
		{ F_GETFD, "F_GETFD", 0, 0 },
		{ F_SETFD, "F_SETFD", 0, 0 },
		{ F_GETFL, "F_GETFL", 0, 0 },
		{ F_SETFL, "F_SETFL", 0, 0 },
		{ F_GETLK, "F_GETLK", OM_SYS_INOUT, 32 },
		{ F_SETLK, "F_SETLK", OM_SYS_IN, 32 },
		{ F_SETLKW, "F_SETLKW", OM_SYS_IN, 32 },
		{ F_OFD_GETLK, "F_OFD_GETLK", OM_SYS_INOUT, 32 },
		{ F_OFD_SETLK, "F_OFD_SETLK", OM_SYS_IN, 32 },
		{ F_OFD_SETLKW, "F_OFD_SETLKW", OM_SYS_IN, 32 },
	};
	const struct om_sys_desc *d;
	u64 a[6] = { 0 };
	size_t i;
	int ok;

	check_list(local_calls, ARRAY_SIZE(local_calls), OM_SYS_LOCAL,
		   "LOCAL");
	check_list(forward_calls, ARRAY_SIZE(forward_calls), OM_SYS_FORWARD,
		   "FORWARD");
	check_list(home_calls, ARRAY_SIZE(home_calls), OM_SYS_HOME, "HOME");

	TAP_CHECK(class_of(__NR_mmap, 0, MAP_PRIVATE | MAP_ANONYMOUS) ==
		  OM_SYS_LOCAL &&
		  class_of(__NR_mmap, 0, MAP_SHARED | MAP_ANONYMOUS) ==
		  OM_SYS_LOCAL &&
		  class_of(__NR_mmap, 0, MAP_PRIVATE) == OM_SYS_HOME &&
		  class_of(__NR_mmap, 0, MAP_SHARED) == OM_SYS_HOME,
		  "classify: mmap LOCAL when MAP_ANONYMOUS, HOME for files");
	TAP_CHECK(class_of(__NR_futex, FUTEX_WAIT_PRIVATE, 0) ==
		  OM_SYS_LOCAL &&
		  class_of(__NR_futex, FUTEX_WAKE_PRIVATE, 0) == OM_SYS_LOCAL &&
		  class_of(__NR_futex, FUTEX_WAIT, 0) == OM_SYS_HOME,
		  "classify: futex LOCAL when private, HOME when shared");
	a[0] = (u64)(s64)RUSAGE_CHILDREN;
	ok = om_sys_classify(__NR_getrusage, a, &d) == OM_SYS_FORWARD &&
	     d->nbuf == 1 && d->buf[0].arg == 1 &&
	     d->buf[0].dir == OM_SYS_OUT && d->buf[0].size == 144;
	a[0] = (u32)RUSAGE_CHILDREN;	/* int: the upper half ignored */
	ok = ok && om_sys_classify(__NR_getrusage, a, NULL) == OM_SYS_FORWARD;
	a[0] = RUSAGE_SELF;
	ok = ok && om_sys_classify(__NR_getrusage, a, NULL) == OM_SYS_LOCAL;
	a[0] = RUSAGE_THREAD;
	ok = ok && om_sys_classify(__NR_getrusage, a, NULL) == OM_SYS_LOCAL;
	TAP_CHECK(ok, "classify: getrusage SELF/THREAD LOCAL, CHILDREN FORWARD");

	ok = 1;
	for (i = 0; i < ARRAY_SIZE(ioctls); i++) {
		int c = class_of(__NR_ioctl, ioctls[i].cmd, 0);

		om_sys_classify(__NR_ioctl, (u64[6]){ 0, ioctls[i].cmd }, &d);
		if (c != OM_SYS_FORWARD || !d ||
		    d->nbuf != (ioctls[i].dir ? 1 : 0) ||
		    (d->nbuf && (d->buf[0].arg != 2 ||
				 d->buf[0].kind != OM_SYS_B_FIXED ||
				 d->buf[0].dir != ioctls[i].dir ||
				 d->buf[0].size != ioctls[i].size)) ||
		    !strstr(d->cond, ioctls[i].name)) {
			printf("#   ioctl %s\n", ioctls[i].name);
			ok = 0;
		}
	}
	TAP_CHECK(ok, "classify: the 16 ioctls FORWARD, sizes and directions");
	TAP_CHECK(class_of(__NR_ioctl, TIOCSTI, 0) == OM_SYS_HOME &&
		  class_of(__NR_ioctl, TIOCSCTTY, 0) == OM_SYS_HOME &&
		  class_of(__NR_ioctl, 0, 0) == OM_SYS_HOME &&
		  class_of(__NR_ioctl, (1ULL << 32) | TIOCSTI, 0) ==
		  OM_SYS_HOME &&
		  class_of(__NR_ioctl, (1ULL << 32) | TCGETS, 0) ==
		  OM_SYS_FORWARD,
		  "classify: other ioctls HOME; cmd is 32 bits");

	ok = 1;
	for (i = 0; i < ARRAY_SIZE(fcntls); i++) {
		om_sys_classify(__NR_fcntl, (u64[6]){ 0, fcntls[i].cmd }, &d);
		if (!d || d->cls != OM_SYS_FORWARD ||
		    d->nbuf != (fcntls[i].dir ? 1 : 0) ||
		    (d->nbuf && (d->buf[0].arg != 2 ||
				 d->buf[0].dir != fcntls[i].dir ||
				 d->buf[0].size != fcntls[i].size))) {
			printf("#   fcntl %s\n", fcntls[i].name);
			ok = 0;
		}
	}
	TAP_CHECK(ok, "classify: the 12 fcntl commands FORWARD, flock sizes");
	TAP_CHECK(class_of(__NR_fcntl, F_SETOWN, 0) == OM_SYS_HOME &&
		  class_of(__NR_fcntl, F_SETPIPE_SZ, 0) == OM_SYS_HOME &&
		  class_of(__NR_fcntl, F_ADD_SEALS, 0) == OM_SYS_HOME &&
		  class_of(__NR_fcntl, F_SETLEASE, 0) == OM_SYS_HOME,
		  "classify: other fcntl commands HOME");

	TAP_CHECK(om_sys_classify(__NR_read | OM_SYS_X32_BIT, a, &d) ==
		  OM_SYS_HOME && !d &&
		  class_of(0x40000000ULL + 0x200, 0, 0) == OM_SYS_HOME &&
		  class_of(512, 0, 0) == OM_SYS_HOME &&
		  class_of(547, 0, 0) == OM_SYS_HOME &&
		  class_of((u64)-1, 0, 0) == OM_SYS_HOME &&
		  class_of(1ULL << 32, 0, 0) == OM_SYS_HOME &&
		  class_of(470, 0, 0) == OM_SYS_HOME,
		  "classify: x32, >= 512, -1 and unknown numbers HOME");
}

/* The table's own rules, for every call and case it has */
static int check_desc(const struct om_sys_desc *d)
{
	unsigned int i, j, clamp = 0;
	int ok = 1;

	TAP_EXPECT(ok, d->name && *d->name);
	if (d->cls != OM_SYS_FORWARD) {
		TAP_EXPECT(ok, !d->nbuf);
		return ok;
	}
	TAP_EXPECT(ok, d->nbuf <= OM_SYS_MAX_BUFS);
	for (i = 0; i < d->nbuf; i++) {
		const struct om_sys_bdesc *b = &d->buf[i];

		TAP_EXPECT(ok, b->arg < 6 && b->larg < 6);
		TAP_EXPECT(ok, b->dir >= OM_SYS_IN && b->dir <= OM_SYS_INOUT);
		for (j = 0; j < i; j++)
			TAP_EXPECT(ok, d->buf[j].arg < b->arg);
		if (b->when == OM_SYS_W_ALWAYS)
			TAP_EXPECT(ok, b->dir == OM_SYS_INOUT);
		if (b->when == OM_SYS_W_POS)
			TAP_EXPECT(ok, b->dir == OM_SYS_OUT);
		if (b->flags & OM_SYS_BF_CLAMP) {
			clamp++;
			TAP_EXPECT(ok, b->kind == OM_SYS_B_RET ||
				       b->kind == OM_SYS_B_IOV ||
				       b->kind == OM_SYS_B_LEN_ARG);
		}
		if (b->kind == OM_SYS_B_RET || b->kind == OM_SYS_B_IOV)
			TAP_EXPECT(ok, b->flags & OM_SYS_BF_CLAMP);
		if (b->kind == OM_SYS_B_RET)
			TAP_EXPECT(ok, b->dir == OM_SYS_OUT && b->size);
		if (b->kind == OM_SYS_B_STR || b->kind == OM_SYS_B_SIGPAIR)
			TAP_EXPECT(ok, b->dir == OM_SYS_IN);
		if (b->kind == OM_SYS_B_FIXED)
			TAP_EXPECT(ok, b->size && b->size <= 4096);
		if (b->kind == OM_SYS_B_LEN_ARG)
			TAP_EXPECT(ok, b->size);
	}
	TAP_EXPECT(ok, clamp <= 1);
	return ok;
}

static void test_table(void)
{
	const struct om_sys_desc *d, *c;
	unsigned int n, i, known = 0, ok = 1;
	u64 nr;

	for (nr = 0; nr < OM_SYS_NR_MAX; nr++) {
		d = om_sys_entry(nr);
		if (!d)
			continue;
		known++;
		TAP_EXPECT(ok, d->nr == nr && !d->cond);
		TAP_EXPECT(ok, check_desc(d));
		n = om_sys_cases(nr, &c);
		for (i = 0; i < n; i++) {
			TAP_EXPECT(ok, c[i].nr == nr && c[i].cond &&
				       !strcmp(c[i].name, d->name));
			TAP_EXPECT(ok, check_desc(&c[i]));
		}
		if (n)
			TAP_EXPECT(ok, !strcmp(c[n - 1].cond, "otherwise"));
	}
	TAP_CHECK(ok && known > 150,
		  "table: %u calls, buffers well-formed (one clamp at most, "
		  "ALWAYS only INOUT, args in order)", known);
}

/* ---- round trips ---- */

static const char hello[] = "hello world";

static s64 fake_read(const u64 a[6])
{
	fn_expect(a[2] == 100 && S(a[1]) && S(a[1] + 99));
	if (S(a[1]))
		memcpy(S(a[1]), hello, 11);
	return 11;
}

static s64 fake_read_eof(const u64 a[6])
{
	(void)a;
	return 0;
}

static s64 fake_read_err(const u64 a[6])
{
	if (S(a[1]))	/* written, but an error: nothing may go back */
		memset(S(a[1]), 0x77, 10);
	return -EAGAIN;
}

static s64 fake_read_all(const u64 a[6])
{
	fn_expect(a[2] == OM_SYS_MAX_IO && S(a[1] + a[2] - 1));
	if (S(a[1]))
		pattern(S(a[1]), a[2], 3);
	return (s64)a[2];
}

static void test_rt_read(void)
{
	u64 a[6], buf;
	s64 ret;
	int err;

	ureset();
	buf = ualloc(100);
	args6(a, 3, buf, 100, 0, 0, 0);
	err = roundtrip(__NR_read, a, fake_read, &ret);
	TAP_CHECK(!err && rt_ok && ret == 11 && rt_ncp == 1 &&
		  !memcmp(U(buf), hello, 11) && all_bytes(U(buf) + 11, 0x11, 89),
		  "read: 11 of 100 bytes come back, the rest untouched");
	TAP_CHECK(rq.nbuf == 1 && rq.buf[0].dir == OM_SYS_OUT &&
		  rq.buf[0].len == 100 && !rq.buf[0].data && rq.used == 0 &&
		  !rq.clamped,
		  "read: the request carries no data, asks for 100 bytes");
	err = roundtrip(__NR_read, a, fake_read_eof, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0 && rt_ncp == 0,
		  "read: EOF, no copy");
	err = roundtrip(__NR_read, a, fake_read_err, &ret);
	TAP_CHECK(!err && rt_ok && ret == -EAGAIN && rt_ncp == 0 &&
		  !memcmp(U(buf), hello, 11),
		  "read: an error, no copy");

	ureset();
	buf = ualloc(3 << 20);
	args6(a, 3, buf, 3 << 20, 0, 0, 0);
	err = roundtrip(__NR_read, a, fake_read_all, &ret);
	TAP_CHECK(!err && rt_ok && rq.clamped &&
		  rq.args[2] == OM_SYS_MAX_IO && ret == OM_SYS_MAX_IO &&
		  is_pattern(U(buf), OM_SYS_MAX_IO, 3) &&
		  U(buf)[OM_SYS_MAX_IO] == 0x11,
		  "read: 3 MiB clamped to OM_SYS_MAX_IO, a short read");
	args6(a, 3, buf, (u64)-1, 0, 0, 0);
	err = om_sys_marshal(om_sys_entry(__NR_read), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.args[2] == OM_SYS_MAX_IO &&
		  rq.buf[0].len == OM_SYS_MAX_IO,
		  "read: SIZE_MAX clamped too");
}

static const char wdata[] = "some data to write";

static s64 fake_write(const u64 a[6])
{
	fn_expect(a[2] == 18 && S(a[1]) && !memcmp(S(a[1]), wdata, 18));
	return (s64)a[2];
}

static s64 fake_write_all(const u64 a[6])
{
	fn_expect(S(a[1]) && is_pattern(S(a[1]), a[2], 5));
	return (s64)a[2];
}

static void test_rt_write(void)
{
	u64 a[6], buf;
	s64 ret;
	int err;

	ureset();
	buf = uput(wdata, 18);
	args6(a, 1, buf, 18, 0, 0, 0);
	err = roundtrip(__NR_write, a, fake_write, &ret);
	TAP_CHECK(!err && rt_ok && ret == 18 && rt_ncp == 0 &&
		  rq.nbuf == 1 && rq.buf[0].len == 18 && rq.used == 18,
		  "write: the 18 bytes land in scratch, nothing comes back");
	buf = ualloc(2 << 20);
	pattern(U(buf), 2 << 20, 5);
	args6(a, 1, buf, 2 << 20, 0, 0, 0);
	err = roundtrip(__NR_write, a, fake_write_all, &ret);
	TAP_CHECK(!err && rt_ok && rq.clamped && ret == OM_SYS_MAX_IO,
		  "write: 2 MiB clamped to OM_SYS_MAX_IO, a short write");
	args6(a, 1, UBASE + sizeof(umem) - 10, 20, 0, 0, 0);
	err = om_sys_marshal(om_sys_entry(__NR_write), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EFAULT, "write: an unreadable buffer is -EFAULT");
}

static s64 fake_openat(const u64 a[6])
{
	fn_expect(a[0] == (u64)-100 && S(a[1]) &&
		  !strcmp((char *)S(a[1]), "/etc/passwd") &&
		  a[2] == (O_RDONLY | O_CLOEXEC) && a[3] == 0);
	return 3;
}

static void test_rt_openat(void)
{
	char path[4100];
	u64 a[6];
	s64 ret;
	int err;

	ureset();
	args6(a, (u64)-100, ustr("/etc/passwd"), O_RDONLY | O_CLOEXEC, 0, 0,
	      0);
	err = roundtrip(__NR_openat, a, fake_openat, &ret);
	TAP_CHECK(!err && rt_ok && ret == 3 && rt_ncp == 0 &&
		  rq.buf[0].len == 12,
		  "openat: the path (with its NUL) lands in scratch");

	memset(path, 'a', sizeof(path));
	path[4095] = 0;		/* 4095 characters: the longest */
	a[1] = uput(path, 4096);
	err = om_sys_marshal(om_sys_entry(__NR_openat), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.buf[0].len == 4096,
		  "openat: a path of 4095 characters is forwarded");
	path[4095] = 'a';
	path[4096] = 0;
	a[1] = uput(path, 4097);
	err = om_sys_marshal(om_sys_entry(__NR_openat), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -ENAMETOOLONG,
		  "openat: 4096 characters is -ENAMETOOLONG");
	a[1] = 0;
	err = om_sys_marshal(om_sys_entry(__NR_openat), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EFAULT, "openat: a NULL path is -EFAULT");
}

static s64 fake_fstatat(const u64 a[6])
{
	if (a[1])
		fn_expect(S(a[1]) && !strcmp((char *)S(a[1]), "file"));
	fn_expect(S(a[2]) && S(a[2] + 143));
	if (S(a[2]))
		pattern(S(a[2]), 144, 9);
	return 0;
}

static void test_rt_newfstatat(void)
{
	u64 a[6], st;
	s64 ret;
	int err;

	ureset();
	st = ualloc(160);
	args6(a, 5, ustr("file"), st, 0, 0, 0);
	err = roundtrip(__NR_newfstatat, a, fake_fstatat, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0 && rt_ncp == 1 &&
		  is_pattern(U(st), 144, 9) && all_bytes(U(st) + 144, 0x11, 16),
		  "newfstatat: path in, 144 bytes of stat back");
	ureset();
	st = ualloc(160);
	args6(a, 5, 0, st, AT_EMPTY_PATH, 0, 0);
	err = roundtrip(__NR_newfstatat, a, fake_fstatat, &ret);
	TAP_CHECK(!err && rt_ok && rq.nbuf == 1 && plan.args[1] == 0 &&
		  is_pattern(U(st), 144, 9),
		  "newfstatat: a NULL path stays NULL");
}

static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static s64 fake_readv(const u64 a[6])
{
	const u8 *v = S(a[1]);
	u64 k, at = 0, total = 0;
	u8 *p;

	fn_expect(a[2] == 3 && v);
	if (!v)
		return -EFAULT;
	for (k = 0; k < 3; k++) {
		u64 base = get_unaligned_le64(v + k * 16);
		u64 len = get_unaligned_le64(v + k * 16 + 8);

		/* contiguous, in scratch */
		fn_expect(!k || base == at);
		at = base + len;
		total += len;
		p = S(base);
		fn_expect(p && (!len || S(base + len - 1)));
	}
	fn_expect(total == 18);
	/* 13 bytes: 4 + 6 + 3 of the 8 */
	p = S(get_unaligned_le64(v));
	if (p)
		memcpy(p, abc, 13);
	return 13;
}

static s64 fake_writev(const u64 a[6])
{
	const u8 *v = S(a[1]);
	u64 k;

	fn_expect(a[2] == 3 && v);
	if (!v)
		return -EFAULT;
	for (k = 0; k < 3; k++) {
		u64 base = get_unaligned_le64(v + k * 16);
		u64 len = get_unaligned_le64(v + k * 16 + 8);
		static const char *want[3] = { "one", "", "three" };

		fn_expect(len == strlen(want[k]) &&
			  (!len || (S(base) && !memcmp(S(base), want[k], len))));
	}
	return 8;
}

static s64 fake_writev_big(const u64 a[6])
{
	const u8 *v = S(a[1]);
	u64 k, total = 0;

	for (k = 0; v && k < a[2]; k++)
		total += get_unaligned_le64(v + k * 16 + 8);
	return (s64)total;
}

static void test_rt_iov(void)
{
	u64 a[6], iov, b[3];
	u8 vec[48];
	s64 ret;
	int err, k;

	ureset();
	b[0] = ualloc(4);
	b[1] = ualloc(6);
	b[2] = ualloc(8);
	put_unaligned_le64(b[0], vec);
	put_unaligned_le64(4, vec + 8);
	put_unaligned_le64(b[1], vec + 16);
	put_unaligned_le64(6, vec + 24);
	put_unaligned_le64(b[2], vec + 32);
	put_unaligned_le64(8, vec + 40);
	iov = uput(vec, sizeof(vec));
	args6(a, 3, iov, 3, 0, 0, 0);
	err = roundtrip(__NR_readv, a, fake_readv, &ret);
	TAP_CHECK(!err && rt_ok && ret == 13 && rt_ncp == 3 &&
		  !memcmp(U(b[0]), "ABCD", 4) &&
		  !memcmp(U(b[1]), "EFGHIJ", 6) &&
		  !memcmp(U(b[2]), "KLM", 3) && all_bytes(U(b[2]) + 3, 0x11, 5),
		  "readv: 3 iovecs, 13 bytes spread as the kernel would");
	TAP_CHECK(rq.buf[0].niov == 3 && rq.buf[0].len == 18 &&
		  om_sys_buf_datalen(&rq.buf[0]) == 48,
		  "readv: the request carries the iovec array, no payload");

	ureset();
	b[0] = uput("one", 3);
	b[1] = ualloc(0);
	b[2] = uput("three", 5);
	put_unaligned_le64(b[0], vec);
	put_unaligned_le64(3, vec + 8);
	put_unaligned_le64(0, vec + 16);	/* NULL, empty */
	put_unaligned_le64(0, vec + 24);
	put_unaligned_le64(b[2], vec + 32);
	put_unaligned_le64(5, vec + 40);
	iov = uput(vec, sizeof(vec));
	args6(a, 3, iov, 3, 0, 0, 0);
	err = roundtrip(__NR_writev, a, fake_writev, &ret);
	TAP_CHECK(!err && rt_ok && ret == 8 && rt_ncp == 0 &&
		  om_sys_buf_datalen(&rq.buf[0]) == 48 + 8 &&
		  !memcmp(rq.buf[0].data + 48, "onethree", 8),
		  "writev: 3 iovecs gathered, laid out whole in scratch");

	/* 3 x 512 KiB: the cap cuts the second, the third gets nothing */
	ureset();
	for (k = 0; k < 3; k++) {
		b[k] = ualloc(512 << 10);
		put_unaligned_le64(b[k], vec + 16 * k);
		put_unaligned_le64(512 << 10, vec + 16 * k + 8);
	}
	iov = uput(vec, sizeof(vec));
	args6(a, 3, iov, 3, 0, 0, 0);
	err = roundtrip(__NR_writev, a, fake_writev_big, &ret);
	TAP_CHECK(!err && rt_ok && rq.clamped &&
		  ret == OM_SYS_MAX_IO - 48 && rq.args[2] == 3 &&
		  get_unaligned_le64(rq.buf[0].data + 8) == 512 << 10 &&
		  get_unaligned_le64(rq.buf[0].data + 24) ==
		  OM_SYS_MAX_IO - 48 - (512 << 10) &&
		  get_unaligned_le64(rq.buf[0].data + 40) == 0,
		  "writev: 1.5 MiB clamped iovec by iovec to the cap");

	a[2] = 1025;
	err = om_sys_marshal(om_sys_entry(__NR_readv), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EINVAL, "readv: 1025 iovecs is -EINVAL");
	put_unaligned_le64((u64)-5, vec + 8);
	a[1] = uput(vec, sizeof(vec));
	a[2] = 3;
	err = om_sys_marshal(om_sys_entry(__NR_readv), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EINVAL, "readv: a negative iov_len is -EINVAL");
}

static s64 fake_poll(const u64 a[6])
{
	u8 *p = S(a[0]);
	u64 i;

	fn_expect(a[1] == 2 && a[2] == 100 && p && S(a[0] + 15));
	for (i = 0; p && i < 2; i++)	/* revents = events */
		memcpy(p + 8 * i + 6, p + 8 * i + 4, 2);
	return 2;
}

static s64 fake_poll_null(const u64 a[6])
{
	fn_expect(a[1] == 0 && a[2] == 10);
	return 0;
}

static void test_rt_poll(void)
{
	struct pollfd pf[2] = { { 0, POLLIN, 0 }, { 1, POLLOUT, 0 } };
	struct pollfd *u;
	u64 a[6];
	s64 ret;
	int err;

	ureset();
	args6(a, uput(pf, sizeof(pf)), 2, 100, 0, 0, 0);
	u = (struct pollfd *)U(a[0]);
	err = roundtrip(__NR_poll, a, fake_poll, &ret);
	TAP_CHECK(!err && rt_ok && ret == 2 && u[0].revents == POLLIN &&
		  u[1].revents == POLLOUT && u[1].fd == 1,
		  "poll: 2 pollfds in and out");
	args6(a, 0, 0, 10, 0, 0, 0);
	err = roundtrip(__NR_poll, a, fake_poll_null, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0, "poll: poll(NULL, 0, 10)");
	args6(a, UBASE, 200000, 0, 0, 0, 0);
	err = om_sys_marshal(om_sys_entry(__NR_poll), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == OM_SYS_GO_HOME,
		  "poll: 200000 fds do not fit, OM_SYS_GO_HOME");
}

static s64 wait_ret;

static s64 fake_wait4(const u64 a[6])
{
	fn_expect(a[0] == (u64)-1 && a[1] == 0 && a[2] == WNOHANG &&
		  S(a[3]));
	if (S(a[3]))
		pattern(S(a[3]), 144, 1);
	return wait_ret;
}

static s64 fake_wait4_status(const u64 a[6])
{
	fn_expect(S(a[1]) && !a[3]);
	if (S(a[1]))
		put_unaligned_le32(0x0100, S(a[1]));
	return wait_ret;
}

static void test_rt_wait4(void)
{
	u64 a[6], ru, st;
	s64 ret;
	int err;

	ureset();
	ru = ualloc(144);
	args6(a, (u64)-1, 0, WNOHANG, ru, 0, 0);
	wait_ret = 1234;
	err = roundtrip(__NR_wait4, a, fake_wait4, &ret);
	TAP_CHECK(!err && rt_ok && ret == 1234 && rq.nbuf == 1 &&
		  plan.args[1] == 0 && rt_ncp == 1 && is_pattern(U(ru), 144, 1),
		  "wait4: NULL status stays NULL, rusage back");
	ureset();
	ru = ualloc(144);
	a[3] = ru;
	wait_ret = 0;
	err = roundtrip(__NR_wait4, a, fake_wait4, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0 && rt_ncp == 0 &&
		  all_bytes(U(ru), 0x11, 144),
		  "wait4: WNOHANG with no child: rusage untouched");
	st = ualloc(4);
	args6(a, (u64)-1, st, 0, 0, 0, 0);
	wait_ret = 99;
	err = roundtrip(__NR_wait4, a, fake_wait4_status, &ret);
	TAP_CHECK(!err && rt_ok && ret == 99 && rt_ncp == 1 &&
		  get_unaligned_le32(U(st)) == 0x0100,
		  "wait4: status back when a child was reaped");
}

static s64 fake_getcwd(const u64 a[6])
{
	fn_expect(a[1] == 64 && S(a[0] + 63));
	if (S(a[0]))
		memcpy(S(a[0]), "/home/user", 11);
	return 11;
}

static s64 fake_getcwd_erange(const u64 a[6])
{
	(void)a;
	return -ERANGE;
}

static void test_rt_getcwd(void)
{
	u64 a[6], buf;
	s64 ret;
	int err;

	ureset();
	buf = ualloc(64);
	args6(a, buf, 64, 0, 0, 0, 0);
	err = roundtrip(__NR_getcwd, a, fake_getcwd, &ret);
	TAP_CHECK(!err && rt_ok && ret == 11 && rt_ncp == 1 &&
		  !memcmp(U(buf), "/home/user", 11) && U(buf)[11] == 0x11,
		  "getcwd: the path and its NUL (ret 11) come back");
	err = roundtrip(__NR_getcwd, a, fake_getcwd_erange, &ret);
	TAP_CHECK(!err && rt_ok && ret == -ERANGE && rt_ncp == 0,
		  "getcwd: -ERANGE, no copy");
}

static s64 fake_readlink(const u64 a[6])
{
	fn_expect(S(a[0]) && !strcmp((char *)S(a[0]), "/proc/self/exe") &&
		  a[2] == 32 && S(a[1] + 31));
	if (S(a[1]))
		memcpy(S(a[1]), "target", 6);
	return 6;
}

static void test_rt_readlink(void)
{
	u64 a[6], buf;
	s64 ret;
	int err;

	ureset();
	buf = ualloc(32);
	args6(a, ustr("/proc/self/exe"), buf, 32, 0, 0, 0);
	err = roundtrip(__NR_readlink, a, fake_readlink, &ret);
	TAP_CHECK(!err && rt_ok && ret == 6 && rt_ncp == 1 &&
		  !memcmp(U(buf), "target", 6) && U(buf)[6] == 0x11,
		  "readlink: path in, 6 bytes back, no NUL added");
	a[2] = (u32)-1;		/* int bufsiz < 0: the home kernel's EINVAL */
	err = om_sys_marshal(om_sys_entry(__NR_readlink), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.buf[1].len == 0 && rq.args[2] == (u32)-1,
		  "readlink: a negative bufsiz passes, no buffer");
}

static s64 fake_tcgets(const u64 a[6])
{
	fn_expect(a[0] == 0 && a[1] == TCGETS && S(a[2] + 35));
	if (S(a[2]))
		pattern(S(a[2]), 36, 4);
	return 0;
}

static void test_rt_ioctl(void)
{
	u64 a[6], t;
	s64 ret;
	int err;

	ureset();
	t = ualloc(60);		/* the C library's termios is bigger */
	args6(a, 0, TCGETS, t, 0, 0, 0);
	err = roundtrip(__NR_ioctl, a, fake_tcgets, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0 && rt_ncp == 1 &&
		  is_pattern(U(t), 36, 4) && U(t)[36] == 0x11,
		  "ioctl TCGETS: 36 bytes of termios back");
}

static u8 flk[32];

static s64 fake_setlk(const u64 a[6])
{
	fn_expect(a[1] == F_SETLK && S(a[2] + 31) &&
		  !memcmp(S(a[2]), flk, 32));
	if (S(a[2]))
		memset(S(a[2]), 0, 32);
	return 0;
}

static s64 fake_getlk(const u64 a[6])
{
	fn_expect(a[1] == F_GETLK && S(a[2]) && !memcmp(S(a[2]), flk, 32));
	if (S(a[2]))
		memset(S(a[2]), 0x42, 32);
	return 0;
}

static void test_rt_fcntl(void)
{
	u64 a[6], f;
	s64 ret;
	int err;

	ureset();
	pattern(flk, sizeof(flk), 6);
	f = uput(flk, sizeof(flk));
	args6(a, 4, F_SETLK, f, 0, 0, 0);
	err = roundtrip(__NR_fcntl, a, fake_setlk, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0 && rt_ncp == 0 &&
		  !memcmp(U(f), flk, 32),
		  "fcntl F_SETLK: struct flock in, nothing back");
	args6(a, 4, F_GETLK, f, 0, 0, 0);
	err = roundtrip(__NR_fcntl, a, fake_getlk, &ret);
	TAP_CHECK(!err && rt_ok && ret == 0 && rt_ncp == 1 &&
		  all_bytes(U(f), 0x42, 32),
		  "fcntl F_GETLK: struct flock in and out");
}

static s64 fake_select_intr(const u64 a[6])
{
	fn_expect(a[0] == 64 && S(a[1] + 7) && !a[2] && !a[3] &&
		  S(a[4] + 15));
	if (S(a[1]))
		memset(S(a[1]), 0, 8);	/* not sent back on error */
	if (S(a[4]))
		memset(S(a[4]), 0x33, 16);	/* the time left: always */
	return -EINTR;
}

static s64 fake_pselect(const u64 a[6])
{
	const u8 *pair = S(a[5]);
	u64 ss;

	fn_expect(a[0] == 1 && S(a[1]) && !a[4] && pair);
	if (!pair)
		return -EFAULT;
	ss = get_unaligned_le64(pair);
	fn_expect(get_unaligned_le64(pair + 8) == 8 && S(ss) &&
		  get_unaligned_le64(S(ss)) == 0x4002);
	return 1;
}

static s64 fake_getgroups(const u64 a[6])
{
	if (a[0])
		memcpy(S(a[1]), "\1\0\0\0\2\0\0\0", 8);
	return 2;
}

static s64 fake_waitid(const u64 a[6])
{
	/* the kernel writes some fields only, even on error */
	if (S(a[2]))
		put_unaligned_le32(0, S(a[2]));
	return -ECHILD;
}

static void test_rt_more(void)
{
	u64 a[6], set, tv, pair[2], sig = 0x4002, g, info;
	s64 ret;
	int err;

	ureset();
	set = uput("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	tv = ualloc(16);
	args6(a, 64, set, 0, 0, tv, 0);
	err = roundtrip(__NR_select, a, fake_select_intr, &ret);
	TAP_CHECK(!err && rt_ok && ret == -EINTR && rt_ncp == 1 &&
		  all_bytes(U(set), 0xff, 8) && all_bytes(U(tv), 0x33, 16),
		  "select: interrupted, the timeout still comes back");

	pair[0] = uput(&sig, 8);
	pair[1] = 8;
	args6(a, 1, set, 0, 0, 0, uput(pair, 16));
	err = roundtrip(__NR_pselect6, a, fake_pselect, &ret);
	TAP_CHECK(!err && rt_ok && ret == 1 && rq.nbuf == 2 &&
		  rq.buf[1].len == 8,
		  "pselect6: {sigset *, 8} rebuilt in scratch");
	pair[1] = 16;
	a[5] = uput(pair, 16);
	err = om_sys_marshal(om_sys_entry(__NR_pselect6), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EINVAL, "pselect6: a sigset size of 16 is -EINVAL");
	pair[0] = 0;
	a[5] = uput(pair, 16);
	err = om_sys_marshal(om_sys_entry(__NR_pselect6), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.nbuf == 2 && rq.buf[1].len == 0,
		  "pselect6: a NULL sigset is an empty buffer");
	args6(a, (u64)-1, set, 0, 0, 0, 0);
	err = om_sys_marshal(om_sys_entry(__NR_select), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.nbuf == 1 && rq.buf[0].len == 0,
		  "select: n < 0 is left to the home kernel's EINVAL");

	g = ualloc(16);
	args6(a, 4, g, 0, 0, 0, 0);
	err = roundtrip(__NR_getgroups, a, fake_getgroups, &ret);
	TAP_CHECK(!err && rt_ok && ret == 2 && rt_ncp == 1 &&
		  get_unaligned_le32(U(g) + 4) == 2 && U(g)[8] == 0x11,
		  "getgroups: 2 groups of 4 bytes back");
	args6(a, 0, g, 0, 0, 0, 0);
	err = roundtrip(__NR_getgroups, a, fake_getgroups, &ret);
	TAP_CHECK(!err && rt_ok && ret == 2 && rt_ncp == 0,
		  "getgroups: size 0 returns the count, no copy");

	info = ualloc(128);
	pattern(U(info), 128, 2);
	args6(a, P_ALL, 0, info, WEXITED, 0, 0);
	err = roundtrip(__NR_waitid, a, fake_waitid, &ret);
	TAP_CHECK(!err && rt_ok && ret == -ECHILD && rt_ncp == 1 &&
		  get_unaligned_le32(U(info)) == 0 &&
		  is_pattern(U(info) + 4, 124, 2 + 28),
		  "waitid: infop back even on error, the rest as it was");
}

/* ---- rejections: home side ---- */

static int lay(u64 nr, const u64 a[6], const struct om_sys_buf *b,
	       unsigned int n, size_t slen)
{
	return om_sys_layout(nr, a, b, n, SBASE, slen, &plan);
}

static void test_reject_layout(void)
{
	static u8 big[OM_SYS_MAX_IO + 8], iovs[1025 * 16];
	struct om_sys_buf b[OM_SYS_MAX_BUFS + 1];
	u64 a[6] = { 3, 0x1000, 100, 0, 0, 0 };
	u8 path[4100];
	int ok;

	memset(b, 0, sizeof(b));
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 100, NULL };
	TAP_CHECK(!lay(__NR_read, a, b, 1, OM_SYS_SCRATCH_SIZE) &&
		  plan.args[1] == SBASE && plan.nin == 0 && plan.used == 104,
		  "layout: read, the baseline accepted");
	TAP_CHECK(lay(__NR_getrandom, a, b, 1, 4096) == -EPERM &&
		  lay(__NR_mmap, (u64[6]){ 0, 4096, 3, MAP_ANONYMOUS },
		      NULL, 0, 4096) == -EPERM &&
		  lay(__NR_exit_group, a, NULL, 0, 4096) == -EPERM,
		  "layout: a LOCAL call is -EPERM");
	TAP_CHECK(lay(__NR_clone, a, NULL, 0, 4096) == -EPERM &&
		  lay(__NR_execve, a, NULL, 0, 4096) == -EPERM &&
		  lay(__NR_mmap, (u64[6]){ 0, 4096, 3, MAP_SHARED, 4 },
		      NULL, 0, 4096) == -EPERM &&
		  lay(__NR_ioctl, (u64[6]){ 0, TIOCSTI, 0x1000 }, NULL, 0,
		      4096) == -EPERM &&
		  lay(__NR_read | OM_SYS_X32_BIT, a, b, 1, 4096) == -EPERM &&
		  lay(600, a, NULL, 0, 4096) == -EPERM,
		  "layout: a HOME call is -EPERM");

	TAP_CHECK(lay(__NR_read, a, b, 0, 4096) == -EINVAL &&
		  lay(__NR_openat, (u64[6]){ 3, 0x1000 }, NULL, 0, 4096) ==
		  -EINVAL,
		  "layout: a missing buffer is -EINVAL");
	b[1] = (struct om_sys_buf){ 3, OM_SYS_OUT, 0, 144, NULL };
	ok = lay(__NR_read, a, b, 2, 4096) == -EINVAL &&
	     lay(__NR_getpid, a, b, 1, 4096) == -EINVAL;
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 4, NULL };
	ok = ok && lay(__NR_wait4, (u64[6]){ 1, 0, 0, 0x1000 }, b, 2, 4096) ==
		   -EINVAL &&
	     lay(__NR_wait4, (u64[6]){ 1, 0x2000, 0, 0x1000 }, b, 2, 4096) ==
		   0 && plan.args[1] == SBASE && plan.args[3] == SBASE + 8 &&
	     lay(__NR_wait4, (u64[6]){ 1, 0, 0, 0x1000 }, b + 1, 1, 4096) ==
		   0 && plan.args[1] == 0 && plan.args[3] == SBASE;
	TAP_CHECK(ok, "layout: an extra buffer (also for a NULL pointer) is "
		  "-EINVAL");
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 100, NULL };
	b[0].len = 200;
	ok = lay(__NR_read, a, b, 1, 4096) == -EINVAL;
	b[0].len = 99;
	ok = ok && lay(__NR_read, a, b, 1, 4096) == -EINVAL;
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 145, NULL };
	ok = ok && lay(__NR_fstat, a, b, 1, 4096) == -EINVAL;
	b[0] = (struct om_sys_buf){ 2, OM_SYS_OUT, 0, 37, NULL };
	ok = ok && lay(__NR_ioctl, (u64[6]){ 0, TCGETS, 1 }, b, 1, 4096) ==
		   -EINVAL;
	TAP_CHECK(ok, "layout: an OUT length other than the args say is -EINVAL");
	b[0] = (struct om_sys_buf){ 1, OM_SYS_IN, 0, 100, big };
	ok = lay(__NR_read, a, b, 1, 4096) == -EINVAL;
	b[0] = (struct om_sys_buf){ 2, OM_SYS_OUT, 0, 100, NULL };
	ok = ok && lay(__NR_read, a, b, 1, 4096) == -EINVAL;
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 1, 100, big };
	ok = ok && lay(__NR_read, a, b, 1, 4096) == -EINVAL;
	b[0] = (struct om_sys_buf){ 1, OM_SYS_IN, 0, 100, NULL };
	ok = ok && lay(__NR_write, a, b, 1, 4096) == -EINVAL;
	TAP_CHECK(ok, "layout: a wrong direction, arg, niov or no data is "
		  "-EINVAL");

	memset(path, 'a', sizeof(path));
	b[0] = (struct om_sys_buf){ 1, OM_SYS_IN, 0, 10, path };
	ok = lay(__NR_openat, (u64[6]){ 3, 0x1000 }, b, 1, 8192) == -EINVAL;
	path[9] = 0;
	ok = ok && lay(__NR_openat, (u64[6]){ 3, 0x1000 }, b, 1, 8192) == 0;
	path[3] = 0;	/* an earlier NUL is fine */
	ok = ok && lay(__NR_openat, (u64[6]){ 3, 0x1000 }, b, 1, 8192) == 0;
	path[4096] = 0;
	b[0].len = 4097;
	ok = ok && lay(__NR_openat, (u64[6]){ 3, 0x1000 }, b, 1, 8192) ==
		   -EINVAL;
	b[0].len = 0;
	ok = ok && lay(__NR_openat, (u64[6]){ 3, 0x1000 }, b, 1, 8192) ==
		   -EINVAL;
	TAP_CHECK(ok, "layout: a path without NUL, empty or over 4096 is "
		  "-EINVAL");

	memset(iovs, 0, sizeof(iovs));
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 1025, 0, iovs };
	ok = lay(__NR_readv, (u64[6]){ 3, 0x1000, 1025 }, b, 1,
		 OM_SYS_SCRATCH_SIZE) == -EINVAL;
	b[0].niov = 1024;
	ok = ok && lay(__NR_readv, (u64[6]){ 3, 0x1000, 1024 }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == 0;
	ok = ok && lay(__NR_readv, (u64[6]){ 3, 0x1000, 1023 }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == -EINVAL;
	put_unaligned_le64(10, iovs + 8);
	ok = ok && lay(__NR_readv, (u64[6]){ 3, 0x1000, 1024 }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == -EINVAL;
	b[0].len = 10;
	ok = ok && lay(__NR_readv, (u64[6]){ 3, 0x1000, 1024 }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == 0;
	TAP_CHECK(ok, "layout: iovec count 1025 or a wrong sum is -EINVAL");

	b[0] = (struct om_sys_buf){ 1, OM_SYS_IN, 0, OM_SYS_MAX_IO + 1, big };
	ok = lay(__NR_write, (u64[6]){ 1, 0x1000, OM_SYS_MAX_IO + 1 }, b, 1,
		 OM_SYS_SCRATCH_SIZE) == -E2BIG;
	b[0].len = OM_SYS_MAX_IO;
	ok = ok && lay(__NR_write, (u64[6]){ 1, 0x1000, OM_SYS_MAX_IO }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == 0;
	b[0] = (struct om_sys_buf){ 0, OM_SYS_INOUT, 0, 8 * 131072, big };
	ok = ok && lay(__NR_poll, (u64[6]){ 0x1000, 131072 }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == -E2BIG;
	put_unaligned_le64(OM_SYS_MAX_IO, iovs + 8);
	put_unaligned_le64(1, iovs + 24);
	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 2, OM_SYS_MAX_IO + 1, iovs };
	ok = ok && lay(__NR_readv, (u64[6]){ 3, 0x1000, 2 }, b, 1,
		       OM_SYS_SCRATCH_SIZE) == -E2BIG;
	TAP_CHECK(ok, "layout: more than OM_SYS_MAX_IO is -E2BIG");

	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 4096, NULL };
	a[2] = 4096;
	ok = lay(__NR_read, a, b, 1, 4095) == -E2BIG;
	ok = ok && lay(__NR_read, a, b, 1, 0) == -E2BIG;
	ok = ok && lay(__NR_read, a, b, 1, 4096) == 0 && plan.used == 4096;
	b[0] = (struct om_sys_buf){ 1, OM_SYS_IN, 0, 12, path };
	b[1] = (struct om_sys_buf){ 2, OM_SYS_OUT, 0, 144, NULL };
	ok = ok && lay(__NR_newfstatat, (u64[6]){ 3, 1, 2 }, b, 2, 159) ==
		   -E2BIG;
	ok = ok && lay(__NR_newfstatat, (u64[6]){ 3, 1, 2 }, b, 2, 160) == 0;
	TAP_CHECK(ok, "layout: a scratch area too small is -E2BIG");

	b[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 100, NULL };
	a[2] = 100;
	TAP_CHECK(om_sys_layout(__NR_read, a, b, 1, SBASE + 4, 4096, &plan) ==
		  -EINVAL &&
		  om_sys_layout(__NR_read, a, b, 1, (u64)-4096, 8192, &plan) ==
		  -EINVAL,
		  "layout: a misaligned or wrapping scratch area is -EINVAL");
}

/* ---- rejections: remote side ---- */

static void test_reject_reply(void)
{
	struct om_sys_buf r[3];
	u8 bytes[200] = { 0 };
	u64 a[6], st;

	ureset();
	args6(a, 3, ualloc(100), 100, 0, 0, 0);
	fake_umem(&um, &guest);
	om_sys_marshal(om_sys_entry(__NR_read), a, &um, &rq, data,
		       sizeof(data));
	r[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 11, bytes };
	r[1] = r[0];
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 11, r, 1, cps, 4) == 1 &&
		  cps[0].uaddr == a[1] && cps[0].len == 11,
		  "reply: read, the baseline accepted");
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 10, r, 1, cps, 4) == -EBADMSG &&
		  om_sys_unmarshal_reply(&rq, 12, r, 1, cps, 4) == -EBADMSG,
		  "reply: a length other than ret says is -EBADMSG");
	r[0].len = 101;
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 101, r, 1, cps, 4) == -EBADMSG,
		  "reply: more than was asked is -EBADMSG");
	r[0].len = 11;
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 11, r, 2, cps, 4) == -EBADMSG &&
		  om_sys_unmarshal_reply(&rq, 11, r, 0, cps, 4) == -EBADMSG &&
		  om_sys_unmarshal_reply(&rq, 0, r, 1, cps, 4) == -EBADMSG &&
		  om_sys_unmarshal_reply(&rq, -EIO, r, 1, cps, 4) == -EBADMSG,
		  "reply: an extra or missing buffer is -EBADMSG");
	r[0].arg = 2;
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 11, r, 1, cps, 4) == -EBADMSG,
		  "reply: a buffer for another arg is -EBADMSG");
	r[0].arg = 1;
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 11, r, 1, cps, 0) == -ENOBUFS,
		  "reply: no room for the copies is -ENOBUFS");

	st = ualloc(144);
	args6(a, 3, st, 0, 0, 0, 0);
	om_sys_marshal(om_sys_entry(__NR_fstat), a, &um, &rq, data,
		       sizeof(data));
	r[0] = (struct om_sys_buf){ 1, OM_SYS_OUT, 0, 144, bytes };
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 0, r, 1, cps, 4) == 1 &&
		  om_sys_unmarshal_reply(&rq, -EBADF, r, 1, cps, 4) ==
		  -EBADMSG &&
		  om_sys_unmarshal_reply(&rq, -EBADF, r, 0, cps, 4) == 0,
		  "reply: fstat's stat only with ret >= 0");
	r[0].dir = OM_SYS_INOUT;
	TAP_CHECK(om_sys_unmarshal_reply(&rq, 0, r, 1, cps, 4) == -EBADMSG,
		  "reply: a buffer not OUT is -EBADMSG");
}

static void test_reject_marshal(void)
{
	struct fake_mem none = { UBASE, umem, 0, 0 };
	u64 a[6] = { 3, 0, 5000, 0, 0, 0 };
	int err;

	ureset();
	fake_umem(&um, &guest);
	a[1] = ustr("f");
	a[2] = ualloc(5000);
	a[3] = 5000;
	err = om_sys_marshal(om_sys_entry(__NR_openat2), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -E2BIG, "marshal: openat2 with size 5000 is -E2BIG");
	a[3] = 24;
	err = om_sys_marshal(om_sys_entry(__NR_openat2), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.nbuf == 2 && rq.buf[1].len == 24,
		  "marshal: openat2 with its 24-byte open_how");
	err = om_sys_marshal(om_sys_entry(__NR_clone), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EINVAL && om_sys_marshal(NULL, a, &um, &rq, data,
						  sizeof(data)) == -EINVAL,
		  "marshal: a desc not FORWARD is -EINVAL");
	err = om_sys_marshal(om_sys_entry(__NR_openat2), a, &um, &rq, data, 20);
	TAP_CHECK(err == -ENOBUFS, "marshal: a data area too small: -ENOBUFS");
	fake_umem(&um, &none);
	err = om_sys_marshal(om_sys_entry(__NR_openat2), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(err == -EFAULT && none.faults,
		  "marshal: an unreadable path is -EFAULT");
	args6(a, 3, 0x1000, 0, 0, 0, 0);
	err = om_sys_marshal(om_sys_entry(__NR_fstat), a, &um, &rq, data,
			     sizeof(data));
	TAP_CHECK(!err && rq.nbuf == 1 && !rq.used,
		  "marshal: an OUT buffer is not read");
}

int main(int argc, char **argv)
{
	printf("TAP version 13\n");
	test_abi();
	test_classify();
	test_table();
	test_rt_read();
	test_rt_write();
	test_rt_openat();
	test_rt_newfstatat();
	test_rt_iov();
	test_rt_poll();
	test_rt_wait4();
	test_rt_getcwd();
	test_rt_readlink();
	test_rt_ioctl();
	test_rt_fcntl();
	test_rt_more();
	test_reject_layout();
	test_reject_reply();
	test_reject_marshal();
	if (argc > 1)
		test_doc(argv[1]);
	return tap_done();
}
