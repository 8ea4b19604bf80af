// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Receiving an image (IMG chunks, then COMMIT): the remote for a process
 * that arrives, the home for one that comes back.  The chunks are written
 * as they come into a tmpfs instance of the session's own that is mounted
 * nowhere: memory only, reachable by no path, owned by the receiving
 * thread's (kernel) credentials.  Each image arrives in order from offset
 * 0; pagemap and pages come interleaved, so a few are open at once.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/cred.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/atomic.h>

#include "om_migrate.h"
#include "common/om_pgsink.h"

#define OM_RX_MAX_IMAGES	64
#define OM_RX_SLACK		(64ULL << 20)

/*
 * What all images being received hold together: at most half the RAM.
 * A kernel-internal tmpfs (SB_KERNMOUNT) has no size limit of its own,
 * and an image may take twice its offered size: without this, one peer
 * offering processes could fill the memory with tmpfs pages.
 */
static atomic64_t om_rx_held = ATOMIC64_INIT(0);

static u64 om_imgrx_limit(void)
{
	return (u64)totalram_pages() << (PAGE_SHIFT - 1);
}

/* Bytes an image arriving now could still take (OFFER check). */
u64 om_imgrx_room(void)
{
	s64 held = atomic64_read(&om_rx_held);
	u64 limit = om_imgrx_limit();

	return held < 0 || (u64)held >= limit ? 0 : limit - held;
}

/* Mount the session's tmpfs; @estimate: the image's announced size. */
int om_imgrx_start(struct om_imgrx *rx, u64 estimate)
{
	struct file_system_type *fst = get_fs_type("tmpfs");
	char opts[] = "mode=0700";	/* parsed in place: not a literal */
	struct vfsmount *mnt;

	memset(rx, 0, sizeof(*rx));
	if (!fst)
		return -ENODEV;
	mnt = vfs_kern_mount(fst, SB_KERNMOUNT, "openmosix", opts);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	rx->mnt = mnt;
	rx->cred = get_current_cred();
	rx->max_bytes = 2 * estimate + OM_RX_SLACK;
	return 0;
}

void om_imgrx_stop(struct om_imgrx *rx)
{
	int i;

	for (i = 0; i < OM_IN_OPEN; i++) {
		if (rx->open[i].file)
			fput(rx->open[i].file);
		rx->open[i].file = NULL;
	}
	if (rx->mnt)
		kern_unmount(rx->mnt);
	rx->mnt = NULL;
	if (rx->cred)
		put_cred(rx->cred);
	rx->cred = NULL;
	atomic64_sub(rx->bytes, &om_rx_held);
	rx->bytes = 0;
}

/* The image being received under @name (pages and pagemap come together). */
static struct om_in_file *om_imgrx_file(struct om_imgrx *r, const char *name, u64 off,
				     int *err)
{
	struct om_in_file *f = NULL;
	u32 id;
	int i;

	for (i = 0; i < OM_IN_OPEN; i++) {
		if (r->open[i].file && !strcmp(r->open[i].name, name))
			return &r->open[i];
		if (!r->open[i].file && !f)
			f = &r->open[i];
	}
	/* a new one starts at 0; a name seen before is refused (O_EXCL) */
	*err = -EPROTO;
	if (!f || off || r->n_images >= OM_RX_MAX_IMAGES)
		return NULL;
	f->file = file_open_root_mnt(r->mnt, name, O_WRONLY | O_CREAT | O_EXCL |
				     O_NOFOLLOW | O_LARGEFILE, 0600);
	if (IS_ERR(f->file)) {
		*err = PTR_ERR(f->file);
		f->file = NULL;
		return NULL;
	}
	strscpy(f->name, name, sizeof(f->name));
	f->pos = 0;
	r->n_images++;
	if (!om_pgsink_pages_id(name, strlen(name), &id))
		r->n_pages++;
	return f;
}

int om_imgrx_chunk(struct om_imgrx *r, const struct om_mig_img *im)
{
	char name[OM_MIG_NAME_MAX + 1];
	struct om_in_file *f;
	ssize_t n;
	loff_t pos;
	int err;

	if (!r->mnt)
		return -EPROTO;
	snprintf(name, sizeof(name), "%.*s", (int)im->name.len, im->name.s);
	f = om_imgrx_file(r, name, im->offset, &err);
	if (!f)
		return err;
	if (im->offset != f->pos)
		return -EPROTO;
	if (r->bytes + im->len > r->max_bytes)
		return -EFBIG;
	if (atomic64_add_return(im->len, &om_rx_held) > om_imgrx_limit()) {
		atomic64_sub(im->len, &om_rx_held);
		return -ENOSPC;
	}
	pos = f->pos;
	n = im->len ? kernel_write(f->file, im->data, im->len, &pos) : 0;
	if (n != im->len) {
		atomic64_sub(im->len, &om_rx_held);
		return n < 0 ? n : -ENOSPC;
	}
	f->pos += n;
	r->bytes += n;
	if (im->flags & OM_MIG_IMG_LAST) {
		fput(f->file);
		f->file = NULL;
	}
	return 0;
}

/* COMMIT: every image complete, as many as announced, every byte. */
int om_imgrx_commit(struct om_imgrx *rx, const struct om_mig_commit *c)
{
	int i;

	for (i = 0; i < OM_IN_OPEN; i++)
		if (rx->open[i].file)
			return -EPROTO;
	if (!rx->mnt || c->n_images != rx->n_images || c->total_bytes != rx->bytes)
		return -EPROTO;
	return 0;
}

void om_imgrx_root(struct om_imgrx *rx, struct path *p)
{
	p->mnt = rx->mnt;
	p->dentry = rx->mnt->mnt_root;
}

/* ------------------------------------------------- page data after PREPARE */

/* What a chunk costs: its bytes and its header (many tiny chunks cost too) */
static u64 om_pgrx_cost(u32 len)
{
	return (u64)len + sizeof(struct om_pgchunk);
}

void om_pgrx_init(struct om_pgrx *pg)
{
	memset(pg, 0, sizeof(*pg));
	spin_lock_init(&pg->lock);
	init_waitqueue_head(&pg->wq);
	INIT_LIST_HEAD(&pg->q);
}

/*
 * PREPARE: the images so far complete, as many as announced (as COMMIT
 * checks them), and none of them page data.  The remote's lock held.
 */
int om_pgrx_prepare(struct om_pgrx *pg, struct om_imgrx *rx, const struct om_mig_commit *c)
{
	int err;

	if (pg->on)
		return -EPROTO;
	err = om_imgrx_commit(rx, c);
	if (err)
		return err;
	if (rx->n_pages)
		return -EPROTO;
	pg->on = true;
	return 0;
}

/*
 * A chunk of page data after PREPARE (the receive thread, the remote's
 * lock held): a pages-N.img name, each image from 0 in order without a
 * gap, nothing after its LAST chunk, within the image's and the node's
 * limits, each chunk's header counted with its bytes.  Queued for the
 * restorer; what it holds is charged until freed.
 */
int om_pgrx_chunk(struct om_pgrx *pg, struct om_imgrx *rx, const struct om_mig_img *im)
{
	struct om_pgrx_img *g = NULL;
	u64 cost = om_pgrx_cost(im->len);
	struct om_pgchunk *ch;
	u32 id, i;

	if (!pg->on || pg->complete || om_pgsink_pages_id(im->name.s, im->name.len, &id))
		return -EPROTO;
	for (i = 0; i < pg->n_img && !g; i++)
		if (pg->img[i].id == id)
			g = &pg->img[i];
	if (!g) {
		if (im->offset || pg->n_img >= OM_PGRX_MAX_IMG)
			return -EPROTO;
		g = &pg->img[pg->n_img];
	}
	if (g->done || im->offset != g->pos)
		return -EPROTO;
	if (rx->bytes + pg->cost + cost > rx->max_bytes)
		return -EFBIG;
	if (atomic64_add_return(cost, &om_rx_held) > om_imgrx_limit()) {
		atomic64_sub(cost, &om_rx_held);
		return -ENOSPC;
	}
	ch = kvmalloc(struct_size(ch, data, im->len), GFP_KERNEL);
	if (!ch) {
		atomic64_sub(cost, &om_rx_held);
		return -ENOMEM;
	}
	ch->id = id;
	ch->off = im->offset;
	ch->len = im->len;
	if (im->len)
		memcpy(ch->data, im->data, im->len);
	if (g == &pg->img[pg->n_img]) {
		g->id = id;
		pg->n_img++;
	}
	g->pos += im->len;
	pg->bytes += im->len;
	pg->cost += cost;
	if (im->flags & OM_MIG_IMG_LAST) {
		g->done = true;
		pg->n_done++;
	}
	spin_lock(&pg->lock);
	if (pg->closed) {
		spin_unlock(&pg->lock);
		om_pgrx_free(ch);
		return -ECONNABORTED;
	}
	list_add_tail(&ch->list, &pg->q);
	spin_unlock(&pg->lock);
	wake_up(&pg->wq);
	return 0;
}

/* COMMIT after PREPARE: every page image complete, the totals of both parts. */
int om_pgrx_commit(struct om_pgrx *pg, const struct om_imgrx *rx, const struct om_mig_commit *c)
{
	if (!pg->on || pg->complete || pg->n_done != pg->n_img ||
	    c->n_images != rx->n_images + pg->n_img || c->total_bytes != rx->bytes + pg->bytes)
		return -EPROTO;
	spin_lock(&pg->lock);
	pg->complete = true;
	spin_unlock(&pg->lock);
	wake_up(&pg->wq);
	return 0;
}

/*
 * The restorer's next chunk (1, *ch its to free), or 0 when every chunk
 * was taken after the COMMIT, -ECONNABORTED when the session ended,
 * -EINTR when it is killed.  The session's idle timeout bounds the wait.
 */
int om_pgrx_take(struct om_pgrx *pg, struct om_pgchunk **ch)
{
	int ret;

	*ch = NULL;
	ret = wait_event_killable(pg->wq, READ_ONCE(pg->closed) || READ_ONCE(pg->complete) ||
				  !list_empty_careful(&pg->q));
	if (ret)
		return -EINTR;
	spin_lock(&pg->lock);
	if (pg->closed) {
		ret = -ECONNABORTED;
	} else if (!list_empty(&pg->q)) {
		*ch = list_first_entry(&pg->q, struct om_pgchunk, list);
		list_del(&(*ch)->list);
		ret = 1;
	}
	spin_unlock(&pg->lock);
	return ret;
}

void om_pgrx_free(struct om_pgchunk *ch)
{
	atomic64_sub(om_pgrx_cost(ch->len), &om_rx_held);
	kvfree(ch);
}

/* The session ended: the chunks not taken go, the restorer wakes. */
void om_pgrx_stop(struct om_pgrx *pg)
{
	struct om_pgchunk *ch, *n;
	LIST_HEAD(q);

	spin_lock(&pg->lock);
	pg->closed = true;
	list_splice_init(&pg->q, &q);
	spin_unlock(&pg->lock);
	wake_up_all(&pg->wq);
	list_for_each_entry_safe(ch, n, &q, list)
		om_pgrx_free(ch);
}
