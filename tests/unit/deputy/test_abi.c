// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The x86_64 ABI sizes om_systab.h spells out, against the C library's
 * and the kernel's UAPI headers.  (The constants om_systab.c spells out
 * are checked by test_classify() through the C library's values.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <linux/openat2.h>
#include "tap.h"
#include "tests.h"
#include "om_systab.h"

void test_abi(void)
{
	TAP_CHECK(sizeof(struct stat) == OM_SYS_SZ_STAT &&
		  sizeof(struct statx) == OM_SYS_SZ_STATX &&
		  sizeof(struct statfs) == OM_SYS_SZ_STATFS,
		  "abi: struct stat, statx, statfs");
	TAP_CHECK(sizeof(struct rusage) == OM_SYS_SZ_RUSAGE &&
		  sizeof(siginfo_t) == OM_SYS_SZ_SIGINFO &&
		  sizeof(struct utsname) == OM_SYS_SZ_UTSNAME &&
		  sizeof(struct sysinfo) == OM_SYS_SZ_SYSINFO,
		  "abi: struct rusage, siginfo_t, utsname, sysinfo");
	TAP_CHECK(abi_kernel_termios_size() == OM_SYS_SZ_TERMIOS &&
		  sizeof(struct winsize) == OM_SYS_SZ_WINSIZE &&
		  sizeof(struct flock) == OM_SYS_SZ_FLOCK,
		  "abi: the kernel's struct termios, winsize, flock");
	TAP_CHECK(sizeof(struct pollfd) == OM_SYS_SZ_POLLFD &&
		  sizeof(struct timespec) == OM_SYS_SZ_TIMESPEC &&
		  sizeof(struct timeval) == OM_SYS_SZ_TIMEVAL &&
		  sizeof(struct iovec) == OM_SYS_SZ_IOVEC &&
		  (NSIG - 1) / 8 == OM_SYS_SZ_SIGSET &&
		  sizeof(struct open_how) == 24,
		  "abi: struct pollfd, timespec, timeval, iovec, sigset, open_how");
	TAP_CHECK(__NR_read == 0 && __NR_getpid == 39 && __NR_openat == 257 &&
		  __NR_pselect6 == 270 && __NR_statx == 332 &&
		  __NR_openat2 == 437 && __NR_faccessat2 == 439,
		  "abi: x86_64 syscall numbers from <asm/unistd_64.h>");
}
