/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * CRIU image files (criu 3.17 format, also read by 4.x): framing, magics
 * and C structs for the messages CRIU writes for a simple process.  The
 * structs and field tables between the GENERATED markers come from
 * tests/unit/criu/gen/om_criu_gen.py (pycriu's compiled descriptors), so
 * field numbers and wire types match CRIU's images/ .proto files exactly.
 *
 * Image file = [IMG_COMMON_MAGIC] type magic, then entries, each a native
 * (little-endian) u32 length followed by one protobuf message, until EOF.
 * inventory.img has no common word; pages-N.img is raw page data.
 */
#ifndef _OM_CRIU_H
#define _OM_CRIU_H

#include "om_pb.h"

#define OM_CRIU_IMG_COMMON_MAGIC	0x54564319u
#define OM_CRIU_IMG_SERVICE_MAGIC	0x55105940u
#define OM_CRIU_INVENTORY_MAGIC		0x58313116u
#define OM_CRIU_PSTREE_MAGIC		0x50273030u
#define OM_CRIU_CORE_MAGIC		0x55053847u
#define OM_CRIU_IDS_MAGIC		0x54432030u
#define OM_CRIU_MM_MAGIC		0x57492820u
#define OM_CRIU_PAGEMAP_MAGIC		0x56084025u
#define OM_CRIU_FS_MAGIC		0x51403912u
#define OM_CRIU_FILES_MAGIC		0x56303138u
#define OM_CRIU_FDINFO_MAGIC		0x56213732u
#define OM_CRIU_PIPES_DATA_MAGIC	0x56453709u
#define OM_CRIU_TTY_INFO_MAGIC		0x59453036u
#define OM_CRIU_SECCOMP_MAGIC		0x64413049u
#define OM_CRIU_TIMENS_MAGIC		0x43114433u
#define OM_CRIU_MEMFD_INODE_MAGIC	0x48453499u
#define OM_CRIU_FIFO_DATA_MAGIC		0x59333054u
#define OM_CRIU_GHOST_FILE_MAGIC	0x52583605u
#define OM_CRIU_REMAP_FPATH_MAGIC	0x59133954u

/* inventory.img_version written by criu >= 1.1 (CRTOOLS_IMAGES_V1_1) */
#define OM_CRIU_IMAGES_V1_1		2
#define OM_CRIU_PAGE_SIZE		4096u
/* Largest entry we accept from a stream (mm with 262144 VMAs fits). */
#define OM_CRIU_MAX_ENTRY		(32u << 20)
/* Most contents of one pipe or FIFO (pipe_data_entry.bytes) we take. */
#define OM_CRIU_MAX_PIPE_DATA		(16u << 20)
/*
 * Deleted open files ("ghost files"): the largest one we take (its size,
 * holes included), and the size from which criu writes the contents in
 * chunks
 */
#define OM_CRIU_MAX_GHOST		(32u << 20)
#define OM_CRIU_GHOST_CHUNKS_THRESH	(3u * 4096)
/* remap_file_path_entry.remap_type; images without it: the ghost bit of remap_id */
#define OM_CRIU_REMAP_LINKED		0
#define OM_CRIU_REMAP_GHOST		1
#define OM_CRIU_REMAP_PROCFS		2
#define OM_CRIU_REMAP_GHOST_BIT		0x80000000u

/* core_entry.mtype */
#define OM_CRIU_MARCH_X86_64		1
/* task_core_entry.task_state */
#define OM_CRIU_TASK_ALIVE		1
#define OM_CRIU_TASK_DEAD		2
#define OM_CRIU_TASK_STOPPED		3
/* sigactions CRIU expects: signals 1..64 minus SIGKILL and SIGSTOP */
#define OM_CRIU_NR_SIGACTIONS		62
#define OM_CRIU_NR_RLIMITS		16
#define OM_CRIU_NR_CAP_WORDS		2
#define OM_CRIU_MAX_AUXV		44
/* user_x86_regs_entry.mode */
#define OM_CRIU_REGS_NATIVE		1
#define OM_CRIU_REGS_COMPAT		2
/* vma_entry.status */
#define OM_CRIU_VMA_AREA_REGULAR	0x00000001u
#define OM_CRIU_VMA_AREA_STACK		0x00000002u
#define OM_CRIU_VMA_AREA_VSYSCALL	0x00000004u
#define OM_CRIU_VMA_AREA_VDSO		0x00000008u
#define OM_CRIU_VMA_AREA_HEAP		0x00000020u
#define OM_CRIU_VMA_FILE_PRIVATE	0x00000040u
#define OM_CRIU_VMA_FILE_SHARED		0x00000080u
#define OM_CRIU_VMA_ANON_SHARED		0x00000100u
#define OM_CRIU_VMA_ANON_PRIVATE	0x00000200u
#define OM_CRIU_VMA_AREA_SYSVIPC	0x00000400u
#define OM_CRIU_VMA_AREA_SOCKET		0x00000800u
#define OM_CRIU_VMA_AREA_VVAR		0x00001000u
#define OM_CRIU_VMA_AREA_AIORING	0x00002000u
#define OM_CRIU_VMA_AREA_MEMFD		0x00004000u
/* pagemap_entry.flags */
#define OM_CRIU_PE_PARENT		1u
#define OM_CRIU_PE_LAZY			2u
#define OM_CRIU_PE_PRESENT		4u
/* fd_types (file_entry.type, fdinfo_entry.type) */
#define OM_CRIU_FD_REG			1
#define OM_CRIU_FD_PIPE			2
#define OM_CRIU_FD_FIFO			3
#define OM_CRIU_FD_INETSK		4
#define OM_CRIU_FD_UNIXSK		5
#define OM_CRIU_FD_EVENTFD		6
#define OM_CRIU_FD_EVENTPOLL		7
#define OM_CRIU_FD_SIGNALFD		9
#define OM_CRIU_FD_TTY			11
#define OM_CRIU_FD_TIMERFD		17
#define OM_CRIU_FD_MEMFD		18
/* tty_type */
#define OM_CRIU_TTY_PTY			1
#define OM_CRIU_TTY_CONSOLE		2
#define OM_CRIU_TTY_VT			3
#define OM_CRIU_TTY_CTTY		4
#define OM_CRIU_TTY_EXT_TTY		5
#define OM_CRIU_TTY_SERIAL		6
/* inventory lsmtype */
#define OM_CRIU_LSM_NONE		0
#define OM_CRIU_LSM_SELINUX		1
#define OM_CRIU_LSM_APPARMOR		2

/* BEGIN GENERATED STRUCTS (om_criu_gen.py h) */
struct om_criu_task_kobj_ids_entry {
	u32 vm_id;
	u32 files_id;
	u32 fs_id;
	u32 sighand_id;
	bool has_pid_ns_id;
	u32 pid_ns_id;
	bool has_net_ns_id;
	u32 net_ns_id;
	bool has_ipc_ns_id;
	u32 ipc_ns_id;
	bool has_uts_ns_id;
	u32 uts_ns_id;
	bool has_mnt_ns_id;
	u32 mnt_ns_id;
	bool has_user_ns_id;
	u32 user_ns_id;
	bool has_cgroup_ns_id;
	u32 cgroup_ns_id;
	bool has_time_ns_id;
	u32 time_ns_id;
};
extern const struct om_pb_msg_desc om_criu_task_kobj_ids_entry_desc;

struct om_criu_inventory_entry {
	u32 img_version;
	bool has_fdinfo_per_id;
	bool fdinfo_per_id;
	struct om_criu_task_kobj_ids_entry *root_ids;
	bool has_ns_per_id;
	bool ns_per_id;
	bool has_root_cg_set;
	u32 root_cg_set;
	bool has_lsmtype;
	u32 lsmtype;
	bool has_dump_uptime;
	u64 dump_uptime;
	bool has_pre_dump_mode;
	u32 pre_dump_mode;
	bool has_tcp_close;
	bool tcp_close;
	bool has_network_lock_method;
	u32 network_lock_method;
};
extern const struct om_pb_msg_desc om_criu_inventory_entry_desc;

struct om_criu_pstree_entry {
	u32 pid;
	u32 ppid;
	u32 pgid;
	u32 sid;
	u32 *threads;
	u32 n_threads;
};
extern const struct om_pb_msg_desc om_criu_pstree_entry_desc;

struct om_criu_user_x86_regs_entry {
	u64 r15;
	u64 r14;
	u64 r13;
	u64 r12;
	u64 bp;
	u64 bx;
	u64 r11;
	u64 r10;
	u64 r9;
	u64 r8;
	u64 ax;
	u64 cx;
	u64 dx;
	u64 si;
	u64 di;
	u64 orig_ax;
	u64 ip;
	u64 cs;
	u64 flags;
	u64 sp;
	u64 ss;
	u64 fs_base;
	u64 gs_base;
	u64 ds;
	u64 es;
	u64 fs;
	u64 gs;
	bool has_mode;
	u32 mode;
};
extern const struct om_pb_msg_desc om_criu_user_x86_regs_entry_desc;

struct om_criu_user_x86_xsave_entry {
	u64 xstate_bv;
	u32 *ymmh_space;
	u32 n_ymmh_space;
	u64 *bndreg_state;
	u32 n_bndreg_state;
	u64 *bndcsr_state;
	u32 n_bndcsr_state;
	u64 *opmask_reg;
	u32 n_opmask_reg;
	u64 *zmm_upper;
	u32 n_zmm_upper;
	u64 *hi16_zmm;
	u32 n_hi16_zmm;
	u32 *pkru;
	u32 n_pkru;
};
extern const struct om_pb_msg_desc om_criu_user_x86_xsave_entry_desc;

struct om_criu_user_x86_fpregs_entry {
	u32 cwd;
	u32 swd;
	u32 twd;
	u32 fop;
	u64 rip;
	u64 rdp;
	u32 mxcsr;
	u32 mxcsr_mask;
	u32 *st_space;
	u32 n_st_space;
	u32 *xmm_space;
	u32 n_xmm_space;
	u32 *padding;
	u32 n_padding;
	struct om_criu_user_x86_xsave_entry *xsave;
};
extern const struct om_pb_msg_desc om_criu_user_x86_fpregs_entry_desc;

struct om_criu_user_desc {
	u32 entry_number;
	u32 base_addr;
	u32 limit;
	bool seg_32bit;
	bool contents_h;
	bool contents_l;
	bool read_exec_only;
	bool limit_in_pages;
	bool seg_not_present;
	bool usable;
};
extern const struct om_pb_msg_desc om_criu_user_desc_desc;

struct om_criu_thread_info_x86 {
	u64 clear_tid_addr;
	struct om_criu_user_x86_regs_entry *gpregs;
	struct om_criu_user_x86_fpregs_entry *fpregs;
	struct om_criu_user_desc *tls;
	u32 n_tls;
};
extern const struct om_pb_msg_desc om_criu_thread_info_x86_desc;

struct om_criu_creds_entry {
	u32 uid;
	u32 gid;
	u32 euid;
	u32 egid;
	u32 suid;
	u32 sgid;
	u32 fsuid;
	u32 fsgid;
	u32 *cap_inh;
	u32 n_cap_inh;
	u32 *cap_prm;
	u32 n_cap_prm;
	u32 *cap_eff;
	u32 n_cap_eff;
	u32 *cap_bnd;
	u32 n_cap_bnd;
	u32 secbits;
	u32 *groups;
	u32 n_groups;
	char *lsm_profile;
	char *lsm_sockcreate;
	bool has_apparmor_data;
	struct om_pb_bytes apparmor_data;
};
extern const struct om_pb_msg_desc om_criu_creds_entry_desc;

struct om_criu_sa_entry {
	u64 sigaction;
	u64 flags;
	u64 restorer;
	u64 mask;
	bool has_compat_sigaction;
	bool compat_sigaction;
	bool has_mask_extended;
	u64 mask_extended;
};
extern const struct om_pb_msg_desc om_criu_sa_entry_desc;

struct om_criu_rlimit_entry {
	u64 cur;
	u64 max;
};
extern const struct om_pb_msg_desc om_criu_rlimit_entry_desc;

struct om_criu_task_rlimits_entry {
	struct om_criu_rlimit_entry *rlimits;
	u32 n_rlimits;
};
extern const struct om_pb_msg_desc om_criu_task_rlimits_entry_desc;

struct om_criu_itimer_entry {
	u64 isec;
	u64 iusec;
	u64 vsec;
	u64 vusec;
};
extern const struct om_pb_msg_desc om_criu_itimer_entry_desc;

struct om_criu_posix_timer_entry {
	u32 it_id;
	u32 clock_id;
	u32 si_signo;
	u32 it_sigev_notify;
	u64 sival_ptr;
	u32 overrun;
	u64 isec;
	u64 insec;
	u64 vsec;
	u64 vnsec;
	bool has_notify_thread_id;
	s32 notify_thread_id;
};
extern const struct om_pb_msg_desc om_criu_posix_timer_entry_desc;

struct om_criu_task_timers_entry {
	struct om_criu_itimer_entry *real;
	struct om_criu_itimer_entry *virt;
	struct om_criu_itimer_entry *prof;
	struct om_criu_posix_timer_entry *posix;
	u32 n_posix;
};
extern const struct om_pb_msg_desc om_criu_task_timers_entry_desc;

struct om_criu_siginfo_entry {
	struct om_pb_bytes siginfo;
};
extern const struct om_pb_msg_desc om_criu_siginfo_entry_desc;

struct om_criu_signal_queue_entry {
	struct om_criu_siginfo_entry *signals;
	u32 n_signals;
};
extern const struct om_pb_msg_desc om_criu_signal_queue_entry_desc;

struct om_criu_rseq_entry {
	u64 rseq_abi_pointer;
	u32 rseq_abi_size;
	u32 signature;
	bool has_rseq_cs_pointer;
	u64 rseq_cs_pointer;
};
extern const struct om_pb_msg_desc om_criu_rseq_entry_desc;

struct om_criu_thread_sas_entry {
	u64 ss_sp;
	u64 ss_size;
	u32 ss_flags;
};
extern const struct om_pb_msg_desc om_criu_thread_sas_entry_desc;

struct om_criu_thread_core_entry {
	u64 futex_rla;
	u32 futex_rla_len;
	bool has_sched_nice;
	s32 sched_nice;
	bool has_sched_policy;
	u32 sched_policy;
	bool has_sched_prio;
	u32 sched_prio;
	bool has_blk_sigset;
	u64 blk_sigset;
	struct om_criu_thread_sas_entry *sas;
	bool has_pdeath_sig;
	u32 pdeath_sig;
	struct om_criu_signal_queue_entry *signals_p;
	struct om_criu_creds_entry *creds;
	bool has_seccomp_mode;
	u32 seccomp_mode;
	bool has_seccomp_filter;
	u32 seccomp_filter;
	char *comm;
	bool has_blk_sigset_extended;
	u64 blk_sigset_extended;
	struct om_criu_rseq_entry *rseq_entry;
};
extern const struct om_pb_msg_desc om_criu_thread_core_entry_desc;

struct om_criu_task_core_entry {
	u32 task_state;
	u32 exit_code;
	u32 personality;
	u32 flags;
	u64 blk_sigset;
	char *comm;
	struct om_criu_task_timers_entry *timers;
	struct om_criu_task_rlimits_entry *rlimits;
	bool has_cg_set;
	u32 cg_set;
	struct om_criu_signal_queue_entry *signals_s;
	bool has_old_seccomp_mode;
	u32 old_seccomp_mode;
	bool has_old_seccomp_filter;
	u32 old_seccomp_filter;
	bool has_loginuid;
	u32 loginuid;
	bool has_oom_score_adj;
	s32 oom_score_adj;
	struct om_criu_sa_entry *sigactions;
	u32 n_sigactions;
	bool has_child_subreaper;
	bool child_subreaper;
	bool has_blk_sigset_extended;
	u64 blk_sigset_extended;
};
extern const struct om_pb_msg_desc om_criu_task_core_entry_desc;

struct om_criu_core_entry {
	u32 mtype;
	struct om_criu_thread_info_x86 *thread_info;
	struct om_criu_task_core_entry *tc;
	struct om_criu_task_kobj_ids_entry *ids;
	struct om_criu_thread_core_entry *thread_core;
};
extern const struct om_pb_msg_desc om_criu_core_entry_desc;

struct om_criu_aio_ring_entry {
	u64 id;
	u32 nr_req;
	u32 ring_len;
};
extern const struct om_pb_msg_desc om_criu_aio_ring_entry_desc;

struct om_criu_vma_entry {
	u64 start;
	u64 end;
	u64 pgoff;
	u64 shmid;
	u32 prot;
	u32 flags;
	u32 status;
	s64 fd;
	bool has_madv;
	u64 madv;
	bool has_fdflags;
	u32 fdflags;
};
extern const struct om_pb_msg_desc om_criu_vma_entry_desc;

struct om_criu_mm_entry {
	u64 mm_start_code;
	u64 mm_end_code;
	u64 mm_start_data;
	u64 mm_end_data;
	u64 mm_start_stack;
	u64 mm_start_brk;
	u64 mm_brk;
	u64 mm_arg_start;
	u64 mm_arg_end;
	u64 mm_env_start;
	u64 mm_env_end;
	u32 exe_file_id;
	u64 *mm_saved_auxv;
	u32 n_mm_saved_auxv;
	struct om_criu_vma_entry *vmas;
	u32 n_vmas;
	bool has_dumpable;
	s32 dumpable;
	struct om_criu_aio_ring_entry *aios;
	u32 n_aios;
	bool has_thp_disabled;
	bool thp_disabled;
};
extern const struct om_pb_msg_desc om_criu_mm_entry_desc;

struct om_criu_pagemap_head {
	u32 pages_id;
};
extern const struct om_pb_msg_desc om_criu_pagemap_head_desc;

struct om_criu_pagemap_entry {
	u64 vaddr;
	u32 nr_pages;
	bool has_in_parent;
	bool in_parent;
	bool has_flags;
	u32 flags;
	bool has_nr_pages64;
	u64 nr_pages64;
};
extern const struct om_pb_msg_desc om_criu_pagemap_entry_desc;

/* An entry's flags; criu writes none for pages that are simply present */
static inline u32 om_criu_pe_flags(const struct om_criu_pagemap_entry *pe)
{
	return pe->has_flags ? pe->flags : OM_CRIU_PE_PRESENT;
}

struct om_criu_fs_entry {
	u32 cwd_id;
	u32 root_id;
	bool has_umask;
	u32 umask;
};
extern const struct om_pb_msg_desc om_criu_fs_entry_desc;

struct om_criu_fdinfo_entry {
	u32 id;
	u32 flags;
	u32 type;
	u32 fd;
	char *xattr_security_selinux;
};
extern const struct om_pb_msg_desc om_criu_fdinfo_entry_desc;

struct om_criu_fown_entry {
	u32 uid;
	u32 euid;
	u32 signum;
	u32 pid_type;
	u32 pid;
};
extern const struct om_pb_msg_desc om_criu_fown_entry_desc;

struct om_criu_reg_file_entry {
	u32 id;
	u32 flags;
	u64 pos;
	struct om_criu_fown_entry *fown;
	char *name;
	bool has_mnt_id;
	s32 mnt_id;
	bool has_size;
	u64 size;
	bool has_ext;
	bool ext;
	bool has_mode;
	u32 mode;
	u32 *build_id;
	u32 n_build_id;
	bool has_checksum;
	u32 checksum;
	bool has_checksum_config;
	u32 checksum_config;
	bool has_checksum_parameter;
	u32 checksum_parameter;
};
extern const struct om_pb_msg_desc om_criu_reg_file_entry_desc;

struct om_criu_pipe_entry {
	u32 id;
	u32 pipe_id;
	u32 flags;
	struct om_criu_fown_entry *fown;
};
extern const struct om_pb_msg_desc om_criu_pipe_entry_desc;

struct om_criu_fifo_entry {
	u32 id;
	u32 pipe_id;
	bool has_regf_id;
	u32 regf_id;
};
extern const struct om_pb_msg_desc om_criu_fifo_entry_desc;

struct om_criu_tty_file_entry {
	u32 id;
	u32 tty_info_id;
	u32 flags;
	struct om_criu_fown_entry *fown;
	bool has_regf_id;
	u32 regf_id;
};
extern const struct om_pb_msg_desc om_criu_tty_file_entry_desc;

struct om_criu_memfd_file_entry {
	u32 id;
	u32 flags;
	u64 pos;
	struct om_criu_fown_entry *fown;
	u32 inode_id;
};
extern const struct om_pb_msg_desc om_criu_memfd_file_entry_desc;

struct om_criu_eventfd_file_entry {
	u32 id;
	u32 flags;
	struct om_criu_fown_entry *fown;
	u64 counter;
	bool has_semaphore;
	bool semaphore;
};
extern const struct om_pb_msg_desc om_criu_eventfd_file_entry_desc;

struct om_criu_signalfd_entry {
	u32 id;
	u32 flags;
	struct om_criu_fown_entry *fown;
	u64 sigmask;
};
extern const struct om_pb_msg_desc om_criu_signalfd_entry_desc;

struct om_criu_timerfd_entry {
	u32 id;
	u32 flags;
	struct om_criu_fown_entry *fown;
	u32 clockid;
	u64 ticks;
	u32 settime_flags;
	u64 vsec;
	u64 vnsec;
	u64 isec;
	u64 insec;
};
extern const struct om_pb_msg_desc om_criu_timerfd_entry_desc;

struct om_criu_eventpoll_tfd_entry {
	u32 id;
	u32 tfd;
	u32 events;
	u64 data;
	bool has_dev;
	u32 dev;
	bool has_inode;
	u64 inode;
	bool has_pos;
	u64 pos;
};
extern const struct om_pb_msg_desc om_criu_eventpoll_tfd_entry_desc;

struct om_criu_eventpoll_file_entry {
	u32 id;
	u32 flags;
	struct om_criu_fown_entry *fown;
	struct om_criu_eventpoll_tfd_entry *tfd;
	u32 n_tfd;
};
extern const struct om_pb_msg_desc om_criu_eventpoll_file_entry_desc;

struct om_criu_file_entry {
	u32 type;
	u32 id;
	struct om_criu_reg_file_entry *reg;
	struct om_criu_eventfd_file_entry *efd;
	struct om_criu_eventpoll_file_entry *epfd;
	struct om_criu_signalfd_entry *sgfd;
	struct om_criu_timerfd_entry *tfd;
	struct om_criu_fifo_entry *fifo;
	struct om_criu_pipe_entry *pipe;
	struct om_criu_tty_file_entry *tty;
	struct om_criu_memfd_file_entry *memfd;
};
extern const struct om_pb_msg_desc om_criu_file_entry_desc;

struct om_criu_pipe_data_entry {
	u32 pipe_id;
	u32 bytes;
	bool has_size;
	u32 size;
};
extern const struct om_pb_msg_desc om_criu_pipe_data_entry_desc;

struct om_criu_termios_entry {
	u32 c_iflag;
	u32 c_oflag;
	u32 c_cflag;
	u32 c_lflag;
	u32 c_line;
	u32 c_ispeed;
	u32 c_ospeed;
	u32 *c_cc;
	u32 n_c_cc;
};
extern const struct om_pb_msg_desc om_criu_termios_entry_desc;

struct om_criu_winsize_entry {
	u32 ws_row;
	u32 ws_col;
	u32 ws_xpixel;
	u32 ws_ypixel;
};
extern const struct om_pb_msg_desc om_criu_winsize_entry_desc;

struct om_criu_tty_pty_entry {
	u32 index;
};
extern const struct om_pb_msg_desc om_criu_tty_pty_entry_desc;

struct om_criu_tty_info_entry {
	u32 id;
	u32 type;
	bool locked;
	bool exclusive;
	bool packet_mode;
	u32 sid;
	u32 pgrp;
	u32 rdev;
	struct om_criu_termios_entry *termios;
	struct om_criu_termios_entry *termios_locked;
	struct om_criu_winsize_entry *winsize;
	struct om_criu_tty_pty_entry *pty;
	bool has_dev;
	u32 dev;
	bool has_uid;
	u32 uid;
	bool has_gid;
	u32 gid;
};
extern const struct om_pb_msg_desc om_criu_tty_info_entry_desc;

struct om_criu_seccomp_filter {
	struct om_pb_bytes filter;
	bool has_prev;
	u32 prev;
	bool has_flags;
	u32 flags;
};
extern const struct om_pb_msg_desc om_criu_seccomp_filter_desc;

struct om_criu_seccomp_entry {
	struct om_criu_seccomp_filter *seccomp_filters;
	u32 n_seccomp_filters;
};
extern const struct om_pb_msg_desc om_criu_seccomp_entry_desc;

struct om_criu_timespec_entry {
	u64 tv_sec;
	u64 tv_nsec;
};
extern const struct om_pb_msg_desc om_criu_timespec_entry_desc;

struct om_criu_timeval {
	u64 tv_sec;
	u64 tv_usec;
};
extern const struct om_pb_msg_desc om_criu_timeval_desc;

struct om_criu_ghost_file_entry {
	u32 uid;
	u32 gid;
	u32 mode;
	bool has_dev;
	u32 dev;
	bool has_ino;
	u64 ino;
	bool has_rdev;
	u32 rdev;
	struct om_criu_timeval *atim;
	struct om_criu_timeval *mtim;
	bool has_chunks;
	bool chunks;
	bool has_size;
	u64 size;
	char *symlnk_target;
};
extern const struct om_pb_msg_desc om_criu_ghost_file_entry_desc;

struct om_criu_ghost_chunk_entry {
	u64 len;
	u64 off;
};
extern const struct om_pb_msg_desc om_criu_ghost_chunk_entry_desc;

struct om_criu_remap_file_path_entry {
	u32 orig_id;
	u32 remap_id;
	bool has_remap_type;
	u32 remap_type;
};
extern const struct om_pb_msg_desc om_criu_remap_file_path_entry_desc;

struct om_criu_timens_entry {
	struct om_criu_timespec_entry *monotonic;
	struct om_criu_timespec_entry *boottime;
};
extern const struct om_pb_msg_desc om_criu_timens_entry_desc;

struct om_criu_memfd_inode_entry {
	char *name;
	u32 uid;
	u32 gid;
	u64 size;
	u32 shmid;
	u32 seals;
	u64 inode_id;
	bool has_hugetlb_flag;
	u32 hugetlb_flag;
};
extern const struct om_pb_msg_desc om_criu_memfd_inode_entry_desc;

/* END GENERATED STRUCTS */

/* The image files we know, indexing om_criu_images[]. */
enum om_criu_img {
	OM_CRIU_IMG_INVENTORY,
	OM_CRIU_IMG_PSTREE,
	OM_CRIU_IMG_CORE,
	OM_CRIU_IMG_IDS,
	OM_CRIU_IMG_MM,
	OM_CRIU_IMG_PAGEMAP,		/* entry 0 pagemap_head, then entries */
	OM_CRIU_IMG_FS,
	OM_CRIU_IMG_FILES,
	OM_CRIU_IMG_FDINFO,
	OM_CRIU_IMG_PIPES_DATA,		/* each entry followed by .bytes raw */
	OM_CRIU_IMG_TTY_INFO,
	OM_CRIU_IMG_SECCOMP,
	OM_CRIU_IMG_TIMENS,
	OM_CRIU_IMG_MEMFD_INODE,
	OM_CRIU_IMG_FIFO_DATA,		/* as pipes-data, for named FIFOs */
	OM_CRIU_IMG_GHOST_FILE,		/* one entry, then the contents */
	OM_CRIU_IMG_REMAP_FPATH,
	OM_CRIU_IMG_NR,
};

struct om_criu_img_desc {
	const char *name;		/* file name pattern, as criu */
	u32 magic;			/* per-type magic */
	bool common;			/* preceded by IMG_COMMON_MAGIC */
	bool single;			/* exactly one entry */
	const struct om_pb_msg_desc *msg;	/* entries (pagemap: after head) */
};

extern const struct om_criu_img_desc om_criu_images[OM_CRIU_IMG_NR];

/* ---- writing: everything goes through a sink, nothing is buffered ---- */

/* Header of image @img (8 bytes, inventory 4). */
int om_criu_write_header(struct om_pb_sink *sink, enum om_criu_img img);
/* One u32-length-prefixed entry. */
int om_criu_write_entry(struct om_pb_sink *sink, const struct om_pb_msg_desc *d,
			const void *msg);
/* Encode one entry into a buffer; returns bytes used or a negative errno. */
int om_criu_encode_entry(const struct om_pb_msg_desc *d, const void *msg,
			 u8 *buf, size_t cap);

/* ---- reading from a bounded buffer (a whole image file) ---- */

/* Checks the header; returns its length (4 or 8) or a negative errno. */
int om_criu_check_header(const u8 *buf, size_t len, enum om_criu_img img);
/*
 * Next entry at *off: returns 1 and the message bytes, 0 at a clean EOF,
 * -EBADMSG if the length prefix or the message is truncated.
 */
int om_criu_next_entry(const u8 *buf, size_t len, size_t *off,
		       const u8 **msg, u32 *msg_len);
/* Next entry decoded into @msg (om_pb_free() it); 1, 0 at EOF, or -errno. */
int om_criu_read_entry(const u8 *buf, size_t len, size_t *off,
		       const struct om_pb_msg_desc *d, void *msg);
/*
 * pipes-data.img, fifo-data.img: each pipe_data_entry is followed by its
 * pipe's contents, @pd->bytes raw bytes.  Reads the entry at *off and
 * steps over the contents: 1 with *pd (nothing to free) and *data
 * pointing at them in @buf, 0 at a clean EOF, or -errno: -EBADMSG for a
 * truncated entry or contents, or more bytes than the pipe's size;
 * -EMSGSIZE for more than OM_CRIU_MAX_PIPE_DATA.
 */
int om_criu_next_pipe_data(const u8 *buf, size_t len, size_t *off,
			   struct om_criu_pipe_data_entry *pd, const u8 **data);

/*
 * ghost-file-N.img: one ghost_file_entry (the deleted file's owner, mode,
 * times), then its contents: to EOF, or with .chunks, pieces each
 * preceded by a ghost_chunk_entry {len, off}, the gaps between them holes
 * of a file of .size bytes.  om_criu_ghost_head() checks the header,
 * decodes the entry into @gfe (om_pb_free() it) and sets up @w;
 * om_criu_ghost_next() then returns 1 and the next piece (its offset in
 * the file, its bytes in @buf), 0 after the last, or -errno: -EBADMSG
 * for a truncated or misplaced piece (pieces must lie inside the file,
 * in ascending order, none empty), a chunked entry without a size, or a
 * size that is not the contents'; -EMSGSIZE for a file over
 * OM_CRIU_MAX_GHOST.  Never reads past @len.
 */
struct om_criu_ghost_walk {
	u64 size;		/* the file's size */
	u64 next;		/* no piece may start below this */
	bool chunks, done;
};

int om_criu_ghost_head(const u8 *buf, size_t len, size_t *off,
		       struct om_criu_ghost_file_entry *gfe, struct om_criu_ghost_walk *w);
int om_criu_ghost_next(const u8 *buf, size_t len, size_t *off, struct om_criu_ghost_walk *w,
		       u64 *foff, const u8 **data, u64 *dlen);

/* ---- reading from a source callback (file, socket) ---- */

/* Returns bytes read (0 only at EOF) or a negative errno. */
struct om_criu_source {
	int (*read)(void *ctx, void *buf, size_t len);
	void *ctx;
	u32 max_entry;			/* 0: OM_CRIU_MAX_ENTRY */
};

/* Reads exactly @len bytes: 0, or -ENODATA at EOF, -EBADMSG if short. */
int om_criu_src_read_full(struct om_criu_source *src, void *buf, size_t len);
int om_criu_src_header(struct om_criu_source *src, enum om_criu_img img);
/* Like om_criu_read_entry(); the entry is read into a temporary buffer. */
int om_criu_src_entry(struct om_criu_source *src,
		      const struct om_pb_msg_desc *d, void *msg);

/* ---- CRIU semantics helpers ---- */

/* task_timers_entry: itimers and POSIX timers (timer_create) */
#define OM_CRIU_NSEC_PER_SEC		1000000000ull
#define OM_CRIU_USEC_PER_SEC		1000000ull
/* the decoder's cap on task_timers_entry.posix */
#define OM_CRIU_MAX_POSIX_TIMERS	4096
/*
 * Timer ids are given out in order (per process, from 0) and a restore
 * gets an id by creating and deleting timers until it comes (criu's
 * restorer does the same): ids above this are refused.
 */
#define OM_CRIU_MAX_TIMER_ID		(1u << 20)
/* KTIME_SEC_MAX: the kernel saturates longer times */
#define OM_CRIU_TIMER_MAX_SEC		9223372036ull
/* clocks of POSIX timers we record: hrtimer based, not CPU time or alarms */
#define OM_CRIU_CLOCK_REALTIME		0
#define OM_CRIU_CLOCK_MONOTONIC		1
#define OM_CRIU_CLOCK_BOOTTIME		7
#define OM_CRIU_CLOCK_TAI		11
/* posix_timer_entry.it_sigev_notify (the kernel's sigevent.sigev_notify) */
#define OM_CRIU_SIGEV_SIGNAL		0
#define OM_CRIU_SIGEV_NONE		1
#define OM_CRIU_SIGEV_THREAD		2
#define OM_CRIU_SIGEV_THREAD_ID		4
#define OM_CRIU_SIGRTMAX		64

bool om_criu_timer_clock_ok(s64 clock_id);
/*
 * What timer_gettime() reports as the time left on an hrtimer-based
 * POSIX timer, in ns, from its hrtimer's expiry and the clock's now (as
 * the kernel's common_timer_get(), without moving the timer): @active
 * is the timer's it_active (for 6.1's SIGEV_NONE timers, true), an
 * interval timer whose signal is still queued (@requeue) or that has no
 * signal (@sig_none) counts from its next expiry after now, and an
 * expired one reports 1 ns, or 0 without a signal.
 */
u64 om_criu_timer_remaining(s64 expires, s64 now, u64 interval, bool active,
			    bool sig_none, bool requeue);
/* What getitimer() reports of ITIMER_VIRTUAL/PROF: expiry, CPU time now, in ns. */
u64 om_criu_cpu_itimer_remaining(u64 expires, u64 sample, u64 tick_ns);
/* An itimer_entry from ns; an armed timer keeps at least 1 us. */
void om_criu_itimer_set(struct om_criu_itimer_entry *e, u64 value_ns, u64 interval_ns);
/* The value and interval of a posix_timer_entry from ns. */
void om_criu_posix_timer_set(struct om_criu_posix_timer_entry *e, u64 value_ns,
			     u64 interval_ns);
/*
 * Can the timers of an image be restored as recorded?  0, or -EINVAL /
 * -EOPNOTSUPP with *why set to a reason and *idx to the POSIX timer's
 * index (-1 for the itimers or the whole list).  @pid is the image's
 * process: the one thread SIGEV_THREAD_ID may name.
 */
int om_criu_check_timers(const struct om_criu_task_timers_entry *t, u32 pid,
			 const char **why, int *idx);
/*
 * The value a restore arms a POSIX timer with, as criu does: a timer
 * recorded with no time left but an interval gets one interval.
 */
void om_criu_posix_timer_value(const struct om_criu_posix_timer_entry *e,
			       u64 *vsec, u64 *vnsec);

/*
 * eventfd, signalfd, timerfd and epoll files (files.img efd, sgfd, tfd,
 * epfd).  Their file status flags: O_RDWR, as the kernel makes them, and
 * what F_SETFL may add (x86-64 values; O_CLOEXEC and O_LARGEFILE, which
 * criu's fdinfo flags may carry, are ignored).
 */
#define OM_CRIU_O_ACCMODE		03u
#define OM_CRIU_O_RDWR			02u
#define OM_CRIU_O_APPEND		02000u
#define OM_CRIU_O_NONBLOCK		04000u
#define OM_CRIU_O_ASYNC			020000u
#define OM_CRIU_O_LARGEFILE		0100000u
#define OM_CRIU_O_NOATIME		01000000u
#define OM_CRIU_O_CLOEXEC		02000000u
#define OM_CRIU_ANON_SETFL		(OM_CRIU_O_APPEND | OM_CRIU_O_NONBLOCK | \
					 OM_CRIU_O_ASYNC | OM_CRIU_O_NOATIME)
/* the most an eventfd counter can be made by write() (ULLONG_MAX - 1) */
#define OM_CRIU_EVENTFD_MAX		0xfffffffffffffffeull
/* timerfd clocks and settime flags */
#define OM_CRIU_CLOCK_REALTIME_ALARM	8
#define OM_CRIU_CLOCK_BOOTTIME_ALARM	9
#define OM_CRIU_TFD_TIMER_ABSTIME	1u
#define OM_CRIU_TFD_TIMER_CANCEL_ON_SET	2u
/* epoll events (the kernel's EP_PRIVATE_BITS are the top four) */
#define OM_CRIU_EPOLLIN			0x00000001u
#define OM_CRIU_EPOLLOUT		0x00000004u
#define OM_CRIU_EPOLLERR		0x00000008u
#define OM_CRIU_EPOLLHUP		0x00000010u
#define OM_CRIU_EPOLL_EVENTS		0x00003fffu	/* EPOLLIN .. EPOLLRDHUP */
#define OM_CRIU_EPOLLEXCLUSIVE		(1u << 28)
#define OM_CRIU_EPOLLWAKEUP		(1u << 29)
#define OM_CRIU_EPOLLONESHOT		(1u << 30)
#define OM_CRIU_EPOLLET			(1u << 31)
/* an epoll item's fd number: the restore's limit on fd numbers */
#define OM_CRIU_MAX_FD			(1u << 20)

/*
 * Can a file entry of these types be restored as recorded?  0, or
 * -EINVAL (malformed: no kernel makes it) or -EOPNOTSUPP (a real state
 * we cannot recreate exactly) with *why set; for an epoll, *idx is the
 * index of the bad tfd entry (-1 for the file itself).
 */
int om_criu_check_eventfd(const struct om_criu_eventfd_file_entry *e, const char **why);
int om_criu_check_signalfd(const struct om_criu_signalfd_entry *e, const char **why);
int om_criu_check_timerfd(const struct om_criu_timerfd_entry *e, const char **why);
int om_criu_check_eventpoll(const struct om_criu_eventpoll_file_entry *e,
			    const char **why, int *idx);
/* KTIME_SEC_MAX / 2: the most a time namespace's clock may read */
#define OM_CRIU_TIMENS_MAX_SEC		(OM_CRIU_TIMER_MAX_SEC / 2)
/*
 * timens-0.img: both clocks there, nsec below a second, sec at most
 * OM_CRIU_TIMENS_MAX_SEC; 0, or -EINVAL with *why set.  The kernel's
 * deputy and omctl's keeper both read it.
 */
int om_criu_check_timens(const struct om_criu_timens_entry *e, const char **why);
/*
 * The time a restore arms a timerfd with (relative to now): as recorded;
 * a periodic timer that expired and was not read yet (criu records it
 * with no time left, its ticks unread) gets one interval, as criu's
 * restorer gives POSIX timers; 0: left disarmed.
 */
void om_criu_timerfd_value(const struct om_criu_timerfd_entry *e, u64 *vsec, u64 *vnsec);

/*
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) in criu's older,
 * simpler form, which criu restore still takes: a VMA of status
 * REGULAR|ANON_SHARED, flags MAP_SHARED|MAP_ANONYMOUS and pgoff 0 whose
 * shmid (any number unique in the dump; criu's is the shmem inode's)
 * names pagemap-shmem-<shmid>.img: a pagemap whose vaddrs are byte
 * offsets in the object, its pages in pages-<pages_id>.img.  We record
 * an object mapped whole by one VMA of one process, so one VMA per shmid.
 */
#define OM_CRIU_VMA_SHMEM_STATUS	(OM_CRIU_VMA_AREA_REGULAR | OM_CRIU_VMA_ANON_SHARED)
#define OM_CRIU_MAP_SHARED		0x01u
#define OM_CRIU_MAP_PRIVATE		0x02u
#define OM_CRIU_MAP_ANONYMOUS		0x20u
#define OM_CRIU_MAP_GROWSDOWN		0x0100u
#define OM_CRIU_PAGEMAP_SHMEM_FMT	"pagemap-shmem-%llu.img"
/* shared anonymous objects of one process we take: two images each */
#define OM_CRIU_MAX_SHMEM		8

/*
 * Can this ANON_SHARED VMA be restored as a fresh shared anonymous
 * mapping?  0, or -EINVAL with *why set.
 */
int om_criu_check_shmem_vma(const struct om_criu_vma_entry *e, const char **why);
/*
 * A shmem pagemap's entries (after its head) for an object of @size
 * bytes: sorted, page-aligned, inside the object, no parent pages.  0
 * with *bytes the size pages-N.img must have, or -EINVAL/-EOPNOTSUPP
 * with *why set and *idx the bad entry.
 */
int om_criu_check_shmem_pagemap(const struct om_criu_pagemap_entry *pm, u32 n, u64 size,
				u64 *bytes, const char **why, int *idx);

/* Fill a pagemap_entry the way 3.17 and 4.2 both read it. */
void om_criu_pagemap_set(struct om_criu_pagemap_entry *pe, u64 vaddr,
			 u32 nr_pages, u32 flags);
/* Page count of an entry: 4.2's field 5 wins when present. */
u64 om_criu_pagemap_nr_pages(const struct om_criu_pagemap_entry *pe);
/* Syscall-restart fix-up CRIU applies before storing registers. */
void om_criu_x86_fixup_restart(struct om_criu_user_x86_regs_entry *r);

#endif /* _OM_CRIU_H */
