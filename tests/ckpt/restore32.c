// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * restore32: a 32-bit (compat) caller of OM_IOC_RESTORE, which the kernel
 * must refuse (EOPNOTSUPP).  Run in an image directory; exits with the
 * errno of the ioctl (0 if it succeeded, 1 if the device or directory
 * did not open).  Freestanding i386 code with int $0x80 system calls, so
 * that it builds without a 32-bit libc.
 */
#define NR_EXIT		1
#define NR_OPEN		5
#define NR_IOCTL	54
#define O_RDWR		2
#define O_DIRECTORY	0200000
/* _IOWR(OM_IOC_MAGIC, 2, struct om_restore_req): 160 bytes on i386 too */
#define OM_IOC_RESTORE	0xC0A0B702u

struct om_restore_req {
	unsigned int size, flags;
	int dir_fd, status_fd, pid;
	unsigned int vmas;
	unsigned long long pages;
	char reason[128];
};

static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return r;
}

void _start(void)
{
	static struct om_restore_req req;
	long dev, dir, ret;

	dev = sys3(NR_OPEN, (long)"/dev/openmosix", O_RDWR, 0);
	dir = sys3(NR_OPEN, (long)".", O_DIRECTORY, 0);
	if (dev < 0 || dir < 0)
		sys3(NR_EXIT, 1, 0, 0);
	req.size = sizeof(req);
	req.dir_fd = dir;
	req.status_fd = -1;
	ret = sys3(NR_IOCTL, dev, OM_IOC_RESTORE, (long)&req);
	sys3(NR_EXIT, ret < 0 ? -ret : 0, 0, 0);
	for (;;)
		;
}
