// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * tramp_test: runs the restore trampoline (kmod/migrate/om_restore_tramp.h)
 * in userspace.  Its finishing ioctl goes to /dev/null here (ENOTTY), so
 * it falls through to its ud2; the SIGILL handler looks at the registers
 * the kernel's ioctl handler would see.  Checks that every table entry
 * was mprotect()ed (in /proc/self/maps), and that a failing mprotect()
 * stops the table there and hands its -errno and entry on.
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

static struct om_rst_tramp_prot *tab(uint8_t *t)
{
	return (struct om_rst_tramp_prot *)(t + OM_RST_TRAMP_TABLE);
}

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

	/* 1: the trampoline itself, then three ranges */
	t = setup(4, &len, fd);
	tab(t)[0] = (struct om_rst_tramp_prot){ (uintptr_t)t, len, PROT_READ | PROT_EXEC };
	tab(t)[1] = (struct om_rst_tramp_prot){ (uintptr_t)a, 4096, PROT_READ };
	tab(t)[2] = (struct om_rst_tramp_prot){ (uintptr_t)b, 4096, PROT_NONE };
	tab(t)[3] = (struct om_rst_tramp_prot){ (uintptr_t)c, 4096, PROT_READ | PROT_EXEC };
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
	munmap(t, len);

	/* 2: the second entry fails (bad prot); the third is not applied */
	mprotect(a, 3 * 4096, PROT_READ | PROT_WRITE);
	t = setup(3, &len, fd);
	tab(t)[0] = (struct om_rst_tramp_prot){ (uintptr_t)a, 4096, PROT_READ };
	tab(t)[1] = (struct om_rst_tramp_prot){ (uintptr_t)b, 4096, 0x10000 };
	tab(t)[2] = (struct om_rst_tramp_prot){ (uintptr_t)c, 4096, PROT_READ };
	check(run(t) == 0, "a failing mprotect: runs to its ud2");
	check(regs[REG_RDX] == -EINVAL, "the failing mprotect's -errno is the ioctl's arg");
	check(regs[REG_RBX] == (greg_t)(uintptr_t)&tab(t)[1], "%rbx is the failing entry");
	check(!strcmp(perms((uintptr_t)a), "r--p") && !strcmp(perms((uintptr_t)c), "rw-p"),
	      "entries before it applied, after it not");
	munmap(t, len);

	/* 3: an empty table (only the terminator) */
	t = setup(0, &len, fd);
	regs[REG_RDX] = -1;
	check(run(t) == 0 && regs[REG_RDX] == 0, "an empty table: ioctl(fd, cmd, 0)");
	munmap(t, len);

	printf("# tramp_test: %d failed\n", fails);
	return fails != 0;
}
