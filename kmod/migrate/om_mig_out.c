// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * OM_IOC_MIGRATE at home: move a process to another node.  In the
 * caller's context (omctl proc migrate): check permission as a checkpoint
 * does (ptrace attach, through the caller's /proc/PID/mem) and that the
 * caller is the process's user, offer it to the target (which checks
 * that it can run it), freeze it, stream its image over the cluster
 * transport (no file is written), wait until the target runs it, then
 * let the frozen task become its deputy (om_deputy.c).  Any failure
 * before that leaves the process running at home with a reason.
 */
#include <linux/module.h>
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/pid.h>
#include <linux/cred.h>
#include <linux/ktime.h>
#include <linux/utsname.h>
#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/mm.h>
#include <asm/cpufeature.h>
#include <asm/fpu/xcr.h>

#include "om_migrate.h"
#include "om_node.h"
#include "om_ptab.h"
#include "om_transport.h"

#define OM_OUT_ACCEPT_TIMEOUT	(10 * HZ)
#define OM_OUT_DONE_TIMEOUT	(120 * HZ)

/* A migration event of the process moving out (the ioctl holds h->task). */
void om_mig_event(struct om_home *h, u8 event, const char *reason)
{
	om_mig_notify_task(event, h->task, reason);
}

static int om_out_moved(struct om_pstate *st, void *arg)
{
	struct om_home *h = arg;

	st->where = h->s->peer;
	st->home = OM_PTAB_HERE;
	st->nmigs++;
	st->left_ns = ktime_get_ns();
	return 0;
}

static u64 om_mig_vdso;

/*
 * A hash (FNV-1a) of this node's vDSO, taken from the mapping of the
 * process that loads the module: every 64-bit process here maps the same
 * bytes.  0 (unknown) if it has none; the restore still compares a
 * process's [vdso] pages with the live ones before it commits.
 */
void om_mig_caps_init(void)
{
	struct mm_struct *mm = current->mm;
	unsigned long start, len = 0, off;
	struct vm_area_struct *vma;
	u64 h = 0xcbf29ce484222325ULL;
	u8 *buf;
	int i;

	if (!mm || !mm->context.vdso || mmap_read_lock_killable(mm))
		return;
	start = (unsigned long)mm->context.vdso;
	vma = find_vma(mm, start);
	if (vma && vma->vm_start == start)
		len = vma->vm_end - start;
	mmap_read_unlock(mm);
	if (!len || len > 16 * PAGE_SIZE)
		return;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return;
	for (off = 0; off < len; off += PAGE_SIZE) {
		if (copy_from_user(buf, (const void __user *)(start + off), PAGE_SIZE))
			goto out;
		for (i = 0; i < PAGE_SIZE; i++) {
			h ^= buf[i];
			h *= 0x100000001b3ULL;
		}
	}
	om_mig_vdso = h ?: 1;
out:
	kfree(buf);
}

/* What this node's CPU and kernel offer (and what a process here may use). */
void om_mig_caps_self(struct om_mig_caps *c)
{
	unsigned int a, b, cx, d;

	memset(c, 0, sizeof(*c));
	c->proto = OM_MIG_PROTO;
	c->kmajor = LINUX_VERSION_CODE >> 16;
	c->kminor = (LINUX_VERSION_CODE >> 8) & 0xff;
	c->vdso = om_mig_vdso;
	cpuid(1, &a, &b, &cx, &d);
	c->cpuid[OM_MIG_CPUID_1_ECX] = cx;
	c->cpuid[OM_MIG_CPUID_1_EDX] = d;
	if (cpuid_eax(0) >= 7) {
		cpuid_count(7, 0, &a, &b, &cx, &d);
		c->cpuid[OM_MIG_CPUID_7_EBX] = b;
		c->cpuid[OM_MIG_CPUID_7_ECX] = cx;
		c->cpuid[OM_MIG_CPUID_7_EDX] = d;
	}
	if (cpuid_eax(0x80000000) >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &cx, &d);
		c->cpuid[OM_MIG_CPUID_81_ECX] = cx;
		c->cpuid[OM_MIG_CPUID_81_EDX] = d;
	}
	if (boot_cpu_has(X86_FEATURE_XSAVE) && cpuid_eax(0) >= 0xd) {
		cpuid_count(0xd, 1, &a, &b, &cx, &d);
		c->cpuid[OM_MIG_CPUID_D1_EAX] = a;
		c->xfeatures = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		cpuid_count(0xd, 0, &a, &b, &cx, &d);
		c->xstate_size = b;
	}
}

/* --------------------------------------------------------- home session */

/*
 * The process comes back: its image, received into a tmpfs of the
 * session's (receive thread); the COMMIT wakes the deputy, which
 * restores it (om_deputy.c).  Also between DONE and the task becoming
 * the deputy: a process whose first call at the remote needs its home
 * (a fork) starts back at once, and the COMMIT waits in the queue for
 * the deputy as its system calls do.
 */
static int om_home_rx_image(struct om_home *h, const struct om_mig_msg *m)
{
	int st = READ_ONCE(h->state);
	int err = 0;

	if (st != OM_HS_DONE && st != OM_HS_DEPUTY)
		return -EPROTO;
	mutex_lock(&h->rx_lock);
	if (h->rx_committed) {
		err = -EPROTO;
	} else if (m->type == OM_MIG_IMG) {
		/* as big as this node could ever take back */
		if (!h->rx.mnt)
			err = om_imgrx_start(&h->rx, (u64)totalram_pages() << (PAGE_SHIFT - 1));
		if (!err)
			err = om_imgrx_chunk(&h->rx, &m->img);
	} else {
		err = om_imgrx_commit(&h->rx, &m->commit);
		if (!err) {
			h->rx_committed = true;
			err = -EAGAIN;	/* the deputy takes it from here */
		}
	}
	mutex_unlock(&h->rx_lock);
	return err;
}

static int om_home_rx(struct om_sess *s, const struct om_mig_msg *m)
{
	struct om_home *h = s->priv;

	if (!h)
		return -EPROTO;
	switch (m->type) {
	case OM_MIG_ACCEPT:
		if (h->state != OM_HS_OFFERED)
			return -EPROTO;
		spin_lock(&s->lock);
		h->acc_err = m->accept.err;
		snprintf(h->peer_reason, sizeof(h->peer_reason), "%.*s",
			 (int)m->accept.reason.len, m->accept.reason.s);
		h->state = OM_HS_SENDING;
		spin_unlock(&s->lock);
		wake_up_all(&s->wq);
		return 0;
	case OM_MIG_DONE:
		if (h->state != OM_HS_COMMITTED)
			return -EPROTO;
		spin_lock(&s->lock);
		h->done_err = m->done.err;
		h->remote_pid = m->done.remote_pid;
		snprintf(h->peer_reason, sizeof(h->peer_reason), "%.*s",
			 (int)m->done.reason.len, m->done.reason.s);
		h->state = OM_HS_DONE;
		spin_unlock(&s->lock);
		wake_up_all(&s->wq);
		return 0;
	case OM_MIG_ABORT:
		snprintf(h->peer_reason, sizeof(h->peer_reason), "%.*s",
			 (int)m->abort.reason.len, m->abort.reason.s);
		om_sess_end(s, m->abort.err, h->peer_reason);
		return 0;
	case OM_MIG_CANCEL:
		if (h->state == OM_HS_DEPUTY)
			om_dep_cancel(h, m->cancel.seq);
		return 0;
	case OM_MIG_SYSREQ:
	case OM_MIG_EXIT:
	case OM_MIG_STOPPED:
		/* for the deputy, also before it runs: they wait in the queue */
		if (h->state < OM_HS_DONE)
			return -EPROTO;
		return -EAGAIN;
	case OM_MIG_IMG:
	case OM_MIG_COMMIT:
		return om_home_rx_image(h, m);
	default:
		return -EPROTO;
	}
}

static void om_home_release(struct om_sess *s)
{
	struct om_home *h = s->priv;

	if (!h)
		return;
	om_imgrx_stop(&h->rx);
	put_task_struct(h->task);
	kvfree(h->outbuf);
	kvfree(h->siglog);
	kvfree(h);
}

static const struct om_sess_ops om_home_ops = {
	.rx = om_home_rx,
	.release = om_home_release,
};

/* Wait (killable) until @cond or the session's end; 0, -ETIMEDOUT, -EINTR. */
#define om_home_wait(h, cond, timeout) ({					\
	long __t = wait_event_killable_timeout((h)->s->wq,			\
					       (cond) || READ_ONCE((h)->s->dead), \
					       timeout);			\
	__t < 0 ? -EINTR : (cond) ? 0 : READ_ONCE((h)->s->dead) ? -ECONNABORTED : \
	-ETIMEDOUT;								\
})

static int om_out_target_ok(u16 node, char *reason)
{
	struct om_node *n;
	int err = 0;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(node);
	if (!n) {
		om_reason(reason, "no node %u in the cluster", node);
		err = -ENOENT;
	} else if (n->flags & OM_NF_SELF) {
		om_reason(reason, "node %u is this node", node);
		err = -EINVAL;
	} else if (n->flags & OM_NF_BLOCKED) {
		om_reason(reason, "node %u is blocked", node);
		err = -EHOSTUNREACH;
	} else if (!n->up) {
		om_reason(reason, "node %u is down", node);
		err = -EHOSTDOWN;
	}
	mutex_unlock(&om_nodes_lock);
	return err;
}

/* root, or the process's real or effective user (as openMosix had it) */
static int om_out_user_ok(struct task_struct *t, char *reason)
{
	if (om_pview_may_set(t, capable(CAP_SYS_ADMIN)))
		return 0;
	om_reason(reason, "permission denied: not your process");
	return -EPERM;
}

/*
 * What the node reads in an OFFER (OM_WIRE_FEAT_*: the balancer's view,
 * the process's policy)?  Its HELLO says so; an older node would drop an
 * OFFER with either.  Waits for a connection as om_sess_send() would;
 * without one the offer goes with neither.
 */
static u32 om_out_peer_features(u16 node)
{
	int err, tries;
	u32 f = 0;

	for (tries = 0; ; tries++) {
		err = om_transport_peer_features(node, &f);
		if (err != -ENOTCONN || tries >= 50 || fatal_signal_pending(current))
			break;
		msleep(100);
	}
	return err ? 0 : f;
}

/* The process's lock and hint for the node it will run on */
static void om_out_policy(struct task_struct *t, struct om_mig_policy *pol)
{
	struct om_pstate st;
	u64 now = ktime_get_ns(), ms;

	om_ptab_get(t, &st);
	pol->flags = st.locked ? OM_MIG_POL_LOCKED : 0;
	pol->hint_age_ms = 0;
	if (st.hint == OM_HINT_NONE)
		return;
	pol->flags |= st.hint == OM_HINT_IO ? OM_MIG_POL_HINT_IO : OM_MIG_POL_HINT_CPU;
	ms = now > st.hint_ns ? div_u64(now - st.hint_ns, NSEC_PER_MSEC) : 0;
	/* an older hint has faded away: it goes as the oldest one */
	pol->hint_age_ms = min_t(u64, ms, OM_MIG_HINT_AGE_MAX);
}

/* bal: the balancer's decision (automatic), NULL for a manual migration */
static int om_out_offer(struct om_home *h, struct task_struct *t,
			const struct om_mig_bal *bal)
{
	struct om_mig_msg m = { .type = OM_MIG_OFFER };
	const struct cred *tc = get_task_cred(t);
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	u32 f = 0;

	m.offer.home_pid = h->pid;
	m.offer.ruid = from_kuid_munged(&init_user_ns, tc->uid);
	m.offer.euid = from_kuid_munged(&init_user_ns, tc->euid);
	m.offer.rgid = from_kgid_munged(&init_user_ns, tc->gid);
	m.offer.egid = from_kgid_munged(&init_user_ns, tc->egid);
	put_cred(tc);
	mm = get_task_mm(t);
	if (mm) {
		m.offer.image_bytes = get_mm_rss(mm) << PAGE_SHIFT;
		mmput(mm);
	}
	om_mig_caps_self(&m.offer.caps);
	get_task_comm(comm, t);
	m.offer.comm.s = comm;
	m.offer.comm.len = strnlen(comm, OM_MIG_COMM_MAX);
	/* the target's consent needs it; without it, it takes it as manual */
	f = om_out_peer_features(h->s->peer);
	/* numbered signals: none is lost while the process comes home */
	h->sigseq = !!(f & OM_WIRE_FEAT_MIG_SIGSEQ);
	if (bal && (f & OM_WIRE_FEAT_MIG_BAL)) {
		m.offer.automatic = true;
		m.offer.bal = *bal;
	}
	/* a node from before it would refuse the OFFER: it runs unlocked there */
	if (f & OM_WIRE_FEAT_MIG_POLICY)
		om_out_policy(t, &m.offer.pol);
	/* it builds the process while the pages come (PREPARE) */
	h->pgstream = !!(f & OM_WIRE_FEAT_MIG_PGSTREAM);
	return om_sess_send(h->s, &m);
}

static int om_out_run(struct om_migrate_req *req, struct om_home *h, struct task_struct *t,
		      const struct om_mig_bal *bal)
{
	struct om_freeze_expect exp = {};
	u64 t_offer = ktime_get_ns(), t_acc, t_frozen = 0, t_sent = 0;
	struct om_ckpt *c;
	ktime_t t0;
	int err;

	err = om_out_offer(h, t, bal);
	if (err) {
		om_reason(req->reason, "cannot reach node %u: %d", req->node, err);
		return err;
	}
	err = om_home_wait(h, h->state >= OM_HS_SENDING, OM_OUT_ACCEPT_TIMEOUT);
	if (err) {
		om_reason(req->reason, "node %u did not answer (%d)%s%s", req->node, err,
			  h->s->reason[0] ? ": " : "", h->s->reason);
		return err;
	}
	if (h->acc_err) {
		om_reason(req->reason, "node %u refused: %s", req->node,
			  h->peer_reason[0] ? h->peer_reason : "no reason given");
		return h->acc_err;
	}
	t_acc = ktime_get_ns();

	if (bal) {
		err = om_ckpt_expect_task(t, &exp, req->reason);
		if (err)
			return err;
		/* files are named from our root (a kworker's: the system's) */
		path_put(&exp.root);
		get_fs_root(current->fs, &exp.root);
	} else {
		err = om_ckpt_permitted(t, req->mem_fd, &exp, req->reason);
		if (err)
			return err;
		get_fs_root(current->fs, &exp.root);
	}
	exp.cm = OM_CM_MIGRATE;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		put_cred(exp.cred);
		path_put(&exp.root);
		return -ENOMEM;
	}
	c->out.reason = req->reason;
	c->out.stream = om_sess_stream;
	c->out.stream_pages = om_sess_stream_pages;
	c->out.pages_last = true;	/* any receiver takes any order */
	if (h->pgstream)
		c->out.prepared = om_sess_prepare;
	c->out.stream_ctx = h->s;
	c->task = t;
	c->pid = h->pid;
	c->pgid = task_pgrp_vnr(t);
	c->sid = task_session_vnr(t);
	t0 = ktime_get();
	om_mig_event(h, OM_MEV_START, NULL);
	c->fz = om_freeze_task(t, &exp, req->reason, &err);
	if (!c->fz)
		goto out;
	t_frozen = ktime_get_ns();
	err = om_ckpt_write(c);
	req->pages = c->pages;
	req->bytes = c->out.bytes;
	if (!err && c->fz->st.n_ptimers) {
		/* the deputy cannot give them back their ids (not yet) */
		om_reason(req->reason, "has POSIX timers (not supported for migration yet)");
		err = -EBUSY;
	}
	if (!err) {
		h->state = OM_HS_COMMITTED;
		h->out_bytes = c->out.bytes;
		err = om_sess_commit(h->s, c->out.bytes, NULL);
		if (err)
			om_reason(req->reason, "lost node %u while sending: %d", req->node, err);
		t_sent = ktime_get_ns();
	}
	if (!err) {
		err = om_home_wait(h, h->state >= OM_HS_DONE, OM_OUT_DONE_TIMEOUT);
		if (err)
			om_reason(req->reason, "node %u did not start it (%d)%s%s", req->node,
				  err, h->s->reason[0] ? ": " : "", h->s->reason);
		else if (h->done_err)
			om_reason(req->reason, "node %u could not start it: %s", req->node,
				  h->peer_reason[0] ? h->peer_reason : "no reason given");
		if (!err)
			err = h->done_err;
	}
	if (!err && READ_ONCE(c->fz->killed)) {
		om_reason(req->reason, "process was killed during the migration");
		err = -ESRCH;
	}
	om_ckpt_ftab_free(&c->ftab);
	if (!err) {
		/* its image runs there: this task stays as its deputy */
		WRITE_ONCE(h->state, OM_HS_DEPUTY);
		c->fz->deputy = h;
		om_sess_get(h->s);	/* the deputy's */
		req->usecs = ktime_us_delta(ktime_get(), t0);
		/* where the time went (dynamic debug: P1's stages) */
		pr_debug("migration %llx to node %u: %llu bytes; accepted %llu us, frozen %llu us, image sent %llu us, DONE %llu us\n",
			 h->s->id, req->node, c->out.bytes,
			 (t_acc - t_offer) / NSEC_PER_USEC,
			 (t_frozen - t_acc) / NSEC_PER_USEC,
			 (t_sent - t_frozen) / NSEC_PER_USEC,
			 (ktime_get_ns() - t_sent) / NSEC_PER_USEC);
		om_freeze_release(c->fz, OM_FV_DEPUTY);
	} else {
		om_freeze_release(c->fz, OM_FV_RESUME);
	}
out:
	kfree(c);
	return err;
}

/* omctl proc home: ask the remote to send it back, wait until it runs here. */
static int om_home_bring(struct om_home *h, struct om_migrate_req *req)
{
	ktime_t t0 = ktime_get();
	int err;

	err = om_sess_send_why(h->s, OM_MIG_GOHOME, 0, 0, "asked at home");
	if (err) {
		om_reason(req->reason, "cannot reach its remote: %d", err);
		return err;
	}
	err = om_home_wait(h, READ_ONCE(h->state) == OM_HS_HOME, OM_OUT_DONE_TIMEOUT);
	if (err == -ECONNABORTED && READ_ONCE(h->state) == OM_HS_HOME)
		err = 0;	/* home, and the session is over */
	if (err)
		om_reason(req->reason, "it did not come home (%d)%s%s", err,
			  h->s->reason[0] ? ": " : "", h->s->reason);
	else
		req->usecs = ktime_us_delta(ktime_get(), t0);
	return err;
}

/*
 * Move t (pinned, a process leader that runs here) to req->node; the
 * reason of a failure in req->reason.  bal: the balancer's own decision
 * (no caller's permission to check; om_bal.c), offered with its view for
 * the target's consent; NULL: on behalf of current, whose permission
 * req->mem_fd carries.  Waits until it runs there (or not).  *evsent:
 * migration events were sent for it; *refused (may be NULL): the target
 * answered the offer with a refusal.
 */
int om_mig_out_task(struct task_struct *t, struct om_migrate_req *req,
		    const struct om_mig_bal *bal, bool *evsent, bool *refused)
{
	struct om_home *h;
	struct om_sess *s;
	int err;

	err = om_out_target_ok(req->node, req->reason);
	if (err)
		return err;
	err = om_cantmove_task(t, OM_CM_MIGRATE, req->reason);
	if (err)
		return err;
	h = kvzalloc(sizeof(*h), GFP_KERNEL);
	if (h) {
		h->outbuf = kvmalloc(OM_MIG_MAX_IO, GFP_KERNEL);
		h->siglog = kvmalloc(sizeof(*h->siglog), GFP_KERNEL);
	}
	if (!h || !h->outbuf || !h->siglog) {
		if (h) {
			kvfree(h->outbuf);
			kvfree(h->siglog);
			kvfree(h);
		}
		return -ENOMEM;
	}
	om_siglog_init(h->siglog);
	INIT_WORK(&h->stop_work, om_dep_stop_work);
	/* until the session ends: a CANCEL may name it after the ioctl returned */
	h->task = get_task_struct(t);
	h->pid = req->pid;
	h->state = OM_HS_OFFERED;
	mutex_init(&h->rx_lock);
	s = om_sess_new(req->node, 0, &om_home_ops);
	if (IS_ERR(s)) {
		put_task_struct(h->task);
		kvfree(h->outbuf);
		kvfree(h->siglog);
		kvfree(h);
		return PTR_ERR(s);
	}
	h->s = s;
	s->priv = h;
	*evsent = true;	/* START and FAILED or ARRIVED come from here on */
	err = om_out_run(req, h, t, bal);
	if (refused)
		*refused = err && h->state >= OM_HS_SENDING && h->acc_err;
	if (err) {
		om_sess_send_why(s, OM_MIG_ABORT, err, 0, req->reason);
		om_sess_end(s, err, req->reason);
		om_mig_event(h, OM_MEV_FAILED, req->reason);
	} else {
		om_ptab_update(t, om_out_moved, h);
		om_mig_event(h, OM_MEV_ARRIVED, NULL);
	}
	om_sess_put(s);
	return err;
}

/*
 * @t's deputy state, with a session reference, or NULL.  A process just
 * moved away is released as the deputy but takes the role only when it
 * next runs (om_deputy_enter()), which a busy node may put off for a
 * while: a request in between (omctl proc migrate PID 3 right after the
 * move to 2) waits for it, rather than take it for a process at home.
 */
static struct om_home *om_out_deputy_of(struct task_struct *t)
{
	unsigned long end = jiffies + 10 * HZ;
	struct om_pstate st;
	struct om_home *h;

	for (;;) {
		h = om_deputy_of(t);
		if (h)
			return h;
		om_ptab_get(t, &st);
		if (st.where == st.home || om_role_of(t) || time_after(jiffies, end) ||
		    msleep_interruptible(20))
			return NULL;
	}
}

long om_mig_out_ioctl(struct om_migrate_req __user *ureq)
{
	struct om_migrate_req *req;
	struct task_struct *t = NULL;
	struct om_home *h = NULL;
	bool evsent = false;
	struct pid *pid;
	int err;

	req = om_ioc_req_in(ureq, sizeof(*req));
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = -EINVAL;
	if (req->flags || req->pad || req->pid <= 0 || req->node > OM_NODE_ID_MAX)
		goto out_req;
	memset(req->reason, 0, sizeof(req->reason));
	req->pages = req->bytes = req->usecs = 0;

	pid = find_get_pid(req->pid);
	t = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	if (!t) {
		om_reason(req->reason, "no such process");
		err = -ESRCH;
		goto out_copy;
	}
	if (task_pid_vnr(t) != task_tgid_vnr(t)) {
		om_reason(req->reason, "not a process but a thread");
		err = -EINVAL;
		goto out_copy;
	}
	err = om_out_user_ok(t, req->reason);
	if (err)
		goto out_copy;
	if (req->node == OM_MIG_HOME) {
		h = om_out_deputy_of(t);
		if (h) {
			err = om_home_bring(h, req);
			om_sess_put(h->s);
			h = NULL;
		} else if (om_role_of(t)) {
			om_reason(req->reason, "a guest here: its home node brings it home");
			err = -EOPNOTSUPP;
		} else {
			om_reason(req->reason, "process %d runs here, at home", req->pid);
			err = -EALREADY;
		}
		goto out_copy;
	}
	err = om_out_target_ok(req->node, req->reason);
	if (err)
		goto out_copy;
	h = om_out_deputy_of(t);
	if (h) {
		/*
		 * Away: it moves on through home (it comes back, then leaves
		 * again; the same task and mm, so the caller's mem_fd holds).
		 */
		if (h->s->peer == req->node) {
			om_reason(req->reason, "already runs on node %u", req->node);
			err = -EALREADY;
		} else {
			err = om_home_bring(h, req);
		}
		om_sess_put(h->s);
		h = NULL;
		if (err)
			goto out_copy;
		req->usecs = 0;
	} else if (om_role_of(t)) {
		om_reason(req->reason, "a guest here: its home node moves it");
		err = -EOPNOTSUPP;
		goto out_copy;
	}
	err = om_mig_out_task(t, req, NULL, &evsent, NULL);
out_copy:
	req->reason[sizeof(req->reason) - 1] = 0;
	/* refused before a session existed: the monitor hears it too */
	if (err && t && !evsent)
		om_mig_notify_task(OM_MEV_FAILED, t, req->reason);
	if (err && req->reason[0])
		pr_debug("migrate %d to %u: %s (%d)\n", req->pid, req->node, req->reason, err);
	if (copy_to_user(ureq, req, sizeof(*req)) && !err)
		err = -EFAULT;
	if (t)
		put_task_struct(t);
out_req:
	kfree(req);
	return err;
}
