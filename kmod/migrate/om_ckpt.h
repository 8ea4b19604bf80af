/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Checkpoint engine, internal interfaces.
 *
 *   om_ckpt_dev.c    /dev/openmosix, OM_IOC_CHECKPOINT: permission, flow
 *   om_cantmove.c    refusal reasons, checked before anything changes
 *   om_freeze.c      task_work based freeze/park/thaw of the target
 *   om_dump.c        capture in the target's context; core/pstree/ids/
 *                    timens/inventory images
 *   om_dump_mm.c     VMAs, mm-PID.img, pagemap-PID.img + pages-1.img,
 *                    pagemap-shmem-N.img + pages-M.img (shared anonymous)
 *   om_ckpt_files.c  file table: files.img, fdinfo-N.img, fs-PID.img,
 *                    pipes-data.img, fifo-data.img, tty-info.img
 *   om_ckpt_anon.c   eventfd, signalfd, timerfd, epoll: their state
 *   om_ckpt_img.c    image output (one file per image in a directory)
 *   om_restore.c     OM_IOC_RESTORE: the caller becomes the imaged process
 *
 * Lock order: the target's mmap_lock is only taken by the checkpointer
 * (never while an image file is written), task_lock -> files->file_lock
 * in the pre-check, siglock alone.
 */
#ifndef _OM_CKPT_H
#define _OM_CKPT_H

#include <linux/types.h>
#include <linux/time64.h>
#include <linux/path.h>
#include <linux/signal.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/kref.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/task_work.h>
#include <asm/ptrace.h>
#include <asm/desc_defs.h>
#include <asm/segment.h>

#include "om_criu.h"
#include "openmosix.h"

/* The task's ids in our images; criu's own ("root_ids") are all 1. */
#define OM_CKPT_KOBJ_ID		2
#define OM_CKPT_PAGES_ID	1
#define OM_CKPT_MAX_FDS		4096
#define OM_CKPT_MAX_SIGQ	4096
#define OM_SIGINFO_SIZE		128

struct om_home;
struct bio_vec;

struct om_ckpt_fd {
	struct file *file;
	unsigned int fd;
	bool cloexec;
};

/* An epoll entry as the epoll's fdinfo shows it. */
struct om_ckpt_epitem {
	u32 tfd, events;
	u64 data;
	long long pos;
	unsigned long ino;
	u32 sdev;
};

struct om_ckpt_tfd {
	int clockid;
	u32 flags;		/* settime flags */
	u64 ticks, vsec, vnsec, isec, insec;
};

/* An eventfd, signalfd, timerfd or epoll of the process (om_ckpt_anon.c). */
struct om_ckpt_anon {
	struct file *file;	/* a reference of om_ckpt_state.fds[] */
	u32 type;		/* OM_CRIU_FD_EVENTFD ... */
	u32 fd;			/* its first fd, for reasons */
	union {
		struct {
			u64 count;
			bool sem;
		} efd;
		u64 sigmask;
		struct om_ckpt_tfd tfd;
		struct {
			struct om_ckpt_epitem *items;
			u32 n;
		} ep;
	};
};

/* Everything captured in the target's own context. */
struct om_ckpt_state {
	struct pt_regs regs;
	u64 fs_base, gs_base;
	u16 fsindex, gsindex, ds, es;
	void *xstate;			/* NT_X86_XSTATE (or FXSAVE) layout */
	int xstate_len;
	bool has_xsave;
	struct desc_struct tls[GDT_ENTRY_TLS_ENTRIES];
	u64 clear_tid;

	sigset_t blocked;
	struct k_sigaction action[_NSIG];
	u8 (*sigp)[OM_SIGINFO_SIZE];	/* private pending siginfos */
	u8 (*sigs)[OM_SIGINFO_SIZE];	/* shared pending siginfos */
	unsigned int n_sigp, n_sigs;
	unsigned long sas_sp;
	size_t sas_size;
	unsigned int sas_flags;

	const struct cred *cred;
	struct rlimit rlim[RLIM_NLIMITS];
	unsigned int personality, pf_flags;
	char comm[TASK_COMM_LEN];
	int nice;
	unsigned int policy, rt_prio, pdeath;
	u64 robust_list;
	u64 rseq;
	u32 rseq_len, rseq_sig;
	int oom_score_adj;
	u32 loginuid;
	bool child_subreaper;
	bool stopped;			/* task_state STOPPED in the image */
	unsigned int cm;		/* OM_CM_* of the freeze */
	struct path want_root;		/* the freeze's exp.root, no reference */
	struct om_criu_itimer_entry itimer_real, itimer_virt, itimer_prof;
	struct om_criu_posix_timer_entry *ptimers;	/* timer_create()d */
	unsigned int n_ptimers;
	/* its time namespace's offsets: timens-0.img is its own view */
	struct timespec64 tns_mono, tns_boot;

	unsigned int umask;
	struct path cwd, root;
	struct om_ckpt_fd *fds;
	unsigned int n_fds;
	struct om_ckpt_anon *anon;	/* one per open file description */
	unsigned int n_anon;
	struct mm_struct *mm;		/* mmget() reference */
	struct file *exe;
};

enum om_freeze_state {
	OM_FZ_QUEUED,		/* task_work queued, not run yet */
	OM_FZ_FROZEN,		/* parked in om_freeze_park() */
	OM_FZ_REFUSED,		/* the callback refused (reason set) */
	OM_FZ_EXITED,		/* the target exited before freezing */
	OM_FZ_ABANDONED,	/* the checkpointer gave up waiting */
};

enum om_freeze_verdict {
	OM_FV_NONE,
	OM_FV_RESUME,
	OM_FV_KILL,
	OM_FV_DEPUTY,		/* migrated: stay as its deputy (om_deputy.c) */
};

/*
 * What the checkpointer's permission was decided on (om_ckpt_dev.c); the
 * target compares it with itself at the freeze point.
 */
struct om_freeze_expect {
	const struct mm_struct *mm;	/* compared, never dereferenced */
	u64 exec_id;
	const struct cred *cred;	/* a reference, put with the freeze */
	int dumpable;
	unsigned int cm;		/* OM_CM_*: what is imaged */
	struct path root;		/* OM_CM_MIGRATE: the root the target must have */
};

struct om_freeze {
	struct kref ref;
	struct list_head abandoned;	/* on om_freeze_abandoned */
	struct om_freeze_expect exp;
	struct callback_head twork;
	struct task_struct *task;
	struct completion frozen;
	wait_queue_head_t wq;
	spinlock_t lock;
	int state;
	int verdict;
	bool killed;		/* a fatal signal woke it before the verdict */
	bool was_stopped;	/* job-control stopped: continued to freeze */
	int err;
	char reason[OM_CKPT_REASON_LEN];
	struct om_home *deputy;	/* OM_FV_DEPUTY: what it becomes */
	struct om_ckpt_state st;
};

/*
 * Output: image files in a directory, or (migration) each image's bytes
 * handed to @stream in order, @last on the image's end; with
 * @stream_pages, page contents (om_img_pages) go to it from the pages
 * instead, in the same order, @off their offset in the image.  With
 * @pages_last (a stream only) the page data (pages-N.img) come after
 * every other image, each pagemap whole before them: the target can
 * build the process while they come (Documentation/migration.md, "The
 * migration stream's order").  @prepared, if set (pages_last), is
 * called between the two with the bytes sent so far: a target that
 * takes them builds the process while the pages come.
 */
struct om_ckpt_out {
	struct path dir;
	u64 bytes;
	int err;
	char *reason;		/* OM_CKPT_REASON_LEN */
	int (*stream)(void *ctx, const char *name, u64 off, const void *buf,
		      size_t len, bool last);
	int (*stream_pages)(void *ctx, const char *name, u64 off,
			    const struct bio_vec *bv, unsigned int n);
	int (*prepared)(void *ctx, u64 bytes);
	void *stream_ctx;
	bool pages_last;
};

#define OM_IMG_NAME_LEN	64

struct om_img {
	struct om_ckpt_out *out;
	struct file *file;
	char name[OM_IMG_NAME_LEN];
	loff_t pos;
	u8 *buf;
	struct om_pb_bufsink bs;
	struct om_pb_sink sink;
};

/* A file the images refer to by id (files.img). */
struct om_ckpt_fent {
	struct path path;
	struct file *file;	/* NULL for cwd/root/exe/mapped files */
	u32 id;
	u32 type;		/* OM_CRIU_FD_* */
	u32 flags;
	u64 pos;
	u32 tty_info_id;
	/*
	 * Pipes and named FIFOs whose every end is in the image: the first
	 * entry carries the contents; for a FIFO also what it looked like
	 * then (its ends, ours, and where its data was), compared before
	 * the checkpoint completes (om_ckpt_files_recheck()).
	 */
	bool pipe_own;
	bool pipe_data;		/* this entry carries the pipe's data */
	u8 *pipe_buf;
	u32 pipe_bytes, pipe_size;
	unsigned int pipe_r, pipe_w, pipe_head, pipe_tail;
	/*
	 * A deleted regular file (ghost file): ghost-file-<ghost_id>.img,
	 * shared by the entries on one inode; the first of them holds a
	 * reader opened with the checkpointer's credentials, the size and
	 * mtime it had when the table was made
	 */
	u32 ghost_id;
	bool ghost_first;
	struct file *ghost_rd;
	u64 ghost_size;
	struct timespec64 ghost_mtime;
};

struct om_ckpt_ftab {
	struct om_ckpt_fent *ent;
	unsigned int n, cap;
	u32 next_id;
	u32 exe_id, cwd_id, root_id;
	bool has_tty;
	u32 n_ghosts;
};

struct om_mm_walk;

/* The whole checkpoint of one process. */
struct om_ckpt {
	struct om_freeze *fz;
	struct task_struct *task;
	pid_t pid, pgid, sid;
	struct om_ckpt_out out;
	struct om_ckpt_ftab ftab;
	u64 pages;
	u32 n_vmas;
	struct om_mm_walk *mm_walk;	/* pages_last: what om_dump_mm_pages() sends */
};

/*
 * What an image is for.  A migration leaves the file table, the
 * children, cwd and the rest of the process's home state with its
 * deputy, so only its memory, CPU and signal state travel, and open
 * files of any kind do not refuse it.
 */
#define OM_CM_MIGRATE	0x1

/* om_cantmove.c: 0 or -errno with a reason; t must not be current */
int om_cantmove_task(struct task_struct *t, unsigned int cm, char *reason);
/* the same checks for a process view: t may be current, never blocks on its mm */
int om_cantmove_view(struct task_struct *t, unsigned int cm, char *reason);
int om_cantmove_current(unsigned int cm, char *reason);
int om_cantmove_vma(struct vm_area_struct *vma, unsigned int cm, char *reason);
bool om_vma_is_shanon(struct vm_area_struct *vma);
int om_cantmove_file(struct file *f, unsigned int fd, char *reason);
int om_cantmove_fifos(const struct om_ckpt_fd *fds, unsigned int n, char *reason);
/* terminals (criu's shell-job) and deleted open files (ghost files) */
#define OM_TTY_MAX_PTY_INDEX	1000	/* criu: MAX_PTY_INDEX */
struct tty_struct;
bool om_is_tty_dev(dev_t dev);
struct tty_struct *om_file_tty(struct file *f);
int om_cantmove_ttys(const struct om_ckpt_fd *fds, unsigned int n, char *reason);
bool om_is_ghost(struct file *f);
int om_cantmove_ghosts(const struct om_ckpt_fd *fds, unsigned int n, char *reason);
void om_reason(char *reason, const char *fmt, ...) __printf(2, 3);

/* om_freeze.c */
struct om_freeze *om_freeze_task(struct task_struct *t, struct om_freeze_expect *exp,
				  char *reason, int *err);
bool om_task_stopped(struct task_struct *t);
void om_freeze_release(struct om_freeze *fz, int verdict);
int om_freeze_init(void);
void om_freeze_exit(void);

/* om_dump.c */
int om_dump_capture(struct om_ckpt_state *st, char *reason);
void om_dump_release(struct om_ckpt_state *st);
int om_dump_write_core(struct om_ckpt *c);
int om_dump_write_task(struct om_ckpt *c);

/* om_dump_mm.c */
int om_dump_mm(struct om_ckpt *c);
int om_dump_mm_pages(struct om_ckpt *c);
void om_dump_mm_drop(struct om_ckpt *c);

/* om_ckpt_files.c */
int om_ckpt_ftab_add_path(struct om_ckpt *c, const struct path *p, u32 *id);
int om_ckpt_files_collect(struct om_ckpt *c);
int om_ckpt_files_write(struct om_ckpt *c);
int om_ckpt_files_recheck(struct om_ckpt *c);
void om_ckpt_ftab_free(struct om_ckpt_ftab *t);

/* om_ckpt_anon.c */
u32 om_anon_type(const struct file *f);
int om_ckpt_anon_capture(struct om_ckpt_state *st, char *reason);
void om_ckpt_anon_release(struct om_ckpt_state *st);
const struct om_ckpt_anon *om_ckpt_anon_of(const struct om_ckpt_state *st,
					   const struct file *f);
int om_ckpt_anon_write(struct om_pb_sink *sink, const struct om_ckpt_anon *a, u32 id,
		       u32 flags);

/* om_ckpt_img.c */
int om_img_open(struct om_ckpt_out *out, struct om_img *img,
		const char *fmt, ...) __printf(3, 4);
int om_img_raw(struct om_img *img, const void *buf, size_t len);
struct bio_vec;
int om_img_pages(struct om_img *img, struct bio_vec *bv, unsigned int n);
int om_img_close(struct om_img *img, int err);
int om_img_single(struct om_ckpt_out *out, enum om_criu_img type,
		  const char *name, const void *msg);

/* om_restore.c */
long om_restore_ioctl(struct file *dev, struct om_restore_req __user *ureq);
long om_restore_deputy(const struct path *dir, const struct cred *src_cred, char *reason);
bool om_rst_in_trampoline(void);

/* om_ckpt_dev.c */
int om_ckpt_permitted(struct task_struct *t, int mem_fd,
		      struct om_freeze_expect *exp, char *reason);
int om_ckpt_expect_task(struct task_struct *t, struct om_freeze_expect *exp, char *reason);
void *om_ioc_req_in(const void __user *ureq, size_t size);
int om_ckpt_write(struct om_ckpt *c);
int om_ckpt_dev_init(void);
void om_ckpt_dev_exit(void);

#endif /* _OM_CKPT_H */
