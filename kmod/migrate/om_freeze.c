// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Freeze: a task_work queued with TWA_SIGNAL runs in the target's own
 * context on its way back to user mode (after an interrupt, or from an
 * interruptible sleep, which returns -ERESTART* and is restarted after we
 * let it go).  The callback captures the CPU and task state, then parks
 * the task in a killable sleep until the checkpointer gives its verdict:
 * resume, or die (SIGKILL, queued before the wake-up, so no user
 * instruction runs after a complete checkpoint).
 *
 * Nothing can cancel a queued task_work (task_work_cancel is not
 * exported), so the shared state is refcounted and every queued callback
 * holds a module reference until it has run: if the target never reaches
 * a safe point (uninterruptible sleep), the checkpointer gives up
 * (ABANDONED), the callback later finds that out and returns at once.
 * A task keeps at most one abandoned callback, and the number queued on
 * all tasks is capped, so a target that never reaches a safe point
 * (killable sleep) cannot make us hold freeze state without bound.
 *
 * The callback also re-checks, in the target's own context, what the
 * checkpointer's permission was decided on (same mm, same exec, same
 * credentials, same dumpability): a target that execve()d a setuid
 * program in between is refused, never imaged.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/cred.h>
#include <linux/sched/mm.h>
#include <linux/sched/coredump.h>
#include <linux/delay.h>

#include "om_ckpt.h"
#include "om_migrate.h"

#define OM_FREEZE_TIMEOUT	(10 * HZ)
/* Parked: killable, and not counted in the load average. */
#define OM_TASK_PARKED		(TASK_KILLABLE | TASK_NOLOAD)

/* Queued callbacks on all tasks; each holds a few KiB until it runs. */
#define OM_FREEZE_MAX_PENDING	1024

static atomic_t om_freeze_pending = ATOMIC_INIT(0);
static LIST_HEAD(om_freeze_abandoned);
static DEFINE_SPINLOCK(om_freeze_abandoned_lock);

static void om_freeze_free(struct kref *ref)
{
	struct om_freeze *fz = container_of(ref, struct om_freeze, ref);

	if (fz->exp.cred)
		put_cred(fz->exp.cred);
	path_put(&fz->exp.root);
	om_dump_release(&fz->st);
	put_task_struct(fz->task);
	kfree(fz);
}

static void om_freeze_put(struct om_freeze *fz)
{
	kref_put(&fz->ref, om_freeze_free);
}

/* Sets a new state unless the checkpointer abandoned us; under fz->lock. */
static bool om_freeze_set(struct om_freeze *fz, int state)
{
	bool ok;

	spin_lock(&fz->lock);
	ok = fz->state == OM_FZ_QUEUED;
	if (ok)
		fz->state = state;
	spin_unlock(&fz->lock);
	if (ok)
		complete(&fz->frozen);
	return ok;
}

static bool om_freeze_used;

static void om_freeze_park(struct om_freeze *fz)
{
	int ret;

	ret = ___wait_event(fz->wq, READ_ONCE(fz->verdict) != OM_FV_NONE,
			    OM_TASK_PARKED, 0, 0, schedule());
	if (ret && READ_ONCE(fz->verdict) == OM_FV_NONE)
		WRITE_ONCE(fz->killed, true);
}

static bool om_cap_eq(kernel_cap_t a, kernel_cap_t b)
{
	return cap_issubset(a, b) && cap_issubset(b, a);
}

static bool om_cred_same(const struct cred *a, const struct cred *b)
{
	return a == b ||
	       (uid_eq(a->uid, b->uid) && uid_eq(a->euid, b->euid) &&
		uid_eq(a->suid, b->suid) && uid_eq(a->fsuid, b->fsuid) &&
		gid_eq(a->gid, b->gid) && gid_eq(a->egid, b->egid) &&
		gid_eq(a->sgid, b->sgid) && gid_eq(a->fsgid, b->fsgid) &&
		a->group_info == b->group_info && a->user_ns == b->user_ns &&
		a->securebits == b->securebits &&
		om_cap_eq(a->cap_permitted, b->cap_permitted) &&
		om_cap_eq(a->cap_effective, b->cap_effective) &&
		om_cap_eq(a->cap_inheritable, b->cap_inheritable) &&
		om_cap_eq(a->cap_bset, b->cap_bset) &&
		om_cap_eq(a->cap_ambient, b->cap_ambient));
}

/* In the target: is it still what the checkpointer was allowed to image? */
static int om_freeze_check_expect(const struct om_freeze_expect *e, char *reason)
{
	if (current->mm != e->mm || current->self_exec_id != e->exec_id) {
		om_reason(reason, "permission denied: process executed a new program during the checkpoint");
		return -EPERM;
	}
	if (!om_cred_same(current_cred(), e->cred)) {
		om_reason(reason, "permission denied: process changed its credentials during the checkpoint");
		return -EPERM;
	}
	if (get_dumpable(current->mm) != e->dumpable) {
		om_reason(reason, "permission denied: process changed its dumpable flag during the checkpoint");
		return -EPERM;
	}
	return 0;
}

static void om_freeze_cb(struct callback_head *cb)
{
	struct om_freeze *fz = container_of(cb, struct om_freeze, twork);
	char *reason = fz->reason;
	int err;

	/* task_work also runs at exit */
	if ((current->flags & PF_EXITING) || fatal_signal_pending(current)) {
		om_freeze_set(fz, OM_FZ_EXITED);
		goto out;
	}
	if (READ_ONCE(fz->state) != OM_FZ_QUEUED)
		goto out;
	err = om_freeze_check_expect(&fz->exp, reason);
	if (!err)
		err = om_cantmove_current(fz->exp.cm, reason);
	if (!err)
		err = om_dump_capture(&fz->st, reason);
	fz->err = err;
	if (!om_freeze_set(fz, err ? OM_FZ_REFUSED : OM_FZ_FROZEN) || err)
		goto out;
	om_freeze_park(fz);
	/* migrated: stay as the deputy (it owns a session reference now) */
	if (READ_ONCE(fz->verdict) == OM_FV_DEPUTY)
		om_deputy_enter(fz->deputy, &fz->st);
out:
	/* stopped before: stop again before any user code runs */
	if (fz->was_stopped && READ_ONCE(fz->verdict) != OM_FV_KILL &&
	    !(current->flags & PF_EXITING))
		send_sig(SIGSTOP, current, 1);
	spin_lock(&om_freeze_abandoned_lock);
	list_del_init(&fz->abandoned);
	spin_unlock(&om_freeze_abandoned_lock);
	om_freeze_put(fz);
	atomic_dec(&om_freeze_pending);
	module_put(THIS_MODULE);
}

/* Stopped by SIGSTOP or job control (the whole group, single-threaded). */
bool om_task_stopped(struct task_struct *t)
{
	return (READ_ONCE(t->signal->flags) & SIGNAL_STOP_STOPPED) || task_is_stopped(t);
}

static bool om_freeze_abandoned_on(struct task_struct *t)
{
	struct om_freeze *fz;
	bool found = false;

	spin_lock(&om_freeze_abandoned_lock);
	list_for_each_entry(fz, &om_freeze_abandoned, abandoned) {
		if (fz->task == t) {
			found = true;
			break;
		}
	}
	spin_unlock(&om_freeze_abandoned_lock);
	return found;
}

/*
 * Freeze @t (pinned by the caller).  A stopped task only runs task_work
 * once continued: it gets SIGCONT and, at release, SIGSTOP again before
 * it leaves the callback, so it runs no user code and stays stopped
 * (its parent sees it continue and stop; a SIGCONT handler runs).  Returns the frozen context, or NULL
 * with *err and the reason set; then the task was not stopped (or it was
 * only interrupted and went on).  @exp (its cred reference passes to the
 * freeze) is what the target must still be at the freeze point.
 */
static struct om_freeze *om_freeze_once(struct task_struct *t, struct om_freeze_expect *exp,
					char *reason, int *err)
{
	struct om_freeze *fz;
	long left;
	int state;

	fz = kzalloc(sizeof(*fz), GFP_KERNEL_ACCOUNT);
	if (!fz) {
		put_cred(exp->cred);
		path_put(&exp->root);
		*err = -ENOMEM;
		return NULL;
	}
	fz->exp = *exp;
	fz->st.cm = exp->cm;
	fz->st.want_root = exp->root;
	INIT_LIST_HEAD(&fz->abandoned);
	kref_init(&fz->ref);
	init_completion(&fz->frozen);
	init_waitqueue_head(&fz->wq);
	spin_lock_init(&fz->lock);
	fz->task = t;
	get_task_struct(t);
	init_task_work(&fz->twork, om_freeze_cb);

	if (om_freeze_abandoned_on(t)) {
		*err = -EBUSY;
		om_reason(reason, "an earlier checkpoint still waits for this process to reach a safe point");
		goto fail;
	}
	if (atomic_inc_return(&om_freeze_pending) > OM_FREEZE_MAX_PENDING) {
		atomic_dec(&om_freeze_pending);
		*err = -EBUSY;
		om_reason(reason, "too many checkpoints wait for their processes to reach a safe point");
		goto fail;
	}
	if (!try_module_get(THIS_MODULE)) {
		atomic_dec(&om_freeze_pending);
		*err = -ENODEV;
		goto fail;
	}
	WRITE_ONCE(om_freeze_used, true);
	kref_get(&fz->ref);		/* the callback's */
	*err = task_work_add(t, &fz->twork, TWA_SIGNAL);
	if (*err) {
		atomic_dec(&om_freeze_pending);
		module_put(THIS_MODULE);
		om_freeze_put(fz);
		om_reason(reason, "process is exiting");
		goto fail;
	}

	fz->was_stopped = om_task_stopped(t);
	fz->st.stopped = fz->was_stopped;
	if (fz->was_stopped)
		send_sig(SIGCONT, t, 1);
	left = wait_for_completion_killable_timeout(&fz->frozen, OM_FREEZE_TIMEOUT);
	spin_lock(&om_freeze_abandoned_lock);
	spin_lock(&fz->lock);
	state = fz->state;
	if (state == OM_FZ_QUEUED) {
		fz->state = OM_FZ_ABANDONED;
		list_add(&fz->abandoned, &om_freeze_abandoned);
	}
	spin_unlock(&fz->lock);
	spin_unlock(&om_freeze_abandoned_lock);

	switch (state) {
	case OM_FZ_FROZEN:
		return fz;
	case OM_FZ_REFUSED:
		*err = fz->err;
		om_reason(reason, "%s", fz->reason);
		break;
	case OM_FZ_EXITED:
		*err = -ESRCH;
		om_reason(reason, "process exited");
		break;
	default:
		*err = left < 0 ? -EINTR : -ETIMEDOUT;
		om_reason(reason, left < 0 ? "interrupted" :
			  "process did not reach a safe point (uninterruptible sleep?)");
		break;
	}
fail:
	om_freeze_put(fz);
	return NULL;
}

/*
 * A task caught in its restore trampoline (just restored, or just come
 * home) refuses with -EINPROGRESS: it finishes within a few system calls,
 * so ask again until the freeze timeout.  Each try takes its own
 * references of @exp; ours go at the end.
 */
struct om_freeze *om_freeze_task(struct task_struct *t, struct om_freeze_expect *exp,
				 char *reason, int *err)
{
	unsigned long end = jiffies + OM_FREEZE_TIMEOUT;
	bool had_reason = reason[0];
	struct om_freeze *fz;

	for (;;) {
		struct om_freeze_expect e = *exp;

		if (e.cred)
			get_cred(e.cred);
		path_get(&e.root);
		fz = om_freeze_once(t, &e, reason, err);
		if (fz || *err != -EINPROGRESS)
			break;
		if (time_after(jiffies, end)) {
			*err = -EBUSY;
			break;
		}
		if (!had_reason)
			reason[0] = 0;
		if (msleep_interruptible(20)) {
			om_reason(reason, "interrupted");
			*err = -EINTR;
			break;
		}
	}
	if (exp->cred)
		put_cred(exp->cred);
	path_put(&exp->root);
	return fz;
}

/* Let a frozen task go: OM_FV_RESUME, or OM_FV_KILL after a checkpoint. */
void om_freeze_release(struct om_freeze *fz, int verdict)
{
	if (verdict == OM_FV_KILL)
		send_sig(SIGKILL, fz->task, 1);
	WRITE_ONCE(fz->verdict, verdict);
	wake_up_all(&fz->wq);
	om_freeze_put(fz);
}

int om_freeze_init(void)
{
	return 0;
}

void om_freeze_exit(void)
{
	/* queued callbacks hold module references: nothing can be pending */
	WARN_ON_ONCE(atomic_read(&om_freeze_pending));
	/*
	 * But a callback runs a few instructions of this module after its
	 * module_put(); every task leaves them before its next voluntary
	 * switch or return to user mode, which is what tasks RCU waits for.
	 */
	if (READ_ONCE(om_freeze_used))
		synchronize_rcu_tasks();
}
