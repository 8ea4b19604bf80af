// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The system-call table of a migrated process and the marshalling of
 * forwarded calls (om_systab.h).  om_sys_layout() parses a peer's request:
 * every length is checked against the arguments and the caps before use.
 */
#include "om_systab.h"

/*
 * x86_64 ABI values (the asm-generic ones; test_systab compares them with
 * the C library's).  Spelled out because the kernel's and the C library's
 * headers that define them cannot both be included in userspace.
 */
#define OM_MAP_ANONYMOUS	0x20
#define OM_FUTEX_PRIVATE_FLAG	128
#define OM_RUSAGE_SELF		0U
#define OM_RUSAGE_CHILDREN	0xffffffffU	/* -1 */
#define OM_RUSAGE_THREAD	1U
#define OM_F_DUPFD		0
#define OM_F_GETFD		1
#define OM_F_SETFD		2
#define OM_F_GETFL		3
#define OM_F_SETFL		4
#define OM_F_GETLK		5
#define OM_F_SETLK		6
#define OM_F_SETLKW		7
#define OM_F_OFD_GETLK		36
#define OM_F_OFD_SETLK		37
#define OM_F_OFD_SETLKW		38
#define OM_F_DUPFD_CLOEXEC	1030
#define OM_TCGETS		0x5401
#define OM_TCSETS		0x5402
#define OM_TCSETSW		0x5403
#define OM_TCSETSF		0x5404
#define OM_TCXONC		0x540A
#define OM_TCFLSH		0x540B
#define OM_TIOCGPGRP		0x540F
#define OM_TIOCSPGRP		0x5410
#define OM_TIOCOUTQ		0x5411
#define OM_TIOCGWINSZ		0x5413
#define OM_TIOCSWINSZ		0x5414
#define OM_FIONREAD		0x541B
#define OM_FIONBIO		0x5421
#define OM_TIOCGSID		0x5429
#define OM_FIONCLEX		0x5450
#define OM_FIOCLEX		0x5451

#define OM_ALIGN8(x)		(((x) + 7) & ~(u64)7)

/* x86_64's numbers (not i386's or x32's), in both builds */
_Static_assert(__NR_read == 0 && __NR_getpid == 39 && __NR_openat2 == 437,
	       "om_systab needs the x86_64 system call numbers");

/* ---- Buffer descriptors ---- */

#define SB_FIX(a, d, n, ...)						\
	{ .arg = (a), .kind = OM_SYS_B_FIXED, .dir = (d), .size = (n),	\
	  __VA_ARGS__ }
#define SB_LEN(a, d, l, lt, el, ...)					\
	{ .arg = (a), .kind = OM_SYS_B_LEN_ARG, .dir = (d), .larg = (l),	\
	  .ltype = (lt), .size = (el), __VA_ARGS__ }
#define SB_STR(a, ...)							\
	{ .arg = (a), .kind = OM_SYS_B_STR, .dir = OM_SYS_IN, __VA_ARGS__ }
#define SB_RET(a, l, lt, el)						\
	{ .arg = (a), .kind = OM_SYS_B_RET, .dir = OM_SYS_OUT, .larg = (l),	\
	  .ltype = (lt), .size = (el), .flags = OM_SYS_BF_CLAMP }
#define SB_IOV(a, d, l)							\
	{ .arg = (a), .kind = OM_SYS_B_IOV, .dir = (d), .larg = (l),	\
	  .ltype = OM_SYS_LT_ULONG, .flags = OM_SYS_BF_CLAMP }
#define SB_FDSET(a)							\
	{ .arg = (a), .kind = OM_SYS_B_FDSET, .dir = OM_SYS_INOUT,	\
	  .larg = 0, .ltype = OM_SYS_LT_INT, .flags = OM_SYS_BF_NULLOK }
#define SB_SIGPAIR(a)							\
	{ .arg = (a), .kind = OM_SYS_B_SIGPAIR, .dir = OM_SYS_IN,	\
	  .flags = OM_SYS_BF_NULLOK }
#define NULLOK		.flags = OM_SYS_BF_NULLOK
#define CLAMP		.flags = OM_SYS_BF_CLAMP
#define ALWAYS		.when = OM_SYS_W_ALWAYS
#define POS		.when = OM_SYS_W_POS

#define IN		OM_SYS_IN
#define OUT		OM_SYS_OUT
#define INOUT		OM_SYS_INOUT
#define ULONG		OM_SYS_LT_ULONG
#define UINT		OM_SYS_LT_UINT
#define INT		OM_SYS_LT_INT

/* Buffers of a call: a count and a static array */
#define SB_LIST(...)							\
	.nbuf = ARRAY_SIZE(((const struct om_sys_bdesc[]){ __VA_ARGS__ })), \
	.buf = (const struct om_sys_bdesc[]){ __VA_ARGS__ }

#define SYS_L(n)							\
	[__NR_##n] = { .name = #n, .nr = __NR_##n, .cls = OM_SYS_LOCAL }
#define SYS_H(n)							\
	[__NR_##n] = { .name = #n, .nr = __NR_##n, .cls = OM_SYS_HOME }
#define SYS_F0(n)							\
	[__NR_##n] = { .name = #n, .nr = __NR_##n, .cls = OM_SYS_FORWARD }
#define SYS_F(n, ...)							\
	[__NR_##n] = { .name = #n, .nr = __NR_##n,			\
		       .cls = OM_SYS_FORWARD, SB_LIST(__VA_ARGS__) }

/* A case of a call whose class depends on an argument */
#define CASE(n, c, k, cl)						\
	{ .name = #n, .cond = (c), .key = (k), .nr = __NR_##n, .cls = (cl) }
#define CASE_F(n, c, k, ...)						\
	{ .name = #n, .cond = (c), .key = (k), .nr = __NR_##n,		\
	  .cls = OM_SYS_FORWARD, SB_LIST(__VA_ARGS__) }
#define IOCTL0(c)	CASE(ioctl, "cmd == " #c, OM_##c, OM_SYS_FORWARD)
#define IOCTL(c, d, n)	CASE_F(ioctl, "cmd == " #c, OM_##c, SB_FIX(2, d, n))
#define FCNTL0(c)	CASE(fcntl, "cmd == " #c, OM_##c, OM_SYS_FORWARD)
#define FCNTL(c, d)							\
	CASE_F(fcntl, "cmd == " #c, OM_##c, SB_FIX(2, d, OM_SYS_SZ_FLOCK))

static const struct om_sys_desc om_sys_tab[OM_SYS_NR_MAX] = {
	/* memory: the process's memory is here */
	SYS_H(mmap),		/* cases below */
	SYS_L(munmap),
	SYS_L(mprotect),
	SYS_L(brk),
	SYS_L(madvise),
	SYS_L(mremap),
	SYS_L(msync),
	SYS_L(mlock),
	SYS_L(munlock),
	SYS_H(futex),		/* cases below */
	/* time, signals, the thread itself */
	SYS_L(clock_gettime),
	SYS_L(clock_getres),
	SYS_L(clock_nanosleep),
	SYS_L(gettimeofday),
	SYS_L(time),
	SYS_L(nanosleep),
	SYS_L(sched_yield),
	SYS_L(getrusage),	/* cases below */
	SYS_L(rt_sigaction),
	SYS_L(rt_sigprocmask),
	SYS_L(rt_sigreturn),
	/*
	 * A local sleep (nanosleep, clock_nanosleep, a private futex wait)
	 * that a stop interrupted goes on with this after SIGCONT.  Its
	 * restart block is always the remote's own: a forwarded call's
	 * -ERESTART_RESTARTBLOCK becomes EINTR there (om_guest.c), and the
	 * restore's rt_sigreturn resets the block.  Made at home, it took the
	 * process back at each SIGSTOP/SIGCONT, to restart nothing there.
	 */
	SYS_L(restart_syscall),
	SYS_L(rt_sigpending),
	SYS_L(rt_sigtimedwait),
	SYS_L(rt_sigsuspend),
	SYS_L(pause),
	SYS_L(sigaltstack),
	SYS_L(alarm),
	SYS_L(setitimer),
	SYS_L(getitimer),
	SYS_H(timer_create),	/* its id must be given back at home (not yet) */
	SYS_L(timer_settime),
	SYS_L(timer_gettime),
	SYS_L(timer_getoverrun),
	SYS_L(timer_delete),
	SYS_L(exit),
	SYS_L(exit_group),
	SYS_L(getrandom),
	SYS_L(arch_prctl),
	SYS_L(set_tid_address),
	SYS_L(set_robust_list),
	SYS_L(get_robust_list),
	SYS_L(rseq),
	SYS_L(sched_getaffinity),
	SYS_L(getcpu),

	/* file I/O: the fds are the deputy's */
	SYS_F(read, SB_RET(1, 2, ULONG, 1)),
	SYS_F(write, SB_LEN(1, IN, 2, ULONG, 1, CLAMP)),
	SYS_F(pread64, SB_RET(1, 2, ULONG, 1)),
	SYS_F(pwrite64, SB_LEN(1, IN, 2, ULONG, 1, CLAMP)),
	SYS_F(readv, SB_IOV(1, OUT, 2)),
	SYS_F(writev, SB_IOV(1, IN, 2)),
	SYS_F(preadv, SB_IOV(1, OUT, 2)),
	SYS_F(pwritev, SB_IOV(1, IN, 2)),
	SYS_F(preadv2, SB_IOV(1, OUT, 2)),
	SYS_F(pwritev2, SB_IOV(1, IN, 2)),
	SYS_F0(lseek),
	SYS_F(fstat, SB_FIX(1, OUT, OM_SYS_SZ_STAT)),
	SYS_F(newfstatat, SB_STR(1, NULLOK), SB_FIX(2, OUT, OM_SYS_SZ_STAT)),
	SYS_F(stat, SB_STR(0), SB_FIX(1, OUT, OM_SYS_SZ_STAT)),
	SYS_F(lstat, SB_STR(0), SB_FIX(1, OUT, OM_SYS_SZ_STAT)),
	SYS_F(statx, SB_STR(1, NULLOK), SB_FIX(4, OUT, OM_SYS_SZ_STATX)),
	SYS_F0(fsync),
	SYS_F0(fdatasync),
	SYS_F0(ftruncate),
	SYS_F0(close),
	SYS_F0(close_range),
	SYS_F0(dup),
	SYS_F0(dup2),
	SYS_F0(dup3),
	SYS_H(fcntl),		/* cases below */
	SYS_H(ioctl),		/* cases below */
	SYS_F(poll, SB_LEN(0, INOUT, 1, UINT, OM_SYS_SZ_POLLFD, ALWAYS)),
	SYS_F(ppoll, SB_LEN(0, INOUT, 1, UINT, OM_SYS_SZ_POLLFD, ALWAYS),
	      SB_FIX(2, INOUT, OM_SYS_SZ_TIMESPEC, NULLOK, ALWAYS),
	      SB_FIX(3, IN, OM_SYS_SZ_SIGSET, NULLOK)),
	SYS_F(select, SB_FDSET(1), SB_FDSET(2), SB_FDSET(3),
	      SB_FIX(4, INOUT, OM_SYS_SZ_TIMEVAL, NULLOK, ALWAYS)),
	SYS_F(pselect6, SB_FDSET(1), SB_FDSET(2), SB_FDSET(3),
	      SB_FIX(4, INOUT, OM_SYS_SZ_TIMESPEC, NULLOK, ALWAYS),
	      SB_SIGPAIR(5)),
	SYS_F(getdents64, SB_RET(1, 2, UINT, 1)),

	/* paths: the cwd, root and mounts are home's */
	SYS_F(open, SB_STR(0)),
	SYS_F(openat, SB_STR(1)),
	SYS_F(openat2, SB_STR(1), SB_LEN(2, IN, 3, ULONG, 1, .max = 4096)),
	SYS_F(creat, SB_STR(0)),
	SYS_F(access, SB_STR(0)),
	SYS_F(faccessat, SB_STR(1)),
	SYS_F(faccessat2, SB_STR(1)),
	SYS_F(readlink, SB_STR(0), SB_RET(1, 2, INT, 1)),
	SYS_F(readlinkat, SB_STR(1), SB_RET(2, 3, INT, 1)),
	SYS_F(getcwd, SB_RET(0, 1, ULONG, 1)),
	SYS_F(chdir, SB_STR(0)),
	SYS_F0(fchdir),
	SYS_F(unlink, SB_STR(0)),
	SYS_F(unlinkat, SB_STR(1)),
	SYS_F(mkdir, SB_STR(0)),
	SYS_F(mkdirat, SB_STR(1)),
	SYS_F(rmdir, SB_STR(0)),
	SYS_F(rename, SB_STR(0), SB_STR(1)),
	SYS_F(renameat, SB_STR(1), SB_STR(3)),
	SYS_F(renameat2, SB_STR(1), SB_STR(3)),
	SYS_F(symlink, SB_STR(0), SB_STR(1)),
	SYS_F(symlinkat, SB_STR(0), SB_STR(2)),
	SYS_F(link, SB_STR(0), SB_STR(1)),
	SYS_F(linkat, SB_STR(1), SB_STR(3)),
	SYS_F(chmod, SB_STR(0)),
	SYS_F0(fchmod),
	SYS_F(fchmodat, SB_STR(1)),
	SYS_F(chown, SB_STR(0)),
	SYS_F0(fchown),
	SYS_F(lchown, SB_STR(0)),
	SYS_F(fchownat, SB_STR(1)),
	SYS_F(utimensat, SB_STR(1, NULLOK),
	      SB_FIX(2, IN, 2 * OM_SYS_SZ_TIMESPEC, NULLOK)),
	SYS_F(truncate, SB_STR(0)),
	SYS_F0(umask),
	SYS_F(statfs, SB_STR(0), SB_FIX(1, OUT, OM_SYS_SZ_STATFS)),
	SYS_F(fstatfs, SB_FIX(1, OUT, OM_SYS_SZ_STATFS)),

	/* identity, process tree, signals to others: the deputy's */
	SYS_F0(getpid),
	SYS_F0(getppid),
	SYS_F0(gettid),
	SYS_F0(getuid),
	SYS_F0(geteuid),
	SYS_F0(getgid),
	SYS_F0(getegid),
	SYS_F(getresuid, SB_FIX(0, OUT, 4), SB_FIX(1, OUT, 4), SB_FIX(2, OUT, 4)),
	SYS_F(getresgid, SB_FIX(0, OUT, 4), SB_FIX(1, OUT, 4), SB_FIX(2, OUT, 4)),
	SYS_F(getgroups, SB_RET(1, 0, INT, 4)),
	SYS_F0(getpgrp),
	SYS_F0(getpgid),
	SYS_F0(getsid),
	SYS_F0(setpgid),
	SYS_F0(setsid),
	SYS_F0(kill),
	SYS_F0(tkill),
	SYS_F0(tgkill),
	SYS_F(rt_sigqueueinfo, SB_FIX(2, IN, OM_SYS_SZ_SIGINFO)),
	SYS_F(wait4, SB_FIX(1, OUT, 4, NULLOK, POS),
	      SB_FIX(3, OUT, OM_SYS_SZ_RUSAGE, NULLOK, POS)),
	SYS_F(waitid, SB_FIX(2, INOUT, OM_SYS_SZ_SIGINFO, NULLOK, ALWAYS),
	      SB_FIX(4, INOUT, OM_SYS_SZ_RUSAGE, NULLOK, ALWAYS)),
	SYS_F(pipe, SB_FIX(0, OUT, 8)),
	SYS_F(pipe2, SB_FIX(0, OUT, 8)),
	SYS_F(uname, SB_FIX(0, OUT, OM_SYS_SZ_UTSNAME)),
	SYS_F(sysinfo, SB_FIX(0, OUT, OM_SYS_SZ_SYSINFO)),

	/* named here for the documentation; any unknown number is HOME too */
	SYS_H(clone),
	SYS_H(clone3),
	SYS_H(fork),
	SYS_H(vfork),
	SYS_H(execve),
	SYS_H(execveat),
	SYS_H(ptrace),
	SYS_H(io_uring_setup),
	SYS_H(io_uring_enter),
	SYS_H(io_uring_register),
	SYS_H(shmget),
	SYS_H(shmat),
	SYS_H(shmctl),
	SYS_H(shmdt),
	SYS_H(socket),
	SYS_H(socketpair),
	SYS_H(connect),
	SYS_H(accept),
	SYS_H(accept4),
	SYS_H(bind),
	SYS_H(listen),
	SYS_H(sendto),
	SYS_H(recvfrom),
	SYS_H(sendmsg),
	SYS_H(recvmsg),
	SYS_H(sendmmsg),
	SYS_H(recvmmsg),
	SYS_H(shutdown),
	SYS_H(getsockname),
	SYS_H(getpeername),
	SYS_H(setsockopt),
	SYS_H(getsockopt),
};

static const struct om_sys_desc om_sys_mmap_cases[] = {
	CASE(mmap, "flags & MAP_ANONYMOUS", OM_MAP_ANONYMOUS, OM_SYS_LOCAL),
	CASE(mmap, "otherwise", 0, OM_SYS_HOME),
};

static const struct om_sys_desc om_sys_futex_cases[] = {
	CASE(futex, "op & FUTEX_PRIVATE_FLAG", OM_FUTEX_PRIVATE_FLAG,
	     OM_SYS_LOCAL),
	CASE(futex, "otherwise", 0, OM_SYS_HOME),
};

static const struct om_sys_desc om_sys_getrusage_cases[] = {
	CASE(getrusage, "who == RUSAGE_SELF", OM_RUSAGE_SELF, OM_SYS_LOCAL),
	CASE(getrusage, "who == RUSAGE_THREAD", OM_RUSAGE_THREAD, OM_SYS_LOCAL),
	CASE_F(getrusage, "who == RUSAGE_CHILDREN", OM_RUSAGE_CHILDREN,
	       SB_FIX(1, OUT, OM_SYS_SZ_RUSAGE)),
	/* -EINVAL from the local kernel */
	CASE(getrusage, "otherwise", 0, OM_SYS_LOCAL),
};

static const struct om_sys_desc om_sys_fcntl_cases[] = {
	FCNTL0(F_DUPFD),
	FCNTL0(F_DUPFD_CLOEXEC),
	FCNTL0(F_GETFD),
	FCNTL0(F_SETFD),
	FCNTL0(F_GETFL),
	FCNTL0(F_SETFL),
	FCNTL(F_GETLK, INOUT),
	FCNTL(F_SETLK, IN),
	FCNTL(F_SETLKW, IN),
	FCNTL(F_OFD_GETLK, INOUT),
	FCNTL(F_OFD_SETLK, IN),
	FCNTL(F_OFD_SETLKW, IN),
	CASE(fcntl, "otherwise", 0, OM_SYS_HOME),
};

static const struct om_sys_desc om_sys_ioctl_cases[] = {
	IOCTL(TCGETS, OUT, OM_SYS_SZ_TERMIOS),
	IOCTL(TCSETS, IN, OM_SYS_SZ_TERMIOS),
	IOCTL(TCSETSW, IN, OM_SYS_SZ_TERMIOS),
	IOCTL(TCSETSF, IN, OM_SYS_SZ_TERMIOS),
	IOCTL(TIOCGWINSZ, OUT, OM_SYS_SZ_WINSIZE),
	IOCTL(TIOCSWINSZ, IN, OM_SYS_SZ_WINSIZE),
	IOCTL(TIOCGPGRP, OUT, 4),
	IOCTL(TIOCSPGRP, IN, 4),
	IOCTL(TIOCGSID, OUT, 4),
	IOCTL(FIONREAD, OUT, 4),
	IOCTL(FIONBIO, IN, 4),
	IOCTL0(TCFLSH),		/* the argument is a value */
	IOCTL0(TCXONC),
	IOCTL(TIOCOUTQ, OUT, 4),
	IOCTL0(FIOCLEX),	/* no argument */
	IOCTL0(FIONCLEX),
	CASE(ioctl, "otherwise", 0, OM_SYS_HOME),
};

/* the table's shorthands end here */
#undef IN
#undef OUT
#undef INOUT
#undef ULONG
#undef UINT
#undef INT
#undef NULLOK
#undef CLAMP
#undef ALWAYS
#undef POS

unsigned int om_sys_cases(u64 nr, const struct om_sys_desc **cases)
{
	const struct om_sys_desc *c;
	unsigned int n;

	switch (nr) {
	case __NR_mmap:
		c = om_sys_mmap_cases;
		n = ARRAY_SIZE(om_sys_mmap_cases);
		break;
	case __NR_futex:
		c = om_sys_futex_cases;
		n = ARRAY_SIZE(om_sys_futex_cases);
		break;
	case __NR_getrusage:
		c = om_sys_getrusage_cases;
		n = ARRAY_SIZE(om_sys_getrusage_cases);
		break;
	case __NR_fcntl:
		c = om_sys_fcntl_cases;
		n = ARRAY_SIZE(om_sys_fcntl_cases);
		break;
	case __NR_ioctl:
		c = om_sys_ioctl_cases;
		n = ARRAY_SIZE(om_sys_ioctl_cases);
		break;
	default:
		c = NULL;
		n = 0;
	}
	if (cases)
		*cases = c;
	return n;
}

const struct om_sys_desc *om_sys_entry(u64 nr)
{
	if (nr >= OM_SYS_NR_MAX || !om_sys_tab[nr].name)
		return NULL;
	return &om_sys_tab[nr];
}

/* The case of an argument-dependent call its arguments select */
static const struct om_sys_desc *om_sys_pick(u64 nr, const u64 args[6])
{
	const struct om_sys_desc *c;
	unsigned int n, i;
	u32 v;

	n = om_sys_cases(nr, &c);
	if (!n)
		return NULL;
	switch (nr) {
	case __NR_mmap:		/* flags: a bit */
		return &c[(args[3] & OM_MAP_ANONYMOUS) ? 0 : 1];
	case __NR_futex:	/* op: a bit */
		return &c[((u32)args[1] & OM_FUTEX_PRIVATE_FLAG) ? 0 : 1];
	case __NR_getrusage:	/* int who */
		v = (u32)args[0];
		break;
	default:		/* fcntl, ioctl: unsigned int cmd */
		v = (u32)args[1];
	}
	for (i = 0; i < n - 1; i++)
		if (c[i].key == v)
			return &c[i];
	return &c[n - 1];
}

enum om_sys_class om_sys_classify(u64 nr, const u64 args[6],
				  const struct om_sys_desc **desc)
{
	const struct om_sys_desc *d = NULL;

	/* x32 numbers (bit 30 set), -1, anything unknown: HOME */
	if (nr < OM_SYS_NR_MAX) {
		d = om_sys_pick(nr, args);
		if (!d && om_sys_tab[nr].name)
			d = &om_sys_tab[nr];
	}
	if (desc)
		*desc = d;
	return d ? d->cls : OM_SYS_HOME;
}

/* ---- Lengths, shared by both sides ---- */

/* The element count a length argument holds, read as the kernel does */
static u64 om_sys_count(const struct om_sys_bdesc *bd, const u64 args[6])
{
	u64 v = args[bd->larg];

	switch (bd->ltype) {
	case OM_SYS_LT_UINT:
		return (u32)v;
	case OM_SYS_LT_INT:
		return (s32)v < 0 ? 0 : (u64)(s32)v;
	default:
		return v;
	}
}

/* Bytes of an fd_set of n bits, as the kernel's FDS_BYTES() */
static u64 om_sys_fdset_bytes(const struct om_sys_bdesc *bd, const u64 args[6])
{
	return (om_sys_count(bd, args) + 63) / 64 * 8;
}

/* How many of a buffer's len bytes go back when the call returned ret */
static u32 om_sys_out_len(const struct om_sys_bdesc *bd, u32 len, s64 ret)
{
	u32 el = bd->kind == OM_SYS_B_RET ? bd->size : 1;

	if (!(bd->dir & OM_SYS_OUT))
		return 0;
	if (bd->kind == OM_SYS_B_RET || bd->kind == OM_SYS_B_IOV) {
		if (ret < 0)
			return 0;
		if ((u64)ret > len / el)
			return len;
		return (u32)ret * el;
	}
	switch (bd->when) {
	case OM_SYS_W_ALWAYS:
		return len;
	case OM_SYS_W_POS:
		return ret > 0 ? len : 0;
	default:
		return ret >= 0 ? len : 0;
	}
}

/* ---- Remote side ---- */

static int om_sys_uread(const struct om_sys_umem *um, void *dst, u64 uaddr,
			size_t n)
{
	if (!n)
		return 0;
	return um->copy_from(um->ctx, dst, uaddr, n) ? -EFAULT : 0;
}

/*
 * Size up buffer b.  *fixed: the bytes that do not depend on the budget
 * (all of a buffer that cannot be clamped; an IOV buffer's iovec array,
 * read into data here); *want: the payload a clampable buffer asks for;
 * *src: where its IN bytes are in the process.
 */
static int om_sys_measure(const struct om_sys_bdesc *bd, const u64 args[6],
			  const struct om_sys_umem *um, struct om_sys_buf *b,
			  u8 *data, size_t room, u64 *fixed, u64 *want,
			  u64 *src)
{
	u64 n, el = bd->size ? bd->size : 1;
	u8 pair[16];
	long sl;
	u32 i;
	int err;

	*fixed = 0;
	*want = 0;
	*src = args[bd->arg];
	switch (bd->kind) {
	case OM_SYS_B_FIXED:
		*fixed = bd->size;
		return 0;
	case OM_SYS_B_LEN_ARG:
	case OM_SYS_B_RET:
		n = om_sys_count(bd, args);
		if (bd->max && n > bd->max / el)
			return -E2BIG;
		/* far beyond the cap: clamped or sent home, no overflow */
		if (n > OM_SYS_MAX_IO / el)
			n = OM_SYS_MAX_IO / el + 1;
		if (bd->flags & OM_SYS_BF_CLAMP)
			*want = n * el;
		else
			*fixed = n * el;
		return 0;
	case OM_SYS_B_FDSET:
		*fixed = om_sys_fdset_bytes(bd, args);
		return 0;
	case OM_SYS_B_STR:
		sl = um->strnlen(um->ctx, *src, OM_SYS_PATH_MAX);
		if (sl <= 0)
			return -EFAULT;
		if (sl > OM_SYS_PATH_MAX)
			return -ENAMETOOLONG;
		*fixed = (u64)sl;
		return 0;
	case OM_SYS_B_SIGPAIR:
		err = om_sys_uread(um, pair, *src, sizeof(pair));
		if (err)
			return err;
		*src = get_unaligned_le64(pair);
		if (!*src)
			return 0;	/* no sigset: an empty buffer */
		if (get_unaligned_le64(pair + 8) != OM_SYS_SZ_SIGSET)
			return -EINVAL;
		*fixed = OM_SYS_SZ_SIGSET;
		return 0;
	case OM_SYS_B_IOV:
		n = args[bd->larg];
		if (n > OM_SYS_MAX_IOV)
			return -EINVAL;
		*fixed = n * OM_SYS_SZ_IOVEC;
		if (*fixed > room)
			return -ENOBUFS;
		err = om_sys_uread(um, data, *src, *fixed);
		if (err)
			return err;
		for (i = 0; i < n; i++) {
			u64 l = get_unaligned_le64(data + i * 16 + 8);

			if ((s64)l < 0)
				return -EINVAL;
			*want += l > OM_SYS_MAX_IO ? OM_SYS_MAX_IO + 1 : l;
		}
		b->niov = (u16)n;
		b->data = data;
		return 0;
	}
	return -EINVAL;
}

/*
 * The payload of the clampable buffer: want bytes, or budget when that is
 * less (the length argument lowered; for iovecs, as the kernel does past
 * MAX_RW_COUNT, the later ones get less or nothing).
 */
static u32 om_sys_clamp(const struct om_sys_bdesc *bd, struct om_sys_req *rq,
			struct om_sys_buf *b, u64 want, u64 budget)
{
	u64 el = bd->size ? bd->size : 1, left = budget, l;
	u8 *t = (u8 *)b->data;	/* our own data area */
	u32 i;

	if (want <= budget)
		return (u32)want;
	rq->clamped = 1;
	if (bd->kind != OM_SYS_B_IOV) {
		rq->args[bd->larg] = budget / el;
		return (u32)(budget / el * el);
	}
	for (i = 0; i < b->niov; i++) {
		l = get_unaligned_le64(t + i * 16 + 8);
		if (l > left)
			l = left;
		put_unaligned_le64(l, t + i * 16 + 8);
		left -= l;
	}
	return (u32)budget;
}

/* Read the IN bytes of b (len already set) from src into the data area */
static int om_sys_fill(const struct om_sys_bdesc *bd,
		       const struct om_sys_umem *um, struct om_sys_buf *b,
		       u64 src, u8 *data, size_t cap, size_t *used)
{
	u8 *p = data + *used;
	u64 left = b->len;
	u32 i;
	int err;

	if (!(b->dir & OM_SYS_IN))
		return 0;
	if (b->len > cap - *used)
		return -ENOBUFS;
	*used += b->len;
	if (bd->kind == OM_SYS_B_IOV) {
		/* the payload right after the iovec array */
		for (i = 0; i < b->niov; i++) {
			const u8 *v = b->data + i * 16;
			u64 l = get_unaligned_le64(v + 8);

			if (l > left)	/* cannot be: clamped to b->len */
				return -EINVAL;
			err = om_sys_uread(um, p, get_unaligned_le64(v), l);
			if (err)
				return err;
			p += l;
			left -= l;
		}
		return 0;
	}
	b->data = p;
	err = om_sys_uread(um, p, src, b->len);
	if (err)
		return err;
	/* strnlen and the copy are two reads: the path may have changed */
	if (bd->kind == OM_SYS_B_STR && !memchr(p, 0, b->len))
		return -EFAULT;
	return 0;
}

int om_sys_marshal(const struct om_sys_desc *desc, const u64 args[6],
		   const struct om_sys_umem *um, struct om_sys_req *rq,
		   u8 *data, size_t cap)
{
	u64 fixed, want, src, csrc = 0, cwant = 0, total = 0;
	const struct om_sys_bdesc *bd;
	struct om_sys_buf *b;
	unsigned int i, j;
	size_t used = 0;
	int clamp = -1, err;

	memset(rq, 0, sizeof(*rq));
	if (!desc || desc->cls != OM_SYS_FORWARD ||
	    desc->nbuf > OM_SYS_MAX_BUFS || !um || !data)
		return -EINVAL;
	rq->nr = desc->nr;
	rq->desc = desc;
	memcpy(rq->args, args, sizeof(rq->args));

	/* Which buffers there are (an optional NULL pointer: none) */
	for (i = 0; i < desc->nbuf; i++) {
		bd = &desc->buf[i];
		if ((bd->flags & OM_SYS_BF_NULLOK) && !args[bd->arg])
			continue;
		j = rq->nbuf++;
		rq->bi[j] = (u8)i;
		rq->buf[j].arg = bd->arg;
		rq->buf[j].dir = bd->dir;
		if (bd->flags & OM_SYS_BF_CLAMP)
			clamp = (int)j;	/* the table has one at most */
	}

	/*
	 * Every buffer but the clampable one, whole; then the clampable
	 * one's fixed part (an iovec array), so its payload comes last, in
	 * what the cap leaves, right after its array.
	 */
	for (i = 0; i < rq->nbuf; i++) {
		j = clamp < 0 ? i : (i + (unsigned int)clamp + 1) % rq->nbuf;
		bd = &desc->buf[rq->bi[j]];
		b = &rq->buf[j];
		err = om_sys_measure(bd, args, um, b, data + used, cap - used,
				     &fixed, &want, &src);
		if (err)
			return err;
		total += fixed;
		if (total > OM_SYS_MAX_IO)
			return OM_SYS_GO_HOME;
		if (bd->kind == OM_SYS_B_IOV)
			used += fixed;
		if ((int)j == clamp) {
			cwant = want;
			csrc = src;
			continue;
		}
		b->len = (u32)fixed;
		err = om_sys_fill(bd, um, b, src, data, cap, &used);
		if (err)
			return err;
	}
	if (clamp >= 0) {
		bd = &desc->buf[rq->bi[clamp]];
		b = &rq->buf[clamp];
		b->len = om_sys_clamp(bd, rq, b, cwant, OM_SYS_MAX_IO - total);
		err = om_sys_fill(bd, um, b, csrc, data, cap, &used);
		if (err)
			return err;
	}
	rq->used = used;
	return 0;
}

int om_sys_unmarshal_reply(const struct om_sys_req *rq, s64 ret,
			   const struct om_sys_buf *bufs, unsigned int nbuf,
			   struct om_sys_copy *cp, unsigned int ncp)
{
	unsigned int i, k, r = 0, n = 0;

	if (!rq || !rq->desc || (nbuf && !bufs))
		return -EINVAL;
	for (i = 0; i < rq->nbuf; i++) {
		const struct om_sys_bdesc *bd = &rq->desc->buf[rq->bi[i]];
		const struct om_sys_buf *b = &rq->buf[i], *rb;
		u32 want, done = 0, el;

		if (!(b->dir & OM_SYS_OUT))
			continue;
		/* a read cannot return more than was asked */
		el = bd->kind == OM_SYS_B_RET ? bd->size : 1;
		if ((bd->kind == OM_SYS_B_RET || bd->kind == OM_SYS_B_IOV) &&
		    b->len && ret > (s64)(b->len / el))
			return -EBADMSG;
		want = om_sys_out_len(bd, b->len, ret);
		if (!want)
			continue;
		if (r >= nbuf)
			return -EBADMSG;
		rb = &bufs[r++];
		if (rb->arg != b->arg || rb->dir != OM_SYS_OUT || rb->niov ||
		    rb->len != want || !rb->data)
			return -EBADMSG;
		if (bd->kind != OM_SYS_B_IOV) {
			if (n >= ncp)
				return -ENOBUFS;
			cp[n].uaddr = rq->args[b->arg];
			cp[n].src = rb->data;
			cp[n++].len = want;
			continue;
		}
		/* spread over the iovecs as the process gave them */
		for (k = 0; k < b->niov && done < want; k++) {
			const u8 *v = b->data + k * 16;
			u64 l = get_unaligned_le64(v + 8);

			if (l > want - done)
				l = want - done;
			if (!l)
				continue;
			if (n >= ncp)
				return -ENOBUFS;
			cp[n].uaddr = get_unaligned_le64(v);
			cp[n].src = rb->data + done;
			cp[n++].len = (u32)l;
			done += (u32)l;
		}
	}
	if (r != nbuf)
		return -EBADMSG;
	return (int)n;
}

/* ---- Home side ---- */

/* Check request buffer b against descriptor bd and the call's args */
static int om_sys_check(const struct om_sys_bdesc *bd, const u64 args[6],
			const struct om_sys_buf *b)
{
	u64 n, el = bd->size ? bd->size : 1, sum = 0;
	u32 i;

	if (b->arg != bd->arg || b->dir != bd->dir)
		return -EINVAL;
	if (b->niov && bd->kind != OM_SYS_B_IOV)
		return -EINVAL;
	if (om_sys_buf_datalen(b) && !b->data)
		return -EINVAL;
	switch (bd->kind) {
	case OM_SYS_B_FIXED:
		return b->len == bd->size ? 0 : -EINVAL;
	case OM_SYS_B_LEN_ARG:
	case OM_SYS_B_RET:
		n = om_sys_count(bd, args);
		if (n > 0xffffffffULL / el || n * el != b->len)
			return -EINVAL;
		return bd->max && b->len > bd->max ? -EINVAL : 0;
	case OM_SYS_B_FDSET:
		return b->len == om_sys_fdset_bytes(bd, args) ? 0 : -EINVAL;
	case OM_SYS_B_STR:
		if (!b->len || b->len > OM_SYS_PATH_MAX ||
		    !memchr(b->data, 0, b->len))
			return -EINVAL;
		return 0;
	case OM_SYS_B_SIGPAIR:
		return !b->len || b->len == OM_SYS_SZ_SIGSET ? 0 : -EINVAL;
	case OM_SYS_B_IOV:
		if (args[bd->larg] > OM_SYS_MAX_IOV || b->niov != args[bd->larg])
			return -EINVAL;
		for (i = 0; i < b->niov; i++) {
			n = get_unaligned_le64(b->data + i * 16 + 8);
			if (n > OM_SYS_MAX_IO)
				return -E2BIG;
			sum += n;
		}
		return sum == b->len ? 0 : -EINVAL;
	}
	return -EINVAL;
}

static void om_sys_span_add(struct om_sys_plan *p, u64 off, u32 len,
			    const u8 *src)
{
	if (!len)
		return;
	p->in[p->nin].off = (u32)off;
	p->in[p->nin].len = len;
	p->in[p->nin++].src = src;
}

int om_sys_layout(u64 nr, const u64 args[6], const struct om_sys_buf *bufs,
		  unsigned int nbuf, u64 scratch_base, size_t scratch_len,
		  struct om_sys_plan *plan)
{
	const struct om_sys_desc *d;
	u64 total = 0, off = 0, at;
	unsigned int i, j = 0;
	int err;

	plan->nin = 0;
	plan->nreq = 0;
	plan->used = 0;
	plan->desc = NULL;
	if (om_sys_classify(nr, args, &d) != OM_SYS_FORWARD)
		return -EPERM;
	if ((scratch_base & 7) || scratch_base + scratch_len < scratch_base ||
	    nbuf > OM_SYS_MAX_BUFS || (nbuf && !bufs))
		return -EINVAL;

	/* Exactly the buffers the table calls for, in its order */
	for (i = 0; i < d->nbuf; i++) {
		const struct om_sys_bdesc *bd = &d->buf[i];

		if ((bd->flags & OM_SYS_BF_NULLOK) && !args[bd->arg])
			continue;	/* NULL stays NULL */
		if (j >= nbuf)
			return -EINVAL;
		err = om_sys_check(bd, args, &bufs[j]);
		if (err)
			return err;
		total += (u64)bufs[j].niov * OM_SYS_SZ_IOVEC + bufs[j].len;
		if (total > OM_SYS_MAX_IO)
			return -E2BIG;
		j++;
	}
	if (j != nbuf)
		return -EINVAL;

	/* Where each goes: 8-byte aligned, at least 8 bytes each */
	memcpy(plan->args, args, sizeof(plan->args));
	plan->desc = d;
	for (i = 0, j = 0; i < d->nbuf; i++) {
		const struct om_sys_bdesc *bd = &d->buf[i];
		const struct om_sys_buf *b;
		u64 size, cum = 0;
		u32 k, tlen;

		if ((bd->flags & OM_SYS_BF_NULLOK) && !args[bd->arg])
			continue;
		b = &bufs[j++];
		tlen = (u32)b->niov * OM_SYS_SZ_IOVEC;
		size = tlen + b->len;
		if (bd->kind == OM_SYS_B_SIGPAIR)
			size += sizeof(plan->pair);
		size = OM_ALIGN8(size ? size : 1);
		if (size > scratch_len || off > scratch_len - size)
			return -E2BIG;
		at = off;
		plan->args[bd->arg] = scratch_base + at;
		if (bd->kind == OM_SYS_B_IOV) {
			/* a new iovec array over the payload, laid out whole */
			for (k = 0; k < b->niov; k++) {
				u8 *v = plan->iov + k * 16;

				put_unaligned_le64(scratch_base + at + tlen + cum,
						   v);
				memcpy(v + 8, b->data + k * 16 + 8, 8);
				cum += get_unaligned_le64(v + 8);
			}
			om_sys_span_add(plan, at, tlen, plan->iov);
			at += tlen;
			if ((b->dir & OM_SYS_IN) && b->len)
				om_sys_span_add(plan, at, b->len,
						b->data + tlen);
		} else if (bd->kind == OM_SYS_B_SIGPAIR) {
			put_unaligned_le64(b->len ? scratch_base + at + 16 : 0,
					   plan->pair);
			put_unaligned_le64(OM_SYS_SZ_SIGSET, plan->pair + 8);
			om_sys_span_add(plan, at, sizeof(plan->pair),
					plan->pair);
			om_sys_span_add(plan, at + 16, b->len, b->data);
		} else if (b->dir & OM_SYS_IN) {
			om_sys_span_add(plan, at, b->len, b->data);
		}
		if (b->dir & OM_SYS_OUT) {
			plan->req[plan->nreq].arg = bd->arg;
			plan->req[plan->nreq].bi = (u8)i;
			plan->req[plan->nreq].off = (u32)at;
			plan->req[plan->nreq++].len = b->len;
		}
		off += size;
	}
	plan->used = (u32)off;
	return 0;
}

unsigned int om_sys_collect(const struct om_sys_plan *plan, s64 ret,
			    struct om_sys_out *out)
{
	unsigned int i, n = 0;

	if (!plan->desc)
		return 0;
	for (i = 0; i < plan->nreq; i++) {
		u32 len = om_sys_out_len(&plan->desc->buf[plan->req[i].bi],
					 plan->req[i].len, ret);

		if (!len)
			continue;
		out[n].arg = plan->req[i].arg;
		out[n].off = plan->req[i].off;
		out[n++].len = len;
	}
	return n;
}
