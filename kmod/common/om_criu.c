// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * CRIU image framing and message tables (see om_criu.h).
 */
#include "om_criu.h"

#define OM_Q(s, q)	offsetof(struct om_criu_##s, q)
/* required scalar; optional scalar with has_x; repeated scalar */
#define OM_S(s, id, t, f) \
	{ id, OM_PB_##t, OM_PB_REQUIRED, OM_Q(s, f), 0, 0, NULL }
#define OM_O(s, id, t, f) \
	{ id, OM_PB_##t, OM_PB_OPTIONAL, OM_Q(s, f), OM_Q(s, has_##f), 0, NULL }
#define OM_R(s, id, t, f, cap) \
	{ id, OM_PB_##t, OM_PB_REPEATED, OM_Q(s, f), OM_Q(s, n_##f), cap, NULL }
/* string (NULL = absent), bytes (optional ones have has_x) */
#define OM_STR(s, id, l, f, cap) \
	{ id, OM_PB_STRING, OM_PB_##l, OM_Q(s, f), 0, cap, NULL }
#define OM_B(s, id, f, cap) \
	{ id, OM_PB_BYTES, OM_PB_REQUIRED, OM_Q(s, f), 0, cap, NULL }
#define OM_OB(s, id, f, cap) \
	{ id, OM_PB_BYTES, OM_PB_OPTIONAL, OM_Q(s, f), OM_Q(s, has_##f), cap, NULL }
/* sub-message (pointer, NULL = absent); repeated: array of structs */
#define OM_M(s, id, l, f, sub) \
	{ id, OM_PB_MESSAGE, OM_PB_##l, OM_Q(s, f), 0, 0, sub }
#define OM_RM(s, id, f, cap, sub) \
	{ id, OM_PB_MESSAGE, OM_PB_REPEATED, OM_Q(s, f), OM_Q(s, n_##f), cap, sub }
#define OM_MSG(s, n) \
	const struct om_pb_msg_desc om_criu_##s##_desc = \
		OM_PB_MSG(n, struct om_criu_##s, om_criu_##s##_fields)

/* BEGIN GENERATED TABLES (om_criu_gen.py c) */
static const struct om_pb_field om_criu_task_kobj_ids_entry_fields[] = {
	OM_S(task_kobj_ids_entry, 1, UINT32, vm_id),
	OM_S(task_kobj_ids_entry, 2, UINT32, files_id),
	OM_S(task_kobj_ids_entry, 3, UINT32, fs_id),
	OM_S(task_kobj_ids_entry, 4, UINT32, sighand_id),
	OM_O(task_kobj_ids_entry, 5, UINT32, pid_ns_id),
	OM_O(task_kobj_ids_entry, 6, UINT32, net_ns_id),
	OM_O(task_kobj_ids_entry, 7, UINT32, ipc_ns_id),
	OM_O(task_kobj_ids_entry, 8, UINT32, uts_ns_id),
	OM_O(task_kobj_ids_entry, 9, UINT32, mnt_ns_id),
	OM_O(task_kobj_ids_entry, 10, UINT32, user_ns_id),
	OM_O(task_kobj_ids_entry, 11, UINT32, cgroup_ns_id),
	OM_O(task_kobj_ids_entry, 12, UINT32, time_ns_id),
};

OM_MSG(task_kobj_ids_entry, "task_kobj_ids_entry");

static const struct om_pb_field om_criu_inventory_entry_fields[] = {
	OM_S(inventory_entry, 1, UINT32, img_version),
	OM_O(inventory_entry, 2, BOOL, fdinfo_per_id),
	OM_M(inventory_entry, 3, OPTIONAL, root_ids, &om_criu_task_kobj_ids_entry_desc),
	OM_O(inventory_entry, 4, BOOL, ns_per_id),
	OM_O(inventory_entry, 5, UINT32, root_cg_set),
	OM_O(inventory_entry, 6, ENUM, lsmtype),
	OM_O(inventory_entry, 8, UINT64, dump_uptime),
	OM_O(inventory_entry, 9, UINT32, pre_dump_mode),
	OM_O(inventory_entry, 10, BOOL, tcp_close),
	OM_O(inventory_entry, 11, UINT32, network_lock_method),
};

OM_MSG(inventory_entry, "inventory_entry");

static const struct om_pb_field om_criu_pstree_entry_fields[] = {
	OM_S(pstree_entry, 1, UINT32, pid),
	OM_S(pstree_entry, 2, UINT32, ppid),
	OM_S(pstree_entry, 3, UINT32, pgid),
	OM_S(pstree_entry, 4, UINT32, sid),
	OM_R(pstree_entry, 5, UINT32, threads, 65536),
};

OM_MSG(pstree_entry, "pstree_entry");

static const struct om_pb_field om_criu_user_x86_regs_entry_fields[] = {
	OM_S(user_x86_regs_entry, 1, UINT64, r15),
	OM_S(user_x86_regs_entry, 2, UINT64, r14),
	OM_S(user_x86_regs_entry, 3, UINT64, r13),
	OM_S(user_x86_regs_entry, 4, UINT64, r12),
	OM_S(user_x86_regs_entry, 5, UINT64, bp),
	OM_S(user_x86_regs_entry, 6, UINT64, bx),
	OM_S(user_x86_regs_entry, 7, UINT64, r11),
	OM_S(user_x86_regs_entry, 8, UINT64, r10),
	OM_S(user_x86_regs_entry, 9, UINT64, r9),
	OM_S(user_x86_regs_entry, 10, UINT64, r8),
	OM_S(user_x86_regs_entry, 11, UINT64, ax),
	OM_S(user_x86_regs_entry, 12, UINT64, cx),
	OM_S(user_x86_regs_entry, 13, UINT64, dx),
	OM_S(user_x86_regs_entry, 14, UINT64, si),
	OM_S(user_x86_regs_entry, 15, UINT64, di),
	OM_S(user_x86_regs_entry, 16, UINT64, orig_ax),
	OM_S(user_x86_regs_entry, 17, UINT64, ip),
	OM_S(user_x86_regs_entry, 18, UINT64, cs),
	OM_S(user_x86_regs_entry, 19, UINT64, flags),
	OM_S(user_x86_regs_entry, 20, UINT64, sp),
	OM_S(user_x86_regs_entry, 21, UINT64, ss),
	OM_S(user_x86_regs_entry, 22, UINT64, fs_base),
	OM_S(user_x86_regs_entry, 23, UINT64, gs_base),
	OM_S(user_x86_regs_entry, 24, UINT64, ds),
	OM_S(user_x86_regs_entry, 25, UINT64, es),
	OM_S(user_x86_regs_entry, 26, UINT64, fs),
	OM_S(user_x86_regs_entry, 27, UINT64, gs),
	OM_O(user_x86_regs_entry, 28, ENUM, mode),
};

OM_MSG(user_x86_regs_entry, "user_x86_regs_entry");

static const struct om_pb_field om_criu_user_x86_xsave_entry_fields[] = {
	OM_S(user_x86_xsave_entry, 1, UINT64, xstate_bv),
	OM_R(user_x86_xsave_entry, 2, UINT32, ymmh_space, 512),
	OM_R(user_x86_xsave_entry, 3, UINT64, bndreg_state, 512),
	OM_R(user_x86_xsave_entry, 4, UINT64, bndcsr_state, 512),
	OM_R(user_x86_xsave_entry, 5, UINT64, opmask_reg, 512),
	OM_R(user_x86_xsave_entry, 6, UINT64, zmm_upper, 512),
	OM_R(user_x86_xsave_entry, 7, UINT64, hi16_zmm, 512),
	OM_R(user_x86_xsave_entry, 8, UINT32, pkru, 512),
};

OM_MSG(user_x86_xsave_entry, "user_x86_xsave_entry");

static const struct om_pb_field om_criu_user_x86_fpregs_entry_fields[] = {
	OM_S(user_x86_fpregs_entry, 1, UINT32, cwd),
	OM_S(user_x86_fpregs_entry, 2, UINT32, swd),
	OM_S(user_x86_fpregs_entry, 3, UINT32, twd),
	OM_S(user_x86_fpregs_entry, 4, UINT32, fop),
	OM_S(user_x86_fpregs_entry, 5, UINT64, rip),
	OM_S(user_x86_fpregs_entry, 6, UINT64, rdp),
	OM_S(user_x86_fpregs_entry, 7, UINT32, mxcsr),
	OM_S(user_x86_fpregs_entry, 8, UINT32, mxcsr_mask),
	OM_R(user_x86_fpregs_entry, 9, UINT32, st_space, 512),
	OM_R(user_x86_fpregs_entry, 10, UINT32, xmm_space, 512),
	OM_R(user_x86_fpregs_entry, 11, UINT32, padding, 512),
	OM_M(user_x86_fpregs_entry, 13, OPTIONAL, xsave, &om_criu_user_x86_xsave_entry_desc),
};

OM_MSG(user_x86_fpregs_entry, "user_x86_fpregs_entry");

static const struct om_pb_field om_criu_user_desc_fields[] = {
	OM_S(user_desc, 1, UINT32, entry_number),
	OM_S(user_desc, 2, UINT32, base_addr),
	OM_S(user_desc, 3, UINT32, limit),
	OM_S(user_desc, 4, BOOL, seg_32bit),
	OM_S(user_desc, 5, BOOL, contents_h),
	OM_S(user_desc, 6, BOOL, contents_l),
	OM_S(user_desc, 7, BOOL, read_exec_only),
	OM_S(user_desc, 8, BOOL, limit_in_pages),
	OM_S(user_desc, 9, BOOL, seg_not_present),
	OM_S(user_desc, 10, BOOL, usable),
};

OM_MSG(user_desc, "user_desc_t");

static const struct om_pb_field om_criu_thread_info_x86_fields[] = {
	OM_S(thread_info_x86, 1, UINT64, clear_tid_addr),
	OM_M(thread_info_x86, 2, REQUIRED, gpregs, &om_criu_user_x86_regs_entry_desc),
	OM_M(thread_info_x86, 3, REQUIRED, fpregs, &om_criu_user_x86_fpregs_entry_desc),
	OM_RM(thread_info_x86, 4, tls, 16, &om_criu_user_desc_desc),
};

OM_MSG(thread_info_x86, "thread_info_x86");

static const struct om_pb_field om_criu_creds_entry_fields[] = {
	OM_S(creds_entry, 1, UINT32, uid),
	OM_S(creds_entry, 2, UINT32, gid),
	OM_S(creds_entry, 3, UINT32, euid),
	OM_S(creds_entry, 4, UINT32, egid),
	OM_S(creds_entry, 5, UINT32, suid),
	OM_S(creds_entry, 6, UINT32, sgid),
	OM_S(creds_entry, 7, UINT32, fsuid),
	OM_S(creds_entry, 8, UINT32, fsgid),
	OM_R(creds_entry, 9, UINT32, cap_inh, 512),
	OM_R(creds_entry, 10, UINT32, cap_prm, 512),
	OM_R(creds_entry, 11, UINT32, cap_eff, 512),
	OM_R(creds_entry, 12, UINT32, cap_bnd, 512),
	OM_S(creds_entry, 13, UINT32, secbits),
	OM_R(creds_entry, 14, UINT32, groups, 65536),
	OM_STR(creds_entry, 15, OPTIONAL, lsm_profile, 4096),
	OM_STR(creds_entry, 16, OPTIONAL, lsm_sockcreate, 4096),
	OM_OB(creds_entry, 17, apparmor_data, 4096),
};

OM_MSG(creds_entry, "creds_entry");

static const struct om_pb_field om_criu_sa_entry_fields[] = {
	OM_S(sa_entry, 1, UINT64, sigaction),
	OM_S(sa_entry, 2, UINT64, flags),
	OM_S(sa_entry, 3, UINT64, restorer),
	OM_S(sa_entry, 4, UINT64, mask),
	OM_O(sa_entry, 5, BOOL, compat_sigaction),
	OM_O(sa_entry, 6, UINT64, mask_extended),
};

OM_MSG(sa_entry, "sa_entry");

static const struct om_pb_field om_criu_rlimit_entry_fields[] = {
	OM_S(rlimit_entry, 1, UINT64, cur),
	OM_S(rlimit_entry, 2, UINT64, max),
};

OM_MSG(rlimit_entry, "rlimit_entry");

static const struct om_pb_field om_criu_task_rlimits_entry_fields[] = {
	OM_RM(task_rlimits_entry, 1, rlimits, 64, &om_criu_rlimit_entry_desc),
};

OM_MSG(task_rlimits_entry, "task_rlimits_entry");

static const struct om_pb_field om_criu_itimer_entry_fields[] = {
	OM_S(itimer_entry, 1, UINT64, isec),
	OM_S(itimer_entry, 2, UINT64, iusec),
	OM_S(itimer_entry, 3, UINT64, vsec),
	OM_S(itimer_entry, 4, UINT64, vusec),
};

OM_MSG(itimer_entry, "itimer_entry");

static const struct om_pb_field om_criu_posix_timer_entry_fields[] = {
	OM_S(posix_timer_entry, 1, UINT32, it_id),
	OM_S(posix_timer_entry, 2, UINT32, clock_id),
	OM_S(posix_timer_entry, 3, UINT32, si_signo),
	OM_S(posix_timer_entry, 4, UINT32, it_sigev_notify),
	OM_S(posix_timer_entry, 5, UINT64, sival_ptr),
	OM_S(posix_timer_entry, 6, UINT32, overrun),
	OM_S(posix_timer_entry, 7, UINT64, isec),
	OM_S(posix_timer_entry, 8, UINT64, insec),
	OM_S(posix_timer_entry, 9, UINT64, vsec),
	OM_S(posix_timer_entry, 10, UINT64, vnsec),
	OM_O(posix_timer_entry, 11, INT32, notify_thread_id),
};

OM_MSG(posix_timer_entry, "posix_timer_entry");

static const struct om_pb_field om_criu_task_timers_entry_fields[] = {
	OM_M(task_timers_entry, 1, REQUIRED, real, &om_criu_itimer_entry_desc),
	OM_M(task_timers_entry, 2, REQUIRED, virt, &om_criu_itimer_entry_desc),
	OM_M(task_timers_entry, 3, REQUIRED, prof, &om_criu_itimer_entry_desc),
	OM_RM(task_timers_entry, 4, posix, 4096, &om_criu_posix_timer_entry_desc),
};

OM_MSG(task_timers_entry, "task_timers_entry");

static const struct om_pb_field om_criu_siginfo_entry_fields[] = {
	OM_B(siginfo_entry, 1, siginfo, 512),
};

OM_MSG(siginfo_entry, "siginfo_entry");

static const struct om_pb_field om_criu_signal_queue_entry_fields[] = {
	OM_RM(signal_queue_entry, 1, signals, 65536, &om_criu_siginfo_entry_desc),
};

OM_MSG(signal_queue_entry, "signal_queue_entry");

static const struct om_pb_field om_criu_rseq_entry_fields[] = {
	OM_S(rseq_entry, 1, UINT64, rseq_abi_pointer),
	OM_S(rseq_entry, 2, UINT32, rseq_abi_size),
	OM_S(rseq_entry, 3, UINT32, signature),
	OM_O(rseq_entry, 4, UINT64, rseq_cs_pointer),
};

OM_MSG(rseq_entry, "rseq_entry");

static const struct om_pb_field om_criu_thread_sas_entry_fields[] = {
	OM_S(thread_sas_entry, 1, UINT64, ss_sp),
	OM_S(thread_sas_entry, 2, UINT64, ss_size),
	OM_S(thread_sas_entry, 3, UINT32, ss_flags),
};

OM_MSG(thread_sas_entry, "thread_sas_entry");

static const struct om_pb_field om_criu_thread_core_entry_fields[] = {
	OM_S(thread_core_entry, 1, UINT64, futex_rla),
	OM_S(thread_core_entry, 2, UINT32, futex_rla_len),
	OM_O(thread_core_entry, 3, SINT32, sched_nice),
	OM_O(thread_core_entry, 4, UINT32, sched_policy),
	OM_O(thread_core_entry, 5, UINT32, sched_prio),
	OM_O(thread_core_entry, 6, UINT64, blk_sigset),
	OM_M(thread_core_entry, 7, OPTIONAL, sas, &om_criu_thread_sas_entry_desc),
	OM_O(thread_core_entry, 8, UINT32, pdeath_sig),
	OM_M(thread_core_entry, 9, OPTIONAL, signals_p, &om_criu_signal_queue_entry_desc),
	OM_M(thread_core_entry, 10, OPTIONAL, creds, &om_criu_creds_entry_desc),
	OM_O(thread_core_entry, 11, ENUM, seccomp_mode),
	OM_O(thread_core_entry, 12, UINT32, seccomp_filter),
	OM_STR(thread_core_entry, 13, OPTIONAL, comm, 64),
	OM_O(thread_core_entry, 14, UINT64, blk_sigset_extended),
	OM_M(thread_core_entry, 15, OPTIONAL, rseq_entry, &om_criu_rseq_entry_desc),
};

OM_MSG(thread_core_entry, "thread_core_entry");

static const struct om_pb_field om_criu_task_core_entry_fields[] = {
	OM_S(task_core_entry, 1, UINT32, task_state),
	OM_S(task_core_entry, 2, UINT32, exit_code),
	OM_S(task_core_entry, 3, UINT32, personality),
	OM_S(task_core_entry, 4, UINT32, flags),
	OM_S(task_core_entry, 5, UINT64, blk_sigset),
	OM_STR(task_core_entry, 6, REQUIRED, comm, 64),
	OM_M(task_core_entry, 7, OPTIONAL, timers, &om_criu_task_timers_entry_desc),
	OM_M(task_core_entry, 8, OPTIONAL, rlimits, &om_criu_task_rlimits_entry_desc),
	OM_O(task_core_entry, 9, UINT32, cg_set),
	OM_M(task_core_entry, 10, OPTIONAL, signals_s, &om_criu_signal_queue_entry_desc),
	OM_O(task_core_entry, 11, ENUM, old_seccomp_mode),
	OM_O(task_core_entry, 12, UINT32, old_seccomp_filter),
	OM_O(task_core_entry, 13, UINT32, loginuid),
	OM_O(task_core_entry, 14, INT32, oom_score_adj),
	OM_RM(task_core_entry, 15, sigactions, 64, &om_criu_sa_entry_desc),
	OM_O(task_core_entry, 18, BOOL, child_subreaper),
	OM_O(task_core_entry, 20, UINT64, blk_sigset_extended),
};

OM_MSG(task_core_entry, "task_core_entry");

static const struct om_pb_field om_criu_core_entry_fields[] = {
	OM_S(core_entry, 1, ENUM, mtype),
	OM_M(core_entry, 2, OPTIONAL, thread_info, &om_criu_thread_info_x86_desc),
	OM_M(core_entry, 3, OPTIONAL, tc, &om_criu_task_core_entry_desc),
	OM_M(core_entry, 4, OPTIONAL, ids, &om_criu_task_kobj_ids_entry_desc),
	OM_M(core_entry, 5, OPTIONAL, thread_core, &om_criu_thread_core_entry_desc),
};

OM_MSG(core_entry, "core_entry");

static const struct om_pb_field om_criu_aio_ring_entry_fields[] = {
	OM_S(aio_ring_entry, 1, UINT64, id),
	OM_S(aio_ring_entry, 2, UINT32, nr_req),
	OM_S(aio_ring_entry, 3, UINT32, ring_len),
};

OM_MSG(aio_ring_entry, "aio_ring_entry");

static const struct om_pb_field om_criu_vma_entry_fields[] = {
	OM_S(vma_entry, 1, UINT64, start),
	OM_S(vma_entry, 2, UINT64, end),
	OM_S(vma_entry, 3, UINT64, pgoff),
	OM_S(vma_entry, 4, UINT64, shmid),
	OM_S(vma_entry, 5, UINT32, prot),
	OM_S(vma_entry, 6, UINT32, flags),
	OM_S(vma_entry, 7, UINT32, status),
	OM_S(vma_entry, 8, SINT64, fd),
	OM_O(vma_entry, 9, UINT64, madv),
	OM_O(vma_entry, 10, UINT32, fdflags),
};

OM_MSG(vma_entry, "vma_entry");

static const struct om_pb_field om_criu_mm_entry_fields[] = {
	OM_S(mm_entry, 1, UINT64, mm_start_code),
	OM_S(mm_entry, 2, UINT64, mm_end_code),
	OM_S(mm_entry, 3, UINT64, mm_start_data),
	OM_S(mm_entry, 4, UINT64, mm_end_data),
	OM_S(mm_entry, 5, UINT64, mm_start_stack),
	OM_S(mm_entry, 6, UINT64, mm_start_brk),
	OM_S(mm_entry, 7, UINT64, mm_brk),
	OM_S(mm_entry, 8, UINT64, mm_arg_start),
	OM_S(mm_entry, 9, UINT64, mm_arg_end),
	OM_S(mm_entry, 10, UINT64, mm_env_start),
	OM_S(mm_entry, 11, UINT64, mm_env_end),
	OM_S(mm_entry, 12, UINT32, exe_file_id),
	OM_R(mm_entry, 13, UINT64, mm_saved_auxv, 128),
	OM_RM(mm_entry, 14, vmas, 262144, &om_criu_vma_entry_desc),
	OM_O(mm_entry, 15, INT32, dumpable),
	OM_RM(mm_entry, 16, aios, 65536, &om_criu_aio_ring_entry_desc),
	OM_O(mm_entry, 17, BOOL, thp_disabled),
};

OM_MSG(mm_entry, "mm_entry");

static const struct om_pb_field om_criu_pagemap_head_fields[] = {
	OM_S(pagemap_head, 1, UINT32, pages_id),
};

OM_MSG(pagemap_head, "pagemap_head");

static const struct om_pb_field om_criu_pagemap_entry_fields[] = {
	OM_S(pagemap_entry, 1, UINT64, vaddr),
	OM_S(pagemap_entry, 2, UINT32, nr_pages),
	OM_O(pagemap_entry, 3, BOOL, in_parent),
	OM_O(pagemap_entry, 4, UINT32, flags),
	OM_O(pagemap_entry, 5, UINT64, nr_pages64),
};

OM_MSG(pagemap_entry, "pagemap_entry");

static const struct om_pb_field om_criu_fs_entry_fields[] = {
	OM_S(fs_entry, 1, UINT32, cwd_id),
	OM_S(fs_entry, 2, UINT32, root_id),
	OM_O(fs_entry, 3, UINT32, umask),
};

OM_MSG(fs_entry, "fs_entry");

static const struct om_pb_field om_criu_fdinfo_entry_fields[] = {
	OM_S(fdinfo_entry, 1, UINT32, id),
	OM_S(fdinfo_entry, 2, UINT32, flags),
	OM_S(fdinfo_entry, 3, ENUM, type),
	OM_S(fdinfo_entry, 4, UINT32, fd),
	OM_STR(fdinfo_entry, 5, OPTIONAL, xattr_security_selinux, 4096),
};

OM_MSG(fdinfo_entry, "fdinfo_entry");

static const struct om_pb_field om_criu_fown_entry_fields[] = {
	OM_S(fown_entry, 1, UINT32, uid),
	OM_S(fown_entry, 2, UINT32, euid),
	OM_S(fown_entry, 3, UINT32, signum),
	OM_S(fown_entry, 4, UINT32, pid_type),
	OM_S(fown_entry, 5, UINT32, pid),
};

OM_MSG(fown_entry, "fown_entry");

static const struct om_pb_field om_criu_reg_file_entry_fields[] = {
	OM_S(reg_file_entry, 1, UINT32, id),
	OM_S(reg_file_entry, 2, UINT32, flags),
	OM_S(reg_file_entry, 3, UINT64, pos),
	OM_M(reg_file_entry, 5, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_STR(reg_file_entry, 6, REQUIRED, name, 4096),
	OM_O(reg_file_entry, 7, SINT32, mnt_id),
	OM_O(reg_file_entry, 8, UINT64, size),
	OM_O(reg_file_entry, 9, BOOL, ext),
	OM_O(reg_file_entry, 10, UINT32, mode),
	OM_R(reg_file_entry, 11, UINT32, build_id, 512),
	OM_O(reg_file_entry, 12, UINT32, checksum),
	OM_O(reg_file_entry, 13, UINT32, checksum_config),
	OM_O(reg_file_entry, 14, UINT32, checksum_parameter),
};

OM_MSG(reg_file_entry, "reg_file_entry");

static const struct om_pb_field om_criu_pipe_entry_fields[] = {
	OM_S(pipe_entry, 1, UINT32, id),
	OM_S(pipe_entry, 2, UINT32, pipe_id),
	OM_S(pipe_entry, 3, UINT32, flags),
	OM_M(pipe_entry, 4, REQUIRED, fown, &om_criu_fown_entry_desc),
};

OM_MSG(pipe_entry, "pipe_entry");

static const struct om_pb_field om_criu_fifo_entry_fields[] = {
	OM_S(fifo_entry, 1, UINT32, id),
	OM_S(fifo_entry, 2, UINT32, pipe_id),
	OM_O(fifo_entry, 3, UINT32, regf_id),
};

OM_MSG(fifo_entry, "fifo_entry");

static const struct om_pb_field om_criu_tty_file_entry_fields[] = {
	OM_S(tty_file_entry, 1, UINT32, id),
	OM_S(tty_file_entry, 2, UINT32, tty_info_id),
	OM_S(tty_file_entry, 3, UINT32, flags),
	OM_M(tty_file_entry, 4, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_O(tty_file_entry, 6, UINT32, regf_id),
};

OM_MSG(tty_file_entry, "tty_file_entry");

static const struct om_pb_field om_criu_memfd_file_entry_fields[] = {
	OM_S(memfd_file_entry, 1, UINT32, id),
	OM_S(memfd_file_entry, 2, UINT32, flags),
	OM_S(memfd_file_entry, 3, UINT64, pos),
	OM_M(memfd_file_entry, 4, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_S(memfd_file_entry, 5, UINT32, inode_id),
};

OM_MSG(memfd_file_entry, "memfd_file_entry");

static const struct om_pb_field om_criu_eventfd_file_entry_fields[] = {
	OM_S(eventfd_file_entry, 1, UINT32, id),
	OM_S(eventfd_file_entry, 2, UINT32, flags),
	OM_M(eventfd_file_entry, 3, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_S(eventfd_file_entry, 4, UINT64, counter),
	OM_O(eventfd_file_entry, 1000, BOOL, semaphore),
};

OM_MSG(eventfd_file_entry, "eventfd_file_entry");

static const struct om_pb_field om_criu_signalfd_entry_fields[] = {
	OM_S(signalfd_entry, 1, UINT32, id),
	OM_S(signalfd_entry, 2, UINT32, flags),
	OM_M(signalfd_entry, 3, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_S(signalfd_entry, 4, UINT64, sigmask),
};

OM_MSG(signalfd_entry, "signalfd_entry");

static const struct om_pb_field om_criu_timerfd_entry_fields[] = {
	OM_S(timerfd_entry, 1, UINT32, id),
	OM_S(timerfd_entry, 2, UINT32, flags),
	OM_M(timerfd_entry, 3, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_S(timerfd_entry, 4, UINT32, clockid),
	OM_S(timerfd_entry, 5, UINT64, ticks),
	OM_S(timerfd_entry, 6, UINT32, settime_flags),
	OM_S(timerfd_entry, 7, UINT64, vsec),
	OM_S(timerfd_entry, 8, UINT64, vnsec),
	OM_S(timerfd_entry, 9, UINT64, isec),
	OM_S(timerfd_entry, 10, UINT64, insec),
};

OM_MSG(timerfd_entry, "timerfd_entry");

static const struct om_pb_field om_criu_eventpoll_tfd_entry_fields[] = {
	OM_S(eventpoll_tfd_entry, 1, UINT32, id),
	OM_S(eventpoll_tfd_entry, 2, UINT32, tfd),
	OM_S(eventpoll_tfd_entry, 3, UINT32, events),
	OM_S(eventpoll_tfd_entry, 4, UINT64, data),
	OM_O(eventpoll_tfd_entry, 5, UINT32, dev),
	OM_O(eventpoll_tfd_entry, 6, UINT64, inode),
	OM_O(eventpoll_tfd_entry, 7, UINT64, pos),
};

OM_MSG(eventpoll_tfd_entry, "eventpoll_tfd_entry");

static const struct om_pb_field om_criu_eventpoll_file_entry_fields[] = {
	OM_S(eventpoll_file_entry, 1, UINT32, id),
	OM_S(eventpoll_file_entry, 2, UINT32, flags),
	OM_M(eventpoll_file_entry, 3, REQUIRED, fown, &om_criu_fown_entry_desc),
	OM_RM(eventpoll_file_entry, 4, tfd, 4096, &om_criu_eventpoll_tfd_entry_desc),
};

OM_MSG(eventpoll_file_entry, "eventpoll_file_entry");

static const struct om_pb_field om_criu_file_entry_fields[] = {
	OM_S(file_entry, 1, ENUM, type),
	OM_S(file_entry, 2, UINT32, id),
	OM_M(file_entry, 3, OPTIONAL, reg, &om_criu_reg_file_entry_desc),
	OM_M(file_entry, 8, OPTIONAL, efd, &om_criu_eventfd_file_entry_desc),
	OM_M(file_entry, 9, OPTIONAL, epfd, &om_criu_eventpoll_file_entry_desc),
	OM_M(file_entry, 10, OPTIONAL, sgfd, &om_criu_signalfd_entry_desc),
	OM_M(file_entry, 12, OPTIONAL, tfd, &om_criu_timerfd_entry_desc),
	OM_M(file_entry, 17, OPTIONAL, fifo, &om_criu_fifo_entry_desc),
	OM_M(file_entry, 18, OPTIONAL, pipe, &om_criu_pipe_entry_desc),
	OM_M(file_entry, 19, OPTIONAL, tty, &om_criu_tty_file_entry_desc),
	OM_M(file_entry, 20, OPTIONAL, memfd, &om_criu_memfd_file_entry_desc),
};

OM_MSG(file_entry, "file_entry");

static const struct om_pb_field om_criu_pipe_data_entry_fields[] = {
	OM_S(pipe_data_entry, 1, UINT32, pipe_id),
	OM_S(pipe_data_entry, 2, UINT32, bytes),
	OM_O(pipe_data_entry, 3, UINT32, size),
};

OM_MSG(pipe_data_entry, "pipe_data_entry");

static const struct om_pb_field om_criu_termios_entry_fields[] = {
	OM_S(termios_entry, 1, UINT32, c_iflag),
	OM_S(termios_entry, 2, UINT32, c_oflag),
	OM_S(termios_entry, 3, UINT32, c_cflag),
	OM_S(termios_entry, 4, UINT32, c_lflag),
	OM_S(termios_entry, 5, UINT32, c_line),
	OM_S(termios_entry, 6, UINT32, c_ispeed),
	OM_S(termios_entry, 7, UINT32, c_ospeed),
	OM_R(termios_entry, 8, UINT32, c_cc, 512),
};

OM_MSG(termios_entry, "termios_entry");

static const struct om_pb_field om_criu_winsize_entry_fields[] = {
	OM_S(winsize_entry, 1, UINT32, ws_row),
	OM_S(winsize_entry, 2, UINT32, ws_col),
	OM_S(winsize_entry, 3, UINT32, ws_xpixel),
	OM_S(winsize_entry, 4, UINT32, ws_ypixel),
};

OM_MSG(winsize_entry, "winsize_entry");

static const struct om_pb_field om_criu_tty_pty_entry_fields[] = {
	OM_S(tty_pty_entry, 1, UINT32, index),
};

OM_MSG(tty_pty_entry, "tty_pty_entry");

static const struct om_pb_field om_criu_tty_info_entry_fields[] = {
	OM_S(tty_info_entry, 1, UINT32, id),
	OM_S(tty_info_entry, 2, ENUM, type),
	OM_S(tty_info_entry, 3, BOOL, locked),
	OM_S(tty_info_entry, 4, BOOL, exclusive),
	OM_S(tty_info_entry, 5, BOOL, packet_mode),
	OM_S(tty_info_entry, 6, UINT32, sid),
	OM_S(tty_info_entry, 7, UINT32, pgrp),
	OM_S(tty_info_entry, 8, UINT32, rdev),
	OM_M(tty_info_entry, 9, OPTIONAL, termios, &om_criu_termios_entry_desc),
	OM_M(tty_info_entry, 10, OPTIONAL, termios_locked, &om_criu_termios_entry_desc),
	OM_M(tty_info_entry, 11, OPTIONAL, winsize, &om_criu_winsize_entry_desc),
	OM_M(tty_info_entry, 12, OPTIONAL, pty, &om_criu_tty_pty_entry_desc),
	OM_O(tty_info_entry, 13, UINT32, dev),
	OM_O(tty_info_entry, 14, UINT32, uid),
	OM_O(tty_info_entry, 15, UINT32, gid),
};

OM_MSG(tty_info_entry, "tty_info_entry");

static const struct om_pb_field om_criu_seccomp_filter_fields[] = {
	OM_B(seccomp_filter, 1, filter, 262144),
	OM_O(seccomp_filter, 2, UINT32, prev),
	OM_O(seccomp_filter, 3, UINT32, flags),
};

OM_MSG(seccomp_filter, "seccomp_filter");

static const struct om_pb_field om_criu_seccomp_entry_fields[] = {
	OM_RM(seccomp_entry, 1, seccomp_filters, 1024, &om_criu_seccomp_filter_desc),
};

OM_MSG(seccomp_entry, "seccomp_entry");

static const struct om_pb_field om_criu_timespec_entry_fields[] = {
	OM_S(timespec_entry, 1, UINT64, tv_sec),
	OM_S(timespec_entry, 2, UINT64, tv_nsec),
};

OM_MSG(timespec_entry, "timespec");

static const struct om_pb_field om_criu_timeval_fields[] = {
	OM_S(timeval, 1, UINT64, tv_sec),
	OM_S(timeval, 2, UINT64, tv_usec),
};

OM_MSG(timeval, "timeval");

static const struct om_pb_field om_criu_ghost_file_entry_fields[] = {
	OM_S(ghost_file_entry, 1, UINT32, uid),
	OM_S(ghost_file_entry, 2, UINT32, gid),
	OM_S(ghost_file_entry, 3, UINT32, mode),
	OM_O(ghost_file_entry, 4, UINT32, dev),
	OM_O(ghost_file_entry, 5, UINT64, ino),
	OM_O(ghost_file_entry, 6, UINT32, rdev),
	OM_M(ghost_file_entry, 7, OPTIONAL, atim, &om_criu_timeval_desc),
	OM_M(ghost_file_entry, 8, OPTIONAL, mtim, &om_criu_timeval_desc),
	OM_O(ghost_file_entry, 9, BOOL, chunks),
	OM_O(ghost_file_entry, 10, UINT64, size),
	OM_STR(ghost_file_entry, 11, OPTIONAL, symlnk_target, 4096),
};

OM_MSG(ghost_file_entry, "ghost_file_entry");

static const struct om_pb_field om_criu_ghost_chunk_entry_fields[] = {
	OM_S(ghost_chunk_entry, 1, UINT64, len),
	OM_S(ghost_chunk_entry, 2, UINT64, off),
};

OM_MSG(ghost_chunk_entry, "ghost_chunk_entry");

static const struct om_pb_field om_criu_remap_file_path_entry_fields[] = {
	OM_S(remap_file_path_entry, 1, UINT32, orig_id),
	OM_S(remap_file_path_entry, 2, UINT32, remap_id),
	OM_O(remap_file_path_entry, 3, ENUM, remap_type),
};

OM_MSG(remap_file_path_entry, "remap_file_path_entry");

static const struct om_pb_field om_criu_timens_entry_fields[] = {
	OM_M(timens_entry, 1, REQUIRED, monotonic, &om_criu_timespec_entry_desc),
	OM_M(timens_entry, 2, REQUIRED, boottime, &om_criu_timespec_entry_desc),
};

OM_MSG(timens_entry, "timens_entry");

static const struct om_pb_field om_criu_memfd_inode_entry_fields[] = {
	OM_STR(memfd_inode_entry, 1, REQUIRED, name, 4096),
	OM_S(memfd_inode_entry, 2, UINT32, uid),
	OM_S(memfd_inode_entry, 3, UINT32, gid),
	OM_S(memfd_inode_entry, 4, UINT64, size),
	OM_S(memfd_inode_entry, 5, UINT32, shmid),
	OM_S(memfd_inode_entry, 6, UINT32, seals),
	OM_S(memfd_inode_entry, 7, UINT64, inode_id),
	OM_O(memfd_inode_entry, 8, UINT32, hugetlb_flag),
};

OM_MSG(memfd_inode_entry, "memfd_inode_entry");

/* END GENERATED TABLES */

const struct om_criu_img_desc om_criu_images[OM_CRIU_IMG_NR] = {
	[OM_CRIU_IMG_INVENTORY] = { "inventory.img", OM_CRIU_INVENTORY_MAGIC,
		false, true, &om_criu_inventory_entry_desc },
	[OM_CRIU_IMG_PSTREE] = { "pstree.img", OM_CRIU_PSTREE_MAGIC,
		true, false, &om_criu_pstree_entry_desc },
	[OM_CRIU_IMG_CORE] = { "core-%u.img", OM_CRIU_CORE_MAGIC,
		true, true, &om_criu_core_entry_desc },
	[OM_CRIU_IMG_IDS] = { "ids-%u.img", OM_CRIU_IDS_MAGIC,
		true, true, &om_criu_task_kobj_ids_entry_desc },
	[OM_CRIU_IMG_MM] = { "mm-%u.img", OM_CRIU_MM_MAGIC,
		true, true, &om_criu_mm_entry_desc },
	[OM_CRIU_IMG_PAGEMAP] = { "pagemap-%u.img", OM_CRIU_PAGEMAP_MAGIC,
		true, false, &om_criu_pagemap_entry_desc },
	[OM_CRIU_IMG_FS] = { "fs-%u.img", OM_CRIU_FS_MAGIC,
		true, true, &om_criu_fs_entry_desc },
	[OM_CRIU_IMG_FILES] = { "files.img", OM_CRIU_FILES_MAGIC,
		true, false, &om_criu_file_entry_desc },
	[OM_CRIU_IMG_FDINFO] = { "fdinfo-%u.img", OM_CRIU_FDINFO_MAGIC,
		true, false, &om_criu_fdinfo_entry_desc },
	[OM_CRIU_IMG_PIPES_DATA] = { "pipes-data.img", OM_CRIU_PIPES_DATA_MAGIC,
		true, false, &om_criu_pipe_data_entry_desc },
	[OM_CRIU_IMG_TTY_INFO] = { "tty-info.img", OM_CRIU_TTY_INFO_MAGIC,
		true, false, &om_criu_tty_info_entry_desc },
	[OM_CRIU_IMG_SECCOMP] = { "seccomp.img", OM_CRIU_SECCOMP_MAGIC,
		true, true, &om_criu_seccomp_entry_desc },
	[OM_CRIU_IMG_TIMENS] = { "timens-%u.img", OM_CRIU_TIMENS_MAGIC,
		true, true, &om_criu_timens_entry_desc },
	[OM_CRIU_IMG_MEMFD_INODE] = { "memfd.img", OM_CRIU_MEMFD_INODE_MAGIC,
		true, false, &om_criu_memfd_inode_entry_desc },
	[OM_CRIU_IMG_FIFO_DATA] = { "fifo-data.img", OM_CRIU_FIFO_DATA_MAGIC,
		true, false, &om_criu_pipe_data_entry_desc },
	[OM_CRIU_IMG_GHOST_FILE] = { "ghost-file-%x.img", OM_CRIU_GHOST_FILE_MAGIC,
		true, false, &om_criu_ghost_file_entry_desc },
	[OM_CRIU_IMG_REMAP_FPATH] = { "remap-fpath.img", OM_CRIU_REMAP_FPATH_MAGIC,
		true, false, &om_criu_remap_file_path_entry_desc },
};

int om_criu_write_header(struct om_pb_sink *sink, enum om_criu_img img)
{
	const struct om_criu_img_desc *id;
	u8 hdr[8];
	size_t n = 0;

	if ((unsigned int)img >= OM_CRIU_IMG_NR)
		return -EINVAL;
	id = &om_criu_images[img];
	if (id->common) {
		put_unaligned_le32(OM_CRIU_IMG_COMMON_MAGIC, hdr);
		n = 4;
	}
	put_unaligned_le32(id->magic, hdr + n);
	return sink->write(sink->ctx, hdr, n + 4);
}

int om_criu_write_entry(struct om_pb_sink *sink, const struct om_pb_msg_desc *d,
			const void *msg)
{
	s64 sz = om_pb_size(d, msg);
	u8 len[4];
	int ret;

	if (sz < 0)
		return (int)sz;
	if (sz > OM_CRIU_MAX_ENTRY)
		return -EMSGSIZE;
	put_unaligned_le32((u32)sz, len);
	ret = sink->write(sink->ctx, len, 4);
	if (ret)
		return ret;
	return om_pb_encode(d, msg, sink);
}

int om_criu_encode_entry(const struct om_pb_msg_desc *d, const void *msg,
			 u8 *buf, size_t cap)
{
	struct om_pb_memsink ms = { .buf = buf, .cap = cap };
	struct om_pb_sink s = { .write = om_pb_memsink_write, .ctx = &ms };
	int ret;

	ret = om_criu_write_entry(&s, d, msg);
	return ret ? ret : (int)ms.len;
}

int om_criu_check_header(const u8 *buf, size_t len, enum om_criu_img img)
{
	const struct om_criu_img_desc *id;
	size_t n = 0;

	if ((unsigned int)img >= OM_CRIU_IMG_NR)
		return -EINVAL;
	id = &om_criu_images[img];
	if (id->common) {
		if (len < 4)
			return -EBADMSG;
		/* criu: "Head magic doesn't match" */
		if (get_unaligned_le32(buf) != OM_CRIU_IMG_COMMON_MAGIC)
			return -EPROTO;
		n = 4;
	}
	if (len < n + 4)
		return -EBADMSG;
	if (get_unaligned_le32(buf + n) != id->magic)
		return -EPROTO;
	return (int)(n + 4);
}

int om_criu_next_entry(const u8 *buf, size_t len, size_t *off,
		       const u8 **msg, u32 *msg_len)
{
	u32 n;

	if (*off > len)
		return -EINVAL;
	if (*off == len)
		return 0;
	if (len - *off < 4)
		return -EBADMSG;
	n = get_unaligned_le32(buf + *off);
	if (n > OM_CRIU_MAX_ENTRY)
		return -EMSGSIZE;
	if (n > len - *off - 4)
		return -EBADMSG;
	*msg = buf + *off + 4;
	*msg_len = n;
	*off += 4 + (size_t)n;
	return 1;
}

int om_criu_read_entry(const u8 *buf, size_t len, size_t *off,
		       const struct om_pb_msg_desc *d, void *msg)
{
	const u8 *m;
	u32 n;
	int ret;

	ret = om_criu_next_entry(buf, len, off, &m, &n);
	if (ret <= 0)
		return ret;
	ret = om_pb_decode(d, m, n, msg);
	return ret ? ret : 1;
}

int om_criu_next_pipe_data(const u8 *buf, size_t len, size_t *off,
			   struct om_criu_pipe_data_entry *pd, const u8 **data)
{
	int ret;

	memset(pd, 0, sizeof(*pd));
	ret = om_criu_read_entry(buf, len, off, &om_criu_pipe_data_entry_desc, pd);
	if (ret <= 0)
		return ret;
	if (pd->bytes > OM_CRIU_MAX_PIPE_DATA)
		return -EMSGSIZE;
	/* criu: a pipe holds at most its size (0: none recorded) */
	if (pd->bytes > len - *off || (pd->has_size && pd->size && pd->bytes > pd->size))
		return -EBADMSG;
	*data = buf + *off;
	*off += pd->bytes;
	return 1;
}

int om_criu_ghost_head(const u8 *buf, size_t len, size_t *off,
		       struct om_criu_ghost_file_entry *gfe, struct om_criu_ghost_walk *w)
{
	int ret;

	memset(w, 0, sizeof(*w));
	memset(gfe, 0, sizeof(*gfe));
	ret = om_criu_check_header(buf, len, OM_CRIU_IMG_GHOST_FILE);
	if (ret < 0)
		return ret;
	*off = (size_t)ret;
	ret = om_criu_read_entry(buf, len, off, &om_criu_ghost_file_entry_desc, gfe);
	if (ret <= 0)
		return ret ? ret : -EBADMSG;	/* no entry */
	w->chunks = gfe->has_chunks && gfe->chunks;
	if (w->chunks) {
		/* criu: "Corrupted ghost image -> no size" */
		ret = !gfe->has_size ? -EBADMSG : gfe->size > OM_CRIU_MAX_GHOST ? -EMSGSIZE : 0;
		w->size = gfe->size;
	} else {
		/* the contents run to EOF */
		w->size = len - *off;
		ret = w->size > OM_CRIU_MAX_GHOST ? -EMSGSIZE :
		      gfe->has_size && gfe->size != w->size ? -EBADMSG : 0;
	}
	if (ret)
		om_pb_free(&om_criu_ghost_file_entry_desc, gfe);
	return ret;
}

int om_criu_ghost_next(const u8 *buf, size_t len, size_t *off, struct om_criu_ghost_walk *w,
		       u64 *foff, const u8 **data, u64 *dlen)
{
	struct om_criu_ghost_chunk_entry ce = {};
	int ret;

	if (w->done || *off > len)
		return w->done ? 0 : -EINVAL;
	if (!w->chunks) {
		w->done = true;
		if (!w->size)
			return 0;
		if (w->size > len - *off)
			return -EBADMSG;
		*foff = 0;
		*data = buf + *off;
		*dlen = w->size;
		*off += w->size;
		return 1;
	}
	ret = om_criu_read_entry(buf, len, off, &om_criu_ghost_chunk_entry_desc, &ce);
	if (ret <= 0) {
		w->done = true;
		return ret;
	}
	if (!ce.len || ce.off < w->next || ce.off > w->size || ce.len > w->size - ce.off)
		return -EBADMSG;
	if (ce.len > len - *off)
		return -EBADMSG;
	*foff = ce.off;
	*data = buf + *off;
	*dlen = ce.len;
	*off += ce.len;
	w->next = ce.off + ce.len;
	return 1;
}

int om_criu_src_read_full(struct om_criu_source *src, void *buf, size_t len)
{
	size_t got = 0;
	int r;

	while (got < len) {
		size_t want = len - got;

		if (want > 0x40000000)
			want = 0x40000000;
		r = src->read(src->ctx, (u8 *)buf + got, want);
		if (r < 0)
			return r;
		if (r == 0)
			return got ? -EBADMSG : -ENODATA;
		if ((size_t)r > want)
			return -EIO;
		got += (size_t)r;
	}
	return 0;
}

int om_criu_src_header(struct om_criu_source *src, enum om_criu_img img)
{
	u8 hdr[8];
	size_t n;
	int ret;

	if ((unsigned int)img >= OM_CRIU_IMG_NR)
		return -EINVAL;
	n = om_criu_images[img].common ? 8 : 4;
	ret = om_criu_src_read_full(src, hdr, n);
	if (ret)
		return ret == -ENODATA ? -EBADMSG : ret;
	ret = om_criu_check_header(hdr, n, img);
	return ret < 0 ? ret : 0;
}

int om_criu_src_entry(struct om_criu_source *src,
		      const struct om_pb_msg_desc *d, void *msg)
{
	u32 max = src->max_entry ? src->max_entry : OM_CRIU_MAX_ENTRY;
	u8 len[4], *buf;
	u32 n;
	int ret;

	ret = om_criu_src_read_full(src, len, 4);
	if (ret == -ENODATA)
		return 0;	/* clean EOF between entries */
	if (ret)
		return ret;
	n = get_unaligned_le32(len);
	if (n > max || n > OM_CRIU_MAX_ENTRY)
		return -EMSGSIZE;
	/* Allocate what the peer claims only after checking the cap. */
	buf = om_dalloc(n ? n : 1);
	if (!buf)
		return -ENOMEM;
	ret = om_criu_src_read_full(src, buf, n);
	if (ret == -ENODATA)
		ret = -EBADMSG;
	if (!ret)
		ret = om_pb_decode(d, buf, n, msg);
	om_free(buf);
	return ret ? ret : 1;
}

void om_criu_pagemap_set(struct om_criu_pagemap_entry *pe, u64 vaddr,
			 u32 nr_pages, u32 flags)
{
	memset(pe, 0, sizeof(*pe));
	pe->vaddr = vaddr;
	pe->nr_pages = nr_pages;
	pe->has_flags = true;
	pe->flags = flags;
	pe->has_nr_pages64 = true;
	pe->nr_pages64 = nr_pages;
}

u64 om_criu_pagemap_nr_pages(const struct om_criu_pagemap_entry *pe)
{
	return pe->has_nr_pages64 ? pe->nr_pages64 : pe->nr_pages;
}

int om_criu_check_shmem_vma(const struct om_criu_vma_entry *e, const char **why)
{
	*why = NULL;
	if (e->status != OM_CRIU_VMA_SHMEM_STATUS)
		*why = "shared anonymous memory with other status bits";
	else if ((e->flags & (OM_CRIU_MAP_SHARED | OM_CRIU_MAP_PRIVATE | OM_CRIU_MAP_ANONYMOUS)) !=
		 (OM_CRIU_MAP_SHARED | OM_CRIU_MAP_ANONYMOUS))
		*why = "shared anonymous memory not MAP_SHARED|MAP_ANONYMOUS";
	else if (e->flags & OM_CRIU_MAP_GROWSDOWN)
		*why = "shared anonymous memory with MAP_GROWSDOWN";
	else if (e->pgoff)
		*why = "shared anonymous memory at an offset of its object";
	else if (!e->shmid)
		*why = "shared anonymous memory without a shmid";
	else
		return 0;
	return -EINVAL;
}

int om_criu_check_shmem_pagemap(const struct om_criu_pagemap_entry *pm, u32 n, u64 size,
				u64 *bytes, const char **why, int *idx)
{
	u64 prev_end = 0, need = 0;
	u32 i;

	*why = NULL;
	*idx = -1;
	*bytes = 0;
	if (size % OM_CRIU_PAGE_SIZE) {
		*why = "the object's size is not whole pages";
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct om_criu_pagemap_entry *pe = &pm[i];
		u64 nr = om_criu_pagemap_nr_pages(pe);
		u32 flags = om_criu_pe_flags(pe);

		*idx = (int)i;
		if ((pe->has_in_parent && pe->in_parent) || (flags & OM_CRIU_PE_PARENT)) {
			*why = "pages in a parent image (incremental dumps are not supported)";
			return -EOPNOTSUPP;
		}
		if (!nr || pe->vaddr % OM_CRIU_PAGE_SIZE) {
			*why = "an empty or unaligned entry";
			return -EINVAL;
		}
		if (pe->vaddr < prev_end) {
			*why = "entries unsorted or overlapping";
			return -EINVAL;
		}
		if (pe->vaddr >= size || nr > (size - pe->vaddr) / OM_CRIU_PAGE_SIZE) {
			*why = "pages beyond the end of the object";
			return -EINVAL;
		}
		prev_end = pe->vaddr + nr * OM_CRIU_PAGE_SIZE;
		if (flags & OM_CRIU_PE_PRESENT)
			need += nr * OM_CRIU_PAGE_SIZE;
	}
	*idx = -1;
	*bytes = need;
	return 0;
}

bool om_criu_timer_clock_ok(s64 clock_id)
{
	return clock_id == OM_CRIU_CLOCK_REALTIME || clock_id == OM_CRIU_CLOCK_MONOTONIC ||
	       clock_id == OM_CRIU_CLOCK_BOOTTIME || clock_id == OM_CRIU_CLOCK_TAI;
}

u64 om_criu_timer_remaining(s64 expires, s64 now, u64 interval, bool active,
			    bool sig_none, bool requeue)
{
	u64 over;

	if (!interval && !active)
		return 0;		/* disarmed, or fired and not rearmed */
	if (expires > now)
		return (u64)expires - (u64)now;
	over = (u64)now - (u64)expires;
	/* hrtimer_forward(): the first expiry after now */
	if (interval && (requeue || sig_none))
		return interval - over % interval;
	return sig_none ? 0 : 1;
}

u64 om_criu_cpu_itimer_remaining(u64 expires, u64 sample, u64 tick_ns)
{
	if (!expires)
		return 0;
	return expires > sample ? expires - sample : tick_ns;	/* about to fire */
}

void om_criu_itimer_set(struct om_criu_itimer_entry *e, u64 value_ns, u64 interval_ns)
{
	e->vsec = value_ns / OM_CRIU_NSEC_PER_SEC;
	e->vusec = value_ns % OM_CRIU_NSEC_PER_SEC / 1000;
	if (value_ns && !e->vsec && !e->vusec)
		e->vusec = 1;	/* getitimer() would say 0: disarmed */
	e->isec = interval_ns / OM_CRIU_NSEC_PER_SEC;
	e->iusec = interval_ns % OM_CRIU_NSEC_PER_SEC / 1000;
}

void om_criu_posix_timer_set(struct om_criu_posix_timer_entry *e, u64 value_ns,
			     u64 interval_ns)
{
	e->vsec = value_ns / OM_CRIU_NSEC_PER_SEC;
	e->vnsec = value_ns % OM_CRIU_NSEC_PER_SEC;
	e->isec = interval_ns / OM_CRIU_NSEC_PER_SEC;
	e->insec = interval_ns % OM_CRIU_NSEC_PER_SEC;
}

void om_criu_posix_timer_value(const struct om_criu_posix_timer_entry *e,
			       u64 *vsec, u64 *vnsec)
{
	*vsec = e->vsec;
	*vnsec = e->vnsec;
	if (!e->vsec && !e->vnsec) {
		*vsec = e->isec;
		*vnsec = e->insec;
	}
}

static bool om_criu_itimer_ok(const struct om_criu_itimer_entry *e)
{
	return !e || (e->isec <= OM_CRIU_TIMER_MAX_SEC && e->vsec <= OM_CRIU_TIMER_MAX_SEC &&
		      e->iusec < OM_CRIU_USEC_PER_SEC && e->vusec < OM_CRIU_USEC_PER_SEC);
}

static const char om_criu_bad_clock[] =
	"unsupported clock (not REALTIME, MONOTONIC, BOOTTIME or TAI)";

static const char *om_criu_posix_timer_bad(const struct om_criu_posix_timer_entry *e, u32 pid)
{
	u32 notify = e->it_sigev_notify;

	if (e->it_id > OM_CRIU_MAX_TIMER_ID)
		return "timer id too large to be recreated";
	if (e->isec > OM_CRIU_TIMER_MAX_SEC || e->vsec > OM_CRIU_TIMER_MAX_SEC ||
	    e->insec >= OM_CRIU_NSEC_PER_SEC || e->vnsec >= OM_CRIU_NSEC_PER_SEC)
		return "bad time";
	if (!om_criu_timer_clock_ok((s32)e->clock_id))
		return om_criu_bad_clock;
	if (notify != OM_CRIU_SIGEV_SIGNAL && notify != OM_CRIU_SIGEV_NONE &&
	    notify != OM_CRIU_SIGEV_THREAD &&
	    notify != (OM_CRIU_SIGEV_SIGNAL | OM_CRIU_SIGEV_THREAD_ID))
		return "bad notification kind";
	/* a SIGEV_NONE timer keeps whatever signal number it was given */
	if (notify != OM_CRIU_SIGEV_NONE &&
	    (!e->si_signo || e->si_signo > OM_CRIU_SIGRTMAX))
		return "bad signal number";
	if ((notify & OM_CRIU_SIGEV_THREAD_ID) &&
	    (!e->has_notify_thread_id || (u32)e->notify_thread_id != pid))
		return "SIGEV_THREAD_ID names another thread";
	return NULL;
}

int om_criu_check_timers(const struct om_criu_task_timers_entry *t, u32 pid,
			 const char **why, int *idx)
{
	u32 i, j;

	*idx = -1;
	*why = NULL;
	if (!t)
		return 0;
	if (!om_criu_itimer_ok(t->real) || !om_criu_itimer_ok(t->virt) ||
	    !om_criu_itimer_ok(t->prof)) {
		*why = "bad itimer value";
		return -EINVAL;
	}
	if (t->n_posix > OM_CRIU_MAX_POSIX_TIMERS) {
		*why = "too many POSIX timers";
		return -EINVAL;
	}
	for (i = 0; i < t->n_posix; i++) {
		const struct om_criu_posix_timer_entry *e = &t->posix[i];

		*why = om_criu_posix_timer_bad(e, pid);
		for (j = 0; !*why && j < i; j++)
			if (t->posix[j].it_id == e->it_id)
				*why = "timer id recorded twice";
		if (*why) {
			*idx = (int)i;
			return *why == om_criu_bad_clock ? -EOPNOTSUPP : -EINVAL;
		}
	}
	return 0;
}

/* An anonymous file's status flags: O_RDWR, and what F_SETFL may add. */
static bool om_criu_anon_flags_ok(u32 flags)
{
	flags &= ~(OM_CRIU_O_CLOEXEC | OM_CRIU_O_LARGEFILE);
	return (flags & OM_CRIU_O_ACCMODE) == OM_CRIU_O_RDWR &&
	       !(flags & ~(OM_CRIU_O_ACCMODE | OM_CRIU_ANON_SETFL));
}

static const char om_criu_bad_flags[] = "bad file status flags";

int om_criu_check_eventfd(const struct om_criu_eventfd_file_entry *e, const char **why)
{
	*why = NULL;
	if (!om_criu_anon_flags_ok(e->flags))
		*why = om_criu_bad_flags;
	else if (e->counter > OM_CRIU_EVENTFD_MAX)
		/* the kernel's overflow mark, which only eventfd_signal() sets */
		*why = "its counter overflowed (ULLONG_MAX): write() cannot make that";
	else
		return 0;
	return *why == om_criu_bad_flags ? -EINVAL : -EOPNOTSUPP;
}

int om_criu_check_signalfd(const struct om_criu_signalfd_entry *e, const char **why)
{
	*why = NULL;
	if (!om_criu_anon_flags_ok(e->flags))
		*why = om_criu_bad_flags;
	/* signalfd() takes SIGKILL and SIGSTOP out of every mask */
	else if (e->sigmask & ((1ull << (9 - 1)) | (1ull << (19 - 1))))
		*why = "SIGKILL or SIGSTOP in its mask";
	else
		return 0;
	return -EINVAL;
}

static bool om_criu_timens_clock_ok(const struct om_criu_timespec_entry *c)
{
	return c && c->tv_nsec < OM_CRIU_NSEC_PER_SEC && c->tv_sec <= OM_CRIU_TIMENS_MAX_SEC;
}

int om_criu_check_timens(const struct om_criu_timens_entry *e, const char **why)
{
	*why = NULL;
	if (!om_criu_timens_clock_ok(e->monotonic))
		*why = "CLOCK_MONOTONIC out of range";
	else if (!om_criu_timens_clock_ok(e->boottime))
		*why = "CLOCK_BOOTTIME out of range";
	return *why ? -EINVAL : 0;
}

int om_criu_check_timerfd(const struct om_criu_timerfd_entry *e, const char **why)
{
	*why = NULL;
	if (!om_criu_anon_flags_ok(e->flags)) {
		*why = om_criu_bad_flags;
		return -EINVAL;
	}
	if (e->clockid == OM_CRIU_CLOCK_REALTIME_ALARM ||
	    e->clockid == OM_CRIU_CLOCK_BOOTTIME_ALARM) {
		*why = "alarm clocks are not supported (they need CAP_WAKE_ALARM)";
		return -EOPNOTSUPP;
	}
	if (e->clockid != OM_CRIU_CLOCK_REALTIME && e->clockid != OM_CRIU_CLOCK_MONOTONIC &&
	    e->clockid != OM_CRIU_CLOCK_BOOTTIME) {
		*why = "bad clock";
		return -EINVAL;
	}
	if (e->settime_flags & ~(OM_CRIU_TFD_TIMER_ABSTIME | OM_CRIU_TFD_TIMER_CANCEL_ON_SET)) {
		*why = "bad settime flags";
		return -EINVAL;
	}
	if (e->settime_flags & OM_CRIU_TFD_TIMER_CANCEL_ON_SET) {
		*why = "TFD_TIMER_CANCEL_ON_SET is not supported (whether a clock change cancelled it is not visible)";
		return -EOPNOTSUPP;
	}
	if (e->vsec > OM_CRIU_TIMER_MAX_SEC || e->isec > OM_CRIU_TIMER_MAX_SEC ||
	    e->vnsec >= OM_CRIU_NSEC_PER_SEC || e->insec >= OM_CRIU_NSEC_PER_SEC) {
		*why = "bad time";
		return -EINVAL;
	}
	return 0;
}

void om_criu_timerfd_value(const struct om_criu_timerfd_entry *e, u64 *vsec, u64 *vnsec)
{
	*vsec = e->vsec;
	*vnsec = e->vnsec;
	if (!e->vsec && !e->vnsec && e->ticks) {
		*vsec = e->isec;
		*vnsec = e->insec;
	}
}

/* what epoll_ctl() takes with EPOLLEXCLUSIVE (EPOLLEXCLUSIVE_OK_BITS) */
#define OM_CRIU_EPOLL_EXCL_OK	(OM_CRIU_EPOLLIN | OM_CRIU_EPOLLOUT | OM_CRIU_EPOLLERR | \
				 OM_CRIU_EPOLLHUP | OM_CRIU_EPOLLWAKEUP | OM_CRIU_EPOLLET | \
				 OM_CRIU_EPOLLEXCLUSIVE)

int om_criu_check_eventpoll(const struct om_criu_eventpoll_file_entry *e,
			    const char **why, int *idx)
{
	u32 i, j;

	*why = NULL;
	*idx = -1;
	if (!om_criu_anon_flags_ok(e->flags)) {
		*why = om_criu_bad_flags;
		return -EINVAL;
	}
	for (i = 0; i < e->n_tfd; i++) {
		const struct om_criu_eventpoll_tfd_entry *t = &e->tfd[i];
		u32 ev = t->events;

		if (t->tfd >= OM_CRIU_MAX_FD)
			*why = "fd number too large";
		else if (ev & ~(OM_CRIU_EPOLL_EVENTS | OM_CRIU_EPOLLEXCLUSIVE | OM_CRIU_EPOLLWAKEUP |
				OM_CRIU_EPOLLONESHOT | OM_CRIU_EPOLLET))
			*why = "unknown event bits";
		else if ((ev & OM_CRIU_EPOLLEXCLUSIVE) && (ev & ~OM_CRIU_EPOLL_EXCL_OK))
			*why = "EPOLLEXCLUSIVE with events epoll_ctl() refuses with it";
		/*
		 * epoll_ctl() adds EPOLLERR|EPOLLHUP to every entry; an
		 * EPOLLONESHOT one that fired keeps only the private bits
		 */
		else if ((ev & (OM_CRIU_EPOLLERR | OM_CRIU_EPOLLHUP)) !=
			 (OM_CRIU_EPOLLERR | OM_CRIU_EPOLLHUP) &&
			 (!(ev & OM_CRIU_EPOLLONESHOT) ||
			  (ev & ~(OM_CRIU_EPOLLONESHOT | OM_CRIU_EPOLLET | OM_CRIU_EPOLLWAKEUP))))
			*why = "events without EPOLLERR|EPOLLHUP (epoll_ctl() adds them)";
		for (j = 0; !*why && j < i; j++)
			if (e->tfd[j].tfd == t->tfd)
				*why = "fd watched twice";
		if (*why) {
			*idx = (int)i;
			return -EINVAL;
		}
	}
	return 0;
}

/* Kernel-internal restart codes (include/linux/errno.h). */
#define OM_ERESTARTSYS			512
#define OM_ERESTARTNOINTR		513
#define OM_ERESTARTNOHAND		514
#define OM_ERESTART_RESTARTBLOCK	516
#define OM_EINTR			4

void om_criu_x86_fixup_restart(struct om_criu_user_x86_regs_entry *r)
{
	s64 ax = (s64)r->ax;

	/* Restore goes through sigreturn, so restart the syscall now. */
	if ((s64)r->orig_ax < 0)
		return;
	if (ax == -OM_ERESTARTSYS || ax == -OM_ERESTARTNOINTR ||
	    ax == -OM_ERESTARTNOHAND) {
		r->ax = r->orig_ax;
		r->ip -= 2;
	} else if (ax == -OM_ERESTART_RESTARTBLOCK) {
		r->ax = (u64)-OM_EINTR;
	}
}
