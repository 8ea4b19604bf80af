// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * OM_IOC_RESTORE (kmod/uapi/openmosix.h): the calling process becomes
 * the one in a CRIU image directory.  Only exported symbols are used:
 *
 *   1. read and check every image we need while nothing has changed yet
 *      (a bad image is an error return, the caller is untouched);
 *   2. point of no return: unmap the caller's memory except [vvar] and
 *      [vdso] (omctl moved them to the image's addresses beforehand),
 *      make the image's executable exe_file (/proc/PID/exe, if the
 *      caller may change it), vm_mmap() the image's VMAs and fill them
 *      from pages-N.img with ordinary writes (never FOLL_FORCE):
 *      read-only private VMAs with pages are mapped writable for that;
 *      shared anonymous memory (ANON_SHARED VMAs) becomes a fresh
 *      MAP_SHARED|MAP_ANONYMOUS mapping filled the same way from its
 *      pagemap-shmem-N.img and pages-M.img (read-only ones too);
 *   3. set mm fields, FS/GS base, rseq, robust list, clear_child_tid;
 *   4. write an rt_sigframe (general registers, xstate, blocked mask,
 *      sigaltstack) below the image's stack pointer and return into a
 *      "syscall" instruction of the vdso with rax = rt_sigreturn, so
 *      the kernel's own sigreturn loads registers and FPU state (there
 *      is no exported way to load current's xstate); if step 2 made
 *      VMAs writable, VMAs had madvise() advice or the image has
 *      timers, first into a trampoline that mprotect()s them back,
 *      madvise()s them and arms the timers (omctl created the POSIX
 *      timers, disarmed, with the image's ids), and ends in an ioctl
 *      that does this return.
 *
 * Failures after the point of no return are written to the status socket
 * and the caller is killed: its old memory is gone.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/fdtable.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/compat.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/coredump.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/futex.h>
#include <linux/elf.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/anon_inodes.h>
#include <linux/posix-timers.h>
#include <linux/hrtimer.h>
#include <linux/timekeeping.h>
#include <linux/nsproxy.h>
#include <linux/time_namespace.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fsgsbase.h>
#include <asm/msr.h>
#include <asm/sigframe.h>
#include <asm/unistd.h>

#include "om_ckpt.h"
#include "om_migrate.h"
#include "om_restore_tramp.h"
#include "compat/compat.h"
#include "common/om_pgsink.h"

#define OM_RST_CHUNK		(1UL << 20)
#define OM_RST_BATCH		(OM_RST_CHUNK >> PAGE_SHIFT)
/*
 * Image addresses must lie below the 47-bit default window: the same
 * limit with 4- and 5-level paging (a process that asked for more is
 * not restored).
 */
#define OM_RST_TOP		DEFAULT_MAP_WINDOW
#define OM_RST_MAX_VMAS		65530	/* vm.max_map_count default */
#define OM_RST_MAX_FILES	OM_CKPT_MAX_FDS
#define OM_RST_MAX_PAGEMAP	(1U << 20)
#define OM_RST_FP_FEATURES	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE | \
				 XFEATURE_MASK_YMM)
#define OM_RST_INIT_FEATURES	(XFEATURE_MASK_BNDREGS | XFEATURE_MASK_BNDCSR | \
				 XFEATURE_MASK_PKRU)
#define OM_RST_XSAVE_HDR	512
#define OM_RST_YMM_OFF		576
#define OM_RST_YMM_LEN		256
/* the longest the deputy waits for its clocks on the way home */
#define OM_RST_TIMENS_WAIT	(2 * NSEC_PER_SEC)

struct om_rst_vma {
	const struct om_criu_vma_entry *e;
	struct file *file;
	bool keep;		/* [vvar]/[vdso]: the caller's, left in place */
	bool shm;		/* shared anonymous: its own pagemap (om_rst_shm) */
	bool ro_fill;		/* private, not writable, has pages to fill */
	u32 n_madv;		/* madvise() calls the trampoline makes */
};

#define OM_RST_MAX_KEEP		4

struct om_rst_range {
	unsigned long start, end;
};

/* A shared anonymous VMA's contents: pagemap-shmem-<shmid>.img, pages-<id>.img */
struct om_rst_shm {
	struct om_rst_vma *v;
	struct om_criu_pagemap_entry *pm;	/* offsets in the object */
	u32 n_pm;
	u32 pages_id;
	struct file *pages;
	loff_t pos;
};

/*
 * A timer the trampoline arms, last: setitimer(a1, &d, NULL) or
 * timer_settime(a1, 0, &d, NULL); d is struct itimerval or itimerspec
 * (interval, then value: seconds and us or ns, four 64-bit words).
 */
struct om_rst_timer {
	u32 nr;
	u32 a1;
	u64 d[4];
};

/*
 * Stream mode (an arriving process whose home sent PREPARE): a pages
 * image's runs, where its streamed bytes go (om_pgsink.h)
 */
struct om_rst_sink {
	u32 id;			/* pages-<id>.img */
	struct om_pgsink s;
	struct om_pgsink_run *run;
	u32 n_run;
};

struct om_rst {
	struct om_restore_req *req;
	char *reason;
	struct path dir;
	/* the deputy takes its process back: images are the kernel's */
	const struct cred *src_cred;	/* read them with these, if set */
	bool deputy;
	struct cred *cred;		/* the image's: mapped files, then commit */
	bool privileged;		/* the caller may take other ids */
	kuid_t owner;			/* non-root owner of dir or an image file */
	bool owners_mixed;		/* more than one non-root owner */
	const char *writable;		/* an image file others may write */
	struct file *status;
	u32 pid;
	struct om_criu_core_entry core;
	struct om_criu_mm_entry mm;
	struct om_criu_file_entry *files;
	u32 n_files;
	struct om_criu_pagemap_entry *pm;
	u32 n_pm;
	u32 pages_id;
	struct file *pages;
	loff_t pages_pos;
	u64 pages_need;
	struct om_rst_vma *v;
	u32 n_v;
	struct file *exe;		/* the image's executable, writers denied */
	u32 n_ro;			/* VMAs with ro_fill */
	u32 n_madv;			/* madvise() calls, all VMAs */
	struct om_rst_timer *timers;	/* setitimer(), timer_settime() calls */
	u32 n_timers;
	struct om_rst_range keep[OM_RST_MAX_KEEP];	/* sorted */
	u32 n_keep;
	struct om_rst_shm shm[OM_CRIU_MAX_SHMEM];
	u32 n_shm;
	bool has_tns;			/* the deputy's: timens-0.img */
	struct timespec64 tns_mono, tns_boot;
	bool committed;
	unsigned long syscall_ip;
	u8 *fp;
	u32 fp_size;
	sigset_t blocked;
	struct page **pg;		/* OM_RST_BATCH */
	struct bio_vec *bv;
	/* stream mode: the session the pages come on (a reference), their sinks */
	struct om_remote *rm;
	struct om_rst_sink snk[OM_PGRX_MAX_IMG];
	u32 n_snk;
	u8 *cmp;			/* PAGE_SIZE: the live vdso, compared */
	u64 streamed;			/* bytes of page data written or compared */
};

/* ------------------------------------------------------------ reading */

struct om_rst_src {
	struct file *f;
	loff_t pos;
};

static int om_rst_src_read(void *ctx, void *buf, size_t len)
{
	struct om_rst_src *s = ctx;

	return (int)kernel_read(s->f, buf, len, &s->pos);
}

static struct file *om_rst_open_as(struct om_rst *r, const char *name);

/* Who wrote the images: root, or one user, and nobody else could. */
static void om_rst_note_owner(struct om_rst *r, struct inode *inode,
			      const char *name)
{
	if (inode->i_mode & 0022)	/* group or other may write */
		r->writable = name;
	if (uid_eq(inode->i_uid, GLOBAL_ROOT_UID))
		return;
	if (!uid_valid(r->owner))
		r->owner = inode->i_uid;
	else if (!uid_eq(r->owner, inode->i_uid))
		r->owners_mixed = true;
}

/*
 * An image file, with the caller's credentials.  Its type is checked
 * before it is opened, and it is opened non-blocking: a FIFO or a device
 * named like an image must not block the restore.
 */
static struct file *om_rst_open(struct om_rst *r, const char *name)
{
	const struct cred *old = r->src_cred ? override_creds(r->src_cred) : NULL;
	struct file *f;

	f = om_rst_open_as(r, name);
	if (old)
		revert_creds(old);
	return f;
}

static struct file *om_rst_open_as(struct om_rst *r, const char *name)
{
	struct file *f;

	f = file_open_root(&r->dir, name, O_PATH | O_NOFOLLOW, 0);
	if (!IS_ERR(f)) {
		bool reg = S_ISREG(file_inode(f)->i_mode);

		fput(f);
		f = reg ? file_open_root(&r->dir, name, O_RDONLY | O_NOFOLLOW |
					 O_LARGEFILE | O_NONBLOCK, 0) :
			  ERR_PTR(-EINVAL);
		if (!IS_ERR(f) && !S_ISREG(file_inode(f)->i_mode)) {
			fput(f);
			f = ERR_PTR(-EINVAL);
		}
		if (PTR_ERR(f) == -EINVAL) {
			om_reason(r->reason, "%s is not a regular file", name);
			return f;
		}
	}
	if (IS_ERR(f)) {
		om_reason(r->reason, "cannot open %s: %ld", name, PTR_ERR(f));
		return f;
	}
	om_rst_note_owner(r, file_inode(f), name);
	return f;
}

/* A list of entries until EOF, into a growing array of d->size items. */
static int om_rst_list(struct om_criu_source *src, const struct om_pb_msg_desc *d,
		       void **arr, u32 *n, u32 max)
{
	u32 cap = 0;
	int ret;

	for (;;) {
		if (*n == cap) {
			u32 ncap = cap ? cap * 2 : 16;
			void *na;

			if (cap >= max)
				return -E2BIG;
			ncap = min(ncap, max);
			na = kvcalloc(ncap, d->size, GFP_KERNEL_ACCOUNT);
			if (!na)
				return -ENOMEM;
			if (*arr)
				memcpy(na, *arr, (size_t)cap * d->size);
			kvfree(*arr);
			*arr = na;
			cap = ncap;
		}
		ret = om_criu_src_entry(src, d, (u8 *)*arr + (size_t)*n * d->size);
		if (ret <= 0)
			return ret;
		(*n)++;
	}
}

static void om_rst_free_list(const struct om_pb_msg_desc *d, void *arr, u32 n)
{
	u32 i;

	for (i = 0; arr && i < n; i++)
		om_pb_free(d, (u8 *)arr + (size_t)i * d->size);
	kvfree(arr);
}

/*
 * An image: a head entry if @hd is set, then entries until EOF into @arr,
 * or, without @d, nothing more (single-entry images, as criu reads them).
 */
static int om_rst_read_list(struct om_rst *r, enum om_criu_img img,
			    const char *name, const struct om_pb_msg_desc *hd,
			    void *head, const struct om_pb_msg_desc *d, void **arr,
			    u32 *n, u32 max)
{
	struct om_rst_src s = { };
	struct om_criu_source src = { .read = om_rst_src_read, .ctx = &s };
	int err;

	s.f = om_rst_open(r, name);
	if (IS_ERR(s.f))
		return PTR_ERR(s.f);
	err = om_criu_src_header(&src, img);
	if (!err && hd) {
		err = om_criu_src_entry(&src, hd, head);
		err = err == 1 ? 0 : err ? err : -EBADMSG;
	}
	if (!err && d) {
		err = om_rst_list(&src, d, arr, n, max);
	} else if (!err) {
		u8 extra;

		err = kernel_read(s.f, &extra, 1, &s.pos);
		if (err > 0)
			err = -EBADMSG;
	}
	fput(s.f);
	if (err)
		om_reason(r->reason, "%s: bad image (%d)", name, err);
	return err;
}

/* An image that holds exactly one entry (core, mm, ...). */
static int om_rst_single(struct om_rst *r, enum om_criu_img img,
			 const char *name, const struct om_pb_msg_desc *d,
			 void *msg)
{
	return om_rst_read_list(r, img, name, d, msg, NULL, NULL, NULL, 0);
}

static int om_rst_read_pstree(struct om_rst *r)
{
	struct om_criu_pstree_entry *pe = NULL;
	u32 n = 0;
	int err;

	err = om_rst_read_list(r, OM_CRIU_IMG_PSTREE, "pstree.img", NULL, NULL,
			       &om_criu_pstree_entry_desc, (void **)&pe, &n, 2);
	if (!err && n != 1) {
		om_reason(r->reason, "pstree.img holds %s processes; one is supported",
			  n ? "several" : "no");
		err = -EOPNOTSUPP;
	}
	if (!err && (pe->n_threads != 1 || pe->threads[0] != pe->pid || !pe->pid ||
		     pe->pid > PID_MAX_LIMIT)) {
		om_reason(r->reason, "pstree.img: only single-threaded processes");
		err = -EOPNOTSUPP;
	}
	if (!err)
		r->pid = pe->pid;
	om_rst_free_list(&om_criu_pstree_entry_desc, pe, n);
	return err;
}

static int om_rst_read_inventory(struct om_rst *r)
{
	struct om_criu_inventory_entry inv = { };
	int err;

	err = om_rst_single(r, OM_CRIU_IMG_INVENTORY, "inventory.img",
			    &om_criu_inventory_entry_desc, &inv);
	if (!err && inv.img_version != OM_CRIU_IMAGES_V1_1) {
		om_reason(r->reason, "inventory.img: image version %u, need %u",
			  inv.img_version, OM_CRIU_IMAGES_V1_1);
		err = -EPROTO;
	}
	om_pb_free(&om_criu_inventory_entry_desc, &inv);
	return err;
}

static int om_rst_read_files(struct om_rst *r)
{
	return om_rst_read_list(r, OM_CRIU_IMG_FILES, "files.img", NULL, NULL,
				&om_criu_file_entry_desc, (void **)&r->files,
				&r->n_files, OM_RST_MAX_FILES);
}

static int om_rst_read_pagemap(struct om_rst *r)
{
	struct om_criu_pagemap_head head = { };
	char name[40];
	int err;

	snprintf(name, sizeof(name), "pagemap-%u.img", r->pid);
	err = om_rst_read_list(r, OM_CRIU_IMG_PAGEMAP, name,
			       &om_criu_pagemap_head_desc, &head,
			       &om_criu_pagemap_entry_desc, (void **)&r->pm,
			       &r->n_pm, OM_RST_MAX_PAGEMAP);
	if (!err)
		r->pages_id = head.pages_id;
	return err;
}

/*
 * timens-0.img, the process's clocks when its image was made, if there
 * is one (criu's images and older ones have none); only the deputy reads
 * it: omctl guest starts the restored process's clocks from it.
 */
static int om_rst_read_timens(struct om_rst *r)
{
	const char *name = "timens-0.img";
	struct om_criu_timens_entry te = { };
	const struct cred *old;
	const char *why;
	struct file *f;
	int err;

	old = r->src_cred ? override_creds(r->src_cred) : NULL;
	f = file_open_root(&r->dir, name, O_PATH | O_NOFOLLOW, 0);
	if (old)
		revert_creds(old);
	if (PTR_ERR(f) == -ENOENT)
		return 0;
	if (!IS_ERR(f))
		fput(f);
	err = om_rst_single(r, OM_CRIU_IMG_TIMENS, name, &om_criu_timens_entry_desc, &te);
	if (!err) {
		err = om_criu_check_timens(&te, &why);
		if (err)
			om_reason(r->reason, "%s: %s", name, why);
	}
	if (!err) {
		r->tns_mono.tv_sec = te.monotonic->tv_sec;
		r->tns_mono.tv_nsec = te.monotonic->tv_nsec;
		r->tns_boot.tv_sec = te.boottime->tv_sec;
		r->tns_boot.tv_nsec = te.boottime->tv_nsec;
	}
	r->has_tns = !err;
	om_pb_free(&om_criu_timens_entry_desc, &te);
	return err;
}

/* ----------------------------------------------------------- checking */

static bool om_rst_uaddr_ok(u64 a)
{
	return a < OM_RST_TOP;
}

static const struct om_criu_reg_file_entry *om_rst_reg(struct om_rst *r, u64 id)
{
	u32 i;

	for (i = 0; i < r->n_files; i++)
		if (r->files[i].id == id && r->files[i].type == OM_CRIU_FD_REG &&
		    r->files[i].reg && r->files[i].reg->name)
			return r->files[i].reg;
	return NULL;
}

static kernel_cap_t om_rst_caps(const u32 *w)
{
	return om_cap_make(w[0], w[1]);
}

/*
 * The credentials the restored process will have (r->cred): the mapped
 * files are opened with them, and om_rst_commit() commits them.
 *
 * The real uid and gid are set by the caller beforehand (omctl does it:
 * only the set*id system calls move a process to another user's
 * accounting), so here they must already be the image's.  An
 * unprivileged caller only restores images of its own ids.  A caller
 * with CAP_SETUID (root) gets the image's effective, saved and fs ids;
 * every supplementary group of the image must already be the caller's.
 * Capabilities are the image's, at most the caller's.
 */
static int om_rst_check_creds(struct om_rst *r)
{
	const struct om_criu_creds_entry *c = r->core.thread_core ?
		r->core.thread_core->creds : NULL;
	const struct cred *me = current_cred();
	struct user_namespace *ns = current_user_ns();
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	struct cred *new;
	u32 i;

	if (!c) {
		om_reason(r->reason, "permission denied: no credentials in the image");
		return -EPERM;
	}
	if (c->n_cap_eff != 2 || c->n_cap_prm != 2 || c->n_cap_inh != 2 ||
	    c->n_cap_bnd != 2) {
		om_reason(r->reason, "core: capability sets of %u words, expected 2",
			  c->n_cap_eff);
		return -EINVAL;
	}
	uid = make_kuid(ns, c->uid);
	euid = make_kuid(ns, c->euid);
	suid = make_kuid(ns, c->suid);
	fsuid = make_kuid(ns, c->fsuid);
	gid = make_kgid(ns, c->gid);
	egid = make_kgid(ns, c->egid);
	sgid = make_kgid(ns, c->sgid);
	fsgid = make_kgid(ns, c->fsgid);
	if (!uid_valid(uid) || !uid_valid(euid) || !uid_valid(suid) ||
	    !uid_valid(fsuid) || !gid_valid(gid) || !gid_valid(egid) ||
	    !gid_valid(sgid) || !gid_valid(fsgid)) {
		om_reason(r->reason, "core: credentials not mapped in this user namespace");
		return -EINVAL;
	}
	r->privileged = ns_capable(ns, CAP_SETUID) && ns_capable(ns, CAP_SETGID) &&
			(capable(CAP_SYS_ADMIN) || capable(CAP_CHECKPOINT_RESTORE));
	if (!r->privileged &&
	    (!uid_eq(uid, me->uid) || !uid_eq(euid, me->uid) ||
	     !uid_eq(suid, me->uid) || !uid_eq(fsuid, me->uid) ||
	     !gid_eq(gid, me->gid) || !gid_eq(egid, me->gid) ||
	     !gid_eq(sgid, me->gid) || !gid_eq(fsgid, me->gid))) {
		om_reason(r->reason, "permission denied: the image belongs to uid %u",
			  c->uid);
		return -EPERM;
	}
	if (!uid_eq(uid, me->uid) || !gid_eq(gid, me->gid)) {
		om_reason(r->reason, "the image's real uid/gid %u/%u must be the caller's (omctl sets them)",
			  c->uid, c->gid);
		return -EPERM;
	}
	for (i = 0; i < c->n_groups; i++) {
		kgid_t g = make_kgid(ns, c->groups[i]);

		if (!gid_valid(g) || !in_group_p(g)) {
			om_reason(r->reason, "the image's group %u must be one of the caller's (omctl sets them)",
				  c->groups[i]);
			return -EPERM;
		}
	}
	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	new->euid = euid;
	new->suid = suid;
	new->fsuid = fsuid;
	new->egid = egid;
	new->sgid = sgid;
	new->fsgid = fsgid;
	new->cap_permitted = cap_intersect(om_rst_caps(c->cap_prm), me->cap_permitted);
	new->cap_effective = cap_intersect(om_rst_caps(c->cap_eff), new->cap_permitted);
	new->cap_inheritable = cap_intersect(om_rst_caps(c->cap_inh),
					     cap_combine(me->cap_inheritable,
							 me->cap_permitted));
	new->cap_bset = cap_intersect(om_rst_caps(c->cap_bnd), me->cap_bset);
	new->cap_ambient = cap_intersect(me->cap_ambient,
					 cap_intersect(new->cap_permitted,
						       new->cap_inheritable));
	r->cred = new;
	return 0;
}

/*
 * Root restores an image as the user it names only if root or that user
 * wrote it: the directory and every image file belong to root or to the
 * image's uid and nobody else may write them.  An image a user owns must
 * name that user plainly (no other ids, no capabilities).  The caller
 * may waive this (OM_RST_TRUST_IMAGE).
 */
static int om_rst_check_trust(struct om_rst *r)
{
	const struct om_criu_creds_entry *c = r->core.thread_core->creds;
	kuid_t uid = make_kuid(current_user_ns(), c->uid);
	u32 i;

	if (!r->privileged || (r->req->flags & OM_RST_TRUST_IMAGE))
		return 0;
	if (r->writable) {
		om_reason(r->reason, "untrusted image: %s may be written by group or others",
			  r->writable);
		return -EPERM;
	}
	if (r->owners_mixed || (uid_valid(r->owner) && !uid_eq(r->owner, uid))) {
		om_reason(r->reason, "untrusted image: it names uid %u but uid %u owns its files",
			  c->uid, from_kuid(current_user_ns(), r->owner));
		return -EPERM;
	}
	if (!uid_valid(r->owner))
		return 0;	/* root wrote it */
	for (i = 0; i < 2; i++) {
		if (c->cap_prm[i] || c->cap_eff[i] || c->cap_inh[i])
			break;
	}
	if (i < 2 || c->euid != c->uid || c->suid != c->uid || c->fsuid != c->uid ||
	    c->egid != c->gid || c->sgid != c->gid || c->fsgid != c->gid) {
		om_reason(r->reason, "untrusted image: uid %u owns it, so it may not claim other ids or capabilities",
			  c->uid);
		return -EPERM;
	}
	return 0;
}

/* General registers, TLS and the pieces of thread state we set. */
static int om_rst_check_core(struct om_rst *r)
{
	const struct om_criu_core_entry *co = &r->core;
	const struct om_criu_thread_info_x86 *ti = co->thread_info;
	const struct om_criu_user_x86_regs_entry *gp;
	const struct om_criu_thread_core_entry *th = co->thread_core;
	u32 i;

	if (co->mtype != OM_CRIU_MARCH_X86_64 || !ti || !ti->gpregs ||
	    !ti->fpregs || !co->tc) {
		om_reason(r->reason, "core: not an x86_64 process image");
		return -EINVAL;
	}
	gp = ti->gpregs;
	if (gp->has_mode && gp->mode != OM_CRIU_REGS_NATIVE) {
		om_reason(r->reason, "core: 32-bit (compat) tasks are not supported");
		return -EOPNOTSUPP;
	}
	if (!om_rst_uaddr_ok(gp->ip) || !om_rst_uaddr_ok(gp->sp) ||
	    gp->sp < PAGE_SIZE || !om_rst_uaddr_ok(gp->fs_base) ||
	    !om_rst_uaddr_ok(gp->gs_base)) {
		om_reason(r->reason, "core: register outside user space (ip %llx sp %llx)",
			  gp->ip, gp->sp);
		return -EINVAL;
	}
	if (co->tc->task_state != OM_CRIU_TASK_ALIVE &&
	    co->tc->task_state != OM_CRIU_TASK_STOPPED) {
		om_reason(r->reason, "core: task state %u cannot be restored",
			  co->tc->task_state);
		return -EINVAL;
	}
	for (i = 0; i < ti->n_tls; i++) {
		const struct om_criu_user_desc *d = &ti->tls[i];

		if (!d->seg_not_present && (d->base_addr || d->limit)) {
			om_reason(r->reason, "core: set_thread_area TLS is not supported");
			return -EOPNOTSUPP;
		}
	}
	if ((th && th->has_seccomp_mode && th->seccomp_mode) ||
	    (co->tc->has_old_seccomp_mode && co->tc->old_seccomp_mode)) {
		om_reason(r->reason, "core: seccomp filters are not restored yet");
		return -EOPNOTSUPP;
	}
	if (th && th->futex_rla && th->futex_rla_len != sizeof(struct robust_list_head)) {
		om_reason(r->reason, "core: bad robust list length %u", th->futex_rla_len);
		return -EINVAL;
	}
	if (th && th->rseq_entry && th->rseq_entry->rseq_abi_pointer) {
		const struct om_criu_rseq_entry *rs = th->rseq_entry;

		if (!om_rst_uaddr_ok(rs->rseq_abi_pointer) ||
		    !IS_ALIGNED(rs->rseq_abi_pointer, 32) ||
		    !om_rseq_len_ok(rs->rseq_abi_size)) {
			om_reason(r->reason, "core: bad rseq area");
			return -EINVAL;
		}
	}
	if (th && th->sas && (th->sas->ss_size > OM_RST_TOP ||
			      !om_rst_uaddr_ok(th->sas->ss_sp))) {
		om_reason(r->reason, "core: bad sigaltstack");
		return -EINVAL;
	}
	sigemptyset(&r->blocked);
	r->blocked.sig[0] = th && th->has_blk_sigset ? th->blk_sigset :
			    co->tc->blk_sigset;
	sigdelsetmask(&r->blocked, sigmask(SIGKILL) | sigmask(SIGSTOP));
	return 0;
}

/* A timer for the trampoline to arm. */
static void om_rst_add_timer(struct om_rst *r, u32 nr, u32 a1, u64 isec, u64 ifrac,
			     u64 vsec, u64 vfrac)
{
	struct om_rst_timer *t = &r->timers[r->n_timers++];

	t->nr = nr;
	t->a1 = a1;
	t->d[0] = isec;
	t->d[1] = ifrac;
	t->d[2] = vsec;
	t->d[3] = vfrac;
}

/* ITIMER_VIRTUAL and ITIMER_PROF: armed as the image has them, or disarmed. */
static void om_rst_cpu_itimers(struct om_rst *r, const struct om_criu_task_timers_entry *t)
{
	static const u32 which[2] = { ITIMER_VIRTUAL, ITIMER_PROF };
	static const int clk[2] = { CPUCLOCK_VIRT, CPUCLOCK_PROF };
	int i;

	for (i = 0; i < 2; i++) {
		const struct om_criu_itimer_entry *e = t ? (i ? t->prof : t->virt) : NULL;
		bool armed = e && (e->vsec || e->vusec);

		/*
		 * As criu's restorer: setitimer() with what getitimer() said,
		 * less the tick setitimer() adds to a CPU timer's value
		 * (set_cpu_itimer()): what getitimer() said already has the
		 * tick the process's own setitimer() added.
		 */
		if (armed) {
			u64 sec = e->vsec, us = e->vusec;

			if (us > TICK_USEC || (sec && us == TICK_USEC)) {
				us -= TICK_USEC;
			} else if (sec) {
				sec--;
				us += USEC_PER_SEC - TICK_USEC;
			} else {
				us = 1;
			}
			om_rst_add_timer(r, __NR_setitimer, which[i], e->isec, e->iusec,
					 sec, us);
		} else if (READ_ONCE(current->signal->it[clk[i]].expires)) {
			om_rst_add_timer(r, __NR_setitimer, which[i], 0, 0, 0, 0);
		}
	}
}

/*
 * The POSIX timers omctl created for the image (timer_create() in the
 * image's id order, disarmed): exactly the image's, with its ids, clocks
 * and notification.  Our own, single thread is the only one that could
 * change the list (others only read it, under siglock), and the fields
 * compared are set before a timer is on it: no lock needed.
 */
static int om_rst_check_posix_timers(struct om_rst *r,
				     const struct om_criu_task_timers_entry *t)
{
	struct signal_struct *sig = current->signal;
	const char *bad = NULL;
	struct k_itimer *k;
	u32 n = 0, i, want = t ? t->n_posix : 0;

	om_for_each_posix_timer(k, sig) {
		const struct om_criu_posix_timer_entry *e = NULL;

		cond_resched();
		n++;
		for (i = 0; i < want && !e; i++)
			if (t->posix[i].it_id == (u32)k->it_id)
				e = &t->posix[i];
		if (!e)
			bad = "a POSIX timer the image has not";
		else if ((u32)k->it_clock != e->clock_id ||
			 (u32)k->it_sigev_notify != e->it_sigev_notify)
			bad = "a POSIX timer of another clock or notification";
		else if (e->it_sigev_notify != OM_CRIU_SIGEV_NONE &&
			 ((u32)k->sigq->info.si_signo != e->si_signo ||
			  (unsigned long)k->sigq->info.si_value.sival_ptr != e->sival_ptr))
			bad = "a POSIX timer of another signal or value";
		else if ((e->it_sigev_notify & OM_CRIU_SIGEV_THREAD_ID) &&
			 k->it_pid != task_pid(current))
			bad = "a POSIX timer for another thread";
		if (bad)
			break;
	}
	if (!bad && n != want)
		bad = "fewer POSIX timers than the image";
	if (bad) {
		om_reason(r->reason, "the restoring process has %s (omctl creates them)", bad);
		return -EINVAL;
	}
	for (i = 0; i < want; i++) {
		const struct om_criu_posix_timer_entry *e = &t->posix[i];
		u64 vsec, vnsec;

		om_criu_posix_timer_value(e, &vsec, &vnsec);
		om_rst_add_timer(r, __NR_timer_settime, e->it_id, e->isec, e->insec,
				 vsec, vnsec);
	}
	return 0;
}

static int om_rst_check_timers(struct om_rst *r)
{
	const struct om_criu_task_timers_entry *t = r->core.tc->timers;
	const char *why;
	int idx, err;

	err = om_criu_check_timers(t, r->pid, &why, &idx);
	if (err) {
		if (idx >= 0)
			om_reason(r->reason, "core: POSIX timer %u (clock %d): %s",
				  t->posix[idx].it_id, (s32)t->posix[idx].clock_id, why);
		else
			om_reason(r->reason, "core: %s", why);
		return err;
	}
	r->timers = kvcalloc(2 + (t ? t->n_posix : 0), sizeof(*r->timers), GFP_KERNEL_ACCOUNT);
	if (!r->timers)
		return -ENOMEM;
	om_rst_cpu_itimers(r, t);
	return om_rst_check_posix_timers(r, t);
}

/* The xsave (standard format) buffer rt_sigreturn will load. */
static int om_rst_build_fp(struct om_rst *r)
{
	const struct om_criu_user_x86_fpregs_entry *fp = r->core.thread_info->fpregs;
	const struct om_criu_user_x86_xsave_entry *xs = fp->xsave;
	struct _fpx_sw_bytes *sw;
	struct fxregs_state *fx;
	u64 bv = XFEATURE_MASK_FPSSE, features = XFEATURE_MASK_FPSSE;
	bool ymm = false;

	if (fp->n_st_space != 32 || fp->n_xmm_space != 64 ||
	    (fp->n_padding && fp->n_padding != 24)) {
		om_reason(r->reason, "core: malformed FPU state");
		return -EINVAL;
	}
	if (fp->mxcsr & ~0xffffU) {
		om_reason(r->reason, "core: reserved MXCSR bits set (%x)", fp->mxcsr);
		return -EINVAL;
	}
	if (xs) {
		/*
		 * MPX (unused since Linux 5.6) and PKRU go back to their init
		 * state; AVX-512 state cannot be dropped.
		 */
		bv = xs->xstate_bv;
		if (bv & ~(OM_RST_FP_FEATURES | OM_RST_INIT_FEATURES)) {
			om_reason(r->reason, "core: xstate features %llx are not supported",
				  bv & ~(u64)(OM_RST_FP_FEATURES | OM_RST_INIT_FEATURES));
			return -EOPNOTSUPP;
		}
		bv &= OM_RST_FP_FEATURES;
		if (xs->n_ymmh_space && xs->n_ymmh_space != 64) {
			om_reason(r->reason, "core: malformed AVX state");
			return -EINVAL;
		}
		ymm = xs->n_ymmh_space == 64;
		if ((bv & XFEATURE_MASK_YMM) && !ymm) {
			om_reason(r->reason, "core: AVX state missing");
			return -EINVAL;
		}
		if (ymm && !cpu_has_xfeatures(XFEATURE_MASK_YMM, NULL)) {
			if (bv & XFEATURE_MASK_YMM) {
				om_reason(r->reason, "core: the image uses AVX, this CPU has none");
				return -EOPNOTSUPP;
			}
			ymm = false;
		}
		if (ymm)
			features |= XFEATURE_MASK_YMM;
	}
	r->fp_size = OM_RST_YMM_OFF + (ymm ? OM_RST_YMM_LEN : 0);
	r->fp = kzalloc(r->fp_size + FP_XSTATE_MAGIC2_SIZE, GFP_KERNEL_ACCOUNT);
	if (!r->fp)
		return -ENOMEM;
	fx = (struct fxregs_state *)r->fp;
	fx->cwd = fp->cwd;
	fx->swd = fp->swd;
	fx->twd = fp->twd;
	fx->fop = fp->fop;
	fx->rip = fp->rip;
	fx->rdp = fp->rdp;
	fx->mxcsr = fp->mxcsr;
	fx->mxcsr_mask = fp->mxcsr_mask;
	memcpy(fx->st_space, fp->st_space, sizeof(fx->st_space));
	memcpy(fx->xmm_space, fp->xmm_space, sizeof(fx->xmm_space));
	sw = (struct _fpx_sw_bytes *)fx->sw_reserved;
	sw->magic1 = FP_XSTATE_MAGIC1;
	sw->extended_size = r->fp_size + FP_XSTATE_MAGIC2_SIZE;
	sw->xfeatures = features;
	sw->xstate_size = r->fp_size;
	*(u64 *)(r->fp + OM_RST_XSAVE_HDR) = bv & features;
	if (ymm)
		memcpy(r->fp + OM_RST_YMM_OFF, xs->ymmh_space, OM_RST_YMM_LEN);
	*(u32 *)(r->fp + r->fp_size) = FP_XSTATE_MAGIC2;
	return 0;
}

/* Is [start,end) exactly the caller's special mapping @name? */
static bool om_rst_special_at(struct mm_struct *mm, u64 start, u64 end,
			      const char *name)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	const char *n;

	if (!vma || vma->vm_start != start || vma->vm_end != end ||
	    !vma->vm_ops || !vma->vm_ops->name)
		return false;
	n = vma->vm_ops->name(vma);
	return n && !strcmp(n, name);
}

/* A file the image names, as the image's user: a regular file, never blocking. */
static struct file *om_rst_open_named(struct om_rst *r, const char *name, int flags,
				      const char *what)
{
	const struct cred *old;
	struct file *f;

	/* the type checked first */
	old = override_creds(r->cred);
	f = filp_open(name, O_PATH, 0);
	if (!IS_ERR(f)) {
		bool reg_file = S_ISREG(file_inode(f)->i_mode);

		fput(f);
		f = reg_file ? filp_open(name, flags | O_LARGEFILE | O_NONBLOCK, 0) : NULL;
	}
	revert_creds(old);
	if (IS_ERR(f)) {
		om_reason(r->reason, "cannot open %s %.80s: %ld", what, name, PTR_ERR(f));
		return f;
	}
	if (!f || !S_ISREG(file_inode(f)->i_mode)) {
		if (f)
			fput(f);
		om_reason(r->reason, "%s %.80s is not a regular file", what, name);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Opens a mapped file the way the mapping needs it. */
static int om_rst_open_mapped(struct om_rst *r, struct om_rst_vma *v)
{
	const struct om_criu_vma_entry *e = v->e;
	const struct om_criu_reg_file_entry *reg = om_rst_reg(r, e->shmid);
	int flags = O_RDONLY;
	struct file *f;

	if (!reg) {
		om_reason(r->reason, "mm: mapping at %llx names file %llu, not in files.img",
			  e->start, e->shmid);
		return -EINVAL;
	}
	if ((e->flags & MAP_SHARED) && (e->prot & PROT_WRITE))
		flags = O_RDWR;
	f = om_rst_open_named(r, reg->name, flags, "mapped file");
	if (IS_ERR(f))
		return PTR_ERR(f);
	v->file = f;
	return 0;
}

/* The caller's own special mappings stay; the image must not need their place. */
static int om_rst_check_keep(struct om_rst *r)
{
	struct mm_struct *cur = current->mm;
	struct vm_area_struct *vma;
	int err = 0;
	u32 i;

	mmap_read_lock(cur);
	{
		VMA_ITERATOR(vmi, cur, 0);

		for_each_vma(vmi, vma) {
			if (!vma->vm_ops || !vma->vm_ops->name)
				continue;
			if (r->n_keep == OM_RST_MAX_KEEP) {
				om_reason(r->reason, "too many special mappings in this process");
				err = -EBUSY;
				break;
			}
			r->keep[r->n_keep].start = vma->vm_start;
			r->keep[r->n_keep++].end = vma->vm_end;
			for (i = 0; i < r->n_v && !err; i++) {
				const struct om_criu_vma_entry *e = r->v[i].e;

				if (r->v[i].keep || e->end <= vma->vm_start ||
				    e->start >= vma->vm_end)
					continue;
				om_reason(r->reason, "image memory %llx-%llx overlaps this process's vdso",
					  e->start, e->end);
				err = -EBUSY;
			}
			if (err)
				break;
		}
	}
	mmap_read_unlock(cur);
	return err;
}

/* advice criu records (VmFlags), each given back with madvise() */
#define OM_RST_MADV	(BIT_ULL(MADV_RANDOM) | BIT_ULL(MADV_SEQUENTIAL) | \
			 BIT_ULL(MADV_DONTFORK) | BIT_ULL(MADV_DONTDUMP) | \
			 BIT_ULL(MADV_MERGEABLE) | BIT_ULL(MADV_HUGEPAGE) | \
			 BIT_ULL(MADV_NOHUGEPAGE) | BIT_ULL(MADV_WIPEONFORK))

/* Advice the trampoline can give back without failing (after the point of no return). */
static int om_rst_check_madv(struct om_rst *r, struct om_rst_vma *v)
{
	const struct om_criu_vma_entry *e = v->e;
	u64 m = e->has_madv ? e->madv : 0;

	if (m & ~OM_RST_MADV) {
		om_reason(r->reason, "mm: madvise advice %llx at %llx cannot be restored",
			  m & ~OM_RST_MADV, e->start);
		return -EOPNOTSUPP;
	}
	if ((m & BIT_ULL(MADV_WIPEONFORK)) && (v->file || (e->flags & MAP_SHARED))) {
		om_reason(r->reason, "mm: MADV_WIPEONFORK on a file or shared mapping at %llx",
			  e->start);
		return -EINVAL;
	}
	v->n_madv = hweight64(m);
	r->n_madv += v->n_madv;
	return 0;
}

/*
 * mlock()ed memory is mapped MAP_LOCKED, as criu does, with the image's
 * credentials and RLIMIT_MEMLOCK (omctl set the image's rlimits): the
 * mapping would fail past the point of no return, so look first.
 */
static int om_rst_check_locked(struct om_rst *r, u64 locked)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK);

	if (!locked || limit == RLIM_INFINITY ||
	    cap_raised(r->cred->cap_effective, CAP_IPC_LOCK) || locked <= limit)
		return 0;
	om_reason(r->reason, "mm: %llu KiB of locked memory (mlock), over RLIMIT_MEMLOCK (%lu KiB)",
		  locked >> 10, limit >> 10);
	return -EPERM;
}

/*
 * An ANON_SHARED VMA: criu's simple form (om_criu_check_shmem_vma()),
 * one VMA per shmid, at most OM_CRIU_MAX_SHMEM of them.
 */
static int om_rst_check_shm_vma(struct om_rst *r, const struct om_criu_vma_entry *e)
{
	const char *why;
	u32 i;

	if (om_criu_check_shmem_vma(e, &why)) {
		om_reason(r->reason, "mm: mapping at %llx: %s", e->start, why);
		return -EINVAL;
	}
	if (r->n_shm >= OM_CRIU_MAX_SHMEM) {
		om_reason(r->reason, "mm: more than %u shared anonymous mappings", OM_CRIU_MAX_SHMEM);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < r->n_shm; i++) {
		if (r->shm[i].v->e->shmid == e->shmid) {
			om_reason(r->reason, "mm: shared anonymous memory %llu mapped twice (at %llx and %llx): not supported",
				  e->shmid, r->shm[i].v->e->start, e->start);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static int om_rst_check_vmas(struct om_rst *r)
{
	const struct om_criu_mm_entry *mm = &r->mm;
	struct mm_struct *cur = current->mm;
	u64 prev_end = 0, locked = 0;
	u32 i;
	int err = 0;

	if (!mm->n_vmas || mm->n_vmas > OM_RST_MAX_VMAS) {
		om_reason(r->reason, "mm: %u VMAs", mm->n_vmas);
		return -EINVAL;
	}
	r->v = kvcalloc(mm->n_vmas, sizeof(*r->v), GFP_KERNEL_ACCOUNT);
	if (!r->v)
		return -ENOMEM;
	for (i = 0; i < mm->n_vmas; i++) {
		const struct om_criu_vma_entry *e = &mm->vmas[i];
		struct om_rst_vma *v;
		u32 st = e->status;

		if (!(st & OM_CRIU_VMA_AREA_REGULAR))
			continue;	/* [vsyscall]: not a real mapping */
		if (e->start >= e->end || !PAGE_ALIGNED(e->start) ||
		    !PAGE_ALIGNED(e->end) || e->end > OM_RST_TOP ||
		    e->start < prev_end || !PAGE_ALIGNED(e->pgoff) ||
		    e->prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC)) {
			om_reason(r->reason, "mm: bad VMA %llx-%llx", e->start, e->end);
			return -EINVAL;
		}
		prev_end = e->end;
		if (st & OM_CRIU_VMA_ANON_SHARED) {
			err = om_rst_check_shm_vma(r, e);
			if (err)
				return err;
		} else if (st & (OM_CRIU_VMA_AREA_SYSVIPC | OM_CRIU_VMA_AREA_SOCKET |
				 OM_CRIU_VMA_AREA_AIORING | OM_CRIU_VMA_AREA_MEMFD)) {
			om_reason(r->reason, "mm: mapping at %llx of a kind we cannot restore (%x)",
				  e->start, st);
			return -EOPNOTSUPP;
		}
		if (!!(e->flags & MAP_SHARED) == !!(e->flags & MAP_PRIVATE)) {
			om_reason(r->reason, "mm: bad mapping flags at %llx", e->start);
			return -EINVAL;
		}
		v = &r->v[r->n_v++];
		v->e = e;
		if (st & OM_CRIU_VMA_ANON_SHARED) {
			v->shm = true;
			r->shm[r->n_shm++].v = v;
		} else if (st & (OM_CRIU_VMA_AREA_VDSO | OM_CRIU_VMA_AREA_VVAR)) {
			const char *name = st & OM_CRIU_VMA_AREA_VDSO ? "[vdso]" : "[vvar]";
			bool ok;

			mmap_read_lock(cur);
			ok = om_rst_special_at(cur, e->start, e->end, name);
			mmap_read_unlock(cur);
			if (!ok) {
				om_reason(r->reason, "%s of the image (%llx-%llx) is not where this kernel's is",
					  name, e->start, e->end);
				return -EXDEV;
			}
			v->keep = true;
			continue;
		} else if (st & (OM_CRIU_VMA_FILE_PRIVATE | OM_CRIU_VMA_FILE_SHARED)) {
			err = om_rst_open_mapped(r, v);
			if (err)
				return err;
		} else if (e->flags & MAP_SHARED) {
			om_reason(r->reason, "mm: shared anonymous memory at %llx without the ANON_SHARED status",
				  e->start);
			return -EOPNOTSUPP;
		}
		err = om_rst_check_madv(r, v);
		if (err)
			return err;
		if (e->flags & MAP_LOCKED)
			locked += e->end - e->start;
	}
	err = om_rst_check_locked(r, locked);
	return err ? err : om_rst_check_keep(r);
}

/*
 * The image's executable, which becomes exe_file (/proc/PID/exe) past the
 * point of no return on prctl(PR_SET_MM_EXE_FILE)'s terms: only if the
 * caller has CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN (otherwise the
 * process keeps omctl's: it could pose as any program), and only a
 * regular file the image's user may execute, on an exec mount.  Writers
 * are denied here, before anything changes, so the swap cannot fail on
 * them.  For every caller it must be the file the image recorded (size
 * and mode, as criu checks); if the image maps it, it is that mapping's.
 */
static int om_rst_open_exe(struct om_rst *r)
{
	const struct om_criu_reg_file_entry *reg = om_rst_reg(r, r->mm.exe_file_id);
	bool swap = checkpoint_restore_ns_capable_noaudit(current_user_ns());
	const struct cred *old;
	struct inode *inode;
	struct file *f = NULL;
	int err;
	u32 i;

	if (!reg) {
		om_reason(r->reason, "mm: the executable (file %u) is not in files.img",
			  r->mm.exe_file_id);
		return -EINVAL;
	}
	for (i = 0; i < r->n_v && !f; i++)
		if (r->v[i].file && r->v[i].e->shmid == r->mm.exe_file_id)
			f = get_file(r->v[i].file);
	if (!f) {
		f = om_rst_open_named(r, reg->name, O_RDONLY, "the executable");
		if (IS_ERR(f))
			return PTR_ERR(f);
	}
	inode = file_inode(f);
	if (swap) {
		err = -EACCES;
		if ((f->f_path.mnt->mnt_flags & MNT_NOEXEC) ||
		    (inode->i_sb->s_iflags & SB_I_NOEXEC)) {
			om_reason(r->reason, "the executable %.80s is on a noexec mount", reg->name);
			goto out;
		}
		old = override_creds(r->cred);
		err = file_permission(f, MAY_EXEC);
		revert_creds(old);
		if (err) {
			om_reason(r->reason, "the executable %.80s: no execute permission (%d)",
				  reg->name, err);
			goto out;
		}
		err = om_exe_deny_write(f);
		if (err) {
			om_reason(r->reason, "the executable %.80s is open for writing", reg->name);
			goto out;
		}
	}
	/* once writers are denied (swap), the size stays as checked */
	if ((reg->has_size && i_size_read(inode) != reg->size) ||
	    (reg->has_mode && inode->i_mode != reg->mode)) {
		om_reason(r->reason, "the executable %.80s is not the checkpointed one (size or mode)",
			  reg->name);
		if (swap)
			om_exe_allow_write(f);
		err = -ESTALE;
		goto out;
	}
	if (swap) {
		r->exe = f;
		return 0;
	}
	err = 0;
out:
	fput(f);
	return err;
}

static struct om_rst_vma *om_rst_vma_at(struct om_rst *r, u64 addr, u32 *cursor)
{
	u32 i;

	for (i = *cursor; i < r->n_v; i++) {
		if (addr < r->v[i].e->start)
			return NULL;
		if (addr < r->v[i].e->end) {
			*cursor = i;
			return &r->v[i];
		}
	}
	return NULL;
}

/*
 * Each shared anonymous VMA's pagemap (offsets inside the object, which
 * is as long as the VMA) and pages image, which must be as long as its
 * pages and none of the others' (an id of its own).  One that has pages
 * and no write permission is filled writable, as ro_fill private ones.
 */
static int om_rst_check_shm(struct om_rst *r)
{
	u32 i, k;

	for (i = 0; i < r->n_shm; i++) {
		struct om_rst_shm *sh = &r->shm[i];
		const struct om_criu_vma_entry *e = sh->v->e;
		struct om_criu_pagemap_head head = { };
		const char *why;
		char name[48];
		u64 bytes;
		loff_t size;
		int err, idx;

		snprintf(name, sizeof(name), OM_CRIU_PAGEMAP_SHMEM_FMT,
			 (unsigned long long)e->shmid);
		err = om_rst_read_list(r, OM_CRIU_IMG_PAGEMAP, name,
				       &om_criu_pagemap_head_desc, &head,
				       &om_criu_pagemap_entry_desc, (void **)&sh->pm,
				       &sh->n_pm, OM_RST_MAX_PAGEMAP);
		if (err)
			return err;
		err = om_criu_check_shmem_pagemap(sh->pm, sh->n_pm, e->end - e->start,
						  &bytes, &why, &idx);
		if (err) {
			om_reason(r->reason, "%s: entry %d: %s", name, idx, why);
			return err;
		}
		sh->pages_id = head.pages_id;
		for (k = 0; k < i && r->shm[k].pages_id != sh->pages_id; k++)
			;
		if (sh->pages_id == r->pages_id || k < i) {
			om_reason(r->reason, "%s: pages-%u.img is another pagemap's", name,
				  sh->pages_id);
			return -EINVAL;
		}
		if (!bytes)
			continue;	/* nothing to read (criu reads no pages file then) */
		snprintf(name, sizeof(name), "pages-%u.img", sh->pages_id);
		/* stream mode: its data come later, the sink counts them */
		sh->pages = r->rm ? NULL : om_rst_open(r, name);
		if (IS_ERR(sh->pages)) {
			err = PTR_ERR(sh->pages);
			sh->pages = NULL;
			return err;
		}
		size = sh->pages ? i_size_read(file_inode(sh->pages)) : bytes;
		if (size != bytes) {
			om_reason(r->reason, "%s has %lld bytes, its shared memory's pagemap needs %llu",
				  name, size, bytes);
			return -EBADMSG;
		}
		if (!(e->prot & PROT_WRITE) && !sh->v->ro_fill) {
			sh->v->ro_fill = true;
			r->n_ro++;
		}
	}
	return 0;
}

/* Compare len bytes of pages-N.img at pos with the live vdso at addr. */
static int om_rst_cmp_vdso(struct om_rst *r, u8 *buf, u64 addr, u64 len, loff_t pos)
{
	u8 *live = buf + PAGE_SIZE;

	for (; len; addr += PAGE_SIZE, len -= PAGE_SIZE) {
		if (kernel_read(r->pages, buf, PAGE_SIZE, &pos) != PAGE_SIZE) {
			om_reason(r->reason, "short read in the pages image");
			return -EBADMSG;
		}
		if (copy_from_user(live, (const void __user *)(unsigned long)addr, PAGE_SIZE)) {
			om_reason(r->reason, "cannot read this process's vdso at %llx", addr);
			return -EFAULT;
		}
		if (memcmp(buf, live, PAGE_SIZE)) {
			om_reason(r->reason, "its vdso (%llx) is another kernel build's: it would crash calling it",
				  addr);
			return -EXDEV;
		}
	}
	return 0;
}

/*
 * The image's [vdso] pages must be this kernel's, byte for byte.  A
 * process keeps the vDSO entry points it looked up when it started
 * (glibc caches them): another kernel's vDSO of the same size has other
 * code at those addresses (a process moved from 6.1 to 6.12 died of
 * SIGILL in its first clock_gettime()).  Images without vDSO pages are
 * taken as they are.  After om_rst_check_pagemap() (pages-N.img open,
 * every PRESENT page in a VMA).  In stream mode the pages come later:
 * each is compared as it comes (om_rst_put()).
 */
static int om_rst_check_vdso(struct om_rst *r)
{
	u8 *buf = NULL;
	loff_t pos = 0;
	u32 i, cur = 0;
	int err = 0;

	if (r->rm)
		return 0;

	for (i = 0; i < r->n_pm && !err; i++) {
		const struct om_criu_pagemap_entry *pe = &r->pm[i];
		u32 flags = om_criu_pe_flags(pe);
		u64 a = pe->vaddr, end = a + (om_criu_pagemap_nr_pages(pe) << PAGE_SHIFT);

		if (!(flags & OM_CRIU_PE_PRESENT))
			continue;
		/* a VMA's part of the entry at a time, as om_rst_fill() */
		while (a < end && !err) {
			struct om_rst_vma *v = om_rst_vma_at(r, a, &cur);
			u64 n;

			if (!v)
				return -EINVAL;	/* checked before */
			n = min(end, v->e->end) - a;
			if (v->keep && (v->e->status & OM_CRIU_VMA_AREA_VDSO)) {
				if (!buf)
					buf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
				err = buf ? om_rst_cmp_vdso(r, buf, a, n, pos) : -ENOMEM;
			}
			pos += n;
			a += n;
		}
	}
	kfree(buf);
	return err;
}

/* Every PRESENT page lies in a private mapping and pages-N.img is as long. */
static int om_rst_check_pagemap(struct om_rst *r)
{
	u64 prev_end = 0, need = 0;
	u32 i, cur = 0;
	char name[40];
	loff_t size;

	for (i = 0; i < r->n_pm; i++) {
		const struct om_criu_pagemap_entry *pe = &r->pm[i];
		u64 nr = om_criu_pagemap_nr_pages(pe);
		u32 flags = om_criu_pe_flags(pe);
		u64 a, end;

		if (pe->has_in_parent && pe->in_parent)
			flags |= OM_CRIU_PE_PARENT;
		if (flags & OM_CRIU_PE_PARENT) {
			om_reason(r->reason, "pagemap: incremental (parent) images are not supported");
			return -EOPNOTSUPP;
		}
		if (!nr || nr > (OM_RST_TOP >> PAGE_SHIFT) || !PAGE_ALIGNED(pe->vaddr) ||
		    pe->vaddr < prev_end || pe->vaddr >= OM_RST_TOP ||
		    nr > ((OM_RST_TOP - pe->vaddr) >> PAGE_SHIFT)) {
			om_reason(r->reason, "pagemap: bad entry %llx+%llu pages", pe->vaddr, nr);
			return -EINVAL;
		}
		end = pe->vaddr + (nr << PAGE_SHIFT);
		prev_end = end;
		if (!(flags & OM_CRIU_PE_PRESENT))
			continue;
		for (a = pe->vaddr; a < end;) {
			struct om_rst_vma *v = om_rst_vma_at(r, a, &cur);

			if (!v || (v->e->flags & MAP_SHARED)) {
				om_reason(r->reason, "pagemap: page %llx is not in a private mapping", a);
				return -EINVAL;
			}
			if (!v->keep && !(v->e->prot & PROT_WRITE) && !v->ro_fill) {
				v->ro_fill = true;
				r->n_ro++;
			}
			a = min(end, v->e->end);
		}
		need += nr << PAGE_SHIFT;
	}
	r->pages_need = need;
	if (r->rm)
		return 0;	/* the pages come later, through the sinks */
	snprintf(name, sizeof(name), "pages-%u.img", r->pages_id);
	r->pages = om_rst_open(r, name);
	if (IS_ERR(r->pages)) {
		int err = PTR_ERR(r->pages);

		r->pages = NULL;
		return err;
	}
	size = i_size_read(file_inode(r->pages));
	if (size != need) {
		om_reason(r->reason, "%s has %lld bytes, the pagemap needs %llu",
			  name, size, need);
		return -EBADMSG;
	}
	return 0;
}

/*
 * Stream mode: a sink of @n runs for pages-@id.img, @run the caller's
 * (kept; freed with r).
 */
static int om_rst_add_sink(struct om_rst *r, u32 id, struct om_pgsink_run *run, u32 n)
{
	struct om_rst_sink *k;
	int err;

	if (r->n_snk >= ARRAY_SIZE(r->snk)) {
		kvfree(run);
		return -EINVAL;
	}
	k = &r->snk[r->n_snk];
	k->id = id;
	k->run = run;
	k->n_run = n;
	r->n_snk++;
	err = om_pgsink_init(&k->s, run, n, PAGE_SHIFT, OM_RST_TOP);
	if (err)
		om_reason(r->reason, "pages-%u.img: its pagemap's runs are not usable", id);
	return err;
}

/*
 * The private pagemap's PRESENT entries as runs, a VMA's part of an
 * entry at a time (as om_rst_fill()), the live [vdso]'s to be compared:
 * counted with @run NULL.
 */
static u32 om_rst_private_runs(struct om_rst *r, struct om_pgsink_run *run)
{
	u32 i, n = 0, cur = 0;

	for (i = 0; i < r->n_pm; i++) {
		const struct om_criu_pagemap_entry *pe = &r->pm[i];
		u64 a = pe->vaddr, end = a + (om_criu_pagemap_nr_pages(pe) << PAGE_SHIFT);

		if (!(om_criu_pe_flags(pe) & OM_CRIU_PE_PRESENT))
			continue;
		while (a < end) {
			struct om_rst_vma *v = om_rst_vma_at(r, a, &cur);
			u64 to;

			if (!v)
				return n;	/* checked before */
			to = min(end, v->e->end);
			if (run) {
				run[n].vaddr = a;
				run[n].nr = (to - a) >> PAGE_SHIFT;
				run[n].flags = v->keep ? OM_PGSINK_SKIP : 0;
			}
			n++;
			a = to;
		}
	}
	return n;
}

/* Stream mode: a sink for pages-N.img and one for each shared object's. */
static int om_rst_build_sinks(struct om_rst *r)
{
	struct om_pgsink_run *run;
	u32 n, i, k;
	int err;

	n = om_rst_private_runs(r, NULL);
	run = kvcalloc(max(n, 1U), sizeof(*run), GFP_KERNEL_ACCOUNT);
	if (!run)
		return -ENOMEM;
	if (om_rst_private_runs(r, run) != n) {
		kvfree(run);
		return -EINVAL;
	}
	err = om_rst_add_sink(r, r->pages_id, run, n);
	for (k = 0; !err && k < r->n_shm; k++) {
		const struct om_rst_shm *sh = &r->shm[k];
		u64 base = sh->v->e->start;

		run = kvcalloc(max(sh->n_pm, 1U), sizeof(*run), GFP_KERNEL_ACCOUNT);
		if (!run)
			return -ENOMEM;
		for (i = 0, n = 0; i < sh->n_pm; i++) {
			const struct om_criu_pagemap_entry *pe = &sh->pm[i];

			if (!(om_criu_pe_flags(pe) & OM_CRIU_PE_PRESENT))
				continue;
			run[n].vaddr = base + pe->vaddr;
			run[n].nr = om_criu_pagemap_nr_pages(pe);
			n++;
		}
		err = om_rst_add_sink(r, sh->pages_id, run, n);
	}
	return err;
}

static int om_rst_check_mm(struct om_rst *r)
{
	const struct om_criu_mm_entry *m = &r->mm;
	u64 f[] = { m->mm_start_code, m->mm_end_code, m->mm_start_data,
		    m->mm_end_data, m->mm_start_stack, m->mm_start_brk, m->mm_brk,
		    m->mm_arg_start, m->mm_arg_end, m->mm_env_start, m->mm_env_end };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f); i++)
		if (!om_rst_uaddr_ok(f[i]))
			goto bad;
	if (m->mm_start_code > m->mm_end_code || m->mm_start_data > m->mm_end_data ||
	    m->mm_start_brk > m->mm_brk || m->mm_arg_start > m->mm_arg_end ||
	    m->mm_env_start > m->mm_env_end)
		goto bad;
	if (m->has_dumpable && m->dumpable > SUID_DUMP_ROOT)
		goto bad;
	/* room for the AT_NULL pair /proc/PID/auxv reads up to */
	if (m->n_mm_saved_auxv > ARRAY_SIZE(current->mm->saved_auxv) - 2 ||
	    m->n_mm_saved_auxv % 2)
		goto bad;
	return 0;
bad:
	om_reason(r->reason, "mm: inconsistent memory layout fields");
	return -EINVAL;
}

/* A "syscall" instruction in the vdso to run rt_sigreturn from. */
static int om_rst_find_syscall(struct om_rst *r)
{
	unsigned long base = (unsigned long)current->mm->context.vdso;
	struct vm_area_struct *vma;
	unsigned long len = 0, i;
	u8 *text;
	int err = -ENOENT;

	mmap_read_lock(current->mm);
	vma = base ? find_vma(current->mm, base) : NULL;
	if (vma && vma->vm_start == base)
		len = min(vma->vm_end - base, 4 * PAGE_SIZE);
	mmap_read_unlock(current->mm);
	if (!len)
		goto out;
	text = kvmalloc(len, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	if (copy_from_user(text, (void __user *)base, len)) {
		kvfree(text);
		goto out;
	}
	for (i = 0; i + 1 < len; i++) {
		if (text[i] == 0x0f && text[i + 1] == 0x05) {
			r->syscall_ip = base + i;
			err = 0;
			break;
		}
	}
	kvfree(text);
out:
	if (err)
		om_reason(r->reason, "this process has no usable vdso");
	return err;
}

static int om_rst_prepare(struct om_rst *r)
{
	char name[40];
	int err;

	if (!thread_group_empty(current) || (current->flags & PF_KTHREAD)) {
		om_reason(r->reason, "the restoring process must be single-threaded");
		return -EINVAL;
	}
	err = om_rst_read_inventory(r);
	if (!err)
		err = om_rst_read_pstree(r);
	if (err)
		return err;
	snprintf(name, sizeof(name), "core-%u.img", r->pid);
	err = om_rst_single(r, OM_CRIU_IMG_CORE, name, &om_criu_core_entry_desc,
			    &r->core);
	if (!err)
		err = om_rst_check_core(r);
	if (!err)
		err = om_rst_check_creds(r);
	if (!err)
		err = om_rst_check_timers(r);
	if (!err)
		err = om_rst_build_fp(r);
	if (err)
		return err;
	snprintf(name, sizeof(name), "mm-%u.img", r->pid);
	err = om_rst_single(r, OM_CRIU_IMG_MM, name, &om_criu_mm_entry_desc, &r->mm);
	if (!err)
		err = om_rst_check_mm(r);
	if (!err)
		err = om_rst_read_files(r);
	if (!err)
		err = om_rst_check_vmas(r);
	if (!err)
		err = om_rst_open_exe(r);
	if (!err)
		err = om_rst_read_pagemap(r);
	if (!err)
		err = om_rst_check_pagemap(r);
	if (!err)
		err = om_rst_check_vdso(r);
	if (!err)
		err = om_rst_check_shm(r);
	if (!err && r->rm)
		err = om_rst_build_sinks(r);
	if (!err)
		err = om_rst_find_syscall(r);
	if (!err)
		err = om_rst_check_trust(r);
	if (!err && r->deputy)
		err = om_rst_read_timens(r);
	return err;
}

/* How far @img is ahead of current's own view of the clock, in ns. */
static s64 om_rst_clock_ahead(const struct timespec64 *img, bool boot)
{
	struct timespec64 now;

	if (boot) {
		ktime_get_boottime_ts64(&now);
		timens_add_boottime(&now);
	} else {
		ktime_get_ts64(&now);
		timens_add_monotonic(&now);
	}
	return timespec64_to_ns(img) - timespec64_to_ns(&now);
}

/*
 * The way home: away, the process's clocks went on from its own view
 * (omctl guest), so they may be ahead of the deputy's (which stayed in
 * its time namespace) by what the remote's clock gained.  The deputy
 * waits that out, killably, before the process runs again, so that its
 * clocks never go back; further ahead than OM_RST_TIMENS_WAIT (a remote
 * clock far off, or a suspended remote for CLOCK_BOOTTIME), that clock
 * is not waited for, with a warning.
 */
static int om_rst_timens_wait(struct om_rst *r)
{
	s64 dm, db, wait = 0;
	ktime_t until;

	if (!r->has_tns)
		return 0;
	dm = om_rst_clock_ahead(&r->tns_mono, false);
	db = om_rst_clock_ahead(&r->tns_boot, true);
	if (max(dm, db) > OM_RST_TIMENS_WAIT)
		pr_warn_ratelimited("process %d came home with its clocks ahead of home's (monotonic %lld ms, boottime %lld ms): more than %d s is not waited for\n",
				    task_pid_nr(current), dm / NSEC_PER_MSEC, db / NSEC_PER_MSEC,
				    (int)(OM_RST_TIMENS_WAIT / NSEC_PER_SEC));
	if (dm <= OM_RST_TIMENS_WAIT)
		wait = max(wait, dm);
	if (db <= OM_RST_TIMENS_WAIT)
		wait = max(wait, db);
	if (wait <= 0)
		return 0;
	until = ktime_add_ns(ktime_get(), wait);
	while (ktime_before(ktime_get(), until)) {
		set_current_state(TASK_KILLABLE);
		schedule_hrtimeout(&until, HRTIMER_MODE_ABS);
		if (fatal_signal_pending(current)) {
			om_reason(r->reason, "killed while home's clocks caught up with its own");
			return -EINTR;
		}
	}
	return 0;
}

/* ------------------------------------------------ past the point of no return */

static int om_rst_unmap_all(struct om_rst *r)
{
	unsigned long from = 0;
	u32 i;
	int err;

	for (i = 0; i <= r->n_keep; i++) {
		unsigned long to = i < r->n_keep ? r->keep[i].start : TASK_SIZE;

		if (to > from) {
			err = vm_munmap(from, to - from);
			if (err)
				return err;
		}
		if (i < r->n_keep)
			from = r->keep[i].end;
	}
	return 0;
}

/*
 * The image's executable replaces omctl's as exe_file the way
 * replace_mm_exe_file() (not exported) does: never while a mapping of the
 * old one is left (after om_rst_unmap_all() none is), the mm takes over
 * our reference and write denial, and omctl's binary gets its own back.
 */
static int om_rst_set_exe(struct om_rst *r)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct file *old;
	int err = 0;

	if (!r->exe)
		return 0;
	mmap_write_lock(mm);
	old = rcu_dereference_protected(mm->exe_file, lockdep_is_held(&mm->mmap_lock));
	if (old) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (vma->vm_file &&
			    path_equal(om_file_user_path(vma->vm_file), &old->f_path)) {
				err = -EBUSY;
				break;
			}
		}
	}
	if (!err) {
		rcu_assign_pointer(mm->exe_file, r->exe);
		r->exe = NULL;
	}
	mmap_write_unlock(mm);
	if (err) {
		om_reason(r->reason, "the old executable is still mapped");
		return err;
	}
	if (old) {
		om_exe_allow_write(old);
		fput(old);
	}
	return 0;
}

static int om_rst_map_all(struct om_rst *r)
{
	u32 i;

	for (i = 0; i < r->n_v; i++) {
		const struct om_criu_vma_entry *e = r->v[i].e;
		unsigned long flags, addr, prot = e->prot;

		if (r->v[i].keep)
			continue;
		/* MAP_LOCKED populates it: the fill finds it all present */
		flags = MAP_FIXED | (e->flags & (MAP_SHARED | MAP_PRIVATE |
						 MAP_GROWSDOWN | MAP_NORESERVE |
						 MAP_LOCKED));
		if (!r->v[i].file)
			flags |= MAP_ANONYMOUS;
		/*
		 * Private (check_pagemap) or shared anonymous (check_shm): a
		 * private mapping always has VM_MAYWRITE, and its writes never
		 * reach the file; a shared anonymous one has it too, and its
		 * object is this mapping's alone.
		 */
		if (r->v[i].ro_fill)
			prot |= PROT_WRITE;
		addr = vm_mmap(r->v[i].file, e->start, e->end - e->start, prot,
			       flags, r->v[i].file ? e->pgoff : 0);
		if (IS_ERR_VALUE(addr) || addr != e->start) {
			om_reason(r->reason, "cannot map %llx-%llx: %ld", e->start, e->end,
				  IS_ERR_VALUE(addr) ? (long)addr : -EFAULT);
			return IS_ERR_VALUE(addr) ? (int)addr : -EFAULT;
		}
	}
	return 0;
}

/*
 * Read the pages image straight into the target pages.  Every mapping
 * with pages is writable now (ro_fill ones until the trampoline runs):
 * no FOLL_FORCE.
 */
static int om_rst_read_into(struct om_rst *r, struct file *src, loff_t *pos,
			    unsigned long addr, size_t len)
{
	int nr = len >> PAGE_SHIFT, got, i;
	struct iov_iter it;
	ssize_t n = 0;

	got = get_user_pages_fast(addr, nr, FOLL_WRITE, r->pg);
	if (got == nr) {
		for (i = 0; i < nr; i++) {
			r->bv[i].bv_page = r->pg[i];
			r->bv[i].bv_len = PAGE_SIZE;
			r->bv[i].bv_offset = 0;
		}
		iov_iter_bvec(&it, ITER_DEST, r->bv, nr, len);
		while (iov_iter_count(&it)) {
			n = vfs_iter_read(src, &it, pos, 0);
			if (n <= 0)
				break;
		}
	}
	for (i = 0; i < got; i++)
		put_page(r->pg[i]);
	if (got != nr)
		return got < 0 ? got : -EFAULT;
	if (iov_iter_count(&it)) {
		om_reason(r->reason, "short read in the pages image");
		return n < 0 ? n : -EBADMSG;
	}
	return 0;
}

static int om_rst_fill(struct om_rst *r)
{
	u32 i, cur = 0;
	int err;

	for (i = 0; i < r->n_pm; i++) {
		const struct om_criu_pagemap_entry *pe = &r->pm[i];
		u32 flags = om_criu_pe_flags(pe);
		u64 a = pe->vaddr, end = a + (om_criu_pagemap_nr_pages(pe) << PAGE_SHIFT);

		if (!(flags & OM_CRIU_PE_PRESENT))
			continue;
		while (a < end) {
			struct om_rst_vma *v = om_rst_vma_at(r, a, &cur);
			size_t n = min_t(u64, OM_RST_CHUNK, end - a);

			if (!v)
				return -EINVAL;	/* checked before */
			n = min_t(u64, n, v->e->end - a);
			if (v->keep) {
				/* the live vdso stays; its size was checked */
				r->pages_pos += n;
			} else {
				err = om_rst_read_into(r, r->pages, &r->pages_pos, a, n);
				if (err) {
					om_reason(r->reason, "cannot fill memory at %llx: %d", a, err);
					return err;
				}
			}
			r->req->pages += n >> PAGE_SHIFT;
			a += n;
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

/* Shared anonymous memory: each object's pages at its VMA's start plus their offset. */
static int om_rst_fill_shm(struct om_rst *r)
{
	u32 i, k;
	int err;

	for (k = 0; k < r->n_shm; k++) {
		struct om_rst_shm *sh = &r->shm[k];
		u64 base = sh->v->e->start;

		for (i = 0; i < sh->n_pm; i++) {
			const struct om_criu_pagemap_entry *pe = &sh->pm[i];
			u32 flags = om_criu_pe_flags(pe);
			u64 a = pe->vaddr, end = a + (om_criu_pagemap_nr_pages(pe) << PAGE_SHIFT);

			if (!(flags & OM_CRIU_PE_PRESENT))
				continue;
			if (!sh->pages)
				return -EINVAL;	/* checked before */
			while (a < end) {
				size_t n = min_t(u64, OM_RST_CHUNK, end - a);

				err = om_rst_read_into(r, sh->pages, &sh->pos, base + a, n);
				if (err) {
					om_reason(r->reason, "cannot fill shared memory at %llx: %d",
						  base + a, err);
					return err;
				}
				r->req->pages += n >> PAGE_SHIFT;
				a += n;
				if (fatal_signal_pending(current))
					return -EINTR;
				cond_resched();
			}
		}
	}
	return 0;
}

/*
 * Stream mode: a segment of a pages image into our own memory (every
 * mapping with pages is writable now), or, for the live [vdso], compared
 * with it as om_rst_check_vdso() does.
 */
static int om_rst_put(void *ctx, u64 vaddr, const u8 *data, u32 len, u32 flags)
{
	struct om_rst *r = ctx;
	struct om_rst_vma *v;
	u32 cur = 0;

	r->streamed += len;
	if (!(flags & OM_PGSINK_SKIP)) {
		if (!copy_to_user((void __user *)(unsigned long)vaddr, data, len))
			return 0;
		om_reason(r->reason, "cannot fill memory at %llx", vaddr);
		return -EFAULT;
	}
	/* a kept VMA: only the [vdso]'s pages are compared (a segment is in one VMA) */
	v = om_rst_vma_at(r, vaddr, &cur);
	if (!v || !(v->e->status & OM_CRIU_VMA_AREA_VDSO))
		return 0;
	while (len) {
		u32 n = min_t(u64, len, PAGE_SIZE - (vaddr & ~PAGE_MASK));

		if (copy_from_user(r->cmp, (const void __user *)(unsigned long)vaddr, n)) {
			om_reason(r->reason, "cannot read this process's vdso at %llx", vaddr);
			return -EFAULT;
		}
		if (memcmp(r->cmp, data, n)) {
			om_reason(r->reason, "its vdso (%llx) is another kernel build's: it would crash calling it",
				  vaddr);
			return -EXDEV;
		}
		vaddr += n;
		data += n;
		len -= n;
	}
	return 0;
}

/*
 * Stream mode: the page data as they come, each chunk through its
 * image's sink into the memory, until the COMMIT and every chunk before
 * it; then every sink must be complete.  A bad chunk, a sink's error or
 * the session's end is a failure (past the point of no return: the
 * caller kills us); but for the end, the session ends with an ABORT.
 */
static int om_rst_stream(struct om_rst *r)
{
	struct om_pgchunk *ch;
	u32 i;
	int err;

	r->cmp = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!r->cmp)
		return -ENOMEM;
	while ((err = om_pgrx_take(&r->rm->pg, &ch)) > 0) {
		struct om_rst_sink *k = NULL;

		for (i = 0; i < r->n_snk && !k; i++)
			if (r->snk[i].id == ch->id)
				k = &r->snk[i];
		if (!k) {
			om_reason(r->reason, "pages-%u.img is no pagemap's", ch->id);
			err = -EPROTO;
		} else {
			err = om_pgsink_feed(&k->s, ch->off, ch->data, ch->len, om_rst_put, r);
			if (err && !r->reason[0])
				om_reason(r->reason, "pages-%u.img: bad chunk at %llu (%d)", ch->id,
					  ch->off, err);
		}
		om_pgrx_free(ch);
		if (err)
			break;
		r->req->pages = r->streamed >> PAGE_SHIFT;
		cond_resched();
	}
	for (i = 0; !err && i < r->n_snk; i++) {
		if (!om_pgsink_complete(&r->snk[i].s)) {
			om_reason(r->reason, "pages-%u.img ended short", r->snk[i].id);
			err = -EPROTO;
		}
	}
	if (err == -EINTR)
		om_reason(r->reason, "killed while its pages came");
	if (err == -ECONNABORTED)
		om_reason(r->reason, "the migration ended while its pages came");
	else if (err)
		om_in_pgstream_fail(r->rm, err, r->reason);	/* its home stops sending */
	return err;
}

/*
 * The dumpable flag, after commit_creds() (which resets it when the ids
 * change), as criu's restorer does: 0 and 1 are what the process could
 * set itself with prctl(PR_SET_DUMPABLE); 2 (fs.suid_dumpable=2) is kept
 * if the process has it already, else it becomes 0, the safe side.
 * set_dumpable() is not exported; it is this atomic update of mm->flags.
 */
static void om_rst_set_dumpable(struct mm_struct *mm, const struct om_criu_mm_entry *m)
{
	unsigned int d;

	if (!m->has_dumpable)
		return;
	d = m->dumpable;
	if (d > SUID_DUMP_USER && get_dumpable(mm) != d)
		d = SUID_DUMP_DISABLE;
	set_mask_bits(&mm->flags, MMF_DUMPABLE_MASK, d);
}

static void om_rst_set_mm(struct om_rst *r)
{
	const struct om_criu_mm_entry *m = &r->mm;
	struct mm_struct *mm = current->mm;

	mmap_write_lock(mm);
	spin_lock(&mm->arg_lock);
	mm->start_code = m->mm_start_code;
	mm->end_code = m->mm_end_code;
	mm->start_data = m->mm_start_data;
	mm->end_data = m->mm_end_data;
	mm->start_brk = m->mm_start_brk;
	mm->brk = m->mm_brk;
	mm->start_stack = m->mm_start_stack;
	mm->arg_start = m->mm_arg_start;
	mm->arg_end = m->mm_arg_end;
	mm->env_start = m->mm_env_start;
	mm->env_end = m->mm_env_end;
	spin_unlock(&mm->arg_lock);
	/* zeroes after the image's words: AT_NULL, as prctl(PR_SET_MM_MAP) */
	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	memcpy(mm->saved_auxv, m->mm_saved_auxv,
	       m->n_mm_saved_auxv * sizeof(mm->saved_auxv[0]));
	/* as prctl(PR_SET_THP_DISABLE); the caller's setting is not inherited */
	if (m->has_thp_disabled && m->thp_disabled)
		set_bit(MMF_DISABLE_THP, &mm->flags);
	else
		clear_bit(MMF_DISABLE_THP, &mm->flags);
	mmap_write_unlock(mm);
	om_rst_set_dumpable(mm, m);
}

/* Thread state that lives in task_struct and the CPU. */
static void om_rst_set_thread(struct om_rst *r)
{
	const struct om_criu_user_x86_regs_entry *gp = r->core.thread_info->gpregs;
	const struct om_criu_thread_core_entry *th = r->core.thread_core;
	const struct om_criu_rseq_entry *rs = th ? th->rseq_entry : NULL;
	struct task_struct *t = current;

	/* as arch_prctl(ARCH_SET_FS/GS) does; selectors are 0 in 64-bit tasks */
	preempt_disable();
	x86_fsbase_write_cpu(gp->fs_base);
	t->thread.fsindex = 0;
	t->thread.fsbase = gp->fs_base;
	wrmsrl(MSR_KERNEL_GS_BASE, gp->gs_base);
	t->thread.gsindex = 0;
	t->thread.gsbase = gp->gs_base;
	preempt_enable();

	t->clear_child_tid = (int __user *)(unsigned long)r->core.thread_info->clear_tid_addr;
	t->robust_list = th ? (void __user *)(unsigned long)th->futex_rla : NULL;
	if (rs && rs->rseq_abi_pointer) {
		t->rseq = (struct rseq __user *)(unsigned long)rs->rseq_abi_pointer;
		om_set_rseq_len(t, rs->rseq_abi_size);
		t->rseq_sig = rs->signature;
		t->rseq_event_mask = 0;
		set_tsk_thread_flag(t, TIF_NOTIFY_RESUME);
	}
}

/* rt_sigframe below the image's stack pointer; returns the new sp. */
static int om_rst_sigframe(struct om_rst *r, unsigned long *new_sp)
{
	const struct om_criu_user_x86_regs_entry *gp = r->core.thread_info->gpregs;
	const struct om_criu_thread_core_entry *th = r->core.thread_core;
	struct rt_sigframe *f;
	struct sigcontext *sc;
	unsigned long sp, fpaddr;
	int err = 0;

	sp = gp->sp - 128;		/* the red zone */
	sp -= r->fp_size + FP_XSTATE_MAGIC2_SIZE;
	fpaddr = round_down(sp, 64);
	sp = round_down(fpaddr - sizeof(*f), 16) - 8;
	if (sp < PAGE_SIZE)
		return -EFAULT;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	if (th && th->sas && th->sas->ss_size) {
		f->uc.uc_stack.ss_sp = (void __user *)(unsigned long)th->sas->ss_sp;
		f->uc.uc_stack.ss_size = th->sas->ss_size;
		f->uc.uc_stack.ss_flags = th->sas->ss_flags & SS_AUTODISARM;
	} else {
		f->uc.uc_stack.ss_flags = SS_DISABLE;
	}
	f->uc.uc_sigmask = r->blocked;
	sc = &f->uc.uc_mcontext;
	sc->r8 = gp->r8;
	sc->r9 = gp->r9;
	sc->r10 = gp->r10;
	sc->r11 = gp->r11;
	sc->r12 = gp->r12;
	sc->r13 = gp->r13;
	sc->r14 = gp->r14;
	sc->r15 = gp->r15;
	sc->di = gp->di;
	sc->si = gp->si;
	sc->bp = gp->bp;
	sc->bx = gp->bx;
	sc->dx = gp->dx;
	sc->ax = gp->ax;
	sc->cx = gp->cx;
	sc->sp = gp->sp;
	sc->ip = gp->ip;
	sc->flags = (gp->flags & ~(u64)(X86_EFLAGS_TF | X86_EFLAGS_RF)) | X86_EFLAGS_IF;
	sc->cs = __USER_CS;
	sc->ss = __USER_DS;
	sc->fpstate = fpaddr;
	if (copy_to_user((void __user *)fpaddr, r->fp, r->fp_size + FP_XSTATE_MAGIC2_SIZE) ||
	    copy_to_user((void __user *)sp, f, sizeof(*f)))
		err = -EFAULT;
	kfree(f);
	*new_sp = sp + sizeof(long);	/* as after the handler's "ret" */
	return err;
}

static int om_rst_match_file(const void *p, struct file *f, unsigned int fd)
{
	return f == p ? fd + 1 : 0;
}

/* Closes every fd of this process that is open on f. */
static void om_rst_close_all(struct file *f)
{
	int fd;

	while ((fd = iterate_fd(current->files, 0, om_rst_match_file, f)) > 0)
		close_fd(fd - 1);
}

static void om_rst_report(struct file *status, int err, u32 vmas, u64 pages,
			  const char *reason)
{
	struct om_restore_status st = { .err = err, .vmas = vmas, .pages = pages };
	struct socket *sock;
	loff_t pos = 0;

	if (!status)
		return;
	strscpy(st.reason, reason, sizeof(st.reason));
	/*
	 * On a socket, without SIGPIPE: if omctl died meanwhile, the
	 * restored process must not be killed by its own status report.
	 */
	sock = sock_from_file(status);
	if (sock) {
		struct kvec kv = { .iov_base = &st, .iov_len = sizeof(st) };
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | MSG_DONTWAIT };

		kernel_sendmsg(sock, &msg, &kv, 1, sizeof(st));
		return;
	}
	kernel_write(status, &st, sizeof(st), &pos);
}

static void om_rst_status(struct om_rst *r, int err)
{
	om_rst_report(r->status, err, r->req->vmas, r->req->pages, r->reason);
}

/*
 * Into the restored program: rt_sigreturn through the vdso's "syscall"
 * (the return value), on the frame at sp.  A stopped process stops
 * again before it runs any of its code.
 */
static long om_rst_resume(unsigned long syscall_ip, unsigned long sp, bool stop)
{
	struct pt_regs *regs = task_pt_regs(current);

	regs->ip = syscall_ip;
	regs->sp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->orig_ax = -1;
	if (stop)
		send_sig(SIGSTOP, current, 1);
	/* a migrated process: it runs at its remote from here on */
	om_guest_go();
	return __NR_rt_sigreturn;
}

/* ----------------------------------------------------------- trampoline */

/*
 * Read-only private pages (relro, read-only or PROT_NONE anonymous memory
 * with data) were mapped writable and filled with ordinary writes.  Their
 * write permission must go before the program runs, with the kernel's own
 * mprotect(): nothing exported changes a VMA's protection from a module,
 * and writing through FOLL_FORCE instead would ignore an administrator's
 * proc_mem.force_override=never.  Mappings with madvise() advice
 * (MADV_DONTFORK, MADV_HUGEPAGE, ...) get it back the same way: the
 * kernel's madvise() splits VMAs and registers with KSM or khugepaged as
 * it should, and is not exported either.  So the process runs a
 * trampoline (om_restore_tramp.h) that makes these calls, arms the
 * timers (setitimer() and timer_settime() are not exported; criu's
 * restorer arms them last too), and then calls
 * OM_RST_FIN_CMD on an fd of its own; the ioctl checks the result,
 * unmaps the trampoline, closes the fd and returns into the program as
 * om_rst_resume() does.  Until then every signal but SIGKILL and SIGSTOP
 * stays blocked; if the process dies meanwhile, the fd's release frees
 * the state.
 */
#define OM_RST_FIN_CMD		_IO(OM_IOC_MAGIC, 0x7f)	/* private to the fd */

struct om_rst_fin {
	struct mm_struct *mm;		/* mmgrab()bed: the restored process's */
	struct file *status;
	unsigned long tramp, tramp_len;
	unsigned long syscall_ip, sp;
	unsigned long done;		/* bit 0: the trampoline's ioctl came */
	bool stop;
	u32 vmas;
	u64 pages;
	char reason[OM_RST_REASON_LEN];
	u32 n;				/* table entries: the trampoline, ro_fill VMAs, advice, timers */
	struct om_rst_tramp_op tab[];
};

static void om_rst_fin_free(struct om_rst_fin *fin)
{
	if (fin->mm)
		mmdrop(fin->mm);
	if (fin->status)
		fput(fin->status);
	kvfree(fin);
}

/* After the trampoline: no write permission left in the ro_fill VMAs. */
static int om_rst_fin_check(struct om_rst_fin *fin)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int err = 0;
	u32 i;

	mmap_read_lock(mm);
	for (i = 1; i < fin->n && !err; i++) {
		unsigned long a = fin->tab[i].a1, end = a + fin->tab[i].a2;

		if (fin->tab[i].nr != __NR_mprotect)
			continue;
		for (; a < end; a = vma->vm_end) {
			vma = find_vma(mm, a);
			if (!vma || vma->vm_start > a || (vma->vm_flags & VM_WRITE)) {
				om_reason(fin->reason, "memory at %lx is still writable after mprotect",
					  a);
				err = -EFAULT;
				break;
			}
		}
	}
	mmap_read_unlock(mm);
	return err;
}

static long om_rst_fin_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct om_rst_fin *fin = f->private_data;
	struct pt_regs *regs = task_pt_regs(current);
	long err = (long)arg;	/* 0, or the failed mprotect()'s -errno */
	long ret;

	/* the trampoline's own ioctl only, once */
	if (cmd != OM_RST_FIN_CMD || current->mm != fin->mm ||
	    regs->ip != fin->tramp + OM_RST_TRAMP_IOCTL_END ||
	    test_and_set_bit(0, &fin->done))
		return -EINVAL;
	/* f, and so fin, stay until our fput(), whatever closing its fds does */
	get_file(f);
	if (err) {
		/* %rbx points at the entry that failed */
		unsigned long i = (regs->bx - fin->tramp - OM_RST_TRAMP_TABLE) /
				  sizeof(fin->tab[0]);

		if (err < -MAX_ERRNO || err > 0)
			err = -EINVAL;
		if (i < fin->n && fin->tab[i].nr == __NR_mprotect)
			om_reason(fin->reason, "cannot drop the write permission of %llx-%llx: %ld",
				  fin->tab[i].a1, fin->tab[i].a1 + fin->tab[i].a2, err);
		else if (i < fin->n && fin->tab[i].nr == __NR_madvise)
			om_reason(fin->reason, "cannot madvise(%llx-%llx, %llu): %ld",
				  fin->tab[i].a1, fin->tab[i].a1 + fin->tab[i].a2,
				  fin->tab[i].a3, err);
		else if (i < fin->n && fin->tab[i].nr == __NR_setitimer)
			om_reason(fin->reason, "cannot set itimer %llu: %ld", fin->tab[i].a1, err);
		else if (i < fin->n)
			om_reason(fin->reason, "cannot arm POSIX timer %llu: %ld", fin->tab[i].a1, err);
		else
			om_reason(fin->reason, "the restore trampoline failed: %ld", err);
	}
	if (!err)
		err = om_rst_fin_check(fin);
	if (!err) {
		err = vm_munmap(fin->tramp, fin->tramp_len);
		if (err)
			om_reason(fin->reason, "cannot unmap the restore trampoline: %ld", err);
	}
	ret = err ? err : om_rst_resume(fin->syscall_ip, fin->sp, fin->stop);
	/* omctl, told, finds the process as the image was: fds closed first */
	om_rst_close_all(f);
	om_rst_report(fin->status, err, fin->vmas, fin->pages, fin->reason);
	if (err)
		force_sig(SIGKILL);
	fput(f);
	return ret;
}

static int om_rst_fin_release(struct inode *inode, struct file *f)
{
	om_rst_fin_free(f->private_data);
	return 0;
}

static const struct file_operations om_rst_fin_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= om_rst_fin_ioctl,
	.release	= om_rst_fin_release,
};

static int om_rst_fin_match(const void *p, struct file *f, unsigned int fd)
{
	return f->f_op == &om_rst_fin_fops;
}

/*
 * Current still runs its restore trampoline: its finishing fd is open
 * (the ioctl closes it).  An image taken now would carry the trampoline,
 * not the program.
 */
bool om_rst_in_trampoline(void)
{
	return current->files && iterate_fd(current->files, 0, om_rst_fin_match, NULL);
}

/*
 * Maps and writes the trampoline, installs its fd; returns 0 with the
 * process set to run it, fin the fd's from then on.
 */
static int om_rst_tramp(struct om_rst *r, struct om_rst_fin *fin)
{
	struct pt_regs *regs = task_pt_regs(current);
	size_t data = om_rst_tramp_size(fin->n);
	size_t size = data + r->n_timers * sizeof(r->timers[0].d);
	struct file *f;
	u8 *buf;
	u32 i, k;
	int fd, err;

	fin->tramp_len = PAGE_ALIGN(size);
	fin->tramp = vm_mmap(NULL, 0, fin->tramp_len, PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(fin->tramp)) {
		err = (long)fin->tramp;
		om_reason(r->reason, "cannot map the restore trampoline: %d", err);
		return err;
	}
	/* first its own page(s): read and execute from then on */
	fin->tab[0] = (struct om_rst_tramp_op){ .a1 = fin->tramp, .a2 = fin->tramp_len,
						.a3 = PROT_READ | PROT_EXEC, .nr = __NR_mprotect };
	for (i = 0, k = 1; i < r->n_v; i++) {
		const struct om_criu_vma_entry *e = r->v[i].e;

		if (r->v[i].ro_fill)
			fin->tab[k++] = (struct om_rst_tramp_op){ .a1 = e->start,
								  .a2 = e->end - e->start,
								  .a3 = e->prot,
								  .nr = __NR_mprotect };
	}
	/* then the advice, in the order criu's restorer gives it */
	for (i = 0; i < r->n_v; i++) {
		const struct om_criu_vma_entry *e = r->v[i].e;
		unsigned int b;

		if (!r->v[i].n_madv)
			continue;
		for (b = 0; b < 64; b++)
			if (e->madv & BIT_ULL(b))
				fin->tab[k++] = (struct om_rst_tramp_op){ .a1 = e->start,
									  .a2 = e->end - e->start,
									  .a3 = b, .nr = __NR_madvise };
	}
	/* last the timers, their values in the data after the table */
	for (i = 0; i < r->n_timers; i++)
		fin->tab[k++] = (struct om_rst_tramp_op){
			.a1 = r->timers[i].a1,
			.a2 = r->timers[i].nr == __NR_setitimer ?
			      fin->tramp + data + i * sizeof(r->timers[0].d) : 0,
			.a3 = r->timers[i].nr == __NR_setitimer ?
			      0 : fin->tramp + data + i * sizeof(r->timers[0].d),
			.nr = r->timers[i].nr };

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		om_reason(r->reason, "no fd for the restore trampoline: %d", fd);
		return fd;
	}
	buf = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	err = -ENOMEM;
	if (!buf)
		goto out_fd;
	memcpy(buf, om_rst_tramp_code, sizeof(om_rst_tramp_code));
	*(u32 *)(buf + OM_RST_TRAMP_FD) = fd;
	*(u32 *)(buf + OM_RST_TRAMP_CMD) = OM_RST_FIN_CMD;
	memcpy(buf + OM_RST_TRAMP_TABLE, fin->tab, fin->n * sizeof(fin->tab[0]));
	for (i = 0; i < r->n_timers; i++)
		memcpy(buf + data + i * sizeof(r->timers[0].d), r->timers[i].d,
		       sizeof(r->timers[0].d));
	err = copy_to_user((void __user *)fin->tramp, buf, size) ? -EFAULT : 0;
	kvfree(buf);
	if (err) {
		om_reason(r->reason, "cannot write the restore trampoline");
		goto out_fd;
	}
	f = anon_inode_getfile("[om-restore]", &om_rst_fin_fops, fin, O_RDWR);
	if (IS_ERR(f)) {
		err = PTR_ERR(f);
		om_reason(r->reason, "no file for the restore trampoline: %d", err);
		goto out_fd;
	}
	fd_install(fd, f);
	regs->ip = fin->tramp;
	regs->sp = fin->sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->orig_ax = -1;
	return 0;
out_fd:
	put_unused_fd(fd);
	return err;
}

/* ---------------------------------------------------------------- commit */

static long om_rst_commit(struct om_rst *r, struct file *dev)
{
	struct om_rst_fin *fin = NULL;
	unsigned long sp;
	int pdeath = current->pdeath_signal;
	bool stop = r->core.tc->task_state == OM_CRIU_TASK_STOPPED;
	sigset_t all;
	int err;

	r->committed = true;
	/* SIGKILL and SIGSTOP stay deliverable: a stuck restore can be killed */
	sigfillset(&all);
	sigdelsetmask(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* from here on, everything runs as the image's user */
	commit_creds(r->cred);
	r->cred = NULL;
	current->pdeath_signal = pdeath;
	/* the caller's rseq area and robust list die with its memory */
	current->rseq = NULL;
	current->robust_list = NULL;
	current->clear_child_tid = NULL;

	err = om_rst_unmap_all(r);
	if (err)
		om_reason(r->reason, "cannot unmap the old memory: %d", err);
	if (!err)
		err = om_rst_set_exe(r);
	if (!err)
		err = om_rst_map_all(r);
	if (!err) {
		r->req->vmas = r->n_v;
		err = r->rm ? om_rst_stream(r) : om_rst_fill(r);
	}
	if (!err && !r->rm)
		err = om_rst_fill_shm(r);
	if (!err) {
		om_rst_set_mm(r);
		err = om_rst_sigframe(r, &sp);
		if (err)
			om_reason(r->reason, "cannot write the signal frame below sp");
	}
	if (!err && (r->n_ro || r->n_madv || r->n_timers)) {
		fin = kvzalloc(struct_size(fin, tab, r->n_ro + r->n_madv + r->n_timers + 1),
			       GFP_KERNEL_ACCOUNT);
		if (!fin)
			err = -ENOMEM;
	}
	if (err) {
		kvfree(fin);
		om_rst_status(r, err);
		force_sig(SIGKILL);
		return err;
	}
	if (r->rm)
		atomic64_inc(&om_mig_nstreamed);
	om_rst_set_thread(r);
	if (r->req->dir_fd >= 0)
		close_fd(r->req->dir_fd);
	if (r->req->status_fd >= 0)
		close_fd(r->req->status_fd);
	if (dev)
		om_rst_close_all(dev);
	if (!fin) {
		/* nothing to make read-only, advise or arm: straight into the program */
		err = om_rst_resume(r->syscall_ip, sp, stop);
		om_rst_status(r, 0);
		return err;
	}

	mmgrab(current->mm);
	fin->mm = current->mm;
	fin->status = r->status;	/* the report is the fd's to send now */
	r->status = NULL;
	fin->syscall_ip = r->syscall_ip;
	fin->sp = sp;
	fin->stop = stop;
	fin->vmas = r->req->vmas;
	fin->pages = r->req->pages;
	fin->n = r->n_ro + r->n_madv + r->n_timers + 1;
	err = om_rst_tramp(r, fin);
	if (err) {
		om_rst_report(fin->status, err, fin->vmas, fin->pages, r->reason);
		om_rst_fin_free(fin);
		force_sig(SIGKILL);
		return err;
	}
	return 0;
}

static void om_rst_free(struct om_rst *r)
{
	u32 i;

	for (i = 0; r->v && i < r->n_v; i++)
		if (r->v[i].file)
			fput(r->v[i].file);
	kvfree(r->v);
	if (r->exe) {
		om_exe_allow_write(r->exe);
		fput(r->exe);
	}
	kvfree(r->timers);
	if (r->pages)
		fput(r->pages);
	for (i = 0; i < r->n_shm; i++) {
		if (r->shm[i].pages)
			fput(r->shm[i].pages);
		om_rst_free_list(&om_criu_pagemap_entry_desc, r->shm[i].pm, r->shm[i].n_pm);
	}
	if (r->status)
		fput(r->status);
	om_rst_free_list(&om_criu_file_entry_desc, r->files, r->n_files);
	om_rst_free_list(&om_criu_pagemap_entry_desc, r->pm, r->n_pm);
	om_pb_free(&om_criu_mm_entry_desc, &r->mm);
	om_pb_free(&om_criu_core_entry_desc, &r->core);
	kfree(r->fp);
	kvfree(r->pg);
	kvfree(r->bv);
	for (i = 0; i < r->n_snk; i++)
		kvfree(r->snk[i].run);
	kfree(r->cmp);
	if (r->rm)
		om_in_pgstream_put(r->rm);
	path_put(&r->dir);
	if (r->cred)
		put_cred(r->cred);
}

long om_restore_ioctl(struct file *dev, struct om_restore_req __user *ureq)
{
	struct om_restore_req *req;
	struct om_rst *r;
	struct file *dir;
	u32 size;
	long ret;

	if (get_user(size, &ureq->size))
		return -EFAULT;
	if (size != sizeof(*req))
		return -EINVAL;
	/* a 32-bit process cannot become a 64-bit image (nor the reverse) */
	if (in_compat_syscall())
		return -EOPNOTSUPP;
	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!req || !r)
		goto out_free;
	ret = -EFAULT;
	if (copy_from_user(req, ureq, sizeof(*req)))
		goto out_free;
	ret = -EINVAL;
	if ((req->flags & ~OM_RST_TRUST_IMAGE) || req->dir_fd < 0)
		goto out_free;
	memset(req->reason, 0, sizeof(req->reason));
	req->pid = 0;
	req->vmas = 0;
	req->pages = 0;
	r->req = req;
	r->reason = req->reason;
	r->owner = INVALID_UID;

	dir = fget(req->dir_fd);
	ret = -EBADF;
	if (!dir)
		goto out_free;
	if (!S_ISDIR(file_inode(dir)->i_mode)) {
		fput(dir);
		ret = -ENOTDIR;
		goto out_free;
	}
	r->dir = dir->f_path;
	path_get(&r->dir);
	om_rst_note_owner(r, file_inode(dir), "the image directory");
	fput(dir);
	/* an arriving process whose pages come as it is built */
	r->rm = om_in_pgstream_get();
	if (req->status_fd >= 0) {
		r->status = fget(req->status_fd);
		if (!r->status || !(r->status->f_mode & FMODE_WRITE)) {
			om_reason(r->reason, "status fd is not open for writing");
			ret = -EBADF;
			goto out;
		}
	}
	r->pg = kvmalloc_array(OM_RST_BATCH, sizeof(*r->pg), GFP_KERNEL_ACCOUNT);
	r->bv = kvmalloc_array(OM_RST_BATCH, sizeof(*r->bv), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!r->pg || !r->bv)
		goto out;

	ret = om_rst_prepare(r);
	req->pid = r->pid;
	if (!ret)
		ret = om_rst_commit(r, dev);
out:
	req->reason[sizeof(req->reason) - 1] = 0;
	if (ret < 0 && req->reason[0])
		pr_debug("restore: %s (%ld)\n", req->reason, ret);
	/* after a successful commit ureq is the restored program's memory */
	if (!r->committed && copy_to_user(ureq, req, sizeof(*req)))
		ret = -EFAULT;
	om_rst_free(r);
	kfree(r);
	kfree(req);
	return ret;
out_free:
	kfree(r);
	kfree(req);
	return ret;
}

/*
 * The signal state omctl sets for a normal restore (rst_signals()): the
 * deputy's own actions are its stub's, so the image's come back here,
 * and the signals pending at the remote are queued again.
 */
static void om_rst_deputy_signals(struct om_rst *r)
{
	const struct om_criu_task_core_entry *tc = r->core.tc;
	const struct om_criu_thread_core_entry *th = r->core.thread_core;
	const struct om_criu_signal_queue_entry *q[2] = {
		tc->signals_s, th ? th->signals_p : NULL };
	struct sighand_struct *sh = current->sighand;
	unsigned int i, sig, k;

	spin_lock_irq(&sh->siglock);
	for (i = 0, sig = 1; i < tc->n_sigactions && sig <= _NSIG; sig++) {
		const struct om_criu_sa_entry *sa;
		struct k_sigaction *ka = &sh->action[sig - 1];

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		sa = &tc->sigactions[i++];
		ka->sa.sa_handler = (__sighandler_t)(unsigned long)sa->sigaction;
		ka->sa.sa_flags = sa->flags & (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO |
					       SA_ONSTACK | SA_RESTART | SA_NODEFER |
					       SA_RESETHAND | SA_RESTORER);
		ka->sa.sa_restorer = (__sigrestore_t)(unsigned long)sa->restorer;
		ka->sa.sa_mask.sig[0] = sa->mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	}
	spin_unlock_irq(&sh->siglock);
	for (k = 0; k < 2; k++) {
		for (i = 0; q[k] && i < q[k]->n_signals; i++) {
			const struct om_pb_bytes *b = &q[k]->signals[i].siginfo;
			kernel_siginfo_t info;

			if (b->len != OM_SIGINFO_SIZE)
				continue;	/* checked with the core */
			memcpy(&info, b->data, sizeof(info));
			if (info.si_signo < 1 || info.si_signo > _NSIG)
				continue;
			send_sig_info(info.si_signo, &info, current);
		}
	}
}

/*
 * The deputy takes its process back (om_deputy.c): the image the kernel
 * received into @dir (read with @src_cred) replaces current's memory and
 * registers; current keeps its files, fs, ids and the rest it kept while
 * the process was away.  Returns what the system call the deputy is in
 * returns (the registers are set), or a negative errno with @reason
 * before the point of no return; after it, a failure kills current.
 */
long om_restore_deputy(const struct path *dir, const struct cred *src_cred, char *reason)
{
	struct om_restore_req *req;
	struct om_rst *r;
	long ret = -ENOMEM;

	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!req || !r)
		goto out_free;
	req->size = sizeof(*req);
	req->flags = OM_RST_TRUST_IMAGE;
	req->dir_fd = -1;
	req->status_fd = -1;
	r->req = req;
	r->reason = req->reason;
	r->owner = INVALID_UID;
	r->dir = *dir;
	path_get(&r->dir);
	r->src_cred = src_cred;
	r->deputy = true;
	r->pg = kvmalloc_array(OM_RST_BATCH, sizeof(*r->pg), GFP_KERNEL_ACCOUNT);
	r->bv = kvmalloc_array(OM_RST_BATCH, sizeof(*r->bv), GFP_KERNEL_ACCOUNT);
	if (r->pg && r->bv)
		ret = om_rst_prepare(r);
	if (!ret)
		ret = om_rst_timens_wait(r);
	if (!ret) {
		om_rst_deputy_signals(r);
		ret = om_rst_commit(r, NULL);
	}
	strscpy(reason, req->reason, OM_CKPT_REASON_LEN);
	om_rst_free(r);
out_free:
	kfree(r);
	kfree(req);
	return ret;
}
