/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Migration, internal interfaces (Documentation/migration.md).
 *
 *   om_hook.c      the system call hook: roles (guest, deputy) and the
 *                  ftrace redirect of __secure_computing()
 *   om_mig.c       sessions: the messages of one migration between its
 *                  home node and its remote, going out, coming in
 *   om_mig_out.c   home: freeze, stream the image, become the deputy
 *   om_mig_in.c    remote: receive the image, start the guest
 *   om_deputy.c    home: the deputy serves its guest's system calls
 *   om_guest.c     remote: the guest's system calls, local or forwarded
 *
 * A session is refcounted; the table of sessions, keyed by id, holds
 * one reference until the session ends.  Frames reach a session from
 * the transport's receive thread (om_mig_rx), which never blocks on a
 * process: it queues them for the session's task.
 */
#ifndef _OM_MIGRATE_H
#define _OM_MIGRATE_H

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/atomic.h>
#include <linux/timekeeping.h>
#include <asm/unistd.h>

#include "om_ckpt.h"
#include "om_mig.h"
#include "om_systab.h"
#include "om_siglog.h"

struct pt_regs;
struct notifier_block;

/* ---- om_hook.c ---- */

struct om_role_ops {
	/* every 64-bit system call of the task: 0 = run it, -1 = done */
	int (*syscall)(void *ctx, struct pt_regs *regs);
	/* an int $0x80 (32-bit) call of the task */
	int (*compat)(void *ctx, struct pt_regs *regs);
	/* the task exited while it had the role (process context) */
	void (*exited)(void *ctx);
	/*
	 * The task is about to stop by a SIGSTOP that @info describes (in
	 * its own context, in get_signal(), siglock held: atomic); may be
	 * NULL
	 */
	void (*stopping)(void *ctx, const kernel_siginfo_t *info);
};

int om_role_set(const struct om_role_ops *ops, void *ctx, char *reason);
void om_role_clear(void);
bool om_role_of(struct task_struct *t);
void *om_role_ctx(struct task_struct *t, const struct om_role_ops *ops);
unsigned int om_role_grab(struct task_struct *t, const struct om_role_ops *ops,
			  void (*get)(void *ctx, void *arg), void *arg);
extern struct workqueue_struct *om_mig_wq;
int om_hook_init(void);
void om_hook_exit(void);

/* ---- om_session.c ---- */

struct om_sess;

struct om_sess_ops {
	/*
	 * A decoded frame for this session, in the receive thread: 0 when
	 * handled, -EAGAIN to queue it for the session's task, another
	 * error ends the session (the peer gets an ABORT).
	 */
	int (*rx)(struct om_sess *s, const struct om_mig_msg *m);
	/* a frame was queued (e.g. to interrupt the deputy); may be NULL */
	void (*queued)(struct om_sess *s, u8 type);
	/* the session ended (out of the table), process context; may be NULL */
	void (*ended)(struct om_sess *s);
	/* the last reference is gone; may be NULL */
	void (*release)(struct om_sess *s);
};

struct om_sess_frame {
	struct list_head list;
	u8 type;
	u32 len;
	u8 data[];
};

struct om_sess {
	struct kref ref;
	struct hlist_node hnode;
	bool hashed;			/* under om_sessions_lock */
	u64 id;
	u16 peer;
	bool home;			/* this node is the process's home */
	const struct om_sess_ops *ops;
	spinlock_t lock;
	wait_queue_head_t wq;		/* frames, answers, the end */
	struct list_head rxq;		/* struct om_sess_frame, for the task */
	unsigned int rxq_len;
	size_t rxq_bytes;		/* their payloads */
	bool dead;
	int err;
	char reason[OM_CKPT_REASON_LEN];
	u32 n_images;			/* images sent (om_sess_stream) */
	u8 poll_miss;			/* the task's last waits that outlasted fwd_poll_us */
	void *priv;			/* the side's own state */
};

struct om_sess_down {
	struct work_struct work;
	u16 peer;
	bool removed;
};

struct om_sess *om_sess_new(u16 peer, u64 id, const struct om_sess_ops *ops);
struct om_sess *om_sess_find(u16 peer, u64 id);
struct om_sess *om_sess_find_id(u64 id);
struct om_sess *om_sess_get(struct om_sess *s);
void om_sess_put(struct om_sess *s);
unsigned int om_sess_count(bool home);
void om_sess_end(struct om_sess *s, int err, const char *reason);
int om_sess_send(struct om_sess *s, struct om_mig_msg *m);
int om_sess_send_why(struct om_sess *s, u8 type, int err, u32 pid, const char *why);
int om_sess_stream(void *ctx, const char *name, u64 off, const void *buf,
		   size_t len, bool last);
struct bio_vec;
int om_sess_stream_pages(void *ctx, const char *name, u64 off,
			 const struct bio_vec *bv, unsigned int n);
int om_sess_commit(struct om_sess *s, u64 bytes, const u64 *sig_seq);
int om_sess_prepare(void *ctx, u64 bytes);
struct om_sess_frame *om_sess_dequeue(struct om_sess *s);
bool om_sess_has_frames(struct om_sess *s);
int om_sess_wait(struct om_sess *s, u64 *woken);
int om_session_init(void);
void om_session_exit(void);

/*
 * ---- om_fwd_time.c: where a forwarded call's time goes (fwd_timing) ----
 *
 * While /sys/kernel/openmosix/fwd_timing is 1, each forwarded call takes
 * a ktime_get_ns() at fixed marks, on the guest's side and the deputy's,
 * and the stages between consecutive marks (and the whole) are summed
 * per stage (fwd_stages/).  While it is 0 nothing is stamped.
 */
enum {
	OM_FT_G_ENTRY,		/* the guest: the hook's entry (om_guest_syscall) */
	OM_FT_G_SENT,		/* the request's sendmsg returned */
	OM_FT_G_WOKEN,		/* the guest waiting for the reply last woke */
	OM_FT_G_REPLY,		/* the reply taken and decoded */
	OM_FT_G_RET,		/* back to the hook's return to user mode */
	OM_FT_G_MARKS,
};

enum {
	OM_FT_D_WOKEN,		/* the deputy waiting for a request last woke */
	OM_FT_D_SET,		/* its registers set for the call */
	OM_FT_D_DONE,		/* the stub's next wait call: the call returned */
	OM_FT_D_SENT,		/* the reply's sendmsg returned */
	OM_FT_D_MARKS,
};

/* One call's marks: ktime_get_ns(), 0 where not taken */
struct om_ft_call {
	u64 t[OM_FT_G_MARKS];
	unsigned int gen;	/* om_ft_gen when it began (a reset drops it) */
};

extern int om_ft_enabled;
extern atomic_t om_ft_gen;

static inline bool om_ft_on(void)
{
	return READ_ONCE(om_ft_enabled);
}

/* A call begins with its first mark @t0 (0: not timed) */
static inline void om_ft_begin(struct om_ft_call *c, u64 t0)
{
	if (!t0)
		return;
	memset(c, 0, sizeof(*c));
	c->t[0] = t0;
	c->gen = atomic_read(&om_ft_gen);
}

/* Mark @i of a call that began timed */
static inline void om_ft_mark(struct om_ft_call *c, unsigned int i)
{
	if (c->t[0])
		c->t[i] = ktime_get_ns();
}

/* Where om_sess_wait() puts its wake-up time as mark @i: NULL if not timed */
static inline u64 *om_ft_wake_slot(struct om_ft_call *c, unsigned int i)
{
	return c->t[0] ? &c->t[i] : NULL;
}

/* The call's last mark: its stages summed if every mark was taken; cleared */
void om_ft_guest_end(struct om_ft_call *c);
void om_ft_dep_end(struct om_ft_call *c);
/* A SYSREQ or SYSREP queued for its task: read by the task itself or not */
void om_ft_frame(bool claimed);
/* A task's wait that its polling ended (fwd_poll_us): no sleep, no wake-up */
void om_ft_polled(void);
int om_ft_init(void);
void om_ft_exit(void);

/* ---- om_imgrx.c ---- */

#define OM_IN_OPEN	4	/* images received at the same time */

struct om_in_file {
	struct file *file;
	char name[OM_MIG_NAME_MAX + 1];
	u64 pos;
};

/* om_imgrx.c: an image coming in */
struct om_imgrx {
	struct vfsmount *mnt;		/* a tmpfs mounted nowhere */
	const struct cred *cred;	/* who wrote it (read it with these) */
	struct om_in_file open[OM_IN_OPEN];
	u32 n_images;
	u32 n_pages;			/* of them pages-N.img */
	u64 bytes, max_bytes;
};

/*
 * After PREPARE, the page data (pages-N.img) are not written into the
 * tmpfs: each chunk is queued for the restoring guest, which writes it
 * into its own memory (om_restore.c) and frees it.  A queued chunk
 * counts against the limit of all images being received (om_rx_held)
 * until it is freed; every byte that came counts against the image's
 * max_bytes, as the tmpfs's do.
 */
#define OM_PGRX_MAX_IMG	(1 + OM_CRIU_MAX_SHMEM)

struct om_pgchunk {
	struct list_head list;
	u32 id;				/* pages-<id>.img */
	u64 off;
	u32 len;
	u8 data[];
};

struct om_pgrx_img {
	u32 id;
	u64 pos;			/* where the next chunk starts */
	bool done;			/* its LAST chunk came */
};

struct om_pgrx {
	spinlock_t lock;		/* q, complete, closed */
	wait_queue_head_t wq;		/* the restorer: a chunk, the COMMIT, the end */
	struct list_head q;		/* struct om_pgchunk not taken yet */
	bool on;			/* PREPARE came: pages go here */
	bool complete;			/* COMMIT came and matched */
	bool closed;			/* the session ended: nothing more comes */
	/* the receive thread's, under the session's remote lock */
	struct om_pgrx_img img[OM_PGRX_MAX_IMG];
	u32 n_img, n_done;
	u64 bytes;			/* page data received in all */
	u64 cost;			/* and with the chunks' headers (max_bytes) */
};

int om_imgrx_start(struct om_imgrx *rx, u64 estimate);
int om_imgrx_chunk(struct om_imgrx *rx, const struct om_mig_img *im);
int om_imgrx_commit(struct om_imgrx *rx, const struct om_mig_commit *c);
void om_imgrx_root(struct om_imgrx *rx, struct path *p);
void om_imgrx_stop(struct om_imgrx *rx);
u64 om_imgrx_room(void);
void om_pgrx_init(struct om_pgrx *pg);
int om_pgrx_prepare(struct om_pgrx *pg, struct om_imgrx *rx, const struct om_mig_commit *c);
int om_pgrx_chunk(struct om_pgrx *pg, struct om_imgrx *rx, const struct om_mig_img *im);
int om_pgrx_commit(struct om_pgrx *pg, const struct om_imgrx *rx, const struct om_mig_commit *c);
int om_pgrx_take(struct om_pgrx *pg, struct om_pgchunk **ch);
void om_pgrx_free(struct om_pgchunk *ch);
void om_pgrx_stop(struct om_pgrx *pg);

/* ---- om_mig_out.c, om_deputy.c (home side) ---- */

enum om_home_state {
	OM_HS_OFFERED,		/* OFFER sent, waiting for ACCEPT */
	OM_HS_SENDING,		/* accepted: the image is being sent */
	OM_HS_COMMITTED,	/* COMMIT sent, waiting for DONE */
	OM_HS_DONE,		/* it runs there; the task becomes the deputy */
	OM_HS_DEPUTY,
	OM_HS_HOME,		/* it came back: the task is the process again */
};

#define OM_DEP_MAX_INTERNAL	35	/* 3 itimers + 32 POSIX timers */

struct om_dep_internal {
	u32 nr;
	u64 args[6];
};

/* The home side of a session: the migration out, then the deputy. */
struct om_home {
	struct om_sess *s;
	struct task_struct *task;	/* a reference, until the session's release */
	pid_t pid;
	int state;			/* enum om_home_state */
	int acc_err, done_err;
	u32 remote_pid;
	u32 n_images;
	char peer_reason[OM_MIG_REASON_MAX + 1];
	/* the deputy (its own context only, but phase/seq for cancel) */
	unsigned long stub, stack_top, scratch;
	int phase;
	u64 seq, cancel_seq;
	struct om_sys_plan plan;
	u8 *outbuf;			/* OM_MIG_MAX_IO: a reply's data */
	bool restore_handlers;
	struct om_dep_internal internal[OM_DEP_MAX_INTERNAL];
	unsigned int n_internal, next_internal;
	struct callback_head cancel_tw;
	atomic_t cancel_queued;
	/* coming back: the image (receive thread), then the deputy restores */
	struct mutex rx_lock;
	struct om_imgrx rx;
	bool rx_committed;
	u64 out_bytes;			/* the image it left with */
	bool pgstream;			/* its target takes PREPARE (OM_WIRE_FEAT_MIG_PGSTREAM) */
	struct om_ft_call ft;		/* the call served (fwd_timing; its own context) */
	/* the call being served asked for a DFSA record (om_dfsa.c) */
	bool dfsa_ask;
	bool dfsa_stat;			/* and the record's dev (fstat there) */
	bool dfsa_dir;			/* and a directory's (getdents64 there) */
	u8 dfsa_fh[OM_MIG_DFSA_FH_MAX];	/* the record's handle */
	/* the DFSA view of path calls it keeps its remote told of (om_dfsa_view.c) */
	struct om_dfsa_vh *dview;
	/*
	 * Numbered signals, when its remote announced OM_WIRE_FEAT_MIG_SIGSEQ
	 * (the deputy's own context): the last SIGNAL's number, what was
	 * forwarded (the remote may not have given it to the process before
	 * the process left for home), the COMMIT's last one it did give
	 */
	bool sigseq;
	u64 sig_seq;
	struct om_siglog *siglog;
	bool has_sig_taken;
	u64 sig_taken;
	struct work_struct stop_work;	/* a SIGSTOP to forward (om_dep_stopping) */
};

void om_mig_event(struct om_home *h, u8 event, const char *reason);
long om_mig_out_ioctl(struct om_migrate_req __user *ureq);
int om_mig_out_task(struct task_struct *t, struct om_migrate_req *req,
		    const struct om_mig_bal *bal, bool *evsent, bool *refused);

/* ---- om_bal.c: the automatic balancer ---- */
int om_bal_init(void);
void om_bal_exit(void);
void om_bal_counts(unsigned long *moves, unsigned long *homes, unsigned long *failed,
		   unsigned long *refused);
void om_deputy_enter(struct om_home *h, const struct om_ckpt_state *st);
void om_dep_cancel(struct om_home *h, u64 seq);
void om_dep_stop_work(struct work_struct *w);
struct om_home *om_deputy_of(struct task_struct *t);
const struct om_role_ops *om_deputy_role(void);

/* ---- om_expel.c ---- */

struct om_cluster_req;
long om_expel_ioctl(struct om_cluster_req __user *ureq);

/* ---- om_mig_in.c, om_guest.c (remote side) ---- */

enum om_remote_state {
	OM_RS_RECEIVING,	/* accepted: image chunks come in */
	OM_RS_COMMITTED,	/* complete: the keeper is being started */
	OM_RS_CLAIMED,		/* the keeper has the image directory */
	OM_RS_ATTACHED,		/* the keeper's child restores it */
	OM_RS_RUNNING,		/* the guest runs */
	OM_RS_HOMEBOUND,	/* it is being sent home */
	OM_RS_ENDED,
};

/* The remote side of a session: the arriving process, then the guest. */
struct om_remote {
	struct om_sess *s;
	struct mutex lock;
	int state;			/* enum om_remote_state */
	struct om_imgrx rx;		/* the image coming in */
	struct om_pgrx pg;		/* after PREPARE: its page data */
	bool pg_taken;			/* a restore took them (om_in_pgstream_get) */
	u32 home_pid;
	struct om_mig_policy pol;	/* the OFFER's: the process's at home */
	struct task_struct *keeper, *guest;	/* references */
	bool exited;
	unsigned int stops_from_home;	/* SIGSTOPs its home sent */
	struct callback_head home_tw;	/* GOHOME: in the guest's context */
	atomic_t home_queued;
	bool home_done;			/* DONE from home came */
	int home_err;
	char home_reason[OM_MIG_REASON_MAX + 1];
	struct work_struct start;	/* the keeper */
	struct delayed_work timeout;	/* at deadline: no chunk, or no keeper */
	unsigned long deadline;		/* jiffies; under lock */
	/* the guest's forwarded calls (its own context only) */
	u64 seq;
	struct om_ft_call ft;		/* the call forwarded (fwd_timing) */
	atomic64_t nfwd;		/* calls forwarded so far (the balancer) */
	u32 arr_load;			/* in om_in_arriving until it runs (xchg) */
	int arriving;			/* in om_in_count until it runs (xchg) */
	struct om_sys_req rq;
	u8 *reqbuf;			/* OM_MIG_MAX_IO */
	struct om_sys_copy *copies;	/* OM_SYS_MAX_COPIES */
	struct om_dfsa *dfsa;		/* its DFSA fds (om_dfsa.c); NULL: none yet */
	/* the DFSA view from home (om_dfsa_path.c): RCU, replaced under lock */
	struct om_dfsa_rview __rcu *dview;
	u32 dview_gen;			/* the last view's; under lock */
	char *pathbuf;			/* PATH_MAX: a path call's name (the guest's) */
	char *pathbuf2;			/* PATH_MAX: its second name, a symlink's target */
	char *cwdbuf;			/* PATH_MAX: the view's cwd, for a relative name */
	bool mfs_held;			/* it holds MFS's private mount (the guest's) */
	/*
	 * Signals from home: the last numbered one given to the guest, and
	 * those that came while it travels home (given to it if it stays);
	 * under lock
	 */
	u64 sig_taken;
	struct om_siglog *held;
	/*
	 * ktime_get_ns() of the arrival's steps, for the pr_debug line when
	 * it runs (om_guest_go): OFFER, first IMG, COMMIT, the keeper's
	 * OPEN and ATTACH; under lock
	 */
	u64 t_offer, t_img, t_commit, t_open, t_attach;
};

struct om_guest_req;
extern const struct om_role_ops om_guest_role;
void om_mig_in_offer(u16 from, const struct om_mig_msg *m);
void om_in_arrived(struct om_remote *r);
/* arrivals built while their pages came (sysfs mig_streamed) */
extern atomic64_t om_mig_nstreamed;
struct om_remote *om_in_pgstream_get(void);
void om_in_pgstream_put(struct om_remote *r);
void om_in_pgstream_fail(struct om_remote *r, int err, const char *why);
void om_mig_caps_init(void);
void om_mig_caps_self(struct om_mig_caps *c);
long om_guest_ioctl(struct file *dev, struct om_guest_req __user *ureq);
void om_guest_keeper_gone(struct file *dev);
bool om_guest_nfwd(struct task_struct *t, u64 *n);
int om_guest_ask_home(struct task_struct *t);
void om_guest_go(void);
int om_guest_signal(struct om_remote *r, const struct om_mig_signal *sg);
int om_guest_status(struct om_remote *r, int st);
int om_guest_gohome(struct om_remote *r);
int om_guest_home_done(struct om_remote *r, const struct om_mig_done *d);
/* A call forwarded for the guest itself (DFSA's lseek), OM_MIG_SYSF_* xflags: its result */
long om_guest_forward_call(struct om_remote *r, u32 nr, const u64 args[6], u32 xflags);

/* ---- om_dfsa.c: the guest's I/O on MFS files, here (its own context) ---- */

struct om_dfsa;
int om_dfsa_init(void);
void om_dfsa_exit(void);
void om_dfsa_count_fwd(void);
/* The calls that open a file, which a DFSA record may answer (both ends) */
static inline bool om_dfsa_open_nr(u32 nr)
{
	return nr == __NR_open || nr == __NR_openat || nr == __NR_openat2 || nr == __NR_creat;
}
/* Ask for a DFSA record in this forwarded call (an open, with room)? */
bool om_dfsa_want(struct om_remote *r, u32 nr);
/* The forwarded open returned fd with a DFSA record: serve it here */
void om_dfsa_opened(struct om_remote *r, long fd, const struct om_mig_dfsa *d);
bool om_dfsa_serve(struct om_remote *r, u32 nr, const u64 args[6], long *ret);
void om_dfsa_before_forward(struct om_remote *r, u32 nr, const u64 args[6]);
void om_dfsa_hand_back(struct om_remote *r);
void om_dfsa_free(struct om_remote *r);
/* a path call under the view: served here (true), or forwarded after all */
void om_dfsa_count(bool served);
struct kstat;
struct stat;
int om_dfsa_put_stat(struct stat __user *ubuf, const struct kstat *st, u32 dev);

/* ---- om_dfsa_path.c: the remote, path calls under the DFSA view ---- */

struct om_dfsa_rview;
/* DFSA_VIEW from home (receive thread) */
int om_dfsa_view_rx(struct om_remote *r, const struct om_mig_dfsa_view *v);
/* The path calls that may be answered here */
bool om_dfsa_path_nr(u32 nr);
/* One of them: answered here (true, *ret), or to be forwarded */
bool om_dfsa_path_serve(struct om_remote *r, u32 nr, const u64 args[6], long *ret);
/* The remote's end (its release): the view, the buffers, the mount */
void om_dfsa_path_free(struct om_remote *r);
/* A forwarded umask() set home's: the guest's own too (its served mkdir) */
void om_dfsa_umask(u32 mask);

/* ---- om_dfsa_view.c: home, the DFSA view of path calls ---- */

struct om_dfsa_vh;
int om_dfsa_view_init(void);
void om_dfsa_view_exit(void);
/* The deputy's context, its role set: tell the remote, now and on changes */
void om_dfsa_view_start(struct om_home *h);
/* Its context (or its exit), before the role's session reference goes */
void om_dfsa_view_stop(struct om_home *h);
/* Its context, after a call it made for the remote: its credentials changed? */
void om_dfsa_view_recheck(struct om_home *h);

#endif /* _OM_MIGRATE_H */
