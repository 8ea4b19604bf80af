// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * A process arriving at this node (the remote).  Its home offers it
 * (OFFER): we accept it if this node takes guests and its CPU can run
 * what the process may use, and, if the balancer offers it, if the move
 * still pays on our own fresh load (mutual consent).  The image arrives
 * in IMG chunks, in order, written as it comes into a tmpfs instance of
 * its own that is mounted nowhere (memory only, no file anyone can
 * see), and the kernel starts
 * the keeper, "omctl guest ID", as a usermode helper.  The keeper gets the
 * directory (OM_GUEST_OPEN), restores the process as omctl restore does,
 * in a child that first attaches to the session (OM_GUEST_ATTACH): when
 * that child's restore resumes the program, it becomes the guest
 * (om_guest.c) and DONE tells the home it runs.  The keeper then waits
 * for the guest and reports its wait statuses (OM_GUEST_REPORT), which
 * become STOPPED and EXIT messages to the home.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/umh.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/mm.h>

#include "om_info.h"
#include "om_migrate.h"
#include "om_node.h"
#include "om_core.h"
#include "om_ptab.h"
#include "common/om_balance.h"

/* arriving processes at a time, and what one image may take */
#define OM_IN_MAX		8
#define OM_IN_KEEPER_TIMEOUT	(60 * HZ)
#define OM_IN_RX_IDLE_MAX	3600

/*
 * An accepted process whose image stops coming holds one of the OM_IN_MAX
 * places and its tmpfs: after this long without a chunk it is given up.
 */
static unsigned int om_in_rx_idle = 60;
module_param_named(mig_rx_idle, om_in_rx_idle, uint, 0644);
MODULE_PARM_DESC(mig_rx_idle,
		 "seconds an arriving image may go without a chunk before it is given up (1-3600, default 60)");

static unsigned long om_in_idle_jiffies(void)
{
	return clamp_val(READ_ONCE(om_in_rx_idle), 1, OM_IN_RX_IDLE_MAX) * HZ;
}

static char om_guest_helper[256];
module_param_string(guest_helper, om_guest_helper, sizeof(om_guest_helper), 0644);
MODULE_PARM_DESC(guest_helper,
		 "the keeper of arriving processes (default: omctl in /usr/sbin or /usr/local/sbin)");

static atomic_t om_in_count = ATOMIC_INIT(0);
/*
 * Load of the accepted arrivals not running yet (struct om_remote's
 * arr_load): the run queue does not show them, the next consent must.
 */
static atomic64_t om_in_arriving = ATOMIC64_INIT(0);
/* one consent at a time, so each sees the arrivals the others accepted */
static DEFINE_MUTEX(om_in_consent_lock);

/* It runs (or will not): its load is in the run queue now, or nowhere. */
void om_in_arrived(struct om_remote *r)
{
	u32 c = xchg(&r->arr_load, 0);

	if (c)
		atomic64_sub(c, &om_in_arriving);
	/* OM_IN_MAX counts arrivals, not the guests that run here */
	if (xchg(&r->arriving, 0))
		atomic_dec(&om_in_count);
}

static void om_remote_ended(struct om_sess *s)
{
	struct om_remote *r = s->priv;

	if (!r)
		return;
	om_in_arrived(r);
	/* the timeout holds a reference; the work may be what ends us */
	if (cancel_delayed_work(&r->timeout))
		om_sess_put(s);
	mutex_lock(&r->lock);
	om_imgrx_stop(&r->rx);
	om_pgrx_stop(&r->pg);	/* and a restorer waiting for pages fails */
	/* a guest whose home is gone, or that its home gave up, is killed */
	if (r->guest && r->state == OM_RS_RUNNING && !r->exited)
		send_sig(SIGKILL, r->guest, 1);
	mutex_unlock(&r->lock);
	if (r->guest && r->state >= OM_RS_RUNNING)
		om_mig_notify_task(OM_MEV_GUEST_OUT, r->guest, s->reason[0] ? s->reason : NULL);
}

static void om_remote_release(struct om_sess *s)
{
	struct om_remote *r = s->priv;

	if (!r)
		return;
	om_in_arrived(r);
	om_pgrx_stop(&r->pg);	/* nothing left queued */
	if (r->guest)
		put_task_struct(r->guest);
	if (r->keeper)
		put_task_struct(r->keeper);
	kvfree(r->reqbuf);
	kvfree(r->copies);
	kvfree(r->held);
	om_dfsa_free(r);
	kfree(r);
}

/* ---------------------------------------------------------------- image */

static void om_in_keeper_work(struct work_struct *w)
{
	struct om_remote *r = container_of(w, struct om_remote, start);
	static const char *const paths[] = { "/usr/sbin/omctl", "/usr/local/sbin/omctl" };
	char id[24], *argv[4], *envp[] = {
		"HOME=/", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		NULL };
	int i, err = -ENOENT;

	snprintf(id, sizeof(id), "%llx", r->s->id);
	argv[1] = "guest";
	argv[2] = id;
	argv[3] = NULL;
	if (om_guest_helper[0]) {
		argv[0] = om_guest_helper;
		err = call_usermodehelper(argv[0], argv, envp, UMH_WAIT_EXEC);
	} else {
		for (i = 0; i < ARRAY_SIZE(paths) && err == -ENOENT; i++) {
			argv[0] = (char *)paths[i];
			err = call_usermodehelper(argv[0], argv, envp, UMH_WAIT_EXEC);
		}
	}
	if (err) {
		char why[OM_MIG_REASON_MAX + 1];

		snprintf(why, sizeof(why), "cannot start its keeper %.64s: %d",
			 om_guest_helper[0] ? om_guest_helper : "omctl", err);
		pr_warn("migration %llx from node %u: %s\n", r->s->id, r->s->peer, why);
		om_sess_send_why(r->s, OM_MIG_DONE, err, 0, why);
		om_sess_end(r->s, err, why);
	}
	om_sess_put(r->s);
}

/*
 * r->deadline passed (it moves with each chunk, then with the COMMIT):
 * an image that stopped coming, or a keeper that did not start it.  The
 * work holds a session reference, which a re-armed work keeps.
 */
static void om_in_timeout(struct work_struct *w)
{
	struct om_remote *r = container_of(to_delayed_work(w), struct om_remote, timeout);
	struct om_sess *s = r->s;
	int state = OM_RS_ENDED;
	bool pages_idle = false;

	mutex_lock(&r->lock);
	if (r->state < OM_RS_RUNNING && !READ_ONCE(s->dead)) {
		if (time_before(jiffies, r->deadline)) {
			/* false: om_in_commit() queued it, with a reference of its own */
			if (queue_delayed_work(om_mig_wq, &r->timeout, r->deadline - jiffies)) {
				mutex_unlock(&r->lock);
				return;
			}
		} else {
			state = r->state;
			/* after PREPARE, before COMMIT: the pages stopped coming */
			pages_idle = r->pg.on && !r->pg.complete;
		}
	}
	mutex_unlock(&r->lock);
	if (state == OM_RS_RECEIVING || pages_idle) {
		pr_warn("migration %llx from node %u: no image chunk for %u s, given up\n",
			s->id, s->peer, (unsigned int)(om_in_idle_jiffies() / HZ));
		om_sess_send_why(s, OM_MIG_ABORT, -ETIMEDOUT, 0,
				 "the image stopped coming (target timeout)");
		om_sess_end(s, -ETIMEDOUT, "image timeout");
		if (pages_idle && r->guest)
			send_sig(SIGKILL, r->guest, 1);
	} else if (state < OM_RS_RUNNING) {
		om_sess_send_why(s, OM_MIG_DONE, -ETIMEDOUT, 0,
				 "its keeper did not start it in time");
		om_sess_end(s, -ETIMEDOUT, "keeper timeout");
		if (r->guest)
			send_sig(SIGKILL, r->guest, 1);
	}
	om_sess_put(s);
}

/* The timeout's work at @delay from now; r->lock held */
static void om_in_rearm(struct om_remote *r, unsigned long delay)
{
	r->deadline = jiffies + delay;
	om_sess_get(r->s);
	if (mod_delayed_work(om_mig_wq, &r->timeout, delay))
		om_sess_put(r->s);	/* it was pending: it has one */
}

/*
 * The images are in (COMMIT), or all but the page data (PREPARE, the
 * pages come while the keeper restores): start the keeper.
 */
static void om_in_start_keeper(struct om_remote *r)
{
	r->state = OM_RS_COMMITTED;
	om_sess_get(r->s);
	queue_work(om_mig_wq, &r->start);
}

static int om_in_prepare(struct om_remote *r, const struct om_mig_commit *c)
{
	int err;

	if (r->state != OM_RS_RECEIVING)
		return -EPROTO;
	err = om_pgrx_prepare(&r->pg, &r->rx, c);
	if (err)
		return err;
	om_in_start_keeper(r);
	/* the pages must keep coming (each chunk moves it on) */
	om_in_rearm(r, om_in_idle_jiffies());
	return 0;
}

static int om_in_commit(struct om_remote *r, const struct om_mig_commit *c)
{
	int err;

	if (r->pg.on) {
		/* the restore may be under way: not after it ended */
		if (r->state < OM_RS_COMMITTED || r->state >= OM_RS_RUNNING)
			return -EPROTO;
		err = om_pgrx_commit(&r->pg, &r->rx, c);
	} else {
		err = r->state == OM_RS_RECEIVING ? om_imgrx_commit(&r->rx, c) : -EPROTO;
		if (!err)
			om_in_start_keeper(r);
	}
	if (err)
		return err;
	r->t_commit = ktime_get_ns();
	/* the receive timeout's work becomes the keeper's */
	om_in_rearm(r, OM_IN_KEEPER_TIMEOUT);
	return 0;
}

static int om_remote_rx(struct om_sess *s, const struct om_mig_msg *m)
{
	struct om_remote *r = s->priv;
	int err;

	if (!r)
		return -EPROTO;

	switch (m->type) {
	case OM_MIG_IMG:
		mutex_lock(&r->lock);
		if (r->pg.on)
			err = r->state >= OM_RS_COMMITTED && r->state < OM_RS_RUNNING ?
			      om_pgrx_chunk(&r->pg, &r->rx, &m->img) : -EPROTO;
		else
			err = r->state == OM_RS_RECEIVING ?
			      om_imgrx_chunk(&r->rx, &m->img) : -EPROTO;
		if (!err)
			r->deadline = jiffies + om_in_idle_jiffies();
		if (!err && !r->t_img)
			r->t_img = ktime_get_ns();
		mutex_unlock(&r->lock);
		return err;
	case OM_MIG_PREPARE:
		mutex_lock(&r->lock);
		err = om_in_prepare(r, &m->commit);
		mutex_unlock(&r->lock);
		return err;
	case OM_MIG_COMMIT:
		mutex_lock(&r->lock);
		err = om_in_commit(r, &m->commit);
		mutex_unlock(&r->lock);
		return err;
	case OM_MIG_ABORT:
		om_sess_end(s, m->abort.err, "its home gave up");
		return 0;
	case OM_MIG_SIGNAL:
		return om_guest_signal(r, &m->signal);
	case OM_MIG_SYSREP:
		return r->state == OM_RS_RUNNING ? -EAGAIN : -EPROTO;
	case OM_MIG_GOHOME:
		return om_guest_gohome(r);
	case OM_MIG_DONE:
		return om_guest_home_done(r, &m->done);
	case OM_MIG_DFSA_VIEW:
		return om_dfsa_view_rx(r, &m->dview);
	default:
		return -EPROTO;
	}
}

static const struct om_sess_ops om_remote_ops = {
	.rx = om_remote_rx,
	.ended = om_remote_ended,
	.release = om_remote_release,
};

/* ---------------------------------------------------------------- offer */

/*
 * What an accepted arrival adds until it runs: the balancer's d_target,
 * else (a manual offer) a whole task on this node.
 */
static u32 om_in_load_of(const struct om_mig_offer *o)
{
	if (o->automatic)
		return o->bal.d_target;
	return om_load_normalize(OM_LOAD_FSCALE, READ_ONCE(om_tun.speed),
				 num_online_cpus());
}

/*
 * The target's half of an automatic move: om_bal_accept_move on our
 * state now (arrivals not running yet included) with the sender's view.
 * The offer always comes from the process's home.  On success the
 * arrival's load is charged (*charge) under the lock, so the next
 * consent counts it.  om_in_consent_lock held.
 */
static int om_in_consent(u16 from, const struct om_mig_offer *o, u32 *charge,
			 char *why, size_t len)
{
	struct om_bal_decision d = {
		.kind = o->bal.kind,	/* OM_MIG_BAL_* = enum om_bal_kind */
		.target = om_self_id(),
		.d_self = o->bal.d_self,
		.d_target = o->bal.d_target,
	};
	struct om_bal_self self;
	struct om_bal_tun tun;
	u64 load;

	lockdep_assert_held(&om_in_consent_lock);
	om_info_bal_self(&self);
	load = (u64)self.load + atomic64_read(&om_in_arriving);
	self.load = min_t(u64, load, U32_MAX);
	om_bal_tun_default(&tun);
	if (!om_bal_accept_move(&tun, &self, o->bal.sender_load, &d, from,
				o->image_bytes >> 10, why, len))
		return -EBUSY;
	*charge = om_in_load_of(o);
	atomic64_add(*charge, &om_in_arriving);
	return 0;
}

/*
 * Whether we take the offered process; 0 with *charge (its load, added
 * to om_in_arriving: the caller hands it to the session or takes it
 * back), or an errno with the reason in why.
 */
static int om_in_check(u16 from, const struct om_mig_offer *o, u32 *charge,
		       char *why, size_t len)
{
	struct om_mig_caps self;
	struct om_node *n;
	bool blocked = false;
	struct sysinfo si;
	u32 limit;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(om_self_id());
	if (n && (n->flags & OM_NF_BLOCKED))
		blocked = true;
	n = om_node_find(from);
	if (!n || (n->flags & OM_NF_BLOCKED))
		blocked = true;
	mutex_unlock(&om_nodes_lock);
	if (blocked) {
		snprintf(why, len, "node %u does not take guests (blocked)", om_self_id());
		return -EHOSTUNREACH;
	}
	limit = READ_ONCE(om_tun.load_limit);
	if (limit) {
		struct om_load_entry me;

		om_info_fill_self(&me);
		if (me.load > limit) {
			snprintf(why, len, "node %u is above its load limit (%u > %u)",
				 om_self_id(), me.load, limit);
			return -EBUSY;
		}
	}
	om_mig_caps_self(&self);
	if (om_mig_caps_check(&o->caps, &self, why, len))
		return -EOPNOTSUPP;
	si_meminfo(&si);
	if (o->image_bytes / 2 > (u64)si.freeram * si.mem_unit) {
		snprintf(why, len, "not enough free memory on node %u", om_self_id());
		return -ENOMEM;
	}
	if (o->image_bytes > om_imgrx_room()) {
		snprintf(why, len, "node %u holds too many arriving images", om_self_id());
		return -ENOMEM;
	}
	if (o->automatic) {
		int err;

		mutex_lock(&om_in_consent_lock);
		err = om_in_consent(from, o, charge, why, len);
		mutex_unlock(&om_in_consent_lock);
		if (err)
			pr_debug("automatic offer from node %u refused: %s\n", from, why);
		return err;
	}
	*charge = om_in_load_of(o);
	atomic64_add(*charge, &om_in_arriving);
	return 0;
}

/* An OFFER (receive thread): a session, or a refusal with the reason. */
void om_mig_in_offer(u16 from, const struct om_mig_msg *m)
{
	struct om_remote *r = NULL;
	struct om_sess *s;
	char why[OM_MIG_REASON_MAX + 1] = "";
	u32 charge = 0;
	int err;

	s = om_sess_new(from, m->mig_id, &om_remote_ops);
	if (IS_ERR(s)) {
		pr_warn_ratelimited("node %u: offer %llx: %ld\n", from, m->mig_id, PTR_ERR(s));
		return;
	}
	err = om_in_check(from, &m->offer, &charge, why, sizeof(why));
	if (!err && atomic_inc_return(&om_in_count) > OM_IN_MAX) {
		atomic_dec(&om_in_count);
		snprintf(why, sizeof(why), "node %u takes %d arriving processes at a time",
			 om_self_id(), OM_IN_MAX);
		err = -EBUSY;
	} else if (!err) {
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r) {
			atomic_dec(&om_in_count);
			err = -ENOMEM;
		}
	}
	if (err) {
		atomic64_sub(charge, &om_in_arriving);	/* 0 if not accepted */
		goto refuse;
	}
	mutex_init(&r->lock);
	om_pgrx_init(&r->pg);
	INIT_WORK(&r->start, om_in_keeper_work);
	INIT_DELAYED_WORK(&r->timeout, om_in_timeout);
	r->s = s;
	r->home_pid = m->offer.home_pid;
	r->pol = m->offer.pol;	/* checked by the decoder */
	r->state = OM_RS_RECEIVING;
	r->t_offer = ktime_get_ns();
	r->arr_load = charge;	/* om_in_arrived() takes it back */
	r->arriving = 1;	/* and this */
	/* pairs with om_remote_of(): r is set up */
	smp_store_release(&s->priv, r);
	err = om_imgrx_start(&r->rx, m->offer.image_bytes);
	if (err) {
		snprintf(why, sizeof(why), "no memory file system for the image (%d)", err);
		goto refuse;
	}
	/* an image that stops coming is given up (om_in_timeout) */
	mutex_lock(&r->lock);
	r->deadline = jiffies + om_in_idle_jiffies();
	om_sess_get(s);
	if (!queue_delayed_work(om_mig_wq, &r->timeout, om_in_idle_jiffies()))
		om_sess_put(s);
	mutex_unlock(&r->lock);
	err = om_sess_send_why(s, OM_MIG_ACCEPT, 0, 0, NULL);
	if (err)
		om_sess_end(s, err, "cannot answer");
	om_sess_put(s);
	return;
refuse:
	om_sess_send_why(s, OM_MIG_ACCEPT, err, 0, why);
	om_sess_end(s, err, why);
	om_sess_put(s);
}

/* ---------------------------------------------------------------- keeper */

/*
 * The restore (om_restore.c) of an attached guest whose home sent
 * PREPARE takes its pages from the session, once: its remote state with
 * a session reference (om_in_pgstream_put()), else NULL.
 */
struct om_remote *om_in_pgstream_get(void)
{
	struct om_remote *r = om_role_ctx(current, &om_guest_role);
	bool ok;

	if (!r)
		return NULL;
	mutex_lock(&r->lock);
	ok = r->pg.on && !r->pg_taken && r->guest == current &&
	     r->state == OM_RS_ATTACHED && !READ_ONCE(r->s->dead);
	if (ok) {
		r->pg_taken = true;
		om_sess_get(r->s);
	}
	mutex_unlock(&r->lock);
	return ok ? r : NULL;
}

void om_in_pgstream_put(struct om_remote *r)
{
	om_sess_put(r->s);
}

/* The restore cannot take the pages: the session ends, its home is told. */
void om_in_pgstream_fail(struct om_remote *r, int err, const char *why)
{
	if (READ_ONCE(r->s->dead))
		return;
	om_sess_send_why(r->s, OM_MIG_ABORT, err, 0, why);
	om_sess_end(r->s, err, why);
}

/*
 * The remote state of an arriving process's session, or NULL: a refused
 * offer's session, or one not set up yet, has none.
 */
static struct om_remote *om_remote_of(struct om_sess *s)
{
	if (!s || s->home || s->ops != &om_remote_ops)
		return NULL;
	/* pairs with the release in om_mig_in_offer(): r is set up */
	return smp_load_acquire(&s->priv);
}

static int om_keeper_open(struct file *dev, struct om_guest_req *q)
{
	struct om_sess *s = om_sess_find_id(q->id);
	struct om_remote *r;
	struct file *d;
	int fd, err = 0;

	r = om_remote_of(s);
	if (!r) {
		om_sess_put(s);
		return -ESRCH;
	}
	mutex_lock(&r->lock);
	if (r->state != OM_RS_COMMITTED || r->keeper || dev->private_data)
		err = -EBUSY;
	/* ended between om_sess_find_id() and here: its tmpfs is gone */
	else if (READ_ONCE(s->dead) || !r->rx.mnt)
		err = -ESRCH;
	if (!err) {
		struct path root;

		om_imgrx_root(&r->rx, &root);
		d = dentry_open(&root, O_RDONLY | O_DIRECTORY, current_cred());
		if (IS_ERR(d))
			err = PTR_ERR(d);
	}
	if (!err) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			fput(d);
			err = fd;
		} else {
			fd_install(fd, d);
			q->fd = fd;
			r->keeper = get_task_struct(current);
			r->state = OM_RS_CLAIMED;
			r->t_open = ktime_get_ns();
			dev->private_data = om_sess_get(s);
		}
	}
	mutex_unlock(&r->lock);
	om_sess_put(s);
	return err;
}

static int om_keeper_attach(struct om_guest_req *q)
{
	struct om_sess *s = om_sess_find_id(q->id);
	struct om_remote *r;
	int err = 0;

	r = om_remote_of(s);
	if (!r) {
		om_sess_put(s);
		return -ESRCH;
	}
	mutex_lock(&r->lock);
	rcu_read_lock();
	if (r->state != OM_RS_CLAIMED || r->guest ||
	    rcu_dereference(current->real_parent) != r->keeper)
		err = -EPERM;
	rcu_read_unlock();
	if (!err && !r->reqbuf) {
		r->reqbuf = kvmalloc(OM_MIG_MAX_IO, GFP_KERNEL);
		r->copies = kvmalloc_array(OM_SYS_MAX_COPIES, sizeof(*r->copies), GFP_KERNEL);
		if (!r->reqbuf || !r->copies)
			err = -ENOMEM;
	}
	if (!err && !r->held) {
		r->held = kvmalloc(sizeof(*r->held), GFP_KERNEL);
		if (r->held)
			om_siglog_init(r->held);
		else
			err = -ENOMEM;
	}
	/* its calls are its own until the restore resumes it (om_guest_go) */
	if (!err)
		err = om_role_set(&om_guest_role, r, q->reason);
	if (!err) {
		om_sess_get(s);		/* the role's */
		r->guest = get_task_struct(current);
		r->state = OM_RS_ATTACHED;
		r->t_attach = ktime_get_ns();
	}
	mutex_unlock(&r->lock);
	om_sess_put(s);
	return err;
}

static int om_keeper_report(struct file *dev, struct om_guest_req *q)
{
	struct om_sess *s = dev->private_data;
	struct om_remote *r;
	int st = q->status;

	if (!s || s->id != q->id)
		return -ESRCH;
	r = s->priv;
	if (!q->running) {
		/* the restore failed before the program ran */
		q->reason[sizeof(q->reason) - 1] = 0;
		if (st >= 0 || st < -OM_MIG_ERRNO_MAX)
			st = -EIO;
		mutex_lock(&r->lock);
		if (r->state < OM_RS_RUNNING) {
			r->state = OM_RS_ENDED;
			mutex_unlock(&r->lock);
			/* a home that aborted (pages streaming) waits for nothing */
			if (!READ_ONCE(s->dead))
				om_sess_send_why(s, OM_MIG_DONE, st, 0, q->reason);
			om_sess_end(s, st, q->reason);
		} else {
			mutex_unlock(&r->lock);
		}
		return 0;
	}
	return om_guest_status(r, st);
}

long om_guest_ioctl(struct file *dev, struct om_guest_req __user *ureq)
{
	struct om_guest_req q;
	long ret;

	if (copy_from_user(&q, ureq, sizeof(q)))
		return -EFAULT;
	if (q.size != sizeof(q) || q.pad)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (q.op) {
	case OM_GUEST_OPEN:
		ret = om_keeper_open(dev, &q);
		break;
	case OM_GUEST_ATTACH:
		ret = om_keeper_attach(&q);
		break;
	case OM_GUEST_REPORT:
		ret = om_keeper_report(dev, &q);
		break;
	default:
		ret = -EINVAL;
	}
	if (!ret && copy_to_user(ureq, &q, sizeof(q)))
		ret = -EFAULT;
	return ret;
}

/* The keeper's /dev/openmosix is closed: it died, or is done. */
void om_guest_keeper_gone(struct file *dev)
{
	struct om_sess *s = dev->private_data;
	struct om_remote *r;

	if (!s)
		return;
	r = s->priv;
	if (!READ_ONCE(s->dead)) {
		om_sess_send_why(s, r->state >= OM_RS_RUNNING ? OM_MIG_ABORT : OM_MIG_DONE,
				 -EPIPE, 0, "its keeper at the remote ended");
		om_sess_end(s, -EPIPE, "keeper ended");
	}
	om_sess_put(s);
}
