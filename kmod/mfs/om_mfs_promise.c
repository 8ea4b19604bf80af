// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS client: the promises it holds.  A reply with attributes may carry
 * a promise (promise_ms): until it ends, the serving node sends BREAK for
 * the file before any change to it completes (om_mfs_watch.c), so the
 * attributes may answer stat() and path walks without asking.  A
 * promise counts only while all of these hold:
 *
 *  - no BREAK from that node arrived between the request's send and the
 *    reply's acceptance (the node's BREAK count, seq, did not move);
 *  - no BREAK for the file's server inode number since (a generation
 *    per bucket of inode numbers: a BREAK moves its bucket's, so one
 *    BREAK ends every promise on that file, under any handle);
 *  - the promise has not ended, counted from the request's send;
 *  - the node answered a request we sent less than OM_MFS_LEASE_MS ago:
 *    a node we cannot hear from may be unable to tell us of a change,
 *    and waits for us at most that long after its last reply;
 *  - and that trust has not lapsed since the promise was taken: once it
 *    has, a BREAK may have been lost, so the node's epoch moves when we
 *    hear from it again and every promise taken before is over.
 *
 * The check reads no lock (path walks in RCU mode use it); per-node
 * state lives as long as the module.  While promises are being used and
 * less than half the lease is left, a work item asks the node for its
 * root (ROOT) to renew the trust, so that a long walk served from
 * promises does not let it lapse.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "om_core.h"
#include "om_transport.h"
#include "om_mfs.h"

#define OM_PRM_BUCKETS	64

struct om_prm_node {
	u16 id;
	struct work_struct renew;	/* a ROOT to the node: trust renewed */
	unsigned long renewing;		/* bit 0: renew queued or running */
	spinlock_t lock;		/* seq, gen, trust_until; promise takes */
	unsigned long trust_until;	/* jiffies */
	unsigned int seq;		/* BREAKs received */
	unsigned int epoch;		/* trust lapses so far */
	unsigned int gen[OM_PRM_BUCKETS];
};

static DEFINE_XARRAY(om_prm_nodes);
static bool om_prm_stopping;

/* Any answer renews the trust (om_rpc_collect); ROOT is the cheapest ask */
static void om_prm_renew_fn(struct work_struct *w)
{
	struct om_prm_node *n = container_of(w, struct om_prm_node, renew);
	struct om_mfs_call *c = om_mfs_call_alloc(OM_MFS_ROOT);

	if (c && !READ_ONCE(om_prm_stopping))
		om_mfs_call(n->id, c);
	om_mfs_call_free(c);
	clear_bit(0, &n->renewing);
}

static unsigned int om_prm_bucket(u64 ino)
{
	return (unsigned int)((ino ^ (ino >> 17)) % OM_PRM_BUCKETS);
}

/* node's state, made if needed (process context); NULL without memory */
static struct om_prm_node *om_prm_node(u16 node)
{
	struct om_prm_node *n = xa_load(&om_prm_nodes, node);

	if (n)
		return n;
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	spin_lock_init(&n->lock);
	n->id = node;
	INIT_WORK(&n->renew, om_prm_renew_fn);
	n->trust_until = jiffies;
	if (xa_insert(&om_prm_nodes, node, n, GFP_KERNEL)) {
		kfree(n);
		n = xa_load(&om_prm_nodes, node);
	}
	return n;
}

unsigned int om_mfs_promise_seq(u16 node)
{
	struct om_prm_node *n = om_prm_node(node);

	return n ? READ_ONCE(n->seq) : 0;
}

unsigned int om_mfs_promise_heard(u16 node, unsigned long sent)
{
	struct om_prm_node *n = om_prm_node(node);
	unsigned long until = sent + msecs_to_jiffies(OM_MFS_LEASE_MS);
	unsigned int epoch;

	if (!n)
		return 0;
	spin_lock(&n->lock);
	/* it lapsed: what was promised before may have been broken unheard */
	if (!time_before(jiffies, n->trust_until))
		WRITE_ONCE(n->epoch, n->epoch + 1);
	if (time_after(until, n->trust_until))
		WRITE_ONCE(n->trust_until, until);
	epoch = n->epoch;
	spin_unlock(&n->lock);
	return epoch;
}

/* i_lock held: the attributes into the inode (and the copy stat() uses) */
static void om_prm_set_attr(struct inode *inode, const struct om_mfs_attr *a)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);

	inode->i_mode = a->mode;
	set_nlink(inode, a->nlink);
	inode->i_uid = make_kuid(&init_user_ns, a->uid);
	inode->i_gid = make_kgid(&init_user_ns, a->gid);
	i_size_write(inode, a->size);
	inode->i_blocks = a->blocks;
	mi->attr = *a;
}

void om_mfs_inode_update(struct inode *inode, const struct om_mfs_attr *a)
{
	/* a handle names one file: its type cannot change */
	if ((a->mode & S_IFMT) != (inode->i_mode & S_IFMT))
		return;
	spin_lock(&inode->i_lock);
	/* attributes without a promise: what was promised is older */
	WRITE_ONCE(OM_MFS_I(inode)->prm_ok, false);
	om_prm_set_attr(inode, a);
	spin_unlock(&inode->i_lock);
}

void om_mfs_inode_promise(struct inode *inode, const struct om_mfs_attr *a,
			  const struct om_mfs_call *c, u32 ms)
{
	struct om_mfs_inode *mi = OM_MFS_I(inode);
	struct om_prm_node *n;
	bool ok;

	if ((a->mode & S_IFMT) != (inode->i_mode & S_IFMT))
		return;
	n = ms ? om_prm_node(c->node) : NULL;
	if (!n) {
		om_mfs_inode_update(inode, a);
		return;
	}
	spin_lock(&n->lock);
	spin_lock(&inode->i_lock);
	ok = n->seq == c->brk_seq && n->epoch == c->prm_epoch;
	/* the old promise held until now: the node's cover has no gap */
	if (ok && !om_mfs_promise_valid(mi))
		WRITE_ONCE(mi->prm_serial, mi->prm_serial + 1);
	WRITE_ONCE(mi->prm_ok, false);
	om_prm_set_attr(inode, a);
	if (ok) {
		WRITE_ONCE(mi->prm_gen, n->gen[om_prm_bucket(a->ino)]);
		WRITE_ONCE(mi->prm_epoch, n->epoch);
		WRITE_ONCE(mi->prm_until, c->sent + msecs_to_jiffies(ms));
		WRITE_ONCE(mi->prm_ok, true);
	}
	spin_unlock(&inode->i_lock);
	spin_unlock(&n->lock);
}

void om_mfs_inode_take(struct inode *inode, const struct om_mfs_attr *a,
		       const struct om_mfs_call *c)
{
	om_mfs_inode_promise(inode, a, c, c->rep.promise_ms);
}

bool om_mfs_promise_valid(const struct om_mfs_inode *mi)
{
	struct om_prm_node *n;
	unsigned long now = jiffies, trust;
	bool ok;

	if (!READ_ONCE(mi->prm_ok) || !mi->node)
		return false;
	n = xa_load(&om_prm_nodes, mi->node);
	if (!n)
		return false;
	trust = READ_ONCE(n->trust_until);
	ok = time_before(now, READ_ONCE(mi->prm_until)) && time_before(now, trust) &&
	     READ_ONCE(mi->prm_epoch) == READ_ONCE(n->epoch) &&
	     READ_ONCE(n->gen[om_prm_bucket(READ_ONCE(mi->attr.ino))]) ==
	     READ_ONCE(mi->prm_gen);
	/* in use and half the lease gone: renew before it lapses (any context) */
	if (ok && time_after(now + msecs_to_jiffies(OM_MFS_LEASE_MS) / 2, trust) &&
	    !READ_ONCE(om_prm_stopping) && !test_and_set_bit(0, &n->renewing))
		queue_work(system_wq, &n->renew);
	return ok;
}

bool om_mfs_promise_still(const struct om_mfs_inode *mi,
			  const struct om_mfs_prm_snap *s)
{
	/*
	 * a BREAK moves the bucket's generation, a lapse the epoch, a
	 * promise taken after the last one ended the serial: over for good
	 */
	return om_mfs_promise_valid(mi) && READ_ONCE(mi->prm_gen) == s->gen &&
	       READ_ONCE(mi->prm_epoch) == s->epoch &&
	       READ_ONCE(mi->prm_serial) == s->serial;
}

bool om_mfs_promise_now(const struct om_mfs_inode *mi, struct om_mfs_prm_snap *s)
{
	s->gen = READ_ONCE(mi->prm_gen);
	s->epoch = READ_ONCE(mi->prm_epoch);
	s->serial = READ_ONCE(mi->prm_serial);
	return om_mfs_promise_still(mi, s);
}

/*
 * BREAK: the node's promises on a file end; BREAK_ALL: all of them (the
 * epoch moves, as after a lapse).  Then BREAK_ACK.
 */
void om_mfs_promise_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	struct om_mfs_msg m;
	struct om_prm_node *n;
	unsigned int b;
	u8 buf[8];
	int len_ack;

	if (om_mfs_decode(type, payload, len, &m) ||
	    (m.type != OM_MFS_BREAK && m.type != OM_MFS_BREAK_ALL))
		return;
	n = om_prm_node(from);
	if (!n)
		return;	/* cannot note it: unanswered, the node waits out the lease */
	spin_lock(&n->lock);
	if (m.type == OM_MFS_BREAK_ALL) {
		WRITE_ONCE(n->epoch, n->epoch + 1);
	} else {
		b = om_prm_bucket(m.brk.ino);
		WRITE_ONCE(n->gen[b], n->gen[b] + 1);
	}
	WRITE_ONCE(n->seq, n->seq + 1);
	spin_unlock(&n->lock);
	m = (struct om_mfs_msg){ .type = OM_MFS_BREAK_ACK, .req_id = m.req_id };
	len_ack = om_mfs_encode(&m, buf, sizeof(buf));
	if (len_ack < 0)
		return;
	if (from == om_self_id())
		om_mfs_watch_rx(from, OM_MFS_BREAK_ACK, buf, len_ack);
	else
		om_transport_send(from, OM_MFS_BREAK_ACK, buf, len_ack);
}

int om_mfs_promise_init(void)
{
	int err;

	om_prm_stopping = false;
	err = om_transport_register_handler(OM_MFS_BREAK, om_mfs_promise_rx);
	if (err)
		return err;
	err = om_transport_register_handler(OM_MFS_BREAK_ALL, om_mfs_promise_rx);
	if (err)
		om_transport_unregister_handler(OM_MFS_BREAK);
	return err;
}

void om_mfs_promise_exit(void)
{
	struct om_prm_node *n;
	unsigned long i;

	om_transport_unregister_handler(OM_MFS_BREAK_ALL);
	om_transport_unregister_handler(OM_MFS_BREAK);
	WRITE_ONCE(om_prm_stopping, true);
	/* lockless readers are path walks under RCU */
	synchronize_rcu();
	xa_for_each(&om_prm_nodes, i, n) {
		cancel_work_sync(&n->renew);
		kfree(n);
	}
	xa_destroy(&om_prm_nodes);
}
