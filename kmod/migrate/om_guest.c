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
 * messages and are queued to it with their siginfo.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <asm/syscall.h>

#include "om_migrate.h"
#include "om_node.h"
#include "om_ptab.h"

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
			    m->type == OM_MIG_SYSREP && m->sysrep.seq == seq)
				return f;
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
		if (wait_event_interruptible(s->wq, om_sess_has_frames(s) ||
					     READ_ONCE(s->dead))) {
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

static long om_guest_forward(struct om_remote *r, const struct om_sys_desc *d,
			     u32 nr, const u64 args[6])
{
	struct om_sys_copy *cp = r->copies;
	struct om_sys_buf rb[OM_MIG_MAX_BUFS];
	struct om_mig_msg m = { .type = OM_MIG_SYSREQ };
	struct om_sess_frame *f;
	struct om_mig_msg rep;
	long ret;
	int i, n, err;

	for (;;) {
		err = om_sys_marshal(d, args, &om_guest_umem, &r->rq, r->reqbuf, OM_MIG_MAX_IO);
		if (err == OM_SYS_GO_HOME)
			return -ENOSYS;	/* not yet: the process cannot go home */
		if (err)
			return err;
		m.sysreq.seq = ++r->seq;
		m.sysreq.nr = nr;
		m.sysreq.flags = 0;
		memcpy(m.sysreq.args, r->rq.args, sizeof(m.sysreq.args));
		om_guest_bufs_out(&r->rq, &m.sysreq);
		err = om_sess_send(r->s, &m);
		if (err)
			goto lost;
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

static int om_guest_syscall(void *ctx, struct pt_regs *regs)
{
	struct om_remote *r = ctx;
	const struct om_sys_desc *d = NULL;
	unsigned long nr = regs->orig_ax;
	u64 args[6];
	long ret;

	if (READ_ONCE(r->state) != OM_RS_RUNNING)
		return 0;	/* the keeper's child, restoring it */
	syscall_get_arguments(current, regs, (unsigned long *)args);
	switch (om_sys_classify(nr, args, &d)) {
	case OM_SYS_LOCAL:
		return 0;
	case OM_SYS_FORWARD:
		ret = om_guest_forward(r, d, nr, args);
		break;
	default:
		/* bringing it home first is the next step; never run it here */
		pr_info_ratelimited("guest %d (%s): system call %lu needs its home: not available yet\n",
				    task_pid_nr(current), current->comm, nr);
		ret = -ENOSYS;
		break;
	}
	syscall_set_return_value(current, regs, ret < 0 ? (int)ret : 0, ret);
	return -1;
}

static int om_guest_compat(void *ctx, struct pt_regs *regs)
{
	struct om_remote *r = ctx;

	if (READ_ONCE(r->state) != OM_RS_RUNNING)
		return 0;
	/* 32-bit calls have other numbers: none is run here */
	syscall_set_return_value(current, regs, -ENOSYS, 0);
	return -1;
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

	st->where = OM_PTAB_HERE;
	st->home = r->s->peer;
	st->home_pid = r->home_pid;
	st->guest = true;
	st->nmigs++;
	st->left_ns = ktime_get_ns();
	return 0;
}

void om_guest_go(void)
{
	struct om_remote *r = om_role_ctx(current, &om_guest_role);

	if (!r)
		return;
	mutex_lock(&r->lock);
	r->state = OM_RS_RUNNING;
	mutex_unlock(&r->lock);
	om_ptab_update(current, om_guest_arrived, r);
	om_sess_send_why(r->s, OM_MIG_DONE, 0, task_pid_nr(current), NULL);
	om_mig_notify_task(OM_MEV_GUEST_IN, current, NULL);
}

/* SIGNAL from home (receive thread): queue it to the guest. */
int om_guest_signal(struct om_remote *r, const struct om_mig_signal *sg)
{
	kernel_siginfo_t info;
	int sig;

	memcpy(&info, sg->info, sizeof(info));
	sig = info.si_signo;
	if (sig < 1 || sig > _NSIG || sig == SIGKILL)
		return -EPROTO;
	mutex_lock(&r->lock);
	if (r->state != OM_RS_RUNNING || r->exited) {
		mutex_unlock(&r->lock);
		return 0;
	}
	if (sig == SIGSTOP)
		r->stops_from_home++;
	send_sig_info(sig, &info, r->guest);
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
