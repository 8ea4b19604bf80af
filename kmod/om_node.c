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
#include <linux/sort.h>
#include <linux/inetdevice.h>
#include <net/route.h>
#include <net/netlink.h>

#include "om_core.h"
#include "om_cluster.h"

DEFINE_MUTEX(om_nodes_lock);
static DEFINE_XARRAY(om_nodes);
static u16 om_self;	/* 0 until a local address is added */

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
	struct om_node *n;
	unsigned long i;

	lockdep_assert_held(&om_nodes_lock);
	xa_for_each(&om_nodes, i, n)
		if (om_node_has_addr(n, addr))
			return n;
	return NULL;
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

void om_node_set_up(struct om_node *n, bool up)
{
	lockdep_assert_held(&om_nodes_lock);
	if (n->up == up || (n->flags & OM_NF_SELF))
		return;
	n->up = up;
	pr_info("node %u (%pI4) is %s\n", n->id, &n->addr, up ? "up" : "down");
	om_netlink_event(up ? OM_EV_NODE_UP : OM_EV_NODE_DOWN, n);
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

static void om_node_set_aliases(struct om_node *n, const __be32 *aliases,
				unsigned int cnt)
{
	memcpy(n->aliases, aliases, cnt * sizeof(*aliases));
	n->naliases = cnt;
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
	om_node_set_aliases(n, aliases, naliases);
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
	pr_debug("node %u (%pI4:%u) created\n", id, &addr, n->port);
	om_netlink_event(OM_EV_NODE_ADDED, n);
	return n;
}

/* Announce a new node outside om_nodes_lock (proc entries, load table). */
static void om_node_added_unlocked(u16 id, __be32 addr, u16 port)
{
	om_proc_node_added(id);
	om_info_node_added(id, addr, port);
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
	om_transport_forget(n);
	if (n->flags & OM_NF_SELF)
		WRITE_ONCE(om_self, 0);
	om_netlink_event(OM_EV_NODE_REMOVED, n);
}

static void om_node_free_unlocked(struct om_node *n)
{
	om_proc_node_removed(n->id);
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
	} else if (n->flags & OM_NF_SELF) {
		NL_SET_ERR_MSG(extack, "cannot block this node itself");
		ret = -EINVAL;
	} else if (blocked != !!(n->flags & OM_NF_BLOCKED)) {
		if (blocked) {
			n->flags |= OM_NF_BLOCKED;
			om_transport_forget(n);
			om_node_set_up(n, false);
		} else {
			n->flags &= ~OM_NF_BLOCKED;
		}
		om_netlink_event(blocked ? OM_EV_NODE_BLOCKED :
			OM_EV_NODE_UNBLOCKED, n);
	}
	mutex_unlock(&om_nodes_lock);
	return ret;
}

static int om_addr_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Map entries on their own: usable, every ID and address used once. */
static int om_map_check(const struct om_node *map, unsigned int cnt,
			struct netlink_ext_ack *extack)
{
	unsigned int i, j, naddr = 0, nlocal = 0;
	u32 *addrs;
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
		for (j = i + 1; j < cnt; j++)
			if (map[i].id == map[j].id) {
				NL_SET_ERR_MSG(extack, "duplicate node ID or address in map");
				return -EINVAL;
			}
		naddr += 1 + map[i].naliases;
	}
	/* aliases make pairwise checks costly: sort all addresses instead */
	addrs = kvmalloc_array(naddr ?: 1, sizeof(*addrs), GFP_KERNEL);
	if (!addrs)
		return -ENOMEM;
	naddr = 0;
	for (i = 0; i < cnt; i++) {
		addrs[naddr++] = (__force u32)map[i].addr;
		for (j = 0; j < map[i].naliases; j++)
			addrs[naddr++] = (__force u32)map[i].aliases[j];
	}
	sort(addrs, naddr, sizeof(*addrs), om_addr_cmp, NULL);
	for (i = 1; i < naddr; i++)
		if (addrs[i] == addrs[i - 1]) {
			NL_SET_ERR_MSG(extack, "duplicate node ID or address in map");
			ret = -EINVAL;
			break;
		}
	kvfree(addrs);
	if (ret)
		return ret;
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

/*
 * Replace the static map: validate everything first, then drop static-only
 * nodes not in the new map and add the new ones.  All or nothing.
 */
int om_node_load_map(struct om_node *map, unsigned int cnt,
		     struct netlink_ext_ack *extack)
{
	struct om_node *n, **gone = NULL, **added = NULL;
	unsigned int i, j, ngone = 0, nadded = 0;
	unsigned long idx;
	int ret;

	ret = om_map_check(map, cnt, extack);
	if (ret)
		return ret;
	gone = kvcalloc(OM_NODE_ID_MAX + 1, sizeof(*gone), GFP_KERNEL);
	added = kvcalloc(cnt + 1, sizeof(*added), GFP_KERNEL);
	if (!gone || !added) {
		ret = -ENOMEM;
		goto out_free;
	}
	mutex_lock(&om_nodes_lock);
	/* pass 1: every entry must fit, ignoring static nodes that go away */
	for (i = 0; i < cnt; i++) {
		struct om_node *old = om_node_find(map[i].id);
		struct om_node *a = om_node_find_addr(map[i].addr);

		if (old && old->addr != map[i].addr && old->flags != OM_NF_STATIC) {
			NL_SET_ERR_MSG(extack, "map node ID already used by another address");
			ret = -EEXIST;
			goto out_unlock;
		}
		if (a && a->id != map[i].id && a->flags != OM_NF_STATIC) {
			NL_SET_ERR_MSG(extack, "map address already used by another node ID");
			ret = -EEXIST;
			goto out_unlock;
		}
		for (j = 0; j < map[i].naliases; j++) {
			a = om_node_find_addr(map[i].aliases[j]);
			if (a && a->id != map[i].id && a->flags != OM_NF_STATIC) {
				NL_SET_ERR_MSG(extack, "map alias already used by another node ID");
				ret = -EEXIST;
				goto out_unlock;
			}
		}
		/* a static-only node with another address is re-created */
		if (old && old->addr != map[i].addr)
			old = NULL;
		ret = om_node_check_local(old, map[i].id, map[i].addr,
					  map[i].aliases, map[i].naliases,
					  extack);
		if (ret)
			goto out_unlock;
	}
	/* pass 2: drop static-only nodes that the new map changes or lacks */
	idx = 0;
	while ((n = om_node_next(&idx))) {
		bool keep = false;

		for (i = 0; i < cnt; i++)
			if (map[i].id == n->id && map[i].addr == n->addr)
				keep = true;
		if (keep || n->flags & OM_NF_SELF) {
			continue;
		} else if (n->flags == OM_NF_STATIC ||
			   (n->flags == (OM_NF_STATIC | OM_NF_BLOCKED))) {
			om_node_unlink(n);
			gone[ngone++] = n;
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
		added[nadded++] = n;
	}
	for (i = 0; i < nadded; i++) {
		/* copy what the unlocked part needs while still locked */
		map[i].id = added[i]->id;
		map[i].addr = added[i]->addr;
		map[i].port = added[i]->port;
	}
out_unlock:
	mutex_unlock(&om_nodes_lock);
	for (i = 0; i < ngone; i++)
		om_node_free_unlocked(gone[i]);
	for (i = 0; i < nadded; i++)
		om_node_added_unlocked(map[i].id, map[i].addr, map[i].port);
out_free:
	kvfree(gone);
	kvfree(added);
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
		kfree(n);
	}
	om_self = 0;
	mutex_unlock(&om_nodes_lock);
}
