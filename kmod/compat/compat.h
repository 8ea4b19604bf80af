/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The one place where kernel API differences between the supported
 * kernels (Debian's 6.1 LTS and 6.12 LTS) are handled.  Keyed on
 * LINUX_VERSION_CODE, or on OM_HAVE_* defines from the build probes in
 * compat/Kbuild.include where Debian backported an API.
 */
#ifndef _OM_COMPAT_H
#define _OM_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "openMosix-NG supports Linux 6.1 and later"
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#warning "openMosix-NG is tested on Linux 6.1 and 6.12 only"
#endif

/*
 * A genetlink dump's parsed request attributes: in the dump's genl_info
 * since 6.6 (probed), in genl_dumpit_info before.
 */
#ifdef OM_HAVE_GENL_INFO_DUMP
#define om_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define om_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * Checkpoint engine (kmod/migrate).  Macros only, so that this header
 * stays free of includes; the users include what the expansions need.
 */
/* parent_ino() became d_parent_ino() (exported, in fs/dcache.c) in 6.11 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define om_parent_ino(d)	d_parent_ino(d)
#else
#define om_parent_ino(d)	parent_ino(d)
#endif
/* dequeue_signal() lost its task argument (it is always current's) in 6.11 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define om_dequeue_signal(mask, info, type)	dequeue_signal(mask, info, type)
#else
#define om_dequeue_signal(mask, info, type)	dequeue_signal(current, mask, info, type)
#endif
/* get_user_pages_remote() lost its vmas argument in 6.5 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define om_gup_remote(mm, start, nr, flags, pages) \
	get_user_pages_remote(mm, start, nr, flags, pages, NULL)
#else
#define om_gup_remote(mm, start, nr, flags, pages) \
	get_user_pages_remote(mm, start, nr, flags, pages, NULL, NULL)
#endif
/* kernel_cap_t: two u32 words until 6.2, one u64 since 6.3 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define om_cap_word(c, i)	((u32)((c).val >> (32 * (i))))
#else
#define om_cap_word(c, i)	((c).cap[i])
#endif
/* a kernel_cap_t from two u32 words (low first), as CRIU stores it */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define om_cap_make(lo, hi) \
	((kernel_cap_t){ .val = ((u64)(hi) << 32 | (lo)) & CAP_VALID_MASK })
#else
#define om_cap_make(lo, hi)	((kernel_cap_t){ { (lo), (hi) } })
#endif
/* task_struct.rseq_len (6.3); before, the ABI size was the original 32 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define om_rseq_len(t)		((t)->rseq_len)
#else
#define om_rseq_len(t)		((t)->rseq ? 32U : 0U)
#endif
/* rseq area sizes the running kernel accepts (restore) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define om_rseq_len_ok(len)	((len) >= 32 && (len) <= 4096)
#define om_set_rseq_len(t, len)	((t)->rseq_len = (len))
#else
#define om_rseq_len_ok(len)	((len) == 32)
#define om_set_rseq_len(t, len)	((void)(t), (void)(len))
#endif
/* a mapped file of a stacking fs (overlayfs) is its backing file since 6.8 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define om_file_user_path(f)	file_user_path(f)
#else
#define om_file_user_path(f)	((const struct path *)&(f)->f_path)
#endif
/* VM_SHADOW_STACK (6.6) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define OM_VM_SHADOW_STACK	VM_SHADOW_STACK
#else
#define OM_VM_SHADOW_STACK	0
#endif
/*
 * signal_struct.posix_timers (of struct k_itimer, by .list) became an
 * hlist in 6.10; changed under sighand->siglock, and only by the
 * process's own threads (timer_create, timer_delete, exit).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define om_has_posix_timers(sig)	(!hlist_empty(&(sig)->posix_timers))
#define om_for_each_posix_timer(t, sig) \
	hlist_for_each_entry(t, &(sig)->posix_timers, list)
#else
#define om_has_posix_timers(sig)	(!list_empty(&(sig)->posix_timers))
#define om_for_each_posix_timer(t, sig) \
	list_for_each_entry(t, &(sig)->posix_timers, list)
#endif
/*
 * An armed SIGEV_NONE timer has it_active set on 6.12 (common_timer_set());
 * 6.1 leaves it 0 and its timer_gettime() looks at the hrtimer's expiry
 * alone.  The other
 * k_itimer fields we read (it_clock, it_id, it_active, it_interval,
 * it_requeue_pending, it_overrun_last, it_sigev_notify, it_pid, sigq,
 * it.real.timer) are the same in both; 6.13 renames the requeue counter.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define OM_TIMER_NONE_ACTIVE	1
#else
#define OM_TIMER_NONE_ACTIVE	0
#endif

/* file->f_owner became a pointer in 6.12, allocated on the first F_SETOWN/F_SETSIG */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define om_file_fown(f)		((const struct fown_struct *)READ_ONCE((f)->f_owner))
#else
#define om_file_fown(f)		((const struct fown_struct *)&(f)->f_owner)
#endif

/*
 * The write denial mm->exe_file holds: exe_file_*_write_access() (6.14,
 * backported to later 6.1.y and 6.12.y) leave files alone that fanotify
 * pre-content watches; before, plain deny/allow_write_access().
 */
#ifdef OM_HAVE_EXE_FILE_DENY_WRITE
#define om_exe_deny_write(f)	exe_file_deny_write_access(f)
#define om_exe_allow_write(f)	exe_file_allow_write_access(f)
#else
#define om_exe_deny_write(f)	deny_write_access(f)
#define om_exe_allow_write(f)	allow_write_access(f)
#endif

/* inode times became private behind accessors in 6.7 (deleted files' times) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define om_inode_atime(i)	inode_get_atime(i)
#define om_inode_mtime(i)	inode_get_mtime(i)
#else
#define om_inode_atime(i)	((i)->i_atime)
#define om_inode_mtime(i)	((i)->i_mtime)
#endif

/*
 * Redirect a traced function from an FTRACE_OPS_FL_IPMODIFY callback (as
 * livepatch does): set the IP the ftrace trampoline returns to.  Renamed
 * after 6.1 (probed); with DYNAMIC_FTRACE_WITH_ARGS (x86 on both) the
 * ops needs no FTRACE_OPS_FL_SAVE_REGS for it.
 */
#ifdef OM_HAVE_FTRACE_REGS_SET_IP
#define om_ftrace_set_ip(fregs, ip)	ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define om_ftrace_set_ip(fregs, ip)	ftrace_instruction_pointer_set(fregs, ip)
#endif

/*
 * MFS (kmod/mfs): the VFS's inode operations and vfs_*() helpers take a
 * struct mnt_idmap since 6.3, a struct user_namespace before.  MFS acts
 * on no idmapped mount: the identity mapping either way.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define om_idmap_t		struct mnt_idmap
#define om_nop_idmap		(&nop_mnt_idmap)
#define om_renamedata_idmap(rd) \
	((rd)->old_mnt_idmap = (rd)->new_mnt_idmap = om_nop_idmap)
#else
#define om_idmap_t		struct user_namespace
#define om_nop_idmap		(&init_user_ns)
#define om_renamedata_idmap(rd) \
	((rd)->old_mnt_userns = (rd)->new_mnt_userns = om_nop_idmap)
#endif

/* a file's splice read through its ->read_iter: copy_splice_read() since 6.5 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define om_copy_splice_read	copy_splice_read
#else
#define om_copy_splice_read	generic_file_splice_read
#endif
/* generic_fillattr() takes the statx request mask since 6.6 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define om_generic_fillattr(idmap, mask, inode, st) \
	generic_fillattr(idmap, mask, inode, st)
#else
#define om_generic_fillattr(idmap, mask, inode, st) \
	((void)(mask), generic_fillattr(idmap, inode, st))
#endif
/* an inode's three times to now: behind accessors since 6.7 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define om_inode_init_ts(inode)	simple_inode_init_ts(inode)
#else
#define om_inode_init_ts(inode) \
	((inode)->i_atime = (inode)->i_mtime = (inode)->i_ctime = \
	 current_time(inode))
#endif
/*
 * fsnotify: an inode's mark of a group (a reference), by connector
 * pointer before 6.9, by object after; 6.1's groups must ask for NOFS
 * allocations (6.12's always do).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define om_fsnotify_find_inode_mark(inode, group) \
	fsnotify_find_inode_mark(inode, group)
#else
#define om_fsnotify_find_inode_mark(inode, group) \
	fsnotify_find_mark(&(inode)->i_fsnotify_marks, group)
#endif
#ifdef FSNOTIFY_GROUP_NOFS
#define OM_FSNOTIFY_GROUP_FLAGS	FSNOTIFY_GROUP_NOFS
#else
#define OM_FSNOTIFY_GROUP_FLAGS	0
#endif

/*
 * vfs_path_lookup() (DFSA's path calls): exported by 6.1 too, but
 * declared in fs/internal.h there (probed); the same signature
 */
#ifdef OM_NEED_VFS_PATH_LOOKUP_DECL
struct dentry;
struct vfsmount;
struct path;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt, const char *name,
		    unsigned int flags, struct path *path);
#endif

#endif /* _OM_COMPAT_H */
