// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The openMosix-NG developers. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include "synth.h"

static u32 threads[1] = { SYN_PID };
static struct om_criu_user_x86_regs_entry regs;
static struct om_criu_user_x86_fpregs_entry fpregs;
static struct om_criu_user_x86_xsave_entry xsave;
static u32 st_space[32], xmm_space[64], ymmh[64], pkru[2];
static struct om_criu_user_desc tls[3];
static struct om_criu_thread_info_x86 ti;
static struct om_criu_task_core_entry tc;
static struct om_criu_sa_entry sa[OM_CRIU_NR_SIGACTIONS];
static struct om_criu_rlimit_entry rl[OM_CRIU_NR_RLIMITS];
static struct om_criu_task_rlimits_entry rlimits;
static struct om_criu_itimer_entry itimers[3];
static struct om_criu_task_timers_entry timers;
static struct om_criu_posix_timer_entry ptimers[3];
static struct om_criu_thread_core_entry thc;
static struct om_criu_creds_entry creds;
static u32 caps[4][2] = { { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0xffffffff, 0x1ff } };
static u32 groups[2] = { 1000, 27 };
static struct om_criu_thread_sas_entry sas;
static struct om_criu_rseq_entry rseq;
static u8 siginfo_raw[128];
static struct om_criu_siginfo_entry siginfo;
static struct om_criu_signal_queue_entry sigq;
static struct om_criu_vma_entry vmas[6];
static u64 auxv[6] = { 6, 4096, 25, 0x7ffc00020100ull, 0, 0 };
static struct om_criu_reg_file_entry regs_f[16];
static struct om_criu_fown_entry fown;
static struct om_criu_pipe_entry pipes[2];
static struct om_criu_tty_file_entry ttyf;
static struct om_criu_fifo_entry fifo;
static struct om_criu_eventfd_file_entry efd;
static struct om_criu_signalfd_entry sgfd;
static struct om_criu_timerfd_entry tmfd;
static struct om_criu_eventpoll_tfd_entry ep_tfd[3];
static struct om_criu_eventpoll_file_entry epfd;
static struct om_criu_termios_entry termios;
static u32 c_cc[19] = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 };
static struct om_criu_winsize_entry winsize = { 24, 80, 0, 0 };
static struct om_criu_tty_pty_entry pty = { 3 };
static struct om_criu_timespec_entry mono = { 1000, 5 }, boot = { 1010, 7 };
static struct om_criu_timeval gtimes[2][2] = {
	{ { 1700000000, 123456 }, { 1700000100, 654321 } },
	{ { 1700000200, 1 }, { 1700000300, 999999 } },
};

const struct synth_piece synth_ghost1[2] = { { 0, 4096, 0x61 }, { 12288, 4000, 0x7a } };

static void build_core(struct synth *s)
{
	unsigned int i, sig;

	regs.ip = SYN_IP;
	regs.sp = SYN_SP;
	regs.ax = (u64)-512;	/* -ERESTARTSYS, fixed up below */
	regs.orig_ax = 7;	/* poll */
	regs.cs = 0x33;
	regs.ss = 0x2b;
	regs.flags = 0x246;
	regs.fs_base = 0x7f0000001740ull;
	regs.bx = 0x1111;
	regs.r15 = 0xfedcba9876543210ull;
	regs.has_mode = true;
	regs.mode = OM_CRIU_REGS_NATIVE;
	om_criu_x86_fixup_restart(&regs);

	for (i = 0; i < 32; i++)
		st_space[i] = i;
	for (i = 0; i < 64; i++) {
		xmm_space[i] = 0x01010101u * i;
		ymmh[i] = ~i;
	}
	pkru[0] = 0x55555554;
	xsave.xstate_bv = 0x207;
	xsave.ymmh_space = ymmh;
	xsave.n_ymmh_space = 64;
	xsave.pkru = pkru;
	xsave.n_pkru = 2;
	fpregs.cwd = 0x37f;
	fpregs.mxcsr = 0x1f80;
	fpregs.mxcsr_mask = 0xffff;
	fpregs.st_space = st_space;
	fpregs.n_st_space = 32;
	fpregs.xmm_space = xmm_space;
	fpregs.n_xmm_space = 64;
	fpregs.xsave = &xsave;
	for (i = 0; i < 3; i++) {
		tls[i].entry_number = 12 + i;
		tls[i].seg_32bit = true;
		tls[i].contents_h = true;
		tls[i].read_exec_only = true;
		tls[i].limit_in_pages = true;
		tls[i].seg_not_present = true;
	}
	ti.clear_tid_addr = 0x7f0000001a10ull;
	ti.gpregs = &regs;
	ti.fpregs = &fpregs;
	ti.tls = tls;
	ti.n_tls = 3;

	for (i = 0, sig = 1; sig <= 64; sig++) {
		if (sig == 9 || sig == 19)
			continue;
		sa[i].sigaction = sig == 10 ? 0x401500 : 0;
		sa[i].flags = sig == 10 ? 0x04000004 : 0;
		sa[i].restorer = sig == 10 ? 0x7f0000042520ull : 0;
		sa[i].mask = sig == 10 ? 1ull << 11 : 0;
		sa[i].has_compat_sigaction = true;
		i++;
	}
	for (i = 0; i < OM_CRIU_NR_RLIMITS; i++)
		rl[i].cur = rl[i].max = ~0ull;
	rl[7].cur = 1024;	/* NOFILE */
	rl[7].max = 524288;
	rlimits.rlimits = rl;
	rlimits.n_rlimits = OM_CRIU_NR_RLIMITS;
	timers.real = &itimers[0];
	timers.virt = &itimers[1];
	timers.prof = &itimers[2];
	itimers[0].isec = 2;
	itimers[0].vsec = 1;
	itimers[2].iusec = 10000;	/* ITIMER_PROF, 10 ms */
	itimers[2].vusec = 7000;
	/* as criu writes them: /proc/PID/timers order, newest first */
	ptimers[0].it_id = 2;
	ptimers[0].clock_id = OM_CRIU_CLOCK_BOOTTIME;
	ptimers[0].si_signo = 0;
	ptimers[0].it_sigev_notify = OM_CRIU_SIGEV_NONE;
	ptimers[0].vsec = 5;
	ptimers[1].it_id = 1;
	ptimers[1].clock_id = OM_CRIU_CLOCK_MONOTONIC;
	ptimers[1].si_signo = 34;	/* SIGRTMIN */
	ptimers[1].it_sigev_notify = OM_CRIU_SIGEV_SIGNAL | OM_CRIU_SIGEV_THREAD_ID;
	ptimers[1].has_notify_thread_id = true;
	ptimers[1].notify_thread_id = SYN_PID;
	ptimers[1].sival_ptr = 0x7ffc00001000ull;
	ptimers[1].overrun = 3;
	ptimers[1].isec = 1;
	ptimers[1].vnsec = 250000000;
	ptimers[2].it_id = 0;
	ptimers[2].clock_id = OM_CRIU_CLOCK_REALTIME;
	ptimers[2].si_signo = 14;	/* SIGALRM */
	ptimers[2].it_sigev_notify = OM_CRIU_SIGEV_SIGNAL;
	ptimers[2].sival_ptr = 0;	/* disarmed */
	timers.posix = ptimers;
	timers.n_posix = 3;
	siginfo_raw[0] = 10;	/* si_signo = SIGUSR1 */
	siginfo.siginfo.data = siginfo_raw;
	siginfo.siginfo.len = sizeof(siginfo_raw);
	sigq.signals = &siginfo;
	sigq.n_signals = 1;

	tc.task_state = OM_CRIU_TASK_ALIVE;
	tc.personality = 0;
	tc.flags = 0x400100;
	tc.blk_sigset = 1ull << 1;	/* SIGINT (sig 2) */
	tc.comm = "omtest";
	tc.timers = &timers;
	tc.rlimits = &rlimits;
	tc.signals_s = &sigq;
	tc.has_loginuid = true;
	tc.loginuid = 1000;
	tc.has_oom_score_adj = true;
	tc.oom_score_adj = -100;
	tc.sigactions = sa;
	tc.n_sigactions = OM_CRIU_NR_SIGACTIONS;
	tc.has_child_subreaper = true;

	creds.uid = creds.euid = creds.suid = creds.fsuid = 1000;
	creds.gid = creds.egid = creds.sgid = creds.fsgid = 1000;
	creds.cap_inh = caps[0];
	creds.n_cap_inh = 2;
	creds.cap_prm = caps[1];
	creds.n_cap_prm = 2;
	creds.cap_eff = caps[2];
	creds.n_cap_eff = 2;
	creds.cap_bnd = caps[3];
	creds.n_cap_bnd = 2;
	creds.groups = groups;
	creds.n_groups = 2;
	sas.ss_flags = 2;	/* SS_DISABLE */
	rseq.rseq_abi_pointer = 0x7f0000001fe0ull;
	rseq.rseq_abi_size = 32;
	rseq.signature = 0x53053053;
	thc.futex_rla = 0x7f0000001a20ull;
	thc.futex_rla_len = 24;
	thc.has_sched_nice = true;
	thc.sched_nice = -5;
	thc.has_sched_policy = true;
	thc.has_sched_prio = true;
	thc.sas = &sas;
	thc.has_pdeath_sig = true;
	thc.creds = &creds;
	thc.has_seccomp_mode = true;
	thc.comm = "omtest";
	thc.rseq_entry = &rseq;

	s->core.mtype = OM_CRIU_MARCH_X86_64;
	s->core.thread_info = &ti;
	s->core.tc = &tc;
	s->core.thread_core = &thc;
}

static void build_mm(struct synth *s)
{
	static const struct om_criu_vma_entry v[6] = {
		{ 0x400000, 0x402000, 0, 1, 5, 2, 0x41, -1, true, 0, true, 0 },
		{ 0x1000000, 0x1021000, 0, 0, 3, 0x22, 0x221, -1, false, 0, false, 0 },
		{ 0x7ffc00000000ull, 0x7ffc00021000ull, 0, 0, 3, 0x122, 0x201, -1,
		  true, 1ull << 14, false, 0 },
		{ 0x7fff00000000ull, 0x7fff00004000ull, 0, 0, 1, 0x22, 0x1201, -1,
		  false, 0, false, 0 },
		{ 0x7fff00004000ull, 0x7fff00006000ull, 0, 0, 5, 0x22, 0x209, -1,
		  false, 0, false, 0 },
		/* shared anonymous: criu's simple form (status 0x101, flags 0x21) */
		{ SYN_SHM_START, SYN_SHM_START + SYN_SHM_PAGES * OM_CRIU_PAGE_SIZE, 0, SYN_SHMID,
		  3, 0x21, 0x101, -1, false, 0, false, 0 },
	};
	struct om_criu_mm_entry *mm = &s->mm;

	memcpy(vmas, v, sizeof(v));
	mm->mm_start_code = 0x400000;
	mm->mm_end_code = 0x401800;
	mm->mm_start_data = 0x402000;
	mm->mm_end_data = 0x402000;
	mm->mm_start_stack = 0x7ffc00020f00ull;
	mm->mm_start_brk = 0x1000000;
	mm->mm_brk = 0x1021000;
	mm->mm_arg_start = 0x7ffc00020f10ull;
	mm->mm_arg_end = 0x7ffc00020f20ull;
	mm->mm_env_start = 0x7ffc00020f20ull;
	mm->mm_env_end = 0x7ffc00020fe0ull;
	mm->exe_file_id = 1;
	mm->mm_saved_auxv = auxv;
	mm->n_mm_saved_auxv = 6;
	mm->vmas = vmas;
	mm->n_vmas = 6;
	mm->has_dumpable = true;
	mm->dumpable = 1;
}

static void add_reg(struct synth *s, u32 id, const char *name, u32 flags,
		    u32 mode, u64 size)
{
	struct om_criu_reg_file_entry *r = &regs_f[s->n_files];
	struct om_criu_file_entry *f = &s->files[s->n_files++];

	r->id = id;
	r->flags = flags;
	r->fown = &fown;
	r->name = (char *)name;
	r->has_mode = true;
	r->mode = mode;
	if (size) {
		r->has_size = true;
		r->size = size;
	}
	f->type = OM_CRIU_FD_REG;
	f->id = id;
	f->reg = r;
}

static void add_fd(struct synth *s, u32 fd, u32 id, u32 type)
{
	struct om_criu_fdinfo_entry *e = &s->fdinfo[s->n_fdinfo++];

	e->fd = fd;
	e->id = id;
	e->type = type;
	e->flags = fd > 2;	/* FD_CLOEXEC on the pipe ends */
}

/* Deleted files as criu writes them: REG entries by path, remapped to ghosts */
static void build_ghosts(struct synth *s)
{
	unsigned int i;

	add_reg(s, 15, SYN_GHOST_PATH, 0x8002, 0100640, SYN_GHOST1_SIZE);
	s->files[s->n_files - 1].reg->pos = 3;
	add_reg(s, 16, SYN_GHOST2_PATH, 0x8000, 0100400, sizeof(SYN_GHOST2_DATA) - 1);
	for (i = 0; i < 2; i++) {
		struct om_criu_ghost_file_entry *g = &s->ghost[i];

		s->remap[i].orig_id = 15 + i;
		s->remap[i].remap_id = 1 + i;
		s->remap[i].has_remap_type = true;
		s->remap[i].remap_type = OM_CRIU_REMAP_GHOST;
		g->uid = 1000;
		g->gid = 1000 + i;
		g->mode = i ? 0100400 : 0100640;
		g->has_dev = g->has_ino = true;
		g->dev = 0x800003;
		g->ino = 4242424242ull + i;
		g->atim = &gtimes[i][0];
		g->mtim = &gtimes[i][1];
	}
	s->ghost[0].has_chunks = s->ghost[0].chunks = true;
	s->ghost[0].has_size = true;
	s->ghost[0].size = SYN_GHOST1_SIZE;
}

static void build_files(struct synth *s)
{
	struct om_criu_file_entry *f;
	unsigned int i;

	add_reg(s, 1, SYN_EXE, 0x8000, 0100755, 16384);
	add_reg(s, 2, "/", 0x18000, 040755, 0);
	add_reg(s, 3, SYN_CWD, 0x18000, 041777, 0);
	add_reg(s, 4, "/dev/null", 0x8002, 020666, 0);
	for (i = 0; i < 2; i++) {
		pipes[i].id = 5 + i;
		pipes[i].pipe_id = SYN_PIPE_ID;
		pipes[i].flags = i;	/* O_RDONLY, O_WRONLY */
		pipes[i].fown = &fown;
		f = &s->files[s->n_files++];
		f->type = OM_CRIU_FD_PIPE;
		f->id = 5 + i;
		f->pipe = &pipes[i];
	}
	add_reg(s, 8, "/dev/pts/3", 0x8002, 020620, 0);
	ttyf.id = 7;
	ttyf.tty_info_id = 6;
	ttyf.flags = 0x8002;
	ttyf.fown = &fown;
	ttyf.has_regf_id = true;
	ttyf.regf_id = 8;
	f = &s->files[s->n_files++];
	f->type = OM_CRIU_FD_TTY;
	f->id = 7;
	f->tty = &ttyf;
	/* a FIFO as criu 3.17 writes it: its path in a REG entry, then it */
	add_reg(s, 10, SYN_FIFO_PATH, 0x8800, 010600, 0);
	fifo.id = 9;
	fifo.pipe_id = SYN_FIFO_ID;
	fifo.has_regf_id = true;
	fifo.regf_id = 10;
	f = &s->files[s->n_files++];
	f->type = OM_CRIU_FD_FIFO;
	f->id = 9;
	f->fifo = &fifo;

	/*
	 * eventfd, signalfd, timerfd, and an epoll watching two of them and a
	 * pipe (IN|ERR|HUP; the timerfd's EPOLLONESHOT entry has fired)
	 */
	efd = (struct om_criu_eventfd_file_entry){ .id = 11, .flags = 04002, .fown = &fown,
						   .counter = 5 };
	sgfd = (struct om_criu_signalfd_entry){ .id = 12, .flags = 02, .fown = &fown,
						.sigmask = 1ull << (10 - 1) | 1ull << (12 - 1) };
	tmfd = (struct om_criu_timerfd_entry){ .id = 13, .flags = 04002, .fown = &fown,
					       .clockid = 1, .ticks = 2, .settime_flags = 0,
					       .vsec = 3599, .vnsec = 999000000,
					       .isec = 3600, .insec = 0 };
	ep_tfd[0] = (struct om_criu_eventpoll_tfd_entry){ .id = 14, .tfd = 3, .events = 0x19,
							  .data = 0x33 };
	ep_tfd[1] = (struct om_criu_eventpoll_tfd_entry){ .id = 14, .tfd = 6,
							  .events = 0x19 | OM_CRIU_EPOLLET,
							  .data = 0xfeedfacecafe0006ull };
	ep_tfd[2] = (struct om_criu_eventpoll_tfd_entry){ .id = 14, .tfd = 8,
							  .events = OM_CRIU_EPOLLONESHOT,
							  .data = 8 };
	epfd = (struct om_criu_eventpoll_file_entry){ .id = 14, .flags = 02, .fown = &fown,
						      .tfd = ep_tfd, .n_tfd = 3 };
	f = &s->files[s->n_files++];
	f->type = OM_CRIU_FD_EVENTFD;
	f->id = 11;
	f->efd = &efd;
	f = &s->files[s->n_files++];
	f->type = OM_CRIU_FD_SIGNALFD;
	f->id = 12;
	f->sgfd = &sgfd;
	f = &s->files[s->n_files++];
	f->type = OM_CRIU_FD_TIMERFD;
	f->id = 13;
	f->tfd = &tmfd;
	f = &s->files[s->n_files++];
	f->type = OM_CRIU_FD_EVENTPOLL;
	f->id = 14;
	f->epfd = &epfd;

	build_ghosts(s);

	add_fd(s, 0, 4, OM_CRIU_FD_REG);
	add_fd(s, 1, 7, OM_CRIU_FD_TTY);
	add_fd(s, 2, 7, OM_CRIU_FD_TTY);
	add_fd(s, 3, 5, OM_CRIU_FD_PIPE);
	add_fd(s, 4, 6, OM_CRIU_FD_PIPE);
	add_fd(s, 5, 9, OM_CRIU_FD_FIFO);
	add_fd(s, 6, 11, OM_CRIU_FD_EVENTFD);
	add_fd(s, 7, 12, OM_CRIU_FD_SIGNALFD);
	add_fd(s, 8, 13, OM_CRIU_FD_TIMERFD);
	add_fd(s, 9, 14, OM_CRIU_FD_EVENTPOLL);
	add_fd(s, 10, 15, OM_CRIU_FD_REG);
	add_fd(s, 11, 16, OM_CRIU_FD_REG);

	s->pipe_data.pipe_id = SYN_PIPE_ID;
	s->pipe_data.bytes = sizeof(SYN_PIPE_DATA) - 1;
	s->pipe_data.has_size = true;
	s->pipe_data.size = 65536;
	s->fifo_data.pipe_id = SYN_FIFO_ID;
	s->fifo_data.bytes = sizeof(SYN_FIFO_DATA) - 1;
	s->fifo_data.has_size = true;
	s->fifo_data.size = 1 << 20;

	termios.c_iflag = 0x500;
	termios.c_oflag = 5;
	termios.c_cflag = 0xbf;
	termios.c_lflag = 0x8a3b;
	termios.c_cc = c_cc;
	termios.n_c_cc = 19;
	s->tty.id = 6;
	s->tty.type = OM_CRIU_TTY_PTY;
	s->tty.sid = SYN_PID;
	s->tty.pgrp = SYN_PID;
	s->tty.rdev = (136 << 8) | 3;
	s->tty.termios = &termios;
	s->tty.termios_locked = &termios;
	s->tty.winsize = &winsize;
	s->tty.pty = &pty;
	s->tty.has_dev = true;
	s->tty.dev = 0x19;
	s->tty.has_uid = true;
	s->tty.uid = 1000;
	s->tty.has_gid = true;
	s->tty.gid = 5;
}

void synth_build(struct synth *s)
{
	memset(s, 0, sizeof(*s));
	s->root_ids.vm_id = s->root_ids.files_id = 1;
	s->root_ids.fs_id = s->root_ids.sighand_id = 1;
	s->root_ids.has_pid_ns_id = s->root_ids.has_net_ns_id = true;
	s->root_ids.has_ipc_ns_id = s->root_ids.has_uts_ns_id = true;
	s->root_ids.has_time_ns_id = s->root_ids.has_mnt_ns_id = true;
	s->root_ids.has_user_ns_id = s->root_ids.has_cgroup_ns_id = true;
	s->root_ids.pid_ns_id = 1;
	s->root_ids.net_ns_id = 2;
	s->root_ids.ipc_ns_id = 3;
	s->root_ids.uts_ns_id = 4;
	s->root_ids.time_ns_id = 5;
	s->root_ids.mnt_ns_id = 6;
	s->root_ids.user_ns_id = 7;
	s->root_ids.cgroup_ns_id = 8;
	s->ids = s->root_ids;
	s->ids.vm_id = s->ids.files_id = SYN_FILES_ID;
	s->ids.fs_id = s->ids.sighand_id = SYN_FILES_ID;

	s->inv.img_version = OM_CRIU_IMAGES_V1_1;
	s->inv.has_fdinfo_per_id = s->inv.fdinfo_per_id = true;
	s->inv.root_ids = &s->root_ids;
	s->inv.has_ns_per_id = s->inv.ns_per_id = true;
	s->inv.has_lsmtype = true;
	s->inv.lsmtype = OM_CRIU_LSM_APPARMOR;
	s->inv.has_dump_uptime = true;
	s->inv.dump_uptime = 123456789;
	s->inv.has_network_lock_method = true;
	s->inv.network_lock_method = 1;

	s->pstree.pid = s->pstree.pgid = s->pstree.sid = SYN_PID;
	s->pstree.threads = threads;
	s->pstree.n_threads = 1;

	build_core(s);
	build_mm(s);

	s->pm_head.pages_id = 1;
	om_criu_pagemap_set(&s->pm[0], 0x1000000, 1, OM_CRIU_PE_PRESENT | OM_CRIU_PE_LAZY);
	om_criu_pagemap_set(&s->pm[1], 0x7ffc00020000ull, 1, OM_CRIU_PE_PRESENT);
	om_criu_pagemap_set(&s->pm[2], 0x7fff00004000ull, 2, OM_CRIU_PE_PRESENT);
	s->shm_head.pages_id = 2;
	om_criu_pagemap_set(&s->shm_pm[0], 0, 1, OM_CRIU_PE_PRESENT);
	om_criu_pagemap_set(&s->shm_pm[1], 2 * OM_CRIU_PAGE_SIZE, 1, OM_CRIU_PE_PRESENT);

	s->fs.cwd_id = 3;
	s->fs.root_id = 2;
	s->fs.has_umask = true;
	s->fs.umask = 022;

	build_files(s);
	s->timens.monotonic = &mono;
	s->timens.boottime = &boot;
}

/* ---- writing through a FILE-backed sink, as the kernel writes a file */

static int file_write(void *ctx, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? 0 : -EIO;
}

static int write_img(const char *dir, const char *name, enum om_criu_img img,
		     const struct om_pb_msg_desc *d, const void *msgs,
		     size_t esz, unsigned int n)
{
	char path[512];
	struct om_pb_sink sink = { .write = file_write };
	unsigned int i;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	sink.ctx = f;
	ret = om_criu_write_header(&sink, img);
	for (i = 0; !ret && i < n; i++)
		ret = om_criu_write_entry(&sink, d, (const u8 *)msgs + i * esz);
	if (!ret && img == OM_CRIU_IMG_PIPES_DATA)
		ret = sink.write(f, SYN_PIPE_DATA, sizeof(SYN_PIPE_DATA) - 1);
	if (!ret && img == OM_CRIU_IMG_FIFO_DATA)
		ret = sink.write(f, SYN_FIFO_DATA, sizeof(SYN_FIFO_DATA) - 1);
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

/* ghost-file-N.img: the entry, then the contents (in chunks or to EOF) */
static int write_ghost(const struct synth *s, const char *dir, unsigned int i)
{
	char path[512];
	struct om_pb_sink sink = { .write = file_write };
	u8 piece[4096];
	unsigned int k;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/ghost-file-%x.img", dir, s->remap[i].remap_id);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	sink.ctx = f;
	ret = om_criu_write_header(&sink, OM_CRIU_IMG_GHOST_FILE);
	if (!ret)
		ret = om_criu_write_entry(&sink, &om_criu_ghost_file_entry_desc, &s->ghost[i]);
	if (!ret && !s->ghost[i].chunks)
		ret = file_write(f, SYN_GHOST2_DATA, sizeof(SYN_GHOST2_DATA) - 1);
	for (k = 0; !ret && s->ghost[i].chunks && k < ARRAY_SIZE(synth_ghost1); k++) {
		struct om_criu_ghost_chunk_entry ce = {
			.len = synth_ghost1[k].len, .off = synth_ghost1[k].off,
		};

		memset(piece, synth_ghost1[k].fill, sizeof(piece));
		ret = om_criu_write_entry(&sink, &om_criu_ghost_chunk_entry_desc, &ce);
		if (!ret)
			ret = file_write(f, piece, ce.len);
	}
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

int synth_write_dir(const struct synth *s, const char *dir)
{
	char name[64], path[512];
	u8 page[OM_CRIU_PAGE_SIZE];
	struct om_pb_sink sink = { .write = file_write };
	unsigned int i;
	FILE *f;
	int ret = 0;

#define W(nm, img, desc, ptr, n) do { \
	if (!ret) \
		ret = write_img(dir, nm, img, &desc, ptr, sizeof(*(ptr)), n); \
} while (0)
	W("inventory.img", OM_CRIU_IMG_INVENTORY, om_criu_inventory_entry_desc, &s->inv, 1);
	W("pstree.img", OM_CRIU_IMG_PSTREE, om_criu_pstree_entry_desc, &s->pstree, 1);
	snprintf(name, sizeof(name), "core-%u.img", SYN_PID);
	W(name, OM_CRIU_IMG_CORE, om_criu_core_entry_desc, &s->core, 1);
	snprintf(name, sizeof(name), "ids-%u.img", SYN_PID);
	W(name, OM_CRIU_IMG_IDS, om_criu_task_kobj_ids_entry_desc, &s->ids, 1);
	snprintf(name, sizeof(name), "mm-%u.img", SYN_PID);
	W(name, OM_CRIU_IMG_MM, om_criu_mm_entry_desc, &s->mm, 1);
	snprintf(name, sizeof(name), "fs-%u.img", SYN_PID);
	W(name, OM_CRIU_IMG_FS, om_criu_fs_entry_desc, &s->fs, 1);
	W("files.img", OM_CRIU_IMG_FILES, om_criu_file_entry_desc, s->files, s->n_files);
	snprintf(name, sizeof(name), "fdinfo-%u.img", SYN_FILES_ID);
	W(name, OM_CRIU_IMG_FDINFO, om_criu_fdinfo_entry_desc, s->fdinfo, s->n_fdinfo);
	W("pipes-data.img", OM_CRIU_IMG_PIPES_DATA, om_criu_pipe_data_entry_desc, &s->pipe_data, 1);
	W("fifo-data.img", OM_CRIU_IMG_FIFO_DATA, om_criu_pipe_data_entry_desc, &s->fifo_data, 1);
	W("tty-info.img", OM_CRIU_IMG_TTY_INFO, om_criu_tty_info_entry_desc, &s->tty, 1);
	W("seccomp.img", OM_CRIU_IMG_SECCOMP, om_criu_seccomp_entry_desc, &s->seccomp, 1);
	W("timens-0.img", OM_CRIU_IMG_TIMENS, om_criu_timens_entry_desc, &s->timens, 1);
	W("remap-fpath.img", OM_CRIU_IMG_REMAP_FPATH, om_criu_remap_file_path_entry_desc,
	  s->remap, 2);
	for (i = 0; !ret && i < 2; i++)
		ret = write_ghost(s, dir, i);
#undef W
	if (ret)
		return ret;

	/* pagemap: head first, then the entries */
	snprintf(path, sizeof(path), "%s/pagemap-%u.img", dir, SYN_PID);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	sink.ctx = f;
	ret = om_criu_write_header(&sink, OM_CRIU_IMG_PAGEMAP);
	if (!ret)
		ret = om_criu_write_entry(&sink, &om_criu_pagemap_head_desc, &s->pm_head);
	for (i = 0; !ret && i < 3; i++)
		ret = om_criu_write_entry(&sink, &om_criu_pagemap_entry_desc, &s->pm[i]);
	fclose(f);
	if (ret)
		return ret;

	/* the shared anonymous memory's pagemap (offsets) and pages-2.img */
	snprintf(path, sizeof(path), "%s/" OM_CRIU_PAGEMAP_SHMEM_FMT, dir,
		 (unsigned long long)SYN_SHMID);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	sink.ctx = f;
	ret = om_criu_write_header(&sink, OM_CRIU_IMG_PAGEMAP);
	if (!ret)
		ret = om_criu_write_entry(&sink, &om_criu_pagemap_head_desc, &s->shm_head);
	for (i = 0; !ret && i < 2; i++)
		ret = om_criu_write_entry(&sink, &om_criu_pagemap_entry_desc, &s->shm_pm[i]);
	fclose(f);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/pages-%u.img", dir, s->shm_head.pages_id);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	for (i = 0; i < 2 && !ret; i++) {
		memset(page, 0xc0 + i, sizeof(page));
		ret = file_write(f, page, sizeof(page));
	}
	fclose(f);
	if (ret)
		return ret;

	/* pages-1.img: raw, no header; page i is filled with byte 0xa0+i */
	snprintf(path, sizeof(path), "%s/pages-%u.img", dir, s->pm_head.pages_id);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	for (i = 0; i < SYN_NR_PAGES && !ret; i++) {
		memset(page, 0xa0 + i, sizeof(page));
		ret = file_write(f, page, sizeof(page));
	}
	fclose(f);
	return ret;
}
