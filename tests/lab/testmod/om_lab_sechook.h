/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * What the lab's deputy hook experiment (om_lab_sechook.ko) and its
 * test program (tests/ckpt/sechook_prog.c) share.  Lab test only.
 *
 * /proc/om_lab_sechook (root, 0600), one command per write():
 *   "mark FD"   mark the writer: FD must be this same open file.  While
 *               marked, and only if the task has a seccomp filter (so
 *               that the kernel calls __secure_computing()), its
 *               getpid, getppid, time, and read and pread64 of FD are
 *               served by the module's handler instead of the kernel.
 *               Unmarked on "unmark" or when the file is closed.
 *   "unmark"
 *   "post N"    a value for one forwarded read of a marked task (EBUSY
 *               while one is still unread)
 *   "hook 0|1"  unregister / register the ftrace ops (it is registered
 *               at load)
 * A read() that is not forwarded returns counters, "NAME VALUE" lines:
 *   hook         1: the ftrace ops is registered
 *   marked       tasks marked now
 *   waiters      tasks in a forwarded read now
 *   posted       1: a posted value is unread
 *   getpid getppid time read pread   handler entries, per call
 *   interrupted  forwarded reads ended by a signal
 *   closed       forwarded reads ended by the module unload (EIO)
 *   atomic       handler entries in atomic context (must stay 0)
 *
 * Served calls: getppid returns OM_SECHOOK_MAGIC_PPID; getpid the real
 * tgid (the handler is entered, nothing else changes); time(tloc)
 * OM_SECHOOK_MAGIC_TIME; read(FD, buf, n >= 8) waits interruptibly for
 * a posted value and stores it as 8 bytes (returns 8); pread64 the same
 * with a killable wait.
 */
#ifndef OM_LAB_SECHOOK_H
#define OM_LAB_SECHOOK_H

#define OM_SECHOOK_NAME		"om_lab_sechook"
#define OM_SECHOOK_PROC		"/proc/" OM_SECHOOK_NAME
#define OM_SECHOOK_MAGIC_PPID	0x4f4d4e47		/* "OMNG" */
#define OM_SECHOOK_MAGIC_TIME	0x4f4d5449L		/* "OMTI", in 2012 */
#define OM_SECHOOK_MAX_MARKS	8

#endif /* OM_LAB_SECHOOK_H */
