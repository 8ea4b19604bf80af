// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The system call hook of migrated processes (Documentation/deputy-hooks.md
 * has the lab experiment this rests on): a guest (the process at its
 * remote) and a deputy (the process's home task) each get a role here.
 * The task itself, in its own context, sets SYSCALL_WORK_SECCOMP on
 * itself without installing a filter: its seccomp mode stays 0, so
 * /proc/PID/status, prctl and fork see no seccomp, and every system call
 * it makes enters __secure_computing().  Our IPMODIFY ftrace ops on that
 * function sends every call made with seccomp mode 0 to om_hook_handler()
 * (same signature), which runs as the body of the call, in process
 * context, and may sleep: it returns 0 (run the call natively) or -1 with
 * the result in regs->ax (the call is skipped; orig_ax stays, so signal
 * restart works as for a real call).  The body of __secure_computing()
 * never runs for such a task, so its BUG() for mode 0 is never reached:
 * the ops is registered before the first role is set and unregistered
 * after the last one is gone (each role holds a module reference), and
 * a task that carries the flag without a role (a child forked by a
 * deputy) loses the flag on its first call.  Tasks with a real seccomp
 * filter pay one compare per call while the ops is registered.
 */
#include <linux/module.h>
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seccomp.h>
#include <linux/slab.h>
#include <linux/thread_info.h>
#include <linux/tracepoint.h>
#include <linux/signal.h>
#include <asm/syscall.h>

#include "om_migrate.h"
#include "compat/compat.h"

struct om_role {
	struct hlist_node node;
	struct task_struct *task;	/* a reference */
	const struct om_role_ops *ops;
	void *ctx;
	struct rcu_head rcu;
	struct work_struct work;	/* the end of a role whose task exited */
};

static DEFINE_HASHTABLE(om_roles, 6);
static DEFINE_SPINLOCK(om_roles_lock);
static DEFINE_MUTEX(om_hook_lock);	/* ops registration */
static unsigned int om_hook_users;	/* under om_hook_lock */
static bool om_hook_used;
static struct tracepoint *om_tp_exit, *om_tp_deliver;
/* process context for what atomic callers cannot do; flushed at exit */
struct workqueue_struct *om_mig_wq;

static struct om_role *om_role_find(struct task_struct *t)
{
	struct om_role *r;

	hash_for_each_possible_rcu(om_roles, r, node, (unsigned long)t)
		if (r->task == t)
			return r;
	return NULL;
}

/*
 * Runs instead of __secure_computing() for a task with the flag and no
 * seccomp mode.  Preemptible, process context: the role's handler may
 * sleep.  The role cannot go away under it: only the task itself, or
 * its exit (which it is not in), removes it.
 */
static int om_hook_handler(const struct seccomp_data *sd)
{
	struct pt_regs *regs = current_pt_regs();
	struct om_role *r;

	rcu_read_lock();
	r = om_role_find(current);
	rcu_read_unlock();
	if (!r) {
		/* a child of a deputy, or a role already ended: be a normal task */
		clear_task_syscall_work(current, SECCOMP);
		return 0;
	}
	if (in_ia32_syscall())
		return r->ops->compat(r->ctx, regs);
	return r->ops->syscall(r->ctx, regs);
}

static void notrace om_hook_ftrace(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	/* a real filter (or strict mode): not ours, let seccomp do its work */
	if (likely(READ_ONCE(current->seccomp.mode) != SECCOMP_MODE_DISABLED))
		return;
	om_ftrace_set_ip(fregs, (unsigned long)om_hook_handler);
}

static struct ftrace_ops om_hook_ops = {
	.func = om_hook_ftrace,
	/* as livepatch (kernel/livepatch/patch.c klp_patch_func()) */
	.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
		 | FTRACE_OPS_FL_SAVE_REGS
#endif
		 ,
};

static int om_hook_get(char *reason)
{
	int err = 0;

	mutex_lock(&om_hook_lock);
	if (!om_hook_users) {
		err = ftrace_set_filter(&om_hook_ops, "__secure_computing",
					strlen("__secure_computing"), 1);
		if (!err)
			err = register_ftrace_function(&om_hook_ops);
		if (err)
			om_reason(reason, "cannot hook system calls (ftrace on __secure_computing: %d; a livepatch of it?)",
				  err);
		else
			om_hook_used = true;
	}
	if (!err)
		om_hook_users++;
	mutex_unlock(&om_hook_lock);
	return err;
}

static void om_hook_put(void)
{
	mutex_lock(&om_hook_lock);
	if (!--om_hook_users)
		unregister_ftrace_function(&om_hook_ops);
	mutex_unlock(&om_hook_lock);
}

/*
 * Give current a role: from now on each of its system calls goes to
 * @ops.  In current's own context.  Holds a module reference until the
 * role ends.
 */
int om_role_set(const struct om_role_ops *ops, void *ctx, char *reason)
{
	struct om_role *r;
	int err;

	if (current->seccomp.mode != SECCOMP_MODE_DISABLED) {
		om_reason(reason, "seccomp mode %d", current->seccomp.mode);
		return -EBUSY;
	}
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		module_put(THIS_MODULE);
		return -ENOMEM;
	}
	err = om_hook_get(reason);
	if (err) {
		kfree(r);
		module_put(THIS_MODULE);
		return err;
	}
	r->task = get_task_struct(current);
	r->ops = ops;
	r->ctx = ctx;
	spin_lock(&om_roles_lock);
	if (om_role_find(current)) {
		spin_unlock(&om_roles_lock);
		om_reason(reason, "already migrated");
		put_task_struct(r->task);
		kfree(r);
		om_hook_put();
		module_put(THIS_MODULE);
		return -EBUSY;
	}
	hash_add_rcu(om_roles, &r->node, (unsigned long)current);
	spin_unlock(&om_roles_lock);
	/* the role is visible before the first call can look for it */
	set_task_syscall_work(current, SECCOMP);
	return 0;
}

/* Has @t a role (a guest here, or the deputy of a process away)? */
bool om_role_of(struct task_struct *t)
{
	bool ret;

	rcu_read_lock();
	ret = om_role_find(t) != NULL;
	rcu_read_unlock();
	return ret;
}

/* @t's role context if its role is @ops, else NULL; @t is current. */
void *om_role_ctx(struct task_struct *t, const struct om_role_ops *ops)
{
	struct om_role *r;
	void *ctx = NULL;

	rcu_read_lock();
	r = om_role_find(t);
	if (r && r->ops == ops)
		ctx = r->ctx;
	rcu_read_unlock();
	return ctx;
}

/*
 * Calls @get(ctx, arg) for the role of @t (or, with @t NULL, for every
 * role) whose ops are @ops, under the roles' lock: a role's own
 * references (its session) are dropped only after it left the table,
 * so @get may take a reference of its own there (atomic context, no
 * sleeping).  Returns how many roles matched.
 */
unsigned int om_role_grab(struct task_struct *t, const struct om_role_ops *ops,
			  void (*get)(void *ctx, void *arg), void *arg)
{
	unsigned int n = 0;
	struct om_role *r;
	int bkt;

	spin_lock(&om_roles_lock);
	if (t) {
		r = om_role_find(t);
		if (r && r->ops == ops) {
			get(r->ctx, arg);
			n++;
		}
	} else {
		hash_for_each(om_roles, bkt, r, node) {
			if (r->ops == ops) {
				get(r->ctx, arg);
				n++;
			}
		}
	}
	spin_unlock(&om_roles_lock);
	return n;
}

static void om_role_free_rcu(struct rcu_head *rcu)
{
	struct om_role *r = container_of(rcu, struct om_role, rcu);

	put_task_struct(r->task);
	kfree(r);
}

/* Unhash @t's role; returns it (to end outside the lock) or NULL. */
static struct om_role *om_role_take(struct task_struct *t)
{
	struct om_role *r;

	spin_lock(&om_roles_lock);
	r = om_role_find(t);
	if (r)
		hash_del_rcu(&r->node);
	spin_unlock(&om_roles_lock);
	return r;
}

static void om_role_end(struct om_role *r)
{
	call_rcu(&r->rcu, om_role_free_rcu);
	om_hook_put();
	module_put(THIS_MODULE);
}

/*
 * current leaves its role (back home, or about to exit by itself): its
 * calls are normal ones again once this returns.  Called from the role's
 * own handler; the handler still runs module code afterwards, which the
 * module's exit covers with synchronize_rcu_tasks().
 */
void om_role_clear(void)
{
	struct om_role *r;

	clear_task_syscall_work(current, SECCOMP);
	r = om_role_take(current);
	if (r)
		om_role_end(r);
}

static void om_role_exited_work(struct work_struct *w)
{
	struct om_role *r = container_of(w, struct om_role, work);

	r->ops->exited(r->ctx);
	/* last: the workqueue is destroyed (flushed) before the module goes */
	om_role_end(r);
}

/*
 * A task with a role exits without having left it (killed in the middle
 * of a native call, or at its remote): its owner learns it in process
 * context.
 */
static void om_hook_exit_probe(void *data, struct task_struct *p)
{
	struct om_role *r;

	/* cheap for everyone else: no hash lookup while no role exists */
	if (!READ_ONCE(om_hook_users) || !test_task_syscall_work(p, SECCOMP))
		return;
	r = om_role_take(p);
	if (!r)
		return;
	INIT_WORK(&r->work, om_role_exited_work);
	queue_work(om_mig_wq, &r->work);
}

/*
 * A signal is delivered: current, in get_signal(), siglock held.  A
 * SIGSTOP stops the task right after this, whatever it was doing (a
 * deputy in a native call too): its role hears of it first.  The role
 * cannot go away under us: only the task itself, or its exit, ends it.
 */
static void om_hook_deliver_probe(void *data, int sig, struct kernel_siginfo *info,
				  struct k_sigaction *ka)
{
	struct om_role *r;

	if (sig != SIGSTOP || !info || !READ_ONCE(om_hook_users) ||
	    !test_task_syscall_work(current, SECCOMP))
		return;
	rcu_read_lock();
	r = om_role_find(current);
	if (r && r->ops->stopping)
		r->ops->stopping(r->ctx, info);
	rcu_read_unlock();
}

static void om_hook_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		om_tp_exit = tp;
	else if (!strcmp(tp->name, "signal_deliver"))
		om_tp_deliver = tp;
}

int om_hook_init(void)
{
	int err;

	for_each_kernel_tracepoint(om_hook_find_tp, NULL);
	if (!om_tp_exit || !om_tp_deliver) {
		pr_err("no %s tracepoint\n", om_tp_exit ? "signal_deliver" : "sched_process_exit");
		return -ENOENT;
	}
	om_mig_wq = alloc_workqueue("om_mig", 0, 0);
	if (!om_mig_wq)
		return -ENOMEM;
	err = tracepoint_probe_register(om_tp_exit, om_hook_exit_probe, NULL);
	if (err) {
		pr_err("sched_process_exit probe: %d\n", err);
		destroy_workqueue(om_mig_wq);
		return err;
	}
	err = tracepoint_probe_register(om_tp_deliver, om_hook_deliver_probe, NULL);
	if (err) {
		pr_err("signal_deliver probe: %d\n", err);
		tracepoint_probe_unregister(om_tp_exit, om_hook_exit_probe, NULL);
		tracepoint_synchronize_unregister();
		destroy_workqueue(om_mig_wq);
	}
	return err;
}

void om_hook_exit(void)
{
	tracepoint_probe_unregister(om_tp_deliver, om_hook_deliver_probe, NULL);
	tracepoint_probe_unregister(om_tp_exit, om_hook_exit_probe, NULL);
	tracepoint_synchronize_unregister();
	destroy_workqueue(om_mig_wq);
	/* every role held a module reference: none is left */
	WARN_ON_ONCE(om_hook_users);
	rcu_barrier();
	/* handlers run a few instructions after their role ended */
	if (om_hook_used)
		synchronize_rcu_tasks();
	/*
	 * The filter's hash is allocated (kmemleak saw it outlive the
	 * module); ftrace_free_filter() leaves the ops unusable, so only
	 * here (an empty filter: nothing to free).
	 */
	ftrace_free_filter(&om_hook_ops);
}
