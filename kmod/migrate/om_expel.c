// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * omctl cluster expel / bring (mosctl expel / bring): every guest on this
 * node goes home, or every process of this node that runs elsewhere comes
 * home; the caller waits until none is left.  Each process moves by
 * itself (a guest in its own context, om_guest_send_home()), so they
 * travel in parallel; here we only ask, again every few seconds for those
 * that could not go yet (still arriving, or home refused), and count.
 */
#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "om_core.h"
#include "om_migrate.h"

#define OM_EXPEL_BATCH		64	/* sessions asked per round */
#define OM_EXPEL_ASK_EVERY	(2 * HZ)
#define OM_EXPEL_SETTLE		(10 * HZ) /* for ended sessions to be freed */

struct om_grab {
	struct om_sess *s[OM_EXPEL_BATCH];
	unsigned int n;
	bool guest;
};

/* Under the roles' lock: take a reference on each role's session. */
static void om_grab_sess(void *ctx, void *arg)
{
	struct om_grab *g = arg;
	struct om_sess *s = g->guest ? ((struct om_remote *)ctx)->s :
			    ((struct om_home *)ctx)->s;

	if (g->n < OM_EXPEL_BATCH)
		g->s[g->n++] = om_sess_get(s);
}

static void om_grab_none(void *ctx, void *arg)
{
}

static unsigned int om_expel_count(bool guest)
{
	return om_role_grab(NULL, guest ? &om_guest_role : om_deputy_role(), om_grab_none, NULL);
}

/* Ask each (or the first OM_EXPEL_BATCH) to move; returns how many there are. */
static unsigned int om_expel_ask(struct om_grab *g)
{
	unsigned int n, i;

	g->n = 0;
	n = om_role_grab(NULL, g->guest ? &om_guest_role : om_deputy_role(), om_grab_sess, g);
	for (i = 0; i < g->n; i++) {
		struct om_sess *s = g->s[i];

		if (g->guest)
			om_guest_gohome(s->priv);	/* idempotent while on its way */
		else if (!READ_ONCE(s->dead))
			om_sess_send_why(s, OM_MIG_GOHOME, 0, 0, "brought home (cluster bring)");
		om_sess_put(s);
	}
	return n;
}

static int om_expel_run(struct om_cluster_req *req)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(req->timeout_ms);
	unsigned long next_ask = jiffies;
	bool guest = req->op == OM_CLUSTER_EXPEL;
	struct om_grab *g;
	unsigned int n;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->guest = guest;
	req->found = n = om_expel_ask(g);
	next_ask = jiffies + OM_EXPEL_ASK_EVERY;
	while (n && req->timeout_ms) {
		if (time_after_eq(jiffies, deadline))
			break;
		if (msleep_interruptible(100) || signal_pending(current)) {
			kfree(g);
			req->left = om_expel_count(guest);
			om_reason(req->reason, "interrupted, %u still %s", req->left,
				  guest ? "here" : "away");
			return -EINTR;
		}
		if (time_after_eq(jiffies, next_ask)) {
			n = om_expel_ask(g);
			next_ask = jiffies + OM_EXPEL_ASK_EVERY;
		} else {
			n = om_expel_count(guest);
		}
	}
	kfree(g);
	req->left = n;
	/*
	 * All gone: let their sessions end too (a keeper closing the device
	 * still holds the module), so an unload right after us succeeds.
	 * Only a settling wait: a session lingering does not fail us.
	 */
	if (!n && req->timeout_ms) {
		unsigned long settle = jiffies + OM_EXPEL_SETTLE;

		if (time_before(deadline, settle))
			settle = deadline;
		while (om_sess_count(!guest) && time_before(jiffies, settle))
			if (msleep_interruptible(50) || signal_pending(current))
				break;
	}
	if (n && req->timeout_ms) {
		om_reason(req->reason, "%u of %u still %s after %u ms", n, req->found,
			  guest ? "here" : "away", req->timeout_ms);
		return -ETIMEDOUT;
	}
	return 0;
}

long om_expel_ioctl(struct om_cluster_req __user *ureq)
{
	struct om_cluster_req *req;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	req = om_ioc_req_in(ureq, sizeof(*req));
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = -EINVAL;
	if ((req->op != OM_CLUSTER_EXPEL && req->op != OM_CLUSTER_BRING) || req->pad)
		goto out;
	memset(req->reason, 0, sizeof(req->reason));
	req->found = req->left = 0;
	err = om_expel_run(req);
	req->reason[sizeof(req->reason) - 1] = 0;
	if (copy_to_user(ureq, req, sizeof(*req)) && !err)
		err = -EFAULT;
out:
	kfree(req);
	return err;
}
