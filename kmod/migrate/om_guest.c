// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The guest: a migrated process at its remote.  Each of its system calls
 * comes here (om_hook.c) and is, by the table (common/om_systab.h), run
 * here (LOCAL), sent to its deputy at home (FORWARD: its buffers go with
 * the request, the results come back into its memory), or needs the
 * process at home (HOME).  A signal that interrupts a forwarded call
 * sends a CANCEL; the deputy answers what the call did, and a restart
 * code is kept only while a signal is pending here, so the kernel
 * restarts the call or fails it with EINTR by the process's own
 * SA_RESTART (a call cut short by a signal the process ignores is
 * simply sent again).  Signals sent to its home PID arrive as SIGNAL
 * messages and are queued to it with their siginfo; while it travels
 * home they are held, and given to it if it stays.  The last numbered
 * one it was given goes home in the COMMIT: its home queues the later
 * ones itself (om_deputy.c).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/fs_struct.h>
#include <linux/task_work.h>
#include <asm/syscall.h>

#include "om_migrate.h"
#include "om_node.h"
#include "om_ptab.h"
#include "om_transport.h"

static int om_guest_copy_from(void *ctx, void *dst, u64 uaddr, size_t n)
{
	return copy_from_user(dst, (const void __user *)uaddr, n) ? -EFAULT : 0;
}

static long om_guest_strnlen(void *ctx, u64 uaddr, long n)
{
	return strnlen_user((const char __user *)uaddr, n);
}

static const struct om_sys_umem om_guest_umem = {
	.copy_from = om_guest_copy_from,
	.strnlen = om_guest_strnlen,
};

/* Wait for the reply to @seq; a signal sends one CANCEL. */
static struct om_sess_frame *om_guest_wait_reply(struct om_remote *r, u64 seq,
						 struct om_mig_msg *m)
{
	struct om_sess *s = r->s;
	struct om_sess_frame *f;
	bool cancelled = false;

	for (;;) {
		while ((f = om_sess_dequeue(s))) {
			if (!om_mig_decode(f->type, f->data, f->len, m) &&
			    m->type == OM_MIG_SYSREP && m->sysrep.seq == seq) {
				om_ft_mark(&r->ft, OM_FT_G_REPLY);
				/* there before the wait: no wake-up of its own */
				if (!r->ft.t[OM_FT_G_WOKEN])
					r->ft.t[OM_FT_G_WOKEN] = r->ft.t[OM_FT_G_REPLY];
				return f;
			}
			kvfree(f);	/* a stale reply (cancelled call) */
		}
		if (READ_ONCE(s->dead))
			return NULL;
		if (cancelled || fatal_signal_pending(current)) {
			if (wait_event_killable(s->wq, om_sess_has_frames(s) ||
						READ_ONCE(s->dead)))
				return NULL;
			continue;
		}
		if (om_sess_wait(s, om_ft_wake_slot(&r->ft, OM_FT_G_WOKEN))) {
			struct om_mig_msg c = { .type = OM_MIG_CANCEL };

			c.cancel.seq = seq;
			om_sess_send(s, &c);
			cancelled = true;
		}
	}
}

/* systab request buffers -> message buffers (INOUT data goes both ways) */
static void om_guest_bufs_out(const struct om_sys_req *rq, struct om_mig_sysreq *q)
{
	unsigned int i;

	q->nbuf = rq->nbuf;
	for (i = 0; i < rq->nbuf; i++) {
		q->buf[i].arg = rq->buf[i].arg;
		q->buf[i].dir = rq->buf[i].dir;
		q->buf[i].niov = rq->buf[i].niov;
		q->buf[i].len = rq->buf[i].len;
		q->buf[i].data = rq->buf[i].data;
	}
}

/*
 * Forward a call and return its result.  *home: it cannot be forwarded
 * (its buffers do not fit a request) and must be made at home; the
 * result is then meaningless (a flag, not a value: any value may be a
 * call's result).
 */
static long om_guest_forward(struct om_remote *r, const struct om_sys_desc *d,
			     u32 nr, const u64 args[6], u32 xflags, bool *home)
{
	struct om_sys_copy *cp = r->copies;
	struct om_sys_buf rb[OM_MIG_MAX_BUFS];
	struct om_mig_msg m = { .type = OM_MIG_SYSREQ };
	struct om_sess_frame *f;
	struct om_mig_msg rep;
	long ret;
	int i, n, err;

	*home = false;
	atomic64_inc(&r->nfwd);
	om_dfsa_count_fwd();
	for (;;) {
		err = om_sys_marshal(d, args, &om_guest_umem, &r->rq, r->reqbuf, OM_MIG_MAX_IO);
		if (err == OM_SYS_GO_HOME) {
			*home = true;	/* too big to forward: made at home */
			return 0;
		}
		if (err)
			return err;
		m.sysreq.seq = ++r->seq;
		m.sysreq.nr = nr;
		m.sysreq.flags = xflags | (om_dfsa_want(r, nr) ?
					   OM_MIG_SYSF_DFSA | OM_MIG_SYSF_DFSA_STAT |
					   OM_MIG_SYSF_DFSA_DIR : 0);
		memcpy(m.sysreq.args, r->rq.args, sizeof(m.sysreq.args));
		om_guest_bufs_out(&r->rq, &m.sysreq);
		err = om_sess_send(r->s, &m);
		if (err)
			goto lost;
		if (r->ft.t[0]) {
			/* (again, after a restart: the marks after it too) */
			r->ft.t[OM_FT_G_SENT] = ktime_get_ns();
			r->ft.t[OM_FT_G_WOKEN] = 0;
			r->ft.t[OM_FT_G_REPLY] = 0;
		}
		f = om_guest_wait_reply(r, m.sysreq.seq, &rep);
		if (!f) {
			if (READ_ONCE(r->s->dead))
				goto lost;
			return -EINTR;	/* killed while waiting */
		}
		for (i = 0; i < rep.sysrep.nbuf; i++) {
			rb[i].arg = rep.sysrep.buf[i].arg;
			rb[i].dir = OM_SYS_OUT;
			rb[i].niov = 0;
			rb[i].len = rep.sysrep.buf[i].len;
			rb[i].data = rep.sysrep.buf[i].data;
		}
		ret = rep.sysrep.ret;
		n = om_sys_unmarshal_reply(&r->rq, ret, rb, rep.sysrep.nbuf, cp,
					   OM_SYS_MAX_COPIES);
		/* a DFSA record only for an open that asked for one */
		if (!om_mig_dfsa_asked(m.sysreq.flags, &rep.sysrep))
			n = -EPROTO;
		if (n < 0) {
			kvfree(f);
			pr_warn_ratelimited("guest %d: a reply that does not match its call %u\n",
					    task_pid_nr(current), nr);
			return -EIO;
		}
		for (i = 0; i < n; i++) {
			if (copy_to_user((void __user *)cp[i].uaddr, cp[i].src, cp[i].len)) {
				ret = -EFAULT;
				break;
			}
		}
		if (rep.sysrep.has_dfsa && ret >= 0)
			om_dfsa_opened(r, ret, &rep.sysrep.dfsa);
		kvfree(f);
		switch (ret) {
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
		case -ERESTARTNOHAND:
			if (signal_pending(current))
				return ret;
			continue;	/* nothing here to be interrupted by: again */
		case -ERESTART_RESTARTBLOCK:
			return -EINTR;	/* its restart block is at home */
		}
		return ret;
	}
lost:
	/* the home is gone: the process cannot go on */
	send_sig(SIGKILL, current, 1);
	return -EIO;
}

long om_guest_forward_call(struct om_remote *r, u32 nr, const u64 args[6], u32 xflags)
{
	const struct om_sys_desc *d = NULL;
	bool home;
	long ret;

	if (om_sys_classify(nr, args, &d) != OM_SYS_FORWARD)
		return -EINVAL;
	ret = om_guest_forward(r, d, nr, args, xflags, &home);
	return home ? -EINVAL : ret;
}

/* Give a signal from home to the guest (under lock) */
static void om_guest_give(struct om_remote *r, kernel_siginfo_t *info, u64 seq)
{
	if (info->si_signo == SIGSTOP)
		r->stops_from_home++;
	/*
	 * a SIGSTOP it has not stopped by yet (it waited in a forwarded
	 * call) goes with this SIGCONT: no stop of it will be reported
	 */
	if (info->si_signo == SIGCONT && !om_task_stopped(r->guest))
		r->stops_from_home = 0;
	send_sig_info(info->si_signo, info, r->guest);
	if (seq > r->sig_taken)
		r->sig_taken = seq;
}

/*
 * The trip home ended (under lock): if it stays, what came from home
 * meanwhile is its own now; if it went, its home queues what it numbered
 * there (a home without numbers cannot: those are lost).
 */
static void om_guest_held_end(struct om_remote *r, bool went, bool home_numbers)
{
	const struct om_siglog_ent *e;
	kernel_siginfo_t info;
	u32 pos = 0;

	if (!r->held)
		return;
	while ((e = om_siglog_next(r->held, &pos, 0))) {
		memcpy(&info, e->info, sizeof(info));
		if (!went)
			om_guest_give(r, &info, e->seq);
		else if (!home_numbers && info.si_signo != SIGSTOP)
			pr_info_ratelimited("process %u of node %u: signal %d from home lost: it was on its way home\n",
					    r->home_pid, r->s->peer, info.si_signo);
	}
	if (r->held->ndropped && !went)
		pr_info_ratelimited("process %u of node %u: %u real-time signals from home lost: more than %d came while it tried to go home\n",
				    r->home_pid, r->s->peer, r->held->ndropped, OM_SIGLOG_RT_MAX);
	om_siglog_init(r->held);
}

/*
 * Send the process home, in its own context (a system call the table
 * keeps at home, or its home asked): the image goes over the session as
 * it left, the deputy takes it back and answers DONE.  0: it runs at
 * home now, and this task must die quietly; else the reason.
 */
static int om_guest_send_home(struct om_remote *r, char *reason)
{
	struct om_freeze *fz;
	struct om_ckpt *c;
	struct path root;
	u64 taken;
	u32 f = 0;
	bool numbers;
	int err;

	/* its home queues what it numbered after the COMMIT's (om_deputy.c) */
	numbers = !om_transport_peer_features(r->s->peer, &f) &&
		  (f & OM_WIRE_FEAT_MIG_SIGSEQ);
	/* the positions of its DFSA fds first: home goes on from them */
	if (READ_ONCE(r->state) == OM_RS_RUNNING)
		om_dfsa_hand_back(r);
	mutex_lock(&r->lock);
	if (r->state != OM_RS_RUNNING) {
		mutex_unlock(&r->lock);
		om_reason(reason, "already on its way");
		return -EBUSY;
	}
	r->state = OM_RS_HOMEBOUND;
	r->home_done = false;
	mutex_unlock(&r->lock);

	fz = kzalloc(sizeof(*fz), GFP_KERNEL);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	err = -ENOMEM;
	if (!fz || !c)
		goto out;
	fz->st.cm = OM_CM_MIGRATE;
	get_fs_root(current->fs, &root);
	fz->st.want_root = root;
	err = om_dump_capture(&fz->st, reason);
	path_put(&root);
	if (!err) {
		c->fz = fz;
		c->task = current;
		c->pid = r->home_pid;
		c->pgid = r->home_pid;
		c->sid = r->home_pid;
		c->out.reason = reason;
		c->out.stream = om_sess_stream;
		c->out.stream_pages = om_sess_stream_pages;
		c->out.pages_last = true;	/* any receiver takes any order */
		c->out.stream_ctx = r->s;
		r->s->n_images = 0;
		err = om_ckpt_write(c);
		om_ckpt_ftab_free(&c->ftab);
	}
	if (!err) {
		/* final: from HOMEBOUND on, signals from home are held */
		mutex_lock(&r->lock);
		taken = r->sig_taken;
		mutex_unlock(&r->lock);
		err = om_sess_commit(r->s, c->out.bytes, numbers ? &taken : NULL);
	}
	if (!err) {
		long t = wait_event_killable_timeout(r->s->wq, READ_ONCE(r->home_done) ||
						     READ_ONCE(r->s->dead), 120 * HZ);

		if (t < 0)
			err = -EINTR;
		else if (READ_ONCE(r->home_done))
			err = r->home_err;
		else
			err = READ_ONCE(r->s->dead) ? -ECONNABORTED : -ETIMEDOUT;
		if (err)
			om_reason(reason, "its home did not take it back (%d)%s%.100s", err,
				  r->home_reason[0] ? ": " : "", r->home_reason);
	}
out:
	if (fz)
		om_dump_release(&fz->st);
	kfree(fz);
	kfree(c);
	mutex_lock(&r->lock);
	r->state = err ? OM_RS_RUNNING : OM_RS_ENDED;
	om_guest_held_end(r, !err, numbers);
	mutex_unlock(&r->lock);
	if (!err)
		om_sess_end(r->s, 0, NULL);
	return err;
}

static void om_guest_home_cb(struct callback_head *cb)
{
	struct om_remote *r = container_of(cb, struct om_remote, home_tw);
	char reason[OM_CKPT_REASON_LEN] = "";

	atomic_set(&r->home_queued, 0);
	if (!(current->flags & PF_EXITING) && !fatal_signal_pending(current)) {
		if (!om_guest_send_home(r, reason))
			send_sig(SIGKILL, current, 1);	/* it runs at home */
		else
			pr_info("guest %d stays: %s\n", task_pid_nr(current), reason);
	}
	om_sess_put(r->s);
}

/* GOHOME (receive thread): catch the guest at a safe point. */
int om_guest_gohome(struct om_remote *r)
{
	int err = 0;

	mutex_lock(&r->lock);
	if (r->state != OM_RS_RUNNING || r->exited || atomic_xchg(&r->home_queued, 1)) {
		mutex_unlock(&r->lock);
		return 0;
	}
	om_sess_get(r->s);
	init_task_work(&r->home_tw, om_guest_home_cb);
	if (task_work_add(r->guest, &r->home_tw, TWA_SIGNAL)) {
		atomic_set(&r->home_queued, 0);
		err = 1;
	}
	mutex_unlock(&r->lock);
	if (err)
		om_sess_put(r->s);
	return 0;
}

static void om_guest_nfwd_cb(void *ctx, void *arg)
{
	*(u64 *)arg = atomic64_read(&((struct om_remote *)ctx)->nfwd);
}

/* The calls t, a guest here, forwarded so far; false if t is none.  Any context. */
bool om_guest_nfwd(struct task_struct *t, u64 *n)
{
	return om_role_grab(t, &om_guest_role, om_guest_nfwd_cb, n) == 1;
}

static void om_guest_sess_cb(void *ctx, void *arg)
{
	*(struct om_sess **)arg = om_sess_get(((struct om_remote *)ctx)->s);
}

/* The balancer: send t, a guest here, home (as its home's GOHOME would). */
int om_guest_ask_home(struct task_struct *t)
{
	struct om_sess *s = NULL;

	if (om_role_grab(t, &om_guest_role, om_guest_sess_cb, &s) != 1 || !s)
		return -ESRCH;
	om_guest_gohome(s->priv);
	om_sess_put(s);
	return 0;
}

/* DONE from home while it goes back (receive thread). */
int om_guest_home_done(struct om_remote *r, const struct om_mig_done *d)
{
	if (READ_ONCE(r->state) != OM_RS_HOMEBOUND)
		return -EPROTO;
	snprintf(r->home_reason, sizeof(r->home_reason), "%.*s", (int)d->reason.len,
		 d->reason.s);
	r->home_err = d->err;
	WRITE_ONCE(r->home_done, true);
	wake_up_all(&r->s->wq);
	return 0;
}

/*
 * A call made at home: the process goes home and makes it again there
 * (both "syscall" and "int $0x80" are two bytes long).  This task ends:
 * its process runs at home now, or cannot run anywhere.
 */
static int om_guest_call_home(struct om_remote *r, struct pt_regs *regs)
{
	char reason[OM_CKPT_REASON_LEN] = "";
	unsigned long nr = regs->orig_ax;

	regs->ax = regs->orig_ax;
	regs->ip -= 2;
	if (om_guest_send_home(r, reason))
		pr_warn("guest %d (%s): system call %lu needs its home, which it cannot reach: %s; killed\n",
			task_pid_nr(current), current->comm, nr, reason);
	send_sig(SIGKILL, current, 1);
	return -1;
}

static int om_guest_syscall(void *ctx, struct pt_regs *regs)
{
	struct om_remote *r = ctx;
	const struct om_sys_desc *d = NULL;
	unsigned long nr = regs->orig_ax;
	/* fwd_timing: the entry of what may be a forwarded call */
	u64 t0 = om_ft_on() ? ktime_get_ns() : 0;
	u64 args[6];
	bool home;
	long ret;

	if (READ_ONCE(r->state) != OM_RS_RUNNING)
		return 0;	/* the keeper's child, restoring it */
	syscall_get_arguments(current, regs, (unsigned long *)args);
	switch (om_sys_classify(nr, args, &d)) {
	case OM_SYS_LOCAL:
		return 0;
	case OM_SYS_FORWARD:
		/* DFSA: served here, or its fds handed back before forwarding */
		if (om_dfsa_serve(r, nr, args, &ret))
			break;
		om_dfsa_before_forward(r, nr, args);
		om_ft_begin(&r->ft, t0);
		ret = om_guest_forward(r, d, nr, args, 0, &home);
		if (home) {
			memset(&r->ft, 0, sizeof(r->ft));
			return om_guest_call_home(r, regs);
		}
		/* the mkdir DFSA makes here uses the umask home keeps */
		if (nr == __NR_umask && ret >= 0)
			om_dfsa_umask((u32)args[0]);
		break;
	default:
		/* utime, utimes, futimesat under the DFSA view: here, else at home */
		if (om_dfsa_serve(r, nr, args, &ret))
			break;
		return om_guest_call_home(r, regs);
	}
	syscall_set_return_value(current, regs, ret < 0 ? (int)ret : 0, ret);
	/* a forwarded call that began timed: its stages summed */
	om_ft_guest_end(&r->ft);
	return -1;
}

static int om_guest_compat(void *ctx, struct pt_regs *regs)
{
	struct om_remote *r = ctx;

	if (READ_ONCE(r->state) != OM_RS_RUNNING)
		return 0;
	/* 32-bit calls have other numbers: the table knows none; at home */
	return om_guest_call_home(r, regs);
}

/* Its task ended (the keeper reports how): drop the role's reference. */
static void om_guest_exited(void *ctx)
{
	struct om_remote *r = ctx;

	om_sess_put(r->s);
}

const struct om_role_ops om_guest_role = {
	.syscall = om_guest_syscall,
	.compat = om_guest_compat,
	.exited = om_guest_exited,
};

/*
 * The restore of the keeper's child resumes the program (om_restore.c):
 * it runs now, as the guest.  In that task's context.
 */
static int om_guest_arrived(struct om_pstate *st, void *arg)
{
	struct om_remote *r = arg;
	u64 now = ktime_get_ns(), age;

	st->where = OM_PTAB_HERE;
	st->home = r->s->peer;
	st->home_pid = r->home_pid;
	st->guest = true;
	st->nmigs++;
	st->left_ns = now;
	/*
	 * Its home's lock and hint, as of the OFFER, so that our balancer's
	 * HOME rule obeys them too (the node list is only home's to use)
	 */
	st->locked = r->pol.flags & OM_MIG_POL_LOCKED;
	st->hint = (r->pol.flags & OM_MIG_POL_HINT_IO) ? OM_HINT_IO :
		   (r->pol.flags & OM_MIG_POL_HINT_CPU) ? OM_HINT_CPU : OM_HINT_NONE;
	age = (u64)r->pol.hint_age_ms * NSEC_PER_MSEC;
	st->hint_ns = !st->hint ? 0 : now > age ? now - age : 1;
	return 0;
}

void om_guest_go(void)
{
	struct om_remote *r = om_role_ctx(current, &om_guest_role);
	u64 now = ktime_get_ns();

	if (!r)
		return;
	mutex_lock(&r->lock);
	r->state = OM_RS_RUNNING;
	/* where an arrival's time went (dynamic debug: P1's stages) */
	pr_debug("migration %llx from node %u: %llu bytes; first image chunk %llu us after the offer, image %llu us, keeper started %llu us, attached %llu us, restored %llu us\n",
		 r->s->id, r->s->peer, r->rx.bytes,
		 (r->t_img - r->t_offer) / NSEC_PER_USEC,
		 (r->t_commit - r->t_img) / NSEC_PER_USEC,
		 (r->t_open - r->t_commit) / NSEC_PER_USEC,
		 (r->t_attach - r->t_open) / NSEC_PER_USEC,
		 (now - r->t_attach) / NSEC_PER_USEC);
	/* restored: its image would hold the guest's memory a second time */
	om_imgrx_stop(&r->rx);
	mutex_unlock(&r->lock);
	om_in_arrived(r);	/* the run queue shows it from now on */
	om_ptab_update(current, om_guest_arrived, r);
	om_sess_send_why(r->s, OM_MIG_DONE, 0, task_pid_nr(current), NULL);
	om_mig_notify_task(OM_MEV_GUEST_IN, current, NULL);
}

/*
 * SIGNAL from home (receive thread): queue it to the guest; while it
 * travels home, hold it (migration.md, Signals).
 */
int om_guest_signal(struct om_remote *r, const struct om_mig_signal *sg)
{
	kernel_siginfo_t info;
	int sig;

	memcpy(&info, sg->info, sizeof(info));
	sig = info.si_signo;
	if (sig < 1 || sig > _NSIG || sig == SIGKILL)
		return -EPROTO;
	mutex_lock(&r->lock);
	if (r->state == OM_RS_HOMEBOUND && !r->exited && r->held) {
		/* bounded: a kill loop at home costs a fixed amount here */
		om_siglog_add(r->held, sg->seq, sg->info);
	} else if (r->state == OM_RS_RUNNING && !r->exited) {
		om_guest_give(r, &info, sg->seq);
	}
	mutex_unlock(&r->lock);
	return 0;
}

/* A wait status of the running guest, from its keeper. */
int om_guest_status(struct om_remote *r, int st)
{
	struct om_mig_msg m = { };
	struct om_sess *s = r->s;

	mutex_lock(&r->lock);
	if (r->state != OM_RS_RUNNING || r->exited) {
		mutex_unlock(&r->lock);
		return -EINVAL;
	}
	if ((st & 0xff) == 0x7f) {		/* stopped */
		u32 sig = (st >> 8) & 0xff;

		if (sig == SIGSTOP && r->stops_from_home) {
			/* its home stopped first: it knows */
			r->stops_from_home--;
			mutex_unlock(&r->lock);
			return 0;
		}
		mutex_unlock(&r->lock);
		m.type = OM_MIG_STOPPED;
		m.stopped.sig = sig;
		return om_sess_send(s, &m);
	}
	if (st == 0xffff) {			/* continued */
		mutex_unlock(&r->lock);
		m.type = OM_MIG_STOPPED;
		m.stopped.sig = 0;
		return om_sess_send(s, &m);
	}
	r->exited = true;
	mutex_unlock(&r->lock);
	m.type = OM_MIG_EXIT;
	if ((st & 0x7f) == 0) {
		m.exit.how = OM_MIG_EXITED;
		m.exit.code = (st >> 8) & 0xff;
	} else {
		m.exit.how = OM_MIG_KILLED;
		m.exit.code = st & 0x7f;
		m.exit.core = !!(st & 0x80);
	}
	om_sess_send(s, &m);
	om_sess_end(s, 0, NULL);
	return 0;
}
