// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * tramp_test: runs the restore trampoline (kmod/migrate/om_restore_tramp.h)
 * in userspace.  Its finishing ioctl goes to /dev/null here (ENOTTY), so
 * it falls through to its ud2; the SIGILL handler looks at the registers
 * the kernel's ioctl handler would see.  Checks that every table entry
 * was applied (mprotect() in /proc/self/maps, madvise() in the VmFlags of
 * /proc/self/smaps, setitimer() and timer_settime() with four arguments,
 * zeros among them, in getitimer() and timer_gettime()), and that a
 * failing call stops the table there and hands its -errno and entry on.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "om_restore_tramp.h"

#define CMD	0x4f7f

static sigjmp_buf env;
static greg_t regs[NGREG];
static int fails;

static void on_sigill(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	memcpy(regs, ((ucontext_t *)uc)->uc_mcontext.gregs, sizeof(regs));
	siglongjmp(env, 1);
}

static void check(int ok, const char *what)
{
	printf("%s - trampoline: %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		fails++;
}

/* the permissions /proc/self/maps shows at addr ("r-xp"), or "" */
static const char *perms(uintptr_t addr)
{
	static char p[8];
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	p[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char pp[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, pp) == 3 &&
		    addr >= lo && addr < hi) {
			strcpy(p, pp);
			break;
		}
	}
	if (f)
		fclose(f);
	return p;
}

/* does the VmFlags line of the mapping at addr have flag (e.g. "dc")? */
static int vmflag(uintptr_t addr, const char *flag)
{
	char line[512];
	int in = 0, found = 0;
	FILE *f = fopen("/proc/self/smaps", "re");

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = addr >= lo && addr < hi;
		else if (in && !strncmp(line, "VmFlags:", 8)) {
			char *tok = strtok(line + 8, " \n");

			for (; tok; tok = strtok(NULL, " \n"))
				found |= !strcmp(tok, flag);
			break;
		}
	}
	if (f)
		fclose(f);
	return found;
}

/* runs the trampoline at t; 0 when it reached its ud2 */
static int run(uint8_t *t)
{
	if (sigsetjmp(env, 1))
		return 0;
	((void (*)(void))t)();
	return -1;
}

static uint8_t *setup(size_t n, size_t *len, int fd)
{
	uint8_t *t;

	*len = (om_rst_tramp_size(n) + 4095) & ~4095UL;
	t = mmap(NULL, *len, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(t, 0, *len);
	memcpy(t, om_rst_tramp_code, sizeof(om_rst_tramp_code));
	*(uint32_t *)(t + OM_RST_TRAMP_FD) = fd;
	*(uint32_t *)(t + OM_RST_TRAMP_CMD) = CMD;
	return t;
}

static struct om_rst_tramp_op *tab(uint8_t *t)
{
	return (struct om_rst_tramp_op *)(t + OM_RST_TRAMP_TABLE);
}

#define PROT(a, l, p)	((struct om_rst_tramp_op){ .a1 = (uintptr_t)(a), .a2 = (l), .a3 = (p), \
						   .nr = SYS_mprotect })
#define MADV(a, l, m)	((struct om_rst_tramp_op){ .a1 = (uintptr_t)(a), .a2 = (l), .a3 = (m), \
						   .nr = SYS_madvise })
#define SYSCALL4(n, x1, x2, x3, x4) \
	((struct om_rst_tramp_op){ .a1 = (x1), .a2 = (x2), .a3 = (x3), .a4 = (x4), .nr = (n) })

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigill, .sa_flags = SA_SIGINFO };
	int fd = open("/dev/null", O_RDONLY);
	uint8_t *t, *a, *b, *c;
	size_t len;

	if (fd < 0 || sigaction(SIGILL, &sa, NULL)) {
		perror("setup");
		return 1;
	}
	a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(a, 0x5a, 3 * 4096);
	b = a + 4096;
	c = a + 2 * 4096;

	/* 1: the trampoline itself, then three ranges, then advice */
	t = setup(6, &len, fd);
	tab(t)[0] = PROT(t, len, PROT_READ | PROT_EXEC);
	tab(t)[1] = PROT(a, 4096, PROT_READ);
	tab(t)[2] = PROT(b, 4096, PROT_NONE);
	tab(t)[3] = PROT(c, 4096, PROT_READ | PROT_EXEC);
	tab(t)[4] = MADV(a, 4096, MADV_DONTFORK);
	tab(t)[5] = MADV(c, 4096, MADV_DONTDUMP);
	check(run(t) == 0, "runs to its ud2");
	check(regs[REG_RIP] == (greg_t)(uintptr_t)(t + OM_RST_TRAMP_IOCTL_END),
	      "the ioctl ends at OM_RST_TRAMP_IOCTL_END");
	check(regs[REG_RAX] == -ENOTTY && regs[REG_RDI] == fd && regs[REG_RSI] == CMD &&
	      regs[REG_RDX] == 0, "ioctl(fd, cmd, 0) after a complete table");
	check(!strcmp(perms((uintptr_t)t), "r-xp"), "its own mapping is r-x");
	check(!strcmp(perms((uintptr_t)a), "r--p"), "entry 1 is r--");
	check(!strcmp(perms((uintptr_t)b), "---p"), "entry 2 is ---");
	check(!strcmp(perms((uintptr_t)c), "r-xp"), "entry 3 is r-x");
	check(a[0] == 0x5a && c[4095] == 0x5a, "the data stays");
	check(vmflag((uintptr_t)a, "dc") && !vmflag((uintptr_t)b, "dc"),
	      "entry 4: MADV_DONTFORK on entry 1's page only");
	check(vmflag((uintptr_t)c, "dd") && !vmflag((uintptr_t)a, "dd"),
	      "entry 5: MADV_DONTDUMP on entry 3's page only");
	munmap(t, len);

	/* 2: the second entry fails (bad prot); the third is not applied */
	mprotect(a, 3 * 4096, PROT_READ | PROT_WRITE);
	t = setup(3, &len, fd);
	tab(t)[0] = PROT(a, 4096, PROT_READ);
	tab(t)[1] = PROT(b, 4096, 0x10000);
	tab(t)[2] = PROT(c, 4096, PROT_READ);
	check(run(t) == 0, "a failing mprotect: runs to its ud2");
	check(regs[REG_RDX] == -EINVAL, "the failing mprotect's -errno is the ioctl's arg");
	check(regs[REG_RBX] == (greg_t)(uintptr_t)&tab(t)[1], "%rbx is the failing entry");
	check(!strcmp(perms((uintptr_t)a), "r--p") && !strcmp(perms((uintptr_t)c), "rw-p"),
	      "entries before it applied, after it not");
	munmap(t, len);

	/* 3: a failing madvise (no such advice) stops the table too */
	mprotect(a, 3 * 4096, PROT_READ | PROT_WRITE);
	t = setup(3, &len, fd);
	tab(t)[0] = MADV(b, 4096, MADV_DONTFORK);
	tab(t)[1] = MADV(b, 4096, 0x7777);
	tab(t)[2] = PROT(c, 4096, PROT_READ);
	check(run(t) == 0 && regs[REG_RDX] == -EINVAL &&
	      regs[REG_RBX] == (greg_t)(uintptr_t)&tab(t)[1],
	      "a failing madvise: its -errno and entry");
	check(vmflag((uintptr_t)b, "dc") && !strcmp(perms((uintptr_t)c), "rw-p"),
	      "the entry before it applied, the one after not");
	munmap(t, len);

	/* 4: an empty table (only the terminator) */
	t = setup(0, &len, fd);
	regs[REG_RDX] = -1;
	check(run(t) == 0 && regs[REG_RDX] == 0, "an empty table: ioctl(fd, cmd, 0)");
	munmap(t, len);

	/* 5: timers, from data in the mapping, which is r-x by then */
	{
		struct itimerval itv = { { 0, 300000 }, { 7, 0 } }, got;
		struct itimerspec its = { { 2, 5 }, { 9, 0 } }, old, now;
		struct sigevent sev = { .sigev_notify = SIGEV_NONE };
		struct itimerval *pitv;
		struct itimerspec *pits;
		int tid0 = -1, tid1 = -1;

		/* ids 0 and 1 of this process; 0 is made with a1 = a2 = 0 */
		if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid0) ||
		    syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid1) || tid0 != 0) {
			perror("timer_create");
			return 1;
		}
		memset(&old, 0x55, sizeof(old));
		t = setup(4 + 2, &len, fd);
		pitv = (struct itimerval *)(t + om_rst_tramp_size(4));
		pits = (struct itimerspec *)(pitv + 1);
		*pitv = itv;
		*pits = its;
		tab(t)[0] = PROT(t, len, PROT_READ | PROT_EXEC);
		tab(t)[1] = SYSCALL4(SYS_setitimer, ITIMER_PROF, (uintptr_t)pitv, 0, 0);
		tab(t)[2] = SYSCALL4(SYS_timer_settime, tid0, 0, (uintptr_t)pits, 0);
		tab(t)[3] = SYSCALL4(SYS_timer_settime, tid1, 0, (uintptr_t)pits, (uintptr_t)&old);
		check(run(t) == 0 && regs[REG_RDX] == 0, "setitimer, timer_settime: complete table");
		check(!getitimer(ITIMER_PROF, &got) && got.it_interval.tv_usec == 300000 &&
		      !got.it_interval.tv_sec && got.it_value.tv_sec <= 7 &&
		      (got.it_value.tv_sec || got.it_value.tv_usec),
		      "ITIMER_PROF armed, interval exact");
		check(!syscall(SYS_timer_gettime, tid0, &now) && now.it_interval.tv_sec == 2 &&
		      now.it_interval.tv_nsec == 5 && now.it_value.tv_sec <= 9 &&
		      (now.it_value.tv_sec || now.it_value.tv_nsec),
		      "timer 0 armed (a1 and a2 0 do not end the table)");
		check(!syscall(SYS_timer_gettime, tid1, &now) && now.it_interval.tv_sec == 2,
		      "timer 1 armed");
		check(!old.it_value.tv_sec && !old.it_value.tv_nsec && !old.it_interval.tv_sec,
		      "a4 is the fourth argument (the old, disarmed value came back)");
		itv = (struct itimerval){ { 0, 0 }, { 0, 0 } };
		setitimer(ITIMER_PROF, &itv, NULL);
		syscall(SYS_timer_delete, tid0);
		syscall(SYS_timer_delete, tid1);
		munmap(t, len);
	}

	printf("# tramp_test: %d failed\n", fails);
	return fails != 0;
}
