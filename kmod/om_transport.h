/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * The transport, above the node table: sealed frames between nodes, each
 * received one handed to the consumer registered for its type.
 */
#ifndef _OM_TRANSPORT_H
#define _OM_TRANSPORT_H

#include <linux/types.h>
#include <linux/atomic.h>

#include "common/om_wire.h"
#include "om_node.h"

enum om_stat {
	OM_ST_RX_FRAMES,
	OM_ST_TX_FRAMES,
	OM_ST_RX_BAD_FRAME,
	OM_ST_RX_BAD_AUTH,
	OM_ST_RX_REPLAY,
	OM_ST_HANDSHAKE_FAIL,
	OM_ST_CONN_ACCEPTED,
	OM_ST_CONN_OPENED,
	OM_ST_CONN_CLOSED,
	OM_ST_UNKNOWN_PEER,
	OM_ST_MAX,
};
extern atomic64_t om_stats[OM_ST_MAX];
static inline void om_stat_inc(enum om_stat s)
{
	atomic64_inc(&om_stats[s]);
}

int om_transport_init(void);
void om_transport_exit(void);
int om_transport_set_key(const u8 *key);
bool om_transport_key_set(void);
void om_transport_port_changed(void);
/*
 * Send one sealed frame to a node (process ctx).  Without a connection:
 * -ENOTCONN, and one is being made (send again a little later).  While
 * the node's connection is ending (reset or closed by the peer, or shut
 * down after a failed send): -EPIPE at once, nothing sealed.
 */
int om_transport_send(u16 node, u8 type, const void *payload, u32 len);
/*
 * The same, the payload of exactly @len bytes written by @build into the
 * frame itself (no buffer and copy of the caller's).  @build runs under
 * the connection's send lock and must not send; its error is returned
 * and nothing sent.
 */
typedef int (*om_transport_build_fn)(void *ctx, u8 *buf, u32 len);
int om_transport_send_build(u16 node, u8 type, u32 len,
			    om_transport_build_fn build, void *ctx);
/*
 * Is there a connection to @node that frames can go on now (authenticated,
 * not ending)?  Starts none.  Process context.
 */
bool om_transport_connected(u16 node);
/*
 * The OM_WIRE_FEAT_* a node announced in its HELLO on our connection.
 * Without a connection one is started (or, in the reconnect back-off,
 * will be on the first ask after it) and -ENOTCONN returned (ask again a
 * little later), or the reason none can be (-ENOENT, -ENOKEY).  Process
 * context.
 */
int om_transport_peer_features(u16 node, u32 *features);
/*
 * Announce (or stop announcing) an OM_WIRE_FEAT_* bit in the HELLOs of
 * connections opened from now on: set it in your *_init once you handle
 * the frames it stands for, clear it in your *_exit.  Frames of a type
 * that needs a feature (om_wire_type_feature) go only to peers that
 * announced it (else om_transport_send() is -EOPNOTSUPP), and arrive
 * only on connections where we announced it (else they are dropped).
 */
void om_transport_set_feature(u32 feature, bool on);
/* Drop a node's connections (node removed, blocked or silent); lock held */
void om_transport_forget(struct om_node *n);
/*
 * The consumer of one frame type: called with every authenticated, opened
 * frame of that type, in the connection's thread, no lock held.
 */
typedef void (*om_transport_rx_fn)(u16 from, u8 type, const u8 *payload,
				   u32 len);
/*
 * A frame read in a waiting task's context (om_transport_wait): true if
 * the task took it for itself (it must not sleep long: it holds up the
 * connection), false to leave it to its consumer, which gets it from the
 * connection's thread as usual.
 */
typedef bool (*om_transport_claim_fn)(void *ctx, u16 from, u8 type,
				      const u8 *payload, u32 len);
/*
 * Sleep on @wq, interruptibly, until @done(@ctx).  Meanwhile the task
 * reads @node's connection itself when data comes (woken by the socket,
 * no thread in between) and offers each frame to @claim; one task at a
 * time does so per connection, the others just wait.  For a system call
 * forwarded to its home and its reply.
 * @poll_ns: before its first sleep the task watches the connection this
 * long, keeping its CPU (0: no polling; it stops early for a signal or
 * another task that wants the CPU).
 * @woken: NULL, or where the time (ktime_get_ns()) the task last began
 * to run in the wait goes: at its start, after each sleep and when its
 * polling saw data (a forwarded call's stage timing).
 * Returns 1 if its polling saw what it waited for and it never slept,
 * else 0, or -ERESTARTSYS on a signal.
 */
int om_transport_wait(u16 node, wait_queue_head_t *wq, bool (*done)(void *ctx),
		      om_transport_claim_fn claim, void *ctx, u64 poll_ns,
		      u64 *woken);
/* Register in your *_init, unregister in your *_exit. */
int om_transport_register_handler(u8 type, om_transport_rx_fn fn);
void om_transport_unregister_handler(u8 type);

#endif /* _OM_TRANSPORT_H */
