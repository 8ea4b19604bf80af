/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The node table, the lowest layer of the cluster core: it calls nobody
 * above it and tells them of changes through node events.
 */
#ifndef _OM_NODE_H
#define _OM_NODE_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/list.h>

#include "uapi/openmosix.h"
#include "common/om_load.h"

struct om_conn;
struct om_node;
struct netlink_ext_ack;
struct notifier_block;

/* One of a node's addresses in the node table's address hash */
struct om_node_addr {
	struct hlist_node hnode;
	__be32 addr;
	struct om_node *node;
};

/*
 * A cluster member.  Nodes live in om_nodes (an xarray keyed by ID), their
 * addresses and aliases in a hash (om_node_find_addr), and are only changed
 * under om_nodes_lock; the load data is a copy of the node's latest load
 * vector entry.
 */
struct om_node {
	u16 id;
	u16 port;
	__be32 addr;
	u8 naliases;
	__be32 aliases[OM_NODE_ALIASES_MAX];	/* more addresses of the node */
	u32 flags;		/* OM_NF_* */
	bool up;
	unsigned long last_heard;	/* jiffies of the last authenticated frame */
	unsigned long last_info;	/* jiffies when fresh load info arrived */
	u64 load_gen;
	struct om_load_entry load;	/* node id 0 until we heard of it */
	struct om_conn *conn;	/* authenticated connection, if any */
	unsigned long next_connect;	/* jiffies: reconnect back-off */
	bool connecting;	/* an outgoing connection is being set up */
	/* jiffies of the last "uses wire_mode" line about it, 0: none yet */
	unsigned long mode_warned;
	/* address hash entries: [0] addr, [1..naliases] aliases */
	struct om_node_addr ah[1 + OM_NODE_ALIASES_MAX];
	struct list_head map_link;	/* om_node_load_map's own lists */
	bool in_map;		/* om_node_load_map: the new map has it */
};

extern struct mutex om_nodes_lock;
int om_node_init(void);
void om_node_exit(void);
struct om_node *om_node_find(u16 id);		/* om_nodes_lock held */
struct om_node *om_node_find_addr(__be32 addr);	/* om_nodes_lock held */
struct om_node *om_node_next(unsigned long *idx);	/* iteration, lock held */
int om_node_add(u16 id, __be32 addr, u16 port, u32 flags,
		const __be32 *aliases, unsigned int naliases,
		struct netlink_ext_ack *extack);
bool om_node_has_addr(const struct om_node *n, __be32 addr);
int om_node_del(u16 id, struct netlink_ext_ack *extack);
int om_node_set_blocked(u16 id, bool blocked, struct netlink_ext_ack *extack);
int om_node_load_map(struct om_node *nodes, unsigned int n,
		     struct netlink_ext_ack *extack);
void om_node_set_up(struct om_node *n, bool up);	/* lock held */
u16 om_self_id(void);
__be32 om_self_addr(void);
void om_node_counts(u32 *total, u32 *up);

/*
 * Node events, for the layers above the node table.  The first six are
 * sent under om_nodes_lock with the node itself: a subscriber must not
 * wait there for anything that may wait for om_nodes_lock (om_info_lock,
 * /proc removal waiting for readers).  The POST_ ones follow once the
 * lock is dropped and carry copies only; adds and removals are
 * serialised by their callers (genetlink requests run one at a time), so
 * a node's POST_ events keep their order.
 */
enum om_node_event {
	OM_NODE_EV_ADDED,	/* in the table now */
	OM_NODE_EV_REMOVED,	/* out of the table, freed after POST_REMOVE */
	OM_NODE_EV_UP,
	OM_NODE_EV_DOWN,
	OM_NODE_EV_BLOCKED,	/* after DOWN if it was up */
	OM_NODE_EV_UNBLOCKED,
	OM_NODE_EV_POST_ADD,
	OM_NODE_EV_POST_REMOVE,
};

/* What a node event's subscribers get as the notifier's data */
struct om_node_event_info {
	struct om_node *node;	/* locked events only, NULL for POST_ */
	u16 id;
	u16 port;
	__be32 addr;
};

/* Subscribe in your *_init, unsubscribe in your *_exit. */
int om_node_notifier_register(struct notifier_block *nb);
void om_node_notifier_unregister(struct notifier_block *nb);

#endif /* _OM_NODE_H */
