// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Migration sessions: one per migrated process, between its home node
 * and its remote.  Frames of the migration types (common/om_mig.h) arrive
 * in the transport's receive thread, which decodes them, finds the
 * session by (peer, id) and either handles them at once (image chunks,
 * answers the migrating task waits for) or queues them for the
 * session's task (the deputy or the guest): it never waits for a task.
 * While the task waits (om_sess_wait) it reads the connection itself and
 * queues its own SYSREQ or SYSREP the same way, without the thread.
 * A peer that goes down or is removed ends its sessions.
 */
#include <linux/module.h>
#include <linux/hashtable.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/highmem.h>
#include <linux/bvec.h>

#include "om_core.h"
#include "om_migrate.h"
#include "om_node.h"
#include "om_transport.h"

#define OM_SESS_IMG_FRAME	(256 * 1024)
/* page data in one IMG frame (om_sess_stream_pages): 256 KiB of it */
#define OM_SESS_IMG_PAGES	64
/*
 * Frames, and their bytes, queued for one session's task before the peer
 * is cut off: the task takes one request or reply at a time, and a
 * payload may be 1 MiB (256 of those would be kernel memory a peer fills).
 */
#define OM_SESS_RXQ_MAX		256
#define OM_SESS_RXQ_BYTES	(8U << 20)
/* waits in a row longer than fwd_poll_us after which the task stops polling */
#define OM_SESS_POLL_MISSES	2

static DEFINE_HASHTABLE(om_sessions, 7);
static DEFINE_SPINLOCK(om_sessions_lock);
static atomic64_t om_sess_next = ATOMIC64_INIT(0);
/* sessions not yet freed, [0] as the remote side, [1] as home */
static atomic_t om_sess_live[2];

static u32 om_sess_hash(u16 peer, u64 id)
{
	return (u32)(id ^ (id >> 32)) ^ peer;
}

static void om_sess_free(struct kref *ref)
{
	struct om_sess *s = container_of(ref, struct om_sess, ref);
	struct om_sess_frame *f, *n;

	list_for_each_entry_safe(f, n, &s->rxq, list)
		kvfree(f);
	if (s->ops && s->ops->release)
		s->ops->release(s);
	atomic_dec(&om_sess_live[s->home]);
	kfree(s);
	module_put(THIS_MODULE);
}

void om_sess_put(struct om_sess *s)
{
	if (s)
		kref_put(&s->ref, om_sess_free);
}

struct om_sess *om_sess_get(struct om_sess *s)
{
	kref_get(&s->ref);
	return s;
}

/*
 * A new session with @peer; @id 0 = a new id of ours (we are its home).
 * In the table, with one reference for the caller.
 */
struct om_sess *om_sess_new(u16 peer, u64 id, const struct om_sess_ops *ops)
{
	struct om_sess *s, *o;

	if (!try_module_get(THIS_MODULE))
		return ERR_PTR(-ENODEV);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		module_put(THIS_MODULE);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&s->ref);
	spin_lock_init(&s->lock);
	init_waitqueue_head(&s->wq);
	INIT_LIST_HEAD(&s->rxq);
	s->peer = peer;
	s->ops = ops;
	s->home = !id;
	s->id = id ? id : ((u64)om_self_id() << 48) |
		(atomic64_inc_return(&om_sess_next) & ((1ULL << 48) - 1));
	spin_lock(&om_sessions_lock);
	hash_for_each_possible(om_sessions, o, hnode, om_sess_hash(peer, s->id)) {
		if (o->peer == peer && o->id == s->id) {
			spin_unlock(&om_sessions_lock);
			kfree(s);
			module_put(THIS_MODULE);
			return ERR_PTR(-EEXIST);
		}
	}
	kref_get(&s->ref);	/* the table's */
	atomic_inc(&om_sess_live[s->home]);
	s->hashed = true;
	hash_add(om_sessions, &s->hnode, om_sess_hash(peer, s->id));
	spin_unlock(&om_sessions_lock);
	return s;
}

/*
 * Sessions not freed yet on one side: those whose role ended may still
 * hold the module (a keeper closing /dev/openmosix, a last reply).
 */
unsigned int om_sess_count(bool home)
{
	return atomic_read(&om_sess_live[home]);
}

struct om_sess *om_sess_find(u16 peer, u64 id)
{
	struct om_sess *s;

	spin_lock(&om_sessions_lock);
	hash_for_each_possible(om_sessions, s, hnode, om_sess_hash(peer, id)) {
		if (s->peer == peer && s->id == id) {
			kref_get(&s->ref);
			spin_unlock(&om_sessions_lock);
			return s;
		}
	}
	spin_unlock(&om_sessions_lock);
	return NULL;
}

/* A session by id alone (a local request naming it: the keeper). */
struct om_sess *om_sess_find_id(u64 id)
{
	struct om_sess *s;
	int bkt;

	spin_lock(&om_sessions_lock);
	hash_for_each(om_sessions, bkt, s, hnode) {
		if (s->id == id) {
			kref_get(&s->ref);
			spin_unlock(&om_sessions_lock);
			return s;
		}
	}
	spin_unlock(&om_sessions_lock);
	return NULL;
}

/*
 * The session is over (@err 0: normally): out of the table, its task
 * woken to see it.  The first reason given is kept.
 */
void om_sess_end(struct om_sess *s, int err, const char *reason)
{
	bool put = false;

	spin_lock(&om_sessions_lock);
	if (s->hashed) {
		hash_del(&s->hnode);
		s->hashed = false;
		put = true;
	}
	spin_unlock(&om_sessions_lock);
	spin_lock(&s->lock);
	if (!s->dead) {
		s->dead = true;
		s->err = err;
		if (reason)
			strscpy(s->reason, reason, sizeof(s->reason));
	}
	spin_unlock(&s->lock);
	wake_up_all(&s->wq);
	if (put) {
		if (s->ops && s->ops->ended)
			s->ops->ended(s);
		om_sess_put(s);
	}
}

/* A message om_sess_send() checked and sized, for om_sess_build() */
struct om_sess_out {
	const struct om_mig_msg *m;
	u32 len;
};

/*
 * om_sess_send()'s frame: the message encoded into the transport's
 * buffer of @len bytes, without checking and sizing it a second time
 */
static int om_sess_build(void *ctx, u8 *buf, u32 len)
{
	const struct om_sess_out *o = ctx;

	return om_mig_encode_sized(o->m, o->len, buf, len) == (int)len ? 0 : -EINVAL;
}

/* Send a frame @build writes; waits a little for a connection. */
static int om_sess_send_frame(struct om_sess *s, u8 type, u32 len,
			      om_transport_build_fn build, void *ctx)
{
	int err, tries;

	for (tries = 0; ; tries++) {
		err = om_transport_send_build(s->peer, type, len, build, ctx);
		if (err != -ENOTCONN || tries >= 50 || fatal_signal_pending(current))
			break;
		msleep(100);	/* the connection is being made */
	}
	return err;
}

/* Encode and send one message; waits a little for a connection. */
int om_sess_send(struct om_sess *s, struct om_mig_msg *m)
{
	struct om_sess_out o = { .m = m };
	int len;

	m->mig_id = s->id;
	len = om_mig_encode(m, NULL, 0);
	if (len < 0)
		return len;
	o.len = len;
	return om_sess_send_frame(s, m->type, len, om_sess_build, &o);
}

/* An IMG frame whose data are pages: om_sess_stream_pages() */
struct om_sess_pages {
	const struct om_mig_msg *m;	/* m->img.data NULL */
	u32 hlen;			/* the header before the data */
	const struct bio_vec *bv;
	unsigned int n;			/* bv[0..n) are the data */
};

/* The IMG header, then each page copied straight into the frame buffer */
static int om_sess_build_pages(void *ctx, u8 *buf, u32 len)
{
	const struct om_sess_pages *o = ctx;
	unsigned int i;
	u32 at;

	if (om_mig_img_encode_hdr(o->m, buf, len) != (int)o->hlen)
		return -EINVAL;
	at = o->hlen;
	for (i = 0; i < o->n; i++) {
		if (o->bv[i].bv_len > len - at)
			return -EINVAL;
		memcpy_from_page(buf + at, o->bv[i].bv_page, o->bv[i].bv_offset,
				 o->bv[i].bv_len);
		at += o->bv[i].bv_len;
	}
	return at == len ? 0 : -EINVAL;
}

/*
 * Page data of an image (struct om_ckpt_out's stream_pages), as IMG
 * frames of up to OM_SESS_IMG_PAGES pages each, written from the pages
 * into the transport's frame buffer: no copy in a chunk of ours first.
 */
int om_sess_stream_pages(void *ctx, const char *name, u64 off,
			 const struct bio_vec *bv, unsigned int n)
{
	struct om_sess *s = ctx;
	struct om_mig_msg m = { .type = OM_MIG_IMG, .mig_id = s->id };
	struct om_sess_pages o = { .m = &m };
	int hlen, err;

	m.img.name.s = name;
	m.img.name.len = strlen(name);
	while (n) {
		unsigned int k;
		u32 data = 0;

		if (READ_ONCE(s->dead))
			return -ECONNABORTED;
		for (k = 0; k < n && k < OM_SESS_IMG_PAGES; k++) {
			if (bv[k].bv_offset + bv[k].bv_len > PAGE_SIZE)
				return -EINVAL;
			data += bv[k].bv_len;
		}
		m.img.offset = off;
		m.img.len = data;
		hlen = om_mig_img_encode_hdr(&m, NULL, 0);
		if (hlen < 0)
			return hlen;
		o.hlen = hlen;
		o.bv = bv;
		o.n = k;
		err = om_sess_send_frame(s, OM_MIG_IMG, hlen + data,
					 om_sess_build_pages, &o);
		if (err)
			return err;
		off += data;
		bv += k;
		n -= k;
	}
	return 0;
}

/*
 * An image, chunk by chunk, as IMG frames (struct om_ckpt_out's stream;
 * @ctx is the session).  Counts the images for the COMMIT.
 */
int om_sess_stream(void *ctx, const char *name, u64 off, const void *buf,
		   size_t len, bool last)
{
	struct om_sess *s = ctx;
	struct om_mig_msg m = { .type = OM_MIG_IMG };
	u32 room;

	if (READ_ONCE(s->dead))
		return -ECONNABORTED;
	m.img.name.s = name;
	m.img.name.len = strlen(name);
	/* frames of 256 KiB: the transport's buffers stay moderate */
	room = om_mig_img_room(m.img.name.len, OM_SESS_IMG_FRAME);
	if (!room)
		return -ENAMETOOLONG;
	do {
		u32 n = min_t(size_t, len, room);
		int err;

		m.img.offset = off;
		m.img.data = buf;
		m.img.len = n;
		m.img.flags = last && n == len ? OM_MIG_IMG_LAST : 0;
		err = om_sess_send(s, &m);
		if (err)
			return err;
		off += n;
		buf += n;
		len -= n;
	} while (len);
	if (last)
		s->n_images++;
	return 0;
}

/*
 * The COMMIT after an image: as many images and bytes as were sent; with
 * @sig_seq (a remote's, to a home that takes it) the last numbered
 * signal the process took.
 */
int om_sess_commit(struct om_sess *s, u64 bytes, const u64 *sig_seq)
{
	struct om_mig_msg m = { .type = OM_MIG_COMMIT };

	m.commit.n_images = s->n_images;
	m.commit.total_bytes = bytes;
	if (sig_seq) {
		m.commit.has_sig_seq = true;
		m.commit.sig_seq = *sig_seq;
	}
	return om_sess_send(s, &m);
}

/*
 * PREPARE (struct om_ckpt_out's prepared): every image but the page
 * data sent, as many images and bytes as so far.
 */
int om_sess_prepare(void *ctx, u64 bytes)
{
	struct om_sess *s = ctx;
	struct om_mig_msg m = { .type = OM_MIG_PREPARE };

	if (READ_ONCE(s->dead))
		return -ECONNABORTED;
	m.commit.n_images = s->n_images;
	m.commit.total_bytes = bytes;
	return om_sess_send(s, &m);
}

/* Send a reason-carrying message (ACCEPT, DONE, ABORT, GOHOME). */
int om_sess_send_why(struct om_sess *s, u8 type, int err, u32 pid, const char *why)
{
	struct om_mig_msg m = { .type = type };
	char r[OM_MIG_REASON_MAX + 1];
	struct om_mig_str rs;

	strscpy(r, why ? why : "", sizeof(r));
	rs.s = r;
	rs.len = om_mig_reason_clean(r);
	switch (type) {
	case OM_MIG_ACCEPT:
		m.accept.err = err;
		m.accept.reason = rs;
		break;
	case OM_MIG_DONE:
		m.done.err = err;
		m.done.remote_pid = err ? 0 : pid;
		m.done.reason = rs;
		break;
	case OM_MIG_ABORT:
		m.abort.err = err ? err : -ECANCELED;
		m.abort.reason = rs;
		break;
	case OM_MIG_GOHOME:
		m.gohome.reason = rs;
		break;
	default:
		return -EINVAL;
	}
	return om_sess_send(s, &m);
}

/* Queue a frame for the session's task (receive thread). */
static int om_sess_queue(struct om_sess *s, u8 type, const u8 *p, u32 len)
{
	struct om_sess_frame *f;
	bool full;

	f = kvmalloc(struct_size(f, data, len), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->type = type;
	f->len = len;
	memcpy(f->data, p, len);
	spin_lock(&s->lock);
	full = s->rxq_len >= OM_SESS_RXQ_MAX || s->rxq_bytes + len > OM_SESS_RXQ_BYTES;
	if (!full) {
		list_add_tail(&f->list, &s->rxq);
		s->rxq_len++;
		s->rxq_bytes += len;
	}
	spin_unlock(&s->lock);
	if (full) {
		kvfree(f);
		return -ENOBUFS;
	}
	wake_up_all(&s->wq);
	if (s->ops && s->ops->queued)
		s->ops->queued(s, type);
	return 0;
}

/* The next queued frame, or NULL; the caller kvfree()s it. */
struct om_sess_frame *om_sess_dequeue(struct om_sess *s)
{
	struct om_sess_frame *f;

	spin_lock(&s->lock);
	f = list_first_entry_or_null(&s->rxq, struct om_sess_frame, list);
	if (f) {
		list_del(&f->list);
		s->rxq_len--;
		s->rxq_bytes -= f->len;
	}
	spin_unlock(&s->lock);
	return f;
}

bool om_sess_has_frames(struct om_sess *s)
{
	return READ_ONCE(s->rxq_len) != 0;
}

/* om_sess_wait()'s end: frames queued for the task, or the session's end */
static bool om_sess_ready(void *ctx)
{
	struct om_sess *s = ctx;

	return om_sess_has_frames(s) || READ_ONCE(s->dead);
}

/*
 * A frame the session's task read itself while it waited: the call its
 * deputy waits for, or the reply its guest waits for, is queued as the
 * receive thread would queue it (om_sess_rx); anything else is the
 * thread's.
 */
static bool om_sess_claim(void *ctx, u16 from, u8 type, const u8 *payload,
			  u32 len)
{
	struct om_sess *s = ctx;
	struct om_mig_msg m;

	if (from != s->peer || type != (s->home ? OM_MIG_SYSREQ : OM_MIG_SYSREP))
		return false;
	if (om_mig_decode(type, payload, len, &m) || m.mig_id != s->id)
		return false;
	/* whether the thread would queue it: rx has no effect for these */
	if (s->ops->rx(s, &m) != -EAGAIN)
		return false;
	if (om_sess_queue(s, type, payload, len))
		return false;
	om_ft_frame(true);
	return true;
}

/*
 * The session's task waits for a frame (om_sess_dequeue) or the end,
 * reading the connection itself meanwhile: a forwarded call's request
 * and reply skip the receive thread.  It first polls for fwd_poll_us,
 * unless its last two waits took longer than that (a deputy whose remote
 * computes between calls, calls that block at home): polling then would
 * only burn the CPU.  One long wait is let pass (a blocking read between
 * quick writes); a short one turns polling on again.  0, or -ERESTARTSYS
 * on a signal.
 * @woken: NULL, or where the time it last woke goes (fwd_timing).
 */
int om_sess_wait(struct om_sess *s, u64 *woken)
{
	u64 poll = (u64)READ_ONCE(om_tun.fwd_poll_us) * NSEC_PER_USEC;
	/* the clock is read only while polling is on (the default is off) */
	u64 t0 = poll ? ktime_get_ns() : 0;
	int ret;

	ret = om_transport_wait(s->peer, &s->wq, om_sess_ready, om_sess_claim, s,
				s->poll_miss < OM_SESS_POLL_MISSES ? poll : 0, woken);
	/* only the session's task waits on it: no lock */
	if (poll && ktime_get_ns() - t0 <= poll)
		s->poll_miss = 0;
	else if (poll && s->poll_miss < OM_SESS_POLL_MISSES)
		s->poll_miss++;
	if (ret > 0) {
		om_ft_polled();	/* no sleep, no wake-up */
		ret = 0;
	}
	return ret;
}

static void om_sess_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	struct om_mig_msg m;
	struct om_sess *s;
	int err;

	err = om_mig_decode(type, payload, len, &m);
	if (err) {
		pr_warn_ratelimited("node %u: bad migration frame %s (%d)\n", from,
				    om_mig_type_name(type), err);
		return;
	}
	if (type == OM_MIG_OFFER) {
		om_mig_in_offer(from, &m);
		return;
	}
	s = om_sess_find(from, m.mig_id);
	if (!s) {
		/* late frames of an ended session are normal */
		pr_debug("node %u: %s for no session %llx\n", from, om_mig_type_name(type),
			 m.mig_id);
		return;
	}
	err = s->ops->rx(s, &m);
	if (err == -EAGAIN) {
		err = om_sess_queue(s, type, payload, len);
		if (!err && (type == OM_MIG_SYSREQ || type == OM_MIG_SYSREP))
			om_ft_frame(false);
	}
	if (err) {
		char why[64];

		snprintf(why, sizeof(why), "bad %s from node %u (%d)", om_mig_type_name(type),
			 from, err);
		om_sess_send_why(s, OM_MIG_ABORT, err, 0, why);
		om_sess_end(s, err, why);
	}
	om_sess_put(s);
}

/* Each session with @peer ends (the node went down or was removed). */
static void om_sess_peer_gone(u16 peer, const char *why)
{
	struct om_sess *s, *found;
	int bkt;

	do {
		found = NULL;
		spin_lock(&om_sessions_lock);
		hash_for_each(om_sessions, bkt, s, hnode) {
			if (s->peer == peer) {
				found = s;
				kref_get(&s->ref);
				break;
			}
		}
		spin_unlock(&om_sessions_lock);
		if (found) {
			om_sess_end(found, -EHOSTDOWN, why);
			om_sess_put(found);
		}
	} while (found);
}

static void om_sess_down_work(struct work_struct *w)
{
	struct om_sess_down *d = container_of(w, struct om_sess_down, work);

	om_sess_peer_gone(d->peer, d->removed ? "the other node was removed" :
			  "the other node went down");
	kfree(d);
}

static int om_sess_node_event(struct notifier_block *nb, unsigned long ev, void *data)
{
	struct om_node_event_info *info = data;
	struct om_sess_down *d;

	if (ev != OM_NODE_EV_DOWN && ev != OM_NODE_EV_REMOVED && ev != OM_NODE_EV_BLOCKED)
		return NOTIFY_DONE;
	/*
	 * Under om_nodes_lock (a mutex, so it may sleep): the sessions end
	 * in a work item.  Not to fail: a lost DOWN would leave a deputy
	 * or guest waiting for a peer that is gone.
	 */
	d = kzalloc(sizeof(*d), GFP_KERNEL | __GFP_NOFAIL);
	d->peer = info->id;
	d->removed = ev == OM_NODE_EV_REMOVED;
	INIT_WORK(&d->work, om_sess_down_work);
	queue_work(om_mig_wq, &d->work);
	return NOTIFY_OK;
}

static struct notifier_block om_sess_nb = {
	.notifier_call = om_sess_node_event,
};

int om_session_init(void)
{
	int t, err;

	err = om_node_notifier_register(&om_sess_nb);
	if (err)
		return err;
	for (t = OM_MIG_OFFER; t <= OM_MIG_TYPE_LAST; t++) {
		err = om_transport_register_handler(t, om_sess_rx);
		if (err) {
			while (--t >= OM_MIG_OFFER)
				om_transport_unregister_handler(t);
			om_node_notifier_unregister(&om_sess_nb);
			return err;
		}
	}
	return 0;
}

void om_session_exit(void)
{
	int t;

	for (t = OM_MIG_OFFER; t <= OM_MIG_TYPE_LAST; t++)
		om_transport_unregister_handler(t);
	om_node_notifier_unregister(&om_sess_nb);
	flush_workqueue(om_mig_wq);
	/* every session holds a module reference: none is left */
}
