// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS client calls: one request, one reply.  A call is listed as pending
 * under its request id while its caller waits (killable, bounded by
 * mfs_timeout_ms); the reply, from the transport's receive thread, is
 * checked against the request (om_mfs_reply_match) and handed over.  A
 * node that goes down, is removed or blocked fails its pending calls
 * with -EIO at once (node notifier), and a call to a node that is down
 * fails without waiting.  Nothing here knows of inodes.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/notifier.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "om_core.h"
#include "om_node.h"
#include "om_transport.h"
#include "om_mfs.h"

/* a reply later than this is not coming: the server may be writing a lot */
/* a connection to a node that is up is made well within this */
#define OM_RPC_CONNECT		(10 * HZ)
/* the server is busy: try again after */
#define OM_RPC_BUSY_WAIT	(HZ / 50)

static DEFINE_SPINLOCK(om_rpc_lock);
static LIST_HEAD(om_rpc_pending);
static atomic64_t om_rpc_next_id;
static atomic64_t om_rpc_sent;		/* requests sent, for the counter */

/*
 * The caller's fsuid, fsgid and groups.  The kernel keeps groups sorted;
 * duplicates go.  More than the protocol carries is refused rather than
 * cut: a group left out can deny as well as allow.
 */
static int om_rpc_cred(struct om_mfs_cred *c)
{
	const struct cred *cr = current_cred();
	const struct group_info *gi = cr->group_info;
	int i;

	c->uid = from_kuid_munged(&init_user_ns, cr->fsuid);
	c->gid = from_kgid_munged(&init_user_ns, cr->fsgid);
	if (c->uid == OM_MFS_INVALID_ID || c->gid == OM_MFS_INVALID_ID)
		return -EINVAL;
	c->ngroups = 0;
	for (i = 0; gi && i < gi->ngroups; i++) {
		u32 g = from_kgid_munged(&init_user_ns, gi->gid[i]);

		if (g == OM_MFS_INVALID_ID)
			continue;
		if (c->ngroups && g <= c->groups[c->ngroups - 1]) {
			if (g == c->groups[c->ngroups - 1])
				continue;
			return -EINVAL;	/* not sorted: cannot be */
		}
		if (c->ngroups == OM_MFS_NGROUPS_MAX)
			return -E2BIG;
		c->groups[c->ngroups++] = g;
	}
	return 0;
}

/* Is the node one we can ask now (up, or ourselves)? */
static bool om_rpc_node_up(u16 node)
{
	struct om_node *n;
	bool up;

	if (node == om_self_id())
		return true;
	mutex_lock(&om_nodes_lock);
	n = om_node_find(node);
	up = n && n->up && !(n->flags & OM_NF_BLOCKED);
	mutex_unlock(&om_nodes_lock);
	return up;
}

/* Send the request; waits a little for a connection to be made */
static int om_rpc_send(u16 node, u8 type, const u8 *buf, u32 len)
{
	unsigned long deadline = jiffies + OM_RPC_CONNECT;
	int err;

	pr_debug("mfs: %s to node %u for %s\n", om_mfs_type_name(type), node,
		 current->comm);
	if (node == om_self_id()) {
		om_mfs_server_rx(node, type, buf, len);
		return 0;
	}
	for (;;) {
		err = om_transport_send(node, type, buf, len);
		if (err != -ENOTCONN)
			break;
		/* a node that went down meanwhile will not connect */
		if (time_after(jiffies, deadline) || !om_rpc_node_up(node))
			return -EIO;
		if (schedule_timeout_killable(HZ / 10) && fatal_signal_pending(current))
			return -EINTR;
	}
	/* the node does not serve MFS: it said so in its HELLO */
	if (err == -EOPNOTSUPP)
		return err;
	return err ? -EIO : 0;
}

/*
 * The errno of an R_ERROR, for the caller to return.  The codec lets
 * through any -4095..-1, but 512 and up are the kernel's own codes, with
 * meanings inside it (-EIOCBQUEUED from read_iter is "wait for the
 * kiocb", a BUG_ON in a plain read(); -ERESTARTSYS restarts a system
 * call): from a server they are a protocol error.
 */
static int om_rpc_errno(s32 err)
{
	return err <= -ERESTARTSYS ? -EIO : err;
}

/* Take c off the pending list if it is still there: was it answered? */
static bool om_rpc_unlist(struct om_mfs_call *c)
{
	bool done;

	spin_lock(&om_rpc_lock);
	done = c->done;
	if (!done)
		list_del_init(&c->list);
	spin_unlock(&om_rpc_lock);
	return done;
}

/*
 * Encode c->req under a fresh id, list the call and send it: 0 with the
 * call listed (or already failed by a node loss: c->done), or an errno
 * with the call not listed.
 */
static int om_rpc_post(u16 node, struct om_mfs_call *c)
{
	int n, err;
	u8 *buf;

	c->req.req_id = atomic64_inc_return(&om_rpc_next_id) ?:
			atomic64_inc_return(&om_rpc_next_id);
	n = om_mfs_encode(&c->req, NULL, 0);
	if (n < 0)
		return n;
	buf = kvmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = om_mfs_encode(&c->req, buf, n);
	if (n < 0) {
		kvfree(buf);
		return n;
	}
	c->done = false;
	c->err = 0;
	c->brk_seq = om_mfs_promise_seq(node);
	c->sent = jiffies;
	atomic64_inc(&om_rpc_sent);
	reinit_completion(&c->answered);
	spin_lock(&om_rpc_lock);
	list_add_tail(&c->list, &om_rpc_pending);
	spin_unlock(&om_rpc_lock);
	/* listed first: a node going down from now on fails the call */
	err = om_rpc_node_up(node) ? om_rpc_send(node, c->req.type, buf, n) : -EIO;
	kvfree(buf);
	if (err && !om_rpc_unlist(c))
		return err;
	return 0;
}

/* The bound on one request, the sysfs knob mfs_timeout_ms */
static unsigned long om_rpc_timeout(void)
{
	return msecs_to_jiffies(READ_ONCE(om_tun.mfs_timeout_ms));
}

/*
 * Wait for a posted call's reply (at most mfs_timeout_ms after it was
 * sent) and take it off the list: 0 and c->rep, -ENOBUFS (the server is
 * busy: ask again), or another errno.
 */
static int om_rpc_collect(u16 node, struct om_mfs_call *c)
{
	long left, tmo = (long)(c->sent + om_rpc_timeout() - jiffies);

	left = wait_for_completion_killable_timeout(&c->answered,
						    max(tmo, 1L));
	if (!om_rpc_unlist(c)) {
		if (!left)
			pr_debug("mfs: node %u did not answer %s in time\n",
				 node, om_mfs_type_name(c->req.type));
		return left ? -EINTR : -EIO;
	}
	if (c->err)
		return c->err;
	/* the node was there when we sent: it tells us of changes */
	c->prm_epoch = om_mfs_promise_heard(node, c->sent);
	if (c->rep.type == OM_MFS_R_ERROR)
		return om_rpc_errno(c->rep.error.err);
	return 0;
}

int om_mfs_call_start(u16 node, struct om_mfs_call *c)
{
	INIT_LIST_HEAD(&c->list);
	init_completion(&c->answered);
	c->node = node;
	c->buf = NULL;
	c->deadline = jiffies + om_rpc_timeout();
	c->start_err = om_rpc_cred(&c->req.cred);
	if (!c->start_err)
		c->start_err = om_rpc_post(node, c);
	return c->start_err;
}

int om_mfs_call_wait(struct om_mfs_call *c)
{
	int err = c->start_err;

	while (!err) {
		err = om_rpc_collect(c->node, c);
		if (err != -ENOBUFS || time_after(jiffies, c->deadline))
			break;
		kvfree(c->buf);
		c->buf = NULL;
		if (schedule_timeout_killable(OM_RPC_BUSY_WAIT) &&
		    fatal_signal_pending(current))
			err = -EINTR;
		else
			err = om_rpc_post(c->node, c);
	}
	/* not listed any more: a second wait only says how it ended */
	c->start_err = err ?: -EALREADY;
	return err;
}

void om_mfs_call_cancel(struct om_mfs_call *c)
{
	/* started and not waited for: listed, or answered meanwhile */
	if (!c->start_err)
		om_rpc_unlist(c);
	c->start_err = -ECANCELED;
	om_mfs_call_end(c);
}

int om_mfs_call(u16 node, struct om_mfs_call *c)
{
	om_mfs_call_start(node, c);
	return om_mfs_call_wait(c);
}

void om_mfs_call_end(struct om_mfs_call *c)
{
	kvfree(c->buf);
	c->buf = NULL;
}

u64 om_mfs_rpc_count(void)
{
	return atomic64_read(&om_rpc_sent);
}

struct om_mfs_call *om_mfs_call_alloc(u8 type)
{
	struct om_mfs_call *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (c)
		c->req.type = type;
	return c;
}

void om_mfs_call_free(struct om_mfs_call *c)
{
	if (!c)
		return;
	om_mfs_call_end(c);
	kfree(c);
}

/* Answer a pending call (or fail it, with err), under om_rpc_lock */
static void om_rpc_answer(struct om_mfs_call *c, int err)
{
	c->err = err;
	c->done = true;
	list_del_init(&c->list);
	/* under the lock: the caller frees c only after it took the lock */
	complete(&c->answered);
}

void om_mfs_rpc_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	struct om_mfs_call *c;
	struct om_mfs_msg m;
	u64 id;
	u8 *copy;
	int err;

	if (len < 8)
		return;
	id = get_unaligned_le64(payload);
	/* the reply keeps pointing into its payload: a copy the caller frees */
	copy = kvmalloc(len, GFP_KERNEL);
	if (!copy)
		return;
	memcpy(copy, payload, len);
	err = om_mfs_decode(type, copy, len, &m);
	spin_lock(&om_rpc_lock);
	list_for_each_entry(c, &om_rpc_pending, list) {
		if (c->req.req_id != id || c->node != from)
			continue;
		if (!err)
			err = om_mfs_reply_match(&c->req, &m);
		if (err) {
			pr_debug("mfs: bad reply %s to %s from node %u: %d\n",
				 om_mfs_type_name(type),
				 om_mfs_type_name(c->req.type), from, err);
			om_rpc_answer(c, -EIO);
		} else {
			c->rep = m;
			c->buf = copy;
			copy = NULL;
			om_rpc_answer(c, 0);
		}
		break;
	}
	spin_unlock(&om_rpc_lock);
	kvfree(copy);
}

static void om_rpc_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	om_mfs_rpc_rx(from, type, payload, len);
}

/* A node lost: its calls fail now (called under om_nodes_lock) */
static int om_rpc_node_event(struct notifier_block *nb, unsigned long ev,
			     void *data)
{
	struct om_node_event_info *info = data;
	struct om_mfs_call *c, *tmp;

	if (ev != OM_NODE_EV_DOWN && ev != OM_NODE_EV_REMOVED &&
	    ev != OM_NODE_EV_BLOCKED)
		return NOTIFY_DONE;
	spin_lock(&om_rpc_lock);
	list_for_each_entry_safe(c, tmp, &om_rpc_pending, list)
		if (c->node == info->id)
			om_rpc_answer(c, -EIO);
	spin_unlock(&om_rpc_lock);
	return NOTIFY_DONE;
}

static struct notifier_block om_rpc_node_nb = {
	.notifier_call = om_rpc_node_event,
};

int om_mfs_rpc_init(void)
{
	int t, err;

	err = om_node_notifier_register(&om_rpc_node_nb);
	if (err)
		return err;
	for (t = OM_MFS_REP_FIRST; t <= OM_MFS_REP_LAST; t++) {
		err = om_transport_register_handler(t, om_rpc_rx);
		if (err)
			goto fail;
	}
	return 0;
fail:
	while (--t >= OM_MFS_REP_FIRST)
		om_transport_unregister_handler(t);
	om_node_notifier_unregister(&om_rpc_node_nb);
	return err;
}

void om_mfs_rpc_exit(void)
{
	int t;

	for (t = OM_MFS_REP_FIRST; t <= OM_MFS_REP_LAST; t++)
		om_transport_unregister_handler(t);
	om_node_notifier_unregister(&om_rpc_node_nb);
}
