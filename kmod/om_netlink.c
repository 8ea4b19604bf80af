// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Generic netlink family "openmosix" (kmod/uapi/openmosix.h): strict
 * policies on every attribute, state changes for CAP_NET_ADMIN only
 * (except a process's lock and balancing policy, which its owner may
 * set: checked here),
 * dumps for lists and the "events" multicast group.
 */
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "om_core.h"
#include "om_node.h"
#include "om_transport.h"
#include "om_info.h"
#include "om_netlink.h"
#include "migrate/om_ptab.h"

static const struct nla_policy om_node_policy[OM_NA_MAX + 1] = {
	/* NLA_POLICY_RANGE takes s16 bounds: 65535 would be -1 */
	[OM_NA_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[OM_NA_ADDR] = { .type = NLA_BE32 },
	[OM_NA_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[OM_NA_STATE] = { .type = NLA_REJECT },
	[OM_NA_FLAGS] = NLA_POLICY_MASK(NLA_U32, OM_NF_STATIC | OM_NF_DISCOVERED),
	[OM_NA_BLOCKED] = NLA_POLICY_MAX(NLA_U8, 1),
	[OM_NA_LOAD] = { .type = NLA_REJECT },
	[OM_NA_RUNNABLE] = { .type = NLA_REJECT },
	[OM_NA_CPUS] = { .type = NLA_REJECT },
	[OM_NA_SPEED] = { .type = NLA_REJECT },
	[OM_NA_MEM_TOTAL] = { .type = NLA_REJECT },
	[OM_NA_MEM_FREE] = { .type = NLA_REJECT },
	[OM_NA_UPTIME] = { .type = NLA_REJECT },
	[OM_NA_LAST_HEARD] = { .type = NLA_REJECT },
	[OM_NA_PAD] = { .type = NLA_REJECT },
	[OM_NA_ALIAS] = { .type = NLA_BE32 },
};

static const struct nla_policy om_proc_policy[OM_PA_MAX + 1] = {
	[OM_PA_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[OM_PA_WHERE] = { .type = NLA_REJECT },
	[OM_PA_HOME] = { .type = NLA_REJECT },
	[OM_PA_HOME_PID] = { .type = NLA_REJECT },
	[OM_PA_NMIGS] = { .type = NLA_REJECT },
	[OM_PA_LOCKED] = NLA_POLICY_MAX(NLA_U8, 1),
	[OM_PA_CANTMOVE] = { .type = NLA_REJECT },
	[OM_PA_AWAY_MS] = { .type = NLA_REJECT },
	[OM_PA_UID] = { .type = NLA_REJECT },
	[OM_PA_COMM] = { .type = NLA_REJECT },
	[OM_PA_GUEST] = { .type = NLA_FLAG },
	[OM_PA_PAD] = { .type = NLA_REJECT },
	[OM_PA_HINT] = NLA_POLICY_MAX(NLA_U8, OM_HINT_IO),
	[OM_PA_HINT_LEFT] = { .type = NLA_REJECT },
	[OM_PA_NODE_POLICY] = NLA_POLICY_MAX(NLA_U8, OM_NODES_DENY),
	[OM_PA_NODE] = NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy om_policy[OM_A_MAX + 1] = {
	[OM_A_NODE] = NLA_POLICY_NESTED(om_node_policy),
	[OM_A_MAP] = NLA_POLICY_NESTED_ARRAY(om_node_policy),
	[OM_A_KEY] = NLA_POLICY_EXACT_LEN(OM_KEY_LEN),
	[OM_A_KEY_SET] = { .type = NLA_REJECT },
	[OM_A_NODES_TOTAL] = { .type = NLA_REJECT },
	[OM_A_NODES_UP] = { .type = NLA_REJECT },
	[OM_A_VERSION] = { .type = NLA_REJECT },
	[OM_A_STATS] = { .type = NLA_REJECT },
	[OM_A_EVENT] = { .type = NLA_REJECT },
	[OM_A_PAD] = { .type = NLA_REJECT },
	[OM_A_PROC] = NLA_POLICY_NESTED(om_proc_policy),
	[OM_A_MIG_EVENT] = { .type = NLA_REJECT },
	[OM_A_REASON] = { .type = NLA_REJECT },
};

static struct genl_family om_genl_family;

static const struct genl_multicast_group om_mcgrps[] = {
	{ .name = OM_GENL_MCGRP_EVENTS },
};

/* Node attributes; the caller copied what it needs out of the table. */
static int om_nl_put_node(struct sk_buff *skb, const struct om_node *n,
			  const struct om_load_entry *self)
{
	const struct om_load_entry *l = (n->flags & OM_NF_SELF) ? self : &n->load;
	struct nlattr *nest = nla_nest_start(skb, OM_A_NODE);
	u8 state = (n->flags & OM_NF_SELF) ? OM_NODE_SELF :
		   n->up ? OM_NODE_UP : OM_NODE_DOWN;
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, OM_NA_ID, n->id) ||
	    nla_put_be32(skb, OM_NA_ADDR, n->addr) ||
	    nla_put_u16(skb, OM_NA_PORT, n->port) ||
	    nla_put_u8(skb, OM_NA_STATE, state) ||
	    nla_put_u32(skb, OM_NA_FLAGS, n->flags) ||
	    nla_put_u32(skb, OM_NA_LOAD, l->load * 100 / OM_LOAD_FSCALE) ||
	    nla_put_u32(skb, OM_NA_RUNNABLE, l->runnable / OM_LOAD_FSCALE) ||
	    nla_put_u32(skb, OM_NA_CPUS, l->cpus) ||
	    nla_put_u32(skb, OM_NA_SPEED, l->speed) ||
	    nla_put_u64_64bit(skb, OM_NA_MEM_TOTAL, l->mem_total << 10, OM_NA_PAD) ||
	    nla_put_u64_64bit(skb, OM_NA_MEM_FREE, l->mem_free << 10, OM_NA_PAD) ||
	    nla_put_u64_64bit(skb, OM_NA_UPTIME, l->uptime, OM_NA_PAD))
		goto cancel;
	for (i = 0; i < n->naliases; i++)
		if (nla_put_be32(skb, OM_NA_ALIAS, n->aliases[i]))
			goto cancel;
	if (!(n->flags & OM_NF_SELF) && (n->last_heard || n->last_info)) {
		unsigned long last = n->last_heard;

		if (time_after(n->last_info, last))
			last = n->last_info;
		if (nla_put_u64_64bit(skb, OM_NA_LAST_HEARD,
				      jiffies_to_msecs(jiffies - last), OM_NA_PAD))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* One node event to the "events" group; om_nodes_lock held (n is live) */
static void om_netlink_event(enum om_event ev, const struct om_node *n)
{
	struct om_load_entry none = {};
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&om_genl_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &om_genl_family, 0, OM_CMD_NODE_EVENT);
	if (!hdr ||
	    nla_put_u8(skb, OM_A_EVENT, ev) ||
	    om_nl_put_node(skb, n, &none)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&om_genl_family, skb, 0, 0, GFP_KERNEL);
}

/* The node table's events that userspace sees; the POST_ ones it does not */
static const u8 om_nl_events[] = {
	[OM_NODE_EV_ADDED] = OM_EV_NODE_ADDED,
	[OM_NODE_EV_REMOVED] = OM_EV_NODE_REMOVED,
	[OM_NODE_EV_UP] = OM_EV_NODE_UP,
	[OM_NODE_EV_DOWN] = OM_EV_NODE_DOWN,
	[OM_NODE_EV_BLOCKED] = OM_EV_NODE_BLOCKED,
	[OM_NODE_EV_UNBLOCKED] = OM_EV_NODE_UNBLOCKED,
};

static int om_nl_node_event(struct notifier_block *nb, unsigned long ev,
			    void *data)
{
	const struct om_node_event_info *info = data;

	if (ev < ARRAY_SIZE(om_nl_events) && om_nl_events[ev])
		om_netlink_event(om_nl_events[ev], info->node);
	return NOTIFY_DONE;
}

static struct notifier_block om_nl_node_nb = {
	.notifier_call = om_nl_node_event,
};

static int om_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct om_load_entry self;
	struct nlattr *stats;
	struct sk_buff *msg;
	struct om_node *n;
	u32 total, up;
	void *hdr;
	int i, ret = -EMSGSIZE;

	om_info_fill_self(&self);
	om_node_counts(&total, &up);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &om_genl_family, 0, OM_CMD_GET_STATUS);
	if (!hdr)
		goto err;
	mutex_lock(&om_nodes_lock);
	n = om_self_id() ? om_node_find(om_self_id()) : NULL;
	ret = n ? om_nl_put_node(msg, n, &self) : 0;
	mutex_unlock(&om_nodes_lock);
	if (ret)
		goto err;
	ret = -EMSGSIZE;
	if (nla_put_u32(msg, OM_A_NODES_TOTAL, total) ||
	    nla_put_u32(msg, OM_A_NODES_UP, up) ||
	    nla_put_u8(msg, OM_A_KEY_SET, om_transport_key_set()) ||
	    nla_put_string(msg, OM_A_VERSION, OM_VERSION))
		goto err;
	stats = nla_nest_start(msg, OM_A_STATS);
	if (!stats)
		goto err;
	for (i = 0; i < OM_ST_MAX; i++)
		if (nla_put_u64_64bit(msg, OM_SA_RX_FRAMES + i,
				      atomic64_read(&om_stats[i]), OM_SA_PAD))
			goto err;
	nla_nest_end(msg, stats);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

/* Parse OM_A_NODE into tb; NULL plus extack if absent. */
static int om_nl_node_attrs(struct genl_info *info, struct nlattr **tb)
{
	if (!info->attrs[OM_A_NODE]) {
		NL_SET_ERR_MSG(info->extack, "missing node attribute");
		return -EINVAL;
	}
	return nla_parse_nested(tb, OM_NA_MAX, info->attrs[OM_A_NODE],
				om_node_policy, info->extack);
}

/*
 * Repeated OM_NA_ALIAS of a node nest (already validated by the policy:
 * nla_parse keeps only the last one in tb).
 */
static int om_nl_aliases(const struct nlattr *nest, __be32 *aliases,
			 u8 *cnt, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	*cnt = 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != OM_NA_ALIAS)
			continue;
		if (*cnt >= OM_NODE_ALIASES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many alias addresses (at most 6)");
			return -E2BIG;
		}
		aliases[(*cnt)++] = nla_get_be32(a);
	}
	return 0;
}

static int om_nl_get_node(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_NA_MAX + 1];
	struct om_load_entry self;
	struct om_node *n = NULL;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = om_nl_node_attrs(info, tb);
	if (ret)
		return ret;
	if (!tb[OM_NA_ID] && !tb[OM_NA_ADDR]) {
		NL_SET_ERR_MSG(info->extack, "need a node ID or address");
		return -EINVAL;
	}
	om_info_fill_self(&self);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &om_genl_family, 0, OM_CMD_GET_NODE);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&om_nodes_lock);
	if (tb[OM_NA_ID])
		n = om_node_find(nla_get_u16(tb[OM_NA_ID]));
	else
		n = om_node_find_addr(nla_get_be32(tb[OM_NA_ADDR]));
	ret = n ? om_nl_put_node(msg, n, &self) : -ENOENT;
	mutex_unlock(&om_nodes_lock);
	if (ret) {
		if (ret == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "no such node");
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* One node as one message of a dump; -EMSGSIZE when the skb is full. */
static int om_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			  const struct om_node *n, const struct om_load_entry *self)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &om_genl_family,
				NLM_F_MULTI, OM_CMD_GET_NODE);

	if (!hdr)
		return -EMSGSIZE;
	if (om_nl_put_node(skb, n, self)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Self first, then by ID; cb->args[0] = next ID, args[1] = self done. */
static int om_nl_dump_nodes(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct om_load_entry self;
	unsigned long idx = cb->args[0];
	struct om_node *n;

	om_info_fill_self(&self);
	mutex_lock(&om_nodes_lock);
	if (!cb->args[1]) {
		n = om_self_id() ? om_node_find(om_self_id()) : NULL;
		if (n && om_nl_dump_one(skb, cb, n, &self))
			goto out;
		cb->args[1] = 1;
	}
	while ((n = om_node_next(&idx))) {
		if (n->flags & OM_NF_SELF)
			continue;
		if (om_nl_dump_one(skb, cb, n, &self)) {
			idx = n->id;	/* retry this one in the next skb */
			break;
		}
	}
	cb->args[0] = idx;
out:
	mutex_unlock(&om_nodes_lock);
	return skb->len;
}

static int om_nl_add_node(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_NA_MAX + 1];
	__be32 aliases[OM_NODE_ALIASES_MAX];
	u32 flags = OM_NF_STATIC;
	u8 naliases;
	int ret;

	ret = om_nl_node_attrs(info, tb);
	if (ret)
		return ret;
	if (!tb[OM_NA_ID] || !tb[OM_NA_ADDR]) {
		NL_SET_ERR_MSG(info->extack, "need a node ID and an address");
		return -EINVAL;
	}
	ret = om_nl_aliases(info->attrs[OM_A_NODE], aliases, &naliases,
			    info->extack);
	if (ret)
		return ret;
	if (tb[OM_NA_FLAGS] && (nla_get_u32(tb[OM_NA_FLAGS]) & OM_NF_DISCOVERED))
		flags = OM_NF_DISCOVERED;
	return om_node_add(nla_get_u16(tb[OM_NA_ID]),
			   nla_get_be32(tb[OM_NA_ADDR]),
			   tb[OM_NA_PORT] ? nla_get_u16(tb[OM_NA_PORT]) : 0,
			   flags, aliases, naliases, info->extack);
}

static int om_nl_del_node(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_NA_MAX + 1];
	int ret = om_nl_node_attrs(info, tb);

	if (ret)
		return ret;
	if (!tb[OM_NA_ID]) {
		NL_SET_ERR_MSG(info->extack, "need a node ID");
		return -EINVAL;
	}
	return om_node_del(nla_get_u16(tb[OM_NA_ID]), info->extack);
}

static int om_nl_set_node(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_NA_MAX + 1];
	int ret = om_nl_node_attrs(info, tb);

	if (ret)
		return ret;
	if (!tb[OM_NA_ID] || !tb[OM_NA_BLOCKED]) {
		NL_SET_ERR_MSG(info->extack, "need a node ID and the blocked flag");
		return -EINVAL;
	}
	return om_node_set_blocked(nla_get_u16(tb[OM_NA_ID]),
				   nla_get_u8(tb[OM_NA_BLOCKED]), info->extack);
}

/* one OM_A_MAP attribute holds at most 64 KiB: about 2700 entries */
#define OM_MAP_MAX 2048

static int om_nl_load_map(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_NA_MAX + 1];
	struct om_node *map;
	struct nlattr *a;
	unsigned int cnt = 0;
	int rem, ret;

	if (!info->attrs[OM_A_MAP]) {
		NL_SET_ERR_MSG(info->extack, "missing map attribute");
		return -EINVAL;
	}
	/* count first: allocate for this map, not for the largest one */
	nla_for_each_nested(a, info->attrs[OM_A_MAP], rem)
		if (nla_type(a) == OM_A_NODE)
			cnt++;
	if (cnt > OM_MAP_MAX) {
		NL_SET_ERR_MSG(info->extack, "map too large");
		return -E2BIG;
	}
	map = kvcalloc(cnt ?: 1, sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	cnt = 0;
	nla_for_each_nested(a, info->attrs[OM_A_MAP], rem) {
		if (nla_type(a) != OM_A_NODE)
			continue;
		ret = nla_parse_nested(tb, OM_NA_MAX, a, om_node_policy,
				       info->extack);
		if (ret)
			goto out;
		if (!tb[OM_NA_ID] || !tb[OM_NA_ADDR]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "map entry needs an ID and an address");
			ret = -EINVAL;
			goto out;
		}
		map[cnt].id = nla_get_u16(tb[OM_NA_ID]);
		map[cnt].addr = nla_get_be32(tb[OM_NA_ADDR]);
		map[cnt].port = tb[OM_NA_PORT] ? nla_get_u16(tb[OM_NA_PORT]) : 0;
		ret = om_nl_aliases(a, map[cnt].aliases, &map[cnt].naliases,
				    info->extack);
		if (ret)
			goto out;
		cnt++;
	}
	ret = om_node_load_map(map, cnt, info->extack);
out:
	kvfree(map);
	return ret;
}

static int om_nl_set_key(struct sk_buff *skb, struct genl_info *info)
{
	if (!info->attrs[OM_A_KEY]) {
		NL_SET_ERR_MSG(info->extack, "missing key attribute");
		return -EINVAL;
	}
	return om_transport_set_key(nla_data(info->attrs[OM_A_KEY]));
}

/* One process: an OM_A_PROC nest */
static int om_nl_put_proc(struct sk_buff *skb, const struct om_pview *v)
{
	struct nlattr *nest = nla_nest_start(skb, OM_A_PROC);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, OM_PA_PID, v->pid) ||
	    nla_put_u16(skb, OM_PA_WHERE, v->st.where) ||
	    nla_put_u16(skb, OM_PA_HOME, v->st.home) ||
	    nla_put_u32(skb, OM_PA_NMIGS, v->st.nmigs) ||
	    nla_put_u8(skb, OM_PA_LOCKED, v->st.locked) ||
	    nla_put_u32(skb, OM_PA_UID, v->uid) ||
	    nla_put_string(skb, OM_PA_COMM, v->comm))
		goto cancel;
	if (v->cantmove && nla_put_string(skb, OM_PA_CANTMOVE, v->reason))
		goto cancel;
	if (v->st.where != v->st.home &&
	    nla_put_u64_64bit(skb, OM_PA_AWAY_MS, v->away_ms, OM_PA_PAD))
		goto cancel;
	if (v->st.guest &&
	    (nla_put_flag(skb, OM_PA_GUEST) ||
	     nla_put_u32(skb, OM_PA_HOME_PID, v->st.home_pid)))
		goto cancel;
	if (v->st.hint &&
	    (nla_put_u8(skb, OM_PA_HINT, v->st.hint) ||
	     nla_put_u16(skb, OM_PA_HINT_LEFT, om_ptab_hint_left(&v->st))))
		goto cancel;
	if (v->st.node_policy) {
		if (nla_put_u8(skb, OM_PA_NODE_POLICY, v->st.node_policy))
			goto cancel;
		for (i = 0; i < v->st.n_nodes && i < OM_PROC_NODES_MAX; i++)
			if (nla_put_u16(skb, OM_PA_NODE, v->st.nodes[i]))
				goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Parse OM_A_PROC into tb; all NULL if absent. */
static int om_nl_proc_attrs(struct nlattr *const *attrs, struct nlattr **tb,
			    struct netlink_ext_ack *extack)
{
	if (!attrs[OM_A_PROC]) {
		memset(tb, 0, sizeof(*tb) * (OM_PA_MAX + 1));
		return 0;
	}
	return nla_parse_nested(tb, OM_PA_MAX, attrs[OM_A_PROC], om_proc_policy,
				extack);
}

/*
 * The process OM_PA_PID names in the caller's pid namespace, pinned; NULL
 * with *err and extack if there is none or it is a thread.
 */
static struct task_struct *om_nl_proc_task(struct nlattr **tb,
					   struct netlink_ext_ack *extack,
					   int *err)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct task_struct *t = NULL;
	u32 nr;

	if (!tb[OM_PA_PID]) {
		NL_SET_ERR_MSG(extack, "need a process id");
		*err = -EINVAL;
		return NULL;
	}
	nr = nla_get_u32(tb[OM_PA_PID]);
	rcu_read_lock();
	if (nr <= PID_MAX_LIMIT)
		t = pid_task(find_pid_ns(nr, ns), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t) {
		*err = -ESRCH;
		return NULL;
	}
	if (task_tgid_nr_ns(t, ns) != nr) {
		put_task_struct(t);
		NL_SET_ERR_MSG(extack, "not a process but a thread");
		*err = -EINVAL;
		return NULL;
	}
	return t;
}

static int om_nl_get_proc(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_PA_MAX + 1];
	struct task_struct *t;
	struct om_pview *v;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = om_nl_proc_attrs(info->attrs, tb, info->extack);
	if (ret)
		return ret;
	t = om_nl_proc_task(tb, info->extack, &ret);
	if (!t)
		return ret;
	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v) {
		put_task_struct(t);
		return -ENOMEM;
	}
	om_pview_fill(t, task_active_pid_ns(current), current_cred(),
		      netlink_capable(skb, CAP_SYS_PTRACE), v);
	put_task_struct(t);
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &om_genl_family, 0, OM_CMD_GET_PROC);
	if (!hdr || om_nl_put_proc(msg, v)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	kfree(v);
	return ret;
}

/*
 * Every process (not thread, not kernel thread) of the caller's pid
 * namespace by pid, or only guests; cb->args[0] = the next pid to look
 * at, so a dump goes on where the last skb filled up.
 */
static int om_nl_dump_procs(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	bool privileged = netlink_capable(cb->skb, CAP_SYS_PTRACE);
	struct nlattr *tb[OM_PA_MAX + 1];
	pid_t nr = cb->args[0] ?: 1;
	struct task_struct *t;
	struct om_pstate st;
	struct om_pview *v;
	bool guests;
	void *hdr;
	int ret;

	ret = om_nl_proc_attrs(om_genl_dump_attrs(cb), tb, cb->extack);
	if (ret)
		return ret;
	guests = tb[OM_PA_GUEST];
	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	while ((t = om_pview_next(ns, &nr))) {
		if (guests) {
			om_ptab_get(t, &st);
			if (!st.guest) {
				put_task_struct(t);
				nr++;
				continue;
			}
		}
		om_pview_fill(t, ns, current_cred(), privileged, v);
		put_task_struct(t);
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &om_genl_family,
				  NLM_F_MULTI, OM_CMD_GET_PROC);
		if (!hdr)
			break;
		if (om_nl_put_proc(skb, v)) {
			genlmsg_cancel(skb, hdr);
			break;	/* this one again in the next skb */
		}
		genlmsg_end(skb, hdr);
		nr++;
	}
	cb->args[0] = nr;
	kfree(v);
	return skb->len;
}

/*
 * The node list of a SET_PROC: OM_PA_NODE_POLICY and the repeated
 * OM_PA_NODE (each validated by the policy; nla_parse keeps only the
 * last one in tb), into pol.
 */
static int om_nl_proc_nodes(const struct nlattr *nest, struct nlattr **tb,
			    struct om_ppol *pol, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;
	u8 i;

	if (!tb[OM_PA_NODE_POLICY]) {
		if (tb[OM_PA_NODE]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[OM_PA_NODE],
					    "nodes without a node policy (allow or deny)");
			return -EINVAL;
		}
		return 0;
	}
	pol->set |= OM_PPOL_NODES;
	pol->node_policy = nla_get_u8(tb[OM_PA_NODE_POLICY]);
	nla_for_each_nested(a, nest, rem) {
		u16 id;

		if (nla_type(a) != OM_PA_NODE)
			continue;
		if (pol->node_policy == OM_NODES_ANY) {
			NL_SET_ERR_MSG_ATTR(extack, a, "node policy \"any\" takes no nodes");
			return -EINVAL;
		}
		if (pol->n_nodes >= OM_PROC_NODES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many nodes (at most 8)");
			return -E2BIG;
		}
		id = nla_get_u16(a);
		for (i = 0; i < pol->n_nodes; i++) {
			if (pol->nodes[i] == id) {
				NL_SET_ERR_MSG_ATTR(extack, a, "node listed twice");
				return -EINVAL;
			}
		}
		pol->nodes[pol->n_nodes++] = id;
	}
	if (pol->node_policy != OM_NODES_ANY && !pol->n_nodes) {
		NL_SET_ERR_MSG_ATTR(extack, tb[OM_PA_NODE_POLICY],
				    "an allow or deny list needs at least one node");
		return -EINVAL;
	}
	return 0;
}

static int om_nl_set_proc(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[OM_PA_MAX + 1];
	struct om_ppol pol = {};
	struct task_struct *t;
	int ret;

	ret = om_nl_proc_attrs(info->attrs, tb, info->extack);
	if (ret)
		return ret;
	if (tb[OM_PA_LOCKED]) {
		pol.set |= OM_PPOL_LOCK;
		pol.locked = nla_get_u8(tb[OM_PA_LOCKED]);
	}
	if (tb[OM_PA_HINT]) {
		pol.set |= OM_PPOL_HINT;
		pol.hint = nla_get_u8(tb[OM_PA_HINT]);
	}
	if (info->attrs[OM_A_PROC]) {
		ret = om_nl_proc_nodes(info->attrs[OM_A_PROC], tb, &pol,
				       info->extack);
		if (ret)
			return ret;
	}
	if (!pol.set) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set (need the locked flag, a hint or a node policy)");
		return -EINVAL;
	}
	t = om_nl_proc_task(tb, info->extack, &ret);
	if (!t)
		return ret;
	if (t->flags & PF_KTHREAD) {
		NL_SET_ERR_MSG(info->extack, "kernel thread");
		ret = -EINVAL;
	} else if (!om_pview_may_set(t, netlink_capable(skb, CAP_SYS_ADMIN))) {
		NL_SET_ERR_MSG(info->extack,
			       "not your process (root, or its real or effective uid)");
		ret = -EPERM;
	} else {
		ret = om_ptab_set_policy(t, &pol);
		if (ret == -ESRCH)
			NL_SET_ERR_MSG(info->extack, "process is exiting");
		else if (ret == -EAGAIN)
			NL_SET_ERR_MSG(info->extack, "process is being forked, try again");
	}
	put_task_struct(t);
	return ret;
}

/* One migration event to the "events" group; process context */
static void om_nl_mig_event(u8 ev, const struct om_mig_event_info *info)
{
	struct om_pview v = {
		.pid = info->pid, .uid = info->uid, .st = info->st,
	};
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&om_genl_family, &init_net, 0))
		return;
	memcpy(v.comm, info->comm, sizeof(v.comm));
	v.comm[sizeof(v.comm) - 1] = 0;
	if (v.st.where != v.st.home && v.st.left_ns) {
		u64 now = ktime_get_ns();

		if (now > v.st.left_ns)
			v.away_ms = div_u64(now - v.st.left_ns, NSEC_PER_MSEC);
	}
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &om_genl_family, 0, OM_CMD_MIG_EVENT);
	if (!hdr ||
	    nla_put_u8(skb, OM_A_MIG_EVENT, ev) ||
	    om_nl_put_proc(skb, &v) ||
	    (info->reason && nla_put_string(skb, OM_A_REASON, info->reason))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&om_genl_family, skb, 0, 0, GFP_KERNEL);
}

static int om_nl_mig_notify(struct notifier_block *nb, unsigned long ev,
			    void *data)
{
	if (ev >= OM_MEV_START && ev <= OM_MEV_GUEST_OUT)
		om_nl_mig_event(ev, data);
	return NOTIFY_DONE;
}

static struct notifier_block om_nl_mig_nb = {
	.notifier_call = om_nl_mig_notify,
};

static const struct genl_ops om_genl_ops[] = {
	{
		.cmd = OM_CMD_GET_STATUS,
		.doit = om_nl_get_status,
	}, {
		.cmd = OM_CMD_GET_NODE,
		.doit = om_nl_get_node,
		.dumpit = om_nl_dump_nodes,
	}, {
		.cmd = OM_CMD_ADD_NODE,
		.doit = om_nl_add_node,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = OM_CMD_DEL_NODE,
		.doit = om_nl_del_node,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = OM_CMD_SET_NODE,
		.doit = om_nl_set_node,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = OM_CMD_LOAD_MAP,
		.doit = om_nl_load_map,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = OM_CMD_SET_KEY,
		.doit = om_nl_set_key,
		.flags = GENL_ADMIN_PERM,
	}, {
		.cmd = OM_CMD_GET_PROC,
		.doit = om_nl_get_proc,
		.dumpit = om_nl_dump_procs,
	}, {
		/* a process's owner may set its policy: om_nl_set_proc checks */
		.cmd = OM_CMD_SET_PROC,
		.doit = om_nl_set_proc,
	},
};

static struct genl_family om_genl_family __ro_after_init = {
	.name = OM_GENL_NAME,
	.version = OM_GENL_VERSION,
	.maxattr = OM_A_MAX,
	.policy = om_policy,
	.module = THIS_MODULE,
	.ops = om_genl_ops,
	.n_ops = ARRAY_SIZE(om_genl_ops),
	.resv_start_op = 0,	/* strict validation for every command */
	.mcgrps = om_mcgrps,
	.n_mcgrps = ARRAY_SIZE(om_mcgrps),
};

/*
 * Registered last at load and unregistered first at unload (om_main.c).
 * Node events come from workers that run before the family is registered
 * and until it is gone: subscribing only while it is registered sends them
 * only then (a family's multicast offset means nothing outside that time).
 */
int om_netlink_init(void)
{
	int err = genl_register_family(&om_genl_family);

	if (err)
		return err;
	err = om_node_notifier_register(&om_nl_node_nb);
	if (err)
		goto err_family;
	err = om_mig_notifier_register(&om_nl_mig_nb);
	if (err)
		goto err_node;
	return 0;
err_node:
	om_node_notifier_unregister(&om_nl_node_nb);
err_family:
	genl_unregister_family(&om_genl_family);
	return err;
}

void om_netlink_exit(void)
{
	/* each returns once no event is being sent */
	om_mig_notifier_unregister(&om_nl_mig_nb);
	om_node_notifier_unregister(&om_nl_node_nb);
	genl_unregister_family(&om_genl_family);
}
