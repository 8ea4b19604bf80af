// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Kernel-to-kernel transport: TCP connections opened on demand, every
 * frame sealed with AES-256-GCM under per-connection keys derived from the
 * cluster key, or in wire_mode integrity authenticated with Poly1305
 * under a key of each frame's own and sent in clear (common/om_wire.c,
 * Documentation/wire-protocol.md).  A connection keeps the mode it was
 * made with; both ends must have the same.
 *
 * One kthread per connection receives (once authenticated, a task that
 * waits for a frame of its own may read instead: om_transport_wait());
 * senders seal and send under the connection's tx_lock.  A connection
 * that is ending (reset or closed by the peer, or shut down after a
 * failed send) takes no more frames: senders get -EPIPE at once, until
 * its thread has ended (then -ENOTCONN) and the next is made.  Threads never
 * free their connection: a finished connection is reaped (kthread_stop
 * + free) by om_transport_reap(), so no thread ever returns into module
 * text that is being unloaded.
 *
 * Before authentication a connection costs little and is bounded: inbound
 * connections are accepted only from addresses in the node table, at most
 * OM_CONN_PER_SRC per address and OM_PREAUTH_MAX unauthenticated ones in
 * all; the peer's HELLO is opened with one transform shared by every
 * connection (om_hello_aead) into a small buffer inside struct om_conn.
 * Only a HELLO that verifies, names a node the source address belongs to,
 * earns the session transforms and frame buffers (om_conn_upgrade()).  A
 * responder sends its own HELLO only then, so an unauthenticated sender
 * never gets a byte.  Documentation/wire-protocol.md, section 7.
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/in.h>
#include <linux/net.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "om_core.h"
#include "om_node.h"
#include "om_transport.h"
#include "om_crypto.h"

#define OM_RX_CHUNK		4096
/*
 * Frames carry up to the protocol's 1 MiB (a migrated process's forwarded
 * read); a connection's send buffer starts at OM_TXBUF_MIN and grows when
 * a larger frame goes out (it is in a scatterlist: linear memory).
 */
#define OM_FRAME_MAX		OM_WIRE_MAX_PAYLOAD
#define OM_TXBUF_MIN		(64 * 1024 + OM_WIRE_OVERHEAD)
#define OM_CONN_IN_MAX		256	/* accepted connections, any state */
#define OM_CONN_OUT_MAX		256	/* connections we opened */
#define OM_PREAUTH_MAX		32	/* accepted, not yet authenticated */
#define OM_CONN_PER_SRC		4	/* accepted from one source address */
/* receive chunk before the HELLO verified: a HELLO frame fits in two */
#define OM_PREAUTH_CHUNK	512
#define OM_HELLO_FRAME		OM_WIRE_HELLO_FRAME_MAX
#define OM_HANDSHAKE_TIMEOUT	(5 * HZ)
#define OM_CONNECT_BACKOFF	(2 * HZ)
#define OM_HELLO_SKEW		300		/* seconds of clock skew allowed */
/* gossip reaches each peer now and then: idle links are closed, no mesh */
#define OM_IDLE_TIMEOUT		(30 * HZ)
/*
 * A node's last_heard is refreshed at most this often: liveness counts
 * seconds, and a forwarded system call (a frame each way) must not take
 * the global node lock every time.
 */
#define OM_HEARD_EVERY		(HZ / 10)

atomic64_t om_stats[OM_ST_MAX];

struct om_conn {
	struct list_head list;		/* om_conns, under om_conns_lock */
	refcount_t ref;
	struct socket *sock;
	struct task_struct *thread;
	bool initiator;
	__be32 addr;
	u16 port;
	u16 node;			/* peer ID, 0 until its HELLO */
	bool authed;
	bool done;			/* thread finished, reap me */
	struct om_wire_session s;
	struct om_wire_rx rx;
	/*
	 * allocated once the peer's HELLO verified (om_conn_upgrade): the
	 * AEAD pair, or in integrity mode the MAC pair
	 */
	struct om_aead *tx, *rxa;
	struct om_mac *txm, *rxm;
	struct crypto_shash *hmac;
	struct mutex tx_lock;
	u8 *txbuf;
	u32 txcap;			/* bytes at txbuf */
	u8 *rxbuf;
	unsigned long last_tx;
	unsigned long last_use;		/* last non-heartbeat frame either way */
	unsigned long heard_at;		/* last om_conn_heard() (receive thread) */
	/*
	 * Receiving: the connection's thread, or, once authenticated, a task
	 * waiting for a frame of its own (om_transport_wait()), which reads
	 * the socket itself and is woken by the socket directly: no thread
	 * in between.  rx_lock covers the stream state (rx, rxbuf, rxa) and
	 * the reading; the waiter's frames for others wait in rx_defer for
	 * the thread, which delivers them before it reads on.
	 */
	struct mutex rx_lock;
	struct list_head rx_defer;	/* struct om_rx_defer; under rx_lock */
	bool rx_deferred;		/* !list_empty(rx_defer), read unlocked */
	int rx_err;			/* the waiter found the stream broken */
	om_transport_claim_fn rx_claim;	/* the waiter's, while it reads */
	void *rx_claim_ctx;
	bool rx_claimed;
	/* under sk_callback_lock: woken instead of the thread */
	wait_queue_head_t *rx_waitq;
	void (*old_data_ready)(struct sock *sk);
	bool cb_set;
	/* before the upgrade: our HELLO and the receive chunk */
	u8 hello[OM_HELLO_FRAME];
	u8 rx_small[OM_PREAUTH_CHUNK];
};

/* A frame a waiter read for someone else, for the connection's thread */
struct om_rx_defer {
	struct list_head list;
	u8 type;
	u32 len;
	u8 data[];
};

static LIST_HEAD(om_conns);
static DEFINE_MUTEX(om_conns_lock);	/* process context only */
static unsigned int om_nconns_in, om_nconns_out;
static bool om_shutting_down;

static DEFINE_MUTEX(om_key_lock);
static u8 om_key[OM_KEY_LEN];
static bool om_key_valid;
/* cluster key transform for every HELLO; keyed lazily, under om_key_lock */
static struct om_aead *om_hello_aead;
static bool om_hello_keyed;

/*
 * Received frames by type, for the layers above (the transport calls none
 * of them by name).  SRCU: a handler may sleep and take any lock, and
 * unregistering waits for the calls in flight.
 */
DEFINE_STATIC_SRCU(om_rx_srcu);
static DEFINE_MUTEX(om_rx_lock);	/* (un)registering only */
static om_transport_rx_fn om_rx_handlers[U8_MAX + 1];

/*
 * Features announced beyond the transport's own: a layer sets its bit
 * once it serves the frames the bit stands for (om_transport_set_feature);
 * connections opened from then on announce it.
 */
static u32 om_extra_features;

static struct socket *om_listen_sock;
static struct task_struct *om_listen_thread;
static DEFINE_MUTEX(om_listen_lock);
static struct work_struct om_relisten_work;

int om_transport_set_key(const u8 *key)
{
	mutex_lock(&om_key_lock);
	memcpy(om_key, key, OM_KEY_LEN);
	om_key_valid = true;
	om_hello_keyed = false;
	mutex_unlock(&om_key_lock);
	pr_info("cluster key set\n");
	return 0;
}

bool om_transport_key_set(void)
{
	return READ_ONCE(om_key_valid);
}

/* The transport's own types (and 0, never a frame) have no handler. */
static bool om_transport_own_type(u8 type)
{
	return !type || type == OM_WIRE_T_HELLO ||
	       type == OM_WIRE_T_HEARTBEAT || type == OM_WIRE_T_BYE;
}

int om_transport_register_handler(u8 type, om_transport_rx_fn fn)
{
	int ret = 0;

	if (om_transport_own_type(type) || !fn)
		return -EINVAL;
	mutex_lock(&om_rx_lock);
	if (om_rx_handlers[type]) {
		ret = -EBUSY;
	} else {
		/* pairs with om_transport_deliver(): fn sees its state set up */
		smp_store_release(&om_rx_handlers[type], fn);
	}
	mutex_unlock(&om_rx_lock);
	return ret;
}

void om_transport_unregister_handler(u8 type)
{
	mutex_lock(&om_rx_lock);
	WRITE_ONCE(om_rx_handlers[type], NULL);
	mutex_unlock(&om_rx_lock);
	/* no frame is still in the handler once we return */
	synchronize_srcu(&om_rx_srcu);
}

/* An opened frame to its consumer, if any (else it is dropped) */
static void om_transport_deliver(u16 from, u8 type, const u8 *payload,
				 u32 len)
{
	om_transport_rx_fn fn;
	int idx;

	idx = srcu_read_lock(&om_rx_srcu);
	/* pairs with the release in om_transport_register_handler() */
	fn = smp_load_acquire(&om_rx_handlers[type]);
	if (fn)
		fn(from, type, payload, len);
	srcu_read_unlock(&om_rx_srcu, idx);
}

static void om_conn_free_deferred(struct om_conn *c)
{
	struct om_rx_defer *d, *tmp;

	list_for_each_entry_safe(d, tmp, &c->rx_defer, list) {
		list_del(&d->list);
		kvfree(d);
	}
	WRITE_ONCE(c->rx_deferred, false);
}

static void om_conn_data_ready(struct sock *sk);

/* The socket wakes a waiting task (om_transport_wait) before the thread */
static void om_conn_set_callbacks(struct om_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	c->old_data_ready = sk->sk_data_ready;
	sk->sk_user_data = c;
	sk->sk_data_ready = om_conn_data_ready;
	c->cb_set = true;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* Before the socket goes: no callback finds c any more */
static void om_conn_restore_callbacks(struct om_conn *c)
{
	struct sock *sk = c->sock->sk;

	if (!c->cb_set)
		return;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = c->old_data_ready;
	sk->sk_user_data = NULL;
	c->cb_set = false;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void om_conn_put(struct om_conn *c)
{
	if (!refcount_dec_and_test(&c->ref))
		return;
	if (c->sock) {
		om_conn_restore_callbacks(c);
		sock_release(c->sock);
	}
	om_conn_free_deferred(c);
	om_wire_session_wipe(&c->s);
	om_wire_rx_destroy(&c->rx);
	om_aead_free(c->tx);
	om_aead_free(c->rxa);
	om_mac_free(c->txm);
	om_mac_free(c->rxm);
	om_hmac_free(c->hmac);
	kfree(c->txbuf);
	kfree(c->rxbuf);
	kfree(c);
}

static void om_conn_shutdown(struct om_conn *c)
{
	if (c->sock)
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
}

/*
 * The peer reset or closed the connection: what is still queued was sent
 * before, and says nothing of the node now (a peer that left a flood
 * behind would stay "heard", up, for as long as its backlog lasts).
 */
static bool om_conn_ended(struct sock *sk)
{
	return READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN);
}

/*
 * No frame goes out on this connection any more: the peer reset or
 * closed it, or we shut it down (a send failed, or it is closing).  It
 * stays the node's until its thread has read what the peer sent before
 * (a client that hung up may have left thousands of requests there) and
 * ends; until then a sender gets -EPIPE at once, as tcp_sendmsg() would
 * say, but without first sealing the whole frame (a 128 KiB reply:
 * AES-GCM of all of it) one sender at a time under tx_lock: senders to
 * a node that hung up queued on that lock, each for a whole seal.
 * Lockless: a socket's fields, as om_conn_ended().
 */
static bool om_conn_unusable(struct om_conn *c)
{
	struct sock *sk = c->sock->sk;

	return om_conn_ended(sk) ||
	       (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) ||
	       READ_ONCE(sk->sk_state) == TCP_CLOSE;
}

/*
 * Send len bytes completely (blocking, each wait bounded by sk_sndtimeo).
 * Frames are also sent from processes (a migrating process streams its
 * own image): a signal for that process must not cut a frame in half,
 * which would cost the connection and every session on it.  So a send
 * interrupted by a signal waits a tick and goes on, for at most
 * OM_SEND_SIGNALLED in all; the caller sees the signal afterwards.
 * A peer that stops reading: a call that copied part of the frame
 * returns that after sk_sndtimeo and we go on; one that copied nothing
 * is -EAGAIN, and the caller shuts the connection down (a frame to a
 * peer that is gone holds tx_lock twice sk_sndtimeo at most).  A peer
 * that reads, however slowly, keeps the sender as long.
 */
#define OM_SEND_SIGNALLED	(10 * HZ)

static int om_sock_send(struct socket *sock, const void *buf, size_t len)
{
	unsigned long deadline = jiffies + OM_SEND_SIGNALLED;

	while (len) {
		struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
		int n = kernel_sendmsg(sock, &msg, &iov, 1, len);

		if ((n == -EINTR || n == -ERESTARTSYS) && time_before(jiffies, deadline)) {
			schedule_timeout_uninterruptible(1);
			continue;
		}
		if (n < 0)
			return n;
		if (!n)
			return -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Seal and send one frame.  The payload is @payload, or, with @build,
 * written by @build straight into the frame buffer (sealed in place: no
 * copy of the caller's own).
 */
static int om_conn_send_frame_build(struct om_conn *c, u8 type,
				    const void *payload, u32 len,
				    om_transport_build_fn build, void *ctx,
				    bool *build_failed)
{
	int n, ret;

	if (len > OM_FRAME_MAX)
		return -EMSGSIZE;
	if (!c->txbuf)
		return -ENOTCONN;	/* not upgraded: no session yet */
	mutex_lock(&c->tx_lock);
	/* it may have ended while we waited for the lock */
	if (om_conn_unusable(c)) {
		mutex_unlock(&c->tx_lock);
		return -EPIPE;
	}
	if (len + OM_WIRE_OVERHEAD > c->txcap) {
		u8 *nb = kmalloc(len + OM_WIRE_OVERHEAD, GFP_KERNEL | __GFP_NOWARN);

		if (!nb) {
			mutex_unlock(&c->tx_lock);
			return -ENOMEM;
		}
		kfree(c->txbuf);
		c->txbuf = nb;
		c->txcap = len + OM_WIRE_OVERHEAD;
	}
	if (build) {
		payload = c->txbuf + OM_WIRE_HDR_LEN;
		ret = build(ctx, c->txbuf + OM_WIRE_HDR_LEN, len);
		if (ret) {
			mutex_unlock(&c->tx_lock);
			*build_failed = true;
			return ret;
		}
	}
	n = om_wire_seal_frame(&c->s, type, 0, 0, payload, len, c->txbuf, c->txcap);
	if (n < 0) {
		ret = n;
	} else {
		ret = om_sock_send(c->sock, c->txbuf, n);
		if (!ret) {
			om_stat_inc(OM_ST_TX_FRAMES);
			c->last_tx = jiffies;
			if (type != OM_WIRE_T_HEARTBEAT)
				WRITE_ONCE(c->last_use, jiffies);
		}
	}
	mutex_unlock(&c->tx_lock);
	return ret;
}

static int om_conn_send_frame(struct om_conn *c, u8 type, const void *payload,
			      u32 len)
{
	return om_conn_send_frame_build(c, type, payload, len, NULL, NULL, NULL);
}

/* The peer proved the session key: attach the connection to its node. */
static int om_conn_authed(struct om_conn *c)
{
	struct om_conn *old = NULL;
	struct om_node *n;
	int ret = 0;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(c->node);
	if (!n || (n->flags & (OM_NF_BLOCKED | OM_NF_SELF))) {
		om_stat_inc(OM_ST_UNKNOWN_PEER);
		ret = -EPERM;
		goto out;
	}
	if (n->conn && n->conn != c) {
		/*
		 * Both sides connected at once: keep the connection opened
		 * by the lower node ID, so both ends make the same choice.
		 */
		bool mine_lower = om_self_id() < c->node;

		if (c->initiator != mine_lower) {
			ret = -EEXIST;
			goto out;
		}
		old = n->conn;
	}
	n->conn = c;
	refcount_inc(&c->ref);
	n->last_heard = jiffies;
	om_node_set_up(n, true);
out:
	mutex_unlock(&om_nodes_lock);
	if (old) {
		om_conn_shutdown(old);
		om_conn_put(old);
	}
	return ret;
}

static void om_conn_detach(struct om_conn *c)
{
	struct om_node *n;
	bool put = false;

	mutex_lock(&om_nodes_lock);
	n = c->node ? om_node_find(c->node) : NULL;
	if (n && n->conn == c) {
		n->conn = NULL;
		put = true;
	}
	if (n && c->initiator) {
		n->connecting = false;
		n->next_connect = jiffies + OM_CONNECT_BACKOFF;
	}
	mutex_unlock(&om_nodes_lock);
	if (put)
		om_conn_put(c);
}

static void om_conn_heard(struct om_conn *c)
{
	struct om_node *n;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(c->node);
	if (n) {
		n->last_heard = jiffies;
		om_node_set_up(n, true);
	}
	mutex_unlock(&om_nodes_lock);
}

/*
 * The pre-authentication session: the shared HELLO transform, no
 * per-connection crypto state (that comes with om_conn_upgrade()).
 */
static int om_conn_setup_session(struct om_conn *c)
{
	struct om_wire_config cfg = {
		.role = c->initiator ? OM_WIRE_INITIATOR : OM_WIRE_RESPONDER,
		.node_id = om_self_id(),
		.listen_port = READ_ONCE(om_tun.port),
		.features = OM_WIRE_FEAT_MIG_BAL | OM_WIRE_FEAT_MIG_POLICY |
			    READ_ONCE(om_extra_features),
		.mode = READ_ONCE(om_tun.wire_mode),
		.max_skew = OM_HELLO_SKEW,
		.aead = &om_aead_ops,
		.lt_keyed = true,
		.mac = &om_mac_ops,
		.hmac = &om_hmac_ops,
		.rng = om_rng,
	};
	u8 key[OM_KEY_LEN];
	int ret = 0;

	if (!cfg.node_id)
		return -ENOTCONN;	/* we do not know who we are yet */
	mutex_lock(&om_key_lock);
	if (!om_key_valid || !om_hello_aead) {
		/* no key yet, or the transport is not (or no longer) up */
		mutex_unlock(&om_key_lock);
		return -ENOKEY;
	}
	cfg.aead_lt = om_hello_aead;
	if (!om_hello_keyed) {
		ret = om_aead_ops.setkey(om_hello_aead, om_key, OM_KEY_LEN);
		om_hello_keyed = !ret;
	}
	memcpy(key, om_key, sizeof(key));
	mutex_unlock(&om_key_lock);
	if (!ret) {
		cfg.cluster_key = key;
		ret = om_wire_session_init(&c->s, &cfg);
	}
	memzero_explicit(key, sizeof(key));
	return ret;
}

/* The peer's HELLO verified: the session's transforms and buffers. */
static int om_conn_upgrade(struct om_conn *c)
{
	void *tx, *rx;

	if (c->s.cfg.mode == OM_WIRE_MODE_INTEGRITY) {
		c->txm = om_mac_alloc();
		c->rxm = om_mac_alloc();
		if (IS_ERR(c->txm) || IS_ERR(c->rxm))
			return -ENOMEM;
		tx = c->txm;
		rx = c->rxm;
	} else {
		c->tx = om_aead_alloc();
		c->rxa = om_aead_alloc();
		if (IS_ERR(c->tx) || IS_ERR(c->rxa))
			return -ENOMEM;
		tx = c->tx;
		rx = c->rxa;
	}
	c->hmac = om_hmac_alloc();
	if (IS_ERR(c->hmac))
		return -ENOMEM;
	c->txbuf = kmalloc(OM_TXBUF_MIN, GFP_KERNEL);
	c->txcap = OM_TXBUF_MIN;
	c->rxbuf = kmalloc(OM_RX_CHUNK, GFP_KERNEL);
	if (!c->txbuf || !c->rxbuf)
		return -ENOMEM;
	return om_wire_session_attach(&c->s, tx, rx, c->hmac);
}

static int om_conn_send_hello(struct om_conn *c)
{
	int n;

	mutex_lock(&c->tx_lock);
	n = om_wire_hello_build(&c->s, ktime_get_real_seconds(), c->hello,
				sizeof(c->hello));
	if (n > 0)
		n = om_sock_send(c->sock, c->hello, n);
	mutex_unlock(&c->tx_lock);
	return n < 0 ? n : 0;
}

/* Is the peer a member we may talk to (known, not blocked, not us)? */
static bool om_conn_peer_known(struct om_conn *c)
{
	struct om_node *n;
	bool ok;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(c->node);
	ok = n && !(n->flags & (OM_NF_BLOCKED | OM_NF_SELF));
	/*
	 * The node ID in a HELLO is bound to the node's addresses: an outgoing
	 * connection must reach the node it was meant for, an incoming one
	 * come from the node it claims to be (one key holder cannot pose as
	 * another node).
	 */
	if (ok && !om_node_has_addr(n, c->addr))
		ok = false;
	mutex_unlock(&om_nodes_lock);
	return ok;
}

/* one line per peer a minute however often a mismatched peer retries */
#define OM_MODE_WARN_EVERY	(60 * HZ)

/* Time for another mismatch line about @id (node lock taken here) */
static bool om_conn_mode_warn_due(u16 id)
{
	struct om_node *n;
	bool due = false;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(id);
	if (n && (!n->mode_warned ||
		  time_after(jiffies, n->mode_warned + OM_MODE_WARN_EVERY))) {
		n->mode_warned = jiffies | 1;	/* 0 means never */
		due = true;
	}
	mutex_unlock(&om_nodes_lock);
	return due;
}

/*
 * A member whose HELLO verified uses the other wire mode: say so (once a
 * minute per peer) and refuse; it stays down.  A responder answers with its own HELLO first, so that the
 * initiator learns why and says so too.
 */
static int om_conn_mode_mismatch(struct om_conn *c,
				 const struct om_wire_hello *peer)
{
	om_stat_inc(OM_ST_HANDSHAKE_FAIL);
	if (c->initiator && c->node != peer->node_id) {
		om_stat_inc(OM_ST_UNKNOWN_PEER);
		return -EPERM;
	}
	c->node = peer->node_id;
	if (!om_conn_peer_known(c)) {
		om_stat_inc(OM_ST_UNKNOWN_PEER);
		return -EPERM;
	}
	if (om_conn_mode_warn_due(c->node))
		pr_warn("node %u (%pI4) uses wire_mode %s, this node %s: not connected%s\n",
			peer->node_id, &c->addr, om_wire_mode_name(peer->mode),
			om_wire_mode_name(c->s.cfg.mode),
			peer->mode == OM_WIRE_MODE_INTEGRITY_B2B ?
			" (an older version's integrity mode: update that node)" : "");
	if (!c->initiator)
		om_conn_send_hello(c);
	return -EPROTONOSUPPORT;
}

/*
 * An opened frame to its consumer: by the thread, directly; by a waiter,
 * to itself if it claims it and nothing is waiting for the thread before
 * it (frames keep their order), else kept for the thread.
 */
static int om_conn_deliver(struct om_conn *c, u8 type, const u8 *payload,
			   u32 len)
{
	struct om_rx_defer *d;

	if (!c->rx_claim) {
		om_transport_deliver(c->node, type, payload, len);
		return 0;
	}
	if (!c->rx_deferred &&
	    c->rx_claim(c->rx_claim_ctx, c->node, type, payload, len)) {
		c->rx_claimed = true;
		return 0;
	}
	d = kvmalloc(struct_size(d, data, len), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->type = type;
	d->len = len;
	memcpy(d->data, payload, len);
	list_add_tail(&d->list, &c->rx_defer);
	WRITE_ONCE(c->rx_deferred, true);
	return 0;
}

/* One complete frame from the peer. 0 to go on, <0 to close. */
static int om_conn_frame(struct om_conn *c, struct om_wire_frame *f)
{
	const u8 *payload;
	u32 plen;
	int ret;

	if (c->s.state == OM_WS_HELLO) {
		struct om_wire_hello peer;

		ret = om_wire_hello_accept(&c->s, f, ktime_get_real_seconds(),
					   &peer);
		if (ret == -EPROTONOSUPPORT)
			return om_conn_mode_mismatch(c, &peer);
		if (ret) {
			om_stat_inc(ret == -EBADMSG ? OM_ST_RX_BAD_AUTH :
				    OM_ST_HANDSHAKE_FAIL);
			return ret;
		}
		if (c->initiator && c->node != peer.node_id) {
			om_stat_inc(OM_ST_UNKNOWN_PEER);
			return -EPERM;
		}
		c->node = peer.node_id;
		if (!om_conn_peer_known(c)) {
			om_stat_inc(OM_ST_UNKNOWN_PEER);
			return -EPERM;
		}
		ret = om_conn_upgrade(c);
		if (ret)
			return ret;
		/* a responder answers only a HELLO that verified */
		if (!c->initiator) {
			ret = om_conn_send_hello(c);
			if (ret)
				return ret;
		}
		ret = om_wire_session_derive(&c->s);
		if (ret) {
			om_stat_inc(OM_ST_HANDSHAKE_FAIL);
			return ret;
		}
		/* prove we hold the key; the peer does the same */
		ret = om_conn_send_frame(c, OM_WIRE_T_HEARTBEAT, NULL, 0);
		if (ret)
			return ret;
		return 0;
	}
	ret = om_wire_open_frame(&c->s, f, &payload, &plen);
	if (ret) {
		if (c->s.stats.rx_replay)
			om_stat_inc(OM_ST_RX_REPLAY);
		else
			om_stat_inc(OM_ST_RX_BAD_AUTH);
		return ret;
	}
	om_stat_inc(OM_ST_RX_FRAMES);
	if (!c->authed) {
		ret = om_conn_authed(c);
		if (ret)
			return ret;
		WRITE_ONCE(c->authed, true);
		WRITE_ONCE(c->last_use, jiffies);
		c->heard_at = jiffies;	/* om_conn_authed() set last_heard */
		om_wire_rx_set_limit(&c->rx, OM_FRAME_MAX);
		c->sock->sk->sk_rcvtimeo = HZ;
		pr_debug("connection with node %u authenticated\n", c->node);
	} else if (time_after(jiffies, c->heard_at + OM_HEARD_EVERY) &&
		   !om_conn_ended(c->sock->sk)) {
		c->heard_at = jiffies;
		om_conn_heard(c);
	}
	if (f->hdr.type != OM_WIRE_T_HEARTBEAT)
		WRITE_ONCE(c->last_use, jiffies);
	switch (f->hdr.type) {
	case OM_WIRE_T_HEARTBEAT:
		return 0;
	case OM_WIRE_T_BYE:
		return -ECONNRESET;
	default:
		/* a type of a feature we did not announce has no consumer here */
		if ((om_wire_type_feature(f->hdr.type) & ~c->s.cfg.features))
			return 0;
		return om_conn_deliver(c, f->hdr.type, payload, plen);
	}
}

/* Feed @n received bytes to the stream and handle its frames; rx_lock held */
static int om_conn_rx_chunk(struct om_conn *c, const u8 *buf, size_t n)
{
	size_t off = 0;
	int ret = 0;

	while (off < n && !ret) {
		struct om_wire_frame f;
		size_t used;
		int r = om_wire_rx_feed(&c->rx, buf + off, n - off, &used);

		off += used;
		if (r < 0) {
			om_stat_inc(OM_ST_RX_BAD_FRAME);
			ret = r;
		} else if (r == 1 && !om_wire_rx_frame(&c->rx, &f)) {
			ret = om_conn_frame(c, &f);
		}
	}
	return ret;
}

/* Anything for a reader: data, or an end or error to find out about */
static bool om_conn_readable(struct sock *sk)
{
	return !skb_queue_empty_lockless(&sk->sk_receive_queue) ||
	       om_conn_ended(sk) || READ_ONCE(sk->sk_state) == TCP_CLOSE;
}

/*
 * A frame's body of at least OM_RX_CHUNK still to come is read straight
 * into the reassembly buffer: no copy out of the chunk, one recvmsg for
 * what the socket has of it (an image's 256 KiB frames would otherwise
 * take 64 reads and a copy of every byte).  Shorter rests, and headers,
 * come through the chunk, which may hold several small frames at once.
 * 1 when the socket had nothing, else as om_conn_rx_chunk().
 */
static int om_conn_rx_direct(struct om_conn *c, u8 *to, u32 room)
{
	struct kvec iov = { .iov_base = to, .iov_len = room };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct om_wire_frame f;
	int n, r;

	n = kernel_recvmsg(c->sock, &msg, &iov, 1, room, MSG_DONTWAIT);
	if (n == -EAGAIN)
		return 1;
	if (n <= 0)
		return n ?: -ECONNRESET;
	r = om_wire_rx_commit(&c->rx, n);
	if (r < 0) {
		om_stat_inc(OM_ST_RX_BAD_FRAME);
		return r;
	}
	if (r == 1 && !om_wire_rx_frame(&c->rx, &f))
		return om_conn_frame(c, &f);
	return 0;
}

/*
 * Read what the socket has (without waiting) and handle it, once
 * authenticated; rx_lock held.  A waiter stops after a read that gave
 * it its frame or a frame for the thread.
 */
static int om_conn_rx_read(struct om_conn *c)
{
	for (;;) {
		struct kvec iov = { .iov_base = c->rxbuf, .iov_len = OM_RX_CHUNK };
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		u32 room;
		u8 *to = om_wire_rx_direct(&c->rx, &room);
		int n, ret;

		if (to && room >= OM_RX_CHUNK) {
			ret = om_conn_rx_direct(c, to, room);
			if (ret)
				return ret < 0 ? ret : 0;
			if (c->rx_claim && (c->rx_claimed || c->rx_deferred))
				return 0;
			continue;
		}
		n = kernel_recvmsg(c->sock, &msg, &iov, 1, OM_RX_CHUNK, MSG_DONTWAIT);
		if (n == -EAGAIN)
			return 0;
		if (n <= 0)
			return n ?: -ECONNRESET;
		ret = om_conn_rx_chunk(c, c->rxbuf, n);
		if (ret)
			return ret;
		if (c->rx_claim && (c->rx_claimed || c->rx_deferred))
			return 0;
	}
}

/* The waiter's frames for others, to their consumers, in order; rx_lock held */
static void om_conn_deliver_deferred(struct om_conn *c)
{
	struct om_rx_defer *d, *tmp;

	list_for_each_entry_safe(d, tmp, &c->rx_defer, list) {
		list_del(&d->list);
		om_transport_deliver(c->node, d->type, d->data, d->len);
		kvfree(d);
	}
	WRITE_ONCE(c->rx_deferred, false);
}

/* Is it the thread's turn to read (no waiter does), or to clean up? */
static bool om_conn_thread_due(struct om_conn *c)
{
	return kthread_should_stop() || READ_ONCE(c->rx_err) ||
	       READ_ONCE(c->rx_deferred) ||
	       (!READ_ONCE(c->rx_waitq) && om_conn_readable(c->sock->sk));
}

/* The thread, once authenticated: wait for its turn, then read. */
static int om_conn_rx_thread(struct om_conn *c)
{
	int ret;

	/* a timeout now and then: kthread_should_stop() is checked anyway */
	wait_event_interruptible_timeout(*sk_sleep(c->sock->sk),
					 om_conn_thread_due(c), HZ);
	if (kthread_should_stop())
		return 0;
	mutex_lock(&c->rx_lock);
	ret = c->rx_err;
	if (!ret) {
		om_conn_deliver_deferred(c);
		ret = om_conn_rx_read(c);
	}
	mutex_unlock(&c->rx_lock);
	return ret;
}

/*
 * Data came: wake the task that waits for it on this connection, if one
 * does, else the thread (the socket's own callback).  Softirq context.
 */
static void om_conn_data_ready(struct sock *sk)
{
	void (*ready)(struct sock *sk);
	struct om_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	/* without c, the callbacks were just put back: call the socket's own */
	ready = c ? c->old_data_ready : READ_ONCE(sk->sk_data_ready);
	if (ready == om_conn_data_ready)
		ready = NULL;
	if (c && c->rx_waitq) {
		wake_up_interruptible(c->rx_waitq);
		ready = NULL;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (ready)
		ready(sk);
}

static int om_conn_connect(struct om_conn *c)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = c->addr,
		.sin_port = htons(c->port),
	};
	int ret;

	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &c->sock);
	if (ret)
		return ret;
	c->sock->sk->sk_sndtimeo = 3 * HZ;
	ret = kernel_connect(c->sock, (struct sockaddr *)&sin, sizeof(sin), 0);
	if (!ret)
		om_stat_inc(OM_ST_CONN_OPENED);
	return ret;
}

static int om_conn_thread(void *arg)
{
	struct om_conn *c = arg;
	unsigned long deadline = jiffies + OM_HANDSHAKE_TIMEOUT;
	int ret;

	if (c->initiator) {
		ret = om_conn_connect(c);
		if (ret)
			goto out;
	}
	tcp_sock_set_nodelay(c->sock->sk);
	c->sock->sk->sk_sndtimeo = 3 * HZ;
	c->sock->sk->sk_rcvtimeo = HZ / 2;
	ret = om_conn_setup_session(c);
	if (ret)
		goto out;
	if (c->initiator) {
		ret = om_conn_send_hello(c);
		if (ret)
			goto out;
	}

	om_conn_set_callbacks(c);

	while (!kthread_should_stop()) {
		/* the chunk buffer changes when the connection is upgraded */
		u8 *buf = c->rxbuf ?: c->rx_small;
		size_t len = c->rxbuf ? OM_RX_CHUNK : sizeof(c->rx_small);
		struct kvec iov = { .iov_base = buf, .iov_len = len };
		struct msghdr msg = {};
		int n;

		if (READ_ONCE(c->authed)) {
			/* waiters may read too now: only under rx_lock */
			ret = om_conn_rx_thread(c);
			if (ret)
				break;
			continue;
		}
		if (time_after(jiffies, deadline)) {
			om_stat_inc(OM_ST_HANDSHAKE_FAIL);
			ret = -ETIMEDOUT;
			break;
		}
		/* nobody else reads before the peer is authenticated */
		n = kernel_recvmsg(c->sock, &msg, &iov, 1, len, 0);
		if (n == -EAGAIN || n == -EINTR)
			continue;
		if (n <= 0) {
			ret = n ?: -ECONNRESET;
			break;
		}
		mutex_lock(&c->rx_lock);
		ret = om_conn_rx_chunk(c, buf, n);
		mutex_unlock(&c->rx_lock);
		if (ret)
			break;
	}
out:
	pr_debug("connection with node %u (%pI4) closed: %d\n", c->node,
		 &c->addr, ret);
	om_stat_inc(OM_ST_CONN_CLOSED);
	om_conn_detach(c);
	if (c->sock)
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
	WRITE_ONCE(c->done, true);
	/* wait for the reaper's kthread_stop(), never return on our own */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static struct om_conn *om_conn_new(struct socket *sock, bool initiator,
				   __be32 addr, u16 port, u16 node)
{
	struct om_conn *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	refcount_set(&c->ref, 1);	/* the om_conns list's reference */
	c->sock = sock;
	c->initiator = initiator;
	c->addr = addr;
	c->port = port;
	c->node = node;
	mutex_init(&c->tx_lock);
	mutex_init(&c->rx_lock);
	INIT_LIST_HEAD(&c->rx_defer);
	/* an unauthenticated peer may only send a HELLO-sized frame */
	om_wire_rx_init(&c->rx, OM_WIRE_HELLO_MAX + OM_WIRE_IV_LEN);
	return c;
}

/*
 * May one more connection start?  Outbound and inbound have their own
 * caps; inbound ones also per source address and before authentication
 * (finished connections count until they are reaped).  om_conns_lock held.
 */
static bool om_conn_room(bool initiator, __be32 addr)
{
	unsigned int src = 0, preauth = 0;
	struct om_conn *c;

	lockdep_assert_held(&om_conns_lock);
	if (om_shutting_down)
		return false;
	if (initiator)
		return om_nconns_out < OM_CONN_OUT_MAX;
	if (om_nconns_in >= OM_CONN_IN_MAX)
		return false;
	list_for_each_entry(c, &om_conns, list) {
		if (c->initiator)
			continue;
		if (c->addr == addr)
			src++;
		if (!READ_ONCE(c->authed))
			preauth++;
	}
	return src < OM_CONN_PER_SRC && preauth < OM_PREAUTH_MAX;
}

/* Start the connection's thread and list it; consumes c on failure. */
static int om_conn_start(struct om_conn *c)
{
	struct task_struct *t;

	mutex_lock(&om_conns_lock);
	if (!om_conn_room(c->initiator, c->addr)) {
		mutex_unlock(&om_conns_lock);
		om_conn_put(c);
		return -EBUSY;
	}
	if (c->initiator)
		om_nconns_out++;
	else
		om_nconns_in++;
	list_add_tail(&c->list, &om_conns);
	mutex_unlock(&om_conns_lock);

	t = kthread_create(om_conn_thread, c, "om_conn/%u", c->node);
	if (IS_ERR(t)) {
		mutex_lock(&om_conns_lock);
		list_del(&c->list);
		if (c->initiator)
			om_nconns_out--;
		else
			om_nconns_in--;
		mutex_unlock(&om_conns_lock);
		om_conn_put(c);
		return PTR_ERR(t);
	}
	c->thread = t;
	get_task_struct(t);
	wake_up_process(t);
	return 0;
}

/* Stop and free finished connections (or all of them). */
static void om_transport_reap(bool all)
{
	struct om_conn *c, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&om_conns_lock);
	list_for_each_entry_safe(c, tmp, &om_conns, list) {
		/* idle: shut it down; its thread ends and is reaped later */
		if (!all && c->authed && !READ_ONCE(c->done) &&
		    time_after(jiffies, READ_ONCE(c->last_use) + OM_IDLE_TIMEOUT))
			om_conn_shutdown(c);
		if (all || READ_ONCE(c->done)) {
			list_move(&c->list, &dead);
			if (c->initiator)
				om_nconns_out--;
			else
				om_nconns_in--;
		}
	}
	mutex_unlock(&om_conns_lock);
	list_for_each_entry_safe(c, tmp, &dead, list) {
		list_del(&c->list);
		if (all)
			om_conn_shutdown(c);
		if (c->thread) {
			kthread_stop(c->thread);
			put_task_struct(c->thread);
		}
		om_conn_put(c);
	}
}

static void om_reap_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(om_reap_work, om_reap_fn);

static void om_reap_fn(struct work_struct *w)
{
	om_transport_reap(false);
	if (!READ_ONCE(om_shutting_down))
		schedule_delayed_work(&om_reap_work, HZ);
}

/*
 * Open a connection to node n; om_nodes_lock held.  0 also when one is
 * being made or was tried a moment ago (the first send after the backoff
 * tries again): the caller sees -ENOTCONN, "not yet", and may wait.
 */
static int om_transport_connect_locked(struct om_node *n)
{
	struct om_conn *c;
	int ret;

	if (n->connecting || n->conn || (n->flags & (OM_NF_SELF | OM_NF_BLOCKED)))
		return 0;
	if (time_before(jiffies, n->next_connect))
		return 0;
	if (!om_transport_key_set() || !om_self_id())
		return -ENOKEY;
	c = om_conn_new(NULL, true, n->addr, n->port, n->id);
	if (!c)
		return -ENOMEM;
	n->connecting = true;
	n->next_connect = jiffies + OM_CONNECT_BACKOFF;
	ret = om_conn_start(c);
	if (ret)
		n->connecting = false;
	return ret;
}

void om_transport_set_feature(u32 feature, bool on)
{
	mutex_lock(&om_rx_lock);
	if (on)
		WRITE_ONCE(om_extra_features, om_extra_features | feature);
	else
		WRITE_ONCE(om_extra_features, om_extra_features & ~feature);
	mutex_unlock(&om_rx_lock);
}

static int om_transport_send_to(u16 node, u8 type, const void *payload,
				u32 len, om_transport_build_fn build, void *ctx)
{
	u32 need = om_wire_type_feature(type);
	bool build_failed = false;
	struct om_conn *c = NULL;
	struct om_node *n;
	int ret;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(node);
	if (!n) {
		mutex_unlock(&om_nodes_lock);
		return -ENOENT;
	}
	c = n->conn;
	if (c)
		refcount_inc(&c->ref);
	else
		ret = om_transport_connect_locked(n);
	mutex_unlock(&om_nodes_lock);
	if (!c)
		return ret ?: -ENOTCONN;
	if (om_conn_unusable(c)) {
		om_conn_put(c);
		return -EPIPE;		/* ending: the next one comes after it */
	}
	/* a frame the peer did not say it understands never leaves */
	if (need & ~c->s.peer.features) {
		om_conn_put(c);
		return -EOPNOTSUPP;
	}
	ret = om_conn_send_frame_build(c, type, payload, len, build, ctx,
				       &build_failed);
	/* a build error is the caller's: the connection is fine */
	if (ret && !build_failed)
		om_conn_shutdown(c);
	om_conn_put(c);
	return ret;
}

int om_transport_send(u16 node, u8 type, const void *payload, u32 len)
{
	return om_transport_send_to(node, type, payload, len, NULL, NULL);
}

int om_transport_send_build(u16 node, u8 type, u32 len,
			    om_transport_build_fn build, void *ctx)
{
	return om_transport_send_to(node, type, NULL, len, build, ctx);
}

/*
 * Become @node's connection's waiter (om_transport_wait): its data wakes
 * @wq, not the thread.  NULL when there is no authenticated connection
 * or another task waits on it already.
 */
static struct om_conn *om_conn_wait_start(u16 node, wait_queue_head_t *wq)
{
	struct om_conn *c = NULL;
	struct om_node *n;
	struct sock *sk;
	bool ok;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(node);
	if (n && n->conn) {
		c = n->conn;
		refcount_inc(&c->ref);
	}
	mutex_unlock(&om_nodes_lock);
	if (!c)
		return NULL;
	sk = c->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	ok = c->cb_set && READ_ONCE(c->authed) && !READ_ONCE(c->done) && !c->rx_waitq;
	if (ok)
		c->rx_waitq = wq;
	write_unlock_bh(&sk->sk_callback_lock);
	if (!ok) {
		om_conn_put(c);
		return NULL;
	}
	return c;
}

/* No longer the waiter: what came meanwhile woke it, so wake the thread */
static void om_conn_wait_end(struct om_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	c->rx_waitq = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
	if (READ_ONCE(c->rx_err) || READ_ONCE(c->rx_deferred) || om_conn_readable(sk))
		wake_up_interruptible(sk_sleep(sk));
	om_conn_put(c);
}

/*
 * The waiter reads what came, under rx_lock.  True when it must leave
 * the reading to the thread (a frame is kept for it, or the stream broke).
 */
static bool om_conn_wait_read(struct om_conn *c, om_transport_claim_fn claim,
			      void *ctx)
{
	bool stop;
	int err;

	if (mutex_lock_interruptible(&c->rx_lock))
		return false;	/* the signal ends the wait */
	if (!c->rx_err && !c->rx_deferred) {
		c->rx_claim = claim;
		c->rx_claim_ctx = ctx;
		c->rx_claimed = false;
		err = om_conn_rx_read(c);
		c->rx_claim = NULL;
		if (err) {
			WRITE_ONCE(c->rx_err, err);
			om_conn_shutdown(c);
		}
	}
	stop = c->rx_err || c->rx_deferred;
	mutex_unlock(&c->rx_lock);
	return stop;
}

/*
 * Watch @c until @end (ktime_get_ns()) while running; true if data came
 * or the wait is over.  Interrupts stay on: the frame arrives in softirq
 * as usual, only the sleep and the wake-up are saved.
 */
static bool om_conn_poll(struct om_conn *c, bool (*done)(void *ctx), void *ctx,
			 u64 end)
{
	for (;;) {
		if (done(ctx) || om_conn_readable(c->sock->sk))
			return true;
		if (signal_pending(current) || need_resched() || ktime_get_ns() >= end)
			return false;
		cpu_relax();
	}
}

int om_transport_wait(u16 node, wait_queue_head_t *wq, bool (*done)(void *ctx),
		      om_transport_claim_fn claim, void *ctx, u64 poll_ns,
		      u64 *woken)
{
	struct om_conn *c = om_conn_wait_start(node, wq);
	bool polled = false, slept = false;
	u64 poll_end = 0;
	DEFINE_WAIT(w);
	int ret = 0;

	if (woken)
		*woken = ktime_get_ns();
	if (c && poll_ns)
		poll_end = ktime_get_ns() + poll_ns;
	for (;;) {
		prepare_to_wait(wq, &w, TASK_INTERRUPTIBLE);
		if (done(ctx))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (c && om_conn_readable(c->sock->sk)) {
			__set_current_state(TASK_RUNNING);
			if (om_conn_wait_read(c, claim, ctx)) {
				om_conn_wait_end(c);
				c = NULL;
			}
			continue;
		}
		/*
		 * The window is for the whole wait, not only its start: a
		 * frame longer than a segment (a 4 KiB read's reply) comes
		 * in parts, and sleeping for the rest would cost the wake-up
		 * the poll saved.
		 */
		if (c && poll_end) {
			__set_current_state(TASK_RUNNING);
			if (om_conn_poll(c, done, ctx, poll_end)) {
				polled = true;
				if (woken)
					*woken = ktime_get_ns();
			} else {
				poll_end = 0;
			}
			continue;
		}
		schedule();
		slept = true;
		if (woken)
			*woken = ktime_get_ns();
	}
	finish_wait(wq, &w);
	if (c)
		om_conn_wait_end(c);
	return ret ?: polled && !slept;
}

bool om_transport_connected(u16 node)
{
	struct om_node *n;
	bool ok;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(node);
	ok = n && n->conn && !om_conn_unusable(n->conn);
	mutex_unlock(&om_nodes_lock);
	return ok;
}

int om_transport_peer_features(u16 node, u32 *features)
{
	struct om_node *n;
	int ret = 0;

	mutex_lock(&om_nodes_lock);
	n = om_node_find(node);
	if (!n)
		ret = -ENOENT;
	else if (n->conn)
		*features = n->conn->s.peer.features;	/* set before it was attached */
	else
		ret = om_transport_connect_locked(n) ?: -ENOTCONN;
	mutex_unlock(&om_nodes_lock);
	return ret;
}

void om_transport_forget(struct om_node *n)
{
	lockdep_assert_held(&om_nodes_lock);
	if (n->conn) {
		om_conn_shutdown(n->conn);
		om_conn_put(n->conn);
		n->conn = NULL;
	}
}

/* A node removed or blocked loses its connections; om_nodes_lock held */
static int om_transport_node_event(struct notifier_block *nb,
				   unsigned long ev, void *data)
{
	struct om_node_event_info *info = data;

	if (ev == OM_NODE_EV_REMOVED || ev == OM_NODE_EV_BLOCKED)
		om_transport_forget(info->node);
	return NOTIFY_DONE;
}

static struct notifier_block om_transport_node_nb = {
	.notifier_call = om_transport_node_event,
	/* connections go before anyone is told (netlink), as they always did */
	.priority = 1,
};

/* Close a connection we do not serve with a reset: no TIME_WAIT left. */
static void om_refuse(struct socket *ns)
{
	sock_no_linger(ns->sk);
	sock_release(ns);
}

/*
 * Inbound connections come only from addresses of nodes in the table
 * (static map, aliases, added or discovered), within the caps.
 */
static int om_accept_check(__be32 addr)
{
	struct om_node *n;
	bool ok;

	mutex_lock(&om_nodes_lock);
	n = om_node_find_addr(addr);
	ok = n && !(n->flags & (OM_NF_BLOCKED | OM_NF_SELF));
	mutex_unlock(&om_nodes_lock);
	if (!ok)
		return -EPERM;
	mutex_lock(&om_conns_lock);
	ok = om_conn_room(false, addr);
	mutex_unlock(&om_conns_lock);
	if (ok)
		return 0;
	/*
	 * Finished connections count until they are reaped (up to a second
	 * later): reap now, so that a peer that reconnects quickly is not
	 * refused for connections that are already closed.
	 */
	om_transport_reap(false);
	mutex_lock(&om_conns_lock);
	ok = om_conn_room(false, addr);
	mutex_unlock(&om_conns_lock);
	return ok ? 0 : -EBUSY;
}

static int om_listen_thread_fn(void *arg)
{
	struct socket *ls = arg;

	while (!kthread_should_stop()) {
		struct sockaddr_in sin;
		struct socket *ns;
		struct om_conn *c;
		int ret;

		ret = kernel_accept(ls, &ns, 0);
		if (ret == -EAGAIN || ret == -EINTR)
			continue;
		if (ret) {
			if (kthread_should_stop())
				break;
			msleep(100);
			continue;
		}
		om_stat_inc(OM_ST_CONN_ACCEPTED);
		ret = kernel_getpeername(ns, (struct sockaddr *)&sin);
		if (ret < 0 || !om_transport_key_set() || !om_self_id()) {
			om_refuse(ns);
			om_stat_inc(OM_ST_HANDSHAKE_FAIL);
			continue;
		}
		ret = om_accept_check(sin.sin_addr.s_addr);
		if (ret) {
			if (ret == -EPERM)
				om_stat_inc(OM_ST_UNKNOWN_PEER);
			pr_debug("refused a connection from %pI4: %d\n",
				 &sin.sin_addr.s_addr, ret);
			om_refuse(ns);
			continue;
		}
		c = om_conn_new(ns, false, sin.sin_addr.s_addr,
				ntohs(sin.sin_port), 0);
		if (!c) {
			om_refuse(ns);
			continue;
		}
		om_conn_start(c);
	}
	return 0;
}

static void om_listen_stop(void)
{
	if (om_listen_thread) {
		kthread_stop(om_listen_thread);
		put_task_struct(om_listen_thread);
		om_listen_thread = NULL;
	}
	if (om_listen_sock) {
		sock_release(om_listen_sock);
		om_listen_sock = NULL;
	}
}

static int om_listen_start(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_ANY),
		.sin_port = htons(READ_ONCE(om_tun.port)),
	};
	struct task_struct *t;
	struct socket *s;
	int ret;

	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP, &s);
	if (ret)
		return ret;
	sock_set_reuseaddr(s->sk);
	s->sk->sk_rcvtimeo = HZ / 2;
	ret = kernel_bind(s, (struct sockaddr *)&sin, sizeof(sin));
	if (!ret)
		ret = kernel_listen(s, 64);
	if (ret) {
		pr_err("cannot listen on port %u: %d\n", ntohs(sin.sin_port), ret);
		sock_release(s);
		return ret;
	}
	t = kthread_create(om_listen_thread_fn, s, "om_listen");
	if (IS_ERR(t)) {
		sock_release(s);
		return PTR_ERR(t);
	}
	/*
	 * Accepting is mostly refusing strangers (a flood of connections):
	 * it must not take CPU from peers' connections and the load
	 * exchange, or a flood could make a peer look dead.
	 */
	set_user_nice(t, MAX_NICE);
	get_task_struct(t);
	om_listen_sock = s;
	om_listen_thread = t;
	wake_up_process(t);
	return 0;
}

static void om_relisten_fn(struct work_struct *w)
{
	mutex_lock(&om_listen_lock);
	if (!om_shutting_down) {
		om_listen_stop();
		om_listen_start();
	}
	mutex_unlock(&om_listen_lock);
}

void om_transport_port_changed(void)
{
	schedule_work(&om_relisten_work);
}

static void om_transport_free_hello(void)
{
	mutex_lock(&om_key_lock);
	om_aead_free(om_hello_aead);
	om_hello_aead = NULL;
	om_hello_keyed = false;
	mutex_unlock(&om_key_lock);
}

int om_transport_init(void)
{
	struct om_aead *hello;
	int ret;

	om_shutting_down = false;
	INIT_WORK(&om_relisten_work, om_relisten_fn);
	hello = om_aead_alloc();
	if (IS_ERR(hello))
		return PTR_ERR(hello);
	mutex_lock(&om_key_lock);
	om_hello_aead = hello;
	om_hello_keyed = false;
	mutex_unlock(&om_key_lock);
	mutex_lock(&om_listen_lock);
	ret = om_listen_start();
	mutex_unlock(&om_listen_lock);
	if (ret) {
		om_transport_free_hello();
		return ret;
	}
	ret = om_node_notifier_register(&om_transport_node_nb);
	if (ret) {
		mutex_lock(&om_listen_lock);
		om_listen_stop();
		mutex_unlock(&om_listen_lock);
		om_transport_free_hello();
		return ret;
	}
	schedule_delayed_work(&om_reap_work, HZ);
	return 0;
}

void om_transport_exit(void)
{
	struct om_node *n;
	unsigned long idx = 0;

	om_node_notifier_unregister(&om_transport_node_nb);
	mutex_lock(&om_conns_lock);
	om_shutting_down = true;
	mutex_unlock(&om_conns_lock);
	cancel_work_sync(&om_relisten_work);
	cancel_delayed_work_sync(&om_reap_work);
	mutex_lock(&om_listen_lock);
	om_listen_stop();
	mutex_unlock(&om_listen_lock);
	mutex_lock(&om_nodes_lock);
	while ((n = om_node_next(&idx)))
		om_transport_forget(n);
	mutex_unlock(&om_nodes_lock);
	om_transport_reap(true);
	om_transport_free_hello();
	memzero_explicit(om_key, sizeof(om_key));
	om_key_valid = false;
}
