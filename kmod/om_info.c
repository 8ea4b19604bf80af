// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Load information: every gossip interval this node samples its load,
 * sends a window of its load vector and a sample of the membership to a
 * few random peers (connecting on demand), merges what it receives, and
 * marks silent nodes down.  After (re)starting it pulls the membership:
 * each frame asks its peer for an id range, and a peer answers such a
 * PULL at once from a work item, within om_load's per-interval budget.
 * The vector logic itself is the portable common/om_load.c, which
 * tests/sim runs for 1000 nodes.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/loadavg.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <linux/cpumask.h>

#include "om_core.h"
#include "om_node.h"
#include "om_transport.h"
#include "om_info.h"
#include "common/om_balance.h"

#define OM_INFO_TABLE_CAP	4096
#define OM_INFO_BUF		OM_LOAD_PAYLOAD_MAX

/* A PULL to answer: who asked (the authenticated sender) and for what */
struct om_info_pull {
	u16 node;
	struct om_load_range req;
};

/*
 * "Free" memory, as the balancer and the cluster see it: what the kernel
 * could give a new process without swapping (MemAvailable), not MemFree,
 * which the page cache eats back within seconds of memory being freed:
 * a node that ushered a process away still looked full.
 */
static u64 om_info_mem_avail_kib(void)
{
	long pages = si_mem_available();

	return pages > 0 ? (u64)pages << (PAGE_SHIFT - 10) : 0;
}

static DEFINE_MUTEX(om_info_lock);
static struct om_load_table om_table;
static bool om_table_ready;
static u8 *om_info_buf;		/* om_info_fn's frames */
static u8 *om_info_abuf;	/* om_info_answer_fn's frames */
static struct om_load_entry *om_info_in;
static unsigned long om_last_hb;
/* admitted by om_load_pull_admit, so at most a budget per interval */
static struct om_info_pull om_info_pulls[OM_LOAD_PULL_BUDGET];
static unsigned int om_info_npulls;

static void om_info_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(om_info_work, om_info_fn);
static void om_info_answer_fn(struct work_struct *w);
static DECLARE_WORK(om_info_answer_work, om_info_answer_fn);
static bool om_info_stopping;

static u32 om_info_rng(void *ctx)
{
	return get_random_u32();
}

/* Runnable user tasks right now (nr_running() is not exported). */
static u32 om_info_runnable(void)
{
	struct task_struct *g, *t;
	u32 n = 0;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (!(t->flags & PF_KTHREAD) && task_is_running(t))
			n++;
	}
	rcu_read_unlock();
	return n;
}

void om_info_fill_self(struct om_load_entry *e)
{
	mutex_lock(&om_info_lock);
	if (om_table_ready)
		*e = om_table.self;
	else
		memset(e, 0, sizeof(*e));
	mutex_unlock(&om_info_lock);
}

/*
 * The balancer's view (migrate/om_bal.c): this node's smoothed load and
 * memory, and up to max fresh candidates from the load vector; nodes not
 * up are left out, blocked ones flagged.  Returns how many, 0 while this
 * node has no table yet.
 */
u32 om_info_bal_inputs(struct om_bal_self *self, struct om_bal_node *nodes, u32 max)
{
	u32 interval = READ_ONCE(om_tun.gossip_interval_ms);
	u32 max_age, n = 0, i, k = 0;
	struct om_node *nd;

	memset(self, 0, sizeof(*self));
	mutex_lock(&om_info_lock);
	if (!om_table_ready) {
		mutex_unlock(&om_info_lock);
		return 0;
	}
	self->node = om_table.self.node;
	self->cpus = om_table.self.cpus;
	self->speed = om_table.self.speed;
	self->load = om_table.local_load;
	self->mem_total = om_table.self.mem_total;
	self->mem_free = om_table.self.mem_free;
	max_age = DIV_ROUND_UP(OM_BAL_DEF_MAX_AGE_MS, max(interval, 1U));
	n = om_bal_pick_nodes(&om_table, max_age, interval, nodes, max);
	mutex_unlock(&om_info_lock);

	mutex_lock(&om_nodes_lock);
	for (i = 0; i < n; i++) {
		nd = om_node_find(nodes[i].node);
		if (!nd || !nd->up || (nd->flags & OM_NF_SELF))
			continue;
		if (nd->flags & OM_NF_BLOCKED)
			nodes[i].flags |= OM_BAL_N_BLOCK;
		nodes[k++] = nodes[i];
	}
	mutex_unlock(&om_nodes_lock);
	return k;
}

/*
 * This node as the target of an automatic offer sees itself (mutual
 * consent, migrate/om_mig_in.c): the larger of the smoothed local load
 * and the run queue now, normalised as om_load_tick does (the smoothing
 * is slow to show work that just arrived), free memory now, block and
 * load_limit.  Arrivals not running yet are the caller's to add.
 */
void om_info_bal_self(struct om_bal_self *self)
{
	struct om_node *n;
	struct sysinfo si;
	u32 now;

	memset(self, 0, sizeof(*self));
	self->node = om_self_id();
	self->cpus = num_online_cpus();
	self->speed = READ_ONCE(om_tun.speed);
	now = om_load_normalize(om_info_runnable() * OM_LOAD_FSCALE, self->speed,
				self->cpus);
	mutex_lock(&om_info_lock);
	if (om_table_ready)
		self->load = om_table.local_load;
	mutex_unlock(&om_info_lock);
	self->load = max(self->load, now);
	si_meminfo(&si);
	self->mem_total = (u64)si.totalram * si.mem_unit >> 10;
	self->mem_free = om_info_mem_avail_kib();
	self->load_limit = READ_ONCE(om_tun.load_limit);
	mutex_lock(&om_nodes_lock);
	n = om_node_find(self->node);
	if (n && (n->flags & OM_NF_BLOCKED))
		self->flags |= OM_BAL_F_BLOCK;
	mutex_unlock(&om_nodes_lock);
}

/* (Re)build the table when our identity is known; om_info_lock held. */
static int om_info_table_setup(void)
{
	struct om_load_entry self = {};
	struct om_node *n;
	unsigned long idx = 0;
	int ret;

	self.node = om_self_id();
	if (!self.node)
		return -ENOTCONN;
	self.addr = ntohl(om_self_addr());
	self.port = READ_ONCE(om_tun.port);
	self.cpus = num_online_cpus();
	self.speed = READ_ONCE(om_tun.speed);
	/* keeps growing across restarts, so peers take our new entries */
	self.gen = ktime_get_real_ns() / NSEC_PER_MSEC;
	if (om_table_ready)
		om_load_table_destroy(&om_table);
	om_table_ready = false;
	om_info_npulls = 0;
	/* a new table pulls the membership from the peers it talks to */
	ret = om_load_table_init(&om_table, &self, OM_INFO_TABLE_CAP, 64);
	if (ret)
		return ret;
	om_table_ready = true;
	mutex_lock(&om_nodes_lock);
	while ((n = om_node_next(&idx)))
		if (n->id != self.node)
			om_load_table_add(&om_table, n->id, ntohl(n->addr), n->port);
	mutex_unlock(&om_nodes_lock);
	return 0;
}

static void om_info_node_added(u16 id, __be32 addr, u16 port)
{
	mutex_lock(&om_info_lock);
	if (id == om_self_id())
		om_info_table_setup();
	else if (om_table_ready)
		om_load_table_add(&om_table, id, ntohl(addr), port);
	mutex_unlock(&om_info_lock);
	/* say hello at once rather than at the next interval */
	mod_delayed_work(system_wq, &om_info_work, 0);
}

/* A new node: unlocked, as it takes om_info_lock before om_nodes_lock */
static int om_info_node_event(struct notifier_block *nb, unsigned long ev,
			      void *data)
{
	const struct om_node_event_info *info = data;

	if (ev == OM_NODE_EV_POST_ADD)
		om_info_node_added(info->id, info->addr, info->port);
	return NOTIFY_DONE;
}

static struct notifier_block om_info_node_nb = {
	.notifier_call = om_info_node_event,
};

/* Copy fresh entries into the node table; both locks held. */
static void om_info_apply(const struct om_load_entry *in, u32 cnt)
{
	u32 i;

	for (i = 0; i < cnt; i++) {
		struct om_node *n = om_node_find(in[i].node);

		if (!n || (n->flags & OM_NF_SELF) || in[i].gen <= n->load_gen)
			continue;
		n->load_gen = in[i].gen;
		n->load = in[i];
		/* a newer entry means the node was alive a moment ago */
		if (in[i].age * READ_ONCE(om_tun.gossip_interval_ms) <
		    READ_ONCE(om_tun.hb_timeout_ms)) {
			n->last_info = jiffies;
			om_node_set_up(n, true);
		}
	}
}

/*
 * Answer the PULLs taken by om_info_rx.  Not in the receive path: sending
 * may block on a full socket (or open a connection), and a connection's
 * receive thread must keep draining it.  One instance at a time (a work
 * item), so om_info_abuf is ours outside the lock.
 */
static void om_info_answer_fn(struct work_struct *w)
{
	struct om_info_pull p;
	int len;

	for (;;) {
		mutex_lock(&om_info_lock);
		if (!om_info_npulls || !om_table_ready) {
			om_info_npulls = 0;
			mutex_unlock(&om_info_lock);
			return;
		}
		p = om_info_pulls[--om_info_npulls];
		len = om_load_encode_answer(&om_table, p.node, &p.req,
					    OM_LOAD_DEF_WINDOW, om_info_abuf,
					    OM_INFO_BUF);
		mutex_unlock(&om_info_lock);
		if (len > 0)
			om_transport_send(p.node, OM_WIRE_T_LOAD, om_info_abuf, len);
	}
}

/* An OM_WIRE_T_LOAD frame from node from (the transport's handler) */
static void om_info_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	struct om_load_msg m;
	bool answer = false;
	int cnt;

	mutex_lock(&om_info_lock);
	cnt = om_load_decode_msg(payload, len, om_info_in, OM_LOAD_MSG_MAX, &m);
	if (cnt >= 0 && om_table_ready) {
		om_load_merge(&om_table, om_info_in, cnt);
		mutex_lock(&om_nodes_lock);
		om_info_apply(om_info_in, cnt);
		mutex_unlock(&om_nodes_lock);
		if (m.pulled)
			om_load_pull_answered(&om_table, &m.done);
		/* the answer goes to the authenticated sender, nobody else */
		if (m.pull && om_info_npulls < ARRAY_SIZE(om_info_pulls) &&
		    om_load_pull_admit(&om_table)) {
			om_info_pulls[om_info_npulls].node = from;
			om_info_pulls[om_info_npulls].req = m.req;
			om_info_npulls++;
			answer = true;
		}
	} else if (cnt < 0) {
		om_stat_inc(OM_ST_RX_BAD_FRAME);
	}
	mutex_unlock(&om_info_lock);
	if (answer && !READ_ONCE(om_info_stopping))
		schedule_work(&om_info_answer_work);
}

/* Mark nodes silent for longer than the timeout down. */
static void om_info_check_liveness(void)
{
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(om_tun.hb_timeout_ms));
	struct om_node *n;
	unsigned long idx = 0;

	mutex_lock(&om_nodes_lock);
	while ((n = om_node_next(&idx))) {
		unsigned long last = n->last_heard;

		if (n->flags & OM_NF_SELF || !n->up)
			continue;
		if (time_after(n->last_info, last))
			last = n->last_info;
		if (time_after(jiffies, last + timeout)) {
			om_transport_forget(n);
			om_node_set_up(n, false);
		}
	}
	mutex_unlock(&om_nodes_lock);
}

/*
 * Heartbeat the nodes we have a connection with.  Others are reached by
 * gossip (random peers each interval, connecting on demand), which is
 * also how a node that was down is found again: no full mesh.
 */
static void om_info_heartbeat(void)
{
	u16 *ids;
	unsigned int cnt = 0, i;
	struct om_node *n;
	unsigned long idx = 0;

	mutex_lock(&om_nodes_lock);
	while ((n = om_node_next(&idx)))
		cnt += !!n->conn;
	ids = kmalloc_array(cnt + 1, sizeof(*ids), GFP_KERNEL);
	if (!ids) {
		mutex_unlock(&om_nodes_lock);
		return;
	}
	idx = 0;
	cnt = 0;
	while ((n = om_node_next(&idx)))
		if (n->conn && !(n->flags & (OM_NF_SELF | OM_NF_BLOCKED)))
			ids[cnt++] = n->id;
	mutex_unlock(&om_nodes_lock);
	for (i = 0; i < cnt; i++)
		om_transport_send(ids[i], OM_WIRE_T_HEARTBEAT, NULL, 0);
	kfree(ids);
}

static void om_info_fn(struct work_struct *w)
{
	u16 peers[16];
	struct om_load_range req[ARRAY_SIZE(peers)];
	bool pull[ARRAY_SIZE(peers)];
	struct om_load_sample s;
	struct sysinfo si;
	u32 k, i, fanout;
	int len = 0;

	if (!om_self_id() || !om_transport_key_set())
		goto again;
	mutex_lock(&om_info_lock);
	if (!om_table_ready && om_info_table_setup()) {
		mutex_unlock(&om_info_lock);
		goto again;
	}
	si_meminfo(&si);
	s.runnable = om_info_runnable() * OM_LOAD_FSCALE;
	s.mem_total = (u64)si.totalram * si.mem_unit >> 10;
	s.mem_free = om_info_mem_avail_kib();
	s.uptime = ktime_get_boottime_seconds();
	om_table.self.speed = READ_ONCE(om_tun.speed);
	om_table.self.cpus = num_online_cpus();
	om_table.self.port = READ_ONCE(om_tun.port);
	om_table.quiet = READ_ONCE(om_tun.quiet);
	om_load_tick(&om_table, &s);
	fanout = min_t(u32, READ_ONCE(om_tun.gossip_fanout), ARRAY_SIZE(peers));
	k = om_load_pick_peers(&om_table, fanout, om_info_rng, NULL, peers);
	if (k)
		len = om_load_encode(&om_table, OM_LOAD_DEF_WINDOW, om_info_rng,
				     NULL, om_info_buf, OM_INFO_BUF);
	for (i = 0; i < k; i++)
		pull[i] = om_load_pull_next(&om_table, i, &req[i]);
	mutex_unlock(&om_info_lock);
	/* quiet and nothing to relay: len 0, but a PULL still goes */
	for (i = 0; len >= 0 && i < k; i++) {
		int n = len;

		/* each peer gets its own PULL, written over the previous one */
		if (pull[i])
			n = om_load_put_pull(om_info_buf, len, OM_INFO_BUF, &req[i]);
		if (n > 0)
			om_transport_send(peers[i], OM_WIRE_T_LOAD, om_info_buf, n);
	}
	if (time_after_eq(jiffies, om_last_hb +
			  msecs_to_jiffies(READ_ONCE(om_tun.hb_interval_ms)))) {
		om_last_hb = jiffies;
		om_info_heartbeat();
	}
	om_info_check_liveness();
again:
	if (!READ_ONCE(om_info_stopping))
		schedule_delayed_work(&om_info_work,
			msecs_to_jiffies(min(READ_ONCE(om_tun.gossip_interval_ms),
					     READ_ONCE(om_tun.hb_interval_ms))));
}

int om_info_init(void)
{
	int ret;

	om_info_buf = kmalloc(OM_INFO_BUF, GFP_KERNEL);
	om_info_abuf = kmalloc(OM_INFO_BUF, GFP_KERNEL);
	om_info_in = kcalloc(OM_LOAD_MSG_MAX, sizeof(*om_info_in), GFP_KERNEL);
	if (!om_info_buf || !om_info_abuf || !om_info_in) {
		ret = -ENOMEM;
		goto err;
	}
	om_info_stopping = false;
	ret = om_node_notifier_register(&om_info_node_nb);
	if (ret)
		goto err;
	ret = om_transport_register_handler(OM_WIRE_T_LOAD, om_info_rx);
	if (ret)
		goto err_notifier;
	schedule_delayed_work(&om_info_work, HZ);
	return 0;
err_notifier:
	om_node_notifier_unregister(&om_info_node_nb);
err:
	kfree(om_info_buf);
	kfree(om_info_abuf);
	kfree(om_info_in);
	return ret;
}

void om_info_exit(void)
{
	/* first: a new node queues the work again, a LOAD frame uses the table */
	om_transport_unregister_handler(OM_WIRE_T_LOAD);
	om_node_notifier_unregister(&om_info_node_nb);
	WRITE_ONCE(om_info_stopping, true);
	cancel_delayed_work_sync(&om_info_work);
	/* after the handler: nothing queues an answer any more */
	cancel_work_sync(&om_info_answer_work);
	mutex_lock(&om_info_lock);
	if (om_table_ready)
		om_load_table_destroy(&om_table);
	om_table_ready = false;
	om_info_npulls = 0;
	mutex_unlock(&om_info_lock);
	kfree(om_info_buf);
	kfree(om_info_abuf);
	kfree(om_info_in);
}
