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
