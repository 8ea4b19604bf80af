// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The node table: cluster members by ID, from the static map, "omctl node
 * add" or omdiscd.  Connections and load data refer to nodes by ID and
 * look them up under om_nodes_lock, so a node can go away at any time.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <linux/hashtable.h>
#include <linux/sort.h>
#include <linux/inetdevice.h>
#include <linux/notifier.h>
#include <linux/srcu.h>
#include <net/route.h>
#include <net/netlink.h>

#include "om_core.h"
#include "om_node.h"

DEFINE_MUTEX(om_nodes_lock);
static DEFINE_XARRAY(om_nodes);
/*
 * Every node address and alias; 4096 buckets keep chains short for maps of
 * thousands of nodes (the transport looks up every inbound connection).
 */
#define OM_ADDR_HASH_BITS	12
static DEFINE_HASHTABLE(om_addr_hash, OM_ADDR_HASH_BITS);
static u16 om_self;	/* 0 until a local address is added */

/*
 * Node events: one chain that the layers above subscribe to, so the node
 * table calls none of them by name.  SRCU rather than a blocking
 * notifier's rwsem: events are sent with om_nodes_lock held and without
 * it, and a subscriber of the unlocked ones may take om_nodes_lock, so a
 * writer queued on an rwsem (an unsubscribe) could stall a sender holding
 * the lock that reader waits for.  SRCU readers never wait for writers.
 */
DEFINE_STATIC_SRCU(om_node_srcu);
static RAW_NOTIFIER_HEAD(om_node_chain);
static DEFINE_MUTEX(om_node_chain_lock);	/* (un)subscribing only */

int om_node_notifier_register(struct notifier_block *nb)
{
	int ret;

	mutex_lock(&om_node_chain_lock);
	ret = raw_notifier_chain_register(&om_node_chain, nb);
	mutex_unlock(&om_node_chain_lock);
	return ret;
}

void om_node_notifier_unregister(struct notifier_block *nb)
{
	mutex_lock(&om_node_chain_lock);
	raw_notifier_chain_unregister(&om_node_chain, nb);
	mutex_unlock(&om_node_chain_lock);
	/* no event is still in nb's callback once we return */
	synchronize_srcu(&om_node_srcu);
}

static void om_node_notify_info(enum om_node_event ev,
				struct om_node_event_info *info)
{
	int idx = srcu_read_lock(&om_node_srcu);

	raw_notifier_call_chain(&om_node_chain, ev, info);
	srcu_read_unlock(&om_node_srcu, idx);
}

/* An event about n; lock held */
static void om_node_notify(enum om_node_event ev, struct om_node *n)
{
	struct om_node_event_info info = {
		.node = n, .id = n->id, .port = n->port, .addr = n->addr,
	};

	lockdep_assert_held(&om_nodes_lock);
	om_node_notify_info(ev, &info);
}

/* A POST_ event, after the lock is dropped: copies only */
static void om_node_notify_post(enum om_node_event ev, u16 id, __be32 addr,
				u16 port)
{
	struct om_node_event_info info = { .id = id, .port = port, .addr = addr };

	om_node_notify_info(ev, &info);
}

u16 om_self_id(void)
{
	return READ_ONCE(om_self);
}

__be32 om_self_addr(void)
{
	struct om_node *n;
	__be32 a = 0;

	mutex_lock(&om_nodes_lock);
	n = om_self ? om_node_find(om_self) : NULL;
	if (n)
		a = n->addr;
	mutex_unlock(&om_nodes_lock);
	return a;
}

struct om_node *om_node_find(u16 id)
{
	lockdep_assert_held(&om_nodes_lock);
	return xa_load(&om_nodes, id);
}

/* Primary address or one of the aliases */
bool om_node_has_addr(const struct om_node *n, __be32 addr)
{
	unsigned int i;

	if (n->addr == addr)
		return true;
	for (i = 0; i < n->naliases; i++)
		if (n->aliases[i] == addr)
			return true;
	return false;
}

struct om_node *om_node_find_addr(__be32 addr)
{
	struct om_node_addr *a;

	lockdep_assert_held(&om_nodes_lock);
	hash_for_each_possible(om_addr_hash, a, hnode, (__force u32)addr)
		if (a->addr == addr)
			return a->node;
	return NULL;
}

/* Entry i of n's address hash entries; lock held */
static void om_node_hash_one(struct om_node *n, unsigned int i, __be32 addr)
{
	n->ah[i].addr = addr;
	n->ah[i].node = n;
	hash_add(om_addr_hash, &n->ah[i].hnode, (__force u32)addr);
}

static void om_node_hash(struct om_node *n)
{
	unsigned int i;

	om_node_hash_one(n, 0, n->addr);
	for (i = 0; i < n->naliases; i++)
		om_node_hash_one(n, i + 1, n->aliases[i]);
}

static void om_node_unhash(struct om_node *n)
{
	unsigned int i;

	/* entries never hashed are unhashed nodes: hash_del() skips them */
	for (i = 0; i < ARRAY_SIZE(n->ah); i++)
		hash_del(&n->ah[i].hnode);
}

/* Next node with ID >= *idx; advances *idx past it. */
struct om_node *om_node_next(unsigned long *idx)
{
	struct om_node *n;

	lockdep_assert_held(&om_nodes_lock);
	n = xa_find(&om_nodes, idx, OM_NODE_ID_MAX, XA_PRESENT);
	if (n)
		(*idx)++;
	return n;
}

void om_node_counts(u32 *total, u32 *up)
{
	struct om_node *n;
	unsigned long i;

	*total = 0;
	*up = 0;
	mutex_lock(&om_nodes_lock);
	xa_for_each(&om_nodes, i, n) {
		(*total)++;
		if (n->up || (n->flags & OM_NF_SELF))
			(*up)++;
	}
	mutex_unlock(&om_nodes_lock);
}

/*
 * Up or down, as heard; this node is always up, and a blocked peer stays
 * down whatever still arrives from it (its connection closes in a
 * subscriber, after the block).
 */
void om_node_set_up(struct om_node *n, bool up)
{
	lockdep_assert_held(&om_nodes_lock);
	if (n->up == up || (n->flags & OM_NF_SELF) ||
	    (up && (n->flags & OM_NF_BLOCKED)))
		return;
	n->up = up;
	pr_info("node %u (%pI4) is %s\n", n->id, &n->addr, up ? "up" : "down");
	om_node_notify(up ? OM_NODE_EV_UP : OM_NODE_EV_DOWN, n);
}

static bool om_addr_is_local(__be32 addr)
{
	return inet_addr_type(&init_net, addr) == RTN_LOCAL;
}

static bool om_addr_usable(__be32 addr)
{
	return addr && !ipv4_is_multicast(addr) && !ipv4_is_lbcast(addr) &&
	       !ipv4_is_zeronet(addr) && !ipv4_is_loopback(addr);
}

static bool om_aliases_local(const __be32 *aliases, unsigned int cnt)
{
	unsigned int i;

	for (i = 0; i < cnt; i++)
		if (om_addr_is_local(aliases[i]))
			return true;
	return false;
}

/* One node's aliases on their own: usable, distinct, not the primary. */
static int om_node_check_aliases(__be32 addr, const __be32 *aliases,
				 unsigned int cnt, struct netlink_ext_ack *extack)
{
	unsigned int i, j;

	if (cnt > OM_NODE_ALIASES_MAX) {
		NL_SET_ERR_MSG(extack, "too many alias addresses");
		return -E2BIG;
	}
	for (i = 0; i < cnt; i++) {
		if (!om_addr_usable(aliases[i])) {
			NL_SET_ERR_MSG(extack, "alias is not a usable unicast IPv4 address");
			return -EINVAL;
		}
		if (aliases[i] == addr) {
			NL_SET_ERR_MSG(extack, "alias equals the node's address");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (aliases[j] == aliases[i]) {
				NL_SET_ERR_MSG(extack, "duplicate alias address");
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Self is decided when a node is created; a local alias on an existing
 * peer would turn a node with connections and load history into self,
 * so that is refused (delete and add the node again instead).
 */
static int om_node_check_local(struct om_node *n, u16 id, __be32 addr,
			       const __be32 *aliases, unsigned int cnt,
			       struct netlink_ext_ack *extack)
{
	bool alias_local = om_aliases_local(aliases, cnt);

	if (om_self && om_self != id &&
	    (alias_local || (!n && om_addr_is_local(addr)))) {
		NL_SET_ERR_MSG(extack, "this machine already is another node");
		return -EEXIST;
	}
	if (n && !(n->flags & OM_NF_SELF) && alias_local) {
		NL_SET_ERR_MSG(extack, "a local alias for an existing node: delete and add it again");
		return -EBUSY;
	}
	return 0;
}

/* New aliases for a node in the table; lock held */
static void om_node_set_aliases(struct om_node *n, const __be32 *aliases,
				unsigned int cnt)
{
	unsigned int i;

	for (i = 0; i < n->naliases; i++)
		hash_del(&n->ah[i + 1].hnode);
	memcpy(n->aliases, aliases, cnt * sizeof(*aliases));
	n->naliases = cnt;
	for (i = 0; i < cnt; i++)
		om_node_hash_one(n, i + 1, aliases[i]);
}

/* Checks an add against the table; lock held.  0, 1 (already there) or -errno */
static int om_node_check(u16 id, __be32 addr, const __be32 *aliases,
			 unsigned int naliases, u32 flags,
			 struct netlink_ext_ack *extack)
{
	struct om_node *n = om_node_find(id), *a = om_node_find_addr(addr);
	unsigned int i;
	int ret;

	if (!id) {
		NL_SET_ERR_MSG(extack, "node ID must be 1..65535");
		return -EINVAL;
	}
	if (!om_addr_usable(addr)) {
		NL_SET_ERR_MSG(extack, "not a usable unicast IPv4 address");
		return -EINVAL;
	}
	ret = om_node_check_aliases(addr, aliases, naliases, extack);
	if (ret)
		return ret;
	if (n && n->addr != addr) {
		NL_SET_ERR_MSG(extack, "node ID already used by another address");
		return -EEXIST;
	}
	if (a && a->id != id) {
		NL_SET_ERR_MSG(extack, "address already used by another node ID");
		return -EEXIST;
	}
	for (i = 0; i < naliases; i++) {
		a = om_node_find_addr(aliases[i]);
		if (a && a->id != id) {
			NL_SET_ERR_MSG(extack, "alias address already used by another node ID");
			return -EEXIST;
		}
	}
	ret = om_node_check_local(n, id, addr, aliases, naliases, extack);
	if (ret)
		return ret;
	return n ? 1 : 0;
}

/* Insert a new node; lock held, om_node_check() passed. */
static struct om_node *om_node_insert(u16 id, __be32 addr, u16 port, u32 flags,
				      const __be32 *aliases,
				      unsigned int naliases)
{
	struct om_node *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return ERR_PTR(-ENOMEM);
	n->id = id;
	n->addr = addr;
	memcpy(n->aliases, aliases, naliases * sizeof(*aliases));
	n->naliases = naliases;
	n->port = port ?: READ_ONCE(om_tun.port);
	n->flags = flags & (OM_NF_STATIC | OM_NF_DISCOVERED);
	/* a multi-homed machine is self through any of its addresses */
	if (om_addr_is_local(addr) || om_aliases_local(aliases, naliases)) {
		n->flags |= OM_NF_SELF;
		n->up = true;
		WRITE_ONCE(om_self, id);
		WRITE_ONCE(om_tun.node_id, id);
	}
	if (xa_err(xa_store(&om_nodes, id, n, GFP_KERNEL))) {
		if (n->flags & OM_NF_SELF)
			WRITE_ONCE(om_self, 0);
		kfree(n);
		return ERR_PTR(-ENOMEM);
	}
	om_node_hash(n);
	pr_debug("node %u (%pI4:%u) created\n", id, &addr, n->port);
	om_node_notify(OM_NODE_EV_ADDED, n);
	return n;
}

/* POST_ADD: a new node, announced once om_nodes_lock is dropped */
static void om_node_added_unlocked(u16 id, __be32 addr, u16 port)
{
	om_node_notify_post(OM_NODE_EV_POST_ADD, id, addr, port);
}

int om_node_add(u16 id, __be32 addr, u16 port, u32 flags,
		const __be32 *aliases, unsigned int naliases,
		struct netlink_ext_ack *extack)
{
	struct om_node *n;
	int ret;

	mutex_lock(&om_nodes_lock);
	ret = om_node_check(id, addr, aliases, naliases, flags, extack);
	if (ret == 1) {
		n = om_node_find(id);
		if (flags & OM_NF_DISCOVERED) {
			/* a refresh from omdiscd */
			n->flags |= OM_NF_DISCOVERED;
			if (port)
				n->port = port;
			ret = 0;
		} else if (n->flags & OM_NF_STATIC) {
			NL_SET_ERR_MSG(extack, "node already exists");
			ret = -EEXIST;
		} else {
			n->flags |= OM_NF_STATIC;
			if (port)
				n->port = port;
			ret = 0;
		}
		/* omdiscd sends no aliases: a refresh keeps the known ones */
		if (!ret && naliases)
			om_node_set_aliases(n, aliases, naliases);
		mutex_unlock(&om_nodes_lock);
		return ret;
	}
	if (ret) {
		mutex_unlock(&om_nodes_lock);
		return ret;
	}
	n = om_node_insert(id, addr, port, flags, aliases, naliases);
	if (IS_ERR(n)) {
		mutex_unlock(&om_nodes_lock);
		return PTR_ERR(n);
	}
	port = n->port;
	mutex_unlock(&om_nodes_lock);
	om_node_added_unlocked(id, addr, port);
	return 0;
}

/* Unlink; lock held.  The caller finishes with om_node_free_unlocked(). */
static void om_node_unlink(struct om_node *n)
{
	xa_erase(&om_nodes, n->id);
	om_node_unhash(n);
	if (n->flags & OM_NF_SELF)
		WRITE_ONCE(om_self, 0);
	om_node_notify(OM_NODE_EV_REMOVED, n);
}

static void om_node_free_unlocked(struct om_node *n)
{
	om_node_notify_post(OM_NODE_EV_POST_REMOVE, n->id, n->addr, n->port);
	/* its load entry ages out of the gossip table by itself */
	pr_debug("node %u destroyed\n", n->id);
	kfree(n);
}

int om_node_del(u16 id, struct netlink_ext_ack *extack)
{
	struct om_node *n;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(id);
	if (!n) {
		mutex_unlock(&om_nodes_lock);
		NL_SET_ERR_MSG(extack, "no such node");
		return -ENOENT;
	}
	if (n->flags & OM_NF_SELF) {
		mutex_unlock(&om_nodes_lock);
		NL_SET_ERR_MSG(extack, "cannot remove this node itself");
		return -EBUSY;
	}
	om_node_unlink(n);
	mutex_unlock(&om_nodes_lock);
	om_node_free_unlocked(n);
	return 0;
}

int om_node_set_blocked(u16 id, bool blocked, struct netlink_ext_ack *extack)
{
	struct om_node *n;
	int ret = 0;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(id);
	if (!n) {
		NL_SET_ERR_MSG(extack, "no such node");
		ret = -ENOENT;
	} else if (blocked != !!(n->flags & OM_NF_BLOCKED)) {
		/*
		 * This node blocked refuses guests (mosctl block): the
		 * arrival and balancer checks read its flag; it stays up.
		 */
		if (blocked) {
			/* its connections go with BLOCKED, in a subscriber */
			n->flags |= OM_NF_BLOCKED;
			om_node_set_up(n, false);
		} else {
			n->flags &= ~OM_NF_BLOCKED;
		}
		om_node_notify(blocked ? OM_NODE_EV_BLOCKED :
			       OM_NODE_EV_UNBLOCKED, n);
	}
	mutex_unlock(&om_nodes_lock);
	return ret;
}

static int om_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and tells whether a value occurs twice */
static bool om_u32_dups(u32 *v, unsigned int cnt)
{
	unsigned int i;

	sort(v, cnt, sizeof(*v), om_u32_cmp, NULL);
	for (i = 1; i < cnt; i++)
		if (v[i] == v[i - 1])
			return true;
	return false;
}

/* Map entries on their own: usable, every ID and address used once. */
static int om_map_check(const struct om_node *map, unsigned int cnt,
			struct netlink_ext_ack *extack)
{
	unsigned int i, j, naddr = 0, nlocal = 0;
	u32 *v;
	int ret = 0;

	for (i = 0; i < cnt; i++) {
		if (!map[i].id || !om_addr_usable(map[i].addr)) {
			NL_SET_ERR_MSG(extack, "map entry without ID or usable address");
			return -EINVAL;
		}
		ret = om_node_check_aliases(map[i].addr, map[i].aliases,
					    map[i].naliases, extack);
		if (ret)
			return ret;
		naddr += 1 + map[i].naliases;
	}
	/* sorted copies, not pairwise checks: first the IDs, then addresses */
	v = kvmalloc_array(naddr ?: 1, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < cnt; i++)
		v[i] = map[i].id;
	if (!om_u32_dups(v, cnt)) {
		naddr = 0;
		for (i = 0; i < cnt; i++) {
			v[naddr++] = (__force u32)map[i].addr;
			for (j = 0; j < map[i].naliases; j++)
				v[naddr++] = (__force u32)map[i].aliases[j];
		}
		if (om_u32_dups(v, naddr))
			ret = -EINVAL;
	} else {
		ret = -EINVAL;
	}
	kvfree(v);
	if (ret) {
		NL_SET_ERR_MSG(extack, "duplicate node ID or address in map");
		return ret;
	}
	/* one machine, one node: else self would depend on map order */
	for (i = 0; i < cnt; i++)
		if (om_addr_is_local(map[i].addr) ||
		    om_aliases_local(map[i].aliases, map[i].naliases))
			nlocal++;
	if (nlocal > 1) {
		NL_SET_ERR_MSG(extack, "more than one map node has an address of this machine");
		return -EINVAL;
	}
	return 0;
}

/* Pass 1 of a map load: every entry fits, ignoring static-only nodes. */
static int om_map_fits(const struct om_node *map, unsigned int cnt,
		       struct netlink_ext_ack *extack)
{
	unsigned int i, j;
	int ret;

	lockdep_assert_held(&om_nodes_lock);
	for (i = 0; i < cnt; i++) {
		struct om_node *old = om_node_find(map[i].id);
		struct om_node *a = om_node_find_addr(map[i].addr);

		if (old && old->addr != map[i].addr && old->flags != OM_NF_STATIC) {
			NL_SET_ERR_MSG(extack, "map node ID already used by another address");
			return -EEXIST;
		}
		if (a && a->id != map[i].id && a->flags != OM_NF_STATIC) {
			NL_SET_ERR_MSG(extack, "map address already used by another node ID");
			return -EEXIST;
		}
		for (j = 0; j < map[i].naliases; j++) {
			a = om_node_find_addr(map[i].aliases[j]);
			if (a && a->id != map[i].id && a->flags != OM_NF_STATIC) {
				NL_SET_ERR_MSG(extack, "map alias already used by another node ID");
				return -EEXIST;
			}
		}
		/* a static-only node with another address is re-created */
		if (old && old->addr != map[i].addr)
			old = NULL;
		ret = om_node_check_local(old, map[i].id, map[i].addr,
					  map[i].aliases, map[i].naliases,
					  extack);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Replace the static map: validate everything first, then drop static-only
 * nodes not in the new map and add the new ones.  All or nothing.  Lookups
 * go through the ID xarray and the address hash, and nothing is allocated
 * in proportion to the table's capacity, so large maps load quickly.
 */
int om_node_load_map(struct om_node *map, unsigned int cnt,
		     struct netlink_ext_ack *extack)
{
	struct om_node *n, *tmp;
	unsigned int i, nadded = 0;
	unsigned long idx;
	LIST_HEAD(gone);
	LIST_HEAD(added);
	int ret;

	ret = om_map_check(map, cnt, extack);
	if (ret)
		return ret;
	mutex_lock(&om_nodes_lock);
	ret = om_map_fits(map, cnt, extack);
	if (ret)
		goto out_unlock;
	/* pass 2: drop static-only nodes that the new map changes or lacks */
	for (i = 0; i < cnt; i++) {
		n = om_node_find(map[i].id);
		if (n && n->addr == map[i].addr)
			n->in_map = true;
	}
	idx = 0;
	while ((n = om_node_next(&idx))) {
		bool keep = n->in_map;

		n->in_map = false;
		if (keep || n->flags & OM_NF_SELF) {
			continue;
		} else if (n->flags == OM_NF_STATIC ||
			   (n->flags == (OM_NF_STATIC | OM_NF_BLOCKED))) {
			om_node_unlink(n);
			list_add_tail(&n->map_link, &gone);
		} else {
			n->flags &= ~OM_NF_STATIC;
		}
	}
	/* pass 3: add or mark */
	for (i = 0; i < cnt; i++) {
		n = om_node_find(map[i].id);
		if (n) {
			n->flags |= OM_NF_STATIC;
			if (map[i].port)
				n->port = map[i].port;
			/* the map is authoritative for its nodes' aliases */
			om_node_set_aliases(n, map[i].aliases, map[i].naliases);
			continue;
		}
		n = om_node_insert(map[i].id, map[i].addr, map[i].port,
				   OM_NF_STATIC, map[i].aliases,
				   map[i].naliases);
		if (IS_ERR(n)) {
			/* only -ENOMEM; what was applied stays consistent */
			ret = PTR_ERR(n);
			break;
		}
		list_add_tail(&n->map_link, &added);
	}
	/* copy what the unlocked part needs while still locked */
	list_for_each_entry(n, &added, map_link) {
		map[nadded].id = n->id;
		map[nadded].addr = n->addr;
		map[nadded].port = n->port;
		nadded++;
	}
out_unlock:
	mutex_unlock(&om_nodes_lock);
	list_for_each_entry_safe(n, tmp, &gone, map_link)
		om_node_free_unlocked(n);
	for (i = 0; i < nadded; i++)
		om_node_added_unlocked(map[i].id, map[i].addr, map[i].port);
	return ret;
}

int om_node_init(void)
{
	return 0;
}

void om_node_exit(void)
{
	struct om_node *n;
	unsigned long i;

	mutex_lock(&om_nodes_lock);
	/* the transport and /proc/hpc are gone already */
	xa_for_each(&om_nodes, i, n) {
		xa_erase(&om_nodes, i);
		om_node_unhash(n);
		kfree(n);
	}
	om_self = 0;
	mutex_unlock(&om_nodes_lock);
}
