// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The process view shared by omctl proc (netlink) and /proc/hpc/procs:
 * walking a pid namespace's processes, one process's migration state
 * with the reason it cannot move, and who may lock it.
 */
#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "om_ckpt.h"
#include "om_ptab.h"

struct task_struct *om_pview_next(struct pid_namespace *ns, pid_t *nr)
{
	struct task_struct *t = NULL;
	pid_t n = *nr;
	struct pid *pid;

	rcu_read_lock();
	for (;;) {
		pid = find_ge_pid(n, ns);
		if (!pid)
			break;
		n = pid_nr_ns(pid, ns);
		/* the leader of a thread group: threads are not listed */
		t = pid_task(pid, PIDTYPE_TGID);
		if (t && !(t->flags & PF_KTHREAD)) {
			get_task_struct(t);
			break;
		}
		t = NULL;
		n++;
	}
	rcu_read_unlock();
	*nr = n;
	return t;
}

/*
 * Does the viewer own every identity of t (as ptrace's uid check, plus
 * dumpability), so that it may see where t's memory is?
 */
static bool om_pview_owns(struct task_struct *t, const struct cred *viewer)
{
	const struct cred *tc;
	bool mine;

	rcu_read_lock();
	tc = __task_cred(t);
	mine = uid_eq(tc->uid, viewer->euid) && uid_eq(tc->euid, viewer->euid) &&
	       uid_eq(tc->suid, viewer->euid);
	rcu_read_unlock();
	if (!mine)
		return false;
	task_lock(t);
	mine = t->mm && get_dumpable(t->mm) == SUID_DUMP_USER;
	task_unlock(t);
	return mine;
}

/* Drop the " at <hex address>" parts of a reason (ASLR: as /proc/PID/maps). */
static void om_pview_redact(char *s)
{
	char *p = s, *h, *e;

	while ((p = strstr(p, " at "))) {
		h = p + 4;
		for (e = h; isxdigit(*e); e++)
			;
		if (e > h && (!*e || *e == ' '))
			memmove(p, e, strlen(e) + 1);
		else
			p = h;
	}
}

void om_pview_fill(struct task_struct *t, struct pid_namespace *ns,
		   const struct cred *viewer, bool privileged,
		   struct om_pview *v)
{
	int err;

	memset(v, 0, sizeof(*v));
	v->pid = task_tgid_nr_ns(t, ns);
	rcu_read_lock();
	v->uid = from_kuid_munged(viewer->user_ns, __task_cred(t)->uid);
	rcu_read_unlock();
	get_task_comm(v->comm, t);
	om_ptab_get(t, &v->st);
	if (v->st.where != v->st.home && v->st.left_ns) {
		u64 now = ktime_get_ns();

		if (now > v->st.left_ns)
			v->away_ms = div_u64(now - v->st.left_ns, NSEC_PER_MSEC);
	}
	err = om_cantmove_view(t, OM_CM_MIGRATE, v->reason);
	if (!err)
		return;
	v->cantmove = true;
	if (!v->reason[0])
		om_reason(v->reason, "could not be checked (%d)", err);
	if (!privileged && !om_pview_owns(t, viewer))
		om_pview_redact(v->reason);
}

bool om_pview_may_set(struct task_struct *t, bool privileged)
{
	const struct cred *me = current_cred(), *tc;
	bool ok;

	if (privileged)
		return true;
	rcu_read_lock();
	tc = __task_cred(t);
	ok = uid_eq(me->uid, tc->uid) || uid_eq(me->uid, tc->euid) ||
	     uid_eq(me->euid, tc->uid) || uid_eq(me->euid, tc->euid);
	rcu_read_unlock();
	return ok;
}
