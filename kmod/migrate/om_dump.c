// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Task state: captured in the target's own context by the freeze
 * callback (registers with CRIU's restart fix-up, FS/GS base, xstate
 * through the NT_X86_XSTATE regset, TLS, signal state, credentials,
 * rlimits, cwd/root, file descriptors, an mm reference), then encoded by
 * the checkpointer into core-PID.img, pstree.img, ids-PID.img and
 * inventory.img.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/cred.h>
#include <linux/audit.h>
#include <linux/regset.h>
#include <linux/elf.h>
#include <linux/rcupdate.h>
#include <linux/hrtimer.h>
#include <linux/posix-timers.h>
#include <linux/uidgid.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/sched/prio.h>
#include <linux/sched/task_stack.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>
#include <linux/nsproxy.h>
#include <linux/time_namespace.h>
#include <linux/futex.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/processor.h>
#include <asm/desc.h>

#include "om_ckpt.h"

/* ---- capture, in the target's context ---- */

static int om_dump_fpu(struct om_ckpt_state *st, char *reason)
{
	const struct user_regset_view *view = task_user_regset_view(current);
	const struct user_regset *rs = NULL, *fx = NULL;
	void *data = NULL;
	int i, ret;

	for (i = 0; i < view->n; i++) {
		if (view->regsets[i].core_note_type == NT_X86_XSTATE)
			rs = &view->regsets[i];
		else if (view->regsets[i].core_note_type == NT_PRFPREG)
			fx = &view->regsets[i];
	}
	st->has_xsave = rs && (!rs->active || rs->active(current, rs) > 0);
	if (!st->has_xsave)
		rs = fx;
	if (!rs) {
		om_reason(reason, "no FPU register set");
		return -EINVAL;
	}
	ret = regset_get_alloc(current, rs, rs->n * rs->size, &data);
	if (ret < 0) {
		om_reason(reason, "cannot read the FPU state: %d", ret);
		return ret;
	}
	if (ret < (int)sizeof(struct fxregs_state) + (st->has_xsave ? 64 : 0)) {
		kfree(data);
		om_reason(reason, "short FPU state (%d bytes)", ret);
		return -EINVAL;
	}
	st->xstate = data;
	st->xstate_len = ret;
	return 0;
}

/* Copy a sigqueue list (siglock held by the caller's loop). */
static int om_dump_sigq(struct list_head *head, u8 (**out)[OM_SIGINFO_SIZE],
			unsigned int *n)
{
	u8 (*buf)[OM_SIGINFO_SIZE] = NULL;
	unsigned int cap = 0, cnt;
	struct sigqueue *q;

	for (;;) {
		cnt = 0;
		spin_lock_irq(&current->sighand->siglock);
		list_for_each_entry(q, head, list) {
			if (cnt < cap) {
				memset(buf[cnt], 0, OM_SIGINFO_SIZE);
				memcpy(buf[cnt], &q->info, sizeof(q->info));
			}
			cnt++;
		}
		spin_unlock_irq(&current->sighand->siglock);
		if (cnt <= cap)
			break;
		kvfree(buf);
		if (cnt > OM_CKPT_MAX_SIGQ)
			return -E2BIG;
		cap = cnt + 8;
		buf = kvcalloc(cap, OM_SIGINFO_SIZE, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	*out = buf;
	*n = cnt;
	return 0;
}

/*
 * ITIMER_PROF and ITIMER_VIRTUAL as getitimer() reads them: the expiry is
 * in process CPU time (utime + stime, utime), sampled from the thread
 * group's cputimer, which runs while either is armed (get_cpu_itimer(),
 * thread_group_sample_cputime() are not exported).  Siglock held.
 */
static int om_dump_cpu_itimers(struct om_ckpt_state *st, char *reason)
{
	struct signal_struct *sig = current->signal;
	struct task_cputime_atomic *ca = &sig->cputimer.cputime_atomic;
	struct om_criu_itimer_entry *e[2] = {
		[CPUCLOCK_PROF] = &st->itimer_prof, [CPUCLOCK_VIRT] = &st->itimer_virt,
	};
	u64 sample[2];
	int i;

	if (!sig->it[CPUCLOCK_PROF].expires && !sig->it[CPUCLOCK_VIRT].expires) {
		om_criu_itimer_set(e[CPUCLOCK_PROF], 0, sig->it[CPUCLOCK_PROF].incr);
		om_criu_itimer_set(e[CPUCLOCK_VIRT], 0, sig->it[CPUCLOCK_VIRT].incr);
		return 0;
	}
	if (!READ_ONCE(sig->posix_cputimers.timers_active)) {
		om_reason(reason, "ITIMER_PROF/ITIMER_VIRTUAL is armed but its CPU clock is not running");
		return -EBUSY;
	}
	sample[CPUCLOCK_VIRT] = atomic64_read(&ca->utime);
	sample[CPUCLOCK_PROF] = sample[CPUCLOCK_VIRT] + atomic64_read(&ca->stime);
	for (i = 0; i < 2; i++)
		om_criu_itimer_set(e[i], om_criu_cpu_itimer_remaining(sig->it[i].expires,
								      sample[i], TICK_NSEC),
				   sig->it[i].incr);
	return 0;
}

/*
 * One POSIX timer, as timer_gettime() and timer_getoverrun() and
 * /proc/PID/timers would tell criu (common_timer_get() is not exported,
 * and moves the timer): under its it_lock, never inside siglock (the
 * timer's expiry takes it_lock, then siglock).
 */
static int om_dump_posix_timer(struct k_itimer *t, struct om_criu_posix_timer_entry *e,
			       char *reason)
{
	struct hrtimer *hr = &t->it.real.timer;
	unsigned long flags;
	bool none, active;
	const char *bad = NULL;
	u64 value = 0;

	spin_lock_irqsave(&t->it_lock, flags);
	e->it_id = t->it_id;
	e->clock_id = t->it_clock;
	e->it_sigev_notify = t->it_sigev_notify;
	e->si_signo = t->sigq->info.si_signo;
	e->sival_ptr = (unsigned long)t->sigq->info.si_value.sival_ptr;
	/* timer_getoverrun(): the overrun of the last signal delivered */
	e->overrun = t->it_overrun_last > INT_MAX ? INT_MAX : (s32)t->it_overrun_last;
	if (!om_criu_timer_clock_ok(t->it_clock)) {
		bad = "CPU-time and alarm clocks are not supported yet";
	} else if ((u32)t->it_id > OM_CRIU_MAX_TIMER_ID) {
		bad = "its id is too large to be recreated";
	} else if ((t->it_sigev_notify & SIGEV_THREAD_ID) && t->it_pid != task_pid(current)) {
		bad = "its SIGEV_THREAD_ID thread is gone";
	} else {
		none = t->it_sigev_notify == SIGEV_NONE;
		active = t->it_active || (none && !OM_TIMER_NONE_ACTIVE);
		value = om_criu_timer_remaining(hrtimer_get_expires(hr), hrtimer_cb_get_time(hr),
						t->it_interval, active, none,
						t->it_requeue_pending & REQUEUE_PENDING);
		om_criu_posix_timer_set(e, value, t->it_interval);
	}
	spin_unlock_irqrestore(&t->it_lock, flags);
	if (bad) {
		om_reason(reason, "POSIX timer %u on clock %d: %s", e->it_id, (s32)e->clock_id, bad);
		return -EBUSY;
	}
	/* the pid of the image; om_dump_write_core() writes it */
	e->has_notify_thread_id = !!(e->it_sigev_notify & SIGEV_THREAD_ID);
	return 0;
}

/* The process's POSIX timers (timer_create()). */
static int om_dump_posix_timers(struct om_ckpt_state *st, char *reason)
{
	struct signal_struct *sig = current->signal;
	struct k_itimer *t, **tv;
	unsigned int n = 0, i = 0;
	int err = 0;

	/* only this thread, frozen here, creates or deletes them */
	spin_lock_irq(&current->sighand->siglock);
	om_for_each_posix_timer(t, sig)
		n++;
	spin_unlock_irq(&current->sighand->siglock);
	if (!n)
		return 0;
	if (n > OM_CRIU_MAX_POSIX_TIMERS) {
		om_reason(reason, "more than %d POSIX timers", OM_CRIU_MAX_POSIX_TIMERS);
		return -EBUSY;
	}
	tv = kvcalloc(n, sizeof(*tv), GFP_KERNEL);
	st->ptimers = kvcalloc(n, sizeof(*st->ptimers), GFP_KERNEL);
	if (!tv || !st->ptimers) {
		kvfree(tv);
		return -ENOMEM;
	}
	spin_lock_irq(&current->sighand->siglock);
	om_for_each_posix_timer(t, sig)
		if (i < n)
			tv[i++] = t;
	spin_unlock_irq(&current->sighand->siglock);
	for (n = 0; n < i && !err; n++)
		err = om_dump_posix_timer(tv[n], &st->ptimers[n], reason);
	st->n_ptimers = i;
	kvfree(tv);
	return err;
}

static int om_dump_signals(struct om_ckpt_state *st, char *reason)
{
	struct sighand_struct *sh = current->sighand;
	struct signal_struct *sig = current->signal;
	int err;

	spin_lock_irq(&sh->siglock);
	memcpy(st->action, sh->action, sizeof(st->action));
	st->blocked = test_restore_sigmask() ? current->saved_sigmask :
					       current->blocked;
	err = om_dump_cpu_itimers(st, reason);
	if (err) {
		spin_unlock_irq(&sh->siglock);
		return err;
	}
	if (hrtimer_active(&sig->real_timer)) {
		ktime_t rem = hrtimer_get_remaining(&sig->real_timer);
		struct timespec64 v, i = ktime_to_timespec64(sig->it_real_incr);

		if (rem <= 0)
			rem = NSEC_PER_USEC;
		v = ktime_to_timespec64(rem);
		st->itimer_real.vsec = v.tv_sec;
		st->itimer_real.vusec = v.tv_nsec / NSEC_PER_USEC;
		st->itimer_real.isec = i.tv_sec;
		st->itimer_real.iusec = i.tv_nsec / NSEC_PER_USEC;
	}
	st->oom_score_adj = sig->oom_score_adj;
	st->child_subreaper = sig->is_child_subreaper;
	spin_unlock_irq(&sh->siglock);

	st->sas_sp = current->sas_ss_sp;
	st->sas_size = current->sas_ss_size;
	st->sas_flags = current->sas_ss_flags;
	if (!st->sas_size)
		st->sas_flags |= SS_DISABLE;

	err = om_dump_sigq(&current->pending.list, &st->sigp, &st->n_sigp);
	if (!err)
		err = om_dump_sigq(&sig->shared_pending.list, &st->sigs, &st->n_sigs);
	if (err) {
		om_reason(reason, "cannot record pending signals: %d", err);
		return err;
	}
	/* after the signals: a timer firing meanwhile is only a later expiry */
	return om_dump_posix_timers(st, reason);
}

struct om_fdcollect {
	struct om_ckpt_state *st;
	unsigned int cap;
	char *reason;
	int err;
};

/* Under files->file_lock. */
static int om_fdcollect_cb(const void *p, struct file *f, unsigned int fd)
{
	struct om_fdcollect *fc = (struct om_fdcollect *)p;
	struct om_ckpt_state *st = fc->st;
	struct om_ckpt_fd *e;

	fc->err = om_cantmove_file(f, fd, fc->reason);
	if (fc->err)
		return 1;
	if (st->n_fds >= fc->cap)
		return 1;	/* grow and resume from fd */
	e = &st->fds[st->n_fds++];
	e->file = get_file(f);
	e->fd = fd;
	e->cloexec = test_bit(fd, files_fdtable(current->files)->close_on_exec);
	return 0;
}

static int om_dump_fds(struct om_ckpt_state *st, char *reason)
{
	struct om_fdcollect fc = { .st = st, .reason = reason };
	unsigned int from = 0;

	for (;;) {
		struct om_ckpt_fd *nfds;

		if (st->n_fds >= fc.cap) {
			if (fc.cap >= OM_CKPT_MAX_FDS) {
				om_reason(reason, "more than %d open files",
					  OM_CKPT_MAX_FDS);
				return -EMFILE;
			}
			fc.cap = fc.cap ? fc.cap * 4 : 64;
			nfds = kvcalloc(fc.cap, sizeof(*nfds), GFP_KERNEL);
			if (!nfds)
				return -ENOMEM;
			if (st->n_fds)
				memcpy(nfds, st->fds, st->n_fds * sizeof(*nfds));
			kvfree(st->fds);
			st->fds = nfds;
		}
		if (!iterate_fd(current->files, from, om_fdcollect_cb, &fc))
			return 0;
		if (fc.err)
			return fc.err;
		from = st->fds[st->n_fds - 1].fd + 1;
	}
}

int om_dump_capture(struct om_ckpt_state *st, char *reason)
{
	struct task_struct *t = current;
	struct file *exe;
	int err;

	st->regs = *task_pt_regs(t);
	current_save_fsgs();
	st->fs_base = t->thread.fsbase;
	st->gs_base = t->thread.gsbase;
	st->fsindex = t->thread.fsindex;
	st->gsindex = t->thread.gsindex;
	st->ds = t->thread.ds;
	st->es = t->thread.es;
	memcpy(st->tls, t->thread.tls_array, sizeof(st->tls));
	st->clear_tid = (unsigned long)t->clear_child_tid;

	err = om_dump_fpu(st, reason);
	if (err)
		return err;
	err = om_dump_signals(st, reason);
	if (err)
		return err;

	st->cred = get_current_cred();
	task_lock(t->group_leader);
	memcpy(st->rlim, t->signal->rlim, sizeof(st->rlim));
	task_unlock(t->group_leader);
	st->personality = t->personality;
	st->pf_flags = t->flags;
	get_task_comm(st->comm, t);
	st->nice = task_nice(t);
	st->policy = t->policy;
	st->rt_prio = t->rt_priority;
	st->pdeath = t->pdeath_signal;
	st->robust_list = (unsigned long)t->robust_list;
	st->rseq = (unsigned long)t->rseq;
	st->rseq_len = t->rseq ? om_rseq_len(t) : 0;
	st->rseq_sig = t->rseq_sig;
	/* unset is (uid_t)-1, as criu reads it; not the overflow uid */
	st->loginuid = from_kuid(&init_user_ns, audit_get_loginuid(t));

#ifdef CONFIG_TIME_NS
	/* only the task itself may read its nsproxy without task_lock */
	st->tns_mono = t->nsproxy->time_ns->offsets.monotonic;
	st->tns_boot = t->nsproxy->time_ns->offsets.boottime;
#endif

	st->umask = t->fs->umask;
	get_fs_root(t->fs, &st->root);
	if (st->cm & OM_CM_MIGRATE) {
		/*
		 * Files, cwd and the rest stay with the deputy; the guest's
		 * path calls are made at home.  Its mapped files are opened
		 * by path at the remote, which needs the same root.
		 */
		if (!path_equal(&st->root, &st->want_root)) {
			om_reason(reason, "runs in a chroot (not supported for migration yet)");
			return -EBUSY;
		}
		st->cwd = st->root;
		path_get(&st->cwd);
		goto mm;
	}
	get_fs_pwd(t->fs, &st->cwd);

	err = om_dump_fds(st, reason);
	if (!err)
		err = om_cantmove_fifos(st->fds, st->n_fds, reason);
	if (!err)
		err = om_cantmove_ttys(st->fds, st->n_fds, reason);
	if (!err)
		err = om_cantmove_ghosts(st->fds, st->n_fds, reason);
	/* after the refusals: eventfd, signalfd, timerfd and epoll state */
	if (!err)
		err = om_ckpt_anon_capture(st, reason);
	if (err)
		return err;
mm:
	/* only this (frozen) task could replace exe_file */
	rcu_read_lock();
	exe = rcu_dereference(t->mm->exe_file);
	if (exe)
		get_file(exe);
	rcu_read_unlock();
	st->exe = exe;
	mmget(t->mm);
	st->mm = t->mm;
	return 0;
}

void om_dump_release(struct om_ckpt_state *st)
{
	unsigned int i;

	om_ckpt_anon_release(st);
	for (i = 0; i < st->n_fds; i++)
		fput(st->fds[i].file);
	kvfree(st->fds);
	st->fds = NULL;
	st->n_fds = 0;
	if (st->exe)
		fput(st->exe);
	st->exe = NULL;
	if (st->mm)
		mmput(st->mm);
	st->mm = NULL;
	path_put(&st->cwd);
	path_put(&st->root);
	memset(&st->cwd, 0, sizeof(st->cwd));
	memset(&st->root, 0, sizeof(st->root));
	if (st->cred)
		put_cred(st->cred);
	st->cred = NULL;
	kfree(st->xstate);
	st->xstate = NULL;
	kvfree(st->sigp);
	kvfree(st->sigs);
	st->sigp = NULL;
	st->sigs = NULL;
	kvfree(st->ptimers);
	st->ptimers = NULL;
	st->n_ptimers = 0;
}

/* ---- encoding, in the checkpointer's context ---- */

struct om_core_bufs {
	struct om_criu_core_entry core;
	struct om_criu_thread_info_x86 ti;
	struct om_criu_user_x86_regs_entry gp;
	struct om_criu_user_x86_fpregs_entry fp;
	struct om_criu_user_x86_xsave_entry xs;
	struct om_criu_user_desc tls[GDT_ENTRY_TLS_ENTRIES];
	struct om_criu_task_core_entry tc;
	struct om_criu_task_timers_entry timers;
	struct om_criu_task_rlimits_entry rl;
	struct om_criu_rlimit_entry rlim[RLIM_NLIMITS];
	struct om_criu_sa_entry sa[OM_CRIU_NR_SIGACTIONS];
	struct om_criu_signal_queue_entry sqs, sqp;
	struct om_criu_thread_core_entry th;
	struct om_criu_thread_sas_entry sas;
	struct om_criu_creds_entry cr;
	u32 caps[4][OM_CRIU_NR_CAP_WORDS];
	struct om_criu_rseq_entry rseq;
};

static void om_dump_gpregs(struct om_criu_user_x86_regs_entry *gp,
			   const struct om_ckpt_state *st)
{
	const struct pt_regs *r = &st->regs;

	gp->r15 = r->r15;
	gp->r14 = r->r14;
	gp->r13 = r->r13;
	gp->r12 = r->r12;
	gp->bp = r->bp;
	gp->bx = r->bx;
	gp->r11 = r->r11;
	gp->r10 = r->r10;
	gp->r9 = r->r9;
	gp->r8 = r->r8;
	gp->ax = r->ax;
	gp->cx = r->cx;
	gp->dx = r->dx;
	gp->si = r->si;
	gp->di = r->di;
	gp->orig_ax = r->orig_ax;
	gp->ip = r->ip;
	gp->cs = r->cs;
	gp->flags = r->flags;
	gp->sp = r->sp;
	gp->ss = r->ss;
	gp->fs_base = st->fs_base;
	gp->gs_base = st->gs_base;
	gp->ds = st->ds;
	gp->es = st->es;
	gp->fs = st->fsindex;
	gp->gs = st->gsindex;
	gp->has_mode = true;
	gp->mode = OM_CRIU_REGS_NATIVE;
	/* the image holds what restore (sigreturn) must resume with */
	om_criu_x86_fixup_restart(gp);
}

/* Points an xsave component array into the standard-format buffer. */
static void *om_xcomp(const struct om_ckpt_state *st, u64 xcr0, int feat,
		      u32 bytes)
{
	unsigned int eax, ebx, ecx, edx;

	if (!(xcr0 & BIT_ULL(feat)))
		return NULL;
	cpuid_count(0xd, feat, &eax, &ebx, &ecx, &edx);
	if (eax != bytes || ebx < 576 || (u64)ebx + eax > st->xstate_len)
		return NULL;
	return st->xstate + ebx;
}

static void om_dump_fpregs(struct om_core_bufs *b, const struct om_ckpt_state *st)
{
	const struct fxregs_state *fx = st->xstate;
	struct om_criu_user_x86_fpregs_entry *fp = &b->fp;
	struct om_criu_user_x86_xsave_entry *xs = &b->xs;
	u64 xcr0;

	fp->cwd = fx->cwd;
	fp->swd = fx->swd;
	fp->twd = fx->twd;
	fp->fop = fx->fop;
	fp->rip = fx->rip;
	fp->rdp = fx->rdp;
	fp->mxcsr = fx->mxcsr;
	fp->mxcsr_mask = fx->mxcsr_mask;
	fp->st_space = (u32 *)fx->st_space;
	fp->n_st_space = 32;
	fp->xmm_space = (u32 *)fx->xmm_space;
	fp->n_xmm_space = 64;
	if (!st->has_xsave)
		return;

	xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	fp->xsave = xs;
	xs->xstate_bv = *(const u64 *)(st->xstate + 512);
	xs->ymmh_space = om_xcomp(st, xcr0, 2, 256);
	xs->n_ymmh_space = xs->ymmh_space ? 64 : 0;
	xs->opmask_reg = om_xcomp(st, xcr0, 5, 64);
	xs->n_opmask_reg = xs->opmask_reg ? 8 : 0;
	xs->zmm_upper = om_xcomp(st, xcr0, 6, 512);
	xs->n_zmm_upper = xs->zmm_upper ? 64 : 0;
	xs->hi16_zmm = om_xcomp(st, xcr0, 7, 1024);
	xs->n_hi16_zmm = xs->hi16_zmm ? 128 : 0;
	xs->pkru = om_xcomp(st, xcr0, 9, 8);
	xs->n_pkru = xs->pkru ? 2 : 0;
}

/* As fill_user_desc() (arch/x86/kernel/tls.c). */
static void om_dump_tls(struct om_core_bufs *b, const struct om_ckpt_state *st)
{
	int i;

	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		const struct desc_struct *d = &st->tls[i];
		struct om_criu_user_desc *u = &b->tls[i];

		u->entry_number = GDT_ENTRY_TLS_MIN + i;
		u->base_addr = get_desc_base(d);
		u->limit = get_desc_limit(d);
		u->seg_32bit = d->d;
		u->contents_h = (d->type >> 3) & 1;
		u->contents_l = (d->type >> 2) & 1;
		u->read_exec_only = !(d->type & 2);
		u->limit_in_pages = d->g;
		u->seg_not_present = !d->p;
		u->usable = d->avl;
	}
	b->ti.tls = b->tls;
	b->ti.n_tls = GDT_ENTRY_TLS_ENTRIES;
}

static struct om_criu_siginfo_entry *
om_dump_sigq_entries(u8 (*q)[OM_SIGINFO_SIZE], unsigned int n)
{
	struct om_criu_siginfo_entry *e;
	unsigned int i;

	e = kvcalloc(n, sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	for (i = 0; i < n; i++) {
		e[i].siginfo.data = q[i];
		e[i].siginfo.len = OM_SIGINFO_SIZE;
	}
	return e;
}

static int om_dump_creds(struct om_core_bufs *b, const struct cred *c,
			 u32 **groups)
{
	struct user_namespace *ns = current_user_ns();
	struct om_criu_creds_entry *cr = &b->cr;
	const kernel_cap_t *caps[4] = {
		&c->cap_inheritable, &c->cap_permitted,
		&c->cap_effective, &c->cap_bset,
	};
	int i, ng = c->group_info ? c->group_info->ngroups : 0;

	cr->uid = from_kuid_munged(ns, c->uid);
	cr->gid = from_kgid_munged(ns, c->gid);
	cr->euid = from_kuid_munged(ns, c->euid);
	cr->egid = from_kgid_munged(ns, c->egid);
	cr->suid = from_kuid_munged(ns, c->suid);
	cr->sgid = from_kgid_munged(ns, c->sgid);
	cr->fsuid = from_kuid_munged(ns, c->fsuid);
	cr->fsgid = from_kgid_munged(ns, c->fsgid);
	for (i = 0; i < 4; i++) {
		b->caps[i][0] = om_cap_word(*caps[i], 0);
		b->caps[i][1] = om_cap_word(*caps[i], 1);
	}
	cr->cap_inh = b->caps[0];
	cr->cap_prm = b->caps[1];
	cr->cap_eff = b->caps[2];
	cr->cap_bnd = b->caps[3];
	cr->n_cap_inh = cr->n_cap_prm = cr->n_cap_eff = cr->n_cap_bnd =
		OM_CRIU_NR_CAP_WORDS;
	cr->secbits = c->securebits;
	if (ng) {
		*groups = kvcalloc(ng, sizeof(u32), GFP_KERNEL);
		if (!*groups)
			return -ENOMEM;
		for (i = 0; i < ng; i++)
			(*groups)[i] = from_kgid_munged(ns, c->group_info->gid[i]);
		cr->groups = *groups;
		cr->n_groups = ng;
	}
	return 0;
}

static void om_dump_sigactions(struct om_core_bufs *b,
			       const struct om_ckpt_state *st)
{
	int sig, n = 0;

	for (sig = 1; sig <= _NSIG && n < OM_CRIU_NR_SIGACTIONS; sig++) {
		const struct sigaction *sa = &st->action[sig - 1].sa;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		b->sa[n].sigaction = (unsigned long)sa->sa_handler;
		b->sa[n].flags = sa->sa_flags;
		b->sa[n].restorer = (unsigned long)sa->sa_restorer;
		b->sa[n].mask = sa->sa_mask.sig[0];
		n++;
	}
	b->tc.sigactions = b->sa;
	b->tc.n_sigactions = n;
}

int om_dump_write_core(struct om_ckpt *c)
{
	const struct om_ckpt_state *st = &c->fz->st;
	struct om_criu_siginfo_entry *sis = NULL, *sip = NULL;
	struct om_core_bufs *b;
	u32 *groups = NULL;
	char name[32];
	int i, err = -ENOMEM;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->core.mtype = OM_CRIU_MARCH_X86_64;
	b->core.thread_info = &b->ti;
	b->core.tc = &b->tc;
	b->core.thread_core = &b->th;

	b->ti.clear_tid_addr = st->clear_tid;
	b->ti.gpregs = &b->gp;
	b->ti.fpregs = &b->fp;
	om_dump_gpregs(&b->gp, st);
	om_dump_fpregs(b, st);
	om_dump_tls(b, st);

	b->tc.task_state = st->stopped ? OM_CRIU_TASK_STOPPED : OM_CRIU_TASK_ALIVE;
	b->tc.personality = st->personality;
	b->tc.flags = st->pf_flags;
	b->tc.blk_sigset = st->blocked.sig[0];
	b->tc.comm = (char *)st->comm;
	b->tc.timers = &b->timers;
	b->timers.real = (struct om_criu_itimer_entry *)&st->itimer_real;
	b->timers.virt = (struct om_criu_itimer_entry *)&st->itimer_virt;
	b->timers.prof = (struct om_criu_itimer_entry *)&st->itimer_prof;
	b->timers.posix = st->ptimers;
	b->timers.n_posix = st->n_ptimers;
	for (i = 0; i < st->n_ptimers; i++)
		if (st->ptimers[i].has_notify_thread_id)
			st->ptimers[i].notify_thread_id = c->pid;
	b->tc.rlimits = &b->rl;
	for (i = 0; i < RLIM_NLIMITS; i++) {
		b->rlim[i].cur = st->rlim[i].rlim_cur;
		b->rlim[i].max = st->rlim[i].rlim_max;
	}
	b->rl.rlimits = b->rlim;
	b->rl.n_rlimits = RLIM_NLIMITS;
	if (st->n_sigs) {
		sis = om_dump_sigq_entries(st->sigs, st->n_sigs);
		if (!sis)
			goto out;
		b->sqs.signals = sis;
		b->sqs.n_signals = st->n_sigs;
		b->tc.signals_s = &b->sqs;
	}
	b->tc.has_loginuid = true;
	b->tc.loginuid = st->loginuid;
	b->tc.has_oom_score_adj = true;
	b->tc.oom_score_adj = st->oom_score_adj;
	om_dump_sigactions(b, st);
	b->tc.has_child_subreaper = true;
	b->tc.child_subreaper = st->child_subreaper;

	b->th.futex_rla = st->robust_list;
	b->th.futex_rla_len = sizeof(struct robust_list_head);
	b->th.has_sched_nice = true;
	b->th.sched_nice = st->nice;
	b->th.has_sched_policy = true;
	b->th.sched_policy = st->policy;
	b->th.has_sched_prio = true;
	b->th.sched_prio = st->rt_prio;
	b->th.has_blk_sigset = true;
	b->th.blk_sigset = st->blocked.sig[0];
	b->th.sas = &b->sas;
	b->sas.ss_sp = st->sas_sp;
	b->sas.ss_size = st->sas_size;
	b->sas.ss_flags = st->sas_flags;
	if (st->pdeath) {
		b->th.has_pdeath_sig = true;
		b->th.pdeath_sig = st->pdeath;
	}
	if (st->n_sigp) {
		sip = om_dump_sigq_entries(st->sigp, st->n_sigp);
		if (!sip)
			goto out;
		b->sqp.signals = sip;
		b->sqp.n_signals = st->n_sigp;
		b->th.signals_p = &b->sqp;
	}
	err = om_dump_creds(b, st->cred, &groups);
	if (err)
		goto out;
	b->th.creds = &b->cr;
	b->th.has_seccomp_mode = true;
	b->th.seccomp_mode = 0;
	b->th.comm = (char *)st->comm;
	if (st->rseq) {
		b->rseq.rseq_abi_pointer = st->rseq;
		b->rseq.rseq_abi_size = st->rseq_len;
		b->rseq.signature = st->rseq_sig;
		b->th.rseq_entry = &b->rseq;
	}

	snprintf(name, sizeof(name), "core-%d.img", c->pid);
	err = om_img_single(&c->out, OM_CRIU_IMG_CORE, name, &b->core);
	if (err)
		om_reason(c->out.reason, "cannot write %s: %d", name, err);
out:
	kvfree(groups);
	kvfree(sis);
	kvfree(sip);
	kfree(b);
	return err;
}

/*
 * timens-0.img: CLOCK_MONOTONIC and CLOCK_BOOTTIME as the process sees
 * them now (its time namespace's offsets added), sampled as late as we
 * can, after its memory was written.  A migration's keeper makes its
 * clocks go on from there (omctl guest); the deputy waits for them on
 * the way home (om_restore.c).  time_ns_id stays the root's in ids, so
 * criu, as for a task in the root time namespace, ignores the file.
 */
static int om_dump_write_timens(struct om_ckpt *c)
{
	const struct om_ckpt_state *st = &c->fz->st;
	struct om_criu_timespec_entry mono, boot;
	struct om_criu_timens_entry te = { .monotonic = &mono, .boottime = &boot };
	struct timespec64 m, b;

	ktime_get_ts64(&m);
	ktime_get_boottime_ts64(&b);
	m = timespec64_add(m, st->tns_mono);
	b = timespec64_add(b, st->tns_boot);
	/* the kernel keeps a namespace's clocks in [0, KTIME_SEC_MAX / 2] */
	if (m.tv_sec < 0 || b.tv_sec < 0) {
		om_reason(c->out.reason, "the process's clocks read before 0");
		return -ERANGE;
	}
	mono.tv_sec = m.tv_sec;
	mono.tv_nsec = m.tv_nsec;
	boot.tv_sec = b.tv_sec;
	boot.tv_nsec = b.tv_nsec;
	return om_img_single(&c->out, OM_CRIU_IMG_TIMENS, "timens-0.img", &te);
}

/* pstree.img, ids-PID.img, timens-0.img, inventory.img, seccomp.img */
int om_dump_write_task(struct om_ckpt *c)
{
	struct om_criu_task_kobj_ids_entry root = {
		.vm_id = 1, .files_id = 1, .fs_id = 1, .sighand_id = 1,
		.has_pid_ns_id = true, .pid_ns_id = 1,
		.has_net_ns_id = true, .net_ns_id = 2,
		.has_ipc_ns_id = true, .ipc_ns_id = 3,
		.has_uts_ns_id = true, .uts_ns_id = 4,
		.has_time_ns_id = true, .time_ns_id = 5,
		.has_mnt_ns_id = true, .mnt_ns_id = 6,
		.has_user_ns_id = true, .user_ns_id = 7,
		.has_cgroup_ns_id = true, .cgroup_ns_id = 8,
	};
	struct om_criu_task_kobj_ids_entry ids = root;
	struct om_criu_inventory_entry inv = {
		.img_version = OM_CRIU_IMAGES_V1_1,
		.has_fdinfo_per_id = true, .fdinfo_per_id = true,
		.root_ids = &root,
		.has_ns_per_id = true, .ns_per_id = true,
		.has_lsmtype = true, .lsmtype = OM_CRIU_LSM_NONE,
		.has_dump_uptime = true,
		.dump_uptime = div_u64(ktime_get_boottime_ns(), NSEC_PER_USEC),
	};
	u32 tid = c->pid;
	struct om_criu_pstree_entry ps = {
		.pid = c->pid, .ppid = 0, .pgid = c->pgid, .sid = c->sid,
		.threads = &tid, .n_threads = 1,
	};
	struct om_criu_seccomp_entry sc = {};
	char name[32];
	int err;

	ids.vm_id = ids.files_id = ids.fs_id = ids.sighand_id = OM_CKPT_KOBJ_ID;
	err = om_img_single(&c->out, OM_CRIU_IMG_PSTREE, "pstree.img", &ps);
	if (err)
		return err;
	snprintf(name, sizeof(name), "ids-%d.img", c->pid);
	err = om_img_single(&c->out, OM_CRIU_IMG_IDS, name, &ids);
	if (err)
		return err;
	err = om_img_single(&c->out, OM_CRIU_IMG_SECCOMP, "seccomp.img", &sc);
	if (!err)
		err = om_dump_write_timens(c);
	if (err)
		return err;
	/* last: a directory with an inventory is complete */
	return om_img_single(&c->out, OM_CRIU_IMG_INVENTORY, "inventory.img", &inv);
}
