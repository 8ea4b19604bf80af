// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * MFS server: its promises.  A reply with attributes (R_ENTRY, R_ATTR)
 * may promise the client that, for promise_ms, the server tells it
 * (BREAK) before any change to that file's attributes, or to a
 * directory's entries, completes; the client then answers stat() and
 * path walks from what it has.  Whatever makes the change, a client's
 * request or a process of this node, fsnotify calls us in the changing
 * task before its system call returns: we send BREAK to every node that
 * holds a promise on the file and wait for each BREAK_ACK
 * (Documentation/mfs.md, "What is guaranteed").
 *
 * A node that does not answer cannot be waited for long (the callback
 * holds the directory or inode lock of the change, and fsnotify's SRCU
 * read side): it is waited for until its promise ends, or until
 * OM_MFS_LEASE_MS after the last reply we sent it, whichever comes
 * first.  That is safe because a client trusts its promises from a node
 * only OM_MFS_LEASE_MS after sending a request that node answered
 * (om_mfs_promise.c), and that send came before our reply.
 *
 * One fsnotify mark per watched inode, which pins the inode (not the
 * dentry) while there are promises on it; the handle table's GC drops
 * the marks whose promises all ended.  Promises are only made on
 * filesystems whose every change passes through this kernel (block
 * devices, tmpfs): not on 9p, NFS, FUSE or overlayfs, whose files may
 * change without an event.  Changes fsnotify does not report are
 * listed in Documentation/mfs.md (stores through a shared mapping,
 * atime, io_submit(2) writes, 6.1's splice).  Those all need the file
 * open for write, so data read while it is open for write nowhere and a
 * promise holds goes out STABLE (om_mfs_watch_stable()), and an open for
 * write after that ends the promises (FS_OPEN) before the open returns:
 * a client may keep such data read ahead under its promise.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/magic.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "compat/compat.h"
#include "om_core.h"
#include "om_transport.h"
#include "om_mfs.h"

#define OM_WATCH_HOLDERS	8	/* nodes with a promise on one file */
/* the events that end a promise: the file's own, and a directory's entries */
#define OM_WATCH_CHANGE	(FS_MODIFY | FS_ATTRIB | FS_DELETE_SELF | FS_MOVE_SELF | \
			 FS_UNMOUNT)
/*
 * and a regular file's open, which ends them only when it is an open for
 * write after data went out STABLE (om_mfs_watch_stable())
 */
#define OM_WATCH_FILE	(OM_WATCH_CHANGE | FS_OPEN)
#define OM_WATCH_DIR	(OM_WATCH_CHANGE | FS_CREATE | FS_DELETE | FS_MOVED_FROM | \
			 FS_MOVED_TO)
/* clocks of two nodes may run apart a little; a reply takes time too */
#define OM_WATCH_MARGIN	(HZ / 5)
#define OM_WATCH_RESEND	(HZ / 10)
/*
 * A BREAK sent but not acknowledged goes again this long after: it may
 * have been lost with a connection that went (a client keeps data read
 * ahead under it, and the node stays up); a copy only ends the same
 * promises again
 */
#define OM_WATCH_AGAIN	(HZ / 2)

struct om_watch_holder {
	u16 node;
	unsigned long until;		/* jiffies: its promise ends (margin in) */
	u64 grant;			/* om_watch_grants when it began */
};

/* One watched inode */
struct om_watch {
	struct fsnotify_mark mark;
	u64 ino;			/* as the attributes said: BREAK names it */
	struct list_head link;		/* om_watch_list: we own the creation ref */
	bool listed, dead;
	/* data went out STABLE since the last BREAK: an open for write breaks */
	bool stable;
	u8 n;
	struct om_watch_holder h[OM_WATCH_HOLDERS];
};

/* One BREAK being waited for */
struct om_watch_brk {
	struct list_head link;		/* om_watch_brks */
	u64 id;
	u64 ino;			/* 0: BREAK_ALL */
	u8 n;
	struct {
		u16 node;
		bool done;		/* acknowledged, or given up on */
		unsigned long until;
	} h[OM_WATCH_HOLDERS];
};

/* When we last answered a node: it trusts us at most a lease after */
struct om_watch_peer {
	unsigned long answered;		/* jiffies */
};

static struct fsnotify_group *om_watch_group;
static DEFINE_SPINLOCK(om_watch_lock);	/* holders, om_watch_list, om_watch_brks */
static LIST_HEAD(om_watch_list);
static LIST_HEAD(om_watch_brks);
static DECLARE_WAIT_QUEUE_HEAD(om_watch_wq);	/* acks; marks freed */
static atomic_t om_watch_nr = ATOMIC_INIT(0);	/* marks not yet freed */
static atomic64_t om_watch_next_id;
static u64 om_watch_grants;		/* holders begun so far; om_watch_lock */
static bool om_watch_stopping;		/* no new promises */
static bool om_watch_abort;		/* and no more waiting for acks */
static DEFINE_XARRAY(om_watch_peers);
/* watches and break waits now, for the tests and statistics */
static atomic_t om_watch_count = ATOMIC_INIT(0);

/* Filesystems whose every change passes through this kernel's VFS */
static bool om_watch_fs_ok(const struct super_block *sb)
{
	return (sb->s_type->fs_flags & FS_REQUIRES_DEV) ||
	       sb->s_magic == TMPFS_MAGIC || sb->s_magic == RAMFS_MAGIC;
}

void om_mfs_watch_answered(u16 node)
{
	struct om_watch_peer *p = xa_load(&om_watch_peers, node);

	if (!p) {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p)
			return;
		p->answered = jiffies;
		if (xa_insert(&om_watch_peers, node, p, GFP_KERNEL)) {
			kfree(p);
			p = xa_load(&om_watch_peers, node);
			if (!p)
				return;
		}
	}
	WRITE_ONCE(p->answered, jiffies);
}

/* Until when a holder may still trust its promise: wait no longer */
static unsigned long om_watch_deadline(u16 node, unsigned long until)
{
	struct om_watch_peer *p = xa_load(&om_watch_peers, node);
	unsigned long lease;

	if (!p)
		return jiffies;		/* never answered: it trusts nothing */
	lease = READ_ONCE(p->answered) + msecs_to_jiffies(OM_MFS_LEASE_MS) +
		OM_WATCH_MARGIN;
	return time_before(lease, until) ? lease : until;
}

/* om_watch_lock held: w leaves the list; true if its creation ref is ours to put */
static bool om_watch_unlist(struct om_watch *w)
{
	w->dead = true;
	if (!w->listed)
		return false;
	w->listed = false;
	list_del_init(&w->link);
	atomic_dec(&om_watch_count);
	return true;
}

/* BREAK for ino, or BREAK_ALL for ino 0 */
static void om_watch_send(u16 node, u64 id, u64 ino, bool *sent)
{
	struct om_mfs_msg m = { .type = ino ? OM_MFS_BREAK : OM_MFS_BREAK_ALL,
				.req_id = id, .brk.ino = ino };
	u8 buf[16];
	int n = om_mfs_encode(&m, buf, sizeof(buf));

	if (n < 0)
		return;
	if (node == om_self_id()) {
		/* our own client: handled, and acknowledged, before this returns */
		om_mfs_promise_rx(node, m.type, buf, n);
		*sent = true;
		return;
	}
	*sent = !om_transport_send(node, m.type, buf, n);
}

/* All of b's holders acknowledged (or given up on), or we are unloading */
static bool om_watch_settled(struct om_watch_brk *b)
{
	bool all = true;
	u8 i;

	spin_lock(&om_watch_lock);
	for (i = 0; i < b->n; i++)
		all &= b->h[i].done;
	spin_unlock(&om_watch_lock);
	return all || READ_ONCE(om_watch_abort);
}

/*
 * Tell every holder in h[0..n) that its promise on ino ends (ino 0:
 * all its promises), and wait for their acks, each no longer than its
 * deadline.  In the changing task, under its VFS locks: nothing here
 * takes a VFS lock.
 */
static void om_watch_break(u64 ino, const struct om_watch_holder *h, u8 n)
{
	struct om_watch_brk b = { .n = n, .ino = ino };
	bool sent[OM_WATCH_HOLDERS] = {};
	unsigned long sent_at[OM_WATCH_HOLDERS] = {};
	unsigned long now;
	bool pending;
	u8 i;

	b.id = atomic64_inc_return(&om_watch_next_id) ?:
	       atomic64_inc_return(&om_watch_next_id);
	for (i = 0; i < n; i++) {
		b.h[i].node = h[i].node;
		b.h[i].until = h[i].until;
	}
	spin_lock(&om_watch_lock);
	list_add(&b.link, &om_watch_brks);
	spin_unlock(&om_watch_lock);
	for (;;) {
		pending = false;
		now = jiffies;
		for (i = 0; i < n; i++) {
			spin_lock(&om_watch_lock);
			if (!b.h[i].done &&
			    !time_before(now, om_watch_deadline(b.h[i].node, b.h[i].until)))
				b.h[i].done = true;	/* it trusts us no more */
			pending |= !b.h[i].done;
			spin_unlock(&om_watch_lock);
			/*
			 * unsent (no connection yet): again at every round;
			 * sent and not acknowledged: again now and then
			 */
			if (READ_ONCE(b.h[i].done))
				continue;
			if (sent[i] && time_before(now, sent_at[i] + OM_WATCH_AGAIN))
				continue;
			om_watch_send(b.h[i].node, b.id, ino, &sent[i]);
			sent_at[i] = now;
		}
		if (!pending || READ_ONCE(om_watch_abort))
			break;
		/* an ack wakes us (om_watch_ack()); else look again, resend */
		wait_event_timeout(om_watch_wq, om_watch_settled(&b), OM_WATCH_RESEND);
	}
	spin_lock(&om_watch_lock);
	list_del(&b.link);
	spin_unlock(&om_watch_lock);
	wake_up_all(&om_watch_wq);	/* om_watch_wait_breaks() */
}

/* A BREAK of ino (or a BREAK_ALL) still waits for a holder */
static bool om_watch_breaking(u64 ino)
{
	struct om_watch_brk *b;
	bool busy = false;
	u8 i;

	spin_lock(&om_watch_lock);
	list_for_each_entry(b, &om_watch_brks, link) {
		if (b->ino && b->ino != ino)
			continue;
		for (i = 0; i < b->n; i++)
			busy |= !b->h[i].done;
	}
	spin_unlock(&om_watch_lock);
	return busy && !READ_ONCE(om_watch_abort);
}

/*
 * A change to ino completes only once the BREAKs already under way for
 * it, its own or a BREAK_ALL, are done: their holders left the watch
 * when those began, so this change would not wait for them otherwise.
 * Bounded by their deadlines (their senders mark them done).
 */
static void om_watch_wait_breaks(u64 ino)
{
	while (om_watch_breaking(ino))
		wait_event_timeout(om_watch_wq, !om_watch_breaking(ino),
				   OM_WATCH_RESEND);
}

/* BREAK_ACK, from the receive thread (or our own client) */
static void om_watch_ack(u16 from, u64 id)
{
	struct om_watch_brk *b;
	bool hit = false;
	u8 i;

	spin_lock(&om_watch_lock);
	list_for_each_entry(b, &om_watch_brks, link) {
		if (b->id != id)
			continue;
		for (i = 0; i < b->n; i++)
			if (b->h[i].node == from && !b->h[i].done) {
				b->h[i].done = true;
				hit = true;
			}
		break;
	}
	spin_unlock(&om_watch_lock);
	if (hit)
		wake_up_all(&om_watch_wq);
}

void om_mfs_watch_rx(u16 from, u8 type, const u8 *payload, u32 len)
{
	struct om_mfs_msg m;

	if (om_mfs_decode(type, payload, len, &m) || m.type != OM_MFS_BREAK_ACK)
		return;
	om_watch_ack(from, m.req_id);
}

/*
 * om_watch_lock held: w's live holders whose node is in set[0..*n), or
 * can join it (room for OM_WATCH_HOLDERS nodes), leave w; set keeps
 * each node's latest promise end.  Holders of other nodes stay for a
 * later round; ended promises go.
 */
static void om_watch_take_set(struct om_watch *w, struct om_watch_holder *set,
			      u8 *n, unsigned long now, u64 before)
{
	u8 i, j, k = 0;

	for (i = 0; i < w->n; i++) {
		const struct om_watch_holder *h = &w->h[i];

		if (!time_before(now, h->until))
			continue;
		/* begun after the BREAK_ALLs did: made under the new list */
		if (h->grant > before) {
			w->h[k++] = *h;
			continue;
		}
		for (j = 0; j < *n && set[j].node != h->node; j++)
			;
		if (j < *n) {
			if (time_after(h->until, set[j].until))
				set[j].until = h->until;
		} else if (*n < OM_WATCH_HOLDERS) {
			set[(*n)++] = *h;
		} else {
			w->h[k++] = *h;
		}
	}
	w->n = k;
}

/* fsnotify: the watched inode (or a watched directory's entries) changed */
static int om_watch_event(struct fsnotify_mark *mark, u32 mask, struct inode *inode,
			  struct inode *dir, const struct qstr *name, u32 cookie)
{
	struct om_watch *w = container_of(mark, struct om_watch, mark);
	struct om_watch_holder h[OM_WATCH_HOLDERS];
	bool open = !(mask & OM_WATCH_DIR);
	u8 n = 0;
	u64 ino;

	/*
	 * An open alone changes nothing; one for write (counted before its
	 * FS_OPEN) after data went out STABLE may change the data without
	 * another event (a shared mapping's stores, io_submit(2)): it ends
	 * the promises now.  Any other open goes on at once, most of them
	 * without the lock (om_mfs_watch_stable() for the order).
	 */
	if (open && !READ_ONCE(w->stable))
		return 0;
	spin_lock(&om_watch_lock);
	if (open && (w->dead || !w->stable || !inode ||
		     !inode_is_open_for_write(inode))) {
		spin_unlock(&om_watch_lock);
		return 0;
	}
	/* every live holder (one per node: they all fit), promises ended */
	if (!w->dead) {
		om_watch_take_set(w, h, &n, jiffies, U64_MAX);
		WRITE_ONCE(w->stable, false);
	}
	ino = w->ino;
	spin_unlock(&om_watch_lock);
	if (n)
		om_watch_break(ino, h, n);
	om_watch_wait_breaks(ino);
	return 0;
}

/* Any removal, ours or the kernel's (the inode deleted, its fs unmounted) */
static void om_watch_freeing(struct fsnotify_mark *mark, struct fsnotify_group *group)
{
	struct om_watch *w = container_of(mark, struct om_watch, mark);
	bool put;

	spin_lock(&om_watch_lock);
	put = om_watch_unlist(w);
	spin_unlock(&om_watch_lock);
	if (put)
		fsnotify_put_mark(mark);
}

static void om_watch_free(struct fsnotify_mark *mark)
{
	kfree(container_of(mark, struct om_watch, mark));
	if (atomic_dec_and_test(&om_watch_nr))
		wake_up_all(&om_watch_wq);
}

static const struct fsnotify_ops om_watch_ops = {
	.handle_inode_event = om_watch_event,
	.freeing_mark = om_watch_freeing,
	.free_mark = om_watch_free,
};

/* om_watch_lock held: node's promise on w, until; false if w is full */
static bool om_watch_hold(struct om_watch *w, u16 node, unsigned long until)
{
	u8 i;

	for (i = 0; i < w->n; i++) {
		if (w->h[i].node == node) {
			if (time_after(until, w->h[i].until))
				w->h[i].until = until;
			return true;
		}
	}
	if (w->n == OM_WATCH_HOLDERS)
		return false;
	w->h[w->n].node = node;
	w->h[w->n].until = until;
	w->h[w->n].grant = ++om_watch_grants;
	w->n++;
	return true;
}

/* A new mark on inode, listed with node's promise; -EEXIST: one came meanwhile */
static int om_watch_add(struct inode *inode, u16 node, unsigned long until)
{
	struct om_watch *w = kzalloc(sizeof(*w), GFP_KERNEL);
	bool ok;
	int err;

	if (!w)
		return -ENOMEM;
	atomic_inc(&om_watch_nr);
	fsnotify_init_mark(&w->mark, om_watch_group);
	w->mark.mask = S_ISDIR(inode->i_mode) ? OM_WATCH_DIR : OM_WATCH_FILE;
	w->ino = inode->i_ino ?: 1;	/* as om_srv_attr() says it */
	INIT_LIST_HEAD(&w->link);
	err = fsnotify_add_inode_mark(&w->mark, inode, 0);
	if (err) {
		fsnotify_put_mark(&w->mark);	/* never attached: freed now */
		return err;
	}
	spin_lock(&om_watch_lock);
	ok = !w->dead && !om_watch_stopping;
	if (ok) {
		list_add_tail(&w->link, &om_watch_list);
		w->listed = true;
		atomic_inc(&om_watch_count);
		om_watch_hold(w, node, until);
	}
	spin_unlock(&om_watch_lock);
	if (!ok) {
		fsnotify_destroy_mark(&w->mark, om_watch_group);
		fsnotify_put_mark(&w->mark);
		return -ENOENT;
	}
	return 0;
}

bool om_mfs_watch_possible(const struct path *p, u16 node)
{
	return READ_ONCE(om_tun.mfs_promise_ms) && node && om_watch_group &&
	       !READ_ONCE(om_watch_stopping) && om_watch_fs_ok(p->dentry->d_sb);
}

u32 om_mfs_watch_grant(const struct path *p, u16 node)
{
	u32 ms = READ_ONCE(om_tun.mfs_promise_ms);
	struct inode *inode = d_inode(p->dentry);
	struct fsnotify_mark *mark;
	unsigned long until;
	bool ok = false;
	int tries;

	if (!ms || !om_mfs_watch_possible(p, node) || d_unlinked(p->dentry))
		return 0;
	ms = min_t(u32, ms, OM_MFS_PROMISE_MAX_MS);
	until = jiffies + msecs_to_jiffies(ms) + OM_WATCH_MARGIN;
	for (tries = 0; tries < 2 && !ok; tries++) {
		mark = om_fsnotify_find_inode_mark(inode, om_watch_group);
		if (mark) {
			struct om_watch *w = container_of(mark, struct om_watch, mark);

			spin_lock(&om_watch_lock);
			ok = !w->dead && w->listed && om_watch_hold(w, node, until);
			spin_unlock(&om_watch_lock);
			fsnotify_put_mark(mark);
			break;
		}
		ok = !om_watch_add(inode, node, until);
	}
	return ok ? ms : 0;
}

bool om_mfs_watch_stable(struct inode *inode, u16 node)
{
	struct fsnotify_mark *mark;
	unsigned long now = jiffies;
	struct om_watch *w;
	bool ok = false;
	u8 i;

	if (!om_watch_group || READ_ONCE(om_watch_stopping) ||
	    !S_ISREG(inode->i_mode))
		return false;
	mark = om_fsnotify_find_inode_mark(inode, om_watch_group);
	if (!mark)
		return false;
	w = container_of(mark, struct om_watch, mark);
	spin_lock(&om_watch_lock);
	for (i = 0; i < w->n && !w->dead && w->listed && !ok; i++)
		ok = w->h[i].node == node && time_before(now, w->h[i].until);
	if (ok)
		WRITE_ONCE(w->stable, true);
	spin_unlock(&om_watch_lock);
	fsnotify_put_mark(mark);
	/*
	 * stable set, then the writers counted; an opener counts itself
	 * (get_write_access(), fully ordered), then its FS_OPEN reads
	 * stable: one of us sees the other
	 */
	smp_mb();
	return ok && !inode_is_open_for_write(inode);
}

/* Watches whose promises all ended go, and with them their inode pins */
void om_mfs_watch_gc(bool all)
{
	struct om_watch *w, *tmp;
	unsigned long now = jiffies;
	LIST_HEAD(dead);
	bool live;
	u8 i;

	spin_lock(&om_watch_lock);
	list_for_each_entry_safe(w, tmp, &om_watch_list, link) {
		live = false;
		for (i = 0; i < w->n && !all; i++)
			live |= time_before(now, w->h[i].until);
		if (live)
			continue;
		om_watch_unlist(w);
		list_add_tail(&w->link, &dead);
	}
	spin_unlock(&om_watch_lock);
	list_for_each_entry_safe(w, tmp, &dead, link) {
		list_del_init(&w->link);
		fsnotify_destroy_mark(&w->mark, om_watch_group);
		fsnotify_put_mark(&w->mark);
	}
}

/*
 * Every promise out ends now (the export list changed, or we unload):
 * one BREAK_ALL to each node that holds any, up to OM_WATCH_HOLDERS
 * nodes a round, each round one pass over the watches.
 */
void om_mfs_watch_break_all(void)
{
	struct om_watch_holder set[OM_WATCH_HOLDERS];
	struct om_watch *w;
	unsigned long now;
	u64 before;
	u8 n;

	spin_lock(&om_watch_lock);
	before = om_watch_grants;
	spin_unlock(&om_watch_lock);
	for (;;) {
		n = 0;
		now = jiffies;
		spin_lock(&om_watch_lock);
		list_for_each_entry(w, &om_watch_list, link)
			om_watch_take_set(w, set, &n, now, before);
		spin_unlock(&om_watch_lock);
		if (!n)
			break;
		om_watch_break(0, set, n);
	}
}

unsigned int om_mfs_watch_count(void)
{
	return atomic_read(&om_watch_count);
}

int om_mfs_watch_init(void)
{
	int err;

	om_watch_stopping = false;
	om_watch_abort = false;
	om_watch_group = fsnotify_alloc_group(&om_watch_ops, OM_FSNOTIFY_GROUP_FLAGS);
	if (IS_ERR(om_watch_group)) {
		err = PTR_ERR(om_watch_group);
		om_watch_group = NULL;
		return err;
	}
	err = om_transport_register_handler(OM_MFS_BREAK_ACK, om_mfs_watch_rx);
	if (err) {
		fsnotify_put_group(om_watch_group);
		om_watch_group = NULL;
	}
	return err;
}

/*
 * No destroy_group for modules: every mark is destroyed here, then we
 * wait until each was freed (free_mark) and the reaper is done with
 * them, so no callback of ours runs after (fsnotify-report.md, 4).
 */
void om_mfs_watch_exit(void)
{
	struct om_watch_peer *p;
	unsigned long i;

	spin_lock(&om_watch_lock);
	om_watch_stopping = true;
	spin_unlock(&om_watch_lock);
	/* the clients hear it from us (their acks still come in) */
	om_mfs_watch_break_all();
	om_transport_unregister_handler(OM_MFS_BREAK_ACK);
	WRITE_ONCE(om_watch_abort, true);
	wake_up_all(&om_watch_wq);
	if (om_watch_group) {
		om_mfs_watch_gc(true);
		fsnotify_wait_marks_destroyed();
		wait_event(om_watch_wq, !atomic_read(&om_watch_nr));
		fsnotify_wait_marks_destroyed();
		fsnotify_put_group(om_watch_group);
		om_watch_group = NULL;
	}
	xa_for_each(&om_watch_peers, i, p)
		kfree(p);
	xa_destroy(&om_watch_peers);
}
