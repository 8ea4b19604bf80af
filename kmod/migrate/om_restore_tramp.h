/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The restore trampoline (om_restore.c): a few instructions the restored
 * process runs in user mode, between OM_IOC_RESTORE and its own code, to
 * make system calls that change its memory map as only the kernel's own
 * code may: mprotect() to drop the write permission the restore added to
 * its read-only private mappings (filling them through FOLL_FORCE would
 * bypass proc_mem.force_override=never), madvise() to give mappings back
 * their advice (MADV_DONTFORK, MADV_HUGEPAGE, ...: neither is exported
 * to modules); and, last, to arm its timers, setitimer() and
 * timer_settime(), as late as can be: ITIMER_PROF would count the
 * restore's own CPU time.  CRIU's restorer makes the same calls.
 *
 * Layout of the trampoline mapping (one private anonymous mapping):
 *
 *   0x00  code, below
 *   0x60  __u32 fd, __u32 cmd: the finishing ioctl
 *   0x68  struct om_rst_tramp_op[]: syscall nr(a1, a2, a3, a4), ended by
 *         an entry with nr 0 (read(), which the table never makes)
 *   then  data the calls point to (struct itimerval, itimerspec)
 *
 *   00: 48 8d 1d 61 00 00 00   lea    0x61(%rip),%rbx    # the table
 *   07: 48 8b 43 20            mov    0x20(%rbx),%rax    # nr
 *   0b: 48 85 c0               test   %rax,%rax
 *   0e: 74 1c                  je     2c                 # table done
 *   10: 48 8b 3b               mov    (%rbx),%rdi        # a1
 *   13: 48 8b 73 08            mov    0x8(%rbx),%rsi     # a2
 *   17: 48 8b 53 10            mov    0x10(%rbx),%rdx    # a3
 *   1b: 4c 8b 53 18            mov    0x18(%rbx),%r10    # a4
 *   1f: 0f 05                  syscall
 *   21: 48 85 c0               test   %rax,%rax
 *   24: 75 08                  jne    2e                 # -errno, %rbx: entry
 *   26: 48 83 c3 28            add    $0x28,%rbx
 *   2a: eb db                  jmp    7
 *   2c: 31 c0                  xor    %eax,%eax
 *   2e: 48 89 c2               mov    %rax,%rdx          # arg: 0 or -errno
 *   31: 8b 3d 29 00 00 00      mov    0x29(%rip),%edi    # fd
 *   37: 8b 35 27 00 00 00      mov    0x27(%rip),%esi    # cmd
 *   3d: b8 10 00 00 00         mov    $0x10,%eax         # __NR_ioctl
 *   42: 0f 05                  syscall                   # never returns here
 *   44: 0f 0b                  ud2
 *
 * Plain C types only: tests/ckpt/tramp_test.c runs it in userspace.
 */
#ifndef _OM_RESTORE_TRAMP_H
#define _OM_RESTORE_TRAMP_H

#include <linux/types.h>

#define OM_RST_TRAMP_FD		0x60
#define OM_RST_TRAMP_CMD	0x64
#define OM_RST_TRAMP_TABLE	0x68
#define OM_RST_TRAMP_IOCTL_END	0x44	/* ip after the finishing ioctl */

/* one system call: nr(a1, a2, a3, a4); it must return 0 */
struct om_rst_tramp_op {
	__u64 a1, a2, a3, a4, nr;
};

static const __u8 om_rst_tramp_code[] = {
	0x48, 0x8d, 0x1d, 0x61, 0x00, 0x00, 0x00,
	0x48, 0x8b, 0x43, 0x20,
	0x48, 0x85, 0xc0,
	0x74, 0x1c,
	0x48, 0x8b, 0x3b,
	0x48, 0x8b, 0x73, 0x08,
	0x48, 0x8b, 0x53, 0x10,
	0x4c, 0x8b, 0x53, 0x18,
	0x0f, 0x05,
	0x48, 0x85, 0xc0,
	0x75, 0x08,
	0x48, 0x83, 0xc3, 0x28,
	0xeb, 0xdb,
	0x31, 0xc0,
	0x48, 0x89, 0xc2,
	0x8b, 0x3d, 0x29, 0x00, 0x00, 0x00,
	0x8b, 0x35, 0x27, 0x00, 0x00, 0x00,
	0xb8, 0x10, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0x0f, 0x0b,
};

/* bytes of the mapping for n entries (the terminating one included) */
static inline __u64 om_rst_tramp_size(__u64 n)
{
	return OM_RST_TRAMP_TABLE + (n + 1) * sizeof(struct om_rst_tramp_op);
}

#endif /* _OM_RESTORE_TRAMP_H */
